//! Support: small, general tools with no knowledge of DynamoDB.
pub mod float;
pub mod hash;
pub mod named;
pub mod platform;
pub mod rng;
pub mod sort;
pub mod text;
pub mod time;
