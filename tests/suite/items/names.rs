//! Attribute names and the limits on substitutions (docs/aws-behaviour.md §6.1, §6.6; DynamoDB
//! developer guide, "Quotas", naming rules and expression parameters,
//! https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html): "an
//! attribute name must be at least one character long, but no greater than 64 KB long"; table
//! key names are 1 to 255 characters (API reference, KeySchemaElement and AttributeDefinition);
//! "The maximum length of all substitution variables in an expression is 2 MB". AWS documents
//! the limits, not the messages: only the error type is checked here.

use crate::common::orders::orders;
use crate::common::{err, ok, s};
use serde_json::json;

#[test]
fn put_item_refuses_an_empty_attribute_name_as_update_item_does() {
    let mut e = orders();
    let er = err(&mut e, "PutItem", json!({"TableName": "Orders", "Item": {"pk": s("A"), "sk": s("S"), "": s("x")}}));
    assert_eq!(er.kind, "ValidationException", "{}", er.message);
    // UpdateItem: the same rule, through ExpressionAttributeNames.
    let er = err(
        &mut e,
        "UpdateItem",
        json!({"TableName": "Orders", "Key": {"pk": s("A"), "sk": s("S")},
        "UpdateExpression": "SET #e = :v", "ExpressionAttributeNames": {"#e": ""}, "ExpressionAttributeValues": {":v": s("x")}}),
    );
    assert_eq!(er.kind, "ValidationException");
    // Nothing was written.
    assert!(ok(&mut e, "GetItem", json!({"TableName": "Orders", "Key": {"pk": s("A"), "sk": s("S")}}))
        .get("Item")
        .is_none());
}

#[test]
fn attribute_names_are_at_most_64_kb() {
    let mut e = orders();
    let just = "n".repeat(64 * 1024);
    let over = "n".repeat(64 * 1024 + 1);
    ok(&mut e, "PutItem", json!({"TableName": "Orders", "Item": {"pk": s("A"), "sk": s("S"), just.clone(): s("x")}}));
    let er = err(
        &mut e,
        "PutItem",
        json!({"TableName": "Orders", "Item": {"pk": s("A"), "sk": s("T"), over.clone(): s("x")}}),
    );
    assert_eq!(er.kind, "ValidationException");
    assert!(er.message.len() < 500, "the message does not repeat the name");
    let er = err(
        &mut e,
        "UpdateItem",
        json!({"TableName": "Orders", "Key": {"pk": s("A"), "sk": s("S")},
        "UpdateExpression": "SET #e = :v", "ExpressionAttributeNames": {"#e": over}, "ExpressionAttributeValues": {":v": s("x")}}),
    );
    assert_eq!(er.kind, "ValidationException");
    assert!(er.message.len() < 500);
}

#[test]
fn key_attribute_names_are_1_to_255_characters() {
    let mut e = streamlab::Engine::new(streamlab::EngineConfig::default());
    let table = |name: &str| {
        json!({"TableName": "Keys", "KeySchema": [{"AttributeName": name, "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": name, "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"})
    };
    for bad in [String::new(), "k".repeat(256), "k".repeat(100_000)] {
        let er = err(&mut e, "CreateTable", table(&bad));
        assert_eq!(er.kind, "ValidationException", "{}", bad.len());
        assert!(er.message.len() < 400, "a long name is clipped in the message: {}", er.message.len());
    }
    ok(&mut e, "CreateTable", table(&"k".repeat(255)));
}

#[test]
fn substitutions_total_at_most_2_mb() {
    let mut e = orders();
    ok(&mut e, "PutItem", json!({"TableName": "Orders", "Item": {"pk": s("A"), "sk": s("S")}}));
    // Values of `len` bytes under placeholders :v0.. (each one different, so the expression
    // cache may keep the compiled request as a template).
    let values = |count: usize, len: usize| {
        let mut m = serde_json::Map::new();
        for i in 0..count {
            m.insert(format!(":v{i}"), s(&format!("{}{i}", "v".repeat(len - 1))));
        }
        m
    };
    let req = |mut values: serde_json::Map<String, serde_json::Value>| {
        let conds: Vec<String> = values.keys().map(|k| format!("attr <> {k}")).collect();
        values.insert(":one".into(), json!({"N": "1"}));
        json!({"TableName": "Orders", "Key": {"pk": s("A"), "sk": s("S")}, "UpdateExpression": "SET n = :one",
            "ConditionExpression": conds.join(" AND "), "ExpressionAttributeValues": values})
    };
    // Six values of 350,000 bytes: 2.1 MB of substitutions, each value under the item limit.
    let er = err(&mut e, "UpdateItem", req(values(6, 350_000)));
    assert_eq!(er.kind, "ValidationException", "{}", er.message);
    assert!(er.message.contains("2 MB"), "{}", er.message);
    // Five (1.75 MB) are within the limit, and the update is made.
    ok(&mut e, "UpdateItem", req(values(5, 350_000)));
    // The same five placeholders with bigger values (2.25 MB): the cache's template would fit,
    // the limit still applies.
    assert_eq!(err(&mut e, "UpdateItem", req(values(5, 450_000))).kind, "ValidationException");
}

#[test]
fn a_million_character_table_name_is_refused_without_repeating_it() {
    // AWS: TableName is 3 to 255 characters (API reference). A value over 8,192 characters is
    // clipped in the message, with its real length (the simulator's choice), whatever the action.
    let mut e = streamlab::Engine::new(streamlab::EngineConfig::default());
    let name = "t".repeat(1_000_000);
    let requests = [
        (
            "CreateTable",
            json!({"TableName": name, "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}),
        ),
        ("DescribeTable", json!({"TableName": name})),
        ("PutItem", json!({"TableName": name, "Item": {"k": s("a")}})),
        ("GetItem", json!({"TableName": name, "Key": {"k": s("a")}})),
        ("DeleteTable", json!({"TableName": name})),
        ("CreateEventSourceMapping", json!({"TableName": name, "FunctionName": "f", "StartingPosition": "LATEST"})),
    ];
    for (action, req) in requests {
        let er = err(&mut e, action, req);
        assert!(er.message.len() < 9000, "{action}: {} bytes", er.message.len());
        assert!(er.message.contains("(1000000 characters)"), "{action}: {}", er.message);
    }
}
