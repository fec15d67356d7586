//! The document as one static, self-contained HTML page: inline CSS (with a print stylesheet),
//! inline SVG, no scripts, no external assets. Tables scroll sideways on a phone; headings, table
//! headers with `scope`, captions and the chart's title and description make it accessible.
//! Every policy text is escaped, and every hidden character (a control, a bidi control) is shown
//! as its code point: in page content in a marked span ([`escape`]), in attributes, the `<title>`
//! and the chart as plain text ([`escape_plain`]).

use super::hidden;
use super::model::{Block, Inline, PolicyDoc, Table, Text};
use std::fmt::Write as _;

/// Escapes text for HTML content: markup characters as entities, each hidden character as its
/// code point in a `<span class="hidden-char">`, which the style sheet marks.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars() {
        if hidden::is_hidden(c) {
            out.push_str(&crate::text::escape_markup(&std::mem::take(&mut run)));
            let _ = write!(
                out,
                "<span class=\"hidden-char\" title=\"an invisible character\">{}</span>",
                hidden::label(c)
            );
        } else {
            run.push(c);
        }
    }
    out.push_str(&crate::text::escape_markup(&run));
    out
}

/// Escapes text for an attribute value, the `<title>` or SVG, where no element may go: hidden
/// characters as their code point in plain text.
pub fn escape_plain(text: &str) -> String {
    crate::text::escape_markup(&hidden::visible(text))
}

const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 1rem 0 .5rem; }
h2 { font-size: 1.4rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid #d0d7de; }
h3 { font-size: 1.15rem; margin: 1.6rem 0 .4rem; }
p, ul, ol, dl { margin: .5rem 0 .9rem; }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f3f4f6; padding: .05em .3em; border-radius: 3px; overflow-wrap: anywhere; }
td code, th code { white-space: nowrap; overflow-wrap: normal; }
pre { background: #f3f4f6; padding: .6rem .8rem; overflow-x: auto; border-radius: 4px; }
pre code { background: none; padding: 0; }
blockquote { margin: .5rem 0 .9rem; padding: .2rem .9rem; border-left: 4px solid #8fb3de; color: #333; background: #f7fafd; }
.notice { border-left: 4px solid #c27c0e; background: #fff8e6; padding: .5rem .9rem; margin: .7rem 0; }
.sentence { font-size: 1.05rem; }
dl.facts { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; color: #444; }
dl.facts dd { margin: 0; }
.table-wrap { overflow-x: auto; margin: .5rem 0 1.1rem; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; min-width: 100%; font-size: .93rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #d0d7de; padding: .35rem .55rem; text-align: left; vertical-align: top; }
thead th { background: #eef2f6; }
tbody th { font-weight: normal; background: #fafbfc; }
nav.toc ul { columns: 2; padding-left: 1.2rem; }
.meta { color: #444; }
figure { margin: .8rem 0 1.2rem; }
figcaption { font-size: .9rem; color: #444; }
svg { max-width: 100%; height: auto; }
a { color: #0b5cad; }
.hidden-char { font: .8em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #8a1c1c; border: 1px dashed #8a1c1c; border-radius: 3px; padding: 0 .15em; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  main { padding: .75rem .8rem 2rem; }
  h1 { font-size: 1.5rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .4rem; }
  nav.toc ul { columns: 1; }
}
@media print {
  body { font-size: 11pt; color: #000; }
  main { max-width: none; padding: 0; }
  nav.toc, .skip { display: none; }
  a { color: #000; text-decoration: none; }
  h2, h3 { break-after: avoid; }
  table, figure, dl.facts, blockquote { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  th, td { border-color: #888; }
}
"#;

fn text(t: &Text) -> String {
    t.0.iter()
        .map(|i| match i {
            Inline::Plain(s) => escape(s),
            Inline::Code(s) => format!("<code>{}</code>", escape(s)),
            Inline::Strong(s) => format!("<strong>{}</strong>", escape(s)),
        })
        .collect()
}

fn table(out: &mut String, t: &Table) {
    let _ = write!(
        out,
        "<div class=\"table-wrap\" role=\"region\" aria-label=\"{}\" tabindex=\"0\"><table><caption>{}</caption><thead><tr>",
        escape_plain(&t.caption),
        escape(&t.caption)
    );
    for h in &t.head {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for (n, cell) in row.iter().enumerate() {
            if n == 0 {
                let _ = write!(out, "<th scope=\"row\">{}</th>", text(cell));
            } else {
                let _ = write!(out, "<td>{}</td>", text(cell));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

fn head(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"rubric docs\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape_plain(title)
    );
}

/// The HTML page of one policy; `index`: link back to the index page.
pub fn page(doc: &PolicyDoc, index: bool) -> String {
    let mut out = String::new();
    head(
        &mut out,
        &format!("{} {}: policy documentation", doc.title, doc.version),
    );
    if index {
        out.push_str("<p><a href=\"index.html\">All policies</a></p>\n");
    }
    let _ = writeln!(out, "<h1>{}</h1>", escape(&doc.title));
    let _ = writeln!(
        out,
        "<p class=\"meta\">Version {}, effective from {}.</p>",
        escape(&doc.version),
        escape(&doc.effective)
    );
    if !doc.summary.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(&doc.summary.join(" ")));
    }
    out.push_str("<nav class=\"toc\" aria-label=\"Contents\"><h2>Contents</h2><ul>\n");
    for s in doc.sections.iter().filter(|s| s.level == 2) {
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">{}</a></li>",
            super::anchor(&s.id),
            escape(&s.heading)
        );
    }
    out.push_str("</ul></nav>\n");
    for s in &doc.sections {
        let level = s.level.clamp(2, 6);
        let _ = writeln!(
            out,
            "<section aria-labelledby=\"{id}\"><h{level} id=\"{id}\">{}</h{level}>",
            escape(&s.heading),
            id = super::anchor(&s.id)
        );
        for b in &s.blocks {
            block(&mut out, b);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn block(out: &mut String, b: &Block) {
    match b {
        Block::Para(t) if t.0.iter().all(|i| matches!(i, Inline::Strong(_))) => {
            let _ = writeln!(out, "<p class=\"sentence\">{}</p>", text(t));
        }
        Block::Para(t) => {
            let _ = writeln!(out, "<p>{}</p>", text(t));
        }
        Block::Quote(lines) => {
            let _ = writeln!(
                out,
                "<blockquote><p>{}</p></blockquote>",
                escape(&lines.join(" "))
            );
        }
        Block::Facts(facts) => {
            out.push_str("<dl class=\"facts\">\n");
            for (label, value) in facts {
                let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(label), text(value));
            }
            out.push_str("</dl>\n");
        }
        Block::Table(t) => table(out, t),
        Block::List(items) => {
            out.push_str("<ol>\n");
            for i in items {
                let _ = writeln!(out, "<li>{}</li>", text(i));
            }
            out.push_str("</ol>\n");
        }
        Block::Notice(t) => {
            let _ = writeln!(out, "<p class=\"notice\" role=\"note\">{}</p>", text(t));
        }
        Block::Chart(c) => {
            let _ = writeln!(
                out,
                "<figure>{}<figcaption>{}</figcaption></figure>",
                c.svg,
                escape(&c.alt)
            );
        }
        Block::Code(c) => {
            let _ = writeln!(out, "<pre><code>{}</code></pre>", escape(c));
        }
    }
}

/// The index page of several policies.
pub fn index(docs: &[PolicyDoc]) -> String {
    let mut out = String::new();
    head(&mut out, "Policies: documentation");
    out.push_str("<h1>Policies</h1>\n<div class=\"table-wrap\" role=\"region\" aria-label=\"Policies\" tabindex=\"0\"><table><caption>Documented policies</caption><thead><tr><th scope=\"col\">Policy</th><th scope=\"col\">Version</th><th scope=\"col\">Effective from</th></tr></thead><tbody>\n");
    for d in docs {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><a href=\"{}.html\">{}</a></th><td>{}</td><td>{}</td></tr>",
            super::anchor(&d.slug),
            escape(&d.title),
            escape(&d.version),
            escape(&d.effective)
        );
    }
    out.push_str("</tbody></table></div>\n</main>\n</body>\n</html>\n");
    out
}
