//! The generated query as a program of named columns, each a SQL expression over the record's
//! columns and earlier ones, laid out in layers: a column is computed in the first layer after
//! every column it reads. Each layer is one `SELECT *, … FROM` the layer before it in a `WITH`
//! chain, which keeps every expression small (a value read twice, such as a division's operands,
//! is a column rather than a copy of its expression) and lets each engine's optimizer fuse them.

use super::bounds::Num;
use super::dialect::Dialect;

/// A value's SQL type as the generator tracks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Num(Num),
    Bool,
    /// Texts, and a table's list outputs (by name, as the IR holds them).
    Text,
    /// An indicator's list member or a tier, by index (as the IR compares them).
    Index,
}

/// A SQL expression and what it reads.
#[derive(Clone, Debug)]
pub struct Sql {
    pub text: String,
    /// The layer of the latest column it reads (0: only the record's).
    pub layer: usize,
}

impl Sql {
    pub fn new(text: impl Into<String>, layer: usize) -> Sql {
        Sql {
            text: text.into(),
            layer,
        }
    }

    /// A constant.
    pub fn lit(text: impl Into<String>) -> Sql {
        Sql::new(text, 0)
    }

    /// An expression over several others: their latest layer.
    pub fn over(text: impl Into<String>, parts: &[&Sql]) -> Sql {
        Sql::new(text, parts.iter().map(|p| p.layer).max().unwrap_or(0))
    }
}

/// A typed value.
#[derive(Clone, Debug)]
pub struct Val {
    pub sql: Sql,
    pub ty: Ty,
}

impl Val {
    pub fn num(&self) -> Num {
        match self.ty {
            Ty::Num(n) => n,
            _ => Num::whole(None),
        }
    }
}

/// One computed column.
#[derive(Clone, Debug)]
struct Column {
    name: String,
    sql: String,
    comment: Option<String>,
}

/// The columns of the query, by layer.
pub struct Program {
    pub dialect: Dialect,
    /// Layer 0 is the record's columns (the input table's, renamed); later layers compute.
    layers: Vec<Vec<Column>>,
    /// Columns named so far, for unique names.
    count: usize,
}

impl Program {
    pub fn new(dialect: Dialect) -> Program {
        Program {
            dialect,
            layers: vec![Vec::new()],
            count: 0,
        }
    }

    /// A fresh column name: a number (unique even where an engine ignores case) and a hint of
    /// what it holds, in plain letters.
    fn fresh(&mut self, hint: &str) -> String {
        self.count += 1;
        let mut name = format!("c{}_", self.count);
        for c in hint.chars().take(40) {
            if c.is_ascii_alphanumeric() {
                name.push(c.to_ascii_lowercase());
            } else if !name.ends_with('_') {
                name.push('_');
            }
        }
        name.trim_end_matches('_').to_string()
    }

    /// Computes `sql` into a new column (in the layer after what it reads); returns the column.
    /// `comment` says what it is, in the generated SQL.
    pub fn bind(&mut self, sql: &Sql, hint: &str, comment: Option<String>) -> Sql {
        let name = self.fresh(hint);
        let layer = sql.layer + 1;
        while self.layers.len() <= layer {
            self.layers.push(Vec::new());
        }
        if let Some(columns) = self.layers.get_mut(layer) {
            columns.push(Column {
                name: name.clone(),
                sql: sql.text.clone(),
                comment,
            });
        }
        Sql::new(self.dialect.ident(&name), layer)
    }

    /// [`Program::bind`] unless `sql` is already a column or a constant.
    pub fn share(&mut self, sql: &Sql, hint: &str) -> Sql {
        if is_simple(&sql.text) {
            sql.clone()
        } else {
            self.bind(sql, hint, None)
        }
    }

    /// A column of the record's layer: `sql` over the input table's columns.
    pub fn source(&mut self, sql: &str, hint: &str, comment: Option<String>) -> Sql {
        let name = self.fresh(hint);
        if let Some(columns) = self.layers.first_mut() {
            columns.push(Column {
                name: name.clone(),
                sql: sql.to_string(),
                comment,
            });
        }
        Sql::new(self.dialect.ident(&name), 0)
    }

    /// The `WITH` chain: `layer0 AS (SELECT … FROM table), layer1 AS (SELECT *, … FROM
    /// layer0), …`, and the name of the last layer.
    pub fn render(&self, table: &str) -> (String, String) {
        let d = self.dialect;
        let mut out = String::from("WITH\n");
        let mut previous = String::new();
        for (k, columns) in self.layers.iter().enumerate() {
            let name = d.ident(&format!("layer{k}"));
            if k > 0 {
                out.push_str(",\n");
            }
            out.push_str(&format!("{name} AS (\n  SELECT"));
            let mut first = true;
            if k > 0 {
                out.push_str("\n    *");
                first = false;
            }
            for column in columns {
                if !first {
                    out.push(',');
                }
                first = false;
                if let Some(comment) = &column.comment {
                    for line in comment.lines() {
                        out.push_str(&format!("\n    -- {}", sql_comment(line)));
                    }
                }
                out.push_str(&format!(
                    "\n    {} AS {}",
                    column.sql,
                    d.ident(&column.name)
                ));
            }
            if first {
                // An empty layer (nothing computed at this depth) still selects something.
                out.push_str("\n    *");
            }
            let from = if k == 0 {
                table.to_string()
            } else {
                previous.clone()
            };
            out.push_str(&format!("\n  FROM {from}"));
            if d == Dialect::Postgres && k > 0 {
                // PostgreSQL would otherwise inline each layer into the next, copying a column's
                // expression into every place that reads it: the query would grow exponentially
                // with its depth. `OFFSET 0` keeps the layers apart (nothing is materialised).
                out.push_str("\n  OFFSET 0");
            }
            out.push_str("\n)");
            previous = name;
        }
        (out, previous)
    }

    /// The number of the last layer.
    pub fn depth(&self) -> usize {
        self.layers.len().saturating_sub(1)
    }
}

/// A comment's text with nothing that could end it or start SQL: a comment runs to the end of
/// its line, so only line breaks matter.
pub fn sql_comment(line: &str) -> String {
    let mut text = line.replace(['\n', '\r', '\u{2028}', '\u{2029}'], " ");
    // Spark continues a `--` comment after a backslash at the end of its line.
    if text.ends_with('\\') {
        text.push(' ');
    }
    text
}

/// Whether an expression is a quoted column, a plain literal or `NULL` (nothing to compute
/// twice).
fn is_simple(text: &str) -> bool {
    let quoted = |open: char| {
        text.starts_with(open) && text.ends_with(open) && text.matches(open).count() == 2
    };
    quoted('"') || quoted('`') || text == "NULL" || text == "TRUE" || text == "FALSE"
}
