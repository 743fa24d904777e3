//! Stream record shape, written from `aws-semantics.md` §1 (record shape, images, SizeBytes,
//! identifiers), the "Decisions" table, §1.6 / §7 (TTL deletions).
//!
//! Every expected value below comes from the spec (section cited) or, where noted, from
//! documented real DynamoDB behaviour. Nothing here was copied from the engine's output.
#![cfg(not(target_arch = "wasm32"))] // native tests: `make test` runs tests/web.rs in the browser

use serde_json::{json, Value};
mod common;
use common::*;
use streamlab::Engine;

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

/// 2026-01-01T00:00:00Z, the default simulated start (scenario-format.md "Input").
const START_S: u64 = 1_767_225_600;

/// Table `Orders` (pk S HASH, sk S RANGE) with a stream of the given view type (§1.5 scenario).
fn create_orders(e: &mut Engine, view: &str) {
    create_table(e, "Orders", &[("pk", "S", "HASH"), ("sk", "S", "RANGE")], Some(view));
}

fn create_table(e: &mut Engine, name: &str, keys: &[(&str, &str, &str)], view: Option<&str>) {
    let mut req = json!({
        "TableName": name,
        "KeySchema": keys.iter().map(|(n, _, k)| json!({"AttributeName": n, "KeyType": k})).collect::<Vec<_>>(),
        "AttributeDefinitions": keys.iter().map(|(n, t, _)| json!({"AttributeName": n, "AttributeType": t})).collect::<Vec<_>>(),
        "BillingMode": "PAY_PER_REQUEST",
    });
    if let Some(v) = view {
        req["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": v});
    }
    ok(e, "CreateTable", req);
}

/// All records of the latest stream of `table`, as GetRecords returns them (streams_output).
fn records(e: &Engine, table: &str) -> Vec<Value> {
    let out = e.streams_output();
    let s = out
        .as_array()
        .unwrap()
        .iter()
        .rfind(|s| s["TableName"] == table)
        .unwrap_or_else(|| panic!("no stream for {table}"));
    s["Records"].as_array().unwrap().clone()
}

/// All records via the real Streams API: every shard from TRIM_HORIZON, parents first.
fn records_via_api(e: &mut Engine, table: &str) -> Vec<Value> {
    let arn =
        ok(e, "DescribeTable", json!({"TableName": table}))["Table"]["LatestStreamArn"].as_str().unwrap().to_string();
    let d = ok(e, "DescribeStream", json!({"StreamArn": arn}));
    let mut out = vec![];
    for sh in d["StreamDescription"]["Shards"].as_array().unwrap() {
        let it = ok(
            e,
            "GetShardIterator",
            json!({"StreamArn": arn, "ShardId": sh["ShardId"], "ShardIteratorType": "TRIM_HORIZON"}),
        )["ShardIterator"]
            .clone();
        let mut it = it;
        for _ in 0..100 {
            let r = ok(e, "GetRecords", json!({"ShardIterator": it}));
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

/// Big-integer comparison of two decimal strings (§1.3: "compare as arbitrary-precision integers").
fn seq_lt(a: &str, b: &str) -> bool {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    (a.len(), a) < (b.len(), b)
}

// ---------------------------------------------------------------------------------------------
// §1.5 — the 12 view-type × event cases
// ---------------------------------------------------------------------------------------------

/// Runs the §1.5 scenario: t1 PutItem v1 → INSERT, t2 UpdateItem SET status ADD tags → MODIFY,
/// t3 DeleteItem → REMOVE.
fn run_orders_scenario(view: &str) -> Vec<Value> {
    let mut e = engine();
    create_orders(&mut e, view);
    ok(
        &mut e,
        "PutItem",
        json!({"TableName": "Orders", "Item": {"pk": s("ORDER#1"), "sk": s("META"), "status": s("open"), "total": n("25.5")}}),
    );
    e.advance_clock_ms(60_000);
    ok(
        &mut e,
        "UpdateItem",
        json!({"TableName": "Orders", "Key": {"pk": s("ORDER#1"), "sk": s("META")},
               "UpdateExpression": "SET #s = :s ADD tags :t",
               "ExpressionAttributeNames": {"#s": "status"},
               "ExpressionAttributeValues": {":s": s("shipped"), ":t": {"SS": ["gift"]}}}),
    );
    e.advance_clock_ms(60_000);
    ok(&mut e, "DeleteItem", json!({"TableName": "Orders", "Key": {"pk": s("ORDER#1"), "sk": s("META")}}));
    let recs = records(&e, "Orders");
    // The Streams API must return the same records (§1.1; scenario-format.md "streams").
    assert_eq!(recs, records_via_api(&mut e, "Orders"), "streams_output vs GetRecords");
    recs
}

#[test]
fn view_type_by_event_12_cells() {
    let keys = json!({"pk": s("ORDER#1"), "sk": s("META")});
    let v1 = json!({"pk": s("ORDER#1"), "sk": s("META"), "status": s("open"), "total": n("25.5")});
    let v2 = json!({"pk": s("ORDER#1"), "sk": s("META"), "status": s("shipped"), "total": n("25.5"), "tags": {"SS": ["gift"]}});

    // (view type, [(eventName, NewImage?, OldImage?, SizeBytes); 3])  — §1.3 image table, §1.5 sizes.
    type Cell = (&'static str, Option<&'static Value>, Option<&'static Value>, u64);
    let v1: &'static Value = Box::leak(Box::new(v1));
    let v2: &'static Value = Box::leak(Box::new(v2));
    let cases: Vec<(&str, [Cell; 3])> = vec![
        ("KEYS_ONLY", [("INSERT", None, None, 15), ("MODIFY", None, None, 15), ("REMOVE", None, None, 15)]),
        ("NEW_IMAGE", [("INSERT", Some(v1), None, 48), ("MODIFY", Some(v2), None, 59), ("REMOVE", None, None, 15)]),
        ("OLD_IMAGE", [("INSERT", None, None, 15), ("MODIFY", None, Some(v1), 48), ("REMOVE", None, Some(v2), 59)]),
        (
            "NEW_AND_OLD_IMAGES",
            [("INSERT", Some(v1), None, 48), ("MODIFY", Some(v2), Some(v1), 92), ("REMOVE", None, Some(v2), 59)],
        ),
    ];
    for (view, cells) in cases {
        let recs = run_orders_scenario(view);
        assert_eq!(recs.len(), 3, "{view}: exactly one record per write (§2.2)");
        for (rec, (name, new, old, size)) in recs.iter().zip(cells.iter()) {
            let ctx = format!("{view}/{name}");
            assert_eq!(rec["eventName"], *name, "{ctx}");
            let d = &rec["dynamodb"];
            assert_av_eq(&d["Keys"], &keys, &format!("{ctx} Keys"));
            match new {
                Some(img) => assert_av_eq(&d["NewImage"], img, &format!("{ctx} NewImage")),
                None => assert!(d.get("NewImage").is_none(), "{ctx}: NewImage must be absent: {d}"),
            }
            match old {
                Some(img) => assert_av_eq(&d["OldImage"], img, &format!("{ctx} OldImage")),
                None => assert!(d.get("OldImage").is_none(), "{ctx}: OldImage must be absent: {d}"),
            }
            assert_eq!(d["SizeBytes"], json!(size), "{ctx} SizeBytes (§1.5)");
            assert_eq!(d["StreamViewType"], view, "{ctx} StreamViewType");
            // §1.3: exactly these StreamRecord members.
            let mut fields: Vec<&str> = d.as_object().unwrap().keys().map(|k| k.as_str()).collect();
            fields.sort();
            let mut want = vec!["ApproximateCreationDateTime", "Keys", "SequenceNumber", "SizeBytes", "StreamViewType"];
            if new.is_some() {
                want.push("NewImage");
            }
            if old.is_some() {
                want.push("OldImage");
            }
            want.sort();
            assert_eq!(fields, want, "{ctx}: StreamRecord members");
        }
        // §1.5 timestamps: t1, t1+60, t1+120 in whole seconds.
        let times: Vec<f64> =
            recs.iter().map(|r| r["dynamodb"]["ApproximateCreationDateTime"].as_f64().unwrap()).collect();
        assert_eq!(times, vec![START_S as f64, (START_S + 60) as f64, (START_S + 120) as f64], "{view}");
    }
}

// ---------------------------------------------------------------------------------------------
// §1.1 record-level fields
// ---------------------------------------------------------------------------------------------

#[test]
fn record_metadata_fields() {
    for region in ["us-east-1", "eu-west-1"] {
        let mut e = engine_with(|c| c.region = region.to_string());
        create_orders(&mut e, "NEW_AND_OLD_IMAGES");
        ok(&mut e, "PutItem", json!({"TableName": "Orders", "Item": {"pk": s("a"), "sk": s("b")}}));
        ok(&mut e, "DeleteItem", json!({"TableName": "Orders", "Key": {"pk": s("a"), "sk": s("b")}}));
        for r in records(&e, "Orders") {
            // Decisions: eventVersion "1.1"; §1.1 eventSource, awsRegion.
            assert_eq!(r["eventVersion"], "1.1");
            assert_eq!(r["eventSource"], "aws:dynamodb");
            assert_eq!(r["awsRegion"], region);
            // §1.1: GetRecords records have exactly these members for normal writes (no
            // userIdentity, no eventSourceARN).
            let mut k: Vec<&str> = r.as_object().unwrap().keys().map(|k| k.as_str()).collect();
            k.sort();
            assert_eq!(k, ["awsRegion", "dynamodb", "eventID", "eventName", "eventSource", "eventVersion"]);
        }
    }
}

fn event_ids(seed: u64) -> Vec<String> {
    let mut e = engine_with(|c| c.seed = seed);
    create_orders(&mut e, "KEYS_ONLY");
    for i in 0..50 {
        ok(&mut e, "PutItem", json!({"TableName": "Orders", "Item": {"pk": s(&format!("p{i}")), "sk": s("x")}}));
        ok(
            &mut e,
            "PutItem",
            json!({"TableName": "Orders", "Item": {"pk": s(&format!("p{i}")), "sk": s("x"), "v": n("1")}}),
        );
    }
    records(&e, "Orders").iter().map(|r| r["eventID"].as_str().unwrap().to_string()).collect()
}

#[test]
fn event_id_format_unique_and_seed_deterministic() {
    // Decisions: eventID = 32 lowercase hex characters, unique, deterministic for a given seed.
    let a = event_ids(1);
    assert_eq!(a.len(), 100);
    for id in &a {
        assert_eq!(id.len(), 32, "{id}");
        assert!(id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{id}");
    }
    let mut u = a.clone();
    u.sort();
    u.dedup();
    assert_eq!(u.len(), a.len(), "eventIDs must be unique");
    assert_eq!(a, event_ids(1), "same seed → same eventIDs");
    let b = event_ids(2);
    assert_ne!(a, b, "another seed → different eventIDs");
    assert!(a.iter().all(|x| !b.contains(x)), "another seed should give fresh ids");
}

#[test]
fn sequence_numbers_digits_21_plus_strictly_increasing() {
    // Decisions / §1.3: decimal digits, 21 or more (≤ 40 per API model), strictly increasing
    // within a shard, compared as integers.
    let mut e = engine();
    create_orders(&mut e, "KEYS_ONLY");
    for i in 0..30 {
        ok(
            &mut e,
            "PutItem",
            json!({"TableName": "Orders", "Item": {"pk": s(&format!("k{}", i % 7)), "sk": s(&i.to_string())}}),
        );
        if i % 5 == 0 {
            e.advance_clock_ms(1_000);
        }
    }
    let recs = records(&e, "Orders");
    assert_eq!(recs.len(), 30);
    let seqs: Vec<String> =
        recs.iter().map(|r| r["dynamodb"]["SequenceNumber"].as_str().unwrap().to_string()).collect();
    for q in &seqs {
        assert!(q.len() >= 21 && q.len() <= 40, "{q}");
        assert!(q.bytes().all(|b| b.is_ascii_digit()), "{q}");
    }
    // One shard (shards_per_stream = 1, no roll-over within 30 s): publish order = seq order.
    for w in seqs.windows(2) {
        assert!(seq_lt(&w[0], &w[1]), "{} !< {}", w[0], w[1]);
    }
}

#[test]
fn approximate_creation_date_time_is_whole_simulated_seconds() {
    // Decisions: whole epoch seconds of the simulated clock (rounded down, §1.3).
    let mut e = engine();
    create_orders(&mut e, "KEYS_ONLY");
    let steps: [(u64, u64); 4] = [(0, START_S), (1_500, START_S + 1), (999, START_S + 2), (3_600_001, START_S + 3602)];
    // cumulative ms: 0, 1500, 2499, 3602500
    for (i, (adv, want)) in steps.iter().enumerate() {
        e.advance_clock_ms(*adv);
        ok(&mut e, "PutItem", json!({"TableName": "Orders", "Item": {"pk": s(&format!("p{i}")), "sk": s("x")}}));
        let recs = records(&e, "Orders");
        let t = &recs.last().unwrap()["dynamodb"]["ApproximateCreationDateTime"];
        assert!(t.is_number(), "must be a JSON number of seconds (§1.3): {t}");
        assert_eq!(t.as_f64().unwrap(), *want as f64, "step {i}");
        assert_eq!(t.as_f64().unwrap().fract(), 0.0);
    }
}

// ---------------------------------------------------------------------------------------------
// §1.3 SizeBytes worked checks
// ---------------------------------------------------------------------------------------------

/// Writes then returns the SizeBytes of every record.
fn sizes(view: &str, keys: &[(&str, &str, &str)], writes: Vec<(&str, Value)>) -> Vec<u64> {
    let mut e = engine();
    create_table(&mut e, "Tbl", keys, Some(view));
    for (a, mut r) in writes {
        r["TableName"] = json!("Tbl");
        ok(&mut e, a, r);
    }
    records(&e, "Tbl").iter().map(|r| r["dynamodb"]["SizeBytes"].as_u64().unwrap()).collect()
}

#[test]
fn size_bytes_worked_checks() {
    // Keys {pk:"a", sk:"b"} KEYS_ONLY → 6.
    assert_eq!(
        sizes(
            "KEYS_ONLY",
            &[("pk", "S", "HASH"), ("sk", "S", "RANGE")],
            vec![("PutItem", json!({"Item": {"pk": s("a"), "sk": s("b"), "x": s("y")}}))]
        ),
        vec![6]
    );
    // {Id:N"101"} + NewImage {Message:"New item!", Id:101} → 26; MODIFY to
    // "This item has changed" → 59 (NEW_AND_OLD); REMOVE → 38.
    let id = &[("Id", "N", "HASH")];
    assert_eq!(
        sizes("NEW_IMAGE", id, vec![("PutItem", json!({"Item": {"Id": n("101"), "Message": s("New item!")}}))]),
        vec![26]
    );
    assert_eq!(
        sizes(
            "NEW_AND_OLD_IMAGES",
            id,
            vec![
                ("PutItem", json!({"Item": {"Id": n("101"), "Message": s("New item!")}})),
                ("PutItem", json!({"Item": {"Id": n("101"), "Message": s("This item has changed")}})),
                ("DeleteItem", json!({"Key": {"Id": n("101")}})),
            ]
        ),
        vec![26, 59, 38]
    );
    // {id:"id_value"} INSERT NEW_AND_OLD → 20.
    let idk = &[("id", "S", "HASH")];
    assert_eq!(sizes("NEW_AND_OLD_IMAGES", idk, vec![("PutItem", json!({"Item": {"id": s("id_value")}}))]), vec![20]);
    // {id:"id_value_1", numericFilter:N"42"} → 12 + 27 = 39.
    assert_eq!(
        sizes(
            "NEW_AND_OLD_IMAGES",
            idk,
            vec![("PutItem", json!({"Item": {"id": s("id_value_1"), "numericFilter": n("42")}}))]
        ),
        vec![39]
    );
    // B "Zm9vYmFy" is 6 raw bytes: Keys 27 (2 + 25-char id) + NewImage 27 + 10 ("binaryData") + 6 = 43 → 70.
    assert_eq!(
        sizes(
            "NEW_AND_OLD_IMAGES",
            idk,
            vec![("PutItem", json!({"Item": {"id": s("abcdefghijklmnopqrstuvwxy"), "binaryData": {"B": "Zm9vYmFy"}}}))]
        ),
        vec![70]
    );
}

#[test]
fn size_bytes_value_sizes_per_6_3() {
    // NEW_IMAGE INSERT of {pk:"a", x:<v>} → Keys 3 + NewImage (3 + 1 + size(v)) = 7 + size(v).
    let cases: Vec<(Value, u64, &str)> = vec![
        (n("0"), 1, "§6.3 0 → 1"),
        (n("42"), 2, "§6.3 42 → 2"),
        (n("101"), 3, "§6.3 101 → 3"),
        (n("25.5"), 3, "§6.3 25.5 → 3"),
        (n("1.2"), 3, "§6.3 1.2 → 3"),
        (n("-7"), 3, "§6.3 -7 → 3"),
        (n("1000"), 2, "§6.3 1000 → 2"),
        (n("1.50"), 3, "canonical 1.5 (n=2, exp 0 even) → 1+1+1 = 3 by the §6.3 rule"),
        (n("12.34"), 3, "§6.3 rule: n=4, exponent 1 odd → 1+2 = 3"),
        (n("1.234"), 4, "§6.3 rule: n=4, exponent 0 even → 1+2+1 = 4"),
        (n("0.5"), 2, "§6.3 rule: n=1 → 2"),
        (n("0.12"), 2, "§6.3 rule: n=2, exponent -1 odd → 2"),
        (n("0.012"), 3, "§6.3 rule: n=2, exponent -2 even → 3"),
        (n("-12"), 3, "§6.3 rule: n=2, exponent 1 odd, negative → 1+1+1 = 3"),
        (n("-1.2"), 4, "§6.3 rule: n=2, exponent 0 even, negative → 1+1+1+1 = 4"),
        (n("123456"), 4, "§6.3 rule: n=6, exponent 5 odd → 4"),
        (n("1234567"), 5, "§6.3 rule: n=7 → 5"),
        (n("1E+125"), 2, "§6.3 rule: n=1 → 2"),
        (n("12345678901234567890123456789012345678"), 20, "§6.3 rule: n=38, exponent 37 odd → 20"),
        (n("100.5"), 4, "§6.3 rule: n=4, exponent 2 even → 4"),
        (s(""), 0, "§6.3 S = UTF-8 bytes"),
        (s("héllo"), 6, "§6.3 S = UTF-8 bytes (é is 2)"),
        (s("😀"), 4, "§6.3 S = UTF-8 bytes"),
        (json!({"B": "AAEC"}), 3, "§6.3 B = raw bytes"),
        (json!({"BOOL": false}), 1, "§6.3 BOOL 1"),
        (json!({"NULL": true}), 1, "§6.3 NULL 1"),
        (json!({"SS": ["ab", "c"]}), 3, "§6.3 sets = sum of members"),
        (json!({"NS": ["42", "101"]}), 5, "§6.3 sets = sum of members"),
        (json!({"L": []}), 3, "§6.3 empty L = 3"),
        (json!({"M": {}}), 3, "§6.3 empty M = 3"),
        (json!({"L": [s("ab"), n("42")]}), 3 + (1 + 2) + (1 + 2), "§6.3 L = 3 + Σ(1 + elem)"),
        (json!({"M": {"k": s("ab")}}), 3 + 1 + 1 + 2, "§6.3 M = 3 + Σ(1 + name + value)"),
    ];
    for (v, size, why) in cases {
        let got = sizes(
            "NEW_IMAGE",
            &[("pk", "S", "HASH")],
            vec![("PutItem", json!({"Item": {"pk": s("a"), "x": v.clone()}}))],
        );
        assert_eq!(got, vec![7 + size], "{why}: value {v}");
    }
    // §6.3 docs example: {"shirt-color":"R","shirt-size":"M"} = 23 bytes; as a NEW_IMAGE with
    // key {pk:"a"} (3): 3 + (3 + 23) = 29.
    assert_eq!(
        sizes(
            "NEW_IMAGE",
            &[("pk", "S", "HASH")],
            vec![("PutItem", json!({"Item": {"pk": s("a"), "shirt-color": s("R"), "shirt-size": s("M")}}))]
        ),
        vec![29]
    );
}

// ---------------------------------------------------------------------------------------------
// §1.3 key-only items and REMOVE-all-attributes
// ---------------------------------------------------------------------------------------------

#[test]
fn key_only_item_old_image_is_the_keys_not_absent() {
    // §1.3: a pre-existing key-only item yields an OldImage containing just the keys.
    let mut e = engine();
    create_orders(&mut e, "NEW_AND_OLD_IMAGES");
    let keys = json!({"pk": s("K"), "sk": s("S")});
    ok(&mut e, "PutItem", json!({"TableName": "Orders", "Item": keys}));
    ok(&mut e, "PutItem", json!({"TableName": "Orders", "Item": {"pk": s("K"), "sk": s("S"), "a": s("x")}}));
    ok(&mut e, "PutItem", json!({"TableName": "Orders", "Item": keys}));
    ok(&mut e, "DeleteItem", json!({"TableName": "Orders", "Key": keys}));
    let recs = records(&e, "Orders");
    let names: Vec<&str> = recs.iter().map(|r| r["eventName"].as_str().unwrap()).collect();
    assert_eq!(names, ["INSERT", "MODIFY", "MODIFY", "REMOVE"]);
    assert_av_eq(&recs[0]["dynamodb"]["NewImage"], &keys, "INSERT NewImage of key-only item");
    assert_av_eq(&recs[1]["dynamodb"]["OldImage"], &keys, "MODIFY OldImage of key-only item");
    assert_av_eq(&recs[2]["dynamodb"]["NewImage"], &keys, "MODIFY NewImage back to key-only");
    assert_av_eq(&recs[3]["dynamodb"]["OldImage"], &keys, "REMOVE OldImage of key-only item");
    // SizeBytes: keys = (2+1) + (2+1) = 6 → INSERT 6+6 = 12, REMOVE 12.
    assert_eq!(recs[0]["dynamodb"]["SizeBytes"], 12);
    assert_eq!(recs[3]["dynamodb"]["SizeBytes"], 12);
}

#[test]
fn update_remove_every_attribute_gives_modify_with_keys_only_new_image() {
    // §1.3: removing every non-key attribute with UpdateItem REMOVE → MODIFY, NewImage = keys.
    let mut e = engine();
    create_orders(&mut e, "NEW_AND_OLD_IMAGES");
    let keys = json!({"pk": s("ORDER#1"), "sk": s("META")});
    ok(
        &mut e,
        "PutItem",
        json!({"TableName": "Orders", "Item": {"pk": s("ORDER#1"), "sk": s("META"), "status": s("open"), "total": n("25.5")}}),
    );
    ok(
        &mut e,
        "UpdateItem",
        json!({"TableName": "Orders", "Key": keys, "UpdateExpression": "REMOVE #s, #t", "ExpressionAttributeNames": {"#s": "status", "#t": "total"}}),
    );
    let recs = records(&e, "Orders");
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[1]["eventName"], "MODIFY");
    assert_av_eq(&recs[1]["dynamodb"]["NewImage"], &keys, "NewImage is the keys only");
    assert_av_eq(
        &recs[1]["dynamodb"]["OldImage"],
        &json!({"pk": s("ORDER#1"), "sk": s("META"), "status": s("open"), "total": n("25.5")}),
        "OldImage",
    );
    // Keys 15 + NewImage 15 + OldImage 33 = 63 (§1.3 formula, §1.5 sizes).
    assert_eq!(recs[1]["dynamodb"]["SizeBytes"], 63);
}

#[test]
fn images_carry_canonical_numbers() {
    // §1.5 "N string of digits (canonical form, see §6.2)"; §6.2 "0025.50" → "25.5".
    let mut e = engine();
    create_orders(&mut e, "NEW_IMAGE");
    ok(
        &mut e,
        "PutItem",
        json!({"TableName": "Orders", "Item": {"pk": s("a"), "sk": s("b"), "t": n("0025.50"), "z": n("-0.0100")}}),
    );
    let r = &records(&e, "Orders")[0];
    assert_eq!(r["dynamodb"]["NewImage"]["t"], n("25.5"));
    assert_eq!(r["dynamodb"]["NewImage"]["z"], n("-0.01"));
}

// ---------------------------------------------------------------------------------------------
// §1.6 / §7 TTL deletions
// ---------------------------------------------------------------------------------------------

fn enable_ttl(e: &mut Engine, table: &str, attr: &str) {
    ok(
        e,
        "UpdateTimeToLive",
        json!({"TableName": table, "TimeToLiveSpecification": {"Enabled": true, "AttributeName": attr}}),
    );
}

fn get(e: &mut Engine, pk: &str) -> Option<Value> {
    let r = ok(e, "GetItem", json!({"TableName": "Sessions", "Key": {"pk": s(pk), "sk": s("META")}}));
    r.get("Item").cloned()
}

#[test]
fn ttl_deletion_record_has_user_identity_and_old_image() {
    let mut e = engine(); // ttl_delay_ms = 10 min
    create_table(&mut e, "Sessions", &[("pk", "S", "HASH"), ("sk", "S", "RANGE")], Some("NEW_AND_OLD_IMAGES"));
    enable_ttl(&mut e, "Sessions", "expiresAt");
    // expiresAt = START + 74 400 s; "1767300000" has 5 significant digits → 4 bytes, like §1.6.
    let expires = 1_767_300_000u64;
    let item = json!({"pk": s("SESSION#9"), "sk": s("META"), "expiresAt": n(&expires.to_string())});
    ok(&mut e, "PutItem", json!({"TableName": "Sessions", "Item": item}));

    // §7: expired but not yet deleted items are still returned by reads.
    e.advance_clock_ms((expires - START_S) * 1000 + 60_000);
    assert!(get(&mut e, "SESSION#9").is_some(), "1 minute after expiry (delay 10 min) the item is still there");
    // brief: deleted 10 simulated minutes after expiry.
    e.advance_clock_ms(10 * 60_000);
    assert!(get(&mut e, "SESSION#9").is_none(), "11 minutes after expiry the item is TTL-deleted");

    let recs = records(&e, "Sessions");
    assert_eq!(recs.len(), 2, "INSERT + TTL REMOVE");
    let r = &recs[1];
    assert_eq!(r["eventName"], "REMOVE");
    // §1.6: userIdentity {type: Service, principalId: dynamodb.amazonaws.com}.
    assert_eq!(r["userIdentity"], json!({"type": "Service", "principalId": "dynamodb.amazonaws.com"}));
    assert_eq!(r["eventVersion"], "1.1");
    assert_eq!(r["eventSource"], "aws:dynamodb");
    assert_av_eq(&r["dynamodb"]["Keys"], &json!({"pk": s("SESSION#9"), "sk": s("META")}), "Keys");
    assert_av_eq(&r["dynamodb"]["OldImage"], &item, "OldImage");
    assert!(r["dynamodb"].get("NewImage").is_none());
    // §1.6 example: SizeBytes 47 for this shape of item.
    assert_eq!(r["dynamodb"]["SizeBytes"], 47);
    // Record time = deletion time = expiry + 10 min (whole seconds).
    assert_eq!(r["dynamodb"]["ApproximateCreationDateTime"].as_f64().unwrap(), (expires + 600) as f64);
    // The INSERT has no userIdentity (§1.1: only TTL deletions).
    assert!(recs[0].get("userIdentity").is_none());
    // A user DeleteItem REMOVE does not have it either.
    ok(&mut e, "PutItem", json!({"TableName": "Sessions", "Item": {"pk": s("X"), "sk": s("META")}}));
    ok(&mut e, "DeleteItem", json!({"TableName": "Sessions", "Key": {"pk": s("X"), "sk": s("META")}}));
    let recs = records(&e, "Sessions");
    assert_eq!(recs.last().unwrap()["eventName"], "REMOVE");
    assert!(recs.last().unwrap().get("userIdentity").is_none());
}

#[test]
fn ttl_deletion_images_follow_view_type() {
    // §7: "a normal REMOVE stream record (OldImage per view type)".
    for (view, has_old) in
        [("KEYS_ONLY", false), ("NEW_IMAGE", false), ("OLD_IMAGE", true), ("NEW_AND_OLD_IMAGES", true)]
    {
        let mut e = engine();
        create_table(&mut e, "Sessions", &[("pk", "S", "HASH"), ("sk", "S", "RANGE")], Some(view));
        enable_ttl(&mut e, "Sessions", "exp");
        ok(
            &mut e,
            "PutItem",
            json!({"TableName": "Sessions", "Item": {"pk": s("a"), "sk": s("META"), "exp": n(&(START_S + 10).to_string())}}),
        );
        e.advance_clock_ms(3_600_000);
        let recs = records(&e, "Sessions");
        assert_eq!(recs.len(), 2, "{view}");
        let r = &recs[1];
        assert_eq!(r["eventName"], "REMOVE", "{view}");
        assert_eq!(r["userIdentity"]["type"], "Service", "{view}");
        assert_eq!(r["dynamodb"].get("OldImage").is_some(), has_old, "{view}");
        assert!(r["dynamodb"].get("NewImage").is_none(), "{view}");
    }
}

#[test]
fn ttl_eligibility_rules() {
    // §7: eligible only when the TTL attribute is a top-level N holding epoch seconds, the
    // time has passed, and it is not more than 5 years in the past. Strings, sets, ms values or
    // very old values are ignored.
    let year = 365 * 24 * 3600u64;
    let past = START_S - 100;
    let cases: Vec<(&str, Value, bool, &str)> = vec![
        ("n-past", n(&past.to_string()), true, "N seconds in the past → deleted"),
        ("n-future", n(&(START_S + 30 * 24 * 3600).to_string()), false, "N in the future (beyond the test) → kept"),
        ("n-4y", n(&(START_S - 4 * year).to_string()), true, "4 years in the past → deleted"),
        ("n-6y", n(&(START_S - 6 * year).to_string()), false, "more than 5 years in the past → ignored"),
        ("ms", n(&(past * 1000).to_string()), false, "milliseconds value (far future as seconds) → ignored"),
        ("string", s(&past.to_string()), false, "S value → ignored"),
        ("ns", json!({"NS": [past.to_string()]}), false, "number set → ignored"),
        ("list", json!({"L": [n(&past.to_string())]}), false, "list → ignored"),
        ("nested", json!({"M": {"exp": n(&past.to_string())}}), false, "not top-level (map) → ignored"),
        ("fraction", n(&format!("{past}.5")), true, "N with fraction is still an N of seconds [inferred]"),
    ];
    let mut e = engine();
    create_table(&mut e, "Sessions", &[("pk", "S", "HASH"), ("sk", "S", "RANGE")], Some("KEYS_ONLY"));
    enable_ttl(&mut e, "Sessions", "exp");
    for (pk, v, _, _) in &cases {
        ok(&mut e, "PutItem", json!({"TableName": "Sessions", "Item": {"pk": s(pk), "sk": s("META"), "exp": v}}));
    }
    // An item without the attribute at all is never deleted.
    ok(&mut e, "PutItem", json!({"TableName": "Sessions", "Item": {"pk": s("none"), "sk": s("META")}}));
    // Well past expiry + 10 min delay, but within the 24 h stream retention (§2.3).
    e.advance_clock_ms(20 * 3600 * 1000);
    for (pk, _, deleted, why) in &cases {
        assert_eq!(get(&mut e, pk).is_none(), *deleted, "{pk}: {why}");
    }
    assert!(get(&mut e, "none").is_some());
    let ttl_removes = records(&e, "Sessions")
        .iter()
        .filter(|r| r["eventName"] == "REMOVE" && r["userIdentity"]["principalId"] == "dynamodb.amazonaws.com")
        .count();
    assert_eq!(ttl_removes, cases.iter().filter(|c| c.2).count());
}

#[test]
fn ttl_disabled_table_deletes_nothing() {
    // §7: TTL is enabled per table; without it nothing expires.
    let mut e = engine();
    create_table(&mut e, "Sessions", &[("pk", "S", "HASH"), ("sk", "S", "RANGE")], Some("KEYS_ONLY"));
    ok(
        &mut e,
        "PutItem",
        json!({"TableName": "Sessions", "Item": {"pk": s("a"), "sk": s("META"), "exp": n(&(START_S - 10).to_string())}}),
    );
    e.advance_clock_ms(20 * 3600 * 1000);
    assert!(get(&mut e, "a").is_some());
    assert_eq!(records(&e, "Sessions").len(), 1);
}

#[test]
fn expired_item_can_be_updated_before_deletion() {
    // §7: "Expired-but-not-deleted items are still returned by reads and can be updated".
    // Extending the TTL before the sweeper runs keeps the item.
    let mut e = engine();
    create_table(&mut e, "Sessions", &[("pk", "S", "HASH"), ("sk", "S", "RANGE")], Some("KEYS_ONLY"));
    enable_ttl(&mut e, "Sessions", "exp");
    ok(
        &mut e,
        "PutItem",
        json!({"TableName": "Sessions", "Item": {"pk": s("a"), "sk": s("META"), "exp": n(&(START_S + 60).to_string())}}),
    );
    e.advance_clock_ms(120_000); // expired 60 s ago; deletion due at +660 s
    ok(
        &mut e,
        "UpdateItem",
        json!({"TableName": "Sessions", "Key": {"pk": s("a"), "sk": s("META")}, "UpdateExpression": "SET #e = :e", "ExpressionAttributeNames": {"#e": "exp"},
               "ExpressionAttributeValues": {":e": n(&(START_S + 10 * 24 * 3600).to_string())}}),
    );
    e.advance_clock_ms(3_600_000);
    assert!(get(&mut e, "a").is_some(), "re-extended item must not be deleted");
    let names: Vec<Value> = records(&e, "Sessions").iter().map(|r| r["eventName"].clone()).collect();
    assert_eq!(names, vec![json!("INSERT"), json!("MODIFY")]);
}

// ---------------------------------------------------------------------------------------------
// streams_output ordering, TTL extras, scenario replay
// ---------------------------------------------------------------------------------------------

#[test]
fn streams_output_keeps_per_item_order_across_shards_and_rollover() {
    // scenario-format "streams": records read from TRIM_HORIZON, parent shards before their
    // children; §2.2 per-item order = write order; SequenceNumber increasing within a shard.
    let mut e = engine_with(|c| {
        c.shards_per_stream = 2;
        c.shard_rollover_ms = 5 * 60_000;
    });
    create_orders(&mut e, "NEW_IMAGE");
    for round in 0..5 {
        for k in 0..6 {
            ok(
                &mut e,
                "PutItem",
                json!({"TableName": "Orders", "Item": {"pk": s(&format!("k{k}")), "sk": s("x"), "r": n(&round.to_string())}}),
            );
        }
        e.advance_clock_ms(5 * 60_000 + 1);
    }
    let recs = records(&e, "Orders");
    assert_eq!(recs.len(), 30);
    for k in 0..6 {
        let rounds: Vec<String> = recs
            .iter()
            .filter(|r| r["dynamodb"]["Keys"]["pk"]["S"] == format!("k{k}").as_str())
            .map(|r| r["dynamodb"]["NewImage"]["r"]["N"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(rounds, ["0", "1", "2", "3", "4"], "k{k}");
    }
    // Same records as the Streams API gives (order between shards is free).
    let key = |r: &Value| r["eventID"].as_str().unwrap().to_string();
    let mut a: Vec<Value> = recs.clone();
    let mut b = records_via_api(&mut e, "Orders");
    a.sort_by_key(key);
    b.sort_by_key(key);
    assert_eq!(a, b);
}

#[test]
fn ttl_on_table_without_stream_still_deletes() {
    // §7: TTL deletes the item; with no stream there is simply no record.
    let mut e = engine();
    create_table(&mut e, "Sessions", &[("pk", "S", "HASH"), ("sk", "S", "RANGE")], None);
    enable_ttl(&mut e, "Sessions", "exp");
    ok(
        &mut e,
        "PutItem",
        json!({"TableName": "Sessions", "Item": {"pk": s("a"), "sk": s("META"), "exp": n(&(START_S - 1).to_string())}}),
    );
    e.advance_clock_ms(3_600_000);
    assert!(get(&mut e, "a").is_none());
    assert_eq!(e.streams_output(), json!([]));
}

#[test]
fn ttl_settings_api() {
    // §7: one TTL attribute per table; changing it requires disable + enable. Real AWS:
    // UpdateTimeToLive echoes TimeToLiveSpecification; DescribeTimeToLive reports
    // TimeToLiveStatus (ENABLED/ENABLING, DISABLED) and AttributeName; re-enabling with another
    // attribute → ValidationException.
    let mut e = engine();
    create_table(&mut e, "Sessions", &[("pk", "S", "HASH"), ("sk", "S", "RANGE")], None);
    let d = ok(&mut e, "DescribeTimeToLive", json!({"TableName": "Sessions"}));
    assert_eq!(d["TimeToLiveDescription"]["TimeToLiveStatus"], "DISABLED");
    let r = ok(
        &mut e,
        "UpdateTimeToLive",
        json!({"TableName": "Sessions", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}}),
    );
    assert_eq!(r["TimeToLiveSpecification"], json!({"Enabled": true, "AttributeName": "exp"}));
    let d = ok(&mut e, "DescribeTimeToLive", json!({"TableName": "Sessions"}));
    assert!(["ENABLED", "ENABLING"].contains(&d["TimeToLiveDescription"]["TimeToLiveStatus"].as_str().unwrap()), "{d}");
    assert_eq!(d["TimeToLiveDescription"]["AttributeName"], "exp");
    let er = err(
        &mut e,
        "UpdateTimeToLive",
        json!({"TableName": "Sessions", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "other"}}),
    );
    assert_eq!(er.kind, "ValidationException");
    let er = err(
        &mut e,
        "UpdateTimeToLive",
        json!({"TableName": "Nope", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}}),
    );
    assert_eq!(er.kind, "ResourceNotFoundException");
    // Disabling stops deletions.
    ok(
        &mut e,
        "UpdateTimeToLive",
        json!({"TableName": "Sessions", "TimeToLiveSpecification": {"Enabled": false, "AttributeName": "exp"}}),
    );
    ok(
        &mut e,
        "PutItem",
        json!({"TableName": "Sessions", "Item": {"pk": s("a"), "sk": s("META"), "exp": n(&(START_S - 1).to_string())}}),
    );
    e.advance_clock_ms(3_600_000);
    assert!(get(&mut e, "a").is_some());
}

#[test]
fn replay_of_the_scenario_format_example() {
    // scenario-format.md "A complete small example": three records — INSERT ana (NewImage
    // only), INSERT ben, REMOVE ana (OldImage only) — with Keys {voter}, eventVersion "1.1",
    // eventSource "aws:dynamodb", awsRegion "us-east-1".
    let text = r#"{
      "description": "Two votes and a retraction",
      "steps": [
        {"CreateTable": {"TableName": "Votes",
          "KeySchema": [{"AttributeName": "voter", "KeyType": "HASH"}],
          "AttributeDefinitions": [{"AttributeName": "voter", "AttributeType": "S"}],
          "BillingMode": "PAY_PER_REQUEST",
          "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}},
        {"PutItem": {"TableName": "Votes", "Item": {"voter": {"S": "ana"}, "choice": {"S": "tea"}}}},
        {"PutItem": {"TableName": "Votes", "Item": {"voter": {"S": "ben"}, "choice": {"S": "coffee"}}}},
        {"DeleteItem": {"TableName": "Votes", "Key": {"voter": {"S": "ana"}}}},
        {"PutItem": {"TableName": "Votes", "Item": {"voter": {"S": "cy"}}, "ConditionExpression": "attribute_exists(voter)"}}
      ]
    }"#;
    let out = streamlab::scenario::replay(text).unwrap();
    assert_eq!(out, streamlab::scenario::replay(text).unwrap(), "same file → same output");
    let res = out["results"].as_array().unwrap();
    assert_eq!(res.len(), 5);
    for (i, r) in res.iter().enumerate().take(4) {
        assert_eq!(r["step"], i);
        assert_eq!(r["ok"], true, "{r}");
    }
    assert_eq!(res[1]["action"], "PutItem");
    assert_eq!(res[4]["ok"], false);
    assert_eq!(res[4]["error"]["type"], "ConditionalCheckFailedException");
    assert_eq!(res[4]["error"]["message"], "The conditional request failed");
    let streams = out["streams"].as_array().unwrap();
    assert_eq!(streams.len(), 1);
    assert_eq!(streams[0]["TableName"], "Votes");
    assert_eq!(streams[0]["StreamViewType"], "NEW_AND_OLD_IMAGES");
    let recs = streams[0]["Records"].as_array().unwrap();
    let got: Vec<(&str, &str, bool, bool)> = recs
        .iter()
        .map(|r| {
            (
                r["eventName"].as_str().unwrap(),
                r["dynamodb"]["Keys"]["voter"]["S"].as_str().unwrap(),
                r["dynamodb"].get("NewImage").is_some(),
                r["dynamodb"].get("OldImage").is_some(),
            )
        })
        .collect();
    assert_eq!(got, [("INSERT", "ana", true, false), ("INSERT", "ben", true, false), ("REMOVE", "ana", false, true)]);
    for r in recs {
        assert_eq!(r["eventVersion"], "1.1");
        assert_eq!(r["eventSource"], "aws:dynamodb");
        assert_eq!(r["awsRegion"], "us-east-1");
    }
}

#[test]
fn replay_options_and_malformed_files() {
    // scenario-format "Input": region, seed, startTime are honoured.
    let text = |region: &str, seed: u64| {
        format!(
            r#"{{"region": "{region}", "seed": {seed}, "startTime": "2024-06-20T16:00:00Z", "steps": [
              {{"CreateTable": {{"TableName": "Orders", "KeySchema": [{{"AttributeName": "pk", "KeyType": "HASH"}}],
                "AttributeDefinitions": [{{"AttributeName": "pk", "AttributeType": "S"}}], "BillingMode": "PAY_PER_REQUEST",
                "StreamSpecification": {{"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}}}}},
              {{"AdvanceClock": {{"Seconds": 90}}}},
              {{"PutItem": {{"TableName": "Orders", "Item": {{"pk": {{"S": "a"}}}}}}}}
            ]}}"#
        )
    };
    let a = streamlab::scenario::replay(&text("eu-west-1", 7)).unwrap();
    let s0 = &a["streams"][0];
    assert_eq!(s0["StreamArn"], "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2024-06-20T16:00:00.000");
    let r = &s0["Records"][0];
    assert_eq!(r["awsRegion"], "eu-west-1");
    assert_eq!(r["dynamodb"]["ApproximateCreationDateTime"].as_f64().unwrap(), 1_718_899_290.0);
    let b = streamlab::scenario::replay(&text("eu-west-1", 8)).unwrap();
    assert_ne!(r["eventID"], b["streams"][0]["Records"][0]["eventID"], "seed drives eventIDs");
    // Not a scenario at all → Err (bad JSON with position, unknown action, two keys in a step).
    for bad in ["{not json", r#"{"steps": [{"Frobnicate": {}}]}"#, r#"{"steps": [{"PutItem": {}, "GetItem": {}}]}"#] {
        assert!(streamlab::scenario::replay(bad).is_err(), "{bad}");
    }
}

#[test]
fn ttl_delay_boundary_and_user_delete_before_sweep() {
    // Brief / EngineConfig: items are TTL-deleted ttl_delay_ms (10 min) after their expiry.
    let mut e = engine();
    create_table(&mut e, "Sessions", &[("pk", "S", "HASH"), ("sk", "S", "RANGE")], Some("KEYS_ONLY"));
    enable_ttl(&mut e, "Sessions", "exp");
    let exp = START_S + 100;
    ok(
        &mut e,
        "PutItem",
        json!({"TableName": "Sessions", "Item": {"pk": s("a"), "sk": s("META"), "exp": n(&exp.to_string())}}),
    );
    ok(
        &mut e,
        "PutItem",
        json!({"TableName": "Sessions", "Item": {"pk": s("u"), "sk": s("META"), "exp": n(&exp.to_string())}}),
    );
    e.advance_clock_ms((100 + 600) * 1000 - 1_000); // expiry + 9 min 59 s
    assert!(get(&mut e, "a").is_some(), "not yet deleted at expiry + 9:59");
    // The user deletes "u" before the sweeper gets to it: one user REMOVE, no TTL REMOVE later.
    ok(&mut e, "DeleteItem", json!({"TableName": "Sessions", "Key": {"pk": s("u"), "sk": s("META")}}));
    e.advance_clock_ms(2_000); // expiry + 10:01
    assert!(get(&mut e, "a").is_none(), "deleted by expiry + 10:01");
    e.advance_clock_ms(3_600_000);
    let recs = records(&e, "Sessions");
    let summary: Vec<(String, String, bool)> = recs
        .iter()
        .map(|r| {
            (
                r["eventName"].as_str().unwrap().to_string(),
                r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap().to_string(),
                r.get("userIdentity").is_some(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("INSERT".into(), "a".into(), false),
            ("INSERT".into(), "u".into(), false),
            ("REMOVE".into(), "u".into(), false),
            ("REMOVE".into(), "a".into(), true),
        ]
    );
}
