//! Audit of `aws-semantics.md` §6 (items, keys, sizes, expressions, ReturnValues, batches and
//! transactions): behaviours the other test files did not pin down. Every expected value is
//! derived by hand from the spec text (section cited) or, where the spec is silent, from real
//! DynamoDB behaviour (marked "real AWS"); none was copied from the engine's output.
#![cfg(not(target_arch = "wasm32"))] // native tests: `make test` runs tests/web.rs in the browser

use serde_json::{json, Value};
mod common;
use common::*;
use streamlab::Engine;

const P: &str = "One or more parameter values were invalid: ";

/// `Orders` (pk S HASH, sk S RANGE, NEW_AND_OLD_IMAGES stream) and `Plain` (pk S HASH, no stream).
fn tables() -> Engine {
    let mut e = engine();
    ok(
        &mut e,
        "CreateTable",
        json!({"TableName": "Orders",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
               "BillingMode": "PAY_PER_REQUEST",
               "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}),
    );
    ok(
        &mut e,
        "CreateTable",
        json!({"TableName": "Plain", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}),
    );
    e
}

fn o(mut r: Value) -> Value {
    r["TableName"] = json!("Orders");
    r
}

fn key(pk: &str) -> Value {
    json!({"pk": s(pk), "sk": s("S")})
}

fn records(e: &Engine) -> Vec<Value> {
    let out = e.streams_output();
    out.as_array().unwrap()[0]["Records"].as_array().unwrap().clone()
}

fn get(e: &mut Engine, pk: &str) -> Option<Value> {
    ok(e, "GetItem", o(json!({"Key": key(pk)}))).get("Item").cloned()
}

fn snapshot(e: &mut Engine) -> (Value, Value, Value) {
    let a = ok(e, "Scan", json!({"TableName": "Orders"}))["Items"].clone();
    let b = ok(e, "Scan", json!({"TableName": "Plain"}))["Items"].clone();
    (a, b, e.streams_output())
}

#[track_caller]
fn validation(e: &mut Engine, action: &str, req: Value, msg: &str) {
    let before = snapshot(e);
    let er = err(e, action, req.clone());
    assert_eq!((er.kind.as_str(), er.message.as_str()), ("ValidationException", msg), "{action} {req}");
    assert_eq!(snapshot(e), before, "a failed {action} changes nothing");
}

// ---------------------------------------------------------------------------------------------
// §6.6 ExpressionAttributeNames / ExpressionAttributeValues
// ---------------------------------------------------------------------------------------------

#[test]
fn invalid_expression_attribute_values_name_the_placeholder() {
    // §6.1 gives the AttributeValue messages; real AWS wraps them for ExpressionAttributeValues:
    // "ExpressionAttributeValues contains invalid value: <message> for key <placeholder>".
    let mut e = tables();
    ok(&mut e, "PutItem", o(json!({"Item": {"pk": s("A"), "sk": s("S"), "a": n("1")}})));
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
            o(json!({"Key": key("A"), "UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": v}})),
            &msg,
        );
        validation(
            &mut e,
            "PutItem",
            o(
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
        o(json!({"Item": item, "ExpressionAttributeValues": {":v": n("1")}})),
        "ExpressionAttributeValues can only be specified when using expressions",
    );
    validation(
        &mut e,
        "PutItem",
        o(json!({"Item": item, "ExpressionAttributeNames": {"#n": "a"}})),
        "ExpressionAttributeNames can only be specified when using expressions",
    );
    validation(
        &mut e,
        "PutItem",
        o(json!({"Item": item, "ConditionExpression": "a = v", "ExpressionAttributeValues": {"v": n("1")}})),
        "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\"",
    );
    validation(
        &mut e,
        "PutItem",
        o(json!({"Item": item, "ConditionExpression": "attribute_exists(n)", "ExpressionAttributeNames": {"n": "a"}})),
        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"n\"",
    );
    // Two unused placeholders are both named.
    validation(
        &mut e,
        "PutItem",
        o(
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
    ok(&mut e, "PutItem", o(json!({"Item": {"pk": s("A"), "sk": s("S")}})));
    ok(
        &mut e,
        "UpdateItem",
        o(json!({"Key": key("A"), "UpdateExpression": "SET #d = :v", "ExpressionAttributeNames": {"#d": "x.y"},
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
        o(json!({"Key": key("A"), "UpdateExpression": "SET x.y = :v", "ExpressionAttributeValues": {":v": n("2")}})),
        "The document path provided in the update expression is invalid for update",
    );
    // The condition reads the dotted name through a placeholder.
    ok(
        &mut e,
        "DeleteItem",
        o(json!({"Key": key("A"), "ConditionExpression": "#d = :v", "ExpressionAttributeNames": {"#d": "x.y"},
                 "ExpressionAttributeValues": {":v": n("1")}})),
    );
    assert!(get(&mut e, "A").is_none());
}

#[test]
fn the_same_expression_with_new_values_uses_the_new_values() {
    // §6.6: values are substituted per request. The same UpdateExpression sent again with other
    // values (or other value types) must use them.
    let mut e = tables();
    ok(&mut e, "PutItem", o(json!({"Item": {"pk": s("A"), "sk": s("S")}})));
    for (v, want) in
        [(n("1"), n("1")), (n("2"), n("2")), (s("x"), s("x")), (json!({"SS": ["a"]}), json!({"SS": ["a"]}))]
    {
        ok(
            &mut e,
            "UpdateItem",
            o(json!({"Key": key("A"), "UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": v}})),
        );
        assert_eq!(get(&mut e, "A").unwrap()["a"], want);
    }
    // An invalid value after a valid one with the same expression is still rejected.
    validation(
        &mut e,
        "UpdateItem",
        o(json!({"Key": key("A"), "UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": {"SS": ["a", "a"]}}})),
        &format!("ExpressionAttributeValues contains invalid value: {P}Input collection [a, a] contains duplicates. for key :v"),
    );
}

// ---------------------------------------------------------------------------------------------
// §6.2 keys
// ---------------------------------------------------------------------------------------------

#[test]
fn key_attributes_cannot_be_updated_by_any_clause_or_placeholder() {
    let mut e = tables();
    ok(&mut e, "PutItem", o(json!({"Item": {"pk": s("A"), "sk": s("S")}})));
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"UpdateExpression": "SET #k = :v", "ExpressionAttributeNames": {"#k": "pk"}, "ExpressionAttributeValues": {":v": s("B")}}),
            "pk",
        ),
        (json!({"UpdateExpression": "ADD sk :v", "ExpressionAttributeValues": {":v": {"SS": ["x"]}}}), "sk"),
        (json!({"UpdateExpression": "DELETE pk :v", "ExpressionAttributeValues": {":v": {"SS": ["x"]}}}), "pk"),
        // Setting the key to the value it has is still an update of the key.
        (
            json!({"UpdateExpression": "SET a = :v, sk = :s", "ExpressionAttributeValues": {":v": s("B"), ":s": s("S")}}),
            "sk",
        ),
    ];
    for (mut req, k) in cases {
        req["Key"] = key("A");
        validation(
            &mut e,
            "UpdateItem",
            o(req),
            &format!("{P}Cannot update attribute {k}. This attribute is part of the key"),
        );
    }
}

#[test]
fn a_key_with_the_right_count_but_a_wrong_name_does_not_match_the_schema() {
    // §6.2: "Get/Update/Delete Key with wrong attributes ... The provided key element does not match the schema".
    let mut e = tables();
    let bad = json!({"pk": s("A"), "other": s("S")});
    for (action, mut req) in [
        ("GetItem", json!({})),
        ("DeleteItem", json!({})),
        ("UpdateItem", json!({"UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": n("1")}})),
    ] {
        req["Key"] = bad.clone();
        validation(&mut e, action, o(req), "The provided key element does not match the schema");
    }
    // A key attribute of a non-key type in PutItem.
    validation(
        &mut e,
        "PutItem",
        o(json!({"Item": {"pk": s("A"), "sk": {"NULL": true}}})),
        &format!("{P}Type mismatch for key sk expected: S actual: NULL"),
    );
}

#[test]
fn create_table_key_types_and_definitions() {
    // §6.2: key attribute types must be S, N or B and declared in AttributeDefinitions; one HASH,
    // optionally one RANGE.
    let mut e = engine();
    let make = |ks: Value, defs: Value| json!({"TableName": "Keys", "KeySchema": ks, "AttributeDefinitions": defs, "BillingMode": "PAY_PER_REQUEST"});
    for (ks, defs) in [
        (
            json!([{"AttributeName": "pk", "KeyType": "HASH"}]),
            json!([{"AttributeName": "pk", "AttributeType": "BOOL"}]),
        ),
        (
            json!([{"AttributeName": "pk", "KeyType": "HASH"}]),
            json!([{"AttributeName": "other", "AttributeType": "S"}]),
        ),
        (json!([{"AttributeName": "pk", "KeyType": "RANGE"}]), json!([{"AttributeName": "pk", "AttributeType": "S"}])),
        (
            json!([{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "HASH"}]),
            json!([{"AttributeName": "a", "AttributeType": "S"}, {"AttributeName": "b", "AttributeType": "S"}]),
        ),
        (json!([]), json!([{"AttributeName": "pk", "AttributeType": "S"}])),
    ] {
        let er = err(&mut e, "CreateTable", make(ks.clone(), defs));
        assert_eq!(er.kind, "ValidationException", "{ks}: {}", er.message);
    }
    assert!(e.table("Keys").is_none());
    ok(
        &mut e,
        "CreateTable",
        make(
            json!([{"AttributeName": "pk", "KeyType": "HASH"}]),
            json!([{"AttributeName": "pk", "AttributeType": "B"}]),
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// §6.3 item size
// ---------------------------------------------------------------------------------------------

/// An item of every type whose size, by the §6.3 rules, is 54 + the length of `d`:
///   pk "A"                  2 + 1                               =  3
///   sk "S"                  2 + 1                               =  3
///   n  42                   1 + 2 (§6.3 example "42 → 2")        =  3
///   ns [101, 25.5]          2 + (3 + 3) (examples)              =  8
///   m  {ab: "xyz", c: [1.2, true]}
///                           1 + 3 + (1+2+3) + (1+1+(3 + (1+3) + (1+1)))  = 21
///   g  -7                   1 + 3 (example)                     =  4
///   k  1000                 1 + 2 (example)                     =  3
///   b  BS [0x01 0x02, "foo"] 1 + (2 + 3)                        =  6
///   z  NULL                 1 + 1                               =  2
///   d  S                    1 + len
/// total 53 + 1 + len.
fn sized_item(pk: &str, len: usize) -> Value {
    json!({"pk": s(pk), "sk": s("S"), "n": n("42"), "ns": {"NS": ["101", "25.5"]},
           "m": {"M": {"ab": s("xyz"), "c": {"L": [n("1.2"), {"BOOL": true}]}}},
           "g": n("-7"), "k": n("1000"), "b": {"BS": ["AQI=", "Zm9v"]}, "z": {"NULL": true}, "d": s(&"x".repeat(len))})
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

// ---------------------------------------------------------------------------------------------
// §6.4 UpdateExpression
// ---------------------------------------------------------------------------------------------

fn updated(start: Value, expr: &str, values: Value) -> Value {
    let mut e = tables();
    let mut item = start;
    item["pk"] = s("A");
    item["sk"] = s("S");
    ok(&mut e, "PutItem", o(json!({ "Item": item })));
    let mut req = json!({"Key": key("A"), "UpdateExpression": expr});
    if !values.as_object().unwrap().is_empty() {
        req["ExpressionAttributeValues"] = values;
    }
    ok(&mut e, "UpdateItem", o(req));
    let mut got = get(&mut e, "A").unwrap();
    got.as_object_mut().unwrap().remove("pk");
    got.as_object_mut().unwrap().remove("sk");
    got
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
    ok(&mut e, "PutItem", o(json!({"Item": {"pk": s("A"), "sk": s("S"), "a": n("1")}})));
    ok(
        &mut e,
        "UpdateItem",
        o(
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
        o(json!({"Item": {"pk": s("A"), "sk": s("S"), "s": s("x"), "ns": {"NS": ["1"]}, "l": {"L": []}}})),
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
        validation(&mut e, "UpdateItem", o(req), msg);
    }
}

// ---------------------------------------------------------------------------------------------
// §6.5 ConditionExpression
// ---------------------------------------------------------------------------------------------

fn cond_holds(cond: &str, values: Value) -> bool {
    let mut e = tables();
    ok(
        &mut e,
        "PutItem",
        o(
            json!({"Item": {"pk": s("A"), "sk": s("S"), "n": n("5"), "str": s("abc"), "l": {"L": [{"M": {"k": s("v")}}]}}}),
        ),
    );
    let mut req = json!({"Key": key("A"), "ConditionExpression": cond});
    if !values.as_object().unwrap().is_empty() {
        req["ExpressionAttributeValues"] = values;
    }
    match e.call("DeleteItem", &o(req)) {
        Ok(_) => true,
        Err(er) if er.kind == "ConditionalCheckFailedException" => false,
        Err(er) => panic!("{cond}: {} {}", er.kind, er.message),
    }
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
    ok(&mut e, "PutItem", o(json!({"Item": {"pk": s("A"), "sk": s("S"), "n": n("5"), "t": s("N")}})));
    for (cond, vals) in [
        ("attribute_type(n, t)", json!(null)),
        ("Attribute_Exists(n)", json!(null)),
        ("n = ", json!(null)),
        ("begins_with(n)", json!(null)),
        ("attribute_exists(:v)", json!({":v": s("n")})),
    ] {
        let mut req = json!({"Key": key("A"), "ConditionExpression": cond});
        if !vals.is_null() {
            req["ExpressionAttributeValues"] = vals;
        }
        let before = snapshot(&mut e);
        let er = err(&mut e, "DeleteItem", o(req));
        assert_eq!(er.kind, "ValidationException", "{cond}: {}", er.message);
        assert!(er.message.starts_with("Invalid ConditionExpression: "), "{cond}: {}", er.message);
        assert_eq!(snapshot(&mut e), before);
    }
}

// ---------------------------------------------------------------------------------------------
// §6.7 ReturnValues
// ---------------------------------------------------------------------------------------------

#[test]
fn return_values_of_nested_updates_and_missing_items() {
    let mut e = tables();
    ok(
        &mut e,
        "PutItem",
        o(json!({"Item": {"pk": s("A"), "sk": s("S"), "m": {"M": {"x": n("1"), "y": n("2")}}, "keep": s("k")}})),
    );
    let upd = |e: &mut Engine, rv: &str, v: &str| {
        ok(
            e,
            "UpdateItem",
            o(
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
            o(
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
        ok(e, "UpdateItem", o(json!({"Key": key("A"), "UpdateExpression": "REMOVE keep", "ReturnValues": rv})))
    };
    assert_eq!(rm(&mut e, "UPDATED_NEW"), json!({}));
    ok(
        &mut e,
        "UpdateItem",
        o(json!({"Key": key("A"), "UpdateExpression": "SET keep = :k", "ExpressionAttributeValues": {":k": s("k")}})),
    );
    assert_eq!(rm(&mut e, "UPDATED_OLD"), json!({"Attributes": {"keep": s("k")}}));
}

#[test]
fn invalid_return_values() {
    // §6.7: DeleteItem allows NONE / ALL_OLD, with PutItem's message; an unknown
    // ReturnValuesOnConditionCheckFailure is a ValidationException.
    let mut e = tables();
    ok(&mut e, "PutItem", o(json!({"Item": {"pk": s("A"), "sk": s("S")}})));
    for rv in ["ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"] {
        validation(
            &mut e,
            "DeleteItem",
            o(json!({"Key": key("A"), "ReturnValues": rv})),
            "ReturnValues can only be ALL_OLD or NONE",
        );
        validation(
            &mut e,
            "PutItem",
            o(json!({"Item": {"pk": s("A"), "sk": s("S"), "x": n("1")}, "ReturnValues": rv})),
            "ReturnValues can only be ALL_OLD or NONE",
        );
    }
    for action in ["PutItem", "DeleteItem", "UpdateItem"] {
        let mut req = json!({"Key": key("A"), "Item": {"pk": s("A"), "sk": s("S"), "x": n("1")}, "ReturnValuesOnConditionCheckFailure": "ALL_NEW"});
        req.as_object_mut().unwrap().remove(if action == "PutItem" { "Key" } else { "Item" });
        let before = snapshot(&mut e);
        let er = err(&mut e, action, o(req));
        assert_eq!(er.kind, "ValidationException", "{action}");
        assert_eq!(snapshot(&mut e), before);
    }
}

// ---------------------------------------------------------------------------------------------
// §6.8 batches and transactions
// ---------------------------------------------------------------------------------------------

#[test]
fn batch_write_request_shape_and_response() {
    let mut e = tables();
    // A WriteRequest with both a put and a delete, or neither, is rejected whole.
    for w in
        [json!({"PutRequest": {"Item": {"pk": s("A"), "sk": s("S")}}, "DeleteRequest": {"Key": key("A")}}), json!({})]
    {
        let before = snapshot(&mut e);
        let er = err(
            &mut e,
            "BatchWriteItem",
            json!({"RequestItems": {"Orders": [{"PutRequest": {"Item": {"pk": s("B"), "sk": s("S")}}}, w]}}),
        );
        assert_eq!(er.kind, "ValidationException");
        assert_eq!(snapshot(&mut e), before);
    }
    // Two tables in one call; the response has an empty UnprocessedItems.
    let r = ok(
        &mut e,
        "BatchWriteItem",
        json!({"RequestItems": {"Orders": [{"PutRequest": {"Item": {"pk": s("A"), "sk": s("S")}}}],
                                "Plain": [{"PutRequest": {"Item": {"pk": s("A")}}}, {"DeleteRequest": {"Key": {"pk": s("zz")}}}]}}),
    );
    assert_eq!(r["UnprocessedItems"], json!({}));
    assert!(get(&mut e, "A").is_some());
    assert!(ok(&mut e, "GetItem", json!({"TableName": "Plain", "Key": {"pk": s("A")}})).get("Item").is_some());
    // The same key in two different tables is not a duplicate.
    ok(
        &mut e,
        "BatchWriteItem",
        json!({"RequestItems": {"Orders": [{"DeleteRequest": {"Key": key("A")}}], "Plain": [{"DeleteRequest": {"Key": {"pk": s("A")}}}]}}),
    );
    // An item over 400 KB fails the whole batch.
    let before = snapshot(&mut e);
    let er = err(
        &mut e,
        "BatchWriteItem",
        json!({"RequestItems": {"Orders": [{"PutRequest": {"Item": {"pk": s("C"), "sk": s("S")}}},
                                           {"PutRequest": {"Item": sized_item("D", 409_600)}}]}}),
    );
    assert_eq!(
        (er.kind.as_str(), er.message.as_str()),
        ("ValidationException", "Item size has exceeded the maximum allowed size")
    );
    assert_eq!(snapshot(&mut e), before);
}

#[test]
fn transaction_records_follow_the_commit_and_checks_write_nothing() {
    // §6.8: all-or-nothing; ConditionCheck needs a condition and writes nothing; changes reach
    // the stream after the commit, one record per written item.
    let mut e = tables();
    ok(&mut e, "PutItem", o(json!({"Item": {"pk": s("A"), "sk": s("S"), "v": n("1"), "str": s("x")}})));
    let before = snapshot(&mut e);
    let er = err(
        &mut e,
        "TransactWriteItems",
        json!({"TransactItems": [{"ConditionCheck": {"TableName": "Orders", "Key": key("A")}}]}),
    );
    assert_eq!(er.kind, "ValidationException");
    assert_eq!(snapshot(&mut e), before);
    ok(
        &mut e,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"ConditionCheck": {"TableName": "Orders", "Key": key("A"), "ConditionExpression": "v = :one", "ExpressionAttributeValues": {":one": n("1")}}},
            {"Put": {"TableName": "Orders", "Item": {"pk": s("B"), "sk": s("S")}}},
            {"Update": {"TableName": "Plain", "Key": {"pk": s("C")}, "UpdateExpression": "SET v = :one", "ExpressionAttributeValues": {":one": n("1")}}},
            {"Delete": {"TableName": "Orders", "Key": key("nothing")}},
        ]}),
    );
    let names: Vec<String> = records(&e)
        .iter()
        .map(|r| format!("{} {}", r["eventName"].as_str().unwrap(), r["dynamodb"]["Keys"]["pk"]["S"].as_str().unwrap()))
        .collect();
    assert_eq!(names, ["INSERT A", "INSERT B"]);
    assert_eq!(
        ok(&mut e, "GetItem", json!({"TableName": "Plain", "Key": {"pk": s("C")}}))["Item"],
        json!({"pk": s("C"), "v": n("1")})
    );
    // A runtime error in one action cancels the transaction (real AWS: reason Code "ValidationError").
    let before = snapshot(&mut e);
    let er = err(
        &mut e,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Put": {"TableName": "Orders", "Item": {"pk": s("E"), "sk": s("S")}}},
            {"Update": {"TableName": "Orders", "Key": key("A"), "UpdateExpression": "SET w = str + :x", "ExpressionAttributeValues": {":x": n("1")}}},
        ]}),
    );
    assert_eq!(er.kind, "TransactionCanceledException");
    assert_eq!(
        er.message,
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]"
    );
    assert_eq!(er.extra["CancellationReasons"][0], json!({"Code": "None"}));
    assert_eq!(er.extra["CancellationReasons"][1]["Code"], "ValidationError");
    assert_eq!(snapshot(&mut e), before);
}

#[test]
fn update_expression_holds_at_most_300_operators_or_functions() {
    // §6.4: "≤ 300 operators/functions in an UpdateExpression (D)". 300 `+` (one per SET action,
    // each on its own attribute, the whole under 4 KB) is accepted; 301 is a ValidationException
    // naming UpdateExpression; functions count as well.
    let mut e = tables();
    ok(&mut e, "PutItem", o(json!({"Item": {"pk": s("A"), "sk": s("S")}})));
    let plus = |k: usize| format!("SET {}", (0..k).map(|i| format!("a{i}=:v+:v")).collect::<Vec<_>>().join(","));
    let func =
        |k: usize| format!("SET {}", (0..k).map(|i| format!("a{i}=if_not_exists(b,:v)")).collect::<Vec<_>>().join(","));
    let upd =
        |x: String| o(json!({"Key": key("A"), "UpdateExpression": x, "ExpressionAttributeValues": {":v": n("1")}}));
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
fn batch_write_requests_have_no_conditions() {
    // §6.8: "BatchWriteItem: ≤ 25 put/delete requests, no conditions". A PutRequest holds only
    // Item and a DeleteRequest only Key; other members are not part of them and do not make
    // the write conditional.
    let mut e = tables();
    ok(&mut e, "PutItem", o(json!({"Item": {"pk": s("A"), "sk": s("S"), "v": n("1")}})));
    ok(&mut e, "PutItem", o(json!({"Item": {"pk": s("B"), "sk": s("S")}})));
    ok(
        &mut e,
        "BatchWriteItem",
        json!({"RequestItems": {"Orders": [
            {"PutRequest": {"Item": {"pk": s("A"), "sk": s("S"), "v": n("2")}, "ConditionExpression": "attribute_not_exists(pk)"}},
            {"DeleteRequest": {"Key": key("B"), "ConditionExpression": "v = :x", "ExpressionAttributeValues": {":x": n("9")}}},
        ]}}),
    );
    assert_eq!(get(&mut e, "A").unwrap()["v"], n("2"));
    assert!(get(&mut e, "B").is_none());
    let names: Vec<String> = records(&e).iter().map(|r| r["eventName"].as_str().unwrap().to_string()).collect();
    assert_eq!(names, ["INSERT", "INSERT", "MODIFY", "REMOVE"]);
}

#[test]
fn a_transaction_writes_at_most_4_mb() {
    // §6.8: "TransactWriteItems: ≤ 100 actions (...), ≤ 4 MB". 4 MB = 4 194 304 bytes (as
    // 400 KB = 409 600). Eleven puts into Orders, pk a..k: each item is pk (2+1) + sk (2+1) +
    // d (1 + len) = 7 + len; lengths 10 × 381 293 + 381 297 total 4 194 227, items 4 194 304.
    let put = |pk: char, len: usize| json!({"Put": {"TableName": "Orders", "Item": {"pk": s(&pk.to_string()), "sk": s("S"), "d": s(&"x".repeat(len))}}});
    let actions = |last: usize| -> Value {
        let mut v: Vec<Value> = ('a'..='j').map(|c| put(c, 381_293)).collect();
        v.push(put('k', last));
        json!({ "TransactItems": v })
    };
    let mut e = tables();
    let before = snapshot(&mut e);
    let er = err(&mut e, "TransactWriteItems", actions(381_298));
    assert_eq!(er.kind, "ValidationException", "{}", er.message);
    assert_eq!(snapshot(&mut e), before);
    ok(&mut e, "TransactWriteItems", actions(381_297));
    assert_eq!(records(&e).len(), 11);
}

#[test]
fn placeholders_are_at_most_255_bytes() {
    // §6.6: "Each placeholder ≤ 255 bytes" (`#name` is 5 bytes, `:val` 4).
    let mut e = tables();
    ok(&mut e, "PutItem", o(json!({"Item": {"pk": s("A"), "sk": s("S")}})));
    let v255 = format!(":{}", "v".repeat(254));
    let n255 = format!("#{}", "n".repeat(254));
    let upd = |name: &str, value: &str| {
        let mut names = serde_json::Map::new();
        names.insert(name.to_string(), json!("a"));
        let mut values = serde_json::Map::new();
        values.insert(value.to_string(), n("1"));
        o(
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

#[test]
fn sets_may_hold_empty_members_and_lose_their_order() {
    // §6.1: sets are non-empty, without duplicates, order not preserved; "empty string/binary
    // members allowed".
    let mut e = tables();
    ok(
        &mut e,
        "PutItem",
        o(json!({"Item": {"pk": s("A"), "sk": s("S"), "ss": {"SS": ["b", "", "a"]}, "bs": {"BS": ["", "AQ=="]}}})),
    );
    let got = get(&mut e, "A").unwrap();
    assert_av_eq(&got["ss"], &json!({"SS": ["", "a", "b"]}), "SS with an empty member");
    assert_av_eq(&got["bs"], &json!({"BS": ["", "AQ=="]}), "BS with an empty member");
    // An empty member counts once: two of them are duplicates.
    let er = err(&mut e, "PutItem", o(json!({"Item": {"pk": s("B"), "sk": s("S"), "ss": {"SS": ["", ""]}}})));
    assert_eq!(er.message, format!("{P}Input collection [, ] contains duplicates."));
}
