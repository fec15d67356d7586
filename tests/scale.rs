//! A generated policy of 10,000 rules checks cleanly, range analysis and monotonicity proof
//! included (its speed is measured in `benches/`, not here).

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
