//! The final `SELECT`: each row's error (the validation's, else the first computation that
//! failed, in the interpreter's order and words) or its decision, as the JSON text `rubric eval`
//! writes (`runtime::decision::write_json`, field for field) or as one column per field.

use super::consequences::Consequences;
use super::program::{sql_comment, Sql, Ty, Val};
use super::record::{concat, join_present, output_json_string, Source};
use super::rules::Rules;
use super::tables::Decided;
use super::{Dialect, Form, Gen, R};
use crate::ir::{json, Ref};

/// `,"key":[items]` when any of `conditions` holds, else nothing: a list a decision has only
/// when it is not empty.
fn optional_list(d: Dialect, key: &str, conditions: &[String], items: &[String]) -> String {
    format!(
        "(CASE WHEN {} THEN {} ELSE '' END)",
        conditions.join(" OR "),
        concat(
            d,
            &[
                &d.string(&format!(",\"{key}\":[")),
                &join_present(",", items),
                &d.string("]")
            ]
        )
    )
}

fn lit(d: Dialect, bytes: &[u8]) -> String {
    d.string(&String::from_utf8_lossy(bytes))
}

impl Gen<'_> {
    /// A value as JSON text (`null` when unknown).
    fn value_json(&self, v: &Val, members: Option<&[String]>) -> String {
        let d = self.p.dialect;
        let x = &v.sql.text;
        match v.ty {
            Ty::Num(num) => format!("COALESCE({}, 'null')", d.number_text(x, num.scale)),
            Ty::Bool => {
                format!("(CASE WHEN {x} THEN 'true' WHEN NOT {x} THEN 'false' ELSE 'null' END)")
            }
            Ty::Text => format!("COALESCE({}, 'null')", output_json_string(d, x)),
            Ty::Index => {
                let names: Vec<String> = match members {
                    Some(m) => m.to_vec(),
                    None => self.policy.tiers.iter().map(|t| t.name.clone()).collect(),
                };
                let mut text = format!("(CASE {x}");
                for (k, name) in names.iter().enumerate() {
                    text.push_str(&format!(" WHEN {k} THEN {}", lit(d, &json::string(name))));
                }
                text.push_str(" ELSE 'null' END)");
                text
            }
        }
    }

    /// The members of a value read by `r`, if it is a list member.
    fn members_of(&self, r: Ref) -> Option<&[String]> {
        let input = match r {
            Ref::Input(i) => Some(i),
            Ref::Let(l) => self.policy.lets.get(l).and_then(|l| l.enum_of),
            Ref::Output(_) => None,
        }?;
        match &self.policy.inputs.get(input)?.kind {
            crate::ir::InputKind::Enum(members) => Some(members),
            _ => None,
        }
    }

    fn ref_json(&self, r: Ref) -> R<String> {
        let v = self.read(r)?;
        Ok(self.value_json(&v, self.members_of(r)))
    }
}

/// The query: the `WITH` chain and the final `SELECT` (or `CREATE VIEW`).
pub fn query(
    g: &mut Gen<'_>,
    source: &Source,
    rules: &Rules,
    tables: &[Decided],
    consequences: &Consequences,
) -> R<String> {
    let d = g.p.dialect;
    let policy = g.policy;
    // The error: the record's, else the first failed computation.
    let mut kinds = Vec::new();
    let mut fields = Vec::new();
    let mut messages = Vec::new();
    if let Some([kind, field, message]) = &source.error {
        kinds.push(kind.text.clone());
        fields.push(format!(
            "WHEN {} IS NOT NULL THEN {}",
            kind.text, field.text
        ));
        messages.push(format!(
            "WHEN {} IS NOT NULL THEN {}",
            kind.text, message.text
        ));
    }
    for site in &g.sites {
        let e = &site.err.text;
        kinds.push(e.clone());
        fields.push(format!(
            "WHEN {e} IS NOT NULL THEN {}",
            d.string(&site.name)
        ));
        messages.push(format!(
            "WHEN {e} = 'overflow' THEN {} WHEN {e} IS NOT NULL THEN {}",
            d.string(&format!(
                "computing {} `{}` overflowed the exact decimal range",
                site.what, site.name
            )),
            d.string(&format!(
                "computing {} `{}` divided by zero",
                site.what, site.name
            ))
        ));
    }
    let layer = g.p.depth();
    let (kind, field, message) = if kinds.is_empty() {
        ("NULL".to_string(), "NULL".to_string(), "NULL".to_string())
    } else {
        (
            format!("COALESCE({})", kinds.join(", ")),
            format!("(CASE {} END)", fields.join(" ")),
            format!("(CASE {} END)", messages.join(" ")),
        )
    };
    let kind = g.p.bind(
        &Sql::new(kind, layer),
        "error",
        Some("the error that rejects the record, if any".into()),
    );
    let field = Sql::new(field, layer);
    let message = Sql::new(message, layer);

    let mut columns: Vec<(String, String)> = vec![
        ("record".into(), source.record.text.clone()),
        ("id".into(), source.id.text.clone()),
        ("error".into(), kind.text.clone()),
        ("field".into(), field.text.clone()),
        ("message".into(), message.text.clone()),
    ];
    match g.options.form {
        Form::Json => {
            let text = decision_json(g, source, rules, tables, consequences)?;
            columns.push((
                "decision".into(),
                format!("(CASE WHEN {} IS NULL THEN {text} END)", kind.text),
            ));
        }
        Form::Columns => {
            let valid = |x: String| format!("(CASE WHEN {} IS NULL THEN {x} END)", kind.text);
            columns.push(("score".into(), valid(rules.score.sql.text.clone())));
            let tier_names: Vec<String> = policy
                .tiers
                .iter()
                .enumerate()
                .map(|(k, t)| format!("WHEN {k} THEN {}", d.string(&t.name)))
                .collect();
            let tier = g
                .outcome
                .as_ref()
                .map(|o| o.tier.text.clone())
                .unwrap_or_default();
            columns.push((
                "tier".into(),
                valid(if tier_names.is_empty() {
                    "NULL".into()
                } else {
                    format!("(CASE {tier} {} END)", tier_names.join(" "))
                }),
            ));
            columns.push((
                "clamped".into(),
                valid(format!(
                    "({} <> {})",
                    rules.score.sql.text, rules.unclamped.sql.text
                )),
            ));
            columns.push((
                "unclamped_score".into(),
                valid(rules.unclamped.sql.text.clone()),
            ));
            for (rule, (c, p)) in policy
                .rules
                .iter()
                .zip(rules.counted.iter().zip(&rules.points))
            {
                columns.push((
                    format!("points_{}", rule.name),
                    valid(format!("(CASE WHEN {} THEN {} END)", c.text, p.sql.text)),
                ));
            }
            let reasons = sorted_reasons(g, rules, ";", |entry| {
                let name = policy
                    .rules
                    .get(entry)
                    .map(|r| r.reason_code.clone().unwrap_or_else(|| r.name.clone()))
                    .unwrap_or_default();
                d.string(&name)
            });
            columns.push(("reasons".into(), valid(reasons)));
            let applying: Vec<String> = policy
                .consequences
                .iter()
                .zip(&consequences.condition)
                .map(|(c, cond)| format!("CASE WHEN {} THEN {} END", cond.text, d.string(&c.name)))
                .collect();
            columns.push(("consequences".into(), valid(join_present(";", &applying))));
            for (index, output) in policy.outputs.iter().enumerate() {
                let v = g.read(Ref::Output(index))?;
                columns.push((
                    format!("outcome_{}", output.name),
                    valid(v.sql.text.clone()),
                ));
            }
            columns.push(("policy".into(), d.string(&policy.identity.name)));
            columns.push(("version".into(), d.string(&policy.identity.version)));
            columns.push(("hash".into(), d.string(&policy.identity.content_hash)));
        }
    }
    let (with, last) = g.p.render(&g.options.table);
    let mut out = header(g);
    let select: Vec<String> = columns
        .iter()
        .map(|(name, sql)| format!("  {sql} AS {}", d.ident(name)))
        .collect();
    if let Some(view) = &g.options.view {
        out.push_str(&format!("CREATE VIEW {view} AS\n"));
    }
    out.push_str(&with);
    out.push_str(&format!("\nSELECT\n{}\nFROM {last}", select.join(",\n")));
    if g.options.view.is_none() {
        out.push_str(&format!("\nORDER BY {}", d.ident("record")));
    }
    out.push_str(";\n");
    Ok(out)
}

/// The comment the query starts with: what it is, the policy's identity and its doc comment.
fn header(g: &Gen<'_>) -> String {
    let policy = g.policy;
    let mut lines = vec![
        format!(
            "Policy \"{}\" version {} (source SHA-256 {}), for {}.",
            policy.identity.name,
            policy.identity.version,
            policy.identity.content_hash,
            g.p.dialect.name()
        ),
        format!(
            "Generated by `rubric build --target sql`{}; do not edit.",
            g.options
                .source_name
                .as_ref()
                .map_or(String::new(), |s| format!(" from {s}"))
        ),
        "One row per row of the input table: `decision` is the JSON line `rubric eval` writes for the record,".into(),
        "or `error`, `field` and `message` say why it would reject it.".into(),
    ];
    for (name, value) in &policy.identity.overrides {
        lines.push(format!("What-if value: {name} = {value}"));
    }
    if !policy.docs.is_empty() {
        lines.push(String::new());
        lines.extend(policy.docs.iter().cloned());
    }
    let mut out = String::new();
    for line in lines {
        for part in line.lines().chain(line.is_empty().then_some("")) {
            out.push_str(&format!("-- {}\n", sql_comment(part)).replace("-- \n", "--\n"));
        }
    }
    out
}

/// The reasons, worst first (ties in the order of the file), each as `piece(entry)`, joined by
/// commas: each entry's rank is how many entries come before it.
fn sorted_reasons(
    g: &mut Gen<'_>,
    rules: &Rules,
    separator: &str,
    piece: impl Fn(usize) -> String,
) -> String {
    let entries = &rules.reasons;
    let mut ranks = Vec::new();
    for (e, (entry, below)) in entries.iter().enumerate() {
        let mut terms = Vec::new();
        for (f, (other, other_below)) in entries.iter().enumerate() {
            if f == e {
                continue;
            }
            // An entry earlier in the file comes first on a tie.
            let op = if other < entry { ">=" } else { ">" };
            terms.push(format!(
                "CASE WHEN {} {op} {} THEN 1 ELSE 0 END",
                other_below.sql.text, below.sql.text
            ));
        }
        let text = if terms.is_empty() {
            "0".to_string()
        } else {
            terms.join(" + ")
        };
        let layer = entries.iter().map(|(_, b)| b.sql.layer).max().unwrap_or(0);
        ranks.push(g.p.bind(&Sql::new(text, layer), "rank", None));
    }
    let mut items = Vec::new();
    for position in 0..entries.len() {
        let mut text = String::from("CASE");
        for ((entry, below), rank) in entries.iter().zip(&ranks) {
            text.push_str(&format!(
                " WHEN {} > 0 AND {} = {position} THEN {}",
                below.sql.text,
                rank.text,
                piece(*entry)
            ));
        }
        text.push_str(" END");
        items.push(text);
    }
    join_present(separator, &items)
}

/// The decision's JSON text, as `runtime::decision::write_json` writes it.
fn decision_json(
    g: &mut Gen<'_>,
    source: &Source,
    rules: &Rules,
    tables: &[Decided],
    consequences: &Consequences,
) -> R<String> {
    let d = g.p.dialect;
    let policy = g.policy;
    let text = d.text_type();
    let mut parts: Vec<String> = vec![
        d.string("{\"record\":"),
        format!("CAST({} AS {text})", source.record.text),
        format!(
            "COALESCE({}, '')",
            concat(
                d,
                &[
                    &d.string(",\"id\":"),
                    &output_json_string(d, &source.id.text)
                ]
            )
        ),
        lit(d, &json::after_id(policy)),
        d.number_text(&rules.score.sql.text, rules.score.num().scale),
        d.string(",\"tier\":"),
        g.value_json(
            &Val {
                sql: g
                    .outcome
                    .as_ref()
                    .map(|o| o.tier.clone())
                    .unwrap_or(Sql::lit("NULL")),
                ty: Ty::Index,
            },
            None,
        ),
        format!(
            "(CASE WHEN {} <> {} THEN {} ELSE {} END)",
            rules.score.sql.text,
            rules.unclamped.sql.text,
            concat(
                d,
                &[
                    &d.string(",\"clamped\":true,\"unclamped_score\":"),
                    &d.number_text(&rules.unclamped.sql.text, rules.unclamped.num().scale)
                ]
            ),
            d.string(",\"clamped\":false")
        ),
    ];
    if !tables.is_empty() {
        let mut outcomes = Vec::new();
        for t in tables {
            let Some(table) = policy.tables.get(t.table) else {
                continue;
            };
            let mut piece = vec![lit(d, &json::string(&table.name)), d.string(":{")];
            for (k, o) in table.outputs.iter().enumerate() {
                let Some(output) = policy.outputs.get(*o) else {
                    continue;
                };
                let key = format!(
                    "{}{}:",
                    if k > 0 { "," } else { "" },
                    String::from_utf8_lossy(&json::string(&output.name))
                );
                piece.push(d.string(&key));
                piece.push(g.ref_json(Ref::Output(*o))?);
            }
            piece.push(d.string(",\"rows\":["));
            piece.push(t.rows.text.clone());
            piece.push(d.string("]"));
            piece.push(format!(
                "(CASE WHEN {} THEN {} ELSE '' END)",
                t.by_default.text,
                d.string(",\"otherwise\":true")
            ));
            piece.push(format!(
                "(CASE WHEN {u} <> '' THEN {} ELSE '' END)",
                concat(
                    d,
                    &[
                        &d.string(",\"unknown_rows\":["),
                        &t.unknown_rows.text,
                        &d.string("]")
                    ]
                ),
                u = t.unknown_rows.text
            ));
            piece.push(d.string("}"));
            let refs: Vec<&str> = piece.iter().map(String::as_str).collect();
            outcomes.push(concat(d, &refs));
        }
        parts.push(d.string(",\"outcomes\":{"));
        let mut first = true;
        for o in outcomes {
            if !first {
                parts.push(d.string(","));
            }
            first = false;
            parts.push(o);
        }
        parts.push(d.string("}"));
    }
    // Rules that count, with the values that made them fire.
    let mut fired = Vec::new();
    for (index, rule) in policy.rules.iter().enumerate() {
        let (Some(c), Some(p)) = (rules.counted.get(index), rules.points.get(index)) else {
            continue;
        };
        let mut piece = vec![
            lit(d, &json::rule_open(&rule.name)),
            d.number_text(&p.sql.text, p.num().scale),
            d.string(",\"values\":{"),
        ];
        for (k, r) in rule.reads.iter().enumerate() {
            let name = match *r {
                Ref::Input(i) => policy.inputs.get(i).map(|x| x.name.as_str()),
                Ref::Let(l) => policy.lets.get(l).map(|x| x.name.as_str()),
                Ref::Output(o) => policy.outputs.get(o).map(|x| x.name.as_str()),
            }
            .unwrap_or("");
            let key = format!(
                "{}{}:",
                if k > 0 { "," } else { "" },
                String::from_utf8_lossy(&json::string(name))
            );
            piece.push(d.string(&key));
            piece.push(g.ref_json(*r)?);
        }
        piece.push(d.string("}}"));
        let refs: Vec<&str> = piece.iter().map(String::as_str).collect();
        fired.push(format!(
            "CASE WHEN {} THEN {} END",
            c.text,
            concat(d, &refs)
        ));
    }
    parts.push(d.string(",\"rules\":["));
    parts.push(join_present(",", &fired));
    parts.push(d.string("]"));
    let not_counted: Vec<(usize, &Sql)> = rules
        .not_counted
        .iter()
        .enumerate()
        .filter_map(|(k, n)| n.as_ref().map(|n| (k, n)))
        .collect();
    if !not_counted.is_empty() {
        let items: Vec<String> = not_counted
            .iter()
            .filter_map(|(k, n)| {
                let rule = policy.rules.get(*k)?;
                let p = rules.points.get(*k)?;
                Some(format!(
                    "CASE WHEN {} THEN {} END",
                    n.text,
                    concat(
                        d,
                        &[
                            &lit(d, &json::rule_open(&rule.name)),
                            &d.number_text(&p.sql.text, p.num().scale),
                            &d.string("}")
                        ]
                    )
                ))
            })
            .collect();
        let any: Vec<String> = not_counted.iter().map(|(_, n)| n.text.clone()).collect();
        parts.push(optional_list(d, "not_counted", &any, &items));
    }
    // Unknown: rules, then tables with unknown rows, then consequences.
    let mut unknown = Vec::new();
    for (rule, f) in policy.rules.iter().zip(&rules.fired) {
        unknown.push(format!(
            "CASE WHEN {} IS NULL THEN {} END",
            f.text,
            lit(d, &json::string(&rule.name))
        ));
    }
    for t in tables {
        if let Some(table) = policy.tables.get(t.table) {
            unknown.push(format!(
                "CASE WHEN {} <> '' THEN {} END",
                t.unknown_rows.text,
                lit(d, &json::string(&table.name))
            ));
        }
    }
    for (c, cond) in policy.consequences.iter().zip(&consequences.condition) {
        unknown.push(format!(
            "CASE WHEN {} IS NULL THEN {} END",
            cond.text,
            lit(d, &json::string(&c.name))
        ));
    }
    parts.push(d.string(",\"unknown\":["));
    parts.push(join_present(",", &unknown));
    parts.push(d.string("],\"reasons\":["));
    let higher_is_worse = policy.scale.higher_is_worse;
    let reason_pieces: Vec<(usize, String)> = rules
        .reasons
        .iter()
        .filter_map(|(entry, below)| {
            let rule = policy.rules.get(*entry)?;
            Some((
                *entry,
                concat(
                    d,
                    &[
                        &lit(d, &json::reason_open(rule, higher_is_worse)),
                        &d.number_text(&below.sql.text, below.num().scale),
                        &d.string("}"),
                    ],
                ),
            ))
        })
        .collect();
    let reasons = sorted_reasons(g, rules, ",", |entry| {
        reason_pieces
            .iter()
            .find(|(e, _)| *e == entry)
            .map_or("NULL".to_string(), |(_, p)| p.clone())
    });
    parts.push(reasons);
    parts.push(d.string("],\"consequences\":["));
    let applying: Vec<String> = consequences
        .condition
        .iter()
        .zip(&consequences.json)
        .map(|(cond, object)| format!("CASE WHEN {} THEN {object} END", cond.text))
        .collect();
    parts.push(join_present(",", &applying));
    parts.push(d.string("]"));
    if !source.forgiven.is_empty() {
        // The values `invalid means missing` forgave, in column order (`runtime::stream`).
        let names: Vec<String> = source
            .forgiven
            .iter()
            .map(|(name, invalid)| {
                format!(
                    "CASE WHEN {} THEN {} END",
                    invalid.text,
                    lit(d, &json::string(name))
                )
            })
            .collect();
        let any: Vec<String> = source
            .forgiven
            .iter()
            .map(|(_, invalid)| format!("COALESCE({}, FALSE)", invalid.text))
            .collect();
        parts.push(optional_list(d, "invalid_as_missing", &any, &names));
    }
    parts.push(d.string("}"));
    let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
    Ok(concat(d, &refs))
}
