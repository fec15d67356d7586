//! The generator on an IR whose every text is hostile, whatever the checker lets through: real
//! policies are lowered, then every name, title, doc, basis, reason, appeal, unit, member and
//! text value of their IR gets control characters, bidi controls, markup and comment breakers
//! appended, and the generated crate is held to what `escape.rs` promises. (Compiling such
//! crates with rustc and `cargo doc` is `tests/codegen`'s job.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::*;
use crate::ir::{Missing, Value};

const EVIL: &str =
    " \u{0}\u{1b}[2J\u{7f}\u{85}\r\u{202e}\u{2066}\u{200f}\u{61c} <script>alert(1)</script> \
     <img src=x onerror=alert(2)> [x](javascript:alert(3)) `` ` */ fn evil_a() {} /* \n\
     fn evil_b() {}\n# heading";

fn evil(text: &mut String) {
    text.push_str(EVIL);
}

fn evil_all(texts: &mut [String]) {
    texts.iter_mut().for_each(evil);
}

fn evil_some(text: &mut Option<String>) {
    evil(text.get_or_insert_with(String::new));
}

/// Every text of `policy`, made hostile.
fn poison(policy: &mut Policy) {
    evil(&mut policy.identity.name);
    evil(&mut policy.identity.version);
    policy.docs.push(EVIL.to_string());
    for p in &mut policy.params {
        evil(&mut p.name);
        p.docs.push(EVIL.to_string());
        evil_some(&mut p.unit);
    }
    for i in &mut policy.inputs {
        evil(&mut i.name);
        i.docs.push(EVIL.to_string());
        evil_some(&mut i.unit);
        if let InputKind::Enum(members) = &mut i.kind {
            evil_all(members);
        }
        if let Missing::Default(Value::Text(t)) = &mut i.missing {
            evil(t);
        }
    }
    for l in &mut policy.lets {
        evil(&mut l.name);
        l.docs.push(EVIL.to_string());
    }
    for t in &mut policy.tables {
        evil(&mut t.name);
        evil_some(&mut t.title);
        t.docs.push(EVIL.to_string());
    }
    for o in &mut policy.outputs {
        evil(&mut o.name);
    }
    for r in &mut policy.rules {
        evil(&mut r.name);
        evil_some(&mut r.title);
        r.docs.push(EVIL.to_string());
        evil_some(&mut r.basis);
        evil_some(&mut r.reason);
        if let Some(g) = &mut r.group {
            evil(&mut g.name);
            evil_some(&mut g.title);
        }
    }
    for t in &mut policy.tiers {
        evil(&mut t.name);
        evil_some(&mut t.title);
        t.docs.push(EVIL.to_string());
    }
    for c in &mut policy.consequences {
        evil(&mut c.name);
        evil_some(&mut c.title);
        c.docs.push(EVIL.to_string());
        evil_some(&mut c.appeal);
        evil_some(&mut c.basis);
    }
}

/// A line of Markdown without its code spans (inside one, `<` is only text).
fn outside_code_spans(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let run = rest[start..].chars().take_while(|&c| c == '`').count();
        let after = &rest[start + run..];
        let mut close = None;
        let mut from = 0;
        while let Some(i) = after[from..].find('`') {
            let at = from + i;
            let len = after[at..].chars().take_while(|&c| c == '`').count();
            if len == run {
                close = Some(at);
                break;
            }
            from = at + len;
        }
        match close {
            Some(at) => rest = &after[at + run..],
            None => {
                out.push_str(&rest[start..start + run]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A Rust file without its comments and literals (each literal as `""`), as rustc's lexer cuts
/// them (nested block comments, escapes; a `'` starts a character only when one follows it), or
/// `None` when a comment or literal is left open.
fn code_only(source: &str) -> Option<String> {
    let chars: Vec<char> = source.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let mut out = String::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        match (c, at(i + 1)) {
            ('/', Some('/')) => {
                while at(i).is_some_and(|c| c != '\n') {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                let mut depth = 0;
                loop {
                    match (at(i)?, at(i + 1)) {
                        ('/', Some('*')) => {
                            depth += 1;
                            i += 2;
                        }
                        ('*', Some('/')) => {
                            depth -= 1;
                            i += 2;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => i += 1,
                    }
                }
            }
            ('"', _) => {
                i += 1;
                loop {
                    match at(i)? {
                        '\\' => i += 2,
                        '"' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                out.push_str("\"\"");
            }
            ('\'', Some('\\')) => {
                i += 2;
                while at(i)? != '\'' {
                    i += 1;
                }
                i += 1;
            }
            ('\'', _) if at(i + 2) == Some('\'') => i += 3,
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    Some(out)
}

fn check(name: &str, source: &str) {
    let mut sources = crate::SourceMap::new();
    let file = sources.add(format!("{name}.rubric"), source);
    let (mut policy, _) = crate::compile(&sources, file, &crate::Options::default())
        .into_policy()
        .unwrap_or_else(|_| panic!("{name} does not compile"));
    poison(&mut policy);
    let options = Options {
        crate_name: "evil".into(),
        source_name: Some(format!("{EVIL}.rubric")),
    };
    let krate = generate(&policy, &options).unwrap();
    for file in krate
        .files
        .iter()
        .filter(|f| !f.path.starts_with("src/runtime/"))
    {
        let at = format!("{name}: {}", file.path);
        let hidden = file
            .contents
            .chars()
            .find(|&c| c != '\n' && escape::is_hidden(c));
        assert_eq!(hidden, None, "{at}");
        for line in file.contents.lines() {
            let trimmed = line.trim_start();
            // No text broke out of a comment or a literal onto a line of its own.
            assert!(
                !trimmed.starts_with("fn evil") && !trimmed.starts_with("# heading"),
                "{at}: {line}"
            );
            let docs = file.path == "README.md"
                || trimmed.starts_with("///")
                || trimmed.starts_with("//!");
            if docs {
                let prose = outside_code_spans(line);
                assert!(!prose.contains('<'), "{at}: raw `<` in docs: {line}");
                assert!(
                    !prose.contains("](") && !prose.contains("!["),
                    "{at}: {line}"
                );
            }
        }
        if file.path.ends_with(".rs") {
            // Every comment and literal is closed, and no text reached the code outside them.
            let code = code_only(&file.contents).unwrap_or_else(|| panic!("{at}: left open"));
            // (Identifiers made from the names hold their words, never their punctuation.)
            assert!(
                !code.contains("fn evil_a()") && !code.contains("fn evil_b()"),
                "{at}: a text reached the code:\n{code}"
            );
        }
    }
    let cargo = &krate.files[0].contents;
    assert!(cargo.contains("U+0000"), "{cargo}");
}

#[test]
fn hostile_texts_in_any_ir_are_escaped_for_where_they_land() {
    for (name, source) in [
        ("lending", include_str!("../../../examples/lending.rubric")),
        (
            "civic_trust",
            include_str!("../../../examples/civic_trust.rubric"),
        ),
        (
            "dmn_lending",
            include_str!("../../../examples/dmn_lending.rubric"),
        ),
        (
            "driving_licence",
            include_str!("../../../examples/driving_licence.rubric"),
        ),
        (
            "hostile_names",
            include_str!("../../../tests/codegen/hostile_names.rubric"),
        ),
    ] {
        check(name, source);
    }
}

#[test]
fn only_package_names_are_accepted() {
    let mut sources = crate::SourceMap::new();
    let file = sources.add(
        "p.rubric",
        "policy \"P\" {\n  version \"1\"\n  effective 2027-01-01\n  score 0 to 10\n}\n\
         indicator x: integer 0 to 10\nrule r { add x basis \"b\" reason \"r\" }\ntier t at 0 and above\n",
    );
    let (policy, _) = crate::compile(&sources, file, &crate::Options::default())
        .into_policy()
        .unwrap_or_else(|_| panic!("does not compile"));
    for bad in ["", "1p", "a b", "a\"b", "p\u{202e}", "a::b", "x\ny"] {
        let options = Options {
            crate_name: bad.into(),
            source_name: None,
        };
        assert!(
            matches!(
                generate(&policy, &options),
                Err(CodegenError::Unsupported(_))
            ),
            "{bad:?}"
        );
    }
    for good in ["p", "my-policy_2", "_p"] {
        let options = Options {
            crate_name: good.into(),
            source_name: None,
        };
        assert!(generate(&policy, &options).is_ok(), "{good:?}");
    }
}
