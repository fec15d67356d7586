//! Helpers for the unit tests of the range analysis: tiny policies checked from source text, and
//! what the analysis says about their derived values, rules and score.

use super::{Abs, Analyzer};
use crate::check::intervals::{End, Interval};
use crate::check::{check, finish, CheckError, Model, Options};
use crate::diagnostics::Code;
use crate::span::FileId;
use rust_decimal::Decimal;

/// A header with the scale 0 to 1000 starting at 500, whole points, rounding half up.
pub const HEADER: &str = "policy \"T\" {\n  version \"1\"\n  effective 2027-01-01\n  score 0 to 1000 starting at 500\n  round to 0 decimals, half up\n}\n";

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// `lo` to `hi`, both included.
pub fn closed(lo: &str, hi: &str) -> Interval {
    Interval::closed(d(lo), d(hi))
}

/// An interval from its ends: `(value, inclusive)`, `None` for unbounded.
pub fn ends(lo: Option<(&str, bool)>, hi: Option<(&str, bool)>) -> Interval {
    let end = |e: Option<(&str, bool)>| {
        e.map(|(v, inclusive)| End {
            value: d(v),
            inclusive,
        })
    };
    Interval {
        lo: end(lo),
        hi: end(hi),
    }
}

/// Checks `text` (a whole policy) and hands the model, which must have no errors, and every
/// warning to `f`.
pub fn with_policy<R>(text: &str, f: impl FnOnce(&Model<'_>, &[CheckError]) -> R) -> R {
    with_policy_set(text, &[], f)
}

/// [`with_policy`] with `--set` values.
pub fn with_policy_set<R>(
    text: &str,
    set: &[(&str, &str)],
    f: impl FnOnce(&Model<'_>, &[CheckError]) -> R,
) -> R {
    let ast = crate::syntax::parse(FileId(0), text).unwrap_or_else(|e| panic!("{e:?}"));
    let mut sources = crate::source::SourceMap::new();
    sources.add("policy.rubric", text);
    let pairs: Vec<(String, String)> = set
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let options = Options {
        overrides: crate::check::command_line(&mut sources, &pairs),
        ..Options::default()
    };
    let report = finish(check(&ast, &options), Vec::new(), &options);
    let errors: Vec<&CheckError> = report.problems.iter().filter(|p| p.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    f(&report.model, &report.problems)
}

/// Checks `body` after [`HEADER`].
pub fn with_body<R>(body: &str, f: impl FnOnce(&Model<'_>, &[CheckError]) -> R) -> R {
    with_policy(&format!("{HEADER}{body}"), f)
}

/// [`with_body`] with `--set` values.
pub fn with_body_set<R>(
    body: &str,
    set: &[(&str, &str)],
    f: impl FnOnce(&Model<'_>, &[CheckError]) -> R,
) -> R {
    with_policy_set(&format!("{HEADER}{body}"), set, f)
}

/// The analysed value of the derived value `name` declared in `body`.
pub fn let_value(body: &str, name: &str) -> Abs {
    with_body(body, |model, _| {
        let index = model
            .lets
            .iter()
            .position(|l| l.decl.name.node == name)
            .unwrap_or_else(|| panic!("no derived value `{name}`"));
        let mut analyzer = Analyzer::new(model);
        analyzer.base_lets();
        analyzer.lets.get(index).cloned().unwrap()
    })
}

/// The interval of the derived value `name` declared in `body`.
pub fn let_iv(body: &str, name: &str) -> Interval {
    let_value(body, name).iv()
}

/// The least and most contribution of rule `name` in `text` (a whole policy).
pub fn rule_range_in(text: &str, name: &str) -> (Option<Decimal>, Option<Decimal>) {
    with_policy(text, |model, _| {
        let index = model
            .rules
            .iter()
            .position(|r| r.decl.name.node == name)
            .unwrap_or_else(|| panic!("no rule `{name}`"));
        let analysis = model.analysis.as_ref().expect("analysed");
        let r = analysis.rules.get(index).unwrap();
        (r.least, r.most)
    })
}

/// The least and most contribution of rule `name` declared in `body`.
pub fn rule_range(body: &str, name: &str) -> (Option<Decimal>, Option<Decimal>) {
    rule_range_in(&format!("{HEADER}{body}"), name)
}

/// `Some(d(s))`, for comparing rule ranges.
pub fn some(s: &str) -> Option<Decimal> {
    Some(d(s))
}

/// The range-analysis codes (W1000–W1005) of the warnings `text` gives, in source order.
pub fn range_codes(text: &str) -> Vec<Code> {
    with_policy(text, |_, problems| {
        problems
            .iter()
            .map(|p| p.code)
            .filter(|c| c.as_str().starts_with("W10"))
            .collect()
    })
}
