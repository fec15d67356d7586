//! The document, built once per policy from the checked model, the lowered policy and its tests,
//! in a form that knows nothing of Markdown or HTML: sections of paragraphs, facts, tables, lists
//! and the tier chart. `markdown.rs` and `html.rs` render it; both escape every text they print.

use super::svg::{self, Chart};
use crate::check::{Model, Resolved, Site, Symbol};
use crate::eval::{self, Decision};
use crate::ir;
use crate::phrase::{self, contribution_range, humanise, number, points, signed_points, Phraser};
use crate::span::Span;
use crate::syntax::ast::{self, ConsequenceItem, Item, RuleItem};
use rust_decimal::Decimal;
use std::collections::BTreeSet;

mod consequences;
mod examples;
mod functions;
mod suppressions;
mod tables;

/// A run of text: plain words, names (shown as code) and strong words.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Text(pub Vec<Inline>);

#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Plain(String),
    /// A name as written in the policy (`late_taxes`).
    Code(String),
    Strong(String),
}

impl Text {
    pub fn plain(s: impl Into<String>) -> Self {
        Text(vec![Inline::Plain(s.into())])
    }
    pub fn code(s: impl Into<String>) -> Self {
        Text(vec![Inline::Code(s.into())])
    }
    pub fn strong(s: impl Into<String>) -> Self {
        Text(vec![Inline::Strong(s.into())])
    }
    pub fn then(mut self, inline: Inline) -> Self {
        self.0.push(inline);
        self
    }
    /// The words without markup (alt texts, titles, the completeness test).
    pub fn flat(&self) -> String {
        self.0
            .iter()
            .map(|i| match i {
                Inline::Plain(s) | Inline::Code(s) | Inline::Strong(s) => s.as_str(),
            })
            .collect()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::plain(s)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text::plain(s)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Para(Text),
    /// A doc comment from the policy, line by line.
    Quote(Vec<String>),
    /// Labelled facts ("Basis: …").
    Facts(Vec<(String, Text)>),
    Table(Table),
    List(Vec<Text>),
    /// A warning-like note, e.g. on protected attributes or a failing example.
    Notice(Text),
    Chart(Chart),
    /// A command line.
    Code(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub caption: String,
    pub head: Vec<String>,
    /// The first cell of each row heads the row.
    pub rows: Vec<Vec<Text>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// Unique within the page, safe in URLs.
    pub id: String,
    pub heading: String,
    /// 2 or 3.
    pub level: u8,
    pub blocks: Vec<Block>,
}

/// The documentation of one policy.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyDoc {
    /// The file name stem of its pages.
    pub slug: String,
    pub title: String,
    pub version: String,
    pub effective: String,
    pub summary: Vec<String>,
    pub sections: Vec<Section>,
}

/// Builds the document of one checked and lowered policy.
pub fn build(model: &Model<'_>, policy: &ir::Policy, slug: &str, command: &str) -> PolicyDoc {
    let p = Phraser::new(model);
    let b = Builder {
        p: &p,
        model,
        policy,
    };
    let mut sections = vec![b.identity(command), b.scoring(), b.rules_overview()];
    sections.extend(b.rules());
    sections.extend(b.tables());
    sections.push(b.tiers());
    sections.push(b.consequences_overview());
    sections.extend(b.consequences());
    sections.push(b.indicators());
    sections.push(b.params());
    if !model.lets.is_empty() {
        sections.push(b.derived());
    }
    if !model.functions.is_empty() {
        sections.push(b.functions());
    }
    sections.extend(b.examples());
    sections.push(b.suppressions());
    PolicyDoc {
        slug: slug.to_string(),
        title: model.header.name.clone(),
        version: policy.identity.version.clone(),
        effective: policy
            .identity
            .effective
            .map(|d| d.to_string())
            .unwrap_or_else(|| "not stated".to_string()),
        summary: model.header.docs.clone(),
        sections,
    }
}

struct Builder<'x, 'm, 'a> {
    p: &'x Phraser<'m, 'a>,
    model: &'x Model<'a>,
    policy: &'x ir::Policy,
}

fn section(id: impl Into<String>, heading: impl Into<String>, level: u8) -> Section {
    Section {
        id: id.into(),
        heading: heading.into(),
        level,
        blocks: Vec::new(),
    }
}

fn or_dash(v: Option<String>) -> Text {
    Text::plain(v.unwrap_or_else(|| "—".to_string()))
}

fn docs_text(docs: &[String]) -> Text {
    Text::plain(docs.join(" "))
}

/// A rule's written basis, reason and baseline.
fn rule_texts(rule: &ast::Rule) -> (Option<String>, Option<String>, Option<Decimal>) {
    let mut out = (None, None, None);
    for item in &rule.items {
        match &item.node {
            RuleItem::Basis(t) => out.0 = Some(t.node.clone()),
            RuleItem::Reason(r) => out.1 = r.text.as_ref().map(|t| t.node.clone()),
            RuleItem::Baseline(n) => out.2 = Some(n.node),
            _ => {}
        }
    }
    out
}

/// A range of points as a short cell: "-200 to 0", "unbounded to 10".
fn range_cell(least: Option<Decimal>, most: Option<Decimal>) -> String {
    let end = |v: Option<Decimal>| v.map_or_else(|| "unbounded".to_string(), signed_plain);
    format!("{} to {}", end(least), end(most))
}

fn signed_plain(v: Decimal) -> String {
    if v > Decimal::ZERO {
        format!("+{}", number(v))
    } else {
        number(v)
    }
}

impl Builder<'_, '_, '_> {
    fn rule_title(&self, index: usize) -> String {
        self.model
            .rules
            .get(index)
            .map(|r| match &r.decl.title {
                Some(t) => t.node.clone(),
                None => phrase::capitalise(&humanise(&r.decl.name.node)),
            })
            .unwrap_or_default()
    }

    fn ir_rule(&self, index: usize) -> Option<&ir::Rule> {
        let name = &self.model.rules.get(index)?.decl.name.node;
        self.policy.rules.iter().find(|r| &r.name == name)
    }

    fn identity(&self, command: &str) -> Section {
        let id = &self.policy.identity;
        let mut s = section("identity", "Identity", 2);
        let mut facts = vec![
            ("Policy".into(), Text::plain(id.name.clone())),
            ("Version".into(), Text::plain(id.version.clone())),
            (
                "Effective from".into(),
                or_dash(id.effective.map(|d| d.to_string())),
            ),
            (
                "Content hash (SHA-256 of the policy text)".into(),
                Text::code(id.content_hash.clone()),
            ),
        ];
        if !id.overrides.is_empty() {
            // A what-if version: say so where the policy is identified, with every changed value.
            let changed: Vec<String> = self
                .model
                .params
                .iter()
                .filter(|p| p.overridden.is_some())
                .map(|p| {
                    format!(
                        "{} = {} (written: {})",
                        p.decl.name.node,
                        number(p.value),
                        number(p.decl.value.node)
                    )
                })
                .collect();
            facts.push((
                "What-if values (not the policy as written)".into(),
                Text::plain(changed.join("; ")),
            ));
        }
        s.blocks.push(Block::Facts(facts));
        s.blocks.push(Block::Para(Text::plain(
            "This document was generated from the policy text, which is the only official statement of the policy, with:",
        )));
        s.blocks.push(Block::Code(command.to_string()));
        s
    }

    fn scoring(&self) -> Section {
        let h = &self.model.header;
        let mut s = section("scoring", "How the score is worked out", 2);
        let rounding = if h.decimals == 0 {
            format!("to whole points ({})", h.rounding.words())
        } else {
            format!("to {} decimal places ({})", h.decimals, h.rounding.words())
        };
        s.blocks.push(Block::Para(Text::plain(format!(
            "Everyone starts at {}. Each rule below that applies adds or deducts points; a rule that does not apply contributes nothing, and the order of the rules never matters. Each rule's points are rounded {rounding}. The total is kept between {} and {}: a total below or above is raised or lowered to that limit. The score then places the case in exactly one tier, and the tier or the rules may bring consequences.",
            points(h.start),
            number(h.min),
            points(h.max)
        ))));
        if let Some(direction) = self.p.scale_direction() {
            s.blocks.push(Block::Para(Text::plain(direction)));
        }
        let reach = self.policy.reach;
        let lo = reach.lo.map(|v| v.max(h.min)).unwrap_or(h.min);
        let hi = reach.hi.map(|v| v.min(h.max)).unwrap_or(h.max);
        let before = range_cell(reach.lo, reach.hi).replace('+', "");
        s.blocks.push(Block::Para(Text::plain(format!(
            "Taking every rule's least and most points together, totals from {before} points are possible before they are kept on the scale, so scores from {} to {} can occur.",
            number(lo),
            points(hi)
        ))));
        if let Some(a) = &self.model.analysis {
            let unreachable: Vec<String> = a
                .tiers_reachable
                .iter()
                .enumerate()
                .filter(|(_, r)| !**r)
                .filter_map(|(i, _)| self.model.tiers.get(i))
                .map(|t| t.decl.name.node.clone())
                .collect();
            if !unreachable.is_empty() {
                s.blocks.push(Block::Notice(Text::plain(format!(
                    "No score can reach these tiers: {}.",
                    crate::text::join_and(&unreachable)
                ))));
            }
        }
        s.blocks
            .push(Block::Chart(svg::chart(self.model, self.policy, lo, hi)));
        s
    }

    fn rules_overview(&self) -> Section {
        let mut s = section("rules", "Rules", 2);
        s.blocks.push(Block::Para(Text::plain(
            "Every rule in plain words. The points a rule can contribute are worked out from the declared ranges of the facts it reads; they include caps, group weights and rounding.",
        )));
        let rows = (0..self.model.rules.len())
            .map(|i| {
                let (least, most) = self.ir_rule(i).map_or((None, None), |r| (r.least, r.most));
                let (basis, _, _) = self
                    .model
                    .rules
                    .get(i)
                    .map_or((None, None, None), |r| rule_texts(r.decl));
                vec![
                    Text::plain(self.rule_title(i)),
                    Text::code(
                        self.model
                            .rules
                            .get(i)
                            .map(|r| r.decl.name.node.clone())
                            .unwrap_or_default(),
                    ),
                    Text::plain(range_cell(least, most)),
                    or_dash(basis),
                ]
            })
            .collect();
        s.blocks.push(Block::Table(Table {
            caption: "Rules at a glance".into(),
            head: vec![
                "Rule".into(),
                "Name".into(),
                "Points it can contribute".into(),
                "Basis".into(),
            ],
            rows,
        }));
        if self.model.reason_codes.iter().any(|c| c.rules.len() > 1) {
            s.blocks.push(Block::Para(Text::plain(
                "Some rules share a reason code: a decision gives such a reason once, with the points its rules count against the person added together.",
            )));
            let sentences = (0..self.model.reason_codes.len())
                .filter_map(|c| self.p.reason_code_sentence(c))
                .map(Text::plain)
                .collect();
            s.blocks.push(Block::List(sentences));
        }
        s
    }

    fn rules(&self) -> Vec<Section> {
        let mut out = Vec::new();
        for (i, info) in self.model.rules.iter().enumerate() {
            let rule = info.decl;
            let mut s = section(format!("rule-{}", rule.name.node), self.rule_title(i), 3);
            s.blocks
                .push(Block::Para(Text::strong(self.p.rule_sentence(i))));
            if !rule.docs.is_empty() {
                s.blocks.push(Block::Quote(rule.docs.clone()));
            }
            let (basis, _, baseline) = rule_texts(rule);
            let reason = self.model.reason_text(i).map(str::to_string);
            let (least, most) = self.ir_rule(i).map_or((None, None), |r| (r.least, r.most));
            let mut facts = vec![
                ("Title".into(), Text::plain(self.rule_title(i))),
                ("Name".into(), Text::code(rule.name.node.clone())),
                (
                    "Basis".into(),
                    or_dash(basis.or_else(|| Some("none written".into()))),
                ),
                (
                    "Reason given to the person".into(),
                    or_dash(reason.or_else(|| Some("none written".into()))),
                ),
            ];
            if let Some(code) = self.p.reason_code(i) {
                facts.push(("Reason code".into(), Text::plain(code)));
            }
            facts.extend([(
                "Points".into(),
                Text::plain(format!(
                    "{} ({} points)",
                    contribution_range(least, most),
                    range_cell(least, most)
                )),
            )]);
            if let Some(g) = info.group.and_then(|g| self.model.groups.get(g)) {
                let title = g
                    .decl
                    .title
                    .as_ref()
                    .map_or_else(|| humanise(&g.decl.name.node), |t| t.node.clone());
                facts.push((
                    "Group".into(),
                    Text::plain(format!("{title}, weight {} ", number(g.weight)))
                        .then(Inline::Code(g.decl.name.node.clone())),
                ));
            }
            if let Some(b) = baseline {
                facts.push((
                    "Baseline".into(),
                    Text::plain(format!(
                        "{}: reasons rank this rule by how far it scored {} this",
                        points(b),
                        if self.model.header.higher_is_worse {
                            "above"
                        } else {
                            "below"
                        }
                    )),
                ));
            }
            if let Some(r) = self.model.analysis.as_ref().and_then(|a| a.rules.get(i)) {
                let note = match (r.can_fire, r.can_skip) {
                    (false, _) => Some("it can never apply"),
                    (true, false) => Some("it applies to every case"),
                    _ => None,
                };
                if let Some(n) = note {
                    facts.push(("Checker's finding".into(), Text::plain(n)));
                }
            }
            s.blocks.push(Block::Facts(facts));
            if rule.by.is_some() {
                let unit = self.p.subject_unit(i);
                let rows = rule
                    .items
                    .iter()
                    .filter_map(|item| match &item.node {
                        RuleItem::Bin(bin) => Some(vec![
                            Text::plain(phrase::capitalise(
                                &self.p.bin_pattern(&bin.pattern.node, unit.as_deref()),
                            )),
                            Text::plain(phrase::capitalise(&self.p.bin_points(bin))),
                        ]),
                        _ => None,
                    })
                    .collect();
                let subject = rule
                    .by
                    .as_ref()
                    .map(|b| humanise(&b.node))
                    .unwrap_or_default();
                s.blocks.push(Block::Table(Table {
                    caption: format!("{}: points by {subject}", self.rule_title(i)),
                    head: vec![phrase::capitalise(&subject), "Points".into()],
                    rows,
                }));
            }
            out.push(s);
        }
        out
    }

    fn tiers(&self) -> Section {
        let mut s = section("tiers", "Tiers", 2);
        s.blocks.push(Block::Para(Text::plain(
            "The score places every case in exactly one tier.",
        )));
        let reachable = self.model.analysis.as_ref().map(|a| &a.tiers_reachable);
        let rows = self
            .model
            .tiers
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let can = reachable.and_then(|r| r.get(i)).copied().unwrap_or(true);
                vec![
                    Text::code(t.decl.name.node.clone()),
                    or_dash(t.decl.title.as_ref().map(|x| x.node.clone())),
                    Text::plain(phrase::capitalise(&self.p.tier_bounds(i))),
                    docs_text(&t.decl.docs),
                    Text::plain(if can { "yes" } else { "no" }),
                ]
            })
            .collect();
        s.blocks.push(Block::Table(Table {
            caption: "Tiers, in the order they are written".into(),
            head: vec![
                "Tier".into(),
                "Title".into(),
                "Scores".into(),
                "Description".into(),
                "Reachable".into(),
            ],
            rows,
        }));
        s
    }

    fn indicators(&self) -> Section {
        let mut s = section("indicators", "Indicators: the facts the score looks at", 2);
        let rows = self
            .model
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| {
                let direction = match ind.direction {
                    Some(ast::Direction::HigherIsBetter) => "higher is better",
                    Some(ast::Direction::HigherIsWorse) => "higher is worse",
                    None => "—",
                };
                vec![
                    Text::code(ind.decl.name.node.clone()),
                    docs_text(&ind.decl.docs),
                    Text::plain(self.p.indicator_type(i)),
                    or_dash(self.p.indicator_range(i)),
                    or_dash(ind.unit.clone()),
                    or_dash(ind.source.clone()),
                    Text::plain(self.p.missing_rule(i)),
                    Text::plain(direction),
                    if ind.protected {
                        Text::strong("Protected: carried for audit; never affects a decision")
                    } else {
                        Text::plain("no")
                    },
                ]
            })
            .collect();
        s.blocks.push(Block::Table(Table {
            caption: "Indicators".into(),
            head: vec![
                "Indicator".into(),
                "Description".into(),
                "Type".into(),
                "Range".into(),
                "Unit".into(),
                "Source".into(),
                "When missing".into(),
                "Direction".into(),
                "Protected".into(),
            ],
            rows,
        }));
        let protected: Vec<&str> = self
            .model
            .indicators
            .iter()
            .filter(|i| i.protected)
            .map(|i| i.decl.name.node.as_str())
            .collect();
        if !protected.is_empty() {
            let mut text = Text::strong("Protected attributes. ");
            for (n, name) in protected.iter().enumerate() {
                if n > 0 {
                    text = text.then(Inline::Plain(", ".into()));
                }
                text = text.then(Inline::Code((*name).to_string()));
            }
            text = text.then(Inline::Plain(
                " may be carried in records for audit only. The checker proves that no rule, derived value, weight, tier or consequence depends on them, directly or indirectly: they never affect a score, a tier or a consequence."
                    .into(),
            ));
            s.blocks.push(Block::Notice(text));
        }
        s
    }

    /// Every declaration that uses something resolved at spans satisfying `is_target`.
    fn users(&self, is_target: impl Fn(Resolved) -> bool) -> Vec<String> {
        let spans: Vec<Span> = self
            .model
            .resolutions
            .iter()
            .filter(|(_, r)| is_target(**r))
            .map(|(s, _)| *s)
            .collect();
        let sites = self.sites();
        let mut used = BTreeSet::new();
        for span in spans {
            let best = sites
                .iter()
                .enumerate()
                .filter(|(_, (s, _))| s.start <= span.start && span.end <= s.end)
                .min_by_key(|(_, (s, _))| s.end.saturating_sub(s.start));
            if let Some((order, _)) = best {
                used.insert(order);
            }
        }
        used.into_iter()
            .filter_map(|i| sites.get(i).map(|(_, label)| label.clone()))
            .collect()
    }

    /// Declarations in source order with a label ("rule “Late tax payments”").
    fn sites(&self) -> Vec<(Span, String)> {
        let mut out = Vec::new();
        let rule_label = |r: &ast::Rule| match &r.title {
            Some(t) => format!("rule “{}”", t.node),
            None => format!("rule {}", humanise(&r.name.node)),
        };
        for item in &self.model.ast.items {
            match item {
                Item::Let(l) => {
                    out.push((l.span, format!("derived value {}", humanise(&l.name.node))))
                }
                Item::Function(f) => {
                    out.push((f.span, format!("function {}", humanise(&f.name.node))))
                }
                Item::Rule(r) => out.push((r.span, rule_label(&r.node))),
                Item::Group(g) => {
                    out.push((
                        g.span,
                        format!("weight of the group {}", humanise(&g.name.node)),
                    ));
                    for r in &g.rules {
                        out.push((r.span, rule_label(&r.node)));
                    }
                }
                Item::Tier(t) => out.push((t.span, format!("tier {}", t.name.node))),
                Item::Table(t) => out.push((
                    t.span,
                    match &t.title {
                        Some(title) => format!("table “{}”", title.node),
                        None => format!("table {}", humanise(&t.name.node)),
                    },
                )),
                Item::Consequence(c) => out.push((
                    c.span,
                    match &c.title {
                        Some(t) => format!("consequence “{}”", t.node),
                        None => format!("consequence {}", humanise(&c.name.node)),
                    },
                )),
                Item::Policy(_) | Item::Indicator(_) | Item::Param(_) | Item::Test(_) => {}
            }
        }
        out
    }

    fn params(&self) -> Section {
        let mut s = section("params", "Params: the numbers that can be tuned", 2);
        if self.model.params.is_empty() {
            s.blocks
                .push(Block::Para(Text::plain("This policy has no params.")));
            return s;
        }
        let rows = self
            .model
            .params
            .iter()
            .enumerate()
            .map(|(i, param)| {
                let used = self.users(|r| r == Resolved::Param(i));
                vec![
                    Text::code(param.decl.name.node.clone()),
                    Text::plain(match param.overridden {
                        Some(_) => format!(
                            "{} (what-if value; written: {})",
                            number(param.value),
                            number(param.decl.value.node)
                        ),
                        None => number(param.value),
                    }),
                    or_dash(param.decl.unit.as_ref().map(|u| u.node.clone())),
                    docs_text(&param.decl.docs),
                    used_in(&used),
                ]
            })
            .collect();
        s.blocks.push(Block::Table(Table {
            caption: "Params".into(),
            head: vec![
                "Param".into(),
                "Value".into(),
                "Unit".into(),
                "Description".into(),
                "Used in".into(),
            ],
            rows,
        }));
        s
    }

    fn derived(&self) -> Section {
        let mut s = section("derived", "Derived values", 2);
        let rows = self
            .model
            .lets
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let used = self.users(|r| r == Resolved::Let(i));
                // A call of the policy's own function is written by the function's name, which
                // keeps its spelling at the start of the cell too.
                let call = matches!(&l.decl.value.node, ast::ExprKind::Call { func, .. }
                    if matches!(self.model.resolution(func.span), Some(Resolved::Function(_))));
                let formula = self.p.value(&l.decl.value);
                let formula = if call {
                    formula
                } else {
                    phrase::capitalise(&formula)
                };
                // What the rules did is known only once every rule has applied.
                let formula = if l.after_rules {
                    format!("{formula} (worked out after the rules)")
                } else {
                    formula
                };
                vec![
                    Text::code(l.decl.name.node.clone()),
                    Text::plain(formula),
                    docs_text(&l.decl.docs),
                    used_in(&used),
                ]
            })
            .collect();
        s.blocks.push(Block::Table(Table {
            caption: "Derived values".into(),
            head: vec![
                "Name".into(),
                "Worked out as".into(),
                "Description".into(),
                "Used in".into(),
            ],
            rows,
        }));
        s
    }
}

/// The "Used in" cell: the declarations that use a value, or a dash.
fn used_in(users: &[String]) -> Text {
    Text::plain(if users.is_empty() {
        "—".to_string()
    } else {
        users.join("; ")
    })
}
