//! Characters that cannot be seen: naming them for diagnostics, and refusing the control
//! characters among them in quoted texts and documentation comments (E0004).
//!
//! Quoted texts (the policy's name, titles, reasons, bases, notices, test names, list members, …)
//! and `///` comments reach the decisions, the generated code and the documentation. A bidi
//! control there (U+202E, …) makes a text display differently from what it is — in a reviewer's
//! editor, in the pages, in generated source ("Trojan Source") — and a C0 or C1 control character
//! (NUL, ESC, …) is invisible, breaks terminals and cannot be carried by every target. The grammar
//! lets them through (a quoted text is any characters up to the closing quote); this pass refuses
//! them afterwards, every one of them, so a drafter fixes them all at once.

use super::err::SyntaxError;
use super::grammar::Rule;
use crate::diagnostics::Code;
use crate::span::{FileId, Span};
use pest::iterators::Pairs;

pub use crate::text::is_bidi_control;

/// Whether `c` may not be written as itself inside a quoted text or a documentation comment:
/// a bidi control, or a C0 or C1 control character (tabs and line ends are decided by the caller).
pub fn is_refused(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// What an invisible or space-like character is, in words; `None` for a character that can be
/// seen (and for the ordinary space, tab and line break, which the caller words itself).
fn name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{0}' => "null",
        '\u{1}' => "start of heading",
        '\u{2}' => "start of text",
        '\u{3}' => "end of text",
        '\u{4}' => "end of transmission",
        '\u{5}' => "enquiry",
        '\u{6}' => "acknowledge",
        '\u{7}' => "bell",
        '\u{8}' => "backspace",
        '\t' => "tab",
        '\n' => "line feed",
        '\u{B}' => "vertical tab",
        '\u{C}' => "form feed",
        '\r' => "carriage return",
        '\u{E}' => "shift out",
        '\u{F}' => "shift in",
        '\u{10}' => "data link escape",
        '\u{11}'..='\u{14}' => "device control",
        '\u{15}' => "negative acknowledge",
        '\u{16}' => "synchronous idle",
        '\u{17}' => "end of transmission block",
        '\u{18}' => "cancel",
        '\u{19}' => "end of medium",
        '\u{1A}' => "substitute",
        '\u{1B}' => "escape",
        '\u{1C}'..='\u{1F}' => "information separator",
        '\u{7F}' => "delete",
        '\u{85}' => "next line",
        '\u{80}'..='\u{9F}' => "a C1 control character",
        '\u{A0}' => "no-break space",
        '\u{AD}' => "soft hyphen",
        '\u{61C}' => "Arabic letter mark",
        '\u{1680}' => "Ogham space mark",
        '\u{2000}'..='\u{200A}' => "a typographic space",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{200E}' => "left-to-right mark",
        '\u{200F}' => "right-to-left mark",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{202F}' => "narrow no-break space",
        '\u{205F}' => "medium mathematical space",
        '\u{2060}' => "word joiner",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{3000}' => "ideographic space",
        '\u{FEFF}' => "byte order mark",
        _ if c.is_control() => "a control character",
        _ if c.is_whitespace() => "a space character",
        _ => return None,
    })
}

/// `U+202E (right-to-left override)`: a character named by its code point and what it is.
pub fn describe(c: char) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    match name(c) {
        Some(name) => format!("{code} ({name})"),
        None => code,
    }
}

/// How an invisible character that the grammar did not expect should be put right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fix {
    /// It stands where a space would, but is not one of the spaces Rubric reads as white space
    /// (the ordinary space, tab and line break).
    Space,
    /// It cannot be seen at all: delete it.
    Delete,
}

/// When `found` (the text at a syntax error) is made only of characters that cannot be seen, the
/// words for it ("U+00A0 (no-break space)") and how to fix it (`None` for the ordinary space, tab
/// and line break, which are white space wherever the grammar allows it); `None` for visible text.
pub fn unseen(found: &str) -> Option<(String, Option<Fix>)> {
    let mut chars = found.chars();
    let first = chars.next()?;
    match (first, chars.next()) {
        (' ', None) => return Some(("a space".to_string(), None)),
        ('\n', None) => return Some(("a line break".to_string(), None)),
        ('\t', None) => return Some(("a tab".to_string(), None)),
        _ => {}
    }
    if !found.chars().all(|c| name(c).is_some()) {
        return None;
    }
    let words = found.chars().map(describe).collect::<Vec<_>>().join(", ");
    let looks_like_space = first.is_whitespace() && (!first.is_control() || first == '\u{C}');
    let fix = if looks_like_space {
        Fix::Space
    } else {
        Fix::Delete
    };
    Some((words, Some(fix)))
}

/// E0004 for every refused character in the quoted texts and documentation comments of a parse
/// tree, in the order they appear. `pairs` is the whole tree (pest flattens it without recursion).
pub fn find(file: FileId, pairs: Pairs<'_, Rule>) -> Vec<SyntaxError> {
    let mut errors = Vec::new();
    // The whole text, for the `//` comments, which the tree does not keep.
    let mut whole: Option<&str> = None;
    let mut covered: Vec<std::ops::Range<usize>> = Vec::new();
    for pair in pairs.flatten() {
        whole.get_or_insert(pair.get_input());
        let place = match pair.as_rule() {
            Rule::string => Place::Text,
            Rule::doc => Place::Doc,
            _ => continue,
        };
        let text = pair.as_str();
        let start = pair.as_span().start();
        covered.push(start..start + text.len());
        for (offset, c) in text.char_indices() {
            if !is_refused(c) || place.allows(c, text.get(offset + c.len_utf8()..)) {
                continue;
            }
            let at = start + offset;
            errors.push(refused(Span::new(file, at, at + c.len_utf8()), c, place));
        }
    }
    // Outside texts and documentation, a file that parses can hold such a character only in a
    // `//` comment, where it would hide what a reviewer reads as much as anywhere ("Trojan
    // Source" hides code in comments).
    let whole = whole.unwrap_or("");
    let mut ranges = covered.iter().peekable();
    for (at, c) in whole.char_indices() {
        if !is_refused(c) || matches!(c, '\t' | '\n' | '\r') {
            continue;
        }
        while ranges.peek().is_some_and(|r| r.end <= at) {
            ranges.next();
        }
        if ranges.peek().is_some_and(|r| r.contains(&at)) {
            continue;
        }
        errors.push(refused(
            Span::new(file, at, at + c.len_utf8()),
            c,
            Place::Comment,
        ));
    }
    errors.sort_by_key(|e| e.span.start);
    errors
}

/// Where a refused character was found.
#[derive(Clone, Copy)]
enum Place {
    Text,
    Doc,
    Comment,
}

impl Place {
    /// Whether `c`, followed by `rest` of the token, is an exception here: a tab in a
    /// documentation comment, and the carriage return of a Windows line end that ends one.
    fn allows(self, c: char, rest: Option<&str>) -> bool {
        match self {
            Place::Doc => c == '\t' || (c == '\r' && rest.is_none_or(str::is_empty)),
            Place::Text | Place::Comment => false,
        }
    }
}

fn refused(span: Span, c: char, place: Place) -> SyntaxError {
    let shown = describe(c);
    let (kind, place_words) = match place {
        Place::Text => ("a quoted text", "this text"),
        Place::Doc => ("a documentation comment", "this comment"),
        Place::Comment => ("a comment", "this comment"),
    };
    let what = if is_bidi_control(c) {
        "an invisible bidirectional control character"
    } else {
        "an invisible control character"
    };
    let help = if is_bidi_control(c) {
        let readers = match place {
            Place::Comment => "in an editor or a review",
            Place::Text | Place::Doc => "in an editor, the documentation or generated code",
        };
        format!(
            "delete it: it makes the text around it display in another order than it is written, so {place_words} would read differently {readers}; right-to-left letters need no control characters"
        )
    } else {
        match (place, c) {
            (Place::Text, '\t') => "delete it, or write a tab as `\\t`".to_string(),
            (Place::Text, '\r') => {
                "delete it; a quoted text must end on the line it starts, and a line break inside it is written `\\n`".to_string()
            }
            _ => format!(
                "delete it; {kind} may hold only characters that can be seen{}",
                match place {
                    Place::Text => " (a tab is written `\\t`, a line break `\\n`)",
                    Place::Doc | Place::Comment => " and tabs",
                }
            ),
        }
    };
    SyntaxError::new(
        Code::InvisibleCharacter,
        span,
        format!("{kind} cannot contain {shown}, {what}"),
        shown,
    )
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_are_named_by_code_point() {
        assert_eq!(describe('\u{202E}'), "U+202E (right-to-left override)");
        assert_eq!(describe('\0'), "U+0000 (null)");
        assert_eq!(describe('\u{C}'), "U+000C (form feed)");
        assert_eq!(describe('\u{9B}'), "U+009B (a C1 control character)");
        assert_eq!(describe('é'), "U+00E9");
    }

    #[test]
    fn the_refused_characters_are_the_controls_and_bidi_formatting() {
        for c in [
            '\0', '\t', '\u{1B}', '\u{7F}', '\u{85}', '\u{9F}', '\u{202A}', '\u{202E}',
        ]
        .into_iter()
        .chain(['\u{2066}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}'])
        {
            assert!(is_refused(c), "{}", describe(c));
        }
        for c in [
            ' ', 'a', 'é', 'ש', '\u{A0}', '<', '\u{200D}', '\u{2070}', '\u{2029}',
        ] {
            assert!(!is_refused(c), "{}", describe(c));
        }
    }

    #[test]
    fn unseen_text_is_worded_and_visible_text_is_not() {
        assert_eq!(
            unseen("\u{A0}"),
            Some(("U+00A0 (no-break space)".to_string(), Some(Fix::Space)))
        );
        assert_eq!(
            unseen("\u{C}"),
            Some(("U+000C (form feed)".to_string(), Some(Fix::Space)))
        );
        assert_eq!(
            unseen("\u{FEFF}"),
            Some(("U+FEFF (byte order mark)".to_string(), Some(Fix::Delete)))
        );
        assert_eq!(
            unseen("\0"),
            Some(("U+0000 (null)".to_string(), Some(Fix::Delete)))
        );
        assert_eq!(unseen(" "), Some(("a space".to_string(), None)));
        assert_eq!(unseen("x"), None);
        assert_eq!(unseen("é"), None);
        assert_eq!(unseen(""), None);
    }
}
