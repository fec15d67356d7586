//! One field of a record, validated against its indicator's declaration. Nothing is coerced: a
//! value of the wrong type, out of its range, or not among an enum's members is a [`FieldError`]
//! with the reason, worded the same by every evaluator.

use super::arith;
use super::error::{FieldError, Problem};
use super::jsonl::Raw;
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

pub(super) fn looks_numeric(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && body.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// An exact decimal from a number's text, checked against the kind (whole or not) and range.
pub fn number(text: &str, kind: Kind, bounds: Bounds) -> Result<Decimal, FieldError> {
    let value = super::number::parse(text)?;
    check_as(value, text, kind, bounds)?;
    Ok(value)
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

/// A text as a JSON string literal, for messages (invisible characters escaped).
pub fn quote(text: &str) -> String {
    super::error::quoted(text)
}
