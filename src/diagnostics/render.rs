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

/// The version of the JSON output's shape (`docs/diagnostics-json.md`). It changes only when a
/// field is removed or changes meaning; new fields may be added within a version.
pub const JSON_VERSION: u32 = 1;

/// The whole `rubric check --format json` document (`docs/diagnostics.schema.json`).
#[derive(Serialize, Debug)]
pub struct JsonReport {
    pub version: u32,
    pub files: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
    pub diagnostics: Vec<DiagnosticJson>,
    /// Warnings silenced by `allow … because …`, each with its reason.
    pub suppressed: Vec<DiagnosticJson>,
}

/// The machine-readable form of one diagnostic (see `docs/diagnostics-json.md`).
#[derive(Serialize, Debug)]
pub struct DiagnosticJson {
    pub severity: &'static str,
    pub code: String,
    /// The code's short title (as in `rubric explain --list`).
    pub title: String,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub labels: Vec<LabelJson>,
    /// Every note as printed, `note: …` and `help: …` lines included.
    pub notes: Vec<String>,
    /// The help line without its `help: ` prefix, if there is one.
    pub help: Option<String>,
    /// For a suppressed diagnostic: the `allow` clause and its reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression: Option<SuppressionJson>,
}

#[derive(Serialize, Debug)]
pub struct SuppressionJson {
    pub reason: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
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
    diagnostics.iter().map(|d| one(sources, d)).collect()
}

/// The JSON form of suppressed diagnostics, with their reasons.
pub fn render_suppressed_json(
    sources: &SourceMap,
    suppressed: &[super::Suppressed],
) -> Vec<DiagnosticJson> {
    suppressed
        .iter()
        .map(|s| {
            let mut json = one(sources, &s.diagnostic);
            let (line, column) = sources.line_col(s.clause.file, s.clause.start as usize);
            json.suppression = Some(SuppressionJson {
                reason: s.reason.clone(),
                file: sources.name(s.clause.file).to_string(),
                line,
                column,
            });
            json
        })
        .collect()
}

fn one(sources: &SourceMap, d: &Diagnostic) -> DiagnosticJson {
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
    let code = d.code.clone().unwrap_or_default();
    DiagnosticJson {
        severity: severity_word(d.severity),
        title: super::Code::parse(&code).map_or(String::new(), |c| c.title().to_string()),
        code,
        message: d.message.clone(),
        file: primary.map(|l| l.file.clone()).unwrap_or_default(),
        line: primary.map_or(0, |l| l.line),
        column: primary.map_or(0, |l| l.column),
        end_line: primary.map_or(0, |l| l.end_line),
        end_column: primary.map_or(0, |l| l.end_column),
        notes: d.notes.clone(),
        help: d
            .notes
            .iter()
            .find_map(|n| n.strip_prefix("help: ").map(str::to_string)),
        suppression: None,
        labels,
    }
}

/// `error`, `warning` or `note`.
pub fn severity_word(severity: CsSeverity) -> &'static str {
    match severity {
        CsSeverity::Bug | CsSeverity::Error => "error",
        CsSeverity::Warning => "warning",
        CsSeverity::Note | CsSeverity::Help => "note",
    }
}
