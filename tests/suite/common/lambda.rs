//! Helpers of the Lambda tests (`lambda`, `filters`, `rules`): tables with a stream, functions
//! and mappings, and reading invocations.

use super::ok;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use streamlab::AwsError;
use streamlab::Engine;

/// 2026-01-01T00:00:00Z, the default simulated start.
pub const T0: f64 = 1_767_225_600.0;

/// The simulated account id.
pub const ACCOUNT: &str = "123456789012";

/// The SQS queue of the on-failure destinations.
pub const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:esm-failures";

/// Function code that fails every record.
pub const FAIL_ALL: &str = "on INSERT, MODIFY, REMOVE fail \"boom\"";

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

/// CreateFunction `name` with the rule text `code`.
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

/// PutItem {pk: `pk`, v: `v`} into a table made by `table`.
pub fn put(e: &mut Engine, tbl: &str, pk: &str, v: i64) {
    ok(e, "PutItem", json!({"TableName": tbl, "Item": {"pk": {"S": pk}, "v": {"N": v.to_string()}}}));
}

/// AdvanceClock by `secs` seconds.
pub fn advance(e: &mut Engine, secs: f64) {
    ok(e, "AdvanceClock", json!({ "Seconds": secs }));
}

/// Every invocation so far.
pub fn invs(e: &Engine) -> Vec<Value> {
    e.invocations_output()
}

/// The records of one invocation's event.
pub fn records(inv: &Value) -> Vec<Value> {
    inv["Event"]["Records"].as_array().cloned().unwrap_or_default()
}

/// The pk of each record of one invocation.
pub fn pks(inv: &Value) -> Vec<String> {
    records(inv).iter().map(|r| r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap().to_string()).collect()
}

/// An invocation's outcome.
pub fn outcome(inv: &Value) -> &str {
    inv["Outcome"].as_str().expect("Outcome")
}

/// The invocations of the function `func`.
pub fn invs_of(e: &Engine, func: &str) -> Vec<Value> {
    e.invocations_output().into_iter().filter(|i| i["FunctionName"] == func).collect()
}

/// The SequenceNumber of each record of one invocation.
pub fn seqs(inv: &Value) -> Vec<String> {
    records(inv).iter().map(|r| r["dynamodb"]["SequenceNumber"].as_str().unwrap().to_string()).collect()
}

/// The simulated time of an invocation, in epoch seconds.
pub fn time(inv: &Value) -> f64 {
    inv["Time"].as_f64().expect("Time")
}

/// A sequence number as an integer.
pub fn seq_num(s: &str) -> u128 {
    s.parse().expect("sequence number")
}

/// "HH:MM:SS" of the first day after T0 as the ISO forms of §4.6.
pub fn iso_s(secs_after_t0: u64) -> String {
    format!("2026-01-01T{:02}:{:02}:{:02}Z", secs_after_t0 / 3600, secs_after_t0 / 60 % 60, secs_after_t0 % 60)
}

/// "HH:MM:SS.mmm" of the first day after T0, as the ISO forms of §4.6.
pub fn iso_ms(ms_after_t0: u64) -> String {
    let s = ms_after_t0 / 1000;
    format!("2026-01-01T{:02}:{:02}:{:02}.{:03}Z", s / 3600, s / 60 % 60, s % 60, ms_after_t0 % 1000)
}

/// Whether `s` has a UUID's form (8-4-4-4-12 hex digits).
pub fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The member names of a JSON object.
pub fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().expect("object").keys().cloned().collect()
}

/// A set of names.
pub fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Asserts a ValidationException in the "1 validation error detected" form of §4.1.
#[track_caller]
pub fn assert_constraint(er: &AwsError, value: &str, field: &str, constraint: &str) {
    assert_eq!(er.kind, "ValidationException", "{}", er.message);
    assert_eq!(
        er.message,
        format!("1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {constraint}"),
    );
}

/// The §1.5 table: `Orders`, pk (HASH, S) + sk (RANGE, S), NEW_AND_OLD_IMAGES; returns the ARN.
pub fn orders_table(e: &mut Engine) -> String {
    let r = ok(
        e,
        "CreateTable",
        json!({
            "TableName": "Orders",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        }),
    );
    r["TableDescription"]["LatestStreamArn"].as_str().expect("LatestStreamArn").to_string()
}

/// The §1.5 scenario: t1 PutItem v1 (INSERT), t2 UpdateItem SET status ADD tags (MODIFY),
/// t3 DeleteItem (REMOVE), one minute apart.
pub fn orders_scenario(e: &mut Engine) {
    ok(
        e,
        "PutItem",
        json!({"TableName": "Orders", "Item": {"pk": {"S": "ORDER#1"}, "sk": {"S": "META"}, "status": {"S": "open"}, "total": {"N": "25.5"}}}),
    );
    advance(e, 60.0);
    ok(
        e,
        "UpdateItem",
        json!({"TableName": "Orders", "Key": {"pk": {"S": "ORDER#1"}, "sk": {"S": "META"}},
               "UpdateExpression": "SET #s = :s ADD tags :t",
               "ExpressionAttributeNames": {"#s": "status"},
               "ExpressionAttributeValues": {":s": {"S": "shipped"}, ":t": {"SS": ["gift"]}}}),
    );
    advance(e, 60.0);
    ok(e, "DeleteItem", json!({"TableName": "Orders", "Key": {"pk": {"S": "ORDER#1"}, "sk": {"S": "META"}}}));
    advance(e, 60.0);
}

/// The FilterCriteria members of a mapping with the given patterns.
pub fn filter(patterns: &[&str]) -> Value {
    json!({"FilterCriteria": {"Filters": patterns.iter().map(|p| json!({"Pattern": p})).collect::<Vec<_>>()}})
}

/// The eventName of every record delivered so far, in order.
pub fn event_names(e: &Engine) -> Vec<String> {
    invs(e).iter().flat_map(records).map(|r| r["eventName"].as_str().unwrap().to_string()).collect()
}
