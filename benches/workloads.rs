//! Engine workloads shared by the native benchmark (`benches/engine.rs`) and the wasm one
//! (`tests/wasm_bench.rs`, run in headless Chromium). Each workload takes a clock in
//! milliseconds (`Instant` natively, `performance.now()` in the browser) and returns figures;
//! nothing here asserts on time.

use serde_json::{json, Value};
use streamlab::{Engine, EngineConfig};

/// One measured figure.
pub struct Figure {
    pub name: &'static str,
    pub ops: u64,
    pub ms: f64,
    pub unit: &'static str,
}

impl Figure {
    pub fn per_sec(&self) -> f64 {
        self.ops as f64 / (self.ms / 1000.0).max(1e-9)
    }
    pub fn line(&self) -> String {
        format!(
            "{:<34} {:>10} {:<8} in {:>9.1} ms = {:>10.0} {}/s",
            self.name,
            self.ops,
            self.unit,
            self.ms,
            self.per_sec(),
            self.unit
        )
    }
}

fn ok(e: &mut Engine, action: &str, req: &Value) -> Value {
    match e.call(action, req) {
        Ok(v) => v,
        Err(err) => panic!("{action} failed: {err:?}"),
    }
}

/// A table `Bench` keyed by `pk` (S) with a NEW_AND_OLD_IMAGES stream.
pub fn bench_engine() -> Engine {
    let mut e = Engine::new(EngineConfig::default());
    ok(
        &mut e,
        "CreateTable",
        &json!({"TableName": "Bench",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}}),
    );
    e
}

const CHOICES: [&str; 4] = ["tea", "coffee", "juice", "water"];

/// A 10-attribute item: the key and nine attributes of the usual types.
pub fn item10(i: u64, version: u64) -> Value {
    json!({
        "pk": {"S": format!("user#{i:08}")},
        "choice": {"S": CHOICES[(i % 4) as usize]},
        "qty": {"N": (i % 100).to_string()},
        "price": {"N": format!("{}.{:02}", i % 1000, i % 100)},
        "version": {"N": version.to_string()},
        "active": {"BOOL": i.is_multiple_of(2)},
        "email": {"S": format!("user{i}@example.com")},
        "tags": {"SS": ["a", "b"]},
        "address": {"M": {"city": {"S": "Lyon"}, "zip": {"S": "69001"}}},
        "history": {"L": [{"N": "1"}, {"N": "2"}]}
    })
}

/// `{"TableName": "Bench", "Item": item}`, moving the item in (`json!` would deep-copy a
/// `Value` through the serializer, and the benchmark would mostly measure that).
fn with_table(member: &str, v: Value) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("TableName".into(), Value::String("Bench".into()));
    m.insert(member.into(), v);
    Value::Object(m)
}

pub fn put_request(i: u64, version: u64) -> Value {
    with_table("Item", item10(i, version))
}

pub fn update_request(i: u64, n: u64) -> Value {
    json!({"TableName": "Bench",
        "Key": {"pk": {"S": format!("user#{i:08}")}},
        "UpdateExpression": "SET qty = qty + :d, #s = :s, version = :v ADD tags :t",
        "ConditionExpression": "attribute_exists(pk)",
        "ExpressionAttributeNames": {"#s": "status"},
        "ExpressionAttributeValues": {":d": {"N": "1"}, ":s": {"S": "updated"}, ":v": {"N": n.to_string()}, ":t": {"SS": [format!("t{}", n % 8)]}}})
}

pub fn delete_request(i: u64) -> Value {
    with_table("Key", json!({"pk": {"S": format!("user#{i:08}")}}))
}

/// Stream records retained by the engine (to check every write produced one).
pub fn records(e: &Engine) -> usize {
    e.streams().iter().flat_map(|s| s.shards.iter()).map(|sh| sh.records.len()).sum()
}

/// Requests are built in chunks of this many, outside the timed region: the figures are the
/// engine's own (building the JSON request is measured apart, as "build put requests only").
const CHUNK: u64 = 5_000;

/// Runs `action` on the requests `make(i)` for `i` in `0..n`, timing only the engine calls.
#[inline(never)] // one symbol per workload in profiles (callgrind, perf)
fn timed(e: &mut Engine, n: u64, now: &dyn Fn() -> f64, mut make: impl FnMut(u64) -> (&'static str, Value)) -> f64 {
    let mut ms = 0.0;
    let mut i = 0;
    while i < n {
        let end = (i + CHUNK).min(n);
        let reqs: Vec<(&str, Value)> = (i..end).map(&mut make).collect();
        let t = now();
        for (action, r) in &reqs {
            ok(e, action, r);
        }
        ms += now() - t;
        i = end;
    }
    ms
}

/// Puts, then updates, then deletes `n` distinct items: every write makes a stream record.
/// Also measures building the requests alone, so the engine's own share can be told apart.
pub fn writes(n: u64, now: &dyn Fn() -> f64) -> Vec<Figure> {
    let mut out = Vec::new();
    let t = now();
    let mut sink = 0usize;
    for i in 0..n {
        sink += put_request(i, 0).as_object().map_or(0, |o| o.len());
    }
    out.push(Figure { name: "build put requests only", ops: n, ms: now() - t, unit: "req" });
    assert!(sink > 0);

    let mut e = bench_engine();
    let ms = timed(&mut e, n, now, |i| ("PutItem", put_request(i, 0)));
    out.push(Figure { name: "PutItem (new items)", ops: n, ms, unit: "writes" });
    let ms = timed(&mut e, n, now, |i| ("PutItem", put_request(i, 1)));
    out.push(Figure { name: "PutItem (replace)", ops: n, ms, unit: "writes" });
    let ms = timed(&mut e, n, now, |i| ("UpdateItem", update_request(i, i)));
    out.push(Figure { name: "UpdateItem (SET/ADD + condition)", ops: n, ms, unit: "writes" });
    let ms = timed(&mut e, n, now, |i| ("DeleteItem", delete_request(i)));
    out.push(Figure { name: "DeleteItem", ops: n, ms, unit: "writes" });
    assert_eq!(records(&e), 4 * n as usize, "every write makes one stream record");
    out
}

/// One workload of [`writes`] alone, after an untimed setup: `put-new`, `put-replace`,
/// `update` or `delete` (for profiling one kind of write: only `timed` runs the workload).
#[allow(dead_code)] // benches/engine.rs only, not tests/wasm_bench.rs
pub fn single(n: u64, now: &dyn Fn() -> f64, which: &str) -> Option<Figure> {
    if !matches!(which, "put-new" | "put-replace" | "update" | "delete") {
        return None; // `writes`, `mixed`, `mapping`: not a single kind (and no setup to run)
    }
    let mut e = bench_engine();
    if which != "put-new" {
        for i in 0..n {
            ok(&mut e, "PutItem", &put_request(i, 0));
        }
    }
    let (name, ms) = match which {
        "put-new" | "put-replace" => {
            let version = u64::from(which == "put-replace");
            ("PutItem", timed(&mut e, n, now, |i| ("PutItem", put_request(i, version))))
        }
        "update" => ("UpdateItem", timed(&mut e, n, now, |i| ("UpdateItem", update_request(i, i)))),
        _ => ("DeleteItem", timed(&mut e, n, now, |i| ("DeleteItem", delete_request(i)))),
    };
    let expected = if which == "put-new" { n } else { 2 * n };
    assert_eq!(records(&e), expected as usize, "every write makes one stream record");
    Some(Figure { name, ops: n, ms, unit: "writes" })
}

/// Put, update and delete of each of `n` items in turn, on one engine: the mix quoted as
/// "stream-producing writes per second".
pub fn mixed(n: u64, now: &dyn Fn() -> f64) -> Figure {
    let mut e = bench_engine();
    let ms = timed(&mut e, 3 * n, now, |j| match j % 3 {
        0 => ("PutItem", put_request(j / 3, 0)),
        1 => ("UpdateItem", update_request(j / 3, j / 3)),
        _ => ("DeleteItem", delete_request(j / 3)),
    });
    let f = Figure { name: "mixed put/update/delete", ops: 3 * n, ms, unit: "writes" };
    assert_eq!(records(&e), 3 * n as usize);
    f
}

pub const COUNT_RULE: &str = "on INSERT, MODIFY, REMOVE\n  count votes by choice\n";

/// Records through an event source mapping with a filter and a counting rule: `n` writes,
/// then the simulated clock is advanced until the mapping has read everything.
pub fn mapping(n: u64, now: &dyn Fn() -> f64) -> Vec<Figure> {
    let mut e = bench_engine();
    ok(&mut e, "CreateFunction", &json!({"FunctionName": "counter", "Code": COUNT_RULE}));
    ok(
        &mut e,
        "CreateEventSourceMapping",
        &json!({"TableName": "Bench", "FunctionName": "counter", "StartingPosition": "TRIM_HORIZON", "BatchSize": 100,
            "FilterCriteria": {"Filters": [{"Pattern": "{\"eventName\": [\"INSERT\", \"MODIFY\"], \"dynamodb\": {\"NewImage\": {\"active\": {\"BOOL\": [true]}}}}"}]}}),
    );
    let write_ms = timed(&mut e, n, now, |i| ("PutItem", put_request(i, 0)));
    let t = now();
    ok(&mut e, "AdvanceClock", &json!({"Seconds": 3600}));
    let poll_ms = now() - t;
    let agg = e.aggregates_output();
    let counted: u64 = agg["votes"].as_object().map_or(0, |m| m.values().filter_map(Value::as_u64).sum());
    assert_eq!(counted, n / 2 + n % 2, "half the items pass the filter (active = true): {agg}");
    vec![
        Figure { name: "writes under a mapping", ops: n, ms: write_ms, unit: "writes" },
        Figure { name: "mapping: filter + count rule", ops: n, ms: poll_ms, unit: "records" },
    ]
}
