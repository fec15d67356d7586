//! Lowering consequences (their due-process facts, durations fixed or computed for each record)
//! and the policy's tests (input values and expectations).

use super::*;

impl Lowering<'_, '_> {
    pub(super) fn consequence(&self, decl: &ast::Consequence) -> Result<Consequence> {
        let mut kind = None;
        let mut condition = None;
        let mut lasts = None;
        let mut notice = None;
        let mut computed_notice = None;
        let mut appeal = None;
        let mut basis = None;
        for item in &decl.items {
            match &item.node {
                ConsequenceItem::Kind(k) => kind = Some(consequence_kind(*k)),
                ConsequenceItem::When(e) => condition = Some(self.expr(e)?),
                ConsequenceItem::Lasts(ast::Lasts::For(d)) => {
                    lasts = Some(Lasts::For(duration(*d)))
                }
                ConsequenceItem::Lasts(ast::Lasts::Indefinitely(why)) => {
                    lasts = Some(Lasts::Indefinitely {
                        because: why.node.clone(),
                    })
                }
                ConsequenceItem::Lasts(ast::Lasts::Computed(l)) => {
                    lasts = Some(self.computed_lasts(l, false)?)
                }
                ConsequenceItem::Lasts(ast::Lasts::AtLeast(l)) => {
                    lasts = Some(self.computed_lasts(l, true)?)
                }
                ConsequenceItem::Notice(d) => notice = Some(duration(*d)),
                ConsequenceItem::NoticeComputed(l) => match self.length(l)? {
                    Ok(d) => notice = Some(d),
                    Err(l) => computed_notice = Some(l),
                },
                ConsequenceItem::Appeal(t) => appeal = Some(t.node.clone()),
                ConsequenceItem::Basis(t) => basis = Some(t.node.clone()),
                ConsequenceItem::Allow(_) => {}
            }
        }
        let missing =
            |what: &str| internal(format!("consequence `{}` has no {what}", decl.name.node));
        Ok(Consequence {
            name: decl.name.node.clone(),
            title: decl.title.as_ref().map(|t| t.node.clone()),
            docs: decl.docs.clone(),
            kind: kind.ok_or_else(|| missing("kind"))?,
            condition: condition.ok_or_else(|| missing("condition"))?,
            lasts: lasts.ok_or_else(|| missing("duration"))?,
            notice,
            computed_notice,
            appeal,
            basis,
        })
    }

    /// A computed `lasts`: fixed when its amount is (a param, a written number), else computed
    /// for each record.
    pub(super) fn computed_lasts(&self, length: &ast::Length, at_least: bool) -> Result<Lasts> {
        Ok(match (self.length(length)?, at_least) {
            (Ok(d), false) => Lasts::For(d),
            (Ok(d), true) => Lasts::AtLeast(d),
            (Err(length), at_least) => Lasts::Computed { length, at_least },
        })
    }

    /// A written length as a fixed duration when its amount folds to a whole number that fits,
    /// or else as an expression.
    pub(super) fn length(
        &self,
        length: &ast::Length,
    ) -> Result<std::result::Result<Duration, Length>> {
        let amount = self.expr(&length.amount)?;
        let unit = time_unit(length.unit);
        let fixed = fold(&amount)
            .filter(|v| v.fract().is_zero())
            .and_then(|v| rust_decimal::prelude::ToPrimitive::to_u32(&v));
        Ok(match fixed {
            Some(amount) => Ok(Duration { amount, unit }),
            None => Err(Length { amount, unit }),
        })
    }

    pub(super) fn test(&self, test: &ast::Test) -> Result<Test> {
        let mut given = Vec::new();
        let mut expect = Vec::new();
        for item in &test.items {
            match &item.node {
                ast::TestItem::Allow(_) => {}
                ast::TestItem::Given(pairs) => {
                    for pair in pairs {
                        let input = match self.resolved(pair.name.span)? {
                            Resolved::Indicator(i) => i,
                            other => {
                                return Err(internal(format!("test input resolved to {other:?}")))
                            }
                        };
                        let value = pair.value.as_ref().map(|v| self.literal(v)).transpose()?;
                        given.push((input, value));
                    }
                }
                ast::TestItem::Expect(list) => {
                    for e in list {
                        expect.push(self.expectation(&e.node)?);
                    }
                }
            }
        }
        Ok(Test {
            name: test.name.node.clone(),
            given,
            expect,
        })
    }

    pub(super) fn expectation(&self, e: &ast::Expectation) -> Result<Expectation> {
        let number = |l: &Literal| match l {
            Literal::Number(n) => Ok(n.node),
            _ => Err(internal("expected a number in a test")),
        };
        Ok(match e {
            ast::Expectation::Equals(ast::ExpectTarget::Score, v) => Expectation::Score(number(v)?),
            ast::Expectation::Equals(ast::ExpectTarget::Tier, Literal::Name(n)) => {
                match self.resolved(n.span)? {
                    Resolved::Tier(t) => Expectation::Tier(t),
                    other => return Err(internal(format!("expected tier resolved to {other:?}"))),
                }
            }
            ast::Expectation::Equals(ast::ExpectTarget::Tier, _) => {
                return Err(internal("expected tier is not a name"))
            }
            ast::Expectation::Equals(ast::ExpectTarget::Name(n), v) => {
                match self.resolved(n.span)? {
                    Resolved::Rule(rule) => Expectation::Contribution {
                        rule,
                        points: number(v)?,
                    },
                    Resolved::Let(l) => Expectation::Derived {
                        derived: match self.reference(Resolved::Let(l))? {
                            Ref::Let(position) => position,
                            _ => return Err(internal("a derived value out of order")),
                        },
                        value: match v {
                            Literal::Name(m)
                                if m.node == "unknown"
                                    && self.model.resolution(m.span).is_none() =>
                            {
                                None
                            }
                            _ => Some(self.literal(v)?),
                        },
                    },
                    Resolved::Output(output) => Expectation::Outcome {
                        output,
                        value: match v {
                            Literal::Name(m) if m.node == "unknown" => None,
                            _ => Some(self.literal(v)?),
                        },
                    },
                    other => return Err(internal(format!("expected rule resolved to {other:?}"))),
                }
            }
            ast::Expectation::Present(n) | ast::Expectation::Absent(n) => {
                match self.model.lookup(&n.node) {
                    Some(Symbol::Consequence(c)) => Expectation::Applies {
                        consequence: c,
                        applies: matches!(e, ast::Expectation::Present(_)),
                    },
                    _ => return Err(internal(format!("`{}` is not a consequence", n.node))),
                }
            }
        })
    }

    pub(super) fn literal(&self, literal: &Literal) -> Result<Value> {
        Ok(match literal {
            Literal::Number(n) => Value::Number(n.node),
            Literal::Text(t) => match self.model.resolution(t.span) {
                None => Value::Text(t.node.clone()),
                Some(Resolved::Member { member, .. }) => Value::Member(index_u32(member)?),
                Some(r @ Resolved::OutcomeMember { .. }) => {
                    self.outcome_member(r)?.unwrap_or(Value::Bool(false))
                }
                Some(other) => return Err(quoted_member(&t.node, other)),
            },
            Literal::Bool(b) => Value::Bool(b.node),
            Literal::Name(n) => match self.resolved(n.span)? {
                Resolved::Member { member, .. } => Value::Member(index_u32(member)?),
                r @ Resolved::OutcomeMember { .. } => {
                    self.outcome_member(r)?.unwrap_or(Value::Bool(false))
                }
                other => {
                    return Err(internal(format!(
                        "value `{}` resolved to {other:?}",
                        n.node
                    )))
                }
            },
        })
    }
}

fn duration(d: ast::Duration) -> Duration {
    Duration {
        amount: d.amount,
        unit: time_unit(d.unit),
    }
}

fn time_unit(unit: ast::TimeUnit) -> TimeUnit {
    match unit {
        ast::TimeUnit::Days => TimeUnit::Days,
        ast::TimeUnit::Weeks => TimeUnit::Weeks,
        ast::TimeUnit::Months => TimeUnit::Months,
        ast::TimeUnit::Years => TimeUnit::Years,
    }
}

fn consequence_kind(kind: ast::ConsequenceKind) -> ConsequenceKind {
    match kind {
        ast::ConsequenceKind::Sanction => ConsequenceKind::Sanction,
        ast::ConsequenceKind::Benefit => ConsequenceKind::Benefit,
    }
}
