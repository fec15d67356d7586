//! Reason codes: rules that give one code (`reason R07 "…"`) are one reason in a decision, with
//! their points against the person summed (PMML's `reasonCode` shared by several
//! characteristics). A code is one sentence in a notice, so the rules that write its text must
//! agree (E1600) and one of them must write it (E1601); two rules giving the same text without
//! sharing a code would put that sentence in a notice twice (W1600).

use super::err::CheckError;
use super::model::Model;
use super::Checker;
use crate::diagnostics::Code;
use crate::span::Span;
use crate::syntax::ast::{ReasonClause, RuleItem};

/// A reason code and the rules that give it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReasonCode {
    pub code: String,
    /// Its text, as the rules that write one give it (`None` only in a policy with E1601).
    pub text: Option<String>,
    /// The rules that give the code, in source order (at least one).
    pub rules: Vec<usize>,
    /// Where the code is first written.
    pub span: Span,
}

/// A rule's first `reason` clause (a second one is E0105 already).
fn clause<'m>(model: &'m Model<'_>, rule: usize) -> Option<&'m ReasonClause> {
    model
        .rules
        .get(rule)?
        .decl
        .items
        .iter()
        .find_map(|item| match &item.node {
            RuleItem::Reason(reason) => Some(reason),
            _ => None,
        })
}

impl Model<'_> {
    /// The reason code rule `rule` gives, if any.
    pub fn reason_code(&self, rule: usize) -> Option<&ReasonCode> {
        self.reason_codes.iter().find(|c| c.rules.contains(&rule))
    }

    /// The text a notice gives for rule `rule`: its own, or that of its reason code.
    pub fn reason_text(&self, rule: usize) -> Option<&str> {
        let reason = clause(self, rule)?;
        match &reason.text {
            Some(text) => Some(&text.node),
            None => self.reason_code(rule)?.text.as_deref(),
        }
    }
}

impl Checker<'_> {
    pub(super) fn reason_codes(&mut self) {
        let model = &self.model;
        let mut codes: Vec<ReasonCode> = Vec::new();
        // Where each code's text is first written.
        let mut text_at: Vec<Option<Span>> = Vec::new();
        // Each code's position in `codes` (a map, so that many codes stay linear).
        let mut index_of: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let mut found = Vec::new();
        for index in 0..model.rules.len() {
            let Some(reason) = clause(model, index) else {
                continue;
            };
            let Some(code) = &reason.code else {
                continue;
            };
            let k = match index_of.get(code.node.as_str()) {
                Some(&k) => k,
                None => {
                    index_of.insert(code.node.as_str(), codes.len());
                    codes.push(ReasonCode {
                        code: code.node.clone(),
                        text: None,
                        rules: Vec::new(),
                        span: code.span,
                    });
                    text_at.push(None);
                    codes.len() - 1
                }
            };
            let (Some(entry), Some(at)) = (codes.get_mut(k), text_at.get_mut(k)) else {
                continue;
            };
            entry.rules.push(index);
            let Some(text) = &reason.text else {
                continue;
            };
            match (&entry.text, *at) {
                (Some(first), Some(first_at)) if *first != text.node => found.push(
                    CheckError::new(
                        Code::ReasonCodeTexts,
                        text.span,
                        format!("reason code `{}` is given two different texts", code.node),
                        format!("a second text for `{}`", code.node),
                    )
                    .with_secondary(first_at, format!("the first text for `{}`", code.node))
                    .with_help(format!(
                        "a code is one reason in a notice, with one sentence: give every rule with `{}` the same text (or write it once, and `reason {}` alone in the others), or give these rules different codes",
                        code.node, code.node
                    )),
                ),
                (None, _) => {
                    entry.text = Some(text.node.clone());
                    *at = Some(text.span);
                }
                _ => {}
            }
        }
        for code in codes.iter().filter(|c| c.text.is_none()) {
            let mut error = CheckError::new(
                Code::ReasonCodeWithoutText,
                code.span,
                format!("no rule gives the text of reason code `{}`", code.code),
                "a code without a sentence",
            );
            for &rule in code.rules.iter().skip(1) {
                if let Some(c) = clause(model, rule).and_then(|r| r.code.as_ref()) {
                    error = error.with_secondary(c.span, "nor here");
                }
            }
            found.push(error.with_help(format!(
                "write the sentence a person reads for `{}` in one of its rules: `reason {} \"…\"`",
                code.code, code.code
            )));
        }
        // The same text given by rules that are not one reason: (text, entry, where, rule name).
        // (A map, not a list searched each time: a policy of many rules would be quadratic.)
        let mut seen: std::collections::HashMap<String, (Option<usize>, usize, Span)> =
            std::collections::HashMap::new();
        // The position of each code in `codes`, for the same reason.
        let positions: std::collections::HashMap<&str, usize> = codes
            .iter()
            .enumerate()
            .map(|(k, c)| (c.code.as_str(), k))
            .collect();
        for index in 0..model.rules.len() {
            let Some(reason) = clause(model, index) else {
                continue;
            };
            let code = reason
                .code
                .as_ref()
                .and_then(|c| positions.get(c.node.as_str()).copied());
            let text = match (&reason.text, code.and_then(|k| codes.get(k))) {
                (Some(t), _) => t.node.clone(),
                (None, Some(c)) => match &c.text {
                    Some(t) => t.clone(),
                    None => continue,
                },
                (None, None) => continue,
            };
            let at = reason
                .text
                .as_ref()
                .map(|t| t.span)
                .or(reason.code.as_ref().map(|c| c.span))
                .unwrap_or_default();
            match seen.get(&text) {
                Some((first_code, first_rule, first_at)) => {
                    if code.is_some() && code == *first_code {
                        continue;
                    }
                    let (Some(this), Some(first)) =
                        (model.rules.get(index), model.rules.get(*first_rule))
                    else {
                        continue;
                    };
                    found.push(
                        CheckError::new(
                            Code::RepeatedReason,
                            at,
                            format!(
                                "rules `{}` and `{}` give the same reason as two separate reasons",
                                first.decl.name.node, this.decl.name.node
                            ),
                            "the same text again",
                        )
                        .with_secondary(*first_at, "first given here")
                        .with_note("a notice would give this sentence twice, each time with part of the points")
                        .with_help("give the rules one reason code (`reason R01 \"…\"` in both), so that their points are added together and the reason is given once; or word the reasons apart"),
                    );
                }
                None => {
                    seen.insert(text, (code, index, at));
                }
            }
        }
        self.model.reason_codes = codes;
        self.problems.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use crate::check::{check, Options};
    use crate::diagnostics::Code;
    use crate::span::FileId;
    use crate::syntax::parse;

    const HEADER: &str = "policy \"T\" {\n version \"1\"\n effective 2027-01-01\n score 0 to 100 starting at 50\n round to 0 decimals\n}\nindicator late: count\ntier all at 0 and above\n";

    fn rule(name: &str, reason: &str) -> String {
        format!("rule {name} {{\n when late >= 1\n deduct 5\n basis \"b\"\n {reason}\n}}\n")
    }

    fn codes(rules: &[(&str, &str)]) -> Vec<Code> {
        let text: String = rules.iter().map(|(n, r)| rule(n, r)).collect();
        let file = parse(FileId::default(), &format!("{HEADER}{text}")).expect("parses");
        let report = check(&file, &Options::default());
        report
            .problems
            .iter()
            .map(|p| p.code)
            .filter(|c| {
                matches!(
                    c,
                    Code::ReasonCodeTexts | Code::ReasonCodeWithoutText | Code::RepeatedReason
                )
            })
            .collect()
    }

    #[test]
    fn rules_sharing_a_code_agree_on_its_text() {
        assert_eq!(
            codes(&[("a", "reason R1 \"Late\""), ("b", "reason R1 \"Late\"")]),
            vec![]
        );
        assert_eq!(
            codes(&[("a", "reason R1 \"Late\""), ("b", "reason R1")]),
            vec![]
        );
        assert_eq!(
            codes(&[("a", "reason R1 \"Late\""), ("b", "reason R1 \"Slow\"")]),
            vec![Code::ReasonCodeTexts]
        );
        assert_eq!(
            codes(&[("a", "reason R1"), ("b", "reason R1")]),
            vec![Code::ReasonCodeWithoutText]
        );
    }

    #[test]
    fn one_text_as_two_reasons_is_w1600() {
        assert_eq!(
            codes(&[("a", "reason \"Late\""), ("b", "reason \"Late\"")]),
            vec![Code::RepeatedReason]
        );
        assert_eq!(
            codes(&[("a", "reason R1 \"Late\""), ("b", "reason R2 \"Late\"")]),
            vec![Code::RepeatedReason]
        );
        assert_eq!(
            codes(&[("a", "reason R1 \"Late\""), ("b", "reason \"Late\"")]),
            vec![Code::RepeatedReason]
        );
        assert_eq!(
            codes(&[("a", "reason \"Late\""), ("b", "reason \"Slow\"")]),
            vec![]
        );
    }

    #[test]
    fn a_rule_reads_its_codes_text() {
        let text = format!(
            "{HEADER}{}{}",
            rule("a", "reason R1"),
            rule("b", "reason R1 \"Late\"")
        );
        let file = parse(FileId::default(), &text).expect("parses");
        let report = check(&file, &Options::default());
        let model = &report.model;
        assert_eq!(model.reason_text(0), Some("Late"));
        assert_eq!(
            model.reason_code(0).map(|c| c.rules.clone()),
            Some(vec![0, 1])
        );
    }
}
