//! Range analysis: an abstract evaluation of every expression over intervals of exact decimals,
//! starting from the declared indicator ranges and the params' values.
//!
//! Each derived value is analysed once, in dependency order; each rule's condition once, and its
//! points once under what the condition says about the values it tests (`when x > 0` makes `x`
//! positive inside the rule; a bin narrows its subject to the bin's values; an `if` narrows each
//! branch). So the cost is linear in the size of the policy.
//!
//! The results are over-approximations: every value a record can produce lies in the computed
//! range, so "never" and "always" findings are proofs, while the score range may be wider than what
//! records can really reach (rules are treated as independent). From them the checker reports:
//!
//! | code | finding |
//! |---|---|
//! | W1000 | the score can leave the scale (before clamping) |
//! | W1001 | a tier no score can reach |
//! | W1002 | a rule or consequence whose condition is never true |
//! | W1003 | a rule whose condition is always true |
//! | W1004 | a division whose divisor can be 0 |
//! | W1005 | a cap (`at most`, `at least`) that never changes the points |
//!
//! The same evaluator, given one indicator to *focus* on, also works out in which direction every
//! value moves when that indicator grows (used by `monotone.rs`).

use super::err::CheckError;
use super::intervals::{sweep, End, Interval};
use super::model::*;
use crate::diagnostics::Code;
use crate::span::Span;
use crate::syntax::ast::{
    self, BinPattern, BinaryOp, Bound, CapKind, Expr, ExprKind, Literal, RoundingMode, RuleItem,
    UnaryOp, Verb,
};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

/// Decimal places kept by `/` (the evaluator's rule; see `ir::DIVISION_DECIMALS`).
const DIVISION_DECIMALS: u32 = crate::ir::DIVISION_DECIMALS;

/// What the analysis found, kept in the [`Model`] for the IR, the documentation and explanations.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// By rule index (the order of `Model::rules`).
    pub rules: Vec<RuleRange>,
    /// The score before clamping (after rounding): every record's total lies inside.
    pub before: Interval,
    /// The score after clamping to the scale.
    pub after: Interval,
    /// By tier index: whether some score in `after` falls in the tier.
    pub tiers_reachable: Vec<bool>,
}

/// The least and most one rule can contribute (after caps, weight and rounding, counting "does
/// not apply" as 0). `None` is unbounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleRange {
    pub least: Option<Decimal>,
    pub most: Option<Decimal>,
    /// Whether some record makes the rule apply.
    pub can_fire: bool,
    /// Whether some record makes it not apply (its condition false or unknown, or no bin used).
    pub can_skip: bool,
}

/// Analyses a checked policy with the given param values (the written ones, or `--set` ones).
/// Returns the analysis and the warnings it gives rise to.
pub fn analyse(model: &Model<'_>, params: &[Decimal]) -> (Analysis, Vec<CheckError>) {
    let mut a = Analyzer::new(model, params);
    a.base_lets();
    let mut rules = Vec::with_capacity(model.rules.len());
    for index in 0..model.rules.len() {
        rules.push(a.rule(index).range);
    }
    let header = &model.header;
    let mut total = Interval::point(header.start);
    for r in &rules {
        total = total.add(&Interval {
            lo: r.least.map(inclusive),
            hi: r.most.map(inclusive),
        });
    }
    let before = total.map_monotone(|v| round(v, header.decimals, header.rounding));
    let after = before
        .max_with(&Interval::point(header.min))
        .min_with(&Interval::point(header.max));
    let step = Some(header.step());
    let tiers_reachable: Vec<bool> = model
        .tiers
        .iter()
        .map(|t| !t.range.intersect(&after).is_empty(step))
        .collect();
    a.score = Some(after);
    a.tiers = tiers_reachable.clone();
    a.fires = rules.iter().map(|r| (r.can_fire, r.can_skip)).collect();
    let analysis = Analysis {
        rules,
        before,
        after,
        tiers_reachable,
    };
    a.scale_and_tiers(&analysis);
    a.consequences();
    (analysis, a.problems)
}

fn inclusive(value: Decimal) -> End {
    End {
        value,
        inclusive: true,
    }
}

fn round(v: Decimal, decimals: u32, mode: RoundingMode) -> Decimal {
    v.round_dp_with_strategy(decimals, mode.strategy())
}

// -------------------------------------------------------------------------------------------------
// Abstract values

/// How a value moves when the focused indicator grows, all else equal. For yes/no values "up"
/// means towards *yes* (with *unknown* between no and yes, as in Kleene's logic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    /// Does not depend on it.
    Const,
    /// Never goes down.
    Inc,
    /// Never goes up.
    Dec,
    /// Could not be decided.
    Any,
}

impl Dir {
    pub fn flip(self) -> Dir {
        match self {
            Dir::Inc => Dir::Dec,
            Dir::Dec => Dir::Inc,
            d => d,
        }
    }

    /// The direction of a sum (or of any function non-decreasing in both).
    pub fn and(self, other: Dir) -> Dir {
        match (self, other) {
            (Dir::Const, d) | (d, Dir::Const) => d,
            (a, b) if a == b => a,
            _ => Dir::Any,
        }
    }

    /// The direction of `self` times a factor of known sign (`None`: either sign).
    fn scale(self, sign: Option<bool>) -> Dir {
        match (self, sign) {
            (Dir::Const, _) => Dir::Const,
            (d, Some(true)) => d,
            (d, Some(false)) => d.flip(),
            (_, None) => Dir::Any,
        }
    }

    /// Whether a score that moves this way is allowed to move with an indicator that `higher`
    /// improves (`true`) or worsens (`false`).
    pub fn fits(self, higher_is_better: bool) -> bool {
        match self {
            Dir::Const => true,
            Dir::Inc => higher_is_better,
            Dir::Dec => !higher_is_better,
            Dir::Any => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Num {
        iv: Interval,
        whole: bool,
    },
    Bool {
        t: bool,
        f: bool,
    },
    /// Which members of an enum (or which tiers) are possible.
    Set(Vec<bool>),
    /// A text: one known text, or any.
    Text(Option<String>),
    /// Nothing is known (an expression the checker already rejected).
    Any,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Abs {
    pub val: Val,
    /// The value can be unknown (`missing means unknown`).
    pub unknown: bool,
    pub dir: Dir,
    /// Whether the value's being unknown can itself depend on the focused indicator.
    pub unk_varies: bool,
}

impl Abs {
    fn new(val: Val) -> Abs {
        Abs {
            val,
            unknown: false,
            dir: Dir::Const,
            unk_varies: false,
        }
    }

    fn any() -> Abs {
        Abs {
            val: Val::Any,
            unknown: true,
            dir: Dir::Any,
            unk_varies: true,
        }
    }

    fn point(v: Decimal) -> Abs {
        Abs::new(Val::Num {
            iv: Interval::point(v),
            whole: v.fract().is_zero(),
        })
    }

    fn truth(t: bool, f: bool) -> Abs {
        Abs::new(Val::Bool { t, f })
    }

    pub fn iv(&self) -> Interval {
        match &self.val {
            Val::Num { iv, .. } => *iv,
            _ => Interval::everything(),
        }
    }

    fn whole(&self) -> bool {
        matches!(self.val, Val::Num { whole: true, .. })
    }

    /// Whether the value can be yes / no.
    pub fn tf(&self) -> (bool, bool) {
        match self.val {
            Val::Bool { t, f } => (t, f),
            _ => (true, true),
        }
    }

    fn with_unknown(mut self, unknown: bool, varies: bool) -> Abs {
        self.unknown = unknown;
        self.unk_varies = varies;
        self
    }

    /// Every value of either (the dependence on the focus is set by the caller where it matters).
    fn join(&self, other: &Abs) -> Abs {
        let val = match (&self.val, &other.val) {
            (Val::Num { iv: a, whole: wa }, Val::Num { iv: b, whole: wb }) => Val::Num {
                iv: a.hull(b),
                whole: *wa && *wb,
            },
            (Val::Bool { t: ta, f: fa }, Val::Bool { t: tb, f: fb }) => Val::Bool {
                t: *ta || *tb,
                f: *fa || *fb,
            },
            (Val::Set(a), Val::Set(b)) if a.len() == b.len() => {
                Val::Set(a.iter().zip(b).map(|(x, y)| *x || *y).collect())
            }
            (Val::Text(a), Val::Text(b)) if a == b => Val::Text(a.clone()),
            (Val::Text(_), Val::Text(_)) => Val::Text(None),
            _ => Val::Any,
        };
        Abs {
            val,
            unknown: self.unknown || other.unknown,
            dir: self.dir.and(other.dir),
            unk_varies: self.unk_varies || other.unk_varies,
        }
    }
}

/// Whether some value of `a` is below (or, with `or_equal`, at most) some value of `b`.
fn exists_below(a: &Interval, b: &Interval, or_equal: bool) -> bool {
    match (a.lo, b.hi) {
        (Some(lo), Some(hi)) => {
            lo.value < hi.value
                || (or_equal && lo.value == hi.value && lo.inclusive && hi.inclusive)
        }
        _ => true,
    }
}

/// Whether the two values can be equal, and whether they must be.
fn equality(a: &Val, b: &Val) -> (bool, bool) {
    match (a, b) {
        (Val::Num { iv: x, .. }, Val::Num { iv: y, .. }) => {
            let may = !x.intersect(y).is_empty(None);
            let must = matches!((x.as_point(), y.as_point()), (Some(p), Some(q)) if p == q);
            (may, must)
        }
        (Val::Bool { t: ta, f: fa }, Val::Bool { t: tb, f: fb }) => {
            let may = (*ta && *tb) || (*fa && *fb);
            let must = (*ta != *fa) && (*tb != *fb) && ta == tb;
            (may, must)
        }
        (Val::Set(x), Val::Set(y)) => {
            let may = x.iter().zip(y).any(|(p, q)| *p && *q);
            let single = |s: &Vec<bool>| {
                let mut it = s.iter().enumerate().filter(|(_, b)| **b);
                match (it.next(), it.next()) {
                    (Some((i, _)), None) => Some(i),
                    _ => None,
                }
            };
            let must = matches!((single(x), single(y)), (Some(i), Some(j)) if i == j);
            (may, must)
        }
        (Val::Text(Some(x)), Val::Text(Some(y))) => (x == y, x == y),
        _ => (true, false),
    }
}

/// Kleene's `and` / `or` over the sets of possible truth values.
fn kleene(a: &Abs, b: &Abs, is_and: bool) -> (bool, bool, bool) {
    let values = |x: &Abs| {
        let (t, f) = x.tf();
        [(t, Some(true)), (f, Some(false)), (x.unknown, None::<bool>)]
    };
    let (mut t, mut f, mut u) = (false, false, false);
    for (pa, va) in values(a) {
        for (pb, vb) in values(b) {
            if !(pa && pb) {
                continue;
            }
            let r = if is_and {
                match (va, vb) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), Some(true)) => Some(true),
                    _ => None,
                }
            } else {
                match (va, vb) {
                    (Some(true), _) | (_, Some(true)) => Some(true),
                    (Some(false), Some(false)) => Some(false),
                    _ => None,
                }
            };
            match r {
                Some(true) => t = true,
                Some(false) => f = true,
                None => u = true,
            }
        }
    }
    (t, f, u)
}

// -------------------------------------------------------------------------------------------------
// Environments: what is known about named values at one point (base facts plus narrowings)

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Key {
    Ind(usize),
    Let(usize),
}

#[derive(Clone, Default)]
struct Env {
    facts: Vec<(Key, Abs)>,
    /// No record reaches this point.
    dead: bool,
}

/// One rule's analysis.
pub struct RuleResult {
    pub range: RuleRange,
    /// In focus mode: how the rule's contribution moves as the focused indicator grows.
    pub dir: Dir,
}

pub struct Analyzer<'m, 'a> {
    model: &'m Model<'a>,
    params: &'m [Decimal],
    inds: Vec<Abs>,
    lets: Vec<Abs>,
    focus: Option<usize>,
    focus_lets: HashMap<usize, Abs>,
    quiet: bool,
    problems: Vec<CheckError>,
    reported: HashSet<(Code, Span)>,
    score: Option<Interval>,
    tiers: Vec<bool>,
    fires: Vec<(bool, bool)>,
}

impl<'m, 'a> Analyzer<'m, 'a> {
    pub fn new(model: &'m Model<'a>, params: &'m [Decimal]) -> Self {
        let inds = model
            .indicators
            .iter()
            .map(|info| {
                let val = match &info.kind {
                    ValueKind::Bool => Val::Bool { t: true, f: true },
                    ValueKind::Count | ValueKind::Integer | ValueKind::Decimal => Val::Num {
                        iv: Interval {
                            lo: info.min.map(inclusive),
                            hi: info.max.map(inclusive),
                        },
                        whole: info.kind.is_whole(),
                    },
                    ValueKind::Enum(members) => Val::Set(vec![true; members.len()]),
                    ValueKind::Text => Val::Text(None),
                };
                Abs::new(val).with_unknown(info.missing == Missing::Unknown, false)
            })
            .collect();
        Analyzer {
            model,
            params,
            inds,
            lets: vec![Abs::any(); model.lets.len()],
            focus: None,
            focus_lets: HashMap::new(),
            quiet: false,
            problems: Vec::new(),
            reported: HashSet::new(),
            score: None,
            tiers: Vec::new(),
            fires: Vec::new(),
        }
    }

    /// Analyses every derived value once, in dependency order.
    pub fn base_lets(&mut self) {
        for &index in &self.model.let_order {
            let Some(decl) = self.model.lets.get(index).map(|l| l.decl) else {
                continue;
            };
            let value = self.eval(&decl.value, &Env::default());
            if let Some(slot) = self.lets.get_mut(index) {
                *slot = value;
            }
        }
    }

    /// Switches to focus mode on `indicator`: later rule analyses also work out directions. No
    /// warnings are reported in focus mode. `lets` are the derived values that depend on the
    /// indicator, in dependency order (see [`Analyzer::dependencies`]); they are analysed again.
    pub fn focus_on(&mut self, indicator: usize, lets: &[usize]) {
        self.focus = Some(indicator);
        self.quiet = true;
        self.focus_lets.clear();
        for &index in lets {
            let Some(decl) = self.model.lets.get(index).map(|l| l.decl) else {
                continue;
            };
            let value = self.eval(&decl.value, &Env::default());
            self.focus_lets.insert(index, value);
        }
    }

    /// For each derived value and each rule, the indicators among `wanted` it reads, directly or
    /// through derived values. One pass over the policy (plus the size of the sets).
    pub fn dependencies(&self, wanted: &[usize]) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
        let mut lets: Vec<Vec<usize>> = vec![Vec::new(); self.model.lets.len()];
        let resolve = |refs: &[Resolved], lets: &[Vec<usize>]| {
            let mut out: Vec<usize> = Vec::new();
            for r in refs {
                match r {
                    Resolved::Indicator(i) if wanted.contains(i) => out.push(*i),
                    Resolved::Let(l) => out.extend(lets.get(*l).into_iter().flatten().copied()),
                    _ => {}
                }
            }
            out.sort_unstable();
            out.dedup();
            out
        };
        for &index in &self.model.let_order {
            let Some(decl) = self.model.lets.get(index).map(|l| l.decl) else {
                continue;
            };
            let mut refs = Vec::new();
            self.refs(&decl.value, &mut refs);
            let deps = resolve(&refs, &lets);
            if let Some(slot) = lets.get_mut(index) {
                *slot = deps;
            }
        }
        let rules = (0..self.model.rules.len())
            .map(|index| resolve(&self.rule_refs(index), &lets))
            .collect();
        (lets, rules)
    }

    /// Everything rule `index` names: its subject, condition, points, `per` and caps.
    fn rule_refs(&self, index: usize) -> Vec<Resolved> {
        let mut refs = Vec::new();
        let Some(info) = self.model.rules.get(index) else {
            return refs;
        };
        if let Some(subject) = info.subject {
            refs.push(subject);
        }
        for item in &info.decl.items {
            match &item.node {
                RuleItem::When(e) => self.refs(e, &mut refs),
                RuleItem::Effect(effect) => {
                    self.refs(&effect.amount, &mut refs);
                    if let Some(per) = &effect.per {
                        self.refs(per, &mut refs);
                    }
                    for cap in &effect.caps {
                        self.refs(&cap.node.value, &mut refs);
                    }
                }
                RuleItem::Bin(bin) => self.refs(&bin.amount, &mut refs),
                _ => {}
            }
        }
        refs
    }

    /// The indicators, params and derived values named in `expr`.
    pub fn refs(&self, expr: &Expr, out: &mut Vec<Resolved>) {
        match &expr.node {
            ExprKind::Name(_) => {
                if let Some(r) = self.model.resolution(expr.span) {
                    out.push(r);
                }
            }
            ExprKind::Unary(_, e) | ExprKind::IsMissing { value: e, .. } => self.refs(e, out),
            ExprKind::Binary(_, a, b) => {
                self.refs(a, out);
                self.refs(b, out);
            }
            ExprKind::In { value, set, .. } => {
                self.refs(value, out);
                set.iter().for_each(|e| self.refs(e, out));
            }
            ExprKind::Call { args, .. } => args.iter().for_each(|e| self.refs(e, out)),
            ExprKind::If {
                branches,
                otherwise,
            } => {
                for (c, v) in branches {
                    self.refs(c, out);
                    self.refs(v, out);
                }
                self.refs(otherwise, out);
            }
            _ => {}
        }
    }

    fn param(&self, index: usize) -> Decimal {
        self.params
            .get(index)
            .copied()
            .or_else(|| self.model.params.get(index).map(|p| p.value))
            .unwrap_or_default()
    }

    fn lookup(&self, env: &Env, key: Key) -> Abs {
        if let Some((_, abs)) = env.facts.iter().rev().find(|(k, _)| *k == key) {
            return abs.clone();
        }
        match key {
            Key::Ind(i) => {
                let mut abs = self.inds.get(i).cloned().unwrap_or_else(Abs::any);
                if self.focus == Some(i) {
                    // Two records that differ only in this value, both known.
                    abs.dir = Dir::Inc;
                    abs.unknown = false;
                }
                abs
            }
            Key::Let(l) => match self.focus_lets.get(&l) {
                Some(abs) => abs.clone(),
                None => self.lets.get(l).cloned().unwrap_or_else(Abs::any),
            },
        }
    }

    fn key(&self, expr: &Expr) -> Option<Key> {
        match &expr.node {
            ExprKind::Name(_) => match self.model.resolution(expr.span)? {
                Resolved::Indicator(i) => Some(Key::Ind(i)),
                Resolved::Let(l) => Some(Key::Let(l)),
                _ => None,
            },
            _ => None,
        }
    }

    fn warn(&mut self, error: CheckError) {
        if self.quiet || !self.reported.insert((error.code, error.span)) {
            return;
        }
        self.problems.push(error);
    }

    // ---------------------------------------------------------------------------------------------
    // Expressions

    pub fn eval_expr(&mut self, expr: &Expr) -> Abs {
        self.eval(expr, &Env::default())
    }

    fn eval(&mut self, expr: &Expr, env: &Env) -> Abs {
        match &expr.node {
            ExprKind::Number(n) => Abs::point(*n),
            ExprKind::Text(t) => Abs::new(Val::Text(Some(t.clone()))),
            ExprKind::Bool(b) => Abs::truth(*b, !*b),
            ExprKind::Name(_) => match self.model.resolution(expr.span) {
                Some(Resolved::Indicator(i)) => self.lookup(env, Key::Ind(i)),
                Some(Resolved::Let(l)) => self.lookup(env, Key::Let(l)),
                Some(Resolved::Param(p)) => Abs::point(self.param(p)),
                Some(Resolved::Member { indicator, member }) => {
                    let size = match self.model.indicators.get(indicator).map(|i| &i.kind) {
                        Some(ValueKind::Enum(m)) => m.len(),
                        _ => 0,
                    };
                    let mut set = vec![false; size];
                    if let Some(s) = set.get_mut(member) {
                        *s = true;
                    }
                    Abs::new(Val::Set(set))
                }
                Some(Resolved::Tier(t)) => {
                    let mut set = vec![false; self.model.tiers.len()];
                    if let Some(s) = set.get_mut(t) {
                        *s = true;
                    }
                    Abs::new(Val::Set(set))
                }
                _ => Abs::any(),
            },
            ExprKind::Score => match self.score {
                Some(iv) => Abs::new(Val::Num {
                    iv,
                    whole: self.model.header.decimals == 0,
                }),
                None => Abs::new(Val::Num {
                    iv: Interval::closed(self.model.header.min, self.model.header.max),
                    whole: false,
                }),
            },
            ExprKind::Tier => {
                if self.tiers.len() == self.model.tiers.len() {
                    Abs::new(Val::Set(self.tiers.clone()))
                } else {
                    Abs::new(Val::Set(vec![true; self.model.tiers.len()]))
                }
            }
            ExprKind::Applies(rule) => match self.model.resolution(rule.span) {
                Some(Resolved::Rule(r)) => match self.fires.get(r) {
                    Some((t, f)) => Abs::truth(*t, *f),
                    None => Abs::truth(true, true),
                },
                _ => Abs::truth(true, true),
            },
            ExprKind::Unary(UnaryOp::Neg, inner) => {
                let a = self.eval(inner, env);
                let val = match a.val {
                    Val::Num { iv, whole } => Val::Num {
                        iv: iv.neg(),
                        whole,
                    },
                    other => other,
                };
                Abs {
                    val,
                    dir: a.dir.flip(),
                    ..a
                }
            }
            ExprKind::Unary(UnaryOp::Not, inner) => {
                let a = self.eval(inner, env);
                let (t, f) = a.tf();
                Abs {
                    val: Val::Bool { t: f, f: t },
                    dir: a.dir.flip(),
                    ..a
                }
            }
            ExprKind::Binary(op, lhs, rhs) => self.binary(*op, lhs, rhs, expr.span, env),
            ExprKind::In {
                value,
                set,
                negated,
            } => {
                let v = self.eval(value, env);
                let (mut can_true, mut can_false) = (false, true);
                let mut unknown = v.unknown;
                let mut varies = v.unk_varies;
                let mut dir = v.dir;
                let mut member_unknown = false;
                for member in set {
                    let m = self.eval(member, env);
                    let (may, must) = equality(&v.val, &m.val);
                    can_true |= may;
                    if must && !m.unknown {
                        can_false = false;
                    }
                    member_unknown |= m.unknown;
                    varies |= m.unk_varies;
                    dir = dir.and(m.dir);
                }
                if member_unknown {
                    unknown = true;
                    varies |= v.dir != Dir::Const;
                }
                let dir = self.membership_dir(value, set, *negated, dir);
                let (t, f) = if *negated {
                    (can_false, can_true)
                } else {
                    (can_true, can_false)
                };
                Abs {
                    val: Val::Bool { t, f },
                    unknown,
                    dir,
                    unk_varies: varies,
                }
            }
            ExprKind::IsMissing { value, negated } => {
                let v = self.eval(value, env);
                let (t, f) = (v.unknown, true);
                let (t, f) = if *negated { (f, t) } else { (t, f) };
                let mut abs = Abs::truth(t, f);
                abs.dir = if v.unk_varies { Dir::Any } else { Dir::Const };
                abs
            }
            ExprKind::Call { func, args } => {
                let values: Vec<Abs> = args.iter().map(|a| self.eval(a, env)).collect();
                let unknown = values.iter().any(|v| v.unknown);
                let varies = values.iter().any(|v| v.unk_varies);
                let whole = values.iter().all(Abs::whole);
                let dir = values.iter().fold(Dir::Const, |d, v| d.and(v.dir));
                let iv = match func.node.as_str() {
                    "min" => values
                        .iter()
                        .map(Abs::iv)
                        .reduce(|a, b| a.min_with(&b))
                        .unwrap_or_else(Interval::everything),
                    "max" => values
                        .iter()
                        .map(Abs::iv)
                        .reduce(|a, b| a.max_with(&b))
                        .unwrap_or_else(Interval::everything),
                    _ => match values.as_slice() {
                        [x, lo, hi] => x.iv().min_with(&hi.iv()).max_with(&lo.iv()),
                        _ => Interval::everything(),
                    },
                };
                Abs {
                    val: Val::Num { iv, whole },
                    unknown,
                    dir,
                    unk_varies: varies,
                }
            }
            ExprKind::If {
                branches,
                otherwise,
            } => self.if_expr(branches, otherwise, env),
        }
    }

    /// The direction of `value in set` when `value` is the focused yes/no or enum indicator and
    /// the set is constant: up when the set holds the top values, down when it holds the bottom
    /// ones.
    fn membership_dir(&self, value: &Expr, set: &[Expr], negated: bool, dir: Dir) -> Dir {
        if dir == Dir::Const {
            return Dir::Const;
        }
        let Some(focus) = self.focus else {
            return dir;
        };
        if self.key(value) != Some(Key::Ind(focus)) {
            return Dir::Any;
        }
        let size = match self.model.indicators.get(focus).map(|i| &i.kind) {
            Some(ValueKind::Enum(m)) => m.len(),
            Some(ValueKind::Bool) => 2,
            _ => return Dir::Any,
        };
        let mut inside = vec![false; size];
        for member in set {
            match &member.node {
                ExprKind::Bool(b) => {
                    if let Some(s) = inside.get_mut(usize::from(*b)) {
                        *s = true;
                    }
                }
                ExprKind::Name(_) => match self.model.resolution(member.span) {
                    Some(Resolved::Member { member, .. }) => {
                        if let Some(s) = inside.get_mut(member) {
                            *s = true;
                        }
                    }
                    _ => return Dir::Any,
                },
                _ => return Dir::Any,
            }
        }
        if negated {
            inside.iter_mut().for_each(|b| *b = !*b);
        }
        set_dir(&inside)
    }

    fn binary(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr, span: Span, env: &Env) -> Abs {
        let a = self.eval(lhs, env);
        let b = self.eval(rhs, env);
        let unknown = a.unknown || b.unknown;
        let varies = a.unk_varies || b.unk_varies;
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let (t, f, u) = kleene(&a, &b, op == BinaryOp::And);
                let varies = varies
                    || (a.dir != Dir::Const && b.unknown)
                    || (b.dir != Dir::Const && a.unknown);
                Abs {
                    val: Val::Bool { t, f },
                    unknown: u,
                    dir: a.dir.and(b.dir),
                    unk_varies: varies,
                }
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let (ai, bi) = (a.iv(), b.iv());
                let whole = a.whole() && b.whole() && op != BinaryOp::Div;
                let sign = |iv: &Interval| {
                    if iv.all_at_least(Decimal::ZERO) {
                        Some(true)
                    } else if iv.all_at_most(Decimal::ZERO) {
                        Some(false)
                    } else {
                        None
                    }
                };
                let (iv, dir) = match op {
                    BinaryOp::Add => (ai.add(&bi), a.dir.and(b.dir)),
                    BinaryOp::Sub => (ai.sub(&bi), a.dir.and(b.dir.flip())),
                    BinaryOp::Mul => (
                        ai.mul(&bi),
                        a.dir.scale(sign(&bi)).and(b.dir.scale(sign(&ai))),
                    ),
                    _ => {
                        if bi.contains(Decimal::ZERO) && !matches!(a.val, Val::Any) {
                            self.division_by_zero(rhs, span, &bi);
                        }
                        let strict = |iv: &Interval| {
                            if iv.contains(Decimal::ZERO) {
                                None
                            } else {
                                sign(iv)
                            }
                        };
                        (
                            ai.div(&bi, DIVISION_DECIMALS),
                            a.dir.scale(strict(&bi)).and(b.dir.flip().scale(sign(&ai))),
                        )
                    }
                };
                Abs {
                    val: Val::Num { iv, whole },
                    unknown,
                    dir,
                    unk_varies: varies,
                }
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                // Written as `small < big` (or `<=`).
                let (small, big, strict) = match op {
                    BinaryOp::Lt => (&a, &b, true),
                    BinaryOp::Le => (&a, &b, false),
                    BinaryOp::Gt => (&b, &a, true),
                    _ => (&b, &a, false),
                };
                let (si, bi) = (small.iv(), big.iv());
                let t = exists_below(&si, &bi, !strict);
                let f = exists_below(&bi, &si, strict);
                let dir = if varies {
                    Dir::Any
                } else {
                    small.dir.flip().and(big.dir)
                };
                Abs {
                    val: Val::Bool { t, f },
                    unknown,
                    dir,
                    unk_varies: varies,
                }
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                let (may, must) = equality(&a.val, &b.val);
                let (t, f) = if op == BinaryOp::Eq {
                    (may, !must)
                } else {
                    (!must, may)
                };
                let dir = if a.dir == Dir::Const && b.dir == Dir::Const {
                    Dir::Const
                } else {
                    let (value, other) = if a.dir == Dir::Const {
                        (rhs, lhs)
                    } else {
                        (lhs, rhs)
                    };
                    self.membership_dir(
                        value,
                        std::slice::from_ref(other),
                        op == BinaryOp::Ne,
                        Dir::Any,
                    )
                };
                Abs {
                    val: Val::Bool { t, f },
                    unknown,
                    dir,
                    unk_varies: varies,
                }
            }
        }
    }

    fn if_expr(&mut self, branches: &[(Expr, Expr)], otherwise: &Expr, env: &Env) -> Abs {
        let mut env_i = env.clone();
        let mut result: Option<Abs> = None;
        let mut unknown = false;
        let mut cond_dir = Dir::Const;
        for (condition, value) in branches {
            if env_i.dead {
                break;
            }
            let c = self.eval(condition, &env_i);
            let (t, f) = c.tf();
            cond_dir = cond_dir.and(c.dir);
            unknown |= c.unknown;
            if t {
                let inside = self.refine(condition, true, &env_i);
                if !inside.dead {
                    let v = self.eval(value, &inside);
                    result = Some(match result {
                        Some(r) => r.join(&v),
                        None => v,
                    });
                }
            }
            if f {
                env_i = self.refine(condition, false, &env_i);
            } else {
                env_i.dead = true;
            }
        }
        if !env_i.dead || result.is_none() {
            let v = self.eval(otherwise, &env_i);
            result = Some(match result {
                Some(r) => r.join(&v),
                None => v,
            });
        }
        let mut r = result.unwrap_or_else(Abs::any);
        if unknown {
            r.unknown = true;
        }
        if cond_dir != Dir::Const {
            // Which branch is taken moves with the focus: only a constant result is safe.
            r.dir = if r.dir == Dir::Const
                && matches!(r.val, Val::Num { iv, .. } if iv.as_point().is_some())
            {
                Dir::Const
            } else {
                Dir::Any
            };
            r.unk_varies |= unknown;
        }
        r
    }

    fn division_by_zero(&mut self, rhs: &Expr, span: Span, divisor: &Interval) {
        let always = divisor.as_point() == Some(Decimal::ZERO);
        // Name the divisor when it is a name.
        let what = match &rhs.node {
            ExprKind::Name(name) => format!("`{name}`"),
            _ => "the divisor".to_string(),
        };
        let message = if always {
            format!("this division always divides by zero: {what} is always 0")
        } else {
            format!("this division can divide by zero: {what} can be 0")
        };
        let label = if always {
            "this is always 0".to_string()
        } else {
            format!("this can be 0 (it can be {divisor})")
        };
        self.warn(
            CheckError::new(Code::DivisionByZero, rhs.span, message, label)
                .with_secondary(span, "the division")
                .with_help("a record that divides by zero is rejected with an error; guard the division (`if d > 0 then … / d else 0`) or give the divisor a range that excludes 0"),
        );
    }

    // ---------------------------------------------------------------------------------------------
    // Narrowing: what a condition being yes (or no) says about the values it tests

    fn refine(&mut self, cond: &Expr, want: bool, env: &Env) -> Env {
        if env.dead {
            return env.clone();
        }
        match &cond.node {
            ExprKind::Unary(UnaryOp::Not, inner) => self.refine(inner, !want, env),
            ExprKind::Binary(BinaryOp::And, a, b) if want => {
                let first = self.refine(a, true, env);
                self.refine(b, true, &first)
            }
            ExprKind::Binary(BinaryOp::Or, a, b) if !want => {
                let first = self.refine(a, false, env);
                self.refine(b, false, &first)
            }
            ExprKind::Binary(
                op @ (BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge),
                a,
                b,
            ) => {
                // Known false is the opposite comparison (an unknown result is neither).
                let op = if want {
                    *op
                } else {
                    match op {
                        BinaryOp::Lt => BinaryOp::Ge,
                        BinaryOp::Le => BinaryOp::Gt,
                        BinaryOp::Gt => BinaryOp::Le,
                        _ => BinaryOp::Lt,
                    }
                };
                let av = self.eval(a, env);
                let bv = self.eval(b, env);
                let mut out = env.clone();
                if let Some(key) = self.key(a) {
                    self.narrow_num(&mut out, key, op, &bv.iv());
                }
                if let Some(key) = self.key(b) {
                    let flipped = match op {
                        BinaryOp::Lt => BinaryOp::Gt,
                        BinaryOp::Le => BinaryOp::Ge,
                        BinaryOp::Gt => BinaryOp::Lt,
                        _ => BinaryOp::Le,
                    };
                    self.narrow_num(&mut out, key, flipped, &av.iv());
                }
                out
            }
            ExprKind::Binary(op @ (BinaryOp::Eq | BinaryOp::Ne), a, b) => {
                let equal = (*op == BinaryOp::Eq) == want;
                let av = self.eval(a, env);
                let bv = self.eval(b, env);
                let mut out = env.clone();
                if let Some(key) = self.key(a) {
                    self.narrow_eq(&mut out, key, &bv, equal);
                }
                if let Some(key) = self.key(b) {
                    self.narrow_eq(&mut out, key, &av, equal);
                }
                out
            }
            ExprKind::In {
                value,
                set,
                negated,
            } => {
                let Some(key) = self.key(value) else {
                    return env.clone();
                };
                let inside = want != *negated;
                let members: Vec<Abs> = set.iter().map(|m| self.eval(m, env)).collect();
                let mut out = env.clone();
                if inside {
                    if let Some(first) = members.first() {
                        let all = members
                            .iter()
                            .skip(1)
                            .fold(first.clone(), |acc, m| acc.join(m));
                        self.narrow_eq(&mut out, key, &all, true);
                    }
                } else {
                    for m in &members {
                        self.narrow_eq(&mut out, key, m, false);
                    }
                }
                out
            }
            ExprKind::IsMissing { value, negated } => {
                let Some(key) = self.key(value) else {
                    return env.clone();
                };
                let missing = want != *negated;
                let mut out = env.clone();
                if !missing {
                    let mut current = self.lookup(&out, key);
                    current.unknown = false;
                    out.facts.push((key, current));
                }
                out
            }
            ExprKind::Name(_) => {
                let Some(key) = self.key(cond) else {
                    return env.clone();
                };
                let mut out = env.clone();
                let current = self.lookup(&out, key);
                if let Val::Bool { t, f } = current.val {
                    let (t, f) = if want { (t, false) } else { (false, f) };
                    if !t && !f {
                        out.dead = true;
                    }
                    out.facts.push((
                        key,
                        Abs {
                            val: Val::Bool { t, f },
                            unknown: false,
                            ..current
                        },
                    ));
                }
                out
            }
            _ => env.clone(),
        }
    }

    fn narrow_num(&self, env: &mut Env, key: Key, op: BinaryOp, bound: &Interval) {
        let current = self.lookup(env, key);
        let Val::Num { iv, whole } = current.val else {
            return;
        };
        let limit = match op {
            BinaryOp::Lt => Interval {
                lo: None,
                hi: bound.hi.map(|e| End {
                    value: e.value,
                    inclusive: false,
                }),
            },
            BinaryOp::Le => Interval {
                lo: None,
                hi: bound.hi,
            },
            BinaryOp::Gt => Interval {
                lo: bound.lo.map(|e| End {
                    value: e.value,
                    inclusive: false,
                }),
                hi: None,
            },
            _ => Interval {
                lo: bound.lo,
                hi: None,
            },
        };
        let mut narrowed = iv.intersect(&limit);
        if whole {
            narrowed = narrowed.whole();
        }
        if narrowed.is_empty(None) {
            env.dead = true;
        }
        env.facts.push((
            key,
            Abs {
                val: Val::Num {
                    iv: narrowed,
                    whole,
                },
                unknown: false,
                ..current
            },
        ));
    }

    fn narrow_eq(&self, env: &mut Env, key: Key, other: &Abs, equal: bool) {
        let current = self.lookup(env, key);
        let val = match (&current.val, &other.val) {
            (Val::Num { iv, whole }, Val::Num { iv: o, .. }) => {
                if equal {
                    let mut n = iv.intersect(o);
                    if *whole {
                        n = n.whole();
                    }
                    Val::Num {
                        iv: n,
                        whole: *whole,
                    }
                } else {
                    // Only an excluded end value narrows an interval.
                    let mut n = *iv;
                    if let Some(p) = o.as_point() {
                        if let Some(lo) = n.lo.filter(|e| e.value == p) {
                            n.lo = Some(End {
                                value: lo.value,
                                inclusive: false,
                            });
                        }
                        if let Some(hi) = n.hi.filter(|e| e.value == p) {
                            n.hi = Some(End {
                                value: hi.value,
                                inclusive: false,
                            });
                        }
                        if *whole {
                            n = n.whole();
                        }
                    }
                    Val::Num {
                        iv: n,
                        whole: *whole,
                    }
                }
            }
            (Val::Bool { t, f }, Val::Bool { t: ot, f: of }) => {
                let single = ot != of;
                if equal {
                    Val::Bool {
                        t: *t && *ot,
                        f: *f && *of,
                    }
                } else if single {
                    Val::Bool {
                        t: *t && !*ot,
                        f: *f && !*of,
                    }
                } else {
                    current.val.clone()
                }
            }
            (Val::Set(s), Val::Set(o)) if s.len() == o.len() => {
                let count = o.iter().filter(|b| **b).count();
                if equal {
                    Val::Set(s.iter().zip(o).map(|(a, b)| *a && *b).collect())
                } else if count == 1 {
                    Val::Set(s.iter().zip(o).map(|(a, b)| *a && !*b).collect())
                } else {
                    current.val.clone()
                }
            }
            (Val::Text(_), Val::Text(Some(t))) if equal => Val::Text(Some(t.clone())),
            _ => current.val.clone(),
        };
        let empty = match &val {
            Val::Num { iv, .. } => iv.is_empty(None),
            Val::Bool { t, f } => !*t && !*f,
            Val::Set(s) => !s.iter().any(|b| *b),
            _ => false,
        };
        if empty {
            env.dead = true;
        }
        env.facts.push((
            key,
            Abs {
                val,
                unknown: false,
                ..current
            },
        ));
    }

    // ---------------------------------------------------------------------------------------------
    // Rules

    fn weight(&mut self, group: Option<usize>) -> Decimal {
        let Some(info) = group.and_then(|g| self.model.groups.get(g)) else {
            return Decimal::ONE;
        };
        match &info.decl.weight {
            Some(expr) => self.eval_expr(expr).iv().as_point().unwrap_or(info.weight),
            None => info.weight,
        }
    }

    /// The contribution of signed points `p` after weight and rounding.
    fn contribution(&self, p: &Interval, weight: Decimal) -> Interval {
        let h = &self.model.header;
        p.mul(&Interval::point(weight))
            .map_monotone(|v| round(v, h.decimals, h.rounding))
    }

    /// The signed, capped points of an effect, or of a bin (no `per`, no caps).
    fn points(
        &mut self,
        verb: Verb,
        effect: Option<&ast::Effect>,
        amount: &Expr,
        env: &Env,
    ) -> Abs {
        let mut p = self.eval(amount, env);
        if let Some(effect) = effect {
            if let Some(per) = &effect.per {
                let q = self.eval(per, env);
                let sign = |iv: &Interval| {
                    if iv.all_at_least(Decimal::ZERO) {
                        Some(true)
                    } else if iv.all_at_most(Decimal::ZERO) {
                        Some(false)
                    } else {
                        None
                    }
                };
                let (pi, qi) = (p.iv(), q.iv());
                p = Abs {
                    val: Val::Num {
                        iv: pi.mul(&qi),
                        whole: p.whole() && q.whole(),
                    },
                    unknown: p.unknown || q.unknown,
                    dir: p.dir.scale(sign(&qi)).and(q.dir.scale(sign(&pi))),
                    unk_varies: p.unk_varies || q.unk_varies,
                };
            }
            // The evaluator applies `at most` first, then `at least`, whatever the written order.
            for kind in [CapKind::AtMost, CapKind::AtLeast] {
                let Some(cap) = effect.caps.iter().find(|c| c.node.kind == kind) else {
                    continue;
                };
                let c = self.eval(&cap.node.value, env);
                let (pi, ci) = (p.iv(), c.iv());
                let never_binds = match kind {
                    CapKind::AtMost => ci.lo.is_some_and(|lo| pi.all_at_most(lo.value)),
                    CapKind::AtLeast => ci.hi.is_some_and(|hi| pi.all_at_least(hi.value)),
                };
                if never_binds && !matches!(p.val, Val::Any) {
                    self.cap_never_binds(cap, kind, &pi, ci.as_point());
                }
                let iv = match kind {
                    CapKind::AtMost => pi.min_with(&ci),
                    CapKind::AtLeast => pi.max_with(&ci),
                };
                p = Abs {
                    val: Val::Num {
                        iv,
                        whole: p.whole() && c.whole(),
                    },
                    unknown: p.unknown || c.unknown,
                    dir: p.dir.and(c.dir),
                    unk_varies: p.unk_varies || c.unk_varies,
                };
            }
        }
        if verb == Verb::Deduct {
            p.val = match p.val {
                Val::Num { iv, whole } => Val::Num {
                    iv: iv.neg(),
                    whole,
                },
                other => other,
            };
            p.dir = p.dir.flip();
        }
        p
    }

    fn cap_never_binds(
        &mut self,
        cap: &crate::span::Node<ast::Cap>,
        kind: CapKind,
        points: &Interval,
        value: Option<Decimal>,
    ) {
        let (what, bound) = match kind {
            CapKind::AtMost => ("at most", "never more than"),
            CapKind::AtLeast => ("at least", "never less than"),
        };
        let edge = match kind {
            CapKind::AtMost => points.hi,
            CapKind::AtLeast => points.lo,
        };
        let edge = edge.map_or(String::new(), |e| e.value.normalize().to_string());
        self.warn(
            CheckError::new(
                Code::CapNeverBinds,
                cap.span,
                format!(
                    "the cap `{what} {}` never changes the points: they are {bound} {edge} anyway",
                    value.map_or("…".to_string(), |v| v.normalize().to_string())
                ),
                "this cap never applies",
            )
            .with_help(format!(
                "the points before this cap can be {points}; remove the cap, or change its value if it was meant to limit them"
            )),
        );
    }

    /// Analyses rule `index`: its least and most contribution and, in focus mode, its direction.
    pub fn rule(&mut self, index: usize) -> RuleResult {
        let zero = RuleResult {
            range: RuleRange {
                least: Some(Decimal::ZERO),
                most: Some(Decimal::ZERO),
                can_fire: false,
                can_skip: true,
            },
            dir: Dir::Const,
        };
        let Some(info) = self.model.rules.get(index) else {
            return zero;
        };
        let decl = info.decl;
        let weight = self.weight(info.group);
        let when = decl.items.iter().find_map(|i| match &i.node {
            RuleItem::When(e) => Some(e),
            _ => None,
        });
        let base = Env::default();
        let (cond, env) = match when {
            Some(w) => {
                let c = self.eval(w, &base);
                let env = if c.tf().0 {
                    self.refine(w, true, &base)
                } else {
                    Env {
                        dead: true,
                        ..base.clone()
                    }
                };
                (c, env)
            }
            None => (Abs::truth(true, false), base.clone()),
        };
        let (t, f) = cond.tf();
        if let Some(w) = when {
            if !t || env.dead {
                self.never_true(w, &format!("rule `{}`", decl.name.node), "it never applies");
            } else if !f && !cond.unknown {
                self.always_true(w, &decl.name.node);
            }
        }
        if !t || env.dead {
            return zero;
        }
        let mut can_skip = f || cond.unknown;
        let mut outcomes: Vec<Interval> = Vec::new();
        let mut dir;
        match &decl.by {
            None => {
                let Some(effect) = decl.items.iter().find_map(|i| match &i.node {
                    RuleItem::Effect(e) => Some(e),
                    _ => None,
                }) else {
                    return zero;
                };
                let p = self.points(effect.verb.node, Some(effect), &effect.amount, &env);
                can_skip |= p.unknown;
                let c = self.contribution(&p.iv(), weight);
                dir = if p.unk_varies { Dir::Any } else { p.dir };
                dir = gate(cond.dir, dir, &c);
                outcomes.push(c);
            }
            Some(_) => {
                let (pieces, skip, bins_dir) = self.bins(index, &env, weight);
                can_skip |= skip;
                outcomes.extend(pieces);
                dir = gate(
                    cond.dir,
                    bins_dir,
                    &outcomes
                        .iter()
                        .fold(Interval::point(Decimal::ZERO), |a, b| a.hull(b)),
                );
            }
        }
        let mut total: Option<Interval> = None;
        for o in &outcomes {
            total = Some(match total {
                Some(t) => t.hull(o),
                None => *o,
            });
        }
        let can_fire = total.is_some();
        if can_skip || total.is_none() {
            let z = Interval::point(Decimal::ZERO);
            total = Some(total.map_or(z, |t| t.hull(&z)));
        }
        let total = total.unwrap_or_else(|| Interval::point(Decimal::ZERO));
        RuleResult {
            range: RuleRange {
                least: total.lo.map(|e| e.value),
                most: total.hi.map(|e| e.value),
                can_fire,
                can_skip: can_skip || !can_fire,
            },
            dir,
        }
    }

    /// The contributions of a scorecard's reachable bins, whether no bin may be used, and (in
    /// focus mode) the direction of the contribution.
    fn bins(&mut self, index: usize, env: &Env, weight: Decimal) -> (Vec<Interval>, bool, Dir) {
        let Some(info) = self.model.rules.get(index) else {
            return (Vec::new(), true, Dir::Any);
        };
        let key = match info.subject {
            Some(Resolved::Indicator(i)) => Key::Ind(i),
            Some(Resolved::Let(l)) => Key::Let(l),
            _ => return (Vec::new(), true, Dir::Any),
        };
        let subject = self.lookup(env, key);
        let bins: Vec<&ast::Bin> = info
            .decl
            .items
            .iter()
            .filter_map(|i| match &i.node {
                RuleItem::Bin(b) => Some(b),
                _ => None,
            })
            .collect();
        let mut outcomes = Vec::new();
        // (where along the subject, contribution, its direction) for ordering in focus mode.
        let mut pieces: Vec<(Interval, Interval, Dir)> = Vec::new();
        let mut ordered = true;
        let mut dir = Dir::Const;
        let mut listed: Vec<Interval> = Vec::new();
        let mut listed_members: Vec<bool> = match &subject.val {
            Val::Set(s) => vec![false; s.len()],
            Val::Bool { .. } => vec![false; 2],
            _ => Vec::new(),
        };
        let has_missing = bins.iter().any(|b| b.pattern.node == BinPattern::Missing);
        let mut otherwise: Option<&ast::Bin> = None;
        // Points that can be unknown make the rule not apply for those records.
        let mut points_unknown = false;
        for bin in &bins {
            match &bin.pattern.node {
                BinPattern::Missing => {
                    if subject.unknown {
                        let p = self.points(bin.verb.node, None, &bin.amount, env);
                        points_unknown |= p.unknown;
                        let c = self.contribution(&p.iv(), weight);
                        dir = dir.and(if subject.unk_varies { Dir::Any } else { p.dir });
                        outcomes.push(c);
                    }
                }
                BinPattern::Otherwise => otherwise = Some(bin),
                BinPattern::Values(values) => {
                    for value in values {
                        let Some(narrowed) =
                            self.pattern(&subject, &value.node, &mut listed, &mut listed_members)
                        else {
                            ordered = false;
                            continue;
                        };
                        if pattern_empty(&narrowed) {
                            continue;
                        }
                        let mut arm_env = env.clone();
                        arm_env.facts.push((
                            key,
                            Abs {
                                val: narrowed.clone(),
                                unknown: false,
                                ..subject.clone()
                            },
                        ));
                        let p = self.points(bin.verb.node, None, &bin.amount, &arm_env);
                        points_unknown |= p.unknown;
                        let c = self.contribution(&p.iv(), weight);
                        let d = if p.unk_varies { Dir::Any } else { p.dir };
                        pieces.push((position(&narrowed), c, d));
                        outcomes.push(c);
                    }
                }
            }
        }
        // Values of the subject no listed bin takes.
        let rest: Vec<Interval> = match &subject.val {
            Val::Num { iv, whole } => sweep(*iv, &listed, whole.then_some(Decimal::ONE)).gaps,
            Val::Set(s) => s
                .iter()
                .zip(&listed_members)
                .enumerate()
                .filter(|(_, (p, l))| **p && !**l)
                .map(|(i, _)| Interval::point(Decimal::from(i)))
                .collect(),
            Val::Bool { t, f } => [(*f, 0u8), (*t, 1u8)]
                .iter()
                .filter(|(p, i)| {
                    *p && !listed_members
                        .get(usize::from(*i))
                        .copied()
                        .unwrap_or(false)
                })
                .map(|(_, i)| Interval::point(Decimal::from(*i)))
                .collect(),
            _ => vec![Interval::everything()],
        };
        let mut skip = (subject.unknown && !has_missing) || points_unknown;
        if !rest.is_empty() {
            match otherwise {
                Some(bin) => {
                    let p = self.points(bin.verb.node, None, &bin.amount, env);
                    skip |= p.unknown;
                    let c = self.contribution(&p.iv(), weight);
                    let d = if p.unk_varies { Dir::Any } else { p.dir };
                    for gap in &rest {
                        pieces.push((*gap, c, d));
                    }
                    outcomes.push(c);
                }
                None => {
                    skip = true;
                    for gap in &rest {
                        pieces.push((*gap, Interval::point(Decimal::ZERO), Dir::Const));
                    }
                }
            }
        }
        if self.focus.is_none() {
            return (outcomes, skip, Dir::Const);
        }
        let subject_dir = if subject.unk_varies {
            Dir::Any
        } else {
            subject.dir
        };
        let along = match subject_dir {
            Dir::Const => pieces.iter().fold(Dir::Const, |d, (_, _, pd)| d.and(*pd)),
            Dir::Any => Dir::Any,
            Dir::Inc | Dir::Dec if !ordered || matches!(subject.val, Val::Text(_) | Val::Any) => {
                Dir::Any
            }
            Dir::Inc | Dir::Dec => {
                let within = pieces.iter().fold(Dir::Const, |d, (_, _, pd)| d.and(*pd));
                let steps = step_dir(&mut pieces);
                // The bin used moves with the subject, and the subject with the focus.
                within.and(if subject_dir == Dir::Dec {
                    steps.flip()
                } else {
                    steps
                })
            }
        };
        (outcomes, skip, dir.and(along))
    }

    /// A bin's values narrowed to the subject's possible values (`None`: not understood). Adds
    /// the values to `listed`.
    fn pattern(
        &self,
        subject: &Abs,
        value: &ast::Interval,
        listed: &mut Vec<Interval>,
        listed_members: &mut [bool],
    ) -> Option<Val> {
        match (&subject.val, value) {
            (Val::Num { iv, whole }, _) => {
                let bin = match value {
                    ast::Interval::Exactly(Literal::Number(n)) => Interval::point(n.node),
                    ast::Interval::Exactly(Literal::Name(n)) => match self.model.resolution(n.span)
                    {
                        Some(Resolved::Param(p)) => Interval::point(self.param(p)),
                        _ => return None,
                    },
                    ast::Interval::Between(a, b) => {
                        Interval::closed(self.bound(a)?, self.bound(b)?)
                    }
                    ast::Interval::FromBelow(a, b) => {
                        Interval::from_below(self.bound(a)?, self.bound(b)?)
                    }
                    ast::Interval::Below(b) => Interval::below(self.bound(b)?),
                    ast::Interval::AtOrAbove(a) => Interval::at_or_above(self.bound(a)?),
                    _ => return None,
                };
                listed.push(bin);
                let mut n = iv.intersect(&bin);
                if *whole {
                    n = n.whole();
                }
                Some(Val::Num {
                    iv: n,
                    whole: *whole,
                })
            }
            (Val::Set(s), ast::Interval::Exactly(Literal::Name(n))) => {
                let Some(Resolved::Member { member, .. }) = self.model.resolution(n.span) else {
                    return None;
                };
                if let Some(l) = listed_members.get_mut(member) {
                    *l = true;
                }
                Some(Val::Set(
                    s.iter()
                        .enumerate()
                        .map(|(i, p)| *p && i == member)
                        .collect(),
                ))
            }
            (Val::Bool { t, f }, ast::Interval::Exactly(Literal::Bool(b))) => {
                if let Some(l) = listed_members.get_mut(usize::from(b.node)) {
                    *l = true;
                }
                Some(Val::Bool {
                    t: *t && b.node,
                    f: *f && !b.node,
                })
            }
            (Val::Text(_), ast::Interval::Exactly(Literal::Text(t))) => {
                Some(Val::Text(Some(t.node.clone())))
            }
            _ => None,
        }
    }

    fn bound(&self, bound: &Bound) -> Option<Decimal> {
        match bound {
            Bound::Number(n) => Some(n.node),
            Bound::Param(name) => match self.model.resolution(name.span) {
                Some(Resolved::Param(p)) => Some(self.param(p)),
                _ => None,
            },
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Findings

    fn never_true(&mut self, condition: &Expr, site: &str, consequence: &str) {
        let mut error = CheckError::new(
            Code::NeverTrue,
            condition.span,
            format!("the condition of {site} can never be true, so {consequence}"),
            "no record makes this yes",
        );
        error = self.with_ranges(error, condition);
        let kind = if site.starts_with("rule") {
            "rule"
        } else {
            "consequence"
        };
        self.warn(error.with_help(format!(
            "check the numbers and the indicators' declared ranges; if the {kind} is obsolete, remove it"
        )));
    }

    fn always_true(&mut self, condition: &Expr, rule: &str) {
        let mut error = CheckError::new(
            Code::AlwaysTrue,
            condition.span,
            format!("the condition of rule `{rule}` is always true"),
            "every record makes this yes",
        );
        error = self.with_ranges(error, condition);
        self.warn(error.with_help(
            "the `when` line changes nothing: remove it, or check the numbers and the declared ranges",
        ));
    }

    /// Adds a note with the possible values of the names a condition uses.
    fn with_ranges(&mut self, error: CheckError, condition: &Expr) -> CheckError {
        let mut refs = Vec::new();
        self.refs(condition, &mut refs);
        let mut seen = HashSet::new();
        let mut parts = Vec::new();
        for r in refs {
            if !seen.insert(r) {
                continue;
            }
            let (name, abs) = match r {
                Resolved::Indicator(i) => (
                    self.model
                        .indicators
                        .get(i)
                        .map(|x| x.decl.name.node.clone()),
                    self.lookup(&Env::default(), Key::Ind(i)),
                ),
                Resolved::Let(l) => (
                    self.model.lets.get(l).map(|x| x.decl.name.node.clone()),
                    self.lookup(&Env::default(), Key::Let(l)),
                ),
                Resolved::Param(p) => (
                    self.model.params.get(p).map(|x| x.decl.name.node.clone()),
                    Abs::point(self.param(p)),
                ),
                _ => continue,
            };
            let Some(name) = name else { continue };
            if let Val::Num { iv, .. } = abs.val {
                parts.push(format!("`{name}` is {iv}"));
            }
        }
        if parts.is_empty() {
            return error;
        }
        let note = format!("here {}", crate::text::join_and(&parts));
        error.with_note(note)
    }

    fn scale_and_tiers(&mut self, analysis: &Analysis) {
        let header = &self.model.header;
        let (min, max) = (header.min, header.max);
        let below = analysis.before.lo.is_none_or(|e| e.value < min);
        let above = analysis.before.hi.is_none_or(|e| e.value > max);
        if below || above {
            let low = analysis.before.lo.map_or("without limit".to_string(), |e| {
                format!("to {}", e.value.normalize())
            });
            let high = analysis.before.hi.map_or("without limit".to_string(), |e| {
                format!("to {}", e.value.normalize())
            });
            let message = match (below, above) {
                (true, true) => format!(
                    "the rules can take the score outside the scale {} to {}: down {low} and up {high}",
                    min.normalize(),
                    max.normalize()
                ),
                (true, false) => format!(
                    "the rules can take the score below the scale's lowest score {}: down {low}",
                    min.normalize()
                ),
                _ => format!(
                    "the rules can take the score above the scale's highest score {}: up {high}",
                    max.normalize()
                ),
            };
            let mut error = CheckError::new(
                Code::ScoreLeavesScale,
                header.scale_span,
                message,
                "scores outside this are clamped to it",
            );
            // The rules that push furthest in the offending directions.
            let mut movers: Vec<(usize, Decimal, bool)> = Vec::new();
            for (i, r) in analysis.rules.iter().enumerate() {
                if below {
                    let amount = r.least.map_or(Decimal::MAX, |v| -v);
                    if amount > Decimal::ZERO {
                        movers.push((i, amount, false));
                    }
                }
                if above {
                    let amount = r.most.unwrap_or(Decimal::MAX);
                    if amount > Decimal::ZERO {
                        movers.push((i, amount, true));
                    }
                }
            }
            movers.sort_by(|a, b| a.2.cmp(&b.2).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0)));
            // The three that push furthest each way.
            let shown: Vec<&(usize, Decimal, bool)> = [false, true]
                .iter()
                .flat_map(|dir| movers.iter().filter(move |m| m.2 == *dir).take(3))
                .collect();
            for (i, _, up) in shown {
                let (Some(info), Some(r)) = (self.model.rules.get(*i), analysis.rules.get(*i))
                else {
                    continue;
                };
                let label = if *up {
                    r.most
                        .map_or("can add points without limit".to_string(), |v| {
                            format!("can add up to {} points", v.normalize())
                        })
                } else {
                    r.least
                        .map_or("can deduct points without limit".to_string(), |v| {
                            format!("can deduct up to {} points", (-v).normalize())
                        })
                };
                error = error.with_secondary(info.decl.name.span, label);
            }
            error = error
                .with_note(format!(
                    "starting at {} and adding each rule's least and most points, the score before clamping lies in {}; rules that cannot reach their extremes together make the real range narrower",
                    header.start.normalize(),
                    analysis.before
                ))
                .with_help("a score outside the scale is clamped to it; if that is intended, say so in the header with `allow W1000 because \"…\"`, otherwise cap the rules (`at most …`) or widen the scale");
            self.warn(error);
        }
        let reach = analysis.after;
        for (i, reachable) in analysis.tiers_reachable.iter().enumerate() {
            if *reachable {
                continue;
            }
            let Some(tier) = self.model.tiers.get(i) else {
                continue;
            };
            let error = CheckError::new(
                Code::UnreachableTier,
                tier.decl.bounds.span,
                format!(
                    "no record can reach tier `{}`: every score lies in {reach}",
                    tier.decl.name.node
                ),
                "no score falls here",
            )
            .with_secondary(header.scale_span, "the scale")
            .with_note(format!(
                "starting at {} and adding each rule's least and most points, scores lie in {reach}",
                header.start.normalize()
            ))
            .with_help("move the tier's bounds into the reachable scores, change the rules' points, or remove the tier");
            self.warn(error);
        }
    }

    fn consequences(&mut self) {
        for info in &self.model.consequences {
            let Some(when) = info.decl.items.iter().find_map(|i| match &i.node {
                ast::ConsequenceItem::When(e) => Some(e),
                _ => None,
            }) else {
                continue;
            };
            let c = self.eval_expr(when);
            if !c.tf().0 {
                self.never_true(
                    when,
                    &format!("consequence `{}`", info.decl.name.node),
                    "it never applies",
                );
            }
        }
    }
}

/// How a rule's contribution moves, from how its condition and its points move (`c` holds the
/// contributions when it applies): a rule that starts to apply must not jump the wrong way.
fn gate(cond: Dir, points: Dir, c: &Interval) -> Dir {
    let nonneg = c.all_at_least(Decimal::ZERO);
    let nonpos = c.all_at_most(Decimal::ZERO);
    match cond {
        Dir::Const => points,
        Dir::Inc | Dir::Dec => {
            let up = matches!(points, Dir::Inc | Dir::Const);
            let down = matches!(points, Dir::Dec | Dir::Const);
            // Applying more as the focus grows adds the points at the threshold.
            let (grow_ok, shrink_ok) = if cond == Dir::Inc {
                (nonneg, nonpos)
            } else {
                (nonpos, nonneg)
            };
            if up && grow_ok {
                Dir::Inc
            } else if down && shrink_ok {
                Dir::Dec
            } else if c.as_point() == Some(Decimal::ZERO) {
                Dir::Const
            } else {
                Dir::Any
            }
        }
        Dir::Any => {
            if c.as_point() == Some(Decimal::ZERO) {
                Dir::Const
            } else {
                Dir::Any
            }
        }
    }
}

/// Where a bin lies along its subject: numbers as themselves, yes/no as 0/1, members by position.
fn position(val: &Val) -> Interval {
    match val {
        Val::Num { iv, .. } => *iv,
        Val::Bool { t, f } => match (t, f) {
            (true, false) => Interval::point(Decimal::ONE),
            (false, true) => Interval::point(Decimal::ZERO),
            _ => Interval::closed(Decimal::ZERO, Decimal::ONE),
        },
        Val::Set(s) => {
            let mut members = s.iter().enumerate().filter(|(_, b)| **b).map(|(i, _)| i);
            let first = members.next().unwrap_or(0);
            let last = members.next_back().unwrap_or(first);
            Interval::closed(Decimal::from(first), Decimal::from(last))
        }
        _ => Interval::everything(),
    }
}

fn pattern_empty(val: &Val) -> bool {
    match val {
        Val::Num { iv, .. } => iv.is_empty(None),
        Val::Bool { t, f } => !*t && !*f,
        Val::Set(s) => !s.iter().any(|b| *b),
        _ => false,
    }
}

/// The direction of a piecewise contribution along its subject: pieces sorted by position, each
/// step compared with the next.
fn step_dir(pieces: &mut [(Interval, Interval, Dir)]) -> Dir {
    pieces.sort_by(|a, b| {
        let key = |iv: &Interval| iv.lo.map(|e| (e.value, !e.inclusive));
        match (key(&a.0), key(&b.0)) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, _) => std::cmp::Ordering::Less,
            (_, None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x.cmp(&y),
        }
    });
    let mut up = true;
    let mut down = true;
    let mut same = true;
    for pair in pieces.windows(2) {
        let [(_, a, _), (_, b, _)] = pair else {
            continue;
        };
        // Non-decreasing when everything in `a` is at most everything in `b`.
        let a_le_b = match (a.hi, b.lo) {
            (Some(x), Some(y)) => x.value <= y.value,
            _ => false,
        };
        let a_ge_b = match (a.lo, b.hi) {
            (Some(x), Some(y)) => x.value >= y.value,
            _ => false,
        };
        up &= a_le_b;
        down &= a_ge_b;
        same &= a_le_b && a_ge_b;
    }
    if same {
        Dir::Const
    } else if up {
        Dir::Inc
    } else if down {
        Dir::Dec
    } else {
        Dir::Any
    }
}

/// The direction of "the value is in this set of members" along the members' order.
fn set_dir(inside: &[bool]) -> Dir {
    let first_in = inside.iter().position(|b| *b);
    let last_out = inside.iter().rposition(|b| !*b);
    let first_out = inside.iter().position(|b| !*b);
    let last_in = inside.iter().rposition(|b| *b);
    match (first_in, last_out) {
        (None, _) | (_, None) => Dir::Const,
        (Some(fi), Some(lo)) if lo < fi => Dir::Inc,
        _ => match (first_out, last_in) {
            (Some(fo), Some(li)) if li < fo => Dir::Dec,
            _ => Dir::Any,
        },
    }
}
