//! Sentences that explain one decision: what each rule that fired contributed and why, how the
//! score was reached (and clamped), its tier, the consequences with their due process, and the
//! main reasons. Used by `rubric eval --explain` and the documentation's worked examples.
//!
//! An [`Explainer`] phrases everything that depends only on the policy once (each rule's label
//! and sentence, each tier's bounds, each consequence's due process); explaining a decision then
//! only places its numbers. It reads the decision in memory, by index, exactly as the evaluator
//! made it: the numbers in the sentences are the decision's, and the params' values are those of
//! the checked model, `--set` overrides included.

use super::{capitalise, number, points, Phraser};
use crate::runtime::decision::Decision;
use crate::syntax::ast::{ConsequenceItem, RuleItem};
use rust_decimal::Decimal;

/// How many reasons an explanation names.
const TOP_REASONS: usize = 4;

/// A rule as an explanation names it.
struct RuleWords {
    /// "“Late tax payments”"
    label: String,
    /// The rule in a sentence, as the documentation writes it.
    sentence: String,
    /// The reason of adverse-decision notices (the rule's name in words when it has none).
    reason: String,
}

/// Everything about a policy an explanation says, phrased once.
pub struct Explainer {
    start: Decimal,
    min: Decimal,
    max: Decimal,
    rules: Vec<RuleWords>,
    /// Each tier's label and the scores it covers.
    tiers: Vec<(String, String)>,
    /// "“Ban” applies. This sanction applies when … Appeal: … Basis: …."
    consequences: Vec<String>,
}

impl Explainer {
    pub fn new(phraser: &Phraser<'_, '_>) -> Self {
        let model = phraser.model();
        let rules = model
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| RuleWords {
                label: phraser.rule_label(i),
                sentence: phraser.rule_sentence(i),
                reason: r
                    .decl
                    .items
                    .iter()
                    .find_map(|item| match &item.node {
                        RuleItem::Reason(t) => Some(t.node.clone()),
                        _ => None,
                    })
                    .unwrap_or_else(|| super::humanise(&r.decl.name.node)),
            })
            .collect();
        Explainer {
            start: model.header.start,
            min: model.header.min,
            max: model.header.max,
            rules,
            tiers: (0..model.tiers.len())
                .map(|i| (phraser.tier_label(i), phraser.tier_bounds(i)))
                .collect(),
            consequences: (0..model.consequences.len())
                .map(|i| consequence(phraser, i))
                .collect(),
        }
    }

    /// One plain sentence per step of the decision. Indices the policy does not have (a decision
    /// of another policy) are still phrased, never a panic.
    pub fn explain<L>(&self, decision: &Decision<L>) -> Vec<String> {
        let unknown_rule = |i: usize| format!("rule {}", i + 1);
        let mut out = vec![format!("Everyone starts at {}.", points(self.start))];
        let mut total = self.start;
        for fired in &decision.fired {
            let pts = fired.points;
            total = total.checked_add(pts).unwrap_or(total);
            let what = if pts.is_zero() {
                "applied and changed nothing (0 points)".to_string()
            } else if pts > Decimal::ZERO {
                format!("added {}", points(pts))
            } else {
                format!("deducted {}", points(-pts))
            };
            out.push(match self.rules.get(fired.rule) {
                Some(rule) if rule.sentence.is_empty() => format!("{} {what}.", rule.label),
                Some(rule) => format!("{} {what}. The rule: {}", rule.label, rule.sentence),
                None => format!("{} {what}.", unknown_rule(fired.rule)),
            });
        }
        for &rule in &decision.unknown {
            let label = self
                .rules
                .get(rule)
                .map_or_else(|| unknown_rule(rule), |r| r.label.clone());
            out.push(format!(
                "{label} did not apply, because a value it needs is not known."
            ));
        }
        if decision.fired.is_empty() {
            out.push("No rule changed the score.".to_string());
        }
        let score = decision.score;
        if total > self.max {
            out.push(format!(
                "The total of {} is above the top of the scale, so the score is kept at {}.",
                points(total),
                points(score)
            ));
        } else if total < self.min {
            out.push(format!(
                "The total of {} is below the bottom of the scale, so the score is kept at {}.",
                points(total),
                points(score)
            ));
        } else {
            out.push(format!("The score is {}.", points(score)));
        }
        match decision.tier.and_then(|t| self.tiers.get(t)) {
            Some((label, bounds)) => out.push(format!(
                "A score of {} is in tier {label}, which covers {bounds}.",
                number(score)
            )),
            None => out.push(format!("A score of {} is in no tier.", number(score))),
        }
        for &c in &decision.consequences {
            out.push(match self.consequences.get(c) {
                Some(text) => text.clone(),
                None => format!("Consequence {} applies.", c + 1),
            });
        }
        if decision.consequences.is_empty() && !self.consequences.is_empty() {
            out.push("No consequence applies.".to_string());
        }
        let reasons: Vec<String> = decision
            .reasons
            .iter()
            .take(TOP_REASONS)
            .map(|r| {
                let reason = self
                    .rules
                    .get(r.rule)
                    .map_or_else(|| unknown_rule(r.rule), |w| w.reason.clone());
                format!("{reason} ({} below)", points(r.below))
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
