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
use crate::runtime::decision::{adverse, length_text, Computed, Decision, TableRows};
use crate::runtime::output::{json_string, write_decimal};
use crate::syntax::ast::{
    self, Aggregate, ConsequenceItem, HitPolicy, Literal, RuleItem, TableItem,
};
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
    /// The neutral points reasons are measured from (0 when none is written).
    baseline: Decimal,
    /// The first rule with the same reason code (the rule itself when it has none).
    entry: usize,
    /// "code R07: ", for a rule with a reason code.
    code: Option<Piece>,
    /// How its points against the person are counted: " below", " above" or " added".
    measure: &'static str,
}

/// A decision table as an explanation names it.
struct TableWords {
    /// "“Pre-bureau risk category”"
    label: Piece,
    /// Per row: " row 2 (existing customer no, risk score 100 up to 120), which gives category
    /// MEDIUM"
    rows: Vec<Piece>,
    /// " matched no row, so it gave category LOW" (or the words of a `collect` or no outcome).
    none: Piece,
    /// Whether every matching row counts (then the rows are listed, not one).
    collects: bool,
}

/// Everything about a policy an explanation says, phrased once.
pub struct Explainer {
    tables: Vec<TableWords>,
    min: Decimal,
    max: Decimal,
    start: Decimal,
    /// A scale of demerit points: reasons are the points added.
    higher_is_worse: bool,
    rules: Vec<RuleWords>,
    /// Each tier's " is in tier …, which covers …."
    tiers: Vec<Piece>,
    /// "“Ban” applies. This sanction applies when … Appeal: … Basis: …."
    consequences: Vec<Piece>,
    /// "“Ban” does not apply, because a value its condition needs is not known."
    consequences_unknown: Vec<Piece>,
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
        let higher_is_worse = model.header.higher_is_worse;
        let baseline_of = |rule: usize| {
            model.rules.get(rule).and_then(|r| {
                r.decl.items.iter().find_map(|item| match &item.node {
                    RuleItem::Baseline(n) => Some(n.node),
                    _ => None,
                })
            })
        };
        let rules = model
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let label = phraser.rule_label(i);
                let sentence = phraser.rule_sentence(i);
                let code = model.reason_code(i);
                // One word for a whole reason code: "above" if any of its rules has a baseline.
                let measured = code.map_or(vec![i], |c| c.rules.clone());
                let measure = match (
                    higher_is_worse,
                    measured.iter().any(|&j| baseline_of(j).is_some()),
                ) {
                    (false, _) => " below",
                    (true, true) => " above",
                    (true, false) => " added",
                };
                RuleWords {
                    baseline: baseline_of(i).unwrap_or(Decimal::ZERO),
                    entry: code.and_then(|c| c.rules.first().copied()).unwrap_or(i),
                    code: code.map(|c| Piece::new(format!("code {}: ", c.code))),
                    measure,
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
                        model
                            .reason_text(i)
                            .map_or_else(|| super::humanise(&r.decl.name.node), str::to_string),
                    ),
                }
            })
            .collect();
        Explainer {
            tables: (0..model.tables.len())
                .map(|t| table_words(phraser, t))
                .collect(),
            min: model.header.min,
            max: model.header.max,
            start: model.header.start,
            higher_is_worse,
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
            consequences_unknown: (0..model.consequences.len())
                .map(|i| {
                    Piece::new(format!(
                        "{} does not apply, because a value its condition needs is not known.",
                        phraser.consequence_label(i)
                    ))
                })
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
        s.ascii(if self.higher_is_worse {
            "; on this scale a higher score is worse."
        } else {
            "."
        });
        s.end();
        for (words, rows) in self.tables.iter().zip(&decision.tables) {
            table(words, rows, s);
        }
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
        for f in &decision.not_counted {
            s.begin();
            match self.rules.get(f.rule) {
                Some(rule) => s.piece(&rule.label),
                None => unknown_rule(&mut |t| s.ascii(t), f.rule),
            }
            if f.points < Decimal::ZERO {
                s.ascii(" would have deducted ");
                s.points(-f.points);
            } else {
                s.ascii(" would have added ");
                s.points(f.points);
            }
            s.ascii(", but another rule of its group counts instead.");
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
        for &c in &decision.unknown_consequences {
            s.begin();
            match self.consequences_unknown.get(c) {
                Some(text) => s.piece(text),
                None => {
                    s.ascii("Consequence ");
                    s.ascii(&(c + 1).to_string());
                    s.ascii(" does not apply, because a value its condition needs is not known.");
                }
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
                let words = self.rules.get(r.rule);
                match words {
                    Some(words) => s.piece(&words.reason),
                    None => unknown_rule(&mut |t| s.ascii(t), r.rule),
                }
                s.ascii(" (");
                if let Some(code) = words.and_then(|w| w.code.as_ref()) {
                    s.piece(code);
                }
                s.points(r.below);
                s.ascii(words.map_or(" below", |w| w.measure));
                self.shares(decision, r.rule, s);
                s.ascii(")");
            }
            s.ascii(".");
            s.end();
        }
    }
}

impl Explainer {
    /// ", of which “Missed payments” 15 points and “Arrears” 10 points": how the points of a
    /// reason code that more than one of its rules counted for are shared among them.
    fn shares<L>(&self, decision: &Decision<L>, entry: usize, s: &mut impl Sentences) {
        let parts: Vec<(&RuleWords, Decimal)> = self
            .rules
            .iter()
            .enumerate()
            .filter(|(_, w)| w.entry == entry && w.code.is_some())
            .filter_map(|(j, w)| {
                adverse(decision.contribution(j), w.baseline, self.higher_is_worse).map(|a| (w, a))
            })
            .collect();
        if parts.len() < 2 {
            return;
        }
        s.ascii(", of which ");
        for (k, (words, points)) in parts.iter().enumerate() {
            if k > 0 {
                s.ascii(if k + 1 == parts.len() { " and " } else { ", " });
            }
            s.piece(&words.label);
            s.ascii(" ");
            s.points(*points);
        }
    }

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

/// "“Risk” was decided by row 2 (…), which gives category MEDIUM.", and the rows an unknown
/// value left undecided.
fn table(words: &TableWords, rows: &TableRows, s: &mut impl Sentences) {
    s.begin();
    s.piece(&words.label);
    if rows.matched.is_empty() {
        s.piece(&words.none);
    } else {
        s.ascii(if words.collects {
            " counted"
        } else {
            " was decided by"
        });
        for (k, r) in rows.matched.iter().enumerate() {
            if k > 0 {
                s.ascii(if k + 1 == rows.matched.len() {
                    " and"
                } else {
                    ","
                });
            }
            match words.rows.get(*r) {
                Some(row) => s.piece(row),
                None => s.ascii(" a row"),
            }
        }
    }
    s.ascii(".");
    s.end();
    if !rows.unknown.is_empty() {
        s.begin();
        s.ascii(if rows.unknown.len() == 1 {
            "Row "
        } else {
            "Rows "
        });
        for (k, r) in rows.unknown.iter().enumerate() {
            if k > 0 {
                s.ascii(if k + 1 == rows.unknown.len() {
                    " and "
                } else {
                    ", "
                });
            }
            s.number(Decimal::from(*r + 1));
        }
        s.ascii(" of ");
        s.piece(&words.label);
        s.ascii(if rows.unknown.len() == 1 {
            " could not be decided, because a value it tests is not known."
        } else {
            " could not be decided, because a value they test is not known."
        });
        s.end();
    }
}

/// How an explanation phrases table `index`, once.
fn table_words(phraser: &Phraser<'_, '_>, index: usize) -> TableWords {
    let model = phraser.model();
    let Some(table) = model.tables.get(index) else {
        return TableWords {
            label: Piece::new(String::new()),
            rows: Vec::new(),
            none: Piece::new(String::new()),
            collects: false,
        };
    };
    let inputs: Vec<String> = table
        .inputs
        .iter()
        .map(|i| super::humanise(&i.name))
        .collect();
    let outputs: Vec<String> = table
        .outputs
        .iter()
        .filter_map(|o| model.outputs.get(*o))
        .map(|o| super::humanise(&o.decl.name.node))
        .collect();
    let gives = |values: &[Literal]| -> String {
        let pairs: Vec<String> = outputs
            .iter()
            .zip(values)
            .map(|(o, v)| format!("{o} {}", phraser.literal(v)))
            .collect();
        crate::text::join_and(&pairs)
    };
    let mut rows = Vec::new();
    let mut default = None;
    for item in &table.decl.items {
        match &item.node {
            TableItem::Row(row) => {
                let n = rows.len() + 1;
                let tests: Vec<String> = phraser
                    .row_cells(index, row)
                    .into_iter()
                    .zip(&inputs)
                    .filter(|(cell, _)| cell != "any")
                    .map(|(cell, input)| format!("{input} {cell}"))
                    .collect();
                let tests = if tests.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", tests.join(", "))
                };
                rows.push(Piece::new(if row.outputs.is_empty() {
                    format!(" row {n}{tests}")
                } else {
                    format!(" row {n}{tests}, which gives {}", gives(&row.outputs))
                }));
            }
            TableItem::Default(values) => default = Some(gives(values)),
            _ => {}
        }
    }
    let first = outputs.first().cloned().unwrap_or_default();
    let none = match (default, table.hit) {
        (Some(values), _) => format!(" matched no row, so it gave {values}"),
        (None, HitPolicy::Collect(Aggregate::Sum | Aggregate::Count)) => {
            format!(" matched no row, so its {first} is 0")
        }
        (None, _) => " matched no row, so its outcome is not known".to_string(),
    };
    TableWords {
        label: Piece::new(phraser.table_label(index)),
        rows,
        none: Piece::new(none),
        collects: matches!(table.hit, HitPolicy::Collect(_)),
    }
}
