//! What the checker knows about a policy: every declaration with its resolved properties, and how
//! every name written in an expression was resolved.
//!
//! Later stages (the IR above all) read this instead of resolving names again.

use crate::span::Span;
use crate::syntax::ast::{self, Date, Direction, RoundingMode};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The type of a value in an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    Number,
    Text,
    /// A member of the enum declared by the indicator with this index.
    Enum(usize),
    /// A member of the list declared by the table output with this index.
    Outcome(usize),
    /// The policy's tier.
    Tier,
    /// The expression had an error already reported; suppresses follow-on errors.
    Error,
}

/// A declared thing a name can refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Symbol {
    Indicator(usize),
    Param(usize),
    Let(usize),
    Rule(usize),
    Group(usize),
    Tier(usize),
    Consequence(usize),
    Table(usize),
    /// A table's output, by its index among all tables' outputs.
    Output(usize),
    Function(usize),
}

impl Symbol {
    /// The kind with its article: "an indicator", "a rule".
    pub fn a_kind(self) -> &'static str {
        match self {
            Symbol::Indicator(_) => "an indicator",
            Symbol::Param(_) => "a param",
            Symbol::Let(_) => "a derived value",
            Symbol::Rule(_) => "a rule",
            Symbol::Group(_) => "a group",
            Symbol::Tier(_) => "a tier",
            Symbol::Consequence(_) => "a consequence",
            Symbol::Table(_) => "a decision table",
            Symbol::Output(_) => "a table's output",
            Symbol::Function(_) => "a function",
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Symbol::Indicator(_) => "indicator",
            Symbol::Param(_) => "param",
            Symbol::Let(_) => "derived value",
            Symbol::Rule(_) => "rule",
            Symbol::Group(_) => "group",
            Symbol::Tier(_) => "tier",
            Symbol::Consequence(_) => "consequence",
            Symbol::Table(_) => "decision table",
            Symbol::Output(_) => "table output",
            Symbol::Function(_) => "function",
        }
    }
}

/// What a name occurrence in an expression, bin or bound resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resolved {
    Indicator(usize),
    Param(usize),
    Let(usize),
    Rule(usize),
    Tier(usize),
    /// A consequence, named in another's `when … applies`.
    Consequence(usize),
    /// Member `member` of the enum declared by indicator `indicator`.
    Member {
        indicator: usize,
        member: usize,
    },
    /// A table's output (by its index among all outputs).
    Output(usize),
    /// A group (in `points of …` and `rules fired in …`).
    Group(usize),
    /// Member `member` of the list declared by table output `output`.
    OutcomeMember {
        output: usize,
        member: usize,
    },
    /// The function called (the name before the brackets of a call).
    Function(usize),
    /// Argument `index` of function `function`, named in its body.
    Argument {
        function: usize,
        index: usize,
    },
}

/// The kind of value an indicator holds.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueKind {
    Bool,
    /// Whole numbers; `Count` also excludes negatives.
    Count,
    Integer,
    Decimal,
    Enum(Vec<String>),
    Text,
}

impl ValueKind {
    pub fn value_type(&self, indicator: usize) -> Type {
        match self {
            ValueKind::Bool => Type::Bool,
            ValueKind::Count | ValueKind::Integer | ValueKind::Decimal => Type::Number,
            ValueKind::Enum(_) => Type::Enum(indicator),
            ValueKind::Text => Type::Text,
        }
    }

    pub fn is_whole(&self) -> bool {
        matches!(self, ValueKind::Count | ValueKind::Integer)
    }

    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            ValueKind::Count | ValueKind::Integer | ValueKind::Decimal
        )
    }
}

/// A constant value (a default for a missing indicator, a test input).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    Number(Decimal),
    Text(String),
    /// Index into the indicator's enum members.
    Member(usize),
}

/// What happens when a record lacks an indicator.
#[derive(Clone, Debug, PartialEq)]
pub enum Missing {
    /// The record is rejected.
    Required,
    /// This value is used instead.
    Default(Value),
    /// The value is unknown: rules depending on it do not fire.
    Unknown,
}

#[derive(Clone, Debug)]
pub struct Header {
    pub name: String,
    pub docs: Vec<String>,
    pub version: Option<String>,
    pub effective: Option<Date>,
    pub min: Decimal,
    pub max: Decimal,
    pub start: Decimal,
    pub decimals: u32,
    pub rounding: RoundingMode,
    pub span: Span,
    /// Where the scale is written (the header's name when it is not).
    pub scale_span: Span,
    /// `score … , higher is worse`: a scale of demerit points, where every point counts against
    /// the person (a lower score is better).
    pub higher_is_worse: bool,
    /// Where the scale's direction is written, if it is.
    pub direction_span: Option<Span>,
}

/// What each written rounding mode means to the evaluators: the one mapping from the syntax's
/// modes to the runtime's, used by the range analysis and by lowering.
pub fn rounding(mode: RoundingMode) -> crate::runtime::arith::Rounding {
    use crate::runtime::arith::Rounding;
    match mode {
        RoundingMode::HalfUp => Rounding::HalfUp,
        RoundingMode::HalfEven => Rounding::HalfEven,
        RoundingMode::HalfDown => Rounding::HalfDown,
        RoundingMode::Up => Rounding::Up,
        RoundingMode::Down => Rounding::Down,
    }
}

impl Header {
    /// The smallest difference between two scores after rounding.
    pub fn step(&self) -> Decimal {
        Decimal::new(1, self.decimals)
    }
}

#[derive(Clone, Debug)]
pub struct IndicatorInfo<'a> {
    pub decl: &'a ast::Indicator,
    pub kind: ValueKind,
    /// Declared inclusive range; counts without one are `0 ..`.
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    pub missing: Missing,
    pub protected: bool,
    pub unit: Option<String>,
    pub source: Option<String>,
    pub direction: Option<Direction>,
    /// `invalid means missing`: an out-of-range value or unknown member counts as absent.
    pub invalid_as_missing: bool,
}

#[derive(Clone, Debug)]
pub struct ParamInfo<'a> {
    pub decl: &'a ast::Param,
    /// The value the policy runs with: the written one, or the `--set` override.
    pub value: Decimal,
    /// Where the `--set` argument that replaced the written value stands, if one did.
    pub overridden: Option<Span>,
}

#[derive(Clone, Debug)]
pub struct LetInfo<'a> {
    pub decl: &'a ast::Let,
    pub ty: Type,
    /// It reads what the rules did (the score, the tier, a rule's points), directly or through
    /// other values: it is computed after the rules, and no rule may read it.
    pub after_rules: bool,
}

/// A function: its arguments and the type of value it gives.
#[derive(Clone, Debug)]
pub struct FunctionInfo<'a> {
    pub decl: &'a ast::Function,
    pub args: Vec<ArgumentInfo>,
    /// The type of its body (an error when the body has one, or the function is recursive).
    pub result: Type,
    /// How large a call is once the functions it calls are written out: the parts of the body
    /// besides its arguments, and how often each argument appears (see `functions.rs`).
    pub size: u64,
    pub uses: Vec<u64>,
    /// How many levels deep its body nests once the functions it calls are written out, its
    /// arguments counted as nothing (a call nests this much more than its deepest argument).
    pub height: u64,
}

/// One argument of a function, resolved: its type, and for a number whether it is whole and the
/// range it must lie in (a count is at least 0).
#[derive(Clone, Debug)]
pub struct ArgumentInfo {
    pub name: String,
    pub span: Span,
    pub ty: Type,
    pub whole: bool,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
}

#[derive(Clone, Debug)]
pub struct RuleInfo<'a> {
    pub decl: &'a ast::Rule,
    pub group: Option<usize>,
    /// What a scorecard rule bins on.
    pub subject: Option<Resolved>,
}

#[derive(Clone, Debug)]
pub struct GroupInfo<'a> {
    pub decl: &'a ast::Group,
    /// The group's weight, evaluated (1 when none is written).
    pub weight: Decimal,
}

#[derive(Clone, Debug)]
pub struct TierInfo<'a> {
    pub decl: &'a ast::Tier,
    pub range: super::intervals::Interval,
}

/// A decision table, resolved: where each input comes from, each row's conditions and values.
#[derive(Clone, Debug)]
pub struct TableInfo<'a> {
    pub decl: &'a ast::Table,
    pub hit: ast::HitPolicy,
    pub inputs: Vec<TableInput>,
    /// The table's outputs, by index into [`Model::outputs`].
    pub outputs: Vec<usize>,
    pub rows: Vec<RowInfo>,
    /// `otherwise => …`: one value per output.
    pub default: Option<Vec<Value>>,
    pub default_span: Option<Span>,
    /// An input is computed after the rules (see [`LetInfo::after_rules`]): so is the table.
    pub after_rules: bool,
}

/// One input of a table: an indicator, a derived value or another table's output.
#[derive(Clone, Debug)]
pub struct TableInput {
    pub name: String,
    pub span: Span,
    /// What the name resolved to; meaningful only when `ty` is not `Type::Error` (a name that
    /// resolved to nothing a table can test was reported, and the policy is not lowered).
    pub source: Resolved,
    pub ty: Type,
}

#[derive(Clone, Debug)]
pub struct RowInfo {
    pub span: Span,
    /// One per input.
    pub cells: Vec<CellInfo>,
    /// One per output (none in a `collect count` table).
    pub values: Vec<Value>,
}

/// What a row requires of one input, resolved.
#[derive(Clone, Debug, PartialEq)]
pub enum CellInfo {
    Any,
    Missing,
    /// Any of these.
    Values(Vec<CellValue>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    /// A range of numbers (a single number is a closed point).
    Range(super::intervals::Interval),
    /// A yes/no, a member (of the input's list) or a text.
    Is(Value),
}

/// A table's output: a value the table gives, readable by name like a derived value.
#[derive(Clone, Debug)]
pub struct OutputInfo<'a> {
    pub table: usize,
    pub decl: &'a ast::Output,
    pub kind: ValueKind,
    /// The declared inclusive range of a numeric output.
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
}

impl OutputInfo<'_> {
    pub fn ty(&self, index: usize) -> Type {
        match self.kind {
            ValueKind::Enum(_) => Type::Outcome(index),
            _ => self.kind.value_type(0),
        }
    }
}

/// A value computed before the rules: a derived value or a decision table (which gives all its
/// outputs at once).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueNode {
    Let(usize),
    Table(usize),
}

#[derive(Clone, Debug)]
pub struct ConsequenceInfo<'a> {
    pub decl: &'a ast::Consequence,
}

/// A checked policy: the AST it came from, every declaration, and every name resolution.
#[derive(Debug)]
pub struct Model<'a> {
    pub ast: &'a ast::PolicyFile,
    pub header: Header,
    pub indicators: Vec<IndicatorInfo<'a>>,
    pub params: Vec<ParamInfo<'a>>,
    pub lets: Vec<LetInfo<'a>>,
    pub functions: Vec<FunctionInfo<'a>>,
    /// Derived values in an order where each comes after everything it uses.
    pub let_order: Vec<usize>,
    pub tables: Vec<TableInfo<'a>>,
    /// Every table's outputs, tables in source order.
    pub outputs: Vec<OutputInfo<'a>>,
    /// Derived values and tables in an order where each comes after everything it uses.
    pub value_order: Vec<ValueNode>,
    pub rules: Vec<RuleInfo<'a>>,
    pub groups: Vec<GroupInfo<'a>>,
    pub tiers: Vec<TierInfo<'a>>,
    pub consequences: Vec<ConsequenceInfo<'a>>,
    /// Consequences in an order where each comes after the ones whose `applies` it reads.
    pub consequence_order: Vec<usize>,
    pub tests: Vec<&'a ast::Test>,
    pub names: HashMap<String, (Symbol, Span)>,
    /// How each name occurrence was resolved, keyed by the occurrence's span.
    pub resolutions: HashMap<Span, Resolved>,
    /// The range analysis (`ranges/`); `None` when the policy has errors.
    pub analysis: Option<super::ranges::Analysis>,
    /// For each indicator with a direction, what the monotonicity check (`monotone.rs`) found.
    pub monotonicity: Vec<super::monotone::Monotonicity>,
    /// Every `allow … because …` clause, with what it suppressed (`suppress.rs`).
    pub suppressions: Vec<Suppression>,
    /// The reason codes rules give, in order of first use (`reasons.rs`).
    pub reason_codes: Vec<super::reasons::ReasonCode>,
}

/// One `allow CODE because "…"` clause.
#[derive(Clone, Debug, PartialEq)]
pub struct Suppression {
    /// The code as written (it may not be a valid code).
    pub code: String,
    pub reason: String,
    /// Where the clause is written.
    pub span: Span,
    /// The declaration it stands in, and that declaration's whole span.
    pub site: Site,
    pub site_span: Span,
    /// How many diagnostics it suppressed.
    pub suppressed: usize,
}

/// A declaration that can carry suppressions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Site {
    Header,
    Declaration(Symbol),
    Test(String),
}

impl Model<'_> {
    /// Whether a value is computed after the rules (a derived value or output that reads what the
    /// rules did).
    pub fn after_rules(&self, resolved: Resolved) -> bool {
        match resolved {
            Resolved::Let(l) => self.lets.get(l).is_some_and(|x| x.after_rules),
            Resolved::Output(o) => self
                .outputs
                .get(o)
                .and_then(|x| self.tables.get(x.table))
                .is_some_and(|t| t.after_rules),
            _ => false,
        }
    }

    pub fn lookup(&self, name: &str) -> Option<Symbol> {
        self.names.get(name).map(|(s, _)| *s)
    }

    /// The members of the list a value of this type is one of (an indicator's or an output's).
    pub fn members(&self, ty: Type) -> Option<&[String]> {
        let kind = match ty {
            Type::Enum(i) => &self.indicators.get(i)?.kind,
            Type::Outcome(o) => &self.outputs.get(o)?.kind,
            _ => return None,
        };
        match kind {
            ValueKind::Enum(members) => Some(members),
            _ => None,
        }
    }

    pub fn resolution(&self, span: Span) -> Option<Resolved> {
        self.resolutions.get(&span).copied()
    }

    /// A readable name for a type, for messages ("a number", "one of employment's values").
    pub fn describe_type(&self, ty: Type) -> String {
        match ty {
            Type::Bool => "a yes/no condition".to_string(),
            Type::Number => "a number".to_string(),
            Type::Text => "a text".to_string(),
            Type::Enum(i) => match self.indicators.get(i) {
                Some(ind) => format!("one of the values of `{}`", ind.decl.name.node),
                None => "a list value".to_string(),
            },
            Type::Outcome(o) => match self.outputs.get(o) {
                Some(out) => format!("one of the values of `{}`", out.decl.name.node),
                None => "a list value".to_string(),
            },
            Type::Tier => "a tier".to_string(),
            Type::Error => "an invalid value".to_string(),
        }
    }
}
