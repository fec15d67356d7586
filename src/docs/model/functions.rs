//! The functions section: each function's definition in words, once, with what each argument
//! takes and where it is called (the rules and values that call it phrase the call by name).

use super::{docs_text, section, used_in, Block, Builder, Section, Table, Text};
use crate::check::Resolved;

impl Builder<'_, '_, '_> {
    pub(super) fn functions(&self) -> Section {
        let mut s = section("functions", "Functions", 2);
        s.blocks.push(Block::Para(Text::plain(
            "A function is a formula with a name, written once and used by name where the policy calls it; a call means the formula with the call's values in place of the arguments.",
        )));
        let rows = (0..self.model.functions.len())
            .filter_map(|i| {
                let f = self.model.functions.get(i)?;
                let used = self.users(|r| r == Resolved::Function(i));
                Some(vec![
                    Text::code(f.decl.name.node.clone()),
                    Text::plain(self.p.function_sentence(i)),
                    Text::plain(self.p.function_arguments(i).join("; ")),
                    docs_text(&f.decl.docs),
                    used_in(&used),
                ])
            })
            .collect();
        s.blocks.push(Block::Table(Table {
            caption: "Functions".into(),
            head: vec![
                "Name".into(),
                "Definition".into(),
                "Arguments".into(),
                "Description".into(),
                "Used in".into(),
            ],
            rows,
        }));
        s
    }
}
