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
        // rust_decimal rounds away digits beyond its 28-digit precision; refuse them instead, so
        // that a number in a policy always means exactly what it says.
        let digits = text.chars().filter(char::is_ascii_digit).count();
        let value = Decimal::from_str_exact(text).ok().filter(|_| digits <= 28);
        match value {
            Some(v) => Ok(Node::new(v, span)),
            None => Err(SyntaxError::new(
                Code::InvalidLiteral,
                span,
                format!("the number `{text}` has too many digits"),
                "cannot be represented exactly",
            )
            .with_help("numbers may have at most 28 significant digits")),
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
