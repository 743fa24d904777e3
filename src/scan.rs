//! A fast splitter for scenario files: reads the text in large chunks and hands out the bytes
//! of each top-level member and of each element of the `steps` list, so each can be parsed
//! with `serde_json::from_slice` (several times faster than parsing from a reader) while the
//! file as a whole is never held in memory.
//!
//! The splitter only finds where pieces begin and end; the pieces themselves are checked by
//! whoever parses them. Whenever the text is not plainly a well-formed scenario object (a
//! syntax problem between pieces, an escaped `"steps"` key, very deep nesting, ...), it stops
//! with [`ScanError::Irregular`] and the caller falls back to the full parser, which finds and
//! words the problem.

use std::io::{self, Read};

/// Nesting deeper than this inside one piece is left to the full parser (serde_json's own
/// limit applies to the whole document, which a piece-by-piece parse would not see).
const MAX_PIECE_DEPTH: usize = 100;
const CHUNK: usize = 1 << 20;

/// One piece of a scenario text.
pub enum Piece<'a> {
    /// A top-level member other than `steps`: its key and value as JSON text.
    Member { key: &'a [u8], value: &'a [u8] },
    /// One element of the `steps` list, as JSON text.
    Step(&'a [u8]),
}

#[derive(Debug)]
pub enum ScanError {
    /// Not plainly a scenario object: let the full parser look at it.
    Irregular,
    Io(io::Error),
    /// The callback stopped the scan (its reason is the callback's to keep).
    Stopped,
}

impl From<io::Error> for ScanError {
    fn from(e: io::Error) -> Self {
        ScanError::Io(e)
    }
}

struct Input<R> {
    r: R,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
}

impl<R: Read> Input<R> {
    /// Makes unread bytes available; false at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.pos < self.len {
            return Ok(true);
        }
        loop {
            match self.r.read(&mut self.buf) {
                Ok(n) => {
                    self.pos = 0;
                    self.len = n;
                    return Ok(n > 0);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(if self.fill()? { Some(self.buf[self.pos]) } else { None })
    }

    fn skip_ws(&mut self) -> io::Result<Option<u8>> {
        while let Some(b) = self.peek()? {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Ok(Some(b));
            }
            self.pos += 1;
        }
        Ok(None)
    }

    /// Consumes `want` (after whitespace) or fails as irregular.
    fn expect(&mut self, want: u8) -> Result<(), ScanError> {
        if self.skip_ws()? != Some(want) {
            return Err(ScanError::Irregular);
        }
        self.pos += 1;
        Ok(())
    }

    /// Copies the bytes of the JSON value starting here (after whitespace) into `out`.
    fn value(&mut self, out: &mut Vec<u8>) -> Result<(), ScanError> {
        out.clear();
        let first = self.skip_ws()?.ok_or(ScanError::Irregular)?;
        let scalar = !matches!(first, b'{' | b'[' | b'"');
        let (mut depth, mut in_str, mut esc) = (0usize, false, false);
        loop {
            if !self.fill()? {
                // The end of the input ends only a scalar (and a scenario is never one).
                return if scalar && !out.is_empty() { Ok(()) } else { Err(ScanError::Irregular) };
            }
            let chunk = &self.buf[self.pos..self.len];
            let mut end = None;
            for (i, &b) in chunk.iter().enumerate() {
                if scalar {
                    if matches!(b, b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t') {
                        end = Some(i);
                        break;
                    }
                } else if in_str {
                    if esc {
                        esc = false;
                    } else if b == b'\\' {
                        esc = true;
                    } else if b == b'"' {
                        in_str = false;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                } else {
                    match b {
                        b'"' => in_str = true,
                        b'{' | b'[' => {
                            depth += 1;
                            if depth > MAX_PIECE_DEPTH {
                                return Err(ScanError::Irregular);
                            }
                        }
                        b'}' | b']' => {
                            depth = depth.checked_sub(1).ok_or(ScanError::Irregular)?;
                            if depth == 0 {
                                end = Some(i + 1);
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            let take = end.unwrap_or(chunk.len());
            out.extend_from_slice(&chunk[..take]);
            self.pos += take;
            if end.is_some() {
                return if out.is_empty() { Err(ScanError::Irregular) } else { Ok(()) };
            }
        }
    }
}

/// Splits a scenario text read from `r`, calling `each` for every top-level member (in order)
/// and every step (in order, as they come). Returns how many `steps` members there were.
pub fn scan<R: Read>(r: R, each: &mut dyn FnMut(Piece) -> Result<(), ScanError>) -> Result<usize, ScanError> {
    let mut input = Input { r, buf: vec![0; CHUNK], pos: 0, len: 0 };
    let (mut key, mut value) = (Vec::new(), Vec::with_capacity(4096));
    let mut lists = 0;
    input.expect(b'{')?;
    if input.skip_ws()? == Some(b'}') {
        input.pos += 1;
    } else {
        loop {
            if input.skip_ws()? != Some(b'"') {
                return Err(ScanError::Irregular);
            }
            input.value(&mut key)?;
            input.expect(b':')?;
            if key == b"\"steps\"" {
                lists += 1;
                input.expect(b'[')?;
                if input.skip_ws()? == Some(b']') {
                    input.pos += 1;
                } else {
                    loop {
                        input.value(&mut value)?;
                        each(Piece::Step(&value))?;
                        match input.skip_ws()? {
                            Some(b',') => input.pos += 1,
                            Some(b']') => {
                                input.pos += 1;
                                break;
                            }
                            _ => return Err(ScanError::Irregular),
                        }
                    }
                }
            } else {
                input.value(&mut value)?;
                each(Piece::Member { key: &key, value: &value })?;
            }
            match input.skip_ws()? {
                Some(b',') => input.pos += 1,
                Some(b'}') => {
                    input.pos += 1;
                    break;
                }
                _ => return Err(ScanError::Irregular),
            }
        }
    }
    match input.skip_ws()? {
        None => Ok(lists),
        Some(_) => Err(ScanError::Irregular),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Result<Vec<String>, ()> {
        let mut out = Vec::new();
        let r = scan(text.as_bytes(), &mut |p| {
            out.push(match p {
                Piece::Member { key, value } => format!("{}={}", String::from_utf8_lossy(key), String::from_utf8_lossy(value)),
                Piece::Step(s) => format!("step {}", String::from_utf8_lossy(s)),
            });
            Ok(())
        });
        r.map(|_| out).map_err(|_| ())
    }

    #[test]
    fn members_and_steps_come_out_whole_and_in_order() {
        let text = r#" { "seed" : 7, "description": "a \"quoted\" } ] text",
            "steps": [ {"PutItem": {"Item": {"s": {"S": "x]}\\"}}}} , {"AdvanceClock":{"Seconds":1}} ],
            "simulator": {"shardsPerStream": 2}, "n": null } "#;
        assert_eq!(
            pieces(text),
            Ok(vec![
                r#""seed"=7"#.to_string(),
                r#""description"="a \"quoted\" } ] text""#.to_string(),
                r#"step {"PutItem": {"Item": {"s": {"S": "x]}\\"}}}}"#.to_string(),
                r#"step {"AdvanceClock":{"Seconds":1}}"#.to_string(),
                r#""simulator"={"shardsPerStream": 2}"#.to_string(),
                r#""n"=null"#.to_string(),
            ])
        );
        assert_eq!(pieces(r#"{"steps": []}"#), Ok(vec![]));
        assert_eq!(pieces("{}"), Ok(vec![]));
    }

    #[test]
    fn anything_irregular_is_left_to_the_full_parser() {
        for bad in [
            "",
            "[]",
            r#"{"steps": [1,]}"#,
            r#"{"steps": [,1]}"#,
            r#"{"steps": [1 2]}"#,
            r#"{"steps": {}}"#,
            r#"{"a": 1,}"#,
            r#"{"a" 1}"#,
            r#"{"a": 1} x"#,
            r#"{"a": 1"#,
            r#"{"steps": [{"PutItem": {}}"#,
            r#"{"a": "never closed}"#,
            r#"{"a": ]}"#,
            r#"{a: 1}"#,
        ] {
            assert_eq!(pieces(bad), Err(()), "{bad:?}");
        }
        let deep = format!(r#"{{"steps": [{}{}]}}"#, "[".repeat(MAX_PIECE_DEPTH + 1), "]".repeat(MAX_PIECE_DEPTH + 1));
        assert_eq!(pieces(&deep), Err(()));
    }

    #[test]
    fn pieces_split_across_reads_are_whole() {
        // A reader that returns one byte at a time.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let Some((first, rest)) = self.0.split_first() else { return Ok(0) };
                buf[0] = *first;
                self.0 = rest;
                Ok(1)
            }
        }
        let text = br#"{"steps": [{"A": {"s": "a\"b"}}, {"B": {}}], "seed": 12}"#;
        let mut got = Vec::new();
        scan(Trickle(text), &mut |p| {
            if let Piece::Step(s) | Piece::Member { value: s, .. } = p {
                got.push(String::from_utf8_lossy(s).into_owned());
            }
            Ok(())
        })
        .map_err(|e| format!("{e:?}"))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got, [r#"{"A": {"s": "a\"b"}}"#, r#"{"B": {}}"#, "12"]);
    }
}
