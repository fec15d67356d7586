//! Protected attributes: a `protected` indicator may be carried for audit but must never influence
//! a decision. Influence is traced through derived values, and the whole path is shown.

use super::err::CheckError;
use super::model::*;
use super::Checker;
use crate::diagnostics::Code;
use crate::span::Span;

/// How a derived value comes to depend on a protected indicator.
#[derive(Clone, Copy, Debug)]
pub struct Taint {
    pub indicator: usize,
    /// The name occurrence inside this derived value that carries the influence.
    pub at: Span,
    /// The derived value named there, if the influence comes through one.
    pub via: Option<usize>,
}

impl Checker<'_> {
    /// Works out, in dependency order, which derived values a protected indicator reaches.
    pub(super) fn trace_protected(&mut self) {
        let mut taint: Vec<Option<Taint>> = vec![None; self.model.lets.len()];
        for &index in &self.model.let_order {
            let Some(refs) = self.let_refs.get(index) else {
                continue;
            };
            let found = refs.iter().find_map(|(resolved, span)| match *resolved {
                Resolved::Indicator(i)
                    if self.model.indicators.get(i).is_some_and(|x| x.protected) =>
                {
                    Some(Taint {
                        indicator: i,
                        at: *span,
                        via: None,
                    })
                }
                Resolved::Let(l) => taint.get(l).copied().flatten().map(|t| Taint {
                    indicator: t.indicator,
                    at: *span,
                    via: Some(l),
                }),
                _ => None,
            });
            if let Some(slot) = taint.get_mut(index) {
                *slot = found;
            }
        }
        self.let_taint = taint;
    }

    /// Reports every protected influence among `refs`, the names used by `site` (for example
    /// "rule `late_taxes`").
    pub(super) fn forbid_protected(&mut self, refs: &[(Resolved, Span)], site: &str) {
        for &(resolved, span) in refs {
            let (indicator, chain) = match resolved {
                Resolved::Indicator(i)
                    if self.model.indicators.get(i).is_some_and(|x| x.protected) =>
                {
                    (i, Vec::new())
                }
                Resolved::Let(l) => match self.let_taint.get(l).copied().flatten() {
                    Some(t) => (t.indicator, self.chain(l)),
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

    /// The steps from derived value `start` down to the protected indicator, as labelled spans.
    fn chain(&self, start: usize) -> Vec<(Span, String)> {
        let mut steps = Vec::new();
        let mut current = Some(start);
        // Each step moves to a value earlier in dependency order, so this ends; the bound is a
        // second guarantee.
        for _ in 0..=self.model.lets.len() {
            let Some(index) = current else { break };
            let Some(t) = self.let_taint.get(index).copied().flatten() else {
                break;
            };
            let user = self
                .model
                .lets
                .get(index)
                .map_or("", |x| x.decl.name.node.as_str());
            let used = match t.via {
                Some(l) => self
                    .model
                    .lets
                    .get(l)
                    .map_or("", |x| x.decl.name.node.as_str()),
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
