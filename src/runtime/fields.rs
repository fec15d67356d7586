//! One field of a record, validated against its indicator's declaration. Nothing is coerced: a
//! value of the wrong type, out of its range, or not among an enum's members is a [`FieldError`]
//! with the reason, worded the same by every evaluator.

use super::arith;
use super::error::{FieldError, Problem};
use super::jsonl::Raw;
use super::output::json_string;
use rust_decimal::Decimal;
use std::borrow::Cow;

/// The type of an indicator, as far as reading records is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Bool,
    /// Whole numbers (counts and integers).
    Whole,
    Decimal,
    /// One of a list of members, written as a text.
    Enum,
    Text,
}

/// The declared range of a number indicator (both ends inclusive).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bounds {
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
}

/// What a value of `kind` looks like, for "expected …, found …".
pub fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Bool => "true or false",
        Kind::Whole => "a whole number",
        Kind::Decimal => "a number",
        Kind::Enum => "one of the listed values, as a text",
        Kind::Text => "a text",
    }
}

/// A JSON value that is not of the indicator's type.
pub fn wrong_json(kind: Kind, raw: &Raw<'_>) -> FieldError {
    let found = match raw {
        Raw::Null => "null".to_string(),
        Raw::Bool(b) => b.to_string(),
        Raw::Number(n) => format!("the number {n}"),
        Raw::Text(t) => format!("the text {}", quote(t)),
        Raw::Nested => "an object or a list".to_string(),
    };
    (
        Problem::WrongType,
        format!("expected {}, found {found}", expected(kind)),
    )
}

/// A CSV cell that is not of the indicator's type.
pub fn wrong_cell(kind: Kind, cell: &str) -> FieldError {
    (
        Problem::WrongType,
        format!("expected {}, found {}", expected(kind), quote(cell)),
    )
}

/// A boolean from JSON; `Ok(None)` for `null` (the same as absent).
pub fn json_bool(raw: Raw<'_>) -> Result<Option<bool>, FieldError> {
    match raw {
        Raw::Null => Ok(None),
        Raw::Bool(b) => Ok(Some(b)),
        other => Err(wrong_json(Kind::Bool, &other)),
    }
}

/// A number from JSON, exact, checked against its kind and range; `Ok(None)` for `null`.
pub fn json_number(
    raw: Raw<'_>,
    kind: Kind,
    bounds: Bounds,
) -> Result<Option<Decimal>, FieldError> {
    match raw {
        Raw::Null => Ok(None),
        Raw::Number(n) => number(n, kind, bounds).map(Some),
        other => Err(wrong_json(kind, &other)),
    }
}

/// A text from JSON (also an enum member, still to be looked up); `Ok(None)` for `null`.
pub fn json_text(raw: Raw<'_>, kind: Kind) -> Result<Option<Cow<'_, str>>, FieldError> {
    match raw {
        Raw::Null => Ok(None),
        Raw::Text(t) => Ok(Some(t)),
        other => Err(wrong_json(kind, &other)),
    }
}

/// A boolean from a (non-empty) CSV cell: `true`, `yes`, `false` or `no`, in any case.
pub fn cell_bool(cell: &str) -> Result<bool, FieldError> {
    let trimmed = cell.trim();
    if trimmed.eq_ignore_ascii_case("true") || trimmed.eq_ignore_ascii_case("yes") {
        Ok(true)
    } else if trimmed.eq_ignore_ascii_case("false") || trimmed.eq_ignore_ascii_case("no") {
        Ok(false)
    } else {
        Err(wrong_cell(Kind::Bool, cell))
    }
}

/// A number from a (non-empty) CSV cell.
pub fn cell_number(cell: &str, kind: Kind, bounds: Bounds) -> Result<Decimal, FieldError> {
    let text = cell.trim();
    if !looks_numeric(text) {
        return Err(wrong_cell(kind, cell));
    }
    number(text, kind, bounds)
}

fn looks_numeric(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && body.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// An exact decimal from a number's text, checked against the kind (whole or not) and range.
pub fn number(text: &str, kind: Kind, bounds: Bounds) -> Result<Decimal, FieldError> {
    if let Some(value) = plain_number(text) {
        check_as(value, text, kind, bounds)?;
        return Ok(value);
    }
    let parsed = if text.contains(['e', 'E']) {
        Decimal::from_scientific(text)
    } else {
        Decimal::from_str_exact(text)
    };
    let value = parsed.map_err(|_| unrepresentable(text))?;
    check_as(value, text, kind, bounds)?;
    Ok(value)
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
        format!("the number {text} cannot be represented exactly (at most 28 significant digits)")
    };
    (Problem::Overflow, message)
}

/// Whether the whole part of the number written `text` (a JSON number, or a CSV cell that looks
/// like one) is beyond `Decimal::MAX` (79228162514264337593543950335). Works on the digits, so no
/// exponent is too big for it.
fn too_large(text: &str) -> bool {
    let body = text.trim_start_matches(['-', '+']);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (
            body.get(..at).unwrap_or(""),
            body.get(at + 1..).unwrap_or(""),
        ),
        None => (body, ""),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The exponent, saturated: anything beyond ±10^9 is as good as infinite here.
    let (negative, exponent_digits) = match exponent.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, exponent.trim_start_matches('+')),
    };
    let mut exponent: i64 = 0;
    for b in exponent_digits.bytes() {
        if !b.is_ascii_digit() {
            return false;
        }
        exponent = (exponent * 10 + i64::from(b - b'0')).min(1_000_000_000);
    }
    if negative {
        exponent = -exponent;
    }
    let digits: Vec<u8> = whole.bytes().chain(fraction.bytes()).collect();
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let Some(first) = digits.iter().position(|&b| b != b'0') else {
        return false; // zero, whatever its exponent
    };
    // The number of digits before the decimal point, counted from the first non-zero one.
    let whole_digits = whole.len() as i64 - first as i64 + exponent;
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
/// (`None`) takes the exact general path.
fn plain_number(text: &str) -> Option<Decimal> {
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
        // At most 19 digits: a `u64` holds them.
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

/// Checks a number that was not read from a record (a library caller's) against the kind and
/// range of its indicator, with the messages reading a record gives.
pub fn check(value: Decimal, kind: Kind, bounds: Bounds) -> Result<(), FieldError> {
    check_as(value, &value.to_string(), kind, bounds)
}

fn check_as(value: Decimal, text: &str, kind: Kind, bounds: Bounds) -> Result<(), FieldError> {
    if kind == Kind::Whole && !is_whole(value) {
        return Err((
            Problem::WrongType,
            format!("expected a whole number, found {text}"),
        ));
    }
    if let Some(min) = bounds.min.filter(|m| arith::lt(value, *m)) {
        return Err((
            Problem::OutOfRange,
            format!("{text} is below the minimum {min}"),
        ));
    }
    if let Some(max) = bounds.max.filter(|m| arith::gt(value, *m)) {
        return Err((
            Problem::OutOfRange,
            format!("{text} is above the maximum {max}"),
        ));
    }
    Ok(())
}

/// Whether a decimal has no fractional part (as `value.fract().is_zero()`): its mantissa is a
/// multiple of `10^scale`.
fn is_whole(value: Decimal) -> bool {
    let scale = value.scale();
    scale == 0
        || arith::pow10(scale)
            .map_or_else(|| value.fract().is_zero(), |p| value.mantissa() % p == 0)
}

/// The index of `text` among `members`.
pub fn member<S: AsRef<str>>(members: &[S], text: &str) -> Result<u32, FieldError> {
    members
        .iter()
        .position(|m| m.as_ref() == text)
        .and_then(|i| u32::try_from(i).ok())
        .ok_or_else(|| unknown_member(members, text))
}

/// `text` is none of `members`.
pub fn unknown_member<S: AsRef<str>>(members: &[S], text: &str) -> FieldError {
    let list: Vec<String> = members
        .iter()
        .map(|m| format!("`{}`", m.as_ref()))
        .collect();
    (
        Problem::UnknownMember,
        format!("{} is not one of {}", quote(text), join_or(&list)),
    )
}

/// "a", "a or b", "a, b or c".
fn join_or(words: &[String]) -> String {
    match words {
        [] => "something else".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// A text as a JSON string literal, for messages.
pub fn quote(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 2);
    json_string(&mut out, text);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
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
            "0e99999999999",
            "7922816251426433759354395033.55e1",
        ] {
            assert!(!too_large(text), "{text} is not too large");
            let (problem, message) = number(text, Kind::Decimal, Bounds::default()).unwrap_err();
            assert_eq!(problem, Problem::Overflow);
            assert!(
                message.ends_with("(at most 28 significant digits)"),
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
            match plain_number(text) {
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
        let value = parsed.map_err(|_| unrepresentable(text))?;
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
            let fast = plain_number(text).map(|v| (v.mantissa(), v.scale()));
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
            assert_eq!(plain_number(text), None, "{text}");
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
