//! Scenario files (`../shared/spec/scenario-format.md`): parsing with precise errors, and a
//! deterministic replay that writes its JSON output as it goes.

mod format;
mod output;
mod reader;
mod replay;

pub use format::{parse, text_of, Position, Scenario, ScenarioError, Step};
pub use output::step_result;
pub use replay::{replay, replay_streaming, replay_within, run, ReplayError, Within};
