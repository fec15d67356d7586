//! The `rubric` command line. Each subcommand lives in its own module under `cli/`; this file only
//! parses arguments and maps outcomes to exit codes.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
