//! The SQL backend: an [`ir::Policy`](crate::ir::Policy) → one SQL query (a plain `SELECT` or a
//! `CREATE VIEW`) for PostgreSQL, DuckDB or Spark SQL that reads a table with one column per
//! indicator and gives, for every row, the decision `rubric eval` gives for that record, or the
//! error it would reject the record with. Its `decision` column is the JSON line `rubric eval`
//! writes, byte for byte (without the line break).
//!
//! | file | job |
//! |---|---|
//! | `dialect.rs` | quoting, type names, the operations each engine spells its own way |
//! | `bounds.rs` | the static scale and magnitude of every number |
//! | `numeric.rs` | exact `+ - * /`, rounding, overflow checks |
//! | `program.rs` | the query as layers of named columns (`WITH` … `SELECT *, …`) |
//! | `exprs.rs` | expressions, with unknowns and the errors they raise |
//! | `record.rs` | the input table: validation, missing values, the `CREATE TABLE` |
//! | `rules.rs` | rules, groups that count one rule, the score, tiers, reasons |
//! | `tables.rs` | decision tables |
//! | `consequences.rs` | consequences and their computed durations |
//! | `output.rs` | the `decision` JSON text, the column form, the final `SELECT` |

mod bounds;
mod consequences;
mod dialect;
mod exprs;
mod numeric;
mod output;
mod program;
mod record;
mod rules;
mod tables;

pub use super::CodegenError;
pub use dialect::Dialect;
pub use record::input_ddl;

use crate::ir::{Policy, Step};
use program::{Program, Sql, Val};

type R<T> = Result<T, CodegenError>;

/// What the query returns for each input row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `record`, `id`, `error`, `field`, `message`, `decision` (the JSON text).
    Json,
    /// `record`, `id`, `error`, `field`, `message`, then the decision's fields, one column each.
    Columns,
}

/// How to generate the query.
#[derive(Clone, Debug)]
pub struct Options {
    pub dialect: Dialect,
    /// The input table, as the engine names it (quoted per part, `schema.table`).
    pub table: String,
    /// `CREATE VIEW name AS …` instead of a plain `SELECT … ORDER BY record`.
    pub view: Option<String>,
    pub form: Form,
    /// The decimals a decimal indicator's column holds in DuckDB and Spark (their `DECIMAL`
    /// has one scale per column); PostgreSQL's `NUMERIC` holds any.
    pub input_decimals: u32,
    /// The policy's file name, for the header comment.
    pub source_name: Option<String>,
}

impl Options {
    pub fn new(dialect: Dialect) -> Options {
        Options {
            dialect,
            table: "input".to_string(),
            view: None,
            form: Form::Json,
            input_decimals: 6,
            source_name: None,
        }
    }
}

/// What can stop a computation for a record, in the order the interpreter computes.
struct Site {
    /// `derived value`, `rule`, `consequence`: as the error message says it.
    what: &'static str,
    name: String,
    /// A text: the error kind, `NULL` if none.
    err: Sql,
}

/// The generator's state: the program so far and the column of everything computed.
pub(crate) struct Gen<'p> {
    policy: &'p Policy,
    options: &'p Options,
    p: Program,
    /// Each indicator's value once validated, missing values applied.
    inputs: Vec<Val>,
    lets: Vec<Option<Val>>,
    outputs: Vec<Option<Val>>,
    /// After the rules: the score, tier and what each rule did.
    outcome: Option<rules::Outcome>,
    /// Whether each consequence applies, once decided.
    applied: Vec<Option<Sql>>,
    sites: Vec<Site>,
}

/// The query for `policy`.
pub fn generate(policy: &Policy, options: &Options) -> R<String> {
    record::check_columns(policy)?;
    let mut g = Gen {
        policy,
        options,
        p: Program::new(options.dialect),
        inputs: Vec::new(),
        lets: vec![None; policy.lets.len()],
        outputs: vec![None; policy.outputs.len()],
        outcome: None,
        applied: vec![None; policy.consequences.len()],
        sites: Vec::new(),
    };
    let source = g.record()?;
    let mut tables = vec![None; policy.tables.len()];
    g.steps(&policy.steps, &mut tables)?;
    let rules = g.rules()?;
    g.steps(&policy.after_rules, &mut tables)?;
    let consequences = g.consequences()?;
    let tables: Vec<tables::Decided> = tables.into_iter().flatten().collect();
    if tables.len() != policy.tables.len() {
        return Err(CodegenError::Internal("a table is never decided".into()));
    }
    output::query(&mut g, &source, &rules, &tables, &consequences)
}

impl Gen<'_> {
    /// Computes derived values and decides tables, in order.
    fn steps(&mut self, steps: &[Step], tables: &mut [Option<tables::Decided>]) -> R<()> {
        for step in steps {
            match *step {
                Step::Let(index) => {
                    let Some(l) = self.policy.lets.get(index) else {
                        continue;
                    };
                    let low = self.expr(&l.value)?;
                    let mut docs = vec![format!("derived value `{}`", l.name)];
                    docs.extend(l.docs.iter().cloned());
                    let column = self.p.bind(&low.val.sql, &l.name, Some(docs.join("\n")));
                    if let Some(err) = low.err {
                        self.site("derived value", &l.name, err);
                    }
                    if let Some(slot) = self.lets.get_mut(index) {
                        *slot = Some(Val {
                            sql: column,
                            ty: low.val.ty,
                        });
                    }
                }
                Step::Table(index) => {
                    let decided = self.table(index)?;
                    if let Some(slot) = tables.get_mut(index) {
                        *slot = Some(decided);
                    }
                }
            }
        }
        Ok(())
    }

    /// Records a place where the record's computation can fail.
    fn site(&mut self, what: &'static str, name: &str, err: Sql) {
        let err = self.p.share(&err, &format!("fails {name}"));
        self.sites.push(Site {
            what,
            name: name.to_string(),
            err,
        });
    }
}
