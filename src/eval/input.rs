//! Records: a JSON line or CSV row validated against the indicator declarations, with the
//! missing-value rules applied. Nothing is coerced: a value of the wrong type, out of its range, or
//! not among an enum's members rejects the record with the field and the reason.

use super::error::{Problem, RecordError};
use super::jsonl::{self, Raw};
use crate::ir::{Input, InputKind, Missing, Policy, Value};
use rust_decimal::Decimal;

/// A validated record: each input's value by index (`None` where the value is unknown).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    pub values: Vec<Option<Value>>,
    /// The record's identifier field, as text, if it had one.
    pub id: Option<String>,
}

/// Where a record sits in its input, for error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub record: u64,
    pub line: u64,
}

/// A field-level problem before it is tied to a record.
type FieldError = (Problem, String);

/// Reads records for one policy. Field names are matched exactly; fields the policy does not
/// declare are ignored (except the id field).
pub struct RecordReader<'p> {
    policy: &'p Policy,
    id_field: String,
}

impl<'p> RecordReader<'p> {
    pub fn new(policy: &'p Policy, id_field: impl Into<String>) -> Self {
        RecordReader {
            policy,
            id_field: id_field.into(),
        }
    }

    fn input_index(&self, name: &str) -> Option<usize> {
        // Policies have few indicators; comparing lengths first makes a linear scan the fastest
        // lookup here.
        self.policy
            .inputs
            .iter()
            .position(|i| i.name.len() == name.len() && i.name == name)
    }

    /// Parses and validates one JSON line into `record` (whose buffers are reused).
    pub fn json(&self, line: &[u8], at: Position, record: &mut Record) -> Result<(), RecordError> {
        record.values.clear();
        record.values.resize(self.policy.inputs.len(), None);
        record.id = None;
        let text = std::str::from_utf8(line).map_err(|e| {
            self.error(
                at,
                None,
                None,
                Problem::InvalidUtf8,
                format!("the line is not valid UTF-8 (byte {})", e.valid_up_to() + 1),
            )
        })?;
        let mut seen = vec![false; self.policy.inputs.len()];
        let mut failure: Option<(Option<String>, FieldError)> = None;
        let scanned = jsonl::scan(text, |key, raw| {
            if key == self.id_field {
                record.id = match raw {
                    Raw::Text(t) => Some(t.into_owned()),
                    Raw::Number(n) => Some(n.to_string()),
                    _ => None,
                };
                return Ok(());
            }
            let Some(index) = self.input_index(key) else {
                return Ok(());
            };
            if seen
                .get_mut(index)
                .is_some_and(|s| std::mem::replace(s, true))
            {
                return Err(format!("the field `{key}` appears twice"));
            }
            if failure.is_some() {
                return Ok(());
            }
            let Some(input) = self.policy.inputs.get(index) else {
                return Ok(());
            };
            match from_json(input, raw) {
                Ok(Some(value)) => {
                    if let Some(slot) = record.values.get_mut(index) {
                        *slot = Some(value);
                    }
                }
                Ok(None) => {
                    if let Some(s) = seen.get_mut(index) {
                        *s = false; // `null` is the same as absent
                    }
                }
                Err(e) => failure = Some((Some(key.to_string()), e)),
            }
            Ok(())
        });
        if let Err(e) = scanned {
            let message = format!("malformed JSON at column {}: {}", e.offset + 1, e.message);
            return Err(self.error(
                at,
                record.id.clone(),
                None,
                Problem::MalformedRecord,
                message,
            ));
        }
        if let Some((field, (problem, message))) = failure {
            return Err(self.error(at, record.id.clone(), field, problem, message));
        }
        self.fill_missing(&seen, at, record)
    }

    /// Validates one CSV row. `header` maps each column to an input (or the id field).
    pub fn csv(
        &self,
        columns: &CsvColumns,
        row: &csv::ByteRecord,
        at: Position,
        record: &mut Record,
    ) -> Result<(), RecordError> {
        record.values.clear();
        record.values.resize(self.policy.inputs.len(), None);
        record.id = None;
        let mut seen = vec![false; self.policy.inputs.len()];
        if let Some(id) = columns.id.and_then(|c| row.get(c)) {
            let id = std::str::from_utf8(id).map_err(|_| {
                self.error(
                    at,
                    None,
                    Some(self.id_field.clone()),
                    Problem::InvalidUtf8,
                    "the id is not valid UTF-8".into(),
                )
            })?;
            if !id.is_empty() {
                record.id = Some(id.to_string());
            }
        }
        for (column, index) in columns.inputs.iter().enumerate() {
            let (Some(index), Some(cell)) = (index, row.get(column)) else {
                continue;
            };
            let Some(input) = self.policy.inputs.get(*index) else {
                continue;
            };
            let cell = std::str::from_utf8(cell).map_err(|e| {
                let message = format!(
                    "the value is not valid UTF-8 (byte {})",
                    e.valid_up_to() + 1
                );
                self.error(
                    at,
                    record.id.clone(),
                    Some(input.name.clone()),
                    Problem::InvalidUtf8,
                    message,
                )
            })?;
            if cell.is_empty() {
                continue;
            }
            let value = from_cell(input, cell).map_err(|(problem, message)| {
                self.error(
                    at,
                    record.id.clone(),
                    Some(input.name.clone()),
                    problem,
                    message,
                )
            })?;
            if let (Some(slot), Some(s)) = (record.values.get_mut(*index), seen.get_mut(*index)) {
                *slot = Some(value);
                *s = true;
            }
        }
        self.fill_missing(&seen, at, record)
    }

    /// Applies the missing-value rule of every input the record lacks.
    fn fill_missing(
        &self,
        seen: &[bool],
        at: Position,
        record: &mut Record,
    ) -> Result<(), RecordError> {
        for (index, input) in self.policy.inputs.iter().enumerate() {
            if seen.get(index).copied().unwrap_or(false) {
                continue;
            }
            match &input.missing {
                Missing::Required => {
                    let message = format!("the required field `{}` is missing", input.name);
                    return Err(self.error(
                        at,
                        record.id.clone(),
                        Some(input.name.clone()),
                        Problem::MissingField,
                        message,
                    ));
                }
                Missing::Default(value) => {
                    if let Some(slot) = record.values.get_mut(index) {
                        *slot = Some(value.clone());
                    }
                }
                Missing::Unknown => {}
            }
        }
        Ok(())
    }

    fn error(
        &self,
        at: Position,
        id: Option<String>,
        field: Option<String>,
        error: Problem,
        message: String,
    ) -> RecordError {
        RecordError {
            record: at.record,
            line: at.line,
            id,
            field,
            error,
            message,
        }
    }

    /// Matches a CSV header to the policy's inputs.
    pub fn columns(&self, header: &csv::ByteRecord) -> Result<CsvColumns, String> {
        let mut columns = CsvColumns {
            inputs: Vec::with_capacity(header.len()),
            id: None,
        };
        let mut seen = vec![false; self.policy.inputs.len()];
        for (position, name) in header.iter().enumerate() {
            let name = std::str::from_utf8(name)
                .map_err(|_| format!("column {} of the header is not valid UTF-8", position + 1))?;
            let name = name.trim();
            if name == self.id_field {
                columns.id = Some(position);
                columns.inputs.push(None);
                continue;
            }
            let index = self.input_index(name);
            if let Some(i) = index {
                if seen.get_mut(i).is_some_and(|s| std::mem::replace(s, true)) {
                    return Err(format!("the header names the column `{name}` twice"));
                }
            }
            columns.inputs.push(index);
        }
        Ok(columns)
    }
}

/// Which input each CSV column feeds.
#[derive(Clone, Debug)]
pub struct CsvColumns {
    pub inputs: Vec<Option<usize>>,
    pub id: Option<usize>,
}

/// A JSON value for `input`; `Ok(None)` for `null` (treated as absent).
fn from_json(input: &Input, raw: Raw<'_>) -> Result<Option<Value>, FieldError> {
    let found = |raw: &Raw<'_>| match raw {
        Raw::Null => "null".to_string(),
        Raw::Bool(b) => b.to_string(),
        Raw::Number(n) => format!("the number {n}"),
        Raw::Text(t) => format!("the text {}", quote(t)),
        Raw::Nested => "an object or a list".to_string(),
    };
    Ok(Some(match (&input.kind, raw) {
        (_, Raw::Null) => return Ok(None),
        (InputKind::Bool, Raw::Bool(b)) => Value::Bool(b),
        (InputKind::Whole | InputKind::Decimal, Raw::Number(n)) => Value::Number(number(input, n)?),
        (InputKind::Enum(members), Raw::Text(t)) => Value::Member(member(members, &t)?),
        (InputKind::Text, Raw::Text(t)) => Value::Text(t.into_owned()),
        (kind, raw) => {
            return Err((
                Problem::WrongType,
                format!("expected {}, found {}", expected(kind), found(&raw)),
            ))
        }
    }))
}

/// A CSV cell for `input` (an empty cell never gets here: it means absent).
fn from_cell(input: &Input, cell: &str) -> Result<Value, FieldError> {
    let wrong = || {
        (
            Problem::WrongType,
            format!("expected {}, found {}", expected(&input.kind), quote(cell)),
        )
    };
    Ok(match &input.kind {
        InputKind::Bool => match cell.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" => Value::Bool(true),
            "false" | "no" => Value::Bool(false),
            _ => return Err(wrong()),
        },
        InputKind::Whole | InputKind::Decimal => {
            let text = cell.trim();
            if !looks_numeric(text) {
                return Err(wrong());
            }
            Value::Number(number(input, text)?)
        }
        InputKind::Enum(members) => Value::Member(member(members, cell)?),
        InputKind::Text => Value::Text(cell.to_string()),
    })
}

fn looks_numeric(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && body.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// An exact decimal from a number's text, checked against the input's kind and range.
fn number(input: &Input, text: &str) -> Result<Decimal, FieldError> {
    let parsed = if text.contains(['e', 'E']) {
        Decimal::from_scientific(text)
    } else {
        Decimal::from_str_exact(text)
    };
    let value = parsed.map_err(|_| {
        (
            Problem::Overflow,
            format!(
                "the number {text} cannot be represented exactly (at most 28 significant digits)"
            ),
        )
    })?;
    if input.kind == InputKind::Whole && !value.fract().is_zero() {
        return Err((
            Problem::WrongType,
            format!("expected a whole number, found {text}"),
        ));
    }
    if let Some(min) = input.min.filter(|m| value < *m) {
        return Err((
            Problem::OutOfRange,
            format!("{text} is below the minimum {min}"),
        ));
    }
    if let Some(max) = input.max.filter(|m| value > *m) {
        return Err((
            Problem::OutOfRange,
            format!("{text} is above the maximum {max}"),
        ));
    }
    Ok(value)
}

fn member(members: &[String], text: &str) -> Result<u32, FieldError> {
    members
        .iter()
        .position(|m| m == text)
        .and_then(|i| u32::try_from(i).ok())
        .ok_or_else(|| {
            let list: Vec<String> = members.iter().map(|m| format!("`{m}`")).collect();
            (
                Problem::UnknownMember,
                format!(
                    "{} is not one of {}",
                    quote(text),
                    crate::text::join_or(&list)
                ),
            )
        })
}

fn expected(kind: &InputKind) -> &'static str {
    match kind {
        InputKind::Bool => "true or false",
        InputKind::Whole => "a whole number",
        InputKind::Decimal => "a number",
        InputKind::Enum(_) => "one of the listed values, as a text",
        InputKind::Text => "a text",
    }
}

fn quote(text: &str) -> String {
    let mut out = String::new();
    super::decision::json_string_to(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Identity, Scale};
    use crate::syntax::ast::RoundingMode;

    fn policy() -> Policy {
        let input =
            |name: &str, kind: InputKind, min: Option<i64>, max: Option<i64>, missing: Missing| {
                Input {
                    name: name.into(),
                    docs: Vec::new(),
                    kind,
                    min: min.map(Decimal::from),
                    max: max.map(Decimal::from),
                    missing,
                    protected: false,
                    unit: None,
                }
            };
        Policy {
            identity: Identity {
                name: "t".into(),
                version: "1".into(),
                effective: None,
                content_hash: String::new(),
                overrides: Vec::new(),
            },
            docs: Vec::new(),
            scale: Scale {
                min: Decimal::ZERO,
                max: Decimal::ONE,
                start: Decimal::ZERO,
                decimals: 0,
                rounding: RoundingMode::HalfUp,
            },
            inputs: vec![
                input("n", InputKind::Whole, Some(0), Some(10), Missing::Required),
                input(
                    "d",
                    InputKind::Decimal,
                    None,
                    None,
                    Missing::Default(Value::Number(Decimal::ONE)),
                ),
                input(
                    "e",
                    InputKind::Enum(vec!["a".into(), "b".into()]),
                    None,
                    None,
                    Missing::Unknown,
                ),
                input("b", InputKind::Bool, None, None, Missing::Unknown),
            ],
            lets: vec![],
            rules: vec![],
            tiers: vec![],
            consequences: vec![],
            tests: vec![],
            params: vec![],
        }
    }

    fn read(line: &str) -> Result<Record, RecordError> {
        let p = policy();
        let reader = RecordReader::new(&p, "id");
        let mut record = Record::default();
        reader
            .json(
                line.as_bytes(),
                Position { record: 1, line: 1 },
                &mut record,
            )
            .map(|_| record)
    }

    #[test]
    fn valid_records_apply_missing_rules() {
        let r = read(r#"{"id":"x1","n":3,"e":"b","extra":[1]}"#).unwrap();
        assert_eq!(r.id.as_deref(), Some("x1"));
        assert_eq!(
            r.values,
            vec![
                Some(Value::Number(3.into())),
                Some(Value::Number(Decimal::ONE)),
                Some(Value::Member(1)),
                None
            ]
        );
    }

    #[test]
    fn every_kind_of_bad_record_is_named() {
        let cases = [
            (r#"{"n":1"#, Problem::MalformedRecord, None),
            (r#"{"d":2}"#, Problem::MissingField, Some("n")),
            (r#"{"n":"3"}"#, Problem::WrongType, Some("n")),
            (r#"{"n":2.5}"#, Problem::WrongType, Some("n")),
            (r#"{"n":11}"#, Problem::OutOfRange, Some("n")),
            (r#"{"n":1,"e":"c"}"#, Problem::UnknownMember, Some("e")),
            (r#"{"n":1,"d":1e40}"#, Problem::Overflow, Some("d")),
            (r#"{"n":1,"n":2}"#, Problem::MalformedRecord, None),
            (r#"{"n":1,"b":{"x":1}}"#, Problem::WrongType, Some("b")),
        ];
        for (line, problem, field) in cases {
            let e = read(line).unwrap_err();
            assert_eq!(
                (e.error, e.field.as_deref()),
                (problem, field),
                "{line}: {}",
                e.message
            );
        }
        let e = {
            let p = policy();
            let reader = RecordReader::new(&p, "id");
            reader
                .json(
                    b"{\"n\":\xff}",
                    Position { record: 1, line: 1 },
                    &mut Record::default(),
                )
                .unwrap_err()
        };
        assert_eq!(e.error, Problem::InvalidUtf8);
    }

    #[test]
    fn null_means_absent() {
        let r = read(r#"{"n":1,"d":null,"e":null}"#).unwrap();
        assert_eq!(r.values[1], Some(Value::Number(Decimal::ONE)));
        assert_eq!(r.values[2], None);
    }
}
