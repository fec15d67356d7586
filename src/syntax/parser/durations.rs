//! How long a consequence lasts and its notice: a written number of days, weeks, months or years,
//! an amount computed for each record (`lasts ban_months months`), or a minimum
//! (`lasts at least 6 months`).

use super::{Builder, Children, Result};
use crate::diagnostics::Code;
use crate::span::Node;
use crate::syntax::ast::{ConsequenceItem, ExprKind, Lasts, Length, TimeUnit};
use crate::syntax::err::SyntaxError;
use crate::syntax::grammar::Rule;
use pest::iterators::Pair;
use rust_decimal::Decimal;

impl Builder {
    /// What follows `lasts`.
    pub(super) fn lasts(&self, pair: Pair<'_, Rule>) -> Result<Lasts> {
        Ok(match pair.as_rule() {
            Rule::indefinitely => Lasts::Indefinitely(self.string(Children::of(pair).next())?),
            Rule::minimum_duration => {
                let inner = Children::of(pair).next();
                Lasts::AtLeast(match inner.as_rule() {
                    // A written number is an amount like any other.
                    Rule::duration => {
                        let mut c = Children::of(inner);
                        let digits = c.next();
                        let span = self.span(&digits);
                        let amount = digits.as_str().parse::<Decimal>().map_err(|_| {
                            SyntaxError::new(
                                Code::InvalidLiteral,
                                span,
                                "this duration is too long",
                                "not a usable number",
                            )
                        })?;
                        Length {
                            amount: Node::new(ExprKind::Number(amount), span),
                            unit: time_unit(c.next().as_str()),
                        }
                    }
                    _ => self.length(inner)?,
                })
            }
            Rule::duration => Lasts::For(self.duration(pair)?),
            _ => Lasts::Computed(self.length(pair)?),
        })
    }

    /// What follows `notice`.
    pub(super) fn notice(&self, pair: Pair<'_, Rule>) -> Result<ConsequenceItem> {
        Ok(match pair.as_rule() {
            Rule::duration => ConsequenceItem::Notice(self.duration(pair)?),
            _ => ConsequenceItem::NoticeComputed(self.length(pair)?),
        })
    }

    /// A `computed_duration`: one term, then the unit.
    fn length(&self, pair: Pair<'_, Rule>) -> Result<Length> {
        let mut c = Children::of(pair);
        let amount = self.expr(c.next())?;
        let unit = time_unit(c.next().as_str());
        Ok(Length { amount, unit })
    }
}

/// A `time_unit`'s word, singular or plural.
pub(super) fn time_unit(word: &str) -> TimeUnit {
    if word.starts_with("day") {
        TimeUnit::Days
    } else if word.starts_with("week") {
        TimeUnit::Weeks
    } else if word.starts_with("month") {
        TimeUnit::Months
    } else {
        TimeUnit::Years
    }
}
