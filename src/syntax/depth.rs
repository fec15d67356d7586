//! A cheap lexical pass that rejects deeply nested text before the recursive-descent parser sees
//! it, so that no input can overflow the stack.
//!
//! Only two things make the parser recurse: brackets (`(`, `[`) and an `if` that starts right after
//! `if` or `then` (an `else if` chain is a repetition, and any other `if` follows a bracket, a
//! comma or a keyword that starts a new expression). Everything else in the grammar is a repetition. The estimate below counts both
//! and is reset at each declaration keyword, so it can only over-estimate the real depth.

use crate::span::{FileId, Span};

/// The deepest nesting accepted. Real policies rarely go beyond 4.
pub const MAX_NESTING: usize = 32;

/// Returns the span of the first bracket or `if` that goes past [`MAX_NESTING`].
pub fn find_excessive_nesting(file: FileId, source: &str) -> Option<Span> {
    let bytes = source.as_bytes();
    let mut brackets = 0usize;
    let mut nested_ifs = 0usize;
    let mut previous_word: &str = "";
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                // Skip a string literal; an unterminated one ends at the line's end.
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'"' | b'\n' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                previous_word = "";
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'(' | b'[' => {
                brackets += 1;
                if brackets + nested_ifs > MAX_NESTING {
                    return Some(Span::new(file, i, i + 1));
                }
                i += 1;
                previous_word = "";
            }
            b')' | b']' => {
                brackets = brackets.saturating_sub(1);
                i += 1;
                previous_word = "";
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    i += 1;
                }
                let word = source.get(start..i).unwrap_or("");
                // An `if` directly inside another's condition or `then` branch nests; `else if`
                // chains are repetitions in the grammar, and bracketed `if`s are counted as brackets.
                if word == "if" && matches!(previous_word, "if" | "then") {
                    nested_ifs += 1;
                    if brackets + nested_ifs > MAX_NESTING {
                        return Some(Span::new(file, start, i));
                    }
                } else if brackets == 0 && is_declaration_keyword(word) {
                    nested_ifs = 0;
                }
                previous_word = word;
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                i += 1;
                previous_word = "";
            }
        }
    }
    None
}

fn is_declaration_keyword(word: &str) -> bool {
    matches!(
        word,
        "policy"
            | "indicator"
            | "param"
            | "let"
            | "rule"
            | "group"
            | "tier"
            | "consequence"
            | "test"
            | "when"
            | "add"
            | "deduct"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_text_passes() {
        assert_eq!(
            find_excessive_nesting(FileId(0), "let x = ((a + b) * [c])"),
            None
        );
    }

    #[test]
    fn deep_brackets_are_found() {
        let text = format!("let x = {}1{}", "(".repeat(40), ")".repeat(40));
        let span = find_excessive_nesting(FileId(0), &text).map(|s| s.start);
        assert_eq!(span, Some(8 + MAX_NESTING as u32));
    }

    #[test]
    fn brackets_inside_strings_and_comments_do_not_count() {
        let text = format!("// {}\nlet x = \"{}\"", "(".repeat(50), "[".repeat(50));
        assert_eq!(find_excessive_nesting(FileId(0), &text), None);
    }

    #[test]
    fn nested_ifs_count() {
        let text = format!("let x = {} 1", "if yes then ".repeat(40));
        assert!(find_excessive_nesting(FileId(0), &text).is_some());
    }
}
