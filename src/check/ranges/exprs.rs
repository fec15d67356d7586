//! The transfer functions: what every kind of expression does to abstract values.
//!
//! Arithmetic on intervals (with `/` rounded as the evaluator rounds it), comparisons and `=`,
//! Kleene's `and`/`or`/`not`, `in`, `is missing`, `min`/`max`/`clamp`, `if` (each branch under
//! what its condition says), and in focus mode the direction of each result. A division whose
//! divisor can be 0 is reported here as it is met (W1004).

use super::narrow::{Env, Key};
use super::values::{equality, exists_below, kleene, set_dir, Abs, Dir, Val};
use super::{inclusive, Analyzer};
use crate::check::intervals::{End, Interval};
use crate::check::model::{Resolved, ValueKind};
use crate::runtime::arith::{pow, DIVISION_DECIMALS, MAX_EXPONENT};
use crate::span::Span;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use rust_decimal::Decimal;

impl Analyzer<'_, '_> {
    /// The abstract value of `expr` with nothing narrowed.
    pub fn eval_expr(&mut self, expr: &Expr) -> Abs {
        self.eval(expr, &Env::default())
    }

    /// Member `member` of indicator `indicator`'s list, as the one-member set.
    fn member(&self, indicator: usize, member: usize) -> Abs {
        let size = match self.model.indicators.get(indicator).map(|i| &i.kind) {
            Some(ValueKind::Enum(m)) => m.len(),
            _ => 0,
        };
        let mut set = vec![false; size];
        if let Some(s) = set.get_mut(member) {
            *s = true;
        }
        Abs::new(Val::Set(set))
    }

    /// The abstract value of `expr` under what `env` knows.
    pub(super) fn eval(&mut self, expr: &Expr, env: &Env) -> Abs {
        match &expr.node {
            ExprKind::Number(n) => Abs::point(*n),
            // A quoted member (`"SELF-EMPLOYED"`) is resolved like a bare one.
            ExprKind::Text(t) => match self.model.resolution(expr.span) {
                Some(Resolved::Member { indicator, member }) => self.member(indicator, member),
                // A member of another list (a table output's): as for a bare one, not analysed.
                Some(_) => Abs::any(),
                None => Abs::new(Val::Text(Some(t.clone()))),
            },
            ExprKind::Bool(b) => Abs::truth(*b, !*b),
            ExprKind::Name(_) => match self.model.resolution(expr.span) {
                Some(Resolved::Indicator(i)) => self.lookup(env, Key::Ind(i)),
                Some(Resolved::Let(l)) => self.lookup(env, Key::Let(l)),
                Some(Resolved::Argument { index, .. }) => self.lookup(env, Key::Arg(index)),
                Some(Resolved::Output(o)) => self.lookup(env, Key::Out(o)),
                Some(Resolved::OutcomeMember { output, member }) => {
                    let size = self
                        .model
                        .members(crate::check::model::Type::Outcome(output))
                        .map_or(0, <[String]>::len);
                    let mut set = vec![false; size];
                    if let Some(s) = set.get_mut(member) {
                        *s = true;
                    }
                    Abs::new(Val::Set(set))
                }
                Some(Resolved::Param(p)) => Abs::point(self.param(p)),
                Some(Resolved::Member { indicator, member }) => self.member(indicator, member),
                Some(Resolved::Tier(t)) => {
                    let mut set = vec![false; self.model.tiers.len()];
                    if let Some(s) = set.get_mut(t) {
                        *s = true;
                    }
                    Abs::new(Val::Set(set))
                }
                _ => Abs::any(),
            },
            ExprKind::Score => match self.score {
                Some(iv) => Abs::new(Val::Num {
                    iv,
                    whole: self.model.header.decimals == 0,
                }),
                None => Abs::new(Val::Num {
                    iv: Interval::closed(self.model.header.min, self.model.header.max),
                    whole: false,
                }),
            },
            ExprKind::PointsOf(name) => {
                let rules: Vec<usize> = match self.model.resolution(name.span) {
                    Some(Resolved::Rule(r)) => vec![r],
                    Some(Resolved::Group(g)) => (0..self.model.rules.len())
                        .filter(|r| self.model.rules.get(*r).is_some_and(|x| x.group == Some(g)))
                        .collect(),
                    _ => return Abs::any(),
                };
                let mut iv = Interval::point(Decimal::ZERO);
                for r in rules {
                    let (lo, hi) = self
                        .rule_ranges
                        .get(r)
                        .map_or((None, None), |x| (x.least, x.most));
                    iv = iv.add(&Interval {
                        lo: lo.map(super::inclusive),
                        hi: hi.map(super::inclusive),
                    });
                }
                Abs::new(Val::Num {
                    iv,
                    whole: self.model.header.decimals == 0,
                })
            }
            ExprKind::RulesFired(group) => {
                let count = match group {
                    None => self.model.rules.len(),
                    Some(g) => match self.model.resolution(g.span) {
                        Some(Resolved::Group(g)) => self
                            .model
                            .rules
                            .iter()
                            .filter(|x| x.group == Some(g))
                            .count(),
                        _ => self.model.rules.len(),
                    },
                };
                Abs::new(Val::Num {
                    iv: Interval::closed(Decimal::ZERO, Decimal::from(count)),
                    whole: true,
                })
            }
            ExprKind::Tier => {
                if self.tiers.len() == self.model.tiers.len() {
                    Abs::new(Val::Set(self.tiers.clone()))
                } else {
                    Abs::new(Val::Set(vec![true; self.model.tiers.len()]))
                }
            }
            ExprKind::Applies(rule) => match self.model.resolution(rule.span) {
                Some(Resolved::Rule(r)) => match self.fires.get(r) {
                    Some((t, f)) => Abs::truth(*t, *f),
                    None => Abs::truth(true, true),
                },
                _ => Abs::truth(true, true),
            },
            ExprKind::Unary(UnaryOp::Neg, inner) => {
                let a = self.eval(inner, env);
                let val = match a.val {
                    Val::Num { iv, whole } => Val::Num {
                        iv: iv.neg(),
                        whole,
                    },
                    other => other,
                };
                Abs {
                    val,
                    dir: a.dir.flip(),
                    ..a
                }
            }
            ExprKind::Unary(UnaryOp::Not, inner) => {
                let a = self.eval(inner, env);
                let (t, f) = a.tf();
                Abs {
                    val: Val::Bool { t: f, f: t },
                    dir: a.dir.flip(),
                    ..a
                }
            }
            ExprKind::Binary(op, lhs, rhs) => self.binary(*op, lhs, rhs, expr.span, env),
            ExprKind::In {
                value,
                set,
                negated,
            } => {
                let v = self.eval(value, env);
                let (mut can_true, mut can_false) = (false, true);
                let mut unknown = v.unknown;
                let mut varies = v.unk_varies;
                let mut dir = v.dir;
                let mut member_unknown = false;
                for member in set {
                    let m = self.eval(member, env);
                    let (may, must) = equality(&v.val, &m.val);
                    can_true |= may;
                    if must && !m.unknown {
                        can_false = false;
                    }
                    member_unknown |= m.unknown;
                    varies |= m.unk_varies;
                    dir = dir.and(m.dir);
                }
                if member_unknown {
                    unknown = true;
                    varies |= v.dir != Dir::Const;
                }
                let dir = self.membership_dir(value, set, *negated, dir);
                let (t, f) = if *negated {
                    (can_false, can_true)
                } else {
                    (can_true, can_false)
                };
                Abs {
                    val: Val::Bool { t, f },
                    unknown,
                    dir,
                    unk_varies: varies,
                    lost: false,
                }
            }
            ExprKind::IsMissing { value, negated } => {
                let v = self.eval(value, env);
                let (t, f) = (v.unknown, true);
                let (t, f) = if *negated { (f, t) } else { (t, f) };
                let mut abs = Abs::truth(t, f);
                abs.dir = if v.unk_varies { Dir::Any } else { Dir::Const };
                abs
            }
            ExprKind::Call { func, args }
                if matches!(
                    self.model.resolution(func.span),
                    Some(Resolved::Function(_))
                ) =>
            {
                match self.model.resolution(func.span) {
                    Some(Resolved::Function(f)) => self.call(f, expr.span, args, env),
                    _ => Abs::any(),
                }
            }
            ExprKind::Call { func, args } => {
                let values: Vec<Abs> = args.iter().map(|a| self.eval(a, env)).collect();
                let unknown = values.iter().any(|v| v.unknown);
                let varies = values.iter().any(|v| v.unk_varies);
                let whole = values.iter().all(Abs::whole);
                let dir = values.iter().fold(Dir::Const, |d, v| d.and(v.dir));
                let iv = match func.node.as_str() {
                    "min" => values
                        .iter()
                        .map(Abs::iv)
                        .reduce(|a, b| a.min_with(&b))
                        .unwrap_or_else(Interval::everything),
                    "max" => values
                        .iter()
                        .map(Abs::iv)
                        .reduce(|a, b| a.max_with(&b))
                        .unwrap_or_else(Interval::everything),
                    _ => match values.as_slice() {
                        [x, lo, hi] => x.iv().min_with(&hi.iv()).max_with(&lo.iv()),
                        _ => Interval::everything(),
                    },
                };
                Abs {
                    val: Val::Num { iv, whole },
                    unknown,
                    dir,
                    unk_varies: varies,
                    lost: values.iter().any(|v| v.lost),
                }
            }
            ExprKind::If {
                branches,
                otherwise,
            } => self.if_expr(branches, otherwise, env),
        }
    }

    /// The direction of `value in set` when `value` is the focused yes/no or enum indicator and
    /// the set is constant: up when the set holds the top values, down when it holds the bottom
    /// ones.
    fn membership_dir(&self, value: &Expr, set: &[Expr], negated: bool, dir: Dir) -> Dir {
        if dir == Dir::Const {
            return Dir::Const;
        }
        let Some(focus) = self.focus else {
            return dir;
        };
        if self.key(value) != Some(Key::Ind(focus)) {
            return Dir::Any;
        }
        let size = match self.model.indicators.get(focus).map(|i| &i.kind) {
            Some(ValueKind::Enum(m)) => m.len(),
            Some(ValueKind::Bool) => 2,
            _ => return Dir::Any,
        };
        let mut inside = vec![false; size];
        for member in set {
            match &member.node {
                ExprKind::Bool(b) => {
                    if let Some(s) = inside.get_mut(usize::from(*b)) {
                        *s = true;
                    }
                }
                ExprKind::Name(_) | ExprKind::Text(_) => match self.model.resolution(member.span) {
                    Some(Resolved::Member { member, .. }) => {
                        if let Some(s) = inside.get_mut(member) {
                            *s = true;
                        }
                    }
                    _ => return Dir::Any,
                },
                _ => return Dir::Any,
            }
        }
        if negated {
            inside.iter_mut().for_each(|b| *b = !*b);
        }
        set_dir(&inside)
    }

    fn binary(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr, span: Span, env: &Env) -> Abs {
        let a = self.eval(lhs, env);
        let b = self.eval(rhs, env);
        let unknown = a.unknown || b.unknown;
        let varies = a.unk_varies || b.unk_varies;
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let (t, f, u) = kleene(&a, &b, op == BinaryOp::And);
                let varies = varies
                    || (a.dir != Dir::Const && b.unknown)
                    || (b.dir != Dir::Const && a.unknown);
                Abs {
                    val: Val::Bool { t, f },
                    unknown: u,
                    dir: a.dir.and(b.dir),
                    unk_varies: varies,
                    lost: false,
                }
            }
            BinaryOp::Pow => self.power(&a, &b, lhs, rhs, span),
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let (ai, bi) = (a.iv(), b.iv());
                let whole = a.whole() && b.whole() && op != BinaryOp::Div;
                let mut lost = a.lost || b.lost;
                let (iv, dir) = match op {
                    BinaryOp::Add => (ai.add(&bi), a.dir.and(b.dir)),
                    BinaryOp::Sub => (ai.sub(&bi), a.dir.and(b.dir.flip())),
                    BinaryOp::Mul => (
                        ai.mul(&bi),
                        a.dir.scale(bi.sign()).and(b.dir.scale(ai.sign())),
                    ),
                    _ => {
                        if bi.contains(Decimal::ZERO) && !matches!(a.val, Val::Any) {
                            self.division_by_zero(rhs, span, &bi, false);
                            lost = true;
                        }
                        let strict = |iv: &Interval| {
                            if iv.contains(Decimal::ZERO) {
                                None
                            } else {
                                iv.sign()
                            }
                        };
                        (
                            ai.div(&bi, DIVISION_DECIMALS),
                            a.dir.scale(strict(&bi)).and(b.dir.flip().scale(ai.sign())),
                        )
                    }
                };
                if !lost {
                    lost = self.overflow_check(op, &a, &b, &iv, (lhs, rhs, span));
                }
                Abs {
                    val: Val::Num { iv, whole },
                    unknown,
                    dir,
                    unk_varies: varies,
                    lost,
                }
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                // Written as `small < big` (or `<=`).
                let (small, big, strict) = match op {
                    BinaryOp::Lt => (&a, &b, true),
                    BinaryOp::Le => (&a, &b, false),
                    BinaryOp::Gt => (&b, &a, true),
                    _ => (&b, &a, false),
                };
                let (si, bi) = (small.iv(), big.iv());
                let t = exists_below(&si, &bi, !strict);
                let f = exists_below(&bi, &si, strict);
                let dir = if varies {
                    Dir::Any
                } else {
                    small.dir.flip().and(big.dir)
                };
                Abs {
                    val: Val::Bool { t, f },
                    unknown,
                    dir,
                    unk_varies: varies,
                    lost: false,
                }
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                let (may, must) = equality(&a.val, &b.val);
                let (t, f) = if op == BinaryOp::Eq {
                    (may, !must)
                } else {
                    (!must, may)
                };
                let dir = if a.dir == Dir::Const && b.dir == Dir::Const {
                    Dir::Const
                } else {
                    let (value, other) = if a.dir == Dir::Const {
                        (rhs, lhs)
                    } else {
                        (lhs, rhs)
                    };
                    self.membership_dir(
                        value,
                        std::slice::from_ref(other),
                        op == BinaryOp::Ne,
                        Dir::Any,
                    )
                };
                Abs {
                    val: Val::Bool { t, f },
                    unknown,
                    dir,
                    unk_varies: varies,
                    lost: false,
                }
            }
        }
    }
    /// `x ^ n`. The exponent must be a whole number from -1000 to 1000 (E0205): the evaluator
    /// takes no other. With a fixed exponent the result's range follows from the base's (its
    /// ends raised, as the evaluator raises them, rounding included, so the bounds are those of
    /// the computed values); with a varying one only for a base and exponent both at least 0.
    fn power(&mut self, a: &Abs, b: &Abs, lhs: &Expr, rhs: &Expr, span: Span) -> Abs {
        let (ai, bi) = (a.iv(), b.iv());
        let limit = Decimal::from(MAX_EXPONENT);
        let in_range = b.whole() && bi.all_at_least(-limit) && bi.all_at_most(limit);
        if !in_range && !matches!(b.val, Val::Any) {
            self.not_whole_exponent(rhs, span, &bi, b.whole());
        }
        // A negative exponent divides by the base's power.
        let mut lost = a.lost || b.lost;
        if !bi.all_at_least(Decimal::ZERO)
            && ai.contains(Decimal::ZERO)
            && !matches!(a.val, Val::Any)
        {
            self.division_by_zero(lhs, span, &ai, true);
            lost = true;
        }
        let fixed = bi.as_point();
        let iv = match fixed {
            Some(k) => power_of(&ai, k),
            None => power_between(&ai, &bi),
        };
        let dir = match fixed {
            Some(k) if k.is_zero() => Dir::Const,
            Some(k) if ai.all_at_least(Decimal::ZERO) => {
                if k > Decimal::ZERO {
                    a.dir
                } else {
                    a.dir.flip()
                }
            }
            _ if a.dir == Dir::Const && b.dir == Dir::Const => Dir::Const,
            _ => Dir::Any,
        };
        if !lost && in_range {
            lost = self.overflow_check(BinaryOp::Pow, a, b, &iv, (lhs, rhs, span));
        }
        Abs {
            val: Val::Num {
                iv,
                whole: a.whole() && fixed.is_some_and(|k| k >= Decimal::ZERO),
            },
            unknown: a.unknown || b.unknown,
            dir,
            unk_varies: a.unk_varies || b.unk_varies,
            lost,
        }
    }

    fn if_expr(&mut self, branches: &[(Expr, Expr)], otherwise: &Expr, env: &Env) -> Abs {
        let mut env_i = env.clone();
        let mut result: Option<Abs> = None;
        let mut unknown = false;
        let mut cond_dir = Dir::Const;
        for (condition, value) in branches {
            if env_i.dead {
                break;
            }
            let c = self.eval(condition, &env_i);
            let (t, f) = c.tf();
            cond_dir = cond_dir.and(c.dir);
            unknown |= c.unknown;
            if t {
                let inside = self.refine(condition, true, &env_i);
                if !inside.dead {
                    let v = self.eval(value, &inside);
                    result = Some(match result {
                        Some(r) => r.join(&v),
                        None => v,
                    });
                }
            }
            if f {
                env_i = self.refine(condition, false, &env_i);
            } else {
                env_i.dead = true;
            }
        }
        if !env_i.dead || result.is_none() {
            let v = self.eval(otherwise, &env_i);
            result = Some(match result {
                Some(r) => r.join(&v),
                None => v,
            });
        }
        let mut r = result.unwrap_or_else(Abs::any);
        if unknown {
            r.unknown = true;
        }
        if cond_dir != Dir::Const {
            // Which branch is taken moves with the focus: only a constant result is safe.
            r.dir = if r.dir == Dir::Const
                && matches!(r.val, Val::Num { iv, .. } if iv.as_point().is_some())
            {
                Dir::Const
            } else {
                Dir::Any
            };
            r.unk_varies |= unknown;
        }
        r
    }
}

/// The values of `x ^ k` for `x` in `base` and a fixed whole `k`.
fn power_of(base: &Interval, k: Decimal) -> Interval {
    if k.is_zero() {
        return Interval::point(Decimal::ONE);
    }
    if k < Decimal::ZERO {
        // 1 / x ^ |k|, rounded as the evaluator's division is.
        return Interval::point(Decimal::ONE).div(&power_of(base, -k), DIVISION_DECIMALS);
    }
    let raise = |e: Option<End>| -> Option<End> { pow(e?.value, k).ok().map(inclusive) };
    let odd = !(k / Decimal::TWO).fract().is_zero();
    let magnitude = |e: Option<End>| {
        e.map(|e| End {
            value: e.value.abs(),
            ..e
        })
    };
    let (lo, hi) = (base.lo, base.hi);
    if odd || base.all_at_least(Decimal::ZERO) {
        // Non-decreasing in x; an unbounded end stays unbounded.
        Interval {
            lo: raise(lo),
            hi: raise(hi),
        }
    } else if base.all_at_most(Decimal::ZERO) {
        Interval {
            lo: raise(magnitude(hi)),
            hi: raise(magnitude(lo)),
        }
    } else {
        // Around 0: from 0 up to the larger end's power.
        let top = match (magnitude(lo), magnitude(hi)) {
            (Some(l), Some(h)) => raise(Some(if l.value > h.value { l } else { h })),
            _ => None,
        };
        Interval {
            lo: Some(inclusive(Decimal::ZERO)),
            hi: top,
        }
    }
}

/// The values of `x ^ n` for `x` and `n` varying: only bounded when both are at least 0, where
/// the extremes are at the corners (for `x` at least 1 the power grows with `n`, below 1 it falls).
fn power_between(base: &Interval, exponent: &Interval) -> Interval {
    let (Some(a), Some(b), Some(p), Some(q)) = (base.lo, base.hi, exponent.lo, exponent.hi) else {
        return Interval::everything();
    };
    if a.value > Decimal::ZERO && p.value < Decimal::ZERO {
        // A base above 0 to a negative power is 1 divided by the base to the opposite power (as
        // the evaluator computes it): the exponents below 0 and those from 0 up, joined.
        let negative = Interval::closed(p.value, q.value.min(Decimal::ZERO));
        let divided = Interval::point(Decimal::ONE)
            .div(&power_between(base, &negative.neg()), DIVISION_DECIMALS);
        return if q.value > Decimal::ZERO {
            divided.hull(&power_between(
                base,
                &Interval::closed(Decimal::ZERO, q.value),
            ))
        } else {
            divided
        };
    }
    if a.value < Decimal::ZERO || p.value < Decimal::ZERO {
        return Interval::everything();
    }
    let corner = |x: Decimal, n: Decimal| pow(x, n).ok();
    let lo = if a.value >= Decimal::ONE {
        corner(a.value, p.value)
    } else {
        corner(a.value, q.value)
    };
    let hi = if b.value >= Decimal::ONE {
        corner(b.value, q.value)
    } else {
        corner(b.value, p.value)
    };
    Interval {
        lo: lo.map(inclusive),
        hi: hi.map(inclusive),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::check::intervals::Interval;
    use crate::diagnostics::Code;

    const DECLS: &str = "
indicator a: integer 0 to 10
indicator b: integer -5 to 5
indicator m: decimal 0 to 100, missing means unknown
indicator flag: boolean
indicator job: one of [employed, student, unemployed], missing means unknown
param p = 3
";

    /// The interval of `let v = <expr>`.
    fn iv(expr: &str) -> Interval {
        let_iv(&format!("{DECLS}let v = {expr}\n"), "v")
    }

    /// Whether `let v = <expr>` can be yes, no, unknown.
    fn truth(expr: &str) -> (bool, bool, bool) {
        let v = let_value(&format!("{DECLS}let v = {expr}\n"), "v");
        let (t, f) = v.tf();
        (t, f, v.unknown)
    }

    #[test]
    fn arithmetic() {
        assert_eq!(iv("a + b"), closed("-5", "15"));
        assert_eq!(iv("a - b"), closed("-5", "15"));
        assert_eq!(iv("b - a"), closed("-15", "5"));
        assert_eq!(iv("a * b"), closed("-50", "50"));
        assert_eq!(iv("a * p - 1"), closed("-1", "29"));
        assert_eq!(iv("-a"), closed("-10", "0"));
        assert_eq!(iv("a / 4"), closed("0", "2.5"));
        assert_eq!(iv("a / (b + 10)"), closed("0", "2"));
        // Whole numbers stay whole, except through `/`.
        let v = let_value(&format!("{DECLS}let v = a * b\n"), "v");
        assert!(v.whole());
        let v = let_value(&format!("{DECLS}let v = a / 1\n"), "v");
        assert!(!v.whole());
    }

    #[test]
    fn powers() {
        assert_eq!(iv("a ^ 2"), closed("0", "100"));
        // An even power of a range around 0 starts at 0; an odd one keeps the signs.
        assert_eq!(iv("b ^ 2"), closed("0", "25"));
        assert_eq!(iv("b ^ 3"), closed("-125", "125"));
        assert_eq!(iv("(b - 10) ^ 2"), closed("25", "225"));
        assert_eq!(iv("-b ^ 2"), closed("-25", "0"));
        assert_eq!(iv("a ^ 0"), closed("1", "1"));
        // A negative exponent divides: 1 / (a + 1) ^ 2.
        assert_eq!(iv("(a + 1) ^ -2"), closed("0.0082644628", "1"));
        // Dividing by a power that can be 0 says nothing (and warns, W1004).
        assert_eq!(iv("a ^ -1"), Interval::everything());
        // A varying exponent: corners, for a base and exponent at least 0.
        assert_eq!(iv("1.5 ^ a"), closed("1", "57.6650390625"));
        assert_eq!(iv("0.5 ^ a"), closed("0.0009765625", "1"));
        assert_eq!(iv("b ^ a"), Interval::everything());
        // Whole bases to fixed, non-negative exponents stay whole.
        assert!(let_value(&format!("{DECLS}let v = a ^ 2\n"), "v").whole());
        assert!(!let_value(&format!("{DECLS}let v = 2 ^ -1\n"), "v").whole());
        assert!(!let_value(&format!("{DECLS}let v = 2 ^ a\n"), "v").whole());
    }

    #[test]
    fn exponents_must_be_whole_and_at_most_1000() {
        let codes = |expr: &str| {
            let text =
                format!("{HEADER}{DECLS}let v = {expr}\nrule r {{\n add clamp(v, 0, 1)\n}}\n");
            let ast = crate::syntax::parse(crate::span::FileId(0), &text).unwrap();
            let report = crate::check::check(&ast, &Default::default());
            report
                .problems
                .iter()
                .filter(|p| p.code == Code::NotWholeExponent)
                .count()
        };
        assert_eq!(codes("2 ^ a"), 0);
        assert_eq!(codes("2 ^ (a * 100)"), 0);
        assert_eq!(codes("2 ^ (a / 2)"), 1);
        assert_eq!(codes("2 ^ m"), 1);
        assert_eq!(codes("2 ^ (a * 101)"), 1);
        assert_eq!(codes("2 ^ 0.5"), 1);
    }

    #[test]
    fn division_rounds_as_the_evaluator_does() {
        // 1 / 3 is rounded to DIVISION_DECIMALS (10) places.
        assert_eq!(iv("1 / 3"), closed("0.3333333333", "0.3333333334"));
    }

    #[test]
    fn a_divisor_that_can_be_zero_gives_anything_and_w1004() {
        assert_eq!(iv("a / b"), Interval::everything());
        let policy =
            format!("{HEADER}{DECLS}let v = a / b\nlet w = a / (b - b)\nlet z = b / (a + 1)\n");
        assert_eq!(
            range_codes(&policy),
            vec![Code::DivisionByZero, Code::DivisionByZero]
        );
    }

    #[test]
    fn min_max_clamp() {
        assert_eq!(iv("min(a, b)"), closed("-5", "5"));
        assert_eq!(iv("max(a, b)"), closed("0", "10"));
        assert_eq!(iv("min(a, b, -3)"), closed("-5", "-3"));
        assert_eq!(iv("clamp(a, 2, 7)"), closed("2", "7"));
        assert_eq!(iv("clamp(b, 0, 3)"), closed("0", "3"));
        assert_eq!(iv("clamp(m, 50, 500)"), closed("50", "100"));
    }

    #[test]
    fn if_analyses_each_branch_under_its_condition() {
        // a in 6..10 in the first branch, 0..5 in the second: -5 to 10, not -10 to 10.
        assert_eq!(iv("if a > 5 then a else 0 - a"), closed("-5", "10"));
        assert_eq!(
            iv("if a < 3 then 1 else if a < 7 then a else 100"),
            closed("1", "100")
        );
        assert_eq!(
            iv("if a < 3 then 1 else if a < 7 then a * 2 else 20 - a"),
            closed("1", "13")
        );
        // A branch no record takes does not count.
        assert_eq!(iv("if a > 20 then 100 else 1"), closed("1", "1"));
        assert_eq!(iv("if a >= 0 then 1 else 100"), closed("1", "1"));
    }

    #[test]
    fn comparisons() {
        assert_eq!(truth("a > 5"), (true, true, false));
        assert_eq!(truth("a >= 0"), (true, false, false));
        assert_eq!(truth("a > 10"), (false, true, false));
        assert_eq!(truth("a <= 10"), (true, false, false));
        assert_eq!(truth("b < -5"), (false, true, false));
        assert_eq!(truth("a > b + 15"), (false, true, false));
        assert_eq!(truth("a >= b + 15"), (true, true, false));
        assert_eq!(truth("m > 50"), (true, true, true));
        assert_eq!(truth("a = 11"), (false, true, false));
        assert_eq!(truth("a != 11"), (true, false, false));
        assert_eq!(truth("p = 3"), (true, false, false));
    }

    #[test]
    fn and_or_not_with_unknown_values() {
        // `m > 200` is never yes, but can be unknown.
        assert_eq!(truth("m > 200 and flag"), (false, true, true));
        assert_eq!(truth("m > 200 or flag"), (true, true, true));
        assert_eq!(truth("a >= 0 or m > 50"), (true, false, false));
        assert_eq!(truth("not (a >= 0)"), (false, true, false));
        assert_eq!(truth("not flag"), (true, true, false));
    }

    #[test]
    fn membership_and_missing_values() {
        assert_eq!(truth("job in [employed, student]"), (true, true, true));
        assert_eq!(truth("a in [1, 2]"), (true, true, false));
        assert_eq!(truth("a in [20, 30]"), (false, true, false));
        assert_eq!(truth("a not in [20, 30]"), (true, false, false));
        assert_eq!(truth("p in [3]"), (true, false, false));
        assert_eq!(truth("m is missing"), (true, true, false));
        assert_eq!(truth("a is missing"), (false, true, false));
        assert_eq!(truth("a is not missing"), (true, false, false));
    }

    #[test]
    fn unknown_values_propagate() {
        let v = let_value(&format!("{DECLS}let v = m + a\n"), "v");
        assert!(v.unknown);
        assert_eq!(v.iv(), closed("0", "110"));
        // Inside `else`, m is known to be there.
        let v = let_value(
            &format!("{DECLS}let v = if m is missing then 0 else m\n"),
            "v",
        );
        assert!(!v.unknown);
        assert_eq!(v.iv(), closed("0", "100"));
    }
}
