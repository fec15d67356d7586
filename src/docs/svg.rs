//! The tier chart: the score scale as a bar divided into the tiers, with the starting score and
//! the range of scores that can occur marked. Plain SVG with a `<title>` and `<desc>`, no
//! scripts, no fonts to fetch; coordinates computed in exact decimals.

use super::html::escape_plain;
use crate::check::Model;
use crate::ir::{self, Bound};
use crate::phrase::number;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// The chart: its SVG markup (every text escaped) and a text alternative.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub alt: String,
    pub svg: String,
}

const WIDTH: i64 = 800;
const LEFT: i64 = 20;
const BAR: i64 = 760;
const PALETTE: [&str; 8] = [
    "#cfe8d5", "#e3efc4", "#fbeeb8", "#fad7b5", "#f5c1bd", "#e1c8e6", "#c9d8ef", "#d9d9d9",
];

/// x for a score on the bar, to one decimal place.
fn x(v: Decimal, min: Decimal, max: Decimal) -> Decimal {
    let span = max.checked_sub(min).unwrap_or(Decimal::ONE);
    if span <= Decimal::ZERO {
        return Decimal::from(LEFT);
    }
    let v = v.max(min).min(max);
    v.checked_sub(min)
        .and_then(|d| d.checked_mul(Decimal::from(BAR)))
        .and_then(|d| d.checked_div(span))
        .and_then(|d| d.checked_add(Decimal::from(LEFT)))
        .map_or(Decimal::from(LEFT), |d| d.round_dp(1))
}

fn end(b: Option<Bound>, fallback: Decimal) -> Decimal {
    b.map_or(fallback, |b| b.value)
}

/// The chart of a policy's tiers on its scale, with scores `reach_lo..=reach_hi` marked.
pub fn chart(
    model: &Model<'_>,
    policy: &ir::Policy,
    reach_lo: Decimal,
    reach_hi: Decimal,
) -> Chart {
    let (min, max) = (policy.scale.min, policy.scale.max);
    let mut tiers: Vec<(Decimal, Decimal, &ir::Tier)> = policy
        .tiers
        .iter()
        .map(|t| {
            (
                end(t.range.lo, min).max(min),
                end(t.range.hi, max).min(max),
                t,
            )
        })
        .collect();
    tiers.sort_by_key(|t| t.0);
    let mut svg = String::new();
    let title = format!("Tiers of “{}” on the score scale", model.header.name);
    let phraser = crate::phrase::Phraser::new(model);
    let described: Vec<String> = model
        .tiers
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{}: {}", t.decl.name.node, phraser.tier_bounds(i)))
        .collect();
    let alt = format!(
        "The score scale runs from {} to {}{}. Tiers: {}. Everyone starts at {}. Scores from {} to {} can occur.",
        number(min),
        number(max),
        if policy.scale.higher_is_worse {
            " (a higher score is worse)"
        } else {
            ""
        },
        described.join("; "),
        number(policy.scale.start),
        number(reach_lo),
        number(reach_hi)
    );
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} 170\" width=\"100%\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" aria-label=\"{}\" font-family=\"system-ui, sans-serif\" font-size=\"13\">",
        escape_plain(&title)
    );
    let _ = write!(
        svg,
        "<title id=\"chart-title\">{}</title><desc id=\"chart-desc\">{}</desc>",
        escape_plain(&title),
        escape_plain(&alt)
    );
    let _ = write!(
        svg,
        "<rect x=\"{LEFT}\" y=\"40\" width=\"{BAR}\" height=\"44\" fill=\"#ffffff\" stroke=\"#555555\"/>"
    );
    let mut ticks: Vec<Decimal> = vec![min, max];
    for (n, (lo, hi, t)) in tiers.iter().enumerate() {
        let (x0, x1) = (x(*lo, min, max), x(*hi, min, max));
        let w = (x1 - x0).max(Decimal::ZERO);
        let colour = PALETTE.get(n % PALETTE.len()).copied().unwrap_or("#dddddd");
        let _ = write!(
            svg,
            "<rect x=\"{x0}\" y=\"40\" width=\"{w}\" height=\"44\" fill=\"{colour}\" stroke=\"#555555\"><title>{}</title></rect>",
            escape_plain(&format!(
                "Tier {}{}: {} to {}",
                t.name,
                t.title.as_ref().map(|s| format!(" ({s})")).unwrap_or_default(),
                number(*lo),
                number(*hi)
            ))
        );
        // Names only where they fit; the description lists every tier.
        let chars = Decimal::from(
            i64::try_from(t.name.chars().count())
                .unwrap_or(i64::MAX)
                .saturating_mul(8)
                .saturating_add(4),
        );
        if w >= chars {
            let mid = (x0 + x1) / Decimal::TWO;
            let _ = write!(
                svg,
                "<text x=\"{}\" y=\"67\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#111111\">{}</text>",
                mid.round_dp(1),
                escape_plain(&t.name)
            );
        }
        ticks.push(*lo);
    }
    ticks.sort();
    ticks.dedup();
    let mut last_label: Option<Decimal> = None;
    for t in ticks {
        let tx = x(t, min, max);
        let _ = write!(
            svg,
            "<line x1=\"{tx}\" y1=\"84\" x2=\"{tx}\" y2=\"92\" stroke=\"#555555\"/>"
        );
        // Skip a label that would overlap the previous one.
        if last_label.is_none_or(|l| tx - l >= Decimal::from(36)) {
            let _ = write!(
                svg,
                "<text x=\"{tx}\" y=\"106\" text-anchor=\"middle\" fill=\"#333333\">{}</text>",
                escape_plain(&number(t))
            );
            last_label = Some(tx);
        }
    }
    let s = x(policy.scale.start, min, max);
    let _ = write!(
        svg,
        "<path d=\"M {s} 36 l -6 -10 h 12 z\" fill=\"#1f4e8c\"/><text x=\"{s}\" y=\"20\" text-anchor=\"middle\" fill=\"#1f4e8c\">start {}</text>",
        escape_plain(&number(policy.scale.start))
    );
    let (r0, r1) = (x(reach_lo, min, max), x(reach_hi, min, max));
    let _ = write!(
        svg,
        "<line x1=\"{r0}\" y1=\"128\" x2=\"{r1}\" y2=\"128\" stroke=\"#1f4e8c\" stroke-width=\"4\"/><line x1=\"{r0}\" y1=\"120\" x2=\"{r0}\" y2=\"136\" stroke=\"#1f4e8c\" stroke-width=\"2\"/><line x1=\"{r1}\" y1=\"120\" x2=\"{r1}\" y2=\"136\" stroke=\"#1f4e8c\" stroke-width=\"2\"/>"
    );
    let _ = write!(
        svg,
        "<text x=\"{}\" y=\"156\" text-anchor=\"middle\" fill=\"#1f4e8c\">scores that can occur: {} to {}</text></svg>",
        Decimal::from(WIDTH / 2),
        escape_plain(&number(reach_lo)),
        escape_plain(&number(reach_hi))
    );
    Chart { alt, svg }
}
