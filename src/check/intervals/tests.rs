use super::*;
use crate::check::ranges::testing::{closed, ends};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn touching_integer_ranges_leave_no_gap() {
    let items = [
        Interval::closed(d("0"), d("5")),
        Interval::closed(d("6"), d("12")),
    ];
    let c = sweep(Interval::closed(d("0"), d("12")), &items, Some(d("1")));
    assert_eq!(c, Coverage::default());
}

#[test]
fn touching_ranges_leave_a_gap_on_a_finer_grid() {
    let items = [
        Interval::closed(d("0"), d("599")),
        Interval::closed(d("600"), d("1200")),
    ];
    let c = sweep(Interval::closed(d("0"), d("1200")), &items, Some(d("0.01")));
    assert_eq!(c.gaps, vec![Interval::closed(d("599.01"), d("599.99"))]);
    assert!(c.overlaps.is_empty());
}

#[test]
fn half_open_ranges_tile_the_continuous_line() {
    let items = [
        Interval::below(d("10")),
        Interval::from_below(d("10"), d("20")),
        Interval::at_or_above(d("20")),
    ];
    let c = sweep(Interval::everything(), &items, None);
    assert_eq!(c, Coverage::default());
}

#[test]
fn shared_end_is_an_overlap() {
    let items = [
        Interval::closed(d("0"), d("5")),
        Interval::closed(d("5"), d("9")),
    ];
    let c = sweep(Interval::closed(d("0"), d("9")), &items, None);
    assert_eq!(c.overlaps.len(), 1);
    assert_eq!(c.overlaps[0].shared, Interval::point(d("5")));
}

#[test]
fn gaps_at_both_ends_and_in_the_middle() {
    let items = [
        Interval::closed(d("2"), d("3")),
        Interval::closed(d("6"), d("7")),
    ];
    let c = sweep(Interval::closed(d("0"), d("10")), &items, Some(d("1")));
    assert_eq!(
        c.gaps,
        vec![
            Interval::closed(d("0"), d("1")),
            Interval::closed(d("4"), d("5")),
            Interval::closed(d("8"), d("10"))
        ]
    );
}

#[test]
fn arithmetic_contains_every_result() {
    let a = Interval::closed(d("-2"), d("3"));
    let b = Interval::closed(d("4"), d("5"));
    assert_eq!(a.add(&b), Interval::closed(d("2"), d("8")));
    assert_eq!(a.mul(&b), Interval::closed(d("-10"), d("15")));
    assert_eq!(a.neg(), Interval::closed(d("-3"), d("2")));
    assert_eq!(
        Interval::closed(d("1"), d("2")).div(&b, 10),
        Interval::closed(d("0.2"), d("0.5"))
    );
    assert_eq!(a.div(&a, 10), Interval::everything());
    // 0 times an unbounded value is 0, and only 0.
    let zero_up = Interval::at_or_above(d("0"));
    assert_eq!(zero_up.mul(&b), Interval::at_or_above(d("0")));
    assert_eq!(
        Interval::closed(d("0"), d("10")).min_with(&Interval::point(d("4"))),
        Interval::closed(d("0"), d("4"))
    );
}

#[test]
fn open_ends_stay_open_only_when_certain() {
    let positive = Interval {
        lo: Some(End {
            value: d("0"),
            inclusive: false,
        }),
        hi: Some(End {
            value: d("5"),
            inclusive: true,
        }),
    };
    assert!(!positive.contains(d("0")));
    // (0, 5] times [0, 1] reaches 0 through the 0 of the second factor.
    assert!(positive
        .mul(&Interval::closed(d("0"), d("1")))
        .contains(d("0")));
    assert!(!positive
        .mul(&Interval::closed(d("1"), d("2")))
        .contains(d("0")));
}

#[test]
fn addition_adds_the_ends_and_keeps_an_end_open_if_either_is() {
    assert_eq!(
        closed("1", "2").add(&closed("10", "20")),
        closed("11", "22")
    );
    // [1, 2) + (10, 20] = (11, 22)
    assert_eq!(
        ends(Some(("1", true)), Some(("2", false)))
            .add(&ends(Some(("10", false)), Some(("20", true)))),
        ends(Some(("11", false)), Some(("22", false)))
    );
    // An infinite end stays infinite; the other end is still added.
    assert_eq!(
        Interval::at_or_above(d("3")).add(&closed("-1", "1")),
        Interval::at_or_above(d("2"))
    );
    assert_eq!(
        Interval::below(d("0")).add(&closed("5", "6")),
        Interval::below(d("6"))
    );
    // Overflow widens the end to infinity rather than wrapping or saturating.
    assert_eq!(
        Interval::point(Decimal::MAX).add(&closed("0", "1")),
        Interval {
            lo: Interval::point(Decimal::MAX).lo,
            hi: None
        }
    );
}

#[test]
fn subtraction_pairs_each_end_with_the_other_operands_opposite_end() {
    assert_eq!(closed("1", "5").sub(&closed("2", "3")), closed("-2", "3"));
    // (0, 5] - 1 = (-1, 4]
    assert_eq!(
        ends(Some(("0", false)), Some(("5", true))).sub(&Interval::point(d("1"))),
        ends(Some(("-1", false)), Some(("4", true)))
    );
    // [0, ∞) - [1, 2] = [-2, ∞), and 10 - [0, ∞) = (-∞, 10].
    assert_eq!(
        Interval::at_or_above(d("0")).sub(&closed("1", "2")),
        Interval::at_or_above(d("-2"))
    );
    assert_eq!(
        Interval::point(d("10")).sub(&Interval::at_or_above(d("0"))),
        ends(None, Some(("10", true)))
    );
}

#[test]
fn multiplication_takes_the_extreme_corners_for_every_sign() {
    // positive × positive, negative × positive, negative × negative, mixed × mixed
    assert_eq!(closed("2", "3").mul(&closed("4", "5")), closed("8", "15"));
    assert_eq!(
        closed("-3", "-2").mul(&closed("4", "5")),
        closed("-15", "-8")
    );
    assert_eq!(
        closed("-3", "-2").mul(&closed("-5", "-4")),
        closed("8", "15")
    );
    assert_eq!(
        closed("-2", "3").mul(&closed("-5", "4")),
        closed("-15", "12")
    );
    // A factor on both sides of 0 against a positive one.
    assert_eq!(
        closed("-2", "3").mul(&closed("4", "5")),
        closed("-10", "15")
    );
}

#[test]
fn multiplication_with_infinite_ends() {
    assert_eq!(
        Interval::at_or_above(d("1")).mul(&closed("2", "3")),
        Interval::at_or_above(d("2"))
    );
    // [1, ∞) × [-3, -2] = (-∞, -2]
    assert_eq!(
        Interval::at_or_above(d("1")).mul(&closed("-3", "-2")),
        ends(None, Some(("-2", true)))
    );
    // Either sign times an unbounded factor: anything.
    assert_eq!(
        Interval::at_or_above(d("1")).mul(&closed("-1", "1")),
        Interval::everything()
    );
    // Exactly 0 times anything is exactly 0.
    assert_eq!(
        Interval::everything().mul(&Interval::point(d("0"))),
        Interval::point(d("0"))
    );
}

#[test]
fn multiplication_keeps_an_end_open_only_when_it_is_not_reached() {
    // [2, 3) × [4, 5) = [8, 15): only 2 × 4 is reached.
    assert_eq!(
        ends(Some(("2", true)), Some(("3", false)))
            .mul(&ends(Some(("4", true)), Some(("5", false)))),
        ends(Some(("8", true)), Some(("15", false)))
    );
    // (0, 5] × [1, 2] = (0, 10]: the 0 end is not reached.
    assert_eq!(
        ends(Some(("0", false)), Some(("5", true))).mul(&closed("1", "2")),
        ends(Some(("0", false)), Some(("10", true)))
    );
    // [-1, 0) × [-1, 0) = (0, 1]
    let below_zero = ends(Some(("-1", true)), Some(("0", false)));
    assert_eq!(
        below_zero.mul(&below_zero),
        ends(Some(("0", false)), Some(("1", true)))
    );
}

#[test]
fn division_by_an_interval_holding_zero_is_anything() {
    assert_eq!(
        closed("1", "2").div(&closed("-1", "1"), 10),
        Interval::everything()
    );
    assert_eq!(
        closed("1", "2").div(&closed("0", "4"), 10),
        Interval::everything()
    );
    assert_eq!(
        closed("1", "2").div(&Interval::point(d("0")), 10),
        Interval::everything()
    );
}

#[test]
fn division_covers_every_rounded_quotient() {
    assert_eq!(
        closed("10", "20").div(&closed("2", "5"), 10),
        closed("2", "10")
    );
    assert_eq!(
        closed("-20", "10").div(&closed("2", "5"), 10),
        closed("-10", "5")
    );
    assert_eq!(
        closed("10", "20").div(&closed("-5", "-2"), 10),
        closed("-10", "-2")
    );
    // 1 / 3 = 0.333…, which the evaluator rounds to 2 places: 0.33 (or 0.34 on the way up).
    assert_eq!(
        Interval::point(d("1")).div(&Interval::point(d("3")), 2),
        closed("0.33", "0.34")
    );
    // An open end of the divisor: [1, 2] / [4, 5) = (0.2, 0.5], which rounding can close.
    assert_eq!(
        closed("1", "2").div(&ends(Some(("4", true)), Some(("5", false))), 10),
        closed("0.2", "0.5")
    );
}

#[test]
fn division_with_infinite_and_open_ends() {
    // [1, ∞) / [2, 4] = [0.25, ∞)
    assert_eq!(
        Interval::at_or_above(d("1")).div(&closed("2", "4"), 10),
        Interval::at_or_above(d("0.25"))
    );
    // [1, 2] / [1, ∞) = (0, 2]: quotients approach 0; after rounding 0 itself is possible.
    assert_eq!(
        closed("1", "2").div(&Interval::at_or_above(d("1")), 10),
        closed("0", "2")
    );
    // ∞ / ∞ says nothing.
    assert_eq!(
        Interval::at_or_above(d("1")).div(&Interval::at_or_above(d("1")), 10),
        Interval::everything()
    );
    // A positive value over (0, 2]: quotients from 0.5 upwards without limit.
    assert_eq!(
        closed("1", "2").div(&ends(Some(("0", false)), Some(("2", true))), 10),
        Interval::at_or_above(d("0.5"))
    );
}

/// A negative value over a divisor with an open 0 end should reach without limit below: -1 /
/// 0.001 is -1000. The quotient of an end by an excluded 0 is taken as +∞ whatever the signs
/// (`Ext::div` multiplies the signs, and the sign of 0 is 0), so this gives [-1, ∞) instead
/// of (-∞, -0.5]. Left as found: the range refactor keeps behaviour unchanged.
#[test]
fn negative_over_an_open_zero_end_is_unbounded_below() {
    // Regression: the end at 0 used to count as sign 0, giving [-1, ∞) (unsound).
    assert_eq!(
        closed("-2", "-1").div(&ends(Some(("0", false)), Some(("2", true))), 10),
        ends(None, Some(("-0.5", true)))
    );
    assert_eq!(
        closed("1", "2").div(&ends(Some(("-2", true)), Some(("0", false))), 10),
        ends(None, Some(("-0.5", true)))
    );
    assert_eq!(
        closed("-2", "-1").div(&ends(Some(("-2", true)), Some(("0", false))), 10),
        ends(Some(("0.5", true)), None)
    );
    // 0 over values near 0 stays 0.
    assert_eq!(
        closed("0", "3").div(&ends(Some(("0", false)), Some(("1", true))), 10),
        ends(Some(("0", true)), None)
    );
}

#[test]
fn hull_is_the_smallest_interval_holding_both() {
    assert_eq!(closed("0", "2").hull(&closed("5", "7")), closed("0", "7"));
    assert_eq!(closed("5", "7").hull(&closed("0", "2")), closed("0", "7"));
    // At equal ends, a reached end wins: [0, 2) ∪ (0, 2] = [0, 2].
    assert_eq!(
        ends(Some(("0", true)), Some(("2", false)))
            .hull(&ends(Some(("0", false)), Some(("2", true)))),
        closed("0", "2")
    );
    assert_eq!(
        ends(Some(("0", false)), Some(("2", false)))
            .hull(&ends(Some(("0", false)), Some(("1", true)))),
        ends(Some(("0", false)), Some(("2", false)))
    );
    assert_eq!(
        closed("0", "2").hull(&Interval::below(d("1"))),
        ends(None, Some(("2", true)))
    );
}

#[test]
fn intersection_keeps_the_tighter_end_on_each_side() {
    assert_eq!(
        closed("0", "5").intersect(&closed("3", "8")),
        closed("3", "5")
    );
    // [0, 5] ∩ (0, 5) = (0, 5): at equal values the excluded end is tighter.
    assert_eq!(
        closed("0", "5").intersect(&ends(Some(("0", false)), Some(("5", false)))),
        ends(Some(("0", false)), Some(("5", false)))
    );
    assert_eq!(
        Interval::at_or_above(d("2")).intersect(&Interval::below(d("4"))),
        Interval::from_below(d("2"), d("4"))
    );
    assert_eq!(
        closed("0", "5").intersect(&Interval::everything()),
        closed("0", "5")
    );
    // Disjoint intervals give an empty one, on a grid or not.
    let none = closed("0", "1").intersect(&closed("2", "3"));
    assert!(none.is_empty(None));
    assert!(none.is_empty(Some(d("1"))));
    // [0, 1) ∩ [1, 2] is empty; [0.5, 0.9] holds no whole number.
    assert!(Interval::from_below(d("0"), d("1"))
        .intersect(&closed("1", "2"))
        .is_empty(None));
    assert!(!closed("0.5", "0.9").is_empty(None));
    assert!(closed("0.5", "0.9").is_empty(Some(d("1"))));
}

#[test]
fn sweep_on_a_grid_reports_overlaps_against_the_furthest_reach() {
    let items = [
        closed("0", "10"),
        closed("2", "3"),
        closed("5", "6"),
        closed("11", "12"),
    ];
    let c = sweep(closed("0", "12"), &items, Some(d("1")));
    assert_eq!(
        c.overlaps,
        vec![
            Overlap {
                first: 0,
                second: 1,
                shared: closed("2", "3")
            },
            Overlap {
                first: 0,
                second: 2,
                shared: closed("5", "6")
            },
        ]
    );
    assert!(c.gaps.is_empty());
}

#[test]
fn sweep_on_a_grid_snaps_open_ends_and_finds_the_gap_at_the_top() {
    // On whole numbers, below 3 is at most 2 and above 7.5 is at least 8.
    let items = [
        Interval::below(d("3")),
        ends(Some(("3", true)), Some(("7.5", true))),
    ];
    let c = sweep(closed("0", "10"), &items, Some(d("1")));
    assert!(c.overlaps.is_empty());
    assert_eq!(c.gaps, vec![closed("8", "10")]);
    // With no intervals, the whole domain is a gap.
    let c = sweep(closed("0", "10"), &[], Some(d("1")));
    assert_eq!(c.gaps, vec![closed("0", "10")]);
}

#[test]
fn sweep_on_continuous_decimals_leaves_open_gaps() {
    let items = [closed("0", "5"), closed("6", "9")];
    let c = sweep(closed("0", "10"), &items, None);
    assert!(c.overlaps.is_empty());
    assert_eq!(
        c.gaps,
        vec![
            ends(Some(("5", false)), Some(("6", false))),
            ends(Some(("9", false)), Some(("10", true))),
        ]
    );
    // [0, 5) and (5, 9] miss exactly 5.
    let items = [
        Interval::from_below(d("0"), d("5")),
        ends(Some(("5", false)), Some(("9", true))),
    ];
    let c = sweep(closed("0", "9"), &items, None);
    assert_eq!(c.gaps, vec![Interval::point(d("5"))]);
    // Items partly outside the domain count only inside it.
    let items = [closed("-5", "2"), closed("1", "20")];
    let c = sweep(closed("0", "10"), &items, None);
    assert!(c.gaps.is_empty());
    assert_eq!(
        c.overlaps,
        vec![Overlap {
            first: 0,
            second: 1,
            shared: closed("1", "2")
        }]
    );
}

#[test]
fn display_reads_like_the_language() {
    assert_eq!(
        Interval::from_below(d("6"), d("12")).to_string(),
        "6 up to but not including 12"
    );
    assert_eq!(Interval::closed(d("1.50"), d("2")).to_string(), "1.5 to 2");
    assert_eq!(Interval::point(d("3")).to_string(), "3");
    assert_eq!(Interval::at_or_above(d("3")).to_string(), "3 and above");
}
