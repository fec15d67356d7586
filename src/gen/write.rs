//! Generated records as JSON lines or CSV rows, in the shape `rubric eval` reads: the id first,
//! then one field per indicator in declaration order; an absent value is left out of the JSON
//! object, or is an empty CSV cell.

use crate::eval::json_string;
use crate::ir::{InputKind, Policy, Value};
use std::io::{self, Write};

/// The id of the `n`th record (from 1): `r000001`, `r000002`, …
pub(super) fn record_id(n: u64) -> String {
    format!("r{n:06}")
}

/// Appends one record as a JSON line.
pub(super) fn json_line(out: &mut Vec<u8>, policy: &Policy, id: &str, values: &[Option<Value>]) {
    out.extend_from_slice(b"{\"id\":");
    json_string(out, id);
    for (input, value) in policy.inputs.iter().zip(values) {
        let Some(value) = value else {
            continue;
        };
        out.push(b',');
        json_string(out, &input.name);
        out.push(b':');
        match value {
            Value::Text(t) => json_string(out, t),
            Value::Member(_) => json_string(out, &text(&input.kind, value)),
            _ => out.extend_from_slice(text(&input.kind, value).as_bytes()),
        }
    }
    out.extend_from_slice(b"}\n");
}

/// The CSV header: `id`, then the indicator names (after `record` when rows are numbered).
pub(super) fn csv_header(
    out: &mut csv::Writer<&mut dyn Write>,
    policy: &Policy,
    numbered: bool,
) -> io::Result<()> {
    let mut row = if numbered {
        vec!["record", "id"]
    } else {
        vec!["id"]
    };
    row.extend(policy.inputs.iter().map(|i| i.name.as_str()));
    out.write_record(row)?;
    Ok(())
}

/// Writes one record as a CSV row.
pub(super) fn csv_row(
    out: &mut csv::Writer<&mut dyn Write>,
    policy: &Policy,
    record: Option<u64>,
    id: &str,
    values: &[Option<Value>],
) -> io::Result<()> {
    let mut row = Vec::with_capacity(values.len() + 2);
    row.extend(record.map(|r| r.to_string()));
    row.push(id.to_string());
    for (input, value) in policy.inputs.iter().zip(values) {
        row.push(
            value
                .as_ref()
                .map_or_else(String::new, |v| text(&input.kind, v)),
        );
    }
    out.write_record(row)?;
    Ok(())
}

/// A value as plain text: numbers in their shortest exact form, booleans as `true`/`false`,
/// members by name.
fn text(kind: &InputKind, value: &Value) -> String {
    match value {
        Value::Number(n) => n.normalize().to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Text(t) => t.clone(),
        Value::Member(m) => match kind {
            InputKind::Enum(members) => usize::try_from(*m)
                .ok()
                .and_then(|m| members.get(m))
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        },
        Value::Tier(t) => t.to_string(),
    }
}
