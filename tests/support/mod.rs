//! Helpers shared by the integration tests that run the `rubric` binary.

// Each test crate uses a different subset of these.
#![allow(dead_code, clippy::expect_used)]

use std::process::{Command, Output};

/// Runs `rubric` with `args` from the crate root, without colour.
pub fn rubric(args: &[&str]) -> Output {
    command()
        .args(args)
        .output()
        .expect("the rubric binary runs")
}

/// A `rubric` command ready for more arguments, run from the crate root, without colour.
pub fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rubric"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    command
}

/// The exit code (-1 if killed by a signal).
pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
