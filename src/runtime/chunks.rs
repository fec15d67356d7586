//! Reading a batch's input in chunks: runs of consecutive records, each handed whole to one
//! worker. The reading thread only frames records (lines of JSON, rows of CSV) and numbers them;
//! parsing and validating them is the worker's job. A chunk is bounded in records and bytes, and
//! its buffers are reused for the chunks after it, so memory stays flat however long the input.

use super::error::{Position, Problem, RecordError};
use std::io::{self, BufRead, Read};

/// At most this many records to a chunk: enough to make handing it over cheap, few enough that
/// the chunks in flight stay small.
const RECORDS: usize = 1024;
/// A JSONL chunk ends after the line that takes it past this many bytes.
const BYTES: usize = 1 << 18;

/// The longest JSON line, in bytes, a record may be (its newline included), and the most bytes
/// of values a CSV row may hold. Records are flat, a policy's fields: a longer one is a broken or
/// hostile feed, and is rejected (a JSON line without being kept in memory; a CSV row is read
/// whole by the CSV parser first, and its buffer then dropped).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The UTF-8 byte-order mark, which some tools write at the start of a text file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads one line (up to and including its newline) onto `data`: how many bytes the line had,
/// and whether it was kept. At most [`MAX_LINE_BYTES`] are read into `data`; the rest of a longer
/// line is skipped without being kept (`data` then holds its start, to be dropped).
fn read_line(input: &mut dyn BufRead, data: &mut Vec<u8>) -> io::Result<(usize, bool)> {
    let n = (&mut *input)
        .take(MAX_LINE_BYTES as u64)
        .read_until(b'\n', data)?;
    if n < MAX_LINE_BYTES || data.last() == Some(&b'\n') {
        return Ok((n, true));
    }
    let rest = input.skip_until(b'\n')?;
    Ok((n + rest, rest == 0))
}

/// A run of consecutive records.
#[derive(Debug, Default)]
pub(super) struct Chunk {
    /// The number of the chunk's first record in the batch (from 1).
    pub first: u64,
    pub items: Vec<Item>,
    /// The JSON lines, one after the other.
    pub data: Vec<u8>,
    /// The CSV rows; only the first ones, as many as [`Item::Row`]s name, belong to this chunk
    /// (the rest are kept for their buffers).
    pub rows: Vec<csv::ByteRecord>,
    /// How many bytes of the input had been read once this chunk was, for progress reports.
    pub bytes: u64,
}

/// One record of a chunk.
#[derive(Debug)]
pub(super) enum Item {
    /// A JSON line, `data[start..end]` (without surrounding white space), on line `line`.
    Line { start: usize, end: usize, line: u64 },
    /// A CSV row, `rows[row]`, as wide as the header, starting on line `line`.
    Row { row: usize, line: u64 },
    /// A record that could not even be framed (a malformed CSV row).
    Fault(RecordError),
}

impl Chunk {
    fn reset(&mut self, first: u64) {
        self.first = first;
        self.items.clear();
        self.data.clear();
    }

    /// The position of item `index` of the chunk.
    pub fn position(&self, index: usize, line: u64) -> Position {
        Position {
            record: self.first + index as u64,
            line,
        }
    }
}

/// Where records come from: JSON lines, or CSV rows after a header.
pub(super) enum Source<'i> {
    Jsonl {
        input: &'i mut dyn BufRead,
        /// Lines read so far, blank ones included.
        line: u64,
        bytes: u64,
    },
    Csv {
        reader: csv::Reader<&'i mut dyn BufRead>,
        /// How many columns the header has.
        width: usize,
    },
}

impl<'i> Source<'i> {
    pub fn jsonl(input: &'i mut dyn BufRead) -> Self {
        Source::Jsonl {
            input,
            line: 0,
            bytes: 0,
        }
    }

    /// A CSV source, and its header.
    pub fn csv(input: &'i mut dyn BufRead) -> io::Result<(Self, csv::ByteRecord)> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(input);
        let header = reader.byte_headers().map_err(io::Error::other)?.clone();
        let width = header.len();
        Ok((Source::Csv { reader, width }, header))
    }

    /// Fills `chunk` with the records after the first `read`; `false` when the input has no more.
    pub fn fill(&mut self, chunk: &mut Chunk, read: u64) -> io::Result<bool> {
        chunk.reset(read + 1);
        match self {
            Source::Jsonl { input, line, bytes } => {
                while chunk.items.len() < RECORDS && chunk.data.len() < BYTES {
                    let start = chunk.data.len();
                    let (n, kept) = read_line(&mut **input, &mut chunk.data)?;
                    if n == 0 {
                        break;
                    }
                    *bytes += n as u64;
                    *line += 1;
                    if !kept {
                        chunk.data.truncate(start);
                        chunk.items.push(Item::Fault(RecordError::new(
                            chunk.position(chunk.items.len(), *line),
                            None,
                            None,
                            Problem::MalformedRecord,
                            format!(
                                "the line is {n} bytes long; at most {MAX_LINE_BYTES} are allowed"
                            ),
                        )));
                        continue;
                    }
                    // A byte-order mark at the start of the input is not part of the record.
                    let skip = if *line == 1 && chunk.data.get(start..start + 3) == Some(BOM) {
                        3
                    } else {
                        0
                    };
                    let start = start + skip;
                    let text = chunk.data.get(start..).unwrap_or(&[]);
                    let Some(first) = text.iter().position(|b| !b.is_ascii_whitespace()) else {
                        // A blank line is no record.
                        chunk.data.truncate(start);
                        continue;
                    };
                    let last = text
                        .iter()
                        .rposition(|b| !b.is_ascii_whitespace())
                        .unwrap_or(first);
                    chunk.items.push(Item::Line {
                        start: start + first,
                        end: start + last + 1,
                        line: *line,
                    });
                }
                chunk.bytes = *bytes;
            }
            Source::Csv { reader, width } => {
                let mut used = 0;
                while chunk.items.len() < RECORDS {
                    if chunk.rows.len() <= used {
                        chunk.rows.push(csv::ByteRecord::new());
                    }
                    let record = chunk.first + chunk.items.len() as u64;
                    let Some(row) = chunk.rows.get_mut(used) else {
                        break;
                    };
                    let at_line = reader.position().line() + 1;
                    let more = reader.read_byte_record(row);
                    let at = Position {
                        record,
                        line: row.position().map_or(at_line, |p| p.line()),
                    };
                    let item = match more {
                        Ok(false) => break,
                        Ok(true) if row.as_slice().len() > MAX_LINE_BYTES => {
                            let len = row.as_slice().len();
                            // Its buffer is not kept for the rows after it.
                            *row = csv::ByteRecord::new();
                            Item::Fault(RecordError::new(
                                at,
                                None,
                                None,
                                Problem::MalformedRecord,
                                format!(
                                    "the row holds {len} bytes of values; \
                                     at most {MAX_LINE_BYTES} are allowed"
                                ),
                            ))
                        }
                        Ok(true) if row.len() != *width => Item::Fault(RecordError::new(
                            at,
                            None,
                            None,
                            Problem::MalformedRecord,
                            format!(
                                "the row has {} fields, but the header has {width}",
                                row.len()
                            ),
                        )),
                        Ok(true) => {
                            used += 1;
                            Item::Row {
                                row: used - 1,
                                line: at.line,
                            }
                        }
                        Err(e) if e.is_io_error() => return Err(io::Error::other(e)),
                        Err(e) => Item::Fault(RecordError::new(
                            at,
                            None,
                            None,
                            Problem::MalformedRecord,
                            format!("malformed CSV: {e}"),
                        )),
                    };
                    chunk.items.push(item);
                }
                chunk.bytes = reader.position().byte();
            }
        }
        Ok(!chunk.items.is_empty())
    }
}

#[cfg(test)]
mod line_limit_tests {
    use super::*;

    /// `read_line` on `text`: (bytes the line had, kept, what `data` holds when kept).
    fn read(text: &[u8]) -> (usize, bool, usize) {
        let mut input = std::io::BufReader::with_capacity(4096, text);
        let mut data = Vec::new();
        let (n, kept) = read_line(&mut input, &mut data).unwrap_or((0, false));
        (n, kept, if kept { data.len() } else { 0 })
    }

    #[test]
    fn a_line_is_kept_up_to_the_limit_and_skipped_past_it() {
        let line = |len: usize, end: &[u8]| {
            let mut v = vec![b'x'; len];
            v.extend_from_slice(end);
            v
        };
        let max = MAX_LINE_BYTES;
        assert_eq!(read(&line(max - 1, b"\n")), (max, true, max));
        assert_eq!(read(&line(max, b"")), (max, true, max));
        assert_eq!(read(&line(max, b"\n")), (max + 1, false, 0));
        assert_eq!(read(&line(max + 1, b"")), (max + 1, false, 0));
        assert_eq!(read(&line(3 * max, b"\nnext\n")), (3 * max + 1, false, 0));
        // The next line is read after a skipped one.
        let text = line(2 * max, b"\nnext\n");
        let mut input = std::io::BufReader::new(&text[..]);
        let mut data = Vec::new();
        let first = read_line(&mut input, &mut data).unwrap_or((0, true));
        data.clear();
        let second = read_line(&mut input, &mut data).unwrap_or((0, false));
        assert_eq!(
            (first, second, data.as_slice()),
            ((2 * max + 1, false), (5, true), &b"next\n"[..])
        );
    }
}
