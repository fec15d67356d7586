//! In-process throughput of the interpreter on the lending example (`examples/lending.rubric`):
//! 20,000 generated records, JSONL in and out, without any file or pipe. Run with
//! `cargo bench --bench eval`.
//!
//! * `run`: the whole batch, `rubric::eval::run` (what `rubric eval` does per record);
//! * `read`, `evaluate`, `write`: its three stages on their own (parse and validate a line, compute
//!   the decision, write it as JSON), to tell which one a regression is in.
//!
//! The end-to-end comparison with a hand-written program (files, processes, peak memory) is
//! `benches/compare.sh`.

#![allow(clippy::expect_used, clippy::indexing_slicing)]

use rubric::eval::{self, Decision, Evaluator, Format, JsonTemplate, Options, Position};
use rubric::eval::{Record, RecordReader, RecordRef};
use rubric::ir::Policy;
use rubric::SourceMap;

const RECORDS: usize = 20_000;

fn main() {
    divan::main();
}

fn lending() -> Policy {
    let mut sources = SourceMap::new();
    let file = sources.add(
        "examples/lending.rubric",
        include_str!("../examples/lending.rubric"),
    );
    rubric::compile(&sources, file, &rubric::Options::default())
        .into_policy()
        .map(|(policy, _warnings)| policy)
        .expect("examples/lending.rubric compiles")
}

/// `count` lending records as JSON lines, as `rubric gen` writes them (deterministic: seed 7).
fn records(count: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(count * 240);
    rubric::gen::generate(&lending(), count as u64, 7, &mut out).expect("records are generated");
    out
}

fn options() -> Options {
    Options {
        input: Format::Jsonl,
        output: Format::Jsonl,
        id_field: "id".to_string(),
        ..Options::default()
    }
}

/// The whole batch: read, validate, evaluate and write 20,000 records.
#[divan::bench(sample_count = 20)]
fn run(bencher: divan::Bencher) {
    let policy = lending();
    let input = records(RECORDS);
    let options = options();
    let mut output = Vec::with_capacity(RECORDS * 1600);
    bencher
        .counter(divan::counter::ItemsCount::new(RECORDS))
        .bench_local(|| {
            output.clear();
            let summary = eval::run(
                &policy,
                &mut divan::black_box(input.as_slice()),
                &mut output,
                &mut |_rejected| Ok(()),
                &options,
                &mut |_, _| {},
            )
            .expect("in-memory I/O cannot fail");
            assert_eq!((summary.decided, summary.rejected), (RECORDS as u64, 0));
        });
}

fn lines(input: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    input
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .zip(1..)
        .map(|(line, n)| (n, line))
}

/// Parsing and validating the lines only.
#[divan::bench(sample_count = 20)]
fn read(bencher: divan::Bencher) {
    let policy = lending();
    let input = records(RECORDS);
    let reader = RecordReader::new(&policy, "id");
    let mut record = Record::default();
    bencher
        .counter(divan::counter::ItemsCount::new(RECORDS))
        .bench_local(|| {
            for (n, line) in lines(divan::black_box(&input)) {
                let at = Position { record: n, line: n };
                reader.json(line, at, &mut record).expect("valid record");
            }
        });
}

/// Already validated records → decisions.
#[divan::bench(sample_count = 20)]
fn evaluate(bencher: divan::Bencher) {
    let policy = lending();
    let input = records(RECORDS);
    let reader = RecordReader::new(&policy, "id");
    let records: Vec<Record> = lines(&input)
        .map(|(n, line)| {
            let mut record = Record::default();
            let at = Position { record: n, line: n };
            reader.json(line, at, &mut record).expect("valid record");
            record
        })
        .collect();
    let evaluator = Evaluator::new(&policy);
    let mut decision = Decision::default();
    bencher
        .counter(divan::counter::ItemsCount::new(RECORDS))
        .bench_local(|| {
            for record in divan::black_box(&records) {
                evaluator
                    .evaluate_into(&record.values, &mut decision, rubric::runtime::Needs::ALL)
                    .expect("no arithmetic error");
            }
        });
}

/// Decisions → JSON lines.
#[divan::bench(sample_count = 20)]
fn write(bencher: divan::Bencher) {
    let policy = lending();
    let input = records(RECORDS);
    let reader = RecordReader::new(&policy, "id");
    let evaluator = Evaluator::new(&policy);
    let decided: Vec<(Record, Decision)> = lines(&input)
        .map(|(n, line)| {
            let mut record = Record::default();
            let at = Position { record: n, line: n };
            reader.json(line, at, &mut record).expect("valid record");
            let decision = evaluator.evaluate(&record.values).expect("decided");
            (record, decision)
        })
        .collect();
    let template = JsonTemplate::new(&policy);
    let mut output = Vec::with_capacity(RECORDS * 1600);
    bencher
        .counter(divan::counter::ItemsCount::new(RECORDS))
        .bench_local(|| {
            output.clear();
            for (n, (record, decision)) in (1..).zip(divan::black_box(&decided)) {
                let at = RecordRef {
                    record: n,
                    id: record.id.as_ref(),
                };
                template.write(&mut output, at, decision, &record.values);
            }
        });
}
