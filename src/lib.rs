//! StreamLab: a deterministic simulator of DynamoDB tables, DynamoDB Streams and Lambda event
//! source mappings. Everything here but `web` is plain Rust with no web dependency.

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod costs;
pub mod engine;
pub mod error;
pub mod expr;
pub mod filter;
pub mod float;
pub mod image;
pub mod lab;
pub mod lambda;
pub mod lesson;
pub mod named;
pub mod number;
pub mod platform;
pub mod quiz;
pub mod rules;
pub mod scenario;
pub mod session;
pub mod share;
pub mod sort;
pub mod stream;
pub mod table;
pub mod time;
pub mod value;

mod api_items;
mod api_streams;
mod api_tables;
#[cfg(target_arch = "wasm32")]
pub mod web;

/// In the browser (the page and the wasm tests) the library allocates with talc instead of
/// Rust's default dlmalloc: 2.7 KB smaller after gzip, and as fast or faster on the engine
/// workloads (docs/benchmarks.md). Natively the library leaves the allocator to its users.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
