//! PostgreSQL: one throwaway cluster per test process, driven with `psql`.
//!
//! The cluster lives in `target/tmp/sql-postgres-<pid>` (data, log and the Unix socket, the only
//! way in: `listen_addresses` is empty, so parallel runs never fight over a port), runs with
//! `fsync` off since nothing in it needs to survive, and is stopped and deleted by
//! [`super::shutdown`]. A run killed before that leaves its cluster running; the next run stops
//! and deletes every such directory whose process is gone.
//!
//! `initdb` and the server refuse to run as root, so as root they run as the `postgres` system
//! user (`runuser`), which owns the directory; `psql` runs as the caller and loads CSV files with
//! the client-side `\copy`, so the server never needs to read them.
//!
//! Each job is one `psql` script in a schema of its own (so every job may use the same table
//! name). Its result is written with `COPY … TO STDOUT (FORMAT csv)`, whose empty unquoted cell is
//! NULL; `\gdesc` beforehand gives the column names and types, so that booleans (`t`/`f` in COPY)
//! can be written `true`/`false` like the other engines.

use super::csv_text;
use super::{output_of, table_name, tail, Engine, Job, Rows, Runner};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

/// The prefix of a cluster directory; the rest of its name is the pid of the process it is for.
const PREFIX: &str = "sql-postgres-";

/// A Unix socket path longer than this (`sun_path` holds 108 bytes with the final NUL) cannot
/// be bound.
const MAX_SOCKET_PATH: usize = 107;

struct Cluster {
    /// The cluster directory: `data/`, `server.log`, the socket, and `jobs/` for psql's files.
    dir: PathBuf,
    bin: PathBuf,
    psql: PathBuf,
    /// Whether server-side commands run as the `postgres` user (this process is root).
    as_postgres: bool,
    stopped: AtomicBool,
}

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();

struct Postgres {
    cluster: &'static Cluster,
}

pub(super) fn find() -> Result<Box<dyn Runner>, String> {
    match CLUSTER.get_or_init(start) {
        Ok(cluster) => Ok(Box::new(Postgres { cluster })),
        Err(why) => Err(why.clone()),
    }
}

pub(super) fn shutdown() {
    if let Some(Ok(cluster)) = CLUSTER.get() {
        if !cluster.stopped.swap(true, Ordering::SeqCst) {
            stop(&cluster.dir, &cluster.bin, cluster.as_postgres);
        }
    }
}

/// Where the server binaries are: `RUBRIC_PG_BINDIR`, else the newest
/// `/usr/lib/postgresql/<version>/bin` (Debian and Ubuntu keep them off `PATH`), else `PATH`.
fn bindir() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("RUBRIC_PG_BINDIR") {
        return Ok(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|dir| dir.join("initdb").exists() && dir.join("pg_ctl").exists())
        .ok_or_else(|| {
            "postgres is not installed: no initdb in /usr/lib/postgresql/*/bin or on PATH \
             (apt-get install postgresql, or set RUBRIC_PG_BINDIR)"
                .to_string()
        })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// A command for a server-side binary, run as `postgres` when this process is root.
fn server_command(bin: &Path, program: &str, as_postgres: bool) -> Command {
    if as_postgres {
        let mut command = Command::new("runuser");
        command
            .args(["-u", "postgres", "--"])
            .arg(bin.join(program));
        command
    } else {
        Command::new(bin.join(program))
    }
}

fn start() -> Result<Cluster, String> {
    let bin = bindir()?;
    for program in ["initdb", "pg_ctl", "postgres"] {
        if !bin.join(program).exists() {
            return Err(format!(
                "postgres is not installed: no {program} in {}",
                bin.display()
            ));
        }
    }
    let psql = if bin.join("psql").exists() {
        bin.join("psql")
    } else {
        PathBuf::from("psql")
    };
    let as_postgres = is_root();
    if as_postgres {
        output_of(Command::new("id").arg("postgres"), "id postgres").map_err(|e| {
            format!("postgres cannot run as root and there is no `postgres` user to run it: {e}")
        })?;
    }
    let base = base_dir();
    clean_stale(&base, &bin, as_postgres);
    super::clean_stale_scratch();
    let dir = base.join(format!("{PREFIX}{}", std::process::id()));
    let socket = dir.join(".s.PGSQL.5432");
    if socket.as_os_str().len() > MAX_SOCKET_PATH {
        return Err(format!(
            "postgres: the socket path {} is longer than {MAX_SOCKET_PATH} bytes",
            socket.display()
        ));
    }
    let started = Instant::now();
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let cluster = Cluster {
        dir,
        bin,
        psql,
        as_postgres,
        stopped: AtomicBool::new(false),
    };
    if let Err(why) = cluster.init() {
        stop(&cluster.dir, &cluster.bin, as_postgres);
        return Err(why);
    }
    eprintln!(
        "postgres: started a throwaway cluster in {} ({:.1}s)",
        cluster.dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(cluster)
}

/// Where cluster directories go: `target/tmp`, unless the socket path would be too long there.
fn base_dir() -> PathBuf {
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    // `<base>/sql-postgres-<pid>/.s.PGSQL.5432`, with room for a 7-digit pid.
    if target.as_os_str().len() + PREFIX.len() + 7 + 14 <= MAX_SOCKET_PATH {
        target
    } else {
        std::env::temp_dir()
    }
}

/// Stops and deletes the clusters of earlier runs whose process is gone (or whose pid this
/// process now has). Without `/proc` it cannot tell, and leaves them.
fn clean_stale(base: &Path, bin: &Path, as_postgres: bool) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let me = std::process::id();
    for entry in std::fs::read_dir(base).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me || !Path::new("/proc").join(pid.to_string()).exists() {
            stop(&entry.path(), bin, as_postgres);
        }
    }
}

/// Stops the server in `dir` if it runs (immediately: nothing in it is worth a checkpoint) and
/// deletes the directory. Failures are ignored: this is cleanup, and a server that is not running
/// is the usual case for a stale directory.
fn stop(dir: &Path, bin: &Path, as_postgres: bool) {
    let data = dir.join("data");
    if data.join("postmaster.pid").exists() {
        let _ = server_command(bin, "pg_ctl", as_postgres)
            .args(["stop", "-s", "-m", "immediate", "-D"])
            .arg(&data)
            .output();
    }
    let _ = std::fs::remove_dir_all(dir);
}

impl Cluster {
    /// `initdb`, settings, `pg_ctl start`.
    fn init(&self) -> Result<(), String> {
        if self.as_postgres {
            output_of(
                Command::new("chown").arg("postgres:").arg(&self.dir),
                "chown postgres",
            )?;
        }
        let data = self.dir.join("data");
        output_of(
            server_command(&self.bin, "initdb", self.as_postgres)
                .arg("-D")
                .arg(&data)
                .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"])
                .args(["--no-sync", "--no-instructions"]),
            "initdb",
        )?;
        // Settings go in the configuration file rather than `pg_ctl -o`, which passes its options
        // through a shell and so would need the directory's path quoted for it.
        let socket_dir = self.dir.to_string_lossy().replace('\'', "''");
        let settings = format!(
            "\n# tests/sql/engines/postgres.rs: a throwaway cluster reached only by its socket\n\
             listen_addresses = ''\nunix_socket_directories = '{socket_dir}'\n\
             fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
        );
        let conf = data.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf)
            .map_err(|e| format!("cannot read {}: {e}", conf.display()))?;
        text.push_str(&settings);
        std::fs::write(&conf, text).map_err(|e| format!("cannot write {}: {e}", conf.display()))?;
        let log = self.dir.join("server.log");
        output_of(
            server_command(&self.bin, "pg_ctl", self.as_postgres)
                .args(["start", "-w", "-t", "60", "-s", "-D"])
                .arg(&data)
                .arg("-l")
                .arg(&log),
            "pg_ctl start",
        )
        .map_err(|e| {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            format!("{e}\nserver log:\n{}", tail(&log, 20))
        })?;
        Ok(())
    }

    fn psql(&self) -> Command {
        let mut command = Command::new(&self.psql);
        command
            .args([
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-U",
                "postgres",
                "-d",
                "postgres",
            ])
            .arg("-h")
            .arg(&self.dir)
            .env("PGCLIENTENCODING", "UTF8")
            .env_remove("PGOPTIONS");
        command
    }
}

impl Runner for Postgres {
    fn engine(&self) -> Engine {
        Engine::Postgres
    }

    fn run(&self, jobs: &[Job]) -> Vec<Result<Rows, String>> {
        jobs.iter().map(|job| self.run_job(job)).collect()
    }
}

impl Postgres {
    fn run_job(&self, job: &Job) -> Result<Rows, String> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        if self.cluster.stopped.load(Ordering::SeqCst) {
            return Err("postgres: the cluster has been shut down".to_string());
        }
        let schema = format!("job_{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let dir = self.cluster.dir.join("jobs").join(&schema);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let result = self.run_in(job, &schema, &dir);
        let _ = std::fs::remove_dir_all(&dir);
        result
    }

    fn run_in(&self, job: &Job, schema: &str, dir: &Path) -> Result<Rows, String> {
        let columns_file = dir.join("columns.csv");
        let rows_file = dir.join("rows.csv");
        let script_file = dir.join("job.sql");
        let script = script(job, schema, &columns_file, &rows_file)?;
        std::fs::write(&script_file, script)
            .map_err(|e| format!("cannot write {}: {e}", script_file.display()))?;
        let out = self
            .cluster
            .psql()
            .arg("-f")
            .arg(&script_file)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.cluster.psql.display()))?;
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            return Err(format!("psql ({}): {}", out.status, stderr.trim()));
        }
        let read = |path: &Path| {
            std::fs::read(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
                .and_then(|bytes| {
                    String::from_utf8(bytes).map_err(|e| format!("{}: {e}", path.display()))
                })
        };
        // `\gdesc` in psql's CSV format: a `Column,Type` header, then one line per column.
        let described = csv_text::parse(&read(&columns_file)?)?;
        let mut columns = Vec::new();
        let mut booleans = Vec::new();
        for mut line in described.into_iter().skip(1) {
            let (Some(kind), Some(name)) = (line.pop(), line.pop()) else {
                return Err(format!(
                    "unexpected \\gdesc output in {}",
                    columns_file.display()
                ));
            };
            booleans.push(kind.text == "boolean");
            columns.push(name.text);
        }
        let mut rows = Vec::new();
        for record in csv_text::parse(&read(&rows_file)?)? {
            if record.len() != columns.len() {
                return Err(format!(
                    "a row of {} values for {} columns",
                    record.len(),
                    columns.len()
                ));
            }
            let row = record
                .into_iter()
                .zip(&booleans)
                .map(|(cell, &boolean)| {
                    let value = cell.into_value();
                    match value.as_deref() {
                        Some("t") if boolean => Some("true".to_string()),
                        Some("f") if boolean => Some("false".to_string()),
                        _ => value,
                    }
                })
                .collect();
            rows.push(row);
        }
        Ok(Rows { columns, rows })
    }
}

/// The psql script of one job. Statements end with `;` on a line of their own, and the query is
/// wrapped on lines of its own, so that a trailing `-- comment` cannot swallow what follows.
fn script(job: &Job, schema: &str, columns: &Path, rows: &Path) -> Result<String, String> {
    let table = table_name(&job.ddl)?;
    let query = job.query.trim_end().trim_end_matches(';').trim_end();
    let mut s = String::new();
    // Until the query, nothing is output: a setup statement may be a SELECT.
    s.push_str("\\o /dev/null\n");
    s.push_str("SET client_min_messages = warning;\n");
    s.push_str("SET DateStyle = ISO, YMD;\nSET TimeZone = 'UTC';\n");
    s.push_str(&format!(
        "CREATE SCHEMA {schema};\nSET search_path TO {schema};\n"
    ));
    s.push_str(&format!("{}\n;\n", job.ddl));
    s.push_str(&format!(
        "\\copy {table} FROM {} WITH (FORMAT csv, HEADER true)\n",
        psql_quote(&job.csv)?
    ));
    for statement in &job.setup {
        s.push_str(&format!("{statement}\n;\n"));
    }
    s.push_str("\\pset format csv\n");
    s.push_str(&format!("\\o {}\n{query}\n\\gdesc\n", psql_quote(columns)?));
    s.push_str(&format!(
        "\\o {}\nCOPY (\n{query}\n) TO STDOUT WITH (FORMAT csv);\n",
        psql_quote(rows)?
    ));
    s.push_str(&format!("\\o /dev/null\nDROP SCHEMA {schema} CASCADE;\n"));
    Ok(s)
}

/// A path as a single-quoted argument of a psql meta-command, where a backslash escapes the
/// next character; meta-commands end at a newline, so a path cannot hold one.
fn psql_quote(path: &Path) -> Result<String, String> {
    let text = path.to_string_lossy();
    if text.contains(['\n', '\r']) {
        return Err(format!("psql cannot read a path with a newline: {text:?}"));
    }
    Ok(format!(
        "'{}'",
        text.replace('\\', "\\\\").replace('\'', "\\'")
    ))
}
