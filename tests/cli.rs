//! The command-line contract that deployment tooling relies on: exit codes, output formats, and
//! that every diagnostic code is documented and demonstrated.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::{Command, Output};

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
