//! How one indicator's values are drawn. Each field has two ways of drawing a value:
//!
//! - **plain**, for ordinary records: a realistic spread. Counts are mostly small (most often 0);
//!   other numbers cluster around a typical value (on a logarithmic scale for wide non-negative
//!   ranges such as amounts of money, linearly otherwise), with a thin tail of values anywhere in
//!   the range and at its ends. Enum members and texts are drawn with falling weights (the first
//!   is the most common). Fields that may be absent are absent about 5% of the time.
//! - **steered**, for the coverage search: biased towards the ends of the range, towards the
//!   numbers the policy compares the field with (bin edges, thresholds: each ±1 step), towards
//!   absence, and uniform over members and booleans. The search also moves a number it already
//!   has up or down by a power of two steps ([`Field::nudge`]).
//!
//! Numbers are drawn as integers on a grid (whole numbers, or hundredths for decimals) and turned
//! into exact decimals: no floating point is involved, so a seed gives the same values everywhere.

use crate::ir::{Effect, Expr, Input, InputKind, Missing, Pattern, Policy, Ref, Value};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Chances are given in thousandths, so that no floating point is needed.
const PER_MILLE: u32 = 1000;
/// A field that may be absent is absent this often in plain records (5%)...
const ABSENT_PLAIN: u32 = 50;
/// ...and this often when steered.
const ABSENT_STEERED: u32 = 150;
/// Grid values are kept within ±10^15 steps, far inside what a decimal holds exactly.
const GRID_LIMIT: i64 = 1_000_000_000_000_000;
/// Texts are drawn from at least this many distinct values.
const TEXT_POOL: usize = 4;

/// How values are drawn for one indicator.
#[derive(Clone, Debug)]
pub(super) struct Field {
    kind: Kind,
    /// The record may leave this field out (`missing means …`).
    optional: bool,
}

#[derive(Clone, Debug)]
enum Kind {
    Bool,
    Enum {
        weights: Vec<u64>,
    },
    Text {
        pool: Vec<String>,
        weights: Vec<u64>,
    },
    Number(Numeric),
}

/// A number drawn on a grid of `10^-scale` steps.
#[derive(Clone, Debug)]
struct Numeric {
    scale: u32,
    /// The declared range, in grid steps (`None`: unbounded).
    min: Option<i64>,
    max: Option<i64>,
    /// Where values are drawn from: the declared range, or a plausible stretch of an unbounded one.
    lo: i64,
    hi: i64,
    /// A count without an upper bound: mostly 0, then 1, 2, … with falling chances.
    count: bool,
    /// How typical values spread.
    shape: Shape,
    /// How often (in thousandths) a plain value is exactly 0: often for a field whose absence
    /// means 0 ("nothing recorded"), now and then for any range starting at 0.
    zeros: u32,
    /// Decimals are sometimes rounded to whole numbers or tenths, as real figures often are.
    coarsen: bool,
    /// Numbers the policy compares this field with, in grid steps, within the declared range.
    landmarks: Vec<i64>,
}

/// Why a field cannot be generated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct NoValue {
    pub field: String,
    pub reason: &'static str,
}

impl Field {
    /// The fields of every input, in declaration order.
    pub(super) fn all(policy: &Policy) -> Result<Vec<Field>, NoValue> {
        let found = Landmarks::collect(policy);
        policy
            .inputs
            .iter()
            .enumerate()
            .map(|(index, input)| {
                let numbers = found.numbers.get(index).map_or(&[][..], Vec::as_slice);
                let texts = found.texts.get(index).map_or(&[][..], Vec::as_slice);
                Field::new(input, numbers, texts)
            })
            .collect()
    }

    fn new(input: &Input, numbers: &[Decimal], texts: &[String]) -> Result<Field, NoValue> {
        let optional = !matches!(input.missing, Missing::Required);
        let kind = match &input.kind {
            InputKind::Bool => Kind::Bool,
            InputKind::Enum(members) => {
                if members.is_empty() {
                    return Err(NoValue {
                        field: input.name.clone(),
                        reason: "it has no members",
                    });
                }
                Kind::Enum {
                    weights: falling_weights(members.len()),
                }
            }
            InputKind::Text => {
                let mut pool: Vec<String> = Vec::new();
                for text in texts {
                    if !text.is_empty() && !pool.contains(text) {
                        pool.push(text.clone());
                    }
                }
                let mut k = 1;
                while pool.len() < TEXT_POOL {
                    let text = format!("category {k}");
                    if !pool.contains(&text) {
                        pool.push(text);
                    }
                    k += 1;
                }
                Kind::Text {
                    weights: falling_weights(pool.len()),
                    pool,
                }
            }
            InputKind::Whole | InputKind::Decimal => {
                Kind::Number(Numeric::new(input, numbers).ok_or_else(|| NoValue {
                    field: input.name.clone(),
                    reason: "no value on its grid lies in its declared range",
                })?)
            }
        };
        Ok(Field { kind, optional })
    }

    /// A value as it appears in a record (`None`: the field is left out).
    pub(super) fn draw(&self, rng: &mut ChaCha8Rng, steered: bool) -> Option<Value> {
        let absent = if steered {
            ABSENT_STEERED
        } else {
            ABSENT_PLAIN
        };
        if self.optional && chance(rng, absent) {
            return None;
        }
        Some(match &self.kind {
            Kind::Bool => Value::Bool(chance(rng, if steered { 500 } else { 150 })),
            Kind::Enum { weights } => {
                let index = if steered {
                    uniform_index(rng, weights.len())
                } else {
                    weighted_index(rng, weights)
                };
                Value::Member(u32::try_from(index).unwrap_or(0))
            }
            Kind::Text { pool, weights } => {
                let index = if steered {
                    uniform_index(rng, pool.len())
                } else {
                    weighted_index(rng, weights)
                };
                Value::Text(pool.get(index).cloned().unwrap_or_default())
            }
            Kind::Number(n) => {
                let steps = if steered {
                    n.steered(rng)
                } else {
                    n.plain(rng)
                };
                Value::Number(n.decimal(steps))
            }
        })
    }
}

impl Field {
    /// A small change to `value`, for the search's local moves: a number moves up or down by a
    /// power of two steps (1, 2, 4, … chosen at random); anything else is drawn afresh, steered.
    pub(super) fn nudge(&self, value: Option<&Value>, rng: &mut ChaCha8Rng) -> Option<Value> {
        match (&self.kind, value) {
            (Kind::Number(n), Some(Value::Number(d))) => {
                let steps = steps_of(*d, n.scale, Direction::Nearest);
                let width = bits(n.hi.saturating_sub(n.lo).max(1));
                let shift = rng.gen_range(0..width.min(62));
                let delta = 1i64 << shift;
                let moved = if rng.gen_range(0..2u32) == 0 {
                    steps.saturating_sub(delta)
                } else {
                    steps.saturating_add(delta)
                };
                Some(Value::Number(n.decimal(n.clamp(moved))))
            }
            _ => self.draw(rng, true),
        }
    }
}

impl Numeric {
    fn new(input: &Input, landmarks: &[Decimal]) -> Option<Numeric> {
        let whole = input.kind == InputKind::Whole;
        let scale = if whole {
            0
        } else {
            let declared = [input.min, input.max]
                .iter()
                .flatten()
                .map(|d| d.normalize().scale())
                .max()
                .unwrap_or(0);
            declared.clamp(2, 10)
        };
        let min = input.min.map(|m| steps_of(m, scale, Direction::Up));
        let max = input.max.map(|m| steps_of(m, scale, Direction::Down));
        if let (Some(a), Some(b)) = (min, max) {
            if a > b {
                return None;
            }
        }
        let unit = pow10(scale);
        let count = whole && min == Some(0) && max.is_none();
        // A plausible stretch for unbounded ends: 100 for whole numbers, 1000 for decimals.
        let span = if whole { 100 } else { 1000 * unit };
        let (lo, hi) = match (min, max) {
            (Some(a), Some(b)) => (a, b),
            (Some(a), None) => (a, a.saturating_add(span).min(GRID_LIMIT)),
            (None, Some(b)) => (b.saturating_sub(span).max(-GRID_LIMIT), b),
            (None, None) => (0, span),
        };
        let percent = input
            .unit
            .as_deref()
            .is_some_and(|u| u.contains("percent") || u.contains('%'));
        let shape = if lo >= 0 && !percent && hi / 10 > lo.max(1) {
            Shape::Log
        } else if percent && lo >= 0 {
            Shape::Linear {
                top: hi.min(lo.max(100 * unit)),
            }
        } else {
            Shape::Linear { top: hi }
        };
        let mut marks: Vec<i64> = landmarks
            .iter()
            .map(|d| steps_of(*d, scale, Direction::Nearest))
            .filter(|s| min.is_none_or(|m| *s >= m) && max.is_none_or(|m| *s <= m))
            .collect();
        marks.sort_unstable();
        marks.dedup();
        let nothing_recorded =
            matches!(&input.missing, Missing::Default(Value::Number(d)) if d.is_zero());
        Some(Numeric {
            scale,
            min,
            max,
            lo,
            hi,
            count,
            shape,
            zeros: if count && nothing_recorded {
                800
            } else if count {
                600
            } else if nothing_recorded && lo == 0 {
                500
            } else if lo == 0 {
                50
            } else {
                0
            },
            coarsen: !whole && scale == 2,
            landmarks: marks,
        })
    }

    fn plain(&self, rng: &mut ChaCha8Rng) -> i64 {
        if self.count {
            let r = rng.gen_range(0..PER_MILLE);
            if r < self.zeros {
                return self.clamp(0);
            }
            let steps = match r {
                0..=959 => {
                    // 1 with chance 1/2, 2 with 1/4, …
                    let mut k = 1;
                    while k < 30 && rng.gen_range(0..2u32) == 0 {
                        k += 1;
                    }
                    k
                }
                // A tail: now and then a high count, rarely anywhere up to the top.
                960..=994 => rng.gen_range(5..=20),
                _ => rng.gen_range(0..=self.hi.max(20)),
            };
            return self.clamp(steps);
        }
        if chance(rng, self.zeros) {
            return self.clamp(0);
        }
        let steps = match rng.gen_range(0..PER_MILLE) {
            // A thin tail anywhere in the range, and at its ends.
            0..=39 => rng.gen_range(self.lo..=self.hi),
            40..=49 => {
                if rng.gen_range(0..2u32) == 0 {
                    self.lo
                } else {
                    self.hi
                }
            }
            _ => {
                let typical = self.typical(rng);
                self.coarse(rng, typical)
            }
        };
        self.clamp(steps)
    }

    /// A typical value. Half the time it lies near one of the numbers the policy compares the
    /// field with (a policy's thresholds are usually where its population lies); otherwise it
    /// clusters in the range as its shape says.
    fn typical(&self, rng: &mut ChaCha8Rng) -> i64 {
        let anchors = self.landmarks.iter().filter(|m| **m != 0).count();
        if anchors > 0 && rng.gen_range(0..2u32) == 0 {
            let at = uniform_index(rng, anchors);
            let mark = self
                .landmarks
                .iter()
                .filter(|m| **m != 0)
                .nth(at)
                .copied()
                .unwrap_or(self.lo);
            let half = (mark / 2).saturating_abs();
            return rng.gen_range(mark.saturating_sub(half)..=mark.saturating_add(half));
        }
        match self.shape {
            Shape::Linear { top } => {
                // The mean of two uniform draws: a triangle peaking mid-range.
                let a = rng.gen_range(self.lo..=top);
                let b = rng.gen_range(self.lo..=top);
                a / 2 + b / 2 + (a % 2 + b % 2) / 2
            }
            Shape::Log => {
                // The number of binary digits is drawn around a centre (two thirds of the way up
                // from 1, or midway from a positive minimum), ±3 digits with a triangular spread;
                // then a value with that many digits.
                let (from, to) = (bits(self.lo.max(1)), bits(self.hi));
                let centre = if self.lo > 0 {
                    (from + to) / 2
                } else {
                    ((2 * to + 1) / 3).max(from)
                };
                let spread = (rng.gen_range(0..=6u32) + rng.gen_range(0..=6u32)) / 2;
                let digits = (centre + spread).saturating_sub(3).clamp(from, to);
                let low = (1i64 << digits.saturating_sub(1).min(62)).max(self.lo.max(1));
                let high = ((1i64 << digits.min(62)) - 1).min(self.hi);
                if low > high {
                    return self.lo;
                }
                rng.gen_range(low..=high)
            }
        }
    }

    /// Rounds a decimal to a whole number or to tenths now and then, as real figures often are.
    fn coarse(&self, rng: &mut ChaCha8Rng, steps: i64) -> i64 {
        if !self.coarsen || steps.abs() < 1000 {
            return steps;
        }
        match rng.gen_range(0..4u32) {
            0 | 1 => steps - steps % 100,
            2 => steps - steps % 10,
            _ => steps,
        }
    }

    fn steered(&self, rng: &mut ChaCha8Rng) -> i64 {
        let r = rng.gen_range(0..PER_MILLE);
        let steps = match r {
            0..=399 if !self.landmarks.is_empty() => {
                let at = uniform_index(rng, self.landmarks.len());
                let mark = self.landmarks.get(at).copied().unwrap_or(self.lo);
                mark + i64::from(rng.gen_range(0..3u32)) - 1
            }
            0..=599 => {
                if rng.gen_range(0..2u32) == 0 {
                    self.lo
                } else {
                    self.hi
                }
            }
            600..=799 => rng.gen_range(self.lo..=self.hi),
            _ => return self.plain(rng),
        };
        self.clamp(steps)
    }

    fn clamp(&self, steps: i64) -> i64 {
        let steps = self.min.map_or(steps, |m| steps.max(m));
        self.max.map_or(steps, |m| steps.min(m))
    }

    fn decimal(&self, steps: i64) -> Decimal {
        Decimal::try_new(steps, self.scale)
            .map(|d| d.normalize())
            .unwrap_or_default()
    }
}

#[derive(Clone, Copy, Debug)]
enum Shape {
    /// A triangle over `lo..=top`.
    Linear { top: i64 },
    /// Clustered on a logarithmic scale: for wide ranges of non-negative amounts.
    Log,
}

#[derive(Clone, Copy)]
enum Direction {
    Up,
    Down,
    Nearest,
}

/// A decimal as a number of `10^-scale` steps, rounded the given way and kept within the grid.
fn steps_of(value: Decimal, scale: u32, direction: Direction) -> i64 {
    let scaled = value.checked_mul(Decimal::from(pow10(scale)));
    let Some(scaled) = scaled else {
        return if value.is_sign_negative() {
            -GRID_LIMIT
        } else {
            GRID_LIMIT
        };
    };
    let rounded = match direction {
        Direction::Up => scaled.ceil(),
        Direction::Down => scaled.floor(),
        Direction::Nearest => scaled.round(),
    };
    rounded
        .to_i64()
        .unwrap_or(if rounded.is_sign_negative() {
            -GRID_LIMIT
        } else {
            GRID_LIMIT
        })
        .clamp(-GRID_LIMIT, GRID_LIMIT)
}

fn pow10(scale: u32) -> i64 {
    10i64.checked_pow(scale).unwrap_or(1)
}

/// The number of binary digits of a positive number.
fn bits(n: i64) -> u32 {
    64 - n.max(1).leading_zeros()
}

/// True with a chance of `per_mille` thousandths.
pub(super) fn chance(rng: &mut ChaCha8Rng, per_mille: u32) -> bool {
    rng.gen_range(0..PER_MILLE) < per_mille
}

/// An index below `len`, drawn with a 64-bit integer so that it is the same on every platform.
pub(super) fn uniform_index(rng: &mut ChaCha8Rng, len: usize) -> usize {
    let len = u64::try_from(len).unwrap_or(u64::MAX).max(1);
    usize::try_from(rng.gen_range(0..len)).unwrap_or(0)
}

/// Weights falling like 1/k (Zipf): the first item is the most common.
fn falling_weights(len: usize) -> Vec<u64> {
    (1..=len)
        .map(|k| 2520 / u64::try_from(k).unwrap_or(u64::MAX).max(1))
        .map(|w| w.max(1))
        .collect()
}

fn weighted_index(rng: &mut ChaCha8Rng, weights: &[u64]) -> usize {
    let total: u64 = weights.iter().sum();
    let mut r = rng.gen_range(0..total.max(1));
    for (index, w) in weights.iter().enumerate() {
        if r < *w {
            return index;
        }
        r -= w;
    }
    0
}

/// The constants the policy compares each input with, by input index.
#[derive(Default)]
struct Landmarks {
    numbers: Vec<Vec<Decimal>>,
    texts: Vec<Vec<String>>,
}

impl Landmarks {
    fn collect(policy: &Policy) -> Landmarks {
        let mut found = Landmarks {
            numbers: vec![Vec::new(); policy.inputs.len()],
            texts: vec![Vec::new(); policy.inputs.len()],
        };
        // Texts the policy's own tests use come first: they are the realistic ones.
        for test in &policy.tests {
            for (index, value) in &test.given {
                if let Some(Value::Text(t)) = value {
                    found.text(*index, t);
                }
            }
        }
        let mut exprs: Vec<&Expr> = Vec::new();
        exprs.extend(policy.lets.iter().map(|l| &l.value));
        exprs.extend(policy.consequences.iter().map(|c| &c.condition));
        for rule in &policy.rules {
            exprs.extend(rule.condition.iter());
            if let Effect::Bins {
                subject: Ref::Input(index),
                arms,
                ..
            } = &rule.effect
            {
                for pattern in arms.iter().flat_map(|a| &a.patterns) {
                    match pattern {
                        Pattern::Range(r) => {
                            for bound in [r.lo, r.hi].iter().flatten() {
                                found.number(*index, bound.value);
                            }
                        }
                        Pattern::Value(v) => found.value(*index, v),
                    }
                }
            }
        }
        let mut stack = exprs;
        while let Some(e) = stack.pop() {
            found.visit(e);
            e.children(&mut stack);
        }
        found
    }

    fn visit(&mut self, e: &Expr) {
        let pairs: Vec<(&Expr, &Expr)> = match e {
            Expr::Compare(_, a, b) => vec![(a, b)],
            Expr::Equal { lhs, rhs, .. } => vec![(lhs, rhs)],
            Expr::In { value, set, .. } => set.iter().map(|m| (&**value, m)).collect(),
            _ => return,
        };
        for (a, b) in pairs {
            for (x, y) in [(a, b), (b, a)] {
                if let (Expr::Read(Ref::Input(index)), Some(v)) = (x, constant(y)) {
                    self.value(*index, &v);
                }
            }
        }
    }

    fn value(&mut self, index: usize, v: &Value) {
        match v {
            Value::Number(n) => self.number(index, *n),
            Value::Text(t) => self.text(index, t),
            _ => {}
        }
    }

    fn number(&mut self, index: usize, n: Decimal) {
        if let Some(list) = self.numbers.get_mut(index) {
            list.push(n);
        }
    }

    fn text(&mut self, index: usize, t: &str) {
        if let Some(list) = self.texts.get_mut(index) {
            if !list.iter().any(|x| x == t) {
                list.push(t.to_string());
            }
        }
    }
}

/// The value of an expression made of constants only (`-17`, `2 * 50`), if it is one.
fn constant(e: &Expr) -> Option<Value> {
    let number = |e: &Expr| match constant(e) {
        Some(Value::Number(n)) => Some(n),
        _ => None,
    };
    match e {
        Expr::Const(v) => Some(v.clone()),
        Expr::Neg(x) => number(x).map(|n| Value::Number(-n)),
        Expr::Arith(op, a, b) => crate::eval::arith(*op, number(a)?, number(b)?)
            .ok()
            .map(Value::Number),
        _ => None,
    }
}
