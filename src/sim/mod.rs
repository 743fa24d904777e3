//! The simulator: the engine (one account and region on a simulated clock), its tables, streams
//! and Lambda event source mappings, and what a polling design would have cost. Depends on
//! `support`, `model` and `lang`.
mod costs;
mod engine;
mod stream;
mod table;

pub use costs::loop_prices;
pub use engine::api::Operation;
pub use engine::lambda::{
    Dropped, FailureRecord, Invocation, LogKind, MinuteMetrics, Outcome, Stage, NOTIFICATION_BYTES, NOTIFICATION_CHARS,
};
pub use engine::{Engine, EngineConfig, Work, HISTORY_LIMIT, MAX_ADVANCE_MS, RETENTION_MS};
pub use stream::{Record, RecordJson, StreamStatus};
