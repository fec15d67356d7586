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
    /// Further problems of the same pass, in source order: the pass that refuses invisible
    /// characters reports every one (a parse stops at its first other error, so this is
    /// otherwise empty).
    pub more: Vec<SyntaxError>,
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
            more: Vec::new(),
        }
    }

    /// The first problem and the ones after it, as one list (`None` when there are none).
    pub fn from_list(mut errors: Vec<SyntaxError>) -> Option<SyntaxError> {
        if errors.is_empty() {
            return None;
        }
        let mut first = errors.remove(0);
        first.more.extend(errors);
        Some(first)
    }

    /// This problem and every further one, in source order.
    pub fn all(&self) -> impl Iterator<Item = &SyntaxError> {
        std::iter::once(self).chain(self.more.iter())
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
