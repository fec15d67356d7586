//! Every text of the policy (names, titles, reasons, bases, doc comments, units, list members, the
//! policy's name and version, the file name) reaches the generated crate through exactly one of
//! these helpers, chosen by where it lands:
//!
//! | helper | lands in | what it guarantees |
//! |---|---|---|
//! | [`str_lit`] | a Rust string literal | exactly the text; controls and bidi controls as `\u{…}` escapes |
//! | [`bytes_lit`] | a Rust byte-string literal | exactly the bytes; everything but printable ASCII as `\x…` |
//! | [`comment`] | a `//` or `/* … */` comment | one line, nothing hidden, cannot end or open a comment |
//! | [`markdown`], [`markdown_code`], [`markdown_lines`] | rustdoc comments and `README.md` | reads as written: no link, image, tag, entity, emphasis or block; nothing hidden |
//! | [`doc`] | the `///` / `//!` lines themselves | one comment line per line, nothing hidden |
//! | [`visible`] | plain prose (the binary's help text) | one line, nothing hidden |
//! | [`toml_str`] | a TOML basic string in `Cargo.toml` | exactly the text, escaped as TOML wants |
//!
//! "Nothing hidden": the IR may carry any string (through `--set`, a future front end, a gap in
//! the checker), so this layer does not rely on the checker having refused anything. Control
//! characters and the invisible characters that reorder text (bidi embeddings, overrides,
//! isolates and marks) are written out as their code points (`U+202E`) wherever a reader sees
//! them: rustc refuses bidi controls in comments and literals, a NUL cannot pass through Cargo's
//! environment variables to rustc, and both let a text look other than it is.

/// Whether `c` changes the direction of the text around it while being invisible: the bidi
/// embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and marks (U+200E, U+200F,
/// U+061C).
fn is_bidi(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Whether `c` must not appear as itself in generated text: a control character (C0, DEL, C1)
/// or a bidi control.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || is_bidi(c)
}

/// How a hidden character is written out for a reader: `U+202E`.
fn label(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// The text on one line for a reader: line breaks and tabs become spaces, every other hidden
/// character its code point (`U+202E`).
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_hidden(c) => out.push_str(&label(c)),
            c => out.push(c),
        }
    }
    out
}

/// Text for a `//` or `/* … */` comment: [`visible`], with `*/` and `/*` broken apart so that the
/// text can neither close a block comment nor open a nested one.
pub fn comment(text: &str) -> String {
    let mut out = visible(text);
    while out.contains("*/") || out.contains("/*") {
        out = out.replace("*/", "* /").replace("/*", "/ *");
    }
    out
}

/// A Rust string literal holding exactly `text`.
pub fn str_lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_hidden(c) => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Rust byte-string literal holding exactly `bytes` (printable ASCII as itself).
pub fn bytes_lit(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 3);
    out.push_str("b\"");
    for &b in bytes {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// A TOML basic string holding exactly `text`: quotes and backslashes escaped, control
/// characters (which TOML forbids raw) and bidi controls as `\uXXXX`.
pub fn toml_str(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if is_hidden(c) => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for Markdown (rustdoc comments, `README.md`) that renders exactly as written: `&`, `<`
/// and `>` as entities (no HTML tag, comment or entity can form), Markdown's punctuation
/// backslash-escaped (no link, image, emphasis, code span, heading, table, strikethrough, heading
/// attribute or footnote can form), on one line, nothing hidden ([`visible`]).
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in visible(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '!' | '#' | '|' | '~' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// [`markdown`] for text that starts a line of its own: leading spaces go (four would make a
/// code block), and a leading `-`, `+` or `=` (a list, a heading's underline, a rule) or `1.`
/// (a numbered list) gets a backslash too.
fn markdown_line(text: &str) -> String {
    let escaped = markdown(text);
    let escaped = escaped.trim_start();
    let digits = escaped.chars().take_while(char::is_ascii_digit).count();
    if escaped.starts_with(['-', '+', '=']) {
        format!("\\{escaped}")
    } else if digits > 0 && escaped.get(digits..).is_some_and(|r| r.starts_with('.')) {
        let (number, rest) = escaped.split_at(digits);
        format!("{number}\\{rest}")
    } else {
        escaped.to_string()
    }
}

/// Doc-comment text from the policy (each string may hold several lines): one [`markdown`] line
/// per line, so that it reads as written, never as Markdown.
pub fn markdown_lines(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|l| l.split('\n'))
        .map(markdown_line)
        .collect()
}

/// A Markdown code span holding `text` whatever backticks it contains (a fence longer than any
/// run of them), on one line, nothing hidden. Inside a code span nothing else is markup.
pub fn markdown_code(text: &str) -> String {
    crate::text::code_span(&visible(text))
}

/// Doc-comment lines (`/// …`, or `//! …` for `inner`), one per line of `lines`. The lines are
/// Markdown written by the generator, with the policy's texts already escaped by the helpers
/// above; as a last guard, no hidden character reaches the comment (rustc refuses bidi controls
/// in comments, and a line break would end it), and a code block is marked as plain text (so
/// that no tool compiles or lints it) and closed if left open.
pub fn doc(lines: &[String], inner: bool, indent: &str) -> String {
    let marker = if inner { "//!" } else { "///" };
    let mut out = String::new();
    let mut in_block = false;
    for line in lines.iter().flat_map(|l| l.split('\n')) {
        let mut clean = visible(line).trim_end().to_string();
        let trimmed = clean.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let fence: String = trimmed
                .chars()
                .take_while(|c| *c == '`' || *c == '~')
                .collect();
            let lead = clean.len() - trimmed.len();
            clean = if in_block {
                format!("{}{fence}", " ".repeat(lead))
            } else {
                format!("{}{fence}text", " ".repeat(lead))
            };
            in_block = !in_block;
        }
        if clean.is_empty() {
            out.push_str(&format!("{indent}{marker}\n"));
        } else {
            out.push_str(&format!("{indent}{marker} {clean}\n"));
        }
    }
    if in_block {
        out.push_str(&format!("{indent}{marker} ```\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HIDDEN: &str =
        "\u{0}\u{1b}\u{7f}\u{85}\u{202a}\u{202e}\u{2066}\u{2069}\u{200e}\u{200f}\u{61c}";

    #[test]
    fn hidden_characters_are_the_controls_and_the_bidi_controls() {
        assert!(HIDDEN.chars().all(is_hidden));
        assert!(!"aé😀 \u{200d}\u{a0}".chars().any(is_hidden));
        assert_eq!(
            visible(HIDDEN),
            "U+0000U+001BU+007FU+0085U+202AU+202EU+2066U+2069U+200EU+200FU+061C"
        );
        assert_eq!(visible("a\nb\tc\r"), "a b c ");
    }

    #[test]
    fn literals_escape_everything() {
        assert_eq!(str_lit("a\"#\\b\n*/é"), "\"a\\\"#\\\\b\\n*/é\"");
        assert_eq!(
            str_lit("x\u{202e}y\u{0}\u{61c}"),
            "\"x\\u{202e}y\\u{0}\\u{61c}\""
        );
        assert!(!str_lit(HIDDEN).chars().any(is_hidden));
        assert_eq!(bytes_lit("\"é\\".as_bytes()), "b\"\\\"\\xc3\\xa9\\\\\"");
    }

    #[test]
    fn toml_strings_are_escaped_as_toml_wants() {
        assert_eq!(
            toml_str("P\u{0} \"q\" \\ \u{202e}é\n"),
            "\"P\\u0000 \\\"q\\\" \\\\ \\u202Eé\\u000A\""
        );
    }

    #[test]
    fn comments_cannot_end_open_or_hide() {
        assert_eq!(comment("a */ b /* c\nd\u{202e}"), "a * / b / * c dU+202E");
        assert_eq!(comment("**//**/"), "** // ** /");
        assert!(!comment("*/*/*").contains("*/"));
        assert!(!comment("/*/*/").contains("/*"));
    }

    #[test]
    fn markdown_reads_as_written() {
        assert_eq!(
            markdown("P <script>alert(1)</script> & [x](javascript:y) ![i](u) *a* _b_ `c` #d |e ~f {#g} \\"),
            "P &lt;script&gt;alert\\(1\\)&lt;/script&gt; &amp; \\[x\\]\\(javascript:y\\) \\!\\[i\\]\\(u\\) \
             \\*a\\* \\_b\\_ \\`c\\` \\#d \\|e \\~f \\{\\#g\\} \\\\"
        );
        assert_eq!(
            markdown("&lt; <img onerror=x>"),
            "&amp;lt; &lt;img onerror=x&gt;"
        );
        assert_eq!(markdown("a\u{202e}b\nc"), "aU+202Eb c");
        assert_eq!(
            markdown_lines(&["- item\n1. first\n    code\n= x\n+ y\n12) z".to_string()]),
            [
                "\\- item",
                "1\\. first",
                "code",
                "\\= x",
                "\\+ y",
                "12\\) z"
            ]
        );
    }

    #[test]
    fn code_spans_hold_any_text() {
        assert_eq!(markdown_code("x"), "`x`");
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown_code("`a``"), "``` `a`` ```");
        assert_eq!(markdown_code(" a "), "`  a  `");
        assert_eq!(markdown_code(""), "` `");
        assert_eq!(markdown_code("<b>\u{202e}\n"), "`<b>U+202E `");
    }

    #[test]
    fn doc_comments_hold_only_comment_text() {
        assert_eq!(
            doc(&["x */ \"# y\nz\r".to_string()], false, ""),
            "/// x */ \"# y\n/// z\n"
        );
        assert_eq!(
            doc(&["a\u{202e}b\u{0}".to_string()], true, "  "),
            "  //! aU+202EbU+0000\n"
        );
        assert_eq!(
            doc(&["```".to_string(), "x".to_string()], false, ""),
            "/// ```text\n/// x\n/// ```\n"
        );
    }
}
