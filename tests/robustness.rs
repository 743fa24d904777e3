//! Bounded property tests over the same targets as the cargo-fuzz ones (`fuzz/targets.rs`):
//! expressions, the rule language, filter patterns, item JSON, scenario text, Lambda mappings
//! and random operation sequences. Each test runs a fixed number of cases (no time limits, no
//! timing asserts), so it never flakes on a busy machine. Long runs: see docs/fuzzing.md.
//! tests/prop_stream.rs covers the table/stream invariants of plain writes; this file extends
//! them to expressions, rules, filters, scenarios and mappings, and checks resource bounds.
#![cfg(not(target_arch = "wasm32"))] // native tests: `make test` runs tests/web.rs in the browser

#[path = "../fuzz/targets.rs"]
mod targets;

use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use streamlab::{Engine, EngineConfig};

fn cfg(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Text made of pieces that the parsers care about, so random inputs get past the lexer.
fn soup(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(pieces), 0..max).prop_map(|v| v.join(" "))
}

const EXPR_PIECES: &[&str] = &[
    "SET",
    "REMOVE",
    "ADD",
    "DELETE",
    "a",
    "s",
    "l",
    "m",
    "m.x",
    "l[0]",
    "l[1]",
    "#n",
    "#m",
    "#k",
    "#x",
    "#zz",
    ":v",
    ":s",
    ":l",
    ":ss",
    ":b",
    ":k",
    ":zz",
    "pk",
    "sk",
    "=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    "AND",
    "OR",
    "NOT",
    "BETWEEN",
    "IN",
    "if_not_exists",
    "list_append",
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "begins_with",
    "contains",
    "size",
    "0",
    "1",
    "10",
    "#n.#x",
    "SET a = :v",
    "a = :v",
    "pk = :k",
    "sk > :v",
    "$",
    "\u{e9}",
];

const RULE_PIECES: &[&str] = &[
    "on",
    "INSERT",
    "MODIFY",
    "REMOVE",
    "TTL",
    ",",
    "when",
    "new.a",
    "old.a",
    "keys.pk",
    "new.m.x",
    "new.l[0]",
    "new[\"s\"]",
    "event",
    "ttl",
    "=",
    "!=",
    "<>",
    "<",
    ">=",
    "and",
    "or",
    "not",
    "(",
    ")",
    "exists(new.a)",
    "begins_with(new.s, \"h\")",
    "contains(new.l, 1)",
    "changed(a)",
    "\"text\"",
    "42",
    "-1.5",
    "true",
    "false",
    "null",
    "\n",
    "\n  ",
    "count",
    "sum",
    "min",
    "max",
    "avg",
    "votes",
    "of",
    "by",
    "where",
    "s",
    "a",
    "notify",
    "\"#c\"",
    "\"{keys.pk} {new.a}\"",
    "\"{\"",
    "put",
    "update",
    "delete",
    "T",
    "key",
    "{",
    "}",
    "pk:",
    "sk:",
    "add",
    "set",
    "fail",
    "\"boom\"",
    "-- comment",
    "//",
    "\u{1F600}",
];

const FILTER_PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"eventName\"",
    "\"dynamodb\"",
    "\"NewImage\"",
    "\"OldImage\"",
    "\"Keys\"",
    "\"a\"",
    "\"pk\"",
    "\"N\"",
    "\"S\"",
    "\"BOOL\"",
    "\"INSERT\"",
    "\"MODIFY\"",
    "\"REMOVE\"",
    "\"prefix\"",
    "\"suffix\"",
    "\"anything-but\"",
    "\"numeric\"",
    "\"exists\"",
    "\"equals-ignore-case\"",
    "\"wildcard\"",
    "\"cidr\"",
    "\"<\"",
    "\">=\"",
    "\"=\"",
    "0",
    "5",
    "1e3",
    "-2",
    "true",
    "false",
    "null",
    "\"k\"",
    "\"h*\"",
    "\"\"",
    "{\"prefix\": \"h\"}",
    "{\"numeric\": [\">\", 1]}",
    "{\"exists\": false}",
];

const SCENARIO_PIECES: &[&str] = &[
    "{", "}", "[", "]", ":", ",", "\"steps\"", "\"description\"", "\"seed\"", "\"startTime\"", "\"region\"", "\"simulator\"",
    "\"shardsPerStream\"", "\"shardRolloverSeconds\"", "\"ttlDelaySeconds\"", "\"2026-01-01T00:00:00Z\"", "\"us-east-1\"", "1", "0",
    "70", "-1", "\"x\"", "null", "{\"PutItem\": {\"TableName\": \"Tbl\", \"Item\": {\"pk\": {\"S\": \"a\"}}}}",
    "{\"DeleteItem\": {\"TableName\": \"Tbl\", \"Key\": {\"pk\": {\"S\": \"a\"}}}}", "{\"AdvanceClock\": {\"Seconds\": 3600}}",
    "{\"CreateTable\": {\"TableName\": \"Tbl\", \"KeySchema\": [{\"AttributeName\": \"pk\", \"KeyType\": \"HASH\"}], \"AttributeDefinitions\": [{\"AttributeName\": \"pk\", \"AttributeType\": \"S\"}], \"BillingMode\": \"PAY_PER_REQUEST\", \"StreamSpecification\": {\"StreamEnabled\": true, \"StreamViewType\": \"NEW_AND_OLD_IMAGES\"}}}",
    "{\"GetRecords\": {}}", "{\"Bogus\": {}}", "{\"PutItem\": 3}", "{}",
];

proptest! {
    #![proptest_config(cfg(192))]

    #[test]
    fn expressions_never_panic_and_failures_change_nothing(src in soup(EXPR_PIECES, 14)) {
        targets::expressions(src.as_bytes());
    }

    #[test]
    fn expressions_from_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..80)) {
        targets::expressions(&data);
    }

    #[test]
    fn rules_never_panic(src in soup(RULE_PIECES, 24)) {
        targets::rules_source(src.as_bytes());
    }

    #[test]
    fn filters_round_trip(src in soup(FILTER_PIECES, 20)) {
        targets::filter_pattern(src.as_bytes());
    }

    #[test]
    fn filters_from_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..60)) {
        targets::filter_pattern(&data);
    }

    #[test]
    fn scenario_text_never_panics(src in soup(SCENARIO_PIECES, 24)) {
        targets::scenario_text(src.as_bytes());
    }

    #[test]
    fn engine_op_sequences(data in proptest::collection::vec(any::<u8>(), 0..240)) {
        targets::engine_ops(&data);
    }
}

/// Arbitrary JSON values (as item candidates): nested AttributeValue-like shapes.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(json!(null)),
        any::<bool>().prop_map(Value::from),
        proptest::sample::select(vec![
            "0",
            "1.50",
            "-1e3",
            "1e126",
            "1e-131",
            "x",
            "",
            "AAAA",
            "9999999999999999999999999999999999999999"
        ])
        .prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            (
                proptest::sample::select(&["S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS", "a", "pk"][..]),
                inner.clone()
            )
                .prop_map(|(k, v)| json!({ k: v })),
            proptest::collection::btree_map(
                proptest::sample::select(&["pk", "sk", "a", "b", "S", "N", "M", "L"][..]),
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

/// A valid attribute value in DynamoDB JSON, of every type, nested up to three levels.
fn attribute_value() -> impl Strategy<Value = Value> {
    let names = || proptest::sample::select(vec!["a", "b", "name", "é", "x_1", "long attribute name"]);
    let numbers = || proptest::sample::select(vec!["0", "1.50", "-7", "1e3", "12345678901234567890", "0.001", "-0.5"]);
    let leaf = prop_oneof![
        "[a-z ]{0,12}".prop_map(|s| json!({"S": s})),
        numbers().prop_map(|n| json!({"N": n})),
        proptest::sample::select(vec!["", "AA==", "AAEC", "aGVsbG8="]).prop_map(|b| json!({"B": b})),
        any::<bool>().prop_map(|b| json!({"BOOL": b})),
        Just(json!({"NULL": true})),
        proptest::collection::btree_set("[a-c]{1,3}", 1..4).prop_map(|s| json!({"SS": s})),
        proptest::collection::btree_set(proptest::sample::select(vec!["1", "2.5", "-3", "100"]), 1..4)
            .prop_map(|s| json!({"NS": s})),
        proptest::collection::btree_set(proptest::sample::select(vec!["AA==", "AQ==", "AgM="]), 1..3)
            .prop_map(|s| json!({"BS": s})),
    ];
    leaf.prop_recursive(3, 24, 4, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(|l| json!({"L": l})),
            proptest::collection::btree_map(names(), inner, 0..4).prop_map(|m| json!({"M": m})),
        ]
    })
}

proptest! {
    #![proptest_config(cfg(256))]

    #[test]
    fn items_round_trip(v in json_value()) {
        targets::item_json(v.to_string().as_bytes());
    }

    /// Valid items of every type (random JSON shapes seldom are): they round-trip through JSON
    /// and a stream image, the image's walk counts DynamoDB's item size, PutItem stores them.
    #[test]
    fn valid_items_round_trip(m in proptest::collection::btree_map(proptest::sample::select(vec!["pk", "a", "b", "M", "é"]), attribute_value(), 1..6)) {
        targets::item_json(json!(m).to_string().as_bytes());
    }
}

// ---- Lambda mappings: every record reaches the function exactly once, in per-key order ----

#[derive(Debug, Clone)]
struct MappingCase {
    batch: u32,
    parallel: u32,
    window: u32,
    shards: usize,
    writes: Vec<(u8, bool, u16)>,
}

fn mapping_case() -> impl Strategy<Value = MappingCase> {
    (1u32..12, 1u32..4, 0u32..3, 1usize..3, proptest::collection::vec((0u8..6, any::<bool>(), 0u16..300), 1..60))
        .prop_map(|(batch, parallel, window, shards, writes)| MappingCase { batch, parallel, window, shards, writes })
}

proptest! {
    #![proptest_config(cfg(96))]

    #[test]
    fn mapping_delivers_every_record_once_in_key_order(c in mapping_case()) {
        let mut e = Engine::new(EngineConfig { shards_per_stream: c.shards, shard_rollover_ms: 30 * 60 * 1000, ..Default::default() });
        e.call("CreateTable", &json!({"TableName": "Tbl",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}})).unwrap();
        e.call("CreateFunction", &json!({"FunctionName": "f", "Code": "on INSERT, MODIFY, REMOVE\n  count n by pk"})).unwrap();
        e.call("CreateEventSourceMapping", &json!({"TableName": "Tbl", "FunctionName": "f", "StartingPosition": "TRIM_HORIZON",
            "BatchSize": c.batch, "ParallelizationFactor": c.parallel, "MaximumBatchingWindowInSeconds": c.window})).unwrap();
        for (i, (k, del, secs)) in c.writes.iter().enumerate() {
            let key = json!({"pk": {"S": format!("k{k}")}});
            if *del {
                targets::call_checked(&mut e, "DeleteItem", &json!({"TableName": "Tbl", "Key": key}));
            } else {
                targets::call_checked(&mut e, "PutItem", &json!({"TableName": "Tbl", "Item": {"pk": {"S": format!("k{k}")}, "i": {"N": i.to_string()}}}));
            }
            targets::call_checked(&mut e, "AdvanceClock", &json!({"Seconds": secs}));
        }
        e.call("AdvanceClock", &json!({"Seconds": 3600})).unwrap();
        // Every retained record (all of them: < 24 h) was delivered exactly once.
        let written: Vec<(String, u128)> = e.streams()[0].records_in_order().map(|r| (format!("{:?}", r.keys()), r.seq)).collect();
        let mut delivered: Vec<(String, u128)> = Vec::new();
        for inv in &e.lambda().invocations {
            for r in inv.event["Records"].as_array().unwrap() {
                let keys = streamlab::item_from_json(&r["dynamodb"]["Keys"]).unwrap();
                let seq: u128 = r["dynamodb"]["SequenceNumber"].as_str().unwrap().parse().unwrap();
                delivered.push((format!("{keys:?}"), seq));
            }
            prop_assert!(inv.event["Records"].as_array().unwrap().len() <= c.batch as usize);
        }
        let mut sorted_w = written.clone();
        sorted_w.sort_by_key(|x| x.1);
        let mut sorted_d = delivered.clone();
        sorted_d.sort_by_key(|x| x.1);
        prop_assert_eq!(&sorted_w, &sorted_d, "each record delivered exactly once");
        // Per key, delivery order is sequence order.
        let mut last: BTreeMap<String, u128> = BTreeMap::new();
        for (k, seq) in delivered {
            if let Some(prev) = last.insert(k.clone(), seq) {
                prop_assert!(prev < seq, "key {} delivered out of order: {} after {}", k, seq, prev);
            }
        }
        // The count aggregate equals the number of current items per key... as inserts minus removes.
        let items = e.table("Tbl").unwrap().items.len() as i64;
        let agg = e.aggregates_output();
        let counted: i64 = agg["n"].as_object().map_or(0, |m| m.values().filter_map(Value::as_i64).sum());
        prop_assert_eq!(counted, items);
    }
}

// ---- resource bounds ----------------------------------------------------------------------

/// Streaming replay (`streamlab replay FILE`) matches parse + run on every shipped scenario
/// and on malformed variants of one.
#[test]
fn streaming_replay_matches_parse_and_run_on_files() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files.iter().filter(|f| !f.to_string_lossy().ends_with(".expect.json")) {
        let text = std::fs::read_to_string(f).unwrap();
        targets::scenario_text(text.as_bytes());
    }
    for bad in [
        "",
        "[]",
        "{}",
        "{\"steps\": {}}",
        "{\"steps\": [], \"steps\": []}",
        "{\"steps\": [1]}",
        "{\"steps\": [{}]}",
        "{\"steps\": [{\"PutItem\": {}, \"GetItem\": {}}]}",
        "{\"steps\": [{\"PutItem\": {}, \"PutItem\": {}}]}",
        "{\"steps\": [{\"Nope\": {}}]}",
        "{\"steps\": [{\"PutItem\": []}]}",
        "{\"steps\": [], \"seed\": -1}",
        "{\"seed\": 1, \"seed\": 2, \"steps\": []}",
        "{\"steps\": [{\"AdvanceClock\": {\"Seconds\": 1}}]} x",
        "{\"steps\": [{\"AdvanceClock\": {\"Seconds\": 1}}], \"description\": 3}",
        "{\"steps\": [{\"AdvanceClock\": {\"Seconds\": 1}}",
    ] {
        targets::scenario_text(bad.as_bytes());
    }
    // What serde_json's `Value` takes or refuses, which the streaming replay's own checker must
    // match: numbers, escapes, surrogates, control characters, nesting at serde_json's limit.
    for text in [
        r#"{"steps": [{"AdvanceClock": {"Seconds": 1, "x": [-0, 1.5e3, 1E-2, 12345678901234567890123, 0.1, -7, true, null]}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"Seconds": 1e400}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"x": "\ud83d\ude00 \u00e9 \" \\ \/ \b\f\n\r\t é"}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"x": "\ud800"}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"x": "\udc00\ud800"}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"x": "\x"}}]}"#,
        r#"{"st\u0065ps": [{"Advance\u0043lock": {"Seconds": 1}}], "seed": 12}"#,
        r#"{"steps": [{"AdvanceClock": {"x": 01}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"x": 1.}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"x": [1,]}}]}"#,
        r#"{"steps": [{"AdvanceClock": {"x": tru}}]}"#,
        "{\"steps\": [{\"AdvanceClock\": {\"x\": \"\u{1}\"}}]}",
        "{\"steps\": [{\"AdvanceClock\": {}}]}\u{c}",
    ] {
        targets::scenario_text(text.as_bytes());
    }
    for depth in [123, 124, 200] {
        let text =
            format!("{{\"steps\": [{{\"AdvanceClock\": {{\"x\": {}{}}}}}]}}", "[".repeat(depth), "]".repeat(depth));
        targets::scenario_text(text.as_bytes());
    }
}

/// The streaming replay decodes a PutItem's `Item` from the file's text on its reader thread;
/// what it stores and the errors it reports (which, in which order) are those of the `Value`
/// that parse + run decode: repeated names (the last value, in the first place), escaped
/// names, members set to null, and every kind of invalid attribute.
#[test]
fn streaming_replay_decodes_put_items_as_parse_and_run_do() {
    let many: Vec<String> = (0..40).map(|i| format!("\"m{}\": {{\"N\": \"{i}\"}}", i % 23)).collect();
    let items = [
        r#"{"pk": {"S": "a"}, "n": {"N": "1"}, "pk": {"S": "b"}}"#.to_string(),
        r#"{"pk": {"S": "a"}, "p\u006b": {"S": "c"}, "x": {"S": "\u00e9\n"}}"#.to_string(),
        r#"{"pk": {"BAD": 1}, "p\u006b": {"S": "c2"}, "\u0070k": {"S": "c3"}}"#.to_string(),
        r#"{"pk": {"S": "d", "S": null}, "a": {"S": null, "N": "007.50"}}"#.to_string(),
        r#"{"pk": {"S": "e"}, "a": {"S": "x", "S": 5}}"#.to_string(),
        r#"{"pk": {"S": "f"}, "a": {"BAD": 1}, "b": {"S": 5}, "a": {"S": "ok"}}"#.to_string(),
        r#"{"pk": {"S": "g"}, "b": {"S": 5}, "a": {"BAD": 1}}"#.to_string(),
        r#"{"pk": {"S": "h"}, "a": {"S": "x", "N": "1"}, "b": {}}"#.to_string(),
        r#"{"pk": {"S": "i"}, "a": {"NULL": false}}"#.to_string(),
        r#"{"pk": {"S": "j"}, "a": {"SS": ["x", "y", "x"]}, "b": {"NS": []}}"#.to_string(),
        r#"{"pk": {"S": "k"}, "a": {"NS": ["1", "1.0"]}, "b": {"BS": ["AQI=", "AQI="]}}"#.to_string(),
        r#"{"pk": {"S": "l"}, "a": {"B": "not base64!"}, "b": {"BOOL": "yes"}}"#.to_string(),
        r#"{"pk": {"S": "m"}, "a": {"M": {"x": {"L": [{"N": "1"}, {"NULL": true}, {"M": {}}]}, "x": {"S": "last"}}}, "b": {"L": []}}"#.to_string(),
        r#"{"pk": {"S": "n"}, "a": {"M": []}, "b": {"L": {}}, "c": {"SS": "x"}}"#.to_string(),
        r#"{"pk": {"N": "1"}}"#.to_string(),
        r#"{"pk": {"S": "o"}, "a": {"N": "1e400000"}, "b": {"N": "abc"}}"#.to_string(),
        r#"{}"#.to_string(),
        r#"{"pk": "p"}"#.to_string(),
        r#"{"pk": {"S": "q"}, "a": {"Z": true}}"#.to_string(),
        format!(r#"{{"pk": {{"S": "r"}}, "a": {{"M": {{{}}}}}}}"#, many.join(", ")),
        format!(r#"{{"pk": {{"S": "s"}}, {}}}"#, many.join(", ")),
        format!(r#"{{"pk": {{"S": "t"}}, "deep": {}{{"S": "x"}}{}}}"#, r#"{"L": ["#.repeat(33), "]}".repeat(33)),
    ];
    let mut steps = vec![
        r#"{"CreateTable": {"TableName": "Tbl", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}}"#.to_string(),
    ];
    for item in &items {
        steps.push(format!(r#"{{"PutItem": {{"TableName": "Tbl", "Item": {item}}}}}"#));
        steps.push(format!(r#"{{"PutItem": {{"Item": {item}, "TableName": "Tbl", "ReturnValues": "ALL_OLD"}}}}"#));
    }
    // The last `Item` counts; one that is not an object is the engine's to refuse.
    for body in [
        r#""TableName": "Tbl", "Item": {"pk": {"S": "u"}}, "Item": null"#,
        r#""TableName": "Tbl", "Item": 5, "Item": {"pk": {"S": "v"}}"#,
        r#""TableName": "Tbl", "Item": {"pk": {"S": "w"}}, "Item": {"pk": {"S": "x"}, "a": {"N": "2"}}"#,
        r#""TableName": "Tbl", "Item": {"pk": {"S": "y"}}, "Item": "z""#,
        r#""TableName": "Tbl", "Item": []"#,
        r#""TableName": "Missing", "Item": {"pk": {"S": 1}}"#,
        r#""TableName": "x", "Item": {"pk": {"S": 1}}"#,
        r#""Item": {"pk": {"S": 1}}"#,
        r#""TableName": "Tbl", "Item": {"pk": {"S": "z"}}, "ReturnValues": "ALL_NEW""#,
        r#""TableName": "Tbl", "Item": {"pk": {"S": "a"}}, "ConditionExpression": "attribute_not_exists(pk)""#,
    ] {
        steps.push(format!(r#"{{"PutItem": {{{body}}}}}"#));
    }
    steps.push(r#"{"Put\u0049tem": {"TableName": "Tbl", "Item": {"pk": {"S": "escaped action"}}}}"#.to_string());
    let text = format!("{{\"steps\": [\n{}\n]}}", steps.join(",\n"));
    let out = streamlab::scenario::replay(&text).expect("a valid scenario");
    let results = out["results"].as_array().expect("results");
    let ok = results.iter().filter(|r| r["ok"] == true).count();
    let failed = results.len() - ok;
    assert!(ok >= 12 && failed >= 30, "the steps cover both outcomes: {ok} ok, {failed} failed");
    targets::scenario_text(text.as_bytes());
}

/// An oversized paste is refused with a message, not parsed.
/// The streaming replay runs the steps as it reads and checks them, and writes nothing before
/// the whole file is known to be a scenario: a problem after many steps is reported alone, as
/// `parse` words it; members after the steps that change the configuration (the seed, the
/// start time) run the steps again with it; and results too large to hold make it check the
/// whole file first (here 50 results of about 360 KB each).
#[test]
fn streaming_replay_checks_the_whole_file_before_it_writes() {
    let table = r#"{"CreateTable": {"TableName": "Tbl", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}}"#;
    let puts: Vec<String> = (0..150)
        .map(|i| format!(r#"{{"PutItem": {{"TableName": "Tbl", "Item": {{"pk": {{"S": "k{i}"}}}}}}}}"#))
        .collect();
    let steps = format!("{table}, {}", puts.join(", "));
    // Two big items, read in turn (equal results in a row would be held once).
    let big: Vec<String> = (0..2)
        .map(|i| {
            format!(
                r#"{{"PutItem": {{"TableName": "Tbl", "Item": {{"pk": {{"S": "big{i}"}}, "text": {{"S": "{}"}}}}}}}}"#,
                "\\u0001".repeat(60_000)
            )
        })
        .collect();
    let big = big.join(", ");
    let gets: Vec<String> = (0..50)
        .map(|i| format!(r#"{{"GetItem": {{"TableName": "Tbl", "Key": {{"pk": {{"S": "big{}"}}}}}}}}"#, i % 2))
        .collect();
    let gets = gets.join(", ");
    let texts = [
        format!(r#"{{"seed": 3, "steps": [{steps}]}}"#),
        format!(r#"{{"steps": [{steps}], "seed": 3, "startTime": "2027-05-01T00:00:00Z"}}"#),
        format!(r#"{{"steps": [{steps}], "seed": 1}}"#),
        format!(r#"{{"steps": [{steps}, {{"Nope": {{}}}}]}}"#),
        format!(r#"{{"steps": [{steps}, {{"PutItem": []}}]}}"#),
        format!(r#"{{"steps": [{steps}, {{"PutItem": {{}}, "GetItem": {{}}}}]}}"#),
        format!(r#"{{"steps": [{steps}]}} x"#),
        format!(r#"{{"steps": [{steps}], "steps": []}}"#),
        format!(r#"{{"steps": [{steps}], "seed": -1}}"#),
        format!(r#"{{"seed": -1, "steps": [{steps}]}}"#),
        format!(r#"{{"steps": [{steps}, {big}, {gets}]}}"#),
        format!(r#"{{"steps": [{steps}, {big}, {gets}], "seed": 9}}"#),
        format!(r#"{{"steps": [{steps}, {big}, {gets}, {{"Nope": {{}}}}]}}"#),
    ];
    for text in &texts {
        targets::streaming_matches_parse_and_run(text);
    }
    let seeded = |text: &str| {
        streamlab::scenario::replay(text).expect("a valid scenario")["streams"][0]["Records"][0]["eventID"].clone()
    };
    assert_ne!(seeded(&texts[1]), seeded(&texts[2]), "the seed after the steps counts");
}

/// The replay writes a stream's records on two threads, in chunks taken in turn: every record
/// once, in order, as the stream's own JSON has it, however the count falls on the chunks.
#[test]
fn the_replay_writes_every_record_once_in_order() {
    for n in [0, 1, 1023, 1024, 1025, 2048, 2049, 4100] {
        let mut steps =
            vec![json!({"CreateTable": {"TableName": "Tbl", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}})];
        for i in 0..n {
            steps.push(json!({"PutItem": {"TableName": "Tbl", "Item": {"pk": {"S": format!("k{}", i % 700)}, "n": {"N": i.to_string()}}}}));
        }
        let s = streamlab::scenario::parse(&json!({"steps": steps}).to_string()).expect("a valid scenario");
        let mut out = Vec::new();
        let engine = streamlab::scenario::run(&s, &mut out).expect("write to memory");
        let out: Value = serde_json::from_slice(&out).expect("JSON");
        let streams = engine.streams_output();
        assert_eq!(streams[0]["Records"].as_array().map(Vec::len), Some(n), "{n} writes");
        assert_eq!(out["streams"], streams, "{n} writes");
    }
}

#[test]
fn oversized_input_is_refused() {
    let big = format!("{{\"steps\": [{}]}}", vec!["{\"AdvanceClock\": {\"Seconds\": 1}}"; 80_000].join(","));
    assert!(big.len() > streamlab::MAX_INPUT_BYTES);
    let err = streamlab::Session::from_scenario_text(&big).err().expect("refused");
    assert!(matches!(err, streamlab::LoadError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("at most"), "{err}");
}

/// A rule that notifies on every record, run over 30,000 writes (300 invocations of 100
/// records): the lab's engine keeps only the newest notifications and counts the others,
/// while `streamlab replay`'s engine keeps every one (its output must list them all).
#[test]
fn a_rule_that_notifies_on_every_record_keeps_memory_bounded_in_the_lab() {
    fn run(limit: Option<usize>) -> Engine {
        let mut e = Engine::new(EngineConfig { history_limit: limit, ..Default::default() });
        let call = |e: &mut Engine, a: &str, r: Value| e.call(a, &r).unwrap_or_else(|err| panic!("{a}: {err:?}"));
        call(
            &mut e,
            "CreateTable",
            json!({"TableName": "Loud", "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}),
        );
        call(
            &mut e,
            "CreateFunction",
            json!({"FunctionName": "loud", "Code": "on INSERT\n  notify \"#all\" \"new {keys.k}\"\n"}),
        );
        call(
            &mut e,
            "CreateEventSourceMapping",
            json!({"TableName": "Loud", "FunctionName": "loud", "StartingPosition": "TRIM_HORIZON", "BatchSize": 100}),
        );
        for i in 0..30_000 {
            call(&mut e, "PutItem", json!({"TableName": "Loud", "Item": {"k": {"S": format!("k{i}")}}}));
        }
        call(&mut e, "AdvanceClock", json!({"Seconds": 600}));
        e
    }
    let lab = run(EngineConfig::default().history_limit);
    let l = lab.lambda();
    assert!(l.notifications.len() <= streamlab::HISTORY_LIMIT, "{} kept", l.notifications.len());
    assert_eq!(l.notifications.len() as u64 + l.dropped.notifications, 30_000, "every notification is kept or counted");
    assert_eq!(l.notifications.last().map(|n| n.message.as_str()), Some("new k29999"), "the newest are kept");
    assert_eq!(l.invocations.len() as u64 + l.dropped.invocations, 300);
    assert_eq!(l.dropped.invocations, 0, "300 invocations are under the limit");

    let replay = run(None);
    assert_eq!(replay.lambda().notifications.len(), 30_000);
    assert_eq!(replay.lambda().dropped, streamlab::Dropped::default());
}
