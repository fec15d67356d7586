//! `rubric eval` on hostile input through the command line: every kind of bad record is rejected
//! with its own error, the batch goes on, the counts add up, and the exit code says so.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::collections::BTreeSet;

#[test]
fn every_kind_of_bad_record_is_rejected_and_counted() {
    let dir = std::env::temp_dir().join(format!("rubric-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let errors = dir.join("errors.jsonl");
    let out = support::command()
        .args([
            "eval",
            "tests/eval/hostile.rubric",
            "tests/eval/hostile.jsonl",
            "--errors",
        ])
        .arg(&errors)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "rejections exit 1");
    let decisions = String::from_utf8(out.stdout).unwrap();
    let errors_text = std::fs::read_to_string(&errors).unwrap();
    let kinds: BTreeSet<String> = errors_text
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["error"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for kind in [
        "malformed_record",
        "missing_field",
        "wrong_type",
        "out_of_range",
        "unknown_member",
        "overflow",
        "division_by_zero",
        "invalid_utf8",
    ] {
        assert!(kinds.contains(kind), "no {kind} error in {errors_text}");
    }
    let summary = String::from_utf8(out.stderr).unwrap();
    let (decided, rejected) = (decisions.lines().count(), errors_text.lines().count());
    assert!(
        summary.contains(&format!(
            "{} records read: {decided} decided, {rejected} rejected",
            decided + rejected
        )),
        "{summary}"
    );

    let allowed = support::command()
        .args([
            "eval",
            "--allow-rejects",
            "--quiet",
            "tests/eval/hostile.rubric",
            "tests/eval/hostile.jsonl",
            "--errors",
        ])
        .arg(&errors)
        .output()
        .unwrap();
    assert_eq!(allowed.status.code(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_examples_own_tests_pass() {
    let out = support::command()
        .args([
            "test",
            "examples/civic_trust.rubric",
            "examples/driving_licence.rubric",
            "examples/lending.rubric",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

#[test]
fn a_failing_policy_test_shows_expected_and_actual_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("rubric-failing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/eval/reasons.rubric")).unwrap()
        + "\ntest \"wrong on purpose\" {\n  given a = 2, b = 2, c = 0\n  expect score = 100, first = 40\n}\n";
    let file = dir.join("failing.rubric");
    std::fs::write(&file, policy).unwrap();
    let run = |format: &str| {
        support::command()
            .args(["test", "--format", format])
            .arg(&file)
            .output()
            .unwrap()
    };
    let human = run("human");
    assert_eq!(human.status.code(), Some(1));
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("score: expected 100, got 110"), "{text}");
    assert!(
        text.contains("rule `first`: expected +40, got +50"),
        "{text}"
    );
    assert!(text.contains("0 passed, 1 failed"), "{text}");
    let junit = String::from_utf8(run("junit").stdout).unwrap();
    assert!(
        junit.contains("<failure message=\"score: expected 100, got 110\">"),
        "{junit}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
