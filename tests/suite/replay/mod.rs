//! Scenario files and their replay (`scenario-format.md`): the shipped scenarios under
//! tests/scenarios with hand-written expectations, the `streamlab replay FILE` contract, and the
//! streaming replay against parse + run.

mod format;
mod scenarios;
mod streaming;
