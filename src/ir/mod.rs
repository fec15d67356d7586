//! Stage 3, IR: the checked model lowered into one resolved form that every backend reads (the
//! interpreter, the generated Rust, the documentation).
//!
//! Names are replaced by indices, params are folded into constants (after any `--set` overrides),
//! derived values are in evaluation order, scorecard bins and caps are explicit, and the policy's
//! tests are lowered too. Nothing here refers back to the AST except the source order of rules: the
//! IR has its own types (dates, durations, consequence kinds; the rounding mode is the runtime's),
//! and lowering maps the AST's onto them.

mod err;
pub mod json;
mod lower;
mod table;
mod walk;

pub use err::LowerError;
pub use lower::lower;
pub use table::*;

use rust_decimal::Decimal;

/// How points and scores are rounded to the scale's decimals; the runtime's type, since every
/// evaluator (and the checker's range analysis) rounds through [`Rounding::strategy`].
pub use crate::runtime::arith::Rounding;

/// A policy ready to evaluate.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub identity: Identity,
    /// The header's doc comment, one entry per `///` line.
    pub docs: Vec<String>,
    pub scale: Scale,
    pub inputs: Vec<Input>,
    /// Derived values in evaluation order: each uses only inputs and earlier derived values.
    pub lets: Vec<Let>,
    /// Decision tables in source order.
    pub tables: Vec<Table>,
    /// Every table's outputs, tables in source order.
    pub outputs: Vec<Output>,
    /// The derived values and tables to compute before the rules, in order (each after what it
    /// reads).
    pub steps: Vec<Step>,
    /// The derived values and tables that read what the rules did (the score, the tier, a rule's
    /// points): computed in order once the score and tier are known, before the consequences.
    pub after_rules: Vec<Step>,
    /// Rules in source order (group members where they stand).
    pub rules: Vec<Rule>,
    /// The groups of which only one rule counts, in source order.
    pub picks: Vec<Pick>,
    pub tiers: Vec<Tier>,
    pub consequences: Vec<Consequence>,
    /// The consequences in the order to decide them: each after those whose `applies` its
    /// condition reads (decisions list them in source order).
    pub consequence_order: Vec<usize>,
    pub tests: Vec<Test>,
    pub params: Vec<Param>,
    /// Where the score can lie before clamping (from the checker's range analysis): every record's
    /// rounded total, before it is clamped to the scale, lies inside.
    pub reach: Reach,
}

/// A range of scores or points; `None` ends are unbounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reach {
    pub lo: Option<Decimal>,
    pub hi: Option<Decimal>,
}

/// What identifies a policy in every decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub version: String,
    pub effective: Option<Date>,
    /// SHA-256 of the policy's source text, in hex.
    pub content_hash: String,
    /// Params given other values for this run (`--set`), in declaration order.
    pub overrides: Vec<(String, Decimal)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scale {
    pub min: Decimal,
    pub max: Decimal,
    pub start: Decimal,
    pub decimals: u32,
    pub rounding: Rounding,
    /// A scale of demerit points (`higher is worse`): a contribution counts against the person by
    /// how far it is above its baseline (PMML's "points above"), not below it.
    pub higher_is_worse: bool,
}

/// A calendar date (a policy's `effective` date).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for Date {
    /// `2027-01-01`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A param's final value (documentation and `--set` read these; expressions use the folded value).
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    pub docs: Vec<String>,
    pub value: Decimal,
    pub unit: Option<String>,
}

/// An indicator: a field every record is validated against.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    pub name: String,
    pub docs: Vec<String>,
    pub kind: InputKind,
    /// Declared inclusive range (a count without one has `min = 0`).
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub missing: Missing,
    pub protected: bool,
    pub unit: Option<String>,
    /// `invalid means missing`: an out-of-range value or unknown member counts as absent.
    pub invalid_as_missing: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputKind {
    Bool,
    /// Whole numbers (counts and integers).
    Whole,
    Decimal,
    /// One of these members; values are member indices.
    Enum(Vec<String>),
    Text,
}

/// What a record without this field means.
#[derive(Clone, Debug, PartialEq)]
pub enum Missing {
    Required,
    Default(Value),
    Unknown,
}

/// A runtime value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Number(Decimal),
    Bool(bool),
    Text(String),
    /// A member of an enum input, by index.
    Member(u32),
    /// A tier, by index.
    Tier(u32),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Let {
    pub name: String,
    pub docs: Vec<String>,
    pub value: Expr,
    /// For a derived value that is a member of an enum: the input declaring the members.
    pub enum_of: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub name: String,
    pub title: Option<String>,
    pub docs: Vec<String>,
    pub group: Option<Group>,
    pub condition: Option<Expr>,
    pub effect: Effect,
    pub basis: Option<String>,
    /// The reason's text: the rule's own, or its reason code's.
    pub reason: Option<String>,
    /// The reason code it shares with other rules (`reason R07 "…"`): decisions give the code
    /// once, with the points of all its rules summed.
    pub reason_code: Option<String>,
    pub baseline: Option<Decimal>,
    /// Inputs and derived values the rule reads, in order of first use: reported in decisions as
    /// "the values that made it fire".
    pub reads: Vec<Ref>,
    /// The least and the most this rule can contribute to a score (after caps, group weight and
    /// rounding, counting "does not apply" as 0), from the checker's range analysis. `None`: no
    /// bound (the rule can deduct, or add, without limit).
    pub least: Option<Decimal>,
    pub most: Option<Decimal>,
}

impl Policy {
    /// Each rule's entry among a decision's reasons (`runtime::decision::Ranking::entries`): the
    /// first rule that gives the same reason code, or the rule itself.
    pub fn reason_entries(&self) -> Vec<usize> {
        self.rules
            .iter()
            .enumerate()
            .map(|(index, rule)| {
                rule.reason_code
                    .as_ref()
                    .and_then(|code| {
                        self.rules
                            .iter()
                            .position(|r| r.reason_code.as_ref() == Some(code))
                    })
                    .unwrap_or(index)
            })
            .collect()
    }

    /// Whether reasons are ranked the plain way (`runtime::decision::collect_reasons`): by points
    /// below the baselines, each rule a reason of its own.
    pub fn ranks_reasons_plainly(&self) -> bool {
        !self.scale.higher_is_worse
            && self
                .reason_entries()
                .iter()
                .enumerate()
                .all(|(index, entry)| index == *entry)
    }
}

/// A rule's group and the weight its points are multiplied by.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub name: String,
    pub title: Option<String>,
    pub weight: Decimal,
    /// `counts the highest` (`Some(true)`) or `the lowest` (`Some(false)`): only one of the
    /// group's rules that apply counts.
    pub counts_highest: Option<bool>,
}

/// A group of which only one rule that applies counts (see [`crate::runtime::decision::pick`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pick {
    /// The group's rules, in source order.
    pub rules: Vec<usize>,
    /// The one with the most points counts (else the one with the fewest).
    pub highest: bool,
}

/// An input or derived value, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ref {
    Input(usize),
    Let(usize),
    /// A table's output, by index into [`Policy::outputs`].
    Output(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// `add|deduct amount [per per] [, at most …] [, at least …]`
    Points(Points),
    /// A scorecard over `subject`.
    Bins {
        subject: Ref,
        arms: Vec<Arm>,
        /// Used when the subject is unknown.
        missing: Option<Box<Points>>,
        /// Used when no arm matches.
        otherwise: Option<Box<Points>>,
    },
}

/// An amount of points with its sign and caps. The caps bound the amount before the sign.
#[derive(Clone, Debug, PartialEq)]
pub struct Points {
    pub sign: Sign,
    pub amount: Expr,
    pub per: Option<Expr>,
    pub at_most: Option<Expr>,
    pub at_least: Option<Expr>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    Add,
    Deduct,
}

/// One scorecard arm: if the subject matches any pattern, these points apply.
#[derive(Clone, Debug, PartialEq)]
pub struct Arm {
    pub patterns: Vec<Pattern>,
    pub points: Points,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Pattern {
    Range(Range),
    Value(Value),
}

/// A numeric range; `None` ends are unbounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub lo: Option<Bound>,
    pub hi: Option<Bound>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bound {
    pub value: Decimal,
    pub inclusive: bool,
}

impl Range {
    pub fn contains(&self, v: Decimal) -> bool {
        use std::cmp::Ordering::*;
        let above = self.lo.is_none_or(|b| match compare(v, b.value) {
            Greater => true,
            Equal => b.inclusive,
            Less => false,
        });
        let below = self.hi.is_none_or(|b| match compare(v, b.value) {
            Less => true,
            Equal => b.inclusive,
            Greater => false,
        });
        above && below
    }
}

/// Compares two decimals, as `Decimal::cmp` does but faster (shared with generated evaluators).
pub use crate::runtime::arith::compare;

#[derive(Clone, Debug, PartialEq)]
pub struct Tier {
    pub name: String,
    pub title: Option<String>,
    pub docs: Vec<String>,
    pub range: Range,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Consequence {
    pub name: String,
    pub title: Option<String>,
    pub docs: Vec<String>,
    pub kind: ConsequenceKind,
    pub condition: Expr,
    pub lasts: Lasts,
    pub notice: Option<Duration>,
    /// A notice period computed for each record (`notice` is `None` then).
    pub computed_notice: Option<Length>,
    pub appeal: Option<String>,
    pub basis: Option<String>,
}

/// Whether a consequence takes something away or grants something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsequenceKind {
    Sanction,
    Benefit,
}

impl ConsequenceKind {
    /// The word for the kind, as written in decisions.
    pub fn word(self) -> &'static str {
        match self {
            ConsequenceKind::Sanction => "sanction",
            ConsequenceKind::Benefit => "benefit",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Lasts {
    For(Duration),
    Indefinitely {
        because: String,
    },
    /// `lasts at least 6 months`: a minimum; after it the consequence goes on for as long as its
    /// condition still holds.
    AtLeast(Duration),
    /// A duration computed for each record (`lasts (2 * offences) months`), a minimum or not.
    Computed {
        length: Length,
        at_least: bool,
    },
}

/// A length of time computed for each record: a whole number of at least 0 (the checker proves
/// it), in a unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Length {
    pub amount: Expr,
    pub unit: TimeUnit,
}

/// A length of time: how long a consequence lasts, how much notice it gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Duration {
    pub amount: u32,
    pub unit: TimeUnit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    Days,
    Weeks,
    Months,
    Years,
}

impl std::fmt::Display for Duration {
    /// `1 day`, `12 months`: as written in decisions.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match (self.unit, self.amount == 1) {
            (TimeUnit::Days, true) => "day",
            (TimeUnit::Days, false) => "days",
            (TimeUnit::Weeks, true) => "week",
            (TimeUnit::Weeks, false) => "weeks",
            (TimeUnit::Months, true) => "month",
            (TimeUnit::Months, false) => "months",
            (TimeUnit::Years, true) => "year",
            (TimeUnit::Years, false) => "years",
        };
        write!(f, "{} {}", self.amount, unit)
    }
}

/// An expression over inputs, derived values, and (in consequences) the outcome.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Const(Value),
    Read(Ref),
    Score,
    Tier,
    /// Whether the rule with this index fired.
    Applies(usize),
    /// The points the rule with this index contributed (0 when it did not fire).
    Points(usize),
    /// Whether the consequence with this index applies (decided before the one that reads it).
    ConsequenceApplies(usize),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Arith(Arith, Box<Expr>, Box<Expr>),
    /// Numeric comparison.
    Compare(Compare, Box<Expr>, Box<Expr>),
    /// Equality of any two values of the same type.
    Equal {
        negated: bool,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    In {
        negated: bool,
        value: Box<Expr>,
        set: Vec<Expr>,
    },
    IsMissing {
        negated: bool,
        what: Ref,
    },
    Min(Vec<Expr>),
    Max(Vec<Expr>),
    Clamp(Box<Expr>, Box<Expr>, Box<Expr>),
    If {
        branches: Vec<(Expr, Expr)>,
        otherwise: Box<Expr>,
    },
}

impl Expr {
    /// Pushes the direct subexpressions, left to right as written (so a depth-first walk visits
    /// names in order of first use).
    pub fn children<'e>(&'e self, out: &mut Vec<&'e Expr>) {
        match self {
            Expr::Const(_)
            | Expr::Read(_)
            | Expr::Score
            | Expr::Tier
            | Expr::Applies(_)
            | Expr::Points(_)
            | Expr::ConsequenceApplies(_)
            | Expr::IsMissing { .. } => {}
            Expr::Neg(x) | Expr::Not(x) => out.push(x),
            Expr::Arith(_, a, b) | Expr::Compare(_, a, b) | Expr::And(a, b) | Expr::Or(a, b) => {
                out.push(a);
                out.push(b);
            }
            Expr::Equal { lhs, rhs, .. } => {
                out.push(lhs);
                out.push(rhs);
            }
            Expr::In { value, set, .. } => {
                out.push(value);
                out.extend(set.iter());
            }
            Expr::Min(args) | Expr::Max(args) => out.extend(args.iter()),
            Expr::Clamp(x, lo, hi) => {
                out.push(x);
                out.push(lo);
                out.push(hi);
            }
            Expr::If {
                branches,
                otherwise,
            } => {
                for (c, v) in branches {
                    out.push(c);
                    out.push(v);
                }
                out.push(otherwise);
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    /// `x ^ n` (`runtime::arith::pow`).
    Pow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    Lt,
    Le,
    Gt,
    Ge,
}

/// A test from the policy, ready to run.
#[derive(Clone, Debug, PartialEq)]
pub struct Test {
    pub name: String,
    /// Input values by input index; `None` for an explicit `missing`. Inputs not listed are absent.
    pub given: Vec<(usize, Option<Value>)>,
    pub expect: Vec<Expectation>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expectation {
    Score(Decimal),
    Tier(usize),
    Contribution {
        rule: usize,
        points: Decimal,
    },
    /// A table's output has this value (`None`: unknown).
    Outcome {
        output: usize,
        value: Option<Value>,
    },
    /// A derived value (by index into [`Policy::lets`]) has this value (`None`: unknown).
    Derived {
        derived: usize,
        value: Option<Value>,
    },
    Applies {
        consequence: usize,
        applies: bool,
    },
}

/// Digits kept after the decimal point by `/`, so that every backend agrees on a division.
pub const DIVISION_DECIMALS: u32 = crate::runtime::arith::DIVISION_DECIMALS;

impl Policy {
    pub fn input_index(&self, name: &str) -> Option<usize> {
        self.inputs.iter().position(|i| i.name == name)
    }

    pub fn rule_index(&self, name: &str) -> Option<usize> {
        self.rules.iter().position(|r| r.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::compare;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    #[test]
    fn compare_agrees_with_decimal_cmp() {
        let values: Vec<Decimal> = [
            "0",
            "-0",
            "1",
            "-1",
            "22.5",
            "22.50",
            "40",
            "39.999",
            "-0.001",
            "1e-28",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "7.9228162514264337593543950335",
            "0.0000000000000000000000000001",
            "1000000000000000000000000000",
            "123456789012.3456789",
        ]
        .iter()
        .map(|s| {
            Decimal::from_str(s)
                .or_else(|_| Decimal::from_scientific(s))
                .unwrap()
        })
        .collect();
        for a in &values {
            for b in &values {
                assert_eq!(compare(*a, *b), a.cmp(b), "{a} vs {b}");
            }
        }
    }
}
