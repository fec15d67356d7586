//! Synthetic records for a policy, for benchmarks, demos and tests (`rubric gen`).
//!
//! Records follow the indicator declarations (types, ranges, enum members, missing-value rules)
//! with a realistic spread of values (see `field.rs`), and are written as JSON lines or CSV in the
//! shape `rubric eval` reads. Every tier and every consequence of the policy occurs at least once
//! when there are enough records: each record is decided by the interpreter as it is made, and
//! while some tier or consequence has not been seen, a record that brings nothing new is replaced
//! by one found by a bounded search for it (`search.rs`). What the search cannot reach is reported
//! in the [`Coverage`].
//!
//! The output depends only on the policy, the number of records and the seed: values come from
//! ChaCha8 generators and integer arithmetic, never from floating point or the platform, so the
//! same arguments give byte-identical output everywhere. Records are streamed: memory does not
//! grow with their number.
//!
//! | file | job |
//! |---|---|
//! | `field.rs` | how one indicator's values are drawn, plain or steered |
//! | `search.rs` | targets, and how far a decided record is from one |
//! | `write.rs` | records as JSON lines and CSV rows |

mod field;
mod search;
mod write;

pub use crate::eval::Format;

use crate::eval::{Decision, Evaluator};
use crate::ir::{Missing, Policy, Value};
use field::Field;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use search::{Ctx, Target};
use std::fmt;
use std::io::{self, Write};

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub records: u64,
    pub seed: u64,
    pub format: Format,
    /// CSV: a `record` column first (1, 2, …), the layout of the SQL backend's input table.
    pub record_numbers: bool,
}

/// What a generated sample contains, for the summary and for checking that it covers the policy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    pub records: u64,
    /// Records per tier, in declaration order.
    pub tiers: Vec<(String, u64)>,
    /// Records whose score lies outside every tier.
    pub no_tier: u64,
    /// Records per consequence, in declaration order.
    pub consequences: Vec<(String, u64)>,
    /// Records made by the coverage search rather than drawn plainly.
    pub steered: u64,
    /// Records the interpreter could not decide (division by zero, overflow) even after redraws.
    pub undecided: u64,
}

impl Coverage {
    /// Tiers and consequences that no record reached, as `tier NAME` / `consequence NAME`.
    pub fn unreached(&self) -> Vec<String> {
        let tiers = self
            .tiers
            .iter()
            .filter(|(_, n)| *n == 0)
            .map(|(t, _)| format!("tier {t}"));
        let consequences = self
            .consequences
            .iter()
            .filter(|(_, n)| *n == 0)
            .map(|(c, _)| format!("consequence {c}"));
        tiers.chain(consequences).collect()
    }

    /// Every tier and every consequence was reached, and every record was decided.
    pub fn is_complete(&self) -> bool {
        self.unreached().is_empty() && self.undecided == 0
    }
}

/// One line: records, tiers and consequences reached with their counts, and what was not reached.
impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reached = |list: &[(String, u64)]| list.iter().filter(|(_, n)| *n > 0).count();
        let counts = |list: &[(String, u64)]| {
            list.iter()
                .map(|(name, n)| format!("{name} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        write!(
            f,
            "{} records ({} steered); tiers {}/{}",
            self.records,
            self.steered,
            reached(&self.tiers),
            self.tiers.len()
        )?;
        if !self.tiers.is_empty() {
            write!(f, " ({})", counts(&self.tiers))?;
        }
        if self.no_tier > 0 {
            write!(f, ", no tier {}", self.no_tier)?;
        }
        write!(
            f,
            "; consequences {}/{}",
            reached(&self.consequences),
            self.consequences.len()
        )?;
        if !self.consequences.is_empty() {
            write!(f, " ({})", counts(&self.consequences))?;
        }
        if self.undecided > 0 {
            write!(f, "; {} undecided", self.undecided)?;
        }
        let unreached = self.unreached();
        if !unreached.is_empty() {
            write!(f, "; not reached: {}", unreached.join(", "))?;
        }
        Ok(())
    }
}

/// Writes `records` JSON lines for `policy`, drawn from `seed`. See the module documentation.
pub fn generate(
    policy: &Policy,
    records: u64,
    seed: u64,
    out: &mut dyn Write,
) -> io::Result<Coverage> {
    let options = Options {
        records,
        seed,
        format: Format::Jsonl,
        record_numbers: false,
    };
    generate_with(policy, &options, out)
}

/// Writes records for `policy` as `options` say. Fails only on output errors, or (before writing
/// anything) for an indicator no value can be made for.
pub fn generate_with(
    policy: &Policy,
    options: &Options,
    out: &mut dyn Write,
) -> io::Result<Coverage> {
    let mut generator = Generator::new(policy, options.seed)?;
    let mut coverage = Coverage {
        tiers: policy.tiers.iter().map(|t| (t.name.clone(), 0)).collect(),
        consequences: policy
            .consequences
            .iter()
            .map(|c| (c.name.clone(), 0))
            .collect(),
        ..Coverage::default()
    };
    let mut sink = Sink::new(options.format, options.record_numbers, policy, out)?;
    for n in 1..=options.records {
        let (record, steered) = generator.next_record();
        coverage.count(&record, steered);
        sink.write(policy, &write::record_id(n), &record.values)?;
    }
    sink.finish()?;
    Ok(coverage)
}

impl Coverage {
    fn count(&mut self, record: &Candidate, steered: bool) {
        self.records += 1;
        if steered {
            self.steered += 1;
        }
        let Some(decision) = &record.decision else {
            self.undecided += 1;
            return;
        };
        match decision.tier.and_then(|t| self.tiers.get_mut(t)) {
            Some((_, n)) => *n += 1,
            None => self.no_tier += 1,
        }
        for c in &decision.consequences {
            if let Some((_, n)) = self.consequences.get_mut(*c) {
                *n += 1;
            }
        }
    }
}

/// Where records go.
enum Sink<'w> {
    Json {
        buffer: Vec<u8>,
        out: &'w mut dyn Write,
    },
    /// The writer, and the number of the last record written if rows are numbered.
    Csv(Box<csv::Writer<&'w mut dyn Write>>, Option<u64>),
}

impl<'w> Sink<'w> {
    fn new(
        format: Format,
        numbered: bool,
        policy: &Policy,
        out: &'w mut dyn Write,
    ) -> io::Result<Self> {
        Ok(match format {
            Format::Jsonl => Sink::Json {
                buffer: Vec::with_capacity(1 << 16),
                out,
            },
            Format::Csv => {
                let mut writer = csv::Writer::from_writer(out);
                write::csv_header(&mut writer, policy, numbered)?;
                Sink::Csv(Box::new(writer), numbered.then_some(0))
            }
        })
    }

    fn write(&mut self, policy: &Policy, id: &str, values: &[Option<Value>]) -> io::Result<()> {
        match self {
            Sink::Json { buffer, out } => {
                write::json_line(buffer, policy, id, values);
                if buffer.len() >= 1 << 16 {
                    out.write_all(buffer)?;
                    buffer.clear();
                }
                Ok(())
            }
            Sink::Csv(writer, number) => {
                let record = number.as_mut().map(|n| {
                    *n += 1;
                    *n
                });
                write::csv_row(writer, policy, record, id, values)
            }
        }
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Sink::Json { buffer, out } => {
                out.write_all(&buffer)?;
                out.flush()
            }
            Sink::Csv(mut writer, _) => writer.flush(),
        }
    }
}

/// A record being considered: its values as written (`None`: left out) and its decision (`None`:
/// the interpreter could not decide it).
struct Candidate {
    values: Vec<Option<Value>>,
    decision: Option<Decision>,
}

/// A plain record is redrawn this many times at most while the interpreter cannot decide it.
const PLAIN_TRIES: u32 = 20;
/// The search for one target starts afresh this many times...
const RESTARTS: u32 = 16;
/// ...and changes one field at a time this many times from each start.
const STEPS: u32 = 400;

struct Generator<'p> {
    policy: &'p Policy,
    evaluator: Evaluator<'p>,
    fields: Vec<Field>,
    /// Draws the plain records...
    plain: ChaCha8Rng,
    /// ...and this one the search, so that the plain records do not depend on it.
    search: ChaCha8Rng,
    targets: Vec<Target>,
    /// Per target: reached by a record already written.
    reached: Vec<bool>,
    /// Per target: the search gave up on it.
    given_up: Vec<bool>,
}

impl<'p> Generator<'p> {
    fn new(policy: &'p Policy, seed: u64) -> io::Result<Self> {
        let fields = Field::all(policy).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("cannot make values for `{}`: {}", e.field, e.reason),
            )
        })?;
        let mut search = ChaCha8Rng::seed_from_u64(seed);
        search.set_stream(1);
        let targets: Vec<Target> = (0..policy.tiers.len())
            .map(Target::Tier)
            .chain((0..policy.consequences.len()).map(Target::Consequence))
            .collect();
        Ok(Generator {
            policy,
            evaluator: Evaluator::new(policy),
            fields,
            plain: ChaCha8Rng::seed_from_u64(seed),
            search,
            reached: vec![false; targets.len()],
            given_up: vec![false; targets.len()],
            targets,
        })
    }

    /// The next record to write, and whether the search made it.
    fn next_record(&mut self) -> (Candidate, bool) {
        let plain = self.plain_record();
        let brings_new = plain
            .decision
            .as_ref()
            .is_some_and(|d| self.unseen().any(|(_, t)| t.reached(d)));
        let pending = self
            .unseen()
            .find(|(i, _)| !self.given_up.get(*i).copied().unwrap_or(true));
        let (record, steered) = match pending {
            Some((index, target)) if !brings_new => match self.search_for(target) {
                Some(found) => (found, true),
                None => {
                    if let Some(g) = self.given_up.get_mut(index) {
                        *g = true;
                    }
                    (plain, false)
                }
            },
            _ => (plain, false),
        };
        if let Some(decision) = &record.decision {
            for (target, reached) in self.targets.iter().zip(self.reached.iter_mut()) {
                *reached |= target.reached(decision);
            }
        }
        (record, steered)
    }

    /// Targets not reached yet, with their indices.
    fn unseen(&self) -> impl Iterator<Item = (usize, Target)> + '_ {
        self.targets
            .iter()
            .zip(&self.reached)
            .enumerate()
            .filter(|(_, (_, reached))| !**reached)
            .map(|(i, (t, _))| (i, *t))
    }

    fn plain_record(&mut self) -> Candidate {
        let mut tries = 0;
        loop {
            let values: Vec<Option<Value>> = self
                .fields
                .iter()
                .map(|f| f.draw(&mut self.plain, false))
                .collect();
            let decision = self.decide(&values);
            tries += 1;
            if decision.is_some() || tries >= PLAIN_TRIES {
                return Candidate { values, decision };
            }
        }
    }

    /// A bounded hill climb towards `target`: from a fresh record (plain or steered, in turn),
    /// change one field at a time and keep the change unless it moves away from the target.
    fn search_for(&mut self, target: Target) -> Option<Candidate> {
        for restart in 0..RESTARTS {
            let steered = restart % 2 == 1;
            let mut values: Vec<Option<Value>> = self
                .fields
                .iter()
                .map(|f| f.draw(&mut self.search, steered))
                .collect();
            let Some(mut best) = self.distance(&values, target) else {
                continue;
            };
            if best.is_zero() {
                return self.found(values);
            }
            for _ in 0..STEPS {
                let j = field::uniform_index(&mut self.search, self.fields.len());
                let Some(field) = self.fields.get(j) else {
                    break;
                };
                let Some(slot) = values.get_mut(j) else {
                    break;
                };
                // A third each: a plain value, a steered one, a small move from the current one.
                let value = match self.search.gen_range(0..3u32) {
                    0 => field.draw(&mut self.search, false),
                    1 => field.draw(&mut self.search, true),
                    _ => field.nudge(slot.as_ref(), &mut self.search),
                };
                let old = std::mem::replace(slot, value);
                match self.distance(&values, target) {
                    Some(d) if d.is_zero() => return self.found(values),
                    Some(d) if d <= best => best = d,
                    _ => {
                        if let Some(slot) = values.get_mut(j) {
                            *slot = old;
                        }
                    }
                }
            }
        }
        None
    }

    fn found(&self, values: Vec<Option<Value>>) -> Option<Candidate> {
        let decision = self.decide(&values)?;
        Some(Candidate {
            values,
            decision: Some(decision),
        })
    }

    /// How far a record is from `target` (`None`: the interpreter cannot decide it).
    fn distance(&self, values: &[Option<Value>], target: Target) -> Option<Decimal> {
        let inputs = self.resolve(values);
        let decision = self.evaluator.evaluate(&inputs).ok()?;
        let ctx = Ctx {
            policy: self.policy,
            inputs: &inputs,
            decision: &decision,
        };
        Some(ctx.distance(target))
    }

    fn decide(&self, values: &[Option<Value>]) -> Option<Decision> {
        self.evaluator.evaluate(&self.resolve(values)).ok()
    }

    /// The values the interpreter sees: absent fields take their missing-value rule.
    fn resolve(&self, values: &[Option<Value>]) -> Vec<Option<Value>> {
        self.policy
            .inputs
            .iter()
            .zip(values)
            .map(|(input, value)| match (value, &input.missing) {
                (Some(v), _) => Some(v.clone()),
                (None, Missing::Default(d)) => Some(d.clone()),
                (None, _) => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
