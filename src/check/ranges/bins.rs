//! Scorecard bins (`rule … by subject`): the contribution of every bin some record can use.
//!
//! Each bin's values narrow the subject (an interval, yes/no values or enum members) and its
//! points are analysed under that narrowing; the values no listed bin takes go to `otherwise`, or
//! make the rule not apply. In focus mode, the bins ordered along the subject give the direction
//! of the contribution as the subject moves.

use super::narrow::{Env, Key};
use super::values::{Abs, Dir, Val};
use super::Analyzer;
use crate::check::intervals::{sweep, Interval};
use crate::check::model::Resolved;
use crate::syntax::ast::{self, BinPattern, Bound, Literal, RuleItem};
use rust_decimal::Decimal;

impl Analyzer<'_, '_> {
    /// The contributions of a scorecard's reachable bins, whether no bin may be used, and (in
    /// focus mode) the direction of the contribution.
    pub(super) fn bins(
        &mut self,
        index: usize,
        env: &Env,
        weight: Decimal,
    ) -> (Vec<Interval>, bool, Dir) {
        let Some(info) = self.model.rules.get(index) else {
            return (Vec::new(), true, Dir::Any);
        };
        let key = match info.subject {
            Some(Resolved::Indicator(i)) => Key::Ind(i),
            Some(Resolved::Let(l)) => Key::Let(l),
            Some(Resolved::Output(o)) => Key::Out(o),
            _ => return (Vec::new(), true, Dir::Any),
        };
        let subject = self.lookup(env, key);
        let bins: Vec<&ast::Bin> = info
            .decl
            .items
            .iter()
            .filter_map(|i| match &i.node {
                RuleItem::Bin(b) => Some(b),
                _ => None,
            })
            .collect();
        let mut outcomes = Vec::new();
        // (where along the subject, contribution, its direction) for ordering in focus mode.
        let mut pieces: Vec<(Interval, Interval, Dir)> = Vec::new();
        let mut ordered = true;
        let mut dir = Dir::Const;
        let mut listed: Vec<Interval> = Vec::new();
        let mut listed_members: Vec<bool> = match &subject.val {
            Val::Set(s) => vec![false; s.len()],
            Val::Bool { .. } => vec![false; 2],
            _ => Vec::new(),
        };
        let has_missing = bins.iter().any(|b| b.pattern.node == BinPattern::Missing);
        let mut otherwise: Option<&ast::Bin> = None;
        // Points that can be unknown make the rule not apply for those records.
        let mut points_unknown = false;
        for bin in &bins {
            match &bin.pattern.node {
                BinPattern::Missing => {
                    if subject.unknown {
                        let p = self.points(bin.verb.node, None, &bin.amount, env);
                        points_unknown |= p.unknown;
                        let c = self.contribution(&p.iv(), weight);
                        dir = dir.and(if subject.unk_varies { Dir::Any } else { p.dir });
                        outcomes.push(c);
                    }
                }
                BinPattern::Otherwise => otherwise = Some(bin),
                BinPattern::Values(values) => {
                    for value in values {
                        let Some(narrowed) =
                            self.pattern(&subject, &value.node, &mut listed, &mut listed_members)
                        else {
                            ordered = false;
                            continue;
                        };
                        if pattern_empty(&narrowed) {
                            continue;
                        }
                        let mut arm_env = env.clone();
                        arm_env.facts.push((
                            key,
                            Abs {
                                val: narrowed.clone(),
                                unknown: false,
                                ..subject.clone()
                            },
                        ));
                        let p = self.points(bin.verb.node, None, &bin.amount, &arm_env);
                        points_unknown |= p.unknown;
                        let c = self.contribution(&p.iv(), weight);
                        let d = if p.unk_varies { Dir::Any } else { p.dir };
                        pieces.push((position(&narrowed), c, d));
                        outcomes.push(c);
                    }
                }
            }
        }
        // Values of the subject no listed bin takes.
        let rest: Vec<Interval> = match &subject.val {
            Val::Num { iv, whole } => sweep(*iv, &listed, whole.then_some(Decimal::ONE)).gaps,
            Val::Set(s) => s
                .iter()
                .zip(&listed_members)
                .enumerate()
                .filter(|(_, (p, l))| **p && !**l)
                .map(|(i, _)| Interval::point(Decimal::from(i)))
                .collect(),
            Val::Bool { t, f } => [(*f, 0u8), (*t, 1u8)]
                .iter()
                .filter(|(p, i)| {
                    *p && !listed_members
                        .get(usize::from(*i))
                        .copied()
                        .unwrap_or(false)
                })
                .map(|(_, i)| Interval::point(Decimal::from(*i)))
                .collect(),
            _ => vec![Interval::everything()],
        };
        let mut skip = (subject.unknown && !has_missing) || points_unknown;
        if !rest.is_empty() {
            match otherwise {
                Some(bin) => {
                    let p = self.points(bin.verb.node, None, &bin.amount, env);
                    skip |= p.unknown;
                    let c = self.contribution(&p.iv(), weight);
                    let d = if p.unk_varies { Dir::Any } else { p.dir };
                    for gap in &rest {
                        pieces.push((*gap, c, d));
                    }
                    outcomes.push(c);
                }
                None => {
                    skip = true;
                    for gap in &rest {
                        pieces.push((*gap, Interval::point(Decimal::ZERO), Dir::Const));
                    }
                }
            }
        }
        if self.focus.is_none() {
            return (outcomes, skip, Dir::Const);
        }
        let subject_dir = if subject.unk_varies {
            Dir::Any
        } else {
            subject.dir
        };
        let along = match subject_dir {
            Dir::Const => pieces.iter().fold(Dir::Const, |d, (_, _, pd)| d.and(*pd)),
            Dir::Any => Dir::Any,
            Dir::Inc | Dir::Dec if !ordered || matches!(subject.val, Val::Text(_) | Val::Any) => {
                Dir::Any
            }
            Dir::Inc | Dir::Dec => {
                let within = pieces.iter().fold(Dir::Const, |d, (_, _, pd)| d.and(*pd));
                let steps = step_dir(&mut pieces);
                // The bin used moves with the subject, and the subject with the focus.
                within.and(if subject_dir == Dir::Dec {
                    steps.flip()
                } else {
                    steps
                })
            }
        };
        (outcomes, skip, dir.and(along))
    }

    /// A bin's values narrowed to the subject's possible values (`None`: not understood). Adds
    /// the values to `listed`.
    fn pattern(
        &self,
        subject: &Abs,
        value: &ast::Interval,
        listed: &mut Vec<Interval>,
        listed_members: &mut [bool],
    ) -> Option<Val> {
        match (&subject.val, value) {
            (Val::Num { iv, whole }, _) => {
                let bin = match value {
                    ast::Interval::Exactly(Literal::Number(n)) => Interval::point(n.node),
                    ast::Interval::Exactly(Literal::Name(n)) => match self.model.resolution(n.span)
                    {
                        Some(Resolved::Param(p)) => Interval::point(self.param(p)),
                        _ => return None,
                    },
                    ast::Interval::Range { lo, hi } => {
                        Interval::of_range(lo.as_ref(), hi.as_ref(), |b| self.bound(b).ok_or(()))
                            .ok()?
                    }
                    _ => return None,
                };
                listed.push(bin);
                let mut n = iv.intersect(&bin);
                if *whole {
                    n = n.whole();
                }
                Some(Val::Num {
                    iv: n,
                    whole: *whole,
                })
            }
            (Val::Set(s), ast::Interval::Exactly(lit @ (Literal::Name(_) | Literal::Text(_)))) => {
                let member = match self.model.resolution(lit.span()) {
                    Some(
                        Resolved::Member { member, .. } | Resolved::OutcomeMember { member, .. },
                    ) => member,
                    _ => return None,
                };
                if let Some(l) = listed_members.get_mut(member) {
                    *l = true;
                }
                Some(Val::Set(
                    s.iter()
                        .enumerate()
                        .map(|(i, p)| *p && i == member)
                        .collect(),
                ))
            }
            (Val::Bool { t, f }, ast::Interval::Exactly(Literal::Bool(b))) => {
                if let Some(l) = listed_members.get_mut(usize::from(b.node)) {
                    *l = true;
                }
                Some(Val::Bool {
                    t: *t && b.node,
                    f: *f && !b.node,
                })
            }
            (Val::Text(_), ast::Interval::Exactly(Literal::Text(t))) => {
                Some(Val::Text(Some(t.node.clone())))
            }
            _ => None,
        }
    }

    fn bound(&self, bound: &Bound) -> Option<Decimal> {
        match bound {
            Bound::Number(n) => Some(n.node),
            Bound::Param(name) => match self.model.resolution(name.span) {
                Some(Resolved::Param(p)) => Some(self.param(p)),
                _ => None,
            },
        }
    }
}

/// Where a bin lies along its subject: numbers as themselves, yes/no as 0/1, members by position.
fn position(val: &Val) -> Interval {
    match val {
        Val::Num { iv, .. } => *iv,
        Val::Bool { t, f } => match (t, f) {
            (true, false) => Interval::point(Decimal::ONE),
            (false, true) => Interval::point(Decimal::ZERO),
            _ => Interval::closed(Decimal::ZERO, Decimal::ONE),
        },
        Val::Set(s) => {
            let mut members = s.iter().enumerate().filter(|(_, b)| **b).map(|(i, _)| i);
            let first = members.next().unwrap_or(0);
            let last = members.next_back().unwrap_or(first);
            Interval::closed(Decimal::from(first), Decimal::from(last))
        }
        _ => Interval::everything(),
    }
}

fn pattern_empty(val: &Val) -> bool {
    match val {
        Val::Num { iv, .. } => iv.is_empty(None),
        Val::Bool { t, f } => !*t && !*f,
        Val::Set(s) => !s.iter().any(|b| *b),
        _ => false,
    }
}

/// The direction of a piecewise contribution along its subject: pieces sorted by position, each
/// step compared with the next.
fn step_dir(pieces: &mut [(Interval, Interval, Dir)]) -> Dir {
    pieces.sort_by(|a, b| {
        let key = |iv: &Interval| iv.lo.map(|e| (e.value, !e.inclusive));
        match (key(&a.0), key(&b.0)) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, _) => std::cmp::Ordering::Less,
            (_, None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x.cmp(&y),
        }
    });
    let mut up = true;
    let mut down = true;
    let mut same = true;
    for pair in pieces.windows(2) {
        let [(_, a, _), (_, b, _)] = pair else {
            continue;
        };
        // Non-decreasing when everything in `a` is at most everything in `b`.
        let a_le_b = match (a.hi, b.lo) {
            (Some(x), Some(y)) => x.value <= y.value,
            _ => false,
        };
        let a_ge_b = match (a.lo, b.hi) {
            (Some(x), Some(y)) => x.value >= y.value,
            _ => false,
        };
        up &= a_le_b;
        down &= a_ge_b;
        same &= a_le_b && a_ge_b;
    }
    if same {
        Dir::Const
    } else if up {
        Dir::Inc
    } else if down {
        Dir::Dec
    } else {
        Dir::Any
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use rust_decimal::Decimal;

    const DECLS: &str = "
indicator a: integer 0 to 12
indicator x: decimal 0 to 10
indicator flag: boolean
indicator job: one of [employed, student, retired, unemployed], missing means unknown
param bonus = 10
param edge = 6
";

    fn range(rule_body: &str) -> (Option<Decimal>, Option<Decimal>) {
        rule_range(&format!("{DECLS}rule r {rule_body}\n"), "r")
    }

    #[test]
    fn every_reachable_bin_counts() {
        assert_eq!(
            range(
                "by a {\n 0 => add bonus\n 1 to 5 => deduct 10\n from edge below 12 => deduct 60\n 12 => deduct 150\n}"
            ),
            (some("-150"), some("10"))
        );
        assert_eq!(
            range("by flag {\n yes => add 3\n no => deduct 3\n}"),
            (some("-3"), some("3"))
        );
    }

    #[test]
    fn values_no_bin_lists_go_to_otherwise() {
        // 0 and 6 to 12 are in no listed bin.
        assert_eq!(
            range("by a {\n 1 to 5 => add 10\n otherwise => deduct 1\n}"),
            (some("-1"), some("10"))
        );
        // Every value listed: `otherwise` is never used.
        assert_eq!(
            range("by a {\n below 6 => add 10\n at 6 and above => add 20\n otherwise => deduct 100\n}"),
            (some("10"), some("20"))
        );
        // On decimals, `0 to 5` and `6 to 10` leave 5 < x < 6 to `otherwise`.
        assert_eq!(
            range("by x {\n 0 to 5 => add 10\n 6 to 10 => add 20\n otherwise => deduct 1\n}"),
            (some("-1"), some("20"))
        );
        assert_eq!(
            range("by x {\n from 0 below 5 => add 10\n at 5 and above => add 20\n otherwise => deduct 1\n}"),
            (some("10"), some("20"))
        );
    }

    #[test]
    fn members_and_missing_values() {
        // Without a `missing` bin, a record without a job gets no points.
        assert_eq!(
            range("by job {\n employed => add 20\n student, retired, unemployed => add 10\n}"),
            (some("0"), some("20"))
        );
        assert_eq!(
            range("by job {\n employed => add 20\n otherwise => add 10\n}"),
            (some("0"), some("20"))
        );
        assert_eq!(
            range(
                "by job {\n employed => add 20\n student, retired => add 10\n unemployed => add 5\n missing => add 1\n}"
            ),
            (some("1"), some("20"))
        );
    }

    #[test]
    fn quoted_members_are_members() {
        let decls = "indicator work: one of [\"UNEMPLOYED\", \"SELF-EMPLOYED\", EMPLOYED]\n";
        // `"UNEMPLOYED"` and `UNEMPLOYED` are one member: with the rest listed, `otherwise` is
        // never used.
        assert_eq!(
            rule_range(
                &format!("{decls}rule r by work {{\n UNEMPLOYED => add 1\n \"SELF-EMPLOYED\", \"EMPLOYED\" => add 5\n otherwise => deduct 100\n}}\n"),
                "r"
            ),
            (some("1"), some("5"))
        );
        // Narrowed by a quoted member in the condition, only its bin is reached.
        assert_eq!(
            rule_range(
                &format!("{decls}rule r by work {{\n when work is \"SELF-EMPLOYED\"\n UNEMPLOYED => add 1\n \"SELF-EMPLOYED\" => add 5\n EMPLOYED => add 9\n}}\n"),
                "r"
            ),
            (some("0"), some("5"))
        );
    }

    #[test]
    fn each_bin_narrows_its_subject() {
        // a is 0 to 4 in the first bin and 5 to 12 in the second.
        assert_eq!(
            range("by a {\n 0 to 4 => add a\n at 5 and above => deduct a\n}"),
            (some("-12"), some("4"))
        );
        // The rule's condition narrows the subject first: the first bin is unreachable.
        assert_eq!(
            range("by a {\n when a >= 6\n 0 to 5 => add 100\n 6 to 12 => add 1\n}"),
            (some("0"), some("1"))
        );
    }
}
