//! Building expressions: operators by precedence, comparisons, calls, `if` chains, and the depth
//! limit that bounds every later recursive pass.

use super::super::ast::*;
use super::super::err::SyntaxError;
use super::super::grammar::Rule;
use super::Result;
use super::{is_punctuation, Builder, Children};
use super::{MAX_CHAIN_TERMS, MAX_EXPR_DEPTH, MAX_EXPR_HEIGHT};
use crate::diagnostics::Code;
use crate::span::{Node, Span};
use pest::iterators::Pair;
use rust_decimal::Decimal;

/// How deep a subtree is, two ways. `level` is how deeply its parts are nested as a reader sees
/// them: a chain of one operator's terms (`a + b - c`, `a and b and c`) or a run of signs is one
/// level however long it is. `height` is how deep the tree really is (a chain of n terms is n - 1
/// operations inside one another), which is what every later recursive pass descends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Depth {
    pub level: u32,
    pub height: u32,
}

impl Depth {
    const LEAF: Depth = Depth {
        level: 1,
        height: 1,
    };

    /// The deeper of two parts, each way.
    fn max(self, other: Depth) -> Depth {
        Depth {
            level: self.level.max(other.level),
            height: self.height.max(other.height),
        }
    }

    /// One node above a part this deep.
    fn deeper(self) -> Depth {
        Depth {
            level: self.level.saturating_add(1),
            height: self.height.saturating_add(1),
        }
    }
}

impl Builder {
    pub(super) fn expr(&self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let (expr, _depth) = self.expr_depth(pair)?;
        Ok(expr)
    }

    /// Builds an expression and reports its depth, refusing trees that nest more than
    /// [`MAX_EXPR_DEPTH`] levels, chains of more than [`MAX_CHAIN_TERMS`] terms or trees higher than
    /// [`MAX_EXPR_HEIGHT`] before they are built any further.
    ///
    /// This recurses once per bracket or operator, so its own frame is kept small: each form is
    /// built by a function of its own, and the grammar's one-child layers (an `expr` that is one
    /// `or_expr` that is one `and_expr` … down to a name) are stepped through in a loop, not
    /// recursed into. Unoptimised builds would otherwise spend tens of kilobytes of stack per
    /// bracket.
    pub(super) fn expr_depth(&self, pair: Pair<'_, Rule>) -> Result<(Expr, Depth)> {
        let pair = innermost(pair);
        let span = self.span(&pair);
        // One call through a function pointer, so this frame holds one result, not one per form.
        let build: Build = match pair.as_rule() {
            Rule::if_expr => Self::if_expr,
            Rule::or_expr | Rule::and_expr => Self::logic_chain,
            Rule::sum | Rule::product => Self::arithmetic_chain,
            Rule::not_expr => Self::negation,
            Rule::cmp_expr => Self::comparison,
            Rule::power => Self::power,
            Rule::unary | Rule::exponent => Self::signed,
            Rule::named => Self::named,
            Rule::number
            | Rule::string
            | Rule::bool_lit
            | Rule::K_SCORE
            | Rule::K_TIER
            | Rule::ident
            | Rule::points_of
            | Rule::rules_fired => Self::leaf,
            // Anything else is a grammar change this walker has not caught up with.
            _ => Self::first_child,
        };
        let built = build(self, pair, span)?;
        check_depth(built.1, span)?;
        Ok(built)
    }

    fn first_child(&self, pair: Pair<'_, Rule>, _span: Span) -> Result<(Expr, Depth)> {
        self.expr_depth(Children::of(pair).next())
    }

    /// A term without parts: a number, a text, `yes`, `score`, a name, `points of …`.
    fn leaf(&self, pair: Pair<'_, Rule>, span: Span) -> Result<(Expr, Depth)> {
        let kind = match pair.as_rule() {
            Rule::number => ExprKind::Number(self.number(pair)?.node),
            Rule::string => ExprKind::Text(self.string(pair)?.node),
            Rule::bool_lit => ExprKind::Bool(Self::bool_value(&pair)),
            Rule::K_SCORE => ExprKind::Score,
            Rule::K_TIER => ExprKind::Tier,
            Rule::points_of => ExprKind::PointsOf(self.ident(Children::of(pair).next())),
            Rule::rules_fired => {
                ExprKind::RulesFired(Children::of(pair).rest().next().map(|g| self.ident(g)))
            }
            _ => ExprKind::Name(pair.as_str().to_string()),
        };
        Ok((Node::new(kind, span), Depth::LEAF))
    }

    fn if_expr(&self, pair: Pair<'_, Rule>, span: Span) -> Result<(Expr, Depth)> {
        let mut parts = Vec::new();
        for part in Children::of(pair).rest() {
            parts.push(self.expr_depth(part)?);
        }
        let depth = parts
            .iter()
            .fold(Depth::LEAF, |d, (_, part)| d.max(*part))
            .deeper();
        let (otherwise, _) = parts
            .pop()
            .unwrap_or_else(|| (Node::new(ExprKind::Bool(false), span), Depth::LEAF));
        let mut branches = Vec::new();
        let mut iter = parts.into_iter();
        while let (Some((cond, _)), Some((value, _))) = (iter.next(), iter.next()) {
            branches.push((cond, value));
        }
        let kind = ExprKind::If {
            branches,
            otherwise: Box::new(otherwise),
        };
        Ok((Node::new(kind, span), depth))
    }

    /// `a or b or c`, `a and b and c`.
    fn logic_chain(&self, pair: Pair<'_, Rule>, _span: Span) -> Result<(Expr, Depth)> {
        let rule = pair.as_rule();
        let op = if rule == Rule::or_expr {
            BinaryOp::Or
        } else {
            BinaryOp::And
        };
        let mut operands = Children::of(pair).rest();
        let first = self.expr_depth(Self::first(&mut operands, rule))?;
        let mut chain = Chain::new(first, rule);
        for operand in operands {
            chain.count(self.span(&operand))?;
            chain.push(op, self.expr_depth(operand)?)?;
        }
        Ok(chain.finish())
    }

    /// `a + b - c`, `a * b / c`.
    fn arithmetic_chain(&self, pair: Pair<'_, Rule>, _span: Span) -> Result<(Expr, Depth)> {
        let rule = pair.as_rule();
        let mut c = Children::of(pair).rest();
        let first = self.expr_depth(Self::first(&mut c, rule))?;
        let mut chain = Chain::new(first, rule);
        while let (Some(op), Some(operand)) = (c.next(), c.next()) {
            let op = match op.as_str() {
                "+" => BinaryOp::Add,
                "-" => BinaryOp::Sub,
                "*" => BinaryOp::Mul,
                _ => BinaryOp::Div,
            };
            chain.count(self.span(&operand))?;
            chain.push(op, self.expr_depth(operand)?)?;
        }
        Ok(chain.finish())
    }

    /// `not not x`.
    fn negation(&self, pair: Pair<'_, Rule>, span: Span) -> Result<(Expr, Depth)> {
        let nots = pair
            .clone()
            .into_inner()
            .filter(|p| p.as_rule() == Rule::K_NOT)
            .count();
        let inner = Children::of(pair).next();
        let (expr, depth) = self.expr_depth(inner)?;
        prefixed(expr, depth, nots, UnaryOp::Not, span)
    }

    /// `x ^ n`.
    fn power(&self, pair: Pair<'_, Rule>, span: Span) -> Result<(Expr, Depth)> {
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
            None => (
                Node::new(ExprKind::Number(Decimal::ZERO), span),
                Depth::LEAF,
            ),
        };
        match exponent {
            Some(e) => {
                let e = self.expr_depth(e)?;
                combine(BinaryOp::Pow, base, e)
            }
            None => Ok(base),
        }
    }

    /// `- -x`, and an exponent's signs.
    fn signed(&self, pair: Pair<'_, Rule>, span: Span) -> Result<(Expr, Depth)> {
        let mut minuses = 0usize;
        let mut primary = None;
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::minus => minuses += 1,
                rule if is_punctuation(rule) => {}
                _ => primary = Some(child),
            }
        }
        let (expr, depth) = match primary {
            Some(p) => self.expr_depth(p)?,
            None => (
                Node::new(ExprKind::Number(Decimal::ZERO), span),
                Depth::LEAF,
            ),
        };
        prefixed(expr, depth, minuses, UnaryOp::Neg, span)
    }

    /// A name, a call `min(a, b)` or `<rule> applies`.
    fn named(&self, pair: Pair<'_, Rule>, span: Span) -> Result<(Expr, Depth)> {
        let mut c = Children::of(pair);
        let name_pair = c.next();
        let applies = c.has(Rule::K_APPLIES);
        Ok(match c.next_if(Rule::call_args) {
            Some(args_pair) => {
                let func = self.ident(name_pair);
                let mut args = Vec::new();
                let mut depth = Depth::LEAF;
                for arg in Children::of(args_pair).rest() {
                    let (arg, d) = self.expr_depth(arg)?;
                    depth = depth.max(d);
                    args.push(arg);
                }
                (
                    Node::new(ExprKind::Call { func, args }, span),
                    depth.deeper(),
                )
            }
            None if applies => (
                Node::new(ExprKind::Applies(self.ident(name_pair)), span),
                Depth::LEAF,
            ),
            None => (
                Node::new(ExprKind::Name(name_pair.as_str().to_string()), span),
                Depth::LEAF,
            ),
        })
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

    fn comparison(&self, pair: Pair<'_, Rule>, span: Span) -> Result<(Expr, Depth)> {
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
                combine(op, lhs, rhs)
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
                check_depth(depth.deeper(), span)?;
                Ok((Node::new(expr, span), depth.deeper()))
            }
            _ => {
                // `is [not] missing` or `is [not] <value>`
                let mut tc = Children::of(tail);
                let negated = tc.has(Rule::K_NOT);
                if tc.has(Rule::K_MISSING) {
                    let depth = lhs.1.deeper();
                    check_depth(depth, span)?;
                    let expr = ExprKind::IsMissing {
                        value: Box::new(lhs.0),
                        negated,
                    };
                    return Ok((Node::new(expr, span), depth));
                }
                let rhs = self.expr_depth(tc.next())?;
                combine(if negated { BinaryOp::Ne } else { BinaryOp::Eq }, lhs, rhs)
            }
        }
    }
}

/// How one form of expression is built from its pair.
type Build = for<'i> fn(&Builder, Pair<'i, Rule>, Span) -> Result<(Expr, Depth)>;

/// The pair below the grammar's layers that hold only one child: an `expr` that is an `or_expr`
/// that is one `and_expr` … is built as that child. Pest keeps every layer, so a plain name in
/// brackets is ten pairs deep.
fn innermost(mut pair: Pair<'_, Rule>) -> Pair<'_, Rule> {
    loop {
        let layer = matches!(
            pair.as_rule(),
            Rule::expr
                | Rule::or_expr
                | Rule::and_expr
                | Rule::not_expr
                | Rule::cmp_expr
                | Rule::sum
                | Rule::product
                | Rule::unary
                | Rule::power
                | Rule::exponent
        );
        if !layer {
            return pair;
        }
        let mut inner = pair.clone().into_inner();
        match (inner.next(), inner.next()) {
            (Some(only), None) => pair = only,
            _ => return pair,
        }
    }
}

/// A left-associative chain of one precedence level's operators (`a + b - c`, `a and b and c`),
/// built as a left-nested tree. The chain is one level however long it is, but every term makes
/// the tree one higher.
struct Chain {
    acc: Expr,
    /// The deepest level among the terms.
    level: u32,
    height: u32,
    /// The terms of the chain in the tree, counting those of a first term in brackets that is a
    /// chain of the same operators: `(a + b) + c` is the tree of `a + b + c`, and the canonical
    /// printer writes it so, without the brackets. Counting by the tree keeps a printed policy
    /// readable again.
    terms: usize,
}

impl Chain {
    fn new((first, depth): (Expr, Depth), rule: Rule) -> Self {
        let terms = 1 + spine(&first, rule);
        Chain {
            acc: first,
            level: depth.level,
            height: depth.height,
            terms,
        }
    }

    /// Counts the term at `span`, refusing it when it makes the chain too long.
    fn count(&mut self, span: Span) -> Result<()> {
        self.terms += 1;
        if self.terms > MAX_CHAIN_TERMS {
            return Err(SyntaxError::new(
                Code::NestingTooDeep,
                span,
                format!(
                    "this expression is a chain of more than {} terms",
                    thousands(MAX_CHAIN_TERMS)
                ),
                format!("the {} term", ordinal(MAX_CHAIN_TERMS + 1)),
            )
            .with_help(
                "compute parts of the chain in `let` declarations of their own and combine those",
            ));
        }
        Ok(())
    }

    fn push(&mut self, op: BinaryOp, (rhs, depth): (Expr, Depth)) -> Result<()> {
        self.level = self.level.max(depth.level);
        self.height = self.height.max(depth.height).saturating_add(1);
        let span = self.acc.span.to(rhs.span);
        check_height(self.height, span)?;
        let lhs = std::mem::replace(&mut self.acc, Node::new(ExprKind::Bool(false), span));
        self.acc = Node::new(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span);
        Ok(())
    }

    fn finish(self) -> (Expr, Depth) {
        let level = if self.terms > 1 {
            self.level.saturating_add(1)
        } else {
            self.level
        };
        (
            self.acc,
            Depth {
                level,
                height: self.height,
            },
        )
    }
}

/// How many operators of the chain rule `rule` (`sum`, `product`, `and_expr`, `or_expr`) lie
/// down the left side of `expr`: the terms it adds to a chain it starts, less one.
fn spine(expr: &Expr, rule: Rule) -> usize {
    let same = |op: BinaryOp| match rule {
        Rule::sum => matches!(op, BinaryOp::Add | BinaryOp::Sub),
        Rule::product => matches!(op, BinaryOp::Mul | BinaryOp::Div),
        Rule::and_expr => op == BinaryOp::And,
        _ => op == BinaryOp::Or,
    };
    let mut count = 0;
    let mut node = expr;
    while let ExprKind::Binary(op, lhs, _) = &node.node {
        if !same(*op) {
            break;
        }
        count += 1;
        node = lhs;
    }
    count
}

/// `count` signs in a row (`not not x`, `- -x`): one level, but each sign one node higher.
fn prefixed(
    mut expr: Expr,
    depth: Depth,
    count: usize,
    op: UnaryOp,
    span: Span,
) -> Result<(Expr, Depth)> {
    let mut height = depth.height;
    for _ in 0..count {
        height = height.saturating_add(1);
        check_height(height, span)?;
        expr = Node::new(ExprKind::Unary(op, Box::new(expr)), span);
    }
    let level = if count > 0 {
        depth.level.saturating_add(1)
    } else {
        depth.level
    };
    Ok((expr, Depth { level, height }))
}

/// The binary operation `op` on two parts: one level deeper than the deeper of them.
fn combine(
    op: BinaryOp,
    (lhs, ld): (Expr, Depth),
    (rhs, rd): (Expr, Depth),
) -> Result<(Expr, Depth)> {
    let span = lhs.span.to(rhs.span);
    let depth = ld.max(rd).deeper();
    check_depth(depth, span)?;
    Ok((
        Node::new(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span),
        depth,
    ))
}

fn check_depth(depth: Depth, span: Span) -> Result<()> {
    if depth.level > MAX_EXPR_DEPTH {
        return Err(SyntaxError::new(
            Code::NestingTooDeep,
            span,
            format!("this expression is nested more than {MAX_EXPR_DEPTH} levels deep"),
            "too deeply nested",
        )
        .with_help("split it into several `let` declarations"));
    }
    check_height(depth.height, span)
}

/// The bound on the tree's real height, which chains alone cannot reach (a chain of
/// [`MAX_CHAIN_TERMS`] terms is that high), but chains inside chains can.
fn check_height(height: u32, span: Span) -> Result<()> {
    if height > MAX_EXPR_HEIGHT {
        return Err(SyntaxError::new(
            Code::NestingTooDeep,
            span,
            format!(
                "this expression has more than {} operations inside one another",
                thousands(MAX_EXPR_HEIGHT as usize)
            ),
            "too large to compute",
        )
        .with_help("compute parts of it in `let` declarations of their own and combine those"));
    }
    Ok(())
}

/// `1000` as `1,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1001` as `1,001st`.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{}{suffix}", thousands(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_written_with_thousands_separators_and_ordinals() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(ordinal(1_001), "1,001st");
        assert_eq!(ordinal(1_002), "1,002nd");
        assert_eq!(ordinal(1_011), "1,011th");
        assert_eq!(ordinal(2_023), "2,023rd");
        assert_eq!(ordinal(100), "100th");
    }
}
