//! Phrasings of small policies.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::runtime::decision::{Decision, Fired, Reason};
use crate::span::FileId;

const HEADER: &str = "policy \"T\" {\n  version \"1\"\n  effective 2027-01-01\n  score 0 to 1000 starting at 500\n  round to 0 decimals\n}\n";

/// Checks `body` (after a header) and hands its phraser to `f`.
fn with(body: &str, f: impl FnOnce(&Phraser<'_, '_>)) {
    let text = format!("{HEADER}{body}");
    let ast = crate::parse(FileId(0), &text).unwrap_or_else(|e| panic!("{e:?}"));
    let report = crate::check(&ast, &crate::Options::default());
    assert!(!report.has_errors(), "{:?}", report.problems);
    f(&Phraser::new(&report.model));
}

fn rule(body: &str) -> String {
    let mut out = String::new();
    with(body, |p| out = p.rule_sentence(0));
    out
}

const DECLS: &str = "
indicator late_tax_payments: count
indicator arrears: decimal 0 to 1000, unit \"EUR\", missing means 0
indicator points_on_licence: integer 0 to 12
indicator judgement: boolean
indicator job: one of [employed, self_employed, unemployed], missing means unknown
indicator hours: decimal 0 to 100, unit \"hours\", missing means 0
param penalty = 20 points
param cap = 100 points
param factor = 1.5
param limit = 0.5
let steps = arrears / 100
";

fn ruled(rule_text: &str) -> String {
    rule(&format!("{DECLS}{rule_text}"))
}

#[test]
fn per_unit_effects_with_caps_keep_param_names() {
    assert_eq!(
        ruled("rule r \"R\" {\n when late_tax_payments >= 1\n deduct penalty per late_tax_payments, at most cap\n basis \"b\"\n reason \"r\"\n}\n"),
        "Deduct the penalty (20 points) for each late tax payment, but at most the cap (100 points), when there is at least one late tax payment."
    );
    assert_eq!(
        ruled("rule r {\n when late_tax_payments >= 1\n deduct 20 per late_tax_payments, at most 100\n}\n"),
        "Deduct 20 points for each late tax payment, but at most 100 points, when there is at least one late tax payment."
    );
}

#[test]
fn comparisons_read_as_words_with_units() {
    assert_eq!(
        ruled("rule r {\n when arrears > 0\n deduct 10 per steps, at least 1, at most 50\n}\n"),
        "Deduct 10 points for each step, but at least 1 point and at most 50 points, when arrears is more than 0 EUR."
    );
    assert_eq!(
        ruled("rule r {\n when points_on_licence <= 3 and arrears != 5\n add 1\n}\n"),
        "Add 1 point, when points on licence is at most 3 and arrears is not 5 EUR."
    );
    assert_eq!(
        ruled("rule r {\n when points_on_licence < 3 or points_on_licence = 7\n add 2\n}\n"),
        "Add 2 points, when points on licence is less than 3 or points on licence is 7."
    );
    assert_eq!(
        ruled("rule r {\n when late_tax_payments = 0\n add 2\n}\n"),
        "Add 2 points, when there are no late tax payments."
    );
    assert_eq!(
        ruled("rule r {\n when late_tax_payments > 2\n add 2\n}\n"),
        "Add 2 points, when the number of late tax payments is more than 2."
    );
}

#[test]
fn logic_is_grouped_clearly() {
    assert_eq!(
        ruled("rule r {\n when judgement and (points_on_licence > 3 or arrears > 10)\n deduct 5\n}\n"),
        "Deduct 5 points, when “judgement” is yes and (either points on licence is more than 3 or arrears is more than 10 EUR)."
    );
    assert_eq!(
        ruled("rule r {\n when not judgement or job is employed and hours >= 2\n deduct 5\n}\n"),
        "Deduct 5 points, when “judgement” is no or (both job is employed and hours is at least 2 hours)."
    );
    assert_eq!(
        ruled("rule r {\n when not (points_on_licence > 3)\n add 1\n}\n"),
        "Add 1 point, when points on licence is at most 3."
    );
}

#[test]
fn lists_and_missing_values() {
    assert_eq!(
        ruled("rule r {\n when job in [employed, self_employed]\n add 3\n}\n"),
        "Add 3 points, when job is one of employed or self employed."
    );
    assert_eq!(
        ruled("rule r {\n when job not in [unemployed]\n add 3\n}\n"),
        "Add 3 points, when job is not unemployed."
    );
    assert_eq!(
        ruled("rule r {\n when job is missing\n deduct 3\n}\n"),
        "Deduct 3 points, when job is not known."
    );
    assert_eq!(
        ruled("rule r {\n when not (job is missing)\n add 3\n}\n"),
        "Add 3 points, when job is known."
    );
}

#[test]
fn quoted_members_read_as_written_and_names_as_words() {
    let decls = "indicator work: one of [\"SELF-EMPLOYED\", \"self_employed\", on_leave, \"... < 0 DM\"], missing means \"SELF-EMPLOYED\"\n";
    let phrase = |text: &str| rule(&format!("{decls}{text}"));
    // The same member named or quoted reads the same; a member that is a name reads as words.
    assert_eq!(
        phrase("rule r {\n when work in [\"on_leave\", on_leave, \"SELF-EMPLOYED\", \"self_employed\"]\n add 3\n}\n"),
        "Add 3 points, when work is one of on leave, on leave, “SELF-EMPLOYED” or self employed."
    );
    assert_eq!(
        phrase("rule r by work {\n \"... < 0 DM\" => deduct 5\n otherwise => add 0\n}\n"),
        "Score by work: deduct 5 points when it is “... < 0 DM”; add no points when it is any other value."
    );
    let text = format!("{HEADER}{decls}");
    let ast = crate::parse(FileId(0), &text).unwrap();
    let report = crate::check(&ast, &crate::Options::default());
    let p = Phraser::new(&report.model);
    assert_eq!(
        p.indicator_type(0),
        "one of: “SELF-EMPLOYED”, self employed, on leave or “... < 0 DM”"
    );
    assert_eq!(p.missing_rule(0), "Counts as “SELF-EMPLOYED”");
}

#[test]
fn expressions_in_points() {
    assert_eq!(
        ruled("rule r {\n when hours > 0\n add factor * hours + 2, at most cap\n}\n"),
        "Add points equal to the factor (1.5) times hours plus 2, but at most the cap (100 points), when hours is more than 0 hours."
    );
    assert_eq!(
        ruled("rule r {\n add min(hours, 10) * 2\n}\n"),
        "Add points equal to (the smaller of hours and 10) times 2."
    );
    assert_eq!(
        ruled("rule r {\n add (hours - 2) / 4\n}\n"),
        "Add points equal to (hours minus 2) divided by 4."
    );
    assert_eq!(
        ruled("rule r {\n add if hours > 50 then 5 else clamp(hours, 1, 3)\n}\n"),
        "Add points equal to 5 if hours is more than 50 hours; otherwise hours, but no less than 1 and no more than 3."
    );
}

#[test]
fn powers() {
    assert_eq!(
        ruled("rule r {\n add (hours - 2) ^ 2\n}\n"),
        "Add points equal to (hours minus 2) to the power of 2."
    );
    assert_eq!(
        ruled("rule r {\n add 2 * -hours ^ 2 + factor ^ -1\n}\n"),
        "Add points equal to 2 times minus (hours to the power of 2) plus the factor (1.5) to the power of minus 1."
    );
}

#[test]
fn scorecards() {
    let text = ruled("rule r \"Licence\" by points_on_licence {\n 0 => add 10\n 1 to 5 => deduct penalty\n from 6 below 12 => deduct 30\n 12 => deduct 80\n}\n");
    assert_eq!(
        text,
        "Score by points on licence: add 10 points when it is 0; deduct the penalty (20 points) when it is 1 to 5; deduct 30 points when it is at least 6 and below 12; deduct 80 points when it is 12."
    );
    let text = ruled("rule r by job {\n employed, self_employed => add 10\n unemployed => add 0\n missing => add 2\n}\n");
    assert_eq!(
        text,
        "Score by job: add 10 points when it is employed or self employed; add no points when it is unemployed; add 2 points when it is not known."
    );
    let text =
        ruled("rule r by arrears {\n below limit => add 0\n at limit and above => deduct 1\n}\n");
    assert_eq!(
        text,
        "Score by arrears: add no points when it is below the limit (0.5 EUR); deduct 1 point when it is the limit (0.5 EUR) or more."
    );
}

#[test]
fn left_open_ranges() {
    let text = ruled("rule r by points_on_licence {\n at most 0 => add 5\n above 0 to 5 => deduct 5\n above 5 below 12 => deduct 30\n above 11 => deduct 80\n}\n");
    assert!(
        text.starts_with("Score by points on licence: add 5 points when it is 0 or less; deduct 5 points when it is more than 0 and at most 5; deduct 30 points when it is more than 5 and below 12; deduct 80 points when it is more than 11."),
        "{text}"
    );
    let body = format!(
        "{DECLS}rule r {{\n add 1\n}}\ntier top above 950\ntier high 900 to 950\ntier mid above 500 below 900\ntier low above 100 to 500\ntier bottom at most 100\n"
    );
    with(&body, |p| {
        assert_eq!(p.tier_bounds(0), "above 950 points");
        assert_eq!(p.tier_bounds(1), "900 to 950 points");
        assert_eq!(p.tier_bounds(2), "above 500 and below 900 points");
        assert_eq!(p.tier_bounds(3), "above 100 up to and including 500 points");
        assert_eq!(p.tier_bounds(4), "100 points and below");
    });
}

#[test]
fn groups_weights_tiers_and_consequences() {
    let body = format!(
        "{DECLS}group g \"Community\" weight factor {{\n rule r {{\n  add 1\n }}\n}}\n\
         tier top \"Top\" at 900 and above\ntier mid from 500 below 900\ntier low \"Low\" 0 to 499\n\
         consequence c \"Ban\" {{\n is a sanction\n when tier is low or score < 100 and r applies\n lasts 12 months, notice 30 days\n appeal \"Board\"\n basis \"Law\"\n}}\n\
         consequence d {{\n is a benefit\n when tier is top\n lasts indefinitely because \"it is a prize\"\n appeal \"Board\"\n basis \"Law\"\n}}\n"
    );
    with(&body, |p| {
        assert_eq!(
            p.rule_sentence(0),
            "Add 1 point. It belongs to the group “Community”, whose points are multiplied by 1.5 (the factor)."
        );
        assert_eq!(p.tier_bounds(0), "900 points and above");
        assert_eq!(
            p.tier_bounds(1),
            "from 500 up to but not including 900 points"
        );
        assert_eq!(p.tier_bounds(2), "0 to 499 points");
        assert_eq!(
            p.trigger(0),
            "the tier is low (“Low”) or (both the score is less than 100 and the rule “r” applies)"
        );
        assert_eq!(
            p.consequence_sentence(0),
            "This sanction applies when the tier is low (“Low”) or (both the score is less than 100 and the rule “r” applies). It lasts 12 months, and 30 days' notice is given before it starts."
        );
        assert_eq!(
            p.consequence_sentence(1),
            "This benefit applies when the tier is top (“Top”). It lasts indefinitely, because it is a prize, and no notice period is written."
        );
        assert_eq!(
            p.indicator_type(4),
            "one of: employed, self employed or unemployed"
        );
        assert_eq!(p.indicator_range(1).as_deref(), Some("0 to 1000 EUR"));
        assert_eq!(p.indicator_range(0).as_deref(), Some("0 or more"));
        assert_eq!(p.missing_rule(1), "Counts as 0 EUR");
        assert_eq!(
            p.missing_rule(0),
            "Required: a record without it is rejected"
        );
        assert_eq!(p.param(0), "the penalty (20 points)");
        assert_eq!(p.param(2), "the factor (1.5)");
    });
}

#[test]
fn explanations_say_what_happened() {
    let body = format!(
        "{DECLS}rule r \"Late taxes\" {{\n when late_tax_payments >= 1\n deduct penalty per late_tax_payments\n reason \"Late\"\n}}\n\
         tier top at 500 and above\ntier low below 500\n\
         consequence c \"Ban\" {{\n is a sanction\n when tier is low\n lasts 1 month\n appeal \"Board\"\n basis \"Law\"\n}}\n"
    );
    with(&body, |p| {
        let decision: Decision<()> = Decision {
            score: Decimal::ZERO,
            unclamped: Decimal::from(-100),
            tier: Some(1),
            fired: vec![Fired {
                rule: 0,
                points: Decimal::from(-600),
                arm: None,
            }],
            unknown: vec![],
            tables: vec![],
            reasons: vec![Reason {
                rule: 0,
                below: Decimal::from(600),
            }],
            consequences: vec![0],
            unknown_consequences: vec![],
            not_counted: vec![],
            computed: vec![],
            lets: (),
        };
        let lines = Explainer::new(p).explain(&decision);
        assert_eq!(
            lines,
            vec![
                "Everyone starts at 500 points.".to_string(),
                "“Late taxes” deducted 600 points. The rule: Deduct the penalty (20 points) for each late tax payment, when there is at least one late tax payment.".into(),
                "The total of -100 points is below the bottom of the scale, so the score is kept at 0 points.".into(),
                "A score of 0 is in tier low, which covers below 500 points.".into(),
                "“Ban” applies. This sanction applies when the tier is low. It lasts 1 month, and no notice period is written. Appeal: Board. Basis: Law.".into(),
                "The main reasons, most important first: Late (600 points below).".into(),
            ]
        );
        // Indices the policy does not have are still phrased, never a panic.
        let strange: Decision<()> = Decision {
            fired: vec![Fired {
                rule: 7,
                points: Decimal::ONE,
                arm: None,
            }],
            tier: Some(9),
            consequences: vec![9],
            reasons: vec![Reason {
                rule: 7,
                below: Decimal::ONE,
            }],
            ..Default::default()
        };
        assert!(!Explainer::new(p).explain(&strange).is_empty());
    });
}

#[test]
fn out_of_range_indices_never_panic() {
    with(DECLS, |p| {
        assert_eq!(p.rule_sentence(99), "");
        assert_eq!(p.tier_bounds(99), "");
        assert_eq!(p.trigger(99), "");
        assert_eq!(p.consequence_sentence(99), "");
        assert_eq!(p.missing_rule(99), "");
        assert_eq!(p.param(99), "a param");
        assert_eq!(p.rule_label(99), "a rule");
        assert!(p.indicator_range(99).is_none());
    });
}

/// Checks a whole policy (its own header) and hands its phraser to `f`.
fn with_policy(text: &str, f: impl FnOnce(&Phraser<'_, '_>)) {
    let ast = crate::parse(FileId(0), text).unwrap_or_else(|e| panic!("{e:?}"));
    let report = crate::check(&ast, &crate::Options::default());
    assert!(!report.has_errors(), "{:?}", report.problems);
    f(&Phraser::new(&report.model));
}

const DEMERIT: &str = "policy \"T\" {\n version \"1\"\n effective 2027-01-01\n score 0 to 12, higher is worse\n round to 0 decimals\n}\n\
    indicator speed: integer 0 to 100\nindicator red: count 0 to 5\nindicator phone: count 0 to 5\n\
    rule speeding \"Speeding\" {\n when speed > 20\n add 3\n baseline 1\n reason R01 \"Dangerous driving\"\n}\n\
    rule red_light \"Red lights\" {\n when red >= 1\n add 4 per red\n reason R01\n}\n\
    rule phoning \"Phone\" {\n when phone >= 1\n add 2 per phone\n reason \"Using a phone\"\n}\n\
    tier all at 0 and above\n";

#[test]
fn shared_reason_codes_and_demerit_scales_in_words() {
    with_policy(DEMERIT, |p| {
        assert!(p
            .scale_direction()
            .unwrap()
            .starts_with("On this scale a higher score is worse"));
        assert_eq!(
            p.reason_code(0).unwrap(),
            "R01, shared with “Red lights”: the points these rules count against the person are added together, and a decision gives the reason once"
        );
        assert_eq!(p.reason_code(2), None);
        assert_eq!(
            p.reason_code_sentence(0).unwrap(),
            "Reason R01 (“Dangerous driving”) is given once for “Speeding” and “Red lights” together, with their points against the person added up."
        );
        // Speeding 3 points (2 above its baseline) and two red lights (8 points): R01 with 10;
        // the phone 2 points added.
        let decision: Decision<()> = Decision {
            score: Decimal::from(12),
            unclamped: Decimal::from(13),
            fired: vec![
                Fired {
                    rule: 0,
                    points: Decimal::from(3),
                    arm: None,
                },
                Fired {
                    rule: 1,
                    points: Decimal::from(8),
                    arm: None,
                },
                Fired {
                    rule: 2,
                    points: Decimal::from(2),
                    arm: None,
                },
            ],
            reasons: vec![
                Reason {
                    rule: 0,
                    below: Decimal::from(10),
                },
                Reason {
                    rule: 2,
                    below: Decimal::from(2),
                },
            ],
            tier: Some(0),
            ..Default::default()
        };
        let lines = Explainer::new(p).explain(&decision);
        assert_eq!(
            lines.first().unwrap(),
            "Everyone starts at 0 points; on this scale a higher score is worse."
        );
        assert_eq!(
            lines.last().unwrap(),
            "The main reasons, most important first: Dangerous driving (code R01: 10 points above, of which “Speeding” 2 points and “Red lights” 8 points); Using a phone (2 points added)."
        );
    });
    // On a scale where higher is better, nothing is said about the direction.
    with(DECLS, |p| assert!(p.scale_direction().is_none()));
}

/// Regression: one row an unknown value left undecided was "a value they test".
#[test]
fn undecided_rows_are_counted_in_words() {
    let body = "indicator risk: integer 0 to 300, missing means unknown\n\
        table band \"Band\" {\n  inputs risk\n  outputs band: one of [LOW, HIGH]\n  below 100 => LOW\n  at 100 and above => HIGH\n  otherwise => LOW\n}\n\
        tier all at 0 and above\n";
    with(body, |p| {
        let explain = |unknown: Vec<usize>| {
            let decision: Decision<()> = Decision {
                score: Decimal::from(500),
                unclamped: Decimal::from(500),
                tier: Some(0),
                tables: vec![crate::runtime::decision::TableRows {
                    matched: vec![],
                    unknown,
                    by_default: true,
                }],
                ..Default::default()
            };
            Explainer::new(p).explain(&decision)
        };
        let one = explain(vec![0]);
        assert!(
            one.contains(
                &"Row 1 of “Band” could not be decided, because a value it tests is not known."
                    .to_string()
            ),
            "{one:#?}"
        );
        let two = explain(vec![0, 1]);
        assert!(
            two.contains(&"Rows 1 and 2 of “Band” could not be decided, because a value they test is not known.".to_string()),
            "{two:#?}"
        );
    });
}
