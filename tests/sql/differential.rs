//! The SQL backend against `rubric eval`: for each policy, records (generated ones, hostile ones
//! and the fixture's own) are written as one CSV file with a `record` column, scored by `rubric
//! eval`, loaded into the engine's input table (created by `--input-ddl`'s statement) and scored
//! by the generated query. Every decision must be byte-identical to `rubric eval`'s JSON line,
//! every rejected record must have `rubric eval`'s error kind, field and message, and rows in
//! must equal decisions plus errors.
//!
//! Records no SQL table can hold are left out before scoring (the engine's loader would refuse
//! the file, as `rubric eval` rejects the record): malformed lines, invalid UTF-8, a text in a
//! number or boolean column, a number written with an exponent or with more decimals than the
//! input table's columns hold, and NUL characters (PostgreSQL's texts cannot hold them).

use rubric::codegen::sql::{self, Dialect};
use rubric::ir::{InputKind, Policy};
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::engines::{self, Engine, Job, Rows};

/// A rejected record as `rubric eval` reports it: record, kind, field, message.
pub type RecordError = (u64, String, String, String);

/// A policy and its records, ready for one engine.
pub struct Prepared {
    pub name: String,
    pub job: Job,
    /// `rubric eval`'s decisions by record, and its errors: `(record, kind, field, message)`.
    pub decisions: HashMap<u64, String>,
    pub errors: Vec<RecordError>,
    pub records: usize,
}

/// The decimals the DuckDB and Spark input tables hold (`--input-decimals`' default).
const INPUT_DECIMALS: u32 = 6;

pub fn dialect(engine: Engine) -> Dialect {
    match engine {
        Engine::Postgres => Dialect::Postgres,
        Engine::DuckDb => Dialect::DuckDb,
        Engine::Spark => Dialect::Spark,
    }
}

fn rubric() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rubric"))
}

/// Records as cells, by column: `id`, then the policy's indicators.
type Record = Vec<Option<String>>;

/// A CSV file's records, the policy's columns picked by name (`None` for an unreadable record).
fn read_csv(policy: &Policy, bytes: &[u8]) -> Vec<Option<Record>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let Ok(header) = reader.byte_headers().cloned() else {
        return Vec::new();
    };
    let names: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    let column = |name: &str| names.iter().position(|n| n == name);
    let columns: Vec<Option<usize>> = std::iter::once(column("id"))
        .chain(policy.inputs.iter().map(|i| column(&i.name)))
        .collect();
    let mut out = Vec::new();
    for row in reader.byte_records() {
        let Ok(row) = row else {
            out.push(None);
            continue;
        };
        let mut record = Vec::new();
        let mut ok = row.len() == names.len();
        for c in &columns {
            let cell = c.and_then(|c| row.get(c)).unwrap_or(b"");
            match std::str::from_utf8(cell) {
                Ok("") => record.push(None),
                Ok(text) => record.push(Some(text.to_string())),
                Err(_) => ok = false,
            }
        }
        out.push(ok.then_some(record));
    }
    out
}

/// JSON lines' records (`None` for a line that is not a flat object of the policy's fields).
fn read_jsonl(policy: &Policy, bytes: &[u8]) -> Vec<Option<Record>> {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let fields: HashMap<String, Box<RawValue>> = serde_json::from_str(line).ok()?;
            let cell = |name: &str| -> Option<Option<String>> {
                let Some(raw) = fields.get(name) else {
                    return Some(None);
                };
                let raw = raw.get();
                match raw.as_bytes().first() {
                    Some(b'"') => serde_json::from_str::<String>(raw).ok().map(Some),
                    Some(b'{' | b'[') => None,
                    _ if raw == "null" => Some(None),
                    _ => Some(Some(raw.to_string())),
                }
            };
            let mut record = vec![cell("id")?];
            for input in &policy.inputs {
                record.push(cell(&input.name)?);
            }
            Some(record)
        })
        .collect()
}

/// Whether every cell is one the engine's input table can hold as `rubric eval` reads it.
fn loadable(policy: &Policy, record: &Record, engine: Engine) -> bool {
    let plain_number = |text: &str, decimals: Option<u32>| {
        let body = text.strip_prefix('-').unwrap_or(text);
        let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.bytes().all(|b| b.is_ascii_digit())
            && (body.contains('.') != fraction.is_empty())
            && whole.trim_start_matches('0').len() <= 29
            && decimals.is_none_or(|d| fraction.len() <= d as usize)
    };
    let decimals = (engine != Engine::Postgres).then_some(INPUT_DECIMALS);
    // DuckDB and Spark compute in 38 digits: the README states that a value of more than 15
    // integer digits in an indicator without a declared range may overflow there where
    // `rubric eval` computes it; such records are left out for them.
    let huge = |input: &rubric::ir::Input, text: &str| {
        engine != Engine::Postgres
            && (input.min.is_none() || input.max.is_none())
            && text
                .trim_start_matches('-')
                .split('.')
                .next()
                .is_some_and(|w| w.trim_start_matches('0').len() > 15)
    };
    policy
        .inputs
        .iter()
        .zip(record.iter().skip(1))
        .all(|(input, cell)| match (cell, &input.kind) {
            (None, _) => true,
            (Some(c), _) if c.contains('\0') => false,
            // The Spark runner reads U+0001 as its null marker (`runner.py`).
            (Some(c), _) if engine == Engine::Spark && c.contains('\u{1}') => false,
            (Some(c), InputKind::Bool) => c == "true" || c == "false",
            (Some(c), InputKind::Whole | InputKind::Decimal) => {
                plain_number(c, decimals) && !huge(input, c)
            }
            (Some(_), _) => true,
        })
        && record.first().is_none_or(|id| {
            id.as_ref().is_none_or(|t| {
                !(t.contains('\0') || engine == Engine::Spark && t.contains('\u{1}'))
            })
        })
}

/// Writes records under a header `record, id, <indicators>`, numbered from 1.
fn write_records(policy: &Policy, records: &[Record], path: &Path) -> Result<(), String> {
    let mut header = vec!["record", "id"];
    header.extend(policy.inputs.iter().map(|i| i.name.as_str()));
    let rows: Vec<Vec<Option<String>>> = records
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let mut row = vec![Some((k + 1).to_string())];
            row.extend(r.iter().cloned());
            row
        })
        .collect();
    engines::write_csv(path, &header, &rows)
}

/// `rubric eval`'s decisions and errors for a CSV file.
fn evaluate(
    policy_file: &Path,
    csv: &Path,
) -> Result<(HashMap<u64, String>, Vec<RecordError>), String> {
    let errors_file = csv.with_extension("errors.jsonl");
    let output = rubric()
        .arg("eval")
        .arg(policy_file)
        .arg(csv)
        .arg("--errors")
        .arg(&errors_file)
        .arg("--allow-rejects")
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!(
            "rubric eval failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let mut decisions = HashMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let record = value["record"]
            .as_u64()
            .ok_or("a decision without a record")?;
        decisions.insert(record, line.to_string());
    }
    let mut errors = Vec::new();
    let text = std::fs::read_to_string(&errors_file).unwrap_or_default();
    for line in text.lines() {
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let text = |k: &str| value[k].as_str().unwrap_or("").to_string();
        errors.push((
            value["record"].as_u64().unwrap_or(0),
            text("error"),
            text("field"),
            text("message"),
        ));
    }
    Ok((decisions, errors))
}

/// Whether `rubric eval` rejected a record for what a typed SQL column cannot hold at all.
fn unloadable_error(kind: &str, message: &str) -> bool {
    match kind {
        "malformed_record" | "invalid_utf8" => true,
        "wrong_type" => !message.starts_with("expected a whole number, found"),
        "overflow" => message.starts_with("the number "),
        _ => false,
    }
}

/// The most significant digits of any number in a JSON line (digits outside strings).
fn longest_number(line: &str) -> usize {
    let mut longest = 0;
    let mut in_string = false;
    let mut escaped = false;
    let mut digits = 0;
    let mut leading = true;
    for c in line.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '0' if leading => {}
            '0'..='9' => {
                leading = false;
                digits += 1;
                longest = longest.max(digits);
            }
            '.' | '-' => {}
            _ => {
                digits = 0;
                leading = true;
            }
        }
    }
    longest
}

/// Prepares one policy with its records for `engine`, in `dir`.
pub fn prepare(
    engine: Engine,
    name: &str,
    policy_file: &Path,
    policy: &Policy,
    inputs: &[(PathBuf, Vec<u8>)],
    dir: &Path,
) -> Result<Option<Prepared>, String> {
    let mut candidates: Vec<Record> = Vec::new();
    for (path, bytes) in inputs {
        let records = if path.extension().is_some_and(|e| e == "csv") {
            read_csv(policy, bytes)
        } else {
            read_jsonl(policy, bytes)
        };
        candidates.extend(records.into_iter().flatten());
    }
    candidates.retain(|r| loadable(policy, r, engine));
    let all = dir.join("all.csv");
    write_records(policy, &candidates, &all)?;
    let (first_decisions, errors) = evaluate(policy_file, &all)?;
    let mut refused: Vec<u64> = errors
        .iter()
        .filter(|(_, kind, _, message)| unloadable_error(kind, message))
        .map(|(r, ..)| *r)
        .collect();
    if engine != Engine::Postgres {
        // The README: DuckDB and Spark do not round a value to rust_decimal's 28 or 29
        // significant digits as PostgreSQL's query does, so decisions holding a number of more
        // than 20 significant digits are left out for them.
        refused.extend(
            first_decisions
                .iter()
                .filter(|(_, line)| longest_number(line) > 20)
                .map(|(r, _)| *r),
        );
    }
    let kept: Vec<Record> = candidates
        .into_iter()
        .enumerate()
        .filter(|(k, _)| !refused.contains(&(*k as u64 + 1)))
        .map(|(_, r)| r)
        .collect();
    let data = dir.join("input").join("input.csv");
    std::fs::create_dir_all(data.parent().unwrap_or(dir)).map_err(|e| e.to_string())?;
    write_records(policy, &kept, &data)?;
    let (decisions, errors) = evaluate(policy_file, &data)?;
    let mut options = sql::Options::new(dialect(engine));
    options.input_decimals = INPUT_DECIMALS;
    let ddl = sql::input_ddl(policy, &options).map_err(|e| e.to_string())?;
    let query = match sql::generate(policy, &options) {
        Ok(query) => query,
        Err(sql::CodegenError::Unsupported(why)) => {
            // Said, not hidden: the README lists what each engine cannot compute.
            eprintln!("{}: {name}: not generated ({why})", engine.name());
            return Ok(None);
        }
        Err(e) => return Err(e.to_string()),
    };
    Ok(Some(Prepared {
        name: name.to_string(),
        job: Job {
            ddl: strip(&ddl),
            csv: data,
            setup: Vec::new(),
            query: strip(&query),
        },
        decisions,
        errors,
        records: kept.len(),
    }))
}

/// A policy's job over a CSV file as it is (already in the input table's layout), with `rubric
/// eval`'s output on that same file.
pub fn prepare_file(
    engine: Engine,
    policy_file: &Path,
    policy: &Policy,
    csv: &Path,
) -> Result<Prepared, String> {
    let (decisions, errors) = evaluate(policy_file, csv)?;
    let options = sql::Options::new(dialect(engine));
    let ddl = sql::input_ddl(policy, &options).map_err(|e| e.to_string())?;
    let query = sql::generate(policy, &options).map_err(|e| e.to_string())?;
    Ok(Prepared {
        name: policy_file.display().to_string(),
        records: decisions.len() + errors.len(),
        job: Job {
            ddl: strip(&ddl),
            csv: csv.to_path_buf(),
            setup: Vec::new(),
            query: strip(&query),
        },
        decisions,
        errors,
    })
}

/// A statement without its comment lines and final semicolon (the runners take one statement).
fn strip(sql: &str) -> String {
    let body: Vec<&str> = sql.lines().filter(|l| !l.starts_with("--")).collect();
    body.join("\n").trim_end().trim_end_matches(';').to_string()
}

/// What differs between the engine's rows and `rubric eval`'s output, if anything.
pub fn compare(prepared: &Prepared, rows: &Rows) -> Result<(), String> {
    let column = |name: &str| {
        rows.columns
            .iter()
            .position(|c| c == name)
            .ok_or(format!("no column `{name}` in {:?}", rows.columns))
    };
    let (record, error, field, message, decision) = (
        column("record")?,
        column("error")?,
        column("field")?,
        column("message")?,
        column("decision")?,
    );
    let mut problems = Vec::new();
    if rows.rows.len() != prepared.records {
        problems.push(format!(
            "{} rows for {} records",
            rows.rows.len(),
            prepared.records
        ));
    }
    let mut errors = Vec::new();
    let mut decided = 0;
    for row in &rows.rows {
        let cell = |k: usize| row.get(k).cloned().flatten();
        let number: u64 = cell(record).and_then(|r| r.parse().ok()).unwrap_or(0);
        match (cell(error), cell(decision)) {
            (Some(kind), None) => errors.push((
                number,
                kind,
                cell(field).unwrap_or_default(),
                cell(message).unwrap_or_default(),
            )),
            (None, Some(text)) => {
                decided += 1;
                match prepared.decisions.get(&number) {
                    Some(expected) if *expected == text => {}
                    Some(expected) => {
                        // From a little before the first difference.
                        let at = expected
                            .bytes()
                            .zip(text.bytes())
                            .position(|(a, b)| a != b)
                            .unwrap_or(expected.len().min(text.len()));
                        let from = |s: &str| {
                            let start = (0..=at.saturating_sub(120))
                                .rev()
                                .find(|k| s.is_char_boundary(*k))
                                .unwrap_or(0);
                            s.get(start..)
                                .unwrap_or(s)
                                .chars()
                                .take(300)
                                .collect::<String>()
                        };
                        problems.push(format!(
                            "record {number}: the decision differs at byte {at}\n  eval: …{}\n  sql:  …{}",
                            from(expected),
                            from(&text)
                        ))
                    }
                    None => problems.push(format!(
                        "record {number}: a decision, but rubric eval rejects it\n  sql: {text}"
                    )),
                }
            }
            _ => problems.push(format!(
                "record {number}: both or neither of error and decision"
            )),
        }
    }
    if decided != prepared.decisions.len() {
        problems.push(format!(
            "{decided} decisions, rubric eval made {}",
            prepared.decisions.len()
        ));
    }
    errors.sort();
    let mut expected = prepared.errors.clone();
    expected.sort();
    for (e, g) in expected.iter().zip(&errors) {
        if e != g {
            problems.push(format!("error differs:\n  eval: {e:?}\n  sql:  {g:?}"));
        }
    }
    if expected.len() != errors.len() {
        problems.push(format!(
            "{} errors, rubric eval gave {}",
            errors.len(),
            expected.len()
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        problems.truncate(6);
        Err(format!("{}: {}", prepared.name, problems.join("\n")))
    }
}

/// The column form against `rubric eval`'s decisions: each decided row's score, tier, clamping,
/// reasons (`;`-joined codes or rule names) and consequences (`;`-joined names).
pub fn compare_columns(prepared: &Prepared, rows: &Rows) -> Result<(), String> {
    let column = |name: &str| {
        rows.columns
            .iter()
            .position(|c| c == name)
            .ok_or(format!("no column `{name}` in {:?}", rows.columns))
    };
    let at = [
        column("record")?,
        column("score")?,
        column("tier")?,
        column("clamped")?,
        column("reasons")?,
        column("consequences")?,
    ];
    if rows.rows.len() != prepared.records {
        return Err(format!(
            "{} rows for {} records",
            rows.rows.len(),
            prepared.records
        ));
    }
    for row in &rows.rows {
        let cell = |k: usize| row.get(k).cloned().flatten().unwrap_or_default();
        let record: u64 = cell(at[0]).parse().unwrap_or(0);
        let Some(line) = prepared.decisions.get(&record) else {
            continue;
        };
        let d: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        let names = |key: &str, field: &str| -> String {
            d[key]
                .as_array()
                .map(|items| {
                    items
                        .iter()
                        .map(|i| {
                            i.get("code")
                                .unwrap_or(&i[field])
                                .as_str()
                                .unwrap_or("")
                                .to_string()
                        })
                        .collect::<Vec<_>>()
                        .join(";")
                })
                .unwrap_or_default()
        };
        let score: rust_decimal::Decimal = cell(at[1])
            .parse()
            .map_err(|_| "a score that is not a number")?;
        let expected_score: rust_decimal::Decimal =
            d["score"].to_string().parse().map_err(|_| "no score")?;
        let tier = d["tier"].as_str().unwrap_or("").to_string();
        let clamped = d["clamped"].as_bool().unwrap_or(false).to_string();
        let got = (score, cell(at[2]), cell(at[3]), cell(at[4]), cell(at[5]));
        let expected = (
            expected_score,
            tier,
            clamped,
            names("reasons", "rule"),
            names("consequences", "consequence"),
        );
        if got != expected {
            return Err(format!(
                "record {record}: columns {got:?}, decision says {expected:?}"
            ));
        }
    }
    Ok(())
}
