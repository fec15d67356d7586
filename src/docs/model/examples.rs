//! The worked examples: each of the policy's tests run with the interpreter, shown as its inputs,
//! each rule's contribution, the score, tier and consequences, and the decision in words.

use super::*;

impl Builder<'_, '_, '_> {
    pub(super) fn examples(&self) -> Vec<Section> {
        let mut head = section("examples", "Worked examples", 2);
        if self.policy.tests.is_empty() {
            head.blocks.push(Block::Para(Text::plain(
                "This policy has no tests, so there are no worked examples.",
            )));
            return vec![head];
        }
        head.blocks.push(Block::Para(Text::plain(
            "These examples are the policy's own tests: `rubric test` checks that the policy gives exactly these results.",
        )));
        let mut out = vec![head];
        let (reports, _) = eval::run_tests(self.policy);
        for (n, (test, report)) in self.policy.tests.iter().zip(&reports).enumerate() {
            let mut s = section(format!("example-{}", n + 1), test.name.clone(), 3);
            let docs = self
                .model
                .tests
                .iter()
                .find(|t| t.name.node == test.name)
                .map(|t| t.docs.clone())
                .unwrap_or_default();
            if !docs.is_empty() {
                s.blocks.push(Block::Quote(docs));
            }
            s.blocks.push(Block::Table(self.example_inputs(test)));
            match (&report.decision, &report.error) {
                (Some(d), _) => self.example_decision(&mut s, d),
                (None, Some(e)) => s.blocks.push(Block::Notice(Text::plain(format!(
                    "This example cannot be decided: {e}."
                )))),
                (None, None) => {}
            }
            if !report.failures.is_empty() {
                let what: Vec<String> = report
                    .failures
                    .iter()
                    .map(|f| format!("{}: expected {}, got {}", f.what, f.expected, f.actual))
                    .collect();
                s.blocks.push(Block::Notice(Text::plain(format!(
                    "This example does not give what its test expects: {}.",
                    what.join("; ")
                ))));
            }
            out.push(s);
        }
        out
    }

    pub(super) fn example_inputs(&self, test: &ir::Test) -> Table {
        let rows = self
            .policy
            .inputs
            .iter()
            .enumerate()
            .map(|(i, input)| {
                let given = test.given.iter().find(|(g, _)| *g == i);
                let (value, note) = match given {
                    Some((_, v)) => (
                        eval::literal(self.policy, i, v.as_ref()),
                        if v.is_none() {
                            "given as missing"
                        } else {
                            "given"
                        }
                        .to_string(),
                    ),
                    None => match &input.missing {
                        ir::Missing::Default(v) => (
                            eval::literal(self.policy, i, Some(v)),
                            "not given: its missing-value rule applies".to_string(),
                        ),
                        ir::Missing::Unknown => {
                            ("not known".to_string(), "not given: unknown".to_string())
                        }
                        ir::Missing::Required => {
                            ("missing".to_string(), "required but not given".to_string())
                        }
                    },
                };
                let value = match (&input.unit, value.parse::<Decimal>()) {
                    (Some(u), Ok(n)) => phrase::count_of(n, u),
                    _ => value,
                };
                let note = if input.protected {
                    format!("{note}; protected, never affects the decision")
                } else {
                    note
                };
                vec![
                    Text::code(input.name.clone()),
                    Text::plain(value),
                    Text::plain(note),
                ]
            })
            .collect();
        Table {
            caption: format!("Facts of “{}”", test.name),
            head: vec!["Indicator".into(), "Value".into(), "Note".into()],
            rows,
        }
    }

    pub(super) fn example_decision(&self, s: &mut Section, d: &Decision) {
        let rule_name = |i: usize| self.policy.rules.get(i).map(|r| r.name.clone());
        let model_rule = |name: &str| match self.model.lookup(name) {
            Some(Symbol::Rule(i)) => Some(i),
            _ => None,
        };
        let mut rows: Vec<Vec<Text>> = d
            .fired
            .iter()
            .filter_map(|f| {
                let name = rule_name(f.rule)?;
                let title = model_rule(&name).map_or_else(|| name.clone(), |i| self.rule_title(i));
                Some(vec![
                    Text::plain(title),
                    Text::plain(signed_points(f.points)),
                ])
            })
            .collect();
        let start = self.model.header.start;
        rows.insert(
            0,
            vec![Text::plain("Starting score"), Text::plain(points(start))],
        );
        rows.push(vec![
            Text::strong("Score"),
            Text::strong(if d.clamped() {
                format!(
                    "{} (the total of {} is kept on the scale)",
                    points(d.score),
                    number(d.unclamped)
                )
            } else {
                points(d.score)
            }),
        ]);
        s.blocks.push(Block::Table(Table {
            caption: "Each rule's contribution".into(),
            head: vec!["Rule".into(), "Points".into()],
            rows,
        }));
        let tier = d
            .tier
            .and_then(|t| self.policy.tiers.get(t))
            .map(|t| t.name.clone());
        let tier_text = match tier.as_deref().and_then(|t| self.model.lookup(t)) {
            Some(Symbol::Tier(i)) => self.p.tier_label(i),
            _ => "no tier".to_string(),
        };
        let consequences: Vec<String> = d
            .consequences
            .iter()
            .filter_map(|c| self.policy.consequences.get(*c))
            .map(|c| match &c.title {
                Some(t) => format!("{t} ({})", c.kind.word()),
                None => format!("{} ({})", humanise(&c.name), c.kind.word()),
            })
            .collect();
        s.blocks.push(Block::Facts(vec![
            ("Score".into(), Text::plain(points(d.score))),
            ("Tier".into(), Text::plain(tier_text)),
            (
                "Consequences".into(),
                Text::plain(if consequences.is_empty() {
                    "none".to_string()
                } else {
                    consequences.join("; ")
                }),
            ),
        ]));
        s.blocks.push(Block::Para(Text::plain("In words:")));
        s.blocks.push(Block::List(
            phrase::Explainer::new(self.p)
                .explain(d)
                .into_iter()
                .map(Text::plain)
                .collect(),
        ));
    }
}
