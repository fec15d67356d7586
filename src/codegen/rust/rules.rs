//! `src/rules.rs` of the generated crate: `Lets`, derived values and tables (in the IR's step
//! order, before the rules and after them), one function per consequence, the tiers, and
//! `evaluate_into`, which puts them together in the interpreter's order (values, rules in source
//! order, groups that count one rule, rounding, clamping, tier, values after the rules,
//! consequences, reasons). Each rule's function is written by `rule_fns.rs`, each table's by
//! `tables.rs`.

use super::escape::{comment, doc, markdown, markdown_code, markdown_lines};
use super::exprs::{dec, Code, Scope, Ty};
use super::records::dec_const;
use super::{CodegenError, Gen};
use crate::ir::{Range, Step};
use rust_decimal::RoundingStrategy;
use std::fmt::Write as _;

type R<T> = Result<T, CodegenError>;

fn strategy_path(s: RoundingStrategy) -> &'static str {
    match s {
        RoundingStrategy::MidpointAwayFromZero => "RoundingStrategy::MidpointAwayFromZero",
        RoundingStrategy::MidpointNearestEven => "RoundingStrategy::MidpointNearestEven",
        RoundingStrategy::MidpointTowardZero => "RoundingStrategy::MidpointTowardZero",
        RoundingStrategy::AwayFromZero => "RoundingStrategy::AwayFromZero",
        RoundingStrategy::ToZero => "RoundingStrategy::ToZero",
        RoundingStrategy::ToNegativeInfinity => "RoundingStrategy::ToNegativeInfinity",
        RoundingStrategy::ToPositiveInfinity => "RoundingStrategy::ToPositiveInfinity",
        #[allow(deprecated)]
        _ => "RoundingStrategy::MidpointAwayFromZero",
    }
}

/// `subject` is in `range`, as a Rust condition (with the runtime's fast comparisons).
pub(super) fn in_range(range: &Range, subject: &str) -> String {
    match (range.lo, range.hi) {
        (Some(lo), Some(hi)) if lo.value == hi.value && lo.inclusive && hi.inclusive => {
            format!("arith::eq({subject}, {})", dec(lo.value))
        }
        (lo, hi) => {
            let mut parts = Vec::new();
            if let Some(lo) = lo {
                let op = if lo.inclusive { "ge" } else { "gt" };
                parts.push(format!("arith::{op}({subject}, {})", dec(lo.value)));
            }
            if let Some(hi) = hi {
                let op = if hi.inclusive { "le" } else { "lt" };
                parts.push(format!("arith::{op}({subject}, {})", dec(hi.value)));
            }
            if parts.is_empty() {
                "true".to_string()
            } else {
                parts.join(" && ")
            }
        }
    }
}

/// An expression before the `else` of a `let … else`, which may not end in `}`.
pub fn let_else(code: &Code) -> String {
    if code.text.ends_with('}') {
        format!("({})", code.text)
    } else {
        code.text.clone()
    }
}

/// How a range reads in a comment.
fn range_words(range: &Range) -> String {
    match (range.lo, range.hi) {
        (Some(lo), Some(hi)) if lo.value == hi.value => lo.value.to_string(),
        (lo, hi) => {
            let lo =
                lo.map(|b| format!("{} {}", if b.inclusive { "from" } else { "above" }, b.value));
            let hi =
                hi.map(|b| format!("{} {}", if b.inclusive { "to" } else { "below" }, b.value));
            [lo, hi].into_iter().flatten().collect::<Vec<_>>().join(" ")
        }
    }
}

impl Gen<'_> {
    /// The type and known-ness of every derived value, in evaluation order.
    pub fn let_types(&self) -> R<Vec<(Ty, bool)>> {
        let mut scope = self.scope();
        let late = self.late_lets();
        for (index, l) in self.policy.lets.iter().enumerate() {
            scope.outcome = late.contains(&index);
            let hint = match l.enum_of {
                Some(input) => Some(Ty::Enum(input)),
                None => scope.infer(&l.value),
            };
            let code = scope.expr(&l.value, hint)?;
            scope.lets.push((code.ty, code.known));
        }
        Ok(scope.lets)
    }

    /// The statements computing `steps` in order; `extra`: further arguments (`, outcome`).
    fn steps_code(&self, steps: &[Step], extra: &str) -> String {
        let mut out = String::new();
        for step in steps {
            match *step {
                Step::Let(index) => writeln!(
                    out,
                    "    lets.{} = {}(input, lets{extra}).map_err(|kind| EvalError::in_let(kind, {index}))?;",
                    self.let_field(index),
                    self.let_fn(index)
                ),
                Step::Table(index) => {
                    let fields: Vec<String> = self
                        .policy
                        .tables
                        .get(index)
                        .map(|t| {
                            t.outputs
                                .iter()
                                .map(|o| format!("lets.{}", self.output_field(*o)))
                                .collect()
                        })
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "    ({},) = {}(input, lets, &mut tables[{index}]);",
                        fields.join(", "),
                        self.table_fn(index)
                    )
                }
            }
            .ok();
        }
        out
    }

    /// The derived values computed after the rules, by index.
    pub fn late_lets(&self) -> std::collections::HashSet<usize> {
        self.policy
            .after_rules
            .iter()
            .filter_map(|s| match s {
                Step::Let(l) => Some(*l),
                Step::Table(_) => None,
            })
            .collect()
    }

    /// The tables decided after the rules, by index.
    pub fn late_tables(&self) -> std::collections::HashSet<usize> {
        self.policy
            .after_rules
            .iter()
            .filter_map(|s| match s {
                Step::Table(t) => Some(*t),
                Step::Let(_) => None,
            })
            .collect()
    }

    /// Parameters of a derived value's function: `input`, `lets`, and for one computed after the
    /// rules `outcome`, each with a leading underscore when the body does not read it.
    fn value_params(&self, scope: &Scope<'_>) -> String {
        let name = |used: bool, n: &str| if used { n.to_string() } else { format!("_{n}") };
        let mut params = format!(
            "{}: &Input, {}: &Lets",
            name(scope.used_input.get(), "input"),
            name(scope.used_lets.get(), "lets")
        );
        if scope.outcome {
            params.push_str(&format!(
                ", {}: &Outcome<'_>",
                name(scope.used_outcome.get(), "outcome")
            ));
        }
        params
    }

    /// The Rust type of a derived value.
    pub fn let_type(&self, ty: Ty, known: bool) -> String {
        let base = match ty {
            Ty::Number => "Decimal".to_string(),
            Ty::Bool => "bool".to_string(),
            Ty::Text => "String".to_string(),
            Ty::Enum(input) => self
                .idents
                .enum_types
                .get(input)
                .cloned()
                .unwrap_or_default(),
            Ty::Tier => "usize".to_string(),
        };
        if known {
            base
        } else {
            format!("Option<{base}>")
        }
    }

    /// Parameters of a function over the record: `input`, `lets` (and `outcome`), each with a
    /// leading underscore when the body does not read it.
    pub(super) fn params(&self, scope: &Scope<'_>, outcome: bool) -> String {
        let name = |used: bool, n: &str| if used { n.to_string() } else { format!("_{n}") };
        let mut params = format!(
            "{}: &Input, {}: &Lets",
            name(scope.used_input.get(), "input"),
            name(scope.used_lets.get(), "lets")
        );
        if outcome {
            params.push_str(&format!(
                ", {}: &Outcome<'_>",
                name(scope.used_outcome.get(), "outcome")
            ));
            if self.chained() {
                params.push_str(&format!(
                    ", {}: &[bool; {}]",
                    name(scope.used_applied.get(), "applied"),
                    self.policy.consequences.len()
                ));
            }
        }
        params
    }

    /// Whether a consequence reads whether another applies: then they are decided in dependency
    /// order, each function given the ones decided so far.
    fn chained(&self) -> bool {
        self.policy.chains_consequences()
    }

    pub fn rules_rs(&self) -> R<String> {
        let policy = self.policy;
        self.used_enums.borrow_mut().clear();
        let lets = self.let_types()?;
        let mut scope = self.scope();
        scope.lets = lets.clone();
        let strategy = strategy_path(policy.scale.rounding.strategy());
        let mut out = String::new();
        out.push_str(
            "//! The policy's logic: derived values, one function per rule and per consequence, \
             the tiers,\n//! and [`evaluate_into`], which applies them in the interpreter's \
             order. Each function\n//! follows the policy as written; unknown values are `None` \
             and spread as `rubric eval`\n//! spreads them.\n\n",
        );
        out.push_str(
            "// Conditions are translated as the policy writes them, so some read in ways clippy \
             would\n// simplify; and both sides of `and`/`or` are evaluated when the second can \
             fail.\n#![allow(clippy::nonminimal_bool, clippy::overly_complex_bool_expr, \
             clippy::eq_op, clippy::bool_comparison, clippy::short_circuit_statement, \
             clippy::neg_multiply, clippy::identity_op, clippy::double_comparisons, \
             clippy::collapsible_else_if, \
             clippy::absurd_extreme_comparisons, clippy::match_like_matches_macro, \
             clippy::needless_bool, clippy::unnecessary_lazy_evaluations, \
             clippy::redundant_closure, clippy::if_same_then_else, clippy::ifs_same_cond, clippy::impossible_comparisons, clippy::redundant_comparisons)]\n\n",
        );
        // The `use` of the crate's types goes here once the rest says which enums it names.
        let imports_at = out.len();
        out.push_str("use crate::runtime::arith;\n");
        // A policy whose reasons rank the plain way calls `collect_reasons`; one with shared
        // reason codes or a scale where higher is worse says how to rank them.
        let plain = policy.ranks_reasons_plainly();
        let mut decision_items = if plain {
            vec!["collect_reasons"]
        } else {
            vec!["rank_reasons", "Ranking"]
        };
        if !policy.rules.is_empty() {
            decision_items.push("tally");
        }
        if !policy.picks.is_empty() {
            decision_items.push("pick");
        }
        if !policy.tables.is_empty() {
            decision_items.push("TableRows");
        }
        match decision_items.as_slice() {
            [one] => writeln!(out, "use crate::runtime::decision::{one};"),
            _ => writeln!(
                out,
                "use crate::runtime::decision::{{{}}};",
                decision_items.join(", ")
            ),
        }
        .ok();
        let mut runtime = vec!["EvalError"];
        if !(policy.rules.is_empty() && policy.lets.is_empty() && policy.consequences.is_empty()) {
            runtime.push("EvalErrorKind");
        }
        if !policy.consequences.is_empty() || !policy.after_rules.is_empty() {
            runtime.push("Outcome");
        }
        if !policy.rules.is_empty() {
            runtime.push("RuleOutcome");
        }
        if self.has_lengths() {
            out.push_str(
                "use crate::runtime::decision::{length, Computed, Unit};
",
            );
        }
        writeln!(out, "use crate::runtime::{{{}}};", runtime.join(", ")).ok();
        out.push_str("use rust_decimal::{Decimal, RoundingStrategy};\n");

        // Lets.
        out.push_str(
            "\n/// The derived values (`let`), as computed for one record.\n\
             #[derive(Clone, Debug, Default, PartialEq)]\npub struct Lets {\n",
        );
        for (index, l) in policy.lets.iter().enumerate() {
            let (ty, known) = lets.get(index).copied().unwrap_or((Ty::Number, false));
            out.push_str(&doc(&markdown_lines(&l.docs), false, "    "));
            writeln!(
                out,
                "    pub {}: {},",
                self.let_field(index),
                self.let_type(ty, known)
            )
            .ok();
        }
        for (index, o) in policy.outputs.iter().enumerate() {
            let table = policy.tables.get(o.table).map_or("", |t| t.name.as_str());
            writeln!(
                out,
                "    /// Output {} of table {}.\n    pub {}: {},",
                markdown_code(&o.name),
                markdown_code(table),
                self.output_field(index),
                self.output_type(&o.kind)
            )
            .ok();
        }
        out.push_str("}\n");

        // Constants.
        writeln!(
            out,
            "\n/// Where every record starts.\nconst START: Decimal = {};\n\
             /// The scale: every final score lies between these, both included.\n\
             const MIN: Decimal = {};\nconst MAX: Decimal = {};",
            dec_const(policy.scale.start),
            dec_const(policy.scale.min),
            dec_const(policy.scale.max)
        )
        .ok();
        let baselines: Vec<String> = policy
            .rules
            .iter()
            .map(|r| {
                r.baseline
                    .map_or("None".to_string(), |b| format!("Some({})", dec_const(b)))
            })
            .collect();
        writeln!(
            out,
            "/// Each rule's baseline, for ranking reasons.\nconst BASELINES: [Option<Decimal>; {}] = [{}];",
            baselines.len(),
            baselines.join(", ")
        )
        .ok();
        if !plain {
            let entries: Vec<String> = policy
                .reason_entries()
                .iter()
                .map(|e| e.to_string())
                .collect();
            writeln!(
                out,
                "/// Each rule's entry among the reasons: the first rule with its reason code, or itself.\nconst REASON_ENTRIES: [usize; {}] = [{}];",
                entries.len(),
                entries.join(", ")
            )
            .ok();
        }
        writeln!(
            out,
            "\n/// Rounds points and scores to the policy's {} decimals.\nfn round(value: Decimal) -> Decimal {{\n    arith::round(value, {}, {strategy})\n}}",
            policy.scale.decimals, policy.scale.decimals
        )
        .ok();

        // evaluate_into
        out.push_str(&self.evaluate_into(&lets)?);

        // Derived values and tables, before the rules and after them.
        let tables = !policy.tables.is_empty();
        if !policy.steps.is_empty() || tables {
            writeln!(
                out,
                "\n/// Computes the derived values{} in order (each uses only the record and \
                 earlier ones).\nfn derived_values({unused}input: &Input, {unused}lets: &mut Lets{}) -> Result<(), \
                 EvalError> {{",
                if tables { " and decides the tables" } else { "" },
                if tables { ", tables: &mut Vec<TableRows>" } else { "" },
                unused = if policy.steps.is_empty() { "_" } else { "" }
            )
            .ok();
            if tables {
                writeln!(
                    out,
                    "    TableRows::reset(tables, {});",
                    policy.tables.len()
                )
                .ok();
            }
            out.push_str(&self.steps_code(&policy.steps, ""));
            out.push_str("    Ok(())\n}\n");
        }
        if !policy.after_rules.is_empty() {
            let late_tables = policy
                .after_rules
                .iter()
                .any(|s| matches!(s, Step::Table(_)));
            writeln!(
                out,
                "\n/// Computes the derived values{} that read what the rules did, in order.\n\
                 fn after_rules(input: &Input, lets: &mut Lets, {}outcome: &Outcome<'_>) -> Result<(), EvalError> {{",
                if late_tables { " and decides the tables" } else { "" },
                if late_tables { "tables: &mut [TableRows], " } else { "" }
            )
            .ok();
            out.push_str(&self.steps_code(&policy.after_rules, ", outcome"));
            out.push_str("    Ok(())\n}\n");
        }
        let mut let_scope = self.scope();
        let late = self.late_lets();
        for (index, l) in policy.lets.iter().enumerate() {
            let_scope.reset();
            let_scope.outcome = late.contains(&index);
            let (ty, known) = lets.get(index).copied().unwrap_or((Ty::Number, false));
            let hint = l.enum_of.map(Ty::Enum).or(Some(ty));
            let code = let_scope.expr(&l.value, hint)?;
            let value = match (ty, known) {
                (Ty::Text, true) => format!("Ok({}.to_string())", code.operand()),
                (Ty::Text, false) => format!("Ok({}.map(str::to_string))", code.operand()),
                // `Ok(f(…)?)` is `f(…)`.
                _ if code.atomic
                    && code.text.starts_with("arith::")
                    && code.text.ends_with(")?") =>
                {
                    code.text.trim_end_matches('?').to_string()
                }
                _ => format!("Ok({})", code.text),
            };
            let mut docs = vec![format!("Derived value {}.", markdown_code(&l.name))];
            if !l.docs.is_empty() {
                docs.push(String::new());
                docs.extend(markdown_lines(&l.docs));
            }
            out.push('\n');
            out.push_str(&doc(&docs, false, ""));
            writeln!(
                out,
                "fn {}({}) -> Result<{}, EvalErrorKind> {{\n    {value}\n}}",
                self.let_fn(index),
                self.value_params(&let_scope),
                self.let_type(ty, known)
            )
            .ok();
            let_scope.lets.push((ty, known));
        }

        // Tables.
        let late_tables = self.late_tables();
        for (index, table) in policy.tables.iter().enumerate() {
            let mut table_scope = self.scope();
            table_scope.lets.clone_from(&let_scope.lets);
            table_scope.outcome = late_tables.contains(&index);
            out.push('\n');
            out.push_str(&self.table_fn_code(&table_scope, index, table)?);
        }

        // Rules.
        for (index, rule) in policy.rules.iter().enumerate() {
            scope.reset();
            out.push('\n');
            out.push_str(&self.rule_fn(&scope, index, rule)?);
        }

        // Tiers.
        out.push_str(
            "\n/// The tier a final score falls in, by index.\nfn tier_of(score: Decimal) -> Option<usize> {\n",
        );
        if policy.tiers.is_empty() {
            out.push_str("    let _ = score;\n    None\n}\n");
        } else {
            for (index, tier) in policy.tiers.iter().enumerate() {
                let title = tier
                    .title
                    .as_ref()
                    .map_or(String::new(), |t| format!(" ({})", comment(t)));
                writeln!(
                    out,
                    "    // {}{title}: {}",
                    comment(&tier.name),
                    range_words(&tier.range)
                )
                .ok();
                for line in tier.docs.iter().flat_map(|d| d.split('\n')) {
                    writeln!(out, "    // {}", comment(line).trim_end()).ok();
                }
                writeln!(
                    out,
                    "    if {} {{\n        return Some({index});\n    }}",
                    in_range(&tier.range, "score")
                )
                .ok();
            }
            out.push_str("    None\n}\n");
        }

        // Consequences.
        let mut consequence_scope = self.scope();
        consequence_scope.lets = lets.clone();
        consequence_scope.outcome = true;
        for (index, c) in policy.consequences.iter().enumerate() {
            consequence_scope.reset();
            let code = consequence_scope.expr(&c.condition, Some(Ty::Bool))?;
            let result = if code.known {
                format!("Some({})", code.text)
            } else {
                code.text.clone()
            };
            let mut docs = vec![match &c.title {
                Some(t) => format!("Consequence {}: {}.", markdown_code(&c.name), markdown(t)),
                None => format!("Consequence {}.", markdown_code(&c.name)),
            }];
            if !c.docs.is_empty() {
                docs.push(String::new());
                docs.extend(markdown_lines(&c.docs));
            }
            if let Some(basis) = &c.basis {
                docs.push(String::new());
                docs.push(format!("Basis: {}", markdown(basis)));
            }
            out.push('\n');
            out.push_str(&doc(&docs, false, ""));
            writeln!(
                out,
                "fn {}({}) -> Result<Option<bool>, EvalErrorKind> {{\n    Ok({result})\n}}",
                self.consequence_fn(index),
                self.params(&consequence_scope, true)
            )
            .ok();
        }
        let mut length_scope = self.scope();
        length_scope.lets = lets.clone();
        out.push_str(&self.length_fns(&length_scope)?);
        let mut enums = self.used_enums.borrow().clone();
        enums.extend(lets.iter().filter_map(|(ty, _)| match ty {
            Ty::Enum(input) => Some(*input),
            _ => None,
        }));
        let mut crate_uses = vec!["Decision".to_string(), "Input".to_string()];
        crate_uses.extend(
            enums
                .iter()
                .filter_map(|i| self.idents.enum_types.get(*i).cloned()),
        );
        crate_uses.sort();
        out.insert_str(
            imports_at,
            &format!("use crate::{{{}}};\n", crate_uses.join(", ")),
        );
        Ok(out)
    }

    fn evaluate_into(&self, _lets: &[(Ty, bool)]) -> R<String> {
        let policy = self.policy;
        let mut out = String::new();
        out.push_str(
            "\n/// Decides one record into `decision`, reusing its buffers: a batch allocates \
             nothing per record\n/// for the decision itself. Reasons are ranked only when `needs` \
             says they will be read.\npub fn evaluate_into(input: &Input, decision: &mut Decision, \
             needs: crate::runtime::Needs) -> Result<(), EvalError> {\n    decision.clear();\n",
        );
        if !policy.tables.is_empty() {
            out.push_str("    derived_values(input, &mut decision.lets, &mut decision.tables)?;\n");
        } else if !policy.steps.is_empty() {
            out.push_str("    derived_values(input, &mut decision.lets)?;\n");
        }
        let needs_lets = !policy.rules.is_empty() || !policy.consequences.is_empty();
        if needs_lets {
            out.push_str("    let lets = &decision.lets;\n");
        }
        if policy.rules.is_empty() {
            out.push_str("    let total = START;\n");
        } else {
            out.push_str(
                "    let mut total = START;\n    let (fired, unknown) = (&mut decision.fired, &mut decision.unknown);\n",
            );
            for index in 0..policy.rules.len() {
                writeln!(
                    out,
                    "    tally(&mut total, fired, unknown, {index}, {}(input, lets))?;",
                    self.rule_fn_name(index)
                )
                .ok();
            }
            for pick in &policy.picks {
                let rules: Vec<String> = pick.rules.iter().map(usize::to_string).collect();
                writeln!(
                    out,
                    "    pick(&mut total, fired, &mut decision.not_counted, &[{}], {});",
                    rules.join(", "),
                    pick.highest
                )
                .ok();
            }
        }
        out.push_str(
            "    let unclamped = round(total);\n    let score = arith::min(arith::max(unclamped, MIN), MAX);\n    let tier = tier_of(score);\n",
        );
        if !policy.consequences.is_empty() || !policy.after_rules.is_empty() {
            out.push_str(
                "    let outcome = Outcome {\n        score,\n        tier,\n        fired: &decision.fired,\n    };\n",
            );
        }
        if !policy.after_rules.is_empty() {
            let late_tables = policy
                .after_rules
                .iter()
                .any(|s| matches!(s, Step::Table(_)));
            out.push_str(if late_tables {
                "    after_rules(input, &mut decision.lets, &mut decision.tables, &outcome)?;\n"
            } else {
                "    after_rules(input, &mut decision.lets, &outcome)?;\n"
            });
            if !policy.consequences.is_empty() {
                out.push_str("    let lets = &decision.lets;\n");
            }
        }
        if !policy.consequences.is_empty() {
            if self.chained() {
                // Decided in dependency order, listed in source order.
                writeln!(
                    out,
                    "    let mut applied = [false; {}];",
                    policy.consequences.len()
                )
                .ok();
                for &index in &policy.consequence_order {
                    writeln!(
                        out,
                        "    let applies = {}(input, lets, &outcome, &applied).map_err(|kind| EvalError::in_consequence(kind, {index}))?;\n    if applies.is_none() {{\n        decision.unknown_consequences.push({index});\n    }}\n    applied[{index}] = applies == Some(true);",
                        self.consequence_fn(index)
                    )
                    .ok();
                }
                out.push_str(
                    "    decision.consequences.extend(\n        applied.iter().enumerate().filter(|(_, applies)| **applies).map(|(index, _)| index),\n    );\n    decision.unknown_consequences.sort_unstable();\n",
                );
            } else {
                for index in 0..policy.consequences.len() {
                    writeln!(
                        out,
                        "    match {}(input, lets, &outcome).map_err(|kind| EvalError::in_consequence(kind, {index}))? {{\n        Some(true) => decision.consequences.push({index}),\n        Some(false) => {{}}\n        None => decision.unknown_consequences.push({index}),\n    }}",
                        self.consequence_fn(index)
                    )
                    .ok();
                }
            }
        }
        out.push_str(&self.length_calls());
        if !needs_lets && policy.steps.is_empty() {
            out.push_str("    let _ = input;\n");
        }
        if policy.ranks_reasons_plainly() {
            out.push_str(
                "    if needs.reasons {\n        collect_reasons(&BASELINES, &decision.fired, &mut decision.reasons);\n    }\n",
            );
        } else {
            writeln!(
                out,
                "    if needs.reasons {{\n        rank_reasons(\n            Ranking {{\n                baselines: &BASELINES,\n                entries: &REASON_ENTRIES,\n                higher_is_worse: {},\n            }},\n            &decision.fired,\n            &mut decision.reasons,\n        );\n    }}",
                policy.scale.higher_is_worse
            )
            .ok();
        }
        out.push_str(
            "    decision.score = score;\n    decision.unclamped = unclamped;\n    decision.tier = tier;\n    Ok(())\n}\n",
        );
        Ok(out)
    }
}
