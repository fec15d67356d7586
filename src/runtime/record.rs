//! Records: a JSON line or CSV row validated against the indicator declarations, with the
//! missing-value rules applied. The [`Reader`] does what is the same for every policy (the JSON
//! and CSV framing, the record's [`Id`], duplicate and missing fields, which error wins); a
//! [`Fields`] implementation knows the policy's indicators.

use super::error::{FieldError, Position, Problem, RecordError};
use super::jsonl::{self, Raw};
use super::output::json_string;
use std::borrow::Cow;

/// A record's id, keeping its JSON type: a number is kept as the text it was written with and
/// written back as that same number (`1`, `12.50`, `-3`); anything else is a text. CSV cells are
/// always texts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Id {
    Text(String),
    /// A JSON number, exactly as written (validated against the JSON grammar).
    Number(String),
}

impl Id {
    /// The id's text (a number's as written).
    pub fn as_str(&self) -> &str {
        match self {
            Id::Text(t) | Id::Number(t) => t,
        }
    }

    /// The id as JSON: a number as written, a text as a string.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            Id::Text(t) => json_string(out, t),
            Id::Number(n) => out.extend_from_slice(n.as_bytes()),
        }
    }
}

impl std::fmt::Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Id {
    /// As [`Id::write_json`] writes it (a number through `RawValue`, so its text is kept).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Id::Text(t) => serializer.serialize_str(t),
            Id::Number(n) => match serde_json::value::RawValue::from_string(n.clone()) {
                Ok(raw) => raw.serialize(serializer),
                Err(_) => serializer.serialize_str(n),
            },
        }
    }
}

/// The policy-specific part of reading a record: the indicators, by index.
pub trait Fields {
    /// A record's values, filled in place (its buffers are reused from record to record).
    type Record;
    /// How many indicators the policy declares.
    fn count(&self) -> usize;
    /// The indicator with this field name. Fields the policy does not declare are ignored.
    fn index(&self, name: &str) -> Option<usize>;
    /// The field name of an indicator.
    fn name(&self, index: usize) -> &str;
    /// Forgets the previous record's values.
    fn clear(&self, record: &mut Self::Record);
    /// Sets an indicator from a JSON value; `Ok(false)` for `null`, which means absent.
    fn json(
        &self,
        record: &mut Self::Record,
        index: usize,
        raw: Raw<'_>,
    ) -> Result<bool, FieldError>;
    /// Sets an indicator from a non-empty CSV cell.
    fn cell(&self, record: &mut Self::Record, index: usize, cell: &str) -> Result<(), FieldError>;
    /// Applies the missing-value rule of an absent indicator; `false` if it is required.
    fn missing(&self, record: &mut Self::Record, index: usize) -> bool;
    /// Whether an out-of-range value or unknown member of this indicator counts as absent
    /// (`invalid means missing`) instead of rejecting the record.
    fn invalid_as_missing(&self, index: usize) -> bool {
        let _ = index;
        false
    }
}

/// Whether a field's problem is one `invalid means missing` forgives: a value of the right type
/// outside the declared range, or a member the list does not have.
fn forgivable(problem: Problem) -> bool {
    matches!(problem, Problem::OutOfRange | Problem::UnknownMember)
}

/// Stores a value read for an indicator that has one whenever the record is valid; `false` (and
/// nothing stored) for `null`. For [`Fields::json`].
pub fn put<T>(slot: &mut T, value: Option<T>) -> bool {
    match value {
        Some(value) => {
            *slot = value;
            true
        }
        None => false,
    }
}

/// [`put`] for an indicator whose value may be unknown.
pub fn put_some<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    match value {
        Some(value) => {
            *slot = Some(value);
            true
        }
        None => false,
    }
}

/// `text` in the spare buffer if there is one (a new `String` otherwise).
fn reuse(spare: &mut Option<String>, text: &str) -> String {
    match spare.take() {
        Some(mut buffer) => {
            buffer.clear();
            buffer.push_str(text);
            buffer
        }
        None => text.to_string(),
    }
}

/// Which indicator each CSV column feeds.
#[derive(Clone, Debug)]
pub struct CsvColumns {
    pub inputs: Vec<Option<usize>>,
    pub id: Option<usize>,
}

/// Reads records for one policy. Field names are matched exactly; fields the policy does not
/// declare are ignored (except the id field).
#[derive(Clone, Debug)]
pub struct Reader {
    id_field: String,
    /// Which indicators the current record has given a value (not `null`), reused from record to
    /// record.
    seen: Vec<bool>,
    /// Which indicators' keys the current JSON record has named (a second one is an error, even
    /// after a `null`).
    named: Vec<bool>,
    /// The indicators whose invalid values the current record had, treated as absent
    /// (`invalid means missing`), in the order met. Decisions report them.
    pub invalid: Vec<usize>,
    /// The indicators the previous JSON record's keys named, in order. Records of one file
    /// nearly always list their fields in one order, so each key is first checked against the
    /// name of the indicator that came next in the previous record (or the one after it, for a
    /// record that leaves a field out), and looked up with [`Fields::index`] only if neither is
    /// its name.
    previous: Vec<usize>,
    /// The same for the current record, built only once it departs from `previous` (until
    /// then, its keys are the first ones of `previous`).
    current: Vec<usize>,
    /// The previous record's id text, kept for its buffer.
    spare: Option<String>,
}

/// The longest id a record may have, in bytes (UTF-8). Ids are keys, not documents: a longer one
/// is a mistake or an attack, and would be copied into every error line and decision.
pub const MAX_ID_BYTES: usize = 1024;

fn too_long_id(len: usize) -> FieldError {
    let message = format!("the id is {len} bytes long; at most {MAX_ID_BYTES} are allowed");
    (Problem::MalformedRecord, message)
}

/// At most this many keys of a record are remembered (records are small; a record with many
/// more keys is read with [`Fields::index`] alone past these).
const MAX_GUESSES: usize = 1024;

/// The indicator named `key`: one of the two `previous` indicators from `cursor` on if its name
/// is `key` (moving `cursor` past it), else [`Fields::index`]. The same answer as
/// `fields.index(key)`, as indicators' names are distinct.
fn guess<F: Fields>(
    fields: &F,
    previous: &[usize],
    cursor: &mut usize,
    key: &str,
) -> Option<usize> {
    for step in 0..2 {
        if let Some(&index) = previous.get(*cursor + step) {
            if fields.name(index) == key {
                *cursor += step + 1;
                return Some(index);
            }
        }
    }
    fields.index(key)
}

impl Reader {
    pub fn new(id_field: impl Into<String>) -> Self {
        Reader {
            id_field: id_field.into(),
            seen: Vec::new(),
            named: Vec::new(),
            invalid: Vec::new(),
            previous: Vec::new(),
            current: Vec::new(),
            spare: None,
        }
    }

    fn start<F: Fields>(&mut self, fields: &F, record: &mut F::Record, id: &mut Option<Id>) {
        fields.clear(record);
        if let Some(Id::Text(old) | Id::Number(old)) = id.take() {
            self.spare = Some(old);
        }
        let count = fields.count();
        for flags in [&mut self.seen, &mut self.named] {
            if flags.len() == count {
                flags.fill(false);
            } else {
                flags.clear();
                flags.resize(count, false);
            }
        }
        self.invalid.clear();
    }

    /// Parses and validates one JSON line into `record`, and its id into `id`.
    pub fn json<F: Fields>(
        &mut self,
        fields: &F,
        line: &[u8],
        at: Position,
        record: &mut F::Record,
        id: &mut Option<Id>,
    ) -> Result<(), RecordError> {
        self.start(fields, record, id);
        let text = std::str::from_utf8(line).map_err(|e| {
            RecordError::new(
                at,
                None,
                None,
                Problem::InvalidUtf8,
                format!("the line is not valid UTF-8 (byte {})", e.valid_up_to() + 1),
            )
        })?;
        let id_field = self.id_field.as_str();
        let seen = &mut self.seen;
        let named = &mut self.named;
        let invalid = &mut self.invalid;
        let spare = &mut self.spare;
        let previous = &self.previous;
        let current = &mut self.current;
        // How many keys of this record named indicators, and whether they are not the first
        // ones of `previous` (then `current` holds them).
        let mut named_count = 0;
        let mut departed = false;
        let mut cursor = 0;
        let mut failure: Option<(String, FieldError)> = None;
        let mut id_named = false;
        let scanned = jsonl::scan(text, |key, raw| {
            if key == id_field {
                // Two ids would leave it to chance which one the decision carries.
                if std::mem::replace(&mut id_named, true) {
                    *id = None;
                    return Err(format!("the field `{key}` appears twice"));
                }
                let len = match &raw {
                    Raw::Text(t) => t.len(),
                    Raw::Number(n) => n.len(),
                    _ => 0,
                };
                if len > MAX_ID_BYTES {
                    failure.get_or_insert_with(|| (key.to_string(), too_long_id(len)));
                    return Ok(());
                }
                *id = match raw {
                    Raw::Text(Cow::Owned(t)) => Some(Id::Text(t)),
                    Raw::Text(Cow::Borrowed(t)) => Some(Id::Text(reuse(spare, t))),
                    Raw::Number(n) => Some(Id::Number(reuse(spare, n))),
                    _ => None,
                };
                return Ok(());
            }
            let index = guess(fields, previous, &mut cursor, key);
            if let Some(index) = index {
                if departed {
                    if current.len() < MAX_GUESSES {
                        current.push(index);
                    }
                } else if previous.get(named_count) != Some(&index) {
                    departed = true;
                    current.clear();
                    current.extend_from_slice(previous.get(..named_count).unwrap_or(&[]));
                    current.push(index);
                }
                named_count += 1;
            }
            let Some(index) = index else {
                return Ok(());
            };
            if named
                .get_mut(index)
                .is_some_and(|s| std::mem::replace(s, true))
            {
                return Err(format!("the field `{key}` appears twice"));
            }
            if failure.is_some() {
                return Ok(());
            }
            match fields.json(record, index, raw) {
                Ok(true) => {
                    if let Some(s) = seen.get_mut(index) {
                        *s = true;
                    }
                }
                // `null` is the same as absent: the missing-value rule applies.
                Ok(false) => {}
                // So is a forgiven invalid value.
                Err((problem, _)) if forgivable(problem) && fields.invalid_as_missing(index) => {
                    invalid.push(index);
                }
                Err(e) => failure = Some((key.to_string(), e)),
            }
            Ok(())
        });
        if departed {
            std::mem::swap(&mut self.previous, &mut self.current);
        } else {
            self.previous.truncate(named_count);
        }
        if let Err(e) = scanned {
            let message = format!("malformed JSON at column {}: {}", e.offset + 1, e.message);
            return Err(RecordError::new(
                at,
                id.clone(),
                None,
                Problem::MalformedRecord,
                message,
            ));
        }
        if let Some((field, (problem, message))) = failure {
            return Err(RecordError::new(
                at,
                id.clone(),
                Some(field),
                problem,
                message,
            ));
        }
        self.fill_missing(fields, at, record, id)
    }

    /// Validates one CSV row.
    pub fn csv<F: Fields>(
        &mut self,
        fields: &F,
        columns: &CsvColumns,
        row: &csv::ByteRecord,
        at: Position,
        record: &mut F::Record,
        id: &mut Option<Id>,
    ) -> Result<(), RecordError> {
        self.start(fields, record, id);
        if let Some(cell) = columns.id.and_then(|c| row.get(c)) {
            let cell = std::str::from_utf8(cell).map_err(|_| {
                RecordError::new(
                    at,
                    None,
                    Some(self.id_field.clone()),
                    Problem::InvalidUtf8,
                    "the id is not valid UTF-8".into(),
                )
            })?;
            if cell.len() > MAX_ID_BYTES {
                let (problem, message) = too_long_id(cell.len());
                let field = Some(self.id_field.clone());
                return Err(RecordError::new(at, None, field, problem, message));
            }
            if !cell.is_empty() {
                *id = Some(Id::Text(reuse(&mut self.spare, cell)));
            }
        }
        for (column, index) in columns.inputs.iter().enumerate() {
            let (Some(index), Some(cell)) = (*index, row.get(column)) else {
                continue;
            };
            let field = || Some(fields.name(index).to_string());
            let cell = std::str::from_utf8(cell).map_err(|e| {
                let message = format!(
                    "the value is not valid UTF-8 (byte {})",
                    e.valid_up_to() + 1
                );
                RecordError::new(at, id.clone(), field(), Problem::InvalidUtf8, message)
            })?;
            if cell.is_empty() {
                continue;
            }
            match fields.cell(record, index, cell) {
                Ok(()) => {}
                Err((problem, _)) if forgivable(problem) && fields.invalid_as_missing(index) => {
                    self.invalid.push(index);
                    continue;
                }
                Err((problem, message)) => {
                    return Err(RecordError::new(at, id.clone(), field(), problem, message))
                }
            }
            if let Some(s) = self.seen.get_mut(index) {
                *s = true;
            }
        }
        self.fill_missing(fields, at, record, id)
    }

    /// Applies the missing-value rule of every indicator the record lacks.
    fn fill_missing<F: Fields>(
        &self,
        fields: &F,
        at: Position,
        record: &mut F::Record,
        id: &Option<Id>,
    ) -> Result<(), RecordError> {
        for (index, seen) in self.seen.iter().enumerate() {
            if !*seen && !fields.missing(record, index) {
                let name = fields.name(index);
                let message = format!("the required field `{name}` is missing");
                return Err(RecordError::new(
                    at,
                    id.clone(),
                    Some(name.to_string()),
                    Problem::MissingField,
                    message,
                ));
            }
        }
        Ok(())
    }

    /// Matches a CSV header to the policy's indicators.
    pub fn columns<F: Fields>(
        &self,
        fields: &F,
        header: &csv::ByteRecord,
    ) -> Result<CsvColumns, String> {
        let mut columns = CsvColumns {
            inputs: Vec::with_capacity(header.len()),
            id: None,
        };
        let mut seen = vec![false; fields.count()];
        for (position, name) in header.iter().enumerate() {
            let name = std::str::from_utf8(name)
                .map_err(|_| format!("column {} of the header is not valid UTF-8", position + 1))?;
            let name = name.trim();
            if name == self.id_field {
                if columns.id.is_some() {
                    return Err(format!("the header names the id column `{name}` twice"));
                }
                columns.id = Some(position);
                columns.inputs.push(None);
                continue;
            }
            let index = fields.index(name);
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
