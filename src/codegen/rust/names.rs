//! Identifiers for Rust source. Policy names are ASCII identifiers, but they may be Rust
//! keywords (`type`, `match`, `self`) or clash once converted to Rust's case conventions
//! (`late_tax` and `LateTax` are both `late_tax` in snake case). Every name is converted, then made
//! unique within its namespace deterministically: names already in the target case keep it, the
//! others get the first free suffix (`_2`, `_3`, …). Every text, and every name that
//! appears as text (in a literal, a comment or the docs), is escaped by `escape.rs`.

use std::collections::HashSet;

/// Strict and reserved keywords of Rust 2021, and the weak ones that matter in item position.
const KEYWORDS: &[&str] = &[
    "as",
    "async",
    "await",
    "box",
    "break",
    "const",
    "continue",
    "crate",
    "do",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "final",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "macro",
    "match",
    "mod",
    "move",
    "mut",
    "override",
    "priv",
    "pub",
    "ref",
    "return",
    "self",
    "Self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "try",
    "type",
    "typeof",
    "union",
    "unsafe",
    "unsized",
    "use",
    "virtual",
    "where",
    "while",
    "yield",
    "macro_rules",
    "abstract",
    "become",
    "raw",
    "safe",
];

/// Whether `word` is a Rust keyword.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Splits an identifier into lower-case words at underscores and case changes:
/// `lateTaxPayments` → `late tax payments`, `HTTPCode` → `http code`, `AAA` → `aaa`. A list
/// member may be any text (`"SELF-EMPLOYED"`, `"... < 0 DM"`): every character that is not an
/// ASCII letter or digit separates words, so the result is always an identifier.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for part in name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        let chars: Vec<char> = part.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            let boundary = c.is_ascii_uppercase()
                && prev.is_some_and(|p| {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
                });
            if boundary && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            word.push(c.to_ascii_lowercase());
        }
        if !word.is_empty() {
            words.push(word);
        }
    }
    words
}

/// `snake_case`, keeping one leading underscore (a name like `_draft` stays `_draft`).
pub fn snake(name: &str) -> String {
    let body = words(name).join("_");
    let lead = if name.starts_with('_') { "_" } else { "" };
    match (lead, body.is_empty()) {
        (_, true) => "_x".to_string(),
        _ => format!("{lead}{body}"),
    }
}

/// `UpperCamelCase`; a word starting with a digit after one ending with a digit gets an
/// underscore before it (`a_1_2` is `A1_2`).
pub fn camel(name: &str) -> String {
    let mut out = String::new();
    for word in words(name) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            if first.is_ascii_digit() && out.ends_with(|c: char| c.is_ascii_digit()) {
                out.push('_');
            }
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'X');
    }
    out
}

/// `SCREAMING_SNAKE_CASE`.
pub fn screaming(name: &str) -> String {
    snake(name).to_ascii_uppercase()
}

/// Unique identifiers within one namespace.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: HashSet<String>,
}

impl Namespace {
    /// A namespace in which `reserved` (and Rust's keywords) are already taken.
    pub fn new(reserved: &[&str]) -> Self {
        let mut taken: HashSet<String> = KEYWORDS.iter().map(|k| k.to_string()).collect();
        taken.extend(reserved.iter().map(|r| r.to_string()));
        Namespace { taken }
    }

    /// Assigns an identifier to each name, converted by `convert` (with `prefix` before it), in a
    /// way that does not depend on the order in which clashing names are declared beyond this
    /// rule: names whose conversion leaves them unchanged are served first, in order, then the
    /// rest, in order; a taken identifier gets the first free suffix `_2`, `_3`, ….
    /// [`Namespace::assign`] for the non-empty names only; the others get an empty name.
    pub fn assign_some(
        &mut self,
        names: &[&str],
        prefix: &str,
        convert: fn(&str) -> String,
    ) -> Vec<String> {
        let given: Vec<&str> = names.iter().copied().filter(|n| !n.is_empty()).collect();
        let mut assigned = self.assign(&given, prefix, convert).into_iter();
        names
            .iter()
            .map(|n| {
                if n.is_empty() {
                    String::new()
                } else {
                    assigned.next().unwrap_or_default()
                }
            })
            .collect()
    }

    pub fn assign(
        &mut self,
        names: &[&str],
        prefix: &str,
        convert: fn(&str) -> String,
    ) -> Vec<String> {
        let mut out = vec![String::new(); names.len()];
        let unchanged = |i: usize| names.get(i).is_some_and(|n| convert(n) == *n);
        let converted: Vec<String> = names
            .iter()
            .map(|n| {
                let name = convert(n);
                if prefix.is_empty() {
                    name
                } else {
                    format!("{prefix}{}", name.trim_start_matches('_'))
                }
            })
            .collect();
        // Rust's case lints allow an underscore only where it touches no letter.
        let camel_case = convert("a") == "A";
        let order = (0..names.len())
            .filter(|&i| unchanged(i))
            .chain((0..names.len()).filter(|&i| !unchanged(i)));
        for i in order {
            let base = converted.get(i).cloned().unwrap_or_default();
            let mut candidate = base.clone();
            let mut n = 2;
            while self.taken.contains(&candidate) {
                candidate = if camel_case && !base.ends_with(|c: char| c.is_ascii_digit()) {
                    format!("{base}{n}")
                } else {
                    format!("{base}_{n}")
                };
                n += 1;
            }
            self.taken.insert(candidate.clone());
            if let Some(slot) = out.get_mut(i) {
                *slot = candidate;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversions() {
        assert_eq!(snake("lateTaxPayments"), "late_tax_payments");
        assert_eq!(snake("LateTax"), "late_tax");
        assert_eq!(snake("late_tax"), "late_tax");
        assert_eq!(snake("HTTPCode"), "http_code");
        assert_eq!(snake("_draft"), "_draft");
        assert_eq!(snake("_"), "_x");
        assert_eq!(snake("AAA"), "aaa");
        assert_eq!(snake("b2b"), "b2b");
        assert_eq!(camel("self_employed"), "SelfEmployed");
        assert_eq!(camel("AAA"), "Aaa");
        assert_eq!(camel("_"), "X");
        assert_eq!(camel("x_2"), "X2");
        assert_eq!(camel("a_1_2"), "A1_2");
    }

    #[test]
    fn any_member_text_becomes_an_identifier() {
        assert_eq!(camel("SELF-EMPLOYED"), "SelfEmployed");
        assert_eq!(camel("... < 0 DM"), "X0Dm");
        assert_eq!(camel("0 <= ... < 200 DM"), "X0_200Dm");
        assert_eq!(camel("ÄLTER"), "Lter");
        assert_eq!(camel("\"*/"), "X");
        assert_eq!(camel(""), "X");
        let mut ns = Namespace::new(&[]);
        assert_eq!(
            ns.assign(&["SELF-EMPLOYED", "self employed", "<", ">"], "", camel),
            ["SelfEmployed", "SelfEmployed2", "X", "X2"]
        );
    }

    #[test]
    fn clashes_and_keywords_are_resolved_deterministically() {
        let mut ns = Namespace::new(&["input"]);
        let got = ns.assign(
            &["LateTax", "late_tax", "type", "self", "input", "late_tax_2"],
            "",
            snake,
        );
        assert_eq!(
            got,
            [
                "late_tax_3",
                "late_tax",
                "type_2",
                "self_2",
                "input_2",
                "late_tax_2"
            ]
        );
        let mut ns = Namespace::new(&[]);
        assert_eq!(ns.assign(&["self", "Self"], "", camel), ["Self3", "Self2"]);
    }
}
