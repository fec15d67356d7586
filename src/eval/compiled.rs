//! The policy's expressions, rules and tiers compiled once, when an [`Evaluator`] is created, into
//! closures that do not walk the IR again for each record.
//!
//! Every compiled form computes exactly what [`Frame`]'s tree walk computes, with the same unknown
//! values, the same errors and the same order of evaluation (so the first error of a record is the
//! same one); shapes without a fast form fall back to the tree walk. The fast forms:
//!
//! - values are read where they are, without cloning, and a number stays a `Decimal` between
//!   operations (no `Value` is built for an intermediate result);
//! - a comparison with a constant compares mantissas: the constant is raised once to every scale a
//!   value can have ([`Scaled`]), falling back to [`rt::compare`] where that cannot be done exactly;
//! - `x in [constants]` and `x is constant` compare in place;
//! - a scorecard arm's and a rule's constant points are signed, capped, weighted and rounded once;
//! - scorecard arms and tiers are found by binary search when there are many and their ranges do
//!   not overlap ([`Ranges`]).
//!
//! [`Evaluator`]: super::Evaluator

use super::interp::{round, Frame, R, V};
use crate::ir::*;
use crate::runtime::arith as rt;
use crate::runtime::{EvalErrorKind, RuleOutcome};
use rust_decimal::Decimal;
use std::cmp::Ordering;

pub(super) type NumFn = Box<dyn Fn(&Frame<'_>) -> R<Option<Decimal>> + Send + Sync>;
pub(super) type BoolFn = Box<dyn Fn(&Frame<'_>) -> R<Option<bool>> + Send + Sync>;
pub(super) type ValFn = Box<dyn Fn(&Frame<'_>) -> R<V> + Send + Sync>;
/// A compiled expression giving a `T` or unknown.
type OptFn<T> = Box<dyn Fn(&Frame<'_>) -> R<Option<T>> + Send + Sync>;

/// The largest scale of a `Decimal`.
const MAX_SCALE: usize = 28;

/// A constant, raised once to every scale from its own to [`MAX_SCALE`] (as far as that fits in
/// an `i128`), so that comparing a number with it is comparing two mantissas.
#[derive(Clone, Debug)]
pub(super) struct Scaled {
    value: Decimal,
    /// By scale: the constant's mantissa at that scale, when it is exact and fits.
    at: [Option<i128>; MAX_SCALE + 1],
}

impl Scaled {
    pub(super) fn new(value: Decimal) -> Self {
        let own = value.scale();
        let mut at = [None; MAX_SCALE + 1];
        for (scale, slot) in (0u32..).zip(at.iter_mut()) {
            if scale >= own {
                *slot = 10i128
                    .checked_pow(scale - own)
                    .and_then(|factor| value.mantissa().checked_mul(factor));
            }
        }
        Scaled { value, at }
    }

    /// `rt::compare(v, self.value)`.
    #[inline]
    pub(super) fn compare(&self, v: Decimal) -> Ordering {
        match self.at.get(v.scale() as usize) {
            Some(Some(k)) => v.mantissa().cmp(k),
            _ => rt::compare(v, self.value),
        }
    }
}

/// A [`Range`] with its bounds pre-scaled.
#[derive(Clone, Debug)]
pub(super) struct ScaledRange {
    lo: Option<(Scaled, bool)>,
    hi: Option<(Scaled, bool)>,
}

impl ScaledRange {
    pub(super) fn new(range: &Range) -> Self {
        let bound = |b: &Bound| (Scaled::new(b.value), b.inclusive);
        ScaledRange {
            lo: range.lo.as_ref().map(bound),
            hi: range.hi.as_ref().map(bound),
        }
    }

    /// Whether `v` is at or above the lower bound (as the range requires).
    #[inline]
    fn above_lo(&self, v: Decimal) -> bool {
        self.lo
            .as_ref()
            .is_none_or(|(b, inclusive)| match b.compare(v) {
                Ordering::Greater => true,
                Ordering::Equal => *inclusive,
                Ordering::Less => false,
            })
    }

    #[inline]
    fn below_hi(&self, v: Decimal) -> bool {
        self.hi
            .as_ref()
            .is_none_or(|(b, inclusive)| match b.compare(v) {
                Ordering::Less => true,
                Ordering::Equal => *inclusive,
                Ordering::Greater => false,
            })
    }

    /// `Range::contains`.
    #[inline]
    pub(super) fn contains(&self, v: Decimal) -> bool {
        // Both tested, as `Range::contains` does (no side effects, so only for speed).
        self.above_lo(v) && self.below_hi(v)
    }
}

/// Where binary search starts paying off.
const SEARCH_FROM: usize = 8;

/// Ranges, each with what it stands for (an arm, a tier): finds the first that contains a
/// number, by binary search when there are many and no two overlap, else one after the other.
#[derive(Debug)]
pub(super) struct Ranges {
    /// In the given order, or (when `sorted`) by lower bound.
    ranges: Vec<(ScaledRange, usize)>,
    sorted: bool,
}

impl Ranges {
    pub(super) fn new(ranges: &[(Range, usize)]) -> Self {
        let compiled = |list: &[(Range, usize)]| -> Vec<(ScaledRange, usize)> {
            list.iter()
                .map(|(r, i)| (ScaledRange::new(r), *i))
                .collect()
        };
        if ranges.len() >= SEARCH_FROM {
            if let Some(sorted) = sorted_disjoint(ranges) {
                return Ranges {
                    ranges: compiled(&sorted),
                    sorted: true,
                };
            }
        }
        Ranges {
            ranges: compiled(ranges),
            sorted: false,
        }
    }

    /// What the first range containing `v` stands for.
    #[inline]
    pub(super) fn find(&self, v: Decimal) -> Option<usize> {
        if !self.sorted {
            return self
                .ranges
                .iter()
                .find(|(r, _)| r.contains(v))
                .map(|(_, i)| *i);
        }
        // Lower bounds strictly increase, so "at or above the lower bound" holds for a prefix;
        // disjoint ranges: only the last range of that prefix can contain `v`.
        let above = self.ranges.partition_point(|(r, _)| r.above_lo(v));
        let (range, i) = self.ranges.get(above.checked_sub(1)?)?;
        range.below_hi(v).then_some(*i)
    }
}

/// The ranges sorted by lower bound, if their lower bounds are all different and no two ranges
/// share a number (then at most one contains any number, so the first to contain it is the only
/// one, whatever the order).
fn sorted_disjoint(ranges: &[(Range, usize)]) -> Option<Vec<(Range, usize)>> {
    let mut sorted = ranges.to_vec();
    // An unbounded lower end first.
    sorted.sort_by(|(a, _), (b, _)| match (a.lo, b.lo) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => x.value.cmp(&y.value),
    });
    for pair in sorted.windows(2) {
        let [(a, _), (b, _)] = pair else {
            return None;
        };
        let (Some(a_hi), Some(b_lo)) = (a.hi, b.lo) else {
            return None;
        };
        if let Some(a_lo) = a.lo {
            if a_lo.value >= b_lo.value {
                return None;
            }
        }
        match a_hi.value.cmp(&b_lo.value) {
            Ordering::Less => {}
            Ordering::Equal if !(a_hi.inclusive && b_lo.inclusive) => {}
            _ => return None,
        }
    }
    Some(sorted)
}

/// Where a [`Ref`] is found in a [`Frame`].
#[derive(Clone, Copy, Debug)]
enum Slot {
    Input(usize),
    /// A derived value or a table's output (outputs follow the derived values).
    Let(usize),
}

impl Slot {
    fn new(r: Ref, outputs_at: usize) -> Self {
        match r {
            Ref::Input(i) => Slot::Input(i),
            Ref::Let(l) => Slot::Let(l),
            Ref::Output(o) => Slot::Let(outputs_at.saturating_add(o)),
        }
    }

    /// `Frame::read`, borrowed.
    #[inline]
    fn get<'a>(self, f: &Frame<'a>) -> Option<&'a Value> {
        match self {
            Slot::Input(i) => f.inputs.get(i)?.as_ref(),
            Slot::Let(l) => f.lets.get(l)?.as_ref(),
        }
    }

    /// `Frame::number` of a read.
    #[inline]
    fn number(self, f: &Frame<'_>) -> R<Option<Decimal>> {
        match self.get(f) {
            Some(Value::Number(n)) => Ok(Some(*n)),
            Some(_) => Err(EvalErrorKind::Internal("a number was expected")),
            None => Ok(None),
        }
    }
}

/// Compiles expressions of one policy.
pub(super) struct Compiler {
    outputs_at: usize,
}

/// Whether evaluating `e` always gives a truth value or unknown (never another kind of value).
fn is_boolean(e: &Expr) -> bool {
    match e {
        Expr::Compare(..)
        | Expr::And(..)
        | Expr::Or(..)
        | Expr::Not(..)
        | Expr::Equal { .. }
        | Expr::In { .. }
        | Expr::IsMissing { .. }
        | Expr::Applies(_)
        | Expr::ConsequenceApplies(_) => true,
        Expr::Const(v) => matches!(v, Value::Bool(_)),
        _ => false,
    }
}

/// Whether evaluating `e` always gives a number or unknown, or fails.
fn is_numeric(e: &Expr) -> bool {
    match e {
        Expr::Arith(..)
        | Expr::Neg(_)
        | Expr::Min(_)
        | Expr::Max(_)
        | Expr::Clamp(..)
        | Expr::Score
        | Expr::Points(_) => true,
        Expr::Const(v) => matches!(v, Value::Number(_)),
        _ => false,
    }
}

fn compare_op(op: Compare) -> fn(Ordering) -> bool {
    match op {
        Compare::Lt => Ordering::is_lt,
        Compare::Le => Ordering::is_le,
        Compare::Gt => Ordering::is_gt,
        Compare::Ge => Ordering::is_ge,
    }
}

/// `op` with its sides swapped: `a op b` is `b (flipped op) a`.
fn flipped(op: Compare) -> Compare {
    match op {
        Compare::Lt => Compare::Gt,
        Compare::Le => Compare::Ge,
        Compare::Gt => Compare::Lt,
        Compare::Ge => Compare::Le,
    }
}

impl Compiler {
    pub(super) fn new(policy: &Policy) -> Self {
        Compiler {
            outputs_at: policy.lets.len(),
        }
    }

    fn slot(&self, r: Ref) -> Slot {
        Slot::new(r, self.outputs_at)
    }

    /// `Frame::eval`.
    pub(super) fn value(&self, e: &Expr) -> ValFn {
        if is_numeric(e) && !matches!(e, Expr::Const(_)) {
            let n = self.number(e);
            return Box::new(move |f| Ok(n(f)?.map(Value::Number)));
        }
        if is_boolean(e) && !matches!(e, Expr::Const(_)) {
            let b = self.truth(e);
            return Box::new(move |f| Ok(b(f)?.map(Value::Bool)));
        }
        match e {
            Expr::Const(v) => {
                let v = v.clone();
                Box::new(move |_| Ok(Some(v.clone())))
            }
            Expr::Read(r) => {
                let slot = self.slot(*r);
                Box::new(move |f| Ok(slot.get(f).cloned()))
            }
            Expr::If {
                branches,
                otherwise,
            } => self.branches(branches, otherwise, |e| self.value(e)),
            _ => {
                let e = e.clone();
                Box::new(move |f| f.eval(&e))
            }
        }
    }

    /// `Frame::number`.
    pub(super) fn number(&self, e: &Expr) -> NumFn {
        match e {
            Expr::Const(Value::Number(n)) => {
                let n = *n;
                Box::new(move |_| Ok(Some(n)))
            }
            Expr::Read(r) => {
                let slot = self.slot(*r);
                Box::new(move |f| slot.number(f))
            }
            Expr::Score => Box::new(|f| Ok(f.outcome.map(|o| o.score))),
            Expr::Points(rule) => {
                let rule = *rule;
                Box::new(move |f| Ok(f.outcome.map(|o| o.points(rule))))
            }
            Expr::Neg(x) => {
                let x = self.number(x);
                Box::new(move |f| Ok(x(f)?.map(|n| -n)))
            }
            Expr::Arith(op, a, b) => {
                let op = *op;
                // A constant on either side, read once.
                if let Expr::Const(Value::Number(k)) = **b {
                    let a = self.number(a);
                    return Box::new(move |f| match a(f)? {
                        Some(a) => super::interp::arith(op, a, k).map(Some),
                        None => Ok(None),
                    });
                }
                let (a, b) = (self.number(a), self.number(b));
                Box::new(move |f| {
                    let (Some(a), Some(b)) = (a(f)?, b(f)?) else {
                        return Ok(None);
                    };
                    super::interp::arith(op, a, b).map(Some)
                })
            }
            Expr::Min(args) => self.fold(args, rt::min),
            Expr::Max(args) => self.fold(args, rt::max),
            Expr::Clamp(x, lo, hi) => {
                let (x, lo, hi) = (self.number(x), self.number(lo), self.number(hi));
                Box::new(move |f| {
                    let (Some(x), Some(lo), Some(hi)) = (x(f)?, lo(f)?, hi(f)?) else {
                        return Ok(None);
                    };
                    Ok(Some(rt::clamp(x, lo, hi)))
                })
            }
            Expr::If {
                branches,
                otherwise,
            } => self.branches(branches, otherwise, |e| self.number(e)),
            _ => {
                let e = e.clone();
                Box::new(move |f| f.number(&e))
            }
        }
    }

    fn fold(&self, args: &[Expr], op: fn(Decimal, Decimal) -> Decimal) -> NumFn {
        let args: Vec<NumFn> = args.iter().map(|a| self.number(a)).collect();
        Box::new(move |f| {
            let mut acc: Option<Decimal> = None;
            for arg in &args {
                let Some(n) = arg(f)? else {
                    return Ok(None);
                };
                acc = Some(acc.map_or(n, |a| op(a, n)));
            }
            Ok(acc)
        })
    }

    /// A condition as `if` and a rule's `when` test it: `Some(true)` for yes, `None` for
    /// unknown, `Some(false)` for anything else.
    pub(super) fn condition(&self, e: &Expr) -> BoolFn {
        if is_boolean(e) {
            return self.truth(e);
        }
        let e = e.clone();
        Box::new(move |f| {
            Ok(match f.eval(&e)? {
                Some(Value::Bool(true)) => Some(true),
                None => None,
                Some(_) => Some(false),
            })
        })
    }

    /// `if … then … else …`, each value compiled by `compile` (the value an `if` gives is its
    /// chosen branch's, whatever is done with it).
    fn branches<T: 'static>(
        &self,
        branches: &[(Expr, Expr)],
        otherwise: &Expr,
        compile: impl Fn(&Expr) -> OptFn<T>,
    ) -> OptFn<T> {
        let branches: Vec<_> = branches
            .iter()
            .map(|(c, v)| (self.condition(c), compile(v)))
            .collect();
        let otherwise = compile(otherwise);
        Box::new(move |f| {
            for (condition, value) in &branches {
                match condition(f)? {
                    Some(true) => return value(f),
                    Some(false) => {}
                    None => return Ok(None),
                }
            }
            otherwise(f)
        })
    }

    /// `Frame::truth`.
    pub(super) fn truth(&self, e: &Expr) -> BoolFn {
        match e {
            Expr::Const(v) => {
                let b = match v {
                    Value::Bool(b) => Some(*b),
                    _ => None,
                };
                Box::new(move |_| Ok(b))
            }
            Expr::Read(r) => {
                let slot = self.slot(*r);
                Box::new(move |f| {
                    Ok(match slot.get(f) {
                        Some(Value::Bool(b)) => Some(*b),
                        _ => None,
                    })
                })
            }
            Expr::Applies(rule) => {
                let rule = *rule;
                Box::new(move |f| Ok(f.outcome.map(|o| o.applies(rule))))
            }
            Expr::ConsequenceApplies(c) => {
                let c = *c;
                Box::new(move |f| Ok(Some(f.applied.get(c) == Some(&true))))
            }
            Expr::Not(x) => {
                let x = self.truth(x);
                Box::new(move |f| Ok(x(f)?.map(|b| !b)))
            }
            Expr::And(a, b) => {
                let (a, b) = (self.truth(a), self.truth(b));
                Box::new(move |f| Ok(rt::and(a(f)?, b(f)?)))
            }
            Expr::Or(a, b) => {
                let (a, b) = (self.truth(a), self.truth(b));
                Box::new(move |f| Ok(rt::or(a(f)?, b(f)?)))
            }
            Expr::Compare(op, a, b) => self.compare(*op, a, b),
            Expr::Equal { negated, lhs, rhs } => self.equal(*negated, lhs, rhs),
            Expr::In {
                negated,
                value,
                set,
            } => self.member(*negated, value, set),
            Expr::IsMissing { negated, what } => {
                let (slot, negated) = (self.slot(*what), *negated);
                Box::new(move |f| Ok(Some(slot.get(f).is_none() != negated)))
            }
            Expr::If {
                branches,
                otherwise,
            } => self.branches(branches, otherwise, |e| self.truth(e)),
            _ => {
                let e = e.clone();
                Box::new(move |f| f.truth(&e))
            }
        }
    }

    fn compare(&self, op: Compare, a: &Expr, b: &Expr) -> BoolFn {
        // `x op constant`, or `constant op x` (the constant is evaluated first, but cannot fail).
        let constant = match (a, b) {
            (x, Expr::Const(Value::Number(k))) => Some((x, *k, op)),
            (Expr::Const(Value::Number(k)), x) => Some((x, *k, flipped(op))),
            _ => None,
        };
        if let Some((x, k, op)) = constant {
            let k = Scaled::new(k);
            let test = compare_op(op);
            if let Expr::Read(r) = x {
                let slot = self.slot(*r);
                return Box::new(move |f| Ok(slot.number(f)?.map(|x| test(k.compare(x)))));
            }
            let x = self.number(x);
            return Box::new(move |f| Ok(x(f)?.map(|x| test(k.compare(x)))));
        }
        let test = compare_op(op);
        let (a, b) = (self.number(a), self.number(b));
        Box::new(move |f| {
            let (Some(a), Some(b)) = (a(f)?, b(f)?) else {
                return Ok(None);
            };
            Ok(Some(test(rt::compare(a, b))))
        })
    }

    fn equal(&self, negated: bool, lhs: &Expr, rhs: &Expr) -> BoolFn {
        let constant = match (lhs, rhs) {
            (x, Expr::Const(k)) | (Expr::Const(k), x) => Some((x, k.clone())),
            _ => None,
        };
        match constant {
            Some((Expr::Read(r), k)) => {
                let slot = self.slot(*r);
                Box::new(move |f| Ok(slot.get(f).map(|v| (*v == k) != negated)))
            }
            Some((Expr::Tier, Value::Tier(t))) => Box::new(move |f| {
                Ok(f.outcome
                    .and_then(|o| o.tier)
                    .map(|tier| (u32::try_from(tier).unwrap_or(u32::MAX) == t) != negated))
            }),
            _ => {
                let (lhs, rhs) = (self.value(lhs), self.value(rhs));
                Box::new(move |f| {
                    Ok(match (lhs(f)?, rhs(f)?) {
                        (Some(a), Some(b)) => Some((a == b) != negated),
                        _ => None,
                    })
                })
            }
        }
    }

    fn member(&self, negated: bool, value: &Expr, set: &[Expr]) -> BoolFn {
        let constants: Option<Vec<Value>> = set
            .iter()
            .map(|m| match m {
                Expr::Const(v) => Some(v.clone()),
                _ => None,
            })
            .collect();
        match (value, constants) {
            (Expr::Read(r), Some(set)) => {
                let slot = self.slot(*r);
                Box::new(move |f| Ok(slot.get(f).map(|v| set.iter().any(|m| m == v) != negated)))
            }
            (_, Some(set)) => {
                let value = self.value(value);
                Box::new(move |f| Ok(value(f)?.map(|v| set.contains(&v) != negated)))
            }
            (_, None) => {
                let value = self.value(value);
                let set: Vec<ValFn> = set.iter().map(|m| self.value(m)).collect();
                Box::new(move |f| {
                    let Some(value) = value(f)? else {
                        return Ok(None);
                    };
                    let mut unknown = false;
                    let mut found = false;
                    for member in &set {
                        match member(f)? {
                            Some(m) if m == value => {
                                found = true;
                                break;
                            }
                            Some(_) => {}
                            None => unknown = true,
                        }
                    }
                    Ok(if !found && unknown {
                        None
                    } else {
                        Some(found != negated)
                    })
                })
            }
        }
    }
}

/// A rule's points: fixed (its outcome computed once), or computed for each record.
enum CPoints {
    Fixed(R<RuleOutcome>),
    Computed {
        sign: Sign,
        amount: NumFn,
        per: Option<NumFn>,
        at_most: Option<NumFn>,
        at_least: Option<NumFn>,
    },
}

/// A scorecard's arms, as compiled.
enum Arms {
    /// Every pattern a range: the arm by range.
    Ranges(Ranges),
    /// One after the other, each arm's patterns.
    Patterns(Vec<Vec<CPattern>>),
}

enum CPattern {
    Range(Box<ScaledRange>),
    Value(Value),
}

enum CEffect {
    Points(CPoints),
    Bins {
        subject: Slot,
        arms: Arms,
        points: Vec<CPoints>,
        missing: Option<CPoints>,
        otherwise: Option<CPoints>,
    },
}

/// One rule, compiled.
pub(super) struct CRule {
    condition: Option<BoolFn>,
    effect: CEffect,
    weight: Option<Decimal>,
    scale: Scale,
}

/// The rule's outcome for points `points` (`None`: unknown) from arm `arm`.
fn finish(
    points: Option<Decimal>,
    arm: Option<usize>,
    weight: Option<Decimal>,
    scale: &Scale,
) -> R<RuleOutcome> {
    let Some(points) = points else {
        return Ok(RuleOutcome::Unknown);
    };
    let weighted = match weight {
        Some(w) => points.checked_mul(w).ok_or(EvalErrorKind::Overflow)?,
        None => points,
    };
    Ok(RuleOutcome::Fired {
        points: round(weighted, scale),
        arm,
    })
}

impl Compiler {
    pub(super) fn rule(&self, rule: &Rule, scale: &Scale) -> CRule {
        let weight = rule.group.as_ref().map(|g| g.weight);
        let points = |p: &Points, arm: Option<usize>| self.points(p, arm, weight, scale);
        let effect = match &rule.effect {
            Effect::Points(p) => CEffect::Points(points(p, None)),
            Effect::Bins {
                subject,
                arms,
                missing,
                otherwise,
            } => {
                let all_ranges: Option<Vec<(Range, usize)>> = arms
                    .iter()
                    .enumerate()
                    .flat_map(|(i, arm)| {
                        arm.patterns.iter().map(move |p| match p {
                            Pattern::Range(r) => Some((*r, i)),
                            Pattern::Value(_) => None,
                        })
                    })
                    .collect();
                let compiled = match all_ranges {
                    Some(ranges) => Arms::Ranges(Ranges::new(&ranges)),
                    None => Arms::Patterns(
                        arms.iter()
                            .map(|arm| {
                                arm.patterns
                                    .iter()
                                    .map(|p| match p {
                                        Pattern::Range(r) => {
                                            CPattern::Range(Box::new(ScaledRange::new(r)))
                                        }
                                        Pattern::Value(v) => CPattern::Value(v.clone()),
                                    })
                                    .collect()
                            })
                            .collect(),
                    ),
                };
                CEffect::Bins {
                    subject: self.slot(*subject),
                    arms: compiled,
                    points: arms
                        .iter()
                        .enumerate()
                        .map(|(i, arm)| points(&arm.points, Some(i)))
                        .collect(),
                    missing: missing.as_deref().map(|p| points(p, None)),
                    otherwise: otherwise.as_deref().map(|p| points(p, None)),
                }
            }
        };
        CRule {
            condition: rule.condition.as_ref().map(|c| self.condition(c)),
            effect,
            weight,
            scale: *scale,
        }
    }

    fn points(
        &self,
        p: &Points,
        arm: Option<usize>,
        weight: Option<Decimal>,
        scale: &Scale,
    ) -> CPoints {
        let constant = |e: &Expr| matches!(e, Expr::Const(_));
        let all_constant = constant(&p.amount)
            && p.per.as_ref().is_none_or(constant)
            && p.at_most.as_ref().is_none_or(constant)
            && p.at_least.as_ref().is_none_or(constant);
        if all_constant {
            // Constants read nothing: the tree walk on an empty frame gives the same result
            // (errors included) as on any record's.
            let empty = Frame {
                inputs: &[],
                lets: &[],
                outcome: None,
                applied: &[],
                outputs_at: self.outputs_at,
            };
            let outcome = empty
                .points(p)
                .and_then(|points| finish(points, arm, weight, scale));
            return CPoints::Fixed(outcome);
        }
        CPoints::Computed {
            sign: p.sign,
            amount: self.number(&p.amount),
            per: p.per.as_ref().map(|e| self.number(e)),
            at_most: p.at_most.as_ref().map(|e| self.number(e)),
            at_least: p.at_least.as_ref().map(|e| self.number(e)),
        }
    }
}

impl CPoints {
    fn outcome(&self, f: &Frame<'_>, rule: &CRule, arm: Option<usize>) -> R<RuleOutcome> {
        match self {
            CPoints::Fixed(outcome) => *outcome,
            CPoints::Computed {
                sign,
                amount,
                per,
                at_most,
                at_least,
            } => {
                let points = (|| {
                    let Some(mut amount) = amount(f)? else {
                        return Ok(None);
                    };
                    if let Some(per) = per {
                        let Some(per) = per(f)? else {
                            return Ok(None);
                        };
                        amount = amount.checked_mul(per).ok_or(EvalErrorKind::Overflow)?;
                    }
                    if let Some(cap) = at_most {
                        let Some(cap) = cap(f)? else {
                            return Ok(None);
                        };
                        amount = rt::min(amount, cap);
                    }
                    if let Some(floor) = at_least {
                        let Some(floor) = floor(f)? else {
                            return Ok(None);
                        };
                        amount = rt::max(amount, floor);
                    }
                    Ok(Some(match sign {
                        Sign::Add => amount,
                        Sign::Deduct => -amount,
                    }))
                })()?;
                finish(points, arm, rule.weight, &rule.scale)
            }
        }
    }
}

impl CRule {
    /// `Frame::rule`.
    pub(super) fn outcome(&self, f: &Frame<'_>) -> R<RuleOutcome> {
        if let Some(condition) = &self.condition {
            match condition(f)? {
                Some(true) => {}
                None => return Ok(RuleOutcome::Unknown),
                Some(false) => return Ok(RuleOutcome::NotFired),
            }
        }
        match &self.effect {
            CEffect::Points(p) => p.outcome(f, self, None),
            CEffect::Bins {
                subject,
                arms,
                points,
                missing,
                otherwise,
            } => {
                let Some(value) = subject.get(f) else {
                    return match missing {
                        Some(p) => p.outcome(f, self, None),
                        None => Ok(RuleOutcome::Unknown),
                    };
                };
                let arm = match arms {
                    Arms::Ranges(ranges) => match value {
                        Value::Number(n) => ranges.find(*n),
                        _ => None,
                    },
                    Arms::Patterns(arms) => arms.iter().position(|patterns| {
                        patterns.iter().any(|p| match (p, value) {
                            (CPattern::Range(r), Value::Number(n)) => r.contains(*n),
                            (CPattern::Value(p), v) => p == v,
                            _ => false,
                        })
                    }),
                };
                match arm {
                    Some(i) => match points.get(i) {
                        Some(p) => p.outcome(f, self, Some(i)),
                        None => Ok(RuleOutcome::NotFired),
                    },
                    None => match otherwise {
                        Some(p) => p.outcome(f, self, None),
                        None => Ok(RuleOutcome::NotFired),
                    },
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
