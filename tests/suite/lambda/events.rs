//! The Lambda event (§1.2): its shape, the records of the §1.5 scenario as Lambda delivers them,
//! one shard per invocation.

use crate::common::lambda::*;
use crate::common::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn lambda_event_shape() {
    // §1.2: same fields as GetRecords plus eventSourceARN; ApproximateCreationDateTime a float
    // with .0 (Decisions table); eventVersion "1.1"; userIdentity only on TTL deletes.
    let mut e = engine();
    let arn = table(&mut e, "Orders", "NEW_AND_OLD_IMAGES");
    function(&mut e, "f", "");
    mapping(&mut e, "Orders", "f", json!({}));
    put(&mut e, "Orders", "a", 1);
    advance(&mut e, 1.0);
    let all = invs(&e);
    assert_eq!(all.len(), 1);
    let inv = &all[0];
    assert_eq!(inv["FunctionName"], "f");
    assert!(is_uuid(inv["UUID"].as_str().unwrap()));
    assert_eq!(inv["Attempt"], 1);
    assert_eq!(outcome(inv), "Success");
    // Poll model: the next 250 ms slot after the write at T0.
    assert_eq!(time(inv), T0 + 0.25);
    assert_eq!(keys(&inv["Event"]), set(&["Records"]), "no tumbling-window members without windows");
    let recs = records(inv);
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(
        keys(r),
        set(&["eventID", "eventName", "eventVersion", "eventSource", "awsRegion", "dynamodb", "eventSourceARN"])
    );
    assert_eq!(r["eventSourceARN"], json!(arn));
    assert_eq!(r["eventName"], "INSERT");
    assert_eq!(r["eventVersion"], "1.1");
    assert_eq!(r["eventSource"], "aws:dynamodb");
    assert_eq!(r["awsRegion"], "us-east-1");
    let id = r["eventID"].as_str().unwrap();
    assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{id}");
    let d = &r["dynamodb"];
    assert!(d["ApproximateCreationDateTime"].is_f64(), "{}", d["ApproximateCreationDateTime"]);
    assert_eq!(d["ApproximateCreationDateTime"].as_f64().unwrap(), T0);
    let text = serde_json::to_string(&inv["Event"]).unwrap();
    assert!(text.contains("\"ApproximateCreationDateTime\":1767225600.0"), "{text}");
    assert_eq!(d["Keys"], json!({"pk": {"S": "a"}}));
    assert_eq!(d["NewImage"], json!({"pk": {"S": "a"}, "v": {"N": "1"}}));
    assert!(d.get("OldImage").is_none());
    assert_eq!(d["StreamViewType"], "NEW_AND_OLD_IMAGES");
    let seq = d["SequenceNumber"].as_str().unwrap();
    assert!((21..=40).contains(&seq.len()) && seq.bytes().all(|b| b.is_ascii_digit()), "{seq}");
    // The same record as GetRecords gives it, apart from eventSourceARN (§1.2).
    let streams = e.streams_output();
    let srec = &streams[0]["Records"][0];
    for k in ["eventID", "eventName", "eventVersion", "eventSource", "awsRegion"] {
        assert_eq!(srec[k], r[k], "{k}");
    }
    for k in ["Keys", "NewImage", "SequenceNumber", "SizeBytes", "StreamViewType"] {
        assert_eq!(srec["dynamodb"][k], d[k], "{k}");
    }
    assert!(srec.get("eventSourceARN").is_none());
}

#[test]
fn records_of_one_invocation_come_from_one_shard() {
    // §1.2: all records in one invocation come from a single shard.
    let mut e = engine_with(|c| c.shards_per_stream = 4);
    let arn = table(&mut e, "Tbl", "KEYS_ONLY");
    function(&mut e, "f", "");
    mapping(&mut e, "Tbl", "f", json!({}));
    for i in 0..40 {
        put(&mut e, "Tbl", &format!("k{i}"), i);
    }
    advance(&mut e, 5.0);
    // Which shard holds which record, from the Streams API.
    let desc = ok(&mut e, "DescribeStream", json!({"StreamArn": arn}));
    let mut shard_of = BTreeMap::new();
    for sh in desc["StreamDescription"]["Shards"].as_array().unwrap() {
        let sid = sh["ShardId"].as_str().unwrap().to_string();
        let it = ok(
            &mut e,
            "GetShardIterator",
            json!({"StreamArn": arn, "ShardId": sid, "ShardIteratorType": "TRIM_HORIZON"}),
        );
        let recs = ok(&mut e, "GetRecords", json!({"ShardIterator": it["ShardIterator"]}));
        for r in recs["Records"].as_array().unwrap() {
            shard_of.insert(r["eventID"].as_str().unwrap().to_string(), sid.clone());
        }
    }
    assert_eq!(shard_of.len(), 40);
    let all = invs(&e);
    let mut seen = 0;
    let mut shards_used = BTreeSet::new();
    for inv in &all {
        for r in records(inv) {
            assert_eq!(shard_of[r["eventID"].as_str().unwrap()], inv["ShardId"].as_str().unwrap());
            seen += 1;
        }
        shards_used.insert(inv["ShardId"].as_str().unwrap().to_string());
    }
    assert_eq!(seen, 40);
    assert!(shards_used.len() > 1, "40 keys over 4 shards should use more than one shard");
}

#[test]
fn section_1_5_records_as_delivered_to_lambda() {
    // §1.2: each element has the §1.1 fields plus eventSourceARN; §1.5 NEW_AND_OLD_IMAGES
    // example (eventIDs, sequence numbers and times are the simulator's own).
    let mut e = engine();
    let arn = orders_table(&mut e);
    function(&mut e, "f", "");
    mapping(&mut e, "Orders", "f", json!({}));
    orders_scenario(&mut e);
    let recs: Vec<Value> = invs(&e).iter().flat_map(records).collect();
    assert_eq!(recs.len(), 3);
    let keys = json!({"pk": {"S": "ORDER#1"}, "sk": {"S": "META"}});
    let v1 = json!({"pk": {"S": "ORDER#1"}, "sk": {"S": "META"}, "status": {"S": "open"}, "total": {"N": "25.5"}});
    let v2 = json!({"pk": {"S": "ORDER#1"}, "sk": {"S": "META"}, "status": {"S": "shipped"}, "total": {"N": "25.5"}, "tags": {"SS": ["gift"]}});
    let expect = [
        ("INSERT", Some(&v1), None, 48, T0),
        ("MODIFY", Some(&v2), Some(&v1), 92, T0 + 60.0),
        ("REMOVE", None, Some(&v2), 59, T0 + 120.0),
    ];
    let mut last_seq = 0u128;
    for (r, (name, new, old, size, at)) in recs.iter().zip(expect) {
        let fields: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        let mut fields = fields;
        fields.sort();
        assert_eq!(
            fields,
            ["awsRegion", "dynamodb", "eventID", "eventName", "eventSource", "eventSourceARN", "eventVersion"],
            "{r}"
        );
        assert_eq!(r["eventName"], name);
        assert_eq!(r["eventVersion"], "1.1");
        assert_eq!(r["eventSource"], "aws:dynamodb");
        assert_eq!(r["awsRegion"], "us-east-1");
        assert_eq!(r["eventSourceARN"], json!(arn));
        let d = &r["dynamodb"];
        assert_av_eq(&d["Keys"], &keys, "Keys");
        match new {
            Some(img) => assert_av_eq(&d["NewImage"], img, "NewImage"),
            None => assert!(d.get("NewImage").is_none(), "{name}: no NewImage"),
        }
        match old {
            Some(img) => assert_av_eq(&d["OldImage"], img, "OldImage"),
            None => assert!(d.get("OldImage").is_none(), "{name}: no OldImage"),
        }
        assert_eq!(d["SizeBytes"], size, "{name} SizeBytes");
        assert_eq!(d["StreamViewType"], "NEW_AND_OLD_IMAGES");
        assert!(d["ApproximateCreationDateTime"].is_f64());
        assert_eq!(d["ApproximateCreationDateTime"].as_f64().unwrap(), at);
        let seq: u128 = d["SequenceNumber"].as_str().unwrap().parse().unwrap();
        assert!(seq > last_seq, "increasing sequence numbers");
        last_seq = seq;
    }
}

#[test]
fn event_ids_are_deterministic_for_a_seed() {
    // Decisions table: eventID is 32 lowercase hex characters, unique, deterministic for a seed.
    let run = |seed: u64| {
        let mut e = engine_with(|c| c.seed = seed);
        table(&mut e, "Tbl", "KEYS_ONLY");
        function(&mut e, "f", "");
        mapping(&mut e, "Tbl", "f", json!({}));
        for i in 0..20 {
            put(&mut e, "Tbl", &format!("k{i}"), i);
        }
        advance(&mut e, 2.0);
        invs(&e).iter().flat_map(records).map(|r| r["eventID"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    let a = run(7);
    assert_eq!(a.len(), 20);
    assert_eq!(a, run(7));
    let unique: std::collections::BTreeSet<&String> = a.iter().collect();
    assert_eq!(unique.len(), 20);
    assert!(a.iter().all(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))));
}
