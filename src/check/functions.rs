//! Functions: their arguments, their bodies' types, the calls among them (a function may call
//! others, never itself, directly or through others), and how large calls grow once written out.
//!
//! A function's body may use its arguments and the params, nothing else: what it computes is then
//! fully given by the call (the values a call passes are checked, traced for protected attributes
//! and reported in decisions where the call stands), and the body can be read, and analysed, on
//! its own. A call means the body with the call's values in place of the arguments; lowering
//! writes it out so (`ir::lower`), so the evaluators need nothing new, and this pass bounds how
//! large that gets (E1505).

use super::err::CheckError;
use super::exprs::Scope;
use super::model::*;
use super::Checker;
use crate::diagnostics::Code;
use crate::span::Span;
use crate::syntax::ast::{ArgumentType, Expr, ExprKind};
use crate::syntax::walk::walk;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// The names of the built-in functions, which a declared function cannot take.
pub const BUILT_IN: [&str; 3] = ["min", "max", "clamp"];

/// The most parts one call may grow to once the functions it calls are written out.
pub const MAX_CALL: u64 = 10_000;
/// The most parts all calls of a policy may grow to together.
pub const MAX_TOTAL: u64 = 1_000_000;
/// The most levels one call may nest once the functions it calls are written out. Every later
/// stage recurses once per level; with the written expression around it (at most
/// `syntax::MAX_EXPR_HEIGHT`), this keeps every tree well within the stack.
pub const MAX_CALL_HEIGHT: u64 = 1_000;

/// How large an expression is once every call in it is written out: its parts besides the
/// arguments of the function it stands in, and how often each of those arguments appears.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Size {
    pub parts: u64,
    pub uses: Vec<u64>,
}

impl Size {
    pub fn total(&self) -> u64 {
        self.uses
            .iter()
            .fold(self.parts, |sum, u| sum.saturating_add(*u))
    }
}

impl Checker<'_> {
    /// Checks every function: its arguments, then the bodies in an order where each function comes
    /// after those it calls (so each call's type is known), then the recursive ones (typed as
    /// errors, so their other mistakes are still reported).
    pub(super) fn functions(&mut self) {
        let count = self.model.functions.len();
        for index in 0..count {
            self.arguments(index);
        }
        let edges: Vec<Vec<(usize, Span)>> = self
            .model
            .functions
            .iter()
            .map(|f| {
                let mut calls = Vec::new();
                walk(&f.decl.body, &mut |e| {
                    if let ExprKind::Call { func, .. } = &e.node {
                        if let (false, Some(Symbol::Function(g))) = (
                            BUILT_IN.contains(&func.node.as_str()),
                            self.model.lookup(&func.node),
                        ) {
                            calls.push((g, func.span));
                        }
                    }
                });
                calls
            })
            .collect();
        let ordered = super::graph::order(&edges);
        for cycle in &ordered.cycles {
            self.report(recursion(&self.model, cycle));
        }
        let cyclic: Vec<usize> = (0..count).filter(|i| !ordered.order.contains(i)).collect();
        for index in ordered.order.iter().copied().chain(cyclic) {
            let Some(decl) = self.model.functions.get(index).map(|f| f.decl) else {
                continue;
            };
            let mut scope = Scope {
                function: Some(index),
                ..Scope::default()
            };
            let ty = self.expr(&decl.body, None, &mut scope);
            let recursive = ordered.cyclic.get(index).copied().unwrap_or(true);
            let mut size = self.size(&decl.body, Some(index));
            let too_large_body = !recursive && size.total() > MAX_CALL;
            if too_large_body {
                self.report(too_large(
                    decl.name.span,
                    format!(
                        "the function `{}` grows to more than {MAX_CALL} parts once the functions it calls are written out",
                        decl.name.node
                    ),
                ));
                // Reported once, here: its calls are not measured again.
                size = Size {
                    parts: 1,
                    uses: vec![0; size.uses.len()],
                };
            }
            // A body that nests too deep once written out has its calls reported where they
            // are, inside it (`bound_call`); its own calls are then not reported again.
            let height = if recursive || too_large_body {
                1
            } else {
                self.height(&decl.body)
            };
            let too_deep_body = height > MAX_CALL_HEIGHT;
            if let Some(f) = self.model.functions.get_mut(index) {
                f.height = height;
                f.result = if recursive || too_large_body || too_deep_body || ty == Type::Tier {
                    Type::Error
                } else {
                    ty
                };
                f.size = size.parts;
                f.uses = size.uses;
            }
            self.unused_arguments(index);
        }
    }

    /// Resolves the declared arguments of function `index`: their types and ranges, and names
    /// that cannot be used (a built-in's, a param's, an argument's twice).
    fn arguments(&mut self, index: usize) {
        let Some(decl) = self.model.functions.get(index).map(|f| f.decl) else {
            return;
        };
        if BUILT_IN.contains(&decl.name.node.as_str()) {
            // Calls of the name mean the built-in, so it is never called: one message is enough.
            self.used.insert(Symbol::Function(index));
            self.report(
                CheckError::new(
                    Code::BadFunction,
                    decl.name.span,
                    format!(
                        "a function cannot be called `{}`: that is a built-in function",
                        decl.name.node
                    ),
                    "the name of a built-in function",
                )
                .with_help(
                    "choose another name; `min`, `max` and `clamp` are part of the language",
                ),
            );
        }
        let mut seen: HashMap<&str, Span> = HashMap::new();
        let mut args = Vec::new();
        for arg in &decl.args {
            let name = &arg.node.name;
            if let Some(first) = seen.get(name.node.as_str()) {
                self.report(
                    CheckError::new(
                        Code::BadFunction,
                        name.span,
                        format!(
                            "the function `{}` has two arguments called `{}`",
                            decl.name.node, name.node
                        ),
                        "second one here",
                    )
                    .with_secondary(*first, "first one here")
                    .with_help("give each argument a name of its own"),
                );
            } else {
                seen.insert(&name.node, name.span);
            }
            if let Some((Symbol::Param(_), at)) = self.model.names.get(&name.node) {
                self.report(
                    CheckError::new(
                        Code::BadFunction,
                        name.span,
                        format!("the argument `{}` has the name of a param", name.node),
                        "also the name of a param",
                    )
                    .with_secondary(*at, "the param is declared here")
                    .with_help("a function's body can use the params, so its arguments need other names; rename the argument"),
                );
            }
            let (ty, whole, range) = match &arg.node.ty.node {
                ArgumentType::Boolean => (Type::Bool, false, None),
                ArgumentType::Count(r) => (Type::Number, true, Some((r.as_ref(), true))),
                ArgumentType::Integer(r) => (Type::Number, true, Some((r.as_ref(), false))),
                ArgumentType::Decimal(r) => (Type::Number, false, Some((r.as_ref(), false))),
                ArgumentType::Text => (Type::Text, false, None),
                ArgumentType::MemberOf(indicator) => (self.list_of(indicator), false, None),
            };
            let (mut min, mut max) = (None, None);
            if let Some((written, count)) = range {
                if count {
                    min = Some(Decimal::ZERO);
                }
                if let Some(r) = written {
                    if r.min.node > r.max.node || (count && r.min.node < Decimal::ZERO) {
                        self.report(
                            CheckError::new(
                                Code::InvalidRange,
                                arg.node.ty.span,
                                format!("the range of the argument `{}` is empty or below 0 for a count", name.node),
                                "no value fits",
                            )
                            .with_help("write the lowest value first, for example `0 to 10`"),
                        );
                    } else {
                        min = Some(r.min.node);
                        max = Some(r.max.node);
                    }
                }
            }
            args.push(ArgumentInfo {
                name: name.node.clone(),
                span: name.span,
                ty,
                whole,
                min,
                max,
            });
        }
        if let Some(f) = self.model.functions.get_mut(index) {
            f.args = args;
        }
    }

    /// The type of a member of the list `indicator` declares (`one of employment`).
    fn list_of(&mut self, indicator: &crate::syntax::ast::Ident) -> Type {
        match self.model.lookup(&indicator.node) {
            Some(Symbol::Indicator(i))
                if matches!(
                    self.model.indicators.get(i).map(|x| &x.kind),
                    Some(ValueKind::Enum(_))
                ) =>
            {
                self.model
                    .resolutions
                    .insert(indicator.span, Resolved::Indicator(i));
                self.used.insert(Symbol::Indicator(i));
                Type::Enum(i)
            }
            Some(other) => {
                self.report(
                    CheckError::new(
                        Code::BadFunction,
                        indicator.span,
                        format!(
                            "`{}` is {}, not an indicator with a list of values",
                            indicator.node,
                            other.a_kind()
                        ),
                        "no list of values",
                    )
                    .with_help(
                        "write `one of <indicator>` with an indicator declared `one of [ … ]`",
                    ),
                );
                Type::Error
            }
            None => {
                self.unknown(&indicator.node, indicator.span, |s| {
                    matches!(s, Symbol::Indicator(_))
                });
                Type::Error
            }
        }
    }

    /// W1501 for each argument of function `index` its body never names.
    fn unused_arguments(&mut self, index: usize) {
        let Some(f) = self.model.functions.get(index) else {
            return;
        };
        let mut found = Vec::new();
        for (k, arg) in f.args.iter().enumerate() {
            // A repeated name is E1504 already; its second argument cannot be named at all.
            let repeated = f.args.iter().position(|a| a.name == arg.name) != Some(k);
            if !repeated && !self.used_args.contains(&(index, k)) {
                found.push(
                    CheckError::new(
                        Code::UnusedArgument,
                        arg.span,
                        format!(
                            "the function `{}` never uses its argument `{}`",
                            f.decl.name.node, arg.name
                        ),
                        "not used in the body",
                    )
                    .with_help(
                        "use it in the body, or remove it (and the value each call passes for it)",
                    ),
                );
            }
        }
        self.problems.extend(found);
    }

    /// Checks a call of function `function` (the name is resolved already): the number of values,
    /// each value against its argument's type, and how large the call grows once written out.
    pub(super) fn call(
        &mut self,
        function: usize,
        call: &Expr,
        func: &crate::syntax::ast::Ident,
        values: &[Expr],
        scope: &mut Scope,
    ) -> Type {
        let Some(info) = self.model.functions.get(function) else {
            return Type::Error;
        };
        let name = info.decl.name.node.clone();
        let args: Vec<(String, Type)> = info.args.iter().map(|a| (a.name.clone(), a.ty)).collect();
        let result = info.result;
        let decl_span = info.decl.name.span;
        if values.len() != args.len() {
            let names: Vec<String> = args.iter().map(|(n, _)| format!("`{n}`")).collect();
            self.report(
                CheckError::new(
                    Code::ArgumentCount,
                    call.span,
                    format!(
                        "`{name}` takes {}, but is given {}",
                        count_of(args.len(), "value"),
                        values.len()
                    ),
                    "wrong number of values",
                )
                .with_secondary(decl_span, format!("`{name}` is declared here"))
                .with_help(if names.is_empty() {
                    format!("call it as `{name}()`")
                } else {
                    format!(
                        "give one value for each of {}, in that order",
                        crate::text::join_and(&names)
                    )
                }),
            );
        }
        let in_call = std::mem::replace(&mut scope.in_call, true);
        for (k, value) in values.iter().enumerate() {
            match args.get(k) {
                Some((arg, ty)) if *ty != Type::Error => {
                    let context = format!("the argument `{arg}` of `{name}`");
                    self.expect(value, *ty, &context, scope);
                }
                _ => {
                    self.expr(value, None, scope);
                }
            }
        }
        scope.in_call = in_call;
        if result != Type::Error && values.len() == args.len() {
            self.bound_call(call, func, scope);
        }
        result
    }

    /// E1505 when the call `call` grows too large once written out; outside function bodies the
    /// sizes are also added up for the whole policy.
    fn bound_call(&mut self, call: &Expr, func: &crate::syntax::ast::Ident, scope: &Scope) {
        let height = self.height(call);
        if height > MAX_CALL_HEIGHT {
            if let ExprKind::Call { args, .. } = &call.node {
                if args.iter().any(|a| self.height(a) > MAX_CALL_HEIGHT) {
                    // The call in its argument is already reported.
                    return;
                }
            }
            self.report(too_large(
                func.span,
                format!("this call of `{}` nests {height} levels deep once the functions it calls are written out, more than {MAX_CALL_HEIGHT}", func.node),
            ));
            return;
        }
        let size = self.size(call, scope.function).total();
        if size > MAX_CALL {
            self.report(too_large(
                func.span,
                format!("this call of `{}` grows to more than {MAX_CALL} parts once the functions it calls are written out", func.node),
            ));
            return;
        }
        if scope.function.is_none() && !scope.in_call {
            let before = self.expanded;
            self.expanded = self.expanded.saturating_add(size);
            if before <= MAX_TOTAL && self.expanded > MAX_TOTAL {
                self.report(too_large(
                    func.span,
                    format!("the calls of functions in this policy grow to more than {MAX_TOTAL} parts once written out; this one passes the limit"),
                ));
            }
        }
    }

    /// How large `expr` is once every call in it is written out; `function` is the function whose
    /// body it is part of, if any (its arguments are counted apart).
    pub(super) fn size(&self, expr: &Expr, function: Option<usize>) -> Size {
        let arity = function
            .and_then(|f| self.model.functions.get(f))
            .map_or(0, |f| f.args.len());
        let mut out = Size {
            parts: 0,
            uses: vec![0; arity],
        };
        match (&expr.node, self.model.resolution(expr.span)) {
            (ExprKind::Name(_), Some(Resolved::Argument { index, .. })) => {
                if let Some(u) = out.uses.get_mut(index) {
                    *u = 1;
                }
            }
            (ExprKind::Call { func, args }, _) => {
                let callee = match self.model.resolution(func.span) {
                    Some(Resolved::Function(g)) => self.model.functions.get(g),
                    _ => None,
                };
                let sizes: Vec<Size> = args.iter().map(|a| self.size(a, function)).collect();
                match callee {
                    Some(g) => {
                        out.parts = g.size;
                        for (k, a) in sizes.iter().enumerate() {
                            let times = g.uses.get(k).copied().unwrap_or(0);
                            out.add(a, times);
                        }
                    }
                    None => {
                        out.parts = 1;
                        for a in &sizes {
                            out.add(a, 1);
                        }
                    }
                }
            }
            (node, _) => {
                out.parts = 1;
                for child in node.children() {
                    let s = self.size(child, function);
                    out.add(&s, 1);
                }
            }
        }
        out
    }
}

impl Checker<'_> {
    /// How many levels deep `expr` nests once every call in it is written out, a function's
    /// arguments counted as nothing (see [`FunctionInfo::height`](super::model::FunctionInfo)).
    pub(super) fn height(&self, expr: &Expr) -> u64 {
        match (&expr.node, self.model.resolution(expr.span)) {
            (ExprKind::Name(_), Some(Resolved::Argument { .. })) => 0,
            (ExprKind::Call { func, args }, _) => {
                let deepest = args.iter().map(|a| self.height(a)).max().unwrap_or(0);
                let callee = match self.model.resolution(func.span) {
                    Some(Resolved::Function(g)) => self.model.functions.get(g),
                    _ => None,
                };
                callee.map_or(1, |g| g.height).saturating_add(deepest)
            }
            (node, _) => node
                .children()
                .into_iter()
                .map(|c| self.height(c))
                .max()
                .unwrap_or(0)
                .saturating_add(1),
        }
    }
}

impl Size {
    /// Adds `other`, `times` times over.
    fn add(&mut self, other: &Size, times: u64) {
        self.parts = self.parts.saturating_add(other.parts.saturating_mul(times));
        for (mine, theirs) in self.uses.iter_mut().zip(&other.uses) {
            *mine = mine.saturating_add(theirs.saturating_mul(times));
        }
    }
}

/// "1 value", "3 values".
fn count_of(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn too_large(span: Span, message: String) -> CheckError {
    CheckError::new(Code::FunctionTooLarge, span, message, "too large once written out")
        .with_help("a call stands for its function's body with the values in place of the arguments; call fewer functions inside each other, or compute a shared part once as a derived value")
}

/// E1500: functions that call each other in a circle (or one that calls itself).
fn recursion(model: &Model<'_>, cycle: &[(usize, Span)]) -> CheckError {
    super::graph::cycle_error(
        cycle,
        |i| {
            model
                .functions
                .get(i)
                .map(|f| (f.decl.name.node.clone(), f.decl.name.span))
        },
        &super::graph::CycleWords {
            code: Code::RecursiveFunction,
            itself: &|name| format!("the function {name} calls itself"),
            several: &|names| format!("the functions {names} call each other in a cycle"),
            edge: &|user, used| format!("`{user}` calls `{used}` here"),
            help: "a function can only call functions that do not call it back; write the repeated step out, or compute it as a derived value",
        },
    )
}
