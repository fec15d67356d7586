//! The document as Markdown (CommonMark with GitHub tables), for code review in a repository.
//! Every policy text is escaped, so no string from a policy can become markup or raw HTML, and
//! every hidden character (a control, a bidi control) is written out as its code point.

use super::hidden;
use super::model::{Block, Inline, PolicyDoc, Table, Text};
use std::fmt::Write as _;

/// Escapes text so that it reads literally: Markdown punctuation and HTML brackets get a
/// backslash, line breaks become spaces, hidden characters their code point (`U+202E`).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if hidden::is_hidden(c) => out.push_str(&hidden::label(c)),
            _ => out.push(c),
        }
    }
    out
}

/// Escaped text that starts a line: a leading `-`, `+`, `=` or `1.` would start a list or a
/// heading underline, so it gets a backslash too.
fn line(text: &str) -> String {
    let escaped = escape(text);
    let digits = escaped.chars().take_while(char::is_ascii_digit).count();
    let numbered = digits > 0 && matches!(escaped.chars().nth(digits), Some('.' | ')'));
    if escaped.starts_with(['-', '+', '=']) {
        format!("\\{escaped}")
    } else if numbered {
        let (number, rest) = escaped.split_at(digits);
        format!("{number}\\{rest}")
    } else {
        escaped
    }
}

/// A code span that holds `text` whatever backticks it contains, hidden characters written out.
fn code(text: &str) -> String {
    crate::text::code_span(&hidden::visible(&text.replace(['\n', '\r'], " ")))
}

fn text(t: &Text) -> String {
    t.0.iter()
        .map(|i| match i {
            Inline::Plain(s) => escape(s),
            Inline::Code(s) => code(s),
            Inline::Strong(s) if s.trim().is_empty() => escape(s),
            Inline::Strong(s) => format!("**{}**", escape(s)),
        })
        .collect()
}

fn table(out: &mut String, t: &Table) {
    let _ = writeln!(out, "*{}*\n", escape(&t.caption));
    let head: Vec<String> = t.head.iter().map(|h| escape(h)).collect();
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(t.head.len().max(1)));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(text).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// The Markdown page of one policy; the tier chart is the separate file `chart_file`.
pub fn page(doc: &PolicyDoc, chart_file: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", escape(&doc.title));
    let _ = writeln!(
        out,
        "Version {}, effective from {}.\n",
        escape(&doc.version),
        escape(&doc.effective)
    );
    if !doc.summary.is_empty() {
        let _ = writeln!(out, "{}\n", escape(&doc.summary.join(" ")));
    }
    out.push_str("Contents:\n\n");
    for s in doc.sections.iter().filter(|s| s.level == 2) {
        let _ = writeln!(out, "- [{}](#{})", escape(&s.heading), super::anchor(&s.id));
    }
    out.push('\n');
    for s in &doc.sections {
        let hashes = "#".repeat(usize::from(s.level.clamp(2, 6)));
        let _ = writeln!(out, "<a id=\"{}\"></a>\n", super::anchor(&s.id));
        let _ = writeln!(out, "{hashes} {}\n", escape(&s.heading));
        for b in &s.blocks {
            block(&mut out, b, chart_file);
        }
    }
    out
}

fn block(out: &mut String, b: &Block, chart_file: &str) {
    match b {
        Block::Para(t) => {
            let _ = writeln!(out, "{}\n", text(t));
        }
        Block::Quote(lines) => {
            for l in lines {
                let _ = writeln!(out, "> {}", line(l));
            }
            out.push('\n');
        }
        Block::Facts(facts) => {
            for (label, value) in facts {
                let _ = writeln!(out, "- **{}:** {}", escape(label), text(value));
            }
            out.push('\n');
        }
        Block::Table(t) => table(out, t),
        Block::List(items) => {
            for (n, i) in items.iter().enumerate() {
                let _ = writeln!(out, "{}. {}", n + 1, text(i));
            }
            out.push('\n');
        }
        Block::Notice(t) => {
            let _ = writeln!(out, "> **Note:** {}\n", text(t));
        }
        Block::Chart(c) => {
            let _ = writeln!(out, "![{}]({chart_file})\n", escape(&c.alt));
            let _ = writeln!(out, "{}\n", escape(&c.alt));
        }
        Block::Code(c) => {
            let _ = writeln!(
                out,
                "```text\n{}\n```\n",
                hidden::visible(c).replace("```", "` ` `")
            );
        }
    }
}

/// The index of several policies.
pub fn index(docs: &[PolicyDoc]) -> String {
    let mut out =
        String::from("# Policies\n\n| Policy | Version | Effective from |\n|---|---|---|\n");
    for d in docs {
        let _ = writeln!(
            out,
            "| [{}]({}.md) | {} | {} |",
            escape(&d.title),
            super::anchor(&d.slug),
            escape(&d.version),
            escape(&d.effective)
        );
    }
    out
}
