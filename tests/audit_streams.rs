//! Audit of the streams sections of `aws-semantics.md` (Decisions table, §0–§3, §7, §9):
//! behaviours the other spec tests did not pin down. Every expected value is derived by hand
//! from the spec text (section cited) or, where the spec is silent, from documented or
//! observed real AWS behaviour (said so). Nothing here was copied from the engine's output.
#![cfg(not(target_arch = "wasm32"))] // native tests: `make test` runs tests/web.rs in the browser

use serde_json::{json, Value};
mod common;
use common::*;
use streamlab::Engine;

const START_MS: u64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z, the default simulated start
const START_S: u64 = START_MS / 1000;
const MIN: u64 = 60_000;
const HOUR: u64 = 3_600_000;

fn create(e: &mut Engine, name: &str, view: Option<&str>) -> Value {
    let mut req = json!({
        "TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    });
    if let Some(v) = view {
        req["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": v});
    }
    ok(e, "CreateTable", req)["TableDescription"].clone()
}

fn enable(e: &mut Engine, table: &str, view: &str) -> Value {
    ok(
        e,
        "UpdateTable",
        json!({"TableName": table, "StreamSpecification": {"StreamEnabled": true, "StreamViewType": view}}),
    )
}

fn disable(e: &mut Engine, table: &str) -> Value {
    ok(e, "UpdateTable", json!({"TableName": table, "StreamSpecification": {"StreamEnabled": false}}))
}

fn key(pk: &str) -> Value {
    json!({"pk": s(pk), "sk": s("S")})
}

fn put(e: &mut Engine, table: &str, item: Value) {
    ok(e, "PutItem", json!({"TableName": table, "Item": item}));
}

fn latest_arn(e: &mut Engine, table: &str) -> String {
    ok(e, "DescribeTable", json!({ "TableName": table }))["Table"]["LatestStreamArn"].as_str().unwrap().to_string()
}

fn describe(e: &mut Engine, arn: &str) -> Value {
    ok(e, "DescribeStream", json!({ "StreamArn": arn }))["StreamDescription"].clone()
}

/// Every record of the stream `arn` through the Streams API, shards in the listed order.
fn read_stream(e: &mut Engine, arn: &str) -> Vec<Value> {
    let shards = describe(e, arn)["Shards"].as_array().unwrap().clone();
    let mut out = vec![];
    for sh in shards {
        let mut it = ok(
            e,
            "GetShardIterator",
            json!({"StreamArn": arn, "ShardId": sh["ShardId"], "ShardIteratorType": "TRIM_HORIZON"}),
        )["ShardIterator"]
            .clone();
        for _ in 0..100 {
            let r = ok(e, "GetRecords", json!({ "ShardIterator": it }));
            let recs = r["Records"].as_array().unwrap();
            out.extend(recs.iter().cloned());
            match r.get("NextShardIterator") {
                Some(n) if !recs.is_empty() => it = n.clone(),
                _ => break,
            }
        }
    }
    out
}

fn events(recs: &[Value]) -> Vec<(String, String)> {
    recs.iter()
        .map(|r| {
            (
                r["eventName"].as_str().unwrap().to_string(),
                r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn big(s: &str) -> u128 {
    s.parse().unwrap()
}

// ---------------------------------------------------------------------------------------------
// §1.4 / §2.4 identifiers and the table's stream members
// ---------------------------------------------------------------------------------------------

#[test]
fn stream_label_is_the_enabling_time_with_milliseconds() {
    // §1.4: the label is the ISO-8601 UTC creation timestamp with milliseconds and no zone, and
    // the last path segment of the ARN; §0 ARN format; §3.2 CreationRequestDateTime is the
    // timestamp of the enabling request (epoch seconds on the wire).
    let mut e = engine();
    create(&mut e, "Orders", None);
    e.advance_clock_ms(3_723_456); // 01:02:03.456
    let r = enable(&mut e, "Orders", "NEW_IMAGE")["TableDescription"].clone();
    let label = "2026-01-01T01:02:03.456";
    let arn = format!("arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/{label}");
    assert_eq!(r["LatestStreamLabel"], label);
    assert_eq!(r["LatestStreamArn"], arn.as_str());
    assert_eq!(r["StreamSpecification"], json!({"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}));
    let d = describe(&mut e, &arn);
    assert_eq!(d["StreamLabel"], label);
    assert_eq!(d["StreamArn"], arn.as_str());
    assert_eq!(d["StreamStatus"], "ENABLED");
    assert_eq!(d["StreamViewType"], "NEW_IMAGE");
    assert_eq!(d["TableName"], "Orders");
    assert_eq!(
        d["KeySchema"],
        json!([{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
    );
    assert_eq!(d["CreationRequestDateTime"].as_f64(), Some((START_MS + 3_723_456) as f64 / 1000.0));
    let listed = ok(&mut e, "ListStreams", json!({"TableName": "Orders"}));
    assert_eq!(listed, json!({"Streams": [{"StreamArn": arn, "TableName": "Orders", "StreamLabel": label}]}));
}

#[test]
fn table_descriptions_keep_the_stream_members_across_other_updates() {
    // §2.4: CreateTable/DescribeTable/UpdateTable carry LatestStreamArn, LatestStreamLabel and
    // StreamSpecification (observed against DynamoDB: also an UpdateTable that only sets the
    // billing mode returns them unchanged).
    let mut e = engine();
    let c = create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = c["LatestStreamArn"].as_str().unwrap().to_string();
    assert_eq!(c["LatestStreamLabel"], "2026-01-01T00:00:00.000");
    assert_eq!(c["StreamSpecification"], json!({"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}));
    let u = ok(&mut e, "UpdateTable", json!({"TableName": "Orders", "BillingMode": "PAY_PER_REQUEST"}))
        ["TableDescription"]
        .clone();
    assert_eq!(u["LatestStreamArn"], arn.as_str());
    assert_eq!(u["LatestStreamLabel"], c["LatestStreamLabel"]);
    assert_eq!(u["StreamSpecification"], c["StreamSpecification"]);
    let d = ok(&mut e, "DescribeTable", json!({"TableName": "Orders"}))["Table"].clone();
    assert_eq!(d["LatestStreamArn"], arn.as_str());
    assert_eq!(d["StreamSpecification"], c["StreamSpecification"]);
    // A table created with StreamEnabled false has no stream at all.
    let p = ok(
        &mut e,
        "CreateTable",
        json!({"TableName": "Plain", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
               "StreamSpecification": {"StreamEnabled": false}}),
    )["TableDescription"]
        .clone();
    assert!(p.get("LatestStreamArn").is_none(), "{p}");
    assert_eq!(ok(&mut e, "ListStreams", json!({"TableName": "Plain"})), json!({"Streams": []}));
}

// ---------------------------------------------------------------------------------------------
// §2.5 shards: sequence number ranges
// ---------------------------------------------------------------------------------------------

#[test]
fn shard_ranges_contain_their_records_and_children_start_after_parents() {
    // §2.5: each shard has SequenceNumberRange {Starting, Ending?}; closed shards have both;
    // §1.3 sequence numbers increase within a shard (compared as integers); a child continues
    // the item's lineage, so its numbers follow its parent's.
    let mut e = engine_with(|c| c.shard_rollover_ms = 10 * MIN);
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    for i in 0..3 {
        put(&mut e, "Orders", json!({"pk": s("k"), "sk": s("S"), "v": n(&i.to_string())}));
        e.advance_clock_ms(10 * MIN); // one record per shard generation
    }
    e.advance_clock_ms(10 * MIN); // one more generation with no record
    let shards = describe(&mut e, &arn)["Shards"].as_array().unwrap().clone();
    assert_eq!(shards.len(), 5, "{shards:?}");
    for (i, sh) in shards.iter().enumerate() {
        let range = &sh["SequenceNumberRange"];
        let start = big(range["StartingSequenceNumber"].as_str().unwrap());
        let id = sh["ShardId"].clone();
        let it = ok(
            &mut e,
            "GetShardIterator",
            json!({"StreamArn": arn, "ShardId": id, "ShardIteratorType": "TRIM_HORIZON"}),
        )["ShardIterator"]
            .clone();
        let recs = ok(&mut e, "GetRecords", json!({ "ShardIterator": it }))["Records"].as_array().unwrap().clone();
        for r in &recs {
            let q = big(r["dynamodb"]["SequenceNumber"].as_str().unwrap());
            assert!(q >= start, "shard {i}: record {q} before StartingSequenceNumber {start}");
            if let Some(end) = range.get("EndingSequenceNumber") {
                assert!(q <= big(end.as_str().unwrap()), "shard {i}: record {q} after EndingSequenceNumber {end}");
            }
        }
        if i < 4 {
            let end = big(range["EndingSequenceNumber"].as_str().unwrap());
            assert!(end >= start, "shard {i}: Ending {end} < Starting {start}");
            let child_start = big(shards[i + 1]["SequenceNumberRange"]["StartingSequenceNumber"].as_str().unwrap());
            assert!(child_start > end, "child {} starts at {child_start}, not after its parent's end {end}", i + 1);
            assert_eq!(shards[i + 1]["ParentShardId"], sh["ShardId"]);
        } else {
            assert!(range.get("EndingSequenceNumber").is_none(), "the newest shard is open");
        }
        assert_eq!(recs.len(), usize::from(i < 3), "shard {i}");
    }
}

// ---------------------------------------------------------------------------------------------
// §2.1 record generation across stream lifecycle changes
// ---------------------------------------------------------------------------------------------

#[test]
fn identical_put_of_an_item_written_before_the_stream_is_no_record() {
    // §2.1: "identical" is judged on the stored item, however it got there; §1.3 the OldImage
    // of a later change is the whole stored item.
    let mut e = engine();
    create(&mut e, "Orders", None);
    let item = json!({"pk": s("A"), "sk": s("S"), "v": n("1.5"), "tags": {"SS": ["x", "y"]}});
    put(&mut e, "Orders", item.clone());
    enable(&mut e, "Orders", "NEW_AND_OLD_IMAGES");
    let arn = latest_arn(&mut e, "Orders");
    put(&mut e, "Orders", json!({"pk": s("A"), "sk": s("S"), "v": n("1.50"), "tags": {"SS": ["y", "x"]}}));
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
fn images_after_disable_and_re_enable_show_the_current_item() {
    // §2.4 a re-enabled stream is a new stream; §1.3 images are the whole item before/after the
    // write — changes made while no stream was enabled are part of the item, not lost.
    for rv in ["NONE", "ALL_OLD"] {
        let mut e = engine();
        create(&mut e, "Orders", Some("NEW_AND_OLD_IMAGES"));
        put(&mut e, "Orders", json!({"pk": s("A"), "sk": s("S"), "v": n("1")}));
        disable(&mut e, "Orders");
        // Changed while there is no stream (an update and a put).
        ok(
            &mut e,
            "UpdateItem",
            json!({"TableName": "Orders", "Key": key("A"), "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": n("2")}}),
        );
        put(&mut e, "Orders", json!({"pk": s("B"), "sk": s("S"), "v": n("1")}));
        ok(&mut e, "DeleteItem", json!({"TableName": "Orders", "Key": key("B")}));
        enable(&mut e, "Orders", "NEW_AND_OLD_IMAGES");
        let arn = latest_arn(&mut e, "Orders");
        // Writing back the value the first stream last saw is a change (the item holds 2).
        ok(
            &mut e,
            "UpdateItem",
            json!({"TableName": "Orders", "Key": key("A"), "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": n("1")}, "ReturnValues": rv}),
        );
        // Writing the current value again is not.
        ok(
            &mut e,
            "UpdateItem",
            json!({"TableName": "Orders", "Key": key("A"), "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": n("1")}, "ReturnValues": rv}),
        );
        // B was deleted while there was no stream: writing it is an INSERT.
        put(&mut e, "Orders", json!({"pk": s("B"), "sk": s("S"), "v": n("1")}));
        let recs = read_stream(&mut e, &arn);
        assert_eq!(
            events(&recs),
            [("MODIFY".to_string(), "A".to_string()), ("INSERT".to_string(), "B".to_string())],
            "{rv}"
        );
        assert_av_eq(&recs[0]["dynamodb"]["OldImage"], &json!({"pk": s("A"), "sk": s("S"), "v": n("2")}), "OldImage");
        assert_av_eq(&recs[0]["dynamodb"]["NewImage"], &json!({"pk": s("A"), "sk": s("S"), "v": n("1")}), "NewImage");
    }
}

#[test]
fn update_item_records_do_not_depend_on_return_values() {
    // §2.1 / §1.3: the record of an UpdateItem depends on the item before and after the write,
    // not on what the response returns.
    let run = |rv: &str| {
        let mut e = engine();
        create(&mut e, "Orders", Some("NEW_AND_OLD_IMAGES"));
        let arn = latest_arn(&mut e, "Orders");
        put(&mut e, "Orders", json!({"pk": s("A"), "sk": s("S"), "n": n("1"), "l": {"L": [s("a")]}}));
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

// ---------------------------------------------------------------------------------------------
// §2.1 batch and transaction writes over several tables
// ---------------------------------------------------------------------------------------------

#[test]
fn batch_and_transaction_records_go_to_each_tables_own_stream() {
    // §2.1: each Put/Delete of a BatchWriteItem / each action of a TransactWriteItems is judged
    // individually and recorded in the stream of its own table; a table without a stream gets
    // nothing.
    let mut e = engine();
    create(&mut e, "Aaa", Some("KEYS_ONLY"));
    create(&mut e, "Bbb", Some("NEW_IMAGE"));
    create(&mut e, "Ccc", None);
    put(&mut e, "Aaa", json!({"pk": s("a1"), "sk": s("S")}));
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

// ---------------------------------------------------------------------------------------------
// §7 TTL and streams
// ---------------------------------------------------------------------------------------------

fn enable_ttl(e: &mut Engine, table: &str, attr: &str) {
    ok(
        e,
        "UpdateTimeToLive",
        json!({"TableName": table, "TimeToLiveSpecification": {"Enabled": true, "AttributeName": attr}}),
    );
}

#[test]
fn ttl_set_by_update_item_is_swept_with_a_service_record() {
    // §7: an item is eligible once its TTL attribute (top-level N, epoch seconds) has passed;
    // the deletion writes a REMOVE with userIdentity Service / dynamodb.amazonaws.com (§1.6).
    // The attribute may be set by any write, here an UpdateItem of an existing item.
    for rv in ["NONE", "ALL_OLD"] {
        let mut e = engine();
        create(&mut e, "Sessions", Some("OLD_IMAGE"));
        enable_ttl(&mut e, "Sessions", "exp");
        let arn = latest_arn(&mut e, "Sessions");
        put(&mut e, "Sessions", json!({"pk": s("A"), "sk": s("S")}));
        ok(
            &mut e,
            "UpdateItem",
            json!({"TableName": "Sessions", "Key": key("A"), "UpdateExpression": "SET #e = :e",
                   "ExpressionAttributeNames": {"#e": "exp"}, "ExpressionAttributeValues": {":e": n(&(START_S + 60).to_string())}, "ReturnValues": rv}),
        );
        e.advance_clock_ms(2 * HOUR);
        assert!(
            ok(&mut e, "GetItem", json!({"TableName": "Sessions", "Key": key("A")})).get("Item").is_none(),
            "{rv}: deleted"
        );
        let recs = read_stream(&mut e, &arn);
        assert_eq!(events(&recs).last().unwrap().0, "REMOVE", "{rv}");
        let last = recs.last().unwrap();
        assert_eq!(last["userIdentity"], json!({"type": "Service", "principalId": "dynamodb.amazonaws.com"}));
        assert_av_eq(
            &last["dynamodb"]["OldImage"],
            &json!({"pk": s("A"), "sk": s("S"), "exp": n(&(START_S + 60).to_string())}),
            "OldImage",
        );
        // Only the TTL deletion carries userIdentity (§1.1).
        assert!(recs[..recs.len() - 1].iter().all(|r| r.get("userIdentity").is_none()));
    }
}

#[test]
fn ttl_deletion_while_the_stream_is_disabled_is_in_no_stream() {
    // §7 + §2.4: the TTL deletion is a normal write: with no enabled stream there is nothing to
    // record it in; the old (disabled) stream is closed and gains nothing.
    let mut e = engine();
    create(&mut e, "Sessions", Some("KEYS_ONLY"));
    enable_ttl(&mut e, "Sessions", "exp");
    let arn = latest_arn(&mut e, "Sessions");
    put(&mut e, "Sessions", json!({"pk": s("A"), "sk": s("S"), "exp": n(&(START_S + 60).to_string())}));
    disable(&mut e, "Sessions");
    e.advance_clock_ms(HOUR);
    assert!(ok(&mut e, "GetItem", json!({"TableName": "Sessions", "Key": key("A")})).get("Item").is_none());
    assert_eq!(events(&read_stream(&mut e, &arn)), [("INSERT".to_string(), "A".to_string())]);
}

#[test]
fn ttl_deletion_record_time_is_the_deletion_time() {
    // §1.3: ApproximateCreationDateTime is when the record was written (whole seconds), i.e.
    // the sweep, not the expiry time; default sweeper delay 10 minutes after expiry (scenario
    // default, §7 "configurable delay").
    let mut e = engine_with(|c| c.ttl_delay_ms = 90_500);
    create(&mut e, "Sessions", Some("KEYS_ONLY"));
    enable_ttl(&mut e, "Sessions", "exp");
    let arn = latest_arn(&mut e, "Sessions");
    put(&mut e, "Sessions", json!({"pk": s("A"), "sk": s("S"), "exp": n(&(START_S + 100).to_string())}));
    e.advance_clock_ms(HOUR);
    let recs = read_stream(&mut e, &arn);
    assert_eq!(recs.len(), 2);
    // expiry START+100 s, + 90.5 s delay → deleted at START+190.5 s → 190 whole seconds.
    assert_eq!(recs[1]["dynamodb"]["ApproximateCreationDateTime"], json!(START_S + 190));
}

// ---------------------------------------------------------------------------------------------
// §3 Streams API details
// ---------------------------------------------------------------------------------------------

#[test]
fn list_streams_table_filter_with_pagination() {
    // §3.1: ListStreams for one table lists its enabled and recently disabled streams;
    // LastEvaluatedStreamArn pages through them.
    let mut e = engine();
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    create(&mut e, "Other", Some("KEYS_ONLY"));
    let first = latest_arn(&mut e, "Orders");
    disable(&mut e, "Orders");
    e.advance_clock_ms(1_000);
    enable(&mut e, "Orders", "NEW_IMAGE");
    let second = latest_arn(&mut e, "Orders");
    let mut seen = vec![];
    let mut req = json!({"TableName": "Orders", "Limit": 1});
    for _ in 0..5 {
        let page = ok(&mut e, "ListStreams", req.clone());
        for st in page["Streams"].as_array().unwrap() {
            assert_eq!(st["TableName"], "Orders");
            seen.push(st["StreamArn"].as_str().unwrap().to_string());
        }
        match page.get("LastEvaluatedStreamArn") {
            Some(l) => req = json!({"TableName": "Orders", "Limit": 1, "ExclusiveStartStreamArn": l}),
            None => break,
        }
    }
    seen.sort();
    let mut want = vec![first, second];
    want.sort();
    assert_eq!(seen, want);
}

#[test]
fn get_records_wire_types() {
    // §1.3 / Decisions: in GetRecords, ApproximateCreationDateTime is a JSON number of whole
    // seconds, SequenceNumber a string of digits, SizeBytes a number; §1.5 N values are strings.
    let mut e = engine();
    create(&mut e, "Orders", Some("NEW_IMAGE"));
    let arn = latest_arn(&mut e, "Orders");
    e.advance_clock_ms(1_999);
    put(&mut e, "Orders", json!({"pk": s("A"), "sk": s("S"), "n": n("007.50")}));
    let r = &read_stream(&mut e, &arn)[0];
    assert_eq!(r["dynamodb"]["ApproximateCreationDateTime"].as_f64(), Some((START_S + 1) as f64));
    assert!(r["dynamodb"]["SequenceNumber"].is_string());
    assert!(r["dynamodb"]["SizeBytes"].is_u64());
    assert_eq!(r["dynamodb"]["NewImage"]["n"], json!({"N": "7.5"}));
    assert!(r.get("eventSourceARN").is_none());
}

// ---------------------------------------------------------------------------------------------
// §3.2 / §3.3 / §3.4 request validation and robustness
// ---------------------------------------------------------------------------------------------

fn one_shard(e: &mut Engine) -> (String, String, String) {
    create(e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(e, "Orders");
    put(e, "Orders", json!({"pk": s("A"), "sk": s("S")}));
    let shard = describe(e, &arn)["Shards"][0]["ShardId"].as_str().unwrap().to_string();
    let it =
        ok(e, "GetShardIterator", json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}));
    let seq = ok(e, "GetRecords", json!({"ShardIterator": it["ShardIterator"]}))["Records"][0]["dynamodb"]
        ["SequenceNumber"]
        .as_str()
        .unwrap()
        .to_string();
    (arn, shard, seq)
}

#[test]
fn after_the_largest_sequence_number_is_an_error_not_a_crash() {
    // §3.3: SequenceNumber is digits, 21–40 characters (§0, §1.3); a number no shard holds is
    // answered with an AWS error (ValidationException for an unusable sequence number, §3.6),
    // never a crash or an iterator that wrapped around to the start of the shard.
    let mut e = engine();
    let (arn, shard, _) = one_shard(&mut e);
    let max = u128::MAX.to_string(); // 39 digits: a well-formed sequence number
    let er = err(
        &mut e,
        "GetShardIterator",
        json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": max}),
    );
    assert_eq!(er.kind, "ValidationException", "{}", er.message);
    // AT that number: nothing is there (every record has a smaller number).
    let it = ok(
        &mut e,
        "GetShardIterator",
        json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": max}),
    );
    let r = ok(&mut e, "GetRecords", json!({"ShardIterator": it["ShardIterator"]}));
    assert_eq!(r["Records"], json!([]));
    assert!(r["NextShardIterator"].is_string(), "open shard");
}

#[test]
fn describe_stream_shard_id_members_have_the_model_length() {
    // §3.2: ExclusiveStartShardId is a string of 28–65 characters; ShardFilter.ShardId likewise
    // (API reference, ShardFilter). Out of range → ValidationException (§3.6 model constraints);
    // a well-formed id that is not a shard → empty list (§3.2).
    let mut e = engine();
    let (arn, shard, _) = one_shard(&mut e);
    let long = format!("shardId-{}", "0".repeat(58)); // 66 characters
    for bad in ["abc", "shardId-0000000000000000000", long.as_str()] {
        let er = err(&mut e, "DescribeStream", json!({"StreamArn": arn, "ExclusiveStartShardId": bad}));
        assert_eq!(er.kind, "ValidationException", "ExclusiveStartShardId {bad}: {}", er.message);
        let er = err(
            &mut e,
            "DescribeStream",
            json!({"StreamArn": arn, "ShardFilter": {"Type": "CHILD_SHARDS", "ShardId": bad}}),
        );
        assert_eq!(er.kind, "ValidationException", "ShardFilter.ShardId {bad}: {}", er.message);
    }
    let unknown = format!("shardId-{}", "0".repeat(57)); // 65 characters, no such shard
    let r = ok(&mut e, "DescribeStream", json!({"StreamArn": arn, "ExclusiveStartShardId": unknown}));
    assert_eq!(r["StreamDescription"]["Shards"], json!([]));
    let r = ok(
        &mut e,
        "DescribeStream",
        json!({"StreamArn": arn, "ShardFilter": {"Type": "CHILD_SHARDS", "ShardId": shard}}),
    );
    assert_eq!(r["StreamDescription"]["Shards"], json!([]));
}

/// An iterator in the simulator's format, for a position and issue time of our choosing.
fn forged_iterator(arn: &str, shard: &str, position: u128, issued_ms: u64) -> String {
    let body = format!("{shard}/{position}/{issued_ms}");
    let check = streamlab::internals::fnv1a(format!("{arn}|{body}").as_bytes());
    let hex: String = format!("{body}/{check:016x}").bytes().map(|b| format!("{b:02x}")).collect();
    format!("{arn}|1|{hex}")
}

#[test]
fn an_iterator_the_service_did_not_issue_is_rejected() {
    // §3.4: a garbage iterator → ValidationException; an iterator is valid for 15 minutes
    // after it was issued, so one claiming to be issued in the future was never issued.
    let mut e = engine();
    let (arn, shard, _) = one_shard(&mut e);
    let now = e.now_ms();
    // Sanity: the format is right (issued now → accepted and reads the record).
    let good = forged_iterator(&arn, &shard, 1, now);
    assert_eq!(ok(&mut e, "GetRecords", json!({ "ShardIterator": good }))["Records"].as_array().unwrap().len(), 1);
    for issued in [now + 1, u64::MAX - 1, u64::MAX] {
        let it = forged_iterator(&arn, &shard, 1, issued);
        let er = err(&mut e, "GetRecords", json!({ "ShardIterator": it }));
        assert_eq!(er.kind, "ValidationException", "issued {issued}: {}", er.message);
    }
}

#[test]
fn describe_stream_checks_its_members_before_looking_up_the_stream() {
    // §3.6: model-constraint violations are ValidationExceptions ("1 validation error
    // detected ..."); AWS checks a request against the model before it looks up resources, so
    // an out-of-range Limit or ExclusiveStartShardId is reported even for an unknown stream.
    let mut e = engine();
    let unknown = "arn:aws:dynamodb:us-east-1:123456789012:table/Nope/stream/2026-01-01T00:00:00.000";
    for req in [
        json!({"StreamArn": unknown, "Limit": 0}),
        json!({"StreamArn": unknown, "Limit": 101}),
        json!({"StreamArn": unknown, "ExclusiveStartShardId": "abc"}),
        json!({"StreamArn": unknown, "ShardFilter": {"Type": "PARENT_SHARDS", "ShardId": format!("shardId-{}", "0".repeat(29))}}),
    ] {
        let er = err(&mut e, "DescribeStream", req.clone());
        assert_eq!(er.kind, "ValidationException", "{req}: {}", er.message);
        assert!(er.message.starts_with("1 validation error detected: "), "{}", er.message);
    }
    assert_eq!(
        err(&mut e, "DescribeStream", json!({"StreamArn": unknown, "Limit": 100})).kind,
        "ResourceNotFoundException"
    );
}
