//! The proofs about a table's rows. Each input's values are cut into *pieces* at every bound any
//! row writes (numbers), or one piece per value (yes/no, list members, each written text and "any
//! other text"), plus a piece for "unknown" when some row tests `missing`. Every condition is then
//! a set of whole pieces and every row a box of pieces, so two rows overlap exactly when their
//! boxes intersect, and the inputs no row matches are found by splitting the inputs one at a time
//! (pieces that the same rows match are kept together, so the split stays small).

use super::super::err::CheckError;
use super::super::intervals::{End, Interval};
use super::super::model::*;
use super::super::Checker;
use crate::diagnostics::Code;
use crate::syntax::ast::{Aggregate, HitPolicy};
use rust_decimal::Decimal;

/// How many splitting steps one table may take before its proof is given up (W1401).
const BUDGET: usize = 200_000;
/// How many overlaps or gaps one table reports.
const REPORTED: usize = 3;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Piece {
    Numbers(Interval),
    Is(Value),
    OtherText,
    Unknown,
}

pub(super) struct Column {
    name: String,
    pub(super) pieces: Vec<Piece>,
    /// Whole numbers only (the input is a count or an integer).
    whole: bool,
    /// The list's members, to name a member piece.
    members: Vec<String>,
}

/// Per column, which of its pieces are in.
pub(super) type Region = Vec<Vec<bool>>;

impl Checker<'_> {
    pub(in crate::check) fn prove_table(&mut self, index: usize) {
        let Some(table) = self.model.tables.get(index) else {
            return;
        };
        let columns: Vec<Column> = (0..table.inputs.len())
            .map(|c| column(&self.model, table, c))
            .collect();
        let boxes: Vec<Region> = table
            .rows
            .iter()
            .map(|row| {
                row.cells
                    .iter()
                    .zip(&columns)
                    .map(|(cell, column)| column.contains(cell))
                    .collect()
            })
            .collect();
        let name = table.decl.name.node.clone();
        let name_span = table.decl.name.span;
        let spans: Vec<_> = table.rows.iter().map(|r| r.span).collect();
        let values: Vec<Vec<Value>> = table.rows.iter().map(|r| r.values.clone()).collect();
        let (hit, has_default) = (table.hit, table.default.is_some());
        let mut problems = Vec::new();
        let mut budget = BUDGET;

        if matches!(hit, HitPolicy::Unique | HitPolicy::Any) {
            // Rows that conflict: in a `unique` table any two that share an input, in an `any`
            // table two that share one and disagree. Found by splitting the inputs as the gaps
            // are (below), so a table of many rows that never overlap costs one pass, not every
            // pair.
            let everything: Region = columns.iter().map(|c| vec![true; c.pieces.len()]).collect();
            let rows: Vec<(usize, &Region)> = boxes.iter().enumerate().collect();
            let conflict =
                |i: usize, j: usize| hit == HitPolicy::Unique || values.get(i) != values.get(j);
            let mut pairs = Vec::new();
            if !conflicts(&rows, &everything, 0, &conflict, &mut pairs, &mut budget) {
                problems.push(too_large(&name, name_span));
            }
            for (i, j) in pairs {
                let (Some(a), Some(b)) = (boxes.get(i), boxes.get(j)) else {
                    continue;
                };
                let (Some(shared), Some(first), Some(second)) =
                    (intersect(a, b), spans.get(i), spans.get(j))
                else {
                    continue;
                };
                let what = if hit == HitPolicy::Unique {
                    "both match"
                } else {
                    "give different outputs"
                };
                problems.push(
                    CheckError::new(
                        Code::TableRowsOverlap,
                        *second,
                        format!(
                            "rows {} and {} of table `{name}` {what} when {}",
                            i + 1,
                            j + 1,
                            describe(&columns, &shared)
                        ),
                        format!("row {}", j + 1),
                    )
                    .with_secondary(*first, format!("row {}", i + 1))
                    .with_help(if hit == HitPolicy::Unique {
                        "in a `unique` table at most one row may match any input: move a bound, or say `hit first` if the first matching row should win"
                    } else {
                        "in an `any` table overlapping rows must give the same outputs"
                    }),
                );
            }
        }

        let needs_cover =
            !has_default && !matches!(hit, HitPolicy::Collect(Aggregate::Sum | Aggregate::Count));
        let known: Region = columns
            .iter()
            .map(|c| c.pieces.iter().map(|p| *p != Piece::Unknown).collect())
            .collect();
        if needs_cover {
            let all: Vec<&Region> = boxes.iter().collect();
            let mut gaps = Vec::new();
            if !uncovered(&all, &known, 0, &mut Vec::new(), &mut gaps, &mut budget) {
                problems.push(too_large(&name, name_span));
            } else if !gaps.is_empty() {
                let words: Vec<String> = gaps.iter().map(|g| describe(&columns, g)).collect();
                problems.push(
                    CheckError::new(
                        Code::TableNotExhaustive,
                        name_span,
                        format!(
                            "no row of table `{name}` matches when {}{}",
                            words.join("; or when "),
                            if gaps.len() == REPORTED {
                                " (and maybe more)"
                            } else {
                                ""
                            }
                        ),
                        "some inputs match no row",
                    )
                    .with_help("add rows for those inputs, or a default: `otherwise => …`"),
                );
            }
        }

        if hit == HitPolicy::First {
            for (r, row) in boxes.iter().enumerate() {
                let earlier: Vec<&Region> = boxes.iter().take(r).collect();
                let mut gaps = Vec::new();
                if !uncovered(&earlier, row, 0, &mut Vec::new(), &mut gaps, &mut budget) {
                    problems.push(too_large(&name, name_span));
                    break;
                }
                if gaps.is_empty() && row.iter().all(|c| c.iter().any(|p| *p)) {
                    if let Some(span) = spans.get(r) {
                        problems.push(
                            CheckError::new(
                                Code::RowNeverMatches,
                                *span,
                                format!(
                                    "row {} of table `{name}` never decides: the rows above it match everything it matches",
                                    r + 1
                                ),
                                "never the first matching row",
                            )
                            .with_help("move it above the rows that cover it, or remove it"),
                        );
                    }
                }
            }
        }
        for p in problems {
            self.report(p);
        }
    }
}

/// The pieces of input `c`'s values.
pub(super) fn column(model: &Model<'_>, table: &TableInfo<'_>, c: usize) -> Column {
    let Some(input) = table.inputs.get(c) else {
        return Column::empty();
    };
    let cells: Vec<&CellInfo> = table.rows.iter().filter_map(|r| r.cells.get(c)).collect();
    let tests_missing = cells.iter().any(|cell| **cell == CellInfo::Missing);
    let written = || {
        cells.iter().flat_map(|cell| match cell {
            CellInfo::Values(values) => values.iter().collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    };
    let mut column = Column {
        name: input.name.clone(),
        pieces: Vec::new(),
        whole: false,
        members: model
            .members(input.ty)
            .map(<[String]>::to_vec)
            .unwrap_or_default(),
    };
    column.pieces = match input.ty {
        Type::Number => {
            let (lo, hi, whole) = numeric_domain(model, input.source);
            column.whole = whole;
            let ends = written().filter_map(|v| match v {
                CellValue::Range(iv) => Some([iv.lo, iv.hi]),
                CellValue::Is(_) => None,
            });
            number_pieces(lo, hi, whole, ends.flatten().flatten().map(|e| e.value))
        }
        Type::Bool => vec![Piece::Is(Value::Bool(false)), Piece::Is(Value::Bool(true))],
        Type::Enum(_) | Type::Outcome(_) => (0..column.members.len())
            .map(|m| Piece::Is(Value::Member(m)))
            .collect(),
        Type::Text => {
            let mut texts: Vec<Piece> = Vec::new();
            for v in written() {
                if let CellValue::Is(value) = v {
                    let piece = Piece::Is(value.clone());
                    if !texts.contains(&piece) {
                        texts.push(piece);
                    }
                }
            }
            texts.push(Piece::OtherText);
            texts
        }
        Type::Tier | Type::Error => Vec::new(),
    };
    if tests_missing {
        column.pieces.push(Piece::Unknown);
    }
    column
}

/// The declared range of a numeric input and whether its values are whole.
fn numeric_domain(model: &Model<'_>, source: Resolved) -> (Option<Decimal>, Option<Decimal>, bool) {
    match source {
        Resolved::Indicator(i) => model.indicators.get(i).map_or((None, None, false), |x| {
            let min = x
                .min
                .or((x.kind == ValueKind::Count).then_some(Decimal::ZERO));
            (min, x.max, x.kind.is_whole())
        }),
        Resolved::Output(o) => model.outputs.get(o).map_or((None, None, false), |x| {
            let min = x
                .min
                .or((x.kind == ValueKind::Count).then_some(Decimal::ZERO));
            (min, x.max, x.kind.is_whole())
        }),
        _ => (None, None, false),
    }
}

fn too_large(name: &str, span: crate::span::Span) -> CheckError {
    CheckError::new(
        Code::TableTooLarge,
        span,
        format!("table `{name}` is too large for Rubric to prove that its rows cover every input and never conflict"),
        "not proved",
    )
    .with_help("split it into smaller tables (an output can be another table's input)")
}

impl Column {
    fn empty() -> Self {
        Column {
            name: String::new(),
            pieces: Vec::new(),
            whole: false,
            members: Vec::new(),
        }
    }

    /// Which pieces a condition matches.
    pub(super) fn contains(&self, cell: &CellInfo) -> Vec<bool> {
        self.pieces
            .iter()
            .map(|piece| match (cell, piece) {
                (CellInfo::Any, _) => true,
                (CellInfo::Missing, p) => *p == Piece::Unknown,
                (CellInfo::Values(values), Piece::Numbers(iv)) => values.iter().any(|v| match v {
                    CellValue::Range(r) => {
                        !r.intersect(iv).is_empty(self.whole.then_some(Decimal::ONE))
                    }
                    CellValue::Is(_) => false,
                }),
                (CellInfo::Values(values), Piece::Is(x)) => values
                    .iter()
                    .any(|v| matches!(v, CellValue::Is(y) if y == x)),
                (CellInfo::Values(_), Piece::OtherText | Piece::Unknown) => false,
            })
            .collect()
    }

    /// A set of this column's pieces in words: `is 100 up to but not including 120`,
    /// `is HIGH or LOW`, `is unknown`.
    fn words(&self, set: &[bool]) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut run: Option<Interval> = None;
        let flush = |run: &mut Option<Interval>, parts: &mut Vec<String>, whole: bool| {
            if let Some(iv) = run.take() {
                let iv = if whole { tighten(iv) } else { iv };
                parts.push(iv.to_string());
            }
        };
        for (piece, inside) in self.pieces.iter().zip(set) {
            match (piece, inside) {
                (Piece::Numbers(iv), true) => {
                    run = Some(match run {
                        Some(r) => r.hull(iv),
                        None => *iv,
                    })
                }
                (Piece::Numbers(_), false) => flush(&mut run, &mut parts, self.whole),
                (_, false) => {}
                (Piece::Is(value), true) => parts.push(self.value_words(value)),
                (Piece::OtherText, true) => parts.push("any other text".to_string()),
                (Piece::Unknown, true) => parts.push("unknown".to_string()),
            }
        }
        flush(&mut run, &mut parts, self.whole);
        format!("`{}` is {}", self.name, parts.join(" or "))
    }

    fn value_words(&self, value: &Value) -> String {
        match value {
            Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            Value::Number(n) => n.normalize().to_string(),
            Value::Text(t) => format!("{t:?}"),
            Value::Member(m) => self.members.get(*m).cloned().unwrap_or_default(),
        }
    }
}

/// `[lo, hi]` cut at every end a row writes: each end value is a piece of its own, with the open
/// stretches between them; pieces holding no value of the domain are left out.
fn number_pieces(
    lo: Option<Decimal>,
    hi: Option<Decimal>,
    whole: bool,
    ends: impl Iterator<Item = Decimal>,
) -> Vec<Piece> {
    let mut cuts: Vec<Decimal> = ends.collect();
    cuts.sort();
    cuts.dedup();
    let domain = Interval {
        lo: lo.map(|value| End {
            value,
            inclusive: true,
        }),
        hi: hi.map(|value| End {
            value,
            inclusive: true,
        }),
    };
    let open = |value| End {
        value,
        inclusive: false,
    };
    let mut candidates = Vec::new();
    let mut previous: Option<Decimal> = None;
    for cut in &cuts {
        candidates.push(Interval {
            lo: previous.map(open),
            hi: Some(open(*cut)),
        });
        candidates.push(Interval::point(*cut));
        previous = Some(*cut);
    }
    candidates.push(Interval {
        lo: previous.map(open),
        hi: None,
    });
    let step = whole.then_some(Decimal::ONE);
    candidates
        .into_iter()
        .map(|c| c.intersect(&domain))
        .filter(|c| !c.is_empty(step))
        .map(Piece::Numbers)
        .collect()
}

/// A range of whole numbers with its open ends closed on the nearest whole number inside.
fn tighten(iv: Interval) -> Interval {
    let lo = iv.lo.map(|e| End {
        value: if e.inclusive {
            e.value.ceil()
        } else {
            e.value.floor() + Decimal::ONE
        },
        inclusive: true,
    });
    let hi = iv.hi.map(|e| End {
        value: if e.inclusive {
            e.value.floor()
        } else {
            e.value.ceil() - Decimal::ONE
        },
        inclusive: true,
    });
    Interval { lo, hi }
}

/// Where two rows both match, if anywhere.
fn intersect(a: &Region, b: &Region) -> Option<Region> {
    let shared: Region = a
        .iter()
        .zip(b)
        .map(|(x, y)| x.iter().zip(y).map(|(p, q)| *p && *q).collect())
        .collect();
    shared
        .iter()
        .all(|c: &Vec<bool>| c.iter().any(|p| *p))
        .then_some(shared)
}

/// A region in words: each input that is not free, joined with "and".
pub(super) fn describe(columns: &[Column], region: &Region) -> String {
    let parts: Vec<String> = columns
        .iter()
        .zip(region)
        .filter(|(column, set)| {
            let known: Vec<bool> = column.pieces.iter().map(|p| *p != Piece::Unknown).collect();
            set.iter().zip(&known).any(|(s, k)| s != k) || !set.iter().any(|s| *s)
        })
        .map(|(column, set)| column.words(set))
        .collect();
    if parts.is_empty() {
        "any input is given".to_string()
    } else {
        parts.join(" and ")
    }
}

/// The pieces that are in, grouped by which rows match them (`matches(row, piece)`, rows by
/// position `0..rows`): for each group, the positions of its rows and its pieces, in the order
/// first met. The splitting searches ([`uncovered`], [`conflicts`], `totals.rs`) recurse on each
/// group, so pieces no row tells apart are split once.
pub(super) fn group_pieces(
    pieces: &[bool],
    rows: usize,
    matches: impl Fn(usize, usize) -> bool,
) -> Vec<(Vec<usize>, Vec<bool>)> {
    let mut groups: Vec<(Vec<usize>, Vec<bool>)> = Vec::new();
    for (p, inside) in pieces.iter().enumerate() {
        if !inside {
            continue;
        }
        let matching: Vec<usize> = (0..rows).filter(|r| matches(*r, p)).collect();
        match groups.iter_mut().find(|(m, _)| *m == matching) {
            Some((_, set)) => {
                if let Some(slot) = set.get_mut(p) {
                    *slot = true;
                }
            }
            None => {
                let mut set = vec![false; pieces.len()];
                if let Some(slot) = set.get_mut(p) {
                    *slot = true;
                }
                groups.push((matching, set));
            }
        }
    }
    groups
}

/// Pushes onto `out` (at most [`REPORTED`]) the parts of `domain` that none of `rows` match, splitting
/// on column `col` and after. `prefix` holds the pieces chosen for the columns before `col`.
/// `false` when the budget ran out first.
fn uncovered(
    rows: &[&Region],
    domain: &Region,
    col: usize,
    prefix: &mut Vec<Vec<bool>>,
    out: &mut Vec<Region>,
    budget: &mut usize,
) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    if out.len() >= REPORTED {
        return true;
    }
    if rows.is_empty() {
        let mut region = prefix.clone();
        region.extend(domain.iter().skip(col).cloned());
        if region.iter().all(|c| c.iter().any(|p| *p)) {
            out.push(region);
        }
        return true;
    }
    let Some(pieces) = domain.get(col) else {
        // Every column is chosen and some row matches the whole box.
        return true;
    };
    let groups = group_pieces(pieces, rows.len(), |r, p| {
        rows.get(r)
            .and_then(|row| row.get(col))
            .and_then(|c| c.get(p))
            .copied()
            == Some(true)
    });
    for (matching, set) in groups {
        let sub: Vec<&Region> = matching
            .iter()
            .filter_map(|r| rows.get(*r).copied())
            .collect();
        prefix.push(set);
        let done = uncovered(&sub, domain, col + 1, prefix, out, budget);
        prefix.pop();
        if !done {
            return false;
        }
    }
    true
}

/// Pushes onto `out` (at most [`REPORTED`], each pair once, earlier row first, in the order found)
/// the pairs of `rows` that both match somewhere in `domain` and `conflict`, splitting on column
/// `col` and after as [`uncovered`] does. `false` when the budget ran out first.
fn conflicts(
    rows: &[(usize, &Region)],
    domain: &Region,
    col: usize,
    conflict: &dyn Fn(usize, usize) -> bool,
    out: &mut Vec<(usize, usize)>,
    budget: &mut usize,
) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    if rows.len() < 2 || out.len() >= REPORTED {
        return true;
    }
    let Some(pieces) = domain.get(col) else {
        // Every column is chosen: all of `rows` match here.
        // Each pair tried costs the budget too, so many identical rows stay cheap.
        for (k, (j, _)) in rows.iter().enumerate() {
            for (i, _) in rows.iter().take(k) {
                if out.len() >= REPORTED {
                    return true;
                }
                if *budget == 0 {
                    return false;
                }
                *budget -= 1;
                if conflict(*i, *j) && !out.contains(&(*i, *j)) {
                    out.push((*i, *j));
                }
            }
        }
        return true;
    };
    let groups: Vec<Vec<(usize, &Region)>> = group_pieces(pieces, rows.len(), |r, p| {
        rows.get(r)
            .and_then(|(_, row)| row.get(col))
            .and_then(|c| c.get(p))
            .copied()
            == Some(true)
    })
    .into_iter()
    .filter(|(matching, _)| matching.len() >= 2)
    .map(|(matching, _)| {
        matching
            .iter()
            .filter_map(|r| rows.get(*r).copied())
            .collect()
    })
    .collect();
    for group in groups {
        if !conflicts(&group, domain, col + 1, conflict, out, budget) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(cols: &[&[bool]]) -> Region {
        cols.iter().map(|c| c.to_vec()).collect()
    }

    #[test]
    fn two_rows_that_split_one_column_cover_it() {
        let domain = region(&[&[true, true], &[true, true, true]]);
        let a = region(&[&[true, false], &[true, true, true]]);
        let b = region(&[&[false, true], &[true, true, true]]);
        let mut out = Vec::new();
        let mut budget = 100;
        assert!(uncovered(
            &[&a, &b],
            &domain,
            0,
            &mut Vec::new(),
            &mut out,
            &mut budget
        ));
        assert!(out.is_empty());
    }

    #[test]
    fn a_missing_corner_is_found_exactly() {
        // Columns: a bool (no, yes) and three number pieces; yes with the last piece is missing.
        let domain = region(&[&[true, true], &[true, true, true]]);
        let no = region(&[&[true, false], &[true, true, true]]);
        let yes = region(&[&[false, true], &[true, true, false]]);
        let mut out = Vec::new();
        let mut budget = 100;
        assert!(uncovered(
            &[&no, &yes],
            &domain,
            0,
            &mut Vec::new(),
            &mut out,
            &mut budget
        ));
        assert_eq!(out, vec![region(&[&[false, true], &[false, false, true]])]);
    }

    #[test]
    fn the_budget_stops_the_search() {
        let domain = region(&[&[true, true], &[true, true]]);
        let a = region(&[&[true, false], &[true, false]]);
        let mut out = Vec::new();
        let mut budget = 1;
        assert!(!uncovered(
            &[&a],
            &domain,
            0,
            &mut Vec::new(),
            &mut out,
            &mut budget
        ));
    }

    #[test]
    fn number_pieces_cut_at_every_end() {
        let pieces = number_pieces(
            Some(Decimal::ZERO),
            Some(Decimal::from(200)),
            true,
            [Decimal::from(100), Decimal::from(120)].into_iter(),
        );
        let texts: Vec<String> = pieces
            .iter()
            .map(|p| match p {
                Piece::Numbers(iv) => tighten(*iv).to_string(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(texts, ["0 to 99", "100", "101 to 119", "120", "121 to 200"]);
    }

    #[test]
    fn conflicts_are_found_without_trying_every_pair() {
        // Three rows over two columns: rows 0 and 2 share piece (1, 0); row 1 is apart.
        let domain = region(&[&[true, true], &[true, true]]);
        let a = region(&[&[false, true], &[true, false]]);
        let b = region(&[&[true, false], &[true, true]]);
        let c = region(&[&[false, true], &[true, true]]);
        let rows = vec![(0, &a), (1, &b), (2, &c)];
        let mut out = Vec::new();
        let mut budget = 100;
        assert!(conflicts(
            &rows,
            &domain,
            0,
            &|_, _| true,
            &mut out,
            &mut budget
        ));
        assert_eq!(out, vec![(0, 2)]);
        // Rows that agree do not conflict (an `any` table).
        let mut out = Vec::new();
        assert!(conflicts(
            &rows,
            &domain,
            0,
            &|_, _| false,
            &mut out,
            &mut budget
        ));
        assert!(out.is_empty());
    }

    #[test]
    fn rows_that_share_a_value_intersect() {
        let a = region(&[&[true, false], &[true, true, false]]);
        let b = region(&[&[true, true], &[false, true, true]]);
        assert_eq!(
            intersect(&a, &b),
            Some(region(&[&[true, false], &[false, true, false]]))
        );
        let c = region(&[&[false, true], &[true, true, true]]);
        assert_eq!(intersect(&a, &c), None);
    }
}
