//! StreamLab's native integration tests, by subject, in one test binary. `cargo test --test suite`
//! runs them all; `cargo test --test suite items::` (or `lambda::retries::`, ...) runs one subject.
//! Tests use only what `src/lib.rs` re-exports, or run the `streamlab` binary.
//!
//! Expected values come from `docs/aws-behaviour.md` (a bare "§4.6" anywhere in these tests is a
//! section of that document, which cites the AWS documentation page it rests on) and from the
//! scenario format (README.md, "Scenario files and `streamlab replay`"; the team's contract is
//! `scenario-format.md`), or from documented real AWS behaviour (marked "real AWS" or "AWS");
//! none was copied from the program's output. Where AWS leaves a choice to the simulator, the
//! test says which choice it relies on (docs/aws-behaviour.md §8 lists them).
//!
//! - `items`: items, keys, sizes, expressions, ReturnValues, reads, batches and transactions (§6)
//! - `records`: which writes make stream records (§2.1), and the records' shape, images and sizes (§1)
//! - `streams`: stream lifecycle, retention, shards and lineage (§2), the Streams API (§3)
//! - `tables`: CreateTable, UpdateTable, ListTables, UpdateTimeToLive: their errors (§2.4, §6.2, §7)
//! - `ttl`: TTL deletions and their records (§1.6, §7)
//! - `lambda`: event source mappings (§4), the Lambda event (§1.2), chained triggers
//! - `filters`: Lambda event filter patterns (§5)
//! - `rules`: the trigger rule language, run by the engine
//! - `replay`: scenario files and `streamlab replay` (scenario-format.md)
//! - `teaching`: the shipped lessons, quiz banks and share links
//! - `authoring`: an author's mistakes in bank and lesson files, named as `streamlab check` says them
//! - `check`: `streamlab check` and `streamlab grade` on files
//! - `export`: `streamlab export` (the SAM application's text; tests/export/verify.py runs it)
//! - `docs`: the examples of README.md and docs/teaching.md, checked against the program
//! - `properties`: property tests and resource bounds (the cargo-fuzz targets, bounded)
//! - `architecture`: the layout rules of README.md "Architecture", checked on `src/`
//!
//! Shared helpers are in `common`. The browser tests are not here: tests/web.rs and
//! tests/wasm_bench.rs build for wasm32 and run in Chromium.
#![cfg(not(target_arch = "wasm32"))] // native tests: `make test` runs tests/web.rs in the browser

mod common;

mod architecture;
mod authoring;
mod check;
mod docs;
mod export;
mod filters;
mod items;
mod lambda;
mod properties;
mod records;
mod replay;
mod rules;
mod streams;
mod tables;
mod teaching;
mod ttl;
