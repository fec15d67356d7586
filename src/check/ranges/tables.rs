//! Decision tables' outputs as abstract values: whatever the inputs, an output is one of the
//! values its rows (or its default) give, or their least or most for a `collect min` or `max`
//! table; a sum or a count is what the rows that can match together give (`check/tables/totals.rs`),
//! and must fit the output's declared range (E1404). An output can be unknown only when the table
//! has no default and an input can be unknown (the checker proved that known inputs always match a
//! row). In focus mode, an output of a table that reads the focused indicator can move either way.

use super::values::{Abs, Dir, Val};
use super::Analyzer;
use crate::check::err::CheckError;
use crate::check::intervals::Interval;
use crate::check::model::{OutputInfo, Resolved, TableInfo, Value, ValueKind};
use crate::check::tables::totals::{totals, Totals};
use crate::diagnostics::Code;
use crate::syntax::ast::{Aggregate, HitPolicy};
use rust_decimal::Decimal;

impl Analyzer<'_, '_> {
    /// The abstract value of output `o`.
    pub(super) fn output(&self, o: usize) -> Abs {
        let mut abs = self.outputs.get(o).cloned().unwrap_or_else(Abs::any);
        if self.focus.is_some() && self.focus_outputs.contains(&o) {
            abs.dir = Dir::Any;
            abs.unk_varies = abs.unknown;
        }
        abs
    }

    /// Works out the values of table `t`'s outputs (its inputs were analysed before it).
    pub(super) fn table_outputs(&mut self, t: usize) {
        let Some(table) = self.model.tables.get(t) else {
            return;
        };
        let unknown_inputs: Vec<bool> = table
            .inputs
            .iter()
            .map(|input| {
                let key = match input.source {
                    Resolved::Indicator(i) => super::narrow::Key::Ind(i),
                    Resolved::Let(l) => super::narrow::Key::Let(l),
                    Resolved::Output(o) => super::narrow::Key::Out(o),
                    _ => return true,
                };
                self.lookup(&super::narrow::Env::default(), key).unknown
            })
            .collect();
        let inputs_unknown = unknown_inputs.iter().any(|u| *u);
        // A sum or a count over the rows that can match together (None: not such a table).
        let totals = totals(self.model, table, &unknown_inputs);
        let collect = match table.hit {
            HitPolicy::Collect(a) => Some(a),
            _ => None,
        };
        let mut results = Vec::new();
        for (k, &o) in table.outputs.iter().enumerate() {
            let Some(output) = self.model.outputs.get(o) else {
                continue;
            };
            let values: Vec<&Value> = table.rows.iter().filter_map(|r| r.values.get(k)).collect();
            let default = table.default.as_ref().and_then(|d| d.get(k));
            let val = match (&totals, &output.kind) {
                // A sum or a count: what the rows that can match together add up to.
                (Some(t), _) => Val::Num {
                    iv: Interval::closed(t.least, t.most),
                    whole: collect == Some(Aggregate::Count)
                        || values
                            .iter()
                            .copied()
                            .chain(default)
                            .all(|v| matches!(v, Value::Number(n) if n.fract().is_zero())),
                },
                (None, kind) => join(&values, kind),
            };
            let mut abs = Abs::new(val);
            if let Some(d) = default {
                abs = abs.join(&Abs::new(join(&[d], &output.kind)));
            }
            let unknown = table.default.is_none()
                && !matches!(collect, Some(Aggregate::Sum | Aggregate::Count))
                && (inputs_unknown || table.rows.is_empty());
            if let Some(t) = &totals {
                self.total_outside_range(table, output, t);
            }
            results.push((o, abs.with_unknown(unknown, false)));
        }
        for (o, abs) in results {
            if let Some(slot) = self.outputs.get_mut(o) {
                *slot = abs;
            }
        }
    }

    /// E1404: a sum or a count that its output's declared range cannot hold. The tables that read
    /// the output were proven over that range, so a total outside it would leave them without a
    /// row.
    fn total_outside_range(&mut self, table: &TableInfo<'_>, output: &OutputInfo<'_>, t: &Totals) {
        let name = &output.decl.name.node;
        let mut outside = Vec::new();
        if output.min.is_some_and(|min| t.least < min) {
            outside.push((t.least, &t.least_when));
        }
        if output.max.is_some_and(|max| t.most > max) {
            outside.push((t.most, &t.most_when));
        }
        if outside.is_empty() {
            return;
        }
        let totals: Vec<String> = outside
            .iter()
            .map(|(v, _)| v.normalize().to_string())
            .collect();
        let labels: Vec<String> = outside
            .iter()
            .map(|(v, when)| format!("{} when {when}", v.normalize()))
            .collect();
        let verb = if table.hit == HitPolicy::Collect(Aggregate::Count) {
            "count"
        } else {
            "add up to"
        };
        let bound = |b: Option<Decimal>| b.map_or("…".to_string(), |b| b.normalize().to_string());
        self.warn(
            CheckError::new(
                Code::OutputValue,
                table.decl.name.span,
                format!(
                    "the rows of table `{}` can {verb} {}, outside the range of `{name}`, {} to {}",
                    table.decl.name.node,
                    totals.join(" or "),
                    bound(output.min),
                    bound(output.max)
                ),
                labels.join("; "),
            )
            .with_secondary(output.decl.ty.span, "the output is declared here")
            .with_help("widen the output's range, or change the rows so that those that can match together stay in it"),
        );
    }
}

/// The least abstract value holding each of `values` (of an output of `kind`).
fn join(values: &[&Value], kind: &ValueKind) -> Val {
    match kind {
        ValueKind::Bool => Val::Bool {
            t: values.iter().any(|v| matches!(v, Value::Bool(true))),
            f: values.iter().any(|v| matches!(v, Value::Bool(false))),
        },
        ValueKind::Enum(members) => {
            let mut set = vec![false; members.len()];
            for v in values {
                if let Value::Member(m) = v {
                    if let Some(s) = set.get_mut(*m) {
                        *s = true;
                    }
                }
            }
            Val::Set(set)
        }
        ValueKind::Text => {
            // One text only when every row gives the same one.
            match values.first() {
                Some(Value::Text(first))
                    if values
                        .iter()
                        .all(|v| matches!(v, Value::Text(t) if t == first)) =>
                {
                    Val::Text(Some(first.clone()))
                }
                _ => Val::Text(None),
            }
        }
        _ => {
            let numbers: Vec<Decimal> = values
                .iter()
                .filter_map(|v| match v {
                    Value::Number(n) => Some(*n),
                    _ => None,
                })
                .collect();
            match (numbers.iter().min(), numbers.iter().max()) {
                (Some(lo), Some(hi)) => Val::Num {
                    iv: Interval::closed(*lo, *hi),
                    whole: numbers.iter().all(|n| n.fract().is_zero()),
                },
                _ => Val::Num {
                    iv: Interval::everything(),
                    whole: false,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use crate::check::{check, Options};
    use crate::diagnostics::Code;
    use crate::span::FileId;

    const AGES: &str = "indicator age: integer 0 to 120\nindicator single: boolean\n\
        table points {\n  hit collect sum\n  inputs age, single\n  outputs points: integer\n  \
        below 30, - => 10\n  30 to 120, - => 40\n  -, yes => 25\n  -, no => 45\n}\n";

    #[test]
    fn a_sum_adds_only_rows_that_can_match_together() {
        // Adding every row would give 0 to 120; no record matches both age bands or both
        // marital rows.
        let body = format!("{AGES}rule r \"R\" {{\n  add points\n  basis \"b\"\n  reason \"r\"\n}}\ntier all at 0 and above\n");
        assert_eq!(rule_range(&body, "r"), (some("35"), some("85")));
    }

    #[test]
    fn an_unknown_input_lowers_the_least_sum() {
        let body = AGES.replace(
            "indicator single: boolean",
            "indicator single: boolean, missing means unknown",
        );
        let body = format!("{body}rule r \"R\" {{\n  add points\n  basis \"b\"\n  reason \"r\"\n}}\ntier all at 0 and above\n");
        assert_eq!(rule_range(&body, "r"), (some("10"), some("85")));
    }

    /// Regression: a sum beyond its output's declared range passed the checker, and a table
    /// proven to cover that range then matched no row for it (its output was unknown).
    #[test]
    fn a_sum_beyond_its_declared_range_is_an_error() {
        let text = format!(
            "{HEADER}indicator a: boolean\nindicator b: boolean\n\
             table points {{\n  hit collect sum\n  inputs a, b\n  outputs points: integer 0 to 100\n  yes, - => 60\n  -, yes => 60\n}}\n\
             table band {{\n  inputs points\n  outputs band: one of [LOW, HIGH]\n  below 50 => LOW\n  50 to 100 => HIGH\n}}\n\
             rule r \"R\" {{\n  when band = HIGH\n  add 1\n  basis \"b\"\n  reason \"r\"\n}}\ntier all at 0 and above\n"
        );
        let ast = crate::syntax::parse(FileId(0), &text).expect("parses");
        let report = check(&ast, &Options::default());
        let errors: Vec<_> = report.problems.iter().filter(|p| p.is_error()).collect();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        let error = errors.first().expect("one error");
        assert_eq!(error.code, Code::OutputValue);
        assert!(
            error.message.contains("can add up to 120"),
            "{}",
            error.message
        );
        // 60 alone, either way, fits: no error.
        let fits = text.replace("-, yes => 60", "no, yes => 60");
        let ast = crate::syntax::parse(FileId(0), &fits).expect("parses");
        assert!(!check(&ast, &Options::default()).has_errors());
    }
}
