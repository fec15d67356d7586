//! Words: names, numbers with units, plurals, durations and ranges of points.

use crate::syntax::ast::Duration;
use rust_decimal::Decimal;

/// A declared name as words: `late_tax_payments` → "late tax payments".
pub fn humanise(name: &str) -> String {
    let words: Vec<&str> = name.split('_').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        name.to_string()
    } else {
        words.join(" ")
    }
}

/// A list member as a reader reads it: a name as words (`self_employed` → "self employed"), any
/// other member exactly as records have it, in quotes (“SELF-EMPLOYED”, “... < 0 DM”).
pub fn member(name: &str) -> String {
    if crate::syntax::is_plain_name(name) {
        humanise(name)
    } else {
        format!("“{name}”")
    }
}

/// The first letter in upper case.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The singular of a humanised plural noun phrase (its last word): "late tax payments" → "late
/// tax payment", "penalties" → "penalty". Words that are not plural are left alone.
pub fn singular(phrase: &str) -> String {
    let (head, last) = match phrase.rsplit_once(' ') {
        Some((head, last)) => (Some(head), last),
        None => (None, phrase),
    };
    let lower = last.to_ascii_lowercase();
    let one = if lower.ends_with("ies") && last.len() > 3 {
        format!("{}y", last.get(..last.len() - 3).unwrap_or(last))
    } else if lower.ends_with("ss")
        || lower.ends_with("us")
        || lower.ends_with("is")
        || !lower.ends_with('s')
        || last.len() < 3
    {
        last.to_string()
    } else if lower.ends_with("sses") || lower.ends_with("xes") || lower.ends_with("ches") {
        last.get(..last.len() - 2).unwrap_or(last).to_string()
    } else {
        last.get(..last.len() - 1).unwrap_or(last).to_string()
    };
    match head {
        Some(head) => format!("{head} {one}"),
        None => one,
    }
}

/// A number as written in a policy: no trailing zeros, never `-0`.
pub fn number(value: Decimal) -> String {
    let n = value.normalize();
    if n.is_zero() {
        "0".to_string()
    } else {
        n.to_string()
    }
}

/// Units that are English plural nouns, with their singular.
const PLURAL_UNITS: [(&str, &str); 10] = [
    ("points", "point"),
    ("hours", "hour"),
    ("days", "day"),
    ("weeks", "week"),
    ("months", "month"),
    ("years", "year"),
    ("minutes", "minute"),
    ("euros", "euro"),
    ("dollars", "dollar"),
    ("steps", "step"),
];

/// A number with its unit, in the singular for exactly one: "1 point", "20 points", "100 EUR".
pub fn count_of(value: Decimal, unit: &str) -> String {
    let unit = unit.trim();
    if unit.is_empty() {
        return number(value);
    }
    let one = value.abs() == Decimal::ONE;
    let lower = unit.to_ascii_lowercase();
    let word = PLURAL_UNITS
        .iter()
        .find(|(plural, single)| lower == *plural || lower == *single)
        .map(|(plural, single)| if one { *single } else { *plural });
    format!("{} {}", number(value), word.unwrap_or(unit))
}

/// Points: "1 point", "20 points", "0 points".
pub fn points(value: Decimal) -> String {
    count_of(value, "points")
}

/// Points with a sign: "+10 points", "-40 points", "0 points".
pub fn signed_points(value: Decimal) -> String {
    if value > Decimal::ZERO {
        format!("+{}", points(value))
    } else {
        points(value)
    }
}

/// A duration: "12 months", "1 day".
pub fn duration(d: &Duration) -> String {
    d.to_string()
}

/// What a rule can contribute, from the range analysis (`None`: without limit): "It can deduct
/// up to 200 points and never adds any."
pub fn contribution_range(least: Option<Decimal>, most: Option<Decimal>) -> String {
    let mut parts = Vec::new();
    let up = match most {
        None => Some("can add points without limit".to_string()),
        Some(m) if m > Decimal::ZERO => Some(format!("can add up to {}", points(m))),
        _ => None,
    };
    let down = match least {
        None => Some("can deduct points without limit".to_string()),
        Some(l) if l < Decimal::ZERO => Some(format!("can deduct up to {}", points(-l))),
        _ => None,
    };
    match least {
        Some(l) if l > Decimal::ZERO => parts.push(format!("always adds at least {}", points(l))),
        _ => {}
    }
    match most {
        Some(m) if m < Decimal::ZERO => {
            parts.push(format!("always deducts at least {}", points(-m)))
        }
        _ => {}
    }
    let has_up = up.is_some();
    let has_down = down.is_some();
    parts.extend(up);
    parts.extend(down);
    if parts.is_empty() {
        return "It never changes the score.".to_string();
    }
    let mut text = format!("It {}", crate::text::join_and(&parts));
    if has_up && !has_down && least.is_some_and(|l| l >= Decimal::ZERO) {
        text.push_str(" and never deducts any");
    }
    if has_down && !has_up && most.is_some_and(|m| m <= Decimal::ZERO) {
        text.push_str(" and never adds any");
    }
    text.push('.');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn names_become_words() {
        assert_eq!(humanise("late_tax_payments"), "late tax payments");
        assert_eq!(humanise("x"), "x");
        assert_eq!(humanise("_"), "_");
        assert_eq!(humanise("a__b_"), "a b");
        assert_eq!(capitalise("deduct"), "Deduct");
        assert_eq!(capitalise(""), "");
        assert_eq!(capitalise("élan"), "Élan");
    }

    #[test]
    fn plurals_become_singular() {
        assert_eq!(singular("late tax payments"), "late tax payment");
        assert_eq!(singular("penalties"), "penalty");
        assert_eq!(singular("phone offences"), "phone offence");
        assert_eq!(singular("speed steps"), "speed step");
        assert_eq!(singular("business"), "business");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("boxes"), "box");
        assert_eq!(singular("is"), "is");
        assert_eq!(singular(""), "");
        assert_eq!(singular("s"), "s");
        assert_eq!(singular("ies"), "ie");
        assert_eq!(singular("ÿies"), "ÿy");
    }

    #[test]
    fn numbers_and_units() {
        assert_eq!(number(d("20.00")), "20");
        assert_eq!(number(d("-0")), "0");
        assert_eq!(number(d("0.50")), "0.5");
        assert_eq!(points(d("1")), "1 point");
        assert_eq!(points(d("-1")), "-1 point");
        assert_eq!(points(d("20")), "20 points");
        assert_eq!(points(d("0")), "0 points");
        assert_eq!(points(d("0.5")), "0.5 points");
        assert_eq!(count_of(d("100"), "EUR"), "100 EUR");
        assert_eq!(count_of(d("1"), "months"), "1 month");
        assert_eq!(count_of(d("60"), "month"), "60 months");
        assert_eq!(count_of(d("3"), "  "), "3");
        assert_eq!(signed_points(d("10")), "+10 points");
        assert_eq!(signed_points(d("-40")), "-40 points");
    }

    #[test]
    fn ranges_of_points() {
        assert_eq!(
            contribution_range(Some(d("-200")), Some(d("0"))),
            "It can deduct up to 200 points and never adds any."
        );
        assert_eq!(
            contribution_range(Some(d("0")), Some(d("60"))),
            "It can add up to 60 points and never deducts any."
        );
        assert_eq!(
            contribution_range(Some(d("-150")), Some(d("10"))),
            "It can add up to 10 points and can deduct up to 150 points."
        );
        assert_eq!(
            contribution_range(None, Some(d("0"))),
            "It can deduct points without limit and never adds any."
        );
        assert_eq!(
            contribution_range(None, None),
            "It can add points without limit and can deduct points without limit."
        );
        assert_eq!(
            contribution_range(Some(d("10")), Some(d("50"))),
            "It always adds at least 10 points and can add up to 50 points and never deducts any."
        );
        assert_eq!(
            contribution_range(Some(d("0")), Some(d("0"))),
            "It never changes the score."
        );
        assert_eq!(
            contribution_range(Some(d("-6")), Some(d("-1"))),
            "It always deducts at least 1 point and can deduct up to 6 points and never adds any."
        );
    }
}
