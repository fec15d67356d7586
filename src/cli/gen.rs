//! `rubric gen POLICY`: synthetic records for benchmarks, demos and tests.

use super::Outcome;
use rubric::gen::{self, Format, Options};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  rubric gen examples/lending.rubric --records 200 --output applicants.jsonl
  rubric gen examples/lending.rubric --records 1000000 --seed 7 | rubric eval examples/lending.rubric
  rubric gen examples/civic_trust.rubric --format csv --output residents.csv

Records follow the indicator declarations (types, ranges, members, missing values) with a
realistic spread. With enough records (a few hundred), every tier and every consequence occurs
at least once; a one-line summary on stderr says which were reached. The same policy, number of
records and seed always give byte-identical output.
Exit codes: 0 records written, 1 some tier or consequence was not reached (only with
--require-coverage), 2 the command could not run (unreadable policy, a policy with errors, I/O).")]
pub struct Args {
    /// The policy to generate records for.
    policy: PathBuf,
    /// How many records to write.
    #[arg(long, short = 'n', default_value_t = 1000)]
    records: u64,
    /// The seed: the same seed gives the same records.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write the records here instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Output format (default: from the output's extension, else jsonl).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Override a param for a what-if run, e.g. `--set large_loan_penalty=60` (repeatable); the
    /// policy is checked with the values given.
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = super::load::parse_override)]
    overrides: Vec<(String, String)>,
    /// Exit 1 when some tier or consequence was not reached.
    #[arg(long)]
    require_coverage: bool,
    /// Do not print the summary.
    #[arg(long, short)]
    quiet: bool,
    /// CSV: a `record` column first (1, 2, …), as the SQL backend's input table has it
    /// (`rubric build --target sql --input-ddl`); `rubric eval` ignores it.
    #[arg(long)]
    record_numbers: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Jsonl,
    Csv,
}

pub fn run(args: Args) -> Outcome {
    super::load::with_policy(&args.policy, &args.overrides, |_, policy| {
        write_records(&args, policy)
    })
}

fn write_records(args: &Args, policy: &rubric::ir::Policy) -> Outcome {
    let format = match args.format {
        Some(FormatArg::Csv) => Format::Csv,
        Some(FormatArg::Jsonl) => Format::Jsonl,
        None => match args.output.as_deref().and_then(|p| p.extension()) {
            Some(ext) if ext.eq_ignore_ascii_case("csv") => Format::Csv,
            _ => Format::Jsonl,
        },
    };
    if args.record_numbers && format != Format::Csv {
        eprintln!("error: `--record-numbers` numbers the rows of CSV output; add `--format csv`");
        return Outcome::Failure;
    }
    let options = Options {
        records: args.records,
        seed: args.seed,
        format,
        record_numbers: args.record_numbers,
    };
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => match File::create(path) {
            Ok(file) => Box::new(BufWriter::with_capacity(1 << 16, file)),
            Err(e) => {
                eprintln!("error: cannot write `{}`: {e}", path.display());
                return Outcome::Failure;
            }
        },
        None => Box::new(BufWriter::with_capacity(1 << 16, io::stdout().lock())),
    };
    let coverage = match gen::generate_with(policy, &options, &mut out).and_then(|c| {
        out.flush()?;
        Ok(c)
    }) {
        Ok(coverage) => coverage,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Outcome::Success,
        Err(e) => {
            eprintln!("error: {e}");
            return Outcome::Failure;
        }
    };
    if !args.quiet {
        eprintln!("{coverage}");
    }
    if args.require_coverage && !coverage.is_complete() {
        Outcome::Problems
    } else {
        Outcome::Success
    }
}
