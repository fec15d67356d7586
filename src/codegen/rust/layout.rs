//! The crate's layout: `Cargo.toml` (dependencies pinned to the versions Rubric itself is built
//! with), `Cargo.lock` (the part of Rubric's that the evaluator needs, so it builds offline from
//! the same registry cache), `README.md`, `src/lib.rs`, `src/main.rs`, and the shared runtime,
//! embedded verbatim.

use super::escape::{doc, markdown, markdown_code, markdown_lines, str_lit, toml_str, visible};
use super::{CodegenError, File, Gen, GeneratedCrate};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The runtime's files, as compiled into Rubric.
const RUNTIME: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../runtime/mod.rs")),
    ("arith.rs", include_str!("../../runtime/arith.rs")),
    ("chunks.rs", include_str!("../../runtime/chunks.rs")),
    ("cli.rs", include_str!("../../runtime/cli.rs")),
    ("csv_form.rs", include_str!("../../runtime/csv_form.rs")),
    ("decision.rs", include_str!("../../runtime/decision.rs")),
    ("error.rs", include_str!("../../runtime/error.rs")),
    ("fields.rs", include_str!("../../runtime/fields.rs")),
    ("jsonl.rs", include_str!("../../runtime/jsonl.rs")),
    ("number.rs", include_str!("../../runtime/number.rs")),
    ("output.rs", include_str!("../../runtime/output.rs")),
    ("pipeline.rs", include_str!("../../runtime/pipeline.rs")),
    ("record.rs", include_str!("../../runtime/record.rs")),
    ("score.rs", include_str!("../../runtime/score.rs")),
    ("select.rs", include_str!("../../runtime/select.rs")),
    ("stream.rs", include_str!("../../runtime/stream.rs")),
];

/// Rubric's own lock file: the versions generated crates are pinned to.
const RUBRIC_LOCK: &str = include_str!("../../../Cargo.lock");

/// The evaluator's dependencies, with the features it uses.
const DEPENDENCIES: &[(&str, &str)] = &[
    ("csv", ""),
    ("itoa", ""),
    (
        "rust_decimal",
        ", default-features = false, features = [\"std\", \"serde-str\"]",
    ),
    ("serde", ", features = [\"derive\"]"),
    // `raw_value`: a numeric record id is written back in error lines exactly as it was read.
    ("serde_json", ", features = [\"raw_value\"]"),
];

/// One `[[package]]` of a lock file.
struct Locked {
    name: String,
    version: String,
    /// The entry's text, verbatim.
    text: String,
    /// Dependencies as written: `name` or `name version …`.
    dependencies: Vec<String>,
}

fn parse_lock(lock: &str) -> Vec<Locked> {
    let mut packages = Vec::new();
    for block in lock.split("[[package]]\n").skip(1) {
        let text = format!("[[package]]\n{}", block.trim_end());
        let field = |key: &str| {
            block
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{key} = \"")))
                .map(|v| v.trim_end_matches('"').to_string())
                .unwrap_or_default()
        };
        let mut dependencies = Vec::new();
        let mut in_deps = false;
        for line in block.lines() {
            if line.starts_with("dependencies = [") {
                in_deps = true;
            } else if in_deps && line.starts_with(']') {
                in_deps = false;
            } else if in_deps {
                dependencies.push(
                    line.trim()
                        .trim_end_matches(',')
                        .trim_matches('"')
                        .to_string(),
                );
            }
        }
        packages.push(Locked {
            name: field("name"),
            version: field("version"),
            text,
            dependencies,
        });
    }
    packages
}

/// The locked version of each direct dependency, and the lock entries they need.
fn locked() -> Result<(BTreeMap<&'static str, String>, Vec<Locked>), CodegenError> {
    let packages = parse_lock(RUBRIC_LOCK);
    let find = |dependency: &str| -> Option<usize> {
        let mut parts = dependency.split(' ');
        let name = parts.next().unwrap_or("");
        let version = parts.next();
        packages
            .iter()
            .position(|p| p.name == name && version.is_none_or(|v| p.version == v))
    };
    let mut versions = BTreeMap::new();
    let mut needed = Vec::new();
    let mut stack = Vec::new();
    for (name, _) in DEPENDENCIES {
        let index = find(name).ok_or_else(|| {
            CodegenError::Internal(format!("Rubric's Cargo.lock has no `{name}`"))
        })?;
        if let Some(p) = packages.get(index) {
            versions.insert(*name, p.version.clone());
        }
        stack.push(index);
    }
    while let Some(index) = stack.pop() {
        if needed.contains(&index) {
            continue;
        }
        needed.push(index);
        if let Some(p) = packages.get(index) {
            stack.extend(p.dependencies.iter().filter_map(|d| find(d)));
        }
    }
    let mut entries: Vec<Locked> = packages
        .into_iter()
        .enumerate()
        .filter(|(i, _)| needed.contains(i))
        .map(|(_, p)| p)
        .collect();
    entries.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
    Ok((versions, entries))
}

/// The policy's version if it is `MAJOR.MINOR.PATCH`, else `0.0.0`.
fn package_version(version: &str) -> String {
    let parts: Vec<&str> = version.split('.').collect();
    let numeric = parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
        });
    if numeric {
        version.to_string()
    } else {
        "0.0.0".to_string()
    }
}

pub fn assemble(g: &Gen<'_>) -> Result<GeneratedCrate, CodegenError> {
    let policy = g.policy;
    let name = g.options.crate_name.clone();
    let lib_name = name.replace('-', "_");
    let (versions, entries) = locked()?;
    let version = package_version(&policy.identity.version);
    // Cargo hands the description to rustc in an environment variable, which cannot hold a NUL:
    // it is prose, so every hidden character is written out.
    let description = format!(
        "Evaluator for the scoring policy \"{}\" {}, generated by Rubric",
        visible(&policy.identity.name),
        visible(&policy.identity.version)
    );

    let mut cargo = String::new();
    writeln!(
        cargo,
        "# Generated by `rubric build --target rust`. Do not edit: change the policy and generate again.\n\
         [package]\nname = {}\nversion = {}\nedition = \"2021\"\ndescription = {}\npublish = false\n\n\
         [lib]\ndoctest = false\n\n[dependencies]",
        toml_str(&name),
        toml_str(&version),
        toml_str(&description)
    )
    .ok();
    for (dependency, features) in DEPENDENCIES {
        let v = versions.get(dependency).cloned().unwrap_or_default();
        writeln!(cargo, "{dependency} = {{ version = \"{v}\"{features} }}").ok();
    }
    cargo.push_str("\n[profile.release]\ncodegen-units = 1\nlto = true\n");

    let mut lock = String::from(
        "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n",
    );
    let mut all: Vec<(String, String, String)> = entries
        .iter()
        .map(|e| (e.name.clone(), e.version.clone(), e.text.clone()))
        .collect();
    let mut own = format!(
        "[[package]]\nname = {}\nversion = {}\ndependencies = [\n",
        toml_str(&name),
        toml_str(&version)
    );
    for (dependency, _) in DEPENDENCIES {
        writeln!(own, " {},", toml_str(dependency)).ok();
    }
    own.push(']');
    all.push((name.clone(), version.clone(), own));
    all.sort();
    for (_, _, text) in all {
        lock.push('\n');
        lock.push_str(&text);
        lock.push('\n');
    }

    let readme = readme(g, &name);
    let mut files = vec![
        File {
            path: "Cargo.toml".into(),
            contents: cargo,
        },
        File {
            path: "Cargo.lock".into(),
            contents: lock,
        },
        File {
            path: "README.md".into(),
            contents: readme,
        },
        File {
            path: "src/lib.rs".into(),
            contents: lib_rs(g)?,
        },
        File {
            path: "src/main.rs".into(),
            contents: main_rs(g, &name, &lib_name),
        },
        File {
            path: "src/input.rs".into(),
            contents: super::records::input_rs(g)?,
        },
        File {
            path: "src/rules.rs".into(),
            contents: g.rules_rs()?,
        },
        File {
            path: "src/output.rs".into(),
            contents: g.output_rs()?,
        },
    ];
    for (file, contents) in RUNTIME {
        files.push(File {
            path: format!("src/runtime/{file}"),
            contents: (*contents).to_string(),
        });
    }
    Ok(GeneratedCrate { name, files })
}

fn readme(g: &Gen<'_>, name: &str) -> String {
    let policy = g.policy;
    let source = g
        .options
        .source_name
        .as_ref()
        .map_or(String::new(), |s| format!(" from {}", markdown_code(s)));
    format!(
        "# {}\n\nThe evaluator of the scoring policy \"{}\" {}{source}, generated by \
         `rubric build --target rust`.\nDo not edit: change the policy and generate the crate again.\n\n\
         ```sh\ncargo build --release\n./target/release/{name} records.jsonl > decisions.jsonl\n\
         ./target/release/{name} --help\n```\n\nThe binary has the command-line contract of \
         `rubric eval` (JSONL or CSV in and out, rejected records\non stderr or in `--errors FILE`, \
         a summary on stderr, exit codes 0/1/2) and writes the same decisions,\nbyte for byte. \
         Params are compiled in: `--set` is not available; generate the crate again with\n\
         `rubric build --set NAME=VALUE` instead. The library decides one typed `Input` with \
         `evaluate`.\n",
        markdown(name),
        markdown(&policy.identity.name),
        markdown(&policy.identity.version)
    )
}

fn lib_rs(g: &Gen<'_>) -> Result<String, CodegenError> {
    let policy = g.policy;
    let mut docs = vec![format!(
        "# {} {}",
        markdown(&policy.identity.name),
        markdown(&policy.identity.version)
    )];
    if !policy.docs.is_empty() {
        docs.push(String::new());
        docs.extend(markdown_lines(&policy.docs));
    }
    docs.push(String::new());
    let source = g
        .options
        .source_name
        .as_ref()
        .map_or(String::new(), |s| format!(" from {}", markdown_code(s)));
    let effective = policy
        .identity
        .effective
        .map_or(String::new(), |d| format!(", effective {d}"));
    docs.push(format!(
        "The evaluator of this policy{source}{effective}, generated by `rubric build --target rust`."
    ));
    docs.push(
        "Do not edit: change the policy and generate the crate again. It decides exactly as \
         `rubric eval`:"
            .to_string(),
    );
    docs.push(
        "the same decisions, errors and summary, byte for byte, in exact decimal arithmetic."
            .to_string(),
    );
    docs.push(String::new());
    docs.push("- [`evaluate`] decides one typed [`Input`] into a [`Decision`];".to_string());
    docs.push(
        "- [`runtime::stream::run`] with [`Policy`] scores a batch of JSONL or CSV records;"
            .to_string(),
    );
    docs.push(
        "- the binary has the command-line contract of `rubric eval` (`--help`).".to_string(),
    );
    let mut out = doc(&docs, true, "");
    out.push_str(
        "\n#![forbid(unsafe_code)]\n// The policy's texts are plain text: a URL in one is shown as written, not made a link.\n\
         #![allow(rustdoc::bare_urls)]\n\nmod input;\nmod output;\nmod rules;\npub mod runtime;\n\n",
    );
    let mut input_uses = vec!["Input".to_string(), "INPUT_NAMES".to_string()];
    input_uses.extend(
        g.idents
            .enum_types
            .iter()
            .filter(|t| !t.is_empty())
            .cloned(),
    );
    input_uses.sort();
    writeln!(out, "pub use input::{{{}}};", input_uses.join(", ")).ok();
    out.push_str(
        "pub use output::{CONSEQUENCE_NAMES, LET_NAMES, RULE_NAMES, TIER_NAMES};\n\
         pub use rules::{evaluate_into, Lets};\npub use runtime::{EvalError, Problem, RecordError};\n\n",
    );
    writeln!(
        out,
        "/// The policy's name.\npub const NAME: &str = {};\n/// The policy's version.\npub const VERSION: &str = {};\n\
         /// SHA-256 of the policy's source text, in hex.\npub const HASH: &str = {};",
        str_lit(&policy.identity.name),
        str_lit(&policy.identity.version),
        str_lit(&policy.identity.content_hash)
    )
    .ok();
    out.push_str(
        "\n/// The outcome for one record: score, tier, fired rules with their points, reasons, \
         consequences,\n/// and the derived values.\npub type Decision = runtime::Decision<Lets>;\n\n\
         /// This policy as an evaluator of the shared runtime: batches (`runtime::stream::run`) \
         and the\n/// command line (`runtime::cli::main`).\n\
         #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]\npub struct Policy;\n\n\
         impl runtime::Engine for Policy {\n    fn evaluate(\n        &self,\n        input: &Input,\n        \
         decision: &mut Decision,\n        needs: runtime::Needs,\n    ) -> Result<(), EvalError> {\n        \
         evaluate_into(input, decision, needs)\n    }\n}\n\n",
    );
    out.push_str(
        "/// Decides one record. A value outside its declared range, an overflow or a division by \
         zero is a\n/// [`RecordError`] naming the field, derived value, rule or consequence \
         (`record` and `line` are 0\n/// outside a batch).\npub fn evaluate(input: &Input) -> \
         Result<Decision, RecordError> {\n    let at = runtime::Position { record: 0, line: 0 };\n    \
         input.validate().map_err(|(field, (problem, message))| {\n        \
         RecordError::new(at, None, Some(field.to_string()), problem, message)\n    })?;\n    \
         let mut decision = Decision::default();\n    evaluate_into(input, &mut decision, runtime::Needs::ALL).map_err(|e| {\n        \
         let name = match e.site {\n            runtime::Site::Let(i) => LET_NAMES.get(i),\n            \
         runtime::Site::Rule(i) => RULE_NAMES.get(i),\n            \
         runtime::Site::Consequence(i) => CONSEQUENCE_NAMES.get(i),\n        };\n        \
         RecordError::computing(e.kind, e.site, name.copied().unwrap_or_default(), at, None)\n    })?;\n    \
         Ok(decision)\n}\n",
    );
    if !policy.params.is_empty() {
        out.push_str(
            "\n/// The policy's params, with the values compiled into this evaluator (the rules use \
             them as\n/// constants; generate again with `rubric build --set NAME=VALUE` to \
             change one).\npub mod params {\n    use rust_decimal::Decimal;\n",
        );
        let names: Vec<&str> = policy.params.iter().map(|p| p.name.as_str()).collect();
        let idents = super::names::Namespace::new(&[]).assign(&names, "", super::names::screaming);
        for (param, ident) in policy.params.iter().zip(idents) {
            let mut docs = vec![markdown_code(&param.name)];
            if !param.docs.is_empty() {
                docs.push(String::new());
                docs.extend(markdown_lines(&param.docs));
            }
            if let Some(unit) = &param.unit {
                docs.push(String::new());
                docs.push(format!("Unit: {}.", markdown(unit)));
            }
            out.push('\n');
            out.push_str(&doc(&docs, false, "    "));
            writeln!(
                out,
                "    pub const {ident}: Decimal = {};",
                super::records::dec_const(param.value)
            )
            .ok();
        }
        out.push_str("}\n");
    }
    Ok(out)
}

fn main_rs(g: &Gen<'_>, name: &str, lib_name: &str) -> String {
    let policy = g.policy;
    // The help text shows hidden characters written out, as everywhere a reader sees the name.
    let about = format!(
        "Scores records with the policy \"{}\" {} (generated by Rubric).",
        visible(&policy.identity.name),
        visible(&policy.identity.version)
    );
    let mut out = doc(
        &[
            format!(
                "{}: scores records with the policy \"{}\" {}, with the command-line contract of",
                markdown_code(name),
                markdown(&policy.identity.name),
                markdown(&policy.identity.version)
            ),
            "`rubric eval` (see `--help`).".to_string(),
        ],
        true,
        "",
    );
    writeln!(
        out,
        "\nuse std::process::ExitCode;\n\nfn main() -> ExitCode {{\n    {lib_name}::runtime::cli::main(&{lib_name}::Policy, {}, {})\n}}",
        str_lit(name),
        str_lit(&about)
    )
    .ok();
    out
}

/// Formats the generated sources with `rustfmt` (edition 2021), as `cargo fmt` would. The
/// runtime's files are formatted already.
pub fn rustfmt(krate: &mut GeneratedCrate) -> Result<(), String> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let program = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".to_string());
    for file in &mut krate.files {
        if !file.path.ends_with(".rs") || file.path.starts_with("src/runtime/") {
            continue;
        }
        let mut child = Command::new(&program)
            .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {program}: {e}"))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(file.contents.as_bytes())
                .map_err(|e| format!("cannot run {program}: {e}"))?;
        }
        let output = child
            .wait_with_output()
            .map_err(|e| format!("cannot run {program}: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "{program} failed on {}: {}",
                file.path,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        file.contents = String::from_utf8(output.stdout)
            .map_err(|_| format!("{program} wrote something that is not UTF-8"))?;
    }
    Ok(())
}
