//! Decision tables' outputs as abstract values: whatever the inputs, an output is one of the
//! values its rows (or its default) give, or their sum, count, least or most for a `collect`
//! table; it can be unknown only when the table has no default and an input can be unknown (the
//! checker proved that known inputs always match a row). In focus mode, an output of a table that
//! reads the focused indicator can move either way.

use super::values::{Abs, Dir, Val};
use super::Analyzer;
use crate::check::intervals::Interval;
use crate::check::model::{Resolved, Value, ValueKind};
use crate::syntax::ast::{Aggregate, HitPolicy};
use rust_decimal::Decimal;

impl Analyzer<'_, '_> {
    /// The abstract value of output `o`.
    pub(super) fn output(&self, o: usize) -> Abs {
        let mut abs = self.outputs.get(o).cloned().unwrap_or_else(Abs::any);
        if self.focus.is_some() && self.focus_outputs.contains(&o) {
            abs.dir = Dir::Any;
            abs.unk_varies = abs.unknown;
        }
        abs
    }

    /// Works out the values of table `t`'s outputs (its inputs were analysed before it).
    pub(super) fn table_outputs(&mut self, t: usize) {
        let Some(table) = self.model.tables.get(t) else {
            return;
        };
        let inputs_unknown = table.inputs.iter().any(|input| {
            let key = match input.source {
                Resolved::Indicator(i) => super::narrow::Key::Ind(i),
                Resolved::Let(l) => super::narrow::Key::Let(l),
                Resolved::Output(o) => super::narrow::Key::Out(o),
                _ => return true,
            };
            self.lookup(&super::narrow::Env::default(), key).unknown
        });
        let collect = match table.hit {
            HitPolicy::Collect(a) => Some(a),
            _ => None,
        };
        let mut results = Vec::new();
        for (k, &o) in table.outputs.iter().enumerate() {
            let Some(output) = self.model.outputs.get(o) else {
                continue;
            };
            let values: Vec<&Value> = table.rows.iter().filter_map(|r| r.values.get(k)).collect();
            let default = table.default.as_ref().and_then(|d| d.get(k));
            let val = match (collect, &output.kind) {
                (Some(Aggregate::Count), _) => Val::Num {
                    iv: Interval::closed(Decimal::ZERO, Decimal::from(table.rows.len())),
                    whole: true,
                },
                (Some(Aggregate::Sum), _) => {
                    let (mut lo, mut hi, mut whole) = (Decimal::ZERO, Decimal::ZERO, true);
                    for v in &values {
                        if let Value::Number(n) = v {
                            // The checker proved these sums exact.
                            if n.is_sign_negative() {
                                lo = lo.saturating_add(*n);
                            } else {
                                hi = hi.saturating_add(*n);
                            }
                            whole &= n.fract().is_zero();
                        }
                    }
                    Val::Num {
                        iv: Interval::closed(lo, hi),
                        whole,
                    }
                }
                (_, kind) => join(&values, kind),
            };
            let mut abs = Abs::new(val);
            if let Some(d) = default {
                abs = abs.join(&Abs::new(join(&[d], &output.kind)));
            }
            let unknown = table.default.is_none()
                && !matches!(collect, Some(Aggregate::Sum | Aggregate::Count))
                && (inputs_unknown || table.rows.is_empty());
            results.push((o, abs.with_unknown(unknown, false)));
        }
        for (o, abs) in results {
            if let Some(slot) = self.outputs.get_mut(o) {
                *slot = abs;
            }
        }
    }
}

/// The least abstract value holding each of `values` (of an output of `kind`).
fn join(values: &[&Value], kind: &ValueKind) -> Val {
    match kind {
        ValueKind::Bool => Val::Bool {
            t: values.iter().any(|v| matches!(v, Value::Bool(true))),
            f: values.iter().any(|v| matches!(v, Value::Bool(false))),
        },
        ValueKind::Enum(members) => {
            let mut set = vec![false; members.len()];
            for v in values {
                if let Value::Member(m) = v {
                    if let Some(s) = set.get_mut(*m) {
                        *s = true;
                    }
                }
            }
            Val::Set(set)
        }
        ValueKind::Text => {
            // One text only when every row gives the same one.
            match values.first() {
                Some(Value::Text(first))
                    if values
                        .iter()
                        .all(|v| matches!(v, Value::Text(t) if t == first)) =>
                {
                    Val::Text(Some(first.clone()))
                }
                _ => Val::Text(None),
            }
        }
        _ => {
            let numbers: Vec<Decimal> = values
                .iter()
                .filter_map(|v| match v {
                    Value::Number(n) => Some(*n),
                    _ => None,
                })
                .collect();
            match (numbers.iter().min(), numbers.iter().max()) {
                (Some(lo), Some(hi)) => Val::Num {
                    iv: Interval::closed(*lo, *hi),
                    whole: numbers.iter().all(|n| n.fract().is_zero()),
                },
                _ => Val::Num {
                    iv: Interval::everything(),
                    whole: false,
                },
            }
        }
    }
}
