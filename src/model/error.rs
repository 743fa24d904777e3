//! AWS-style errors. Every public engine entry returns `Result<_, AwsError>`; nothing panics.

use serde_json::{Map, Value};
use std::fmt;

/// An error as AWS reports it: the error type (`ValidationException`, ...), its message, and
/// any extra members the real error carries (`Item` on a failed condition with
/// `ReturnValuesOnConditionCheckFailure`, `CancellationReasons` on a cancelled transaction).
#[derive(Debug, Clone, PartialEq)]
pub struct AwsError {
    pub kind: String,
    pub message: String,
    pub extra: Map<String, Value>,
}

pub type Result<T> = std::result::Result<T, AwsError>;

impl AwsError {
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        AwsError { kind: kind.to_string(), message: message.into(), extra: Map::new() }
    }
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new("ValidationException", message)
    }
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::new("SerializationException", message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new("ResourceNotFoundException", message)
    }
    pub fn in_use(message: impl Into<String>) -> Self {
        Self::new("ResourceInUseException", message)
    }
    pub fn condition_failed() -> Self {
        Self::new("ConditionalCheckFailedException", "The conditional request failed")
    }
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterValueException", message)
    }
    /// `One or more parameter values were invalid: <detail>`
    pub fn invalid_values(detail: impl fmt::Display) -> Self {
        Self::validation(format!("One or more parameter values were invalid: {detail}"))
    }
    pub fn with(mut self, key: &str, value: Value) -> Self {
        self.extra.insert(key.to_string(), value);
        self
    }
    /// `{"type": ..., "message": ..., <extra members>}` as `streamlab replay` prints it.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("type".into(), Value::String(self.kind.clone()));
        m.insert("message".into(), Value::String(self.message.clone()));
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.clone());
        }
        Value::Object(m)
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for AwsError {}
