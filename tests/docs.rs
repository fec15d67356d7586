//! `rubric docs` and `rubric eval --explain`: every declaration of every example appears in its
//! documentation, policy strings are escaped, output is deterministic, and the CLI contract holds.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rubric::docs::{escape_html, escape_markdown, Format, OutputFile};
use rubric::syntax::ast::Item;
use rubric::SourceMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rubric"))
        .collect();
    files.sort();
    assert!(files.len() >= 3);
    files
}

fn pages(paths: &[PathBuf], format: Format) -> Vec<OutputFile> {
    let mut sources = SourceMap::new();
    let compiled: Vec<_> = paths
        .iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let file = sources.load(p).unwrap();
            (rubric::compile(&sources, file, &Default::default()), stem)
        })
        .collect();
    rubric::document(&compiled, "rubric docs test", format).unwrap()
}

fn page<'a>(pages: &'a [OutputFile], name: &str) -> &'a str {
    &pages
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .contents
}

/// Every rule, indicator, param, tier and consequence (name and title) of every example, and
/// every rule's basis and reason, appear in both the Markdown and the HTML page.
#[test]
fn every_declaration_of_every_example_is_documented() {
    for path in examples() {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let out = pages(std::slice::from_ref(&path), Format::Both);
        let md = page(&out, &format!("{stem}.md"));
        let html = page(&out, &format!("{stem}.html"));
        let text = std::fs::read_to_string(&path).unwrap();
        let ast = rubric::parse(rubric::FileId(0), &text).unwrap();
        let mut wanted: Vec<(String, &str)> = Vec::new();
        let mut rules = Vec::new();
        for item in &ast.items {
            match item {
                Item::Indicator(i) => wanted.push((i.name.node.clone(), "indicator")),
                Item::Param(p) => wanted.push((p.name.node.clone(), "param")),
                Item::Rule(r) => rules.push(r.node.clone()),
                Item::Group(g) => {
                    wanted.push((g.name.node.clone(), "group"));
                    rules.extend(g.rules.iter().map(|r| r.node.clone()));
                }
                Item::Tier(t) => {
                    wanted.push((t.name.node.clone(), "tier"));
                    wanted.extend(t.title.iter().map(|x| (x.node.clone(), "tier title")));
                }
                Item::Consequence(c) => {
                    wanted.push((c.name.node.clone(), "consequence"));
                    wanted.extend(
                        c.title
                            .iter()
                            .map(|x| (x.node.clone(), "consequence title")),
                    );
                }
                Item::Table(t) => {
                    wanted.push((t.name.node.clone(), "decision table"));
                    wanted.extend(t.title.iter().map(|x| (x.node.clone(), "table title")));
                    for item in &t.items {
                        if let rubric::syntax::ast::TableItem::Outputs(outputs) = &item.node {
                            wanted.extend(
                                outputs
                                    .iter()
                                    .map(|o| (o.node.name.node.clone(), "table output")),
                            );
                        }
                    }
                }
                Item::Test(t) => wanted.push((t.name.node.clone(), "test")),
                Item::Let(l) => wanted.push((l.name.node.clone(), "derived value")),
                Item::Function(f) => wanted.push((f.name.node.clone(), "function")),
                Item::Policy(h) => wanted.push((h.name.node.clone(), "policy")),
            }
        }
        for r in &rules {
            wanted.push((r.name.node.clone(), "rule"));
            wanted.extend(r.title.iter().map(|x| (x.node.clone(), "rule title")));
            for item in &r.items {
                match &item.node {
                    rubric::syntax::ast::RuleItem::Basis(b) => {
                        wanted.push((b.node.clone(), "basis"))
                    }
                    rubric::syntax::ast::RuleItem::Reason(r) => {
                        wanted.extend(r.text.iter().map(|t| (t.node.clone(), "reason")));
                        wanted.extend(r.code.iter().map(|c| (c.node.clone(), "reason code")));
                    }
                    _ => {}
                }
            }
        }
        assert!(wanted.len() > 20, "{stem}: too few declarations found");
        for (name, kind) in wanted {
            assert!(
                md.contains(&escape_markdown(&name)) || md.contains(&format!("`{name}`")),
                "{stem}.md lacks {kind} `{name}`"
            );
            assert!(
                html.contains(&escape_html(&name)),
                "{stem}.html lacks {kind} `{name}`"
            );
        }
        // Every rule, consequence and decision table has its plain-language sentence.
        assert_eq!(
            html.matches("<p class=\"sentence\"><strong>").count(),
            rules.len()
                + ast
                    .items
                    .iter()
                    .filter(|i| matches!(i, Item::Consequence(_) | Item::Table(_)))
                    .count(),
            "{stem}: one sentence per rule, consequence and decision table"
        );
    }
}

#[test]
fn policy_strings_are_escaped() {
    let out = pages(&[root().join("tests/docs/hostile.rubric")], Format::Both);
    let html = page(&out, "hostile.html");
    let md = page(&out, "hostile.md");
    for raw in [
        "<script",
        "<img",
        "<iframe",
        "<a href=\"javascript",
        "<h1>H",
        "<b>",
        "<em>",
        "<u>",
        "-->",
    ] {
        assert!(!html.contains(raw), "raw `{raw}` in the HTML");
    }
    // In the Markdown every `<` from the policy is escaped (only the anchors are raw HTML).
    for line in md.lines().filter(|l| !l.starts_with("<a id=\"")) {
        let bytes = line.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'<' {
                assert!(i > 0 && bytes[i - 1] == b'\\', "unescaped `<` in: {line}");
            }
        }
    }
    assert!(html.contains("&lt;script&gt;alert(&quot;rule&quot;)&lt;/script&gt; | col"));
    assert!(html.contains("Law &amp; Order &lt;art. 1&gt;"));
    assert!(html.contains("&#39;apostrophes&#39;"));
    assert!(md.contains("\\<script\\>alert(\"rule\")\\</script\\> \\| col"));
    // A table row is never broken by a pipe from the policy.
    for line in md
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains("evil"))
    {
        assert!(!line.contains(" | col"), "unescaped pipe: {line}");
    }
    let svg = page(&out, "hostile.tiers.svg");
    assert!(!svg.contains("<script") && !svg.contains("<h1>"));
}

#[test]
fn html_is_self_contained_and_accessible() {
    let out = pages(&examples(), Format::Html);
    let index = page(&out, "index.html");
    for stem in ["civic_trust", "driving_licence", "lending"] {
        assert!(index.contains(&format!("href=\"{stem}.html\"")));
        let html = page(&out, &format!("{stem}.html"));
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains("<title>") && html.contains("name=\"viewport\""));
        assert!(html.contains("@media print") && html.contains("overflow-x: auto"));
        assert!(html.contains("<th scope=\"col\">") && html.contains("<th scope=\"row\">"));
        assert!(
            html.contains("<svg")
                && html.contains("role=\"img\"")
                && html.contains("<title id=\"chart-title\">")
        );
        assert_eq!(html.matches("<h1").count(), 1);
        for external in [
            "<script",
            "<link",
            "src=\"http",
            "href=\"http",
            "@import",
            "url(",
        ] {
            assert!(!html.contains(external), "{stem}: `{external}`");
        }
    }
    assert!(out.iter().all(|p| !p.name.ends_with(".md")));
}

#[test]
fn documents_are_deterministic_and_mark_protected_attributes() {
    let a = pages(&examples(), Format::Both);
    let b = pages(&examples(), Format::Both);
    assert_eq!(a, b);
    let md = page(&a, "civic_trust.md");
    assert!(md.contains("**Protected: carried for audit; never affects a decision**"));
    let md = page(&a, "driving_licence.md");
    // The suppression and its reason.
    assert!(md.contains("`W1000`"));
    assert!(md.contains("the Road Safety Decree, art. 8, fixes a licence at 0 to 12 points"));
    // The brief's sentence, with the param's name kept.
    let md = page(&a, "civic_trust.md");
    assert!(md.contains("Deduct the late tax penalty (20 points) for each late tax payment, but at most the late tax cap (200 points), when there is at least one late tax payment."));
}

fn rubric() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rubric"))
}

#[test]
fn cli_writes_the_site_and_reports_problems() {
    let dir = std::env::temp_dir().join(format!("rubric-docs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = rubric()
        .args([
            "docs",
            "examples/civic_trust.rubric",
            "examples/lending.rubric",
            "-o",
        ])
        .arg(&dir)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in [
        "index.html",
        "index.md",
        "civic_trust.html",
        "civic_trust.md",
        "civic_trust.tiers.svg",
        "lending.html",
    ] {
        assert!(dir.join(name).exists(), "{name}");
    }
    let html = std::fs::read_to_string(dir.join("lending.html")).unwrap();
    assert!(html.contains("rubric docs examples/civic_trust.rubric examples/lending.rubric -o"));
    let out = rubric()
        .args(["docs", "examples/broken/02_unknown_names.rubric", "-o"])
        .arg(&dir)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error"));
    let out = rubric()
        .args(["docs", "no/such/file.rubric", "-o"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn explain_adds_sentences_and_keeps_the_decision_bytes() {
    let run = |explain: bool| {
        let mut cmd = rubric();
        cmd.args([
            "eval",
            "examples/civic_trust.rubric",
            "examples/civic_trust.jsonl",
            "-q",
        ]);
        if explain {
            cmd.arg("--explain");
        }
        let out = cmd.current_dir(root()).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = run(false);
    let explained = run(true);
    assert_eq!(plain.lines().count(), explained.lines().count());
    for (p, e) in plain.lines().zip(explained.lines()) {
        let head = p.strip_suffix('}').unwrap();
        assert!(e.starts_with(head), "the decision itself is unchanged");
        assert!(
            e[head.len()..].starts_with(",\"explanation\":[\"Everyone starts at 1000 points.\"")
        );
        let v: serde_json::Value = serde_json::from_str(e).unwrap();
        let sentences = v["explanation"].as_array().unwrap();
        assert!(sentences
            .iter()
            .any(|s| s.as_str().unwrap().contains(" tier ")));
    }
    assert!(
        explained.contains("\\u201cLate tax payments\\u201d deducted")
            || explained.contains("“Late tax payments” deducted")
    );
    let out = rubric()
        .args([
            "eval",
            "examples/lending.rubric",
            "examples/lending.jsonl",
            "--explain",
            "--output-format",
            "csv",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Regression: explanations once read the decision's numbers through `f64`, so a score with
/// more than about 15 significant digits was misquoted.
#[test]
fn explanations_quote_numbers_exactly() {
    let dir = std::env::temp_dir().join(format!("rubric-explain-exact-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("precise.rubric");
    std::fs::write(
        &policy,
        "policy \"Precise\" {\n  version \"1\"\n  effective 2027-01-01\n  score 0 to 100000000000 starting at 12345678901.2345678901\n  round to 10 decimals\n}\n\nindicator n: count 0 to 10\n\nrule bonus \"Bonus\" {\n  add n\n  basis \"b\"\n  reason \"r\"\n}\n",
    )
    .unwrap();
    let input = dir.join("records.jsonl");
    std::fs::write(&input, "{\"n\":1}\n").unwrap();
    let out = rubric()
        .arg("eval")
        .arg(&policy)
        .arg(&input)
        .args(["-q", "--explain"])
        .output()
        .unwrap();
    let line = String::from_utf8(out.stdout).unwrap();
    assert!(line.contains("\"score\":12345678902.2345678901"), "{line}");
    assert!(
        line.contains("The score is 12345678902.2345678901 points."),
        "{line}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn what_if_documents_say_so_and_show_the_values_that_run() {
    let dir = root().join("target/tmp/docs-what-if");
    let _ = std::fs::remove_dir_all(&dir);
    let out = rubric()
        .args([
            "docs",
            "examples/lending.rubric",
            "--format",
            "md",
            "--set",
            "large_loan_penalty=99",
            "-o",
        ])
        .arg(&dir)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(dir.join("lending.md")).unwrap();
    assert!(
        md.contains("What-if values (not the policy as written)"),
        "{md}"
    );
    assert!(md.contains(r"large\_loan\_penalty = 99 (written: 40)"));
    assert!(md.contains("99 (what-if value; written: 40)"));
    assert!(md.contains("large loan penalty (99 points)"));
    assert!(!md.contains("large loan penalty (40 points)"));
    assert!(
        md.contains("--set large_loan_penalty=99"),
        "the command line is given"
    );
    // Without --set, nothing of the kind.
    let plain = pages(&[root().join("examples/lending.rubric")], Format::Markdown);
    assert!(!page(&plain, "lending.md").contains("What-if"));
    let _ = std::fs::remove_dir_all(&dir);
}
