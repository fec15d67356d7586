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

mod consequences;
mod declare;
mod derived;
mod err;
mod exprs;
pub mod intervals;
mod model;
mod policy_tests;
mod protected;
mod rules;
mod tiers;
mod usage;

pub use err::{did_you_mean, CheckError};
pub use model::*;

use crate::syntax::ast::PolicyFile;
use std::collections::HashSet;

/// A policy that passed every check, with the warnings found on the way.
#[derive(Debug)]
pub struct Checked<'a> {
    pub model: Model<'a>,
    pub warnings: Vec<CheckError>,
}

/// Checks a parsed policy. On failure, returns every diagnostic (errors and warnings) in source
/// order.
pub fn check(ast: &PolicyFile) -> Result<Checked<'_>, Vec<CheckError>> {
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
        model,
        mut problems,
        ..
    } = checker;
    problems.sort_by(|a, b| {
        (a.span.file, a.span.start, a.code).cmp(&(b.span.file, b.span.start, b.code))
    });
    problems.dedup();
    if problems.iter().any(CheckError::is_error) {
        Err(problems)
    } else {
        Ok(Checked {
            model,
            warnings: problems,
        })
    }
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
