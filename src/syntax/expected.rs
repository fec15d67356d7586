//! Turns pest's "expected one of these grammar rules" into plain words for policy drafters.
//!
//! Grammar rule names never reach the user: every rule that can be expected has a phrase here, and
//! families of rules (the ways an expression can start, the operators, the declarations) collapse into
//! one phrase each.

use super::grammar::Rule;

/// What one expected rule means to a drafter.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Phrase {
    Declaration,
    Value,
    Operator,
    Word(&'static str),
}

fn phrase(rule: Rule) -> Option<Phrase> {
    use Phrase::*;
    Some(match rule {
        Rule::K_POLICY
        | Rule::K_INDICATOR
        | Rule::K_PARAM
        | Rule::K_LET
        | Rule::K_FUNCTION
        | Rule::K_RULE
        | Rule::K_GROUP
        | Rule::K_CONSEQUENCE
        | Rule::K_TEST
        | Rule::K_TABLE
        | Rule::table_decl
        | Rule::file
        | Rule::policy_decl
        | Rule::indicator_decl
        | Rule::param_decl
        | Rule::let_decl
        | Rule::function_decl
        | Rule::rule_decl
        | Rule::group_decl
        | Rule::tier_decl
        | Rule::consequence_decl
        | Rule::test_decl => Declaration,
        Rule::K_TIER
        | Rule::number
        | Rule::minus
        | Rule::lparen
        | Rule::K_IF
        | Rule::K_NOT
        | Rule::K_POINTS
        | Rule::points_of
        | Rule::K_RULES
        | Rule::rules_fired
        | Rule::named => Value,
        Rule::bool_lit | Rule::K_YES | Rule::K_NO | Rule::K_TRUE | Rule::K_FALSE => {
            Word("`yes` or `no`")
        }
        Rule::cmp_op
        | Rule::add_op
        | Rule::mul_op
        | Rule::K_OR
        | Rule::K_AND
        | Rule::K_IN
        | Rule::K_IS
        | Rule::in_test
        | Rule::is_test
        | Rule::K_APPLIES => Operator,
        Rule::expr
        | Rule::if_expr
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::cmp_expr
        | Rule::sum
        | Rule::product
        | Rule::unary => Value,
        Rule::ident | Rule::unit_word | Rule::by_clause => Word("a name"),
        Rule::signed_number | Rule::integer | Rule::bound => Word("a number"),
        Rule::string | Rule::string_body => Word("a quoted text"),
        Rule::date => Word("a date such as 2027-01-31"),
        Rule::literal | Rule::iv_exact => Word("a value"),
        Rule::EOI => Word("the end of the file"),
        Rule::lbrace => Word("`{`"),
        Rule::rbrace => Word("`}`"),
        Rule::lbracket => Word("`[`"),
        Rule::rbracket => Word("`]`"),
        Rule::rparen => Word("`)`"),
        Rule::colon => Word("`:`"),
        Rule::comma => Word("`,`"),
        Rule::equals => Word("`=`"),
        Rule::arrow => Word("`=>`"),
        Rule::K_VERSION | Rule::version_item => Word("`version`"),
        Rule::K_EFFECTIVE | Rule::effective_item => Word("`effective`"),
        Rule::K_SCORE | Rule::scale_item => Word("`score`"),
        Rule::K_ROUND | Rule::rounding_item => Word("`round`"),
        Rule::K_TO => Word("`to`"),
        Rule::K_STARTING => Word("`starting at`"),
        Rule::K_AT | Rule::cap | Rule::iv_at_above | Rule::iv_at_most => Word("`at`"),
        Rule::K_DECIMALS => Word("`decimals`"),
        Rule::rounding_mode
        | Rule::mode_half_up
        | Rule::mode_half_even
        | Rule::mode_half_down
        | Rule::mode_up
        | Rule::mode_down => {
            Word("a rounding mode (`half up`, `half even`, `half down`, `up` or `down`)")
        }
        Rule::K_BOOLEAN | Rule::type_boolean => Word("`boolean`"),
        Rule::K_COUNT | Rule::type_count => Word("`count`"),
        Rule::K_INTEGER | Rule::type_integer => Word("`integer`"),
        Rule::K_DECIMAL | Rule::type_decimal => Word("`decimal`"),
        Rule::K_ONE | Rule::type_enum => Word("`one of [...]`"),
        Rule::K_OF => Word("`of`"),
        Rule::enum_member => Word("a list member (a name or a quoted text)"),
        Rule::K_TEXT | Rule::type_text => Word("`text`"),
        Rule::type_range => Word("a range such as `0 to 10`"),
        Rule::K_UNIT | Rule::opt_unit => Word("`unit`"),
        Rule::K_SOURCE | Rule::opt_source => Word("`source`"),
        Rule::K_PROTECTED | Rule::opt_protected => Word("`protected`"),
        Rule::K_REQUIRED | Rule::opt_required => Word("`required`"),
        Rule::K_MISSING | Rule::opt_missing | Rule::given_missing => Word("`missing`"),
        Rule::K_MEANS => Word("`means`"),
        Rule::K_UNKNOWN => Word("`unknown`"),
        Rule::K_HIGHER | Rule::K_LOWER | Rule::opt_direction => {
            Word("`higher is …` or `lower is …`")
        }
        Rule::K_WORSE | Rule::K_BETTER => Word("`worse` or `better`"),
        Rule::K_BY => Word("`by`"),
        Rule::K_WHEN | Rule::when_clause => Word("`when`"),
        Rule::K_ADD | Rule::K_DEDUCT | Rule::verb | Rule::effect => Word("`add` or `deduct`"),
        Rule::K_PER | Rule::per_clause => Word("`per`"),
        Rule::K_MOST | Rule::K_LEAST => Word("`most` or `least`"),
        Rule::K_BASIS | Rule::basis_clause => Word("`basis`"),
        Rule::K_REASON | Rule::reason_clause => Word("`reason`"),
        Rule::reason_code => Word("a reason code such as `R07`"),
        Rule::K_BASELINE | Rule::baseline_clause => Word("`baseline`"),
        Rule::bin_arm | Rule::bin_pattern | Rule::interval => {
            Word("a bin such as `1 to 5 => add 10`")
        }
        Rule::K_OTHERWISE => Word("`otherwise`"),
        Rule::K_FROM | Rule::iv_from_below => Word("`from`"),
        Rule::K_BELOW | Rule::iv_below => Word("`below`"),
        Rule::iv_between => Word("a range such as `1 to 5`"),
        Rule::K_ABOVE | Rule::iv_above => Word("`above`"),
        Rule::K_WEIGHT => Word("`weight`"),
        Rule::K_A => Word("`a`"),
        Rule::kind_clause => Word("`is a sanction` or `is a benefit`"),
        Rule::K_SANCTION | Rule::K_BENEFIT => Word("`sanction` or `benefit`"),
        Rule::K_LASTS | Rule::lasts_clause => Word("`lasts`"),
        Rule::K_INDEFINITELY | Rule::indefinitely => Word("`indefinitely`"),
        Rule::K_BECAUSE => Word("`because`"),
        Rule::K_ALLOW | Rule::allow_clause => Word("`allow`"),
        Rule::diagnostic_code => Word("a diagnostic code such as `W1005`"),
        Rule::K_NOTICE | Rule::notice_clause => Word("`notice`"),
        Rule::K_APPEAL | Rule::appeal_clause => Word("`appeal`"),
        Rule::duration | Rule::computed_duration => Word("a duration such as `12 months`"),
        Rule::minimum_duration => Word("`at least`"),
        Rule::argument => Word("an argument such as `amount: decimal`"),
        Rule::type_member => Word("`one of …`"),
        Rule::time_unit => Word("`days`, `weeks`, `months` or `years`"),
        Rule::K_GIVEN | Rule::given_clause => Word("`given`"),
        Rule::K_EXPECT | Rule::expect_clause => Word("`expect`"),
        Rule::given_pair => Word("a value such as `late_payments = 2`"),
        Rule::expect_absent | Rule::expect_equals | Rule::expect_present | Rule::expect_target => {
            Word("an expectation such as `score = 1000`")
        }
        Rule::K_FIRED => Word("`fired`"),
        Rule::K_COUNTS | Rule::group_counts => Word("`counts the highest` or `counts the lowest`"),
        Rule::K_THE => Word("`the`"),
        Rule::K_HIGHEST | Rule::K_LOWEST => Word("`highest` or `lowest`"),
        Rule::K_HIT | Rule::hit_clause => Word("`hit`"),
        Rule::hit_unique
        | Rule::hit_first
        | Rule::hit_priority
        | Rule::hit_any
        | Rule::hit_collect
        | Rule::K_UNIQUE
        | Rule::K_FIRST
        | Rule::K_PRIORITY
        | Rule::K_ANY
        | Rule::K_COLLECT => {
            Word("a hit policy (`unique`, `first`, `priority`, `any` or `collect …`)")
        }
        Rule::agg_sum
        | Rule::agg_min
        | Rule::agg_max
        | Rule::agg_count
        | Rule::K_SUM
        | Rule::K_MIN
        | Rule::K_MAX => Word("`sum`, `min`, `max` or `count`"),
        Rule::K_INPUTS | Rule::inputs_clause => Word("`inputs`"),
        Rule::K_OUTPUTS | Rule::outputs_clause => Word("`outputs`"),
        Rule::output_decl => Word("an output such as `category: one of [LOW, HIGH]`"),
        Rule::table_row | Rule::row_cells | Rule::cell | Rule::cell_list => {
            Word("a row such as `no, below 100 => HIGH`")
        }
        Rule::cell_any => Word("`-`"),
        Rule::cell_missing => Word("`missing`"),
        Rule::row_outputs => Word("a value"),
        Rule::table_default => Word("`otherwise`"),
        Rule::K_THEN => Word("`then`"),
        Rule::K_ELSE => Word("`else`"),
        // Comments, white space and whole-declaration helpers say nothing useful on their own.
        _ => return None,
    })
}

/// The plain-words list of what was expected, for example "a number, a name or an expression".
pub fn describe(rules: &[Rule]) -> String {
    // Inside a group only a rule can start: "a declaration (`policy`, …, `group`, …)" would
    // suggest that any of them may stand there.
    let only_rules = rules.iter().all(|r| {
        phrase(*r) != Some(Phrase::Declaration) || matches!(r, Rule::rule_decl | Rule::K_RULE)
    });
    let mut phrases: Vec<Phrase> = rules
        .iter()
        .filter_map(|r| match r {
            Rule::rule_decl | Rule::K_RULE if only_rules => Some(Phrase::Word("`rule`")),
            _ => phrase(*r),
        })
        .collect();
    phrases.sort();
    phrases.dedup();
    let words: Vec<String> = phrases
        .iter()
        .map(|p| match p {
            Phrase::Declaration => {
                "a declaration (`policy`, `indicator`, `param`, `let`, `function`, `rule`, `group`, `tier`, `consequence` or `test`)".to_string()
            }
            Phrase::Value => "a number, a name or an expression".to_string(),
            Phrase::Operator => "an operator".to_string(),
            Phrase::Word(w) => (*w).to_string(),
        })
        .collect();
    crate::text::join_or(&words)
}

/// The keywords named in an expected-list (the words between backticks), for "did you mean".
pub fn keywords(described: &str) -> Vec<&str> {
    described
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| w.chars().all(|c| c.is_ascii_alphabetic()))
        .collect()
}
