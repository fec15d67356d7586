//! Sentences that explain one decision: what each rule that fired contributed and why, how the
//! score was reached (and clamped), its tier, the consequences with their due process, and the
//! main reasons. Used by `rubric eval --explain` and the documentation's worked examples.
//!
//! An [`Explainer`] phrases everything that depends only on the policy once (each rule's label
//! and sentence, each tier's bounds, each consequence's due process); explaining a decision then
//! only places its numbers. It reads the decision in memory, by index, exactly as the evaluator
//! made it: the numbers in the sentences are the decision's, and the params' values are those of
//! the checked model, `--set` overrides included.

use super::{capitalise, Phraser};
use crate::runtime::decision::{length_text, Computed, Decision};
use crate::runtime::output::{json_string, write_decimal};
use crate::syntax::ast::{self, ConsequenceItem, RuleItem};
use rust_decimal::Decimal;

/// How many reasons an explanation names.
const TOP_REASONS: usize = 4;

/// A piece of text of an explanation, kept both plain and JSON-escaped (without the quotes), so
/// that writing an explanation as JSON copies bytes instead of escaping them for every decision.
struct Piece {
    text: String,
    json: Vec<u8>,
}

impl Piece {
    fn new(text: String) -> Self {
        let mut quoted = Vec::with_capacity(text.len() + 2);
        json_string(&mut quoted, &text);
        let json = quoted
            .get(1..quoted.len().saturating_sub(1))
            .unwrap_or_default()
            .to_vec();
        Piece { text, json }
    }
}

/// A rule as an explanation names it.
struct RuleWords {
    /// "“Late tax payments”"
    label: Piece,
    /// ". The rule: …" (the rule in a sentence, as the documentation writes it), or ".".
    rest: Piece,
    /// "… did not apply, because a value it needs is not known."
    unknown: Piece,
    /// The reason of adverse-decision notices (the rule's name in words when it has none).
    reason: Piece,
}

/// Everything about a policy an explanation says, phrased once.
pub struct Explainer {
    min: Decimal,
    max: Decimal,
    start: Decimal,
    rules: Vec<RuleWords>,
    /// Each tier's " is in tier …, which covers …."
    tiers: Vec<Piece>,
    /// "“Ban” applies. This sanction applies when … Appeal: … Basis: …."
    consequences: Vec<Piece>,
    /// By consequence: whether its duration is a minimum (`lasts at least …`).
    at_least: Vec<bool>,
}

/// Where the sentences of an explanation go. Text given to [`Sentences::ascii`] needs no JSON
/// escaping (digits, and the explainer's own words).
trait Sentences {
    fn begin(&mut self);
    fn piece(&mut self, piece: &Piece);
    fn ascii(&mut self, text: &str);
    fn end(&mut self);
    /// A number as the phrasing writes one ([`super::number`]): exact, without trailing zeros.
    fn number(&mut self, value: Decimal);

    /// "1 point", "40 points".
    fn points(&mut self, value: Decimal) {
        self.number(value);
        self.ascii(if value.abs() == Decimal::ONE {
            " point"
        } else {
            " points"
        });
    }
}

/// Plain sentences.
#[derive(Default)]
struct Plain {
    sentences: Vec<String>,
    current: String,
}

impl Sentences for Plain {
    fn begin(&mut self) {
        self.current.clear();
    }
    fn piece(&mut self, piece: &Piece) {
        self.current.push_str(&piece.text);
    }
    fn ascii(&mut self, text: &str) {
        self.current.push_str(text);
    }
    fn end(&mut self) {
        self.sentences.push(std::mem::take(&mut self.current));
    }
    fn number(&mut self, value: Decimal) {
        self.current.push_str(&super::number(value));
    }
}

/// The elements of a JSON array of strings, written straight into a buffer.
struct Json<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl Sentences for Json<'_> {
    fn begin(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
    }
    fn piece(&mut self, piece: &Piece) {
        self.out.extend_from_slice(&piece.json);
    }
    fn ascii(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }
    fn end(&mut self) {
        self.out.push(b'"');
    }
    fn number(&mut self, value: Decimal) {
        // The same text as `super::number` (normalised, never `-0`), without formatting.
        write_decimal(self.out, value.normalize());
    }
}

impl Explainer {
    pub fn new(phraser: &Phraser<'_, '_>) -> Self {
        let model = phraser.model();
        let rules = model
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let label = phraser.rule_label(i);
                let sentence = phraser.rule_sentence(i);
                RuleWords {
                    unknown: Piece::new(format!(
                        "{label} did not apply, because a value it needs is not known."
                    )),
                    label: Piece::new(label),
                    rest: Piece::new(if sentence.is_empty() {
                        ".".to_string()
                    } else {
                        format!(". The rule: {sentence}")
                    }),
                    reason: Piece::new(
                        r.decl
                            .items
                            .iter()
                            .find_map(|item| match &item.node {
                                RuleItem::Reason(t) => Some(t.node.clone()),
                                _ => None,
                            })
                            .unwrap_or_else(|| super::humanise(&r.decl.name.node)),
                    ),
                }
            })
            .collect();
        Explainer {
            min: model.header.min,
            max: model.header.max,
            start: model.header.start,
            rules,
            tiers: (0..model.tiers.len())
                .map(|i| {
                    Piece::new(format!(
                        " is in tier {}, which covers {}.",
                        phraser.tier_label(i),
                        phraser.tier_bounds(i)
                    ))
                })
                .collect(),
            consequences: (0..model.consequences.len())
                .map(|i| Piece::new(consequence(phraser, i)))
                .collect(),
            at_least: model
                .consequences
                .iter()
                .map(|c| {
                    c.decl
                        .items
                        .iter()
                        .any(|i| matches!(i.node, ConsequenceItem::Lasts(ast::Lasts::AtLeast(_))))
                })
                .collect(),
        }
    }

    /// One plain sentence per step of the decision. Indices the policy does not have (a decision
    /// of another policy) are still phrased, never a panic.
    pub fn explain<L>(&self, decision: &Decision<L>) -> Vec<String> {
        let mut plain = Plain::default();
        self.write(decision, &mut plain);
        plain.sentences
    }

    /// The same sentences as a JSON array of strings, appended to `out`.
    pub fn write_json<L>(&self, decision: &Decision<L>, out: &mut Vec<u8>) {
        out.push(b'[');
        self.write(
            decision,
            &mut Json {
                out: &mut *out,
                first: true,
            },
        );
        out.push(b']');
    }

    fn write<L>(&self, decision: &Decision<L>, s: &mut impl Sentences) {
        let unknown_rule = |s: &mut dyn FnMut(&str), i: usize| {
            s("rule ");
            s(&(i + 1).to_string());
        };
        s.begin();
        s.ascii("Everyone starts at ");
        s.points(self.start);
        s.ascii(".");
        s.end();
        let mut total = self.start;
        for fired in &decision.fired {
            let pts = fired.points;
            total = total.checked_add(pts).unwrap_or(total);
            s.begin();
            let rule = self.rules.get(fired.rule);
            match rule {
                Some(rule) => s.piece(&rule.label),
                None => unknown_rule(&mut |t| s.ascii(t), fired.rule),
            }
            if pts.is_zero() {
                s.ascii(" applied and changed nothing (0 points)");
            } else if pts > Decimal::ZERO {
                s.ascii(" added ");
                s.points(pts);
            } else {
                s.ascii(" deducted ");
                s.points(-pts);
            }
            match rule {
                Some(rule) => s.piece(&rule.rest),
                None => s.ascii("."),
            }
            s.end();
        }
        for &rule in &decision.unknown {
            s.begin();
            match self.rules.get(rule) {
                Some(words) => s.piece(&words.unknown),
                None => {
                    unknown_rule(&mut |t| s.ascii(t), rule);
                    s.ascii(" did not apply, because a value it needs is not known.");
                }
            }
            s.end();
        }
        if decision.fired.is_empty() {
            s.begin();
            s.ascii("No rule changed the score.");
            s.end();
        }
        let score = decision.score;
        s.begin();
        if total > self.max || total < self.min {
            s.ascii("The total of ");
            s.points(total);
            s.ascii(if total > self.max {
                " is above the top of the scale, so the score is kept at "
            } else {
                " is below the bottom of the scale, so the score is kept at "
            });
        } else {
            s.ascii("The score is ");
        }
        s.points(score);
        s.ascii(".");
        s.end();
        s.begin();
        s.ascii("A score of ");
        s.number(score);
        match decision.tier.and_then(|t| self.tiers.get(t)) {
            Some(tier) => s.piece(tier),
            None => s.ascii(" is in no tier."),
        }
        s.end();
        for &c in &decision.consequences {
            s.begin();
            match self.consequences.get(c) {
                Some(text) => s.piece(text),
                None => {
                    s.ascii("Consequence ");
                    s.ascii(&(c + 1).to_string());
                    s.ascii(" applies.");
                }
            }
            if let Some(computed) = decision.computed.iter().find(|x| x.consequence == c) {
                self.computed(s, computed);
            }
            s.end();
        }
        if decision.consequences.is_empty() && !self.consequences.is_empty() {
            s.begin();
            s.ascii("No consequence applies.");
            s.end();
        }
        if !decision.reasons.is_empty() {
            s.begin();
            s.ascii("The main reasons, most important first: ");
            for (k, r) in decision.reasons.iter().take(TOP_REASONS).enumerate() {
                if k > 0 {
                    s.ascii("; ");
                }
                match self.rules.get(r.rule) {
                    Some(words) => s.piece(&words.reason),
                    None => unknown_rule(&mut |t| s.ascii(t), r.rule),
                }
                s.ascii(" (");
                s.points(r.below);
                s.ascii(" below)");
            }
            s.ascii(".");
            s.end();
        }
    }
}

impl Explainer {
    /// The durations computed for this record: " For this record it lasts 8 months."
    fn computed(&self, s: &mut impl Sentences, computed: &Computed) {
        if let Some((amount, unit)) = computed.lasts {
            s.ascii(" For this record it lasts ");
            if self.at_least.get(computed.consequence) == Some(&true) {
                s.ascii("at least ");
            }
            s.ascii(&length_text(amount, unit));
            s.ascii(".");
        }
        if let Some((amount, unit)) = computed.notice {
            s.ascii(" The notice for this record is ");
            s.ascii(&length_text(amount, unit));
            s.ascii(".");
        }
    }
}

/// "“Air travel restriction” applies: this sanction applies when …; appeal: …; basis: …."
fn consequence(phraser: &Phraser<'_, '_>, index: usize) -> String {
    let model = phraser.model();
    let Some(c) = model.consequences.get(index) else {
        return String::new();
    };
    let label = phraser.consequence_label(index);
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
