//! Reads: GetItem, Query and Scan.
//!
//! `docs/aws-behaviour.md` covers reads only lightly (§6.2 keys and canonical numbers, §6.5 condition
//! grammar which FilterExpression shares, §6.6 placeholders). Where the spec is silent the
//! expectations are documented real DynamoDB behaviour, marked "real AWS" (DynamoDB API
//! Reference: Query, Scan, GetItem; Developer Guide "Query" / "Paginating table query results").

use crate::common::*;
use serde_json::{json, Value};
use streamlab::{Engine, EngineConfig};

/// Table Music (Artist S HASH, SongNum N RANGE) and table Words (pk S HASH, sk S RANGE).
fn fixture() -> Engine {
    let mut e = Engine::new(EngineConfig::default());
    ok(
        &mut e,
        "CreateTable",
        json!({"TableName": "Music",
               "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "SongNum", "KeyType": "RANGE"}],
               "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}, {"AttributeName": "SongNum", "AttributeType": "N"}],
               "BillingMode": "PAY_PER_REQUEST"}),
    );
    for (num, genre, plays) in [
        ("10", "rock", "5"),
        ("2", "pop", "50"),
        ("20", "rock", "7"),
        ("1", "jazz", "1"),
        ("3", "rock", "100"),
        ("-1.5", "pop", "3"),
    ] {
        ok(
            &mut e,
            "PutItem",
            json!({"TableName": "Music", "Item": {"Artist": s("A"), "SongNum": n(num), "Genre": s(genre), "Plays": n(plays)}}),
        );
    }
    ok(
        &mut e,
        "PutItem",
        json!({"TableName": "Music", "Item": {"Artist": s("B"), "SongNum": n("1"), "Genre": s("rock"), "Plays": n("1.50")}}),
    );
    ok(
        &mut e,
        "CreateTable",
        json!({"TableName": "Words",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
               "BillingMode": "PAY_PER_REQUEST"}),
    );
    for sk in ["b", "ab", "a", "B", "é", "z", "a#1", "a#2"] {
        ok(&mut e, "PutItem", json!({"TableName": "Words", "Item": {"pk": s("w"), "sk": s(sk)}}));
    }
    e
}

fn song_nums(items: &Value) -> Vec<String> {
    items.as_array().unwrap().iter().map(|i| i["SongNum"]["N"].as_str().unwrap().to_string()).collect()
}

fn sks(items: &Value) -> Vec<String> {
    items.as_array().unwrap().iter().map(|i| i["sk"]["S"].as_str().unwrap().to_string()).collect()
}

#[test]
fn get_item_basics() {
    let mut e = fixture();
    let r = ok(&mut e, "GetItem", json!({"TableName": "Music", "Key": {"Artist": s("B"), "SongNum": n("1")}}));
    // Numbers come back canonical (§6.2: "1.50" is stored and returned as "1.5").
    assert_eq!(r["Item"], json!({"Artist": s("B"), "SongNum": n("1"), "Genre": s("rock"), "Plays": n("1.5")}));
    // The key may be written in a non-canonical form and still match (§6.2 canonical numbers).
    let r = ok(
        &mut e,
        "GetItem",
        json!({"TableName": "Music", "Key": {"Artist": s("B"), "SongNum": n("1.00")}, "ConsistentRead": true}),
    );
    assert_eq!(r["Item"]["Genre"], s("rock"));
    // Real AWS: a missing item gives a response without "Item".
    let r = ok(&mut e, "GetItem", json!({"TableName": "Music", "Key": {"Artist": s("B"), "SongNum": n("2")}}));
    assert!(r.get("Item").is_none(), "{r}");
    // Real AWS: ProjectionExpression returns only the named attributes (keys not added).
    let r = ok(
        &mut e,
        "GetItem",
        json!({"TableName": "Music", "Key": {"Artist": s("B"), "SongNum": n("1")}, "ProjectionExpression": "Genre, #p",
               "ExpressionAttributeNames": {"#p": "Plays"}}),
    );
    assert_eq!(r["Item"], json!({"Genre": s("rock"), "Plays": n("1.5")}));
}

#[test]
fn get_item_projection_of_nested_paths() {
    // Real AWS: projecting nested paths returns the enclosing structure with only those parts.
    let mut e = fixture();
    ok(
        &mut e,
        "PutItem",
        json!({"TableName": "Words", "Item": {"pk": s("n"), "sk": s("1"), "m": {"M": {"x": n("1"), "y": n("2")}}, "l": {"L": [s("a"), s("b"), s("c")]}}}),
    );
    let r = ok(
        &mut e,
        "GetItem",
        json!({"TableName": "Words", "Key": {"pk": s("n"), "sk": s("1")}, "ProjectionExpression": "m.y, l[2]"}),
    );
    assert_eq!(r["Item"], json!({"m": {"M": {"y": n("2")}}, "l": {"L": [s("c")]}}));
}

#[test]
fn query_key_conditions() {
    // Real AWS: results are ordered by sort key — numbers numerically, strings by UTF-8 bytes.
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        ("Artist = :a", json!({}), vec!["-1.5", "1", "2", "3", "10", "20"]),
        ("Artist = :a AND SongNum = :x", json!({":x": n("3")}), vec!["3"]),
        ("Artist = :a AND SongNum < :x", json!({":x": n("3")}), vec!["-1.5", "1", "2"]),
        ("Artist = :a AND SongNum <= :x", json!({":x": n("3")}), vec!["-1.5", "1", "2", "3"]),
        ("Artist = :a AND SongNum > :x", json!({":x": n("3")}), vec!["10", "20"]),
        ("Artist = :a AND SongNum >= :x", json!({":x": n("3.0")}), vec!["3", "10", "20"]),
        ("Artist = :a AND SongNum BETWEEN :x AND :y", json!({":x": n("2"), ":y": n("10")}), vec!["2", "3", "10"]),
        ("SongNum BETWEEN :x AND :y AND Artist = :a", json!({":x": n("2"), ":y": n("10")}), vec!["2", "3", "10"]),
        ("(Artist = :a) AND (SongNum > :x)", json!({":x": n("10")}), vec!["20"]),
    ];
    let mut e = fixture();
    for (kce, extra, want) in cases {
        let mut vals = extra.as_object().unwrap().clone();
        vals.insert(":a".into(), s("A"));
        let r = ok(
            &mut e,
            "Query",
            json!({"TableName": "Music", "KeyConditionExpression": kce, "ExpressionAttributeValues": vals}),
        );
        assert_eq!(song_nums(&r["Items"]), want, "{kce}");
        assert_eq!(r["Count"], json!(want.len()), "{kce}");
        assert_eq!(r["ScannedCount"], json!(want.len()), "{kce}");
        assert!(r.get("LastEvaluatedKey").is_none(), "{kce}");
    }
}

#[test]
fn query_string_sort_key_order_and_begins_with() {
    let mut e = fixture();
    let q = |e: &mut Engine, kce: &str, vals: Value| {
        let mut v = vals.as_object().unwrap().clone();
        v.insert(":p".into(), s("w"));
        ok(e, "Query", json!({"TableName": "Words", "KeyConditionExpression": kce, "ExpressionAttributeValues": v}))
    };
    // UTF-8 byte order: "B" (0x42) < "a" < "a#1" < "a#2" < "ab" < "b" < "z" < "é" (0xC3 0xA9).
    assert_eq!(sks(&q(&mut e, "pk = :p", json!({}))["Items"]), ["B", "a", "a#1", "a#2", "ab", "b", "z", "é"]);
    assert_eq!(
        sks(&q(&mut e, "pk = :p AND begins_with(sk, :x)", json!({":x": s("a")}))["Items"]),
        ["a", "a#1", "a#2", "ab"]
    );
    assert_eq!(sks(&q(&mut e, "pk = :p AND begins_with(sk, :x)", json!({":x": s("a#")}))["Items"]), ["a#1", "a#2"]);
    assert_eq!(
        sks(&q(&mut e, "pk = :p AND sk BETWEEN :x AND :y", json!({":x": s("a"), ":y": s("b")}))["Items"]),
        ["a", "a#1", "a#2", "ab", "b"]
    );
    assert_eq!(sks(&q(&mut e, "pk = :p AND sk > :x", json!({":x": s("z")}))["Items"]), ["é"]);
}

#[test]
fn query_scan_index_forward_false_is_descending() {
    let mut e = fixture();
    let r = ok(
        &mut e,
        "Query",
        json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a", "ExpressionAttributeValues": {":a": s("A")}, "ScanIndexForward": false}),
    );
    assert_eq!(song_nums(&r["Items"]), ["20", "10", "3", "2", "1", "-1.5"]);
}

#[test]
fn query_pagination_with_limit_and_exclusive_start_key() {
    // Real AWS: Limit caps items evaluated; LastEvaluatedKey is the primary key of the last
    // evaluated item; passing it as ExclusiveStartKey continues after it; a page without
    // LastEvaluatedKey is the last one.
    for forward in [true, false] {
        let mut e = fixture();
        let mut pages = vec![];
        let mut start: Option<Value> = None;
        for _ in 0..10 {
            let mut req = json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a",
                                 "ExpressionAttributeValues": {":a": s("A")}, "Limit": 4, "ScanIndexForward": forward});
            if let Some(k) = &start {
                req["ExclusiveStartKey"] = k.clone();
            }
            let r = ok(&mut e, "Query", req);
            let items = song_nums(&r["Items"]);
            if let Some(lek) = r.get("LastEvaluatedKey") {
                let last = r["Items"].as_array().unwrap().last().unwrap();
                assert_eq!(
                    lek,
                    &json!({"Artist": last["Artist"], "SongNum": last["SongNum"]}),
                    "LEK = last item's key"
                );
                start = Some(lek.clone());
                pages.push(items);
            } else {
                pages.push(items);
                break;
            }
        }
        let want: Vec<Vec<&str>> = if forward {
            vec![vec!["-1.5", "1", "2", "3"], vec!["10", "20"]]
        } else {
            vec![vec!["20", "10", "3", "2"], vec!["1", "-1.5"]]
        };
        assert_eq!(pages, want, "forward={forward}");
    }
}

#[test]
fn query_exclusive_start_key_in_the_middle() {
    let mut e = fixture();
    let r = ok(
        &mut e,
        "Query",
        json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a", "ExpressionAttributeValues": {":a": s("A")},
               "ExclusiveStartKey": {"Artist": s("A"), "SongNum": n("2")}}),
    );
    assert_eq!(song_nums(&r["Items"]), ["3", "10", "20"]);
    // The start key need not exist as an item (real AWS: it is a position).
    let r = ok(
        &mut e,
        "Query",
        json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a", "ExpressionAttributeValues": {":a": s("A")},
               "ExclusiveStartKey": {"Artist": s("A"), "SongNum": n("5")}, "ScanIndexForward": false}),
    );
    assert_eq!(song_nums(&r["Items"]), ["3", "2", "1", "-1.5"]);
}

#[test]
fn query_filter_expression_applies_after_limit() {
    let mut e = fixture();
    // Real AWS: the filter runs after the key condition and Limit; Count counts matches,
    // ScannedCount counts evaluated items.
    let r = ok(
        &mut e,
        "Query",
        json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a", "FilterExpression": "Genre = :g",
               "ExpressionAttributeValues": {":a": s("A"), ":g": s("rock")}}),
    );
    assert_eq!(song_nums(&r["Items"]), ["3", "10", "20"]);
    assert_eq!((r["Count"].clone(), r["ScannedCount"].clone()), (json!(3), json!(6)));
    let r = ok(
        &mut e,
        "Query",
        json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a", "FilterExpression": "Genre = :g",
               "ExpressionAttributeValues": {":a": s("A"), ":g": s("rock")}, "Limit": 3}),
    );
    // first three by key: -1.5 (pop), 1 (jazz), 2 (pop) → none match.
    assert_eq!(r["Items"], json!([]));
    assert_eq!((r["Count"].clone(), r["ScannedCount"].clone()), (json!(0), json!(3)));
    assert_eq!(r["LastEvaluatedKey"], json!({"Artist": s("A"), "SongNum": n("2")}));
    // Richer filters share the condition grammar (§6.5).
    let r = ok(
        &mut e,
        "Query",
        json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a",
               "FilterExpression": "Plays BETWEEN :lo AND :hi OR Genre IN (:j)",
               "ExpressionAttributeValues": {":a": s("A"), ":lo": n("5"), ":hi": n("50"), ":j": s("jazz")}}),
    );
    assert_eq!(song_nums(&r["Items"]), ["1", "2", "10", "20"]);
}

#[test]
fn query_select_count_and_projection() {
    let mut e = fixture();
    let r = ok(
        &mut e,
        "Query",
        json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a", "ExpressionAttributeValues": {":a": s("A")}, "Select": "COUNT"}),
    );
    assert_eq!(r["Count"], 6);
    assert!(r.get("Items").is_none(), "real AWS: Select COUNT returns no Items: {r}");
    let r = ok(
        &mut e,
        "Query",
        json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a AND SongNum = :n",
               "ExpressionAttributeValues": {":a": s("A"), ":n": n("3")}, "ProjectionExpression": "Genre"}),
    );
    assert_eq!(r["Items"], json!([{"Genre": s("rock")}]));
}

#[test]
fn query_and_scan_option_errors() {
    // API_Query / API_Scan Select: enum SPECIFIC_ATTRIBUTES | COUNT | ALL_ATTRIBUTES |
    // ALL_PROJECTED_ATTRIBUTES, in AWS's constraint wording.
    let mut e = fixture();
    let bad_select = "1 validation error detected: Value 'NONE' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]";
    let er = err(
        &mut e,
        "Query",
        json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a", "ExpressionAttributeValues": {":a": s("A")}, "Select": "NONE"}),
    );
    assert_eq!((er.kind.as_str(), er.message.as_str()), ("ValidationException", bad_select));
    let er = err(&mut e, "Scan", json!({"TableName": "Music", "Select": "NONE"}));
    assert_eq!((er.kind.as_str(), er.message.as_str()), ("ValidationException", bad_select));
    // A Query's ExclusiveStartKey must be in the partition it reads (AWS: ValidationException
    // "The provided starting key is invalid..."; emulators differ on the rest of the text).
    let er = err(
        &mut e,
        "Query",
        json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a", "ExpressionAttributeValues": {":a": s("A")},
               "ExclusiveStartKey": {"Artist": s("B"), "SongNum": n("1")}}),
    );
    assert_eq!(er.kind, "ValidationException");
    assert!(er.message.starts_with("The provided starting key is invalid"), "{}", er.message);
    // A Scan of a secondary index: indexes are not simulated (§6.2 Simulator), so the request is
    // refused, naming the index, as AWS refuses an index the table does not have.
    let er = err(&mut e, "Scan", json!({"TableName": "Music", "IndexName": "byGenre"}));
    assert_eq!(er.kind, "ValidationException");
    assert!(er.message.starts_with("The table does not have the specified index: byGenre"), "{}", er.message);
}

#[test]
fn query_unknown_partition_gives_empty_result() {
    let mut e = fixture();
    let r = ok(
        &mut e,
        "Query",
        json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a", "ExpressionAttributeValues": {":a": s("Z")}}),
    );
    assert_eq!(r["Items"], json!([]));
    assert_eq!(r["Count"], 0);
    assert_eq!(r["ScannedCount"], 0);
    assert!(r.get("LastEvaluatedKey").is_none());
}

#[test]
fn query_validation_errors() {
    // Real AWS: all ValidationException.
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"KeyConditionExpression": "SongNum = :n", "ExpressionAttributeValues": {":n": n("1")}}),
            "no partition-key equality",
        ),
        (
            json!({"KeyConditionExpression": "Artist > :a", "ExpressionAttributeValues": {":a": s("A")}}),
            "partition key with > instead of =",
        ),
        (
            json!({"KeyConditionExpression": "Artist = :a AND Genre = :g", "ExpressionAttributeValues": {":a": s("A"), ":g": s("rock")}}),
            "non-key attribute in key condition",
        ),
        (
            json!({"KeyConditionExpression": "Artist = :a OR SongNum = :n", "ExpressionAttributeValues": {":a": s("A"), ":n": n("1")}}),
            "OR in key condition",
        ),
        (
            json!({"KeyConditionExpression": "Artist = :a AND begins_with(SongNum, :n)", "ExpressionAttributeValues": {":a": s("A"), ":n": n("1")}}),
            "begins_with on a number sort key",
        ),
        (
            json!({"KeyConditionExpression": "Artist = :a", "ExpressionAttributeValues": {":a": n("1")}}),
            "key value of the wrong type",
        ),
        (
            json!({"KeyConditionExpression": "Artist = :a", "ExpressionAttributeValues": {":a": s("A")}, "Limit": 0}),
            "Limit 0",
        ),
        (
            json!({"KeyConditionExpression": "Artist = :a", "ExpressionAttributeValues": {":a": s("A")}, "ExclusiveStartKey": {"Artist": s("A")}}),
            "ExclusiveStartKey missing the sort key",
        ),
        (
            json!({"KeyConditionExpression": "Artist = :a", "ExpressionAttributeValues": {":a": s("A"), ":unused": s("x")}}),
            "unused expression attribute value (§6.6)",
        ),
        (json!({"KeyConditionExpression": "Artist = :a"}), "undefined expression attribute value (§6.6)"),
        (json!({}), "missing KeyConditionExpression"),
    ];
    let mut e = fixture();
    for (mut req, why) in cases {
        req["TableName"] = json!("Music");
        let er = err(&mut e, "Query", req);
        assert_eq!(er.kind, "ValidationException", "{why}: {}", er.message);
    }
    // Exact message where real AWS's text is well known.
    let er = err(
        &mut e,
        "Query",
        json!({"TableName": "Music", "KeyConditionExpression": "SongNum = :n", "ExpressionAttributeValues": {":n": n("1")}}),
    );
    assert_eq!(er.message, "Query condition missed key schema element: Artist");
}

#[test]
fn key_condition_operators_dynamodb_refuses() {
    // API_Query KeyConditionExpression: `=` on the partition key; on the sort key one of
    // `= < <= > >=`, BETWEEN or begins_with, on top-level key attributes only. Other operators
    // are ValidationException "Invalid operator used in KeyConditionExpression: <op>", a nested
    // path "KeyConditionExpressions cannot have conditions on nested attributes" (DynamoDB's
    // words as dynalite records them; some emulators add an "Invalid KeyConditionExpression: "
    // prefix, so the test checks the words).
    let mut e = fixture();
    let q = |e: &mut Engine, cond: &str| {
        err(
            e,
            "Query",
            json!({"TableName": "Music", "KeyConditionExpression": cond,
                   "ExpressionAttributeValues": {":a": s("A"), ":n": n("3"), ":m": n("10")}}),
        )
    };
    for (cond, says) in [
        ("Artist = :a AND SongNum.part = :n", "KeyConditionExpressions cannot have conditions on nested attributes"),
        ("Artist = :a AND NOT SongNum = :n", "Invalid operator used in KeyConditionExpression: NOT"),
        ("Artist = :a AND SongNum IN (:n, :m)", "Invalid operator used in KeyConditionExpression: IN"),
        ("Artist = :a AND contains(SongNum, :n)", "Invalid operator used in KeyConditionExpression: contains"),
    ] {
        let er = q(&mut e, cond);
        assert_eq!(er.kind, "ValidationException", "{cond}");
        assert!(er.message.contains(says), "{cond}: {}", er.message);
    }
    // begins_with with its operands swapped, a comparison of two values and a BETWEEN of a value
    // name no key the way DynamoDB needs: refused (ValidationException; the wording is the simulator's).
    for cond in [
        "Artist = :a AND begins_with(:n, SongNum)",
        "Artist = :a AND :n < :m",
        "Artist = :a AND :n BETWEEN SongNum AND :m",
    ] {
        assert_eq!(q(&mut e, cond).kind, "ValidationException", "{cond}");
    }
    // A value on the left of the comparison is the same condition turned around (DynamoDB
    // takes `:n <= SongNum` as `SongNum >= :n`).
    for (cond, want) in [
        (":n <= SongNum", vec!["3", "10", "20"]),
        (":n < SongNum", vec!["10", "20"]),
        (":n >= SongNum", vec!["-1.5", "1", "2", "3"]),
        (":n > SongNum", vec!["-1.5", "1", "2"]),
    ] {
        let r = ok(
            &mut e,
            "Query",
            json!({"TableName": "Music", "KeyConditionExpression": format!("Artist = :a AND {cond}"),
                   "ExpressionAttributeValues": {":a": s("A"), ":n": n("3")}}),
        );
        assert_eq!(song_nums(&r["Items"]), want, "{cond}");
    }
}

#[test]
fn query_filter_on_key_attribute_is_rejected() {
    // Real AWS (Developer Guide, "Filter expressions for Query": "A filter expression cannot
    // contain partition key or sort key attributes"); error text as DynamoDB returns it.
    let mut e = fixture();
    let er = err(
        &mut e,
        "Query",
        json!({"TableName": "Music", "KeyConditionExpression": "Artist = :a", "FilterExpression": "SongNum > :n",
               "ExpressionAttributeValues": {":a": s("A"), ":n": n("1")}}),
    );
    assert_eq!(er.kind, "ValidationException");
    assert_eq!(
        er.message,
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: SongNum"
    );
}

#[test]
fn scan_returns_everything_and_paginates() {
    let mut e = fixture();
    let r = ok(&mut e, "Scan", json!({"TableName": "Music"}));
    assert_eq!(r["Count"], 7);
    assert_eq!(r["ScannedCount"], 7);
    assert!(r.get("LastEvaluatedKey").is_none());
    let mut all: Vec<(String, String)> = r["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["Artist"]["S"].as_str().unwrap().into(), i["SongNum"]["N"].as_str().unwrap().into()))
        .collect();
    all.sort();
    // Paginate with Limit 2: every item exactly once.
    let mut seen = vec![];
    let mut start: Option<Value> = None;
    for _ in 0..20 {
        let mut req = json!({"TableName": "Music", "Limit": 2});
        if let Some(k) = &start {
            req["ExclusiveStartKey"] = k.clone();
        }
        let r = ok(&mut e, "Scan", req);
        assert!(r["Items"].as_array().unwrap().len() <= 2);
        seen.extend(r["Items"].as_array().unwrap().iter().map(|i| {
            (i["Artist"]["S"].as_str().unwrap().to_string(), i["SongNum"]["N"].as_str().unwrap().to_string())
        }));
        match r.get("LastEvaluatedKey") {
            Some(k) => {
                let last = r["Items"].as_array().unwrap().last().unwrap();
                assert_eq!(k, &json!({"Artist": last["Artist"], "SongNum": last["SongNum"]}));
                start = Some(k.clone());
            }
            None => break,
        }
    }
    seen.sort();
    assert_eq!(seen, all);
}

#[test]
fn scan_filter_select_and_projection() {
    let mut e = fixture();
    let r = ok(
        &mut e,
        "Scan",
        json!({"TableName": "Music", "FilterExpression": "Genre = :g AND Plays >= :p", "ExpressionAttributeValues": {":g": s("rock"), ":p": n("1.5")}}),
    );
    let mut got = song_nums(&r["Items"]);
    got.sort();
    // rock: A/10 (5), A/20 (7), A/3 (100), B/1 (1.5)
    assert_eq!(got, ["1", "10", "20", "3"]);
    assert_eq!((r["Count"].clone(), r["ScannedCount"].clone()), (json!(4), json!(7)));
    // A Scan filter may use key attributes (unlike Query).
    let r = ok(
        &mut e,
        "Scan",
        json!({"TableName": "Music", "FilterExpression": "Artist = :b", "ExpressionAttributeValues": {":b": s("B")}}),
    );
    assert_eq!(r["Count"], 1);
    let r = ok(&mut e, "Scan", json!({"TableName": "Music", "Select": "COUNT"}));
    assert_eq!(r["Count"], 7);
    assert!(r.get("Items").is_none());
    let r = ok(
        &mut e,
        "Scan",
        json!({"TableName": "Music", "ProjectionExpression": "Artist", "FilterExpression": "SongNum = :n", "ExpressionAttributeValues": {":n": n("-1.5")}}),
    );
    assert_eq!(r["Items"], json!([{"Artist": s("A")}]));
    // size() is a function (§6.5): "size(Genre) > 3" keeps rock (4) and jazz (4), drops pop (3).
    let r = ok(
        &mut e,
        "Scan",
        json!({"TableName": "Music", "FilterExpression": "size(Genre) > :n", "ExpressionAttributeValues": {":n": n("3")}}),
    );
    assert_eq!(r["Count"], 5);
}

#[test]
fn scan_filter_reserved_word_needs_placeholder() {
    let mut e = fixture();
    ok(&mut e, "PutItem", json!({"TableName": "Words", "Item": {"pk": s("x"), "sk": s("y"), "status": s("open")}}));
    let er = err(
        &mut e,
        "Scan",
        json!({"TableName": "Words", "FilterExpression": "status = :s", "ExpressionAttributeValues": {":s": s("open")}}),
    );
    assert_eq!(er.kind, "ValidationException");
    assert_eq!(er.message, "Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: status");
    let r = ok(
        &mut e,
        "Scan",
        json!({"TableName": "Words", "FilterExpression": "#s = :s", "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": s("open")}}),
    );
    assert_eq!(r["Count"], 1);
}

#[test]
fn get_item_projection_of_absent_attributes_gives_empty_item() {
    // Real AWS: the item exists, none of the projected attributes do → "Item": {}.
    let mut e = fixture();
    let r = ok(
        &mut e,
        "GetItem",
        json!({"TableName": "Music", "Key": {"Artist": s("B"), "SongNum": n("1")}, "ProjectionExpression": "Nope"}),
    );
    assert_eq!(r["Item"], json!({}));
}

#[test]
fn parallel_scan_segments_partition_the_table() {
    // Real AWS (Scan API: Segment / TotalSegments): each item is returned by exactly one segment.
    let mut e = fixture();
    let mut seen = vec![];
    for seg in 0..3 {
        let r = ok(&mut e, "Scan", json!({"TableName": "Music", "Segment": seg, "TotalSegments": 3}));
        for i in r["Items"].as_array().unwrap() {
            seen.push(format!("{}/{}", i["Artist"]["S"].as_str().unwrap(), i["SongNum"]["N"].as_str().unwrap()));
        }
    }
    seen.sort();
    assert_eq!(seen, ["A/-1.5", "A/1", "A/10", "A/2", "A/20", "A/3", "B/1"]);
    // Segment without TotalSegments, or Segment ≥ TotalSegments → ValidationException.
    assert_eq!(err(&mut e, "Scan", json!({"TableName": "Music", "Segment": 0})).kind, "ValidationException");
    assert_eq!(
        err(&mut e, "Scan", json!({"TableName": "Music", "Segment": 3, "TotalSegments": 3})).kind,
        "ValidationException"
    );
}

#[test]
fn query_on_binary_sort_key_orders_by_bytes() {
    // Real AWS: B sort keys compare as unsigned bytes; begins_with works on binary.
    let mut e = Engine::new(EngineConfig::default());
    ok(
        &mut e,
        "CreateTable",
        json!({"TableName": "Bins",
               "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "B"}],
               "BillingMode": "PAY_PER_REQUEST"}),
    );
    // base64: /w== = [0xff], AQ== = [0x01], AQI= = [0x01,0x02], fw== = [0x7f]
    for b in ["/w==", "AQ==", "AQI=", "fw=="] {
        ok(&mut e, "PutItem", json!({"TableName": "Bins", "Item": {"pk": s("p"), "sk": {"B": b}}}));
    }
    let r = ok(
        &mut e,
        "Query",
        json!({"TableName": "Bins", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": s("p")}}),
    );
    let got: Vec<&str> = r["Items"].as_array().unwrap().iter().map(|i| i["sk"]["B"].as_str().unwrap()).collect();
    assert_eq!(got, ["AQ==", "AQI=", "fw==", "/w=="]);
    let r = ok(
        &mut e,
        "Query",
        json!({"TableName": "Bins", "KeyConditionExpression": "pk = :p AND begins_with(sk, :b)", "ExpressionAttributeValues": {":p": s("p"), ":b": {"B": "AQ=="}}}),
    );
    assert_eq!(r["Count"], 2);
}
