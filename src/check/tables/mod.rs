//! Decision tables: their outputs are declared with the other names; each table is then resolved
//! in dependency order with the derived values (its inputs may be derived values or other tables'
//! outputs): inputs, every row's conditions and values, the fit of the hit policy, and the proofs
//! of `cover.rs` (no overlap where the hit policy forbids one, no input left without a row).

mod cover;
pub(super) mod totals;

use super::err::{duplicate_clause, type_mismatch, CheckError};
use super::intervals::Interval;
use super::members::Lookup;
use super::model::*;
use super::Checker;
use crate::diagnostics::Code;
use crate::span::{Node, Span};
use crate::syntax::ast::{self, Aggregate, Cell, HitPolicy, Literal, TableItem};
use rust_decimal::Decimal;

impl<'a> Checker<'a> {
    /// Declares a table's name and its outputs' names (so that anything can read them), with the
    /// outputs' types.
    pub(super) fn declare_table(&mut self, decl: &'a ast::Table) {
        let index = self.model.tables.len();
        // A table may be named after its output (`table level … outputs level: …`): then the name
        // is the output's, the value everything else reads.
        let named_after_output = decl.items.iter().any(|item| match &item.node {
            TableItem::Outputs(list) => list.iter().any(|o| o.node.name.node == decl.name.node),
            _ => false,
        });
        if !named_after_output {
            self.declare_name(&decl.name, Symbol::Table(index), "decision table");
        }
        let mut outputs = Vec::new();
        let mut hit: Option<(HitPolicy, Span)> = None;
        let mut outputs_at: Option<Span> = None;
        for item in &decl.items {
            match &item.node {
                TableItem::Hit(h) => match hit {
                    Some((_, first)) => self.report(duplicate_clause("`hit`", item.span, first)),
                    None => hit = Some((*h, item.span)),
                },
                TableItem::Outputs(list) => {
                    if let Some(first) = outputs_at {
                        self.report(duplicate_clause("`outputs`", item.span, first));
                        continue;
                    }
                    outputs_at = Some(item.span);
                    for output in list {
                        let o = self.model.outputs.len();
                        self.declare_name(&output.node.name, Symbol::Output(o), "table output");
                        let (kind, range) = self.value_kind(&output.node.ty.node);
                        self.model.outputs.push(OutputInfo {
                            table: index,
                            decl: &output.node,
                            kind,
                            min: range.map(|r| r.min.node),
                            max: range.map(|r| r.max.node),
                        });
                        outputs.push(o);
                    }
                }
                _ => {}
            }
        }
        self.model.tables.push(TableInfo {
            decl,
            hit: hit.map_or(HitPolicy::Unique, |(h, _)| h),
            inputs: Vec::new(),
            outputs,
            rows: Vec::new(),
            default: None,
            default_span: None,
            after_rules: false,
        });
    }

    /// The derived values and tables a table's inputs name (for the dependency order).
    pub(super) fn table_uses(&self, table: usize) -> Vec<(super::model::ValueNode, Span)> {
        let Some(info) = self.model.tables.get(table) else {
            return Vec::new();
        };
        let mut uses = Vec::new();
        for item in &info.decl.items {
            if let TableItem::Inputs(inputs) = &item.node {
                for input in inputs {
                    match self.model.lookup(&input.node) {
                        Some(Symbol::Let(l)) => uses.push((ValueNode::Let(l), input.span)),
                        Some(Symbol::Output(o)) => {
                            if let Some(out) = self.model.outputs.get(o) {
                                uses.push((ValueNode::Table(out.table), input.span));
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        uses
    }

    /// Resolves and checks table `index` (its inputs' types are known by now). `cyclic`: the table
    /// is in a dependency cycle (already reported), so its inputs are not resolved again.
    pub(super) fn table(&mut self, index: usize, cyclic: bool) {
        let Some(decl) = self.model.tables.get(index).map(|t| t.decl) else {
            return;
        };
        let before = self.problems.len();
        let mut inputs: Option<(Vec<TableInput>, Span)> = None;
        for item in &decl.items {
            if let TableItem::Inputs(names) = &item.node {
                if let Some((_, first)) = inputs {
                    self.report(duplicate_clause("`inputs`", item.span, first));
                    continue;
                }
                let resolved = names.iter().map(|n| self.table_input(n, cyclic)).collect();
                inputs = Some((resolved, item.span));
            }
        }
        let Some((inputs, _)) = inputs else {
            self.report(
                CheckError::new(
                    Code::TableShape,
                    decl.name.span,
                    format!("the decision table `{}` has no inputs", decl.name.node),
                    "no `inputs` clause",
                )
                .with_help("say what the rows test: `inputs existing_customer, risk_score`"),
            );
            return;
        };
        let outputs = self
            .model
            .tables
            .get(index)
            .map(|t| t.outputs.clone())
            .unwrap_or_default();
        if outputs.is_empty() {
            self.report(
                CheckError::new(
                    Code::TableShape,
                    decl.name.span,
                    format!("the decision table `{}` has no outputs", decl.name.node),
                    "no `outputs` clause",
                )
                .with_help("name what the table decides: `outputs category: one of [LOW, HIGH]`"),
            );
        }
        let hit = self
            .model
            .tables
            .get(index)
            .map_or(HitPolicy::Unique, |t| t.hit);
        self.hit_fits(decl, hit, &outputs);
        let counts = hit == HitPolicy::Collect(Aggregate::Count);
        let mut rows = Vec::new();
        let mut default: Option<(Vec<Value>, Span)> = None;
        for item in &decl.items {
            match &item.node {
                TableItem::Row(row) => {
                    if row.cells.len() != inputs.len() {
                        self.report(
                            CheckError::new(
                                Code::TableShape,
                                item.span,
                                format!(
                                    "this row has {} but the table has {}",
                                    conditions(row.cells.len()),
                                    inputs_words(inputs.len())
                                ),
                                "wrong number of conditions",
                            )
                            .with_help("give one condition per input, in the order of `inputs`; write `-` for an input the row does not test"),
                        );
                        continue;
                    }
                    let cells: Vec<CellInfo> = row
                        .cells
                        .iter()
                        .zip(&inputs)
                        .map(|(cell, input)| self.cell(cell, input))
                        .collect();
                    if counts && !row.outputs.is_empty() {
                        self.report(
                            CheckError::new(
                                Code::HitPolicyMismatch,
                                item.span,
                                "a row of a `collect count` table gives no values",
                                "values here",
                            )
                            .with_help("the table counts the rows that match: remove `=> …`"),
                        );
                        continue;
                    }
                    let values = if counts {
                        Vec::new()
                    } else {
                        match self.values(&row.outputs, &outputs, item.span) {
                            Some(v) => v,
                            None => continue,
                        }
                    };
                    rows.push(RowInfo {
                        span: item.span,
                        cells,
                        values,
                    });
                }
                TableItem::Default(values) => {
                    if let Some((_, first)) = default {
                        self.report(duplicate_clause("the `otherwise` row", item.span, first));
                        continue;
                    }
                    if let Some(values) = self.values(values, &outputs, item.span) {
                        default = Some((values, item.span));
                    }
                }
                _ => {}
            }
        }
        if hit == HitPolicy::Collect(Aggregate::Sum) {
            // Every sum a record can reach is then exact, so evaluating the table cannot fail.
            let total = rows
                .iter()
                .try_fold(Decimal::ZERO, |acc, row| match row.values.first() {
                    Some(Value::Number(n)) => acc.checked_add(n.abs()),
                    _ => Some(acc),
                });
            if total.is_none() {
                self.report(
                    CheckError::new(
                        Code::OutputValue,
                        decl.name.span,
                        format!("the values of table `{}` can add up to more than the largest exact number", decl.name.node),
                        "its sum can overflow",
                    )
                    .with_help("use smaller values"),
                );
            }
        }
        let clean = !self.problems.iter().skip(before).any(CheckError::is_error);
        let after_rules = inputs.iter().any(|i| self.model.after_rules(i.source));
        if let Some(table) = self.model.tables.get_mut(index) {
            table.after_rules = after_rules;
            table.inputs = inputs;
            table.rows = rows;
            table.default_span = default.as_ref().map(|(_, s)| *s);
            table.default = default.map(|(v, _)| v);
        }
        if clean && !cyclic {
            self.prove_table(index);
        }
    }

    fn table_input(&mut self, name: &ast::Ident, cyclic: bool) -> TableInput {
        let (source, ty) = match self.model.lookup(&name.node) {
            Some(Symbol::Indicator(i)) => (
                Resolved::Indicator(i),
                self.model
                    .indicators
                    .get(i)
                    .map_or(Type::Error, |x| x.kind.value_type(i)),
            ),
            Some(Symbol::Let(l)) => (
                Resolved::Let(l),
                self.model.lets.get(l).map_or(Type::Error, |x| x.ty),
            ),
            Some(Symbol::Output(o)) => (
                Resolved::Output(o),
                self.model.outputs.get(o).map_or(Type::Error, |x| x.ty(o)),
            ),
            Some(other) => {
                self.report(
                    CheckError::new(
                        Code::WrongKindOfName,
                        name.span,
                        format!(
                            "`{}` is {}, which a table cannot test",
                            name.node,
                            other.a_kind()
                        ),
                        other.a_kind(),
                    )
                    .with_help(
                        "a table's inputs are indicators, derived values or other tables' outputs",
                    ),
                );
                (Resolved::Param(0), Type::Error)
            }
            None => {
                self.unknown(&name.node, name.span, |s| {
                    matches!(s, Symbol::Indicator(_) | Symbol::Let(_) | Symbol::Output(_))
                });
                (Resolved::Param(0), Type::Error)
            }
        };
        let ty = if cyclic { Type::Error } else { ty };
        if ty != Type::Error {
            self.model.resolutions.insert(name.span, source);
            self.used.insert(match source {
                Resolved::Indicator(i) => Symbol::Indicator(i),
                Resolved::Let(l) => Symbol::Let(l),
                Resolved::Output(o) => Symbol::Output(o),
                _ => Symbol::Param(0),
            });
        }
        TableInput {
            name: name.node.clone(),
            span: name.span,
            source,
            ty,
        }
    }

    /// Whether the hit policy fits the outputs.
    fn hit_fits(&mut self, decl: &ast::Table, hit: HitPolicy, outputs: &[usize]) {
        let Some(first) = outputs.first().and_then(|o| self.model.outputs.get(*o)) else {
            return;
        };
        let span = first.decl.ty.span;
        let problem = match hit {
            HitPolicy::Priority if !matches!(first.kind, ValueKind::Enum(_)) => Some((
                format!(
                    "`hit priority` ranks rows by the list of the first output, but `{}` is not a list",
                    first.decl.name.node
                ),
                "make the first output a list, in order of priority: `one of [DECLINE, REFER, ACCEPT]`",
            )),
            HitPolicy::Collect(aggregate) if outputs.len() != 1 || !first.kind.is_numeric() => {
                Some((
                    format!(
                        "`hit collect {}` gives one number, so the table must have exactly one output, a number",
                        aggregate_word(aggregate)
                    ),
                    "declare one output of a number type: `outputs points: decimal`",
                ))
            }
            _ => None,
        };
        if let Some((message, help)) = problem {
            self.report(
                CheckError::new(Code::HitPolicyMismatch, span, message, "this output")
                    .with_secondary(decl.name.span, "in this table")
                    .with_help(help),
            );
        }
    }

    /// A row's condition on one input, resolved against the input's type.
    fn cell(&mut self, cell: &Node<Cell>, input: &TableInput) -> CellInfo {
        match &cell.node {
            Cell::Any => CellInfo::Any,
            Cell::Missing => {
                // An indicator is unknown only with `missing means unknown`: otherwise a row that
                // needs it unknown never matches.
                let never = match input.source {
                    Resolved::Indicator(i) => self
                        .model
                        .indicators
                        .get(i)
                        .is_some_and(|x| x.missing != Missing::Unknown),
                    _ => false,
                };
                if never {
                    self.report(
                        CheckError::new(
                            Code::RowNeverMatches,
                            cell.span,
                            format!(
                                "this row needs `{}` to be unknown, but it never is, so the row never matches",
                                input.name
                            ),
                            "never unknown",
                        )
                        .with_help(format!(
                            "`missing` matches only an unknown value; write `-` for any value, or declare `{}` with `missing means unknown`",
                            input.name
                        )),
                    );
                }
                CellInfo::Missing
            }
            Cell::Values(values) => CellInfo::Values(
                values
                    .iter()
                    .filter_map(|v| self.cell_value(v, input))
                    .collect(),
            ),
        }
    }

    fn cell_value(&mut self, value: &Node<ast::Interval>, input: &TableInput) -> Option<CellValue> {
        let context = format!("a condition on `{}`", input.name);
        let mismatch = |this: &mut Self, span: Span, found: &str| {
            let expected = this.model.describe_type(input.ty);
            this.report(type_mismatch(span, &expected, found, &context));
            None
        };
        match (&value.node, input.ty) {
            (_, Type::Error) => None,
            (ast::Interval::Range { lo, hi }, Type::Number) => {
                let iv = self.range(lo.as_ref(), hi.as_ref())?;
                if iv.is_empty(None) {
                    self.report(
                        CheckError::new(
                            Code::InvalidRange,
                            value.span,
                            "this range contains no value",
                            "empty range",
                        )
                        .with_help("write the lower end first"),
                    );
                    return None;
                }
                Some(CellValue::Range(iv))
            }
            (ast::Interval::Range { .. }, _) => mismatch(self, value.span, "a range of numbers"),
            (ast::Interval::Exactly(lit), Type::Number) => match lit {
                Literal::Number(n) => Some(CellValue::Range(Interval::point(n.node))),
                Literal::Name(n) => Some(CellValue::Range(Interval::point(
                    self.bound(&ast::Bound::Param(n.clone()))?,
                ))),
                other => mismatch(self, other.span(), literal_kind(other)),
            },
            (ast::Interval::Exactly(Literal::Bool(b)), Type::Bool) => {
                Some(CellValue::Is(Value::Bool(b.node)))
            }
            (ast::Interval::Exactly(Literal::Text(t)), Type::Text) => {
                Some(CellValue::Is(Value::Text(t.node.clone())))
            }
            // A member, named or quoted (`"SELF-EMPLOYED"`).
            (
                ast::Interval::Exactly(lit @ (Literal::Name(_) | Literal::Text(_))),
                Type::Enum(_) | Type::Outcome(_),
            ) => match self.member_literal(input.ty, lit) {
                Lookup::Found(m) => Some(CellValue::Is(Value::Member(m))),
                Lookup::Reported | Lookup::NotWritten => None,
            },
            (ast::Interval::Exactly(other), _) => mismatch(self, other.span(), literal_kind(other)),
        }
    }

    /// The values of a row (or of the `otherwise` row), one per output; `None` (reported) when
    /// any does not fit.
    fn values(&mut self, written: &[Literal], outputs: &[usize], row: Span) -> Option<Vec<Value>> {
        if written.len() != outputs.len() {
            self.report(
                CheckError::new(
                    Code::TableShape,
                    row,
                    format!(
                        "this row gives {} but the table has {}",
                        count_words(written.len(), "value", "values"),
                        count_words(outputs.len(), "output", "outputs")
                    ),
                    "wrong number of values",
                )
                .with_help("after `=>`, give one value per output, in the order of `outputs`"),
            );
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (lit, o) in written.iter().zip(outputs) {
            match self.output_value(lit, *o) {
                Some(v) => out.push(v),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    pub(in crate::check) fn output_value(&mut self, lit: &Literal, output: usize) -> Option<Value> {
        let info = self.model.outputs.get(output)?;
        let (name, kind, min, max) = (
            info.decl.name.node.clone(),
            info.kind.clone(),
            info.min,
            info.max,
        );
        let ty = info.ty(output);
        let wrong = |this: &mut Self, found: &str| {
            let expected = this.model.describe_type(ty);
            this.report(
                type_mismatch(
                    lit.span(),
                    &expected,
                    found,
                    &format!("a value of `{name}`"),
                )
                .with_code(Code::OutputValue),
            );
            None
        };
        match (&kind, lit) {
            (ValueKind::Bool, Literal::Bool(b)) => Some(Value::Bool(b.node)),
            (ValueKind::Text, Literal::Text(t)) => Some(Value::Text(t.node.clone())),
            (ValueKind::Enum(_), Literal::Name(_) | Literal::Text(_)) => {
                match self.member_literal(ty, lit) {
                    Lookup::Found(m) => Some(Value::Member(m)),
                    Lookup::Reported | Lookup::NotWritten => None,
                }
            }
            (k, Literal::Number(_) | Literal::Name(_)) if k.is_numeric() => {
                let value = match lit {
                    Literal::Number(n) => n.node,
                    Literal::Name(n) => self.bound(&ast::Bound::Param(n.clone()))?,
                    _ => return None,
                };
                let outside = min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m);
                let fraction = k.is_whole() && value.fract() != Decimal::ZERO;
                let negative = *k == ValueKind::Count && value < Decimal::ZERO;
                if outside || fraction || negative {
                    let why = if outside {
                        format!(
                            "{} is outside the range of `{name}`, {} to {}",
                            value.normalize(),
                            min.map_or("…".to_string(), |m| m.normalize().to_string()),
                            max.map_or("…".to_string(), |m| m.normalize().to_string())
                        )
                    } else if fraction {
                        format!(
                            "`{name}` is a whole number, but this is {}",
                            value.normalize()
                        )
                    } else {
                        format!("`{name}` is a count, which cannot be negative")
                    };
                    self.report(
                        CheckError::new(Code::OutputValue, lit.span(), why, "does not fit")
                            .with_secondary(self.output_span(output), "the output is declared here")
                            .with_help("write a value the output can hold, or change its type"),
                    );
                    return None;
                }
                Some(Value::Number(value))
            }
            (_, other) => wrong(self, literal_kind(other)),
        }
    }

    fn output_span(&self, output: usize) -> Span {
        self.model
            .outputs
            .get(output)
            .map_or(Span::default(), |o| o.decl.ty.span)
    }
}

fn literal_kind(lit: &Literal) -> &'static str {
    match lit {
        Literal::Number(_) => "a number",
        Literal::Text(_) => "a text",
        Literal::Bool(_) => "yes or no",
        Literal::Name(_) => "a name",
    }
}

pub(super) fn aggregate_word(aggregate: Aggregate) -> &'static str {
    match aggregate {
        Aggregate::Sum => "sum",
        Aggregate::Min => "min",
        Aggregate::Max => "max",
        Aggregate::Count => "count",
    }
}

fn count_words(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn conditions(n: usize) -> String {
    count_words(n, "condition", "conditions")
}

fn inputs_words(n: usize) -> String {
    count_words(n, "input", "inputs")
}
