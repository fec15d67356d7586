//! `rubric eval --explain` explains the policy that scored, what-if values included: for every
//! example, without overrides and with each param given another value in turn, every number the
//! sentences state about the decision (each rule's points, the score, the tier's score, the
//! reasons' points) is the decision's, and a param's value is quoted as it ran, never as written.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rubric::phrase::{humanise, number, points};
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example's params as (name, written value).
fn params(policy: &Path) -> Vec<(String, Decimal)> {
    let mut sources = rubric::SourceMap::new();
    let file = sources.load(policy).unwrap();
    let (policy, _) = rubric::compile(&sources, file, &rubric::Options::default())
        .into_policy()
        .unwrap();
    policy
        .params
        .iter()
        .map(|p| (p.name.clone(), p.value))
        .collect()
}

/// Whether the policy compiles without errors with `name` set to `value`.
fn compiles_with(policy: &Path, name: &str, value: Decimal) -> bool {
    let mut sources = rubric::SourceMap::new();
    let file = sources.load(policy).unwrap();
    let options = rubric::Options {
        overrides: rubric::check::command_line(
            &mut sources,
            &[(name.to_string(), value.normalize().to_string())],
        ),
        ..Default::default()
    };
    !rubric::compile(&sources, file, &options).has_errors()
}

fn explained(policy: &Path, records: &Path, overrides: &[(String, Decimal)]) -> Vec<Value> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rubric"));
    command
        .arg("eval")
        .arg(policy)
        .arg(records)
        .arg("--explain")
        .arg("-q");
    for (name, value) in overrides {
        command
            .arg("--set")
            .arg(format!("{name}={}", value.normalize()));
    }
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{}: {}",
        policy.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn decimal(v: &Value) -> Decimal {
    v.to_string().parse().unwrap()
}

/// Checks one decision's sentences against its numbers; returns the sentences.
fn check_decision(decision: &Value) -> Vec<String> {
    let sentences: Vec<String> = decision["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    let rules = decision["rules"].as_array().unwrap();
    // One sentence per rule that fired, in order, right after the starting score.
    for (k, rule) in rules.iter().enumerate() {
        let pts = decimal(&rule["points"]);
        let sentence = &sentences[1 + k];
        let said = if pts.is_zero() {
            "changed nothing (0 points)".to_string()
        } else if pts > Decimal::ZERO {
            format!("added {}", points(pts))
        } else {
            format!("deducted {}", points(-pts))
        };
        assert!(
            sentence.contains(&said),
            "rule {}: {sentence:?} should say {said:?}",
            rule["rule"]
        );
    }
    let score = decimal(&decision["score"]);
    let score_said = format!("The score is {}.", points(score));
    let clamped_said = format!("the score is kept at {}.", points(score));
    assert!(
        sentences
            .iter()
            .any(|s| s == &score_said || s.ends_with(&clamped_said)),
        "no sentence gives the score {score}: {sentences:?}"
    );
    let tier_said = format!("A score of {} is in ", number(score));
    assert!(sentences.iter().any(|s| s.starts_with(&tier_said)));
    let reasons = decision["reasons"].as_array().unwrap();
    if let Some(line) = sentences.iter().find(|s| s.starts_with("The main reasons")) {
        for reason in reasons.iter().take(4) {
            // "(25 points below", "(code R07: 6 points above", "(3 points added".
            let open = match reason["code"].as_str() {
                Some(code) => format!("(code {code}: "),
                None => "(".to_string(),
            };
            let said: Vec<String> = match reason.get("points_below") {
                Some(below) => vec![format!("{open}{} below", points(decimal(below)))],
                None => ["above", "added"]
                    .iter()
                    .map(|w| format!("{open}{} {w}", points(decimal(&reason["points_above"]))))
                    .collect(),
            };
            assert!(
                said.iter().any(|s| line.contains(s)),
                "{line:?} should contain one of {said:?}"
            );
        }
    } else {
        assert!(
            reasons.is_empty(),
            "reasons without a sentence: {sentences:?}"
        );
    }
    sentences
}

#[test]
fn explanations_agree_with_the_decisions_under_every_override() {
    let mut runs = 0;
    let mut quoted_overrides = 0;
    for name in ["civic_trust", "driving_licence", "lending"] {
        let policy = root().join("examples").join(format!("{name}.rubric"));
        let records = root().join("examples").join(format!("{name}.jsonl"));
        let mut sets: Vec<Vec<(String, Decimal)>> = vec![Vec::new()];
        for (param, written) in params(&policy) {
            // Another value that keeps the policy valid: larger first, then smaller.
            let candidates = [
                written + Decimal::ONE,
                written * Decimal::TWO,
                written / Decimal::TWO,
            ];
            if let Some(value) = candidates
                .into_iter()
                .find(|v| compiles_with(&policy, &param, *v))
            {
                sets.push(vec![(param, value)]);
            }
        }
        assert!(sets.len() > 3, "{name}: too few valid what-if values");
        let written: Vec<(String, Decimal)> = params(&policy);
        for set in &sets {
            runs += 1;
            for decision in explained(&policy, &records, set) {
                let sentences = check_decision(&decision);
                for (param, value) in set {
                    let old = written.iter().find(|(n, _)| n == param).unwrap().1;
                    let phrase = humanise(param);
                    let quoted =
                        |v: Decimal| [" ", ")"].map(|end| format!("{phrase} ({}{end}", number(v)));
                    let (stale, fresh) = (quoted(old), quoted(*value));
                    for s in &sentences {
                        assert!(
                            !stale.iter().any(|q| s.contains(q)),
                            "{name} --set {param}={value}: the explanation quotes the written value: {s:?}"
                        );
                        if fresh.iter().any(|q| s.contains(q)) {
                            quoted_overrides += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(runs >= 20, "{runs} runs");
    // The what-if values do appear in the sentences (the check above is not vacuous).
    assert!(
        quoted_overrides > 100,
        "{quoted_overrides} quotes of overridden values"
    );
}

/// Scales where higher is worse (reasons are points added) and reason codes shared by several
/// rules (one reason, the points summed) are explained with the decision's numbers too.
#[test]
fn explanations_agree_on_demerit_scales_and_shared_reason_codes() {
    let mut coded = 0;
    let mut above = 0;
    for name in ["demerit", "shared_reasons"] {
        let policy = root().join("tests/eval").join(format!("{name}.rubric"));
        let records = root().join("tests/eval").join(format!("{name}.jsonl"));
        for decision in explained(&policy, &records, &[]) {
            check_decision(&decision);
            for reason in decision["reasons"].as_array().unwrap() {
                coded += usize::from(reason.get("code").is_some());
                above += usize::from(reason.get("points_above").is_some());
            }
        }
    }
    assert!(coded > 3 && above > 3, "{coded} coded, {above} above");
}
