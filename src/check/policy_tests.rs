//! The policy's own `test` blocks: they must name real indicators, rules, tiers and consequences
//! with values of the right kind, so that `rubric test` only fails for real reasons.

use super::err::{duplicate_clause, CheckError};
use super::model::*;
use super::Checker;
use crate::diagnostics::Code;
use crate::span::Span;
use crate::syntax::ast::{ExpectTarget, Expectation, Literal, TestItem};
use std::collections::HashMap;

impl Checker<'_> {
    pub(super) fn policy_tests(&mut self) {
        let mut titles: HashMap<String, Span> = HashMap::new();
        for test in self.model.tests.clone() {
            if let Some(first) = titles.get(&test.name.node) {
                let first = *first;
                self.report(
                    CheckError::new(
                        Code::DuplicateName,
                        test.name.span,
                        format!("two tests have the title \"{}\"", test.name.node),
                        "second test with this title",
                    )
                    .with_secondary(first, "first test with this title")
                    .with_help(
                        "give each test its own title, so that a failure points at one test",
                    ),
                );
            } else {
                titles.insert(test.name.node.clone(), test.name.span);
            }
            let mut given: HashMap<usize, Span> = HashMap::new();
            let mut expectations = 0;
            for item in &test.items {
                match &item.node {
                    TestItem::Allow(_) => {}
                    TestItem::Given(pairs) => {
                        for pair in pairs {
                            let Some(index) = self.test_input(&pair.name) else {
                                continue;
                            };
                            if let Some(first) = given.get(&index) {
                                let first = *first;
                                self.report(duplicate_clause(
                                    &format!("a value for `{}`", pair.name.node),
                                    pair.name.span,
                                    first,
                                ));
                                continue;
                            }
                            given.insert(index, pair.name.span);
                            if let (Some(value), Some(info)) =
                                (&pair.value, self.model.indicators.get(index).cloned())
                            {
                                self.literal_for(index, &info, value, "the test's value");
                            }
                        }
                    }
                    TestItem::Expect(list) => {
                        for expectation in list {
                            expectations += 1;
                            self.expectation(&expectation.node);
                        }
                    }
                }
            }
            if expectations == 0 {
                self.report(
                    CheckError::new(
                        Code::EmptyTest,
                        test.name.span,
                        format!("test \"{}\" expects nothing", test.name.node),
                        "no `expect`",
                    )
                    .with_help("add a line such as `expect score = 1000, tier = A`"),
                );
            }
        }
    }

    /// The indicator a `given` names, reporting anything else.
    fn test_input(&mut self, name: &crate::syntax::ast::Ident) -> Option<usize> {
        match self.model.lookup(&name.node) {
            Some(Symbol::Indicator(i)) => {
                self.model
                    .resolutions
                    .insert(name.span, Resolved::Indicator(i));
                Some(i)
            }
            Some(other) => {
                self.report(
                    CheckError::new(
                        Code::WrongKindOfName,
                        name.span,
                        format!(
                            "a test gives values to indicators, but `{}` is {}",
                            name.node,
                            other.a_kind()
                        ),
                        other.a_kind().to_string(),
                    )
                    .with_help("only indicators are inputs; everything else is computed from them"),
                );
                None
            }
            None => {
                self.unknown(&name.node, name.span, |s| matches!(s, Symbol::Indicator(_)));
                None
            }
        }
    }

    fn expectation(&mut self, expectation: &Expectation) {
        match expectation {
            Expectation::Equals(ExpectTarget::Score, value) => {
                if !matches!(value, Literal::Number(_)) {
                    self.report(invalid(value.span(), "a test expects the score to be a number"));
                }
            }
            Expectation::Equals(ExpectTarget::Tier, value) => match value {
                Literal::Name(name) => match self.model.lookup(&name.node) {
                    Some(Symbol::Tier(t)) => {
                        self.model.resolutions.insert(name.span, Resolved::Tier(t));
                    }
                    Some(other) => self.report(invalid(name.span, &format!("`{}` is {}, not a tier", name.node, other.a_kind()))),
                    None => self.unknown(&name.node, name.span, |s| matches!(s, Symbol::Tier(_))),
                },
                other => self.report(invalid(other.span(), "a test expects the tier to be a tier's name")),
            },
            Expectation::Equals(ExpectTarget::Name(name), value) => match self.model.lookup(&name.node) {
                Some(Symbol::Rule(r)) => {
                    self.model.resolutions.insert(name.span, Resolved::Rule(r));
                    if !matches!(value, Literal::Number(_)) {
                        self.report(invalid(value.span(), &format!("the points of rule `{}` are a number", name.node)));
                    }
                }
                Some(Symbol::Let(l)) => {
                    self.model.resolutions.insert(name.span, Resolved::Let(l));
                    let ty = self.model.lets.get(l).map_or(Type::Error, |x| x.ty);
                    let unknown = matches!(value, Literal::Name(n) if n.node == "unknown")
                        && !self.model.members(ty).is_some_and(|m| m.iter().any(|m| m == "unknown"));
                    let fits = match (ty, value) {
                        _ if unknown => true,
                        (Type::Number, Literal::Number(_))
                        | (Type::Bool, Literal::Bool(_))
                        | (Type::Text, Literal::Text(_))
                        | (Type::Error, _) => true,
                        (Type::Enum(_) | Type::Outcome(_), _) => {
                            // Reported by the lookup when it is not a member.
                            !matches!(self.member_literal(ty, value), super::members::Lookup::NotWritten)
                        }
                        _ => false,
                    };
                    if !fits {
                        let expected = self.model.describe_type(ty);
                        self.report(invalid(
                            value.span(),
                            &format!("`{}` is {expected}", name.node),
                        ));
                    }
                }
                Some(Symbol::Output(o)) => {
                    self.model.resolutions.insert(name.span, Resolved::Output(o));
                    // `expect category = unknown`: the table had no outcome.
                    let unknown = matches!(value, Literal::Name(n) if n.node == "unknown")
                        && !self.model.outputs.get(o).is_some_and(|x| {
                            matches!(&x.kind, ValueKind::Enum(m) if m.iter().any(|m| m == "unknown"))
                        });
                    if !unknown {
                        let before = self.problems.len();
                        self.output_value(value, o);
                        for p in self.problems.iter_mut().skip(before) {
                            p.code = Code::InvalidTest;
                        }
                    }
                }
                Some(other) => self.report(
                    invalid(
                        name.span,
                        &format!("a test can expect the points of a rule or a table's output, but `{}` is {}", name.node, other.a_kind()),
                    )
                    .with_help("write `expect <rule> = <points>`, `expect <output> = <value>`, `expect <consequence>` or `expect no <consequence>`"),
                ),
                None => self.unknown(&name.node, name.span, |s| matches!(s, Symbol::Rule(_) | Symbol::Output(_))),
            },
            Expectation::Present(name) | Expectation::Absent(name) => match self.model.lookup(&name.node) {
                Some(Symbol::Consequence(_)) => {}
                Some(other) => self.report(
                    invalid(
                        name.span,
                        &format!("a test can expect a consequence to apply or not, but `{}` is {}", name.node, other.a_kind()),
                    )
                    .with_help("to expect a rule's points, write `expect <rule> = <points>`"),
                ),
                None => self.unknown(&name.node, name.span, |s| matches!(s, Symbol::Consequence(_))),
            },
        }
    }
}

fn invalid(span: Span, message: &str) -> CheckError {
    CheckError::new(
        Code::InvalidTest,
        span,
        message.to_string(),
        "does not fit the policy",
    )
}
