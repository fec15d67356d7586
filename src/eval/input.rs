//! The interpreter's side of reading records: each indicator's type, range, members and
//! missing-value rule, read from the IR. The rest (JSON and CSV framing, the record's id,
//! duplicate and missing fields, every message) is the shared runtime's, in `runtime/record.rs`
//! and `runtime/fields.rs`.

use super::engine::Interpreter;
use crate::ir::{Input, InputKind, Missing, Value};
use crate::runtime::fields::{self, Bounds, Kind};
use crate::runtime::{CsvColumns, FieldError, Fields, Id, Position, Raw, Reader, RecordError};

fn kind(input: &Input) -> Kind {
    match input.kind {
        InputKind::Bool => Kind::Bool,
        InputKind::Whole => Kind::Whole,
        InputKind::Decimal => Kind::Decimal,
        InputKind::Enum(_) => Kind::Enum,
        InputKind::Text => Kind::Text,
    }
}

fn bounds(input: &Input) -> Bounds {
    Bounds {
        min: input.min,
        max: input.max,
    }
}

/// A JSON value for `input`; `Ok(None)` for `null` (treated as absent).
#[inline]
fn from_json(input: &Input, raw: Raw<'_>) -> Result<Option<Value>, FieldError> {
    Ok(match &input.kind {
        InputKind::Bool => fields::json_bool(raw)?.map(Value::Bool),
        InputKind::Whole | InputKind::Decimal => {
            fields::json_number(raw, kind(input), bounds(input))?.map(Value::Number)
        }
        InputKind::Enum(members) => match fields::json_text(raw, Kind::Enum)? {
            Some(t) => Some(Value::Member(fields::member(members, &t)?)),
            None => None,
        },
        InputKind::Text => fields::json_text(raw, Kind::Text)?.map(|t| Value::Text(t.into_owned())),
    })
}

/// A CSV cell for `input` (an empty cell never gets here: it means absent).
#[inline]
fn from_cell(input: &Input, cell: &str) -> Result<Value, FieldError> {
    Ok(match &input.kind {
        InputKind::Bool => Value::Bool(fields::cell_bool(cell)?),
        InputKind::Whole | InputKind::Decimal => {
            Value::Number(fields::cell_number(cell, kind(input), bounds(input))?)
        }
        InputKind::Enum(members) => Value::Member(fields::member(members, cell)?),
        InputKind::Text => Value::Text(cell.to_string()),
    })
}

/// A validated record: each input's value by index (`None` where the value is unknown).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Record {
    pub values: Vec<Option<Value>>,
    /// The record's identifier field, if it had one.
    pub id: Option<Id>,
}

/// Reads records for one policy, one at a time (the batch driver reads through the runtime's
/// `Reader` directly).
pub struct RecordReader<'p> {
    interpreter: Interpreter<'p>,
    reader: std::cell::RefCell<Reader>,
}

impl<'p> RecordReader<'p> {
    pub fn new(policy: &'p crate::ir::Policy, id_field: impl Into<String>) -> Self {
        RecordReader {
            interpreter: Interpreter::new(policy),
            reader: std::cell::RefCell::new(Reader::new(id_field)),
        }
    }

    /// Parses and validates one JSON line into `record` (whose buffers are reused).
    pub fn json(&self, line: &[u8], at: Position, record: &mut Record) -> Result<(), RecordError> {
        self.reader.borrow_mut().json(
            &self.interpreter,
            line,
            at,
            &mut record.values,
            &mut record.id,
        )
    }

    /// Validates one CSV row.
    pub fn csv(
        &self,
        columns: &CsvColumns,
        row: &csv::ByteRecord,
        at: Position,
        record: &mut Record,
    ) -> Result<(), RecordError> {
        self.reader.borrow_mut().csv(
            &self.interpreter,
            columns,
            row,
            at,
            &mut record.values,
            &mut record.id,
        )
    }

    /// Matches a CSV header to the policy's inputs.
    pub fn columns(&self, header: &csv::ByteRecord) -> Result<CsvColumns, String> {
        self.reader.borrow().columns(&self.interpreter, header)
    }
}

impl Fields for Interpreter<'_> {
    /// Each input's value by index (`None` where the value is unknown).
    type Record = Vec<Option<Value>>;

    fn count(&self) -> usize {
        self.policy.inputs.len()
    }

    fn index(&self, name: &str) -> Option<usize> {
        // Policies have few indicators; comparing lengths first makes a linear scan the fastest
        // lookup here.
        self.policy
            .inputs
            .iter()
            .position(|i| i.name.len() == name.len() && i.name == name)
    }

    fn name(&self, index: usize) -> &str {
        self.policy
            .inputs
            .get(index)
            .map_or("", |i| i.name.as_str())
    }

    fn clear(&self, record: &mut Self::Record) {
        if record.len() == self.policy.inputs.len() {
            record.fill(None);
        } else {
            record.clear();
            record.resize(self.policy.inputs.len(), None);
        }
    }

    fn json(
        &self,
        record: &mut Self::Record,
        index: usize,
        raw: Raw<'_>,
    ) -> Result<bool, FieldError> {
        let Some(input) = self.policy.inputs.get(index) else {
            return Ok(true);
        };
        let value = from_json(input, raw)?;
        let present = value.is_some();
        if let Some(slot) = record.get_mut(index) {
            *slot = value;
        }
        Ok(present)
    }

    fn cell(&self, record: &mut Self::Record, index: usize, cell: &str) -> Result<(), FieldError> {
        let Some(input) = self.policy.inputs.get(index) else {
            return Ok(());
        };
        let value = from_cell(input, cell)?;
        if let Some(slot) = record.get_mut(index) {
            *slot = Some(value);
        }
        Ok(())
    }

    fn invalid_as_missing(&self, index: usize) -> bool {
        self.policy
            .inputs
            .get(index)
            .is_some_and(|i| i.invalid_as_missing)
    }

    fn missing(&self, record: &mut Self::Record, index: usize) -> bool {
        match self.policy.inputs.get(index).map(|i| &i.missing) {
            Some(Missing::Required) => false,
            Some(Missing::Default(value)) => {
                if let Some(slot) = record.get_mut(index) {
                    *slot = Some(value.clone());
                }
                true
            }
            Some(Missing::Unknown) | None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Identity, Policy, Rounding, Scale};
    use crate::runtime::Problem;
    use rust_decimal::Decimal;

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
                    invalid_as_missing: false,
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
                rounding: Rounding::HalfUp,
                higher_is_worse: false,
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
            tables: Vec::new(),
            outputs: Vec::new(),
            steps: Vec::new(),
            after_rules: Vec::new(),
            picks: Vec::new(),
            lets: vec![],
            rules: vec![],
            tiers: vec![],
            consequences: vec![],
            consequence_order: vec![],
            tests: vec![],
            params: vec![],
            reach: crate::ir::Reach { lo: None, hi: None },
        }
    }

    fn read_bytes(line: &[u8]) -> Result<Record, RecordError> {
        let p = policy();
        let mut record = Record::default();
        RecordReader::new(&p, "id")
            .json(line, Position { record: 1, line: 1 }, &mut record)
            .map(|_| record)
    }

    fn read(line: &str) -> Result<Record, RecordError> {
        read_bytes(line.as_bytes())
    }

    #[test]
    fn valid_records_apply_missing_rules() {
        let r = read(r#"{"id":"x1","n":3,"e":"b","extra":[1]}"#)
            .ok()
            .unwrap();
        assert_eq!(r.id, Some(Id::Text("x1".into())));
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
            // Regression: a `null` first once hid the duplicate that followed it.
            (r#"{"n":null,"n":2}"#, Problem::MalformedRecord, None),
            (r#"{"n":2,"n":null}"#, Problem::MalformedRecord, None),
            (r#"{"n":1,"b":{"x":1}}"#, Problem::WrongType, Some("b")),
        ];
        for (line, problem, field) in cases {
            let e = read(line).err().unwrap();
            assert_eq!(
                (e.error, e.field.as_deref()),
                (problem, field),
                "{line}: {}",
                e.message
            );
        }
        let e = read_bytes(b"{\"n\":\xff}").err().unwrap();
        assert_eq!(e.error, Problem::InvalidUtf8);
    }

    #[test]
    fn null_means_absent() {
        let r = read(r#"{"n":1,"d":null,"e":null}"#).ok().unwrap();
        assert_eq!(r.values[1], Some(Value::Number(Decimal::ONE)));
        assert_eq!(r.values[2], None);
    }

    /// One reader over several records, as a file is read: the guesses from one record's key
    /// order must never change what the next one reads, whatever its order.
    #[test]
    fn key_order_guesses_never_change_what_is_read() {
        let p = policy();
        let reader = RecordReader::new(&p, "id");
        let lines = [
            r#"{"id":"a","n":1,"d":2,"e":"a","b":true}"#,
            r#"{"id":"b","n":2,"d":3,"e":"b","b":false}"#,
            // A field left out, then back.
            r#"{"id":"c","n":3,"e":"b","b":false}"#,
            r#"{"id":"d","n":4,"d":5,"e":"a","b":true}"#,
            // Another order, unknown fields between, the id last.
            r#"{"b":true,"x":1,"e":"a","d":6,"n":5,"id":"e"}"#,
            r#"{"e":"b","n":6,"zz":null,"b":false,"id":7}"#,
            // A duplicate where the previous record had the next field.
            r#"{"id":"f","n":1,"n":2}"#,
            r#"{"id":"g","n":1,"d":2,"d":3}"#,
            r#"{"id":"h","n":1,"d":2,"e":"a","b":true,"b":false}"#,
            r#"{"id":"i","n":1,"d":2,"e":"a","b":true,"n":null}"#,
            // Back to the first order.
            r#"{"id":"j","n":7,"d":8,"e":"b","b":true}"#,
            // An error after a guess, then the same record again.
            r#"{"id":"k","n":11,"d":8,"e":"b","b":true}"#,
            r#"{"id":"k","n":10,"d":8,"e":"b","b":true}"#,
            r#"{"id":"l","d":1}"#,
            "{}",
            r#"{"id":"m","n":1,"d":2,"e":"a","b":true"#,
            r#"{"id":"n","n":1,"d":2,"e":"a","b":true}"#,
        ];
        let mut record = Record::default();
        for (k, line) in lines.iter().enumerate() {
            let at = Position {
                record: k as u64 + 1,
                line: k as u64 + 1,
            };
            let got = reader
                .json(line.as_bytes(), at, &mut record)
                .map(|()| record.clone());
            // A fresh reader has no guesses.
            let mut alone = Record::default();
            let expected = RecordReader::new(&p, "id")
                .json(line.as_bytes(), at, &mut alone)
                .map(|()| alone);
            assert_eq!(got, expected, "{line}");
        }
    }
}
