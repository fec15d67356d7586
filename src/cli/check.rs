//! `rubric check FILE…`: report every problem in the given policies.

use super::Outcome;
use codespan_reporting::term::termcolor::StandardStream;
use rubric::diagnostics::{
    render_human, render_json, render_sarif, render_suppressed_json, Diagnostic, JsonReport,
    Severity, Suppressed, JSON_VERSION,
};
use rubric::SourceMap;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  rubric check examples/civic_trust.rubric\n  rubric check --deny-warnings --format json examples/*.rubric\n  rubric check --strict --format sarif policies/*.rubric > rubric.sarif\n\nA warning can be suppressed where it occurs, with a reason, by a clause in the declaration:\n  allow W1005 because \"the cap is set by the regulation even though it cannot bind yet\"\nErrors cannot be suppressed."
)]
pub struct Args {
    /// Policy files to check.
    #[arg(required = true)]
    files: Vec<std::path::PathBuf>,
    /// Output format for diagnostics: `human` (on stderr), `json` or `sarif` (on stdout).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Treat warnings as errors (exit 1 when any warning is reported).
    #[arg(long)]
    deny_warnings: bool,
    /// Due-process warnings are errors: a consequence without an appeal route or a basis (W0500,
    /// W0501), a rule without a basis or a reason (W0600, W0601).
    #[arg(long)]
    strict: bool,
    /// Check a what-if run: the policy with a param's value replaced, e.g. `--set
    /// late_tax_penalty=25` (repeatable). Every check runs on the values given.
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = super::load::parse_override)]
    overrides: Vec<(String, String)>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

pub fn run(args: Args) -> Outcome {
    let mut sources = SourceMap::new();
    let mut diagnostics: Vec<(Severity, Diagnostic)> = Vec::new();
    let mut suppressed: Vec<Suppressed> = Vec::new();
    for path in &args.files {
        let file = match sources.load(path) {
            Ok(file) => file,
            Err(message) => {
                eprintln!("error: {message}");
                return Outcome::Failure;
            }
        };
        let options = rubric::Options {
            strict: args.strict,
            overrides: rubric::check::command_line(&mut sources, &args.overrides),
        };
        let compiled = rubric::compile(&sources, file, &options);
        diagnostics.extend(compiled.diagnostics());
        suppressed.extend(compiled.suppressed());
    }
    let errors = diagnostics
        .iter()
        .filter(|(s, _)| *s == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let plain: Vec<Diagnostic> = diagnostics.into_iter().map(|(_, d)| d).collect();
    let files: Vec<String> = args.files.iter().map(|p| p.display().to_string()).collect();
    match args.format {
        Format::Human => {
            let mut out = StandardStream::stderr(super::color_choice());
            if let Err(e) = render_human(&mut out, &sources, &plain) {
                eprintln!("error: cannot write diagnostics: {e}");
                return Outcome::Failure;
            }
            if errors + warnings > 0 {
                let hidden = if suppressed.is_empty() {
                    String::new()
                } else {
                    format!(" ({} suppressed with a reason)", suppressed.len())
                };
                eprintln!(
                    "{} error(s), {} warning(s){hidden} in {} file(s)",
                    errors,
                    warnings,
                    args.files.len()
                );
            }
        }
        Format::Json => {
            let report = JsonReport {
                version: JSON_VERSION,
                files,
                errors,
                warnings,
                diagnostics: render_json(&sources, &plain),
                suppressed: render_suppressed_json(&sources, &suppressed),
            };
            if !print(&serde_json::to_string_pretty(&report).unwrap_or_default()) {
                return Outcome::Failure;
            }
        }
        Format::Sarif => {
            let log = render_sarif(&sources, &files, &plain, &suppressed);
            if !print(&serde_json::to_string_pretty(&log).unwrap_or_default()) {
                return Outcome::Failure;
            }
        }
    }
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        Outcome::Problems
    } else {
        Outcome::Success
    }
}

/// Writes `text` and a line break to stdout; `false` when stdout is gone (a closed pipe).
fn print(text: &str) -> bool {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").and_then(|()| out.flush()).is_ok()
}
