//! Tests of the generator: determinism, validity of every record, and coverage of the examples.

use super::*;
use crate::eval::{Id, Position, Record, RecordReader};
use crate::SourceMap;

const EXAMPLES: [&str; 3] = ["civic_trust", "driving_licence", "lending"];

fn example(name: &str) -> Policy {
    let path = format!("{}/examples/{name}.rubric", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    policy_from(&text)
}

fn policy_from(text: &str) -> Policy {
    let mut sources = SourceMap::new();
    let file = sources.add("policy.rubric", text);
    match crate::compile(&sources, file, &crate::Options::default()).into_policy() {
        Ok((policy, _)) => policy,
        Err(problems) => panic!("the policy does not compile: {problems:?}"),
    }
}

fn jsonl(policy: &Policy, records: u64, seed: u64) -> (Vec<u8>, Coverage) {
    let mut out = Vec::new();
    let coverage = generate(policy, records, seed, &mut out).unwrap();
    (out, coverage)
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes() {
    for name in EXAMPLES {
        let policy = example(name);
        let (a, coverage_a) = jsonl(&policy, 300, 7);
        let (b, coverage_b) = jsonl(&policy, 300, 7);
        assert_eq!(a, b, "{name}");
        assert_eq!(coverage_a, coverage_b, "{name}");
        let (c, _) = jsonl(&policy, 300, 8);
        assert_ne!(a, c, "{name}");
    }
}

#[test]
fn a_shorter_run_is_a_prefix_of_a_longer_one() {
    let policy = example("lending");
    let (short, _) = jsonl(&policy, 50, 3);
    let (long, _) = jsonl(&policy, 400, 3);
    assert!(long.starts_with(&short));
}

#[test]
fn every_record_validates_and_is_decided_as_counted() {
    for name in EXAMPLES {
        let policy = example(name);
        let (out, coverage) = jsonl(&policy, 500, 1);
        let reader = RecordReader::new(&policy, "id");
        let evaluator = Evaluator::new(&policy);
        let mut tiers = vec![0u64; policy.tiers.len()];
        let mut consequences = vec![0u64; policy.consequences.len()];
        let mut lines = 0u64;
        for (n, line) in out
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .enumerate()
        {
            lines += 1;
            let n = n as u64 + 1;
            let mut record = Record::default();
            let at = Position { record: n, line: n };
            if let Err(e) = reader.json(line, at, &mut record) {
                panic!("{name}: {e}: {}", String::from_utf8_lossy(line));
            }
            assert_eq!(
                record.id.as_ref().map(Id::as_str),
                Some(format!("r{n:06}").as_str())
            );
            let decision = evaluator.evaluate(&record.values).unwrap();
            tiers[decision.tier.unwrap()] += 1;
            for c in decision.consequences {
                consequences[c] += 1;
            }
        }
        assert_eq!(lines, 500);
        assert_eq!(coverage.records, 500);
        assert_eq!(coverage.undecided, 0);
        assert_eq!(coverage.no_tier, 0);
        let counted: Vec<u64> = coverage.tiers.iter().map(|(_, n)| *n).collect();
        assert_eq!(counted, tiers, "{name}");
        let counted: Vec<u64> = coverage.consequences.iter().map(|(_, n)| *n).collect();
        assert_eq!(counted, consequences, "{name}");
    }
}

#[test]
fn every_tier_and_consequence_of_the_examples_occurs_in_200_records() {
    for name in EXAMPLES {
        let policy = example(name);
        for seed in [1, 2, 3, 42, 1000] {
            let (_, coverage) = jsonl(&policy, 200, seed);
            assert!(coverage.is_complete(), "{name}, seed {seed}: {coverage}");
        }
    }
}

#[test]
fn fields_follow_the_declarations() {
    let policy = example("lending");
    let (out, _) = jsonl(&policy, 2000, 5);
    let text = String::from_utf8(out).unwrap();
    let mut absent_employment = 0;
    let mut zero_delinquencies = 0;
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        let object = value.as_object().unwrap();
        let keys: Vec<&str> = object.keys().map(String::as_str).collect();
        // serde_json sorts keys, so check order on the text: id first, then declaration order.
        assert!(line.starts_with("{\"id\":\"r"));
        let mut last = 0;
        for input in &policy.inputs {
            if let Some(at) = line.find(&format!("\"{}\":", input.name)) {
                assert!(at > last, "{line}");
                last = at;
            }
        }
        for required in ["age", "annual_income", "debt_to_income", "loan_amount"] {
            assert!(keys.contains(&required), "{line}");
        }
        if !keys.contains(&"employment_status") {
            absent_employment += 1;
        }
        let age = object["age"].as_i64().unwrap();
        assert!((18..=100).contains(&age));
        if object["delinquencies_24m"].as_i64() == Some(0) {
            zero_delinquencies += 1;
        }
        // Decimals have at most two places.
        let raw = line.split("\"debt_to_income\":").nth(1).unwrap();
        let number = raw.split([',', '}']).next().unwrap();
        assert!(
            number.split('.').nth(1).is_none_or(|f| f.len() <= 2),
            "{number}"
        );
    }
    // About 5% absent, and counts mostly 0.
    assert!(
        (40..=180).contains(&absent_employment),
        "{absent_employment}"
    );
    assert!(zero_delinquencies > 900, "{zero_delinquencies}");
}

#[test]
fn csv_has_the_same_records() {
    let policy = example("lending");
    let mut csv_out = Vec::new();
    let options = Options {
        records: 100,
        seed: 1,
        format: Format::Csv,
        record_numbers: false,
    };
    let coverage = generate_with(&policy, &options, &mut csv_out).unwrap();
    let (json_out, json_coverage) = jsonl(&policy, 100, 1);
    assert_eq!(coverage, json_coverage);
    let reader = RecordReader::new(&policy, "id");
    let mut csv = csv::Reader::from_reader(csv_out.as_slice());
    let columns = reader.columns(csv.byte_headers().unwrap()).unwrap();
    let json_lines: Vec<&[u8]> = json_out.split(|b| *b == b'\n').collect();
    for (n, row) in csv.byte_records().enumerate() {
        let at = Position {
            record: n as u64 + 1,
            line: n as u64 + 2,
        };
        let mut from_csv = Record::default();
        reader
            .csv(&columns, &row.unwrap(), at, &mut from_csv)
            .unwrap();
        let mut from_json = Record::default();
        reader.json(json_lines[n], at, &mut from_json).unwrap();
        assert_eq!(from_csv, from_json);
    }
}

#[test]
fn the_summary_names_what_was_not_reached() {
    // No record can reach `never`: only `r` takes the score to the top tier.
    let policy = policy_from(
        r#"policy "P" {
  version "1"
  effective 2027-01-01
  score 0 to 10 starting at 0
}
indicator flag: boolean
rule r "R" {
  when flag
  add 5
  basis "b"
  reason "r"
}
tier top at 5 and above
tier low below 5
consequence c "C" {
  is a benefit
  when tier is top
  lasts 1 month
  appeal "a"
  basis "b"
}
consequence never "Never" {
  is a benefit
  when tier is top and not r applies
  lasts 1 month
  appeal "a"
  basis "b"
}
"#,
    );
    let (_, coverage) = jsonl(&policy, 10, 1);
    assert_eq!(coverage.unreached(), ["consequence never"]);
    let line = coverage.to_string();
    assert!(line.contains("tiers 2/2"), "{line}");
    assert!(line.contains("consequences 1/2"), "{line}");
    assert!(line.ends_with("not reached: consequence never"), "{line}");
    assert!(!line.contains('\n'));

    let unreachable = Coverage {
        records: 3,
        tiers: vec![("a".into(), 3), ("b".into(), 0)],
        consequences: vec![("c".into(), 0)],
        ..Coverage::default()
    };
    assert_eq!(unreachable.unreached(), ["tier b", "consequence c"]);
    assert!(unreachable
        .to_string()
        .ends_with("not reached: tier b, consequence c"));
}

#[test]
fn a_policy_without_indicators_still_gets_records() {
    let policy = policy_from(
        r#"policy "P" {
  version "1"
  effective 2027-01-01
  score 0 to 10 starting at 3
}
tier only at 0 and above
"#,
    );
    let (out, coverage) = jsonl(&policy, 3, 1);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "{\"id\":\"r000001\"}\n{\"id\":\"r000002\"}\n{\"id\":\"r000003\"}\n"
    );
    assert!(coverage.is_complete());
}
