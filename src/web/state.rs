//! The app state behind `use_reducer`: the engine instance plus what the page shows.
//!
//! No simulation happens here. Every change goes through `Engine::call` with an AWS JSON
//! request, and the record list is read back from `Engine::streams_output`.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{json, Map, Value};
use yew::Reducible;

use crate::engine::{Engine, EngineConfig};

/// The table the first page works on.
pub const TABLE: &str = "Votes";
/// Its partition key (HASH, type S).
pub const KEY: &str = "voter";

/// The item the textarea starts with.
pub const EXAMPLE_ITEM: &str = r#"{
  "voter": {"S": "ana"},
  "choice": {"S": "streams"}
}"#;

/// What the user can do.
pub enum Action {
    /// PutItem with this text (DynamoDB JSON of the item).
    Put(String),
    /// DeleteItem of the item with the key attributes found in this text.
    Delete(String),
}

/// A failed request: the AWS error type and its message.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub kind: String,
    pub message: String,
}

/// One stream record as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordRow {
    pub event_name: String,
    pub keys: String,
    pub sequence_number: String,
}

/// A stream with its records, read from `Engine::streams_output`.
#[derive(Clone, Debug, PartialEq)]
pub struct StreamView {
    pub table_name: String,
    pub view_type: String,
    pub records: Vec<RecordRow>,
}

/// The root state. Cheap to clone: the engine is shared, the views are reference counted.
#[derive(Clone)]
pub struct Lab {
    pub engine: Rc<RefCell<Engine>>,
    pub streams: Rc<Vec<StreamView>>,
    pub error: Option<Failure>,
    /// What the last successful request did, in words.
    pub status: Option<String>,
}

impl Default for Lab {
    fn default() -> Self {
        Self::new()
    }
}

impl Lab {
    /// A fresh engine with the `Votes` table and its NEW_AND_OLD_IMAGES stream.
    pub fn new() -> Self {
        let mut engine = Engine::new(EngineConfig::default());
        let created = engine.call(
            "CreateTable",
            &json!({
                "TableName": TABLE,
                "AttributeDefinitions": [{"AttributeName": KEY, "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": KEY, "KeyType": "HASH"}],
                "BillingMode": "PAY_PER_REQUEST",
                "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}
            }),
        );
        let error = created.err().map(|e| Failure {
            kind: e.kind,
            message: e.message,
        });
        let streams = Rc::new(read_streams(&engine.streams_output()));
        Lab {
            engine: Rc::new(RefCell::new(engine)),
            streams,
            error,
            status: None,
        }
    }

    /// Number of records over all streams.
    pub fn record_count(&self) -> usize {
        count(&self.streams)
    }

    /// Send one request built from the textarea text. On failure only the error changes.
    fn request(&self, operation: &str, text: &str) -> Lab {
        let item: Value = match serde_json::from_str(text) {
            Ok(item) => item,
            Err(e) => {
                return self.failed(Failure {
                    kind: "Not valid JSON".into(),
                    message: format!("The item was not sent: {e}."),
                })
            }
        };
        let request = match operation {
            "PutItem" => json!({"TableName": TABLE, "Item": item}),
            _ => json!({"TableName": TABLE, "Key": key_of(item)}),
        };
        let result = self.engine.borrow_mut().call(operation, &request);
        match result {
            Ok(_) => {
                let streams = read_streams(&self.engine.borrow().streams_output());
                let written = count(&streams).saturating_sub(self.record_count());
                let status = match (operation, written) {
                    ("DeleteItem", 0) => {
                        "DeleteItem succeeded. No item had that key, so no stream record was written."
                            .to_string()
                    }
                    (_, 0) => format!("{operation} succeeded. No stream record was written."),
                    (_, 1) => format!("{operation} succeeded and wrote 1 stream record."),
                    (_, n) => format!("{operation} succeeded and wrote {n} stream records."),
                };
                Lab {
                    engine: Rc::clone(&self.engine),
                    streams: Rc::new(streams),
                    error: None,
                    status: Some(status),
                }
            }
            Err(e) => self.failed(Failure {
                kind: e.kind,
                message: e.message,
            }),
        }
    }

    fn failed(&self, failure: Failure) -> Lab {
        Lab {
            error: Some(failure),
            status: None,
            ..self.clone()
        }
    }
}

impl Reducible for Lab {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(match action {
            Action::Put(text) => self.request("PutItem", &text),
            Action::Delete(text) => self.request("DeleteItem", &text),
        })
    }
}

fn count(streams: &[StreamView]) -> usize {
    streams.iter().map(|s| s.records.len()).sum()
}

/// The key of an item: its key attribute when it has one, else the value unchanged (so the
/// engine reports what is wrong with it).
fn key_of(item: Value) -> Value {
    match item {
        Value::Object(mut fields) => match fields.remove(KEY) {
            Some(key) => {
                let mut m = Map::new();
                m.insert(KEY.to_string(), key);
                Value::Object(m)
            }
            None => Value::Object(fields),
        },
        other => other,
    }
}

/// The streams and records of `Engine::streams_output`, as text for display.
pub fn read_streams(output: &Value) -> Vec<StreamView> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    output
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|stream| StreamView {
            table_name: text(&stream["TableName"]),
            view_type: text(&stream["StreamViewType"]),
            records: stream["Records"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .map(|record| RecordRow {
                    event_name: text(&record["eventName"]),
                    keys: serde_json::to_string(&record["dynamodb"]["Keys"]).unwrap_or_default(),
                    sequence_number: text(&record["dynamodb"]["SequenceNumber"]),
                })
                .collect(),
        })
        .collect()
}
