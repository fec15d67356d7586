//! The static type of every number the generated SQL computes: its scale (the most decimals any
//! of its values can have) and a bound on its magnitude, worked out from the indicators'
//! declared ranges and the constants, operation by operation, as rust_decimal would compute them.
//!
//! DuckDB and Spark need both: the scale fixes each `DECIMAL`'s type so no engine rule rounds, and
//! the bound tells whether the integer digits fit beside it (else the operation is checked for
//! overflow per record). PostgreSQL reads only the bound, to leave out overflow checks that cannot
//! fail.

use rust_decimal::Decimal;

/// The integer digits of the largest exact decimal (`79228162514264337593543950335`).
pub const MAX_DIGITS: u32 = 29;

/// The decimals a quotient keeps (`runtime::arith::DIVISION_DECIMALS`).
pub const DIVISION_SCALE: u32 = crate::runtime::arith::DIVISION_DECIMALS;

/// The most decimals a value of the generated SQL keeps: rust_decimal's own limit.
pub const MAX_SCALE: u32 = 28;

/// A number's static type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Num {
    pub scale: u32,
    /// Every value's magnitude is at most this; `None`: any value rust_decimal holds.
    pub bound: Option<Decimal>,
}

/// How many integer digits `magnitude` has (at least 1).
pub fn integer_digits(magnitude: Decimal) -> u32 {
    let whole = magnitude.abs().trunc().mantissa().unsigned_abs()
        / 10u128.pow(magnitude.abs().trunc().scale());
    let mut digits = 1;
    let mut rest = whole / 10;
    while rest > 0 {
        digits += 1;
        rest /= 10;
    }
    digits
}

impl Num {
    pub fn constant(value: Decimal) -> Num {
        Num {
            scale: value.scale(),
            bound: Some(value.abs()),
        }
    }

    /// A whole number of at most `bound`.
    pub fn whole(bound: Option<Decimal>) -> Num {
        Num { scale: 0, bound }
    }

    /// The integer digits its values can have.
    pub fn digits(self) -> u32 {
        self.bound
            .map_or(MAX_DIGITS, integer_digits)
            .min(MAX_DIGITS)
    }

    /// Whether every value fits rust_decimal's range: an operation giving this type cannot
    /// overflow.
    pub fn fits(self) -> bool {
        self.bound.is_some()
    }

    /// The type of a value that is either of two (a branch, a minimum).
    pub fn either(self, other: Num) -> Num {
        Num {
            scale: self.scale.max(other.scale),
            bound: match (self.bound, other.bound) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            },
        }
    }

    pub fn add(self, other: Num) -> Num {
        Num {
            scale: self.scale.max(other.scale),
            bound: self
                .bound
                .zip(other.bound)
                .and_then(|(a, b)| a.checked_add(b)),
        }
    }

    pub fn mul(self, other: Num) -> Num {
        Num {
            scale: (self.scale + other.scale).min(MAX_SCALE),
            bound: self
                .bound
                .zip(other.bound)
                .and_then(|(a, b)| a.checked_mul(b)),
        }
    }

    /// A quotient: rounded to the division's decimals; unbounded (a divisor may be tiny).
    pub fn div(self) -> Num {
        Num {
            scale: DIVISION_SCALE,
            bound: None,
        }
    }

    /// Rounded to `decimals` (points and scores): never more decimals than that.
    pub fn rounded(self, decimals: u32) -> Num {
        Num {
            scale: self.scale.min(decimals),
            // Rounding up adds at most one unit of the last decimal.
            bound: self.bound.and_then(|b| b.checked_add(Decimal::ONE)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_count_the_whole_part() {
        assert_eq!(integer_digits(Decimal::ZERO), 1);
        assert_eq!(integer_digits(Decimal::new(9999, 2)), 2);
        assert_eq!(integer_digits(Decimal::new(100, 0)), 3);
        assert_eq!(integer_digits(Decimal::MAX), 29);
    }

    #[test]
    fn products_add_scales_and_multiply_bounds() {
        let a = Num::constant(Decimal::new(25, 1));
        let b = Num::constant(Decimal::new(-4, 0));
        assert_eq!(
            a.mul(b),
            Num {
                scale: 1,
                bound: Some(Decimal::new(100, 1))
            }
        );
        assert_eq!(a.div().scale, 10);
        assert!(!Num::whole(None).mul(a).fits());
    }
}
