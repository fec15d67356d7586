//! Random valid policies for the differential proptest. A policy is drawn by proptest as a
//! sequence of choices (a "recipe") and rendered by a deterministic function that always makes a
//! valid policy: shrinking the recipe (shorter, smaller choices) gives simpler policies, because
//! choice 0 is always the simplest option.
//!
//! The indicators are fixed (one of each kind, with drawn ranges and missing-value rules; the list's
//! members are names or quoted texts, each written bare or quoted where it can be); params,
//! derived values of every type, plain and scorecard rules (with `per`, caps, groups and
//! weights, `missing` and `otherwise` arms, every range form of bins, reasons of their own and
//! reason codes shared by several rules), tiers covering the scale (in every range form), and
//! consequences on tiers, scores, rules and indicators are drawn, on scales where a higher score
//! is better and where it is worse.

use proptest::prelude::*;

/// The choices a policy is rendered from.
#[derive(Clone, Debug)]
pub struct Recipe(pub Vec<u32>);

pub fn recipe() -> impl Strategy<Value = Recipe> {
    prop::collection::vec(any::<u32>(), 0..400).prop_map(Recipe)
}

/// Reads choices; past the end, every choice is 0.
struct Choices<'a> {
    choices: &'a [u32],
    at: usize,
}

impl Choices<'_> {
    fn take(&mut self, n: u32) -> u32 {
        let c = self.choices.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        if n == 0 {
            0
        } else {
            c % n
        }
    }

    fn flip(&mut self, percent: u32) -> bool {
        self.take(100) >= 100 - percent
    }

    fn pick<'b>(&mut self, items: &[&'b str]) -> &'b str {
        items[self.take(items.len() as u32) as usize]
    }
}

const NUMBERS: &[&str] = &[
    "0", "1", "2", "3", "5", "10", "0.5", "2.5", "-1", "100", "0.125", "7",
];

#[derive(Clone, Copy, PartialEq)]
enum T {
    Num,
    Bool,
    Member,
    Text,
}

struct Ctx {
    /// Names usable as numbers, yes/no, members of `e1`, texts.
    nums: Vec<String>,
    bools: Vec<String>,
    members: Vec<String>,
    texts: Vec<String>,
    /// The ways each member of `e1` can be written (`red`, `"red"`, `"GREEN-2"`).
    member_writings: Vec<Vec<String>>,
    /// Names that may be unknown (for `is missing`).
    maybe_missing: Vec<String>,
    /// Tables' list outputs, with the cells that test them.
    outcomes: Vec<(String, Vec<String>)>,
    /// Functions of two numbers that expressions may call (none inside a function's body).
    functions: Vec<String>,
    depth: u32,
}

impl Ctx {
    fn names(&self, t: T) -> &[String] {
        match t {
            T::Num => &self.nums,
            T::Bool => &self.bools,
            T::Member => &self.members,
            T::Text => &self.texts,
        }
    }

    fn expr(&mut self, c: &mut Choices<'_>, t: T) -> String {
        self.depth += 1;
        let leaf = self.depth > 3 || c.flip(40);
        let e = if leaf {
            self.leaf(c, t)
        } else {
            match t {
                T::Num => match c.take(11) {
                    0 => format!("({} + {})", self.expr(c, T::Num), self.expr(c, T::Num)),
                    1 => format!("({} - {})", self.expr(c, T::Num), self.expr(c, T::Num)),
                    2 => format!("({} * {})", self.expr(c, T::Num), self.expr(c, T::Num)),
                    3 => format!("({} / {})", self.expr(c, T::Num), self.expr(c, T::Num)),
                    4 => format!("(-{})", self.expr(c, T::Num)),
                    5 => format!("min({}, {})", self.expr(c, T::Num), self.expr(c, T::Num)),
                    6 => format!(
                        "max({}, {}, {})",
                        self.expr(c, T::Num),
                        self.expr(c, T::Num),
                        self.expr(c, T::Num)
                    ),
                    7 => format!(
                        "clamp({}, {}, {})",
                        self.expr(c, T::Num),
                        self.expr(c, T::Num),
                        self.expr(c, T::Num)
                    ),
                    8 => format!(
                        "({} ^ {})",
                        self.expr(c, T::Num),
                        c.pick(&["2", "3", "0", "1", "-1", "-2"])
                    ),
                    9 if !self.functions.is_empty() => {
                        let f =
                            self.functions[c.take(self.functions.len() as u32) as usize].clone();
                        format!("{f}({}, {})", self.expr(c, T::Num), self.expr(c, T::Num))
                    }
                    _ => self.if_expr(c, t),
                },
                T::Bool => match c.take(8) {
                    0 => format!("({} and {})", self.expr(c, T::Bool), self.expr(c, T::Bool)),
                    1 => format!("({} or {})", self.expr(c, T::Bool), self.expr(c, T::Bool)),
                    2 => format!("(not {})", self.expr(c, T::Bool)),
                    3 => {
                        let op = c.pick(&["<", "<=", ">", ">=", "=", "!="]);
                        format!("({} {op} {})", self.expr(c, T::Num), self.expr(c, T::Num))
                    }
                    // A function's body has no list to test.
                    4 if !self.members.is_empty() => {
                        let not = if c.flip(30) { "not " } else { "" };
                        let value = self.expr(c, T::Member);
                        let set = (0..1 + c.take(3))
                            .map(|_| self.member_or_literal(c))
                            .collect::<Vec<_>>()
                            .join(", ");
                        format!("({value} {not}in [{set}])")
                    }
                    5 => {
                        let op = c.pick(&["is", "is not"]);
                        format!("({} {op} {})", self.expr(c, T::Text), self.expr(c, T::Text))
                    }
                    6 => {
                        let set = (0..1 + c.take(3))
                            .map(|_| self.expr(c, T::Num))
                            .collect::<Vec<_>>()
                            .join(", ");
                        format!("({} in [{set}])", self.expr(c, T::Num))
                    }
                    _ => self.if_expr(c, t),
                },
                T::Member | T::Text => self.if_expr(c, t),
            }
        };
        self.depth -= 1;
        e
    }

    fn if_expr(&mut self, c: &mut Choices<'_>, t: T) -> String {
        let mut text = format!("(if {} then {}", self.expr(c, T::Bool), self.expr(c, t));
        if c.flip(30) {
            text.push_str(&format!(
                " else if {} then {}",
                self.expr(c, T::Bool),
                self.expr(c, t)
            ));
        }
        text.push_str(&format!(" else {})", self.expr(c, t)));
        text
    }

    /// A member: a name of the list's type, or a literal (only where the type is known).
    fn member_or_literal(&mut self, c: &mut Choices<'_>) -> String {
        if c.flip(30) {
            self.expr(c, T::Member)
        } else {
            let index = c.take(3) as usize;
            self.member(c, index)
        }
    }

    /// Member `index` of `e1`, in one of the ways it can be written.
    fn member(&self, c: &mut Choices<'_>, index: usize) -> String {
        let writings = &self.member_writings[index];
        writings[c.take(writings.len() as u32) as usize].clone()
    }

    fn leaf(&mut self, c: &mut Choices<'_>, t: T) -> String {
        let names = self.names(t).to_vec();
        if !names.is_empty() && (t == T::Member || c.flip(60)) {
            return names[c.take(names.len() as u32) as usize].clone();
        }
        match t {
            T::Num => c.pick(NUMBERS).to_string(),
            T::Bool => {
                if !self.outcomes.is_empty() && c.flip(60) {
                    let (name, _) = &self.outcomes[c.take(self.outcomes.len() as u32) as usize];
                    let member = c.pick(&["high", "mid", "low"]);
                    return format!("({name} = {member})");
                }
                if !self.maybe_missing.is_empty() && c.flip(30) {
                    let name = self.maybe_missing[c.take(self.maybe_missing.len() as u32) as usize]
                        .clone();
                    let not = if c.flip(50) { "not " } else { "" };
                    format!("({name} is {not}missing)")
                } else {
                    c.pick(&["yes", "no"]).to_string()
                }
            }
            T::Member => {
                let index = c.take(3) as usize;
                self.member(c, index)
            }
            T::Text => c
                .pick(&["\"\"", "\"x\"", "\"a\\\"b\"", "\"é\"", "\"line\\nbreak\""])
                .to_string(),
        }
    }
}

/// Renders a recipe as policy text (always valid).
pub fn render(recipe: &Recipe) -> String {
    let c = &mut Choices {
        choices: &recipe.0,
        at: 0,
    };
    let mut out = String::new();
    let decimals = c.take(4);
    let rounding = c.pick(&["half up", "half even", "half down", "up", "down"]);
    let min = [0i64, -100, 300][c.take(3) as usize];
    let max = min + [100i64, 1000, 550][c.take(3) as usize];
    let start = min + (max - min) / [2i64, 3, 1, 4][c.take(4) as usize];
    // Both directions of the scale: where higher is worse, reasons are the points added.
    let direction = c.pick(&[
        "",
        ", higher is worse",
        ", higher is better",
        ", lower is better",
    ]);
    out.push_str(&format!(
        "policy \"Random {}\" {{\n  version \"1.0.{}\"\n  effective 2027-01-01\n  score {min} to {max} starting at {start}{direction}\n  round to {decimals} decimals, {rounding}\n}}\n\n",
        c.take(1000),
        c.take(10)
    ));
    let missing = |c: &mut Choices<'_>, default: &str| -> (String, bool) {
        match c.take(3) {
            0 => (String::new(), false),
            1 => (format!(", missing means {default}"), false),
            _ => (", missing means unknown".to_string(), true),
        }
    };
    // The list's members: names (each also written quoted), or texts only some of which are
    // names.
    let (members, member_writings): (&str, Vec<Vec<String>>) = if c.flip(50) {
        (
            r#"one of ["red", "GREEN-2", "b \"l\" ü"]"#,
            vec![
                vec!["red".into(), r#""red""#.into()],
                vec![r#""GREEN-2""#.into()],
                vec![r#""b \"l\" ü""#.into()],
            ],
        )
    } else {
        (
            "one of [red, green, blue]",
            ["red", "green", "blue"]
                .iter()
                .map(|m| vec![m.to_string(), format!("\"{m}\"")])
                .collect(),
        )
    };
    let mut ctx = Ctx {
        nums: Vec::new(),
        bools: Vec::new(),
        members: Vec::new(),
        texts: Vec::new(),
        member_writings,
        maybe_missing: Vec::new(),
        outcomes: Vec::new(),
        functions: Vec::new(),
        depth: 0,
    };
    let default_member = ctx.member(c, 1);
    let indicators: [(&str, &str, &str, T); 7] = [
        ("n1", "count", "0", T::Num),
        ("n2", "integer -20 to 20", "-3", T::Num),
        ("d1", "decimal", "1.5", T::Num),
        ("d2", "decimal 0 to 100", "50", T::Num),
        ("b1", "boolean", "no", T::Bool),
        ("e1", members, &default_member, T::Member),
        ("t1", "text", "\"z\"", T::Text),
    ];
    for (name, ty, default, t) in indicators {
        let (mut m, unknown) = missing(c, default);
        // `invalid means missing` needs a missing-value rule.
        if !m.is_empty() && c.flip(30) {
            m.push_str(", invalid means missing");
        }
        out.push_str(&format!("indicator {name}: {ty}{m}\n"));
        if unknown {
            ctx.maybe_missing.push(name.to_string());
        }
        match t {
            T::Num => ctx.nums.push(name.to_string()),
            T::Bool => ctx.bools.push(name.to_string()),
            T::Member => ctx.members.push(name.to_string()),
            T::Text => ctx.texts.push(name.to_string()),
        }
    }
    out.push('\n');
    for p in 0..c.take(3) {
        out.push_str(&format!("param p{p} = {}\n", c.pick(NUMBERS)));
        ctx.nums.push(format!("p{p}"));
    }
    // Functions of two numbers and the params, called from the expressions below.
    for f in 0..c.take(3) {
        let mut body = Ctx {
            nums: ["x1", "x2"].iter().map(|n| n.to_string()).collect(),
            bools: Vec::new(),
            members: Vec::new(),
            texts: Vec::new(),
            member_writings: ctx.member_writings.clone(),
            maybe_missing: Vec::new(),
            outcomes: Vec::new(),
            functions: Vec::new(),
            depth: 0,
        };
        body.nums
            .extend(ctx.nums.iter().filter(|n| n.starts_with('p')).cloned());
        let e = body.expr(c, T::Num);
        out.push_str(&format!("function f{f}(x1: decimal, x2: decimal) = {e}, allow W1501 because \"drawn at random\", allow W1500 because \"drawn at random\"\n"));
        ctx.functions.push(format!("f{f}"));
    }
    for l in 0..c.take(5) {
        let t = [T::Num, T::Bool, T::Member, T::Text][c.take(4) as usize];
        let e = ctx.expr(c, t);
        out.push_str(&format!("let l{l} = {e}\n"));
        let name = format!("l{l}");
        ctx.maybe_missing.push(name.clone());
        match t {
            T::Num => ctx.nums.push(name),
            T::Bool => ctx.bools.push(name),
            T::Member => ctx.members.push(name),
            T::Text => ctx.texts.push(name),
        }
    }
    out.push('\n');
    tables(c, &mut ctx, &mut out);
    let rules = 1 + c.take(6);
    let mut group_open = false;
    let mut rule_names = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    // Whether an earlier rule wrote the text of reason code R0, R1 (a later one may then give
    // the code alone).
    let mut code_text = [false; 2];
    for r in 0..rules {
        if !group_open && c.flip(20) {
            let weight = c.pick(&["0.5", "1.5", "2", "1", "0.333"]);
            // Sometimes only one of the group's rules counts.
            let counts = c.pick(&["", "", " counts the highest", " counts the lowest"]);
            out.push_str(&format!("group g{r} weight {weight}{counts} {{\n"));
            group_open = true;
            groups.push(format!("g{r}"));
        }
        let name = format!("r{r}");
        out.push_str(&format!("rule {name} \"Rule {r}\""));
        if c.flip(40) {
            // A scorecard.
            let subject = c.take(6);
            // A table's list output, binned.
            let outcome = (subject == 5 && !ctx.outcomes.is_empty()).then(|| {
                ctx.outcomes[c.take(ctx.outcomes.len() as u32) as usize]
                    .0
                    .clone()
            });
            let (subject_name, arms) = match subject {
                5 if outcome.is_some() => ("", {
                    vec![
                        format!("high => {}", bin_effect(c, &mut ctx)),
                        format!("otherwise => {}", bin_effect(c, &mut ctx)),
                    ]
                }),
                0 => ("d2", numeric_arms(c, &mut ctx)),
                1 => ("n1", numeric_arms(c, &mut ctx)),
                2 => ("b1", {
                    let mut arms = vec![format!("yes => {}", bin_effect(c, &mut ctx))];
                    if c.flip(70) {
                        arms.push(format!("no => {}", bin_effect(c, &mut ctx)));
                    } else {
                        arms.push(format!("otherwise => {}", bin_effect(c, &mut ctx)));
                    }
                    arms
                }),
                3 => ("e1", {
                    let mut arms = Vec::new();
                    let mut members: Vec<String> = (0..3).map(|m| ctx.member(c, m)).collect();
                    while !members.is_empty() {
                        let n = 1 + c.take(members.len() as u32) as usize;
                        let chosen: Vec<String> = members.drain(..n).collect();
                        if !members.is_empty() && c.flip(20) {
                            arms.push(format!(
                                "{} => {}",
                                chosen.join(", "),
                                bin_effect(c, &mut ctx)
                            ));
                            arms.push(format!("otherwise => {}", bin_effect(c, &mut ctx)));
                            break;
                        }
                        arms.push(format!(
                            "{} => {}",
                            chosen.join(", "),
                            bin_effect(c, &mut ctx)
                        ));
                    }
                    arms
                }),
                _ => ("t1", {
                    vec![
                        format!("\"x\", \"a\\\"b\" => {}", bin_effect(c, &mut ctx)),
                        format!("otherwise => {}", bin_effect(c, &mut ctx)),
                    ]
                }),
            };
            let subject_name = outcome.as_deref().unwrap_or(subject_name);
            out.push_str(&format!(" by {subject_name} {{\n"));
            if c.flip(30) {
                out.push_str(&format!("  when {}\n", ctx.expr(c, T::Bool)));
            }
            for arm in arms {
                out.push_str(&format!("  {arm}\n"));
            }
            if c.flip(40) {
                out.push_str(&format!("  missing => {}\n", bin_effect(c, &mut ctx)));
            }
        } else {
            out.push_str(" {\n");
            if c.flip(70) {
                out.push_str(&format!("  when {}\n", ctx.expr(c, T::Bool)));
            }
            let verb = c.pick(&["add", "deduct"]);
            let mut effect = format!("  {verb} {}", ctx.expr(c, T::Num));
            if c.flip(30) {
                effect.push_str(&format!(" per {}", ctx.expr(c, T::Num)));
            }
            if c.flip(30) {
                effect.push_str(&format!(", at most {}", ctx.expr(c, T::Num)));
            }
            if c.flip(20) {
                effect.push_str(&format!(", at least {}", ctx.expr(c, T::Num)));
            }
            out.push_str(&effect);
            out.push('\n');
        }
        if c.flip(40) {
            out.push_str(&format!("  baseline {}\n", c.pick(NUMBERS)));
        }
        // A reason of its own, or one of two codes that several rules share.
        let reason = match c.take(3) {
            0 => format!("\"r{r}\""),
            _ => {
                let k = c.take(2) as usize;
                if code_text[k] && c.flip(50) {
                    format!("R{k}")
                } else {
                    code_text[k] = true;
                    format!("R{k} \"code {k}\"")
                }
            }
        };
        out.push_str(&format!("  basis \"b\"\n  reason {reason}\n}}\n"));
        rule_names.push(name);
        if group_open && c.flip(50) {
            out.push_str("}\n");
            group_open = false;
        }
    }
    if group_open {
        out.push_str("}\n");
    }
    out.push('\n');
    // Derived values after the rules: what the rules did, read by name, then read by the
    // consequences (through `ctx`) and sometimes by a table.
    for k in 0..c.take(3) {
        let rule = &rule_names[c.take(rule_names.len() as u32) as usize];
        let value = match c.take(5) {
            0 => format!("score - {}", c.pick(NUMBERS)),
            1 => format!("points of {rule}"),
            2 => "rules fired".to_string(),
            3 if !groups.is_empty() => {
                let group = &groups[c.take(groups.len() as u32) as usize];
                if c.flip(50) {
                    format!("points of {group}")
                } else {
                    format!("rules fired in {group}")
                }
            }
            _ => format!("max(points of {rule}, {})", ctx.expr(c, T::Num)),
        };
        out.push_str(&format!("let after{k} = {value}\n"));
        ctx.nums.push(format!("after{k}"));
        if c.flip(40) {
            out.push_str(&format!(
                "table after_table{k} {{\n  hit first\n  inputs after{k}\n  outputs after_band{k}: one of [high, mid, low]\n  at 10 and above => high\n  above -10 => mid\n  otherwise => low\n}}\n"
            ));
            ctx.outcomes.push((
                format!("after_band{k}"),
                vec!["high".into(), "[mid, low]".into()],
            ));
        }
    }
    out.push('\n');
    // Tiers: split points inside the scale.
    let mut splits: Vec<i64> = (0..c.take(4))
        .map(|_| min + 1 + i64::from(c.take(u32::try_from(max - min - 1).unwrap_or(1))))
        .collect();
    splits.sort();
    splits.dedup();
    let tiers = splits.len() + 1;
    // As with bins: each split score goes to the tier above or below it, never leaving a tier
    // with two exclusive ends 1 apart (empty when scores are whole).
    let mut up: Vec<bool> = Vec::with_capacity(splits.len());
    for (i, p) in splits.iter().enumerate() {
        let narrow = i > 0 && !up[i - 1] && p - splits[i - 1] < 2;
        up.push(if narrow { false } else { c.flip(50) });
    }
    for t in 0..tiers {
        let lo = t.checked_sub(1).map(|i| (splits[i], up[i]));
        let hi = splits.get(t).map(|s| (*s, up[t]));
        let band = match (lo, hi) {
            (None, None) => format!("at {min} and above"),
            (None, Some((hi, true))) => format!("below {hi}"),
            (None, Some((hi, false))) => format!("at most {hi}"),
            (Some((lo, true)), None) => format!("at {lo} and above"),
            (Some((lo, false)), None) => format!("above {lo}"),
            (Some((lo, true)), Some((hi, true))) => format!("from {lo} below {hi}"),
            (Some((lo, true)), Some((hi, false))) => format!("{lo} to {hi}"),
            (Some((lo, false)), Some((hi, true))) => format!("above {lo} below {hi}"),
            (Some((lo, false)), Some((hi, false))) => format!("above {lo} to {hi}"),
        };
        out.push_str(&format!("tier k{t} {band}\n"));
    }
    out.push('\n');
    let consequences = c.take(4);
    for k in 0..consequences {
        let mut condition = match c.take(5) {
            0 => format!("tier is k{}", c.take(tiers as u32)),
            1 => format!(
                "score >= {}",
                min + i64::from(c.take(u32::try_from(max - min).unwrap_or(1)))
            ),
            2 => format!(
                "{} applies",
                rule_names[c.take(rule_names.len() as u32) as usize]
            ),
            3 => format!(
                "(tier in [k0, k{}]) and {}",
                c.take(tiers as u32),
                ctx.expr(c, T::Bool)
            ),
            _ => format!("{} or score < {}", ctx.expr(c, T::Bool), min + 10),
        };
        // Reading a later consequence (never an earlier one, so there is no cycle) makes the
        // order they are decided in differ from the order they are listed in.
        if k + 1 < consequences && c.flip(40) {
            let later = k + 1 + c.take(consequences - k - 1);
            let joint = c.pick(&["and", "or"]);
            condition = format!("({condition}) {joint} c{later} applies");
        }
        // A duration and notice computed for each record, from a count that is always known.
        let known_count = !ctx.maybe_missing.iter().any(|n| n == "n1");
        let lasts = match c.take(4) {
            0 if known_count => "lasts (1 + n1) days, notice (n1 * 2) days".to_string(),
            1 if known_count => format!(
                "lasts at least (n1 + {}) weeks, notice 3 days",
                1 + c.take(5)
            ),
            2 => format!("lasts at least {} months, notice 3 days", 1 + c.take(12)),
            _ => format!("lasts {} days, notice 3 days", 1 + c.take(30)),
        };
        out.push_str(&format!(
            "consequence c{k} {{\n  is a {}\n  when {condition}\n  {lasts}\n  appeal \"a\"\n  basis \"b\"\n}}\n",
            c.pick(&["sanction", "benefit"]),
        ));
    }
    out
}

fn bin_effect(c: &mut Choices<'_>, ctx: &mut Ctx) -> String {
    let verb = c.pick(&["add", "deduct"]);
    format!("{verb} {}", ctx.expr(c, T::Num))
}

/// Exhaustive, non-overlapping arms over a number: `below a`, `from a below b`, …, `at z and above`
/// (or points and `otherwise`).
fn numeric_arms(c: &mut Choices<'_>, ctx: &mut Ctx) -> Vec<String> {
    if c.flip(25) {
        return vec![
            format!("0, 5 => {}", bin_effect(c, ctx)),
            format!("1 to 3 => {}", bin_effect(c, ctx)),
            format!("otherwise => {}", bin_effect(c, ctx)),
        ];
    }
    numeric_ranges(c)
        .into_iter()
        .map(|range| format!("{range} => {}", bin_effect(c, ctx)))
        .collect()
}

/// A partition of the whole numbers into ranges (`below a`, `from a below b`, …, `at z and
/// above`, with each cut value going up or down), as the cells of a table's or arms of a
/// scorecard's rows; never a range without a whole number.
fn numeric_ranges(c: &mut Choices<'_>) -> Vec<String> {
    let mut points: Vec<i64> = (0..1 + c.take(4)).map(|_| i64::from(c.take(100))).collect();
    points.sort();
    points.dedup();
    // Each cut value goes to the range above it (`from p …`, `below p`) or to the one below it
    // (`… to p`, `at most p`, `above p`), so every range form appears. Two exclusive ends less
    // than 2 apart would make a range with no whole number, which is an error: never chosen.
    let mut up: Vec<bool> = Vec::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        let narrow = i > 0 && !up[i - 1] && p - points[i - 1] < 2;
        up.push(if narrow { false } else { c.flip(50) });
    }
    let below = |i: usize| {
        if up[i] {
            format!("below {}", points[i])
        } else {
            format!("to {}", points[i])
        }
    };
    let mut ranges = vec![match up[0] {
        true => format!("below {}", points[0]),
        false => format!("at most {}", points[0]),
    }];
    for i in 0..points.len() - 1 {
        let from = if up[i] {
            format!("from {}", points[i])
        } else {
            format!("above {}", points[i])
        };
        ranges.push(format!("{from} {}", below(i + 1)));
    }
    let last = points.len() - 1;
    ranges.push(if up[last] {
        format!("at {} and above", points[last])
    } else {
        format!("above {}", points[last])
    });
    ranges
}

/// Every hit policy, as written after `hit`.
pub const HIT_POLICIES: [&str; 8] = [
    "unique",
    "first",
    "priority",
    "any",
    "collect sum",
    "collect min",
    "collect max",
    "collect count",
];

/// Decision tables over the indicators, derived values and earlier tables' outputs, with every
/// hit policy: `unique` and `any` rows are a grid (a partition of each input's values, crossed),
/// so they never overlap and cover every input; the others draw any cells and a default.
fn tables(c: &mut Choices<'_>, ctx: &mut Ctx, out: &mut String) {
    for t in 0..c.take(3) {
        let hit = c.pick(&HIT_POLICIES);
        let grid = matches!(hit, "unique" | "any");
        // Inputs: (name, the partition of its values into cells).
        let mut inputs: Vec<(String, Vec<String>)> = Vec::new();
        for _ in 0..1 + c.take(2) {
            let input = match c.take(5) {
                0 => ("b1".to_string(), vec!["yes".to_string(), "no".to_string()]),
                1 => ("e1".to_string(), {
                    // Each member in one of its writings, the list cut into consecutive cells.
                    let mut members: Vec<String> = ctx
                        .member_writings
                        .clone()
                        .into_iter()
                        .map(|w| w[c.take(w.len() as u32) as usize].clone())
                        .collect();
                    let mut cells = Vec::new();
                    while !members.is_empty() {
                        let n = 1 + c.take(members.len() as u32) as usize;
                        let chosen: Vec<String> = members.drain(..n).collect();
                        cells.push(if chosen.len() == 1 {
                            chosen.join("")
                        } else {
                            format!("[{}]", chosen.join(", "))
                        });
                    }
                    cells
                }),
                2 => ("n1".to_string(), numeric_ranges(c)),
                3 if !ctx.outcomes.is_empty() => {
                    let (name, members) =
                        ctx.outcomes[c.take(ctx.outcomes.len() as u32) as usize].clone();
                    (name, members)
                }
                _ => ("d2".to_string(), numeric_ranges(c)),
            };
            if !inputs.iter().any(|(n, _)| *n == input.0) {
                inputs.push(input);
            }
        }
        let counts = hit == "collect count";
        let collects = hit.starts_with("collect");
        // Outputs: (declaration, the values a row may give).
        let mut outputs: Vec<(String, Vec<String>)> = Vec::new();
        let output_count = if collects { 1 } else { 1 + c.take(2) };
        for k in 0..output_count {
            let name = format!("o{t}_{k}");
            let kind = if collects || (k > 0 && c.flip(40)) {
                1
            } else if hit == "priority" && k == 0 {
                0
            } else {
                c.take(4)
            };
            outputs.push(match kind {
                0 => (
                    format!("{name}: one of [high, mid, low]"),
                    vec!["high".into(), "mid".into(), "low".into()],
                ),
                1 => (
                    format!("{name}: decimal"),
                    NUMBERS.iter().map(|n| n.to_string()).collect(),
                ),
                2 => (format!("{name}: boolean"), vec!["yes".into(), "no".into()]),
                _ => (
                    format!("{name}: text"),
                    vec!["\"x\"".into(), "\"é\"".into(), "\"a\\\"b\"".into()],
                ),
            });
        }
        let names: Vec<&str> = inputs.iter().map(|(n, _)| n.as_str()).collect();
        let declared: Vec<&str> = outputs.iter().map(|(d, _)| d.as_str()).collect();
        out.push_str(&format!(
            "table dt{t} \"Table {t}\" {{\n  hit {hit}\n  inputs {}\n  outputs {}\n",
            names.join(", "),
            declared.join(", ")
        ));
        let values = |c: &mut Choices<'_>| -> String {
            if counts {
                return String::new();
            }
            let chosen: Vec<String> = outputs
                .iter()
                .map(|(_, v)| v[c.take(v.len() as u32) as usize].clone())
                .collect();
            format!(" => {}", chosen.join(", "))
        };
        if grid {
            let mut rows: Vec<Vec<String>> = vec![Vec::new()];
            for (_, cells) in &inputs {
                rows = rows
                    .into_iter()
                    .flat_map(|row| {
                        cells.iter().map(move |cell| {
                            let mut r = row.clone();
                            r.push(cell.clone());
                            r
                        })
                    })
                    .collect();
            }
            // In an `any` table, a row repeated with the same values overlaps where it agrees.
            let repeat = hit == "any" && c.flip(50);
            for (i, row) in rows.iter().enumerate() {
                let v = values(c);
                out.push_str(&format!("  {}{v}\n", row.join(", ")));
                if repeat && i == 0 {
                    out.push_str(&format!("  {}{v}\n", row.join(", ")));
                }
            }
            // The unknown values of a first input that may be unknown get a row of their own.
            if ctx.maybe_missing.contains(&inputs[0].0) && c.flip(50) {
                let rest = vec!["-"; inputs.len() - 1];
                let cells = std::iter::once("missing").chain(rest).collect::<Vec<_>>();
                out.push_str(&format!("  {}{}\n", cells.join(", "), values(c)));
            }
        } else {
            for _ in 0..1 + c.take(5) {
                let cells: Vec<String> = inputs
                    .iter()
                    .map(|(name, cells)| match c.take(4) {
                        0 => "-".to_string(),
                        1 if ctx.maybe_missing.contains(name) => "missing".to_string(),
                        _ => cells[c.take(cells.len() as u32) as usize].clone(),
                    })
                    .collect();
                out.push_str(&format!("  {}{}\n", cells.join(", "), values(c)));
            }
            if !matches!(hit, "collect sum" | "collect count") || c.flip(50) {
                out.push_str(&format!(
                    "  otherwise{}\n",
                    if counts {
                        " => 0".to_string()
                    } else {
                        values(c)
                    }
                ));
            }
        }
        out.push_str("}\n");
        for (k, (declaration, _)) in outputs.iter().enumerate() {
            let name = format!("o{t}_{k}");
            if declaration.ends_with("decimal") {
                ctx.nums.push(name);
            } else if declaration.ends_with("boolean") {
                ctx.bools.push(name);
            } else if declaration.ends_with("text") {
                ctx.texts.push(name);
            } else {
                ctx.outcomes
                    .push((name, vec!["high".into(), "[mid, low]".into()]));
            }
        }
    }
    out.push('\n');
}
