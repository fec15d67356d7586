//! A decision and its output forms. The JSON form is the contract with downstream systems: its
//! field names are stable and documented in the README; the CSV form is a flat summary.
//!
//! Writing decisions is most of the work of a batch, so everything about the output that depends
//! only on the policy (names, reasons, consequence details, already escaped) is rendered once into
//! a [`JsonTemplate`], and numbers are written straight from their digits.

use crate::ir::{ConsequenceKindExt, InputKind, Lasts, Policy, Ref, Value};
use rust_decimal::Decimal;

/// The outcome for one record.
#[derive(Clone, Debug, Default, PartialEq)]
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

/// The parts of every JSON decision that depend only on the policy, escaped once.
pub struct JsonTemplate<'p> {
    policy: &'p Policy,
    /// `,"policy":{…},"score":`
    after_id: Vec<u8>,
    /// Per rule: `{"rule":"name","points":`
    rule_open: Vec<Vec<u8>>,
    /// Per rule: `"name"` (for the `unknown` list)
    rule_name: Vec<Vec<u8>>,
    /// Per rule: `{"rule":"name","reason":"…","points_below":`
    reason_open: Vec<Vec<u8>>,
    /// Per input and derived value: `"name":`
    input_key: Vec<Vec<u8>>,
    let_key: Vec<Vec<u8>>,
    /// Per input (and per derived value of an enum type): each member as a JSON string.
    input_members: Vec<Vec<Vec<u8>>>,
    let_members: Vec<Vec<Vec<u8>>>,
    /// Per tier: `"name"`
    tier_name: Vec<Vec<u8>>,
    /// Per consequence: the whole object.
    consequence: Vec<Vec<u8>>,
}

impl<'p> JsonTemplate<'p> {
    pub fn new(policy: &'p Policy) -> Self {
        let string = |s: &str| {
            let mut out = Vec::new();
            json_string(&mut out, s);
            out
        };
        let members_of = |input: Option<&crate::ir::Input>| match input.map(|i| &i.kind) {
            Some(InputKind::Enum(members)) => members.iter().map(|m| string(m)).collect(),
            _ => Vec::new(),
        };
        let mut after_id = b",\"policy\":".to_vec();
        after_id.extend_from_slice(identity_json(policy).as_bytes());
        after_id.extend_from_slice(b",\"score\":");
        let key = |name: &str| {
            let mut out = string(name);
            out.push(b':');
            out
        };
        JsonTemplate {
            policy,
            after_id,
            rule_open: policy
                .rules
                .iter()
                .map(|r| [b"{\"rule\":".as_slice(), &string(&r.name), b",\"points\":"].concat())
                .collect(),
            rule_name: policy.rules.iter().map(|r| string(&r.name)).collect(),
            reason_open: policy
                .rules
                .iter()
                .map(|r| {
                    let reason = r.reason.as_deref().map_or(b"null".to_vec(), string);
                    [
                        b"{\"rule\":".as_slice(),
                        &string(&r.name),
                        b",\"reason\":",
                        &reason,
                        b",\"points_below\":",
                    ]
                    .concat()
                })
                .collect(),
            input_key: policy.inputs.iter().map(|i| key(&i.name)).collect(),
            let_key: policy.lets.iter().map(|l| key(&l.name)).collect(),
            input_members: policy.inputs.iter().map(|i| members_of(Some(i))).collect(),
            let_members: policy
                .lets
                .iter()
                .map(|l| members_of(l.enum_of.and_then(|i| policy.inputs.get(i))))
                .collect(),
            tier_name: policy.tiers.iter().map(|t| string(&t.name)).collect(),
            consequence: policy
                .consequences
                .iter()
                .map(|c| {
                    let mut out = b"{\"consequence\":".to_vec();
                    out.extend_from_slice(&string(&c.name));
                    out.extend_from_slice(b",\"kind\":");
                    out.extend_from_slice(&string(c.kind.word()));
                    out.extend_from_slice(b",\"lasts\":");
                    out.extend_from_slice(&string(&match &c.lasts {
                        Lasts::For(d) => d.to_string(),
                        Lasts::Indefinitely { .. } => "indefinitely".to_string(),
                    }));
                    let optional = |out: &mut Vec<u8>, s: Option<&str>| match s {
                        Some(s) => out.extend_from_slice(&string(s)),
                        None => out.extend_from_slice(b"null"),
                    };
                    out.extend_from_slice(b",\"notice\":");
                    optional(&mut out, c.notice.map(|n| n.to_string()).as_deref());
                    out.extend_from_slice(b",\"appeal\":");
                    optional(&mut out, c.appeal.as_deref());
                    out.extend_from_slice(b",\"basis\":");
                    optional(&mut out, c.basis.as_deref());
                    out.push(b'}');
                    out
                })
                .collect(),
        }
    }

    /// Writes one decision as a single JSON line. `inputs` are the record's values, for "the
    /// values that made each rule fire".
    pub fn write(
        &self,
        out: &mut Vec<u8>,
        at: RecordRef<'_>,
        decision: &Decision,
        inputs: &[Option<Value>],
    ) {
        let policy = self.policy;
        out.extend_from_slice(b"{\"record\":");
        out.extend_from_slice(itoa::Buffer::new().format(at.record).as_bytes());
        if let Some(id) = at.id {
            out.extend_from_slice(b",\"id\":");
            json_string(out, id);
        }
        out.extend_from_slice(&self.after_id);
        write_decimal(out, decision.score);
        out.extend_from_slice(b",\"tier\":");
        match decision.tier.and_then(|t| self.tier_name.get(t)) {
            Some(name) => out.extend_from_slice(name),
            None => out.extend_from_slice(b"null"),
        }
        if decision.clamped() {
            out.extend_from_slice(b",\"clamped\":true,\"unclamped_score\":");
            write_decimal(out, decision.unclamped);
        } else {
            out.extend_from_slice(b",\"clamped\":false");
        }
        out.extend_from_slice(b",\"rules\":[");
        for (i, f) in decision.fired.iter().enumerate() {
            let (Some(rule), Some(open)) = (policy.rules.get(f.rule), self.rule_open.get(f.rule))
            else {
                continue;
            };
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(open);
            write_decimal(out, f.points);
            out.extend_from_slice(b",\"values\":{");
            for (k, r) in rule.reads.iter().enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                let (key, value, members) = match *r {
                    Ref::Input(i) => (
                        self.input_key.get(i),
                        inputs.get(i),
                        self.input_members.get(i),
                    ),
                    Ref::Let(l) => (
                        self.let_key.get(l),
                        decision.lets.get(l),
                        self.let_members.get(l),
                    ),
                };
                out.extend_from_slice(key.map_or(&b"\"\":"[..], Vec::as_slice));
                self.value(
                    out,
                    value.and_then(Option::as_ref),
                    members.map_or(&[][..], Vec::as_slice),
                );
            }
            out.extend_from_slice(b"}}");
        }
        out.extend_from_slice(b"],\"unknown\":[");
        for (i, r) in decision.unknown.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(self.rule_name.get(*r).map_or(&b"\"\""[..], Vec::as_slice));
        }
        out.extend_from_slice(b"],\"reasons\":[");
        for (i, reason) in decision.reasons.iter().enumerate() {
            let Some(open) = self.reason_open.get(reason.rule) else {
                continue;
            };
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(open);
            write_decimal(out, reason.below);
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"consequences\":[");
        for (i, c) in decision.consequences.iter().enumerate() {
            let Some(c) = self.consequence.get(*c) else {
                continue;
            };
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(c);
        }
        out.extend_from_slice(b"]}\n");
    }

    /// A value as JSON: numbers exactly, members and tiers by name, unknown as `null`.
    fn value(&self, out: &mut Vec<u8>, value: Option<&Value>, members: &[Vec<u8>]) {
        match value {
            None => out.extend_from_slice(b"null"),
            Some(Value::Number(n)) => write_decimal(out, *n),
            Some(Value::Bool(true)) => out.extend_from_slice(b"true"),
            Some(Value::Bool(false)) => out.extend_from_slice(b"false"),
            Some(Value::Text(t)) => json_string(out, t),
            Some(Value::Member(m)) => {
                out.extend_from_slice(members.get(*m as usize).map_or(&b"\"\""[..], Vec::as_slice))
            }
            Some(Value::Tier(t)) => out.extend_from_slice(
                self.tier_name
                    .get(*t as usize)
                    .map_or(&b"\"\""[..], Vec::as_slice),
            ),
        }
    }
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
                    .map(|r| format!("{}={}", r.name, decimal_text(f.points)))
            })
            .collect(),
    );
    [
        at.record.to_string(),
        at.id.unwrap_or("").to_string(),
        decimal_text(decision.score),
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

/// The `"policy"` object every decision carries.
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
            out.push(b':');
            write_decimal(&mut out, *value);
        }
        out.push(b'}');
    }
    out.push(b'}');
    String::from_utf8(out).unwrap_or_default()
}

/// Writes a decimal as `Decimal`'s `Display` does (trailing zeros kept, no exponent), except that
/// a negative zero is written `0`: a score or contribution never reads `-0`. Works from the integer
/// digits; about five times faster than going through `fmt`.
pub fn write_decimal(out: &mut Vec<u8>, value: Decimal) {
    let mantissa = value.mantissa();
    let scale = value.scale() as usize;
    if mantissa < 0 {
        // `mantissa` is never negative for a zero, so `-0` cannot be written.
        out.push(b'-');
    }
    let mut buffer = itoa::Buffer::new();
    let digits = buffer.format(mantissa.unsigned_abs()).as_bytes();
    if scale == 0 {
        out.extend_from_slice(digits);
    } else if digits.len() > scale {
        let (whole, fraction) = digits.split_at(digits.len() - scale);
        out.extend_from_slice(whole);
        out.push(b'.');
        out.extend_from_slice(fraction);
    } else {
        out.extend_from_slice(b"0.");
        out.resize(out.len() + scale - digits.len(), b'0');
        out.extend_from_slice(digits);
    }
}

/// A JSON string literal. Text without characters to escape (the usual case) is copied directly;
/// anything else goes through serde_json.
pub fn json_string(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// A decimal as text, the same as [`write_decimal`] writes it.
pub fn decimal_text(value: Decimal) -> String {
    let mut out = Vec::with_capacity(16);
    write_decimal(&mut out, value);
    String::from_utf8(out).unwrap_or_default()
}

/// [`json_string`] into a `String`.
pub fn json_string_to(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn write_decimal_matches_display() {
        let mut cases: Vec<Decimal> = [
            "0",
            "-0",
            "1",
            "-1",
            "0.5",
            "-0.5",
            "10",
            "22.50",
            "0.0001",
            "-0.0001",
            "123456789.123456789",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "0.0000000000000000000000000001",
        ]
        .iter()
        .map(|s| Decimal::from_str(s).unwrap())
        .collect();
        cases.push(-Decimal::ZERO);
        cases.push(Decimal::new(-5, 3));
        for scale in 0..=28 {
            cases.push(Decimal::new(7, scale));
            cases.push(Decimal::new(-123456, scale));
        }
        for d in cases {
            let mut out = Vec::new();
            write_decimal(&mut out, d);
            let expected = if d.is_zero() {
                d.abs().to_string()
            } else {
                d.to_string()
            };
            assert_eq!(String::from_utf8(out).unwrap(), expected, "{d:?}");
        }
    }

    #[test]
    fn json_strings_are_escaped_like_serde_json() {
        for s in [
            "plain",
            "quote \" here",
            "back\\slash",
            "new\nline",
            "tab\t",
            "é😀",
            "\u{1}",
        ] {
            let mut out = Vec::new();
            json_string(&mut out, s);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(s).unwrap()
            );
        }
    }
}
