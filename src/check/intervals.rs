//! Intervals of exact decimals, and the two questions tiers and scorecard bins ask of a set of
//! them: do any two overlap, and do they together cover a domain?
//!
//! Values may be continuous (any decimal) or on a grid (whole numbers, or scores rounded to a
//! number of decimals). On a grid, `0 to 599` and `600 to 1200` leave no gap; on a continuous
//! domain they do.

use crate::syntax::ast::{Bound, RangeEnd};
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// One end of an interval; `None` on an [`Interval`] means unbounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct End {
    pub value: Decimal,
    pub inclusive: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub lo: Option<End>,
    pub hi: Option<End>,
}

impl Interval {
    /// The interval a written range stands for (`above 10 to 20` is `(10, 20]`), each bound's
    /// value given by `value` (a number, or a param's value). Both bounds are asked, in order,
    /// even when the first has no value, so that every problem with them is reported.
    pub fn of_range<E>(
        lo: Option<&RangeEnd>,
        hi: Option<&RangeEnd>,
        mut value: impl FnMut(&Bound) -> Result<Decimal, E>,
    ) -> Result<Interval, E> {
        let mut end = |e: Option<&RangeEnd>| match e {
            None => Ok(None),
            Some(e) => value(&e.bound).map(|v| {
                Some(End {
                    value: v,
                    inclusive: e.inclusive,
                })
            }),
        };
        let (lo, hi) = (end(lo), end(hi));
        Ok(Interval { lo: lo?, hi: hi? })
    }

    pub fn closed(lo: Decimal, hi: Decimal) -> Self {
        Interval {
            lo: Some(End {
                value: lo,
                inclusive: true,
            }),
            hi: Some(End {
                value: hi,
                inclusive: true,
            }),
        }
    }

    pub fn point(v: Decimal) -> Self {
        Interval::closed(v, v)
    }

    pub fn at_or_above(v: Decimal) -> Self {
        Interval {
            lo: Some(End {
                value: v,
                inclusive: true,
            }),
            hi: None,
        }
    }

    pub fn below(v: Decimal) -> Self {
        Interval {
            lo: None,
            hi: Some(End {
                value: v,
                inclusive: false,
            }),
        }
    }

    pub fn from_below(lo: Decimal, hi: Decimal) -> Self {
        Interval {
            lo: Some(End {
                value: lo,
                inclusive: true,
            }),
            hi: Some(End {
                value: hi,
                inclusive: false,
            }),
        }
    }

    pub fn everything() -> Self {
        Interval { lo: None, hi: None }
    }

    /// Whether `v` lies inside.
    pub fn contains(&self, v: Decimal) -> bool {
        let above_lo = self
            .lo
            .is_none_or(|e| v > e.value || (e.inclusive && v == e.value));
        let below_hi = self
            .hi
            .is_none_or(|e| v < e.value || (e.inclusive && v == e.value));
        above_lo && below_hi
    }

    /// Whether no value (on the grid `step`, if any) lies inside.
    pub fn is_empty(&self, step: Option<Decimal>) -> bool {
        match step {
            Some(step) => {
                let g = self.snap(step);
                matches!((g.lo, g.hi), (Some(lo), Some(hi)) if lo.value > hi.value)
            }
            None => match (self.lo, self.hi) {
                (Some(lo), Some(hi)) => {
                    lo.value > hi.value || (lo.value == hi.value && !(lo.inclusive && hi.inclusive))
                }
                _ => false,
            },
        }
    }

    /// The same set of grid points, as a closed interval whose ends are on the grid.
    fn snap(&self, step: Decimal) -> Interval {
        // On overflow (values near the largest decimal) an end is kept as it is: still inclusive
        // of every grid point inside, so the result stays an over-approximation.
        let on_grid = |e: End, up: bool| -> Decimal {
            let q = e.value.checked_div(step);
            let q = q.map(|q| if up { q.ceil() } else { q.floor() });
            let mut v = q.and_then(|q| q.checked_mul(step)).unwrap_or(e.value);
            if v == e.value && !e.inclusive {
                let next = if up {
                    v.checked_add(step)
                } else {
                    v.checked_sub(step)
                };
                v = next.unwrap_or(v);
            }
            v
        };
        let lo = self.lo.map(|e| End {
            value: on_grid(e, true),
            inclusive: true,
        });
        let hi = self.hi.map(|e| End {
            value: on_grid(e, false),
            inclusive: true,
        });
        Interval { lo, hi }
    }

    /// The part of `self` inside `other`.
    pub fn intersect(&self, other: &Interval) -> Interval {
        let lo = match (self.lo, other.lo) {
            (None, x) | (x, None) => x,
            (Some(a), Some(b)) => Some(if cmp_lo(&Some(a), &Some(b)) == Ordering::Less {
                b
            } else {
                a
            }),
        };
        let hi = match (self.hi, other.hi) {
            (None, x) | (x, None) => x,
            (Some(a), Some(b)) => Some(if cmp_hi(&Some(a), &Some(b)) == Ordering::Less {
                a
            } else {
                b
            }),
        };
        Interval { lo, hi }
    }
}

// -------------------------------------------------------------------------------------------------
// Arithmetic, for the range analysis (`ranges/`). `None` ends are infinite. Every operation is an
// over-approximation: the result contains every value the operation can produce from values in its
// operands. An end is marked exclusive only when it certainly is not reached; overflow widens an
// end to infinity.

/// An end of an interval on the extended line, used while combining ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ext {
    NegInf,
    Fin(Decimal, bool),
    PosInf,
}

impl Ext {
    fn lo(e: Option<End>) -> Ext {
        e.map_or(Ext::NegInf, |e| Ext::Fin(e.value, e.inclusive))
    }

    fn hi(e: Option<End>) -> Ext {
        e.map_or(Ext::PosInf, |e| Ext::Fin(e.value, e.inclusive))
    }

    fn sign(self) -> i8 {
        match self {
            Ext::NegInf => -1,
            Ext::PosInf => 1,
            Ext::Fin(v, _) if v.is_zero() => 0,
            Ext::Fin(v, _) if v.is_sign_negative() => -1,
            Ext::Fin(..) => 1,
        }
    }

    fn inf(sign: i8) -> Ext {
        if sign < 0 {
            Ext::NegInf
        } else {
            Ext::PosInf
        }
    }

    fn key(self) -> (i8, Decimal) {
        match self {
            Ext::NegInf => (-1, Decimal::ZERO),
            Ext::Fin(v, _) => (0, v),
            Ext::PosInf => (1, Decimal::ZERO),
        }
    }

    fn mul(self, other: Ext) -> Ext {
        match (self, other) {
            // 0 times anything is 0, reached whenever the 0 is.
            (Ext::Fin(z, inc), _) | (_, Ext::Fin(z, inc)) if z.is_zero() => Ext::Fin(z, inc),
            (Ext::Fin(a, ia), Ext::Fin(b, ib)) => match a.checked_mul(b) {
                Some(v) => Ext::Fin(v, ia && ib),
                None => Ext::inf(self.sign() * other.sign()),
            },
            _ => Ext::inf(self.sign() * other.sign()),
        }
    }

    /// `self / other`, or `None` when the quotient of the ends says nothing (∞ / ∞).
    /// `self / other`, where `other` is an end of a divisor lying wholly on the side of zero given
    /// by `side` (1 above, -1 below). An end at 0 (necessarily open) stands for values
    /// approaching 0 from that side, so dividing by it heads to the infinity of that sign.
    fn div(self, other: Ext, side: i8) -> Option<Ext> {
        match (self, other) {
            (Ext::Fin(a, ia), Ext::Fin(b, _)) if b.is_zero() => Some(if a.is_zero() {
                Ext::Fin(Decimal::ZERO, ia)
            } else {
                Ext::inf(self.sign() * side)
            }),
            (Ext::Fin(a, ia), Ext::Fin(b, ib)) => Some(match a.checked_div(b) {
                Some(v) => Ext::Fin(v, ia && ib),
                None => Ext::inf(self.sign() * other.sign()),
            }),
            // A finite value over a huge divisor approaches 0 without reaching it (unless it is 0).
            (Ext::Fin(a, ia), _) => Some(Ext::Fin(Decimal::ZERO, a.is_zero() && ia)),
            (_, Ext::Fin(..)) => Some(Ext::inf(self.sign() * other.sign())),
            _ => None,
        }
    }
}

/// The smaller of two candidate ends; at equal values a reached end wins.
fn ext_min(a: Ext, b: Ext) -> Ext {
    match a.key().cmp(&b.key()) {
        Ordering::Less => a,
        Ordering::Greater => b,
        Ordering::Equal => match (a, b) {
            (Ext::Fin(v, ia), Ext::Fin(_, ib)) => Ext::Fin(v, ia || ib),
            _ => a,
        },
    }
}

fn ext_max(a: Ext, b: Ext) -> Ext {
    match a.key().cmp(&b.key()) {
        Ordering::Greater => a,
        Ordering::Less => b,
        Ordering::Equal => match (a, b) {
            (Ext::Fin(v, ia), Ext::Fin(_, ib)) => Ext::Fin(v, ia || ib),
            _ => a,
        },
    }
}

fn end_of(e: Ext) -> Option<End> {
    match e {
        Ext::Fin(value, inclusive) => Some(End { value, inclusive }),
        _ => None,
    }
}

impl Interval {
    /// The single value inside, if there is exactly one.
    pub fn as_point(&self) -> Option<Decimal> {
        match (self.lo, self.hi) {
            (Some(lo), Some(hi)) if lo.value == hi.value && lo.inclusive && hi.inclusive => {
                Some(lo.value)
            }
            _ => None,
        }
    }

    /// The smallest interval containing both.
    pub fn hull(&self, other: &Interval) -> Interval {
        let lo = if cmp_lo(&self.lo, &other.lo) == Ordering::Greater {
            other.lo
        } else if cmp_lo(&self.lo, &other.lo) == Ordering::Less {
            self.lo
        } else {
            join_end(self.lo, other.lo)
        };
        let hi = if cmp_hi(&self.hi, &other.hi) == Ordering::Less {
            other.hi
        } else if cmp_hi(&self.hi, &other.hi) == Ordering::Greater {
            self.hi
        } else {
            join_end(self.hi, other.hi)
        };
        Interval { lo, hi }
    }

    pub fn neg(&self) -> Interval {
        let flip = |e: Option<End>| {
            e.map(|e| End {
                value: -e.value,
                inclusive: e.inclusive,
            })
        };
        Interval {
            lo: flip(self.hi),
            hi: flip(self.lo),
        }
    }

    pub fn add(&self, other: &Interval) -> Interval {
        let sum = |a: Option<End>, b: Option<End>| match (a, b) {
            (Some(a), Some(b)) => a.value.checked_add(b.value).map(|value| End {
                value,
                inclusive: a.inclusive && b.inclusive,
            }),
            _ => None,
        };
        Interval {
            lo: sum(self.lo, other.lo),
            hi: sum(self.hi, other.hi),
        }
    }

    pub fn sub(&self, other: &Interval) -> Interval {
        self.add(&other.neg())
    }

    pub fn mul(&self, other: &Interval) -> Interval {
        let corners = [
            Ext::lo(self.lo).mul(Ext::lo(other.lo)),
            Ext::lo(self.lo).mul(Ext::hi(other.hi)),
            Ext::hi(self.hi).mul(Ext::lo(other.lo)),
            Ext::hi(self.hi).mul(Ext::hi(other.hi)),
        ];
        let lo = corners.iter().copied().fold(Ext::PosInf, ext_min);
        let hi = corners.iter().copied().fold(Ext::NegInf, ext_max);
        Interval {
            lo: end_of(lo),
            hi: end_of(hi),
        }
    }

    /// `self / other` as the evaluator computes it (quotients rounded to `places` decimals), or
    /// every value when `other` can be 0.
    pub fn div(&self, other: &Interval, places: u32) -> Interval {
        if other.contains(Decimal::ZERO) {
            return Interval::everything();
        }
        let pairs = [
            (Ext::lo(self.lo), Ext::lo(other.lo)),
            (Ext::lo(self.lo), Ext::hi(other.hi)),
            (Ext::hi(self.hi), Ext::lo(other.lo)),
            (Ext::hi(self.hi), Ext::hi(other.hi)),
        ];
        // The divisor does not hold 0, so it lies wholly above or wholly below it.
        let side = match other.lo {
            Some(end) if end.value >= Decimal::ZERO => 1,
            _ => -1,
        };
        let mut lo = Ext::PosInf;
        let mut hi = Ext::NegInf;
        for (a, b) in pairs {
            let Some(q) = a.div(b, side) else {
                return Interval::everything();
            };
            lo = ext_min(lo, q);
            hi = ext_max(hi, q);
        }
        // Rounding the quotient can reach values just outside the exact ones: widen to the grid.
        let down = |e: End| End {
            value: e
                .value
                .round_dp_with_strategy(places, rust_decimal::RoundingStrategy::ToNegativeInfinity),
            inclusive: true,
        };
        let up = |e: End| End {
            value: e
                .value
                .round_dp_with_strategy(places, rust_decimal::RoundingStrategy::ToPositiveInfinity),
            inclusive: true,
        };
        Interval {
            lo: end_of(lo).map(down),
            hi: end_of(hi).map(up),
        }
    }

    /// The pointwise smaller of two values.
    pub fn min_with(&self, other: &Interval) -> Interval {
        let lo = ext_min(Ext::lo(self.lo), Ext::lo(other.lo));
        let hi = ext_min(Ext::hi(self.hi), Ext::hi(other.hi));
        Interval {
            lo: end_of(lo),
            hi: end_of(hi),
        }
    }

    /// The pointwise larger of two values.
    pub fn max_with(&self, other: &Interval) -> Interval {
        let lo = ext_max(Ext::lo(self.lo), Ext::lo(other.lo));
        let hi = ext_max(Ext::hi(self.hi), Ext::hi(other.hi));
        Interval {
            lo: end_of(lo),
            hi: end_of(hi),
        }
    }

    /// The image under a non-decreasing function of the ends (rounding): ends become inclusive.
    pub fn map_monotone(&self, f: impl Fn(Decimal) -> Decimal) -> Interval {
        let map = |e: Option<End>| {
            e.map(|e| End {
                value: f(e.value),
                inclusive: true,
            })
        };
        Interval {
            lo: map(self.lo),
            hi: map(self.hi),
        }
    }

    /// The whole numbers inside, as an interval with whole inclusive ends.
    pub fn whole(&self) -> Interval {
        self.snap(Decimal::ONE)
    }

    /// Whether every value inside is at most `v` (`None`: unbounded above, so no).
    pub fn all_at_most(&self, v: Decimal) -> bool {
        self.hi.is_some_and(|e| e.value <= v)
    }
    /// Whether every value is at least 0 (`Some(true)`), at most 0 (`Some(false)`), or neither:
    /// the sign that decides which way a product moves with its other factor.
    pub fn sign(&self) -> Option<bool> {
        if self.all_at_least(Decimal::ZERO) {
            Some(true)
        } else if self.all_at_most(Decimal::ZERO) {
            Some(false)
        } else {
            None
        }
    }

    /// Whether every value inside is at least `v`.
    pub fn all_at_least(&self, v: Decimal) -> bool {
        self.lo.is_some_and(|e| e.value >= v)
    }
}

/// Two ends at the same place: reached if either is.
fn join_end(a: Option<End>, b: Option<End>) -> Option<End> {
    match (a, b) {
        (Some(a), Some(b)) => Some(End {
            value: a.value,
            inclusive: a.inclusive || b.inclusive,
        }),
        _ => None,
    }
}

impl std::fmt::Display for Interval {
    /// In plain words: `5`, `1 to 5`, `6 up to but not including 12`, `below 0`, `above 10 and
    /// below 10.5`. Ends are inclusive unless the words say otherwise.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = |e: End| e.value.normalize();
        match (self.lo, self.hi) {
            (None, None) => write!(f, "any value"),
            (Some(lo), Some(hi)) => match (lo.inclusive, hi.inclusive) {
                (true, true) if lo.value == hi.value => write!(f, "{}", n(lo)),
                (true, true) => write!(f, "{} to {}", n(lo), n(hi)),
                (true, false) => write!(f, "{} up to but not including {}", n(lo), n(hi)),
                (false, true) => write!(f, "above {} up to {}", n(lo), n(hi)),
                (false, false) => write!(f, "above {} and below {}", n(lo), n(hi)),
            },
            (Some(lo), None) if lo.inclusive => write!(f, "{} and above", n(lo)),
            (Some(lo), None) => write!(f, "above {}", n(lo)),
            (None, Some(hi)) if hi.inclusive => write!(f, "{} and below", n(hi)),
            (None, Some(hi)) => write!(f, "below {}", n(hi)),
        }
    }
}

/// Orders lower ends: unbounded first; at equal values an inclusive end starts earlier.
fn cmp_lo(a: &Option<End>, b: &Option<End>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(a), Some(b)) => a.value.cmp(&b.value).then(b.inclusive.cmp(&a.inclusive)),
    }
}

/// Orders upper ends: unbounded last; at equal values an inclusive end reaches further.
fn cmp_hi(a: &Option<End>, b: &Option<End>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Greater,
        (_, None) => Ordering::Less,
        (Some(a), Some(b)) => a.value.cmp(&b.value).then(a.inclusive.cmp(&b.inclusive)),
    }
}

/// Two members of a set that share values, and the shared part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overlap {
    pub first: usize,
    pub second: usize,
    pub shared: Interval,
}

/// What a sweep over a set of intervals found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    pub overlaps: Vec<Overlap>,
    /// Parts of the domain no interval covers, in order.
    pub gaps: Vec<Interval>,
}

/// Sweeps `items` (already restricted to non-empty intervals) across `domain`, on the grid `step`
/// if given. Reports each overlap once (against the interval reaching furthest so far) and every
/// gap. Runs in O(n log n).
pub fn sweep(domain: Interval, items: &[Interval], step: Option<Decimal>) -> Coverage {
    let norm = |iv: &Interval| match step {
        Some(s) => iv.snap(s),
        None => *iv,
    };
    let domain = norm(&domain);
    let mut order: Vec<(usize, Interval)> = items
        .iter()
        .enumerate()
        .map(|(i, iv)| (i, norm(&iv.intersect(&domain))))
        .filter(|(_, iv)| !iv.is_empty(None))
        .collect();
    order.sort_by(|(ia, a), (ib, b)| {
        cmp_lo(&a.lo, &b.lo)
            .then(cmp_hi(&a.hi, &b.hi))
            .then(ia.cmp(ib))
    });

    let mut result = Coverage::default();
    // `reach` is the furthest upper end covered so far, and which item reached it.
    let mut reach: Option<(usize, Option<End>)> = None;
    for (index, iv) in order {
        match reach {
            None => {
                if let Some(gap) = gap_before(domain.lo, iv.lo, step) {
                    result.gaps.push(gap);
                }
            }
            Some((holder, hi)) => {
                if starts_before_end(iv.lo, hi, step) {
                    let shared = Interval { lo: iv.lo, hi }.intersect(&iv);
                    result.overlaps.push(Overlap {
                        first: holder,
                        second: index,
                        shared,
                    });
                } else if let Some(gap) = gap_after(hi, iv.lo, step) {
                    result.gaps.push(gap);
                }
            }
        }
        let extends = match reach {
            None => true,
            Some((_, hi)) => cmp_hi(&iv.hi, &hi) == Ordering::Greater,
        };
        if extends {
            reach = Some((index, iv.hi));
        }
    }
    match reach {
        None => {
            if !domain.is_empty(None) {
                result.gaps.push(domain);
            }
        }
        Some((_, hi)) => {
            if cmp_hi(&hi, &domain.hi) == Ordering::Less {
                let gap = Interval {
                    lo: hi.map(|e| after(e, step)),
                    hi: domain.hi,
                };
                if !gap.is_empty(None) {
                    result.gaps.push(gap);
                }
            }
        }
    }
    result
}

/// Whether an interval starting at `lo` shares a value with one ending at `hi`.
fn starts_before_end(lo: Option<End>, hi: Option<End>, step: Option<Decimal>) -> bool {
    match (lo, hi) {
        (None, _) | (_, None) => true,
        (Some(lo), Some(hi)) => match step {
            Some(_) => lo.value <= hi.value,
            None => lo.value < hi.value || (lo.value == hi.value && lo.inclusive && hi.inclusive),
        },
    }
}

/// The first value not covered by an interval ending at `e`, as a lower end.
fn after(e: End, step: Option<Decimal>) -> End {
    match step {
        Some(s) => End {
            value: e.value + s,
            inclusive: true,
        },
        None => End {
            value: e.value,
            inclusive: !e.inclusive,
        },
    }
}

/// The last value before an interval starting at `e`, as an upper end.
fn before(e: End, step: Option<Decimal>) -> End {
    match step {
        Some(s) => End {
            value: e.value - s,
            inclusive: true,
        },
        None => End {
            value: e.value,
            inclusive: !e.inclusive,
        },
    }
}

fn gap_after(hi: Option<End>, next_lo: Option<End>, step: Option<Decimal>) -> Option<Interval> {
    let gap = Interval {
        lo: hi.map(|e| after(e, step)),
        hi: next_lo.map(|e| before(e, step)),
    };
    (!gap.is_empty(None)).then_some(gap)
}

fn gap_before(
    domain_lo: Option<End>,
    first_lo: Option<End>,
    step: Option<Decimal>,
) -> Option<Interval> {
    if cmp_lo(&domain_lo, &first_lo) != Ordering::Less {
        return None;
    }
    let gap = Interval {
        lo: domain_lo,
        hi: first_lo.map(|e| before(e, step)),
    };
    (!gap.is_empty(None)).then_some(gap)
}

#[cfg(test)]
mod tests;
