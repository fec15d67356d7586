//! Loading a policy for the commands that run one (`eval`, `test`, `gen`): read, check, lower,
//! and print any diagnostics the way `rubric check` does.

use codespan_reporting::term::termcolor::StandardStream;
use rubric::diagnostics::{render_human, Diagnostic};
use rubric::{ir, SourceMap};
use std::path::Path;

/// The policy, or `None` after its problems were printed to stderr.
pub fn policy(path: &Path, overrides: &[(String, String)]) -> Option<ir::Policy> {
    let mut sources = SourceMap::new();
    let file = match sources.load(path) {
        Ok(file) => file,
        Err(message) => {
            eprintln!("error: {message}");
            return None;
        }
    };
    match rubric::compile(&sources, file, overrides) {
        Ok((policy, warnings)) => {
            print(&sources, &warnings);
            Some(policy)
        }
        Err(problems) => {
            print(&sources, &problems);
            eprintln!(
                "error: `{}` has problems; fix them first (see `rubric check`)",
                path.display()
            );
            None
        }
    }
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
