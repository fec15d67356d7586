//! `rubric build POLICY --target rust -o DIR`: generate a standalone evaluator crate, and with
//! `--compile` build it and print the path of the executable as the last line.
//! `rubric build POLICY --target sql --dialect D [-o FILE]`: the policy as one SQL query (or,
//! with `--input-ddl`, the `CREATE TABLE` of the table it reads).

use super::Outcome;
use rubric::codegen::rust::{self, Options};
use rubric::codegen::sql;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  rubric build examples/lending.rubric --target rust -o lending-evaluator
  rubric build examples/lending.rubric --target rust -o lending-evaluator --compile
  rubric build examples/lending.rubric --target rust -o what-if --set large_loan_penalty=60
  rubric build examples/lending.rubric --target sql --dialect postgres --input-ddl
  rubric build examples/lending.rubric --target sql --dialect duckdb --table applicants -o score.sql
  rubric build examples/lending.rubric --target sql --dialect spark --view decisions --form columns

The crate has a library (a typed `Input`, `evaluate`, the same `Decision` as `rubric eval`) and a
binary with the command-line contract of `rubric eval`, whose output is byte-identical to it.
The SQL query reads a table with the columns `--input-ddl` declares and gives one row per input
row: its `decision` text is the JSON line `rubric eval` writes for that record, byte for byte, or
`error`, `field` and `message` say why `rubric eval` would reject it.
Exit codes: 0 generated (and built), 2 the command could not run (a policy with errors, a bad
--set, unwritable files, a failed build).")]
pub struct Args {
    /// The policy to compile.
    policy: PathBuf,
    /// What to generate.
    #[arg(long, value_enum)]
    target: Target,
    /// Rust: the directory to write the crate into (created if needed; generated files are
    /// replaced). SQL: the file to write (default: standard output).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// SQL: the engine to write for.
    #[arg(long, value_enum)]
    dialect: Option<DialectArg>,
    /// SQL: the input table, as the engine names it (`schema.table` is fine).
    #[arg(long, default_value = "input")]
    table: String,
    /// SQL: a `CREATE VIEW NAME AS …` instead of a plain `SELECT … ORDER BY record`.
    #[arg(long, value_name = "NAME")]
    view: Option<String>,
    /// SQL: the decision as one JSON text column `decision` (byte-identical to `rubric eval`),
    /// or one column per field.
    #[arg(long, value_enum, default_value = "json")]
    form: FormArg,
    /// SQL: write the `CREATE TABLE` statement of the input table instead of the query.
    #[arg(long)]
    input_ddl: bool,
    /// SQL (DuckDB, Spark): the decimals a decimal indicator's column holds.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(0..=18))]
    input_decimals: u32,
    /// The crate's package name (default: from the policy's file name).
    #[arg(long)]
    name: Option<String>,
    /// Compile a param's value in, e.g. `--set late_tax_penalty=25` (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = super::load::parse_override)]
    overrides: Vec<(String, String)>,
    /// Also build the crate (`cargo build --release`) and print the executable's path last.
    #[arg(long)]
    compile: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Target {
    Rust,
    Sql,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DialectArg {
    Postgres,
    Duckdb,
    Spark,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormArg {
    Json,
    Columns,
}

pub fn run(args: Args) -> Outcome {
    super::load::with_policy(&args.policy, &args.overrides, |_, policy| {
        match args.target {
            Target::Rust => write_crate(&args, policy),
            Target::Sql => write_sql(&args, policy),
        }
    })
}

fn write_sql(args: &Args, policy: &rubric::ir::Policy) -> Outcome {
    let Some(dialect) = args.dialect else {
        eprintln!("error: `--target sql` needs `--dialect postgres`, `duckdb` or `spark`");
        return Outcome::Failure;
    };
    let dialect = match dialect {
        DialectArg::Postgres => sql::Dialect::Postgres,
        DialectArg::Duckdb => sql::Dialect::DuckDb,
        DialectArg::Spark => sql::Dialect::Spark,
    };
    let mut options = sql::Options::new(dialect);
    options.table = args.table.clone();
    options.view = args.view.clone();
    options.form = match args.form {
        FormArg::Json => sql::Form::Json,
        FormArg::Columns => sql::Form::Columns,
    };
    options.input_decimals = args.input_decimals;
    options.source_name = args
        .policy
        .file_name()
        .map(|s| s.to_string_lossy().into_owned());
    let text = if args.input_ddl {
        sql::input_ddl(policy, &options)
    } else {
        sql::generate(policy, &options)
    };
    let text = match text {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: {e}");
            return Outcome::Failure;
        }
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, text) {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                return Outcome::Failure;
            }
        }
        None => super::print_out(&text),
    }
    Outcome::Success
}

fn write_crate(args: &Args, policy: &rubric::ir::Policy) -> Outcome {
    let Some(output) = &args.output else {
        eprintln!(
            "error: `--target rust` needs `--output DIR`, the directory to write the crate into"
        );
        return Outcome::Failure;
    };
    let stem = args
        .policy
        .file_stem()
        .map_or("policy".to_string(), |s| s.to_string_lossy().into_owned());
    let options = Options {
        crate_name: args.name.clone().unwrap_or_else(|| rust::crate_name(&stem)),
        source_name: args
            .policy
            .file_name()
            .map(|s| s.to_string_lossy().into_owned()),
    };
    let mut krate = match rust::generate(policy, &options) {
        Ok(krate) => krate,
        Err(e) => {
            eprintln!("error: {e}");
            return Outcome::Failure;
        }
    };
    if let Err(e) = rust::rustfmt(&mut krate) {
        eprintln!("warning: the generated code is not formatted: {e}");
    }
    if let Err(e) = krate.write(output) {
        eprintln!("error: cannot write `{}`: {e}", output.display());
        return Outcome::Failure;
    }
    super::print_out(&format!(
        "generated crate `{}` in {}\n",
        krate.name,
        output.display()
    ));
    if args.compile {
        match compile(output, &krate.name) {
            Ok(executable) => super::print_out(&format!("{}\n", executable.display())),
            Err(e) => {
                eprintln!("error: {e}");
                return Outcome::Failure;
            }
        }
    }
    Outcome::Success
}

/// Runs `cargo build --release` in the crate; returns the executable's path.
fn compile(dir: &Path, name: &str) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let status = Command::new(&cargo)
        .args(["build", "--release", "--quiet"])
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    if !status.success() {
        return Err(format!(
            "`cargo build --release` failed in {}",
            dir.display()
        ));
    }
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => PathBuf::from(t),
        None => dir.join("target"),
    };
    let executable = target
        .join("release")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let executable = std::fs::canonicalize(&executable).unwrap_or(executable);
    if !executable.exists() {
        return Err(format!(
            "the build did not produce {}",
            executable.display()
        ));
    }
    Ok(executable)
}
