//! Lambda event source mappings on DynamoDB streams (`docs/aws-behaviour.md` §4): their parameters and
//! lifecycle (§4.1), polling and batching (§4.2, §4.7), retries, bisect and partial batch
//! responses (§4.3–§4.5), on-failure destinations (§4.6), tumbling windows (§4.9); the Lambda
//! event (§1.2), and triggers that write to tables. Filters are in `filters`, the rule language
//! in `rules`.
//!
//! Expected values come from the spec (section cited) or from documented real AWS behaviour
//! (marked). The simulator's documented modelling choices used below (not AWS facts): a shard
//! is polled every 250 ms of simulated time, starting at the next 250 ms slot after a write;
//! retry backoff is 1 s doubling, capped at 60 s; invocations take no simulated time; time only
//! moves in AdvanceClock.

mod batching;
mod chains;
mod destinations;
mod events;
mod functions;
mod mappings;
mod metrics;
mod responses;
mod retries;
mod windows;
