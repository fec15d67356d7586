//! A decision and its output forms. The JSON form is the contract with downstream systems: its
//! field names are stable and documented in the README; the CSV form is a flat summary.
//!
//! Writing decisions is most of the work of a batch, so everything about the output that depends
//! only on the policy (names, reasons, consequence details, already escaped) comes from a
//! [`Template`] as ready-made bytes, and numbers are written straight from their digits.

use super::arith::compare;
use super::error::{EvalError, EvalErrorKind};
use super::output::{decimal_text, json_string, write_decimal};
use super::record::Id;
use super::select::{Member, Selection};
use rust_decimal::Decimal;

/// The outcome for one record. `L` holds the derived values as computed for the record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Decision<L> {
    /// The final score: rounded, then clamped to the scale.
    pub score: Decimal,
    /// The rounded score before clamping (equal to `score` unless clamping changed it).
    pub unclamped: Decimal,
    /// The tier the score falls in, by index (`None` if the policy has no tier there).
    pub tier: Option<usize>,
    /// Rules that fired, in source order, with their rounded contributions.
    pub fired: Vec<Fired>,
    /// Rules that did not fire because a value they need is unknown.
    pub unknown: Vec<usize>,
    /// Rules that applied but do not count: another rule of their group (`counts the highest`)
    /// counts instead. In source order, with the points they would have given.
    pub not_counted: Vec<Fired>,
    /// Adverse contributions, worst first.
    pub reasons: Vec<Reason>,
    /// Consequences that apply, by index, in source order.
    pub consequences: Vec<usize>,
    /// Consequences whose condition could not be decided because a value it needs is unknown
    /// (they do not apply), by index, in source order.
    pub unknown_consequences: Vec<usize>,
    /// Per decision table, in source order: which rows decided it.
    pub tables: Vec<TableRows>,
    /// For those of them whose duration or notice is computed for each record, the computed
    /// amounts, in the same order.
    pub computed: Vec<Computed>,
    /// The derived values, as computed for this record.
    pub lets: L,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fired {
    pub rule: usize,
    pub points: Decimal,
    /// For a scorecard, the index of the arm that matched (`None` for `missing`/`otherwise`).
    pub arm: Option<usize>,
}

/// What one decision table did for a record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableRows {
    /// The rows that decided the outcome, by index (the one row, or every row a `collect`
    /// aggregated), in the order written.
    pub matched: Vec<usize>,
    /// Rows that did not match because a value they test is unknown.
    pub unknown: Vec<usize>,
    /// No row matched and the `otherwise` values were used.
    pub by_default: bool,
}

impl TableRows {
    /// Sizes `tables` for `count` tables and empties each, keeping their buffers.
    pub fn reset(tables: &mut Vec<TableRows>, count: usize) {
        tables.resize_with(count, TableRows::default);
        for t in tables.iter_mut() {
            t.matched.clear();
            t.unknown.clear();
            t.by_default = false;
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    /// The rule, or for a reason code several rules share, the first of them in source order.
    pub rule: usize,
    /// How far the points counted against the person, always positive: below the rule's
    /// baseline (or taken away, for rules without one), or on a scale where higher is worse,
    /// above it (or added). For a shared reason code, the sum over its rules.
    pub below: Decimal,
}

impl<L> Decision<L> {
    pub fn clamped(&self) -> bool {
        self.score != self.unclamped
    }

    /// The points rule `rule` contributed (0 if it did not fire).
    pub fn contribution(&self, rule: usize) -> Decimal {
        self.fired
            .iter()
            .find(|f| f.rule == rule)
            .map_or(Decimal::ZERO, |f| f.points)
    }

    /// Empties the lists, keeping their buffers for the next record.
    pub fn clear(&mut self) {
        self.fired.clear();
        self.unknown.clear();
        self.not_counted.clear();
        self.reasons.clear();
        self.consequences.clear();
        self.unknown_consequences.clear();
        self.computed.clear();
    }
}

/// The amounts of an applying consequence's duration and notice that are computed for each
/// record (`lasts (2 * offences) months`); `None` for a part that is written as a fixed one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Computed {
    pub consequence: usize,
    pub lasts: Option<(Decimal, Unit)>,
    pub notice: Option<(Decimal, Unit)>,
}

/// A unit of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

impl Unit {
    /// The unit's word for `amount` of it: "day" for 1, "days" otherwise.
    pub fn word(self, amount: Decimal) -> &'static str {
        let one = amount == Decimal::ONE;
        match (self, one) {
            (Unit::Days, true) => "day",
            (Unit::Days, false) => "days",
            (Unit::Weeks, true) => "week",
            (Unit::Weeks, false) => "weeks",
            (Unit::Months, true) => "month",
            (Unit::Months, false) => "months",
            (Unit::Years, true) => "year",
            (Unit::Years, false) => "years",
        }
    }
}

/// A computed amount of time as a decision states it: known, whole and at least 0 (the checker
/// proves this; a value that is not is a bug, rejected rather than written), without trailing
/// zeros (`8`, never `8.0`).
pub fn length(value: Option<Decimal>) -> Result<Decimal, EvalErrorKind> {
    match value {
        Some(v) if v.fract().is_zero() && !v.is_sign_negative() => Ok(v.normalize()),
        Some(v) if v.is_zero() => Ok(Decimal::ZERO),
        _ => Err(EvalErrorKind::Internal(
            "a computed duration is not a whole number of at least 0",
        )),
    }
}

/// `8 months`, `1 month`: a computed amount and its unit, as the text of a decision's `lasts` or
/// `notice`.
pub fn length_text(amount: Decimal, unit: Unit) -> String {
    format!("{} {}", decimal_text(amount), unit.word(amount))
}

/// What one rule did for a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleOutcome {
    /// The rule applied, with its points (signed, capped, weighted and rounded) and, for a
    /// scorecard, the arm that matched.
    Fired { points: Decimal, arm: Option<usize> },
    /// Its condition is no, or no scorecard arm matched.
    NotFired,
    /// A value it needs is unknown.
    Unknown,
}

/// Adds rule `rule`'s outcome to the running `total` and to the decision's lists. Rules must be
/// tallied in source order.
pub fn tally(
    total: &mut Decimal,
    fired: &mut Vec<Fired>,
    unknown: &mut Vec<usize>,
    rule: usize,
    outcome: Result<RuleOutcome, EvalErrorKind>,
) -> Result<(), EvalError> {
    match outcome.map_err(|kind| EvalError::in_rule(kind, rule))? {
        RuleOutcome::Fired { points, arm } => {
            *total = total
                .checked_add(points)
                .ok_or_else(|| EvalError::in_rule(EvalErrorKind::Overflow, rule))?;
            fired.push(Fired { rule, points, arm });
        }
        RuleOutcome::NotFired => {}
        RuleOutcome::Unknown => unknown.push(rule),
    }
    Ok(())
}

/// For a group of which only one rule counts: keeps in `fired` the rule of `rules` with the
/// most points (`highest`) or the fewest (ties: the first written), moves the group's other
/// rules that fired to `not_counted` and takes their points off `total`. Called once every rule
/// is tallied, in the groups' source order.
pub fn pick(
    total: &mut Decimal,
    fired: &mut Vec<Fired>,
    not_counted: &mut Vec<Fired>,
    rules: &[usize],
    highest: bool,
) {
    let mut winner: Option<(usize, Decimal)> = None;
    for f in fired.iter().filter(|f| rules.contains(&f.rule)) {
        let better = match winner {
            None => true,
            Some((_, best)) => {
                let order = compare(f.points, best);
                if highest {
                    order.is_gt()
                } else {
                    order.is_lt()
                }
            }
        };
        if better {
            winner = Some((f.rule, f.points));
        }
    }
    let Some((kept, _)) = winner else {
        return;
    };
    let mut i = 0;
    while i < fired.len() {
        match fired.get(i) {
            Some(f) if f.rule != kept && rules.contains(&f.rule) => {
                let f = fired.remove(i);
                // It was added to the total; taking it off again stays within the exact range.
                *total = total.saturating_sub(f.points);
                not_counted.push(f);
            }
            _ => i += 1,
        }
    }
    not_counted.sort_by_key(|f| f.rule);
}

/// What consequence conditions may read besides the record: the final score, its tier, and the
/// rules that fired.
#[derive(Clone, Copy, Debug)]
pub struct Outcome<'d> {
    pub score: Decimal,
    pub tier: Option<usize>,
    /// Fired rules, in source order.
    pub fired: &'d [Fired],
}

impl Outcome<'_> {
    /// Whether rule `rule` fired.
    /// The points rule `rule` contributed (0 when it did not fire).
    pub fn points(&self, rule: usize) -> Decimal {
        match self.fired.binary_search_by_key(&rule, |f| f.rule) {
            Ok(i) => self.fired.get(i).map_or(Decimal::ZERO, |f| f.points),
            Err(_) => Decimal::ZERO,
        }
    }

    pub fn applies(&self, rule: usize) -> bool {
        self.fired.binary_search_by_key(&rule, |f| f.rule).is_ok()
    }
}

/// Adverse contributions, worst first (ties in source order): a rule with a baseline by how far
/// below it the rule scored, any other rule by the points it took away. `baselines` has one entry
/// per rule; `fired` is in rule order. A policy whose scale counts the other way, or whose rules
/// share reason codes, ranks with [`rank_reasons`].
pub fn collect_reasons(baselines: &[Option<Decimal>], fired: &[Fired], reasons: &mut Vec<Reason>) {
    rank_reasons(
        Ranking {
            baselines,
            entries: &[],
            higher_is_worse: false,
        },
        fired,
        reasons,
    );
}

/// How a policy ranks the contributions that count against a person.
#[derive(Clone, Copy, Debug)]
pub struct Ranking<'a> {
    /// Each rule's baseline (`None` counts as 0).
    pub baselines: &'a [Option<Decimal>],
    /// Each rule's entry among the reasons: the first rule with the same reason code, or the rule
    /// itself (also for a rule past the end of the slice, so `&[]` means no shared codes).
    pub entries: &'a [usize],
    /// A scale of demerit points: points above the baseline count against the person.
    pub higher_is_worse: bool,
}

/// How far `points` count against the person, if they do: below `baseline`, or above it on a
/// scale where higher is worse. A distance beyond the largest decimal is that decimal.
pub fn adverse(points: Decimal, baseline: Decimal, higher_is_worse: bool) -> Option<Decimal> {
    let (high, low) = if higher_is_worse {
        (points, baseline)
    } else {
        (baseline, points)
    };
    if compare(high, low) != std::cmp::Ordering::Greater {
        return None;
    }
    Some(high.checked_sub(low).unwrap_or(Decimal::MAX))
}

/// Adverse contributions, worst first: each rule's [`adverse`] distance, summed over the rules of
/// one reason code (beyond the largest decimal, the sum is that decimal). Ties keep the order of
/// the entries' rules in the file. `fired` is in rule order.
pub fn rank_reasons(ranking: Ranking<'_>, fired: &[Fired], reasons: &mut Vec<Reason>) {
    let mut next_fired = fired.iter().peekable();
    for (index, baseline) in ranking.baselines.iter().enumerate() {
        let points = match next_fired.peek() {
            Some(f) if f.rule == index => next_fired.next().map_or(Decimal::ZERO, |f| f.points),
            _ => Decimal::ZERO,
        };
        let baseline = baseline.unwrap_or(Decimal::ZERO);
        let Some(below) = adverse(points, baseline, ranking.higher_is_worse) else {
            continue;
        };
        let entry = ranking.entries.get(index).copied().unwrap_or(index);
        // A later rule of a shared code adds to the entry an earlier one made.
        match reasons
            .iter_mut()
            .find(|r| r.rule == entry && entry != index)
        {
            Some(shared) => {
                shared.below = shared.below.checked_add(below).unwrap_or(Decimal::MAX);
            }
            None => reasons.push(Reason { rule: entry, below }),
        }
    }
    reasons.sort_by(|a, b| compare(b.below, a.below).then(a.rule.cmp(&b.rule)));
}

/// What identifies a record in the output.
#[derive(Clone, Copy, Debug)]
pub struct RecordRef<'a> {
    pub record: u64,
    pub id: Option<&'a Id>,
}

/// The names of a policy's declarations, by index, and its identity.
pub trait Names {
    fn policy_name(&self) -> &str;
    fn policy_version(&self) -> &str;
    /// SHA-256 of the policy's source text, in hex.
    fn policy_hash(&self) -> &str;
    fn rule_name(&self, rule: usize) -> &str;
    /// How a reason is named in the CSV form: its reason code, or its rule's name.
    fn reason_name(&self, rule: usize) -> &str {
        self.rule_name(rule)
    }
    fn tier_name(&self, tier: usize) -> &str;
    fn consequence_name(&self, consequence: usize) -> &str;
    fn let_name(&self, derived: usize) -> &str;
}

/// The parts of every JSON decision that depend only on the policy, escaped once, and the
/// values each rule reports.
pub trait Template {
    /// A record's values.
    type Record: ?Sized;
    /// The derived values of a decision.
    type Lets;
    /// `,"policy":{…},"score":`
    fn after_id(&self) -> &[u8];
    /// The `"policy"` object: [`Template::after_id`] without the keys around it.
    fn policy_json(&self) -> &[u8] {
        let around = self.after_id();
        around
            .strip_prefix(b",\"policy\":")
            .and_then(|rest| rest.strip_suffix(b",\"score\":"))
            .unwrap_or(around)
    }
    /// `"name"` of a tier.
    fn tier_json(&self, tier: usize) -> &[u8];
    /// `{"rule":"name","points":`
    fn rule_open(&self, rule: usize) -> &[u8];
    /// `"name"` of a rule (for the `unknown` list).
    fn rule_json(&self, rule: usize) -> &[u8];
    /// `{"rule":"name","reason":"…","points_below":` (`{"code":"R07",…` for a reason code shared
    /// by several rules, `"points_above":` on a scale where higher is worse)
    fn reason_open(&self, rule: usize) -> &[u8];
    /// The whole object of a consequence.
    fn consequence(&self, consequence: usize) -> &[u8];
    /// `"name"` of a decision table (for the `unknown` list).
    fn table_json(&self, table: usize) -> &[u8];
    /// `"name"` of a consequence (for the `unknown` list).
    fn consequence_json(&self, consequence: usize) -> &[u8];
    /// The start of a table's member of `outcomes`: `"name":{"output":value,…` (not closed).
    fn outcome_open(&self, out: &mut Vec<u8>, table: usize, lets: &Self::Lets);
    /// For a consequence whose duration or notice is computed for each record: its object in
    /// pieces, split where each computed text goes (piece 0 before the first, 1 after it, …).
    /// Policies without computed durations need not give them.
    fn consequence_piece(&self, consequence: usize, piece: usize) -> &[u8] {
        let _ = (consequence, piece);
        &[]
    }
    /// The members of the `values` object of a fired rule: the inputs and derived values it
    /// reads, as `"name":value` separated by commas.
    fn values(&self, out: &mut Vec<u8>, rule: usize, record: &Self::Record, lets: &Self::Lets);
}

/// Writes one decision as a single JSON line.
pub fn write_json<T: Template>(
    template: &T,
    out: &mut Vec<u8>,
    at: RecordRef<'_>,
    decision: &Decision<T::Lets>,
    record: &T::Record,
) {
    open_json(template, out, at, decision, record, Selection::ALL);
    out.extend_from_slice(b"}\n");
}

/// A JSON object being written: each member after the first is preceded by a comma.
pub struct Object<'o> {
    pub out: &'o mut Vec<u8>,
    /// No member has been written yet.
    pub empty: bool,
}

impl<'o> Object<'o> {
    /// Writes `{` into `out`.
    pub fn open(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        Object { out, empty: true }
    }

    /// Starts a member: `,` unless it is the first, then `key` (`"name":`). The value follows
    /// in `self.out`.
    pub fn member(&mut self, key: &[u8]) -> &mut Vec<u8> {
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
        self.out.extend_from_slice(key);
        self.out
    }
}

/// Writes the members of `selection` of one decision, in the decision's order, as an open JSON
/// object: `{` and its members, without the closing `}` (the batch adds what the record itself
/// says, such as `invalid_as_missing`, and annotations). Returns the object, to go on with.
pub fn open_json<'o, T: Template>(
    template: &T,
    out: &'o mut Vec<u8>,
    at: RecordRef<'_>,
    decision: &Decision<T::Lets>,
    record: &T::Record,
    selection: Selection,
) -> Object<'o> {
    let mut object = Object::open(out);
    if selection.has(Member::Record) {
        let out = object.member(b"\"record\":");
        out.extend_from_slice(itoa::Buffer::new().format(at.record).as_bytes());
    }
    if let (true, Some(id)) = (selection.has(Member::Id), at.id) {
        id.write_json(object.member(b"\"id\":"));
    }
    if selection.has(Member::Policy) {
        let policy = template.policy_json();
        object.member(b"\"policy\":").extend_from_slice(policy);
    }
    if selection.has(Member::Score) {
        write_decimal(object.member(b"\"score\":"), decision.score);
    }
    if selection.has(Member::Tier) {
        let out = object.member(b"\"tier\":");
        match decision.tier {
            Some(tier) => out.extend_from_slice(template.tier_json(tier)),
            None => out.extend_from_slice(b"null"),
        }
    }
    if selection.has(Member::Clamped) {
        if decision.clamped() {
            object.member(b"\"clamped\":true");
            write_decimal(object.member(b"\"unclamped_score\":"), decision.unclamped);
        } else {
            object.member(b"\"clamped\":false");
        }
    }
    if selection.has(Member::Outcomes) && !decision.tables.is_empty() {
        write_outcomes(template, object.member(b"\"outcomes\":"), decision);
    }
    if selection.has(Member::Rules) {
        let out = object.member(b"\"rules\":[");
        list(out, &decision.fired, |out, f| {
            out.extend_from_slice(template.rule_open(f.rule));
            write_decimal(out, f.points);
            out.extend_from_slice(b",\"values\":{");
            template.values(out, f.rule, record, &decision.lets);
            out.extend_from_slice(b"}}");
        });
    }
    if selection.has(Member::NotCounted) && !decision.not_counted.is_empty() {
        // `{"rule":"name","points":10}` for each rule of a `counts the highest` group that
        // another rule of its group outscored.
        let out = object.member(b"\"not_counted\":[");
        list(out, &decision.not_counted, |out, f| {
            out.extend_from_slice(template.rule_open(f.rule));
            write_decimal(out, f.points);
            out.push(b'}');
        });
    }
    if selection.has(Member::Unknown) {
        write_unknown(template, object.member(b"\"unknown\":["), decision);
    }
    if selection.has(Member::Reasons) {
        let out = object.member(b"\"reasons\":[");
        list(out, &decision.reasons, |out, reason| {
            out.extend_from_slice(template.reason_open(reason.rule));
            write_decimal(out, reason.below);
            out.push(b'}');
        });
    }
    if selection.has(Member::Consequences) {
        let out = object.member(b"\"consequences\":[");
        let mut computed = decision.computed.iter().peekable();
        for (i, c) in decision.consequences.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match computed.next_if(|x| x.consequence == *c) {
                Some(x) => write_computed(template, out, x),
                None => out.extend_from_slice(template.consequence(*c)),
            }
        }
        out.push(b']');
    }
    object
}

/// The items, each written by `write`, separated by commas, and the closing `]`.
fn list<T>(out: &mut Vec<u8>, items: &[T], mut write: impl FnMut(&mut Vec<u8>, &T)) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, item);
    }
    out.push(b']');
}

/// The items of `unknown` and its closing `]`: rules, then tables, then consequences that an
/// unknown value left undecided.
fn write_unknown<T: Template>(template: &T, out: &mut Vec<u8>, decision: &Decision<T::Lets>) {
    for (i, r) in decision.unknown.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(template.rule_json(*r));
    }
    let mut first = decision.unknown.is_empty();
    for (t, rows) in decision.tables.iter().enumerate() {
        if !rows.unknown.is_empty() {
            if !first {
                out.push(b',');
            }
            first = false;
            out.extend_from_slice(template.table_json(t));
        }
    }
    for c in &decision.unknown_consequences {
        if !first {
            out.push(b',');
        }
        first = false;
        out.extend_from_slice(template.consequence_json(*c));
    }
    out.push(b']');
}

/// The `outcomes` object: each table's outputs, the rows (numbered from 1) that decided them, whether
/// the `otherwise` values were used, and the rows an unknown value kept from matching.
fn write_outcomes<T: Template>(template: &T, out: &mut Vec<u8>, decision: &Decision<T::Lets>) {
    let rows_json = |out: &mut Vec<u8>, rows: &[usize]| {
        out.push(b'[');
        for (i, r) in rows.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(itoa::Buffer::new().format(r + 1).as_bytes());
        }
        out.push(b']');
    };
    out.push(b'{');
    for (t, rows) in decision.tables.iter().enumerate() {
        if t > 0 {
            out.push(b',');
        }
        template.outcome_open(out, t, &decision.lets);
        out.extend_from_slice(b",\"rows\":");
        rows_json(out, &rows.matched);
        if rows.by_default {
            out.extend_from_slice(b",\"otherwise\":true");
        }
        if !rows.unknown.is_empty() {
            out.extend_from_slice(b",\"unknown_rows\":");
            rows_json(out, &rows.unknown);
        }
        out.push(b'}');
    }
    out.push(b'}');
}

/// A consequence's object with its computed amounts in place.
fn write_computed<T: Template>(template: &T, out: &mut Vec<u8>, computed: &Computed) {
    let c = computed.consequence;
    out.extend_from_slice(template.consequence_piece(c, 0));
    let lengths = [computed.lasts, computed.notice].into_iter().flatten();
    for (piece, (amount, unit)) in (1..).zip(lengths) {
        // Digits and a unit's letters: nothing to escape in a JSON string.
        out.extend_from_slice(length_text(amount, unit).as_bytes());
        out.extend_from_slice(template.consequence_piece(c, piece));
    }
}

/// The `"policy"` object every decision carries. `overrides` are the params given other values
/// (`--set`), in declaration order.
pub fn identity_json(
    name: &str,
    version: &str,
    hash: &str,
    overrides: &[(&str, Decimal)],
) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"{\"name\":");
    json_string(&mut out, name);
    out.extend_from_slice(b",\"version\":");
    json_string(&mut out, version);
    out.extend_from_slice(b",\"hash\":");
    json_string(&mut out, hash);
    if !overrides.is_empty() {
        out.extend_from_slice(b",\"overrides\":{");
        for (i, (name, value)) in overrides.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            json_string(&mut out, name);
            out.push(b':');
            write_decimal(&mut out, *value);
        }
        out.push(b'}');
    }
    out.push(b'}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fired(rule: usize, points: i64) -> Fired {
        Fired {
            rule,
            points: Decimal::from(points),
            arm: None,
        }
    }

    fn ranked(ranking: Ranking<'_>, fired: &[Fired]) -> Vec<(usize, Decimal)> {
        let mut reasons = Vec::new();
        rank_reasons(ranking, fired, &mut reasons);
        reasons.into_iter().map(|r| (r.rule, r.below)).collect()
    }

    #[test]
    fn reasons_are_points_below_the_baseline_or_taken_away() {
        let baselines = [None, Some(Decimal::from(70)), None];
        let mut reasons = Vec::new();
        collect_reasons(
            &baselines,
            &[fired(0, -10), fired(1, 45), fired(2, 5)],
            &mut reasons,
        );
        let got: Vec<(usize, Decimal)> = reasons.iter().map(|r| (r.rule, r.below)).collect();
        assert_eq!(got, vec![(1, Decimal::from(25)), (0, Decimal::from(10))]);
    }

    #[test]
    fn on_a_scale_where_higher_is_worse_reasons_are_points_added_or_above_the_baseline() {
        let baselines = [None, Some(Decimal::from(2)), None];
        let ranking = Ranking {
            baselines: &baselines,
            entries: &[],
            higher_is_worse: true,
        };
        // Rule 0 adds 3, rule 1 adds 6 against a baseline of 2, rule 2 gives 4 points back.
        assert_eq!(
            ranked(ranking, &[fired(0, 3), fired(1, 6), fired(2, -4)]),
            vec![(1, Decimal::from(4)), (0, Decimal::from(3))]
        );
        // A rule with a negative baseline that does not fire counts by the baseline.
        let baselines = [Some(Decimal::from(-2))];
        let ranking = Ranking {
            baselines: &baselines,
            entries: &[],
            higher_is_worse: true,
        };
        assert_eq!(ranked(ranking, &[]), vec![(0, Decimal::from(2))]);
    }

    #[test]
    fn rules_sharing_a_code_are_one_reason_with_their_points_summed() {
        // Rules 0 and 2 share a code (entry 0); rule 1 stands alone. Only points against the
        // person are summed: rule 3 (sharing with 0) added points and changes nothing.
        let baselines = [None, None, None, None];
        let entries = [0, 1, 0, 0];
        let ranking = Ranking {
            baselines: &baselines,
            entries: &entries,
            higher_is_worse: false,
        };
        assert_eq!(
            ranked(
                ranking,
                &[fired(0, -5), fired(1, -8), fired(2, -4), fired(3, 20)]
            ),
            vec![(0, Decimal::from(9)), (1, Decimal::from(8))]
        );
        // The entry is the code's first rule even when only a later one counts against the
        // person; equal sums keep the order of the file.
        assert_eq!(
            ranked(ranking, &[fired(1, -4), fired(2, -4)]),
            vec![(0, Decimal::from(4)), (1, Decimal::from(4))]
        );
    }

    #[test]
    fn distances_beyond_the_largest_decimal_are_the_largest_decimal() {
        // Regression: 70 points of baseline above points of nearly -MAX overflowed (a panic).
        let baselines = [Some(Decimal::from(70)), None];
        let entries = [0, 0];
        let ranking = Ranking {
            baselines: &baselines,
            entries: &entries,
            higher_is_worse: false,
        };
        let near = Decimal::MAX - Decimal::from(35);
        let points = [
            Fired {
                rule: 0,
                points: -near,
                arm: None,
            },
            Fired {
                rule: 1,
                points: -near,
                arm: None,
            },
        ];
        assert_eq!(ranked(ranking, &points), vec![(0, Decimal::MAX)]);
        assert_eq!(adverse(Decimal::MIN, Decimal::MAX, true), None);
        assert_eq!(
            adverse(Decimal::MAX, Decimal::MIN, true),
            Some(Decimal::MAX)
        );
    }
}
