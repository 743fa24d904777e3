//! Attribute values and numbers (§6.1): validation with exact messages, limits, canonical numbers,
//! sets.
//!
//! Expected values come from the spec (section cited) or documented real DynamoDB behaviour
//! (marked "real AWS"). Nothing was copied from the engine's output.

use crate::common::orders::{get, get_item, orders, records, scan_all, t, tables, P};
use crate::common::{assert_av_eq, err, key, n, ok, s};
use serde_json::{json, Value};

fn item_with(attr: Value) -> Value {
    json!({"Item": {"pk": s("A"), "sk": s("S"), "x": attr}})
}

#[test]
fn attribute_value_validation_messages() {
    let p = "One or more parameter values were invalid: ";
    let cases: Vec<(Value, String)> = vec![
        (json!({}), "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes".into()),
        (
            json!({"S": "a", "N": "1"}),
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes".into(),
        ),
        (json!({"NULL": false}), format!("{p}Null attribute value types must have the value of true")),
        (json!({"SS": []}), format!("{p}An string set  may not be empty")),
        (json!({"NS": []}), format!("{p}An number set  may not be empty")),
        (json!({"BS": []}), format!("{p}Binary sets should not be empty")),
        (json!({"SS": ["a", "a"]}), format!("{p}Input collection [a, a] contains duplicates.")),
        (json!({"NS": ["1", "1"]}), "Input collection contains duplicates".into()),
        (json!({"N": "abc"}), "The parameter cannot be converted to a numeric value: abc".into()),
        (json!({"N": ""}), "The parameter cannot be converted to a numeric value".into()),
        (json!({"N": "1234567890123456789012345678901234567890"}), "Attempting to store more than 38 significant digits in a Number".into()),
        (json!({"N": "1E+126"}), "Number overflow. Attempting to store a number with magnitude larger than supported range".into()),
        (json!({"N": "-1E+126"}), "Number overflow. Attempting to store a number with magnitude larger than supported range".into()),
        (json!({"N": "1E-131"}), "Number underflow. Attempting to store a number with magnitude smaller than supported range".into()),
        // nested inside a map / list are validated the same way
        (json!({"M": {"y": {"NULL": false}}}), format!("{p}Null attribute value types must have the value of true")),
        (json!({"L": [{"SS": []}]}), format!("{p}An string set  may not be empty")),
    ];
    for (v, msg) in cases {
        let mut e = orders();
        let er = err(&mut e, "PutItem", t(item_with(v.clone())));
        assert_eq!((er.kind.as_str(), er.message.as_str()), ("ValidationException", msg.as_str()), "value {v}");
        assert!(records(&e).is_empty());
        assert!(get_item(&mut e, "A").is_none());
    }
}

#[test]
fn attribute_value_edge_cases_that_are_valid() {
    // §6.1: limits are inclusive; empty S/B allowed for non-key attributes; empty L/M allowed;
    // set members may be empty strings; mixed list types OK.
    let valid: Vec<Value> = vec![
        json!({"N": "12345678901234567890123456789012345678"}), // 38 digits
        json!({"N": "9.9999999999999999999999999999999999999E+125"}),
        json!({"N": "-9.9999999999999999999999999999999999999E+125"}),
        json!({"N": "1E-130"}),
        json!({"N": "0"}),
        json!({"S": ""}),
        json!({"B": ""}),
        json!({"L": []}),
        json!({"M": {}}),
        json!({"SS": [""]}),
        json!({"L": [{"S": "a"}, {"N": "1"}, {"BOOL": true}, {"NULL": true}]}),
        json!({"N": "000123.4500"}),
    ];
    for v in valid {
        let mut e = orders();
        ok(&mut e, "PutItem", t(item_with(v.clone())));
    }
}

#[test]
fn nesting_depth_32_levels() {
    // §0 / §6.1: nesting ≤ 32 levels. A value nested 32 deep is accepted; 33 is rejected
    // with ValidationException (real AWS: "Nesting Levels have exceeded supported limits").
    fn nest(levels: usize) -> Value {
        let mut v = s("leaf");
        for _ in 0..levels {
            v = json!({"M": {"a": v}});
        }
        v
    }
    let mut e = orders();
    ok(&mut e, "PutItem", t(item_with(nest(31))));
    let er = err(&mut e, "PutItem", t(item_with(nest(40))));
    assert_eq!(er.kind, "ValidationException");
}

#[test]
fn numbers_are_stored_in_canonical_form() {
    // §6.1 / §6.2: leading/trailing zeros trimmed; exponent input returned in plain decimal
    // form [inferred]; -0 is 0 (real AWS).
    let cases = [
        ("0025.50", "25.5"),
        ("1E+2", "100"),
        ("1.0E-2", "0.01"),
        ("-0", "0"),
        ("0.000", "0"),
        ("+5", "5"),
        ("-007.100", "-7.1"),
        ("12.5e1", "125"),
    ];
    for (input, want) in cases {
        let mut e = orders();
        ok(&mut e, "PutItem", t(json!({"Item": {"pk": s("A"), "sk": s("S"), "v": n(input)}})));
        assert_eq!(get_item(&mut e, "A").unwrap()["v"], n(want), "{input}");
    }
}

#[test]
fn number_set_duplicates_after_canonicalisation() {
    // §6.1: sets have no duplicates; "1" and "1.0" are the same number (§6.2 canonical form).
    let mut e = orders();
    let er = err(&mut e, "PutItem", t(item_with(json!({"NS": ["1", "1.0"]}))));
    assert_eq!(
        (er.kind.as_str(), er.message.as_str()),
        ("ValidationException", "Input collection contains duplicates")
    );
    let er = err(&mut e, "PutItem", t(item_with(json!({"SS": ["a", "b", "a"]}))));
    assert_eq!(
        er.message,
        "One or more parameter values were invalid: Input collection [a, b, a] contains duplicates."
    );
}

#[test]
fn significant_digits_ignore_leading_and_trailing_zeros() {
    // §6.1: ≤ 38 *significant* digits; leading/trailing zeros are trimmed (not significant).
    let valid = [
        "1234567890123456789012345678901234567800",   // 40 digits, 38 significant
        "12345678901234567890123456789012345678.000", // trailing fractional zeros
        "0.00012345678901234567890123456789012345678",
        "-00012345678901234567890123456789012345678",
    ];
    for v in valid {
        let mut e = orders();
        ok(&mut e, "PutItem", t(item_with(n(v))));
    }
    let mut e = orders();
    let er = err(&mut e, "PutItem", t(item_with(n("1.00000000000000000000000000000000000001"))));
    assert_eq!(er.message, "Attempting to store more than 38 significant digits in a Number");
}

#[test]
fn arithmetic_result_beyond_38_digits_is_rejected() {
    // §6.1: a stored number has ≤ 38 significant digits; an update whose result needs more is a
    // ValidationException and writes nothing.
    let mut e = orders();
    ok(
        &mut e,
        "PutItem",
        t(json!({"Item": {"pk": s("A"), "sk": s("S"), "a": n("12345678901234567890123456789012345678")}})),
    );
    let before = (scan_all(&mut e), e.streams_output());
    for expr in ["SET a = a + :v", "ADD a :v"] {
        let er = err(
            &mut e,
            "UpdateItem",
            t(json!({"Key": key("A"), "UpdateExpression": expr, "ExpressionAttributeValues": {":v": n("0.1")}})),
        );
        assert_eq!(er.kind, "ValidationException", "{expr}");
        assert_eq!((scan_all(&mut e), e.streams_output()), before, "{expr}");
    }
}

#[test]
fn sets_may_hold_empty_members_and_lose_their_order() {
    // §6.1: sets are non-empty, without duplicates, order not preserved; "empty string/binary
    // members allowed".
    let mut e = tables();
    ok(
        &mut e,
        "PutItem",
        t(json!({"Item": {"pk": s("A"), "sk": s("S"), "ss": {"SS": ["b", "", "a"]}, "bs": {"BS": ["", "AQ=="]}}})),
    );
    let got = get(&mut e, "A").unwrap();
    assert_av_eq(&got["ss"], &json!({"SS": ["", "a", "b"]}), "SS with an empty member");
    assert_av_eq(&got["bs"], &json!({"BS": ["", "AQ=="]}), "BS with an empty member");
    // An empty member counts once: two of them are duplicates.
    let er = err(&mut e, "PutItem", t(json!({"Item": {"pk": s("B"), "sk": s("S"), "ss": {"SS": ["", ""]}}})));
    assert_eq!(er.message, format!("{P}Input collection [, ] contains duplicates."));
}

#[test]
fn bad_base64_says_what_is_wrong_and_never_contradicts_itself() {
    // A length that is not a multiple of 4: DynamoDB's SerializationException, word for word
    // ("Base64 encoded length is expected a multiple of 4 bytes but found: 11", quoted in
    // scylladb/scylladb#6487). A wrong character in a well-sized value: the simulator names it
    // and its byte offset (it used to say "expected a multiple of 4 bytes but found: 4").
    let mut e = crate::common::engine();
    crate::common::ok(
        &mut e,
        "CreateTable",
        json!({"TableName": "Bin", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}),
    );
    let put = |e: &mut streamlab::Engine, b: &str| {
        crate::common::err(e, "PutItem", json!({"TableName": "Bin", "Item": {"pk": {"S": "a"}, "b": {"B": b}}}))
    };
    let er = put(&mut e, "YWJjZGVmZ2");
    assert_eq!(er.kind, "SerializationException");
    assert_eq!(er.message, "Base64 encoded length is expected a multiple of 4 bytes but found: 10");
    for (bad, want) in [
        ("YW!j", "'!' at byte offset 2"),
        ("Y=Jj", "padding '=' at byte offset 1"),
        ("YWJj\u{e9}A=", "0xc3 at byte offset 4"),
    ] {
        let er = put(&mut e, bad);
        assert_eq!(er.kind, "SerializationException", "{bad}");
        assert!(er.message.contains(want), "{bad}: {}", er.message);
        assert!(!er.message.contains("multiple of 4"), "{bad}: {}", er.message);
    }
}

#[test]
fn binary_set_duplicates_are_refused() {
    // §6.1: sets have no duplicates; two members that decode to the same bytes are one.
    let mut e = orders();
    let er = err(&mut e, "PutItem", t(item_with(json!({"BS": ["Yg==", "YQ==", "Yg=="]}))));
    assert_eq!(er.kind, "ValidationException");
    assert!(er.message.contains("Input collection") && er.message.contains("contains duplicates"), "{}", er.message);
    assert!(records(&e).is_empty());
    assert!(get_item(&mut e, "A").is_none());
}

#[test]
fn binary_set_duplicates_message_as_dynamodb_words_it() {
    // DynamoDB's message, as dynalite records it from the service (sic: no space before "of"):
    // "One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS
    // contains duplicates."
    let mut e = orders();
    let er = err(&mut e, "PutItem", t(item_with(json!({"BS": ["Yg==", "Yg=="]}))));
    assert_eq!(er.message, format!("{P}Input collection [Yg==, Yg==]of type BS contains duplicates."));
}
