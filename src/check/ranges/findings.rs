//! The score's reach, the tiers it reaches, and the wording of every range-analysis warning.
//!
//! [`reach`] adds up the rules' least and most contributions from the starting score, rounds and
//! clamps the total, and intersects it with each tier. The warnings are worded here, in one place,
//! whichever file detects them: W1000 (the score can leave the scale), W1001 (an unreachable tier),
//! W1002 / W1003 (a condition never / always true, with the ranges of the names it reads), W1004
//! (a division by a divisor that can be 0), W1005 (a cap that never changes the points) and W1006
//! (arithmetic that can overflow the exact decimal range, found by `overflow.rs`).

use super::narrow::{Env, Key};
use super::overflow::{power_of_ten, Overflow};
use super::values::{Abs, Val};
use super::{inclusive, round, Analysis, Analyzer, RuleRange};
use crate::check::err::CheckError;
use crate::check::intervals::Interval;
use crate::check::model::{Model, Resolved};
use crate::diagnostics::Code;
use crate::span::{Node, Span};
use crate::syntax::ast::{self, BinaryOp, CapKind, Expr, ExprKind};
use rust_decimal::Decimal;
use std::collections::HashSet;

/// The score before clamping (after rounding), after clamping, and whether each tier is reached.
pub(super) fn reach(model: &Model<'_>, rules: &[RuleRange]) -> (Interval, Interval, Vec<bool>) {
    let header = &model.header;
    let mut total = Interval::point(header.start);
    let range = |r: &RuleRange| Interval {
        lo: r.least.map(inclusive),
        hi: r.most.map(inclusive),
    };
    // A group that counts only its highest (or lowest) rule adds one of its rules' points, or 0
    // when none applies: somewhere in the hull of their ranges and 0.
    let mut picked: Vec<Option<Interval>> = vec![None; model.groups.len()];
    for (index, r) in rules.iter().enumerate() {
        let group = model
            .rules
            .get(index)
            .and_then(|info| info.group)
            .filter(|g| {
                model
                    .groups
                    .get(*g)
                    .is_some_and(|g| g.decl.counts.is_some())
            });
        match group.and_then(|g| picked.get_mut(g)) {
            Some(slot) => {
                let hull = slot.unwrap_or(Interval::point(Decimal::ZERO));
                *slot = Some(hull.hull(&range(r)));
            }
            None => total = total.add(&range(r)),
        }
    }
    for hull in picked.into_iter().flatten() {
        total = total.add(&hull);
    }
    let before = total.map_monotone(|v| round(v, header.decimals, header.rounding));
    let after = before
        .max_with(&Interval::point(header.min))
        .min_with(&Interval::point(header.max));
    let step = Some(header.step());
    let tiers_reachable: Vec<bool> = model
        .tiers
        .iter()
        .map(|t| !t.range.intersect(&after).is_empty(step))
        .collect();
    (before, after, tiers_reachable)
}

impl Analyzer<'_, '_> {
    /// W1004 for a division, or for a power whose exponent can be negative (`power`: it divides
    /// 1 by the base's power).
    pub(super) fn division_by_zero(
        &mut self,
        rhs: &Expr,
        span: Span,
        divisor: &Interval,
        power: bool,
    ) {
        let always = divisor.as_point() == Some(Decimal::ZERO);
        // Name the divisor when it is a name.
        let what = match (&rhs.node, power) {
            (ExprKind::Name(name), _) => format!("`{name}`"),
            (_, false) => "the divisor".to_string(),
            (_, true) => "the base".to_string(),
        };
        let this = if power {
            "this power (its exponent can be negative, which divides)"
        } else {
            "this division"
        };
        let message = if always {
            format!("{this} always divides by zero: {what} is always 0")
        } else {
            format!("{this} can divide by zero: {what} can be 0")
        };
        let label = if always {
            "this is always 0".to_string()
        } else {
            format!("this can be 0 (it can be {divisor})")
        };
        self.warn(
            CheckError::new(Code::DivisionByZero, rhs.span, message, label)
                .with_secondary(span, if power { "the power" } else { "the division" })
                .with_help("a record that divides by zero is rejected with an error; guard the division (`if d > 0 then … / d else 0`) or give the divisor a range that excludes 0"),
        );
    }

    /// W1006 for `op` (at `span`, on `lhs` and `rhs`) that can overflow.
    pub(super) fn overflow_warning(
        &mut self,
        op: BinaryOp,
        overflow: Overflow,
        a: &Abs,
        b: &Abs,
        (lhs, rhs, span): (&Expr, &Expr, Span),
    ) {
        let what = match op {
            BinaryOp::Add => "sum",
            BinaryOp::Sub => "difference",
            BinaryOp::Mul => "product",
            BinaryOp::Div => "division",
            _ => "power",
        };
        let (message, label) = match overflow {
            Overflow::Bounded { log10, .. } if log10.is_infinite() => (
                format!("this {what} can overflow the exact decimal range: it can grow without bound"),
                "its size has no bound".to_string(),
            ),
            Overflow::Bounded { log10, above, below } => {
                let size = power_of_ten(log10);
                let reach = match (above, below) {
                    (true, false) => format!("as large as about {size}"),
                    (false, true) => format!("as low as about -{size}"),
                    _ => format!("about {size} either side of zero"),
                };
                (
                    format!("this {what} can overflow the exact decimal range: it can be {reach}"),
                    format!("can be {reach}"),
                )
            }
            Overflow::Unbounded if op == BinaryOp::Pow => (
                format!("this {what} can overflow the exact decimal range: its base has no bound"),
                "its size has no bound".to_string(),
            ),
            Overflow::Unbounded => (
                format!("this {what} can overflow the exact decimal range: neither of its factors has a bound"),
                "its size has no bound".to_string(),
            ),
        };
        let mut error = CheckError::new(Code::DecimalOverflow, span, message, label);
        let operands: [(&Expr, &Abs); 2] = [(lhs, a), (rhs, b)];
        for (expr, value) in operands {
            // The constants speak for themselves; a name or a formula gets its range.
            if !matches!(expr.node, ExprKind::Number(_)) && expr.span != span {
                error = error.with_secondary(expr.span, format!("this can be {}", value.iv()));
            }
        }
        let help = match overflow {
            Overflow::Unbounded => "exact decimals go up to 79228162514264337593543950335 either side of zero, and a record whose value goes beyond is rejected with an error; declare ranges for what this reads (`decimal 0 to 1000000`) so the checker can tell whether it stays within, or allow it (`allow W1006 because \"…\"`) if no record can come near",
            Overflow::Bounded { .. } => "exact decimals go up to 79228162514264337593543950335 either side of zero, and a record whose value goes beyond is rejected with an error; narrow the ranges this reads, compute in smaller steps (divide before multiplying), or allow it (`allow W1006 because \"…\"`) if no record can come near",
        };
        self.warn(error.with_help(help));
    }

    /// E0205: an exponent that may not be a whole number from -1000 to 1000.
    pub(super) fn not_whole_exponent(
        &mut self,
        rhs: &Expr,
        span: Span,
        range: &Interval,
        whole: bool,
    ) {
        let (message, label) = if whole {
            (
                "the exponent of `^` can be beyond 1000 either side of zero".to_string(),
                format!("this can be {range}"),
            )
        } else {
            (
                "the exponent of `^` may not be a whole number".to_string(),
                format!("this can be a fraction (it can be {range})"),
            )
        };
        self.warn(
            CheckError::new(Code::NotWholeExponent, rhs.span, message, label)
                .with_secondary(span, "the power")
                .with_help("an exponent must be a whole number from -1000 to 1000: write a whole number or a param, or use an integer or count indicator with a declared range"),
        );
    }

    pub(super) fn cap_never_binds(
        &mut self,
        cap: &Node<ast::Cap>,
        kind: CapKind,
        points: &Interval,
        value: Option<Decimal>,
    ) {
        let (what, bound) = match kind {
            CapKind::AtMost => ("at most", "never more than"),
            CapKind::AtLeast => ("at least", "never less than"),
        };
        let edge = match kind {
            CapKind::AtMost => points.hi,
            CapKind::AtLeast => points.lo,
        };
        let edge = edge.map_or(String::new(), |e| e.value.normalize().to_string());
        self.warn(
            CheckError::new(
                Code::CapNeverBinds,
                cap.span,
                format!(
                    "the cap `{what} {}` never changes the points: they are {bound} {edge} anyway",
                    value.map_or("…".to_string(), |v| v.normalize().to_string())
                ),
                "this cap never applies",
            )
            .with_help(format!(
                "the points before this cap can be {points}; remove the cap, or change its value if it was meant to limit them"
            )),
        );
    }

    pub(super) fn never_true(&mut self, condition: &Expr, site: &str, consequence: &str) {
        let mut error = CheckError::new(
            Code::NeverTrue,
            condition.span,
            format!("the condition of {site} can never be true, so {consequence}"),
            "no record makes this yes",
        );
        error = self.with_ranges(error, condition);
        let kind = if site.starts_with("rule") {
            "rule"
        } else {
            "consequence"
        };
        self.warn(error.with_help(format!(
            "check the numbers and the indicators' declared ranges; if the {kind} is obsolete, remove it"
        )));
    }

    pub(super) fn always_true(&mut self, condition: &Expr, rule: &str) {
        let mut error = CheckError::new(
            Code::AlwaysTrue,
            condition.span,
            format!("the condition of rule `{rule}` is always true"),
            "every record makes this yes",
        );
        error = self.with_ranges(error, condition);
        self.warn(error.with_help(
            "the `when` line changes nothing: remove it, or check the numbers and the declared ranges",
        ));
    }

    /// Adds a note with the possible values of the names a condition uses.
    fn with_ranges(&mut self, error: CheckError, condition: &Expr) -> CheckError {
        let mut refs = Vec::new();
        self.refs(condition, &mut refs);
        let mut seen = HashSet::new();
        let mut parts = Vec::new();
        for r in refs {
            if !seen.insert(r) {
                continue;
            }
            let (name, abs) = match r {
                Resolved::Indicator(i) => (
                    self.model
                        .indicators
                        .get(i)
                        .map(|x| x.decl.name.node.clone()),
                    self.lookup(&Env::default(), Key::Ind(i)),
                ),
                Resolved::Let(l) => (
                    self.model.lets.get(l).map(|x| x.decl.name.node.clone()),
                    self.lookup(&Env::default(), Key::Let(l)),
                ),
                Resolved::Output(o) => (
                    self.model.outputs.get(o).map(|x| x.decl.name.node.clone()),
                    self.lookup(&Env::default(), Key::Out(o)),
                ),
                Resolved::Param(p) => (
                    self.model.params.get(p).map(|x| x.decl.name.node.clone()),
                    Abs::point(self.param(p)),
                ),
                _ => continue,
            };
            let Some(name) = name else { continue };
            if let Val::Num { iv, .. } = abs.val {
                parts.push(format!("`{name}` is {iv}"));
            }
        }
        if parts.is_empty() {
            return error;
        }
        let note = format!("here {}", crate::text::join_and(&parts));
        error.with_note(note)
    }

    pub(super) fn scale_and_tiers(&mut self, analysis: &Analysis) {
        let header = &self.model.header;
        let (min, max) = (header.min, header.max);
        let below = analysis.before.lo.is_none_or(|e| e.value < min);
        let above = analysis.before.hi.is_none_or(|e| e.value > max);
        if below || above {
            let low = analysis.before.lo.map_or("without limit".to_string(), |e| {
                format!("to {}", e.value.normalize())
            });
            let high = analysis.before.hi.map_or("without limit".to_string(), |e| {
                format!("to {}", e.value.normalize())
            });
            let message = match (below, above) {
                (true, true) => format!(
                    "the rules can take the score outside the scale {} to {}: down {low} and up {high}",
                    min.normalize(),
                    max.normalize()
                ),
                (true, false) => format!(
                    "the rules can take the score below the scale's lowest score {}: down {low}",
                    min.normalize()
                ),
                _ => format!(
                    "the rules can take the score above the scale's highest score {}: up {high}",
                    max.normalize()
                ),
            };
            let mut error = CheckError::new(
                Code::ScoreLeavesScale,
                header.scale_span,
                message,
                "scores outside this are clamped to it",
            );
            // The rules that push furthest in the offending directions.
            let mut movers: Vec<(usize, Decimal, bool)> = Vec::new();
            for (i, r) in analysis.rules.iter().enumerate() {
                if below {
                    let amount = r.least.map_or(Decimal::MAX, |v| -v);
                    if amount > Decimal::ZERO {
                        movers.push((i, amount, false));
                    }
                }
                if above {
                    let amount = r.most.unwrap_or(Decimal::MAX);
                    if amount > Decimal::ZERO {
                        movers.push((i, amount, true));
                    }
                }
            }
            movers.sort_by(|a, b| a.2.cmp(&b.2).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0)));
            // The three that push furthest each way.
            let shown: Vec<&(usize, Decimal, bool)> = [false, true]
                .iter()
                .flat_map(|dir| movers.iter().filter(move |m| m.2 == *dir).take(3))
                .collect();
            for (i, _, up) in shown {
                let (Some(info), Some(r)) = (self.model.rules.get(*i), analysis.rules.get(*i))
                else {
                    continue;
                };
                let label = if *up {
                    r.most
                        .map_or("can add points without limit".to_string(), |v| {
                            format!("can add up to {} points", v.normalize())
                        })
                } else {
                    r.least
                        .map_or("can deduct points without limit".to_string(), |v| {
                            format!("can deduct up to {} points", (-v).normalize())
                        })
                };
                error = error.with_secondary(info.decl.name.span, label);
            }
            error = error
                .with_note(format!(
                    "starting at {} and adding each rule's least and most points, the score before clamping lies in {}; rules that cannot reach their extremes together make the real range narrower",
                    header.start.normalize(),
                    analysis.before
                ))
                .with_help("a score outside the scale is clamped to it; if that is intended, say so in the header with `allow W1000 because \"…\"`, otherwise cap the rules (`at most …`) or widen the scale");
            self.warn(error);
        }
        let reach = analysis.after;
        for (i, reachable) in analysis.tiers_reachable.iter().enumerate() {
            if *reachable {
                continue;
            }
            let Some(tier) = self.model.tiers.get(i) else {
                continue;
            };
            let error = CheckError::new(
                Code::UnreachableTier,
                tier.decl.bounds.span,
                format!(
                    "no record can reach tier `{}`: every score lies in {reach}",
                    tier.decl.name.node
                ),
                "no score falls here",
            )
            .with_secondary(header.scale_span, "the scale")
            .with_note(format!(
                "starting at {} and adding each rule's least and most points, scores lie in {reach}",
                header.start.normalize()
            ))
            .with_help("move the tier's bounds into the reachable scores, change the rules' points, or remove the tier");
            self.warn(error);
        }
    }

    pub(super) fn consequences(&mut self) {
        for info in &self.model.consequences {
            let Some(when) = info.decl.items.iter().find_map(|i| match &i.node {
                ast::ConsequenceItem::When(e) => Some(e),
                _ => None,
            }) else {
                continue;
            };
            let c = self.eval_expr(when);
            if !c.tf().0 {
                self.never_true(
                    when,
                    &format!("consequence `{}`", info.decl.name.node),
                    "it never applies",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::check::intervals::Interval;
    use crate::diagnostics::Code;

    fn header(scale: &str) -> String {
        format!(
            "policy \"T\" {{\n version \"1\"\n effective 2027-01-01\n score {scale}\n round to 0 decimals\n}}\n"
        )
    }

    #[test]
    fn the_score_leaving_the_scale_is_w1000() {
        // Late payments deduct without limit, loyalty can add 10 to a start of 95.
        let text = format!(
            "{}indicator late: count\nindicator loyal: boolean\nrule late_payments {{\n when late >= 1\n deduct 5 per late\n}}\nrule loyalty {{\n when loyal\n add 10\n}}\ntier good at 50 and above\ntier poor below 50\n",
            header("0 to 100 starting at 95")
        );
        with_policy(&text, |model, problems| {
            let analysis = model.analysis.as_ref().expect("analysed");
            assert_eq!(analysis.before, ends(None, Some(("105", true))));
            assert_eq!(analysis.after, closed("0", "100"));
            assert_eq!(analysis.tiers_reachable, vec![true, true]);
            let w1000: Vec<_> = problems
                .iter()
                .filter(|p| p.code == Code::ScoreLeavesScale)
                .collect();
            assert_eq!(w1000.len(), 1);
            assert_eq!(
                w1000.first().unwrap().message,
                "the rules can take the score outside the scale 0 to 100: down without limit and up to 105"
            );
        });
    }

    #[test]
    fn a_tier_no_score_reaches_is_w1001() {
        let text = format!(
            "{}indicator late: count\nrule late_taxes {{\n when late >= 1\n deduct 20 per late, at most 100\n}}\ntier A at 960 and above\ntier B from 600 below 960\ntier D below 600\n",
            header("0 to 1200 starting at 1000")
        );
        with_policy(&text, |model, _| {
            let analysis = model.analysis.as_ref().expect("analysed");
            assert_eq!(analysis.before, closed("900", "1000"));
            assert_eq!(analysis.after, closed("900", "1000"));
            assert_eq!(analysis.tiers_reachable, vec![true, true, false]);
        });
        assert_eq!(range_codes(&text), vec![Code::UnreachableTier]);
    }

    #[test]
    fn reach_rounds_then_clamps() {
        // Each rule's points are rounded before they are added: 0 to 10.4 gives 0 to 10, and
        // -0.8 to 20 gives -1 to 20. From 0 the score lies in -1 to 30, so tier `high` is out of
        // reach.
        let text = format!(
            "{}indicator a: decimal 0 to 10.4\nrule r1 {{\n add a\n}}\nrule r2 {{\n add a * 2 - 0.8\n}}\ntier high at 41 and above\ntier low below 41\n",
            header("-10 to 100 starting at 0")
        );
        with_policy(&text, |model, _| {
            let analysis = model.analysis.as_ref().expect("analysed");
            let rules: Vec<_> = analysis.rules.iter().map(|r| (r.least, r.most)).collect();
            assert_eq!(
                rules,
                vec![(some("0"), some("10")), (some("-1"), some("20"))]
            );
            assert_eq!(analysis.before, closed("-1", "30"));
            assert_eq!(analysis.tiers_reachable, vec![false, true]);
        });
        // A score that can only go above the scale is clamped to its top.
        let text = format!(
            "{}rule r {{\n add 50\n}}\ntier t at 0 and above\n",
            header("0 to 100 starting at 80")
        );
        with_policy(&text, |model, _| {
            let analysis = model.analysis.as_ref().expect("analysed");
            assert_eq!(analysis.before, Interval::point(d("130")));
            assert_eq!(analysis.after, Interval::point(d("100")));
        });
        assert_eq!(range_codes(&text), vec![Code::ScoreLeavesScale]);
    }

    #[test]
    fn conditions_never_or_always_true() {
        let body = "indicator a: integer 0 to 12\nrule never {\n when a > 12\n deduct 50\n}\nrule always {\n when a >= 0\n add 1\n}\nrule sometimes {\n when a > 6\n add 1\n}\n";
        let text = format!("{HEADER}{body}");
        assert_eq!(range_codes(&text), vec![Code::NeverTrue, Code::AlwaysTrue]);
        with_policy(&text, |_, problems| {
            let never = problems.iter().find(|p| p.code == Code::NeverTrue).unwrap();
            assert_eq!(
                never.message,
                "the condition of rule `never` can never be true, so it never applies"
            );
            assert_eq!(never.notes, vec!["here `a` is 0 to 12".to_string()]);
        });
        assert_eq!(rule_range(body, "never"), (some("0"), some("0")));
        assert_eq!(rule_range(body, "always"), (some("1"), some("1")));
    }

    #[test]
    fn a_consequence_that_never_applies_is_w1002() {
        let text = format!(
            "{}indicator income: decimal 0 to 1000\nrule r {{\n add income / 100\n}}\ntier good at 50 and above\ntier poor below 50\nconsequence review {{\n is a sanction\n when tier is poor and income < 0\n lasts 3 months\n appeal \"Board\"\n basis \"Art. 2\"\n}}\nconsequence top {{\n is a benefit\n when score > 70\n lasts 3 months\n appeal \"Board\"\n basis \"Art. 3\"\n}}\n",
            header("0 to 100 starting at 50")
        );
        with_policy(&text, |model, problems| {
            let analysis = model.analysis.as_ref().expect("analysed");
            assert_eq!(analysis.after, closed("50", "60"));
            let messages: Vec<&str> = problems
                .iter()
                .filter(|p| p.code == Code::NeverTrue)
                .map(|p| p.message.as_str())
                .collect();
            // The score is 50 to 60, so `score > 70` never holds either.
            assert_eq!(
                messages,
                vec![
                    "the condition of consequence `review` can never be true, so it never applies",
                    "the condition of consequence `top` can never be true, so it never applies",
                ]
            );
        });
    }
}
