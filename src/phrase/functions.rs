//! Functions and computed durations in words. A function is phrased once, as a definition
//! ("the instalment of an amount, a rate and months is the amount times …"), and each call by the
//! function's name with the values it passes ("the instalment of the loan amount, …"); a duration
//! computed for each record is phrased as "as many months as …".

use super::words::humanise;
use super::Phraser;
use crate::check::{ArgumentInfo, Resolved, Type};
use crate::syntax::ast::{Ident, Length, TimeUnit};

impl Phraser<'_, '_> {
    /// Whether the called name is one of the policy's functions.
    pub(super) fn is_function(&self, func: &Ident) -> bool {
        matches!(
            self.model.resolution(func.span),
            Some(Resolved::Function(_))
        )
    }

    /// A call by the function's name, as the function's definition writes it (so a reader finds
    /// it): "instalment(loan amount, the monthly rate (0.004), 12)".
    pub(super) fn call(&self, name: &str, values: &[String]) -> String {
        format!("{name}({})", values.join(", "))
    }

    /// Function `index` as its definition: "instalment(amount, rate, months) is amount times rate
    /// divided by …".
    pub fn function_sentence(&self, index: usize) -> String {
        let Some(f) = self.model.functions.get(index) else {
            return String::new();
        };
        let args: Vec<&str> = f.args.iter().map(|a| a.name.as_str()).collect();
        format!(
            "{}({}) is {}.",
            f.decl.name.node,
            args.join(", "),
            self.value(&f.decl.body)
        )
    }

    /// What each argument of function `index` takes: "amount: a number from 0 to 1000000".
    pub fn function_arguments(&self, index: usize) -> Vec<String> {
        let Some(f) = self.model.functions.get(index) else {
            return Vec::new();
        };
        f.args
            .iter()
            .map(|a| format!("{}: {}", a.name, self.argument_kind(a)))
            .collect()
    }

    fn argument_kind(&self, a: &ArgumentInfo) -> String {
        let number = if a.whole {
            "a whole number"
        } else {
            "a number"
        };
        match a.ty {
            Type::Bool => "yes or no".to_string(),
            Type::Text => "a text".to_string(),
            Type::Enum(i) => match self.model.indicators.get(i) {
                Some(ind) => format!("one of the values of {}", humanise(&ind.decl.name.node)),
                None => "a list value".to_string(),
            },
            Type::Number => match (a.min, a.max) {
                (Some(lo), Some(hi)) => format!(
                    "{number} from {} to {}",
                    super::number(lo),
                    super::number(hi)
                ),
                (Some(lo), None) => format!("{number} of at least {}", super::number(lo)),
                (None, Some(hi)) => format!("{number} of at most {}", super::number(hi)),
                (None, None) => number.to_string(),
            },
            Type::Outcome(o) => match self.model.outputs.get(o) {
                Some(out) => format!("one of the values of {}", humanise(&out.decl.name.node)),
                None => "a list value".to_string(),
            },
            Type::Tier | Type::Error => "a value".to_string(),
        }
    }

    /// A length whose amount is an expression: "6 months" for a written number, "as many months
    /// as the ban months (6)" or "as many months as 2 times the number of offences" otherwise.
    pub fn length(&self, length: &Length) -> String {
        let unit = match length.unit {
            TimeUnit::Days => ("day", "days"),
            TimeUnit::Weeks => ("week", "weeks"),
            TimeUnit::Months => ("month", "months"),
            TimeUnit::Years => ("year", "years"),
        };
        match &length.amount.node {
            crate::syntax::ast::ExprKind::Number(n) => {
                let word = if *n == rust_decimal::Decimal::ONE {
                    unit.0
                } else {
                    unit.1
                };
                format!("{} {word}", super::number(*n))
            }
            _ => format!("as many {} as {}", unit.1, self.value(&length.amount)),
        }
    }
}
