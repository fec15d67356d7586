//! Stage 4, verify: what the checker could not prove on the written policy is tried on the lowered
//! one, with the real evaluator.
//!
//! Today that is the monotonicity of indicators with a direction: where the checker's proof
//! (`check::monotone`) left rules undecided, [`verify`] searches for two records that differ only
//! in the indicator and break its direction (`search.rs`). A counterexample is error E1100; no
//! counterexample leaves the rules undecided (W1100). Both are built by the checker's own
//! constructors, so they read the same as every other diagnostic, and they go through the same
//! suppressions (`check::finish`).
//!
//! It runs on the policy that will run: `--set` overrides were applied before checking and
//! lowering.

mod search;

use crate::check::monotone::{counterexample_error, undecided_error, Monotonicity, Verdict};
use crate::check::{CheckError, Model};
use crate::ir::Policy;

/// The monotonicity results after the search, and the diagnostics it found.
pub struct Verified {
    pub monotonicity: Vec<Monotonicity>,
    pub problems: Vec<CheckError>,
}

/// Searches for counterexamples to every direction the checker left undecided.
pub fn verify(model: &Model<'_>, policy: &Policy) -> Verified {
    let mut search = search::Search::new();
    let mut problems = Vec::new();
    let mut monotonicity = model.monotonicity.clone();
    for m in &mut monotonicity {
        let Verdict::Undecided { suspects, .. } = &m.verdict else {
            continue;
        };
        let suspects = suspects.clone();
        match search.find(policy, m.indicator, m.score_rises) {
            Some(found) => {
                problems.push(counterexample_error(
                    model,
                    m.indicator,
                    m.higher_is_better,
                    m.direction_span,
                    &found,
                ));
                m.verdict = found.verdict;
            }
            None => {
                for (rule, dir) in &suspects {
                    problems.push(undecided_error(
                        model,
                        m.indicator,
                        m.higher_is_better,
                        m.direction_span,
                        *rule,
                        *dir,
                        search.tried,
                    ));
                }
                m.verdict = Verdict::Undecided {
                    suspects,
                    tried: search.tried,
                };
            }
        }
    }
    Verified {
        monotonicity,
        problems,
    }
}
