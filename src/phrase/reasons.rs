//! Reasons in words: which way the scale counts against the person, and which rules share a
//! reason code (their points against the person are added together, and a decision gives the
//! reason once).

use super::Phraser;
use crate::text::join_and;

impl Phraser<'_, '_> {
    /// On a scale where a higher score is worse, the sentence that says so; `None` otherwise.
    pub fn scale_direction(&self) -> Option<String> {
        self.model.header.higher_is_worse.then(|| {
            "On this scale a higher score is worse: the points a rule adds count against the person, and the reasons a decision gives are the rules that added the most (or the most above their baseline).".to_string()
        })
    }

    /// A rule's reason code in words: "R07", or "R07, shared with “Arrears”: the points these
    /// rules count against the person are added together, and a decision gives the reason once".
    pub fn reason_code(&self, rule: usize) -> Option<String> {
        let code = self.model.reason_code(rule)?;
        let others: Vec<String> = code
            .rules
            .iter()
            .filter(|r| **r != rule)
            .map(|r| self.rule_label(*r))
            .collect();
        if others.is_empty() {
            return Some(code.code.clone());
        }
        Some(format!(
            "{}, shared with {}: the points these rules count against the person are added together, and a decision gives the reason once",
            code.code,
            join_and(&others)
        ))
    }

    /// A shared reason code in one sentence: "Reason R07 (“Payments were missed”) is given once
    /// for “Missed payments” and “Arrears” together, with their points added up."
    pub fn reason_code_sentence(&self, code: usize) -> Option<String> {
        let code = self.model.reason_codes.get(code)?;
        let rules: Vec<String> = code.rules.iter().map(|r| self.rule_label(*r)).collect();
        let text = code
            .text
            .as_ref()
            .map_or(String::new(), |t| format!(" (“{t}”)"));
        Some(if rules.len() > 1 {
            format!(
                "Reason {}{text} is given once for {} together, with their points against the person added up.",
                code.code,
                join_and(&rules)
            )
        } else {
            format!(
                "Reason {}{text} is given for {}.",
                code.code,
                join_and(&rules)
            )
        })
    }
}
