//! Declarations nothing uses: usually a mistake (a rule was forgotten) or dead weight that
//! reviewers would otherwise have to read.

use super::err::CheckError;
use super::model::Symbol;
use super::Checker;
use crate::diagnostics::Code;

impl Checker<'_> {
    pub(super) fn unused(&mut self) {
        let mut found = Vec::new();
        for (i, info) in self.model.indicators.iter().enumerate() {
            // Protected indicators are carried for audit; not using them is the point.
            if !info.protected && !self.used.contains(&Symbol::Indicator(i)) {
                found.push(
                    CheckError::new(
                        Code::UnusedIndicator,
                        info.decl.name.span,
                        format!("indicator `{}` is never used", info.decl.name.node),
                        "no rule, derived value or consequence uses this",
                    )
                    .with_help("use it in a rule, remove it, or mark it `protected` if it is only carried for audit"),
                );
            }
        }
        for (i, info) in self.model.params.iter().enumerate() {
            if !self.used.contains(&Symbol::Param(i)) {
                found.push(
                    CheckError::new(
                        Code::UnusedParam,
                        info.decl.name.span,
                        format!("param `{}` is never used", info.decl.name.node),
                        "unused",
                    )
                    .with_help("use it where its number is meant, or remove it"),
                );
            }
        }
        for (i, info) in self.model.lets.iter().enumerate() {
            if !self.used.contains(&Symbol::Let(i)) {
                found.push(
                    CheckError::new(
                        Code::UnusedDerived,
                        info.decl.name.span,
                        format!("derived value `{}` is never used", info.decl.name.node),
                        "unused",
                    )
                    .with_help("use it in a rule or consequence, or remove it"),
                );
            }
        }
        for table in &self.model.tables {
            if !table
                .outputs
                .iter()
                .any(|o| self.used.contains(&Symbol::Output(*o)))
            {
                found.push(
                    CheckError::new(
                        Code::UnusedTable,
                        table.decl.name.span,
                        format!(
                            "nothing uses what decision table `{}` decides",
                            table.decl.name.node
                        ),
                        "no rule, value, table or consequence reads its outputs",
                    )
                    .with_help("read one of its outputs in a rule, a derived value, another table or a consequence, or remove it"),
                );
            }
        }
        for (i, info) in self.model.functions.iter().enumerate() {
            if !self.used.contains(&Symbol::Function(i)) {
                found.push(
                    CheckError::new(
                        Code::UnusedFunction,
                        info.decl.name.span,
                        format!("function `{}` is never used", info.decl.name.node),
                        "nothing calls this",
                    )
                    .with_help("call it where its formula is meant, or remove it"),
                );
            }
        }
        self.problems.extend(found);
    }
}
