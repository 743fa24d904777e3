//! Lessons: a scenario plus narrated steps (`www/lessons/<id>.json`; schema in
//! `docs/teaching.md`).
//!
//! Each step says how far the lesson's scenario has run by then (`runUntil`, the index of the
//! last scenario step replayed, -1 for none), so the page shows a step by replaying the scenario
//! up to that point; stepping back or forward is replaying to the previous or next point (the
//! engine is deterministic). A step may ask a predict-then-reveal question: it is asked with
//! the state of the previous step on screen, and the answer is revealed with this step's state.
//! After the last step comes the playground: the whole scenario replayed, and the learner free.
//!
//! `parse` checks everything and names the step and field of the first problem. It never
//! panics, whatever the text.

use crate::scenario::{self, Scenario};
use crate::teach::session::{self, Session};
use serde_json::{Map, Value};

/// The lesson format this version reads (`"format": 1`).
pub const FORMAT: u64 = 1;
/// Most narrated steps in one lesson (shipped lessons keep to 4–8).
pub const MAX_STEPS: usize = 12;
pub const MAX_OPTIONS: usize = 6;
/// Largest lesson file read.
pub const MAX_BYTES: usize = 512 * 1024;
/// Panels a step may ask the page to bring forward.
pub const FOCUS: &[&str] =
    &["table", "stream", "flow", "invocations", "notifications", "aggregates", "failures", "costs"];

#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// The file name without `.json`: `[a-z0-9-]`, 1–64 characters.
    pub id: String,
    pub title: String,
    pub summary: String,
    /// `"basics"` or `"deeper"`.
    pub level: String,
    /// Sections of docs/aws-behaviour.md the lesson rests on, e.g. "§1.3".
    pub spec: Vec<String>,
    pub scenario: Scenario,
    /// The scenario exactly as written in the file (for export and `streamlab replay`).
    pub scenario_json: Value,
    /// Scenario steps that fail on purpose, with the AWS error type they fail with.
    pub expected_errors: Vec<ExpectedError>,
    pub steps: Vec<LessonStep>,
    pub playground: Playground,
    /// Goals, duration and AWS documentation sources (`level` is the field above).
    pub meta: crate::teach::file::Meta,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExpectedError {
    pub step: usize,
    pub error_type: String,
    pub why: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LessonStep {
    pub title: String,
    pub text: String,
    /// What to watch for on screen once the step has run.
    pub watch: Vec<String>,
    /// Index of the last scenario step replayed by this point; None = nothing run yet.
    pub run_until: Option<usize>,
    /// A panel the page should bring forward (one of [`FOCUS`]).
    pub focus: Option<String>,
    pub question: Option<Prediction>,
}

/// A predict-then-reveal question.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    pub prompt: String,
    pub options: Vec<String>,
    pub answer: usize,
    pub explanation: String,
    /// What the engine must show once the answer is revealed, checked by [`verify`].
    pub check: Option<Check>,
}

/// A question's answer as facts the engine can check, comparing the lab when the question is
/// asked with the lab when the answer is revealed (`docs/teaching.md`, "check"). Every fact
/// given must hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Check {
    /// Counts below are of this function's invocations only.
    pub function: Option<String>,
    /// Invocations made between the question and the answer.
    pub new_invocations: Option<usize>,
    /// Stream records written between the question and the answer (every stream).
    pub new_records: Option<usize>,
    /// Notifications posted between the question and the answer.
    pub new_notifications: Option<usize>,
    /// Records the table's latest stream holds when the answer is revealed.
    pub stream_records: Option<(String, usize)>,
    /// How many invocations so far carried the record with these keys.
    pub invocations_with: Option<(Value, usize)>,
    /// Aggregates' values when the answer is revealed (these groups; others may exist).
    pub aggregates: Option<Map<String, Value>>,
    /// Whether the table holds an item with these keys when the answer is revealed.
    pub item: Option<(String, Value, bool)>,
    /// The records (keys and event name) delivered by the invocations made between the question
    /// and the answer, in any order.
    pub delivered: Option<Vec<(Value, String)>>,
    /// The records (keys) those invocations reported as failed in a partial batch response.
    pub reported: Option<Vec<Value>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Playground {
    pub text: String,
    /// Things to try, one line each.
    pub ideas: Vec<String>,
}

impl Lesson {
    /// The scenario cut after its first `n` steps.
    pub fn scenario_prefix(&self, n: usize) -> Scenario {
        let mut s = self.scenario.clone();
        s.steps.truncate(n);
        s
    }

    /// How many scenario steps have run at lesson step `i` (clamped to the last step).
    pub fn steps_run_at(&self, i: usize) -> usize {
        match self.steps.get(i.min(self.steps.len().saturating_sub(1))).and_then(|s| s.run_until) {
            Some(k) => k + 1,
            None => 0,
        }
    }

    /// How many scenario steps have run when the question of lesson step `i` is asked: those of
    /// the step before it.
    pub fn steps_run_before(&self, i: usize) -> usize {
        if i == 0 {
            0
        } else {
            self.steps_run_at(i - 1)
        }
    }

    /// The lab as it is at lesson step `i`: the scenario replayed up to its `runUntil`. Like a
    /// link or a file, within the simulator's budgets (`LOAD_WORK_BUDGET`, `LOAD_BYTES_BUDGET`).
    pub fn session_at(&self, i: usize) -> Result<Session, LoadError> {
        Session::from_scenario_budgeted(&self.scenario_prefix(self.steps_run_at(i)))
    }

    /// The lab while the question of lesson step `i` is open: the scenario replayed as far as
    /// the step before (`steps_run_before(i)`); the answer is revealed with [`Self::session_at`].
    pub fn session_before(&self, i: usize) -> Result<Session, LoadError> {
        Session::from_scenario_budgeted(&self.scenario_prefix(self.steps_run_before(i)))
    }

    /// The playground: the whole scenario replayed, for the learner to carry on.
    pub fn playground_session(&self) -> Result<Session, LoadError> {
        Session::from_scenario_budgeted(&self.scenario)
    }
}

use crate::teach::file::*;
use crate::teach::session::LoadError;

const TOP_FIELDS: &[&str] = &[
    "format",
    "id",
    "title",
    "summary",
    "level",
    "spec",
    "scenario",
    "expectedErrors",
    "steps",
    "playground",
    "goals",
    "duration",
    "sources",
];
const STEP_FIELDS: &[&str] = &["title", "text", "watch", "runUntil", "focus", "question"];
const QUESTION_FIELDS: &[&str] = &["prompt", "options", "answer", "explanation", "check"];
const CHECK_FIELDS: &[&str] = &[
    "function",
    "newInvocations",
    "newRecords",
    "newNotifications",
    "streamRecords",
    "invocationsWith",
    "aggregates",
    "item",
    "delivered",
    "reported",
];

/// Parses and checks a lesson file.
pub fn parse(text: &str) -> Result<Lesson, FileError> {
    let v = read_json(text, "the lesson file", MAX_BYTES)?;
    from_json(&v).map_err(FileError::Invalid)
}

fn from_json(v: &Value) -> Result<Lesson, String> {
    let top = object(v, "a lesson")?;
    only(top, TOP_FIELDS, "")?;
    match top.get("format").and_then(Value::as_u64) {
        Some(FORMAT) => {}
        Some(n) => {
            return Err(format!("field \"format\" is {n}; this version of StreamLab reads lesson format {FORMAT}"))
        }
        None => return Err(format!("field \"format\" must be {FORMAT}")),
    }
    let id = name(top, "id", "")?;
    let title = string(top, "title", "")?;
    let summary = string(top, "summary", "")?;
    let level = string(top, "level", "")?;
    if level != "basics" && level != "deeper" {
        return Err("field \"level\" must be \"basics\" or \"deeper\"".into());
    }
    let spec = strings(top, "spec", "", false)?;
    let scenario_json = top.get("scenario").cloned().ok_or("field \"scenario\" is missing")?;
    if !scenario_json.is_object() {
        return Err("field \"scenario\" must be a scenario object (see scenario-format.md)".into());
    }
    let scenario = scenario::parse(&scenario_json.to_string()).map_err(|e| format!("field \"scenario\": {e}"))?;
    if scenario.steps.len() > session::MAX_STEPS {
        return Err(format!("field \"scenario\": at most {} steps", session::MAX_STEPS));
    }
    let n = scenario.steps.len();

    let mut expected_errors = Vec::new();
    if let Some(e) = top.get("expectedErrors") {
        let list = e.as_array().ok_or("field \"expectedErrors\" must be a list")?;
        for (i, item) in list.iter().enumerate() {
            let at = format!("expectedErrors item {i}: ");
            let o = object(item, &format!("expectedErrors item {i}"))?;
            only(o, &["step", "type", "why"], &at)?;
            let step = index(o, "step", &at, n).map_err(|e| e.replace("options", "scenario steps"))?;
            let error_type = string(o, "type", &at)?;
            let why = string(o, "why", &at)?;
            if expected_errors.iter().any(|x: &ExpectedError| x.step == step) {
                return Err(format!("{at}scenario step {step} is listed twice"));
            }
            expected_errors.push(ExpectedError { step, error_type, why });
        }
    }

    let list = top.get("steps").ok_or("field \"steps\" is missing")?;
    let list = list.as_array().ok_or("field \"steps\" must be a list")?;
    if list.is_empty() || list.len() > MAX_STEPS {
        return Err(format!("field \"steps\" must have 1 to {MAX_STEPS} steps; it has {}", list.len()));
    }
    let mut steps = Vec::with_capacity(list.len());
    let mut last_run: Option<usize> = None;
    for (i, sv) in list.iter().enumerate() {
        let label = sv
            .get("title")
            .and_then(Value::as_str)
            .map(|t| format!(" (\"{}\")", t.chars().take(40).collect::<String>()));
        let at = format!("step {i}{}: ", label.unwrap_or_default());
        let o = object(sv, &format!("step {i}"))?;
        only(o, STEP_FIELDS, &at)?;
        let title = string(o, "title", &at)?;
        let text = string(o, "text", &at)?;
        let watch = strings(o, "watch", &at, true)?;
        let run_until = match o.get("runUntil") {
            None => {
                return Err(format!(
                    "{at}field \"runUntil\" is missing (the index of the last scenario step run by now, or -1)"
                ))
            }
            Some(v) => match (v.as_i64(), v.as_u64()) {
                (Some(-1), _) => None,
                (_, Some(k)) if (k as usize) < n && k < u32::MAX as u64 => Some(k as usize),
                (_, Some(k)) => {
                    return Err(format!(
                        "{at}field \"runUntil\" is {k}, but the scenario has only {n} steps (0 to {})",
                        n.saturating_sub(1)
                    ))
                }
                _ => {
                    return Err(format!(
                        "{at}field \"runUntil\" must be a scenario step index (0 to {}) or -1",
                        n.saturating_sub(1)
                    ))
                }
            },
        };
        if run_until < last_run {
            return Err(format!(
                "{at}field \"runUntil\" goes back (from {} to {}); steps must move forward through the scenario",
                fmt_run(last_run),
                fmt_run(run_until)
            ));
        }
        last_run = run_until;
        let focus = opt_string(o, "focus", &at)?;
        if let Some(f) = &focus {
            if !FOCUS.contains(&f.as_str()) {
                return Err(format!("{at}field \"focus\" must be one of: {}", FOCUS.join(", ")));
            }
        }
        let question = match o.get("question") {
            None | Some(Value::Null) => None,
            Some(q) => Some(prediction(q, &format!("{at}question: "))?),
        };
        steps.push(LessonStep { title, text, watch, run_until, focus, question });
    }

    let pg = top.get("playground").ok_or("field \"playground\" is missing")?;
    let pg = object(pg, "field \"playground\"")?;
    only(pg, &["text", "ideas"], "playground: ")?;
    let playground =
        Playground { text: string(pg, "text", "playground: ")?, ideas: strings(pg, "ideas", "playground: ", false)? };
    let meta = crate::teach::file::meta(top, false)?;
    Ok(Lesson { id, title, summary, level, spec, scenario, scenario_json, expected_errors, steps, playground, meta })
}

/// Parses `www/lessons/index.json`: `{"format": 1, "lessons": [{"id", "title", "level"}]}`.
pub fn parse_index(text: &str) -> Result<Vec<IndexEntry>, FileError> {
    parse_index_of(text, "lessons", &["id", "title", "level", "duration"])
}

fn fmt_run(r: Option<usize>) -> String {
    r.map_or("-1".into(), |k| k.to_string())
}

fn prediction(v: &Value, at: &str) -> Result<Prediction, String> {
    let o: &Map<String, Value> = v.as_object().ok_or_else(|| format!("{at}must be an object"))?;
    only(o, QUESTION_FIELDS, at)?;
    let prompt = string(o, "prompt", at)?;
    let options = strings(o, "options", at, true)?;
    if options.len() < 2 || options.len() > MAX_OPTIONS {
        return Err(format!("{at}field \"options\" must have 2 to {MAX_OPTIONS} options"));
    }
    let answer = index(o, "answer", at, options.len())?;
    let explanation = string(o, "explanation", at)?;
    let check = match o.get("check") {
        None => None,
        Some(c) => Some(check(c, &format!("{at}check: "))?),
    };
    Ok(Prediction { prompt, options, answer, explanation, check })
}

fn count(o: &Map<String, Value>, key: &str, at: &str) -> Result<Option<usize>, String> {
    match o.get(key) {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .filter(|n| *n < 1_000_000)
            .map(|n| Some(n as usize))
            .ok_or_else(|| format!("{at}field \"{key}\" must be a whole number")),
    }
}

fn check(v: &Value, at: &str) -> Result<Check, String> {
    let o = object(v, &format!("{at}the check"))?;
    only(o, CHECK_FIELDS, at)?;
    if o.is_empty() {
        return Err(format!("{at}names nothing to check"));
    }
    let keyed = |key: &str, inner: &[&str]| -> Result<Option<&Map<String, Value>>, String> {
        match o.get(key) {
            None => Ok(None),
            Some(v) => {
                let m = object(v, &format!("{at}field \"{key}\""))?;
                only(m, inner, &format!("{at}{key}: "))?;
                Ok(Some(m))
            }
        }
    };
    let keys_of = |m: &Map<String, Value>, what: &str| -> Result<Value, String> {
        let k = m.get("keys").ok_or_else(|| format!("{at}{what}: field \"keys\" is missing"))?;
        crate::model::item_from_json(k).map_err(|e| format!("{at}{what}: field \"keys\": {}", e.message))?;
        Ok(k.clone())
    };
    let stream_records = match keyed("streamRecords", &["table", "count"])? {
        None => None,
        Some(m) => Some((
            string(m, "table", at)?,
            count(m, "count", at)?.ok_or(format!("{at}streamRecords: field \"count\" is missing"))?,
        )),
    };
    let invocations_with = match keyed("invocationsWith", &["keys", "count"])? {
        None => None,
        Some(m) => Some((
            keys_of(m, "invocationsWith")?,
            count(m, "count", at)?.ok_or(format!("{at}invocationsWith: field \"count\" is missing"))?,
        )),
    };
    let item = match keyed("item", &["table", "keys", "exists"])? {
        None => None,
        Some(m) => {
            let exists = m
                .get("exists")
                .and_then(Value::as_bool)
                .ok_or(format!("{at}item: field \"exists\" must be true or false"))?;
            Some((string(m, "table", at)?, keys_of(m, "item")?, exists))
        }
    };
    let aggregates = match o.get("aggregates") {
        None => None,
        Some(v) => {
            let m = object(v, &format!("{at}field \"aggregates\""))?;
            for (name, groups) in m {
                let g = object(groups, &format!("{at}aggregates.{name}"))?;
                if g.values().any(|n| !n.is_number()) {
                    return Err(format!("{at}aggregates.{name}: every group's value must be a number"));
                }
            }
            Some(m.clone())
        }
    };
    let delivered = match o.get("delivered") {
        None => None,
        Some(v) => {
            let list = v.as_array().ok_or(format!("{at}field \"delivered\" must be a list"))?;
            let mut out = Vec::new();
            for (i, r) in list.iter().enumerate() {
                let what = format!("delivered item {i}");
                let m = object(r, &format!("{at}{what}"))?;
                only(m, &["keys", "eventName"], &format!("{at}{what}: "))?;
                let event = string(m, "eventName", at)?;
                if !["INSERT", "MODIFY", "REMOVE"].contains(&event.as_str()) {
                    return Err(format!("{at}{what}: eventName must be INSERT, MODIFY or REMOVE"));
                }
                out.push((keys_of(m, &what)?, event));
            }
            Some(out)
        }
    };
    let reported = match o.get("reported") {
        None => None,
        Some(v) => {
            let list = v.as_array().ok_or(format!("{at}field \"reported\" must be a list"))?;
            let mut out = Vec::new();
            for (i, r) in list.iter().enumerate() {
                let what = format!("reported item {i}");
                let m = object(r, &format!("{at}{what}"))?;
                only(m, &["keys"], &format!("{at}{what}: "))?;
                out.push(keys_of(m, &what)?);
            }
            Some(out)
        }
    };
    Ok(Check {
        reported,
        function: match o.get("function") {
            None => None,
            Some(_) => Some(string(o, "function", at)?),
        },
        new_invocations: count(o, "newInvocations", at)?,
        new_records: count(o, "newRecords", at)?,
        new_notifications: count(o, "newNotifications", at)?,
        stream_records,
        invocations_with,
        aggregates,
        item,
        delivered,
    })
}

/// Checks a lesson against the engine, as quiz answers are (`quiz::verify`): every question's
/// `check`, on the lab as it is when the question is asked and when its answer is revealed;
/// and every rule of every function the scenario maps to a stream must handle a record by the
/// end (a lesson whose rule never fires tells learners something false).
pub fn verify(lesson: &Lesson) -> Result<(), FileError> {
    verify_metered(lesson, &mut 0, u64::MAX).map_err(|e| match e {
        Unchecked::Wrong(e) => e,
        Unchecked::From(what) => FileError::Invalid(format!("not checked from {what} on")),
    })
}

/// Why [`verify_metered`] gave no verdict of "right".
#[derive(Debug)]
pub enum Unchecked {
    /// What the engine contradicts (or could not replay).
    Wrong(FileError),
    /// The work spent passed the limit before this part (a step, the playground) was checked.
    From(String),
}

/// [`verify`], adding the work of each replay to `spent`, and stopping before a replay once
/// `spent` is past `limit`.
pub fn verify_metered(lesson: &Lesson, spent: &mut u64, limit: u64) -> Result<(), Unchecked> {
    let fail = |at: String, why: String| Unchecked::Wrong(FileError::Contradicted(format!("{at}{why}")));
    let run = |s: Result<Session, LoadError>, spent: &mut u64| {
        if let Ok(s) = &s {
            *spent = spent.saturating_add(s.engine().work().units());
        }
        s
    };
    for (i, step) in lesson.steps.iter().enumerate() {
        let Some(Prediction { check: Some(c), .. }) = &step.question else { continue };
        if *spent > limit {
            return Err(Unchecked::From(format!("step {}", i + 1)));
        }
        let at = format!("step {i} (\"{}\"), question check: ", step.title);
        let before = run(lesson.session_before(i), spent).map_err(|e| fail(at.clone(), e.to_string()))?;
        let after = run(lesson.session_at(i), spent).map_err(|e| fail(at.clone(), e.to_string()))?;
        check_states(c, before.engine(), after.engine()).map_err(|why| fail(at, why))?;
    }
    if *spent > limit {
        return Err(Unchecked::From("the playground".into()));
    }
    let end = run(lesson.playground_session(), spent).map_err(|e| fail("the playground: ".into(), e.to_string()))?;
    let lambda = end.engine().lambda();
    for m in &lambda.mappings {
        let Some(f) = lambda.functions.get(&m.function) else { continue };
        for i in 0..f.program.rule_count() {
            if f.fired.get(i).copied().unwrap_or(0) == 0 {
                return Err(fail(
                    "the scenario: ".into(),
                    format!(
                        "rule {} of the function {} (as its code stands at the end) never handles a record",
                        i + 1,
                        m.function
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// `c` against the engine when the question is asked (`before`) and answered (`after`).
fn check_states(c: &Check, before: &crate::sim::Engine, after: &crate::sim::Engine) -> Result<(), String> {
    let of_function = |inv: &&Value| c.function.as_deref().is_none_or(|f| inv["FunctionName"] == f);
    let (inv_before, inv_after) = (before.invocations_output(), after.invocations_output());
    let new_invs: Vec<&Value> = inv_after.iter().skip(inv_before.len()).filter(of_function).collect();
    let records = |e: &crate::sim::Engine| -> usize {
        e.streams_output().as_array().map_or(0, |s| s.iter().map(|s| s["Records"].as_array().map_or(0, Vec::len)).sum())
    };
    let mut wrong = Vec::new();
    let mut expect = |what: &str, want: usize, got: usize| {
        if want != got {
            wrong.push(format!("{what}: the lesson says {want}, the engine made {got}"));
        }
    };
    if let Some(n) = c.new_invocations {
        expect("new invocations", n, new_invs.len());
    }
    if let Some(n) = c.new_records {
        expect("new stream records", n, records(after).saturating_sub(records(before)));
    }
    if let Some(n) = c.new_notifications {
        let (b, a) = (before.notifications_output().len(), after.notifications_output().len());
        expect("new notifications", n, a.saturating_sub(b));
    }
    if let Some((table, n)) = &c.stream_records {
        let out = after.streams_output();
        let held = out
            .as_array()
            .and_then(|s| s.iter().rfind(|s| s["TableName"] == table.as_str()))
            .and_then(|s| s["Records"].as_array())
            .map_or(0, Vec::len);
        expect(&format!("records in {table}'s stream"), *n, held);
    }
    if let Some((keys, n)) = &c.invocations_with {
        let carried = inv_after
            .iter()
            .filter(of_function)
            .filter(|inv| {
                inv["Event"]["Records"].as_array().is_some_and(|rs| rs.iter().any(|r| &r["dynamodb"]["Keys"] == keys))
            })
            .count();
        expect(&format!("invocations carrying {keys}"), *n, carried);
    }
    if let Some(want) = &c.aggregates {
        let got = after.aggregates_output();
        for (name, groups) in want {
            for (group, value) in groups.as_object().into_iter().flatten() {
                let have = &got[name.as_str()][group.as_str()];
                if have.as_f64() != value.as_f64() {
                    wrong.push(format!("aggregate {name}[{group}]: the lesson says {value}, the engine has {have}"));
                }
            }
        }
    }
    if let Some((table, keys, exists)) = &c.item {
        let found = after.table(table).is_some_and(|t| {
            t.items.values().any(|item| {
                let json = crate::model::item_to_json(item);
                keys.as_object().is_some_and(|k| k.iter().all(|(name, v)| &json[name.as_str()] == v))
            })
        });
        if found != *exists {
            wrong.push(format!(
                "the item {keys} in {table}: the lesson says it {}, the engine says it {}",
                if *exists { "exists" } else { "does not exist" },
                if found { "does" } else { "does not" }
            ));
        }
    }
    if let Some(want) = &c.delivered {
        let mut got: Vec<(Value, String)> = new_invs
            .iter()
            .flat_map(|inv| inv["Event"]["Records"].as_array().cloned().unwrap_or_default())
            .map(|r| (r["dynamodb"]["Keys"].clone(), r["eventName"].as_str().unwrap_or("").to_string()))
            .collect();
        let mut want = want.clone();
        let key = |p: &(Value, String)| format!("{} {}", p.1, p.0);
        got.sort_by_key(key);
        got.dedup();
        want.sort_by_key(key);
        if got != want {
            let show = |l: &[(Value, String)]| l.iter().map(key).collect::<Vec<_>>().join(", ");
            wrong.push(format!(
                "records delivered: the lesson says [{}], the engine delivered [{}]",
                show(&want),
                show(&got)
            ));
        }
    }
    if let Some(want) = &c.reported {
        let mut got: Vec<String> = Vec::new();
        for inv in &new_invs {
            let records = inv["Event"]["Records"].as_array().cloned().unwrap_or_default();
            for f in inv["BatchItemFailures"].as_array().into_iter().flatten() {
                let id = &f["itemIdentifier"];
                match records.iter().find(|r| &r["dynamodb"]["SequenceNumber"] == id) {
                    Some(r) => got.push(r["dynamodb"]["Keys"].to_string()),
                    None => got.push(format!("{id} (no record of the batch)")),
                }
            }
        }
        let mut want: Vec<String> = want.iter().map(Value::to_string).collect();
        got.sort();
        want.sort();
        if got != want {
            wrong.push(format!(
                "records reported failed: the lesson says [{}], the engine reported [{}]",
                want.join(", "),
                got.join(", ")
            ));
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Value {
        json!({
            "format": 1, "id": "tiny", "title": "Tiny", "summary": "A tiny lesson.", "level": "basics",
            "scenario": {"steps": [
                {"CreateTable": {"TableName": "Tiny", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                    "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
                    "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}}},
                {"PutItem": {"TableName": "Tiny", "Item": {"id": {"S": "a"}}}},
                {"PutItem": {"TableName": "Tiny", "Item": {"id": {"S": "b"}}}}
            ]},
            "steps": [
                {"title": "Start", "text": "Nothing yet.", "watch": ["the empty table"], "runUntil": 0},
                {"title": "Write", "text": "Two writes.", "watch": ["two INSERT records"], "runUntil": 2, "focus": "stream",
                 "question": {"prompt": "How many records?", "options": ["1", "2"], "answer": 1, "explanation": "One per write."}}
            ],
            "playground": {"text": "Go on.", "ideas": ["delete a"]}
        })
    }

    fn err(v: &Value) -> String {
        parse(&v.to_string()).unwrap_err().to_string()
    }

    #[test]
    fn a_lesson_replays_to_each_step() {
        let l = parse(&sample().to_string()).unwrap();
        assert_eq!(l.steps.len(), 2);
        assert_eq!(l.steps_run_at(0), 1);
        assert_eq!(l.steps_run_before(1), 1);
        let recs = |s: &Session| s.engine().streams_output()[0]["Records"].as_array().map_or(0, |a| a.len());
        assert_eq!(recs(&l.session_at(0).unwrap()), 0);
        assert_eq!(recs(&l.session_at(1).unwrap()), 2);
        assert_eq!(l.playground_session().unwrap().steps().len(), 3);
        assert_eq!(recs(&l.session_before(1).unwrap()), 0, "the question is asked before the writes");
        assert_eq!(l.session_before(1).unwrap().steps().len(), 1);
        assert_eq!(l.session_before(0).unwrap().steps().len(), 0);
    }

    #[test]
    fn errors_name_the_step_and_field() {
        let mut v = sample();
        v["steps"][1]["runUntil"] = json!(7);
        let e = err(&v);
        assert!(e.contains("step 1 (\"Write\")") && e.contains("runUntil") && e.contains("only 3 steps"), "{e}");
        let mut v = sample();
        v["steps"][1]["runUntil"] = json!(-1);
        assert!(err(&v).contains("goes back"));
        let mut v = sample();
        v["steps"][1]["question"]["answer"] = json!(2);
        let e = err(&v);
        assert!(e.contains("step 1") && e.contains("question") && e.contains("\"answer\""), "{e}");
        let mut v = sample();
        v["steps"][0]["watch"] = json!([]);
        assert!(err(&v).contains("\"watch\" must not be empty"));
        let mut v = sample();
        v["steps"][0]["tilte"] = json!("x");
        assert!(err(&v).contains("unknown field \"tilte\""));
        let mut v = sample();
        v["id"] = json!("../x");
        assert!(err(&v).contains("\"id\""));
        let mut v = sample();
        v["scenario"]["steps"][1] = json!({"Nope": {}});
        let e = err(&v);
        assert!(e.contains("field \"scenario\"") && e.contains("unknown action"), "{e}");
        let mut v = sample();
        v["format"] = json!(2);
        assert!(err(&v).contains("format"));
        let mut v = sample();
        v["steps"][0]["focus"] = json!("sidebar");
        assert!(err(&v).contains("\"focus\""));
        let mut v = sample();
        v["expectedErrors"] = json!([{"step": 9, "type": "X", "why": "y"}]);
        assert!(err(&v).contains("expectedErrors item 0"));
        assert!(parse("[]").unwrap_err().to_string().contains("JSON object"));
        assert!(parse("{").unwrap_err().to_string().contains("line 1"));
    }
}
