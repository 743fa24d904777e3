//! ConditionExpression (§6.5): comparisons, functions, precedence, conditions on missing items,
//! and ReturnValuesOnConditionCheckFailure.
//!
//! Expected values come from the spec (section cited) or documented real DynamoDB behaviour
//! (marked "real AWS"). Nothing was copied from the engine's output.

use crate::common::orders::{get_item, orders, snapshot, t, tables};
use crate::common::{assert_av_eq, err, key, n, ok, s};
use serde_json::{json, Value};

fn cond_holds(cond: &str, values: Value) -> bool {
    let mut e = tables();
    ok(
        &mut e,
        "PutItem",
        t(
            json!({"Item": {"pk": s("A"), "sk": s("S"), "n": n("5"), "str": s("abc"), "l": {"L": [{"M": {"k": s("v")}}]}}}),
        ),
    );
    let mut req = json!({"Key": key("A"), "ConditionExpression": cond});
    if !values.as_object().unwrap().is_empty() {
        req["ExpressionAttributeValues"] = values;
    }
    match e.call("DeleteItem", &t(req)) {
        Ok(_) => true,
        Err(er) if er.kind == "ConditionalCheckFailedException" => false,
        Err(er) => panic!("{cond}: {} {}", er.kind, er.message),
    }
}

#[test]
fn condition_expression_semantics() {
    // The stored item every condition is checked against.
    let item = json!({"pk": s("A"), "sk": s("S"), "n": n("5"), "str": s("hello world"), "b": {"B": "AAEC"},
                      "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2", "3"]}, "l": {"L": [s("a"), n("1")]},
                      "m": {"M": {"k": s("v"), "k2": n("2")}}, "t": {"BOOL": true}, "nul": {"NULL": true}});
    let v = json!({":n5": n("5"), ":n4": n("4"), ":n6": n("6"), ":sfive": s("5"), ":hel": s("hel"), ":wor": s("wor"),
                   ":x": s("x"), ":z": s("z"), ":a": s("a"), ":one": n("1"), ":two": n("2"), ":n3": n("3"),
                   ":S": s("S"), ":N": s("N"), ":SS": s("SS"), ":NS": s("NS"), ":B": s("B"), ":L": s("L"), ":M": s("M"),
                   ":BOOL": s("BOOL"), ":NULL": s("NULL"), ":n11": n("11"), ":hw": s("hello world"), ":b0": {"B": "AA=="}});
    let cases: Vec<(&str, bool)> = vec![
        ("n = :n5", true),
        ("n <> :n5", false),
        ("n < :n6", true),
        ("n <= :n5", true),
        ("n > :n4", true),
        ("n >= :n6", false),
        ("n = :sfive", false), // different types: false
        ("n <> :sfive", true), // different types: <> true
        ("nope = :n5", false), // missing path: false
        ("nope < :n5", false),
        ("n BETWEEN :n4 AND :n6", true),
        ("n BETWEEN :n6 AND :n11", false),
        ("n IN (:n4, :n5)", true),
        ("n IN (:n4, :n6)", false),
        ("str IN (:hw)", true),
        ("attribute_exists(n)", true),
        ("attribute_exists(nope)", false),
        ("attribute_not_exists(nope)", true),
        ("attribute_exists(m.k)", true),
        ("attribute_exists(m.zz)", false),
        ("attribute_exists(l[1])", true),
        ("attribute_exists(l[2])", false),
        ("attribute_type(n, :N)", true),
        ("attribute_type(n, :S)", false),
        ("attribute_type(str, :S)", true),
        ("attribute_type(ss, :SS)", true),
        ("attribute_type(ns, :NS)", true),
        ("attribute_type(b, :B)", true),
        ("attribute_type(l, :L)", true),
        ("attribute_type(m, :M)", true),
        ("attribute_type(t, :BOOL)", true),
        ("attribute_type(nul, :NULL)", true),
        ("begins_with(str, :hel)", true),
        ("begins_with(str, :wor)", false),
        ("begins_with(b, :b0)", true),
        ("contains(str, :wor)", true),
        ("contains(str, :z)", false),
        ("contains(ss, :x)", true),
        ("contains(ss, :z)", false),
        ("contains(ns, :two)", true),
        ("contains(l, :a)", true),
        ("contains(l, :one)", true),
        ("contains(l, :z)", false),
        ("size(str) = :n11", true),
        ("size(b) = :n3", true),
        ("size(ss) = :two", true),
        ("size(ns) = :n3", true),
        ("size(l) = :two", true),
        ("size(m) = :two", true),
        ("m.k2 = :two", true),
        ("l[1] = :one", true),
        ("NOT n = :n5", false),
        ("NOT (n = :n4)", true),
        ("n = :n4 OR n = :n5 AND str = :z", false), // OR binds looser: F OR (T AND F)
        ("n = :n5 OR n = :n4 AND str = :z", true),  // T OR (F AND F)
        ("(n = :n5 OR n = :n4) AND str = :z", false),
        ("n = :n5 AND attribute_exists(str)", true),
    ];
    for (cond, want) in cases {
        let mut e = orders();
        ok(&mut e, "PutItem", t(json!({ "Item": item })));
        // Only pass the placeholders the condition uses (unused ones are an error, §6.6).
        let used: serde_json::Map<String, Value> = v
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| {
                cond.match_indices(k.as_str()).any(|(i, _)| {
                    let rest = &cond[i + k.len()..];
                    !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                })
            })
            .map(|(k, x)| (k.clone(), x.clone()))
            .collect();
        let mut req = json!({"Key": key("A"), "UpdateExpression": "SET touched = :tt", "ConditionExpression": cond});
        let mut vals = used;
        vals.insert(":tt".into(), s("yes"));
        req["ExpressionAttributeValues"] = Value::Object(vals);
        let r = e.call("UpdateItem", &t(req));
        match (want, r) {
            (true, Ok(_)) => assert!(get_item(&mut e, "A").unwrap().get("touched").is_some(), "{cond}"),
            (false, Err(er)) => {
                assert_eq!(
                    (er.kind.as_str(), er.message.as_str()),
                    ("ConditionalCheckFailedException", "The conditional request failed"),
                    "{cond}"
                );
                assert!(get_item(&mut e, "A").unwrap().get("touched").is_none(), "{cond}");
            }
            (w, r) => panic!("{cond}: expected {w}, got {r:?}"),
        }
    }
}

#[test]
fn condition_on_missing_item_sees_empty_item() {
    // §6.5: the condition is checked against an empty item if none exists.
    let mut e = orders();
    ok(
        &mut e,
        "PutItem",
        t(json!({"Item": {"pk": s("A"), "sk": s("S")}, "ConditionExpression": "attribute_not_exists(pk)"})),
    );
    let er = err(
        &mut e,
        "PutItem",
        t(json!({"Item": {"pk": s("A"), "sk": s("S")}, "ConditionExpression": "attribute_not_exists(pk)"})),
    );
    assert_eq!(er.kind, "ConditionalCheckFailedException");
    let er = err(&mut e, "DeleteItem", t(json!({"Key": key("B"), "ConditionExpression": "attribute_exists(pk)"})));
    assert_eq!(er.kind, "ConditionalCheckFailedException");
}

#[test]
fn condition_contains_same_path_twice_is_error() {
    // §6.5: contains(a, a) is an error (ValidationException).
    let mut e = orders();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "a": s("x")}})));
    let er = err(&mut e, "DeleteItem", t(json!({"Key": key("A"), "ConditionExpression": "contains(a, a)"})));
    assert_eq!(er.kind, "ValidationException");
    assert!(get_item(&mut e, "A").is_some());
}

#[test]
fn condition_failure_returns_old_item_when_asked() {
    // §6.5 / §6.7: ReturnValuesOnConditionCheckFailure ALL_OLD attaches "Item".
    let item = json!({"pk": s("A"), "sk": s("S"), "v": n("1")});
    for (action, req) in [
        ("PutItem", json!({"Item": {"pk": s("A"), "sk": s("S")}, "ConditionExpression": "attribute_not_exists(pk)"})),
        (
            "DeleteItem",
            json!({"Key": key("A"), "ConditionExpression": "v = :two", "ExpressionAttributeValues": {":two": n("2")}}),
        ),
        (
            "UpdateItem",
            json!({"Key": key("A"), "UpdateExpression": "REMOVE v", "ConditionExpression": "v = :two", "ExpressionAttributeValues": {":two": n("2")}}),
        ),
    ] {
        let mut e = orders();
        ok(&mut e, "PutItem", t(json!({ "Item": item })));
        let mut r = req.clone();
        r["ReturnValuesOnConditionCheckFailure"] = json!("ALL_OLD");
        let er = err(&mut e, action, t(r));
        assert_eq!(er.kind, "ConditionalCheckFailedException", "{action}");
        assert_av_eq(&er.extra["Item"], &item, action);
        // Without it (NONE / absent) there is no Item.
        let er = err(&mut e, action, t(req));
        assert!(er.extra.get("Item").is_none(), "{action}");
    }
}

#[test]
fn condition_more_semantics() {
    // §6.5: IN takes ≤ 100 values; string comparisons are by bytes; functions on the wrong
    // type evaluate to false.
    let mut e = orders();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "n": n("5"), "str": s("B")}})));
    let vals: serde_json::Map<String, Value> = (0..101).map(|i| (format!(":v{i}"), n(&i.to_string()))).collect();
    let list: Vec<String> = (0..101).map(|i| format!(":v{i}")).collect();
    let er = err(
        &mut e,
        "DeleteItem",
        t(
            json!({"Key": key("A"), "ConditionExpression": format!("n IN ({})", list.join(", ")), "ExpressionAttributeValues": vals}),
        ),
    );
    assert_eq!(er.kind, "ValidationException");
    let cases: Vec<(&str, Value, bool)> = vec![
        ("str < :a", json!({":a": s("a")}), true), // "B" (0x42) < "a" (0x61)
        ("begins_with(n, :p)", json!({":p": s("5")}), false),
        ("size(nope) = :z", json!({":z": n("0")}), false),
        ("contains(n, :p)", json!({":p": s("5")}), false),
        ("n = :v", json!({":v": n("5.00")}), true),
    ];
    for (cond, vals, want) in cases {
        let r = e.call(
            "UpdateItem",
            &t(json!({"Key": key("A"), "UpdateExpression": "SET touched = :tt", "ConditionExpression": cond,
                      "ExpressionAttributeValues": {":tt": s("x")}}))
            .as_object()
            .map(|m| {
                let mut m = m.clone();
                let mut v = vals.as_object().unwrap().clone();
                v.insert(":tt".into(), s("x"));
                m.insert("ExpressionAttributeValues".into(), Value::Object(v));
                Value::Object(m)
            })
            .unwrap(),
        );
        match (want, &r) {
            (true, Ok(_)) => {}
            (false, Err(er)) => assert_eq!(er.kind, "ConditionalCheckFailedException", "{cond}: {}", er.message),
            _ => panic!("{cond}: expected {want}, got {r:?}"),
        }
    }
}

#[test]
fn condition_equality_of_sets_lists_and_maps() {
    // §6.1 sets are unordered; §6.2 numbers compare canonically. Real AWS: `=` on sets is set
    // equality, on lists ordered element equality, on maps member equality.
    let item = json!({"pk": s("A"), "sk": s("S"), "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2.5"]},
                      "l": {"L": [s("a"), n("1")]}, "m": {"M": {"k": n("1"), "j": s("v")}}});
    let cases: Vec<(&str, Value, bool)> = vec![
        ("ss = :v", json!({"SS": ["y", "x"]}), true),
        ("ss = :v", json!({"SS": ["x"]}), false),
        ("ns = :v", json!({"NS": ["2.50", "1.0"]}), true),
        ("l = :v", json!({"L": [s("a"), n("1.0")]}), true),
        ("l = :v", json!({"L": [n("1"), s("a")]}), false),
        ("m = :v", json!({"M": {"j": s("v"), "k": n("1")}}), true),
        ("m <> :v", json!({"M": {"j": s("v")}}), true),
    ];
    for (cond, v, want) in cases {
        let mut e = orders();
        ok(&mut e, "PutItem", t(json!({ "Item": item })));
        let r = e.call(
            "UpdateItem",
            &t(json!({"Key": key("A"), "UpdateExpression": "SET touched = :tt", "ConditionExpression": cond,
                      "ExpressionAttributeValues": {":v": v, ":tt": s("x")}})),
        );
        match (want, &r) {
            (true, Ok(_)) => {}
            (false, Err(er)) => assert_eq!(er.kind, "ConditionalCheckFailedException", "{cond} {v}: {}", er.message),
            _ => panic!("{cond} {v}: expected {want}, got {r:?}"),
        }
    }
}

#[test]
fn condition_failure_on_missing_item_has_no_item_member() {
    // §6.5: ALL_OLD attaches the current item; with no item there is nothing to attach.
    let mut e = orders();
    let er = err(
        &mut e,
        "DeleteItem",
        t(
            json!({"Key": key("A"), "ConditionExpression": "attribute_exists(pk)", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}),
        ),
    );
    assert_eq!(er.kind, "ConditionalCheckFailedException");
    assert!(er.extra.get("Item").is_none(), "{:?}", er.extra);
}

#[test]
fn condition_precedence_and_nesting() {
    // §6.5 precedence (high → low): comparators, IN, BETWEEN, functions, NOT, AND, OR.
    let v = json!({":a": n("4"), ":b": n("6"), ":x": s("zzz")});
    // NOT binds tighter than AND: (NOT F) AND F = F; NOT (F AND F) would be T.
    assert!(!cond_holds("NOT n = :a AND str = :x", json!({":a": n("4"), ":x": s("zzz")})));
    // NOT binds tighter than OR: (NOT T) OR T = T.
    assert!(cond_holds("NOT n = :b OR n <> :b", json!({":b": n("6")})));
    // BETWEEN's AND is not the boolean AND: (n BETWEEN 4 AND 6) AND str = "zzz" → F.
    assert!(!cond_holds("n BETWEEN :a AND :b AND str = :x", v.clone()));
    assert!(cond_holds("n BETWEEN :a AND :b OR str = :x", v));
    // Parentheses group; NOT applies to the group.
    assert!(cond_holds("NOT (n = :a OR str = :x)", json!({":a": n("4"), ":x": s("zzz")})));
    // Document paths into lists of maps.
    assert!(cond_holds("l[0].k = :v", json!({":v": s("v")})));
    assert!(cond_holds("attribute_not_exists(l[0].zz)", json!({})));
    // Functions on both sides of a comparator.
    assert!(cond_holds("size(str) < size(l[0].k) OR size(str) = :three", json!({":three": n("3")})));
}

#[test]
fn condition_in_takes_up_to_100_values() {
    // §6.5: IN (operand, ...) takes ≤ 100 values: exactly 100 is accepted.
    let vals: serde_json::Map<String, Value> = (0..100).map(|i| (format!(":v{i}"), n(&i.to_string()))).collect();
    let list: Vec<String> = (0..100).map(|i| format!(":v{i}")).collect();
    assert!(cond_holds(&format!("n IN ({})", list.join(", ")), Value::Object(vals)));
}

#[test]
fn condition_function_arguments() {
    // §6.5: attribute_type's type must be an expression value; functions are case-sensitive;
    // a condition with a syntax error is a ValidationException naming ConditionExpression.
    let mut e = tables();
    ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "n": n("5"), "t": s("N")}})));
    for (cond, vals) in [
        ("attribute_type(n, t)", json!(null)),
        ("Attribute_Exists(n)", json!(null)),
        ("n = ", json!(null)),
        ("begins_with(n)", json!(null)),
        ("attribute_exists(:v)", json!({":v": s("n")})),
        // begins_with takes strings or binaries: a number value is refused (checked below).
        ("begins_with(t, :v)", json!({":v": n("1")})),
    ] {
        let mut req = json!({"Key": key("A"), "ConditionExpression": cond});
        if !vals.is_null() {
            req["ExpressionAttributeValues"] = vals;
        }
        let before = snapshot(&mut e);
        let er = err(&mut e, "DeleteItem", t(req));
        assert_eq!(er.kind, "ValidationException", "{cond}: {}", er.message);
        assert!(er.message.starts_with("Invalid ConditionExpression: "), "{cond}: {}", er.message);
        assert_eq!(snapshot(&mut e), before);
    }
    let er = err(
        &mut e,
        "DeleteItem",
        t(
            json!({"Key": key("A"), "ConditionExpression": "begins_with(t, :v)", "ExpressionAttributeValues": {":v": n("1")}}),
        ),
    );
    assert!(
        er.message.contains(
            "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"
        ),
        "{}",
        er.message
    );
}
