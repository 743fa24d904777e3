//! Helpers shared by the integration tests: an engine, and calls that must succeed or fail.
#![allow(dead_code)]
pub mod lambda;

use serde_json::{json, Value};
use streamlab::AwsError;
use streamlab::{Engine, EngineConfig};

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
