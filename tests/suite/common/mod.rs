//! Helpers shared by the tests: an engine, calls that must succeed or fail, AttributeValue
//! shorthands, the simulated start time, and (in the submodules) the tables, streams, mappings
//! and command-line runs that several subjects use.

pub mod cli;
pub mod lambda;
pub mod orders;
pub mod streams;

/// The robustness targets of the cargo-fuzz targets, shared with the bounded property tests.
#[path = "../../../fuzz/targets.rs"]
pub mod targets;

use serde_json::{json, Value};
use streamlab::AwsError;
use streamlab::{Engine, EngineConfig};

/// 2026-01-01T00:00:00Z, the default simulated start (scenario-format.md "Input"), in ms.
pub const START_MS: u64 = 1_767_225_600_000;
/// The default simulated start in seconds.
pub const START_S: u64 = START_MS / 1000;
pub const MIN: u64 = 60_000;
pub const HOUR: u64 = 3_600_000;

pub fn engine() -> Engine {
    Engine::new(EngineConfig::default())
}

pub fn engine_with(f: impl FnOnce(&mut EngineConfig)) -> Engine {
    let mut c = EngineConfig::default();
    f(&mut c);
    Engine::new(c)
}

/// Runs an action that must succeed.
#[track_caller]
pub fn ok(e: &mut Engine, action: &str, req: Value) -> Value {
    match e.call(action, &req) {
        Ok(v) => v,
        Err(err) => panic!("{action} {req} failed: {} {}", err.kind, err.message),
    }
}

/// Runs an action that must fail, and returns its error.
#[track_caller]
pub fn err(e: &mut Engine, action: &str, req: Value) -> AwsError {
    match e.call(action, &req) {
        Ok(v) => panic!("{action} {req} unexpectedly succeeded: {v}"),
        Err(err) => err,
    }
}

pub fn s(v: &str) -> Value {
    json!({ "S": v })
}

pub fn n(v: &str) -> Value {
    json!({ "N": v })
}

/// Normalises AttributeValue JSON for comparison: attribute order is not significant (§1.5),
/// and neither is the order of set members (§6.1: "order not preserved").
pub fn norm(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = serde_json::Map::new();
            for (k, x) in m {
                match (k.as_str(), x.as_array()) {
                    ("SS" | "NS" | "BS", Some(members)) => {
                        let mut a: Vec<String> = members.iter().map(|e| e.to_string()).collect();
                        a.sort();
                        out.insert(k.clone(), json!(a));
                    }
                    _ => {
                        out.insert(k.clone(), norm(x));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(norm).collect()),
        other => other.clone(),
    }
}

/// Asserts two AttributeValue maps are equal up to attribute and set-member order.
#[track_caller]
pub fn assert_av_eq(actual: &Value, expected: &Value, what: &str) {
    assert_eq!(norm(actual), norm(expected), "{what}: actual {actual} expected {expected}");
}

/// The key of item `pk` in the tables keyed by pk (S) and sk (S) whose sort key is always "S".
pub fn key(pk: &str) -> Value {
    json!({"pk": s(pk), "sk": s("S")})
}

/// Runs an action that must fail with the error `kind`, and returns the error.
#[track_caller]
pub fn assert_err(e: &mut Engine, action: &str, req: Value, kind: &str) -> AwsError {
    let er = err(e, action, req.clone());
    assert_eq!(er.kind, kind, "{action} {req}: {}", er.message);
    er
}

/// Big-integer comparison of two decimal strings (§1.3: "compare as arbitrary-precision integers").
pub fn seq_lt(a: &str, b: &str) -> bool {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    (a.len(), a) < (b.len(), b)
}

/// UpdateTimeToLive: enables TTL on `table` with the attribute `attr`.
pub fn enable_ttl(e: &mut Engine, table: &str, attr: &str) {
    ok(
        e,
        "UpdateTimeToLive",
        json!({"TableName": table, "TimeToLiveSpecification": {"Enabled": true, "AttributeName": attr}}),
    );
}

/// A scenario of 64 shards rolling over hourly behind a mapping, the clock advanced `seconds`
/// between two puts (voters `a` and `b`): a few hundred bytes that cost about 2.7 units of work
/// per simulated second to replay (a day about 230,000). The tests of the simulator's work
/// budgets (links, files, teaching files) use it.
pub fn shard_heavy_scenario(seconds: u64) -> Value {
    json!({"simulator": {"shardsPerStream": 64, "shardRolloverSeconds": 3600}, "steps": [
        {"CreateTable": {"TableName": "Votes", "KeySchema": [{"AttributeName": "voter", "KeyType": "HASH"}],
          "AttributeDefinitions": [{"AttributeName": "voter", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
          "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}}},
        {"CreateFunction": {"FunctionName": "f", "Code": "on INSERT\n  count votes"}},
        {"CreateEventSourceMapping": {"FunctionName": "f", "TableName": "Votes", "StartingPosition": "TRIM_HORIZON"}},
        {"PutItem": {"TableName": "Votes", "Item": {"voter": {"S": "a"}}}},
        {"AdvanceClock": {"Seconds": seconds}},
        {"PutItem": {"TableName": "Votes", "Item": {"voter": {"S": "b"}}}}
    ]})
}
