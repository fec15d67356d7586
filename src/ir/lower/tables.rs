//! Lowering decision tables: the checker's resolved rows into patterns, list members of outputs
//! into their names, and the order to try the rows in.

use super::{index_u32, internal, range, Lowering, Result};
use crate::check::{self, CellInfo, CellValue, Resolved, ValueKind, ValueNode};
use crate::ir::*;
use crate::syntax::ast::{self, HitPolicy};

impl Lowering<'_, '_> {
    pub(super) fn outputs(&self) -> Vec<Output> {
        self.model
            .outputs
            .iter()
            .map(|o| Output {
                name: o.decl.name.node.clone(),
                table: o.table,
                kind: match &o.kind {
                    ValueKind::Bool => OutputKind::Bool,
                    ValueKind::Text => OutputKind::Text,
                    ValueKind::Enum(members) => OutputKind::List(members.clone()),
                    _ => OutputKind::Number,
                },
            })
            .collect()
    }

    pub(super) fn tables(&self) -> Result<Vec<Table>> {
        self.model.tables.iter().map(|t| self.table(t)).collect()
    }

    fn table(&self, info: &check::TableInfo<'_>) -> Result<Table> {
        let inputs = info
            .inputs
            .iter()
            .map(|i| self.reference(i.source))
            .collect::<Result<Vec<_>>>()?;
        let mut rows = Vec::with_capacity(info.rows.len());
        for row in &info.rows {
            let mut cells = Vec::with_capacity(row.cells.len());
            for (cell, input) in row.cells.iter().zip(&info.inputs) {
                cells.push(self.cell(cell, input.ty)?);
            }
            rows.push(Row {
                cells,
                values: self.values(&row.values, &info.outputs)?,
            });
        }
        let default = info
            .default
            .as_ref()
            .map(|d| self.values(d, &info.outputs))
            .transpose()?;
        let hit = match info.hit {
            HitPolicy::Unique => Hit::Unique,
            HitPolicy::First => Hit::First,
            HitPolicy::Priority => Hit::Priority,
            HitPolicy::Any => Hit::Any,
            HitPolicy::Collect(a) => Hit::Collect(match a {
                ast::Aggregate::Sum => Aggregate::Sum,
                ast::Aggregate::Min => Aggregate::Min,
                ast::Aggregate::Max => Aggregate::Max,
                ast::Aggregate::Count => Aggregate::Count,
            }),
        };
        let mut order: Vec<usize> = (0..info.rows.len()).collect();
        if hit == Hit::Priority {
            // By the rank of the first output's member in its list, then of the next list
            // output's, as DMN orders priorities; a stable sort keeps full ties as written.
            let lists: Vec<bool> = info
                .outputs
                .iter()
                .map(|o| {
                    self.model
                        .outputs
                        .get(*o)
                        .is_some_and(|x| matches!(x.kind, ValueKind::Enum(_)))
                })
                .collect();
            order.sort_by_key(|r| {
                let values = info
                    .rows
                    .get(*r)
                    .map_or(&[][..], |row| row.values.as_slice());
                values
                    .iter()
                    .zip(&lists)
                    .filter(|(_, list)| **list)
                    .map(|(v, _)| match v {
                        check::Value::Member(m) => *m,
                        _ => usize::MAX,
                    })
                    .collect::<Vec<usize>>()
            });
        }
        Ok(Table {
            name: info.decl.name.node.clone(),
            title: info.decl.title.as_ref().map(|t| t.node.clone()),
            docs: info.decl.docs.clone(),
            hit,
            inputs,
            outputs: info.outputs.clone(),
            rows,
            default,
            order,
        })
    }

    fn cell(&self, cell: &CellInfo, ty: check::Type) -> Result<Cell> {
        Ok(match cell {
            CellInfo::Any => Cell::Any,
            CellInfo::Missing => Cell::Missing,
            CellInfo::Values(values) => Cell::Patterns(
                values
                    .iter()
                    .map(|v| match v {
                        CellValue::Range(iv) => Ok(Pattern::Range(range(*iv))),
                        CellValue::Is(value) => self.typed_value(value, ty).map(Pattern::Value),
                    })
                    .collect::<Result<Vec<_>>>()?,
            ),
        })
    }

    /// A row's values: list members of an output by name.
    fn values(&self, values: &[check::Value], outputs: &[usize]) -> Result<Vec<Value>> {
        values
            .iter()
            .zip(outputs)
            .map(|(v, o)| {
                let ty = self
                    .model
                    .outputs
                    .get(*o)
                    .map_or(check::Type::Error, |x| x.ty(*o));
                self.typed_value(v, ty)
            })
            .collect()
    }

    /// A checked value of type `ty`: an indicator's member by index, an output's by name.
    pub(super) fn typed_value(&self, value: &check::Value, ty: check::Type) -> Result<Value> {
        Ok(match value {
            check::Value::Bool(b) => Value::Bool(*b),
            check::Value::Number(n) => Value::Number(*n),
            check::Value::Text(t) => Value::Text(t.clone()),
            check::Value::Member(m) => match ty {
                check::Type::Outcome(_) => Value::Text(self.member_name(ty, *m)?),
                _ => Value::Member(index_u32(*m)?),
            },
        })
    }

    pub(super) fn member_name(&self, ty: check::Type, member: usize) -> Result<String> {
        self.model
            .members(ty)
            .and_then(|m| m.get(member))
            .cloned()
            .ok_or_else(|| internal("a member out of its list"))
    }

    /// An output's member, written in an expression or a test.
    pub(super) fn outcome_member(&self, resolved: Resolved) -> Result<Option<Value>> {
        Ok(match resolved {
            Resolved::OutcomeMember { output, member } => Some(Value::Text(
                self.member_name(check::Type::Outcome(output), member)?,
            )),
            _ => None,
        })
    }

    /// The steps before the rules (`after_rules` false) or after them.
    pub(super) fn steps(&self, after_rules: bool) -> Result<Vec<Step>> {
        self.model
            .value_order
            .iter()
            .filter(|node| {
                let late = match **node {
                    ValueNode::Let(l) => self.model.lets.get(l).is_some_and(|x| x.after_rules),
                    ValueNode::Table(t) => self.model.tables.get(t).is_some_and(|x| x.after_rules),
                };
                late == after_rules
            })
            .map(|node| match node {
                ValueNode::Let(l) => self
                    .let_position
                    .get(*l)
                    .map(|p| Step::Let(*p))
                    .ok_or_else(|| internal("derived value out of range")),
                ValueNode::Table(t) => Ok(Step::Table(*t)),
            })
            .collect()
    }
}
