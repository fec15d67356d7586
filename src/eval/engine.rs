//! The interpreter as an [`Engine`]: what the shared batch driver needs to read, decide and write
//! records of one policy, with everything that depends only on the policy prepared once.

use super::decision::{Decision, Fragments};
use super::interp::Evaluator;
use crate::ir::{Policy, Value};
use crate::runtime::{Engine, EvalError, Needs};

/// One policy, ready to score batches.
pub struct Interpreter<'p> {
    pub(super) policy: &'p Policy,
    pub(super) evaluator: Evaluator<'p>,
    pub(super) template: Fragments,
}

impl<'p> Interpreter<'p> {
    pub fn new(policy: &'p Policy) -> Self {
        Interpreter {
            policy,
            evaluator: Evaluator::new(policy),
            template: Fragments::new(policy),
        }
    }

    pub fn policy(&self) -> &'p Policy {
        self.policy
    }
}

impl Engine for Interpreter<'_> {
    fn evaluate(
        &self,
        record: &Vec<Option<Value>>,
        decision: &mut Decision,
        needs: Needs,
    ) -> Result<(), EvalError> {
        self.evaluator.evaluate_into(record, decision, needs)
    }
}
