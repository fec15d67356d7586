//! Exact decimal arithmetic as every evaluator does it: checked (an overflow is an error for the
//! record, never a wrong number), `/` rounded to [`DIVISION_DECIMALS`] places with ties away from
//! zero, and Kleene's three-valued `and` and `or` for unknown values (`None`).

use super::error::EvalErrorKind;
use rust_decimal::{Decimal, RoundingStrategy};

/// Digits kept after the decimal point by `/`, so that every backend agrees on a division.
pub const DIVISION_DECIMALS: u32 = 10;

pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, EvalErrorKind> {
    a.checked_add(b).ok_or(EvalErrorKind::Overflow)
}

pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal, EvalErrorKind> {
    a.checked_sub(b).ok_or(EvalErrorKind::Overflow)
}

pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, EvalErrorKind> {
    a.checked_mul(b).ok_or(EvalErrorKind::Overflow)
}

/// `a / b`, rounded to [`DIVISION_DECIMALS`] places, ties away from zero.
pub fn div(a: Decimal, b: Decimal) -> Result<Decimal, EvalErrorKind> {
    if b.is_zero() {
        return Err(EvalErrorKind::DivisionByZero);
    }
    let q = a.checked_div(b).ok_or(EvalErrorKind::Overflow)?;
    Ok(q.round_dp_with_strategy(DIVISION_DECIMALS, RoundingStrategy::MidpointAwayFromZero))
}

/// `op` on two numbers that may be unknown: unknown if either is, else `op`'s result.
pub fn maybe(
    a: Option<Decimal>,
    b: Option<Decimal>,
    op: fn(Decimal, Decimal) -> Result<Decimal, EvalErrorKind>,
) -> Result<Option<Decimal>, EvalErrorKind> {
    match (a, b) {
        (Some(a), Some(b)) => op(a, b).map(Some),
        _ => Ok(None),
    }
}

/// `clamp(x, lo, hi)`; with `lo` above `hi` the result is `lo`, as SQL's
/// `GREATEST(lo, LEAST(x, hi))`.
pub fn clamp(x: Decimal, lo: Decimal, hi: Decimal) -> Decimal {
    x.min(hi).max(lo)
}

/// Rounds points or a score to the policy's decimals.
pub fn round(value: Decimal, decimals: u32, strategy: RoundingStrategy) -> Decimal {
    if value.scale() <= decimals {
        // Nothing to round (and `round_dp_with_strategy` would return it unchanged).
        return value;
    }
    value.round_dp_with_strategy(decimals, strategy)
}

/// Kleene's `and`: no if either side is no, unknown if either is unknown, else yes.
pub fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// Kleene's `or`: yes if either side is yes, unknown if either is unknown, else no.
pub fn or(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}
