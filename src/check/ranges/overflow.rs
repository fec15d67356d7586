//! Arithmetic that can overflow the exact decimal range (W1006).
//!
//! Every value the evaluators compute is a `rust_decimal` number, at most
//! 79,228,162,514,264,337,593,543,950,335 either side of zero; a `+ - * /` or `^` whose result goes
//! beyond rejects the record. The interval arithmetic meets this as a bound it cannot compute (an
//! end turned unbounded, `None`), which is how an overflow is told from a value that was
//! unbounded from the start:
//!
//! - both operands bounded, the result not: the bounds found reach past the range, and the
//!   warning says how far (an estimate of the magnitude in powers of ten, from the operands'
//!   largest and smallest sizes, which also rules out results the interval arithmetic merely
//!   could not bound, such as a negative base to a varying power);
//! - a product of two values that are both unbounded in size, or a power of such a value with an
//!   exponent that can be 2 or more in size: an unbounded decimal times itself exceeds any bound,
//!   and a drafter who declared no ranges should hear that this formula is where it matters.
//!   A sum, or a product with a bounded factor, of unbounded values is not reported: it overflows
//!   only for records already near the range's end, and warning about every `income * 12` would
//!   drown the findings that matter.
//!
//! A value whose range was lost to a problem reported where it was computed (this one, or a
//! division by zero) is marked [`Abs::lost`], so one overflow gives one warning, not one per
//! operation above it.

use super::values::{Abs, Val};
use super::Analyzer;
use crate::check::intervals::Interval;
use crate::span::Span;
use crate::syntax::ast::{BinaryOp, Expr};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// log10 of the largest exact decimal, 79228162514264337593543950335.
const LOG10_MAX: f64 = 28.898_879_583_742_193;

/// How an operation can overflow, for the warning's words.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Overflow {
    /// From bounded operands: the result's size can reach about 10 to this power (infinite when
    /// it grows without bound, as a division by values approaching 0 does). `above` and `below`
    /// say which of the result's ends went past the range.
    Bounded {
        log10: f64,
        above: bool,
        below: bool,
    },
    /// A product or power of values that are themselves unbounded in size.
    Unbounded,
}

impl Analyzer<'_, '_> {
    /// W1006 when `op` on `a` and `b` (giving `result`) can overflow; returns whether it can, so
    /// the caller marks the result's range as lost. `at` is the operands and the operation's span.
    pub(super) fn overflow_check(
        &mut self,
        op: BinaryOp,
        a: &Abs,
        b: &Abs,
        result: &Interval,
        at: (&Expr, &Expr, Span),
    ) -> bool {
        let Some(overflow) = overflow(op, a, b, result) else {
            return false;
        };
        self.overflow_warning(op, overflow, a, b, at);
        true
    }
}

/// Whether `op` on `a` and `b` can overflow, and how.
pub(super) fn overflow(op: BinaryOp, a: &Abs, b: &Abs, result: &Interval) -> Option<Overflow> {
    if a.lost || b.lost {
        return None;
    }
    let (Val::Num { iv: ai, .. }, Val::Num { iv: bi, .. }) = (&a.val, &b.val) else {
        return None;
    };
    let bounded = |iv: &Interval| iv.lo.is_some() && iv.hi.is_some();
    if op == BinaryOp::Div && approaches_zero(bi) {
        // `if income > 0 then debt / income`: the guard W1004 asks for. Only a divisor closer to 0
        // than any real record's (10^-20, say) could overflow it; reporting every guarded
        // division would bury the findings that matter.
        return None;
    }
    if bounded(ai) && bounded(bi) {
        if bounded(result) {
            return None;
        }
        let log10 = size(op, ai, bi);
        // The interval arithmetic gave up on a result whose size stays in range: no overflow.
        if log10 <= LOG10_MAX {
            return None;
        }
        return Some(Overflow::Bounded {
            log10,
            above: result.hi.is_none(),
            below: result.lo.is_none(),
        });
    }
    let unbounded_size = |iv: &Interval| iv.lo.is_none() || iv.hi.is_none();
    let grows = match op {
        BinaryOp::Mul => unbounded_size(ai) && unbounded_size(bi),
        // `x ^ n` multiplies `x` by itself `|n|` times, even for a negative `n`.
        BinaryOp::Pow => {
            unbounded_size(ai) && !(bi.all_at_least(-Decimal::ONE) && bi.all_at_most(Decimal::ONE))
        }
        _ => false,
    };
    grows.then_some(Overflow::Unbounded)
}

/// Whether the values come as close to 0 as one likes without reaching it (an end at 0 left out).
fn approaches_zero(iv: &Interval) -> bool {
    let open_zero = |end: Option<crate::check::intervals::End>| {
        end.is_some_and(|e| e.value.is_zero() && !e.inclusive)
    };
    open_zero(iv.lo) || open_zero(iv.hi)
}

/// The largest and smallest size (absolute value) in a bounded interval, as f64.
fn sizes(iv: &Interval) -> (f64, f64) {
    let value = |d: Option<Decimal>| d.and_then(|d| d.abs().to_f64()).unwrap_or(f64::INFINITY);
    let lo = value(iv.lo.map(|e| e.value));
    let hi = value(iv.hi.map(|e| e.value));
    // A range that only approaches 0 holds nothing closer to it than the smallest exact
    // decimal, 10^-28.
    let smallest = if iv.contains(Decimal::ZERO) {
        0.0
    } else {
        lo.min(hi).max(1e-28)
    };
    (lo.max(hi), smallest)
}

/// An upper bound on log10 of the size of `a op b` for bounded `a` and `b` (infinite when the
/// result has no bound at all).
fn size(op: BinaryOp, a: &Interval, b: &Interval) -> f64 {
    let (a_max, _) = sizes(a);
    let (b_max, b_min) = sizes(b);
    match op {
        BinaryOp::Add | BinaryOp::Sub => (a_max + b_max).log10(),
        BinaryOp::Mul => a_max.log10() + b_max.log10(),
        BinaryOp::Div => a_max.log10() - b_min.log10(),
        _ => {
            // `x ^ n` multiplies `x` by itself `|n|` times, each product rounded to 10 decimals,
            // and divides 1 by that when n < 0: the largest base to the largest number of steps.
            // (1 over a small base's power cannot overflow: the rounded power is 0, which
            // divides by zero, or at least 10^-10.)
            let n_hi =
                b.hi.map_or(f64::INFINITY, |e| e.value.to_f64().unwrap_or(0.0));
            let n_lo =
                b.lo.map_or(f64::NEG_INFINITY, |e| e.value.to_f64().unwrap_or(0.0));
            let steps = n_hi.abs().max(n_lo.abs());
            if a_max > 1.0 {
                steps * a_max.log10()
            } else {
                0.0
            }
        }
    }
}

/// `1.0 × 10^30` for a log10 of 30.
pub(super) fn power_of_ten(log10: f64) -> String {
    let mut exponent = log10.floor();
    let mut mantissa = (10f64.powf(log10 - exponent) * 10.0).round() / 10.0;
    if mantissa >= 10.0 {
        mantissa /= 10.0;
        exponent += 1.0;
    }
    format!("{mantissa:.1} × 10^{exponent}")
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::diagnostics::Code;

    fn warnings(body: &str) -> Vec<String> {
        let mut found = Vec::new();
        with_body(body, |_, problems| {
            found = problems
                .iter()
                .filter(|p| p.code == Code::DecimalOverflow)
                .map(|p| p.message.clone())
                .collect();
        });
        found
    }

    #[test]
    fn powers_of_ten_are_written_with_one_decimal() {
        assert_eq!(power_of_ten(30.0), "1.0 × 10^30");
        assert_eq!(power_of_ten(28.9), "7.9 × 10^28");
        assert_eq!(power_of_ten(29.999_999_999), "1.0 × 10^30");
        assert_eq!(power_of_ten(301.03), "1.1 × 10^301");
    }

    #[test]
    fn ten_bounded_factors_overflow_and_nine_do_not() {
        let factors = |n: usize| vec!["x"; n].join(" * ");
        let decl = "indicator x: integer 0 to 1000\n";
        let nine = warnings(&format!(
            "{decl}let p = {}\nrule r {{ add clamp(p, 0, 1) }}\n",
            factors(9)
        ));
        assert_eq!(nine, Vec::<String>::new());
        let ten = warnings(&format!(
            "{decl}let p = {}\nrule r {{ add clamp(p, 0, 1) }}\n",
            factors(12)
        ));
        // One warning, at the first product that overflows, not at each one above it.
        assert_eq!(ten.len(), 1, "{ten:?}");
        assert!(ten[0].contains("about 1.0 × 10^30"), "{}", ten[0]);
    }

    #[test]
    fn powers_divisions_and_sums_of_bounded_values() {
        let decl = "indicator n: integer 0 to 1000\nindicator d: decimal 0.0000001 to 1\nindicator b: integer -5 to 5\nindicator big: decimal 0 to 50000000000000000000000000000\nindicator k: integer 0 to 10\nindicator x: decimal 0 to 1\n";
        let check = |expr: &str| {
            warnings(&format!(
                "{decl}let v = {expr}\nrule r {{ add clamp(v, 0, 1) }}\n"
            ))
            .len()
        };
        assert_eq!(check("2 ^ n"), 1);
        assert_eq!(check("2 ^ 90"), 0);
        assert_eq!(check("2 ^ 100"), 1);
        assert_eq!(check("n ^ 9"), 0);
        assert_eq!(check("n ^ 10"), 1);
        // The interval arithmetic cannot bound this power, but its size stays small; with a
        // larger exponent it does not.
        assert_eq!(check("b ^ k"), 0);
        assert_eq!(check("b ^ n"), 1);
        assert_eq!(check("n / d"), 0);
        assert_eq!(check("big / d"), 1);
        assert_eq!(check("big + big"), 1);
        assert_eq!(check("big - big"), 0);
        assert_eq!(check("0 - big - big"), 1);
        assert_eq!(check("big + n"), 0);
        // A division guarded by `x > 0` is not reported, though 10 / 10^-28 would overflow: no
        // record's divisor comes that close to 0.
        assert_eq!(check("if x > 0 then 1 / x else 0"), 0);
        assert_eq!(check("if x > 0 then 10 / x else 0"), 0);
        assert_eq!(check("if x > 0 then big / x else 0"), 0);
    }

    #[test]
    fn products_of_unbounded_values_warn_and_sums_do_not() {
        let decl =
            "indicator amount: decimal\nindicator rate: decimal 0 to 1\nindicator months: count\n";
        let check = |expr: &str| {
            warnings(&format!(
                "{decl}let v = {expr}\nrule r {{ add clamp(v, 0, 1) }}\n"
            ))
            .len()
        };
        assert_eq!(check("amount * amount"), 1);
        // Once: the product above the first one has lost its range to it.
        assert_eq!(check("amount * amount * amount"), 1);
        assert_eq!(check("amount * months"), 1);
        assert_eq!(check("amount ^ 2"), 1);
        assert_eq!(check("amount ^ 1"), 0);
        assert_eq!(check("amount * rate"), 0);
        assert_eq!(check("amount * 12"), 0);
        assert_eq!(check("amount + amount"), 0);
        assert_eq!(check("amount / 3"), 0);
    }

    #[test]
    fn a_division_by_zero_is_reported_once_not_again_as_an_overflow() {
        let decl = "indicator a: integer 0 to 10\nindicator b: integer -5 to 5\n";
        let body = format!("{decl}let q = a / b\nlet v = q * q\nrule r {{ add clamp(v, 0, 1) }}\n");
        assert_eq!(warnings(&body), Vec::<String>::new());
    }

    #[test]
    fn points_per_a_count_can_overflow() {
        let body = "indicator n: count 0 to 1000000000000000\nparam step = 100000000000000000\nrule r { add step per n }\n";
        let found = warnings(body);
        assert_eq!(found.len(), 1, "{found:?}");
    }
}
