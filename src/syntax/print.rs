//! The canonical pretty-printer: turns a [`PolicyFile`] back into Rubric source text.
//!
//! Every tree has exactly one printed form: two-space indentation inside blocks, one clause per
//! line, `///` documentation before its declaration, texts re-escaped, numbers exactly as their
//! decimal value, `yes`/`no` for booleans, and only the parentheses that the grammar's precedence
//! requires. Declarations and clauses keep their order (repeated clauses too, so that the checker
//! still sees them). Ordinary `//` comments are not part of the tree, so they are not printed.
//!
//! The promise, checked for every example and fixture by `tests/fixtures/roundtrip.rs`: for every
//! file `f` that parses, `parse(print(parse(f)))` is `parse(f)` up to spans, and printing is
//! idempotent. Formatters and tools that rewrite policies build on this.

use super::ast::*;
use exprs::{ends_open, expr, write_expr, Prec};

/// Prints a whole policy file in canonical form. The text ends with a line break unless the file
/// has no declarations at all.
pub fn print(file: &PolicyFile) -> String {
    let mut p = Printer::default();
    let mut previous: Option<&Item> = None;
    for item in &file.items {
        if let Some(prev) = previous {
            if !runs_on(prev, item) {
                p.out.push('\n');
            }
        }
        p.item(item);
        previous = Some(item);
    }
    p.out
}

/// One-line declarations of the same kind (indicators, params, lets, tiers) are printed as a run
/// without blank lines between them; everything else is separated by a blank line.
fn runs_on(previous: &Item, next: &Item) -> bool {
    matches!(
        (previous, next),
        (Item::Indicator(_), Item::Indicator(_))
            | (Item::Param(_), Item::Param(_))
            | (Item::Let(_), Item::Let(_))
            | (Item::Tier(_), Item::Tier(_))
    )
}

/// The line width that indicator declarations are wrapped to (other lines are never broken).
const WIDTH: usize = 100;

#[derive(Default)]
struct Printer {
    out: String,
    /// Current block depth; each level is two spaces.
    indent: usize,
}

impl Printer {
    fn line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn docs(&mut self, docs: &Docs) {
        for doc in docs {
            if doc.is_empty() {
                self.line("///");
            } else {
                self.line(&format!("/// {doc}"));
            }
        }
    }

    /// `head {`, the body one level deeper, `}`; an empty body is printed as `head {}`.
    fn block(&mut self, head: &str, empty: bool, body: impl FnOnce(&mut Self)) {
        if empty {
            self.line(&format!("{head} {{}}"));
            return;
        }
        self.line(&format!("{head} {{"));
        self.indent += 1;
        body(self);
        self.indent -= 1;
        self.line("}");
    }

    fn item(&mut self, item: &Item) {
        match item {
            Item::Policy(x) => self.policy(x),
            Item::Indicator(x) => self.indicator(x),
            Item::Param(x) => self.param(x),
            Item::Let(x) => self.let_decl(x),
            Item::Function(x) => self.function(x),
            Item::Rule(x) => self.rule(x),
            Item::Group(x) => self.group(x),
            Item::Table(x) => self.table(x),
            Item::Tier(x) => self.tier(x),
            Item::Consequence(x) => self.consequence(x),
            Item::Test(x) => self.test(x),
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Header

    fn policy(&mut self, policy: &PolicyHeader) {
        self.docs(&policy.docs);
        let head = format!("policy {}", text(&policy.name));
        self.block(&head, policy.items.is_empty(), |p| {
            for item in &policy.items {
                p.line(&header_item(item));
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Indicators, params, derived values

    /// An indicator on one line; options that would run past [`WIDTH`] continue on the next
    /// lines, indented.
    fn indicator(&mut self, indicator: &Indicator) {
        self.docs(&indicator.docs);
        let mut line = format!(
            "indicator {}: {}",
            indicator.name.node,
            indicator_type(&indicator.ty)
        );
        for option in &indicator.options {
            let option = indicator_option(option);
            let width = 2 * self.indent + line.chars().count() + 2 + option.chars().count();
            if width > WIDTH {
                line.push(',');
                self.line(&line);
                line = format!("  {option}");
            } else {
                line.push_str(", ");
                line.push_str(&option);
            }
        }
        self.line(&line);
    }

    fn param(&mut self, param: &Param) {
        self.docs(&param.docs);
        let mut line = format!("param {} = {}", param.name.node, number(&param.value));
        if let Some(unit) = &param.unit {
            line.push(' ');
            if super::is_plain_name(&unit.node) {
                line.push_str(&unit.node);
            } else {
                line.push_str(&text(unit));
            }
        }
        trailing_allows(&mut line, &param.allows);
        self.line(&line);
    }

    fn let_decl(&mut self, decl: &Let) {
        self.docs(&decl.docs);
        let mut line = format!("let {} = {}", decl.name.node, expr(&decl.value));
        trailing_allows(&mut line, &decl.allows);
        self.line(&line);
    }

    fn function(&mut self, decl: &Function) {
        self.docs(&decl.docs);
        let args: Vec<String> = decl
            .args
            .iter()
            .map(|a| format!("{}: {}", a.node.name.node, argument_type(&a.node.ty.node)))
            .collect();
        let mut line = format!(
            "function {}({}) = {}",
            decl.name.node,
            args.join(", "),
            expr(&decl.body)
        );
        trailing_allows(&mut line, &decl.allows);
        self.line(&line);
    }

    // ---------------------------------------------------------------------------------------------
    // Rules and groups

    fn rule(&mut self, rule: &Rule) {
        self.docs(&rule.docs);
        let mut head = titled("rule", &rule.name.node, rule.title.as_ref());
        if let Some(by) = &rule.by {
            head.push_str(" by ");
            head.push_str(&by.node);
        }
        // Bin arrows are aligned within one rule.
        let width = rule
            .items
            .iter()
            .filter_map(|item| match &item.node {
                RuleItem::Bin(bin) => Some(bin_pattern(&bin.pattern).chars().count()),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        self.block(&head, rule.items.is_empty(), |p| {
            for item in &rule.items {
                p.line(&rule_item(item, width));
            }
        });
    }

    fn group(&mut self, group: &Group) {
        self.docs(&group.docs);
        let mut head = titled("group", &group.name.node, group.title.as_ref());
        if let Some(weight) = &group.weight {
            head.push_str(" weight ");
            head.push_str(&expr(weight));
        }
        match group.counts.as_ref().map(|c| c.node) {
            Some(Counts::Highest) => head.push_str(" counts the highest"),
            Some(Counts::Lowest) => head.push_str(" counts the lowest"),
            None => {}
        }
        self.block(
            &head,
            group.rules.is_empty() && group.allows.is_empty(),
            |p| {
                for allow in &group.allows {
                    p.line(&allow_clause(allow));
                }
                if !group.allows.is_empty() && !group.rules.is_empty() {
                    p.out.push('\n');
                }
                for (i, rule) in group.rules.iter().enumerate() {
                    if i > 0 {
                        p.out.push('\n');
                    }
                    p.rule(rule);
                }
            },
        );
    }

    // ---------------------------------------------------------------------------------------------
    // Tiers and consequences

    fn tier(&mut self, tier: &Tier) {
        self.docs(&tier.docs);
        let mut line = titled("tier", &tier.name.node, tier.title.as_ref());
        line.push(' ');
        line.push_str(&interval(&tier.bounds));
        trailing_allows(&mut line, &tier.allows);
        self.line(&line);
    }

    fn consequence(&mut self, consequence: &Consequence) {
        self.docs(&consequence.docs);
        let head = titled(
            "consequence",
            &consequence.name.node,
            consequence.title.as_ref(),
        );
        self.block(&head, consequence.items.is_empty(), |p| {
            let mut items = consequence.items.iter().peekable();
            while let Some(item) = items.next() {
                let mut line = consequence_item(item);
                // `when x` followed by `is a sanction` would read as `when x is a`, then fail at
                // `sanction`; a comma (which the grammar allows between items) ends the condition.
                if let ConsequenceItem::When(condition) = &item.node {
                    let next_is_kind = items
                        .peek()
                        .is_some_and(|next| matches!(next.node, ConsequenceItem::Kind(_)));
                    if next_is_kind && ends_open(condition, Prec::If) {
                        line.push(',');
                    }
                }
                p.line(&line);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Tests

    fn test(&mut self, test: &Test) {
        self.docs(&test.docs);
        let head = format!("test {}", text(&test.name));
        self.block(&head, test.items.is_empty(), |p| {
            for item in &test.items {
                p.line(&test_item(item));
            }
        });
    }
}

// -------------------------------------------------------------------------------------------------
// Clauses

fn header_item(item: &HeaderItem) -> String {
    match item {
        HeaderItem::Version(v) => format!("version {}", text(v)),
        HeaderItem::Effective(date) => format!("effective {}", date.node),
        HeaderItem::Scale {
            min,
            max,
            start,
            direction,
        } => {
            let mut line = format!("score {} to {}", number(min), number(max));
            if let Some(start) = start {
                line.push_str(" starting at ");
                line.push_str(&number(start));
            }
            if let Some(direction) = direction {
                line.push_str(", ");
                line.push_str(direction_words(direction.node));
            }
            line
        }
        HeaderItem::Rounding { decimals, mode } => {
            let mut line = format!("round to {} decimals", decimals.node);
            if let Some(mode) = mode {
                line.push_str(", ");
                line.push_str(mode.node.words());
            }
            line
        }
        HeaderItem::Allow(allow) => allow_clause(allow),
    }
}

/// `allow W1005 because "…"`
fn allow_clause(allow: &Allow) -> String {
    format!("allow {} because {}", allow.code.node, text(&allow.reason))
}

/// `, allow W1005 because "…"` for each suppression of a one-line declaration.
fn trailing_allows(line: &mut String, allows: &[crate::span::Node<Allow>]) {
    for allow in allows {
        line.push_str(", ");
        line.push_str(&allow_clause(allow));
    }
}

fn indicator_type(ty: &IndicatorType) -> String {
    let with_range = |word: &str, range: &Option<Range>| match range {
        Some(r) => format!("{word} {} to {}", number(&r.min), number(&r.max)),
        None => word.to_string(),
    };
    match ty {
        IndicatorType::Boolean => "boolean".to_string(),
        IndicatorType::Count(r) => with_range("count", r),
        IndicatorType::Integer(r) => with_range("integer", r),
        IndicatorType::Decimal(r) => with_range("decimal", r),
        IndicatorType::Enum(members) => {
            let names: Vec<String> = members.iter().map(|m| member(&m.node)).collect();
            format!("one of [{}]", names.join(", "))
        }
        IndicatorType::Text => "text".to_string(),
    }
}

fn argument_type(ty: &ArgumentType) -> String {
    let with_range = |word: &str, range: &Option<Range>| match range {
        Some(r) => format!("{word} {} to {}", number(&r.min), number(&r.max)),
        None => word.to_string(),
    };
    match ty {
        ArgumentType::Boolean => "boolean".to_string(),
        ArgumentType::Count(r) => with_range("count", r),
        ArgumentType::Integer(r) => with_range("integer", r),
        ArgumentType::Decimal(r) => with_range("decimal", r),
        ArgumentType::MemberOf(indicator) => format!("one of {}", indicator.node),
        ArgumentType::Text => "text".to_string(),
    }
}

fn indicator_option(option: &IndicatorOption) -> String {
    match option {
        IndicatorOption::Unit(t) => format!("unit {}", text(t)),
        IndicatorOption::Source(t) => format!("source {}", text(t)),
        IndicatorOption::Protected => "protected".to_string(),
        IndicatorOption::Required => "required".to_string(),
        IndicatorOption::MissingMeans(value) => format!("missing means {}", literal(value)),
        IndicatorOption::MissingUnknown => "missing means unknown".to_string(),
        IndicatorOption::InvalidMeansMissing => "invalid means missing".to_string(),
        IndicatorOption::Direction(d) => direction_words(*d).to_string(),
        IndicatorOption::Allow(allow) => allow_clause(allow),
    }
}

fn direction_words(direction: Direction) -> &'static str {
    match direction {
        Direction::HigherIsWorse => "higher is worse",
        Direction::HigherIsBetter => "higher is better",
    }
}

/// `reason R07 "…"`, `reason "…"` or `reason R07`.
fn reason_clause(reason: &ReasonClause) -> String {
    let mut line = "reason".to_string();
    if let Some(code) = &reason.code {
        line.push(' ');
        line.push_str(&code.node);
    }
    if let Some(t) = &reason.text {
        line.push(' ');
        line.push_str(&text(t));
    }
    line
}

/// One rule clause; `width` is the width to which bin patterns are padded.
fn rule_item(item: &RuleItem, width: usize) -> String {
    match item {
        RuleItem::When(condition) => format!("when {}", expr(condition)),
        RuleItem::Effect(effect) => {
            let mut line = format!("{} {}", verb(effect.verb.node), expr(&effect.amount));
            if let Some(per) = &effect.per {
                line.push_str(" per ");
                line.push_str(&expr(per));
            }
            for cap in &effect.caps {
                line.push_str(match cap.kind {
                    CapKind::AtMost => ", at most ",
                    CapKind::AtLeast => ", at least ",
                });
                line.push_str(&expr(&cap.value));
            }
            line
        }
        RuleItem::Bin(bin) => format!(
            "{:<width$} => {} {}",
            bin_pattern(&bin.pattern),
            verb(bin.verb.node),
            exprs::unary_expr(&bin.amount)
        ),
        RuleItem::Basis(t) => format!("basis {}", text(t)),
        RuleItem::Reason(reason) => reason_clause(reason),
        RuleItem::Baseline(n) => format!("baseline {}", number(n)),
        RuleItem::Allow(allow) => allow_clause(allow),
    }
}

fn verb(verb: Verb) -> &'static str {
    match verb {
        Verb::Add => "add",
        Verb::Deduct => "deduct",
    }
}

fn bin_pattern(pattern: &BinPattern) -> String {
    match pattern {
        BinPattern::Missing => "missing".to_string(),
        BinPattern::Otherwise => "otherwise".to_string(),
        BinPattern::Values(values) => {
            let parts: Vec<String> = values.iter().map(|v| interval(v)).collect();
            parts.join(", ")
        }
    }
}

/// A bin's or tier's values as the canonical form writes them (also quoted in diagnostics).
pub fn interval(interval: &Interval) -> String {
    let Interval::Range { lo, hi } = interval else {
        return match interval {
            Interval::Exactly(value) => literal(value),
            Interval::Range { .. } => String::new(),
        };
    };
    let end = |e: &RangeEnd| bound(&e.bound);
    match (lo, hi) {
        (Some(a), Some(b)) => match (a.inclusive, b.inclusive) {
            (true, true) => format!("{} to {}", end(a), end(b)),
            (true, false) => format!("from {} below {}", end(a), end(b)),
            (false, true) => format!("above {} to {}", end(a), end(b)),
            (false, false) => format!("above {} below {}", end(a), end(b)),
        },
        (Some(a), None) if a.inclusive => format!("at {} and above", end(a)),
        (Some(a), None) => format!("above {}", end(a)),
        (None, Some(b)) if b.inclusive => format!("at most {}", end(b)),
        (None, Some(b)) => format!("below {}", end(b)),
        (None, None) => String::new(),
    }
}

fn bound(bound: &Bound) -> String {
    match bound {
        Bound::Number(n) => number(n),
        Bound::Param(name) => name.node.clone(),
    }
}

fn consequence_item(item: &ConsequenceItem) -> String {
    match item {
        ConsequenceItem::Kind(ConsequenceKind::Sanction) => "is a sanction".to_string(),
        ConsequenceItem::Kind(ConsequenceKind::Benefit) => "is a benefit".to_string(),
        ConsequenceItem::When(condition) => format!("when {}", expr(condition)),
        ConsequenceItem::Lasts(Lasts::For(duration)) => format!("lasts {duration}"),
        ConsequenceItem::Lasts(Lasts::Indefinitely(why)) => {
            format!("lasts indefinitely because {}", text(why))
        }
        ConsequenceItem::Lasts(Lasts::Computed(length)) => format!("lasts {}", computed(length)),
        ConsequenceItem::Lasts(Lasts::AtLeast(length)) => {
            format!("lasts at least {}", length_text(length))
        }
        ConsequenceItem::Notice(duration) => format!("notice {duration}"),
        ConsequenceItem::NoticeComputed(length) => format!("notice {}", computed(length)),
        ConsequenceItem::Appeal(t) => format!("appeal {}", text(t)),
        ConsequenceItem::Basis(t) => format!("basis {}", text(t)),
        ConsequenceItem::Allow(allow) => allow_clause(allow),
    }
}

/// A computed length: a written number is bracketed, so that it reads back as computed rather
/// than as a written duration.
fn computed(length: &Length) -> String {
    match &length.amount.node {
        ExprKind::Number(n) => format!("({n}) {}", unit_word(length.unit)),
        _ => length_text(length),
    }
}

/// `6 months`, `ban_months months`, `(2 * offences) months`: the amount is one term.
fn length_text(length: &Length) -> String {
    let mut out = String::new();
    write_expr(&mut out, &length.amount, Prec::Unary);
    format!("{out} {}", unit_word(length.unit))
}

fn unit_word(unit: TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Days => "days",
        TimeUnit::Weeks => "weeks",
        TimeUnit::Months => "months",
        TimeUnit::Years => "years",
    }
}

fn test_item(item: &TestItem) -> String {
    match item {
        TestItem::Allow(allow) => allow_clause(allow),
        TestItem::Given(givens) => {
            let parts: Vec<String> = givens
                .iter()
                .map(|g| match &g.value {
                    Some(value) => format!("{} = {}", g.name.node, literal(value)),
                    None => format!("{} = missing", g.name.node),
                })
                .collect();
            format!("given {}", parts.join(", "))
        }
        TestItem::Expect(expectations) => {
            let parts: Vec<String> = expectations
                .iter()
                .map(|e| match &e.node {
                    Expectation::Equals(target, value) => {
                        let target = match target {
                            ExpectTarget::Score => "score",
                            ExpectTarget::Tier => "tier",
                            ExpectTarget::Name(name) => name.node.as_str(),
                        };
                        format!("{target} = {}", literal(value))
                    }
                    Expectation::Present(name) => name.node.clone(),
                    Expectation::Absent(name) => format!("no {}", name.node),
                })
                .collect();
            format!("expect {}", parts.join(", "))
        }
    }
}

// -------------------------------------------------------------------------------------------------
// Tokens

fn number(n: &Number) -> String {
    n.node.to_string()
}

fn literal(value: &Literal) -> String {
    match value {
        Literal::Number(n) => number(n),
        Literal::Text(t) => text(t),
        Literal::Bool(b) => yes_no(b.node).to_string(),
        Literal::Name(name) => name.node.clone(),
    }
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

fn text(t: &Text) -> String {
    quote(&t.node)
}

/// A list member as it is written: bare when it is a name (`STUDENT`), otherwise quoted
/// (`"SELF-EMPLOYED"`, `"yes"`). Diagnostics name members in this form too.
pub fn member(name: &str) -> String {
    if super::is_plain_name(name) {
        name.to_string()
    } else {
        quote(name)
    }
}

/// A quoted text with `"`, `\`, line breaks and tabs escaped (the only escapes the language has).
pub fn quote(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 2);
    out.push('"');
    for ch in raw.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

/// `keyword name` followed by the quoted title, if the declaration has one.
fn titled(keyword: &str, name: &str, title: Option<&Text>) -> String {
    match title {
        Some(title) => format!("{keyword} {name} {}", text(title)),
        None => format!("{keyword} {name}"),
    }
}

mod exprs;
mod tables;
#[cfg(test)]
mod tests;
