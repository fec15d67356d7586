//! `rubric eval --explain`: a writer between the evaluator and the output that adds an
//! `"explanation"` array to each JSON decision line, phrased by [`rubric::phrase`]. The evaluator
//! and its default output stay untouched.

use rubric::phrase::{explain_decision, Outcome, Phraser};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::io::{self, Write};

pub struct ExplainWriter<'p, 'm, 'a, W: Write> {
    inner: W,
    phraser: &'p Phraser<'m, 'a>,
    line: Vec<u8>,
}

impl<'p, 'm, 'a, W: Write> ExplainWriter<'p, 'm, 'a, W> {
    pub fn new(inner: W, phraser: &'p Phraser<'m, 'a>) -> Self {
        ExplainWriter {
            inner,
            phraser,
            line: Vec::with_capacity(1024),
        }
    }

    /// Writes one complete line (without its newline), explained when it is a decision.
    fn finish_line(&mut self) -> io::Result<()> {
        let line = std::mem::take(&mut self.line);
        let explained = outcome(&line).map(|o| explain_decision(self.phraser, &o));
        match (explained, line.strip_suffix(b"}")) {
            (Some(sentences), Some(head)) => {
                self.inner.write_all(head)?;
                self.inner.write_all(b",\"explanation\":")?;
                serde_json::to_writer(&mut self.inner, &sentences).map_err(io::Error::other)?;
                self.inner.write_all(b"}\n")?;
            }
            _ => {
                self.inner.write_all(&line)?;
                self.inner.write_all(b"\n")?;
            }
        }
        self.line = line;
        self.line.clear();
        Ok(())
    }
}

/// The parts of a decision line an explanation needs. Numbers are kept as their JSON text
/// (`RawValue`), so they reach the explanation exactly as the evaluator wrote them.
#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow)]
    score: &'a RawValue,
    tier: Option<String>,
    #[serde(borrow)]
    rules: Vec<RuleLine<'a>>,
    unknown: Vec<String>,
    #[serde(borrow)]
    reasons: Vec<ReasonLine<'a>>,
    consequences: Vec<ConsequenceLine>,
}

#[derive(Deserialize)]
struct RuleLine<'a> {
    rule: String,
    #[serde(borrow)]
    points: &'a RawValue,
}

#[derive(Deserialize)]
struct ReasonLine<'a> {
    rule: String,
    #[serde(borrow)]
    points_below: &'a RawValue,
}

#[derive(Deserialize)]
struct ConsequenceLine {
    consequence: String,
}

/// A JSON number, exactly (decisions never use exponents, but accept them anyway).
fn decimal(raw: &RawValue) -> Option<Decimal> {
    let text = raw.get();
    Decimal::from_str_exact(text)
        .ok()
        .or_else(|| Decimal::from_scientific(text).ok())
}

/// The outcome recorded on a decision line, or `None` for any other line.
fn outcome(line: &[u8]) -> Option<Outcome> {
    let line: Line<'_> = serde_json::from_slice(line).ok()?;
    Some(Outcome {
        score: decimal(line.score)?,
        tier: line.tier,
        fired: line
            .rules
            .iter()
            .map(|r| Some((r.rule.clone(), decimal(r.points)?)))
            .collect::<Option<_>>()?,
        unknown: line.unknown,
        reasons: line
            .reasons
            .iter()
            .map(|r| Some((r.rule.clone(), decimal(r.points_below)?)))
            .collect::<Option<_>>()?,
        consequences: line
            .consequences
            .into_iter()
            .map(|c| c.consequence)
            .collect(),
    })
}

impl<W: Write> Write for ExplainWriter<'_, '_, '_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while let Some(pos) = rest.iter().position(|b| *b == b'\n') {
            let (head, tail) = rest.split_at(pos);
            self.line.extend_from_slice(head);
            self.finish_line()?;
            rest = tail.get(1..).unwrap_or_default();
        }
        self.line.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.inner.write_all(&line)?;
        }
        self.inner.flush()
    }
}
