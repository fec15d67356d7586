//! Which members a decision carries (`--fields id,score,tier,consequences`), and what an evaluator
//! may therefore leave undone ([`Needs`]).
//!
//! A chosen member is written exactly as in the full decision, and members keep the full
//! decision's order whatever the order of the list, so a compact decision is the full one with
//! members left out.

use super::stream::Format;

/// A member of the JSON decision, in the order decisions write them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    Record,
    Id,
    Policy,
    Score,
    Tier,
    /// `clamped`, and `unclamped_score` when it was.
    Clamped,
    Outcomes,
    Rules,
    NotCounted,
    Unknown,
    Reasons,
    Consequences,
    InvalidAsMissing,
}

impl Member {
    /// Every member, in the order decisions write them.
    pub const ALL: [Member; 13] = [
        Member::Record,
        Member::Id,
        Member::Policy,
        Member::Score,
        Member::Tier,
        Member::Clamped,
        Member::Outcomes,
        Member::Rules,
        Member::NotCounted,
        Member::Unknown,
        Member::Reasons,
        Member::Consequences,
        Member::InvalidAsMissing,
    ];

    /// The member's name in a decision and in `--fields`.
    pub fn name(self) -> &'static str {
        match self {
            Member::Record => "record",
            Member::Id => "id",
            Member::Policy => "policy",
            Member::Score => "score",
            Member::Tier => "tier",
            Member::Clamped => "clamped",
            Member::Outcomes => "outcomes",
            Member::Rules => "rules",
            Member::NotCounted => "not_counted",
            Member::Unknown => "unknown",
            Member::Reasons => "reasons",
            Member::Consequences => "consequences",
            Member::InvalidAsMissing => "invalid_as_missing",
        }
    }

    /// Whether the CSV form has this member (`policy` is its three columns `policy`, `version`
    /// and `hash`).
    pub fn in_csv(self) -> bool {
        matches!(
            self,
            Member::Record
                | Member::Id
                | Member::Policy
                | Member::Score
                | Member::Tier
                | Member::Clamped
                | Member::Consequences
                | Member::Reasons
                | Member::Rules
        )
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection(u16);

impl Default for Selection {
    fn default() -> Self {
        Selection::ALL
    }
}

impl Selection {
    /// The full decision.
    pub const ALL: Selection = Selection((1 << Member::ALL.len()) - 1);

    /// Reads a comma-separated list of member names (`id,score,tier`) for a decision in
    /// `format`. The error is a message for the user.
    pub fn parse(list: &str, format: Format) -> Result<Selection, String> {
        let mut bits = 0;
        for name in list.split(',').map(str::trim) {
            if name.is_empty() {
                continue;
            }
            let Some(member) = Member::ALL.iter().find(|m| m.name() == name) else {
                return Err(format!(
                    "`{name}` is not a member of a decision; --fields takes a comma-separated \
                     list of: {}",
                    names(|_| true)
                ));
            };
            if format == Format::Csv && !member.in_csv() {
                return Err(format!(
                    "the CSV form has no `{name}`; with CSV output --fields takes a \
                     comma-separated list of: {}",
                    names(Member::in_csv)
                ));
            }
            bits |= member.bit();
        }
        if bits == 0 {
            return Err("--fields needs at least one member, such as `id,score,tier`".into());
        }
        Ok(Selection(bits))
    }

    pub fn has(self, member: Member) -> bool {
        self.0 & member.bit() != 0
    }

    pub fn is_all(self) -> bool {
        self == Selection::ALL
    }

    /// What decisions of this selection need computed.
    pub fn needs(self) -> Needs {
        Needs {
            reasons: self.has(Member::Reasons),
        }
    }
}

/// The member names that pass `keep`, comma-separated.
fn names(keep: fn(Member) -> bool) -> String {
    let kept: Vec<&str> = Member::ALL
        .iter()
        .filter(|m| keep(**m))
        .map(|m| m.name())
        .collect();
    kept.join(",")
}

/// What a run writes of each decision, so an evaluator can skip work nobody reads. The score,
/// tier, rules that fired and consequences are always decided (the summary counts them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Needs {
    /// The reasons, ranked worst first.
    pub reasons: bool,
}

impl Needs {
    /// Everything: a decision in memory that anything may read.
    pub const ALL: Needs = Needs { reasons: true };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_selects_its_members_in_any_order() {
        let s = Selection::parse("tier, id,score", Format::Jsonl).unwrap_or_default();
        assert!(s.has(Member::Id) && s.has(Member::Score) && s.has(Member::Tier));
        assert!(!s.has(Member::Record) && !s.has(Member::Reasons));
        assert!(!s.needs().reasons);
        assert!(Selection::ALL.needs().reasons);
        assert!(Selection::ALL.is_all());
        assert_eq!(Selection::ALL.needs(), Needs::ALL);
    }

    #[test]
    fn unknown_members_empty_lists_and_members_csv_lacks_are_refused() {
        let err = Selection::parse("id,scores", Format::Jsonl).unwrap_err();
        assert!(err.contains("`scores` is not a member"), "{err}");
        assert!(err.contains("record,id,policy,score"), "{err}");
        assert!(Selection::parse(" , ", Format::Jsonl).is_err());
        let err = Selection::parse("id,outcomes", Format::Csv).unwrap_err();
        assert!(err.contains("the CSV form has no `outcomes`"), "{err}");
        assert!(Selection::parse("id,outcomes", Format::Jsonl).is_ok());
    }
}
