//! Derived values (`let`): the order to compute them in, cycles among them, and their types.

use super::exprs::Scope;
use super::model::*;
use super::Checker;
use crate::diagnostics::Code;
use crate::span::Span;
use crate::syntax::ast::{Expr, ExprKind};
use crate::syntax::walk::walk;

impl Checker<'_> {
    pub(super) fn derived_values(&mut self) {
        let count = self.model.lets.len();
        // edges[i]: the derived values that derived value i uses, with where it names them.
        let edges: Vec<Vec<(usize, Span)>> = self
            .model
            .lets
            .iter()
            .map(|l| {
                let mut uses = Vec::new();
                self.collect_let_uses(&l.decl.value, &mut uses);
                uses
            })
            .collect();

        let ordered = super::graph::order(&edges);
        for cycle in &ordered.cycles {
            self.report_cycle(cycle);
        }
        let order = ordered.order;
        self.model.let_order = order.clone();

        self.let_refs = vec![Vec::new(); count];
        // Acyclic values first, in dependency order, so that each one's type is known when used;
        // then the cyclic ones (typed as errors) so their other mistakes are still reported.
        let cyclic: Vec<usize> = (0..count).filter(|i| !order.contains(i)).collect();
        for index in order.into_iter().chain(cyclic) {
            let Some(decl) = self.model.lets.get(index).map(|l| l.decl) else {
                continue;
            };
            let mut scope = Scope::default();
            let ty = self.expr(&decl.value, None, &mut scope);
            let ty = if ty == Type::Tier { Type::Error } else { ty };
            if let Some(l) = self.model.lets.get_mut(index) {
                l.ty = if !ordered.cyclic.get(index).copied().unwrap_or(true) {
                    ty
                } else {
                    Type::Error
                };
            }
            if let Some(refs) = self.let_refs.get_mut(index) {
                *refs = scope.refs;
            }
        }
    }

    /// Derived values named anywhere in `expr`.
    fn collect_let_uses(&self, expr: &Expr, out: &mut Vec<(usize, Span)>) {
        walk(expr, &mut |e| {
            if let ExprKind::Name(name) = &e.node {
                if let Some(Symbol::Let(i)) = self.model.lookup(name) {
                    out.push((i, e.span));
                }
            }
        });
    }

    fn report_cycle(&mut self, cycle: &[(usize, Span)]) {
        let lets = &self.model.lets;
        let error = super::graph::cycle_error(
            cycle,
            |i| {
                lets.get(i)
                    .map(|l| (l.decl.name.node.clone(), l.decl.name.span))
            },
            &super::graph::CycleWords {
                code: Code::CyclicDerivedValue,
                itself: &|name| format!("the derived value {name} is defined in terms of itself"),
                several: &|names| {
                    format!("the derived values {names} depend on each other in a cycle")
                },
                edge: &|user, used| format!("`{user}` uses `{used}` here"),
                help: "a derived value can only use values computed without it; break the cycle",
            },
        );
        self.report(error);
    }
}
