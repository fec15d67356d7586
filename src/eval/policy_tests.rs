//! Running a policy's own `test` blocks: each builds a record from its `given` values (the missing
//! ones follow the policy's missing-value rules, exactly as in a batch), decides it, and compares
//! the decision with every `expect`.

use super::decision::Decision;
use super::interp::Evaluator;
use crate::ir::{Expectation, InputKind, Missing, OutputKind, Policy, Test, Value};
use rust_decimal::Decimal;

/// One expectation that did not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// What was checked, e.g. "score", "tier", "rule `late_taxes`", "consequence `ban`".
    pub what: String,
    pub expected: String,
    pub actual: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TestReport {
    pub name: String,
    /// The decision, unless the record could not be decided.
    pub decision: Option<Decision>,
    /// Why the record could not be decided (a missing required value, an overflow …).
    pub error: Option<String>,
    pub failures: Vec<Failure>,
}

impl TestReport {
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.failures.is_empty()
    }
}

/// What no test exercises.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    pub rules_never_fired: Vec<usize>,
    pub tiers_never_reached: Vec<usize>,
    pub consequences_never_applied: Vec<usize>,
}

/// Runs every test of the policy, in source order.
pub fn run_tests(policy: &Policy) -> (Vec<TestReport>, Coverage) {
    let evaluator = Evaluator::new(policy);
    let mut fired = vec![false; policy.rules.len()];
    let mut reached = vec![false; policy.tiers.len()];
    let mut applied = vec![false; policy.consequences.len()];
    let mut reports = Vec::with_capacity(policy.tests.len());
    for test in &policy.tests {
        let report = run_test(&evaluator, policy, test);
        if let Some(d) = &report.decision {
            for f in &d.fired {
                if let Some(x) = fired.get_mut(f.rule) {
                    *x = true;
                }
            }
            if let Some(x) = d.tier.and_then(|t| reached.get_mut(t)) {
                *x = true;
            }
            for c in &d.consequences {
                if let Some(x) = applied.get_mut(*c) {
                    *x = true;
                }
            }
        }
        reports.push(report);
    }
    let never = |flags: &[bool]| {
        flags
            .iter()
            .enumerate()
            .filter(|(_, f)| !**f)
            .map(|(i, _)| i)
            .collect()
    };
    let coverage = Coverage {
        rules_never_fired: never(&fired),
        tiers_never_reached: never(&reached),
        consequences_never_applied: never(&applied),
    };
    (reports, coverage)
}

/// Decides the test's record and checks its expectations.
pub fn run_test(evaluator: &Evaluator<'_>, policy: &Policy, test: &Test) -> TestReport {
    let mut report = TestReport {
        name: test.name.clone(),
        decision: None,
        error: None,
        failures: Vec::new(),
    };
    let inputs = match inputs(policy, test) {
        Ok(inputs) => inputs,
        Err(message) => {
            report.error = Some(message);
            return report;
        }
    };
    let decision = match evaluator.evaluate(&inputs) {
        Ok(d) => d,
        Err(e) => {
            let site = match e.site {
                super::Site::Let(i) => policy
                    .lets
                    .get(i)
                    .map(|l| format!("derived value `{}`", l.name)),
                super::Site::Rule(i) => policy.rules.get(i).map(|r| format!("rule `{}`", r.name)),
                super::Site::Consequence(i) => policy
                    .consequences
                    .get(i)
                    .map(|c| format!("consequence `{}`", c.name)),
            };
            let what = match e.kind {
                super::EvalErrorKind::Overflow => "overflowed".to_string(),
                super::EvalErrorKind::DivisionByZero => "divided by zero".to_string(),
                super::EvalErrorKind::Internal(why) => format!("failed: {why}"),
            };
            report.error = Some(format!("computing {} {what}", site.unwrap_or_default()));
            return report;
        }
    };
    for expectation in &test.expect {
        if let Some(failure) = check(policy, &decision, expectation) {
            report.failures.push(failure);
        }
    }
    report.decision = Some(decision);
    report
}

/// The test's record: given values, and the missing-value rules for the rest.
fn inputs(policy: &Policy, test: &Test) -> Result<Vec<Option<Value>>, String> {
    let mut values: Vec<Option<Option<Value>>> = vec![None; policy.inputs.len()];
    for (index, value) in &test.given {
        if let Some(slot) = values.get_mut(*index) {
            *slot = Some(value.clone());
        }
    }
    policy
        .inputs
        .iter()
        .zip(values)
        .map(|(input, given)| match given.flatten() {
            Some(value) => Ok(Some(value)),
            None => match &input.missing {
                Missing::Required => Err(format!(
                    "the test gives no value for the required indicator `{}`",
                    input.name
                )),
                Missing::Default(value) => Ok(Some(value.clone())),
                Missing::Unknown => Ok(None),
            },
        })
        .collect()
}

fn check(policy: &Policy, decision: &Decision, expectation: &Expectation) -> Option<Failure> {
    let failure = |what: String, expected: String, actual: String| {
        Some(Failure {
            what,
            expected,
            actual,
        })
    };
    let tier_name = |t: Option<usize>| {
        t.and_then(|t| policy.tiers.get(t))
            .map_or("no tier".to_string(), |t| t.name.clone())
    };
    match expectation {
        Expectation::Score(expected) if *expected != decision.score => failure(
            "score".into(),
            expected.to_string(),
            decision.score.to_string(),
        ),
        Expectation::Tier(expected) if Some(*expected) != decision.tier => failure(
            "tier".into(),
            tier_name(Some(*expected)),
            tier_name(decision.tier),
        ),
        Expectation::Contribution { rule, points } => {
            let actual = decision.contribution(*rule);
            (actual != *points).then(|| Failure {
                what: format!(
                    "rule `{}`",
                    policy.rules.get(*rule).map_or("", |r| r.name.as_str())
                ),
                expected: signed(*points),
                actual: signed(actual),
            })
        }
        Expectation::Applies {
            consequence,
            applies,
        } => {
            let actual = decision.consequences.contains(consequence);
            let word = |b: bool| if b { "applies" } else { "does not apply" }.to_string();
            (actual != *applies).then(|| Failure {
                what: format!(
                    "consequence `{}`",
                    policy
                        .consequences
                        .get(*consequence)
                        .map_or("", |c| c.name.as_str())
                ),
                expected: word(*applies),
                actual: word(actual),
            })
        }
        Expectation::Derived { derived, value } => {
            let members = match policy
                .lets
                .get(*derived)
                .and_then(|l| l.enum_of)
                .and_then(|i| policy.inputs.get(i))
                .map(|i| &i.kind)
            {
                Some(InputKind::Enum(names)) => names.as_slice(),
                _ => &[],
            };
            value_failure(
                format!(
                    "derived value `{}`",
                    policy.lets.get(*derived).map_or("", |l| l.name.as_str())
                ),
                decision.lets.get(*derived).cloned().flatten(),
                value.as_ref(),
                members,
                false,
            )
        }
        Expectation::Outcome { output, value } => {
            let list = matches!(
                policy.outputs.get(*output).map(|o| &o.kind),
                Some(OutputKind::List(_))
            );
            value_failure(
                format!(
                    "output `{}`",
                    policy.outputs.get(*output).map_or("", |o| o.name.as_str())
                ),
                decision
                    .lets
                    .get(policy.lets.len() + output)
                    .cloned()
                    .flatten(),
                value.as_ref(),
                &[],
                list,
            )
        }
        _ => None,
    }
}

/// A failure when a derived value's or an output's `actual` value is not the `expected` one
/// (`None`: unknown). Numbers compare by value (`2` and `2.0` are one value). `members` names
/// an indicator's members; `list`: texts are an output's list members, written bare.
fn value_failure(
    what: String,
    actual: Option<Value>,
    expected: Option<&Value>,
    members: &[String],
    list: bool,
) -> Option<Failure> {
    let equal = match (&actual, expected) {
        (Some(Value::Number(a)), Some(Value::Number(b))) => a == b,
        (a, b) => a.as_ref() == b,
    };
    let words = |v: Option<&Value>| match v {
        None => "unknown".to_string(),
        Some(Value::Member(m)) => members.get(*m as usize).cloned().unwrap_or_default(),
        Some(Value::Text(t)) if list => t.clone(),
        Some(Value::Text(t)) => format!("{t:?}"),
        Some(Value::Number(n)) => n.normalize().to_string(),
        Some(Value::Bool(b)) => if *b { "yes" } else { "no" }.to_string(),
        Some(other) => format!("{other:?}"),
    };
    (!equal).then(|| Failure {
        what,
        expected: words(expected),
        actual: words(actual.as_ref()),
    })
}

/// Points with an explicit sign: `+10`, `-40`, `0`.
pub fn signed(points: Decimal) -> String {
    if points > Decimal::ZERO {
        format!("+{points}")
    } else {
        points.to_string()
    }
}

/// A value as a test would write it (`yes`, `"text"`, a member's name, a number).
pub fn literal(policy: &Policy, input: usize, value: Option<&Value>) -> String {
    match value {
        None => "missing".to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => if *b { "yes" } else { "no" }.to_string(),
        Some(Value::Text(t)) => format!("{t:?}"),
        Some(Value::Member(m)) => match policy.inputs.get(input).map(|i| &i.kind) {
            Some(InputKind::Enum(members)) => members.get(*m as usize).cloned().unwrap_or_default(),
            _ => m.to_string(),
        },
        Some(Value::Tier(t)) => policy
            .tiers
            .get(*t as usize)
            .map_or(String::new(), |t| t.name.clone()),
    }
}
