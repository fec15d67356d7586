//! Small helpers shared by diagnostics and generated prose: lists in English, and which
//! characters cannot be shown as themselves.

/// "a", "a or b", "a, b or c".
pub fn join_or(words: &[String]) -> String {
    join(words, "or", "something else")
}

/// "a", "a and b", "a, b and c".
pub fn join_and(words: &[String]) -> String {
    join(words, "and", "nothing")
}

fn join(words: &[String], conjunction: &str, empty: &str) -> String {
    match words {
        [] => empty.to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {}", init.join(", "), last),
    }
}

/// Escapes text for HTML or XML content and attribute values. Control characters other than tab
/// and line breaks are dropped: XML 1.0 cannot carry them and HTML treats them as errors.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The bidirectional formatting characters: embeddings, overrides, isolates and the marks. They
/// make the text around them display in another order than it is written.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Whether `c` cannot be shown as itself to a reader: a control character (C0, DEL, C1) or a
/// bidirectional formatting character.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// A Markdown code span holding `text` exactly, whatever backticks it contains: fenced by one
/// backtick more than its longest run of them, with a space inside each fence where CommonMark
/// would otherwise strip one or join a backtick to the fence. `text` is on one line.
pub fn code_span(text: &str) -> String {
    if text.is_empty() {
        return "` `".to_string();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let spaced = text.starts_with(' ') && text.ends_with(' ') && text.trim() != "";
    if text.starts_with('`') || text.ends_with('`') || spaced {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape_markup("<a href=\"x\">Tom's & co</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; co&lt;/a&gt;"
        );
    }

    #[test]
    fn lists_read_naturally() {
        let w = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_or(&w(&["a"])), "a");
        assert_eq!(join_or(&w(&["a", "b"])), "a or b");
        assert_eq!(join_and(&w(&["a", "b", "c"])), "a, b and c");
    }
}
