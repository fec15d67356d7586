//! The Rust backend: an [`ir::Policy`](crate::ir::Policy) → a standalone Cargo crate, with a
//! library (typed `Input`, `evaluate`, the same `Decision` as `rubric eval`) and a binary with the
//! command-line contract of `rubric eval`.
//!
//! What the generated evaluator must do exactly as the interpreter does (reading and validating
//! records, arithmetic helpers, the output forms, the batch driver and the command line) is the
//! shared [`runtime`](crate::runtime), embedded verbatim as `src/runtime/`. What is specific to the
//! policy is generated, specialised: the record's fields matched by name with a `match`, one
//! function per rule with constants folded, the JSON fragments escaped once into byte strings.
//!
//! | file | job | generates |
//! |---|---|---|
//! | `layout.rs` | crate layout, `Cargo.toml`, `Cargo.lock`, `lib.rs`, `main.rs` | the rest |
//! | `names.rs` | identifiers (case, keywords, clashes) | |
//! | `escape.rs` | every policy text into literals, comments, docs, `Cargo.toml` | |
//! | `exprs.rs` | expressions, with the interpreter's unknowns and evaluation order | |
//! | `rules.rs` | derived values, rules, tiers, consequences, `evaluate_into` | `src/rules.rs` |
//! | `records.rs` | the typed record and its reader | `src/input.rs` |
//! | `output.rs` | names and JSON fragments (built by [`ir::json`](crate::ir::json)) | `src/output.rs` |

mod escape;
mod exprs;
mod layout;
mod lengths;
mod names;
mod output;
mod records;
mod rule_fns;
mod rules;
mod tables;

pub use super::CodegenError;
pub use layout::rustfmt;

use crate::ir::{InputKind, Policy};
use exprs::{Idents, Scope};
use names::Namespace;

/// How to generate a crate.
#[derive(Clone, Debug)]
pub struct Options {
    /// The package name (also the binary's); see [`crate_name`].
    pub crate_name: String,
    /// The policy's file name, for the documentation.
    pub source_name: Option<String>,
}

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    /// Relative to the crate's root, with `/` separators.
    pub path: String,
    pub contents: String,
}

/// A generated crate, in memory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedCrate {
    pub name: String,
    /// In a fixed order: `Cargo.toml`, `Cargo.lock`, `README.md`, then the sources.
    pub files: Vec<File>,
}

impl GeneratedCrate {
    /// Every file, with a header line naming it: what snapshots show.
    pub fn concatenated(&self) -> String {
        let mut out = String::new();
        for file in &self.files {
            out.push_str(&format!("=== {} ===\n{}", file.path, file.contents));
            if !file.contents.ends_with('\n') {
                out.push('\n');
            }
        }
        out
    }

    /// Writes the crate under `dir` (created if needed).
    pub fn write(&self, dir: &std::path::Path) -> std::io::Result<()> {
        for file in &self.files {
            let path = dir.join(&file.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, &file.contents)?;
        }
        Ok(())
    }
}

/// A valid package name from a policy's file name: lower case, `-` between words, and a suffix
/// where the name would clash with Rust's own crates or the evaluator's dependencies.
pub fn crate_name(stem: &str) -> String {
    let mut name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while name.contains("--") {
        name = name.replace("--", "-");
    }
    let mut name = name.trim_matches('-').to_string();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name = format!("policy-{name}").trim_end_matches('-').to_string();
    }
    const TAKEN: &[&str] = &[
        "std",
        "core",
        "alloc",
        "test",
        "proc-macro",
        "proc_macro",
        "self",
        "crate",
        "super",
        "rust-decimal",
        "serde",
        "serde-json",
        "csv",
        "itoa",
        "build",
        "runtime",
    ];
    let snake = name.replace('-', "_");
    if TAKEN.contains(&name.as_str()) || names::is_keyword(&snake) {
        name.push_str("-policy");
    }
    name
}

/// Everything the generators share: the policy and the Rust names chosen for it.
pub struct Gen<'p> {
    pub policy: &'p Policy,
    pub idents: Idents,
    rule_fns: Vec<String>,
    let_fns: Vec<String>,
    consequence_fns: Vec<String>,
    table_fns: Vec<String>,
    /// Per consequence with a computed duration or notice: the function computing them.
    length_fns: Vec<String>,
    options: &'p Options,
    /// The enums whose members generated expressions name (for imports).
    pub used_enums: std::cell::RefCell<std::collections::BTreeSet<usize>>,
}

/// Type names the generated crate defines or imports; an enum must not take one.
const TYPES: &[&str] = &[
    "Input",
    "Lets",
    "Decision",
    "Policy",
    "RecordError",
    "EvalError",
    "EvalErrorKind",
    "Problem",
    "Fired",
    "Reason",
    "Outcome",
    "RuleOutcome",
    "Bounds",
    "Kind",
    "FieldError",
    "Fields",
    "Raw",
    "Names",
    "Template",
    "Engine",
    "Position",
    "Site",
    "Decimal",
    "RoundingStrategy",
    "Serialize",
    "Deserialize",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "ToString",
    "ToOwned",
    "From",
    "Into",
    "AsRef",
    "AsMut",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "ExitCode",
    "Cow",
    "NAME",
    "VERSION",
    "HASH",
];

/// Function names the generated `rules.rs` defines besides the per-declaration ones.
const FUNCTIONS: &[&str] = &["round", "tier_of", "derived_values", "evaluate_into"];

impl<'p> Gen<'p> {
    fn new(policy: &'p Policy, options: &'p Options) -> Self {
        let input_names: Vec<&str> = policy.inputs.iter().map(|i| i.name.as_str()).collect();
        let input_fields = Namespace::new(&[]).assign(&input_names, "", names::snake);
        let let_names: Vec<&str> = policy.lets.iter().map(|l| l.name.as_str()).collect();
        // Derived values and table outputs share `Lets`, so they share one namespace.
        let value_names: Vec<&str> = let_names
            .iter()
            .copied()
            .chain(policy.outputs.iter().map(|o| o.name.as_str()))
            .collect();
        let mut let_fields = Namespace::new(&[]).assign(&value_names, "", names::snake);
        let output_fields = let_fields.split_off(let_names.len().min(let_fields.len()));
        let enum_inputs: Vec<usize> = policy
            .inputs
            .iter()
            .enumerate()
            .filter(|(_, i)| matches!(i.kind, InputKind::Enum(_)))
            .map(|(index, _)| index)
            .collect();
        let enum_names: Vec<&str> = enum_inputs
            .iter()
            .filter_map(|&i| policy.inputs.get(i).map(|x| x.name.as_str()))
            .collect();
        let assigned = Namespace::new(TYPES).assign(&enum_names, "", names::camel);
        let mut enum_types = vec![String::new(); policy.inputs.len()];
        let mut variants = vec![Vec::new(); policy.inputs.len()];
        for (&input, ty) in enum_inputs.iter().zip(assigned) {
            if let Some(slot) = enum_types.get_mut(input) {
                *slot = ty;
            }
            if let (Some(slot), Some(InputKind::Enum(members))) = (
                variants.get_mut(input),
                policy.inputs.get(input).map(|i| &i.kind),
            ) {
                let members: Vec<&str> = members.iter().map(String::as_str).collect();
                *slot = Namespace::new(&[]).assign(&members, "", names::camel);
            }
        }
        let mut functions = Namespace::new(FUNCTIONS);
        let rule_names: Vec<&str> = policy.rules.iter().map(|r| r.name.as_str()).collect();
        let rule_fns = functions.assign(&rule_names, "rule_", names::snake);
        let let_fns = functions.assign(&let_names, "let_", names::snake);
        let consequence_names: Vec<&str> = policy
            .consequences
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        let consequence_fns = functions.assign(&consequence_names, "consequence_", names::snake);
        let table_names: Vec<&str> = policy.tables.iter().map(|t| t.name.as_str()).collect();
        let table_fns = functions.assign(&table_names, "table_", names::snake);
        let length_names: Vec<&str> = policy
            .consequences
            .iter()
            .map(|c| {
                if lengths::computed(c) {
                    c.name.as_str()
                } else {
                    ""
                }
            })
            .collect();
        // Only consequences with computed lengths take a name, so other crates keep theirs.
        let length_fns = functions.assign_some(&length_names, "lengths_", names::snake);
        Gen {
            policy,
            idents: Idents {
                input_fields,
                let_fields,
                output_fields,
                enum_types,
                variants,
            },
            rule_fns,
            let_fns,
            consequence_fns,
            table_fns,
            length_fns,
            options,
            used_enums: Default::default(),
        }
    }

    pub fn scope(&self) -> Scope<'_> {
        Scope::new(self.policy, &self.idents, &self.used_enums)
    }

    pub fn input_field(&self, index: usize) -> String {
        self.idents
            .input_fields
            .get(index)
            .cloned()
            .unwrap_or_default()
    }

    pub fn let_field(&self, index: usize) -> String {
        self.idents
            .let_fields
            .get(index)
            .cloned()
            .unwrap_or_default()
    }

    /// The `const` holding an input's declared range.
    pub fn range_const(&self, index: usize) -> String {
        format!("{}_RANGE", self.input_field(index).to_ascii_uppercase())
    }

    pub fn rule_fn_name(&self, index: usize) -> String {
        self.rule_fns.get(index).cloned().unwrap_or_default()
    }

    pub fn let_fn(&self, index: usize) -> String {
        self.let_fns.get(index).cloned().unwrap_or_default()
    }

    pub fn table_fn(&self, index: usize) -> String {
        self.table_fns.get(index).cloned().unwrap_or_default()
    }

    pub fn output_field(&self, index: usize) -> String {
        self.idents
            .output_fields
            .get(index)
            .cloned()
            .unwrap_or_default()
    }

    pub fn consequence_fn(&self, index: usize) -> String {
        self.consequence_fns.get(index).cloned().unwrap_or_default()
    }

    pub fn length_fn(&self, index: usize) -> String {
        self.length_fns.get(index).cloned().unwrap_or_default()
    }
}

/// Generates the crate for `policy`. The files are not formatted yet: see [`rustfmt`].
pub fn generate(policy: &Policy, options: &Options) -> Result<GeneratedCrate, CodegenError> {
    // The package name is written unescaped where Cargo and Rust want a name (the manifest, the
    // library's path in `main.rs`, the README's commands), so it must be one.
    let name = &options.crate_name;
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(CodegenError::Unsupported(format!(
            "`{}` is not a package name: use ASCII letters, digits, `-` and `_`, starting with a letter",
            escape::visible(name)
        )));
    }
    let g = Gen::new(policy, options);
    layout::assemble(&g)
}

#[cfg(test)]
mod tests;
