//! Scenario files (`../shared/spec/scenario-format.md`): parsing with precise errors, and a
//! deterministic replay that writes its JSON output as it goes.

mod format;
mod output;
mod reader;
mod replay;

pub use format::parse;
pub use output::step_result;
pub use replay::{replay, replay_streaming, run, ReplayError};

use crate::sim::{EngineConfig, Operation};
use serde_json::Value;

/// A parsed scenario, ready to replay.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub description: Option<String>,
    pub config: EngineConfig,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub action: Operation,
    pub body: Value,
}
