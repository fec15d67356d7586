//! The interpreter's side of the decision's output forms: the policy's names and fragments of
//! JSON, prepared once per batch from the IR. The forms themselves (field order, separators,
//! number formatting) are the shared runtime's, in `runtime/decision.rs`.

use super::engine::Interpreter;
use crate::ir::{InputKind, Lasts, Policy, Ref, Value};
use crate::runtime::decision::{self as rt, Names, Template};
use crate::runtime::output::{json_string, write_bool, write_decimal};

/// The outcome for one record; derived values are held as interpreter values.
pub type Decision = rt::Decision<Vec<Option<Value>>>;

/// The parts of every JSON decision that depend only on the policy, escaped once.
pub struct Fragments {
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

fn string(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    json_string(&mut out, s);
    out
}

impl Fragments {
    pub fn new(policy: &Policy) -> Self {
        let members_of = |input: Option<&crate::ir::Input>| match input.map(|i| &i.kind) {
            Some(InputKind::Enum(members)) => members.iter().map(|m| string(m)).collect(),
            _ => Vec::new(),
        };
        let mut after_id = b",\"policy\":".to_vec();
        after_id.extend_from_slice(&identity_json(policy));
        after_id.extend_from_slice(b",\"score\":");
        let key = |name: &str| {
            let mut out = string(name);
            out.push(b':');
            out
        };
        Fragments {
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
                .map(|r| reason_open(&r.name, r.reason.as_deref()))
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
            consequence: policy.consequences.iter().map(consequence_json).collect(),
        }
    }

    /// A value as JSON: numbers exactly, members and tiers by name, unknown as `null`.
    fn value(&self, out: &mut Vec<u8>, value: Option<&Value>, members: &[Vec<u8>]) {
        match value {
            None => out.extend_from_slice(b"null"),
            Some(Value::Number(n)) => write_decimal(out, *n),
            Some(Value::Bool(b)) => write_bool(out, *b),
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

/// Writes decisions of one policy as JSON lines (the interpreter's output form, on its own).
pub struct JsonTemplate<'p>(Interpreter<'p>);

impl<'p> JsonTemplate<'p> {
    pub fn new(policy: &'p Policy) -> Self {
        JsonTemplate(Interpreter::new(policy))
    }

    /// Writes one decision as a single JSON line. `inputs` are the record's values, for "the
    /// values that made each rule fire".
    pub fn write(
        &self,
        out: &mut Vec<u8>,
        at: rt::RecordRef<'_>,
        decision: &Decision,
        inputs: &Vec<Option<Value>>,
    ) {
        rt::write_json(&self.0, out, at, decision, inputs);
    }
}

/// `{"rule":"name","reason":"…","points_below":`
pub fn reason_open(rule: &str, reason: Option<&str>) -> Vec<u8> {
    let reason = reason.map_or(b"null".to_vec(), string);
    [
        b"{\"rule\":".as_slice(),
        &string(rule),
        b",\"reason\":",
        &reason,
        b",\"points_below\":",
    ]
    .concat()
}

/// A consequence as it appears in every decision it applies to.
pub fn consequence_json(c: &crate::ir::Consequence) -> Vec<u8> {
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
}

/// The `"policy"` object every decision carries.
pub fn identity_json(policy: &Policy) -> Vec<u8> {
    let overrides: Vec<(&str, rust_decimal::Decimal)> = policy
        .identity
        .overrides
        .iter()
        .map(|(name, value)| (name.as_str(), *value))
        .collect();
    rt::identity_json(
        &policy.identity.name,
        &policy.identity.version,
        &policy.identity.content_hash,
        &overrides,
    )
}

fn bytes(table: &[Vec<u8>], index: usize) -> &[u8] {
    table.get(index).map_or(&[], Vec::as_slice)
}

impl Template for Interpreter<'_> {
    type Record = Vec<Option<Value>>;
    type Lets = Vec<Option<Value>>;

    fn after_id(&self) -> &[u8] {
        &self.template.after_id
    }
    fn tier_json(&self, tier: usize) -> &[u8] {
        bytes(&self.template.tier_name, tier)
    }
    fn rule_open(&self, rule: usize) -> &[u8] {
        bytes(&self.template.rule_open, rule)
    }
    fn rule_json(&self, rule: usize) -> &[u8] {
        bytes(&self.template.rule_name, rule)
    }
    fn reason_open(&self, rule: usize) -> &[u8] {
        bytes(&self.template.reason_open, rule)
    }
    fn consequence(&self, consequence: usize) -> &[u8] {
        bytes(&self.template.consequence, consequence)
    }

    fn values(&self, out: &mut Vec<u8>, rule: usize, record: &Self::Record, lets: &Self::Lets) {
        let Some(rule) = self.policy.rules.get(rule) else {
            return;
        };
        let t = &self.template;
        for (k, r) in rule.reads.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            let (key, value, members) = match *r {
                Ref::Input(i) => (t.input_key.get(i), record.get(i), t.input_members.get(i)),
                Ref::Let(l) => (t.let_key.get(l), lets.get(l), t.let_members.get(l)),
            };
            out.extend_from_slice(key.map_or(&b"\"\":"[..], Vec::as_slice));
            t.value(
                out,
                value.and_then(Option::as_ref),
                members.map_or(&[][..], Vec::as_slice),
            );
        }
    }
}

impl Names for Interpreter<'_> {
    fn policy_name(&self) -> &str {
        &self.policy.identity.name
    }
    fn policy_version(&self) -> &str {
        &self.policy.identity.version
    }
    fn policy_hash(&self) -> &str {
        &self.policy.identity.content_hash
    }
    fn rule_name(&self, rule: usize) -> &str {
        self.policy.rules.get(rule).map_or("", |r| r.name.as_str())
    }
    fn tier_name(&self, tier: usize) -> &str {
        self.policy.tiers.get(tier).map_or("", |t| t.name.as_str())
    }
    fn consequence_name(&self, consequence: usize) -> &str {
        self.policy
            .consequences
            .get(consequence)
            .map_or("", |c| c.name.as_str())
    }
    fn let_name(&self, derived: usize) -> &str {
        self.policy
            .lets
            .get(derived)
            .map_or("", |l| l.name.as_str())
    }
}
