//! A generated policy of 10,000 rules checks cleanly, range analysis and monotonicity proof
//! included (its speed is measured in `benches/`, not here).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[test]
fn ten_thousand_rules_check_without_error() {
    let text = rubric::testing::generated_policy(10_000);
    let file = rubric::parse(rubric::FileId(0), &text).unwrap();
    let checked = rubric::check(&file).unwrap_or_else(|e| panic!("{:?}", e.first()));
    assert_eq!(checked.model.rules.len(), 10_000);
    assert!(
        checked.warnings.is_empty(),
        "{:?}",
        checked.warnings.first()
    );
    // The range analysis and the monotonicity proof ran over every rule.
    let analysis = checked.model.analysis.as_ref().unwrap();
    assert_eq!(analysis.rules.len(), 10_000);
    assert_eq!(checked.model.monotonicity.len(), 7);
    assert!(checked
        .model
        .monotonicity
        .iter()
        .all(|m| m.verdict == rubric::check::monotone::Verdict::Proved));
}
