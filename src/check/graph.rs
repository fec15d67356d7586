//! Dependency order among declarations that use each other (derived values, consequences): an
//! order in which each comes after everything it uses, and every cycle, each reported once with
//! the places that close it.

use super::err::CheckError;
use crate::diagnostics::Code;
use crate::span::Span;

/// What [`order`] found.
pub struct Ordered {
    /// The declarations outside any cycle, each after everything it uses (ties in declaration
    /// order).
    pub order: Vec<usize>,
    /// By declaration: whether it is in a cycle or depends on one (so it has no place in `order`).
    pub cyclic: Vec<bool>,
    /// Each cycle once: the declarations in it, each with where it names the next.
    pub cycles: Vec<Vec<(usize, Span)>>,
}

/// `edges[i]`: the declarations that declaration `i` uses, with where it names them.
pub fn order(edges: &[Vec<(usize, Span)>]) -> Ordered {
    let count = edges.len();
    // Kahn's algorithm: a declaration is ready once everything it uses is.
    let mut waiting: Vec<usize> = edges.iter().map(Vec::len).collect();
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (user, uses) in edges.iter().enumerate() {
        for (used, _) in uses {
            if let Some(list) = users.get_mut(*used) {
                list.push(user);
            }
        }
    }
    let mut ready: Vec<usize> = (0..count).filter(|i| waiting.get(*i) == Some(&0)).collect();
    ready.reverse();
    let mut order = Vec::with_capacity(count);
    while let Some(next) = ready.pop() {
        order.push(next);
        for user in users.get(next).into_iter().flatten() {
            if let Some(w) = waiting.get_mut(*user) {
                *w -= 1;
                if *w == 0 {
                    ready.push(*user);
                }
            }
        }
    }
    let cycles = cycles(edges, &waiting);
    Ordered {
        order,
        cyclic: waiting.iter().map(|w| *w > 0).collect(),
        cycles,
    }
}

/// Each cycle once. Declarations left `waiting` are in a cycle or depend on one; following their
/// uses among the waiting ones always ends in a cycle.
fn cycles(edges: &[Vec<(usize, Span)>], waiting: &[usize]) -> Vec<Vec<(usize, Span)>> {
    let stuck = |i: usize| waiting.get(i).is_some_and(|w| *w > 0);
    let mut reported = vec![false; edges.len()];
    let mut out = Vec::new();
    for start in 0..edges.len() {
        if !stuck(start) || reported.get(start) == Some(&true) {
            continue;
        }
        // Walk to the first repeated declaration: the walk from there back to it is a cycle.
        let mut path: Vec<(usize, Span)> = Vec::new();
        let mut position = vec![None; edges.len()];
        let mut current = start;
        let cycle_start = loop {
            if let Some(p) = position.get(current).copied().flatten() {
                break Some(p);
            }
            if reported.get(current) == Some(&true) {
                break None;
            }
            if let Some(p) = position.get_mut(current) {
                *p = Some(path.len());
            }
            let Some(&(next, span)) = edges
                .get(current)
                .and_then(|e| e.iter().find(|(n, _)| stuck(*n)))
            else {
                break None;
            };
            path.push((current, span));
            current = next;
        };
        for (node, _) in &path {
            if let Some(r) = reported.get_mut(*node) {
                *r = true;
            }
        }
        if let Some(cycle_start) = cycle_start {
            out.push(path.get(cycle_start..).unwrap_or(&[]).to_vec());
        }
    }
    out
}

/// How a cycle's diagnostic words it, for one kind of declaration.
pub struct CycleWords<'w> {
    pub code: Code,
    /// The message for one declaration that uses itself, given its name in backticks.
    pub itself: &'w dyn Fn(&str) -> String,
    /// The message for several, given their names joined ("`a`, `b` and `c`").
    pub several: &'w dyn Fn(&str) -> String,
    /// The label where `user` names `used` (both bare names).
    pub edge: &'w dyn Fn(&str, &str) -> String,
    pub help: &'w str,
}

/// The diagnostic of one cycle: at the first declaration's name, with a label where each
/// declaration names the next.
pub fn cycle_error(
    cycle: &[(usize, Span)],
    name: impl Fn(usize) -> Option<(String, Span)>,
    words: &CycleWords<'_>,
) -> CheckError {
    let text = |i: usize| name(i).map_or(String::new(), |(n, _)| n);
    let first = cycle.first().map_or(0, |(i, _)| *i);
    let first_span = name(first).map_or(Span::default(), |(_, s)| s);
    let names: Vec<String> = cycle
        .iter()
        .map(|(i, _)| format!("`{}`", text(*i)))
        .collect();
    let message = if cycle.len() == 1 {
        (words.itself)(&names.join(""))
    } else {
        (words.several)(&crate::text::join_and(&names))
    };
    let mut error = CheckError::new(words.code, first_span, message, "part of the cycle");
    for (k, (user, span)) in cycle.iter().enumerate() {
        let used = cycle.get(k + 1).or(cycle.first()).map_or(0, |(i, _)| *i);
        error = error.with_secondary(*span, (words.edge)(&text(*user), &text(used)));
    }
    error.with_help(words.help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(n: u32) -> Span {
        Span::new(crate::span::FileId(0), n as usize, n as usize + 1)
    }

    #[test]
    fn orders_after_uses_and_finds_each_cycle_once() {
        // 0 uses 1; 1 uses nothing; 2 and 3 use each other; 4 uses 2; 5 uses itself.
        let edges = vec![
            vec![(1, at(0))],
            vec![],
            vec![(3, at(2))],
            vec![(2, at(3))],
            vec![(2, at(4))],
            vec![(5, at(5))],
        ];
        let ordered = order(&edges);
        assert_eq!(ordered.order, vec![1, 0]);
        assert_eq!(ordered.cyclic, vec![false, false, true, true, true, true]);
        let cycles: Vec<Vec<usize>> = ordered
            .cycles
            .iter()
            .map(|c| c.iter().map(|(i, _)| *i).collect())
            .collect();
        assert_eq!(cycles, vec![vec![2, 3], vec![5]]);
    }
}
