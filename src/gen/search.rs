//! How far a decided record is from a coverage target (a tier, or a consequence), so that the
//! coverage search can climb towards it.
//!
//! The distance of a tier is how far the score lies from the tier's band. The distance of a
//! consequence is the "branch distance" of its condition: for `a < b` how far `a` is from being
//! below `b`, for `and` the sum of both sides, for `or` the nearer side, for `tier is T` the
//! distance to T's band, and so on through derived values and `… applies`. Each leaf distance `d`
//! is squashed to `d / (d + 1)` so that different units add up sensibly. Distances only guide
//! the search: whether a target was reached is always read from the interpreter's decision.

use crate::eval::{arith, Decision};
use crate::ir::{Compare, Expr, Policy, Range, Ref, Value};
use rust_decimal::Decimal;

/// Something every generated sample should contain at least once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
    Tier(usize),
    Consequence(usize),
}

impl Target {
    /// Whether `decision` reaches this target.
    pub(super) fn reached(self, decision: &Decision) -> bool {
        match self {
            Target::Tier(t) => decision.tier == Some(t),
            Target::Consequence(c) => decision.consequences.contains(&c),
        }
    }
}

/// Derived values are followed this deep, and no deeper.
const MAX_DEPTH: u32 = 32;

/// A decided record, seen from the search.
pub(super) struct Ctx<'a> {
    pub policy: &'a Policy,
    /// The record's values after the missing-value rules (`None`: unknown).
    pub inputs: &'a [Option<Value>],
    pub decision: &'a Decision,
}

impl Ctx<'_> {
    /// How far the record is from `target`: 0 when reached.
    pub(super) fn distance(&self, target: Target) -> Decimal {
        if target.reached(self.decision) {
            return Decimal::ZERO;
        }
        let d = match target {
            Target::Tier(t) => self.tier_distance(t),
            Target::Consequence(c) => match self.policy.consequences.get(c) {
                Some(consequence) => self.truth(&consequence.condition, true, 0),
                None => Decimal::ONE,
            },
        };
        // Not reached, so never 0, even if the heuristic thinks so.
        d.max(Decimal::new(1, 6))
    }

    fn tier_distance(&self, tier: usize) -> Decimal {
        match self.policy.tiers.get(tier) {
            Some(t) => squash(range_distance(&t.range, self.decision.score)),
            None => Decimal::ONE,
        }
    }

    /// How far `e` is from evaluating to `want`.
    fn truth(&self, e: &Expr, want: bool, depth: u32) -> Decimal {
        match e {
            Expr::Const(Value::Bool(b)) => flag(*b == want),
            Expr::Not(x) => self.truth(x, !want, depth),
            Expr::And(a, b) | Expr::Or(a, b) => {
                let (da, db) = (self.truth(a, want, depth), self.truth(b, want, depth));
                // `a and b` is true when both are, false when either is; `or` the other way.
                if matches!(e, Expr::And(..)) == want {
                    da.saturating_add(db)
                } else {
                    da.min(db)
                }
            }
            Expr::Compare(op, a, b) => match (self.number(a, depth), self.number(b, depth)) {
                (Some(a), Some(b)) => {
                    let op = if want { *op } else { flip(*op) };
                    squash(compare_distance(op, a, b))
                }
                _ => Decimal::ONE,
            },
            Expr::Equal { negated, lhs, rhs } => {
                let equal_wanted = want != *negated;
                self.equality(lhs, rhs, equal_wanted, depth)
            }
            Expr::In {
                negated,
                value,
                set,
            } => {
                if want != *negated {
                    set.iter()
                        .map(|m| self.equality(value, m, true, depth))
                        .min()
                        .unwrap_or(Decimal::ONE)
                } else {
                    set.iter()
                        .map(|m| self.equality(value, m, false, depth))
                        .fold(Decimal::ZERO, Decimal::saturating_add)
                }
            }
            Expr::Applies(rule) => {
                let fired = self.decision.fired.iter().any(|f| f.rule == *rule);
                if fired == want {
                    return Decimal::ZERO;
                }
                let condition = self
                    .policy
                    .rules
                    .get(*rule)
                    .and_then(|r| r.condition.as_ref());
                match condition {
                    Some(c) => {
                        self.truth(c, want, depth).saturating_add(Decimal::ONE) / Decimal::TWO
                    }
                    None => Decimal::ONE,
                }
            }
            Expr::Read(Ref::Let(l)) if depth < MAX_DEPTH => match self.policy.lets.get(*l) {
                Some(definition) => self.truth(&definition.value, want, depth + 1),
                None => Decimal::ONE,
            },
            Expr::Read(r) => flag(self.read(*r) == Some(Value::Bool(want))),
            Expr::IsMissing { negated, what } => {
                flag((self.read(*what).is_none() != *negated) == want)
            }
            _ => Decimal::ONE,
        }
    }

    /// How far `a` and `b` are from being equal (`equal`) or different (`!equal`).
    fn equality(&self, a: &Expr, b: &Expr, equal: bool, depth: u32) -> Decimal {
        let (va, vb) = (self.value(a, depth), self.value(b, depth));
        if !equal {
            return match (va, vb) {
                (Some(x), Some(y)) => flag(x != y),
                _ => Decimal::ONE,
            };
        }
        match (va, vb) {
            (Some(x), Some(y)) if x == y => Decimal::ZERO,
            (Some(Value::Number(x)), Some(Value::Number(y))) => {
                squash(x.checked_sub(y).map_or(Decimal::MAX, |g| g.abs()))
            }
            (Some(Value::Tier(t)), _) if matches!(b, Expr::Tier) => self.tier_distance(idx(t)),
            (_, Some(Value::Tier(t))) if matches!(a, Expr::Tier) => self.tier_distance(idx(t)),
            _ => Decimal::ONE,
        }
    }

    fn value(&self, e: &Expr, depth: u32) -> Option<Value> {
        match e {
            Expr::Const(v) => Some(v.clone()),
            Expr::Read(r) => self.read(*r),
            Expr::Tier => self
                .decision
                .tier
                .map(|t| Value::Tier(u32::try_from(t).unwrap_or(u32::MAX))),
            _ => self.number(e, depth).map(Value::Number),
        }
    }

    fn read(&self, r: Ref) -> Option<Value> {
        match r {
            Ref::Input(i) => self.inputs.get(i).cloned().flatten(),
            Ref::Let(l) => self.decision.lets.get(l).cloned().flatten(),
            Ref::Output(o) => self
                .decision
                .lets
                .get(self.policy.lets.len() + o)
                .cloned()
                .flatten(),
        }
    }

    fn number(&self, e: &Expr, depth: u32) -> Option<Decimal> {
        let depth = depth + 1;
        if depth > MAX_DEPTH * 8 {
            return None;
        }
        match e {
            Expr::Const(Value::Number(n)) => Some(*n),
            Expr::Read(r) => match self.read(*r) {
                Some(Value::Number(n)) => Some(n),
                _ => None,
            },
            Expr::Score => Some(self.decision.score),
            Expr::Neg(x) => self.number(x, depth).map(|n| -n),
            Expr::Arith(op, a, b) => {
                arith(*op, self.number(a, depth)?, self.number(b, depth)?).ok()
            }
            Expr::Min(args) | Expr::Max(args) => {
                let mut acc: Option<Decimal> = None;
                for arg in args {
                    let n = self.number(arg, depth)?;
                    acc = Some(match acc {
                        None => n,
                        Some(a) if matches!(e, Expr::Min(_)) => a.min(n),
                        Some(a) => a.max(n),
                    });
                }
                acc
            }
            Expr::Clamp(x, lo, hi) => {
                let (x, lo, hi) = (
                    self.number(x, depth)?,
                    self.number(lo, depth)?,
                    self.number(hi, depth)?,
                );
                Some(x.min(hi).max(lo))
            }
            _ => None,
        }
    }
}

fn idx(t: u32) -> usize {
    usize::try_from(t).unwrap_or(usize::MAX)
}

/// 0 when `ok`, else 1.
fn flag(ok: bool) -> Decimal {
    if ok {
        Decimal::ZERO
    } else {
        Decimal::ONE
    }
}

/// `d / (d + 1)`: 0 stays 0, everything else lands between 0 and 1, larger staying larger.
fn squash(d: Decimal) -> Decimal {
    if d <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    d.checked_add(Decimal::ONE)
        .and_then(|denominator| d.checked_div(denominator))
        .unwrap_or(Decimal::ONE)
}

/// The comparison that holds exactly when `op` does not.
fn flip(op: Compare) -> Compare {
    match op {
        Compare::Lt => Compare::Ge,
        Compare::Le => Compare::Gt,
        Compare::Gt => Compare::Le,
        Compare::Ge => Compare::Lt,
    }
}

/// A small step past a strict boundary.
fn nudge() -> Decimal {
    Decimal::new(1, 2)
}

/// How far `a op b` is from holding (0 when it holds).
fn compare_distance(op: Compare, a: Decimal, b: Decimal) -> Decimal {
    let gap = match op {
        Compare::Lt | Compare::Le => a.checked_sub(b),
        Compare::Gt | Compare::Ge => b.checked_sub(a),
    }
    .unwrap_or(Decimal::MAX);
    let strict = matches!(op, Compare::Lt | Compare::Gt);
    if gap < Decimal::ZERO || (gap.is_zero() && !strict) {
        Decimal::ZERO
    } else if strict {
        gap.saturating_add(nudge())
    } else {
        gap
    }
}

/// How far `v` lies outside `range` (0 inside).
fn range_distance(range: &Range, v: Decimal) -> Decimal {
    if range.contains(v) {
        return Decimal::ZERO;
    }
    let below = range.lo.and_then(|b| {
        let op = if b.inclusive {
            Compare::Ge
        } else {
            Compare::Gt
        };
        Some(compare_distance(op, v, b.value)).filter(|d| !d.is_zero())
    });
    let above = range.hi.and_then(|b| {
        let op = if b.inclusive {
            Compare::Le
        } else {
            Compare::Lt
        };
        Some(compare_distance(op, v, b.value)).filter(|d| !d.is_zero())
    });
    below.or(above).unwrap_or(Decimal::ONE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Bound;

    #[test]
    fn comparisons_measure_the_gap() {
        let d = |n: i64| Decimal::from(n);
        assert_eq!(
            compare_distance(Compare::Lt, d(5), d(3)),
            Decimal::new(201, 2)
        );
        assert_eq!(compare_distance(Compare::Le, d(5), d(3)), d(2));
        assert_eq!(compare_distance(Compare::Le, d(3), d(3)), d(0));
        assert_eq!(
            compare_distance(Compare::Gt, d(3), d(3)),
            Decimal::new(1, 2)
        );
        assert_eq!(compare_distance(Compare::Ge, d(1), d(3)), d(2));
        let r = Range {
            lo: Some(Bound {
                value: d(10),
                inclusive: true,
            }),
            hi: Some(Bound {
                value: d(20),
                inclusive: false,
            }),
        };
        assert_eq!(range_distance(&r, d(15)), d(0));
        assert_eq!(range_distance(&r, d(7)), d(3));
        assert_eq!(range_distance(&r, d(20)), Decimal::new(1, 2));
        assert_eq!(squash(d(1)), Decimal::new(5, 1));
    }
}
