//! Record-level fields (§1.1), eventIDs, sequence numbers and ApproximateCreationDateTime
//! ("Decisions" table, §1.3), the types GetRecords gives them, and the order of records.
//!
//! Every expected value comes from the spec (section cited) or, where noted, from documented real
//! DynamoDB behaviour. Nothing here was copied from the engine's output.

use crate::common::streams::{create, latest_arn, put_item, read_stream, records, records_via_api};
use crate::common::{engine, engine_with, n, ok, s, seq_lt, START_S};
use serde_json::{json, Value};

fn event_ids(seed: u64) -> Vec<String> {
    let mut e = engine_with(|c| c.seed = seed);
    create(&mut e, "Orders", Some("KEYS_ONLY"));
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
fn record_metadata_fields() {
    for region in ["us-east-1", "eu-west-1"] {
        let mut e = engine_with(|c| c.region = region.to_string());
        create(&mut e, "Orders", Some("NEW_AND_OLD_IMAGES"));
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
    create(&mut e, "Orders", Some("KEYS_ONLY"));
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
    create(&mut e, "Orders", Some("KEYS_ONLY"));
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

#[test]
fn streams_output_keeps_per_item_order_across_shards_and_rollover() {
    // scenario-format "streams": records read from TRIM_HORIZON, parent shards before their
    // children; §2.2 per-item order = write order; SequenceNumber increasing within a shard.
    let mut e = engine_with(|c| {
        c.shards_per_stream = 2;
        c.shard_rollover_ms = 5 * 60_000;
    });
    create(&mut e, "Orders", Some("NEW_IMAGE"));
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
fn get_records_wire_types() {
    // §1.3 / Decisions: in GetRecords, ApproximateCreationDateTime is a JSON number of whole
    // seconds, SequenceNumber a string of digits, SizeBytes a number; §1.5 N values are strings.
    let mut e = engine();
    create(&mut e, "Orders", Some("NEW_IMAGE"));
    let arn = latest_arn(&mut e, "Orders");
    e.advance_clock_ms(1_999);
    put_item(&mut e, "Orders", json!({"pk": s("A"), "sk": s("S"), "n": n("007.50")}));
    let r = &read_stream(&mut e, &arn)[0];
    assert_eq!(r["dynamodb"]["ApproximateCreationDateTime"].as_f64(), Some((START_S + 1) as f64));
    assert!(r["dynamodb"]["SequenceNumber"].is_string());
    assert!(r["dynamodb"]["SizeBytes"].is_u64());
    assert_eq!(r["dynamodb"]["NewImage"]["n"], json!({"N": "7.5"}));
    assert!(r.get("eventSourceARN").is_none());
}
