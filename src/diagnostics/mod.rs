//! Diagnostic codes, their explanations, and rendering.
//!
//! Every stage has its own error type; each converts to a codespan-reporting [`Diagnostic`] in its
//! own `err.rs`. This module owns what they share: the stable [`Code`]s (with the text that
//! `rubric explain` prints) and the renderers for people (codespan) and tools (JSON).

mod codes;
mod excerpt;
mod render;
mod sarif;

pub use codes::{Code, Severity};
pub use render::{
    render_human, render_json, render_suppressed_json, DiagnosticJson, JsonReport, SuppressionJson,
    JSON_VERSION, MAX_SHOWN,
};
pub use sarif::render_sarif;

/// A warning silenced by an `allow … because …` clause.
pub struct Suppressed {
    pub diagnostic: Diagnostic,
    pub reason: String,
    /// Where the `allow` clause is written.
    pub clause: crate::span::Span,
}

use crate::span::FileId;

/// A codespan-reporting diagnostic addressed by our [`FileId`]s.
pub type Diagnostic = codespan_reporting::diagnostic::Diagnostic<FileId>;

/// Implemented by every stage's error type: the one place where it becomes a diagnostic.
pub trait ToDiagnostic {
    fn to_diagnostic(&self) -> Diagnostic;
    fn severity(&self) -> Severity;
}
