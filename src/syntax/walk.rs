//! The shared walk over syntax-tree expressions.
//!
//! A pass that looks for something inside expressions (the names used, the derived values read,
//! the numbers written) calls [`walk`] instead of matching every expression form by hand; only
//! [`ExprKind::children`] knows the forms, so a new one is added there once. Passes that give each
//! form its own meaning — typing, range analysis, phrasing, printing, lowering — match the forms
//! themselves: that is their one place.

use super::ast::{Expr, ExprKind};

impl ExprKind {
    /// The direct subexpressions, left to right as written.
    pub fn children(&self) -> Vec<&Expr> {
        match self {
            ExprKind::Number(_)
            | ExprKind::Text(_)
            | ExprKind::Bool(_)
            | ExprKind::Name(_)
            | ExprKind::Score
            | ExprKind::Tier
            | ExprKind::Applies(_)
            | ExprKind::PointsOf(_)
            | ExprKind::RulesFired(_) => Vec::new(),
            ExprKind::Unary(_, e) | ExprKind::IsMissing { value: e, .. } => vec![e],
            ExprKind::Binary(_, a, b) => vec![a, b],
            ExprKind::In { value, set, .. } => std::iter::once(&**value).chain(set).collect(),
            ExprKind::Call { args, .. } => args.iter().collect(),
            ExprKind::If {
                branches,
                otherwise,
            } => branches
                .iter()
                .flat_map(|(c, v)| [c, v])
                .chain(std::iter::once(&**otherwise))
                .collect(),
        }
    }
}

/// Calls `visit` on `expr` and then on each subexpression, depth first, left to right. The parser
/// bounds how deep expressions nest, so the recursion is bounded too.
pub fn walk<'e>(expr: &'e Expr, visit: &mut impl FnMut(&'e Expr)) {
    visit(expr);
    for child in expr.node.children() {
        walk(child, visit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::FileId;

    fn names(source: &str) -> Vec<String> {
        let text = format!(
            "policy \"P\" {{\n version \"1\"\n effective 2027-01-01\n score 0 to 10 starting at 5\n}}\nlet v = {source}\n"
        );
        let ast = crate::syntax::parse(FileId(0), &text).unwrap_or_else(|e| panic!("{e:?}"));
        let value = ast
            .items
            .iter()
            .find_map(|i| match i {
                crate::syntax::ast::Item::Let(l) => Some(&l.node.value),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no let"));
        let mut out = Vec::new();
        walk(value, &mut |e| {
            if let ExprKind::Name(n) = &e.node {
                out.push(n.clone());
            }
        });
        out
    }

    #[test]
    fn visits_every_form_in_order() {
        assert_eq!(names("a + b * -c"), ["a", "b", "c"]);
        assert_eq!(
            names("if a > 1 then min(b, c) else clamp(d, e, f)"),
            ["a", "b", "c", "d", "e", "f"]
        );
        assert_eq!(
            names("a in [b, c] and not d is missing"),
            ["a", "b", "c", "d"]
        );
    }
}
