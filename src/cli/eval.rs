//! `rubric eval POLICY [INPUT]`: score records, streaming decisions out and rejected records aside.

use super::Outcome;
use rubric::eval::{Format, Interpreter, Options, Summary};
use rubric::phrase::{Explainer, Phraser};
use rubric::runtime::cli;
use rubric::runtime::decision::Decision;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  rubric eval examples/lending.rubric examples/lending.jsonl
  rubric eval examples/lending.rubric data.csv --output decisions.csv --errors rejected.jsonl
  rubric eval examples/lending.rubric --set large_loan_penalty=60 < applicants.jsonl

Each decision is one JSON line (see the README for its fields). Rejected records are reported on
stderr (or as JSON lines in --errors FILE) and never stop the batch.
Exit codes: 0 every record decided, 1 some records rejected (0 with --allow-rejects), 2 the
command could not run (unreadable files, a policy with errors, --set values that break it).")]
pub struct Args {
    /// The policy to evaluate.
    policy: PathBuf,
    /// Records to score (JSONL or CSV); standard input when absent or `-`.
    input: Option<PathBuf>,
    /// Input format (default: from the input's extension, else jsonl).
    #[arg(long, value_enum)]
    input_format: Option<FormatArg>,
    /// Write decisions here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Output format (default: from the output's extension, else jsonl).
    #[arg(long, value_enum)]
    output_format: Option<FormatArg>,
    /// Write rejected records here as JSON lines instead of to stderr.
    #[arg(long)]
    errors: Option<PathBuf>,
    /// Override a param for a what-if run, e.g. `--set large_loan_penalty=60` (repeatable). The
    /// policy is checked with the values given; a value that breaks it stops the run (exit 2).
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = super::load::parse_override)]
    overrides: Vec<(String, String)>,
    /// The field that identifies each record in the output.
    #[arg(long, default_value = "id")]
    id_field: String,
    /// Exit 0 even when some records were rejected.
    #[arg(long)]
    allow_rejects: bool,
    /// Add to each decision an "explanation": plain-language sentences for each rule that fired,
    /// the score (and clamping), the tier, the consequences and the main reasons. JSON lines only;
    /// the default output is unchanged without it.
    #[arg(long)]
    explain: bool,
    /// What each decision carries: a comma-separated list of its members, e.g.
    /// `id,score,tier,consequences` (default: all of them). Members keep the decision's order;
    /// a compact run also skips work nothing it writes needs (reasons are not ranked unless
    /// written). The README's decision table lists them.
    #[arg(long, value_name = "LIST")]
    fields: Option<String>,
    /// How many threads score records (default: the available cores). The output, the errors
    /// and the summary are the same with any number.
    #[arg(long, value_name = "N", value_parser = cli::threads)]
    threads: Option<usize>,
    /// Do not print the summary.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Jsonl,
    Csv,
}

fn explicit(format: Option<FormatArg>) -> Option<Format> {
    format.map(|f| match f {
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Csv => Format::Csv,
    })
}

fn format_of(format: Option<FormatArg>, path: Option<&Path>) -> Format {
    cli::format_of(explicit(format), path)
}

pub fn run(args: Args) -> Outcome {
    super::load::with_policy(&args.policy, &args.overrides, |model, policy| {
        score(&args, model, policy)
    })
}

fn score(args: &Args, model: &rubric::check::Model<'_>, policy: &rubric::ir::Policy) -> Outcome {
    let input_path = args.input.as_deref().filter(|p| *p != Path::new("-"));
    if args.explain && format_of(args.output_format, args.output.as_deref()) != Format::Jsonl {
        eprintln!("error: --explain adds a field to JSON decisions; it needs JSON lines output");
        return Outcome::Failure;
    }
    let options = match cli::options(
        explicit(args.input_format),
        input_path,
        explicit(args.output_format),
        args.output.as_deref(),
        &args.id_field,
        args.threads,
        args.fields.as_deref(),
    ) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}");
            return Outcome::Failure;
        }
    };
    match batch(args, model, policy, input_path, &options) {
        Ok(summary) => {
            if !args.quiet {
                eprintln!("{}", summary.describe());
            }
            if summary.rejected > 0 && !args.allow_rejects {
                Outcome::Problems
            } else {
                Outcome::Success
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            Outcome::Failure
        }
    }
}

fn batch(
    args: &Args,
    model: &rubric::check::Model<'_>,
    policy: &rubric::ir::Policy,
    input_path: Option<&Path>,
    options: &Options,
) -> Result<Summary, String> {
    let total_bytes = match input_path {
        Some(path) => std::fs::metadata(path).ok().map(|m| m.len()),
        None => None,
    };
    let bar = progress_bar(total_bytes);
    let mut progress = |records: u64, bytes: u64| {
        if let Some(bar) = &bar {
            bar.set_position(if total_bytes.is_some() {
                bytes
            } else {
                records
            });
            bar.set_message(format!("{records} records"));
        }
    };
    let files = cli::Files {
        input: input_path,
        output: args.output.as_deref(),
        errors: args.errors.as_deref(),
    };
    let interpreter = Interpreter::new(policy);
    let summary = if args.explain {
        // Phrased from the same checked model the policy was lowered from (so with the `--set`
        // values), and from each decision in memory.
        let explainer = Explainer::new(&Phraser::new(model));
        let annotate = |decision: &Decision<_>, out: &mut Vec<u8>| {
            out.extend_from_slice(b",\"explanation\":");
            explainer.write_json(decision, out);
        };
        cli::run_files_annotated(&interpreter, files, options, &mut progress, Some(&annotate))
    } else {
        cli::run_files(&interpreter, files, options, &mut progress)
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    summary
}

/// A progress bar on stderr, only when it is a terminal.
fn progress_bar(total_bytes: Option<u64>) -> Option<indicatif::ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let bar = match total_bytes {
        Some(total) => indicatif::ProgressBar::new(total).with_style(
            indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg} ({eta})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        ),
        None => indicatif::ProgressBar::new_spinner(),
    };
    Some(bar)
}
