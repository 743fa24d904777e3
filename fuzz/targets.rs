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

// ---- Long horizons: every record accounted for, through failing handlers and roll-overs ----

pub const MINUTE_MS: u64 = 60_000;
pub const HOUR_MS: u64 = 3_600_000;
pub const DAY_MS: u64 = 86_400_000;

/// A function that fails (throws) for every record whose new image has `bad = 1`, and for no
/// other record: whether a batch can succeed is decided by its records alone.
pub const POISON_CODE: &str = "on INSERT, MODIFY when new.bad = 1 fail \"poison\"";
/// The on-failure destination of the mappings below (§4.6).
pub const FAILURE_QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:horizon-failures";

/// A mapping's failure handling (§4.1 ranges): BatchSize, MaximumRetryAttempts (-1: forever),
/// BisectBatchOnFunctionError, MaximumRecordAgeInSeconds (-1: forever). Always TRIM_HORIZON,
/// ParallelizationFactor 1, no filter, and an on-failure destination.
#[derive(Clone, Copy, Debug)]
pub struct Handling {
    pub batch: u32,
    pub retries: i64,
    pub bisect: bool,
    pub max_age: i64,
}

/// One step of a long run.
#[derive(Clone, Copy, Debug)]
pub enum Step {
    /// PutItem {pk: k<key>, v: <step index>, bad: 1 if poison}: always a new record (v differs).
    Put { key: u8, poison: bool },
    /// DeleteItem k<key>: a REMOVE record when the item exists, none otherwise (§2.1).
    Delete { key: u8 },
    /// AdvanceClock by this many seconds (at most 366 days, the API's limit).
    Advance { secs: u64 },
    /// CreateEventSourceMapping (the first one only; later ones are no-ops here).
    Map,
}

/// A record as the test wrote it, known without asking the engine how it handled it.
#[derive(Clone, Debug)]
pub struct Written {
    /// The shard the stream put it in (the one thing read from the engine).
    pub shard: String,
    pub key: String,
    /// The simulated time of the write, epoch ms.
    pub at_ms: u64,
    pub poison: bool,
}

/// A finished long run: the engine, every record its stream ever held, and when the mapping was
/// created.
pub struct Run {
    pub e: Engine,
    pub handling: Handling,
    pub written: BTreeMap<u128, Written>,
    pub mapped_ms: u64,
    /// Write requests made (Puts and Deletes), for the work bound.
    pub writes: u64,
}

/// Table `Hzn` (pk S) with a NEW_AND_OLD_IMAGES stream and the poison function `f`.
fn horizon_engine(cfg: EngineConfig) -> Engine {
    let mut e = Engine::new(cfg);
    e.call(
        "CreateTable",
        &json!({"TableName": "Hzn",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}),
    )
    .expect("create table");
    e.call("CreateFunction", &json!({"FunctionName": "f", "Code": POISON_CODE})).expect("function");
    e
}

fn create_mapping(e: &mut Engine, h: Handling) {
    let req = json!({"TableName": "Hzn", "FunctionName": "f", "StartingPosition": "TRIM_HORIZON",
        "BatchSize": h.batch, "MaximumRetryAttempts": h.retries, "BisectBatchOnFunctionError": h.bisect,
        "MaximumRecordAgeInSeconds": h.max_age,
        "DestinationConfig": {"OnFailure": {"Destination": FAILURE_QUEUE}}});
    if let Err(err) = e.call("CreateEventSourceMapping", &req) {
        panic!("mapping {h:?} refused: {}", err.message);
    }
}

/// Runs `steps`, then lets everything settle: two more days, so that every record has either
/// been handled or reached the 24-hour retention (and been trimmed). Every write must succeed;
/// the records each one makes are noted as they appear (§2.1: a Put of a new value gives one
/// record; a Delete one exactly when the item exists).
pub fn run_horizon(cfg: EngineConfig, handling: Handling, steps: &[Step]) -> Run {
    let mut e = horizon_engine(cfg);
    let mut written: BTreeMap<u128, Written> = BTreeMap::new();
    let mut present = std::collections::BTreeSet::new();
    let mut mapped_ms = None;
    let mut writes = 0;
    for (i, step) in steps.iter().enumerate() {
        let (made, key, poison) = match *step {
            Step::Put { key, poison } => {
                let mut item = json!({"pk": {"S": format!("k{key}")}, "v": {"N": i.to_string()}});
                if poison {
                    item["bad"] = json!({"N": "1"});
                }
                e.call("PutItem", &json!({"TableName": "Hzn", "Item": item})).expect("put");
                present.insert(key);
                (true, key, poison)
            }
            Step::Delete { key } => {
                e.call("DeleteItem", &json!({"TableName": "Hzn", "Key": {"pk": {"S": format!("k{key}")}}}))
                    .expect("delete");
                (present.remove(&key), key, false)
            }
            Step::Advance { secs } => {
                e.call("AdvanceClock", &json!({"Seconds": secs.min(366 * 86_400)})).expect("advance");
                continue;
            }
            Step::Map => {
                if mapped_ms.is_none() {
                    create_mapping(&mut e, handling);
                    mapped_ms = Some(e.now_ms());
                }
                continue;
            }
        };
        writes += 1;
        // The write's record is the newest of its shard, numbered above every earlier one.
        let newest = written.keys().next_back().copied().unwrap_or(0);
        let new: Vec<(u128, String)> = e.streams()[0]
            .shards
            .iter()
            .filter_map(|sh| sh.records.back().filter(|r| r.seq > newest).map(|r| (r.seq, sh.id.clone())))
            .collect();
        assert_eq!(new.len(), usize::from(made), "step {i} {step:?}: records made {new:?}");
        for (seq, shard) in new {
            written.insert(seq, Written { shard, key: format!("k{key}"), at_ms: e.now_ms(), poison });
        }
    }
    if mapped_ms.is_none() {
        create_mapping(&mut e, handling);
        mapped_ms = Some(e.now_ms());
    }
    e.call("AdvanceClock", &json!({"Seconds": 2 * 86_400})).expect("settle");
    Run { e, handling, written, mapped_ms: mapped_ms.unwrap_or(0), writes }
}

/// Epoch milliseconds of an ISO-8601 UTC time like `2026-01-01T00:00:05.250Z` or
/// `2026-01-01T00:00:05Z`.
pub fn iso_to_ms(s: &str) -> Option<u64> {
    let s = s.strip_suffix('Z')?;
    let (date, time) = s.split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let (hms, ms) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.split(':').map(|p| p.parse::<u64>().ok());
    let (hh, mm, ss) = (t.next()??, t.next()??, t.next()??);
    // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = u64::try_from(era * 146_097 + doe - 719_468).ok()?;
    Some(((days * 24 + hh) * 60 + mm) * 60_000 + ss * 1000 + ms.parse::<u64>().ok()?)
}

/// How many times a batch can be split before it is one record: ceil(log2(BatchSize)).
fn split_depth(batch: u32) -> u64 {
    u64::from(32 - batch.max(1).saturating_sub(1).leading_zeros())
}

/// Whether record `w` may have reached the stream's 24-hour retention without being read
/// (§2.3, §4.4). Yes when it was (nearly) a day old when the mapping was created, or when the
/// mapping could have been blocked for about a day: retries without end and no record-age limit
/// under a day. Otherwise every batch ahead of it holds the shard for a bounded time: with a
/// record-age limit, until its oldest record passes the limit (then it is discarded, checked at
/// every attempt); with a retry limit, for its retries (backoff at most 60 s in the simulator's
/// documented model, taken as 120 s here) and its splits; and at most one batch per record
/// written is ahead of it.
fn may_expire_unread(run: &Run, w: &Written) -> bool {
    let h = run.handling;
    let slack = 10 * MINUTE_MS;
    let waited_for_mapping = run.mapped_ms.saturating_sub(w.at_ms);
    if waited_for_mapping + MINUTE_MS >= DAY_MS {
        return true;
    }
    if h.max_age >= 0 && (h.max_age as u64) * 1000 + slack < DAY_MS {
        return false;
    }
    if h.retries < 0 {
        return true;
    }
    let per_batch_ms = (h.retries as u64).saturating_mul(120_000) + (split_depth(h.batch) + 1) * 1000;
    let blocked = (run.written.len() as u64).saturating_mul(per_batch_ms);
    waited_for_mapping.saturating_add(blocked).saturating_add(slack) >= DAY_MS
}

/// The accounting invariant of a settled run, from the spec: every record the stream held is
/// accounted for exactly one way (§2.2 exactly once in the stream; §4.3 success; §4.4/§4.6
/// discard with an on-failure record; §2.3 trimmed after 24 h unread), never lost silently; and
/// what is processed is processed in per-key sequence order, in batches as configured.
pub fn assert_accounted(run: &Run) {
    let e = &run.e;
    let h = run.handling;
    let depth = split_depth(h.batch);
    // What the invocations did to each record: successes, and invocations of any outcome.
    let mut succeeded: BTreeMap<u128, u32> = BTreeMap::new();
    let mut invoked: BTreeMap<u128, u64> = BTreeMap::new();
    let mut errors: BTreeMap<u128, u64> = BTreeMap::new();
    let mut last_done: BTreeMap<&str, u128> = BTreeMap::new();
    for inv in e.invocations_output() {
        let outcome = inv["Outcome"].as_str().unwrap_or("");
        let shard = inv["ShardId"].as_str().unwrap_or("");
        let t_ms = (inv["Time"].as_f64().unwrap_or(0.0) * 1000.0).round() as u64;
        let recs = inv["Event"]["Records"].as_array().cloned().unwrap_or_default();
        assert!(
            !recs.is_empty() && recs.len() <= h.batch as usize,
            "§4.2 BatchSize {}: {} records",
            h.batch,
            recs.len()
        );
        let mut prev = 0u128;
        let mut poisoned = false;
        for r in &recs {
            let seq: u128 =
                r["dynamodb"]["SequenceNumber"].as_str().and_then(|s| s.parse().ok()).expect("sequence number");
            let w = run.written.get(&seq).unwrap_or_else(|| panic!("invoked with {seq}, which no write made"));
            assert!(seq > prev, "§2.2 records of a batch in sequence order: {seq} after {prev}");
            prev = seq;
            assert_eq!(w.shard, shard, "§1.2 all records of one invocation come from its shard");
            assert_eq!(
                r["dynamodb"]["ApproximateCreationDateTime"].as_f64(),
                Some((w.at_ms / 1000) as f64),
                "decisions: whole seconds of the write"
            );
            let age = t_ms.saturating_sub(w.at_ms);
            assert!(age < DAY_MS, "§4.4 invoked with record {seq} {age} ms old: past the 24 h retention");
            if h.max_age >= 0 {
                assert!(
                    age <= h.max_age as u64 * 1000,
                    "§4.4 invoked with record {seq} {age} ms old, MaximumRecordAgeInSeconds {}",
                    h.max_age
                );
            }
            poisoned |= w.poison;
            *invoked.entry(seq).or_default() += 1;
            match outcome {
                "Success" => {
                    *succeeded.entry(seq).or_default() += 1;
                    if let Some(before) = last_done.insert(w.key.as_str(), seq) {
                        assert!(before < seq, "§2.2/§4.8 key {} processed out of order: {seq} after {before}", w.key);
                    }
                }
                "Error" => *errors.entry(seq).or_default() += 1,
                other => panic!("unexpected outcome {other} (no partial batch responses here)"),
            }
        }
        // The function fails exactly for batches holding a poison record.
        assert_eq!(
            outcome == "Error",
            poisoned,
            "outcome {outcome} of a batch {} a poison record",
            if poisoned { "with" } else { "without" }
        );
    }
    // What the on-failure records describe, by shard and sequence range (§4.6).
    let mut reported: BTreeMap<u128, u32> = BTreeMap::new();
    for f in e.failures_output() {
        let info = &f["DDBStreamBatchInfo"];
        let shard = info["shardId"].as_str().unwrap_or("");
        let num = |k: &str| info[k].as_str().and_then(|s| s.parse::<u128>().ok()).expect(k);
        let (start, end) = (num("startSequenceNumber"), num("endSequenceNumber"));
        let covered: Vec<u128> =
            run.written.range(start..=end).filter(|(_, w)| w.shard == shard).map(|(s, _)| *s).collect();
        // No filter, one poller per shard: a batch is a run of consecutive records of its shard.
        assert_eq!(
            Some(covered.len() as u64),
            info["batchSize"].as_u64(),
            "§4.6 batchSize of {f}: the shard holds {covered:?} in the range"
        );
        assert_eq!(covered.first(), Some(&start), "{f}");
        assert_eq!(covered.last(), Some(&end), "{f}");
        let at = f["timestamp"].as_str().and_then(iso_to_ms).expect("timestamp");
        let condition = f["requestContext"]["condition"].as_str().unwrap_or("");
        match condition {
            "RetryAttemptsExhausted" => {
                assert!(h.retries >= 0, "§4.4 retries exhausted with MaximumRetryAttempts -1: {f}");
                // A batch only fails for its poison records, and each record of it was tried
                // 1 + MaximumRetryAttempts times at least.
                assert!(
                    covered.iter().any(|s| run.written[s].poison),
                    "§4.4 discarded for errors without a poison record: {f}"
                );
                for s in &covered {
                    let tried = errors.get(s).copied().unwrap_or(0);
                    assert!(
                        tried > h.retries as u64,
                        "§4.4 record {s} discarded after {tried} attempts, MaximumRetryAttempts {}",
                        h.retries
                    );
                }
                // With bisection the batch was split down to the poison record (§4.4).
                if h.bisect {
                    assert_eq!(covered.len(), 1, "§4.4 bisection leaves single records to discard: {f}");
                }
            }
            "RecordAgeExceeded" => {
                let age = at.saturating_sub(run.written[&start].at_ms);
                let too_old = (h.max_age >= 0 && age > h.max_age as u64 * 1000) || age >= DAY_MS;
                assert!(
                    too_old,
                    "§4.4 RecordAgeExceeded with its oldest record {age} ms old, MaximumRecordAgeInSeconds {}: {f}",
                    h.max_age
                );
            }
            other => panic!("§4.6 unknown condition {other}: {f}"),
        }
        for s in covered {
            *reported.entry(s).or_default() += 1;
        }
    }
    // Exactly one way each.
    let now = e.now_ms();
    for (seq, w) in &run.written {
        let ok = succeeded.get(seq).copied().unwrap_or(0);
        let failed = reported.get(seq).copied().unwrap_or(0);
        let tries = invoked.get(seq).copied().unwrap_or(0);
        let ways = format!("record {seq} {w:?}: {ok} successes, {failed} on-failure records, {tries} invocations");
        assert!(ok + failed <= 1, "§4.3/§4.6 accounted for more than once: {ways}");
        if h.retries >= 0 {
            assert!(
                tries <= (h.retries as u64 + 1) + depth,
                "§4.4 more attempts than retries and splits allow: {ways}"
            );
        }
        if ok + failed == 1 {
            if ok == 1 {
                assert!(!w.poison, "a poison record cannot succeed: {ways}");
            }
            continue;
        }
        // Neither processed nor reported: it must have expired unread (§2.3).
        assert_eq!(tries, 0, "§4.4/§4.6 lost silently after being invoked: {ways}");
        assert!(now >= w.at_ms + DAY_MS, "still unaccounted for before 24 h: {ways}");
        let still = e.streams().iter().flat_map(|s| s.records_in_order()).any(|r| r.seq == *seq);
        assert!(!still, "§2.3 still in the stream and never processed: {ways}");
        assert!(may_expire_unread(run, w), "§4.4 expired unread though the mapping could never be blocked for a day ({h:?}, mapping at +{} ms): {ways}", run.mapped_ms.saturating_sub(e.cfg.start_ms));
    }
}

/// The most a horizons input writes, and the most simulated time it asks for.
pub const HORIZON_MAX_WRITES: u64 = 48;
pub const HORIZON_MAX_MS: u64 = 365 * DAY_MS;

/// Decodes bytes into a long run: byte 0 the stream (1–3 shards, roll-over every 1–8 h), bytes
/// 1–3 the mapping's handling, byte 4 when the mapping is created, then (op, arg) pairs: a Put
/// (poison or not), a Delete, or a clock advance from a minute to 90 days. At most
/// [`HORIZON_MAX_WRITES`] writes and [`HORIZON_MAX_MS`] of advances in all (sparse writes over up
/// to a year).
pub fn decode_horizon(data: &[u8]) -> (EngineConfig, Handling, Vec<Step>) {
    let at = |i: usize| data.get(i).copied().unwrap_or(0);
    let cfg = EngineConfig {
        shards_per_stream: 1 + usize::from(at(0) % 3),
        shard_rollover_ms: (1 + u64::from(at(0) / 3 % 8)) * HOUR_MS,
        history_limit: None,
        ..EngineConfig::default()
    };
    const BATCH: [u32; 8] = [1, 2, 3, 4, 5, 10, 100, 10_000];
    const RETRIES: [i64; 8] = [-1, 0, 1, 2, 3, 5, 100, 10_000];
    const AGE: [i64; 8] = [-1, 60, 300, 3600, 43_200, 86_000, 86_400, 604_800];
    let handling = Handling {
        batch: BATCH[usize::from(at(1) % 8)],
        retries: RETRIES[usize::from(at(2) % 8)],
        bisect: at(2) & 0x80 != 0,
        max_age: AGE[usize::from(at(3) % 8)],
    };
    const ADVANCE_S: [u64; 16] = [
        60,
        600,
        3600,
        4 * 3600,
        12 * 3600,
        23 * 3600,
        24 * 3600,
        25 * 3600,
        2 * 86_400,
        3 * 86_400,
        7 * 86_400,
        14 * 86_400,
        30 * 86_400,
        60 * 86_400,
        90 * 86_400,
        86_399,
    ];
    let map_at = usize::from(at(4) % 16);
    let mut steps = Vec::new();
    let (mut writes, mut ms) = (0u64, 0u64);
    for (i, pair) in data.get(5..).unwrap_or(&[]).chunks(2).take(256).enumerate() {
        if i == map_at {
            steps.push(Step::Map);
        }
        let (op, arg) = (pair[0], pair.get(1).copied().unwrap_or(0));
        let key = arg % 6;
        match op % 4 {
            0 | 1 if writes < HORIZON_MAX_WRITES => {
                writes += 1;
                steps.push(Step::Put { key, poison: op % 4 == 1 || arg & 0x80 != 0 });
            }
            2 if writes < HORIZON_MAX_WRITES => {
                writes += 1;
                steps.push(Step::Delete { key });
            }
            _ => {
                let secs = ADVANCE_S[usize::from(arg % 16)];
                let secs = secs.min((HORIZON_MAX_MS - ms) / 1000);
                if secs > 0 {
                    ms += secs * 1000;
                    steps.push(Step::Advance { secs });
                }
            }
        }
    }
    steps.push(Step::Map);
    (cfg, handling, steps)
}

/// Long horizons: sparse writes and large clock advances (up to a year) with a failing handler
/// and shard roll-over. No panic; every record accounted for ([`assert_accounted`]); and the
/// engine's work grows with the writes and roll-overs, not with the simulated time.
pub fn horizons(data: &[u8]) {
    let (cfg, handling, steps) = decode_horizon(data);
    let shards = cfg.shards_per_stream as u64;
    let rollover_ms = cfg.shard_rollover_ms;
    let run = run_horizon(cfg, handling, &steps);
    assert_accounted(&run);
    assert_work_bounded(&run, shards, rollover_ms, steps.len() as u64);
}

/// The engine's work (`Engine::work`, counted in events and in the shards and pollers each event
/// looks at, never timed) is bounded by what happened, not by how long it took:
///
/// - roll-overs: at most 8 events each (the roll-over, the trim of the closed shard a day later,
///   the polls that find its end; `properties::horizons` measures about 3);
/// - writes: at most 3,000 events each: a record can hold its shard for a day at most (the
///   retention), with retries at most a minute apart (1,440 a day) and at most one split per
///   attempt, plus its polls;
/// - each event looks at a day of shards and their pollers: about 24 h / roll-over period + 2
///   per open shard, each with a poller and a cursor, so 4 × that + 16 is generous.
pub fn assert_work_bounded(run: &Run, shards: u64, rollover_ms: u64, calls: u64) {
    let w = run.e.work();
    let span_ms = run.e.now_ms() - run.e.cfg.start_ms;
    let rollovers = shards * (span_ms / rollover_ms + 1);
    let events = 8 * rollovers + 3_000 * (run.writes + 1) + 4 * calls + 16;
    assert!(
        w.events <= events,
        "events {w:?} > {events}: {} writes, {rollovers} roll-overs, {} h simulated",
        run.writes,
        span_ms / HOUR_MS
    );
    let per_event = 4 * shards * (DAY_MS / rollover_ms + 3) + 16;
    assert!(w.scanned <= w.events * per_event, "scanned {w:?}: more than {per_event} shards and pollers per event");
}

/// A shipped bank with every question kind but the scenario ones (choice, multiple response,
/// ordering, matching): the quiz state the page keeps and sends out.
fn teaching_bank() -> (streamlab::quiz::Bank, String) {
    static BANK: std::sync::OnceLock<(streamlab::quiz::Bank, String)> = std::sync::OnceLock::new();
    BANK.get_or_init(|| {
        let text = include_str!("../www/quizzes/batching.json");
        (streamlab::quiz::parse(text).expect("the shipped bank parses"), streamlab::grade::bank_version(text))
    })
    .clone()
}

/// The quiz state a learner's answers make, carried the three ways it leaves the page: the
/// progress kept in the browser, the SCORM suspend data kept by an LMS, and an exam's result
/// code. Each reads back to the same answers (and the code grades to the same score); a SCORM
/// session reports each answer once. The bytes choose the mode, seed and answers (refused
/// answers are allowed: they must change nothing).
pub fn quiz_state_round_trips(data: &[u8]) {
    use streamlab::quiz::{Mode, Quiz};
    use streamlab::{grade, scorm};
    let (bank, version) = teaching_bank();
    let mut bytes = data.iter().copied();
    let mut next = || bytes.next();
    let mode = if next().unwrap_or(0) & 1 == 0 { Mode::Practice } else { Mode::Exam };
    let seed = (0..4).fold(0u64, |s, _| s << 8 | u64::from(next().unwrap_or(0)));
    let mut q = Quiz::start(&bank, mode, seed);
    let n = q.questions().len();
    let mut lms = scorm::Reporter::new(scorm::Sco::Quiz(bank.id.clone()), "ab-initio", "", "", "", "0");
    let _ = lms.opening();
    while let (Some(i), Some(k)) = (next(), next()) {
        if i == 0xff {
            q.finish();
            break;
        }
        let choice: Vec<usize> = (0..k % 5).filter_map(|_| next().map(|b| usize::from(b % 9))).collect();
        let before = q.progress_text(0);
        if q.answer(usize::from(i) % (n + 1), &choice).is_err() {
            assert_eq!(q.progress_text(0), before, "a refused answer changes nothing");
        }
        let _ = lms.quiz_changed(&bank, Some(&q), 0);
        assert!(lms.quiz_changed(&bank, Some(&q), 0).is_empty(), "nothing new, nothing set");
    }
    let same = |r: &Quiz| {
        assert_eq!((r.mode, r.seed, r.is_finished()), (q.mode, q.seed, q.is_finished()));
        for i in 0..n {
            assert_eq!(r.answer_of(i), q.answer_of(i), "question {i}");
        }
    };
    let at = usize::from(data.first().copied().unwrap_or(0)) % n;
    let (r, shown) = Quiz::resume(&bank, &q.progress_text(at), Some(seed)).expect("progress resumes");
    assert_eq!(shown, at);
    same(&r);
    if let Some(kept) = scorm::quiz_suspend_data(&q, at) {
        assert!(kept.chars().count() <= scorm::MAX_SUSPEND);
        let (r, shown) = scorm::quiz_resume(&bank, &kept).expect("suspend data resumes");
        assert_eq!(shown, at);
        same(&r);
    }
    if mode == Mode::Exam {
        let code = grade::result_code(&q, &version, "Ana");
        let read = grade::read_code(&code).expect("a code reads back");
        let graded = grade::grade(&read, &bank, &version).expect("a code grades");
        assert_eq!((graded.correct, graded.total), (q.summary().correct, n));
    }
    let _ = lms.closing(1000.0);
}

/// What reaches the teaching code from outside the page's own state, as text: a result code
/// (`streamlab grade`), SCORM values an LMS gives (suspend data, entry, mastery, status,
/// interaction count) and a launch query, quiz progress from storage, and an author's file
/// (the Author view and `streamlab check`, which run its answers through the engine). None may
/// panic; what they accept must be usable.
pub fn teaching_texts(data: &[u8]) {
    use streamlab::{check, grade, quiz, scorm};
    let Some((&kind, rest)) = data.split_first() else { return };
    // A lesson or bank file of the size authors write (the shipped ones are 4 to 30 KB).
    let t = text(rest, 16 * 1024);
    let (bank, version) = teaching_bank();
    match kind % 5 {
        0 => {
            if let Ok(code) = grade::read_code(&t) {
                let _ = grade::grade(&code, &bank, &version);
            }
            let _ = grade::grade_all(&t, &|id| (id == bank.id).then(|| (bank.clone(), version.clone())));
        }
        1 => {
            let f: Vec<&str> = t.splitn(6, '\n').collect();
            let get = |i: usize| f.get(i).copied().unwrap_or("");
            let sco = scorm::launch_of(get(0)).unwrap_or(scorm::Sco::Quiz(bank.id.clone()));
            let mut lms = scorm::Reporter::new(sco, get(1), get(2), get(3), get(4), get(5));
            let _ = lms.opening();
            let resumed = lms.quiz_resume(&bank);
            if let Some((q, at)) = &resumed {
                assert!(*at < q.questions().len().max(1));
                let _ = lms.quiz_changed(&bank, Some(q), *at);
            }
            let _ = lms.lesson_resume("triggers");
            let _ = lms.lesson_at("triggers", 2, 5);
            let _ = lms.closing(f64::from(kind) * 1e9);
        }
        2 => {
            if let Some((q, at)) = quiz::Quiz::resume(&bank, &t, None) {
                assert!(at < q.questions().len().max(1));
                let _ = q.summary_text();
            }
            if let Some((q, _)) = scorm::quiz_resume(&bank, &t) {
                let _ = q.summary();
            }
            let _ = scorm::lesson_resume("triggers", &t);
        }
        3 => {
            let _ = check::check_text("x", &t);
        }
        _ => {
            let _ =
                check::check_files(&[("index.json".into(), t.clone()), ("x.json".into(), t)], &check::Site::default());
        }
    }
}
