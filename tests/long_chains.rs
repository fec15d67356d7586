//! Expressions as long as the syntax stage accepts (chains of 1,000 terms, trees nearly 2,000
//! operations high) go through every later stage: checking, lowering, the interpreter (on the
//! batch driver's worker threads too), the policy's tests, both code generators and the
//! documentation. Each of those recurses once per level of the tree, and the syntax stage's limits
//! are what keeps them within their stacks.
//!
//! Unoptimised builds use several times the stack of the release build per level, so the stages
//! the command line runs on its main thread run here on a thread with a large stack; the release
//! binary runs them on its 8 MiB main thread with room to spare (see `syntax::MAX_EXPR_HEIGHT`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rubric::eval::{self, Format, Options};
use rubric::SourceMap;

/// `first` followed by `terms - 1` more terms `op term`, twenty to a line.
fn chain(first: &str, op: &str, term: &str, terms: usize) -> String {
    let mut out = first.to_string();
    for i in 1..terms {
        out.push_str(if i % 20 == 0 { "\n    " } else { " " });
        out.push_str(op);
        out.push(' ');
        out.push_str(term);
    }
    out
}

fn policy() -> String {
    let max = rubric::syntax::MAX_CHAIN_TERMS;
    // A sum of the most terms, whose first term is a product nearly as long: the tree is almost
    // as high as the syntax stage allows.
    let product = chain("x", "*", "1", max - 10);
    let total = chain(&product, "+", "1", max);
    let checks = chain("x >= 1", "and", "x >= 1", max);
    format!(
        r#"policy "Long chains" {{
  version "1.0.0"
  effective 2027-01-01
  score 0 to 100000 starting at 0
}}

indicator x: integer 0 to 10, source "Ledger"

let total = {total}

rule many "Many checks" {{
  when {checks}
  add total
  basis "Regulation, art. 1"
  reason "Every check passed"
}}

tier all "All" at 0 and above

test "one" {{
  given x = 1
  expect score = 1000, tier = all
}}
"#
    )
}

fn on_a_large_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(512 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn the_longest_chains_go_through_every_stage() {
    on_a_large_stack(|| {
        let text = policy();
        let mut sources = SourceMap::new();
        let file = sources.add("long.rubric", text);
        let compiled = rubric::compile(&sources, file, &rubric::Options::default());
        assert!(
            compiled.diagnostics().is_empty(),
            "{:?}",
            compiled.diagnostics()
        );
        let printed = rubric::syntax::print::print(compiled.ast().unwrap());
        match rubric::parse(rubric::FileId(0), &printed) {
            Ok(again) => assert!(
                Some(&again) == compiled.ast(),
                "the printout reads differently"
            ),
            Err(e) => panic!("the printout does not parse: {e}"),
        }
        let policy = compiled.policy().unwrap();

        // The interpreter, on the batch driver's worker threads (their default stacks).
        let records: String = (0..3000)
            .map(|i| format!("{{\"id\":{i},\"x\":{}}}\n", i % 11))
            .collect();
        let options = Options {
            input: Format::Jsonl,
            output: Format::Jsonl,
            id_field: "id".into(),
            threads: 2,
            ..Options::default()
        };
        let mut decisions = Vec::new();
        let summary = eval::run(
            policy,
            &mut records.as_bytes(),
            &mut decisions,
            &mut |e| panic!("{e:?}"),
            &options,
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!((summary.decided, summary.rejected), (3000, 0));
        let first = String::from_utf8(decisions).unwrap();
        let second = first.lines().nth(1).unwrap();
        assert!(second.contains("\"score\":1000"), "{second}");

        let (tests, _) = eval::run_tests(policy);
        assert!(tests.len() == 1 && tests.iter().all(|t| t.passed()));

        let rust = rubric::codegen::rust::generate(
            policy,
            &rubric::codegen::rust::Options {
                crate_name: "long_chains".into(),
                source_name: None,
            },
        )
        .unwrap();
        assert!(!rust.files.is_empty());
        // A chain of `and`s is written flat (`a && b && …`), not with a bracket per term
        // (`((a && b) && c) && …`): rustfmt took minutes over 100 such brackets, so `rubric
        // build` seemed to hang. (Sums nest calls, `arith::add(arith::add(…), …)`, which it
        // formats quickly.)
        let rules = rust
            .files
            .iter()
            .find(|f| f.path == "src/rules.rs")
            .unwrap();
        assert!(
            !rules.contents.contains("(((((((("),
            "bracket per term in src/rules.rs"
        );
        for dialect in [
            rubric::codegen::sql::Dialect::Postgres,
            rubric::codegen::sql::Dialect::DuckDb,
            rubric::codegen::sql::Dialect::Spark,
        ] {
            let sql = rubric::codegen::sql::generate(
                policy,
                &rubric::codegen::sql::Options::new(dialect),
            )
            .unwrap();
            assert!(sql.contains("SELECT"));
        }
        let doc = rubric::docs::build(compiled.model().unwrap(), policy, "long", "rubric docs");
        let pages = rubric::docs::render(&mut [doc], rubric::docs::Format::Both);
        assert!(!pages.is_empty());
    });
}
