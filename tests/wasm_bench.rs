//! The engine workloads of `benches/engine.rs`, compiled to wasm and run in headless Chromium,
//! for the wasm-to-native ratio. Prints figures, asserts no times. Not part of `make test`:
//!
//!   . scripts/env.sh && cargo test --release --target wasm32-unknown-unknown --test wasm_bench -- --nocapture
//!
//! (scripts/bench.sh runs it). The clock is `performance.now()`.
#![cfg(target_arch = "wasm32")]

#[path = "../benches/workloads.rs"]
mod workloads;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).expect("performance");
    let now = js_sys::Reflect::get(&perf, &"now".into()).expect("performance.now");
    now.unchecked_into::<js_sys::Function>().call0(&perf).expect("call").as_f64().unwrap_or(0.0)
}

#[wasm_bindgen_test]
fn engine_workloads_in_the_browser() {
    let n = 50_000;
    let now = now_ms;
    let mut figures = workloads::writes(n, &now);
    figures.push(workloads::mixed(n, &now));
    figures.extend(workloads::mapping(n, &now));
    console_log!("wasm engine benchmark, n = {n} (NEW_AND_OLD_IMAGES stream, 10-attribute items)");
    for f in &figures {
        console_log!("{}", f.line());
    }
}
