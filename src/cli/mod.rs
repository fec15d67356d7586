//! Argument parsing and dispatch. Exit codes are part of the contract with deployment tooling:
//! 0 success, 1 the policy (or data) has problems, 2 the command could not run (usage, I/O).

mod build;
mod check;
mod docs;
mod eval;
mod explain;
mod gen;
mod load;
mod test;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "rubric",
    version,
    about = "Check, evaluate and document scoring policies written in the Rubric language.",
    after_help = "Examples:\n  rubric check examples/civic_trust.rubric\n  rubric check --format json --deny-warnings policies/*.rubric\n  rubric explain E0102\n  rubric docs examples/*.rubric -o site\n  rubric gen examples/lending.rubric --records 1000 | rubric eval examples/lending.rubric\n\nExit codes: 0 success, 1 problems found, 2 the command could not run."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check policies and report every problem found.
    Check(check::Args),
    /// Score records (JSONL or CSV) and explain every decision.
    Eval(eval::Args),
    /// Run the tests written in policies.
    Test(test::Args),
    /// Generate an evaluator that runs without Rubric (`--target rust`: a Cargo crate).
    Build(build::Args),
    /// Write documentation for reviewers (Markdown and static HTML).
    Docs(docs::Args),
    /// Explain a diagnostic code in detail, with an example.
    Explain(explain::Args),
    /// Generate synthetic records (JSONL or CSV) that cover every tier and consequence.
    Gen(gen::Args),
}

/// The outcome of a subcommand, mapped to the process exit code.
pub enum Outcome {
    Success,
    Problems,
    Failure,
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    let outcome = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Test(args) => test::run(args),
        Command::Build(args) => build::run(args),
        Command::Docs(args) => docs::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Gen(args) => gen::run(args),
    };
    match outcome {
        Outcome::Success => ExitCode::SUCCESS,
        Outcome::Problems => ExitCode::from(1),
        Outcome::Failure => ExitCode::from(2),
    }
}

/// Colour only when stderr is a terminal and NO_COLOR is not set.
pub fn color_choice() -> codespan_reporting::term::termcolor::ColorChoice {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        codespan_reporting::term::termcolor::ColorChoice::Auto
    } else {
        codespan_reporting::term::termcolor::ColorChoice::Never
    }
}

/// Writes `text` to standard output. A closed pipe (`rubric test … | head`) is not an error: the
/// reader has seen what it wanted, so the rest is dropped instead of panicking as `print!` would.
pub fn print_out(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
