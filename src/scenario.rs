//! Scenario files (`../shared/spec/scenario-format.md`): parsing with precise errors, and a
//! deterministic replay that writes its JSON output as it goes.

use crate::engine::{Engine, EngineConfig};
use crate::time;
use serde_json::{json, Map, Value};
use std::io::{self, Write};

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

/// Parses a scenario file. Errors name the line and column, or the step, of the problem.
pub fn parse(text: &str) -> Result<Scenario, String> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| format!("not valid JSON at line {}, column {}: {}", e.line(), e.column(), strip_position(&e.to_string())))?;
    let obj = v.as_object().ok_or("a scenario must be a JSON object with a \"steps\" list")?;
    let mut config = EngineConfig::default();
    let description = match obj.get("description") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("\"description\" must be a string".into()),
    };
    match obj.get("region") {
        None | Some(Value::Null) => {}
        Some(Value::String(r)) if !r.is_empty() && r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') => {
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
            config.start_ms = time::parse_iso(s)
                .ok_or_else(|| format!("\"startTime\" must be an ISO-8601 UTC time such as \"2026-01-01T00:00:00Z\", not {s:?}"))?
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
    let steps = obj.get("steps").ok_or("a scenario needs a \"steps\" list")?;
    let steps = steps.as_array().ok_or("\"steps\" must be a list")?;
    let offsets = step_offsets(text);
    let at = |i: usize| offsets.get(i).map(|o| format!(" ({})", position(text, *o))).unwrap_or_default();
    let mut out = Vec::with_capacity(steps.len());
    for (i, s) in steps.iter().enumerate() {
        let o = s.as_object().ok_or_else(|| format!("step {i}{}: a step must be an object with one key, the action's name", at(i)))?;
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

/// Writes `value` pretty-printed, every line after the first indented by `indent` spaces.
fn write_indented(out: &mut dyn Write, value: &Value, indent: usize) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    write_indented_text(out, &text, indent)
}

/// Writes `"key": [ elems ]` inside the top-level object.
fn write_array<I: Iterator<Item = Value>>(out: &mut dyn Write, key: &str, elems: I, last: bool) -> io::Result<()> {
    write!(out, "  \"{key}\": [")?;
    let mut first = true;
    for e in elems {
        out.write_all(if first { b"\n    " } else { b",\n    " })?;
        write_indented(out, &e, 4)?;
        first = false;
    }
    if !first {
        out.write_all(b"\n  ")?;
    }
    writeln!(out, "]{}", if last { "" } else { "," })
}

/// The result entry of one step.
pub fn step_result(i: usize, action: &str, r: &crate::error::Result<Value>) -> Value {
    match r {
        Ok(resp) => json!({"step": i, "action": action, "ok": true, "response": resp}),
        Err(e) => json!({"step": i, "action": action, "ok": false, "error": e.to_json()}),
    }
}

/// Replays a scenario, writing the output JSON to `out` as it goes.
pub fn run(s: &Scenario, out: &mut dyn Write) -> io::Result<Engine> {
    let mut engine = Engine::new(s.config.clone());
    out.write_all(b"{\n")?;
    let results = s.steps.iter().enumerate().map(|(i, step)| {
        let r = engine.call(&step.action, &step.body);
        step_result(i, &step.action, &r)
    });
    // The iterator borrows the engine mutably; collecting it lazily while writing keeps memory flat.
    write_array(out, "results", results, false)?;
    let region = engine.cfg.region.clone();
    write!(out, "  \"streams\": [")?;
    for (i, st) in engine.streams().iter().enumerate() {
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        let mut head = st.to_output_json(&region);
        // Write the records one by one rather than building them all at once.
        head.as_object_mut().map(|m| m.remove("Records"));
        let head_text = serde_json::to_string_pretty(&head).map_err(io::Error::other)?;
        let head_text = head_text.trim_end_matches('}').trim_end();
        write_indented_text(out, head_text, 4)?;
        out.write_all(b",\n      \"Records\": [")?;
        let mut first = true;
        for r in st.records_in_order() {
            out.write_all(if first { b"\n        " } else { b",\n        " })?;
            write_indented(out, &r.to_json(&region, None), 8)?;
            first = false;
        }
        out.write_all(if first { b"]\n    }" } else { b"\n      ]\n    }" })?;
    }
    writeln!(out, "{}],", if engine.streams().is_empty() { "" } else { "\n  " })?;
    write_array(out, "invocations", engine.invocations_output().into_iter(), false)?;
    write_array(out, "notifications", engine.notifications_output().into_iter(), false)?;
    write!(out, "  \"aggregates\": ")?;
    write_indented(out, &engine.aggregates_output(), 2)?;
    writeln!(out, ",")?;
    write_array(out, "failures", engine.failures_output().into_iter(), true)?;
    out.write_all(b"}\n")?;
    out.flush()?;
    Ok(engine)
}

fn write_indented_text(out: &mut dyn Write, text: &str, indent: usize) -> io::Result<()> {
    let pad = " ".repeat(indent);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            writeln!(out)?;
            out.write_all(pad.as_bytes())?;
        }
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// Parses and replays a scenario text, returning the output as JSON (for tests and the UI).
pub fn replay(text: &str) -> Result<Value, String> {
    let s = parse(text)?;
    let mut buf = Vec::new();
    run(&s, &mut buf).map_err(|e| e.to_string())?;
    serde_json::from_slice(&buf).map_err(|e| format!("internal error: replay output is not JSON: {e}"))
}
