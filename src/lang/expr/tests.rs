//! Tests written from the DynamoDB documentation and the spec (§6.4–6.6).

use super::*;
use crate::model::{item_from_json, AttributeValue, Item, Result};
use proptest::prelude::*;
use serde_json::{json, Value};

fn item(v: Value) -> Item {
    item_from_json(&v).unwrap()
}

fn opt(v: &Value) -> Option<&Value> {
    (!v.is_null()).then_some(v)
}

fn compile_cond(expr: &str, names: Value, values: Value) -> Result<Condition> {
    let src = Sources { condition: Some(expr), names: opt(&names), values: opt(&values), ..Default::default() };
    compile(&src).map(|e| e.condition.unwrap())
}

fn compile_update(expr: &str, names: Value, values: Value) -> Result<Update> {
    let src = Sources { update: Some(expr), names: opt(&names), values: opt(&values), ..Default::default() };
    compile(&src).map(|e| e.update.unwrap())
}

/// Keeps only the `:values` that `expr` uses (unused ones are an error), so one map can serve
/// several expressions.
fn used_only(expr: &str, values: Value) -> Value {
    let Value::Object(m) = values else { return Value::Null };
    let kept: serde_json::Map<String, Value> = m
        .into_iter()
        .filter(|(k, _)| {
            expr.match_indices(k.as_str())
                .any(|(i, _)| !expr[i + k.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
        })
        .collect();
    if kept.is_empty() {
        Value::Null
    } else {
        Value::Object(kept)
    }
}

/// Evaluates `expr` (values as JSON) against `it`.
fn check(expr: &str, values: Value, it: &Item) -> bool {
    compile_cond(expr, Value::Null, used_only(expr, values)).unwrap().eval(Some(it)).unwrap()
}

fn apply(expr: &str, values: Value, it: Value) -> Result<Item> {
    compile_update(expr, Value::Null, used_only(expr, values)).unwrap().apply(item(it))
}

fn msg<T: std::fmt::Debug>(r: Result<T>) -> String {
    let e = r.unwrap_err();
    assert_eq!(e.kind, "ValidationException", "{}", e.message);
    e.message
}

fn sample() -> Item {
    item(json!({
        "n": {"N": "10"}, "s": {"S": "hello"}, "b": {"B": "AQID"}, "t": {"BOOL": true},
        "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": ["AQ=="]},
        "l": {"L": [{"S": "x"}, {"N": "2"}]}, "m": {"M": {"k": {"S": "v"}, "deep": {"M": {"d": {"N": "1"}}}}},
        "u": {"S": "é"}, "nul": {"NULL": true}
    }))
}

// ---------- conditions ----------

#[test]
fn comparators_on_numbers_strings_and_binaries() {
    let it = sample();
    let v = json!({":ten": {"N": "10.0"}, ":nine": {"N": "9"}, ":h": {"S": "hello"}, ":i": {"S": "i"},
                   ":b": {"B": "AQID"}, ":b2": {"B": "AQIE"}});
    for (e, want) in [
        ("n = :ten", true),
        ("n <> :ten", false),
        ("n > :nine", true),
        ("n >= :ten", true),
        ("n < :nine", false),
        ("n <= :ten", true),
        ("s = :h", true),
        ("s < :i", true),
        ("s > :i", false),
        ("b = :b", true),
        ("b < :b2", true),
        ("b >= :b2", false),
        (":nine < n", true),
    ] {
        assert_eq!(check(e, v.clone(), &it), want, "{e}");
    }
}

#[test]
fn different_types_and_missing_paths() {
    let it = sample();
    let v = json!({":s": {"S": "10"}});
    // Different types: never equal, never ordered, always "not equal".
    assert!(!check("n = :s", v.clone(), &it));
    assert!(check("n <> :s", v.clone(), &it));
    assert!(!check("n < :s", v.clone(), &it));
    assert!(!check("n >= :s", v.clone(), &it));
    // A zz attribute makes comparisons false; `<>` is true (DynamoDB: an absent attribute is
    // "not equal" to any value, which is why `#st <> :done` guards succeed on new items).
    assert!(!check("zz = :s", v.clone(), &it));
    assert!(!check("zz < :s", v.clone(), &it));
    assert!(check("zz <> :s", v.clone(), &it));
    // No item at all behaves like an empty item.
    let c = compile_cond("zz <> :s", Value::Null, v).unwrap();
    assert!(c.eval(None).unwrap());
}

#[test]
fn deep_equality_of_maps_lists_and_sets() {
    let it = sample();
    let v = json!({":m": {"M": {"deep": {"M": {"d": {"N": "1.00"}}}, "k": {"S": "v"}}},
                   ":ss": {"SS": ["b", "a"]}, ":l": {"L": [{"S": "x"}, {"N": "2"}]}, ":l2": {"L": [{"N": "2"}, {"S": "x"}]}});
    assert!(check("m = :m", v.clone(), &it));
    assert!(check("ss = :ss", v.clone(), &it));
    assert!(check("l = :l", v.clone(), &it));
    assert!(!check("l = :l2", v.clone(), &it), "lists are ordered");
}

#[test]
fn precedence_or_and_not() {
    let it = item(json!({"a": {"N": "1"}, "b": {"N": "1"}, "c": {"N": "1"}}));
    let v = json!({":one": {"N": "1"}, ":two": {"N": "2"}});
    // a OR (b AND c): true OR (false AND false) = true; (a OR b) AND c would be false.
    assert!(check("a = :one OR b = :two AND c = :two", v.clone(), &it));
    assert!(!check("(a = :one OR b = :two) AND c = :two", v.clone(), &it));
    // NOT binds tighter than AND: (NOT false) AND true.
    assert!(check("NOT a = :two AND b = :one", v.clone(), &it));
    assert!(!check("NOT (a = :two OR b = :one)", v.clone(), &it));
    assert!(check("not not a = :one and (b = :one)", v.clone(), &it), "keywords are case-insensitive");
    assert!(check("(a) = :one", v, &it), "operands may be parenthesized");
}

#[test]
fn between_and_in() {
    let it = sample();
    let v = json!({":lo": {"N": "5"}, ":hi": {"N": "10"}, ":x": {"N": "11"}, ":a": {"S": "a"}, ":z": {"S": "z"}, ":n": {"N": "10"}});
    assert!(check("n BETWEEN :lo AND :hi", v.clone(), &it));
    assert!(!check("n BETWEEN :lo AND :lo", v.clone(), &it));
    assert!(check("s BETWEEN :a AND :z", v.clone(), &it));
    assert!(!check("n BETWEEN :a AND :z", v.clone(), &it), "different types");
    assert!(check("n IN (:lo, :n)", v.clone(), &it));
    assert!(!check("n IN (:lo, :x)", v.clone(), &it));
    assert!(!check("zz IN (:lo, :x)", v.clone(), &it));
    assert!(check("n between :lo and :hi and n in (:n)", v.clone(), &it));
    let e = msg(compile_cond("n BETWEEN :hi AND :lo", Value::Null, v.clone()));
    assert_eq!(
        e,
        "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; \
         lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:5}"
    );
    let e = msg(compile_cond("n BETWEEN :lo AND :a", Value::Null, v.clone()));
    assert!(e.contains("The BETWEEN operator requires same data type for lower and upper bounds"), "{e}");
    let many: Vec<String> = (0..101).map(|_| ":n".to_string()).collect();
    let e = msg(compile_cond(&format!("n IN ({})", many.join(",")), Value::Null, json!({":n": {"N": "1"}})));
    assert!(e.contains("number of operands: 101"), "{e}");
}

#[test]
fn existence_and_type_functions() {
    let it = sample();
    let v = json!({":t": {"S": "N"}, ":ss": {"S": "SS"}});
    assert!(check("attribute_exists(n) AND attribute_exists(m.deep.d) AND attribute_exists(l[1])", Value::Null, &it));
    assert!(check(
        "attribute_not_exists(zz) AND attribute_not_exists(m.zz) AND attribute_not_exists(l[2])",
        Value::Null,
        &it
    ));
    assert!(!check("attribute_exists(n.x)", Value::Null, &it));
    assert!(check("attribute_type(n, :t) AND attribute_type(ss, :ss)", v.clone(), &it));
    assert!(!check("attribute_type(s, :t)", v.clone(), &it));
    assert!(!check("attribute_type(zz, :t)", v, &it));
    let e = msg(compile_cond("attribute_type(n, :t)", Value::Null, json!({":t": {"S": "STRING"}})));
    assert_eq!(e, "Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
    let e = msg(compile_cond("attribute_type(n, :t)", Value::Null, json!({":t": {"N": "1"}})));
    assert_eq!(e, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N");
}

#[test]
fn begins_with_and_contains() {
    let it = sample();
    let v = json!({":he": {"S": "he"}, ":lo": {"S": "llo"}, ":b": {"B": "AQ=="}, ":b23": {"B": "AgM="}, ":a": {"S": "a"},
                   ":one": {"N": "1"}, ":x": {"S": "x"}, ":two": {"N": "2"}, ":q": {"S": "q"}});
    assert!(check("begins_with(s, :he)", v.clone(), &it));
    assert!(!check("begins_with(s, :lo)", v.clone(), &it));
    assert!(check("begins_with(b, :b)", v.clone(), &it));
    assert!(!check("begins_with(n, :he)", v.clone(), &it));
    assert!(check("contains(s, :lo)", v.clone(), &it), "substring");
    assert!(check("contains(b, :b23)", v.clone(), &it), "byte substring");
    assert!(check("contains(ss, :a)", v.clone(), &it), "string set member");
    assert!(check("contains(ns, :one)", v.clone(), &it), "number set member");
    assert!(check("contains(bs, :b)", v.clone(), &it), "binary set member");
    assert!(check("contains(l, :x) AND contains(l, :two)", v.clone(), &it), "list element");
    assert!(!check("contains(ss, :q) OR contains(ns, :a) OR contains(n, :one)", v.clone(), &it));
    let e = msg(compile_cond("begins_with(s)", Value::Null, Value::Null));
    assert_eq!(e, "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1");
    let e = msg(compile_cond("begins_with(s, :one)", Value::Null, v.clone()));
    assert_eq!(e, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
    let e = msg(compile_cond("contains(s, s)", Value::Null, Value::Null));
    assert_eq!(e, "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [s]");
}

#[test]
fn size_function() {
    let it = sample();
    let v = json!({":1": {"N": "1"}, ":2": {"N": "2"}, ":3": {"N": "3"}, ":5": {"N": "5"}});
    assert!(check("size(s) = :5", v.clone(), &it));
    assert!(check("size(u) = :2", v.clone(), &it), "UTF-8 bytes");
    assert!(check(
        "size(b) = :3 AND size(ss) = :2 AND size(l) = :2 AND size(m) = :2 AND size(m.deep) = :1",
        v.clone(),
        &it
    ));
    assert!(check("size(l) BETWEEN :1 AND :3 AND :1 < size(ns)", v.clone(), &it));
    assert!(!check("size(n) = :2 OR size(zz) = :2 OR size(t) = :1", v.clone(), &it), "no size for N, BOOL or missing");
}

#[test]
fn function_placement_and_names() {
    let e = msg(compile_cond("size(a)", Value::Null, Value::Null));
    assert_eq!(
        e,
        "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"
    );
    let e = msg(compile_cond("attribute_exists(a) = :v", Value::Null, json!({":v": {"BOOL": true}})));
    assert_eq!(e, "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists");
    let e = msg(compile_cond("Size(a) > :v", Value::Null, json!({":v": {"N": "1"}})));
    assert_eq!(e, "Invalid ConditionExpression: Invalid function name; function: Size");
    let e = msg(compile_cond("foo(a)", Value::Null, Value::Null));
    assert_eq!(e, "Invalid ConditionExpression: Invalid function name; function: foo");
    let e = msg(compile_cond("attribute_exists(:v)", Value::Null, json!({":v": {"S": "x"}})));
    assert_eq!(e, "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists");
    let e = msg(compile_cond("a = a", Value::Null, Value::Null));
    assert!(e.contains("operator: =, first operand: [a]"), "{e}");
    let e = msg(compile_cond("((a = :v))", Value::Null, json!({":v": {"N": "1"}})));
    assert_eq!(e, "Invalid ConditionExpression: The expression has redundant parentheses;");
}

#[test]
fn syntax_errors() {
    let e = msg(compile_cond("a = ", Value::Null, Value::Null));
    assert_eq!(e, "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"a =\"");
    let e = msg(compile_cond("a = 5", Value::Null, Value::Null));
    assert_eq!(e, "Invalid ConditionExpression: Syntax error; token: \"5\", near: \"= 5\"");
    let e = msg(compile_cond("a == :v", Value::Null, json!({":v": {"N": "1"}})));
    assert_eq!(e, "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"== :v\"");
    for bad in [
        "a",
        "a AND b",
        "(a = :v",
        "a = :v)",
        "a BETWEEN :v",
        "a IN :v",
        "a IN ()",
        "NOT",
        "a = :v OR",
        "a $ :v",
        "a.= :v",
        "a[x] = :v",
        "a[-1] = :v",
        "and = :v",
        "a = :v b = :v",
        "attribute_exists()",
        "é = :v",
    ] {
        let e = msg(compile_cond(bad, Value::Null, json!({":v": {"N": "1"}})));
        assert!(e.starts_with("Invalid ConditionExpression: Syntax error; token: "), "{bad}: {e}");
    }
    assert_eq!(
        msg(compile_cond("  ", Value::Null, Value::Null)),
        "Invalid ConditionExpression: The expression can not be empty;"
    );
    let long = format!("a = :v{}", " ".repeat(4100));
    assert_eq!(
        msg(compile_cond(&long, Value::Null, json!({":v": {"N": "1"}}))),
        "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size"
    );
    let deep = format!("{}a = :v{}", "(".repeat(150), ")".repeat(150));
    assert!(msg(compile_cond(&deep, Value::Null, json!({":v": {"N": "1"}}))).contains("nested too deeply"));
    let deep = format!("{}a = :v", "NOT ".repeat(150));
    assert!(msg(compile_cond(&deep, Value::Null, json!({":v": {"N": "1"}}))).contains("nested too deeply"));
}

// ---------- names, values, reserved words ----------

#[test]
fn reserved_words_and_name_placeholders() {
    let e = msg(compile_cond("status = :v", Value::Null, json!({":v": {"S": "x"}})));
    assert_eq!(e, "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status");
    let e = msg(compile_update("SET a.Name = :v", Value::Null, json!({":v": {"S": "x"}})));
    assert_eq!(e, "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Name");
    // Through #placeholders reserved words are fine, and a dot is part of the name.
    let c =
        compile_cond("#s = :v AND #d = :v", json!({"#s": "status", "#d": "a.b"}), json!({":v": {"S": "x"}})).unwrap();
    assert!(c.eval(Some(&item(json!({"status": {"S": "x"}, "a.b": {"S": "x"}})))).unwrap());
    assert!(!c.eval(Some(&item(json!({"status": {"S": "x"}, "a": {"M": {"b": {"S": "x"}}}})))).unwrap());
    let u = compile_update("SET #a.#b = :v", json!({"#a": "map", "#b": "x.y"}), json!({":v": {"N": "1"}})).unwrap();
    assert_eq!(u.target_paths(), vec![Path(vec![PathElem::Attr("map".into()), PathElem::Attr("x.y".into())].into())]);
}

#[test]
fn placeholder_errors() {
    let e = msg(compile_update("SET a = :v", Value::Null, json!({":w": {"N": "1"}})));
    assert_eq!(e, "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v");
    let e = msg(compile_cond("#n = :v", json!({"#m": "x"}), json!({":v": {"N": "1"}})));
    assert_eq!(e, "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #n");
    let e = msg(compile_cond("a = :v", Value::Null, json!({":v": {"N": "1"}, ":x": {"N": "2"}, ":y": {"N": "2"}})));
    assert_eq!(e, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x, :y}");
    let e = msg(compile_cond("a = :v", json!({"#n": "x"}), json!({":v": {"N": "1"}})));
    assert_eq!(e, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}");
    assert_eq!(msg(compile_cond("a = :v", Value::Null, json!({}))), "ExpressionAttributeValues must not be empty");
    assert_eq!(msg(compile_cond("a = :v", json!({}), Value::Null)), "ExpressionAttributeNames must not be empty");
    assert_eq!(
        msg(compile_cond("a = :v", json!({"n": "x"}), Value::Null)),
        "ExpressionAttributeNames contains invalid key: Syntax error; key: \"n\""
    );
    assert_eq!(
        msg(compile_cond("a = :v", Value::Null, json!({"v": {"N": "1"}}))),
        "ExpressionAttributeValues contains invalid key: Syntax error; key: \"v\""
    );
    // AttributeValue validation errors name the placeholder, as real DynamoDB words them.
    assert_eq!(
        msg(compile_cond("a = :v", Value::Null, json!({":v": {"SS": []}}))),
        "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v"
    );
    // Placeholders are shared across all the request's expressions.
    let names = json!({"#a": "a", "#b": "b"});
    let values = json!({":c": {"N": "1"}, ":u": {"N": "2"}});
    let src = Sources {
        condition: Some("#a = :c"),
        update: Some("SET #b = :u"),
        names: Some(&names),
        values: Some(&values),
        ..Default::default()
    };
    assert!(compile(&src).is_ok());
    let src = Sources { names: Some(&names), ..Default::default() };
    assert_eq!(msg(compile(&src)), "ExpressionAttributeNames can only be specified when using expressions");
    assert!(compile(&Sources::default()).unwrap() == Expressions::default());
}

// ---------- updates ----------

#[test]
fn set_top_level_nested_and_list_elements() {
    let base = json!({"pk": {"S": "k"}, "m": {"M": {"x": {"N": "1"}}}, "l": {"L": [{"N": "0"}, {"N": "1"}]}});
    let v = json!({":v": {"S": "new"}});
    let out = apply("SET a = :v, m.y = :v, m.x = :v, l[1] = :v, l[7] = :v", v.clone(), base.clone()).unwrap();
    assert_eq!(
        out,
        item(json!({"pk": {"S": "k"}, "a": {"S": "new"},
            "m": {"M": {"x": {"S": "new"}, "y": {"S": "new"}}},
            "l": {"L": [{"N": "0"}, {"S": "new"}, {"S": "new"}]}}))
    );
    for bad in ["SET zz.y = :v", "SET pk.y = :v", "SET m.x.y = :v", "SET pk[0] = :v", "SET zz[0] = :v"] {
        assert_eq!(
            msg(apply(bad, v.clone(), base.clone())),
            "The document path provided in the update expression is invalid for update",
            "{bad}"
        );
    }
}

#[test]
fn set_arithmetic_and_functions() {
    let base = json!({"n": {"N": "10"}, "s": {"S": "x"}, "l": {"L": [{"N": "1"}]}});
    let v = json!({":one": {"N": "1"}, ":half": {"N": "0.5"}, ":l": {"L": [{"N": "0"}]}, ":z": {"N": "0"}});
    let out = apply(
        "SET a = n + :one, b = n - :half, c = :one - n, d = if_not_exists(n, :z), e = if_not_exists(zz, :z), \
         f = list_append(:l, l), g = list_append(l, :l), h = (n + n)",
        v.clone(),
        base.clone(),
    )
    .unwrap();
    let n = |s: &str| AttributeValue::N(crate::model::Number::parse(s).unwrap());
    assert_eq!(out["a"], n("11"));
    assert_eq!(out["b"], n("9.5"));
    assert_eq!(out["c"], n("-9"));
    assert_eq!(out["d"], n("10"));
    assert_eq!(out["e"], n("0"));
    assert_eq!(out["f"], AttributeValue::L(vec![n("0"), n("1")]), "list_append prepends");
    assert_eq!(out["g"], AttributeValue::L(vec![n("1"), n("0")]));
    assert_eq!(out["h"], n("20"));
    // Right-hand sides see the item before the update: a swap works.
    let out = apply("SET n = s, s = n", Value::Null, base.clone()).unwrap();
    assert_eq!((out["n"].as_str(), out["s"].as_number()), (Some("x"), Some(&crate::model::Number::from_i64(10))));
    assert_eq!(
        msg(apply("SET a = zz + :one", v.clone(), base.clone())),
        "The provided expression refers to an attribute that does not exist in the item"
    );
    assert_eq!(
        msg(apply("SET a = s + :one", v.clone(), base.clone())),
        "An operand in the update expression has an incorrect data type"
    );
    assert_eq!(
        msg(apply("SET a = list_append(l, n)", v.clone(), base.clone())),
        "An operand in the update expression has an incorrect data type"
    );
    // Number errors pass through.
    let big = json!({":big": {"N": "9E+125"}});
    assert!(msg(apply("SET a = :big + :big", big, base.clone())).starts_with("Number overflow"));
    let e = msg(compile_update("SET a = n + :s", Value::Null, json!({":s": {"S": "x"}})));
    assert_eq!(e, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S");
    let e = msg(compile_update("SET a = list_append(l, :s)", Value::Null, json!({":s": {"S": "x"}})));
    assert_eq!(e, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S");
    let e = msg(compile_update("SET a = if_not_exists(:s, a)", Value::Null, json!({":s": {"S": "x"}})));
    assert_eq!(
        e,
        "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"
    );
    let e = msg(compile_update("SET a = size(b)", Value::Null, Value::Null));
    assert_eq!(e, "Invalid UpdateExpression: Invalid function name; function: size");
}

#[test]
fn remove_shifts_list_elements_and_ignores_missing() {
    let base = json!({"a": {"S": "x"}, "l": {"L": [{"S": "0"}, {"S": "1"}, {"S": "2"}, {"S": "3"}]}, "m": {"M": {"k": {"S": "v"}}}});
    let out = apply("REMOVE l[0], l[2], zz, m.k, m.nope, l[9]", Value::Null, base.clone()).unwrap();
    assert_eq!(out, item(json!({"a": {"S": "x"}, "l": {"L": [{"S": "1"}, {"S": "3"}]}, "m": {"M": {}}})));
    assert_eq!(
        msg(apply("REMOVE zz.k", Value::Null, base)),
        "The document path provided in the update expression is invalid for update"
    );
}

#[test]
fn add_numbers_and_sets() {
    let base = json!({"n": {"N": "5"}, "ss": {"SS": ["b", "d"]}, "s": {"S": "x"}});
    let v = json!({":n": {"N": "-7.5"}, ":ss": {"SS": ["c", "a", "b"]}, ":ns": {"NS": ["3", "1"]}});
    let out = apply("ADD n :n, ss :ss, newn :n, newset :ns", v.clone(), base.clone()).unwrap();
    assert_eq!(
        out,
        item(json!({"n": {"N": "-2.5"}, "ss": {"SS": ["a", "b", "c", "d"]}, "s": {"S": "x"},
                    "newn": {"N": "-7.5"}, "newset": {"NS": ["1", "3"]}}))
    );
    assert_eq!(
        out["ss"],
        AttributeValue::SS(vec!["a".into(), "b".into(), "c".into(), "d".into()]),
        "sorted, deduplicated"
    );
    assert_eq!(
        msg(apply("ADD s :n", v.clone(), base.clone())),
        "An operand in the update expression has an incorrect data type"
    );
    assert_eq!(
        msg(apply("ADD ss :ns", v.clone(), base.clone())),
        "An operand in the update expression has an incorrect data type"
    );
    let e = msg(compile_update("ADD a :s", Value::Null, json!({":s": {"S": "x"}})));
    assert_eq!(e, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING");
    let e = msg(compile_update("ADD a :s", Value::Null, json!({":s": {"L": []}})));
    assert!(e.ends_with("operator: ADD, operand type: LIST"), "{e}");
}

#[test]
fn delete_from_sets() {
    let base = json!({"ss": {"SS": ["a", "b", "c"]}, "ns": {"NS": ["1"]}, "s": {"S": "x"}});
    let v = json!({":ss": {"SS": ["a", "c", "z"]}, ":ns": {"NS": ["1.0"]}});
    let out = apply("DELETE ss :ss, ns :ns, zz :ss", v.clone(), base.clone()).unwrap();
    assert_eq!(out, item(json!({"ss": {"SS": ["b"]}, "s": {"S": "x"}})), "an emptied set is removed");
    assert_eq!(
        msg(apply("DELETE s :ss", v.clone(), base.clone())),
        "An operand in the update expression has an incorrect data type"
    );
    let e = msg(compile_update("DELETE a :n", Value::Null, json!({":n": {"N": "1"}})));
    assert_eq!(e, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER");
}

#[test]
fn clauses_in_any_order_once_each() {
    let v = json!({":v": {"N": "1"}, ":s": {"SS": ["x"]}});
    let out =
        apply("delete d :s add c :v remove b set a = :v", v.clone(), json!({"b": {"N": "1"}, "d": {"SS": ["x", "y"]}}))
            .unwrap();
    assert_eq!(out, item(json!({"a": {"N": "1"}, "c": {"N": "1"}, "d": {"SS": ["y"]}})));
    let e = msg(compile_update("SET a = :v SET b = :v", Value::Null, json!({":v": {"N": "1"}})));
    assert_eq!(e, "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;");
    for bad in [
        "SET a",
        "SET a = ",
        "a = :v",
        "SET a = :v,",
        "REMOVE",
        "SET a = :v + :v + :v",
        "ADD a",
        "ADD a b",
        "SET a = :v REMOVE",
    ] {
        let e = msg(compile_update(bad, Value::Null, json!({":v": {"N": "1"}})));
        assert!(e.starts_with("Invalid UpdateExpression: Syntax error; token: "), "{bad}: {e}");
    }
}

#[test]
fn overlapping_and_conflicting_paths() {
    let v = json!({":v": {"N": "1"}});
    let e = msg(compile_update("SET a = :v REMOVE a.b", Value::Null, v.clone()));
    assert_eq!(e, "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]");
    let e = msg(compile_update("SET a = :v, a = :v", Value::Null, v.clone()));
    assert!(e.contains("overlap"), "{e}");
    let e = msg(compile_update("SET a[0] = :v, a.b = :v", Value::Null, v.clone()));
    assert_eq!(e, "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]");
    assert!(compile_update("SET a.b = :v, a.c = :v REMOVE l[0], l[1]", Value::Null, v).is_ok());
}

#[test]
fn targets() {
    let u = compile_update("SET a.b = :v, c = :v REMOVE a.d, l[2] ADD n :v", Value::Null, json!({":v": {"N": "1"}}))
        .unwrap();
    assert_eq!(u.target_tops().collect::<Vec<_>>(), vec!["a", "c", "a", "l", "n"]);
    assert_eq!(u.target_paths().len(), 5);
    assert_eq!(u.target_paths()[3], Path(vec![PathElem::Attr("l".into()), PathElem::Index(2)].into()));
}

// ---------- key conditions and projections ----------

fn compile_key(expr: &str, values: Value) -> Result<KeyCondition> {
    let names = json!({"#s": "sk"});
    let values = used_only(expr, values);
    let src = Sources {
        key_condition: Some(expr),
        values: opt(&values),
        names: expr.contains("#s").then_some(&names),
        ..Default::default()
    };
    compile(&src).map(|e| e.key_condition.unwrap())
}

#[test]
fn key_conditions() {
    let v = json!({":p": {"S": "p"}, ":a": {"N": "1"}, ":b": {"N": "2"}});
    let av = |j: Value| AttributeValue::from_json(&j).unwrap();
    let k = compile_key("pk = :p AND #s BETWEEN :a AND :b", v.clone()).unwrap();
    assert_eq!(
        k.parts,
        vec![
            ("pk".into(), KeyOp::Eq(av(json!({"S": "p"})))),
            ("sk".into(), KeyOp::Between(av(json!({"N": "1"})), av(json!({"N": "2"}))))
        ]
    );
    let k = compile_key("begins_with(sk, :p) and :p = pk", json!({":p": {"S": "p"}})).unwrap();
    assert_eq!(k.parts[0], ("sk".into(), KeyOp::BeginsWith(av(json!({"S": "p"})))));
    assert_eq!(k.parts[1], ("pk".into(), KeyOp::Eq(av(json!({"S": "p"})))));
    let k = compile_key("pk = :p AND :a < sk", v.clone()).unwrap();
    assert_eq!(k.parts[1], ("sk".into(), KeyOp::Gt(av(json!({"N": "1"})))), "reversed operands flip the operator");
    assert_eq!(
        msg(compile_key("pk = :p OR sk = :a", v.clone())),
        "Invalid operator used in KeyConditionExpression: OR"
    );
    assert_eq!(
        msg(compile_key("pk <> :p", json!({":p": {"S": "p"}}))),
        "Invalid operator used in KeyConditionExpression: <>"
    );
    assert_eq!(
        msg(compile_key("attribute_exists(pk)", Value::Null)),
        "Invalid operator used in KeyConditionExpression: attribute_exists"
    );
    assert_eq!(
        msg(compile_key("pk = :p AND sk = :a AND x = :b", v.clone())),
        "KeyConditionExpressions must only contain one condition per key"
    );
    assert_eq!(
        msg(compile_key("pk = :p AND pk = :p", json!({":p": {"S": "p"}}))),
        "KeyConditionExpressions must only contain one condition per key"
    );
    assert!(msg(compile_key("pk = ", Value::Null)).starts_with("Invalid KeyConditionExpression: Syntax error"));
}

#[test]
fn projections_keep_nested_structure() {
    let names = json!({"#n": "name"});
    let src =
        Sources { projection: Some("a.b, l[2], l[0], #n, zz, m.x[1]"), names: Some(&names), ..Default::default() };
    let paths = compile(&src).unwrap().projection.unwrap();
    assert_eq!(paths.len(), 6);
    let it = item(json!({
        "a": {"M": {"b": {"N": "1"}, "c": {"N": "2"}}}, "l": {"L": [{"S": "0"}, {"S": "1"}, {"S": "2"}]},
        "name": {"S": "n"}, "other": {"S": "o"}, "m": {"M": {"x": {"S": "not a list"}}}
    }));
    assert_eq!(
        project(&it, &paths),
        item(json!({"a": {"M": {"b": {"N": "1"}}}, "l": {"L": [{"S": "0"}, {"S": "2"}]}, "name": {"S": "n"}}))
    );
    let src = Sources { projection: Some("a, a.b"), ..Default::default() };
    assert_eq!(
        msg(compile(&src)),
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"
    );
    let src = Sources { projection: Some("size(a)"), ..Default::default() };
    assert!(msg(compile(&src)).starts_with("Invalid ProjectionExpression: Syntax error"));
    let src = Sources { projection: Some("status"), ..Default::default() };
    assert_eq!(
        msg(compile(&src)),
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: status"
    );
}

// ---------- robustness ----------

const SOUP: &[&str] = &[
    "a",
    "b",
    "#n",
    "#m",
    ":v",
    ":w",
    ":l",
    ":s",
    "=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "(",
    ")",
    "[",
    "]",
    "0",
    "1",
    "99999999999999999999999",
    ",",
    ".",
    "+",
    "-",
    "AND",
    "OR",
    "NOT",
    "BETWEEN",
    "IN",
    "SET",
    "REMOVE",
    "ADD",
    "DELETE",
    "size",
    "contains",
    "begins_with",
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "if_not_exists",
    "list_append",
    "status",
    "é",
    "$",
    " ",
];

fn run_everything(expr: &str) {
    let names = json!({"#n": "a", "#m": "x.y"});
    let values = json!({":v": {"N": "1"}, ":w": {"S": "S"}, ":l": {"L": [{"N": "1"}]}, ":s": {"SS": ["a"]}});
    let it = item(json!({"a": {"N": "1"}, "b": {"L": [{"M": {"c": {"N": "2"}}}]}, "x.y": {"SS": ["a"]}}));
    for i in 0..5 {
        let mut src = Sources { names: Some(&names), values: Some(&values), ..Default::default() };
        match i {
            0 => src.condition = Some(expr),
            1 => src.update = Some(expr),
            2 => src.key_condition = Some(expr),
            3 => src.filter = Some(expr),
            _ => src.projection = Some(expr),
        }
        // Without the maps too, so undefined-placeholder paths run.
        let bare = Sources { names: None, values: None, ..src };
        let _ = compile(&bare);
        if let Ok(e) = compile(&src) {
            if let Some(c) = e.condition.as_ref().or(e.filter.as_ref()) {
                let _ = c.eval(Some(&it));
                let _ = c.eval(None);
            }
            if let Some(u) = &e.update {
                let _ = u.apply(it.clone());
                let _ = u.apply(Item::new());
                let _ = (u.target_tops().count(), u.target_paths());
            }
            if let Some(p) = &e.projection {
                let _ = project(&it, p);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_strings_never_panic(s in "\\PC{0,60}") {
        run_everything(&s);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..60)) {
        run_everything(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup_never_panics(words in proptest::collection::vec(proptest::sample::select(SOUP), 0..30)) {
        run_everything(&words.join(" "));
        run_everything(&words.concat());
    }
}

#[test]
fn pathological_inputs_do_not_overflow_the_stack() {
    for s in [
        "(".repeat(4000),
        "NOT ".repeat(1000),
        format!("{}a", "size(".repeat(1000)),
        format!("SET a = {}", "(".repeat(2000)),
        format!("SET a = {}b", "list_append(".repeat(1000)),
        format!("a = :v{}", " AND a = :v".repeat(370)),
        format!("a{}", "[0]".repeat(1300)),
    ] {
        run_everything(&s);
    }
}

/// The SET, REMOVE, ADD and DELETE clauses an update is made of in
/// `an_update_in_place_is_the_update_and_is_taken_back_exactly`: some fail (a missing
/// parent, a wrong type), so that a failure can come after other actions changed the item.
const SETS: &[&str] = &[
    "a = :v",
    "m.x = :v",
    "m.y = :v",
    "l[1] = :v",
    "l[7] = :v",
    "n = n + :one",
    "zz.y = :v",
    "q = s + :one",
    "m.k = list_append(l, :l)",
];
const REMOVES: &[&str] = &["l[0]", "l[2]", "zz", "m.k", "s", "l[9]", "zz.k"];
const ADDS: &[&str] = &["n :one", "ss :ss", "newn :one", "s :one", "ns :ss"];
const DELETES: &[&str] = &["ss :ss", "ns :ns", "s :ss", "ss :all"];

fn clause(word: &str, pool: &[&str], picked: &[usize]) -> String {
    let mut parts: Vec<&str> = picked.iter().map(|i| pool[i % pool.len()]).collect();
    parts.dedup();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{word} {} ", parts.join(", "))
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Applied in place, an update gives the item `Update::apply` gives, or the same error
    /// with the item left exactly as it was; and its `Undo` restores the item.
    #[test]
    fn an_update_in_place_is_the_update_and_is_taken_back_exactly(
        sets in proptest::collection::vec(0usize..100, 0..4),
        removes in proptest::collection::vec(0usize..100, 0..3),
        adds in proptest::collection::vec(0usize..100, 0..3),
        deletes in proptest::collection::vec(0usize..100, 0..3),
        order in 0usize..4,
    ) {
        let mut clauses = [clause("SET", SETS, &sets), clause("REMOVE", REMOVES, &removes), clause("ADD", ADDS, &adds), clause("DELETE", DELETES, &deletes)];
        clauses.rotate_left(order);
        let expr = clauses.concat();
        prop_assume!(!expr.is_empty());
        let values = json!({":v": {"S": "new"}, ":one": {"N": "1"}, ":l": {"L": [{"N": "9"}]},
            ":ss": {"SS": ["a", "z"]}, ":ns": {"NS": ["1"]}, ":all": {"SS": ["a", "b"]}});
        // Overlapping paths are refused when compiling: nothing to apply then.
        let Ok(u) = compile_update(&expr, Value::Null, used_only(&expr, values)) else { return Ok(()) };
        let base = item(json!({"pk": {"S": "k"}, "n": {"N": "10"}, "s": {"S": "x"}, "ss": {"SS": ["a", "b"]},
            "ns": {"NS": ["1", "2"]}, "l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}, {"N": "3"}]},
            "m": {"M": {"k": {"S": "v"}, "x": {"N": "1"}}}}));
        let mut it = base.clone();
        match (u.apply(base.clone()), u.apply_in_place(&mut it)) {
            (Ok(want), Ok(undo)) => {
                prop_assert_eq!(&it, &want, "{}", expr);
                undo.undo(&mut it);
                prop_assert_eq!(&it, &base, "{} taken back", expr);
            }
            (Err(want), Err(got)) => {
                prop_assert_eq!(got.message, want.message, "{}", expr);
                prop_assert_eq!(&it, &base, "failed {} changed the item", expr);
            }
            (want, got) => prop_assert!(false, "{}: {:?} but in place {:?}", expr, want, got.map(|_| ())),
        }
    }
}
