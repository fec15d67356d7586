//! Runs SQL on real engines, for the SQL backend's tests: PostgreSQL, DuckDB and Spark SQL.
//!
//! A test hands a [`Runner`] a batch of [`Job`]s: each job creates one input table, loads it from a
//! CSV file, runs its setup statements and then one query, whose rows come back as text
//! ([`Rows`]). A SQL error fails only its own job.
//!
//! * PostgreSQL (`postgres.rs`): one throwaway cluster per test process, started on first use,
//!   reached through `psql` over a Unix socket; every job in a schema of its own.
//! * DuckDB and Spark SQL (`python.rs`): one `tests/sql/runner.py` process per batch, so Spark's
//!   slow session start is paid once per batch rather than once per query.
//!
//! [`find`] says why an engine cannot be used here (not installed, no Java…); [`required`] says
//! whether that must fail the tests (CI) or only skip them (a developer's machine).

mod csv_text;
mod postgres;
mod python;

pub use csv_text::write_csv;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Once;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Postgres,
    DuckDb,
    Spark,
}

impl Engine {
    pub const ALL: [Engine; 3] = [Engine::Postgres, Engine::DuckDb, Engine::Spark];

    pub fn name(self) -> &'static str {
        match self {
            Engine::Postgres => "postgres",
            Engine::DuckDb => "duckdb",
            Engine::Spark => "spark",
        }
    }

    /// `CREATE TABLE name (column type, …)` as [`Job::ddl`] wants it in this engine's dialect
    /// (for Spark, a CSV table without its location). Names and types are written as given.
    pub fn create_table(self, name: &str, columns: &[(&str, &str)]) -> String {
        let columns: Vec<String> = columns.iter().map(|(c, t)| format!("{c} {t}")).collect();
        let ddl = format!("CREATE TABLE {name} ({})", columns.join(", "));
        match self {
            Engine::Spark => format!("{ddl} USING csv OPTIONS (header 'true')"),
            Engine::Postgres | Engine::DuckDb => ddl,
        }
    }
}

/// One query to run on a freshly created input table.
#[derive(Clone, Debug)]
pub struct Job {
    /// `CREATE TABLE <name> (<columns>)` in the engine's dialect (for Spark: `CREATE TABLE name
    /// (cols) USING csv OPTIONS (header 'true')`, with no path/LOCATION: the runner appends
    /// ` LOCATION '<dir>'` where dir is a directory holding only this job's CSV, and adds the CSV
    /// options the DDL does not set that make Spark read the file as PostgreSQL and DuckDB do:
    /// `multiLine`, `escape '"'`, a `nullValue` that only an unquoted empty cell matches, and
    /// `mode 'FAILFAST'` so a bad cell is an error rather than a silent NULL).
    /// [`Engine::create_table`] writes one.
    pub ddl: String,
    /// A CSV file with a header row whose columns are the table's, in order; empty unquoted cells
    /// are NULL (`""` is the empty text). [`write_csv`] writes one.
    pub csv: PathBuf,
    /// Other statements to run after loading and before the query (e.g. `CREATE VIEW …`), may be
    /// empty.
    pub setup: Vec<String>,
    /// A SELECT; its rows are returned in the order the engine returns them (the query has its own
    /// ORDER BY).
    pub query: String,
}

/// A query's result: every value as text (the engine's own text form of numbers and decimals,
/// booleans as `true`/`false`), NULL as `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

/// An engine ready to run jobs. Shared between trials, which run on several threads.
pub trait Runner: Send + Sync {
    fn engine(&self) -> Engine;
    /// One result per job, in order: the job's rows, or its error (with the engine's own message).
    fn run(&self, jobs: &[Job]) -> Vec<Result<Rows, String>>;
}

/// The engine if it can be used here, else why not (e.g. "duckdb is not installed: run
/// scripts/sql-engines.sh"). For PostgreSQL this starts the process's cluster (once).
pub fn find(engine: Engine) -> Result<Box<dyn Runner>, String> {
    match engine {
        Engine::Postgres => postgres::find(),
        Engine::DuckDb | Engine::Spark => python::find(engine),
    }
}

/// Whether a missing engine must fail the tests: `RUBRIC_REQUIRE_SQL_ENGINES=1` (CI sets it).
pub fn required() -> bool {
    std::env::var("RUBRIC_REQUIRE_SQL_ENGINES").is_ok_and(|v| v == "1")
}

/// Stops the PostgreSQL cluster, if this process started one, and deletes its directory. The test
/// binary's `main` calls it once the trials are done (a process killed before that leaves a
/// cluster behind, which the next run stops and deletes).
pub fn shutdown() {
    postgres::shutdown();
}

/// The name `ddl` creates: what follows `CREATE [TEMP[ORARY]] TABLE [IF NOT EXISTS]`, as written
/// (quotes included), up to a space or `(`.
fn table_name(ddl: &str) -> Result<String, String> {
    let not_create = || format!("not a `CREATE TABLE name (…)` statement: {ddl}");
    let mut words = ddl.trim_start();
    for expected in ["CREATE", "TABLE"] {
        words = strip_word(words, expected).ok_or_else(not_create)?;
        if expected == "CREATE" {
            for optional in ["TEMPORARY", "TEMP"] {
                if let Some(rest) = strip_word(words, optional) {
                    words = rest;
                }
            }
        }
    }
    if let Some(rest) = strip_word(words, "IF")
        .and_then(|w| strip_word(w, "NOT"))
        .and_then(|w| strip_word(w, "EXISTS"))
    {
        words = rest;
    }
    let mut name = String::new();
    let mut quote = None;
    for c in words.chars() {
        match quote {
            // A doubled quote inside a quoted name comes out as two quotes here, which is how
            // the name is written, so it needs no special case.
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '`' => quote = Some(c),
            None if c.is_whitespace() || c == '(' => break,
            None => {}
        }
        name.push(c);
    }
    if name.is_empty() || quote.is_some() {
        return Err(not_create());
    }
    Ok(name)
}

/// `text` without its leading keyword `word` (any case) and the spaces after it.
fn strip_word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let head = text.get(..word.len())?;
    let rest = text.get(word.len()..)?;
    let ends = rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == '(');
    (head.eq_ignore_ascii_case(word) && ends).then(|| rest.trim_start())
}

/// A new, empty directory `target/tmp/sql-<kind>-<pid>-<n>` (`kind` without `-`) for one
/// batch's or trial's files. The caller deletes it; a killed run's are deleted by the next run.
pub fn scratch_dir(kind: &str) -> Result<PathBuf, String> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    clean_stale_scratch();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("sql-{kind}-{}-{n}", std::process::id()));
    // A directory of the same name is left over from a killed run whose pid this one reuses.
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// Deletes the scratch directories (`sql-<kind>-<pid>-<n>`) of runs killed before they could.
/// Without `/proc` it cannot tell which runs are gone, and leaves them.
fn clean_stale_scratch() {
    static CLEANED: Once = Once::new();
    CLEANED.call_once(|| {
        if Path::new("/proc/self").exists() {
            clean_scratch_of_gone_runs();
        }
    });
}

fn clean_scratch_of_gone_runs() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for entry in std::fs::read_dir(base).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let parts: Vec<&str> = name.to_str().unwrap_or_default().split('-').collect();
        if let ["sql", _, pid, n] = parts.as_slice() {
            let gone = !Path::new("/proc").join(pid).exists();
            if pid.parse::<u32>().is_ok() && n.parse::<u64>().is_ok() && gone {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// The last `lines` lines of `text`, trimmed: the useful end of a long stderr.
fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.trim_end().lines().collect();
    all.get(all.len().saturating_sub(lines)..)
        .unwrap_or_default()
        .join("\n")
}

/// Runs `command` to completion; its stdout if it succeeded, else a message with its stderr.
fn output_of(command: &mut Command, what: &str) -> Result<String, String> {
    let out = command
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let mut text = String::from_utf8_lossy(&out.stderr).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stdout));
        Err(format!(
            "{what} failed ({}): {}",
            out.status,
            tail(&text, 20)
        ))
    }
}
