//! The abstract values of the range analysis and their lattice operations.
//!
//! Every expression evaluates to an [`Abs`]: a [`Val`] (an interval of exact decimals with whether
//! it holds only whole numbers, the possible yes/no values, the possible enum members or tiers, or
//! a text), whether it can be unknown, and — in focus mode — the [`Dir`] in which it moves as the
//! focused indicator grows. Joining two values over-approximates both; the helpers below answer
//! the questions comparisons, `=` and `and`/`or` ask of two values. Kept apart from the evaluator
//! so the algebra can be read, and tested, on its own.

use crate::check::intervals::Interval;
use rust_decimal::Decimal;

/// How a value moves when the focused indicator grows, all else equal. For yes/no values "up"
/// means towards *yes* (with *unknown* between no and yes, as in Kleene's logic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    /// Does not depend on it.
    Const,
    /// Never goes down.
    Inc,
    /// Never goes up.
    Dec,
    /// Could not be decided.
    Any,
}

impl Dir {
    pub fn flip(self) -> Dir {
        match self {
            Dir::Inc => Dir::Dec,
            Dir::Dec => Dir::Inc,
            d => d,
        }
    }

    /// The direction of a sum (or of any function non-decreasing in both).
    pub fn and(self, other: Dir) -> Dir {
        match (self, other) {
            (Dir::Const, d) | (d, Dir::Const) => d,
            (a, b) if a == b => a,
            _ => Dir::Any,
        }
    }

    /// The direction of `self` times a factor of known sign (`None`: either sign).
    pub(super) fn scale(self, sign: Option<bool>) -> Dir {
        match (self, sign) {
            (Dir::Const, _) => Dir::Const,
            (d, Some(true)) => d,
            (d, Some(false)) => d.flip(),
            (_, None) => Dir::Any,
        }
    }

    /// Whether a score that moves this way as an indicator grows is allowed to, when the score
    /// may only rise (`true`: a better value raises it on a scale where higher is better) or only
    /// fall (`false`) as the indicator grows.
    pub fn fits(self, score_rises: bool) -> bool {
        match self {
            Dir::Const => true,
            Dir::Inc => score_rises,
            Dir::Dec => !score_rises,
            Dir::Any => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Num {
        iv: Interval,
        whole: bool,
    },
    Bool {
        t: bool,
        f: bool,
    },
    /// Which members of an enum (or which tiers) are possible.
    Set(Vec<bool>),
    /// A text: one known text, or any.
    Text(Option<String>),
    /// Nothing is known (an expression the checker already rejected).
    Any,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Abs {
    pub val: Val,
    /// The value can be unknown (`missing means unknown`).
    pub unknown: bool,
    pub dir: Dir,
    /// Whether the value's being unknown can itself depend on the focused indicator.
    pub unk_varies: bool,
    /// Whether its range was lost to a problem already reported where it was computed (an
    /// overflow, W1006; a division by a divisor that can be 0, W1004): a range this wide says
    /// nothing more, so no further W1006 is drawn from it.
    pub lost: bool,
}

impl Abs {
    pub(super) fn new(val: Val) -> Abs {
        Abs {
            val,
            unknown: false,
            dir: Dir::Const,
            unk_varies: false,
            lost: false,
        }
    }

    pub(super) fn any() -> Abs {
        Abs {
            val: Val::Any,
            unknown: true,
            dir: Dir::Any,
            unk_varies: true,
            lost: true,
        }
    }

    pub(super) fn point(v: Decimal) -> Abs {
        Abs::new(Val::Num {
            iv: Interval::point(v),
            whole: v.fract().is_zero(),
        })
    }

    pub(super) fn truth(t: bool, f: bool) -> Abs {
        Abs::new(Val::Bool { t, f })
    }

    pub fn iv(&self) -> Interval {
        match &self.val {
            Val::Num { iv, .. } => *iv,
            _ => Interval::everything(),
        }
    }

    pub(super) fn whole(&self) -> bool {
        matches!(self.val, Val::Num { whole: true, .. })
    }

    /// Whether the value can be yes / no.
    pub fn tf(&self) -> (bool, bool) {
        match self.val {
            Val::Bool { t, f } => (t, f),
            _ => (true, true),
        }
    }

    pub(super) fn with_unknown(mut self, unknown: bool, varies: bool) -> Abs {
        self.unknown = unknown;
        self.unk_varies = varies;
        self
    }

    /// Every value of either (the dependence on the focus is set by the caller where it matters).
    pub(super) fn join(&self, other: &Abs) -> Abs {
        let val = match (&self.val, &other.val) {
            (Val::Num { iv: a, whole: wa }, Val::Num { iv: b, whole: wb }) => Val::Num {
                iv: a.hull(b),
                whole: *wa && *wb,
            },
            (Val::Bool { t: ta, f: fa }, Val::Bool { t: tb, f: fb }) => Val::Bool {
                t: *ta || *tb,
                f: *fa || *fb,
            },
            (Val::Set(a), Val::Set(b)) if a.len() == b.len() => {
                Val::Set(a.iter().zip(b).map(|(x, y)| *x || *y).collect())
            }
            (Val::Text(a), Val::Text(b)) if a == b => Val::Text(a.clone()),
            (Val::Text(_), Val::Text(_)) => Val::Text(None),
            _ => Val::Any,
        };
        Abs {
            val,
            unknown: self.unknown || other.unknown,
            dir: self.dir.and(other.dir),
            unk_varies: self.unk_varies || other.unk_varies,
            lost: self.lost || other.lost,
        }
    }
}

/// Whether some value of `a` is below (or, with `or_equal`, at most) some value of `b`.
pub(super) fn exists_below(a: &Interval, b: &Interval, or_equal: bool) -> bool {
    match (a.lo, b.hi) {
        (Some(lo), Some(hi)) => {
            lo.value < hi.value
                || (or_equal && lo.value == hi.value && lo.inclusive && hi.inclusive)
        }
        _ => true,
    }
}

/// Whether the two values can be equal, and whether they must be.
pub(super) fn equality(a: &Val, b: &Val) -> (bool, bool) {
    match (a, b) {
        (Val::Num { iv: x, .. }, Val::Num { iv: y, .. }) => {
            let may = !x.intersect(y).is_empty(None);
            let must = matches!((x.as_point(), y.as_point()), (Some(p), Some(q)) if p == q);
            (may, must)
        }
        (Val::Bool { t: ta, f: fa }, Val::Bool { t: tb, f: fb }) => {
            let may = (*ta && *tb) || (*fa && *fb);
            let must = (*ta != *fa) && (*tb != *fb) && ta == tb;
            (may, must)
        }
        (Val::Set(x), Val::Set(y)) => {
            let may = x.iter().zip(y).any(|(p, q)| *p && *q);
            let single = |s: &Vec<bool>| {
                let mut it = s.iter().enumerate().filter(|(_, b)| **b);
                match (it.next(), it.next()) {
                    (Some((i, _)), None) => Some(i),
                    _ => None,
                }
            };
            let must = matches!((single(x), single(y)), (Some(i), Some(j)) if i == j);
            (may, must)
        }
        (Val::Text(Some(x)), Val::Text(Some(y))) => (x == y, x == y),
        _ => (true, false),
    }
}

/// Kleene's `and` / `or` over the sets of possible truth values.
pub(super) fn kleene(a: &Abs, b: &Abs, is_and: bool) -> (bool, bool, bool) {
    let values = |x: &Abs| {
        let (t, f) = x.tf();
        [(t, Some(true)), (f, Some(false)), (x.unknown, None::<bool>)]
    };
    let (mut t, mut f, mut u) = (false, false, false);
    for (pa, va) in values(a) {
        for (pb, vb) in values(b) {
            if !(pa && pb) {
                continue;
            }
            let r = if is_and {
                match (va, vb) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                }
            } else {
                match (va, vb) {
                    (Some(true), _) | (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                }
            };
            match r {
                Some(true) => t = true,
                Some(false) => f = true,
                None => u = true,
            }
        }
    }
    (t, f, u)
}

/// The direction of "the value is in this set of members" along the members' order.
pub(super) fn set_dir(inside: &[bool]) -> Dir {
    let first_in = inside.iter().position(|b| *b);
    let last_out = inside.iter().rposition(|b| !*b);
    let first_out = inside.iter().position(|b| !*b);
    let last_in = inside.iter().rposition(|b| *b);
    match (first_in, last_out) {
        (None, _) | (_, None) => Dir::Const,
        (Some(fi), Some(lo)) if lo < fi => Dir::Inc,
        _ => match (first_out, last_in) {
            (Some(fo), Some(li)) if li < fo => Dir::Dec,
            _ => Dir::Any,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{closed, d};
    use super::*;

    fn num(lo: &str, hi: &str, whole: bool) -> Abs {
        Abs::new(Val::Num {
            iv: closed(lo, hi),
            whole,
        })
    }

    #[test]
    fn directions_combine_like_monotone_functions() {
        use Dir::*;
        assert_eq!(Const.and(Inc), Inc);
        assert_eq!(Dec.and(Const), Dec);
        assert_eq!(Inc.and(Inc), Inc);
        assert_eq!(Inc.and(Dec), Any);
        assert_eq!(Any.and(Const), Any);
        assert_eq!(Inc.flip(), Dec);
        assert_eq!(Const.flip(), Const);
        assert_eq!(Any.flip(), Any);
        // Times a factor of known sign, or of either sign.
        assert_eq!(Inc.scale(Some(true)), Inc);
        assert_eq!(Inc.scale(Some(false)), Dec);
        assert_eq!(Inc.scale(None), Any);
        assert_eq!(Const.scale(None), Const);
        assert!(Inc.fits(true) && !Inc.fits(false));
        assert!(Dec.fits(false) && !Dec.fits(true));
        assert!(Const.fits(true) && Const.fits(false));
        assert!(!Any.fits(true) && !Any.fits(false));
    }

    #[test]
    fn join_holds_every_value_of_either() {
        let a = num("0", "1", true);
        let b = num("5", "6.5", false).with_unknown(true, false);
        let j = a.join(&b);
        assert_eq!(j.iv(), closed("0", "6.5"));
        assert!(!j.whole());
        assert!(j.unknown);
        assert!(num("0", "1", true).join(&num("3", "4", true)).whole());

        let yes = Abs::truth(true, false);
        let no = Abs::truth(false, true);
        assert_eq!(yes.join(&no).tf(), (true, true));
        assert_eq!(yes.join(&yes).tf(), (true, false));

        let first = Abs::new(Val::Set(vec![true, false, false]));
        let last = Abs::new(Val::Set(vec![false, false, true]));
        assert_eq!(first.join(&last).val, Val::Set(vec![true, false, true]));

        let text = |t: &str| Abs::new(Val::Text(Some(t.to_string())));
        assert_eq!(text("a").join(&text("a")).val, Val::Text(Some("a".into())));
        assert_eq!(text("a").join(&text("b")).val, Val::Text(None));
        // Values of different kinds join to nothing known.
        assert_eq!(yes.join(&a).val, Val::Any);
        // Directions join as for a sum.
        let mut up = num("0", "1", true);
        up.dir = Dir::Inc;
        assert_eq!(up.join(&a).dir, Dir::Inc);
    }

    #[test]
    fn points_and_truths() {
        assert_eq!(
            Abs::point(d("2.5")).val,
            Val::Num {
                iv: closed("2.5", "2.5"),
                whole: false
            }
        );
        assert!(Abs::point(d("3")).whole());
        assert_eq!(Abs::truth(false, true).tf(), (false, true));
        // Anything but a yes/no value may be either.
        assert_eq!(Abs::point(d("1")).tf(), (true, true));
        assert_eq!(Abs::any().iv(), Interval::everything());
        assert!(Abs::any().unknown);
    }

    #[test]
    fn below_compares_the_outer_ends() {
        let low = closed("0", "5");
        let high = closed("5", "9");
        assert!(exists_below(&low, &high, false));
        // Nothing in [5, 9] is below [0, 5], but 5 = 5 when equal counts.
        assert!(!exists_below(&high, &low, false));
        assert!(exists_below(&high, &low, true));
        // An excluded end does not meet.
        let open = Interval::from_below(d("0"), d("5"));
        assert!(!exists_below(&high, &open, true));
        assert!(exists_below(&Interval::everything(), &low, false));
    }

    #[test]
    fn equality_says_whether_values_may_and_must_be_equal() {
        let v = |lo: &str, hi: &str| Val::Num {
            iv: closed(lo, hi),
            whole: true,
        };
        assert_eq!(equality(&v("0", "5"), &v("3", "3")), (true, false));
        assert_eq!(equality(&v("3", "3"), &v("3", "3")), (true, true));
        assert_eq!(equality(&v("0", "1"), &v("2", "3")), (false, false));
        let b = |t, f| Val::Bool { t, f };
        assert_eq!(equality(&b(true, false), &b(true, false)), (true, true));
        assert_eq!(equality(&b(true, true), &b(true, false)), (true, false));
        assert_eq!(equality(&b(true, false), &b(false, true)), (false, false));
        let s = |v: &[bool]| Val::Set(v.to_vec());
        assert_eq!(
            equality(&s(&[true, false]), &s(&[true, false])),
            (true, true)
        );
        assert_eq!(
            equality(&s(&[true, true]), &s(&[true, false])),
            (true, false)
        );
        assert_eq!(
            equality(&s(&[false, true]), &s(&[true, false])),
            (false, false)
        );
        let t = |x: &str| Val::Text(Some(x.to_string()));
        assert_eq!(equality(&t("a"), &t("a")), (true, true));
        assert_eq!(equality(&t("a"), &t("b")), (false, false));
        assert_eq!(equality(&Val::Text(None), &t("a")), (true, false));
    }

    #[test]
    fn and_or_follow_kleene() {
        let either = Abs::truth(true, true);
        let yes_or_unknown = Abs::truth(true, false).with_unknown(true, false);
        let no = Abs::truth(false, true);
        // (yes | no) and (yes | unknown): yes, no, or unknown.
        assert_eq!(kleene(&either, &yes_or_unknown, true), (true, true, true));
        // no and anything: no.
        assert_eq!(kleene(&no, &yes_or_unknown, true), (false, true, false));
        // (yes | unknown) or anything: yes or unknown, and never no unless both can be no.
        assert_eq!(kleene(&yes_or_unknown, &no, false), (true, false, true));
        assert_eq!(kleene(&no, &no, false), (false, true, false));
        assert_eq!(kleene(&either, &no, false), (true, true, false));
    }

    #[test]
    fn membership_moves_with_the_members_order() {
        assert_eq!(set_dir(&[false, true, true]), Dir::Inc);
        assert_eq!(set_dir(&[true, false, false]), Dir::Dec);
        assert_eq!(set_dir(&[true, true]), Dir::Const);
        assert_eq!(set_dir(&[false, false]), Dir::Const);
        assert_eq!(set_dir(&[true, false, true]), Dir::Any);
        assert_eq!(set_dir(&[false, true, false]), Dir::Any);
    }
}
