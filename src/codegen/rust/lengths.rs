//! Durations and notices computed for each record (`lasts (2 * offences) months`): one function
//! per consequence that has them, called in source order for the consequences that apply, after
//! all of them are decided (the interpreter's order), and the consequence's JSON object in pieces
//! around the computed texts.

use super::escape::{doc, markdown_code};
use super::exprs::{Scope, Ty};
use super::Gen;
use crate::codegen::CodegenError;
use crate::ir::{json, Consequence, Lasts, Length, TimeUnit};
use std::fmt::Write as _;

type R<T> = Result<T, CodegenError>;

/// The most pieces a consequence's object is split into: around its duration and its notice.
pub const PIECES: usize = 3;

/// The computed length of a consequence's `lasts`, if it is computed.
fn lasts(c: &Consequence) -> Option<&Length> {
    match &c.lasts {
        Lasts::Computed { length, .. } => Some(length),
        _ => None,
    }
}

/// Whether consequence `c` has a duration or notice computed for each record.
pub fn computed(c: &Consequence) -> bool {
    lasts(c).is_some() || c.computed_notice.is_some()
}

fn unit(unit: TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Days => "Unit::Days",
        TimeUnit::Weeks => "Unit::Weeks",
        TimeUnit::Months => "Unit::Months",
        TimeUnit::Years => "Unit::Years",
    }
}

impl Gen<'_> {
    /// Whether any consequence has a computed duration or notice.
    pub fn has_lengths(&self) -> bool {
        self.policy.consequences.iter().any(computed)
    }

    /// One function per consequence with computed lengths, over the record and derived values.
    pub fn length_fns(&self, scope: &Scope<'_>) -> R<String> {
        let mut out = String::new();
        for (index, c) in self.policy.consequences.iter().enumerate() {
            if !computed(c) {
                continue;
            }
            scope.reset();
            let part = |length: Option<&Length>| -> R<String> {
                Ok(match length {
                    Some(l) => {
                        let code = scope.expr(&l.amount, Some(Ty::Number))?;
                        format!("Some((length({})?, {}))", code.opt(), unit(l.unit))
                    }
                    None => "None".to_string(),
                })
            };
            let lasts_code = part(lasts(c))?;
            let notice_code = part(c.computed_notice.as_ref())?;
            out.push('\n');
            out.push_str(&doc(
                &[format!(
                    "The duration and notice of consequence {} computed for this record.",
                    markdown_code(&c.name)
                )],
                false,
                "",
            ));
            writeln!(
                out,
                "fn {}({}) -> Result<Computed, EvalErrorKind> {{\n    Ok(Computed {{\n        consequence: {index},\n        lasts: {lasts_code},\n        notice: {notice_code},\n    }})\n}}",
                self.length_fn(index),
                self.params(scope, false)
            )
            .ok();
        }
        Ok(out)
    }

    /// The calls in `evaluate_into`, once the consequences are decided.
    pub fn length_calls(&self) -> String {
        let mut out = String::new();
        for (index, c) in self.policy.consequences.iter().enumerate() {
            if computed(c) {
                writeln!(
                    out,
                    "    if decision.consequences.contains(&{index}) {{\n        let computed = {}(input, lets).map_err(|kind| EvalError::in_consequence(kind, {index}))?;\n        decision.computed.push(computed);\n    }}",
                    self.length_fn(index)
                )
                .ok();
            }
        }
        out
    }

    /// Each consequence's JSON object in [`PIECES`] pieces, flattened (`consequence * PIECES +
    /// piece`), padded with empty ones.
    pub fn consequence_pieces(&self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for c in &self.policy.consequences {
            let mut pieces = if computed(c) {
                json::consequence_pieces(c)
            } else {
                Vec::new()
            };
            pieces.resize(PIECES, Vec::new());
            out.extend(pieces);
        }
        out
    }
}
