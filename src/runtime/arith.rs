//! Exact decimal arithmetic as every evaluator does it: checked (an overflow is an error for the
//! record, never a wrong number), `/` rounded to [`DIVISION_DECIMALS`] places with ties away from
//! zero, and Kleene's three-valued `and` and `or` for unknown values (`None`).

use super::error::EvalErrorKind;
use rust_decimal::{Decimal, RoundingStrategy};
use std::cmp::Ordering;

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

/// The largest exponent `^` takes, either side of zero.
pub const MAX_EXPONENT: u32 = 1000;

/// `x ^ n` for a whole `n` from -[`MAX_EXPONENT`] to [`MAX_EXPONENT`]: `|n|` factors `x`
/// multiplied one at a time, each product rounded to [`DIVISION_DECIMALS`] places (ties away
/// from zero) as a division is (so `x ^ 1` is `x`); for a negative `n`, 1 divided by that (a
/// division, so `0 ^ -1` divides by zero). `x ^ 0` is 1. A fractional or larger exponent, or a result beyond the exact
/// range, is an overflow of the record (the checker proves exponents whole and in range).
pub fn pow(x: Decimal, n: Decimal) -> Result<Decimal, EvalErrorKind> {
    if !n.fract().is_zero() {
        return Err(EvalErrorKind::Overflow);
    }
    let times = match u32::try_from(n.abs().mantissa() / 10i128.pow(n.scale())) {
        Ok(t) if t <= MAX_EXPONENT => t,
        _ => return Err(EvalErrorKind::Overflow),
    };
    let mut product = if times == 0 { Decimal::ONE } else { x };
    for _ in 1..times {
        product = mul(product, x)?
            .round_dp_with_strategy(DIVISION_DECIMALS, RoundingStrategy::MidpointAwayFromZero);
    }
    if n.is_sign_negative() {
        div(Decimal::ONE, product)
    } else {
        Ok(product)
    }
}

/// `10^n` for every scale a decimal can have (0 to 28), and on to the largest `i128` power (38).
// Computed at compile time: an index out of bounds would fail the build, never a run.
#[allow(clippy::indexing_slicing)]
pub const POW10: [i128; 39] = {
    let mut table = [1i128; 39];
    let mut n = 1;
    while n < table.len() {
        table[n] = table[n - 1] * 10;
        n += 1;
    }
    table
};

/// `10^n` as a `u64`, for `n` up to 19.
#[allow(clippy::indexing_slicing)]
const POW10_U64: [u64; 20] = {
    let mut table = [1u64; 20];
    let mut n = 1;
    while n < table.len() {
        table[n] = table[n - 1] * 10;
        n += 1;
    }
    table
};

/// A fixed pseudo-random sequence (xorshift64) for the runtime's tests: the runtime is embedded
/// in generated crates, which have no proptest, so this stands in for one.
#[cfg(test)]
pub(super) fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// `10^n`, if it fits an `i128` (`n` up to 38).
pub fn pow10(n: u32) -> Option<i128> {
    POW10.get(n as usize).copied()
}

/// Compares two decimals. Same result as `Decimal::cmp`, but much faster in the common case of
/// small numbers with different scales (a record's `22.5` against a bound `40`): the mantissa with
/// the smaller scale is raised to the other's scale (by one 64-bit multiplication when it and the
/// power of ten fit 64 bits, else in checked `i128`), falling back to `Decimal::cmp` only if that
/// could overflow.
pub fn compare(a: Decimal, b: Decimal) -> Ordering {
    let (sa, sb) = (a.scale(), b.scale());
    let (ma, mb) = (a.mantissa(), b.mantissa());
    if sa == sb {
        return ma.cmp(&mb);
    }
    let (low, high, flipped) = if sa < sb {
        (ma, mb, false)
    } else {
        (mb, ma, true)
    };
    let diff = sa.abs_diff(sb);
    let raised = match (i64::try_from(low), POW10_U64.get(diff as usize)) {
        // |low| < 2^63 and the factor <= 10^19 < 2^64: the product fits an i128 exactly.
        (Ok(small), Some(&factor)) => Some(i128::from(small) * i128::from(factor)),
        _ => pow10(diff).and_then(|factor| low.checked_mul(factor)),
    };
    match raised {
        Some(raised) if flipped => high.cmp(&raised),
        Some(raised) => raised.cmp(&high),
        None => a.cmp(&b),
    }
}

/// `a < b`, with [`compare`].
pub fn lt(a: Decimal, b: Decimal) -> bool {
    compare(a, b) == Ordering::Less
}

/// `a <= b`, with [`compare`].
pub fn le(a: Decimal, b: Decimal) -> bool {
    compare(a, b) != Ordering::Greater
}

/// `a > b`, with [`compare`].
pub fn gt(a: Decimal, b: Decimal) -> bool {
    compare(a, b) == Ordering::Greater
}

/// `a >= b`, with [`compare`].
pub fn ge(a: Decimal, b: Decimal) -> bool {
    compare(a, b) != Ordering::Less
}

/// `a == b` (numerically: `1.0` equals `1`), with [`compare`].
pub fn eq(a: Decimal, b: Decimal) -> bool {
    compare(a, b) == Ordering::Equal
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

/// The smaller of two numbers; `a` when they are equal (as `Decimal::min`: `1.0` and `1` keep the
/// first's digits).
pub fn min(a: Decimal, b: Decimal) -> Decimal {
    if gt(a, b) {
        b
    } else {
        a
    }
}

/// The larger of two numbers; `a` when they are equal (as `Decimal::max`).
pub fn max(a: Decimal, b: Decimal) -> Decimal {
    if lt(a, b) {
        b
    } else {
        a
    }
}

/// `clamp(x, lo, hi)`; with `lo` above `hi` the result is `lo`, as SQL's
/// `GREATEST(lo, LEAST(x, hi))`.
pub fn clamp(x: Decimal, lo: Decimal, hi: Decimal) -> Decimal {
    max(min(x, hi), lo)
}

/// How a policy rounds points and scores to its decimals (`round to 0 decimals half even`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Rounding {
    /// Ties away from zero (the usual school rounding).
    #[default]
    HalfUp,
    /// Ties to the even neighbour (banker's rounding).
    HalfEven,
    /// Ties toward zero.
    HalfDown,
    /// Always away from zero.
    Up,
    /// Always toward zero (truncation).
    Down,
}

impl Rounding {
    /// The rust_decimal strategy that rounds this way; every evaluator, and the checker's range
    /// analysis, rounds through this one mapping.
    pub fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            Rounding::HalfDown => RoundingStrategy::MidpointTowardZero,
            Rounding::Up => RoundingStrategy::AwayFromZero,
            Rounding::Down => RoundingStrategy::ToZero,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn powers_are_exact_for_whole_results_and_rounded_like_division_otherwise() {
        assert_eq!(pow(d("2"), d("10")), Ok(d("1024")));
        assert_eq!(pow(d("-3"), d("3")), Ok(d("-27")));
        assert_eq!(pow(d("7.5"), d("0")), Ok(Decimal::ONE));
        assert_eq!(pow(d("0"), d("0")), Ok(Decimal::ONE));
        assert_eq!(pow(d("1.5"), d("2")), Ok(d("2.25")));
        assert_eq!(pow(d("2"), d("-2")), Ok(d("0.25")));
        // Each product keeps 10 decimals, as a division does; one factor is itself.
        assert_eq!(pow(d("1.00000000015"), d("2")), Ok(d("1.0000000003")));
        assert_eq!(pow(d("1.00000000015"), d("1")), Ok(d("1.00000000015")));
        // An annuity factor: 1.005 ^ 12.
        assert_eq!(pow(d("1.005"), d("12")), Ok(d("1.0616778119")));
        assert_eq!(pow(d("1"), d("1000")), Ok(Decimal::ONE));
    }

    #[test]
    fn powers_fail_as_the_record_would() {
        assert_eq!(pow(d("0"), d("-1")), Err(EvalErrorKind::DivisionByZero));
        assert_eq!(pow(d("10"), d("40")), Err(EvalErrorKind::Overflow));
        assert_eq!(pow(d("1"), d("1001")), Err(EvalErrorKind::Overflow));
        assert_eq!(pow(d("1"), d("-1001")), Err(EvalErrorKind::Overflow));
        assert_eq!(pow(d("2"), d("0.5")), Err(EvalErrorKind::Overflow));
        assert_eq!(pow(d("2"), d("3.0")), Ok(d("8")));
    }

    /// Values around every boundary of [`compare`]'s fast paths: mantissas either side of 2^63
    /// and of the largest decimal, at scales either side of 19 and at the ends of 0 to 28, and
    /// a negative zero.
    fn edge_values() -> Vec<Decimal> {
        let max = Decimal::MAX.mantissa();
        let mut mantissas: Vec<i128> = vec![
            0,
            1,
            5,
            9,
            10,
            11,
            99,
            100,
            123_456_789,
            i128::from(i64::MAX) - 1,
            i128::from(i64::MAX),
            i128::from(i64::MAX) + 1,
            i128::from(u64::MAX),
            10i128.pow(18),
            10i128.pow(19),
            10i128.pow(19) + 1,
            10i128.pow(27),
            10i128.pow(28) - 1,
            10i128.pow(28),
            max - 1,
            max,
        ];
        let negatives: Vec<i128> = mantissas.iter().map(|m| -m).collect();
        mantissas.extend(negatives);
        let mut values = Vec::new();
        for scale in [0, 1, 2, 9, 17, 18, 19, 20, 21, 27, 28] {
            for &m in &mantissas {
                values.push(Decimal::try_from_i128_with_scale(m, scale).unwrap_or_default());
            }
            let mut negative_zero = Decimal::new(0, scale);
            negative_zero.set_sign_negative(true);
            values.push(negative_zero);
        }
        values
    }

    #[test]
    fn compare_agrees_with_decimal_cmp() {
        let values = edge_values();
        for &a in &values {
            for &b in &values {
                assert_eq!(compare(a, b), a.cmp(&b), "{a:?} against {b:?}");
            }
        }
    }

    #[test]
    fn the_power_table_is_exact() {
        for n in 0..=38u32 {
            assert_eq!(pow10(n), Some(10i128.pow(n)));
        }
        assert_eq!(pow10(39), None);
    }

    /// Pseudo-random pairs of every size and scale (the runtime is embedded in generated crates,
    /// which have no proptest, so a fixed xorshift sequence stands in for one).
    #[test]
    fn compare_agrees_with_decimal_cmp_on_random_pairs() {
        let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
        let limit = Decimal::MAX.mantissa();
        for _ in 0..200_000 {
            let wide = |hi: u64, lo: u64| (i128::from(hi) << 64 | i128::from(lo)) >> (hi % 127);
            let (r1, r2, r3, r4) = (next(), next(), next(), next());
            let a = Decimal::try_from_i128_with_scale(wide(r1, r2) % limit, (r1 % 29) as u32)
                .unwrap_or_default();
            let b = Decimal::try_from_i128_with_scale(wide(r3, r4) % limit, (r3 % 29) as u32)
                .unwrap_or_default();
            assert_eq!(compare(a, b), a.cmp(&b), "{a:?} against {b:?}");
            assert_eq!(compare(b, a), b.cmp(&a), "{b:?} against {a:?}");
        }
    }
}
