//! Printing decision tables: clauses first as written, rows with their cells aligned in columns
//! and the arrows in one column, so a printed table reads like a table.

use super::{allow_clause, indicator_type, interval, literal, titled, Printer};
use crate::syntax::ast::*;

impl Printer {
    pub(super) fn table(&mut self, table: &Table) {
        self.docs(&table.docs);
        let head = titled("table", &table.name.node, table.title.as_ref());
        let rows: Vec<Vec<String>> = table
            .items
            .iter()
            .filter_map(|item| match &item.node {
                TableItem::Row(row) => Some(row.cells.iter().map(|c| cell(&c.node)).collect()),
                _ => None,
            })
            .collect();
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                rows.iter()
                    .filter_map(|r| r.get(c).map(|t| t.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut rows = rows.into_iter();
        self.block(&head, table.items.is_empty(), |p| {
            for item in &table.items {
                let line = match &item.node {
                    TableItem::Hit(hit) => format!("hit {}", hit_policy(*hit)),
                    TableItem::Inputs(inputs) => {
                        let names: Vec<&str> = inputs.iter().map(|i| i.node.as_str()).collect();
                        format!("inputs {}", names.join(", "))
                    }
                    TableItem::Outputs(outputs) => {
                        let outputs: Vec<String> = outputs
                            .iter()
                            .map(|o| {
                                format!("{}: {}", o.node.name.node, indicator_type(&o.node.ty))
                            })
                            .collect();
                        format!("outputs {}", outputs.join(", "))
                    }
                    TableItem::Row(row) => {
                        let cells = rows.next().unwrap_or_default();
                        row_line(&cells, &widths, &row.outputs)
                    }
                    TableItem::Default(outputs) => format!("otherwise => {}", values(outputs)),
                    TableItem::Allow(allow) => allow_clause(allow),
                };
                p.line(&line);
            }
        });
    }
}

/// A row: each cell followed by its comma, then padded to its column's width (the last one only
/// when an arrow follows), so the columns and the arrows line up.
fn row_line(cells: &[String], widths: &[usize], outputs: &[Literal]) -> String {
    let mut line = String::new();
    for (i, text) in cells.iter().enumerate() {
        let last = i + 1 == cells.len();
        line.push_str(text);
        if !last {
            line.push(',');
        }
        if !last || !outputs.is_empty() {
            let width = widths.get(i).copied().unwrap_or(0);
            line.push_str(&" ".repeat(width.saturating_sub(text.chars().count())));
            if !last {
                line.push(' ');
            }
        }
    }
    if !outputs.is_empty() {
        line.push_str(" => ");
        line.push_str(&values(outputs));
    }
    line
}

fn values(outputs: &[Literal]) -> String {
    outputs.iter().map(literal).collect::<Vec<_>>().join(", ")
}

fn cell(cell: &Cell) -> String {
    match cell {
        Cell::Any => "-".to_string(),
        Cell::Missing => "missing".to_string(),
        // `from 1 to 5`, not `1 to 5`: after an `outputs … decimal` line, a row starting
        // `1 to 5` would be read as that output's range (found by the `generated_policy` fuzz
        // target).
        Cell::Values(values) if values.len() == 1 => values
            .first()
            .map(|v| match interval(&v.node) {
                range if matches!(&v.node, Interval::Range { lo: Some(a), hi: Some(b) } if a.inclusive && b.inclusive) => {
                    format!("from {range}")
                }
                other => other,
            })
            .unwrap_or_default(),
        Cell::Values(values) => {
            let items: Vec<String> = values.iter().map(|v| interval(&v.node)).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

pub(super) fn hit_policy(hit: HitPolicy) -> &'static str {
    match hit {
        HitPolicy::Unique => "unique",
        HitPolicy::First => "first",
        HitPolicy::Priority => "priority",
        HitPolicy::Any => "any",
        HitPolicy::Collect(Aggregate::Sum) => "collect sum",
        HitPolicy::Collect(Aggregate::Min) => "collect min",
        HitPolicy::Collect(Aggregate::Max) => "collect max",
        HitPolicy::Collect(Aggregate::Count) => "collect count",
    }
}
