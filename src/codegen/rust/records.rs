//! `src/input.rs` of the generated crate: the typed record (`Input`), one enum per `one of`
//! indicator, and the record reader specialised to the declared fields (the runtime's
//! [`Fields`](crate::runtime::Fields), with field names matched by a `match` on their text).

use super::escape::{bytes_lit, doc, markdown, markdown_code, markdown_lines, str_lit};
use super::exprs::dec;
use super::{CodegenError, Gen};
use crate::ir::{Input, InputKind, Missing, Value};
use crate::runtime::output::json_string;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// A decimal in a `const` (where `Decimal::new` cannot be called), with its value in a comment.
pub fn dec_const(value: Decimal) -> String {
    let unpacked = value.unpack();
    format!(
        "Decimal::from_parts({}, {}, {}, {}, {}) /* {} */",
        unpacked.lo, unpacked.mid, unpacked.hi, unpacked.negative, unpacked.scale, value
    )
}

/// A pattern matching these (sorted) indices, with runs as ranges: `0..=2 | 5`.
fn index_pattern(indices: &[usize]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while let Some(&start) = indices.get(i) {
        let mut end = start;
        while indices.get(i + 1) == Some(&(end + 1)) {
            end += 1;
            i += 1;
        }
        parts.push(if end == start {
            start.to_string()
        } else {
            format!("{start}..={end}")
        });
        i += 1;
    }
    parts.join(" | ")
}

/// The Rust type of an input's value (`Option<…>` when it may be unknown).
pub fn field_type(g: &Gen<'_>, index: usize, input: &Input) -> String {
    let base = match &input.kind {
        InputKind::Bool => "bool".to_string(),
        InputKind::Whole | InputKind::Decimal => "Decimal".to_string(),
        InputKind::Enum(_) => g.idents.enum_types.get(index).cloned().unwrap_or_default(),
        InputKind::Text => "String".to_string(),
    };
    if matches!(input.missing, Missing::Unknown) {
        format!("Option<{base}>")
    } else {
        base
    }
}

fn kind(input: &Input) -> &'static str {
    match input.kind {
        InputKind::Bool => "Kind::Bool",
        InputKind::Whole => "Kind::Whole",
        InputKind::Decimal => "Kind::Decimal",
        InputKind::Enum(_) => "Kind::Enum",
        InputKind::Text => "Kind::Text",
    }
}

/// A value of an input's type, as Rust.
fn value(g: &Gen<'_>, index: usize, value: &Value) -> Result<String, CodegenError> {
    Ok(match value {
        Value::Number(n) => dec(*n),
        Value::Bool(b) => b.to_string(),
        Value::Text(t) => format!("{}.to_string()", str_lit(t)),
        Value::Member(m) => g.scope().variant(index, *m as usize)?,
        Value::Tier(_) => return Err(CodegenError::Internal("a tier as an input value".into())),
    })
}

/// What an indicator accepts, in words, for its doc comment.
fn describe(input: &Input) -> String {
    let range = match (input.min, input.max) {
        (Some(min), Some(max)) => format!(" from {min} to {max}"),
        (Some(min), None) => format!(", at least {min}"),
        (None, Some(max)) => format!(", at most {max}"),
        (None, None) => String::new(),
    };
    let what = match &input.kind {
        InputKind::Bool => "Yes or no".to_string(),
        InputKind::Whole => format!("A whole number{range}"),
        InputKind::Decimal => format!("A number{range}"),
        InputKind::Enum(members) => {
            let list: Vec<String> = members.iter().map(|m| markdown_code(m)).collect();
            format!("One of {}", list.join(", "))
        }
        InputKind::Text => "A text".to_string(),
    };
    let unit = input
        .unit
        .as_ref()
        .map_or(String::new(), |u| format!(", in {}", markdown(u)));
    let missing = match &input.missing {
        Missing::Required => "Required.".to_string(),
        Missing::Unknown => "When missing, unknown (`None`).".to_string(),
        Missing::Default(v) => format!(
            "When missing, {}.",
            match v {
                Value::Number(n) => n.to_string(),
                Value::Bool(true) => "yes".to_string(),
                Value::Bool(false) => "no".to_string(),
                Value::Text(t) => markdown_code(&str_lit(t)),
                Value::Member(m) => match &input.kind {
                    InputKind::Enum(members) => members
                        .get(*m as usize)
                        .map_or(String::new(), |m| markdown_code(m)),
                    _ => String::new(),
                },
                Value::Tier(_) => String::new(),
            }
        ),
    };
    let protected = if input.protected {
        " Protected: carried for audit, never used in a decision."
    } else {
        ""
    };
    format!("{what}{unit}. {missing}{protected}")
}

pub fn input_rs(g: &Gen<'_>) -> Result<String, CodegenError> {
    let policy = g.policy;
    let mut out = String::new();
    out.push_str(
        "//! The record to score: one typed field per indicator, read and validated exactly as \
         `rubric eval`\n//! reads it (the messages are the shared runtime's).\n\n",
    );
    let uses_decimal = policy
        .inputs
        .iter()
        .any(|i| matches!(i.kind, InputKind::Whole | InputKind::Decimal));
    let has_unknown = policy
        .inputs
        .iter()
        .any(|i| matches!(i.missing, Missing::Unknown));
    let has_known = policy
        .inputs
        .iter()
        .any(|i| !matches!(i.missing, Missing::Unknown));
    let runtime_uses = ["FieldError", "Fields", "Raw"];
    let mut field_uses = Vec::new();
    if !policy.inputs.is_empty() {
        field_uses.push("self");
    }
    if policy.inputs.iter().any(|i| i.kind != InputKind::Bool) {
        field_uses.push("Kind");
    }
    if uses_decimal {
        field_uses.push("Bounds");
    }
    if !field_uses.is_empty() {
        writeln!(
            out,
            "use crate::runtime::fields::{{{}}};",
            field_uses.join(", ")
        )
        .ok();
    }
    let mut put = Vec::new();
    if has_known {
        put.push("put");
    }
    if has_unknown {
        put.push("put_some");
    }
    if !put.is_empty() {
        writeln!(out, "use crate::runtime::record::{{{}}};", put.join(", ")).ok();
    }
    writeln!(out, "use crate::runtime::{{{}}};", runtime_uses.join(", ")).ok();
    out.push_str("use crate::Policy;\n");
    let needs_decimal_type = uses_decimal;
    if needs_decimal_type {
        out.push_str("use rust_decimal::Decimal;\n");
    }
    out.push_str("use serde::{Deserialize, Serialize};\n");

    // The struct.
    out.push_str(
        "\n/// A record to score: one field per indicator of the policy. Numbers are exact \
         decimals.\n#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]\n\
         pub struct Input {\n",
    );
    for (index, input) in policy.inputs.iter().enumerate() {
        let field = g.input_field(index);
        let mut docs = markdown_lines(&input.docs);
        if !docs.is_empty() {
            docs.push(String::new());
        }
        docs.push(describe(input));
        out.push_str(&doc(&docs, false, "    "));
        if field != input.name {
            writeln!(out, "    #[serde(rename = {})]", str_lit(&input.name)).ok();
        }
        if let Missing::Default(_) = input.missing {
            writeln!(out, "    #[serde(default = \"missing_{field}\")]").ok();
        }
        writeln!(out, "    pub {field}: {},", field_type(g, index, input)).ok();
    }
    out.push_str("}\n");

    // Defaults for serde.
    for (index, input) in policy.inputs.iter().enumerate() {
        if let Missing::Default(v) = &input.missing {
            let field = g.input_field(index);
            let ty = field_type(g, index, input);
            writeln!(
                out,
                "\n/// The value of `{field}` when a record does not give it.\nfn missing_{field}() -> {ty} {{ {} }}",
                value(g, index, v)?
            )
            .ok();
        }
    }

    // The enums.
    for (index, input) in policy.inputs.iter().enumerate() {
        let InputKind::Enum(members) = &input.kind else {
            continue;
        };
        if members.is_empty() {
            return Err(CodegenError::Unsupported(format!(
                "the indicator `{}` has no members",
                input.name
            )));
        }
        let ty = g.idents.enum_types.get(index).cloned().unwrap_or_default();
        let variants = g.idents.variants.get(index).cloned().unwrap_or_default();
        writeln!(
            out,
            "\n/// The values of {}.\n#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]\npub enum {ty} {{",
            markdown_code(&input.name)
        )
        .ok();
        for (i, (member, variant)) in members.iter().zip(&variants).enumerate() {
            if i == 0 {
                out.push_str("    #[default]\n");
            }
            if variant != member {
                writeln!(out, "    #[serde(rename = {})]", str_lit(member)).ok();
            }
            writeln!(out, "    {variant},").ok();
        }
        out.push_str("}\n");
        let names: Vec<String> = members.iter().map(|m| str_lit(m)).collect();
        writeln!(
            out,
            "\nimpl {ty} {{\n    /// Every member's name, in declaration order.\n    pub const NAMES: [&'static str; {}] = [{}];\n",
            members.len(),
            names.join(", ")
        )
        .ok();
        out.push_str(
            "    /// The member with this name, or the error a record with another value gets.\n    \
             pub fn from_name(name: &str) -> Result<Self, FieldError> {\n        match name {\n",
        );
        for (member, variant) in members.iter().zip(&variants) {
            writeln!(
                out,
                "            {} => Ok(Self::{variant}),",
                str_lit(member)
            )
            .ok();
        }
        out.push_str(
            "            other => Err(fields::unknown_member(&Self::NAMES, other)),\n        }\n    }\n\n",
        );
        out.push_str("    /// The member's name.\n    pub fn name(self) -> &'static str {\n        match self {\n");
        for (member, variant) in members.iter().zip(&variants) {
            writeln!(out, "            Self::{variant} => {},", str_lit(member)).ok();
        }
        out.push_str("        }\n    }\n\n");
        out.push_str(
            "    /// The member's name as a JSON string.\n    pub fn json(self) -> &'static [u8] {\n        match self {\n",
        );
        for (member, variant) in members.iter().zip(&variants) {
            let mut json = Vec::new();
            json_string(&mut json, member);
            writeln!(out, "            Self::{variant} => {},", bytes_lit(&json)).ok();
        }
        out.push_str("        }\n    }\n}\n");
    }

    // Ranges.
    for (index, input) in policy.inputs.iter().enumerate() {
        if !matches!(input.kind, InputKind::Whole | InputKind::Decimal) {
            continue;
        }
        let bound = |b: Option<Decimal>| {
            b.map_or("None".to_string(), |v| format!("Some({})", dec_const(v)))
        };
        writeln!(
            out,
            "\n/// The declared range of {}.\nconst {}: Bounds = Bounds {{ min: {}, max: {} }};",
            markdown_code(&input.name),
            g.range_const(index),
            bound(input.min),
            bound(input.max)
        )
        .ok();
    }

    // Validation of a typed record.
    out.push_str(
        "\nimpl Input {\n    /// Checks every number against its indicator's kind and range, as reading a record does.\n    \
         pub fn validate(&self) -> Result<(), (&'static str, FieldError)> {\n",
    );
    for (index, input) in policy.inputs.iter().enumerate() {
        if !matches!(input.kind, InputKind::Whole | InputKind::Decimal) {
            continue;
        }
        let field = g.input_field(index);
        let check = |value: &str| {
            format!(
                "fields::check({value}, {}, {}).map_err(|e| ({}, e))?;",
                kind(input),
                g.range_const(index),
                str_lit(&input.name)
            )
        };
        if matches!(input.missing, Missing::Unknown) {
            writeln!(
                out,
                "        if let Some(value) = self.{field} {{\n            {}\n        }}",
                check("value")
            )
            .ok();
        } else {
            writeln!(out, "        {}", check(&format!("self.{field}"))).ok();
        }
    }
    out.push_str("        Ok(())\n    }\n}\n");

    // The names.
    let names: Vec<String> = policy.inputs.iter().map(|i| str_lit(&i.name)).collect();
    writeln!(
        out,
        "\n/// The field name of each indicator, by index.\npub const INPUT_NAMES: [&str; {}] = [{}];",
        names.len(),
        names.join(", ")
    )
    .ok();

    // The reader.
    out.push_str("\nimpl Fields for Policy {\n    type Record = Input;\n\n");
    writeln!(
        out,
        "    fn count(&self) -> usize {{\n        {}\n    }}\n",
        policy.inputs.len()
    )
    .ok();
    out.push_str("    fn index(&self, name: &str) -> Option<usize> {\n");
    if policy.inputs.is_empty() {
        out.push_str("        let _ = name;\n        None\n    }\n\n");
    } else {
        out.push_str("        match name {\n");
        for (index, input) in policy.inputs.iter().enumerate() {
            writeln!(
                out,
                "            {} => Some({index}),",
                str_lit(&input.name)
            )
            .ok();
        }
        out.push_str("            _ => None,\n        }\n    }\n\n");
    }
    out.push_str(
        "    fn name(&self, index: usize) -> &str {\n        INPUT_NAMES.get(index).copied().unwrap_or(\"\")\n    }\n\n",
    );
    out.push_str(
        "    /// Nothing to forget: every field is set from the record or by its missing-value rule.\n    \
         fn clear(&self, _record: &mut Input) {}\n\n",
    );

    // json
    out.push_str(
        "    fn json(&self, record: &mut Input, index: usize, raw: Raw<'_>) -> Result<bool, FieldError> {\n",
    );
    if policy.inputs.is_empty() {
        out.push_str("        let _ = (record, index, raw);\n        Ok(true)\n    }\n\n");
    } else {
        out.push_str("        Ok(match index {\n");
        for (index, input) in policy.inputs.iter().enumerate() {
            let field = g.input_field(index);
            let put = if matches!(input.missing, Missing::Unknown) {
                "put_some"
            } else {
                "put"
            };
            let read = match &input.kind {
                InputKind::Bool => "fields::json_bool(raw)?".to_string(),
                InputKind::Whole | InputKind::Decimal => format!(
                    "fields::json_number(raw, {}, {})?",
                    kind(input),
                    g.range_const(index)
                ),
                InputKind::Enum(_) => format!(
                    "fields::json_text(raw, Kind::Enum)?.map(|t| {}::from_name(&t)).transpose()?",
                    g.idents.enum_types.get(index).cloned().unwrap_or_default()
                ),
                InputKind::Text => {
                    "fields::json_text(raw, Kind::Text)?.map(|t| t.into_owned())".to_string()
                }
            };
            writeln!(
                out,
                "            {index} => {put}(&mut record.{field}, {read}),"
            )
            .ok();
        }
        out.push_str("            _ => true,\n        })\n    }\n\n");
    }

    // cell
    out.push_str(
        "    fn cell(&self, record: &mut Input, index: usize, cell: &str) -> Result<(), FieldError> {\n",
    );
    if policy.inputs.is_empty() {
        out.push_str("        let _ = (record, index, cell);\n        Ok(())\n    }\n\n");
    } else {
        // One field reads as an `if` (clippy: a one-arm `match` is an equality test).
        let single = policy.inputs.len() == 1;
        if !single {
            out.push_str("        match index {\n");
        }
        for (index, input) in policy.inputs.iter().enumerate() {
            let field = g.input_field(index);
            let read = match &input.kind {
                InputKind::Bool => "fields::cell_bool(cell)?".to_string(),
                InputKind::Whole | InputKind::Decimal => format!(
                    "fields::cell_number(cell, {}, {})?",
                    kind(input),
                    g.range_const(index)
                ),
                InputKind::Enum(_) => format!(
                    "{}::from_name(cell)?",
                    g.idents.enum_types.get(index).cloned().unwrap_or_default()
                ),
                InputKind::Text => "cell.to_string()".to_string(),
            };
            let read = if matches!(input.missing, Missing::Unknown) {
                format!("Some({read})")
            } else {
                read
            };
            if single {
                writeln!(out, "        if index == {index} {{\n            record.{field} = {read};\n        }}").ok();
            } else {
                writeln!(out, "            {index} => record.{field} = {read},").ok();
            }
        }
        if !single {
            out.push_str("            _ => {}\n        }\n");
        }
        out.push_str("        Ok(())\n    }\n\n");
    }

    // invalid means missing (only written when an indicator says so)
    let forgiving: Vec<String> = policy
        .inputs
        .iter()
        .enumerate()
        .filter(|(_, i)| i.invalid_as_missing)
        .map(|(index, _)| index.to_string())
        .collect();
    if !forgiving.is_empty() {
        writeln!(
            out,
            "    fn invalid_as_missing(&self, index: usize) -> bool {{\n        matches!(index, {})\n    }}\n",
            forgiving.join(" | ")
        )
        .ok();
    }

    // missing
    out.push_str("    fn missing(&self, record: &mut Input, index: usize) -> bool {\n");
    let required: Vec<usize> = policy
        .inputs
        .iter()
        .enumerate()
        .filter(|(_, i)| matches!(i.missing, Missing::Required))
        .map(|(index, _)| index)
        .collect();
    let required = index_pattern(&required);
    let mut arms = String::new();
    for (index, input) in policy.inputs.iter().enumerate() {
        let field = g.input_field(index);
        match &input.missing {
            Missing::Required => {}
            Missing::Unknown => {
                writeln!(arms, "            {index} => {{\n                record.{field} = None;\n                true\n            }}").ok();
            }
            Missing::Default(_) => {
                writeln!(arms, "            {index} => {{\n                record.{field} = missing_{field}();\n                true\n            }}").ok();
            }
        }
    }
    match (arms.is_empty(), required.is_empty()) {
        (true, true) => out.push_str("        let _ = (record, index);\n        true\n    }\n}\n"),
        (true, false) => {
            out = out.replace(
                "fn missing(&self, record: &mut Input, index: usize)",
                "fn missing(&self, _record: &mut Input, index: usize)",
            );
            writeln!(out, "        !matches!(index, {required})\n    }}\n}}").ok();
        }
        (false, _) => {
            let required = if required.is_empty() {
                String::new()
            } else {
                format!("            {required} => false,\n")
            };
            writeln!(
                out,
                "        match index {{\n{required}{arms}            _ => true,\n        }}\n    }}\n}}"
            )
            .ok();
        }
    }
    Ok(out)
}
