//! Builds the AST from pest's parse tree. Nothing from pest leaves this file and `grammar.rs`.
//!
//! The grammar guarantees the shape of every pair, so the walkers take children in order and treat
//! a missing child as a broken internal invariant (see [`Children::next`]).
//!
//! | file | builds |
//! |---|---|
//! | `mod.rs` | the file and its declarations |
//! | `exprs.rs` | expressions, with the depth limit |
//! | `tables.rs` | decision tables, and the types indicators and table outputs share |
//! | `functions.rs` | function declarations and their arguments |
//! | `durations.rs` | how long a consequence lasts, its notice |
//! | `tokens.rs` | names, numbers, texts, dates, literals |

mod durations;
mod exprs;
mod functions;
mod tables;
mod tokens;

pub use tokens::days_in_month;

use super::ast::*;
use super::err::SyntaxError;
use super::grammar::Rule;
use crate::diagnostics::Code;
use crate::span::{FileId, Node, Span};
use pest::iterators::Pair;
use std::collections::VecDeque;

/// The deepest nesting of an expression's parts accepted, as a reader counts it: a chain of one
/// operator's terms (`a + b + c`) is one level however long it is.
pub const MAX_EXPR_DEPTH: u32 = 200;

/// The most terms one chain (`a + b - c …`, `a and b and c …`) may have.
pub const MAX_CHAIN_TERMS: usize = 1_000;

/// The highest expression tree accepted (a chain of n terms is n - 1 operations inside one
/// another, a left-nested tree): bounds every later recursive pass over expressions — checking,
/// lowering, the interpreter (on worker threads with 2 MiB stacks), both backends and the
/// documentation — which recurse once per level of the tree. Measured on the release build, each
/// of them runs trees at least three times higher than this on its thread's default stack.
pub const MAX_EXPR_HEIGHT: u32 = 2_000;

type Result<T> = std::result::Result<T, SyntaxError>;

/// The meaningful children of one pair: punctuation dropped, keywords set aside as flags.
struct Children<'i> {
    items: VecDeque<Pair<'i, Rule>>,
    keywords: Vec<Rule>,
    parent: Rule,
}

impl<'i> Children<'i> {
    fn of(pair: Pair<'i, Rule>) -> Self {
        let parent = pair.as_rule();
        let mut items = VecDeque::new();
        let mut keywords = Vec::new();
        for child in pair.into_inner() {
            let rule = child.as_rule();
            if is_keyword(rule) {
                keywords.push(rule);
            } else if !is_punctuation(rule) {
                items.push_back(child);
            }
        }
        Children {
            items,
            keywords,
            parent,
        }
    }

    /// The next child. The grammar guarantees one exists wherever this is called.
    #[allow(clippy::panic)]
    fn next(&mut self) -> Pair<'i, Rule> {
        match self.items.pop_front() {
            Some(pair) => pair,
            None => panic!(
                "grammar invariant broken: `{:?}` has too few children",
                self.parent
            ),
        }
    }

    /// The next child if it is a `rule`.
    fn next_if(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        if self.items.front().map(|p| p.as_rule()) == Some(rule) {
            self.items.pop_front()
        } else {
            None
        }
    }

    fn has(&self, keyword: Rule) -> bool {
        self.keywords.contains(&keyword)
    }

    fn rest(self) -> impl Iterator<Item = Pair<'i, Rule>> {
        self.items.into_iter()
    }
}

/// `higher is worse` and `lower is better` are one direction, `higher is better` and `lower is
/// worse` the other (the children of an `opt_direction`).
fn direction(c: &Children<'_>) -> Direction {
    if c.has(Rule::K_HIGHER) == c.has(Rule::K_WORSE) {
        Direction::HigherIsWorse
    } else {
        Direction::HigherIsBetter
    }
}

fn is_punctuation(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::lbrace
            | Rule::rbrace
            | Rule::lbracket
            | Rule::rbracket
            | Rule::lparen
            | Rule::rparen
            | Rule::colon
            | Rule::comma
            | Rule::equals
            | Rule::arrow
            | Rule::EOI
    )
}

fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::K_POLICY
            | Rule::K_VERSION
            | Rule::K_EFFECTIVE
            | Rule::K_SCORE
            | Rule::K_TO
            | Rule::K_STARTING
            | Rule::K_AT
            | Rule::K_ROUND
            | Rule::K_DECIMALS
            | Rule::K_INDICATOR
            | Rule::K_BOOLEAN
            | Rule::K_COUNT
            | Rule::K_INTEGER
            | Rule::K_DECIMAL
            | Rule::K_ONE
            | Rule::K_OF
            | Rule::K_TEXT
            | Rule::K_UNIT
            | Rule::K_SOURCE
            | Rule::K_PROTECTED
            | Rule::K_REQUIRED
            | Rule::K_MISSING
            | Rule::K_MEANS
            | Rule::K_UNKNOWN
            | Rule::K_HIGHER
            | Rule::K_LOWER
            | Rule::K_WORSE
            | Rule::K_BETTER
            | Rule::K_PARAM
            | Rule::K_LET
            | Rule::K_FUNCTION
            | Rule::K_RULE
            | Rule::K_BY
            | Rule::K_WHEN
            | Rule::K_ADD
            | Rule::K_DEDUCT
            | Rule::K_PER
            | Rule::K_MOST
            | Rule::K_LEAST
            | Rule::K_BASIS
            | Rule::K_REASON
            | Rule::K_BASELINE
            | Rule::K_OTHERWISE
            | Rule::K_FROM
            | Rule::K_BELOW
            | Rule::K_AND
            | Rule::K_ABOVE
            | Rule::K_GROUP
            | Rule::K_WEIGHT
            | Rule::K_TIER
            | Rule::K_CONSEQUENCE
            | Rule::K_IS
            | Rule::K_A
            | Rule::K_SANCTION
            | Rule::K_BENEFIT
            | Rule::K_LASTS
            | Rule::K_INDEFINITELY
            | Rule::K_BECAUSE
            | Rule::K_NOTICE
            | Rule::K_APPEAL
            | Rule::K_TEST
            | Rule::K_GIVEN
            | Rule::K_EXPECT
            | Rule::K_NO
            | Rule::K_YES
            | Rule::K_TRUE
            | Rule::K_FALSE
            | Rule::K_IF
            | Rule::K_THEN
            | Rule::K_ELSE
            | Rule::K_OR
            | Rule::K_NOT
            | Rule::K_IN
            | Rule::K_APPLIES
            | Rule::K_TABLE
            | Rule::K_POINTS
            | Rule::K_COUNTS
            | Rule::K_THE
            | Rule::K_HIGHEST
            | Rule::K_LOWEST
            | Rule::K_RULES
            | Rule::K_FIRED
            | Rule::K_HIT
            | Rule::K_UNIQUE
            | Rule::K_FIRST
            | Rule::K_PRIORITY
            | Rule::K_ANY
            | Rule::K_COLLECT
            | Rule::K_SUM
            | Rule::K_MIN
            | Rule::K_MAX
            | Rule::K_INPUTS
            | Rule::K_OUTPUTS
            | Rule::K_ALLOW
    )
}

/// The start of a titled declaration (rule, group, tier, consequence), and the rest of its children.
struct Head<'i> {
    span: Span,
    c: Children<'i>,
    docs: Docs,
    name: Ident,
    title: Option<Text>,
}

/// Walks one file's parse tree.
pub(super) struct Builder {
    pub file: FileId,
}

impl Builder {
    /// The pair's span without the white space and comments pest leaves at its end (it skips
    /// them before trying an optional part that then does not match).
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        let trimmed = trim_trailing_trivia(pair.as_str());
        Span::new(self.file, s.start(), s.start() + trimmed.len())
    }

    pub fn file(&self, pair: Pair<'_, Rule>) -> Result<PolicyFile> {
        let mut items = Vec::new();
        for child in Children::of(pair).rest() {
            items.push(self.item(child)?);
        }
        Ok(PolicyFile { items })
    }

    fn item(&self, pair: Pair<'_, Rule>) -> Result<Item> {
        Ok(match pair.as_rule() {
            Rule::policy_decl => Item::Policy(self.policy(pair)?),
            Rule::indicator_decl => Item::Indicator(self.indicator(pair)?),
            Rule::param_decl => Item::Param(self.param(pair)?),
            Rule::let_decl => Item::Let(self.let_decl(pair)?),
            Rule::function_decl => Item::Function(self.function(pair)?),
            Rule::rule_decl => Item::Rule(self.rule(pair)?),
            Rule::group_decl => Item::Group(self.group(pair)?),
            Rule::table_decl => Item::Table(self.table(pair)?),
            Rule::tier_decl => Item::Tier(self.tier(pair)?),
            Rule::consequence_decl => Item::Consequence(self.consequence(pair)?),
            _ => Item::Test(self.test(pair)?),
        })
    }

    /// What a titled declaration starts with: its span, doc comments, name and optional title.
    fn head<'i>(&self, pair: Pair<'i, Rule>) -> Result<Head<'i>> {
        let span = self.span(&pair);
        let mut c = Children::of(pair);
        let docs = Self::docs(&mut c);
        let name = self.ident(c.next());
        let title = c
            .next_if(Rule::string)
            .map(|s| self.string(s))
            .transpose()?;
        Ok(Head {
            span,
            c,
            docs,
            name,
            title,
        })
    }

    fn docs(c: &mut Children<'_>) -> Docs {
        let mut docs = Vec::new();
        while let Some(doc) = c.next_if(Rule::doc) {
            let text = doc.as_str().trim_start_matches("///");
            let text = text.strip_prefix(' ').unwrap_or(text);
            docs.push(text.trim_end().to_string());
        }
        docs
    }

    // ---------------------------------------------------------------------------------------------
    // Header

    fn policy(&self, pair: Pair<'_, Rule>) -> Result<Node<PolicyHeader>> {
        let span = self.span(&pair);
        let mut c = Children::of(pair);
        let docs = Self::docs(&mut c);
        let name = self.string(c.next())?;
        let mut items = Vec::new();
        for item in c.rest() {
            let item_span = self.span(&item);
            let rule = item.as_rule();
            let mut ic = Children::of(item);
            let node = match rule {
                Rule::version_item => HeaderItem::Version(self.string(ic.next())?),
                Rule::effective_item => HeaderItem::Effective(self.date(ic.next())?),
                Rule::allow_clause => HeaderItem::Allow(self.allow_parts(ic)?),
                Rule::scale_item => HeaderItem::Scale {
                    min: self.number(ic.next())?,
                    max: self.number(ic.next())?,
                    start: ic
                        .next_if(Rule::signed_number)
                        .map(|p| self.number(p))
                        .transpose()?,
                    direction: ic.next_if(Rule::opt_direction).map(|d| {
                        let span = self.span(&d);
                        Node::new(direction(&Children::of(d)), span)
                    }),
                },
                _ => {
                    let decimals = ic.next();
                    let decimals_span = self.span(&decimals);
                    let value = decimals
                        .as_str()
                        .parse::<u32>()
                        .ok()
                        .filter(|d| *d <= 10)
                        .ok_or_else(|| {
                            SyntaxError::new(
                                Code::InvalidLiteral,
                                decimals_span,
                                "too many decimal places",
                                "at most 10 decimal places",
                            )
                            .with_help("scores can be rounded to between 0 and 10 decimal places")
                        })?;
                    let mode = ic.next_if(Rule::rounding_mode).map(|m| {
                        let mode_span = self.span(&m);
                        let inner = Children::of(m).next();
                        let mode = match inner.as_rule() {
                            Rule::mode_half_up => RoundingMode::HalfUp,
                            Rule::mode_half_even => RoundingMode::HalfEven,
                            Rule::mode_half_down => RoundingMode::HalfDown,
                            Rule::mode_up => RoundingMode::Up,
                            _ => RoundingMode::Down,
                        };
                        Node::new(mode, mode_span)
                    });
                    HeaderItem::Rounding {
                        decimals: Node::new(value, decimals_span),
                        mode,
                    }
                }
            };
            items.push(Node::new(node, item_span));
        }
        Ok(Node::new(PolicyHeader { docs, name, items }, span))
    }

    // ---------------------------------------------------------------------------------------------
    // Indicators, params, derived values

    fn indicator(&self, pair: Pair<'_, Rule>) -> Result<Node<Indicator>> {
        let span = self.span(&pair);
        let mut c = Children::of(pair);
        let docs = Self::docs(&mut c);
        let name = self.ident(c.next());
        let ty = self.indicator_type(c.next())?;
        let mut options = Vec::new();
        for option in c.rest() {
            let option_span = self.span(&option);
            let rule = option.as_rule();
            let mut oc = Children::of(option);
            let node = match rule {
                Rule::opt_unit => IndicatorOption::Unit(self.string(oc.next())?),
                Rule::opt_source => IndicatorOption::Source(self.string(oc.next())?),
                Rule::opt_protected => IndicatorOption::Protected,
                Rule::allow_clause => IndicatorOption::Allow(self.allow_parts(oc)?),
                Rule::opt_required => IndicatorOption::Required,
                Rule::opt_invalid => IndicatorOption::InvalidMeansMissing,
                Rule::opt_missing => match oc.next_if(Rule::literal) {
                    Some(lit) => IndicatorOption::MissingMeans(self.literal(lit)?),
                    None => IndicatorOption::MissingUnknown,
                },
                _ => IndicatorOption::Direction(direction(&oc)),
            };
            options.push(Node::new(node, option_span));
        }
        Ok(Node::new(
            Indicator {
                docs,
                name,
                ty,
                options,
            },
            span,
        ))
    }

    fn param(&self, pair: Pair<'_, Rule>) -> Result<Node<Param>> {
        let span = self.span(&pair);
        let mut c = Children::of(pair);
        let docs = Self::docs(&mut c);
        let name = self.ident(c.next());
        let value = self.number(c.next())?;
        let unit = match c.next_if(Rule::unit_word).map(|u| Children::of(u).next()) {
            Some(word) if word.as_rule() == Rule::string => Some(self.string(word)?),
            Some(word) => Some(self.ident(word)),
            None => None,
        };
        let allows = self.allows(c.rest())?;
        Ok(Node::new(
            Param {
                docs,
                name,
                value,
                unit,
                allows,
            },
            span,
        ))
    }

    fn let_decl(&self, pair: Pair<'_, Rule>) -> Result<Node<Let>> {
        let span = self.span(&pair);
        let mut c = Children::of(pair);
        let docs = Self::docs(&mut c);
        let name = self.ident(c.next());
        let value = self.expr(c.next())?;
        let allows = self.allows(c.rest())?;
        Ok(Node::new(
            Let {
                docs,
                name,
                value,
                allows,
            },
            span,
        ))
    }

    // ---------------------------------------------------------------------------------------------
    // Rules and groups

    fn rule(&self, pair: Pair<'_, Rule>) -> Result<Node<crate::syntax::ast::Rule>> {
        let Head {
            span,
            mut c,
            docs,
            name,
            title,
        } = self.head(pair)?;
        let by = c
            .next_if(Rule::by_clause)
            .map(|b| self.ident(Children::of(b).next()));
        let mut items = Vec::new();
        for item in c.rest() {
            let item_span = self.span(&item);
            let rule = item.as_rule();
            let node = match rule {
                Rule::when_clause => RuleItem::When(self.expr(Children::of(item).next())?),
                Rule::effect => RuleItem::Effect(self.effect(item)?),
                Rule::basis_clause => RuleItem::Basis(self.string(Children::of(item).next())?),
                Rule::reason_clause => {
                    let mut rc = Children::of(item);
                    let code = rc.next_if(Rule::reason_code).map(|c| self.ident(c));
                    let text = rc
                        .next_if(Rule::string)
                        .map(|t| self.string(t))
                        .transpose()?;
                    RuleItem::Reason(ReasonClause { code, text })
                }
                Rule::baseline_clause => {
                    RuleItem::Baseline(self.number(Children::of(item).next())?)
                }
                Rule::allow_clause => RuleItem::Allow(self.allow_parts(Children::of(item))?),
                _ => RuleItem::Bin(self.bin(item)?),
            };
            items.push(Node::new(node, item_span));
        }
        Ok(Node::new(
            crate::syntax::ast::Rule {
                docs,
                name,
                title,
                by,
                items,
            },
            span,
        ))
    }

    /// The `allow_clause` pairs that end a one-line declaration.
    fn allows<'i>(&self, pairs: impl Iterator<Item = Pair<'i, Rule>>) -> Result<Vec<Node<Allow>>> {
        pairs.map(|p| self.allow(p)).collect()
    }

    fn allow(&self, pair: Pair<'_, Rule>) -> Result<Node<Allow>> {
        let span = self.span(&pair);
        Ok(Node::new(self.allow_parts(Children::of(pair))?, span))
    }

    /// The code and reason of an `allow_clause` whose children are `c`.
    fn allow_parts(&self, mut c: Children<'_>) -> Result<Allow> {
        let code = self.ident(c.next());
        let reason = self.string(c.next())?;
        Ok(Allow { code, reason })
    }

    fn verb(&self, pair: Pair<'_, Rule>) -> Node<Verb> {
        let span = self.span(&pair);
        let verb = if pair.as_str().starts_with("add") {
            Verb::Add
        } else {
            Verb::Deduct
        };
        Node::new(verb, span)
    }

    fn effect(&self, pair: Pair<'_, Rule>) -> Result<Effect> {
        let mut c = Children::of(pair);
        let verb = self.verb(c.next());
        let amount = self.expr(c.next())?;
        let per = c
            .next_if(Rule::per_clause)
            .map(|p| self.expr(Children::of(p).next()))
            .transpose()?;
        let mut caps = Vec::new();
        for cap in c.rest() {
            let cap_span = self.span(&cap);
            let mut cc = Children::of(cap);
            let kind = if cc.has(Rule::K_MOST) {
                CapKind::AtMost
            } else {
                CapKind::AtLeast
            };
            let value = self.expr(cc.next())?;
            caps.push(Node::new(Cap { kind, value }, cap_span));
        }
        Ok(Effect {
            verb,
            amount,
            per,
            caps,
        })
    }

    fn bin(&self, pair: Pair<'_, Rule>) -> Result<Bin> {
        let mut c = Children::of(pair);
        let pattern_pair = c.next();
        let pattern_span = self.span(&pattern_pair);
        let pc = Children::of(pattern_pair);
        let pattern = if pc.has(Rule::K_MISSING) {
            BinPattern::Missing
        } else if pc.has(Rule::K_OTHERWISE) {
            BinPattern::Otherwise
        } else {
            let mut values = Vec::new();
            for interval in pc.rest() {
                values.push(self.interval(interval)?);
            }
            BinPattern::Values(values)
        };
        let verb = self.verb(c.next());
        let amount = self.expr(c.next())?;
        Ok(Bin {
            pattern: Node::new(pattern, pattern_span),
            verb,
            amount,
        })
    }

    /// An `interval` pair, or one of its alternatives directly (as in tiers).
    fn interval(&self, pair: Pair<'_, Rule>) -> Result<Node<Interval>> {
        let pair = if pair.as_rule() == Rule::interval {
            Children::of(pair).next()
        } else {
            pair
        };
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut c = Children::of(pair);
        let end = |bound, inclusive| Some(RangeEnd::new(bound, inclusive));
        let interval = match rule {
            Rule::iv_from_below | Rule::iv_between => {
                let lo = end(self.bound(c.next())?, true);
                let hi = end(self.bound(c.next())?, rule == Rule::iv_between);
                Interval::Range { lo, hi }
            }
            Rule::iv_above => {
                let below = c.has(Rule::K_BELOW);
                let lo = end(self.bound(c.next())?, false);
                let hi = match c.next_if(Rule::bound) {
                    Some(b) => end(self.bound(b)?, !below),
                    None => None,
                };
                Interval::Range { lo, hi }
            }
            Rule::iv_below | Rule::iv_at_most => Interval::Range {
                lo: None,
                hi: end(self.bound(c.next())?, rule == Rule::iv_at_most),
            },
            Rule::iv_at_above => Interval::Range {
                lo: end(self.bound(c.next())?, true),
                hi: None,
            },
            _ => Interval::Exactly(self.literal(c.next())?),
        };
        Ok(Node::new(interval, span))
    }

    fn bound(&self, pair: Pair<'_, Rule>) -> Result<Bound> {
        let inner = Children::of(pair).next();
        Ok(match inner.as_rule() {
            Rule::ident => Bound::Param(self.ident(inner)),
            _ => Bound::Number(self.number(inner)?),
        })
    }

    fn group(&self, pair: Pair<'_, Rule>) -> Result<Node<Group>> {
        let Head {
            span,
            mut c,
            docs,
            name,
            title,
        } = self.head(pair)?;
        let weight = c.next_if(Rule::expr).map(|e| self.expr(e)).transpose()?;
        let counts = c.next_if(Rule::group_counts).map(|p| {
            let span = self.span(&p);
            let highest = Children::of(p).has(Rule::K_HIGHEST);
            Node::new(
                if highest {
                    Counts::Highest
                } else {
                    Counts::Lowest
                },
                span,
            )
        });
        let mut rules = Vec::new();
        let mut allows = Vec::new();
        for item in c.rest() {
            if item.as_rule() == Rule::allow_clause {
                allows.push(self.allow(item)?);
            } else {
                rules.push(self.rule(item)?);
            }
        }
        Ok(Node::new(
            Group {
                docs,
                name,
                title,
                weight,
                counts,
                rules,
                allows,
            },
            span,
        ))
    }

    // ---------------------------------------------------------------------------------------------
    // Tiers and consequences

    fn tier(&self, pair: Pair<'_, Rule>) -> Result<Node<Tier>> {
        let Head {
            span,
            mut c,
            docs,
            name,
            title,
        } = self.head(pair)?;
        let bounds = self.interval(c.next())?;
        let allows = self.allows(c.rest())?;
        Ok(Node::new(
            Tier {
                docs,
                name,
                title,
                bounds,
                allows,
            },
            span,
        ))
    }

    fn consequence(&self, pair: Pair<'_, Rule>) -> Result<Node<Consequence>> {
        let Head {
            span,
            c,
            docs,
            name,
            title,
        } = self.head(pair)?;
        let mut items = Vec::new();
        for item in c.rest() {
            let item_span = self.span(&item);
            let rule = item.as_rule();
            let mut ic = Children::of(item);
            let node = match rule {
                Rule::kind_clause => ConsequenceItem::Kind(if ic.has(Rule::K_SANCTION) {
                    ConsequenceKind::Sanction
                } else {
                    ConsequenceKind::Benefit
                }),
                Rule::when_clause => ConsequenceItem::When(self.expr(ic.next())?),
                Rule::lasts_clause => ConsequenceItem::Lasts(self.lasts(ic.next())?),
                Rule::notice_clause => self.notice(ic.next())?,
                Rule::appeal_clause => ConsequenceItem::Appeal(self.string(ic.next())?),
                Rule::allow_clause => ConsequenceItem::Allow(self.allow_parts(ic)?),
                _ => ConsequenceItem::Basis(self.string(ic.next())?),
            };
            items.push(Node::new(node, item_span));
        }
        Ok(Node::new(
            Consequence {
                docs,
                name,
                title,
                items,
            },
            span,
        ))
    }

    fn duration(&self, pair: Pair<'_, Rule>) -> Result<Duration> {
        let mut c = Children::of(pair);
        let amount_pair = c.next();
        let amount_span = self.span(&amount_pair);
        let amount = amount_pair.as_str().parse::<u32>().map_err(|_| {
            SyntaxError::new(
                Code::InvalidLiteral,
                amount_span,
                "this duration is too long",
                "not a usable number",
            )
        })?;
        let unit = durations::time_unit(c.next().as_str());
        Ok(Duration { amount, unit })
    }

    // ---------------------------------------------------------------------------------------------
    // Tests

    fn test(&self, pair: Pair<'_, Rule>) -> Result<Node<Test>> {
        let span = self.span(&pair);
        let mut c = Children::of(pair);
        let docs = Self::docs(&mut c);
        let name = self.string(c.next())?;
        let mut items = Vec::new();
        for item in c.rest() {
            let item_span = self.span(&item);
            let node = if item.as_rule() == Rule::allow_clause {
                TestItem::Allow(self.allow_parts(Children::of(item))?)
            } else if item.as_rule() == Rule::given_clause {
                let mut givens = Vec::new();
                for given in Children::of(item).rest() {
                    let mut gc = Children::of(given);
                    let name = self.ident(gc.next());
                    let value = match gc.next_if(Rule::literal) {
                        Some(lit) => Some(self.literal(lit)?),
                        None => None,
                    };
                    givens.push(Given { name, value });
                }
                TestItem::Given(givens)
            } else {
                let mut expectations = Vec::new();
                for expectation in Children::of(item).rest() {
                    expectations.push(self.expectation(expectation)?);
                }
                TestItem::Expect(expectations)
            };
            items.push(Node::new(node, item_span));
        }
        Ok(Node::new(Test { docs, name, items }, span))
    }

    fn expectation(&self, pair: Pair<'_, Rule>) -> Result<Node<Expectation>> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut c = Children::of(pair);
        let expectation = match rule {
            Rule::expect_absent => Expectation::Absent(self.ident(c.next())),
            Rule::expect_present => Expectation::Present(self.ident(c.next())),
            _ => {
                let target_pair = c.next();
                let target = match target_pair.into_inner().next() {
                    Some(p) if p.as_rule() == Rule::ident => ExpectTarget::Name(self.ident(p)),
                    Some(p) if p.as_rule() == Rule::K_TIER => ExpectTarget::Tier,
                    _ => ExpectTarget::Score,
                };
                Expectation::Equals(target, self.literal(c.next())?)
            }
        };
        Ok(Node::new(expectation, span))
    }
}

/// `text` without trailing white space and `//` comments.
fn trim_trailing_trivia(text: &str) -> &str {
    let mut text = text.trim_end();
    loop {
        let line_start = text.rfind('\n').map_or(0, |i| i + 1);
        let line = text.get(line_start..).unwrap_or("");
        match comment_start(line) {
            Some(offset) => text = text.get(..line_start + offset).unwrap_or("").trim_end(),
            None => return text,
        }
    }
}

/// Where a `//` comment starts on a line, ignoring `//` inside quoted text.
fn comment_start(line: &str) -> Option<usize> {
    let mut in_text = false;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if in_text => escaped = true,
            b'"' => in_text = !in_text,
            b'/' if !in_text && bytes.get(i + 1) == Some(&b'/') => return Some(i),
            _ => {}
        }
    }
    None
}
