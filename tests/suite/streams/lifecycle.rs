//! Enabling, disabling and re-enabling a stream (§2.4), its ARN, label and the table's stream
//! members (§1.4), retention (§2.3), and DeleteTable.

use super::{advance, drain, get_records, it, iterator, no_rollover, pks, put, seq, shard_ids};
use crate::common::orders::tables;
use crate::common::streams::{create, describe, enable, latest_arn};
use crate::common::{assert_err, engine, engine_with, err, ok, HOUR, MIN, START_MS};
use serde_json::json;

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
    let c = create(&mut e, "Orders", Some("KEYS_ONLY"))["TableDescription"].clone();
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

#[test]
fn stream_decisions_for_update_table_and_filters() {
    // "Decisions where the sources disagree": enabling a stream while one is enabled (same or
    // another view type) → ValidationException "Table already has an enabled stream: TableName:
    // <name>"; disabling a stream on a table that has none → ValidationException; filters:
    // anything-but with a single value is supported, wildcard and anything-but with prefix
    // are rejected as unsupported.
    let mut e = tables();
    let upd = |enabled: bool, view: Option<&str>| {
        let mut spec = json!({"StreamEnabled": enabled});
        if let Some(v) = view {
            spec["StreamViewType"] = json!(v);
        }
        json!({"TableName": "Plain", "StreamSpecification": spec})
    };
    assert_eq!(err(&mut e, "UpdateTable", upd(false, None)).kind, "ValidationException");
    ok(&mut e, "UpdateTable", upd(true, Some("KEYS_ONLY")));
    for view in ["KEYS_ONLY", "NEW_IMAGE"] {
        let er = err(&mut e, "UpdateTable", upd(true, Some(view)));
        assert_eq!(
            (er.kind.as_str(), er.message.as_str()),
            ("ValidationException", "Table already has an enabled stream: TableName: Plain")
        );
    }
    ok(&mut e, "CreateFunction", json!({"FunctionName": "f", "Code": ""}));
    let mapping = |pattern: &str| {
        json!({"FunctionName": "f", "TableName": "Plain", "StartingPosition": "LATEST",
               "FilterCriteria": {"Filters": [{"Pattern": pattern}]}})
    };
    for bad in [
        r#"{"dynamodb": {"Keys": {"pk": {"S": [{"wildcard": "a*"}]}}}}"#,
        r#"{"dynamodb": {"Keys": {"pk": {"S": [{"anything-but": {"prefix": "a"}}]}}}}"#,
        r#"{"dynamodb": {"Keys": {"pk": {"S": [{"anything-but": {"suffix": "a"}}]}}}}"#,
    ] {
        // Rejected (`err` fails the test if the request succeeds); no mapping is made.
        err(&mut e, "CreateEventSourceMapping", mapping(bad));
    }
    ok(
        &mut e,
        "CreateEventSourceMapping",
        mapping(r#"{"dynamodb": {"Keys": {"pk": {"S": [{"anything-but": "a"}]}}}}"#),
    );
}
