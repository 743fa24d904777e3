//! Robustness targets shared by the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`, long runs)
//! and the bounded property tests of `tests/suite/properties/fuzz.rs` (run by `cargo test`).
//!
//! Each target takes arbitrary bytes, must never panic, and checks invariants with `assert!`:
//! a failed request changes nothing, decoded values round-trip, every stream record reaches a
//! mapping's function exactly once and in per-key order, replay output is valid JSON.

#![allow(dead_code)]

use serde_json::{json, Value};
use std::collections::BTreeMap;
use streamlab::rules::{self, Aggregates, RecordView};
use streamlab::FilterCriteria;
use streamlab::ViewType;
use streamlab::{item_from_json, item_to_json, AttributeValue, Item};
use streamlab::{Engine, EngineConfig};

/// Bytes as text (invalid UTF-8 replaced), capped so one input stays fast.
fn text(data: &[u8], max: usize) -> String {
    String::from_utf8_lossy(&data[..data.len().min(max)]).into_owned()
}

/// Everything a request could have changed: items, retained records, the clock, lambda state.
pub fn snapshot(e: &Engine) -> Value {
    let tables: Vec<Value> = e
        .tables()
        .map(|t| json!({"name": t.name, "items": t.items.values().map(|i| item_to_json(i)).collect::<Vec<_>>(), "bytes": t.bytes, "ttl": t.ttl_attribute, "stream": t.stream}))
        .collect();
    let records: Vec<String> =
        e.streams().iter().flat_map(|s| s.records_in_order()).map(|r| r.seq.to_string()).collect();
    json!({"tables": tables, "records": records, "now": e.now_ms(), "invocations": e.lambda().invocations.len(),
        "notifications": e.lambda().notifications.len(), "functions": e.lambda().functions.len(), "mappings": e.lambda().mappings.len()})
}

/// Calls the engine; on an error, asserts that nothing changed.
pub fn call_checked(e: &mut Engine, action: &str, req: &Value) -> Option<Value> {
    let before = snapshot(e);
    match e.call(action, req) {
        Ok(v) => Some(v),
        Err(err) => {
            let after = snapshot(e);
            assert_eq!(before, after, "{action} failed ({}) but changed the engine: {req}", err.message);
            None
        }
    }
}

/// A table `T` (pk S, sk N) with a NEW_AND_OLD_IMAGES stream and one item.
pub fn engine_with_item() -> Engine {
    let mut e = Engine::new(EngineConfig::default());
    e.call(
        "CreateTable",
        &json!({"TableName": "Tbl",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}),
    )
    .expect("create table");
    e.call("PutItem", &json!({"TableName": "Tbl", "Item": sample_item()})).expect("put");
    e
}

pub fn sample_item() -> Value {
    json!({"pk": {"S": "k"}, "sk": {"N": "1"}, "a": {"N": "5"}, "s": {"S": "hello"}, "l": {"L": [{"N": "1"}, {"S": "x"}]},
        "m": {"M": {"x": {"N": "2"}, "y": {"SS": ["p", "q"]}}}, "b": {"BOOL": true}, "ns": {"NS": ["1", "2"]}, "z": {"NULL": true}})
}

pub fn sample_names() -> Value {
    json!({"#n": "a", "#m": "m", "#k": "pk", "#x": "x"})
}

pub fn sample_values() -> Value {
    json!({":v": {"N": "1"}, ":s": {"S": "x"}, ":l": {"L": [{"N": "3"}]}, ":ss": {"SS": ["q", "r"]}, ":b": {"BOOL": false}, ":k": {"S": "k"}})
}

/// Expression parsers and evaluator: the text is tried as every expression kind of UpdateItem,
/// PutItem, Query and Scan. A failed write must change nothing; a Query/Scan must not panic.
pub fn expressions(data: &[u8]) {
    let src = text(data, 600);
    let mut e = engine_with_item();
    let key = json!({"pk": {"S": "k"}, "sk": {"N": "1"}});
    let with = |mut r: Value, members: &[(&str, &str)]| {
        for (k, v) in members {
            r[*k] = json!(v);
        }
        r["ExpressionAttributeNames"] = sample_names();
        r["ExpressionAttributeValues"] = sample_values();
        r
    };
    let reqs = [
        ("UpdateItem", with(json!({"TableName": "Tbl", "Key": key}), &[("UpdateExpression", &src)])),
        (
            "UpdateItem",
            with(
                json!({"TableName": "Tbl", "Key": key}),
                &[("UpdateExpression", "SET a = a + :v"), ("ConditionExpression", &src)],
            ),
        ),
        ("PutItem", with(json!({"TableName": "Tbl", "Item": sample_item()}), &[("ConditionExpression", &src)])),
        ("DeleteItem", with(json!({"TableName": "Tbl", "Key": key}), &[("ConditionExpression", &src)])),
        ("Query", with(json!({"TableName": "Tbl"}), &[("KeyConditionExpression", &src)])),
        (
            "Query",
            with(json!({"TableName": "Tbl"}), &[("KeyConditionExpression", "pk = :k"), ("FilterExpression", &src)]),
        ),
        ("Scan", with(json!({"TableName": "Tbl"}), &[("FilterExpression", &src)])),
        ("Scan", with(json!({"TableName": "Tbl"}), &[("ProjectionExpression", &src)])),
        ("GetItem", with(json!({"TableName": "Tbl", "Key": key}), &[("ProjectionExpression", &src)])),
    ];
    for (action, req) in reqs {
        // Unused names/values are an error by design; retry without them too.
        call_checked(&mut e, action, &req);
        let mut bare = req.clone();
        if let Some(o) = bare.as_object_mut() {
            o.remove("ExpressionAttributeNames");
            o.remove("ExpressionAttributeValues");
        }
        call_checked(&mut e, action, &bare);
    }
    // Whatever happened, the stream still rebuilds the table.
    assert_images_rebuild(&e);
}

/// Replaying the NEW_AND_OLD_IMAGES records of every stream in order rebuilds each table
/// (when the table's stream was on from its creation and nothing was trimmed).
pub fn assert_images_rebuild(e: &Engine) {
    for t in e.tables() {
        let Some(si) = t.stream else { continue };
        let s = &e.streams()[si];
        // After 24 hours records (and whole closed shards) may have been trimmed away.
        let trimmed = e.now_ms() >= s.created_ms + streamlab::RETENTION_MS;
        if s.view_type != ViewType::NewAndOldImages
            || trimmed
            || e.streams().iter().filter(|x| x.table_name == t.name).count() > 1
        {
            continue;
        }
        let mut rebuilt: BTreeMap<String, Value> = BTreeMap::new();
        for r in s.records_in_order() {
            let k = item_to_json(&r.keys()).to_string();
            match &r.new_image() {
                Some(n) => {
                    rebuilt.insert(k, item_to_json(n));
                }
                None => {
                    rebuilt.remove(&k);
                }
            }
        }
        let actual: BTreeMap<String, Value> =
            t.items.iter().map(|(k, v)| (item_to_json(&t.key_item(k)).to_string(), item_to_json(v))).collect();
        assert_eq!(rebuilt, actual, "replaying the stream's images does not rebuild table {}", t.name);
    }
}

/// The rule language: parse, warn for every view type, run on sample records; then deploy it
/// behind a mapping and write a few items (effects go through the engine).
pub fn rules_source(data: &[u8]) {
    let src = text(data, 2000);
    let Ok(program) = rules::parse(&src) else { return };
    for v in ViewType::ALL {
        let _ = program.warnings(v);
    }
    let _ = program.aggregate_names();
    let item: Item = item_from_json(&sample_item()).expect("sample item");
    let keys: Item =
        item.iter().filter(|(k, _)| *k == "pk" || *k == "sk").map(|(k, v)| (k.clone(), v.clone())).collect();
    let mut aggs = Aggregates::default();
    for (event, new, old) in
        [("INSERT", Some(&item), None), ("MODIFY", Some(&item), Some(&item)), ("REMOVE", None, Some(&item))]
    {
        for ttl in [false, true] {
            let view = RecordView {
                event_name: event,
                ttl,
                keys: &keys,
                new_image: new,
                old_image: old,
                sequence_number: "100",
            };
            let _ = program.run(&view, &mut aggs);
        }
    }
    let _ = aggs.to_json();
    // Deployed: writes, polling and effects (which may write back to T, or to a missing table).
    let mut e = engine_with_item();
    if call_checked(&mut e, "CreateFunction", &json!({"FunctionName": "f", "Code": src})).is_none() {
        return;
    }
    call_checked(
        &mut e,
        "CreateEventSourceMapping",
        &json!({"TableName": "Tbl", "FunctionName": "f", "StartingPosition": "TRIM_HORIZON", "MaximumRetryAttempts": 1}),
    );
    for i in 0..4 {
        let mut it = sample_item();
        it["sk"] = json!({"N": i.to_string()});
        call_checked(&mut e, "PutItem", &json!({"TableName": "Tbl", "Item": it}));
    }
    call_checked(&mut e, "DeleteItem", &json!({"TableName": "Tbl", "Key": {"pk": {"S": "k"}, "sk": {"N": "1"}}}));
    call_checked(&mut e, "AdvanceClock", &json!({"Seconds": 120}));
    let _ = e.aggregates_output();
    let _ = e.notifications_output();
}

/// Filter patterns: parse the text as a pattern; when accepted, its JSON form parses again to
/// a filter that decides every sample record the same way.
pub fn filter_pattern(data: &[u8]) {
    let src = text(data, 2000);
    let criteria = json!({"Filters": [{"Pattern": src}]});
    let Ok(f) = FilterCriteria::parse(&criteria) else { return };
    let again = FilterCriteria::parse(&f.to_json()).expect("a filter's own JSON form parses");
    let mut e = engine_with_item();
    e.call("UpdateItem", &json!({"TableName": "Tbl", "Key": {"pk": {"S": "k"}, "sk": {"N": "1"}}, "UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": {"N": "9"}}})).expect("update");
    e.call("DeleteItem", &json!({"TableName": "Tbl", "Key": {"pk": {"S": "k"}, "sk": {"N": "1"}}})).expect("delete");
    let arn = e.streams()[0].arn.clone();
    for r in e.streams()[0].records_in_order() {
        let rec = r.to_json("us-east-1", Some(&arn));
        assert_eq!(f.matches(&rec), again.matches(&rec), "filter and its JSON form disagree on {rec}");
    }
    // The same text as a mapping's filter: accepted or rejected without a change.
    let mut e = engine_with_item();
    call_checked(&mut e, "CreateFunction", &json!({"FunctionName": "f", "Code": "on INSERT\n  count n by pk"}));
    call_checked(
        &mut e,
        "CreateEventSourceMapping",
        &json!({"TableName": "Tbl", "FunctionName": "f", "StartingPosition": "TRIM_HORIZON", "FilterCriteria": criteria}),
    );
    call_checked(&mut e, "AdvanceClock", &json!({"Seconds": 5}));
}

/// Item decoding: arbitrary JSON as an item; accepted items round-trip exactly (through JSON and
/// through a stream image, whose walk also counts the item's size as `item_size` does), and a
/// PutItem of it either succeeds (and GetItem returns it) or changes nothing.
pub fn item_json(data: &[u8]) {
    let Ok(v) = serde_json::from_slice::<Value>(&data[..data.len().min(8000)]) else { return };
    let Ok(item) = item_from_json(&v) else {
        let _ = AttributeValue::from_json(&v);
        return;
    };
    let back = item_to_json(&item);
    assert_eq!(item_from_json(&back).ok().as_ref(), Some(&item), "item does not round-trip: {v}");
    // The size counted while writing the stream image (PutItem's size check) is DynamoDB's.
    let (image, size) = streamlab::internals::Image::encode_sized(&item);
    assert_eq!(size, streamlab::item_size(&item), "image walk size differs: {v}");
    assert_eq!(image.decode(), item, "image does not decode to the item: {v}");
    let mut e = engine_with_item();
    let mut it = back.clone();
    if let Some(o) = it.as_object_mut() {
        o.entry("pk").or_insert(json!({"S": "k2"}));
        o.entry("sk").or_insert(json!({"N": "2"}));
    }
    if call_checked(&mut e, "PutItem", &json!({"TableName": "Tbl", "Item": it})).is_some() {
        let key = json!({"pk": it["pk"], "sk": it["sk"]});
        let got = e.call("GetItem", &json!({"TableName": "Tbl", "Key": key})).expect("get after put");
        assert_eq!(
            item_from_json(&got["Item"]).ok(),
            item_from_json(&it).ok(),
            "GetItem does not return what PutItem stored"
        );
    }
    assert_images_rebuild(&e);
}

/// Scenario text: parse; when valid (and small), replay it: the output must be JSON, and
/// replaying twice gives the same output (determinism).
pub fn scenario_text(data: &[u8]) {
    let src = text(data, 20_000);
    let parsed = streamlab::scenario::parse(&src);
    if parsed.as_ref().is_ok_and(|s| s.steps.len() > 200) {
        return;
    }
    let streamed = streaming_matches_parse_and_run(&src);
    let Ok(s) = parsed else { return };
    let mut a = Vec::new();
    streamlab::scenario::run(&s, &mut a).expect("write to memory");
    let out: Value = serde_json::from_slice(&a).expect("replay output is JSON");
    assert!(out["results"].as_array().is_some_and(|r| r.len() == s.steps.len()));
    let mut b = Vec::new();
    streamlab::scenario::run(&s, &mut b).expect("write to memory");
    assert!(a == b, "replay is not deterministic");
    assert!(a == streamed, "streaming replay output differs from parse + run");
}

/// The streaming replay (`streamlab replay FILE`) says and writes exactly what parse + run do,
/// and writes nothing for a file it refuses. Returns what it wrote.
pub fn streaming_matches_parse_and_run(src: &str) -> Vec<u8> {
    let parsed = streamlab::scenario::parse(src);
    let mut streamed = Vec::new();
    let open = || Ok::<_, std::io::Error>(src.as_bytes());
    match streamlab::scenario::replay_streaming(&open, &mut streamed) {
        Err(streamlab::scenario::ReplayError::Invalid(msg)) => {
            assert_eq!(parsed.as_ref().err(), Some(&msg), "streaming replay rejects a valid scenario");
            assert!(streamed.is_empty(), "streaming replay wrote output for an invalid scenario");
        }
        Err(e) => panic!("streaming replay failed on memory I/O: {e:?}"),
        Ok(_) => {
            let s = parsed.expect("streaming replay accepts an invalid scenario");
            let mut a = Vec::new();
            streamlab::scenario::run(&s, &mut a).expect("write to memory");
            assert!(a == streamed, "streaming replay output differs from parse + run");
        }
    }
    streamed
}

/// A byte-coded operation sequence against one engine with a stream and a mapping: every
/// request that fails changes nothing, no call panics, and the images rebuild the table.
pub fn engine_ops(data: &[u8]) {
    let mut e = engine_with_item();
    e.call("CreateFunction", &json!({"FunctionName": "f", "Code": "on INSERT, MODIFY, REMOVE\n  count n by pk\non REMOVE\n  notify \"#c\" \"gone {keys.pk}\""})).expect("function");
    let mut bytes = data.iter().copied().take(400);
    let mut next = || bytes.next();
    while let Some(op) = next() {
        let a = next().unwrap_or(0);
        let b = next().unwrap_or(0);
        let key = json!({"pk": {"S": format!("k{}", a % 4)}, "sk": {"N": (b % 3).to_string()}});
        let (action, req) = match op % 14 {
            0 | 1 => {
                let mut it = key.clone();
                it["a"] = json!({"N": (b as i8).to_string()});
                if a & 0x80 != 0 {
                    it["exp"] = json!({"N": (e.now_ms() / 1000 + u64::from(b)).to_string()});
                }
                let mut r = json!({"TableName": "Tbl", "Item": it});
                if a & 0x40 != 0 {
                    r["ConditionExpression"] = json!("attribute_not_exists(pk)");
                }
                ("PutItem", r)
            }
            2 | 3 => {
                let exprs = [
                    "SET a = a + :v",
                    "ADD a :v",
                    "REMOVE a",
                    "SET a = if_not_exists(a, :v)",
                    "SET l = list_append(if_not_exists(l, :e), :l)",
                    "SET a = :s",
                ];
                let ex = exprs[usize::from(b) % exprs.len()];
                let mut vals = serde_json::Map::new();
                for (k, v) in [
                    (":v", json!({"N": "1"})),
                    (":e", json!({"L": []})),
                    (":l", json!({"L": [{"N": "1"}]})),
                    (":s", json!({"S": "s"})),
                ] {
                    if ex.contains(k) {
                        vals.insert(k.into(), v);
                    }
                }
                let mut r = json!({"TableName": "Tbl", "Key": key, "UpdateExpression": ex});
                if !vals.is_empty() {
                    r["ExpressionAttributeValues"] = Value::Object(vals);
                }
                ("UpdateItem", r)
            }
            4 => (
                "DeleteItem",
                json!({"TableName": "Tbl", "Key": key, "ReturnValues": if a & 1 == 0 { "ALL_OLD" } else { "NONE" }}),
            ),
            5 => {
                let n = usize::from(a % 4) + 1;
                let puts: Vec<Value> = (0..n).map(|i| json!({"PutRequest": {"Item": {"pk": {"S": format!("k{i}")}, "sk": {"N": (b % 3).to_string()}}}})).collect();
                ("BatchWriteItem", json!({"RequestItems": {"Tbl": puts}}))
            }
            6 => (
                "TransactWriteItems",
                json!({"TransactItems": [
                    {"Put": {"TableName": "Tbl", "Item": {"pk": {"S": format!("k{}", a % 4)}, "sk": {"N": "0"}, "t": {"N": b.to_string()}}}},
                    {"ConditionCheck": {"TableName": "Tbl", "Key": {"pk": {"S": "k"}, "sk": {"N": "1"}}, "ConditionExpression": if b & 1 == 0 { "attribute_exists(pk)" } else { "attribute_not_exists(pk)" }}}]}),
            ),
            7 => {
                ("AdvanceClock", json!({"Seconds": u64::from(a) * u64::from(b) * if op & 0x80 != 0 { 60 } else { 1 }}))
            }
            8 => (
                "UpdateTimeToLive",
                json!({"TableName": "Tbl", "TimeToLiveSpecification": {"Enabled": a & 1 == 0, "AttributeName": "exp"}}),
            ),
            9 => (
                "CreateEventSourceMapping",
                json!({"TableName": "Tbl", "FunctionName": "f", "StartingPosition": if a & 1 == 0 { "TRIM_HORIZON" } else { "LATEST" },
                    "BatchSize": u32::from(b % 10) + 1, "ParallelizationFactor": u32::from(a % 3) + 1, "MaximumBatchingWindowInSeconds": u32::from(b % 3)}),
            ),
            10 => (
                "UpdateFunctionCode",
                json!({"FunctionName": "f", "Code": if a & 1 == 0 { "on INSERT\n  fail \"no\"" } else { "on INSERT\n  count n by pk" }}),
            ),
            11 => (
                "Query",
                json!({"TableName": "Tbl", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": format!("k{}", a % 4)}}, "Limit": u32::from(b % 4)}),
            ),
            12 => ("Scan", json!({"TableName": "Tbl", "Limit": u32::from(b % 4) + 1})),
            _ => ("GetItem", json!({"TableName": "Tbl", "Key": key})),
        };
        call_checked(&mut e, action, &req);
    }
    call_checked(&mut e, "AdvanceClock", &json!({"Seconds": 600}));
    assert_images_rebuild(&e);
}
