//! Derived values (`let`) and the dependencies `monotone.rs` needs.
//!
//! [`Analyzer::base_lets`] analyses every derived value once, in dependency order, so a rule that
//! reads one pays nothing for its definition. [`Analyzer::dependencies`] works out which of a set
//! of indicators each derived value and each rule reads (directly or through derived values), and
//! [`Analyzer::focus_on`] re-analyses just the derived values that depend on the focused
//! indicator, so proving a direction costs only the rules it touches.

use super::narrow::Env;
use super::Analyzer;
use crate::check::model::{Resolved, ValueNode};
use crate::syntax::ast::{Expr, ExprKind, RuleItem};
use crate::syntax::walk::walk;

impl Analyzer<'_, '_> {
    /// Analyses every derived value once, in dependency order.
    pub fn base_lets(&mut self) {
        self.values(false);
    }

    /// Analyses the derived values and tables computed after the rules (which read the score,
    /// the tier or the rules' points), once those are known.
    pub fn after_rules_values(&mut self) {
        self.values(true);
    }

    /// The values before the rules, or those after them, in dependency order.
    fn values(&mut self, after_rules: bool) {
        for &node in &self.model.value_order {
            let late = match node {
                ValueNode::Let(l) => self.model.lets.get(l).is_some_and(|x| x.after_rules),
                ValueNode::Table(t) => self.model.tables.get(t).is_some_and(|x| x.after_rules),
            };
            if late != after_rules {
                continue;
            }
            let index = match node {
                ValueNode::Let(index) => index,
                ValueNode::Table(table) => {
                    self.table_outputs(table);
                    continue;
                }
            };
            let Some(decl) = self.model.lets.get(index).map(|l| l.decl) else {
                continue;
            };
            let value = self.eval(&decl.value, &Env::default());
            if let Some(slot) = self.lets.get_mut(index) {
                *slot = value;
            }
        }
    }

    /// Switches to focus mode on `indicator`: later rule analyses also work out directions. No
    /// warnings are reported in focus mode. `lets` are the derived values that depend on the
    /// indicator, in dependency order (see [`Analyzer::dependencies`]); they are analysed again.
    pub fn focus_on(&mut self, indicator: usize, lets: &[usize]) {
        self.focus = Some(indicator);
        self.quiet = true;
        self.focus_lets.clear();
        self.focus_outputs = self
            .model
            .outputs
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                self.table_deps
                    .get(o.table)
                    .is_some_and(|deps| deps.contains(&indicator))
            })
            .map(|(index, _)| index)
            .collect();
        for &index in lets {
            let Some(decl) = self.model.lets.get(index).map(|l| l.decl) else {
                continue;
            };
            let value = self.eval(&decl.value, &Env::default());
            self.focus_lets.insert(index, value);
        }
    }

    /// For each derived value and each rule, the indicators among `wanted` it reads, directly or
    /// through derived values. One pass over the policy (plus the size of the sets).
    /// Also keeps each table's dependencies, for [`Analyzer::focus_on`].
    pub fn dependencies(&mut self, wanted: &[usize]) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
        let mut lets: Vec<Vec<usize>> = vec![Vec::new(); self.model.lets.len()];
        let mut tables: Vec<Vec<usize>> = vec![Vec::new(); self.model.tables.len()];
        let model = self.model;
        let resolve = |refs: &[Resolved], lets: &[Vec<usize>], tables: &[Vec<usize>]| {
            let mut out: Vec<usize> = Vec::new();
            for r in refs {
                match r {
                    Resolved::Indicator(i) if wanted.contains(i) => out.push(*i),
                    Resolved::Let(l) => out.extend(lets.get(*l).into_iter().flatten().copied()),
                    Resolved::Output(o) => {
                        let table = model.outputs.get(*o).map(|x| x.table);
                        out.extend(
                            table
                                .and_then(|t| tables.get(t))
                                .into_iter()
                                .flatten()
                                .copied(),
                        );
                    }
                    _ => {}
                }
            }
            out.sort_unstable();
            out.dedup();
            out
        };
        for &node in &self.model.value_order {
            match node {
                ValueNode::Let(index) => {
                    let Some(decl) = self.model.lets.get(index).map(|l| l.decl) else {
                        continue;
                    };
                    let mut refs = Vec::new();
                    self.refs(&decl.value, &mut refs);
                    let deps = resolve(&refs, &lets, &tables);
                    if let Some(slot) = lets.get_mut(index) {
                        *slot = deps;
                    }
                }
                ValueNode::Table(index) => {
                    let refs: Vec<Resolved> = self
                        .model
                        .tables
                        .get(index)
                        .map(|t| t.inputs.iter().map(|i| i.source).collect())
                        .unwrap_or_default();
                    let deps = resolve(&refs, &lets, &tables);
                    if let Some(slot) = tables.get_mut(index) {
                        *slot = deps;
                    }
                }
            }
        }
        let rules = (0..self.model.rules.len())
            .map(|index| resolve(&self.rule_refs(index), &lets, &tables))
            .collect();
        self.table_deps = tables;
        (lets, rules)
    }

    /// Everything rule `index` names: its subject, condition, points, `per` and caps.
    fn rule_refs(&self, index: usize) -> Vec<Resolved> {
        let mut refs = Vec::new();
        let Some(info) = self.model.rules.get(index) else {
            return refs;
        };
        if let Some(subject) = info.subject {
            refs.push(subject);
        }
        for item in &info.decl.items {
            match &item.node {
                RuleItem::When(e) => self.refs(e, &mut refs),
                RuleItem::Effect(effect) => {
                    self.refs(&effect.amount, &mut refs);
                    if let Some(per) = &effect.per {
                        self.refs(per, &mut refs);
                    }
                    for cap in &effect.caps {
                        self.refs(&cap.node.value, &mut refs);
                    }
                }
                RuleItem::Bin(bin) => self.refs(&bin.amount, &mut refs),
                _ => {}
            }
        }
        refs
    }

    /// The indicators, params and derived values named in `expr`.
    pub fn refs(&self, expr: &Expr, out: &mut Vec<Resolved>) {
        walk(expr, &mut |e| {
            if let ExprKind::Name(_) = e.node {
                out.extend(self.model.resolution(e.span));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{Analyzer, Dir};

    const POLICY: &str = "
indicator a: integer 0 to 10
indicator b: integer -5 to 5
indicator x: decimal 0 to 2
let l2 = l1 * b
let l1 = a + 1
rule r1 {\n add l2\n}
rule r2 {\n add x\n}
rule r3 by a {\n 0 to 5 => add 1\n 6 to 10 => add 2\n}
rule r4 {\n deduct l1\n}
";

    #[test]
    fn derived_values_are_analysed_in_dependency_order() {
        // `l2` is written before the `l1` it reads.
        assert_eq!(let_iv(POLICY, "l1"), closed("1", "11"));
        assert_eq!(let_iv(POLICY, "l2"), closed("-55", "55"));
        assert_eq!(rule_range(POLICY, "r1"), (some("-55"), some("55")));
        assert_eq!(rule_range(POLICY, "r4"), (some("-11"), some("-1")));
    }

    #[test]
    fn dependencies_follow_derived_values() {
        with_body(POLICY, |model, _| {
            let mut analyzer = Analyzer::new(model);
            // Declaration order: l2 is derived value 0, l1 is 1; a, b, x are indicators 0, 1, 2.
            let (lets, rules) = analyzer.dependencies(&[0, 1]);
            assert_eq!(lets, vec![vec![0, 1], vec![0]]);
            assert_eq!(rules, vec![vec![0, 1], vec![], vec![0], vec![0]]);
            // Only the indicators asked about are listed.
            let (lets, rules) = analyzer.dependencies(&[2]);
            assert_eq!(lets, vec![Vec::<usize>::new(), vec![]]);
            assert_eq!(rules, vec![vec![], vec![2], vec![], vec![]]);
        });
    }

    #[test]
    fn focus_works_out_each_rules_direction() {
        with_body(POLICY, |model, _| {
            let mut analyzer = Analyzer::new(model);
            analyzer.base_lets();
            // Focus on `a`, which l1 and then l2 depend on (in dependency order: l1, l2).
            analyzer.focus_on(0, &[1, 0]);
            let dirs: Vec<Dir> = (0..4).map(|r| analyzer.rule(r).dir).collect();
            // l1 * b with b of either sign; x does not depend on a; the bins rise with a;
            // deducting l1 falls as a grows.
            assert_eq!(dirs, vec![Dir::Any, Dir::Const, Dir::Inc, Dir::Dec]);
            // Focus mode reports nothing.
            assert!(analyzer.problems.is_empty());
            // Focus on `b`: l2 = l1 * b grows with b, since l1 is positive.
            analyzer.focus_on(1, &[0]);
            assert_eq!(analyzer.rule(0).dir, Dir::Inc);
            assert_eq!(analyzer.rule(3).dir, Dir::Const);
        });
    }
}
