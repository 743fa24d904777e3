//! Stream lifecycle and the DynamoDB Streams API, written from `aws-semantics.md` §2.3
//! (retention), §2.4 (enable/disable), §2.5 (shards and lineage), §3.1–§3.6 (ListStreams,
//! DescribeStream, GetShardIterator, GetRecords, errors) and the "Decisions" table.
//!
//! Expected values come from the spec (section cited) or documented real AWS behaviour (marked).
#![cfg(not(target_arch = "wasm32"))] // native tests: `make test` runs tests/web.rs in the browser

use serde_json::{json, Value};
mod common;
use common::*;
use streamlab::AwsError;
use streamlab::Engine;

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

const START_MS: u64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const MIN: u64 = 60_000;
const HOUR: u64 = 3_600_000;

#[track_caller]
fn assert_err(e: &mut Engine, action: &str, req: Value, kind: &str) -> AwsError {
    let er = err(e, action, req.clone());
    assert_eq!(er.kind, kind, "{action} {req}: {}", er.message);
    er
}

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
    ok(e, "CreateTable", req)
}

fn put(e: &mut Engine, table: &str, pk: &str, v: &str) {
    ok(e, "PutItem", json!({"TableName": table, "Item": {"pk": s(pk), "sk": s("S"), "v": s(v)}}));
}

fn latest_arn(e: &mut Engine, table: &str) -> String {
    ok(e, "DescribeTable", json!({ "TableName": table }))["Table"]["LatestStreamArn"].as_str().unwrap().to_string()
}

fn describe(e: &mut Engine, arn: &str) -> Value {
    ok(e, "DescribeStream", json!({ "StreamArn": arn }))["StreamDescription"].clone()
}

fn shards(e: &mut Engine, arn: &str) -> Vec<Value> {
    describe(e, arn)["Shards"].as_array().unwrap().clone()
}

fn shard_ids(e: &mut Engine, arn: &str) -> Vec<String> {
    shards(e, arn).iter().map(|s| s["ShardId"].as_str().unwrap().to_string()).collect()
}

fn iterator(e: &mut Engine, arn: &str, shard: &str, ty: &str, seq: Option<&str>) -> Result<String, AwsError> {
    let mut r = json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": ty});
    if let Some(q) = seq {
        r["SequenceNumber"] = json!(q);
    }
    e.call("GetShardIterator", &r).map(|v| v["ShardIterator"].as_str().unwrap().to_string())
}

#[track_caller]
fn it(e: &mut Engine, arn: &str, shard: &str, ty: &str, seq: Option<&str>) -> String {
    iterator(e, arn, shard, ty, seq).unwrap_or_else(|er| panic!("GetShardIterator {ty}: {} {}", er.kind, er.message))
}

fn get_records(e: &mut Engine, iter: &str, limit: Option<u64>) -> Result<Value, AwsError> {
    let mut r = json!({ "ShardIterator": iter });
    if let Some(l) = limit {
        r["Limit"] = json!(l);
    }
    e.call("GetRecords", &r)
}

/// Reads a shard from `iter` until an empty page or the end of a closed shard.
fn drain(e: &mut Engine, mut iter: String) -> (Vec<Value>, Option<String>) {
    let mut out = vec![];
    for _ in 0..1000 {
        let r = get_records(e, &iter, None).unwrap();
        let recs = r["Records"].as_array().unwrap();
        out.extend(recs.iter().cloned());
        match r.get("NextShardIterator").and_then(|v| v.as_str()) {
            None => return (out, None),
            Some(n) => {
                if recs.is_empty() {
                    return (out, Some(n.to_string()));
                }
                iter = n.to_string();
            }
        }
    }
    panic!("drain did not terminate");
}

fn seq(r: &Value) -> String {
    r["dynamodb"]["SequenceNumber"].as_str().unwrap().to_string()
}

fn seq_lt(a: &str, b: &str) -> bool {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    (a.len(), a) < (b.len(), b)
}

fn pks(recs: &[Value]) -> Vec<String> {
    recs.iter().map(|r| r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap().to_string()).collect()
}

fn advance(e: &mut Engine, ms: u64) {
    // Use the scenario-level AdvanceClock action (scenario-format.md).
    ok(e, "AdvanceClock", json!({"Seconds": ms as f64 / 1000.0}));
}

// ---------------------------------------------------------------------------------------------
// §2.4 enabling, disabling, re-enabling
// ---------------------------------------------------------------------------------------------

#[test]
fn create_table_with_stream_reports_arn_label_and_spec() {
    let mut e = engine();
    let r = create(&mut e, "Orders", Some("NEW_IMAGE"));
    let label = "2026-01-01T00:00:00.000"; // §1.4: ISO-8601 UTC with ms, no zone; = creation time
    let arn = format!("arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/{label}"); // §0 ARN format
    for t in [&r["TableDescription"], &ok(&mut e, "DescribeTable", json!({"TableName": "Orders"}))["Table"]] {
        assert_eq!(t["LatestStreamArn"], arn.as_str(), "{t}");
        assert_eq!(t["LatestStreamLabel"], label);
        assert_eq!(t["StreamSpecification"], json!({"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}));
    }
    let d = describe(&mut e, &arn);
    assert_eq!(d["StreamArn"], arn.as_str());
    assert_eq!(d["StreamLabel"], label);
    assert_eq!(d["StreamStatus"], "ENABLED");
    assert_eq!(d["StreamViewType"], "NEW_IMAGE");
    assert_eq!(d["TableName"], "Orders");
    assert!(d.get("CreationRequestDateTime").is_some());
    assert_eq!(
        d["KeySchema"],
        json!([{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
    );
    // One open shard (shards_per_stream = 1): no parent, no EndingSequenceNumber.
    let sh = d["Shards"].as_array().unwrap();
    assert_eq!(sh.len(), 1);
    assert!(sh[0].get("ParentShardId").is_none());
    assert!(sh[0]["SequenceNumberRange"].get("EndingSequenceNumber").is_none());
    assert!(sh[0]["SequenceNumberRange"]["StartingSequenceNumber"].is_string());
}

#[test]
fn shard_id_format() {
    // §1.4: "shardId-" + 20-digit zero-padded creation time in epoch ms + "-" + 8 hex chars (37).
    let mut e = engine();
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    let id = shard_ids(&mut e, &arn).remove(0);
    assert_eq!(id.len(), 37, "{id}");
    assert!(id.starts_with("shardId-"), "{id}");
    assert_eq!(&id[8..28], format!("{START_MS:020}"), "{id}");
    assert_eq!(&id[28..29], "-");
    assert!(id[29..].bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
}

#[test]
fn enabling_when_enabled_or_changing_view_type_is_validation_error() {
    // Decisions row 1 / §2.4.
    for view in ["NEW_IMAGE", "KEYS_ONLY", "NEW_AND_OLD_IMAGES"] {
        let mut e = engine();
        create(&mut e, "Orders", Some("NEW_IMAGE"));
        let arn = latest_arn(&mut e, "Orders");
        let er = assert_err(
            &mut e,
            "UpdateTable",
            json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": view}}),
            "ValidationException",
        );
        assert_eq!(er.message, "Table already has an enabled stream: TableName: Orders", "{view}");
        assert_eq!(latest_arn(&mut e, "Orders"), arn, "unchanged");
        assert_eq!(describe(&mut e, &arn)["StreamViewType"], "NEW_IMAGE");
    }
}

#[test]
fn disabling_without_a_stream_is_validation_error() {
    // Decisions row 2 (message uncertain per §2.4, so only the kind is checked).
    let mut e = engine();
    create(&mut e, "Plain", None);
    assert_err(
        &mut e,
        "UpdateTable",
        json!({"TableName": "Plain", "StreamSpecification": {"StreamEnabled": false}}),
        "ValidationException",
    );
    // ...and disabling twice.
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    ok(&mut e, "UpdateTable", json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": false}}));
    assert_err(
        &mut e,
        "UpdateTable",
        json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": false}}),
        "ValidationException",
    );
}

#[test]
fn invalid_view_type_is_validation_error() {
    // §2.4: invalid view type value → ValidationException.
    let mut e = engine();
    let er = e
        .call(
            "CreateTable",
            &json!({"TableName": "Orders",
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST",
                "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "EVERYTHING"}}),
        )
        .unwrap_err();
    assert_eq!(er.kind, "ValidationException");
    create(&mut e, "Plain", None);
    assert_err(
        &mut e,
        "UpdateTable",
        json!({"TableName": "Plain", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "ALL"}}),
        "ValidationException",
    );
    assert_eq!(ok(&mut e, "ListStreams", json!({}))["Streams"], json!([]));
}

#[test]
fn disable_closes_shards_keeps_stream_listed_and_readable() {
    // §2.4: disabling closes every open shard (EndingSequenceNumber), the stream stays listed,
    // DescribeStream works (DISABLED) and its data stays readable.
    let mut e = engine_with(|c| c.shards_per_stream = 2);
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    for i in 0..6 {
        put(&mut e, "Orders", &format!("p{i}"), "x");
    }
    ok(&mut e, "UpdateTable", json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": false}}));
    advance(&mut e, MIN); // let DISABLING settle
    let d = describe(&mut e, &arn);
    assert_eq!(d["StreamStatus"], "DISABLED");
    for sh in d["Shards"].as_array().unwrap() {
        assert!(sh["SequenceNumberRange"]["EndingSequenceNumber"].is_string(), "closed: {sh}");
    }
    let listed = ok(&mut e, "ListStreams", json!({"TableName": "Orders"}))["Streams"].clone();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["StreamArn"], arn.as_str());
    // Writes after disabling produce nothing.
    put(&mut e, "Orders", "after", "x");
    let mut all = vec![];
    for id in shard_ids(&mut e, &arn) {
        let i = it(&mut e, &arn, &id, "TRIM_HORIZON", None);
        let (recs, next) = drain(&mut e, i);
        assert!(next.is_none(), "closed shard fully read → NextShardIterator absent (§3.4)");
        all.extend(recs);
    }
    let mut got = pks(&all);
    got.sort();
    assert_eq!(got, ["p0", "p1", "p2", "p3", "p4", "p5"]);
    // DescribeTable no longer reports an enabled stream.
    let t = ok(&mut e, "DescribeTable", json!({"TableName": "Orders"}))["Table"].clone();
    assert_ne!(t["StreamSpecification"]["StreamEnabled"], json!(true));
}

#[test]
fn re_enable_gives_new_arn_even_at_the_same_instant() {
    // §2.4: disabling and re-enabling always yields a different ARN; the new view type applies.
    for gap in [0, 1_000] {
        let mut e = engine();
        create(&mut e, "Orders", Some("KEYS_ONLY"));
        let old = latest_arn(&mut e, "Orders");
        put(&mut e, "Orders", "a", "1");
        ok(&mut e, "UpdateTable", json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": false}}));
        e.advance_clock_ms(gap);
        let r = ok(
            &mut e,
            "UpdateTable",
            json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}),
        );
        let new = latest_arn(&mut e, "Orders");
        assert_ne!(old, new, "gap {gap} ms");
        assert_eq!(r["TableDescription"]["LatestStreamArn"], new.as_str());
        assert_eq!(describe(&mut e, &new)["StreamViewType"], "NEW_IMAGE");
        assert_eq!(describe(&mut e, &old)["StreamViewType"], "KEYS_ONLY");
        put(&mut e, "Orders", "b", "1");
        // Each stream only has its own records.
        let id = shard_ids(&mut e, &new).remove(0);
        let i = it(&mut e, &new, &id, "TRIM_HORIZON", None);
        let (recs, _) = drain(&mut e, i);
        assert_eq!(pks(&recs), ["b"]);
        assert!(recs[0]["dynamodb"].get("NewImage").is_some());
        let id = shard_ids(&mut e, &old).remove(0);
        let i = it(&mut e, &old, &id, "TRIM_HORIZON", None);
        let (recs, _) = drain(&mut e, i);
        assert_eq!(pks(&recs), ["a"]);
        // ListStreams shows both (the disabled one is still within 24 h).
        let listed = ok(&mut e, "ListStreams", json!({"TableName": "Orders"}))["Streams"].as_array().unwrap().len();
        assert_eq!(listed, 2);
        // streams_output lists both, in creation order (scenario-format "streams").
        let out = e.streams_output();
        let arns: Vec<&str> = out.as_array().unwrap().iter().map(|s| s["StreamArn"].as_str().unwrap()).collect();
        assert_eq!(arns, [old.as_str(), new.as_str()]);
    }
}

// ---------------------------------------------------------------------------------------------
// §2.3 retention
// ---------------------------------------------------------------------------------------------

fn no_rollover() -> Engine {
    engine_with(|c| c.shard_rollover_ms = 1000 * HOUR)
}

#[test]
fn records_are_readable_before_24h_and_trimmed_after() {
    let mut e = no_rollover();
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    put(&mut e, "Orders", "old", "1");
    let shard = shard_ids(&mut e, &arn).remove(0);
    let i0 = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    let old_seq = seq(&get_records(&mut e, &i0, None).unwrap()["Records"][0]);

    advance(&mut e, 23 * HOUR + 55 * MIN);
    put(&mut e, "Orders", "new", "1");
    // Still readable just before 24 h.
    let i = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    assert_eq!(pks(&drain(&mut e, i).0), ["old", "new"]);
    // An iterator positioned at the old record, issued before the trim...
    let at_old = it(&mut e, &arn, &shard, "AT_SEQUENCE_NUMBER", Some(&old_seq));

    advance(&mut e, 10 * MIN); // now 24 h 5 min after the first write; iterator is 10 min old
                               // ...now points at trimmed data (§3.4 / §3.6).
    let er = get_records(&mut e, &at_old, None).unwrap_err();
    assert_eq!(er.kind, "TrimmedDataAccessException");
    assert_eq!(er.message, "The data you are trying to access has been trimmed.");
    // A sequence number older than the trim point (§3.3).
    for ty in ["AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"] {
        let er = iterator(&mut e, &arn, &shard, ty, Some(&old_seq)).unwrap_err();
        assert_eq!(er.kind, "TrimmedDataAccessException", "{ty}");
    }
    // TRIM_HORIZON = oldest untrimmed record.
    let i = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    assert_eq!(pks(&drain(&mut e, i).0), ["new"]);
    // streams_output: trimmed records are gone (scenario-format "streams").
    let out = e.streams_output();
    assert_eq!(pks(out[0]["Records"].as_array().unwrap()), ["new"]);
}

#[test]
fn disabled_stream_is_listed_for_24h() {
    // §2.4 / §3.1: ListStreams returns enabled and recently disabled streams; data readable 24 h.
    let mut e = no_rollover();
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    put(&mut e, "Orders", "a", "1");
    ok(&mut e, "UpdateTable", json!({"TableName": "Orders", "StreamSpecification": {"StreamEnabled": false}}));
    advance(&mut e, 23 * HOUR);
    let listed = ok(&mut e, "ListStreams", json!({}))["Streams"].clone();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let shard = shard_ids(&mut e, &arn).remove(0);
    let i = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    assert_eq!(pks(&drain(&mut e, i).0), ["a"]);
}

// ---------------------------------------------------------------------------------------------
// §2.5 shard roll-over and lineage
// ---------------------------------------------------------------------------------------------

#[test]
fn shard_rolls_over_every_4h_by_default_with_parent_lineage() {
    let mut e = engine();
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    put(&mut e, "Orders", "item", "1");
    advance(&mut e, 4 * HOUR - 1_000);
    assert_eq!(shards(&mut e, &arn).len(), 1, "no roll-over before 4 h");
    put(&mut e, "Orders", "item", "2");
    advance(&mut e, 2_000);
    let sh = shards(&mut e, &arn);
    assert_eq!(sh.len(), 2, "parent + child after 4 h: {sh:?}");
    let (parent, child) = (&sh[0], &sh[1]);
    assert!(parent["SequenceNumberRange"]["EndingSequenceNumber"].is_string(), "parent closed");
    assert!(parent.get("ParentShardId").is_none());
    assert_eq!(child["ParentShardId"], parent["ShardId"]);
    assert!(child["SequenceNumberRange"].get("EndingSequenceNumber").is_none(), "child open");
    // §1.4 shard id embeds its creation time: the child was created at start + 4 h.
    let cid = child["ShardId"].as_str().unwrap();
    assert_eq!(&cid[8..28], format!("{:020}", START_MS + 4 * HOUR), "{cid}");
    put(&mut e, "Orders", "item", "3");
    // Parent holds the first two writes, child the third; per-item order is kept (§2.2).
    let pid = parent["ShardId"].as_str().unwrap().to_string();
    let i = it(&mut e, &arn, &pid, "TRIM_HORIZON", None);
    let (precs, next) = drain(&mut e, i);
    assert!(next.is_none(), "closed parent read to the end → no NextShardIterator");
    assert_eq!(precs.iter().map(|r| r["eventName"].as_str().unwrap()).collect::<Vec<_>>(), ["INSERT", "MODIFY"]);
    let i = it(&mut e, &arn, cid, "TRIM_HORIZON", None);
    let (crecs, next) = drain(&mut e, i);
    assert!(next.is_some(), "open child keeps returning an iterator");
    assert_eq!(crecs.len(), 1);
    assert_eq!(crecs[0]["eventName"], "MODIFY");
    // The parent's EndingSequenceNumber covers its last record.
    let end = parent["SequenceNumberRange"]["EndingSequenceNumber"].as_str().unwrap();
    assert!(!seq_lt(end, &seq(&precs[1])), "EndingSequenceNumber {end} ≥ last record");
    // ShardFilter CHILD_SHARDS returns only the children (§3.2).
    let f = ok(
        &mut e,
        "DescribeStream",
        json!({"StreamArn": arn, "ShardFilter": {"Type": "CHILD_SHARDS", "ShardId": pid}}),
    );
    let ids: Vec<&str> =
        f["StreamDescription"]["Shards"].as_array().unwrap().iter().map(|s| s["ShardId"].as_str().unwrap()).collect();
    assert_eq!(ids, [cid]);
}

#[test]
fn configurable_rollover_builds_a_chain() {
    // §2.5: roll-over interval configurable; each shard succeeded by exactly one child.
    let mut e = engine_with(|c| c.shard_rollover_ms = MIN);
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    for i in 0..5 {
        put(&mut e, "Orders", "k", &i.to_string());
        advance(&mut e, MIN);
    }
    let sh = shards(&mut e, &arn);
    assert_eq!(sh.len(), 6, "{sh:?}");
    for w in sh.windows(2) {
        assert_eq!(w[1]["ParentShardId"], w[0]["ShardId"]);
        assert!(w[0]["SequenceNumberRange"]["EndingSequenceNumber"].is_string());
    }
    // Ascending ShardId order (§3.2).
    let ids: Vec<String> = sh.iter().map(|s| s["ShardId"].as_str().unwrap().to_string()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    // Following lineage gives the item's writes in order (§2.2 / §2.5).
    let mut vals = vec![];
    for id in &ids {
        let i = it(&mut e, &arn, id, "TRIM_HORIZON", None);
        vals.extend(drain(&mut e, i).0.iter().map(seq));
    }
    assert_eq!(vals.len(), 5);
}

// ---------------------------------------------------------------------------------------------
// §3.1 ListStreams
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// §3.2 DescribeStream
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// §3.3 GetShardIterator
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// §3.4 GetRecords
// ---------------------------------------------------------------------------------------------

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
fn advance_clock_action_validation() {
    // scenario-format: AdvanceClock {"Seconds": n} moves simulated time forward.
    let mut e = engine();
    let t0 = e.now_ms();
    ok(&mut e, "AdvanceClock", json!({"Seconds": 90}));
    assert_eq!(e.now_ms(), t0 + 90_000);
    assert!(e.call("AdvanceClock", &json!({"Seconds": -1})).is_err());
    assert!(e.call("AdvanceClock", &json!({})).is_err());
    assert_eq!(e.now_ms(), t0 + 90_000);
}

// ---------------------------------------------------------------------------------------------
// more: DeleteTable, multiple shards, closed-shard LATEST
// ---------------------------------------------------------------------------------------------

#[test]
fn delete_table_disables_its_stream_which_stays_readable() {
    // Real AWS (DeleteTable API reference): "the corresponding stream on that table goes into the
    // DISABLED state, and the stream is automatically deleted after 24 hours". Deleting a table
    // writes no REMOVE records for its items.
    let mut e = no_rollover();
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    put(&mut e, "Orders", "a", "1");
    put(&mut e, "Orders", "b", "1");
    ok(&mut e, "DeleteTable", json!({"TableName": "Orders"}));
    advance(&mut e, MIN);
    let d = describe(&mut e, &arn);
    assert_eq!(d["StreamStatus"], "DISABLED");
    for sh in d["Shards"].as_array().unwrap() {
        assert!(sh["SequenceNumberRange"]["EndingSequenceNumber"].is_string());
    }
    let shard = shard_ids(&mut e, &arn).remove(0);
    let i = it(&mut e, &arn, &shard, "TRIM_HORIZON", None);
    let (recs, next) = drain(&mut e, i);
    assert_eq!(pks(&recs), ["a", "b"], "no REMOVE records from DeleteTable");
    assert!(next.is_none());
    // Re-creating the table gives a new stream with a new ARN.
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    assert_ne!(latest_arn(&mut e, "Orders"), arn);
    assert_eq!(ok(&mut e, "ListStreams", json!({"TableName": "Orders"}))["Streams"].as_array().unwrap().len(), 2);
}

#[test]
fn items_stay_in_one_shard_lineage_with_several_shards() {
    // §2.2: all records for one item go to the same shard lineage, in write order; §2.5
    // children carry ParentShardId.
    let mut e = engine_with(|c| {
        c.shards_per_stream = 3;
        c.shard_rollover_ms = 10 * MIN;
    });
    create(&mut e, "Orders", Some("NEW_IMAGE"));
    let arn = latest_arn(&mut e, "Orders");
    for round in 0..4 {
        for k in 0..12 {
            put(&mut e, "Orders", &format!("k{k}"), &round.to_string());
        }
        advance(&mut e, 10 * MIN + 1_000);
    }
    let sh = shards(&mut e, &arn);
    let parent_of: std::collections::HashMap<String, Option<String>> = sh
        .iter()
        .map(|s| {
            (
                s["ShardId"].as_str().unwrap().to_string(),
                s.get("ParentShardId").and_then(|p| p.as_str()).map(String::from),
            )
        })
        .collect();
    let root = |mut id: String| {
        while let Some(Some(p)) = parent_of.get(&id) {
            id = p.clone();
        }
        id
    };
    // Every parent named exists in the listing (within 24 h nothing is gone).
    for p in parent_of.values().flatten() {
        assert!(parent_of.contains_key(p), "parent {p} listed");
    }
    let mut by_item: std::collections::HashMap<String, Vec<(String, String)>> = Default::default();
    for s in &sh {
        let id = s["ShardId"].as_str().unwrap().to_string();
        let i = it(&mut e, &arn, &id, "TRIM_HORIZON", None);
        for r in drain(&mut e, i).0 {
            let k = r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap().to_string();
            let v = r["dynamodb"]["NewImage"]["v"]["S"].as_str().unwrap().to_string();
            by_item.entry(k).or_default().push((id.clone(), v));
        }
    }
    assert_eq!(by_item.len(), 12);
    for (k, recs) in &by_item {
        assert_eq!(recs.len(), 4, "{k}");
        let roots: std::collections::HashSet<String> = recs.iter().map(|(id, _)| root(id.clone())).collect();
        assert_eq!(roots.len(), 1, "{k} spread over several lineages: {recs:?}");
        // Shards are listed parents-before-children here only if ids sort that way, so check
        // order by following the lineage: each record's shard is the same as or a descendant of
        // the previous record's shard, and values are in write order.
        let vals: Vec<&str> = recs.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(vals, ["0", "1", "2", "3"], "{k}: write order");
        let mut seen_shards: Vec<&String> = recs.iter().map(|(id, _)| id).collect();
        seen_shards.dedup();
        assert_eq!(seen_shards.len(), 4, "{k}: one record per shard generation: {recs:?}");
        for w in seen_shards.windows(2) {
            // later shard's ancestor chain contains the earlier shard
            let mut cur = Some(w[1].clone());
            let mut found = false;
            while let Some(c) = cur {
                if &c == w[0] {
                    found = true;
                    break;
                }
                cur = parent_of.get(&c).cloned().flatten();
            }
            assert!(found, "{k}: {} is not a descendant of {}", w[1], w[0]);
        }
    }
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
fn deleted_tables_stream_is_gone_after_24h() {
    // Real AWS (DeleteTable API reference): the stream goes DISABLED "and the stream is
    // automatically deleted after 24 hours" → no longer listed; DescribeStream →
    // ResourceNotFoundException (§3.2 unknown ARN).
    let mut e = no_rollover();
    create(&mut e, "Orders", Some("KEYS_ONLY"));
    let arn = latest_arn(&mut e, "Orders");
    put(&mut e, "Orders", "a", "1");
    ok(&mut e, "DeleteTable", json!({"TableName": "Orders"}));
    advance(&mut e, 25 * HOUR);
    assert_eq!(ok(&mut e, "ListStreams", json!({}))["Streams"], json!([]));
    let er = assert_err(&mut e, "DescribeStream", json!({ "StreamArn": arn }), "ResourceNotFoundException");
    assert_eq!(er.message, format!("Requested resource not found: Stream: {arn} not found"));
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
