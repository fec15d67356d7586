//! Decision tables (`table … { hit …  inputs …  outputs …  rows }`), and the value types that
//! indicators and table outputs share.

use super::{Builder, Children, Result};
use crate::span::Node;
use crate::syntax::ast::*;
use crate::syntax::grammar::Rule;
use pest::iterators::Pair;

impl Builder {
    /// An indicator's or an output's type (`decimal 0 to 5`, `one of [a, b]`, …).
    pub(super) fn indicator_type(&self, pair: Pair<'_, Rule>) -> Result<Node<IndicatorType>> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut tc = Children::of(pair);
        let ty = match rule {
            Rule::type_boolean => IndicatorType::Boolean,
            Rule::type_count => IndicatorType::Count(self.type_range(&mut tc)?),
            Rule::type_integer => IndicatorType::Integer(self.type_range(&mut tc)?),
            Rule::type_decimal => IndicatorType::Decimal(self.type_range(&mut tc)?),
            Rule::type_enum => IndicatorType::Enum(
                tc.rest()
                    .map(|m| self.enum_member(m))
                    .collect::<Result<_>>()?,
            ),
            _ => IndicatorType::Text,
        };
        Ok(Node::new(ty, span))
    }

    /// A number type's optional range (`0 to 10`), the next child of `tc` if it is one.
    pub(super) fn type_range(&self, tc: &mut Children<'_>) -> Result<Option<Range>> {
        match tc.next_if(Rule::type_range) {
            Some(r) => {
                let mut rc = Children::of(r);
                Ok(Some(Range {
                    min: self.number(rc.next())?,
                    max: self.number(rc.next())?,
                }))
            }
            None => Ok(None),
        }
    }

    pub(super) fn table(&self, pair: Pair<'_, Rule>) -> Result<Node<Table>> {
        let head = self.head(pair)?;
        let mut items = Vec::new();
        for item in head.c.rest() {
            let span = self.span(&item);
            let rule = item.as_rule();
            let mut ic = Children::of(item);
            let node = match rule {
                Rule::hit_clause => TableItem::Hit(hit_policy(ic.next())),
                Rule::inputs_clause => {
                    TableItem::Inputs(ic.rest().map(|i| self.ident(i)).collect())
                }
                Rule::outputs_clause => {
                    let mut outputs = Vec::new();
                    for output in ic.rest() {
                        let output_span = self.span(&output);
                        let mut oc = Children::of(output);
                        let name = self.ident(oc.next());
                        let ty = self.indicator_type(oc.next())?;
                        outputs.push(Node::new(Output { name, ty }, output_span));
                    }
                    TableItem::Outputs(outputs)
                }
                Rule::table_default => TableItem::Default(self.row_outputs(ic.next())?),
                Rule::allow_clause => TableItem::Allow(self.allow_parts(ic)?),
                _ => {
                    let mut cells = Vec::new();
                    for cell in Children::of(ic.next()).rest() {
                        cells.push(self.cell(cell)?);
                    }
                    let outputs = match ic.next_if(Rule::row_outputs) {
                        Some(o) => self.row_outputs(o)?,
                        None => Vec::new(),
                    };
                    TableItem::Row(TableRow { cells, outputs })
                }
            };
            items.push(Node::new(node, span));
        }
        Ok(Node::new(
            Table {
                docs: head.docs,
                name: head.name,
                title: head.title,
                items,
            },
            head.span,
        ))
    }

    fn row_outputs(&self, pair: Pair<'_, Rule>) -> Result<Vec<Literal>> {
        Children::of(pair).rest().map(|l| self.literal(l)).collect()
    }

    fn cell(&self, pair: Pair<'_, Rule>) -> Result<Node<Cell>> {
        let span = self.span(&pair);
        let inner = Children::of(pair).next();
        let cell = match inner.as_rule() {
            Rule::cell_any => Cell::Any,
            Rule::cell_missing => Cell::Missing,
            Rule::cell_list => {
                let mut values = Vec::new();
                for interval in Children::of(inner).rest() {
                    values.push(self.interval(interval)?);
                }
                Cell::Values(values)
            }
            _ => Cell::Values(vec![self.interval(inner)?]),
        };
        Ok(Node::new(cell, span))
    }
}

fn hit_policy(pair: Pair<'_, Rule>) -> HitPolicy {
    match pair.as_rule() {
        Rule::hit_unique => HitPolicy::Unique,
        Rule::hit_first => HitPolicy::First,
        Rule::hit_priority => HitPolicy::Priority,
        Rule::hit_any => HitPolicy::Any,
        _ => {
            let aggregate = Children::of(pair).next();
            HitPolicy::Collect(match aggregate.as_rule() {
                Rule::agg_sum => Aggregate::Sum,
                Rule::agg_min => Aggregate::Min,
                Rule::agg_max => Aggregate::Max,
                _ => Aggregate::Count,
            })
        }
    }
}
