//! Images (§1.3, §1.5): the 12 view type × event cases, key-only items, canonical numbers, and
//! images after a stream is disabled and enabled again.
//!
//! Every expected value comes from the spec (section cited) or, where noted, from documented real
//! DynamoDB behaviour. Nothing here was copied from the engine's output.

use crate::common::streams::{
    create, disable, enable, events, latest_arn, put_item, read_stream, records, records_via_api,
};
use crate::common::{assert_av_eq, engine, key, n, ok, s, START_S};
use serde_json::{json, Value};

/// Runs the §1.5 scenario: t1 PutItem v1 → INSERT, t2 UpdateItem SET status ADD tags → MODIFY,
/// t3 DeleteItem → REMOVE.
fn run_orders_scenario(view: &str) -> Vec<Value> {
    let mut e = engine();
    create(&mut e, "Orders", Some(view));
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

#[test]
fn key_only_item_old_image_is_the_keys_not_absent() {
    // §1.3: a pre-existing key-only item yields an OldImage containing just the keys.
    let mut e = engine();
    create(&mut e, "Orders", Some("NEW_AND_OLD_IMAGES"));
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
    create(&mut e, "Orders", Some("NEW_AND_OLD_IMAGES"));
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
    create(&mut e, "Orders", Some("NEW_IMAGE"));
    ok(
        &mut e,
        "PutItem",
        json!({"TableName": "Orders", "Item": {"pk": s("a"), "sk": s("b"), "t": n("0025.50"), "z": n("-0.0100")}}),
    );
    let r = &records(&e, "Orders")[0];
    assert_eq!(r["dynamodb"]["NewImage"]["t"], n("25.5"));
    assert_eq!(r["dynamodb"]["NewImage"]["z"], n("-0.01"));
}

#[test]
fn images_after_disable_and_re_enable_show_the_current_item() {
    // §2.4 a re-enabled stream is a new stream; §1.3 images are the whole item before/after the
    // write — changes made while no stream was enabled are part of the item, not lost.
    for rv in ["NONE", "ALL_OLD"] {
        let mut e = engine();
        create(&mut e, "Orders", Some("NEW_AND_OLD_IMAGES"));
        put_item(&mut e, "Orders", json!({"pk": s("A"), "sk": s("S"), "v": n("1")}));
        disable(&mut e, "Orders");
        // Changed while there is no stream (an update and a put).
        ok(
            &mut e,
            "UpdateItem",
            json!({"TableName": "Orders", "Key": key("A"), "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": n("2")}}),
        );
        put_item(&mut e, "Orders", json!({"pk": s("B"), "sk": s("S"), "v": n("1")}));
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
        put_item(&mut e, "Orders", json!({"pk": s("B"), "sk": s("S"), "v": n("1")}));
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
