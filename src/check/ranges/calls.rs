//! Calls of the policy's functions: the body is analysed at each call, with the values that call
//! passes (so a division by an argument that this call can make 0 is found, and another call's
//! safe values are not blamed), after checking that each value fits its argument's declared type
//! (E1503). A finding inside a body is reported at the call that causes it, with the place in the
//! body as a second label (see [`Analyzer::at_call`]).

use super::narrow::{Env, Key};
use super::values::{Abs, Val};
use super::Analyzer;
use crate::check::err::CheckError;
use crate::check::intervals::Interval;
use crate::check::model::ArgumentInfo;
use crate::diagnostics::Code;
use crate::span::Span;
use crate::syntax::ast::Expr;
use rust_decimal::Decimal;

impl Analyzer<'_, '_> {
    /// The value of a call of function `function` with `args`, under `env` (the caller's).
    pub(super) fn call(&mut self, function: usize, call: Span, args: &[Expr], env: &Env) -> Abs {
        let model = self.model;
        let Some(info) = model.functions.get(function) else {
            return Abs::any();
        };
        let mut body_env = Env::default();
        for (k, arg) in args.iter().enumerate() {
            let mut value = self.eval(arg, env);
            if let Some(declared) = info.args.get(k) {
                if !self.check_argument(&info.decl.name.node, declared, arg, &value) {
                    // Reported once, here: the body is analysed with the values it takes.
                    value = within(value, declared);
                }
            }
            body_env.facts.push((Key::Arg(k), value));
        }
        // Recursion is rejected before the analysis runs, so this nests at most once per function.
        self.calls.push((call, function));
        let result = self.eval(&info.decl.body, &body_env);
        self.calls.pop();
        result
    }

    /// E1503 when `value`, passed for `declared`, can be outside the argument's declared type;
    /// whether it fits.
    fn check_argument(
        &mut self,
        function: &str,
        declared: &ArgumentInfo,
        arg: &Expr,
        value: &Abs,
    ) -> bool {
        let Val::Num { iv, whole } = value.val else {
            return true;
        };
        let fraction = declared.whole && !whole;
        let below = declared.min.is_some_and(|m| !iv.all_at_least(m));
        let above = declared.max.is_some_and(|m| !iv.all_at_most(m));
        if !(fraction || below || above) {
            return true;
        }
        let wanted = match (declared.min, declared.max, declared.whole) {
            (Some(lo), Some(hi), true) => format!("a whole number from {lo} to {hi}"),
            (Some(lo), Some(hi), false) => format!("a number from {lo} to {hi}"),
            (Some(lo), None, true) if lo == Decimal::ZERO => "a whole number of at least 0".into(),
            (Some(lo), None, w) => format!("a {}number of at least {lo}", whole_word(w)),
            (None, Some(hi), w) => format!("a {}number of at most {hi}", whole_word(w)),
            (None, None, _) => "a whole number".into(),
        };
        let found = if fraction && !(below || above) {
            format!("this can be a fraction (it can be {iv})")
        } else {
            format!("this can be {iv}")
        };
        self.warn(
            CheckError::new(
                Code::ArgumentOutOfRange,
                arg.span,
                format!(
                    "the value passed for `{}` of `{function}` can lie outside what it takes: {wanted}",
                    declared.name
                ),
                found,
            )
            .with_secondary(declared.span, format!("`{}` is declared here", declared.name))
            .with_help("pass only values the argument allows: narrow the value with a condition around the call (`when …`, `if … then`), or change the argument's declared range"),
        );
        false
    }

    /// `error` as reported at the outermost call being analysed, when it was found inside a
    /// function's body: the call is the primary place (where a suppression or a fix goes), the
    /// place in the body a second label, and every call in between a label too.
    pub(super) fn at_call(&self, mut error: CheckError) -> CheckError {
        let Some(&(outer, _)) = self.calls.first() else {
            return error;
        };
        let names: Vec<String> = self
            .calls
            .iter()
            .map(|(_, f)| {
                self.model
                    .functions
                    .get(*f)
                    .map_or(String::new(), |f| f.decl.name.node.clone())
            })
            .collect();
        let innermost = names.last().cloned().unwrap_or_default();
        let mut secondary = vec![(
            error.span,
            format!("in the body of `{innermost}`: {}", error.label),
        )];
        for (k, (span, _)) in self.calls.iter().enumerate().skip(1) {
            let caller = names.get(k - 1).cloned().unwrap_or_default();
            let callee = names.get(k).cloned().unwrap_or_default();
            secondary.push((*span, format!("`{caller}` calls `{callee}` here")));
        }
        secondary.append(&mut error.secondary);
        error.message = format!("{}, with the values this call passes", error.message);
        error.label = format!(
            "in this call of `{}`",
            names.first().cloned().unwrap_or_default()
        );
        error.span = outer;
        error.secondary = secondary;
        error
    }
}

/// `value` narrowed to what `declared` takes.
fn within(value: Abs, declared: &ArgumentInfo) -> Abs {
    let Val::Num { iv, .. } = value.val else {
        return value;
    };
    let declared_iv = Interval {
        lo: declared.min.map(super::inclusive),
        hi: declared.max.map(super::inclusive),
    };
    let narrowed = iv.intersect(&declared_iv);
    Abs {
        val: Val::Num {
            iv: if narrowed.is_empty(None) {
                declared_iv
            } else {
                narrowed
            },
            whole: declared.whole,
        },
        ..value
    }
}

fn whole_word(whole: bool) -> &'static str {
    if whole {
        "whole "
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::diagnostics::Code;

    const BODY: &str = "
indicator n: count 0 to 10
function half(x: decimal) = x / 2
function inverse(x: decimal) = 1 / x
function sized(k: count 1 to 5) = k * 2
";

    #[test]
    fn a_body_is_analysed_with_each_call_s_values() {
        let body = format!("{BODY}let h = half(n + 4)\nlet twice = half(half(n))\n");
        assert_eq!(let_iv(&body, "h"), closed("2", "7"));
        assert_eq!(let_iv(&body, "twice"), closed("0", "2.5"));
    }

    #[test]
    fn a_division_in_a_body_is_reported_at_the_call_that_can_make_it_zero() {
        let body = format!("{BODY}let safe = inverse(n + 1)\nlet unsafe = inverse(n)\n");
        with_body(&body, |_, problems| {
            let found: Vec<_> = problems
                .iter()
                .filter(|p| p.code == Code::DivisionByZero)
                .collect();
            assert_eq!(found.len(), 1, "{problems:?}");
            assert!(found[0].label.contains("inverse"), "{:?}", found[0]);
            assert!(found[0]
                .secondary
                .iter()
                .any(|(_, l)| l.contains("in the body")));
        });
    }

    #[test]
    fn a_value_outside_an_argument_s_type_is_e1503_and_the_body_sees_the_type() {
        // `n` can be 0 (below 1) and `n / 4 + 1` a fraction; `n / 2 + 1` can be 6 (above 5).
        let text = format!(
            "{}{BODY}let s = sized(n)\nlet t = sized(n / 4 + 1)\nlet u = sized(min(n, 4) + 1)\n",
            super::super::testing::HEADER
        );
        let ast = crate::syntax::parse(crate::span::FileId(0), &text).unwrap();
        let report = crate::check::check(&ast, &crate::check::Options::default());
        let lines: Vec<usize> = report
            .problems
            .iter()
            .filter(|p| p.code == Code::ArgumentOutOfRange)
            .map(|p| text[..p.span.start as usize].lines().count())
            .collect();
        assert_eq!(lines.len(), 2, "{:?}", report.problems);
        // The body is analysed with the values the call passes: 1 to 5.
        let with_type = format!("{BODY}let s = sized(min(n, 4) + 1)\n");
        assert_eq!(let_iv(&with_type, "s"), closed("2", "10"));
    }
}
