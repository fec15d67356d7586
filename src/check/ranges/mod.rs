//! Range analysis: an abstract evaluation of every expression over intervals of exact decimals,
//! starting from the declared indicator ranges and the params' values.
//!
//! Each derived value is analysed once, in dependency order; each rule's condition once, and its
//! points once under what the condition says about the values it tests (`when x > 0` makes `x`
//! positive inside the rule; a bin narrows its subject to the bin's values; an `if` narrows each
//! branch). So the cost is linear in the size of the policy.
//!
//! The results are over-approximations: every value a record can produce lies in the computed
//! range, so "never" and "always" findings are proofs, while the score range may be wider than what
//! records can really reach (rules are treated as independent). From them the checker reports:
//!
//! | code | finding |
//! |---|---|
//! | W1000 | the score can leave the scale (before clamping) |
//! | W1001 | a tier no score can reach |
//! | W1002 | a rule or consequence whose condition is never true |
//! | W1003 | a rule whose condition is always true |
//! | W1004 | a division whose divisor can be 0 |
//! | W1005 | a cap (`at most`, `at least`) that never changes the points |
//! | W1006 | arithmetic that can overflow the exact decimal range |
//!
//! The same evaluator, given one indicator to *focus* on, also works out in which direction every
//! value moves when that indicator grows (used by `monotone.rs`).
//!
//! | file | job |
//! |---|---|
//! | `mod.rs` | [`Analysis`], [`analyse`], the [`Analyzer`] state shared by the files below |
//! | `values.rs` | the abstract values ([`Abs`], [`Val`], [`Dir`]) and their lattice operations |
//! | `narrow.rs` | environments, and what a condition being yes or no says about what it tests |
//! | `exprs.rs` | the transfer function of every expression |
//! | `overflow.rs` | arithmetic whose result can leave the exact decimal range (W1006) |
//! | `derived.rs` | derived values in dependency order, and the dependency sets for `monotone.rs` |
//! | `calls.rs` | calls of the policy's functions: each body analysed with the call's values; E1503 |
//! | `durations.rs` | computed durations and notice periods: whole and at least 0 (E0503–E0505, W0502) |
//! | `rules.rs` | each rule's least and most contribution (conditions, points, `per`, caps, weights) |
//! | `bins.rs` | scorecard bins: the subject narrowed by each bin, the values no bin takes |
//! | `findings.rs` | the score's reach and the tiers reached, and the wording of W1000–W1006 |
//!
//! Each file has unit tests; `testing.rs` checks small policies from source text for them.

mod bins;
mod calls;
mod derived;
mod durations;
mod exprs;
mod findings;
mod narrow;
mod overflow;
mod rules;
mod tables;
mod values;

#[cfg(test)]
pub(super) mod testing;

pub use values::{Abs, Dir, Val};

use super::err::CheckError;
use super::intervals::{End, Interval};
use super::model::*;
use crate::diagnostics::Code;
use crate::span::Span;
use crate::syntax::ast::RoundingMode;
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

/// What the analysis found, kept in the [`Model`] for the IR, the documentation and explanations.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// By rule index (the order of `Model::rules`).
    pub rules: Vec<RuleRange>,
    /// The score before clamping (after rounding): every record's total lies inside.
    pub before: Interval,
    /// The score after clamping to the scale.
    pub after: Interval,
    /// By tier index: whether some score in `after` falls in the tier.
    pub tiers_reachable: Vec<bool>,
}

/// The least and most one rule can contribute (after caps, weight and rounding, counting "does
/// not apply" as 0). `None` is unbounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleRange {
    pub least: Option<Decimal>,
    pub most: Option<Decimal>,
    /// Whether some record makes the rule apply.
    pub can_fire: bool,
    /// Whether some record makes it not apply (its condition false or unknown, or no bin used).
    pub can_skip: bool,
}

/// Analyses a checked policy with the given param values (the written ones, or `--set` ones).
/// Returns the analysis and the warnings it gives rise to.
pub fn analyse(model: &Model<'_>) -> (Analysis, Vec<CheckError>) {
    let mut a = Analyzer::new(model);
    a.base_lets();
    let mut rules = Vec::with_capacity(model.rules.len());
    for index in 0..model.rules.len() {
        rules.push(a.rule(index).range);
    }
    let (before, after, tiers_reachable) = findings::reach(model, &rules);
    a.score = Some(after);
    a.tiers = tiers_reachable.clone();
    a.fires = rules.iter().map(|r| (r.can_fire, r.can_skip)).collect();
    a.rule_ranges = rules.clone();
    a.after_rules_values();
    let analysis = Analysis {
        rules,
        before,
        after,
        tiers_reachable,
    };
    a.scale_and_tiers(&analysis);
    a.consequences();
    a.durations();
    (analysis, a.problems)
}

fn inclusive(value: Decimal) -> End {
    End {
        value,
        inclusive: true,
    }
}

fn round(v: Decimal, decimals: u32, mode: RoundingMode) -> Decimal {
    v.round_dp_with_strategy(decimals, crate::check::model::rounding(mode).strategy())
}

/// One rule's analysis.
pub struct RuleResult {
    pub range: RuleRange,
    /// In focus mode: how the rule's contribution moves as the focused indicator grows.
    pub dir: Dir,
}

/// The abstract interpreter. Its methods are spread over this module's files by job; the state
/// they share is here.
pub struct Analyzer<'m, 'a> {
    model: &'m Model<'a>,
    /// By indicator: its declared values.
    inds: Vec<Abs>,
    /// By derived value: its analysed value (see `derived.rs`).
    lets: Vec<Abs>,
    /// The indicator whose directions are being worked out, if any.
    focus: Option<usize>,
    /// In focus mode: the derived values that depend on the focus, analysed again.
    focus_lets: HashMap<usize, Abs>,
    /// By table output: the values its rows can give (see `tables.rs`).
    outputs: Vec<Abs>,
    /// For values computed after the rules (`points of …`): each rule's range, once known.
    rule_ranges: Vec<RuleRange>,
    /// By table: the indicators among those `dependencies` was asked for that its inputs read.
    table_deps: Vec<Vec<usize>>,
    /// In focus mode: the outputs of tables that read the focused indicator.
    focus_outputs: HashSet<usize>,
    /// No warnings (focus mode).
    quiet: bool,
    problems: Vec<CheckError>,
    /// Each warning is given once per code and place.
    reported: HashSet<(Code, Span)>,
    /// For consequences: the score's reach after clamping, once known.
    score: Option<Interval>,
    /// For consequences: by tier, whether it is reached, once known.
    tiers: Vec<bool>,
    /// For consequences (`applies`): by rule, whether it can fire and whether it can skip.
    fires: Vec<(bool, bool)>,
    /// The calls whose function bodies are being analysed, outermost first: each call's span
    /// and function (`calls.rs`).
    calls: Vec<(Span, usize)>,
}

impl<'m, 'a> Analyzer<'m, 'a> {
    pub fn new(model: &'m Model<'a>) -> Self {
        let inds = model
            .indicators
            .iter()
            .map(|info| {
                let val = match &info.kind {
                    ValueKind::Bool => Val::Bool { t: true, f: true },
                    ValueKind::Count | ValueKind::Integer | ValueKind::Decimal => Val::Num {
                        iv: Interval {
                            lo: info.min.map(inclusive),
                            hi: info.max.map(inclusive),
                        },
                        whole: info.kind.is_whole(),
                    },
                    ValueKind::Enum(members) => Val::Set(vec![true; members.len()]),
                    ValueKind::Text => Val::Text(None),
                };
                Abs::new(val).with_unknown(info.missing == Missing::Unknown, false)
            })
            .collect();
        Analyzer {
            model,
            inds,
            lets: vec![Abs::any(); model.lets.len()],
            focus: None,
            focus_lets: HashMap::new(),
            outputs: vec![Abs::any(); model.outputs.len()],
            rule_ranges: Vec::new(),
            table_deps: vec![Vec::new(); model.tables.len()],
            focus_outputs: HashSet::new(),
            quiet: false,
            problems: Vec::new(),
            reported: HashSet::new(),
            score: None,
            tiers: Vec::new(),
            fires: Vec::new(),
            calls: Vec::new(),
        }
    }

    /// A param's value: the written one, or its `--set` value (the checker applied those).
    fn param(&self, index: usize) -> Decimal {
        self.model
            .params
            .get(index)
            .map(|p| p.value)
            .unwrap_or_default()
    }

    fn warn(&mut self, error: CheckError) {
        let error = self.at_call(error);
        if self.quiet || !self.reported.insert((error.code, error.span)) {
            return;
        }
        self.problems.push(error);
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    const BODY: &str = "
indicator late: count
param penalty = 20
param cap = 100
rule late_taxes {\n when late >= 1\n deduct penalty per late, at most cap\n}
tier ok at 0 and above
";

    #[test]
    fn analyse_uses_the_values_that_run() {
        with_body(BODY, |model, _| {
            let (analysis, warnings) = analyse(model);
            assert_eq!(Some(&analysis), model.analysis.as_ref());
            let r = analysis.rules.first().copied();
            assert_eq!(
                r,
                Some(RuleRange {
                    least: some("-100"),
                    most: some("0"),
                    can_fire: true,
                    can_skip: true,
                })
            );
            assert_eq!(analysis.before, closed("400", "500"));
            assert!(warnings.is_empty());
        });
        // `--set cap=600`: the score can now go below 0.
        with_body_set(BODY, &[("cap", "600")], |model, warnings| {
            let analysis = model.analysis.as_ref().unwrap();
            assert_eq!(analysis.rules.first().and_then(|r| r.least), some("-600"));
            assert_eq!(analysis.before, closed("-100", "500"));
            assert_eq!(analysis.after, closed("0", "500"));
            let codes: Vec<Code> = warnings.iter().map(|w| w.code).collect();
            assert!(codes.contains(&Code::ScoreLeavesScale), "{codes:?}");
            // Run again, the analysis reads the same values from the model.
            let (_, again) = analyse(model);
            assert!(again.iter().any(|w| w.code == Code::ScoreLeavesScale));
        });
    }
}
