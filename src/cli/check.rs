//! `rubric check FILE…`: report every problem in the given policies.

use super::Outcome;
use codespan_reporting::term::termcolor::StandardStream;
use rubric::diagnostics::{render_human, render_json, Diagnostic, Severity};
use rubric::SourceMap;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  rubric check examples/civic_trust.rubric\n  rubric check --deny-warnings --format json examples/*.rubric"
)]
pub struct Args {
    /// Policy files to check.
    #[arg(required = true)]
    files: Vec<std::path::PathBuf>,
    /// Output format for diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Treat warnings as errors (exit 1 when any warning is reported).
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

pub fn run(args: Args) -> Outcome {
    let mut sources = SourceMap::new();
    let mut diagnostics: Vec<(Severity, Diagnostic)> = Vec::new();
    for path in &args.files {
        let file = match sources.load(path) {
            Ok(file) => file,
            Err(message) => {
                eprintln!("error: {message}");
                return Outcome::Failure;
            }
        };
        diagnostics.extend(rubric::diagnose(&sources, file));
    }
    let errors = diagnostics
        .iter()
        .filter(|(s, _)| *s == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let plain: Vec<Diagnostic> = diagnostics.into_iter().map(|(_, d)| d).collect();
    match args.format {
        Format::Human => {
            let mut out = StandardStream::stderr(super::color_choice());
            if let Err(e) = render_human(&mut out, &sources, &plain) {
                eprintln!("error: cannot write diagnostics: {e}");
                return Outcome::Failure;
            }
            if errors + warnings > 0 {
                eprintln!(
                    "{} error(s), {} warning(s) in {} file(s)",
                    errors,
                    warnings,
                    args.files.len()
                );
            }
        }
        Format::Json => {
            let json = serde_json::json!({
                "files": args.files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "errors": errors,
                "warnings": warnings,
                "diagnostics": render_json(&sources, &plain),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
    }
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        Outcome::Problems
    } else {
        Outcome::Success
    }
}
