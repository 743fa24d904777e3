//! Key schemas and key values: a table's HASH and RANGE attributes, and DynamoDB's checks on
//! key values (types, empty strings, sizes).

use crate::model::error::{AwsError, Result};
use crate::model::number::Number;
use crate::model::value::AttributeValue;
use serde_json::{json, Value};

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

/// Checks one key attribute's value. `in_item` selects PutItem's messages over the `Key` ones.
pub(crate) fn key_value(attr: &KeyAttr, v: &AttributeValue, in_item: bool) -> Result<KeyVal> {
    let kv = match (attr.ty, v) {
        (KeyType::S, AttributeValue::S(_))
        | (KeyType::N, AttributeValue::N(_))
        | (KeyType::B, AttributeValue::B(_)) => KeyVal::from_attr(v)
            .ok_or_else(|| AwsError::validation("The provided key element does not match the schema"))?,
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

pub(crate) fn key_len(k: &KeyVal) -> usize {
    match k {
        KeyVal::S(s) => s.len(),
        KeyVal::B(b) => b.len(),
        KeyVal::N(n) => n.size_bytes(),
    }
}

pub(crate) fn check_key_sizes(hash: &KeyVal, range: Option<&KeyVal>) -> Result<()> {
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
