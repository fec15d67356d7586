//! The CSV form of a decision: a flat summary, one row per decision, lists `;`-separated and
//! rules as `name=points`. `--fields` chooses its columns; they keep the order of [`COLUMNS`].
//!
//! Rows are written field by field through the csv crate (which quotes what needs quoting) from
//! one reused buffer: nothing is allocated per field.

use super::decision::{Decision, Names, RecordRef};
use super::output::write_decimal;
use super::record::Id;
use super::select::{Member, Selection};
use std::io::Write;

/// A column of the CSV form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Record,
    Id,
    Score,
    Tier,
    Clamped,
    Consequences,
    Reasons,
    Rules,
    Policy,
    Version,
    Hash,
}

/// The columns of the full CSV form, in order, with their names and the members they belong to.
pub const COLUMNS: [(&str, Column, Member); 11] = [
    ("record", Column::Record, Member::Record),
    ("id", Column::Id, Member::Id),
    ("score", Column::Score, Member::Score),
    ("tier", Column::Tier, Member::Tier),
    ("clamped", Column::Clamped, Member::Clamped),
    ("consequences", Column::Consequences, Member::Consequences),
    ("reasons", Column::Reasons, Member::Reasons),
    ("rules", Column::Rules, Member::Rules),
    ("policy", Column::Policy, Member::Policy),
    ("version", Column::Version, Member::Policy),
    ("hash", Column::Hash, Member::Policy),
];

/// The header row of `selection`'s columns.
pub fn header(selection: Selection) -> impl Iterator<Item = &'static str> {
    COLUMNS
        .into_iter()
        .filter(move |(_, _, member)| selection.has(*member))
        .map(|(name, _, _)| name)
}

/// Writes one decision as a CSV row of `selection`'s columns. `scratch` is any buffer, reused
/// from row to row.
pub fn write_row<N: Names + ?Sized, L, W: Write>(
    names: &N,
    writer: &mut csv::Writer<W>,
    scratch: &mut Vec<u8>,
    at: RecordRef<'_>,
    decision: &Decision<L>,
    selection: Selection,
) -> csv::Result<()> {
    for (_, column, member) in COLUMNS {
        if !selection.has(member) {
            continue;
        }
        scratch.clear();
        match column {
            Column::Record => {
                scratch.extend_from_slice(itoa::Buffer::new().format(at.record).as_bytes())
            }
            Column::Id => {
                if let Some(id) = at.id {
                    if formula_like(id) {
                        scratch.push(b'\'');
                    }
                    scratch.extend_from_slice(id.as_str().as_bytes());
                }
            }
            Column::Score => write_decimal(scratch, decision.score),
            Column::Tier => {
                if let Some(tier) = decision.tier {
                    scratch.extend_from_slice(names.tier_name(tier).as_bytes());
                }
            }
            Column::Clamped => {
                let clamped: &[u8] = if decision.clamped() {
                    b"true"
                } else {
                    b"false"
                };
                scratch.extend_from_slice(clamped);
            }
            Column::Consequences => join(scratch, &decision.consequences, |out, c| {
                out.extend_from_slice(names.consequence_name(*c).as_bytes())
            }),
            Column::Reasons => join(scratch, &decision.reasons, |out, r| {
                out.extend_from_slice(names.reason_name(r.rule).as_bytes())
            }),
            Column::Rules => join(scratch, &decision.fired, |out, f| {
                out.extend_from_slice(names.rule_name(f.rule).as_bytes());
                out.push(b'=');
                write_decimal(out, f.points);
            }),
            Column::Policy => scratch.extend_from_slice(names.policy_name().as_bytes()),
            Column::Version => scratch.extend_from_slice(names.policy_version().as_bytes()),
            Column::Hash => scratch.extend_from_slice(names.policy_hash().as_bytes()),
        }
        writer.write_field(&*scratch)?;
    }
    writer.write_record(None::<&[u8]>)
}

/// The items, each written by `write`, separated by `;`.
fn join<T>(out: &mut Vec<u8>, items: &[T], write: impl Fn(&mut Vec<u8>, &T)) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b';');
        }
        write(out, item);
    }
}

/// Whether a spreadsheet opening the CSV would take the id for a formula: a text id that starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return. Such an id is written after a `'`, which
/// spreadsheets read as "this is text" and do not show (OWASP's advice on CSV injection). A
/// number id (JSON `-3`) is a number, not a formula, and is written as it is.
pub fn formula_like(id: &Id) -> bool {
    match id {
        Id::Number(_) => false,
        Id::Text(text) => matches!(
            text.as_bytes().first(),
            Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
        ),
    }
}
