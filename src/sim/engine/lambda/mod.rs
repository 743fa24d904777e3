//! Lambda functions and event source mappings on DynamoDB streams (spec §4 and §5).
//!
//! A mapping keeps, for every shard of its stream (and every virtual shard when
//! ParallelizationFactor > 1), a checkpoint and a queue of batches. Polls run on the simulated
//! clock, 4 per second, only while there is something to do: a new record wakes the pollers of
//! its stream. A batch is closed by BatchSize, the batching window or the 6 MB payload limit,
//! invoked synchronously, and the next batch of that (virtual) shard waits until it is done.
//! Errors are retried with backoff, optionally bisected, and finally discarded to the on-failure
//! destination; a failing batch blocks its shard meanwhile.

mod output;
mod poll;
mod state;

pub use state::*;
