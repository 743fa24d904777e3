//! Reading a scenario file: the header (`seed`, `startTime`, `region`, `simulator`) and the
//! steps, with the line and column (or the step index) of the first problem.

use crate::sim::Operation;

use crate::sim::EngineConfig;
use crate::support::time;
use serde_json::{Map, Value};
use std::fmt;

/// A parsed scenario, ready to replay.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub description: Option<String>,
    pub config: EngineConfig,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub action: Operation,
    pub body: Value,
}

/// Why a text is not a scenario. Its `Display` is the message `streamlab replay` prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScenarioError {
    /// Not JSON: where serde_json stopped reading (1-based), and why.
    Json { line: usize, column: usize, message: String },
    /// JSON, but the file's shape or a header member (`description`, `seed`, `startTime`,
    /// `region`, `simulator`) is wrong.
    Invalid(String),
    /// A step is wrong: its index, where it starts in the text when known, and what is wrong.
    Step { index: usize, at: Option<Position>, problem: String },
}

/// A place in a text: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Json { line, column, message } => {
                write!(f, "not valid JSON at line {line}, column {column}: {message}")
            }
            ScenarioError::Invalid(message) => f.write_str(message),
            ScenarioError::Step { index, at: Some(p), problem } => {
                write!(f, "step {index} (line {}, column {}): {problem}", p.line, p.column)
            }
            ScenarioError::Step { index, at: None, problem } => write!(f, "step {index}: {problem}"),
        }
    }
}

impl std::error::Error for ScenarioError {}

impl From<String> for ScenarioError {
    fn from(message: String) -> Self {
        ScenarioError::Invalid(message)
    }
}

impl From<&str> for ScenarioError {
    fn from(message: &str) -> Self {
        ScenarioError::Invalid(message.to_string())
    }
}

/// Byte offset → line and column (1-based).
pub(super) fn position(text: &str, offset: usize) -> Position {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Position { line, column }
}

/// Start offsets of the elements of the top-level `"steps"` array, found by a small scan of the
/// (already valid) JSON text, so errors can point at the offending step.
pub(super) fn step_offsets(text: &str) -> Vec<usize> {
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

/// The first member name repeated within one object of a (valid) JSON text: where the repeat
/// starts, and the name. JSON parsers keep the last of the two silently; a scenario that says
/// two things must not have one of them ignored.
pub(super) fn duplicate_key(text: &str) -> Option<(usize, String)> {
    let b = text.as_bytes();
    // One entry per open list or object; an object's names so far, and whether a name is next.
    let mut stack: Vec<Option<(std::collections::BTreeSet<String>, bool)>> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i;
                i += 1;
                let mut escaped = false;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        escaped = true;
                        i += 1;
                    }
                    i += 1;
                }
                if let Some(Some((names, expect_name))) = stack.last_mut() {
                    if *expect_name {
                        *expect_name = false;
                        let raw = text.get(start..=i.min(b.len() - 1))?;
                        let name = if escaped {
                            serde_json::from_str::<String>(raw).ok()?
                        } else {
                            raw[1..raw.len() - 1].to_string()
                        };
                        if names.contains(&name) {
                            return Some((start, name));
                        }
                        names.insert(name);
                    }
                }
            }
            b'{' => stack.push(Some((Default::default(), true))),
            b'[' => stack.push(None),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(Some((_, expect_name))) = stack.last_mut() {
                    *expect_name = true;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The shortest shard roll-over period a scenario may ask for (the simulator's limit: a stream
/// keeps a day of closed shards, 25 per open shard at most, and each event looks at them).
pub const MIN_ROLLOVER_SECONDS: u64 = 3600;

pub(super) fn u64_field(obj: &Map<String, Value>, key: &str) -> Result<Option<u64>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| format!("\"{key}\" must be a non-negative integer")),
    }
}

/// The members of a scenario other than its steps: description and engine configuration.
pub(super) fn header(obj: &Map<String, Value>) -> Result<(Option<String>, EngineConfig), String> {
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
            if s < MIN_ROLLOVER_SECONDS {
                return Err(format!(
                    "\"simulator.shardRolloverSeconds\" must be at least {MIN_ROLLOVER_SECONDS} (one hour), not {s}: \
                     the simulator's limit, which keeps the shards a stream holds to a day's worth; AWS rolls shards \
                     over about every 4 hours"
                ));
            }
            config.shard_rollover_ms = s.saturating_mul(1000);
        }
        if let Some(s) = u64_field(sim, "ttlDelaySeconds")? {
            config.ttl_delay_ms = s.min(5 * 365 * 86_400).saturating_mul(1000);
        }
        match sim.get("explainFilters") {
            None | Some(Value::Null) => {}
            Some(Value::Bool(b)) => config.explain_filters = *b,
            Some(_) => return Err("\"simulator.explainFilters\" must be true or false".into()),
        }
        match sim.get("loopGuard") {
            None => {}
            Some(Value::Null) => config.loop_guard = None,
            Some(v) => match v.as_u64().filter(|n| (1..=1_000_000_000).contains(n)) {
                Some(n) => config.loop_guard = Some(n as u32),
                None => {
                    return Err(
                        "\"simulator.loopGuard\" must be a whole number from 1 to 1000000000, or null to turn the simulator's loop guard off".into(),
                    )
                }
            },
        }
    }
    Ok((description, config))
}

/// A file's bytes as text; if they are not UTF-8, says where the first bad byte is.
pub fn text_of(bytes: Vec<u8>) -> Result<String, ScenarioError> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let before = std::str::from_utf8(&e.as_bytes()[..at]).unwrap_or_default();
        let Position { line, column } = position(before, at);
        ScenarioError::Invalid(format!(
            "the file is not UTF-8 text: the byte at offset {at} (line {line}, column {column}) is 0x{:02x}, \
             which cannot be there in UTF-8",
            e.as_bytes()[at]
        ))
    })
}

/// Parses a scenario file. Errors name the line and column, or the step, of the problem.
pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    let v: Value = serde_json::from_str(text).map_err(|e| ScenarioError::Json {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    if let Some((at, name)) = duplicate_key(text) {
        let Position { line, column } = position(text, at);
        let name = crate::support::text::clip(&name, 100);
        return Err(ScenarioError::Json {
            line,
            column,
            message: format!("the member \"{name}\" appears twice in the same object (which one was meant?)"),
        });
    }
    let obj = v.as_object().ok_or("a scenario must be a JSON object with a \"steps\" list")?;
    let (description, config) = header(obj)?;
    let steps = obj.get("steps").ok_or("a scenario needs a \"steps\" list")?;
    let steps = steps.as_array().ok_or("\"steps\" must be a list")?;
    let offsets = step_offsets(text);
    let step = |index: usize, problem: String| ScenarioError::Step {
        index,
        at: offsets.get(index).map(|o| position(text, *o)),
        problem,
    };
    let mut out = Vec::with_capacity(steps.len());
    for (i, s) in steps.iter().enumerate() {
        let o =
            s.as_object().ok_or_else(|| step(i, "a step must be an object with one key, the action's name".into()))?;
        if o.len() != 1 {
            let keys: Vec<&str> = o.keys().map(String::as_str).collect();
            return Err(step(
                i,
                format!("a step must have exactly one key, the action's name; found {} ({})", o.len(), keys.join(", ")),
            ));
        }
        let (action, body) =
            o.iter().next().ok_or_else(|| ScenarioError::Step { index: i, at: None, problem: "empty step".into() })?;
        let Some(op) = Operation::parse(action).filter(|op| op.in_scenarios()) else {
            return Err(step(i, format!("unknown action \"{action}\"")));
        };
        if !body.is_object() {
            return Err(step(i, format!("the body of {action} must be a JSON object")));
        }
        out.push(Step { action: op, body: body.clone() });
    }
    Ok(Scenario { description, config, steps: out })
}

pub(super) fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}
