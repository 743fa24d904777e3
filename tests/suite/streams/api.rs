//! The Streams API (§3): ListStreams (§3.1), DescribeStream (§3.2), GetShardIterator (§3.3),
//! GetRecords (§3.4) and their request validation (§3.6).

use super::{advance, drain, get_records, it, no_rollover, pks, put, seq, shard_ids, shards};
use crate::common::streams::{create, describe, disable, enable, latest_arn, put_item};
use crate::common::{assert_err, engine, engine_with, err, ok, s, MIN};
use serde_json::{json, Value};
use streamlab::Engine;

/// Stream with three records a, b, c in one shard; returns (engine, arn, shard, seqs).
fn abc() -> (Engine, String, String, Vec<String>) {
    let mut e = no_rollover();
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    for p in ["a", "b", "c"] {
        put(&mut e, "Orders", p, "1");
    }
    let shard = shard_ids(&mut e, &arn).remove(0);
    let i = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    let seqs = drain(&mut e, i).0.iter().map(seq).collect();
    (e, arn, shard, seqs)
}

fn one_shard(e: &mut Engine) -> (String, String, String) {
    create(e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(e, "Orders");
    put_item(e, "Orders", json!({"pk": s("A"), "sk": s("S")}));
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

/// An iterator in the simulator's format, for a position and issue time of our choosing.
fn forged_iterator(arn: &str, shard: &str, position: u128, issued_ms: u64) -> String {
    let body = format!("{shard}/{position}/{issued_ms}");
    let check = streamlab::internals::fnv1a(format!("{arn}|{body}").as_bytes());
    let hex: String = format!("{body}/{check:016x}").bytes().map(|b| format!("{b:02x}")).collect();
    format!("{arn}|1|{hex}")
}

#[test]
fn list_streams_rules() {
    let mut e = engine();
    create(&mut e, "Plain", None);
    // Table without streams → {"Streams": []}.
    assert_eq!(ok(&mut e, "ListStreams", json!({"TableName": "Plain"})), json!({"Streams": []}));
    for (i, t) in ["Alpha", "Beta", "Gamma"].iter().enumerate() {
        e.advance_clock_ms(1_000 * i as u64);
        create(&mut e, t, Some("KEYS_ONLY"));
    }
    let all = ok(&mut e, "ListStreams", json!({}));
    let streams = all["Streams"].as_array().unwrap();
    assert_eq!(streams.len(), 3);
    assert!(all.get("LastEvaluatedStreamArn").is_none());
    for st in streams {
        let t = st["TableName"].as_str().unwrap().to_string();
        assert_eq!(st["StreamArn"], latest_arn(&mut e, &t).as_str());
        assert!(st["StreamArn"].as_str().unwrap().ends_with(st["StreamLabel"].as_str().unwrap()));
        let mut keys: Vec<&str> = st.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        keys.sort();
        assert_eq!(keys, ["StreamArn", "StreamLabel", "TableName"]);
    }
    let beta = ok(&mut e, "ListStreams", json!({"TableName": "Beta"}))["Streams"].clone();
    assert_eq!(beta.as_array().unwrap().len(), 1);
    assert_eq!(beta[0]["TableName"], "Beta");
    // Pagination: LastEvaluatedStreamArn present = maybe more; only its absence proves the end.
    let mut seen = vec![];
    let mut req = json!({"Limit": 1});
    for _ in 0..10 {
        let page = ok(&mut e, "ListStreams", req.clone());
        let got = page["Streams"].as_array().unwrap();
        assert!(got.len() <= 1);
        seen.extend(got.iter().map(|s| s["StreamArn"].as_str().unwrap().to_string()));
        match page.get("LastEvaluatedStreamArn") {
            Some(l) => req = json!({"Limit": 1, "ExclusiveStartStreamArn": l}),
            None => break,
        }
    }
    let mut want: Vec<String> = streams.iter().map(|s| s["StreamArn"].as_str().unwrap().to_string()).collect();
    want.sort();
    seen.sort();
    assert_eq!(seen, want);
    // Limit 0 or > 100 → ValidationException; malformed ExclusiveStartStreamArn → ValidationException.
    assert_err(&mut e, "ListStreams", json!({"Limit": 0}), "ValidationException");
    assert_err(&mut e, "ListStreams", json!({"Limit": 101}), "ValidationException");
    ok(&mut e, "ListStreams", json!({"Limit": 100}));
    assert_err(&mut e, "ListStreams", json!({"ExclusiveStartStreamArn": "not-an-arn"}), "ValidationException");
    // TableName constraint 3–255 chars [a-zA-Z0-9_.-]+ (§3.1).
    assert_err(&mut e, "ListStreams", json!({"TableName": "ab"}), "ValidationException");
    assert_err(&mut e, "ListStreams", json!({"TableName": "bad name!"}), "ValidationException");
}

#[test]
fn describe_stream_pagination_and_errors() {
    let mut e = engine_with(|c| c.shards_per_stream = 3);
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    let ids = shard_ids(&mut e, &arn);
    assert_eq!(ids.len(), 3);
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "ascending ShardId order");
    let d = describe(&mut e, &arn);
    assert!(d.get("LastEvaluatedShardId").is_none(), "absent on the last page");

    // Limit 1 pages through every shard.
    let mut seen = vec![];
    let mut req = json!({"StreamArn": arn, "Limit": 1});
    for _ in 0..10 {
        let p = ok(&mut e, "DescribeStream", req.clone())["StreamDescription"].clone();
        let got = p["Shards"].as_array().unwrap();
        assert!(got.len() <= 1);
        seen.extend(got.iter().map(|s| s["ShardId"].as_str().unwrap().to_string()));
        match p.get("LastEvaluatedShardId") {
            Some(l) => req = json!({"StreamArn": arn, "Limit": 1, "ExclusiveStartShardId": l}),
            None => break,
        }
    }
    assert_eq!(seen, ids);
    // ExclusiveStartShardId = last shard → empty list; unknown shard id → empty list, no error.
    let p = ok(&mut e, "DescribeStream", json!({"StreamArn": arn, "ExclusiveStartShardId": ids[2]}));
    assert_eq!(p["StreamDescription"]["Shards"], json!([]));
    // Limit 1–100.
    assert_err(&mut e, "DescribeStream", json!({"StreamArn": arn, "Limit": 0}), "ValidationException");
    assert_err(&mut e, "DescribeStream", json!({"StreamArn": arn, "Limit": 101}), "ValidationException");
    // Unknown (well-formed) ARN → ResourceNotFoundException with the observed message.
    let unknown = "arn:aws:dynamodb:us-east-1:123456789012:table/Nope/stream/2026-01-01T00:00:00.000";
    let er = assert_err(&mut e, "DescribeStream", json!({ "StreamArn": unknown }), "ResourceNotFoundException");
    assert_eq!(er.message, format!("Requested resource not found: Stream: {unknown} not found"));
    // Malformed ARN → ValidationException.
    assert_err(&mut e, "DescribeStream", json!({"StreamArn": "garbage"}), "ValidationException");
    assert_err(&mut e, "DescribeStream", json!({}), "ValidationException");
}

#[test]
fn describe_stream_unknown_exclusive_start_shard_id_gives_empty_list() {
    // §3.2 (O): "an ExclusiveStartShardId that does not exist → empty list, no error".
    let mut e = engine_with(|c| c.shards_per_stream = 3);
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    let p = ok(
        &mut e,
        "DescribeStream",
        json!({"StreamArn": arn, "ExclusiveStartShardId": "shardId-00000000000000000000-00000000"}),
    );
    assert_eq!(p["StreamDescription"]["Shards"], json!([]));
}

#[test]
fn shard_iterator_types() {
    let (mut e, arn, shard, seqs) = abc();
    let cases: Vec<(&str, Option<&str>, Vec<&str>)> = vec![
        ("TRIM_HORIZON", None, vec!["a", "b", "c"]),
        ("LATEST", None, vec![]),
        ("AT_SEQUENCE_NUMBER", Some(&seqs[1]), vec!["b", "c"]),
        ("AFTER_SEQUENCE_NUMBER", Some(&seqs[1]), vec!["c"]),
        ("AFTER_SEQUENCE_NUMBER", Some(&seqs[2]), vec![]),
        ("AT_SEQUENCE_NUMBER", Some(&seqs[0]), vec!["a", "b", "c"]),
    ];
    for (ty, sq, want) in cases {
        let i = it(&mut e, &arn, &shard, ty, sq);
        assert!(!i.is_empty() && i.len() <= 2048, "iterator length 1–2048 (§0)");
        let (recs, next) = drain(&mut e, i);
        assert_eq!(pks(&recs), want, "{ty} {sq:?}");
        assert!(next.is_some(), "open shard always returns NextShardIterator");
    }
    // AT_SEQUENCE_NUMBER with the shard's StartingSequenceNumber reads everything (§3.3).
    let start = shards(&mut e, &arn)[0]["SequenceNumberRange"]["StartingSequenceNumber"].as_str().unwrap().to_string();
    let i = it(&mut e, &arn, &shard, "AT_SEQUENCE_NUMBER", Some(&start));
    assert_eq!(pks(&drain(&mut e, i).0), ["a", "b", "c"]);
}

#[test]
fn latest_sees_only_future_records() {
    let (mut e, arn, shard, _) = abc();
    let i = it(&mut e, &arn, &shard, "LATEST", None);
    let r = get_records(&mut e, &i, None).unwrap();
    assert_eq!(r["Records"], json!([]), "empty array, not missing (§3.4)");
    let next = r["NextShardIterator"].as_str().unwrap().to_string();
    put(&mut e, "Orders", "d", "1");
    let (recs, _) = drain(&mut e, next);
    assert_eq!(pks(&recs), ["d"]);
    // A LATEST iterator taken before the write, read after it, also sees it (no quirk by default).
    let i = it(&mut e, &arn, &shard, "LATEST", None);
    put(&mut e, "Orders", "e", "1");
    assert_eq!(pks(&drain(&mut e, i).0), ["e"]);
}

#[test]
fn shard_iterator_errors() {
    let (mut e, arn, shard, seqs) = abc();
    let v = "ValidationException";
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AT_SEQUENCE_NUMBER"}),
            v,
            "AT without SequenceNumber",
        ),
        (
            json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AFTER_SEQUENCE_NUMBER"}),
            v,
            "AFTER without SequenceNumber",
        ),
        (
            json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON", "SequenceNumber": seqs[0]}),
            v,
            "TRIM_HORIZON with SequenceNumber",
        ),
        (
            json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "LATEST", "SequenceNumber": seqs[0]}),
            v,
            "LATEST with SequenceNumber",
        ),
        (json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AT_TIMESTAMP"}), v, "invalid enum"),
        (json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "trim_horizon"}), v, "enum is case-sensitive"),
        (
            json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": "abc"}),
            v,
            "non-numeric sequence number",
        ),
        (
            json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": "12345678901234567890x"}),
            v,
            "non-numeric sequence number (21 chars)",
        ),
        (
            json!({"StreamArn": arn, "ShardId": "shardId-00000000000000000000-00000000", "ShardIteratorType": "TRIM_HORIZON"}),
            "ResourceNotFoundException",
            "unknown ShardId on a valid stream",
        ),
        (
            json!({"StreamArn": "arn:aws:dynamodb:us-east-1:123456789012:table/Nope/stream/2026-01-01T00:00:00.000", "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}),
            "ResourceNotFoundException",
            "unknown stream",
        ),
        (json!({"StreamArn": "garbage", "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}), v, "malformed ARN"),
        (json!({"StreamArn": arn, "ShardIteratorType": "TRIM_HORIZON"}), v, "missing ShardId"),
    ];
    for (req, kind, why) in cases {
        let er = e.call("GetShardIterator", &req).unwrap_err();
        assert_eq!(er.kind, kind, "{why}: {}", er.message);
    }
}

#[test]
fn get_records_limit() {
    let mut e = no_rollover();
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    for i in 0..7 {
        put(&mut e, "Orders", &format!("p{i}"), "1");
    }
    let shard = shard_ids(&mut e, &arn).remove(0);
    let mut i = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    let mut sizes = vec![];
    let mut got = vec![];
    for _ in 0..5 {
        let r = get_records(&mut e, &i, Some(3)).unwrap();
        let recs = r["Records"].as_array().unwrap();
        sizes.push(recs.len());
        got.extend(pks(recs));
        i = r["NextShardIterator"].as_str().unwrap().to_string();
    }
    assert_eq!(sizes, [3, 3, 1, 0, 0]);
    assert_eq!(got, (0..7).map(|i| format!("p{i}")).collect::<Vec<_>>());
    // Limit 1–1000; > 1000 → ValidationException (Decisions); 0 → ValidationException.
    let i = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    for bad in [0u64, 1001] {
        let er = get_records(&mut e, &i, Some(bad)).unwrap_err();
        assert_eq!(er.kind, "ValidationException", "Limit {bad}");
    }
    assert_eq!(get_records(&mut e, &i, Some(1000)).unwrap()["Records"].as_array().unwrap().len(), 7);
}

#[test]
fn get_records_at_most_1000_records_per_call() {
    // §3.4: at most 1000 records per call even without Limit.
    let mut e = no_rollover();
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    for i in 0..1005 {
        put(&mut e, "Orders", &format!("p{i}"), "1");
    }
    let shard = shard_ids(&mut e, &arn).remove(0);
    let i = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    let r = get_records(&mut e, &i, None).unwrap();
    assert_eq!(r["Records"].as_array().unwrap().len(), 1000);
    let r = get_records(&mut e, r["NextShardIterator"].as_str().unwrap(), None).unwrap();
    assert_eq!(r["Records"].as_array().unwrap().len(), 5);
}

#[test]
fn get_records_at_most_1mb_per_call() {
    // §3.4: at most 1 MB of data per call. Five ~300 KB NEW_IMAGE records cannot all fit.
    let mut e = no_rollover();
    create(&mut e, "Orders", Some("NEW_IMAGE"));
    let arn = latest_arn(&mut e, "Orders");
    let big = "x".repeat(300_000);
    for i in 0..5 {
        put(&mut e, "Orders", &format!("p{i}"), &big);
    }
    let shard = shard_ids(&mut e, &arn).remove(0);
    let mut i = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    let mut all = vec![];
    for _ in 0..10 {
        let r = get_records(&mut e, &i, None).unwrap();
        let recs = r["Records"].as_array().unwrap();
        if recs.is_empty() {
            break;
        }
        let bytes: u64 = recs.iter().map(|r| r["dynamodb"]["SizeBytes"].as_u64().unwrap()).sum();
        assert!(recs.len() < 5 && bytes <= 1 << 20, "one call returned {} records, {bytes} bytes", recs.len());
        all.extend(pks(recs));
        i = r["NextShardIterator"].as_str().unwrap().to_string();
    }
    assert_eq!(all, ["p0", "p1", "p2", "p3", "p4"]);
}

#[test]
fn rereading_gives_the_same_records() {
    // §3.4: the stream is not consumed by reads.
    let (mut e, arn, shard, _) = abc();
    let i = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    let a = get_records(&mut e, &i, None).unwrap()["Records"].clone();
    let b = get_records(&mut e, &i, None).unwrap()["Records"].clone();
    let i2 = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    let c = get_records(&mut e, &i2, None).unwrap()["Records"].clone();
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert_eq!(a.as_array().unwrap().len(), 3);
}

#[test]
fn iterator_expires_after_15_minutes() {
    // §3.3 / §3.4: iterators expire 15 min after issue → ExpiredIteratorException.
    let (mut e, arn, shard, _) = abc();
    let i = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    advance(&mut e, 14 * MIN);
    let r = get_records(&mut e, &i, None).unwrap();
    assert_eq!(r["Records"].as_array().unwrap().len(), 3, "still valid at 14 min");
    let next = r["NextShardIterator"].as_str().unwrap().to_string();
    advance(&mut e, 2 * MIN); // the original is now 16 min old
    let er = get_records(&mut e, &i, None).unwrap_err();
    assert_eq!(er.kind, "ExpiredIteratorException");
    // The NextShardIterator issued at 14 min is only 2 min old.
    assert_eq!(get_records(&mut e, &next, None).unwrap()["Records"], json!([]));
    advance(&mut e, 14 * MIN);
    assert_eq!(get_records(&mut e, &next, None).unwrap_err().kind, "ExpiredIteratorException");
}

#[test]
fn garbage_iterator_is_validation_error() {
    // §3.4: garbage iterator → ValidationException; §3.6 length 1–2048.
    let (mut e, arn, shard, _) = abc();
    let good = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    let truncated = good[..good.len() / 2].to_string();
    for bad in [
        "garbage",
        "",
        "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/x|1|AAAA",
        &truncated,
        &"A".repeat(2049),
    ] {
        let er = get_records(&mut e, bad, None).unwrap_err();
        assert_eq!(er.kind, "ValidationException", "iterator {bad:.60}: {}", er.message);
    }
    assert_eq!(e.call("GetRecords", &json!({})).unwrap_err().kind, "ValidationException");
}

#[test]
fn empty_open_shard_returns_empty_array_and_iterator() {
    let mut e = engine();
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    let shard = shard_ids(&mut e, &arn).remove(0);
    for ty in ["TRIM_HORIZON", "LATEST"] {
        let i = it(&mut e, &arn, &shard, ty, None);
        let r = get_records(&mut e, &i, None).unwrap();
        assert_eq!(r["Records"], json!([]));
        assert!(r["NextShardIterator"].is_string());
    }
}

#[test]
fn closed_empty_shard_ends_without_iterator() {
    // §3.4: closed shard, after the last record → NextShardIterator absent (also when empty).
    let mut e = engine();
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    let shard = shard_ids(&mut e, &arn).remove(0);
    ok(&mut e, "UpdateTable", json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": false}}));
    let i = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    let mut r = get_records(&mut e, &i, None).unwrap();
    // "It may take several calls to move past an empty region" — allow a few.
    for _ in 0..5 {
        if r.get("NextShardIterator").is_none() {
            break;
        }
        r = get_records(&mut e, r["NextShardIterator"].as_str().unwrap(), None).unwrap();
    }
    assert_eq!(r["Records"], json!([]));
    assert!(r.get("NextShardIterator").is_none(), "{r}");
}

#[test]
fn closed_shard_last_page_has_no_iterator_even_with_limit() {
    let (mut e, arn, shard, _) = abc();
    ok(&mut e, "UpdateTable", json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": false}}));
    let i = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    let r = get_records(&mut e, &i, Some(2)).unwrap();
    assert_eq!(pks(r["Records"].as_array().unwrap()), ["a", "b"]);
    assert!(r["NextShardIterator"].is_string(), "more records remain");
    let r = get_records(&mut e, r["NextShardIterator"].as_str().unwrap(), Some(2)).unwrap();
    assert_eq!(pks(r["Records"].as_array().unwrap()), ["c"]);
    assert!(r.get("NextShardIterator").is_none(), "final batch of a closed shard: {r}");
}

#[test]
fn latest_on_a_closed_shard_has_no_next_iterator() {
    // §3.3 LATEST = just after the newest record; §3.4 closed shard at its end → no
    // NextShardIterator.
    let (mut e, arn, shard, _) = abc();
    ok(&mut e, "UpdateTable", json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": false}}));
    let i = it(&mut e, &arn, &shard, "LATEST", None);
    let r = get_records(&mut e, &i, None).unwrap();
    assert_eq!(r["Records"], json!([]));
    assert!(r.get("NextShardIterator").is_none(), "{r}");
}

#[test]
fn iterators_are_stream_specific() {
    // An iterator from one stream reads that stream even after the table got a new stream.
    let (mut e, arn, shard, _) = abc();
    let i = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    ok(&mut e, "UpdateTable", json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": false}}));
    ok(
        &mut e,
        "UpdateTable",
        json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}),
    );
    put(&mut e, "Orders", "z", "1");
    let (recs, next) = drain(&mut e, i);
    assert_eq!(pks(&recs), ["a", "b", "c"]);
    assert!(next.is_none());
}

#[test]
fn describe_stream_shard_filter_validation() {
    // §3.2 ShardFilter {"Type": "CHILD_SHARDS", "ShardId"}; a bad enum → ValidationException (§3.6).
    let mut e = engine();
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    let id = shard_ids(&mut e, &arn).remove(0);
    assert_err(
        &mut e,
        "DescribeStream",
        json!({"StreamArn": arn, "ShardFilter": {"Type": "PARENT_SHARDS", "ShardId": id}}),
        "ValidationException",
    );
    // A shard without children → empty list.
    let r =
        ok(&mut e, "DescribeStream", json!({"StreamArn": arn, "ShardFilter": {"Type": "CHILD_SHARDS", "ShardId": id}}));
    assert_eq!(r["StreamDescription"]["Shards"], json!([]));
}

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

/// ListStreams for a table that does not exist: an empty list, as real AWS answered in the CLI
/// output quoted by LocalStack (pull request 8770, "aws dynamodbstreams list-streams
/// --table-name=foo" → {"Streams": []}); the API reference lists ResourceNotFoundException
/// without saying when (docs/aws-behaviour.md §3.1, observed).
#[test]
fn list_streams_of_a_table_that_does_not_exist_is_empty() {
    let mut e = engine();
    create(&mut e, "Alpha", Some("KEYS_ONLY"));
    assert_eq!(ok(&mut e, "ListStreams", json!({"TableName": "NoSuchTable"})), json!({"Streams": []}));
}

/// StreamStatus after UpdateTable: AWS documents ENABLING and DISABLING but not how long they last
/// (API reference, StreamDescription). The simulator's choice (README, simulator choices): the
/// change is at once, ENABLED right after enabling, DISABLED right after disabling.
#[test]
fn stream_status_changes_at_once_in_the_simulator() {
    let mut e = engine();
    create(&mut e, "Alpha", None);
    enable(&mut e, "Alpha", "NEW_IMAGE");
    let arn = latest_arn(&mut e, "Alpha");
    assert_eq!(describe(&mut e, &arn)["StreamStatus"], "ENABLED");
    disable(&mut e, "Alpha");
    assert_eq!(describe(&mut e, &arn)["StreamStatus"], "DISABLED");
}

#[test]
fn an_altered_iterator_is_invalid_and_one_for_an_unknown_shard_is_not_found() {
    // §3.4 / §3.6: an iterator the service did not issue (here: one whose position was changed
    // by hand, so its checksum no longer matches) is ValidationException; §3.6 Simulator: an
    // unknown shard is ResourceNotFoundException "Requested resource not found: Shard does not
    // exist: <id>".
    let mut e = engine();
    let (arn, shard, _) = one_shard(&mut e);
    let now = e.now_ms();
    let good = forged_iterator(&arn, &shard, 1, now);
    let moved = forged_iterator(&arn, &shard, 2, now);
    // The position of `moved` with the checksum of `good`: both are hex of "<body>/<check>".
    let (head, good_check) = good.split_at(good.len() - 32);
    let altered = format!("{}{}", &moved[..head.len()], good_check);
    assert_ne!(altered, good);
    let er = err(&mut e, "GetRecords", json!({ "ShardIterator": altered }));
    assert_eq!((er.kind.as_str(), er.message.as_str()), ("ValidationException", "Invalid ShardIterator"));
    let missing = "shardId-00000001767225600000-0000dead";
    let er = err(&mut e, "GetRecords", json!({ "ShardIterator": forged_iterator(&arn, missing, 1, now) }));
    assert_eq!(er.kind, "ResourceNotFoundException");
    assert_eq!(er.message, format!("Requested resource not found: Shard does not exist: {missing}"));
}
