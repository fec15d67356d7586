//! What-if overrides (`--set name=value`): an input of the checker, not a patch after it.
//!
//! The values replace the written ones as the params are declared, so every later pass — types,
//! bins and tiers with param bounds, group weights, the range analysis, the monotonicity proof and
//! its counterexample search — checks the policy that will actually run. A diagnostic that an
//! override takes part in also points at the `--set` argument ([`label_overrides`]), so a reviewer
//! sees which what-if value broke which guarantee.
//!
//! | code | problem |
//! |---|---|
//! | E1300 | `--set` names something that is not a param of the policy |
//! | E1301 | `--set` gives a value that is not an exact number |
//! | W1300 | `--set` gives the same param twice (the last value counts) |

use super::err::{did_you_mean, CheckError};
use super::model::*;
use super::Checker;
use crate::diagnostics::Code;
use crate::source::SourceMap;
use crate::span::Span;
use rust_decimal::Decimal;

/// One `--set name=value` argument, with where it stands in the command line (a pseudo-file of
/// the run's [`SourceMap`], so diagnostics can underline it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    pub name: String,
    pub value: String,
    /// The whole `name=value` text.
    pub span: Span,
    /// The value alone.
    pub value_span: Span,
}

/// The name under which the command line's `--set` arguments appear in diagnostics.
pub const COMMAND_LINE: &str = "<command line>";

/// Adds the `--set` arguments to `sources` as one pseudo-file (`--set a=1 --set b=2`) and returns
/// them with their places in it. With no argument, adds nothing.
pub fn command_line(sources: &mut SourceMap, pairs: &[(String, String)]) -> Vec<Override> {
    if pairs.is_empty() {
        return Vec::new();
    }
    let mut text = String::new();
    let mut places = Vec::with_capacity(pairs.len());
    for (name, value) in pairs {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str("--set ");
        let start = text.len();
        text.push_str(name);
        text.push('=');
        let value_start = text.len();
        text.push_str(value);
        places.push((start, value_start, text.len()));
    }
    let file = sources.add(COMMAND_LINE, text);
    pairs
        .iter()
        .zip(places)
        .map(|((name, value), (start, value_start, end))| Override {
            name: name.clone(),
            value: value.clone(),
            span: Span::new(file, start, end),
            value_span: Span::new(file, value_start, end),
        })
        .collect()
}

/// An override's value, if it is an exact decimal as a policy would write it: an optional `-`,
/// digits, and an optional fraction (no exponent, no separators).
fn exact_number(text: &str) -> Option<Decimal> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let well_formed = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_empty() != digits.contains('.');
    if !well_formed {
        return None;
    }
    Decimal::from_str_exact(text).ok()
}

impl Checker<'_> {
    /// Replaces the written values of overridden params (the last `--set` of a param wins) and
    /// reports arguments that name no param or give no exact number.
    pub(super) fn apply_overrides(&mut self, overrides: &[Override]) {
        for o in overrides {
            let index = match self.model.lookup(&o.name) {
                Some(Symbol::Param(p)) => p,
                other => {
                    self.report(unknown_param(&self.model, o, other));
                    continue;
                }
            };
            let Some(value) = exact_number(&o.value) else {
                self.report(
                    CheckError::new(
                        Code::OverrideNotANumber,
                        o.value_span,
                        format!("`--set {}={}`: `{}` is not an exact number", o.name, o.value, o.value),
                        "not a number",
                    )
                    .with_help("write digits, with an optional `-` and decimal point, as in the policy: `--set late_tax_penalty=25.5`"),
                );
                continue;
            };
            let earlier = self.model.params.get(index).and_then(|p| p.overridden);
            if let Some(earlier) = earlier {
                self.report(
                    CheckError::new(
                        Code::OverrideRepeated,
                        o.span,
                        format!("`--set {}` is given more than once; the last value, {}, counts", o.name, o.value),
                        "this value replaces the earlier one",
                    )
                    .with_secondary(earlier, "set here first")
                    .with_help("give each param one `--set`, so that the value that runs is the one you meant"),
                );
            }
            if let Some(param) = self.model.params.get_mut(index) {
                param.value = value;
                param.overridden = Some(o.span);
            }
        }
    }
}

fn unknown_param(model: &Model<'_>, o: &Override, found: Option<Symbol>) -> CheckError {
    let error = CheckError::new(
        Code::UnknownOverride,
        o.span,
        format!(
            "`--set {}=…`: the policy has no param called `{}`",
            o.name, o.name
        ),
        match found {
            Some(symbol) => format!("`{}` is {}, not a param", o.name, symbol.a_kind()),
            None => "no such param".to_string(),
        },
    );
    let names = model.params.iter().map(|p| p.decl.name.node.as_str());
    let help = match did_you_mean(&o.name, names) {
        Some(suggestion) => suggestion,
        None if model.params.is_empty() => {
            "this policy declares no param; only params can be set for a what-if run".to_string()
        }
        None => format!(
            "the params of this policy are {}",
            crate::text::join_and(
                &model
                    .params
                    .iter()
                    .map(|p| format!("`{}`", p.decl.name.node))
                    .collect::<Vec<_>>()
            )
        ),
    };
    error.with_help(help)
}

/// Adds, to every diagnostic an overridden param takes part in, a label at its `--set` argument.
///
/// A param takes part in a diagnostic when a declaration the diagnostic points into uses it,
/// directly or through derived values (a rule deducting `penalty`, a tier bounded by `approve_at`,
/// a derived value dividing by `months`). Findings about the score as a whole (W1000, W1001) take
/// in every param the rules use.
pub(super) fn label_overrides(model: &Model<'_>, problems: &mut [CheckError]) {
    let overridden: Vec<(usize, Span)> = model
        .params
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.overridden.map(|s| (i, s)))
        .collect();
    if overridden.is_empty() {
        return;
    }
    let decls = Declarations::new(model);
    for problem in problems.iter_mut() {
        let whole_score = matches!(problem.code, Code::ScoreLeavesScale | Code::UnreachableTier);
        let mut involved: Vec<usize> = Vec::new();
        for span in std::iter::once(problem.span).chain(problem.secondary.iter().map(|(s, _)| *s)) {
            if let Some(d) = decls.innermost(span) {
                involved.extend(decls.params.get(d).into_iter().flatten());
            }
        }
        if whole_score {
            for &d in &decls.rules {
                involved.extend(decls.params.get(d).into_iter().flatten());
            }
        }
        for (p, arg) in &overridden {
            if problem.span == *arg || !involved.contains(p) {
                continue;
            }
            let Some(param) = model.params.get(*p) else {
                continue;
            };
            problem.secondary.push((
                *arg,
                format!(
                    "`{}` is {} in this run instead of the written {}",
                    param.decl.name.node,
                    param.value.normalize(),
                    param.decl.value.node.normalize()
                ),
            ));
        }
    }
}

/// The policy's declarations (a group's rules each count as one, inside the group's), with the
/// params each one uses, directly or through derived values.
struct Declarations {
    /// Top-level declaration spans in source order, each with its members' spans.
    spans: Vec<(Span, Vec<Span>)>,
    /// Flat index of each top-level declaration's first entry (itself; its members follow).
    first: Vec<usize>,
    /// Params each declaration uses (by flat index), through derived values too.
    params: Vec<Vec<usize>>,
    /// Flat indices of the rules.
    rules: Vec<usize>,
}

impl Declarations {
    fn new(model: &Model<'_>) -> Self {
        use crate::syntax::ast::Item;
        let mut spans = Vec::new();
        let mut first = Vec::new();
        let mut rules = Vec::new();
        let mut flat = 0;
        for item in &model.ast.items {
            let members: Vec<Span> = match item {
                Item::Group(g) => g.node.rules.iter().map(|r| r.span).collect(),
                _ => Vec::new(),
            };
            first.push(flat);
            match item {
                Item::Rule(_) => rules.push(flat),
                Item::Group(_) => rules.extend((1..=members.len()).map(|k| flat + k)),
                _ => {}
            }
            flat += 1 + members.len();
            spans.push((item.span(), members));
        }
        let mut decls = Declarations {
            spans,
            first,
            params: vec![Vec::new(); flat],
            rules,
        };
        // Direct uses, and the derived values and tables (through their outputs) each
        // declaration reads.
        let mut reads: Vec<Vec<ValueNode>> = vec![Vec::new(); flat];
        for (span, resolved) in &model.resolutions {
            let Some(d) = decls.innermost(*span) else {
                continue;
            };
            match resolved {
                Resolved::Param(p) => push(&mut decls.params, d, *p),
                Resolved::Let(l) => push_node(&mut reads, d, ValueNode::Let(*l)),
                Resolved::Output(o) => {
                    if let Some(out) = model.outputs.get(*o) {
                        push_node(&mut reads, d, ValueNode::Table(out.table));
                    }
                }
                _ => {}
            }
        }
        // Each derived value's and table's declaration.
        let decl_of = |decls: &Declarations, node: ValueNode| match node {
            ValueNode::Let(l) => model
                .lets
                .get(l)
                .and_then(|l| decls.innermost(l.decl.name.span)),
            ValueNode::Table(t) => model
                .tables
                .get(t)
                .and_then(|t| decls.innermost(t.decl.name.span)),
        };
        // Through derived values and tables, in evaluation order (each after what it reads),
        // then for every other declaration.
        let spread = |decls: &mut Declarations, d: usize| {
            for &node in reads.get(d).into_iter().flatten() {
                let used = decl_of(decls, node)
                    .and_then(|u| decls.params.get(u).cloned())
                    .unwrap_or_default();
                for p in used {
                    push(&mut decls.params, d, p);
                }
            }
        };
        let mut values = Vec::new();
        for &node in &model.value_order {
            if let Some(d) = decl_of(&decls, node) {
                spread(&mut decls, d);
                values.push(d);
            }
        }
        for d in 0..flat {
            if !values.contains(&d) {
                spread(&mut decls, d);
            }
        }
        decls
    }

    /// The flat index of the innermost declaration containing `span`.
    fn innermost(&self, span: Span) -> Option<usize> {
        let inside = |outer: &Span| {
            outer.file == span.file && outer.start <= span.start && span.end <= outer.end
        };
        let after = self
            .spans
            .partition_point(|(s, _)| (s.file, s.start) <= (span.file, span.start));
        let top = after.checked_sub(1)?;
        let (outer, members) = self.spans.get(top)?;
        if !inside(outer) {
            return None;
        }
        let base = *self.first.get(top)?;
        Some(match members.iter().position(inside) {
            Some(m) => base + 1 + m,
            None => base,
        })
    }
}

fn push_node(lists: &mut [Vec<ValueNode>], at: usize, node: ValueNode) {
    if let Some(list) = lists.get_mut(at) {
        if !list.contains(&node) {
            list.push(node);
        }
    }
}

fn push(lists: &mut [Vec<usize>], at: usize, value: usize) {
    if let Some(list) = lists.get_mut(at) {
        if !list.contains(&value) {
            list.push(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_numbers_only() {
        assert_eq!(exact_number("25"), Some(Decimal::from(25)));
        assert_eq!(exact_number("-0.50"), Some(Decimal::new(-50, 2)));
        for bad in [
            "", "-", "1e3", "1_000", "1.", ".5", "+3", "1.2.3", " 4", "0x10", "NaN",
        ] {
            assert_eq!(exact_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn command_line_places_each_argument() {
        let mut sources = SourceMap::new();
        let pairs = vec![
            ("a".to_string(), "1".to_string()),
            ("bb".to_string(), "-2.5".to_string()),
        ];
        let overrides = command_line(&mut sources, &pairs);
        let (a, b) = (&overrides[0], &overrides[1]);
        let text = sources.source(a.span.file);
        assert_eq!(text, "--set a=1 --set bb=-2.5");
        assert_eq!(
            text.get(a.span.start as usize..a.span.end as usize),
            Some("a=1")
        );
        assert_eq!(
            text.get(b.value_span.start as usize..b.value_span.end as usize),
            Some("-2.5")
        );
        assert!(command_line(&mut sources, &[]).is_empty());
    }
}
