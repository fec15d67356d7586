//! How long `rubric check` takes on generated policies of 1,000 and 10,000 rules: the whole
//! compilation (parse, check, lower, verify) as `rubric check` runs it, parsing alone, and the
//! checker alone (the AST is parsed once, outside). Run with `cargo bench --bench check`. The goal:
//! 10,000 rules well under one second, growing linearly with policy size.

use rubric::{check, compile, parse, FileId, Options, SourceMap};

fn main() {
    divan::main();
}

#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn compile_all(bencher: divan::Bencher, rules: usize) {
    let text = rubric::testing::generated_policy(rules);
    let mut sources = SourceMap::new();
    let file = sources.add("generated.rubric", text.clone());
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| {
            let compiled = compile(divan::black_box(&sources), file, &Options::default());
            assert!(!compiled.has_errors());
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
    let options = Options::default();
    bencher.bench(|| {
        ast.as_ref()
            .map(|ast| !check(divan::black_box(ast), &options).has_errors())
    });
}
