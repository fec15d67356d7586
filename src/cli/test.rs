//! `rubric test POLICY…`: run each policy's own tests; report failures with expected and actual
//! values, and what no test exercises.

use super::Outcome;
use rubric::eval::{run_tests, signed, Coverage, TestReport};
use rubric::ir::Policy;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(clap::Args)]
#[command(after_help = "Examples:
  rubric test examples/*.rubric
  rubric test --format junit examples/lending.rubric > junit.xml

Exit codes: 0 every test passed, 1 a test failed, 2 a policy could not be loaded.")]
pub struct Args {
    /// Policies whose tests to run.
    #[arg(required = true)]
    policies: Vec<PathBuf>,
    /// `human` (default) or `junit` (JUnit XML on standard output, for CI dashboards).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Junit,
}

pub fn run(args: Args) -> Outcome {
    let mut suites = Vec::new();
    for path in &args.policies {
        let mut sources = rubric::SourceMap::new();
        let Some(policy) = super::load::compile(&mut sources, path, &[])
            .ok()
            .and_then(|compiled| compiled.into_policy().ok())
            .map(|(policy, _)| policy)
        else {
            return Outcome::Failure;
        };
        let (reports, coverage) = run_tests(&policy);
        suites.push((path.display().to_string(), policy, reports, coverage));
    }
    let failed: usize = suites
        .iter()
        .map(|(_, _, r, _)| r.iter().filter(|t| !t.passed()).count())
        .sum();
    let total: usize = suites.iter().map(|(_, _, r, _)| r.len()).sum();
    match args.format {
        Format::Human => {
            for (path, policy, reports, coverage) in &suites {
                super::print_out(&human(path, policy, reports, coverage));
            }
            super::print_out(&format!("{} passed, {} failed\n", total - failed, failed));
        }
        Format::Junit => super::print_out(&junit(&suites)),
    }
    if failed > 0 {
        Outcome::Problems
    } else {
        Outcome::Success
    }
}

fn human(path: &str, policy: &Policy, reports: &[TestReport], coverage: &Coverage) -> String {
    let mut out = format!("{path}: {} test(s)\n", reports.len());
    for report in reports {
        if report.passed() {
            let _ = writeln!(out, "  ok    {}", report.name);
            continue;
        }
        let _ = writeln!(out, "  FAIL  {}", report.name);
        out.push_str(&failure_details(policy, report, "        "));
    }
    let names = |indices: &[usize], name: &dyn Fn(usize) -> Option<String>| -> String {
        indices
            .iter()
            .filter_map(|i| name(*i))
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rules = names(&coverage.rules_never_fired, &|i| {
        policy.rules.get(i).map(|r| r.name.clone())
    });
    let tiers = names(&coverage.tiers_never_reached, &|i| {
        policy.tiers.get(i).map(|t| t.name.clone())
    });
    let consequences = names(&coverage.consequences_never_applied, &|i| {
        policy.consequences.get(i).map(|c| c.name.clone())
    });
    for (what, list) in [
        ("rules no test fires", rules),
        ("tiers no test reaches", tiers),
        ("consequences no test applies", consequences),
    ] {
        if !list.is_empty() {
            let _ = writeln!(out, "  not covered: {what}: {list}");
        }
    }
    out
}

/// Expected vs actual for each failed expectation, then the rule contributions.
fn failure_details(policy: &Policy, report: &TestReport, indent: &str) -> String {
    let mut out = String::new();
    if let Some(error) = &report.error {
        let _ = writeln!(out, "{indent}the record could not be decided: {error}");
    }
    for f in &report.failures {
        let _ = writeln!(
            out,
            "{indent}{}: expected {}, got {}",
            f.what, f.expected, f.actual
        );
    }
    if let Some(d) = &report.decision {
        let parts: Vec<String> = d
            .fired
            .iter()
            .filter_map(|f| {
                policy
                    .rules
                    .get(f.rule)
                    .map(|r| format!("{} {}", r.name, signed(f.points)))
            })
            .collect();
        let start = policy.scale.start;
        let _ = writeln!(
            out,
            "{indent}score {} = start {start}{}{}",
            d.score,
            if parts.is_empty() {
                String::new()
            } else {
                format!(", {}", parts.join(", "))
            },
            if d.clamped() {
                format!(" (clamped from {})", d.unclamped)
            } else {
                String::new()
            }
        );
    }
    out
}

fn junit(suites: &[(String, Policy, Vec<TestReport>, Coverage)]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    for (path, policy, reports, _) in suites {
        let failures = reports.iter().filter(|r| !r.passed()).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\">",
            xml(path),
            reports.len()
        );
        for report in reports {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml(&policy.identity.name),
                xml(&report.name)
            );
            if report.passed() {
                out.push_str("/>\n");
            } else {
                let summary = report.failures.first().map_or_else(
                    || report.error.clone().unwrap_or_default(),
                    |f| format!("{}: expected {}, got {}", f.what, f.expected, f.actual),
                );
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>",
                    xml(&summary),
                    xml(&failure_details(policy, report, ""))
                );
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Escapes text for an XML attribute or element.
fn xml(text: &str) -> String {
    rubric::text::escape_markup(text)
}
