//! Environments, and narrowing: what a condition being yes (or no) says about the values it tests.
//!
//! An [`Env`] holds facts about named values (indicators and derived values) at one point of a
//! rule: `when x > 0` makes `x` positive inside the rule, an `if` narrows each branch, and a
//! condition that cannot hold marks the point dead. Facts are looked up newest first, falling
//! back to the analysed values (in focus mode, the re-analysed derived values). Narrowing lets each
//! rule be analysed once, yet as precisely as its condition allows.

use super::values::{Abs, Dir, Val};
use super::Analyzer;
use crate::check::intervals::{End, Interval};
use crate::check::model::Resolved;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};

/// A named value facts can be about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Key {
    Ind(usize),
    Let(usize),
    /// A table's output.
    Out(usize),
    /// An argument of the function whose body is being analysed (`calls.rs`).
    Arg(usize),
}

/// What is known about named values at one point: base facts plus narrowings.
#[derive(Clone, Default)]
pub(super) struct Env {
    /// Narrowed values, newest last (a later fact about a key replaces an earlier one).
    pub(super) facts: Vec<(Key, Abs)>,
    /// No record reaches this point.
    pub(super) dead: bool,
}

impl Analyzer<'_, '_> {
    /// What is known about `key` at `env`.
    pub(super) fn lookup(&self, env: &Env, key: Key) -> Abs {
        if let Some((_, abs)) = env.facts.iter().rev().find(|(k, _)| *k == key) {
            return abs.clone();
        }
        match key {
            Key::Ind(i) => {
                let mut abs = self.inds.get(i).cloned().unwrap_or_else(Abs::any);
                if self.focus == Some(i) {
                    // Two records that differ only in this value, both known.
                    abs.dir = Dir::Inc;
                    abs.unknown = false;
                }
                abs
            }
            Key::Let(l) => match self.focus_lets.get(&l) {
                Some(abs) => abs.clone(),
                None => self.lets.get(l).cloned().unwrap_or_else(Abs::any),
            },
            Key::Out(o) => self.output(o),
            // A call puts every argument's value in the body's environment.
            Key::Arg(_) => Abs::any(),
        }
    }

    /// The named value `expr` is, when it is just a name of an indicator or a derived value.
    pub(super) fn key(&self, expr: &Expr) -> Option<Key> {
        match &expr.node {
            ExprKind::Name(_) => match self.model.resolution(expr.span)? {
                Resolved::Indicator(i) => Some(Key::Ind(i)),
                Resolved::Let(l) => Some(Key::Let(l)),
                Resolved::Output(o) => Some(Key::Out(o)),
                Resolved::Argument { index, .. } => Some(Key::Arg(index)),
                _ => None,
            },
            _ => None,
        }
    }

    /// `env` after learning that `cond` is `want` (known, not unknown).
    pub(super) fn refine(&mut self, cond: &Expr, want: bool, env: &Env) -> Env {
        if env.dead {
            return env.clone();
        }
        match &cond.node {
            ExprKind::Unary(UnaryOp::Not, inner) => self.refine(inner, !want, env),
            ExprKind::Binary(BinaryOp::And, a, b) if want => {
                let first = self.refine(a, true, env);
                self.refine(b, true, &first)
            }
            ExprKind::Binary(BinaryOp::Or, a, b) if !want => {
                let first = self.refine(a, false, env);
                self.refine(b, false, &first)
            }
            ExprKind::Binary(
                op @ (BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge),
                a,
                b,
            ) => {
                // Known false is the opposite comparison (an unknown result is neither).
                let op = if want {
                    *op
                } else {
                    match op {
                        BinaryOp::Lt => BinaryOp::Ge,
                        BinaryOp::Le => BinaryOp::Gt,
                        BinaryOp::Gt => BinaryOp::Le,
                        _ => BinaryOp::Lt,
                    }
                };
                let av = self.eval(a, env);
                let bv = self.eval(b, env);
                let mut out = env.clone();
                if let Some(key) = self.key(a) {
                    self.narrow_num(&mut out, key, op, &bv.iv());
                }
                if let Some(key) = self.key(b) {
                    let flipped = match op {
                        BinaryOp::Lt => BinaryOp::Gt,
                        BinaryOp::Le => BinaryOp::Ge,
                        BinaryOp::Gt => BinaryOp::Lt,
                        _ => BinaryOp::Le,
                    };
                    self.narrow_num(&mut out, key, flipped, &av.iv());
                }
                out
            }
            ExprKind::Binary(op @ (BinaryOp::Eq | BinaryOp::Ne), a, b) => {
                let equal = (*op == BinaryOp::Eq) == want;
                let av = self.eval(a, env);
                let bv = self.eval(b, env);
                let mut out = env.clone();
                if let Some(key) = self.key(a) {
                    self.narrow_eq(&mut out, key, &bv, equal);
                }
                if let Some(key) = self.key(b) {
                    self.narrow_eq(&mut out, key, &av, equal);
                }
                out
            }
            ExprKind::In {
                value,
                set,
                negated,
            } => {
                let Some(key) = self.key(value) else {
                    return env.clone();
                };
                let inside = want != *negated;
                let members: Vec<Abs> = set.iter().map(|m| self.eval(m, env)).collect();
                let mut out = env.clone();
                if inside {
                    if let Some(first) = members.first() {
                        let all = members
                            .iter()
                            .skip(1)
                            .fold(first.clone(), |acc, m| acc.join(m));
                        self.narrow_eq(&mut out, key, &all, true);
                    }
                } else {
                    for m in &members {
                        self.narrow_eq(&mut out, key, m, false);
                    }
                }
                out
            }
            ExprKind::IsMissing { value, negated } => {
                let Some(key) = self.key(value) else {
                    return env.clone();
                };
                let missing = want != *negated;
                let mut out = env.clone();
                if !missing {
                    let mut current = self.lookup(&out, key);
                    current.unknown = false;
                    out.facts.push((key, current));
                }
                out
            }
            ExprKind::Name(_) => {
                let Some(key) = self.key(cond) else {
                    return env.clone();
                };
                let mut out = env.clone();
                let current = self.lookup(&out, key);
                if let Val::Bool { t, f } = current.val {
                    let (t, f) = if want { (t, false) } else { (false, f) };
                    if !t && !f {
                        out.dead = true;
                    }
                    out.facts.push((
                        key,
                        Abs {
                            val: Val::Bool { t, f },
                            unknown: false,
                            ..current
                        },
                    ));
                }
                out
            }
            _ => env.clone(),
        }
    }

    /// Adds the fact `key op b` for some `b` in `bound` (`op` is `<`, `<=`, `>` or `>=`).
    fn narrow_num(&self, env: &mut Env, key: Key, op: BinaryOp, bound: &Interval) {
        let current = self.lookup(env, key);
        let Val::Num { iv, whole } = current.val else {
            return;
        };
        let limit = match op {
            BinaryOp::Lt => Interval {
                lo: None,
                hi: bound.hi.map(|e| End {
                    value: e.value,
                    inclusive: false,
                }),
            },
            BinaryOp::Le => Interval {
                lo: None,
                hi: bound.hi,
            },
            BinaryOp::Gt => Interval {
                lo: bound.lo.map(|e| End {
                    value: e.value,
                    inclusive: false,
                }),
                hi: None,
            },
            _ => Interval {
                lo: bound.lo,
                hi: None,
            },
        };
        let mut narrowed = iv.intersect(&limit);
        if whole {
            narrowed = narrowed.whole();
        }
        if narrowed.is_empty(None) {
            env.dead = true;
        }
        env.facts.push((
            key,
            Abs {
                val: Val::Num {
                    iv: narrowed,
                    whole,
                },
                unknown: false,
                ..current
            },
        ));
    }

    /// Adds the fact that `key` is one of the values of `other` (or, when `equal` is false, that
    /// it is not `other`'s single value).
    fn narrow_eq(&self, env: &mut Env, key: Key, other: &Abs, equal: bool) {
        let current = self.lookup(env, key);
        let val = match (&current.val, &other.val) {
            (Val::Num { iv, whole }, Val::Num { iv: o, .. }) => {
                if equal {
                    let mut n = iv.intersect(o);
                    if *whole {
                        n = n.whole();
                    }
                    Val::Num {
                        iv: n,
                        whole: *whole,
                    }
                } else {
                    // Only an excluded end value narrows an interval.
                    let mut n = *iv;
                    if let Some(p) = o.as_point() {
                        if let Some(lo) = n.lo.filter(|e| e.value == p) {
                            n.lo = Some(End {
                                value: lo.value,
                                inclusive: false,
                            });
                        }
                        if let Some(hi) = n.hi.filter(|e| e.value == p) {
                            n.hi = Some(End {
                                value: hi.value,
                                inclusive: false,
                            });
                        }
                        if *whole {
                            n = n.whole();
                        }
                    }
                    Val::Num {
                        iv: n,
                        whole: *whole,
                    }
                }
            }
            (Val::Bool { t, f }, Val::Bool { t: ot, f: of }) => {
                let single = ot != of;
                if equal {
                    Val::Bool {
                        t: *t && *ot,
                        f: *f && *of,
                    }
                } else if single {
                    Val::Bool {
                        t: *t && !*ot,
                        f: *f && !*of,
                    }
                } else {
                    current.val.clone()
                }
            }
            (Val::Set(s), Val::Set(o)) if s.len() == o.len() => {
                let count = o.iter().filter(|b| **b).count();
                if equal {
                    Val::Set(s.iter().zip(o).map(|(a, b)| *a && *b).collect())
                } else if count == 1 {
                    Val::Set(s.iter().zip(o).map(|(a, b)| *a && !*b).collect())
                } else {
                    current.val.clone()
                }
            }
            (Val::Text(_), Val::Text(Some(t))) if equal => Val::Text(Some(t.clone())),
            _ => current.val.clone(),
        };
        let empty = match &val {
            Val::Num { iv, .. } => iv.is_empty(None),
            Val::Bool { t, f } => !*t && !*f,
            Val::Set(s) => !s.iter().any(|b| *b),
            _ => false,
        };
        if empty {
            env.dead = true;
        }
        env.facts.push((
            key,
            Abs {
                val,
                unknown: false,
                ..current
            },
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::diagnostics::Code;

    const DECLS: &str = "
indicator a: integer 0 to 10
indicator x: decimal 0 to 2
indicator m: decimal 0 to 100, missing means unknown
indicator flag: boolean
indicator job: one of [employed, student, unemployed]
param limit = 4
";

    /// The least and most of `rule r { <body> }`.
    fn range(rule_body: &str) -> (Option<rust_decimal::Decimal>, Option<rust_decimal::Decimal>) {
        rule_range(&format!("{DECLS}rule r {{\n{rule_body}\n}}\n"), "r")
    }

    fn codes(rule_body: &str) -> Vec<Code> {
        range_codes(&format!("{HEADER}{DECLS}rule r {{\n{rule_body}\n}}\n"))
    }

    #[test]
    fn comparisons_narrow_the_values_they_test() {
        // Without the condition, `add a` would be 0 to 10.
        assert_eq!(range("when a < 4\n add a"), (some("0"), some("3")));
        assert_eq!(range("when a <= 4\n add a"), (some("0"), some("4")));
        assert_eq!(range("when a < limit\n add a"), (some("0"), some("3")));
        assert_eq!(range("when 4 > a\n add a"), (some("0"), some("3")));
        assert_eq!(range("when a > 6\n deduct a"), (some("-10"), some("0")));
        assert_eq!(range("when a >= 6\n add 10 - a"), (some("0"), some("4")));
        // A known "no" is the opposite comparison.
        assert_eq!(range("when not (a >= 4)\n add a"), (some("0"), some("3")));
        // Both sides of `and`; either side of a failed `or`.
        assert_eq!(
            range("when a > 2 and a < 5\n deduct a"),
            (some("-4"), some("0"))
        );
        assert_eq!(
            range("when not (a < 3 or a > 5)\n deduct a"),
            (some("-5"), some("0"))
        );
    }

    #[test]
    fn an_excluded_value_narrows_only_at_an_end() {
        // `a != 0` makes a 1 to 10, so `10 / a` cannot divide by zero.
        assert_eq!(range("when a != 0\n add 10 / a"), (some("0"), some("10")));
        assert_eq!(codes("when a != 0\n add 10 / a"), vec![]);
        assert_eq!(codes("when a not in [0]\n add 10 / a"), vec![]);
        // 5 is not an end: a can still be 0, and the points are then unbounded.
        assert_eq!(range("when a != 5\n add 10 / a"), (None, None));
        assert_eq!(
            codes("when a != 5\n add 10 / a"),
            vec![Code::ScoreLeavesScale, Code::DivisionByZero]
        );
        // On decimals, x > 0 excludes 0 too: no W1004, but 1 / x grows without limit (W1000).
        assert_eq!(range("when x > 0\n add 1 / x"), (some("0"), None));
        assert_eq!(
            codes("when x > 0\n add 1 / x"),
            vec![Code::ScoreLeavesScale]
        );
    }

    #[test]
    fn equality_and_membership_narrow_to_the_values_listed() {
        assert_eq!(range("when a = 3\n add a"), (some("0"), some("3")));
        assert_eq!(
            range("when a in [2, 3]\n deduct a"),
            (some("-3"), some("0"))
        );
        assert_eq!(
            range("when job = student\n add if job = employed then 100 else 1"),
            (some("0"), some("1"))
        );
        assert_eq!(
            range("when job in [employed, student]\n add if job = unemployed then 100 else 1"),
            (some("0"), some("1"))
        );
        assert_eq!(
            range("when job != student\n add if job = student then 100 else 1"),
            (some("0"), some("1"))
        );
    }

    #[test]
    fn a_present_value_is_known() {
        // `m` is unknown only when missing; the rule applies only when it is there.
        let text = format!("{HEADER}{DECLS}rule r {{\n when m is not missing\n add m\n}}\n");
        with_policy(&text, |model, _| {
            let r = model
                .analysis
                .as_ref()
                .unwrap()
                .rules
                .first()
                .copied()
                .unwrap();
            assert_eq!((r.least, r.most), (some("0"), some("100")));
            assert!(r.can_fire && r.can_skip);
        });
    }

    #[test]
    fn a_condition_that_cannot_hold_leaves_the_rule_dead() {
        assert_eq!(
            range("when a > 5 and a < 3\n add 10"),
            (some("0"), some("0"))
        );
        assert_eq!(
            codes("when a > 5 and a < 3\n add 10"),
            vec![Code::NeverTrue]
        );
        assert_eq!(
            codes("when flag and not flag\n add 10"),
            vec![Code::NeverTrue]
        );
        assert_eq!(
            codes("when job = student and job = employed\n add 10"),
            vec![Code::NeverTrue]
        );
        // A yes/no name is narrowed like a comparison.
        assert_eq!(
            range("when flag\n add if flag then 5 else 100"),
            (some("0"), some("5"))
        );
    }
}
