//! The API: the one way into the engine. [`Engine::call`] takes an AWS action's name and its
//! JSON request body, as the AWS API does, and answers with the response body or an AWS error;
//! each child module answers one family of actions in an `impl Engine` block.

mod functions;
mod items;
pub(super) mod req;
mod streams;
mod tables;

use super::{Engine, MAX_ADVANCE_MS};
use crate::model::{AwsError, ErrorKind, Item, Result};
use crate::support::time;
use serde_json::{json, Value};

/// Every action the engine answers: DynamoDB's, DynamoDB Streams', Lambda's, and the
/// simulator's own `AdvanceClock` and `SetLoopGuard`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    CreateTable,
    UpdateTable,
    DeleteTable,
    DescribeTable,
    ListTables,
    PutItem,
    UpdateItem,
    DeleteItem,
    GetItem,
    Query,
    Scan,
    BatchWriteItem,
    TransactWriteItems,
    UpdateTimeToLive,
    DescribeTimeToLive,
    ListStreams,
    DescribeStream,
    GetShardIterator,
    GetRecords,
    CreateFunction,
    UpdateFunctionCode,
    CreateEventSourceMapping,
    UpdateEventSourceMapping,
    DeleteEventSourceMapping,
    GetEventSourceMapping,
    AdvanceClock,
    SetLoopGuard,
}

/// The highest limit `SetLoopGuard` takes.
const MAX_LOOP_GUARD: i64 = 1_000_000_000;

impl Operation {
    pub const ALL: [Operation; 27] = [
        Operation::CreateTable,
        Operation::UpdateTable,
        Operation::DeleteTable,
        Operation::DescribeTable,
        Operation::ListTables,
        Operation::PutItem,
        Operation::UpdateItem,
        Operation::DeleteItem,
        Operation::GetItem,
        Operation::Query,
        Operation::Scan,
        Operation::BatchWriteItem,
        Operation::TransactWriteItems,
        Operation::UpdateTimeToLive,
        Operation::DescribeTimeToLive,
        Operation::ListStreams,
        Operation::DescribeStream,
        Operation::GetShardIterator,
        Operation::GetRecords,
        Operation::CreateFunction,
        Operation::UpdateFunctionCode,
        Operation::CreateEventSourceMapping,
        Operation::UpdateEventSourceMapping,
        Operation::DeleteEventSourceMapping,
        Operation::GetEventSourceMapping,
        Operation::AdvanceClock,
        Operation::SetLoopGuard,
    ];

    /// The action's name as the AWS API (and a scenario step) spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::CreateTable => "CreateTable",
            Operation::UpdateTable => "UpdateTable",
            Operation::DeleteTable => "DeleteTable",
            Operation::DescribeTable => "DescribeTable",
            Operation::ListTables => "ListTables",
            Operation::PutItem => "PutItem",
            Operation::UpdateItem => "UpdateItem",
            Operation::DeleteItem => "DeleteItem",
            Operation::GetItem => "GetItem",
            Operation::Query => "Query",
            Operation::Scan => "Scan",
            Operation::BatchWriteItem => "BatchWriteItem",
            Operation::TransactWriteItems => "TransactWriteItems",
            Operation::UpdateTimeToLive => "UpdateTimeToLive",
            Operation::DescribeTimeToLive => "DescribeTimeToLive",
            Operation::ListStreams => "ListStreams",
            Operation::DescribeStream => "DescribeStream",
            Operation::GetShardIterator => "GetShardIterator",
            Operation::GetRecords => "GetRecords",
            Operation::CreateFunction => "CreateFunction",
            Operation::UpdateFunctionCode => "UpdateFunctionCode",
            Operation::CreateEventSourceMapping => "CreateEventSourceMapping",
            Operation::UpdateEventSourceMapping => "UpdateEventSourceMapping",
            Operation::DeleteEventSourceMapping => "DeleteEventSourceMapping",
            Operation::GetEventSourceMapping => "GetEventSourceMapping",
            Operation::AdvanceClock => "AdvanceClock",
            Operation::SetLoopGuard => "SetLoopGuard",
        }
    }

    pub fn parse(name: &str) -> Option<Operation> {
        Self::ALL.into_iter().find(|o| o.as_str() == name)
    }

    /// May a scenario step name it (`scenario-format.md`)? All but GetEventSourceMapping.
    pub fn in_scenarios(self) -> bool {
        self != Operation::GetEventSourceMapping
    }
}

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request body must be a JSON object.
fn body(req: &Value) -> Result<()> {
    if req.is_object() {
        Ok(())
    } else {
        Err(AwsError::serialization("The request body must be a JSON object"))
    }
}

impl Engine {
    /// Runs one AWS action. The request is the JSON body the AWS API takes.
    pub fn call(&mut self, action: &str, req: &Value) -> Result<Value> {
        body(req)?;
        match Operation::parse(action) {
            Some(op) => self.call_op(op, req),
            None => Err(AwsError::new(ErrorKind::UnknownOperation, format!("Unknown action: {action}"))),
        }
    }

    /// [`Engine::call`] with the action already known.
    pub fn call_op(&mut self, op: Operation, req: &Value) -> Result<Value> {
        body(req)?;
        self.count_event();
        match op {
            Operation::CreateTable => self.create_table(req),
            Operation::DescribeTable => self.describe_table(req),
            Operation::UpdateTable => self.update_table(req),
            Operation::DeleteTable => self.delete_table(req),
            Operation::ListTables => self.list_tables(req),
            Operation::UpdateTimeToLive => self.update_time_to_live(req),
            Operation::DescribeTimeToLive => self.describe_time_to_live(req),
            Operation::PutItem => self.put_item(req, None),
            Operation::UpdateItem => self.update_item(req),
            Operation::DeleteItem => self.delete_item(req),
            Operation::GetItem => self.get_item(req),
            Operation::Query => self.query(req),
            Operation::Scan => self.scan(req),
            Operation::BatchWriteItem => self.batch_write_item(req),
            Operation::TransactWriteItems => self.transact_write_items(req),
            Operation::ListStreams => self.list_streams(req),
            Operation::DescribeStream => self.describe_stream(req),
            Operation::GetShardIterator => self.get_shard_iterator(req),
            Operation::GetRecords => self.get_records(req),
            Operation::CreateFunction => self.create_function(req),
            Operation::UpdateFunctionCode => self.update_function_code(req),
            Operation::CreateEventSourceMapping => self.create_event_source_mapping(req),
            Operation::UpdateEventSourceMapping => self.update_event_source_mapping(req),
            Operation::DeleteEventSourceMapping => self.delete_event_source_mapping(req),
            Operation::GetEventSourceMapping => self.get_event_source_mapping(req),
            Operation::SetLoopGuard => {
                // {"Invocations": N} pauses chains before invocation N + 1; {"Invocations": null} turns it off.
                let limit = match req.get("Invocations") {
                    None => return Err(req::missing("invocations")),
                    Some(Value::Null) => None,
                    Some(_) => match req::integer(req, "Invocations")? {
                        Some(n) if (1..=MAX_LOOP_GUARD).contains(&n) => Some(n as u32),
                        _ => {
                            return Err(AwsError::validation(format!(
                                "SetLoopGuard Invocations must be a whole number from 1 to {MAX_LOOP_GUARD}, or null to turn the simulator's loop guard off"
                            )))
                        }
                    },
                };
                self.set_loop_guard(limit);
                Ok(json!({"Invocations": limit}))
            }
            Operation::AdvanceClock => {
                let secs = req::number(req, "Seconds")?.ok_or_else(|| req::missing("seconds"))?;
                if !(0.0..=(MAX_ADVANCE_MS / 1000) as f64).contains(&secs) {
                    return Err(AwsError::validation(format!(
                        "AdvanceClock Seconds must be between 0 and {} (one year)",
                        MAX_ADVANCE_MS / 1000
                    )));
                }
                self.advance_clock_ms((secs * 1000.0).round() as u64);
                Ok(json!({"Time": time::iso_millis(self.now_ms)}))
            }
        }
    }

    /// `call("PutItem", req)` for a caller that has already decoded the request's `Item`, an
    /// object, as `value::item_from` decodes it (`streamlab replay` does it on its reader
    /// thread): the same response or error. `req`'s own `Item` is only checked to be an object.
    pub fn put_item_decoded(&mut self, req: &Value, item: Result<Item>) -> Result<Value> {
        body(req)?;
        self.put_item(req, Some(item))
    }
}
