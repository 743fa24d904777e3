//! Lambda functions and event source mappings on DynamoDB streams (spec §4 and §5).
//!
//! A mapping keeps, for every shard of its stream (and every virtual shard when
//! ParallelizationFactor > 1), a checkpoint and a queue of batches. Polls run on the simulated
//! clock, 4 per second, only while there is something to do: a new record wakes the pollers of
//! its stream. A batch is closed by BatchSize, the batching window or the 6 MB payload limit,
//! invoked synchronously, and the next batch of that (virtual) shard waits until it is done.
//! Errors are retried with backoff, optionally bisected, and finally discarded to the on-failure
//! destination; a failing batch blocks its shard meanwhile.

use crate::lang::filter::FilterCriteria;
use crate::lang::rules::{self, Aggregates, Effect, Program, RecordView};
use crate::model::Number;
use crate::model::{item_to_json, AttributeValue};
use crate::model::{AwsError, Result};
use crate::sim::engine::{req, Engine, RETENTION_MS};
use crate::sim::stream::Record;
use crate::support::hash::fnv1a;
use crate::support::time;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

/// Base poll period of a shard: 4 polls per second.
pub const POLL_MS: u64 = 250;
/// Synchronous invocation payload limit.
pub const PAYLOAD_LIMIT: usize = 6 * 1024 * 1024;
/// Invocations in a chain of triggers before recursive loop detection stops it.
pub const MAX_CHAIN: u32 = 16;
/// Tumbling window state per shard (§4.9): beyond it the window ends early.
pub const WINDOW_STATE_LIMIT: usize = 1024 * 1024;
const BACKOFF_BASE_MS: u64 = 1000;
const BACKOFF_CAP_MS: u64 = 60_000;

/// The next poll slot strictly after `t`.
fn next_poll(t: u64) -> u64 {
    (t / POLL_MS + 1) * POLL_MS
}

pub struct Function {
    pub name: String,
    pub arn: String,
    pub code: String,
    pub program: Program,
    pub aggregates: Aggregates,
    pub last_modified_ms: u64,
}

impl crate::support::named::Named for Function {
    fn name(&self) -> &str {
        &self.name
    }
}

#[derive(Clone, Debug)]
pub struct MappingConfig {
    pub batch_size: u32,
    pub window_s: u32,
    pub parallelization: u32,
    pub max_retry: i64,
    pub max_age_s: i64,
    pub bisect: bool,
    pub report_failures: bool,
    pub tumbling_s: u32,
    pub filters: FilterCriteria,
    pub on_failure: Option<String>,
    pub enabled: bool,
}

/// A batch of records on its way through a function, with its retry history.
#[derive(Clone, Debug)]
pub struct Batch {
    pub records: Vec<Rc<Record>>,
    /// Invocations made with (a superset of) these records.
    pub attempts: u32,
    /// Retries used (bisection does not use any).
    pub retries: u32,
    pub retry_at: Option<u64>,
    pub last_error: Option<String>,
    /// The function threw (as opposed to reporting a partial batch failure).
    pub function_error: bool,
}

impl Batch {
    fn new() -> Batch {
        Batch { records: Vec::new(), attempts: 0, retries: 0, retry_at: None, last_error: None, function_error: false }
    }
}

/// A tumbling window's state on one (virtual) shard.
#[derive(Clone, Debug)]
pub struct Window {
    pub start_ms: u64,
    pub end_ms: u64,
    pub state: Aggregates,
}

/// The poller of one virtual shard.
#[derive(Clone, Debug)]
pub struct VShard {
    /// Checkpoint: every record before this sequence number is done with.
    pub position: u128,
    /// Every record before this has been examined (batched, filtered out, or not ours).
    pub scan_pos: u128,
    /// Batches gathered and not yet done, oldest first (more than one after a bisection).
    pub queue: VecDeque<Batch>,
    pub window_start: Option<u64>,
    pub next_wake: Option<u64>,
    pub finished: bool,
    pub window: Option<Window>,
}

#[derive(Clone, Debug)]
pub struct Cursor {
    pub shard_id: String,
    pub parent: Option<String>,
    pub vshards: Vec<VShard>,
}

pub struct Mapping {
    pub uuid: String,
    pub function: String,
    pub stream: usize,
    pub starting_position: String,
    pub cfg: MappingConfig,
    pub last_modified_ms: u64,
    pub last_result: String,
    pub cursors: Vec<Cursor>,
    /// Records that ended other than delivered (filtered, discarded, stopped), by sequence number
    /// (see [`outcome_key`]), as [`Stage::code`]. Keyed by `Number` with `i64` values, the
    /// B-tree type of the rules' min/max multiplicities, so the page's wasm holds one B-tree
    /// fewer.
    pub outcomes: BTreeMap<Number, i64>,
}

/// Where a record is on its way through a mapping, for the flow diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// In its shard, not read yet.
    InShard,
    /// Read, waiting for its batch to close (batching window).
    Waiting,
    /// In a batch that failed and waits for its retry (the shard is blocked meanwhile).
    Retrying { attempt: u32 },
    /// Waiting behind a failing batch of the same (virtual) shard.
    Blocked,
    /// Dropped by the mapping's filters, for good.
    Filtered,
    /// Its batch was discarded after retries or age; described to the on-failure destination.
    Discarded,
    /// Not delivered: recursive loop detection stopped the chain.
    LoopStopped,
    /// Delivered, and the function succeeded.
    Done,
}

/// A sequence number as a key of [`Mapping::outcomes`]: exact, and ordered as the number (a
/// sequence number has 21 digits, a `Number` holds 38).
pub(crate) fn outcome_key(seq: u128) -> Option<Number> {
    Number::parse(&seq.to_string()).ok()
}

impl Stage {
    /// The code of a stage kept in [`Mapping::outcomes`], 0 for the others.
    fn code(self) -> i64 {
        match self {
            Stage::Filtered => 1,
            Stage::Discarded => 2,
            Stage::LoopStopped => 3,
            _ => 0,
        }
    }
    fn from_code(code: i64) -> Option<Stage> {
        match code {
            1 => Some(Stage::Filtered),
            2 => Some(Stage::Discarded),
            3 => Some(Stage::LoopStopped),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Stage::InShard => "in shard",
            Stage::Waiting => "waiting for its batch window",
            Stage::Retrying { .. } => "being retried",
            Stage::Blocked => "blocked behind a failing batch",
            Stage::Filtered => "filtered out",
            Stage::Discarded => "sent to on-failure",
            Stage::LoopStopped => "stopped by loop detection",
            Stage::Done => "done",
        }
    }
}

/// What happened to a record or batch, for the learner's timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    pub time_ms: u64,
    pub uuid: String,
    pub shard_id: String,
    pub kind: LogKind,
    pub sequence_numbers: Vec<String>,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogKind {
    Filtered,
    Waiting,
    Retrying,
    Bisected,
    Discarded,
    LoopStopped,
    Expired,
}

/// One invocation, as `streamlab replay` prints it.
#[derive(Clone, Debug)]
pub struct Invocation {
    pub function: String,
    pub uuid: String,
    pub shard_id: String,
    pub time_ms: u64,
    pub attempt: u32,
    pub event: Value,
    pub outcome: Outcome,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Success,
    Error(String),
    PartialFailure(Vec<String>),
}

#[derive(Clone, Debug)]
pub struct Notification {
    pub time_ms: u64,
    pub channel: String,
    pub message: String,
    pub function: String,
}

#[derive(Default)]
pub struct Lambda {
    pub functions: crate::support::named::ByName<Function>,
    pub mappings: Vec<Mapping>,
    /// Invocations, notifications and on-failure records, oldest first: all of them, or the
    /// newest `EngineConfig::history_limit` (the older ones counted in `dropped`).
    pub invocations: Vec<Invocation>,
    pub notifications: Vec<Notification>,
    pub failures: Vec<Value>,
    pub log: Vec<LogEntry>,
    pub dropped: Dropped,
}

/// How many of the oldest entries were let go to keep memory bounded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dropped {
    pub invocations: u64,
    pub notifications: u64,
    pub failures: u64,
    pub log: u64,
}

/// Appends `item`; with a `limit`, first lets the oldest tenth go once the list is full
/// (amortised: a list is shifted once per `limit / 10` appends), counting them in `dropped`.
fn keep<T>(list: &mut Vec<T>, item: T, limit: Option<usize>, dropped: &mut u64) {
    if let Some(limit) = limit {
        let limit = limit.max(1);
        if list.len() >= limit {
            let n = (limit / 10).max(1).min(list.len());
            list.drain(..n);
            *dropped += n as u64;
        }
    }
    list.push(item);
}

impl Lambda {
    /// A record was appended to stream `si` at `now`: wake its pollers.
    pub fn wake_stream(&mut self, si: usize, now: u64) {
        let at = next_poll(now);
        for m in self.mappings.iter_mut().filter(|m| m.stream == si && m.cfg.enabled) {
            for v in m.cursors.iter_mut().flat_map(|c| c.vshards.iter_mut()) {
                v.next_wake = Some(v.next_wake.map_or(at, |w| w.min(at)));
            }
            if m.cursors.is_empty() {
                // Shards not synced yet: the mapping is woken through `next_event_ms`.
            }
        }
    }

    /// The earliest time a poller of an enabled mapping needs to run. Pollers of a child shard
    /// whose parent is not finished are asleep (they are woken when the parent finishes).
    pub fn next_event_ms(&self) -> Option<u64> {
        self.mappings
            .iter()
            .filter(|m| m.cfg.enabled)
            .flat_map(|m| m.cursors.iter().filter(move |c| cursor_active(m, c)).flat_map(|c| c.vshards.iter()))
            .filter_map(|v| match (&v.window, v.next_wake) {
                // A window's final invoke waits for the window's batches to be done.
                (Some(w), n) if v.queue.is_empty() => Some(n.map_or(w.end_ms, |n| n.min(w.end_ms))),
                (_, n) => n,
            })
            .min()
    }
}

/// A shard is read only after its parent is finished (or gone).
fn cursor_active(m: &Mapping, c: &Cursor) -> bool {
    match &c.parent {
        None => true,
        Some(p) => m.cursors.iter().find(|x| &x.shard_id == p).is_none_or(|pc| pc.vshards.iter().all(|v| v.finished)),
    }
}

fn int_param(r: &Value, name: &str, min: i64, max: i64) -> Result<Option<i64>> {
    let field = req::camel(name);
    match req::integer(r, name)? {
        None => Ok(None),
        Some(v) if v < min => {
            Err(req::constraint(v, &field, &format!("Member must have value greater than or equal to {min}")))
        }
        Some(v) if v > max => {
            Err(req::constraint(v, &field, &format!("Member must have value less than or equal to {max}")))
        }
        Some(v) => Ok(Some(v)),
    }
}

fn function_name_valid(name: &str) -> bool {
    !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The function name part of the forms Lambda takes: a name, an ARN
/// (`arn:aws:lambda:r:a:function:name[:qualifier]`), a partial ARN (`a:function:name`), or a
/// name with a qualifier (`name:alias`). Names never contain `:`.
fn bare_function_name(s: &str) -> &str {
    let parts: Vec<&str> = s.split(':').collect();
    match parts.iter().position(|p| *p == "function") {
        Some(i) if i + 1 < parts.len() => parts[i + 1],
        Some(_) => s,
        None if parts.len() == 2 => parts[0],
        None => s,
    }
}

impl MappingConfig {
    /// The settings as Create/UpdateEventSourceMapping request members (defaults included).
    pub fn to_request(&self) -> Value {
        let mut v = json!({
            "BatchSize": self.batch_size,
            "MaximumBatchingWindowInSeconds": self.window_s,
            "ParallelizationFactor": self.parallelization,
            "MaximumRetryAttempts": self.max_retry,
            "MaximumRecordAgeInSeconds": self.max_age_s,
            "BisectBatchOnFunctionError": self.bisect,
            "TumblingWindowInSeconds": self.tumbling_s,
            "FunctionResponseTypes": if self.report_failures { json!(["ReportBatchItemFailures"]) } else { json!([]) },
            "Enabled": self.enabled,
        });
        if !self.filters.is_empty() {
            v["FilterCriteria"] = self.filters.to_json();
        }
        if let Some(d) = &self.on_failure {
            v["DestinationConfig"] = json!({"OnFailure": {"Destination": d}});
        }
        v
    }

    fn defaults() -> MappingConfig {
        MappingConfig {
            batch_size: 100,
            window_s: 0,
            parallelization: 1,
            max_retry: -1,
            max_age_s: -1,
            bisect: false,
            report_failures: false,
            tumbling_s: 0,
            filters: FilterCriteria::default(),
            on_failure: None,
            enabled: true,
        }
    }

    /// Applies the parameters present in a Create/UpdateEventSourceMapping request.
    fn apply(&mut self, r: &Value) -> Result<()> {
        if let Some(v) = int_param(r, "BatchSize", 1, 10_000)? {
            self.batch_size = v as u32;
        }
        if let Some(v) = int_param(r, "MaximumBatchingWindowInSeconds", 0, 300)? {
            self.window_s = v as u32;
        }
        if let Some(v) = int_param(r, "ParallelizationFactor", 1, 10)? {
            self.parallelization = v as u32;
        }
        if let Some(v) = int_param(r, "MaximumRetryAttempts", -1, 10_000)? {
            self.max_retry = v;
        }
        if let Some(v) = int_param(r, "MaximumRecordAgeInSeconds", -1, 604_800)? {
            if (0..60).contains(&v) {
                return Err(AwsError::invalid_parameter(
                    "MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)",
                ));
            }
            self.max_age_s = v;
        }
        if let Some(v) = req::boolean(r, "BisectBatchOnFunctionError")? {
            self.bisect = v;
        }
        if let Some(list) = req::array(r, "FunctionResponseTypes")? {
            if list.len() > 1 {
                return Err(req::constraint(
                    "[..]",
                    "functionResponseTypes",
                    "Member must have length less than or equal to 1",
                ));
            }
            self.report_failures = false;
            for t in list {
                match t.as_str() {
                    Some("ReportBatchItemFailures") => self.report_failures = true,
                    other => {
                        return Err(req::constraint(
                            other.unwrap_or("null"),
                            "functionResponseTypes",
                            "Member must satisfy enum value set: [ReportBatchItemFailures]",
                        ))
                    }
                }
            }
        }
        if let Some(v) = int_param(r, "TumblingWindowInSeconds", 0, 900)? {
            self.tumbling_s = v as u32;
        }
        if let Some(f) = req::object(r, "FilterCriteria")? {
            self.filters = FilterCriteria::parse(f).map_err(|(kind, msg)| AwsError::new(&kind, msg))?;
        }
        if let Some(d) = req::object(r, "DestinationConfig")? {
            if req::get(d, "OnSuccess").is_some() {
                return Err(AwsError::invalid_parameter(
                    "Unsupported DestinationConfig parameter for given event source mapping type.",
                ));
            }
            self.on_failure = match req::object(d, "OnFailure")? {
                Some(of) => match req::string(of, "Destination")? {
                    Some(dest) if dest.starts_with("arn:aws:sqs:") || dest.starts_with("arn:aws:sns:") || dest.starts_with("arn:aws:s3:::") => {
                        Some(dest.to_string())
                    }
                    Some(dest) => {
                        return Err(AwsError::invalid_parameter(format!(
                            "The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination={dest})) is invalid: the destination must be an SQS queue, SNS topic or S3 bucket ARN."
                        )))
                    }
                    None => None,
                },
                None => None,
            };
        }
        if let Some(e) = req::boolean(r, "Enabled")? {
            self.enabled = e;
        }
        Ok(())
    }
}

impl Engine {
    fn function_arn(&self, name: &str) -> String {
        format!("arn:aws:lambda:{}:{}:function:{}", self.cfg.region, self.cfg.account_id, name)
    }

    pub(crate) fn create_function(&mut self, r: &Value) -> Result<Value> {
        let name = req::required_string(r, "FunctionName")?;
        if !function_name_valid(name) {
            return Err(req::constraint(
                name,
                "functionName",
                "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+ and have length between 1 and 64",
            ));
        }
        let code =
            match req::get(r, "Code") {
                None => "",
                Some(Value::String(s)) => s.as_str(),
                Some(_) => return Err(AwsError::invalid_parameter(
                    "StreamLab functions are written in the trigger rule language: Code must be the rules' source text",
                )),
            };
        if self.lambda.functions.contains_key(name) {
            return Err(AwsError::new("ResourceConflictException", format!("Function already exist: {name}")));
        }
        let program = rules::parse(code).map_err(|d| AwsError::invalid_parameter(d.render(code)))?;
        let f = Function {
            name: name.to_string(),
            arn: self.function_arn(name),
            code: code.to_string(),
            program,
            aggregates: Aggregates::default(),
            last_modified_ms: self.now_ms(),
        };
        let out = self.function_json(&f);
        self.lambda.functions.insert(f);
        Ok(out)
    }

    /// Replaces a function's code (the UI's "Deploy"); aggregates start afresh.
    pub(crate) fn update_function_code(&mut self, r: &Value) -> Result<Value> {
        let name = bare_function_name(req::required_string(r, "FunctionName")?).to_string();
        let code = req::string(r, "Code")?.unwrap_or("");
        let program = rules::parse(code).map_err(|d| AwsError::invalid_parameter(d.render(code)))?;
        let now = self.now_ms();
        let missing = AwsError::not_found(format!("Function not found: {}", self.function_arn(&name)));
        let Some(f) = self.lambda.functions.get_mut(&name) else { return Err(missing) };
        f.code = code.to_string();
        f.program = program;
        f.aggregates = Aggregates::default();
        f.last_modified_ms = now;
        let Some(f) = self.lambda.functions.get(&name) else { return Err(missing) };
        Ok(self.function_json(f))
    }

    fn function_json(&self, f: &Function) -> Value {
        json!({
            "FunctionName": f.name,
            "FunctionArn": f.arn,
            "Runtime": "streamlab-rules",
            "Handler": "rules",
            "CodeSize": f.code.len(),
            "LastModified": time::iso_millis(f.last_modified_ms),
            "State": "Active",
        })
    }

    /// The stream a mapping request names: `EventSourceArn`, or the latest stream of `TableName`.
    fn mapping_stream(&self, r: &Value) -> Result<usize> {
        if let Some(arn) = req::string(r, "EventSourceArn")? {
            return self
                .streams
                .iter()
                .position(|s| s.arn == arn)
                .ok_or_else(|| AwsError::invalid_parameter(format!("Stream not found: {arn}")));
        }
        let table = req::string(r, "TableName")?.ok_or_else(|| req::missing("eventSourceArn"))?;
        self.tables
            .get(table)
            .and_then(|t| t.latest_stream)
            .ok_or_else(|| AwsError::invalid_parameter(format!("Stream not found: table {table} has no stream")))
    }

    pub(crate) fn create_event_source_mapping(&mut self, r: &Value) -> Result<Value> {
        let function = bare_function_name(req::required_string(r, "FunctionName")?).to_string();
        let start = match req::string(r, "StartingPosition")? {
            None => {
                return Err(AwsError::invalid_parameter(
                    "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
                ))
            }
            Some(s @ ("TRIM_HORIZON" | "LATEST" | "AT_TIMESTAMP")) => s.to_string(),
            Some(other) => {
                return Err(req::constraint(other, "startingPosition", "Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]"))
            }
        };
        let mut cfg = MappingConfig::defaults();
        cfg.apply(r)?;
        let si = self.mapping_stream(r)?;
        let arn = self.streams[si].arn.clone();
        if start == "AT_TIMESTAMP" {
            return Err(AwsError::invalid_parameter(format!("Unsupported starting position for arn type: {arn}")));
        }
        if !self.lambda.functions.contains_key(&function) {
            return Err(AwsError::invalid_parameter("Function does not exist"));
        }
        if let Some(m) = self.lambda.mappings.iter().find(|m| m.stream == si && m.function == function) {
            return Err(AwsError::new(
                "ResourceConflictException",
                format!(
                    "The event source arn (\" {arn} \") and function (\" {function} \") provided mapping already exists. Please update or delete the existing mapping with UUID {}",
                    m.uuid
                ),
            ));
        }
        let uuid = self.rng.uuid();
        let now = self.now_ms();
        let stream = &self.streams[si];
        // Shards that exist now start at the trim horizon or just after their newest record.
        let cursors = stream
            .shards
            .iter()
            .map(|sh| {
                let pos = if start == "LATEST" {
                    sh.last_seq().map_or(sh.trimmed_through + 1, |s| s + 1)
                } else {
                    sh.trimmed_through + 1
                };
                new_cursor(&sh.id, sh.parent.clone(), pos, cfg.parallelization, Some(next_poll(now)))
            })
            .collect();
        self.lambda.mappings.push(Mapping {
            uuid,
            function,
            stream: si,
            starting_position: start,
            cfg,
            last_modified_ms: now,
            last_result: "No records processed".into(),
            cursors,
            outcomes: BTreeMap::new(),
        });
        let m = self.lambda.mappings.len() - 1;
        Ok(self.mapping_json(m, "Creating"))
    }

    fn find_mapping(&self, r: &Value) -> Result<usize> {
        let not_found = || AwsError::not_found("The resource you requested does not exist.");
        if let Some(uuid) = req::string(r, "UUID")? {
            return self.lambda.mappings.iter().position(|m| m.uuid == uuid).ok_or_else(not_found);
        }
        let function =
            bare_function_name(req::string(r, "FunctionName")?.ok_or_else(|| req::missing("uUID"))?).to_string();
        let si = self.mapping_stream(r).map_err(|_| not_found())?;
        self.lambda.mappings.iter().position(|m| m.stream == si && m.function == function).ok_or_else(not_found)
    }

    pub(crate) fn update_event_source_mapping(&mut self, r: &Value) -> Result<Value> {
        let m = self.find_mapping(r)?;
        let mut cfg = self.lambda.mappings[m].cfg.clone();
        // FunctionName and TableName may identify the mapping here (without a UUID); apply the rest.
        cfg.apply(r)?;
        // With a UUID, FunctionName points the mapping at that function, as in Lambda.
        let retarget = match (req::string(r, "UUID")?, req::string(r, "FunctionName")?) {
            (Some(_), Some(f)) => {
                Some(bare_function_name(f).to_string()).filter(|f| *f != self.lambda.mappings[m].function)
            }
            _ => None,
        };
        if let Some(function) = &retarget {
            if !self.lambda.functions.contains_key(function) {
                return Err(AwsError::invalid_parameter("Function does not exist"));
            }
            let si = self.lambda.mappings[m].stream;
            if let Some(other) = self.lambda.mappings.iter().find(|o| o.stream == si && &o.function == function) {
                return Err(AwsError::new(
                    "ResourceConflictException",
                    format!(
                        "The event source arn (\" {} \") and function (\" {function} \") provided mapping already exists. Please update or delete the existing mapping with UUID {}",
                        self.streams[si].arn, other.uuid
                    ),
                ));
            }
        }
        if cfg.parallelization != self.lambda.mappings[m].cfg.parallelization {
            let p = cfg.parallelization;
            for c in &mut self.lambda.mappings[m].cursors {
                resize_vshards(c, p);
            }
        }
        let now = self.now_ms();
        let mapping = &mut self.lambda.mappings[m];
        // §4.1 lifecycle: Enabled=false → Disabling, Enabled=true → Enabling, other updates → Updating.
        let state = match (mapping.cfg.enabled, cfg.enabled) {
            (true, false) => "Disabling",
            (false, true) => "Enabling",
            _ => "Updating",
        };
        mapping.cfg = cfg;
        if let Some(function) = retarget {
            mapping.function = function;
        }
        mapping.last_modified_ms = now;
        for v in mapping.cursors.iter_mut().flat_map(|c| c.vshards.iter_mut()) {
            v.next_wake = Some(next_poll(now));
        }
        Ok(self.mapping_json(m, state))
    }

    pub(crate) fn delete_event_source_mapping(&mut self, r: &Value) -> Result<Value> {
        let m = self.find_mapping(r)?;
        let out = self.mapping_json(m, "Deleting");
        self.lambda.mappings.remove(m);
        Ok(out)
    }

    pub(crate) fn get_event_source_mapping(&mut self, r: &Value) -> Result<Value> {
        let m = self.find_mapping(r)?;
        let state = if self.lambda.mappings[m].cfg.enabled { "Enabled" } else { "Disabled" };
        Ok(self.mapping_json(m, state))
    }

    fn mapping_json(&self, m: usize, state: &str) -> Value {
        let mp = &self.lambda.mappings[m];
        let mut v = json!({
            "UUID": mp.uuid,
            "EventSourceMappingArn": format!("arn:aws:lambda:{}:{}:event-source-mapping:{}", self.cfg.region, self.cfg.account_id, mp.uuid),
            "EventSourceArn": self.streams[mp.stream].arn,
            "FunctionArn": self.function_arn(&mp.function),
            "StartingPosition": mp.starting_position,
        });
        if let (Value::Object(out), Value::Object(params)) = (&mut v, mp.cfg.to_request()) {
            out.extend(params.into_iter().filter(|(k, _)| k != "Enabled"));
        }
        if mp.cfg.on_failure.is_none() {
            v["DestinationConfig"] = json!({"OnFailure": {}});
        }
        v["LastModified"] = json!(mp.last_modified_ms as f64 / 1000.0);
        v["LastProcessingResult"] = json!(mp.last_result);
        v["State"] = json!(state);
        v["StateTransitionReason"] = json!("User action");
        v
    }

    // ---- polling ----------------------------------------------------------------------------

    /// Runs every poller due at the current time.
    pub(crate) fn run_lambda(&mut self) {
        let now = self.now_ms();
        for m in 0..self.lambda.mappings.len() {
            if !self.lambda.mappings.get(m).is_some_and(|mp| mp.cfg.enabled) {
                continue;
            }
            self.sync_cursors(m);
            let mut c = 0;
            while c < self.lambda.mappings.get(m).map_or(0, |mp| mp.cursors.len()) {
                let active = self.lambda.mappings.get(m).is_some_and(|mp| cursor_active(mp, &mp.cursors[c]));
                if active {
                    let nv = self.lambda.mappings[m].cursors[c].vshards.len();
                    for v in 0..nv {
                        let due = self
                            .lambda
                            .mappings
                            .get(m)
                            .and_then(|mp| mp.cursors.get(c))
                            .and_then(|cur| cur.vshards.get(v))
                            .is_some_and(|vs| {
                                vs.next_wake.is_some_and(|w| w <= now)
                                    || (vs.queue.is_empty() && vs.window.as_ref().is_some_and(|w| w.end_ms <= now))
                            });
                        if due {
                            self.poll(m, c, v);
                        }
                    }
                }
                c += 1;
            }
        }
    }

    /// Adds a cursor for every shard of the stream the mapping has not seen yet.
    fn sync_cursors(&mut self, m: usize) {
        let now = self.now_ms();
        let mp = &self.lambda.mappings[m];
        let stream = &self.streams[mp.stream];
        let known: Vec<&str> = mp.cursors.iter().map(|c| c.shard_id.as_str()).collect();
        let new: Vec<Cursor> = stream
            .shards
            .iter()
            .filter(|sh| !known.contains(&sh.id.as_str()))
            .map(|sh| {
                new_cursor(
                    &sh.id,
                    sh.parent.clone(),
                    sh.trimmed_through + 1,
                    mp.cfg.parallelization,
                    Some(next_poll(now)),
                )
            })
            .collect();
        self.lambda.mappings[m].cursors.extend(new);
    }

    fn poll(&mut self, m: usize, c: usize, v: usize) {
        let now = self.now_ms();
        let (si, shard_id, cfg) = {
            let mp = &self.lambda.mappings[m];
            (mp.stream, mp.cursors[c].shard_id.clone(), mp.cfg.clone())
        };
        let region = self.cfg.region.clone();
        let arn = self.streams[si].arn.clone();
        let hash_key =
            self.streams[si].key_schema.get(0).and_then(|k| k["AttributeName"].as_str()).unwrap_or("").to_string();
        let Some(shard) = self.streams[si].shard(&shard_id) else {
            // The shard was trimmed away: nothing left to read.
            let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
            vs.finished = true;
            vs.next_wake = None;
            return;
        };
        let shard_closed = !shard.is_open();
        let shard_last = shard.last_seq();
        let uuid = self.lambda.mappings[m].uuid.clone();
        let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
        vs.next_wake = None;
        if let Some(t) = vs.queue.front().and_then(|b| b.retry_at) {
            if t > now {
                vs.next_wake = Some(t);
                return;
            }
        }
        // Gather records into a batch that has not been invoked yet.
        let mut filtered = Vec::new();
        let mut lost = false;
        let mut unseen = false;
        if vs.queue.front().is_none_or(|b| b.attempts == 0) {
            if vs.scan_pos <= shard.trimmed_through {
                lost = true;
                vs.scan_pos = shard.trimmed_through + 1;
            }
            if vs.queue.is_empty() {
                vs.queue.push_back(Batch::new());
            }
            let Some(batch) = vs.queue.front_mut() else { return };
            let mut payload: usize =
                batch.records.iter().map(|r| r.to_json(&region, Some(&arn)).to_string().len()).sum();
            let window_of =
                |r: &Record| if cfg.tumbling_s > 0 { (r.created_ms / 1000) / u64::from(cfg.tumbling_s) } else { 0 };
            for rec in shard.records.range(shard.position_of(vs.scan_pos)..) {
                if rec.created_ms >= now {
                    // Written at this very instant: the next poll sees it.
                    unseen = true;
                    break;
                }
                if vshard_of(rec, &hash_key, cfg.parallelization) != v {
                    vs.scan_pos = rec.seq + 1;
                    continue;
                }
                if batch.records.len() >= cfg.batch_size as usize {
                    break;
                }
                if batch.records.first().is_some_and(|f| window_of(f) != window_of(rec)) {
                    break;
                }
                let as_delivered = rec.to_json(&region, Some(&arn));
                if !cfg.filters.matches(&as_delivered) {
                    filtered.push(rec.seq.to_string());
                    vs.scan_pos = rec.seq + 1;
                    continue;
                }
                let size = as_delivered.to_string().len();
                if !batch.records.is_empty() && payload + size > PAYLOAD_LIMIT {
                    break;
                }
                payload += size;
                batch.records.push(rec.clone());
                vs.scan_pos = rec.seq + 1;
            }
            if batch.records.is_empty() {
                vs.queue.pop_front();
            }
        }
        let more_in_shard = shard_last.is_some_and(|l| vs.scan_pos <= l);
        if unseen {
            vs.next_wake = Some(next_poll(now));
        }
        if vs.queue.is_empty() {
            vs.position = vs.scan_pos;
            vs.window_start = None;
            if shard_closed && !more_in_shard && vs.window.is_none() {
                vs.finished = true;
            }
        }
        let batch_full = vs.queue.front().is_some_and(|b| b.records.len() >= cfg.batch_size as usize);
        let waiting_window =
            vs.queue.front().is_some_and(|b| b.attempts == 0) && cfg.window_s > 0 && !batch_full && !more_in_shard;
        let window_deadline = if waiting_window {
            let ws = *vs.window_start.get_or_insert(now);
            let end = ws + u64::from(cfg.window_s) * 1000;
            (now < end).then_some(end)
        } else {
            None
        };
        if let Some(end) = window_deadline {
            vs.next_wake = Some(end);
        }
        let window_due = vs.window.as_ref().is_some_and(|w| w.end_ms <= now)
            && vs.queue.front().is_none_or(|b| {
                b.records.first().is_none_or(|r| r.created_ms >= vs.window.as_ref().map_or(0, |w| w.end_ms))
            });
        let front = vs.queue.front().cloned();
        if !filtered.is_empty() {
            self.log(
                now,
                &uuid,
                &shard_id,
                LogKind::Filtered,
                filtered,
                "filtered out: no filter pattern matched; skipped for good".into(),
            );
        }
        if lost {
            self.log(
                now,
                &uuid,
                &shard_id,
                LogKind::Expired,
                vec![],
                "records were trimmed from the stream before they were read".into(),
            );
        }
        if window_due {
            self.final_window_invoke(m, c, v, false);
            return;
        }
        let Some(batch) = front else { return };
        if window_deadline.is_some() {
            return;
        }
        self.process(m, c, v, batch);
    }

    /// Checks the age and chain of the front batch, then invokes the function with it.
    fn process(&mut self, m: usize, c: usize, v: usize, batch: Batch) {
        let now = self.now_ms();
        let cfg = self.lambda.mappings[m].cfg.clone();
        let too_old = |r: &Rc<Record>| {
            let age = now.saturating_sub(r.created_ms);
            (cfg.max_age_s >= 0 && age > cfg.max_age_s as u64 * 1000) || age >= RETENTION_MS
        };
        let expired = batch.records.iter().take_while(|r| too_old(r)).count();
        if expired > 0 {
            // Records older than MaximumRecordAgeInSeconds are discarded; the rest go on.
            let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
            if let Some(front) = vs.queue.front_mut() {
                if expired < front.records.len() {
                    let rest = Batch { records: front.records.split_off(expired), ..front.clone() };
                    vs.queue.insert(1, rest);
                }
            }
            self.discard(m, c, v, "RecordAgeExceeded");
            return;
        }
        let chain = batch.records.iter().map(|r| r.chain).max().unwrap_or(0) + 1;
        if chain > MAX_CHAIN {
            let (uuid, shard) =
                (self.lambda.mappings[m].uuid.clone(), self.lambda.mappings[m].cursors[c].shard_id.clone());
            let seqs = batch.records.iter().map(|r| r.seq.to_string()).collect();
            self.log(
                now,
                &uuid,
                &shard,
                LogKind::LoopStopped,
                seqs,
                format!("Recursive loop detected: this batch would be invocation {chain} of a chain of triggers writing back into the tables that fed them; stopped after {MAX_CHAIN} invocations, as AWS's recursive loop detection does"),
            );
            let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
            vs.queue.pop_front();
            self.after_batch(m, c, v);
            return;
        }
        let outcome = self.invoke(m, c, v, &batch, chain, None);
        let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
        let Some(front) = vs.queue.front_mut() else { return };
        front.attempts = batch.attempts + 1;
        match outcome {
            Outcome::Success => {
                vs.queue.pop_front();
                // §4.9: a window state over 1 MB ends the window early.
                let too_big =
                    vs.window.as_ref().is_some_and(|w| w.state.to_json().to_string().len() > WINDOW_STATE_LIMIT);
                self.lambda.mappings[m].last_result = "OK".into();
                self.after_batch(m, c, v);
                if too_big {
                    self.final_window_invoke(m, c, v, true);
                }
            }
            Outcome::Error(msg) => self.failed(m, c, v, msg, None),
            Outcome::PartialFailure(ids) => {
                let first = ids.first().and_then(|s| s.parse::<u128>().ok()).unwrap_or(0);
                self.failed(m, c, v, format!("partial batch failure at sequence number {first}"), Some(first));
            }
        }
    }

    /// A batch failed: drop what a partial response says is done, then bisect, retry or discard.
    fn failed(&mut self, m: usize, c: usize, v: usize, error: String, partial_from: Option<u128>) {
        let now = self.now_ms();
        let cfg = self.lambda.mappings[m].cfg.clone();
        let (uuid, shard) = (self.lambda.mappings[m].uuid.clone(), self.lambda.mappings[m].cursors[c].shard_id.clone());
        self.lambda.mappings[m].last_result = "PROBLEM: Function call failed".into();
        let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
        let Some(b) = vs.queue.front_mut() else { return };
        b.last_error = Some(error);
        b.function_error = partial_from.is_none();
        let first = b.records.first().map_or(0, |r| r.seq);
        if let Some(from) = partial_from {
            b.records.retain(|r| r.seq >= from);
        }
        let seqs: Vec<String> = b.records.iter().map(|r| r.seq.to_string()).collect();
        if cfg.bisect && partial_from.is_some_and(|from| from > first) {
            // Bisect with a partial response: split at the returned sequence number and retry
            // only the remainder, without using a retry.
            b.retry_at = Some(next_poll(now));
            vs.next_wake = Some(next_poll(now));
            self.log(now, &uuid, &shard, LogKind::Bisected, seqs, "partial batch response: the batch is split at the reported record; the remainder is retried (no retry used)".into());
        } else if cfg.bisect && b.records.len() > 1 {
            let second = Batch { records: b.records.split_off(b.records.len() / 2), ..b.clone() };
            b.retry_at = Some(next_poll(now));
            vs.queue.insert(1, second);
            vs.next_wake = Some(next_poll(now));
            self.log(
                now,
                &uuid,
                &shard,
                LogKind::Bisected,
                seqs,
                "function error: batch split in two halves, retried separately (no retry used)".into(),
            );
        } else if cfg.max_retry >= 0 && i64::from(b.retries) >= cfg.max_retry {
            self.discard(m, c, v, "RetryAttemptsExhausted");
        } else {
            b.retries += 1;
            let delay = (BACKOFF_BASE_MS << (b.retries - 1).min(16)).min(BACKOFF_CAP_MS);
            b.retry_at = Some(now + delay);
            vs.next_wake = Some(now + delay);
            let msg = format!(
                "retry {} in {} s; the shard is blocked until this batch succeeds or is discarded",
                b.retries,
                delay / 1000
            );
            self.log(now, &uuid, &shard, LogKind::Retrying, seqs, msg);
        }
    }

    /// Gives up on the front batch: the checkpoint moves past it, and the on-failure
    /// destination (if any) receives a record describing it (§4.6).
    fn discard(&mut self, m: usize, c: usize, v: usize, condition: &str) {
        let now = self.now_ms();
        let mp = &self.lambda.mappings[m];
        let stream_arn = self.streams[mp.stream].arn.clone();
        let function_arn = self.function_arn(&mp.function);
        let (uuid, shard, dest) = (mp.uuid.clone(), mp.cursors[c].shard_id.clone(), mp.cfg.on_failure.clone());
        let Some(b) = self.lambda.mappings[m].cursors[c].vshards[v].queue.pop_front() else { return };
        let (Some(first), Some(last)) = (b.records.first(), b.records.last()) else {
            self.after_batch(m, c, v);
            return;
        };
        let seqs = b.records.iter().map(|r| r.seq.to_string()).collect();
        let request_id = self.rng.uuid();
        let record = json!({
            "requestContext": {
                "requestId": request_id,
                "functionArn": function_arn,
                "condition": condition,
                "approximateInvokeCount": b.attempts,
            },
            "responseContext": {
                "statusCode": 200,
                "executedVersion": "$LATEST",
                "functionError": if b.function_error { json!("Unhandled") } else { Value::Null },
            },
            "version": "1.0",
            "timestamp": time::iso_millis(now),
            "DDBStreamBatchInfo": {
                "shardId": shard,
                "startSequenceNumber": first.seq.to_string(),
                "endSequenceNumber": last.seq.to_string(),
                "approximateArrivalOfFirstRecord": time::iso_seconds(first.created_ms),
                "approximateArrivalOfLastRecord": time::iso_seconds(last.created_ms),
                "batchSize": b.records.len(),
                "streamArn": stream_arn,
            }
        });
        let msg = match &dest {
            Some(d) => format!("{condition}: batch discarded and described to the on-failure destination {d}"),
            None => {
                format!("{condition}: batch discarded (no on-failure destination is configured, so nothing keeps it)")
            }
        };
        if let Some(d) = dest {
            let mut rec = record;
            if d.starts_with("arn:aws:s3:::") {
                // §4.6: an S3 destination's object also holds the invocation payload.
                let region = self.cfg.region.clone();
                let records: Vec<Value> = b.records.iter().map(|r| r.to_json(&region, Some(&stream_arn))).collect();
                rec["payload"] = json!({ "Records": records });
            }
            rec["destination"] = json!(d);
            let limit = self.cfg.history_limit;
            keep(&mut self.lambda.failures, rec, limit, &mut self.lambda.dropped.failures);
        }
        self.log(now, &uuid, &shard, LogKind::Discarded, seqs, msg);
        self.after_batch(m, c, v);
    }

    /// After a batch is done with: advance the checkpoint when nothing is queued, poll again soon.
    fn after_batch(&mut self, m: usize, c: usize, v: usize) {
        let now = self.now_ms();
        let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
        if vs.queue.is_empty() {
            vs.position = vs.scan_pos;
            vs.window_start = None;
        }
        vs.next_wake = Some(next_poll(now));
    }

    /// The last invocation of a window: at its end, or `early` when its state outgrew 1 MB.
    fn final_window_invoke(&mut self, m: usize, c: usize, v: usize, early: bool) {
        let empty = Batch::new();
        self.invoke(m, c, v, &empty, 1, Some(early));
        let name = self.lambda.mappings[m].function.clone();
        let now = self.now_ms();
        let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
        let done = vs.window.take();
        vs.next_wake = Some(next_poll(now));
        if let (Some(w), Some(f)) = (done, self.lambda.functions.get_mut(&name)) {
            // With tumbling windows the published aggregates are those of the last closed window.
            f.aggregates = w.state;
        }
    }

    /// Invokes the mapping's function with `batch` and applies its effects.
    /// `final_window`: for a window's final invoke, whether it was terminated early.
    fn invoke(
        &mut self,
        m: usize,
        c: usize,
        v: usize,
        batch: &Batch,
        chain: u32,
        final_window: Option<bool>,
    ) -> Outcome {
        let now = self.now_ms();
        let region = self.cfg.region.clone();
        let (si, name, uuid, shard_id, cfg) = {
            let mp = &self.lambda.mappings[m];
            (mp.stream, mp.function.clone(), mp.uuid.clone(), mp.cursors[c].shard_id.clone(), mp.cfg.clone())
        };
        let arn = self.streams[si].arn.clone();
        let records: Vec<Value> = batch.records.iter().map(|r| r.to_json(&region, Some(&arn))).collect();
        let mut event = json!({ "Records": records });
        // Tumbling windows: the event carries the window and the state so far.
        let tumbling = cfg.tumbling_s > 0;
        if tumbling {
            let vs = &mut self.lambda.mappings[m].cursors[c].vshards[v];
            if vs.window.is_none() {
                if let Some(first) = batch.records.first() {
                    let len = u64::from(cfg.tumbling_s) * 1000;
                    let start = first.created_ms / 1000 * 1000 / len * len;
                    vs.window = Some(Window { start_ms: start, end_ms: start + len, state: Aggregates::default() });
                }
            }
            if let Some(w) = &vs.window {
                event["window"] = json!({"start": time::iso_seconds(w.start_ms), "end": time::iso_seconds(w.end_ms)});
                event["state"] = w.state.to_json();
            }
            event["shardId"] = json!(shard_id);
            event["eventSourceARN"] = json!(arn);
            event["isFinalInvokeForWindow"] = json!(final_window.is_some());
            event["isWindowTerminatedEarly"] = json!(final_window == Some(true));
        }
        // Run the function's rules record by record, as a handler would.
        let mut outcome = Outcome::Success;
        let saved_chain = self.write_chain;
        self.write_chain = chain;
        for rec in &batch.records {
            let seq = rec.seq.to_string();
            let (keys, new_image, old_image) = (rec.keys(), rec.new_image(), rec.old_image());
            let view = RecordView {
                event_name: rec.event_name.as_str(),
                ttl: rec.ttl,
                keys: &keys,
                new_image: new_image.as_ref(),
                old_image: old_image.as_ref(),
                sequence_number: &seq,
            };
            let result = {
                let Some(f) = self.lambda.functions.get_mut(&name) else {
                    outcome = Outcome::Error("Function not found".into());
                    break;
                };
                let window_state = if tumbling {
                    self.lambda.mappings[m].cursors[c].vshards[v].window.as_mut().map(|w| &mut w.state)
                } else {
                    None
                };
                match window_state {
                    Some(state) => f.program.run(&view, state),
                    None => f.program.run(&view, &mut f.aggregates),
                }
            };
            let failure = match result {
                Ok(effects) => self.apply_effects(&name, effects).err(),
                Err(reason) => Some(reason),
            };
            if let Some(reason) = failure {
                outcome = if cfg.report_failures { Outcome::PartialFailure(vec![seq]) } else { Outcome::Error(reason) };
                break;
            }
        }
        self.write_chain = saved_chain;
        self.costs.invocation(now, batch.attempts == 0, &batch.records);
        let invocation = Invocation {
            function: name,
            uuid,
            shard_id,
            time_ms: now,
            attempt: batch.attempts + 1,
            event,
            outcome: outcome.clone(),
        };
        let limit = self.cfg.history_limit;
        keep(&mut self.lambda.invocations, invocation, limit, &mut self.lambda.dropped.invocations);
        outcome
    }

    /// Applies a rule's effects: notifications are recorded; writes go through the normal API,
    /// so they make stream records of their own (and may trigger further functions).
    fn apply_effects(&mut self, function: &str, effects: Vec<Effect>) -> std::result::Result<(), String> {
        for e in effects {
            let r = match e {
                Effect::Notify { channel, message } => {
                    let n = Notification { time_ms: self.now_ms(), channel, message, function: function.to_string() };
                    let limit = self.cfg.history_limit;
                    keep(&mut self.lambda.notifications, n, limit, &mut self.lambda.dropped.notifications);
                    Ok(Value::Null)
                }
                Effect::Put { table, item } => {
                    self.call("PutItem", &json!({"TableName": table, "Item": item_to_json(&item)}))
                }
                Effect::Delete { table, key } => {
                    self.call("DeleteItem", &json!({"TableName": table, "Key": item_to_json(&key)}))
                }
                Effect::Update { table, key, add, set } => {
                    let mut names = Map::new();
                    let mut values = Map::new();
                    let mut sets = Vec::new();
                    let mut adds = Vec::new();
                    for (i, (attr, val)) in set.iter().enumerate() {
                        names.insert(format!("#s{i}"), json!(attr));
                        values.insert(format!(":s{i}"), val.to_json());
                        sets.push(format!("#s{i} = :s{i}"));
                    }
                    for (i, (attr, val)) in add.iter().enumerate() {
                        names.insert(format!("#a{i}"), json!(attr));
                        values.insert(format!(":a{i}"), val.to_json());
                        adds.push(format!("#a{i} :a{i}"));
                    }
                    let mut expr = String::new();
                    if !sets.is_empty() {
                        expr.push_str(&format!("SET {}", sets.join(", ")));
                    }
                    if !adds.is_empty() {
                        expr.push_str(&format!(" ADD {}", adds.join(", ")));
                    }
                    let mut r = json!({"TableName": table, "Key": item_to_json(&key)});
                    if !expr.trim().is_empty() {
                        r["UpdateExpression"] = json!(expr.trim());
                        r["ExpressionAttributeNames"] = Value::Object(names);
                        r["ExpressionAttributeValues"] = Value::Object(values);
                    }
                    self.call("UpdateItem", &r)
                }
            };
            r.map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn log(&mut self, now: u64, uuid: &str, shard: &str, kind: LogKind, seqs: Vec<String>, message: String) {
        const MAX_LOG: usize = 10_000;
        const MAX_OUTCOMES: usize = 100_000;
        let stage = match kind {
            LogKind::Filtered => Some(Stage::Filtered),
            LogKind::Discarded => Some(Stage::Discarded),
            LogKind::LoopStopped => Some(Stage::LoopStopped),
            _ => None,
        };
        if let (Some(stage), Some(m)) = (stage, self.lambda.mappings.iter_mut().find(|m| m.uuid == uuid)) {
            for q in &seqs {
                if let Some(n) = q.parse::<u128>().ok().and_then(outcome_key) {
                    m.outcomes.insert(n, stage.code());
                }
            }
            while m.outcomes.len() > MAX_OUTCOMES {
                m.outcomes.pop_first();
            }
        }
        let entry =
            LogEntry { time_ms: now, uuid: uuid.into(), shard_id: shard.into(), kind, sequence_numbers: seqs, message };
        keep(&mut self.lambda.log, entry, Some(MAX_LOG), &mut self.lambda.dropped.log);
    }

    // ---- outputs ------------------------------------------------------------------------------

    pub fn invocations_output(&self) -> Vec<Value> {
        self.lambda.invocations.iter().map(invocation_json).collect()
    }

    pub fn notifications_output(&self) -> Vec<Value> {
        self.lambda
            .notifications
            .iter()
            .map(|n| json!({"Time": n.time_ms as f64 / 1000.0, "Channel": n.channel, "Message": n.message, "FunctionName": n.function}))
            .collect()
    }

    /// Every aggregate the functions maintain, merged by name.
    pub fn aggregates_output(&self) -> Value {
        let mut out = Map::new();
        for f in self.lambda.functions.values() {
            if let Value::Object(m) = f.aggregates.to_json() {
                for (k, v) in m {
                    out.insert(k, v);
                }
            }
        }
        Value::Object(out)
    }

    pub fn failures_output(&self) -> Vec<Value> {
        self.lambda
            .failures
            .iter()
            .map(|f| {
                let mut f = f.clone();
                f.as_object_mut().map(|m| m.remove("destination"));
                f
            })
            .collect()
    }

    pub fn lambda(&self) -> &Lambda {
        &self.lambda
    }

    /// Where record `seq` of shard `shard_id` is on its way through mapping `m`.
    pub fn record_stage(&self, m: usize, shard_id: &str, seq: u128) -> Option<Stage> {
        let mp = self.lambda.mappings.get(m)?;
        let stream = self.streams.get(mp.stream)?;
        let cursor = mp.cursors.iter().find(|c| c.shard_id == shard_id)?;
        let rec = stream.shard(shard_id)?.records.iter().find(|r| r.seq == seq)?;
        let hash_key = stream.key_schema.get(0).and_then(|k| k["AttributeName"].as_str()).unwrap_or("");
        let vs = cursor.vshards.get(vshard_of(rec, hash_key, mp.cfg.parallelization))?;
        if let Some(stage) = outcome_key(seq).and_then(|k| mp.outcomes.get(&k).copied()).and_then(Stage::from_code) {
            return Some(stage);
        }
        for (i, b) in vs.queue.iter().enumerate() {
            if b.records.iter().any(|r| r.seq == seq) {
                return Some(match (i, b.attempts) {
                    (0, 0) => Stage::Waiting,
                    (0, a) => Stage::Retrying { attempt: a },
                    _ => Stage::Blocked,
                });
            }
        }
        if seq < vs.position {
            return Some(Stage::Done);
        }
        let blocked = vs.queue.front().is_some_and(|b| b.attempts > 0);
        Some(if blocked { Stage::Blocked } else { Stage::InShard })
    }
}

pub fn invocation_json(i: &Invocation) -> Value {
    let mut v = json!({
        "FunctionName": i.function,
        "UUID": i.uuid,
        "ShardId": i.shard_id,
        "Time": i.time_ms as f64 / 1000.0,
        "Attempt": i.attempt,
        "Event": i.event,
    });
    match &i.outcome {
        Outcome::Success => v["Outcome"] = json!("Success"),
        Outcome::Error(e) => {
            v["Outcome"] = json!("Error");
            v["Error"] = json!(e);
        }
        Outcome::PartialFailure(ids) => {
            v["Outcome"] = json!("PartialFailure");
            v["BatchItemFailures"] = Value::Array(ids.iter().map(|s| json!({"itemIdentifier": s})).collect());
        }
    }
    v
}

/// The virtual shard of a record: its partition key's hash modulo ParallelizationFactor, so a
/// key's records stay in order on one virtual shard.
fn vshard_of(rec: &Record, hash_key: &str, parallelization: u32) -> usize {
    if parallelization <= 1 {
        return 0;
    }
    let bytes = match rec.key_attr(hash_key) {
        Some(AttributeValue::S(s)) => s.into_bytes(),
        Some(AttributeValue::B(b)) => b,
        Some(other) => other.to_json().to_string().into_bytes(),
        None => Vec::new(),
    };
    (fnv1a(&bytes) % u64::from(parallelization)) as usize
}

fn new_vshard(position: u128, wake: Option<u64>) -> VShard {
    VShard {
        position,
        scan_pos: position,
        queue: VecDeque::new(),
        window_start: None,
        next_wake: wake,
        finished: false,
        window: None,
    }
}

fn new_cursor(
    shard_id: &str,
    parent: Option<String>,
    position: u128,
    parallelization: u32,
    wake: Option<u64>,
) -> Cursor {
    Cursor {
        shard_id: shard_id.to_string(),
        parent,
        vshards: (0..parallelization.max(1)).map(|_| new_vshard(position, wake)).collect(),
    }
}

/// Changing ParallelizationFactor: every virtual shard restarts from the lowest checkpoint.
fn resize_vshards(c: &mut Cursor, p: u32) {
    let pos = c.vshards.iter().map(|v| v.position).min().unwrap_or(0);
    let wake = c.vshards.iter().filter_map(|v| v.next_wake).min();
    c.vshards = (0..p.max(1)).map(|_| new_vshard(pos, wake)).collect();
}
