//! Stage 1, syntax: policy text → [`ast::PolicyFile`].
//!
//! The pest grammar lives in `grammar/rubric.pest`; pest's types never leave this module. A pest
//! failure becomes a [`SyntaxError`] in plain words: what was expected, after which word, what was
//! found, and a "did you mean" where a keyword was misspelt.

pub mod ast;
mod depth;
mod err;
mod expected;
mod grammar;
mod invisible;
mod parser;
pub mod print;
pub mod walk;

pub use depth::MAX_NESTING;
pub use err::SyntaxError;
pub use invisible::is_bidi_control;
pub use parser::{days_in_month, MAX_CHAIN_TERMS, MAX_EXPR_DEPTH, MAX_EXPR_HEIGHT};

use crate::diagnostics::Code;
use crate::span::{FileId, Span};
use grammar::{RubricParser, Rule};
use pest::Parser as _;

/// Parses one policy file. Syntax errors stop parsing, so at most one is returned, except that
/// every invisible control character in quoted texts and documentation comments is reported
/// (E0004, in [`SyntaxError::more`]).
pub fn parse(file: FileId, source: &str) -> Result<ast::PolicyFile, SyntaxError> {
    if let Some(span) = depth::find_excessive_nesting(file, source) {
        return Err(SyntaxError::new(
            Code::NestingTooDeep,
            span,
            format!("brackets and `if`s are nested more than {MAX_NESTING} levels deep here"),
            "too deeply nested",
        )
        .with_help("split the expression into several `let` declarations"));
    }
    let mut pairs =
        RubricParser::parse(Rule::file, source).map_err(|e| plain_error(file, source, e))?;
    if let Some(invisible) = SyntaxError::from_list(invisible::find(file, pairs.clone())) {
        return Err(invisible);
    }
    let Some(root) = pairs.next() else {
        return Ok(ast::PolicyFile { items: Vec::new() });
    };
    parser::Builder { file }.file(root)
}

fn plain_error(file: FileId, source: &str, error: pest::error::Error<Rule>) -> SyntaxError {
    let pos = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((start, _)) => start,
    };
    let found = token_at(source, pos);
    let span = Span::new(
        file,
        pos,
        pos + found.len().max(if pos < source.len() { 1 } else { 0 }),
    );
    // A character that cannot be seen is named by its code point: quoted, it would read as
    // "found ``" or as a space the drafter cannot tell from an ordinary one.
    let unseen = invisible::unseen(found);
    let found_words = match &unseen {
        _ if found.is_empty() => "the end of the file".to_string(),
        Some((words, Some(invisible::Fix::Space))) => {
            format!("{words}, which is not a space Rubric accepts")
        }
        Some((words, Some(invisible::Fix::Delete))) => format!("{words}, an invisible character"),
        Some((words, None)) => words.clone(),
        None => format!("`{found}`"),
    };
    let nested_group = found == "group" && inside_group(&error);
    let (message, help) = match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            let expected = expected::describe(positives);
            let after = match token_before(source, pos) {
                Some(prev) => format!(" after `{prev}`"),
                None => String::new(),
            };
            let help = suggestion(found, &expected::keywords(&expected), positives);
            let also = if nested_group {
                "; groups cannot be nested"
            } else {
                ""
            };
            (
                format!("expected {expected}{after}, found {found_words}{also}"),
                help,
            )
        }
        pest::error::ErrorVariant::CustomError { message } => (message.clone(), None),
    };
    let label = if found.is_empty() {
        "the file ends here".to_string()
    } else if nested_group {
        "a group inside a group".to_string()
    } else {
        "unexpected here".to_string()
    };
    let mut err = SyntaxError::new(Code::SyntaxError, span, message, label);
    if let Some((words, Some(fix))) = &unseen {
        err = err.with_help(match fix {
            invisible::Fix::Space => format!(
                "{words} looks like a space but is not one; replace it with an ordinary space (or a line break)"
            ),
            invisible::Fix::Delete => format!("{words} cannot be seen; delete it"),
        });
    } else if nested_group {
        err = err.with_help(
            "a group holds rules (and `allow` clauses) only; close this group with `}` and declare the inner one after it, as a group of its own",
        );
    } else if stray_doc_comment(source, pos) {
        err = err.with_help(
            "a `///` documentation comment can only stand directly before a declaration (`indicator`, `param`, `let`, `rule`, `group`, `tier`, `consequence`, `test` or `policy`); write `//` for an ordinary comment",
        );
    } else if let Some(help) = help {
        err = err.with_help(help);
    } else if found.starts_with('"')
        && !source
            .get(pos..)
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("")
            .ends_with('"')
    {
        err = err.with_help("a quoted text must end with `\"` on the same line");
    }
    err
}

/// Whether the parse stopped inside a group's body, where only rules and `allow` may stand.
fn inside_group(error: &pest::error::Error<Rule>) -> bool {
    match &error.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            positives.contains(&Rule::rule_decl) && !positives.contains(&Rule::group_decl)
        }
        pest::error::ErrorVariant::CustomError { .. } => false,
    }
}

/// Whether a `///` comment sits on the error's line or the line before it, where it cannot be
/// the documentation of a declaration (the grammar would have accepted it).
fn stray_doc_comment(source: &str, pos: usize) -> bool {
    let before = source.get(..pos).unwrap_or("");
    let line_start = before.rfind('\n').unwrap_or(0);
    let previous_line_start = before
        .get(..line_start)
        .and_then(|b| b.rfind('\n'))
        .unwrap_or(0);
    let line_end = source
        .get(pos..)
        .and_then(|r| r.find('\n'))
        .map_or(source.len(), |i| pos + i);
    source
        .get(previous_line_start..line_end)
        .is_some_and(|t| t.contains("///"))
}

/// A keyword the drafter probably meant, or why a reserved word cannot stand here.
fn suggestion(found: &str, keywords: &[&str], positives: &[Rule]) -> Option<String> {
    // Keywords are short: a long word is no misspelling of one (and would be slow to compare).
    if found.is_empty()
        || found.len() > 32
        || !found.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    let best = keywords
        .iter()
        .map(|k| (strsim::levenshtein(found, k), *k))
        .filter(|(d, k)| *d <= if k.len() <= 4 { 1 } else { 2 })
        .min();
    if let Some((_, keyword)) = best {
        return Some(format!("did you mean `{keyword}`?"));
    }
    if positives.contains(&Rule::ident) && is_reserved(found) {
        return Some(format!(
            "`{found}` is a reserved word of the language and cannot be used as a name; choose another name"
        ));
    }
    None
}

/// Whether `word` can be written bare as a name (a valid identifier that is not reserved).
pub fn is_plain_name(word: &str) -> bool {
    RubricParser::parse(Rule::ident, word)
        .is_ok_and(|mut p| p.next().is_some_and(|p| p.as_str() == word))
}

fn is_reserved(word: &str) -> bool {
    RubricParser::parse(Rule::reserved, word).is_ok_and(|p| p.as_str() == word)
}

/// The word, number, quoted text or symbol starting at `pos` (empty at the end of the file).
fn token_at(source: &str, pos: usize) -> &str {
    let rest = source.get(pos..).unwrap_or("");
    let mut chars = rest.char_indices();
    let Some((_, first)) = chars.next() else {
        return "";
    };
    let end = if first.is_alphanumeric() || first == '_' || first == '.' {
        rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len())
    } else if first == '"' {
        rest.get(1..)
            .and_then(|r| {
                r.find(['"', '\n']).map(|i| {
                    if r.as_bytes().get(i) == Some(&b'"') {
                        i + 2
                    } else {
                        i + 1
                    }
                })
            })
            .unwrap_or(rest.len())
    } else if "=<>!".contains(first) {
        rest.find(|c: char| !"=<>!".contains(c))
            .unwrap_or(rest.len())
    } else {
        first.len_utf8()
    };
    rest.get(..end).unwrap_or("")
}

/// The word or symbol just before `pos`, skipping white space and comments.
fn token_before(source: &str, pos: usize) -> Option<String> {
    let before = source.get(..pos)?;
    // Drop comments line by line so that "// ..." is never quoted as the previous word.
    let mut text = String::new();
    for line in before.split('\n') {
        let code = match line.find("//") {
            Some(i) if !line.get(..i).unwrap_or("").contains('"') => line.get(..i).unwrap_or(""),
            _ => line,
        };
        text.push_str(code);
        text.push('\n');
    }
    let trimmed = text.trim_end();
    let last = trimmed.chars().last()?;
    if last.is_alphanumeric() || last == '_' {
        let start = trimmed
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .map_or(0, |i| i + 1);
        Some(trimmed.get(start..)?.to_string())
    } else if last == '"' {
        Some("\"…\"".to_string())
    } else {
        let start = trimmed
            .rfind(|c: char| !"=<>!".contains(c))
            .map_or(0, |i| i + 1);
        let symbol = trimmed
            .get(start..)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        symbol.or(Some(last.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::ast::{BinaryOp, ExprKind, Item};
    use super::*;

    fn let_value(text: &str) -> ExprKind {
        let file = parse(FileId(0), &format!("let x = {text}")).unwrap();
        match file.items.into_iter().next() {
            Some(Item::Let(l)) => l.node.value.node,
            other => panic!("expected a let, got {other:?}"),
        }
    }

    /// Regression: operators followed by white space were once read as `<`.
    #[test]
    fn every_comparison_operator_is_read_as_written() {
        for (text, op) in [
            ("a = 1", BinaryOp::Eq),
            ("a != 1", BinaryOp::Ne),
            ("a < 1", BinaryOp::Lt),
            ("a <= 1", BinaryOp::Le),
            ("a > 1", BinaryOp::Gt),
            ("a >= 1", BinaryOp::Ge),
            ("a is 1", BinaryOp::Eq),
            ("a is not 1", BinaryOp::Ne),
            ("a + 1", BinaryOp::Add),
            ("a - 1", BinaryOp::Sub),
            ("a * 1", BinaryOp::Mul),
            ("a / 1", BinaryOp::Div),
            ("a ^ 2", BinaryOp::Pow),
            ("a and b", BinaryOp::And),
            ("a or b", BinaryOp::Or),
        ] {
            match let_value(text) {
                ExprKind::Binary(found, _, _) => assert_eq!(found, op, "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn multiplication_binds_tighter_than_addition() {
        let ExprKind::Binary(BinaryOp::Add, _, rhs) = let_value("1 + 2 * 3") else {
            panic!("not an addition");
        };
        assert!(matches!(rhs.node, ExprKind::Binary(BinaryOp::Mul, _, _)));
    }

    #[test]
    fn powers_bind_tighter_than_signs_and_products_and_do_not_chain() {
        // -x ^ 2 is -(x ^ 2), as in mathematics.
        let ExprKind::Unary(ast::UnaryOp::Neg, inner) = let_value("-x ^ 2") else {
            panic!("not a negation");
        };
        assert!(matches!(inner.node, ExprKind::Binary(BinaryOp::Pow, _, _)));
        let ExprKind::Binary(BinaryOp::Mul, _, rhs) = let_value("2 * x ^ 3") else {
            panic!("not a product");
        };
        assert!(matches!(rhs.node, ExprKind::Binary(BinaryOp::Pow, _, _)));
        // The exponent may carry its own sign.
        let ExprKind::Binary(BinaryOp::Pow, _, exponent) = let_value("x ^ -1") else {
            panic!("not a power");
        };
        assert!(matches!(
            exponent.node,
            ExprKind::Unary(ast::UnaryOp::Neg, _)
        ));
        // `a ^ b ^ c` would be read differently by different people: brackets are required.
        assert!(parse(FileId(0), "let x = a ^ b ^ c").is_err());
    }

    /// Regression: `///` after a value was read as a division followed by a comment.
    #[test]
    fn doc_comment_after_an_expression_documents_the_next_declaration() {
        let file = parse(FileId(0), "let x = a\n/// Top band.\ntier A at 5 and above").unwrap();
        match &file.items[..] {
            [Item::Let(_), Item::Tier(t)] => assert_eq!(t.docs, vec!["Top band.".to_string()]),
            other => panic!("{other:?}"),
        }
    }

    /// Regression: a bin starting with a minus sign was read as a subtraction from the previous
    /// bin's points.
    #[test]
    fn a_negative_bin_after_another_bin_is_a_bin() {
        let file = parse(
            FileId(0),
            "rule r by x {\n  0 => add 1\n  -5 => deduct 2\n}",
        )
        .unwrap();
        let Some(Item::Rule(rule)) = file.items.first() else {
            panic!()
        };
        assert_eq!(rule.items.len(), 2);
    }

    /// Regression: `when x` followed by `is a sanction` was read as the comparison `x is a`.
    #[test]
    fn is_a_sanction_after_a_condition_starts_a_new_clause() {
        let file = parse(FileId(0), "consequence c { when x is a sanction }").unwrap();
        let Some(Item::Consequence(c)) = file.items.first() else {
            panic!()
        };
        assert_eq!(c.items.len(), 2);
    }

    #[test]
    fn a_scale_may_say_that_a_higher_score_is_worse() {
        let file = parse(FileId(0), "policy \"P\" { score 0 to 12, lower is better }").unwrap();
        let Some(Item::Policy(p)) = file.items.first() else {
            panic!()
        };
        let Some(ast::HeaderItem::Scale { direction, .. }) = p.items.first().map(|i| &i.node)
        else {
            panic!()
        };
        assert_eq!(
            direction.as_ref().map(|d| d.node),
            Some(ast::Direction::HigherIsWorse)
        );
    }

    #[test]
    fn a_reason_may_give_a_code_with_or_without_its_text() {
        for (text, code, reason) in [
            ("reason R07 \"Late\"", Some("R07"), Some("Late")),
            ("reason 07", Some("07"), None),
            ("reason \"Late\"", None, Some("Late")),
        ] {
            let file = parse(FileId(0), &format!("rule r {{ add 1 {text} basis \"B\" }}")).unwrap();
            let Some(Item::Rule(rule)) = file.items.first() else {
                panic!()
            };
            let Some(ast::RuleItem::Reason(r)) = rule.items.get(1).map(|i| &i.node) else {
                panic!("{text}")
            };
            assert_eq!(r.code.as_ref().map(|c| c.node.as_str()), code, "{text}");
            assert_eq!(r.text.as_ref().map(|t| t.node.as_str()), reason, "{text}");
            assert_eq!(rule.items.len(), 3, "{text}");
        }
    }

    #[test]
    fn a_param_unit_may_be_quoted() {
        let file = parse(FileId(0), "param speed_step = 10 \"km/h\"").unwrap();
        let Some(Item::Param(p)) = file.items.first() else {
            panic!()
        };
        assert_eq!(p.unit.as_ref().map(|u| u.node.as_str()), Some("km/h"));
    }

    #[test]
    fn a_list_member_may_be_quoted_and_is_its_text() {
        let file = parse(
            FileId(0),
            r#"indicator e: one of ["SELF-EMPLOYED", STUDENT, "a \"b\"", "yes"]"#,
        )
        .unwrap();
        let Some(Item::Indicator(i)) = file.items.first() else {
            panic!()
        };
        let ast::IndicatorType::Enum(members) = &i.ty.node else {
            panic!()
        };
        let texts: Vec<&str> = members.iter().map(|m| m.node.as_str()).collect();
        assert_eq!(texts, ["SELF-EMPLOYED", "STUDENT", "a \"b\"", "yes"]);
        // The span of a quoted member covers its quotes.
        assert_eq!(members[0].span.end - members[0].span.start, 15);
        let err = parse(FileId(0), "indicator e: one of [a, 2]").unwrap_err();
        assert!(
            err.message
                .contains("expected a list member (a name or a quoted text)"),
            "{}",
            err.message
        );
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing() {
        let text = format!("let x = {}1{}", "(".repeat(10_000), ")".repeat(10_000));
        let err = parse(FileId(0), &text).unwrap_err();
        assert_eq!(err.code, Code::NestingTooDeep);
        let long_sum = format!("let x = {}", vec!["1"; 5000].join(" + "));
        assert_eq!(
            parse(FileId(0), &long_sum).unwrap_err().code,
            Code::NestingTooDeep
        );
    }

    /// Regression: a sum of 201 terms was "nested more than 200 levels deep".
    #[test]
    fn chains_are_one_level_up_to_a_thousand_terms() {
        for op in ["+", "-", "*", "/", "and", "or"] {
            let chain = vec!["x"; MAX_CHAIN_TERMS].join(&format!(" {op} "));
            let file = parse(FileId(0), &format!("let y = {chain}"));
            assert!(file.is_ok(), "{op}: {:?}", file.err());
            let longer = format!("{chain} {op} x");
            let err = parse(FileId(0), &format!("let y = {longer}")).unwrap_err();
            assert_eq!(err.code, Code::NestingTooDeep, "{op}");
            assert!(
                err.message.contains("chain of more than 1,000 terms"),
                "{op}: {}",
                err.message
            );
            // The label points at the term past the limit, the last one.
            assert_eq!(
                err.span.end as usize,
                "let y = ".len() + longer.len(),
                "{op}"
            );
        }
        // A run of signs is one level too, and mixed `+` and `-` one chain.
        let signs = format!("let y = {}x", "-".repeat(300));
        assert!(parse(FileId(0), &signs).is_ok());
        let mixed = format!("let y = x{}", " + 1 - 2".repeat(400));
        assert!(parse(FileId(0), &mixed).is_ok());
    }

    #[test]
    fn chains_inside_chains_are_bounded_by_the_tree_height() {
        // A product starting a sum starting a chain of `and`s: three chains, one above the other.
        let product = format!("x{}", " * 1".repeat(699));
        let sum = format!("{product}{}", " + 1".repeat(699));
        let text = format!("let y = {sum} > 0{}", " and yes".repeat(699));
        let err = parse(FileId(0), &text).unwrap_err();
        assert_eq!(err.code, Code::NestingTooDeep);
        assert!(
            err.message.contains("more than 2,000 operations"),
            "{}",
            err.message
        );
        // Two of them stay below.
        assert!(parse(FileId(0), &format!("let y = {sum}")).is_ok());
    }

    /// A chain whose first term is the same chain in brackets is one chain in the tree, and the
    /// canonical printer writes it without the brackets: it counts as one, so that the printout
    /// of an accepted policy is accepted too.
    #[test]
    fn a_bracketed_first_term_of_the_same_chain_counts_in_the_chain() {
        let half = format!("x{}", " + 1".repeat(599));
        let err = parse(
            FileId(0),
            &format!("let y = ({half}){}", " - 1".repeat(600)),
        )
        .unwrap_err();
        assert!(
            err.message.contains("chain of more than 1,000 terms"),
            "{}",
            err.message
        );
        // In another place, or another operator's chain, it is a term of its own.
        let text = format!("let y = 1 + ({half}){}", " + 1".repeat(600));
        assert!(parse(FileId(0), &text).is_ok());
        let text = format!("let y = ({half}){}", " * 2".repeat(600));
        let file = parse(FileId(0), &text).unwrap();
        assert_eq!(parse(FileId(0), &print::print(&file)).ok(), Some(file));
    }

    #[test]
    fn every_control_character_in_texts_and_doc_comments_is_reported() {
        let text = "/// Doc \u{202E}one\u{7}\n\
            policy \"P\u{0}\" { version \"1\u{2066}\" }\n\
            indicator e: one of [\"A\u{200F}\", B]\n\
            test \"t\u{85}\" { }";
        let err = parse(FileId(0), text).unwrap_err();
        let found: Vec<(Code, &str)> = err
            .all()
            .map(|e| (e.code, text.get(e.span.range()).unwrap_or("?")))
            .collect();
        let code = Code::InvisibleCharacter;
        assert_eq!(
            found,
            [
                (code, "\u{202E}"),
                (code, "\u{7}"),
                (code, "\u{0}"),
                (code, "\u{2066}"),
                (code, "\u{200F}"),
                (code, "\u{85}"),
            ]
        );
        assert!(
            err.message.contains("U+202E (right-to-left override)"),
            "{}",
            err.message
        );
        assert!(err.more[0].message.contains("U+0007 (bell)"));
        assert!(err.message.contains("documentation comment"));
        assert!(err.more[0].message.contains("documentation comment"));
        assert!(err.more[1].message.contains("quoted text"));
    }

    #[test]
    fn tabs_in_doc_comments_windows_line_ends_and_escapes_are_accepted() {
        let text = "/// Doc\twith a tab\r\npolicy \"P\\t<script>\" { version \"1\" }\r\n";
        let file = parse(FileId(0), text).unwrap();
        let Some(Item::Policy(p)) = file.items.first() else {
            panic!()
        };
        assert_eq!(p.docs, ["Doc\twith a tab"]);
        assert_eq!(p.name.node, "P\t<script>");
        // A raw tab in a quoted text, and a carriage return inside a doc comment, are not.
        let err = parse(FileId(0), "policy \"P\tQ\" { }").unwrap_err();
        assert_eq!(err.code, Code::InvisibleCharacter);
        assert_eq!(
            err.help.as_deref(),
            Some("delete it, or write a tab as `\\t`")
        );
        let err = parse(FileId(0), "/// a\rb\npolicy \"P\" { }").unwrap_err();
        assert_eq!(err.code, Code::InvisibleCharacter);
    }

    /// Regression: a byte order mark was "expected a declaration …, found ``".
    #[test]
    fn a_leading_byte_order_mark_is_skipped_and_offsets_stay_those_of_the_file() {
        let text = "\u{FEFF}policy \"P\" { }\nlet x = = 1";
        let err = parse(FileId(0), text).unwrap_err();
        assert_eq!(err.code, Code::SyntaxError);
        assert_eq!(text.get(err.span.range()), Some("="));
        assert_eq!(err.span.start as usize, text.rfind("= 1").unwrap_or(0));
        let file = parse(FileId(0), "\u{FEFF}let x = 1").unwrap();
        let Some(Item::Let(l)) = file.items.first() else {
            panic!()
        };
        assert_eq!(l.span.start, 3);
        // Anywhere else it is an invisible character.
        let err = parse(FileId(0), "let x = 1\n\u{FEFF}let y = 2").unwrap_err();
        assert!(
            err.message
                .contains("found U+FEFF (byte order mark), an invisible character"),
            "{}",
            err.message
        );
        assert_eq!(
            err.help.as_deref(),
            Some("U+FEFF (byte order mark) cannot be seen; delete it")
        );
    }

    /// Regression: a form feed was "found ``", and a no-break space after a `///` line got help
    /// about documentation comments.
    #[test]
    fn unseen_characters_in_syntax_errors_are_named_by_code_point() {
        let err = parse(FileId(0), "let x = 1\u{C}let y = 2").unwrap_err();
        assert!(
            err.message
                .ends_with("found U+000C (form feed), which is not a space Rubric accepts"),
            "{}",
            err.message
        );
        let err = parse(FileId(0), "/// Doc.\nindicator\u{A0}x: count").unwrap_err();
        assert!(
            err.message
                .ends_with("found U+00A0 (no-break space), which is not a space Rubric accepts"),
            "{}",
            err.message
        );
        let help = err.help.unwrap_or_default();
        assert!(help.contains("replace it with an ordinary space"), "{help}");
        assert!(!help.contains("documentation comment"), "{help}");
        let err = parse(FileId(0), "/// Doc.\nindicator \u{0}x: count").unwrap_err();
        assert!(
            err.message
                .ends_with("found U+0000 (null), an invisible character"),
            "{}",
            err.message
        );
    }

    /// Regression: a group inside a group got "did you mean `group`?".
    #[test]
    fn a_group_inside_a_group_is_refused_in_plain_words() {
        let err = parse(FileId(0), "group g { group h { } }").unwrap_err();
        assert!(
            err.message
                .starts_with("expected `allow`, `rule` or `}` after `{`, found `group`"),
            "{}",
            err.message
        );
        assert!(
            err.message.ends_with("groups cannot be nested"),
            "{}",
            err.message
        );
        assert!(err.help.is_some_and(|h| !h.contains("did you mean")));
    }

    #[test]
    fn syntax_errors_never_name_grammar_rules() {
        for text in [
            "rule r { when }",
            "policy",
            "indicator x: ",
            "tier A from",
            "let = 3",
            "test \"t\" { expect }",
            "}",
        ] {
            let err = parse(FileId(0), text).unwrap_err();
            assert!(!err.message.contains('_'), "{text}: {}", err.message);
            assert!(!err.message.contains("K_"), "{text}: {}", err.message);
        }
    }
}

#[cfg(test)]
mod reserved_words {
    use super::*;

    /// The reserved-word list in the grammar: every word is refused as a name, a name that merely
    /// starts with one is accepted, and every keyword used in an expression or rule body is listed.
    #[test]
    fn reserved_words_are_refused_as_names_and_prefixes_are_not() {
        let grammar = include_str!("../../grammar/rubric.pest");
        let start = grammar.find("reserved = @{").unwrap();
        let body = &grammar[start..start + grammar[start..].find('}').unwrap()];
        let words: Vec<&str> = body.split('"').skip(1).step_by(2).collect();
        assert!(words.len() > 40);
        for word in &words {
            assert!(
                parse(FileId(0), &format!("indicator {word}: count")).is_err(),
                "{word}"
            );
            assert!(
                parse(FileId(0), &format!("indicator {word}x: count")).is_ok(),
                "{word}x"
            );
            assert!(
                parse(FileId(0), &format!("indicator x{word}: count")).is_ok(),
                "x{word}"
            );
        }
        for keyword in [
            "when",
            "add",
            "deduct",
            "and",
            "or",
            "not",
            "in",
            "is",
            "applies",
            "missing",
            "otherwise",
        ] {
            assert!(words.contains(&keyword), "{keyword} must be reserved");
        }
    }
}
