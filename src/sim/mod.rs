//! The simulator: the engine (one account and region on a simulated clock), its tables, streams
//! and Lambda event source mappings, and what a polling design would have cost. Depends on
//! `support`, `model` and `lang`.
mod costs;
mod engine;
mod stream;
mod table;

pub use engine::api::Operation;
pub use engine::lambda::{Dropped, Stage};
pub use engine::{Engine, EngineConfig, HISTORY_LIMIT, RETENTION_MS};
pub use stream::{Record, RecordJson, StreamStatus};
// Read by the page only.
#[cfg(target_arch = "wasm32")]
pub use {
    engine::lambda::{LogKind, Outcome},
    engine::MAX_ADVANCE_MS,
    stream::Stream,
};
