//! The range analysis as later stages see it: every rule's least and most contribution and the
//! score's reach before clamping, in the IR, recomputed for `--set` overrides.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rubric::ir::Policy;
use rubric::SourceMap;
use rust_decimal::Decimal;

fn compile(path: &str, overrides: &[(&str, &str)]) -> Policy {
    let mut sources = SourceMap::new();
    let file = sources
        .load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap();
    let overrides: Vec<(String, String)> = overrides
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let options = rubric::Options {
        overrides: rubric::check::command_line(&mut sources, &overrides),
        ..Default::default()
    };
    match rubric::compile(&sources, file, &options).into_policy() {
        Ok((policy, _)) => policy,
        Err(e) => panic!("{:?}", e.first().map(|d| d.message.clone())),
    }
}

fn d(s: &str) -> Option<Decimal> {
    Some(s.parse().unwrap())
}

fn range(policy: &Policy, rule: &str) -> (Option<Decimal>, Option<Decimal>) {
    let r = &policy.rules[policy.rule_index(rule).unwrap()];
    (r.least, r.most)
}

#[test]
fn every_rule_knows_its_least_and_most_points() {
    let p = compile("examples/civic_trust.rubric", &[]);
    assert_eq!(range(&p, "late_taxes"), (d("-200"), d("0")));
    assert_eq!(range(&p, "driving_record"), (d("-150"), d("10")));
    assert_eq!(range(&p, "work_status"), (d("0"), d("20")));
    // 40 points at most, weighted by 1.5.
    assert_eq!(range(&p, "civic_participation"), (d("0"), d("60")));
    assert_eq!(range(&p, "long_residence"), (d("0"), d("30")));
    assert_eq!((p.reach.lo, p.reach.hi), (d("350"), d("1120")));

    let p = compile("examples/driving_licence.rubric", &[]);
    assert_eq!(range(&p, "speeding"), (d("-6"), d("0")));
    assert_eq!((p.reach.lo, p.reach.hi), (d("-20"), d("16")));

    let p = compile("examples/lending.rubric", &[]);
    assert_eq!((p.reach.lo, p.reach.hi), (d("315"), d("850")));
}

#[test]
fn overrides_recompute_the_ranges() {
    let p = compile("examples/civic_trust.rubric", &[("late_tax_cap", "300")]);
    assert_eq!(range(&p, "late_taxes"), (d("-300"), d("0")));
    assert_eq!(p.reach.lo, d("250"));
    let p = compile("examples/civic_trust.rubric", &[("community_weight", "2")]);
    assert_eq!(range(&p, "civic_participation"), (d("0"), d("80")));
}

#[test]
fn a_rule_without_a_cap_has_no_bound() {
    let p = compile("tests/ui/W1000_score_leaves_scale.rubric", &[]);
    assert_eq!(range(&p, "late"), (None, d("0")));
    assert_eq!(p.reach.lo, None);
    assert_eq!(p.reach.hi, d("105"));
}

#[test]
fn monotonicity_is_proved_for_the_examples() {
    for path in [
        "examples/civic_trust.rubric",
        "examples/driving_licence.rubric",
        "examples/lending.rubric",
        // A scale where higher is worse: the proofs look the other way.
        "tests/eval/demerit.rubric",
        "tests/docs/demerit.rubric",
    ] {
        let text =
            std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
                .unwrap();
        let mut sources = rubric::SourceMap::new();
        let file = sources.add(path, text);
        let compiled = rubric::compile(&sources, file, &rubric::Options::default());
        let model = compiled.model().unwrap();
        assert!(!compiled.has_errors(), "{path}");
        assert!(!model.monotonicity.is_empty(), "{path}");
        for m in &model.monotonicity {
            assert_eq!(
                m.verdict,
                rubric::check::monotone::Verdict::Proved,
                "{path}: indicator {}",
                model.indicators[m.indicator].decl.name.node
            );
        }
    }
}

/// A small deterministic generator (no dependency needed for this).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A random valid value for an input: ends of its range, 0, and values in between.
fn random_value(rng: &mut Lcg, input: &rubric::ir::Input) -> Option<rubric::ir::Value> {
    use rubric::ir::{InputKind, Missing, Value};
    if matches!(input.missing, Missing::Unknown) && rng.below(5) == 0 {
        return None;
    }
    Some(match &input.kind {
        InputKind::Bool => Value::Bool(rng.below(2) == 1),
        InputKind::Enum(m) => Value::Member(rng.below(m.len() as u64) as u32),
        InputKind::Text => Value::Text(format!("t{}", rng.below(3))),
        InputKind::Whole | InputKind::Decimal => {
            let lo = input.min.unwrap_or(Decimal::from(-50));
            let hi = input.max.unwrap_or(lo + Decimal::from(60));
            let v = match rng.below(6) {
                0 => lo,
                1 => hi,
                _ => {
                    let span = hi - lo;
                    let steps = if input.kind == InputKind::Whole {
                        1000
                    } else {
                        100_000
                    };
                    let mut v =
                        lo + span * Decimal::from(rng.below(steps + 1)) / Decimal::from(steps);
                    if input.kind == InputKind::Whole {
                        v = v.round();
                    }
                    v
                }
            };
            Value::Number(v.clamp(lo, hi))
        }
    })
}

/// The analysis is sound: on thousands of random records, every rule's contribution lies within
/// its least and most, and every total within the policy's reach.
#[test]
fn random_records_stay_within_the_computed_ranges() {
    let mut rng = Lcg(42);
    for path in [
        "examples/civic_trust.rubric",
        "examples/driving_licence.rubric",
        "examples/lending.rubric",
        "tests/ui/ok_civic_trust.rubric",
        "tests/ui/ok_small_loan_scorecard.rubric",
        "tests/ui/W1004_division_by_zero.rubric",
        "tests/ui/W1100_monotonicity_undecided.rubric",
    ] {
        let policy = compile(path, &[]);
        let evaluator = rubric::eval::Evaluator::new(&policy);
        let mut decided = 0;
        for _ in 0..3000 {
            let record: Vec<_> = policy
                .inputs
                .iter()
                .map(|i| random_value(&mut rng, i))
                .collect();
            let Ok(decision) = evaluator.evaluate(&record) else {
                continue;
            };
            decided += 1;
            for fired in &decision.fired {
                let rule = &policy.rules[fired.rule];
                assert!(
                    rule.least.is_none_or(|l| fired.points >= l)
                        && rule.most.is_none_or(|m| fired.points <= m),
                    "{path}: rule `{}` gave {} outside {:?}..{:?} for {record:?}",
                    rule.name,
                    fired.points,
                    rule.least,
                    rule.most
                );
            }
            assert!(
                policy.reach.lo.is_none_or(|l| decision.unclamped >= l)
                    && policy.reach.hi.is_none_or(|h| decision.unclamped <= h),
                "{path}: total {} outside {:?}",
                decision.unclamped,
                policy.reach
            );
        }
        assert!(decided > 1000, "{path}: only {decided} records decided");
    }
}

/// What is proved holds: for an indicator whose direction was proved, raising it on a random
/// record never moves the score the wrong way.
#[test]
fn proved_directions_hold_on_random_records() {
    let mut rng = Lcg(7);
    for path in [
        "examples/civic_trust.rubric",
        "examples/driving_licence.rubric",
        "examples/lending.rubric",
        "tests/ui/ok_civic_trust.rubric",
        "tests/docs/demerit.rubric",
    ] {
        let text =
            std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
                .unwrap();
        let mut sources = rubric::SourceMap::new();
        let file = sources.add(path, text);
        let compiled = rubric::compile(&sources, file, &rubric::Options::default());
        let (model, policy) = (compiled.model().unwrap(), compiled.policy().unwrap());
        let evaluator = rubric::eval::Evaluator::new(policy);
        for m in &model.monotonicity {
            assert_eq!(m.verdict, rubric::check::monotone::Verdict::Proved);
            let input = &policy.inputs[m.indicator];
            for _ in 0..500 {
                let mut record: Vec<_> = policy
                    .inputs
                    .iter()
                    .map(|i| random_value(&mut rng, i))
                    .collect();
                let (Some(a), Some(b)) =
                    (random_value(&mut rng, input), random_value(&mut rng, input))
                else {
                    continue;
                };
                let key = |v: &rubric::ir::Value| match v {
                    rubric::ir::Value::Number(n) => *n,
                    rubric::ir::Value::Bool(b) => Decimal::from(u8::from(*b)),
                    _ => Decimal::ZERO,
                };
                let (low, high) = if key(&a) <= key(&b) { (a, b) } else { (b, a) };
                record[m.indicator] = Some(low.clone());
                let Ok(at_low) = evaluator.evaluate(&record) else {
                    continue;
                };
                record[m.indicator] = Some(high.clone());
                let Ok(at_high) = evaluator.evaluate(&record) else {
                    continue;
                };
                let ok = if m.score_rises {
                    at_high.score >= at_low.score
                } else {
                    at_high.score <= at_low.score
                };
                assert!(
                    ok,
                    "{path}: `{}` from {low:?} to {high:?}: {} -> {}",
                    input.name, at_low.score, at_high.score
                );
            }
        }
    }
}
