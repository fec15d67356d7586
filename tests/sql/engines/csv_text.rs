//! CSV in the one dialect every engine here agrees on, with NULL kept apart from the empty text.
//!
//! In PostgreSQL's CSV (and DuckDB's and Spark's, as the runners configure them) a NULL is an
//! empty *unquoted* cell and the empty text is `""`. The `csv` crate reads both as an empty field
//! and cannot say which was quoted, nor write a quoted empty field beside an unquoted one, so this
//! module reads and writes that distinction itself.

use std::path::Path;

/// One cell as read: its text, and whether it was quoted (an empty unquoted cell is NULL).
#[derive(Debug)]
pub(super) struct Cell {
    pub text: String,
    pub quoted: bool,
}

impl Cell {
    pub fn into_value(self) -> Option<String> {
        (self.quoted || !self.text.is_empty()).then_some(self.text)
    }
}

/// Writes a CSV file: the header, then one line per row; every value quoted, a NULL as an empty
/// unquoted cell. Values may hold commas, quotes and newlines.
pub fn write_csv<R, S>(path: &Path, header: &[&str], rows: &[R]) -> Result<(), String>
where
    R: AsRef<[Option<S>]>,
    S: AsRef<str>,
{
    let mut text = String::new();
    let header: Vec<Option<&str>> = header.iter().map(|h| Some(*h)).collect();
    let rows = rows.iter().map(|row| {
        row.as_ref()
            .iter()
            .map(|v| v.as_ref().map(AsRef::as_ref))
            .collect()
    });
    for row in std::iter::once(header).chain(rows) {
        let cells: Vec<String> = row
            .iter()
            .map(|value| match value {
                Some(v) => format!("\"{}\"", v.replace('"', "\"\"")),
                None => String::new(),
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Reads CSV text (records end with `\n` or `\r\n`; a quote inside a quoted cell is doubled).
/// An empty line is one record of one empty unquoted cell, as PostgreSQL writes a row holding
/// only a NULL.
pub(super) fn parse(text: &str) -> Result<Vec<Vec<Cell>>, String> {
    let mut records = Vec::new();
    let mut chars = text.chars().peekable();
    while chars.peek().is_some() {
        let mut record = Vec::new();
        loop {
            let mut cell = Cell {
                text: String::new(),
                quoted: false,
            };
            if chars.peek() == Some(&'"') {
                chars.next();
                cell.quoted = true;
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            cell.text.push('"');
                        }
                        Some('"') => break,
                        Some(c) => cell.text.push(c),
                        None => return Err(format!("unterminated quoted CSV cell: {text:?}")),
                    }
                }
            }
            let end = loop {
                match chars.next() {
                    None | Some('\n') => break true,
                    Some(',') => break false,
                    Some('\r') if chars.peek() == Some(&'\n') => {}
                    Some(c) if !cell.quoted => cell.text.push(c),
                    Some(c) => return Err(format!("{c:?} after a quoted CSV cell: {text:?}")),
                }
            };
            record.push(cell);
            if end {
                break;
            }
        }
        records.push(record);
    }
    Ok(records)
}
