//! Records for any policy, valid and hostile, as JSON lines and CSV: values at and around every
//! number the policy mentions, every member, texts that need escaping, and every kind of bad
//! record (missing, wrong type, out of range, unknown member, too many digits, overflowing,
//! malformed, not UTF-8, nested, duplicated, null).

use rubric::ir::{Expr, Input, InputKind, Missing, Pattern, Points, Policy, Value};
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// A small deterministic random source (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// True with probability `percent` in 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const TEXTS: &[&str] = &[
    "",
    "x",
    "hello",
    "a\"b",
    "back\\slash",
    "line\nbreak",
    "tab\there",
    "é😀",
    "\u{1}",
    "*/",
    "\"#",
    "a,b;c",
];

fn constants(e: &Expr, out: &mut Vec<Decimal>) {
    if let Expr::Const(Value::Number(n)) = e {
        out.push(*n);
    }
    let mut children = Vec::new();
    e.children(&mut children);
    for child in children {
        constants(child, out);
    }
}

fn texts(e: &Expr, out: &mut Vec<String>) {
    let mut stack = vec![e];
    while let Some(e) = stack.pop() {
        if let Expr::Const(Value::Text(t)) = e {
            out.push(t.clone());
        }
        e.children(&mut stack);
    }
}

/// Interesting numbers and texts of a policy.
pub struct Palette {
    numbers: Vec<Decimal>,
    texts: Vec<String>,
}

impl Palette {
    pub fn new(policy: &Policy) -> Self {
        let mut numbers = Vec::new();
        let mut strings: Vec<String> = TEXTS.iter().map(|t| t.to_string()).collect();
        let points = |p: &Points, numbers: &mut Vec<Decimal>| {
            for e in [
                Some(&p.amount),
                p.per.as_ref(),
                p.at_most.as_ref(),
                p.at_least.as_ref(),
            ]
            .into_iter()
            .flatten()
            {
                constants(e, numbers);
            }
        };
        for l in &policy.lets {
            constants(&l.value, &mut numbers);
            texts(&l.value, &mut strings);
        }
        for r in &policy.rules {
            if let Some(c) = &r.condition {
                constants(c, &mut numbers);
                texts(c, &mut strings);
            }
            match &r.effect {
                rubric::ir::Effect::Points(p) => points(p, &mut numbers),
                rubric::ir::Effect::Bins { arms, .. } => {
                    for arm in arms {
                        points(&arm.points, &mut numbers);
                        for p in &arm.patterns {
                            match p {
                                Pattern::Range(r) => {
                                    numbers.extend(r.lo.map(|b| b.value));
                                    numbers.extend(r.hi.map(|b| b.value));
                                }
                                Pattern::Value(Value::Text(t)) => strings.push(t.clone()),
                                Pattern::Value(_) => {}
                            }
                        }
                    }
                }
            }
        }
        for i in &policy.inputs {
            numbers.extend(i.min);
            numbers.extend(i.max);
            if let Missing::Default(Value::Text(t)) = &i.missing {
                strings.push(t.clone());
            }
        }
        numbers.extend([Decimal::ZERO, Decimal::ONE, Decimal::new(-1, 0)]);
        let mut around = Vec::new();
        for n in &numbers {
            for delta in ["1", "0.5", "0.01", "0.001"] {
                let d: Decimal = delta.parse().unwrap();
                around.push(*n + d);
                around.push(*n - d);
            }
        }
        numbers.extend(around);
        numbers.sort();
        numbers.dedup();
        strings.sort();
        strings.dedup();
        Palette {
            numbers,
            texts: strings,
        }
    }

    /// A value for a number input: mostly in range, near the policy's numbers.
    fn number(&self, rng: &mut Rng, input: &Input) -> Decimal {
        let whole = input.kind == InputKind::Whole;
        for _ in 0..8 {
            let mut n = if rng.chance(70) {
                *rng.pick(&self.numbers)
            } else {
                let lo = input.min.unwrap_or(Decimal::new(-1000, 0));
                let hi = input.max.unwrap_or(Decimal::new(100_000, 0));
                let span = (hi - lo).max(Decimal::ONE);
                let fraction = Decimal::new((rng.next() % 10_000) as i64, 4);
                lo + span * fraction
            };
            if whole {
                n = n.trunc();
            } else if rng.chance(30) {
                n = n.round_dp(rng.below(4) as u32);
            }
            let in_range = input.min.is_none_or(|m| n >= m) && input.max.is_none_or(|m| n <= m);
            if in_range {
                return n;
            }
        }
        input.min.or(input.max).unwrap_or(Decimal::ZERO)
    }
}

/// A value of `input` as JSON, valid or (with `bad`) not.
fn json_value(rng: &mut Rng, palette: &Palette, input: &Input, bad: bool) -> String {
    if bad {
        let choices = [
            "\"3\"".to_string(),
            "true".to_string(),
            "2.5".to_string(),
            "[1,2]".to_string(),
            "{\"a\":1}".to_string(),
            "1e400".to_string(),
            "12345678901234567890123456789.5".to_string(),
            "99999999999999999999999".to_string(),
            "-99999999999999999999999".to_string(),
            "\"unknown_member\"".to_string(),
            "1000000000".to_string(),
            "-1000000000".to_string(),
            "0.00000000000000000000000000001".to_string(),
        ];
        return rng.pick(&choices).clone();
    }
    match &input.kind {
        InputKind::Bool => rng.chance(50).to_string(),
        InputKind::Whole | InputKind::Decimal => {
            let n = palette.number(rng, input);
            if rng.chance(10) && !n.is_zero() {
                // The same number in exponent form.
                format!("{}e{}", n * Decimal::new(10, 0), -1)
            } else {
                n.to_string()
            }
        }
        InputKind::Enum(members) => serde_json::to_string(rng.pick(members)).unwrap(),
        InputKind::Text => {
            let t = rng.pick(&palette.texts);
            if rng.chance(20) {
                // \u escapes for every character.
                let mut s = String::from("\"");
                for u in t.encode_utf16() {
                    write!(s, "\\u{u:04x}").unwrap();
                }
                s.push('"');
                s
            } else {
                serde_json::to_string(t).unwrap()
            }
        }
    }
}

/// `count` JSON lines for `policy`, about one in five of them bad.
pub fn jsonl(policy: &Policy, seed: u64, count: usize) -> Vec<u8> {
    let palette = Palette::new(policy);
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    for i in 0..count {
        if rng.chance(3) {
            out.extend_from_slice(if rng.chance(50) { b"\n" } else { b"   \r\n" });
        }
        let mut fields = Vec::new();
        match rng.below(4) {
            0 => {}
            1 => fields.push(format!(
                "\"id\":{}",
                serde_json::to_string(&format!("r-{i}")).unwrap()
            )),
            // Numeric ids come back as the same number text.
            2 => fields.push(match i % 3 {
                0 => format!("\"id\":{i}"),
                1 => format!("\"id\":-{i}.50"),
                _ => format!("\"id\":{i}e-1"),
            }),
            _ => fields.push(format!(
                "\"id\":{}",
                serde_json::to_string(rng.pick(TEXTS)).unwrap()
            )),
        }
        let hostile = rng.chance(20);
        for input in &policy.inputs {
            let key = serde_json::to_string(&input.name).unwrap();
            let absent = match input.missing {
                Missing::Required => hostile && rng.chance(10),
                _ => rng.chance(25),
            };
            if absent {
                continue;
            }
            if rng.chance(4) {
                fields.push(format!("{key}:null"));
                continue;
            }
            let bad = hostile && rng.chance(15);
            fields.push(format!(
                "{key}:{}",
                json_value(&mut rng, &palette, input, bad)
            ));
            if hostile && rng.chance(3) {
                fields.push(format!(
                    "{key}:{}",
                    json_value(&mut rng, &palette, input, false)
                ));
            }
        }
        if rng.chance(10) {
            fields.push("\"extra\":{\"nested\":[1,\"]\"]}".to_string());
        }
        // Shuffle the fields.
        for k in (1..fields.len()).rev() {
            let j = rng.below(k + 1);
            fields.swap(k, j);
        }
        let mut line = format!(
            "{{{}}}",
            fields.join(if rng.chance(20) { " , " } else { "," })
        );
        if hostile && rng.chance(8) {
            let mut cut = rng.below(line.len());
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            line.truncate(cut);
        }
        if hostile && rng.chance(3) {
            line = "[\"not\",\"an\",\"object\"]".to_string();
        }
        let mut bytes = line.into_bytes();
        if hostile && rng.chance(3) {
            let at = rng.below(bytes.len() + 1);
            bytes.insert(at, 0xff);
        }
        out.extend_from_slice(&bytes);
        out.push(b'\n');
    }
    out
}

/// `count` CSV rows (after a header) for `policy`, about one in five of them bad.
pub fn csv(policy: &Policy, seed: u64, count: usize) -> Vec<u8> {
    let palette = Palette::new(policy);
    let mut rng = Rng::new(seed);
    let mut columns: Vec<Option<usize>> = (0..policy.inputs.len()).map(Some).collect();
    columns.push(None); // the id
    for k in (1..columns.len()).rev() {
        let j = rng.below(k + 1);
        columns.swap(k, j);
    }
    let mut header: Vec<String> = columns
        .iter()
        .map(|c| c.map_or("id".to_string(), |i| policy.inputs[i].name.clone()))
        .collect();
    header.push("ignored column".to_string());
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for i in 0..count {
        let hostile = rng.chance(20);
        let mut row: Vec<Vec<u8>> = Vec::new();
        for c in &columns {
            let cell = match c {
                None => match rng.below(3) {
                    0 => String::new(),
                    1 => format!("c-{i}"),
                    _ => rng.pick(TEXTS).to_string(),
                },
                Some(index) => {
                    let input = &policy.inputs[*index];
                    let absent = match input.missing {
                        Missing::Required => hostile && rng.chance(10),
                        _ => rng.chance(25),
                    };
                    if absent {
                        String::new()
                    } else if hostile && rng.chance(15) {
                        rng.pick(&[
                            "x",
                            "3.5",
                            "yes please",
                            "1e400",
                            "99999999999999999999999999999",
                            "-5000000000",
                            "gold",
                        ])
                        .to_string()
                    } else {
                        match &input.kind {
                            InputKind::Bool => rng
                                .pick(&["true", "false", "yes", "no", "TRUE", " No "])
                                .to_string(),
                            InputKind::Whole | InputKind::Decimal => {
                                let n = palette.number(&mut rng, input).to_string();
                                if rng.chance(10) {
                                    format!(" {n} ")
                                } else {
                                    n
                                }
                            }
                            InputKind::Enum(members) => rng.pick(members).clone(),
                            InputKind::Text => rng.pick(&palette.texts).clone(),
                        }
                    }
                }
            };
            row.push(cell.into_bytes());
        }
        row.push(b"whatever".to_vec());
        if hostile && rng.chance(5) {
            row.pop();
            row.pop();
        }
        if hostile && rng.chance(3) {
            if let Some(cell) = row.first_mut() {
                cell.push(0xff);
            }
        }
        writer.write_record(&row).unwrap();
    }
    writer.into_inner().unwrap()
}
