//! Helpers shared by the integration tests: an engine, and calls that must succeed or fail.
#![allow(dead_code)]

use serde_json::{json, Value};
use streamlab::engine::{Engine, EngineConfig};
use streamlab::error::AwsError;

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
