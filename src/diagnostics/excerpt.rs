//! Bounded excerpts of long lines, for rendering diagnostics to people.
//!
//! codespan-reporting prints every line a label touches in full. A policy written on one long
//! line (generated, minified, or hostile) would have its whole text printed again for every
//! diagnostic: 500 rules on a 16 KB line once made 23 MB of warnings. So a diagnostic whose labels
//! touch a line longer than [`LONG_LINE`] bytes is rendered from an [`Excerpt`] instead: only the
//! lines its labels touch, and of each long one only [`CONTEXT`] characters either side of each
//! label's ends, joined by `…`. The excerpt keeps the true line and column numbers, so the
//! rendering says exactly where the problem is. A line holding a character a terminal would not
//! show as itself (NUL, ESC, a right-to-left override) is rendered from an excerpt too, with a
//! visible stand-in of the same length in its place.

use super::Diagnostic;
use crate::source::SourceMap;
use crate::span::FileId;
use codespan_reporting::files::{Error, Files};
use std::collections::BTreeMap;
use std::ops::Range;

/// Lines up to this many bytes are shown whole.
pub const LONG_LINE: usize = 240;
/// Characters shown either side of a label's start and end on a long line.
pub const CONTEXT: usize = 48;

/// What a diagnostic is rendered from when one of its lines is long: for each file it points
/// into, the lines it needs, shortened.
pub struct Excerpt<'s> {
    sources: &'s SourceMap,
    views: BTreeMap<FileId, View>,
}

/// The excerpt of one file: its text is the kept lines (and empty lines between two lines that
/// are not next to each other, so that the rendering marks the gap).
struct View {
    text: String,
    lines: Vec<Line>,
}

struct Line {
    /// The line in the view's text, its newline included.
    range: Range<usize>,
    /// The line's index in the file (`None` for a gap).
    index: Option<usize>,
    /// The stretches of the file's line kept in the view, in order.
    pieces: Vec<Piece>,
}

/// Bytes `source..source + len` of the file, at `view` in the view's text.
struct Piece {
    view: usize,
    source: usize,
    len: usize,
}

/// The diagnostic and what to render it from, if any label touches a long line; `None` when the
/// diagnostic renders as it is.
pub fn shorten<'s>(
    sources: &'s SourceMap,
    diagnostic: &Diagnostic,
) -> Option<(Excerpt<'s>, Diagnostic)> {
    let long = diagnostic.labels.iter().any(|label| {
        [label.range.start, label.range.end].iter().any(|&at| {
            line_of(sources, label.file_id, at).is_some_and(|(_, range)| {
                range.len() > LONG_LINE
                    || sources
                        .source(label.file_id)
                        .get(range)
                        .is_some_and(|line| line.chars().any(shown_otherwise))
            })
        })
    });
    if !long {
        return None;
    }
    // The offsets each file's labels start and end at, by line.
    let mut points: BTreeMap<FileId, BTreeMap<usize, Vec<usize>>> = BTreeMap::new();
    for label in &diagnostic.labels {
        for at in [label.range.start, label.range.end] {
            if let Some((index, _)) = line_of(sources, label.file_id, at) {
                points
                    .entry(label.file_id)
                    .or_default()
                    .entry(index)
                    .or_default()
                    .push(at);
            }
        }
    }
    let views = points
        .into_iter()
        .map(|(file, lines)| (file, view(sources, file, &lines)))
        .collect();
    let excerpt = Excerpt { sources, views };
    let mut shortened = diagnostic.clone();
    for label in &mut shortened.labels {
        let start = excerpt.to_view(label.file_id, label.range.start);
        let end = excerpt.to_view(label.file_id, label.range.end).max(start);
        label.range = start..end;
    }
    Some((excerpt, shortened))
}

/// The index and byte range (without its line break) of the line holding byte `at` of `file`.
fn line_of(sources: &SourceMap, file: FileId, at: usize) -> Option<(usize, Range<usize>)> {
    let index = sources.line_index(file, at).ok()?;
    let range = sources.line_range(file, index).ok()?;
    let text = sources.source(file).get(range.clone())?;
    let trimmed = text.trim_end_matches(['\n', '\r']).len();
    Some((index, range.start..range.start + trimmed))
}

/// The view of `file` that keeps `lines` (line index → the offsets on it to keep in sight).
fn view(sources: &SourceMap, file: FileId, lines: &BTreeMap<usize, Vec<usize>>) -> View {
    let source = sources.source(file);
    let mut view = View {
        text: String::new(),
        lines: Vec::new(),
    };
    let mut previous: Option<usize> = None;
    for (&index, offsets) in lines {
        if previous.is_some_and(|p| p + 1 < index) {
            // Two unlabelled lines, which the rendering shows as a break (`·`); it would print
            // a single one.
            for _ in 0..2 {
                let at = view.text.len();
                view.text.push('\n');
                view.lines.push(Line {
                    range: at..at + 1,
                    index: None,
                    pieces: Vec::new(),
                });
            }
        }
        previous = Some(index);
        let Some((_, range)) = line_of(sources, file, offsets.first().copied().unwrap_or(0)) else {
            continue;
        };
        let start = view.text.len();
        let mut pieces = Vec::new();
        for (n, window) in windows(source, &range, offsets).into_iter().enumerate() {
            if n > 0 || window.start > range.start {
                view.text.push('…');
            }
            pieces.push(Piece {
                view: view.text.len(),
                source: window.start,
                len: window.len(),
            });
            let kept = source.get(window.clone()).unwrap_or("");
            view.text.extend(kept.chars().map(stand_in));
        }
        if pieces.last().is_some_and(|p| p.source + p.len < range.end) {
            view.text.push('…');
        }
        view.text.push('\n');
        view.lines.push(Line {
            range: start..view.text.len(),
            index: Some(index),
            pieces,
        });
    }
    view
}

/// Whether `c` is shown as a stand-in: a character a terminal would not show as itself (a
/// control character or a bidirectional control, which would reorder the line), tabs aside.
fn shown_otherwise(c: char) -> bool {
    c != '\t' && crate::text::is_hidden(c)
}

/// What a kept character is shown as: itself, or for one [`shown_otherwise`] a visible character
/// of the same length in UTF-8 (`?`, `¿` or `�`), so that every offset and column stays true.
fn stand_in(c: char) -> char {
    if !shown_otherwise(c) {
        return c;
    }
    match c.len_utf8() {
        1 => '?',
        2 => '¿',
        _ => '\u{FFFD}',
    }
}

/// The stretches of the line `range` of `source` to show: all of it if it is short, else
/// [`CONTEXT`] characters either side of each offset, merged where they meet.
fn windows(source: &str, range: &Range<usize>, offsets: &[usize]) -> Vec<Range<usize>> {
    if range.len() <= LONG_LINE {
        return vec![range.clone()];
    }
    let line = source.get(range.clone()).unwrap_or("");
    let mut sorted: Vec<usize> = offsets
        .iter()
        .map(|&at| at.clamp(range.start, range.end) - range.start)
        .collect();
    sorted.sort_unstable();
    let mut windows: Vec<Range<usize>> = Vec::new();
    for at in sorted {
        let start = back(line, at, CONTEXT) + range.start;
        let end = forward(line, at, CONTEXT) + range.start;
        match windows.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => windows.push(start..end),
        }
    }
    windows
}

/// The offset `chars` characters before `at` in `line` (or its start).
fn back(line: &str, at: usize, chars: usize) -> usize {
    let head = line.get(..at).unwrap_or("");
    head.char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// The offset `chars` characters after `at` in `line` (or its end).
fn forward(line: &str, at: usize, chars: usize) -> usize {
    let tail = line.get(at..).unwrap_or("");
    tail.char_indices()
        .nth(chars)
        .map_or(line.len(), |(i, _)| at + i)
}

impl Excerpt<'_> {
    /// Where byte `at` of `file` is in the file's view (its piece's nearest end if not kept).
    fn to_view(&self, file: FileId, at: usize) -> usize {
        let Some(view) = self.views.get(&file) else {
            return 0;
        };
        let mut best = 0;
        for line in &view.lines {
            for piece in &line.pieces {
                if at < piece.source {
                    return best.max(piece.view);
                }
                best = piece.view + (at - piece.source).min(piece.len);
                if at <= piece.source + piece.len {
                    return best;
                }
            }
        }
        best
    }

    /// Where byte `at` of a view is in its file (for columns).
    fn to_source(&self, file: FileId, at: usize) -> Option<usize> {
        let view = self.views.get(&file)?;
        let line = view.lines.iter().find(|l| l.range.contains(&at))?;
        let piece = line
            .pieces
            .iter()
            .rev()
            .find(|p| p.view <= at)
            .or(line.pieces.first())?;
        Some(piece.source + at.saturating_sub(piece.view).min(piece.len))
    }

    fn view(&self, file: FileId) -> Result<&View, Error> {
        self.views.get(&file).ok_or(Error::FileMissing)
    }
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, Error> {
        Ok(self.sources.name(id))
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, Error> {
        Ok(self.view(id)?.text.as_str())
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, Error> {
        let view = self.view(id)?;
        Ok(view
            .lines
            .partition_point(|l| l.range.end <= byte_index)
            .min(view.lines.len().saturating_sub(1)))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, Error> {
        let view = self.view(id)?;
        match view.lines.get(line_index) {
            Some(line) => Ok(line.range.clone()),
            // One past the last line: an empty range at the end, as codespan's own files give.
            None if line_index == view.lines.len() => Ok(view.text.len()..view.text.len()),
            None => Err(Error::LineTooLarge {
                given: line_index,
                max: view.lines.len(),
            }),
        }
    }

    /// The line's number in the file.
    fn line_number(&'a self, id: FileId, line_index: usize) -> Result<usize, Error> {
        let view = self.view(id)?;
        let index = view.lines.get(line_index).and_then(|l| l.index);
        Ok(index.unwrap_or(line_index) + 1)
    }

    /// The column in the file.
    fn column_number(
        &'a self,
        id: FileId,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let view = self.view(id)?;
        let (Some(index), Some(at)) = (
            view.lines.get(line_index).and_then(|l| l.index),
            self.to_source(id, byte_index),
        ) else {
            return Ok(1);
        };
        self.sources.column_number(id, index, at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use codespan_reporting::diagnostic::Label;
    use codespan_reporting::term::{self, termcolor::NoColor};

    fn render(sources: &SourceMap, diagnostic: &Diagnostic) -> String {
        let mut out = NoColor::new(Vec::new());
        let config = term::Config::default();
        match shorten(sources, diagnostic) {
            Some((excerpt, short)) => term::emit(&mut out, &config, &excerpt, &short),
            None => term::emit(&mut out, &config, sources, diagnostic),
        }
        .unwrap();
        String::from_utf8(out.into_inner()).unwrap()
    }

    #[test]
    fn a_short_line_renders_as_it_is() {
        let mut sources = SourceMap::new();
        let file = sources.add("p.rubric", "let x = 1\nlet y = 2\n");
        let d = Diagnostic::warning().with_labels(vec![Label::primary(file, 14..15)]);
        assert!(shorten(&sources, &d).is_none());
    }

    #[test]
    fn a_long_line_is_cut_around_the_label_with_true_line_and_column() {
        let line = format!("{}let target = 1{}", "a ".repeat(5000), " b".repeat(5000));
        let text = format!("first line\n{line}\nlast line\n");
        let mut sources = SourceMap::new();
        let file = sources.add("p.rubric", text.as_str());
        let start = text.find("target").unwrap();
        let d = Diagnostic::warning()
            .with_message("unused")
            .with_labels(vec![
                Label::primary(file, start..start + 6).with_message("here")
            ]);
        let out = render(&sources, &d);
        assert!(out.len() < 600, "{} bytes:\n{out}", out.len());
        assert!(out.contains("p.rubric:2:10005"), "{out}");
        assert!(out.contains("2 │ …"), "{out}");
        assert!(out.contains("let target = 1"), "{out}");
        // The underline is under `target`.
        let code = out.lines().find(|l| l.contains("let target")).unwrap();
        let marks = out.lines().find(|l| l.contains("^^^^^^")).unwrap();
        assert_eq!(
            code.find("target").map(|i| code[..i].chars().count()),
            marks.find('^').map(|i| marks[..i].chars().count())
        );
    }

    #[test]
    fn labels_far_apart_on_one_line_keep_both_ends_and_mark_the_cut() {
        let text = format!("x{}y{}z\nnext\n", "é".repeat(3000), "-".repeat(3000));
        let mut sources = SourceMap::new();
        let file = sources.add("p.rubric", text.as_str());
        let y = text.find('y').unwrap();
        let z = text.find('z').unwrap();
        let next = text.find("next").unwrap();
        let d = Diagnostic::error().with_labels(vec![
            Label::primary(file, y..y + 1),
            Label::secondary(file, z..z + 1),
            Label::secondary(file, next..next + 4),
        ]);
        let out = render(&sources, &d);
        assert!(out.len() < 1000, "{out}");
        assert!(out.contains("p.rubric:1:3002"), "{out}");
        assert!(out.contains("2 │ next"), "{out}");
        assert!(out.matches('…').count() >= 2, "{out}");
    }
}
