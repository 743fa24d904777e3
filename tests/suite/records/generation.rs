//! Which writes produce stream records (§2.1): a write that leaves the item as it was makes no
//! record, batches and transactions are judged item by item, and records follow the stream's
//! lifecycle.
//!
//! Every expected value comes from the spec (section cited) or, where noted, from documented real
//! DynamoDB behaviour. Nothing here was copied from the engine's output.

use crate::common::orders::{get_item, orders, records, t};
use crate::common::streams::{create, enable, events, latest_arn, put_item, read_stream};
use crate::common::{assert_av_eq, engine, key, n, norm, ok, s};
use serde_json::{json, Value};
use streamlab::{AwsError, Engine};

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
fn identical_put_of_an_item_written_before_the_stream_is_no_record() {
    // §2.1: "identical" is judged on the stored item, however it got there; §1.3 the OldImage
    // of a later change is the whole stored item.
    let mut e = engine();
    create(&mut e, "Orders", None);
    let item = json!({"pk": s("A"), "sk": s("S"), "v": n("1.5"), "tags": {"SS": ["x", "y"]}});
    put_item(&mut e, "Orders", item.clone());
    enable(&mut e, "Orders", "NEW_AND_OLD_IMAGES");
    let arn = latest_arn(&mut e, "Orders");
    put_item(&mut e, "Orders", json!({"pk": s("A"), "sk": s("S"), "v": n("1.50"), "tags": {"SS": ["y", "x"]}}));
    ok(
        &mut e,
        "UpdateItem",
        json!({"TableName": "Orders", "Key": key("A"), "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": n("15E-1")}}),
    );
    assert_eq!(read_stream(&mut e, &arn), Vec::<Value>::new(), "no-op writes → no record");
    ok(
        &mut e,
        "UpdateItem",
        json!({"TableName": "Orders", "Key": key("A"), "UpdateExpression": "SET w = :w", "ExpressionAttributeValues": {":w": s("new")}}),
    );
    let recs = read_stream(&mut e, &arn);
    assert_eq!(events(&recs), [("MODIFY".to_string(), "A".to_string())]);
    assert_av_eq(&recs[0]["dynamodb"]["OldImage"], &item, "OldImage = item stored before the stream");
    let mut new = item.clone();
    new["w"] = s("new");
    assert_av_eq(&recs[0]["dynamodb"]["NewImage"], &new, "NewImage");
}

#[test]
fn update_item_records_do_not_depend_on_return_values() {
    // §2.1 / §1.3: the record of an UpdateItem depends on the item before and after the write,
    // not on what the response returns.
    let run = |rv: &str| {
        let mut e = engine();
        create(&mut e, "Orders", Some("NEW_AND_OLD_IMAGES"));
        let arn = latest_arn(&mut e, "Orders");
        put_item(&mut e, "Orders", json!({"pk": s("A"), "sk": s("S"), "n": n("1"), "l": {"L": [s("a")]}}));
        let upd = |e: &mut Engine, expr: &str, vals: Value| {
            let mut r = json!({"TableName": "Orders", "Key": key("A"), "UpdateExpression": expr, "ReturnValues": rv});
            if vals != json!({}) {
                r["ExpressionAttributeValues"] = vals;
            }
            e.call("UpdateItem", &r)
        };
        assert!(upd(&mut e, "SET n = n + :one", json!({":one": n("1")})).is_ok());
        // A runtime error (string + number) changes nothing and writes no record.
        assert_eq!(upd(&mut e, "SET n = l + :one", json!({":one": n("1")})).unwrap_err().kind, "ValidationException");
        assert!(upd(&mut e, "SET n = n + :zero", json!({":zero": n("0")})).is_ok()); // no-op
        assert!(upd(&mut e, "REMOVE l", json!({})).is_ok());
        assert!(upd(&mut e, "REMOVE l", json!({})).is_ok()); // no-op
        read_stream(&mut e, &arn)
            .iter()
            .map(|r| {
                (
                    r["eventName"].clone(),
                    norm(&r["dynamodb"]["OldImage"]),
                    norm(&r["dynamodb"]["NewImage"]),
                    r["dynamodb"]["SizeBytes"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let want = {
        let a1 = json!({"pk": s("A"), "sk": s("S"), "n": n("1"), "l": {"L": [s("a")]}});
        let a2 = json!({"pk": s("A"), "sk": s("S"), "n": n("2"), "l": {"L": [s("a")]}});
        let a3 = json!({"pk": s("A"), "sk": s("S"), "n": n("2")});
        // Sizes (§1.3 / §6.3): keys pk=A (3) + sk=S (3) = 6; n: 1 + N(1 or 2 → 2) = 3;
        // l: 1 + 3 + (1 + 1) = 6. a1 = a2 = 15, a3 = 9.
        vec![
            (json!("INSERT"), Value::Null, norm(&a1), json!(6 + 15)),
            (json!("MODIFY"), norm(&a1), norm(&a2), json!(6 + 15 + 15)),
            (json!("MODIFY"), norm(&a2), norm(&a3), json!(6 + 15 + 9)),
        ]
    };
    for rv in ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"] {
        assert_eq!(run(rv), want, "ReturnValues {rv}");
    }
}

#[test]
fn batch_and_transaction_records_go_to_each_tables_own_stream() {
    // §2.1: each Put/Delete of a BatchWriteItem / each action of a TransactWriteItems is judged
    // individually and recorded in the stream of its own table; a table without a stream gets
    // nothing.
    let mut e = engine();
    create(&mut e, "Aaa", Some("KEYS_ONLY"));
    create(&mut e, "Bbb", Some("NEW_IMAGE"));
    create(&mut e, "Ccc", None);
    put_item(&mut e, "Aaa", json!({"pk": s("a1"), "sk": s("S")}));
    let (arn_a, arn_b) = (latest_arn(&mut e, "Aaa"), latest_arn(&mut e, "Bbb"));
    ok(
        &mut e,
        "BatchWriteItem",
        json!({"RequestItems": {
            "Aaa": [{"DeleteRequest": {"Key": key("a1")}}, {"PutRequest": {"Item": {"pk": s("a2"), "sk": s("S")}}}],
            "Bbb": [{"PutRequest": {"Item": {"pk": s("b1"), "sk": s("S")}}}],
            "Ccc": [{"PutRequest": {"Item": {"pk": s("c1"), "sk": s("S")}}}],
        }}),
    );
    ok(
        &mut e,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Update": {"TableName": "Bbb", "Key": key("b1"), "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": s("x")}}},
            {"Delete": {"TableName": "Aaa", "Key": key("a2")}},
            {"Put": {"TableName": "Ccc", "Item": {"pk": s("c2"), "sk": s("S")}}},
        ]}),
    );
    let ev = |n: &str, k: &str| (n.to_string(), k.to_string());
    let mut a = events(&read_stream(&mut e, &arn_a));
    // The batch's two requests touch different items: no order is promised between them (§2.2).
    a[1..3].sort();
    assert_eq!(a, [ev("INSERT", "a1"), ev("INSERT", "a2"), ev("REMOVE", "a1"), ev("REMOVE", "a2")]);
    let b = read_stream(&mut e, &arn_b);
    assert_eq!(events(&b), [ev("INSERT", "b1"), ev("MODIFY", "b1")]);
    assert_av_eq(&b[1]["dynamodb"]["NewImage"], &json!({"pk": s("b1"), "sk": s("S"), "v": s("x")}), "NewImage");
    assert_eq!(ok(&mut e, "ListStreams", json!({}))["Streams"].as_array().unwrap().len(), 2);
    assert_eq!(ok(&mut e, "Scan", json!({"TableName": "Ccc"}))["Count"], 2);
}
