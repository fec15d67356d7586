//! Expressions: each IR expression becomes a SQL value, with SQL `NULL` for unknown, and the SQL
//! of the error its evaluation raises (`division_by_zero`, `overflow`), if it can raise one.
//!
//! SQL's three-valued logic is Kleene's, as Rubric's is, in `AND`, `OR`, `NOT`, comparisons and
//! `IN` (a `NULL` member makes a miss unknown, a hit stays a hit). Where SQL differs, the
//! generated code does what the interpreter does: `LEAST`/`GREATEST` skip `NULL`s (Rubric's `min`
//! and `max` are unknown then), and `CASE WHEN c` treats an unknown `c` as no (Rubric's `if` is
//! unknown then). Errors follow the interpreter's order of evaluation: operands left to right,
//! `if` only in the branch taken, `min`/`max` up to the first unknown argument.

use super::bounds::Num;
use super::numeric::{self, first_error, only_when};
use super::program::{Sql, Ty, Val};
use super::{Gen, R};
use crate::codegen::CodegenError;
use crate::ir::{Arith, Compare, Expr, Ref, Value};
use crate::runtime::arith::Rounding;
use rust_decimal::Decimal;

/// A lowered expression.
#[derive(Clone, Debug)]
pub struct Low {
    pub val: Val,
    /// A text: the kind of the first error evaluating it raises, `NULL` if none.
    pub err: Option<Sql>,
}

impl Low {
    fn pure(val: Val) -> Low {
        Low { val, err: None }
    }
}

/// `x IS NOT NULL AND …` for several values.
pub fn all_known(values: &[&Val]) -> Sql {
    let texts: Vec<String> = values
        .iter()
        .map(|v| format!("{} IS NOT NULL", v.sql.text))
        .collect();
    let parts: Vec<&Sql> = values.iter().map(|v| &v.sql).collect();
    Sql::over(format!("({})", texts.join(" AND ")), &parts)
}

impl Gen<'_> {
    /// A constant.
    pub fn constant(&self, value: &Value) -> Val {
        let d = self.p.dialect;
        match value {
            Value::Number(n) => Val {
                sql: Sql::lit(d.number(*n)),
                ty: Ty::Num(Num::constant(*n)),
            },
            Value::Bool(b) => Val {
                sql: Sql::lit(d.boolean(*b)),
                ty: Ty::Bool,
            },
            Value::Text(t) => Val {
                sql: Sql::lit(d.string(t)),
                ty: Ty::Text,
            },
            // Members and tiers are compared by index.
            Value::Member(m) | Value::Tier(m) => Val {
                sql: Sql::lit(m.to_string()),
                ty: Ty::Index,
            },
        }
    }

    /// The value an input, derived value or table output holds for the record.
    pub fn read(&self, r: Ref) -> R<Val> {
        let found = match r {
            Ref::Input(i) => self.inputs.get(i).cloned(),
            Ref::Let(l) => self.lets.get(l).cloned().flatten(),
            Ref::Output(o) => self.outputs.get(o).cloned().flatten(),
        };
        found.ok_or_else(|| CodegenError::Internal(format!("{r:?} is read before it is computed")))
    }

    pub fn expr(&mut self, e: &Expr) -> R<Low> {
        let d = self.p.dialect;
        Ok(match e {
            Expr::Const(v) => Low::pure(self.constant(v)),
            Expr::Read(r) => Low::pure(self.read(*r)?),
            Expr::Score | Expr::Tier | Expr::Applies(_) | Expr::Points(_) => {
                Low::pure(self.outcome_value(e)?)
            }
            Expr::ConsequenceApplies(c) => {
                let applied = self.applied.get(*c).cloned().flatten().ok_or_else(|| {
                    CodegenError::Internal("a consequence is read before it is decided".into())
                })?;
                Low::pure(Val {
                    sql: applied,
                    ty: Ty::Bool,
                })
            }
            Expr::Neg(x) => {
                let x = self.expr(x)?;
                let num = x.val.num();
                Low {
                    val: Val {
                        sql: Sql::over(format!("(-{})", x.val.sql.text), &[&x.val.sql]),
                        ty: Ty::Num(num),
                    },
                    err: x.err,
                }
            }
            Expr::Not(x) => {
                let x = self.expr(x)?;
                Low {
                    val: Val {
                        sql: Sql::over(format!("(NOT {})", x.val.sql.text), &[&x.val.sql]),
                        ty: Ty::Bool,
                    },
                    err: x.err,
                }
            }
            Expr::Arith(op, a, b) => {
                let exponent = constant_exponent(b);
                let (a, b) = (self.expr(a)?, self.expr(b)?);
                let computed = match op {
                    Arith::Div => numeric::divide(&mut self.p, &a.val, &b.val),
                    Arith::Pow => self.power(&a.val, &b.val, exponent)?,
                    _ => numeric::arith(&mut self.p, *op, &a.val, &b.val),
                };
                let known = all_known(&[&a.val, &b.val]);
                Low {
                    err: first_error(vec![a.err, b.err, only_when(&known, computed.err)]),
                    val: computed.val,
                }
            }
            Expr::Compare(op, a, b) => {
                let (a, b) = (self.expr(a)?, self.expr(b)?);
                let symbol = match op {
                    Compare::Lt => "<",
                    Compare::Le => "<=",
                    Compare::Gt => ">",
                    Compare::Ge => ">=",
                };
                self.binary_bool(a, b, symbol)
            }
            Expr::Equal { negated, lhs, rhs } => {
                let (a, b) = (self.expr(lhs)?, self.expr(rhs)?);
                self.binary_bool(a, b, if *negated { "<>" } else { "=" })
            }
            Expr::And(a, b) => {
                let (a, b) = (self.expr(a)?, self.expr(b)?);
                self.binary_bool(a, b, "AND")
            }
            Expr::Or(a, b) => {
                let (a, b) = (self.expr(a)?, self.expr(b)?);
                self.binary_bool(a, b, "OR")
            }
            Expr::In {
                negated,
                value,
                set,
            } => self.member_of(*negated, value, set)?,
            Expr::IsMissing { negated, what } => {
                let v = self.read(*what)?;
                let test = if *negated { "IS NOT NULL" } else { "IS NULL" };
                Low::pure(Val {
                    sql: Sql::over(format!("({} {test})", v.sql.text), &[&v.sql]),
                    ty: Ty::Bool,
                })
            }
            Expr::Min(args) => self.extremum(args, "LEAST")?,
            Expr::Max(args) => self.extremum(args, "GREATEST")?,
            Expr::Clamp(x, lo, hi) => {
                let (x, lo, hi) = (self.expr(x)?, self.expr(lo)?, self.expr(hi)?);
                let num = x.val.num().either(lo.val.num()).either(hi.val.num());
                let known = all_known(&[&x.val, &lo.val, &hi.val]);
                let text = format!(
                    "(CASE WHEN {} THEN GREATEST(LEAST({}, {}), {}) END)",
                    known.text,
                    numeric::typed(d, &x.val.sql.text, num),
                    numeric::typed(d, &hi.val.sql.text, num),
                    numeric::typed(d, &lo.val.sql.text, num)
                );
                Low {
                    val: Val {
                        sql: Sql::over(text, &[&known]),
                        ty: Ty::Num(num),
                    },
                    err: first_error(vec![x.err, lo.err, hi.err]),
                }
            }
            Expr::If {
                branches,
                otherwise,
            } => self.conditional(branches, otherwise)?,
        })
    }

    fn binary_bool(&self, a: Low, b: Low, symbol: &str) -> Low {
        Low {
            val: Val {
                sql: Sql::over(
                    format!("({} {symbol} {})", a.val.sql.text, b.val.sql.text),
                    &[&a.val.sql, &b.val.sql],
                ),
                ty: Ty::Bool,
            },
            err: first_error(vec![a.err, b.err]),
        }
    }

    /// `value in [m1, m2, …]`: the members are evaluated in order until one matches.
    fn member_of(&mut self, negated: bool, value: &Expr, set: &[Expr]) -> R<Low> {
        let v = self.expr(value)?;
        let known = Sql::over(format!("({} IS NOT NULL)", v.val.sql.text), &[&v.val.sql]);
        let mut members = Vec::new();
        let mut errors = vec![v.err.clone()];
        for m in set {
            let m = self.expr(m)?;
            if m.err.is_some() {
                // Raised only if no member before it matched.
                let earlier = if members.is_empty() {
                    known.clone()
                } else {
                    let list: Vec<&str> = members.iter().map(|s: &Sql| s.text.as_str()).collect();
                    let mut parts: Vec<&Sql> = members.iter().collect();
                    parts.push(&known);
                    Sql::over(
                        format!(
                            "({} AND NOT COALESCE({} IN ({}), FALSE))",
                            known.text,
                            v.val.sql.text,
                            list.join(", ")
                        ),
                        &parts,
                    )
                };
                errors.push(only_when(&earlier, m.err));
            }
            members.push(m.val.sql);
        }
        let sql = if members.is_empty() {
            Sql::over(
                format!(
                    "(CASE WHEN {} THEN {} END)",
                    known.text,
                    self.p.dialect.boolean(negated)
                ),
                &[&known],
            )
        } else {
            let list: Vec<&str> = members.iter().map(|s| s.text.as_str()).collect();
            let mut parts: Vec<&Sql> = members.iter().collect();
            parts.push(&v.val.sql);
            Sql::over(
                format!(
                    "({} {}IN ({}))",
                    v.val.sql.text,
                    if negated { "NOT " } else { "" },
                    list.join(", ")
                ),
                &parts,
            )
        };
        Ok(Low {
            val: Val { sql, ty: Ty::Bool },
            err: first_error(errors),
        })
    }

    /// `min(…)` / `max(…)`: unknown if any argument is (evaluation stops there).
    fn extremum(&mut self, args: &[Expr], function: &str) -> R<Low> {
        let d = self.p.dialect;
        let mut lowered = Vec::new();
        for a in args {
            lowered.push(self.expr(a)?);
        }
        let num = lowered
            .iter()
            .map(|l| l.val.num())
            .reduce(Num::either)
            .unwrap_or(Num::whole(None));
        let mut errors = Vec::new();
        for (k, l) in lowered.iter().enumerate() {
            let before: Vec<&Val> = lowered.iter().take(k).map(|l| &l.val).collect();
            errors.push(if before.is_empty() {
                l.err.clone()
            } else {
                only_when(&all_known(&before), l.err.clone())
            });
        }
        let values: Vec<&Val> = lowered.iter().map(|l| &l.val).collect();
        let known = all_known(&values);
        let typed: Vec<String> = values
            .iter()
            .map(|v| numeric::typed(d, &v.sql.text, num))
            .collect();
        let text = format!(
            "(CASE WHEN {} THEN {function}({}) END)",
            known.text,
            typed.join(", ")
        );
        Ok(Low {
            val: Val {
                sql: Sql::over(text, &[&known]),
                ty: Ty::Num(num),
            },
            err: first_error(errors),
        })
    }

    /// `if c1 then v1 else if … else o`: unknown at the first unknown condition.
    fn conditional(&mut self, branches: &[(Expr, Expr)], otherwise: &Expr) -> R<Low> {
        let d = self.p.dialect;
        let mut lowered = Vec::new();
        for (c, v) in branches {
            lowered.push((self.expr(c)?, self.expr(v)?));
        }
        let last = self.expr(otherwise)?;
        let ty = lowered
            .iter()
            .map(|(_, v)| v.val.ty)
            .fold(last.val.ty, |a, b| match (a, b) {
                (Ty::Num(x), Ty::Num(y)) => Ty::Num(x.either(y)),
                (a, _) => a,
            });
        let value = |v: &Val| match ty {
            Ty::Num(num) => numeric::typed(d, &v.sql.text, num),
            _ => v.sql.text.clone(),
        };
        let mut text = String::from("(CASE");
        let mut parts = vec![&last.val.sql];
        for (c, v) in &lowered {
            text.push_str(&format!(
                " WHEN {c} IS NULL THEN NULL WHEN {c} THEN {}",
                value(&v.val),
                c = c.val.sql.text
            ));
            parts.push(&c.val.sql);
            parts.push(&v.val.sql);
        }
        text.push_str(&format!(" ELSE {} END)", value(&last.val)));
        let sql = Sql::over(text, &parts);
        // The error: the conditions' in order, each branch's only when it is taken.
        let mut err = last.err.clone();
        for (c, v) in lowered.iter().rev() {
            let taken = match (&v.err, &err) {
                (None, None) => None,
                _ => {
                    let then = v
                        .err
                        .as_ref()
                        .map_or("NULL".to_string(), |e| e.text.clone());
                    let other = err.as_ref().map_or("NULL".to_string(), |e| e.text.clone());
                    let mut parts = vec![&c.val.sql];
                    parts.extend(v.err.iter());
                    parts.extend(err.iter());
                    Some(Sql::over(
                        format!(
                            "(CASE WHEN {c} THEN {then} WHEN NOT {c} THEN {other} END)",
                            c = c.val.sql.text
                        ),
                        &parts,
                    ))
                }
            };
            err = first_error(vec![c.err.clone(), taken]);
        }
        Ok(Low {
            val: Val { sql, ty },
            err,
        })
    }

    /// `x ^ n` for a constant whole `n`, as `runtime::arith::pow` computes it: `|n|` factors,
    /// each product rounded to ten decimals, and for a negative `n` one divided by that.
    fn power(&mut self, x: &Val, n: &Val, exponent: Option<i64>) -> R<numeric::Computed> {
        let d = self.p.dialect;
        let Some(exponent) = exponent else {
            return numeric::power(&mut self.p, x, n);
        };
        let times = exponent.unsigned_abs();
        if times == 0 {
            let one = Sql::over(
                format!(
                    "(CASE WHEN {} IS NOT NULL THEN {} END)",
                    x.sql.text,
                    d.number(Decimal::ONE)
                ),
                &[&x.sql],
            );
            return Ok(numeric::Computed {
                val: Val {
                    sql: one,
                    ty: Ty::Num(Num::constant(Decimal::ONE)),
                },
                err: None,
            });
        }
        let base = Val {
            sql: self.p.share(&x.sql, "base"),
            ty: x.ty,
        };
        let mut product = base.clone();
        let mut errors = Vec::new();
        for _ in 1..times {
            let step = numeric::arith(&mut self.p, Arith::Mul, &product, &base);
            errors.push(step.err);
            let column = self.p.bind(&step.val.sql, "power", None);
            let rounded = numeric::round(
                d,
                &column,
                step.val.num(),
                crate::runtime::arith::DIVISION_DECIMALS,
                Rounding::HalfUp,
            );
            product = Val {
                sql: self.p.share(&rounded.sql, "power"),
                ty: rounded.ty,
            };
        }
        if exponent < 0 {
            let one = self.constant(&Value::Number(Decimal::ONE));
            let q = numeric::divide(&mut self.p, &one, &product);
            errors.push(q.err);
            return Ok(numeric::Computed {
                val: q.val,
                err: first_error(errors),
            });
        }
        Ok(numeric::Computed {
            val: product,
            err: first_error(errors),
        })
    }
}

/// The exponent of `x ^ n` when `n` is a whole number written as a constant (params are folded
/// in) within the runtime's range.
fn constant_exponent(n: &Expr) -> Option<i64> {
    let (value, negative) = match n {
        Expr::Const(Value::Number(v)) => (*v, false),
        Expr::Neg(inner) => match inner.as_ref() {
            Expr::Const(Value::Number(v)) => (*v, true),
            _ => return None,
        },
        _ => return None,
    };
    if !value.fract().is_zero() || value.abs() > Decimal::from(crate::runtime::arith::MAX_EXPONENT)
    {
        return None;
    }
    let magnitude =
        i64::try_from(value.trunc().mantissa() / 10i128.pow(value.trunc().scale())).ok()?;
    Some(if negative { -magnitude } else { magnitude })
}
