//! BatchWriteItem and TransactWriteItems (§6.8): validation, limits, all-or-nothing
//! transactions and their cancellation reasons.
//!
//! Expected values come from the spec (section cited) or documented real DynamoDB behaviour
//! (marked "real AWS"). Nothing was copied from the engine's output.

use super::sized_item;
use crate::common::orders::{get, get_item, orders, records, scan_all, snapshot, t, tables};
use crate::common::{assert_av_eq, err, key, n, ok, s};
use serde_json::{json, Value};

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
fn batch_write_request_shape_and_response() {
    let mut e = tables();
    // A WriteRequest with both a put and a delete, or neither, is rejected whole.
    for w in
        [json!({"PutRequest": {"Item": {"pk": s("A"), "sk": s("S")}}, "DeleteRequest": {"Key": key("A")}}), json!({})]
    {
        let before = snapshot(&mut e);
        let er = err(
            &mut e,
            "BatchWriteItem",
            json!({"RequestItems": {"Orders": [{"PutRequest": {"Item": {"pk": s("B"), "sk": s("S")}}}, w]}}),
        );
        assert_eq!(er.kind, "ValidationException");
        assert_eq!(snapshot(&mut e), before);
    }
    // Two tables in one call; the response has an empty UnprocessedItems.
    let r = ok(
        &mut e,
        "BatchWriteItem",
        json!({"RequestItems": {"Orders": [{"PutRequest": {"Item": {"pk": s("A"), "sk": s("S")}}}],
                                "Plain": [{"PutRequest": {"Item": {"pk": s("A")}}}, {"DeleteRequest": {"Key": {"pk": s("zz")}}}]}}),
    );
    assert_eq!(r["UnprocessedItems"], json!({}));
    assert!(get(&mut e, "A").is_some());
    assert!(ok(&mut e, "GetItem", json!({"TableName": "Plain", "Key": {"pk": s("A")}})).get("Item").is_some());
    // The same key in two different tables is not a duplicate.
    ok(
        &mut e,
        "BatchWriteItem",
        json!({"RequestItems": {"Orders": [{"DeleteRequest": {"Key": key("A")}}], "Plain": [{"DeleteRequest": {"Key": {"pk": s("A")}}}]}}),
    );
    // An item over 400 KB fails the whole batch.
    let before = snapshot(&mut e);
    let er = err(
        &mut e,
        "BatchWriteItem",
        json!({"RequestItems": {"Orders": [{"PutRequest": {"Item": {"pk": s("C"), "sk": s("S")}}},
                                           {"PutRequest": {"Item": sized_item("D", 409_600)}}]}}),
    );
    assert_eq!(
        (er.kind.as_str(), er.message.as_str()),
        ("ValidationException", "Item size has exceeded the maximum allowed size")
    );
    assert_eq!(snapshot(&mut e), before);
}

#[test]
fn transaction_records_follow_the_commit_and_checks_write_nothing() {
    // §6.8: all-or-nothing; ConditionCheck needs a condition and writes nothing; changes reach
    // the stream after the commit, one record per written item.
    let mut e = tables();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "v": n("1"), "str": s("x")}})));
    let before = snapshot(&mut e);
    let er = err(
        &mut e,
        "TransactWriteItems",
        json!({"TransactItems": [{"ConditionCheck": {"TableName": "Orders", "Key": key("A")}}]}),
    );
    assert_eq!(er.kind, "ValidationException");
    assert_eq!(snapshot(&mut e), before);
    ok(
        &mut e,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"ConditionCheck": {"TableName": "Orders", "Key": key("A"), "ConditionExpression": "v = :one", "ExpressionAttributeValues": {":one": n("1")}}},
            {"Put": {"TableName": "Orders", "Item": {"pk": s("B"), "sk": s("S")}}},
            {"Update": {"TableName": "Plain", "Key": {"pk": s("C")}, "UpdateExpression": "SET v = :one", "ExpressionAttributeValues": {":one": n("1")}}},
            {"Delete": {"TableName": "Orders", "Key": key("nothing")}},
        ]}),
    );
    let names: Vec<String> = records(&e)
        .iter()
        .map(|r| format!("{} {}", r["eventName"].as_str().unwrap(), r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap()))
        .collect();
    assert_eq!(names, ["INSERT A", "INSERT B"]);
    assert_eq!(
        ok(&mut e, "GetItem", json!({"TableName": "Plain", "Key": {"pk": s("C")}}))["Item"],
        json!({"pk": s("C"), "v": n("1")})
    );
    // A runtime error in one action cancels the transaction (real AWS: reason Code "ValidationError").
    let before = snapshot(&mut e);
    let er = err(
        &mut e,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "Orders", "Item": {"pk": s("E"), "sk": s("S")}}},
            {"Update": {"TableName": "Orders", "Key": key("A"), "UpdateExpression": "SET w = str + :x", "ExpressionAttributeValues": {":x": n("1")}}},
        ]}),
    );
    assert_eq!(er.kind, "TransactionCanceledException");
    assert_eq!(
        er.message,
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]"
    );
    assert_eq!(er.extra["CancellationReasons"][0], json!({"Code": "None"}));
    assert_eq!(er.extra["CancellationReasons"][1]["Code"], "ValidationError");
    assert_eq!(snapshot(&mut e), before);
}

#[test]
fn batch_write_requests_have_no_conditions() {
    // §6.8: "BatchWriteItem: ≤ 25 put/delete requests, no conditions". A PutRequest holds only
    // Item and a DeleteRequest only Key; other members are not part of them and do not make
    // the write conditional.
    let mut e = tables();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "v": n("1")}})));
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("B"), "sk": s("S")}})));
    ok(
        &mut e,
        "BatchWriteItem",
        json!({"RequestItems": {"Orders": [
            {"PutRequest": {"Item": {"pk": s("A"), "sk": s("S"), "v": n("2")}, "ConditionExpression": "attribute_not_exists(pk)"}},
            {"DeleteRequest": {"Key": key("B"), "ConditionExpression": "v = :x", "ExpressionAttributeValues": {":x": n("9")}}},
        ]}}),
    );
    assert_eq!(get(&mut e, "A").unwrap()["v"], n("2"));
    assert!(get(&mut e, "B").is_none());
    let names: Vec<String> = records(&e).iter().map(|r| r["eventName"].as_str().unwrap().to_string()).collect();
    assert_eq!(names, ["INSERT", "INSERT", "MODIFY", "REMOVE"]);
}

#[test]
fn a_transaction_writes_at_most_4_mb() {
    // §6.8: "TransactWriteItems: ≤ 100 actions (...), ≤ 4 MB". 4 MB = 4 194 304 bytes (as
    // 400 KB = 409 600). Eleven puts into Orders, pk a..k: each item is pk (2+1) + sk (2+1) +
    // d (1 + len) = 7 + len; lengths 10 × 381 293 + 381 297 total 4 194 227, items 4 194 304.
    let put = |pk: char, len: usize| json!({"Put": {"TableName": "Orders", "Item": {"pk": s(&pk.to_string()), "sk": s("S"), "d": s(&"x".repeat(len))}}});
    let actions = |last: usize| -> Value {
        let mut v: Vec<Value> = ('a'..='j').map(|c| put(c, 381_293)).collect();
        v.push(put('k', last));
        json!({ "TransactItems": v })
    };
    let mut e = tables();
    let before = snapshot(&mut e);
    let er = err(&mut e, "TransactWriteItems", actions(381_298));
    assert_eq!(er.kind, "ValidationException", "{}", er.message);
    assert_eq!(snapshot(&mut e), before);
    ok(&mut e, "TransactWriteItems", actions(381_297));
    assert_eq!(records(&e).len(), 11);
}

#[test]
fn each_transaction_item_holds_exactly_one_action() {
    // §6.8 / API_TransactWriteItem: each item is one of ConditionCheck, Put, Update or Delete.
    // Two in one item, or another member (a Get belongs to TransactGetItems), is
    // ValidationException "TransactItems can only contain one of Check, Put, Update or Delete"
    // (DynamoDB's wording, as moto records it); nothing is written.
    let mut e = orders();
    for item in [
        json!({"Put": {"TableName": "Orders", "Item": {"pk": s("A"), "sk": s("S")}},
               "Delete": {"TableName": "Orders", "Key": key("B")}}),
        json!({"Get": {"TableName": "Orders", "Key": key("A")}}),
        json!({}),
    ] {
        let er = err(&mut e, "TransactWriteItems", json!({ "TransactItems": [item.clone()] }));
        assert_eq!(er.kind, "ValidationException", "{item}");
        assert_eq!(er.message, "TransactItems can only contain one of Check, Put, Update or Delete", "{item}");
    }
    assert_eq!(scan_all(&mut e), json!([]));
    assert!(records(&e).is_empty());
}
