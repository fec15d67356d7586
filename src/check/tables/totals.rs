//! The totals a `collect sum` or `collect count` table can give: the least and the most over every
//! input it can be given. The inputs are split as `cover.rs` splits them (pieces that the same rows
//! match are kept together), so rows that can never match together, such as two age bands, are
//! never added together. An input that can be unknown has a piece for "unknown", which only `-`
//! and `missing` match, as when a record is decided.
//!
//! The range analysis reads these totals as the output's values, and holds them to the output's
//! declared range (E1404): the proofs of the tables that read the output take that range for
//! granted.

use super::cover::{column, describe, group_pieces, Column, Piece, Region};
use crate::check::model::{Model, TableInfo, Value};
use crate::syntax::ast::{Aggregate, HitPolicy};
use rust_decimal::Decimal;

/// How many splitting steps one table's totals may take before they are taken as any rows'
/// totals.
const BUDGET: usize = 200_000;

/// The least and the most total, each with the inputs that give it.
pub(in crate::check) struct Totals {
    pub least: Decimal,
    pub most: Decimal,
    /// The inputs giving the least and the most total, in words (`` `a` is yes and `b` is no ``).
    pub least_when: String,
    pub most_when: String,
}

/// The totals of `table`, a `collect sum` or `collect count` table, when each input can be unknown
/// as `unknown` says (by input); `None` for another hit policy. When splitting the inputs would
/// take too long, the totals of any rows matching together.
pub(in crate::check) fn totals(
    model: &Model<'_>,
    table: &TableInfo<'_>,
    unknown: &[bool],
) -> Option<Totals> {
    totals_within(model, table, unknown, BUDGET)
}

fn totals_within(
    model: &Model<'_>,
    table: &TableInfo<'_>,
    unknown: &[bool],
    budget: usize,
) -> Option<Totals> {
    let count = match table.hit {
        HitPolicy::Collect(Aggregate::Sum) => false,
        HitPolicy::Collect(Aggregate::Count) => true,
        _ => return None,
    };
    let columns: Vec<Column> = (0..table.inputs.len())
        .map(|c| {
            let mut col = column(model, table, c);
            if unknown.get(c).copied().unwrap_or(true) && !col.pieces.contains(&Piece::Unknown) {
                col.pieces.push(Piece::Unknown);
            }
            col
        })
        .collect();
    let boxes: Vec<Region> = table
        .rows
        .iter()
        .map(|row| {
            row.cells
                .iter()
                .zip(&columns)
                .map(|(cell, column)| column.contains(cell))
                .collect()
        })
        .collect();
    let values: Vec<Decimal> = table
        .rows
        .iter()
        .map(|row| match (count, row.values.first()) {
            (true, _) => Decimal::ONE,
            (false, Some(Value::Number(n))) => *n,
            (false, _) => Decimal::ZERO,
        })
        .collect();
    // No row matches: the default, or nothing counted.
    let none = match table.default.as_ref().and_then(|d| d.first()) {
        Some(Value::Number(n)) => *n,
        _ => Decimal::ZERO,
    };
    let domain: Region = columns.iter().map(|c| vec![true; c.pieces.len()]).collect();
    let mut walk = Walk {
        boxes: &boxes,
        values: &values,
        none,
        domain: &domain,
        budget,
        least: None,
        most: None,
    };
    let all: Vec<usize> = (0..boxes.len()).collect();
    if walk.split(&all, 0, &mut Vec::new()) {
        if let (Some((least, at_least)), Some((most, at_most))) = (walk.least, walk.most) {
            return Some(Totals {
                least,
                most,
                least_when: describe(&columns, &at_least),
                most_when: describe(&columns, &at_most),
            });
        }
    }
    // Too large to split: any rows may match together, so the totals lie between the sum of the
    // negative values and the sum of the positive ones (the checker proved both exact).
    let (mut least, mut most) = (none.min(Decimal::ZERO), none.max(Decimal::ZERO));
    for v in &values {
        if v.is_sign_negative() {
            least = least.saturating_add(*v);
        } else {
            most = most.saturating_add(*v);
        }
    }
    let when = "rows match together (the table is too large to tell which can)".to_string();
    Some(Totals {
        least,
        most,
        least_when: when.clone(),
        most_when: when,
    })
}

/// The search: the rows' boxes and values, and the least and most totals found so far, with a
/// region where each is reached.
struct Walk<'w> {
    boxes: &'w [Region],
    values: &'w [Decimal],
    none: Decimal,
    domain: &'w Region,
    budget: usize,
    least: Option<(Decimal, Region)>,
    most: Option<(Decimal, Region)>,
}

impl Walk<'_> {
    /// Splits column `col` and after, where the rows `rows` can still match; `prefix` holds the
    /// pieces chosen for the columns before `col`. `false` when the budget ran out.
    fn split(&mut self, rows: &[usize], col: usize, prefix: &mut Vec<Vec<bool>>) -> bool {
        if self.budget == 0 {
            return false;
        }
        self.budget -= 1;
        let Some(pieces) = self.domain.get(col) else {
            // Every column is chosen: exactly `rows` match.
            let total = if rows.is_empty() {
                self.none
            } else {
                rows.iter()
                    .filter_map(|r| self.values.get(*r))
                    .fold(Decimal::ZERO, |acc, v| acc.saturating_add(*v))
            };
            if self.least.as_ref().is_none_or(|(l, _)| total < *l) {
                self.least = Some((total, prefix.clone()));
            }
            if self.most.as_ref().is_none_or(|(m, _)| total > *m) {
                self.most = Some((total, prefix.clone()));
            }
            return true;
        };
        let boxes = self.boxes;
        let groups = group_pieces(pieces, rows.len(), |r, p| {
            rows.get(r)
                .and_then(|r| boxes.get(*r))
                .and_then(|b| b.get(col))
                .and_then(|c| c.get(p))
                .copied()
                == Some(true)
        });
        for (matching, set) in groups {
            let matching: Vec<usize> = matching
                .iter()
                .filter_map(|r| rows.get(*r).copied())
                .collect();
            prefix.push(set);
            let done = self.split(&matching, col + 1, prefix);
            prefix.pop();
            if !done {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use crate::check::tables::totals::{totals, totals_within};
    use crate::check::{check, Options, Report};
    use crate::span::FileId;

    const HEADER: &str = "policy \"T\" {\n  version \"1.0.0\"\n  effective 2027-01-01\n  score 0 to 100 starting at 0\n}\n";

    /// The least and most totals of the policy's first table, each input known unless listed.
    fn bounds(body: &str, unknown: &[bool]) -> (String, String, String, String) {
        let text = format!("{HEADER}{body}");
        let file = crate::syntax::parse(FileId(0), &text).expect("parses");
        let report: Report<'_> = check(&file, &Options::default());
        assert!(!report.has_errors(), "{:#?}", report.problems);
        let table = report.model.tables.first().expect("a table");
        let t = totals(&report.model, table, unknown).expect("totals");
        (
            t.least.normalize().to_string(),
            t.least_when,
            t.most.normalize().to_string(),
            t.most_when,
        )
    }

    #[test]
    fn rows_that_exclude_each_other_are_never_added_together() {
        let body = "indicator age: integer 0 to 120\nindicator single: boolean\n\
            table points {\n  hit collect sum\n  inputs age, single\n  outputs points: decimal\n  \
            below 30, - => 10\n  30 to 120, - => 40\n  -, yes => 25\n  -, no => 45\n}\n";
        let (least, least_when, most, most_when) = bounds(body, &[false, false]);
        assert_eq!(least, "35");
        assert_eq!(least_when, "`age` is 0 to 29 and `single` is yes");
        assert_eq!(most, "85");
        assert_eq!(most_when, "`age` is 30 to 120 and `single` is no");
    }

    #[test]
    fn an_unknown_input_matches_only_dashes_and_missing() {
        let body = "indicator single: boolean, missing means unknown\n\
            table points {\n  hit collect sum\n  inputs single\n  outputs points: decimal\n  \
            yes => 25\n  no => 45\n  - => 5\n}\n";
        let (least, least_when, most, _) = bounds(body, &[true]);
        assert_eq!(least, "5");
        assert_eq!(least_when, "`single` is unknown");
        assert_eq!(most, "50");
    }

    #[test]
    fn no_matching_row_gives_the_default_or_nothing() {
        let body = "indicator a: boolean\n\
            table n {\n  hit collect count\n  inputs a, a\n  outputs n: count\n  yes, yes\n  yes, -\n}\n";
        let (least, _, most, most_when) = bounds(body, &[false, false]);
        assert_eq!((least.as_str(), most.as_str()), ("0", "2"));
        assert_eq!(most_when, "`a` is yes and `a` is yes");
        let body = "indicator a: boolean\n\
            table s {\n  hit collect sum\n  inputs a\n  outputs s: decimal\n  yes => -3\n  otherwise => 7\n}\n";
        let (least, _, most, _) = bounds(body, &[false]);
        assert_eq!((least.as_str(), most.as_str()), ("-3", "7"));
    }

    #[test]
    fn without_the_budget_any_rows_may_match_together() {
        let text = format!(
            "{HEADER}indicator a: boolean\ntable s {{\n  hit collect sum\n  inputs a\n  outputs s: decimal\n  yes => 3\n  no => 4\n  - => -2\n}}\n"
        );
        let file = crate::syntax::parse(FileId(0), &text).expect("parses");
        let report = check(&file, &Options::default());
        let table = report.model.tables.first().expect("a table");
        let exact = totals_within(&report.model, table, &[false], 100).expect("totals");
        assert_eq!((exact.least, exact.most), (1.into(), 2.into()));
        let rough = totals_within(&report.model, table, &[false], 1).expect("totals");
        assert_eq!((rough.least, rough.most), ((-2).into(), 7.into()));
        assert!(rough.most_when.contains("too large"), "{}", rough.most_when);
    }

    #[test]
    fn other_hit_policies_have_no_totals() {
        let text = format!(
            "{HEADER}indicator a: boolean\ntable f {{\n  hit first\n  inputs a\n  outputs f: decimal\n  yes => 1\n  otherwise => 2\n}}\n"
        );
        let file = crate::syntax::parse(FileId(0), &text).expect("parses");
        let report = check(&file, &Options::default());
        let table = report.model.tables.first().expect("a table");
        assert!(totals(&report.model, table, &[false]).is_none());
    }
}
