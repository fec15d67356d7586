//! List members as they are written: a name (`STUDENT`) or a quoted text (`"SELF-EMPLOYED"`).
//!
//! A member is its text, however it is written: `STUDENT` and `"STUDENT"` are the same member, in
//! the declaration and everywhere a member is named. [`Checker::resolve_member`] resolves a written member
//! against a list — an indicator's or a decision table output's — in comparisons, `in` lists,
//! scorecard bins, table rows, missing-value rules and tests, and records the resolution under
//! the span of what was written, so later stages read a quoted member exactly as they read a
//! bare one. A member that is not in the list is E0201, with the closest member.
//!
//! The declaration's members are checked here too: a member must be a text a record can carry
//! and a reader can see (E0109).

use super::err::CheckError;
use super::model::*;
use super::Checker;
use crate::diagnostics::Code;
use crate::span::Span;
use crate::syntax::ast::Literal;
use crate::syntax::print;

/// A member as written: its text, where, and whether it was in quotes.
#[derive(Clone, Copy, Debug)]
pub(super) struct Written<'w> {
    pub text: &'w str,
    pub span: Span,
    pub quoted: bool,
}

impl<'w> Written<'w> {
    /// A literal that can name a member (a name or a quoted text); `None` for numbers and yes/no.
    pub fn of(literal: &'w Literal) -> Option<Self> {
        match literal {
            Literal::Name(n) => Some(Written::name(&n.node, n.span)),
            Literal::Text(t) => Some(Written::text(&t.node, t.span)),
            Literal::Number(_) | Literal::Bool(_) => None,
        }
    }

    pub fn name(text: &'w str, span: Span) -> Self {
        Written {
            text,
            span,
            quoted: false,
        }
    }

    pub fn text(text: &'w str, span: Span) -> Self {
        Written {
            text,
            span,
            quoted: true,
        }
    }

    /// As the drafter wrote it, for messages: `jobseeker`, `"SELF-EMPOLYED"`.
    fn shown(&self) -> String {
        if self.quoted {
            print::quote(self.text)
        } else {
            self.text.to_string()
        }
    }
}

/// A literal looked up as a member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lookup {
    /// The member with this index (the resolution is recorded).
    Found(usize),
    /// A name or text that is not a member; E0201 is reported.
    Reported,
    /// A number or yes/no: not a way to write a member; the caller says what was expected.
    NotWritten,
}

/// A declared list: whose it is, its members, and where they are declared.
struct List<'l> {
    owner: &'l str,
    members: &'l [String],
    declared: Span,
}

impl<'l> List<'l> {
    /// The list of a value of type `list`: an indicator's (`Type::Enum`) or a table output's
    /// (`Type::Outcome`).
    fn of(model: &'l Model<'_>, list: Type) -> Option<Self> {
        let (owner, declared) = match list {
            Type::Enum(i) => {
                let info = model.indicators.get(i)?;
                (info.decl.name.node.as_str(), info.decl.ty.span)
            }
            Type::Outcome(o) => {
                let info = model.outputs.get(o)?;
                (info.decl.name.node.as_str(), info.decl.ty.span)
            }
            _ => return None,
        };
        Some(List {
            owner,
            members: model.members(list)?,
            declared,
        })
    }

    fn of_indicator(info: &'l IndicatorInfo<'_>) -> Self {
        List {
            owner: &info.decl.name.node,
            members: match &info.kind {
                ValueKind::Enum(members) => members,
                _ => &[],
            },
            declared: info.decl.ty.span,
        }
    }
}

impl Checker<'_> {
    /// Resolves `written` as a member of the list of values of type `list` (`Type::Enum` of a
    /// declared indicator, or `Type::Outcome` of a table's output): records the resolution under
    /// its span, or reports E0201 with the closest member. `None` also for a type with no list.
    pub(super) fn resolve_member(&mut self, list: Type, written: Written<'_>) -> Option<usize> {
        let result = List::of(&self.model, list).map(|l| lookup(&l, &written))?;
        self.settle(list, written.span, result)
    }

    /// [`Checker::resolve_member`] for a literal: a bin's value, a table row's, a test's.
    pub(super) fn member_literal(&mut self, list: Type, literal: &Literal) -> Lookup {
        match Written::of(literal) {
            Some(written) => match self.resolve_member(list, written) {
                Some(m) => Lookup::Found(m),
                None => Lookup::Reported,
            },
            None => Lookup::NotWritten,
        }
    }

    /// [`Checker::resolve_member`] for an indicator that may still be being declared (its test values,
    /// its missing-value rule).
    pub(super) fn member_of(
        &mut self,
        indicator: usize,
        info: &IndicatorInfo<'_>,
        written: Written<'_>,
    ) -> Option<usize> {
        let result = lookup(&List::of_indicator(info), &written);
        self.settle(Type::Enum(indicator), written.span, result)
    }

    /// [`Checker::member_of`] for a missing-value rule, where `missing means "unknown"` that is
    /// no member was probably meant as `missing means unknown`.
    pub(super) fn missing_member(
        &mut self,
        indicator: usize,
        info: &IndicatorInfo<'_>,
        written: Written<'_>,
    ) -> Option<usize> {
        let result = lookup(&List::of_indicator(info), &written).map_err(|error| {
            if written.quoted && written.text.eq_ignore_ascii_case("unknown") {
                Box::new(error.with_help(
                    "to make a missing value unknown, write `missing means unknown`, without quotes",
                ))
            } else {
                error
            }
        });
        self.settle(Type::Enum(indicator), written.span, result)
    }

    fn settle(
        &mut self,
        list: Type,
        span: Span,
        result: Result<usize, Box<CheckError>>,
    ) -> Option<usize> {
        match result {
            Ok(member) => {
                let resolved = match list {
                    Type::Enum(indicator) => Resolved::Member { indicator, member },
                    Type::Outcome(output) => Resolved::OutcomeMember { output, member },
                    _ => return None,
                };
                self.model.resolutions.insert(span, resolved);
                Some(member)
            }
            Err(error) => {
                self.report(*error);
                None
            }
        }
    }

    /// E0109 for a declared member that a record cannot carry or a reader cannot see.
    pub(super) fn check_member_text(&mut self, text: &str, span: Span) {
        let problem = if text.is_empty() {
            Some((
                "an empty text".to_string(),
                "an empty CSV cell means the value is missing, so no record could have it",
                "leave it out, and say what a missing value means with `missing means …`"
                    .to_string(),
            ))
        } else if text.trim() != text {
            Some((
                "a text with spaces at its start or end".to_string(),
                "the spaces cannot be seen in the documentation, yet a record must have them to match",
                format!("write it without them: `{}`", print::member(text.trim())),
            ))
        } else if text.chars().any(char::is_control) {
            Some((
                "a text with a line break, tab or other control character".to_string(),
                "it cannot be shown on one line of the documentation",
                "write it as records have it, on one line and with spaces instead of tabs"
                    .to_string(),
            ))
        } else {
            None
        };
        if let Some((what, why, help)) = problem {
            self.report(
                CheckError::new(
                    Code::InvalidMember,
                    span,
                    format!("a list member cannot be {what}"),
                    why,
                )
                .with_help(help),
            );
        }
    }

    /// E0101 for a member listed twice (`STUDENT` and `"STUDENT"` are the same member).
    pub(super) fn member_listed_twice(&mut self, text: &str, span: Span, first: Span) {
        let shown = print::member(text);
        let spelled_alike = span.end - span.start == first.end - first.start;
        let help = if spelled_alike {
            "list each value once".to_string()
        } else {
            format!(
                "`{shown}` and `{}` are the same member; list it once",
                print::quote(text)
            )
        };
        self.report(
            CheckError::new(
                Code::DuplicateName,
                span,
                format!("`{shown}` is listed more than once"),
                "this value is listed again",
            )
            .with_secondary(first, "first listed here")
            .with_help(help),
        );
    }
}

/// Looks `written` up in `list`; the error is E0201 with the closest member.
fn lookup(list: &List<'_>, written: &Written<'_>) -> Result<usize, Box<CheckError>> {
    if let Some(i) = list.members.iter().position(|m| m == written.text) {
        return Ok(i);
    }
    let help = match closest(written.text, list.members) {
        Some(m) => format!("did you mean `{}`?", print::member(m)),
        None => format!("the values are {}", self::list(list.members)),
    };
    Err(Box::new(
        CheckError::new(
            Code::UnknownMember,
            written.span,
            format!(
                "`{}` is not one of the values of `{}`",
                written.shown(),
                list.owner
            ),
            "not a declared value",
        )
        .with_secondary(list.declared, "the values are declared here")
        .with_help(help),
    ))
}

/// The member `written` most probably meant: the same but for capitals, spaces, `-` and `_`
/// (`self_employed` for `"SELF-EMPLOYED"`), else the closest spelling.
pub(super) fn closest<'m>(written: &str, members: &'m [String]) -> Option<&'m str> {
    let loose = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let key = loose(written);
    if key.is_empty() {
        return None;
    }
    let keys: Vec<String> = members.iter().map(|m| loose(m)).collect();
    let best = match keys.iter().position(|k| *k == key) {
        Some(i) => i,
        None => {
            let near = super::err::closest(&key, keys.iter().map(String::as_str))?;
            keys.iter().position(|k| k == near)?
        }
    };
    members.get(best).map(String::as_str)
}

/// The members as written, for messages: "`UNEMPLOYED`, `STUDENT` or `"SELF-EMPLOYED"`".
pub(super) fn list(members: &[String]) -> String {
    let shown: Vec<String> = members
        .iter()
        .map(|m| format!("`{}`", print::member(m)))
        .collect();
    crate::text::join_or(&shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_closest_member_ignores_capitals_and_separators_first() {
        let members = owned(&["UNEMPLOYED", "STUDENT", "EMPLOYED", "SELF-EMPLOYED"]);
        assert_eq!(closest("self_employed", &members), Some("SELF-EMPLOYED"));
        assert_eq!(closest("Self Employed", &members), Some("SELF-EMPLOYED"));
        assert_eq!(closest("student", &members), Some("STUDENT"));
        assert_eq!(closest("SELF-EMPOLYED", &members), Some("SELF-EMPLOYED"));
        assert_eq!(closest("studnt", &members), Some("STUDENT"));
        assert_eq!(closest("pensioner", &members), None);
        // Nothing is "the same" as an empty text.
        assert_eq!(closest("", &owned(&["-"])), None);
    }

    /// Regression: in a function's body, `kind = employed` and `kind = "SELF-EMPLOYED"` were
    /// refused ("nothing is called `employed`", "cannot compare … with a text") while
    /// `kind in [employed]` was accepted: the argument was taken for a bare member name.
    #[test]
    fn a_member_compared_with_a_function_argument_resolves() {
        let body = "indicator e: one of [employed, \"SELF-EMPLOYED\"]\n\
                    function fee(kind: one of e) = if kind = employed then 20 else if kind is \"SELF-EMPLOYED\" then 25 else 30\n\
                    let f = fee(e)\n";
        crate::check::ranges::testing::with_body(body, |model, _| {
            let mut members: Vec<(usize, usize)> = model
                .resolutions
                .values()
                .filter_map(|r| match r {
                    Resolved::Member { indicator, member } => Some((*indicator, *member)),
                    _ => None,
                })
                .collect();
            members.sort_unstable();
            assert_eq!(members, [(0, 0), (0, 1)]);
        });
    }

    #[test]
    fn a_member_named_or_quoted_resolves_to_the_same_member() {
        let body = "indicator e: one of [\"UNEMPLOYED\", STUDENT, \"SELF-EMPLOYED\"]\n\
                    let a = e = STUDENT\nlet b = e = \"STUDENT\"\nlet c = \"SELF-EMPLOYED\" = e\n";
        crate::check::ranges::testing::with_body(body, |model, _| {
            let mut members: Vec<(usize, usize)> = model
                .resolutions
                .values()
                .filter_map(|r| match r {
                    Resolved::Member { indicator, member } => Some((*indicator, *member)),
                    _ => None,
                })
                .collect();
            members.sort_unstable();
            assert_eq!(members, [(0, 1), (0, 1), (0, 2)]);
            assert_eq!(
                model.indicators[0].kind,
                ValueKind::Enum(owned(&["UNEMPLOYED", "STUDENT", "SELF-EMPLOYED"]))
            );
        });
    }

    #[test]
    fn members_are_listed_as_they_are_written() {
        let members = owned(&["STUDENT", "SELF-EMPLOYED", "... < 0 DM"]);
        assert_eq!(
            list(&members),
            "`STUDENT`, `\"SELF-EMPLOYED\"` or `\"... < 0 DM\"`"
        );
    }
}
