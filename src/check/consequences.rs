//! Consequences: what triggers them, and the due-process facts every sanction or benefit must
//! state (kind, duration, appeal route, basis).

use super::err::{duplicate_clause, CheckError};
use super::exprs::Scope;
use super::model::{Model, Resolved, Type};
use super::Checker;
use crate::diagnostics::Code;
use crate::span::Span;
use crate::syntax::ast::{ConsequenceItem, Lasts, Length};

impl Checker<'_> {
    pub(super) fn consequences(&mut self) {
        // edges[i]: the consequences whose `applies` consequence i's condition reads.
        let mut edges: Vec<Vec<(usize, Span)>> = vec![Vec::new(); self.model.consequences.len()];
        for index in 0..self.model.consequences.len() {
            let Some(decl) = self.model.consequences.get(index).map(|c| c.decl) else {
                continue;
            };
            let mut seen: [Option<Span>; 6] = [None; 6];
            let mut scope = Scope::consequence();
            for item in &decl.items {
                let (slot, what) = match &item.node {
                    // Suppressions are checked with every other site's (`suppress.rs`).
                    ConsequenceItem::Allow(_) => continue,
                    ConsequenceItem::Kind(_) => (0, "whether it is a sanction or a benefit"),
                    ConsequenceItem::When(_) => (1, "the `when` condition"),
                    ConsequenceItem::Lasts(_) => (2, "the duration"),
                    ConsequenceItem::Notice(_) | ConsequenceItem::NoticeComputed(_) => {
                        (3, "the notice period")
                    }
                    ConsequenceItem::Appeal(_) => (4, "the appeal route"),
                    ConsequenceItem::Basis(_) => (5, "the basis"),
                };
                // A repeated clause is reported, and still checked so that its own mistakes show too.
                if let Some(first) = seen.get(slot).copied().flatten() {
                    self.report(duplicate_clause(what, item.span, first));
                } else if let Some(s) = seen.get_mut(slot) {
                    *s = Some(item.span);
                }
                if let ConsequenceItem::When(condition) = &item.node {
                    self.expect(
                        condition,
                        Type::Bool,
                        "a consequence's `when` condition",
                        &mut scope,
                    );
                }
                if let Some((length, what)) = computed_length(&item.node) {
                    // Over the record, the params and derived values, as a rule's points are:
                    // `score`, `tier` and `applies` belong to the condition.
                    let mut amount = Scope::default();
                    let context = format!("the amount of {what}");
                    self.expect(&length.amount, Type::Number, &context, &mut amount);
                    self.forbid_protected(
                        &amount.refs,
                        &format!("{what} of consequence `{}`", decl.name.node),
                    );
                }
            }
            let site = format!("consequence `{}`", decl.name.node);
            self.forbid_protected(&scope.refs, &site);
            if let Some(uses) = edges.get_mut(index) {
                uses.extend(scope.refs.iter().filter_map(|(r, span)| match r {
                    Resolved::Consequence(c) => Some((*c, *span)),
                    _ => None,
                }));
            }
            let name = &decl.name.node;
            let at = decl.name.span;
            let missing = |slot: usize| seen.get(slot).copied().flatten().is_none();
            if missing(0) {
                self.report(
                    CheckError::new(Code::MissingKind, at, format!("consequence `{name}` does not say whether it is a sanction or a benefit"), "sanction or benefit?")
                        .with_help("add `is a sanction` or `is a benefit`"),
                );
            }
            if missing(1) {
                self.report(
                    CheckError::new(
                        Code::MissingTrigger,
                        at,
                        format!("consequence `{name}` has no `when` condition"),
                        "never says when it applies",
                    )
                    .with_help("add a condition such as `when tier is D`"),
                );
            }
            if missing(2) {
                self.report(
                    CheckError::new(Code::MissingDuration, at, format!("consequence `{name}` does not say how long it lasts"), "no `lasts`")
                        .with_help("add `lasts 12 months`, or `lasts indefinitely because \"…\"` with the justification"),
                );
            }
            if missing(4) {
                self.report(
                    CheckError::new(
                        Code::MissingAppeal,
                        at,
                        format!("consequence `{name}` names no appeal route"),
                        "no `appeal`",
                    )
                    .with_help("add `appeal \"…\"` naming where an affected person can contest it"),
                );
            }
            if missing(5) {
                self.report(
                    CheckError::new(
                        Code::MissingConsequenceBasis,
                        at,
                        format!("consequence `{name}` does not cite a basis"),
                        "no `basis`",
                    )
                    .with_help(
                        "add `basis \"…\"` naming the law or policy clause that authorises it",
                    ),
                );
            }
        }
        let ordered = super::graph::order(&edges);
        for cycle in &ordered.cycles {
            self.report(consequence_cycle(&self.model, cycle));
        }
        self.model.consequence_order = ordered.order;
    }
}

/// The computed length of a `lasts` or `notice` clause, and what it is ("the duration").
pub fn computed_length(item: &ConsequenceItem) -> Option<(&Length, &'static str)> {
    match item {
        ConsequenceItem::Lasts(Lasts::Computed(l) | Lasts::AtLeast(l)) => Some((l, "the duration")),
        ConsequenceItem::NoticeComputed(l) => Some((l, "the notice period")),
        _ => None,
    }
}

/// E0301: consequences whose conditions read each other's `applies` in a circle.
fn consequence_cycle(model: &Model<'_>, cycle: &[(usize, Span)]) -> CheckError {
    super::graph::cycle_error(
        cycle,
        |i| {
            model
                .consequences
                .get(i)
                .map(|c| (c.decl.name.node.clone(), c.decl.name.span))
        },
        &super::graph::CycleWords {
            code: Code::CyclicConsequences,
            itself: &|name| {
                format!(
                    "the consequence {name} applies only if it applies: its condition reads itself"
                )
            },
            several: &|names| format!("the consequences {names} depend on each other in a cycle"),
            edge: &|user, used| format!("`{user}` reads whether `{used}` applies here"),
            help:
                "a consequence can only depend on consequences decided without it; break the cycle",
        },
    )
}
