//! UpdateExpression (§6.4): SET, REMOVE, ADD and DELETE, arithmetic, functions, the item seen by
//! right-hand sides, and the errors (§6.4–§6.6) of a failed update, which changes nothing.
//!
//! Expected values come from the spec (section cited) or documented real DynamoDB behaviour
//! (marked "real AWS"). Nothing was copied from the engine's output.

use crate::common::orders::{get, orders, records, scan_all, snapshot, t, tables, validation};
use crate::common::{assert_av_eq, err, key, n, ok, s};
use serde_json::{json, Value};
use streamlab::AwsError;

/// Applies one UpdateItem to a stored item and returns the resulting item (minus keys).
fn update_result(start: Value, expr: &str, values: Value, names: Value) -> Result<Value, AwsError> {
    let mut e = orders();
    let mut item = start;
    item["pk"] = s("A");
    item["sk"] = s("S");
    ok(&mut e, "PutItem", t(json!({ "Item": item })));
    let mut req = json!({"Key": key("A"), "UpdateExpression": expr, "ReturnValues": "ALL_NEW"});
    if values.as_object().is_some_and(|m| !m.is_empty()) {
        req["ExpressionAttributeValues"] = values;
    }
    if names.as_object().is_some_and(|m| !m.is_empty()) {
        req["ExpressionAttributeNames"] = names;
    }
    e.call("UpdateItem", &t(req)).map(|r| {
        let mut a = r["Attributes"].clone();
        a.as_object_mut().unwrap().remove("pk");
        a.as_object_mut().unwrap().remove("sk");
        a
    })
}

fn updated(start: Value, expr: &str, values: Value) -> Value {
    let mut e = tables();
    let mut item = start;
    item["pk"] = s("A");
    item["sk"] = s("S");
    ok(&mut e, "PutItem", t(json!({ "Item": item })));
    let mut req = json!({"Key": key("A"), "UpdateExpression": expr});
    if !values.as_object().unwrap().is_empty() {
        req["ExpressionAttributeValues"] = values;
    }
    ok(&mut e, "UpdateItem", t(req));
    let mut got = get(&mut e, "A").unwrap();
    got.as_object_mut().unwrap().remove("pk");
    got.as_object_mut().unwrap().remove("sk");
    got
}

/// An UpdateItem changes the stored item where it is: a copy of the item held elsewhere (as
/// the lab's item grid holds one) keeps the version it had, and an update that fails after
/// some of its actions ran leaves the item, and the stream, as they were.
#[test]
fn an_update_keeps_held_versions_and_a_failed_one_changes_nothing() {
    let mut e = orders();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "n": {"N": "1"}, "tags": {"SS": ["x"]}}})));
    let held = e.table("Orders").unwrap().items.values().next().cloned().unwrap();
    let out = ok(
        &mut e,
        "UpdateItem",
        t(
            json!({"Key": key("A"), "UpdateExpression": "SET n = n + :one, m = :one", "ExpressionAttributeValues": {":one": {"N": "1"}},
                 "ReturnValues": "UPDATED_NEW"}),
        ),
    );
    assert_eq!(out, json!({"Attributes": {"n": {"N": "2"}, "m": {"N": "1"}}}));
    assert_eq!(
        streamlab::item_to_json(&held),
        json!({"pk": s("A"), "sk": s("S"), "n": {"N": "1"}, "tags": {"SS": ["x"]}})
    );
    let before = (scan_all(&mut e), e.streams_output());
    assert_eq!(records(&e).len(), 2);
    // `tags` is a string set: adding a number to it fails after n and m were set.
    let er = err(
        &mut e,
        "UpdateItem",
        t(
            json!({"Key": key("A"), "UpdateExpression": "SET n = :one REMOVE m ADD tags :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}),
        ),
    );
    assert_eq!(er.message, "An operand in the update expression has an incorrect data type");
    assert_eq!((scan_all(&mut e), e.streams_output()), before);
}

#[test]
fn update_expression_semantics() {
    let l = |xs: &[Value]| json!({ "L": xs });
    let cases: Vec<(&str, Value, &str, Value, Value)> = vec![
        // (why, start item, expression, values, expected item)
        ("SET plain", json!({}), "SET a = :v", json!({":v": s("x")}), json!({"a": s("x")})),
        (
            "SET a = b + :n",
            json!({"b": n("2")}),
            "SET a = b + :n",
            json!({":n": n("3")}),
            json!({"a": n("5"), "b": n("2")}),
        ),
        (
            "SET a = b - :n",
            json!({"b": n("2")}),
            "SET a = b - :n",
            json!({":n": n("3.5")}),
            json!({"a": n("-1.5"), "b": n("2")}),
        ),
        (
            "if_not_exists keeps the existing value",
            json!({"a": n("1")}),
            "SET a = if_not_exists(a, :d)",
            json!({":d": n("9")}),
            json!({"a": n("1")}),
        ),
        (
            "if_not_exists uses the default",
            json!({}),
            "SET a = if_not_exists(a, :d)",
            json!({":d": n("9")}),
            json!({"a": n("9")}),
        ),
        (
            "list_append appends",
            json!({"l": l(&[s("a")])}),
            "SET l = list_append(l, :x)",
            json!({":x": l(&[s("b")])}),
            json!({"l": l(&[s("a"), s("b")])}),
        ),
        (
            "list_append prepends",
            json!({"l": l(&[s("a")])}),
            "SET l = list_append(:x, l)",
            json!({":x": l(&[s("b")])}),
            json!({"l": l(&[s("b"), s("a")])}),
        ),
        (
            "SET list[i] replaces",
            json!({"l": l(&[s("a"), s("b")])}),
            "SET l[1] = :x",
            json!({":x": s("z")}),
            json!({"l": l(&[s("a"), s("z")])}),
        ),
        (
            "SET list[i] beyond the end appends",
            json!({"l": l(&[s("a"), s("b")])}),
            "SET l[7] = :x",
            json!({":x": s("z")}),
            json!({"l": l(&[s("a"), s("b"), s("z")])}),
        ),
        (
            "right-hand sides see the item before the update (swap)",
            json!({"a": s("1"), "b": s("2")}),
            "SET a = b, b = a",
            json!({}),
            json!({"a": s("2"), "b": s("1")}),
        ),
        (
            "SET nested map member",
            json!({"m": {"M": {"x": n("1")}}}),
            "SET m.y = :v",
            json!({":v": n("2")}),
            json!({"m": {"M": {"x": n("1"), "y": n("2")}}}),
        ),
        ("REMOVE attribute", json!({"a": s("1"), "b": s("2")}), "REMOVE a", json!({}), json!({"b": s("2")})),
        (
            "REMOVE list element shifts later elements down",
            json!({"l": l(&[s("a"), s("b"), s("c")])}),
            "REMOVE l[0]",
            json!({}),
            json!({"l": l(&[s("b"), s("c")])}),
        ),
        ("REMOVE missing attribute is a no-op", json!({"a": s("1")}), "REMOVE zz", json!({}), json!({"a": s("1")})),
        ("ADD to a missing number starts from 0", json!({}), "ADD c :n", json!({":n": n("5")}), json!({"c": n("5")})),
        ("ADD negative subtracts", json!({"c": n("5")}), "ADD c :n", json!({":n": n("-7")}), json!({"c": n("-2")})),
        ("ADD creates a set", json!({}), "ADD t :s", json!({":s": {"SS": ["x"]}}), json!({"t": {"SS": ["x"]}})),
        (
            "ADD unions sets",
            json!({"t": {"SS": ["x", "y"]}}),
            "ADD t :s",
            json!({":s": {"SS": ["y", "z"]}}),
            json!({"t": {"SS": ["x", "y", "z"]}}),
        ),
        (
            "DELETE removes members",
            json!({"t": {"NS": ["1", "2", "3"]}}),
            "DELETE t :s",
            json!({":s": {"NS": ["2"]}}),
            json!({"t": {"NS": ["1", "3"]}}),
        ),
        (
            "DELETE emptying the set removes the attribute",
            json!({"t": {"SS": ["x"]}, "a": s("1")}),
            "DELETE t :s",
            json!({":s": {"SS": ["x"]}}),
            json!({"a": s("1")}),
        ),
        (
            "clauses in any order",
            json!({"a": s("1"), "c": n("1")}),
            "REMOVE a ADD c :one SET b = :b",
            json!({":one": n("1"), ":b": s("B")}),
            json!({"b": s("B"), "c": n("2")}),
        ),
        (
            "number arithmetic is exact decimal",
            json!({"c": n("0.1")}),
            "SET c = c + :n",
            json!({":n": n("0.2")}),
            json!({"c": n("0.3")}),
        ),
    ];
    for (why, start, expr, values, want) in cases {
        match update_result(start, expr, values, json!({})) {
            Ok(got) => assert_av_eq(&got, &want, why),
            Err(er) => panic!("{why}: {} {}", er.kind, er.message),
        }
    }
}

#[test]
fn update_and_condition_expression_errors() {
    let iu = "Invalid UpdateExpression: ";
    // (why, start item, update expr, condition, names, values, expected message)
    type Case<'a> = (&'a str, Value, &'a str, Option<&'a str>, Value, Value, String);
    let cases: Vec<Case> = vec![
        (
            "+ on a string",
            json!({"a": s("x")}),
            "SET b = a + :n",
            None,
            json!({}),
            json!({":n": n("1")}),
            "An operand in the update expression has an incorrect data type".into(),
        ),
        (
            "operand refers to a missing attribute",
            json!({}),
            "SET a = b + :one",
            None,
            json!({}),
            json!({":one": n("1")}),
            "The provided expression refers to an attribute that does not exist in the item".into(),
        ),
        (
            "nested path whose parent does not exist",
            json!({}),
            "SET m.x = :v",
            None,
            json!({}),
            json!({":v": n("1")}),
            "The document path provided in the update expression is invalid for update".into(),
        ),
        (
            "ADD with a string operand (parse time)",
            json!({}),
            "ADD a :v",
            None,
            json!({}),
            json!({":v": s("x")}),
            format!("{iu}Incorrect operand type for operator or function; operator: ADD, operand type: STRING"),
        ),
        (
            "ADD number to a string attribute (runtime)",
            json!({"a": s("x")}),
            "ADD a :v",
            None,
            json!({}),
            json!({":v": n("1")}),
            "An operand in the update expression has an incorrect data type".into(),
        ),
        (
            "overlapping paths",
            json!({}),
            "SET a = :v REMOVE a.b",
            None,
            json!({}),
            json!({":v": n("1")}),
            format!("{iu}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"),
        ),
        (
            "reserved word in UpdateExpression",
            json!({}),
            "SET status = :v",
            None,
            json!({}),
            json!({":v": n("1")}),
            format!("{iu}Attribute name is a reserved keyword; reserved keyword: status"),
        ),
        (
            "undefined value in UpdateExpression",
            json!({}),
            "SET a = :v",
            None,
            json!({}),
            json!({":w": n("1")}),
            format!("{iu}An expression attribute value used in expression is not defined; attribute value: :v"),
        ),
        (
            "undefined name in ConditionExpression",
            json!({}),
            "SET a = :v",
            Some("attribute_exists(#n)"),
            json!({}),
            json!({":v": n("1")}),
            "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #n".into(),
        ),
        (
            "reserved word in ConditionExpression",
            json!({}),
            "SET a = :v",
            Some("attribute_exists(name)"),
            json!({}),
            json!({":v": n("1")}),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name".into(),
        ),
        (
            "unused expression attribute value",
            json!({}),
            "SET a = :v",
            None,
            json!({}),
            json!({":v": n("1"), ":x": n("2")}),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}".into(),
        ),
        (
            "unused expression attribute name",
            json!({}),
            "SET a = :v",
            None,
            json!({"#n": "zz"}),
            json!({":v": n("1")}),
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}".into(),
        ),
    ];
    for (why, start, expr, cond, names, values, msg) in cases {
        let mut e = orders();
        let mut item = start;
        item["pk"] = s("A");
        item["sk"] = s("S");
        ok(&mut e, "PutItem", t(json!({ "Item": item })));
        let before = (scan_all(&mut e), e.streams_output());
        let mut req = json!({"Key": key("A"), "UpdateExpression": expr});
        if let Some(c) = cond {
            req["ConditionExpression"] = json!(c);
        }
        if !names.as_object().unwrap().is_empty() {
            req["ExpressionAttributeNames"] = names;
        }
        if !values.as_object().unwrap().is_empty() {
            req["ExpressionAttributeValues"] = values;
        }
        let er = err(&mut e, "UpdateItem", t(req));
        assert_eq!((er.kind.as_str(), er.message.as_str()), ("ValidationException", msg.as_str()), "{why}");
        assert_eq!((scan_all(&mut e), e.streams_output()), before, "{why}: a failed request changes nothing");
    }
}

#[test]
fn update_expression_syntax_errors() {
    // §6.4 each clause keyword at most once; §6.6 parse errors → ValidationException
    // "Invalid UpdateExpression: Syntax error; ..." (format approximate, so only the prefix).
    // One arithmetic operator per operand: `a + :v + :v` is a syntax error in DynamoDB's grammar.
    for expr in ["SET a = :v SET b = :v", "SET", "SET a :v", "FOO a", "SET a = :v,", "REMOVE", "SET a = a + :v + :v"] {
        let mut e = orders();
        let er = err(
            &mut e,
            "UpdateItem",
            t(json!({"Key": key("A"), "UpdateExpression": expr, "ExpressionAttributeValues": {":v": n("1")}})),
        );
        assert_eq!(er.kind, "ValidationException", "{expr}");
        assert!(er.message.starts_with("Invalid UpdateExpression: "), "{expr}: {}", er.message);
        assert!(records(&e).is_empty());
    }
}

#[test]
fn update_delete_on_number_set_uses_numeric_equality() {
    // §6.4 DELETE removes the given elements; numbers compare after canonicalisation (§6.2).
    let got = update_result(
        json!({"ns": {"NS": ["1", "2", "3"]}}),
        "DELETE ns :v",
        json!({":v": {"NS": ["2.0"]}}),
        json!({}),
    )
    .unwrap();
    assert_av_eq(&got, &json!({"ns": {"NS": ["1", "3"]}}), "DELETE 2.0 removes 2");
}

#[test]
fn update_more_errors() {
    let iu = "Invalid UpdateExpression: ";
    let cases: Vec<(Value, &str, Value, Option<String>)> = vec![
        (
            json!({"a": s("x")}),
            "SET a = :v, a = :w",
            json!({":v": n("1"), ":w": n("2")}),
            Some(format!("{iu}Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]")),
        ),
        (json!({"l": {"L": []}}), "ADD l :v", json!({":v": {"L": [s("x")]}}), Some(format!("{iu}Incorrect operand type for operator or function; operator: ADD, operand type: LIST"))),
        (json!({"a": n("1")}), "DELETE a :v", json!({":v": n("1")}), None),
        (json!({"a": s("x")}), "SET l = list_append(a, :v)", json!({":v": {"L": []}}), None),
        (json!({}), "SET a = :v + :w", json!({":v": s("x"), ":w": n("1")}), None),
    ];
    for (start, expr, vals, msg) in cases {
        let er = update_result(start, expr, vals, json!({})).unwrap_err();
        assert_eq!(er.kind, "ValidationException", "{expr}: {}", er.message);
        if let Some(m) = msg {
            assert_eq!(er.message, m, "{expr}");
        }
    }
}

#[test]
fn more_expression_validation_errors() {
    // All ValidationException (§6.4–§6.6; real AWS for the BETWEEN bound order and function
    // name case).
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"UpdateExpression": "SET touched = :tt", "ConditionExpression": "n BETWEEN :hi AND :lo",
                "ExpressionAttributeValues": {":tt": s("x"), ":hi": n("6"), ":lo": n("4")}}),
            "BETWEEN with lower > upper",
        ),
        (
            json!({"UpdateExpression": "SET touched = :tt", "ConditionExpression": "ATTRIBUTE_EXISTS(n)",
                "ExpressionAttributeValues": {":tt": s("x")}}),
            "function names are case-sensitive",
        ),
        (
            json!({"UpdateExpression": "SET touched = :tt", "ConditionExpression": "attribute_type(n, :t)",
                "ExpressionAttributeValues": {":tt": s("x"), ":t": s("NUMBER")}}),
            "attribute_type with an unknown type",
        ),
        (
            json!({"UpdateExpression": "ADD ns :v", "ExpressionAttributeValues": {":v": {"SS": ["a"]}}}),
            "ADD SS to an NS",
        ),
        (
            json!({"UpdateExpression": "DELETE ns :v", "ExpressionAttributeValues": {":v": {"SS": ["a"]}}}),
            "DELETE SS from an NS",
        ),
        (
            json!({"UpdateExpression": "SET l.x = :v", "ExpressionAttributeValues": {":v": s("a")}}),
            "map path into a list",
        ),
        (
            json!({"UpdateExpression": "SET n[0] = :v", "ExpressionAttributeValues": {":v": s("a")}}),
            "list index into a number",
        ),
        (
            json!({"UpdateExpression": format!("SET a = :v{}", ", a = :v".repeat(0)) + &" ".repeat(4100), "ExpressionAttributeValues": {":v": s("a")}}),
            "UpdateExpression > 4 KB",
        ),
        (
            json!({"UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": {"SS": []}}}),
            "invalid AttributeValue in ExpressionAttributeValues",
        ),
        (json!({"UpdateExpression": "SET a = size(l)"}), "size() is not an update function"),
    ];
    for (mut req, why) in cases {
        let mut e = orders();
        ok(
            &mut e,
            "PutItem",
            t(json!({"Item": {"pk": s("A"), "sk": s("S"), "n": n("5"), "ns": {"NS": ["1"]}, "l": {"L": [s("a")]}}})),
        );
        let before = (scan_all(&mut e), e.streams_output());
        req["Key"] = key("A");
        let er = err(&mut e, "UpdateItem", t(req));
        assert_eq!(er.kind, "ValidationException", "{why}: {}", er.message);
        assert_eq!((scan_all(&mut e), e.streams_output()), before, "{why}");
    }
}

#[test]
fn update_expression_more_semantics() {
    let l = |xs: &[&str]| json!({"L": xs.iter().map(|x| s(x)).collect::<Vec<_>>()});
    // operand + operand where the operand is a function (§6.4 "operand = path, :value, or function")
    assert_eq!(
        updated(json!({}), "SET c = if_not_exists(c, :z) + :one", json!({":z": n("0"), ":one": n("1")})),
        json!({"c": n("1")})
    );
    assert_eq!(
        updated(json!({"c": n("5")}), "SET c = if_not_exists(c, :z) + :one", json!({":z": n("0"), ":one": n("1")})),
        json!({"c": n("6")})
    );
    // list_append of two literal lists
    assert_eq!(
        updated(json!({}), "SET l = list_append(:a, :b)", json!({":a": l(&["a"]), ":b": l(&["b"])})),
        json!({"l": l(&["a", "b"])})
    );
    // REMOVE of several list elements: each index names an element of the list before the update
    assert_eq!(
        updated(json!({"l": l(&["a", "b", "c", "d"])}), "REMOVE l[0], l[2]", json!({})),
        json!({"l": l(&["b", "d"])})
    );
    // REMOVE of a nested map member and of a missing nested member
    assert_eq!(
        updated(json!({"m": {"M": {"x": n("1"), "y": n("2")}}}), "REMOVE m.x, m.zz", json!({})),
        json!({"m": {"M": {"y": n("2")}}})
    );
    // DELETE of the elements a set does not have leaves it as it is
    assert_av_eq(
        &updated(json!({"t": {"SS": ["a", "b"]}}), "DELETE t :v", json!({":v": {"SS": ["c"]}})),
        &json!({"t": {"SS": ["a", "b"]}}),
        "DELETE absent members",
    );
    // ADD of a number to a number set, of an NS to a missing attribute
    assert_av_eq(
        &updated(json!({}), "ADD t :v", json!({":v": {"NS": ["1", "2"]}})),
        &json!({"t": {"NS": ["1", "2"]}}),
        "ADD NS creates",
    );
    // SET of a path in a list element's map
    assert_eq!(
        updated(json!({"l": {"L": [{"M": {"k": n("1")}}]}}), "SET l[0].k = :v", json!({":v": n("2")})),
        json!({"l": {"L": [{"M": {"k": n("2")}}]}})
    );
}

#[test]
fn delete_from_a_missing_attribute_changes_nothing() {
    // §6.4 DELETE removes the given elements; real AWS: DELETE on an attribute the item does not
    // have succeeds and writes nothing (no record, §0 no-op writes).
    let mut e = tables();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "a": n("1")}})));
    ok(
        &mut e,
        "UpdateItem",
        t(
            json!({"Key": key("A"), "UpdateExpression": "DELETE t :v", "ExpressionAttributeValues": {":v": {"SS": ["x"]}}}),
        ),
    );
    assert_av_eq(&get(&mut e, "A").unwrap(), &json!({"pk": s("A"), "sk": s("S"), "a": n("1")}), "unchanged");
    assert_eq!(records(&e).len(), 1);
}

#[test]
fn update_runtime_type_errors() {
    // §6.4: + / - need numbers ("An operand in the update expression has an incorrect data
    // type"); ADD to a set of another type, DELETE from a non-set (runtime).
    let msg = "An operand in the update expression has an incorrect data type";
    let mut e = tables();
    ok(
        &mut e,
        "PutItem",
        t(json!({"Item": {"pk": s("A"), "sk": s("S"), "s": s("x"), "ns": {"NS": ["1"]}, "l": {"L": []}}})),
    );
    for (expr, v) in [
        ("SET a = :v - s", n("1")),
        ("SET a = ns + :v", n("1")),
        ("ADD ns :v", json!({"SS": ["a"]})),
        ("ADD s :v", json!({"SS": ["a"]})),
        ("DELETE s :v", json!({"SS": ["a"]})),
        ("SET a = list_append(s, l)", json!(null)),
    ] {
        let mut req = json!({"Key": key("A"), "UpdateExpression": expr});
        if !v.is_null() {
            req["ExpressionAttributeValues"] = json!({":v": v});
        }
        validation(&mut e, "UpdateItem", t(req), msg);
    }
}

#[test]
fn update_expression_holds_at_most_300_operators_or_functions() {
    // §6.4: "≤ 300 operators/functions in an UpdateExpression (D)". 300 `+` (one per SET action,
    // each on its own attribute, the whole under 4 KB) is accepted; 301 is a ValidationException
    // naming UpdateExpression; functions count as well.
    let mut e = tables();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S")}})));
    let plus = |k: usize| format!("SET {}", (0..k).map(|i| format!("a{i}=:v+:v")).collect::<Vec<_>>().join(","));
    let func =
        |k: usize| format!("SET {}", (0..k).map(|i| format!("a{i}=if_not_exists(b,:v)")).collect::<Vec<_>>().join(","));
    let upd =
        |x: String| t(json!({"Key": key("A"), "UpdateExpression": x, "ExpressionAttributeValues": {":v": n("1")}}));
    assert!(plus(301).len() < 4096 && func(150).len() < 4096);
    ok(&mut e, "UpdateItem", upd(plus(300)));
    assert_eq!(get(&mut e, "A").unwrap()["a299"], n("2"));
    for x in [plus(301), format!("{}, c = if_not_exists(b, :v)", plus(300))] {
        let before = snapshot(&mut e);
        let er = err(&mut e, "UpdateItem", upd(x.clone()));
        assert_eq!(er.kind, "ValidationException", "{}", er.message);
        assert!(er.message.starts_with("Invalid UpdateExpression: "), "{}", er.message);
        assert_eq!(snapshot(&mut e), before);
    }
    // if_not_exists plus a `+`: two per action. 100 of them and 100 plain `+` are 300.
    let mix = |extra: bool| {
        let mut acts: Vec<String> = (0..100).map(|i| format!("a{i}=if_not_exists(b,:v)+:v")).collect();
        acts.extend((0..100).map(|i| format!("c{i}=:v+:v")));
        if extra {
            acts.push("d=:v+:v".into());
        }
        format!("SET {}", acts.join(","))
    };
    assert!(mix(true).len() < 4096);
    ok(&mut e, "UpdateItem", upd(mix(false)));
    assert_eq!(err(&mut e, "UpdateItem", upd(mix(true))).kind, "ValidationException");
}

#[test]
fn arithmetic_that_cancels_out_gives_zero() {
    // §6.4 SET a = a + :v and a - :v, ADD: numbers are exact decimals (§6.1), so a value plus
    // its opposite is exactly 0, stored as "0" (§6.2 canonical form: "-0 is 0").
    assert_eq!(updated(json!({"c": n("5.25")}), "SET c = c + :m", json!({":m": n("-5.25")})), json!({"c": n("0")}));
    assert_eq!(updated(json!({"c": n("-7")}), "SET c = c - :m", json!({":m": n("-7")})), json!({"c": n("0")}));
    assert_eq!(updated(json!({"c": n("3")}), "ADD c :m", json!({":m": n("-3")})), json!({"c": n("0")}));
    assert_eq!(updated(json!({"c": n("0")}), "SET c = :z - c", json!({":z": n("0")})), json!({"c": n("0")}));
}
