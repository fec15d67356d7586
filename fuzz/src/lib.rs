//! What Rubric's fuzz targets share: the policies they run, compiled once, and the invariants
//! every run must keep (each record accounted for, well-formed output, bounded diagnostics).
//!
//! A failed invariant panics: that is how a fuzz target reports a defect.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rubric::eval::{Format, Options, RecordError, Summary};
use rubric::ir::Policy;
use rubric::SourceMap;
use std::sync::OnceLock;

/// The random policy generator of the differential tests (`tests/codegen/policies.rs`): a
/// policy rendered from a list of choices.
#[path = "../../tests/codegen/policies.rs"]
#[allow(dead_code, clippy::all)]
pub mod policies;

/// Valid and hostile records for any policy (`tests/codegen/records.rs`).
#[path = "../../tests/codegen/records.rs"]
#[allow(dead_code, clippy::all)]
pub mod records;

/// The policies the record targets run: the examples and the hostile-input fixture, by the name
/// of the evaluator `scripts/fuzz.sh` generates for each.
pub const POLICIES: &[(&str, &str)] = &[
    ("lending", include_str!("../../examples/lending.rubric")),
    ("hostile", include_str!("../../tests/eval/hostile.rubric")),
    (
        "driving_licence",
        include_str!("../../examples/driving_licence.rubric"),
    ),
    (
        "civic_trust",
        include_str!("../../examples/civic_trust.rubric"),
    ),
];

/// [`POLICIES`], compiled (once per process).
pub fn policies() -> &'static [Policy] {
    static COMPILED: OnceLock<Vec<Policy>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        POLICIES
            .iter()
            .map(|(name, text)| compile(name, text).expect("the shipped policies compile"))
            .collect()
    })
}

/// Compiles `text`: its policy, or `None` when it has errors.
pub fn compile(name: &str, text: &str) -> Option<Policy> {
    let mut sources = SourceMap::new();
    let file = sources.add(format!("{name}.rubric"), text);
    rubric::compile(&sources, file, &rubric::Options::default())
        .into_policy()
        .ok()
        .map(|(policy, _)| policy)
}

/// How a record target runs a batch, drawn from one byte.
#[derive(Clone, Copy, Debug)]
pub struct Run {
    pub input: Format,
    pub output: Format,
    pub threads: usize,
}

impl Run {
    pub fn from_byte(b: u8) -> Run {
        let format = |bit: u8| {
            if b & bit == 0 {
                Format::Jsonl
            } else {
                Format::Csv
            }
        };
        Run {
            input: format(1),
            output: format(2),
            threads: if b & 4 == 0 { 1 } else { 2 },
        }
    }

    pub fn options(self) -> Options {
        Options {
            input: self.input,
            output: self.output,
            id_field: "id".into(),
            threads: self.threads,
            ..Options::default()
        }
    }
}

/// What a batch wrote: decisions, rejected records (as their JSON lines) and the summary, or the
/// error that stopped it (a CSV header that cannot be read, say).
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Ran {
        decisions: Vec<u8>,
        errors: Vec<String>,
        summary: String,
    },
    Stopped(String),
}

/// Runs `input` through the interpreter's batch driver and checks the batch's invariants.
pub fn interpret(policy: &Policy, input: &[u8], run: Run) -> Outcome {
    let mut decisions = Vec::new();
    let mut errors: Vec<RecordError> = Vec::new();
    let result = rubric::eval::run(
        policy,
        &mut &input[..],
        &mut decisions,
        &mut |e| {
            errors.push(e.clone());
            Ok(())
        },
        &run.options(),
        &mut |_, _| {},
    );
    let summary = match result {
        Ok(summary) => summary,
        Err(e) => return Outcome::Stopped(e.to_string()),
    };
    check_batch(&summary, &decisions, errors.len(), run.output);
    Outcome::Ran {
        decisions,
        errors: errors
            .iter()
            .map(|e| serde_json::to_string(e).unwrap())
            .collect(),
        summary: summary.describe(),
    }
}

/// Every record is accounted for, once; the output is well-formed and holds one decision per
/// decided record.
pub fn check_batch(summary: &Summary, decisions: &[u8], errors: usize, output: Format) {
    assert_eq!(
        summary.read,
        summary.decided + summary.rejected,
        "{summary:?}"
    );
    assert_eq!(
        summary.rejected as usize, errors,
        "every rejection reported once"
    );
    let text = std::str::from_utf8(decisions).expect("decisions are UTF-8");
    match output {
        Format::Jsonl => {
            let mut count = 0;
            for line in text.lines() {
                let value: serde_json::Value =
                    serde_json::from_str(line).expect("each decision is one JSON line");
                assert!(value.is_object(), "{line}");
                count += 1;
            }
            assert_eq!(count, summary.decided, "one line per decision");
        }
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(decisions);
            let width = reader.headers().expect("a CSV header").len();
            let mut count = 0;
            for row in reader.records() {
                let row = row.expect("each decision is one CSV row");
                assert_eq!(row.len(), width);
                count += 1;
            }
            assert_eq!(count, summary.decided, "one row per decision");
        }
    }
}
