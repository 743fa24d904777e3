//! Time to live (`docs/aws-behaviour.md` §7): which items expire and when they are deleted, the
//! TimeToLive settings, and the stream records of TTL deletions (§1.6: a service REMOVE with
//! userIdentity, OldImage per view type).
//!
//! Every expected value comes from the spec (section cited) or, where noted, from documented real
//! DynamoDB behaviour. Nothing here was copied from the engine's output.

use crate::common::streams::{create, create_table, disable, events, latest_arn, put_item, read_stream, records};
use crate::common::{assert_av_eq, enable_ttl, engine, engine_with, err, key, n, ok, s, HOUR, START_S};
use serde_json::{json, Value};
use streamlab::Engine;

/// GetItem of the item (`pk`, "META") of `Sessions`.
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
        ("negative", n("-1"), false, "a negative value → ignored (§7 Simulator)"),
        ("1e13", n("10000000000000"), false, "a value of 10^13 or more → ignored (§7 Simulator)"),
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
        put_item(&mut e, "Sessions", json!({"pk": s("A"), "sk": s("S")}));
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
    put_item(&mut e, "Sessions", json!({"pk": s("A"), "sk": s("S"), "exp": n(&(START_S + 60).to_string())}));
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
    put_item(&mut e, "Sessions", json!({"pk": s("A"), "sk": s("S"), "exp": n(&(START_S + 100).to_string())}));
    e.advance_clock_ms(HOUR);
    let recs = read_stream(&mut e, &arn);
    assert_eq!(recs.len(), 2);
    // expiry START+100 s, + 90.5 s delay → deleted at START+190.5 s → 190 whole seconds.
    assert_eq!(recs[1]["dynamodb"]["ApproximateCreationDateTime"], json!(START_S + 190));
}
