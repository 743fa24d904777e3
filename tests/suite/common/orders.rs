//! The `Orders` table of the write tests (pk S HASH, sk S RANGE, NEW_AND_OLD_IMAGES stream),
//! optionally with `Plain` (pk S HASH, no stream) beside it, and reads of both.

use super::{engine, err, key, ok};
use serde_json::{json, Value};
use streamlab::Engine;

/// The prefix of many ValidationException messages.
pub const P: &str = "One or more parameter values were invalid: ";

/// Table `Orders` (pk S HASH, sk S RANGE) with a NEW_AND_OLD_IMAGES stream.
pub fn orders() -> Engine {
    let mut e = engine();
    ok(
        &mut e,
        "CreateTable",
        json!({"TableName": "Orders",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
               "BillingMode": "PAY_PER_REQUEST",
               "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}),
    );
    e
}

/// The records of the last stream made (with these tables, the only one: Orders').
pub fn records(e: &Engine) -> Vec<Value> {
    let out = e.streams_output();
    out.as_array().unwrap().last().unwrap()["Records"].as_array().unwrap().clone()
}

/// Adds `"TableName": "Orders"` to a request.
pub fn t(mut r: Value) -> Value {
    r["TableName"] = json!("Orders");
    r
}

/// GetItem of Orders' item `pk` (consistent read).
pub fn get_item(e: &mut Engine, pk: &str) -> Option<Value> {
    ok(e, "GetItem", t(json!({"Key": key(pk), "ConsistentRead": true}))).get("Item").cloned()
}

/// Every item of Orders.
pub fn scan_all(e: &mut Engine) -> Value {
    ok(e, "Scan", t(json!({})))["Items"].clone()
}

/// `Orders` (pk S HASH, sk S RANGE, NEW_AND_OLD_IMAGES stream) and `Plain` (pk S HASH, no stream).
pub fn tables() -> Engine {
    let mut e = engine();
    ok(
        &mut e,
        "CreateTable",
        json!({"TableName": "Orders",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
               "BillingMode": "PAY_PER_REQUEST",
               "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}),
    );
    ok(
        &mut e,
        "CreateTable",
        json!({"TableName": "Plain", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}),
    );
    e
}

/// GetItem of Orders' item `pk`.
pub fn get(e: &mut Engine, pk: &str) -> Option<Value> {
    ok(e, "GetItem", t(json!({"Key": key(pk)}))).get("Item").cloned()
}

/// Both tables and every stream: what a failed request must leave as it was.
pub fn snapshot(e: &mut Engine) -> (Value, Value, Value) {
    let a = ok(e, "Scan", json!({"TableName": "Orders"}))["Items"].clone();
    let b = ok(e, "Scan", json!({"TableName": "Plain"}))["Items"].clone();
    (a, b, e.streams_output())
}

/// Runs a request that must fail with a ValidationException `msg` and change nothing.
#[track_caller]
pub fn validation(e: &mut Engine, action: &str, req: Value, msg: &str) {
    let before = snapshot(e);
    let er = err(e, action, req.clone());
    assert_eq!((er.kind.as_str(), er.message.as_str()), ("ValidationException", msg), "{action} {req}");
    assert_eq!(snapshot(e), before, "a failed {action} changes nothing");
}
