//! Durations and notice periods computed for each record (`lasts ban_months months`,
//! `lasts (2 * offences) months`, `notice (…) days`): each is analysed under what the
//! consequence's `when` condition says, and must be a whole number (E0504) of at least 0 (E0503)
//! that is always known (E0505); a duration that can be 0 is worth a look (W0502).

use super::narrow::Env;
use super::values::Val;
use super::Analyzer;
use crate::check::consequences::computed_length;
use crate::check::err::CheckError;
use crate::diagnostics::Code;
use crate::syntax::ast::{ConsequenceItem, Length};
use rust_decimal::Decimal;

impl Analyzer<'_, '_> {
    pub(super) fn durations(&mut self) {
        let model = self.model;
        for info in &model.consequences {
            let when = info.decl.items.iter().find_map(|i| match &i.node {
                ConsequenceItem::When(e) => Some(e),
                _ => None,
            });
            let env = match when {
                Some(condition) => self.refine(condition, true, &Env::default()),
                None => Env::default(),
            };
            if env.dead {
                // It never applies (W1002 says so); its duration is never computed.
                continue;
            }
            for item in &info.decl.items {
                if let Some((length, what)) = computed_length(&item.node) {
                    let notice = matches!(item.node, ConsequenceItem::NoticeComputed(_));
                    self.duration(length, what, notice, &env);
                }
            }
        }
    }

    fn duration(&mut self, length: &Length, what: &str, notice: bool, env: &Env) {
        let value = self.eval(&length.amount, env);
        let Val::Num { iv, whole } = value.val else {
            return;
        };
        let help_whole = "a duration counts whole days, weeks, months or years: compute it from counts, integers and whole params, or choose among whole amounts with `if`";
        if value.unknown {
            self.warn(
                CheckError::new(
                    Code::DurationUnknown,
                    length.amount.span,
                    format!("{what} can be unknown: it is computed from a value that can be missing"),
                    "this can be unknown",
                )
                .with_help("apply the consequence only when the value is known (`when … and x is not missing`), or give the indicator a default (`missing means 0`)"),
            );
        }
        if !iv.all_at_least(Decimal::ZERO) {
            self.warn(
                CheckError::new(
                    Code::DurationNegative,
                    length.amount.span,
                    format!("{what} can be negative"),
                    format!("this can be {iv}"),
                )
                .with_help("make sure the amount is at least 0, for example with `max(0, …)`, or exclude those records in the `when` condition"),
            );
        }
        if !whole {
            self.warn(
                CheckError::new(
                    Code::DurationNotWhole,
                    length.amount.span,
                    format!("{what} may not be a whole number"),
                    format!("this can be a fraction (it can be {iv})"),
                )
                .with_help(help_whole),
            );
        }
        if !notice && iv.all_at_least(Decimal::ZERO) && iv.contains(Decimal::ZERO) {
            self.warn(
                CheckError::new(
                    Code::DurationCanBeZero,
                    length.amount.span,
                    format!("{what} can be 0: the consequence would apply and end at once"),
                    "this can be 0",
                )
                .with_help("exclude those records in the `when` condition, or set a floor with `max(1, …)`"),
            );
        }
    }
}
