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
    Ok((description, config))
}

/// Parses a scenario file. Errors name the line and column, or the step, of the problem.
pub fn parse(text: &str) -> Result<Scenario, String> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| format!("not valid JSON at line {}, column {}: {}", e.line(), e.column(), strip_position(&e.to_string())))?;
    let obj = v.as_object().ok_or("a scenario must be a JSON object with a \"steps\" list")?;
    let (description, config) = header(obj)?;
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
pub fn step_result(i: usize, action: &str, r: &crate::error::Result<Value>) -> Value {
    match r {
        Ok(resp) => json!({"step": i, "action": action, "ok": true, "response": resp}),
        Err(e) => json!({"step": i, "action": action, "ok": false, "error": e.to_json()}),
    }
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
    let mut line = Vec::with_capacity(4096);
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
        let mut first = true;
        for r in st.records_in_order() {
            line.clear();
            line.extend_from_slice(if first { b"\n      " } else { b",\n      " });
            r.write_json(&region, None, &mut line);
            out.write_all(&line)?;
            first = false;
        }
        out.write_all(if first { b"]}" } else { b"\n    ]}" })?;
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
/// errors), without holding the file or its steps in memory: a first pass checks the whole
/// file, keeping nothing but its small top-level members; a second pass parses each step,
/// runs it, writes its result and drops it. Any problem found by the first pass is reported by
/// `parse` itself (the file is then read whole), so the messages cannot drift apart.
pub fn replay_streaming<R: io::Read>(open: &dyn Fn() -> io::Result<R>, out: &mut dyn Write) -> Result<Engine, ReplayError> {
    let checked = {
        let mut de = serde_json::Deserializer::from_reader(io::BufReader::with_capacity(1 << 20, open().map_err(ReplayError::Read)?));
        serde::Deserializer::deserialize_map(&mut de, stream::Check).and_then(|r| de.end().map(|_| r))
    };
    let header = match checked {
        Ok(Some(members)) => header(&members).ok(),
        _ => None,
    };
    let Some((_, config)) = header else {
        // Invalid: let `parse` find and word the problem (or, should it accept the file, run it).
        let mut text = String::new();
        io::Read::read_to_string(&mut open().map_err(ReplayError::Read)?, &mut text).map_err(ReplayError::Read)?;
        let s = parse(&text).map_err(ReplayError::Invalid)?;
        return run(&s, out).map_err(ReplayError::Write);
    };
    let engine = Engine::new(EngineConfig { history_limit: None, ..config });
    let mut runner = stream::Runner { engine, out, next: 0, error: None };
    runner.out.write_all(b"{\n  \"results\": [").map_err(ReplayError::Write)?;
    let mut de = serde_json::Deserializer::from_reader(io::BufReader::with_capacity(1 << 20, open().map_err(ReplayError::Read)?));
    if let Err(e) = serde::Deserializer::deserialize_map(&mut de, &mut runner) {
        return Err(match runner.error.take() {
            Some(w) => ReplayError::Write(w),
            None => ReplayError::Read(io::Error::other(format!("the file changed while it was replayed: {e}"))),
        });
    }
    let stream::Runner { engine, out, next, .. } = runner;
    out.write_all(if next > 0 { b"\n  ],\n" } else { b"],\n" }).map_err(ReplayError::Write)?;
    write_tail(engine, out).map_err(ReplayError::Write)
}

/// Serde visitors of `replay_streaming`.
mod stream {
    use super::{step_result, write_line, ACTIONS};
    use crate::engine::Engine;
    use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Value};
    use std::fmt;
    use std::io::{self, Write};

    /// First pass: `Some(top-level members but steps)` when the file is a valid scenario as far
    /// as its shape goes (exactly one `steps` list of one-key objects naming known actions with
    /// object bodies, no repeated member); `None` when `parse` must look at it.
    pub struct Check;

    impl<'de> Visitor<'de> for Check {
        type Value = Option<Map<String, Value>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a scenario object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            let mut members = Map::new();
            let (mut steps, mut ok) = (0, true);
            while let Some(k) = m.next_key::<String>()? {
                if k == "steps" {
                    steps += 1;
                    ok &= m.next_value_seed(CheckSteps)?;
                } else {
                    let v: Value = m.next_value()?;
                    ok &= members.insert(k, v).is_none();
                }
            }
            Ok((ok && steps == 1).then_some(members))
        }
    }

    struct CheckSteps;

    /// The scalar cases of a checking visitor: never what the scenario format wants there.
    macro_rules! scalars_are_not_it {
        () => {
            fn visit_bool<E>(self, _: bool) -> Result<bool, E> { Ok(false) }
            fn visit_i64<E>(self, _: i64) -> Result<bool, E> { Ok(false) }
            fn visit_u64<E>(self, _: u64) -> Result<bool, E> { Ok(false) }
            fn visit_f64<E>(self, _: f64) -> Result<bool, E> { Ok(false) }
            fn visit_str<E>(self, _: &str) -> Result<bool, E> { Ok(false) }
            fn visit_unit<E>(self) -> Result<bool, E> { Ok(false) }
        };
    }

    impl<'de> DeserializeSeed<'de> for CheckSteps {
        type Value = bool;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for CheckSteps {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of steps")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<bool, A::Error> {
            let mut ok = true;
            while let Some(step_ok) = s.next_element_seed(CheckStep)? {
                ok &= step_ok;
            }
            Ok(ok)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<bool, A::Error> {
            while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(false)
        }
        scalars_are_not_it!();
    }

    /// One step: an object with one member, a known action, whose value is an object.
    struct CheckStep;

    impl<'de> DeserializeSeed<'de> for CheckStep {
        type Value = bool;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for CheckStep {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a step")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<bool, A::Error> {
            let mut n = 0;
            let mut ok = true;
            while let Some(k) = m.next_key::<String>()? {
                n += 1;
                ok &= ACTIONS.contains(&k.as_str());
                ok &= m.next_value_seed(IsObject)?;
            }
            Ok(ok && n == 1)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<bool, A::Error> {
            while s.next_element::<IgnoredAny>()?.is_some() {}
            Ok(false)
        }
        scalars_are_not_it!();
    }

    struct IsObject;

    impl<'de> DeserializeSeed<'de> for IsObject {
        type Value = bool;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for IsObject {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<bool, A::Error> {
            while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(true)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<bool, A::Error> {
            while s.next_element::<IgnoredAny>()?.is_some() {}
            Ok(false)
        }
        scalars_are_not_it!();
    }

    /// Second pass: runs each step as it is read and writes its result entry.
    pub struct Runner<'o> {
        pub engine: Engine,
        pub out: &'o mut dyn Write,
        pub next: usize,
        pub error: Option<io::Error>,
    }

    impl Runner<'_> {
        fn step<E: de::Error>(&mut self, action: &str, body: &Value) -> Result<(), E> {
            let r = self.engine.call(action, body);
            let entry = step_result(self.next, action, &r);
            let sep: &[u8] = if self.next == 0 { b"\n    " } else { b",\n    " };
            self.next += 1;
            let written = self.out.write_all(sep).and_then(|_| write_line(self.out, &entry));
            written.map_err(|e| {
                self.error = Some(e);
                E::custom("output error")
            })
        }
    }

    impl<'de> Visitor<'de> for &mut Runner<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a scenario object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<(), A::Error> {
            while let Some(k) = m.next_key::<String>()? {
                if k == "steps" {
                    m.next_value_seed(RunSteps(&mut *self))?;
                } else {
                    m.next_value::<IgnoredAny>()?;
                }
            }
            Ok(())
        }
    }

    struct RunSteps<'r, 'o>(&'r mut Runner<'o>);

    impl<'de> DeserializeSeed<'de> for RunSteps<'_, '_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    impl<'de> Visitor<'de> for RunSteps<'_, '_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of steps")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<(), A::Error> {
            while s.next_element_seed(RunStep(&mut *self.0))?.is_some() {}
            Ok(())
        }
    }

    struct RunStep<'r, 'o>(&'r mut Runner<'o>);

    impl<'de> DeserializeSeed<'de> for RunStep<'_, '_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for RunStep<'_, '_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a step")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<(), A::Error> {
            while let Some((action, body)) = m.next_entry::<String, Value>()? {
                self.0.step::<A::Error>(&action, &body)?;
            }
            Ok(())
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
