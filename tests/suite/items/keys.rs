//! Keys and tables (§6.2): key validation with exact messages, key sizes, key types in
//! CreateTable, keys that UpdateItem cannot change, missing tables.
//!
//! Expected values come from the spec (section cited) or documented real DynamoDB behaviour
//! (marked "real AWS"). Nothing was copied from the engine's output.

use crate::common::orders::{orders, scan_all, t, tables, validation, P};
use crate::common::{engine, err, key, n, ok, s};
use serde_json::{json, Value};

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
fn key_attributes_cannot_be_updated_by_any_clause_or_placeholder() {
    let mut e = tables();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S")}})));
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"UpdateExpression": "SET #k = :v", "ExpressionAttributeNames": {"#k": "pk"}, "ExpressionAttributeValues": {":v": s("B")}}),
            "pk",
        ),
        (json!({"UpdateExpression": "ADD sk :v", "ExpressionAttributeValues": {":v": {"SS": ["x"]}}}), "sk"),
        (json!({"UpdateExpression": "DELETE pk :v", "ExpressionAttributeValues": {":v": {"SS": ["x"]}}}), "pk"),
        // Setting the key to the value it has is still an update of the key.
        (
            json!({"UpdateExpression": "SET a = :v, sk = :s", "ExpressionAttributeValues": {":v": s("B"), ":s": s("S")}}),
            "sk",
        ),
    ];
    for (mut req, k) in cases {
        req["Key"] = key("A");
        validation(
            &mut e,
            "UpdateItem",
            t(req),
            &format!("{P}Cannot update attribute {k}. This attribute is part of the key"),
        );
    }
}

#[test]
fn a_key_with_the_right_count_but_a_wrong_name_does_not_match_the_schema() {
    // §6.2: "Get/Update/Delete Key with wrong attributes ... The provided key element does not match the schema".
    let mut e = tables();
    let bad = json!({"pk": s("A"), "other": s("S")});
    for (action, mut req) in [
        ("GetItem", json!({})),
        ("DeleteItem", json!({})),
        ("UpdateItem", json!({"UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": n("1")}})),
    ] {
        req["Key"] = bad.clone();
        validation(&mut e, action, t(req), "The provided key element does not match the schema");
    }
    // A key attribute of a non-key type in PutItem.
    validation(
        &mut e,
        "PutItem",
        t(json!({"Item": {"pk": s("A"), "sk": {"NULL": true}}})),
        &format!("{P}Type mismatch for key sk expected: S actual: NULL"),
    );
}

#[test]
fn create_table_key_types_and_definitions() {
    // §6.2: key attribute types must be S, N or B and declared in AttributeDefinitions; one HASH,
    // optionally one RANGE.
    let mut e = engine();
    let make = |ks: Value, defs: Value| json!({"TableName": "Keys", "KeySchema": ks, "AttributeDefinitions": defs, "BillingMode": "PAY_PER_REQUEST"});
    for (ks, defs) in [
        (
            json!([{"AttributeName": "pk", "KeyType": "HASH"}]),
            json!([{"AttributeName": "pk", "AttributeType": "BOOL"}]),
        ),
        (
            json!([{"AttributeName": "pk", "KeyType": "HASH"}]),
            json!([{"AttributeName": "other", "AttributeType": "S"}]),
        ),
        (json!([{"AttributeName": "pk", "KeyType": "RANGE"}]), json!([{"AttributeName": "pk", "AttributeType": "S"}])),
        (
            json!([{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "HASH"}]),
            json!([{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "S"}]),
        ),
        (json!([]), json!([{"AttributeName": "pk", "AttributeType": "S"}])),
    ] {
        let er = err(&mut e, "CreateTable", make(ks.clone(), defs));
        assert_eq!(er.kind, "ValidationException", "{ks}: {}", er.message);
    }
    assert!(e.table("Keys").is_none());
    ok(
        &mut e,
        "CreateTable",
        make(
            json!([{"AttributeName": "pk", "KeyType": "HASH"}]),
            json!([{"AttributeName": "pk", "AttributeType": "B"}]),
        ),
    );
}
