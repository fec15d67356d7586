//! Sentences that explain one decision: what each rule that fired contributed and why, how the
//! score was reached (and clamped), its tier, the consequences with their due process, and the
//! main reasons. Used by `rubric eval --explain` and the documentation's worked examples.

use super::{capitalise, number, points, Phraser};
use crate::check::Symbol;
use crate::syntax::ast::ConsequenceItem;
use rust_decimal::Decimal;

/// The parts of a decision an explanation needs, by name (as in a decision's JSON line).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub score: Decimal,
    pub tier: Option<String>,
    /// Rules that fired, with their contributions.
    pub fired: Vec<(String, Decimal)>,
    /// Rules that did not fire because a value they need is unknown.
    pub unknown: Vec<String>,
    /// Reason codes, worst first: the rule and its points below baseline.
    pub reasons: Vec<(String, Decimal)>,
    pub consequences: Vec<String>,
}

/// How many reasons an explanation names.
const TOP_REASONS: usize = 4;

/// One plain sentence per step of the decision.
pub fn explain_decision(phraser: &Phraser<'_, '_>, outcome: &Outcome) -> Vec<String> {
    let model = phraser.model();
    let header = &model.header;
    let rule_index = |name: &str| match model.lookup(name) {
        Some(Symbol::Rule(i)) => Some(i),
        _ => None,
    };
    let mut out = vec![format!("Everyone starts at {}.", points(header.start))];
    let mut total = header.start;
    for (name, pts) in &outcome.fired {
        total = total.checked_add(*pts).unwrap_or(total);
        let (label, sentence) = match rule_index(name) {
            Some(i) => (phraser.rule_label(i), phraser.rule_sentence(i)),
            None => (format!("“{name}”"), String::new()),
        };
        let what = if pts.is_zero() {
            "applied and changed nothing (0 points)".to_string()
        } else if *pts > Decimal::ZERO {
            format!("added {}", points(*pts))
        } else {
            format!("deducted {}", points(-*pts))
        };
        let mut text = format!("{label} {what}.");
        if !sentence.is_empty() {
            text.push_str(" The rule: ");
            text.push_str(&sentence);
        }
        out.push(text);
    }
    for name in &outcome.unknown {
        let label = rule_index(name).map_or_else(|| format!("“{name}”"), |i| phraser.rule_label(i));
        out.push(format!(
            "{label} did not apply, because a value it needs is not known."
        ));
    }
    if outcome.fired.is_empty() {
        out.push("No rule changed the score.".to_string());
    }
    if total > header.max {
        out.push(format!(
            "The total of {} is above the top of the scale, so the score is kept at {}.",
            points(total),
            points(outcome.score)
        ));
    } else if total < header.min {
        out.push(format!(
            "The total of {} is below the bottom of the scale, so the score is kept at {}.",
            points(total),
            points(outcome.score)
        ));
    } else {
        out.push(format!("The score is {}.", points(outcome.score)));
    }
    let tier = outcome.tier.as_deref().and_then(|t| match model.lookup(t) {
        Some(Symbol::Tier(i)) => Some(i),
        _ => None,
    });
    match tier {
        Some(i) => out.push(format!(
            "A score of {} is in tier {}, which covers {}.",
            number(outcome.score),
            phraser.tier_label(i),
            phraser.tier_bounds(i)
        )),
        None => out.push(format!(
            "A score of {} is in no tier.",
            number(outcome.score)
        )),
    }
    for name in &outcome.consequences {
        let Some(Symbol::Consequence(i)) = model.lookup(name) else {
            out.push(format!("The consequence “{name}” applies."));
            continue;
        };
        out.push(consequence(phraser, i));
    }
    if outcome.consequences.is_empty() && !model.consequences.is_empty() {
        out.push("No consequence applies.".to_string());
    }
    let reasons: Vec<String> = outcome
        .reasons
        .iter()
        .take(TOP_REASONS)
        .map(|(name, below)| {
            let reason = rule_index(name)
                .and_then(|i| model.rules.get(i))
                .and_then(|r| {
                    r.decl.items.iter().find_map(|item| match &item.node {
                        crate::syntax::ast::RuleItem::Reason(t) => Some(t.node.clone()),
                        _ => None,
                    })
                })
                .unwrap_or_else(|| super::humanise(name));
            format!("{reason} ({} below)", points(*below))
        })
        .collect();
    if !reasons.is_empty() {
        out.push(format!(
            "The main reasons, most important first: {}.",
            reasons.join("; ")
        ));
    }
    out
}

/// "“Air travel restriction” applies: this sanction applies when …; appeal: …; basis: …."
fn consequence(phraser: &Phraser<'_, '_>, index: usize) -> String {
    let model = phraser.model();
    let Some(c) = model.consequences.get(index) else {
        return String::new();
    };
    let label = match &c.decl.title {
        Some(t) => format!("“{}”", t.node),
        None => format!("“{}”", super::humanise(&c.decl.name.node)),
    };
    let mut text = format!(
        "{label} applies. {}",
        capitalise(&phraser.consequence_sentence(index))
    );
    for item in &c.decl.items {
        match &item.node {
            ConsequenceItem::Appeal(a) => text.push_str(&format!(" Appeal: {}.", a.node)),
            ConsequenceItem::Basis(b) => text.push_str(&format!(" Basis: {}.", b.node)),
            _ => {}
        }
    }
    text
}
