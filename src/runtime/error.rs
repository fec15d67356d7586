//! Per-record errors. A bad record never stops a batch: it becomes one of these, naming the record,
//! the field (or the rule being computed) and the reason.
//!
//! `EvalError` says where in the policy a computation failed (by index); `RecordError` is what a
//! batch reports, with the record's position and the names resolved.

use super::record::Id;
use serde::Serialize;

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
            write!(f, ", id {id}")?;
        }
        write!(f, "): ")?;
        if let Some(field) = &self.field {
            write!(f, "`{field}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for RecordError {}

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
