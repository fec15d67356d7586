//! Decision tables in the generated `rules.rs`: one function per table that tries the rows as
//! the interpreter does (`src/eval/table.rs`) and returns the outputs, recording in the decision's
//! `TableRows` which rows decided and which an unknown value kept from matching.

use super::escape::{doc, markdown, markdown_code, markdown_lines, str_lit};
use super::exprs::{Scope, Ty};
use super::records::dec_const;
use super::rules::in_range;
use super::{CodegenError, Gen};
use crate::ir::{Aggregate, Cell, OutputKind, Pattern, Row, Table, Value};
use std::fmt::Write as _;

type R<T> = Result<T, CodegenError>;

impl Gen<'_> {
    /// The Rust type of a table output's field in `Lets` (always an `Option`: a table may have no
    /// outcome).
    pub fn output_type(&self, kind: &OutputKind) -> &'static str {
        match kind {
            OutputKind::Number => "Option<Decimal>",
            OutputKind::Bool => "Option<bool>",
            OutputKind::Text | OutputKind::List(_) => "Option<&'static str>",
        }
    }

    /// The function deciding table `index`.
    pub fn table_fn_code(&self, scope: &Scope<'_>, index: usize, table: &Table) -> R<String> {
        let tuple_type = {
            let types: Vec<&str> = table
                .outputs
                .iter()
                .filter_map(|o| self.policy.outputs.get(*o))
                .map(|o| self.output_type(&o.kind))
                .collect();
            format!("({},)", types.join(", "))
        };
        let mut body = String::new();
        let needs_unknown = table.rows.iter().any(|row| {
            row.cells
                .iter()
                .zip(&table.inputs)
                .any(|(cell, input)| matches!(cell, Cell::Patterns(_)) && !scope.ref_known(*input))
        });
        if needs_unknown {
            body.push_str("    let mut unknown;\n");
        }
        let aggregate = table.hit.collects();
        if aggregate.is_some() {
            body.push_str("    let mut acc: Option<Decimal> = None;\n");
        }
        let mut always_decided = false;
        let order: Vec<usize> = match aggregate {
            Some(_) => (0..table.rows.len()).collect(),
            None => table.order.clone(),
        };
        for r in order {
            let Some(row) = table.rows.get(r) else {
                continue;
            };
            let impossible = row
                .cells
                .iter()
                .zip(&table.inputs)
                .any(|(cell, input)| matches!(cell, Cell::Missing) && scope.ref_known(*input));
            if impossible {
                writeln!(
                    body,
                    "    // Row {}: tests for an unknown value that is never unknown.",
                    r + 1
                )
                .ok();
                continue;
            }
            writeln!(body, "    // Row {}.", r + 1).ok();
            // A row of `-` only always matches: no label to break out of, and for a single hit
            // nothing after it can run.
            let tests = row.cells.iter().any(|c| !matches!(c, Cell::Any));
            if !tests && aggregate.is_none() {
                // It decides every case that reaches it: the function's last words.
                writeln!(
                    body,
                    "    rows.matched.push({r});\n    {}",
                    self.values_tuple(table, &row.values)?
                )
                .ok();
                always_decided = true;
                break;
            }
            if !tests {
                body.push_str("    {\n");
            } else {
                body.push_str("    'row: {\n");
            }
            let row_needs_unknown =
                row.cells.iter().zip(&table.inputs).any(|(cell, input)| {
                    matches!(cell, Cell::Patterns(_)) && !scope.ref_known(*input)
                });
            if row_needs_unknown {
                body.push_str("        unknown = false;\n");
            }
            let row_unknown = self.row_tests(scope, table, row, &mut body)?;
            if row_unknown {
                writeln!(
                    body,
                    "        if unknown {{\n            rows.unknown.push({r});\n            break 'row;\n        }}"
                )
                .ok();
            }
            writeln!(body, "        rows.matched.push({r});").ok();
            match aggregate {
                None => writeln!(
                    body,
                    "        return {};",
                    self.values_tuple(table, &row.values)?
                )
                .ok(),
                Some(aggregate) => {
                    let value = match (aggregate, row.values.first()) {
                        (Aggregate::Count, _) => "Decimal::ONE".to_string(),
                        (_, Some(Value::Number(n))) => dec_const(*n),
                        _ => {
                            return Err(CodegenError::Internal(
                                "a collected value that is not a number".into(),
                            ))
                        }
                    };
                    let combine = match aggregate {
                        // The checker proved that no sum of the rows' values overflows.
                        Aggregate::Sum | Aggregate::Count => "a.saturating_add(value)",
                        Aggregate::Min => "arith::min(a, value)",
                        Aggregate::Max => "arith::max(a, value)",
                    };
                    writeln!(
                        body,
                        "        let value = {value};\n        acc = Some(match acc {{\n            None => value,\n            Some(a) => {combine},\n        }});"
                    )
                    .ok()
                }
            };
            body.push_str("    }\n");
            if !tests && aggregate.is_none() {
                always_decided = true;
                break;
            }
        }
        let default = match &table.default {
            Some(values) => format!(
                "rows.by_default = true;\n    {}",
                self.values_tuple(table, values)?
            ),
            None => {
                let nones: Vec<&str> = table.outputs.iter().map(|_| "None").collect();
                format!("({},)", nones.join(", "))
            }
        };
        match aggregate {
            None if always_decided => {}
            None => {
                if table.order.windows(2).any(|w| w.first() > w.get(1)) {
                    body.push_str("    rows.unknown.sort_unstable();\n");
                }
                writeln!(body, "    {default}").ok();
            }
            Some(aggregate) => {
                let none = match (&table.default, aggregate) {
                    (Some(_), _) => format!(
                        "{{\n            {}\n        }}",
                        default.replace("\n    ", "\n            ")
                    ),
                    (None, Aggregate::Sum | Aggregate::Count) => {
                        "(Some(Decimal::ZERO),)".to_string()
                    }
                    (None, Aggregate::Min | Aggregate::Max) => "(None,)".to_string(),
                };
                writeln!(
                    body,
                    "    match acc {{\n        Some(total) => (Some(total),),\n        None => {none},\n    }}"
                )
                .ok();
            }
        }
        let mut docs = vec![match &table.title {
            Some(t) => format!(
                "Decision table {}: {} (hit policy: {}).",
                markdown_code(&table.name),
                markdown(t),
                table.hit.word()
            ),
            None => format!(
                "Decision table {} (hit policy: {}).",
                markdown_code(&table.name),
                table.hit.word()
            ),
        }];
        if !table.docs.is_empty() {
            docs.push(String::new());
            docs.extend(markdown_lines(&table.docs));
        }
        let mut out = doc(&docs, false, "");
        let input = if scope.used_input.get() {
            "input"
        } else {
            "_input"
        };
        let lets = if scope.used_lets.get() {
            "lets"
        } else {
            "_lets"
        };
        writeln!(
            out,
            "fn {}({input}: &Input, {lets}: &Lets, rows: &mut TableRows) -> {tuple_type} {{\n{body}}}",
            self.table_fn(index)
        )
        .ok();
        Ok(out)
    }

    /// The tests of one row's cells, each breaking out of `'row` when it fails; returns whether
    /// a test can meet an unknown value (then it sets `unknown` instead).
    fn row_tests(&self, scope: &Scope<'_>, table: &Table, row: &Row, body: &mut String) -> R<bool> {
        let mut can_be_unknown = false;
        for (cell, input) in row.cells.iter().zip(&table.inputs) {
            if matches!(cell, Cell::Any) {
                continue;
            }
            // Read only what is tested, so the function's unused parameters are marked as such.
            let read = scope.read(*input)?;
            match cell {
                Cell::Any => {}
                Cell::Missing => {
                    writeln!(
                        body,
                        "        if {}.is_some() {{\n            break 'row;\n        }}",
                        read.text
                    )
                    .ok();
                }
                Cell::Patterns(patterns) => {
                    let test = self.patterns_test(scope, read.ty, patterns)?;
                    if read.known {
                        writeln!(body, "        let value = {};\n        if !({test}) {{\n            break 'row;\n        }}", read.text).ok();
                    } else {
                        can_be_unknown = true;
                        writeln!(
                            body,
                            "        match {} {{\n            Some(value) => {{\n                if !({test}) {{\n                    break 'row;\n                }}\n            }}\n            None => unknown = true,\n        }}",
                            read.text
                        )
                        .ok();
                    }
                }
            }
        }
        Ok(can_be_unknown)
    }

    /// Whether `value` (of type `ty`) matches any of `patterns`, as a Rust condition.
    fn patterns_test(&self, scope: &Scope<'_>, ty: Ty, patterns: &[Pattern]) -> R<String> {
        let tests: Vec<String> = patterns
            .iter()
            .map(|p| {
                Ok(match p {
                    Pattern::Range(r) => in_range(r, "value"),
                    Pattern::Value(v) => format!("value == {}", scope.constant(v, Some(ty))?.text),
                })
            })
            .collect::<R<_>>()?;
        Ok(match tests.as_slice() {
            [one] => one.clone(),
            _ => tests
                .iter()
                .map(|t| format!("({t})"))
                .collect::<Vec<_>>()
                .join(" || "),
        })
    }

    /// `(Some(v1), Some(v2),)`: a row's values as the function's result.
    fn values_tuple(&self, table: &Table, values: &[Value]) -> R<String> {
        let items: Vec<String> = values
            .iter()
            .map(|v| {
                Ok(match v {
                    Value::Number(n) => format!("Some({})", dec_const(*n)),
                    Value::Bool(b) => format!("Some({b})"),
                    Value::Text(t) => format!("Some({})", str_lit(t)),
                    _ => {
                        return Err(CodegenError::Internal(
                            "a table value of another kind".into(),
                        ))
                    }
                })
            })
            .collect::<R<_>>()?;
        if items.len() != table.outputs.len() {
            return Err(CodegenError::Internal(
                "a row with the wrong number of values".into(),
            ));
        }
        Ok(format!("({},)", items.join(", ")))
    }
}
