//! Stage 2, check: an AST → a [`Model`] with every name resolved, or every problem found.
//!
//! The checker never stops at the first problem. It runs a fixed sequence of passes over one shared
//! [`Checker`], each in its own file; a pass that meets an earlier error uses [`Type::Error`] and
//! stays quiet about its consequences, so one mistake yields one message.
//!
//! | pass | file |
//! |---|---|
//! | header, names, indicators, params | `declare.rs` |
//! | derived-value order and cycles | `derived.rs` |
//! | expression types and name resolution | `exprs.rs` |
//! | rules, effects, scorecard bins, groups | `rules.rs` |
//! | tiers against the scale | `tiers.rs` |
//! | consequences and due process | `consequences.rs` |
//! | the policy's own tests | `policy_tests.rs` |
//! | protected attributes | `protected.rs` |
//! | unused declarations | `usage.rs` |
//! | range analysis (only for a policy without errors) | `ranges/` |
//! | monotonicity of indicators with a direction (likewise) | `monotone.rs` |
//! | suppressions (`allow … because …`) | `suppress.rs` |

mod consequences;
mod declare;
mod derived;
mod err;
mod exprs;
pub mod intervals;
mod model;
pub mod monotone;
mod policy_tests;
mod protected;
pub mod ranges;
mod rules;
mod suppress;
mod tiers;
mod usage;

pub use err::{did_you_mean, CheckError};
pub use model::*;
pub use suppress::Suppressed;

use crate::syntax::ast::PolicyFile;
use std::collections::HashSet;

/// A policy that passed every check, with the warnings found on the way.
#[derive(Debug)]
pub struct Checked<'a> {
    pub model: Model<'a>,
    pub warnings: Vec<CheckError>,
    /// Warnings silenced by `allow … because …`, with their reasons.
    pub suppressed: Vec<Suppressed>,
}

/// How strictly to check.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Due-process warnings (a consequence without appeal or basis, a rule without basis or
    /// reason) are errors.
    pub strict: bool,
}

/// The codes `--strict` makes errors: the due-process warnings.
pub const STRICT_CODES: [crate::diagnostics::Code; 4] = [
    crate::diagnostics::Code::MissingAppeal,
    crate::diagnostics::Code::MissingConsequenceBasis,
    crate::diagnostics::Code::MissingRuleBasis,
    crate::diagnostics::Code::MissingReason,
];

/// Everything one check found: the model (complete only when `problems` has no error), every
/// diagnostic in source order, and the suppressed ones.
#[derive(Debug)]
pub struct Report<'a> {
    pub model: Model<'a>,
    pub problems: Vec<CheckError>,
    pub suppressed: Vec<Suppressed>,
}

impl Report<'_> {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(CheckError::is_error)
    }
}

/// Checks a parsed policy with the default options. On failure, returns every diagnostic (errors
/// and warnings) in source order.
pub fn check(ast: &PolicyFile) -> Result<Checked<'_>, Vec<CheckError>> {
    let report = check_with(ast, Options::default());
    if report.has_errors() {
        Err(report.problems)
    } else {
        Ok(Checked {
            model: report.model,
            warnings: report.problems,
            suppressed: report.suppressed,
        })
    }
}

/// Checks a parsed policy, returning every finding.
pub fn check_with(ast: &PolicyFile, options: Options) -> Report<'_> {
    let mut checker = Checker::new(ast);
    checker.declare();
    checker.derived_values();
    checker.trace_protected();
    checker.rules();
    checker.tiers();
    checker.consequences();
    checker.policy_tests();
    checker.unused();
    let Checker {
        mut model,
        mut problems,
        ..
    } = checker;
    let clean = !problems.iter().any(CheckError::is_error);
    if clean {
        // The analyses read a complete, consistent model; on a policy with errors they would only
        // repeat them.
        let params: Vec<rust_decimal::Decimal> = model.params.iter().map(|p| p.value).collect();
        let (analysis, warnings) = ranges::analyse(&model, &params);
        model.analysis = Some(analysis);
        problems.extend(warnings);
        let (monotonicity, findings) = monotone::check(&model, &params);
        model.monotonicity = monotonicity;
        problems.extend(findings);
    }
    let mut suppressions = suppress::collect(ast, &model);
    problems.extend(suppress::validate(&suppressions));
    if options.strict {
        for p in &mut problems {
            p.promoted |= STRICT_CODES.contains(&p.code);
        }
    }
    sort(&mut problems);
    let (mut problems, suppressed) = suppress::apply(problems, &mut suppressions);
    if !problems.iter().any(CheckError::is_error) {
        problems.extend(suppress::unused(&suppressions));
        sort(&mut problems);
    }
    model.suppressions = suppressions;
    Report {
        model,
        problems,
        suppressed,
    }
}

fn sort(problems: &mut Vec<CheckError>) {
    problems.sort_by(|a, b| {
        (a.span.file, a.span.start, a.code).cmp(&(b.span.file, b.span.start, b.code))
    });
    problems.dedup();
}

/// The state shared by the passes.
pub(crate) struct Checker<'a> {
    pub model: Model<'a>,
    pub problems: Vec<CheckError>,
    /// Indicators, params and derived values referred to anywhere.
    pub used: HashSet<Symbol>,
    /// Whether the header's scale is usable for checks against it.
    pub scale_ok: bool,
    /// For each derived value, the names it refers to (filled when it is type-checked).
    pub let_refs: Vec<Vec<(Resolved, crate::span::Span)>>,
    /// For each derived value, how a protected indicator reaches it, if one does.
    pub let_taint: Vec<Option<protected::Taint>>,
}

impl<'a> Checker<'a> {
    fn new(ast: &'a PolicyFile) -> Self {
        Checker {
            model: Model {
                ast,
                header: declare::empty_header(),
                indicators: Vec::new(),
                params: Vec::new(),
                lets: Vec::new(),
                let_order: Vec::new(),
                rules: Vec::new(),
                groups: Vec::new(),
                tiers: Vec::new(),
                consequences: Vec::new(),
                tests: Vec::new(),
                names: Default::default(),
                resolutions: Default::default(),
                analysis: None,
                monotonicity: Vec::new(),
                suppressions: Vec::new(),
            },
            problems: Vec::new(),
            used: HashSet::new(),
            scale_ok: false,
            let_refs: Vec::new(),
            let_taint: Vec::new(),
        }
    }

    pub fn report(&mut self, problem: CheckError) {
        self.problems.push(problem);
    }
}
