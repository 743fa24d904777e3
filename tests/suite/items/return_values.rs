//! ReturnValues (§6.7) of PutItem, UpdateItem and DeleteItem.
//!
//! Expected values come from the spec (section cited) or documented real DynamoDB behaviour
//! (marked "real AWS"). Nothing was copied from the engine's output.

use crate::common::orders::{get_item, orders, snapshot, t, tables, validation};
use crate::common::{assert_av_eq, err, key, n, ok, s};
use serde_json::json;
use streamlab::Engine;

#[test]
fn return_values() {
    let old = json!({"pk": s("A"), "sk": s("S"), "a": n("1"), "b": s("x")});
    // UpdateItem SET a = a + 1, c = "new" over old.
    let upd = |rv: &str| {
        let mut e = orders();
        ok(&mut e, "PutItem", t(json!({ "Item": old })));
        ok(
            &mut e,
            "UpdateItem",
            t(
                json!({"Key": key("A"), "UpdateExpression": "SET a = a + :one, c = :c", "ExpressionAttributeValues": {":one": n("1"), ":c": s("new")}, "ReturnValues": rv}),
            ),
        )
    };
    assert!(upd("NONE").get("Attributes").is_none());
    assert_av_eq(&upd("ALL_OLD")["Attributes"], &old, "ALL_OLD");
    assert_av_eq(
        &upd("ALL_NEW")["Attributes"],
        &json!({"pk": s("A"), "sk": s("S"), "a": n("2"), "b": s("x"), "c": s("new")}),
        "ALL_NEW",
    );
    // UPDATED_OLD: only the updated attributes, as they were (c did not exist).
    assert_av_eq(&upd("UPDATED_OLD")["Attributes"], &json!({"a": n("1")}), "UPDATED_OLD");
    assert_av_eq(&upd("UPDATED_NEW")["Attributes"], &json!({"a": n("2"), "c": s("new")}), "UPDATED_NEW");

    // PutItem ALL_OLD: old item if it existed; absent otherwise.
    let mut e = orders();
    let r = ok(&mut e, "PutItem", t(json!({"Item": old, "ReturnValues": "ALL_OLD"})));
    assert!(r.get("Attributes").is_none());
    let r = ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S")}, "ReturnValues": "ALL_OLD"})));
    assert_av_eq(&r["Attributes"], &old, "PutItem ALL_OLD");
    // DeleteItem ALL_OLD returns the deleted item.
    let r = ok(&mut e, "DeleteItem", t(json!({"Key": key("A"), "ReturnValues": "ALL_OLD"})));
    assert_av_eq(&r["Attributes"], &json!({"pk": s("A"), "sk": s("S")}), "DeleteItem ALL_OLD");
    let r = ok(&mut e, "DeleteItem", t(json!({"Key": key("A"), "ReturnValues": "ALL_OLD"})));
    assert!(r.get("Attributes").is_none());

    // Invalid values.
    let er = err(&mut e, "PutItem", t(json!({"Item": old, "ReturnValues": "ALL_NEW"})));
    assert_eq!(
        (er.kind.as_str(), er.message.as_str()),
        ("ValidationException", "ReturnValues can only be ALL_OLD or NONE")
    );
    // DeleteItem allows only NONE / ALL_OLD (§6.7); real AWS uses the same message text.
    let er = err(&mut e, "DeleteItem", t(json!({"Key": key("A"), "ReturnValues": "UPDATED_NEW"})));
    assert_eq!(er.kind, "ValidationException");
    let er = err(&mut e, "UpdateItem", t(json!({"Key": key("A"), "ReturnValues": "EVERYTHING"})));
    assert_eq!(er.kind, "ValidationException");
    assert!(get_item(&mut e, "A").is_none(), "failed requests wrote nothing");
}

#[test]
fn return_values_of_nested_updates_and_missing_items() {
    let mut e = tables();
    ok(
        &mut e,
        "PutItem",
        t(json!({"Item": {"pk": s("A"), "sk": s("S"), "m": {"M": {"x": n("1"), "y": n("2")}}, "keep": s("k")}})),
    );
    let upd = |e: &mut Engine, rv: &str, v: &str| {
        ok(
            e,
            "UpdateItem",
            t(
                json!({"Key": key("A"), "UpdateExpression": "SET m.x = :v", "ExpressionAttributeValues": {":v": n(v)}, "ReturnValues": rv}),
            ),
        )
    };
    // UPDATED_*: only the updated attributes — for a nested path, the path within its parents.
    assert_eq!(upd(&mut e, "UPDATED_OLD", "3"), json!({"Attributes": {"m": {"M": {"x": n("1")}}}}));
    assert_eq!(upd(&mut e, "UPDATED_NEW", "4"), json!({"Attributes": {"m": {"M": {"x": n("4")}}}}));
    // An update of an item that does not exist: ALL_OLD / UPDATED_OLD have nothing to return;
    // ALL_NEW is the new item, key included.
    let new = |e: &mut Engine, pk: &str, rv: &str| {
        ok(
            e,
            "UpdateItem",
            t(
                json!({"Key": key(pk), "UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": n("1")}, "ReturnValues": rv}),
            ),
        )
    };
    assert_eq!(new(&mut e, "B", "ALL_OLD"), json!({}));
    assert_eq!(new(&mut e, "C", "UPDATED_OLD"), json!({}));
    assert_av_eq(
        &new(&mut e, "D", "ALL_NEW")["Attributes"],
        &json!({"pk": s("D"), "sk": s("S"), "a": n("1")}),
        "ALL_NEW of a new item",
    );
    // REMOVE: UPDATED_OLD has the removed value, UPDATED_NEW nothing.
    let rm = |e: &mut Engine, rv: &str| {
        ok(e, "UpdateItem", t(json!({"Key": key("A"), "UpdateExpression": "REMOVE keep", "ReturnValues": rv})))
    };
    assert_eq!(rm(&mut e, "UPDATED_NEW"), json!({}));
    ok(
        &mut e,
        "UpdateItem",
        t(json!({"Key": key("A"), "UpdateExpression": "SET keep = :k", "ExpressionAttributeValues": {":k": s("k")}})),
    );
    assert_eq!(rm(&mut e, "UPDATED_OLD"), json!({"Attributes": {"keep": s("k")}}));
}

#[test]
fn invalid_return_values() {
    // §6.7: DeleteItem allows NONE / ALL_OLD, with PutItem's message; an unknown
    // ReturnValuesOnConditionCheckFailure is a ValidationException.
    let mut e = tables();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S")}})));
    for rv in ["ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"] {
        validation(
            &mut e,
            "DeleteItem",
            t(json!({"Key": key("A"), "ReturnValues": rv})),
            "ReturnValues can only be ALL_OLD or NONE",
        );
        validation(
            &mut e,
            "PutItem",
            t(json!({"Item": {"pk": s("A"), "sk": s("S"), "x": n("1")}, "ReturnValues": rv})),
            "ReturnValues can only be ALL_OLD or NONE",
        );
    }
    for action in ["PutItem", "DeleteItem", "UpdateItem"] {
        let mut req = json!({"Key": key("A"), "Item": {"pk": s("A"), "sk": s("S"), "x": n("1")}, "ReturnValuesOnConditionCheckFailure": "ALL_NEW"});
        req.as_object_mut().unwrap().remove(if action == "PutItem" { "Key" } else { "Item" });
        let before = snapshot(&mut e);
        let er = err(&mut e, action, t(req));
        assert_eq!(er.kind, "ValidationException", "{action}");
        assert_eq!(snapshot(&mut e), before);
    }
}

#[test]
fn update_without_an_update_expression_writes_the_key_and_updates_nothing() {
    // API_UpdateItem: UpdateExpression is optional; without it UpdateItem creates the item with
    // only its key if it is missing (AWS: "Edits an existing item's attributes, or adds a new
    // item"). UPDATED_NEW and UPDATED_OLD list only updated attributes, and key attributes are
    // never updated (§6.2), so no Attributes come back; ALL_NEW returns the key-only item.
    let mut e = orders();
    for rv in ["UPDATED_NEW", "UPDATED_OLD"] {
        let r = ok(&mut e, "UpdateItem", t(json!({"Key": key("A"), "ReturnValues": rv})));
        assert!(r.get("Attributes").is_none(), "{rv}: {r}");
    }
    assert_av_eq(&get_item(&mut e, "A").expect("created"), &key("A"), "the key-only item");
    let r = ok(&mut e, "UpdateItem", t(json!({"Key": key("B"), "ReturnValues": "ALL_NEW"})));
    assert_av_eq(&r["Attributes"], &key("B"), "ALL_NEW");
}
