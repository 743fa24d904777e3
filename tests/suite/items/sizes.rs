//! Item sizes (§6.3): the 400 KB limit on PutItem and UpdateItem, each type counted by the
//! spec's rules.
//!
//! Expected values come from the spec (section cited) or documented real DynamoDB behaviour
//! (marked "real AWS"). Nothing was copied from the engine's output.

use super::sized_item;
use crate::common::orders::{orders, scan_all, t, tables, validation};
use crate::common::{err, key, n, ok, s};
use serde_json::json;

#[test]
fn item_size_limit_400kb() {
    // §6.3: 409 600 bytes incl. attribute names. Item {pk:"A", sk:"S", d:<k bytes>}:
    // (2+1) + (2+1) + (1+k) = 7 + k.
    let mut e = orders();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "d": s(&"x".repeat(409_600 - 7))}})));
    let before = (scan_all(&mut e), e.streams_output());
    let er = err(&mut e, "PutItem", t(json!({"Item": {"pk": s("B"), "sk": s("S"), "d": s(&"x".repeat(409_600 - 6))}})));
    assert_eq!(
        (er.kind.as_str(), er.message.as_str()),
        ("ValidationException", "Item size has exceeded the maximum allowed size")
    );
    assert_eq!((scan_all(&mut e), e.streams_output()), before);
    // UpdateItem growing an item past the limit.
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("C"), "sk": s("S"), "d": s(&"x".repeat(409_600 - 7 - 10))}})));
    let before = (scan_all(&mut e), e.streams_output());
    let er = err(
        &mut e,
        "UpdateItem",
        t(
            json!({"Key": key("C"), "UpdateExpression": "SET e = :v", "ExpressionAttributeValues": {":v": s("0123456789")}}),
        ),
    );
    // "e" (1) + 10 bytes = 11 > 10 bytes left.
    assert_eq!(
        (er.kind.as_str(), er.message.as_str()),
        ("ValidationException", "Item size to update has exceeded the maximum allowed size")
    );
    assert_eq!((scan_all(&mut e), e.streams_output()), before);
    // Exactly at the limit is fine: "e" (1) + 9 bytes = 10.
    ok(
        &mut e,
        "UpdateItem",
        t(
            json!({"Key": key("C"), "UpdateExpression": "SET e = :v", "ExpressionAttributeValues": {":v": s("012345678")}}),
        ),
    );
}

#[test]
fn item_size_limit_counts_every_type_by_the_spec_rules() {
    let max = 409_600 - 54;
    for table in ["Orders", "Plain"] {
        let mut e = tables();
        let mut item = sized_item("A", max);
        if table == "Plain" {
            item.as_object_mut().unwrap().remove("sk");
            // without sk (3 bytes) there is room for 3 more bytes
            item["d"] = s(&"x".repeat(max + 3));
        }
        ok(&mut e, "PutItem", json!({"TableName": table, "Item": item}));
        let mut big = item.clone();
        big["pk"] = s("B");
        big["d"] = s(&format!("{}y", item["d"]["S"].as_str().unwrap()));
        validation(
            &mut e,
            "PutItem",
            json!({"TableName": table, "Item": big}),
            "Item size has exceeded the maximum allowed size",
        );
    }
}

#[test]
fn update_size_limit_counts_every_type_on_every_path() {
    // §6.3: UpdateItem's own message; exactly 409 600 bytes is allowed. The item starts 10
    // bytes below the limit; SET e = <9 chars> adds 1 + 9 = 10 bytes, <10 chars> 11.
    for (table, rv) in
        [("Orders", "NONE"), ("Orders", "ALL_OLD"), ("Orders", "UPDATED_NEW"), ("Plain", "NONE"), ("Plain", "ALL_NEW")]
    {
        let mut e = tables();
        let mut item = sized_item("A", 409_600 - 54 - 10);
        let mut k = key("A");
        if table == "Plain" {
            item.as_object_mut().unwrap().remove("sk");
            item["d"] = s(&"x".repeat(409_600 - 54 - 10 + 3));
            k = json!({"pk": s("A")});
        }
        ok(&mut e, "PutItem", json!({"TableName": table, "Item": item}));
        let upd = |v: &str| json!({"TableName": table, "Key": k, "UpdateExpression": "SET e = :v", "ExpressionAttributeValues": {":v": s(v)}, "ReturnValues": rv});
        validation(
            &mut e,
            "UpdateItem",
            upd("0123456789"),
            "Item size to update has exceeded the maximum allowed size",
        );
        ok(&mut e, "UpdateItem", upd("012345678"));
        // Growing a number inside the map: 1.2 (3 bytes) → 1.23 (3 bytes) fits, 1.234 (4) does not.
        let num = |v: &str| json!({"TableName": table, "Key": k, "UpdateExpression": "SET m.c[0] = :v", "ExpressionAttributeValues": {":v": n(v)}, "ReturnValues": rv});
        ok(&mut e, "UpdateItem", num("1.23"));
        validation(&mut e, "UpdateItem", num("1.234"), "Item size to update has exceeded the maximum allowed size");
    }
}
