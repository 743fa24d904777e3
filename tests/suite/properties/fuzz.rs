//! Bounded property tests over the same targets as the cargo-fuzz ones (`fuzz/targets.rs`):
//! expressions, the rule language, filter patterns, item JSON, scenario text, Lambda mappings
//! and random operation sequences. Each test runs a fixed number of cases (no time limits, no
//! timing asserts), so it never flakes on a busy machine. Long runs: see docs/fuzzing.md.
//! `properties::streams` covers the table/stream invariants of plain writes; this module extends
//! them to expressions, rules, filters, scenarios and mappings. Resource bounds are in
//! `properties::bounds`, the streaming replay's checks in `replay::streaming`.

use crate::common::targets;
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

/// Pieces of the texts `teaching_texts` reads: result codes, SCORM values and suspend data,
/// quiz progress, and lesson, bank and index files.
const TEACHING_PIECES: &[&str] = &[
    "SL2.",
    "SL1.",
    ".",
    "eyJ4IjoxfQ",
    "0123abcd",
    "\n",
    "Q1|batching|e|5|0|0|",
    "Q1|batching|p|",
    "L1|triggers|3",
    "|",
    "-",
    "0",
    "1",
    "12",
    "ac",
    "cab",
    "1.b,2.a",
    "ab-initio",
    "resume",
    "80",
    "passed",
    "incomplete",
    "?quiz=batching",
    "?lesson=triggers&embed=1",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"format\"",
    "\"questions\"",
    "\"steps\"",
    "\"scenario\"",
    "\"lessons\"",
    "\"banks\"",
    "\"id\"",
    "\"kind\"",
    "\"choice\"",
    "\"ordering\"",
    "\"options\"",
    "\"answer\"",
    "\"prompt\"",
    "\"explanation\"",
    "\"text\"",
    "\"x\"",
    "\"mode\"",
    "\"exam\"",
    "\"bank\"",
    "\"batching\"",
    "\"seed\"",
    "\"answers\"",
    "\"at\"",
    "2",
    "null",
    "true",
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

    #[test]
    fn quiz_state_round_trips(data in proptest::collection::vec(any::<u8>(), 0..120)) {
        targets::quiz_state_round_trips(&data);
    }

    #[test]
    fn teaching_texts_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        targets::teaching_texts(&data);
    }

    #[test]
    fn teaching_texts_from_pieces(kind in 0u8..5, src in soup(TEACHING_PIECES, 24)) {
        let mut data = vec![kind];
        data.extend(src.as_bytes());
        targets::teaching_texts(&data);
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
            let event = inv.event(&e.cfg.region);
            for r in event["Records"].as_array().unwrap() {
                let keys = streamlab::item_from_json(&r["dynamodb"]["Keys"]).unwrap();
                let seq: u128 = r["dynamodb"]["SequenceNumber"].as_str().unwrap().parse().unwrap();
                delivered.push((format!("{keys:?}"), seq));
            }
            prop_assert!(event["Records"].as_array().unwrap().len() <= c.batch as usize);
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
