//! Deciding one decision table for one record: which rows match (a row whose test of an unknown
//! value cannot be decided does not match, and is listed), and the outputs the hit policy gives.

use super::interp::matches;
use crate::ir::{Aggregate, Cell, Ref, Row, Table, Value};
use crate::runtime::arith as rt;
use crate::runtime::decision::TableRows;
use rust_decimal::Decimal;

/// Whether a row matches: `Some(true)`, `Some(false)`, or `None` when only an unknown value
/// stands in the way (no test of a known value fails, but one of an unknown value would decide).
pub fn row_matches(
    row: &Row,
    inputs: &[Ref],
    read: &impl Fn(Ref) -> Option<Value>,
) -> Option<bool> {
    let mut unknown = false;
    for (cell, input) in row.cells.iter().zip(inputs) {
        match cell {
            Cell::Any => {}
            Cell::Missing => {
                if read(*input).is_some() {
                    return Some(false);
                }
            }
            Cell::Patterns(patterns) => match read(*input) {
                Some(value) => {
                    if !patterns.iter().any(|p| matches(p, &value)) {
                        return Some(false);
                    }
                }
                None => unknown = true,
            },
        }
    }
    if unknown {
        None
    } else {
        Some(true)
    }
}

/// What decided a table for one record.
pub enum Decided<'t> {
    /// These values, one per output: a row's, or the default's.
    Values(&'t [Value]),
    /// A `collect` table's total (`None`: no row matched a `min` or `max` table).
    Total(Option<Decimal>),
    /// No row matched and there is no default: every output is unknown.
    Nothing,
}

/// The table's outputs for the record read by `read`, recording in `rows` which rows decided.
/// Borrows the values from the table, so deciding allocates nothing.
pub fn decide<'t>(
    table: &'t Table,
    read: impl Fn(Ref) -> Option<Value>,
    rows: &mut TableRows,
) -> Decided<'t> {
    let default = |rows: &mut TableRows| match &table.default {
        Some(values) => {
            rows.by_default = true;
            Decided::Values(values)
        }
        None => Decided::Nothing,
    };
    let Some(aggregate) = table.hit.collects() else {
        for &r in &table.order {
            let Some(row) = table.rows.get(r) else {
                continue;
            };
            match row_matches(row, &table.inputs, &read) {
                Some(true) => {
                    rows.matched.push(r);
                    return Decided::Values(&row.values);
                }
                Some(false) => {}
                None => rows.unknown.push(r),
            }
        }
        rows.unknown.sort_unstable();
        return default(rows);
    };
    let mut acc: Option<Decimal> = None;
    for (r, row) in table.rows.iter().enumerate() {
        match row_matches(row, &table.inputs, &read) {
            Some(true) => {
                rows.matched.push(r);
                let value = match (aggregate, row.values.first()) {
                    (Aggregate::Count, _) => Decimal::ONE,
                    (_, Some(Value::Number(n))) => *n,
                    _ => continue,
                };
                acc = Some(match (acc, aggregate) {
                    (None, _) => value,
                    // The checker proved that no sum of the rows' values overflows.
                    (Some(a), Aggregate::Sum | Aggregate::Count) => a.saturating_add(value),
                    (Some(a), Aggregate::Min) => rt::min(a, value),
                    (Some(a), Aggregate::Max) => rt::max(a, value),
                });
            }
            Some(false) => {}
            None => rows.unknown.push(r),
        }
    }
    match (acc, aggregate) {
        (Some(total), _) => Decided::Total(Some(total)),
        (None, _) if table.default.is_some() => default(rows),
        (None, Aggregate::Sum | Aggregate::Count) => Decided::Total(Some(Decimal::ZERO)),
        (None, Aggregate::Min | Aggregate::Max) => Decided::Total(None),
    }
}
