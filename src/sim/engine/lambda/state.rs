//! What the Lambda side of the engine holds: functions, event source mappings with their
//! per-shard pollers, batches, windows, and the history the learner sees (invocations,
//! notifications, on-failure records, the log).

use crate::lang::filter::FilterCriteria;
use crate::lang::rules::{Aggregates, Program};
use crate::model::AttributeValue;
use crate::model::Number;
use crate::sim::stream::{Record, Shard};
use crate::support::hash::fnv1a;
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

/// Base poll period of a shard: 4 polls per second.
pub const POLL_MS: u64 = 250;
/// Synchronous invocation payload limit.
pub const PAYLOAD_LIMIT: usize = 6 * 1024 * 1024;
/// The simulator's loop guard, by default: a chain of triggers fed by their own writes is paused
/// before its 1,001st invocation. This is the simulator's choice, so that a runaway loop cannot
/// run a learner's tab forever; AWS has no such guard for loops through DynamoDB: Lambda's
/// recursive loop detection covers SQS, SNS and S3 only (docs/aws-behaviour.md §4.10).
pub const DEFAULT_LOOP_GUARD: u32 = 1_000;
/// Tumbling window state per shard (§4.9): beyond it the window ends early.
pub const WINDOW_STATE_LIMIT: usize = 1024 * 1024;
pub(in crate::sim::engine) const BACKOFF_BASE_MS: u64 = 1000;
pub(in crate::sim::engine) const BACKOFF_CAP_MS: u64 = 60_000;

/// The next poll slot strictly after `t`.
pub(in crate::sim::engine) fn next_poll(t: u64) -> u64 {
    (t / POLL_MS + 1) * POLL_MS
}

/// One poller of a mapping: which mapping, which of its shard cursors, which virtual shard of
/// that shard (ParallelizationFactor splits a shard into virtual shards by partition key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::sim::engine) struct Lane {
    pub mapping: usize,
    pub cursor: usize,
    pub vshard: usize,
}

pub struct Function {
    pub name: String,
    pub arn: String,
    pub code: String,
    pub program: Program,
    pub aggregates: Aggregates,
    pub last_modified_ms: u64,
    /// For each rule of the current code, how many records it handled.
    pub fired: Vec<u64>,
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
    /// Shared: the records a poll filters out keep the criteria that judged them.
    pub filters: Rc<FilterCriteria>,
    pub on_failure: Option<String>,
    pub enabled: bool,
    /// `MetricsConfig: {"Metrics": ["EventCount"]}`: the mapping's event-count metrics are
    /// published (opt-in on AWS; `IteratorAge` is published either way).
    pub event_count_metrics: bool,
}

/// One minute of a mapping's metrics (CloudWatch's period for Lambda is one minute), as Lambda
/// defines them for a DynamoDB stream (docs/aws-behaviour.md §4.11): counts of records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MinuteMetrics {
    /// Records read from the shard (a poll that finds none counts 0).
    pub polled: u64,
    /// Records no filter matched.
    pub filtered_out: u64,
    /// Records in invocations, retries included (each attempt counts again).
    pub invoked: u64,
    /// Records of invocations that failed to run (the function gone) or answered with a
    /// non-empty partial batch response.
    pub failed_invoke: u64,
    /// Records discarded after MaximumRetryAttempts or MaximumRecordAgeInSeconds with no
    /// on-failure destination (not those lost to the stream's 24-hour retention).
    pub dropped: u64,
    /// Records described to the on-failure destination.
    pub on_failure_delivered: u64,
    /// IteratorAge, milliseconds: the age of each invocation's last record when it was sent.
    pub iterator_age_max_ms: u64,
    pub iterator_age_sum_ms: u64,
    pub iterator_age_samples: u64,
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
    pub(in crate::sim::engine) fn new() -> Batch {
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
    /// Held by the simulator's loop guard: its front batch would go past the guard's limit.
    /// It waits until the limit is raised or the guard turned off (`Engine::set_loop_guard`).
    pub paused: bool,
}

#[derive(Clone, Debug)]
pub struct Cursor {
    pub shard_id: String,
    /// The shard's and its parent's `start_seq`: a mapping's cursors are in the stream's shard
    /// order, so they are matched to shards by these numbers.
    pub start_seq: u128,
    pub parent_seq: Option<u128>,
    pub vshards: Vec<VShard>,
    /// Its parent shard's cursor is not finished yet, so this shard is not read yet
    /// (kept by `Mapping::refresh_waiting`, so that finding the active cursors is not a search).
    pub waiting: bool,
}

impl Cursor {
    pub fn is_finished(&self) -> bool {
        self.vshards.iter().all(|v| v.finished)
    }
}

/// Where a new mapping starts reading each shard that exists when it is created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartingPosition {
    TrimHorizon,
    Latest,
}

impl StartingPosition {
    pub fn as_str(self) -> &'static str {
        match self {
            StartingPosition::TrimHorizon => "TRIM_HORIZON",
            StartingPosition::Latest => "LATEST",
        }
    }
}

/// A mapping's `LastProcessingResult`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LastResult {
    NoRecordsProcessed,
    Ok,
    FunctionCallFailed,
}

impl LastResult {
    pub fn as_str(self) -> &'static str {
        match self {
            LastResult::NoRecordsProcessed => "No records processed",
            LastResult::Ok => "OK",
            LastResult::FunctionCallFailed => "PROBLEM: Function call failed",
        }
    }
}

pub struct Mapping {
    pub uuid: String,
    pub function: String,
    pub stream: usize,
    pub starting_position: StartingPosition,
    pub cfg: MappingConfig,
    pub last_modified_ms: u64,
    pub last_result: LastResult,
    pub cursors: Vec<Cursor>,
    /// Records that ended other than delivered (filtered, discarded, stopped), by sequence number
    /// (see [`outcome_key`]), as [`Stage::code`]. Keyed by `Number` with `i64` values, the
    /// B-tree type of the rules' min/max multiplicities, so the page's wasm holds one B-tree
    /// fewer.
    pub outcomes: BTreeMap<Number, i64>,
    /// The stream's `shards_changed` when the cursors were last matched to its shards.
    pub synced: Option<u64>,
    /// The mapping's metrics by minute (start, epoch ms), oldest first; only minutes with
    /// activity. A vector, not a B-tree: minutes only ever come at the end (and each B-tree
    /// type adds kilobytes to the page).
    pub metrics: Vec<(u64, MinuteMetrics)>,
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
    /// Held by the simulator's loop guard (not AWS's: AWS would invoke it).
    LoopPaused,
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
    pub(in crate::sim::engine) fn code(self) -> i64 {
        match self {
            Stage::Filtered => 1,
            Stage::Discarded => 2,
            _ => 0,
        }
    }
    pub(in crate::sim::engine) fn from_code(code: i64) -> Option<Stage> {
        match code {
            1 => Some(Stage::Filtered),
            2 => Some(Stage::Discarded),
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
            Stage::LoopPaused => "paused by the simulator's loop guard",
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
    pub sequence_numbers: Vec<u128>,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogKind {
    Filtered,
    Waiting,
    Retrying,
    Bisected,
    Discarded,
    /// The simulator's loop guard paused a chain of triggers.
    LoopGuard,
    Expired,
    /// Records the handler gave up on while Lambda saw a success: lost for this consumer.
    Lost,
}

/// One invocation, as `streamlab replay` prints it. Its event is kept as the records it
/// carried (shared with the stream, with its retries and with the other invocations), and
/// made into JSON only when it is shown or written ([`Invocation::event`]).
#[derive(Clone, Debug)]
pub struct Invocation {
    pub function: String,
    pub uuid: String,
    pub shard_id: String,
    pub time_ms: u64,
    pub attempt: u32,
    pub records: Rc<[Rc<Record>]>,
    /// The stream's ARN, the event's `eventSourceARN`.
    pub arn: Rc<str>,
    /// A tumbling window's members of the event, for a mapping with windows.
    pub window: Option<Box<WindowEvent>>,
    pub outcome: Outcome,
}

/// An on-failure record as its destination receives it: the record, and for an S3
/// destination the batch it describes (shared with the stream), made into the object's
/// `payload` only when shown or written.
#[derive(Clone, Debug)]
pub struct FailureRecord {
    pub record: Value,
    pub payload: Option<Payload>,
}

/// A batch's records, and the ARN of their stream.
pub type Payload = (Rc<[Rc<Record>]>, Rc<str>);

impl FailureRecord {
    /// The record (in `region`), with the S3 object's `payload` when there is one.
    pub fn to_json(&self, region: &str) -> Value {
        let mut v = self.record.clone();
        if let Some((records, arn)) = &self.payload {
            let records: Vec<Value> = records.iter().map(|r| r.to_json(region, Some(arn))).collect();
            v["payload"] = serde_json::json!({ "Records": records });
        }
        v
    }
}

/// What a tumbling window adds to an event: the window (when one is open) with its state
/// so far, and whether this is its final invocation, cut short or not.
#[derive(Clone, Debug)]
pub struct WindowEvent {
    pub window: Option<(u64, u64, Value)>,
    pub final_window: Option<bool>,
}

impl Invocation {
    /// The event the function was given (in `region`), as AWS shapes it.
    pub fn event(&self, region: &str) -> Value {
        use crate::support::time;
        use serde_json::json;
        let records: Vec<Value> = self.records.iter().map(|r| r.to_json(region, Some(&self.arn))).collect();
        let mut event = json!({ "Records": records });
        if let Some(w) = &self.window {
            if let Some((start, end, state)) = &w.window {
                event["window"] = json!({"start": time::iso_seconds(*start), "end": time::iso_seconds(*end)});
                event["state"] = state.clone();
            }
            event["shardId"] = json!(self.shard_id);
            event["eventSourceARN"] = json!(&*self.arn);
            event["isFinalInvokeForWindow"] = json!(w.final_window.is_some());
            event["isWindowTerminatedEarly"] = json!(w.final_window == Some(true));
        }
        event
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Success,
    Error(String),
    /// The function returned a partial batch response: its `itemIdentifier`s as returned
    /// (`None`: null), right or wrong.
    PartialFailure(Vec<Option<String>>),
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
    /// The bytes of the kept notifications' messages, when the history is limited.
    pub notification_bytes: usize,
    pub failures: Vec<FailureRecord>,
    pub log: Vec<LogEntry>,
    pub dropped: Dropped,
    /// Every time the simulator's loop guard paused a chain, oldest first.
    pub guard_pauses: Vec<GuardPause>,
    /// The records the mappings' filters rejected, a group per poll (kept like `invocations`).
    pub filtered: Vec<FilteredRecords>,
    /// What loops of triggers fed by their own writes have done.
    pub loops: LoopStats,
}

/// What the invocations of trigger loops, and the writes they made, have added up to. An
/// invocation is part of a loop when its chain of triggers is longer than the number of
/// mappings: such a chain has passed through one mapping twice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoopStats {
    pub invocations: u64,
    pub writes: u64,
    /// On-demand write request units of those writes (1 per KB, rounded up).
    pub write_units: u64,
    /// The first and the last loop invocation (simulated epoch ms).
    pub first_ms: u64,
    pub last_ms: u64,
    /// The longest chain seen.
    pub longest_chain: u32,
}

impl Lambda {
    /// Is an invocation (or a write made by one) of chain length `chain` part of a loop?
    pub fn in_loop(&self, chain: u32) -> bool {
        chain as usize > self.mappings.len().max(1)
    }
}

/// The records one poll of a mapping filtered out, with the criteria that rejected them: why
/// each was rejected ([`FilterCriteria::explain`]) is worked out when asked, not when polling.
#[derive(Clone, Debug)]
pub struct FilteredRecords {
    pub time_ms: u64,
    pub uuid: String,
    pub function: String,
    pub shard_id: String,
    /// The mapping's stream (its ARN is in the records as Lambda delivers them).
    pub stream: usize,
    pub filters: Rc<FilterCriteria>,
    pub records: Vec<Rc<Record>>,
}

/// The simulator's loop guard paused a chain of triggers: when, which mapping and shard, the
/// invocation it held back (its place in the chain) and the limit then.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardPause {
    pub time_ms: u64,
    pub function: String,
    pub uuid: String,
    pub shard_id: String,
    pub chain: u32,
    pub limit: u32,
}

/// How many of the oldest entries were let go to keep memory bounded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dropped {
    pub filtered: u64,
    pub invocations: u64,
    pub notifications: u64,
    pub failures: u64,
    pub log: u64,
}

/// Appends `item`; with a `limit`, first lets the oldest tenth go once the list is full
/// (amortised: a list is shifted once per `limit / 10` appends), counting them in `dropped`.
/// With a history limit (the lab), the kept notifications' messages take at most this many
/// bytes in all (the simulator's limit: a page's memory is finite; the oldest go first and are
/// counted), and one message is kept to its first [`NOTIFICATION_CHARS`] characters.
pub const NOTIFICATION_BYTES: usize = 16 << 20;
pub const NOTIFICATION_CHARS: usize = 65_536;

impl Lambda {
    /// Keeps notification `n` as [`keep`] does, and, with a `limit`, within
    /// [`NOTIFICATION_BYTES`] of messages.
    pub(in crate::sim::engine) fn keep_notification(&mut self, mut n: Notification, limit: Option<usize>) {
        if limit.is_some() {
            if n.message.len() > NOTIFICATION_CHARS {
                n.message = crate::support::text::clip(&n.message, NOTIFICATION_CHARS);
            }
            let size = n.message.len();
            let kept = &mut self.notifications;
            let limit = limit.unwrap_or(usize::MAX).max(1);
            // Over the count: the oldest tenth (as `keep` drops); then the oldest that the bytes
            // need dropped.
            let mut k = if kept.len() >= limit { (limit / 10).max(1).min(kept.len()) } else { 0 };
            let mut freed: usize = kept[..k].iter().map(|x| x.message.len()).sum();
            while k < kept.len() && self.notification_bytes.saturating_sub(freed) + size > NOTIFICATION_BYTES {
                freed += kept[k].message.len();
                k += 1;
            }
            kept.drain(..k);
            self.notification_bytes = self.notification_bytes.saturating_sub(freed);
            self.dropped.notifications += k as u64;
            self.notification_bytes += size;
        }
        self.notifications.push(n);
    }
}

pub(in crate::sim::engine) fn keep<T>(list: &mut Vec<T>, item: T, limit: Option<usize>, dropped: &mut u64) {
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
            for v in m.cursors.iter_mut().flat_map(|c| c.vshards.iter_mut()).filter(|v| !v.paused) {
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
            .flat_map(|m| m.cursors.iter().filter(|c| cursor_active(c)).flat_map(|c| c.vshards.iter()))
            .filter_map(|v| match (&v.window, v.next_wake) {
                // A window's final invoke waits for the window's batches to be done.
                (Some(w), n) if v.queue.is_empty() => Some(n.map_or(w.end_ms, |n| n.min(w.end_ms))),
                (_, n) => n,
            })
            .min()
    }
}

/// A shard is read only after its parent is finished (or gone).
pub(in crate::sim::engine) fn cursor_active(c: &Cursor) -> bool {
    !c.waiting
}

impl Mapping {
    /// Marks the cursors whose parent shard's cursor is not finished: after cursors were added
    /// or removed, resized, or one of them finished. One pass, whatever the number of cursors.
    pub(in crate::sim::engine) fn refresh_waiting(&mut self) {
        // The cursors are in shard order: the unfinished ones' numbers come out sorted.
        let mut unfinished: Vec<u128> = self.cursors.iter().filter(|c| !c.is_finished()).map(|c| c.start_seq).collect();
        unfinished.sort_unstable();
        for c in &mut self.cursors {
            c.waiting = c.parent_seq.is_some_and(|p| unfinished.binary_search(&p).is_ok());
        }
    }
}

/// The virtual shard of a record: its partition key's hash modulo ParallelizationFactor, so a
/// key's records stay in order on one virtual shard.
pub(in crate::sim::engine) fn vshard_of(rec: &Record, hash_key: &str, parallelization: u32) -> usize {
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

pub(in crate::sim::engine) fn new_vshard(position: u128, wake: Option<u64>) -> VShard {
    VShard {
        position,
        scan_pos: position,
        queue: VecDeque::new(),
        window_start: None,
        next_wake: wake,
        finished: false,
        window: None,
        paused: false,
    }
}

pub(in crate::sim::engine) fn new_cursor(
    shard: &Shard,
    position: u128,
    parallelization: u32,
    wake: Option<u64>,
) -> Cursor {
    Cursor {
        shard_id: shard.id.clone(),
        start_seq: shard.start_seq,
        parent_seq: shard.parent_seq,
        vshards: (0..parallelization.max(1)).map(|_| new_vshard(position, wake)).collect(),
        waiting: false,
    }
}

/// Changing ParallelizationFactor: every virtual shard restarts from the lowest checkpoint.
pub(in crate::sim::engine) fn resize_vshards(c: &mut Cursor, p: u32) {
    let pos = c.vshards.iter().map(|v| v.position).min().unwrap_or(0);
    let wake = c.vshards.iter().filter_map(|v| v.next_wake).min();
    c.vshards = (0..p.max(1)).map(|_| new_vshard(pos, wake)).collect();
}
