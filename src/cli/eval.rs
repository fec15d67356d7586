//! `rubric eval POLICY [INPUT]`: score records, streaming decisions out and rejected records aside.

use super::Outcome;
use rubric::eval::{self, Format, Options, RecordError, Summary};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
#[command(after_help = "Examples:
  rubric eval examples/lending.rubric examples/lending.jsonl
  rubric eval examples/lending.rubric data.csv --output decisions.csv --errors rejected.jsonl
  rubric eval examples/lending.rubric --set decline_threshold=560 < applicants.jsonl

Each decision is one JSON line (see the README for its fields). Rejected records are reported on
stderr (or as JSON lines in --errors FILE) and never stop the batch.
Exit codes: 0 every record decided, 1 some records rejected (0 with --allow-rejects), 2 the
command could not run (unreadable files, a policy with errors, a bad --set).")]
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
    /// Override a param for a what-if run, e.g. `--set late_tax_penalty=25` (repeatable).
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
    /// Do not print the summary.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Jsonl,
    Csv,
}

fn format_of(explicit: Option<FormatArg>, path: Option<&Path>) -> Format {
    match explicit {
        Some(FormatArg::Csv) => Format::Csv,
        Some(FormatArg::Jsonl) => Format::Jsonl,
        None => match path.and_then(|p| p.extension()).and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("csv") => Format::Csv,
            _ => Format::Jsonl,
        },
    }
}

pub fn run(args: Args) -> Outcome {
    let Some(policy) = super::load::policy(&args.policy, &args.overrides) else {
        return Outcome::Failure;
    };
    let input_path = args.input.as_deref().filter(|p| *p != Path::new("-"));
    if args.explain
        && !matches!(
            format_of(args.output_format, args.output.as_deref()),
            Format::Jsonl
        )
    {
        eprintln!("error: --explain adds a field to JSON decisions; it needs JSON lines output");
        return Outcome::Failure;
    }
    let options = Options {
        input: format_of(args.input_format, input_path),
        output: format_of(args.output_format, args.output.as_deref()),
        id_field: args.id_field.clone(),
    };
    match batch(&args, &policy, input_path, &options) {
        Ok(summary) => {
            if !args.quiet {
                eprintln!("{}", describe(&summary));
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
    policy: &rubric::ir::Policy,
    input_path: Option<&Path>,
    options: &Options,
) -> Result<Summary, String> {
    let (mut input, total_bytes): (Box<dyn BufRead>, Option<u64>) = match input_path {
        Some(path) => {
            let file =
                File::open(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            let size = file.metadata().ok().map(|m| m.len());
            (Box::new(BufReader::with_capacity(1 << 16, file)), size)
        }
        None => (
            Box::new(BufReader::with_capacity(1 << 16, io::stdin().lock())),
            None,
        ),
    };
    let output: Box<dyn Write> = match &args.output {
        Some(path) => {
            let file = File::create(path)
                .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
            Box::new(BufWriter::with_capacity(1 << 16, file))
        }
        None => Box::new(BufWriter::with_capacity(1 << 16, io::stdout().lock())),
    };
    // The explanation phrases the policy as written, from its checked model.
    let mut sources = rubric::SourceMap::new();
    let explained = if args.explain {
        let file = sources
            .load(&args.policy)
            .map_err(|e| format!("cannot read the policy again: {e}"))?;
        let ast = rubric::parse(file, sources.source(file))
            .map_err(|_| "the policy no longer parses".to_string())?;
        Some(ast)
    } else {
        None
    };
    let checked = match &explained {
        Some(ast) => Some(
            rubric::check(ast).map_err(|_| "the policy no longer checks cleanly".to_string())?,
        ),
        None => None,
    };
    let phraser = checked
        .as_ref()
        .map(|c| rubric::phrase::Phraser::new(&c.model));
    let mut output: Box<dyn Write + '_> = match &phraser {
        Some(p) => Box::new(super::explain_writer::ExplainWriter::new(output, p)),
        None => output,
    };
    let mut error_file = match &args.errors {
        Some(path) => {
            Some(BufWriter::new(File::create(path).map_err(|e| {
                format!("cannot write `{}`: {e}", path.display())
            })?))
        }
        None => None,
    };
    let mut on_error = |e: &RecordError| -> io::Result<()> {
        match &mut error_file {
            Some(file) => {
                serde_json::to_writer(&mut *file, e).map_err(io::Error::other)?;
                file.write_all(b"\n")
            }
            None => {
                eprintln!("rejected {e}");
                Ok(())
            }
        }
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
    let summary = eval::run(
        policy,
        &mut input,
        &mut output,
        &mut on_error,
        options,
        &mut progress,
    )
    .map_err(|e| format!("while evaluating: {e}"))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    output
        .flush()
        .map_err(|e| format!("cannot write decisions: {e}"))?;
    if let Some(mut file) = error_file {
        file.flush()
            .map_err(|e| format!("cannot write errors: {e}"))?;
    }
    Ok(summary)
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

fn describe(summary: &Summary) -> String {
    let mut text = format!(
        "{} records read: {} decided, {} rejected",
        summary.read, summary.decided, summary.rejected
    );
    if !summary.rejected_by_problem.is_empty() {
        let parts: Vec<String> = summary
            .rejected_by_problem
            .iter()
            .map(|(p, n)| format!("{} {n}", p.as_str()))
            .collect();
        text.push_str(&format!(" ({})", parts.join(", ")));
    }
    if !summary.tiers.is_empty() {
        let parts: Vec<String> = summary
            .tiers
            .iter()
            .map(|(t, n)| format!("{} {n}", if t.is_empty() { "(no tier)" } else { t }))
            .collect();
        text.push_str(&format!("\ntiers: {}", parts.join(", ")));
    }
    if !summary.consequences.is_empty() {
        let parts: Vec<String> = summary
            .consequences
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        text.push_str(&format!("\nconsequences: {}", parts.join(", ")));
    }
    text
}
