//! The compiled forms against the tree walk they replace, and their fast paths at the edges.

use super::*;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn num(s: &str) -> Expr {
    Expr::Const(Value::Number(d(s)))
}

fn frame<'a>(inputs: &'a [V]) -> Frame<'a> {
    Frame {
        inputs,
        lets: &[],
        outcome: None,
        applied: &[],
        outputs_at: 0,
    }
}

const SAMPLES: &[&str] = &[
    "0",
    "-0",
    "0.0",
    "22.5",
    "22.50",
    "22.49999",
    "22.500001",
    "22",
    "23",
    "-22.5",
    "-22.50",
    "-23",
    "40",
    "40.000",
    "39.9999999999999999999999999",
    "79228162514264337593543950335",
    "-79228162514264337593543950335",
    "7922816251426433759354395033.5",
    "0.0000000000000000000000000001",
    "1e-28",
];

fn samples() -> Vec<Decimal> {
    SAMPLES
        .iter()
        .filter_map(|s| {
            Decimal::from_str(s)
                .ok()
                .or_else(|| Decimal::from_scientific(s).ok())
        })
        .collect()
}

#[test]
fn scaled_compare_is_decimal_compare() {
    for k in samples() {
        let scaled = Scaled::new(k);
        for v in samples() {
            assert_eq!(scaled.compare(v), v.cmp(&k), "{v} against {k}");
        }
    }
}

#[test]
fn compiled_expressions_agree_with_the_tree_walk() {
    let compiler = Compiler { outputs_at: 0 };
    let read = || Box::new(Expr::Read(Ref::Input(0)));
    let ops = [Compare::Lt, Compare::Le, Compare::Gt, Compare::Ge];
    let mut exprs = Vec::new();
    for k in SAMPLES.iter().take(16) {
        for op in ops {
            exprs.push(Expr::Compare(op, read(), Box::new(num(k))));
            exprs.push(Expr::Compare(op, Box::new(num(k)), read()));
            exprs.push(Expr::Compare(
                op,
                Box::new(Expr::Arith(Arith::Mul, read(), Box::new(num(k)))),
                Box::new(num("22.5")),
            ));
        }
        exprs.push(Expr::Equal {
            negated: false,
            lhs: read(),
            rhs: Box::new(num(k)),
        });
        exprs.push(Expr::Arith(Arith::Div, Box::new(num(k)), read()));
        exprs.push(Expr::Arith(Arith::Add, read(), Box::new(num(k))));
    }
    exprs.push(Expr::In {
        negated: true,
        value: read(),
        set: vec![num("22.5"), num("-23"), Expr::Const(Value::Bool(true))],
    });
    exprs.push(Expr::In {
        negated: false,
        value: read(),
        set: vec![num("1"), Expr::Read(Ref::Input(1))],
    });
    exprs.push(Expr::And(
        Box::new(Expr::Compare(Compare::Gt, read(), Box::new(num("0")))),
        Box::new(Expr::IsMissing {
            negated: false,
            what: Ref::Input(1),
        }),
    ));
    exprs.push(Expr::Or(
        Box::new(Expr::Compare(Compare::Gt, read(), Box::new(num("0")))),
        Box::new(Expr::Read(Ref::Input(1))),
    ));
    exprs.push(Expr::If {
        branches: vec![(
            Expr::Compare(Compare::Lt, read(), Box::new(num("0"))),
            Expr::Neg(read()),
        )],
        otherwise: Box::new(Expr::Max(vec![*read(), num("3.5")])),
    });
    exprs.push(Expr::Clamp(
        read(),
        Box::new(num("-1")),
        Box::new(num("1.5")),
    ));
    exprs.push(Expr::Not(Box::new(Expr::Read(Ref::Input(1)))));
    let mut values: Vec<V> = samples()
        .into_iter()
        .map(|n| Some(Value::Number(n)))
        .collect();
    values.extend([None, Some(Value::Bool(true)), Some(Value::Member(1))]);
    for e in &exprs {
        let (value, truth, number) = (compiler.value(e), compiler.truth(e), compiler.number(e));
        for a in &values {
            for b in [None, Some(Value::Bool(false)), Some(Value::Number(d("1")))] {
                let inputs = [a.clone(), b];
                let f = frame(&inputs);
                assert_eq!(value(&f), f.eval(e), "{e:?} with {inputs:?}");
                assert_eq!(truth(&f), f.truth(e), "{e:?} with {inputs:?}");
                assert_eq!(number(&f), f.number(e), "{e:?} with {inputs:?}");
            }
        }
    }
}

fn range(lo: Option<(&str, bool)>, hi: Option<(&str, bool)>) -> Range {
    let bound = |(v, inclusive): (&str, bool)| Bound {
        value: d(v),
        inclusive,
    };
    Range {
        lo: lo.map(bound),
        hi: hi.map(bound),
    }
}

#[test]
fn many_disjoint_ranges_are_searched_and_agree_with_a_scan() {
    // below 0, [0, 10), [10, 20], (20, 30), …, at 100 and above; in shuffled order.
    let mut ranges = vec![
        (range(None, Some(("0", false))), 0),
        (range(Some(("0", true)), Some(("10", false))), 1),
        (range(Some(("10", true)), Some(("20", true))), 2),
        (range(Some(("20", false)), Some(("30", false))), 3),
    ];
    for (i, lo) in (30..100).step_by(10).enumerate() {
        let (lo, hi) = (lo.to_string(), (lo + 10).to_string());
        ranges.push((range(Some((&lo, true)), Some((&hi, false))), i + 4));
    }
    ranges.push((range(Some(("100", true)), None), 99));
    ranges.swap(0, 5);
    ranges.swap(3, 9);
    let searched = Ranges::new(&ranges);
    assert!(searched.sorted);
    let mut probes = samples();
    for i in -20..240 {
        probes.push(Decimal::new(i, 1) * Decimal::from(5));
        probes.push(Decimal::new(i * 100, 3) * Decimal::from(5));
    }
    for v in probes {
        let scan = ranges.iter().find(|(r, _)| r.contains(v)).map(|(_, i)| *i);
        assert_eq!(searched.find(v), scan, "{v}");
    }
}

#[test]
fn overlapping_or_few_ranges_are_scanned() {
    let few = [(range(Some(("0", true)), None), 0)];
    assert!(!Ranges::new(&few).sorted);
    let mut overlapping: Vec<(Range, usize)> = (0..10)
        .map(|i| {
            let (lo, hi) = (i.to_string(), (i + 1).to_string());
            (range(Some((&lo, true)), Some((&hi, true))), i)
        })
        .collect();
    assert!(!Ranges::new(&overlapping).sorted);
    overlapping.push((range(Some(("5", true)), Some(("5", true))), 10));
    let scanned = Ranges::new(&overlapping);
    assert!(!scanned.sorted);
    assert_eq!(scanned.find(d("1")), Some(0));
    assert_eq!(scanned.find(d("5.0")), Some(4));
    assert_eq!(scanned.find(d("11")), None);
}
