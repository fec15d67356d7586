//! The shared walk over the IR: every expression of a policy, and every subexpression of one.
//!
//! Passes that look for something in expressions (the values a rule reads, the numbers a policy
//! compares with, whether a value is used) use these instead of matching each expression form by
//! hand, so a new expression form is taught to [`Expr::children`] once and every such pass sees
//! it.

use super::{Effect, Expr, Pattern, Points, Policy, Rule, Value};
use rust_decimal::Decimal;

impl Expr {
    /// Calls `visit` on this expression and then on each subexpression, depth first, left to
    /// right as written. Expressions are at most a few hundred levels deep (the parser's limit),
    /// so the recursion is bounded.
    pub fn walk<'e>(&'e self, visit: &mut impl FnMut(&'e Expr)) {
        visit(self);
        let mut children = Vec::new();
        self.children(&mut children);
        for child in children {
            child.walk(visit);
        }
    }
}

impl Points {
    /// The amount, `per`, and the caps, in that order.
    pub fn exprs(&self) -> impl Iterator<Item = &Expr> {
        std::iter::once(&self.amount)
            .chain(&self.per)
            .chain(&self.at_most)
            .chain(&self.at_least)
    }
}

impl Effect {
    /// Every set of points the effect can give: the one of a plain effect, or each scorecard arm's
    /// followed by the `missing` and `otherwise` ones.
    pub fn points(&self) -> Vec<&Points> {
        match self {
            Effect::Points(p) => vec![p],
            Effect::Bins {
                arms,
                missing,
                otherwise,
                ..
            } => arms
                .iter()
                .map(|a| &a.points)
                .chain(missing.as_deref())
                .chain(otherwise.as_deref())
                .collect(),
        }
    }

    /// The scorecard's patterns, in order (none for a plain effect).
    pub fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        let arms = match self {
            Effect::Points(_) => &[][..],
            Effect::Bins { arms, .. } => arms.as_slice(),
        };
        arms.iter().flat_map(|a| a.patterns.iter())
    }
}

impl Rule {
    /// The condition, then every expression of the effect.
    pub fn exprs(&self) -> Vec<&Expr> {
        let mut out: Vec<&Expr> = self.condition.iter().collect();
        for points in self.effect.points() {
            out.extend(points.exprs());
        }
        out
    }
}

impl Policy {
    /// Whether a consequence reads whether another applies: then they are decided in
    /// [`Policy::consequence_order`] rather than simply in source order.
    pub fn chains_consequences(&self) -> bool {
        self.consequences.iter().any(|c| {
            let mut reads = false;
            c.condition
                .walk(&mut |e| reads |= matches!(e, Expr::ConsequenceApplies(_)));
            reads
        })
    }

    /// Every number the policy's derived values and rules compute or compare with: constants in
    /// their expressions (params are folded in), scorecard bounds and values, and every param's
    /// value. Unsorted, with repeats.
    pub fn numbers(&self) -> Vec<Decimal> {
        let mut out: Vec<Decimal> = self.params.iter().map(|p| p.value).collect();
        let mut constant = |e: &Expr| {
            if let Expr::Const(Value::Number(n)) = e {
                out.push(*n);
            }
        };
        for l in &self.lets {
            l.value.walk(&mut constant);
        }
        for rule in &self.rules {
            for e in rule.exprs() {
                e.walk(&mut constant);
            }
        }
        for rule in &self.rules {
            for pattern in rule.effect.patterns() {
                match pattern {
                    Pattern::Value(Value::Number(n)) => out.push(*n),
                    Pattern::Range(r) => out.extend(r.lo.iter().chain(&r.hi).map(|b| b.value)),
                    Pattern::Value(_) => {}
                }
            }
        }
        out
    }
}
