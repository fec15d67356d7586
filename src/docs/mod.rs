//! Stage 4c, documentation: `rubric docs` — for each policy, a Markdown page and a static HTML
//! page that reviewers read instead of the source: every rule as a plain sentence with its basis,
//! reason and the points it can contribute, tables of indicators, params, tiers and consequences,
//! a chart of the tiers, worked examples from the policy's tests, its identity, and the checker
//! warnings the drafters set aside.
//!
//! | file | job |
//! |---|---|
//! | `model.rs` | the document, built once, backend-neutral (sections, facts, tables, lists) |
//! | `markdown.rs` | Markdown rendering (escaped) |
//! | `html.rs` | self-contained HTML rendering (escaped; inline CSS, print styles) |
//! | `svg.rs` | the tier chart |
//! | `hidden.rs` | controls and bidi controls, written out as `U+202E` by every writer |
//!
//! The phrasing itself lives in [`crate::phrase`]. Output is deterministic: no timestamps, only the
//! generation command as given.

mod hidden;
mod html;
mod markdown;
pub mod model;
pub mod svg;

pub use html::escape as escape_html;
pub use markdown::escape as escape_markdown;
pub use model::PolicyDoc;

use crate::check::Model;
use crate::ir::Policy;

/// What to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    Markdown,
    Html,
    #[default]
    Both,
}

impl Format {
    fn markdown(self) -> bool {
        matches!(self, Format::Markdown | Format::Both)
    }
    fn html(self) -> bool {
        matches!(self, Format::Html | Format::Both)
    }
}

/// One file to write into the output directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// A plain file name (no directories).
    pub name: String,
    pub contents: String,
}

/// Letters, digits, `-` and `_` of `name`, every other character a `-`: what an id or a file
/// name may hold, so that the writers put it in `id="…"`, `#…` and file links unescaped.
fn anchor(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// A file name stem that is safe on every platform: letters, digits, `-` and `_`.
fn slug(name: &str) -> String {
    let s = anchor(name);
    if s.is_empty() || s == "index" {
        format!("policy-{s}")
    } else {
        s
    }
}

/// Builds the document of one compiled policy, named `stem`: it reads the checked model (for the
/// phrasing of the rules as written) and the IR it was lowered to (for the values that run, the
/// ranges and the worked examples). `command` is printed as how the documents were generated.
pub fn build(checked: &Model<'_>, policy: &Policy, stem: &str, command: &str) -> PolicyDoc {
    model::build(checked, policy, &slug(stem), command)
}

/// The pages of already built documents: one Markdown and/or HTML page per policy (the Markdown
/// one with its chart as `<slug>.tiers.svg`), and index pages when there are several.
pub fn render(docs: &mut [PolicyDoc], format: Format) -> Vec<OutputFile> {
    // Two policies with the same file stem get distinct pages.
    let mut seen = std::collections::HashSet::new();
    for d in docs.iter_mut() {
        // File names and links are made from it: safe whoever built the document.
        d.slug = slug(&d.slug);
        let mut candidate = d.slug.clone();
        let mut n = 2;
        while !seen.insert(candidate.clone()) {
            candidate = format!("{}-{n}", d.slug);
            n += 1;
        }
        d.slug = candidate;
    }
    let several = docs.len() > 1;
    let mut out = Vec::new();
    for d in docs.iter() {
        if format.markdown() {
            let chart = format!("{}.tiers.svg", d.slug);
            out.push(OutputFile {
                name: format!("{}.md", d.slug),
                contents: markdown::page(d, &chart),
            });
            if let Some(svg) = d
                .sections
                .iter()
                .flat_map(|s| &s.blocks)
                .find_map(|b| match b {
                    model::Block::Chart(c) => Some(c.svg.clone()),
                    _ => None,
                })
            {
                out.push(OutputFile {
                    name: chart,
                    contents: svg + "\n",
                });
            }
        }
        if format.html() {
            out.push(OutputFile {
                name: format!("{}.html", d.slug),
                contents: html::page(d, several),
            });
        }
    }
    if several {
        if format.markdown() {
            out.push(OutputFile {
                name: "index.md".into(),
                contents: markdown::index(docs),
            });
        }
        if format.html() {
            out.push(OutputFile {
                name: "index.html".into(),
                contents: html::index(docs),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
