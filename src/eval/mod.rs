//! Stage 4a, the interpreter backend: evaluates records against an [`ir::Policy`](crate::ir::Policy)
//! in exact decimal arithmetic, explains every decision, and streams batches.
//!
//! | file | job |
//! |---|---|
//! | `interp.rs` | one validated record → one [`Decision`] |
//! | `input.rs` | a JSON line or CSV row → a validated [`Record`] (or a [`RecordError`]) |
//! | `jsonl.rs` | the flat-object JSON scanner behind `input.rs` |
//! | `decision.rs` | decisions as JSON lines and CSV rows |
//! | `stream.rs` | batches: records in, decisions and errors out, a [`Summary`] |
//! | `policy_tests.rs` | the policy's own `test` blocks |

mod decision;
mod error;
mod input;
mod interp;
mod jsonl;
mod policy_tests;
mod stream;

pub use decision::{
    csv_row, identity_json, json_string, write_decimal, Decision, Fired, JsonTemplate, Reason,
    RecordRef, CSV_HEADER,
};
pub use error::{EvalError, EvalErrorKind, Problem, RecordError, Site};
pub use input::{CsvColumns, Position, Record, RecordReader};
pub use interp::{arith, Evaluator};
pub use policy_tests::{literal, run_test, run_tests, signed, Coverage, Failure, TestReport};
pub use stream::{run, Format, Options, Progress, Summary};
