//! The writers on hidden characters (controls, bidi controls) and markup: through the whole
//! pipeline from a policy's text, and from a document built by hand, as any model could be.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::model::{Block, Inline, PolicyDoc, Section, Table, Text};
use super::svg::Chart;
use super::*;

/// Every hidden kind: NUL, ESC, BEL, DEL, CR, C1 (NEL, CSI), every bidi control and mark.
const HIDDEN: &str = "\u{0}\u{1b}\u{7}\u{7f}\r\u{85}\u{9b}\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}\u{2066}\u{2067}\u{2068}\u{2069}\u{200e}\u{200f}\u{61c}";

fn assert_nothing_hidden(pages: &[OutputFile]) {
    for page in pages {
        let found: Vec<String> = page
            .contents
            .chars()
            .filter(|&c| hidden::is_hidden(c) || c == '\r')
            .map(hidden::label)
            .collect();
        assert!(found.is_empty(), "{} holds {found:?}", page.name);
    }
}

#[test]
fn markdown_writes_hidden_characters_out() {
    assert_eq!(
        markdown::escape("a\u{202e}b\u{0}c\u{1b}[2J\nd\te"),
        "aU+202EbU+0000cU+001B\\[2J d\te"
    );
    assert!(!markdown::escape(HIDDEN).chars().any(hidden::is_hidden));
}

#[test]
fn html_marks_hidden_characters_in_content_and_writes_them_plain_elsewhere() {
    assert_eq!(
        html::escape("<b>\u{202e}&"),
        "&lt;b&gt;<span class=\"hidden-char\" title=\"an invisible character\">U+202E</span>&amp;"
    );
    assert_eq!(html::escape("\u{0}").matches("U+0000").count(), 1);
    assert_eq!(
        html::escape_plain("\"a\u{202e}\u{0}<"),
        "&quot;aU+202EU+0000&lt;"
    );
    assert!(!html::escape(HIDDEN).chars().any(hidden::is_hidden));
    assert!(!html::escape_plain(HIDDEN).chars().any(hidden::is_hidden));
    // Line breaks and tabs stay what they are.
    assert_eq!(html::escape("a\nb\tc"), "a\nb\tc");
}

/// A policy whose texts hold every hidden kind, a NUL too, never reaches the documentation: the
/// checker refuses each hidden character (E0004). That the pages would be safe anyway is what
/// `any_document_is_written_safely` shows, on a document built by hand.
#[test]
fn a_policy_with_hidden_characters_is_refused_before_it_is_documented() {
    let source = format!(
        "/// Doc {HIDDEN} <script>alert(1)</script>\n\
         policy \"P\u{0} \u{202e}txt.exe\u{1b}[2J\" {{\n  version \"1\u{2066}x\u{2069}\"\n  effective 2027-01-01\n  score 0 to 10\n}}\n\
         indicator x: integer 0 to 10, unit \"u\u{0}\", source \"s\u{202e}\"\n\
         rule r \"Title {HIDDEN}\" {{ add x basis \"b\u{0}\" reason \"r\u{202e}\" }}\n\
         tier t \"T\u{202e}\" at 0 and above\n"
    );
    let mut sources = crate::SourceMap::new();
    let file = sources.add("hidden.rubric", source);
    let compiled = crate::compile(&sources, file, &crate::Options::default());
    let codes: Vec<String> = compiled
        .diagnostics()
        .iter()
        .filter_map(|(_, d)| d.code.clone())
        .collect();
    assert!(
        codes.len() > 10 && codes.iter().all(|c| c == "E0004"),
        "{codes:?}"
    );
    assert!(crate::document(&[(compiled, "hidden".into())], "rubric docs", Format::Both).is_err());
}

/// A document built by hand (as any model could build one), with hidden characters and markup
/// in every kind of block, and ids and a slug that are not safe as they are.
#[test]
fn any_document_is_written_safely() {
    let evil = format!("x{HIDDEN}<script>alert(1)</script>\"'`|*");
    let text = Text(vec![
        Inline::Plain(evil.clone()),
        Inline::Code(evil.clone()),
        Inline::Strong(evil.clone()),
    ]);
    let section = Section {
        id: "a\" onclick=\"alert(2)".into(),
        heading: evil.clone(),
        level: 2,
        blocks: vec![
            Block::Para(text.clone()),
            Block::Quote(vec![evil.clone(), format!("- {evil}")]),
            Block::Facts(vec![(evil.clone(), text.clone())]),
            Block::Table(Table {
                caption: evil.clone(),
                head: vec![evil.clone()],
                rows: vec![vec![text.clone()]],
            }),
            Block::List(vec![text.clone()]),
            Block::Notice(text),
            Block::Chart(Chart {
                alt: evil.clone(),
                svg: String::new(),
            }),
            Block::Code(format!("{evil}\n```\n{evil}")),
        ],
    };
    let doc = PolicyDoc {
        slug: "../x y".into(),
        title: evil.clone(),
        version: evil.clone(),
        effective: evil.clone(),
        summary: vec![evil.clone()],
        sections: vec![section],
    };
    let pages = render(&mut [doc.clone(), doc], Format::Both);
    assert_nothing_hidden(&pages);
    for page in &pages {
        assert!(
            page.name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')),
            "{}",
            page.name
        );
        // In Markdown, `<script>` inside a code span or block is only text.
        if !page.name.ends_with(".md") {
            assert!(!page.contents.contains("<script>"), "{}", page.name);
        }
        assert!(!page.contents.contains("onclick=\""), "{}", page.name);
    }
}
