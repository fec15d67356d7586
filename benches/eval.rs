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
    rubric::compile(&sources, file, &[])
        .map(|(policy, _warnings)| policy)
        .expect("examples/lending.rubric compiles")
}

/// A small deterministic generator (SplitMix64), so that every run scores the same records.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `count` valid lending records as JSON lines, with the spread of `benches/gen_lending.py`:
/// every bin used, some employment statuses and utilisations missing, decimals with and without
/// fractions.
fn records(count: usize) -> Vec<u8> {
    const EMPLOYMENT: [&str; 6] = [
        "permanent",
        "contract",
        "self_employed",
        "retired",
        "student",
        "unemployed",
    ];
    let mut rng = Rng(7);
    let mut out = String::with_capacity(count * 240);
    for n in 1..=count {
        let age = 18 + rng.below(25) + rng.below(25) + rng.below(5) / 4 * rng.below(33);
        let income = 6000 + rng.below(34_000) + rng.below(40_000);
        let income = match rng.below(10) {
            0..=5 => income.to_string(),
            6..=8 => format!("{income}.{:02}", rng.below(100)),
            _ => format!("{income}.00"),
        };
        let dti = if rng.below(100) < 3 {
            700 + rng.below(4301)
        } else {
            rng.below(400) + rng.below(300)
        };
        let months = (rng.below(48) + rng.below(2) * rng.below(240)).min(1200);
        let employment = match rng.below(100) {
            0..=92 => format!(
                r#""employment_status":"{}","#,
                EMPLOYMENT[(rng.below(6)) as usize]
            ),
            93..=95 => r#""employment_status":null,"#.to_string(),
            _ => String::new(),
        };
        let delinquencies = match rng.below(100) {
            0..=69 => 0,
            70..=84 => 1,
            85..=91 => 2,
            _ => 3 + rng.below(7),
        };
        let utilisation = if rng.below(10) == 0 {
            String::new()
        } else {
            let u = (rng.below(600) + rng.below(500)).min(1000);
            format!(r#""credit_utilisation":{}.{},"#, u / 10, u % 10)
        };
        let accounts = rng.below(7) + rng.below(7);
        let bankrupt = rng.below(100) < 4;
        let loan = if rng.below(100) < 15 {
            300 + rng.below(701)
        } else {
            5 + rng.below(295)
        } * 100;
        out.push_str(&format!(
            concat!(
                r#"{{"id":"app-{:07}","age":{},"annual_income":{},"debt_to_income":{}.{},"#,
                r#""months_at_address":{},{}"delinquencies_24m":{},{}"open_accounts":{},"#,
                r#""has_bankruptcy":{},"loan_amount":{}}}"#,
                "\n"
            ),
            n,
            age,
            income,
            dti / 10,
            dti % 10,
            months,
            employment,
            delinquencies,
            utilisation,
            accounts,
            bankrupt,
            loan
        ));
    }
    out.into_bytes()
}

fn options() -> Options {
    Options {
        input: Format::Jsonl,
        output: Format::Jsonl,
        id_field: "id".to_string(),
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
                    .evaluate_into(&record.values, &mut decision)
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
                    id: record.id.as_deref(),
                };
                template.write(&mut output, at, decision, &record.values);
            }
        });
}
