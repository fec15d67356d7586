//! The abstract syntax tree of one policy file, exactly as written.
//!
//! Nothing here is resolved or checked: names are plain [`Ident`]s and repeated or missing clauses
//! are kept as written so that the checker can report every problem. Every node carries a [`Span`];
//! equality ignores spans (see [`Node`]).

use crate::span::{Node, Span};
use rust_decimal::Decimal;

/// A name as written, with its location.
pub type Ident = Node<String>;
/// A quoted text as written (escapes already resolved).
pub type Text = Node<String>;
/// A numeric literal.
pub type Number = Node<Decimal>;

/// One parsed policy file: its declarations in source order. Each declaration's span is on its
/// [`Node`], so equality of files ignores where things were written.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyFile {
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Policy(Node<PolicyHeader>),
    Indicator(Node<Indicator>),
    Param(Node<Param>),
    Let(Node<Let>),
    Function(Node<Function>),
    Rule(Node<Rule>),
    Group(Node<Group>),
    Table(Node<Table>),
    Tier(Node<Tier>),
    Consequence(Node<Consequence>),
    Test(Node<Test>),
}

impl Item {
    pub fn span(&self) -> Span {
        match self {
            Item::Policy(x) => x.span,
            Item::Indicator(x) => x.span,
            Item::Param(x) => x.span,
            Item::Let(x) => x.span,
            Item::Function(x) => x.span,
            Item::Rule(x) => x.span,
            Item::Group(x) => x.span,
            Item::Table(x) => x.span,
            Item::Tier(x) => x.span,
            Item::Consequence(x) => x.span,
            Item::Test(x) => x.span,
        }
    }
}

/// `///` lines before a declaration, with the marker and one leading space removed.
pub type Docs = Vec<String>;

// -------------------------------------------------------------------------------------------------
// Header

#[derive(Clone, Debug, PartialEq)]
pub struct PolicyHeader {
    pub docs: Docs,
    pub name: Text,
    pub items: Vec<Node<HeaderItem>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum HeaderItem {
    Version(Text),
    Effective(Node<Date>),
    Scale {
        min: Number,
        max: Number,
        start: Option<Number>,
        /// `, higher is worse` (a scale of demerit points) or `, higher is better` (the default),
        /// as written.
        direction: Option<Node<Direction>>,
    },
    Rounding {
        decimals: Node<u32>,
        mode: Option<Node<RoundingMode>>,
    },
    Allow(Allow),
}

/// `allow W1005 because "…"`: a warning that is not reported for the declaration it stands in,
/// with the drafter's written reason (shown in the documentation).
#[derive(Clone, Debug, PartialEq)]
pub struct Allow {
    /// The code as written; the checker validates it.
    pub code: Ident,
    pub reason: Text,
}

/// A calendar date, validated by the parser.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// Ties away from zero (the usual school rounding).
    #[default]
    HalfUp,
    /// Ties to the even neighbour (banker's rounding).
    HalfEven,
    /// Ties toward zero.
    HalfDown,
    /// Always away from zero.
    Up,
    /// Always toward zero (truncation).
    Down,
}

impl RoundingMode {
    pub fn words(self) -> &'static str {
        match self {
            RoundingMode::HalfUp => "half up",
            RoundingMode::HalfEven => "half even",
            RoundingMode::HalfDown => "half down",
            RoundingMode::Up => "up",
            RoundingMode::Down => "down",
        }
    }
}

// -------------------------------------------------------------------------------------------------
// Indicators, params, derived values

#[derive(Clone, Debug, PartialEq)]
pub struct Indicator {
    pub docs: Docs,
    pub name: Ident,
    pub ty: Node<IndicatorType>,
    pub options: Vec<Node<IndicatorOption>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum IndicatorType {
    Boolean,
    /// A whole number that cannot be negative.
    Count(Option<Range>),
    Integer(Option<Range>),
    Decimal(Option<Range>),
    Enum(Vec<Ident>),
    Text,
}

/// A declared inclusive range `min to max`.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    pub min: Number,
    pub max: Number,
}

#[derive(Clone, Debug, PartialEq)]
pub enum IndicatorOption {
    Unit(Text),
    Source(Text),
    Protected,
    Required,
    /// `missing means <value>`
    MissingMeans(Literal),
    /// `missing means unknown`: rules that depend on the value do not fire.
    MissingUnknown,
    /// `invalid means missing`: an out-of-range value or an unknown member is treated as if the
    /// field were absent (the missing-value rule applies) instead of rejecting the record.
    InvalidMeansMissing,
    Direction(Direction),
    Allow(Allow),
}

/// `higher is worse` / `higher is better` (and the `lower …` forms, normalised).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    HigherIsWorse,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub docs: Docs,
    pub name: Ident,
    pub value: Number,
    /// A one-word unit (`points`) or a quoted one (`"km/h"`).
    pub unit: Option<Text>,
    pub allows: Vec<Node<Allow>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Let {
    pub docs: Docs,
    pub name: Ident,
    pub value: Expr,
    pub allows: Vec<Node<Allow>>,
}

/// `function instalment(amount: decimal, rate: decimal 0 to 1, months: count) = …`: a named,
/// pure formula of its arguments (and the params), called like `min(…)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub docs: Docs,
    pub name: Ident,
    pub args: Vec<Node<Argument>>,
    pub body: Expr,
    pub allows: Vec<Node<Allow>>,
}

/// One argument of a function: its name and the kind of value it takes.
#[derive(Clone, Debug, PartialEq)]
pub struct Argument {
    pub name: Ident,
    pub ty: Node<ArgumentType>,
}

/// The kinds of value an argument takes: an indicator's types, with a list named by the indicator
/// that declares it.
#[derive(Clone, Debug, PartialEq)]
pub enum ArgumentType {
    Boolean,
    Count(Option<Range>),
    Integer(Option<Range>),
    Decimal(Option<Range>),
    /// `one of employment`: a member of the list indicator `employment` declares.
    MemberOf(Ident),
    Text,
}

// -------------------------------------------------------------------------------------------------
// Rules

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub docs: Docs,
    pub name: Ident,
    pub title: Option<Text>,
    /// `by <name>`: a scorecard rule whose body is bins.
    pub by: Option<Ident>,
    pub items: Vec<Node<RuleItem>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RuleItem {
    When(Expr),
    Effect(Effect),
    Bin(Bin),
    Basis(Text),
    Reason(ReasonClause),
    Baseline(Number),
    Allow(Allow),
}

/// `reason "…"`, `reason R07 "…"` or `reason R07` (the text given by another rule with the code):
/// at least one of the two is written.
#[derive(Clone, Debug, PartialEq)]
pub struct ReasonClause {
    /// A reason code shared by the rules that give it (PMML's `reasonCode`).
    pub code: Option<Ident>,
    pub text: Option<Text>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verb {
    Add,
    Deduct,
}

/// `add|deduct <amount> [per <value>] [, at most <cap>] [, at least <cap>]`
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    pub verb: Node<Verb>,
    pub amount: Expr,
    pub per: Option<Expr>,
    pub caps: Vec<Node<Cap>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cap {
    pub kind: CapKind,
    pub value: Expr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapKind {
    AtMost,
    AtLeast,
}

/// One arm of a scorecard: `<pattern> => add|deduct <amount>`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bin {
    pub pattern: Node<BinPattern>,
    pub verb: Node<Verb>,
    pub amount: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub enum BinPattern {
    Missing,
    Otherwise,
    Values(Vec<Node<Interval>>),
}

/// A set of values on a line, used by bins (all forms) and tiers (all but `Exactly`).
#[derive(Clone, Debug, PartialEq)]
pub enum Interval {
    /// A single value: a number, an enum member, `yes`/`no`, or a text.
    Exactly(Literal),
    /// A range of numbers, each end included or not; `None` is unbounded (never both):
    ///
    /// | written | range |
    /// |---|---|
    /// | `[from] a to b` | `[a, b]` |
    /// | `from a below b` | `[a, b)` |
    /// | `above a to b` | `(a, b]` |
    /// | `above a below b` | `(a, b)` |
    /// | `at a and above` | `[a, ∞)` |
    /// | `above a` | `(a, ∞)` |
    /// | `below b` | `(-∞, b)` |
    /// | `at most b` | `(-∞, b]` |
    Range {
        lo: Option<RangeEnd>,
        hi: Option<RangeEnd>,
    },
}

/// One end of a range: its bound, and whether the bound itself is inside.
#[derive(Clone, Debug, PartialEq)]
pub struct RangeEnd {
    pub bound: Bound,
    pub inclusive: bool,
}

impl RangeEnd {
    pub fn new(bound: Bound, inclusive: bool) -> Self {
        RangeEnd { bound, inclusive }
    }
}

/// A number written in place, or the name of a param.
#[derive(Clone, Debug, PartialEq)]
pub enum Bound {
    Number(Number),
    Param(Ident),
}

impl Bound {
    pub fn span(&self) -> Span {
        match self {
            Bound::Number(n) => n.span,
            Bound::Param(p) => p.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub docs: Docs,
    pub name: Ident,
    pub title: Option<Text>,
    pub weight: Option<Expr>,
    /// `counts the highest` / `counts the lowest`: only one of the rules that apply counts.
    pub counts: Option<Node<Counts>>,
    pub rules: Vec<Node<Rule>>,
    pub allows: Vec<Node<Allow>>,
}

/// Which one of a group's rules that apply counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counts {
    /// The one with the most points (ties: the first written).
    Highest,
    /// The one with the fewest points (the largest deduction).
    Lowest,
}

// -------------------------------------------------------------------------------------------------
// Decision tables

/// `table name "title" { hit …  inputs …  outputs …  rows  otherwise => … }`. Clauses are kept as
/// written (repeated or missing ones are the checker's to report).
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub docs: Docs,
    pub name: Ident,
    pub title: Option<Text>,
    pub items: Vec<Node<TableItem>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TableItem {
    Hit(HitPolicy),
    Inputs(Vec<Ident>),
    Outputs(Vec<Node<Output>>),
    Row(TableRow),
    /// `otherwise => …`: the outputs when no row matches.
    Default(Vec<Literal>),
    Allow(Allow),
}

/// Which rows decide a table's outcome when several match (DMN's hit policies).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HitPolicy {
    /// At most one row matches any input (the checker proves it).
    Unique,
    /// The first matching row, in the order written.
    First,
    /// The matching row whose first output comes first in that output's list.
    Priority,
    /// Rows may overlap only where they give the same outputs (the checker proves it).
    Any,
    /// Every matching row, aggregated.
    Collect(Aggregate),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregate {
    Sum,
    Min,
    Max,
    /// How many rows match (rows give no outputs).
    Count,
}

/// A named output and its type (the indicator types).
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    pub name: Ident,
    pub ty: Node<IndicatorType>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TableRow {
    /// One condition per input, in the order of `inputs`.
    pub cells: Vec<Node<Cell>>,
    /// One value per output; empty in a `collect count` table.
    pub outputs: Vec<Literal>,
}

/// What a row requires of one input.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// `-`: any value, even an unknown one.
    Any,
    /// `missing`: only an unknown value.
    Missing,
    /// One value or range, or `[a, b, …]` (any of them).
    Values(Vec<Node<Interval>>),
}

// -------------------------------------------------------------------------------------------------
// Tiers and consequences

#[derive(Clone, Debug, PartialEq)]
pub struct Tier {
    pub docs: Docs,
    pub name: Ident,
    pub title: Option<Text>,
    pub bounds: Node<Interval>,
    pub allows: Vec<Node<Allow>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Consequence {
    pub docs: Docs,
    pub name: Ident,
    pub title: Option<Text>,
    pub items: Vec<Node<ConsequenceItem>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ConsequenceItem {
    Kind(ConsequenceKind),
    When(Expr),
    Lasts(Lasts),
    Notice(Duration),
    /// `notice <amount> <unit>` with the amount computed for each record.
    NoticeComputed(Length),
    Appeal(Text),
    Basis(Text),
    Allow(Allow),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsequenceKind {
    Sanction,
    Benefit,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Lasts {
    For(Duration),
    /// `indefinitely because "<justification>"`
    Indefinitely(Text),
    /// `lasts ban_months months`, `lasts (2 * offences) months`: computed for each record.
    Computed(Length),
    /// `lasts at least 6 months`: a minimum; after it the consequence goes on for as long as its
    /// condition still holds. The amount may be computed too.
    AtLeast(Length),
}

/// A length of time whose amount is an expression: a number, a param, or one over the record.
#[derive(Clone, Debug, PartialEq)]
pub struct Length {
    pub amount: Expr,
    pub unit: TimeUnit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Duration {
    pub amount: u32,
    pub unit: TimeUnit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Days,
    Weeks,
    Months,
    Years,
}

impl std::fmt::Display for Duration {
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

// -------------------------------------------------------------------------------------------------
// Tests

#[derive(Clone, Debug, PartialEq)]
pub struct Test {
    pub docs: Docs,
    pub name: Text,
    pub items: Vec<Node<TestItem>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TestItem {
    Given(Vec<Given>),
    Expect(Vec<Node<Expectation>>),
    Allow(Allow),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Given {
    pub name: Ident,
    /// `None` for `missing`.
    pub value: Option<Literal>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expectation {
    /// `score = 1010`, `tier = A`, `late_taxes = -40` (a rule's contribution).
    Equals(ExpectTarget, Literal),
    /// `no_air_travel`: the consequence applies.
    Present(Ident),
    /// `no no_air_travel`: the consequence does not apply.
    Absent(Ident),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExpectTarget {
    Score,
    Tier,
    Name(Ident),
}

// -------------------------------------------------------------------------------------------------
// Expressions

/// A literal value as written in a test, a missing-value rule or a bin.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Number(Number),
    Text(Text),
    Bool(Node<bool>),
    /// A bare name: an enum member or a tier (resolved by the checker from context).
    Name(Ident),
}

impl Literal {
    pub fn span(&self) -> Span {
        match self {
            Literal::Number(n) => n.span,
            Literal::Text(t) => t.span,
            Literal::Bool(b) => b.span,
            Literal::Name(n) => n.span,
        }
    }
}

pub type Expr = Node<ExprKind>;

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Number(Decimal),
    Text(String),
    Bool(bool),
    /// An indicator, param, derived value, enum member or tier name; resolved by the checker.
    Name(String),
    /// The policy's score (only meaningful in consequences).
    Score,
    /// The policy's tier (only meaningful in consequences).
    Tier,
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `x [not] in [a, b, c]`
    In {
        value: Box<Expr>,
        set: Vec<Expr>,
        negated: bool,
    },
    /// `x is [not] missing`
    IsMissing {
        value: Box<Expr>,
        negated: bool,
    },
    /// `min(…)`, `max(…)`, `clamp(x, lo, hi)`: the function name is checked later.
    Call {
        func: Ident,
        args: Vec<Expr>,
    },
    /// `if c1 then v1 else if c2 then v2 … else v`
    If {
        branches: Vec<(Expr, Expr)>,
        otherwise: Box<Expr>,
    },
    /// `<rule> applies`: the named rule fired (only in consequences).
    Applies(Ident),
    /// `points of <rule or group>`: a rule's contribution (0 when it did not fire) or a
    /// group's subtotal.
    PointsOf(Ident),
    /// `rules fired [in <group>]`: how many rules (of the group) fired.
    RulesFired(Option<Ident>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    /// `x ^ n`: `x` to the power of the whole number `n`.
    Pow,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Pow => "^",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
        }
    }

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        )
    }

    pub fn is_arithmetic(self) -> bool {
        matches!(
            self,
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Pow
        )
    }

    pub fn is_logical(self) -> bool {
        matches!(self, BinaryOp::And | BinaryOp::Or)
    }
}
