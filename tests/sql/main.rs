//! Generated SQL on real engines: PostgreSQL, DuckDB and Spark SQL (see `engines.rs`).
//!
//! * `differential::<engine>::fixtures`: every example, eval fixture and `tests/codegen` policy,
//!   with generated, hostile and the fixture's own records, through the generated query, against
//!   `rubric eval` (see `differential.rs`).
//! * `differential::<engine>::random`: random policies from the Rust backend's generator, default 16), 2,000 records each.
//! * `smoke::<engine>`: the harness itself. A table of a BIGINT, a DECIMAL(38,6) and a text (with
//!   a comma, a quote, a newline, non-ASCII letters, the empty text and a NULL) is loaded from a
//!   CSV file and read back through a view, exactly; between two such jobs, one with a SQL error
//!   fails alone.
//!
//! An engine that cannot be used here (`scripts/sql-engines.sh` installs DuckDB and PySpark;
//! PostgreSQL comes from the system) skips its trials, saying why on stderr, unless
//! `RUBRIC_REQUIRE_SQL_ENGINES=1` (CI), which makes it a failure.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod differential;
mod engines;
#[path = "../codegen/policies.rs"]
#[allow(dead_code)]
mod policies;
#[path = "../codegen/records.rs"]
#[allow(dead_code)]
mod records;

use engines::{Engine, Job, Rows, Runner};
use libtest_mimic::{Arguments, Completion, Failed, Trial};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::Path;
use std::path::PathBuf;

fn main() {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> = Engine::ALL.into_iter().map(smoke).collect();
    for engine in Engine::ALL {
        trials.push(load_trial(engine));
        trials.push(differential_trial(engine, "fixtures", fixture_cases));
        trials.push(differential_trial(engine, "random", random_cases));
    }
    let conclusion = libtest_mimic::run(&args, trials);
    engines::shutdown();
    conclusion.exit();
}

/// A trial on `engine`, which it finds when it runs (so that a filtered-out trial starts
/// nothing): skipped if the engine is missing, unless engines are required.
fn on_engine(
    name: String,
    engine: Engine,
    test: impl FnOnce(&dyn Runner) -> Result<(), Failed> + Send + 'static,
) -> Trial {
    Trial::ignorable_test(name, move || match engines::find(engine) {
        Ok(runner) => test(runner.as_ref()).map(|()| Completion::Completed),
        Err(why) if engines::required() => Err(why.into()),
        Err(why) => {
            eprintln!("skipping {}: {why}", engine.name());
            Ok(Completion::ignored_with(why))
        }
    })
}

fn smoke(engine: Engine) -> Trial {
    on_engine(format!("smoke::{}", engine.name()), engine, smoke_test)
}

fn smoke_test(runner: &dyn Runner) -> Result<(), Failed> {
    let dir = engines::scratch_dir("smoke")?;
    let result = smoke_in(runner, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn smoke_in(runner: &dyn Runner, dir: &Path) -> Result<(), Failed> {
    let engine = runner.engine();
    let text = match engine {
        Engine::Postgres => "TEXT",
        Engine::DuckDb => "VARCHAR",
        Engine::Spark => "STRING",
    };
    let csv = dir.join("input.csv");
    let tricky = "a, \"quoted\"\nline";
    // Row 4's number is 2^53 + 1, which a double would round; its decimal has all 38 digits.
    let input = [
        [Some("2"), Some("-0.000001"), Some(tricky)],
        [Some("1"), Some("1.5"), Some("naïve ✓")],
        [Some("3"), None, None],
        [
            Some("9007199254740993"),
            Some("12345678901234567890123456789012.123456"),
            Some(""),
        ],
    ];
    engines::write_csv(&csv, &["n", "amount", "label"], &input)?;
    let good = Job {
        ddl: engine.create_table(
            "t",
            &[
                ("n", "BIGINT"),
                ("amount", "DECIMAL(38,6)"),
                ("label", text),
            ],
        ),
        csv,
        setup: vec![
            "CREATE VIEW labelled AS SELECT n, amount, label, label IS NULL AS missing FROM t"
                .to_string(),
        ],
        query: "SELECT * FROM labelled ORDER BY n".to_string(),
    };
    let bad = Job {
        query: "SELECT no_such_column FROM labelled".to_string(),
        ..good.clone()
    };
    let value = |v: &str| Some(v.to_string());
    let expected = Rows {
        columns: ["n", "amount", "label", "missing"]
            .map(String::from)
            .to_vec(),
        rows: vec![
            vec![
                value("1"),
                value("1.500000"),
                value("naïve ✓"),
                value("false"),
            ],
            vec![
                value("2"),
                value("-0.000001"),
                value(tricky),
                value("false"),
            ],
            vec![value("3"), None, None, value("true")],
            vec![
                value("9007199254740993"),
                value("12345678901234567890123456789012.123456"),
                value(""),
                value("false"),
            ],
        ],
    };
    let results = runner.run(&[good.clone(), bad, good]);
    let [first, error, again] = results.as_slice() else {
        return Err(format!("{} results for 3 jobs", results.len()).into());
    };
    for result in [first, again] {
        match result {
            Ok(rows) if *rows == expected => {}
            Ok(rows) => return Err(format!("expected {expected:#?}\ngot {rows:#?}").into()),
            Err(why) => return Err(why.clone().into()),
        }
    }
    match error {
        Err(why) if why.contains("no_such_column") => Ok(()),
        Err(why) => Err(format!("the error does not name the column: {why}").into()),
        Ok(rows) => Err(format!("a query of a missing column returned {rows:?}").into()),
    }
}

/// A policy to score, with the records to score it on.
struct Case {
    name: String,
    policy: PathBuf,
    inputs: Vec<(PathBuf, Vec<u8>)>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn compile(path: &Path) -> Result<rubric::ir::Policy, String> {
    let mut sources = rubric::SourceMap::new();
    let file = sources.load(path).map_err(|e| e.to_string())?;
    rubric::compile(&sources, file, &rubric::Options::default())
        .into_policy()
        .map(|(policy, _)| policy)
        .map_err(|_| format!("{} does not compile", path.display()))
}

/// `rubric gen`'s records, as CSV.
fn generated(policy: &Path, records: u64, seed: u64) -> Result<Vec<u8>, String> {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_rubric"))
        .arg("gen")
        .arg(policy)
        .args(["--format", "csv", "--quiet", "--records"])
        .arg(records.to_string())
        .args(["--seed", &seed.to_string()])
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    Ok(output.stdout)
}

/// Generated and hostile records for a policy, and `extra` files.
fn inputs(
    policy: &Path,
    seed: u64,
    count: usize,
    extra: &[PathBuf],
) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let compiled = compile(policy)?;
    let mut inputs = vec![
        (
            PathBuf::from("gen.csv"),
            generated(policy, count as u64, seed)?,
        ),
        (
            PathBuf::from("hostile.csv"),
            records::csv(&compiled, seed, count / 4),
        ),
        (
            PathBuf::from("hostile.jsonl"),
            records::jsonl(&compiled, seed + 1, count / 4),
        ),
    ];
    for path in extra {
        inputs.push((
            path.clone(),
            std::fs::read(path).map_err(|e| e.to_string())?,
        ));
    }
    Ok(inputs)
}

fn fixture_cases() -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    for dir in ["examples", "tests/eval", "tests/codegen"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .map_err(|e| e.to_string())?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "rubric"))
            .collect();
        files.sort();
        for policy in files {
            let extra: Vec<PathBuf> = ["jsonl", "csv"]
                .iter()
                .map(|e| policy.with_extension(e))
                .filter(|p| p.exists())
                .collect();
            let stem = policy.file_stem().unwrap().to_string_lossy().into_owned();
            cases.push(Case {
                name: format!("{dir}/{stem}"),
                inputs: inputs(&policy, 7, 400, &extra)?,
                policy,
            });
        }
    }
    Ok(cases)
}

fn random_cases() -> Result<Vec<Case>, String> {
    let count: usize = std::env::var("RUBRIC_SQL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16);
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let dir = engines::scratch_dir("sql-policies")?;
    let mut cases = Vec::new();
    for i in 0..count {
        let tree = policies::recipe()
            .new_tree(&mut runner)
            .map_err(|e| e.to_string())?;
        let path = dir.join(format!("random_{i:02}.rubric"));
        std::fs::write(&path, policies::render(&tree.current())).map_err(|e| e.to_string())?;
        cases.push(Case {
            name: format!("random_{i:02}"),
            inputs: inputs(&path, 500 + i as u64, 1600, &[])?,
            policy: path,
        });
    }
    Ok(cases)
}

/// Every case through the generated query on `engine`, in one batch.
fn differential_trial(
    engine: Engine,
    group: &'static str,
    cases: fn() -> Result<Vec<Case>, String>,
) -> Trial {
    on_engine(
        format!("differential::{}::{group}", engine.name()),
        engine,
        move |runner| {
            let cases = cases()?;
            let dir = engines::scratch_dir(&format!("sql-{}-{group}", engine.name()))?;
            let mut prepared = Vec::new();
            for (k, case) in cases.iter().enumerate() {
                let policy = compile(&case.policy)?;
                let case_dir = dir.join(format!("case{k:03}"));
                std::fs::create_dir_all(&case_dir).map_err(|e| e.to_string())?;
                prepared.extend(differential::prepare(
                    engine,
                    &case.name,
                    &case.policy,
                    &policy,
                    &case.inputs,
                    &case_dir,
                )?);
            }
            let jobs: Vec<Job> = prepared.iter().map(|p| p.job.clone()).collect();
            let results = runner.run(&jobs);
            let mut failures = Vec::new();
            let mut records = 0;
            for (p, result) in prepared.iter().zip(results) {
                records += p.records;
                match result {
                    Ok(rows) => {
                        if let Err(why) = differential::compare(p, &rows) {
                            failures.push(why);
                        }
                    }
                    Err(why) => failures.push(format!("{}: {}", p.name, first_lines(&why, 8))),
                }
            }
            if std::env::var_os("RUBRIC_SQL_KEEP").is_some() {
                eprintln!("kept the inputs and queries in {}", dir.display());
            } else {
                let _ = std::fs::remove_dir_all(&dir);
            }
            if failures.is_empty() {
                eprintln!(
                    "{}: {} policies, {records} records, identical to rubric eval",
                    engine.name(),
                    prepared.len()
                );
                Ok(())
            } else {
                Err(format!(
                    "{} of {} policies differ:\n{}",
                    failures.len(),
                    prepared.len(),
                    failures.join("\n\n")
                )
                .into())
            }
        },
    )
}

fn first_lines(text: &str, n: usize) -> String {
    text.lines().take(n).collect::<Vec<_>>().join("\n")
}

/// `rubric gen --format csv --record-numbers` loads as it is into the table `--input-ddl`
/// creates, with the engine's own loader, and the view over it gives `rubric eval`'s decisions
/// for that same file.
fn load_trial(engine: Engine) -> Trial {
    on_engine(format!("load::{}", engine.name()), engine, move |runner| {
        let dir = engines::scratch_dir(&format!("sql-load-{}", engine.name()))?;
        let policy_file = root().join("examples/lending.rubric");
        let policy = compile(&policy_file)?;
        let csv = dir.join("input").join("gen.csv");
        std::fs::create_dir_all(csv.parent().unwrap()).map_err(|e| e.to_string())?;
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_rubric"))
            .arg("gen")
            .arg(&policy_file)
            .args([
                "--records",
                "500",
                "--format",
                "csv",
                "--record-numbers",
                "--quiet",
                "-o",
            ])
            .arg(&csv)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err("rubric gen --record-numbers failed".into());
        }
        let prepared = differential::prepare_file(engine, &policy_file, &policy, &csv)?;
        // The column form of the same query, over the same table.
        let mut options = rubric::codegen::sql::Options::new(differential::dialect(engine));
        options.form = rubric::codegen::sql::Form::Columns;
        let columns = Job {
            query: rubric::codegen::sql::generate(&policy, &options)
                .map_err(|e| e.to_string())?
                .lines()
                .filter(|l| !l.starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
                .trim_end_matches(';')
                .to_string(),
            ..prepared.job.clone()
        };
        let results = runner.run(&[prepared.job.clone(), columns]);
        let _ = std::fs::remove_dir_all(&dir);
        let mut results = results.into_iter();
        match results.next() {
            Some(Ok(rows)) => differential::compare(&prepared, &rows)?,
            Some(Err(why)) => return Err(first_lines(&why, 8).into()),
            None => return Err("no result".into()),
        }
        match results.next() {
            Some(Ok(rows)) => differential::compare_columns(&prepared, &rows).map_err(Into::into),
            Some(Err(why)) => Err(first_lines(&why, 8).into()),
            None => Err("no result for the column form".into()),
        }
    })
}
