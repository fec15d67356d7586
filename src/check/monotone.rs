//! Monotonicity: an indicator declared `higher is worse` (or `higher is better`) promises that the
//! score never improves as the indicator gets worse, all else equal. The checker proves it, or
//! shows two records that break it, or says which rule it could not decide. On a scale where a
//! higher score is worse (demerit points), "improves" means the score goes down: a `higher is
//! worse` indicator may then never lower the score.
//!
//! The proof works rule by rule: the range analysis, focused on one indicator, works out how each
//! rule's contribution moves as the indicator grows (through derived values, `per`, caps, bins,
//! group weights and rounding, all of which preserve order). A score that is a sum of
//! contributions all moving the allowed way moves that way too, and so does its clamped value.
//!
//! When a rule moves the wrong way, or cannot be decided, the proof leaves the indicator
//! [`Verdict::Undecided`] with those rules as suspects. The counterexample search, which scores
//! records with the real evaluator, needs the lowered policy, so it runs after lowering, in
//! `crate::verify`; it reports through [`counterexample_error`] (E1100) or [`undecided_error`]
//! (W1100) below, so the diagnostics read the same whichever stage found them.

use super::err::CheckError;
use super::model::*;
use super::ranges::{Analyzer, Dir};
use crate::diagnostics::Code;
use crate::span::Span;
use crate::syntax::ast::{Direction, IndicatorOption};
use rust_decimal::Decimal;

/// What the check found for one indicator with a direction.
#[derive(Clone, Debug, PartialEq)]
pub struct Monotonicity {
    pub indicator: usize,
    pub higher_is_better: bool,
    /// Whether the score may only rise as the indicator grows: a better value raises the score
    /// on a scale where higher is better, and lowers it on one where higher is worse.
    pub score_rises: bool,
    /// Where the direction is declared.
    pub direction_span: Span,
    pub verdict: Verdict,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// The score never moves against the declared direction.
    Proved,
    /// Two records, differing only in this indicator, whose scores break the direction.
    Counterexample {
        /// Every indicator's value in the first record, as written in a test (`missing` for an
        /// unknown value).
        record: Vec<(String, String)>,
        lower: String,
        higher: String,
        score_at_lower: Decimal,
        score_at_higher: Decimal,
    },
    /// These rules could not be shown to move the allowed way (each with how its points move as
    /// the indicator grows), and no counterexample was found among `tried` records.
    Undecided {
        suspects: Vec<(usize, Dir)>,
        tried: usize,
    },
}

/// A counterexample with the rules whose points moved the wrong way in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// Always a [`Verdict::Counterexample`].
    pub verdict: Verdict,
    /// Rules whose contribution moved the wrong way: (rule, at the lower value, at the higher).
    pub culprits: Vec<(usize, Decimal, Decimal)>,
}

/// Proves each declared direction rule by rule. An indicator whose rules could not all be shown
/// to move the allowed way is left [`Verdict::Undecided`] with those rules, for the search.
pub(super) fn prove(model: &Model<'_>) -> Vec<Monotonicity> {
    let directional: Vec<(usize, bool, Span)> = model
        .indicators
        .iter()
        .enumerate()
        .filter(|(_, info)| !matches!(info.kind, ValueKind::Text))
        .filter_map(|(i, info)| {
            let option = info.decl.options.iter().find_map(|o| match o.node {
                IndicatorOption::Direction(d) => Some((d, o.span)),
                _ => None,
            })?;
            Some((i, option.0 == Direction::HigherIsBetter, option.1))
        })
        .collect();
    let mut results = Vec::new();
    if directional.is_empty() {
        return results;
    }
    let mut analyzer = Analyzer::new(model);
    analyzer.base_lets();
    let wanted: Vec<usize> = directional.iter().map(|(i, _, _)| *i).collect();
    let (let_deps, rule_deps) = analyzer.dependencies(&wanted);
    // For each directional indicator, the derived values (in dependency order) and the rules that
    // read it: each rule is analysed once per directional indicator it reads.
    let mut lets_of: Vec<Vec<usize>> = vec![Vec::new(); model.indicators.len()];
    for &l in &model.let_order {
        for &i in let_deps.get(l).into_iter().flatten() {
            if let Some(list) = lets_of.get_mut(i) {
                list.push(l);
            }
        }
    }
    let mut rules_of: Vec<Vec<usize>> = vec![Vec::new(); model.indicators.len()];
    for (r, deps) in rule_deps.iter().enumerate() {
        for &i in deps {
            if let Some(list) = rules_of.get_mut(i) {
                list.push(r);
            }
        }
    }
    // On a scale of demerit points (`higher is worse`) a better value must never raise the score.
    let worse_scale = model.header.higher_is_worse;
    for (indicator, better, direction_span) in directional {
        let rises = better != worse_scale;
        analyzer.focus_on(indicator, lets_of.get(indicator).map_or(&[], Vec::as_slice));
        let mut suspects: Vec<(usize, Dir)> = Vec::new();
        for &rule in rules_of.get(indicator).into_iter().flatten() {
            let dir = analyzer.rule(rule).dir;
            if !dir.fits(rises) {
                suspects.push((rule, dir));
            }
        }
        let verdict = if suspects.is_empty() {
            Verdict::Proved
        } else {
            Verdict::Undecided { suspects, tried: 0 }
        };
        results.push(Monotonicity {
            indicator,
            higher_is_better: better,
            score_rises: rises,
            direction_span,
            verdict,
        });
    }
    results
}

fn name_of(model: &Model<'_>, indicator: usize) -> String {
    model
        .indicators
        .get(indicator)
        .map_or(String::new(), |i| i.decl.name.node.clone())
}

/// A secondary label at the scale's direction, on a scale where higher is worse (where "the score
/// improves" means it goes down).
fn with_scale(model: &Model<'_>, error: CheckError) -> CheckError {
    match model.header.direction_span {
        Some(span) if model.header.higher_is_worse => {
            error.with_secondary(span, "on this scale a higher score is worse")
        }
        _ => error,
    }
}

/// "raises" or "lowers", for a score going from `from` to `to`.
fn moves(from: Decimal, to: Decimal) -> &'static str {
    if to > from {
        "raises"
    } else {
        "lowers"
    }
}

fn words(better: bool) -> &'static str {
    if better {
        "higher is better"
    } else {
        "higher is worse"
    }
}

/// W1100 for one rule of an indicator no counterexample was found for.
pub fn undecided_error(
    model: &Model<'_>,
    indicator: usize,
    better: bool,
    direction_span: Span,
    rule: usize,
    dir: Dir,
    tried: usize,
) -> CheckError {
    let name = name_of(model, indicator);
    let Some(info) = model.rules.get(rule) else {
        return CheckError::new(Code::MonotonicityUndecided, direction_span, "", "");
    };
    let rule_name = &info.decl.name.node;
    let how = match dir {
        Dir::Inc | Dir::Dec => format!(
            "its own points move the wrong way as `{name}` grows, but no pair of records was found where the whole score does (other rules may make up for it)"
        ),
        _ => format!("how its points move as `{name}` grows depends on other values or on an `if`"),
    };
    let mut error = CheckError::new(
        Code::MonotonicityUndecided,
        info.decl.name.span,
        format!(
            "could not prove that rule `{rule_name}` never improves the score as `{name}` gets worse"
        ),
        "cannot tell which way this rule moves",
    )
    .with_secondary(direction_span, format!("`{name}` is declared `{}` here", words(better)))
    .with_note(how);
    error = with_scale(model, error);
    if tried > 0 {
        error = error.with_note(format!(
            "no counterexample was found among {tried} records scored, differing only in `{name}`"
        ));
    }
    error.with_help(
        "simplify the rule (bins, or fixed points per unit, are always decided); once the direction is checked by other means, say so in the rule: `allow W1100 because \"…\"`",
    )
}

/// E1100 for a counterexample found by the search.
pub fn counterexample_error(
    model: &Model<'_>,
    indicator: usize,
    better: bool,
    direction_span: Span,
    found: &Found,
) -> CheckError {
    let name = name_of(model, indicator);
    let Verdict::Counterexample {
        record,
        lower,
        higher,
        score_at_lower,
        score_at_higher,
    } = &found.verdict
    else {
        return CheckError::new(Code::NotMonotone, direction_span, "", "");
    };
    let message = if better {
        format!(
            "`{name}` is declared `higher is better`, but lowering it from {higher} to {lower} {} the score from {} to {}",
            moves(*score_at_higher, *score_at_lower),
            score_at_higher.normalize(),
            score_at_lower.normalize()
        )
    } else {
        format!(
            "`{name}` is declared `higher is worse`, but raising it from {lower} to {higher} {} the score from {} to {}",
            moves(*score_at_lower, *score_at_higher),
            score_at_lower.normalize(),
            score_at_higher.normalize()
        )
    };
    let primary_label = "the score improves as it gets worse";
    let primary = found
        .culprits
        .first()
        .and_then(|(r, _, _)| model.rules.get(*r))
        .map_or(direction_span, |r| r.decl.name.span);
    let mut error = CheckError::new(Code::NotMonotone, primary, message, primary_label);
    for (i, (rule, at_lower, at_higher)) in found.culprits.iter().enumerate() {
        let Some(info) = model.rules.get(*rule) else {
            continue;
        };
        let label = format!(
            "gives {} points at {name} = {lower} but {} at {name} = {higher}",
            signed(*at_lower),
            signed(*at_higher)
        );
        if i == 0 {
            error.label = label;
        } else {
            error = error.with_secondary(info.decl.name.span, label);
        }
    }
    let others: Vec<String> = record
        .iter()
        .filter(|(n, _)| *n != name)
        .map(|(n, v)| format!("{n} = {v}"))
        .collect();
    let others = if others.is_empty() {
        String::new()
    } else {
        format!(", with {}", others.join(", "))
    };
    with_scale(model, error)
        .with_secondary(direction_span, format!("`{name}` is declared `{}` here", words(better)))
        .with_note(format!(
            "counterexample: two records that differ only in `{name}`{others}: with {name} = {lower} the score is {}, with {name} = {higher} it is {}",
            score_at_lower.normalize(),
            score_at_higher.normalize()
        ))
        .with_help("make the points move the declared way (for example, order the bins), or remove the direction if it does not hold")
}

fn signed(v: Decimal) -> String {
    let v = v.normalize();
    if v > Decimal::ZERO {
        format!("+{v}")
    } else {
        v.to_string()
    }
}
