//! A decision and its output forms. The JSON form is the contract with downstream systems: its
//! field names are stable and documented in the README; the CSV form is a flat summary.

use crate::ir::{ConsequenceKindExt, InputKind, Lasts, Policy, Ref, Value};
use rust_decimal::Decimal;
use std::io::Write;

/// The outcome for one record.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// The final score: rounded, then clamped to the scale.
    pub score: Decimal,
    /// The rounded score before clamping (equal to `score` unless clamping changed it).
    pub unclamped: Decimal,
    /// The tier the score falls in, by index (`None` if the policy has no tier there).
    pub tier: Option<usize>,
    /// Rules that fired, in source order, with their rounded contributions.
    pub fired: Vec<Fired>,
    /// Rules that did not fire because a value they need is unknown.
    pub unknown: Vec<usize>,
    /// Adverse contributions, worst first.
    pub reasons: Vec<Reason>,
    /// Consequences that apply, by index, in source order.
    pub consequences: Vec<usize>,
    /// The value of every derived value (`None`: unknown), as computed for this record.
    pub lets: Vec<Option<Value>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fired {
    pub rule: usize,
    pub points: Decimal,
    /// For a scorecard, the index of the arm that matched (`None` for `missing`/`otherwise`).
    pub arm: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    pub rule: usize,
    /// Points below the rule's baseline (or taken away, for rules without one). Always positive.
    pub below: Decimal,
}

impl Decision {
    pub fn clamped(&self) -> bool {
        self.score != self.unclamped
    }

    pub fn contribution(&self, rule: usize) -> Decimal {
        self.fired
            .iter()
            .find(|f| f.rule == rule)
            .map_or(Decimal::ZERO, |f| f.points)
    }
}

/// What identifies a record in the output.
#[derive(Clone, Copy, Debug)]
pub struct RecordRef<'a> {
    pub record: u64,
    pub id: Option<&'a str>,
}

/// Writes one decision as a single JSON line. `inputs` are the record's values, for "the values
/// that made each rule fire".
pub fn write_json(
    out: &mut Vec<u8>,
    policy: &Policy,
    identity_json: &str,
    at: RecordRef<'_>,
    decision: &Decision,
    inputs: &[Option<Value>],
) {
    let _ = write!(out, "{{\"record\":{}", at.record);
    if let Some(id) = at.id {
        out.extend_from_slice(b",\"id\":");
        json_string(out, id);
    }
    out.extend_from_slice(b",\"policy\":");
    out.extend_from_slice(identity_json.as_bytes());
    let _ = write!(out, ",\"score\":{}", decision.score);
    out.extend_from_slice(b",\"tier\":");
    match decision.tier.and_then(|t| policy.tiers.get(t)) {
        Some(t) => json_string(out, &t.name),
        None => out.extend_from_slice(b"null"),
    }
    let _ = write!(out, ",\"clamped\":{}", decision.clamped());
    if decision.clamped() {
        let _ = write!(out, ",\"unclamped_score\":{}", decision.unclamped);
    }
    out.extend_from_slice(b",\"rules\":[");
    for (i, f) in decision.fired.iter().enumerate() {
        let Some(rule) = policy.rules.get(f.rule) else {
            continue;
        };
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"rule\":");
        json_string(out, &rule.name);
        let _ = write!(out, ",\"points\":{},\"values\":{{", f.points);
        for (k, r) in rule.reads.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            json_string(out, ref_name(policy, *r));
            out.push(b':');
            let (value, members) = match *r {
                Ref::Input(i) => (inputs.get(i), policy.inputs.get(i).and_then(members_of)),
                Ref::Let(l) => (
                    decision.lets.get(l),
                    policy
                        .lets
                        .get(l)
                        .and_then(|x| x.enum_of)
                        .and_then(|i| policy.inputs.get(i))
                        .and_then(members_of),
                ),
            };
            json_value(out, value.and_then(Option::as_ref), members, policy);
        }
        out.extend_from_slice(b"}}");
    }
    out.extend_from_slice(b"],\"unknown\":[");
    for (i, r) in decision.unknown.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_string(out, policy.rules.get(*r).map_or("", |r| r.name.as_str()));
    }
    out.extend_from_slice(b"],\"reasons\":[");
    for (i, reason) in decision.reasons.iter().enumerate() {
        let Some(rule) = policy.rules.get(reason.rule) else {
            continue;
        };
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"rule\":");
        json_string(out, &rule.name);
        out.extend_from_slice(b",\"reason\":");
        match &rule.reason {
            Some(r) => json_string(out, r),
            None => out.extend_from_slice(b"null"),
        }
        let _ = write!(out, ",\"points_below\":{}}}", reason.below);
    }
    out.extend_from_slice(b"],\"consequences\":[");
    for (i, c) in decision.consequences.iter().enumerate() {
        let Some(c) = policy.consequences.get(*c) else {
            continue;
        };
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"consequence\":");
        json_string(out, &c.name);
        let _ = write!(out, ",\"kind\":\"{}\",\"lasts\":", c.kind.word());
        match &c.lasts {
            Lasts::For(d) => json_string(out, &d.to_string()),
            Lasts::Indefinitely { .. } => json_string(out, "indefinitely"),
        }
        out.extend_from_slice(b",\"notice\":");
        optional_string(out, c.notice.map(|n| n.to_string()).as_deref());
        out.extend_from_slice(b",\"appeal\":");
        optional_string(out, c.appeal.as_deref());
        out.extend_from_slice(b",\"basis\":");
        optional_string(out, c.basis.as_deref());
        out.push(b'}');
    }
    out.extend_from_slice(b"]}\n");
}

/// The columns of the CSV form.
pub const CSV_HEADER: [&str; 11] = [
    "record",
    "id",
    "score",
    "tier",
    "clamped",
    "consequences",
    "reasons",
    "rules",
    "policy",
    "version",
    "hash",
];

/// One decision as a CSV row (lists are `;`-separated; rules as `name=points`), in the order of
/// [`CSV_HEADER`].
pub fn csv_row(policy: &Policy, at: RecordRef<'_>, decision: &Decision) -> [String; 11] {
    let join = |items: Vec<String>| items.join(";");
    let tier = decision
        .tier
        .and_then(|t| policy.tiers.get(t))
        .map_or("", |t| t.name.as_str());
    let consequences = join(
        decision
            .consequences
            .iter()
            .filter_map(|c| policy.consequences.get(*c))
            .map(|c| c.name.clone())
            .collect(),
    );
    let reasons = join(
        decision
            .reasons
            .iter()
            .filter_map(|r| policy.rules.get(r.rule))
            .map(|r| r.name.clone())
            .collect(),
    );
    let rules = join(
        decision
            .fired
            .iter()
            .filter_map(|f| {
                policy
                    .rules
                    .get(f.rule)
                    .map(|r| format!("{}={}", r.name, f.points))
            })
            .collect(),
    );
    [
        at.record.to_string(),
        at.id.unwrap_or("").to_string(),
        decision.score.to_string(),
        tier.to_string(),
        decision.clamped().to_string(),
        consequences,
        reasons,
        rules,
        policy.identity.name.clone(),
        policy.identity.version.clone(),
        policy.identity.content_hash.clone(),
    ]
}

/// The `"policy"` object every decision carries, rendered once per run.
pub fn identity_json(policy: &Policy) -> String {
    let mut out = Vec::new();
    out.extend_from_slice(b"{\"name\":");
    json_string(&mut out, &policy.identity.name);
    out.extend_from_slice(b",\"version\":");
    json_string(&mut out, &policy.identity.version);
    out.extend_from_slice(b",\"hash\":");
    json_string(&mut out, &policy.identity.content_hash);
    if !policy.identity.overrides.is_empty() {
        out.extend_from_slice(b",\"overrides\":{");
        for (i, (name, value)) in policy.identity.overrides.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            json_string(&mut out, name);
            let _ = write!(out, ":{value}");
        }
        out.push(b'}');
    }
    out.push(b'}');
    String::from_utf8(out).unwrap_or_default()
}

pub fn ref_name(policy: &Policy, r: Ref) -> &str {
    match r {
        Ref::Input(i) => policy.inputs.get(i).map_or("", |x| x.name.as_str()),
        Ref::Let(l) => policy.lets.get(l).map_or("", |x| x.name.as_str()),
    }
}

fn members_of(input: &crate::ir::Input) -> Option<&[String]> {
    match &input.kind {
        InputKind::Enum(members) => Some(members),
        _ => None,
    }
}

/// A value as JSON: numbers exactly, members and tiers by name, unknown as `null`.
pub fn json_value(
    out: &mut Vec<u8>,
    value: Option<&Value>,
    members: Option<&[String]>,
    policy: &Policy,
) {
    match value {
        None => out.extend_from_slice(b"null"),
        Some(Value::Number(n)) => {
            let _ = write!(out, "{n}");
        }
        Some(Value::Bool(b)) => {
            let _ = write!(out, "{b}");
        }
        Some(Value::Text(t)) => json_string(out, t),
        Some(Value::Member(m)) => json_string(
            out,
            members
                .and_then(|ms| ms.get(*m as usize))
                .map_or("", String::as_str),
        ),
        Some(Value::Tier(t)) => json_string(
            out,
            policy
                .tiers
                .get(*t as usize)
                .map_or("", |t| t.name.as_str()),
        ),
    }
}

fn optional_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => json_string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// A JSON string literal (serde_json does the escaping).
pub fn json_string(out: &mut Vec<u8>, s: &str) {
    let _ = serde_json::to_writer(&mut *out, s);
}

/// [`json_string`] into a `String`.
pub fn json_string_to(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}
