//! Characters that would not show as themselves: control characters (C0, DEL, C1) other than line
//! breaks and tabs, and the invisible characters that reorder the text around them (bidi
//! embeddings, overrides, isolates and marks). A policy text holding one could read, in the
//! documentation a reviewer signs off, other than it is (`"txt.exe"` written backwards with an
//! override, an ESC sequence in a terminal), so every writer shows them as their code point
//! (`U+202E`) instead: the Markdown writer as text, the HTML writer in a marked span (as text
//! where no element may go: attributes, `<title>`, SVG).
//!
//! The documents may be built from any IR and model (through `--set`, a future front end, a gap
//! in the checker), so the writers do not rely on the checker having refused these.

/// Whether `c` changes the direction of the text around it while being invisible.
fn is_bidi(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
    )
}

/// Whether `c` must be written out instead of itself (line breaks and tabs are themselves).
pub fn is_hidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t')) || is_bidi(c)
}

/// How a hidden character is written out: `U+202E`.
pub fn label(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// `text` with every hidden character written out.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hidden(c) {
            out.push_str(&label(c));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_controls_are_written_out() {
        assert_eq!(
            visible("a\u{0}\u{1b}[2J\u{7f}\u{85}\r\u{202e}b\u{202a}\u{2066}\u{2069}\u{200e}\u{200f}\u{61c}"),
            "aU+0000U+001B[2JU+007FU+0085U+000DU+202EbU+202AU+2066U+2069U+200EU+200FU+061C"
        );
        assert_eq!(visible("line\nbreak\ttab é😀"), "line\nbreak\ttab é😀");
    }
}
