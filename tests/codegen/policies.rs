//! Random valid policies for the differential proptest. A policy is drawn by proptest as a
//! sequence of choices (a "recipe") and rendered by a deterministic function that always makes a
//! valid policy: shrinking the recipe (shorter, smaller choices) gives simpler policies, because
//! choice 0 is always the simplest option.
//!
//! The indicators are fixed (one of each kind, with drawn ranges and missing-value rules); params,
//! derived values of every type, plain and scorecard rules (with `per`, caps, groups and
//! weights, `missing` and `otherwise` arms, every range form of bins), tiers covering the scale (in
//! every range form), and consequences on tiers,
//! scores, rules and indicators are drawn.

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
    /// Names that may be unknown (for `is missing`).
    maybe_missing: Vec<String>,
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
            c.pick(&["red", "green", "blue"]).to_string()
        }
    }

    fn leaf(&mut self, c: &mut Choices<'_>, t: T) -> String {
        let names = self.names(t).to_vec();
        if !names.is_empty() && (t == T::Member || c.flip(60)) {
            return names[c.take(names.len() as u32) as usize].clone();
        }
        match t {
            T::Num => c.pick(NUMBERS).to_string(),
            T::Bool => {
                if !self.maybe_missing.is_empty() && c.flip(30) {
                    let name = self.maybe_missing[c.take(self.maybe_missing.len() as u32) as usize]
                        .clone();
                    let not = if c.flip(50) { "not " } else { "" };
                    format!("({name} is {not}missing)")
                } else {
                    c.pick(&["yes", "no"]).to_string()
                }
            }
            T::Member => c.pick(&["red", "green", "blue"]).to_string(),
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
    out.push_str(&format!(
        "policy \"Random {}\" {{\n  version \"1.0.{}\"\n  effective 2027-01-01\n  score {min} to {max} starting at {start}\n  round to {decimals} decimals, {rounding}\n}}\n\n",
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
    let mut ctx = Ctx {
        nums: Vec::new(),
        bools: Vec::new(),
        members: Vec::new(),
        texts: Vec::new(),
        maybe_missing: Vec::new(),
        functions: Vec::new(),
        depth: 0,
    };
    let indicators: [(&str, &str, &str, T); 7] = [
        ("n1", "count", "0", T::Num),
        ("n2", "integer -20 to 20", "-3", T::Num),
        ("d1", "decimal", "1.5", T::Num),
        ("d2", "decimal 0 to 100", "50", T::Num),
        ("b1", "boolean", "no", T::Bool),
        ("e1", "one of [red, green, blue]", "green", T::Member),
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
            maybe_missing: Vec::new(),
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
    let rules = 1 + c.take(6);
    let mut group_open = false;
    let mut rule_names = Vec::new();
    for r in 0..rules {
        if !group_open && c.flip(20) {
            out.push_str(&format!(
                "group g{r} weight {} {{\n",
                c.pick(&["0.5", "1.5", "2", "1", "0.333"])
            ));
            group_open = true;
        }
        let name = format!("r{r}");
        out.push_str(&format!("rule {name} \"Rule {r}\""));
        if c.flip(40) {
            // A scorecard.
            let subject = c.take(5);
            let (subject_name, arms) = match subject {
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
                    let mut members = vec!["red", "green", "blue"];
                    while !members.is_empty() {
                        let n = 1 + c.take(members.len() as u32) as usize;
                        let chosen: Vec<&str> = members.drain(..n).collect();
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
        out.push_str("  basis \"b\"\n  reason \"r\"\n}\n");
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
        if k + 1 < consequences && c.flip(30) {
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
    let mut points: Vec<i64> = (0..1 + c.take(4)).map(|_| i64::from(c.take(100))).collect();
    points.sort();
    points.dedup();
    // Each cut value goes to the bin above it (`from p …`, `below p`) or to the one below it
    // (`… to p`, `at most p`, `above p`), so every range form appears. Two exclusive ends less
    // than 2 apart would make a bin with no whole number, which is an error: never chosen.
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
    let first = match up[0] {
        true => format!("below {}", points[0]),
        false => format!("at most {}", points[0]),
    };
    let mut arms = vec![format!("{first} => {}", bin_effect(c, ctx))];
    for i in 0..points.len() - 1 {
        let from = if up[i] {
            format!("from {}", points[i])
        } else {
            format!("above {}", points[i])
        };
        arms.push(format!("{from} {} => {}", below(i + 1), bin_effect(c, ctx)));
    }
    let last = points.len() - 1;
    let top = if up[last] {
        format!("at {} and above", points[last])
    } else {
        format!("above {}", points[last])
    };
    arms.push(format!("{top} => {}", bin_effect(c, ctx)));
    arms
}
