//! SARIF 2.1.0 output (`rubric check --format sarif`), for code-scanning tools.
//!
//! One run, with every diagnostic code as a rule (its title, the first paragraph of its
//! explanation, the whole explanation as help, and its default level), and one result per
//! diagnostic: the primary label as the location, secondary labels as related locations, notes
//! and help after the message. Suppressed warnings are results too, carrying an in-source
//! suppression with the written reason, so that tools show them as suppressed. Columns count
//! Unicode code points (`columnKind`), as in the human and JSON output.

use super::render::severity_word;
use super::{Code, Diagnostic, Severity, Suppressed};
use crate::source::SourceMap;
use codespan_reporting::diagnostic::{Label, LabelStyle};
use serde_json::{json, Value};

/// The schema URI written in every log.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log for diagnostics (in order) and suppressed warnings, found in `files`.
pub fn render_sarif(
    sources: &SourceMap,
    files: &[String],
    diagnostics: &[Diagnostic],
    suppressed: &[Suppressed],
) -> Value {
    let rules: Vec<Value> = Code::ALL.iter().map(|c| rule(*c)).collect();
    let mut results: Vec<Value> = diagnostics
        .iter()
        .map(|d| result(sources, files, d, None))
        .collect();
    results.extend(
        suppressed
            .iter()
            .map(|s| result(sources, files, &s.diagnostic, Some(s))),
    );
    let artifacts: Vec<Value> = files
        .iter()
        .map(|f| json!({ "location": { "uri": uri(f) } }))
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "rubric",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": results,
        }]
    })
}

fn rule(code: Code) -> Value {
    let explanation = code.explanation().trim();
    let first = explanation
        .split("\n\n")
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let level = match code.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    json!({
        "id": code.as_str(),
        "name": code.name(),
        "shortDescription": { "text": code.title() },
        "fullDescription": { "text": first },
        "help": { "text": explanation, "markdown": markdown(explanation) },
        "defaultConfiguration": { "level": level },
    })
}

/// The explanation as Markdown: its indented examples become code blocks as they are; the
/// section words become headings.
fn markdown(explanation: &str) -> String {
    explanation
        .lines()
        .map(|l| match l {
            "Example" | "How to fix it" => format!("### {l}"),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn result(
    sources: &SourceMap,
    files: &[String],
    d: &Diagnostic,
    suppressed: Option<&Suppressed>,
) -> Value {
    let code = d.code.clone().unwrap_or_default();
    let rule_index = Code::ALL.iter().position(|c| c.as_str() == code);
    let mut text = d.message.clone();
    for note in &d.notes {
        text.push('\n');
        text.push_str(note);
    }
    let primary = d
        .labels
        .iter()
        .find(|l| l.style == LabelStyle::Primary)
        .or(d.labels.first());
    let mut result = json!({
        "ruleId": code,
        "level": severity_word(d.severity),
        "message": { "text": text },
    });
    if let (Some(index), Some(obj)) = (rule_index, result.as_object_mut()) {
        obj.insert("ruleIndex".to_string(), json!(index));
    }
    if let (Some(label), Some(obj)) = (primary, result.as_object_mut()) {
        let mut location = location(sources, files, label);
        if !label.message.is_empty() {
            if let Some(l) = location.as_object_mut() {
                l.insert("message".to_string(), json!({ "text": label.message }));
            }
        }
        obj.insert("locations".to_string(), json!([location]));
    }
    let related: Vec<Value> = d
        .labels
        .iter()
        .filter(|l| l.style == LabelStyle::Secondary)
        .enumerate()
        .map(|(i, l)| {
            let mut location = location(sources, files, l);
            if let Some(obj) = location.as_object_mut() {
                obj.insert("id".to_string(), json!(i));
                obj.insert("message".to_string(), json!({ "text": l.message }));
            }
            location
        })
        .collect();
    if let Some(obj) = result.as_object_mut() {
        if !related.is_empty() {
            obj.insert("relatedLocations".to_string(), json!(related));
        }
        if let Some(s) = suppressed {
            let (line, column) = sources.line_col(s.clause.file, s.clause.start as usize);
            let (end_line, end_column) = sources.line_col(s.clause.file, s.clause.end as usize);
            let file = sources.name(s.clause.file).to_string();
            obj.insert(
                "suppressions".to_string(),
                json!([{
                    "kind": "inSource",
                    "status": "accepted",
                    "justification": s.reason,
                    "location": {
                        "physicalLocation": physical(files, &file, line, column, end_line, end_column)
                    }
                }]),
            );
        }
    }
    result
}

fn location(sources: &SourceMap, files: &[String], label: &Label<crate::span::FileId>) -> Value {
    let (line, column) = sources.line_col(label.file_id, label.range.start);
    let (end_line, end_column) = sources.line_col(label.file_id, label.range.end);
    let file = sources.name(label.file_id).to_string();
    json!({ "physicalLocation": physical(files, &file, line, column, end_line, end_column) })
}

fn physical(
    files: &[String],
    file: &str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
) -> Value {
    let mut artifact = json!({ "uri": uri(file) });
    if let (Some(index), Some(obj)) = (
        files.iter().position(|f| f == file),
        artifact.as_object_mut(),
    ) {
        obj.insert("index".to_string(), json!(index));
    }
    json!({
        "artifactLocation": artifact,
        "region": {
            "startLine": line.max(1),
            "startColumn": column.max(1),
            "endLine": end_line.max(1),
            "endColumn": end_column.max(1),
        }
    })
}

/// A file path as a relative URI reference: `/` separators, and every byte outside the
/// unreserved characters percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/' | b':') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri("examples/civic trust.rubric"),
            "examples/civic%20trust.rubric"
        );
        assert_eq!(uri(r"a\b.rubric"), "a/b.rubric");
        assert_eq!(uri("politique_é.rubric"), "politique_%C3%A9.rubric");
    }
}
