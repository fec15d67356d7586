//! The stages point one way. `ARCHITECTURE.md` has a table, "What each module may import", with
//! one row per module of `src/` and the modules it may use; this test reads that table and scans
//! every `crate::…` path in the code (in `use` lines and inline), failing on any import against
//! it. So the table is true, and an import against the order of the stages fails the build's tests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The table, in its order (the order of the stages): module → the modules it may import.
fn allowed() -> Vec<(String, BTreeSet<String>)> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let section = text
        .split("## What each module may import")
        .nth(1)
        .expect("ARCHITECTURE.md has a section \"What each module may import\"");
    let mut table = Vec::new();
    for line in section.lines().skip_while(|l| !l.starts_with('|')) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let [module, imports, ..] = cells.as_slice() else {
            continue;
        };
        let module = module.trim_matches('`');
        if module == "module" || module.starts_with('-') {
            continue;
        }
        let imports: BTreeSet<String> = imports
            .split(',')
            .map(|m| m.trim().trim_matches('`').to_string())
            .filter(|m| !m.is_empty() && m != "nothing")
            .collect();
        table.push((module.to_string(), imports));
    }
    assert!(table.len() >= 10, "the table lists every module: {table:?}");
    table
}

#[test]
fn the_table_points_one_way() {
    // A module may import only modules listed above it, so no two modules import each other,
    // directly or in a circle.
    let table = allowed();
    for (position, (module, imports)) in table.iter().enumerate() {
        for import in imports {
            if import == "everything" {
                continue;
            }
            assert!(
                table[..position].iter().any(|(m, _)| m == import),
                "ARCHITECTURE.md: `{module}` may import `{import}`, which is not listed above it"
            );
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file of `src/` belongs to: its first folder, or its file stem (`lib`, `span`).
fn module_of(file: &Path) -> String {
    let relative = file.strip_prefix(root().join("src")).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    let first = first.to_string_lossy();
    first.strip_suffix(".rs").unwrap_or(&first).to_string()
}

/// Every module named by a `crate::NAME` path in the code (comments and string literals aside).
fn imports(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().filter(|c| *c == '"').count();
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // Paths inside string literals (generated code, messages) are not imports.
            if before % 2 == 0 && !name.is_empty() {
                found.insert(name);
            }
            rest = after;
        }
    }
    // `use crate::{a, b::c}` names several modules at once (at the start of a line: not in a
    // string of generated code).
    let uses: String = text
        .lines()
        .map(|l| l.trim_start())
        .collect::<Vec<_>>()
        .join("\n");
    for group in uses.split("\nuse crate::{").skip(1) {
        let inner = group.split("};").next().unwrap_or("");
        let mut depth = 0;
        let mut item = String::new();
        for c in inner.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    found.insert(first_segment(&item));
                    item.clear();
                    continue;
                }
                _ => {}
            }
            item.push(c);
        }
        found.insert(first_segment(&item));
    }
    found.retain(|m| !m.is_empty());
    found
}

fn first_segment(item: &str) -> String {
    item.trim()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

#[test]
fn modules_import_only_earlier_stages() {
    let table: BTreeMap<String, BTreeSet<String>> = allowed().into_iter().collect();
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    files.sort();
    let mut wrong = Vec::new();
    let mut seen_modules = BTreeSet::new();
    for file in &files {
        let module = module_of(file);
        if module == "main" || module == "cli" {
            // The command line is a client of the library: it uses `rubric::…`, never `crate::`.
            let text = std::fs::read_to_string(file).unwrap();
            assert!(
                imports(&text).is_empty(),
                "{}: the CLI uses the library's public API (`rubric::…`)",
                file.display()
            );
            continue;
        }
        seen_modules.insert(module.clone());
        let Some(may) = table.get(&module) else {
            wrong.push(format!(
                "{}: module `{module}` is not in ARCHITECTURE.md's import table",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        // Unit tests may build what they test from source text with the whole pipeline.
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        for import in imports(text) {
            if !table.contains_key(&import) {
                wrong.push(format!(
                    "{}: `crate::{import}` goes through the library's facade; name the module it comes from",
                    file.display()
                ));
            } else if import != module && !may.contains(&import) && !may.contains("everything") {
                wrong.push(format!(
                    "{}: `{module}` imports `crate::{import}`, which ARCHITECTURE.md does not allow",
                    file.display()
                ));
            }
        }
    }
    for module in table.keys() {
        assert!(
            seen_modules.contains(module),
            "ARCHITECTURE.md lists `{module}`, which src/ does not have"
        );
    }
    assert!(
        wrong.is_empty(),
        "imports against the stages:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_ir_types_are_its_own() {
    // Lowering reads the checked model and its syntax tree; the IR's own types never do, so a
    // backend that reads the IR never sees the AST.
    for file in [
        "src/ir/mod.rs",
        "src/ir/walk.rs",
        "src/ir/err.rs",
        "src/ir/table.rs",
    ] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let found = imports(&text);
        assert!(
            !found.contains("syntax") && !found.contains("check"),
            "{file} imports {found:?}"
        );
    }
}

#[test]
fn the_scan_finds_imports() {
    let text = "use crate::check::Model;\nuse crate::{ir::Policy, span::{Span, FileId}};\n\
                let x = crate::eval::run(); // crate::docs\nlet s = \"crate::gen\";\n";
    let found: Vec<String> = imports(text).into_iter().collect();
    assert_eq!(found, ["check", "eval", "ir", "span"]);
}
