//! Batch evaluation: records stream in (JSONL or CSV), decisions and per-record errors stream out.
//! Memory does not grow with the number of records, and every record read is accounted for:
//! `read = decided + rejected`, always.

use super::decision::{csv_row, write_json, Decision, Names, RecordRef, Template, CSV_HEADER};
use super::error::{EvalError, Position, Problem, RecordError, Site};
use super::output::json_string;
use super::record::{Fields, Id, Reader};
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};

/// An evaluator for one policy: reads its records, decides them, and writes its decisions.
pub trait Engine: Fields + Names + Template<Record = <Self as Fields>::Record> {
    /// Decides one validated record into `decision`, reusing its buffers.
    fn evaluate(
        &self,
        record: &<Self as Fields>::Record,
        decision: &mut Decision<<Self as Template>::Lets>,
    ) -> Result<(), EvalError>;
}

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

impl Summary {
    /// The summary as printed after a run: counts, rejections by problem, tiers, consequences.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "{} records read: {} decided, {} rejected",
            self.read, self.decided, self.rejected
        );
        if !self.rejected_by_problem.is_empty() {
            let parts: Vec<String> = self
                .rejected_by_problem
                .iter()
                .map(|(p, n)| format!("{} {n}", p.as_str()))
                .collect();
            text.push_str(&format!(" ({})", parts.join(", ")));
        }
        if !self.tiers.is_empty() {
            let parts: Vec<String> = self
                .tiers
                .iter()
                .map(|(t, n)| format!("{} {n}", if t.is_empty() { "(no tier)" } else { t }))
                .collect();
            text.push_str(&format!("\ntiers: {}", parts.join(", ")));
        }
        if !self.consequences.is_empty() {
            let parts: Vec<String> = self
                .consequences
                .iter()
                .map(|(c, n)| format!("{c} {n}"))
                .collect();
            text.push_str(&format!("\nconsequences: {}", parts.join(", ")));
        }
        text
    }
}

/// Receives progress reports (records read, input bytes consumed) now and then.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// Writes extra members into a JSON decision, from the decision in memory (`rubric eval
/// --explain` adds `"explanation"`): called with the output positioned just before the closing
/// `}`, it writes `,"name":value…`.
pub type Annotate<'a, L> = &'a dyn Fn(&Decision<L>, &mut Vec<u8>);

/// Runs a batch. Errors go to `on_error` (which may write them anywhere); I/O errors on the
/// input or output stop the run.
pub fn run<E: Engine>(
    engine: &E,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    on_error: &mut dyn FnMut(&RecordError) -> io::Result<()>,
    options: &Options,
    progress: Progress<'_>,
) -> io::Result<Summary>
where
    <E as Fields>::Record: Default,
    <E as Template>::Lets: Default,
{
    run_annotated(engine, input, output, on_error, options, progress, None)
}

/// [`run`], with `annotate` adding members to every JSON decision.
pub fn run_annotated<E: Engine>(
    engine: &E,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    on_error: &mut dyn FnMut(&RecordError) -> io::Result<()>,
    options: &Options,
    progress: Progress<'_>,
    annotate: Option<Annotate<'_, <E as Template>::Lets>>,
) -> io::Result<Summary>
where
    <E as Fields>::Record: Default,
    <E as Template>::Lets: Default,
{
    let mut batch = Batch {
        engine,
        annotate,
        reader: Reader::new(options.id_field.clone()),
        tier_counts: Vec::new(),
        no_tier: 0,
        consequence_counts: Vec::new(),
        decision: Decision::default(),
        summary: Summary::default(),
        record: Default::default(),
        id: None,
    };
    match options.input {
        Format::Jsonl => batch.jsonl(input, output, on_error, options.output, progress)?,
        Format::Csv => batch.csv(input, output, on_error, options.output, progress)?,
    }
    Ok(batch.summary())
}

/// Adds one to `counts[index]`, growing it as needed.
fn count(counts: &mut Vec<u64>, index: usize) {
    if counts.len() <= index {
        counts.resize(index + 1, 0);
    }
    if let Some(n) = counts.get_mut(index) {
        *n += 1;
    }
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

struct Batch<'e, E: Engine> {
    engine: &'e E,
    annotate: Option<Annotate<'e, <E as Template>::Lets>>,
    reader: Reader,
    /// Decisions per tier index, outside every tier, and per consequence index, turned into the
    /// summary's maps at the end.
    tier_counts: Vec<u64>,
    no_tier: u64,
    consequence_counts: Vec<u64>,
    /// Reused for every record.
    decision: Decision<<E as Template>::Lets>,
    summary: Summary,
    record: <E as Fields>::Record,
    id: Option<Id>,
}

impl<E: Engine> Batch<'_, E> {
    fn summary(self) -> Summary {
        let mut summary = self.summary;
        let engine = self.engine;
        for (index, n) in self.tier_counts.iter().enumerate() {
            if *n > 0 {
                *summary
                    .tiers
                    .entry(engine.tier_name(index).to_string())
                    .or_insert(0) += n;
            }
        }
        if self.no_tier > 0 {
            *summary.tiers.entry(String::new()).or_insert(0) += self.no_tier;
        }
        for (index, n) in self.consequence_counts.iter().enumerate() {
            if *n > 0 {
                *summary
                    .consequences
                    .entry(engine.consequence_name(index).to_string())
                    .or_insert(0) += n;
            }
        }
        summary
    }

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
            let outcome =
                self.reader
                    .json(self.engine, trimmed, at, &mut self.record, &mut self.id);
            self.decide(outcome, at, &mut sink, on_error)?;
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
            .columns(self.engine, &header)
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
                Ok(true) if row.len() != header.len() => Err(RecordError::new(
                    at,
                    None,
                    None,
                    Problem::MalformedRecord,
                    format!(
                        "the row has {} fields, but the header has {}",
                        row.len(),
                        header.len()
                    ),
                )),
                Ok(true) => self.reader.csv(
                    self.engine,
                    &columns,
                    &row,
                    at,
                    &mut self.record,
                    &mut self.id,
                ),
                Err(e) if e.is_io_error() => return Err(io::Error::other(e)),
                Err(e) => Err(RecordError::new(
                    at,
                    None,
                    None,
                    Problem::MalformedRecord,
                    format!("malformed CSV: {e}"),
                )),
            };
            self.summary.read += 1;
            self.decide(outcome, at, &mut sink, on_error)?;
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
        sink: &mut Sink<'_>,
        on_error: &mut dyn FnMut(&RecordError) -> io::Result<()>,
    ) -> io::Result<()> {
        let engine = self.engine;
        let result = validated.and_then(|()| {
            engine
                .evaluate(&self.record, &mut self.decision)
                .map_err(|e| {
                    let name = match e.site {
                        Site::Let(i) => engine.let_name(i),
                        Site::Rule(i) => engine.rule_name(i),
                        Site::Consequence(i) => engine.consequence_name(i),
                    };
                    RecordError::computing(e.kind, e.site, name, at, self.id.clone())
                })
        });
        match result {
            Ok(()) => {
                let decision = &self.decision;
                self.summary.decided += 1;
                match decision.tier {
                    Some(t) => count(&mut self.tier_counts, t),
                    None => self.no_tier += 1,
                }
                for c in &decision.consequences {
                    count(&mut self.consequence_counts, *c);
                }
                let at = RecordRef {
                    record: at.record,
                    id: self.id.as_ref(),
                };
                match sink {
                    Sink::Json { buffer, .. } => {
                        write_json(engine, buffer, at, decision, &self.record);
                        if !self.reader.invalid.is_empty() && buffer.ends_with(b"}\n") {
                            // Values `invalid means missing` forgave: the decision says which.
                            buffer.truncate(buffer.len() - 2);
                            buffer.extend_from_slice(b",\"invalid_as_missing\":[");
                            for (k, index) in self.reader.invalid.iter().enumerate() {
                                if k > 0 {
                                    buffer.push(b',');
                                }
                                json_string(buffer, engine.name(*index));
                            }
                            buffer.extend_from_slice(b"]}\n");
                        }
                        if let Some(annotate) = self.annotate {
                            // Each decision ends with `}\n`: the members go before it.
                            if buffer.ends_with(b"}\n") {
                                buffer.truncate(buffer.len() - 2);
                                annotate(decision, buffer);
                                buffer.extend_from_slice(b"}\n");
                            }
                        }
                    }
                    Sink::Csv(writer) => writer.write_record(csv_row(engine, at, decision))?,
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
