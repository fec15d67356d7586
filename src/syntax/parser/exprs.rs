//! Building expressions: operators by precedence, comparisons, calls, `if` chains, and the depth
//! limit that bounds every later recursive pass.

use super::super::ast::*;
use super::super::err::SyntaxError;
use super::super::grammar::Rule;
use super::Result;
use super::MAX_EXPR_DEPTH;
use super::{is_punctuation, Builder, Children};
use crate::diagnostics::Code;
use crate::span::{Node, Span};
use pest::iterators::Pair;
use rust_decimal::Decimal;

impl Builder {
    pub(super) fn expr(&self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let (expr, _depth) = self.expr_depth(pair)?;
        Ok(expr)
    }

    /// Builds an expression and reports its depth, refusing trees deeper than [`MAX_EXPR_DEPTH`]
    /// before they are built any further.
    pub(super) fn expr_depth(&self, pair: Pair<'_, Rule>) -> Result<(Expr, u32)> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let built = match rule {
            Rule::expr => return self.expr_depth(Children::of(pair).next()),
            Rule::if_expr => {
                let mut parts = Vec::new();
                for part in Children::of(pair).rest() {
                    parts.push(self.expr_depth(part)?);
                }
                let depth = parts.iter().map(|(_, d)| *d).max().unwrap_or(0) + 1;
                let (otherwise, _) = parts
                    .pop()
                    .unwrap_or_else(|| (Node::new(ExprKind::Bool(false), span), 0));
                let mut branches = Vec::new();
                let mut iter = parts.into_iter();
                while let (Some((cond, _)), Some((value, _))) = (iter.next(), iter.next()) {
                    branches.push((cond, value));
                }
                (
                    Node::new(
                        ExprKind::If {
                            branches,
                            otherwise: Box::new(otherwise),
                        },
                        span,
                    ),
                    depth,
                )
            }
            Rule::or_expr | Rule::and_expr => {
                let op = if rule == Rule::or_expr {
                    BinaryOp::Or
                } else {
                    BinaryOp::And
                };
                let mut operands = Children::of(pair).rest();
                let mut acc = self.expr_depth(Self::first(&mut operands, rule))?;
                for operand in operands {
                    let rhs = self.expr_depth(operand)?;
                    acc = self.combine(op, acc, rhs)?;
                }
                acc
            }
            Rule::sum | Rule::product => {
                let mut c = Children::of(pair).rest();
                let mut acc = self.expr_depth(Self::first(&mut c, rule))?;
                while let (Some(op), Some(operand)) = (c.next(), c.next()) {
                    let op = match op.as_str() {
                        "+" => BinaryOp::Add,
                        "-" => BinaryOp::Sub,
                        "*" => BinaryOp::Mul,
                        _ => BinaryOp::Div,
                    };
                    let rhs = self.expr_depth(operand)?;
                    acc = self.combine(op, acc, rhs)?;
                }
                acc
            }
            Rule::not_expr => {
                let nots = pair
                    .clone()
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::K_NOT)
                    .count();
                let inner = Children::of(pair).next();
                let (mut expr, mut depth) = self.expr_depth(inner)?;
                for _ in 0..nots {
                    depth += 1;
                    self.check_depth(depth, span)?;
                    expr = Node::new(ExprKind::Unary(UnaryOp::Not, Box::new(expr)), span);
                }
                (expr, depth)
            }
            Rule::cmp_expr => self.comparison(pair)?,
            Rule::power => {
                let mut base = None;
                let mut exponent = None;
                for child in pair.into_inner() {
                    match child.as_rule() {
                        Rule::exponent => exponent = Some(child),
                        Rule::pow_op => {}
                        rule if is_punctuation(rule) => {}
                        _ => base = base.or(Some(child)),
                    }
                }
                let base = match base {
                    Some(b) => self.expr_depth(b)?,
                    None => (Node::new(ExprKind::Number(Decimal::ZERO), span), 1),
                };
                match exponent {
                    Some(e) => {
                        let e = self.expr_depth(e)?;
                        self.combine(BinaryOp::Pow, base, e)?
                    }
                    None => base,
                }
            }
            Rule::unary | Rule::exponent => {
                let mut minuses = 0u32;
                let mut primary = None;
                for child in pair.into_inner() {
                    match child.as_rule() {
                        Rule::minus => minuses += 1,
                        rule if is_punctuation(rule) => {}
                        _ => primary = Some(child),
                    }
                }
                let (mut expr, mut depth) = match primary {
                    Some(p) => self.expr_depth(p)?,
                    None => (Node::new(ExprKind::Number(Decimal::ZERO), span), 1),
                };
                for _ in 0..minuses {
                    depth += 1;
                    self.check_depth(depth, span)?;
                    expr = Node::new(ExprKind::Unary(UnaryOp::Neg, Box::new(expr)), span);
                }
                (expr, depth)
            }
            Rule::number => (
                Node::new(ExprKind::Number(self.number(pair)?.node), span),
                1,
            ),
            Rule::string => (Node::new(ExprKind::Text(self.string(pair)?.node), span), 1),
            Rule::bool_lit => (Node::new(ExprKind::Bool(Self::bool_value(&pair)), span), 1),
            Rule::K_SCORE => (Node::new(ExprKind::Score, span), 1),
            Rule::K_TIER => (Node::new(ExprKind::Tier, span), 1),
            Rule::ident => (
                Node::new(ExprKind::Name(pair.as_str().to_string()), span),
                1,
            ),
            Rule::points_of => {
                let name = self.ident(Children::of(pair).next());
                (Node::new(ExprKind::PointsOf(name), span), 1)
            }
            Rule::rules_fired => {
                let group = Children::of(pair).rest().next().map(|g| self.ident(g));
                (Node::new(ExprKind::RulesFired(group), span), 1)
            }
            Rule::named => {
                let mut c = Children::of(pair);
                let name_pair = c.next();
                let applies = c.has(Rule::K_APPLIES);
                match c.next_if(Rule::call_args) {
                    Some(args_pair) => {
                        let func = self.ident(name_pair);
                        let mut args = Vec::new();
                        let mut depth = 0;
                        for arg in Children::of(args_pair).rest() {
                            let (arg, d) = self.expr_depth(arg)?;
                            depth = depth.max(d);
                            args.push(arg);
                        }
                        (Node::new(ExprKind::Call { func, args }, span), depth + 1)
                    }
                    None if applies => {
                        (Node::new(ExprKind::Applies(self.ident(name_pair)), span), 1)
                    }
                    None => (
                        Node::new(ExprKind::Name(name_pair.as_str().to_string()), span),
                        1,
                    ),
                }
            }
            // Parenthesised expressions reach here as `expr`; anything else is a grammar change
            // this walker has not caught up with.
            _ => return self.expr_depth(Children::of(pair).next()),
        };
        self.check_depth(built.1, span)?;
        Ok(built)
    }

    #[allow(clippy::panic)]
    pub(super) fn first<'i>(
        iter: &mut impl Iterator<Item = Pair<'i, Rule>>,
        rule: Rule,
    ) -> Pair<'i, Rule> {
        match iter.next() {
            Some(p) => p,
            None => panic!("grammar invariant broken: `{rule:?}` has an operand"),
        }
    }

    pub(super) fn combine(
        &self,
        op: BinaryOp,
        (lhs, ld): (Expr, u32),
        (rhs, rd): (Expr, u32),
    ) -> Result<(Expr, u32)> {
        let span = lhs.span.to(rhs.span);
        let depth = ld.max(rd) + 1;
        self.check_depth(depth, span)?;
        Ok((
            Node::new(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span),
            depth,
        ))
    }

    pub(super) fn check_depth(&self, depth: u32, span: Span) -> Result<()> {
        if depth > MAX_EXPR_DEPTH {
            return Err(SyntaxError::new(
                Code::NestingTooDeep,
                span,
                format!("this expression is nested more than {MAX_EXPR_DEPTH} levels deep"),
                "too deeply nested",
            )
            .with_help("split it into several `let` declarations"));
        }
        Ok(())
    }

    pub(super) fn comparison(&self, pair: Pair<'_, Rule>) -> Result<(Expr, u32)> {
        let span = self.span(&pair);
        let mut c = Children::of(pair);
        let lhs = self.expr_depth(c.next())?;
        let Some(tail) = c.items.pop_front() else {
            return Ok(lhs);
        };
        match tail.as_rule() {
            Rule::cmp_op => {
                let op = match tail.as_str() {
                    ">=" => BinaryOp::Ge,
                    "<=" => BinaryOp::Le,
                    "!=" => BinaryOp::Ne,
                    "=" => BinaryOp::Eq,
                    ">" => BinaryOp::Gt,
                    _ => BinaryOp::Lt,
                };
                let rhs = self.expr_depth(c.next())?;
                self.combine(op, lhs, rhs)
            }
            Rule::in_test => {
                let tc = Children::of(tail);
                let negated = tc.has(Rule::K_NOT);
                let mut set = Vec::new();
                let mut depth = lhs.1;
                for member in tc.rest() {
                    let (member, d) = self.expr_depth(member)?;
                    depth = depth.max(d);
                    set.push(member);
                }
                let expr = ExprKind::In {
                    value: Box::new(lhs.0),
                    set,
                    negated,
                };
                self.check_depth(depth + 1, span)?;
                Ok((Node::new(expr, span), depth + 1))
            }
            _ => {
                // `is [not] missing` or `is [not] <value>`
                let mut tc = Children::of(tail);
                let negated = tc.has(Rule::K_NOT);
                if tc.has(Rule::K_MISSING) {
                    let depth = lhs.1 + 1;
                    self.check_depth(depth, span)?;
                    let expr = ExprKind::IsMissing {
                        value: Box::new(lhs.0),
                        negated,
                    };
                    return Ok((Node::new(expr, span), depth));
                }
                let rhs = self.expr_depth(tc.next())?;
                self.combine(if negated { BinaryOp::Ne } else { BinaryOp::Eq }, lhs, rhs)
            }
        }
    }
}
