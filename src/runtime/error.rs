//! Per-record errors. A bad record never stops a batch: it becomes one of these, naming the record,
//! the field (or the rule being computed) and the reason.
//!
//! `EvalError` says where in the policy a computation failed (by index); `RecordError` is what a
//! batch reports, with the record's position and the names resolved.

use super::record::Id;
use serde::Serialize;
use std::fmt::Write as _;

/// What went wrong while computing a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvalErrorKind {
    Overflow,
    DivisionByZero,
    /// The policy did not have the shape the evaluator expects: a bug, reported instead of a panic.
    Internal(&'static str),
}

/// Where in the policy an evaluation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Site {
    Let(usize),
    Rule(usize),
    Consequence(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvalError {
    pub kind: EvalErrorKind,
    pub site: Site,
}

impl EvalError {
    pub fn in_let(kind: EvalErrorKind, index: usize) -> Self {
        EvalError {
            kind,
            site: Site::Let(index),
        }
    }
    pub fn in_rule(kind: EvalErrorKind, index: usize) -> Self {
        EvalError {
            kind,
            site: Site::Rule(index),
        }
    }
    pub fn in_consequence(kind: EvalErrorKind, index: usize) -> Self {
        EvalError {
            kind,
            site: Site::Consequence(index),
        }
    }
}

/// The stable category of a rejected record (the `error` field of an error line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    MalformedRecord,
    InvalidUtf8,
    MissingField,
    WrongType,
    OutOfRange,
    UnknownMember,
    Overflow,
    DivisionByZero,
    Internal,
}

impl Problem {
    pub fn as_str(self) -> &'static str {
        match self {
            Problem::MalformedRecord => "malformed_record",
            Problem::InvalidUtf8 => "invalid_utf8",
            Problem::MissingField => "missing_field",
            Problem::WrongType => "wrong_type",
            Problem::OutOfRange => "out_of_range",
            Problem::UnknownMember => "unknown_member",
            Problem::Overflow => "overflow",
            Problem::DivisionByZero => "division_by_zero",
            Problem::Internal => "internal",
        }
    }
}

/// A rejected record: which one, which field, what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordError {
    /// 1-based position of the record in the input (data rows for CSV, non-blank lines for JSONL).
    pub record: u64,
    /// 1-based line of the input the record starts on.
    pub line: u64,
    /// The record's `id` field, if it had one (a number stays a number).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    /// The input field, or the rule/derived value being computed, if the problem has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub error: Problem,
    pub message: String,
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "record {} (line {}", self.record, self.line)?;
        if let Some(id) = &self.id {
            write!(f, ", id {}", shown_id(id.as_str()))?;
        }
        write!(f, "): ")?;
        if let Some(field) = &self.field {
            write!(f, "`{field}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for RecordError {}

/// An id as error lines show it: as it is when it is plain (printable ASCII, without brackets,
/// quotes, backslashes, commas or spaces), else [`quoted`]. An id is data from the input, so it
/// must not be able to write a line of its own on stderr or reorder what a terminal shows.
pub fn shown_id(id: &str) -> std::borrow::Cow<'_, str> {
    let plain = |c: char| c.is_ascii_graphic() && !matches!(c, '(' | ')' | '"' | '\\' | ',');
    if !id.is_empty() && id.chars().all(plain) {
        std::borrow::Cow::Borrowed(id)
    } else {
        std::borrow::Cow::Owned(quoted(id))
    }
}

/// `text` as a JSON string whose every character that could break a line or hide what it says
/// is escaped: control characters as JSON escapes them, and the invisible formatting characters
/// (bidirectional controls, zero-width characters, separators, the byte-order mark) as `\uXXXX`
/// too, which JSON allows. How messages quote values from the input.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters that a terminal does not show as themselves: control characters, and the
/// invisible formatting ones (bidirectional controls, zero-width characters, line and paragraph
/// separators, the byte-order mark).
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// Where a record sits in its input, for error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// 1-based position of the record (data rows for CSV, non-blank lines for JSONL).
    pub record: u64,
    /// 1-based line of the input the record starts on.
    pub line: u64,
}

/// A field-level problem before it is tied to a record: its category and message.
pub type FieldError = (Problem, String);

impl RecordError {
    /// A rejected record at `at`.
    pub fn new(
        at: Position,
        id: Option<Id>,
        field: Option<String>,
        error: Problem,
        message: String,
    ) -> Self {
        RecordError {
            record: at.record,
            line: at.line,
            id,
            field,
            error,
            message,
        }
    }

    /// A failed computation, reported against the derived value, rule or consequence `name`.
    pub fn computing(
        kind: EvalErrorKind,
        site: Site,
        name: &str,
        at: Position,
        id: Option<Id>,
    ) -> Self {
        let what = match site {
            Site::Let(_) => "derived value",
            Site::Rule(_) => "rule",
            Site::Consequence(_) => "consequence",
        };
        let (error, message) = match kind {
            EvalErrorKind::Overflow => (
                Problem::Overflow,
                format!("computing {what} `{name}` overflowed the exact decimal range"),
            ),
            EvalErrorKind::DivisionByZero => (
                Problem::DivisionByZero,
                format!("computing {what} `{name}` divided by zero"),
            ),
            EvalErrorKind::Internal(why) => (
                Problem::Internal,
                format!("internal error computing {what} `{name}`: {why}"),
            ),
        };
        RecordError::new(at, id, Some(name.to_string()), error, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_are_shown_as_they_are() {
        for id in ["r000001", "A-17/b", "x@y.z", "12.50"] {
            assert_eq!(shown_id(id), id);
        }
    }

    #[test]
    fn ids_that_could_forge_a_line_or_hide_text_are_quoted_and_escaped() {
        let forged = "z): ok\n999 records read: 999 decided, 0 rejected";
        assert_eq!(
            shown_id(forged),
            "\"z): ok\\n999 records read: 999 decided, 0 rejected\""
        );
        assert_eq!(shown_id("a\u{202e}b"), "\"a\\u202eb\"");
        assert_eq!(shown_id("a\u{0}\u{1b}[31m"), "\"a\\u0000\\u001b[31m\"");
        assert_eq!(shown_id("Müller 7"), "\"Müller 7\"");
        assert_eq!(shown_id(""), "\"\"");
        // What is quoted is a JSON string with the same text.
        for text in [forged, "a\u{202e}b\u{2066}", "\"\\\t", "x\u{feff}\u{85}"] {
            let back: String = serde_json::from_str(&quoted(text)).unwrap_or_default();
            assert_eq!(back, text);
        }
    }
}
