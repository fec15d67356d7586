//! Exact arithmetic in SQL, the same in every engine: `+ - *` at the scales the bounds prove,
//! `/` to ten decimals with ties away from zero done on whole numbers (no engine's own decimal
//! division is used: DuckDB's returns a double, Spark's drops scale, PostgreSQL's picks its own
//! scale), rounding by the policy's mode built from truncation, and overflow checked wherever the
//! bounds cannot rule it out.

use super::bounds::{self, Num, DIVISION_SCALE, MAX_DIGITS};
use super::dialect::{Dialect, MAX_PRECISION};
use super::program::{Program, Sql, Ty, Val};
use crate::codegen::CodegenError;
use crate::ir::Arith;
use crate::runtime::arith::Rounding;
use rust_decimal::Decimal;

type R<T> = Result<T, CodegenError>;

/// A result and the error its operation can raise (a text: the error kind), if it can.
pub struct Computed {
    pub val: Val,
    pub err: Option<Sql>,
}

/// `10^n` as a constant.
pub fn power_of_ten(d: Dialect, n: u32) -> String {
    d.number(Decimal::from_i128_with_scale(10i128.pow(n.min(28)), 0))
}

/// `10^-n` as a constant: a whole number times it is exact in every engine (dividing by `10^n`
/// is not: PostgreSQL picks the quotient's scale from its size).
pub fn tenth_power(d: Dialect, n: u32) -> String {
    d.number(Decimal::new(1, n.min(28)))
}

/// The largest magnitude a result may have in the engine: rust_decimal's limit, or below it
/// where DuckDB's and Spark's 38 digits must also hold the scale.
fn limit(d: Dialect, scale: u32) -> Option<u32> {
    match d {
        // Spark's quotients are put together below 10^18 (see `divide`).
        Dialect::Spark if scale == DIVISION_SCALE => Some(18),
        Dialect::Postgres => None,
        Dialect::DuckDb | Dialect::Spark => {
            Some(MAX_DIGITS.min(MAX_PRECISION.saturating_sub(scale)))
        }
    }
}

/// `x` cast to its static type: exactly its scale; in Spark just its digits (so that its type
/// rules, which drop scale past 38 digits, never apply), in DuckDB all 38 (its products of
/// narrower decimals are computed in 64 bits and fail beyond them).
pub fn typed(d: Dialect, sql: &str, num: Num) -> String {
    let room = MAX_PRECISION - num.scale.min(MAX_PRECISION);
    let digits = match d {
        Dialect::DuckDb => room,
        _ => num.digits().min(room),
    };
    d.cast_number(sql, digits, num.scale)
}

/// The check that a result of type `num` whose value is `exact` (computed only once the check
/// passes) stays within range, when the bounds cannot prove it: PostgreSQL computes exactly and
/// compares; DuckDB and Spark, whose decimals would fail or turn NULL first, estimate with a
/// double (near the limit the estimate decides; no record there is exact in both anyway).
fn overflow_guard(d: Dialect, estimate: &str, num: Num) -> Option<String> {
    if num.fits() {
        return None;
    }
    limit(d, num.scale).map(|digits| format!("abs({estimate}) >= 1e{digits}"))
}

/// What rust_decimal does to a product or quotient whose digits do not fit its 96-bit mantissa:
/// the fewest decimals dropped (at most 28 kept), rounding half to even. PostgreSQL's `NUMERIC`
/// keeps them all, so where the bounds cannot rule this out the result is rounded the same way:
/// to the most decimals `k` (up to its own scale) at which `|x| · 10^k < 2^96`.
fn fit_mantissa(p: &mut Program, sql: &Sql, num: Num) -> Sql {
    if p.dialect != Dialect::Postgres || num.digits() + num.scale <= MAX_SCALE_DIGITS {
        return sql.clone();
    }
    let x = p.share(sql, "product");
    Sql::over(fit_text(&x.text), &[&x])
}

/// [`fit_mantissa`]'s expression over `x` (read many times: a column or a short expression).
fn fit_text(x: &str) -> String {
    let mut decimals = String::from("(CASE");
    for k in (0..=bounds::MAX_SCALE).rev() {
        // |x| · 10^k fits the mantissa (at most 2^96 - 1, the largest decimal's digits).
        let threshold = Decimal::from_i128_with_scale(Decimal::MAX.mantissa(), k);
        decimals.push_str(&format!(" WHEN abs({x}) <= {threshold} THEN {k}"));
    }
    decimals.push_str(" ELSE 0 END)");
    let k = format!("LEAST(scale({x}), {decimals})");
    // Half to even at `k` decimals: PostgreSQL's `round` takes ties away from zero, so a tie
    // whose last kept digit is even is truncated instead. (`power(10, -k)` would not do: its
    // result has only 16 decimals.)
    let units = format!("({x} * power(10::numeric, {k}))");
    let whole = format!("trunc({units})");
    format!(
        "(CASE WHEN scale({x}) <= {k} THEN {x} WHEN abs({units} - {whole}) = 0.5 AND mod({whole}, 2) = 0 THEN trunc({x}, {k}) ELSE round({x}, {k}) END)"
    )
}

/// The significant digits a rust_decimal always holds exactly (its mantissa holds 28 of any
/// digits, and some of 29).
const MAX_SCALE_DIGITS: u32 = 28;

/// `a op b` for `+ - *`, with its overflow check.
pub fn arith(p: &mut Program, op: Arith, a: &Val, b: &Val) -> Computed {
    let d = p.dialect;
    let (na, nb) = (a.num(), b.num());
    let (num, symbol) = match op {
        Arith::Add => (na.add(nb), "+"),
        Arith::Sub => (na.add(nb), "-"),
        _ => (na.mul(nb), "*"),
    };
    let text = format!(
        "({} {symbol} {})",
        typed(d, &a.sql.text, na),
        typed(d, &b.sql.text, nb)
    );
    let mut exact = Sql::over(typed(d, &text, num), &[&a.sql, &b.sql]);
    if op == Arith::Mul {
        exact = fit_mantissa(p, &exact, num);
    }
    finish(p, exact, num, |d| {
        format!(
            "(CAST({} AS DOUBLE PRECISION) {symbol} CAST({} AS DOUBLE PRECISION))",
            a.sql.text, b.sql.text
        )
        .replace("DOUBLE PRECISION", double(d))
    })
}

fn double(d: Dialect) -> &'static str {
    match d {
        Dialect::Postgres => "DOUBLE PRECISION",
        Dialect::DuckDb | Dialect::Spark => "DOUBLE",
    }
}

/// The result of an operation that may overflow: computed only when in range; the error says
/// when it is not.
fn finish(p: &mut Program, exact: Sql, num: Num, estimate: impl Fn(Dialect) -> String) -> Computed {
    let d = p.dialect;
    let val = |sql: Sql| Val {
        sql,
        ty: Ty::Num(num),
    };
    if num.fits() {
        return Computed {
            val: val(exact),
            err: None,
        };
    }
    match overflow_guard(d, &estimate(d), num) {
        Some(guard) => {
            // The estimate reads the operands, which are at `exact`'s layer.
            let guard = Sql::new(guard, exact.layer);
            let guard = p.bind(&guard, "overflows", None);
            let text = format!(
                "(CASE WHEN {} THEN NULL ELSE {} END)",
                guard.text, exact.text
            );
            let value = Sql::over(text, &[&guard, &exact]);
            Computed {
                err: Some(Sql::over(
                    format!("(CASE WHEN {} THEN 'overflow' END)", guard.text),
                    &[&guard],
                )),
                val: val(value),
            }
        }
        None => {
            // PostgreSQL: compute exactly, then compare with the largest exact decimal.
            let column = p.bind(&exact, "result", None);
            let max = d.number(Decimal::MAX);
            let over = format!("abs({}) > {max}", column.text);
            Computed {
                val: val(Sql::over(
                    format!("(CASE WHEN {over} THEN NULL ELSE {} END)", column.text),
                    &[&column],
                )),
                err: Some(Sql::over(
                    format!("(CASE WHEN {over} THEN 'overflow' END)"),
                    &[&column],
                )),
            }
        }
    }
}

/// `a / b` rounded to ten decimals, ties away from zero, exactly: the operands scaled to whole
/// numbers `n` and `m`, the quotient truncated, and the remainder deciding the last digit.
/// Division by zero is the error `division_by_zero`.
pub fn divide(p: &mut Program, a: &Val, b: &Val) -> Computed {
    let d = p.dialect;
    let (na, nb) = (a.num(), b.num());
    let a_sql = p.share(&a.sql, "dividend");
    let b_sql = p.share(&b.sql, "divisor");
    // n / m = a / b · 10^10. PostgreSQL's `div` truncates exactly whatever the operands'
    // scales: n = a · 10^10, m = b. DuckDB and Spark divide whole numbers: their unscaled
    // values (the digits of their text at the static scales) times powers of ten,
    // n = A · 10^(10 + sb) and m = B · 10^sa.
    let (mut n, mut m) = match d {
        Dialect::Postgres => (
            Sql::over(
                format!("({} * {})", a_sql.text, power_of_ten(d, DIVISION_SCALE)),
                &[&a_sql],
            ),
            b_sql.clone(),
        ),
        Dialect::DuckDb | Dialect::Spark => (
            Sql::over(
                unscaled(d, &a_sql.text, na, DIVISION_SCALE + nb.scale),
                &[&a_sql],
            ),
            Sql::over(unscaled(d, &b_sql.text, nb, na.scale), &[&b_sql]),
        ),
    };
    // DuckDB and Spark hold those whole numbers in 38 digits: beyond that the division is not
    // computed and the record is rejected as an overflow (`rubric eval` may still compute it:
    // the README says so).
    let mut too_large = None;
    let n_digits = na.digits() + na.scale + nb.scale + DIVISION_SCALE;
    let m_digits = nb.digits() + na.scale + nb.scale;
    if d != Dialect::Postgres && (n_digits > MAX_PRECISION - 1 || m_digits > MAX_PRECISION - 1) {
        let room = |extra: u32| (MAX_PRECISION - 1).saturating_sub(extra);
        let guard = Sql::over(
            format!(
                "(abs(CAST({} AS DOUBLE)) >= 1e{} OR abs(CAST({} AS DOUBLE)) >= 1e{})",
                a_sql.text,
                room(na.scale + nb.scale + DIVISION_SCALE),
                b_sql.text,
                room(na.scale + nb.scale)
            ),
            &[&a_sql, &b_sql],
        );
        let guard = p.bind(&guard, "too large", None);
        n = Sql::over(
            format!("(CASE WHEN {} THEN NULL ELSE {} END)", guard.text, n.text),
            &[&n, &guard],
        );
        m = Sql::over(
            format!("(CASE WHEN {} THEN NULL ELSE {} END)", guard.text, m.text),
            &[&m, &guard],
        );
        too_large = Some(Sql::over(
            format!("(CASE WHEN {} THEN 'overflow' END)", guard.text),
            &[&guard],
        ));
    }
    let n = p.bind(&n, "numerator", None);
    let m = p.bind(&m, "denominator", None);
    let q = Sql::over(
        truncating_division(d, &n.text, &format!("NULLIF({}, 0)", m.text)),
        &[&n, &m],
    );
    let q = p.bind(&q, "quotient", None);
    // The remainder, and one more unit away from zero when it is at least half the divisor.
    let remainder = format!("({} - {} * {})", n.text, q.text, m.text);
    let units = format!(
        "({} + CASE WHEN 2 * abs({remainder}) >= abs({}) THEN sign({}) * sign({}) ELSE 0 END)",
        q.text, m.text, n.text, m.text
    );
    let text = match d {
        Dialect::Postgres | Dialect::DuckDb => {
            format!("({units} * {})", tenth_power(d, DIVISION_SCALE))
        }
        // Spark would drop scale from DECIMAL(38, 0) · DECIMAL(10, 10): the whole part and the
        // ten decimals are put together in types narrow enough (quotients below 10^18).
        Dialect::Spark => {
            let units = p.bind(&Sql::over(units, &[&n, &m, &q]), "units", None);
            let unit = power_of_ten(d, DIVISION_SCALE);
            let lo = format!("({} % {unit})", units.text);
            let hi = format!("CAST(({} - {lo}) / {unit} AS DECIMAL(28, 0))", units.text);
            format!(
                "(CAST({hi} AS DECIMAL(28, 10)) + CAST({lo} AS DECIMAL(10, 0)) * {})",
                tenth_power(d, DIVISION_SCALE)
            )
        }
    };
    let num = na.div();
    let exact = Sql::over(typed(d, &text, num), &[&n, &m, &q]);
    let exact = fit_mantissa(p, &exact, num);
    let zero = Sql::over(
        format!("(CASE WHEN {} = 0 THEN 'division_by_zero' END)", b_sql.text),
        &[&b_sql],
    );
    let result = finish(p, exact, num, |d| {
        format!(
            "(CAST({} AS {}) / CAST(NULLIF({}, 0) AS {}))",
            a_sql.text,
            double(d),
            b_sql.text,
            double(d)
        )
    });
    Computed {
        val: result.val,
        err: first_error(vec![Some(zero), too_large, result.err]),
    }
}

/// `x ^ n` for an exponent computed per record (a whole number from -1000 to 1000: the checker
/// proves it), with the runtime's sequence of products, each rounded to ten decimals: a
/// recursive subquery in PostgreSQL, a fold over a list in DuckDB (`list_reduce`) and Spark
/// (`aggregate`). In DuckDB and Spark a product past what their decimals hold stops growing
/// there (a base of magnitude at least 1 never shrinks it again), and the result is an overflow.
pub fn power(p: &mut Program, x: &Val, n: &Val) -> R<Computed> {
    let d = p.dialect;
    let nx = x.num();
    let x_sql = p.share(&x.sql, "base");
    let n_sql = p.share(&n.sql, "exponent");
    let scale = nx.scale.max(DIVISION_SCALE);
    let digits = MAX_DIGITS.min(MAX_PRECISION.saturating_sub(scale + nx.scale));
    if d == Dialect::Spark {
        // Spark's product of two decimals has a digit more than both together, and above 38
        // it drops decimals: a fold of products cannot stay exact there.
        return Err(CodegenError::Unsupported(
            "Spark SQL cannot compute `x ^ n` exactly for an exponent that differs per record (one written as a number works)".into(),
        ));
    }
    if d != Dialect::Postgres && scale + nx.scale > MAX_PRECISION - 1 {
        return Err(CodegenError::Unsupported(format!(
            "a power of a number with {} decimals is beyond {}'s decimals",
            nx.scale,
            d.name()
        )));
    }
    let acc_num = Num { scale, bound: None };
    let step = |acc: &str| -> String {
        let mut product = format!("({acc} * {})", x_sql.text);
        if d == Dialect::Postgres {
            product = fit_text(&product);
        }
        let rounded = round(
            d,
            &Sql::lit(product),
            Num {
                scale: scale + nx.scale,
                bound: None,
            },
            DIVISION_SCALE,
            Rounding::HalfUp,
        );
        rounded.sql.text
    };
    let magnitude = format!("CAST(abs({}) AS BIGINT)", n_sql.text);
    let text = match d {
        Dialect::Postgres => format!(
            "(WITH RECURSIVE factors(k, v) AS (SELECT 1, {x} UNION ALL SELECT k + 1, {} FROM factors WHERE k < {magnitude}) SELECT v FROM factors WHERE k = {magnitude})",
            step("v"),
            x = x_sql.text
        ),
        Dialect::DuckDb | Dialect::Spark => {
            let limit = format!("1e{digits}");
            let saturated = d.number(Decimal::from_i128_with_scale(10i128.pow(digits), 0));
            let guarded = format!(
                "CASE WHEN abs(CAST(acc AS DOUBLE) * CAST({x} AS DOUBLE)) >= {limit} THEN {} ELSE {} END",
                typed(d, &saturated, acc_num),
                typed(d, &step("acc"), acc_num),
                x = x_sql.text
            );
            let start = typed(d, &x_sql.text, acc_num);
            match d {
                Dialect::DuckDb => format!(
                    "list_reduce(range({magnitude} - 1), lambda acc, i: {guarded}, {start})"
                ),
                _ => format!(
                    "aggregate(array_repeat(0, CAST({magnitude} - 1 AS INT)), {start}, (acc, i) -> {guarded})"
                ),
            }
        }
    };
    let known = format!("{} IS NOT NULL AND {} IS NOT NULL", x_sql.text, n_sql.text);
    let text = format!(
        "(CASE WHEN NOT ({known}) THEN NULL WHEN {} = 0 THEN {} ELSE {} END)",
        n_sql.text,
        typed(d, &d.number(Decimal::ONE), acc_num),
        typed(d, &text, acc_num)
    );
    let product = p.bind(&Sql::over(text, &[&x_sql, &n_sql]), "power", None);
    let product = Val {
        sql: product,
        ty: Ty::Num(acc_num),
    };
    // Beyond the exact range: an overflow, as the runtime's product would have been.
    let checked = match d {
        Dialect::Postgres => finish(p, product.sql.clone(), acc_num, |_| String::new()),
        // The fold stopped at 10^digits: that, or beyond, is the overflow.
        Dialect::DuckDb | Dialect::Spark => {
            // Stopped there: for a negative exponent, one divided by a product that large is 0
            // at ten decimals, unless the runtime's product itself overflowed (estimated).
            let beyond = format!(
                "power(abs(CAST({} AS DOUBLE)), abs(CAST({} AS DOUBLE))) >= 7.9228162514264337e28",
                x_sql.text, n_sql.text
            );
            let over = format!(
                "(abs({}) >= 1e{digits} AND ({} > 0 OR {beyond}))",
                product.sql.text, n_sql.text
            );
            Computed {
                val: Val {
                    sql: Sql::over(
                        format!("(CASE WHEN {over} THEN NULL ELSE {} END)", product.sql.text),
                        &[&product.sql],
                    ),
                    ty: product.ty,
                },
                err: Some(Sql::over(
                    format!("(CASE WHEN {over} THEN 'overflow' END)"),
                    &[&product.sql],
                )),
            }
        }
    };
    let positive = Val {
        sql: p.share(&checked.val.sql, "power"),
        ty: checked.val.ty,
    };
    // A negative exponent: one divided by the product.
    let one = Val {
        sql: Sql::lit(d.number(Decimal::ONE)),
        ty: Ty::Num(Num::constant(Decimal::ONE)),
    };
    let inverse = divide(p, &one, &positive);
    let negative = Sql::over(format!("({} < 0)", n_sql.text), &[&n_sql]);
    let num = positive.num().either(inverse.val.num());
    let stopped = match d {
        Dialect::Postgres => String::new(),
        Dialect::DuckDb | Dialect::Spark => format!(
            " WHEN abs({}) >= 1e{digits} THEN {}",
            positive.sql.text,
            typed(d, "0", num)
        ),
    };
    let text = format!(
        "(CASE WHEN {} THEN (CASE WHEN {} IS NULL THEN NULL{stopped} ELSE {} END) ELSE {} END)",
        negative.text,
        positive.sql.text,
        typed(d, &inverse.val.sql.text, num),
        typed(d, &positive.sql.text, num)
    );
    Ok(Computed {
        val: Val {
            sql: Sql::over(text, &[&negative, &inverse.val.sql, &positive.sql]),
            ty: Ty::Num(num),
        },
        err: first_error(vec![checked.err, only_when(&negative, inverse.err)]),
    })
}

/// `x`'s unscaled value (its digits at its static scale) times `10^by`, as a whole number: from
/// its text, which both engines write with exactly the scale's decimals.
fn unscaled(d: Dialect, sql: &str, num: Num, by: u32) -> String {
    let text = format!(
        "replace(CAST({} AS {}), '.', '')",
        typed(d, sql, num),
        d.text_type()
    );
    let digits = whole_number(d, &text, MAX_PRECISION);
    if by == 0 {
        digits
    } else {
        format!(
            "({digits} * {})",
            whole_number(d, &power_of_ten(d, by), MAX_PRECISION)
        )
    }
}

/// A whole number held exactly, for the engine's integer arithmetic: `NUMERIC` as it is,
/// DuckDB's 128-bit `HUGEINT`, Spark's `DECIMAL(38, 0)`.
fn whole_number(d: Dialect, sql: &str, digits: u32) -> String {
    match d {
        Dialect::Postgres => sql.to_string(),
        Dialect::DuckDb => format!("CAST({sql} AS HUGEINT)"),
        Dialect::Spark => format!(
            "CAST({sql} AS DECIMAL({}, 0))",
            digits.clamp(1, MAX_PRECISION)
        ),
    }
}

/// `n / m` truncated toward zero, for whole numbers.
fn truncating_division(d: Dialect, n: &str, m: &str) -> String {
    match d {
        Dialect::Postgres => format!("div({n}, {m})"),
        // HUGEINT division truncates toward zero, as C's does.
        Dialect::DuckDb => format!("({n} // {m})"),
        // Spark's `%` on decimals is exact (Java's BigDecimal remainder); the difference divides
        // exactly, so the division's rounding to 6 decimals loses nothing.
        Dialect::Spark => format!("CAST((({n}) - ({n}) % ({m})) / ({m}) AS DECIMAL(38, 0))"),
    }
}

/// The first error of several, in evaluation order.
pub fn first_error(errors: Vec<Option<Sql>>) -> Option<Sql> {
    let errors: Vec<Sql> = errors.into_iter().flatten().collect();
    match errors.len() {
        0 => None,
        1 => errors.into_iter().next(),
        _ => {
            let parts: Vec<&Sql> = errors.iter().collect();
            let texts: Vec<&str> = errors.iter().map(|e| e.text.as_str()).collect();
            Some(Sql::over(format!("COALESCE({})", texts.join(", ")), &parts))
        }
    }
}

/// An error raised only when `condition` holds (a branch taken, an operand known).
pub fn only_when(condition: &Sql, error: Option<Sql>) -> Option<Sql> {
    error.map(|e| {
        Sql::over(
            format!("(CASE WHEN {} THEN {} END)", condition.text, e.text),
            &[condition, &e],
        )
    })
}

/// `x` rounded to `decimals` places the policy's way (`sql` is read several times: a column).
pub fn round(d: Dialect, sql: &Sql, num: Num, decimals: u32, mode: Rounding) -> Val {
    let out = num.rounded(decimals);
    if num.scale <= decimals {
        return Val {
            sql: sql.clone(),
            ty: Ty::Num(num),
        };
    }
    // The whole part stays as it is; only the fraction is scaled (so nothing grows past the
    // engine's digits): units = fraction · 10^decimals, t = its whole part, f = what is left.
    let x = typed(d, &sql.text, num);
    let integer = d.trunc(&x);
    let units = format!("(({x} - {integer}) * {})", power_of_ten(d, decimals));
    let whole = d.trunc(&units);
    let fraction = format!("abs({units} - {whole})");
    // The last kept digit's parity, for ties to even.
    let last = if decimals == 0 {
        integer.clone()
    } else {
        whole.clone()
    };
    let away = match mode {
        Rounding::HalfUp => format!("{fraction} >= 0.5"),
        Rounding::HalfDown => format!("{fraction} > 0.5"),
        Rounding::HalfEven => {
            format!("({fraction} > 0.5 OR ({fraction} = 0.5 AND ({last} % 2) <> 0))")
        }
        Rounding::Up => format!("{fraction} > 0"),
        Rounding::Down => "FALSE".to_string(),
    };
    let text = format!(
        "({integer} + ({whole} + CASE WHEN {away} THEN sign({x}) ELSE 0 END) * {})",
        tenth_power(d, decimals)
    );
    Val {
        sql: Sql::over(typed(d, &text, out), &[sql]),
        ty: Ty::Num(out),
    }
}
