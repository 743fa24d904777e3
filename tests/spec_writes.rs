//! Writes: which writes produce stream records (`aws-semantics.md` §2.1), validation (§6.1–§6.3),
//! UpdateExpression / ConditionExpression (§6.4–§6.6), ReturnValues (§6.7), batch and
//! transactions (§6.8), and "a failed request changes nothing" (§2.1 last row, scenario-format).
//!
//! Expected values come from the spec (section cited) or documented real DynamoDB behaviour
//! (marked "real AWS"). Nothing was copied from the engine's output.
#![cfg(not(target_arch = "wasm32"))] // native tests: `make test` runs tests/web.rs in the browser

use serde_json::{json, Value};
mod common;
use common::*;
use streamlab::AwsError;
use streamlab::Engine;

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/// Table `Orders` (pk S HASH, sk S RANGE) with a NEW_AND_OLD_IMAGES stream.
fn orders() -> Engine {
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

fn records(e: &Engine) -> Vec<Value> {
    let out = e.streams_output();
    out.as_array().unwrap().last().unwrap()["Records"].as_array().unwrap().clone()
}

/// Adds `"TableName": "Orders"` to a request.
fn t(mut r: Value) -> Value {
    r["TableName"] = json!("Orders");
    r
}

fn key(pk: &str) -> Value {
    json!({"pk": s(pk), "sk": s("S")})
}

fn get_item(e: &mut Engine, pk: &str) -> Option<Value> {
    ok(e, "GetItem", t(json!({"Key": key(pk), "ConsistentRead": true}))).get("Item").cloned()
}

fn scan_all(e: &mut Engine) -> Value {
    ok(e, "Scan", t(json!({})))["Items"].clone()
}

/// Runs `setup` (must all succeed), then `step`; returns (step result, eventNames of the
/// records the step added).
fn run(setup: &[(&str, Value)], step: (&str, Value)) -> (Result<Value, AwsError>, Vec<String>, Engine) {
    let mut e = orders();
    for (a, r) in setup {
        ok(&mut e, a, t(r.clone()));
    }
    let before = records(&e).len();
    let mut req = step.1.clone();
    if req.get("TableName").is_none() && step.0 != "BatchWriteItem" && step.0 != "TransactWriteItems" {
        req = t(req);
    }
    let res = e.call(step.0, &req);
    let names = records(&e)[before..].iter().map(|r| r["eventName"].as_str().unwrap().to_string()).collect();
    (res, names, e)
}

fn put(item: Value) -> (&'static str, Value) {
    ("PutItem", json!({ "Item": item }))
}

// ---------------------------------------------------------------------------------------------
// §2.1 record generation table
// ---------------------------------------------------------------------------------------------

#[test]
fn record_generation_table() {
    let a1 = json!({"pk": s("A"), "sk": s("S"), "total": n("1.5"), "tags": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "x": s("v")});
    // (name, setup, step, expected kind of error or None, expected eventNames)
    type Case<'a> = (&'a str, Vec<(&'a str, Value)>, (&'a str, Value), Option<&'a str>, Vec<&'a str>);
    let cases: Vec<Case> = vec![
        ("PutItem of a new key", vec![], put(a1.clone()), None, vec!["INSERT"]),
        (
            "PutItem replacing with different content",
            vec![put(a1.clone())],
            put(json!({"pk": s("A"), "sk": s("S"), "x": s("w")})),
            None,
            vec!["MODIFY"],
        ),
        ("PutItem identical content", vec![put(a1.clone())], put(a1.clone()), None, vec![]),
        (
            "PutItem identical after number canonicalisation (1.50 vs 1.5)",
            vec![put(a1.clone())],
            put(
                json!({"pk": s("A"), "sk": s("S"), "total": n("1.50"), "tags": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "x": s("v")}),
            ),
            None,
            vec![],
        ),
        (
            "PutItem identical with leading zeros / exponent (0001.5000, 15E-1)",
            vec![put(a1.clone())],
            put(
                json!({"pk": s("A"), "sk": s("S"), "total": n("15E-1"), "tags": {"SS": ["a", "b"]}, "ns": {"NS": ["1.0", "0002"]}, "x": s("v")}),
            ),
            None,
            vec![],
        ),
        (
            "PutItem identical with reordered sets",
            vec![put(a1.clone())],
            put(
                json!({"pk": s("A"), "sk": s("S"), "total": n("1.5"), "tags": {"SS": ["b", "a"]}, "ns": {"NS": ["2", "1"]}, "x": s("v")}),
            ),
            None,
            vec![],
        ),
        (
            "PutItem differing only by number value",
            vec![put(a1.clone())],
            put(
                json!({"pk": s("A"), "sk": s("S"), "total": n("1.51"), "tags": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "x": s("v")}),
            ),
            None,
            vec!["MODIFY"],
        ),
        (
            "PutItem changing type only (S \"1.5\" vs N 1.5)",
            vec![put(a1.clone())],
            put(
                json!({"pk": s("A"), "sk": s("S"), "total": s("1.5"), "tags": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "x": s("v")}),
            ),
            None,
            vec!["MODIFY"],
        ),
        (
            "UpdateItem on a missing key",
            vec![],
            (
                "UpdateItem",
                json!({"Key": key("A"), "UpdateExpression": "SET x = :v", "ExpressionAttributeValues": {":v": s("v")}}),
            ),
            None,
            vec!["INSERT"],
        ),
        (
            "UpdateItem with no UpdateExpression on a missing key",
            vec![],
            ("UpdateItem", json!({"Key": key("A")})),
            None,
            vec!["INSERT"],
        ),
        (
            "UpdateItem with no UpdateExpression on an existing key (changes nothing)",
            vec![put(a1.clone())],
            ("UpdateItem", json!({"Key": key("A")})),
            None,
            vec![],
        ),
        (
            "UpdateItem that changes an attribute",
            vec![put(a1.clone())],
            (
                "UpdateItem",
                json!({"Key": key("A"), "UpdateExpression": "SET x = :v", "ExpressionAttributeValues": {":v": s("changed")}}),
            ),
            None,
            vec!["MODIFY"],
        ),
        (
            "UpdateItem SET a = same value",
            vec![put(a1.clone())],
            (
                "UpdateItem",
                json!({"Key": key("A"), "UpdateExpression": "SET x = :v", "ExpressionAttributeValues": {":v": s("v")}}),
            ),
            None,
            vec![],
        ),
        (
            "UpdateItem SET number to 1.50 over 1.5",
            vec![put(a1.clone())],
            (
                "UpdateItem",
                json!({"Key": key("A"), "UpdateExpression": "SET #t = :v", "ExpressionAttributeNames": {"#t": "total"}, "ExpressionAttributeValues": {":v": n("1.50")}}),
            ),
            None,
            vec![],
        ),
        (
            "UpdateItem SET set to a reordered equal set",
            vec![put(a1.clone())],
            (
                "UpdateItem",
                json!({"Key": key("A"), "UpdateExpression": "SET tags = :v", "ExpressionAttributeValues": {":v": {"SS": ["b", "a"]}}}),
            ),
            None,
            vec![],
        ),
        (
            "UpdateItem ADD 0 to a number",
            vec![put(a1.clone())],
            (
                "UpdateItem",
                json!({"Key": key("A"), "UpdateExpression": "ADD #t :v", "ExpressionAttributeNames": {"#t": "total"}, "ExpressionAttributeValues": {":v": n("0")}}),
            ),
            None,
            vec![],
        ),
        (
            "UpdateItem ADD an existing set member",
            vec![put(a1.clone())],
            (
                "UpdateItem",
                json!({"Key": key("A"), "UpdateExpression": "ADD tags :v", "ExpressionAttributeValues": {":v": {"SS": ["a"]}}}),
            ),
            None,
            vec![],
        ),
        (
            "UpdateItem REMOVE a missing attribute",
            vec![put(a1.clone())],
            ("UpdateItem", json!({"Key": key("A"), "UpdateExpression": "REMOVE nothere"})),
            None,
            vec![],
        ),
        (
            "UpdateItem DELETE a member that is not in the set",
            vec![put(a1.clone())],
            (
                "UpdateItem",
                json!({"Key": key("A"), "UpdateExpression": "DELETE tags :v", "ExpressionAttributeValues": {":v": {"SS": ["zz"]}}}),
            ),
            None,
            vec![],
        ),
        (
            "DeleteItem of an existing item",
            vec![put(a1.clone())],
            ("DeleteItem", json!({"Key": key("A")})),
            None,
            vec!["REMOVE"],
        ),
        ("DeleteItem of a missing item", vec![], ("DeleteItem", json!({"Key": key("A")})), None, vec![]),
        (
            "PutItem with failing ConditionExpression",
            vec![put(a1.clone())],
            (
                "PutItem",
                json!({"Item": {"pk": s("A"), "sk": s("S"), "x": s("new")}, "ConditionExpression": "attribute_not_exists(pk)"}),
            ),
            Some("ConditionalCheckFailedException"),
            vec![],
        ),
        (
            "UpdateItem with failing ConditionExpression on a missing item",
            vec![],
            (
                "UpdateItem",
                json!({"Key": key("A"), "UpdateExpression": "SET x = :v", "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeValues": {":v": s("v")}}),
            ),
            Some("ConditionalCheckFailedException"),
            vec![],
        ),
        (
            "DeleteItem with failing ConditionExpression",
            vec![put(a1.clone())],
            (
                "DeleteItem",
                json!({"Key": key("A"), "ConditionExpression": "x = :v", "ExpressionAttributeValues": {":v": s("other")}}),
            ),
            Some("ConditionalCheckFailedException"),
            vec![],
        ),
        (
            "PutItem failing validation",
            vec![],
            ("PutItem", json!({"Item": {"pk": s("A"), "sk": s("S"), "bad": {"NULL": false}}})),
            Some("ValidationException"),
            vec![],
        ),
        (
            "Conditional put that passes",
            vec![],
            ("PutItem", json!({"Item": a1.clone(), "ConditionExpression": "attribute_not_exists(pk)"})),
            None,
            vec!["INSERT"],
        ),
    ];
    for (name, setup, step, want_err, want_names) in cases {
        let (res, names, mut e) = run(&setup, step);
        match (want_err, &res) {
            (None, Ok(_)) => {}
            (Some(k), Err(got)) => assert_eq!(got.kind, k, "{name}: {}", got.message),
            _ => panic!("{name}: unexpected result {res:?}"),
        }
        assert_eq!(names, want_names, "{name}");
        if want_err == Some("ConditionalCheckFailedException") {
            // §6.5 message.
            assert_eq!(res.unwrap_err().message, "The conditional request failed", "{name}");
        }
        if name == "UpdateItem with no UpdateExpression on a missing key" {
            // §2.1: creates a key-only item.
            assert_av_eq(&get_item(&mut e, "A").unwrap(), &key("A"), name);
            assert_av_eq(&records(&e)[0]["dynamodb"]["NewImage"], &key("A"), name);
        }
        if name.contains("failing ConditionExpression on a missing item") {
            assert!(get_item(&mut e, "A").is_none(), "{name}: no item created");
        }
    }
}

#[test]
fn put_replacing_gives_one_modify_with_whole_images() {
    // §2.1: one MODIFY (not REMOVE+INSERT); OldImage = whole old item, NewImage = whole new item.
    let old = json!({"pk": s("A"), "sk": s("S"), "a": s("1"), "b": s("2")});
    let new = json!({"pk": s("A"), "sk": s("S"), "c": s("3")});
    let (res, names, e) = run(&[put(old.clone())], put(new.clone()));
    res.unwrap();
    assert_eq!(names, ["MODIFY"]);
    let r = records(&e).pop().unwrap();
    assert_av_eq(&r["dynamodb"]["OldImage"], &old, "OldImage");
    assert_av_eq(&r["dynamodb"]["NewImage"], &new, "NewImage");
}

#[test]
fn batch_write_judges_each_request() {
    // §2.1 BatchWriteItem row: each Put/Delete judged individually; identical Put → no record.
    let mut e = orders();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("same"), "sk": s("S"), "v": n("1")}})));
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("changed"), "sk": s("S"), "v": n("1")}})));
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("gone"), "sk": s("S")}})));
    let before = records(&e).len();
    let r = ok(
        &mut e,
        "BatchWriteItem",
        json!({"RequestItems": {"Orders": [
            {"PutRequest": {"Item": {"pk": s("new"), "sk": s("S")}}},
            {"PutRequest": {"Item": {"pk": s("same"), "sk": s("S"), "v": n("1.0")}}},
            {"PutRequest": {"Item": {"pk": s("changed"), "sk": s("S"), "v": n("2")}}},
            {"DeleteRequest": {"Key": key("gone")}},
            {"DeleteRequest": {"Key": key("never")}},
        ]}}),
    );
    // §6.8: unprocessed requests come back in UnprocessedItems (real AWS: `{}` when none).
    assert_eq!(r["UnprocessedItems"], json!({}));
    let recs = &records(&e)[before..];
    let mut got: Vec<(String, String)> = recs
        .iter()
        .map(|r| (r["eventName"].as_str().unwrap().into(), r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap().into()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![("INSERT".into(), "new".into()), ("MODIFY".into(), "changed".into()), ("REMOVE".into(), "gone".into())]
    );
}

#[test]
fn transact_write_records_per_item_and_condition_check_produces_nothing() {
    // §2.1 TransactWriteItems row.
    let mut e = orders();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("same"), "sk": s("S"), "v": n("1")}})));
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("upd"), "sk": s("S"), "v": n("1")}})));
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("del"), "sk": s("S")}})));
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("chk"), "sk": s("S")}})));
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("same2"), "sk": s("S"), "v": n("1")}})));
    let before = records(&e).len();
    ok(
        &mut e,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "Orders", "Item": {"pk": s("new"), "sk": s("S")}}},
            {"Put": {"TableName": "Orders", "Item": {"pk": s("same"), "sk": s("S"), "v": n("1")}}},
            {"Update": {"TableName": "Orders", "Key": key("upd"), "UpdateExpression": "SET v = v + :one", "ExpressionAttributeValues": {":one": n("1")}}},
            {"Update": {"TableName": "Orders", "Key": key("noop"), "UpdateExpression": "REMOVE v",
                        "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Delete": {"TableName": "Orders", "Key": key("del")}},
            {"ConditionCheck": {"TableName": "Orders", "Key": key("chk"), "ConditionExpression": "attribute_exists(pk)"}},
            {"Update": {"TableName": "Orders", "Key": key("same2"), "UpdateExpression": "SET v = :one", "ExpressionAttributeValues": {":one": n("1.0")}}},
            {"Delete": {"TableName": "Orders", "Key": key("missing")}},
        ]}),
    );
    let mut got: Vec<(String, String)> = records(&e)[before..]
        .iter()
        .map(|r| (r["eventName"].as_str().unwrap().into(), r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap().into()))
        .collect();
    got.sort();
    // The Update on the missing key "noop" creates a key-only item (UpdateItem on a missing
    // key → INSERT, §2.1), so it does produce an INSERT.
    assert_eq!(
        got,
        vec![
            ("INSERT".into(), "new".into()),
            ("INSERT".into(), "noop".into()),
            ("MODIFY".into(), "upd".into()),
            ("REMOVE".into(), "del".into())
        ]
    );
}

#[test]
fn cancelled_transaction_writes_nothing() {
    // §2.1: a cancelled transaction produces nothing; §6.8 message and CancellationReasons.
    let mut e = orders();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("exists"), "sk": s("S"), "v": n("1")}})));
    let table_before = scan_all(&mut e);
    let streams_before = e.streams_output();
    let er = err(
        &mut e,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "Orders", "Item": {"pk": s("exists"), "sk": s("S"), "v": n("2")}, "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"TableName": "Orders", "Item": {"pk": s("new"), "sk": s("S")}}},
        ]}),
    );
    assert_eq!(er.kind, "TransactionCanceledException");
    assert_eq!(
        er.message,
        "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]"
    );
    assert_eq!(
        er.extra["CancellationReasons"],
        json!([{"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}, {"Code": "None"}])
    );
    assert_eq!(scan_all(&mut e), table_before);
    assert_eq!(e.streams_output(), streams_before);
}

#[test]
fn cancelled_by_condition_check_writes_nothing() {
    let mut e = orders();
    let streams_before = e.streams_output();
    let er = err(
        &mut e,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "Orders", "Item": {"pk": s("new"), "sk": s("S")}}},
            {"ConditionCheck": {"TableName": "Orders", "Key": key("missing"), "ConditionExpression": "attribute_exists(pk)"}},
        ]}),
    );
    assert_eq!(er.kind, "TransactionCanceledException");
    assert_eq!(
        er.message,
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]"
    );
    assert!(get_item(&mut e, "new").is_none());
    assert_eq!(e.streams_output(), streams_before);
}

// ---------------------------------------------------------------------------------------------
// §6.1–§6.3 validation errors with exact messages
// ---------------------------------------------------------------------------------------------

fn item_with(attr: Value) -> Value {
    json!({"Item": {"pk": s("A"), "sk": s("S"), "x": attr}})
}

#[test]
fn attribute_value_validation_messages() {
    let p = "One or more parameter values were invalid: ";
    let cases: Vec<(Value, String)> = vec![
        (json!({}), "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes".into()),
        (
            json!({"S": "a", "N": "1"}),
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes".into(),
        ),
        (json!({"NULL": false}), format!("{p}Null attribute value types must have the value of true")),
        (json!({"SS": []}), format!("{p}An string set  may not be empty")),
        (json!({"NS": []}), format!("{p}An number set  may not be empty")),
        (json!({"BS": []}), format!("{p}Binary sets should not be empty")),
        (json!({"SS": ["a", "a"]}), format!("{p}Input collection [a, a] contains duplicates.")),
        (json!({"NS": ["1", "1"]}), "Input collection contains duplicates".into()),
        (json!({"N": "abc"}), "The parameter cannot be converted to a numeric value: abc".into()),
        (json!({"N": ""}), "The parameter cannot be converted to a numeric value".into()),
        (json!({"N": "1234567890123456789012345678901234567890"}), "Attempting to store more than 38 significant digits in a Number".into()),
        (json!({"N": "1E+126"}), "Number overflow. Attempting to store a number with magnitude larger than supported range".into()),
        (json!({"N": "-1E+126"}), "Number overflow. Attempting to store a number with magnitude larger than supported range".into()),
        (json!({"N": "1E-131"}), "Number underflow. Attempting to store a number with magnitude smaller than supported range".into()),
        // nested inside a map / list are validated the same way
        (json!({"M": {"y": {"NULL": false}}}), format!("{p}Null attribute value types must have the value of true")),
        (json!({"L": [{"SS": []}]}), format!("{p}An string set  may not be empty")),
    ];
    for (v, msg) in cases {
        let mut e = orders();
        let er = err(&mut e, "PutItem", t(item_with(v.clone())));
        assert_eq!((er.kind.as_str(), er.message.as_str()), ("ValidationException", msg.as_str()), "value {v}");
        assert!(records(&e).is_empty());
        assert!(get_item(&mut e, "A").is_none());
    }
}

#[test]
fn attribute_value_edge_cases_that_are_valid() {
    // §6.1: limits are inclusive; empty S/B allowed for non-key attributes; empty L/M allowed;
    // set members may be empty strings; mixed list types OK.
    let valid: Vec<Value> = vec![
        json!({"N": "12345678901234567890123456789012345678"}), // 38 digits
        json!({"N": "9.9999999999999999999999999999999999999E+125"}),
        json!({"N": "-9.9999999999999999999999999999999999999E+125"}),
        json!({"N": "1E-130"}),
        json!({"N": "0"}),
        json!({"S": ""}),
        json!({"B": ""}),
        json!({"L": []}),
        json!({"M": {}}),
        json!({"SS": [""]}),
        json!({"L": [{"S": "a"}, {"N": "1"}, {"BOOL": true}, {"NULL": true}]}),
        json!({"N": "000123.4500"}),
    ];
    for v in valid {
        let mut e = orders();
        ok(&mut e, "PutItem", t(item_with(v.clone())));
    }
}

#[test]
fn nesting_depth_32_levels() {
    // §0 / §6.1: nesting ≤ 32 levels. A value nested 32 deep is accepted; 33 is rejected
    // with ValidationException (real AWS: "Nesting Levels have exceeded supported limits").
    fn nest(levels: usize) -> Value {
        let mut v = s("leaf");
        for _ in 0..levels {
            v = json!({"M": {"a": v}});
        }
        v
    }
    let mut e = orders();
    ok(&mut e, "PutItem", t(item_with(nest(31))));
    let er = err(&mut e, "PutItem", t(item_with(nest(40))));
    assert_eq!(er.kind, "ValidationException");
}

#[test]
fn key_validation_messages() {
    let p = "One or more parameter values were invalid: ";
    let schema = "The provided key element does not match the schema";
    let long = |k: usize| "x".repeat(k);
    let cases: Vec<(&str, &str, Value, String)> = vec![
        ("missing sk in item", "PutItem", json!({"Item": {"pk": s("A")}}), format!("{p}Missing the key sk in the item")),
        (
            "wrong key type in item",
            "PutItem",
            json!({"Item": {"pk": n("1"), "sk": s("S")}}),
            format!("{p}Type mismatch for key pk expected: S actual: N"),
        ),
        ("GetItem missing sk", "GetItem", json!({"Key": {"pk": s("A")}}), schema.into()),
        ("GetItem wrong type", "GetItem", json!({"Key": {"pk": s("A"), "sk": n("1")}}), schema.into()),
        ("GetItem extra attribute", "GetItem", json!({"Key": {"pk": s("A"), "sk": s("S"), "x": s("y")}}), schema.into()),
        ("DeleteItem missing sk", "DeleteItem", json!({"Key": {"pk": s("A")}}), schema.into()),
        ("UpdateItem extra attribute", "UpdateItem", json!({"Key": {"pk": s("A"), "sk": s("S"), "x": s("y")}}), schema.into()),
        (
            "empty string key in PutItem",
            "PutItem",
            json!({"Item": {"pk": s(""), "sk": s("S")}}),
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk".into(),
        ),
        (
            "empty string sort key in GetItem",
            "GetItem",
            json!({"Key": {"pk": s("A"), "sk": s("")}}),
            "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: sk".into(),
        ),
        (
            "partition key 2049 bytes",
            "PutItem",
            json!({"Item": {"pk": s(&long(2049)), "sk": s("S")}}),
            format!("{p}Size of hashkey has exceeded the maximum size limit of2048 bytes"),
        ),
        (
            "sort key 1025 bytes",
            "PutItem",
            json!({"Item": {"pk": s("A"), "sk": s(&long(1025))}}),
            format!("{p}Aggregated size of all range keys has exceeded the size limit of 1024 bytes"),
        ),
        (
            "UpdateExpression SET on a key attribute",
            "UpdateItem",
            json!({"Key": key("A"), "UpdateExpression": "SET pk = :v", "ExpressionAttributeValues": {":v": s("B")}}),
            format!("{p}Cannot update attribute pk. This attribute is part of the key"),
        ),
        (
            "UpdateExpression REMOVE of a key attribute",
            "UpdateItem",
            json!({"Key": key("A"), "UpdateExpression": "REMOVE sk"}),
            format!("{p}Cannot update attribute sk. This attribute is part of the key"),
        ),
    ];
    for (name, action, req, msg) in cases {
        let mut e = orders();
        ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "v": n("1")}})));
        let before = (scan_all(&mut e), e.streams_output());
        let er = err(&mut e, action, t(req));
        assert_eq!((er.kind.as_str(), er.message.as_str()), ("ValidationException", msg.as_str()), "{name}");
        assert_eq!((scan_all(&mut e), e.streams_output()), before, "{name}: nothing changed");
    }
}

#[test]
fn key_size_limits_are_inclusive() {
    // §6.2: partition key ≤ 2048 bytes, sort key ≤ 1024 bytes (UTF-8 bytes).
    let mut e = orders();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s(&"x".repeat(2048)), "sk": s(&"y".repeat(1024))}})));
    // 1024 two-byte characters = 2048 bytes: still fine; 1025 = 2050 bytes: too big.
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s(&"é".repeat(1024)), "sk": s("S")}})));
    let er = err(&mut e, "PutItem", t(json!({"Item": {"pk": s(&"é".repeat(1025)), "sk": s("S")}})));
    assert_eq!(
        er.message,
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"
    );
    let er = err(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s(&"é".repeat(513))}})));
    assert_eq!(er.message, "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
}

#[test]
fn missing_table() {
    // §6.2: ResourceNotFoundException "Requested resource not found" (some operations append
    // ": Table: <name> not found").
    let mut e = orders();
    for (action, req) in [
        ("PutItem", json!({"TableName": "Nope", "Item": {"pk": s("A")}})),
        ("GetItem", json!({"TableName": "Nope", "Key": {"pk": s("A")}})),
        ("UpdateItem", json!({"TableName": "Nope", "Key": {"pk": s("A")}})),
        ("DeleteItem", json!({"TableName": "Nope", "Key": {"pk": s("A")}})),
        (
            "Query",
            json!({"TableName": "Nope", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": s("A")}}),
        ),
        ("Scan", json!({"TableName": "Nope"})),
        ("DescribeTable", json!({"TableName": "Nope"})),
    ] {
        let er = err(&mut e, action, req);
        assert_eq!(er.kind, "ResourceNotFoundException", "{action}");
        assert!(
            er.message == "Requested resource not found"
                || er.message == "Requested resource not found: Table: Nope not found",
            "{action}: {}",
            er.message
        );
    }
}

#[test]
fn item_size_limit_400kb() {
    // §6.3: 409 600 bytes incl. attribute names. Item {pk:"A", sk:"S", d:<k bytes>}:
    // (2+1) + (2+1) + (1+k) = 7 + k.
    let mut e = orders();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "d": s(&"x".repeat(409_600 - 7))}})));
    let before = (scan_all(&mut e), e.streams_output());
    let er = err(&mut e, "PutItem", t(json!({"Item": {"pk": s("B"), "sk": s("S"), "d": s(&"x".repeat(409_600 - 6))}})));
    assert_eq!(
        (er.kind.as_str(), er.message.as_str()),
        ("ValidationException", "Item size has exceeded the maximum allowed size")
    );
    assert_eq!((scan_all(&mut e), e.streams_output()), before);
    // UpdateItem growing an item past the limit.
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("C"), "sk": s("S"), "d": s(&"x".repeat(409_600 - 7 - 10))}})));
    let before = (scan_all(&mut e), e.streams_output());
    let er = err(
        &mut e,
        "UpdateItem",
        t(
            json!({"Key": key("C"), "UpdateExpression": "SET e = :v", "ExpressionAttributeValues": {":v": s("0123456789")}}),
        ),
    );
    // "e" (1) + 10 bytes = 11 > 10 bytes left.
    assert_eq!(
        (er.kind.as_str(), er.message.as_str()),
        ("ValidationException", "Item size to update has exceeded the maximum allowed size")
    );
    assert_eq!((scan_all(&mut e), e.streams_output()), before);
    // Exactly at the limit is fine: "e" (1) + 9 bytes = 10.
    ok(
        &mut e,
        "UpdateItem",
        t(
            json!({"Key": key("C"), "UpdateExpression": "SET e = :v", "ExpressionAttributeValues": {":v": s("012345678")}}),
        ),
    );
}

/// An UpdateItem changes the stored item where it is: a copy of the item held elsewhere (as
/// the lab's item grid holds one) keeps the version it had, and an update that fails after
/// some of its actions ran leaves the item, and the stream, as they were.
#[test]
fn an_update_keeps_held_versions_and_a_failed_one_changes_nothing() {
    let mut e = orders();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "n": {"N": "1"}, "tags": {"SS": ["x"]}}})));
    let held = e.table("Orders").unwrap().items.values().next().cloned().unwrap();
    let out = ok(
        &mut e,
        "UpdateItem",
        t(
            json!({"Key": key("A"), "UpdateExpression": "SET n = n + :one, m = :one", "ExpressionAttributeValues": {":one": {"N": "1"}},
                 "ReturnValues": "UPDATED_NEW"}),
        ),
    );
    assert_eq!(out, json!({"Attributes": {"n": {"N": "2"}, "m": {"N": "1"}}}));
    assert_eq!(
        streamlab::item_to_json(&held),
        json!({"pk": s("A"), "sk": s("S"), "n": {"N": "1"}, "tags": {"SS": ["x"]}})
    );
    let before = (scan_all(&mut e), e.streams_output());
    assert_eq!(records(&e).len(), 2);
    // `tags` is a string set: adding a number to it fails after n and m were set.
    let er = err(
        &mut e,
        "UpdateItem",
        t(
            json!({"Key": key("A"), "UpdateExpression": "SET n = :one REMOVE m ADD tags :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}),
        ),
    );
    assert_eq!(er.message, "An operand in the update expression has an incorrect data type");
    assert_eq!((scan_all(&mut e), e.streams_output()), before);
}

// ---------------------------------------------------------------------------------------------
// §6.4 UpdateExpression semantics
// ---------------------------------------------------------------------------------------------

/// Applies one UpdateItem to a stored item and returns the resulting item (minus keys).
fn update_result(start: Value, expr: &str, values: Value, names: Value) -> Result<Value, AwsError> {
    let mut e = orders();
    let mut item = start;
    item["pk"] = s("A");
    item["sk"] = s("S");
    ok(&mut e, "PutItem", t(json!({ "Item": item })));
    let mut req = json!({"Key": key("A"), "UpdateExpression": expr, "ReturnValues": "ALL_NEW"});
    if values.as_object().is_some_and(|m| !m.is_empty()) {
        req["ExpressionAttributeValues"] = values;
    }
    if names.as_object().is_some_and(|m| !m.is_empty()) {
        req["ExpressionAttributeNames"] = names;
    }
    e.call("UpdateItem", &t(req)).map(|r| {
        let mut a = r["Attributes"].clone();
        a.as_object_mut().unwrap().remove("pk");
        a.as_object_mut().unwrap().remove("sk");
        a
    })
}

#[test]
fn update_expression_semantics() {
    let l = |xs: &[Value]| json!({ "L": xs });
    let cases: Vec<(&str, Value, &str, Value, Value)> = vec![
        // (why, start item, expression, values, expected item)
        ("SET plain", json!({}), "SET a = :v", json!({":v": s("x")}), json!({"a": s("x")})),
        (
            "SET a = b + :n",
            json!({"b": n("2")}),
            "SET a = b + :n",
            json!({":n": n("3")}),
            json!({"a": n("5"), "b": n("2")}),
        ),
        (
            "SET a = b - :n",
            json!({"b": n("2")}),
            "SET a = b - :n",
            json!({":n": n("3.5")}),
            json!({"a": n("-1.5"), "b": n("2")}),
        ),
        (
            "if_not_exists keeps the existing value",
            json!({"a": n("1")}),
            "SET a = if_not_exists(a, :d)",
            json!({":d": n("9")}),
            json!({"a": n("1")}),
        ),
        (
            "if_not_exists uses the default",
            json!({}),
            "SET a = if_not_exists(a, :d)",
            json!({":d": n("9")}),
            json!({"a": n("9")}),
        ),
        (
            "list_append appends",
            json!({"l": l(&[s("a")])}),
            "SET l = list_append(l, :x)",
            json!({":x": l(&[s("b")])}),
            json!({"l": l(&[s("a"), s("b")])}),
        ),
        (
            "list_append prepends",
            json!({"l": l(&[s("a")])}),
            "SET l = list_append(:x, l)",
            json!({":x": l(&[s("b")])}),
            json!({"l": l(&[s("b"), s("a")])}),
        ),
        (
            "SET list[i] replaces",
            json!({"l": l(&[s("a"), s("b")])}),
            "SET l[1] = :x",
            json!({":x": s("z")}),
            json!({"l": l(&[s("a"), s("z")])}),
        ),
        (
            "SET list[i] beyond the end appends",
            json!({"l": l(&[s("a"), s("b")])}),
            "SET l[7] = :x",
            json!({":x": s("z")}),
            json!({"l": l(&[s("a"), s("b"), s("z")])}),
        ),
        (
            "right-hand sides see the item before the update (swap)",
            json!({"a": s("1"), "b": s("2")}),
            "SET a = b, b = a",
            json!({}),
            json!({"a": s("2"), "b": s("1")}),
        ),
        (
            "SET nested map member",
            json!({"m": {"M": {"x": n("1")}}}),
            "SET m.y = :v",
            json!({":v": n("2")}),
            json!({"m": {"M": {"x": n("1"), "y": n("2")}}}),
        ),
        ("REMOVE attribute", json!({"a": s("1"), "b": s("2")}), "REMOVE a", json!({}), json!({"b": s("2")})),
        (
            "REMOVE list element shifts later elements down",
            json!({"l": l(&[s("a"), s("b"), s("c")])}),
            "REMOVE l[0]",
            json!({}),
            json!({"l": l(&[s("b"), s("c")])}),
        ),
        ("REMOVE missing attribute is a no-op", json!({"a": s("1")}), "REMOVE zz", json!({}), json!({"a": s("1")})),
        ("ADD to a missing number starts from 0", json!({}), "ADD c :n", json!({":n": n("5")}), json!({"c": n("5")})),
        ("ADD negative subtracts", json!({"c": n("5")}), "ADD c :n", json!({":n": n("-7")}), json!({"c": n("-2")})),
        ("ADD creates a set", json!({}), "ADD t :s", json!({":s": {"SS": ["x"]}}), json!({"t": {"SS": ["x"]}})),
        (
            "ADD unions sets",
            json!({"t": {"SS": ["x", "y"]}}),
            "ADD t :s",
            json!({":s": {"SS": ["y", "z"]}}),
            json!({"t": {"SS": ["x", "y", "z"]}}),
        ),
        (
            "DELETE removes members",
            json!({"t": {"NS": ["1", "2", "3"]}}),
            "DELETE t :s",
            json!({":s": {"NS": ["2"]}}),
            json!({"t": {"NS": ["1", "3"]}}),
        ),
        (
            "DELETE emptying the set removes the attribute",
            json!({"t": {"SS": ["x"]}, "a": s("1")}),
            "DELETE t :s",
            json!({":s": {"SS": ["x"]}}),
            json!({"a": s("1")}),
        ),
        (
            "clauses in any order",
            json!({"a": s("1"), "c": n("1")}),
            "REMOVE a ADD c :one SET b = :b",
            json!({":one": n("1"), ":b": s("B")}),
            json!({"b": s("B"), "c": n("2")}),
        ),
        (
            "number arithmetic is exact decimal",
            json!({"c": n("0.1")}),
            "SET c = c + :n",
            json!({":n": n("0.2")}),
            json!({"c": n("0.3")}),
        ),
    ];
    for (why, start, expr, values, want) in cases {
        match update_result(start, expr, values, json!({})) {
            Ok(got) => assert_av_eq(&got, &want, why),
            Err(er) => panic!("{why}: {} {}", er.kind, er.message),
        }
    }
}

#[test]
fn update_and_condition_expression_errors() {
    let iu = "Invalid UpdateExpression: ";
    // (why, start item, update expr, condition, names, values, expected message)
    type Case<'a> = (&'a str, Value, &'a str, Option<&'a str>, Value, Value, String);
    let cases: Vec<Case> = vec![
        (
            "+ on a string",
            json!({"a": s("x")}),
            "SET b = a + :n",
            None,
            json!({}),
            json!({":n": n("1")}),
            "An operand in the update expression has an incorrect data type".into(),
        ),
        (
            "operand refers to a missing attribute",
            json!({}),
            "SET a = b + :one",
            None,
            json!({}),
            json!({":one": n("1")}),
            "The provided expression refers to an attribute that does not exist in the item".into(),
        ),
        (
            "nested path whose parent does not exist",
            json!({}),
            "SET m.x = :v",
            None,
            json!({}),
            json!({":v": n("1")}),
            "The document path provided in the update expression is invalid for update".into(),
        ),
        (
            "ADD with a string operand (parse time)",
            json!({}),
            "ADD a :v",
            None,
            json!({}),
            json!({":v": s("x")}),
            format!("{iu}Incorrect operand type for operator or function; operator: ADD, operand type: STRING"),
        ),
        (
            "ADD number to a string attribute (runtime)",
            json!({"a": s("x")}),
            "ADD a :v",
            None,
            json!({}),
            json!({":v": n("1")}),
            "An operand in the update expression has an incorrect data type".into(),
        ),
        (
            "overlapping paths",
            json!({}),
            "SET a = :v REMOVE a.b",
            None,
            json!({}),
            json!({":v": n("1")}),
            format!("{iu}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"),
        ),
        (
            "reserved word in UpdateExpression",
            json!({}),
            "SET status = :v",
            None,
            json!({}),
            json!({":v": n("1")}),
            format!("{iu}Attribute name is a reserved keyword; reserved keyword: status"),
        ),
        (
            "undefined value in UpdateExpression",
            json!({}),
            "SET a = :v",
            None,
            json!({}),
            json!({":w": n("1")}),
            format!("{iu}An expression attribute value used in expression is not defined; attribute value: :v"),
        ),
        (
            "undefined name in ConditionExpression",
            json!({}),
            "SET a = :v",
            Some("attribute_exists(#n)"),
            json!({}),
            json!({":v": n("1")}),
            "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #n".into(),
        ),
        (
            "reserved word in ConditionExpression",
            json!({}),
            "SET a = :v",
            Some("attribute_exists(name)"),
            json!({}),
            json!({":v": n("1")}),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name".into(),
        ),
        (
            "unused expression attribute value",
            json!({}),
            "SET a = :v",
            None,
            json!({}),
            json!({":v": n("1"), ":x": n("2")}),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}".into(),
        ),
        (
            "unused expression attribute name",
            json!({}),
            "SET a = :v",
            None,
            json!({"#n": "zz"}),
            json!({":v": n("1")}),
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}".into(),
        ),
    ];
    for (why, start, expr, cond, names, values, msg) in cases {
        let mut e = orders();
        let mut item = start;
        item["pk"] = s("A");
        item["sk"] = s("S");
        ok(&mut e, "PutItem", t(json!({ "Item": item })));
        let before = (scan_all(&mut e), e.streams_output());
        let mut req = json!({"Key": key("A"), "UpdateExpression": expr});
        if let Some(c) = cond {
            req["ConditionExpression"] = json!(c);
        }
        if !names.as_object().unwrap().is_empty() {
            req["ExpressionAttributeNames"] = names;
        }
        if !values.as_object().unwrap().is_empty() {
            req["ExpressionAttributeValues"] = values;
        }
        let er = err(&mut e, "UpdateItem", t(req));
        assert_eq!((er.kind.as_str(), er.message.as_str()), ("ValidationException", msg.as_str()), "{why}");
        assert_eq!((scan_all(&mut e), e.streams_output()), before, "{why}: a failed request changes nothing");
    }
}

#[test]
fn empty_expression_attribute_maps_are_rejected() {
    // §6.6: "ExpressionAttributeValues must not be empty" / "ExpressionAttributeNames must not be empty".
    let mut e = orders();
    let er = err(
        &mut e,
        "UpdateItem",
        t(json!({"Key": key("A"), "UpdateExpression": "REMOVE a", "ExpressionAttributeValues": {}})),
    );
    assert_eq!(
        (er.kind.as_str(), er.message.as_str()),
        ("ValidationException", "ExpressionAttributeValues must not be empty")
    );
    let er = err(
        &mut e,
        "UpdateItem",
        t(json!({"Key": key("A"), "UpdateExpression": "REMOVE a", "ExpressionAttributeNames": {}})),
    );
    assert_eq!(
        (er.kind.as_str(), er.message.as_str()),
        ("ValidationException", "ExpressionAttributeNames must not be empty")
    );
}

#[test]
fn update_expression_syntax_errors() {
    // §6.4 each clause keyword at most once; §6.6 parse errors → ValidationException
    // "Invalid UpdateExpression: Syntax error; ..." (format approximate, so only the prefix).
    for expr in ["SET a = :v SET b = :v", "SET", "SET a :v", "FOO a", "SET a = :v,", "REMOVE"] {
        let mut e = orders();
        let er = err(
            &mut e,
            "UpdateItem",
            t(json!({"Key": key("A"), "UpdateExpression": expr, "ExpressionAttributeValues": {":v": n("1")}})),
        );
        assert_eq!(er.kind, "ValidationException", "{expr}");
        assert!(er.message.starts_with("Invalid UpdateExpression: "), "{expr}: {}", er.message);
        assert!(records(&e).is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// §6.5 ConditionExpression semantics
// ---------------------------------------------------------------------------------------------

#[test]
fn condition_expression_semantics() {
    // The stored item every condition is checked against.
    let item = json!({"pk": s("A"), "sk": s("S"), "n": n("5"), "str": s("hello world"), "b": {"B": "AAEC"},
                      "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2", "3"]}, "l": {"L": [s("a"), n("1")]},
                      "m": {"M": {"k": s("v"), "k2": n("2")}}, "t": {"BOOL": true}, "nul": {"NULL": true}});
    let v = json!({":n5": n("5"), ":n4": n("4"), ":n6": n("6"), ":sfive": s("5"), ":hel": s("hel"), ":wor": s("wor"),
                   ":x": s("x"), ":z": s("z"), ":a": s("a"), ":one": n("1"), ":two": n("2"), ":n3": n("3"),
                   ":S": s("S"), ":N": s("N"), ":SS": s("SS"), ":NS": s("NS"), ":B": s("B"), ":L": s("L"), ":M": s("M"),
                   ":BOOL": s("BOOL"), ":NULL": s("NULL"), ":n11": n("11"), ":hw": s("hello world"), ":b0": {"B": "AA=="}});
    let cases: Vec<(&str, bool)> = vec![
        ("n = :n5", true),
        ("n <> :n5", false),
        ("n < :n6", true),
        ("n <= :n5", true),
        ("n > :n4", true),
        ("n >= :n6", false),
        ("n = :sfive", false), // different types: false
        ("n <> :sfive", true), // different types: <> true
        ("nope = :n5", false), // missing path: false
        ("nope < :n5", false),
        ("n BETWEEN :n4 AND :n6", true),
        ("n BETWEEN :n6 AND :n11", false),
        ("n IN (:n4, :n5)", true),
        ("n IN (:n4, :n6)", false),
        ("str IN (:hw)", true),
        ("attribute_exists(n)", true),
        ("attribute_exists(nope)", false),
        ("attribute_not_exists(nope)", true),
        ("attribute_exists(m.k)", true),
        ("attribute_exists(m.zz)", false),
        ("attribute_exists(l[1])", true),
        ("attribute_exists(l[2])", false),
        ("attribute_type(n, :N)", true),
        ("attribute_type(n, :S)", false),
        ("attribute_type(str, :S)", true),
        ("attribute_type(ss, :SS)", true),
        ("attribute_type(ns, :NS)", true),
        ("attribute_type(b, :B)", true),
        ("attribute_type(l, :L)", true),
        ("attribute_type(m, :M)", true),
        ("attribute_type(t, :BOOL)", true),
        ("attribute_type(nul, :NULL)", true),
        ("begins_with(str, :hel)", true),
        ("begins_with(str, :wor)", false),
        ("begins_with(b, :b0)", true),
        ("contains(str, :wor)", true),
        ("contains(str, :z)", false),
        ("contains(ss, :x)", true),
        ("contains(ss, :z)", false),
        ("contains(ns, :two)", true),
        ("contains(l, :a)", true),
        ("contains(l, :one)", true),
        ("contains(l, :z)", false),
        ("size(str) = :n11", true),
        ("size(b) = :n3", true),
        ("size(ss) = :two", true),
        ("size(ns) = :n3", true),
        ("size(l) = :two", true),
        ("size(m) = :two", true),
        ("m.k2 = :two", true),
        ("l[1] = :one", true),
        ("NOT n = :n5", false),
        ("NOT (n = :n4)", true),
        ("n = :n4 OR n = :n5 AND str = :z", false), // OR binds looser: F OR (T AND F)
        ("n = :n5 OR n = :n4 AND str = :z", true),  // T OR (F AND F)
        ("(n = :n5 OR n = :n4) AND str = :z", false),
        ("n = :n5 AND attribute_exists(str)", true),
    ];
    for (cond, want) in cases {
        let mut e = orders();
        ok(&mut e, "PutItem", t(json!({ "Item": item })));
        // Only pass the placeholders the condition uses (unused ones are an error, §6.6).
        let used: serde_json::Map<String, Value> = v
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| {
                cond.match_indices(k.as_str()).any(|(i, _)| {
                    let rest = &cond[i + k.len()..];
                    !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                })
            })
            .map(|(k, x)| (k.clone(), x.clone()))
            .collect();
        let mut req = json!({"Key": key("A"), "UpdateExpression": "SET touched = :tt", "ConditionExpression": cond});
        let mut vals = used;
        vals.insert(":tt".into(), s("yes"));
        req["ExpressionAttributeValues"] = Value::Object(vals);
        let r = e.call("UpdateItem", &t(req));
        match (want, r) {
            (true, Ok(_)) => assert!(get_item(&mut e, "A").unwrap().get("touched").is_some(), "{cond}"),
            (false, Err(er)) => {
                assert_eq!(
                    (er.kind.as_str(), er.message.as_str()),
                    ("ConditionalCheckFailedException", "The conditional request failed"),
                    "{cond}"
                );
                assert!(get_item(&mut e, "A").unwrap().get("touched").is_none(), "{cond}");
            }
            (w, r) => panic!("{cond}: expected {w}, got {r:?}"),
        }
    }
}

#[test]
fn condition_on_missing_item_sees_empty_item() {
    // §6.5: the condition is checked against an empty item if none exists.
    let mut e = orders();
    ok(
        &mut e,
        "PutItem",
        t(json!({"Item": {"pk": s("A"), "sk": s("S")}, "ConditionExpression": "attribute_not_exists(pk)"})),
    );
    let er = err(
        &mut e,
        "PutItem",
        t(json!({"Item": {"pk": s("A"), "sk": s("S")}, "ConditionExpression": "attribute_not_exists(pk)"})),
    );
    assert_eq!(er.kind, "ConditionalCheckFailedException");
    let er = err(&mut e, "DeleteItem", t(json!({"Key": key("B"), "ConditionExpression": "attribute_exists(pk)"})));
    assert_eq!(er.kind, "ConditionalCheckFailedException");
}

#[test]
fn condition_contains_same_path_twice_is_error() {
    // §6.5: contains(a, a) is an error (ValidationException).
    let mut e = orders();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "a": s("x")}})));
    let er = err(&mut e, "DeleteItem", t(json!({"Key": key("A"), "ConditionExpression": "contains(a, a)"})));
    assert_eq!(er.kind, "ValidationException");
    assert!(get_item(&mut e, "A").is_some());
}

#[test]
fn condition_failure_returns_old_item_when_asked() {
    // §6.5 / §6.7: ReturnValuesOnConditionCheckFailure ALL_OLD attaches "Item".
    let item = json!({"pk": s("A"), "sk": s("S"), "v": n("1")});
    for (action, req) in [
        ("PutItem", json!({"Item": {"pk": s("A"), "sk": s("S")}, "ConditionExpression": "attribute_not_exists(pk)"})),
        (
            "DeleteItem",
            json!({"Key": key("A"), "ConditionExpression": "v = :two", "ExpressionAttributeValues": {":two": n("2")}}),
        ),
        (
            "UpdateItem",
            json!({"Key": key("A"), "UpdateExpression": "REMOVE v", "ConditionExpression": "v = :two", "ExpressionAttributeValues": {":two": n("2")}}),
        ),
    ] {
        let mut e = orders();
        ok(&mut e, "PutItem", t(json!({ "Item": item })));
        let mut r = req.clone();
        r["ReturnValuesOnConditionCheckFailure"] = json!("ALL_OLD");
        let er = err(&mut e, action, t(r));
        assert_eq!(er.kind, "ConditionalCheckFailedException", "{action}");
        assert_av_eq(&er.extra["Item"], &item, action);
        // Without it (NONE / absent) there is no Item.
        let er = err(&mut e, action, t(req));
        assert!(er.extra.get("Item").is_none(), "{action}");
    }
}

// ---------------------------------------------------------------------------------------------
// §6.7 ReturnValues
// ---------------------------------------------------------------------------------------------

#[test]
fn return_values() {
    let old = json!({"pk": s("A"), "sk": s("S"), "a": n("1"), "b": s("x")});
    // UpdateItem SET a = a + 1, c = "new" over old.
    let upd = |rv: &str| {
        let mut e = orders();
        ok(&mut e, "PutItem", t(json!({ "Item": old })));
        ok(
            &mut e,
            "UpdateItem",
            t(
                json!({"Key": key("A"), "UpdateExpression": "SET a = a + :one, c = :c", "ExpressionAttributeValues": {":one": n("1"), ":c": s("new")}, "ReturnValues": rv}),
            ),
        )
    };
    assert!(upd("NONE").get("Attributes").is_none());
    assert_av_eq(&upd("ALL_OLD")["Attributes"], &old, "ALL_OLD");
    assert_av_eq(
        &upd("ALL_NEW")["Attributes"],
        &json!({"pk": s("A"), "sk": s("S"), "a": n("2"), "b": s("x"), "c": s("new")}),
        "ALL_NEW",
    );
    // UPDATED_OLD: only the updated attributes, as they were (c did not exist).
    assert_av_eq(&upd("UPDATED_OLD")["Attributes"], &json!({"a": n("1")}), "UPDATED_OLD");
    assert_av_eq(&upd("UPDATED_NEW")["Attributes"], &json!({"a": n("2"), "c": s("new")}), "UPDATED_NEW");

    // PutItem ALL_OLD: old item if it existed; absent otherwise.
    let mut e = orders();
    let r = ok(&mut e, "PutItem", t(json!({"Item": old, "ReturnValues": "ALL_OLD"})));
    assert!(r.get("Attributes").is_none());
    let r = ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S")}, "ReturnValues": "ALL_OLD"})));
    assert_av_eq(&r["Attributes"], &old, "PutItem ALL_OLD");
    // DeleteItem ALL_OLD returns the deleted item.
    let r = ok(&mut e, "DeleteItem", t(json!({"Key": key("A"), "ReturnValues": "ALL_OLD"})));
    assert_av_eq(&r["Attributes"], &json!({"pk": s("A"), "sk": s("S")}), "DeleteItem ALL_OLD");
    let r = ok(&mut e, "DeleteItem", t(json!({"Key": key("A"), "ReturnValues": "ALL_OLD"})));
    assert!(r.get("Attributes").is_none());

    // Invalid values.
    let er = err(&mut e, "PutItem", t(json!({"Item": old, "ReturnValues": "ALL_NEW"})));
    assert_eq!(
        (er.kind.as_str(), er.message.as_str()),
        ("ValidationException", "ReturnValues can only be ALL_OLD or NONE")
    );
    // DeleteItem allows only NONE / ALL_OLD (§6.7); real AWS uses the same message text.
    let er = err(&mut e, "DeleteItem", t(json!({"Key": key("A"), "ReturnValues": "UPDATED_NEW"})));
    assert_eq!(er.kind, "ValidationException");
    let er = err(&mut e, "UpdateItem", t(json!({"Key": key("A"), "ReturnValues": "EVERYTHING"})));
    assert_eq!(er.kind, "ValidationException");
    assert!(get_item(&mut e, "A").is_none(), "failed requests wrote nothing");
}

// ---------------------------------------------------------------------------------------------
// §6.8 batch and transaction validation
// ---------------------------------------------------------------------------------------------

#[test]
fn batch_write_validation() {
    let mut e = orders();
    let before = e.streams_output();
    // Duplicate keys in one call.
    let er = err(
        &mut e,
        "BatchWriteItem",
        json!({"RequestItems": {"Orders": [
            {"PutRequest": {"Item": {"pk": s("A"), "sk": s("S")}}},
            {"DeleteRequest": {"Key": key("A")}},
        ]}}),
    );
    assert_eq!(
        (er.kind.as_str(), er.message.as_str()),
        ("ValidationException", "Provided list of item keys contains duplicates")
    );
    // More than 25 requests (≤ 25, §6.8).
    let many: Vec<Value> =
        (0..26).map(|i| json!({"PutRequest": {"Item": {"pk": s(&format!("p{i}")), "sk": s("S")}}})).collect();
    let er = err(&mut e, "BatchWriteItem", json!({"RequestItems": {"Orders": many}}));
    assert_eq!(er.kind, "ValidationException");
    // One invalid item fails the whole batch (real AWS validates the whole request first).
    let er = err(
        &mut e,
        "BatchWriteItem",
        json!({"RequestItems": {"Orders": [
            {"PutRequest": {"Item": {"pk": s("ok"), "sk": s("S")}}},
            {"PutRequest": {"Item": {"pk": s("bad")}}},
        ]}}),
    );
    assert_eq!(er.kind, "ValidationException");
    assert_eq!(scan_all(&mut e), json!([]));
    assert_eq!(e.streams_output(), before);
    // Exactly 25 is fine.
    let many: Vec<Value> =
        (0..25).map(|i| json!({"PutRequest": {"Item": {"pk": s(&format!("p{i}")), "sk": s("S")}}})).collect();
    ok(&mut e, "BatchWriteItem", json!({"RequestItems": {"Orders": many}}));
    assert_eq!(records(&e).len(), 25);
}

#[test]
fn transact_write_validation() {
    let mut e = orders();
    let before = e.streams_output();
    // Two actions on the same item → ValidationException (§6.8 "no two actions on the same item";
    // real AWS message: "Transaction request cannot include multiple operations on one item").
    let er = err(
        &mut e,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "Orders", "Item": {"pk": s("A"), "sk": s("S")}}},
            {"Update": {"TableName": "Orders", "Key": key("A"), "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": n("1")}}},
        ]}),
    );
    assert_eq!(er.kind, "ValidationException");
    assert_eq!(er.message, "Transaction request cannot include multiple operations on one item");
    // More than 100 actions (§6.8 ≤ 100).
    let many: Vec<Value> = (0..101)
        .map(|i| json!({"Put": {"TableName": "Orders", "Item": {"pk": s(&format!("p{i}")), "sk": s("S")}}}))
        .collect();
    let er = err(&mut e, "TransactWriteItems", json!({ "TransactItems": many }));
    assert_eq!(er.kind, "ValidationException");
    assert_eq!(scan_all(&mut e), json!([]));
    assert_eq!(e.streams_output(), before);
    // Exactly 100 is fine.
    let many: Vec<Value> = (0..100)
        .map(|i| json!({"Put": {"TableName": "Orders", "Item": {"pk": s(&format!("p{i}")), "sk": s("S")}}}))
        .collect();
    ok(&mut e, "TransactWriteItems", json!({ "TransactItems": many }));
    assert_eq!(records(&e).len(), 100);
}

// ---------------------------------------------------------------------------------------------
// "A failed request changes nothing"
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// more edge cases
// ---------------------------------------------------------------------------------------------

#[test]
fn numbers_are_stored_in_canonical_form() {
    // §6.1 / §6.2: leading/trailing zeros trimmed; exponent input returned in plain decimal
    // form [inferred]; -0 is 0 (real AWS).
    let cases = [
        ("0025.50", "25.5"),
        ("1E+2", "100"),
        ("1.0E-2", "0.01"),
        ("-0", "0"),
        ("0.000", "0"),
        ("+5", "5"),
        ("-007.100", "-7.1"),
        ("12.5e1", "125"),
    ];
    for (input, want) in cases {
        let mut e = orders();
        ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "v": n(input)}})));
        assert_eq!(get_item(&mut e, "A").unwrap()["v"], n(want), "{input}");
    }
}

#[test]
fn number_set_duplicates_after_canonicalisation() {
    // §6.1: sets have no duplicates; "1" and "1.0" are the same number (§6.2 canonical form).
    let mut e = orders();
    let er = err(&mut e, "PutItem", t(item_with(json!({"NS": ["1", "1.0"]}))));
    assert_eq!(
        (er.kind.as_str(), er.message.as_str()),
        ("ValidationException", "Input collection contains duplicates")
    );
    let er = err(&mut e, "PutItem", t(item_with(json!({"SS": ["a", "b", "a"]}))));
    assert_eq!(
        er.message,
        "One or more parameter values were invalid: Input collection [a, b, a] contains duplicates."
    );
}

#[test]
fn more_no_op_updates_produce_no_record() {
    // §2.1: an UpdateItem that leaves the item identical → no record (numbers canonical, sets
    // unordered).
    let start = json!({"pk": s("A"), "sk": s("S"), "a": n("1"), "ns": {"NS": ["1", "2"]}, "l": {"L": [s("x")]}, "m": {"M": {"k": n("2.5")}}});
    let cases: Vec<(&str, Value)> = vec![
        ("SET a = if_not_exists(a, :v)", json!({":v": n("9")})),
        ("SET l = list_append(l, :e)", json!({":e": {"L": []}})),
        ("SET m.k = :v", json!({":v": n("2.50")})),
        ("ADD ns :v", json!({":v": {"NS": ["1.0"]}})),
        ("SET a = a + :z", json!({":z": n("0")})),
        ("SET a = :v REMOVE nothing", json!({":v": n("1.000")})),
        ("SET ns = :v", json!({":v": {"NS": ["2", "1"]}})),
        ("SET l[0] = :v", json!({":v": s("x")})),
    ];
    for (expr, vals) in cases {
        let (res, names, _) = run(
            &[put(start.clone())],
            ("UpdateItem", json!({"Key": key("A"), "UpdateExpression": expr, "ExpressionAttributeValues": vals})),
        );
        res.unwrap_or_else(|er| panic!("{expr}: {} {}", er.kind, er.message));
        assert_eq!(names, Vec::<String>::new(), "{expr}");
    }
}

#[test]
fn identical_put_with_return_values_and_passing_condition() {
    // §2.1: identical content → no record even when the request otherwise succeeds normally.
    let item = json!({"pk": s("A"), "sk": s("S"), "v": n("1")});
    let (res, names, _) = run(
        &[put(item.clone())],
        ("PutItem", json!({"Item": item, "ConditionExpression": "attribute_exists(pk)", "ReturnValues": "ALL_OLD"})),
    );
    assert_av_eq(&res.unwrap()["Attributes"], &item, "ALL_OLD on identical put");
    assert!(names.is_empty());
}

#[test]
fn update_delete_on_number_set_uses_numeric_equality() {
    // §6.4 DELETE removes the given elements; numbers compare after canonicalisation (§6.2).
    let got = update_result(
        json!({"ns": {"NS": ["1", "2", "3"]}}),
        "DELETE ns :v",
        json!({":v": {"NS": ["2.0"]}}),
        json!({}),
    )
    .unwrap();
    assert_av_eq(&got, &json!({"ns": {"NS": ["1", "3"]}}), "DELETE 2.0 removes 2");
}

#[test]
fn update_more_errors() {
    let iu = "Invalid UpdateExpression: ";
    let cases: Vec<(Value, &str, Value, Option<String>)> = vec![
        (
            json!({"a": s("x")}),
            "SET a = :v, a = :w",
            json!({":v": n("1"), ":w": n("2")}),
            Some(format!("{iu}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]")),
        ),
        (json!({"l": {"L": []}}), "ADD l :v", json!({":v": {"L": [s("x")]}}), Some(format!("{iu}Incorrect operand type for operator or function; operator: ADD, operand type: LIST"))),
        (json!({"a": n("1")}), "DELETE a :v", json!({":v": n("1")}), None),
        (json!({"a": s("x")}), "SET l = list_append(a, :v)", json!({":v": {"L": []}}), None),
        (json!({}), "SET a = :v + :w", json!({":v": s("x"), ":w": n("1")}), None),
    ];
    for (start, expr, vals, msg) in cases {
        let er = update_result(start, expr, vals, json!({})).unwrap_err();
        assert_eq!(er.kind, "ValidationException", "{expr}: {}", er.message);
        if let Some(m) = msg {
            assert_eq!(er.message, m, "{expr}");
        }
    }
}

#[test]
fn condition_more_semantics() {
    // §6.5: IN takes ≤ 100 values; string comparisons are by bytes; functions on the wrong
    // type evaluate to false.
    let mut e = orders();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "n": n("5"), "str": s("B")}})));
    let vals: serde_json::Map<String, Value> = (0..101).map(|i| (format!(":v{i}"), n(&i.to_string()))).collect();
    let list: Vec<String> = (0..101).map(|i| format!(":v{i}")).collect();
    let er = err(
        &mut e,
        "DeleteItem",
        t(
            json!({"Key": key("A"), "ConditionExpression": format!("n IN ({})", list.join(", ")), "ExpressionAttributeValues": vals}),
        ),
    );
    assert_eq!(er.kind, "ValidationException");
    let cases: Vec<(&str, Value, bool)> = vec![
        ("str < :a", json!({":a": s("a")}), true), // "B" (0x42) < "a" (0x61)
        ("begins_with(n, :p)", json!({":p": s("5")}), false),
        ("size(nope) = :z", json!({":z": n("0")}), false),
        ("contains(n, :p)", json!({":p": s("5")}), false),
        ("n = :v", json!({":v": n("5.00")}), true),
    ];
    for (cond, vals, want) in cases {
        let r = e.call(
            "UpdateItem",
            &t(json!({"Key": key("A"), "UpdateExpression": "SET touched = :tt", "ConditionExpression": cond,
                      "ExpressionAttributeValues": {":tt": s("x")}}))
            .as_object()
            .map(|m| {
                let mut m = m.clone();
                let mut v = vals.as_object().unwrap().clone();
                v.insert(":tt".into(), s("x"));
                m.insert("ExpressionAttributeValues".into(), Value::Object(v));
                Value::Object(m)
            })
            .unwrap(),
        );
        match (want, &r) {
            (true, Ok(_)) => {}
            (false, Err(er)) => assert_eq!(er.kind, "ConditionalCheckFailedException", "{cond}: {}", er.message),
            _ => panic!("{cond}: expected {want}, got {r:?}"),
        }
    }
}

#[test]
fn transaction_cancellation_reasons_with_all_old_and_update() {
    // §6.8: the reason list is positional; ReturnValuesOnConditionCheckFailure ALL_OLD on an
    // action attaches the item to its reason (real AWS: CancellationReasons[i].Item).
    let mut e = orders();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "v": n("1")}})));
    let streams_before = e.streams_output();
    let er = err(
        &mut e,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "Orders", "Item": {"pk": s("B"), "sk": s("S")}}},
            {"Update": {"TableName": "Orders", "Key": key("A"), "UpdateExpression": "SET v = :two",
                        "ConditionExpression": "v = :two", "ExpressionAttributeValues": {":two": n("2")},
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
            {"Delete": {"TableName": "Orders", "Key": key("C")}},
        ]}),
    );
    assert_eq!(er.kind, "TransactionCanceledException");
    assert_eq!(er.message, "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]");
    let reasons = er.extra["CancellationReasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 3);
    assert_eq!(reasons[0], json!({"Code": "None"}));
    assert_eq!(reasons[1]["Code"], "ConditionalCheckFailed");
    assert_eq!(reasons[1]["Message"], "The conditional request failed");
    assert_av_eq(&reasons[1]["Item"], &json!({"pk": s("A"), "sk": s("S"), "v": n("1")}), "reason Item");
    assert_eq!(reasons[2], json!({"Code": "None"}));
    assert_eq!(e.streams_output(), streams_before);
    assert!(get_item(&mut e, "B").is_none());
}

#[test]
fn batch_write_unknown_table() {
    let mut e = orders();
    let er = err(
        &mut e,
        "BatchWriteItem",
        json!({"RequestItems": {"Nope": [{"PutRequest": {"Item": {"pk": s("A"), "sk": s("S")}}}]}}),
    );
    assert_eq!(er.kind, "ResourceNotFoundException");
    // A transaction naming a missing table is rejected too (real AWS: ResourceNotFoundException).
    let er = err(
        &mut e,
        "TransactWriteItems",
        json!({"TransactItems": [{"Put": {"TableName": "Nope", "Item": {"pk": s("A")}}}]}),
    );
    assert_eq!(er.kind, "ResourceNotFoundException");
}

#[test]
fn condition_equality_of_sets_lists_and_maps() {
    // §6.1 sets are unordered; §6.2 numbers compare canonically. Real AWS: `=` on sets is set
    // equality, on lists ordered element equality, on maps member equality.
    let item = json!({"pk": s("A"), "sk": s("S"), "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2.5"]},
                      "l": {"L": [s("a"), n("1")]}, "m": {"M": {"k": n("1"), "j": s("v")}}});
    let cases: Vec<(&str, Value, bool)> = vec![
        ("ss = :v", json!({"SS": ["y", "x"]}), true),
        ("ss = :v", json!({"SS": ["x"]}), false),
        ("ns = :v", json!({"NS": ["2.50", "1.0"]}), true),
        ("l = :v", json!({"L": [s("a"), n("1.0")]}), true),
        ("l = :v", json!({"L": [n("1"), s("a")]}), false),
        ("m = :v", json!({"M": {"j": s("v"), "k": n("1")}}), true),
        ("m <> :v", json!({"M": {"j": s("v")}}), true),
    ];
    for (cond, v, want) in cases {
        let mut e = orders();
        ok(&mut e, "PutItem", t(json!({ "Item": item })));
        let r = e.call(
            "UpdateItem",
            &t(json!({"Key": key("A"), "UpdateExpression": "SET touched = :tt", "ConditionExpression": cond,
                      "ExpressionAttributeValues": {":v": v, ":tt": s("x")}})),
        );
        match (want, &r) {
            (true, Ok(_)) => {}
            (false, Err(er)) => assert_eq!(er.kind, "ConditionalCheckFailedException", "{cond} {v}: {}", er.message),
            _ => panic!("{cond} {v}: expected {want}, got {r:?}"),
        }
    }
}

#[test]
fn more_expression_validation_errors() {
    // All ValidationException (§6.4–§6.6; real AWS for the BETWEEN bound order and function
    // name case).
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"UpdateExpression": "SET touched = :tt", "ConditionExpression": "n BETWEEN :hi AND :lo",
                "ExpressionAttributeValues": {":tt": s("x"), ":hi": n("6"), ":lo": n("4")}}),
            "BETWEEN with lower > upper",
        ),
        (
            json!({"UpdateExpression": "SET touched = :tt", "ConditionExpression": "ATTRIBUTE_EXISTS(n)",
                "ExpressionAttributeValues": {":tt": s("x")}}),
            "function names are case-sensitive",
        ),
        (
            json!({"UpdateExpression": "SET touched = :tt", "ConditionExpression": "attribute_type(n, :t)",
                "ExpressionAttributeValues": {":tt": s("x"), ":t": s("NUMBER")}}),
            "attribute_type with an unknown type",
        ),
        (
            json!({"UpdateExpression": "ADD ns :v", "ExpressionAttributeValues": {":v": {"SS": ["a"]}}}),
            "ADD SS to an NS",
        ),
        (
            json!({"UpdateExpression": "DELETE ns :v", "ExpressionAttributeValues": {":v": {"SS": ["a"]}}}),
            "DELETE SS from an NS",
        ),
        (
            json!({"UpdateExpression": "SET l.x = :v", "ExpressionAttributeValues": {":v": s("a")}}),
            "map path into a list",
        ),
        (
            json!({"UpdateExpression": "SET n[0] = :v", "ExpressionAttributeValues": {":v": s("a")}}),
            "list index into a number",
        ),
        (
            json!({"UpdateExpression": format!("SET a = :v{}", ", a = :v".repeat(0)) + &" ".repeat(4100), "ExpressionAttributeValues": {":v": s("a")}}),
            "UpdateExpression > 4 KB",
        ),
        (
            json!({"UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": {"SS": []}}}),
            "invalid AttributeValue in ExpressionAttributeValues",
        ),
        (json!({"UpdateExpression": "SET a = size(l)"}), "size() is not an update function"),
    ];
    for (mut req, why) in cases {
        let mut e = orders();
        ok(
            &mut e,
            "PutItem",
            t(json!({"Item": {"pk": s("A"), "sk": s("S"), "n": n("5"), "ns": {"NS": ["1"]}, "l": {"L": [s("a")]}}})),
        );
        let before = (scan_all(&mut e), e.streams_output());
        req["Key"] = key("A");
        let er = err(&mut e, "UpdateItem", t(req));
        assert_eq!(er.kind, "ValidationException", "{why}: {}", er.message);
        assert_eq!((scan_all(&mut e), e.streams_output()), before, "{why}");
    }
}

#[test]
fn empty_binary_key_is_rejected() {
    // §6.2: empty string/binary keys are invalid (real AWS message names "binary").
    let mut e = engine();
    ok(
        &mut e,
        "CreateTable",
        json!({"TableName": "Bin", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "B"}], "BillingMode": "PAY_PER_REQUEST"}),
    );
    let er = err(&mut e, "PutItem", json!({"TableName": "Bin", "Item": {"pk": {"B": ""}}}));
    assert_eq!(er.kind, "ValidationException");
    assert_eq!(er.message, "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk");
    // Binary partition key size counts raw bytes: 2048 ok, 2049 too big.
    use base64::Engine as _;
    let b = |k: usize| base64::engine::general_purpose::STANDARD.encode(vec![7u8; k]);
    ok(&mut e, "PutItem", json!({"TableName": "Bin", "Item": {"pk": {"B": b(2048)}}}));
    let er = err(&mut e, "PutItem", json!({"TableName": "Bin", "Item": {"pk": {"B": b(2049)}}}));
    assert_eq!(
        er.message,
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"
    );
}

#[test]
fn significant_digits_ignore_leading_and_trailing_zeros() {
    // §6.1: ≤ 38 *significant* digits; leading/trailing zeros are trimmed (not significant).
    let valid = [
        "1234567890123456789012345678901234567800",   // 40 digits, 38 significant
        "12345678901234567890123456789012345678.000", // trailing fractional zeros
        "0.00012345678901234567890123456789012345678",
        "-00012345678901234567890123456789012345678",
    ];
    for v in valid {
        let mut e = orders();
        ok(&mut e, "PutItem", t(item_with(n(v))));
    }
    let mut e = orders();
    let er = err(&mut e, "PutItem", t(item_with(n("1.00000000000000000000000000000000000001"))));
    assert_eq!(er.message, "Attempting to store more than 38 significant digits in a Number");
}

#[test]
fn arithmetic_result_beyond_38_digits_is_rejected() {
    // §6.1: a stored number has ≤ 38 significant digits; an update whose result needs more is a
    // ValidationException and writes nothing.
    let mut e = orders();
    ok(
        &mut e,
        "PutItem",
        t(json!({"Item": {"pk": s("A"), "sk": s("S"), "a": n("12345678901234567890123456789012345678")}})),
    );
    let before = (scan_all(&mut e), e.streams_output());
    for expr in ["SET a = a + :v", "ADD a :v"] {
        let er = err(
            &mut e,
            "UpdateItem",
            t(json!({"Key": key("A"), "UpdateExpression": expr, "ExpressionAttributeValues": {":v": n("0.1")}})),
        );
        assert_eq!(er.kind, "ValidationException", "{expr}");
        assert_eq!((scan_all(&mut e), e.streams_output()), before, "{expr}");
    }
}

#[test]
fn condition_failure_on_missing_item_has_no_item_member() {
    // §6.5: ALL_OLD attaches the current item; with no item there is nothing to attach.
    let mut e = orders();
    let er = err(
        &mut e,
        "DeleteItem",
        t(
            json!({"Key": key("A"), "ConditionExpression": "attribute_exists(pk)", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}),
        ),
    );
    assert_eq!(er.kind, "ConditionalCheckFailedException");
    assert!(er.extra.get("Item").is_none(), "{:?}", er.extra);
}
