//! Stage 2, check: an AST → a [`Model`] with every name resolved, or every problem found.
//!
//! The checker never stops at the first problem. It runs a fixed sequence of passes over one shared
//! [`Checker`], each in its own file; a pass that meets an earlier error uses [`Type::Error`] and
//! stays quiet about its consequences, so one mistake yields one message.
//!
//! | pass | file |
//! |---|---|
//! | header, names, indicators, params | `declare.rs` |
//! | functions: arguments, bodies, calls among them and cycles | `functions.rs` |
//! | derived-value order and cycles | `derived.rs` |
//! | expression types and name resolution | `exprs.rs` |
//! | list members as written, named or quoted (resolved for every pass above and below) | `members.rs` |
//! | rules, effects, scorecard bins, groups | `rules.rs` |
//! | reason codes shared by several rules | `reasons.rs` |
//! | tiers against the scale | `tiers.rs` |
//! | consequences and due process | `consequences.rs` |
//! | the policy's own tests | `policy_tests.rs` |
//! | protected attributes | `protected.rs` |
//! | unused declarations | `usage.rs` |
//! | range analysis (only for a policy without errors) | `ranges/` |
//! | a scale where higher is worse that no rule can add to (likewise) | `scale.rs` |
//! | monotonicity of indicators with a direction (likewise; the counterexample search runs later, in `crate::verify`) | `monotone.rs` |
//! | suppressions (`allow … because …`), `--strict`, `--set` labels ([`finish`]) | `suppress.rs`, `overrides.rs` |
//!
//! `--set` overrides are an input of the checker (`overrides.rs`): they replace the written
//! values as the params are declared, so every pass checks the policy that will run.
//!
//! [`check`] runs the passes; [`finish`] runs last, after the later stages that report through
//! the checker's diagnostics (`crate::verify`), so that suppressions, `--strict` and the `--set`
//! labels apply to all of them alike.

pub(crate) mod consequences;
mod declare;
mod derived;
mod err;
mod exprs;
mod functions;
mod graph;
pub mod intervals;
mod members;
mod model;
pub mod monotone;
mod overrides;
mod policy_tests;
mod protected;
pub mod ranges;
mod reasons;
mod rules;
mod scale;
mod suppress;
mod tables;
mod tiers;
mod usage;

pub use err::{did_you_mean, CheckError};
pub use model::*;
pub use overrides::{command_line, Override, COMMAND_LINE};
pub use reasons::ReasonCode;
pub use suppress::Suppressed;

use crate::syntax::ast::PolicyFile;
use std::collections::HashSet;

/// How to check.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Due-process warnings (a consequence without appeal or basis, a rule without basis or
    /// reason) are errors.
    pub strict: bool,
    /// `--set` values for a what-if run, checked in place of the written ones.
    pub overrides: Vec<Override>,
}

/// The codes `--strict` makes errors: the due-process warnings.
pub const STRICT_CODES: [crate::diagnostics::Code; 4] = [
    crate::diagnostics::Code::MissingAppeal,
    crate::diagnostics::Code::MissingConsequenceBasis,
    crate::diagnostics::Code::MissingRuleBasis,
    crate::diagnostics::Code::MissingReason,
];

/// Everything a check found: the model (complete only when `problems` has no error), every
/// diagnostic, and (after [`finish`]) the suppressed ones.
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

/// Runs every pass of the checker on a parsed policy, with the `--set` values of `options` in
/// place of the written ones. The findings are not final until [`finish`]: suppressions, `--strict`
/// and the labels at `--set` arguments are applied there.
pub fn check<'a>(ast: &'a PolicyFile, options: &Options) -> Report<'a> {
    let mut checker = Checker::new(ast);
    checker.declare();
    checker.apply_overrides(&options.overrides);
    checker.functions();
    checker.derived_values();
    checker.trace_protected();
    checker.rules();
    checker.reason_codes();
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
        let (analysis, warnings) = ranges::analyse(&model);
        model.analysis = Some(analysis);
        problems.extend(warnings);
        problems.extend(scale::nothing_counts_against(&model));
        model.monotonicity = monotone::prove(&model);
    }
    Report {
        model,
        problems,
        suppressed: Vec::new(),
    }
}

/// Makes a report final, with the diagnostics later stages found (`late`): applies `--strict` and
/// the `allow … because …` clauses to all of them, reports unused suppressions (for a policy
/// without errors, whose analyses ran completely), labels the `--set` arguments that take part in
/// each diagnostic, and sorts them in source order.
pub fn finish<'a>(report: Report<'a>, late: Vec<CheckError>, options: &Options) -> Report<'a> {
    let Report {
        mut model,
        mut problems,
        ..
    } = report;
    problems.extend(late);
    let mut suppressions = suppress::collect(model.ast, &model);
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
    overrides::label_overrides(&model, &mut problems);
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
    pub table_taint: Vec<Option<protected::Taint>>,
    /// Function arguments named in their function's body, as (function, argument).
    pub used_args: HashSet<(usize, usize)>,
    /// How large the calls outside function bodies are once written out, in all (bounded by
    /// `functions::MAX_TOTAL`).
    pub expanded: u64,
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
                functions: Vec::new(),
                let_order: Vec::new(),
                tables: Vec::new(),
                outputs: Vec::new(),
                value_order: Vec::new(),
                rules: Vec::new(),
                groups: Vec::new(),
                tiers: Vec::new(),
                consequences: Vec::new(),
                consequence_order: Vec::new(),
                tests: Vec::new(),
                names: Default::default(),
                resolutions: Default::default(),
                analysis: None,
                monotonicity: Vec::new(),
                suppressions: Vec::new(),
                reason_codes: Vec::new(),
            },
            problems: Vec::new(),
            used: HashSet::new(),
            scale_ok: false,
            let_refs: Vec::new(),
            let_taint: Vec::new(),
            table_taint: Vec::new(),
            used_args: HashSet::new(),
            expanded: 0,
        }
    }

    pub fn report(&mut self, problem: CheckError) {
        self.problems.push(problem);
    }
}
