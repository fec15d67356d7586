//! `rubric docs POLICY… -o DIR`: documentation for reviewers, as Markdown and static HTML.

use super::load::Unusable;
use super::Outcome;
use rubric::docs::Format;
use rubric::SourceMap;
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  rubric docs examples/civic_trust.rubric -o site
  rubric docs examples/*.rubric -o site --format html
  rubric docs examples/lending.rubric -o docs/policies --format md

For each policy POLICY.rubric writes POLICY.html and/or POLICY.md (with its tier chart as
POLICY.tiers.svg) into DIR; with several policies also index.html / index.md. The HTML pages are
self-contained: no scripts, no external assets. Output is deterministic.
Exit codes: 0 documentation written, 1 a policy has errors, 2 the command could not run.")]
pub struct Args {
    /// The policies to document.
    #[arg(required = true)]
    policies: Vec<PathBuf>,
    /// The directory to write into (created if needed).
    #[arg(long, short)]
    output: PathBuf,
    /// What to write.
    #[arg(long, value_enum, default_value = "both")]
    format: FormatArg,
    /// Document a what-if version: a param's value replaced, e.g. `--set late_tax_penalty=25`
    /// (repeatable). The policy is checked with the values given, and the pages say so.
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = super::load::parse_override)]
    overrides: Vec<(String, String)>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Html,
    Md,
    Both,
}

pub fn run(args: Args) -> Outcome {
    let format = match args.format {
        FormatArg::Html => Format::Html,
        FormatArg::Md => Format::Markdown,
        FormatArg::Both => Format::Both,
    };
    let command = command_line(&args);
    let mut sources = SourceMap::new();
    let mut compiled = Vec::with_capacity(args.policies.len());
    for path in &args.policies {
        let compilation = match super::load::compile(&mut sources, path, &args.overrides) {
            Ok(compilation) => compilation,
            Err(Unusable::Unreadable) => return Outcome::Failure,
            Err(Unusable::HasErrors) => return Outcome::Problems,
        };
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        compiled.push((compilation, stem));
    }
    let Ok(pages) = rubric::document(&compiled, &command, format) else {
        return Outcome::Problems;
    };
    if let Err(e) = std::fs::create_dir_all(&args.output) {
        eprintln!("error: cannot create `{}`: {e}", args.output.display());
        return Outcome::Failure;
    }
    for page in &pages {
        let path = args.output.join(&page.name);
        if let Err(e) = std::fs::write(&path, &page.contents) {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return Outcome::Failure;
        }
    }
    eprintln!(
        "wrote {} file(s) to `{}`",
        pages.len(),
        args.output.display()
    );
    Outcome::Success
}

/// The command as it could be typed again (paths as given), printed in every page.
fn command_line(args: &Args) -> String {
    let mut parts = vec!["rubric docs".to_string()];
    parts.extend(
        args.policies
            .iter()
            .map(|p| quote(&p.display().to_string())),
    );
    parts.push(format!("-o {}", quote(&args.output.display().to_string())));
    let format = match args.format {
        FormatArg::Html => "html",
        FormatArg::Md => "md",
        FormatArg::Both => "both",
    };
    parts.push(format!("--format {format}"));
    for (name, value) in &args.overrides {
        parts.push(format!("--set {}", quote(&format!("{name}={value}"))));
    }
    parts.join(" ")
}

fn quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
