//! DynamoDB expressions: ConditionExpression, UpdateExpression, KeyConditionExpression,
//! FilterExpression and ProjectionExpression. One tokenizer and one recursive-descent parser
//! serve every kind; placeholders (`#name`, `:value`) are resolved while parsing, and every
//! error is a `ValidationException` worded as DynamoDB words it.

mod ast;
mod cache;
mod compile;
mod eval;
mod lexer;
mod parser;
mod reserved;
#[cfg(all(test, not(target_arch = "wasm32")))] // proptest and miniz_oxide are native-only
mod tests;

pub use ast::*;
pub use compile::{compile, MAX_ATTRIBUTE_NAME_BYTES};
pub use eval::project;
