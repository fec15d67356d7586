//! Errors of the syntax stage, and their one conversion to a diagnostic.

use crate::diagnostics::{Code, Diagnostic, Severity, ToDiagnostic};
use crate::span::Span;
use codespan_reporting::diagnostic::Label;

/// A problem found while reading a policy's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub code: Code,
    pub message: String,
    pub span: Span,
    /// The text under the primary label.
    pub label: String,
    pub help: Option<String>,
}

impl SyntaxError {
    pub fn new(
        code: Code,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        SyntaxError {
            code,
            message: message.into(),
            span,
            label: label.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl ToDiagnostic for SyntaxError {
    fn to_diagnostic(&self) -> Diagnostic {
        let mut diagnostic = Diagnostic::error()
            .with_code(self.code.as_str())
            .with_message(&self.message)
            .with_labels(vec![
                Label::primary(self.span.file, self.span.range()).with_message(&self.label)
            ]);
        if let Some(help) = &self.help {
            diagnostic = diagnostic.with_notes(vec![format!("help: {help}")]);
        }
        diagnostic
    }

    fn severity(&self) -> Severity {
        Severity::Error
    }
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for SyntaxError {}
