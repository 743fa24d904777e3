//! AWS-style errors. Every public engine entry returns `Result<_, AwsError>`; nothing panics.

use serde_json::{Map, Value};
use std::fmt;

/// The error types the simulated services answer with, as AWS names them (`__type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Validation,
    Serialization,
    ResourceNotFound,
    ResourceInUse,
    ConditionalCheckFailed,
    TransactionCanceled,
    TrimmedDataAccess,
    ExpiredIterator,
    InvalidParameterValue,
    ResourceConflict,
    UnknownOperation,
    InternalServerError,
}

impl ErrorKind {
    pub const ALL: [ErrorKind; 12] = [
        ErrorKind::Validation,
        ErrorKind::Serialization,
        ErrorKind::ResourceNotFound,
        ErrorKind::ResourceInUse,
        ErrorKind::ConditionalCheckFailed,
        ErrorKind::TransactionCanceled,
        ErrorKind::TrimmedDataAccess,
        ErrorKind::ExpiredIterator,
        ErrorKind::InvalidParameterValue,
        ErrorKind::ResourceConflict,
        ErrorKind::UnknownOperation,
        ErrorKind::InternalServerError,
    ];

    /// The name AWS gives the error type.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "ValidationException",
            ErrorKind::Serialization => "SerializationException",
            ErrorKind::ResourceNotFound => "ResourceNotFoundException",
            ErrorKind::ResourceInUse => "ResourceInUseException",
            ErrorKind::ConditionalCheckFailed => "ConditionalCheckFailedException",
            ErrorKind::TransactionCanceled => "TransactionCanceledException",
            ErrorKind::TrimmedDataAccess => "TrimmedDataAccessException",
            ErrorKind::ExpiredIterator => "ExpiredIteratorException",
            ErrorKind::InvalidParameterValue => "InvalidParameterValueException",
            ErrorKind::ResourceConflict => "ResourceConflictException",
            ErrorKind::UnknownOperation => "UnknownOperationException",
            ErrorKind::InternalServerError => "InternalServerError",
        }
    }

    pub fn parse(name: &str) -> Option<ErrorKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// So that `error.kind == "ValidationException"` reads as AWS's documentation does.
impl PartialEq<&str> for ErrorKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// An error as AWS reports it: the error type (`ValidationException`, ...), its message, and
/// any extra members the real error carries (`Item` on a failed condition with
/// `ReturnValuesOnConditionCheckFailure`, `CancellationReasons` on a cancelled transaction).
#[derive(Debug, Clone, PartialEq)]
pub struct AwsError {
    pub kind: ErrorKind,
    pub message: String,
    pub extra: Map<String, Value>,
}

pub type Result<T> = std::result::Result<T, AwsError>;

/// The longest error message kept whole, in bytes (the simulator's limit: no message repeats a
/// huge input whole; a longer one is cut to this many characters and says how long it was).
pub const MAX_MESSAGE_CHARS: usize = 16384;

impl AwsError {
    /// An error of `kind`. A message that would repeat some huge input is clipped (see
    /// [`MAX_MESSAGE_CHARS`]); the places that echo input clip it themselves first.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        let mut message = message.into();
        if message.len() > MAX_MESSAGE_CHARS {
            message = crate::support::text::clip(&message, MAX_MESSAGE_CHARS);
        }
        AwsError { kind, message, extra: Map::new() }
    }
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Validation, message)
    }
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Serialization, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::ResourceNotFound, message)
    }
    pub fn in_use(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::ResourceInUse, message)
    }
    pub fn condition_failed() -> Self {
        Self::new(ErrorKind::ConditionalCheckFailed, "The conditional request failed")
    }
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidParameterValue, message)
    }
    /// `One or more parameter values were invalid: <detail>`
    /// AWS's summary of the constraints a request breaks, each `Value '...' at '...' failed to
    /// satisfy constraint: ...`: "1 validation error detected: ..." or "2 validation errors
    /// detected: ...; ...".
    pub fn violations(list: &[String]) -> Self {
        let n = list.len();
        let plural = if n == 1 { "" } else { "s" };
        Self::validation(format!("{n} validation error{plural} detected: {}", list.join("; ")))
    }
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
        m.insert("type".into(), Value::String(self.kind.as_str().into()));
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
