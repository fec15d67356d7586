//! The checker's warnings the drafters set aside (`allow CODE because "…"`), with their reasons
//! and what each silenced.

use super::*;

impl Builder<'_, '_, '_> {
    pub(super) fn suppressions(&self) -> Section {
        let mut s = section("suppressions", "Checker warnings set aside", 2);
        if self.model.suppressions.is_empty() {
            s.blocks.push(Block::Para(Text::plain(
                "The checker raised no warning that the drafters set aside.",
            )));
            return s;
        }
        s.blocks.push(Block::Para(Text::plain(
            "The drafters set these checker warnings aside, each with a written reason.",
        )));
        let rows = self
            .model
            .suppressions
            .iter()
            .map(|sup| {
                let site = match &sup.site {
                    Site::Header => "the policy header".to_string(),
                    Site::Declaration(sym) => self.symbol_label(*sym),
                    Site::Test(name) => format!("test “{name}”"),
                };
                let title = crate::diagnostics::Code::parse(&sup.code)
                    .map_or("unknown code", |c| c.title());
                vec![
                    Text::plain(site),
                    Text::code(sup.code.clone()),
                    Text::plain(title),
                    Text::plain(sup.reason.clone()),
                    Text::plain(sup.suppressed.to_string()),
                ]
            })
            .collect();
        s.blocks.push(Block::Table(Table {
            caption: "Warnings set aside".into(),
            head: vec![
                "Where".into(),
                "Code".into(),
                "Warning".into(),
                "Reason".into(),
                "Warnings silenced".into(),
            ],
            rows,
        }));
        s
    }

    pub(super) fn symbol_label(&self, sym: Symbol) -> String {
        let name = match sym {
            Symbol::Indicator(i) => self.model.indicators.get(i).map(|x| &x.decl.name.node),
            Symbol::Param(i) => self.model.params.get(i).map(|x| &x.decl.name.node),
            Symbol::Let(i) => self.model.lets.get(i).map(|x| &x.decl.name.node),
            Symbol::Rule(i) => self.model.rules.get(i).map(|x| &x.decl.name.node),
            Symbol::Group(i) => self.model.groups.get(i).map(|x| &x.decl.name.node),
            Symbol::Tier(i) => self.model.tiers.get(i).map(|x| &x.decl.name.node),
            Symbol::Consequence(i) => self.model.consequences.get(i).map(|x| &x.decl.name.node),
            Symbol::Table(i) => self.model.tables.get(i).map(|x| &x.decl.name.node),
            Symbol::Output(i) => self.model.outputs.get(i).map(|x| &x.decl.name.node),
            Symbol::Function(i) => self.model.functions.get(i).map(|x| &x.decl.name.node),
        };
        format!("{} {}", sym.kind(), name.cloned().unwrap_or_default())
    }
}
