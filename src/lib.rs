//! Rubric: a compiler for declarative scoring policies.
//!
//! The pipeline runs in stages, each in its own module with its own error type:
//!
//! | stage | function | output |
//! |---|---|---|
//! | syntax | [`parse`] | [`syntax::ast::PolicyFile`] |
//! | check  | [`check`] | [`check::Checked`] and diagnostics |
//! | IR     | [`lower`] | [`ir::Policy`] |
//! | interpreter | [`eval::run`] | decisions, per-record errors, a summary |
//! | Rust backend | [`codegen::rust::generate`] | a standalone Cargo crate, in memory |
//!
//! [`runtime`] is what the interpreter and generated evaluators share, verbatim.
//!
//! See `ARCHITECTURE.md` for the whole picture.

pub mod check;
pub mod codegen;
pub mod diagnostics;
pub mod docs;
pub mod eval;
pub mod gen;
pub mod ir;
pub mod phrase;
pub mod runtime;
pub mod source;
pub mod span;
pub mod syntax;
pub mod testing;
pub mod text;

pub use check::check;
pub use ir::lower;
pub use source::SourceMap;
pub use span::{FileId, Node, Span};
pub use syntax::parse;

use diagnostics::{Diagnostic, Severity, ToDiagnostic};

/// Parses and checks one loaded file, returning every diagnostic with its severity, in source
/// order. This is what `rubric check` reports.
pub fn diagnose(sources: &SourceMap, file: FileId) -> Vec<(Severity, Diagnostic)> {
    diagnose_with(sources, file, check::Options::default()).diagnostics
}

/// What checking one file found: the diagnostics to report, and the warnings that `allow … because
/// …` clauses suppressed (machine-readable formats list those too, with their reasons).
pub struct Diagnosis {
    pub diagnostics: Vec<(Severity, Diagnostic)>,
    pub suppressed: Vec<diagnostics::Suppressed>,
}

/// [`diagnose`] with options (`--strict`), also returning the suppressed warnings.
pub fn diagnose_with(sources: &SourceMap, file: FileId, options: check::Options) -> Diagnosis {
    match parse(file, sources.source(file)) {
        Err(e) => Diagnosis {
            diagnostics: vec![(e.severity(), e.to_diagnostic())],
            suppressed: Vec::new(),
        },
        Ok(ast) => {
            let report = check::check_with(&ast, options);
            Diagnosis {
                diagnostics: report
                    .problems
                    .iter()
                    .map(|p| (p.severity(), p.to_diagnostic()))
                    .collect(),
                suppressed: report
                    .suppressed
                    .iter()
                    .map(|s| diagnostics::Suppressed {
                        diagnostic: s.diagnostic.to_diagnostic(),
                        reason: s.reason.clone(),
                        clause: s.clause,
                    })
                    .collect(),
            }
        }
    }
}

/// Documents loaded policies (`rubric docs`): builds every policy's document, then renders the
/// pages in `format`. `stems` name each file's pages; `command` is printed as how the documents
/// were generated. Stops at the first policy with errors.
pub fn document(
    sources: &SourceMap,
    files: &[(FileId, String)],
    command: &str,
    format: docs::Format,
) -> Result<Vec<docs::OutputFile>, docs::DocsError> {
    let mut built = Vec::with_capacity(files.len());
    for (file, stem) in files {
        built.push(docs::document(sources, *file, stem, command)?);
    }
    Ok(docs::render(&mut built, format))
}

/// Parses, checks and lowers one loaded file: the usual start of every command that runs a policy.
/// On success returns the policy and the checker's warnings; otherwise every diagnostic.
pub fn compile(
    sources: &SourceMap,
    file: FileId,
    overrides: &[(String, String)],
) -> Result<(ir::Policy, Vec<Diagnostic>), Vec<Diagnostic>> {
    let source = sources.source(file);
    let ast = parse(file, source).map_err(|e| vec![e.to_diagnostic()])?;
    let checked = check(&ast).map_err(|problems| {
        problems
            .iter()
            .map(ToDiagnostic::to_diagnostic)
            .collect::<Vec<_>>()
    })?;
    let warnings = checked
        .warnings
        .iter()
        .map(ToDiagnostic::to_diagnostic)
        .collect();
    let policy = lower(&checked.model, source, overrides).map_err(|e| vec![e.to_diagnostic()])?;
    Ok((policy, warnings))
}
