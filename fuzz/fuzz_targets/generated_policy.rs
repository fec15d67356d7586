//! Structure-aware: the bytes are the choices of the random policy generator of the differential
//! tests (`tests/codegen/policies.rs`), which always writes a valid policy using every construct
//! of the language. Each policy goes through every stage: parse → print → parse (the same tree),
//! check (no errors), lower, its own tests, the documentation in both formats, the Rust and SQL
//! backends, the record generator, and the interpreter on generated and hostile records.

#![no_main]

use rubric::codegen::{rust, sql};
use rubric::SourceMap;
use rubric_fuzz::policies::{render, Recipe};
use rubric_fuzz::{interpret, records, Outcome, Run};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let choices: Vec<u32> = data
        .chunks(4)
        .map(|c| c.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b)))
        .collect();
    let text = render(&Recipe(choices));
    let mut sources = SourceMap::new();
    let file = sources.add("generated.rubric", text.as_str());
    let compilation = rubric::compile(&sources, file, &rubric::Options::default());
    let ast = compilation
        .ast()
        .unwrap_or_else(|| panic!("a generated policy parses:\n{text}"));
    let printed = rubric::syntax::print::print(ast);
    let again = rubric::parse(file, &printed).unwrap_or_else(|e| {
        panic!("the printout does not parse: {e:?}\n{printed}\nprinted from:\n{text}")
    });
    assert_eq!(
        ast.items, again.items,
        "the printout reads back as the same tree"
    );
    assert!(
        !compilation.has_errors(),
        "a generated policy checks:\n{text}\n{:?}",
        compilation.diagnostics()
    );
    let policy = compilation.policy().expect("a checked policy lowers");

    // Its tests run (a generated policy's own tests need not pass: only no panic).
    rubric::eval::run_tests(policy);
    let compiled = vec![(compilation, "generated".to_string())];
    let pages = rubric::document(
        &compiled,
        "rubric docs generated.rubric",
        rubric::docs::Format::Both,
    )
    .expect("a checked policy has documentation");
    assert!(!pages.is_empty());
    let policy = compiled[0].0.policy().expect("lowered");

    let options = rust::Options {
        crate_name: "generated".into(),
        source_name: Some("generated.rubric".into()),
    };
    rust::generate(policy, &options).expect("the Rust backend takes every checked policy");
    for dialect in [
        sql::Dialect::Postgres,
        sql::Dialect::DuckDb,
        sql::Dialect::Spark,
    ] {
        // A policy may use what a dialect cannot express; that is an error, never a panic.
        let _ = sql::generate(policy, &sql::Options::new(dialect));
    }

    let mut sample = Vec::new();
    rubric::gen::generate(policy, 20, 7, &mut sample).expect("records for a checked policy");
    let jsonl = Run::from_byte(0);
    let generated = interpret(policy, &sample, jsonl);
    assert!(matches!(generated, Outcome::Ran { .. }), "{generated:?}");
    // Hostile records too, in both formats (`interpret` checks every batch's accounting).
    let seed = data.len() as u64;
    interpret(policy, &records::jsonl(policy, seed, 40), jsonl);
    interpret(
        policy,
        &records::csv(policy, seed, 20),
        Run::from_byte(1 | 2),
    );
});
