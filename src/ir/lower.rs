//! Lowering: checked model → [`Policy`].
//!
//! Every name is looked up in the checker's resolutions by the span it was written at; nothing is
//! resolved again. The AST's dates, durations, consequence kinds and rounding modes are mapped
//! onto the IR's own types here. Params are folded into constants with their final values, so the evaluator never
//! looks a param up.

use super::*;
use crate::check::intervals::{self, Interval};
use crate::check::{self, Model, Resolved, Symbol};
use crate::span::Span;
use crate::syntax::ast::{
    self, BinPattern, BinaryOp, ConsequenceItem, ExprKind, Literal, RuleItem, UnaryOp,
};
use sha2::{Digest, Sha256};

mod consequences;
mod tables;

type Result<T> = std::result::Result<T, LowerError>;

/// Lowers a checked policy. `source` is the policy text (its hash identifies the policy). Params
/// have the values the checker checked, `--set` overrides included; the identity lists those.
pub fn lower(model: &Model<'_>, source: &str) -> Result<Policy> {
    Lowering::new(model)?.policy(source)
}

struct Lowering<'m, 'a> {
    model: &'m Model<'a>,
    /// Final param values, by param index.
    params: Vec<Decimal>,
    /// IR index of each derived value, by checker index.
    let_position: Vec<usize>,
}

fn internal(message: impl Into<String>) -> LowerError {
    LowerError::Internal {
        message: message.into(),
    }
}

impl<'m, 'a> Lowering<'m, 'a> {
    fn new(model: &'m Model<'a>) -> Result<Self> {
        let mut let_position = vec![usize::MAX; model.lets.len()];
        for (position, &index) in model.let_order.iter().enumerate() {
            if let Some(slot) = let_position.get_mut(index) {
                *slot = position;
            }
        }
        if let_position.contains(&usize::MAX) {
            return Err(internal(
                "a derived value has no place in the evaluation order",
            ));
        }
        Ok(Lowering {
            model,
            params: model.params.iter().map(|p| p.value).collect(),
            let_position,
        })
    }

    fn policy(&self, source: &str) -> Result<Policy> {
        let header = &self.model.header;
        let analysis = self
            .model
            .analysis
            .as_ref()
            .ok_or_else(|| internal("the policy was lowered without its range analysis"))?;
        let overrides = self
            .model
            .params
            .iter()
            .filter(|p| p.overridden.is_some())
            .map(|p| (p.decl.name.node.clone(), p.value))
            .collect();
        let identity = Identity {
            name: header.name.clone(),
            version: header.version.clone().unwrap_or_default(),
            effective: header.effective.map(date),
            content_hash: hex(&Sha256::digest(source.as_bytes())),
            overrides,
        };
        let scale = Scale {
            min: header.min,
            max: header.max,
            start: header.start,
            decimals: header.decimals,
            rounding: check::rounding(header.rounding),
            higher_is_worse: header.higher_is_worse,
        };
        let inputs = self.model.indicators.iter().map(input).collect();
        let mut lets = Vec::with_capacity(self.model.lets.len());
        for &index in &self.model.let_order {
            let info = self
                .model
                .lets
                .get(index)
                .ok_or_else(|| internal("derived value out of range"))?;
            lets.push(Let {
                name: info.decl.name.node.clone(),
                docs: info.decl.docs.clone(),
                value: self.expr(&info.decl.value)?,
                enum_of: match info.ty {
                    check::Type::Enum(input) => Some(input),
                    _ => None,
                },
            });
        }
        let mut rules = Vec::with_capacity(self.model.rules.len());
        for (index, info) in self.model.rules.iter().enumerate() {
            let mut rule = self.rule(index, info)?;
            let range = analysis
                .rules
                .get(index)
                .ok_or_else(|| internal("a rule has no range"))?;
            rule.least = range.least;
            rule.most = range.most;
            rules.push(rule);
        }
        let mut tiers = Vec::with_capacity(self.model.tiers.len());
        for info in &self.model.tiers {
            tiers.push(Tier {
                name: info.decl.name.node.clone(),
                title: info.decl.title.as_ref().map(|t| t.node.clone()),
                docs: info.decl.docs.clone(),
                range: self.band(&info.decl.bounds.node)?,
            });
        }
        let mut consequences = Vec::with_capacity(self.model.consequences.len());
        for info in &self.model.consequences {
            consequences.push(self.consequence(info.decl)?);
        }
        let mut tests = Vec::with_capacity(self.model.tests.len());
        for test in &self.model.tests {
            tests.push(self.test(test)?);
        }
        let params = self
            .model
            .params
            .iter()
            .zip(&self.params)
            .map(|(p, value)| Param {
                name: p.decl.name.node.clone(),
                docs: p.decl.docs.clone(),
                value: *value,
                unit: p.decl.unit.as_ref().map(|u| u.node.clone()),
            })
            .collect();
        Ok(Policy {
            identity,
            docs: header.docs.clone(),
            scale,
            inputs,
            lets,
            tables: self.tables()?,
            picks: self
                .model
                .groups
                .iter()
                .enumerate()
                .filter_map(|(g, info)| {
                    let counts = info.decl.counts.as_ref()?;
                    Some(Pick {
                        rules: self.group_rules(g).collect(),
                        highest: counts.node == ast::Counts::Highest,
                    })
                })
                .collect(),
            outputs: self.outputs(),
            steps: self.steps(false)?,
            after_rules: self.steps(true)?,
            rules,
            tiers,
            consequences,
            consequence_order: self.model.consequence_order.clone(),
            tests,
            params,
            reach: Reach {
                lo: analysis.before.lo.map(|e| e.value),
                hi: analysis.before.hi.map(|e| e.value),
            },
        })
    }

    // ---------------------------------------------------------------------------------------------
    // Rules

    fn rule(&self, index: usize, info: &check::RuleInfo<'_>) -> Result<Rule> {
        let decl = info.decl;
        let mut condition = None;
        let mut effect = None;
        let mut basis = None;
        let mut baseline = None;
        let mut arms = Vec::new();
        let mut missing = None;
        let mut otherwise = None;
        for item in &decl.items {
            match &item.node {
                RuleItem::When(e) => condition = Some(self.expr(e)?),
                RuleItem::Effect(e) => effect = Some(Effect::Points(self.points(e)?)),
                RuleItem::Basis(t) => basis = Some(t.node.clone()),
                RuleItem::Reason(_) => {}
                RuleItem::Baseline(n) => baseline = Some(n.node),
                RuleItem::Allow(_) => {}
                RuleItem::Bin(bin) => {
                    let points = Points {
                        sign: sign(bin.verb.node),
                        amount: self.expr(&bin.amount)?,
                        per: None,
                        at_most: None,
                        at_least: None,
                    };
                    match &bin.pattern.node {
                        BinPattern::Missing => missing = Some(Box::new(points)),
                        BinPattern::Otherwise => otherwise = Some(Box::new(points)),
                        BinPattern::Values(values) => {
                            let mut patterns = Vec::with_capacity(values.len());
                            for value in values {
                                patterns.push(self.pattern(&value.node)?);
                            }
                            arms.push(Arm { patterns, points });
                        }
                    }
                }
            }
        }
        let effect = match info.subject {
            Some(subject) => Effect::Bins {
                subject: self.reference(subject)?,
                arms,
                missing,
                otherwise,
            },
            None => effect
                .ok_or_else(|| internal(format!("rule `{}` has no effect", decl.name.node)))?,
        };
        let group = match info.group {
            Some(g) => {
                let group = self
                    .model
                    .groups
                    .get(g)
                    .ok_or_else(|| internal("group out of range"))?;
                let weight = match &group.decl.weight {
                    Some(w) => fold(&self.expr(w)?).ok_or_else(|| {
                        internal(format!(
                            "the weight of group `{}` is not constant",
                            group.decl.name.node
                        ))
                    })?,
                    None => Decimal::ONE,
                };
                let counts_highest = group
                    .decl
                    .counts
                    .as_ref()
                    .map(|c| c.node == ast::Counts::Highest);
                Some(Group {
                    counts_highest,
                    name: group.decl.name.node.clone(),
                    title: group.decl.title.as_ref().map(|t| t.node.clone()),
                    weight,
                })
            }
            None => None,
        };
        let mut reads = Vec::new();
        if let Some(c) = &condition {
            collect_reads(c, &mut reads);
        }
        effect_reads(&effect, &mut reads);
        Ok(Rule {
            name: decl.name.node.clone(),
            title: decl.title.as_ref().map(|t| t.node.clone()),
            docs: decl.docs.clone(),
            group,
            condition,
            effect,
            basis,
            reason: self.model.reason_text(index).map(str::to_string),
            reason_code: self.model.reason_code(index).map(|c| c.code.clone()),
            baseline,
            reads,
            least: None,
            most: None,
        })
    }

    fn points(&self, effect: &ast::Effect) -> Result<Points> {
        let mut at_most = None;
        let mut at_least = None;
        for cap in &effect.caps {
            let value = Some(self.expr(&cap.value)?);
            match cap.kind {
                ast::CapKind::AtMost => at_most = value,
                ast::CapKind::AtLeast => at_least = value,
            }
        }
        Ok(Points {
            sign: sign(effect.verb.node),
            amount: self.expr(&effect.amount)?,
            per: effect.per.as_ref().map(|p| self.expr(p)).transpose()?,
            at_most,
            at_least,
        })
    }

    fn pattern(&self, interval: &ast::Interval) -> Result<Pattern> {
        Ok(match interval {
            ast::Interval::Exactly(Literal::Number(n)) => Pattern::Range(point(n.node)),
            ast::Interval::Exactly(Literal::Bool(b)) => Pattern::Value(Value::Bool(b.node)),
            ast::Interval::Exactly(Literal::Text(t)) => match self.model.resolution(t.span) {
                None => Pattern::Value(Value::Text(t.node.clone())),
                // A quoted member: `"SELF-EMPLOYED" => …`.
                Some(Resolved::Member { member, .. }) => {
                    Pattern::Value(Value::Member(index_u32(member)?))
                }
                Some(r @ Resolved::OutcomeMember { .. }) => {
                    Pattern::Value(self.outcome_member(r)?.unwrap_or(Value::Bool(false)))
                }
                Some(other) => return Err(quoted_member(&t.node, other)),
            },
            ast::Interval::Exactly(Literal::Name(n)) => match self.resolved(n.span)? {
                Resolved::Member { member, .. } => {
                    Pattern::Value(Value::Member(index_u32(member)?))
                }
                r @ Resolved::OutcomeMember { .. } => {
                    Pattern::Value(self.outcome_member(r)?.unwrap_or(Value::Bool(false)))
                }
                Resolved::Param(p) => Pattern::Range(point(self.param(p)?)),
                other => {
                    return Err(internal(format!(
                        "bin value `{}` resolved to {other:?}",
                        n.node
                    )))
                }
            },
            other => Pattern::Range(self.band(other)?),
        })
    }

    /// A numeric interval from a bin or tier, with params at their final values.
    fn band(&self, interval: &ast::Interval) -> Result<Range> {
        let b = |bound: &ast::Bound| -> Result<Decimal> {
            match bound {
                ast::Bound::Number(n) => Ok(n.node),
                ast::Bound::Param(p) => match self.resolved(p.span)? {
                    Resolved::Param(index) => self.param(index),
                    other => Err(internal(format!(
                        "bound `{}` resolved to {other:?}",
                        p.node
                    ))),
                },
            }
        };
        let iv = match interval {
            ast::Interval::Range { lo, hi } => Interval::of_range(lo.as_ref(), hi.as_ref(), b)?,
            ast::Interval::Exactly(_) => {
                return Err(internal("a single value where a range was expected"))
            }
        };
        Ok(range(iv))
    }

    // ---------------------------------------------------------------------------------------------
    // Expressions

    /// The rules of group `group`, in source order.
    fn group_rules(&self, group: usize) -> impl Iterator<Item = usize> + '_ {
        self.model
            .rules
            .iter()
            .enumerate()
            .filter(move |(_, r)| r.group == Some(group))
            .map(|(i, _)| i)
    }

    fn resolved(&self, span: Span) -> Result<Resolved> {
        self.model.resolution(span).ok_or_else(|| {
            internal(format!(
                "no resolution for the name at bytes {}..{}",
                span.start, span.end
            ))
        })
    }

    fn param(&self, index: usize) -> Result<Decimal> {
        self.params
            .get(index)
            .copied()
            .ok_or_else(|| internal("param out of range"))
    }

    fn reference(&self, resolved: Resolved) -> Result<Ref> {
        match resolved {
            Resolved::Indicator(i) => Ok(Ref::Input(i)),
            Resolved::Let(l) => self
                .let_position
                .get(l)
                .map(|p| Ref::Let(*p))
                .ok_or_else(|| internal("derived value out of range")),
            Resolved::Output(o) => Ok(Ref::Output(o)),
            other => Err(internal(format!(
                "{other:?} is not an input or derived value"
            ))),
        }
    }

    fn expr(&self, expr: &ast::Expr) -> Result<Expr> {
        self.expr_in(expr, &[])
    }

    /// `expr` lowered where `args` are the values of the arguments of the function whose body it
    /// is part of (none outside a function). A call is its function's body with the call's values
    /// in place of the arguments: written out here, so the evaluators only ever see expressions of
    /// the language's own forms (the checker bounds how large this gets).
    fn expr_in(&self, expr: &ast::Expr, args: &[Expr]) -> Result<Expr> {
        let boxed = |e: &ast::Expr| self.expr_in(e, args).map(Box::new);
        let list = |es: &[ast::Expr]| -> Result<Vec<Expr>> {
            es.iter().map(|e| self.expr_in(e, args)).collect()
        };
        Ok(match &expr.node {
            ExprKind::Number(n) => Expr::Const(Value::Number(*n)),
            // A quoted member (`employment = "SELF-EMPLOYED"`) lowers as a named one.
            ExprKind::Text(t) => match self.model.resolution(expr.span) {
                None => Expr::Const(Value::Text(t.clone())),
                Some(Resolved::Member { member, .. }) => {
                    Expr::Const(Value::Member(index_u32(member)?))
                }
                Some(r @ Resolved::OutcomeMember { .. }) => {
                    Expr::Const(self.outcome_member(r)?.unwrap_or(Value::Bool(false)))
                }
                Some(other) => return Err(quoted_member(t, other)),
            },
            ExprKind::Bool(b) => Expr::Const(Value::Bool(*b)),
            ExprKind::Score => Expr::Score,
            ExprKind::Tier => Expr::Tier,
            ExprKind::Name(_) => match self.resolved(expr.span)? {
                Resolved::Argument { index, .. } => args
                    .get(index)
                    .cloned()
                    .ok_or_else(|| internal("an argument without a value"))?,
                Resolved::Param(p) => Expr::Const(Value::Number(self.param(p)?)),
                Resolved::Member { member, .. } => Expr::Const(Value::Member(index_u32(member)?)),
                r @ Resolved::OutcomeMember { .. } => {
                    Expr::Const(self.outcome_member(r)?.unwrap_or(Value::Bool(false)))
                }
                Resolved::Tier(t) => Expr::Const(Value::Tier(index_u32(t)?)),
                Resolved::Rule(r) => Expr::Applies(r),
                other => Expr::Read(self.reference(other)?),
            },
            ExprKind::PointsOf(name) => match self.resolved(name.span)? {
                Resolved::Rule(r) => Expr::Points(r),
                Resolved::Group(g) => sum(self.group_rules(g).map(Expr::Points).collect()),
                other => return Err(internal(format!("`points of` {other:?}"))),
            },
            // The number of rules that fired: 1 for each that did.
            ExprKind::RulesFired(group) => {
                let rules: Vec<usize> = match group {
                    None => (0..self.model.rules.len()).collect(),
                    Some(g) => match self.resolved(g.span)? {
                        Resolved::Group(g) => self.group_rules(g).collect(),
                        other => return Err(internal(format!("`rules fired in` {other:?}"))),
                    },
                };
                sum(rules
                    .into_iter()
                    .map(|r| Expr::If {
                        branches: vec![(
                            Expr::Applies(r),
                            Expr::Const(Value::Number(Decimal::ONE)),
                        )],
                        otherwise: Box::new(Expr::Const(Value::Number(Decimal::ZERO))),
                    })
                    .collect())
            }
            ExprKind::Applies(rule) => match self.resolved(rule.span)? {
                Resolved::Rule(r) => Expr::Applies(r),
                Resolved::Consequence(c) => Expr::ConsequenceApplies(c),
                other => return Err(internal(format!("`applies` on {other:?}"))),
            },
            ExprKind::Unary(UnaryOp::Neg, e) => Expr::Neg(boxed(e)?),
            ExprKind::Unary(UnaryOp::Not, e) => Expr::Not(boxed(e)?),
            ExprKind::Binary(op, a, b) => {
                let (a, b) = (boxed(a)?, boxed(b)?);
                match op {
                    BinaryOp::Add => Expr::Arith(Arith::Add, a, b),
                    BinaryOp::Sub => Expr::Arith(Arith::Sub, a, b),
                    BinaryOp::Mul => Expr::Arith(Arith::Mul, a, b),
                    BinaryOp::Div => Expr::Arith(Arith::Div, a, b),
                    BinaryOp::Pow => Expr::Arith(Arith::Pow, a, b),
                    BinaryOp::Lt => Expr::Compare(Compare::Lt, a, b),
                    BinaryOp::Le => Expr::Compare(Compare::Le, a, b),
                    BinaryOp::Gt => Expr::Compare(Compare::Gt, a, b),
                    BinaryOp::Ge => Expr::Compare(Compare::Ge, a, b),
                    BinaryOp::Eq => Expr::Equal {
                        negated: false,
                        lhs: a,
                        rhs: b,
                    },
                    BinaryOp::Ne => Expr::Equal {
                        negated: true,
                        lhs: a,
                        rhs: b,
                    },
                    BinaryOp::And => Expr::And(a, b),
                    BinaryOp::Or => Expr::Or(a, b),
                }
            }
            ExprKind::In {
                value,
                set,
                negated,
            } => Expr::In {
                negated: *negated,
                value: boxed(value)?,
                set: list(set)?,
            },
            ExprKind::IsMissing { value, negated } => match self.expr_in(value, args)? {
                Expr::Read(what) => Expr::IsMissing {
                    negated: *negated,
                    what,
                },
                _ => return Err(internal("`is missing` on something that is not an input")),
            },
            ExprKind::Call { func, args: values } => {
                let mut args: Vec<Expr> = list(values)?;
                if let Some(Resolved::Function(f)) = self.model.resolution(func.span) {
                    let body = self
                        .model
                        .functions
                        .get(f)
                        .map(|f| &f.decl.body)
                        .ok_or_else(|| internal("a call of a function that does not exist"))?;
                    return self.expr_in(body, &args);
                }
                match func.node.as_str() {
                    "min" => Expr::Min(args),
                    "max" => Expr::Max(args),
                    _ if args.len() == 3 => {
                        let hi = args.pop().map(Box::new);
                        let lo = args.pop().map(Box::new);
                        let x = args.pop().map(Box::new);
                        match (x, lo, hi) {
                            (Some(x), Some(lo), Some(hi)) => Expr::Clamp(x, lo, hi),
                            _ => return Err(internal("clamp without three values")),
                        }
                    }
                    other => return Err(internal(format!("unknown function `{other}`"))),
                }
            }
            ExprKind::If {
                branches,
                otherwise,
            } => Expr::If {
                branches: branches
                    .iter()
                    .map(|(c, v)| Ok((self.expr_in(c, args)?, self.expr_in(v, args)?)))
                    .collect::<Result<_>>()?,
                otherwise: boxed(otherwise)?,
            },
        })
    }
}

fn input(info: &check::IndicatorInfo<'_>) -> Input {
    let kind = match &info.kind {
        check::ValueKind::Bool => InputKind::Bool,
        check::ValueKind::Count | check::ValueKind::Integer => InputKind::Whole,
        check::ValueKind::Decimal => InputKind::Decimal,
        check::ValueKind::Enum(members) => InputKind::Enum(members.clone()),
        check::ValueKind::Text => InputKind::Text,
    };
    let missing = match &info.missing {
        check::Missing::Required => Missing::Required,
        check::Missing::Unknown => Missing::Unknown,
        check::Missing::Default(v) => Missing::Default(match v {
            check::Value::Bool(b) => Value::Bool(*b),
            check::Value::Number(n) => Value::Number(*n),
            check::Value::Text(t) => Value::Text(t.clone()),
            check::Value::Member(m) => Value::Member(u32::try_from(*m).unwrap_or(u32::MAX)),
        }),
    };
    Input {
        name: info.decl.name.node.clone(),
        docs: info.decl.docs.clone(),
        kind,
        min: info.min,
        max: info.max,
        missing,
        protected: info.protected,
        unit: info.unit.clone(),
        invalid_as_missing: info.invalid_as_missing,
    }
}

fn index_u32(index: usize) -> Result<u32> {
    u32::try_from(index).map_err(|_| internal("more than 4 billion members"))
}

fn sign(verb: ast::Verb) -> Sign {
    match verb {
        ast::Verb::Add => Sign::Add,
        ast::Verb::Deduct => Sign::Deduct,
    }
}

fn date(d: ast::Date) -> Date {
    Date {
        year: d.year,
        month: d.month,
        day: d.day,
    }
}

/// `a + b + …`, or 0 for nothing.
fn sum(terms: Vec<Expr>) -> Expr {
    terms
        .into_iter()
        .reduce(|a, b| Expr::Arith(Arith::Add, Box::new(a), Box::new(b)))
        .unwrap_or(Expr::Const(Value::Number(Decimal::ZERO)))
}

fn point(v: Decimal) -> Range {
    range(Interval::point(v))
}

fn range(iv: Interval) -> Range {
    let end = |e: Option<intervals::End>| {
        e.map(|e| Bound {
            value: e.value,
            inclusive: e.inclusive,
        })
    };
    Range {
        lo: end(iv.lo),
        hi: end(iv.hi),
    }
}

/// The value of an expression of constants only.
pub fn fold(expr: &Expr) -> Option<Decimal> {
    match expr {
        Expr::Const(Value::Number(n)) => Some(*n),
        Expr::Neg(e) => fold(e).map(|v| -v),
        Expr::Arith(op, a, b) => {
            let (a, b) = (fold(a)?, fold(b)?);
            match op {
                Arith::Add => a.checked_add(b),
                Arith::Sub => a.checked_sub(b),
                Arith::Mul => a.checked_mul(b),
                Arith::Div => a.checked_div(b),
                Arith::Pow => crate::runtime::arith::pow(a, b).ok(),
            }
        }
        _ => None,
    }
}

/// Adds the inputs and derived values `expr` reads to `out`, in order of first use.
pub fn collect_reads(expr: &Expr, out: &mut Vec<Ref>) {
    if let Expr::Read(r) | Expr::IsMissing { what: r, .. } = expr {
        if !out.contains(r) {
            out.push(*r);
        }
    }
    let mut children = Vec::new();
    expr.children(&mut children);
    for child in children {
        collect_reads(child, out);
    }
}

fn points_reads(points: &Points, out: &mut Vec<Ref>) {
    collect_reads(&points.amount, out);
    for e in [&points.per, &points.at_most, &points.at_least]
        .into_iter()
        .flatten()
    {
        collect_reads(e, out);
    }
}

fn effect_reads(effect: &Effect, out: &mut Vec<Ref>) {
    match effect {
        Effect::Points(p) => points_reads(p, out),
        Effect::Bins {
            subject,
            arms,
            missing,
            otherwise,
        } => {
            if !out.contains(subject) {
                out.push(*subject);
            }
            for arm in arms {
                points_reads(&arm.points, out);
            }
            for p in [missing, otherwise].into_iter().flatten() {
                points_reads(p, out);
            }
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// A quoted text resolved to something a quoted member cannot lower to (yet): a bug in Rubric.
fn quoted_member(text: &str, resolved: Resolved) -> LowerError {
    internal(format!(
        "the quoted member {text:?} resolved to {resolved:?}"
    ))
}
