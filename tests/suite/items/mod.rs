//! Items (`docs/aws-behaviour.md` §6): attribute values and numbers (§6.1), keys (§6.2), item sizes
//! (§6.3), UpdateExpression (§6.4), ConditionExpression (§6.5), placeholders (§6.6), ReturnValues
//! (§6.7), batches and transactions (§6.8), and reads (GetItem, Query, Scan). Which stream records
//! the writes make is in `records::generation`.

mod batches;
mod conditions;
mod keys;
mod names;
mod placeholders;
mod reads;
mod return_values;
mod sizes;
mod updates;
mod values;

use crate::common::orders::{orders, scan_all, t};
use crate::common::{key, n, ok, s};
use serde_json::{json, Value};

/// An item of every type whose size, by the §6.3 rules, is 54 + the length of `d`:
///   pk "A"                  2 + 1                               =  3
///   sk "S"                  2 + 1                               =  3
///   n  42                   1 + 2 (§6.3 example "42 → 2")        =  3
///   ns [101, 25.5]          2 + (3 + 3) (examples)              =  8
///   m  {ab: "xyz", c: [1.2, true]}
///                           1 + 3 + (1+2+3) + (1+1+(3 + (1+3) + (1+1)))  = 21
///   g  -7                   1 + 3 (example)                     =  4
///   k  1000                 1 + 2 (example)                     =  3
///   b  BS [0x01 0x02, "foo"] 1 + (2 + 3)                        =  6
///   z  NULL                 1 + 1                               =  2
///   d  S                    1 + len
/// total 53 + 1 + len.
fn sized_item(pk: &str, len: usize) -> Value {
    json!({"pk": s(pk), "sk": s("S"), "n": n("42"), "ns": {"NS": ["101", "25.5"]},
           "m": {"M": {"ab": s("xyz"), "c": {"L": [n("1.2"), {"BOOL": true}]}}},
           "g": n("-7"), "k": n("1000"), "b": {"BS": ["AQI=", "Zm9v"]}, "z": {"NULL": true}, "d": s(&"x".repeat(len))})
}

#[test]
fn failed_requests_change_nothing() {
    // §2.1 last row + scenario-format: "nothing it would have written is written".
    let failing: Vec<(&str, Value)> = vec![
        ("PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "x": {"SS": []}}}))),
        (
            "PutItem",
            t(
                json!({"Item": {"pk": s("A"), "sk": s("S"), "v": n("9")}, "ConditionExpression": "v = :x", "ExpressionAttributeValues": {":x": n("0")}}),
            ),
        ),
        (
            "UpdateItem",
            t(
                json!({"Key": key("A"), "UpdateExpression": "SET v = :x, w = nothere + :x", "ExpressionAttributeValues": {":x": n("1")}}),
            ),
        ),
        (
            "UpdateItem",
            t(
                json!({"Key": key("A"), "UpdateExpression": "SET v = :x", "ConditionExpression": "attribute_not_exists(pk)", "ExpressionAttributeValues": {":x": n("1")}}),
            ),
        ),
        (
            "UpdateItem",
            t(
                json!({"Key": key("new"), "UpdateExpression": "SET v = :x", "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeValues": {":x": n("1")}}),
            ),
        ),
        (
            "UpdateItem",
            t(
                json!({"Key": key("A"), "UpdateExpression": "SET v = :x ADD s :bad", "ExpressionAttributeValues": {":x": n("1"), ":bad": s("q")}}),
            ),
        ),
        ("DeleteItem", t(json!({"Key": key("A"), "ConditionExpression": "attribute_not_exists(pk)"}))),
        ("DeleteItem", t(json!({"Key": {"pk": s("A")}}))),
        ("PutItem", json!({"TableName": "Nope", "Item": {"pk": s("A"), "sk": s("S")}})),
    ];
    for (action, req) in failing {
        let mut e = orders();
        ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "v": n("1")}})));
        let before = (scan_all(&mut e), e.streams_output());
        assert!(e.call(action, &req).is_err(), "{action} {req} should fail");
        assert_eq!((scan_all(&mut e), e.streams_output()), before, "{action} {req}");
    }
}
