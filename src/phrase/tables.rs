//! Decision tables in words: what a table decides from what, its hit policy as a rule a reviewer
//! can apply by hand, and each row's conditions and values.

use super::{humanise, Phraser};
use crate::check::{Resolved, ValueKind};
use crate::syntax::ast::{Aggregate, Cell, HitPolicy, Literal, TableItem, TableRow};
use crate::text::{join_and, join_or};

impl Phraser<'_, '_> {
    /// A table as a reader knows it: its title in quotes, or its humanised name.
    pub fn table_label(&self, index: usize) -> String {
        match self.model.tables.get(index) {
            Some(t) => super::quoted_label(&t.decl.name, t.decl.title.as_ref()),
            None => "a decision table".to_string(),
        }
    }

    fn output_names(&self, index: usize) -> Vec<String> {
        self.model
            .tables
            .get(index)
            .map(|t| {
                t.outputs
                    .iter()
                    .filter_map(|o| self.model.outputs.get(*o))
                    .map(|o| humanise(&o.decl.name.node))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// "The table decides the category and the limit from whether an existing customer and the
    /// risk score."
    pub fn table_sentence(&self, index: usize) -> String {
        let Some(table) = self.model.tables.get(index) else {
            return String::new();
        };
        let inputs: Vec<String> = table.inputs.iter().map(|i| humanise(&i.name)).collect();
        let outputs: Vec<String> = self
            .output_names(index)
            .iter()
            .map(|o| format!("the {o}"))
            .collect();
        format!(
            "This table decides {} from {}.",
            join_and(&outputs),
            join_and(&inputs)
        )
    }

    /// The hit policy as a rule to apply by hand, with what happens when no row matches.
    pub fn hit_words(&self, index: usize) -> String {
        let Some(table) = self.model.tables.get(index) else {
            return String::new();
        };
        let outputs = self.output_names(index);
        let first = outputs.first().cloned().unwrap_or_default();
        let rule = match table.hit {
            HitPolicy::Unique => "Unique: at most one row matches any case (the checker proved that no two rows overlap), so the order of the rows does not matter.".to_string(),
            HitPolicy::First => "First: the rows are read from the top, and the first row that matches decides.".to_string(),
            HitPolicy::Any => "Any: rows may overlap only where they give the same result (the checker proved it), so any matching row decides.".to_string(),
            HitPolicy::Priority => {
                let order = table
                    .outputs
                    .first()
                    .and_then(|o| self.model.outputs.get(*o))
                    .map(|o| match &o.kind {
                        ValueKind::Enum(m) => {
                            let names: Vec<String> = m.iter().map(|m| humanise(m)).collect();
                            names.join(", then ")
                        }
                        _ => String::new(),
                    })
                    .unwrap_or_default();
                let lists = table
                    .outputs
                    .iter()
                    .filter_map(|o| self.model.outputs.get(*o))
                    .filter(|o| matches!(o.kind, ValueKind::Enum(_)))
                    .count();
                let ties = if lists > 1 {
                    "the next output that is a list decides, then the row written first"
                } else {
                    "the row written first decides"
                };
                format!("Priority: of the rows that match, the one with the highest {first} decides, in this order: {order} (between rows of the same {first}, {ties}).")
            }
            HitPolicy::Collect(a) => {
                let how = match a {
                    Aggregate::Sum => format!("the {first} is the sum of their values"),
                    Aggregate::Min => format!("the {first} is the smallest of their values"),
                    Aggregate::Max => format!("the {first} is the largest of their values"),
                    Aggregate::Count => format!("the {first} is how many rows match"),
                };
                format!("Collect: every row that matches counts, and {how}.")
            }
        };
        let none = match (&table.default, table.hit) {
            (Some(_), _) => {
                let values: Vec<String> = table
                    .decl
                    .items
                    .iter()
                    .find_map(|i| match &i.node {
                        TableItem::Default(v) => Some(v.iter().map(|l| self.literal(l)).collect()),
                        _ => None,
                    })
                    .unwrap_or_default();
                let pairs: Vec<String> = outputs
                    .iter()
                    .zip(&values)
                    .map(|(o, v)| format!("the {o} is {v}"))
                    .collect();
                format!(" When no row matches, {}.", join_and(&pairs))
            }
            (None, HitPolicy::Collect(Aggregate::Sum | Aggregate::Count)) => {
                format!(" When no row matches, the {first} is 0.")
            }
            (None, _) => {
                " Every case with known values matches a row (the checker proved it).".to_string()
            }
        };
        format!("{rule}{none}")
    }

    /// One row's cells, in words, in the order of the inputs.
    pub fn row_cells(&self, index: usize, row: &TableRow) -> Vec<String> {
        let units: Vec<Option<String>> = self
            .model
            .tables
            .get(index)
            .map(|t| {
                t.inputs
                    .iter()
                    .map(|i| self.source_unit(i.source))
                    .collect()
            })
            .unwrap_or_default();
        row.cells
            .iter()
            .enumerate()
            .map(|(c, cell)| match &cell.node {
                Cell::Any => "any".to_string(),
                Cell::Missing => "not known".to_string(),
                Cell::Values(values) => {
                    let unit = units.get(c).cloned().flatten();
                    let parts: Vec<String> = values
                        .iter()
                        .map(|v| self.interval(&v.node, unit.as_deref(), false))
                        .collect();
                    join_or(&parts)
                }
            })
            .collect()
    }

    /// A value a row gives.
    pub fn row_value(&self, value: &Literal) -> String {
        self.literal(value)
    }

    fn source_unit(&self, source: Resolved) -> Option<String> {
        match source {
            Resolved::Indicator(i) => self.model.indicators.get(i).and_then(|x| x.unit.clone()),
            _ => None,
        }
    }
}
