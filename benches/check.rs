//! How long `rubric check` takes (parse + check) on generated policies of 1,000 and 10,000 rules.
//! Run with `cargo bench --bench check`. The goal: 10,000 rules well under one second, growing
//! linearly with policy size. `check_only` isolates the checker (the AST is parsed once, outside).

use rubric::{check, parse, FileId};

fn main() {
    divan::main();
}

#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn parse_and_check(bencher: divan::Bencher, rules: usize) {
    let text = rubric::testing::generated_policy(rules);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| {
            let ast = parse(FileId(0), divan::black_box(&text)).map_err(|e| e.message);
            let ok = ast.as_ref().map(|ast| check(ast).is_ok());
            assert_eq!(ok, Ok(true));
        });
}

#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn parse_only(bencher: divan::Bencher, rules: usize) {
    let text = rubric::testing::generated_policy(rules);
    bencher.bench(|| parse(FileId(0), divan::black_box(&text)).is_ok());
}

#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn check_only(bencher: divan::Bencher, rules: usize) {
    let text = rubric::testing::generated_policy(rules);
    let ast = parse(FileId(0), &text).ok();
    bencher.bench(|| ast.as_ref().map(|ast| check(divan::black_box(ast)).is_ok()));
}
