//! Compact, immutable item images for stream records.
//!
//! A stream keeps every record for 24 hours, and a record carries up to two whole items. Kept
//! as `Item`s (a tree of maps, strings and boxed numbers: about 2 KB for a 10-attribute item)
//! a million records would need gigabytes; an [`Image`] is the same item in one shared byte
//! buffer (about 170 bytes for that item). Images are made once per write, shared between
//! the record that creates a version and the record that later replaces it, and decoded only
//! when something reads them (GetRecords, a Lambda batch, the lab's views).
//!
//! Layout: an item is `count` then `count` × (`name`, value), in the item's (sorted) order;
//! lengths and counts are LEB128 varints; a value is a tag byte then its payload. Numbers are
//! kept as their canonical text, binaries as raw bytes.

use crate::model::keys::KeyVal;
use crate::model::number::Number;
use crate::model::value::{b64_encode, AttributeValue, Item};
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

const S: u8 = 0;
const N: u8 = 1;
const B: u8 = 2;
const FALSE: u8 = 3;
const TRUE: u8 = 4;
const NULL: u8 = 5;
const M: u8 = 6;
const L: u8 = 7;
const SS: u8 = 8;
const NS: u8 = 9;
const BS: u8 = 10;

/// An image's bytes, borrowed (`Image::bytes`).
#[derive(Clone, Copy)]
pub struct ImageBytes<'a>(&'a [u8]);

impl ImageBytes<'_> {
    /// `Image::write_json`.
    pub fn write_json(self, out: &mut Vec<u8>) {
        let mut r = Reader { b: self.0, i: 0 };
        if r.item_json(out).is_none() {
            out.extend_from_slice(b"{}");
        }
    }
}

/// One item, encoded; cloning shares the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Image(Rc<[u8]>);

impl fmt::Debug for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Image").field(&self.decode()).finish()
    }
}

impl Image {
    pub fn encode(item: &Item) -> Image {
        build(|out| {
            put_item(out, item);
        })
    }

    /// The image of an item and the item's size ([`crate::model::value::item_size`]), in one walk.
    pub fn encode_sized(item: &Item) -> (Image, usize) {
        let mut size = 0;
        let image = build(|out| size = put_item(out, item));
        (image, size)
    }

    /// The image of a key item, from its attributes in name order.
    pub(crate) fn encode_key(parts: &[(&str, &KeyVal)]) -> Image {
        build(|out| {
            put_varint(out, parts.len());
            for (name, v) in parts {
                put_bytes(out, name.as_bytes());
                match v {
                    KeyVal::S(s) => put_tagged(out, S, s.as_bytes()),
                    KeyVal::N(n) => put_n(out, n),
                    KeyVal::B(b) => put_tagged(out, B, b),
                }
            }
        })
    }

    /// The item back. Images are only ever made by [`Image::encode`], so decoding cannot fail;
    /// should the bytes be damaged anyway, what can be read is returned rather than a panic.
    pub fn decode(&self) -> Item {
        let mut r = Reader { b: &self.0, i: 0 };
        r.item().unwrap_or_default()
    }

    /// Writes the item in the AWS JSON encoding, exactly as `serde_json` writes
    /// `item_to_json(&self.decode())`, without building it.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        self.bytes().write_json(out)
    }

    /// The image's bytes, borrowed: plain data that a thread other than the engine's may read.
    pub fn bytes(&self) -> ImageBytes<'_> {
        ImageBytes(&self.0)
    }

    /// One top-level attribute, decoded; `None` if the item has no such attribute.
    pub fn get(&self, name: &str) -> Option<AttributeValue> {
        let mut r = Reader { b: &self.0, i: 0 };
        let n = r.varint()?;
        for _ in 0..n {
            let here = r.str()? == name;
            if here {
                return r.value();
            }
            r.skip_value()?;
        }
        None
    }
}

thread_local! {
    /// Where images are encoded before being copied into their shared buffer.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn build(fill: impl FnOnce(&mut Vec<u8>)) -> Image {
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut out) => {
            out.clear();
            fill(&mut out);
            Image(Rc::from(&out[..]))
        }
        Err(_) => {
            let mut out = Vec::new();
            fill(&mut out);
            Image(Rc::from(out))
        }
    })
}

fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_varint(out, b.len());
    out.extend_from_slice(b);
}

/// A number's canonical text, written in place (no temporary string).
fn put_number(out: &mut Vec<u8>, n: &Number) {
    put_varint(out, n.text_len());
    n.push_text(out);
}

/// Writes an item; returns its size (Σ name length + value size).
fn put_item(out: &mut Vec<u8>, item: &Item) -> usize {
    put_varint(out, item.len());
    let mut size = 0;
    for (k, v) in item {
        put_bytes(out, k.as_bytes());
        size += k.len() + put_value(out, v);
    }
    size
}

/// A string or binary scalar: its type tag, then its bytes.
fn put_tagged(out: &mut Vec<u8>, tag: u8, b: &[u8]) {
    out.push(tag);
    put_bytes(out, b);
}

/// A number scalar: its tag, then its canonical text.
fn put_n(out: &mut Vec<u8>, n: &Number) {
    out.push(N);
    put_number(out, n);
}

/// Writes a value; returns its size ([`AttributeValue::size_bytes`]).
fn put_value(out: &mut Vec<u8>, v: &AttributeValue) -> usize {
    match v {
        AttributeValue::S(s) => {
            put_tagged(out, S, s.as_bytes());
            s.len()
        }
        AttributeValue::N(n) => {
            put_n(out, n);
            n.size_bytes()
        }
        AttributeValue::B(b) => {
            put_tagged(out, B, b);
            b.len()
        }
        AttributeValue::Bool(b) => {
            out.push(if *b { TRUE } else { FALSE });
            1
        }
        AttributeValue::Null => {
            out.push(NULL);
            1
        }
        AttributeValue::M(m) => {
            out.push(M);
            3 + m.len() + put_item(out, m)
        }
        AttributeValue::L(l) => {
            out.push(L);
            put_varint(out, l.len());
            3 + l.iter().map(|v| 1 + put_value(out, v)).sum::<usize>()
        }
        AttributeValue::SS(ss) => {
            out.push(SS);
            put_varint(out, ss.len());
            ss.iter()
                .map(|s| {
                    put_bytes(out, s.as_bytes());
                    s.len()
                })
                .sum()
        }
        AttributeValue::NS(ns) => {
            out.push(NS);
            put_varint(out, ns.len());
            ns.iter()
                .map(|n| {
                    put_number(out, n);
                    n.size_bytes()
                })
                .sum()
        }
        AttributeValue::BS(bs) => {
            out.push(BS);
            put_varint(out, bs.len());
            bs.iter()
                .map(|b| {
                    put_bytes(out, b);
                    b.len()
                })
                .sum()
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.b.get(self.i)?;
        self.i += 1;
        Some(b)
    }

    fn varint(&mut self) -> Option<usize> {
        // Most lengths and counts are one byte.
        if let Some(&b) = self.b.get(self.i).filter(|b| **b < 0x80) {
            self.i += 1;
            return Some(b.into());
        }
        let mut n = 0usize;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= usize::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.varint()?;
        let end = self.i.checked_add(n)?;
        let s = self.b.get(self.i..end)?;
        self.i = end;
        Some(s)
    }

    fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.bytes()?).ok()
    }

    fn number(&mut self) -> Option<Number> {
        Number::parse(self.str()?).ok()
    }

    fn item(&mut self) -> Option<Item> {
        let n = self.varint()?;
        let mut item = Item::new();
        for _ in 0..n {
            let k = self.str()?.to_string();
            let v = self.value()?;
            item.insert(k, v);
        }
        Some(item)
    }

    fn list<T>(&mut self, mut each: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.varint()?;
        let mut out = Vec::with_capacity(n.min(self.b.len()));
        for _ in 0..n {
            out.push(each(self)?);
        }
        Some(out)
    }

    fn value(&mut self) -> Option<AttributeValue> {
        Some(match self.byte()? {
            S => AttributeValue::S(self.str()?.to_string()),
            N => AttributeValue::N(self.number()?),
            B => AttributeValue::B(self.bytes()?.to_vec()),
            FALSE => AttributeValue::Bool(false),
            TRUE => AttributeValue::Bool(true),
            NULL => AttributeValue::Null,
            M => AttributeValue::M(self.item()?),
            L => AttributeValue::L(self.list(Self::value)?),
            SS => AttributeValue::SS(self.list(|r| r.str().map(str::to_string))?),
            NS => AttributeValue::NS(self.list(Self::number)?),
            BS => AttributeValue::BS(self.list(|r| r.bytes().map(<[u8]>::to_vec))?),
            _ => return None,
        })
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.byte()? {
            S | N | B => {
                self.bytes()?;
            }
            FALSE | TRUE | NULL => {}
            M => {
                let n = self.varint()?;
                for _ in 0..n {
                    self.bytes()?;
                    self.skip_value()?;
                }
            }
            L => {
                let n = self.varint()?;
                for _ in 0..n {
                    self.skip_value()?;
                }
            }
            SS | NS | BS => {
                let n = self.varint()?;
                for _ in 0..n {
                    self.bytes()?;
                }
            }
            _ => return None,
        }
        Some(())
    }

    /// A string's bytes as a JSON literal (see [`json_bytes`]).
    fn str_json(&mut self, out: &mut Vec<u8>) -> Option<()> {
        json_bytes(out, self.bytes()?)
    }

    fn item_json(&mut self, out: &mut Vec<u8>) -> Option<()> {
        let n = self.varint()?;
        out.push(b'{');
        for i in 0..n {
            if i > 0 {
                out.push(b',');
            }
            self.str_json(out)?;
            out.push(b':');
            self.value_json(out)?;
        }
        out.push(b'}');
        Some(())
    }

    fn list_json(
        &mut self,
        out: &mut Vec<u8>,
        mut each: impl FnMut(&mut Self, &mut Vec<u8>) -> Option<()>,
    ) -> Option<()> {
        let n = self.varint()?;
        out.push(b'[');
        for i in 0..n {
            if i > 0 {
                out.push(b',');
            }
            each(self, out)?;
        }
        out.push(b']');
        Some(())
    }

    fn value_json(&mut self, out: &mut Vec<u8>) -> Option<()> {
        // Each type's opening `{"T":` is written as one slice.
        match self.byte()? {
            S => {
                out.extend_from_slice(b"{\"S\":");
                self.str_json(out)?
            }
            N => {
                out.extend_from_slice(b"{\"N\":");
                self.str_json(out)?
            }
            B => {
                out.extend_from_slice(b"{\"B\":");
                json_str(out, &b64_encode(self.bytes()?))
            }
            FALSE => out.extend_from_slice(b"{\"BOOL\":false"),
            TRUE => out.extend_from_slice(b"{\"BOOL\":true"),
            NULL => out.extend_from_slice(b"{\"NULL\":true"),
            M => {
                out.extend_from_slice(b"{\"M\":");
                self.item_json(out)?
            }
            L => {
                out.extend_from_slice(b"{\"L\":");
                self.list_json(out, |r, out| r.value_json(out))?
            }
            SS => {
                out.extend_from_slice(b"{\"SS\":");
                self.list_json(out, Self::str_json)?
            }
            NS => {
                out.extend_from_slice(b"{\"NS\":");
                self.list_json(out, Self::str_json)?
            }
            BS => {
                out.extend_from_slice(b"{\"BS\":");
                self.list_json(out, |r, out| {
                    json_str(out, &b64_encode(r.bytes()?));
                    Some(())
                })?
            }
            _ => return None,
        }
        out.push(b'}');
        Some(())
    }
}

/// The bytes a JSON string holds as they are: printable ASCII but the quote and the backslash.
pub(crate) const PLAIN: [bool; 256] = {
    let mut plain = [false; 256];
    let mut c = 0x20;
    while c < 0x80 {
        plain[c] = c != b'"' as usize && c != b'\\' as usize;
        c += 1;
    }
    plain
};

/// A JSON string literal of UTF-8 bytes, escaped as `serde_json` escapes it; `None` if they are
/// not UTF-8.
fn json_bytes(out: &mut Vec<u8>, s: &[u8]) -> Option<()> {
    if s.iter().all(|&b| PLAIN[b as usize]) {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s);
        out.push(b'"');
    } else {
        json_str(out, std::str::from_utf8(s).ok()?);
    }
    Some(())
}

/// A JSON string literal, escaped as `serde_json` escapes it.
pub fn json_str(out: &mut Vec<u8>, s: &str) {
    // serde_json escapes only '"', '\\' and control characters; a string without them (keys,
    // numbers, most texts) is copied as it is.
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        // Writing into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::value::{item_from_json, item_to_json};
    use serde_json::{json, Value};

    fn json_of(image: &Image) -> Value {
        let mut out = Vec::new();
        image.write_json(&mut out);
        serde_json::from_slice(&out).unwrap_or(Value::Null)
    }

    fn every_type() -> Item {
        item_from_json(&json!({
            "pk": {"S": "user#1 \"quoted\" é"}, "n": {"N": "-12.50"}, "big": {"N": "1E+30"},
            "b": {"B": "AAEC"}, "t": {"BOOL": true}, "f": {"BOOL": false}, "z": {"NULL": true},
            "m": {"M": {"inner": {"L": [{"N": "1"}, {"S": ""}, {"M": {}}]}, "e": {"L": []}}},
            "ss": {"SS": ["b", "a"]}, "ns": {"NS": ["10", "9.5"]}, "bs": {"BS": ["AA==", "AQ=="]},
            "long": {"S": "x".repeat(300)}
        }))
        .expect("valid item")
    }

    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let mut all: Vec<String> =
            ["", "plain", "a\"b", "back\\slash", "tab\there", "nul\u{0}", "del\u{7f}", "é ü 😀", "\u{1f}", " "]
                .iter()
                .map(|s| s.to_string())
                .collect();
        all.extend((0u8..128).map(|b| format!("x{}y", b as char)));
        for s in &all {
            let mut out = Vec::new();
            json_str(&mut out, s);
            assert_eq!(String::from_utf8(out).ok(), serde_json::to_string(s).ok(), "{s:?}");
        }
    }

    #[test]
    fn an_image_decodes_to_the_same_item_and_the_same_json() {
        for item in [every_type(), Item::new()] {
            let image = Image::encode(&item);
            assert_eq!(Image::encode_sized(&item), (image.clone(), crate::model::value::item_size(&item)));
            assert_eq!(image.decode(), item);
            assert_eq!(json_of(&image), item_to_json(&item));
            let mut text = Vec::new();
            image.write_json(&mut text);
            assert_eq!(String::from_utf8(text).ok(), serde_json::to_string(&item_to_json(&item)).ok(), "byte for byte");
        }
    }

    #[test]
    fn one_attribute_is_read_without_decoding_the_rest() {
        let image = Image::encode(&every_type());
        assert_eq!(image.get("pk"), Some(AttributeValue::S("user#1 \"quoted\" é".into())));
        assert_eq!(image.get("ss"), every_type().get("ss").cloned());
        assert_eq!(image.get("absent"), None);
    }

    #[test]
    fn an_image_is_much_smaller_than_its_json() {
        let mut item = every_type();
        item.remove("long");
        let image = Image::encode(&item);
        let text = serde_json::to_string(&item_to_json(&item)).unwrap_or_default();
        assert!(image.0.len() * 2 < text.len(), "{} bytes against {} of JSON", image.0.len(), text.len());
    }

    #[test]
    fn damaged_bytes_never_panic() {
        let bytes = Image::encode(&every_type()).0.to_vec();
        for cut in 0..bytes.len() {
            let damaged = Image(Rc::from(&bytes[..cut]));
            let _ = (damaged.decode(), json_of(&damaged), damaged.get("m"));
        }
        let _ = Image(Rc::from(vec![0xff; 12])).decode();
    }
}
