//! The input table: one row per record, with its position (`record`), its `id` and one column
//! per indicator; the validation `rubric eval` does (whole numbers, ranges, list members,
//! required fields, in its order and with its messages) and the missing-value rules.
//!
//! The engine's loader has already checked each column's type (a text in a number column stops
//! the load, as it would be a `wrong_type` record); what a typed column can still hold that the
//! policy rejects is checked here. As in `rubric eval`'s CSV reading, an empty text is absent.

use super::bounds::Num;
use super::dialect::Dialect;
use super::program::{Sql, Ty, Val};
use super::{Gen, Options, R};
use crate::ir::{Input, InputKind, Missing, Policy};

/// The record's own columns and its validation error, if any.
pub struct Source {
    pub record: Sql,
    pub id: Sql,
    /// `(kind, field, message)` texts, `NULL` when the record is valid.
    pub error: Option<[Sql; 3]>,
    /// The indicators whose invalid values mean missing, each with the condition that the
    /// record's value was such a value (decisions list them, as `rubric eval`'s do).
    pub forgiven: Vec<(String, Sql)>,
}

/// A problem a record can have: when, its kind, the field, the message (a SQL text).
type Problem = (Sql, &'static str, String, Sql);

/// A column's SQL type in the input table.
fn column_type(d: Dialect, input: &Input, decimals: u32) -> String {
    match &input.kind {
        InputKind::Bool => "BOOLEAN".to_string(),
        // A whole number's column takes decimals too, so that `2.5` reaches the check and is
        // reported as `rubric eval` reports it, rather than rounded by the loader.
        InputKind::Whole | InputKind::Decimal => d.number_type(super::bounds::MAX_DIGITS, decimals),
        InputKind::Enum(_) | InputKind::Text => d.text_type().to_string(),
    }
}

/// The input table's own columns, which no indicator may be named (Spark compares names
/// without case).
const OWN_COLUMNS: [&str; 2] = ["record", "id"];

/// An indicator named like one of the input table's own columns cannot have a column.
pub fn check_columns(policy: &Policy) -> R<()> {
    match policy
        .inputs
        .iter()
        .find(|i| OWN_COLUMNS.iter().any(|c| i.name.eq_ignore_ascii_case(c)))
    {
        Some(input) => Err(super::CodegenError::Unsupported(format!(
            "the indicator `{}` would have the same column as the input table's `record` or `id`",
            input.name
        ))),
        None => Ok(()),
    }
}

/// `CREATE TABLE` for the input table.
pub fn input_ddl(policy: &Policy, options: &Options) -> R<String> {
    check_columns(policy)?;
    let d = options.dialect;
    let mut out = String::new();
    out.push_str(&format!(
        "-- The input table of the policy \"{}\" {}: one row per record.\n",
        super::program::sql_comment(&policy.identity.name),
        super::program::sql_comment(&policy.identity.version)
    ));
    out.push_str("-- `record` is the record's position (1, 2, …), written in every decision; `id` is optional.\n");
    out.push_str("-- `rubric gen --format csv --record-numbers` writes records in this layout.\n");
    let mut columns = vec![
        format!("{} BIGINT NOT NULL", d.ident("record")),
        format!("{} {}", d.ident("id"), d.text_type()),
    ];
    for input in &policy.inputs {
        columns.push(format!(
            "{} {}",
            d.ident(&input.name),
            column_type(d, input, options.input_decimals)
        ));
    }
    out.push_str(&format!(
        "CREATE TABLE {} (\n  {}\n)",
        options.table,
        columns.join(",\n  ")
    ));
    if d == Dialect::Spark {
        out.push_str(" USING csv OPTIONS (header 'true')");
    }
    out.push_str(";\n");
    Ok(out)
}

impl Gen<'_> {
    /// The record's layer: the input table's columns, validated.
    pub fn record(&mut self) -> R<Source> {
        let d = self.p.dialect;
        let record = self.p.source(&d.ident("record"), "record", None);
        let id = self.p.source(
            &format!("NULLIF({}, '')", d.ident("id")),
            "id",
            Some("the record's id; an empty one is none".into()),
        );
        // Per indicator: its column as loaded (texts: empty is absent).
        let mut raws = Vec::new();
        for input in self.policy.inputs.iter() {
            let column = d.ident(&input.name);
            let sql = match input.kind {
                InputKind::Enum(_) | InputKind::Text => format!("NULLIF({column}, '')"),
                _ => column,
            };
            let mut docs = vec![format!("indicator `{}` as loaded", input.name)];
            docs.extend(input.docs.iter().cloned());
            raws.push(self.p.source(&sql, &input.name, Some(docs.join("\n"))));
        }
        // The problems a loaded value can have, in the order `rubric eval` checks them.
        let mut problems: Vec<Problem> = Vec::new();
        let mut values = Vec::new();
        let mut forgiven_inputs = Vec::new();
        for (input, raw) in self.policy.inputs.iter().zip(&raws) {
            let forgiven = self.invalid(input, raw, &mut problems);
            if let Some(f) = &forgiven {
                forgiven_inputs.push((input.name.clone(), f.clone()));
            }
            let absent = match forgiven {
                Some(f) => format!("({} IS NULL OR {})", raw.text, f.text),
                None => format!("{} IS NULL", raw.text),
            };
            let value = self.validated(input, raw, &absent)?;
            if matches!(input.missing, Missing::Required) {
                problems.push((
                    Sql::new(absent.clone(), 0),
                    "missing_field",
                    input.name.clone(),
                    Sql::lit(d.string(&format!("the required field `{}` is missing", input.name))),
                ));
            }
            values.push(value);
        }
        // Invalid values first (in column order), then missing ones: as `rubric eval` reads.
        problems.sort_by_key(|(_, kind, _, _)| *kind == "missing_field");
        self.inputs = values;
        let error = if problems.is_empty() {
            None
        } else {
            let mut which = String::from("(CASE");
            for (k, (condition, _, _, _)) in problems.iter().enumerate() {
                which.push_str(&format!(" WHEN {} THEN {}", condition.text, k + 1));
            }
            which.push_str(" END)");
            let which = self.p.bind(
                &Sql::new(which, 0),
                "problem",
                Some("the first problem of the record, if any (by number, below)".into()),
            );
            let pick = |part: &dyn Fn(&Problem) -> String| {
                let mut text = format!("(CASE {}", which.text);
                for (k, problem) in problems.iter().enumerate() {
                    text.push_str(&format!(" WHEN {} THEN {}", k + 1, part(problem)));
                }
                text.push_str(" END)");
                Sql::over(text, &[&which])
            };
            let kind = pick(&|(_, kind, _, _)| d.string(kind));
            let field = pick(&|(_, _, field, _)| d.string(field));
            let message = pick(&|(_, _, _, message)| message.text.clone());
            Some([kind, field, message])
        };
        Ok(Source {
            record,
            id,
            error,
            forgiven: forgiven_inputs,
        })
    }

    /// Adds the checks of one loaded value to `problems`; for an indicator whose invalid values
    /// mean missing, returns instead the condition that the value is invalid that way.
    fn invalid(&self, input: &Input, raw: &Sql, problems: &mut Vec<Problem>) -> Option<Sql> {
        let d = self.p.dialect;
        let decimals = match input.kind {
            InputKind::Whole | InputKind::Decimal => self.options.input_decimals,
            _ => 0,
        };
        let text = || d.number_text(&raw.text, decimals);
        let mut checks: Vec<(String, &'static str, String)> = Vec::new();
        match &input.kind {
            InputKind::Whole => checks.push((
                format!("{} <> {}", raw.text, d.trunc(&raw.text)),
                "wrong_type",
                concat(d, &[&d.string("expected a whole number, found "), &text()]),
            )),
            InputKind::Enum(members) => {
                let list: Vec<String> = members.iter().map(|m| d.string(m)).collect();
                let names: Vec<String> = members.iter().map(|m| format!("`{m}`")).collect();
                checks.push((
                    format!("{} NOT IN ({})", raw.text, list.join(", ")),
                    "unknown_member",
                    concat(
                        d,
                        &[
                            &output_json_string(d, &raw.text),
                            &d.string(&format!(" is not one of {}", join_or(&names))),
                        ],
                    ),
                ))
            }
            _ => {}
        }
        if matches!(input.kind, InputKind::Whole | InputKind::Decimal) {
            if let Some(min) = input.min {
                checks.push((
                    format!("{} < {}", raw.text, d.number(min)),
                    "out_of_range",
                    concat(
                        d,
                        &[&text(), &d.string(&format!(" is below the minimum {min}"))],
                    ),
                ));
            }
            if let Some(max) = input.max {
                checks.push((
                    format!("{} > {}", raw.text, d.number(max)),
                    "out_of_range",
                    concat(
                        d,
                        &[&text(), &d.string(&format!(" is above the maximum {max}"))],
                    ),
                ));
            }
        }
        let mut forgiven = Vec::new();
        for (condition, kind, message) in checks {
            let condition = format!("({condition})");
            if input.invalid_as_missing && kind != "wrong_type" {
                forgiven.push(condition);
            } else {
                problems.push((
                    Sql::new(condition, 0),
                    kind,
                    input.name.clone(),
                    Sql::lit(message),
                ));
            }
        }
        (!forgiven.is_empty()).then(|| Sql::new(format!("({})", forgiven.join(" OR ")), 0))
    }

    /// The indicator's value once its missing-value rule is applied.
    fn validated(&mut self, input: &Input, raw: &Sql, absent: &str) -> R<Val> {
        let d = self.p.dialect;
        let ty = match &input.kind {
            InputKind::Bool => Ty::Bool,
            InputKind::Whole => Ty::Num(Num::whole(bound(input))),
            InputKind::Decimal => Ty::Num(Num {
                // PostgreSQL's NUMERIC keeps whatever decimals the value has; the static scale is
                // what the bounds assume (it decides which checks are written, never a value).
                scale: self.options.input_decimals,
                bound: bound(input),
            }),
            InputKind::Enum(_) => Ty::Index,
            InputKind::Text => Ty::Text,
        };
        let loaded = match &input.kind {
            InputKind::Enum(members) => {
                let mut text = format!("(CASE {}", raw.text);
                for (k, m) in members.iter().enumerate() {
                    text.push_str(&format!(" WHEN {} THEN {k}", d.string(m)));
                }
                text.push_str(" END)");
                text
            }
            InputKind::Whole | InputKind::Decimal => match ty {
                // Cast to the declared range's type only when in that range (DuckDB and Spark
                // fail the whole query on a cast out of range; such a record is rejected anyway).
                Ty::Num(num) if d != Dialect::Postgres && num.bound.is_some() => {
                    let mut tests = Vec::new();
                    if let Some(min) = input.min {
                        tests.push(format!("{} >= {}", raw.text, d.number(min)));
                    }
                    if let Some(max) = input.max {
                        tests.push(format!("{} <= {}", raw.text, d.number(max)));
                    }
                    format!(
                        "(CASE WHEN {} THEN {} END)",
                        tests.join(" AND "),
                        super::numeric::typed(d, &raw.text, num)
                    )
                }
                Ty::Num(num) => super::numeric::typed(d, &raw.text, num),
                _ => raw.text.clone(),
            },
            _ => raw.text.clone(),
        };
        let otherwise = match &input.missing {
            Missing::Default(v) => {
                let c = self.constant(v);
                match ty {
                    Ty::Num(num) => super::numeric::typed(d, &c.sql.text, num),
                    _ => c.sql.text,
                }
            }
            Missing::Unknown | Missing::Required => "NULL".to_string(),
        };
        let sql = Sql::new(
            format!("(CASE WHEN {absent} THEN {otherwise} ELSE {loaded} END)"),
            0,
        );
        let mut docs = vec![format!("indicator `{}`", input.name)];
        if let Missing::Default(_) = input.missing {
            docs.push("(its default when absent)".into());
        }
        let column = self.p.bind(&sql, &input.name, Some(docs.join(" ")));
        Ok(Val { sql: column, ty })
    }
}

/// The magnitude an indicator's declared range bounds.
fn bound(input: &Input) -> Option<rust_decimal::Decimal> {
    match (input.min, input.max) {
        (Some(lo), Some(hi)) => Some(lo.abs().max(hi.abs())),
        _ => None,
    }
}

/// Texts joined (every part known).
pub fn concat(d: Dialect, parts: &[&str]) -> String {
    match d {
        Dialect::Postgres | Dialect::DuckDb => format!("({})", parts.join(" || ")),
        Dialect::Spark => format!("concat({})", parts.join(", ")),
    }
}

/// `concat_ws(separator, …)` of items that are `NULL` when absent (`''` for none), in chunks:
/// PostgreSQL takes at most 100 arguments.
pub fn join_present(separator: &str, items: &[String]) -> String {
    if items.is_empty() {
        return "''".to_string();
    }
    let join = |parts: &[String]| format!("concat_ws('{separator}', {})", parts.join(", "));
    let chunks: Vec<String> = items.chunks(90).map(join).collect();
    if chunks.len() == 1 {
        return chunks.concat();
    }
    let nonempty: Vec<String> = chunks.iter().map(|c| format!("NULLIF({c}, '')")).collect();
    join(&nonempty)
}

/// A text as a JSON string literal, escaped as `rubric eval` escapes it (serde_json's rules:
/// `"` and `\`, the short escapes for five control characters, `\u00XX` for the others).
pub fn output_json_string(d: Dialect, sql: &str) -> String {
    let mut text = format!("replace({sql}, {}, {})", d.string("\\"), d.string("\\\\"));
    text = format!("replace({text}, {}, {})", d.string("\""), d.string("\\\""));
    for c in 1u32..0x20 {
        let escaped = match c {
            0x08 => "\\b".to_string(),
            0x0c => "\\f".to_string(),
            0x0a => "\\n".to_string(),
            0x0d => "\\r".to_string(),
            0x09 => "\\t".to_string(),
            _ => format!("\\u{c:04x}"),
        };
        text = format!("replace({text}, chr({c}), {})", d.string(&escaped));
    }
    concat(d, &[&d.string("\""), &text, &d.string("\"")])
}

/// "a", "a or b", "a, b or c" (as `runtime::fields` words it).
fn join_or(words: &[String]) -> String {
    match words {
        [] => "something else".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}
