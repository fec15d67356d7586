//! Rules: their shape (one effect, or bins), the types of their conditions and points, scorecard
//! bins (values of the right kind, no overlap, every value covered), and group weights.

use super::err::{duplicate_clause, CheckError};
use super::exprs::Scope;
use super::intervals::{sweep, Interval};
use super::members::Lookup;
use super::model::*;
use super::Checker;
use crate::diagnostics::Code;
use crate::span::Span;
use crate::syntax::ast::{self, BinPattern, Bound, CapKind, Expr, ExprKind, Literal, RuleItem};
use rust_decimal::Decimal;
use std::collections::HashMap;

impl<'a> Checker<'a> {
    pub(super) fn rules(&mut self) {
        for index in 0..self.model.groups.len() {
            self.group(index);
        }
        for index in 0..self.model.rules.len() {
            self.rule(index);
        }
    }

    fn group(&mut self, index: usize) {
        let Some(decl) = self.model.groups.get(index).map(|g| g.decl) else {
            return;
        };
        let Some(weight) = &decl.weight else {
            return;
        };
        let mut scope = Scope::default();
        let site = format!("the weight of group `{}`", decl.name.node);
        if self.expect(weight, Type::Number, "a group weight", &mut scope) == Type::Error {
            return;
        }
        self.forbid_protected(&scope.refs, &site);
        self.forbid_after_rules(&scope.refs, &site);
        match self.constant(weight) {
            Some(value) if value > Decimal::ZERO => {
                if let Some(g) = self.model.groups.get_mut(index) {
                    g.weight = value;
                }
            }
            Some(value) => self.report(
                CheckError::new(
                    Code::InvalidRange,
                    weight.span,
                    format!("the weight of group `{}` is {value}, but a weight must be above 0", decl.name.node),
                    "not a positive weight",
                )
                .with_help("to make the group's rules take points away, write `deduct` in the rules instead"),
            ),
            None => self.report(
                CheckError::new(
                    Code::NotConstant,
                    weight.span,
                    format!("the weight of group `{}` must be fixed in the policy", decl.name.node),
                    "depends on the record",
                )
                .with_help("a weight may use numbers and params only; move record-dependent logic into the rules"),
            ),
        }
    }

    /// The value of an expression made of numbers, params and arithmetic, if it is one.
    pub(super) fn constant(&self, expr: &Expr) -> Option<Decimal> {
        match &expr.node {
            ExprKind::Number(n) => Some(*n),
            ExprKind::Name(name) => match self.model.lookup(name) {
                Some(Symbol::Param(p)) => self.model.params.get(p).map(|p| p.value),
                _ => None,
            },
            ExprKind::Unary(ast::UnaryOp::Neg, e) => self.constant(e).map(|v| -v),
            ExprKind::Binary(op, a, b) => {
                let (a, b) = (self.constant(a)?, self.constant(b)?);
                match op {
                    ast::BinaryOp::Add => a.checked_add(b),
                    ast::BinaryOp::Sub => a.checked_sub(b),
                    ast::BinaryOp::Mul => a.checked_mul(b),
                    ast::BinaryOp::Div => a.checked_div(b),
                    ast::BinaryOp::Pow => crate::runtime::arith::pow(a, b).ok(),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn rule(&mut self, index: usize) {
        let Some(decl) = self.model.rules.get(index).map(|r| r.decl) else {
            return;
        };
        let site = format!("rule `{}`", decl.name.node);
        let mut scope = Scope::default();
        let mut seen: HashMap<&'static str, Span> = HashMap::new();
        let mut effects = 0;
        let mut bins = Vec::new();
        for item in &decl.items {
            let clause = match &item.node {
                RuleItem::Allow(_) => continue,
                RuleItem::When(_) => Some("the `when` condition"),
                RuleItem::Basis(_) => Some("the basis"),
                RuleItem::Reason(_) => Some("the reason"),
                RuleItem::Baseline(_) => Some("the baseline"),
                RuleItem::Effect(_) | RuleItem::Bin(_) => None,
            };
            // A repeated clause is reported, and still checked so that its own mistakes show too.
            if let Some(clause) = clause {
                if let Some(first) = seen.get(clause) {
                    let first = *first;
                    self.report(duplicate_clause(clause, item.span, first));
                } else {
                    seen.insert(clause, item.span);
                }
            }
            match &item.node {
                RuleItem::When(condition) => {
                    self.expect(
                        condition,
                        Type::Bool,
                        "a rule's `when` condition",
                        &mut scope,
                    );
                }
                RuleItem::Effect(effect) => {
                    effects += 1;
                    if effects > 1 {
                        self.report(
                            CheckError::new(
                                Code::RuleShape,
                                item.span,
                                format!("rule `{}` has more than one effect", decl.name.node),
                                "a second effect",
                            )
                            .with_help("a rule adds or deducts once; split it into two rules"),
                        );
                    }
                    self.effect(effect, &mut scope);
                }
                RuleItem::Bin(bin) => {
                    self.expect(&bin.amount, Type::Number, "the points of a bin", &mut scope);
                    bins.push(bin);
                }
                RuleItem::Basis(_)
                | RuleItem::Reason(_)
                | RuleItem::Baseline(_)
                | RuleItem::Allow(_) => {}
            }
        }
        match &decl.by {
            None if effects == 0 => self.report(
                CheckError::new(
                    Code::RuleShape,
                    decl.name.span,
                    format!("rule `{}` has no effect", decl.name.node),
                    "adds or deducts nothing",
                )
                .with_help("add a line such as `deduct 10` or `add bonus_points`"),
            ),
            None => {}
            Some(subject) => self.scorecard(index, decl, subject, &bins, &mut scope),
        }
        self.forbid_protected(&scope.refs, &site);
        self.forbid_after_rules(&scope.refs, &site);
        if !seen.contains_key("the basis") {
            self.report(
                CheckError::new(
                    Code::MissingRuleBasis,
                    decl.name.span,
                    format!("rule `{}` does not cite a basis", decl.name.node),
                    "no `basis`",
                )
                .with_help(
                    "add `basis \"…\"` naming the law or policy clause that authorises this rule",
                ),
            );
        }
        if !seen.contains_key("the reason") {
            self.report(
                CheckError::new(
                    Code::MissingReason,
                    decl.name.span,
                    format!("rule `{}` gives no reason", decl.name.node),
                    "no `reason`",
                )
                .with_help("add `reason \"…\"`: the sentence an affected person reads when this rule counts against them"),
            );
        }
    }

    fn effect(&mut self, effect: &ast::Effect, scope: &mut Scope) {
        self.expect(&effect.amount, Type::Number, "the points of a rule", scope);
        if let Some(per) = &effect.per {
            self.expect(per, Type::Number, "`per`", scope);
        }
        let mut seen: [Option<Span>; 2] = [None, None];
        for cap in &effect.caps {
            let (slot, what) = match cap.kind {
                CapKind::AtMost => (0, "`at most`"),
                CapKind::AtLeast => (1, "`at least`"),
            };
            if let Some(first) = seen.get(slot).copied().flatten() {
                self.report(duplicate_clause(what, cap.span, first));
            } else if let Some(s) = seen.get_mut(slot) {
                *s = Some(cap.span);
            }
            self.expect(&cap.value, Type::Number, "a cap", scope);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Scorecards

    fn scorecard(
        &mut self,
        index: usize,
        decl: &ast::Rule,
        subject: &ast::Ident,
        bins: &[&ast::Bin],
        scope: &mut Scope,
    ) {
        let resolved = match self.model.lookup(&subject.node) {
            Some(Symbol::Indicator(i)) => Resolved::Indicator(i),
            Some(Symbol::Let(l)) => Resolved::Let(l),
            Some(Symbol::Output(o)) => Resolved::Output(o),
            Some(other) => {
                self.report(
                    CheckError::new(
                        Code::WrongKindOfName,
                        subject.span,
                        format!(
                            "a scorecard bins an indicator, a derived value or a table's output, but `{}` is {}",
                            subject.node,
                            other.a_kind()
                        ),
                        other.a_kind().to_string(),
                    )
                    .with_help("write `by` followed by the name of an indicator, a `let` or a table's output"),
                );
                return;
            }
            None => {
                self.unknown(&subject.node, subject.span, |s| {
                    matches!(s, Symbol::Indicator(_) | Symbol::Let(_) | Symbol::Output(_))
                });
                return;
            }
        };
        let symbol = match resolved {
            Resolved::Indicator(i) => Symbol::Indicator(i),
            Resolved::Let(l) => Symbol::Let(l),
            Resolved::Output(o) => Symbol::Output(o),
            _ => return,
        };
        self.model.resolutions.insert(subject.span, resolved);
        self.used.insert(symbol);
        scope.refs.push((resolved, subject.span));
        if let Some(r) = self.model.rules.get_mut(index) {
            r.subject = Some(resolved);
        }
        if bins.is_empty() {
            self.report(
                CheckError::new(
                    Code::RuleShape,
                    decl.name.span,
                    format!("scorecard `{}` has no bins", decl.name.node),
                    "no bins",
                )
                .with_help("add lines such as `0 to 5 => add 10`"),
            );
            return;
        }

        let mut missing_arm: Option<Span> = None;
        let mut otherwise_arm: Option<Span> = None;
        for bin in bins {
            let slot = match bin.pattern.node {
                BinPattern::Missing => &mut missing_arm,
                BinPattern::Otherwise => &mut otherwise_arm,
                BinPattern::Values(_) => continue,
            };
            match slot {
                Some(first) => {
                    let first = *first;
                    let what = if matches!(bin.pattern.node, BinPattern::Missing) {
                        "the `missing` bin"
                    } else {
                        "the `otherwise` bin"
                    };
                    self.problems
                        .push(duplicate_clause(what, bin.pattern.span, first));
                }
                None => *slot = Some(bin.pattern.span),
            }
        }
        let values: Vec<&crate::span::Node<ast::Interval>> = bins
            .iter()
            .filter_map(|b| match &b.pattern.node {
                BinPattern::Values(v) => Some(v.iter()),
                _ => None,
            })
            .flatten()
            .collect();

        let (ty, kind, min, max) = match resolved {
            Resolved::Indicator(i) => match self.model.indicators.get(i) {
                Some(info) => (
                    info.kind.value_type(i),
                    Some(info.kind.clone()),
                    info.min,
                    info.max,
                ),
                None => return,
            },
            Resolved::Output(o) => match self.model.outputs.get(o) {
                Some(info) => (info.ty(o), Some(info.kind.clone()), info.min, info.max),
                None => return,
            },
            _ => (
                self.model
                    .lets
                    .get(match resolved {
                        Resolved::Let(l) => l,
                        _ => 0,
                    })
                    .map_or(Type::Error, |l| l.ty),
                None,
                None,
                None,
            ),
        };
        let covered_by_otherwise = otherwise_arm.is_some();
        match ty {
            Type::Number => {
                let whole = kind.as_ref().is_some_and(ValueKind::is_whole);
                self.numeric_bins(
                    decl,
                    subject,
                    &values,
                    min,
                    max,
                    whole,
                    covered_by_otherwise,
                );
            }
            Type::Enum(_) | Type::Outcome(_) => {
                self.named_bins(decl, subject, &values, ty, covered_by_otherwise)
            }
            Type::Bool => self.bool_bins(decl, subject, &values, covered_by_otherwise),
            Type::Text => self.text_bins(decl, subject, &values, covered_by_otherwise),
            Type::Tier | Type::Error => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn numeric_bins(
        &mut self,
        decl: &ast::Rule,
        subject: &ast::Ident,
        values: &[&crate::span::Node<ast::Interval>],
        min: Option<Decimal>,
        max: Option<Decimal>,
        whole: bool,
        has_otherwise: bool,
    ) {
        let mut intervals = Vec::new();
        let mut spans = Vec::new();
        for value in values {
            if let Some(iv) = self.numeric_interval(value) {
                if iv.is_empty(None) {
                    self.report(
                        CheckError::new(
                            Code::InvalidRange,
                            value.span,
                            format!("the bin `{}` contains no value", value_text(value)),
                            "empty bin",
                        )
                        .with_help("write the lower end first"),
                    );
                    continue;
                }
                if whole && iv.is_empty(Some(Decimal::ONE)) {
                    // In order, but with both ends left out there is no whole number between.
                    self.report(
                        CheckError::new(
                            Code::InvalidRange,
                            value.span,
                            format!(
                                "the bin `{}` holds no whole number, and this scorecard's values are whole",
                                value_text(value)
                            ),
                            "no whole number in this bin",
                        )
                        .with_help("take one of its ends in (`to` instead of `below`, `from` instead of `above`), or remove the bin"),
                    );
                    continue;
                }
                intervals.push(iv);
                spans.push(value.span);
            }
        }
        let domain = Interval {
            lo: min.map(|v| super::intervals::End {
                value: v,
                inclusive: true,
            }),
            hi: max.map(|v| super::intervals::End {
                value: v,
                inclusive: true,
            }),
        };
        let coverage = sweep(domain, &intervals, whole.then_some(Decimal::ONE));
        for overlap in &coverage.overlaps {
            let (Some(first), Some(second)) = (spans.get(overlap.first), spans.get(overlap.second))
            else {
                continue;
            };
            self.report(
                CheckError::new(
                    Code::BinsOverlap,
                    *second,
                    format!(
                        "bins of scorecard `{}` overlap: {} falls in two bins",
                        decl.name.node, overlap.shared
                    ),
                    "this bin",
                )
                .with_secondary(*first, "overlaps this one")
                .with_help("every value must fall in exactly one bin; move one of the bounds"),
            );
        }
        if !has_otherwise && !coverage.gaps.is_empty() {
            let gaps: Vec<String> = coverage
                .gaps
                .iter()
                .take(3)
                .map(|g| g.to_string())
                .collect();
            let more = if coverage.gaps.len() > 3 {
                " (and more)"
            } else {
                ""
            };
            self.report(
                CheckError::new(
                    Code::BinsNotExhaustive,
                    subject.span,
                    format!(
                        "bins of scorecard `{}` do not cover {} {}{more}",
                        decl.name.node,
                        if coverage.gaps.len() == 1 && coverage.gaps.iter().all(|g| g.lo == g.hi) {
                            "the value"
                        } else {
                            "the values"
                        },
                        crate::text::join_and(&gaps)
                    ),
                    "some values of this fall in no bin",
                )
                .with_help("add bins for those values, or an `otherwise => …` bin"),
            );
        }
    }

    /// A numeric bin as an interval; reports values of the wrong kind.
    fn numeric_interval(&mut self, value: &crate::span::Node<ast::Interval>) -> Option<Interval> {
        Some(match &value.node {
            ast::Interval::Exactly(Literal::Number(n)) => Interval::point(n.node),
            ast::Interval::Exactly(Literal::Name(n)) => {
                Interval::point(self.bound(&Bound::Param(n.clone()))?)
            }
            ast::Interval::Exactly(other) => {
                self.report(super::err::type_mismatch(
                    other.span(),
                    "a number",
                    "not a number",
                    "a bin of a numeric scorecard",
                ));
                return None;
            }
            ast::Interval::Range { lo, hi } => self.range(lo.as_ref(), hi.as_ref())?,
        })
    }

    /// A written range with its bounds' values (both are checked, even when the first fails).
    pub(super) fn range(
        &mut self,
        lo: Option<&ast::RangeEnd>,
        hi: Option<&ast::RangeEnd>,
    ) -> Option<Interval> {
        Interval::of_range(lo, hi, |b| self.bound(b).ok_or(())).ok()
    }

    /// The value of a bin or tier bound: a number, or a param's value.
    pub(super) fn bound(&mut self, bound: &Bound) -> Option<Decimal> {
        match bound {
            Bound::Number(n) => Some(n.node),
            Bound::Param(name) => {
                match self.model.lookup(&name.node) {
                    Some(Symbol::Param(p)) => {
                        self.model.resolutions.insert(name.span, Resolved::Param(p));
                        self.used.insert(Symbol::Param(p));
                        self.model.params.get(p).map(|p| p.value)
                    }
                    Some(other) => {
                        self.report(
                        CheckError::new(
                            Code::WrongKindOfName,
                            name.span,
                            format!("a bound must be a number or a param, but `{}` is {}", name.node, other.a_kind()),
                            other.a_kind().to_string(),
                        )
                        .with_help("bounds are fixed in the policy: write a number or declare a `param`"),
                    );
                        None
                    }
                    None => {
                        self.unknown(&name.node, name.span, |s| matches!(s, Symbol::Param(_)));
                        None
                    }
                }
            }
        }
    }

    fn named_bins(
        &mut self,
        decl: &ast::Rule,
        subject: &ast::Ident,
        values: &[&crate::span::Node<ast::Interval>],
        list: Type,
        has_otherwise: bool,
    ) {
        // The list's owner: an indicator, or a table's output.
        let (enum_name, decl_span) = match list {
            Type::Enum(i) => match self.model.indicators.get(i) {
                Some(info) => (info.decl.name.node.clone(), info.decl.ty.span),
                None => return,
            },
            Type::Outcome(o) => match self.model.outputs.get(o) {
                Some(info) => (info.decl.name.node.clone(), info.decl.ty.span),
                None => return,
            },
            _ => return,
        };
        let Some(members) = self.model.members(list).map(<[String]>::to_vec) else {
            return;
        };
        let mut first_seen: Vec<Option<Span>> = vec![None; members.len()];
        for value in values {
            // A member is written as a name or quoted, the same as everywhere else.
            let lookup = match &value.node {
                ast::Interval::Exactly(literal) => self.member_literal(list, literal),
                ast::Interval::Range { .. } => Lookup::NotWritten,
            };
            let member = match lookup {
                Lookup::Found(member) => member,
                Lookup::Reported => continue,
                Lookup::NotWritten => {
                    self.report(
                        CheckError::new(
                            Code::TypeMismatch,
                            value.span,
                            format!("bins over `{enum_name}` list its values, named or quoted"),
                            "not one of its values",
                        )
                        .with_help(format!("the values are {}", super::declare::list(&members))),
                    );
                    continue;
                }
            };
            match first_seen.get(member).copied().flatten() {
                Some(first) => self.report(listed_twice(
                    decl,
                    &format!(
                        "`{}`",
                        crate::syntax::print::member(
                            members.get(member).map_or("", String::as_str)
                        )
                    ),
                    value.span,
                    first,
                )),
                None => {
                    if let Some(slot) = first_seen.get_mut(member) {
                        *slot = Some(value.span);
                    }
                }
            }
        }
        let uncovered: Vec<String> = members
            .iter()
            .zip(&first_seen)
            .filter(|(_, seen)| seen.is_none())
            .map(|(m, _)| format!("`{}`", crate::syntax::print::member(m)))
            .collect();
        if !has_otherwise && !uncovered.is_empty() {
            self.report(
                not_covered(decl, subject, &uncovered)
                    .with_secondary(decl_span, "the values are declared here")
                    .with_help("add bins for those values, or an `otherwise => …` bin"),
            );
        }
    }

    fn bool_bins(
        &mut self,
        decl: &ast::Rule,
        subject: &ast::Ident,
        values: &[&crate::span::Node<ast::Interval>],
        has_otherwise: bool,
    ) {
        let mut seen: [Option<Span>; 2] = [None, None];
        for value in values {
            let ast::Interval::Exactly(Literal::Bool(b)) = &value.node else {
                self.report(super::err::type_mismatch(
                    value.span,
                    "`yes` or `no`",
                    "something else",
                    "a bin of a yes/no scorecard",
                ));
                continue;
            };
            let slot = usize::from(b.node);
            match seen.get(slot).copied().flatten() {
                Some(first) => self.report(listed_twice(
                    decl,
                    if b.node { "`yes`" } else { "`no`" },
                    value.span,
                    first,
                )),
                None => {
                    if let Some(s) = seen.get_mut(slot) {
                        *s = Some(value.span);
                    }
                }
            }
        }
        let uncovered: Vec<String> = [("`no`", seen[0]), ("`yes`", seen[1])]
            .iter()
            .filter(|(_, s)| s.is_none())
            .map(|(w, _)| (*w).to_string())
            .collect();
        if !has_otherwise && !uncovered.is_empty() {
            self.report(
                not_covered(decl, subject, &uncovered)
                    .with_help("add a bin for each of `yes` and `no`"),
            );
        }
    }

    fn text_bins(
        &mut self,
        decl: &ast::Rule,
        subject: &ast::Ident,
        values: &[&crate::span::Node<ast::Interval>],
        has_otherwise: bool,
    ) {
        let mut seen: HashMap<&str, Span> = HashMap::new();
        for value in values {
            let ast::Interval::Exactly(Literal::Text(t)) = &value.node else {
                self.report(super::err::type_mismatch(
                    value.span,
                    "a quoted text",
                    "something else",
                    "a bin of a text scorecard",
                ));
                continue;
            };
            if let Some(first) = seen.get(t.node.as_str()) {
                let first = *first;
                self.report(listed_twice(
                    decl,
                    &crate::syntax::print::quote(&t.node),
                    value.span,
                    first,
                ));
            } else {
                seen.insert(t.node.as_str(), value.span);
            }
        }
        if !has_otherwise {
            self.report(
                CheckError::new(
                    Code::BinsNotExhaustive,
                    subject.span,
                    format!(
                        "bins of scorecard `{}` cannot cover every text",
                        decl.name.node
                    ),
                    "a text can take any value",
                )
                .with_help("add an `otherwise => …` bin for the texts not listed"),
            );
        }
    }
}

/// A bin's values as the drafter wrote them.
fn value_text(value: &crate::span::Node<ast::Interval>) -> String {
    match &value.node {
        ast::Interval::Range { .. } => crate::syntax::print::interval(&value.node),
        ast::Interval::Exactly(_) => "this value".to_string(),
    }
}

/// Two bins of one scorecard list the same value.
fn listed_twice(decl: &ast::Rule, value: &str, span: Span, first: Span) -> CheckError {
    CheckError::new(
        Code::BinsOverlap,
        span,
        format!(
            "bins of scorecard `{}` overlap: {value} is listed twice",
            decl.name.node
        ),
        "listed again",
    )
    .with_secondary(first, "first listed here")
}

/// A scorecard over named values (enum members, `yes`/`no`) leaves some without a bin.
fn not_covered(decl: &ast::Rule, subject: &ast::Ident, uncovered: &[String]) -> CheckError {
    CheckError::new(
        Code::BinsNotExhaustive,
        subject.span,
        format!(
            "bins of scorecard `{}` do not cover {}",
            decl.name.node,
            crate::text::join_and(uncovered)
        ),
        "some values of this fall in no bin",
    )
}

impl Checker<'_> {
    /// Reports the values a rule (at `site`) reads that are computed after the rules.
    fn forbid_after_rules(&mut self, refs: &[(Resolved, Span)], site: &str) {
        for (r, span) in refs {
            if !self.model.after_rules(*r) {
                continue;
            }
            let name = match r {
                Resolved::Let(l) => self.model.lets.get(*l).map(|x| x.decl.name.node.clone()),
                Resolved::Output(o) => self.model.outputs.get(*o).map(|x| x.decl.name.node.clone()),
                _ => None,
            }
            .unwrap_or_default();
            self.report(
                CheckError::new(
                    Code::OutOfContext,
                    *span,
                    format!("{site} reads `{name}`, which depends on what the rules did, so it is only known after every rule has been applied"),
                    "known only after the rules",
                )
                .with_help("a rule can read only values computed before the rules; use the score or the rules' points in a consequence, a derived value or a table instead"),
            );
        }
    }
}
