//! Scenario files (`../shared/spec/scenario-format.md`): parsing with precise errors, and a
//! deterministic replay that writes its JSON output as it goes.

use crate::sim::RecordJson;
use crate::sim::{Engine, EngineConfig};
use crate::support::time;
use serde_json::{json, Map, Value};
use std::io::{self, Write};
use std::sync::atomic::Ordering::Relaxed;

/// Every action a scenario step may name.
pub const ACTIONS: &[&str] = &[
    "CreateTable",
    "UpdateTable",
    "DeleteTable",
    "DescribeTable",
    "ListTables",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "GetItem",
    "Query",
    "Scan",
    "BatchWriteItem",
    "TransactWriteItems",
    "UpdateTimeToLive",
    "DescribeTimeToLive",
    "ListStreams",
    "DescribeStream",
    "GetShardIterator",
    "GetRecords",
    "CreateFunction",
    "UpdateFunctionCode",
    "CreateEventSourceMapping",
    "UpdateEventSourceMapping",
    "DeleteEventSourceMapping",
    "AdvanceClock",
];

/// A parsed scenario, ready to replay.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub description: Option<String>,
    pub config: EngineConfig,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub action: String,
    pub body: Value,
}

/// Byte offset → "line L, column C" (1-based).
fn position(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {col}")
}

/// Start offsets of the elements of the top-level `"steps"` array, found by a small scan of the
/// (already valid) JSON text, so errors can point at the offending step.
fn step_offsets(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    let mut in_steps = false;
    let mut expect_elem = false;
    let mut last_key: Option<(usize, usize)> = None;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if in_steps && expect_elem && depth == 2 && !c.is_ascii_whitespace() && c != b']' {
            out.push(i);
            expect_elem = false;
        }
        match c {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                if depth == 1 {
                    last_key = Some((start, i.min(b.len())));
                }
            }
            b'{' | b'[' => {
                depth += 1;
                if depth == 2 && c == b'[' && last_key.is_some_and(|(s, e)| &text[s..e] == "steps") {
                    in_steps = true;
                    expect_elem = true;
                }
            }
            b'}' | b']' => {
                if depth == 2 && in_steps && c == b']' {
                    return out;
                }
                depth = depth.saturating_sub(1);
            }
            b',' if in_steps && depth == 2 => expect_elem = true,
            _ => {}
        }
        i += 1;
    }
    out
}

fn u64_field(obj: &Map<String, Value>, key: &str) -> Result<Option<u64>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| format!("\"{key}\" must be a non-negative integer")),
    }
}

/// The members of a scenario other than its steps: description and engine configuration.
fn header(obj: &Map<String, Value>) -> Result<(Option<String>, EngineConfig), String> {
    let mut config = EngineConfig::default();
    let description = match obj.get("description") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("\"description\" must be a string".into()),
    };
    match obj.get("region") {
        None | Some(Value::Null) => {}
        Some(Value::String(r))
            if !r.is_empty() && r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') =>
        {
            config.region = r.clone()
        }
        Some(_) => return Err("\"region\" must be a region name such as \"us-east-1\"".into()),
    }
    if let Some(seed) = u64_field(obj, "seed")? {
        config.seed = seed;
    }
    match obj.get("startTime") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => {
            config.start_ms = time::parse_iso(s).ok_or_else(|| {
                format!("\"startTime\" must be an ISO-8601 UTC time such as \"2026-01-01T00:00:00Z\", not {s:?}")
            })?
        }
        Some(_) => return Err("\"startTime\" must be a string such as \"2026-01-01T00:00:00Z\"".into()),
    }
    if let Some(sim) = obj.get("simulator") {
        let sim = sim.as_object().ok_or("\"simulator\" must be an object")?;
        if let Some(n) = u64_field(sim, "shardsPerStream")? {
            if !(1..=64).contains(&n) {
                return Err("\"simulator.shardsPerStream\" must be between 1 and 64".into());
            }
            config.shards_per_stream = n as usize;
        }
        if let Some(s) = u64_field(sim, "shardRolloverSeconds")? {
            if s < 1 {
                return Err("\"simulator.shardRolloverSeconds\" must be at least 1".into());
            }
            config.shard_rollover_ms = s.saturating_mul(1000);
        }
        if let Some(s) = u64_field(sim, "ttlDelaySeconds")? {
            config.ttl_delay_ms = s.min(5 * 365 * 86_400).saturating_mul(1000);
        }
    }
    Ok((description, config))
}

/// Parses a scenario file. Errors name the line and column, or the step, of the problem.
pub fn parse(text: &str) -> Result<Scenario, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        format!("not valid JSON at line {}, column {}: {}", e.line(), e.column(), strip_position(&e.to_string()))
    })?;
    let obj = v.as_object().ok_or("a scenario must be a JSON object with a \"steps\" list")?;
    let (description, config) = header(obj)?;
    let steps = obj.get("steps").ok_or("a scenario needs a \"steps\" list")?;
    let steps = steps.as_array().ok_or("\"steps\" must be a list")?;
    let offsets = step_offsets(text);
    let at = |i: usize| offsets.get(i).map(|o| format!(" ({})", position(text, *o))).unwrap_or_default();
    let mut out = Vec::with_capacity(steps.len());
    for (i, s) in steps.iter().enumerate() {
        let o = s
            .as_object()
            .ok_or_else(|| format!("step {i}{}: a step must be an object with one key, the action's name", at(i)))?;
        if o.len() != 1 {
            let keys: Vec<&str> = o.keys().map(String::as_str).collect();
            return Err(format!(
                "step {i}{}: a step must have exactly one key, the action's name; found {} ({})",
                at(i),
                o.len(),
                keys.join(", ")
            ));
        }
        let (action, body) = o.iter().next().ok_or_else(|| format!("step {i}: empty step"))?;
        if !ACTIONS.contains(&action.as_str()) {
            return Err(format!("step {i}{}: unknown action \"{action}\"", at(i)));
        }
        if !body.is_object() {
            return Err(format!("step {i}{}: the body of {action} must be a JSON object", at(i)));
        }
        out.push(Step { action: action.clone(), body: body.clone() });
    }
    Ok(Scenario { description, config, steps: out })
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Writes `value` as compact JSON on one line (the output puts one result, record,
/// invocation, ... per line: readable, diffable, and small for long scenarios).
pub(crate) fn write_line(out: &mut dyn Write, value: &Value) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(io::Error::other)
}

/// Writes `"key": [ elems ]` inside the top-level object, one element per line.
fn write_array<I: Iterator<Item = Value>>(out: &mut dyn Write, key: &str, elems: I, last: bool) -> io::Result<()> {
    write!(out, "  \"{key}\": [")?;
    let mut first = true;
    for e in elems {
        out.write_all(if first { b"\n    " } else { b",\n    " })?;
        write_line(out, &e)?;
        first = false;
    }
    if !first {
        out.write_all(b"\n  ")?;
    }
    writeln!(out, "]{}", if last { "" } else { "," })
}

/// The result entry of one step.
pub fn step_result(i: usize, action: &str, r: &crate::model::Result<Value>) -> Value {
    match r {
        Ok(resp) => json!({"step": i, "action": action, "ok": true, "response": resp}),
        Err(e) => json!({"step": i, "action": action, "ok": false, "error": e.to_json()}),
    }
}

/// The start of step `i`'s result entry, as `write_line` writes `step_result`: `{"step":i,`.
fn write_step(line: &mut Vec<u8>, i: usize) {
    line.extend_from_slice(b"{\"step\":");
    let _ = serde_json::to_writer(&mut *line, &i);
    line.push(b',');
}

/// The rest of a step's result entry, from `"action"` on.
fn write_outcome(line: &mut Vec<u8>, action: &str, r: &crate::model::Result<Value>) {
    line.extend_from_slice(b"\"action\":");
    let _ = serde_json::to_writer(&mut *line, action);
    let _ = match r {
        Ok(resp) => {
            line.extend_from_slice(b",\"ok\":true,\"response\":");
            serde_json::to_writer(&mut *line, resp)
        }
        Err(e) => {
            line.extend_from_slice(b",\"ok\":false,\"error\":");
            serde_json::to_writer(&mut *line, &e.to_json())
        }
    };
    line.push(b'}');
}

/// Replays a scenario, writing the output JSON to `out` as it goes.
pub fn run(s: &Scenario, out: &mut dyn Write) -> io::Result<Engine> {
    let mut engine = Engine::new(EngineConfig { history_limit: None, ..s.config.clone() });
    out.write_all(b"{\n")?;
    let results = s.steps.iter().enumerate().map(|(i, step)| {
        let r = engine.call(&step.action, &step.body);
        step_result(i, &step.action, &r)
    });
    // The iterator borrows the engine mutably; collecting it lazily while writing keeps memory flat.
    write_array(out, "results", results, false)?;
    write_tail(engine, out)
}

/// Everything after `results`: streams, invocations, notifications, aggregates, failures.
fn write_tail(engine: Engine, out: &mut dyn Write) -> io::Result<Engine> {
    let region = engine.cfg.region.clone();
    write!(out, "  \"streams\": [")?;
    for (i, st) in engine.streams().iter().enumerate() {
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        // The stream's members as `Stream::to_output_json` gives them, its records written one
        // per line straight from their images.
        let head = json!({
            "TableName": st.table_name,
            "StreamArn": st.arn,
            "StreamLabel": st.label,
            "StreamViewType": st.view_type.as_str(),
        });
        let head_text = serde_json::to_string(&head).map_err(io::Error::other)?;
        out.write_all(head_text.trim_end_matches('}').as_bytes())?;
        out.write_all(b",\"Records\":[")?;
        let any = write_records(out, &region, st.records_in_order().map(|r| r.json()))?;
        out.write_all(if any { b"\n    ]}" } else { b"]}" })?;
    }
    writeln!(out, "{}],", if engine.streams().is_empty() { "" } else { "\n  " })?;
    write_array(out, "invocations", engine.invocations_output().into_iter(), false)?;
    write_array(out, "notifications", engine.notifications_output().into_iter(), false)?;
    write!(out, "  \"aggregates\": ")?;
    write_line(out, &engine.aggregates_output())?;
    writeln!(out, ",")?;
    write_array(out, "failures", engine.failures_output().into_iter(), true)?;
    out.write_all(b"}\n")?;
    out.flush()?;
    Ok(engine)
}

/// Writes a stream's records, one per line. Returns whether there was any.
fn write_records<'a>(
    out: &mut dyn Write,
    region: &str,
    records: impl Iterator<Item = RecordJson<'a>>,
) -> io::Result<bool> {
    let format = |chunk: &[RecordJson], first: bool, text: &mut Vec<u8>| {
        for (i, r) in chunk.iter().enumerate() {
            text.extend_from_slice(if first && i == 0 { b"\n      " } else { b",\n      " });
            r.write(region, None, text);
        }
    };
    // The web app has no threads (and no code for them: a smaller download).
    if cfg!(target_arch = "wasm32") {
        let (mut any, mut line) = (false, Vec::with_capacity(4096));
        for r in records {
            line.clear();
            format(&[r], !any, &mut line);
            out.write_all(&line)?;
            any = true;
        }
        return Ok(any);
    }
    write_records_on_two_threads(out, records, &format)
}

/// `write_records` on two threads: chunks of records in turn on a helper thread and on this
/// one, written in order (all on this one if the helper cannot be made).
fn write_records_on_two_threads<'a>(
    out: &mut dyn Write,
    records: impl Iterator<Item = RecordJson<'a>>,
    format: &(dyn Fn(&[RecordJson], bool, &mut Vec<u8>) + Sync),
) -> io::Result<bool> {
    const CHUNK: usize = 1024;
    // A chunk, a buffer for its text (reused: sized once, here), and whether it comes first.
    type Job<'a> = (Vec<RecordJson<'a>>, Vec<u8>, bool);
    let job = || (Vec::with_capacity(CHUNK), Vec::with_capacity(CHUNK << 10), false);
    let mut records = records.peekable();
    let any = records.peek().is_some();
    std::thread::scope(|scope| {
        let (to_helper, helper_rx) = std::sync::mpsc::sync_channel::<Job>(1);
        let (helper_tx, from_helper) = std::sync::mpsc::sync_channel::<Job>(1);
        // If it cannot be made, its receiver is dropped and its chunks are formatted here.
        let helper = std::thread::Builder::new().spawn_scoped(scope, move || {
            for (chunk, mut text, first) in helper_rx {
                format(&chunk, first, &mut text);
                if helper_tx.send((chunk, text, first)).is_err() {
                    break;
                }
            }
        });
        let result = (|| -> io::Result<()> {
            let (mut theirs, mut mine) = (job(), job());
            theirs.2 = true;
            loop {
                theirs.0.clear();
                theirs.1.clear();
                theirs.0.extend(records.by_ref().take(CHUNK));
                if theirs.0.is_empty() {
                    return Ok(());
                }
                let sent = to_helper.send(theirs);
                mine.0.clear();
                mine.1.clear();
                mine.0.extend(records.by_ref().take(CHUNK));
                format(&mine.0, false, &mut mine.1);
                theirs = match sent {
                    Ok(()) => from_helper.recv().map_err(|_| io::Error::other("the record writer stopped"))?,
                    Err(std::sync::mpsc::SendError(mut job)) => {
                        format(&job.0, job.2, &mut job.1);
                        job
                    }
                };
                out.write_all(&theirs.1)?;
                out.write_all(&mine.1)?;
                theirs.2 = false;
            }
        })();
        drop(to_helper);
        if let Ok(h) = helper {
            let _ = h.join();
        }
        result
    })?;
    Ok(any)
}

/// Why `replay_streaming` stopped.
#[derive(Debug)]
pub enum ReplayError {
    /// Not a valid scenario: the message `parse` gives.
    Invalid(String),
    /// Reading the file failed.
    Read(io::Error),
    /// Writing the output failed.
    Write(io::Error),
}

/// Replays a scenario read from `open()` exactly as `parse` then `run` would (same output, same
/// errors), without holding the file or its steps in memory: a reader thread reads and checks
/// each step, which this thread runs and drops. Nothing is written before the whole file is
/// known to be a scenario: the results are held (`Held`) until the reader has checked it to
/// its end, or, should they grow past `HELD_MAX`, until a first pass has. Any problem is
/// reported by `parse` itself (the file is then read whole), so the messages cannot drift apart.
pub fn replay_streaming<R: io::Read + Send>(
    open: &dyn Fn() -> io::Result<R>,
    out: &mut dyn Write,
) -> Result<Engine, ReplayError> {
    replay_pass(open, out, None)
}

/// How few batches waiting to run make the reader leave items for the running thread to decode.
const DEFER_BELOW: usize = 2;

/// How much of held results makes `replay_pass` check the file before it runs on.
const HELD_MAX: usize = 16 << 20;

/// The results of steps run before the file is known to be a scenario: each entry from
/// `"action"` on, runs of equal entries kept once (a long scenario repeats a few).
#[derive(Default)]
struct Held {
    text: Vec<u8>,
    /// Each run's end in `text` and its number of steps.
    runs: Vec<(usize, usize)>,
}

impl Held {
    fn push(&mut self, entry: &[u8]) {
        let start = self.runs.len().checked_sub(2).map_or(0, |i| self.runs[i].0);
        if let Some(last) = self.runs.last_mut() {
            if self.text.get(start..last.0) == Some(entry) {
                last.1 += 1;
                return;
            }
        }
        self.text.extend_from_slice(entry);
        self.runs.push((self.text.len(), 1));
    }

    fn size(&self) -> usize {
        self.text.len() + self.runs.len() * std::mem::size_of::<(usize, usize)>()
    }

    /// Writes the results section's start and the held entries, steps numbered from 0.
    fn write(&self, out: &mut dyn Write) -> io::Result<usize> {
        out.write_all(b"{\n  \"results\": [")?;
        let (mut i, mut start, mut line) = (0, 0, Vec::with_capacity(256));
        for &(end, n) in &self.runs {
            for _ in 0..n {
                line.clear();
                line.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
                write_step(&mut line, i);
                line.extend_from_slice(&self.text[start..end]);
                out.write_all(&line)?;
                i += 1;
            }
            start = end;
        }
        Ok(i)
    }
}

/// A top-level member of the file other than `steps`, kept for the header; false if it is not
/// a JSON value or repeats a member (a file `parse` then reports or reads otherwise).
fn member(members: &mut Map<String, Value>, key: String, text: &[u8]) -> bool {
    serde_json::from_slice(text).is_ok_and(|v| members.insert(key, v).is_none())
}

/// The configuration of a file checked whole, from the start, in one pass; `None` if it is not
/// a scenario `replay_pass` can run.
fn check<R: io::Read>(open: &dyn Fn() -> io::Result<R>) -> Result<Option<EngineConfig>, ReplayError> {
    let mut members = Map::new();
    let steps = stream::walk(
        open().map_err(ReplayError::Read)?,
        &mut |t, i| Some((stream::step(t, i)?, ())),
        &mut |key, v, _| match key {
            None => true,
            Some(k) => member(&mut members, k, v),
        },
    )
    .map_err(ReplayError::Read)?;
    Ok(if steps == Some(1) { header(&members).ok().map(|(_, config)| config) } else { None })
}

/// One pass of `replay_streaming`. `known`: the file has been checked and has this
/// configuration; otherwise it is run with the configuration of the members before its steps,
/// and run again should the members after them change it.
fn replay_pass<R: io::Read + Send>(
    open: &dyn Fn() -> io::Result<R>,
    out: &mut dyn Write,
    known: Option<EngineConfig>,
) -> Result<Engine, ReplayError> {
    let new_engine = |config: &EngineConfig| Engine::new(EngineConfig { history_limit: None, ..config.clone() });
    let mut engine = known.as_ref().map(|c| (new_engine(c), c.clone()));
    // `None` once the results are written as they come (the file is known to be a scenario).
    let mut held = if known.is_some() { None } else { Some(Held::default()) };
    if held.is_none() {
        out.write_all(b"{\n  \"results\": [").map_err(ReplayError::Write)?;
    }
    let (mut next, mut line) = (0, Vec::with_capacity(256));
    let src = open().map_err(ReplayError::Read)?;
    // Batches sent and not yet taken. While this thread is about to wait for steps, the reader
    // leaves the items it reads for this one to decode.
    let queued = std::sync::atomic::AtomicUsize::new(0);
    // The steps are read on a second thread, in batches, while this one runs them.
    let (walked, written) = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<stream::Step>>(8);
        // Run batches come back to be freed where they were allocated (cheaper for mimalloc).
        let (done_tx, done_rx) = std::sync::mpsc::channel::<Vec<stream::Step>>();
        // The members before the first step, sent as it is read.
        let (head_tx, head_rx) = std::sync::mpsc::channel::<Map<String, Value>>();
        let queued = &queued;
        let reader = scope.spawn(move || {
            let (mut window, mut scratch, mut batch) = (1024, stream::Scratch::default(), Vec::with_capacity(64));
            let (mut members, mut head_tx) = (Map::new(), Some(head_tx));
            let mut read = |t: &[u8], i| {
                scratch.defer = queued.load(Relaxed) < DEFER_BELOW;
                stream::parse_step(t, i, &mut window, &mut scratch)
            };
            let walked = stream::walk(src, &mut read, &mut |key, v, step| {
                let Some(step) = step else { return key.is_some_and(|k| member(&mut members, k, v)) };
                if let Some(head) = head_tx.take() {
                    let _ = head.send(members.clone());
                }
                batch.push(step);
                if batch.len() < 64 {
                    return true;
                }
                let mut done = done_rx.try_iter().last().unwrap_or_default();
                done.clear();
                queued.fetch_add(1, Relaxed);
                tx.send(std::mem::replace(&mut batch, done)).is_ok()
            });
            queued.fetch_add(1, Relaxed);
            let _ = tx.send(batch);
            walked.map(|w| w.map(|steps| (steps, members)))
        });
        // `Some` if it stops before the end: with the configuration of the file, if checked.
        let written = (|| -> Result<Option<Option<EngineConfig>>, ReplayError> {
            for mut batch in rx {
                queued.fetch_sub(1, Relaxed);
                if engine.is_none() && !batch.is_empty() {
                    match head_rx.recv().ok().and_then(|m| header(&m).ok()) {
                        Some((_, config)) => engine = Some((new_engine(&config), config)),
                        None => return Ok(Some(None)), // not a scenario
                    }
                }
                let Some((engine, config)) = &mut engine else { continue };
                for stream::Step(action, body, item) in &mut batch {
                    line.clear();
                    if held.is_none() {
                        line.extend_from_slice(if next == 0 { b"\n    " } else { b",\n    " });
                        write_step(&mut line, next);
                    }
                    let r = match item.take() {
                        Some(item) => engine.put_item_decoded(body, item.decode()),
                        None => engine.call(action, body),
                    };
                    write_outcome(&mut line, action, &r);
                    next += 1;
                    match &mut held {
                        None => out.write_all(&line).map_err(ReplayError::Write)?,
                        Some(h) => {
                            h.push(&line);
                            if h.size() > HELD_MAX {
                                // Too much to hold: check the file first, as a whole.
                                let checked = check(open)?;
                                if checked.as_ref() != Some(config) {
                                    return Ok(Some(checked));
                                }
                                h.write(out).map_err(ReplayError::Write)?;
                                held = None;
                            }
                        }
                    }
                }
                let _ = done_tx.send(batch);
            }
            Ok(None)
        })();
        (reader.join().unwrap_or(Ok(None)), written)
    });
    let checked = match written? {
        Some(checked) => checked,
        None => match walked.map_err(ReplayError::Read)? {
            Some((1, members)) => header(&members).ok().map(|(_, config)| config),
            _ => None,
        },
    };
    let Some(config) = checked else {
        if held.is_none() {
            return Err(ReplayError::Read(io::Error::other("the file changed while it was replayed")));
        }
        // Invalid: let `parse` find and word the problem (or, should it accept the file, run it).
        let mut text = String::new();
        io::Read::read_to_string(&mut open().map_err(ReplayError::Read)?, &mut text).map_err(ReplayError::Read)?;
        let s = parse(&text).map_err(ReplayError::Invalid)?;
        return run(&s, out).map_err(ReplayError::Write);
    };
    let engine = match engine {
        Some((engine, used)) if used == config => engine,
        _ if held.is_none() => {
            return Err(ReplayError::Read(io::Error::other("the file changed while it was replayed")))
        }
        Some(_) => return replay_pass(open, out, Some(config)), // the members after the steps change how they run
        None => new_engine(&config),
    };
    if let Some(h) = &held {
        h.write(out).map_err(ReplayError::Write)?;
    }
    out.write_all(if next > 0 { b"\n  ],\n" } else { b"],\n" }).map_err(ReplayError::Write)?;
    write_tail(engine, out).map_err(ReplayError::Write)
}

/// The reading of `replay_streaming`, over the file read in 1 MiB blocks: a small checker that
/// accepts exactly the JSON serde_json's `Value` accepts (handing serde_json the rare forms:
/// exponents, very long numbers, escaped surrogates) hands out the top-level members' texts,
/// and each step is built straight from its checked text, exactly as serde_json would
/// (numbers, member order, repeated members), a PutItem's item decoded into an engine item
/// (or left for the running thread to decode, when it is about to wait).
mod stream {
    use super::ACTIONS;
    use crate::model::Result;
    use crate::model::{item_from, Item, Json};
    use serde_json::{Map, Value};
    use std::borrow::Cow;
    use std::io::{self, Read};

    use crate::model::PLAIN;

    /// serde_json's nesting limit: a file nesting deeper is not JSON to it.
    const MAX_DEPTH: usize = 127;

    /// A file read in blocks: `buf[pos..len]` is read and not yet consumed.
    struct Blocks<R> {
        src: R,
        buf: Vec<u8>,
        pos: usize,
        len: usize,
        eof: bool,
    }

    impl<R: Read> Blocks<R> {
        /// Reads more, keeping the unconsumed bytes (the buffer grows when they fill it).
        fn fill(&mut self) -> io::Result<()> {
            self.buf.copy_within(self.pos..self.len, 0);
            self.len -= self.pos;
            self.pos = 0;
            if self.len == self.buf.len() {
                self.buf.resize(self.buf.len() * 2, 0);
            }
            loop {
                match self.src.read(&mut self.buf[self.len..]) {
                    Ok(n) => {
                        self.len += n;
                        self.eof = n == 0;
                        return Ok(());
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }

        /// The next byte that is not JSON whitespace, not consumed; `None` at the end.
        fn peek(&mut self) -> io::Result<Option<u8>> {
            loop {
                if let Some(i) = ws(&self.buf[..self.len], self.pos) {
                    self.pos = i;
                    return Ok(Some(self.buf[i]));
                }
                self.pos = self.len;
                if self.eof {
                    return Ok(None);
                }
                self.fill()?;
            }
        }

        /// Consumes `c` if it comes next (after whitespace).
        fn eat(&mut self, c: u8) -> io::Result<bool> {
            let next = self.peek()? == Some(c);
            self.pos += usize::from(next);
            Ok(next)
        }

        /// The next text that `read` (given the bytes read and where the text starts) finds
        /// complete, and what it makes of it, reading on as needed; `None` when it finds none
        /// before the file ends.
        fn next<T>(
            &mut self,
            mut read: impl FnMut(&[u8], usize) -> Option<(usize, T)>,
        ) -> io::Result<Option<(&[u8], T)>> {
            self.peek()?;
            loop {
                match read(&self.buf[..self.len], self.pos) {
                    // A text that ends where the bytes read end (a number) may go on.
                    Some((e, v)) if e < self.len || self.eof => {
                        let start = std::mem::replace(&mut self.pos, e);
                        return Ok(Some((&self.buf[start..e], v)));
                    }
                    _ if self.eof => return Ok(None),
                    _ => self.fill()?,
                }
            }
        }
    }

    /// Walks a scenario file's top-level object, handing `f` each member's key and value
    /// text, or (key `None`) each step's text and what `step` (given the bytes read and where
    /// the step starts) makes of it. Returns how many `steps` lists there were; `None` if the
    /// file is not JSON of that shape, or `step` found no step, or `f` returned false.
    pub fn walk<R: Read, S>(
        src: R,
        step: &mut dyn FnMut(&[u8], usize) -> Option<(usize, S)>,
        f: &mut dyn FnMut(Option<String>, &[u8], Option<S>) -> bool,
    ) -> io::Result<Option<usize>> {
        let mut r = Blocks { src, buf: vec![0; 1 << 20], pos: 0, len: 0, eof: false };
        let mut steps = 0;
        if !r.eat(b'{')? {
            return Ok(None);
        }
        if !r.eat(b'}')? {
            loop {
                let Some(Ok(key)) =
                    r.next(|t, i| Some((string(t, i)?, ())))?.map(|(k, _)| serde_json::from_slice::<String>(k))
                else {
                    return Ok(None);
                };
                if !r.eat(b':')? {
                    return Ok(None);
                }
                if key == "steps" {
                    steps += 1;
                    if !r.eat(b'[')? {
                        return Ok(None);
                    }
                    if !r.eat(b']')? {
                        loop {
                            let Some((v, s)) = r.next(&mut *step)? else { return Ok(None) };
                            if !f(None, v, Some(s)) {
                                return Ok(None);
                            }
                            if r.eat(b']')? {
                                break;
                            }
                            if !r.eat(b',')? {
                                return Ok(None);
                            }
                        }
                    }
                } else {
                    let Some((v, _)) = r.next(|t, i| Some((value(t, i, 1)?, ())))? else { return Ok(None) };
                    if !f(Some(key), v, None) {
                        return Ok(None);
                    }
                }
                if r.eat(b'}')? {
                    break;
                }
                if !r.eat(b',')? {
                    return Ok(None);
                }
            }
        }
        Ok(r.peek()?.is_none().then_some(steps))
    }

    /// The step at `t[i]`, in a file `walk` has checked, read from a window of the bytes
    /// read that grows until it holds the step (`window` is kept for the next): its end and
    /// the step. `None` if the file has changed since it was checked.
    pub fn parse_step(t: &[u8], i: usize, window: &mut usize, scratch: &mut Scratch) -> Option<(usize, Step)> {
        loop {
            let w = &t[i..t.len().min(i + *window)];
            let text = std::str::from_utf8(w).or_else(|e| std::str::from_utf8(&w[..e.valid_up_to()])).ok()?;
            scratch.members.clear();
            scratch.elems.clear();
            scratch.item = None;
            match build_step(text, scratch) {
                Some((end, step)) => return Some((i + end, step)),
                None if w.len() < t.len() - i => *window *= 2,
                None => return None,
            }
        }
    }

    /// A step's action and body, and for a PutItem whose `Item` is an object, that item (the
    /// body's `Item` is then an empty object).
    pub struct Step(pub String, pub Value, pub Option<PutItem>);

    /// A PutItem's `Item`: decoded, or read (its text and tape) for the thread that runs the
    /// step to decode.
    pub enum PutItem {
        Decoded(Result<Item>),
        Read(String, Vec<Node>),
    }

    impl PutItem {
        /// `item_from` the item's text.
        pub fn decode(self) -> Result<Item> {
            match self {
                PutItem::Decoded(item) => item,
                PutItem::Read(s, tape) => item_from(Recorded { s: &s, tape: &tape, n: 0 }),
            }
        }
    }

    /// The members and elements of the objects and lists `build` is reading, reused; whether
    /// to leave items read.
    #[derive(Default)]
    pub struct Scratch {
        members: Vec<(String, Value)>,
        elems: Vec<Value>,
        /// The PutItem's `Item`, while its body is built, and the tape it is read from.
        item: Option<PutItem>,
        tape: Vec<Node>,
        /// Leave items read, not decoded.
        pub defer: bool,
    }

    /// The depth `build` gives a step's body.
    const BODY: usize = 3;

    fn build_step(s: &str, scratch: &mut Scratch) -> Option<(usize, Step)> {
        let t = s.as_bytes();
        let k = after(t, 0, b'{')?;
        let e = string(t, k)?;
        let action = chars(s, k, e)?;
        let put = action == "PutItem";
        // A known action whose body is an object, as `step` checks.
        let at = after(t, ws(t, e)?, b':').filter(|&b| t[b] == b'{' && ACTIONS.contains(&action.as_str()))?;
        let (e, body) = build(s, at, BODY, put, scratch)?;
        let end = ws(t, e)?;
        (t[end] == b'}').then_some((end + 1, Step(action, body, scratch.item.take())))
    }

    /// The value at `s[i..]`, checked as `value` checks it and built as serde_json builds a
    /// `Value`: its end and the value.
    /// `put`: this is a PutItem's body, whose `Item`, if an object, is decoded into
    /// `scratch.item` instead (the last `Item` counts, as in a `Value`).
    fn build(s: &str, i: usize, depth: usize, put: bool, scratch: &mut Scratch) -> Option<(usize, Value)> {
        let t = s.as_bytes();
        let close = match t.get(i)? {
            b'"' => return string(t, i).and_then(|e| Some((e, Value::String(chars(s, i, e)?)))),
            b'{' => b'}',
            b'[' => b']',
            b't' | b'f' | b'n' => {
                return Some((value(t, i, depth)?, if t[i] == b'n' { Value::Null } else { Value::Bool(t[i] == b't') }))
            }
            _ => return number(t, i).and_then(|e| Some((e, number_value(&s[i..e])?))),
        };
        if depth >= MAX_DEPTH {
            return None;
        }
        let (m0, e0) = (scratch.members.len(), scratch.elems.len());
        let mut i = ws(t, i + 1)?;
        if t[i] != close {
            loop {
                if close == b'}' {
                    let e = string(t, i)?;
                    let key = chars(s, i, e)?;
                    let at = after(t, ws(t, e)?, b':')?;
                    let item = put && key == "Item";
                    let (e, v) = if item && t[at] == b'{' {
                        scratch.tape.clear();
                        let e = read(t, at, depth + 1, &mut scratch.tape)?;
                        scratch.item = Some(if scratch.defer {
                            PutItem::Read(s[..e].to_owned(), scratch.tape.clone())
                        } else {
                            PutItem::Decoded(item_from(Recorded { s, tape: &scratch.tape, n: 0 }))
                        });
                        (e, Value::Object(Map::new()))
                    } else {
                        if item {
                            scratch.item = None;
                        }
                        build(s, at, depth + 1, false, scratch)?
                    };
                    scratch.members.push((key, v));
                    i = ws(t, e)?;
                } else {
                    let (e, v) = build(s, i, depth + 1, false, scratch)?;
                    scratch.elems.push(v);
                    i = ws(t, e)?;
                }
                match t[i] {
                    b',' => i = ws(t, i + 1)?,
                    c if c == close => break,
                    _ => return None,
                }
            }
        }
        let v = if close == b'}' {
            Value::Object(scratch.members.drain(m0..).collect())
        } else {
            Value::Array(scratch.elems.drain(e0..).collect())
        };
        Some((i + 1, v))
    }

    /// The characters of the (checked) JSON string `s[i..e]`.
    fn chars(s: &str, i: usize, e: usize) -> Option<String> {
        unquote(&s[i..e], s[i + 1..e - 1].contains('\\')).map(Cow::into_owned)
    }

    /// The characters of the checked JSON string `s` (quotes included), borrowed when it has
    /// no escape.
    fn unquote(s: &str, escaped: bool) -> Option<Cow<'_, str>> {
        if escaped {
            serde_json::from_str::<String>(s).ok().map(Cow::Owned)
        } else {
            s.get(1..s.len().checked_sub(1)?).map(Cow::Borrowed)
        }
    }

    /// A value of a step's text that `read` has recorded, read as its `Value` would be
    /// (`value::Json`): the text, the tape, and the value's node.
    #[derive(Clone, Copy)]
    struct Recorded<'a> {
        s: &'a str,
        tape: &'a [Node],
        n: usize,
    }

    impl<'a> Recorded<'a> {
        fn first(self) -> u8 {
            self.tape.get(self.n).map_or(0, |n| self.s.as_bytes()[n.at])
        }
        /// The nodes inside this value: `n + 1..next`.
        fn inner(self) -> std::ops::Range<usize> {
            self.n + 1..self.tape.get(self.n).map_or(0, |n| n.next)
        }
        /// The characters of the string at node `n`.
        fn chars(self, n: usize) -> Option<Cow<'a, str>> {
            let node = self.tape.get(n)?;
            let text = self.s.get(node.at..node.end)?;
            if text.starts_with('"') {
                unquote(text, node.escaped)
            } else {
                None
            }
        }
    }

    /// The members of a recorded object, straight from the tape when no name repeats.
    enum Members<'a> {
        Tape(Recorded<'a>, std::ops::Range<usize>),
        Listed(std::vec::IntoIter<(Cow<'a, str>, Recorded<'a>)>),
    }

    impl<'a> Iterator for Members<'a> {
        type Item = (Cow<'a, str>, Recorded<'a>);
        fn next(&mut self) -> Option<Self::Item> {
            match self {
                Members::Tape(r, nodes) => {
                    let name = nodes.next()?;
                    let value = Recorded { n: name + 1, ..*r };
                    nodes.start = value.inner().end;
                    // (a name of checked text always reads)
                    Some((r.chars(name).unwrap_or_default(), value))
                }
                Members::Listed(members) => members.next(),
            }
        }
    }

    /// The elements of a recorded list.
    struct Elements<'a>(Recorded<'a>, std::ops::Range<usize>, usize);

    impl<'a> Iterator for Elements<'a> {
        type Item = Recorded<'a>;
        fn next(&mut self) -> Option<Recorded<'a>> {
            let n = self.1.next()?;
            let value = Recorded { n, ..self.0 };
            self.1.start = value.inner().end;
            self.2 -= 1;
            Some(value)
        }
        fn size_hint(&self) -> (usize, Option<usize>) {
            (self.2, Some(self.2))
        }
    }

    impl ExactSizeIterator for Elements<'_> {}

    impl<'a> Json<'a> for Recorded<'a> {
        type Members = Members<'a>;
        type Elements = Elements<'a>;

        fn members(self) -> Option<Members<'a>> {
            if self.first() != b'{' {
                return None;
            }
            let all = self.inner();
            // No member, or one: its value's nodes reach the end (or there are none).
            if self.tape.get(self.n + 2).is_none_or(|value| value.next >= all.end) {
                return Some(Members::Tape(self, all));
            }
            // Up to 16 names without escapes are compared as texts; others go by `map_order`.
            let mut seen: [&[u8]; 16] = [&[]; 16];
            let mut count = 0;
            let mut nodes = self.inner();
            while let Some(name) = nodes.next() {
                let node = self.tape.get(name)?;
                let text = &self.s.as_bytes()[node.at..node.end];
                if count == 16 || node.escaped || seen[..count].contains(&text) {
                    return Some(Members::Listed(map_order(Members::Tape(self, all).collect()).into_iter()));
                }
                seen[count] = text;
                count += 1;
                nodes.start = Recorded { n: name + 1, ..self }.inner().end;
            }
            Some(Members::Tape(self, all))
        }

        fn elements(self) -> Option<Elements<'a>> {
            if self.first() != b'[' {
                return None;
            }
            let count = Elements(self, self.inner(), usize::MAX).count();
            Some(Elements(self, self.inner(), count))
        }

        fn string(self) -> Option<Cow<'a, str>> {
            self.chars(self.n)
        }

        fn boolean(self) -> Option<bool> {
            match self.first() {
                b't' => Some(true),
                b'f' => Some(false),
                _ => None,
            }
        }

        fn is_null(self) -> bool {
            self.first() == b'n'
        }
    }

    /// Members as serde_json's `Map` keeps them: a repeated name keeps its first place and
    /// takes its last value.
    fn map_order<K: Eq + std::hash::Hash, V>(mut members: Vec<(K, V)>) -> Vec<(K, V)> {
        if members.len() <= 16 {
            let mut i = 1;
            while i < members.len() {
                match members[..i].iter().position(|(k, _)| *k == members[i].0) {
                    Some(j) => members[j].1 = members.remove(i).1,
                    None => i += 1,
                }
            }
            return members;
        }
        // Where each place takes its value from (`None`: a repeat, dropped).
        let mut from: Vec<Option<usize>> = (0..members.len()).map(Some).collect();
        let mut first = std::collections::HashMap::with_capacity(members.len());
        for (i, (k, _)) in members.iter().enumerate() {
            if let Some(&f) = first.get(k) {
                from[f] = Some(i);
                from[i] = None;
            } else {
                first.insert(k, i);
            }
        }
        drop(first);
        let (keys, mut values): (Vec<K>, Vec<Option<V>>) = members.into_iter().map(|(k, v)| (k, Some(v))).unzip();
        keys.into_iter().zip(from).filter_map(|(k, f)| Some((k, values[f?].take()?))).collect()
    }

    /// The (checked) JSON number `n`, as serde_json reads it.
    fn number_value(n: &str) -> Option<Value> {
        if n.len() < 20 && n.bytes().all(|d| d.is_ascii_digit()) {
            Some(Value::from(n.bytes().fold(0u64, |a, d| a * 10 + u64::from(d - b'0'))))
        } else {
            serde_json::from_str(n).ok()
        }
    }

    /// The end of the step at `t[i]`: a JSON object with one member, a known action, whose
    /// value is an object.
    pub fn step(t: &[u8], i: usize) -> Option<usize> {
        let k = after(t, i, b'{')?;
        let i = string(t, k)?;
        let name = &t[k + 1..i - 1];
        let known = if name.contains(&b'\\') {
            serde_json::from_slice::<String>(&t[k..i]).is_ok_and(|a| ACTIONS.contains(&a.as_str()))
        } else {
            ACTIONS.iter().any(|a| a.as_bytes() == name)
        };
        let body = after(t, ws(t, i)?, b':').filter(|&b| known && t[b] == b'{')?;
        let end = ws(t, value(t, body, 3)?)?;
        (t[end] == b'}').then_some(end + 1)
    }

    /// The index of the first byte at or after `i` that is not JSON whitespace (`None` at the end).
    fn ws(t: &[u8], mut i: usize) -> Option<usize> {
        while matches!(t.get(i)?, b' ' | b'\n' | b'\t' | b'\r') {
            i += 1;
        }
        Some(i)
    }

    /// The index of the first byte after `t[i]`, which must be `c`, that is not whitespace.
    fn after(t: &[u8], i: usize, c: u8) -> Option<usize> {
        if *t.get(i)? == c {
            ws(t, i + 1)
        } else {
            None
        }
    }

    /// The end of the JSON value at `t[i]`, inside `depth` lists and objects, if serde_json
    /// would parse it into a `Value`. Rare forms (escaped surrogates, exponents, very long
    /// numbers) are handed to serde_json itself.
    fn value(t: &[u8], i: usize, depth: usize) -> Option<usize> {
        read(t, i, depth, &mut ())
    }

    /// `value`, recording in `tape` each value it reads (and each member's name).
    fn read<T: Tape>(t: &[u8], i: usize, depth: usize, tape: &mut T) -> Option<usize> {
        if t.get(i) == Some(&b'"') {
            return read_string(t, i, tape);
        }
        let node = tape.open(i);
        let close = match t.get(i)? {
            b'{' => b'}',
            b'[' => b']',
            b't' => return tape.close(node, t[i..].starts_with(b"true").then_some(i + 4)?),
            b'f' => return tape.close(node, t[i..].starts_with(b"false").then_some(i + 5)?),
            b'n' => return tape.close(node, t[i..].starts_with(b"null").then_some(i + 4)?),
            _ => return tape.close(node, number(t, i)?),
        };
        if depth >= MAX_DEPTH {
            return None;
        }
        let mut i = ws(t, i + 1)?;
        if t[i] == close {
            return tape.close(node, i + 1);
        }
        loop {
            if close == b'}' {
                i = after(t, ws(t, read_string(t, i, tape)?)?, b':')?;
            }
            i = ws(t, read(t, i, depth + 1, tape)?)?;
            match t[i] {
                b',' => i = ws(t, i + 1)?,
                c if c == close => return tape.close(node, i + 1),
                _ => return None,
            }
        }
    }

    /// The string (a value or a member's name) at `t[i]`, recorded.
    fn read_string<T: Tape>(t: &[u8], i: usize, tape: &mut T) -> Option<usize> {
        let node = tape.open(i);
        let (end, escaped) = escapes(t, i)?;
        if escaped {
            tape.escaped(node);
        }
        tape.close(node, end)
    }

    /// Where `read` records the values it reads: nowhere (`()`), or a list of `Node`s.
    trait Tape {
        /// A value or name starts at `at`: its node.
        fn open(&mut self, _at: usize) -> usize {
            0
        }
        /// The value or name of `node` ends at `end` (returned).
        fn close(&mut self, _node: usize, end: usize) -> Option<usize> {
            Some(end)
        }
        /// The string of `node` has an escape.
        fn escaped(&mut self, _node: usize) {}
    }

    impl Tape for () {}

    /// A value (or a member's name) read by `read`: its text is `at..end`; the nodes of what
    /// it contains follow it, up to `next`. An object's nodes are its members' names and
    /// values, in turn.
    #[derive(Clone, Copy, Default)]
    pub struct Node {
        at: usize,
        end: usize,
        next: usize,
        /// A string with an escape.
        escaped: bool,
    }

    impl Tape for Vec<Node> {
        fn open(&mut self, at: usize) -> usize {
            self.push(Node { at, end: at, next: 0, escaped: false });
            self.len() - 1
        }
        fn escaped(&mut self, node: usize) {
            if let Some(n) = self.get_mut(node) {
                n.escaped = true;
            }
        }
        fn close(&mut self, node: usize, end: usize) -> Option<usize> {
            let next = self.len();
            let n = self.get_mut(node)?;
            (n.end, n.next) = (end, next);
            Some(end)
        }
    }

    /// The end of the JSON string at `t[i]` (after its closing quote), if it is valid.
    fn string(t: &[u8], i: usize) -> Option<usize> {
        escapes(t, i).map(|(e, _)| e)
    }

    /// `string`, and whether the string has an escape.
    fn escapes(t: &[u8], i: usize) -> Option<(usize, bool)> {
        if t.get(i) != Some(&b'"') {
            return None;
        }
        let (mut j, mut ascii, mut surrogate, mut escaped) = (i + 1, true, false, false);
        loop {
            while PLAIN[usize::from(*t.get(j)?)] {
                j += 1;
            }
            let c = t[j];
            j += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    match *t.get(j)? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                        b'u' => {
                            let hex = t.get(j + 1..j + 5).filter(|h| h.iter().all(u8::is_ascii_hexdigit))?;
                            surrogate |= hex[0].eq_ignore_ascii_case(&b'd') && !matches!(hex[1], b'0'..=b'7');
                            j += 4;
                        }
                        _ => return None,
                    }
                    j += 1;
                }
                0..=0x1f => return None,
                _ => ascii = false,
            }
        }
        let ok = if surrogate {
            serde_json::from_slice::<String>(&t[i..j]).is_ok()
        } else {
            ascii || std::str::from_utf8(&t[i..j]).is_ok()
        };
        ok.then_some((j, escaped))
    }

    /// The end of the JSON number at `t[i]`, if serde_json takes it (not out of range).
    fn number(t: &[u8], i: usize) -> Option<usize> {
        let digits = |mut j: usize| {
            while t.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
            j
        };
        let mut j = i + usize::from(t[i] == b'-');
        j = match t.get(j)? {
            b'0' => j + 1,
            b'1'..=b'9' => digits(j + 1),
            _ => return None,
        };
        if t.get(j) == Some(&b'.') {
            j = Some(digits(j + 1)).filter(|&e| e > j + 1)?;
        }
        let exponent = matches!(t.get(j), Some(b'e' | b'E'));
        if exponent {
            j += 1 + usize::from(matches!(t.get(j + 1), Some(b'+' | b'-')));
            j = Some(digits(j)).filter(|&e| e > j)?;
        }
        // Whether a number with an exponent or very many digits is in range is serde_json's call.
        (!exponent && j - i < 300 || serde_json::from_slice::<Value>(&t[i..j]).is_ok()).then_some(j)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        /// A PutItem's item, decoded where it is read or left read for the thread that runs
        /// it (`Scratch::defer`), is the same: `item_from_json` of its `Value`, or its error.
        #[test]
        fn an_item_decodes_the_same_where_it_is_read_or_later() {
            for item in [
                r#"{"pk": {"S": "a"}, "n": {"N": "1.50"}, "m": {"M": {"x": {"L": [{"NULL": true}, {"SS": ["b", "a"]}]}}}, "pk": {"S": "b"}}"#,
                r#"{"p\u006b": {"S": "\u00e9"}, "pk": {"BOOL": false}}"#,
                r#"{"pk": {"S": "a"}, "bad": {"S": 1}}"#,
                r#"{}"#,
            ] {
                let text = format!(r#"{{"PutItem": {{"TableName": "Tbl", "Item": {item}}}}}"#);
                let expected = crate::model::item_from_json(&serde_json::from_str(item).unwrap());
                for defer in [false, true] {
                    let mut scratch = Scratch { defer, ..Scratch::default() };
                    let Some((end, Step(action, body, Some(read)))) =
                        parse_step(text.as_bytes(), 0, &mut 64, &mut scratch)
                    else {
                        panic!("{text} reads as a PutItem with an item")
                    };
                    assert_eq!((end, action.as_str(), &body["Item"]), (text.len(), "PutItem", &serde_json::json!({})));
                    assert_eq!(matches!(read, PutItem::Read(..)), defer);
                    assert_eq!(read.decode(), expected, "{item}, deferred: {defer}");
                }
            }
        }
    }
}

/// Parses and replays a scenario text, returning the output as JSON (for tests and the UI).
pub fn replay(text: &str) -> Result<Value, String> {
    let s = parse(text)?;
    let mut buf = Vec::new();
    run(&s, &mut buf).map_err(|e| e.to_string())?;
    serde_json::from_slice(&buf).map_err(|e| format!("internal error: replay output is not JSON: {e}"))
}
