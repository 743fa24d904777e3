//! From a request's expression strings and placeholder maps to compiled expressions: the
//! placeholder maps are validated, every expression is parsed, and unused placeholders are refused.

use super::ast::*;
use super::cache;
use super::parser::{Ctx, Kind};
use crate::model::{item_from_json, AttributeValue, AwsError, Item, Result};

fn placeholder_key_ok(key: &str, sigil: char) -> bool {
    let mut chars = key.chars();
    chars.next() == Some(sigil) && key.len() > 1 && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Longest placeholder (`#name`, `:value`) DynamoDB accepts, in bytes.
const MAX_PLACEHOLDER_BYTES: usize = 255;

/// Most bytes all substitutions of a request may total: every `ExpressionAttributeNames`
/// placeholder and name, and every `ExpressionAttributeValues` placeholder and value (docs/
/// aws-behaviour.md §6.6; DynamoDB's limits page: "The maximum length of all substitution
/// variables in an expression is 2 MB").
pub const MAX_SUBSTITUTION_BYTES: usize = 2 * 1024 * 1024;

/// The longest attribute name, in bytes (docs/aws-behaviour.md §6.1: "no greater than 64 KB").
pub const MAX_ATTRIBUTE_NAME_BYTES: usize = 64 * 1024;

/// The bytes the substitutions of a request total: names' placeholders and names, values'
/// placeholders and their sizes as DynamoDB sizes values.
pub(super) fn substitution_bytes<'a>(
    names: impl Iterator<Item = (&'a str, &'a str)>,
    values: impl Iterator<Item = (&'a str, usize)>,
) -> usize {
    names.map(|(k, v)| k.len() + v.len()).sum::<usize>() + values.map(|(k, size)| k.len() + size).sum::<usize>()
}

/// The error for substitutions over [`MAX_SUBSTITUTION_BYTES`]. Its wording is StreamLab's:
/// AWS documents the limit, not the message.
pub(super) fn too_many_substitution_bytes(total: usize) -> AwsError {
    AwsError::validation(format!(
        "The expression attribute names and values total {total} bytes, more than the maximum of {MAX_SUBSTITUTION_BYTES} bytes (2 MB) for all substitutions of a request"
    ))
}

/// The error for a placeholder longer than `MAX_PLACEHOLDER_BYTES`, if `key` is one.
fn placeholder_too_long(what: &str, key: &str) -> Option<AwsError> {
    (key.len() > MAX_PLACEHOLDER_BYTES).then(|| {
        AwsError::validation(format!(
            "{what} contains invalid key: The placeholder is longer than the maximum of {MAX_PLACEHOLDER_BYTES} bytes; key: \"{key}\""
        ))
    })
}

/// `ExpressionAttributeNames`, validated: a map of placeholders to non-empty strings. It is
/// looked up as given (a JSON object needs no second map).
pub(super) fn parse_names(v: Option<&serde_json::Value>) -> Result<Option<&Names>> {
    let Some(v) = v else { return Ok(None) };
    let obj = v
        .as_object()
        .ok_or_else(|| AwsError::serialization("Unexpected value type in payload: expected a map of strings"))?;
    if obj.is_empty() {
        return Err(AwsError::validation("ExpressionAttributeNames must not be empty"));
    }
    for (k, v) in obj {
        if !placeholder_key_ok(k, '#') {
            return Err(AwsError::validation(format!(
                "ExpressionAttributeNames contains invalid key: Syntax error; key: \"{k}\""
            )));
        }
        if let Some(e) = placeholder_too_long("ExpressionAttributeNames", k) {
            return Err(e);
        }
        let name =
            v.as_str().ok_or_else(|| AwsError::serialization("Unexpected value type in payload: expected a string"))?;
        if name.is_empty() {
            return Err(AwsError::validation(format!(
                "ExpressionAttributeNames contains invalid value: Empty attribute name; key: \"{k}\""
            )));
        }
        if name.len() > MAX_ATTRIBUTE_NAME_BYTES {
            return Err(AwsError::validation(format!(
                "ExpressionAttributeNames contains invalid value: the attribute name is {} bytes, more than the maximum of {MAX_ATTRIBUTE_NAME_BYTES} (64 KB); key: \"{k}\"",
                name.len()
            )));
        }
    }
    Ok(Some(obj))
}

pub(super) fn parse_values(v: Option<&serde_json::Value>) -> Result<Option<Item>> {
    let Some(v) = v else { return Ok(None) };
    let Some(obj) = v.as_object() else { return item_from_json(v).map(Some) };
    if obj.is_empty() {
        return Err(AwsError::validation("ExpressionAttributeValues must not be empty"));
    }
    if let Some(k) = obj.keys().find(|k| !placeholder_key_ok(k, ':')) {
        return Err(AwsError::validation(format!(
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"{k}\""
        )));
    }
    if let Some(e) = obj.keys().find_map(|k| placeholder_too_long("ExpressionAttributeValues", k)) {
        return Err(e);
    }
    // DynamoDB names the placeholder of an invalid value:
    // "ExpressionAttributeValues contains invalid value: <why> for key :v".
    let mut item = Item::new();
    for (k, av) in obj {
        let parsed = AttributeValue::from_json(av).map_err(|e| match e.kind.as_str() {
            "ValidationException" => AwsError::validation(format!(
                "ExpressionAttributeValues contains invalid value: {} for key {k}",
                e.message
            )),
            _ => e,
        })?;
        item.insert(k.clone(), parsed);
    }
    Ok(Some(item))
}

/// Fails if a key is not in `used` (sorted, see [`parser::mark_used`]), naming the keys left
/// unused in sorted order.
fn unused<'a>(what: &str, keys: impl Iterator<Item = &'a String>, used: &[String]) -> Result<()> {
    let mut left: Vec<String> =
        keys.filter(|k| used.binary_search_by(|u| u.as_str().cmp(k)).is_err()).cloned().collect();
    if left.is_empty() {
        return Ok(());
    }
    // The keys are unique: any sort gives the same order.
    crate::support::sort::sort(&mut left);
    Err(AwsError::validation(format!("Value provided in {what} unused in expressions: keys: {{{}}}", left.join(", "))))
}

/// Parses every expression of a request, resolves `#names` and `:values`, and validates them
/// (syntax, reserved words, functions and operand types, undefined and unused placeholders
/// across all the request's expressions, empty maps, overlapping paths).
pub fn compile(src: &Sources) -> Result<Expressions> {
    let exprs = [src.update, src.condition, src.key_condition, src.filter, src.projection];
    if exprs.iter().all(Option::is_none) && src.names.is_none() && src.values.is_none() {
        return Ok(Expressions::default());
    }
    if let Some(hit) = cache::get(src) {
        return Ok(hit);
    }
    let names = parse_names(src.names)?;
    let values = parse_values(src.values)?;
    let total = substitution_bytes(
        names.iter().flat_map(|n| n.iter()).map(|(k, v)| (k.as_str(), v.as_str().unwrap_or(""))),
        values.iter().flat_map(|v| v.iter()).map(|(k, v)| (k.as_str(), v.size_bytes())),
    );
    if total > MAX_SUBSTITUTION_BYTES {
        return Err(too_many_substitution_bytes(total));
    }
    let any_expression = exprs.iter().any(Option::is_some);
    if names.is_some() && !any_expression {
        return Err(AwsError::validation("ExpressionAttributeNames can only be specified when using expressions"));
    }
    if values.is_some() && !any_expression {
        return Err(AwsError::validation("ExpressionAttributeValues can only be specified when using expressions"));
    }
    let out = compile_fresh(src, names, values.as_ref())?;
    cache::put(src, values.as_ref(), &out);
    Ok(out)
}

/// `compile` without the cache (the texts parsed now).
pub(super) fn compile_fresh(src: &Sources, names: Option<&Names>, values: Option<&Item>) -> Result<Expressions> {
    let mut ctx = Ctx::new(names, values);
    let mut out = Expressions::default();
    if let Some(s) = src.update {
        let u = ctx.update(s)?;
        let count = u.operator_count();
        if count > MAX_UPDATE_OPERATORS {
            return Err(AwsError::validation(format!(
                "Invalid UpdateExpression: The expression contains too many operators or functions; count: {count}, maximum: {MAX_UPDATE_OPERATORS}"
            )));
        }
        out.update = Some(u);
    }
    if let Some(s) = src.condition {
        out.condition = Some(ctx.condition(s, Kind::Condition)?);
    }
    if let Some(s) = src.key_condition {
        out.key_condition = Some(ctx.key_condition(s)?);
    }
    if let Some(s) = src.filter {
        out.filter = Some(ctx.condition(s, Kind::Filter)?);
    }
    if let Some(s) = src.projection {
        out.projection = Some(ctx.projection(s)?);
    }
    if let Some(n) = names {
        unused("ExpressionAttributeNames", n.keys(), &ctx.used_names)?;
    }
    if let Some(v) = values {
        unused("ExpressionAttributeValues", v.keys(), &ctx.used_values)?;
    }
    Ok(out)
}
