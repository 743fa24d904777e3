//! Reading a request's members as AWS does: names, types, ranges, and AWS's error wording.
//!
//! Reading typed members of a JSON request, with AWS's errors.

use crate::model::{AwsError, Result};
use serde_json::Value;

/// `1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null`
pub fn missing(field: &str) -> AwsError {
    AwsError::validation(format!(
        "1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null"
    ))
}

/// AWS's wording for a member that breaks a constraint, which repeats the value. One over
/// 8,192 characters is shown clipped, with its length (the simulator's choice: a
/// million-character name is not repeated whole; AWS refuses such a request for its size).
pub fn constraint(value: impl std::fmt::Display, field: &str, constraint: &str) -> AwsError {
    AwsError::violations(&[violation(value, field, constraint)])
}

/// One violation of [`constraint`]'s wording, for a request that breaks several
/// ([`AwsError::violations`]).
pub fn violation(value: impl std::fmt::Display, field: &str, constraint: &str) -> String {
    let value = crate::support::text::clip(&value.to_string(), 8192);
    format!("Value '{value}' at '{field}' failed to satisfy constraint: {constraint}")
}

/// The wire name's lowerCamel form, as AWS names members in validation messages. Wire
/// names are this crate's own ASCII constants (`TableName` -> `tableName`).
pub fn camel(name: &str) -> String {
    let mut out = name.to_string();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    out
}

/// A member that is set (not null). A request has a few members: a scan over them is much
/// cheaper than the map's hashed lookup (SipHash of the name), which serves large ones.
pub fn get<'a>(req: &'a Value, name: &str) -> Option<&'a Value> {
    let m = req.as_object()?;
    let v = if m.len() <= 16 { m.iter().find(|(k, _)| *k == name).map(|(_, v)| v) } else { m.get(name) };
    v.filter(|v| !v.is_null())
}

pub fn string<'a>(req: &'a Value, name: &str) -> Result<Option<&'a str>> {
    match get(req, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(AwsError::serialization(format!("Expected a string for {name}"))),
    }
}

pub fn required_string<'a>(req: &'a Value, name: &str) -> Result<&'a str> {
    string(req, name)?.ok_or_else(|| missing(&camel(name)))
}

pub fn boolean(req: &Value, name: &str) -> Result<Option<bool>> {
    match get(req, name) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(AwsError::serialization(format!("Expected a boolean for {name}"))),
    }
}

pub fn number(req: &Value, name: &str) -> Result<Option<f64>> {
    match get(req, name) {
        None => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(_) => Err(AwsError::serialization(format!("Expected a number for {name}"))),
    }
}

/// An integer member; fractional or out-of-range JSON numbers are serialization errors.
pub fn integer(req: &Value, name: &str) -> Result<Option<i64>> {
    match get(req, name) {
        None => Ok(None),
        Some(Value::Number(n)) => {
            n.as_i64().map(Some).ok_or_else(|| AwsError::serialization(format!("Expected an integer for {name}")))
        }
        Some(_) => Err(AwsError::serialization(format!("Expected an integer for {name}"))),
    }
}

pub fn array<'a>(req: &'a Value, name: &str) -> Result<Option<&'a Vec<Value>>> {
    match get(req, name) {
        None => Ok(None),
        Some(Value::Array(a)) => Ok(Some(a)),
        Some(_) => Err(AwsError::serialization(format!("Expected a list for {name}"))),
    }
}

pub fn object<'a>(req: &'a Value, name: &str) -> Result<Option<&'a Value>> {
    match get(req, name) {
        None => Ok(None),
        Some(v @ Value::Object(_)) => Ok(Some(v)),
        Some(_) => Err(AwsError::serialization(format!("Expected a structure for {name}"))),
    }
}

/// A table name: 3 to 255 characters of `[a-zA-Z0-9_.-]`.
pub fn table_name<'a>(req: &'a Value, name: &str) -> Result<&'a str> {
    valid_table_name(required_string(req, name)?, name)
}

/// A table name, checked as the member `name` of a request.
pub fn valid_table_name<'a>(t: &'a str, name: &str) -> Result<&'a str> {
    let problem = if t.len() < 3 {
        "Member must have length greater than or equal to 3"
    } else if t.len() > 255 {
        "Member must have length less than or equal to 255"
    } else if !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-') {
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
    } else {
        return Ok(t);
    };
    Err(constraint(t, &camel(name), problem))
}
