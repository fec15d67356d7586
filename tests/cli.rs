//! The command-line contract that deployment tooling relies on: exit codes, output formats, and
//! that every diagnostic code is documented and demonstrated.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use support::*;

use std::path::Path;

fn files_in(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rubric"))
        .map(|p| format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    files.sort();
    files
}

#[test]
fn shipped_examples_are_clean_even_with_warnings_denied() {
    for file in files_in("examples") {
        let out = rubric(&["check", "--deny-warnings", &file]);
        assert_eq!(
            code(&out),
            0,
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn broken_examples_fail_with_located_coded_errors() {
    let files = files_in("examples/broken");
    assert!(!files.is_empty());
    for file in files {
        let out = rubric(&["check", &file]);
        assert_eq!(code(&out), 1, "{file}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("error[E"),
            "{file}: no coded error in {stderr}"
        );
        assert!(
            stderr.contains(&format!("{file}:")),
            "{file}: no location in {stderr}"
        );
    }
}

#[test]
fn warnings_fail_only_when_denied() {
    let file = "tests/ui/W0900_unused_indicator.rubric";
    assert_eq!(code(&rubric(&["check", file])), 0);
    assert_eq!(code(&rubric(&["check", "--deny-warnings", file])), 1);
}

#[test]
fn unreadable_input_and_bad_usage_exit_2() {
    assert_eq!(code(&rubric(&["check", "no/such/file.rubric"])), 2);
    assert_eq!(code(&rubric(&["check"])), 2);
    assert_eq!(code(&rubric(&["frobnicate"])), 2);
    assert_eq!(code(&rubric(&["explain", "E9999"])), 2);
}

#[test]
fn eval_refuses_unknown_fields_and_zero_threads() {
    let policy = "examples/lending.rubric";
    let input = "examples/lending.jsonl";
    for args in [
        &["--fields", "id,scores"][..],
        &["--fields", ","],
        &["--output-format", "csv", "--fields", "id,unknown"],
        &["--threads", "0"],
        &["--threads", "many"],
    ] {
        let mut command = vec!["eval", policy, input];
        command.extend_from_slice(args);
        let output = rubric(&command);
        assert_eq!(code(&output), 2, "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("error"),
            "{args:?}"
        );
    }
}

#[test]
fn explained_compact_decisions_carry_the_explanation() {
    let output = rubric(&[
        "eval",
        "--quiet",
        "--explain",
        "--fields",
        "id",
        "examples/lending.rubric",
        "examples/lending.jsonl",
    ]);
    assert_eq!(code(&output), 0);
    let text = String::from_utf8(output.stdout).unwrap();
    for line in text.lines() {
        let decision: serde_json::Value = serde_json::from_str(line).unwrap();
        let members: Vec<&String> = decision.as_object().unwrap().keys().collect();
        assert_eq!(members, ["explanation", "id"], "{line}");
    }
    // Only an explanation: the object must still be valid JSON.
    let output = rubric(&[
        "eval",
        "--quiet",
        "--explain",
        "--fields",
        "invalid_as_missing",
        "examples/lending.rubric",
        "examples/lending.jsonl",
    ]);
    let text = String::from_utf8(output.stdout).unwrap();
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("{\"explanation\":"), "{first}");
    serde_json::from_str::<serde_json::Value>(first).unwrap();
}

#[test]
fn json_output_is_machine_readable() {
    let out = rubric(&[
        "check",
        "--format",
        "json",
        "examples/broken/02_unknown_names.rubric",
    ]);
    assert_eq!(code(&out), 1);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json["errors"].as_u64().unwrap() >= 1);
    let first = &json["diagnostics"][0];
    for field in [
        "severity", "code", "message", "file", "line", "column", "labels",
    ] {
        assert!(!first[field].is_null(), "missing {field} in {first}");
    }
    assert!(first["labels"][0]["primary"].as_bool().unwrap());
}

#[test]
fn every_code_is_explained_and_has_a_ui_fixture() {
    let fixtures = files_in("tests/ui");
    let list = rubric(&["explain", "--list"]);
    assert_eq!(code(&list), 0);
    let listing = String::from_utf8_lossy(&list.stdout);
    let codes: Vec<&str> = listing
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(codes.len() >= 30, "{listing}");
    for c in codes {
        let out = rubric(&["explain", c]);
        assert_eq!(code(&out), 0, "{c}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Example"), "{c}: explanation has no example");
        assert!(!text.contains("PLACEHOLDER"), "{c}");
        assert!(
            fixtures
                .iter()
                .any(|f| f.starts_with(&format!("tests/ui/{c}_"))),
            "{c} has no ui fixture"
        );
    }
}

#[test]
fn help_shows_examples() {
    let out = rubric(&["check", "--help"]);
    assert_eq!(code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Examples:"));
}

#[test]
fn readme_language_tour_checks_cleanly() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("```rubric\n")
        .expect("README has a rubric example")
        + "```rubric\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let dir = std::env::temp_dir().join(format!("rubric-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tour.rubric");
    std::fs::write(&file, &readme[start..end]).unwrap();
    let out = rubric(&["check", "--deny-warnings", file.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn json_of(args: &[&str]) -> (i32, serde_json::Value) {
    let out = rubric(args);
    let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (code(&out), value)
}

fn schema(path: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, instance: &serde_json::Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// A check of several files with errors, warnings, secondary labels, notes and suppressions.
const MIXED: [&str; 4] = [
    "tests/ui/W1200_unused_suppression.rubric",
    "tests/ui/E1100_non_monotone_bins.rubric",
    "tests/ui/W1000_clamping_allowed_with_reason.rubric",
    "tests/ui/W0500_no_appeal.rubric",
];

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let validator = schema("tests/sarif-schema-2.1.0.json");
    let mut args = vec!["check", "--format", "sarif"];
    args.extend(MIXED);
    let (status, log) = json_of(&args);
    assert_eq!(status, 1);
    assert_valid(&validator, &log, "SARIF log");
    for file in files_in("examples")
        .iter()
        .chain(&files_in("examples/broken"))
    {
        let (_, log) = json_of(&["check", "--format", "sarif", file]);
        assert_valid(&validator, &log, file);
    }
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(
        rules.len(),
        rubric::diagnostics::Code::ALL.len(),
        "one rule per diagnostic code"
    );
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    // The suppressed warning is a result with its written reason.
    let suppressed: Vec<&serde_json::Value> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(
        suppressed.len(),
        2,
        "W1000 in the header, W1001 on the tier"
    );
    // The snapshot shows everything but the explanation texts, which have their own tests.
    let mut shown = log.clone();
    for rule in shown["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .unwrap()
    {
        let id = rule["id"].as_str().unwrap().to_string();
        rule["help"] =
            serde_json::json!({ "text": format!("<rubric explain {id}>"), "markdown": "<…>" });
        rule["fullDescription"] = serde_json::json!({ "text": "<first paragraph>" });
    }
    shown["runs"][0]["tool"]["driver"]["semanticVersion"] = serde_json::json!("<version>");
    insta::assert_snapshot!("sarif_mixed", serde_json::to_string_pretty(&shown).unwrap());
}

#[test]
fn json_output_follows_the_documented_schema() {
    let validator = schema("docs/diagnostics.schema.json");
    let mut args = vec!["check", "--format", "json"];
    args.extend(MIXED);
    let (status, report) = json_of(&args);
    assert_eq!(status, 1);
    assert_valid(&validator, &report, "mixed");
    assert_eq!(report["version"], 1);
    assert_eq!(report["suppressed"].as_array().unwrap().len(), 2);
    assert!(report["suppressed"][0]["suppression"]["reason"]
        .as_str()
        .unwrap()
        .contains("2028"));
    let mut all = files_in("tests/ui");
    all.extend(files_in("examples"));
    all.extend(files_in("examples/broken"));
    for file in all {
        let (_, report) = json_of(&["check", "--format", "json", &file]);
        assert_valid(&validator, &report, &file);
    }
}

#[test]
fn strict_makes_due_process_warnings_errors() {
    for file in [
        "tests/ui/W0500_no_appeal.rubric",
        "tests/ui/W0501_no_basis.rubric",
        "tests/ui/W0600_rule_without_basis.rubric",
        "tests/ui/W0601_rule_without_reason.rubric",
    ] {
        assert_eq!(code(&rubric(&["check", file])), 0, "{file}");
        let (status, report) = json_of(&["check", "--strict", "--format", "json", file]);
        assert_eq!(status, 1, "{file}");
        assert_eq!(report["diagnostics"][0]["severity"], "error", "{file}");
        assert!(report["errors"].as_u64().unwrap() >= 1);
    }
    // Other warnings stay warnings.
    let file = "tests/ui/W0900_unused_indicator.rubric";
    assert_eq!(code(&rubric(&["check", "--strict", file])), 0);
}

#[test]
fn suppressed_warnings_do_not_count_but_are_listed() {
    let file = "examples/driving_licence.rubric";
    let (status, report) = json_of(&["check", "--deny-warnings", "--format", "json", file]);
    assert_eq!(status, 0);
    assert_eq!(report["warnings"], 0);
    assert_eq!(report["suppressed"][0]["code"], "W1000");
}

#[test]
fn build_writes_a_crate_and_fails_with_exit_2() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-build");
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("lending");
    let ok = rubric(&[
        "build",
        "examples/lending.rubric",
        "--target",
        "rust",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&ok), 0, "{}", String::from_utf8_lossy(&ok.stderr));
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "src/lib.rs",
        "src/main.rs",
        "src/runtime/mod.rs",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    // --set compiles a param in: it shows in the identity of every decision.
    let what_if = dir.join("what-if");
    let set = rubric(&[
        "build",
        "examples/lending.rubric",
        "--target",
        "rust",
        "--set",
        "large_loan_penalty=60",
        "-o",
        what_if.to_str().unwrap(),
    ]);
    assert_eq!(code(&set), 0);
    let output = std::fs::read_to_string(what_if.join("src/output.rs")).unwrap();
    assert!(output.contains("overrides"), "{output}");
    // A policy with errors, an unknown target, a bad --set, an unwritable directory.
    std::fs::write(dir.join("file"), "").unwrap();
    let blocked = dir.join("file").join("crate");
    for args in [
        vec![
            "build",
            "examples/broken/02_unknown_names.rubric",
            "--target",
            "rust",
            "-o",
            "x",
        ],
        vec![
            "build",
            "examples/lending.rubric",
            "--target",
            "cobol",
            "-o",
            "x",
        ],
        vec![
            "build",
            "examples/lending.rubric",
            "--target",
            "rust",
            "--set",
            "nope=1",
            "-o",
            "x",
        ],
        vec![
            "build",
            "examples/lending.rubric",
            "--target",
            "rust",
            "-o",
            blocked.to_str().unwrap(),
        ],
    ] {
        let failed = rubric(&args);
        assert_eq!(
            code(&failed),
            2,
            "{args:?}: {}",
            String::from_utf8_lossy(&failed.stderr)
        );
    }
}

/// Regression: `rubric test` and `rubric explain` panicked when their output pipe was closed
/// early (`rubric test … | head -1`).
#[test]
fn a_closed_output_pipe_is_not_a_panic() {
    for args in [
        vec!["explain", "--list"],
        vec!["explain", "E0102"],
        vec![
            "test",
            "examples/civic_trust.rubric",
            "examples/lending.rubric",
        ],
        vec!["test", "--format", "junit", "examples/lending.rubric"],
    ] {
        let mut child = command()
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}");
    }
}

#[test]
fn what_if_values_are_checked_by_every_command() {
    let lending = "examples/lending.rubric";
    let data = "examples/lending.jsonl";
    let bad = "large_loan_penalty=-500";
    // A what-if value that breaks the direction of `loan_amount` stops every command with E1100,
    // pointing at the `--set` argument.
    for (args, exit) in [
        (vec!["eval", lending, data, "--set", bad], 2),
        (vec!["eval", lending, data, "--set", bad, "--explain"], 2),
        (vec!["check", lending, "--set", bad], 1),
        (vec!["gen", lending, "--records", "5", "--set", bad], 2),
        (
            vec![
                "docs",
                lending,
                "-o",
                "target/tmp/whatif-docs",
                "--set",
                bad,
            ],
            1,
        ),
        (
            vec![
                "build",
                lending,
                "--target",
                "rust",
                "-o",
                "target/tmp/whatif-crate",
                "--set",
                bad,
            ],
            2,
        ),
    ] {
        let out = rubric(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(code(&out), exit, "{args:?}: {stderr}");
        assert!(stderr.contains("error[E1100]"), "{args:?}: {stderr}");
        assert!(
            stderr.contains("<command line>")
                && stderr
                    .contains("`large_loan_penalty` is -500 in this run instead of the written 40"),
            "{args:?}: the diagnostic points at the argument: {stderr}"
        );
        assert!(
            out.stdout.is_empty() || args[0] == "check",
            "{args:?}: nothing is written"
        );
    }
    // Unknown params and values that are not numbers are located errors too.
    let out = rubric(&["eval", lending, data, "--set", "large_loan_penality=60"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 2);
    assert!(
        stderr.contains("error[E1300]") && stderr.contains("did you mean `large_loan_penalty`?"),
        "{stderr}"
    );
    let out = rubric(&["check", lending, "--set", "large_loan_penalty=1e3"]);
    assert_eq!(code(&out), 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[E1301]"));
    // A value within the guarantees runs, and the decisions name it.
    let out = rubric(&[
        "eval",
        lending,
        data,
        "--set",
        "large_loan_penalty=60",
        "-q",
    ]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let first = String::from_utf8_lossy(&out.stdout);
    assert!(first
        .lines()
        .all(|l| l.contains(r#""overrides":{"large_loan_penalty":60}"#)));
    // …and its warnings are the what-if policy's: 60 points can take the score below the scale,
    // which 40 cannot.
    let out = rubric(&["check", lending, "--set", "large_loan_penalty=60"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), 0, "{stderr}");
    assert!(
        stderr.contains("warning[W1000]")
            && stderr.contains("`large_loan_penalty` is 60 in this run"),
        "{stderr}"
    );
    assert_eq!(code(&rubric(&["check", lending, "--deny-warnings"])), 0);
}

#[test]
fn the_eval_help_example_runs() {
    // The what-if example of `rubric eval --help` works on the shipped example.
    let help = String::from_utf8_lossy(&rubric(&["eval", "--help"]).stdout).into_owned();
    let line = help
        .lines()
        .find(|l| l.trim_start().starts_with("rubric eval") && l.contains("--set"))
        .expect("the help shows a --set example");
    let args: Vec<&str> = line
        .split_whitespace()
        .skip(1)
        .take_while(|w| *w != "<")
        .collect();
    let out = support::command()
        .args(&args)
        .stdin(std::fs::File::open("examples/lending.jsonl").unwrap())
        .output()
        .unwrap();
    assert_eq!(
        code(&out),
        0,
        "{line}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sql_target_writes_the_query_and_the_input_table() {
    let ddl = rubric(&[
        "build",
        "examples/lending.rubric",
        "--target",
        "sql",
        "--dialect",
        "duckdb",
        "--input-ddl",
    ]);
    assert_eq!(code(&ddl), 0, "{}", stderr(&ddl));
    assert!(stdout(&ddl).contains("\"record\" BIGINT NOT NULL"));
    assert!(stdout(&ddl).contains("\"annual_income\" DECIMAL(35, 6)"));
    let view = rubric(&[
        "build",
        "examples/lending.rubric",
        "--target",
        "sql",
        "--dialect",
        "postgres",
        "--view",
        "decisions",
    ]);
    assert_eq!(code(&view), 0, "{}", stderr(&view));
    assert!(stdout(&view).contains("CREATE VIEW decisions AS"));
    assert!(stdout(&view).contains("-- Policy \"Consumer Loan Scorecard\" version 3.4.0"));
    // Without a dialect it cannot run.
    let no_dialect = rubric(&["build", "examples/lending.rubric", "--target", "sql"]);
    assert_eq!(code(&no_dialect), 2);
    assert!(stderr(&no_dialect).contains("--dialect"));
}

#[test]
fn sql_target_refuses_an_indicator_named_like_the_tables_own_columns() {
    let dir = std::env::temp_dir().join(format!("rubric-sql-record-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("record.rubric");
    let text = std::fs::read_to_string("tests/eval/arithmetic.rubric")
        .unwrap()
        .replace("indicator late:", "indicator Record:")
        .replace("per late,", "per Record,");
    std::fs::write(&policy, text).unwrap();
    let path = policy.to_string_lossy().into_owned();
    let out = rubric(&["build", &path, "--target", "sql", "--dialect", "spark"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(
        stderr(&out).contains("the indicator `Record`"),
        "{}",
        stderr(&out)
    );
}

/// Writes `text` to a fresh file under the system's temporary directory and returns its path.
fn temp_policy(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("rubric-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.rubric"));
    std::fs::write(&path, text).unwrap();
    path
}

/// 500 rules on one 40 KB line once printed that line for each of their 1,001 warnings (23 MB of
/// stderr, 9.5 s): now each warning shows an excerpt, and only the first 200 are shown.
#[test]
fn diagnostics_on_one_long_line_stay_bounded() {
    let rules: Vec<String> = (0..2000)
        .map(|i| {
            format!(
                "rule r{i:04}_on_one_long_line {{ when x > {} add 1 }}",
                i % 10
            )
        })
        .collect();
    let text = format!(
        "policy \"P\" {{\n  version \"1\"\n  effective 2027-01-01\n  score 0 to 100000 starting at 50\n}}\n\
         indicator x: integer 0 to 10\n{}\ntier t at 0 and above\n",
        rules.join(" ")
    );
    let path = temp_policy("long_line", &text);
    let out = command().arg("check").arg(&path).output().unwrap();
    let stderr = stderr(&out);
    assert!(
        stderr.len() < 200_000,
        "{} bytes of diagnostics",
        stderr.len()
    );
    assert!(
        stderr.contains("0 error(s), 4000 warning(s)"),
        "{}",
        &stderr[stderr.len() - 300..]
    );
    assert!(stderr.contains("note: 3800 more warnings not shown (only the first 200 are)"));
    // The excerpt keeps the true line and column of the rule it points at.
    let at = text.find("r0050_on").unwrap() - text[..text.find("rule r0000").unwrap()].len();
    assert!(
        stderr.contains(&format!(":7:{}", at + 1)),
        "no true column {}",
        at + 1
    );
    assert!(stderr.contains("7 │ …"), "the line is cut");
    // Tools get every diagnostic.
    let json = command()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["diagnostics"].as_array().map(Vec::len), Some(4000));
}

/// "Did you mean" once compared every unknown long name with every declared one (27 s for a
/// 301 KB policy): names past 64 bytes get no suggestion, and messages quoting them are cut.
#[test]
fn unknown_long_names_are_reported_without_comparing_them_all() {
    let long = |i: usize| format!("{}{i}", "n".repeat(4000));
    let mut text = String::from(
        "policy \"P\" {\n  version \"1\"\n  effective 2027-01-01\n  score 0 to 100\n}\n",
    );
    for i in 0..40 {
        text.push_str(&format!("indicator {}: integer 0 to 10\n", long(i)));
    }
    for i in 0..40 {
        text.push_str(&format!(
            "rule r{i} {{ when {} > 1 add 1 basis \"b\" reason \"r\" }}\n",
            long(i + 100)
        ));
    }
    text.push_str("tier t at 0 and above\n");
    let path = temp_policy("long_names", &text);
    let out = command()
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unknown: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "E0102")
        .collect();
    assert_eq!(unknown.len(), 40);
    for d in unknown {
        assert!(d["help"].is_null() || !d["help"].as_str().unwrap().contains("did you mean"));
        assert!(
            d["message"].as_str().unwrap().len() < 1000,
            "{}",
            d["message"]
        );
    }
}

#[test]
fn a_policy_file_past_the_size_limit_is_refused_before_it_is_read() {
    let path = temp_policy("huge", "");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len((16 << 20) + 1).unwrap();
    let out = command().arg("check").arg(&path).output().unwrap();
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("is 16777217 bytes, larger than the 16 MiB a policy file may be"),
        "{}",
        stderr(&out)
    );
}
