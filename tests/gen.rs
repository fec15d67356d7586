//! `rubric gen` end to end: deterministic output, a coverage summary, output files and formats,
//! exit codes, and records that `rubric eval` decides without a single rejection.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn rubric(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rubric"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("the rubric binary runs")
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rubric-gen-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

const EXAMPLES: [&str; 3] = ["civic_trust", "driving_licence", "lending"];

#[test]
fn output_is_deterministic_and_depends_on_the_seed() {
    let a = rubric(&[
        "gen",
        "examples/lending.rubric",
        "--records",
        "300",
        "--seed",
        "5",
    ]);
    let b = rubric(&[
        "gen",
        "examples/lending.rubric",
        "--records",
        "300",
        "--seed",
        "5",
    ]);
    let c = rubric(&[
        "gen",
        "examples/lending.rubric",
        "--records",
        "300",
        "--seed",
        "6",
    ]);
    assert_eq!(code(&a), 0, "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
    assert_ne!(a.stdout, c.stdout);
    assert_eq!(a.stdout.iter().filter(|b| **b == b'\n').count(), 300);
    let first = String::from_utf8_lossy(&a.stdout);
    assert!(first.starts_with("{\"id\":\"r000001\",\"age\":"), "{first}");
}

#[test]
fn the_summary_is_one_line_naming_every_tier_and_consequence() {
    let out = rubric(&["gen", "examples/civic_trust.rubric", "--records", "200"]);
    assert_eq!(code(&out), 0);
    let summary = stderr(&out);
    assert_eq!(summary.lines().count(), 1, "{summary}");
    assert!(summary.starts_with("200 records"), "{summary}");
    assert!(summary.contains("tiers 6/6"), "{summary}");
    assert!(summary.contains("consequences 3/3"), "{summary}");
    assert!(!summary.contains("not reached"), "{summary}");
    let quiet = rubric(&["gen", "examples/civic_trust.rubric", "-n", "5", "--quiet"]);
    assert!(quiet.stderr.is_empty());
}

#[test]
fn generated_records_are_all_decided_and_cover_the_policy() {
    for name in EXAMPLES {
        let policy = format!("examples/{name}.rubric");
        let data = temp(&format!("{name}.jsonl"));
        let data = data.to_str().unwrap();
        let out = rubric(&["gen", &policy, "--records", "200", "--output", data]);
        assert_eq!(code(&out), 0, "{name}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
        let eval = rubric(&["eval", &policy, data, "--output", &format!("{data}.out")]);
        assert_eq!(code(&eval), 0, "{name}: {}", stderr(&eval));
        let summary = stderr(&eval);
        assert!(
            summary.contains("200 records read: 200 decided, 0 rejected"),
            "{summary}"
        );
        assert!(!summary.contains("(no tier)"), "{summary}");
    }
}

#[test]
fn csv_output_by_extension_or_flag() {
    let path = temp("lending.csv");
    let path = path.to_str().unwrap();
    let out = rubric(&["gen", "examples/lending.rubric", "-n", "50", "-o", path]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.starts_with("id,age,annual_income,debt_to_income,"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 51);
    let flagged = rubric(&[
        "gen",
        "examples/lending.rubric",
        "-n",
        "50",
        "--format",
        "csv",
    ]);
    assert_eq!(flagged.stdout, text.as_bytes());
    let eval = rubric(&[
        "eval",
        "examples/lending.rubric",
        path,
        "-o",
        &format!("{path}.out"),
    ]);
    assert_eq!(code(&eval), 0, "{}", stderr(&eval));
}

#[test]
fn the_shipped_samples_are_what_gen_makes() {
    for name in EXAMPLES {
        let out = rubric(&["gen", &format!("examples/{name}.rubric"), "-n", "200"]);
        let shipped = std::fs::read(format!(
            "{}/examples/{name}.jsonl",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        assert!(
            out.stdout == shipped,
            "examples/{name}.jsonl is stale: regenerate it with `rubric gen examples/{name}.rubric -n 200 -o examples/{name}.jsonl`"
        );
    }
    let out = rubric(&[
        "gen",
        "examples/lending.rubric",
        "-n",
        "200",
        "--format",
        "csv",
    ]);
    let shipped = std::fs::read(format!(
        "{}/examples/lending.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert!(out.stdout == shipped, "examples/lending.csv is stale");
}

#[test]
fn gen_pipes_into_eval() {
    let mut gen = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .args(["gen", "examples/driving_licence.rubric", "-n", "500", "-q"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let eval = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .args(["eval", "examples/driving_licence.rubric"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(gen.stdout.take().unwrap())
        .output()
        .unwrap();
    assert!(gen.wait().unwrap().success());
    assert_eq!(code(&eval), 0, "{}", stderr(&eval));
    assert_eq!(eval.stdout.iter().filter(|b| **b == b'\n').count(), 500);
}

#[test]
fn failures_exit_2_and_unreached_targets_exit_1_only_when_required() {
    assert_eq!(code(&rubric(&["gen", "no/such/policy.rubric"])), 2);
    assert_eq!(
        code(&rubric(&["gen", "examples/broken/02_unknown_names.rubric"])),
        2
    );
    assert_eq!(
        code(&rubric(&[
            "gen",
            "examples/lending.rubric",
            "--records",
            "many"
        ])),
        2
    );
    assert_eq!(
        code(&rubric(&[
            "gen",
            "examples/lending.rubric",
            "-n",
            "1",
            "-o",
            "no/such/dir/out.jsonl"
        ])),
        2
    );
    // One record cannot show four tiers.
    let few = rubric(&["gen", "examples/lending.rubric", "-n", "1"]);
    assert_eq!(code(&few), 0);
    assert!(
        stderr(&few).contains("not reached: tier"),
        "{}",
        stderr(&few)
    );
    let strict = rubric(&[
        "gen",
        "examples/lending.rubric",
        "-n",
        "1",
        "--require-coverage",
    ]);
    assert_eq!(code(&strict), 1);
    let enough = rubric(&[
        "gen",
        "examples/lending.rubric",
        "-n",
        "200",
        "--require-coverage",
    ]);
    assert_eq!(code(&enough), 0, "{}", stderr(&enough));
}

#[test]
fn set_overrides_a_param_and_help_has_examples() {
    let out = rubric(&[
        "gen",
        "examples/lending.rubric",
        "-n",
        "10",
        "--set",
        "large_loan_penalty=45",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let bad = rubric(&["gen", "examples/lending.rubric", "--set", "nope=1"]);
    assert_eq!(code(&bad), 2);
    let help = rubric(&["gen", "--help"]);
    assert_eq!(code(&help), 0);
    assert!(String::from_utf8_lossy(&help.stdout).contains("Examples:"));
}
