//! Tiers: each a band of scores; together they must cover the scale exactly once, at the
//! granularity the score is rounded to.

use super::err::CheckError;
use super::intervals::{sweep, Interval};
use super::Checker;
use crate::diagnostics::Code;
use crate::syntax::ast;
use rust_decimal::Decimal;

impl Checker<'_> {
    pub(super) fn tiers(&mut self) {
        let mut bands = Vec::new();
        let mut all_resolved = true;
        for index in 0..self.model.tiers.len() {
            let Some(decl) = self.model.tiers.get(index).map(|t| t.decl) else {
                continue;
            };
            let band = match &decl.bounds.node {
                ast::Interval::Range { lo, hi } => self.range(lo.as_ref(), hi.as_ref()),
                // The grammar gives tiers no single-value form.
                ast::Interval::Exactly(_) => None,
            };
            let Some(band) = band else {
                all_resolved = false;
                continue;
            };
            if band.is_empty(None) {
                self.report(
                    CheckError::new(
                        Code::InvalidRange,
                        decl.bounds.span,
                        format!("tier `{}` covers no score: its lower bound is not below its upper bound", decl.name.node),
                        "empty band",
                    )
                    .with_help("write the lower bound first"),
                );
                continue;
            }
            if let Some(t) = self.model.tiers.get_mut(index) {
                t.range = band;
            }
            bands.push((index, band));
        }
        // Coverage is only meaningful when every tier's band is known.
        if bands.is_empty() || !self.scale_ok || !all_resolved {
            return;
        }
        let header = &self.model.header;
        let scale = Interval::closed(header.min, header.max);
        let step = header.step();
        let intervals: Vec<Interval> = bands.iter().map(|(_, b)| *b).collect();
        let coverage = sweep(scale, &intervals, Some(step));
        let tier = |k: usize| {
            bands
                .get(k)
                .and_then(|(i, _)| self.model.tiers.get(*i))
                .map(|t| t.decl)
        };
        let mut found = Vec::new();
        for overlap in &coverage.overlaps {
            let (Some(first), Some(second)) = (tier(overlap.first), tier(overlap.second)) else {
                continue;
            };
            found.push(
                CheckError::new(
                    Code::TiersOverlap,
                    second.bounds.span,
                    format!(
                        "tiers `{}` and `{}` overlap: a score of {} would be in both",
                        first.name.node, second.name.node, overlap.shared
                    ),
                    format!("tier `{}`", second.name.node),
                )
                .with_secondary(first.bounds.span, format!("tier `{}`", first.name.node))
                .with_help("every score must fall in exactly one tier; `from A below B` next to `at B and above` meet without overlapping"),
            );
        }
        let scale_span = header.scale_span;
        let decimals = header.decimals;
        for gap in &coverage.gaps {
            let granularity = if decimals == 0 {
                "scores are whole numbers".to_string()
            } else {
                format!("scores are rounded to {decimals} decimals")
            };
            // Point at the tier just above the gap, or else the one just below it.
            let above = bands
                .iter()
                .filter(|(_, b)| match (b.lo, gap.hi) {
                    (Some(lo), Some(hi)) => lo.value > hi.value,
                    _ => false,
                })
                .min_by(|(_, a), (_, b)| a.lo.map(|e| e.value).cmp(&b.lo.map(|e| e.value)));
            let highest = bands.iter().max_by(|(_, a), (_, b)| {
                a.hi.map(|e| e.value)
                    .unwrap_or(Decimal::MAX)
                    .cmp(&b.hi.map(|e| e.value).unwrap_or(Decimal::MAX))
            });
            let (anchor, label) = match above.or(highest) {
                Some((i, _)) => {
                    let decl = self.model.tiers.get(*i).map(|t| t.decl);
                    let label = if above.is_some() {
                        "the next tier starts here"
                    } else {
                        "the last tier ends here"
                    };
                    (decl.map_or(scale_span, |d| d.bounds.span), label)
                }
                None => (scale_span, "the scale"),
            };
            found.push(
                CheckError::new(
                    Code::TierGap,
                    anchor,
                    format!("no tier covers {} {gap} ({granularity})", if gap.lo == gap.hi { "the score" } else { "the scores" }),
                    label,
                )
                .with_secondary(scale_span, "the scale")
                .with_help("extend a neighbouring tier or add one, so that every score on the scale has a tier"),
            );
        }
        self.problems.extend(found);
    }
}
