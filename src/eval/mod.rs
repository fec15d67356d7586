//! Stage 4a, the interpreter backend: evaluates records against an [`ir::Policy`](crate::ir::Policy)
//! in exact decimal arithmetic, explains every decision, and streams batches.
//!
//! What every evaluator must do identically (reading and validating records, arithmetic helpers,
//! the output forms, the batch driver) is the shared [`runtime`](crate::runtime); this module is
//! the interpreter's policy-specific part.
//!
//! | file | job |
//! |---|---|
//! | `interp.rs` | one validated record → one [`Decision`] |
//! | `compiled.rs` | the policy's expressions, rules and tiers compiled once for `interp.rs` |
//! | `engine.rs` | the interpreter as a runtime [`Engine`](crate::runtime::Engine) |
//! | `input.rs` | the indicators' types, ranges and missing-value rules, for reading records |
//! | `decision.rs` | the policy's names and JSON fragments, for writing decisions |
//! | `stream.rs` | batches: records in, decisions and errors out, a [`Summary`] |
//! | `policy_tests.rs` | the policy's own `test` blocks |

mod compiled;
mod decision;
mod engine;
mod input;
mod interp;
mod policy_tests;
mod stream;
mod table;

pub use crate::runtime::output::{json_string, write_decimal};
pub use crate::runtime::stream::{Format, Options, Progress, Summary};
pub use crate::runtime::CsvColumns;
pub use crate::runtime::{
    EvalError, EvalErrorKind, Fired, Id, Position, Problem, Reason, RecordError, RecordRef, Site,
};
pub use decision::{Decision, JsonTemplate};
pub use engine::Interpreter;
pub use input::{Record, RecordReader};
pub use interp::{arith, Evaluator};
pub use policy_tests::{literal, run_test, run_tests, signed, Coverage, Failure, TestReport};
pub use stream::run;
