//! Loading a policy for the commands that run one (`eval`, `test`, `gen`, `build`, `docs`): read
//! it, compile it once with the `--set` values (so they are checked like the written ones), and
//! print its diagnostics the way `rubric check` does.

use codespan_reporting::term::termcolor::StandardStream;
use rubric::diagnostics::{render_human, Diagnostic};
use rubric::{check, ir, Compilation, Options, SourceMap};
use std::path::Path;

/// Why a policy cannot be used; what is wrong has been printed.
pub enum Unusable {
    /// The file cannot be read.
    Unreadable,
    /// The policy has errors (with these `--set` values).
    HasErrors,
}

/// Compiles the policy at `path` with `overrides` and runs `command` on it; prints its problems
/// and fails (exit 2) instead when it has errors or cannot be read.
pub fn with_policy(
    path: &Path,
    overrides: &[(String, String)],
    command: impl FnOnce(&check::Model<'_>, &ir::Policy) -> super::Outcome,
) -> super::Outcome {
    let mut sources = SourceMap::new();
    let Ok(compilation) = compile(&mut sources, path, overrides) else {
        return super::Outcome::Failure;
    };
    match (compilation.model(), compilation.policy()) {
        (Some(model), Some(policy)) => command(model, policy),
        _ => super::Outcome::Failure,
    }
}

/// Reads and compiles one policy, printing its diagnostics; fails (after saying why) when it
/// cannot be read or has errors.
pub fn compile(
    sources: &mut SourceMap,
    path: &Path,
    overrides: &[(String, String)],
) -> Result<Compilation, Unusable> {
    let file = match sources.load(path) {
        Ok(file) => file,
        Err(message) => {
            eprintln!("error: {message}");
            return Err(Unusable::Unreadable);
        }
    };
    let options = Options {
        overrides: check::command_line(sources, overrides),
        ..Options::default()
    };
    let compilation = rubric::compile(sources, file, &options);
    let diagnostics: Vec<Diagnostic> = compilation
        .diagnostics()
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    print(sources, &diagnostics);
    if compilation.has_errors() {
        let what = if overrides.is_empty() {
            "has problems; fix them first (see `rubric check`)"
        } else {
            "has problems with these `--set` values; fix them first (see `rubric check --set …`)"
        };
        eprintln!("error: `{}` {what}", path.display());
        return Err(Unusable::HasErrors);
    }
    Ok(compilation)
}

fn print(sources: &SourceMap, diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let mut out = StandardStream::stderr(super::color_choice());
    let _ = render_human(&mut out, sources, diagnostics);
}

/// Parses `name=value` for `--set`.
pub fn parse_override(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.trim().to_string()))
        }
        _ => Err(format!("expected NAME=VALUE, found `{text}`")),
    }
}
