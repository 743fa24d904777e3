//! ExpressionAttributeNames and ExpressionAttributeValues (§6.6).
//!
//! Expected values come from the spec (section cited) or documented real DynamoDB behaviour
//! (marked "real AWS"). Nothing was copied from the engine's output.

use crate::common::orders::{get, orders, snapshot, t, tables, validation, P};
use crate::common::{assert_av_eq, err, key, n, ok, s};
use serde_json::{json, Value};

#[test]
fn empty_expression_attribute_maps_are_rejected() {
    // §6.6: "ExpressionAttributeValues must not be empty" / "ExpressionAttributeNames must not be empty".
    let mut e = orders();
    let er = err(
        &mut e,
        "UpdateItem",
        t(json!({"Key": key("A"), "UpdateExpression": "REMOVE a", "ExpressionAttributeValues": {}})),
    );
    assert_eq!(
        (er.kind.as_str(), er.message.as_str()),
        ("ValidationException", "ExpressionAttributeValues must not be empty")
    );
    let er = err(
        &mut e,
        "UpdateItem",
        t(json!({"Key": key("A"), "UpdateExpression": "REMOVE a", "ExpressionAttributeNames": {}})),
    );
    assert_eq!(
        (er.kind.as_str(), er.message.as_str()),
        ("ValidationException", "ExpressionAttributeNames must not be empty")
    );
}

#[test]
fn invalid_expression_attribute_values_name_the_placeholder() {
    // §6.1 gives the AttributeValue messages; real AWS wraps them for ExpressionAttributeValues:
    // "ExpressionAttributeValues contains invalid value: <message> for key <placeholder>".
    let mut e = tables();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "a": n("1")}})));
    let w = "ExpressionAttributeValues contains invalid value: ";
    let cases: Vec<(Value, String)> = vec![
        (
            json!({}),
            format!(
                "{w}Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :v"
            ),
        ),
        (json!({"SS": []}), format!("{w}{P}An string set  may not be empty for key :v")),
        (json!({"NULL": false}), format!("{w}{P}Null attribute value types must have the value of true for key :v")),
        (json!({"N": "abc"}), format!("{w}The parameter cannot be converted to a numeric value: abc for key :v")),
        (json!({"NS": ["1", "1.0"]}), format!("{w}Input collection contains duplicates for key :v")),
    ];
    for (v, msg) in cases {
        validation(
            &mut e,
            "UpdateItem",
            t(json!({"Key": key("A"), "UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": v}})),
            &msg,
        );
        validation(
            &mut e,
            "PutItem",
            t(
                json!({"Item": {"pk": s("B"), "sk": s("S")}, "ConditionExpression": "a <> :v", "ExpressionAttributeValues": {":v": v}}),
            ),
            &msg,
        );
    }
}

#[test]
fn placeholder_maps_need_expressions_and_well_formed_keys() {
    // §6.6 (dynalite messages, matched to real DynamoDB).
    let mut e = tables();
    let item = json!({"pk": s("A"), "sk": s("S")});
    validation(
        &mut e,
        "PutItem",
        t(json!({"Item": item, "ExpressionAttributeValues": {":v": n("1")}})),
        "ExpressionAttributeValues can only be specified when using expressions",
    );
    validation(
        &mut e,
        "PutItem",
        t(json!({"Item": item, "ExpressionAttributeNames": {"#n": "a"}})),
        "ExpressionAttributeNames can only be specified when using expressions",
    );
    validation(
        &mut e,
        "PutItem",
        t(json!({"Item": item, "ConditionExpression": "a = v", "ExpressionAttributeValues": {"v": n("1")}})),
        "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"",
    );
    validation(
        &mut e,
        "PutItem",
        t(json!({"Item": item, "ConditionExpression": "attribute_exists(n)", "ExpressionAttributeNames": {"n": "a"}})),
        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"n\"",
    );
    // Two unused placeholders are both named.
    validation(
        &mut e,
        "PutItem",
        t(
            json!({"Item": item, "ConditionExpression": "attribute_not_exists(pk)", "ExpressionAttributeValues": {":x": n("1"), ":y": n("2")}}),
        ),
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x, :y}",
    );
}

#[test]
fn a_name_placeholder_may_hold_a_dot_and_names_one_attribute() {
    // §6.6: names are needed for "nested names with dots": #d → "x.y" is the top-level attribute
    // "x.y"; the same text written in the expression is the path x → y.
    let mut e = tables();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S")}})));
    ok(
        &mut e,
        "UpdateItem",
        t(json!({"Key": key("A"), "UpdateExpression": "SET #d = :v", "ExpressionAttributeNames": {"#d": "x.y"},
                 "ExpressionAttributeValues": {":v": n("1")}})),
    );
    assert_av_eq(
        &get(&mut e, "A").unwrap(),
        &json!({"pk": s("A"), "sk": s("S"), "x.y": n("1")}),
        "attribute named x.y",
    );
    // x does not exist: x.y is a nested path whose parent is missing (§6.4).
    validation(
        &mut e,
        "UpdateItem",
        t(json!({"Key": key("A"), "UpdateExpression": "SET x.y = :v", "ExpressionAttributeValues": {":v": n("2")}})),
        "The document path provided in the update expression is invalid for update",
    );
    // The condition reads the dotted name through a placeholder.
    ok(
        &mut e,
        "DeleteItem",
        t(json!({"Key": key("A"), "ConditionExpression": "#d = :v", "ExpressionAttributeNames": {"#d": "x.y"},
                 "ExpressionAttributeValues": {":v": n("1")}})),
    );
    assert!(get(&mut e, "A").is_none());
}

#[test]
fn the_same_expression_with_new_values_uses_the_new_values() {
    // §6.6: values are substituted per request. The same UpdateExpression sent again with other
    // values (or other value types) must use them.
    let mut e = tables();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S")}})));
    for (v, want) in
        [(n("1"), n("1")), (n("2"), n("2")), (s("x"), s("x")), (json!({"SS": ["a"]}), json!({"SS": ["a"]}))]
    {
        ok(
            &mut e,
            "UpdateItem",
            t(json!({"Key": key("A"), "UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": v}})),
        );
        assert_eq!(get(&mut e, "A").unwrap()["a"], want);
    }
    // An invalid value after a valid one with the same expression is still rejected.
    validation(
        &mut e,
        "UpdateItem",
        t(json!({"Key": key("A"), "UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": {"SS": ["a", "a"]}}})),
        &format!("ExpressionAttributeValues contains invalid value: {P}Input collection [a, a] contains duplicates. for key :v"),
    );
}

#[test]
fn placeholders_are_at_most_255_bytes() {
    // §6.6: "Each placeholder ≤ 255 bytes" (`#name` is 5 bytes, `:val` 4).
    let mut e = tables();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S")}})));
    let v255 = format!(":{}", "v".repeat(254));
    let n255 = format!("#{}", "n".repeat(254));
    let upd = |name: &str, value: &str| {
        let mut names = serde_json::Map::new();
        names.insert(name.to_string(), json!("a"));
        let mut values = serde_json::Map::new();
        values.insert(value.to_string(), n("1"));
        t(
            json!({"Key": key("A"), "UpdateExpression": format!("SET {name} = {value}"), "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}),
        )
    };
    ok(&mut e, "UpdateItem", upd(&n255, &v255));
    assert_eq!(get(&mut e, "A").unwrap()["a"], n("1"));
    for (name, value) in [(format!("{n255}n"), v255.clone()), (n255.clone(), format!("{v255}v"))] {
        let before = snapshot(&mut e);
        let er = err(&mut e, "UpdateItem", upd(&name, &value));
        assert_eq!(er.kind, "ValidationException", "{}", er.message);
        assert_eq!(snapshot(&mut e), before);
    }
}
