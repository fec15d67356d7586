//! The consequences: an overview table, and a section per consequence with its trigger and due
//! process (kind, duration, notice, appeal, basis).

use super::*;

impl Builder<'_, '_, '_> {
    pub(super) fn consequence_facts(&self, index: usize) -> Vec<(String, Text)> {
        let Some(c) = self.model.consequences.get(index) else {
            return Vec::new();
        };
        let mut notice = None;
        let mut appeal = None;
        let mut basis = None;
        for item in &c.decl.items {
            match &item.node {
                ConsequenceItem::Notice(d) => notice = Some(d.to_string()),
                ConsequenceItem::NoticeComputed(l) => notice = Some(self.p.length(l)),
                ConsequenceItem::Appeal(t) => appeal = Some(t.node.clone()),
                ConsequenceItem::Basis(t) => basis = Some(t.node.clone()),
                _ => {}
            }
        }
        let kind = self
            .policy
            .consequences
            .iter()
            .find(|x| x.name == c.decl.name.node)
            .map_or("consequence", |x| x.kind.word());
        vec![
            ("Kind".into(), Text::plain(kind)),
            (
                "Applies when".into(),
                Text::plain(phrase::capitalise(&self.p.trigger(index))),
            ),
            (
                "Lasts".into(),
                or_dash(self.p.lasts(index).or_else(|| Some("not written".into()))),
            ),
            ("Notice".into(), or_dash(notice.or(Some("none".into())))),
            (
                "Appeal".into(),
                or_dash(appeal.or_else(|| Some("none written".into()))),
            ),
            (
                "Basis".into(),
                or_dash(basis.or_else(|| Some("none written".into()))),
            ),
        ]
    }

    pub(super) fn consequence_title(&self, index: usize) -> String {
        self.model
            .consequences
            .get(index)
            .map(|c| match &c.decl.title {
                Some(t) => t.node.clone(),
                None => phrase::capitalise(&humanise(&c.decl.name.node)),
            })
            .unwrap_or_default()
    }

    pub(super) fn consequences_overview(&self) -> Section {
        let mut s = section("consequences", "Consequences", 2);
        if self.model.consequences.is_empty() {
            s.blocks
                .push(Block::Para(Text::plain("This policy has no consequences.")));
            return s;
        }
        s.blocks.push(Block::Para(Text::plain(
            "What follows from a tier, the score or a rule, with the due process of each.",
        )));
        let rows = (0..self.model.consequences.len())
            .map(|i| {
                let mut row = vec![Text::plain(self.consequence_title(i))];
                row.extend(self.consequence_facts(i).into_iter().map(|(_, t)| t));
                row
            })
            .collect();
        s.blocks.push(Block::Table(Table {
            caption: "Consequences and their due process".into(),
            head: vec![
                "Consequence".into(),
                "Kind".into(),
                "Applies when".into(),
                "Lasts".into(),
                "Notice".into(),
                "Appeal".into(),
                "Basis".into(),
            ],
            rows,
        }));
        s
    }

    pub(super) fn consequences(&self) -> Vec<Section> {
        self.model
            .consequences
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut s = section(
                    format!("consequence-{}", c.decl.name.node),
                    self.consequence_title(i),
                    3,
                );
                s.blocks
                    .push(Block::Para(Text::strong(self.p.consequence_sentence(i))));
                if !c.decl.docs.is_empty() {
                    s.blocks.push(Block::Quote(c.decl.docs.clone()));
                }
                let mut facts = vec![("Name".to_string(), Text::code(c.decl.name.node.clone()))];
                facts.extend(self.consequence_facts(i));
                s.blocks.push(Block::Facts(facts));
                s
            })
            .collect()
    }
}
