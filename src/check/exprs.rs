//! Types and name resolution for expressions.
//!
//! Each name occurrence is resolved once, here, and recorded in [`Model::resolutions`] under its
//! span. A bare name next to an enum value (`employment = retired`) or the tier (`tier is D`) is
//! resolved as a member of that enum or a tier, which is why some calls pass a type *hint*.

use super::err::{did_you_mean, type_mismatch, CheckError};
use super::model::*;
use super::Checker;
use crate::diagnostics::Code;
use crate::span::Span;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};

/// Where an expression appears, and what it referred to.
#[derive(Default)]
pub struct Scope {
    /// `score`, `tier` and `… applies` are allowed (a consequence's condition).
    pub in_consequence: bool,
    /// Every indicator, param and derived value named, with where.
    pub refs: Vec<(Resolved, Span)>,
    /// The function whose body this is: names are its arguments and the params.
    pub function: Option<usize>,
    /// Inside the values passed to a function (`functions.rs` counts a call's size once).
    pub in_call: bool,
}

impl Scope {
    pub fn consequence() -> Self {
        Scope {
            in_consequence: true,
            ..Scope::default()
        }
    }
}

const FUNCTIONS: [&str; 3] = ["min", "max", "clamp"];

impl Checker<'_> {
    /// Checks `expr` and reports a mismatch unless it has type `want`.
    pub(super) fn expect(
        &mut self,
        expr: &Expr,
        want: Type,
        context: &str,
        scope: &mut Scope,
    ) -> Type {
        let found = self.expr(expr, Some(want), scope);
        if found != want && found != Type::Error {
            let error = type_mismatch(
                expr.span,
                &self.model.describe_type(want),
                &self.model.describe_type(found),
                context,
            );
            let error = match (want, found) {
                (Type::Bool, Type::Number) => {
                    error.with_help("compare it with something, for example `… >= 1`")
                }
                _ => error,
            };
            self.report(error);
            return Type::Error;
        }
        found
    }

    /// The type of `expr`, resolving every name in it.
    pub(super) fn expr(&mut self, expr: &Expr, hint: Option<Type>, scope: &mut Scope) -> Type {
        match &expr.node {
            ExprKind::Number(_) => Type::Number,
            ExprKind::Text(_) => Type::Text,
            ExprKind::Bool(_) => Type::Bool,
            ExprKind::Name(name) => self.resolve_name(name, expr.span, hint, scope),
            ExprKind::Score => {
                self.only_in_consequence(expr.span, "`score`", scope);
                Type::Number
            }
            ExprKind::Tier => {
                self.only_in_consequence(expr.span, "`tier`", scope);
                Type::Tier
            }
            ExprKind::Applies(rule) => {
                self.only_in_consequence(expr.span, "`… applies`", scope);
                match self.model.lookup(&rule.node) {
                    Some(Symbol::Rule(r)) => {
                        self.model.resolutions.insert(rule.span, Resolved::Rule(r));
                    }
                    Some(Symbol::Consequence(c)) => {
                        // Another consequence: `consequences.rs` orders them and finds cycles.
                        self.model
                            .resolutions
                            .insert(rule.span, Resolved::Consequence(c));
                        scope.refs.push((Resolved::Consequence(c), rule.span));
                    }
                    Some(other) => self.report(
                        CheckError::new(
                            Code::WrongKindOfName,
                            rule.span,
                            format!(
                                "`{}` is {}, not a rule or a consequence, so it cannot apply",
                                rule.node,
                                other.a_kind()
                            ),
                            "not a rule or a consequence",
                        )
                        .with_help(
                            "`applies` tests whether a rule fired or a consequence applies: write `<rule or consequence name> applies`",
                        ),
                    ),
                    None => self.unknown(&rule.node, rule.span, |s| {
                        matches!(s, Symbol::Rule(_) | Symbol::Consequence(_))
                    }),
                }
                Type::Bool
            }
            ExprKind::Unary(UnaryOp::Neg, inner) => self.expect(inner, Type::Number, "`-`", scope),
            ExprKind::Unary(UnaryOp::Not, inner) => self.expect(inner, Type::Bool, "`not`", scope),
            ExprKind::Binary(op, lhs, rhs) => self.binary(*op, lhs, rhs, scope),
            ExprKind::In { value, set, .. } => {
                let ty = self.expr(value, None, scope);
                for member in set {
                    let member_ty = self.expr(member, Some(ty), scope);
                    self.same_type(ty, member_ty, member.span, "a list after `in`");
                }
                Type::Bool
            }
            ExprKind::IsMissing { value, .. } => {
                let is_input = match &value.node {
                    ExprKind::Name(n) => matches!(
                        self.model.lookup(n),
                        Some(Symbol::Indicator(_) | Symbol::Let(_))
                    ),
                    _ => false,
                };
                self.expr(value, None, scope);
                if !is_input {
                    self.report(
                        CheckError::new(
                            Code::TypeMismatch,
                            value.span,
                            "only an indicator or a derived value can be missing",
                            "this cannot be missing",
                        )
                        .with_help("write the name of an indicator before `is missing`"),
                    );
                }
                Type::Bool
            }
            ExprKind::Call { func, args } => {
                // A built-in's name always means the built-in (E1504 for a function declared so).
                let built_in = FUNCTIONS.contains(&func.node.as_str());
                if let (false, Some(Symbol::Function(f))) =
                    (built_in, self.model.lookup(&func.node))
                {
                    self.model
                        .resolutions
                        .insert(func.span, Resolved::Function(f));
                    self.used.insert(Symbol::Function(f));
                    return self.call(f, expr, func, args, scope);
                }
                let arity_ok = match func.node.as_str() {
                    "min" | "max" => args.len() >= 2,
                    "clamp" => args.len() == 3,
                    _ => {
                        self.report(
                            CheckError::new(
                                Code::BadCall,
                                func.span,
                                format!("there is no function called `{}`", func.node),
                                "unknown function",
                            )
                            .with_help({
                                let declared: Vec<&str> = self
                                    .model
                                    .functions
                                    .iter()
                                    .map(|f| f.decl.name.node.as_str())
                                    .collect();
                                did_you_mean(&func.node, FUNCTIONS.into_iter().chain(declared.iter().copied()))
                                    .unwrap_or_else(|| {
                                        if declared.is_empty() {
                                            "the functions are `min`, `max` and `clamp`".to_string()
                                        } else {
                                            format!(
                                                "the functions are `min`, `max`, `clamp` and the policy's own {}",
                                                crate::text::join_and(&declared.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>())
                                            )
                                        }
                                    })
                            }),
                        );
                        true
                    }
                };
                if !arity_ok {
                    let wanted = if func.node == "clamp" {
                        "3 values (the value, the lowest and the highest)"
                    } else {
                        "at least 2 values"
                    };
                    self.report(CheckError::new(
                        Code::BadCall,
                        expr.span,
                        format!(
                            "`{}` takes {wanted}, but is given {}",
                            func.node,
                            args.len()
                        ),
                        "wrong number of values",
                    ));
                }
                let context = format!("`{}`", func.node);
                for arg in args {
                    self.expect(arg, Type::Number, &context, scope);
                }
                Type::Number
            }
            ExprKind::If {
                branches,
                otherwise,
            } => {
                let mut ty: Option<Type> = None;
                for (condition, value) in branches {
                    self.expect(condition, Type::Bool, "the condition after `if`", scope);
                    let value_ty = self.expr(value, ty.or(hint), scope);
                    ty = Some(self.merge_branch(ty, value_ty, value.span));
                }
                let value_ty = self.expr(otherwise, ty.or(hint), scope);
                self.merge_branch(ty, value_ty, otherwise.span)
            }
        }
    }

    fn merge_branch(&mut self, so_far: Option<Type>, next: Type, span: Span) -> Type {
        match so_far {
            None | Some(Type::Error) => next,
            Some(ty) => {
                if self.same_type(ty, next, span, "every branch of an `if`") {
                    ty
                } else {
                    Type::Error
                }
            }
        }
    }

    /// Reports unless `found` is `want` (or either is already an error).
    fn same_type(&mut self, want: Type, found: Type, span: Span, context: &str) -> bool {
        if want == found || want == Type::Error || found == Type::Error {
            return true;
        }
        let error = type_mismatch(
            span,
            &self.model.describe_type(want),
            &self.model.describe_type(found),
            context,
        );
        self.report(error);
        false
    }

    fn binary(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr, scope: &mut Scope) -> Type {
        let context = format!("`{}`", op.symbol());
        if op.is_logical() {
            self.expect(lhs, Type::Bool, &context, scope);
            self.expect(rhs, Type::Bool, &context, scope);
            return Type::Bool;
        }
        if op.is_arithmetic() {
            self.expect(lhs, Type::Number, &context, scope);
            self.expect(rhs, Type::Number, &context, scope);
            return Type::Number;
        }
        if !matches!(op, BinaryOp::Eq | BinaryOp::Ne) {
            self.expect(lhs, Type::Number, &context, scope);
            self.expect(rhs, Type::Number, &context, scope);
            return Type::Bool;
        }
        // Equality: a bare member or tier name takes its meaning from the other side.
        let (lt, rt) = if self.needs_hint(lhs) {
            let rt = self.expr(rhs, None, scope);
            (self.expr(lhs, Some(rt), scope), rt)
        } else {
            let lt = self.expr(lhs, None, scope);
            (lt, self.expr(rhs, Some(lt), scope))
        };
        if lt != rt && lt != Type::Error && rt != Type::Error {
            self.report(
                CheckError::new(
                    Code::TypeMismatch,
                    lhs.span.to(rhs.span),
                    format!(
                        "cannot compare {} with {}",
                        self.model.describe_type(lt),
                        self.model.describe_type(rt)
                    ),
                    "these never match",
                )
                .with_secondary(lhs.span, self.model.describe_type(lt))
                .with_secondary(rhs.span, self.model.describe_type(rt)),
            );
        }
        Type::Bool
    }

    /// Whether `expr` is a bare name that only makes sense next to an enum value or the tier.
    fn needs_hint(&self, expr: &Expr) -> bool {
        match &expr.node {
            ExprKind::Name(n) => matches!(self.model.lookup(n), None | Some(Symbol::Tier(_))),
            _ => false,
        }
    }

    fn resolve_name(
        &mut self,
        name: &str,
        span: Span,
        hint: Option<Type>,
        scope: &mut Scope,
    ) -> Type {
        if let Some(Type::Enum(indicator)) = hint {
            let member = self
                .model
                .indicators
                .get(indicator)
                .and_then(|i| match &i.kind {
                    ValueKind::Enum(members) => members.iter().position(|m| m == name),
                    _ => None,
                });
            if let Some(member) = member {
                self.model
                    .resolutions
                    .insert(span, Resolved::Member { indicator, member });
                return Type::Enum(indicator);
            }
        }
        if let Some(function) = scope.function {
            if let Some(ty) = self.argument(function, name, span) {
                return ty;
            }
            if let Some(symbol @ (Symbol::Indicator(_) | Symbol::Let(_))) = self.model.lookup(name)
            {
                self.outside_function(function, name, span, symbol);
                return Type::Error;
            }
        }
        match self.model.lookup(name) {
            Some(Symbol::Indicator(i)) => {
                self.refer(Resolved::Indicator(i), Symbol::Indicator(i), span, scope);
                self.model
                    .indicators
                    .get(i)
                    .map_or(Type::Error, |ind| ind.kind.value_type(i))
            }
            Some(Symbol::Param(p)) => {
                self.refer(Resolved::Param(p), Symbol::Param(p), span, scope);
                Type::Number
            }
            Some(Symbol::Let(l)) => {
                self.refer(Resolved::Let(l), Symbol::Let(l), span, scope);
                self.model.lets.get(l).map_or(Type::Error, |x| x.ty)
            }
            Some(Symbol::Tier(t)) if hint == Some(Type::Tier) => {
                self.model.resolutions.insert(span, Resolved::Tier(t));
                Type::Tier
            }
            Some(Symbol::Tier(_)) => {
                self.report(
                    CheckError::new(
                        Code::WrongKindOfName,
                        span,
                        format!("`{name}` is a tier, not a value"),
                        "a tier name",
                    )
                    .with_help(format!(
                        "to test the policy's tier, write `tier is {name}` in a consequence"
                    )),
                );
                Type::Error
            }
            Some(Symbol::Rule(_)) => {
                let help = if scope.in_consequence {
                    format!("to test whether the rule fired, write `{name} applies`")
                } else {
                    "rules add or deduct points; they are not values that other rules can use"
                        .to_string()
                };
                self.report(
                    CheckError::new(
                        Code::WrongKindOfName,
                        span,
                        format!("`{name}` is a rule, not a value"),
                        "a rule name",
                    )
                    .with_help(help),
                );
                Type::Error
            }
            Some(other) => {
                self.report(CheckError::new(
                    Code::WrongKindOfName,
                    span,
                    format!("`{name}` is {}, not a value", other.a_kind()),
                    format!("{} name", other.a_kind()),
                ));
                Type::Error
            }
            None => {
                match hint {
                    Some(Type::Enum(indicator)) => self.not_a_member(name, span, indicator),
                    Some(Type::Tier) => self.unknown(name, span, |s| matches!(s, Symbol::Tier(_))),
                    _ => self.unknown(name, span, |s| {
                        matches!(s, Symbol::Indicator(_) | Symbol::Param(_) | Symbol::Let(_))
                    }),
                }
                Type::Error
            }
        }
    }

    /// The type of argument `name` of function `function`, resolving the name, if it is one.
    fn argument(&mut self, function: usize, name: &str, span: Span) -> Option<Type> {
        let f = self.model.functions.get(function)?;
        let index = f.args.iter().position(|a| a.name == name)?;
        let ty = f.args.get(index).map_or(Type::Error, |a| a.ty);
        self.model
            .resolutions
            .insert(span, Resolved::Argument { function, index });
        self.used_args.insert((function, index));
        Some(ty)
    }

    /// E1502: a function's body names an indicator or a derived value.
    fn outside_function(&mut self, function: usize, name: &str, span: Span, symbol: Symbol) {
        self.used.insert(symbol);
        let Some(f) = self.model.functions.get(function) else {
            return;
        };
        self.report(
            CheckError::new(
                Code::FunctionReadsRecord,
                span,
                format!(
                    "the function `{}` uses {} `{name}`, but a function can use only its arguments and the params",
                    f.decl.name.node,
                    symbol.kind()
                ),
                format!("{} of the record", symbol.a_kind()),
            )
            .with_secondary(f.decl.name.span, "the function is declared here")
            .with_help(format!(
                "add an argument for it, and pass `{name}` where the function is called"
            )),
        );
    }

    fn refer(&mut self, resolved: Resolved, symbol: Symbol, span: Span, scope: &mut Scope) {
        self.model.resolutions.insert(span, resolved);
        self.used.insert(symbol);
        scope.refs.push((resolved, span));
    }

    /// Reports an unknown name, suggesting the closest declared name of a fitting kind.
    pub(super) fn unknown(&mut self, name: &str, span: Span, fits: impl Fn(Symbol) -> bool) {
        let candidates: Vec<&str> = {
            let mut c: Vec<&str> = self
                .model
                .names
                .iter()
                .filter(|(_, (s, _))| fits(*s))
                .map(|(n, _)| n.as_str())
                .collect();
            c.sort_unstable();
            c
        };
        let help = did_you_mean(name, candidates.iter().copied());
        self.report(
            CheckError::new(
                Code::UnknownName,
                span,
                format!("nothing is called `{name}`"),
                "unknown name",
            )
            .with_help_opt(help),
        );
    }

    fn not_a_member(&mut self, name: &str, span: Span, indicator: usize) {
        let Some(info) = self.model.indicators.get(indicator) else {
            return;
        };
        let ValueKind::Enum(members) = &info.kind else {
            return;
        };
        let help = did_you_mean(name, members.iter().map(String::as_str))
            .unwrap_or_else(|| format!("the values are {}", super::declare::list(members)));
        let error = CheckError::new(
            Code::UnknownMember,
            span,
            format!(
                "`{name}` is not one of the values of `{}`",
                info.decl.name.node
            ),
            "not a declared value",
        )
        .with_secondary(info.decl.ty.span, "the values are declared here")
        .with_help(help);
        self.report(error);
    }

    fn only_in_consequence(&mut self, span: Span, what: &str, scope: &Scope) {
        if !scope.in_consequence {
            self.report(
                CheckError::new(
                    Code::OutOfContext,
                    span,
                    format!("{what} can only be used in a consequence's `when` condition"),
                    "not available here",
                )
                .with_help(if what.contains("applies") {
                    "whether a rule fired is only known once every rule has been applied; use that rule's condition instead"
                } else {
                    "rules are computed before the score and tier exist; use the indicators instead"
                }),
            );
        }
    }
}
