//! The reading of `replay_streaming`, over the file read in 1 MiB blocks: a small checker that
//! accepts exactly the JSON serde_json's `Value` accepts (handing serde_json the rare forms:
//! exponents, very long numbers, escaped surrogates) hands out the top-level members' texts,
//! and each step is built straight from its checked text, exactly as serde_json would
//! (numbers, member order, repeated members), a PutItem's item decoded into an engine item
//! (or left for the running thread to decode, when it is about to wait).
//!
//! Why it is hand-written and not serde_json's own streaming (docs/benchmarks.md, "Replay"):
//! measured 2026-12-07 against the alternative, a `Visitor` over the top-level object that
//! reads `steps` one element at a time as `Value`s with `Deserializer::from_reader` on a
//! `BufReader` (commit cfcc58e on branch measure-serde-reader: same output bytes, same errors,
//! same tests passing, 121 lines instead of these 693). Release builds, runs alternated on the
//! shared 2-core machine, which other jobs kept loaded (load average 1.0 to 5.1):
//!
//! ```text
//! cargo bench --bench engine -- --gen 1000000 target/bench/replay-1m.json     # and --gen 100000
//! /usr/bin/time -f "%e s %M KB %U+%S" target/release/streamlab replay FILE > /dev/null
//! valgrind --tool=callgrind --separate-threads=yes target/release/streamlab replay FILE > /dev/null
//!
//!                                      hand-written            serde_json from_reader
//! 1M writes, wall (36 runs each)       2.64 / 6.28 / 10.22 s   4.97 / 8.06 / 13.66 s  (min/median/max)
//!   serde / hand-written, per pair     median 1.49 (0.83 to 2.83)
//!   CPU, user + sys                    4.51 / 5.08 / 7.41 s    6.82 / 7.50 / 9.14 s
//!   max RSS                            357-362 MB              357-362 MB
//! 100k writes, wall (14 runs each)     0.40 / 0.57 / 1.14 s    0.67 / 0.80 / 1.15 s
//! 100k, instructions, reader thread    2.11 G                  4.07 G    (main thread 1.90 G, 1.78 G;
//!   the reader's slot also counts one of the two output writers, the same work in both)
//! binary (cargo build --release)       1,756,224 bytes         1,705,488 bytes
//! ```
//!
//! serde_json reads a `Read` a byte at a time (`IoRead::parse_str` and `next_or_eof` are about
//! a quarter of its reader thread) and builds each step's order-preserving maps, so the reader
//! thread, the replay's critical path, does about twice the work. This reader meets the 3 s
//! target with 1.75 to 2.39 s on the idle machine (sixth session), a margin of 0.6 s or more;
//! at the measured ratios (1.5 to 1.9) serde_json's would take 2.6 to 4.5 s, at or over the
//! target, and none of its 36 runs here took under 4.97 s. Memory is the same (flat: the steps are never held; the retained records are the
//! 360 MB).

use crate::model::Result;
use crate::model::{item_from, Item, Json};
use crate::sim::Operation;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::io::{self, Read};

use crate::model::PLAIN;

/// serde_json's nesting limit: a file nesting deeper is not JSON to it.
const MAX_DEPTH: usize = 127;

/// A file read in blocks: `buf[pos..len]` is read and not yet consumed.
struct Blocks<R> {
    src: R,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    eof: bool,
}

impl<R: Read> Blocks<R> {
    /// Reads more, keeping the unconsumed bytes (the buffer grows when they fill it).
    fn fill(&mut self) -> io::Result<()> {
        self.buf.copy_within(self.pos..self.len, 0);
        self.len -= self.pos;
        self.pos = 0;
        if self.len == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        loop {
            match self.src.read(&mut self.buf[self.len..]) {
                Ok(n) => {
                    self.len += n;
                    self.eof = n == 0;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// The next byte that is not JSON whitespace, not consumed; `None` at the end.
    fn peek(&mut self) -> io::Result<Option<u8>> {
        loop {
            if let Some(i) = ws(&self.buf[..self.len], self.pos) {
                self.pos = i;
                return Ok(Some(self.buf[i]));
            }
            self.pos = self.len;
            if self.eof {
                return Ok(None);
            }
            self.fill()?;
        }
    }

    /// Consumes `c` if it comes next (after whitespace).
    fn eat(&mut self, c: u8) -> io::Result<bool> {
        let next = self.peek()? == Some(c);
        self.pos += usize::from(next);
        Ok(next)
    }

    /// The next text that `read` (given the bytes read and where the text starts) finds
    /// complete, and what it makes of it, reading on as needed; `None` when it finds none
    /// before the file ends.
    fn next<T>(&mut self, mut read: impl FnMut(&[u8], usize) -> Option<(usize, T)>) -> io::Result<Option<(&[u8], T)>> {
        self.peek()?;
        loop {
            match read(&self.buf[..self.len], self.pos) {
                // A text that ends where the bytes read end (a number) may go on.
                Some((e, v)) if e < self.len || self.eof => {
                    let start = std::mem::replace(&mut self.pos, e);
                    return Ok(Some((&self.buf[start..e], v)));
                }
                _ if self.eof => return Ok(None),
                _ => self.fill()?,
            }
        }
    }
}

/// Makes a step of the bytes read, given where the step starts: its end and the step.
pub type StepReader<'a, S> = dyn FnMut(&[u8], usize) -> Option<(usize, S)> + 'a;
/// Sees each top-level member (key, text) or step (`None`, text, the step); false stops the walk.
pub type MemberVisitor<'a, S> = dyn FnMut(Option<String>, &[u8], Option<S>) -> bool + 'a;

/// Walks a scenario file's top-level object, handing `f` each member's key and value
/// text, or (key `None`) each step's text and what `step` (given the bytes read and where
/// the step starts) makes of it. Returns how many `steps` lists there were; `None` if the
/// file is not JSON of that shape, or `step` found no step, or `f` returned false.
pub fn walk<R: Read, S>(src: R, step: &mut StepReader<S>, f: &mut MemberVisitor<S>) -> io::Result<Option<usize>> {
    let mut r = Blocks { src, buf: vec![0; 1 << 20], pos: 0, len: 0, eof: false };
    let mut steps = 0;
    if !r.eat(b'{')? {
        return Ok(None);
    }
    if !r.eat(b'}')? {
        loop {
            let Some(Ok(key)) =
                r.next(|t, i| Some((string(t, i)?, ())))?.map(|(k, _)| serde_json::from_slice::<String>(k))
            else {
                return Ok(None);
            };
            if !r.eat(b':')? {
                return Ok(None);
            }
            if key == "steps" {
                steps += 1;
                if !r.eat(b'[')? {
                    return Ok(None);
                }
                if !r.eat(b']')? {
                    loop {
                        let Some((v, s)) = r.next(&mut *step)? else { return Ok(None) };
                        if !f(None, v, Some(s)) {
                            return Ok(None);
                        }
                        if r.eat(b']')? {
                            break;
                        }
                        if !r.eat(b',')? {
                            return Ok(None);
                        }
                    }
                }
            } else {
                let Some((v, _)) = r.next(|t, i| Some((value(t, i, 1)?, ())))? else { return Ok(None) };
                if !f(Some(key), v, None) {
                    return Ok(None);
                }
            }
            if r.eat(b'}')? {
                break;
            }
            if !r.eat(b',')? {
                return Ok(None);
            }
        }
    }
    Ok(r.peek()?.is_none().then_some(steps))
}

/// The step at `t[i]`, in a file `walk` has checked, read from a window of the bytes
/// read that grows until it holds the step (`window` is kept for the next): its end and
/// the step. `None` if the file has changed since it was checked.
pub fn parse_step(t: &[u8], i: usize, window: &mut usize, scratch: &mut Scratch) -> Option<(usize, Step)> {
    loop {
        let w = &t[i..t.len().min(i + *window)];
        let text = std::str::from_utf8(w).or_else(|e| std::str::from_utf8(&w[..e.valid_up_to()])).ok()?;
        scratch.members.clear();
        scratch.elems.clear();
        scratch.item = None;
        match build_step(text, scratch) {
            Some((end, step)) => return Some((i + end, step)),
            None if w.len() < t.len() - i => *window *= 2,
            None => return None,
        }
    }
}

/// A step's action and body, and for a PutItem whose `Item` is an object, that item (the
/// body's `Item` is then an empty object).
pub struct Step(pub String, pub Value, pub Option<PutItem>);

/// A PutItem's `Item`: decoded, or read (its text and tape) for the thread that runs the
/// step to decode.
pub enum PutItem {
    Decoded(Result<Item>),
    Read(String, Vec<Node>),
}

impl PutItem {
    /// `item_from` the item's text.
    pub fn decode(self) -> Result<Item> {
        match self {
            PutItem::Decoded(item) => item,
            PutItem::Read(s, tape) => item_from(Recorded { s: &s, tape: &tape, n: 0 }),
        }
    }
}

/// The members and elements of the objects and lists `build` is reading, reused; whether
/// to leave items read.
#[derive(Default)]
pub struct Scratch {
    members: Vec<(String, Value)>,
    elems: Vec<Value>,
    /// The PutItem's `Item`, while its body is built, and the tape it is read from.
    item: Option<PutItem>,
    tape: Vec<Node>,
    /// Leave items read, not decoded.
    pub defer: bool,
}

/// The depth `build` gives a step's body.
const BODY: usize = 3;

fn build_step(s: &str, scratch: &mut Scratch) -> Option<(usize, Step)> {
    let t = s.as_bytes();
    let k = after(t, 0, b'{')?;
    let e = string(t, k)?;
    let action = chars(s, k, e)?;
    let put = action == "PutItem";
    // A known action whose body is an object, as `step` checks.
    let at = after(t, ws(t, e)?, b':')
        .filter(|&b| t[b] == b'{' && Operation::parse(&action).is_some_and(Operation::in_scenarios))?;
    let (e, body) = build(s, at, BODY, put, scratch)?;
    let end = ws(t, e)?;
    (t[end] == b'}').then_some((end + 1, Step(action, body, scratch.item.take())))
}

/// The value at `s[i..]`, checked as `value` checks it and built as serde_json builds a
/// `Value`: its end and the value.
/// `put`: this is a PutItem's body, whose `Item`, if an object, is decoded into
/// `scratch.item` instead (the last `Item` counts, as in a `Value`).
fn build(s: &str, i: usize, depth: usize, put: bool, scratch: &mut Scratch) -> Option<(usize, Value)> {
    let t = s.as_bytes();
    let close = match t.get(i)? {
        b'"' => return string(t, i).and_then(|e| Some((e, Value::String(chars(s, i, e)?)))),
        b'{' => b'}',
        b'[' => b']',
        b't' | b'f' | b'n' => {
            return Some((value(t, i, depth)?, if t[i] == b'n' { Value::Null } else { Value::Bool(t[i] == b't') }))
        }
        _ => return number(t, i).and_then(|e| Some((e, number_value(&s[i..e])?))),
    };
    if depth >= MAX_DEPTH {
        return None;
    }
    let (m0, e0) = (scratch.members.len(), scratch.elems.len());
    let mut i = ws(t, i + 1)?;
    if t[i] != close {
        loop {
            if close == b'}' {
                let e = string(t, i)?;
                let key = chars(s, i, e)?;
                // A repeated name makes the text one `parse` must refuse, so the step is
                // not built here (nor an object of over 1,024 members, left to `parse`,
                // whose check does not grow with the square of the names).
                let so_far = &scratch.members[m0..];
                if so_far.len() >= 1024 || so_far.iter().any(|(k, _)| *k == key) {
                    return None;
                }
                let at = after(t, ws(t, e)?, b':')?;
                let item = put && key == "Item";
                let (e, v) = if item && t[at] == b'{' {
                    scratch.tape.clear();
                    let e = read(t, at, depth + 1, &mut scratch.tape)?;
                    scratch.item = Some(if scratch.defer {
                        PutItem::Read(s[..e].to_owned(), scratch.tape.clone())
                    } else {
                        PutItem::Decoded(item_from(Recorded { s, tape: &scratch.tape, n: 0 }))
                    });
                    (e, Value::Object(Map::new()))
                } else {
                    if item {
                        scratch.item = None;
                    }
                    build(s, at, depth + 1, false, scratch)?
                };
                scratch.members.push((key, v));
                i = ws(t, e)?;
            } else {
                let (e, v) = build(s, i, depth + 1, false, scratch)?;
                scratch.elems.push(v);
                i = ws(t, e)?;
            }
            match t[i] {
                b',' => i = ws(t, i + 1)?,
                c if c == close => break,
                _ => return None,
            }
        }
    }
    let v = if close == b'}' {
        Value::Object(scratch.members.drain(m0..).collect())
    } else {
        Value::Array(scratch.elems.drain(e0..).collect())
    };
    Some((i + 1, v))
}

/// The characters of the (checked) JSON string `s[i..e]`.
fn chars(s: &str, i: usize, e: usize) -> Option<String> {
    unquote(&s[i..e], s[i + 1..e - 1].contains('\\')).map(Cow::into_owned)
}

/// The characters of the checked JSON string `s` (quotes included), borrowed when it has
/// no escape.
fn unquote(s: &str, escaped: bool) -> Option<Cow<'_, str>> {
    if escaped {
        serde_json::from_str::<String>(s).ok().map(Cow::Owned)
    } else {
        s.get(1..s.len().checked_sub(1)?).map(Cow::Borrowed)
    }
}

/// A value of a step's text that `read` has recorded, read as its `Value` would be
/// (`value::Json`): the text, the tape, and the value's node.
#[derive(Clone, Copy)]
struct Recorded<'a> {
    s: &'a str,
    tape: &'a [Node],
    n: usize,
}

impl<'a> Recorded<'a> {
    fn first(self) -> u8 {
        self.tape.get(self.n).map_or(0, |n| self.s.as_bytes()[n.at])
    }
    /// The nodes inside this value: `n + 1..next`.
    fn inner(self) -> std::ops::Range<usize> {
        self.n + 1..self.tape.get(self.n).map_or(0, |n| n.next)
    }
    /// The characters of the string at node `n`.
    fn chars(self, n: usize) -> Option<Cow<'a, str>> {
        let node = self.tape.get(n)?;
        let text = self.s.get(node.at..node.end)?;
        if text.starts_with('"') {
            unquote(text, node.escaped)
        } else {
            None
        }
    }
}

/// The members of a recorded object, straight from the tape when no name repeats.
enum Members<'a> {
    Tape(Recorded<'a>, std::ops::Range<usize>),
    Listed(std::vec::IntoIter<(Cow<'a, str>, Recorded<'a>)>),
}

impl<'a> Iterator for Members<'a> {
    type Item = (Cow<'a, str>, Recorded<'a>);
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Members::Tape(r, nodes) => {
                let name = nodes.next()?;
                let value = Recorded { n: name + 1, ..*r };
                nodes.start = value.inner().end;
                // (a name of checked text always reads)
                Some((r.chars(name).unwrap_or_default(), value))
            }
            Members::Listed(members) => members.next(),
        }
    }
}

/// The elements of a recorded list.
struct Elements<'a>(Recorded<'a>, std::ops::Range<usize>, usize);

impl<'a> Iterator for Elements<'a> {
    type Item = Recorded<'a>;
    fn next(&mut self) -> Option<Recorded<'a>> {
        let n = self.1.next()?;
        let value = Recorded { n, ..self.0 };
        self.1.start = value.inner().end;
        self.2 -= 1;
        Some(value)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.2, Some(self.2))
    }
}

impl ExactSizeIterator for Elements<'_> {}

impl<'a> Json<'a> for Recorded<'a> {
    type Members = Members<'a>;
    type Elements = Elements<'a>;

    fn members(self) -> Option<Members<'a>> {
        if self.first() != b'{' {
            return None;
        }
        let all = self.inner();
        // No member, or one: its value's nodes reach the end (or there are none).
        if self.tape.get(self.n + 2).is_none_or(|value| value.next >= all.end) {
            return Some(Members::Tape(self, all));
        }
        // Up to 16 names without escapes are compared as texts; others go by `map_order`.
        let mut seen: [&[u8]; 16] = [&[]; 16];
        let mut count = 0;
        let mut nodes = self.inner();
        while let Some(name) = nodes.next() {
            let node = self.tape.get(name)?;
            let text = &self.s.as_bytes()[node.at..node.end];
            if count == 16 || node.escaped || seen[..count].contains(&text) {
                return Some(Members::Listed(map_order(Members::Tape(self, all).collect()).into_iter()));
            }
            seen[count] = text;
            count += 1;
            nodes.start = Recorded { n: name + 1, ..self }.inner().end;
        }
        Some(Members::Tape(self, all))
    }

    fn elements(self) -> Option<Elements<'a>> {
        if self.first() != b'[' {
            return None;
        }
        let count = Elements(self, self.inner(), usize::MAX).count();
        Some(Elements(self, self.inner(), count))
    }

    fn string(self) -> Option<Cow<'a, str>> {
        self.chars(self.n)
    }

    fn boolean(self) -> Option<bool> {
        match self.first() {
            b't' => Some(true),
            b'f' => Some(false),
            _ => None,
        }
    }

    fn is_null(self) -> bool {
        self.first() == b'n'
    }
}

/// Members as serde_json's `Map` keeps them: a repeated name keeps its first place and
/// takes its last value.
fn map_order<K: Eq + std::hash::Hash, V>(mut members: Vec<(K, V)>) -> Vec<(K, V)> {
    if members.len() <= 16 {
        let mut i = 1;
        while i < members.len() {
            match members[..i].iter().position(|(k, _)| *k == members[i].0) {
                Some(j) => members[j].1 = members.remove(i).1,
                None => i += 1,
            }
        }
        return members;
    }
    // Where each place takes its value from (`None`: a repeat, dropped).
    let mut from: Vec<Option<usize>> = (0..members.len()).map(Some).collect();
    let mut first = std::collections::HashMap::with_capacity(members.len());
    for (i, (k, _)) in members.iter().enumerate() {
        if let Some(&f) = first.get(k) {
            from[f] = Some(i);
            from[i] = None;
        } else {
            first.insert(k, i);
        }
    }
    drop(first);
    let (keys, mut values): (Vec<K>, Vec<Option<V>>) = members.into_iter().map(|(k, v)| (k, Some(v))).unzip();
    keys.into_iter().zip(from).filter_map(|(k, f)| Some((k, values[f?].take()?))).collect()
}

/// The (checked) JSON number `n`, as serde_json reads it.
fn number_value(n: &str) -> Option<Value> {
    if n.len() < 20 && n.bytes().all(|d| d.is_ascii_digit()) {
        Some(Value::from(n.bytes().fold(0u64, |a, d| a * 10 + u64::from(d - b'0'))))
    } else {
        serde_json::from_str(n).ok()
    }
}

/// The end of the step at `t[i]`: a JSON object with one member, a known action, whose
/// value is an object.
pub fn step(t: &[u8], i: usize) -> Option<usize> {
    let k = after(t, i, b'{')?;
    let i = string(t, k)?;
    let name = &t[k + 1..i - 1];
    let known = if name.contains(&b'\\') {
        serde_json::from_slice::<String>(&t[k..i])
            .is_ok_and(|a| Operation::parse(&a).is_some_and(Operation::in_scenarios))
    } else {
        Operation::ALL.iter().any(|a| a.in_scenarios() && a.as_str().as_bytes() == name)
    };
    let body = after(t, ws(t, i)?, b':').filter(|&b| known && t[b] == b'{')?;
    let end = ws(t, value(t, body, 3)?)?;
    (t[end] == b'}').then_some(end + 1)
}

/// The index of the first byte at or after `i` that is not JSON whitespace (`None` at the end).
fn ws(t: &[u8], mut i: usize) -> Option<usize> {
    while matches!(t.get(i)?, b' ' | b'\n' | b'\t' | b'\r') {
        i += 1;
    }
    Some(i)
}

/// The index of the first byte after `t[i]`, which must be `c`, that is not whitespace.
fn after(t: &[u8], i: usize, c: u8) -> Option<usize> {
    if *t.get(i)? == c {
        ws(t, i + 1)
    } else {
        None
    }
}

/// The end of the JSON value at `t[i]`, inside `depth` lists and objects, if serde_json
/// would parse it into a `Value`. Rare forms (escaped surrogates, exponents, very long
/// numbers) are handed to serde_json itself.
fn value(t: &[u8], i: usize, depth: usize) -> Option<usize> {
    read(t, i, depth, &mut ())
}

/// `value`, recording in `tape` each value it reads (and each member's name).
fn read<T: Tape>(t: &[u8], i: usize, depth: usize, tape: &mut T) -> Option<usize> {
    if t.get(i) == Some(&b'"') {
        return read_string(t, i, tape);
    }
    let node = tape.open(i);
    let close = match t.get(i)? {
        b'{' => b'}',
        b'[' => b']',
        b't' => return tape.close(node, t[i..].starts_with(b"true").then_some(i + 4)?),
        b'f' => return tape.close(node, t[i..].starts_with(b"false").then_some(i + 5)?),
        b'n' => return tape.close(node, t[i..].starts_with(b"null").then_some(i + 4)?),
        _ => return tape.close(node, number(t, i)?),
    };
    if depth >= MAX_DEPTH {
        return None;
    }
    let mut i = ws(t, i + 1)?;
    if t[i] == close {
        return tape.close(node, i + 1);
    }
    // An object's member names so far: a repeated one makes the text one `parse` must refuse
    // (so it is not read here); so does an escaped one, which could repeat another unnoticed.
    let mut names = Names::default();
    loop {
        if close == b'}' {
            let end = read_string(t, i, tape)?;
            let name = &t[i + 1..end - 1];
            if name.contains(&b'\\') || !names.insert(name) {
                return None;
            }
            i = after(t, ws(t, end)?, b':')?;
        }
        i = ws(t, read(t, i, depth + 1, tape)?)?;
        match t[i] {
            b',' => i = ws(t, i + 1)?,
            c if c == close => return tape.close(node, i + 1),
            _ => return None,
        }
    }
}

/// The member names of one object: the first few on the stack, so that reading a step's
/// small objects allocates nothing.
#[derive(Default)]
struct Names<'a> {
    few: [&'a [u8]; 8],
    n: usize,
    more: Vec<&'a [u8]>,
}

impl<'a> Names<'a> {
    /// False if `name` is already there, or after 1,024 names (such an object is left to
    /// `parse`, whose check does not grow with the square of the names).
    fn insert(&mut self, name: &'a [u8]) -> bool {
        if self.n >= 1024 || self.few[..self.n.min(8)].contains(&name) || self.more.contains(&name) {
            return false;
        }
        if self.n < 8 {
            self.few[self.n] = name;
        } else {
            self.more.push(name);
        }
        self.n += 1;
        true
    }
}

/// The string (a value or a member's name) at `t[i]`, recorded.
fn read_string<T: Tape>(t: &[u8], i: usize, tape: &mut T) -> Option<usize> {
    let node = tape.open(i);
    let (end, escaped) = escapes(t, i)?;
    if escaped {
        tape.escaped(node);
    }
    tape.close(node, end)
}

/// Where `read` records the values it reads: nowhere (`()`), or a list of `Node`s.
trait Tape {
    /// A value or name starts at `at`: its node.
    fn open(&mut self, _at: usize) -> usize {
        0
    }
    /// The value or name of `node` ends at `end` (returned).
    fn close(&mut self, _node: usize, end: usize) -> Option<usize> {
        Some(end)
    }
    /// The string of `node` has an escape.
    fn escaped(&mut self, _node: usize) {}
}

impl Tape for () {}

/// A value (or a member's name) read by `read`: its text is `at..end`; the nodes of what
/// it contains follow it, up to `next`. An object's nodes are its members' names and
/// values, in turn.
#[derive(Clone, Copy, Default)]
pub struct Node {
    at: usize,
    end: usize,
    next: usize,
    /// A string with an escape.
    escaped: bool,
}

impl Tape for Vec<Node> {
    fn open(&mut self, at: usize) -> usize {
        self.push(Node { at, end: at, next: 0, escaped: false });
        self.len() - 1
    }
    fn escaped(&mut self, node: usize) {
        if let Some(n) = self.get_mut(node) {
            n.escaped = true;
        }
    }
    fn close(&mut self, node: usize, end: usize) -> Option<usize> {
        let next = self.len();
        let n = self.get_mut(node)?;
        (n.end, n.next) = (end, next);
        Some(end)
    }
}

/// The end of the JSON string at `t[i]` (after its closing quote), if it is valid.
fn string(t: &[u8], i: usize) -> Option<usize> {
    escapes(t, i).map(|(e, _)| e)
}

/// `string`, and whether the string has an escape.
fn escapes(t: &[u8], i: usize) -> Option<(usize, bool)> {
    if t.get(i) != Some(&b'"') {
        return None;
    }
    let (mut j, mut ascii, mut surrogate, mut escaped) = (i + 1, true, false, false);
    loop {
        while PLAIN[usize::from(*t.get(j)?)] {
            j += 1;
        }
        let c = t[j];
        j += 1;
        match c {
            b'"' => break,
            b'\\' => {
                escaped = true;
                match *t.get(j)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                    b'u' => {
                        let hex = t.get(j + 1..j + 5).filter(|h| h.iter().all(u8::is_ascii_hexdigit))?;
                        surrogate |= hex[0].eq_ignore_ascii_case(&b'd') && !matches!(hex[1], b'0'..=b'7');
                        j += 4;
                    }
                    _ => return None,
                }
                j += 1;
            }
            0..=0x1f => return None,
            _ => ascii = false,
        }
    }
    let ok = if surrogate {
        serde_json::from_slice::<String>(&t[i..j]).is_ok()
    } else {
        ascii || std::str::from_utf8(&t[i..j]).is_ok()
    };
    ok.then_some((j, escaped))
}

/// The end of the JSON number at `t[i]`, if serde_json takes it (not out of range).
fn number(t: &[u8], i: usize) -> Option<usize> {
    let digits = |mut j: usize| {
        while t.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        j
    };
    let mut j = i + usize::from(t[i] == b'-');
    j = match t.get(j)? {
        b'0' => j + 1,
        b'1'..=b'9' => digits(j + 1),
        _ => return None,
    };
    if t.get(j) == Some(&b'.') {
        j = Some(digits(j + 1)).filter(|&e| e > j + 1)?;
    }
    let exponent = matches!(t.get(j), Some(b'e' | b'E'));
    if exponent {
        j += 1 + usize::from(matches!(t.get(j + 1), Some(b'+' | b'-')));
        j = Some(digits(j)).filter(|&e| e > j)?;
    }
    // Whether a number with an exponent or very many digits is in range is serde_json's call.
    (!exponent && j - i < 300 || serde_json::from_slice::<Value>(&t[i..j]).is_ok()).then_some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PutItem's item, decoded where it is read or left read for the thread that runs
    /// it (`Scratch::defer`), is the same: `item_from_json` of its `Value`, or its error.
    #[test]
    fn an_item_decodes_the_same_where_it_is_read_or_later() {
        for item in [
            r#"{"pk": {"S": "a"}, "n": {"N": "1.50"}, "m": {"M": {"x": {"L": [{"NULL": true}, {"SS": ["b", "a"]}]}}}}"#,
            r#"{"pk": {"S": "\u00e9"}, "sk": {"BOOL": false}}"#,
            r#"{"pk": {"S": "a"}, "bad": {"S": 1}}"#,
            r#"{}"#,
        ] {
            let text = format!(r#"{{"PutItem": {{"TableName": "Tbl", "Item": {item}}}}}"#);
            let expected = crate::model::item_from_json(&serde_json::from_str(item).unwrap());
            for defer in [false, true] {
                let mut scratch = Scratch { defer, ..Scratch::default() };
                let Some((end, Step(action, body, Some(read)))) = parse_step(text.as_bytes(), 0, &mut 64, &mut scratch)
                else {
                    panic!("{text} reads as a PutItem with an item")
                };
                assert_eq!((end, action.as_str(), &body["Item"]), (text.len(), "PutItem", &serde_json::json!({})));
                assert_eq!(matches!(read, PutItem::Read(..)), defer);
                assert_eq!(read.decode(), expected, "{item}, deferred: {defer}");
            }
        }
    }

    /// A step with a member named twice, or a name with an escape (which could name another
    /// member twice unseen), anywhere in it is not read here: `parse` refuses it, saying where.
    #[test]
    fn a_step_naming_a_member_twice_is_left_to_parse() {
        for step in [
            r#"{"PutItem": {"TableName": "Tbl", "Item": {"pk": {"S": "a"}, "pk": {"S": "b"}}}}"#,
            r#"{"PutItem": {"TableName": "Tbl", "Item": {"p\u006b": {"S": "a"}, "pk": {"BOOL": false}}}}"#,
            r#"{"PutItem": {"TableName": "Tbl", "TableName": "Other", "Item": {}}}"#,
            r#"{"PutItem": {"TableName": "Tbl", "Item": {}, "Item": {"pk": {"S": "a"}}}}"#,
            r#"{"UpdateItem": {"TableName": "Tbl", "Key": {"pk": {"S": "a"}}, "Key": {"pk": {"S": "b"}}}}"#,
        ] {
            for defer in [false, true] {
                let mut scratch = Scratch { defer, ..Scratch::default() };
                assert!(parse_step(step.as_bytes(), 0, &mut 64, &mut scratch).is_none(), "{step}");
            }
        }
    }
}
