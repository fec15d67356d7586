//! The decision tables: for each, what it decides from what, its hit policy in words, its inputs
//! and outputs, and its rows as a table a reviewer can apply by hand.

use super::*;
use crate::syntax::ast::TableItem;

impl Builder<'_, '_, '_> {
    pub(super) fn tables(&self) -> Vec<Section> {
        if self.model.tables.is_empty() {
            return Vec::new();
        }
        let mut head = section("tables", "Decision tables", 2);
        head.blocks.push(Block::Para(Text::plain(
            "Each table decides one or more outcomes from the values of a case. A decision lists, for every table, its outcome and the rows that decided it.",
        )));
        let mut out = vec![head];
        for (index, table) in self.model.tables.iter().enumerate() {
            let decl = table.decl;
            let title = decl
                .title
                .as_ref()
                .map_or_else(|| humanise(&decl.name.node), |t| t.node.clone());
            let mut s = section(format!("table-{}", decl.name.node), title.clone(), 3);
            s.blocks
                .push(Block::Para(Text::strong(self.p.table_sentence(index))));
            if !decl.docs.is_empty() {
                s.blocks.push(Block::Quote(decl.docs.clone()));
            }
            let outputs: Vec<String> = table
                .outputs
                .iter()
                .filter_map(|o| self.model.outputs.get(*o))
                .map(|o| o.decl.name.node.clone())
                .collect();
            let users: Vec<String> = {
                let mut all = BTreeSet::new();
                for o in &table.outputs {
                    all.extend(self.users(|r| r == Resolved::Output(*o)));
                }
                all.into_iter().collect()
            };
            s.blocks.push(Block::Facts(vec![
                ("Name".into(), Text::code(decl.name.node.clone())),
                ("Hit policy".into(), Text::plain(self.p.hit_words(index))),
                ("Outputs".into(), Text::code(outputs.join(", "))),
                ("Used in".into(), used_in(&users)),
            ]));
            let mut head: Vec<String> = vec!["Row".into()];
            head.extend(
                table
                    .inputs
                    .iter()
                    .map(|i| phrase::capitalise(&humanise(&i.name))),
            );
            head.extend(
                table
                    .outputs
                    .iter()
                    .filter_map(|o| self.model.outputs.get(*o))
                    .map(|o| phrase::capitalise(&humanise(&o.decl.name.node))),
            );
            let mut rows = Vec::new();
            let mut n = 0;
            for item in &decl.items {
                let TableItem::Row(row) = &item.node else {
                    continue;
                };
                n += 1;
                let mut cells = vec![Text::plain(n.to_string())];
                cells.extend(
                    self.p
                        .row_cells(index, row)
                        .into_iter()
                        .map(|c| Text::plain(phrase::capitalise(&c))),
                );
                cells.extend(row.outputs.iter().map(|v| Text::plain(self.p.row_value(v))));
                rows.push(cells);
            }
            s.blocks.push(Block::Table(Table {
                caption: format!("{title}: rows"),
                head,
                rows,
            }));
            out.push(s);
        }
        out
    }
}
