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

/// Regression: a numeric id (`"id": 1`) came out as the string `"1"`. It keeps its JSON type and
/// its exact text in decisions and error lines; a string id stays a string; CSV is text.
#[test]
fn a_numeric_id_is_written_back_as_the_same_number() {
    let dir = std::env::temp_dir().join(format!("rubric-numeric-id-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("ids.jsonl");
    std::fs::write(
        &input,
        concat!(
            "{\"id\": 1, \"visits\":2,\"rating\":1,\"plan\":\"basic\",\"active\":true}\n",
            "{\"id\":12.50,\"visits\":2,\"rating\":1,\"plan\":\"basic\",\"active\":true}\n",
            "{\"id\":\"1\",\"visits\":2,\"rating\":1,\"plan\":\"basic\",\"active\":true}\n",
            "{\"id\":-3,\"visits\":2,\"rating\":9,\"plan\":\"basic\",\"active\":true}\n",
            "{\"id\":1e2,\"visits\":2,\"rating\":1,\"amount\":-1e30,\"plan\":\"basic\",\"active\":true}\n",
        ),
    )
    .unwrap();
    let errors = dir.join("errors.jsonl");
    let out = support::command()
        .args(["eval", "tests/eval/hostile.rubric", "--quiet", "--errors"])
        .arg(&errors)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let decisions = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = decisions.lines().collect();
    assert_eq!(lines.len(), 3, "{decisions}");
    assert!(
        lines[0].starts_with("{\"record\":1,\"id\":1,"),
        "{decisions}"
    );
    assert!(
        lines[1].starts_with("{\"record\":2,\"id\":12.50,"),
        "{decisions}"
    );
    assert!(
        lines[2].starts_with("{\"record\":3,\"id\":\"1\","),
        "{decisions}"
    );
    for line in &lines {
        serde_json::from_str::<serde_json::Value>(line).unwrap();
    }
    let errors_text = std::fs::read_to_string(&errors).unwrap();
    let error_lines: Vec<&str> = errors_text.lines().collect();
    assert_eq!(error_lines.len(), 2, "{errors_text}");
    assert!(
        error_lines[0].starts_with("{\"record\":4,\"line\":4,\"id\":-3,"),
        "{errors_text}"
    );
    assert!(
        error_lines[1].starts_with("{\"record\":5,\"line\":5,\"id\":1e2,"),
        "{errors_text}"
    );
    assert!(
        error_lines[1].contains(
            "the number -1e30 is too large (at most 79228162514264337593543950335 either side of zero)"
        ),
        "{errors_text}"
    );
    let csv = support::command()
        .args([
            "eval",
            "tests/eval/hostile.rubric",
            "--quiet",
            "--allow-rejects",
        ])
        .args(["--output-format", "csv"])
        .arg(&input)
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    let ids: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(ids, ["1", "12.50", "1"], "{csv}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs `rubric eval tests/eval/hostile.rubric -` on `input` with `args`: exit code, stdout, stderr.
fn eval_stdin(input: &[u8], args: &[&str]) -> (i32, String, String) {
    use std::io::Write;
    let mut child = support::command()
        .args(["eval", "tests/eval/hostile.rubric", "-"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    (
        support::code(&out),
        support::stdout(&out),
        support::stderr(&out),
    )
}

const GOOD: &str = r#""visits":1,"rating":0,"amount":1,"plan":"basic","active":true}"#;

#[test]
fn a_line_past_the_limit_is_one_rejected_record_and_the_batch_goes_on() {
    // 2 MiB of padding in one line, between two good records.
    let long = format!(r#"{{"id":"long","pad":"{}",{GOOD}"#, "x".repeat(2 << 20));
    let input = format!("{{\"id\":\"a\",{GOOD}\n{long}\n{{\"id\":\"b\",{GOOD}\n");
    let (code, stdout, stderr) = eval_stdin(input.as_bytes(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout.lines().count(), 2);
    assert!(
        stderr.contains("rejected record 2 (line 2): the line is 2097237 bytes long; at most 1048576 are allowed"),
        "{stderr}"
    );
    assert!(stderr.contains("3 records read: 2 decided, 1 rejected (malformed_record 1)"));
    // The same in CSV: a row holding more than the limit.
    let csv = format!(
        "id,visits,rating,amount,plan,active,pad\na,1,0,1,basic,true,\nlong,1,0,1,basic,true,{}\nb,1,0,1,basic,true,\n",
        "y".repeat(2 << 20)
    );
    let (code, stdout, stderr) = eval_stdin(csv.as_bytes(), &["--input-format", "csv"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout.lines().count(), 2);
    assert!(
        stderr.contains("rejected record 2 (line 3): the row holds"),
        "{stderr}"
    );
    assert!(
        stderr.contains("3 records read: 2 decided, 1 rejected"),
        "{stderr}"
    );
}

#[test]
fn an_id_past_the_limit_is_rejected_without_repeating_it() {
    let id = "i".repeat(1025);
    let input = format!(
        "{{\"id\":\"{id}\",{GOOD}\n{{\"id\":\"{}\",{GOOD}\n",
        &id[..1024]
    );
    let (code, stdout, stderr) = eval_stdin(input.as_bytes(), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "an id of 1024 bytes is read");
    assert!(
        stderr.contains(
            "rejected record 1 (line 1): `id`: the id is 1025 bytes long; at most 1024 are allowed"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains(&id));
    let csv = format!("id,visits,rating,amount,plan,active\n{id},1,0,1,basic,true\n");
    let (code, _, stderr) = eval_stdin(csv.as_bytes(), &["--input-format", "csv"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("`id`: the id is 1025 bytes long"),
        "{stderr}"
    );
}

#[test]
fn an_id_field_that_names_an_indicator_is_refused() {
    let input = format!("{{\"id\":\"a\",{GOOD}\n");
    let (code, stdout, stderr) = eval_stdin(input.as_bytes(), &["--id-field", "visits"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("the id field `visits` is an indicator of the policy"),
        "{stderr}"
    );
}
