//! Types and name resolution for expressions.
//!
//! Each name occurrence is resolved once, here, and recorded in [`Model::resolutions`] under its
//! span. A bare name next to an enum value (`employment = retired`) or the tier (`tier is D`) is
//! resolved as a member of that enum or a tier, which is why some calls pass a type *hint*; so is a
//! quoted text there (`employment = "SELF-EMPLOYED"`), by `members.rs`.

use super::err::{did_you_mean, type_mismatch, CheckError};
use super::members::Written;
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
    /// A derived value's expression: what is known only once every rule has been applied
    /// (`score`, `tier`, a rule's `applies`, `points of`, `rules fired`) may be read, and makes the
    /// value one computed after the rules.
    pub after_rules: bool,
    /// Whether the expression read any of those.
    pub reads_outcome: bool,
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

    pub fn derived() -> Self {
        Scope {
            after_rules: true,
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
            // A quoted text next to a list value is a member: `employment = "SELF-EMPLOYED"`.
            ExprKind::Text(t) => match hint {
                Some(list @ (Type::Enum(_) | Type::Outcome(_))) => {
                    match self.resolve_member(list, Written::text(t, expr.span)) {
                        Some(_) => list,
                        None => Type::Error,
                    }
                }
                _ => Type::Text,
            },
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
            ExprKind::PointsOf(name) => {
                self.only_in_consequence(expr.span, "`points of …`", scope);
                self.points_of(name, scope);
                Type::Number
            }
            ExprKind::RulesFired(group) => {
                self.only_in_consequence(expr.span, "`rules fired`", scope);
                if let Some(group) = group {
                    self.group_name(group, "`rules fired in …`");
                }
                Type::Number
            }
            ExprKind::Applies(rule) => {
                self.only_in_consequence(expr.span, "`… applies`", scope);
                match self.model.lookup(&rule.node) {
                    Some(Symbol::Rule(r)) => {
                        self.model.resolutions.insert(rule.span, Resolved::Rule(r));
                    }
                    Some(Symbol::Consequence(_)) if !scope.in_consequence => self.report(
                        CheckError::new(
                            Code::OutOfContext,
                            rule.span,
                            format!(
                                "whether the consequence `{}` applies can only be read by another consequence",
                                rule.node
                            ),
                            "not available here",
                        )
                        .with_help("consequences are decided last; a derived value or a table can read the rules, the score and the tier instead"),
                    ),
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
                // A table's output is unknown when no row matches (and there is no `otherwise`).
                let is_input = match &value.node {
                    ExprKind::Name(n) => matches!(
                        self.model.lookup(n),
                        Some(Symbol::Indicator(_) | Symbol::Let(_) | Symbol::Output(_))
                    ),
                    _ => false,
                };
                self.expr(value, None, scope);
                if !is_input {
                    self.report(
                        CheckError::new(
                            Code::TypeMismatch,
                            value.span,
                            "only an indicator, a derived value or a table's output can be missing",
                            "this cannot be missing",
                        )
                        .with_help("write the name of an indicator, a derived value or a table's output before `is missing`"),
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
        let (lt, rt) = if self.needs_hint(lhs, scope) {
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

    /// Whether `expr` is a bare name that only makes sense next to an enum value or the tier, or
    /// a quoted text (a text, or a member next to an enum value). A function's argument is a
    /// value of its own, as an indicator is (`kind = employed` in a body).
    fn needs_hint(&self, expr: &Expr, scope: &Scope) -> bool {
        match &expr.node {
            ExprKind::Name(n) => {
                let argument = scope
                    .function
                    .and_then(|f| self.model.functions.get(f))
                    .is_some_and(|f| f.args.iter().any(|a| a.name == *n));
                !argument && matches!(self.model.lookup(n), None | Some(Symbol::Tier(_)))
            }
            ExprKind::Text(_) => true,
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
        // A bare name next to a list value is a member first (an indicator's or a table
        // output's).
        if let Some(list @ (Type::Enum(_) | Type::Outcome(_))) = hint {
            let is_member = self
                .model
                .members(list)
                .is_some_and(|m| m.iter().any(|m| m == name));
            if is_member
                && self
                    .resolve_member(list, Written::name(name, span))
                    .is_some()
            {
                return list;
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
            Some(Symbol::Output(o)) => {
                self.refer(Resolved::Output(o), Symbol::Output(o), span, scope);
                self.model.outputs.get(o).map_or(Type::Error, |x| x.ty(o))
            }
            Some(Symbol::Table(t)) => {
                let outputs: Vec<String> = self
                    .model
                    .tables
                    .get(t)
                    .map(|table| {
                        table
                            .outputs
                            .iter()
                            .filter_map(|o| self.model.outputs.get(*o))
                            .map(|o| format!("`{}`", o.decl.name.node))
                            .collect()
                    })
                    .unwrap_or_default();
                self.report(
                    CheckError::new(
                        Code::WrongKindOfName,
                        span,
                        format!("`{name}` is a decision table, not a value"),
                        "a table name",
                    )
                    .with_help(if outputs.is_empty() {
                        "read one of the table's outputs by its name".to_string()
                    } else {
                        format!(
                            "read one of the table's outputs by its name: {}",
                            crate::text::join_and(&outputs)
                        )
                    }),
                );
                Type::Error
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
                    Some(list @ (Type::Enum(_) | Type::Outcome(_))) => {
                        self.resolve_member(list, Written::name(name, span));
                    }
                    Some(Type::Tier) => self.unknown(name, span, |s| matches!(s, Symbol::Tier(_))),
                    _ => self.unknown(name, span, |s| {
                        matches!(
                            s,
                            Symbol::Indicator(_)
                                | Symbol::Param(_)
                                | Symbol::Let(_)
                                | Symbol::Output(_)
                        )
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

    /// Reports `what` (known only once every rule has been applied) read by a rule; notes it
    /// read by a derived value.
    fn only_in_consequence(&mut self, span: Span, what: &str, scope: &mut Scope) {
        if scope.after_rules {
            scope.reads_outcome = true;
        } else if !scope.in_consequence {
            self.report(
                CheckError::new(
                    Code::OutOfContext,
                    span,
                    format!("{what} can only be used in a consequence's `when` condition, a derived value or a table"),
                    "not available here",
                )
                .with_help(if what.contains("applies") || what.contains("points") || what.contains("fired") {
                    "what the rules did is only known once every rule has been applied; use that rule's condition instead"
                } else {
                    "rules are computed before the score and tier exist; use the indicators instead"
                }),
            );
        }
    }

    /// `points of NAME`: a rule's contribution or a group's subtotal.
    fn points_of(&mut self, name: &crate::syntax::ast::Ident, scope: &mut Scope) {
        match self.model.lookup(&name.node) {
            Some(Symbol::Rule(r)) => {
                self.model.resolutions.insert(name.span, Resolved::Rule(r));
                scope.refs.push((Resolved::Rule(r), name.span));
            }
            Some(Symbol::Group(g)) => {
                self.model.resolutions.insert(name.span, Resolved::Group(g));
                scope.refs.push((Resolved::Group(g), name.span));
            }
            Some(other) => self.report(
                CheckError::new(
                    Code::WrongKindOfName,
                    name.span,
                    format!(
                        "`{}` is {}, which gives no points",
                        name.node,
                        other.a_kind()
                    ),
                    other.a_kind(),
                )
                .with_help("write `points of <rule>` or `points of <group>`"),
            ),
            None => self.unknown(&name.node, name.span, |s| {
                matches!(s, Symbol::Rule(_) | Symbol::Group(_))
            }),
        }
    }

    /// A group named by `what` (`rules fired in …`).
    fn group_name(&mut self, name: &crate::syntax::ast::Ident, what: &str) {
        match self.model.lookup(&name.node) {
            Some(Symbol::Group(g)) => {
                self.model.resolutions.insert(name.span, Resolved::Group(g));
            }
            Some(other) => self.report(
                CheckError::new(
                    Code::WrongKindOfName,
                    name.span,
                    format!(
                        "{what} needs a group, but `{}` is {}",
                        name.node,
                        other.a_kind()
                    ),
                    other.a_kind(),
                )
                .with_help("name a group, or write `rules fired` for all rules"),
            ),
            None => self.unknown(&name.node, name.span, |s| matches!(s, Symbol::Group(_))),
        }
    }
}
