//! Inputs for benchmarks and scale tests, shared so that they measure the same thing.

use std::fmt::Write as _;

/// A valid policy with `rules` rules over ten indicators (seven of them `higher is worse`): plain
/// rules with conditions, per-unit effects and caps, and every fifth one a scorecard, spread over
/// groups of 100.
pub fn generated_policy(rules: usize) -> String {
    let mut text = String::from(
        "policy \"Generated\" {\n  version \"1.0.0\"\n  effective 2027-01-01\n  score 0 to 1000000 starting at 500000\n  round to 0 decimals\n}\n\n",
    );
    for i in 0..10 {
        // Most inputs declare a direction, so the monotonicity proof runs on every rule.
        let direction = if i >= 3 { ", higher is worse" } else { "" };
        let _ = writeln!(
            text,
            "/// Input {i}.\nindicator x{i}: integer 0 to 100{direction}"
        );
    }
    text.push_str("param step = 2 points\nparam cap = 50 points\nlet total = x0 + x1 + x2\n\n");
    for g in 0..rules.div_ceil(100) {
        let _ = writeln!(text, "group g{g} \"Group {g}\" weight 1 {{");
        for i in (g * 100)..((g + 1) * 100).min(rules) {
            let x = i % 10;
            if i % 5 == 0 {
                let _ = writeln!(
                    text,
                    "  rule r{i} \"Rule {i}\" by x{x} {{\n    0 to 49 => add 1\n    50 to 100 => deduct 1\n    basis \"Art. {i}\"\n    reason \"Reason {i}\"\n  }}"
                );
            } else {
                let _ = writeln!(
                    text,
                    "  rule r{i} \"Rule {i}\" {{\n    when x{x} >= {} and total < 250\n    deduct step per x{x}, at most cap\n    basis \"Art. {i}\"\n    reason \"Reason {i}\"\n  }}",
                    i % 100
                );
            }
        }
        text.push_str("}\n");
    }
    text.push_str("\ntier high at 500000 and above\ntier low below 500000\n");
    text
}
