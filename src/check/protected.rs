//! Protected attributes: a `protected` indicator may be carried for audit but must never influence
//! a decision. Influence is traced through derived values, and the whole path is shown.

use super::err::CheckError;
use super::model::*;
use super::Checker;
use crate::diagnostics::Code;
use crate::span::Span;

/// Where a value's dependence on a protected indicator comes from: a derived value, or a
/// decision table (through one of its outputs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Let(usize),
    Table(usize),
}

/// How a derived value or a table comes to depend on a protected indicator.
#[derive(Clone, Copy, Debug)]
pub struct Taint {
    pub indicator: usize,
    /// The name occurrence inside this value (a table: in its `inputs`) that carries the
    /// influence.
    pub at: Span,
    /// The derived value or table named there, if the influence comes through one.
    pub via: Option<Via>,
}

impl Checker<'_> {
    /// Works out, in dependency order, which derived values and tables a protected indicator
    /// reaches.
    pub(super) fn trace_protected(&mut self) {
        let mut lets: Vec<Option<Taint>> = vec![None; self.model.lets.len()];
        let mut tables: Vec<Option<Taint>> = vec![None; self.model.tables.len()];
        let order = self.model.value_order.clone();
        for node in order {
            let refs: Vec<(Resolved, Span)> = match node {
                ValueNode::Let(l) => self.let_refs.get(l).cloned().unwrap_or_default(),
                ValueNode::Table(t) => self
                    .model
                    .tables
                    .get(t)
                    .map(|t| t.inputs.iter().map(|i| (i.source, i.span)).collect())
                    .unwrap_or_default(),
            };
            let found = refs.iter().find_map(|(resolved, span)| {
                let through = |via: Via, t: Option<Taint>| {
                    t.map(|t| Taint {
                        indicator: t.indicator,
                        at: *span,
                        via: Some(via),
                    })
                };
                match *resolved {
                    Resolved::Indicator(i)
                        if self.model.indicators.get(i).is_some_and(|x| x.protected) =>
                    {
                        Some(Taint {
                            indicator: i,
                            at: *span,
                            via: None,
                        })
                    }
                    Resolved::Let(l) => through(Via::Let(l), lets.get(l).copied().flatten()),
                    Resolved::Output(o) => {
                        let t = self.model.outputs.get(o)?.table;
                        through(Via::Table(t), tables.get(t).copied().flatten())
                    }
                    _ => None,
                }
            });
            let slot = match node {
                ValueNode::Let(l) => lets.get_mut(l),
                ValueNode::Table(t) => tables.get_mut(t),
            };
            if let Some(slot) = slot {
                *slot = found;
            }
        }
        self.let_taint = lets;
        self.table_taint = tables;
    }

    fn taint(&self, via: Via) -> Option<Taint> {
        match via {
            Via::Let(l) => self.let_taint.get(l).copied().flatten(),
            Via::Table(t) => self.table_taint.get(t).copied().flatten(),
        }
    }

    fn value_name(&self, via: Via) -> &str {
        match via {
            Via::Let(l) => self
                .model
                .lets
                .get(l)
                .map_or("", |x| x.decl.name.node.as_str()),
            Via::Table(t) => self
                .model
                .tables
                .get(t)
                .map_or("", |x| x.decl.name.node.as_str()),
        }
    }

    /// Reports every protected influence among `refs`, the names used by `site` (for example
    /// "rule `late_taxes`").
    pub(super) fn forbid_protected(&mut self, refs: &[(Resolved, Span)], site: &str) {
        for &(resolved, span) in refs {
            let via = match resolved {
                Resolved::Let(l) => Some(Via::Let(l)),
                Resolved::Output(o) => self.model.outputs.get(o).map(|x| Via::Table(x.table)),
                _ => None,
            };
            let (indicator, chain) = match (resolved, via) {
                (Resolved::Indicator(i), _)
                    if self.model.indicators.get(i).is_some_and(|x| x.protected) =>
                {
                    (i, Vec::new())
                }
                (_, Some(via)) => match self.taint(via) {
                    Some(t) => (t.indicator, self.chain(via)),
                    None => continue,
                },
                _ => continue,
            };
            let Some(info) = self.model.indicators.get(indicator) else {
                continue;
            };
            let name = info.decl.name.node.clone();
            let decl_span = info.decl.name.span;
            let label = match resolved {
                Resolved::Let(l) => format!(
                    "`{}` depends on the protected `{name}`",
                    self.model
                        .lets
                        .get(l)
                        .map_or("", |x| x.decl.name.node.as_str())
                ),
                Resolved::Output(o) => format!(
                    "`{}` depends on the protected `{name}`",
                    self.model
                        .outputs
                        .get(o)
                        .map_or("", |x| x.decl.name.node.as_str())
                ),
                _ => format!("`{name}` is used here"),
            };
            let mut error = CheckError::new(
                Code::ProtectedInfluence,
                span,
                format!("the protected attribute `{name}` influences {site}"),
                label,
            );
            for (at, text) in chain {
                error = error.with_secondary(at, text);
            }
            error = error
                .with_secondary(decl_span, format!("`{name}` is declared protected here"))
                .with_help("a protected attribute may be carried for audit but must never affect a score, tier or consequence; remove this use");
            self.report(error);
        }
    }

    /// The steps from derived value or table `start` down to the protected indicator, as
    /// labelled spans.
    fn chain(&self, start: Via) -> Vec<(Span, String)> {
        let mut steps = Vec::new();
        let mut current = Some(start);
        // Each step moves to a value earlier in dependency order, so this ends; the bound is a
        // second guarantee.
        for _ in 0..=self.model.lets.len() + self.model.tables.len() {
            let Some(via) = current else { break };
            let Some(t) = self.taint(via) else {
                break;
            };
            let user = self.value_name(via);
            let used = match t.via {
                Some(next) => self.value_name(next),
                None => self
                    .model
                    .indicators
                    .get(t.indicator)
                    .map_or("", |x| x.decl.name.node.as_str()),
            };
            steps.push((t.at, format!("`{user}` is computed from `{used}`")));
            current = t.via;
        }
        steps
    }
}
