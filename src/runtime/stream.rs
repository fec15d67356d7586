//! Batch evaluation: records stream in (JSONL or CSV), decisions and per-record errors stream out.
//! Memory does not grow with the number of records, and every record read is accounted for:
//! `read = decided + rejected`, always.
//!
//! This file holds the batch's contract ([`Engine`], [`Options`], [`Summary`]); the input is read
//! in chunks (`chunks.rs`), each chunk scored by one worker (`score.rs`), and `pipeline.rs` hands
//! chunks to the workers and writes their results in input order, so that the output is the same
//! bytes whatever the number of threads.

use super::decision::{Decision, Names, Template};
use super::error::{EvalError, Problem, RecordError};
use super::record::Fields;
use super::select::{Needs, Selection};
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};

/// An evaluator for one policy: reads its records, decides them, and writes its decisions.
/// Batches score records on several threads at once: an engine is shared by them (`Sync`), and
/// each keeps its own record and decision (`Send`).
pub trait Engine:
    Fields<Record: Default + Send>
    + Names
    + Template<Record = <Self as Fields>::Record, Lets: Default + Send>
    + Sync
{
    /// Decides one validated record into `decision`, reusing its buffers. What `needs` leaves
    /// out (reasons nobody will write) may be left undone.
    fn evaluate(
        &self,
        record: &<Self as Fields>::Record,
        decision: &mut Decision<<Self as Template>::Lets>,
        needs: Needs,
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
    /// How many threads score records (1: the calling thread alone). The output is the same.
    pub threads: usize,
    /// What each decision carries.
    pub fields: Selection,
}

impl Default for Options {
    /// JSON lines in and out, ids in `id`, one thread, full decisions.
    fn default() -> Self {
        Options {
            input: Format::Jsonl,
            output: Format::Jsonl,
            id_field: "id".to_string(),
            threads: 1,
            fields: Selection::ALL,
        }
    }
}

/// The threads a batch uses unless told otherwise: as many as the machine runs at once.
pub fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
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
/// `}`, it writes `,"name":value…`. Called from any of the batch's threads.
pub type Annotate<'a, L> = &'a (dyn Fn(&Decision<L>, &mut Vec<u8>) + Sync);

/// Runs a batch. Errors go to `on_error` (which may write them anywhere), in input order; I/O
/// errors on the input or output stop the run.
pub fn run<E: Engine>(
    engine: &E,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    on_error: &mut dyn FnMut(&RecordError) -> io::Result<()>,
    options: &Options,
    progress: Progress<'_>,
) -> io::Result<Summary> {
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
) -> io::Result<Summary> {
    let needs = match annotate {
        // An annotation may read anything of the decision.
        Some(_) => Needs::ALL,
        None => options.fields.needs(),
    };
    super::pipeline::run(
        super::pipeline::Batch {
            engine,
            options,
            needs,
            annotate,
        },
        input,
        output,
        on_error,
        progress,
    )
}

/// What a batch counted: the summary's numbers, with tiers and consequences by index until the
/// end (chunks scored on different threads are counted apart and added up).
#[derive(Clone, Debug, Default)]
pub(super) struct Counts {
    pub read: u64,
    pub decided: u64,
    pub rejected: u64,
    pub rejected_by_problem: BTreeMap<Problem, u64>,
    /// Decisions per tier index, outside every tier, and per consequence index.
    pub tiers: Vec<u64>,
    pub no_tier: u64,
    pub consequences: Vec<u64>,
}

impl Counts {
    /// Adds `other` to these counts, and empties it for reuse.
    pub fn take(&mut self, other: &mut Counts) {
        self.read += std::mem::take(&mut other.read);
        self.decided += std::mem::take(&mut other.decided);
        self.rejected += std::mem::take(&mut other.rejected);
        for (problem, n) in std::mem::take(&mut other.rejected_by_problem) {
            *self.rejected_by_problem.entry(problem).or_insert(0) += n;
        }
        add_all(&mut self.tiers, &mut other.tiers);
        self.no_tier += std::mem::take(&mut other.no_tier);
        add_all(&mut self.consequences, &mut other.consequences);
    }

    /// The summary, with tiers and consequences by name.
    pub fn summary<N: Names + ?Sized>(self, names: &N) -> Summary {
        let mut summary = Summary {
            read: self.read,
            decided: self.decided,
            rejected: self.rejected,
            rejected_by_problem: self.rejected_by_problem,
            ..Summary::default()
        };
        for (index, n) in self.tiers.iter().enumerate() {
            if *n > 0 {
                *summary
                    .tiers
                    .entry(names.tier_name(index).to_string())
                    .or_insert(0) += n;
            }
        }
        if self.no_tier > 0 {
            *summary.tiers.entry(String::new()).or_insert(0) += self.no_tier;
        }
        for (index, n) in self.consequences.iter().enumerate() {
            if *n > 0 {
                *summary
                    .consequences
                    .entry(names.consequence_name(index).to_string())
                    .or_insert(0) += n;
            }
        }
        summary
    }
}

/// Adds one to `counts[index]`, growing it as needed.
pub(super) fn count(counts: &mut Vec<u64>, index: usize) {
    if counts.len() <= index {
        counts.resize(index + 1, 0);
    }
    if let Some(n) = counts.get_mut(index) {
        *n += 1;
    }
}

/// Adds `from` into `into` index by index, and zeroes `from`.
fn add_all(into: &mut Vec<u64>, from: &mut [u64]) {
    if into.len() < from.len() {
        into.resize(from.len(), 0);
    }
    for (total, n) in into.iter_mut().zip(from.iter_mut()) {
        *total += std::mem::take(n);
    }
}
