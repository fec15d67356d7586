//! Suppressions: `allow W1005 because "…"` in a declaration silences warnings of that code located
//! inside the declaration. The reason is mandatory and is kept in the [`Model`] (so the
//! documentation can list every suppression with its reason). Errors can never be suppressed.
//!
//! | code | problem |
//! |---|---|
//! | E1200 | the code is an error's, or not a code at all |
//! | E1201 | the reason is empty |
//! | W1200 | the suppression suppresses nothing (reported only for a policy without errors, whose analysis ran completely) |

use super::err::{did_you_mean, CheckError};
use super::model::*;
use crate::diagnostics::{Code, Severity};
use crate::span::{Node, Span};
use crate::syntax::ast::{
    Allow, ConsequenceItem, HeaderItem, IndicatorOption, Item, PolicyFile, RuleItem, TableItem,
    TestItem,
};
use std::collections::HashMap;

/// A diagnostic that a suppression silenced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppressed {
    pub diagnostic: CheckError,
    pub reason: String,
    /// Where the `allow` clause is written.
    pub clause: Span,
}

/// Every `allow` clause in the file, with the declaration it stands in.
pub(super) fn collect(ast: &PolicyFile, model: &Model<'_>) -> Vec<Suppression> {
    let mut out = Vec::new();
    let symbol = |name: &str| model.lookup(name).map_or(Site::Header, Site::Declaration);
    let mut push = |allow: &Allow, span: Span, site: Site, site_span: Span| {
        out.push(Suppression {
            code: allow.code.node.clone(),
            reason: allow.reason.node.clone(),
            span,
            site,
            site_span,
            suppressed: 0,
        });
    };
    let rule_allows = |rule: &Node<crate::syntax::ast::Rule>,
                       push: &mut dyn FnMut(&Allow, Span, Site, Span)| {
        for item in &rule.node.items {
            if let RuleItem::Allow(a) = &item.node {
                push(a, item.span, symbol(&rule.node.name.node), rule.span);
            }
        }
    };
    for item in &ast.items {
        match item {
            Item::Policy(h) => {
                for i in &h.node.items {
                    if let HeaderItem::Allow(a) = &i.node {
                        push(a, i.span, Site::Header, h.span);
                    }
                }
            }
            Item::Indicator(d) => {
                for o in &d.node.options {
                    if let IndicatorOption::Allow(a) = &o.node {
                        push(a, o.span, symbol(&d.node.name.node), d.span);
                    }
                }
            }
            Item::Param(d) => {
                for a in &d.node.allows {
                    push(&a.node, a.span, symbol(&d.node.name.node), d.span);
                }
            }
            Item::Let(d) => {
                for a in &d.node.allows {
                    push(&a.node, a.span, symbol(&d.node.name.node), d.span);
                }
            }
            Item::Function(d) => {
                for a in &d.node.allows {
                    push(&a.node, a.span, symbol(&d.node.name.node), d.span);
                }
            }
            Item::Tier(d) => {
                for a in &d.node.allows {
                    push(&a.node, a.span, symbol(&d.node.name.node), d.span);
                }
            }
            Item::Group(d) => {
                for a in &d.node.allows {
                    push(&a.node, a.span, symbol(&d.node.name.node), d.span);
                }
                for rule in &d.node.rules {
                    rule_allows(rule, &mut push);
                }
            }
            Item::Rule(rule) => rule_allows(rule, &mut push),
            Item::Table(d) => {
                for i in &d.node.items {
                    if let TableItem::Allow(a) = &i.node {
                        push(a, i.span, symbol(&d.node.name.node), d.span);
                    }
                }
            }
            Item::Consequence(d) => {
                for i in &d.node.items {
                    if let ConsequenceItem::Allow(a) = &i.node {
                        push(a, i.span, symbol(&d.node.name.node), d.span);
                    }
                }
            }
            Item::Test(d) => {
                for i in &d.node.items {
                    if let TestItem::Allow(a) = &i.node {
                        push(a, i.span, Site::Test(d.node.name.node.clone()), d.span);
                    }
                }
            }
        }
    }
    out
}

/// The problems with the suppressions themselves: codes that are errors or unknown, empty
/// reasons.
pub(super) fn validate(suppressions: &[Suppression]) -> Vec<CheckError> {
    let mut problems = Vec::new();
    for s in suppressions {
        match Code::parse(&s.code) {
            None => problems.push(
                CheckError::new(
                    Code::BadSuppression,
                    s.span,
                    format!("`{}` is not a diagnostic code", s.code),
                    "unknown code",
                )
                .with_help_opt(
                    did_you_mean(&s.code, Code::ALL.iter().map(|c| c.as_str())).or_else(|| {
                        Some("`rubric explain --list` lists every code".to_string())
                    }),
                ),
            ),
            Some(code) if code.severity() == Severity::Error => problems.push(
                CheckError::new(
                    Code::BadSuppression,
                    s.span,
                    format!("`{code}` is an error, and errors cannot be suppressed"),
                    "an error code",
                )
                .with_help(format!(
                    "fix the problem instead (`rubric explain {code}` shows how); only warnings (W…) can be allowed with a reason"
                )),
            ),
            Some(_) => {}
        }
        if s.reason.trim().is_empty() {
            problems.push(
                CheckError::new(
                    Code::SuppressionWithoutReason,
                    s.span,
                    format!("the suppression of `{}` gives no reason", s.code),
                    "empty reason",
                )
                .with_help("write why the warning does not apply here, in a sentence a reviewer can check: it is printed in the documentation"),
            );
        }
    }
    problems
}

/// Moves every warning that a suppression covers out of `problems`. A warning is covered by a
/// suppression of its code in a declaration that contains its primary location (the innermost
/// one, for a rule in a group). Suppressions are indexed by code and position, so this costs
/// about one binary search per warning.
pub(super) fn apply(
    problems: Vec<CheckError>,
    suppressions: &mut [Suppression],
) -> (Vec<CheckError>, Vec<Suppressed>) {
    // For each code, the usable suppressions ordered by where their declaration starts.
    let mut by_code: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, s) in suppressions.iter().enumerate() {
        if !s.reason.trim().is_empty() {
            by_code
                .entry(s.code.to_ascii_uppercase())
                .or_default()
                .push(index);
        }
    }
    for list in by_code.values_mut() {
        list.sort_by_key(|i| {
            suppressions
                .get(*i)
                .map(|s| (s.site_span.file, s.site_span.start))
        });
    }
    let mut kept = Vec::with_capacity(problems.len());
    let mut suppressed = Vec::new();
    for problem in problems {
        let candidates = match by_code.get(problem.code.as_str()) {
            Some(list)
                if problem.code.severity() == Severity::Warning
                    && problem.code != Code::UnusedSuppression =>
            {
                list
            }
            _ => {
                kept.push(problem);
                continue;
            }
        };
        let at = (problem.span.file, problem.span.start);
        let before = candidates.partition_point(|i| {
            suppressions
                .get(*i)
                .is_some_and(|s| (s.site_span.file, s.site_span.start) <= at)
        });
        // The closest declaration starting before the warning that contains it: walking back
        // passes at most the suppressed siblings inside the same group.
        let covering = candidates
            .get(..before)
            .unwrap_or(&[])
            .iter()
            .rev()
            .copied()
            .find(|i| {
                suppressions.get(*i).is_some_and(|s| {
                    s.site_span.file == problem.span.file && problem.span.end <= s.site_span.end
                })
            });
        match covering.and_then(|i| suppressions.get_mut(i)) {
            Some(s) => {
                s.suppressed += 1;
                suppressed.push(Suppressed {
                    diagnostic: problem,
                    reason: s.reason.clone(),
                    clause: s.span,
                });
            }
            None => kept.push(problem),
        }
    }
    (kept, suppressed)
}

/// W1200 for each valid suppression that silenced nothing.
pub(super) fn unused(suppressions: &[Suppression]) -> Vec<CheckError> {
    suppressions
        .iter()
        .filter(|s| s.suppressed == 0 && !s.reason.trim().is_empty())
        .filter(|s| Code::parse(&s.code).is_some_and(|c| c.severity() == Severity::Warning))
        .map(|s| {
            CheckError::new(
                Code::UnusedSuppression,
                s.span,
                format!(
                    "nothing here gives warning `{}`, so this suppression has no effect",
                    s.code
                ),
                "suppresses nothing",
            )
            .with_help(
                "remove it, so that the documentation does not list an exception that is not taken",
            )
        })
        .collect()
}
