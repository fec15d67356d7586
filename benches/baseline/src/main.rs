//! The consumer-lending scorecard of `examples/lending.rubric`, written by hand: the program that
//! `rubric eval` is measured against (see `benches/compare.sh`).
//!
//! It is what a competent engineer would write without Rubric: each JSON line is deserialised
//! into a serde struct, the ranges are checked, the rules are plain Rust, and each decision is
//! written as one line in exactly the decision format of `rubric eval` (byte for byte, on valid
//! records). Buffered I/O, one thread.
//!
//! Numbers are exact. serde_json's `arbitrary_precision` feature hands every decimal over as its
//! text, which rust_decimal (`serde-with-arbitrary-precision`) parses: no value passes through
//! binary floating point. Whole-number fields are plain integers. Every scorecard gives whole
//! points and the start is whole, so the policy's rounding ("0 decimals, half up") never changes
//! a value and the score is summed in integers.
//!
//! Where it is stricter than `rubric eval` (never on the generated benchmark data): whole numbers
//! must be written as JSON integers (`42`, not `42.0` or `4.2e1`), `id` must be a text, and a
//! decimal with more than 28 significant digits is rounded by rust_decimal instead of rejected.
//! Its error messages are serde's, not Rubric's.
//!
//! Usage: `lending-baseline [--compact] [INPUT.jsonl]` (standard input when absent or `-`).
//! Decisions go to standard output, rejected records to standard error; the exit code is 1 when a
//! record was rejected, 2 when the input or output failed (or the arguments were wrong).
//!
//! `--compact` writes what `rubric eval --fields id,score,tier,consequences` writes, byte for
//! byte: `{"id":…,"score":…,"tier":…,"consequences":[…]}`, the id left out when the record has
//! none, as in the full decision. It does only the work those members need: the record is still
//! deserialised and range-checked in full (every field feeds the score, and an invalid record is
//! rejected either way), but no rule values, reasons or policy identity are built or written.

use rust_decimal::Decimal;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::cmp::Reverse;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

/// The policy text; decisions carry its SHA-256, as `rubric eval`'s do.
const POLICY_TEXT: &[u8] = include_bytes!("../../../examples/lending.rubric");

/// One loan application.
#[derive(Deserialize)]
struct Application {
    id: Option<String>,
    age: u32,
    annual_income: Decimal,
    debt_to_income: Decimal,
    months_at_address: u32,
    /// `None`: the applicant did not say.
    employment_status: Option<Employment>,
    delinquencies_24m: u64,
    /// `None`: no revolving credit at all ("thin file").
    credit_utilisation: Option<Decimal>,
    open_accounts: u32,
    has_bankruptcy: bool,
    loan_amount: Decimal,
}

#[derive(Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Employment {
    Permanent,
    Contract,
    SelfEmployed,
    Retired,
    Student,
    Unemployed,
}

impl Employment {
    fn json(self) -> &'static str {
        match self {
            Employment::Permanent => "\"permanent\"",
            Employment::Contract => "\"contract\"",
            Employment::SelfEmployed => "\"self_employed\"",
            Employment::Retired => "\"retired\"",
            Employment::Student => "\"student\"",
            Employment::Unemployed => "\"unemployed\"",
        }
    }
}

/// A small whole or decimal constant: `dec(5, 1)` is 0.5.
const fn dec(units: u32, scale: u32) -> Decimal {
    Decimal::from_parts(units, 0, 0, false, scale)
}

// Params of the policy.
const START: i32 = 300;
const SCORE_MIN: i32 = 300;
const SCORE_MAX: i32 = 850;
const MAX_LOAN_SHARE: Decimal = dec(5, 1);
const LARGE_LOAN_PENALTY: i32 = 40;
const STABLE_PROFILE_BONUS: i32 = 10;
const STABLE_MONTHS: u32 = 60;

impl Application {
    /// The declared ranges (counts cannot be negative: they are unsigned).
    fn check(&self) -> Result<(), String> {
        in_range("age", self.age, 18, 100)?;
        in_range(
            "annual_income",
            self.annual_income,
            dec(0, 0),
            dec(10_000_000, 0),
        )?;
        in_range(
            "debt_to_income",
            self.debt_to_income,
            dec(0, 0),
            dec(500, 0),
        )?;
        in_range("months_at_address", self.months_at_address, 0, 1200)?;
        if let Some(utilisation) = self.credit_utilisation {
            in_range("credit_utilisation", utilisation, dec(0, 0), dec(100, 0))?;
        }
        in_range("open_accounts", self.open_accounts, 0, 100)?;
        in_range(
            "loan_amount",
            self.loan_amount,
            dec(500, 0),
            dec(100_000, 0),
        )?;
        Ok(())
    }
}

fn in_range<T: PartialOrd + fmt::Display>(
    field: &str,
    value: T,
    min: T,
    max: T,
) -> Result<(), String> {
    if value < min || value > max {
        Err(format!(
            "`{field}`: {value} is outside the range {min} to {max}"
        ))
    } else {
        Ok(())
    }
}

/// The rules, in the order of the policy file (which is also the order of ties among reasons).
#[derive(Clone, Copy)]
enum Rule {
    AgeBand,
    IncomeBand,
    DebtBurden,
    ResidenceStability,
    Employment,
    PaymentHistory,
    Utilisation,
    AccountMix,
    Insolvency,
    LargeLoan,
    StableProfile,
}

const RULES: [Rule; 11] = [
    Rule::AgeBand,
    Rule::IncomeBand,
    Rule::DebtBurden,
    Rule::ResidenceStability,
    Rule::Employment,
    Rule::PaymentHistory,
    Rule::Utilisation,
    Rule::AccountMix,
    Rule::Insolvency,
    Rule::LargeLoan,
    Rule::StableProfile,
];

impl Rule {
    fn name(self) -> &'static str {
        match self {
            Rule::AgeBand => "age_band",
            Rule::IncomeBand => "income_band",
            Rule::DebtBurden => "debt_burden",
            Rule::ResidenceStability => "residence_stability",
            Rule::Employment => "employment",
            Rule::PaymentHistory => "payment_history",
            Rule::Utilisation => "utilisation",
            Rule::AccountMix => "account_mix",
            Rule::Insolvency => "insolvency",
            Rule::LargeLoan => "large_loan",
            Rule::StableProfile => "stable_profile",
        }
    }

    /// The text for adverse-decision notices.
    fn reason(self) -> &'static str {
        match self {
            Rule::AgeBand => "Limited length of adult financial history",
            Rule::IncomeBand => "Income is low for the credit requested",
            Rule::DebtBurden => "Too much of the income is already committed to debt repayments",
            Rule::ResidenceStability => "Short time at the current address",
            Rule::Employment => "Employment income is not secure",
            Rule::PaymentHistory => "Payments on credit accounts were missed in the past 24 months",
            Rule::Utilisation => "A high share of the available credit is in use",
            Rule::AccountMix => "Number of open credit accounts",
            Rule::Insolvency => "A bankruptcy or debt-relief order in the past six years",
            Rule::LargeLoan => "The amount requested is large compared with the income",
            Rule::StableProfile => {
                "No combination of permanent employment and a long-standing address"
            }
        }
    }

    /// The points an average applicant earns from the rule.
    fn baseline(self) -> Option<i32> {
        match self {
            Rule::AgeBand => Some(35),
            Rule::IncomeBand => Some(40),
            Rule::DebtBurden => Some(50),
            Rule::ResidenceStability => Some(25),
            Rule::Employment => Some(40),
            Rule::PaymentHistory => Some(70),
            Rule::Utilisation => Some(40),
            Rule::AccountMix => Some(25),
            Rule::Insolvency => Some(50),
            Rule::LargeLoan => Some(0),
            Rule::StableProfile => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tier {
    Prime,
    NearPrime,
    Subprime,
    Decline,
}

impl Tier {
    fn of(score: i32) -> Tier {
        match score {
            720.. => Tier::Prime,
            660.. => Tier::NearPrime,
            580.. => Tier::Subprime,
            _ => Tier::Decline,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Tier::Prime => "prime",
            Tier::NearPrime => "near_prime",
            Tier::Subprime => "subprime",
            Tier::Decline => "decline",
        }
    }

    /// The consequence the tier triggers, as its JSON object.
    fn consequence(self) -> Option<&'static str> {
        match self {
            Tier::Decline => Some(concat!(
                r#"{"consequence":"application_declined","kind":"sanction","lasts":"90 days","#,
                r#""notice":null,"appeal":"Customer complaints team, then the Financial Services Ombudsman","#,
                r#""basis":"Credit Policy CP-7, sec. 6; Consumer Credit Directive, art. 18"}"#
            )),
            Tier::Subprime => Some(concat!(
                r#"{"consequence":"risk_surcharge","kind":"sanction","lasts":"indefinitely","#,
                r#""notice":null,"appeal":"Customer complaints team, then the Financial Services Ombudsman","#,
                r#""basis":"Credit Policy CP-7, sec. 7 (risk-based pricing)"}"#
            )),
            Tier::Prime => Some(concat!(
                r#"{"consequence":"preferential_rate","kind":"benefit","lasts":"30 days","#,
                r#""notice":null,"appeal":"Customer complaints team","#,
                r#""basis":"Credit Policy CP-7, sec. 7 (risk-based pricing)"}"#
            )),
            Tier::NearPrime => None,
        }
    }
}

struct Decision {
    /// Each rule's points, indexed by `Rule as usize`; `None` when the rule did not fire.
    points: [Option<i32>; 11],
    /// The stable-profile rule could not be decided: the employment status is unknown.
    stable_profile_unknown: bool,
    affordable_amount: Decimal,
    unclamped: i32,
    score: i32,
    tier: Tier,
}

fn decide(a: &Application) -> Decision {
    let affordable_amount = MAX_LOAN_SHARE * a.annual_income;

    let age_band = match a.age {
        ..=24 => 20,
        25..=34 => 30,
        35..=49 => 40,
        50.. => 50,
    };
    let income = a.annual_income;
    let income_band = if income < dec(15_000, 0) {
        10
    } else if income < dec(30_000, 0) {
        30
    } else if income < dec(60_000, 0) {
        45
    } else {
        60
    };
    let dti = a.debt_to_income;
    let debt_burden = if dti < dec(20, 0) {
        80
    } else if dti < dec(35, 0) {
        60
    } else if dti < dec(50, 0) {
        30
    } else {
        0
    };
    let residence_stability = match a.months_at_address {
        0..=11 => 10,
        12..=35 => 20,
        36..=119 => 35,
        120.. => 45,
    };
    let employment = match a.employment_status {
        Some(Employment::Permanent) => 60,
        Some(Employment::Contract | Employment::SelfEmployed) => 40,
        Some(Employment::Retired) => 45,
        Some(Employment::Student) => 20,
        Some(Employment::Unemployed) => 5,
        None => 20,
    };
    let payment_history = match a.delinquencies_24m {
        0 => 90,
        1 => 45,
        2 => 15,
        3.. => 0,
    };
    let utilisation = match a.credit_utilisation {
        None => 25,
        Some(u) if u < dec(10, 0) => 60,
        Some(u) if u < dec(30, 0) => 50,
        Some(u) if u < dec(50, 0) => 35,
        Some(u) if u < dec(75, 0) => 15,
        Some(_) => 0,
    };
    let account_mix = match a.open_accounts {
        0 => 10,
        1..=3 => 25,
        4..=8 => 35,
        9.. => 20,
    };
    let insolvency = if a.has_bankruptcy { 0 } else { 60 };
    let large_loan = (a.loan_amount > affordable_amount).then_some(-LARGE_LOAN_PENALTY);
    // `months_at_address >= 60 and employment_status is permanent`, in three-valued logic: an
    // unknown employment status leaves the rule undecided unless the address already says no.
    let (stable_profile, stable_profile_unknown) = if a.months_at_address < STABLE_MONTHS {
        (None, false)
    } else {
        match a.employment_status {
            Some(Employment::Permanent) => (Some(STABLE_PROFILE_BONUS), false),
            Some(_) => (None, false),
            None => (None, true),
        }
    };

    let points = [
        Some(age_band),
        Some(income_band),
        Some(debt_burden),
        Some(residence_stability),
        Some(employment),
        Some(payment_history),
        Some(utilisation),
        Some(account_mix),
        Some(insolvency),
        large_loan,
        stable_profile,
    ];
    let unclamped = START + points.iter().flatten().sum::<i32>();
    let score = unclamped.clamp(SCORE_MIN, SCORE_MAX);
    Decision {
        points,
        stable_profile_unknown,
        affordable_amount,
        unclamped,
        score,
        tier: Tier::of(score),
    }
}

/// The score alone, for the compact mode: the same rules (every one of them adds to the score),
/// none of the decision's lists. What `decide` computes besides (the unclamped total, the unknown
/// flag) is a few integer operations that the optimiser drops once inlined here.
fn score(a: &Application) -> i32 {
    decide(a).score
}

/// A decimal as `rubric eval` writes it: in its shortest exact form (no trailing zeros), never
/// `-0`.
fn write_decimal(out: &mut impl Write, value: Decimal) -> io::Result<()> {
    if value.is_zero() {
        out.write_all(b"0")
    } else {
        write!(out, "{}", value.normalize())
    }
}

fn write_int(out: &mut impl Write, value: impl itoa::Integer) -> io::Result<()> {
    out.write_all(itoa::Buffer::new().format(value).as_bytes())
}

/// Writes one decision as a JSON line. Fixed text is written as it is, numbers with itoa.
fn write_decision(
    out: &mut impl Write,
    policy: &str,
    record: u64,
    a: &Application,
    d: &Decision,
) -> io::Result<()> {
    out.write_all(b"{\"record\":")?;
    write_int(out, record)?;
    if let Some(id) = &a.id {
        out.write_all(b",\"id\":")?;
        serde_json::to_writer(&mut *out, id)?;
    }
    out.write_all(b",\"policy\":")?;
    out.write_all(policy.as_bytes())?;
    out.write_all(b",\"score\":")?;
    write_int(out, d.score)?;
    out.write_all(b",\"tier\":\"")?;
    out.write_all(d.tier.name().as_bytes())?;
    if d.score == d.unclamped {
        out.write_all(b"\",\"clamped\":false")?;
    } else {
        out.write_all(b"\",\"clamped\":true,\"unclamped_score\":")?;
        write_int(out, d.unclamped)?;
    }

    out.write_all(b",\"rules\":[")?;
    let mut first = true;
    for rule in RULES {
        let Some(points) = d.points[rule as usize] else {
            continue;
        };
        if !first {
            out.write_all(b",")?;
        }
        first = false;
        out.write_all(b"{\"rule\":\"")?;
        out.write_all(rule.name().as_bytes())?;
        out.write_all(b"\",\"points\":")?;
        write_int(out, points)?;
        out.write_all(b",\"values\":{")?;
        write_values(out, rule, a, d)?;
        out.write_all(b"}}")?;
    }

    out.write_all(b"],\"unknown\":[")?;
    if d.stable_profile_unknown {
        out.write_all(b"\"stable_profile\"")?;
    }

    // Adverse contributions, worst first; the sort is stable, so ties keep the rules' order.
    let mut reasons = [(Rule::AgeBand, 0); 11];
    let mut count = 0;
    for rule in RULES {
        let points = d.points[rule as usize].unwrap_or(0);
        let below = rule
            .baseline()
            .map_or(-points, |baseline| baseline - points);
        if below > 0 {
            reasons[count] = (rule, below);
            count += 1;
        }
    }
    let reasons = &mut reasons[..count];
    reasons.sort_by_key(|&(_, below)| Reverse(below));
    out.write_all(b"],\"reasons\":[")?;
    for (i, (rule, below)) in reasons.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        out.write_all(b"{\"rule\":\"")?;
        out.write_all(rule.name().as_bytes())?;
        out.write_all(b"\",\"reason\":\"")?;
        out.write_all(rule.reason().as_bytes())?;
        out.write_all(b"\",\"points_below\":")?;
        write_int(out, *below)?;
        out.write_all(b"}")?;
    }

    out.write_all(b"],\"consequences\":[")?;
    if let Some(consequence) = d.tier.consequence() {
        out.write_all(consequence.as_bytes())?;
    }
    out.write_all(b"]}\n")
}

/// Writes one compact decision (`--fields id,score,tier,consequences`) as a JSON line.
fn write_compact(out: &mut impl Write, a: &Application, score: i32) -> io::Result<()> {
    let tier = Tier::of(score);
    if let Some(id) = &a.id {
        out.write_all(b"{\"id\":")?;
        serde_json::to_writer(&mut *out, id)?;
        out.write_all(b",\"score\":")?;
    } else {
        out.write_all(b"{\"score\":")?;
    }
    write_int(out, score)?;
    out.write_all(b",\"tier\":\"")?;
    out.write_all(tier.name().as_bytes())?;
    out.write_all(b"\",\"consequences\":[")?;
    if let Some(consequence) = tier.consequence() {
        out.write_all(consequence.as_bytes())?;
    }
    out.write_all(b"]}\n")
}

/// The values that made a rule fire, as the members of a JSON object.
fn write_values(out: &mut impl Write, rule: Rule, a: &Application, d: &Decision) -> io::Result<()> {
    let employment = |status: Option<Employment>| status.map_or("null", Employment::json);
    match rule {
        Rule::AgeBand => {
            out.write_all(b"\"age\":")?;
            write_int(out, a.age)
        }
        Rule::IncomeBand => {
            out.write_all(b"\"annual_income\":")?;
            write_decimal(out, a.annual_income)
        }
        Rule::DebtBurden => {
            out.write_all(b"\"debt_to_income\":")?;
            write_decimal(out, a.debt_to_income)
        }
        Rule::ResidenceStability => {
            out.write_all(b"\"months_at_address\":")?;
            write_int(out, a.months_at_address)
        }
        Rule::Employment => {
            out.write_all(b"\"employment_status\":")?;
            out.write_all(employment(a.employment_status).as_bytes())
        }
        Rule::PaymentHistory => {
            out.write_all(b"\"delinquencies_24m\":")?;
            write_int(out, a.delinquencies_24m)
        }
        Rule::Utilisation => {
            out.write_all(b"\"credit_utilisation\":")?;
            match a.credit_utilisation {
                Some(utilisation) => write_decimal(out, utilisation),
                None => out.write_all(b"null"),
            }
        }
        Rule::AccountMix => {
            out.write_all(b"\"open_accounts\":")?;
            write_int(out, a.open_accounts)
        }
        Rule::Insolvency => {
            out.write_all(b"\"has_bankruptcy\":")?;
            out.write_all(if a.has_bankruptcy { b"true" } else { b"false" })
        }
        Rule::LargeLoan => {
            out.write_all(b"\"loan_amount\":")?;
            write_decimal(out, a.loan_amount)?;
            out.write_all(b",\"affordable_amount\":")?;
            write_decimal(out, d.affordable_amount)
        }
        Rule::StableProfile => {
            out.write_all(b"\"months_at_address\":")?;
            write_int(out, a.months_at_address)?;
            out.write_all(b",\"employment_status\":")?;
            out.write_all(employment(a.employment_status).as_bytes())
        }
    }
}

/// The `"policy"` object of every decision.
fn policy_identity() -> String {
    let hash: String = Sha256::digest(POLICY_TEXT)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!(r#"{{"name":"Consumer Loan Scorecard","version":"3.4.0","hash":"{hash}"}}"#)
}

/// What each decision carries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The full decision of `rubric eval`.
    Full,
    /// `rubric eval --fields id,score,tier,consequences`.
    Compact,
}

/// Scores every record; returns how many were rejected.
fn run(input: &mut dyn BufRead, out: &mut impl Write, mode: Mode) -> io::Result<u64> {
    let policy = match mode {
        Mode::Full => policy_identity(),
        Mode::Compact => String::new(),
    };
    let mut line = Vec::with_capacity(1024);
    let (mut line_number, mut record, mut rejected) = (0u64, 0u64, 0u64);
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        line_number += 1;
        let text = line.trim_ascii();
        if text.is_empty() {
            continue;
        }
        record += 1;
        let application = serde_json::from_slice::<Application>(text)
            .map_err(|e| e.to_string())
            .and_then(|a| a.check().map(|()| a));
        match application {
            Ok(a) => match mode {
                Mode::Full => write_decision(out, &policy, record, &a, &decide(&a))?,
                Mode::Compact => write_compact(out, &a, score(&a))?,
            },
            Err(e) => {
                rejected += 1;
                eprintln!("rejected record {record} (line {line_number}): {e}");
            }
        }
    }
    out.flush()?;
    Ok(rejected)
}

fn main() -> ExitCode {
    let mut mode = Mode::Full;
    let mut path = None;
    for arg in std::env::args_os().skip(1) {
        if arg == "--compact" {
            mode = Mode::Compact;
        } else if arg.to_string_lossy().starts_with("--") || path.is_some() {
            eprintln!(
                "error: unexpected argument {}\nusage: lending-baseline [--compact] [INPUT.jsonl]",
                arg.to_string_lossy()
            );
            return ExitCode::from(2);
        } else {
            path = Some(arg);
        }
    }
    let path = path.filter(|p| p != "-");
    let mut input: Box<dyn BufRead> = match &path {
        Some(path) => match File::open(path) {
            Ok(file) => Box::new(BufReader::with_capacity(1 << 16, file)),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.to_string_lossy());
                return ExitCode::from(2);
            }
        },
        None => Box::new(BufReader::with_capacity(1 << 16, io::stdin().lock())),
    };
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match run(&mut input, &mut out, mode) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
