#![no_main]
//! cargo fuzz run teaching_texts: see docs/fuzzing.md. The checks live in fuzz/targets.rs, shared with
//! the bounded property tests of tests/suite/properties/fuzz.rs.

#[path = "../targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::teaching_texts(data));
