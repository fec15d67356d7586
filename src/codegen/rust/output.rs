//! `src/output.rs` of the generated crate: the policy's names and the fragments of its JSON
//! decisions, escaped at generation time into byte-string literals, and the values each rule
//! reports. The shape of the output is the shared runtime's (`runtime/decision.rs`).

use super::escape::{bytes_lit, comment, str_lit};
use super::exprs::Ty;
use super::{CodegenError, Gen};
use crate::ir::json::{self, string as json};
use crate::ir::Ref;
use std::collections::BTreeSet;
use std::fmt::Write as _;

fn byte_table(out: &mut String, doc: &str, name: &str, items: &[Vec<u8>]) {
    let items: String = items
        .iter()
        .map(|i| format!("\n    {},", bytes_lit(i)))
        .collect();
    let end = if items.is_empty() { "" } else { "\n" };
    writeln!(
        out,
        "/// {doc}\nconst {name}: [&[u8]; {}] = [{items}{end}];",
        items.matches("\n").count(),
    )
    .ok();
}

fn name_table(out: &mut String, doc: &str, name: &str, items: &[&str]) {
    let items: Vec<String> = items.iter().map(|i| str_lit(i)).collect();
    writeln!(
        out,
        "/// {doc}\npub const {name}: [&str; {}] = [{}];",
        items.len(),
        items.join(", ")
    )
    .ok();
}

impl Gen<'_> {
    pub fn output_rs(&self) -> Result<String, CodegenError> {
        let policy = self.policy;
        let lets = self.let_types()?;
        let mut out = String::new();
        out.push_str(
            "//! The decision's output: the policy's names, and the fragments of every JSON \
             decision escaped\n//! once, at generation time. The shape of the output is the \
             shared runtime's.\n\n",
        );

        // The values each rule reports.
        let mut helpers = BTreeSet::new();
        let mut arms = String::new();
        let mut single: Option<(usize, String)> = None;
        let mut arm_count = 0;
        let mut uses_input = false;
        let mut uses_lets = false;
        for (index, rule) in policy.rules.iter().enumerate() {
            if rule.reads.is_empty() {
                continue;
            }
            let mut body = String::new();
            for (k, r) in rule.reads.iter().enumerate() {
                let (name, path, ty, known) =
                    match *r {
                        Ref::Input(i) => {
                            uses_input = true;
                            let input = policy.inputs.get(i).ok_or_else(|| {
                                CodegenError::Internal("input out of range".into())
                            })?;
                            let scope = self.scope();
                            let read = scope.read(Ref::Input(i))?;
                            (
                                input.name.clone(),
                                format!("input.{}", self.input_field(i)),
                                read.ty,
                                read.known,
                            )
                        }
                        Ref::Let(l) => {
                            uses_lets = true;
                            let (ty, known) = lets.get(l).copied().ok_or_else(|| {
                                CodegenError::Internal("derived value out of range".into())
                            })?;
                            let name = policy.lets.get(l).map_or(String::new(), |x| x.name.clone());
                            (name, format!("lets.{}", self.let_field(l)), ty, known)
                        }
                        Ref::Output(o) => {
                            uses_lets = true;
                            let output = policy.outputs.get(o).ok_or_else(|| {
                                CodegenError::Internal("output out of range".into())
                            })?;
                            (
                                output.name.clone(),
                                format!("lets.{}", self.output_field(o)),
                                super::exprs::output_ty(&output.kind),
                                false,
                            )
                        }
                    };
                let mut key = if k > 0 { b",".to_vec() } else { Vec::new() };
                key.extend_from_slice(&json(&name));
                key.push(b':');
                writeln!(body, "out.extend_from_slice({});", bytes_lit(&key)).ok();
                let write = match (ty, known) {
                    (Ty::Number, true) => {
                        helpers.insert("write_decimal");
                        format!("write_decimal(out, {path});")
                    }
                    (Ty::Number, false) => {
                        helpers.insert("write_decimal");
                        helpers.insert("write_maybe");
                        format!("write_maybe(out, {path}, write_decimal);")
                    }
                    (Ty::Bool, true) => {
                        helpers.insert("write_bool");
                        format!("write_bool(out, {path});")
                    }
                    (Ty::Bool, false) => {
                        helpers.insert("write_bool");
                        helpers.insert("write_maybe");
                        format!("write_maybe(out, {path}, write_bool);")
                    }
                    (Ty::Text, true) => {
                        helpers.insert("json_string");
                        format!("json_string(out, &{path});")
                    }
                    // Outputs hold `Option<&'static str>` already.
                    (Ty::Text, false) if matches!(r, Ref::Output(_)) => {
                        helpers.insert("write_maybe_str");
                        format!("write_maybe_str(out, {path});")
                    }
                    (Ty::Text, false) => {
                        helpers.insert("write_maybe_str");
                        format!("write_maybe_str(out, {path}.as_deref());")
                    }
                    (Ty::Enum(_), true) => format!("out.extend_from_slice({path}.json());"),
                    (Ty::Enum(_), false) => {
                        format!("out.extend_from_slice({path}.map_or(b\"null\".as_slice(), |m| m.json()));")
                    }
                    (Ty::Tier, _) => {
                        return Err(CodegenError::Internal("a rule reports a tier".into()))
                    }
                };
                writeln!(body, "{write}").ok();
            }
            let name = comment(&rule.name);
            writeln!(arms, "{index} => {{\n// {name}\n{body}}}").ok();
            arm_count += 1;
            single = Some((index, format!("// {name}\n{body}")));
        }
        let outcome_fns = self.outcome_fns(&mut helpers)?;
        let mut uses: Vec<&str> = helpers.into_iter().collect();
        uses.sort();
        out.push_str("use crate::runtime::decision::{Names, Template};\n");
        if !uses.is_empty() {
            writeln!(out, "use crate::runtime::output::{{{}}};", uses.join(", ")).ok();
        }
        out.push_str("use crate::{Input, Lets, Policy, HASH, NAME, VERSION};\n\n");

        // Fragments.
        let after_id = json::after_id(policy);
        writeln!(
            out,
            "/// `,\"policy\":{{…}},\"score\":`, between a decision's id and its score.\nconst AFTER_ID: &[u8] = {};",
            bytes_lit(&after_id)
        )
        .ok();
        let tiers: Vec<Vec<u8>> = policy.tiers.iter().map(|t| json(&t.name)).collect();
        byte_table(&mut out, "Each tier's name, as JSON.", "TIER_JSON", &tiers);
        let rule_open: Vec<Vec<u8>> = policy
            .rules
            .iter()
            .map(|r| json::rule_open(&r.name))
            .collect();
        byte_table(
            &mut out,
            "The start of each rule's entry in `rules`.",
            "RULE_OPEN",
            &rule_open,
        );
        let rule_json: Vec<Vec<u8>> = policy.rules.iter().map(|r| json(&r.name)).collect();
        byte_table(
            &mut out,
            "Each rule's name, as JSON.",
            "RULE_JSON",
            &rule_json,
        );
        let reasons: Vec<Vec<u8>> = policy
            .rules
            .iter()
            .map(|r| json::reason_open(r, policy.scale.higher_is_worse))
            .collect();
        byte_table(
            &mut out,
            "The start of each rule's entry in `reasons`.",
            "REASON_OPEN",
            &reasons,
        );
        let consequences: Vec<Vec<u8>> = policy
            .consequences
            .iter()
            .map(json::consequence_json)
            .collect();
        byte_table(
            &mut out,
            "Each consequence, as it appears in `consequences`.",
            "CONSEQUENCE_JSON",
            &consequences,
        );
        let consequence_names_json: Vec<Vec<u8>> =
            policy.consequences.iter().map(|c| json(&c.name)).collect();
        byte_table(
            &mut out,
            "Each consequence's name, as JSON (for `unknown`).",
            "CONSEQUENCE_NAME_JSON",
            &consequence_names_json,
        );
        if self.has_lengths() {
            byte_table(
                &mut out,
                "Each consequence's object in pieces around its computed duration and notice (3 per consequence).",
                "CONSEQUENCE_PIECES",
                &self.consequence_pieces(),
            );
        }
        let rule_names: Vec<&str> = policy.rules.iter().map(|r| r.name.as_str()).collect();
        let tier_names: Vec<&str> = policy.tiers.iter().map(|t| t.name.as_str()).collect();
        let consequence_names: Vec<&str> = policy
            .consequences
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        let let_names: Vec<&str> = policy.lets.iter().map(|l| l.name.as_str()).collect();
        out.push('\n');
        name_table(
            &mut out,
            "Each rule's name, by index.",
            "RULE_NAMES",
            &rule_names,
        );
        name_table(
            &mut out,
            "Each tier's name, by index.",
            "TIER_NAMES",
            &tier_names,
        );
        name_table(
            &mut out,
            "Each consequence's name, by index.",
            "CONSEQUENCE_NAMES",
            &consequence_names,
        );
        name_table(
            &mut out,
            "Each derived value's name, by index.",
            "LET_NAMES",
            &let_names,
        );
        // Only a policy with reason codes names its reasons otherwise than by rule.
        let coded = policy.rules.iter().any(|r| r.reason_code.is_some());
        if coded {
            let reason_names: Vec<&str> = policy
                .rules
                .iter()
                .map(|r| r.reason_code.as_deref().unwrap_or(&r.name))
                .collect();
            name_table(
                &mut out,
                "How each rule's reason is named in the CSV form: its reason code, or its name.",
                "REASON_NAMES",
                &reason_names,
            );
        }
        out.push_str(
            "\nfn bytes(table: &[&'static [u8]], index: usize) -> &'static [u8] {\n    \
             table.get(index).copied().unwrap_or_default()\n}\n\n\
             fn name(table: &[&'static str], index: usize) -> &'static str {\n    \
             table.get(index).copied().unwrap_or_default()\n}\n\n",
        );

        out.push_str(
            "impl Template for Policy {\n    type Record = Input;\n    type Lets = Lets;\n\n    \
             fn after_id(&self) -> &[u8] {\n        AFTER_ID\n    }\n\n    \
             fn tier_json(&self, tier: usize) -> &[u8] {\n        bytes(&TIER_JSON, tier)\n    }\n\n    \
             fn rule_open(&self, rule: usize) -> &[u8] {\n        bytes(&RULE_OPEN, rule)\n    }\n\n    \
             fn rule_json(&self, rule: usize) -> &[u8] {\n        bytes(&RULE_JSON, rule)\n    }\n\n    \
             fn reason_open(&self, rule: usize) -> &[u8] {\n        bytes(&REASON_OPEN, rule)\n    }\n\n    \
             fn consequence(&self, consequence: usize) -> &[u8] {\n        bytes(&CONSEQUENCE_JSON, consequence)\n    }\n\n    \
             fn consequence_json(&self, consequence: usize) -> &[u8] {\n        bytes(&CONSEQUENCE_NAME_JSON, consequence)\n    }\n\n",
        );
        out.push_str(&outcome_fns);
        if self.has_lengths() {
            writeln!(
                out,
                "    fn consequence_piece(&self, consequence: usize, piece: usize) -> &[u8] {{\n        bytes(&CONSEQUENCE_PIECES, consequence * {} + piece)\n    }}\n",
                super::lengths::PIECES
            )
            .ok();
        }
        let param = |used: bool, n: &str| if used { n.to_string() } else { format!("_{n}") };
        let body = match (&single, arm_count) {
            (Some((index, body)), 1) => format!("if rule == {index} {{\n{body}}}"),
            _ => format!("match rule {{\n{arms}_ => {{}}\n}}"),
        };
        if arms.is_empty() {
            out.push_str(
                "    fn values(&self, _out: &mut Vec<u8>, _rule: usize, _input: &Input, _lets: &Lets) {}\n}\n",
            );
        } else {
            writeln!(
                out,
                "    /// The inputs and derived values each rule reads, as `\"name\":value`.\n    fn values(&self, out: &mut Vec<u8>, rule: usize, {}: &Input, {}: &Lets) {{\n        {body}\n    }}\n}}",
                param(uses_input, "input"),
                param(uses_lets, "lets")
            )
            .ok();
        }
        out.push_str(
            "\nimpl Names for Policy {\n    fn policy_name(&self) -> &str {\n        NAME\n    }\n\n    \
             fn policy_version(&self) -> &str {\n        VERSION\n    }\n\n    \
             fn policy_hash(&self) -> &str {\n        HASH\n    }\n\n    \
             fn rule_name(&self, rule: usize) -> &str {\n        name(&RULE_NAMES, rule)\n    }\n\n    \
             fn tier_name(&self, tier: usize) -> &str {\n        name(&TIER_NAMES, tier)\n    }\n\n    \
             fn consequence_name(&self, consequence: usize) -> &str {\n        name(&CONSEQUENCE_NAMES, consequence)\n    }\n\n    \
             fn let_name(&self, derived: usize) -> &str {\n        name(&LET_NAMES, derived)\n    }\n",
        );
        if coded {
            out.push_str(
                "\n    fn reason_name(&self, rule: usize) -> &str {\n        name(&REASON_NAMES, rule)\n    }\n",
            );
        }
        out.push_str("}\n");
        Ok(out)
    }
}

impl Gen<'_> {
    /// `table_json` and `outcome_open` of the `Template`: each table's name, and its outputs
    /// written from `Lets`.
    fn outcome_fns(&self, helpers: &mut BTreeSet<&'static str>) -> Result<String, CodegenError> {
        let policy = self.policy;
        if policy.tables.is_empty() {
            return Ok(
                "    fn table_json(&self, _table: usize) -> &[u8] {\n        &[]\n    }\n\n    \
                 fn outcome_open(&self, _out: &mut Vec<u8>, _table: usize, _lets: &Lets) {}\n\n"
                    .to_string(),
            );
        }
        let mut names = String::new();
        let mut opens = String::new();
        let mut single = String::new();
        for (index, table) in policy.tables.iter().enumerate() {
            writeln!(
                names,
                "            {index} => {},",
                bytes_lit(&json(&table.name))
            )
            .ok();
            let mut body = String::new();
            for (k, o) in table.outputs.iter().enumerate() {
                let output = policy
                    .outputs
                    .get(*o)
                    .ok_or_else(|| CodegenError::Internal("output out of range".into()))?;
                let mut key = if k == 0 {
                    let mut open = json(&table.name);
                    open.extend_from_slice(b":{");
                    open
                } else {
                    b",".to_vec()
                };
                key.extend_from_slice(&json(&output.name));
                key.push(b':');
                writeln!(
                    body,
                    "                out.extend_from_slice({});",
                    bytes_lit(&key)
                )
                .ok();
                let path = format!("lets.{}", self.output_field(*o));
                let write = match super::exprs::output_ty(&output.kind) {
                    Ty::Number => {
                        helpers.insert("write_decimal");
                        helpers.insert("write_maybe");
                        format!("write_maybe(out, {path}, write_decimal);")
                    }
                    Ty::Bool => {
                        helpers.insert("write_bool");
                        helpers.insert("write_maybe");
                        format!("write_maybe(out, {path}, write_bool);")
                    }
                    _ => {
                        helpers.insert("write_maybe_str");
                        format!("write_maybe_str(out, {path});")
                    }
                };
                writeln!(body, "                {write}").ok();
            }
            writeln!(opens, "            {index} => {{\n{body}            }}").ok();
            single = body;
        }
        // One table: an `if`, as clippy prefers to a `match` with one arm.
        let dispatch = if policy.tables.len() == 1 {
            format!("        if table == 0 {{\n{single}        }}\n")
        } else {
            format!("        match table {{\n{opens}            _ => {{}}\n        }}\n")
        };
        Ok(format!(
            "    fn table_json(&self, table: usize) -> &[u8] {{\n        match table {{\n{names}            _ => &[],\n        }}\n    }}\n\n    \
             /// Each table's outputs, as `\"table\":{{\"output\":value,…`.\n    \
             fn outcome_open(&self, out: &mut Vec<u8>, table: usize, lets: &Lets) {{\n{dispatch}    }}\n\n"
        ))
    }
}
