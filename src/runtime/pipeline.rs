//! The batch driver: the calling thread reads the input in chunks and writes results; workers
//! score the chunks in between.
//!
//! With one thread, each chunk is scored on the calling thread as soon as it is read. With more,
//! up to two chunks per worker are in flight: the reading thread hands chunks over through a
//! bounded channel, workers send back what they made of them, and results are written strictly
//! in input order (a result that arrives early waits for the ones before it). So the output, the
//! errors and the summary are the same bytes whatever the number of threads, and memory is
//! bounded by the chunks in flight, not by the length of the input. Buffers go round: a written
//! chunk and its result are refilled for a later one.

use super::chunks::{Chunk, Source};
use super::csv_form;
use super::error::RecordError;
use super::record::Reader;
use super::score::{Form, Scored, Scorer};
use super::select::Needs;
use super::stream::{Annotate, Counts, Engine, Format, Options, Progress, Summary};
use super::Template;
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::sync::{mpsc, Mutex};

/// A batch to run: the engine, and what the run writes.
pub(super) struct Batch<'e, E: Engine> {
    pub engine: &'e E,
    pub options: &'e Options,
    pub needs: Needs,
    pub annotate: Option<Annotate<'e, <E as Template>::Lets>>,
}

/// Runs a batch (see [`super::stream::run`]).
pub(super) fn run<E: Engine>(
    batch: Batch<'_, E>,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    on_error: &mut dyn FnMut(&RecordError) -> io::Result<()>,
    progress: Progress<'_>,
) -> io::Result<Summary> {
    let options = batch.options;
    if batch.engine.index(&options.id_field).is_some() {
        // Its values would be taken as ids and never reach the indicator, so every record would
        // be decided as if it were missing.
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "the id field `{}` is an indicator of the policy: name a field the policy does \
                 not read with --id-field (the default is `id`)",
                options.id_field
            ),
        ));
    }
    let mut writer = Writer {
        output,
        on_error,
        progress,
        counts: Counts::default(),
        bytes: 0,
    };
    if options.output == Format::Csv {
        writer.csv_header(options)?;
    }
    let (mut source, columns) = match options.input {
        Format::Jsonl => (Source::jsonl(input), None),
        Format::Csv => {
            let (source, header) = Source::csv(input)?;
            let columns = Reader::new(options.id_field.as_str())
                .columns(batch.engine, &header)
                .map_err(|message| io::Error::new(io::ErrorKind::InvalidData, message))?;
            (source, Some(columns))
        }
    };
    let form = Form {
        engine: batch.engine,
        output: options.output,
        fields: options.fields,
        needs: batch.needs,
        annotate: batch.annotate,
        columns: columns.as_ref(),
    };
    if options.threads <= 1 {
        let mut scorer = Scorer::new(form, &options.id_field);
        let mut chunk = Chunk::default();
        let mut scored = Scored::default();
        let mut framed = 0;
        while source.fill(&mut chunk, framed)? {
            framed += chunk.items.len() as u64;
            scorer.score(&chunk, &mut scored)?;
            writer.write(&chunk, &mut scored)?;
        }
    } else {
        in_parallel(form, options, &mut source, &mut writer)?;
    }
    writer.output.flush()?;
    (writer.progress)(writer.counts.read, writer.bytes);
    Ok(writer.counts.summary(batch.engine))
}

/// A chunk on its way: its place in the input, the chunk, and the buffers its result goes into.
type Work = (u64, Chunk, Scored);
/// A chunk scored.
type Done = (u64, Chunk, Scored, io::Result<()>);

/// Scores the chunks of `source` on `options.threads` workers, writing results in input order.
fn in_parallel<E: Engine>(
    form: Form<'_, E>,
    options: &Options,
    source: &mut Source<'_>,
    writer: &mut Writer<'_>,
) -> io::Result<()> {
    let threads = options.threads;
    let in_flight_at_most = 2 * threads;
    let (work, next_work) = mpsc::sync_channel::<Work>(in_flight_at_most);
    let next_work = Mutex::new(next_work);
    let (done, finished) = mpsc::channel::<Done>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let next_work = &next_work;
            let done = done.clone();
            let id_field = options.id_field.as_str();
            scope.spawn(move || {
                let mut scorer = Scorer::new(form, id_field);
                loop {
                    // The lock is held only while waiting for the next chunk, not to score it.
                    let next = match next_work.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => break,
                    };
                    let Ok((place, chunk, mut scored)) = next else {
                        break;
                    };
                    let result = scorer.score(&chunk, &mut scored);
                    if done.send((place, chunk, scored, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done);
        let mut order = InOrder::default();
        let mut framed = 0;
        loop {
            while order.in_flight >= in_flight_at_most {
                order.wait(&finished, writer)?;
            }
            let (mut chunk, scored) = order.spare.pop().unwrap_or_default();
            if !source.fill(&mut chunk, framed)? {
                break;
            }
            framed += chunk.items.len() as u64;
            if work.send((order.sent, chunk, scored)).is_err() {
                return Err(io::Error::other("the scoring threads stopped"));
            }
            order.sent += 1;
            order.in_flight += 1;
            while let Ok(result) = finished.try_recv() {
                order.arrived(result, writer)?;
            }
        }
        // No more work: the workers stop once the channel is empty.
        drop(work);
        while order.in_flight > 0 {
            order.wait(&finished, writer)?;
        }
        Ok(())
    })
}

/// Results written in input order.
#[derive(Default)]
struct InOrder {
    /// Chunks handed over, and of them those not yet back.
    sent: u64,
    in_flight: usize,
    /// The place of the next result to write.
    next: u64,
    /// Results that came back before the ones before them.
    early: BTreeMap<u64, (Chunk, Scored)>,
    /// Buffers written out, to fill again.
    spare: Vec<(Chunk, Scored)>,
}

impl InOrder {
    /// Waits for one result and writes what it makes ready.
    fn wait(&mut self, finished: &mpsc::Receiver<Done>, writer: &mut Writer<'_>) -> io::Result<()> {
        match finished.recv() {
            Ok(result) => self.arrived(result, writer),
            Err(_) => Err(io::Error::other("the scoring threads stopped")),
        }
    }

    fn arrived(
        &mut self,
        (place, chunk, scored, result): Done,
        writer: &mut Writer<'_>,
    ) -> io::Result<()> {
        result?;
        self.in_flight -= 1;
        self.early.insert(place, (chunk, scored));
        while let Some((chunk, mut scored)) = self.early.remove(&self.next) {
            writer.write(&chunk, &mut scored)?;
            self.spare.push((chunk, scored));
            self.next += 1;
        }
        Ok(())
    }
}

/// The calling thread's end of a batch: decisions to the output, errors to `on_error`, counts
/// into the summary, progress reports.
struct Writer<'w> {
    output: &'w mut dyn Write,
    on_error: &'w mut dyn FnMut(&RecordError) -> io::Result<()>,
    progress: Progress<'w>,
    counts: Counts,
    /// Input bytes read up to the last chunk written.
    bytes: u64,
}

impl Writer<'_> {
    fn csv_header(&mut self, options: &Options) -> io::Result<()> {
        let mut header = csv::Writer::from_writer(Vec::new());
        header.write_record(csv_form::header(options.fields))?;
        header.flush()?;
        self.output.write_all(header.get_ref())
    }

    /// Writes a scored chunk's results.
    fn write(&mut self, chunk: &Chunk, scored: &mut Scored) -> io::Result<()> {
        self.output.write_all(&scored.output)?;
        for error in &scored.errors {
            (self.on_error)(error)?;
        }
        self.counts.take(&mut scored.counts);
        self.bytes = chunk.bytes;
        (self.progress)(self.counts.read, chunk.bytes);
        Ok(())
    }
}
