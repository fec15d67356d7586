//! Batch evaluation: records stream in (JSONL or CSV), decisions and per-record errors stream out.
//! Memory does not grow with the number of records, and every record read is accounted for:
//! `read = decided + rejected`, always.

use super::decision::{csv_row, Decision, JsonTemplate, RecordRef, CSV_HEADER};
use super::error::{EvalError, EvalErrorKind, Problem, RecordError, Site};
use super::input::{Position, Record, RecordReader};
use super::interp::Evaluator;
use crate::ir::Policy;
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jsonl,
    Csv,
}

#[derive(Clone, Debug)]
pub struct Options {
    pub input: Format,
    pub output: Format,
    /// The field holding each record's identifier.
    pub id_field: String,
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub read: u64,
    pub decided: u64,
    pub rejected: u64,
    pub rejected_by_problem: BTreeMap<Problem, u64>,
    /// Decisions per tier name (`""` for a score outside every tier).
    pub tiers: BTreeMap<String, u64>,
    /// How many decisions carry each consequence.
    pub consequences: BTreeMap<String, u64>,
}

/// Receives progress reports (records read, input bytes consumed) now and then.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// Runs a batch. Errors go to `on_error` (which may write them anywhere); I/O errors on the
/// input or output stop the run.
pub fn run(
    policy: &Policy,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    on_error: &mut dyn FnMut(&RecordError) -> io::Result<()>,
    options: &Options,
    progress: Progress<'_>,
) -> io::Result<Summary> {
    let mut batch = Batch {
        policy,
        evaluator: Evaluator::new(policy),
        reader: RecordReader::new(policy, options.id_field.clone()),
        template: JsonTemplate::new(policy),
        decision: Decision::default(),
        summary: Summary::default(),
        record: Record::default(),
    };
    match options.input {
        Format::Jsonl => batch.jsonl(input, output, on_error, options.output, progress)?,
        Format::Csv => batch.csv(input, output, on_error, options.output, progress)?,
    }
    Ok(batch.summary)
}

/// Decisions are written through this: JSON lines straight into a buffer, or CSV rows through the
/// csv crate.
enum Sink<'w> {
    Json {
        buffer: Vec<u8>,
        out: &'w mut dyn Write,
    },
    Csv(Box<csv::Writer<&'w mut dyn Write>>),
}

impl<'w> Sink<'w> {
    fn new(format: Format, out: &'w mut dyn Write) -> io::Result<Self> {
        Ok(match format {
            Format::Jsonl => Sink::Json {
                buffer: Vec::with_capacity(1 << 16),
                out,
            },
            Format::Csv => {
                let mut writer = csv::Writer::from_writer(out);
                writer.write_record(CSV_HEADER)?;
                Sink::Csv(Box::new(writer))
            }
        })
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Sink::Json { buffer, out } => {
                out.write_all(&buffer)?;
                out.flush()
            }
            Sink::Csv(mut writer) => writer.flush(),
        }
    }
}

struct Batch<'p> {
    policy: &'p Policy,
    evaluator: Evaluator<'p>,
    reader: RecordReader<'p>,
    template: JsonTemplate<'p>,
    /// Reused for every record.
    decision: Decision,
    summary: Summary,
    record: Record,
}

impl Batch<'_> {
    fn jsonl(
        &mut self,
        input: &mut dyn BufRead,
        output: &mut dyn Write,
        on_error: &mut dyn FnMut(&RecordError) -> io::Result<()>,
        format: Format,
        progress: Progress<'_>,
    ) -> io::Result<()> {
        let mut sink = Sink::new(format, output)?;
        let mut line = Vec::with_capacity(1024);
        let mut line_number = 0u64;
        let mut bytes = 0u64;
        loop {
            line.clear();
            let n = input.read_until(b'\n', &mut line)?;
            if n == 0 {
                break;
            }
            bytes += n as u64;
            line_number += 1;
            let trimmed = trim_ascii(&line);
            if trimmed.is_empty() {
                continue;
            }
            let at = Position {
                record: self.summary.read + 1,
                line: line_number,
            };
            self.summary.read += 1;
            let mut record = std::mem::take(&mut self.record);
            let outcome = self.reader.json(trimmed, at, &mut record);
            self.decide(outcome, at, &record, &mut sink, on_error)?;
            self.record = record;
            // Hand full chunks to the writer so memory stays flat (and small) however long the run.
            if let Sink::Json { buffer, out } = &mut sink {
                if buffer.len() >= 1 << 16 {
                    out.write_all(buffer)?;
                    buffer.clear();
                }
            }
            if self.summary.read.is_multiple_of(8192) {
                progress(self.summary.read, bytes);
            }
        }
        progress(self.summary.read, bytes);
        sink.finish()
    }

    fn csv(
        &mut self,
        input: &mut dyn BufRead,
        output: &mut dyn Write,
        on_error: &mut dyn FnMut(&RecordError) -> io::Result<()>,
        format: Format,
        progress: Progress<'_>,
    ) -> io::Result<()> {
        let mut sink = Sink::new(format, output)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(input);
        let header = reader.byte_headers().map_err(io::Error::other)?.clone();
        let columns = self
            .reader
            .columns(&header)
            .map_err(|message| io::Error::new(io::ErrorKind::InvalidData, message))?;
        let mut row = csv::ByteRecord::new();
        loop {
            let at_line = reader.position().line() + 1;
            let more = reader.read_byte_record(&mut row);
            let at = Position {
                record: self.summary.read + 1,
                line: row.position().map_or(at_line, |p| p.line()),
            };
            let outcome = match more {
                Ok(false) => break,
                Ok(true) if row.len() != header.len() => Err(RecordError {
                    record: at.record,
                    line: at.line,
                    id: None,
                    field: None,
                    error: Problem::MalformedRecord,
                    message: format!(
                        "the row has {} fields, but the header has {}",
                        row.len(),
                        header.len()
                    ),
                }),
                Ok(true) => {
                    let mut record = std::mem::take(&mut self.record);
                    let outcome = self.reader.csv(&columns, &row, at, &mut record);
                    self.record = record;
                    outcome
                }
                Err(e) if e.is_io_error() => return Err(io::Error::other(e)),
                Err(e) => Err(RecordError {
                    record: at.record,
                    line: at.line,
                    id: None,
                    field: None,
                    error: Problem::MalformedRecord,
                    message: format!("malformed CSV: {e}"),
                }),
            };
            self.summary.read += 1;
            let record = std::mem::take(&mut self.record);
            self.decide(outcome, at, &record, &mut sink, on_error)?;
            self.record = record;
            if self.summary.read.is_multiple_of(8192) {
                progress(self.summary.read, reader.position().byte());
            }
        }
        progress(self.summary.read, reader.position().byte());
        sink.finish()
    }

    /// Evaluates a validated record (or passes its error on) and writes the result.
    fn decide(
        &mut self,
        validated: Result<(), RecordError>,
        at: Position,
        record: &Record,
        sink: &mut Sink<'_>,
        on_error: &mut dyn FnMut(&RecordError) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut decision = std::mem::take(&mut self.decision);
        let result = validated.and_then(|()| {
            self.evaluator
                .evaluate_into(&record.values, &mut decision)
                .map_err(|e| self.eval_error(e, at, record.id.clone()))
        });
        let written = self.write(result, at, record, &decision, sink, on_error);
        self.decision = decision;
        written
    }

    fn write(
        &mut self,
        result: Result<(), RecordError>,
        at: Position,
        record: &Record,
        decision: &Decision,
        sink: &mut Sink<'_>,
        on_error: &mut dyn FnMut(&RecordError) -> io::Result<()>,
    ) -> io::Result<()> {
        match result {
            Ok(()) => {
                self.summary.decided += 1;
                let tier = decision
                    .tier
                    .and_then(|t| self.policy.tiers.get(t))
                    .map_or("", |t| t.name.as_str());
                bump(&mut self.summary.tiers, tier);
                for c in &decision.consequences {
                    if let Some(c) = self.policy.consequences.get(*c) {
                        bump(&mut self.summary.consequences, &c.name);
                    }
                }
                let at = RecordRef {
                    record: at.record,
                    id: record.id.as_deref(),
                };
                match sink {
                    Sink::Json { buffer, .. } => {
                        self.template.write(buffer, at, decision, &record.values)
                    }
                    Sink::Csv(writer) => writer.write_record(csv_row(self.policy, at, decision))?,
                }
            }
            Err(error) => {
                self.summary.rejected += 1;
                *self
                    .summary
                    .rejected_by_problem
                    .entry(error.error)
                    .or_insert(0) += 1;
                on_error(&error)?;
            }
        }
        Ok(())
    }

    fn eval_error(&self, e: EvalError, at: Position, id: Option<String>) -> RecordError {
        let (what, name) = match e.site {
            Site::Let(i) => (
                "derived value",
                self.policy.lets.get(i).map(|l| l.name.clone()),
            ),
            Site::Rule(i) => ("rule", self.policy.rules.get(i).map(|r| r.name.clone())),
            Site::Consequence(i) => (
                "consequence",
                self.policy.consequences.get(i).map(|c| c.name.clone()),
            ),
        };
        let shown = name.clone().unwrap_or_default();
        let (error, message) = match e.kind {
            EvalErrorKind::Overflow => (
                Problem::Overflow,
                format!("computing {what} `{shown}` overflowed the exact decimal range"),
            ),
            EvalErrorKind::DivisionByZero => (
                Problem::DivisionByZero,
                format!("computing {what} `{shown}` divided by zero"),
            ),
            EvalErrorKind::Internal(why) => (
                Problem::Internal,
                format!("internal error computing {what} `{shown}`: {why}"),
            ),
        };
        RecordError {
            record: at.record,
            line: at.line,
            id,
            field: name,
            error,
            message,
        }
    }
}

fn bump(map: &mut BTreeMap<String, u64>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_string(), 1);
        }
    }
}

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    bytes.get(start..end).unwrap_or(&[])
}
