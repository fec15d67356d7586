//! Batch evaluation with the interpreter: the shared runtime's batch driver
//! (`runtime/stream.rs`) run with an [`Interpreter`].

use super::engine::Interpreter;
use crate::ir::Policy;
use crate::runtime::stream::{self, Options, Progress, Summary};
use crate::runtime::RecordError;
use std::io::{self, BufRead, Write};

/// Runs a batch. Errors go to `on_error` (which may write them anywhere); I/O errors on the
/// input or output stop the run.
pub fn run(
    policy: &Policy,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    on_error: &mut dyn FnMut(&RecordError) -> io::Result<()>,
    options: &Options,
    progress: Progress<'_>,
) -> io::Result<Summary> {
    stream::run(
        &Interpreter::new(policy),
        input,
        output,
        on_error,
        options,
        progress,
    )
}
