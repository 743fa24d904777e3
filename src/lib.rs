//! StreamLab: a deterministic simulator of DynamoDB tables, DynamoDB Streams and Lambda event
//! source mappings. Everything here but `web` is plain Rust with no web dependency.

pub mod error;
pub mod platform;
pub mod time;
pub mod sort;
pub mod named;
pub mod float;
pub mod number;
pub mod value;
pub mod image;
pub mod expr;
pub mod table;
pub mod stream;
pub mod engine;
pub mod lambda;
pub mod costs;
pub mod scenario;
pub mod session;
pub mod lab;
pub mod filter;
pub mod rules;
pub mod lesson;
pub mod quiz;
pub mod share;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;

#[cfg(target_arch = "wasm32")]
pub mod web;
mod api_tables;
mod api_streams;
mod api_items;

/// In the browser (the page and the wasm tests) the library allocates with talc instead of
/// Rust's default dlmalloc: 2.7 KB smaller after gzip, and as fast or faster on the engine
/// workloads (docs/benchmarks.md). Natively the library leaves the allocator to its users.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
