//! Derived values (`let`): the order to compute them in, cycles among them, and their types.

use super::err::CheckError;
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

        // Kahn's algorithm: a derived value is ready once everything it uses is.
        let mut waiting: Vec<usize> = edges.iter().map(Vec::len).collect();
        let mut users: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (user, uses) in edges.iter().enumerate() {
            for (used, _) in uses {
                if let Some(list) = users.get_mut(*used) {
                    list.push(user);
                }
            }
        }
        let mut ready: Vec<usize> = (0..count).filter(|i| waiting.get(*i) == Some(&0)).collect();
        ready.reverse();
        let mut order = Vec::with_capacity(count);
        while let Some(next) = ready.pop() {
            order.push(next);
            for user in users.get(next).into_iter().flatten() {
                if let Some(w) = waiting.get_mut(*user) {
                    *w -= 1;
                    if *w == 0 {
                        ready.push(*user);
                    }
                }
            }
        }
        self.report_cycles(&edges, &waiting);
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
                l.ty = if waiting.get(index) == Some(&0) {
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

    /// Reports each cycle once. Values left `waiting` are in a cycle or depend on one; following
    /// their uses among the waiting values always ends in a cycle.
    fn report_cycles(&mut self, edges: &[Vec<(usize, Span)>], waiting: &[usize]) {
        let stuck = |i: usize| waiting.get(i).is_some_and(|w| *w > 0);
        let mut reported = vec![false; edges.len()];
        for start in 0..edges.len() {
            if !stuck(start) || reported.get(start) == Some(&true) {
                continue;
            }
            // Walk to the first repeated value: the walk from there back to it is a cycle.
            let mut path: Vec<(usize, Span)> = Vec::new();
            let mut position = vec![None; edges.len()];
            let mut current = start;
            let cycle_start = loop {
                if let Some(p) = position.get(current).copied().flatten() {
                    break Some(p);
                }
                if reported.get(current) == Some(&true) {
                    break None;
                }
                if let Some(p) = position.get_mut(current) {
                    *p = Some(path.len());
                }
                let Some(&(next, span)) = edges
                    .get(current)
                    .and_then(|e| e.iter().find(|(n, _)| stuck(*n)))
                else {
                    break None;
                };
                path.push((current, span));
                current = next;
            };
            for (node, _) in &path {
                if let Some(r) = reported.get_mut(*node) {
                    *r = true;
                }
            }
            let Some(cycle_start) = cycle_start else {
                continue;
            };
            let cycle = path.get(cycle_start..).unwrap_or(&[]);
            self.report_cycle(cycle);
        }
    }

    fn report_cycle(&mut self, cycle: &[(usize, Span)]) {
        let name = |i: usize| {
            self.model
                .lets
                .get(i)
                .map_or(String::new(), |l| l.decl.name.node.clone())
        };
        let Some(&(first, _)) = cycle.first() else {
            return;
        };
        let names: Vec<String> = cycle
            .iter()
            .map(|(i, _)| format!("`{}`", name(*i)))
            .collect();
        let first_span = self
            .model
            .lets
            .get(first)
            .map_or(Span::default(), |l| l.decl.name.span);
        let message = if cycle.len() == 1 {
            format!(
                "the derived value {} is defined in terms of itself",
                names.join("")
            )
        } else {
            format!(
                "the derived values {} depend on each other in a cycle",
                crate::text::join_and(&names)
            )
        };
        let mut error = CheckError::new(
            Code::CyclicDerivedValue,
            first_span,
            message,
            "part of the cycle",
        );
        for (k, (user, span)) in cycle.iter().enumerate() {
            let used = cycle.get(k + 1).or(cycle.first()).map_or(0, |(i, _)| *i);
            error = error.with_secondary(
                *span,
                format!("`{}` uses `{}` here", name(*user), name(used)),
            );
        }
        self.report(
            error.with_help(
                "a derived value can only use values computed without it; break the cycle",
            ),
        );
    }
}
