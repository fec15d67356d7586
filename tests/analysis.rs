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
    match rubric::compile(&sources, file, &overrides) {
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
    ] {
        let text =
            std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
                .unwrap();
        let ast = rubric::parse(rubric::FileId(0), &text).unwrap();
        let checked = rubric::check(&ast).unwrap();
        assert!(!checked.model.monotonicity.is_empty(), "{path}");
        for m in &checked.model.monotonicity {
            assert_eq!(
                m.verdict,
                rubric::check::monotone::Verdict::Proved,
                "{path}: indicator {}",
                checked.model.indicators[m.indicator].decl.name.node
            );
        }
    }
}
