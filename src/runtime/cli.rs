//! The command-line contract of an evaluator, the same for `rubric eval` and every generated
//! evaluator: records from a file or standard input, decisions to a file or standard output,
//! rejected records to stderr or as JSON lines to a file, a summary on stderr, and exit codes
//! 0 (every record decided), 1 (some rejected; 0 with `--allow-rejects`), 2 (could not run).

use super::error::RecordError;
use super::select::Selection;
use super::stream::{self, Engine, Format, Options, Progress, Summary};
use super::Template;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where a batch reads and writes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Files<'a> {
    /// Records; standard input when `None`.
    pub input: Option<&'a Path>,
    /// Decisions; standard output when `None`.
    pub output: Option<&'a Path>,
    /// Rejected records as JSON lines; each reported on stderr when `None`.
    pub errors: Option<&'a Path>,
}

/// The format named on the command line, else the one a file's extension says, else JSONL.
pub fn format_of(explicit: Option<Format>, path: Option<&Path>) -> Format {
    match explicit {
        Some(format) => format,
        None => match path.and_then(|p| p.extension()).and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("csv") => Format::Csv,
            _ => Format::Jsonl,
        },
    }
}

/// Runs a batch between files (or the standard streams). The error is a message for the user.
pub fn run_files<E: Engine>(
    engine: &E,
    files: Files<'_>,
    options: &Options,
    progress: Progress<'_>,
) -> Result<Summary, String> {
    run_files_annotated(engine, files, options, progress, None)
}

/// [`run_files`], with `annotate` adding members to every JSON decision (see
/// [`stream::run_annotated`]).
pub fn run_files_annotated<E: Engine>(
    engine: &E,
    files: Files<'_>,
    options: &Options,
    progress: Progress<'_>,
    annotate: Option<stream::Annotate<'_, <E as Template>::Lets>>,
) -> Result<Summary, String> {
    let mut input: Box<dyn BufRead> = match files.input {
        Some(path) => {
            let file =
                File::open(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            Box::new(BufReader::with_capacity(1 << 16, file))
        }
        None => Box::new(BufReader::with_capacity(1 << 16, io::stdin().lock())),
    };
    let mut output: Box<dyn Write> = match files.output {
        Some(path) => {
            let file = File::create(path)
                .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
            Box::new(BufWriter::with_capacity(1 << 16, file))
        }
        None => Box::new(BufWriter::with_capacity(1 << 16, io::stdout().lock())),
    };
    let mut error_file = match files.errors {
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
    let summary = stream::run_annotated(
        engine,
        &mut input,
        &mut output,
        &mut on_error,
        options,
        progress,
        annotate,
    )
    .map_err(|e| format!("while evaluating: {e}"))?;
    output
        .flush()
        .map_err(|e| format!("cannot write decisions: {e}"))?;
    if let Some(mut file) = error_file {
        file.flush()
            .map_err(|e| format!("cannot write errors: {e}"))?;
    }
    Ok(summary)
}

/// The exit code after a batch: 0 when every record was decided (or rejects are allowed), 1 when
/// some were rejected.
pub fn exit_code(summary: &Summary, allow_rejects: bool) -> ExitCode {
    if summary.rejected > 0 && !allow_rejects {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The arguments of a generated evaluator: those of `rubric eval` without the policy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args {
    pub input: Option<PathBuf>,
    pub input_format: Option<Format>,
    pub output: Option<PathBuf>,
    pub output_format: Option<Format>,
    pub errors: Option<PathBuf>,
    pub id_field: Option<String>,
    pub allow_rejects: bool,
    pub quiet: bool,
    pub help: bool,
    pub version: bool,
    /// `--threads N`; the available cores when absent.
    pub threads: Option<usize>,
    /// `--fields LIST`, as given; every member when absent.
    pub fields: Option<String>,
}

impl Args {
    /// Parses the arguments after the program name. The error is a message for the user.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
        let mut parsed = Args::default();
        let mut args = args.into_iter();
        let mut positional_only = false;
        while let Some(arg) = args.next() {
            if positional_only || !arg.starts_with('-') || arg == "-" {
                if parsed.input.is_some() {
                    return Err(format!("unexpected argument `{arg}`"));
                }
                parsed.input = Some(PathBuf::from(arg));
                continue;
            }
            if arg == "--" {
                positional_only = true;
                continue;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) if name.starts_with("--") => (name, Some(value.to_string())),
                _ => (arg.as_str(), None),
            };
            let takes_value = matches!(
                name,
                "--input-format"
                    | "--output-format"
                    | "-o"
                    | "--output"
                    | "--errors"
                    | "--id-field"
                    | "--threads"
                    | "--fields"
            );
            let value = match (takes_value, inline) {
                (true, Some(value)) => value,
                (true, None) => args
                    .next()
                    .ok_or_else(|| format!("`{name}` needs a value"))?,
                (false, Some(_)) => return Err(format!("`{name}` takes no value")),
                (false, None) => String::new(),
            };
            match name {
                "--input-format" => parsed.input_format = Some(format(&value)?),
                "--output-format" => parsed.output_format = Some(format(&value)?),
                "-o" | "--output" => parsed.output = Some(PathBuf::from(value)),
                "--errors" => parsed.errors = Some(PathBuf::from(value)),
                "--id-field" => parsed.id_field = Some(value),
                "--threads" => parsed.threads = Some(threads(&value)?),
                "--fields" => parsed.fields = Some(value),
                "--allow-rejects" => parsed.allow_rejects = true,
                "-q" | "--quiet" => parsed.quiet = true,
                "-h" | "--help" => parsed.help = true,
                "-V" | "--version" => parsed.version = true,
                "--set" => {
                    return Err(
                        "this evaluator has its params compiled in; generate it again \
                                with `rubric build --set NAME=VALUE` for a what-if run"
                            .to_string(),
                    )
                }
                _ => return Err(format!("unexpected argument `{arg}`")),
            }
        }
        Ok(parsed)
    }
}

/// A `--threads` value: a whole number from 1.
pub fn threads(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "`--threads {text}`: expected a whole number of threads, at least 1"
        )),
    }
}

/// A batch's options from the command line: formats from the flags or the files' extensions,
/// the id field, the threads (the available cores unless given) and the decision's members
/// (`--fields`, checked against the output format). The error is a message for the user.
pub fn options(
    input_format: Option<Format>,
    input: Option<&Path>,
    output_format: Option<Format>,
    output: Option<&Path>,
    id_field: &str,
    threads: Option<usize>,
    fields: Option<&str>,
) -> Result<Options, String> {
    let output = format_of(output_format, output);
    Ok(Options {
        input: format_of(input_format, input),
        output,
        id_field: id_field.to_string(),
        threads: threads.unwrap_or_else(stream::available_threads),
        fields: match fields {
            Some(list) => Selection::parse(list, output)?,
            None => Selection::ALL,
        },
    })
}

fn format(text: &str) -> Result<Format, String> {
    match text {
        "jsonl" => Ok(Format::Jsonl),
        "csv" => Ok(Format::Csv),
        other => Err(format!("unknown format `{other}`: expected jsonl or csv")),
    }
}

/// The usage text of a generated evaluator.
pub fn usage(program: &str) -> String {
    format!(
        "Usage: {program} [OPTIONS] [INPUT]

Arguments:
  [INPUT]  Records to score (JSONL or CSV); standard input when absent or `-`

Options:
      --input-format <jsonl|csv>   Input format (default: from the input's extension, else jsonl)
  -o, --output <OUTPUT>            Write decisions here instead of standard output
      --output-format <jsonl|csv>  Output format (default: from the output's extension, else jsonl)
      --errors <ERRORS>            Write rejected records here as JSON lines instead of to stderr
      --id-field <ID_FIELD>        The field that identifies each record in the output [default: id]
      --fields <LIST>              What each decision carries, e.g. id,score,tier,consequences
                                   (default: everything; see the README's decision table)
      --threads <N>                Threads scoring records [default: the available cores]; the
                                   output is the same with any number
      --allow-rejects              Exit 0 even when some records were rejected
  -q, --quiet                      Do not print the summary
  -h, --help                       Print help
  -V, --version                    Print the policy's name and version

Each decision is one JSON line. Rejected records are reported on stderr (or as JSON lines in
--errors FILE) and never stop the batch.
Exit codes: 0 every record decided, 1 some records rejected (0 with --allow-rejects), 2 the
command could not run (unreadable files, bad arguments)."
    )
}

/// `main` of a generated evaluator: parses the command line, runs the batch, prints the summary,
/// and returns the exit code.
pub fn main<E: Engine>(engine: &E, program: &str, about: &str) -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}\n\n{}", usage(program));
            return ExitCode::from(2);
        }
    };
    if args.help {
        println!("{about}\n\n{}", usage(program));
        return ExitCode::SUCCESS;
    }
    if args.version {
        println!(
            "{program} ({} {})",
            engine.policy_name(),
            engine.policy_version()
        );
        return ExitCode::SUCCESS;
    }
    let input = args.input.as_deref().filter(|p| *p != Path::new("-"));
    let options = match options(
        args.input_format,
        input,
        args.output_format,
        args.output.as_deref(),
        args.id_field.as_deref().unwrap_or("id"),
        args.threads,
        args.fields.as_deref(),
    ) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}\n\n{}", usage(program));
            return ExitCode::from(2);
        }
    };
    let files = Files {
        input,
        output: args.output.as_deref(),
        errors: args.errors.as_deref(),
    };
    match run_files(engine, files, &options, &mut |_, _| {}) {
        Ok(summary) => {
            if !args.quiet {
                eprintln!("{}", summary.describe());
            }
            exit_code(&summary, args.allow_rejects)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
