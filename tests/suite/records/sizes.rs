//! SizeBytes (§1.3): the worked checks, and the size of each value type (§6.3).
//!
//! Every expected value comes from the spec (section cited) or, where noted, from documented real
//! DynamoDB behaviour. Nothing here was copied from the engine's output.

use crate::common::streams::{create_table, records};
use crate::common::{engine, n, ok, s};
use serde_json::{json, Value};

/// Writes then returns the SizeBytes of every record.
fn sizes(view: &str, keys: &[(&str, &str, &str)], writes: Vec<(&str, Value)>) -> Vec<u64> {
    let mut e = engine();
    create_table(&mut e, "Tbl", keys, Some(view));
    for (a, mut r) in writes {
        r["TableName"] = json!("Tbl");
        ok(&mut e, a, r);
    }
    records(&e, "Tbl").iter().map(|r| r["dynamodb"]["SizeBytes"].as_u64().unwrap()).collect()
}

#[test]
fn size_bytes_worked_checks() {
    // Keys {pk:"a", sk:"b"} KEYS_ONLY → 6.
    assert_eq!(
        sizes(
            "KEYS_ONLY",
            &[("pk", "S", "HASH"), ("sk", "S", "RANGE")],
            vec![("PutItem", json!({"Item": {"pk": s("a"), "sk": s("b"), "x": s("y")}}))]
        ),
        vec![6]
    );
    // {Id:N"101"} + NewImage {Message:"New item!", Id:101} → 26; MODIFY to
    // "This item has changed" → 59 (NEW_AND_OLD); REMOVE → 38.
    let id = &[("Id", "N", "HASH")];
    assert_eq!(
        sizes("NEW_IMAGE", id, vec![("PutItem", json!({"Item": {"Id": n("101"), "Message": s("New item!")}}))]),
        vec![26]
    );
    assert_eq!(
        sizes(
            "NEW_AND_OLD_IMAGES",
            id,
            vec![
                ("PutItem", json!({"Item": {"Id": n("101"), "Message": s("New item!")}})),
                ("PutItem", json!({"Item": {"Id": n("101"), "Message": s("This item has changed")}})),
                ("DeleteItem", json!({"Key": {"Id": n("101")}})),
            ]
        ),
        vec![26, 59, 38]
    );
    // {id:"id_value"} INSERT NEW_AND_OLD → 20.
    let idk = &[("id", "S", "HASH")];
    assert_eq!(sizes("NEW_AND_OLD_IMAGES", idk, vec![("PutItem", json!({"Item": {"id": s("id_value")}}))]), vec![20]);
    // {id:"id_value_1", numericFilter:N"42"} → 12 + 27 = 39.
    assert_eq!(
        sizes(
            "NEW_AND_OLD_IMAGES",
            idk,
            vec![("PutItem", json!({"Item": {"id": s("id_value_1"), "numericFilter": n("42")}}))]
        ),
        vec![39]
    );
    // B "Zm9vYmFy" is 6 raw bytes: Keys 27 (2 + 25-char id) + NewImage 27 + 10 ("binaryData") + 6 = 43 → 70.
    assert_eq!(
        sizes(
            "NEW_AND_OLD_IMAGES",
            idk,
            vec![("PutItem", json!({"Item": {"id": s("abcdefghijklmnopqrstuvwxy"), "binaryData": {"B": "Zm9vYmFy"}}}))]
        ),
        vec![70]
    );
}

#[test]
fn size_bytes_value_sizes_per_6_3() {
    // NEW_IMAGE INSERT of {pk:"a", x:<v>} → Keys 3 + NewImage (3 + 1 + size(v)) = 7 + size(v).
    let cases: Vec<(Value, u64, &str)> = vec![
        (n("0"), 1, "§6.3 0 → 1"),
        (n("42"), 2, "§6.3 42 → 2"),
        (n("101"), 3, "§6.3 101 → 3"),
        (n("25.5"), 3, "§6.3 25.5 → 3"),
        (n("1.2"), 3, "§6.3 1.2 → 3"),
        (n("-7"), 3, "§6.3 -7 → 3"),
        (n("1000"), 2, "§6.3 1000 → 2"),
        (n("1.50"), 3, "canonical 1.5 (n=2, exp 0 even) → 1+1+1 = 3 by the §6.3 rule"),
        (n("12.34"), 3, "§6.3 rule: n=4, exponent 1 odd → 1+2 = 3"),
        (n("1.234"), 4, "§6.3 rule: n=4, exponent 0 even → 1+2+1 = 4"),
        (n("0.5"), 2, "§6.3 rule: n=1 → 2"),
        (n("0.12"), 2, "§6.3 rule: n=2, exponent -1 odd → 2"),
        (n("0.012"), 3, "§6.3 rule: n=2, exponent -2 even → 3"),
        (n("-12"), 3, "§6.3 rule: n=2, exponent 1 odd, negative → 1+1+1 = 3"),
        (n("-1.2"), 4, "§6.3 rule: n=2, exponent 0 even, negative → 1+1+1+1 = 4"),
        (n("123456"), 4, "§6.3 rule: n=6, exponent 5 odd → 4"),
        (n("1234567"), 5, "§6.3 rule: n=7 → 5"),
        (n("1E+125"), 2, "§6.3 rule: n=1 → 2"),
        (n("12345678901234567890123456789012345678"), 20, "§6.3 rule: n=38, exponent 37 odd → 20"),
        (n("100.5"), 4, "§6.3 rule: n=4, exponent 2 even → 4"),
        (s(""), 0, "§6.3 S = UTF-8 bytes"),
        (s("héllo"), 6, "§6.3 S = UTF-8 bytes (é is 2)"),
        (s("😀"), 4, "§6.3 S = UTF-8 bytes"),
        (json!({"B": "AAEC"}), 3, "§6.3 B = raw bytes"),
        (json!({"BOOL": false}), 1, "§6.3 BOOL 1"),
        (json!({"NULL": true}), 1, "§6.3 NULL 1"),
        (json!({"SS": ["ab", "c"]}), 3, "§6.3 sets = sum of members"),
        (json!({"NS": ["42", "101"]}), 5, "§6.3 sets = sum of members"),
        (json!({"L": []}), 3, "§6.3 empty L = 3"),
        (json!({"M": {}}), 3, "§6.3 empty M = 3"),
        (json!({"L": [s("ab"), n("42")]}), 3 + (1 + 2) + (1 + 2), "§6.3 L = 3 + Σ(1 + elem)"),
        (json!({"M": {"k": s("ab")}}), 3 + 1 + 1 + 2, "§6.3 M = 3 + Σ(1 + name + value)"),
    ];
    for (v, size, why) in cases {
        let got = sizes(
            "NEW_IMAGE",
            &[("pk", "S", "HASH")],
            vec![("PutItem", json!({"Item": {"pk": s("a"), "x": v.clone()}}))],
        );
        assert_eq!(got, vec![7 + size], "{why}: value {v}");
    }
    // §6.3 docs example: {"shirt-color":"R","shirt-size":"M"} = 23 bytes; as a NEW_IMAGE with
    // key {pk:"a"} (3): 3 + (3 + 23) = 29.
    assert_eq!(
        sizes(
            "NEW_IMAGE",
            &[("pk", "S", "HASH")],
            vec![("PutItem", json!({"Item": {"pk": s("a"), "shirt-color": s("R"), "shirt-size": s("M")}}))]
        ),
        vec![29]
    );
}
