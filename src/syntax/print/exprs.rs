//! Printing expressions with only the parentheses the grammar's precedence requires.

use super::{quote, yes_no};
use crate::syntax::ast::*;

/// How tightly an expression binds, loosest first, following the grammar's layers
/// (`expr`, `or_expr`, `and_expr`, `not_expr`, `cmp_expr`, `sum`, `product`, `unary`, `primary`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Prec {
    If,
    Or,
    And,
    Not,
    Compare,
    Sum,
    Product,
    Unary,
    Power,
    Primary,
}

fn prec(e: &ExprKind) -> Prec {
    match e {
        ExprKind::If {
            branches,
            otherwise,
        } => {
            if branches.is_empty() {
                prec(&otherwise.node)
            } else {
                Prec::If
            }
        }
        ExprKind::Binary(op, _, _) => match op {
            BinaryOp::Or => Prec::Or,
            BinaryOp::And => Prec::And,
            BinaryOp::Add | BinaryOp::Sub => Prec::Sum,
            BinaryOp::Mul | BinaryOp::Div => Prec::Product,
            BinaryOp::Pow => Prec::Power,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => Prec::Compare,
        },
        ExprKind::Unary(UnaryOp::Not, _) => Prec::Not,
        ExprKind::Unary(UnaryOp::Neg, _) => Prec::Unary,
        ExprKind::In { .. } | ExprKind::IsMissing { .. } => Prec::Compare,
        // The parser never builds a negative literal (`-5` is a negation), but a tree built
        // elsewhere may; it prints with its sign, which binds like a negation.
        ExprKind::Number(n) if n.is_sign_negative() => Prec::Unary,
        ExprKind::Number(_)
        | ExprKind::Text(_)
        | ExprKind::Bool(_)
        | ExprKind::Name(_)
        | ExprKind::Score
        | ExprKind::Tier
        | ExprKind::Call { .. }
        | ExprKind::Applies(_)
        | ExprKind::PointsOf(_)
        | ExprKind::RulesFired(_) => Prec::Primary,
    }
}

/// The layers that the left and right operands of `op` must come from to be read back as
/// written: chains are left-associative and comparisons do not chain.
fn operand_precs(op: BinaryOp) -> (Prec, Prec) {
    match op {
        BinaryOp::Or => (Prec::Or, Prec::And),
        BinaryOp::And => (Prec::And, Prec::Not),
        BinaryOp::Add | BinaryOp::Sub => (Prec::Sum, Prec::Product),
        BinaryOp::Mul | BinaryOp::Div => (Prec::Product, Prec::Unary),
        // The base is one term; the exponent is one term with signs (see `write_exponent`).
        BinaryOp::Pow => (Prec::Primary, Prec::Primary),
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
            (Prec::Sum, Prec::Sum)
        }
    }
}

/// An expression at the top of a clause, where anything (even `if`) may stand unbracketed.
pub(super) fn expr(e: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, e, Prec::If);
    out
}

/// An expression where the grammar expects one term with signs (a bin's points: `=> add -(a + b)`).
pub(super) fn unary_expr(e: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, e, Prec::Unary);
    out
}

/// Writes `e` where the grammar expects layer `min` or tighter, bracketing it if it is looser.
pub(super) fn write_expr(out: &mut String, e: &Expr, min: Prec) {
    let bracket = prec(&e.node) < min;
    if bracket {
        out.push('(');
    }
    match &e.node {
        ExprKind::Number(n) => out.push_str(&n.to_string()),
        ExprKind::Text(t) => out.push_str(&quote(t)),
        ExprKind::Bool(b) => out.push_str(yes_no(*b)),
        ExprKind::Name(name) => out.push_str(name),
        ExprKind::Score => out.push_str("score"),
        ExprKind::Tier => out.push_str("tier"),
        ExprKind::Unary(UnaryOp::Neg, operand) => {
            out.push('-');
            write_expr(out, operand, Prec::Unary);
        }
        ExprKind::Unary(UnaryOp::Not, operand) => {
            // `not` covers a whole comparison: `not a = b` is `not (a = b)`.
            out.push_str("not ");
            write_expr(out, operand, Prec::Not);
        }
        ExprKind::Binary(op, lhs, rhs) => {
            let (left, right) = operand_precs(*op);
            write_expr(out, lhs, left);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            if *op == BinaryOp::Pow {
                write_exponent(out, rhs);
            } else {
                write_expr(out, rhs, right);
            }
        }
        ExprKind::In {
            value,
            set,
            negated,
        } => {
            write_expr(out, value, Prec::Sum);
            out.push_str(if *negated { " not in [" } else { " in [" });
            write_list(out, set);
            out.push(']');
        }
        ExprKind::IsMissing { value, negated } => {
            write_expr(out, value, Prec::Sum);
            out.push_str(if *negated {
                " is not missing"
            } else {
                " is missing"
            });
        }
        ExprKind::Call { func, args } => {
            out.push_str(&func.node);
            out.push('(');
            write_list(out, args);
            out.push(')');
        }
        ExprKind::If {
            branches,
            otherwise,
        } => {
            for (i, (condition, value)) in branches.iter().enumerate() {
                out.push_str(if i == 0 { "if " } else { " else if " });
                write_expr(out, condition, Prec::If);
                out.push_str(" then ");
                write_expr(out, value, Prec::If);
            }
            if branches.is_empty() {
                write_expr(out, otherwise, min);
            } else {
                // An unbracketed `if` after the final `else` would be read as one more
                // `else if` branch of this `if`.
                out.push_str(" else ");
                write_expr(out, otherwise, Prec::Or);
            }
        }
        ExprKind::Applies(rule) => {
            out.push_str(&rule.node);
            out.push_str(" applies");
        }
        ExprKind::PointsOf(name) => {
            out.push_str("points of ");
            out.push_str(&name.node);
        }
        ExprKind::RulesFired(group) => {
            out.push_str("rules fired");
            if let Some(g) = group {
                out.push_str(" in ");
                out.push_str(&g.node);
            }
        }
    }
    if bracket {
        out.push(')');
    }
}

/// An exponent: one term, with as many minus signs as it has (`x ^ -1`).
fn write_exponent(out: &mut String, e: &Expr) {
    match &e.node {
        ExprKind::Unary(UnaryOp::Neg, operand) => {
            out.push('-');
            write_exponent(out, operand);
        }
        _ => write_expr(out, e, Prec::Primary),
    }
}

/// Comma-separated expressions, each a whole expression (as in call arguments and `in` sets).
fn write_list(out: &mut String, items: &[Expr]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_expr(out, item, Prec::If);
    }
}

/// Whether the printed form of `e` (written where layer `min` is expected) ends in a value that a
/// following `is …` would extend into a comparison.
pub(super) fn ends_open(e: &Expr, min: Prec) -> bool {
    if prec(&e.node) < min {
        return true; // bracketed: a primary
    }
    match &e.node {
        ExprKind::If {
            branches,
            otherwise,
        } => {
            if branches.is_empty() {
                ends_open(otherwise, min)
            } else {
                ends_open(otherwise, Prec::Or)
            }
        }
        ExprKind::Binary(op, _, rhs) if op.is_logical() => ends_open(rhs, operand_precs(*op).1),
        ExprKind::Binary(op, _, _) if op.is_comparison() => false,
        ExprKind::In { .. } | ExprKind::IsMissing { .. } => false,
        ExprKind::Unary(UnaryOp::Not, operand) => ends_open(operand, Prec::Not),
        _ => true,
    }
}
