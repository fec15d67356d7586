//! Rules: each rule's least and most contribution, and in focus mode its direction.
//!
//! A rule's `when` condition is analysed once; its points once, under what the condition says
//! about the values it tests. Points go through `per`, the caps (`at most` before `at least`, as
//! the evaluator applies them), the sign of the verb, the group's weight and the header's
//! rounding. A rule that may not apply also contributes 0. Scorecards (`by`) are in `bins.rs`.

use super::narrow::Env;
use super::values::{Abs, Dir, Val};
use super::{round, Analyzer, RuleRange, RuleResult};
use crate::check::intervals::Interval;
use crate::syntax::ast::{self, BinaryOp, CapKind, Expr, RuleItem, Verb};
use rust_decimal::Decimal;

impl Analyzer<'_, '_> {
    /// The weight of a rule's group (1 outside groups), from `--set` params when given.
    fn weight(&mut self, group: Option<usize>) -> Decimal {
        let Some(info) = group.and_then(|g| self.model.groups.get(g)) else {
            return Decimal::ONE;
        };
        match &info.decl.weight {
            Some(expr) => self.eval_expr(expr).iv().as_point().unwrap_or(info.weight),
            None => info.weight,
        }
    }

    /// The contribution of signed points `p` after weight and rounding.
    pub(super) fn contribution(&self, p: &Interval, weight: Decimal) -> Interval {
        let h = &self.model.header;
        p.mul(&Interval::point(weight))
            .map_monotone(|v| round(v, h.decimals, h.rounding))
    }

    /// The signed, capped points of an effect, or of a bin (no `per`, no caps).
    pub(super) fn points(
        &mut self,
        verb: Verb,
        effect: Option<&ast::Effect>,
        amount: &Expr,
        env: &Env,
    ) -> Abs {
        let mut p = self.eval(amount, env);
        if let Some(effect) = effect {
            if let Some(per) = &effect.per {
                let q = self.eval(per, env);
                let (pi, qi) = (p.iv(), q.iv());
                let iv = pi.mul(&qi);
                // `add a per q` multiplies, as `a * q` would, and can overflow as it can.
                let lost = p.lost
                    || q.lost
                    || self.overflow_check(
                        BinaryOp::Mul,
                        &p,
                        &q,
                        &iv,
                        (amount, per, amount.span.to(per.span)),
                    );
                p = Abs {
                    val: Val::Num {
                        iv,
                        whole: p.whole() && q.whole(),
                    },
                    unknown: p.unknown || q.unknown,
                    dir: p.dir.scale(qi.sign()).and(q.dir.scale(pi.sign())),
                    unk_varies: p.unk_varies || q.unk_varies,
                    lost,
                };
            }
            // The evaluator applies `at most` first, then `at least`, whatever the written order.
            for kind in [CapKind::AtMost, CapKind::AtLeast] {
                let Some(cap) = effect.caps.iter().find(|c| c.node.kind == kind) else {
                    continue;
                };
                let c = self.eval(&cap.node.value, env);
                let (pi, ci) = (p.iv(), c.iv());
                let never_binds = match kind {
                    CapKind::AtMost => ci.lo.is_some_and(|lo| pi.all_at_most(lo.value)),
                    CapKind::AtLeast => ci.hi.is_some_and(|hi| pi.all_at_least(hi.value)),
                };
                if never_binds && !matches!(p.val, Val::Any) {
                    self.cap_never_binds(cap, kind, &pi, ci.as_point());
                }
                let iv = match kind {
                    CapKind::AtMost => pi.min_with(&ci),
                    CapKind::AtLeast => pi.max_with(&ci),
                };
                p = Abs {
                    val: Val::Num {
                        iv,
                        whole: p.whole() && c.whole(),
                    },
                    unknown: p.unknown || c.unknown,
                    dir: p.dir.and(c.dir),
                    unk_varies: p.unk_varies || c.unk_varies,
                    lost: p.lost || c.lost,
                };
            }
        }
        if verb == Verb::Deduct {
            p.val = match p.val {
                Val::Num { iv, whole } => Val::Num {
                    iv: iv.neg(),
                    whole,
                },
                other => other,
            };
            p.dir = p.dir.flip();
        }
        p
    }

    /// Analyses rule `index`: its least and most contribution and, in focus mode, its direction.
    pub fn rule(&mut self, index: usize) -> RuleResult {
        let zero = RuleResult {
            range: RuleRange {
                least: Some(Decimal::ZERO),
                most: Some(Decimal::ZERO),
                can_fire: false,
                can_skip: true,
            },
            dir: Dir::Const,
        };
        let Some(info) = self.model.rules.get(index) else {
            return zero;
        };
        let decl = info.decl;
        let weight = self.weight(info.group);
        let when = decl.items.iter().find_map(|i| match &i.node {
            RuleItem::When(e) => Some(e),
            _ => None,
        });
        let base = Env::default();
        let (cond, env) = match when {
            Some(w) => {
                let c = self.eval(w, &base);
                let env = if c.tf().0 {
                    self.refine(w, true, &base)
                } else {
                    Env {
                        dead: true,
                        ..base.clone()
                    }
                };
                (c, env)
            }
            None => (Abs::truth(true, false), base.clone()),
        };
        let (t, f) = cond.tf();
        if let Some(w) = when {
            if !t || env.dead {
                self.never_true(w, &format!("rule `{}`", decl.name.node), "it never applies");
            } else if !f && !cond.unknown {
                self.always_true(w, &decl.name.node);
            }
        }
        if !t || env.dead {
            return zero;
        }
        let mut can_skip = f || cond.unknown;
        let mut outcomes: Vec<Interval> = Vec::new();
        let mut dir;
        match &decl.by {
            None => {
                let Some(effect) = decl.items.iter().find_map(|i| match &i.node {
                    RuleItem::Effect(e) => Some(e),
                    _ => None,
                }) else {
                    return zero;
                };
                let p = self.points(effect.verb.node, Some(effect), &effect.amount, &env);
                can_skip |= p.unknown;
                let c = self.contribution(&p.iv(), weight);
                dir = if p.unk_varies { Dir::Any } else { p.dir };
                dir = gate(cond.dir, dir, &c);
                outcomes.push(c);
            }
            Some(_) => {
                let (pieces, skip, bins_dir) = self.bins(index, &env, weight);
                can_skip |= skip;
                outcomes.extend(pieces);
                dir = gate(
                    cond.dir,
                    bins_dir,
                    &outcomes
                        .iter()
                        .fold(Interval::point(Decimal::ZERO), |a, b| a.hull(b)),
                );
            }
        }
        let mut total: Option<Interval> = None;
        for o in &outcomes {
            total = Some(match total {
                Some(t) => t.hull(o),
                None => *o,
            });
        }
        let can_fire = total.is_some();
        if can_skip || total.is_none() {
            let z = Interval::point(Decimal::ZERO);
            total = Some(total.map_or(z, |t| t.hull(&z)));
        }
        let total = total.unwrap_or_else(|| Interval::point(Decimal::ZERO));
        RuleResult {
            range: RuleRange {
                least: total.lo.map(|e| e.value),
                most: total.hi.map(|e| e.value),
                can_fire,
                can_skip: can_skip || !can_fire,
            },
            dir,
        }
    }
}

/// How a rule's contribution moves, from how its condition and its points move (`c` holds the
/// contributions when it applies): a rule that starts to apply must not jump the wrong way.
fn gate(cond: Dir, points: Dir, c: &Interval) -> Dir {
    let nonneg = c.all_at_least(Decimal::ZERO);
    let nonpos = c.all_at_most(Decimal::ZERO);
    match cond {
        Dir::Const => points,
        Dir::Inc | Dir::Dec => {
            let up = matches!(points, Dir::Inc | Dir::Const);
            let down = matches!(points, Dir::Dec | Dir::Const);
            // Applying more as the focus grows adds the points at the threshold.
            let (grow_ok, shrink_ok) = if cond == Dir::Inc {
                (nonneg, nonpos)
            } else {
                (nonpos, nonneg)
            };
            if up && grow_ok {
                Dir::Inc
            } else if down && shrink_ok {
                Dir::Dec
            } else if c.as_point() == Some(Decimal::ZERO) {
                Dir::Const
            } else {
                Dir::Any
            }
        }
        Dir::Any => {
            if c.as_point() == Some(Decimal::ZERO) {
                Dir::Const
            } else {
                Dir::Any
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::diagnostics::Code;
    use rust_decimal::Decimal;

    const DECLS: &str = "
indicator a: integer 0 to 10
indicator b: integer -5 to 5
indicator m: decimal 0 to 100, missing means unknown
param penalty = 20
param cap = 100
param w = 1.5
";

    fn range(rules: &str, name: &str) -> (Option<Decimal>, Option<Decimal>) {
        rule_range(&format!("{DECLS}{rules}"), name)
    }

    #[test]
    fn a_rule_without_a_condition_always_applies() {
        assert_eq!(
            range("rule r {\n add a * 3\n}\n", "r"),
            (some("0"), some("30"))
        );
        assert_eq!(
            range("rule r {\n deduct a\n}\n", "r"),
            (some("-10"), some("0"))
        );
        assert_eq!(
            range("rule r {\n deduct b\n}\n", "r"),
            (some("-5"), some("5"))
        );
        // A rule that may not apply also contributes 0.
        assert_eq!(
            range("rule r {\n when a > 5\n add 2\n}\n", "r"),
            (some("0"), some("2"))
        );
        // Points that can be unknown make the rule not apply for those records.
        assert_eq!(
            range("rule r {\n add m + 5\n}\n", "r"),
            (some("0"), some("105"))
        );
    }

    #[test]
    fn per_multiplies_and_at_most_caps() {
        assert_eq!(
            range(
                "rule r {\n when a >= 1\n deduct penalty per a, at most cap\n}\n",
                "r"
            ),
            (some("-100"), some("0"))
        );
        assert_eq!(
            range("rule r {\n when a >= 1\n deduct penalty per a\n}\n", "r"),
            (some("-200"), some("0"))
        );
        assert_eq!(
            range("rule r {\n add 5 per a, at least 10\n}\n", "r"),
            (some("10"), some("50"))
        );
        // `per` a factor of either sign.
        assert_eq!(
            range("rule r {\n add 2 per b\n}\n", "r"),
            (some("-10"), some("10"))
        );
    }

    #[test]
    fn at_most_applies_before_at_least_whatever_the_order_written() {
        // 0 to 100, at most 20 → 0 to 20, at least 30 → 30.
        assert_eq!(
            range("rule r {\n add 10 per a, at least 30, at most 20\n}\n", "r"),
            (some("30"), some("30"))
        );
        assert_eq!(
            range("rule r {\n add 10 per a, at most 20, at least 30\n}\n", "r"),
            (some("30"), some("30"))
        );
    }

    #[test]
    fn a_cap_that_never_binds_is_reported() {
        let text = |rule: &str| format!("{HEADER}{DECLS}{rule}");
        assert_eq!(
            range_codes(&text("rule r {\n add a, at most 50\n}\n")),
            vec![Code::CapNeverBinds]
        );
        assert_eq!(
            range_codes(&text("rule r {\n add a, at least 0\n}\n")),
            vec![Code::CapNeverBinds]
        );
        assert_eq!(
            range_codes(&text("rule r {\n add a, at most 5\n}\n")),
            vec![]
        );
    }

    #[test]
    fn group_weights_multiply_before_rounding() {
        let group = |weight: &str| {
            format!("group g weight {weight} {{\n rule r {{\n add a + 0.3\n }}\n}}\n")
        };
        // 0.3 to 10.3, times 1.5: 0.45 to 15.45, rounded to whole points half up: 0 to 15.
        assert_eq!(range(&group("1.5"), "r"), (some("0"), some("15")));
        assert_eq!(range(&group("w"), "r"), (some("0"), some("15")));
        // Times 2: 0.6 to 20.6, rounded: 1 to 21.
        assert_eq!(range(&group("2"), "r"), (some("1"), some("21")));
    }

    #[test]
    fn contributions_are_rounded_as_the_header_says() {
        let policy = |mode: &str, rule: &str| {
            format!(
                "policy \"T\" {{\n version \"1\"\n effective 2027-01-01\n score 0 to 100 starting at 50\n round to 0 decimals, {mode}\n}}\n{rule}"
            )
        };
        let add = "rule r {\n add 2.5\n}\n";
        let deduct = "rule r {\n deduct 2.5\n}\n";
        for (mode, added, deducted) in [
            ("half up", "3", "-3"),
            ("half even", "2", "-2"),
            ("half down", "2", "-2"),
            ("up", "3", "-3"),
            ("down", "2", "-2"),
        ] {
            assert_eq!(
                rule_range_in(&policy(mode, add), "r"),
                (some(added), some(added)),
                "{mode}"
            );
            assert_eq!(
                rule_range_in(&policy(mode, deduct), "r"),
                (some(deducted), some(deducted)),
                "{mode}"
            );
        }
        // Two decimals: 10 / 3 = 3.3333333333 (to 3.3333333334) rounds to 3.33.
        let two = "policy \"T\" {\n version \"1\"\n effective 2027-01-01\n score 0 to 100 starting at 50\n round to 2 decimals\n}\nrule r {\n add 10 / 3\n}\n";
        assert_eq!(rule_range_in(two, "r"), (some("3.33"), some("3.33")));
    }
}
