//! First pass: the policy header, the one namespace of declared names, and the properties of
//! indicators and params (types, ranges, missing-value rules, options).

use super::err::{duplicate, duplicate_clause, type_mismatch, CheckError};
use super::model::*;
use super::Checker;
use crate::diagnostics::Code;
use crate::span::{Node, Span};
use crate::syntax::ast::{
    self, HeaderItem, IndicatorOption, IndicatorType, Item, Literal, RoundingMode,
};
use rust_decimal::Decimal;

/// Placeholder header used while the real one is read (or when the file has none).
pub fn empty_header() -> Header {
    Header {
        name: String::new(),
        docs: Vec::new(),
        version: None,
        effective: None,
        min: Decimal::ZERO,
        max: Decimal::ZERO,
        start: Decimal::ZERO,
        decimals: 2,
        rounding: RoundingMode::HalfUp,
        span: Span::default(),
        scale_span: Span::default(),
        higher_is_worse: false,
        direction_span: None,
    }
}

impl<'a> Checker<'a> {
    pub(super) fn declare(&mut self) {
        let ast = self.model.ast;
        self.header(ast);
        for item in &ast.items {
            match item {
                Item::Policy(_) => {}
                Item::Indicator(decl) => {
                    let index = self.model.indicators.len();
                    self.declare_name(&decl.name, Symbol::Indicator(index), "indicator");
                    let info = self.indicator(index, decl);
                    self.model.indicators.push(info);
                }
                Item::Param(decl) => {
                    self.declare_name(&decl.name, Symbol::Param(self.model.params.len()), "param");
                    self.model.params.push(ParamInfo {
                        decl,
                        value: decl.value.node,
                        overridden: None,
                    });
                }
                Item::Let(decl) => {
                    self.declare_name(
                        &decl.name,
                        Symbol::Let(self.model.lets.len()),
                        "derived value",
                    );
                    self.model.lets.push(LetInfo {
                        decl,
                        ty: Type::Error,
                        after_rules: false,
                    });
                }
                Item::Function(decl) => {
                    let index = self.model.functions.len();
                    self.declare_name(&decl.name, Symbol::Function(index), "function");
                    self.model.functions.push(FunctionInfo {
                        decl,
                        args: Vec::new(),
                        result: Type::Error,
                        size: 1,
                        uses: Vec::new(),
                        height: 1,
                    });
                }
                Item::Rule(decl) => self.declare_rule(decl, None),
                Item::Group(decl) => {
                    let group = self.model.groups.len();
                    self.declare_name(&decl.name, Symbol::Group(group), "group");
                    self.model.groups.push(GroupInfo {
                        decl,
                        weight: Decimal::ONE,
                    });
                    for rule in &decl.rules {
                        self.declare_rule(rule, Some(group));
                    }
                }
                Item::Table(decl) => self.declare_table(decl),
                Item::Tier(decl) => {
                    self.declare_name(&decl.name, Symbol::Tier(self.model.tiers.len()), "tier");
                    self.model.tiers.push(TierInfo {
                        decl,
                        range: super::intervals::Interval::everything(),
                    });
                }
                Item::Consequence(decl) => {
                    self.declare_name(
                        &decl.name,
                        Symbol::Consequence(self.model.consequences.len()),
                        "consequence",
                    );
                    self.model.consequences.push(ConsequenceInfo { decl });
                }
                Item::Test(decl) => self.model.tests.push(decl),
            }
        }
    }

    fn declare_rule(&mut self, decl: &'a ast::Rule, group: Option<usize>) {
        self.declare_name(&decl.name, Symbol::Rule(self.model.rules.len()), "rule");
        self.model.rules.push(RuleInfo {
            decl,
            group,
            subject: None,
        });
    }

    /// Registers a name in the policy's single namespace.
    pub(super) fn declare_name(&mut self, name: &ast::Ident, symbol: Symbol, kind: &str) {
        match self.model.names.get(&name.node) {
            Some((_, first)) => {
                let first = *first;
                self.report(duplicate(kind, &name.node, name.span, first));
                // Uses of the name resolve to the first declaration; the second is not "unused".
                self.used.insert(symbol);
            }
            None => {
                self.model
                    .names
                    .insert(name.node.clone(), (symbol, name.span));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Header

    fn header(&mut self, ast: &'a ast::PolicyFile) {
        let mut headers = ast.items.iter().filter_map(|i| match i {
            Item::Policy(p) => Some(p),
            _ => None,
        });
        let Some(header) = headers.next() else {
            let file = ast.items.first().map(|i| i.span().file).unwrap_or_default();
            self.report(
                CheckError::new(
                    Code::MissingHeader,
                    Span::new(file, 0, 0),
                    "this file has no `policy` header",
                    "expected a `policy \"…\" { … }` block",
                )
                .with_help("start the file with `policy \"Name\" { version \"1.0\" effective 2027-01-01 score 0 to 100 }`"),
            );
            return;
        };
        for extra in headers {
            self.report(
                CheckError::new(
                    Code::MissingHeader,
                    extra.name.span,
                    "a file holds one policy, but this is a second `policy` header",
                    "second header",
                )
                .with_secondary(header.name.span, "the policy is declared here")
                .with_help("put each policy in a file of its own"),
            );
        }
        let h = &mut self.model.header;
        h.name = header.name.node.clone();
        h.docs = header.docs.clone();
        h.span = header.span;
        h.scale_span = header.name.span;
        let mut seen: [Option<Span>; 4] = [None; 4];
        let mut problems = Vec::new();
        let mut scale = None;
        for item in &header.items {
            let (slot, what) = match &item.node {
                HeaderItem::Allow(_) => continue,
                HeaderItem::Version(_) => (0, "the version"),
                HeaderItem::Effective(_) => (1, "the effective date"),
                HeaderItem::Scale { .. } => (2, "the score scale"),
                HeaderItem::Rounding { .. } => (3, "the rounding"),
            };
            if let Some(first) = seen.get(slot).copied().flatten() {
                problems.push(duplicate_clause(what, item.span, first));
                continue;
            }
            if let Some(s) = seen.get_mut(slot) {
                *s = Some(item.span);
            }
            match &item.node {
                HeaderItem::Version(v) => h.version = Some(v.node.clone()),
                HeaderItem::Effective(d) => h.effective = Some(d.node),
                HeaderItem::Scale {
                    min,
                    max,
                    start,
                    direction,
                } => {
                    scale = Some((min, max, start));
                    h.scale_span = item.span;
                    if let Some(d) = direction {
                        h.higher_is_worse = d.node == ast::Direction::HigherIsWorse;
                        h.direction_span = Some(d.span);
                    }
                }
                HeaderItem::Rounding { decimals, mode } => {
                    h.decimals = decimals.node;
                    h.rounding = mode.as_ref().map(|m| m.node).unwrap_or_default();
                }
                HeaderItem::Allow(_) => {}
            }
        }
        for (slot, what, example) in [
            (0, "version", "version \"1.0.0\""),
            (1, "effective date", "effective 2027-01-01"),
            (2, "score scale", "score 0 to 1000 starting at 500"),
        ] {
            if seen.get(slot).copied().flatten().is_none() {
                problems.push(
                    CheckError::new(
                        Code::HeaderField,
                        header.name.span,
                        format!("the policy header does not give the {what}"),
                        format!("no {what} in this header"),
                    )
                    .with_help(format!("add a line such as `{example}` inside the header")),
                );
            }
        }
        if let Some((min, max, start)) = scale {
            let h = &mut self.model.header;
            h.min = min.node;
            h.max = max.node;
            h.start = start.as_ref().map_or(min.node, |s| s.node);
            if min.node >= max.node {
                problems.push(
                    CheckError::new(
                        Code::InvalidRange,
                        min.span.to(max.span),
                        format!("the score scale {} to {} is empty", min.node, max.node),
                        "the lowest score must be below the highest",
                    )
                    .with_help("write the lowest score first, for example `score 0 to 1000`"),
                );
            } else if let Some(start) = start {
                if start.node < min.node || start.node > max.node {
                    problems.push(
                        CheckError::new(
                            Code::InvalidRange,
                            start.span,
                            format!(
                                "the starting score {} is outside the scale {} to {}",
                                start.node, min.node, max.node
                            ),
                            "outside the scale",
                        )
                        .with_secondary(min.span.to(max.span), "the scale"),
                    );
                } else {
                    self.scale_ok = true;
                }
            } else {
                self.scale_ok = true;
            }
        }
        self.problems.extend(problems);
    }

    // ---------------------------------------------------------------------------------------------
    // Indicators

    /// The kind of value a declared type holds (an indicator's or a table output's), and its
    /// written range; a member listed twice is reported once.
    pub(super) fn value_kind<'t>(
        &mut self,
        ty: &'t IndicatorType,
    ) -> (ValueKind, Option<&'t ast::Range>) {
        match ty {
            IndicatorType::Boolean => (ValueKind::Bool, None),
            IndicatorType::Count(r) => (ValueKind::Count, r.as_ref()),
            IndicatorType::Integer(r) => (ValueKind::Integer, r.as_ref()),
            IndicatorType::Decimal(r) => (ValueKind::Decimal, r.as_ref()),
            IndicatorType::Enum(members) => {
                let mut names: Vec<String> = Vec::new();
                for (i, member) in members.iter().enumerate() {
                    // `STUDENT` and `"STUDENT"` are one member: the AST holds the text.
                    if let Some(first) = members.iter().take(i).find(|m| m.node == member.node) {
                        self.member_listed_twice(&member.node, member.span, first.span);
                    } else {
                        self.check_member_text(&member.node, member.span);
                        names.push(member.node.clone());
                    }
                }
                (ValueKind::Enum(names), None)
            }
            IndicatorType::Text => (ValueKind::Text, None),
        }
    }

    fn indicator(&mut self, index: usize, decl: &'a ast::Indicator) -> IndicatorInfo<'a> {
        let (kind, range) = self.value_kind(&decl.ty.node);
        let mut info = IndicatorInfo {
            decl,
            kind,
            min: range.map(|r| r.min.node),
            max: range.map(|r| r.max.node),
            missing: Missing::Required,
            protected: false,
            unit: None,
            source: None,
            direction: None,
            invalid_as_missing: false,
        };
        if let Some(r) = range {
            if r.min.node > r.max.node {
                self.report(
                    CheckError::new(
                        Code::InvalidRange,
                        r.min.span.to(r.max.span),
                        format!(
                            "the range {} to {} of `{}` is empty",
                            r.min.node, r.max.node, decl.name.node
                        ),
                        "the first number must not be above the second",
                    )
                    .with_help(format!(
                        "write the lowest value first: `{} to {}`",
                        r.max.node, r.min.node
                    )),
                );
            }
            if info.kind == ValueKind::Count && r.min.node < Decimal::ZERO {
                self.report(
                    CheckError::new(
                        Code::InvalidRange,
                        r.min.span,
                        format!("`{}` is a count, so it cannot go below 0", decl.name.node),
                        "a count starts at 0",
                    )
                    .with_help("use `integer` for whole numbers that can be negative"),
                );
            }
            if info.kind.is_whole() {
                for n in [&r.min, &r.max] {
                    if !n.node.fract().is_zero() {
                        self.report(type_mismatch(
                            n.span,
                            "a whole number",
                            "a fraction",
                            "the range of a whole-number indicator",
                        ));
                    }
                }
            }
        }
        if info.kind == ValueKind::Count && info.min.is_none() {
            info.min = Some(Decimal::ZERO);
        }

        let mut seen: [Option<Span>; 7] = [None; 7];
        for option in &decl.options {
            let (slot, what) = match &option.node {
                IndicatorOption::Allow(_) => continue,
                IndicatorOption::Unit(_) => (0, "the unit"),
                IndicatorOption::Source(_) => (1, "the source"),
                IndicatorOption::Protected => (2, "`protected`"),
                IndicatorOption::Required
                | IndicatorOption::MissingMeans(_)
                | IndicatorOption::MissingUnknown => (3, "what a missing value means"),
                IndicatorOption::Direction(_) => (4, "the direction"),
                IndicatorOption::InvalidMeansMissing => (6, "`invalid means missing`"),
            };
            if let Some(first) = seen.get(slot).copied().flatten() {
                let is_conflict = slot == 3
                    && matches!(
                        option.node,
                        IndicatorOption::Required
                            | IndicatorOption::MissingMeans(_)
                            | IndicatorOption::MissingUnknown
                    );
                if is_conflict && !same_variant(&decl.options, first, option) {
                    self.report(
                        CheckError::new(
                            Code::ConflictingOptions,
                            option.span,
                            format!("`{}` says twice what a missing value means, differently", decl.name.node),
                            "conflicts with the earlier option",
                        )
                        .with_secondary(first, "first said here")
                        .with_help("an indicator is either `required`, or `missing means` a value, or `missing means unknown`"),
                    );
                } else {
                    self.report(duplicate_clause(what, option.span, first));
                }
                continue;
            }
            if let Some(s) = seen.get_mut(slot) {
                *s = Some(option.span);
            }
            match &option.node {
                IndicatorOption::Unit(u) => {
                    if !info.kind.is_numeric() {
                        self.report(conflict(option, &decl.name.node, "a unit", "numbers"));
                    }
                    info.unit = Some(u.node.clone());
                }
                IndicatorOption::Source(s) => info.source = Some(s.node.clone()),
                IndicatorOption::Protected => info.protected = true,
                IndicatorOption::Required => info.missing = Missing::Required,
                IndicatorOption::MissingUnknown => info.missing = Missing::Unknown,
                IndicatorOption::MissingMeans(lit) => {
                    if let Some(value) =
                        self.literal_for(index, &info, lit, "the value used when it is missing")
                    {
                        info.missing = Missing::Default(value);
                    }
                }
                IndicatorOption::Direction(d) => {
                    if matches!(info.kind, ValueKind::Text | ValueKind::Enum(_)) {
                        self.report(conflict(
                            option,
                            &decl.name.node,
                            "a direction",
                            "numbers and yes/no values",
                        ));
                    }
                    info.direction = Some(*d);
                }
                IndicatorOption::InvalidMeansMissing => info.invalid_as_missing = true,
                IndicatorOption::Allow(_) => {}
            }
        }
        if info.invalid_as_missing && info.missing == Missing::Required {
            if let Some(option) = decl
                .options
                .iter()
                .find(|o| o.node == IndicatorOption::InvalidMeansMissing)
            {
                self.report(
                    CheckError::new(
                        Code::ConflictingOptions,
                        option.span,
                        format!("`{}` treats an invalid value as missing, but a missing value is not allowed", decl.name.node),
                        "an invalid value would still reject the record",
                    )
                    .with_help("say what a missing value means (`missing means 0`, `missing means unknown`), or remove `invalid means missing`"),
                );
            }
        }
        info
    }

    /// Checks a literal written for indicator `index` (a missing-value default or a test input)
    /// and converts it. Reports and returns `None` when it does not fit.
    pub(super) fn literal_for(
        &mut self,
        index: usize,
        info: &IndicatorInfo<'_>,
        lit: &Literal,
        context: &str,
    ) -> Option<Value> {
        let name = &info.decl.name.node;
        let in_test = !context.starts_with("the value used");
        let wrong = |found: &str| {
            let expected = match &info.kind {
                ValueKind::Bool => "`yes` or `no`".to_string(),
                ValueKind::Count | ValueKind::Integer => "a whole number".to_string(),
                ValueKind::Decimal => "a number".to_string(),
                ValueKind::Enum(m) => format!("one of {}", list(m)),
                ValueKind::Text => "a quoted text".to_string(),
            };
            let mut error = type_mismatch(
                lit.span(),
                &expected,
                found,
                &format!("{context} for `{name}`"),
            );
            if in_test {
                error.code = Code::InvalidTest;
            }
            error
        };
        match (&info.kind, lit) {
            (ValueKind::Bool, Literal::Bool(b)) => Some(Value::Bool(b.node)),
            (ValueKind::Text, Literal::Text(t)) => Some(Value::Text(t.node.clone())),
            (ValueKind::Enum(_), Literal::Name(_) | Literal::Text(_)) => {
                let written = super::members::Written::of(lit)?;
                if !in_test {
                    return self.missing_member(index, info, written).map(Value::Member);
                }
                self.member_of(index, info, written).map(Value::Member)
            }
            (kind, Literal::Number(n)) if kind.is_numeric() => {
                if kind.is_whole() && !n.node.fract().is_zero() {
                    self.report(wrong("a fraction"));
                    return None;
                }
                let below = info.min.is_some_and(|m| n.node < m);
                let above = info.max.is_some_and(|m| n.node > m);
                if below || above {
                    let range = format!(
                        "{} to {}",
                        info.min.map_or("any".to_string(), |m| m.to_string()),
                        info.max.map_or("any".to_string(), |m| m.to_string())
                    );
                    let code = if in_test {
                        Code::InvalidTest
                    } else {
                        Code::InvalidRange
                    };
                    self.report(
                        CheckError::new(
                            code,
                            n.span,
                            format!(
                                "{} is outside the declared range {range} of `{name}`",
                                n.node
                            ),
                            "out of range",
                        )
                        .with_secondary(info.decl.ty.span, "declared range"),
                    );
                    return None;
                }
                Some(Value::Number(n.node))
            }
            (_, Literal::Number(_)) => {
                self.report(wrong("a number"));
                None
            }
            (_, Literal::Text(_)) => {
                self.report(wrong("a text"));
                None
            }
            (_, Literal::Bool(_)) => {
                self.report(wrong("a yes/no value"));
                None
            }
            (_, Literal::Name(n)) => {
                self.report(wrong(&format!("the name `{}`", n.node)));
                None
            }
        }
    }
}

fn same_variant(
    options: &[Node<IndicatorOption>],
    first: Span,
    option: &Node<IndicatorOption>,
) -> bool {
    options
        .iter()
        .find(|o| o.span == first)
        .is_some_and(|o| std::mem::discriminant(&o.node) == std::mem::discriminant(&option.node))
}

fn conflict(option: &Node<IndicatorOption>, name: &str, what: &str, allowed: &str) -> CheckError {
    CheckError::new(
        Code::ConflictingOptions,
        option.span,
        format!("`{name}` cannot have {what}: only {allowed} can"),
        "not allowed for this type",
    )
    .with_help("remove this option")
}

/// "`a`, `b` or `c`"
pub fn list(items: &[String]) -> String {
    super::members::list(items)
}
