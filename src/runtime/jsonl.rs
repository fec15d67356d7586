//! A scanner for one JSON object per line, specialised to what records are: flat objects whose
//! declared fields hold scalars.
//!
//! Numbers are handed over as their text, so they become exact decimals without ever passing
//! through binary floating point (serde_json can only do that in its slower arbitrary-precision
//! mode). Nested values are skipped and reported as such; everything else about JSON (escapes,
//! surrogate pairs, exponents, white space) follows RFC 8259, and the tests compare the scanner
//! with serde_json on generated input.

use std::borrow::Cow;

/// A field's value as it appears in the record.
#[derive(Clone, Debug, PartialEq)]
pub enum Raw<'a> {
    Null,
    Bool(bool),
    /// A JSON number, as written (validated against the JSON grammar).
    Number(&'a str),
    Text(Cow<'a, str>),
    /// An object or array: records are flat, so this is never a valid indicator value.
    Nested,
}

/// Why a line is not a JSON object, and where (a byte offset into the line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanError {
    pub offset: usize,
    pub message: String,
}

/// Calls `field(key, value)` for each member of the object on `line`, in order. Returns an error
/// if the line is not exactly one JSON object.
pub fn scan<'a>(
    line: &'a str,
    mut field: impl FnMut(&str, Raw<'a>) -> Result<(), String>,
) -> Result<(), ScanError> {
    let mut s = Scanner {
        text: line,
        bytes: line.as_bytes(),
        pos: 0,
    };
    s.ws();
    s.expect(b'{', "a record must be a JSON object starting with `{`")?;
    s.ws();
    if s.peek() == Some(b'}') {
        s.pos += 1;
    } else {
        loop {
            s.ws();
            if s.peek() != Some(b'"') {
                return Err(s.error("expected a field name in double quotes"));
            }
            let key_at = s.pos;
            let key = s.string()?;
            s.ws();
            s.expect(b':', "expected `:` after the field name")?;
            s.ws();
            let value = s.value()?;
            field(&key, value).map_err(|message| ScanError {
                offset: key_at,
                message,
            })?;
            s.ws();
            match s.next() {
                Some(b',') => continue,
                Some(b'}') => break,
                _ => {
                    s.pos = s.pos.saturating_sub(1);
                    return Err(s.error("expected `,` or `}` after a field's value"));
                }
            }
        }
    }
    s.ws();
    if s.pos < s.bytes.len() {
        return Err(s.error("unexpected text after the end of the record"));
    }
    Ok(())
}

/// The offset of the first byte in `bytes` that ends the plain run of a text: a `"`, a `\\` or a
/// control character (`bytes.len()` if there is none). Eight bytes at a time: a byte `b` is
/// found by the classic "has a zero byte" test on `word ^ b`, and a byte below 0x20 by the
/// same test on `word - 0x20` in each byte; the lowest flagged byte of each test is exact, so the
/// lowest of the three is the first byte sought.
fn special(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let flagged = |word: u64| {
        let below = |x: u64, b: u8| x.wrapping_sub(ONES * u64::from(b)) & !x & HIGH;
        below(word ^ (ONES * u64::from(b'"')), 1)
            | below(word ^ (ONES * u64::from(b'\\')), 1)
            | below(word, 0x20)
    };
    let mut at = 0;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let found = flagged(u64::from_le_bytes(word));
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    // The last bytes, padded with a byte that is never sought.
    let tail = chunks.remainder();
    let mut word = [b'a'; 8];
    if let Some(head) = word.get_mut(..tail.len()) {
        head.copy_from_slice(tail);
    }
    let found = flagged(u64::from_le_bytes(word));
    if found != 0 {
        at + (found.trailing_zeros() / 8) as usize
    } else {
        at + tail.len()
    }
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek();
        self.pos += 1;
        b
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn error(&self, message: &str) -> ScanError {
        ScanError {
            offset: self.pos.min(self.bytes.len()),
            message: message.to_string(),
        }
    }

    fn expect(&mut self, byte: u8, message: &str) -> Result<(), ScanError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(message))
        }
    }

    fn literal(&mut self, word: &str, value: Raw<'a>) -> Result<Raw<'a>, ScanError> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value: a number, a text in quotes, true, false or null"))
        }
    }

    /// A value; a nested one is validated and skipped (containers are handled by the caller
    /// of this function inside [`Scanner::skip_nested`], so this never recurses).
    fn value(&mut self) -> Result<Raw<'a>, ScanError> {
        match self.peek() {
            Some(b'"') => Ok(Raw::Text(self.string()?)),
            Some(b't') => self.literal("true", Raw::Bool(true)),
            Some(b'f') => self.literal("false", Raw::Bool(false)),
            Some(b'n') => self.literal("null", Raw::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'{' | b'[') => {
                self.skip_nested()?;
                Ok(Raw::Nested)
            }
            _ => {
                Err(self.error("expected a value: a number, a text in quotes, true, false or null"))
            }
        }
    }

    /// A number per RFC 8259: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<Raw<'a>, ScanError> {
        let start = self.pos;
        let digits = |s: &mut Self| {
            let rest = s.bytes.get(s.pos..).unwrap_or(&[]);
            let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            s.pos += n;
            n
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.error("expected digits in a number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.error("expected digits after the decimal point"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.error("expected digits in the exponent"));
            }
        }
        Ok(Raw::Number(self.text.get(start..self.pos).unwrap_or("")))
    }

    fn string(&mut self) -> Result<Cow<'a, str>, ScanError> {
        self.pos += 1; // the opening quote
        let start = self.pos;
        // Fast path: no escapes, so the text can be borrowed.
        self.pos = start + special(self.bytes.get(start..).unwrap_or(&[]));
        match self.peek() {
            Some(b'"') => {
                let text = self.text.get(start..self.pos).unwrap_or("");
                self.pos += 1;
                return Ok(Cow::Borrowed(text));
            }
            Some(0x00..=0x1f) => {
                return Err(self.error("a control character must be escaped inside a text"))
            }
            // An escape, or the end of the line: the slow path decodes or reports it.
            _ => {}
        }
        let mut out = String::from(self.text.get(start..self.pos).unwrap_or(""));
        loop {
            let Some(b) = self.peek() else {
                return Err(self.error("a text is not closed with `\"`"));
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    self.pos += 1;
                    let escaped = self
                        .next()
                        .ok_or_else(|| self.error("a text ends in the middle of an escape"))?;
                    match escaped {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => {
                            self.pos -= 1;
                            return Err(self.error("unknown escape in a text"));
                        }
                    }
                }
                0x00..=0x1f => {
                    return Err(self.error("a control character must be escaped inside a text"))
                }
                _ => {
                    // Copy one whole UTF-8 character (the line was validated as UTF-8).
                    let rest = self.text.get(self.pos..).unwrap_or("");
                    let ch = rest.chars().next().unwrap_or('\u{fffd}');
                    out.push(ch);
                    self.pos += ch.len_utf8();
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ScanError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("expected four hexadecimal digits after `\\u`"))?;
        self.pos += 4;
        u32::from_str_radix(digits, 16)
            .map_err(|_| self.error("expected four hexadecimal digits after `\\u`"))
    }

    fn unicode_escape(&mut self) -> Result<char, ScanError> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                return Err(self.error("a UTF-16 surrogate must be followed by its pair"));
            }
            self.pos += 2;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(self.error("invalid UTF-16 surrogate pair"));
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode escape"))
    }

    /// Skips an object or array, validating it. Nesting is tracked on an explicit stack, not by
    /// recursion, so no depth of nesting can overflow the call stack.
    fn skip_nested(&mut self) -> Result<(), ScanError> {
        // Each entry is the closing byte of an open container.
        let mut open: Vec<u8> = Vec::new();
        loop {
            // At the start of a value.
            self.ws();
            match self.peek() {
                Some(b'{') => {
                    self.pos += 1;
                    self.ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                    } else {
                        open.push(b'}');
                        self.key()?;
                        continue;
                    }
                }
                Some(b'[') => {
                    self.pos += 1;
                    self.ws();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                    } else {
                        open.push(b']');
                        continue;
                    }
                }
                _ => {
                    self.value()?;
                }
            }
            // After a value: close containers or move to the next element.
            loop {
                let Some(&closing) = open.last() else {
                    return Ok(());
                };
                self.ws();
                match self.next() {
                    Some(b',') => {
                        if closing == b'}' {
                            self.ws();
                            self.key()?;
                        }
                        break;
                    }
                    Some(b) if b == closing => {
                        open.pop();
                    }
                    _ => {
                        self.pos = self.pos.saturating_sub(1);
                        return Err(self.error("a nested value is malformed"));
                    }
                }
            }
        }
    }

    /// `"name" :` inside a nested object.
    fn key(&mut self) -> Result<(), ScanError> {
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a field name in double quotes"));
        }
        self.string()?;
        self.ws();
        self.expect(b':', "expected `:` after the field name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Result<Vec<(String, Raw<'_>)>, ScanError> {
        let mut out = Vec::new();
        scan(line, |k, v| {
            out.push((k.to_string(), v));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn reads_flat_records() {
        let got = fields(
            r#" {"a": 1.50, "b":"x\"y", "c":true, "d":null, "e":-0.5e2, "f":{"g":[1,"}"]}} "#,
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                ("a".into(), Raw::Number("1.50")),
                ("b".into(), Raw::Text(Cow::Owned("x\"y".into()))),
                ("c".into(), Raw::Bool(true)),
                ("d".into(), Raw::Null),
                ("e".into(), Raw::Number("-0.5e2")),
                ("f".into(), Raw::Nested),
            ]
        );
    }

    #[test]
    fn decodes_unicode_escapes_and_surrogates() {
        let got = fields(r#"{"k\u00e9":"\ud83d\ude00\n"}"#).unwrap();
        assert_eq!(
            got,
            vec![("ké".into(), Raw::Text(Cow::Owned("😀\n".into())))]
        );
    }

    #[test]
    fn rejects_what_json_rejects() {
        for bad in [
            "",
            "[]",
            "{",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":01}",
            "{\"a\":1.}",
            "{\"a\":.5}",
            "{\"a\":1,}",
            "{\"a\":tru}",
            "{\"a\":\"x}",
            "{} x",
            "{\"a\":\"\\x\"}",
            "{a:1}",
            "{\"a\":\"\t\"}",
            "{\"a\":-}",
            "{\"a\":1e}",
            "{\"a\":\"\\ud800\"}",
            "{\"a\":[1,2}",
        ] {
            assert!(fields(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn deep_nesting_neither_overflows_nor_passes_unclosed() {
        let deep = format!("{{\"x\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(fields(&deep).unwrap(), vec![("x".into(), Raw::Nested)]);
        let unclosed = format!("{{\"x\":{}1}}", "[".repeat(100_000));
        assert!(fields(&unclosed).is_err());
    }

    /// Regression: malformed JSON inside an ignored nested field was once accepted.
    #[test]
    fn agrees_with_serde_json_on_what_is_valid() {
        // Every prefix and one-byte mutation of a valid record: the scanner accepts exactly what
        // serde_json accepts as an object.
        let base = r#"{"id":"r-1","n":-12.5e1,"t":"a\"b\u00e9","b":false,"z":null,"o":{"x":[1,{"y":"]"}]}}"#;
        let mut cases: Vec<String> = (0..=base.len())
            .filter_map(|i| base.get(..i).map(str::to_string))
            .collect();
        for (i, _) in base.char_indices() {
            for replacement in ["", " ", "\"", "}", "{", ",", ":", "0", "-", "e", "\\"] {
                let mut s = base.to_string();
                s.replace_range(i..i + 1, replacement);
                cases.push(s);
            }
        }
        for case in cases {
            let ours = fields(&case).is_ok();
            let theirs =
                serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&case).is_ok();
            // serde_json allows duplicate keys (last wins); so do we (the record layer rejects them).
            assert_eq!(ours, theirs, "disagree on {case:?}");
        }
    }

    /// The eight-bytes-at-a-time search finds what a byte-by-byte one finds, at every length and
    /// offset (texts longer than a word, special bytes in the tail, UTF-8 bytes above 0x7f).
    #[test]
    fn special_finds_the_first_quote_backslash_or_control_character() {
        let plain = |b: u8| b != b'"' && b != b'\\' && b >= 0x20;
        let fills: [&[u8]; 4] = [b"a", "é".as_bytes(), b"\x7f\x80\xff ", b"!#[]~"];
        for fill in fills {
            for len in 0..40 {
                let base: Vec<u8> = fill.iter().copied().cycle().take(len).collect();
                assert_eq!(special(&base), len);
                for at in 0..len {
                    for byte in [
                        b'"',
                        b'\\',
                        0x00,
                        0x1f,
                        b'\n',
                        0x20,
                        0x21,
                        0x5b,
                        0x5d,
                        0x7f,
                        0x22 ^ 0x80,
                    ] {
                        let mut bytes = base.clone();
                        bytes[at] = byte;
                        // A second special byte further on must not matter.
                        if at + 3 < len {
                            bytes[at + 3] = b'"';
                        }
                        let expected = bytes.iter().position(|&b| !plain(b)).unwrap_or(len);
                        assert_eq!(special(&bytes), expected, "{bytes:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn texts_of_every_length_are_read() {
        for len in 0..40 {
            let text: String = "abcdé".chars().cycle().take(len).collect();
            let escaped = format!("{}\\n{}", text, text);
            let line = format!(r#"{{"{text}":"{text}","k":"{escaped}"}}"#);
            let got = fields(&line).unwrap();
            assert_eq!(
                got,
                vec![
                    (text.clone(), Raw::Text(Cow::Borrowed(text.as_str()))),
                    ("k".into(), Raw::Text(Cow::Owned(format!("{text}\n{text}")))),
                ]
            );
            let unclosed = format!(r#"{{"k":"{text}"#);
            assert!(fields(&unclosed).is_err());
            let control = format!("{{\"k\":\"{text}\u{1}\"}}");
            assert_eq!(
                fields(&control).unwrap_err().offset,
                6 + text.len(),
                "{control:?}"
            );
        }
    }
}
