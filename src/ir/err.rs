//! Errors of lowering. A model that passed every check always lowers (`--set` overrides are
//! checked by the checker, with the rest of the policy), so the only error is a bug in Rubric,
//! reported rather than panicking.

use crate::diagnostics::{Diagnostic, Severity, ToDiagnostic};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LowerError {
    /// A checked model that lowering cannot follow: a bug in Rubric.
    Internal { message: String },
}

impl std::fmt::Display for LowerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LowerError::Internal { message } => {
                write!(f, "internal error while lowering the policy: {message}")
            }
        }
    }
}

impl std::error::Error for LowerError {}

impl ToDiagnostic for LowerError {
    fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error()
            .with_message(self.to_string())
            .with_notes(vec![
                "help: this is a bug in Rubric, not in the policy; please report it with the policy"
                    .to_string(),
            ])
    }

    fn severity(&self) -> Severity {
        Severity::Error
    }
}
