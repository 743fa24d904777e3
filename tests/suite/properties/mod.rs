//! Property tests (proptest, a fixed number of cases each: no time limits, no timing asserts) and
//! resource bounds. Long runs of the same checks: the cargo-fuzz targets (docs/fuzzing.md).

mod accounting;
mod bounds;
mod fuzz;
mod horizons;
mod streams;
