//! Decision tables, as `eval/table.rs` decides them: each row's match is `TRUE`, `FALSE`, or
//! `NULL` when only an unknown value stands in the way (SQL's `AND` of the cells' tests is
//! exactly that); a single-hit table takes the first matching row in its order, a `collect`
//! table aggregates every matching row.

use super::bounds::Num;
use super::program::{Sql, Ty, Val};
use super::record::join_present;
use super::rules::pattern_test;
use super::{Gen, R};
use crate::ir::{Aggregate, Cell, OutputKind, Value};
use rust_decimal::Decimal;

/// What the decision reports of one table.
#[derive(Clone, Debug)]
pub struct Decided {
    pub table: usize,
    /// The text of the `rows` list without brackets (`1,3`), and of `unknown_rows`.
    pub rows: Sql,
    pub unknown_rows: Sql,
    /// Whether the `otherwise` values were used.
    pub by_default: Sql,
}

impl Gen<'_> {
    pub fn table(&mut self, index: usize) -> R<Decided> {
        let policy = self.policy;
        let d = self.p.dialect;
        let Some(table) = policy.tables.get(index) else {
            return Err(crate::codegen::CodegenError::Internal(
                "no such table".into(),
            ));
        };
        let mut inputs = Vec::new();
        for r in &table.inputs {
            inputs.push(self.read(*r)?);
        }
        let mut matches = Vec::new();
        for (k, row) in table.rows.iter().enumerate() {
            let mut tests = Vec::new();
            let mut parts = Vec::new();
            for (cell, input) in row.cells.iter().zip(&inputs) {
                match cell {
                    Cell::Any => {}
                    Cell::Missing => tests.push(format!("({} IS NULL)", input.sql.text)),
                    Cell::Patterns(patterns) => {
                        let alternatives: Vec<String> = patterns
                            .iter()
                            .map(|p| pattern_test(self, &input.sql.text, p))
                            .collect();
                        tests.push(format!("({})", alternatives.join(" OR ")));
                    }
                }
                parts.push(input.sql.clone());
            }
            let text = if tests.is_empty() {
                d.boolean(true).to_string()
            } else {
                format!("({})", tests.join(" AND "))
            };
            let refs: Vec<&Sql> = parts.iter().collect();
            matches.push(
                self.p.bind(
                    &Sql::over(text, &refs),
                    &format!("{} row {}", table.name, k + 1),
                    (k == 0).then(|| {
                        format!("decision table `{}`: whether each row matches", table.name)
                    }),
                ),
            );
        }
        let number = |k: usize| (k + 1).to_string();
        let mut parts: Vec<Sql> = matches.clone();
        let list = |items: Vec<String>| join_present(",", &items);
        let (rows, unknown_rows, by_default, values): (String, String, String, Vec<String>);
        // A `collect` table's total: the sum's bound is the rows' summed (the checker proved
        // that it fits).
        let mut collected: Option<Num> = None;
        match table.hit.collects() {
            None => {
                // The first matching row in the table's order decides; the unknown rows listed
                // are those tried before it (in that order), or all of them, in row order.
                let mut decided = String::from("(CASE");
                for &r in &table.order {
                    if let Some(m) = matches.get(r) {
                        decided.push_str(&format!(" WHEN {} THEN {}", m.text, r + 1));
                    }
                }
                decided.push_str(" END)");
                let refs: Vec<&Sql> = matches.iter().collect();
                let decided = self.p.bind(
                    &Sql::over(decided, &refs),
                    &format!("{} decided by", table.name),
                    Some(format!(
                        "decision table `{}`: the row that decides (numbered from 1), if any",
                        table.name
                    )),
                );
                parts.push(decided.clone());
                rows = format!("COALESCE(CAST({} AS {}), '')", decided.text, d.text_type());
                let position = |r: usize| table.order.iter().position(|&o| o == r).unwrap_or(0);
                let mut tried = Vec::new();
                for &r in &table.order {
                    let Some(m) = matches.get(r) else { continue };
                    // Tried before the deciding row: the deciding row comes later in the order.
                    let later: Vec<String> = table
                        .order
                        .iter()
                        .skip(position(r) + 1)
                        .map(|&o| number(o))
                        .collect();
                    let decided_later = if later.is_empty() {
                        "FALSE".to_string()
                    } else {
                        format!("{} IN ({})", decided.text, later.join(", "))
                    };
                    tried.push(format!(
                        "CASE WHEN {} IS NULL AND {decided_later} THEN '{}' END",
                        m.text,
                        r + 1
                    ));
                }
                let unmatched: Vec<String> = matches
                    .iter()
                    .enumerate()
                    .map(|(r, m)| format!("CASE WHEN {} IS NULL THEN '{}' END", m.text, r + 1))
                    .collect();
                unknown_rows = format!(
                    "(CASE WHEN {} IS NULL THEN {} ELSE {} END)",
                    decided.text,
                    list(unmatched),
                    list(tried)
                );
                by_default = match &table.default {
                    Some(_) => format!("({} IS NULL)", decided.text),
                    None => d.boolean(false).to_string(),
                };
                values = table
                    .outputs
                    .iter()
                    .enumerate()
                    .map(|(k, _)| {
                        let mut text = format!("(CASE {}", decided.text);
                        for (r, row) in table.rows.iter().enumerate() {
                            if let Some(v) = row.values.get(k) {
                                text.push_str(&format!(
                                    " WHEN {} THEN {}",
                                    r + 1,
                                    self.constant(v).sql.text
                                ));
                            }
                        }
                        if let Some(v) = table.default.as_ref().and_then(|vs| vs.get(k)) {
                            text.push_str(&format!(" ELSE {}", self.constant(v).sql.text));
                        }
                        text.push_str(" END)");
                        text
                    })
                    .collect();
            }
            Some(aggregate) => {
                let matched: Vec<String> = matches
                    .iter()
                    .enumerate()
                    .map(|(r, m)| format!("CASE WHEN {} THEN '{}' END", m.text, r + 1))
                    .collect();
                let unmatched: Vec<String> = matches
                    .iter()
                    .enumerate()
                    .map(|(r, m)| format!("CASE WHEN {} IS NULL THEN '{}' END", m.text, r + 1))
                    .collect();
                rows = list(matched);
                unknown_rows = list(unmatched);
                let any: Vec<String> = matches
                    .iter()
                    .map(|m| format!("COALESCE({}, FALSE)", m.text))
                    .collect();
                let any = if any.is_empty() {
                    "FALSE".to_string()
                } else {
                    any.join(" OR ")
                };
                by_default = match &table.default {
                    Some(_) => format!("(NOT ({any}))"),
                    None => d.boolean(false).to_string(),
                };
                let row_values: Vec<Decimal> = table
                    .rows
                    .iter()
                    .map(|row| match (aggregate, row.values.first()) {
                        (Aggregate::Count, _) => Decimal::ONE,
                        (_, Some(Value::Number(n))) => *n,
                        _ => Decimal::ZERO,
                    })
                    .collect();
                let num = row_values
                    .iter()
                    .map(|v| Num::constant(*v))
                    .reduce(|a, b| match aggregate {
                        Aggregate::Sum | Aggregate::Count => a.add(b),
                        _ => a.either(b),
                    })
                    .unwrap_or(Num::constant(Decimal::ZERO));
                let terms: Vec<String> = matches
                    .iter()
                    .zip(&row_values)
                    .map(|(m, v)| format!("CASE WHEN {} THEN {} END", m.text, d.number(*v)))
                    .collect();
                let total = match aggregate {
                    Aggregate::Sum | Aggregate::Count => {
                        let terms: Vec<String> =
                            terms.iter().map(|t| format!("COALESCE({t}, 0)")).collect();
                        if terms.is_empty() {
                            "0".to_string()
                        } else {
                            terms.join(" + ")
                        }
                    }
                    Aggregate::Min | Aggregate::Max => {
                        // LEAST and GREATEST skip NULLs: the rows that did not match.
                        let f = if aggregate == Aggregate::Min {
                            "LEAST"
                        } else {
                            "GREATEST"
                        };
                        format!("{f}({})", terms.join(", "))
                    }
                };
                let total = super::numeric::typed(d, &total, num);
                collected = Some(num);
                let value = match table.default.as_ref().and_then(|vs| vs.first()) {
                    Some(v) => format!(
                        "(CASE WHEN {any} THEN {total} ELSE {} END)",
                        self.constant(v).sql.text
                    ),
                    None => total,
                };
                values = vec![value];
            }
        }
        let refs: Vec<&Sql> = parts.iter().collect();
        let layer = refs.iter().map(|s| s.layer).max().unwrap_or(0);
        let rows = self.p.bind(
            &Sql::new(rows, layer),
            &format!("{} rows", table.name),
            None,
        );
        let unknown_rows = self.p.bind(
            &Sql::new(unknown_rows, layer),
            &format!("{} unknown rows", table.name),
            None,
        );
        let by_default = self.p.bind(
            &Sql::new(by_default, layer),
            &format!("{} otherwise", table.name),
            None,
        );
        for (k, o) in table.outputs.iter().enumerate() {
            let Some(output) = policy.outputs.get(*o) else {
                continue;
            };
            let ty = match &output.kind {
                OutputKind::Number => {
                    let nums: Vec<Num> = table
                        .rows
                        .iter()
                        .filter_map(|row| row.values.get(k))
                        .chain(table.default.iter().filter_map(|vs| vs.get(k)))
                        .filter_map(|v| match v {
                            Value::Number(n) => Some(Num::constant(*n)),
                            _ => None,
                        })
                        .collect();
                    let base = nums
                        .into_iter()
                        .reduce(Num::either)
                        .unwrap_or(Num::constant(Decimal::ZERO));
                    Ty::Num(collected.map_or(base, |c| c.either(base)))
                }
                OutputKind::Bool => Ty::Bool,
                OutputKind::Text | OutputKind::List(_) => Ty::Text,
            };
            let text = values.get(k).cloned().unwrap_or_else(|| "NULL".to_string());
            let text = match ty {
                Ty::Num(num) => super::numeric::typed(d, &text, num),
                _ => text,
            };
            let column = self.p.bind(
                &Sql::new(text, layer),
                &output.name,
                Some(format!(
                    "outcome `{}` of decision table `{}`",
                    output.name, table.name
                )),
            );
            if let Some(slot) = self.outputs.get_mut(*o) {
                *slot = Some(Val { sql: column, ty });
            }
        }
        Ok(Decided {
            table: index,
            rows,
            unknown_rows,
            by_default,
        })
    }
}
