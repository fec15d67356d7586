//! A generated policy of 10,000 rules checks cleanly, range analysis and monotonicity proof
//! included, and a decision table of 1,000 rows is proven (their speed is measured apart, not
//! here).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[test]
fn ten_thousand_rules_check_without_error() {
    let text = rubric::testing::generated_policy(10_000);
    let mut sources = rubric::SourceMap::new();
    let file = sources.add("generated.rubric", text);
    let compiled = rubric::compile(&sources, file, &rubric::Options::default());
    let diagnostics = compiled.diagnostics();
    assert!(diagnostics.is_empty(), "{:?}", diagnostics.first());
    let model = compiled.model().unwrap();
    assert_eq!(model.rules.len(), 10_000);
    // The range analysis and the monotonicity proof ran over every rule.
    let analysis = model.analysis.as_ref().unwrap();
    assert_eq!(analysis.rules.len(), 10_000);
    assert_eq!(model.monotonicity.len(), 7);
    assert!(model
        .monotonicity
        .iter()
        .all(|m| m.verdict == rubric::check::monotone::Verdict::Proved));
}

/// A `unique` table of `a × b` rows: a grid over two whole-number inputs, each cell ten values wide.
fn grid_table(a: usize, b: usize) -> String {
    let mut text = format!(
        "policy \"Grid\" {{\n  version \"1\"\n  effective 2027-01-01\n  score 0 to 100 starting at 50\n}}\n\
         indicator x: integer 0 to {}\nindicator y: integer 0 to {}\n\
         table grid {{\n  inputs x, y\n  outputs g: decimal\n",
        a * 10 - 1,
        b * 10 - 1
    );
    for i in 0..a {
        for j in 0..b {
            text.push_str(&format!(
                "  from {} below {}, from {} below {} => {}\n",
                i * 10,
                (i + 1) * 10,
                j * 10,
                (j + 1) * 10,
                (i + j) % 7
            ));
        }
    }
    text.push_str("}\nrule r \"R\" { add g  basis \"b\"  reason \"r\" }\n");
    text
}

#[test]
fn a_table_of_a_thousand_rows_is_proven() {
    // 1,000 rows that never overlap and cover every input: proven, not given up on (W1401), and
    // a copy of one row is found as an overlap.
    let mut sources = rubric::SourceMap::new();
    let file = sources.add("grid.rubric", grid_table(40, 25));
    let compiled = rubric::compile(&sources, file, &rubric::Options::default());
    assert!(
        compiled.diagnostics().is_empty(),
        "{:?}",
        compiled.diagnostics().first()
    );
    let text = grid_table(40, 25).replace(
        "}\nrule r",
        "  from 120 below 130, from 40 below 50 => 1\n}\nrule r",
    );
    let mut sources = rubric::SourceMap::new();
    let file = sources.add("grid.rubric", text);
    let compiled = rubric::compile(&sources, file, &rubric::Options::default());
    let codes: Vec<_> = compiled
        .diagnostics()
        .iter()
        .filter_map(|(_, d)| d.code.clone())
        .collect();
    assert_eq!(codes, ["E1401"], "{:?}", compiled.diagnostics());
}
