//! `src/rules.rs` of the generated crate, continued: one function per rule — its condition, its
//! points (with `per`, caps and sign), a scorecard's arms (a `match` over yes/no and list members,
//! range tests over numbers), the group weight and rounding.

use super::escape::{comment, doc, markdown, markdown_code, markdown_lines};
use super::exprs::{dec, Code, Scope, Ty};
use super::rules::{in_range, let_else};
use super::{CodegenError, Gen};
use crate::ir::{Arm, Effect, Pattern, Points, Ref, Rule, Sign, Value};
use std::fmt::Write as _;

type R<T> = Result<T, CodegenError>;

impl Gen<'_> {
    /// The rule's function.
    pub(super) fn rule_fn(&self, scope: &Scope<'_>, index: usize, rule: &Rule) -> R<String> {
        let mut body = String::new();
        if let Some(condition) = &rule.condition {
            let code = scope.expr(condition, Some(Ty::Bool))?;
            if code.known {
                writeln!(
                    body,
                    "    let applies = {};\n    if !applies {{\n        return Ok(RuleOutcome::NotFired);\n    }}",
                    code.text
                )
                .ok();
            } else {
                writeln!(
                    body,
                    "    match {} {{\n        Some(true) => {{}}\n        Some(false) => return Ok(RuleOutcome::NotFired),\n        None => return Ok(RuleOutcome::Unknown),\n    }}",
                    code.text
                )
                .ok();
            }
        }
        match &rule.effect {
            Effect::Points(p) => {
                writeln!(body, "    let points = {};", self.points(scope, p)?).ok();
                self.finish(&mut body, rule, "None");
            }
            Effect::Bins {
                subject,
                arms,
                missing,
                otherwise,
            } => {
                let read = scope.read(*subject)?;
                let subject_name = match subject {
                    Ref::Input(i) => self.policy.inputs.get(*i).map(|x| x.name.clone()),
                    Ref::Let(l) => self.policy.lets.get(*l).map(|x| x.name.clone()),
                    Ref::Output(o) => self.policy.outputs.get(*o).map(|x| x.name.clone()),
                }
                .map(|n| comment(&n))
                .unwrap_or_default();
                let otherwise = match otherwise {
                    Some(p) => format!("({}, None)", self.points(scope, p)?),
                    None => "return Ok(RuleOutcome::NotFired)".to_string(),
                };
                let arms_code = self.arms(scope, read.ty, arms, &otherwise)?;
                if read.known {
                    writeln!(
                        body,
                        "    let subject = {}; // {subject_name}\n    let (points, arm) = {arms_code};",
                        read.text
                    )
                    .ok();
                } else {
                    let missing = match missing {
                        Some(p) => format!("({}, None)", self.points(scope, p)?),
                        None => "return Ok(RuleOutcome::Unknown)".to_string(),
                    };
                    writeln!(
                        body,
                        "    // by {subject_name}\n    let (points, arm) = match {} {{\n        None => {missing},\n        Some(subject) => {arms_code},\n    }};",
                        read.text
                    )
                    .ok();
                }
                self.finish(&mut body, rule, "arm");
            }
        }
        let mut docs = vec![match &rule.title {
            Some(t) => format!("Rule {}: {}.", markdown_code(&rule.name), markdown(t)),
            None => format!("Rule {}.", markdown_code(&rule.name)),
        }];
        if !rule.docs.is_empty() {
            docs.push(String::new());
            docs.extend(markdown_lines(&rule.docs));
        }
        let mut facts = Vec::new();
        if let Some(g) = &rule.group {
            facts.push(format!(
                "Group {}, weight {}.",
                markdown_code(&g.name),
                g.weight
            ));
        }
        if let Some(b) = &rule.baseline {
            facts.push(format!("Baseline {b}."));
        }
        if let Some(basis) = &rule.basis {
            facts.push(format!("Basis: {}", markdown(basis)));
        }
        if let Some(reason) = &rule.reason {
            facts.push(format!("Reason: {}", markdown(reason)));
        }
        if !facts.is_empty() {
            docs.push(String::new());
            docs.extend(facts);
        }
        let mut out = doc(&docs, false, "");
        writeln!(
            out,
            "fn {}({}) -> Result<RuleOutcome, EvalErrorKind> {{\n{body}}}",
            self.rule_fn_name(index),
            self.params(scope, false)
        )
        .ok();
        Ok(out)
    }

    /// Weights and rounds `points` and returns the outcome.
    pub(super) fn finish(&self, body: &mut String, rule: &Rule, arm: &str) {
        if let Some(g) = &rule.group {
            writeln!(
                body,
                "    let points = arith::mul(points, {})?; // group {}",
                dec(g.weight),
                comment(&g.name)
            )
            .ok();
        }
        let arm = if arm == "arm" {
            "arm".to_string()
        } else {
            format!("arm: {arm}")
        };
        writeln!(
            body,
            "    Ok(RuleOutcome::Fired {{\n        points: round(points),\n        {arm},\n    }})"
        )
        .ok();
    }

    /// The signed, capped points of an effect, as a block (which returns `Unknown` from the rule
    /// when they depend on an unknown value).
    pub(super) fn points(&self, scope: &Scope<'_>, p: &Points) -> R<String> {
        let amount = scope.expr(&p.amount, Some(Ty::Number))?;
        if p.per.is_none() && p.at_most.is_none() && p.at_least.is_none() {
            if let Some(Value::Number(n)) = &amount.constant {
                let signed = match p.sign {
                    Sign::Add => *n,
                    Sign::Deduct => -*n,
                };
                return Ok(dec(signed));
            }
            if amount.known {
                return Ok(match p.sign {
                    Sign::Add => amount.text.clone(),
                    Sign::Deduct => format!("-{}", amount.operand()),
                });
            }
        }
        let mut block = String::from("{\n");
        // The amount so far: a name bound in the block, or the last step's expression.
        let mut current = "amount".to_string();
        let bind = |block: &mut String, current: &mut String, name: &str, code: &Code| {
            if current != "amount" {
                writeln!(block, "        let amount = {current};").ok();
                *current = "amount".to_string();
            }
            if code.known {
                writeln!(block, "        let {name} = {};", code.text).ok();
            } else {
                writeln!(
                    block,
                    "        let Some({name}) = {} else {{\n            return Ok(RuleOutcome::Unknown);\n        }};",
                    let_else(code)
                )
                .ok();
            }
        };
        bind(&mut block, &mut current, "amount", &amount);
        if let Some(per) = &p.per {
            let per = scope.expr(per, Some(Ty::Number))?;
            bind(&mut block, &mut current, "per", &per);
            current = "arith::mul(amount, per)?".to_string();
        }
        if let Some(cap) = &p.at_most {
            let cap = scope.expr(cap, Some(Ty::Number))?;
            bind(&mut block, &mut current, "at_most", &cap);
            current = "arith::min(amount, at_most)".to_string();
        }
        if let Some(floor) = &p.at_least {
            let floor = scope.expr(floor, Some(Ty::Number))?;
            bind(&mut block, &mut current, "at_least", &floor);
            current = "arith::max(amount, at_least)".to_string();
        }
        let tail = match p.sign {
            Sign::Add => current,
            Sign::Deduct if current == "amount" => "-amount".to_string(),
            Sign::Deduct => format!("-({current})"),
        };
        writeln!(block, "        {tail}\n    }}").ok();
        Ok(block)
    }

    /// The arms of a scorecard over `subject` (of type `ty`), as an expression giving
    /// `(points, arm)`.
    pub(super) fn arms(
        &self,
        scope: &Scope<'_>,
        ty: Ty,
        arms: &[Arm],
        otherwise: &str,
    ) -> R<String> {
        match ty {
            Ty::Bool | Ty::Enum(_) => self.match_arms(scope, ty, arms, otherwise),
            _ => {
                let mut text = String::new();
                for (i, arm) in arms.iter().enumerate() {
                    let conditions: Vec<String> = arm
                        .patterns
                        .iter()
                        .map(|p| {
                            Ok(match p {
                                Pattern::Range(r) => in_range(r, "subject"),
                                Pattern::Value(v) => {
                                    format!("subject == {}", scope.constant(v, Some(ty))?.text)
                                }
                            })
                        })
                        .collect::<R<_>>()?;
                    let condition = if conditions.len() == 1 {
                        conditions.join("")
                    } else {
                        conditions
                            .iter()
                            .map(|c| format!("({c})"))
                            .collect::<Vec<_>>()
                            .join(" || ")
                    };
                    if i > 0 {
                        text.push_str(" else ");
                    }
                    writeln!(
                        text,
                        "if {condition} {{\n        ({}, Some({i}))\n    }}",
                        self.points(scope, &arm.points)?
                    )
                    .ok();
                }
                if arms.is_empty() {
                    return Ok(format!("{{ {otherwise} }}"));
                }
                Ok(format!(
                    "{} else {{\n        {otherwise}\n    }}",
                    text.trim_end()
                ))
            }
        }
    }

    /// Scorecard arms over a yes/no or an enum, as a `match`: each value goes to the first arm
    /// that lists it.
    pub(super) fn match_arms(
        &self,
        scope: &Scope<'_>,
        ty: Ty,
        arms: &[Arm],
        otherwise: &str,
    ) -> R<String> {
        let all: Vec<Value> = match ty {
            Ty::Bool => vec![Value::Bool(true), Value::Bool(false)],
            Ty::Enum(input) => {
                let count = self.idents.variants.get(input).map_or(0, Vec::len);
                (0..count)
                    .map(|m| Value::Member(u32::try_from(m).unwrap_or(u32::MAX)))
                    .collect()
            }
            _ => Vec::new(),
        };
        let mut taken: Vec<Value> = Vec::new();
        let mut text = String::from("match subject {\n");
        for (i, arm) in arms.iter().enumerate() {
            let mut patterns = Vec::new();
            for p in &arm.patterns {
                let Pattern::Value(v) = p else {
                    return Err(CodegenError::Internal(
                        "a range in a scorecard over yes/no or an enum".into(),
                    ));
                };
                if taken.contains(v) {
                    continue;
                }
                taken.push(v.clone());
                patterns.push(scope.constant(v, Some(ty))?.text);
            }
            if patterns.is_empty() {
                continue;
            }
            writeln!(
                text,
                "        {} => ({}, Some({i})),",
                patterns.join(" | "),
                self.points(scope, &arm.points)?
            )
            .ok();
        }
        if all.iter().any(|v| !taken.contains(v)) {
            writeln!(text, "        _ => {otherwise},").ok();
        }
        text.push_str("    }");
        Ok(text)
    }
}
