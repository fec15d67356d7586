//! Scoring one chunk of records: each is validated, decided and written (or its error kept), into
//! buffers that go back to the writing thread whole. A [`Scorer`] is one worker's state, reused
//! from chunk to chunk: its record, its decision and its output buffers.

use super::chunks::{Chunk, Item};
use super::csv_form;
use super::decision::{open_json, Decision, RecordRef};
use super::error::{Position, RecordError, Site};
use super::output::json_string;
use super::record::{CsvColumns, Fields, Id, Reader};
use super::select::{Member, Needs, Selection};
use super::stream::{count, Annotate, Counts, Engine, Format};
use super::Template;
use std::io;

/// What a worker made of a chunk.
#[derive(Debug, Default)]
pub(super) struct Scored {
    /// The decisions, as they go to the output.
    pub output: Vec<u8>,
    /// The rejected records, in input order.
    pub errors: Vec<RecordError>,
    pub counts: Counts,
}

/// How every worker of a batch writes: the same for all of them.
pub(super) struct Form<'e, E: Engine> {
    pub engine: &'e E,
    pub output: Format,
    pub fields: Selection,
    pub needs: Needs,
    pub annotate: Option<Annotate<'e, <E as Template>::Lets>>,
    /// For CSV input: which indicator each column feeds.
    pub columns: Option<&'e CsvColumns>,
}

// Not derived: that would ask for `E: Copy`, and only the reference is copied.
impl<E: Engine> Clone for Form<'_, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E: Engine> Copy for Form<'_, E> {}

/// One worker.
pub(super) struct Scorer<'e, E: Engine> {
    form: Form<'e, E>,
    reader: Reader,
    record: <E as Fields>::Record,
    id: Option<Id>,
    decision: Decision<<E as Template>::Lets>,
    /// For CSV output: a field's text, before the csv crate quotes it.
    scratch: Vec<u8>,
}

impl<'e, E: Engine> Scorer<'e, E> {
    pub fn new(form: Form<'e, E>, id_field: &str) -> Self {
        Scorer {
            form,
            reader: Reader::new(id_field),
            record: Default::default(),
            id: None,
            decision: Decision::default(),
            scratch: Vec::new(),
        }
    }

    /// Scores every record of `chunk` into `scored` (emptied first).
    pub fn score(&mut self, chunk: &Chunk, scored: &mut Scored) -> io::Result<()> {
        scored.output.clear();
        scored.errors.clear();
        match self.form.output {
            Format::Jsonl => {
                let mut output = std::mem::take(&mut scored.output);
                let result = self.score_into(chunk, scored, &mut Sink::Json(&mut output));
                scored.output = output;
                result
            }
            Format::Csv => {
                // CSV rows go through the csv crate (which quotes what needs quoting), into the
                // chunk's buffer.
                let mut writer = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(std::mem::take(&mut scored.output));
                let result = self.score_into(chunk, scored, &mut Sink::Csv(&mut writer));
                scored.output = writer.into_inner().map_err(|e| e.into_error())?;
                result
            }
        }
    }

    fn score_into(
        &mut self,
        chunk: &Chunk,
        scored: &mut Scored,
        sink: &mut Sink<'_>,
    ) -> io::Result<()> {
        for (index, item) in chunk.items.iter().enumerate() {
            let (validated, at) = match item {
                Item::Line { start, end, line } => {
                    let at = chunk.position(index, *line);
                    let text = chunk.data.get(*start..*end).unwrap_or(&[]);
                    let validated = self.reader.json(
                        self.form.engine,
                        text,
                        at,
                        &mut self.record,
                        &mut self.id,
                    );
                    (validated, at)
                }
                Item::Row { row, line } => {
                    let at = chunk.position(index, *line);
                    let validated = match (chunk.rows.get(*row), self.form.columns) {
                        (Some(row), Some(columns)) => self.reader.csv(
                            self.form.engine,
                            columns,
                            row,
                            at,
                            &mut self.record,
                            &mut self.id,
                        ),
                        _ => continue,
                    };
                    (validated, at)
                }
                Item::Fault(error) => {
                    scored.counts.read += 1;
                    reject(scored, error.clone());
                    continue;
                }
            };
            self.decide(validated, at, scored, sink)?;
        }
        Ok(())
    }

    /// Evaluates a validated record (or passes its error on) and writes the result.
    fn decide(
        &mut self,
        validated: Result<(), RecordError>,
        at: Position,
        scored: &mut Scored,
        sink: &mut Sink<'_>,
    ) -> io::Result<()> {
        let form = self.form;
        let engine = form.engine;
        scored.counts.read += 1;
        let result = validated.and_then(|()| {
            engine
                .evaluate(&self.record, &mut self.decision, form.needs)
                .map_err(|e| {
                    let name = match e.site {
                        Site::Let(i) => engine.let_name(i),
                        Site::Rule(i) => engine.rule_name(i),
                        Site::Consequence(i) => engine.consequence_name(i),
                    };
                    RecordError::computing(e.kind, e.site, name, at, self.id.clone())
                })
        });
        if let Err(error) = result {
            reject(scored, error);
            return Ok(());
        }
        let decision = &self.decision;
        let counts = &mut scored.counts;
        counts.decided += 1;
        match decision.tier {
            Some(t) => count(&mut counts.tiers, t),
            None => counts.no_tier += 1,
        }
        for c in &decision.consequences {
            count(&mut counts.consequences, *c);
        }
        let at = RecordRef {
            record: at.record,
            id: self.id.as_ref(),
        };
        let out = match sink {
            Sink::Csv(writer) => {
                return csv_form::write_row(
                    engine,
                    writer,
                    &mut self.scratch,
                    at,
                    decision,
                    form.fields,
                )
                .map_err(io::Error::other)
            }
            Sink::Json(out) => &mut **out,
        };
        let mut object = open_json(engine, out, at, decision, &self.record, form.fields);
        if form.fields.has(Member::InvalidAsMissing) && !self.reader.invalid.is_empty() {
            // Values `invalid means missing` forgave: the decision says which.
            let out = object.member(b"\"invalid_as_missing\":[");
            for (k, index) in self.reader.invalid.iter().enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                json_string(out, engine.name(*index));
            }
            out.push(b']');
        }
        let empty = object.empty;
        let out = object.out;
        if let Some(annotate) = form.annotate {
            let mark = out.len();
            annotate(decision, out);
            // Its members start with a comma, which the first member of an object goes without.
            if empty && out.get(mark) == Some(&b',') {
                out.remove(mark);
            }
        }
        out.extend_from_slice(b"}\n");
        Ok(())
    }
}

/// Where a chunk's decisions go.
enum Sink<'s> {
    Json(&'s mut Vec<u8>),
    Csv(&'s mut csv::Writer<Vec<u8>>),
}

/// Counts a rejected record (already counted as read) and keeps its error.
fn reject(scored: &mut Scored, error: RecordError) {
    scored.counts.rejected += 1;
    *scored
        .counts
        .rejected_by_problem
        .entry(error.error)
        .or_insert(0) += 1;
    scored.errors.push(error);
}
