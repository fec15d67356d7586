//! `rubric build POLICY --target rust -o DIR`: generate a standalone evaluator crate, and with
//! `--compile` build it and print the path of the executable as the last line.

use super::Outcome;
use rubric::codegen::rust::{self, Options};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  rubric build examples/lending.rubric --target rust -o lending-evaluator
  rubric build examples/lending.rubric --target rust -o lending-evaluator --compile
  rubric build examples/lending.rubric --target rust -o what-if --set large_loan_penalty=60

The crate has a library (a typed `Input`, `evaluate`, the same `Decision` as `rubric eval`) and a
binary with the command-line contract of `rubric eval`, whose output is byte-identical to it.
Exit codes: 0 generated (and built), 2 the command could not run (a policy with errors, a bad
--set, unwritable files, a failed build).")]
pub struct Args {
    /// The policy to compile.
    policy: PathBuf,
    /// What to generate.
    #[arg(long, value_enum)]
    target: Target,
    /// The directory to write the crate into (created if needed; generated files are replaced).
    #[arg(long, short)]
    output: PathBuf,
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

#[derive(Clone, Copy, clap::ValueEnum)]
enum Target {
    Rust,
}

pub fn run(args: Args) -> Outcome {
    super::load::with_policy(&args.policy, &args.overrides, |_, policy| {
        write_crate(&args, policy)
    })
}

fn write_crate(args: &Args, policy: &rubric::ir::Policy) -> Outcome {
    let Target::Rust = args.target;
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
    if let Err(e) = krate.write(&args.output) {
        eprintln!("error: cannot write `{}`: {e}", args.output.display());
        return Outcome::Failure;
    }
    super::print_out(&format!(
        "generated crate `{}` in {}\n",
        krate.name,
        args.output.display()
    ));
    if args.compile {
        match compile(&args.output, &krate.name) {
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
