//! Helpers of the Lambda tests (`spec_lambda.rs`, `audit_lambda.rs`): tables with a stream,
//! functions and mappings, and reading invocations.

use super::ok;
use serde_json::{json, Value};
use streamlab::AwsError;
use streamlab::Engine;

/// 2026-01-01T00:00:00Z, the default simulated start.
pub const T0: f64 = 1_767_225_600.0;

pub const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:esm-failures";

pub const FAIL_ALL: &str = "on INSERT, MODIFY, REMOVE fail \"boom\"";

#[track_caller]
pub fn assert_err(e: &mut Engine, action: &str, req: Value, kind: &str) -> AwsError {
    let er = super::err(e, action, req.clone());
    assert_eq!(er.kind, kind, "{action} {req}: {}", er.message);
    er
}

/// A table keyed by `pk` (S) with a stream of the given view type; returns the stream ARN.
pub fn table(e: &mut Engine, name: &str, view: &str) -> String {
    let r = ok(
        e,
        "CreateTable",
        json!({
            "TableName": name,
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": view},
        }),
    );
    r["TableDescription"]["LatestStreamArn"].as_str().expect("LatestStreamArn").to_string()
}

pub fn function(e: &mut Engine, name: &str, code: &str) {
    ok(e, "CreateFunction", json!({"FunctionName": name, "Code": code}));
}

/// CreateEventSourceMapping with TableName/FunctionName/TRIM_HORIZON plus `extra` members.
pub fn mapping(e: &mut Engine, tbl: &str, func: &str, extra: Value) -> Value {
    let mut r = json!({"TableName": tbl, "FunctionName": func, "StartingPosition": "TRIM_HORIZON"});
    for (k, v) in extra.as_object().unwrap() {
        r[k] = v.clone();
    }
    ok(e, "CreateEventSourceMapping", r)
}

pub fn put(e: &mut Engine, tbl: &str, pk: &str, v: i64) {
    ok(e, "PutItem", json!({"TableName": tbl, "Item": {"pk": {"S": pk}, "v": {"N": v.to_string()}}}));
}

pub fn advance(e: &mut Engine, secs: f64) {
    ok(e, "AdvanceClock", json!({ "Seconds": secs }));
}

pub fn invs(e: &Engine) -> Vec<Value> {
    e.invocations_output()
}

pub fn records(inv: &Value) -> Vec<Value> {
    inv["Event"]["Records"].as_array().cloned().unwrap_or_default()
}

pub fn pks(inv: &Value) -> Vec<String> {
    records(inv).iter().map(|r| r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap().to_string()).collect()
}

pub fn outcome(inv: &Value) -> &str {
    inv["Outcome"].as_str().expect("Outcome")
}
