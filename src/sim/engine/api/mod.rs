//! The API handlers: each `impl Engine` block answers one family of AWS actions.
mod items;
mod streams;
mod tables;
