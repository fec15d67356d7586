//! The parts of a policy's JSON decisions that depend only on the policy, escaped once: the
//! interpreter prepares them for each batch (`eval/decision.rs`), the Rust backend writes them into
//! the generated crate as byte strings (`codegen/rust/output.rs`). The shape of a decision (field
//! order, separators, numbers) is the shared runtime's, in `runtime/decision.rs`.

use super::{Consequence, Lasts, Policy, Rule};
use crate::runtime::decision;
use crate::runtime::output::json_string;
use rust_decimal::Decimal;

/// A text as a JSON string literal.
pub fn string(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    json_string(&mut out, s);
    out
}

/// `,"policy":{…},"score":`, between a decision's id and its score.
pub fn after_id(policy: &Policy) -> Vec<u8> {
    let mut out = b",\"policy\":".to_vec();
    out.extend_from_slice(&identity_json(policy));
    out.extend_from_slice(b",\"score\":");
    out
}

/// The `"policy"` object every decision carries.
pub fn identity_json(policy: &Policy) -> Vec<u8> {
    let overrides: Vec<(&str, Decimal)> = policy
        .identity
        .overrides
        .iter()
        .map(|(name, value)| (name.as_str(), *value))
        .collect();
    decision::identity_json(
        &policy.identity.name,
        &policy.identity.version,
        &policy.identity.content_hash,
        &overrides,
    )
}

/// `{"rule":"name","points":`, the start of a rule's entry in `rules`.
pub fn rule_open(rule: &str) -> Vec<u8> {
    [b"{\"rule\":".as_slice(), &string(rule), b",\"points\":"].concat()
}

/// `{"rule":"name","reason":"…","points_below":`, the start of a rule's entry in `reasons`; for a
/// rule with a reason code, `{"code":"R07",…` (the entry of every rule with the code); on a scale
/// where higher is worse, `"points_above":`.
pub fn reason_open(rule: &Rule, higher_is_worse: bool) -> Vec<u8> {
    let reason = rule.reason.as_deref().map_or(b"null".to_vec(), string);
    let (key, name) = match &rule.reason_code {
        Some(code) => (b"{\"code\":".as_slice(), string(code)),
        None => (b"{\"rule\":".as_slice(), string(&rule.name)),
    };
    let points: &[u8] = if higher_is_worse {
        b",\"points_above\":"
    } else {
        b",\"points_below\":"
    };
    [key, &name, b",\"reason\":", &reason, points].concat()
}

/// A consequence as it appears in every decision it applies to (for one with a computed duration
/// or notice, without the computed texts: see [`consequence_pieces`]).
pub fn consequence_json(c: &Consequence) -> Vec<u8> {
    consequence_pieces(c).concat()
}

/// A consequence's object split where each text computed for a record goes (its duration, then
/// its notice, when they are computed): one piece for a consequence with none.
pub fn consequence_pieces(c: &Consequence) -> Vec<Vec<u8>> {
    let mut pieces = Vec::new();
    let mut out = b"{\"consequence\":".to_vec();
    out.extend_from_slice(&string(&c.name));
    out.extend_from_slice(b",\"kind\":");
    out.extend_from_slice(&string(c.kind.word()));
    out.extend_from_slice(b",\"lasts\":");
    match &c.lasts {
        Lasts::Computed { at_least, .. } => {
            out.extend_from_slice(if *at_least { b"\"at least " } else { b"\"" });
            pieces.push(std::mem::take(&mut out));
            out.push(b'"');
        }
        Lasts::For(d) => out.extend_from_slice(&string(&d.to_string())),
        Lasts::AtLeast(d) => out.extend_from_slice(&string(&format!("at least {d}"))),
        Lasts::Indefinitely { .. } => out.extend_from_slice(&string("indefinitely")),
    }
    let optional = |out: &mut Vec<u8>, s: Option<&str>| match s {
        Some(s) => out.extend_from_slice(&string(s)),
        None => out.extend_from_slice(b"null"),
    };
    out.extend_from_slice(b",\"notice\":");
    if c.computed_notice.is_some() {
        out.push(b'"');
        pieces.push(std::mem::take(&mut out));
        out.push(b'"');
    } else {
        optional(&mut out, c.notice.map(|n| n.to_string()).as_deref());
    }
    out.extend_from_slice(b",\"appeal\":");
    optional(&mut out, c.appeal.as_deref());
    out.extend_from_slice(b",\"basis\":");
    optional(&mut out, c.basis.as_deref());
    out.push(b'}');
    pieces.push(out);
    pieces
}
