//! The interpreter's side of the decision's output forms: the policy's names and fragments of
//! JSON, prepared once per batch from the IR. The forms themselves (field order, separators,
//! number formatting) are the shared runtime's, in `runtime/decision.rs`; the fragments themselves
//! are built by `ir::json`, which the Rust backend shares.

use super::engine::Interpreter;
use crate::ir::json::{self, string};
use crate::ir::{InputKind, Policy, Ref, Value};
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
    /// Per rule: `{"rule":"name","reason":"…","points_below":` (`{"code":…` for a reason code)
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
    /// Per table: `"name"` (for the `unknown` list).
    table_name: Vec<Vec<u8>>,
    /// Per consequence: `"name"` (for the `unknown` list).
    consequence_name: Vec<Vec<u8>>,
    /// Per output: `"name":`.
    output_key: Vec<Vec<u8>>,
    /// Per consequence: the object split where computed durations go (`json::consequence_pieces`).
    consequence_pieces: Vec<Vec<Vec<u8>>>,
}

impl Fragments {
    pub fn new(policy: &Policy) -> Self {
        let members_of = |input: Option<&crate::ir::Input>| match input.map(|i| &i.kind) {
            Some(InputKind::Enum(members)) => members.iter().map(|m| string(m)).collect(),
            _ => Vec::new(),
        };
        let key = |name: &str| {
            let mut out = string(name);
            out.push(b':');
            out
        };
        Fragments {
            after_id: json::after_id(policy),
            rule_open: policy
                .rules
                .iter()
                .map(|r| json::rule_open(&r.name))
                .collect(),
            rule_name: policy.rules.iter().map(|r| string(&r.name)).collect(),
            reason_open: policy
                .rules
                .iter()
                .map(|r| json::reason_open(r, policy.scale.higher_is_worse))
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
                .map(json::consequence_json)
                .collect(),
            table_name: policy.tables.iter().map(|t| string(&t.name)).collect(),
            consequence_name: policy
                .consequences
                .iter()
                .map(|c| string(&c.name))
                .collect(),
            output_key: policy.outputs.iter().map(|o| key(&o.name)).collect(),
            consequence_pieces: policy
                .consequences
                .iter()
                .map(json::consequence_pieces)
                .collect(),
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
    fn table_json(&self, table: usize) -> &[u8] {
        bytes(&self.template.table_name, table)
    }
    fn consequence_json(&self, consequence: usize) -> &[u8] {
        bytes(&self.template.consequence_name, consequence)
    }
    fn outcome_open(&self, out: &mut Vec<u8>, table: usize, lets: &Self::Lets) {
        let Some(t) = self.policy.tables.get(table) else {
            return;
        };
        out.extend_from_slice(bytes(&self.template.table_name, table));
        out.extend_from_slice(b":{");
        for (k, o) in t.outputs.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            out.extend_from_slice(bytes(&self.template.output_key, *o));
            let value = lets
                .get(self.policy.lets.len() + o)
                .and_then(Option::as_ref);
            self.template.value(out, value, &[]);
        }
    }
    fn consequence_piece(&self, consequence: usize, piece: usize) -> &[u8] {
        self.template
            .consequence_pieces
            .get(consequence)
            .map_or(&[], |pieces| bytes(pieces, piece))
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
                Ref::Output(o) => (
                    t.output_key.get(o),
                    lets.get(self.policy.lets.len() + o),
                    None,
                ),
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
    fn reason_name(&self, rule: usize) -> &str {
        self.policy
            .rules
            .get(rule)
            .map_or("", |r| r.reason_code.as_deref().unwrap_or(&r.name))
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
