//! The interpreter against the generated Rust evaluators, on any bytes as records: the first
//! byte picks the policy (one of the examples, or the hostile-input fixture), the second the
//! formats and threads. Both must write the same decisions, the same rejected records and the
//! same summary, byte for byte.

#![no_main]

use rubric_fuzz::{interpret, policies, Outcome, Run};

/// Runs `input` through a generated evaluator, as `interpret` runs it through the interpreter.
macro_rules! generated {
    ($krate:ident, $input:expr, $run:expr) => {{
        use $krate::runtime::stream::{run as run_batch, Format, Options};
        let format = |f: rubric::eval::Format| match f {
            rubric::eval::Format::Jsonl => Format::Jsonl,
            rubric::eval::Format::Csv => Format::Csv,
        };
        let options = Options {
            input: format($run.input),
            output: format($run.output),
            id_field: "id".into(),
            threads: $run.threads,
            ..Options::default()
        };
        let mut decisions = Vec::new();
        let mut errors = Vec::new();
        match run_batch(
            &$krate::Policy,
            &mut &$input[..],
            &mut decisions,
            &mut |e| {
                errors.push(serde_json::to_string(e).expect("JSON"));
                Ok(())
            },
            &options,
            &mut |_, _| {},
        ) {
            Ok(summary) => Outcome::Ran {
                decisions,
                errors,
                summary: summary.describe(),
            },
            Err(e) => Outcome::Stopped(e.to_string()),
        }
    }};
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let [which, how, input @ ..] = data else {
        return;
    };
    let all = policies();
    let index = usize::from(*which) % all.len();
    let run = Run::from_byte(*how);
    let interpreted = interpret(&all[index], input, run);
    let generated = match rubric_fuzz::POLICIES[index].0 {
        "lending" => generated!(lending, input, run),
        "hostile" => generated!(hostile, input, run),
        "driving_licence" => generated!(driving_licence, input, run),
        "civic_trust" => generated!(civic_trust, input, run),
        other => panic!("no generated evaluator for {other}"),
    };
    assert_eq!(
        interpreted, generated,
        "the interpreter and the generated evaluator differ"
    );
});
