//! Consequences: whether each applies (`NULL`: a value its condition needs is unknown), decided
//! in the policy's order (one may read whether another applies), and the durations and notices
//! computed for each record.

use super::numeric::only_when;
use super::program::Sql;
use super::record::concat;
use super::{Gen, R};
use crate::ir::{json, Lasts, Length, TimeUnit};

/// Per consequence (by index): its condition's value, and its object in a decision.
pub struct Consequences {
    pub condition: Vec<Sql>,
    /// The JSON object, as a SQL text expression.
    pub json: Vec<String>,
}

impl Gen<'_> {
    pub fn consequences(&mut self) -> R<Consequences> {
        let policy = self.policy;
        let d = self.p.dialect;
        let mut condition = vec![Sql::lit("NULL"); policy.consequences.len()];
        for &index in &policy.consequence_order {
            let Some(c) = policy.consequences.get(index) else {
                continue;
            };
            let low = self.expr(&c.condition)?;
            let mut docs = vec![format!("consequence `{}` applies (NULL: unknown)", c.name)];
            docs.extend(c.docs.iter().cloned());
            let column = self.p.bind(&low.val.sql, &c.name, Some(docs.join("\n")));
            if let Some(err) = low.err {
                self.site("consequence", &c.name, err);
            }
            let applies = Sql::over(format!("COALESCE({}, FALSE)", column.text), &[&column]);
            if let Some(slot) = self.applied.get_mut(index) {
                *slot = Some(applies);
            }
            if let Some(slot) = condition.get_mut(index) {
                *slot = column;
            }
        }
        // The computed durations, once every consequence is decided: as the interpreter, only
        // for those that apply, in source order.
        let mut objects = Vec::new();
        for (index, c) in policy.consequences.iter().enumerate() {
            let pieces = json::consequence_pieces(c);
            let lasts = match &c.lasts {
                Lasts::Computed { length, .. } => Some(length),
                _ => None,
            };
            let lengths: Vec<&Length> = lasts
                .into_iter()
                .chain(c.computed_notice.as_ref())
                .collect();
            let mut parts = Vec::new();
            let applies = condition.get(index).cloned().unwrap_or(Sql::lit("NULL"));
            for (k, piece) in pieces.iter().enumerate() {
                parts.push(d.string(&String::from_utf8_lossy(piece)));
                let Some(length) = lengths.get(k) else {
                    continue;
                };
                let low = self.expr(&length.amount)?;
                let amount = self.p.share(&low.val.sql, &format!("{} length", c.name));
                let applying = Sql::over(format!("COALESCE({}, FALSE)", applies.text), &[&applies]);
                if let Some(err) = only_when(&applying, low.err) {
                    self.site("consequence", &c.name, err);
                }
                let unit = |one: &str, many: &str| {
                    format!(
                        "(CASE WHEN {} = 1 THEN {} ELSE {} END)",
                        amount.text,
                        d.string(one),
                        d.string(many)
                    )
                };
                let word = match length.unit {
                    TimeUnit::Days => unit("day", "days"),
                    TimeUnit::Weeks => unit("week", "weeks"),
                    TimeUnit::Months => unit("month", "months"),
                    TimeUnit::Years => unit("year", "years"),
                };
                let scale = low.val.num().scale;
                parts.push(d.number_text(&amount.text, scale));
                parts.push(d.string(" "));
                parts.push(word);
            }
            let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
            objects.push(if refs.len() == 1 {
                parts.concat()
            } else {
                concat(d, &refs)
            });
        }
        Ok(Consequences {
            condition,
            json: objects,
        })
    }
}
