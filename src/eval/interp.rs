//! The interpreter: one validated record → one [`Decision`], in exact decimal arithmetic.
//!
//! An unknown value (`missing means unknown`) is `None`. It spreads through arithmetic and
//! comparisons; `and`, `or` and `not` follow Kleene's three-valued logic (`yes or unknown` is yes).
//! A rule whose condition or points are unknown does not fire and is listed as such.

use super::compiled::{BoolFn, CRule, Compiler, Ranges, ValFn};
use super::decision::Decision;
use super::table::Decided;
use crate::ir::*;
use crate::runtime::arith as rt;
use crate::runtime::decision::{rank_reasons, tally, Computed, Ranking, TableRows, Unit};
use crate::runtime::{EvalError, EvalErrorKind, Needs, Outcome};
use rust_decimal::Decimal;

/// A known value, or `None` for unknown.
pub(super) type V = Option<Value>;

/// Evaluates records against one policy. Holds no per-record state; creating one compiles the
/// policy's expressions, rules and tiers (see [`compiled`](super::compiled)).
pub struct Evaluator<'p> {
    policy: &'p Policy,
    /// Each derived value's expression, by index.
    lets: Vec<ValFn>,
    rules: Vec<CRule>,
    tiers: Ranges,
    /// Each consequence's condition, by index.
    conditions: Vec<BoolFn>,
    /// Each rule's baseline and entry among the reasons, for ranking reasons.
    baselines: Vec<Option<Decimal>>,
    reason_entries: Vec<usize>,
    /// Whether a consequence reads another's `applies` (then they are decided in dependency
    /// order; otherwise simply in source order, with nothing to keep per record).
    chained: bool,
}

impl<'p> Evaluator<'p> {
    pub fn new(policy: &'p Policy) -> Self {
        let compiler = Compiler::new(policy);
        let tiers: Vec<(Range, usize)> = policy
            .tiers
            .iter()
            .enumerate()
            .map(|(i, t)| (t.range, i))
            .collect();
        Evaluator {
            policy,
            lets: policy
                .lets
                .iter()
                .map(|l| compiler.value(&l.value))
                .collect(),
            rules: policy
                .rules
                .iter()
                .map(|r| compiler.rule(r, &policy.scale))
                .collect(),
            tiers: Ranges::new(&tiers),
            conditions: policy
                .consequences
                .iter()
                .map(|c| compiler.truth(&c.condition))
                .collect(),
            baselines: policy.rules.iter().map(|r| r.baseline).collect(),
            reason_entries: policy.reason_entries(),
            chained: policy.chains_consequences(),
        }
    }

    pub fn policy(&self) -> &'p Policy {
        self.policy
    }

    /// Decides one record. `inputs` holds each input's value by index, after the missing-value
    /// rules were applied (`None`: unknown).
    pub fn evaluate(&self, inputs: &[V]) -> Result<Decision, EvalError> {
        let mut decision = Decision::default();
        self.evaluate_into(inputs, &mut decision, Needs::ALL)?;
        Ok(decision)
    }

    /// [`Evaluator::evaluate`] into an existing decision, reusing its buffers: a batch allocates
    /// nothing per record for the decision itself. Reasons are ranked only if `needs` says so.
    pub fn evaluate_into(
        &self,
        inputs: &[V],
        decision: &mut Decision,
        needs: Needs,
    ) -> Result<(), EvalError> {
        let policy = self.policy;
        let Decision {
            fired,
            unknown,
            reasons,
            consequences,
            unknown_consequences,
            computed,
            not_counted,
            lets,
            tables,
            ..
        } = decision;
        unknown_consequences.clear();
        fired.clear();
        not_counted.clear();
        unknown.clear();
        reasons.clear();
        consequences.clear();
        // Derived values, then tables' outputs (at `lets.len() + output`), all unknown until
        // computed in `steps` order.
        lets.clear();
        lets.resize(policy.lets.len() + policy.outputs.len(), None);
        TableRows::reset(tables, policy.tables.len());
        self.values(&policy.steps, inputs, lets, tables, None)?;
        let frame = Frame::new(inputs, lets, policy);
        let mut total = policy.scale.start;
        for (index, rule) in self.rules.iter().enumerate() {
            tally(&mut total, fired, unknown, index, rule.outcome(&frame))?;
        }
        for pick in &policy.picks {
            crate::runtime::decision::pick(
                &mut total,
                fired,
                not_counted,
                &pick.rules,
                pick.highest,
            );
        }
        let unclamped = round(total, &policy.scale);
        let score = rt::min(rt::max(unclamped, policy.scale.min), policy.scale.max);
        let tier = self.tiers.find(score);

        let outcome = Outcome { score, tier, fired };
        self.values(&policy.after_rules, inputs, lets, tables, Some(&outcome))?;
        self.consequences(inputs, lets, &outcome, consequences, unknown_consequences)?;
        computed.clear();
        self.computed(inputs, lets, consequences, computed)?;
        if needs.reasons {
            rank_reasons(
                Ranking {
                    baselines: &self.baselines,
                    entries: &self.reason_entries,
                    higher_is_worse: policy.scale.higher_is_worse,
                },
                fired,
                reasons,
            );
        }
        decision.score = score;
        decision.unclamped = unclamped;
        decision.tier = tier;
        Ok(())
    }

    /// Computes the derived values and decides the tables of `steps`, in order, into `lets` (the
    /// derived values, then the tables' outputs at `policy.lets.len() + output`). `outcome`: for
    /// the steps after the rules, what the rules did.
    fn values(
        &self,
        steps: &[Step],
        inputs: &[V],
        lets: &mut [V],
        tables: &mut [TableRows],
        outcome: Option<&Outcome<'_>>,
    ) -> Result<(), EvalError> {
        let policy = self.policy;
        for step in steps {
            match *step {
                Step::Let(index) => {
                    let Some(compiled) = self.lets.get(index) else {
                        continue;
                    };
                    let value = compiled(&Frame {
                        outcome,
                        ..Frame::new(inputs, lets, policy)
                    })
                    .map_err(|kind| EvalError::in_let(kind, index))?;
                    if let Some(slot) = lets.get_mut(index) {
                        *slot = value;
                    }
                }
                Step::Table(index) => {
                    let (Some(table), Some(rows)) =
                        (policy.tables.get(index), tables.get_mut(index))
                    else {
                        continue;
                    };
                    let frame = Frame {
                        outcome,
                        ..Frame::new(inputs, lets, policy)
                    };
                    let decided = super::table::decide(table, |r| frame.read(r), rows);
                    let base = policy.lets.len();
                    for (k, output) in table.outputs.iter().enumerate() {
                        let value = match &decided {
                            Decided::Values(values) => values.get(k).cloned(),
                            Decided::Total(total) => total.map(Value::Number),
                            Decided::Nothing => None,
                        };
                        if let Some(slot) = lets.get_mut(base + output) {
                            *slot = value;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Decides the consequences into `out`, in source order. A consequence that reads whether
    /// another applies is decided after it (in `consequence_order`); when none does, they are
    /// simply decided in source order, with nothing to keep per record.
    fn consequences(
        &self,
        inputs: &[V],
        lets: &[V],
        outcome: &Outcome<'_>,
        out: &mut Vec<usize>,
        unknown: &mut Vec<usize>,
    ) -> Result<(), EvalError> {
        let policy = self.policy;
        // Whether consequence `index` applies (`None`: a value its condition needs is unknown).
        let decide = |index: usize, applied: &[bool]| -> Result<Option<bool>, EvalError> {
            let Some(condition) = self.conditions.get(index) else {
                return Ok(Some(false));
            };
            let frame = Frame {
                outcome: Some(outcome),
                applied,
                ..Frame::new(inputs, lets, policy)
            };
            condition(&frame).map_err(|kind| EvalError::in_consequence(kind, index))
        };
        if !self.chained {
            for index in 0..policy.consequences.len() {
                match decide(index, &[])? {
                    Some(true) => out.push(index),
                    Some(false) => {}
                    None => unknown.push(index),
                }
            }
            return Ok(());
        }
        let mut applied = vec![false; policy.consequences.len()];
        for &index in &policy.consequence_order {
            let applies = decide(index, &applied)?;
            if applies.is_none() {
                unknown.push(index);
            }
            if let Some(slot) = applied.get_mut(index) {
                *slot = applies == Some(true);
            }
        }
        // Listed in source order, as they are when not chained.
        unknown.sort_unstable();
        out.extend(
            applied
                .iter()
                .enumerate()
                .filter(|(_, applies)| **applies)
                .map(|(index, _)| index),
        );
        Ok(())
    }
}

impl Evaluator<'_> {
    /// The durations and notices computed for each record, of the consequences that apply (in
    /// their order).
    fn computed(
        &self,
        inputs: &[V],
        lets: &[V],
        applying: &[usize],
        out: &mut Vec<Computed>,
    ) -> Result<(), EvalError> {
        for &index in applying {
            let Some(c) = self.policy.consequences.get(index) else {
                continue;
            };
            let lasts = match &c.lasts {
                Lasts::Computed { length, .. } => Some(length),
                _ => None,
            };
            if lasts.is_none() && c.computed_notice.is_none() {
                continue;
            }
            let frame = Frame::new(inputs, lets, self.policy);
            let amount = |length: &Length| -> Result<(Decimal, Unit), EvalError> {
                let value = frame
                    .eval(&length.amount)
                    .map_err(|kind| EvalError::in_consequence(kind, index))?;
                let value = match value {
                    Some(Value::Number(n)) => Some(n),
                    _ => None,
                };
                let amount = crate::runtime::decision::length(value)
                    .map_err(|kind| EvalError::in_consequence(kind, index))?;
                Ok((amount, unit(length.unit)))
            };
            out.push(Computed {
                consequence: index,
                lasts: lasts.map(amount).transpose()?,
                notice: c.computed_notice.as_ref().map(amount).transpose()?,
            });
        }
        Ok(())
    }
}

/// The runtime's unit for the IR's.
pub fn unit(unit: TimeUnit) -> Unit {
    match unit {
        TimeUnit::Days => Unit::Days,
        TimeUnit::Weeks => Unit::Weeks,
        TimeUnit::Months => Unit::Months,
        TimeUnit::Years => Unit::Years,
    }
}

pub(super) fn round(value: Decimal, scale: &Scale) -> Decimal {
    rt::round(value, scale.decimals, scale.rounding.strategy())
}

/// The values visible to an expression.
pub(super) struct Frame<'a> {
    pub(super) inputs: &'a [V],
    pub(super) lets: &'a [V],
    pub(super) outcome: Option<&'a Outcome<'a>>,
    /// By consequence: whether it applies, for those decided so far.
    pub(super) applied: &'a [bool],
    /// Where tables' outputs start in `lets`.
    pub(super) outputs_at: usize,
}

impl<'a> Frame<'a> {
    fn new(inputs: &'a [V], lets: &'a [V], policy: &Policy) -> Self {
        Frame {
            inputs,
            lets,
            outcome: None,
            applied: &[],
            outputs_at: policy.lets.len(),
        }
    }
}

pub(super) type R<T> = Result<T, EvalErrorKind>;

impl Frame<'_> {
    /// Signed, capped points, or `None` when they depend on an unknown value.
    pub(super) fn points(&self, p: &Points) -> R<Option<Decimal>> {
        let Some(mut amount) = self.number(&p.amount)? else {
            return Ok(None);
        };
        if let Some(per) = &p.per {
            let Some(per) = self.number(per)? else {
                return Ok(None);
            };
            amount = amount.checked_mul(per).ok_or(EvalErrorKind::Overflow)?;
        }
        if let Some(cap) = &p.at_most {
            let Some(cap) = self.number(cap)? else {
                return Ok(None);
            };
            amount = rt::min(amount, cap);
        }
        if let Some(floor) = &p.at_least {
            let Some(floor) = self.number(floor)? else {
                return Ok(None);
            };
            amount = rt::max(amount, floor);
        }
        Ok(Some(match p.sign {
            Sign::Add => amount,
            Sign::Deduct => -amount,
        }))
    }

    pub(super) fn number(&self, e: &Expr) -> R<Option<Decimal>> {
        Ok(match self.eval(e)? {
            Some(Value::Number(n)) => Some(n),
            Some(_) => return Err(EvalErrorKind::Internal("a number was expected")),
            None => None,
        })
    }

    fn read(&self, r: Ref) -> V {
        match r {
            Ref::Input(i) => self.inputs.get(i).cloned().flatten(),
            Ref::Let(l) => self.lets.get(l).cloned().flatten(),
            // Outputs follow the derived values in the same vector.
            Ref::Output(o) => self.lets.get(self.outputs_at + o).cloned().flatten(),
        }
    }

    pub(super) fn eval(&self, e: &Expr) -> R<V> {
        Ok(match e {
            Expr::Const(v) => Some(v.clone()),
            Expr::Read(r) => self.read(*r),
            Expr::Score => self.outcome.map(|o| Value::Number(o.score)),
            Expr::Tier => self
                .outcome
                .and_then(|o| o.tier)
                .map(|t| Value::Tier(u32::try_from(t).unwrap_or(u32::MAX))),
            Expr::Applies(rule) => self.outcome.map(|o| Value::Bool(o.applies(*rule))),
            Expr::Points(rule) => self.outcome.map(|o| Value::Number(o.points(*rule))),
            Expr::ConsequenceApplies(c) => Some(Value::Bool(self.applied.get(*c) == Some(&true))),
            Expr::Neg(x) => self.number(x)?.map(|n| Value::Number(-n)),
            Expr::Not(x) => match self.eval(x)? {
                Some(Value::Bool(b)) => Some(Value::Bool(!b)),
                _ => None,
            },
            Expr::Arith(op, a, b) => {
                let (Some(a), Some(b)) = (self.number(a)?, self.number(b)?) else {
                    return Ok(None);
                };
                Some(Value::Number(arith(*op, a, b)?))
            }
            Expr::Compare(op, a, b) => {
                let (Some(a), Some(b)) = (self.number(a)?, self.number(b)?) else {
                    return Ok(None);
                };
                let order = compare(a, b);
                Some(Value::Bool(match op {
                    Compare::Lt => order.is_lt(),
                    Compare::Le => order.is_le(),
                    Compare::Gt => order.is_gt(),
                    Compare::Ge => order.is_ge(),
                }))
            }
            Expr::Equal { negated, lhs, rhs } => match (self.eval(lhs)?, self.eval(rhs)?) {
                (Some(a), Some(b)) => Some(Value::Bool((a == b) != *negated)),
                _ => None,
            },
            Expr::And(a, b) => rt::and(self.truth(a)?, self.truth(b)?).map(Value::Bool),
            Expr::Or(a, b) => rt::or(self.truth(a)?, self.truth(b)?).map(Value::Bool),
            Expr::In {
                negated,
                value,
                set,
            } => {
                let Some(value) = self.eval(value)? else {
                    return Ok(None);
                };
                let mut unknown = false;
                let mut found = false;
                for member in set {
                    match self.eval(member)? {
                        Some(m) if m == value => {
                            found = true;
                            break;
                        }
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                if !found && unknown {
                    None
                } else {
                    Some(Value::Bool(found != *negated))
                }
            }
            Expr::IsMissing { negated, what } => {
                Some(Value::Bool(self.read(*what).is_none() != *negated))
            }
            Expr::Min(args) => self.fold_numbers(args, rt::min)?,
            Expr::Max(args) => self.fold_numbers(args, rt::max)?,
            Expr::Clamp(x, lo, hi) => {
                let (Some(x), Some(lo), Some(hi)) =
                    (self.number(x)?, self.number(lo)?, self.number(hi)?)
                else {
                    return Ok(None);
                };
                Some(Value::Number(rt::clamp(x, lo, hi)))
            }
            Expr::If {
                branches,
                otherwise,
            } => {
                for (condition, value) in branches {
                    match self.eval(condition)? {
                        Some(Value::Bool(true)) => return self.eval(value),
                        Some(_) => {}
                        None => return Ok(None),
                    }
                }
                self.eval(otherwise)?
            }
        })
    }

    pub(super) fn truth(&self, e: &Expr) -> R<Option<bool>> {
        Ok(match self.eval(e)? {
            Some(Value::Bool(b)) => Some(b),
            _ => None,
        })
    }

    fn fold_numbers(&self, args: &[Expr], f: fn(Decimal, Decimal) -> Decimal) -> R<V> {
        let mut acc: Option<Decimal> = None;
        for arg in args {
            let Some(n) = self.number(arg)? else {
                return Ok(None);
            };
            acc = Some(acc.map_or(n, |a| f(a, n)));
        }
        Ok(acc.map(Value::Number))
    }
}

/// Exact arithmetic; `/` is rounded to [`DIVISION_DECIMALS`] places, ties away from zero.
pub fn arith(op: Arith, a: Decimal, b: Decimal) -> Result<Decimal, EvalErrorKind> {
    match op {
        Arith::Add => rt::add(a, b),
        Arith::Sub => rt::sub(a, b),
        Arith::Mul => rt::mul(a, b),
        Arith::Div => rt::div(a, b),
        Arith::Pow => rt::pow(a, b),
    }
}

pub(super) fn matches(pattern: &Pattern, value: &Value) -> bool {
    match (pattern, value) {
        (Pattern::Range(r), Value::Number(n)) => r.contains(*n),
        (Pattern::Value(p), v) => p == v,
        _ => false,
    }
}
