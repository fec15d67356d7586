//! Rendering diagnostics for people (codespan-reporting, with or without colour) and for tools (JSON).

use super::Diagnostic;
use crate::source::SourceMap;
use codespan_reporting::diagnostic::{LabelStyle, Severity as CsSeverity};
use codespan_reporting::term::{self, termcolor::WriteColor};
use serde::Serialize;

/// At most this many diagnostics are shown to a person in one run; the rest are counted. (The
/// JSON and SARIF forms, for tools, hold every one.)
pub const MAX_SHOWN: usize = 200;

/// Writes diagnostics the way a person reads them. Pass a `NoColor` writer for snapshots and pipes.
/// Long lines are shown in excerpts around the labels ([`super::excerpt`]); past [`MAX_SHOWN`]
/// diagnostics, one line says how many errors and warnings were left out.
pub fn render_human(
    out: &mut dyn WriteColor,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    let config = term::Config::default();
    let io = |e: codespan_reporting::files::Error| match e {
        codespan_reporting::files::Error::Io(io) => io,
        other => std::io::Error::other(other.to_string()),
    };
    for diagnostic in diagnostics.iter().take(MAX_SHOWN) {
        let diagnostic = &bounded(diagnostic);
        match super::excerpt::shorten(sources, diagnostic) {
            Some((excerpt, short)) => term::emit(out, &config, &excerpt, &short),
            None => term::emit(out, &config, sources, diagnostic),
        }
        .map_err(io)?;
    }
    if let Some(rest) = diagnostics.get(MAX_SHOWN..).filter(|r| !r.is_empty()) {
        let errors = rest
            .iter()
            .filter(|d| matches!(d.severity, CsSeverity::Error | CsSeverity::Bug))
            .count();
        let warnings = rest.len() - errors;
        let counted = |n: usize, word: &str| match n {
            0 => None,
            1 => Some(format!("1 more {word}")),
            n => Some(format!("{n} more {word}s")),
        };
        let left: Vec<String> = [counted(errors, "error"), counted(warnings, "warning")]
            .into_iter()
            .flatten()
            .collect();
        writeln!(
            out,
            "note: {} not shown (only the first {MAX_SHOWN} are); `--format json` lists every one",
            left.join(" and ")
        )?;
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

/// The longest message, label or note shown, in characters. Messages quote names and values from
/// the policy, which can be any length; past this, the middle is left out.
pub const MAX_MESSAGE: usize = 400;

/// `diagnostic` with every text of more than [`MAX_MESSAGE`] characters shortened (most have none).
pub(super) fn bounded(diagnostic: &Diagnostic) -> Diagnostic {
    let mut d = diagnostic.clone();
    shorten_text(&mut d.message);
    for label in &mut d.labels {
        shorten_text(&mut label.message);
    }
    for note in &mut d.notes {
        shorten_text(note);
    }
    d
}

/// Keeps the first and last `MAX_MESSAGE / 2` characters of a longer text, with ` … ` between.
fn shorten_text(text: &mut String) {
    let half = MAX_MESSAGE / 2;
    let Some((head_end, _)) = text.char_indices().nth(half) else {
        return;
    };
    let Some((tail_start, _)) = text.char_indices().rev().nth(half - 1) else {
        return;
    };
    if tail_start <= head_end {
        return;
    }
    let (head, tail) = (text.get(..head_end), text.get(tail_start..));
    if let (Some(head), Some(tail)) = (head, tail) {
        *text = format!("{head} … {tail}");
    }
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
    let d = &bounded(d);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_lose_their_middle_and_short_ones_stay() {
        let mut short = "nothing is called `x`".to_string();
        shorten_text(&mut short);
        assert_eq!(short, "nothing is called `x`");
        let mut long = format!("nothing is called `{}`", "é".repeat(5000));
        shorten_text(&mut long);
        assert_eq!(long.chars().count(), MAX_MESSAGE + 3);
        assert!(long.starts_with("nothing is called `éé"));
        assert!(long.ends_with("éé`"));
        assert!(long.contains(" … "));
    }
}
