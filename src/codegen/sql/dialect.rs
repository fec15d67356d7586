//! What differs between the SQL engines: quoting, type names, and the few operations whose exact
//! form each engine needs (exact division, truncation, a decimal's text).
//!
//! Every numeric value has a static scale (see `bounds.rs`). PostgreSQL's `NUMERIC` is exact at
//! any scale, so it needs no casts; DuckDB's and Spark's `DECIMAL(p, s)` have a fixed scale per
//! type, so every operand is cast to the precision and scale the bounds prove, which keeps their
//! type rules from rounding (Spark drops scale past 38 digits) or switching to a double (DuckDB's
//! decimal division returns one): division is done on scaled integers instead.

use rust_decimal::Decimal;

/// A SQL engine's dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    Postgres,
    DuckDb,
    Spark,
}

/// The most digits a `DECIMAL` holds in DuckDB and Spark.
pub const MAX_PRECISION: u32 = 38;

impl Dialect {
    pub const ALL: [Dialect; 3] = [Dialect::Postgres, Dialect::DuckDb, Dialect::Spark];

    /// `postgres`, `duckdb`, `spark`: as `--dialect` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::DuckDb => "duckdb",
            Dialect::Spark => "spark",
        }
    }

    pub fn from_name(name: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.name() == name)
    }

    /// A quoted identifier: any text, safely (a policy's names reach the SQL only this way).
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::Postgres | Dialect::DuckDb => format!("\"{}\"", name.replace('"', "\"\"")),
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
        }
    }

    /// A string literal: any text, safely. PostgreSQL (with its default
    /// `standard_conforming_strings`) and DuckDB double a quote; Spark reads backslash escapes in
    /// literals, so both the backslash and the quote are escaped with one.
    pub fn string(self, text: &str) -> String {
        match self {
            Dialect::Postgres | Dialect::DuckDb => format!("'{}'", text.replace('\'', "''")),
            Dialect::Spark => {
                let mut out = String::with_capacity(text.len() + 2);
                out.push('\'');
                for c in text.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\'' => out.push_str("\\'"),
                        // Spark's lexer would read a raw newline fine, but an escaped one keeps
                        // every literal on one line of the generated file.
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\t' => out.push_str("\\t"),
                        c => out.push(c),
                    }
                }
                out.push('\'');
                out
            }
        }
    }

    pub fn text_type(self) -> &'static str {
        match self {
            Dialect::Postgres => "TEXT",
            Dialect::DuckDb => "VARCHAR",
            Dialect::Spark => "STRING",
        }
    }

    /// The type of a number with `digits` integer digits and `scale` decimals.
    pub fn number_type(self, digits: u32, scale: u32) -> String {
        match self {
            Dialect::Postgres => "NUMERIC".to_string(),
            Dialect::DuckDb | Dialect::Spark => {
                let scale = scale.min(MAX_PRECISION);
                let precision = (digits + scale).clamp(1, MAX_PRECISION).max(scale);
                format!("DECIMAL({precision}, {scale})")
            }
        }
    }

    /// `x` as a number of that type (nothing to do in PostgreSQL).
    pub fn cast_number(self, sql: &str, digits: u32, scale: u32) -> String {
        match self {
            Dialect::Postgres => sql.to_string(),
            Dialect::DuckDb | Dialect::Spark => {
                format!("CAST({sql} AS {})", self.number_type(digits, scale))
            }
        }
    }

    /// A decimal constant, typed at its own scale.
    pub fn number(self, value: Decimal) -> String {
        let text = value.to_string();
        match self {
            // A literal with a point is NUMERIC; a plain integer would be an INTEGER, which
            // divides and overflows differently, so it is cast.
            Dialect::Postgres if text.contains('.') => {
                if value.is_sign_negative() {
                    format!("({text})")
                } else {
                    text
                }
            }
            Dialect::Postgres => format!("CAST({text} AS NUMERIC)"),
            Dialect::DuckDb | Dialect::Spark => {
                let digits = super::bounds::integer_digits(value.abs());
                format!(
                    "CAST({} AS {})",
                    self.string(&text),
                    self.number_type(digits, value.scale())
                )
            }
        }
    }

    /// `x` truncated toward zero to a whole number (the value keeps its type's scale).
    pub fn trunc(self, sql: &str) -> String {
        match self {
            Dialect::Postgres | Dialect::DuckDb => format!("trunc({sql})"),
            // Spark has no `trunc` for numbers; `floor` and `ceil` are exact on decimals.
            Dialect::Spark => {
                format!("(CASE WHEN {sql} < 0 THEN ceil({sql}) ELSE floor({sql}) END)")
            }
        }
    }

    /// The text of a number of scale `scale` in its shortest exact form, as `rubric eval` writes
    /// it: no trailing zeros, no exponent, never `-0`. `sql` is read several times: pass a column.
    pub fn number_text(self, sql: &str, scale: u32) -> String {
        match self {
            Dialect::Postgres => format!("CAST(trim_scale({sql}) AS TEXT)"),
            Dialect::DuckDb => {
                // DuckDB writes a DECIMAL with all its scale's digits: strip the zeros, then a
                // point left alone (`2.500` → `2.5`, `3.000` → `3`); a DECIMAL zero has no sign.
                let text = format!("CAST({sql} AS VARCHAR)");
                if scale == 0 {
                    text
                } else {
                    format!("rtrim(rtrim({text}, '0'), '.')")
                }
            }
            Dialect::Spark => {
                // Spark 4 writes a DECIMAL plainly with all its scale's digits, as DuckDB does.
                let text = format!("CAST({sql} AS STRING)");
                if scale == 0 {
                    text
                } else {
                    format!(
                        "(CASE WHEN instr({text}, '.') > 0 THEN regexp_replace({text}, {}, '') ELSE {text} END)",
                        self.string("\\.?0+$")
                    )
                }
            }
        }
    }

    /// A boolean literal (all three engines spell them `TRUE` and `FALSE`).
    pub fn boolean(self, value: bool) -> &'static str {
        if value {
            "TRUE"
        } else {
            "FALSE"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_texts_are_quoted_for_each_dialect() {
        assert_eq!(Dialect::Postgres.ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(Dialect::Spark.ident("a`b"), "`a``b`");
        assert_eq!(Dialect::DuckDb.string("it's"), "'it''s'");
        assert_eq!(Dialect::Spark.string("it's \\ \n"), "'it\\'s \\\\ \\n'");
    }
}
