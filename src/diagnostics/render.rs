//! Rendering diagnostics for people (codespan-reporting, with or without colour) and for tools (JSON).

use super::Diagnostic;
use crate::source::SourceMap;
use codespan_reporting::diagnostic::{LabelStyle, Severity as CsSeverity};
use codespan_reporting::term::{self, termcolor::WriteColor};
use serde::Serialize;

/// Writes diagnostics the way a person reads them. Pass a `NoColor` writer for snapshots and pipes.
pub fn render_human(
    out: &mut dyn WriteColor,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    let config = term::Config::default();
    for diagnostic in diagnostics {
        term::emit(out, &config, sources, diagnostic).map_err(|e| match e {
            codespan_reporting::files::Error::Io(io) => io,
            other => std::io::Error::other(other.to_string()),
        })?;
    }
    Ok(())
}

/// The machine-readable form of one diagnostic (see `docs/diagnostics-json.md`).
#[derive(Serialize, Debug)]
pub struct DiagnosticJson {
    pub severity: &'static str,
    pub code: String,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub labels: Vec<LabelJson>,
    pub notes: Vec<String>,
}

#[derive(Serialize, Debug)]
pub struct LabelJson {
    pub primary: bool,
    pub file: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
}

/// Converts diagnostics to their JSON form (one object each, in order).
pub fn render_json(sources: &SourceMap, diagnostics: &[Diagnostic]) -> Vec<DiagnosticJson> {
    diagnostics
        .iter()
        .map(|d| {
            let labels: Vec<LabelJson> = d
                .labels
                .iter()
                .map(|l| {
                    let (line, column) = sources.line_col(l.file_id, l.range.start);
                    let (end_line, end_column) = sources.line_col(l.file_id, l.range.end);
                    LabelJson {
                        primary: l.style == LabelStyle::Primary,
                        file: sources.name(l.file_id).to_string(),
                        start: l.range.start,
                        end: l.range.end,
                        line,
                        column,
                        end_line,
                        end_column,
                        message: l.message.clone(),
                    }
                })
                .collect();
            let primary = labels.iter().find(|l| l.primary).or(labels.first());
            DiagnosticJson {
                severity: match d.severity {
                    CsSeverity::Bug | CsSeverity::Error => "error",
                    CsSeverity::Warning => "warning",
                    CsSeverity::Note | CsSeverity::Help => "note",
                },
                code: d.code.clone().unwrap_or_default(),
                message: d.message.clone(),
                file: primary.map(|l| l.file.clone()).unwrap_or_default(),
                line: primary.map_or(0, |l| l.line),
                column: primary.map_or(0, |l| l.column),
                notes: d.notes.clone(),
                labels,
            }
        })
        .collect()
}
