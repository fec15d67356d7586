//! Any bytes as the records of a batch, through the interpreter's batch driver: the first byte
//! picks the policy, the second the formats and threads. Every record is accounted for, the output
//! is well-formed, and one thread or two write the same bytes.

#![no_main]

use rubric_fuzz::{interpret, policies, Outcome, Run};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let [which, how, input @ ..] = data else {
        return;
    };
    let all = policies();
    let policy = &all[usize::from(*which) % all.len()];
    let run = Run::from_byte(*how);
    let first = interpret(policy, input, run);
    // The same batch on the other number of threads gives the same bytes.
    let other = Run {
        threads: 3 - run.threads,
        ..run
    };
    let second = interpret(policy, input, other);
    if let (Outcome::Ran { .. }, Outcome::Ran { .. }) = (&first, &second) {
        assert_eq!(first, second, "threads change the output");
    }
});
