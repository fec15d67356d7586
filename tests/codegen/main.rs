//! The Rust backend, tested against the interpreter.
//!
//! * `snapshot::<example>`: the generated crate of each example policy (insta snapshot, runtime
//!   files by name only: they are verbatim copies of `src/runtime/`).
//! * `differential::<policy>`: every example, eval fixture and `tests/codegen/*.rubric` policy is
//!   generated into one shared Cargo workspace (built once, into `target/tmp/codegen-target`, so
//!   dependencies compile once and stay compiled between runs); then each generated binary and
//!   `rubric eval` run on the same inputs (generated records, valid and hostile, as JSONL and
//!   CSV, and the fixture's own inputs) with several argument sets. Decisions, CSV, error lines,
//!   stderr and exit codes must be byte-identical.
//! * `proptest::random_policies`: random valid policies (drawn by proptest) with random records,
//!   built in the same workspace and compared the same way.
//! * `lint::clippy_and_rustfmt`: the generated crates pass `cargo clippy -- -D warnings` and
//!   `rustfmt --check`.
//! * `rustdoc::hostile_text`: `cargo doc` of the crate of `tests/codegen/hostile_text.template`
//!   (a policy whose texts hold markup in every kind of text) writes none of it live.
//!
//! `tests/codegen/*.template` policies take part in the snapshots and the differential tests like
//! the `*.rubric` ones, once expanded (under `target/tmp/codegen-fixtures`).
//!
//! `RUBRIC_CODEGEN_CASES` sets how many random policies are drawn (default 16).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod policies;
mod records;

use libtest_mimic::{Arguments, Trial};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rubric::codegen::rust::{self, Options};
use rubric::SourceMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scratch() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

/// A policy under test: a file, or the text of a random one.
#[derive(Clone)]
struct Case {
    /// The crate's package name in the workspace.
    krate: String,
    /// The policy file (random policies are written out first).
    policy: PathBuf,
    /// The fixture's own inputs.
    inputs: Vec<PathBuf>,
    seed: u64,
}

fn files(dir: &str) -> Vec<PathBuf> {
    files_ending(dir, "rubric")
}

fn files_ending(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

/// The policies of `tests/codegen/*.template`, written out with each `{U+XXXX}` replaced by
/// that character: hidden characters (a NUL, bidi controls) that a fixture file should not hold
/// as themselves.
fn templates() -> Vec<PathBuf> {
    let dir = scratch().join("codegen-fixtures");
    files_ending("tests/codegen", "template")
        .into_iter()
        .map(|template| {
            let path = dir.join(format!("{}.rubric", stem(&template)));
            let text = expand(&std::fs::read_to_string(&template).unwrap());
            write_if_changed(&path, text.as_bytes());
            path
        })
        .collect()
}

/// `{U+XXXX}` (four to six hex digits) → the character U+XXXX; anything else as written.
fn expand(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("{U+") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let code = after
            .find('}')
            .filter(|&end| (4..=6).contains(&end))
            .and_then(|end| Some((u32::from_str_radix(&after[..end], 16).ok()?, end)))
            .and_then(|(code, end)| Some((char::from_u32(code)?, end)));
        match code {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push_str("{U+");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

fn fixture_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for (dir, prefix) in [
        ("examples", "example"),
        ("tests/eval", "eval"),
        ("tests/codegen", "codegen"),
    ] {
        for policy in files(dir) {
            let name = stem(&policy);
            let inputs = ["jsonl", "csv"]
                .iter()
                .map(|ext| policy.with_extension(ext))
                .filter(|p| p.exists())
                .collect();
            cases.push(Case {
                krate: format!("{prefix}-{}", name.replace('_', "-")),
                policy,
                inputs,
                seed: name
                    .bytes()
                    .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))),
            });
        }
    }
    for policy in templates() {
        let name = stem(&policy);
        cases.push(Case {
            krate: format!("codegen-{}", name.replace('_', "-")),
            policy,
            inputs: Vec::new(),
            seed: 11,
        });
    }
    cases
}

fn proptest_count() -> usize {
    std::env::var("RUBRIC_CODEGEN_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16)
}

fn runner() -> TestRunner {
    TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[42; 32]),
    )
}

/// The random policies, drawn deterministically.
fn random_cases() -> Vec<(Case, String)> {
    let mut runner = runner();
    let dir = scratch().join("codegen-policies");
    std::fs::create_dir_all(&dir).unwrap();
    (0..proptest_count())
        .map(|i| {
            let tree = policies::recipe().new_tree(&mut runner).unwrap();
            let text = policies::render(&tree.current());
            let path = dir.join(format!("random_{i:02}.rubric"));
            write_if_changed(&path, text.as_bytes());
            (
                Case {
                    krate: format!("random-{i:02}"),
                    policy: path,
                    inputs: Vec::new(),
                    seed: 1000 + i as u64,
                },
                text,
            )
        })
        .collect()
}

fn write_if_changed(path: &Path, contents: &[u8]) {
    if std::fs::read(path).ok().as_deref() != Some(contents) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, contents).unwrap();
    }
}

fn compile(path: &Path) -> rubric::ir::Policy {
    let mut sources = SourceMap::new();
    let file = sources.load(path).unwrap();
    match rubric::compile(&sources, file, &rubric::Options::default()).into_policy() {
        Ok((policy, _)) => policy,
        Err(problems) => {
            let mut out = Vec::new();
            rubric::diagnostics::render_human(
                &mut codespan_reporting::term::termcolor::NoColor::new(&mut out),
                &sources,
                &problems,
            )
            .unwrap();
            panic!(
                "{} does not compile:\n{}",
                path.display(),
                String::from_utf8_lossy(&out)
            )
        }
    }
}

fn generate(case: &Case) -> rust::GeneratedCrate {
    let policy = compile(&case.policy);
    let options = Options {
        crate_name: case.krate.clone(),
        source_name: case
            .policy
            .file_name()
            .map(|s| s.to_string_lossy().into_owned()),
    };
    let mut krate = rust::generate(&policy, &options).unwrap();
    rust::rustfmt(&mut krate).unwrap();
    krate
}

/// The shared workspace, built once per test run.
struct Workspace {
    dir: PathBuf,
    target: PathBuf,
}

impl Workspace {
    fn binary(&self, krate: &str) -> PathBuf {
        self.target.join("debug").join(krate)
    }
}

/// The fixture policies, and the random ones with their text.
type Cases = (Vec<Case>, Vec<(Case, String)>);

static CASES: OnceLock<Cases> = OnceLock::new();
static WORKSPACE: OnceLock<Result<Workspace, String>> = OnceLock::new();

fn cases() -> &'static Cases {
    CASES.get_or_init(|| (fixture_cases(), random_cases()))
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.env_remove("RUSTFLAGS");
    command
}

fn workspace() -> &'static Workspace {
    let built = WORKSPACE.get_or_init(|| {
        let (fixtures, random) = cases();
        let dir = scratch().join("codegen-workspace");
        let target = scratch().join("codegen-target");
        let all: Vec<&Case> = fixtures
            .iter()
            .chain(random.iter().map(|(c, _)| c))
            .collect();
        let mut members = Vec::new();
        for case in &all {
            let krate = generate(case);
            for file in &krate.files {
                if file.path == "Cargo.lock" {
                    continue;
                }
                write_if_changed(
                    &dir.join(&case.krate).join(&file.path),
                    file.contents.as_bytes(),
                );
            }
            members.push(format!("\"{}\"", case.krate));
        }
        let manifest = format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = 0\n",
            members.join(", ")
        );
        write_if_changed(&dir.join("Cargo.toml"), manifest.as_bytes());
        // Rubric's own lock: the same versions, all in the local registry cache.
        if !dir.join("Cargo.lock").exists() {
            std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
        }
        let started = std::time::Instant::now();
        let build = |offline: bool| {
            let mut command = cargo();
            command
                .args(["build", "--workspace", "--bins", "--quiet"])
                .current_dir(&dir)
                .env("CARGO_TARGET_DIR", &target)
                // The generated code compiles without warnings.
                .env("RUSTFLAGS", "-D warnings")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            if offline {
                command.arg("--offline");
            }
            command.output().unwrap()
        };
        let mut output = build(true);
        if !output.status.success() {
            // The registry cache may lack something: let cargo fetch it.
            output = build(false);
        }
        eprintln!(
            "codegen: built {} generated crates in {:.1}s",
            all.len(),
            started.elapsed().as_secs_f64()
        );
        if output.status.success() {
            Ok(Workspace { dir, target })
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    });
    match built {
        Ok(w) => w,
        Err(e) => panic!("the generated crates do not build:\n{e}"),
    }
}

/// The outcome of one run of an evaluator.
#[derive(Debug, PartialEq)]
struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    files: Vec<(String, Vec<u8>)>,
}

fn run(mut command: Command, stdin: Option<&[u8]>, files: &[&Path]) -> Run {
    for f in files {
        let _ = std::fs::remove_file(f);
    }
    command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        use std::io::Write as _;
        pipe.write_all(input).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code(),
        stdout: output.stdout,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        files: files
            .iter()
            .map(|f| {
                (
                    f.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(f).unwrap_or_default(),
                )
            })
            .collect(),
    }
}

/// Runs `rubric eval` and the generated binary on `input` with each argument set, and compares.
fn compare(case: &Case, binary: &Path, input: &Path, work: &Path) -> usize {
    let errors = work.join("errors.jsonl");
    let output_jsonl = work.join("out.jsonl");
    let output_csv = work.join("out.csv");
    let e = errors.to_str().unwrap();
    let arg_sets: Vec<(Vec<&str>, bool)> = vec![
        (vec![], false),
        (vec!["--errors", e, "--allow-rejects"], false),
        (vec!["--output-format", "csv", "--errors", e], false),
        (
            vec!["-o", output_jsonl.to_str().unwrap(), "--errors", e, "-q"],
            false,
        ),
        (
            vec!["-o", output_csv.to_str().unwrap(), "--id-field", "id"],
            false,
        ),
        (vec!["--id-field", "missing_id_field", "--errors", e], true),
        // Compact decisions, one thread and several: the same bytes from both evaluators.
        (
            vec!["--fields", "id,score,tier,consequences", "--threads", "1"],
            false,
        ),
        (
            vec![
                "--threads",
                "3",
                "--output-format",
                "csv",
                "--fields",
                "record,id,reasons",
                "--errors",
                e,
            ],
            false,
        ),
    ];
    let mut compared = 0;
    for (args, stdin) in arg_sets {
        let files = [
            errors.as_path(),
            output_jsonl.as_path(),
            output_csv.as_path(),
        ];
        let bytes = std::fs::read(input).unwrap();
        let csv_input = input.extension().is_some_and(|e| e == "csv");
        let mut interpreter = Command::new(env!("CARGO_BIN_EXE_rubric"));
        interpreter.arg("eval").arg(&case.policy);
        let mut native = Command::new(binary);
        if stdin {
            interpreter.arg("-");
            native.arg("-");
            if csv_input {
                interpreter.args(["--input-format", "csv"]);
                native.args(["--input-format", "csv"]);
            }
        } else {
            interpreter.arg(input);
            native.arg(input);
        }
        interpreter.args(&args);
        native.args(&args);
        let stdin_bytes = stdin.then_some(bytes.as_slice());
        let expected = run(interpreter, stdin_bytes, &files);
        let mut actual = run(native, stdin_bytes, &files);
        // `rubric eval` prints the policy's warnings first; the generated evaluator has none.
        if expected.stderr.ends_with(&actual.stderr) && expected.stderr.len() > actual.stderr.len()
        {
            let prefix = &expected.stderr[..expected.stderr.len() - actual.stderr.len()];
            if prefix.starts_with("warning") {
                actual.stderr = expected.stderr.clone();
            }
        }
        if expected != actual {
            let show = |r: &Run| {
                format!(
                    "exit {:?}\n--- stdout\n{}\n--- stderr\n{}\n{}",
                    r.code,
                    String::from_utf8_lossy(&r.stdout),
                    r.stderr,
                    r.files
                        .iter()
                        .map(|(n, b)| format!("--- {n}\n{}", String::from_utf8_lossy(b)))
                        .collect::<String>()
                )
            };
            panic!(
                "{} differs from `rubric eval` on {} with {args:?} (stdin: {stdin})\n\
                 === rubric eval\n{}\n=== generated\n{}",
                case.krate,
                input.display(),
                show(&expected),
                show(&actual)
            );
        }
        compared += 1;
    }
    compared
}

/// Generated records for a case, as files in its work directory.
fn inputs(case: &Case, work: &Path) -> Vec<PathBuf> {
    let policy = compile(&case.policy);
    let jsonl = work.join("generated.jsonl");
    let csv = work.join("generated.csv");
    std::fs::write(&jsonl, records::jsonl(&policy, case.seed, 300)).unwrap();
    std::fs::write(&csv, records::csv(&policy, case.seed + 1, 150)).unwrap();
    let mut all = vec![jsonl, csv];
    all.extend(case.inputs.iter().cloned());
    all
}

fn differential(case: &Case) {
    let workspace = workspace();
    let work = scratch().join("codegen-runs").join(&case.krate);
    std::fs::create_dir_all(&work).unwrap();
    let binary = workspace.binary(&case.krate);
    for input in inputs(case, &work) {
        compare(case, &binary, &input, &work);
    }
}

fn snapshot(path: &Path) {
    let name = stem(path);
    let case = Case {
        krate: rust::crate_name(&name),
        policy: path.to_path_buf(),
        inputs: Vec::new(),
        seed: 0,
    };
    let krate = generate(&case);
    for file in krate
        .files
        .iter()
        .filter(|f| !f.path.starts_with("src/runtime/"))
    {
        // Nothing the generator writes holds a hidden character (controls, bidi controls) or,
        // in its docs, a `<`: policy texts are written out and escaped.
        let hidden = file
            .contents
            .chars()
            .find(|&c| (c.is_control() && c != '\n') || is_bidi(c));
        assert_eq!(hidden, None, "{} holds a hidden character", file.path);
        for line in file.contents.lines() {
            let docs = file.path == "README.md"
                || ["///", "//!"]
                    .iter()
                    .any(|m| line.trim_start().starts_with(m));
            assert!(
                !(docs && outside_code_spans(line).contains('<')),
                "{}: raw `<` in docs: {line}",
                file.path
            );
        }
    }
    let mut shown = krate.clone();
    for file in &mut shown.files {
        if file.path == "Cargo.lock" {
            // The packages and versions, not the checksums.
            let mut packages = String::new();
            for block in file.contents.split("[[package]]").skip(1) {
                let field = |key: &str| {
                    block
                        .lines()
                        .find_map(|l| l.strip_prefix(&format!("{key} = ")))
                        .unwrap_or("")
                        .trim_matches('"')
                        .to_string()
                };
                packages.push_str(&format!("{} {}\n", field("name"), field("version")));
            }
            file.contents = packages;
        }
        if file.path.starts_with("src/runtime/") {
            file.contents = format!("(verbatim copy of {})\n", file.path);
        }
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("tests/codegen/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name.clone(), shown.concatenated()));
}

fn random_policies() {
    let workspace = workspace();
    let (_, random) = cases();
    for (case, text) in random {
        let work = scratch().join("codegen-runs").join(&case.krate);
        std::fs::create_dir_all(&work).unwrap();
        let binary = workspace.binary(&case.krate);
        let outcome = std::panic::catch_unwind(|| {
            for input in inputs(case, &work) {
                compare(case, &binary, &input, &work);
            }
        });
        if let Err(e) = outcome {
            let message = e
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "(no message)".into());
            let index: usize = case.krate.trim_start_matches("random-").parse().unwrap();
            let (smallest, smallest_message) =
                shrink(index, workspace).unwrap_or_else(|| (text.clone(), message.clone()));
            panic!(
                "random policy {} (in {}) differs from rubric eval.\n\
                 Smallest failing policy found by shrinking:\n{smallest}\n\n{smallest_message}\n\n\
                 Original policy:\n{text}",
                case.krate,
                case.policy.display()
            );
        }
    }
}

/// Whether a policy's generated evaluator differs from `rubric eval` (built alone, in the shared
/// target directory): the failure message, if it does.
fn fails(text: &str, seed: u64, workspace: &Workspace) -> Option<String> {
    let dir = scratch().join("codegen-shrink");
    let policy = dir.join("policy.rubric");
    write_if_changed(&policy, text.as_bytes());
    let case = Case {
        krate: "shrink".into(),
        policy,
        inputs: Vec::new(),
        seed,
    };
    let krate = generate(&case);
    for file in &krate.files {
        write_if_changed(
            &dir.join("crate").join(&file.path),
            file.contents.as_bytes(),
        );
    }
    let output = cargo()
        .args(["build", "--quiet", "--offline"])
        .current_dir(dir.join("crate"))
        .env("CARGO_TARGET_DIR", &workspace.target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    if !output.status.success() {
        return Some(format!(
            "does not build:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let work = dir.join("runs");
    std::fs::create_dir_all(&work).unwrap();
    let binary = workspace.binary("shrink");
    std::panic::catch_unwind(|| {
        for input in inputs(&case, &work) {
            compare(&case, &binary, &input, &work);
        }
    })
    .err()
    .map(|e| e.downcast_ref::<String>().cloned().unwrap_or_default())
}

/// Shrinks the `index`-th random policy with proptest's value tree, rebuilding at each step
/// (at most 40): the smallest policy that still fails, and how.
fn shrink(index: usize, workspace: &Workspace) -> Option<(String, String)> {
    let mut runner = runner();
    let mut tree = None;
    for _ in 0..=index {
        tree = Some(policies::recipe().new_tree(&mut runner).unwrap());
    }
    let mut tree = tree?;
    let seed = 1000 + index as u64;
    let mut best = None;
    let mut steps = 0;
    if !tree.simplify() {
        return None;
    }
    loop {
        steps += 1;
        let text = policies::render(&tree.current());
        let next = match fails(&text, seed, workspace) {
            Some(message) => {
                best = Some((text, message));
                tree.simplify()
            }
            None => tree.complicate(),
        };
        if !next || steps >= 40 {
            return best;
        }
    }
}

fn lint() {
    let workspace = workspace();
    let (fixtures, random) = cases();
    // Clippy on the fixtures' crates and a few random ones, to bound the time.
    let mut command = cargo();
    command
        .args(["clippy", "--quiet", "--offline"])
        .current_dir(&workspace.dir)
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", &workspace.target);
    for case in fixtures.iter().chain(random.iter().map(|(c, _)| c).take(4)) {
        command.args(["-p", &case.krate]);
    }
    command.args(["--", "-D", "warnings"]);
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "clippy:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Every generated file is rustfmt-clean.
    let mut files = Vec::new();
    for case in fixtures.iter().chain(random.iter().map(|(c, _)| c)) {
        for entry in walk(&workspace.dir.join(&case.krate).join("src")) {
            files.push(entry);
        }
    }
    let program = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into());
    let output = Command::new(program)
        .args(["--check", "--edition", "2021"])
        .args(&files)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "rustfmt --check:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    walk_ending(dir, "rs")
}

fn walk_ending(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk_ending(&path, ext));
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// A line of Markdown without its code spans (a run of backticks to the next run as long).
fn outside_code_spans(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let run = rest[start..].chars().take_while(|&c| c == '`').count();
        let fence = "`".repeat(run);
        let after = &rest[start + run..];
        // The closing run is exactly as long: not part of a longer one.
        let mut close = None;
        let mut from = 0;
        while let Some(i) = after[from..].find(&fence) {
            let at = from + i;
            let len = after[at..].chars().take_while(|&c| c == '`').count();
            if len == run {
                close = Some(at);
                break;
            }
            from = at + len;
        }
        match close {
            Some(at) => rest = &after[at + run..],
            None => {
                out.push_str(&fence);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The invisible characters that reorder text.
fn is_bidi(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// `cargo doc` of the hostile policy's crate (one crate, its dependencies checked once, shared
/// with `lint`): every page is free of the policy's markup made live, and shows its texts as
/// written, hidden characters written out.
fn rustdoc_hostile_text() {
    let workspace = workspace();
    let krate = "codegen-hostile-text";
    let output = cargo()
        .args(["doc", "--no-deps", "--offline", "--quiet", "-p", krate])
        .current_dir(&workspace.dir)
        .env("CARGO_TARGET_DIR", &workspace.target)
        .env("RUSTFLAGS", "-D warnings")
        // The generated docs are free of rustdoc's warnings too.
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo doc:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let dir = workspace.target.join("doc").join(krate.replace('-', "_"));
    let pages = walk_ending(&dir, "html");
    assert!(pages.len() > 10, "too few pages in {}", dir.display());
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        let lower = html.to_lowercase();
        // Every tag: none is the policy's (rustdoc itself writes no `img`, `iframe`, `b` or `i`),
        // and no attribute outside quotes is an event handler or a script (the policy's text in
        // an attribute, quoted and escaped, as in `<meta name="description">`, is only text).
        let mut rest = lower.as_str();
        while let Some(start) = rest.find('<') {
            let tag = &rest[start..];
            let tag = &tag[..tag.find('>').map_or(tag.len(), |e| e + 1)];
            let unquoted: String = tag.split('"').step_by(2).collect();
            assert!(
                !["<img", "<iframe", "<b>", "<i>"]
                    .iter()
                    .any(|t| tag.starts_with(t))
                    && !["onerror", "javascript:", "alert"]
                        .iter()
                        .any(|w| unquoted.contains(w)),
                "{}: live markup from the policy: {tag}",
                page.display()
            );
            rest = &rest[start + 1..];
        }
        for live in ["<script>alert", "=\"javascript:"] {
            assert!(!lower.contains(live), "{}: {live}", page.display());
        }
        let hidden = html
            .chars()
            .find(|&c| is_bidi(c) || c == '\0' || c == '\u{1b}');
        assert_eq!(hidden, None, "{}", page.display());
    }
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
    for shown in [
        "P &lt;script&gt;alert(1)&lt;/script&gt; txt.exe[2J",
        "Doc evil &lt;img src=x onerror=alert(2)&gt; [x](javascript:alert(3))",
        "# heading {#id}",
        "- list",
    ] {
        assert!(index.contains(shown), "index.html does not show {shown:?}");
    }
}

/// `rubric build --compile` builds the crate and prints the executable's path last; the release
/// executable decides as `rubric eval` does.
fn build_and_compile() {
    let out = scratch().join("codegen-cli").join("lending");
    let output = Command::new(env!("CARGO_BIN_EXE_rubric"))
        .args(["build", "--target", "rust", "--compile", "-o"])
        .arg(&out)
        .arg(root().join("examples/lending.rubric"))
        .env("CARGO_TARGET_DIR", scratch().join("codegen-release-target"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let executable = PathBuf::from(stdout.lines().last().unwrap());
    assert!(
        executable.is_file(),
        "not an executable: {}",
        executable.display()
    );
    let case = Case {
        krate: "lending".into(),
        policy: root().join("examples/lending.rubric"),
        inputs: Vec::new(),
        seed: 99,
    };
    let work = scratch().join("codegen-cli").join("runs");
    std::fs::create_dir_all(&work).unwrap();
    for input in inputs(&case, &work) {
        compare(&case, &executable, &input, &work);
    }
    // Unusable arguments: exit 2, as `rubric eval`.
    for args in [
        &["--set", "x=1"][..],
        &["--output-format", "xml"],
        &["a", "b"],
        &["--threads", "0"],
        &["--fields", "id,scores"],
        &["--output-format", "csv", "--fields", "id,outcomes"],
    ] {
        let status = Command::new(&executable)
            .args(args)
            .output()
            .unwrap()
            .status;
        assert_eq!(status.code(), Some(2), "{args:?}");
    }
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    trials.push(Trial::test("cli::build_and_compile", || {
        build_and_compile();
        Ok(())
    }));
    for path in files("examples").into_iter().chain(templates()) {
        let name = stem(&path);
        trials.push(Trial::test(format!("snapshot::{name}"), move || {
            snapshot(&path);
            Ok(())
        }));
    }
    for case in fixture_cases() {
        trials.push(Trial::test(
            format!("differential::{}", case.krate),
            move || {
                differential(&case);
                Ok(())
            },
        ));
    }
    trials.push(Trial::test(
        "proptest::generated_policies_are_valid",
        || {
            // Cheap: the policy generator itself, on many more cases than are built.
            let mut runner = TestRunner::new_with_rng(
                Config::default(),
                TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
            );
            let dir = scratch().join("codegen-policies");
            std::fs::create_dir_all(&dir).unwrap();
            // Every range form of bins and tiers is drawn (so the differential runs see them).
            let mut forms = std::collections::BTreeSet::new();
            let mut powers = 0;
            let mut chained = 0;
            let mut forgiving = 0;
            let mut hits = std::collections::BTreeMap::new();
            let mut tables_read = 0;
            let mut after_rules = 0;
            let mut picks = 0;
            let mut binned_outcomes = 0;
            let mut quoted = 0;
            let mut worse = 0;
            let mut shared = 0;
            let mut code_alone = 0;
            let (mut functions, mut calls, mut computed) = (0, 0, 0);
            for i in 0..300 {
                let tree = policies::recipe().new_tree(&mut runner).unwrap();
                let path = dir.join(format!("valid_{}.rubric", i % 4));
                let text = policies::render(&tree.current());
                forms.extend(text.lines().filter_map(range_form));
                powers += usize::from(text.contains(" ^ "));
                chained += usize::from(text.contains(") and c") || text.contains(") or c"));
                forgiving += usize::from(text.contains("invalid means missing"));
                for line in text.lines() {
                    if let Some(hit) = line.trim().strip_prefix("hit ") {
                        *hits.entry(hit.to_string()).or_insert(0) += 1;
                    }
                }
                tables_read += usize::from(text.contains("inputs o") || text.contains(" = high)"));
                binned_outcomes +=
                    usize::from(text.contains(" by o") || text.contains(" by after_band"));
                picks += usize::from(
                    text.contains(" counts the highest {") || text.contains(" counts the lowest {"),
                );
                after_rules +=
                    usize::from(text.contains("let after0 = ") && text.contains("after_band"));
                // A member that is not a name, written beyond its declaration.
                quoted += usize::from(text.matches("\"GREEN-2\"").count() > 1);
                worse += usize::from(text.contains(", higher is worse\n"));
                shared += usize::from(
                    ["R0", "R1"]
                        .iter()
                        .any(|code| text.matches(&format!("reason {code}")).count() > 1),
                );
                code_alone +=
                    usize::from(text.contains("reason R0\n") || text.contains("reason R1\n"));
                functions += usize::from(text.contains("function f0("));
                calls += usize::from(
                    text.contains(" = ")
                        && text
                            .lines()
                            .any(|l| !l.starts_with("function") && l.contains("f0(")),
                );
                computed +=
                    usize::from(text.contains("lasts (") || text.contains("lasts at least ("));
                std::fs::write(&path, text).unwrap();
                compile(&path);
            }
            for form in RANGE_FORMS {
                assert!(
                    forms.contains(form),
                    "no random policy uses `{form}`: {forms:?}"
                );
            }
            assert!(powers > 10, "only {powers} random policies use `^`");
            assert!(
                chained > 10,
                "only {chained} random policies chain consequences"
            );
            assert!(
                forgiving > 10,
                "only {forgiving} random policies forgive invalid values"
            );
            for hit in policies::HIT_POLICIES {
                let n = hits.get(hit).copied().unwrap_or(0);
                assert!(n > 5, "only {n} random tables are `hit {hit}`: {hits:?}");
            }
            assert!(
                binned_outcomes > 5,
                "only {binned_outcomes} random policies bin a table's output"
            );
            assert!(
                picks > 10,
                "only {picks} random policies count only one rule of a group"
            );
            assert!(
                after_rules > 5,
                "only {after_rules} random policies decide a table after the rules"
            );
            assert!(
                tables_read > 5,
                "only {tables_read} random policies read a table's list output"
            );
            assert!(
                quoted > 10,
                "only {quoted} random policies write a quoted member"
            );
            // Both directions of the scale are drawn.
            assert!(
                worse > 10 && 300 - worse > 10,
                "{worse} of 300 random policies have a scale where higher is worse"
            );
            assert!(
                shared > 10,
                "only {shared} random policies share a reason code between rules"
            );
            assert!(
                code_alone > 10,
                "only {code_alone} random policies give a reason code without its text"
            );
            assert!(
                functions > 10,
                "only {functions} random policies declare functions"
            );
            assert!(calls > 10, "only {calls} random policies call a function");
            assert!(
                computed > 10,
                "only {computed} random policies compute a duration for each record"
            );
            Ok(())
        },
    ));
    trials.push(Trial::test("proptest::random_policies", || {
        random_policies();
        Ok(())
    }));
    trials.push(Trial::test("lint::clippy_and_rustfmt", || {
        lint();
        Ok(())
    }));
    trials.push(Trial::test("rustdoc::hostile_text", || {
        rustdoc_hostile_text();
        Ok(())
    }));
    libtest_mimic::run(&args, trials).exit();
}

/// Every range form the random policies must draw (`N to N` is the same as `from N to N`).
const RANGE_FORMS: [&str; 8] = [
    "from N below N",
    "from N to N",
    "above N below N",
    "above N to N",
    "above N",
    "below N",
    "at most N",
    "at N and above",
];

/// The range form of a bin or tier line (`above N to N`), numbers replaced by `N`.
fn range_form(line: &str) -> Option<String> {
    let line = line.trim_start();
    let range = match line.strip_prefix("tier ") {
        Some(rest) => rest.split_once(' ')?.1,
        None => line.split_once(" =>")?.0,
    };
    let words: Vec<&str> = range
        .split_whitespace()
        .map(|w| if w.parse::<i64>().is_ok() { "N" } else { w })
        .collect();
    let form = words.join(" ");
    (RANGE_FORMS.contains(&form.as_str()) || form == "N to N").then_some(form)
}
