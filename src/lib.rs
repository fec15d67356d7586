//! Rubric: a compiler for declarative scoring policies.
//!
//! The pipeline runs in stages, each in its own module with its own error type; a stage reads
//! only what earlier ones made (`ARCHITECTURE.md` lists what each module may import, and
//! `tests/architecture.rs` enforces it):
//!
//! | stage | function | output |
//! |---|---|---|
//! | 1 syntax | [`parse`] | [`syntax::ast::PolicyFile`] |
//! | 2 check  | [`check`], then [`check::finish`] | [`check::Report`]: the checked [`check::Model`] and diagnostics |
//! | 3 IR     | [`lower`] | [`ir::Policy`], the one form every backend reads |
//! | 4 verify | [`verify`] | counterexamples to declared directions, searched with the interpreter |
//! | backends | [`eval::run`], [`codegen::rust::generate`], [`docs::build`], [`gen::generate`] | decisions, a Cargo crate, pages, records |
//!
//! [`compile`] runs stages 1–4 once and returns everything the backends need; every command
//! starts with it. [`runtime`] is what the interpreter and generated evaluators share, verbatim.
//!
//! See `ARCHITECTURE.md` for the whole picture.

// Foundation: used by every stage.
pub mod diagnostics;
pub mod runtime;
pub mod source;
pub mod span;
pub mod text;

// The stages, in order.
pub mod check;
pub mod ir;
pub mod syntax;
pub mod verify;

// Backends, over the IR (the documentation and its phrasing also read the checked model).
pub mod codegen;
pub mod docs;
pub mod eval;
pub mod gen;
pub mod phrase;

// Support for tests and benchmarks.
pub mod testing;

pub use check::check;
pub use check::Options;
pub use ir::lower;
pub use source::SourceMap;
pub use span::{FileId, Node, Span};
pub use syntax::parse;
pub use verify::verify;

use diagnostics::{Diagnostic, Severity, ToDiagnostic};
use syntax::ast::PolicyFile;

/// What stages 2–4 made from one parsed policy; it borrows the syntax tree it was made from.
pub struct Stages<'a> {
    /// The checked model (complete only when there is no error). Monotonicity verdicts include
    /// the verify stage's.
    pub model: check::Model<'a>,
    /// The lowered policy; `None` when any stage found an error.
    pub policy: Option<ir::Policy>,
    /// Every diagnostic of the check and verify stages, in source order (suppressions applied).
    pub problems: Vec<check::CheckError>,
    /// Warnings that `allow … because …` clauses silenced, with their reasons.
    pub suppressed: Vec<check::Suppressed>,
    lower_error: Option<ir::LowerError>,
}

self_cell::self_cell!(
    /// A syntax tree with the stages made from it (a self-referential pair, so that a
    /// [`Compilation`] can be returned and kept like any value).
    struct Unit {
        owner: PolicyFile,
        #[covariant]
        dependent: Stages,
    }
);

/// One policy compiled once: everything later stages and commands need.
pub struct Compilation {
    outcome: Result<Unit, syntax::SyntaxError>,
}

/// Parses, checks (with the `--set` values and `--strict` of `options`), lowers and verifies one
/// loaded file: every stage once. Never fails: problems are in [`Compilation::diagnostics`], and
/// [`Compilation::policy`] is there only when there is no error.
pub fn compile(sources: &SourceMap, file: FileId, options: &Options) -> Compilation {
    let source = sources.source(file);
    Compilation {
        outcome: parse(file, source).map(|ast| Unit::new(ast, |ast| stages(ast, source, options))),
    }
}

fn stages<'a>(ast: &'a PolicyFile, source: &str, options: &Options) -> Stages<'a> {
    let mut report = check(ast, options);
    let mut policy = None;
    let mut late = Vec::new();
    let mut lower_error = None;
    if !report.has_errors() {
        match lower(&report.model, source) {
            Ok(lowered) => {
                let verified = verify(&report.model, &lowered);
                report.model.monotonicity = verified.monotonicity;
                late = verified.problems;
                policy = Some(lowered);
            }
            Err(e) => lower_error = Some(e),
        }
    }
    let report = check::finish(report, late, options);
    if report.has_errors() {
        policy = None;
    }
    Stages {
        model: report.model,
        policy,
        problems: report.problems,
        suppressed: report.suppressed,
        lower_error,
    }
}

impl Compilation {
    /// The stages' results, or `None` when the text did not parse.
    pub fn stages(&self) -> Option<&Stages<'_>> {
        self.outcome.as_ref().ok().map(Unit::borrow_dependent)
    }

    /// The syntax tree, when the text parsed.
    pub fn ast(&self) -> Option<&PolicyFile> {
        self.outcome.as_ref().ok().map(Unit::borrow_owner)
    }

    /// The checked model, when the text parsed (complete only without errors).
    pub fn model(&self) -> Option<&check::Model<'_>> {
        self.stages().map(|s| &s.model)
    }

    /// The lowered policy, when no stage found an error.
    pub fn policy(&self) -> Option<&ir::Policy> {
        self.stages().and_then(|s| s.policy.as_ref())
    }

    /// Whether any stage found an error.
    pub fn has_errors(&self) -> bool {
        self.policy().is_none()
    }

    /// Every diagnostic with its severity, in source order: what `rubric check` reports.
    pub fn diagnostics(&self) -> Vec<(Severity, Diagnostic)> {
        match &self.outcome {
            Err(e) => e.all().map(|e| (e.severity(), e.to_diagnostic())).collect(),
            Ok(unit) => {
                let stages = unit.borrow_dependent();
                let mut out: Vec<(Severity, Diagnostic)> = stages
                    .problems
                    .iter()
                    .map(|p| (p.severity(), p.to_diagnostic()))
                    .collect();
                out.extend(
                    stages
                        .lower_error
                        .iter()
                        .map(|e| (e.severity(), e.to_diagnostic())),
                );
                out
            }
        }
    }

    /// The warnings that suppressions silenced, as diagnostics with their reasons (for the
    /// machine-readable formats, which list them too).
    pub fn suppressed(&self) -> Vec<diagnostics::Suppressed> {
        self.stages()
            .map(|s| {
                s.suppressed
                    .iter()
                    .map(|s| diagnostics::Suppressed {
                        diagnostic: s.diagnostic.to_diagnostic(),
                        reason: s.reason.clone(),
                        clause: s.clause,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Compilation {
    /// The lowered policy and the warnings, or every diagnostic when there is an error: what a
    /// program that only runs the policy needs.
    pub fn into_policy(mut self) -> Result<(ir::Policy, Vec<Diagnostic>), Vec<Diagnostic>> {
        let diagnostics: Vec<Diagnostic> = self.diagnostics().into_iter().map(|(_, d)| d).collect();
        let policy = match &mut self.outcome {
            Ok(unit) => unit.with_dependent_mut(|_, stages| stages.policy.take()),
            Err(_) => None,
        };
        match policy {
            Some(policy) => Ok((policy, diagnostics)),
            None => Err(diagnostics),
        }
    }
}

/// Documents compiled policies (`rubric docs`): one document per policy, named by its stem, then
/// the pages in `format`. `command` is printed as how the documents were generated. Fails with
/// the position of the first policy that has errors.
pub fn document(
    compiled: &[(Compilation, String)],
    command: &str,
    format: docs::Format,
) -> Result<Vec<docs::OutputFile>, usize> {
    let mut built = Vec::with_capacity(compiled.len());
    for (position, (compilation, stem)) in compiled.iter().enumerate() {
        let (Some(model), Some(policy)) = (compilation.model(), compilation.policy()) else {
            return Err(position);
        };
        built.push(docs::build(model, policy, stem, command));
    }
    Ok(docs::render(&mut built, format))
}

/// Compiles one loaded file with the default options and returns every diagnostic.
pub fn diagnose(sources: &SourceMap, file: FileId) -> Vec<(Severity, Diagnostic)> {
    compile(sources, file, &Options::default()).diagnostics()
}
