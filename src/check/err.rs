//! Errors and warnings of the check stage, and their one conversion to a diagnostic.
//!
//! A [`CheckError`] is data: a code, a message, a primary location and any secondary ones. The
//! checker builds them through the small constructors at the bottom of this file so that wording
//! stays consistent.

use crate::diagnostics::{Code, Diagnostic, Severity, ToDiagnostic};
use crate::span::Span;
use codespan_reporting::diagnostic::Label;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckError {
    pub code: Code,
    pub message: String,
    pub span: Span,
    pub label: String,
    /// Further places that explain the problem, in the order they should be read.
    pub secondary: Vec<(Span, String)>,
    /// Further facts (a computed range, a counterexample), printed before the help.
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// Made an error by `--strict` (due-process warnings).
    pub promoted: bool,
}

impl CheckError {
    pub fn new(
        code: Code,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        CheckError {
            code,
            message: message.into(),
            span,
            label: label.into(),
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            promoted: false,
        }
    }

    /// The same problem under another code (a shared message builder, a more specific code).
    pub fn with_code(mut self, code: Code) -> Self {
        self.code = code;
        self
    }

    pub fn with_secondary(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push((span, label.into()));
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    /// The code's severity, or error when `--strict` promoted this warning.
    pub fn severity(&self) -> Severity {
        if self.promoted {
            Severity::Error
        } else {
            self.code.severity()
        }
    }
}

impl ToDiagnostic for CheckError {
    fn to_diagnostic(&self) -> Diagnostic {
        let base = match CheckError::severity(self) {
            Severity::Error => Diagnostic::error(),
            Severity::Warning => Diagnostic::warning(),
        };
        let mut labels =
            vec![Label::primary(self.span.file, self.span.range()).with_message(&self.label)];
        labels.extend(
            self.secondary
                .iter()
                .map(|(span, text)| Label::secondary(span.file, span.range()).with_message(text)),
        );
        let mut diagnostic = base
            .with_code(self.code.as_str())
            .with_message(&self.message)
            .with_labels(labels);
        let mut notes: Vec<String> = self.notes.iter().map(|n| format!("note: {n}")).collect();
        if let Some(help) = &self.help {
            notes.push(format!("help: {help}"));
        }
        if !notes.is_empty() {
            diagnostic = diagnostic.with_notes(notes);
        }
        diagnostic
    }

    fn severity(&self) -> Severity {
        CheckError::severity(self)
    }
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for CheckError {}

// -------------------------------------------------------------------------------------------------
// Constructors shared by several passes.

/// "did you mean `x`?" for the closest of `candidates`, if any is close enough.
pub fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    closest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Names longer than this get no suggestion: nobody mistypes a name that long, and comparing
/// long names costs the product of their lengths.
pub const MAX_SUGGESTED_LEN: usize = 64;
/// At most this many candidates of a plausible length are compared with one name.
pub const MAX_COMPARED: usize = 1000;

/// The closest of `candidates` to `name`, if any is close enough. Bounded: only names of up to
/// [`MAX_SUGGESTED_LEN`] bytes, candidates of about the same length (a name twice as long or
/// more than twice as short is never close), and the first [`MAX_COMPARED`] of those.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    if name.len() > MAX_SUGGESTED_LEN {
        return None;
    }
    let plausible = |c: &&str| c.len() <= 2 * name.len() + 2 && name.len() <= 2 * c.len() + 2;
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates.filter(plausible).take(MAX_COMPARED) {
        let score = strsim::jaro_winkler(name, candidate);
        let close =
            score >= 0.85 || strsim::levenshtein(name, candidate) <= 2.min(candidate.len() / 2);
        if close && best.is_none_or(|(s, c)| score > s || (score == s && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

pub fn duplicate(kind: &str, name: &str, span: Span, first: Span) -> CheckError {
    CheckError::new(
        Code::DuplicateName,
        span,
        format!("`{name}` is declared more than once"),
        format!("this {kind} reuses the name"),
    )
    .with_secondary(first, "first declared here")
    .with_help("every declaration needs a name of its own; rename one of them")
}

pub fn duplicate_clause(clause: &str, span: Span, first: Span) -> CheckError {
    CheckError::new(
        Code::DuplicateClause,
        span,
        format!("{clause} is given twice"),
        "second one here",
    )
    .with_secondary(first, "first one here")
    .with_help("keep only one of them")
}

pub fn type_mismatch(span: Span, expected: &str, found: &str, context: &str) -> CheckError {
    CheckError::new(
        Code::TypeMismatch,
        span,
        format!("{context} needs {expected}, but this is {found}"),
        format!("this is {found}"),
    )
}
