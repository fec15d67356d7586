//! Rubric: a compiler for declarative scoring policies.
//!
//! The pipeline runs in stages, each in its own module with its own error type:
//!
//! | stage | function | output |
//! |---|---|---|
//! | syntax | [`parse`] | [`syntax::ast::PolicyFile`] |
//! | check  | [`check`] | [`check::Checked`] and diagnostics |
//!
//! See `ARCHITECTURE.md` for the whole picture.

pub mod check;
pub mod diagnostics;
pub mod source;
pub mod span;
pub mod syntax;
pub mod testing;
pub mod text;

pub use check::check;
pub use source::SourceMap;
pub use span::{FileId, Node, Span};
pub use syntax::parse;

use diagnostics::{Diagnostic, Severity, ToDiagnostic};

/// Parses and checks one loaded file, returning every diagnostic with its severity, in source
/// order. This is what `rubric check` reports.
pub fn diagnose(sources: &SourceMap, file: FileId) -> Vec<(Severity, Diagnostic)> {
    match parse(file, sources.source(file)) {
        Err(e) => vec![(e.severity(), e.to_diagnostic())],
        Ok(ast) => match check(&ast) {
            Ok(checked) => checked
                .warnings
                .iter()
                .map(|w| (w.severity(), w.to_diagnostic()))
                .collect(),
            Err(problems) => problems
                .iter()
                .map(|p| (p.severity(), p.to_diagnostic()))
                .collect(),
        },
    }
}
