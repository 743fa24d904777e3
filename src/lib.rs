//! StreamLab: a deterministic simulator of DynamoDB tables, DynamoDB Streams and Lambda event
//! source mappings, the teaching layer on top of it, and (on wasm32) the Yew app that shows it.
//!
//! Layers, from the bottom up; each imports only from the layers below it (README,
//! "Architecture"): `support` → `model` → `lang` → `sim` → `scenario` → `export` → `teach` → `web` /
//! `cli`.
//! Everything but `web` is plain Rust with no web dependency. The modules are private: what the
//! binary, the tests, the benchmarks and the fuzz targets use is re-exported here.

mod lang;
mod model;
mod sim;
mod support;
mod teach;

pub mod export;
pub mod scenario;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use lang::filter::FilterCriteria;
pub use lang::rules;
pub use model::{item_from_json, item_size, item_to_json, AttributeValue, AwsError, Item, Result, ViewType};
pub use sim::{
    Dropped, Engine, EngineConfig, Operation, Work, HISTORY_LIMIT, NOTIFICATION_BYTES, NOTIFICATION_CHARS, RETENTION_MS,
};
pub use support::platform;
pub use teach::{
    check, file, grade, lab, lesson, paper, quiz, scorm, share, view, LoadError, Session, LOAD_BYTES_BUDGET,
    LOAD_WORK_BUDGET, MAX_INPUT_BYTES,
};

/// Internals that the fuzz targets and property tests check against each other; not an API.
#[doc(hidden)]
pub mod internals {
    pub use crate::model::Image;
    pub use crate::support::hash::fnv1a;
}

/// In the browser (the page and the wasm tests) the library allocates with talc instead of
/// Rust's default dlmalloc: 2.7 KB smaller after gzip, and as fast or faster on the engine
/// workloads (docs/benchmarks.md). Natively the library leaves the allocator to its users.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
