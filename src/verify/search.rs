//! The counterexample search: scores records that differ only in one indicator with the real
//! evaluator, at the values where the policy's bins and comparisons change, and reports the first
//! neighbouring pair whose scores break the declared direction.
//!
//! It is bounded: at most [`EVALUATION_BUDGET`] records in all, [`MAX_CANDIDATES`] values of one
//! indicator and [`MAX_BASES`] base records (the other indicators' values).

use crate::check::monotone::{Found, Verdict};
use crate::eval::{Decision, Evaluator};
use crate::ir::{Input, InputKind, Missing, Policy, Value};
use rust_decimal::Decimal;

/// At most this many records are evaluated while searching for counterexamples, in all.
const EVALUATION_BUDGET: usize = 4000;
/// At most this many values of one indicator are tried.
const MAX_CANDIDATES: usize = 96;
/// At most this many base records (the other indicators' values) are tried.
const MAX_BASES: usize = 6;

pub(super) struct Search {
    budget: usize,
    /// Records scored for the last indicator searched (rejected records not counted).
    pub(super) tried: usize,
}

impl Search {
    pub(super) fn new() -> Self {
        Search {
            budget: EVALUATION_BUDGET,
            tried: 0,
        }
    }

    /// Looks for two records, differing only in `indicator`, whose scores break its direction:
    /// the score must never fall as the indicator grows when `rises`, never rise otherwise (a
    /// better value lowers the score on a scale where higher is worse).
    pub(super) fn find(&mut self, policy: &Policy, indicator: usize, rises: bool) -> Option<Found> {
        self.tried = 0;
        let evaluator = Evaluator::new(policy);
        let candidates = candidates(policy, indicator);
        if candidates.len() < 2 {
            return None;
        }
        for base in bases(policy) {
            let mut scored: Vec<(Value, Decision)> = Vec::new();
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
                let wrong = if rises {
                    hi.score < lo.score
                } else {
                    hi.score > lo.score
                };
                if !wrong {
                    continue;
                }
                let points = |d: &Decision, rule: usize| {
                    d.fired
                        .iter()
                        .find(|f| f.rule == rule)
                        .map_or(Decimal::ZERO, |f| f.points)
                };
                let mut culprits: Vec<(usize, Decimal, Decimal)> = (0..policy.rules.len())
                    .map(|r| (r, points(lo, r), points(hi, r)))
                    .filter(|(_, a, b)| if rises { b < a } else { b > a })
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
fn show(input: &Input, value: Option<&Value>) -> String {
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
fn candidates(policy: &Policy, indicator: usize) -> Vec<Value> {
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
    numbers.extend(policy.numbers());
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

/// Records to vary one indicator in: everything at its lowest, everything at its highest, and the
/// records of the policy's own tests.
fn bases(policy: &Policy) -> Vec<Vec<Option<Value>>> {
    let end = |input: &Input, high: bool| -> Value {
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
