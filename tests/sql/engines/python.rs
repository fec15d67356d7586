//! DuckDB and Spark SQL: each batch of jobs in one `tests/sql/runner.py` process.
//!
//! The jobs go to the runner as a JSON manifest and come back as a JSON file with one result per
//! job. The engines are Python packages in `RUBRIC_SQL_ENGINES_DIR`, else
//! `target/sql-engines/python` (where `scripts/sql-engines.sh` installs them), run by
//! `RUBRIC_PYTHON` (default `python3`). The runner's output (Spark's JVM logs to stderr) is kept in
//! files and shown only when the runner itself fails, as opposed to a job.

use super::{output_of, scratch_dir, table_name, tail, Engine, Job, Rows, Runner};
use serde::Deserialize;
use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

struct Python {
    engine: Engine,
}

pub(super) fn find(engine: Engine) -> Result<Box<dyn Runner>, String> {
    static DUCKDB: OnceLock<Result<(), String>> = OnceLock::new();
    static SPARK: OnceLock<Result<(), String>> = OnceLock::new();
    let check = if engine == Engine::Spark {
        &SPARK
    } else {
        &DUCKDB
    };
    check.get_or_init(|| available(engine)).clone()?;
    Ok(Box::new(Python { engine }))
}

fn engines_dir() -> PathBuf {
    std::env::var_os("RUBRIC_SQL_ENGINES_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sql-engines/python"),
        PathBuf::from,
    )
}

fn python() -> OsString {
    std::env::var_os("RUBRIC_PYTHON").unwrap_or_else(|| "python3".into())
}

fn available(engine: Engine) -> Result<(), String> {
    let dir = engines_dir();
    let missing = |why: String| {
        format!(
            "{} is not installed: run scripts/sql-engines.sh ({why})",
            engine.name()
        )
    };
    if !dir.is_dir() {
        return Err(missing(format!("no directory {}", dir.display())));
    }
    let module = if engine == Engine::Spark {
        "pyspark"
    } else {
        "duckdb"
    };
    output_of(
        Command::new(python())
            .args(["-c", &format!("import {module}")])
            .env("PYTHONPATH", &dir),
        &format!("import {module} from {}", dir.display()),
    )
    .map_err(missing)?;
    if engine == Engine::Spark {
        output_of(Command::new("java").arg("-version"), "java -version")
            .map_err(|e| format!("spark needs Java 17 or later on PATH: {e}"))?;
    }
    Ok(())
}

/// One job's result as the runner writes it: `{"ok": {"columns": […], "rows": […]}}` or
/// `{"err": "message"}`.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Outcome {
    Ok {
        columns: Vec<String>,
        rows: Vec<Vec<Option<String>>>,
    },
    Err(String),
}

#[derive(Deserialize)]
struct Results {
    results: Vec<Outcome>,
}

impl Runner for Python {
    fn engine(&self) -> Engine {
        self.engine
    }

    fn run(&self, jobs: &[Job]) -> Vec<Result<Rows, String>> {
        // A job whose DDL names no table fails here; the others go to the runner.
        let mut results: Vec<Option<Result<Rows, String>>> = Vec::new();
        let mut sent = Vec::new();
        let mut manifest = Vec::new();
        for (i, job) in jobs.iter().enumerate() {
            match entry(job) {
                Ok(entry) => {
                    sent.push(i);
                    manifest.push(entry);
                    results.push(None);
                }
                Err(why) => results.push(Some(Err(why))),
            }
        }
        if !manifest.is_empty() {
            let outcomes = self
                .batch(manifest)
                .unwrap_or_else(|why| vec![Err(why); sent.len()]);
            for (i, result) in sent.into_iter().zip(outcomes) {
                if let Some(slot) = results.get_mut(i) {
                    *slot = Some(result);
                }
            }
        }
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err("the runner returned no result".to_string())))
            .collect()
    }
}

/// A job as the manifest holds it, with an absolute CSV path: the runner runs elsewhere.
fn entry(job: &Job) -> Result<serde_json::Value, String> {
    let table = table_name(&job.ddl)?;
    let csv = std::path::absolute(&job.csv)
        .map_err(|e| format!("cannot resolve {}: {e}", job.csv.display()))?;
    Ok(serde_json::json!({
        "table": table,
        "ddl": job.ddl,
        "csv": csv.to_string_lossy(),
        "setup": job.setup,
        "query": job.query,
    }))
}

impl Python {
    /// Runs the jobs in one runner process: their results, or why the runner itself failed.
    fn batch(&self, jobs: Vec<serde_json::Value>) -> Result<Vec<Result<Rows, String>>, String> {
        let dir = scratch_dir(self.engine.name())?;
        let result = self.batch_in(&dir, jobs);
        let _ = std::fs::remove_dir_all(&dir);
        result
    }

    fn batch_in(
        &self,
        dir: &Path,
        jobs: Vec<serde_json::Value>,
    ) -> Result<Vec<Result<Rows, String>>, String> {
        let count = jobs.len();
        let manifest = dir.join("manifest.json");
        let out = dir.join("out.json");
        let log = dir.join("runner.log");
        let text = serde_json::json!({ "scratch": dir.to_string_lossy(), "jobs": jobs });
        std::fs::write(&manifest, text.to_string())
            .map_err(|e| format!("cannot write {}: {e}", manifest.display()))?;
        let log_file =
            File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let log_err = log_file
            .try_clone()
            .map_err(|e| format!("cannot share {}: {e}", log.display()))?;
        let runner = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sql/runner.py");
        let child = Command::new(python())
            .arg(&runner)
            .arg(self.engine.name())
            .arg(&manifest)
            .arg(&out)
            .env("PYTHONPATH", engines_dir())
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(log_file)
            .stderr(log_err)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", runner.display()))?;
        let status = wait(child, timeout(count))?;
        let failed = |what: String| {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            format!("{what}; its output ends:\n{}", tail(&log, 30))
        };
        if !status.success() {
            return Err(failed(format!(
                "{} runner failed ({status})",
                self.engine.name()
            )));
        }
        let text = std::fs::read_to_string(&out)
            .map_err(|e| failed(format!("cannot read {}: {e}", out.display())))?;
        let results: Results = serde_json::from_str(&text)
            .map_err(|e| failed(format!("bad runner output {}: {e}", out.display())))?;
        if results.results.len() != count {
            return Err(format!(
                "the runner returned {} results for {count} jobs",
                results.results.len()
            ));
        }
        Ok(results
            .results
            .into_iter()
            .map(|outcome| match outcome {
                Outcome::Ok { columns, rows } => Ok(Rows { columns, rows }),
                Outcome::Err(why) => Err(why),
            })
            .collect())
    }
}

/// How long a batch may take: `RUBRIC_SQL_TIMEOUT` seconds, else generous room for Spark's start
/// and its slowest queries, so that only a hung engine hits it.
fn timeout(jobs: usize) -> Duration {
    let secs = std::env::var("RUBRIC_SQL_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| 300 + 30 * u64::try_from(jobs).unwrap_or(u64::MAX / 60));
    Duration::from_secs(secs)
}

/// Waits for `child`, killing it after `limit`. (A killed runner takes Spark's JVM with it: the
/// JVM exits when its parent's pipe to it closes.)
fn wait(
    mut child: std::process::Child,
    limit: Duration,
) -> Result<std::process::ExitStatus, String> {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the runner took longer than {limit:?} and was killed"
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("cannot wait for the runner: {e}")),
        }
    }
}
