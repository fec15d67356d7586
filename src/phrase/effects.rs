//! Phrasing points and effects: amounts with `per`, caps and group weights, scorecard arms, and
//! each rule as one sentence.

use super::*;
use crate::syntax::ast::Counts;

impl Phraser<'_, '_> {
    /// An amount of points: "20 points", "the late tax penalty (20 points)", "points equal to …".
    pub fn points_amount(&self, expr: &Expr) -> String {
        match &expr.node {
            ExprKind::Number(n) if n.is_zero() => "no points".to_string(),
            ExprKind::Number(n) => points(*n),
            ExprKind::Name(_) => match self.model.resolution(expr.span) {
                Some(Resolved::Param(p)) => self.param_points(p),
                _ => format!("as many points as {}", self.value(expr)),
            },
            _ => format!("points equal to {}", self.value(expr)),
        }
    }

    /// "for each late tax payment" / "multiplied by the arrears ratio".
    pub(super) fn per(&self, per: &Expr) -> String {
        match &per.node {
            ExprKind::Name(raw) => match self.model.resolution(per.span) {
                Some(Resolved::Indicator(_) | Resolved::Let(_)) => {
                    format!("for each {}", singular(&humanise(raw)))
                }
                _ => format!("multiplied by {}", self.value(per)),
            },
            _ => format!("multiplied by {}", self.value(per)),
        }
    }

    /// An effect without its condition: "deduct the late tax penalty (20 points) for each late
    /// tax payment, but at most the late tax cap (200 points)".
    pub fn effect(&self, effect: &ast::Effect) -> String {
        let mut text = format!(
            "{} {}",
            verb(effect.verb.node),
            self.points_amount(&effect.amount)
        );
        if let Some(per) = &effect.per {
            text.push(' ');
            text.push_str(&self.per(per));
        }
        let caps: Vec<String> = effect
            .caps
            .iter()
            .map(|cap| {
                let bound = self.points_amount(&cap.value);
                match cap.kind {
                    CapKind::AtMost => format!("at most {bound}"),
                    CapKind::AtLeast => format!("at least {bound}"),
                }
            })
            .collect();
        if !caps.is_empty() {
            text.push_str(", but ");
            text.push_str(&join_and(&caps));
        }
        text
    }

    /// The one sentence that says what rule `index` does.
    pub fn rule_sentence(&self, index: usize) -> String {
        let Some(info) = self.model.rules.get(index) else {
            return String::new();
        };
        let rule = info.decl;
        let mut condition = None;
        let mut effect = None;
        let mut bins = Vec::new();
        for item in &rule.items {
            match &item.node {
                RuleItem::When(e) => condition = Some(e),
                RuleItem::Effect(e) => effect = Some(e),
                RuleItem::Bin(b) => bins.push(b),
                _ => {}
            }
        }
        let mut text = match (effect, &rule.by) {
            (Some(effect), _) => capitalise(&self.effect(effect)),
            (None, Some(subject)) => {
                let unit = self.subject_unit(index);
                let arms: Vec<String> = bins
                    .iter()
                    .map(|bin| {
                        format!(
                            "{} when it is {}",
                            self.bin_points(bin),
                            self.bin_pattern(&bin.pattern.node, unit.as_deref())
                        )
                    })
                    .collect();
                let subject = match self.model.resolution(subject.span) {
                    Some(Resolved::Indicator(_) | Resolved::Let(_)) | None => {
                        humanise(&subject.node)
                    }
                    Some(_) => self.value(&Expr {
                        node: ExprKind::Name(subject.node.clone()),
                        span: subject.span,
                    }),
                };
                format!("Score by {subject}: {}", arms.join("; "))
            }
            (None, None) => "Change no points".to_string(),
        };
        if let Some(c) = condition {
            text.push_str(", when ");
            text.push_str(&self.condition(c));
        }
        text.push('.');
        if let Some(group) = self.group_sentence(index) {
            text.push(' ');
            text.push_str(&group);
        }
        text
    }

    /// "Its points count 1.5 times (the community weight), the weight of the group …".
    pub fn group_sentence(&self, rule: usize) -> Option<String> {
        let g = self.model.rules.get(rule)?.group?;
        let group = self.model.groups.get(g)?;
        let label = match &group.decl.title {
            Some(t) => format!("“{}”", t.node),
            None => format!("“{}”", humanise(&group.decl.name.node)),
        };
        let counts = match group.decl.counts.as_ref().map(|c| c.node) {
            Some(Counts::Highest) => {
                " Of the group's rules that apply, only the one that gives the most points counts."
            }
            Some(Counts::Lowest) => {
                " Of the group's rules that apply, only the one that gives the fewest points (the largest deduction) counts."
            }
            None => "",
        };
        if group.weight == Decimal::ONE {
            return Some(format!("It belongs to the group {label}.{counts}"));
        }
        let weight = match &group.decl.weight {
            Some(
                w @ Expr {
                    node: ExprKind::Name(_),
                    ..
                },
            ) => match self.model.resolution(w.span) {
                Some(Resolved::Param(p)) => format!(
                    "{} ({})",
                    number(group.weight),
                    self.model
                        .params
                        .get(p)
                        .map(|p| format!("the {}", humanise(&p.decl.name.node)))
                        .unwrap_or_default()
                ),
                _ => number(group.weight),
            },
            _ => number(group.weight),
        };
        Some(format!(
            "It belongs to the group {label}, whose points are multiplied by {weight}.{counts}"
        ))
    }

    /// The unit of a scorecard's subject.
    pub fn subject_unit(&self, rule: usize) -> Option<String> {
        match self.model.rules.get(rule)?.subject? {
            Resolved::Indicator(i) => self.model.indicators.get(i)?.unit.clone(),
            _ => None,
        }
    }

    /// A scorecard arm's points: "add the clean driving bonus (10 points)", "add no points".
    pub fn bin_points(&self, bin: &ast::Bin) -> String {
        format!(
            "{} {}",
            verb(bin.verb.node),
            self.points_amount(&bin.amount)
        )
    }

    /// A scorecard pattern: "0", "1 to 5", "at least 6 and below 12", "employed or self
    /// employed", "not known", "any other value".
    pub fn bin_pattern(&self, pattern: &BinPattern, unit: Option<&str>) -> String {
        match pattern {
            BinPattern::Missing => "not known".to_string(),
            BinPattern::Otherwise => "any other value".to_string(),
            BinPattern::Values(values) => {
                let parts: Vec<String> = values
                    .iter()
                    .map(|v| self.interval(&v.node, unit, false))
                    .collect();
                join_or(&parts)
            }
        }
    }

    pub(super) fn bound(&self, bound: &Bound, unit: Option<&str>) -> String {
        match bound {
            Bound::Number(n) => match unit {
                Some(u) => count_of(n.node, u),
                None => number(n.node),
            },
            Bound::Param(p) => match self.model.resolution(p.span) {
                Some(Resolved::Param(i)) => match (self.model.params.get(i), unit) {
                    (Some(param), Some(u)) if param_unit(self.model, i).is_none() => format!(
                        "the {} ({})",
                        humanise(&param.decl.name.node),
                        count_of(param.value, u)
                    ),
                    _ => self.param(i),
                },
                _ => humanise(&p.node),
            },
        }
    }

    /// A set of values in words; `tier`: bounds of a tier ("… points").
    pub(super) fn interval(&self, interval: &Interval, unit: Option<&str>, tier: bool) -> String {
        match interval {
            Interval::Exactly(l) => match (l, unit) {
                (Literal::Number(n), Some(u)) => count_of(n.node, u),
                _ => self.literal(l),
            },
            Interval::Range { lo, hi } => {
                // The unit goes with the last number said.
                let first = |e: &ast::RangeEnd| self.bound(&e.bound, None);
                let last = |e: &ast::RangeEnd| self.bound(&e.bound, unit);
                match (lo, hi) {
                    (Some(a), Some(b)) => match (a.inclusive, b.inclusive, tier) {
                        (true, true, _) => format!("{} to {}", first(a), last(b)),
                        (true, false, true) => {
                            format!("from {} up to but not including {}", first(a), last(b))
                        }
                        (true, false, false) => {
                            format!("at least {} and below {}", first(a), last(b))
                        }
                        (false, true, true) => {
                            format!("above {} up to and including {}", first(a), last(b))
                        }
                        (false, true, false) => {
                            format!("more than {} and at most {}", first(a), last(b))
                        }
                        (false, false, true) => format!("above {} and below {}", first(a), last(b)),
                        (false, false, false) => {
                            format!("more than {} and below {}", first(a), last(b))
                        }
                    },
                    (Some(a), None) => match (a.inclusive, tier) {
                        (true, true) => format!("{} and above", last(a)),
                        (true, false) => format!("{} or more", last(a)),
                        (false, true) => format!("above {}", last(a)),
                        (false, false) => format!("more than {}", last(a)),
                    },
                    (None, Some(b)) => match (b.inclusive, tier) {
                        (false, _) => format!("below {}", last(b)),
                        (true, true) => format!("{} and below", last(b)),
                        (true, false) => format!("{} or less", last(b)),
                    },
                    (None, None) => "any value".to_string(),
                }
            }
        }
    }

    /// A tier's band: "1100 points and above", "from 1050 up to but not including 1100 points".
    pub fn tier_bounds(&self, index: usize) -> String {
        match self.model.tiers.get(index) {
            Some(t) => self.interval(&t.decl.bounds.node, Some("points"), true),
            None => String::new(),
        }
    }
}
