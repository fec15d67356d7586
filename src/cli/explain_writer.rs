//! `rubric eval --explain`: a writer between the evaluator and the output that adds an
//! `"explanation"` array to each JSON decision line, phrased by [`rubric::phrase`]. The evaluator
//! and its default output stay untouched.

use rubric::phrase::{explain_decision, Outcome, Phraser};
use rust_decimal::Decimal;
use serde_json::Value;
use std::io::{self, Write};
use std::str::FromStr;

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
        let explained = serde_json::from_slice::<Value>(&line)
            .ok()
            .and_then(|v| outcome(&v))
            .map(|o| explain_decision(self.phraser, &o));
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

/// A number from a decision line. Integers are exact; other numbers come back in their shortest
/// form, which is the decimal the evaluator wrote (explanations are text, never computed on).
fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => Decimal::from_str(&n.to_string())
            .ok()
            .or_else(|| Decimal::from_scientific(&n.to_string()).ok()),
        _ => None,
    }
}

fn names(v: Option<&Value>, field: Option<&str>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| match field {
                    Some(f) => i.get(f).and_then(Value::as_str),
                    None => i.as_str(),
                })
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn pairs(v: Option<&Value>, number: &str) -> Vec<(String, Decimal)> {
    v.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|i| {
                    Some((
                        i.get("rule")?.as_str()?.to_string(),
                        decimal(i.get(number)?)?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn outcome(v: &Value) -> Option<Outcome> {
    Some(Outcome {
        score: decimal(v.get("score")?)?,
        tier: v.get("tier").and_then(Value::as_str).map(str::to_string),
        fired: pairs(v.get("rules"), "points"),
        unknown: names(v.get("unknown"), None),
        reasons: pairs(v.get("reasons"), "points_below"),
        consequences: names(v.get("consequences"), Some("consequence")),
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
