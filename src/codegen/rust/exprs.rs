//! Expressions: IR → Rust expressions with the interpreter's semantics (`src/eval/interp.rs`).
//!
//! Every expression has a static type and is either *known* (never unknown for any record: a Rust
//! value of its type) or *maybe unknown* (an `Option`). Unknown values spread and `and`/`or` follow
//! Kleene's logic exactly as in the interpreter, and so does the order in which operands are
//! evaluated, which decides which error a record gets: both operands of arithmetic, comparisons,
//! `and` and `or` are always evaluated, `min`/`max` stop at the first unknown argument, `in` stops
//! at the first member found, `if` at the first condition that is not no. Arithmetic that can fail
//! ends in `?` (inside functions returning `Result<_, EvalErrorKind>`), never inside a closure.

use super::escape::{comment, str_lit};
use super::CodegenError;
use crate::ir::{Arith, Compare, Expr, InputKind, Missing, OutputKind, Policy, Ref, Value};
use crate::runtime::arith;
use rust_decimal::Decimal;
use std::cell::{Cell, RefCell};

/// The static type of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Number,
    Bool,
    Text,
    /// A member of the enum declared by this input.
    Enum(usize),
    Tier,
}

/// The static type of a table output: a list member is held as its name.
pub fn output_ty(kind: &OutputKind) -> Ty {
    match kind {
        OutputKind::Number => Ty::Number,
        OutputKind::Bool => Ty::Bool,
        OutputKind::Text | OutputKind::List(_) => Ty::Text,
    }
}

/// A translated expression.
#[derive(Clone, Debug)]
pub struct Code {
    pub text: String,
    pub ty: Ty,
    /// `text` is a plain value (else an `Option`).
    pub known: bool,
    /// `text` contains a `?`.
    pub fallible: bool,
    /// `text` can be an operand or a method receiver without parentheses.
    pub atomic: bool,
    /// The value, when the expression is a constant.
    pub constant: Option<Value>,
    /// `text` is a chain `a OP b OP …` of this boolean operator (`&&`, `&`, `||`, `|`), which a
    /// left operand of the same operator continues without brackets: a long `and` chain stays
    /// flat instead of nesting a bracket per term (which rustfmt takes minutes over).
    pub chain: Option<&'static str>,
}

impl Code {
    fn new(text: String, ty: Ty, known: bool) -> Self {
        Code {
            text,
            ty,
            known,
            fallible: false,
            atomic: false,
            constant: None,
            chain: None,
        }
    }

    fn atomic(mut self) -> Self {
        self.atomic = true;
        self
    }

    fn fallible(mut self, fallible: bool) -> Self {
        self.fallible = fallible;
        self
    }

    /// As an operand of an operator or a method receiver.
    pub fn operand(&self) -> String {
        if self.atomic {
            self.text.clone()
        } else {
            format!("({})", self.text)
        }
    }

    /// As an `Option`.
    pub fn opt(&self) -> String {
        if self.known {
            format!("Some({})", self.text)
        } else {
            self.text.clone()
        }
    }
}

/// The Rust names the expressions refer to.
pub struct Idents {
    /// Field of `Input`, per input.
    pub input_fields: Vec<String>,
    /// Field of `Lets`, per derived value.
    pub let_fields: Vec<String>,
    /// Field of `Lets`, per table output.
    pub output_fields: Vec<String>,
    /// Enum type, per input (empty for inputs that are not enums).
    pub enum_types: Vec<String>,
    /// Enum variants, per input.
    pub variants: Vec<Vec<String>>,
}

/// What an expression may read, and what it did read (for unused parameters).
pub struct Scope<'p> {
    pub policy: &'p Policy,
    pub idents: &'p Idents,
    /// Type and known-ness of each derived value computed so far.
    pub lets: Vec<(Ty, bool)>,
    /// Whether `score`, `tier` and `… applies` are available (in consequences).
    pub outcome: bool,
    pub used_input: Cell<bool>,
    pub used_lets: Cell<bool>,
    pub used_outcome: Cell<bool>,
    /// Whether the expression read whether another consequence applies (`applied`).
    pub used_applied: Cell<bool>,
    labels: Cell<usize>,
    /// The enums (by input) whose members the expressions name.
    pub enums: &'p RefCell<std::collections::BTreeSet<usize>>,
    /// Rule names, for comments.
    rule_names: RefCell<Vec<String>>,
}

type R<T> = Result<T, CodegenError>;

/// An arithmetic operation of the runtime.
type Op = fn(Decimal, Decimal) -> Result<Decimal, crate::runtime::EvalErrorKind>;

fn internal(message: impl Into<String>) -> CodegenError {
    CodegenError::Internal(message.into())
}

/// A decimal constant, exactly (scale included: `1.50` stays `1.50`).
pub fn dec(value: Decimal) -> String {
    let mantissa = value.mantissa();
    let scale = value.scale();
    match i64::try_from(mantissa) {
        Ok(m) => format!("Decimal::new({m}, {scale})"),
        Err(_) => format!("Decimal::from_i128_with_scale({mantissa}, {scale})"),
    }
}

impl<'p> Scope<'p> {
    pub fn new(
        policy: &'p Policy,
        idents: &'p Idents,
        enums: &'p RefCell<std::collections::BTreeSet<usize>>,
    ) -> Self {
        Scope {
            policy,
            idents,
            enums,
            lets: Vec::new(),
            outcome: false,
            used_input: Cell::new(false),
            used_lets: Cell::new(false),
            used_outcome: Cell::new(false),
            used_applied: Cell::new(false),
            labels: Cell::new(0),
            rule_names: RefCell::new(policy.rules.iter().map(|r| r.name.clone()).collect()),
        }
    }

    /// Forgets what the previous function read.
    pub fn reset(&self) {
        self.used_input.set(false);
        self.used_lets.set(false);
        self.used_outcome.set(false);
        self.used_applied.set(false);
        self.labels.set(0);
    }

    fn label(&self, what: &str) -> String {
        let n = self.labels.get() + 1;
        self.labels.set(n);
        format!("'{what}{n}")
    }

    /// The type of an expression, where it can be told without context (an enum member alone
    /// cannot).
    pub fn infer(&self, e: &Expr) -> Option<Ty> {
        Some(match e {
            Expr::Const(Value::Number(_)) => Ty::Number,
            Expr::Const(Value::Bool(_)) => Ty::Bool,
            Expr::Const(Value::Text(_)) => Ty::Text,
            Expr::Const(Value::Member(_)) => return None,
            Expr::Const(Value::Tier(_)) | Expr::Tier => Ty::Tier,
            Expr::Read(r) => self.ref_ty(*r)?,
            Expr::Score
            | Expr::Points(_)
            | Expr::Neg(_)
            | Expr::Arith(..)
            | Expr::Min(_)
            | Expr::Max(_)
            | Expr::Clamp(..) => Ty::Number,
            Expr::Applies(_)
            | Expr::ConsequenceApplies(_)
            | Expr::Not(_)
            | Expr::Compare(..)
            | Expr::Equal { .. }
            | Expr::And(..)
            | Expr::Or(..)
            | Expr::In { .. }
            | Expr::IsMissing { .. } => Ty::Bool,
            Expr::If {
                branches,
                otherwise,
            } => {
                return branches
                    .iter()
                    .map(|(_, v)| v)
                    .chain(std::iter::once(otherwise.as_ref()))
                    .find_map(|v| self.infer(v))
            }
        })
    }

    fn ref_ty(&self, r: Ref) -> Option<Ty> {
        match r {
            Ref::Input(i) => self.policy.inputs.get(i).map(|input| match input.kind {
                InputKind::Bool => Ty::Bool,
                InputKind::Whole | InputKind::Decimal => Ty::Number,
                InputKind::Enum(_) => Ty::Enum(i),
                InputKind::Text => Ty::Text,
            }),
            Ref::Let(l) => self.lets.get(l).map(|(ty, _)| *ty),
            Ref::Output(o) => self.policy.outputs.get(o).map(|out| output_ty(&out.kind)),
        }
    }

    /// Whether a read input or derived value is never unknown.
    pub fn ref_known(&self, r: Ref) -> bool {
        match r {
            Ref::Input(i) => self
                .policy
                .inputs
                .get(i)
                .is_some_and(|input| !matches!(input.missing, Missing::Unknown)),
            Ref::Let(l) => self.lets.get(l).is_some_and(|(_, known)| *known),
            // A table without a matching row and without a default has no outcome.
            Ref::Output(_) => false,
        }
    }

    /// An input or derived value, read.
    pub fn read(&self, r: Ref) -> R<Code> {
        let ty = self
            .ref_ty(r)
            .ok_or_else(|| internal("a read of an undeclared value"))?;
        let known = self.ref_known(r);
        let path = match r {
            Ref::Input(i) => {
                self.used_input.set(true);
                let field = self
                    .idents
                    .input_fields
                    .get(i)
                    .ok_or_else(|| internal("input out of range"))?;
                format!("input.{field}")
            }
            Ref::Let(l) => {
                self.used_lets.set(true);
                let field = self
                    .idents
                    .let_fields
                    .get(l)
                    .ok_or_else(|| internal("derived value out of range"))?;
                format!("lets.{field}")
            }
            Ref::Output(o) => {
                self.used_lets.set(true);
                let field = self
                    .idents
                    .output_fields
                    .get(o)
                    .ok_or_else(|| internal("output out of range"))?;
                format!("lets.{field}")
            }
        };
        let text = match (ty, known, r) {
            // Outputs hold `Option<&'static str>` already.
            (_, _, Ref::Output(_)) => path,
            (Ty::Text, true, _) => format!("{path}.as_str()"),
            (Ty::Text, false, _) => format!("{path}.as_deref()"),
            _ => path,
        };
        Ok(Code::new(text, ty, known).atomic())
    }

    /// A constant of type `hint` (needed for enum members).
    pub fn constant(&self, value: &Value, hint: Option<Ty>) -> R<Code> {
        let (text, ty) = match value {
            Value::Number(n) => (dec(*n), Ty::Number),
            Value::Bool(b) => (b.to_string(), Ty::Bool),
            Value::Text(t) => (str_lit(t), Ty::Text),
            Value::Member(m) => match hint {
                Some(Ty::Enum(input)) => (self.variant(input, *m as usize)?, Ty::Enum(input)),
                _ => return Err(internal("an enum member whose type is not known")),
            },
            Value::Tier(t) => {
                let name = self
                    .policy
                    .tiers
                    .get(*t as usize)
                    .map_or("", |t| t.name.as_str());
                (format!("{t} /* {} */", comment(name)), Ty::Tier)
            }
        };
        let mut code = Code::new(text, ty, true).atomic();
        code.constant = Some(value.clone());
        Ok(code)
    }

    /// `Type::Variant` of member `member` of input `input`'s enum.
    pub fn variant(&self, input: usize, member: usize) -> R<String> {
        self.enums.borrow_mut().insert(input);
        let ty = self
            .idents
            .enum_types
            .get(input)
            .ok_or_else(|| internal("enum out of range"))?;
        let variant = self
            .idents
            .variants
            .get(input)
            .and_then(|v| v.get(member))
            .ok_or_else(|| internal("member out of range"))?;
        Ok(format!("{ty}::{variant}"))
    }

    fn number_constant(&self, value: Decimal) -> Code {
        let mut code = Code::new(dec(value), Ty::Number, true).atomic();
        code.constant = Some(Value::Number(value));
        code
    }

    /// Translates `e`; `hint` is the type the context expects (used for enum members).
    pub fn expr(&self, e: &Expr, hint: Option<Ty>) -> R<Code> {
        match e {
            Expr::Const(v) => self.constant(v, hint),
            Expr::Read(r) => self.read(*r),
            Expr::Score => {
                self.outcome_used()?;
                Ok(Code::new("outcome.score".into(), Ty::Number, true).atomic())
            }
            Expr::Tier => {
                self.outcome_used()?;
                Ok(Code::new("outcome.tier".into(), Ty::Tier, false).atomic())
            }
            Expr::ConsequenceApplies(c) => {
                self.outcome_used()?;
                self.used_applied.set(true);
                let name = self
                    .policy
                    .consequences
                    .get(*c)
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                Ok(Code::new(
                    format!("applied[{c}] /* {} */", comment(&name)),
                    Ty::Bool,
                    true,
                )
                .atomic())
            }
            Expr::Points(rule) => self.outcome_of_rule("points", *rule, Ty::Number),
            Expr::Applies(rule) => self.outcome_of_rule("applies", *rule, Ty::Bool),
            Expr::Neg(x) => {
                let x = self.expr(x, Some(Ty::Number))?;
                if let Some(Value::Number(n)) = &x.constant {
                    return Ok(self.number_constant(-*n));
                }
                Ok(if x.known {
                    Code::new(format!("-{}", x.operand()), Ty::Number, true).fallible(x.fallible)
                } else {
                    Code::new(format!("{}.map(|v| -v)", x.operand()), Ty::Number, false)
                        .fallible(x.fallible)
                        .atomic()
                })
            }
            Expr::Not(x) => self.not(x),
            Expr::Arith(op, a, b) => self.arith(*op, a, b),
            Expr::Compare(op, a, b) => {
                let symbol = match op {
                    Compare::Lt => "<",
                    Compare::Le => "<=",
                    Compare::Gt => ">",
                    Compare::Ge => ">=",
                };
                let a = self.expr(a, Some(Ty::Number))?;
                let b = self.expr(b, Some(Ty::Number))?;
                Ok(self.binary_bool(&a, &b, symbol))
            }
            Expr::Equal { negated, lhs, rhs } => {
                let hint = self.infer(lhs).or_else(|| self.infer(rhs));
                let a = self.expr(lhs, hint)?;
                let b = self.expr(rhs, hint)?;
                Ok(self.binary_bool(&a, &b, if *negated { "!=" } else { "==" }))
            }
            Expr::And(a, b) => self.logic(a, b, "&&", "&", "and"),
            Expr::Or(a, b) => self.logic(a, b, "||", "|", "or"),
            Expr::In {
                negated,
                value,
                set,
            } => self.member_of(*negated, value, set),
            Expr::IsMissing { negated, what } => {
                if self.ref_known(*what) {
                    let mut code = Code::new(negated.to_string(), Ty::Bool, true).atomic();
                    code.constant = Some(Value::Bool(*negated));
                    return Ok(code);
                }
                let read = self.read(*what)?;
                let method = if *negated { "is_some" } else { "is_none" };
                Ok(Code::new(format!("{}.{method}()", read.text), Ty::Bool, true).atomic())
            }
            Expr::Min(args) => self.fold(args, "min"),
            Expr::Max(args) => self.fold(args, "max"),
            Expr::Clamp(x, lo, hi) => {
                let x = self.expr(x, Some(Ty::Number))?;
                let lo = self.expr(lo, Some(Ty::Number))?;
                let hi = self.expr(hi, Some(Ty::Number))?;
                let fallible = x.fallible || lo.fallible || hi.fallible;
                if let (Some(Value::Number(x)), Some(Value::Number(lo)), Some(Value::Number(hi))) =
                    (&x.constant, &lo.constant, &hi.constant)
                {
                    return Ok(self.number_constant(arith::clamp(*x, *lo, *hi)));
                }
                Ok(if x.known && lo.known && hi.known {
                    Code::new(
                        format!("arith::clamp({}, {}, {})", x.text, lo.text, hi.text),
                        Ty::Number,
                        true,
                    )
                    .atomic()
                    .fallible(fallible)
                } else {
                    Code::new(
                        format!(
                            "match ({}, {}, {}) {{ (Some(x), Some(lo), Some(hi)) => \
                             Some(arith::clamp(x, lo, hi)), _ => None }}",
                            x.opt(),
                            lo.opt(),
                            hi.opt()
                        ),
                        Ty::Number,
                        false,
                    )
                    .fallible(fallible)
                })
            }
            Expr::If {
                branches,
                otherwise,
            } => self.if_chain(branches, otherwise, hint),
        }
    }

    /// `outcome.METHOD(rule /* name */)`: what rule `rule` did, read once every rule has applied.
    fn outcome_of_rule(&self, method: &str, rule: usize, ty: Ty) -> R<Code> {
        self.outcome_used()?;
        let name = self
            .rule_names
            .borrow()
            .get(rule)
            .cloned()
            .unwrap_or_default();
        Ok(Code::new(
            format!("outcome.{method}({rule} /* {} */)", comment(&name)),
            ty,
            true,
        )
        .atomic())
    }

    fn outcome_used(&self) -> R<()> {
        if !self.outcome {
            return Err(internal(
                "the score, tier or rules read before the score is computed",
            ));
        }
        self.used_outcome.set(true);
        Ok(())
    }

    fn not(&self, x: &Expr) -> R<Code> {
        // `not (a < b)` is written `a >= b`: the same for decimals, which are totally ordered.
        let inverse = |op: Compare| match op {
            Compare::Lt => Compare::Ge,
            Compare::Le => Compare::Gt,
            Compare::Gt => Compare::Le,
            Compare::Ge => Compare::Lt,
        };
        match x {
            Expr::Compare(op, a, b) => {
                return self.expr(
                    &Expr::Compare(inverse(*op), a.clone(), b.clone()),
                    Some(Ty::Bool),
                )
            }
            Expr::Equal { negated, lhs, rhs } => {
                return self.expr(
                    &Expr::Equal {
                        negated: !negated,
                        lhs: lhs.clone(),
                        rhs: rhs.clone(),
                    },
                    Some(Ty::Bool),
                )
            }
            _ => {}
        }
        let x = self.expr(x, Some(Ty::Bool))?;
        if let Some(Value::Bool(b)) = &x.constant {
            let mut code = Code::new((!b).to_string(), Ty::Bool, true).atomic();
            code.constant = Some(Value::Bool(!b));
            return Ok(code);
        }
        Ok(if x.known {
            Code::new(format!("!{}", x.operand()), Ty::Bool, true).fallible(x.fallible)
        } else {
            Code::new(format!("{}.map(|b| !b)", x.operand()), Ty::Bool, false)
                .fallible(x.fallible)
                .atomic()
        })
    }

    fn arith(&self, op: Arith, a: &Expr, b: &Expr) -> R<Code> {
        let a = self.expr(a, Some(Ty::Number))?;
        let b = self.expr(b, Some(Ty::Number))?;
        let (name, f): (&str, Op) = match op {
            Arith::Add => ("add", arith::add),
            Arith::Sub => ("sub", arith::sub),
            Arith::Mul => ("mul", arith::mul),
            Arith::Div => ("div", arith::div),
            Arith::Pow => ("pow", arith::pow),
        };
        if let (Some(Value::Number(x)), Some(Value::Number(y))) = (&a.constant, &b.constant) {
            if let Ok(value) = f(*x, *y) {
                return Ok(self.number_constant(value));
            }
        }
        Ok(if a.known && b.known {
            Code::new(
                format!("arith::{name}({}, {})?", a.text, b.text),
                Ty::Number,
                true,
            )
            .fallible(true)
            .atomic()
        } else {
            Code::new(
                format!("arith::maybe({}, {}, arith::{name})?", a.opt(), b.opt()),
                Ty::Number,
                false,
            )
            .fallible(true)
            .atomic()
        })
    }

    /// A comparison or (in)equality of two operands of the same type. Numbers are compared with
    /// the runtime's `arith::lt` … `arith::eq` (the interpreter's fast comparison).
    fn binary_bool(&self, a: &Code, b: &Code, symbol: &str) -> Code {
        let fallible = a.fallible || b.fallible;
        let numeric = a.ty == Ty::Number;
        let apply = |x: &str, y: &str| -> String {
            if !numeric {
                return format!("{x} {symbol} {y}");
            }
            match symbol {
                "<" => format!("arith::lt({x}, {y})"),
                "<=" => format!("arith::le({x}, {y})"),
                ">" => format!("arith::gt({x}, {y})"),
                ">=" => format!("arith::ge({x}, {y})"),
                "==" => format!("arith::eq({x}, {y})"),
                _ => format!("!arith::eq({x}, {y})"),
            }
        };
        if a.known && b.known {
            let (x, y) = if numeric {
                (a.text.clone(), b.text.clone())
            } else {
                (a.operand(), b.operand())
            };
            let mut code = Code::new(apply(&x, &y), Ty::Bool, true).fallible(fallible);
            code.atomic = numeric && symbol != "!=";
            return code;
        }
        let text = if b.constant.is_some() {
            format!("{}.map(|a| {})", a.operand(), apply("a", &b.operand()))
        } else if a.constant.is_some() {
            format!("{}.map(|b| {})", b.operand(), apply(&a.operand(), "b"))
        } else {
            format!(
                "{}.zip({}).map(|(a, b)| {})",
                a.opt(),
                b.opt(),
                apply("a", "b")
            )
        };
        Code::new(text, Ty::Bool, false).fallible(fallible).atomic()
    }

    fn logic(
        &self,
        a: &Expr,
        b: &Expr,
        lazy: &'static str,
        eager: &'static str,
        kleene: &str,
    ) -> R<Code> {
        let a = self.expr(a, Some(Ty::Bool))?;
        let b = self.expr(b, Some(Ty::Bool))?;
        let fallible = a.fallible || b.fallible;
        Ok(if a.known && b.known {
            // Both sides are evaluated, as in the interpreter: a failing right-hand side must fail
            // the record even when the left-hand side decides the result.
            let symbol = if b.fallible { eager } else { lazy };
            // `(a && b) && c` is `a && b && c`; a chain of the other operator keeps its brackets
            // (`&` binds tighter than `&&`, and would change what is evaluated).
            let left = if a.chain == Some(symbol) {
                a.text.clone()
            } else {
                a.operand()
            };
            let mut code = Code::new(format!("{left} {symbol} {}", b.operand()), Ty::Bool, true)
                .fallible(fallible);
            code.chain = Some(symbol);
            code
        } else {
            Code::new(
                format!("arith::{kleene}({}, {})", a.opt(), b.opt()),
                Ty::Bool,
                false,
            )
            .fallible(fallible)
            .atomic()
        })
    }

    fn member_of(&self, negated: bool, value: &Expr, set: &[Expr]) -> R<Code> {
        let hint = self
            .infer(value)
            .or_else(|| set.iter().find_map(|m| self.infer(m)));
        let value = self.expr(value, hint)?;
        let members: Vec<Code> = set.iter().map(|m| self.expr(m, hint)).collect::<R<_>>()?;
        let bang = if negated { "!" } else { "" };
        if members.iter().all(|m| m.constant.is_some()) {
            // A member listed twice would be an unreachable pattern.
            let mut members = members.clone();
            let mut seen: Vec<Value> = Vec::new();
            members.retain(|m| match &m.constant {
                Some(c) if seen.contains(c) => false,
                Some(c) => {
                    seen.push(c.clone());
                    true
                }
                None => true,
            });
            let test = |v: &str| -> String {
                if value.ty == Ty::Number {
                    let list: Vec<&str> = members.iter().map(|m| m.text.as_str()).collect();
                    format!("{bang}[{}].contains(&{v})", list.join(", "))
                } else {
                    let list: Vec<&str> = members.iter().map(|m| m.text.as_str()).collect();
                    format!("{bang}matches!({v}, {})", list.join(" | "))
                }
            };
            return Ok(if value.known {
                let mut code =
                    Code::new(test(&value.text), Ty::Bool, true).fallible(value.fallible);
                code.atomic = !negated;
                code
            } else {
                Code::new(
                    format!("{}.map(|v| {})", value.operand(), test("v")),
                    Ty::Bool,
                    false,
                )
                .fallible(value.fallible)
                .atomic()
            });
        }
        // The general case, as the interpreter does it: members in order until one is found.
        let label = self.label("set");
        let mut body = String::new();
        for m in &members {
            if m.known {
                body.push_str(&format!(
                    "if {} == v {{ break {label} Some({}); }}\n",
                    m.operand(),
                    !negated
                ));
            } else {
                // A block (`'max1: { … }`) is bound first: clippy refuses one as a `match`
                // scrutinee.
                let scrutinee = if m.atomic {
                    m.text.clone()
                } else {
                    body.push_str(&format!("let member = {};\n", m.text));
                    "member".to_string()
                };
                body.push_str(&format!(
                    "match {scrutinee} {{ Some(m) if m == v => break {label} Some({}), Some(_) => {{}} \
                     None => unknown = true }}\n",
                    !negated
                ));
            }
        }
        let any_unknown = members.iter().any(|m| !m.known);
        let (declare, end) = if any_unknown {
            (
                "let mut unknown = false;\n".to_string(),
                format!("if unknown {{ None }} else {{ Some({negated}) }}"),
            )
        } else {
            (String::new(), format!("Some({negated})"))
        };
        let fallible = value.fallible || members.iter().any(|m| m.fallible);
        Ok(Code::new(
            format!(
                "match {} {{ None => None, Some(v) => {label}: {{ {declare}{body}{end} }} }}",
                value.opt()
            ),
            Ty::Bool,
            false,
        )
        .fallible(fallible))
    }

    /// `min(…)` or `max(…)`: stops at the first unknown argument.
    fn fold(&self, args: &[Expr], method: &str) -> R<Code> {
        let args: Vec<Code> = args
            .iter()
            .map(|a| self.expr(a, Some(Ty::Number)))
            .collect::<R<_>>()?;
        let fallible = args.iter().any(|a| a.fallible);
        let constants: Option<Vec<Decimal>> = args
            .iter()
            .map(|a| match &a.constant {
                Some(Value::Number(n)) => Some(*n),
                _ => None,
            })
            .collect();
        if let Some(values) = constants {
            let folded =
                values
                    .into_iter()
                    .reduce(|a, b| if method == "min" { a.min(b) } else { a.max(b) });
            if let Some(value) = folded {
                return Ok(self.number_constant(value));
            }
        }
        let Some((first, rest)) = args.split_first() else {
            return Err(internal("min or max of nothing"));
        };
        if args.iter().all(|a| a.known) {
            let mut text = first.text.clone();
            for a in rest {
                text = format!("arith::{method}({text}, {})", a.text);
            }
            return Ok(Code::new(text, Ty::Number, true)
                .fallible(fallible)
                .atomic());
        }
        let label = self.label(method);
        let mut body = String::new();
        let mut names = Vec::new();
        for (i, a) in args.iter().enumerate() {
            let name = format!("x{}", i + 1);
            if a.known {
                body.push_str(&format!("let {name} = {};\n", a.text));
            } else {
                body.push_str(&format!(
                    "let Some({name}) = {} else {{ break {label} None; }};\n",
                    super::rules::let_else(a)
                ));
            }
            names.push(name);
        }
        let mut result = names.first().cloned().unwrap_or_default();
        for name in names.iter().skip(1) {
            result = format!("arith::{method}({result}, {name})");
        }
        Ok(Code::new(
            format!("{label}: {{ {body}Some({result}) }}"),
            Ty::Number,
            false,
        )
        .fallible(fallible))
    }

    fn if_chain(&self, branches: &[(Expr, Expr)], otherwise: &Expr, hint: Option<Ty>) -> R<Code> {
        let hint = hint.or_else(|| {
            branches
                .iter()
                .map(|(_, v)| v)
                .chain(std::iter::once(otherwise))
                .find_map(|v| self.infer(v))
        });
        let mut parts = Vec::with_capacity(branches.len());
        for (condition, value) in branches {
            parts.push((
                self.expr(condition, Some(Ty::Bool))?,
                self.expr(value, hint)?,
            ));
        }
        let otherwise = self.expr(otherwise, hint)?;
        let ty = otherwise.ty;
        let known = otherwise.known && parts.iter().all(|(c, v)| c.known && v.known);
        let fallible = otherwise.fallible || parts.iter().any(|(c, v)| c.fallible || v.fallible);
        let value = |v: &Code| if known { v.text.clone() } else { v.opt() };
        // Built from the last branch outwards.
        let mut text = value(&otherwise);
        let mut is_if = false;
        for (condition, v) in parts.iter().rev() {
            text = if condition.known {
                let rest = if is_if {
                    format!("else {text}")
                } else {
                    format!("else {{ {text} }}")
                };
                is_if = true;
                format!("if {} {{ {} }} {rest}", condition.text, value(v))
            } else {
                is_if = false;
                format!(
                    "match {} {{ Some(true) => {}, Some(false) => {text}, None => None }}",
                    condition.text,
                    value(v)
                )
            };
        }
        Ok(Code::new(text, ty, known).fallible(fallible))
    }
}
