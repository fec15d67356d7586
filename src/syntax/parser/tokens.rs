//! Building tokens: names, exact numbers, quoted text with its escapes, dates, literals.

use super::super::ast::*;
use super::super::err::SyntaxError;
use super::super::grammar::Rule;
use super::Result;
use super::{Builder, Children};
use crate::diagnostics::Code;
use crate::span::{Node, Span};
use pest::iterators::Pair;
use rust_decimal::Decimal;

impl Builder {
    pub(super) fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Node::new(pair.as_str().to_string(), self.span(&pair))
    }

    pub(super) fn number(&self, pair: Pair<'_, Rule>) -> Result<Number> {
        let span = self.span(&pair);
        let text = pair.as_str();
        match exact_number(text) {
            Ok(v) => Ok(Node::new(v, span)),
            Err(problem) => {
                let (message, label, help) = match problem {
                    NumberProblem::OutOfRange => (
                        format!("the number `{text}` is outside the range of exact decimals (about ±7.9 × 10^28)"),
                        "too large to hold exactly",
                        "numbers lie between -79228162514264337593543950335 and 79228162514264337593543950335",
                    ),
                    NumberProblem::TooManyDecimalPlaces => (
                        format!("the number `{text}` has more than 28 decimal places"),
                        "cannot be represented exactly",
                        "numbers may have at most 28 digits after the decimal point (zeros at the end do not count)",
                    ),
                    NumberProblem::TooManyDigits => (
                        format!("the number `{text}` has more than 28 significant digits"),
                        "cannot be represented exactly",
                        "numbers may have at most 28 significant digits: Rubric computes exactly and does not round a number you wrote",
                    ),
                };
                Err(SyntaxError::new(Code::InvalidLiteral, span, message, label).with_help(help))
            }
        }
    }

    pub(super) fn string(&self, pair: Pair<'_, Rule>) -> Result<Text> {
        let span = self.span(&pair);
        let raw = pair.as_str();
        let body = raw.get(1..raw.len().saturating_sub(1)).unwrap_or("");
        let mut out = String::with_capacity(body.len());
        let mut chars = body.char_indices();
        while let Some((_, ch)) = chars.next() {
            if ch != '\\' {
                out.push(ch);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((offset, other)) => {
                    let start = span.start as usize + 1 + offset - 1;
                    return Err(SyntaxError::new(
                        Code::InvalidLiteral,
                        Span::new(self.file, start, start + 1 + other.len_utf8()),
                        format!("`\\{other}` is not a known escape in a quoted text"),
                        "unknown escape",
                    )
                    .with_help(
                        r#"write `\"` for a quote, `\\` for a backslash, `\n` for a new line"#,
                    ));
                }
                None => out.push('\\'),
            }
        }
        Ok(Node::new(out, span))
    }

    /// A list member, written as a name or quoted: the member is its text either way, so
    /// `STUDENT` and `"STUDENT"` are the same member (the span covers the quotes).
    pub(super) fn enum_member(&self, pair: Pair<'_, Rule>) -> Result<Ident> {
        let span = self.span(&pair);
        let inner = Children::of(pair).items.pop_front();
        Ok(match inner {
            Some(p) if p.as_rule() == Rule::string => Node::new(self.string(p)?.node, span),
            Some(p) => Node::new(p.as_str().to_string(), span),
            None => Node::new(String::new(), span),
        })
    }

    pub(super) fn date(&self, pair: Pair<'_, Rule>) -> Result<Node<Date>> {
        let span = self.span(&pair);
        let text = pair.as_str();
        let part =
            |range: std::ops::Range<usize>| text.get(range).and_then(|s| s.parse::<u16>().ok());
        let (year, month, day) = (part(0..4), part(5..7), part(8..10));
        if let (Some(year), Some(month), Some(day)) = (year, month, day) {
            if (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) {
                let (month, day) = (month as u8, day as u8);
                return Ok(Node::new(Date { year, month, day }, span));
            }
        }
        Err(SyntaxError::new(
            Code::InvalidLiteral,
            span,
            format!("`{text}` is not a date in the calendar"),
            "no such date",
        )
        .with_help("write dates as year-month-day, for example 2027-01-31"))
    }

    pub(super) fn bool_value(pair: &Pair<'_, Rule>) -> bool {
        matches!(pair.as_str(), "yes" | "true")
    }

    pub(super) fn literal(&self, pair: Pair<'_, Rule>) -> Result<Literal> {
        let inner = Children::of(pair.clone()).items.pop_front();
        let span = self.span(&pair);
        Ok(match inner {
            Some(p) if p.as_rule() == Rule::signed_number => Literal::Number(self.number(p)?),
            Some(p) if p.as_rule() == Rule::string => Literal::Text(self.string(p)?),
            Some(p) if p.as_rule() == Rule::ident => Literal::Name(self.ident(p)),
            Some(p) => Literal::Bool(Node::new(Self::bool_value(&p), span)),
            None => Literal::Bool(Node::new(Self::bool_value(&pair), span)),
        })
    }
}

/// Why a written number is not an exact decimal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NumberProblem {
    /// Its whole part is beyond rust_decimal's 96-bit range.
    OutOfRange,
    /// Its digits after the point, zeros at the end left out, are more than 28.
    TooManyDecimalPlaces,
    /// Its significant digits do not fit 96 bits (more than 28 of them).
    TooManyDigits,
}

/// The exact value of a number as the grammar writes it (`-`, digits, optionally `.` and
/// digits), or why it has none. Zeros that do not change the value — before the whole part,
/// after the last decimal beyond the 28th — are not digits that count: `769.0000…0` with 40
/// digits is 769 exactly. Within 28 decimals, zeros at the end are kept (`2.50` keeps its scale).
fn exact_number(text: &str) -> std::result::Result<Decimal, NumberProblem> {
    const MAX_SCALE: usize = 28;
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let whole = whole.trim_start_matches('0');
    let mut fraction = fraction;
    while fraction.len() > MAX_SCALE {
        match fraction.strip_suffix('0') {
            Some(shorter) => fraction = shorter,
            None => break,
        }
    }
    // The whole part alone decides the range: above 29 digits it is out of range whatever
    // follows, and at 29 digits it is compared with the largest value.
    let largest = "79228162514264337593543950335";
    if whole.len() > largest.len() || (whole.len() == largest.len() && whole > largest) {
        return Err(NumberProblem::OutOfRange);
    }
    let significant = format!("{whole}{fraction}");
    let significant = significant.trim_start_matches('0').len();
    let normal = format!(
        "{}{}{}{fraction}",
        if negative { "-" } else { "" },
        if whole.is_empty() { "0" } else { whole },
        if fraction.is_empty() { "" } else { "." },
    );
    // Zeros at the end are kept for the scale they give (`2.50`) when they fit, and dropped when
    // only they keep the number from fitting (`769.000…0` with 28 decimals needs 31 digits).
    let exact = Decimal::from_str_exact(&normal).or_else(|e| match normal.find('.') {
        Some(_) => Decimal::from_str_exact(normal.trim_end_matches('0').trim_end_matches('.')),
        None => Err(e),
    });
    match exact {
        Ok(value) => Ok(value),
        Err(_) if significant <= MAX_SCALE && fraction.len() > MAX_SCALE => {
            Err(NumberProblem::TooManyDecimalPlaces)
        }
        // The whole part is in range, so what does not fit is its digits (a whole part of 29
        // digits below the largest, with decimals after it, or more than 28 digits in all).
        Err(_) => Err(NumberProblem::TooManyDigits),
    }
}

/// The days in `month` of `year` (Gregorian), for checking dates.
pub fn days_in_month(year: u16, month: u16) -> u16 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        _ => 28,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(text: &str) -> Decimal {
        exact_number(text).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    /// Regression: zeros that change nothing counted as digits, so exact numbers were refused.
    #[test]
    fn zeros_that_change_nothing_do_not_count() {
        assert_eq!(
            exact("769.0000000000000000000000000000000000000").to_string(),
            "769"
        );
        assert_eq!(
            exact("769.0000000000000000000000000000000000000"),
            Decimal::from(769)
        );
        assert_eq!(exact("0000000000000000000000000000000000001"), Decimal::ONE);
        assert_eq!(
            exact("-0.5000000000000000000000000000000000"),
            Decimal::new(-5, 1)
        );
        assert_eq!(exact("2.50").to_string(), "2.50");
        assert_eq!(exact("0").to_string(), "0");
        assert_eq!(exact("-0.0"), Decimal::ZERO);
    }

    #[test]
    fn the_whole_range_is_accepted_and_beyond_it_is_out_of_range() {
        assert_eq!(exact("79228162514264337593543950335"), Decimal::MAX);
        assert_eq!(exact("-79228162514264337593543950335"), Decimal::MIN);
        assert_eq!(exact("79228162514264337593543950335.000"), Decimal::MAX);
        for text in [
            "79228162514264337593543950336",
            "1000000000000000000000000000000",
            "-1000000000000000000000000000000.5",
            "100000000000000000000000000000000000000000000",
        ] {
            assert_eq!(exact_number(text), Err(NumberProblem::OutOfRange), "{text}");
        }
    }

    #[test]
    fn only_digits_that_cannot_be_held_are_refused() {
        // 28 significant digits, and 29 that fit in 96 bits, are exact.
        assert_eq!(
            exact("1.234567890123456789012345678").to_string(),
            "1.234567890123456789012345678"
        );
        assert_eq!(exact("0.0000000000000000000000000001"), Decimal::new(1, 28));
        assert_eq!(
            exact("12345678901234567890123456789").to_string(),
            "12345678901234567890123456789"
        );
        assert_eq!(
            exact_number("5.00000000000000000000000000001"),
            Err(NumberProblem::TooManyDigits)
        );
        assert_eq!(
            exact_number("12345678901234567890123456789.5"),
            Err(NumberProblem::TooManyDigits)
        );
        assert_eq!(
            exact_number("0.00000000000000000000000000001"),
            Err(NumberProblem::TooManyDecimalPlaces)
        );
    }
}
