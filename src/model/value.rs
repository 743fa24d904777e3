//! AttributeValues in the AWS JSON encoding, validated as DynamoDB validates them.

use crate::model::error::{AwsError, Result};
use crate::model::number::Number;
use base64::Engine as _;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// An item: attribute name to value. Attribute order is not significant; a BTreeMap makes every
/// rendering deterministic.
pub type Item = BTreeMap<String, AttributeValue>;

/// One DynamoDB value. Sets are kept sorted and without duplicates, so two sets are equal
/// exactly when they hold the same members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttributeValue {
    S(String),
    N(Number),
    B(Vec<u8>),
    Bool(bool),
    Null,
    M(Item),
    L(Vec<AttributeValue>),
    SS(Vec<String>),
    NS(Vec<Number>),
    BS(Vec<Vec<u8>>),
}

pub const MAX_DEPTH: usize = 32;
pub const MAX_ITEM_SIZE: usize = 409_600;

pub fn b64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes a `B` value. A length that is not a multiple of 4 gets DynamoDB's own message; a
/// wrong character or misplaced padding gets one that names the byte (DynamoDB's wording for
/// those is not known; the simulator's says where the problem is).
pub fn b64_decode(s: &str) -> Result<Vec<u8>> {
    use base64::DecodeError;
    if !s.len().is_multiple_of(4) {
        return Err(AwsError::serialization(format!(
            "Base64 encoded length is expected a multiple of 4 bytes but found: {}",
            s.len()
        )));
    }
    base64::engine::general_purpose::STANDARD.decode(s).map_err(|e| {
        let at = match e {
            DecodeError::InvalidByte(at, _) | DecodeError::InvalidLastSymbol(at, _) => Some(at),
            DecodeError::InvalidLength(_) | DecodeError::InvalidPadding => None,
        };
        let what = match at.and_then(|i| s.as_bytes().get(i)) {
            Some(b'=') => "misplaced padding '='".to_string(),
            Some(b) if b.is_ascii_graphic() => format!("the character '{}'", *b as char),
            Some(b) => format!("the byte 0x{b:02x}"),
            None => "misplaced padding".to_string(),
        };
        let at = at.map(|i| format!(" at byte offset {i}")).unwrap_or_default();
        AwsError::serialization(format!("Base64 encoded value is not valid: {what}{at}"))
    })
}

/// A JSON value as the AttributeValue parser reads it: a `&serde_json::Value`, or any other
/// view of JSON that gives the same answers (`streamlab replay` reads the checked text of a
/// step through one, without building a `Value`). One parser over both keeps one validation.
pub trait Json<'a>: Copy {
    /// The members of an object as serde_json's `Map` holds them: in order, a repeated name
    /// in its first place with its last value.
    type Members: Iterator<Item = (Cow<'a, str>, Self)>;
    type Elements: ExactSizeIterator<Item = Self>;
    /// `None` if the value is not an object.
    fn members(self) -> Option<Self::Members>;
    /// `None` if the value is not a list.
    fn elements(self) -> Option<Self::Elements>;
    fn string(self) -> Option<Cow<'a, str>>;
    fn boolean(self) -> Option<bool>;
    fn is_null(self) -> bool;
}

type ValueMembers<'a> =
    std::iter::Map<serde_json::map::Iter<'a>, fn((&'a String, &'a Value)) -> (Cow<'a, str>, &'a Value)>;

impl<'a> Json<'a> for &'a Value {
    type Members = ValueMembers<'a>;
    type Elements = std::slice::Iter<'a, Value>;
    fn members(self) -> Option<Self::Members> {
        Some(self.as_object()?.iter().map(|(k, v)| (Cow::Borrowed(k.as_str()), v)))
    }
    fn elements(self) -> Option<Self::Elements> {
        Some(self.as_array()?.iter())
    }
    fn string(self) -> Option<Cow<'a, str>> {
        self.as_str().map(Cow::Borrowed)
    }
    fn boolean(self) -> Option<bool> {
        self.as_bool()
    }
    fn is_null(self) -> bool {
        Value::is_null(self)
    }
}

fn str_of<'a>(v: impl Json<'a>) -> Result<Cow<'a, str>> {
    v.string().ok_or_else(|| type_mismatch("a string"))
}

fn list_of<'a, J: Json<'a>>(v: J) -> Result<J::Elements> {
    v.elements().ok_or_else(|| type_mismatch("a list"))
}

fn type_mismatch(expected: &str) -> AwsError {
    AwsError::serialization(format!("Unexpected value type in payload: expected {expected}"))
}

impl AttributeValue {
    /// The type descriptor: `S`, `N`, `B`, `BOOL`, `NULL`, `M`, `L`, `SS`, `NS`, `BS`.
    pub fn type_name(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "S",
            AttributeValue::N(_) => "N",
            AttributeValue::B(_) => "B",
            AttributeValue::Bool(_) => "BOOL",
            AttributeValue::Null => "NULL",
            AttributeValue::M(_) => "M",
            AttributeValue::L(_) => "L",
            AttributeValue::SS(_) => "SS",
            AttributeValue::NS(_) => "NS",
            AttributeValue::BS(_) => "BS",
        }
    }

    /// Parses one AttributeValue from the AWS JSON encoding (`{"S": "x"}`), validating it.
    pub fn from_json(v: &Value) -> Result<AttributeValue> {
        Self::parse_at(v, 1)
    }

    fn parse_at<'a>(v: impl Json<'a>, depth: usize) -> Result<AttributeValue> {
        if depth > MAX_DEPTH {
            return Err(AwsError::validation("Nesting Levels have exceeded supported limits"));
        }
        let obj = v.members().ok_or_else(|| type_mismatch("an AttributeValue object"))?;
        // Members set to null are treated as absent, as the AWS JSON protocol does.
        let mut set = obj.filter(|(_, v)| !v.is_null());
        let Some((tag, val)) = set.next() else {
            return Err(AwsError::validation(
                "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
            ));
        };
        if set.next().is_some() {
            return Err(AwsError::validation(
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
            ));
        }
        Ok(match &*tag {
            "S" => AttributeValue::S(str_of(val)?.into_owned()),
            "N" => AttributeValue::N(Number::parse(&str_of(val)?)?),
            "B" => AttributeValue::B(b64_decode(&str_of(val)?)?),
            "BOOL" => AttributeValue::Bool(val.boolean().ok_or_else(|| type_mismatch("a boolean"))?),
            "NULL" => {
                if val.boolean() != Some(true) {
                    return Err(AwsError::invalid_values("Null attribute value types must have the value of true"));
                }
                AttributeValue::Null
            }
            "M" => {
                let m = val.members().ok_or_else(|| type_mismatch("a map"))?;
                let mut item = Item::new();
                for (k, v) in m {
                    item.insert(k.into_owned(), Self::parse_at(v, depth + 1)?);
                }
                AttributeValue::M(item)
            }
            "L" => {
                let list = list_of(val)?;
                let mut out = Vec::with_capacity(list.len());
                for v in list {
                    out.push(Self::parse_at(v, depth + 1)?);
                }
                AttributeValue::L(out)
            }
            "SS" => {
                let list = list_of(val)?;
                let mut raw = Vec::with_capacity(list.len());
                for v in list {
                    raw.push(str_of(v)?.into_owned());
                }
                if raw.is_empty() {
                    return Err(AwsError::invalid_values("An string set  may not be empty"));
                }
                let mut sorted = raw;
                crate::support::sort::sort(&mut sorted);
                if sorted.windows(2).any(|w| w[0] == w[1]) {
                    let given: Vec<Cow<str>> = list_of(val)?.filter_map(Json::string).collect();
                    return Err(AwsError::invalid_values(format!(
                        "Input collection [{}] contains duplicates.",
                        given.join(", ")
                    )));
                }
                AttributeValue::SS(sorted)
            }
            "NS" => {
                let raw: Vec<Cow<str>> = list_of(val)?.map(str_of).collect::<Result<_>>()?;
                if raw.is_empty() {
                    return Err(AwsError::invalid_values("An number set  may not be empty"));
                }
                let mut nums: Vec<Number> = raw.iter().map(|s| Number::parse(s)).collect::<Result<_>>()?;
                crate::support::sort::sort(&mut nums);
                let before = nums.len();
                nums.dedup();
                if nums.len() != before {
                    return Err(AwsError::validation("Input collection contains duplicates"));
                }
                AttributeValue::NS(nums)
            }
            "BS" => {
                let raw: Vec<Cow<str>> = list_of(val)?.map(str_of).collect::<Result<_>>()?;
                if raw.is_empty() {
                    return Err(AwsError::invalid_values("Binary sets should not be empty"));
                }
                let mut bins: Vec<Vec<u8>> = raw.iter().map(|s| b64_decode(s)).collect::<Result<_>>()?;
                crate::support::sort::sort(&mut bins);
                let before = bins.len();
                bins.dedup();
                if bins.len() != before {
                    // DynamoDB's wording, as recorded by dynalite (sic: no space before "of").
                    return Err(AwsError::invalid_values(format!(
                        "Input collection [{}]of type BS contains duplicates.",
                        raw.join(", ")
                    )));
                }
                AttributeValue::BS(bins)
            }
            other => {
                return Err(AwsError::serialization(format!(
                    "Unknown AttributeValue type: {other}; expected one of S, N, B, BOOL, NULL, M, L, SS, NS, BS"
                )))
            }
        })
    }

    /// The AWS JSON encoding.
    pub fn to_json(&self) -> Value {
        let (tag, v) = match self {
            AttributeValue::S(s) => ("S", Value::String(s.clone())),
            AttributeValue::N(n) => ("N", Value::String(n.to_string())),
            AttributeValue::B(b) => ("B", Value::String(b64_encode(b))),
            AttributeValue::Bool(b) => ("BOOL", Value::Bool(*b)),
            AttributeValue::Null => ("NULL", Value::Bool(true)),
            AttributeValue::M(m) => ("M", item_to_json(m)),
            AttributeValue::L(l) => ("L", Value::Array(l.iter().map(|v| v.to_json()).collect())),
            AttributeValue::SS(s) => ("SS", Value::Array(s.iter().map(|x| Value::String(x.clone())).collect())),
            AttributeValue::NS(s) => ("NS", Value::Array(s.iter().map(|x| Value::String(x.to_string())).collect())),
            AttributeValue::BS(s) => ("BS", Value::Array(s.iter().map(|x| Value::String(b64_encode(x))).collect())),
        };
        let mut m = Map::with_capacity(1);
        m.insert(tag.to_string(), v);
        Value::Object(m)
    }

    /// Size in bytes by DynamoDB's item-size rules (§6.3).
    pub fn size_bytes(&self) -> usize {
        match self {
            AttributeValue::S(s) => s.len(),
            AttributeValue::N(n) => n.size_bytes(),
            AttributeValue::B(b) => b.len(),
            AttributeValue::Bool(_) | AttributeValue::Null => 1,
            AttributeValue::M(m) => 3 + m.iter().map(|(k, v)| 1 + k.len() + v.size_bytes()).sum::<usize>(),
            AttributeValue::L(l) => 3 + l.iter().map(|v| 1 + v.size_bytes()).sum::<usize>(),
            AttributeValue::SS(s) => s.iter().map(|x| x.len()).sum(),
            AttributeValue::NS(s) => s.iter().map(|x| x.size_bytes()).sum(),
            AttributeValue::BS(s) => s.iter().map(|x| x.len()).sum(),
        }
    }

    /// Nesting depth of this value: 1 for scalars and sets, +1 per enclosing M or L.
    pub fn depth(&self) -> usize {
        match self {
            AttributeValue::M(m) => 1 + m.values().map(|v| v.depth()).max().unwrap_or(0),
            AttributeValue::L(l) => 1 + l.iter().map(|v| v.depth()).max().unwrap_or(0),
            _ => 1,
        }
    }

    /// DynamoDB's ordering for `<`, `<=`, `>`, `>=` and BETWEEN: numbers numerically, strings
    /// and binaries bytewise; values of other or different types are not ordered.
    pub fn ordering(&self, other: &AttributeValue) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (AttributeValue::N(x), AttributeValue::N(y)) => Some(x.cmp(y)),
            (AttributeValue::S(x), AttributeValue::S(y)) => Some(x.as_bytes().cmp(y.as_bytes())),
            (AttributeValue::B(x), AttributeValue::B(y)) => Some(x.cmp(y)),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self {
            AttributeValue::N(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            AttributeValue::S(s) => Some(s),
            _ => None,
        }
    }
}

/// Parses a JSON object of AttributeValues (an item, a key, `ExpressionAttributeValues`).
pub fn item_from_json(v: &Value) -> Result<Item> {
    item_from(v)
}

/// `item_from_json` of any view of JSON.
pub fn item_from<'a>(v: impl Json<'a>) -> Result<Item> {
    let obj = v.members().ok_or_else(|| type_mismatch("a map of AttributeValues"))?;
    let mut item = Item::new();
    for (k, v) in obj {
        item.insert(k.into_owned(), AttributeValue::parse_at(v, 1)?);
    }
    Ok(item)
}

pub fn item_to_json(item: &Item) -> Value {
    let mut m = Map::with_capacity(item.len());
    for (k, v) in item {
        m.insert(k.clone(), v.to_json());
    }
    Value::Object(m)
}

/// Attributes an item may have for [`attr`] and [`attr_mut`] to scan it.
const SCANNED: usize = 16;

/// `item.get(name)`. An item of a few attributes is scanned, comparing the lengths of the
/// names first: quicker than the B-tree's search, which compares each name it passes with
/// `name` byte by byte.
pub fn attr<'a>(item: &'a Item, name: &str) -> Option<&'a AttributeValue> {
    if item.len() <= SCANNED {
        item.iter().find(|(k, _)| k.as_str() == name).map(|(_, v)| v)
    } else {
        item.get(name)
    }
}

/// `item.get_mut(name)`, as [`attr`] finds it.
pub fn attr_mut<'a>(item: &'a mut Item, name: &str) -> Option<&'a mut AttributeValue> {
    if item.len() <= SCANNED {
        item.iter_mut().find(|(k, _)| k.as_str() == name).map(|(_, v)| v)
    } else {
        item.get_mut(name)
    }
}

/// Item size by the AWS rules: Σ (UTF-8 length of the name + size of the value).
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(k, v)| k.len() + v.size_bytes()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: Value) -> String {
        AttributeValue::from_json(&v).unwrap_err().message
    }

    #[test]
    fn every_type_round_trips_in_the_aws_encoding() {
        let cases = [
            json!({"S": "text"}),
            json!({"S": ""}),
            json!({"N": "25.5"}),
            json!({"B": "Zm9vYmFy"}),
            json!({"BOOL": false}),
            json!({"NULL": true}),
            json!({"M": {"a": {"S": "x"}, "b": {"L": [{"N": "1"}, {"NULL": true}]}}}),
            json!({"L": []}),
            json!({"M": {}}),
            json!({"SS": ["a", "b", ""]}),
            json!({"NS": ["-1", "2.5"]}),
            json!({"BS": ["AQI=", "Zm9v"]}),
        ];
        for c in cases {
            let v = AttributeValue::from_json(&c).unwrap();
            let back = v.to_json();
            assert_eq!(AttributeValue::from_json(&back).unwrap(), v, "{c}");
        }
    }

    #[test]
    fn numbers_are_stored_canonically() {
        let v = AttributeValue::from_json(&json!({"N": "0025.50"})).unwrap();
        assert_eq!(v.to_json(), json!({"N": "25.5"}));
        assert_eq!(v, AttributeValue::from_json(&json!({"N": "25.5"})).unwrap());
    }

    #[test]
    fn sets_are_unordered() {
        let a = AttributeValue::from_json(&json!({"SS": ["b", "a"]})).unwrap();
        let b = AttributeValue::from_json(&json!({"SS": ["a", "b"]})).unwrap();
        assert_eq!(a, b);
        let a = AttributeValue::from_json(&json!({"NS": ["10", "9", "1.0"]})).unwrap();
        assert_eq!(a.to_json(), json!({"NS": ["1", "9", "10"]}));
    }

    #[test]
    fn validation_messages_match_dynamodb() {
        assert_eq!(
            err(json!({})),
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
        );
        assert_eq!(
            err(json!({"S": "a", "N": "1"})),
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
        );
        assert_eq!(
            err(json!({"NULL": false})),
            "One or more parameter values were invalid: Null attribute value types must have the value of true"
        );
        assert_eq!(
            err(json!({"SS": []})),
            "One or more parameter values were invalid: An string set  may not be empty"
        );
        assert_eq!(
            err(json!({"NS": []})),
            "One or more parameter values were invalid: An number set  may not be empty"
        );
        assert_eq!(
            err(json!({"BS": []})),
            "One or more parameter values were invalid: Binary sets should not be empty"
        );
        assert_eq!(
            err(json!({"SS": ["a", "a"]})),
            "One or more parameter values were invalid: Input collection [a, a] contains duplicates."
        );
        assert_eq!(err(json!({"NS": ["1", "1.0"]})), "Input collection contains duplicates");
        assert_eq!(err(json!({"N": "abc"})), "The parameter cannot be converted to a numeric value: abc");
        assert_eq!(
            err(json!({"N": "1".repeat(39)})),
            "Attempting to store more than 38 significant digits in a Number"
        );
    }

    #[test]
    fn wrong_json_shapes_are_serialization_errors() {
        for bad in
            [json!({"S": 5}), json!({"N": 5}), json!({"BOOL": "yes"}), json!({"M": []}), json!("x"), json!({"X": "1"})]
        {
            let e = AttributeValue::from_json(&bad).unwrap_err();
            assert_eq!(e.kind, "SerializationException", "{bad}");
        }
    }

    #[test]
    fn nesting_is_limited_to_32_levels() {
        let mut v = json!({"S": "leaf"});
        for _ in 0..31 {
            v = json!({"L": [v]});
        }
        assert!(AttributeValue::from_json(&v).is_ok());
        let v = json!({"L": [v]});
        assert_eq!(err(v), "Nesting Levels have exceeded supported limits");
    }

    #[test]
    fn sizes_match_the_spec_examples() {
        // {"shirt-color":"R","shirt-size":"M"} = 23 bytes (AWS docs).
        let item = item_from_json(&json!({"shirt-color": {"S": "R"}, "shirt-size": {"S": "M"}})).unwrap();
        assert_eq!(item_size(&item), 23);
        // {Id: 101, Message: "New item!"} = 21 (AWS docs record, SizeBytes 26 with its 5-byte key).
        let item = item_from_json(&json!({"Id": {"N": "101"}, "Message": {"S": "New item!"}})).unwrap();
        assert_eq!(item_size(&item), 21);
        // Empty list or map costs 3; each element 1 + its size.
        assert_eq!(AttributeValue::from_json(&json!({"L": []})).unwrap().size_bytes(), 3);
        assert_eq!(AttributeValue::from_json(&json!({"M": {"ab": {"S": "xyz"}}})).unwrap().size_bytes(), 3 + 1 + 2 + 3);
    }
}
