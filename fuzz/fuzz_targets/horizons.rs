#![no_main]
//! cargo fuzz run horizons: see docs/fuzzing.md. The checks live in fuzz/targets.rs, shared with
//! the bounded property tests of tests/suite/properties/accounting.rs.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::horizons(data));
