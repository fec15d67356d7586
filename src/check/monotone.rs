//! Monotonicity: an indicator declared `higher is worse` (or `higher is better`) promises that the
//! score never improves as the indicator gets worse, all else equal. The checker proves it, or
//! shows two records that break it, or says which rule it could not decide.
//!
//! The proof works rule by rule: the range analysis, focused on one indicator, works out how each
//! rule's contribution moves as the indicator grows (through derived values, `per`, caps, bins,
//! group weights and rounding, all of which preserve order). A score that is a sum of
//! contributions all moving the allowed way moves that way too, and so does its clamped value.
//!
//! When a rule moves the wrong way, or cannot be decided, the checker searches for a
//! counterexample: it evaluates the policy (with the real interpreter) on records that differ only
//! in that indicator, at the values where the policy's bins and comparisons change (E1100). When
//! the search finds none, the rule is reported as undecided (W1100): other rules may compensate,
//! or the counterexample lies between the values tried.

use super::err::CheckError;
use super::model::*;
use super::ranges::{Analyzer, Dir};
use crate::diagnostics::Code;
use crate::span::Span;
use crate::syntax::ast::{
    self, BinPattern, Bound, Direction, ExprKind, IndicatorOption, Literal, RuleItem,
};
use rust_decimal::Decimal;

/// At most this many records are evaluated while searching for counterexamples, in all.
const EVALUATION_BUDGET: usize = 4000;
/// At most this many values of one indicator are tried.
const MAX_CANDIDATES: usize = 96;
/// At most this many base records (the other indicators' values) are tried.
const MAX_BASES: usize = 6;

/// What the check found for one indicator with a direction.
#[derive(Clone, Debug, PartialEq)]
pub struct Monotonicity {
    pub indicator: usize,
    pub higher_is_better: bool,
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
    /// These rules could not be shown to move the allowed way, and no counterexample was found.
    Undecided { rules: Vec<usize> },
}

pub(super) fn check(model: &Model<'_>, params: &[Decimal]) -> (Vec<Monotonicity>, Vec<CheckError>) {
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
    let mut problems = Vec::new();
    if directional.is_empty() {
        return (results, problems);
    }
    let mut analyzer = Analyzer::new(model, params);
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
    let mut search = Search::new();
    for (indicator, better, direction_span) in directional {
        analyzer.focus_on(indicator, lets_of.get(indicator).map_or(&[], Vec::as_slice));
        let mut suspects: Vec<(usize, Dir)> = Vec::new();
        for &rule in rules_of.get(indicator).into_iter().flatten() {
            let dir = analyzer.rule(rule).dir;
            if !dir.fits(better) {
                suspects.push((rule, dir));
            }
        }
        let verdict = if suspects.is_empty() {
            Verdict::Proved
        } else {
            match search.find(model, indicator, better) {
                Some(found) => {
                    problems.push(counterexample_error(
                        model,
                        indicator,
                        better,
                        direction_span,
                        &found,
                    ));
                    found.verdict
                }
                None => {
                    for (rule, dir) in &suspects {
                        problems.push(undecided_error(
                            model,
                            indicator,
                            better,
                            direction_span,
                            *rule,
                            *dir,
                            search.tried,
                        ));
                    }
                    Verdict::Undecided {
                        rules: suspects.iter().map(|(r, _)| *r).collect(),
                    }
                }
            }
        };
        results.push(Monotonicity {
            indicator,
            higher_is_better: better,
            verdict,
        });
    }
    (results, problems)
}

fn name_of(model: &Model<'_>, indicator: usize) -> String {
    model
        .indicators
        .get(indicator)
        .map_or(String::new(), |i| i.decl.name.node.clone())
}

fn words(better: bool) -> &'static str {
    if better {
        "higher is better"
    } else {
        "higher is worse"
    }
}

fn undecided_error(
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
    if tried > 0 {
        error = error.with_note(format!(
            "no counterexample was found among {tried} records scored, differing only in `{name}`"
        ));
    }
    error.with_help(
        "simplify the rule (bins, or fixed points per unit, are always decided); once the direction is checked by other means, say so in the rule: `allow W1100 because \"…\"`",
    )
}

fn counterexample_error(
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
    let (message, primary_label) = if better {
        (
            format!(
                "`{name}` is declared `higher is better`, but lowering it from {higher} to {lower} raises the score from {} to {}",
                score_at_higher.normalize(),
                score_at_lower.normalize()
            ),
            "the score improves as it gets worse",
        )
    } else {
        (
            format!(
                "`{name}` is declared `higher is worse`, but raising it from {lower} to {higher} raises the score from {} to {}",
                score_at_lower.normalize(),
                score_at_higher.normalize()
            ),
            "the score improves as it gets worse",
        )
    };
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
    error
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

// -------------------------------------------------------------------------------------------------
// The counterexample search

struct Found {
    verdict: Verdict,
    /// Rules whose contribution moved the wrong way: (rule, at the lower value, at the higher).
    culprits: Vec<(usize, Decimal, Decimal)>,
}

struct Search {
    policy: Option<crate::ir::Policy>,
    lowered: bool,
    budget: usize,
    /// Records scored for the last indicator searched (rejected records not counted).
    tried: usize,
}

impl Search {
    fn new() -> Self {
        Search {
            policy: None,
            lowered: false,
            budget: EVALUATION_BUDGET,
            tried: 0,
        }
    }

    fn find(&mut self, model: &Model<'_>, indicator: usize, better: bool) -> Option<Found> {
        self.tried = 0;
        if !self.lowered {
            self.lowered = true;
            self.policy = crate::ir::lower(model, "", &[]).ok();
        }
        let policy = self.policy.as_ref()?;
        let evaluator = crate::eval::Evaluator::new(policy);
        let candidates = candidates(model, policy, indicator);
        if candidates.len() < 2 {
            return None;
        }
        for base in bases(policy) {
            let mut scored: Vec<(crate::ir::Value, crate::eval::Decision)> = Vec::new();
            for value in &candidates {
                if self.budget == 0 {
                    return None;
                }
                self.budget -= 1;
                let mut record = base.clone();
                if let Some(slot) = record.get_mut(indicator) {
                    *slot = Some(value.clone());
                }
                // A record the evaluator rejects (overflow, division by zero) proves nothing.
                if let Ok(decision) = evaluator.evaluate(&record) {
                    self.tried += 1;
                    scored.push((value.clone(), decision));
                }
            }
            for pair in scored.windows(2) {
                let [(lo_value, lo), (hi_value, hi)] = pair else {
                    continue;
                };
                let wrong = if better {
                    hi.score < lo.score
                } else {
                    hi.score > lo.score
                };
                if !wrong {
                    continue;
                }
                let points = |d: &crate::eval::Decision, rule: usize| {
                    d.fired
                        .iter()
                        .find(|f| f.rule == rule)
                        .map_or(Decimal::ZERO, |f| f.points)
                };
                let mut culprits: Vec<(usize, Decimal, Decimal)> = (0..policy.rules.len())
                    .map(|r| (r, points(lo, r), points(hi, r)))
                    .filter(|(_, a, b)| if better { b < a } else { b > a })
                    .collect();
                culprits.sort_by_key(|(r, a, b)| {
                    (
                        std::cmp::Reverse(b.checked_sub(*a).unwrap_or(Decimal::MAX).abs()),
                        *r,
                    )
                });
                let mut record = base.clone();
                if let Some(slot) = record.get_mut(indicator) {
                    *slot = Some(lo_value.clone());
                }
                let record = policy
                    .inputs
                    .iter()
                    .zip(&record)
                    .map(|(input, v)| (input.name.clone(), show(input, v.as_ref())))
                    .collect();
                let input = policy.inputs.get(indicator)?;
                return Some(Found {
                    verdict: Verdict::Counterexample {
                        record,
                        lower: show(input, Some(lo_value)),
                        higher: show(input, Some(hi_value)),
                        score_at_lower: lo.score,
                        score_at_higher: hi.score,
                    },
                    culprits,
                });
            }
        }
        None
    }
}

/// A value as written in a test.
fn show(input: &crate::ir::Input, value: Option<&crate::ir::Value>) -> String {
    use crate::ir::{InputKind, Value};
    match value {
        None => "missing".to_string(),
        Some(Value::Number(n)) => n.normalize().to_string(),
        Some(Value::Bool(b)) => if *b { "yes" } else { "no" }.to_string(),
        Some(Value::Text(t)) => format!("{t:?}"),
        Some(Value::Member(m)) => match &input.kind {
            InputKind::Enum(members) => members
                .get(*m as usize)
                .cloned()
                .unwrap_or_else(|| m.to_string()),
            _ => m.to_string(),
        },
        Some(Value::Tier(t)) => t.to_string(),
    }
}

/// The values of one indicator to try, in increasing order: the ends of its range, and every
/// number the policy compares or bins with, with its neighbours.
fn candidates(
    model: &Model<'_>,
    policy: &crate::ir::Policy,
    indicator: usize,
) -> Vec<crate::ir::Value> {
    use crate::ir::{InputKind, Value};
    let Some(input) = policy.inputs.get(indicator) else {
        return Vec::new();
    };
    match &input.kind {
        InputKind::Bool => return vec![Value::Bool(false), Value::Bool(true)],
        InputKind::Enum(members) => {
            return (0..members.len())
                .filter_map(|m| u32::try_from(m).ok().map(Value::Member))
                .collect()
        }
        InputKind::Text => return Vec::new(),
        InputKind::Whole | InputKind::Decimal => {}
    }
    let whole = input.kind == InputKind::Whole;
    let mut numbers: Vec<Decimal> = Vec::new();
    numbers.extend(input.min);
    numbers.extend(input.max);
    numbers.push(Decimal::ZERO);
    constants(model, &mut numbers);
    let mut values: Vec<Decimal> = Vec::new();
    for c in numbers {
        if whole {
            let f = c.floor();
            let ceil = c.ceil();
            values.extend(
                [
                    f.checked_sub(Decimal::ONE),
                    Some(f),
                    Some(ceil),
                    ceil.checked_add(Decimal::ONE),
                ]
                .into_iter()
                .flatten(),
            );
        } else {
            let eps = Decimal::new(1, (c.scale() + 1).min(20));
            values.extend(
                [c.checked_sub(eps), Some(c), c.checked_add(eps)]
                    .into_iter()
                    .flatten(),
            );
        }
    }
    // Evenly spaced values across the range, and growing ones above an open end, for
    // comparisons with values computed from the indicator (`x / 10 > 3.5`).
    let lo = input.min.unwrap_or(Decimal::ZERO);
    match input.max {
        Some(hi) => {
            let parts = Decimal::from(24);
            if let Some(span) = hi.checked_sub(lo) {
                for k in 1..24 {
                    let v = span
                        .checked_mul(Decimal::from(k))
                        .map(|x| lo + x / parts)
                        .map(|v| if whole { v.round() } else { v });
                    values.extend(v);
                }
            }
        }
        None => {
            let mut step = Decimal::ONE;
            for _ in 0..24 {
                values.extend(lo.checked_add(step));
                step = step.checked_mul(Decimal::TWO).unwrap_or(step);
            }
        }
    }
    let top = values.iter().copied().max().unwrap_or_default();
    values.extend(
        top.checked_add(top.abs())
            .and_then(|t| t.checked_add(Decimal::ONE)),
    );
    values.retain(|v| input.min.is_none_or(|m| *v >= m) && input.max.is_none_or(|m| *v <= m));
    values.sort();
    values.dedup();
    if values.len() > MAX_CANDIDATES {
        let step = values.len().div_ceil(MAX_CANDIDATES);
        let last = values.last().copied();
        values = values.into_iter().step_by(step).collect();
        if let Some(last) = last {
            if values.last() != Some(&last) {
                values.push(last);
            }
        }
    }
    values.into_iter().map(Value::Number).collect()
}

/// Every number written in the policy's derived values, rules and bins (and every param's value).
fn constants(model: &Model<'_>, out: &mut Vec<Decimal>) {
    fn walk(e: &ast::Expr, out: &mut Vec<Decimal>) {
        match &e.node {
            ExprKind::Number(n) => out.push(*n),
            ExprKind::Unary(_, x) | ExprKind::IsMissing { value: x, .. } => walk(x, out),
            ExprKind::Binary(_, a, b) => {
                walk(a, out);
                walk(b, out);
            }
            ExprKind::In { value, set, .. } => {
                walk(value, out);
                set.iter().for_each(|x| walk(x, out));
            }
            ExprKind::Call { args, .. } => args.iter().for_each(|x| walk(x, out)),
            ExprKind::If {
                branches,
                otherwise,
            } => {
                for (c, v) in branches {
                    walk(c, out);
                    walk(v, out);
                }
                walk(otherwise, out);
            }
            _ => {}
        }
    }
    out.extend(model.params.iter().map(|p| p.value));
    for l in &model.lets {
        walk(&l.decl.value, out);
    }
    for r in &model.rules {
        for item in &r.decl.items {
            match &item.node {
                RuleItem::When(e) => walk(e, out),
                RuleItem::Effect(effect) => {
                    walk(&effect.amount, out);
                    if let Some(p) = &effect.per {
                        walk(p, out);
                    }
                    for cap in &effect.caps {
                        walk(&cap.node.value, out);
                    }
                }
                RuleItem::Bin(bin) => {
                    if let BinPattern::Values(values) = &bin.pattern.node {
                        for v in values {
                            let mut bound = |b: &Bound| {
                                if let Bound::Number(n) = b {
                                    out.push(n.node);
                                }
                            };
                            match &v.node {
                                ast::Interval::Exactly(Literal::Number(n)) => out.push(n.node),
                                ast::Interval::Between(a, b) | ast::Interval::FromBelow(a, b) => {
                                    bound(a);
                                    bound(b);
                                }
                                ast::Interval::Below(b) | ast::Interval::AtOrAbove(b) => bound(b),
                                ast::Interval::Exactly(_) => {}
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Records to vary one indicator in: everything at its lowest, everything at its highest, and the
/// records of the policy's own tests.
fn bases(policy: &crate::ir::Policy) -> Vec<Vec<Option<crate::ir::Value>>> {
    use crate::ir::{InputKind, Missing, Value};
    let end = |input: &crate::ir::Input, high: bool| -> Value {
        match &input.kind {
            InputKind::Bool => Value::Bool(high),
            InputKind::Enum(m) => Value::Member(if high {
                u32::try_from(m.len().saturating_sub(1)).unwrap_or(0)
            } else {
                0
            }),
            InputKind::Text => Value::Text(String::new()),
            InputKind::Whole | InputKind::Decimal => {
                let lo = input
                    .min
                    .unwrap_or_else(|| input.max.map_or(Decimal::ZERO, |m| m.min(Decimal::ZERO)));
                let hi = input
                    .max
                    .unwrap_or_else(|| lo.checked_add(Decimal::ONE_HUNDRED).unwrap_or(lo));
                Value::Number(if high { hi } else { lo })
            }
        }
    };
    let low: Vec<Option<Value>> = policy.inputs.iter().map(|i| Some(end(i, false))).collect();
    let high: Vec<Option<Value>> = policy.inputs.iter().map(|i| Some(end(i, true))).collect();
    let mut out = vec![low.clone(), high];
    for test in &policy.tests {
        if out.len() >= MAX_BASES {
            break;
        }
        let mut record: Vec<Option<Value>> = policy
            .inputs
            .iter()
            .zip(&low)
            .map(|(input, l)| match &input.missing {
                Missing::Default(v) => Some(v.clone()),
                Missing::Unknown => None,
                Missing::Required => l.clone(),
            })
            .collect();
        for (index, value) in &test.given {
            if let Some(slot) = record.get_mut(*index) {
                *slot = value.clone();
            }
        }
        out.push(record);
    }
    out
}
