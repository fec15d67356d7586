//! Rules, groups that count only one rule, the score, the tier and the reasons, as the
//! interpreter computes them (`eval/interp.rs`, `runtime/decision.rs`).

use super::bounds::Num;
use super::exprs::{all_known, Low};
use super::numeric::{self, first_error, only_when};
use super::program::{Sql, Ty, Val};
use super::{Gen, R};
use crate::codegen::CodegenError;
use crate::ir::{Arith, Effect, Expr, Pattern, Points, Range, Rule, Sign, Value};
use rust_decimal::Decimal;

/// What the rules did, as later expressions read it.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub score: Val,
    /// The tier's index, `NULL` when no tier holds the score.
    pub tier: Sql,
    /// Per rule: it applied and counts (`TRUE`/`FALSE`).
    pub counted: Vec<Sql>,
    /// Per rule: its points when it counts, else 0.
    pub points: Vec<Val>,
}

/// Per rule, what the decision reports.
pub struct Rules {
    /// Applied (`TRUE`), did not (`FALSE`), or unknown (`NULL`).
    pub fired: Vec<Sql>,
    /// Its points, when it applied.
    pub points: Vec<Val>,
    pub counted: Vec<Sql>,
    /// Applied but another rule of its group counts instead.
    pub not_counted: Vec<Option<Sql>>,
    pub unclamped: Val,
    pub score: Val,
    /// The reasons, one per entry (a rule, or a shared reason code's first rule): how far the
    /// points count against the person (`> 0` when it is a reason), by entry rule.
    pub reasons: Vec<(usize, Val)>,
}

impl Gen<'_> {
    pub fn outcome_value(&self, e: &Expr) -> R<Val> {
        let o = self.outcome.as_ref().ok_or_else(|| {
            CodegenError::Internal("the score is read before the rules are computed".into())
        })?;
        let missing = || CodegenError::Internal("a rule is read that does not exist".into());
        Ok(match e {
            Expr::Score => o.score.clone(),
            Expr::Tier => Val {
                sql: o.tier.clone(),
                ty: Ty::Index,
            },
            Expr::Applies(r) => Val {
                sql: o.counted.get(*r).cloned().ok_or_else(missing)?,
                ty: Ty::Bool,
            },
            Expr::Points(r) => o.points.get(*r).cloned().ok_or_else(missing)?,
            _ => return Err(CodegenError::Internal("not a value of the outcome".into())),
        })
    }

    pub fn rules(&mut self) -> R<Rules> {
        let policy = self.policy;
        let d = self.p.dialect;
        let scale = policy.scale;
        let mut fired = Vec::new();
        let mut points = Vec::new();
        for rule in &policy.rules {
            let (f, p, err) = self.rule(rule)?;
            fired.push(f);
            points.push(p);
            if let Some(err) = err {
                self.site("rule", &rule.name, err);
            }
        }
        // The running total: an overflow there fails the rule that caused it.
        let start = self.constant(&Value::Number(scale.start));
        let mut total = start.clone();
        for (index, rule) in policy.rules.iter().enumerate() {
            let (Some(f), Some(p)) = (fired.get(index), points.get(index)) else {
                continue;
            };
            let counts = Val {
                sql: Sql::over(
                    format!("(CASE WHEN {} THEN {} ELSE 0 END)", f.text, p.sql.text),
                    &[f, &p.sql],
                ),
                ty: p.ty,
            };
            let sum = numeric::arith(&mut self.p, Arith::Add, &total, &counts);
            if let Some(err) = sum.err {
                self.site("rule", &rule.name, err);
            }
            total = Val {
                sql: self.p.share(&sum.val.sql, "running total"),
                ty: sum.val.ty,
            };
        }
        // Groups that count one rule: the others that applied come off the total.
        let mut counted: Vec<Sql> = fired
            .iter()
            .map(|f| Sql::over(format!("COALESCE({}, FALSE)", f.text), &[f]))
            .collect();
        let mut not_counted = vec![None; policy.rules.len()];
        for pick in &policy.picks {
            for &r in &pick.rules {
                let (Some(fr), Some(pr)) = (fired.get(r), points.get(r)) else {
                    continue;
                };
                let mut beaten = Vec::new();
                let mut parts = vec![fr.clone(), pr.sql.clone()];
                for &q in &pick.rules {
                    if q == r {
                        continue;
                    }
                    let (Some(fq), Some(pq)) = (fired.get(q), points.get(q)) else {
                        continue;
                    };
                    // An earlier rule wins ties; a later one must do better.
                    let op = match (pick.highest, q < r) {
                        (true, true) => ">=",
                        (true, false) => ">",
                        (false, true) => "<=",
                        (false, false) => "<",
                    };
                    beaten.push(format!(
                        "COALESCE({} AND {} {op} {}, FALSE)",
                        fq.text, pq.sql.text, pr.sql.text
                    ));
                    parts.push(fq.clone());
                    parts.push(pq.sql.clone());
                }
                let refs: Vec<&Sql> = parts.iter().collect();
                let beaten = if beaten.is_empty() {
                    "FALSE".to_string()
                } else {
                    beaten.join(" OR ")
                };
                let keeps = Sql::over(
                    format!("(COALESCE({}, FALSE) AND NOT ({beaten}))", fr.text),
                    &refs,
                );
                let loses = Sql::over(
                    format!("(COALESCE({}, FALSE) AND ({beaten}))", fr.text),
                    &refs,
                );
                if let Some(slot) = counted.get_mut(r) {
                    *slot = self.p.share(&keeps, "counts");
                }
                if let Some(slot) = not_counted.get_mut(r) {
                    *slot = Some(self.p.share(&loses, "not counted"));
                }
            }
        }
        // The total of the rules that count.
        let mut sum = start;
        for (c, p) in counted.iter().zip(&points) {
            let term = Val {
                sql: Sql::over(
                    format!("(CASE WHEN {} THEN {} ELSE 0 END)", c.text, p.sql.text),
                    &[c, &p.sql],
                ),
                ty: p.ty,
            };
            let added = numeric::arith(&mut self.p, Arith::Add, &sum, &term);
            sum = added.val;
        }
        let sum_column = self.p.bind(
            &sum.sql,
            "total",
            Some("the total of the points that count".into()),
        );
        let unclamped = numeric::round(d, &sum_column, sum.num(), scale.decimals, scale.rounding);
        let unclamped = Val {
            sql: self.p.bind(
                &unclamped.sql,
                "unclamped score",
                Some("the rounded score, before clamping".into()),
            ),
            ty: unclamped.ty,
        };
        let score_num = Num::constant(scale.min.abs().max(scale.max.abs())).either(Num {
            scale: unclamped.num().scale,
            bound: Some(scale.min.abs().max(scale.max.abs())),
        });
        let score_text = format!(
            "GREATEST(LEAST({}, {}), {})",
            unclamped.sql.text,
            d.number(scale.max),
            d.number(scale.min)
        );
        let score = Val {
            sql: self.p.bind(
                &Sql::over(numeric::typed(d, &score_text, score_num), &[&unclamped.sql]),
                "score",
                Some("the score, clamped to the scale".into()),
            ),
            ty: Ty::Num(score_num),
        };
        let tier = self.tier(&score);
        let outcome_points: Vec<Val> = counted
            .iter()
            .zip(&points)
            .map(|(c, p)| Val {
                sql: Sql::over(
                    format!("(CASE WHEN {} THEN {} ELSE 0 END)", c.text, p.sql.text),
                    &[c, &p.sql],
                ),
                ty: p.ty,
            })
            .collect();
        let reasons = self.reasons(&outcome_points)?;
        self.outcome = Some(Outcome {
            score: score.clone(),
            tier,
            counted: counted.clone(),
            points: outcome_points,
        });
        Ok(Rules {
            fired,
            points,
            counted,
            not_counted,
            unclamped,
            score,
            reasons,
        })
    }

    /// The tier holding the score, by index.
    fn tier(&mut self, score: &Val) -> Sql {
        let d = self.p.dialect;
        let mut text = String::from("(CASE");
        for (k, tier) in self.policy.tiers.iter().enumerate() {
            text.push_str(&format!(
                " WHEN {} THEN {k}",
                in_range(d, &score.sql.text, &tier.range)
            ));
        }
        if self.policy.tiers.is_empty() {
            text.push_str(" WHEN FALSE THEN 0");
        }
        text.push_str(" END)");
        self.p.bind(
            &Sql::over(text, &[&score.sql]),
            "tier",
            Some("the tier, by number".into()),
        )
    }

    /// How far each reason entry's points count against the person.
    fn reasons(&mut self, points: &[Val]) -> R<Vec<(usize, Val)>> {
        let policy = self.policy;
        let d = self.p.dialect;
        let entries = policy.reason_entries();
        let mut out: Vec<(usize, Val)> = Vec::new();
        for (index, rule) in policy.rules.iter().enumerate() {
            let Some(p) = points.get(index) else {
                continue;
            };
            let baseline = rule.baseline.unwrap_or(Decimal::ZERO);
            let base = self.constant(&Value::Number(baseline));
            let (high, low) = if policy.scale.higher_is_worse {
                (p.clone(), base)
            } else {
                (base, p.clone())
            };
            // A distance (and a sum of them) beyond the largest decimal is that decimal.
            let max = d.number(Decimal::MAX);
            let num = Num {
                scale: high.num().scale.max(low.num().scale),
                bound: Some(Decimal::MAX),
            };
            let distance = format!(
                "LEAST(GREATEST({} - {}, 0), {max})",
                high.sql.text, low.sql.text
            );
            let distance = Val {
                sql: Sql::over(numeric::typed(d, &distance, num), &[&high.sql, &low.sql]),
                ty: Ty::Num(num),
            };
            let entry = entries.get(index).copied().unwrap_or(index);
            match out.iter_mut().find(|(e, _)| *e == entry) {
                Some((_, below)) => {
                    let num = below.num().either(num);
                    let sum = format!("LEAST({} + {}, {max})", below.sql.text, distance.sql.text);
                    *below = Val {
                        sql: Sql::over(numeric::typed(d, &sum, num), &[&below.sql, &distance.sql]),
                        ty: Ty::Num(num),
                    };
                }
                None => out.push((entry, distance)),
            }
        }
        let mut bound = Vec::new();
        for (entry, below) in out {
            let name = policy
                .rules
                .get(entry)
                .map_or("reason", |r| r.name.as_str());
            bound.push((
                entry,
                Val {
                    sql: self.p.bind(&below.sql, &format!("below {name}"), None),
                    ty: below.ty,
                },
            ));
        }
        Ok(bound)
    }

    /// One rule: whether it applied (`NULL`: unknown), its points when it did, and its error.
    fn rule(&mut self, rule: &Rule) -> R<(Sql, Val, Option<Sql>)> {
        let d = self.p.dialect;
        let scale = self.policy.scale;
        let condition = match &rule.condition {
            Some(c) => Some(self.expr(c)?),
            None => None,
        };
        let (cond_sql, cond_err) = match &condition {
            Some(c) => (
                self.p.share(&c.val.sql, &format!("{} applies", rule.name)),
                c.err.clone(),
            ),
            None => (Sql::lit(d.boolean(true)), None),
        };
        // The points (before the group's weight) and when a chosen effect does not apply.
        let (raw, none_applies, effect_err) = match &rule.effect {
            Effect::Points(p) => {
                let low = self.points(p)?;
                (low.val, None, low.err)
            }
            Effect::Bins {
                subject,
                arms,
                missing,
                otherwise,
            } => {
                let s = self.read(*subject)?;
                let mut which = format!("(CASE WHEN {} IS NULL THEN -1", s.sql.text);
                for (k, arm) in arms.iter().enumerate() {
                    let tests: Vec<String> = arm
                        .patterns
                        .iter()
                        .map(|p| pattern_test(self, &s.sql.text, p))
                        .collect();
                    which.push_str(&format!(" WHEN {} THEN {}", tests.join(" OR "), k + 1));
                }
                which.push_str(" ELSE 0 END)");
                let arm = self.p.bind(
                    &Sql::over(which, &[&s.sql]),
                    &format!("{} arm", rule.name),
                    None,
                );
                let mut cases: Vec<(String, Low)> = Vec::new();
                if let Some(m) = missing {
                    cases.push(("-1".into(), self.points(m)?));
                }
                for (k, a) in arms.iter().enumerate() {
                    cases.push(((k + 1).to_string(), self.points(&a.points)?));
                }
                if let Some(o) = otherwise {
                    cases.push(("0".into(), self.points(o)?));
                }
                let num = cases
                    .iter()
                    .map(|(_, l)| l.val.num())
                    .reduce(Num::either)
                    .unwrap_or(Num::whole(Some(Decimal::ZERO)));
                let mut text = format!("(CASE {}", arm.text);
                let mut parts = vec![arm.clone()];
                let mut errors = Vec::new();
                for (when, low) in &cases {
                    text.push_str(&format!(
                        " WHEN {when} THEN {}",
                        numeric::typed(d, &low.val.sql.text, num)
                    ));
                    parts.push(low.val.sql.clone());
                    let taken = Sql::over(format!("{} = {when}", arm.text), &[&arm]);
                    errors.push(only_when(&taken, low.err.clone()));
                }
                text.push_str(" END)");
                let refs: Vec<&Sql> = parts.iter().collect();
                let raw = Val {
                    sql: Sql::over(text, &refs),
                    ty: Ty::Num(num),
                };
                let none = otherwise
                    .is_none()
                    .then(|| Sql::over(format!("{} = 0", arm.text), &[&arm]));
                (raw, none, first_error(errors))
            }
        };
        let raw_sql = self.p.share(&raw.sql, &format!("{} raw points", rule.name));
        let raw = Val {
            sql: raw_sql,
            ty: raw.ty,
        };
        // The group's weight, then rounding.
        let (weighted, weight_err) = match &rule.group {
            Some(g) => {
                let w = self.constant(&Value::Number(g.weight));
                let product = numeric::arith(&mut self.p, Arith::Mul, &raw, &w);
                (product.val, product.err)
            }
            None => (raw.clone(), None),
        };
        let weighted_sql = self
            .p
            .share(&weighted.sql, &format!("{} weighted", rule.name));
        let rounded = numeric::round(
            d,
            &weighted_sql,
            weighted.num(),
            scale.decimals,
            scale.rounding,
        );
        let mut fired = format!(
            "(CASE WHEN {c} IS NULL THEN NULL WHEN NOT {c} THEN FALSE",
            c = cond_sql.text
        );
        if let Some(none) = &none_applies {
            fired.push_str(&format!(" WHEN {} THEN FALSE", none.text));
        }
        fired.push_str(&format!(
            " WHEN {} IS NULL THEN NULL ELSE TRUE END)",
            raw.sql.text
        ));
        let mut parts = vec![&cond_sql, &raw.sql];
        if let Some(none) = &none_applies {
            parts.push(none);
        }
        let fired = self.p.bind(
            &Sql::over(fired, &parts),
            &format!("{} fired", rule.name),
            Some(format!(
                "rule `{}`: applied (TRUE), not (FALSE), unknown (NULL)",
                rule.name
            )),
        );
        let points_text = format!("(CASE WHEN {} THEN {} END)", fired.text, rounded.sql.text);
        let points = Val {
            sql: self.p.bind(
                &Sql::over(points_text, &[&fired, &rounded.sql]),
                &format!("{} points", rule.name),
                Some(format!("rule `{}`: its points when it applies", rule.name)),
            ),
            ty: rounded.ty,
        };
        let applies = Sql::over(format!("COALESCE({}, FALSE)", cond_sql.text), &[&cond_sql]);
        let known = Sql::over(format!("{} IS NOT NULL", raw.sql.text), &[&raw.sql]);
        let err = first_error(vec![
            cond_err,
            only_when(&applies, effect_err),
            only_when(
                &Sql::over(
                    format!("({} AND {})", applies.text, known.text),
                    &[&applies, &known],
                ),
                weight_err,
            ),
        ]);
        Ok((fired, points, err))
    }

    /// Signed, capped points: unknown as soon as one of its parts is (the rest is then not
    /// evaluated, so raises no error).
    fn points(&mut self, p: &Points) -> R<Low> {
        let d = self.p.dialect;
        let amount = self.expr(&p.amount)?;
        let mut value = amount.val.clone();
        let mut errors = vec![amount.err.clone()];
        let mut known = vec![value.clone()];
        if let Some(per) = &p.per {
            let per = self.expr(per)?;
            let before = all_known(&known.iter().collect::<Vec<_>>());
            errors.push(only_when(&before, per.err.clone()));
            let product = numeric::arith(&mut self.p, Arith::Mul, &value, &per.val);
            let both = all_known(&[&value, &per.val]);
            errors.push(only_when(&both, product.err));
            known.push(per.val.clone());
            value = product.val;
        }
        for (cap, function) in [(&p.at_most, "LEAST"), (&p.at_least, "GREATEST")] {
            let Some(cap) = cap else {
                continue;
            };
            let cap = self.expr(cap)?;
            let before = all_known(&known.iter().collect::<Vec<_>>());
            errors.push(only_when(&before, cap.err.clone()));
            let num = value.num().either(cap.val.num());
            let both = all_known(&[&value, &cap.val]);
            let text = format!(
                "(CASE WHEN {} THEN {function}({}, {}) END)",
                both.text,
                numeric::typed(d, &value.sql.text, num),
                numeric::typed(d, &cap.val.sql.text, num)
            );
            known.push(cap.val.clone());
            value = Val {
                sql: Sql::over(text, &[&both]),
                ty: Ty::Num(num),
            };
        }
        if p.sign == Sign::Deduct {
            value = Val {
                sql: Sql::over(format!("(-{})", value.sql.text), &[&value.sql]),
                ty: value.ty,
            };
        }
        Ok(Low {
            val: value,
            err: first_error(errors),
        })
    }
}

/// Whether a value matches a scorecard or table pattern.
pub fn pattern_test(g: &Gen<'_>, value: &str, pattern: &Pattern) -> String {
    match pattern {
        Pattern::Range(r) => in_range(g.p.dialect, value, r),
        Pattern::Value(v) => format!("{value} = {}", g.constant(v).sql.text),
    }
}

/// `lo <= x AND x < hi` for a range.
pub fn in_range(d: super::Dialect, value: &str, range: &Range) -> String {
    let mut tests = Vec::new();
    if let Some(lo) = range.lo {
        let op = if lo.inclusive { ">=" } else { ">" };
        tests.push(format!("{value} {op} {}", d.number(lo.value)));
    }
    if let Some(hi) = range.hi {
        let op = if hi.inclusive { "<=" } else { "<" };
        tests.push(format!("{value} {op} {}", d.number(hi.value)));
    }
    if tests.is_empty() {
        format!("{value} IS NOT NULL")
    } else {
        format!("({})", tests.join(" AND "))
    }
}
