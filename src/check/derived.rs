//! Derived values (`let`): the order to compute them in, cycles among them, and their types.

use super::exprs::Scope;
use super::model::*;
use super::Checker;
use crate::diagnostics::Code;
use crate::span::Span;
use crate::syntax::ast::{Expr, ExprKind};
use crate::syntax::walk::walk;

impl Checker<'_> {
    /// Orders derived values and decision tables together (either may use the other), reports
    /// cycles among them, then types each derived value and resolves each table in that order.
    pub(super) fn derived_values(&mut self) {
        let lets = self.model.lets.len();
        let tables = self.model.tables.len();
        let node = |n: ValueNode| match n {
            ValueNode::Let(l) => l,
            ValueNode::Table(t) => lets + t,
        };
        // edges[i]: the values that value i uses (derived values first, then tables), with where.
        let mut edges: Vec<Vec<(usize, Span)>> = self
            .model
            .lets
            .iter()
            .map(|l| {
                let mut uses = Vec::new();
                self.collect_let_uses(&l.decl.value, &mut uses);
                uses.into_iter().map(|(n, s)| (node(n), s)).collect()
            })
            .collect();
        for t in 0..tables {
            let uses = self.table_uses(t);
            edges.push(uses.into_iter().map(|(n, s)| (node(n), s)).collect());
        }
        let ordered = super::graph::order(&edges);
        for cycle in &ordered.cycles {
            self.report_cycle(cycle, lets);
        }
        let of = |i: usize| {
            if i < lets {
                ValueNode::Let(i)
            } else {
                ValueNode::Table(i - lets)
            }
        };
        let order: Vec<ValueNode> = ordered.order.iter().map(|i| of(*i)).collect();
        self.model.value_order = order.clone();
        self.model.let_order = order
            .iter()
            .filter_map(|n| match n {
                ValueNode::Let(l) => Some(*l),
                ValueNode::Table(_) => None,
            })
            .collect();

        self.let_refs = vec![Vec::new(); lets];
        // Acyclic values first, in dependency order, so that each one's type is known when used;
        // then the cyclic ones (typed as errors) so their other mistakes are still reported.
        let cyclic: Vec<ValueNode> = (0..lets + tables)
            .filter(|i| !ordered.order.contains(i))
            .map(of)
            .collect();
        for value in order.into_iter().chain(cyclic) {
            let in_cycle = ordered.cyclic.get(node(value)).copied().unwrap_or(true);
            match value {
                ValueNode::Let(index) => self.type_let(index, in_cycle),
                ValueNode::Table(index) => self.table(index, in_cycle),
            }
        }
    }

    fn type_let(&mut self, index: usize, in_cycle: bool) {
        let Some(decl) = self.model.lets.get(index).map(|l| l.decl) else {
            return;
        };
        let mut scope = Scope::derived();
        let ty = self.expr(&decl.value, None, &mut scope);
        let ty = if ty == Type::Tier { Type::Error } else { ty };
        let after_rules =
            scope.reads_outcome || scope.refs.iter().any(|(r, _)| self.model.after_rules(*r));
        if let Some(l) = self.model.lets.get_mut(index) {
            l.ty = if in_cycle { Type::Error } else { ty };
            l.after_rules = after_rules;
        }
        if let Some(refs) = self.let_refs.get_mut(index) {
            *refs = scope.refs;
        }
    }

    /// Derived values and tables (through their outputs) named anywhere in `expr`.
    fn collect_let_uses(&self, expr: &Expr, out: &mut Vec<(ValueNode, Span)>) {
        walk(expr, &mut |e| {
            if let ExprKind::Name(name) = &e.node {
                match self.model.lookup(name) {
                    Some(Symbol::Let(i)) => out.push((ValueNode::Let(i), e.span)),
                    Some(Symbol::Output(o)) => {
                        if let Some(output) = self.model.outputs.get(o) {
                            out.push((ValueNode::Table(output.table), e.span));
                        }
                    }
                    _ => {}
                }
            }
        });
    }

    fn report_cycle(&mut self, cycle: &[(usize, Span)], lets: usize) {
        let model = &self.model;
        let only_lets = cycle.iter().all(|(i, _)| *i < lets);
        let (one, many) = if only_lets {
            ("derived value", "derived values")
        } else if cycle.iter().all(|(i, _)| *i >= lets) {
            ("decision table", "decision tables")
        } else {
            ("value", "derived values and tables")
        };
        let error = super::graph::cycle_error(
            cycle,
            |i| match i.checked_sub(lets) {
                None => model
                    .lets
                    .get(i)
                    .map(|l| (l.decl.name.node.clone(), l.decl.name.span)),
                Some(t) => model
                    .tables
                    .get(t)
                    .map(|t| (t.decl.name.node.clone(), t.decl.name.span)),
            },
            &super::graph::CycleWords {
                code: Code::CyclicDerivedValue,
                itself: &|name| format!("the {one} {name} is defined in terms of itself"),
                several: &|names| format!("the {many} {names} depend on each other in a cycle"),
                edge: &|user, used| format!("`{user}` uses `{used}` here"),
                help: "a derived value or a table can only use values computed without it; break the cycle",
            },
        );
        self.report(error);
    }
}
