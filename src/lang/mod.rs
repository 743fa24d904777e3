//! The languages: DynamoDB expressions, the trigger rule language, Lambda event filter patterns.
pub mod expr;
pub mod filter;
pub mod rules;
