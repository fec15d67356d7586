use super::*;
use crate::span::{FileId, Node, Span};
use crate::syntax::parse;
use rust_decimal::Decimal;

fn parsed(text: &str) -> PolicyFile {
    match parse(FileId(0), text) {
        Ok(file) => file,
        Err(e) => panic!("does not parse: {}\n{text}", e.message),
    }
}

/// Parses `text`, prints it, and checks the round trip and idempotence; returns the printout.
fn round_trip(text: &str) -> String {
    let ast = parsed(text);
    let printed = print(&ast);
    let again = parsed(&printed);
    assert_eq!(
        again.clone(),
        ast.clone(),
        "the printout reads back differently:\n{printed}"
    );
    assert_eq!(print(&again), printed, "printing is not idempotent");
    printed
}

/// The canonical form of the expression in `let x = <text>`.
fn canonical(text: &str) -> String {
    let printed = round_trip(&format!("let x = {text}"));
    printed
        .strip_prefix("let x = ")
        .and_then(|s| s.strip_suffix('\n'))
        .unwrap_or_else(|| panic!("unexpected printout: {printed}"))
        .to_string()
}

#[test]
fn arithmetic_keeps_only_needed_brackets() {
    for (text, expected) in [
        ("(a + b) * c", "(a + b) * c"),
        ("a + (b * c)", "a + b * c"),
        ("((a + b)) + c", "a + b + c"),
        ("a + (b + c)", "a + (b + c)"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a - b) - c", "a - b - c"),
        ("a / (b * c)", "a / (b * c)"),
        ("(a / b) * c", "a / b * c"),
        ("a * (b / c)", "a * (b / c)"),
        ("-(a + b)", "-(a + b)"),
        ("-(a * b)", "-(a * b)"),
        ("(-a) * b", "-a * b"),
        ("- - a", "--a"),
        ("a - -b", "a - -b"),
        ("2 * -(3)", "2 * -3"),
        ("(0.50) + 007", "0.50 + 7"),
    ] {
        assert_eq!(canonical(text), expected, "{text}");
    }
}

#[test]
fn powers_keep_only_needed_brackets() {
    for (text, expected) in [
        ("a ^ 2", "a ^ 2"),
        ("(a ^ 2)", "a ^ 2"),
        ("-a ^ 2", "-a ^ 2"),
        ("-(a ^ 2)", "-a ^ 2"),
        ("(-a) ^ 2", "(-a) ^ 2"),
        ("a ^ -1", "a ^ -1"),
        ("a ^ (-1)", "a ^ -1"),
        ("a ^ --b", "a ^ --b"),
        ("(1 + r) ^ n", "(1 + r) ^ n"),
        ("2 * a ^ 3", "2 * a ^ 3"),
        ("(2 * a) ^ 3", "(2 * a) ^ 3"),
        ("a ^ (b ^ c)", "a ^ (b ^ c)"),
        ("(a ^ b) ^ c", "(a ^ b) ^ c"),
        ("a ^ (n + 1)", "a ^ (n + 1)"),
        ("min(a, b) ^ 2", "min(a, b) ^ 2"),
    ] {
        assert_eq!(canonical(text), expected, "{text}");
    }
}

#[test]
fn logic_and_comparisons_keep_only_needed_brackets() {
    for (text, expected) in [
        ("not (a and b)", "not (a and b)"),
        ("not (a or b)", "not (a or b)"),
        ("(not a) and b", "not a and b"),
        ("not (a = b)", "not a = b"),
        ("(not a) = b", "(not a) = b"),
        ("not not a", "not not a"),
        ("not (not a)", "not not a"),
        ("a = b and c != d", "a = b and c != d"),
        ("(a = b) and (c < d)", "a = b and c < d"),
        ("a and (b and c)", "a and (b and c)"),
        ("(a and b) and c", "a and b and c"),
        ("a or (b and c)", "a or b and c"),
        ("(a or b) and c", "(a or b) and c"),
        ("a or (b or c)", "a or (b or c)"),
        ("(a = b) = c", "(a = b) = c"),
        ("a = (b = c)", "a = (b = c)"),
        ("(a + 1) >= b * 2", "a + 1 >= b * 2"),
        ("a is b", "a = b"),
        ("a is not b", "a != b"),
        ("x = true or y = false", "x = yes or y = no"),
        ("(a and b) = c", "(a and b) = c"),
        ("-(a < b)", "-(a < b)"),
    ] {
        assert_eq!(canonical(text), expected, "{text}");
    }
}

#[test]
fn membership_and_missing_tests() {
    for (text, expected) in [
        ("x in [a, b]", "x in [a, b]"),
        ("x not in [a,b,c]", "x not in [a, b, c]"),
        ("not x in [a]", "not x in [a]"),
        ("(x + 1) in [1, (2 + 3)]", "x + 1 in [1, 2 + 3]"),
        ("(x = y) in [yes]", "(x = y) in [yes]"),
        (
            "x in [if a then 1 else 2, a and b]",
            "x in [if a then 1 else 2, a and b]",
        ),
        ("x is missing", "x is missing"),
        ("x is not missing or y", "x is not missing or y"),
        ("(a or b) is missing", "(a or b) is missing"),
        ("(x is missing) = no", "(x is missing) = no"),
    ] {
        assert_eq!(canonical(text), expected, "{text}");
    }
}

#[test]
fn ifs_are_bracketed_only_inside_operators_and_after_else() {
    for (text, expected) in [
        ("(if c then 1 else 2) + 3", "(if c then 1 else 2) + 3"),
        ("3 * (if c then 1 else 2)", "3 * (if c then 1 else 2)"),
        ("not (if c then a else b)", "not (if c then a else b)"),
        (
            "if a then 1 else if b then 2 else 3",
            "if a then 1 else if b then 2 else 3",
        ),
        // A bracketed `if` after the last `else` is a different tree from an `else if` chain.
        (
            "if a then 1 else (if b then 2 else 3)",
            "if a then 1 else (if b then 2 else 3)",
        ),
        (
            "if a then (if b then 1 else 2) else 3",
            "if a then if b then 1 else 2 else 3",
        ),
        (
            "if (if a then b else c) then 1 else 2",
            "if if a then b else c then 1 else 2",
        ),
        (
            "if a then (if b then 1 else 2) else if c then 3 else 4",
            "if a then if b then 1 else 2 else if c then 3 else 4",
        ),
        ("if a then 1 else (b or c)", "if a then 1 else b or c"),
        ("if a then 1 else 2 + 3", "if a then 1 else 2 + 3"),
        (
            "min(if a then 1 else 2, max(3, 4), clamp(x, 0, 1))",
            "min(if a then 1 else 2, max(3, 4), clamp(x, 0, 1))",
        ),
    ] {
        assert_eq!(canonical(text), expected, "{text}");
    }
}

#[test]
fn texts_are_re_escaped() {
    let printed = round_trip(r#"let x = "say \"hi\" \\ then\nnew line\tand tab""#);
    assert_eq!(
        printed,
        "let x = \"say \\\"hi\\\" \\\\ then\\nnew line\\tand tab\"\n"
    );
    let printed = round_trip("policy \"a \\\\ b\" {\n  version \"\\\"1\\\"\"\n}\n");
    assert!(printed.contains(r#"policy "a \\ b" {"#), "{printed}");
    assert!(printed.contains(r#"version "\"1\"""#), "{printed}");
}

#[test]
fn when_before_kind_gets_a_comma_only_when_needed() {
    let text = "consequence c {\n  when r applies, is a benefit\n  when tier = A\n  is a sanction\n  lasts 1 day\n}\n";
    let printed = round_trip(text);
    assert_eq!(
            printed,
            "consequence c {\n  when r applies,\n  is a benefit\n  when tier = A\n  is a sanction\n  lasts 1 day\n}\n"
        );
    let printed = round_trip("consequence c { when not (a or b), is a benefit }");
    assert!(printed.contains("when not (a or b),\n"), "{printed}");
    let printed = round_trip("consequence c { when a and b is missing is a benefit }");
    assert!(printed.contains("when a and b is missing\n"), "{printed}");
}

#[test]
fn every_declaration_kind_prints_canonically() {
    let text = r#"
/// The header.
///
///   indented doc line
policy "P" { version "1.0" effective 2027-01-31 score -10 to 1200.50 starting at 0 round to 0 decimal places, half even }
policy "Q" { score 0 to 1 round to 2 decimals }
policy "Empty" {}
indicator a: boolean
indicator b: count, source "S", higher is worse
indicator c: integer -5 to 12, unit "u", lower is worse, required
indicator d: decimal 0 to 2000.5, missing means 0.5, lower is better
indicator e: one of [x, y,z], missing means unknown, protected
indicator f: text, missing means "none"
indicator g: boolean, missing means true
indicator h: one of [p, q], missing means p
param p1 = 20 points
param p2 = -0.5
let l1 = a + b
/// Doc of a rule.
rule r1 "Title" { when a >= 1 deduct p1 per a, at most 100, at least 5 basis "B" reason "R" baseline -3 }
rule r2 by c {
  -5, 7, from 8 to 9 => add 1
  0 => add 10
  1 to 5 => add 0
  from 6 below p1 => deduct 30
  at 12 and above => deduct 80
  below -4 => deduct 5
  missing => deduct 5
  otherwise => add 0
  basis "B"
}
rule r3 by e { x, y => add 1 yes => add 2 "t" => add 3 }
rule r4 {}
group g1 "G" weight 0.5 { /// inner doc
  rule a1 { add 1 } rule a2 "A2" { when yes deduct 2 } }
group g2 {}
group g3 weight if a then 1 else 2 { rule a3 { add 1 } }
tier AAA "Top" at 1050 and above
tier A from 960 below 1050
tier B from 850 to 959
tier C p1 to p2
tier D below 600
consequence c1 "C" { is a sanction, when tier is D or r1 applies, lasts 12 months, notice 30 days appeal "Board" basis "Law" }
consequence c2 { is a benefit when score > 1000 lasts 1 week notice 1 year lasts indefinitely because "why" }
consequence c3 {}
test "t \"1\"" {
  given a = 0, b = missing, c = -1, e = x, f = "s", g = false
  given d = 2.50
  expect score = 1010, tier = A, r1 = -40, no c1, c2
  expect tier = 5
}
test "empty" {}
"#;
    let printed = round_trip(text);
    let expected = r#"/// The header.
///
///   indented doc line
policy "P" {
  version "1.0"
  effective 2027-01-31
  score -10 to 1200.50 starting at 0
  round to 0 decimals, half even
}

policy "Q" {
  score 0 to 1
  round to 2 decimals
}

policy "Empty" {}

indicator a: boolean
indicator b: count, source "S", higher is worse
indicator c: integer -5 to 12, unit "u", higher is better, required
indicator d: decimal 0 to 2000.5, missing means 0.5, higher is worse
indicator e: one of [x, y, z], missing means unknown, protected
indicator f: text, missing means "none"
indicator g: boolean, missing means yes
indicator h: one of [p, q], missing means p

param p1 = 20 points
param p2 = -0.5

let l1 = a + b

/// Doc of a rule.
rule r1 "Title" {
  when a >= 1
  deduct p1 per a, at most 100, at least 5
  basis "B"
  reason "R"
  baseline -3
}

rule r2 by c {
  -5, 7, 8 to 9   => add 1
  0               => add 10
  1 to 5          => add 0
  from 6 below p1 => deduct 30
  at 12 and above => deduct 80
  below -4        => deduct 5
  missing         => deduct 5
  otherwise       => add 0
  basis "B"
}

rule r3 by e {
  x, y => add 1
  yes  => add 2
  "t"  => add 3
}

rule r4 {}

group g1 "G" weight 0.5 {
  /// inner doc
  rule a1 {
    add 1
  }

  rule a2 "A2" {
    when yes
    deduct 2
  }
}

group g2 {}

group g3 weight if a then 1 else 2 {
  rule a3 {
    add 1
  }
}

tier AAA "Top" at 1050 and above
tier A from 960 below 1050
tier B 850 to 959
tier C p1 to p2
tier D below 600

consequence c1 "C" {
  is a sanction
  when tier = D or r1 applies
  lasts 12 months
  notice 30 days
  appeal "Board"
  basis "Law"
}

consequence c2 {
  is a benefit
  when score > 1000
  lasts 1 week
  notice 1 year
  lasts indefinitely because "why"
}

consequence c3 {}

test "t \"1\"" {
  given a = 0, b = missing, c = -1, e = x, f = "s", g = no
  given d = 2.50
  expect score = 1010, tier = A, r1 = -40, no c1, c2
  expect tier = 5
}

test "empty" {}
"#;
    assert_eq!(printed, expected);
}

/// A tiny deterministic generator of expression trees of the shapes the parser builds.
struct Trees(u64);

impl Trees {
    fn below(&mut self, n: usize) -> usize {
        // xorshift64
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn node(kind: ExprKind) -> Expr {
        Node::new(kind, Span::default())
    }

    fn boxed(&mut self, depth: u32) -> Box<Expr> {
        Box::new(self.expr(depth))
    }

    fn list(&mut self, depth: u32) -> Vec<Expr> {
        (0..1 + self.below(3)).map(|_| self.expr(depth)).collect()
    }

    fn expr(&mut self, depth: u32) -> Expr {
        let choice = if depth == 0 {
            self.below(8)
        } else {
            self.below(16)
        };
        let kind = match choice {
            0 => ExprKind::Number(Decimal::new([0, 1, 25, 1000][self.below(4)], 1)),
            1 => ExprKind::Text(["", "a \"b\" \\ c", "tab\there"][self.below(3)].to_string()),
            2 => ExprKind::Bool(self.below(2) == 0),
            3 | 4 => ExprKind::Name(["a", "b", "c"][self.below(3)].to_string()),
            5 => ExprKind::Score,
            6 => ExprKind::Tier,
            7 => ExprKind::Applies(Node::new("r".to_string(), Span::default())),
            8 => ExprKind::Unary(
                [UnaryOp::Neg, UnaryOp::Not][self.below(2)],
                self.boxed(depth - 1),
            ),
            9..=11 => {
                let ops = [
                    BinaryOp::Add,
                    BinaryOp::Sub,
                    BinaryOp::Mul,
                    BinaryOp::Div,
                    BinaryOp::Eq,
                    BinaryOp::Ne,
                    BinaryOp::Lt,
                    BinaryOp::Le,
                    BinaryOp::Gt,
                    BinaryOp::Ge,
                    BinaryOp::And,
                    BinaryOp::Or,
                ];
                let op = ops[self.below(ops.len())];
                ExprKind::Binary(op, self.boxed(depth - 1), self.boxed(depth - 1))
            }
            12 => ExprKind::In {
                value: self.boxed(depth - 1),
                set: self.list(depth - 1),
                negated: self.below(2) == 0,
            },
            13 => ExprKind::IsMissing {
                value: self.boxed(depth - 1),
                negated: self.below(2) == 0,
            },
            14 => ExprKind::Call {
                func: Node::new("min".to_string(), Span::default()),
                args: self.list(depth - 1),
            },
            _ => ExprKind::If {
                branches: (0..1 + self.below(2))
                    .map(|_| (self.expr(depth - 1), self.expr(depth - 1)))
                    .collect(),
                otherwise: self.boxed(depth - 1),
            },
        };
        Self::node(kind)
    }
}

#[test]
fn random_expression_trees_read_back_unchanged() {
    let mut trees = Trees(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let tree = trees.expr(5);
        let text = format!("let x = {}", expr(&tree));
        let file = parsed(&text);
        let Some(Item::Let(decl)) = file.items.first() else {
            panic!("not a let: {text}");
        };
        assert_eq!(decl.value, tree, "{text}");

        // The same tree as a consequence's condition just before `is a benefit`.
        let items = vec![
            Node::new(ConsequenceItem::When(tree), Span::default()),
            Node::new(
                ConsequenceItem::Kind(ConsequenceKind::Benefit),
                Span::default(),
            ),
        ];
        let file = PolicyFile {
            items: vec![Item::Consequence(Node::new(
                Consequence {
                    docs: Vec::new(),
                    name: Node::new("c".to_string(), Span::default()),
                    title: None,
                    items,
                },
                Span::default(),
            ))],
        };
        let text = print(&file);
        assert_eq!(parsed(&text), file, "{text}");
    }
}

#[test]
fn an_empty_file_prints_as_nothing() {
    assert_eq!(round_trip(""), "");
    assert_eq!(round_trip("// only a comment\n"), "");
}

#[test]
fn printouts_have_no_trailing_white_space() {
    let printed = round_trip(
            "/// \n///  x  \nrule r by v { 1 => add 1  otherwise => add 2 }\ntest \"t\" { given a = 1 }",
        );
    for line in printed.lines() {
        assert_eq!(line, line.trim_end(), "{printed}");
    }
}

#[test]
fn quoted_members_print_bare_when_they_are_names_and_quoted_otherwise() {
    let printed = round_trip(
        r#"indicator e: one of ["UNEMPLOYED", STUDENT, "SELF-EMPLOYED", "... < 0 DM", "yes", "a \"b\"\\c", "x_1"], missing means "SELF-EMPLOYED"
rule r by e { "SELF-EMPLOYED", STUDENT => add 1 "yes" => add 2 otherwise => add 0 }
let l = e in ["... < 0 DM", UNEMPLOYED]
test "t" { given e = "SELF-EMPLOYED" }
"#,
    );
    assert!(
        printed.contains(
            r#"indicator e: one of [UNEMPLOYED, STUDENT, "SELF-EMPLOYED", "... < 0 DM", "yes", "a \"b\"\\c", x_1],
  missing means "SELF-EMPLOYED""#
        ),
        "{printed}"
    );
    assert!(
        printed.contains(r#"  "SELF-EMPLOYED", STUDENT => add 1"#),
        "{printed}"
    );
    assert!(
        printed.contains(r#"  "yes"                    => add 2"#),
        "{printed}"
    );
    assert!(
        printed.contains(r#"let l = e in ["... < 0 DM", UNEMPLOYED]"#),
        "{printed}"
    );
    assert!(
        printed.contains(r#"given e = "SELF-EMPLOYED""#),
        "{printed}"
    );
    // The two spellings of a member that is a name read back as the same declaration.
    assert_eq!(
        parsed(r#"indicator e: one of ["STUDENT", x]"#),
        parsed("indicator e: one of [STUDENT, x]")
    );
    assert_eq!(member("STUDENT"), "STUDENT");
    assert_eq!(member("in"), "\"in\"");
    assert_eq!(member("2nd"), "\"2nd\"");
    assert_eq!(member(""), "\"\"");
}

#[test]
fn scale_directions_and_reason_codes_print_as_written() {
    let printed = round_trip(
        "policy \"P\" { score 0 to 12 , lower is better }\npolicy \"Q\" { score 0 to 12 starting at 12, higher is better }\nrule r { add 1 reason R07 \"Late\" }\nrule s { add 1 reason R-07_b }\nrule t { add 1 reason \"Plain\" }",
    );
    assert_eq!(
        printed,
        "policy \"P\" {\n  score 0 to 12, higher is worse\n}\n\npolicy \"Q\" {\n  score 0 to 12 starting at 12, higher is better\n}\n\nrule r {\n  add 1\n  reason R07 \"Late\"\n}\n\nrule s {\n  add 1\n  reason R-07_b\n}\n\nrule t {\n  add 1\n  reason \"Plain\"\n}\n"
    );
}

/// Found by the `generated_policy` fuzz target: a bin's points are one term with signs, so a
/// sum there keeps its brackets (the printout `=> add 0 + 0` did not parse).
#[test]
fn a_bins_points_keep_their_brackets() {
    let printed = round_trip(
        "rule r by x {\n  1 to 3 => add ((a + b) * 2)\n  otherwise => add -(a + b)\n  5 => deduct (a)\n}\n",
    );
    assert!(
        printed.contains("1 to 3    => add ((a + b) * 2)\n"),
        "{printed}"
    );
    assert!(printed.contains("otherwise => add -(a + b)"), "{printed}");
    assert!(printed.contains("=> deduct a\n"), "{printed}");
}

/// Found by the `generated_policy` fuzz target: a table's first row `1 to 97 => 7` right after
/// `outputs o: decimal` read back as the output's range, so a cell range is printed with `from`.
#[test]
fn a_table_cell_range_is_not_read_as_the_outputs_range() {
    let printed = round_trip(
        "table t {\n  hit first\n  inputs n\n  outputs o: decimal\n  from 1 to 97 => 7\n  [1 to 2, 5] => 1\n  otherwise => 100\n}\n",
    );
    assert!(printed.contains("  from 1 to 97 => 7\n"), "{printed}");
    assert!(printed.contains("[1 to 2, 5]"), "{printed}");
}
