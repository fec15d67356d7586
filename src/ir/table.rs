//! Decision tables in the IR: inputs as references, rows of patterns (the scorecard bins'
//! patterns, plus "any" and "missing"), values per output, and the order to try the rows in.
//!
//! An output that is a list member is held as its name (`Value::Text`): the checker has proven
//! every member written, so a name compares exactly as an index would, and every backend reads and
//! writes it as text.

use super::{Pattern, Ref, Value};

/// A decision table ready to evaluate.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub name: String,
    pub title: Option<String>,
    pub docs: Vec<String>,
    pub hit: Hit,
    pub inputs: Vec<Ref>,
    /// The table's outputs, by index into [`super::Policy::outputs`].
    pub outputs: Vec<usize>,
    pub rows: Vec<Row>,
    /// The values when no row matches (`otherwise => …`).
    pub default: Option<Vec<Value>>,
    /// The rows in the order to try them: as written, except that a `priority` table tries them
    /// by the rank of their first output in its list (ties as written). For every single-hit
    /// policy the first matching row in this order decides: `unique` and `any` tables were proven
    /// to have no conflicting overlap.
    pub order: Vec<usize>,
}

/// DMN's hit policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    Unique,
    First,
    Priority,
    Any,
    Collect(Aggregate),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregate {
    Sum,
    Min,
    Max,
    Count,
}

impl Hit {
    /// Whether every matching row counts (else the first in [`Table::order`] decides).
    pub fn collects(self) -> Option<Aggregate> {
        match self {
            Hit::Collect(a) => Some(a),
            _ => None,
        }
    }

    /// The hit policy as written in the policy.
    pub fn word(self) -> &'static str {
        match self {
            Hit::Unique => "unique",
            Hit::First => "first",
            Hit::Priority => "priority",
            Hit::Any => "any",
            Hit::Collect(Aggregate::Sum) => "collect sum",
            Hit::Collect(Aggregate::Min) => "collect min",
            Hit::Collect(Aggregate::Max) => "collect max",
            Hit::Collect(Aggregate::Count) => "collect count",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// One per input.
    pub cells: Vec<Cell>,
    /// One per output (none in a `collect count` table).
    pub values: Vec<Value>,
}

/// What a row requires of one input.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Any value, known or not.
    Any,
    /// Only an unknown value.
    Missing,
    /// A known value matching one of these; an unknown value makes the row unknown.
    Patterns(Vec<Pattern>),
}

/// A table's output, readable by name (`Ref::Output`).
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    pub name: String,
    pub table: usize,
    pub kind: OutputKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum OutputKind {
    Number,
    Bool,
    Text,
    /// A member of this list, held as its name.
    List(Vec<String>),
}

/// One step of computing the values before the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Derived value, by index into [`super::Policy::lets`].
    Let(usize),
    /// Table, by index into [`super::Policy::tables`]: all its outputs at once.
    Table(usize),
}
