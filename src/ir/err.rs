//! Errors of lowering: all come from `--set` overrides (a clean check guarantees the rest).

use crate::diagnostics::{Diagnostic, Severity, ToDiagnostic};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LowerError {
    /// `--set` names something that is not a param.
    UnknownParam {
        name: String,
        suggestion: Option<String>,
    },
    /// `--set name=value` with a value that is not an exact number.
    BadValue { name: String, value: String },
    /// The overridden values break a guarantee the checker gave for the written ones.
    InvalidOverride { message: String },
    /// A checked model that lowering cannot follow: a bug in Rubric, reported rather than panicking.
    Internal { message: String },
}

impl std::fmt::Display for LowerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LowerError::UnknownParam { name, suggestion } => {
                write!(
                    f,
                    "`--set {name}=…`: the policy has no param called `{name}`"
                )?;
                match suggestion {
                    Some(s) => write!(f, " ({s})"),
                    None => Ok(()),
                }
            }
            LowerError::BadValue { name, value } => {
                write!(f, "`--set {name}={value}`: `{value}` is not a number (write digits, an optional `-` and `.`)")
            }
            LowerError::InvalidOverride { message } => {
                write!(f, "the `--set` values make the policy invalid: {message}")
            }
            LowerError::Internal { message } => {
                write!(f, "internal error while lowering the policy: {message}")
            }
        }
    }
}

impl std::error::Error for LowerError {}

impl ToDiagnostic for LowerError {
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error().with_message(self.to_string())
    }

    fn severity(&self) -> Severity {
        Severity::Error
    }
}
