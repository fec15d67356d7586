//! The stable diagnostic codes. A code, once published, keeps its meaning forever: new problems get
//! new codes. `E…` codes are errors, `W…` codes warnings.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $title:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed, for example `E0102`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The code's name as an identifier (`ScoreLeavesScale`), the SARIF rule name.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => stringify!($variant),)* }
            }

            /// A short title, used as the SARIF rule's short description and in
            /// `rubric explain --list`.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }

            /// The long explanation printed by `rubric explain`.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => include_str!(concat!("explain/", $code, ".md")),)* }
            }
        }
    };
}

codes! {
    SyntaxError = "E0001", "the text is not a valid policy";
    NestingTooDeep = "E0002", "expression nested too deeply";
    InvalidLiteral = "E0003", "invalid number, date or text";
    InvisibleCharacter = "E0004", "text with invisible control characters";

    MissingHeader = "E0100", "missing or repeated policy header";
    DuplicateName = "E0101", "name declared twice";
    UnknownName = "E0102", "unknown name";
    WrongKindOfName = "E0103", "name of the wrong kind";
    HeaderField = "E0104", "policy header incomplete";
    DuplicateClause = "E0105", "clause given twice";
    RuleShape = "E0106", "rule without a single effect";
    InvalidRange = "E0107", "empty or inconsistent range";
    ConflictingOptions = "E0108", "conflicting indicator options";
    InvalidMember = "E0109", "list member that is empty, has spaces at an end, or has control characters";

    TypeMismatch = "E0200", "wrong type of value";
    UnknownMember = "E0201", "not a member of the list";
    BadCall = "E0202", "unknown function or wrong number of arguments";
    OutOfContext = "E0203", "what the rules did, read by a rule";
    NotConstant = "E0204", "value must be fixed in the policy";
    NotWholeExponent = "E0205", "exponent that is not a whole number from -1000 to 1000";

    CyclicDerivedValue = "E0300", "derived values depend on each other in a cycle";
    CyclicConsequences = "E0301", "consequences depend on each other in a cycle";

    TiersOverlap = "E0400", "tiers overlap";
    TierGap = "E0401", "tiers leave part of the scale uncovered";
    BinsOverlap = "E0402", "scorecard bins overlap";
    BinsNotExhaustive = "E0403", "scorecard bins do not cover every value";

    MissingDuration = "E0500", "consequence without a duration";
    MissingKind = "E0501", "consequence is neither a sanction nor a benefit";
    MissingTrigger = "E0502", "consequence without a `when` condition";
    DurationNegative = "E0503", "computed duration that can be negative";
    DurationNotWhole = "E0504", "computed duration that can be a fraction";
    DurationUnknown = "E0505", "computed duration that can be unknown";

    InvalidTest = "E0700", "test does not fit the policy";

    ProtectedInfluence = "E0800", "protected attribute influences a decision";

    NotMonotone = "E1100", "the score improves as an indicator gets worse";
    BadSuppression = "E1200", "suppression of an error or of an unknown code";
    SuppressionWithoutReason = "E1201", "suppression without a reason";
    UnknownOverride = "E1300", "`--set` names no param of the policy";
    OverrideNotANumber = "E1301", "`--set` value that is not an exact number";
    TableShape = "E1400", "decision table without inputs or outputs, or a row of the wrong width";
    TableRowsOverlap = "E1401", "rows of a decision table overlap";
    TableNotExhaustive = "E1402", "decision table rows that leave inputs uncovered";
    HitPolicyMismatch = "E1403", "hit policy that does not fit the table's outputs";
    OutputValue = "E1404", "table value that does not fit its output";
    RecursiveFunction = "E1500", "functions that call themselves, directly or through others";
    ArgumentCount = "E1501", "function call with the wrong number of arguments";
    FunctionReadsRecord = "E1502", "function body that uses more than its arguments and params";
    ArgumentOutOfRange = "E1503", "argument that can lie outside its declared type";
    BadFunction = "E1504", "function or argument that cannot be declared so";
    FunctionTooLarge = "E1505", "function calls that grow too large once written out";
    ReasonCodeTexts = "E1600", "reason code given two different texts";
    ReasonCodeWithoutText = "E1601", "reason code that no rule gives a text";

    MissingAppeal = "W0500", "consequence without an appeal route";
    MissingConsequenceBasis = "W0501", "consequence without a basis";
    DurationCanBeZero = "W0502", "computed duration that can be 0";
    MissingRuleBasis = "W0600", "rule without a basis";
    MissingReason = "W0601", "rule without a reason";
    EmptyTest = "W0700", "test without expectations";
    UnusedIndicator = "W0900", "indicator never used";
    UnusedParam = "W0901", "param never used";
    UnusedDerived = "W0902", "derived value never used";
    UnusedTable = "W0903", "decision table whose outputs nothing reads";
    ScoreLeavesScale = "W1000", "the score can leave the scale";
    UnreachableTier = "W1001", "tier no score can reach";
    NeverTrue = "W1002", "condition that can never be true";
    AlwaysTrue = "W1003", "rule condition that is always true";
    DivisionByZero = "W1004", "division that can divide by zero";
    CapNeverBinds = "W1005", "cap that never changes the points";
    DecimalOverflow = "W1006", "arithmetic that can overflow the exact decimal range";
    MonotonicityUndecided = "W1100", "direction of an indicator could not be proved";
    NothingCountsAgainst = "W1101", "scale where higher is worse, but no rule can add points";
    UnusedSuppression = "W1200", "suppression that suppresses nothing";
    OverrideRepeated = "W1300", "`--set` given twice for one param";
    RowNeverMatches = "W1400", "table row that can never decide";
    TableTooLarge = "W1401", "decision table too large to prove complete";
    UnusedFunction = "W1500", "function never used";
    UnusedArgument = "W1501", "function argument its body never uses";
    RepeatedReason = "W1600", "the same reason text given as separate reasons";
}

impl Code {
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }

    /// Looks a code up by its printed form, case-insensitively.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
