//! The scale's direction. On a scale where a higher score is worse (`score 0 to 12, higher is
//! worse`: demerit points), a rule counts against the person when it adds points, or more than
//! its baseline. A policy whose rules can never do that would give no reason in any decision:
//! usually a scale that counts down from a full allowance, marked `higher is worse` by mistake
//! (W1101). Which way the monotonicity proof and the counterexample search look follows the same
//! direction (`monotone.rs`, `crate::verify`).

use super::err::CheckError;
use super::model::Model;
use crate::diagnostics::Code;
use crate::syntax::ast::RuleItem;
use rust_decimal::Decimal;

/// W1101, from the range analysis: a scale where higher is worse whose rules can never add points
/// above their baselines.
pub(super) fn nothing_counts_against(model: &Model<'_>) -> Option<CheckError> {
    let header = &model.header;
    let span = header.direction_span.filter(|_| header.higher_is_worse)?;
    let analysis = model.analysis.as_ref()?;
    if model.rules.is_empty() {
        return None;
    }
    for (info, range) in model.rules.iter().zip(&analysis.rules) {
        let baseline = info
            .decl
            .items
            .iter()
            .find_map(|item| match &item.node {
                RuleItem::Baseline(n) => Some(n.node),
                _ => None,
            })
            .unwrap_or(Decimal::ZERO);
        if range.most.is_none_or(|most| most > baseline) {
            return None;
        }
    }
    Some(
        CheckError::new(
            Code::NothingCountsAgainst,
            span,
            "on this scale a higher score is worse, but no rule can add points (above its baseline), so no decision would ever give a reason",
            "a higher score is worse here",
        )
        .with_note("on a scale where higher is worse, the reasons in a decision are the rules that added points, ranked by how many they added")
        .with_help("a scale that counts down from a full allowance (points that are lost) is `higher is better`: remove `, higher is worse`; otherwise check which rules `add` and which `deduct`"),
    )
}

#[cfg(test)]
mod tests {
    use crate::check::ranges::testing::with_policy;
    use crate::diagnostics::Code;

    fn policy(direction: &str, effect: &str) -> String {
        format!(
            "policy \"T\" {{\n version \"1\"\n effective 2027-01-01\n score 0 to 12{direction}\n round to 0 decimals\n}}\nindicator offences: count 0 to 5\nrule offence {{\n when offences >= 1\n {effect}\n basis \"b\"\n reason \"r\"\n}}\ntier all at 0 and above\n"
        )
    }

    fn warned(text: &str) -> bool {
        with_policy(text, |_, problems| {
            problems
                .iter()
                .any(|p| p.code == Code::NothingCountsAgainst)
        })
    }

    #[test]
    fn a_demerit_scale_whose_rules_only_deduct_is_w1101() {
        assert!(warned(&policy(", higher is worse", "deduct 2")));
        assert!(!warned(&policy(", higher is worse", "add 2 per offences")));
        // Points can count against the person on every scale that is `higher is better`.
        assert!(!warned(&policy("", "deduct 2")));
        assert!(!warned(&policy(", higher is better", "add 2")));
    }
}
