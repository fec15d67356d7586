//! A number's text (a JSON number, or a CSV cell that looks like one) as an exact decimal.
//!
//! Nothing is rounded: a number is read when a decimal holds its value exactly, whatever way it is
//! written (`769.000…0` with forty zeros, `0e99999999999`, `1.5e3`), and refused otherwise, saying
//! whether it is too large or too precise. The common case (`digits` or `digits.digits`) takes a
//! fast path; the two agree digit for digit and scale for scale.

use super::error::{FieldError, Problem};
use rust_decimal::Decimal;

/// The exact decimal written `text`, or why there is none.
pub fn parse(text: &str) -> Result<Decimal, FieldError> {
    plain(text)
        .or_else(|| exact(text))
        .ok_or_else(|| unrepresentable(text))
}

/// Why a number's text has no exact decimal: its size is beyond the largest decimal, or (within
/// that size) it has more digits than a decimal holds.
fn unrepresentable(text: &str) -> FieldError {
    let message = if too_large(text) {
        format!(
            "the number {text} is too large (at most {} either side of zero)",
            Decimal::MAX
        )
    } else {
        format!(
            "the number {text} cannot be represented exactly \
             (at most 28 significant digits, and at most 28 after the decimal point)"
        )
    };
    (Problem::Overflow, message)
}

/// A number's text taken apart: sign, digits (whole part then fraction) and the power of ten the
/// digits are scaled by, as written (`12.50e1` is `1250` at scale `2 - 1 = 1`).
struct Parts<'a> {
    negative: bool,
    /// The whole part and the fraction, without the point.
    whole: &'a [u8],
    fraction: &'a [u8],
    /// The exponent, saturated at ±10^9 (anything beyond is as good as infinite here).
    exponent: i64,
}

const EXPONENT_LIMIT: i64 = 1_000_000_000;

/// Splits `text` as JSON writes numbers (`-`? digits (`.` digits)? (`e`|`E` (`+`|`-`)? digits)?),
/// leading zeros and a point without digits after it allowed; `None` when it is not written so.
fn parts(text: &str) -> Option<Parts<'_>> {
    let bytes = text.as_bytes();
    let (negative, body) = match bytes {
        [b'-', rest @ ..] => (true, rest),
        all => (false, all),
    };
    let (mantissa, exponent) = match body.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => (body.get(..at)?, Some(body.get(at + 1..)?)),
        None => (body, None),
    };
    let (whole, fraction) = match mantissa.iter().position(|&b| b == b'.') {
        Some(at) => (mantissa.get(..at)?, mantissa.get(at + 1..)?),
        None => (mantissa, &[][..]),
    };
    let all_digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    // `1.` is read as `1` (as `Decimal::from_str_exact` reads it), in a CSV cell.
    if !all_digits(whole) || !fraction.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let exponent = match exponent {
        None => 0,
        Some(written) => {
            let (sign, digits) = match written {
                [b'-', rest @ ..] => (-1, rest),
                [b'+', rest @ ..] => (1, rest),
                all => (1, all),
            };
            if !all_digits(digits) {
                return None;
            }
            let magnitude = digits.iter().fold(0i64, |n, &d| {
                (n * 10 + i64::from(d - b'0')).min(EXPONENT_LIMIT)
            });
            sign * magnitude
        }
    };
    Some(Parts {
        negative,
        whole,
        fraction,
        exponent,
    })
}

/// The exact path: any number a decimal holds exactly. The scale is the one written (digits after
/// the point, less the exponent), as `Decimal::from_str_exact` gives, unless that scale does not
/// fit; then trailing zeros are dropped until it does (`769.000…0` is `769.000…0` with 28 zeros).
fn exact(text: &str) -> Option<Decimal> {
    let parts = parts(text)?;
    let digits: Vec<u8> = parts.whole.iter().chain(parts.fraction).copied().collect();
    let written_scale = i64::try_from(parts.fraction.len()).ok()? - parts.exponent;
    // The significant digits, without leading or trailing zeros, and the scale that leaves them.
    let first = digits.iter().position(|&b| b != b'0');
    let Some(first) = first else {
        // Zero, whatever its exponent: at the written scale, within what a decimal has.
        let scale = u32::try_from(written_scale.clamp(0, 28)).ok()?;
        return Some(Decimal::new(0, scale));
    };
    let last = digits.iter().rposition(|&b| b != b'0').unwrap_or(first);
    let significant = digits.get(first..=last)?;
    let trailing = i64::try_from(digits.len() - 1 - last).ok()?;
    let least_scale = written_scale - trailing;
    if significant.len() > 29 || least_scale > 28 {
        return None;
    }
    let mut mantissa = significant.iter().try_fold(0i128, |n, &d| {
        n.checked_mul(10)?.checked_add(i128::from(d - b'0'))
    })?;
    let mut scale = least_scale;
    if scale < 0 {
        // A whole number with zeros past its digits: they are part of the mantissa.
        mantissa = mantissa.checked_mul(10i128.checked_pow(u32::try_from(-scale).ok()?)?)?;
        scale = 0;
    }
    let sign = if parts.negative { -1 } else { 1 };
    let mut best =
        Decimal::try_from_i128_with_scale(sign * mantissa, u32::try_from(scale).ok()?).ok()?;
    // Put back the written trailing zeros that fit.
    while scale < written_scale.min(28) {
        let Some(wider) = mantissa.checked_mul(10) else {
            break;
        };
        let Ok(value) =
            Decimal::try_from_i128_with_scale(sign * wider, u32::try_from(scale + 1).ok()?)
        else {
            break;
        };
        mantissa = wider;
        scale += 1;
        best = value;
    }
    Some(best)
}

/// Whether the whole part of the number written `text` is beyond `Decimal::MAX`
/// (79228162514264337593543950335). Works on the digits, so no exponent is too big for it.
fn too_large(text: &str) -> bool {
    let Some(parts) = parts(text) else {
        return false;
    };
    let digits: Vec<u8> = parts.whole.iter().chain(parts.fraction).copied().collect();
    let Some(first) = digits.iter().position(|&b| b != b'0') else {
        return false; // zero, whatever its exponent
    };
    // The number of digits before the decimal point, counted from the first non-zero one.
    let whole_digits = parts.whole.len() as i64 - first as i64 + parts.exponent;
    let max = Decimal::MAX.to_string();
    let max_digits = max.len() as i64;
    if whole_digits != max_digits {
        return whole_digits > max_digits;
    }
    // As many digits as the largest decimal: compare them (padded with zeros past the end).
    let whole_part = (0..max.len()).map(|k| digits.get(first + k).copied().unwrap_or(b'0'));
    whole_part.cmp(max.bytes()) == std::cmp::Ordering::Greater
}

/// The common case, fast: `digits` or `digits.digits`, optionally negative, at most 28 digits
/// (so the mantissa is below 10^28 and fits a decimal), no leading zero (but `0.…`), not a
/// negative zero. The digits go straight into the mantissa, with one digit of scale per digit
/// after the point: the same value (digits and scale) as `Decimal::from_str_exact`. Anything else
/// (`None`) takes the exact path.
///
/// No arithmetic here can overflow in any build profile: 19 bytes hold at most 19 digits, below
/// `u64::MAX` (about 1.8 × 10^19), and 29 bytes at most 29 digits, far below `u128::MAX`.
pub(super) fn plain(text: &str) -> Option<Decimal> {
    let (negative, body) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        all => (false, all),
    };
    // A leading zero only as the whole part of `0.…`; none at all for `-0` and `00`.
    match body {
        [b'0', b'.', ..] | [b'1'..=b'9', ..] => {}
        [b'0'] if !negative => return Some(Decimal::ZERO),
        _ => return None,
    }
    let (mantissa, scale) = if body.len() <= 19 {
        let mut mantissa: u64 = 0;
        let mut point: Option<usize> = None;
        for (at, &b) in body.iter().enumerate() {
            match b {
                b'0'..=b'9' => mantissa = mantissa * 10 + u64::from(b - b'0'),
                b'.' if point.is_none() => point = Some(at),
                _ => return None,
            }
        }
        (u128::from(mantissa), scale_of(body.len(), point)?)
    } else if body.len() <= 29 {
        let mut mantissa: u128 = 0;
        let mut digits = 0;
        let mut point: Option<usize> = None;
        for (at, &b) in body.iter().enumerate() {
            match b {
                b'0'..=b'9' => {
                    mantissa = mantissa * 10 + u128::from(b - b'0');
                    digits += 1;
                }
                b'.' if point.is_none() => point = Some(at),
                _ => return None,
            }
        }
        if digits > 28 {
            return None;
        }
        (mantissa, scale_of(body.len(), point)?)
    } else {
        return None;
    };
    if negative && mantissa == 0 {
        return None;
    }
    let signed = i128::try_from(mantissa).ok()?;
    Decimal::try_from_i128_with_scale(if negative { -signed } else { signed }, scale).ok()
}

/// The scale of a plain number's `len` bytes with its point `at` (if any), which must have digits
/// after it.
fn scale_of(len: usize, point: Option<usize>) -> Option<u32> {
    match point {
        None => Some(0),
        Some(at) => match len - at - 1 {
            0 => None,
            after => u32::try_from(after).ok(),
        },
    }
}

// The number reader against `rust_decimal`'s own parsers, on boundary and random texts.
#[cfg(test)]
mod tests {
    use super::super::fields::{looks_numeric, number, Bounds, Kind};
    use super::*;

    #[test]
    fn too_large_numbers_are_told_from_too_precise_ones() {
        for text in [
            "-1e30",
            "1e29",
            "1E+30",
            "79228162514264337593543950336",
            "-79228162514264337593543950335.1e1",
            "0.0001e33",
            "1e99999999999999999999",
            "100000000000000000000000000000",
        ] {
            assert!(too_large(text), "{text} is too large");
            let (problem, message) = number(text, Kind::Decimal, Bounds::default()).unwrap_err();
            assert_eq!(problem, Problem::Overflow);
            assert_eq!(
                message,
                format!(
                    "the number {text} is too large (at most \
                     79228162514264337593543950335 either side of zero)"
                )
            );
        }
        for text in [
            "12345678901234567890123456789.5",
            "79228162514264337593543950335.5",
            "-79228162514264337593543950335.9",
            "1.00000000000000000000000000001",
            "0.1234567890123456789012345678901",
            "1e-40",
            "7922816251426433759354395033.55e1",
        ] {
            assert!(!too_large(text), "{text} is not too large");
            let (problem, message) = number(text, Kind::Decimal, Bounds::default()).unwrap_err();
            assert_eq!(problem, Problem::Overflow);
            assert!(
                message.ends_with(
                    "(at most 28 significant digits, and at most 28 after the decimal point)"
                ),
                "{message}"
            );
        }
        // The largest magnitudes are read.
        for text in [
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7.9228162514264337593543950335e28",
        ] {
            assert!(
                number(text, Kind::Decimal, Bounds::default()).is_ok(),
                "{text}"
            );
        }
    }

    #[test]
    fn exact_values_are_read_however_they_are_written() {
        let read = |text: &str| {
            number(text, Kind::Decimal, Bounds::default()).map(|v| (v.to_string(), v.scale()))
        };
        assert_eq!(read("0e99999999999"), Ok(("0".to_string(), 0)));
        // The written scale where a decimal has it, 28 places where it has not.
        let zeros = "0".repeat(28);
        assert_eq!(
            read("769.0000000000000000000000000000000000000"),
            Ok((format!("769.{}", &zeros[..26]), 26))
        );
        assert_eq!(
            read("1.000000000000000000000000000000"),
            Ok((format!("1.{zeros}"), 28))
        );
        assert_eq!(
            read("100e-30"),
            Ok(("0.0000000000000000000000000001".to_string(), 28))
        );
        assert_eq!(read("1.50e1"), Ok(("15.0".to_string(), 1)));
        assert_eq!(
            read("9000000000000000000000000000.0"),
            Ok(("9000000000000000000000000000".to_string(), 0))
        );
        // Still refused: more precision than a decimal has, or too large.
        for text in ["1e-29", "1.00000000000000000000000000001", "1e29"] {
            assert!(read(text).is_err(), "{text}");
        }
    }

    #[test]
    fn the_fast_number_path_agrees_with_from_str_exact() {
        for text in [
            "0",
            "1",
            "-1",
            "0.5",
            "-0.5",
            "12.50",
            "123456789012345678",
            "-123456789012345678",
            "1234567890123456789",
            "0.000001",
            "100",
            "-0",
            "-0.0",
            "00",
            "1.",
            ".5",
            "1.2.3",
            "-",
            "",
            "7.250",
            "999999999999999999",
            "0.0",
        ] {
            let exact = Decimal::from_str_exact(text).ok();
            match plain(text) {
                Some(fast) => {
                    let exact = exact.unwrap();
                    assert_eq!(
                        (fast.mantissa(), fast.scale()),
                        (exact.mantissa(), exact.scale()),
                        "{text}"
                    );
                }
                // Anything else takes the general path.
                None => assert!(
                    !matches!(text, "0" | "1" | "12.50" | "-0.5"),
                    "{text} should take the fast path"
                ),
            }
        }
    }

    /// The reading of a number before the fast paths: the general exact path for every text,
    /// with `Decimal`'s own comparisons. The fast paths must agree with it on everything.
    fn reference(text: &str, kind: Kind, bounds: Bounds) -> Result<(i128, u32), FieldError> {
        let parsed = if text.contains(['e', 'E']) {
            Decimal::from_scientific(text)
        } else {
            Decimal::from_str_exact(text)
        };
        let value = match parsed {
            Ok(value) => value,
            Err(_) => by_digits(text).ok_or_else(|| unrepresentable(text))?,
        };
        if kind == Kind::Whole && !value.fract().is_zero() {
            return Err((
                Problem::WrongType,
                format!("expected a whole number, found {text}"),
            ));
        }
        if let Some(min) = bounds.min.filter(|m| value < *m) {
            return Err((
                Problem::OutOfRange,
                format!("{text} is below the minimum {min}"),
            ));
        }
        if let Some(max) = bounds.max.filter(|m| value > *m) {
            return Err((
                Problem::OutOfRange,
                format!("{text} is above the maximum {max}"),
            ));
        }
        Ok((value.mantissa(), value.scale()))
    }

    /// The value `text` writes, made by moving its point in the text and reading the plain
    /// result with `Decimal::from_str_exact`: at the written scale if a decimal has it, else
    /// with as few trailing zeros dropped as needed. (What `rust_decimal`'s parsers refuse.)
    fn by_digits(text: &str) -> Option<Decimal> {
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, exponent) = match body.split_once(['e', 'E']) {
            Some((m, e)) => (
                m,
                e.parse::<i64>().unwrap_or(if e.starts_with('-') {
                    -1_000_000_000
                } else {
                    1_000_000_000
                }),
            ),
            None => (body, 0),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits = format!("{whole}{fraction}");
        let scale = fraction.len() as i64 - exponent;
        let significant = digits.trim_start_matches('0');
        if significant.is_empty() {
            return Some(Decimal::new(0, scale.clamp(0, 28) as u32));
        }
        if !(-60..=60).contains(&scale) {
            return None;
        }
        // The digits at `scale`, as plain text: padded with zeros on the side that needs them.
        let plain = |scale: i64| -> String {
            let sign = if negative { "-" } else { "" };
            if scale <= 0 {
                format!("{sign}{digits}{}", "0".repeat((-scale) as usize))
            } else {
                let padded = format!("{}{digits}", "0".repeat(scale as usize + 1));
                let (w, f) = padded.split_at(padded.len() - scale as usize);
                format!("{sign}{w}.{f}")
            }
        };
        // Dropping a trailing zero lowers the scale by one; only zeros may go.
        let mut text = plain(scale);
        let mut at = scale;
        loop {
            if at <= 28 {
                if let Ok(value) = Decimal::from_str_exact(&text) {
                    return Some(value);
                }
            }
            if at <= 0 || !text.ends_with('0') {
                return None;
            }
            text.pop();
            at -= 1;
            if text.ends_with('.') {
                text.pop();
            }
        }
    }

    fn ours(text: &str, kind: Kind, bounds: Bounds) -> Result<(i128, u32), FieldError> {
        number(text, kind, bounds).map(|v| (v.mantissa(), v.scale()))
    }

    fn dec(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap_or_default()
    }

    /// Texts at every boundary of the fast path: 18/19/28/29 digits, leading zeros, negative
    /// zeros, points, exponents, the largest decimal.
    fn edge_texts() -> Vec<String> {
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "00",
            "-00",
            "0.0",
            "-0.0",
            "0.00",
            "01",
            "-01",
            "001.5",
            "0.",
            "1.",
            ".5",
            "-.5",
            "-",
            "",
            "+1",
            "1.2.3",
            "1..2",
            "1e5",
            "1E5",
            "-1e-5",
            "0e0",
            "-0e0",
            "1.5e1",
            "12.50e-1",
            "1e28",
            "1e29",
            "9.9e27",
            "0.5",
            "-0.5",
            "12.50",
            "7.250",
            "100",
            "-100",
            "18",
            "17",
            "100.0",
            "100.5",
            "-3.0",
            "22.5",
            "40",
            "0.000001",
            "1 ",
            " 1",
            "1-",
            "1.-5",
            "0x10",
            "9",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "79228162514264337593543950336",
            "7922816251426433759354395033.5",
            "7922816251426433759354395033.6",
            "0.0000000000000000000000000001",
            "0.00000000000000000000000000001",
            "0.000000000000000000000000001",
            "-0.000000000000000000000000000",
            // Exact values that a decimal holds, written with more digits than it has.
            "769.0000000000000000000000000000000000000",
            "0e99999999999",
            "-0e-99999999999",
            "1.000000000000000000000000000000",
            "9000000000000000000000000000.0",
            "79228162514264337593543950335.000",
            "1e-28",
            "1e-29",
            "12.5e-27",
            "0.5e-28",
            "100e-30",
            "1.50e1",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        for digits in 1..=31 {
            let nines = "9".repeat(digits);
            let ones = format!("1{}", "0".repeat(digits - 1));
            for whole in [nines.clone(), ones.clone()] {
                texts.push(whole.clone());
                texts.push(format!("-{whole}"));
                for at in 1..digits {
                    let (w, f) = whole.split_at(at);
                    texts.push(format!("{w}.{f}"));
                    texts.push(format!("-{w}.{f}"));
                    texts.push(format!("0.{whole}"));
                }
            }
            texts.push(format!("0.{}1", "0".repeat(digits)));
            texts.push(format!("-0.{}", "0".repeat(digits)));
            texts.push(format!("{}.0", "0".repeat(digits)));
        }
        texts
    }

    #[test]
    fn fast_paths_agree_with_the_exact_path_on_edge_texts() {
        let ranges = [
            Bounds::default(),
            Bounds {
                min: Some(dec("0")),
                max: Some(dec("100")),
            },
            Bounds {
                min: Some(dec("18")),
                max: Some(dec("17.99")),
            },
            Bounds {
                min: Some(dec("-0.5")),
                max: Some(dec("22.50")),
            },
            Bounds {
                min: Some(Decimal::MIN),
                max: Some(Decimal::MAX),
            },
            Bounds {
                min: Some(dec("0.0000000000000000000000000001")),
                max: Some(dec("7922816251426433759354395033.5")),
            },
        ];
        for text in edge_texts() {
            // Only texts the scanner or the CSV reader would hand over reach `number`.
            let json_ok = serde_json::from_str::<serde_json::Number>(&text).is_ok();
            if !json_ok && !looks_numeric(text.trim()) {
                continue;
            }
            for kind in [Kind::Whole, Kind::Decimal] {
                for bounds in ranges {
                    assert_eq!(
                        ours(&text, kind, bounds),
                        reference(&text, kind, bounds),
                        "{text} as {kind:?} in {bounds:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn fast_paths_agree_with_the_exact_path_on_random_texts() {
        let mut next = super::super::arith::xorshift(0x2545_F491_4F6C_DD1D);
        let bounds = Bounds {
            min: Some(dec("-1000.5")),
            max: Some(dec("123456.789")),
        };
        for _ in 0..100_000 {
            let r = next();
            let mut text = String::new();
            if r.is_multiple_of(3) {
                text.push('-');
            }
            let whole = 1 + (r >> 8) % 16;
            let fraction = (r >> 16) % 16;
            for k in 0..whole + fraction {
                if k == whole {
                    text.push('.');
                }
                // Mostly non-zero digits, a zero now and then (also as the first digit).
                let d = next();
                let digit = if d.is_multiple_of(7) { 0 } else { d % 10 };
                text.push(char::from(b'0' + digit as u8));
            }
            for kind in [Kind::Whole, Kind::Decimal] {
                for b in [Bounds::default(), bounds] {
                    assert_eq!(ours(&text, kind, b), reference(&text, kind, b), "{text}");
                }
            }
        }
    }

    #[test]
    fn the_fast_path_takes_up_to_28_digits() {
        for text in [
            "1234567890123456789012345678",
            "-9999999999999999999999999999",
            "1.234567890123456789012345678",
            "0.000000000000000000000000001",
            "9999999999999999999",
            "-999999999999999999.9",
            "0",
            "0.0",
        ] {
            let fast = plain(text).map(|v| (v.mantissa(), v.scale()));
            let exact = Decimal::from_str_exact(text).map(|v| (v.mantissa(), v.scale()));
            assert_eq!(fast, exact.ok(), "{text}");
        }
        for text in [
            "12345678901234567890123456789",
            "0.0000000000000000000000000001",
            "-0",
            "-0.00",
            "00",
            "01.5",
            "1e2",
            "1.",
        ] {
            assert_eq!(plain(text), None, "{text}");
        }
    }

    #[test]
    fn range_and_kind_errors_are_worded_as_before() {
        let bounds = Bounds {
            min: Some(dec("18")),
            max: Some(dec("100")),
        };
        assert_eq!(
            number("17.9", Kind::Decimal, bounds),
            Err((
                Problem::OutOfRange,
                "17.9 is below the minimum 18".to_string()
            ))
        );
        assert_eq!(
            number("100.01", Kind::Decimal, bounds),
            Err((
                Problem::OutOfRange,
                "100.01 is above the maximum 100".to_string()
            ))
        );
        assert_eq!(
            number("100.00", Kind::Whole, bounds).map(|v| v.scale()),
            Ok(2)
        );
        assert_eq!(number("18", Kind::Whole, bounds), Ok(dec("18")));
        assert_eq!(
            number("18.5", Kind::Whole, bounds),
            Err((
                Problem::WrongType,
                "expected a whole number, found 18.5".to_string()
            ))
        );
    }
}
