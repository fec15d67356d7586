//! Plain-language phrasing of a checked policy: every rule, condition, effect, scorecard, tier
//! bound, consequence trigger and duration as an English sentence or phrase.
//!
//! It works from the AST and the checker's [`Model`], so the names of params survive ("deduct the
//! late tax penalty (20 points) for each late tax payment") and units come from the declarations.
//! The documentation (`docs`), decision explanations (`rubric eval --explain`) and later notices
//! all use it. Every function is total: an unexpected shape gives a plainer phrase, never a panic.
//!
//! | file | job |
//! |---|---|
//! | `mod.rs` | the [`Phraser`]: expressions, conditions, effects, rules, bins, tiers, consequences |
//! | `words.rs` | names, numbers, units, plurals, durations, points ranges |
//! | `functions.rs` | functions (each phrased once, calls by name) and computed durations |
//! | `explain.rs` | sentences explaining one decision |
//! | `reasons.rs` | the scale's direction, and reason codes shared by several rules |
//! | `tables.rs` | decision tables: what they decide, their hit policy, their rows |

mod effects;
mod explain;
mod functions;
mod reasons;
mod tables;
mod words;

pub use explain::Explainer;
pub use words::{
    capitalise, contribution_range, count_of, duration, humanise, number, points, signed_points,
    singular,
};

use crate::check::{Missing, Model, Resolved, Type, Value, ValueKind};
use crate::syntax::ast::{
    self, BinPattern, BinaryOp, Bound, CapKind, ConsequenceItem, Expr, ExprKind, Interval, Lasts,
    Literal, RuleItem, UnaryOp, Verb,
};
use crate::text::{join_and, join_or};
use rust_decimal::Decimal;

/// Phrases the declarations of one checked policy.
pub struct Phraser<'m, 'a> {
    model: &'m Model<'a>,
}

/// Where a phrase stands in a sentence: a logical operand of a different kind is grouped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Top,
    InAnd,
    InOr,
}

impl<'m, 'a> Phraser<'m, 'a> {
    pub fn new(model: &'m Model<'a>) -> Self {
        Phraser { model }
    }

    pub fn model(&self) -> &'m Model<'a> {
        self.model
    }

    // ---------------------------------------------------------------------------------------------
    // Names

    /// A rule as a reader knows it: its title in quotes, or its humanised name.
    pub fn rule_label(&self, index: usize) -> String {
        match self.model.rules.get(index) {
            Some(r) => quoted_label(&r.decl.name, r.decl.title.as_ref()),
            None => "a rule".to_string(),
        }
    }

    /// The unit declared for what `expr` names (an indicator, a param, or a derived value that is
    /// a single indicator divided or multiplied by numbers), if any.
    pub fn unit_of(&self, expr: &Expr) -> Option<String> {
        match &expr.node {
            ExprKind::Name(_) => match self.model.resolution(expr.span)? {
                Resolved::Indicator(i) => self.model.indicators.get(i)?.unit.clone(),
                Resolved::Param(p) => param_unit(self.model, p),
                _ => None,
            },
            _ => None,
        }
    }

    /// A param as "the late tax penalty (20 points)".
    pub fn param(&self, index: usize) -> String {
        match self.model.params.get(index) {
            Some(p) => {
                let value = match param_unit(self.model, index) {
                    Some(unit) => count_of(p.value, &unit),
                    None => number(p.value),
                };
                format!("the {} ({value})", humanise(&p.decl.name.node))
            }
            None => "a param".to_string(),
        }
    }

    /// A param in a place that counts points: "the late tax penalty (20 points)", also when the
    /// param declares no unit.
    fn param_points(&self, index: usize) -> String {
        match self.model.params.get(index) {
            Some(p) => {
                let unit = param_unit(self.model, index).unwrap_or_else(|| "points".to_string());
                format!(
                    "the {} ({})",
                    humanise(&p.decl.name.node),
                    count_of(p.value, &unit)
                )
            }
            None => "a param".to_string(),
        }
    }

    /// What a bare name means as a value.
    fn name_value(&self, expr: &Expr, raw: &str) -> String {
        match self.model.resolution(expr.span) {
            Some(Resolved::Indicator(i)) => match self.model.indicators.get(i) {
                Some(ind) if ind.kind == ValueKind::Count => {
                    format!("the number of {}", humanise(raw))
                }
                _ => humanise(raw),
            },
            Some(Resolved::Param(p)) => self.param(p),
            Some(Resolved::Let(_)) => humanise(raw),
            Some(Resolved::Rule(r)) => format!("the rule {}", self.rule_label(r)),
            Some(Resolved::Tier(t)) => self.tier_label(t),
            Some(Resolved::Consequence(c)) => {
                format!("the consequence {}", self.consequence_label(c))
            }
            Some(Resolved::Output(_)) => humanise(raw),
            Some(Resolved::Group(g)) => self.group_label(g),
            Some(Resolved::Argument { .. } | Resolved::Function(_)) => humanise(raw),
            Some(Resolved::Member { .. } | Resolved::OutcomeMember { .. }) => {
                self.member_at(expr.span).unwrap_or_else(|| humanise(raw))
            }
            None => humanise(raw),
        }
    }

    /// The list member written at `span` (named or quoted), as words.
    fn member_at(&self, span: crate::span::Span) -> Option<String> {
        let (list, member) = match self.model.resolution(span)? {
            Resolved::Member { indicator, member } => (Type::Enum(indicator), member),
            Resolved::OutcomeMember { output, member } => (Type::Outcome(output), member),
            _ => return None,
        };
        self.model
            .members(list)?
            .get(member)
            .map(|m| words::member(m))
    }

    /// A group as its title in quotes (“Payment history”), or its name in words.
    pub fn group_label(&self, index: usize) -> String {
        match self.model.groups.get(index) {
            Some(g) => format!(
                "the group {}",
                quoted_label(&g.decl.name, g.decl.title.as_ref())
            ),
            None => "a group".to_string(),
        }
    }

    /// A consequence as its title in quotes (“Air travel restriction”), or its name in words.
    pub fn consequence_label(&self, index: usize) -> String {
        match self.model.consequences.get(index) {
            Some(c) => quoted_label(&c.decl.name, c.decl.title.as_ref()),
            None => "a consequence".to_string(),
        }
    }

    /// A tier as "D (“Untrustworthy”)".
    pub fn tier_label(&self, index: usize) -> String {
        match self.model.tiers.get(index) {
            Some(t) => match &t.decl.title {
                Some(title) => format!("{} (“{}”)", t.decl.name.node, title.node),
                None => t.decl.name.node.clone(),
            },
            None => "a tier".to_string(),
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Values

    /// An expression as a noun phrase: "the hour weight (0.2 points) times volunteer hours".
    pub fn value(&self, expr: &Expr) -> String {
        self.value_in(expr, 0)
    }

    /// `level`: the binding strength of the surrounding operator (0 none, 1 `+ -`, 2 `* /`);
    /// a looser operand inside is bracketed.
    fn value_in(&self, expr: &Expr, level: u8) -> String {
        match &expr.node {
            ExprKind::Number(n) => number(*n),
            ExprKind::Text(t) => self
                .member_at(expr.span)
                .unwrap_or_else(|| format!("“{t}”")),
            ExprKind::Bool(b) => yes_no(*b).to_string(),
            ExprKind::Name(raw) => self.name_value(expr, raw),
            ExprKind::Score => "the score".to_string(),
            ExprKind::Tier => "the tier".to_string(),
            ExprKind::PointsOf(name) => match self.model.resolution(name.span) {
                Some(Resolved::Rule(r)) => format!("the points of {}", self.rule_label(r)),
                Some(Resolved::Group(g)) => format!("the subtotal of {}", self.group_label(g)),
                _ => format!("the points of {}", humanise(&name.node)),
            },
            ExprKind::RulesFired(group) => {
                match group.as_ref().and_then(|g| self.model.resolution(g.span)) {
                    Some(Resolved::Group(g)) => {
                        format!(
                            "the number of rules of {} that applied",
                            self.group_label(g)
                        )
                    }
                    _ => "the number of rules that applied".to_string(),
                }
            }
            // "minus (x to the power of 2)": a power after "minus" would read as (-x) ^ 2.
            ExprKind::Unary(UnaryOp::Neg, inner) => match &inner.node {
                ExprKind::Binary(BinaryOp::Pow, ..) => format!("minus {}", self.value_in(inner, 4)),
                _ => format!("minus {}", self.value_in(inner, 3)),
            },
            ExprKind::Unary(UnaryOp::Not, _)
            | ExprKind::In { .. }
            | ExprKind::IsMissing { .. }
            | ExprKind::Applies(_) => format!("whether {}", self.condition(expr)),
            ExprKind::Binary(BinaryOp::Pow, lhs, rhs) => {
                // Binds tightest: its operands are bracketed unless they are single terms.
                let text = format!(
                    "{} to the power of {}",
                    self.value_in(lhs, 4),
                    self.value_in(rhs, 4)
                );
                if level > 3 {
                    format!("({text})")
                } else {
                    text
                }
            }
            ExprKind::Binary(op, lhs, rhs) if op.is_arithmetic() => {
                let (word, own) = match op {
                    BinaryOp::Add => ("plus", 1),
                    BinaryOp::Sub => ("minus", 1),
                    BinaryOp::Mul => ("times", 2),
                    _ => ("divided by", 2),
                };
                // The right operand of `-` and `/` binds tighter: a - (b - c).
                let right_level = if matches!(op, BinaryOp::Sub | BinaryOp::Div) {
                    own + 1
                } else {
                    own
                };
                let text = format!(
                    "{} {word} {}",
                    self.value_in(lhs, own),
                    self.value_in(rhs, right_level)
                );
                if own < level {
                    format!("({text})")
                } else {
                    text
                }
            }
            ExprKind::Binary(..) => format!("whether {}", self.condition(expr)),
            ExprKind::Call { func, args } => {
                let parts: Vec<String> = args.iter().map(|a| self.value(a)).collect();
                let text = match (func.node.as_str(), args.as_slice()) {
                    ("min", [_, _]) => format!("the smaller of {}", join_and(&parts)),
                    ("min", _) => format!("the smallest of {}", join_and(&parts)),
                    ("max", [_, _]) => format!("the larger of {}", join_and(&parts)),
                    ("max", _) => format!("the largest of {}", join_and(&parts)),
                    ("clamp", [x, lo, hi]) => format!(
                        "{}, but no less than {} and no more than {}",
                        self.value_in(x, 3),
                        self.value_in(lo, 3),
                        self.value_in(hi, 3)
                    ),
                    (name, _) if self.is_function(func) => return self.call(name, &parts),
                    (name, _) => format!("{name} of {}", join_and(&parts)),
                };
                if level > 0 {
                    format!("({text})")
                } else {
                    text
                }
            }
            ExprKind::If {
                branches,
                otherwise,
            } => {
                let mut parts: Vec<String> = branches
                    .iter()
                    .map(|(c, v)| format!("{} if {}", self.value(v), self.condition(c)))
                    .collect();
                parts.push(format!("otherwise {}", self.value(otherwise)));
                let text = parts.join("; ");
                if level > 0 {
                    format!("({text})")
                } else {
                    text
                }
            }
        }
    }

    /// A value compared with `other`: a bare number takes the unit of what it is compared with
    /// ("more than 0 EUR").
    fn operand(&self, expr: &Expr, other: &Expr) -> String {
        match (&expr.node, self.unit_of(other)) {
            (ExprKind::Number(n), Some(unit)) => count_of(*n, &unit),
            _ => self.value_in(expr, 1),
        }
    }

    /// A literal value as a reader would say it.
    pub fn literal(&self, literal: &Literal) -> String {
        match literal {
            Literal::Number(n) => number(n.node),
            Literal::Text(t) => self
                .member_at(t.span)
                .unwrap_or_else(|| format!("“{}”", t.node)),
            Literal::Bool(b) => yes_no(b.node).to_string(),
            Literal::Name(n) => self.member_at(n.span).unwrap_or_else(|| humanise(&n.node)),
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Conditions

    /// A yes/no expression as a clause: "the number of late tax payments is at least 1".
    pub fn condition(&self, expr: &Expr) -> String {
        self.condition_in(expr, Context::Top)
    }

    fn condition_in(&self, expr: &Expr, context: Context) -> String {
        match &expr.node {
            ExprKind::Bool(true) => "always".to_string(),
            ExprKind::Bool(false) => "never".to_string(),
            ExprKind::Name(raw) => match self.model.resolution(expr.span) {
                Some(Resolved::Rule(r)) => format!("the rule {} applies", self.rule_label(r)),
                _ => format!("“{}” is yes", humanise(raw)),
            },
            ExprKind::Applies(rule) => match self.model.resolution(rule.span) {
                Some(Resolved::Rule(r)) => format!("the rule {} applies", self.rule_label(r)),
                Some(Resolved::Consequence(c)) => {
                    format!("the consequence {} applies", self.consequence_label(c))
                }
                _ => format!("the rule “{}” applies", humanise(&rule.node)),
            },
            ExprKind::Unary(UnaryOp::Not, inner) => self.negation(inner),
            ExprKind::Binary(op @ (BinaryOp::And | BinaryOp::Or), _, _) => {
                let mut operands = Vec::new();
                flatten(expr, *op, &mut operands);
                let own = if *op == BinaryOp::And {
                    Context::InAnd
                } else {
                    Context::InOr
                };
                let parts: Vec<String> =
                    operands.iter().map(|e| self.condition_in(e, own)).collect();
                let (joined, lead) = if *op == BinaryOp::And {
                    (join_and(&parts), "both")
                } else {
                    (join_or(&parts), "either")
                };
                match context {
                    Context::Top => joined,
                    _ if parts.len() == 2 => format!("({lead} {joined})"),
                    _ => format!("({joined})"),
                }
            }
            ExprKind::Binary(op, lhs, rhs) if op.is_comparison() => self.comparison(*op, lhs, rhs),
            ExprKind::In {
                value,
                set,
                negated,
            } => {
                let members: Vec<String> = set.iter().map(|e| self.operand(e, value)).collect();
                let subject = self.value_in(value, 1);
                match (members.as_slice(), negated) {
                    ([one], false) => format!("{subject} is {one}"),
                    ([one], true) => format!("{subject} is not {one}"),
                    (_, false) => format!("{subject} is one of {}", join_or(&members)),
                    (_, true) => format!("{subject} is none of {}", join_or(&members)),
                }
            }
            ExprKind::IsMissing { value, negated } => {
                let subject = self.value_in(value, 1);
                if *negated {
                    format!("{subject} is known")
                } else {
                    format!("{subject} is not known")
                }
            }
            _ => format!("{} is yes", self.value(expr)),
        }
    }

    fn negation(&self, inner: &Expr) -> String {
        match &inner.node {
            ExprKind::Name(raw) => match self.model.resolution(inner.span) {
                Some(Resolved::Rule(r)) => {
                    format!("the rule {} does not apply", self.rule_label(r))
                }
                _ => format!("“{}” is no", humanise(raw)),
            },
            ExprKind::Applies(rule) => match self.model.resolution(rule.span) {
                Some(Resolved::Rule(r)) => {
                    format!("the rule {} does not apply", self.rule_label(r))
                }
                Some(Resolved::Consequence(c)) => {
                    format!(
                        "the consequence {} does not apply",
                        self.consequence_label(c)
                    )
                }
                _ => format!("the rule “{}” does not apply", humanise(&rule.node)),
            },
            ExprKind::Unary(UnaryOp::Not, again) => self.condition(again),
            ExprKind::Binary(op, lhs, rhs) if op.is_comparison() => {
                let flipped = match op {
                    BinaryOp::Eq => BinaryOp::Ne,
                    BinaryOp::Ne => BinaryOp::Eq,
                    BinaryOp::Lt => BinaryOp::Ge,
                    BinaryOp::Le => BinaryOp::Gt,
                    BinaryOp::Gt => BinaryOp::Le,
                    _ => BinaryOp::Lt,
                };
                self.comparison(flipped, lhs, rhs)
            }
            ExprKind::In {
                value,
                set,
                negated,
            } => {
                let again = Expr {
                    node: ExprKind::In {
                        value: value.clone(),
                        set: set.clone(),
                        negated: !negated,
                    },
                    span: inner.span,
                };
                self.condition(&again)
            }
            ExprKind::IsMissing { value, negated } => {
                let again = Expr {
                    node: ExprKind::IsMissing {
                        value: value.clone(),
                        negated: !negated,
                    },
                    span: inner.span,
                };
                self.condition(&again)
            }
            _ => format!("it is not the case that {}", self.condition(inner)),
        }
    }

    fn comparison(&self, op: BinaryOp, lhs: &Expr, rhs: &Expr) -> String {
        // "there is at least one late tax payment" for a count tested against 1 or 0.
        if let (ExprKind::Name(raw), ExprKind::Number(n)) = (&lhs.node, &rhs.node) {
            if self.is_count(lhs) {
                let one = *n == Decimal::ONE;
                let zero = n.is_zero();
                let things = humanise(raw);
                match op {
                    BinaryOp::Ge if one => {
                        return format!("there is at least one {}", singular(&things))
                    }
                    BinaryOp::Gt if zero => {
                        return format!("there is at least one {}", singular(&things))
                    }
                    BinaryOp::Eq if zero => return format!("there are no {things}"),
                    BinaryOp::Lt if one => return format!("there are no {things}"),
                    _ => {}
                }
            }
        }
        let verb = match op {
            BinaryOp::Eq => "is",
            BinaryOp::Ne => "is not",
            BinaryOp::Lt => "is less than",
            BinaryOp::Le => "is at most",
            BinaryOp::Gt => "is more than",
            BinaryOp::Ge => "is at least",
            _ => "is",
        };
        let subject = match &lhs.node {
            ExprKind::Tier => "the tier".to_string(),
            _ => self.operand(lhs, rhs),
        };
        format!("{subject} {verb} {}", self.operand(rhs, lhs))
    }

    fn is_count(&self, expr: &Expr) -> bool {
        matches!(
            self.model.resolution(expr.span),
            Some(Resolved::Indicator(i))
                if self.model.indicators.get(i).is_some_and(|x| x.kind == ValueKind::Count)
        )
    }

    // ---------------------------------------------------------------------------------------------
    // Consequences

    /// When a consequence applies: "the tier is D (“Untrustworthy”)".
    pub fn trigger(&self, index: usize) -> String {
        let Some(c) = self.model.consequences.get(index) else {
            return String::new();
        };
        c.decl
            .items
            .iter()
            .find_map(|item| match &item.node {
                ConsequenceItem::When(e) => Some(self.condition(e)),
                _ => None,
            })
            .unwrap_or_else(|| "never (no condition is written)".to_string())
    }

    /// How long a consequence lasts: "12 months", "indefinitely, because …".
    pub fn lasts(&self, index: usize) -> Option<String> {
        let c = self.model.consequences.get(index)?;
        c.decl.items.iter().find_map(|item| match &item.node {
            ConsequenceItem::Lasts(Lasts::For(d)) => Some(duration(d)),
            ConsequenceItem::Lasts(Lasts::Indefinitely(why)) => {
                Some(format!("indefinitely, because {}", why.node))
            }
            ConsequenceItem::Lasts(Lasts::Computed(length)) => Some(self.length(length)),
            ConsequenceItem::Lasts(Lasts::AtLeast(length)) => Some(format!(
                "at least {} (and after that for as long as it still applies)",
                self.length(length)
            )),
            _ => None,
        })
    }

    /// The sentence for a consequence: "A sanction: applies when the tier is D, for 12 months,
    /// after 30 days' notice."
    pub fn consequence_sentence(&self, index: usize) -> String {
        let Some(c) = self.model.consequences.get(index) else {
            return String::new();
        };
        let mut kind = "consequence";
        let mut notice = None;
        let mut computed_notice = None;
        for item in &c.decl.items {
            match &item.node {
                ConsequenceItem::Kind(ast::ConsequenceKind::Sanction) => kind = "sanction",
                ConsequenceItem::Kind(ast::ConsequenceKind::Benefit) => kind = "benefit",
                ConsequenceItem::Notice(d) => notice = Some(duration(d)),
                ConsequenceItem::NoticeComputed(l) => computed_notice = Some(self.length(l)),
                _ => {}
            }
        }
        let mut text = format!(
            "This {kind} applies when {}",
            self.trigger(index).trim_end_matches('.')
        );
        match self.lasts(index) {
            Some(l) if l.starts_with("indefinitely") => {
                text.push_str(&format!(". It lasts {l}"));
            }
            Some(l) => text.push_str(&format!(". It lasts {l}")),
            None => text.push_str(". No duration is written"),
        }
        match (notice, computed_notice) {
            (Some(n), _) => text.push_str(&format!(", and {n}' notice is given before it starts.")),
            (None, Some(n)) => {
                text.push_str(&format!(", and notice is given before it starts: {n}."))
            }
            (None, None) => text.push_str(", and no notice period is written."),
        }
        text
    }

    // ---------------------------------------------------------------------------------------------
    // Indicators

    /// What happens when a record lacks indicator `index`.
    pub fn missing_rule(&self, index: usize) -> String {
        let Some(ind) = self.model.indicators.get(index) else {
            return String::new();
        };
        let rule = self.absent_rule(ind);
        if ind.invalid_as_missing {
            // Said where the missing-value rule is, since that rule is what an invalid value gets.
            let what = match ind.kind {
                ValueKind::Enum(_) => "a value not in the list",
                _ => "a value outside its range",
            };
            format!("{rule}; {what} counts as missing too")
        } else {
            rule
        }
    }

    fn absent_rule(&self, ind: &crate::check::IndicatorInfo<'_>) -> String {
        match &ind.missing {
            Missing::Required => "Required: a record without it is rejected".to_string(),
            Missing::Unknown => {
                "Unknown: rules that depend on it do not apply (a scorecard uses its “not known” line)"
                    .to_string()
            }
            Missing::Default(value) => {
                let v = match value {
                    Value::Bool(b) => yes_no(*b).to_string(),
                    Value::Number(n) => match &ind.unit {
                        Some(u) => count_of(*n, u),
                        None => number(*n),
                    },
                    Value::Text(t) => format!("“{t}”"),
                    Value::Member(m) => match &ind.kind {
                        ValueKind::Enum(members) => members
                            .get(*m)
                            .map(|s| words::member(s))
                            .unwrap_or_default(),
                        _ => m.to_string(),
                    },
                };
                format!("Counts as {v}")
            }
        }
    }

    /// The kind of value indicator `index` holds: "a whole number (0 or more)", "yes or no",
    /// "one of: employed, self employed or student".
    pub fn indicator_type(&self, index: usize) -> String {
        let Some(ind) = self.model.indicators.get(index) else {
            return String::new();
        };
        match &ind.kind {
            ValueKind::Bool => "yes or no".to_string(),
            ValueKind::Count => "a count (whole number, 0 or more)".to_string(),
            ValueKind::Integer => "a whole number".to_string(),
            ValueKind::Decimal => "a number".to_string(),
            ValueKind::Enum(members) => {
                let names: Vec<String> = members.iter().map(|m| words::member(m)).collect();
                format!("one of: {}", join_or(&names))
            }
            ValueKind::Text => "a text".to_string(),
        }
    }

    /// The declared range of indicator `index`: "0 to 12 points", or `None`.
    pub fn indicator_range(&self, index: usize) -> Option<String> {
        let ind = self.model.indicators.get(index)?;
        let unit = ind.unit.as_deref();
        let with_unit = |v: Decimal| match unit {
            Some(u) => count_of(v, u),
            None => number(v),
        };
        match (ind.min, ind.max) {
            (Some(lo), Some(hi)) => Some(format!("{} to {}", number(lo), with_unit(hi))),
            (Some(lo), None) => Some(format!("{} or more", with_unit(lo))),
            (None, Some(hi)) => Some(format!("at most {}", with_unit(hi))),
            (None, None) => None,
        }
    }
}

fn param_unit(model: &Model<'_>, index: usize) -> Option<String> {
    model
        .params
        .get(index)?
        .decl
        .unit
        .as_ref()
        .map(|u| u.node.clone())
}

fn flatten<'e>(expr: &'e Expr, op: BinaryOp, out: &mut Vec<&'e Expr>) {
    match &expr.node {
        ExprKind::Binary(o, lhs, rhs) if *o == op => {
            flatten(lhs, op, out);
            flatten(rhs, op, out);
        }
        _ => out.push(expr),
    }
}

fn verb(v: Verb) -> &'static str {
    match v {
        Verb::Add => "add",
        Verb::Deduct => "deduct",
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

#[cfg(test)]
mod tests;

/// A declaration as a reader knows it: its title in quotes, or its name in words, quoted.
fn quoted_label(name: &ast::Ident, title: Option<&ast::Text>) -> String {
    match title {
        Some(t) => format!("“{}”", t.node),
        None => format!("“{}”", humanise(&name.node)),
    }
}
