//! Tables: key schema, primary keys, item storage.

use crate::error::{AwsError, Result};
use crate::number::Number;
use crate::value::{AttributeValue, Item};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::rc::Rc;

/// A key attribute's scalar type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    S,
    N,
    B,
}

impl KeyType {
    pub fn parse(s: &str) -> Option<KeyType> {
        match s {
            "S" => Some(KeyType::S),
            "N" => Some(KeyType::N),
            "B" => Some(KeyType::B),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::S => "S",
            KeyType::N => "N",
            KeyType::B => "B",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyAttr {
    pub name: String,
    pub ty: KeyType,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySchema {
    pub hash: KeyAttr,
    pub range: Option<KeyAttr>,
}

impl KeySchema {
    pub fn to_json(&self) -> Value {
        let mut v = vec![json!({"AttributeName": self.hash.name, "KeyType": "HASH"})];
        if let Some(r) = &self.range {
            v.push(json!({"AttributeName": r.name, "KeyType": "RANGE"}));
        }
        Value::Array(v)
    }
    pub fn is_key(&self, name: &str) -> bool {
        self.hash.name == name || self.range.as_ref().is_some_and(|r| r.name == name)
    }
}

/// A key attribute value, ordered as DynamoDB orders keys: numbers numerically, strings and
/// binaries by their bytes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyVal {
    S(String),
    N(Number),
    B(Vec<u8>),
}

impl KeyVal {
    pub fn to_attr(&self) -> AttributeValue {
        match self {
            KeyVal::S(s) => AttributeValue::S(s.clone()),
            KeyVal::N(n) => AttributeValue::N(n.clone()),
            KeyVal::B(b) => AttributeValue::B(b.clone()),
        }
    }
    pub fn from_attr(v: &AttributeValue) -> Option<KeyVal> {
        match v {
            AttributeValue::S(s) => Some(KeyVal::S(s.clone())),
            AttributeValue::N(n) => Some(KeyVal::N(n.clone())),
            AttributeValue::B(b) => Some(KeyVal::B(b.clone())),
            _ => None,
        }
    }
    /// Bytes of the key value as hashed for shard routing.
    pub fn hash_bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        match self {
            KeyVal::S(s) => s.as_bytes().into(),
            KeyVal::N(n) => n.to_string().into_bytes().into(),
            KeyVal::B(b) => b.as_slice().into(),
        }
    }
}

/// Partition key value and optional sort key value.
pub type PrimaryKey = (KeyVal, Option<KeyVal>);

pub const MAX_HASH_KEY_BYTES: usize = 2048;
pub const MAX_RANGE_KEY_BYTES: usize = 1024;

pub struct Table {
    pub name: String,
    pub arn: String,
    pub id: String,
    pub schema: KeySchema,
    pub attribute_definitions: Vec<(String, String)>,
    pub billing_mode: String,
    pub provisioned: Option<(i64, i64)>,
    pub created_ms: u64,
    pub items: BTreeMap<PrimaryKey, Rc<Item>>,
    /// The stream image of each item written while the table had a stream, so the record of
    /// the item's next change shares it as its OldImage instead of encoding the item again.
    /// An entry exists only while it matches the item in `items` (see `Engine::commit`); it
    /// also keeps that item's size, and the image of its key ([`Table::key_image`]), which
    /// every record of the key shares. A B-tree, not a hash map: a hash map finds a key with
    /// fewer comparisons, but rehashes every entry at once when it grows, which took a whole
    /// frame (~36 ms) in the page's bursts at about 115,000 items.
    pub(crate) images: BTreeMap<PrimaryKey, Kept>,
    /// Total size of the items, kept up to date on every write.
    pub bytes: usize,
    /// Index into the engine's streams of the enabled stream, if any.
    pub stream: Option<usize>,
    /// Index of the latest stream ever enabled on this table.
    pub latest_stream: Option<usize>,
    pub ttl_attribute: Option<String>,
    /// Secondary index definitions as given, echoed by DescribeTable.
    pub indexes: serde_json::Map<String, Value>,
}

impl crate::named::Named for Table {
    fn name(&self) -> &str {
        &self.name
    }
}

/// What a table keeps of an item for its stream records (see `Table::images`).
pub(crate) struct Kept {
    pub image: crate::image::Image,
    pub size: usize,
    pub keys: (crate::image::Image, usize),
}

impl Table {
    /// The primary key of an item being written (PutItem), with PutItem's errors.
    pub fn key_of_item(&self, item: &Item) -> Result<PrimaryKey> {
        self.primary_key(|attr| {
            let v = item
                .get(&attr.name)
                .ok_or_else(|| AwsError::invalid_values(format!("Missing the key {} in the item", attr.name)))?;
            key_value(attr, v, true)
        })
    }

    /// The primary key named by a request's `Key` (Get/Update/Delete): exactly the key attributes.
    pub fn key_from_request(&self, key: &Item) -> Result<PrimaryKey> {
        let mismatch = || AwsError::validation("The provided key element does not match the schema");
        if key.len() != 1 + usize::from(self.schema.range.is_some()) {
            return Err(mismatch());
        }
        self.primary_key(|attr| key_value(attr, key.get(&attr.name).ok_or_else(mismatch)?, false))
    }

    fn primary_key(&self, get: impl Fn(&KeyAttr) -> Result<KeyVal>) -> Result<PrimaryKey> {
        let hash = get(&self.schema.hash)?;
        let range = self.schema.range.as_ref().map(&get).transpose()?;
        check_key_sizes(&hash, range.as_ref())?;
        Ok((hash, range))
    }

    /// The key attributes as an item (a stream record's `Keys`, a `LastEvaluatedKey`).
    pub fn key_item(&self, key: &PrimaryKey) -> Item {
        let mut m = Item::new();
        m.insert(self.schema.hash.name.clone(), key.0.to_attr());
        if let (Some(r), Some(v)) = (&self.schema.range, &key.1) {
            m.insert(r.name.clone(), v.to_attr());
        }
        m
    }

    /// The stream image of [`Table::key_item`] and its size, made without building the item.
    pub(crate) fn key_image(&self, key: &PrimaryKey) -> (crate::image::Image, usize) {
        let hash = (self.schema.hash.name.as_str(), &key.0);
        let range = self.schema.range.as_ref().zip(key.1.as_ref()).map(|(r, v)| (r.name.as_str(), v));
        let pair;
        let parts: &[(&str, &KeyVal)] = match range {
            None => std::slice::from_ref(&hash),
            Some(r) if r.0 > hash.0 => {
                pair = [hash, r];
                &pair
            }
            Some(r) if r.0 < hash.0 => {
                pair = [r, hash];
                &pair
            }
            // One name for both (never accepted by CreateTable): the item has one attribute.
            Some(_) => {
                let keys = self.key_item(key);
                return (crate::image::Image::encode(&keys), crate::value::item_size(&keys));
            }
        };
        let size = parts.iter().map(|(name, v)| name.len() + key_len(v)).sum();
        (crate::image::Image::encode_key(parts), size)
    }

    pub fn size_bytes(&self) -> usize {
        self.bytes
    }
}

/// Checks one key attribute's value. `in_item` selects PutItem's messages over the `Key` ones.
fn key_value(attr: &KeyAttr, v: &AttributeValue, in_item: bool) -> Result<KeyVal> {
    let kv = match (attr.ty, v) {
        (KeyType::S, AttributeValue::S(_)) | (KeyType::N, AttributeValue::N(_)) | (KeyType::B, AttributeValue::B(_)) => {
            KeyVal::from_attr(v).ok_or_else(|| AwsError::validation("The provided key element does not match the schema"))?
        }
        _ if in_item => {
            return Err(AwsError::invalid_values(format!(
                "Type mismatch for key {} expected: {} actual: {}",
                attr.name,
                attr.ty.as_str(),
                v.type_name()
            )))
        }
        _ => return Err(AwsError::validation("The provided key element does not match the schema")),
    };
    let empty = match &kv {
        KeyVal::S(s) => s.is_empty(),
        KeyVal::B(b) => b.is_empty(),
        KeyVal::N(_) => false,
    };
    if empty {
        let what = if matches!(kv, KeyVal::S(_)) { "string" } else { "binary" };
        return Err(AwsError::validation(format!(
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {what} value. Key: {}",
            attr.name
        )));
    }
    Ok(kv)
}

fn key_len(k: &KeyVal) -> usize {
    match k {
        KeyVal::S(s) => s.len(),
        KeyVal::B(b) => b.len(),
        KeyVal::N(n) => n.size_bytes(),
    }
}

fn check_key_sizes(hash: &KeyVal, range: Option<&KeyVal>) -> Result<()> {
    if key_len(hash) > MAX_HASH_KEY_BYTES {
        return Err(AwsError::invalid_values("Size of hashkey has exceeded the maximum size limit of2048 bytes"));
    }
    if range.is_some_and(|r| key_len(r) > MAX_RANGE_KEY_BYTES) {
        return Err(AwsError::invalid_values(
            "Aggregated size of all range keys has exceeded the size limit of 1024 bytes",
        ));
    }
    Ok(())
}
