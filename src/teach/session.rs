//! A learner's session: the scenario of everything they did, and the engine it produced.
//!
//! Every successful action is appended as a scenario step, so the session can be exported as a
//! scenario file, stored, shared, and stepped back by replaying all but the last step (the
//! engine is deterministic, so the replay reproduces the state exactly). Failed actions change
//! nothing in the engine and are not recorded.

use crate::model::{AwsError, Result};
use crate::scenario::{self, Scenario, ScenarioError, Step};
use crate::sim::Operation;
use crate::sim::{Engine, EngineConfig};
use crate::support::time;
use serde_json::{json, Value};

/// Version of the stored session format (`SessionFile`); bump when it changes incompatibly.
pub const STORAGE_VERSION: u64 = 1;

/// Limits that keep the page responsive whatever is loaded or pasted.
pub const MAX_STEPS: usize = 20_000;
/// The work ([`crate::sim::Work::units`]) a scenario from a link or a file may take to load in
/// the page: the simulator's own limit (AWS has none), a quarter of a second in the page and
/// about a second with the CPU slowed 4×, so that no link or file can freeze the tab.
/// `streamlab replay` has no such limit.
pub const LOAD_WORK_BUDGET: u64 = 8_000_000;
/// The item data ([`crate::sim::Work::bytes`]: each write's new item, by DynamoDB's size rule) a
/// scenario from a link or a file may write while it loads in the page: the simulator's own
/// memory limit (AWS has none), since the table and its stream records keep up to this much.
/// 32 MB load in about 0.05 s natively, 0.25 s in the page and under a second with the CPU
/// slowed 4×; a 2 MB file of updates to a 320 KB item would otherwise write 3.6 GB, more than
/// the page's WebAssembly memory can hold.
pub const LOAD_BYTES_BUDGET: u64 = 32 * 1024 * 1024;
pub const MAX_INPUT_BYTES: usize = 2 * 1024 * 1024;

/// Why a session could not be made from a scenario, a file or the browser's storage. Its
/// `Display` is the sentence the page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// The scenario has more steps than the lab keeps.
    TooManySteps { steps: usize },
    /// The text is larger than the lab reads.
    TooLarge { bytes: usize },
    /// The text is not a scenario.
    Scenario(ScenarioError),
    /// Saved data that is not JSON.
    Unreadable(String),
    /// Saved data of another storage format version.
    OtherVersion(u64),
    /// Saved data that is not a StreamLab session (no version, or no scenario).
    NotASession { has_version: bool },
    /// Loading stopped at `step` (counted from 1) of `steps`: it passed [`LOAD_WORK_BUDGET`].
    TooMuchWork { step: usize, steps: usize },
    /// Loading stopped at `step` (counted from 1) of `steps`: it passed [`LOAD_BYTES_BUDGET`].
    TooMuchData { step: usize, steps: usize },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::TooManySteps { steps } => {
                write!(f, "this scenario has {steps} steps; the lab keeps at most {MAX_STEPS}")
            }
            LoadError::TooLarge { bytes } => {
                write!(f, "the file is {bytes} bytes; the lab reads at most {MAX_INPUT_BYTES}")
            }
            LoadError::Scenario(e) => write!(f, "{e}"),
            LoadError::Unreadable(why) => write!(f, "the saved session is not readable: {why}"),
            LoadError::OtherVersion(v) => write!(
                f,
                "the saved session is of format {v}; this version of StreamLab reads format {STORAGE_VERSION}"
            ),
            LoadError::NotASession { has_version: false } => f.write_str("the saved data is not a StreamLab session"),
            LoadError::NotASession { has_version: true } => f.write_str("the saved session has no scenario"),
            LoadError::TooMuchWork { step, steps } => write!(
                f,
                "replaying it takes more work than the page does at once ({} million units of simulation work: \
                 events, and the shards, pollers and records each touches; the simulator's limit, so that the tab \
                 never freezes, not AWS's), and it was stopped at step {step} of {steps}; nothing was changed. \
                 `streamlab replay` runs it whole",
                LOAD_WORK_BUDGET / 1_000_000
            ),
            LoadError::TooMuchData { step, steps } => write!(
                f,
                "replaying it writes more item data than the page keeps ({} MB of items, counted by DynamoDB's \
                 item-size rule, each write's new item once: the table and its stream records keep them in the \
                 page's memory; the simulator's limit, so that the tab never runs out of memory, not AWS's), and \
                 it was stopped at step {step} of {steps}; nothing was changed. `streamlab replay` runs it whole",
                LOAD_BYTES_BUDGET / (1024 * 1024)
            ),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<ScenarioError> for LoadError {
    fn from(e: ScenarioError) -> Self {
        LoadError::Scenario(e)
    }
}

pub struct Session {
    description: Option<String>,
    config: EngineConfig,
    steps: Vec<Step>,
    engine: Engine,
    /// Bytes of the steps as the scenario file writes them (kept up to date on every step).
    steps_bytes: usize,
    /// Where each of the learner's recent actions began ([`Session::mark`]), so that "Step back"
    /// undoes one action: a burst of writes, or one press of "Step" whose clock advance merged
    /// into the step before it, and not more or less.
    marks: Vec<Mark>,
    /// The steps of the loaded scenario that failed (each changed nothing and was dropped): its
    /// step number (from 1), action and error.
    failed: Vec<(usize, Operation, AwsError)>,
}

/// The session as an action found it: its number of steps, and the seconds of its last step
/// when that is a clock advance (a later advance merges into it).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Mark {
    steps: usize,
    advance: Option<f64>,
}

/// Marks kept: "Step back" can undo this many actions one at a time (then a step at a time).
const MAX_MARKS: usize = 1_000;

/// Bytes of one step as `{"Action": body}` in compact JSON (written by the same serializer as
/// the steps' text: one writer type in the page, not two).
fn step_bytes(step: &Step) -> usize {
    step.action.as_str().len() + 6 + step.body.to_string().len()
}

impl Session {
    pub fn new(config: EngineConfig) -> Session {
        Session {
            description: None,
            engine: Engine::new(config.clone()),
            config,
            steps: Vec::new(),
            steps_bytes: 0,
            marks: Vec::new(),
            failed: Vec::new(),
        }
    }

    /// Replays a scenario into a new session. Failing steps are dropped (they changed nothing).
    pub fn from_scenario(s: &Scenario) -> std::result::Result<Session, LoadError> {
        Session::from_scenario_within(s, None)
    }

    /// `from_scenario` within the budgets of a link or a file ([`LOAD_WORK_BUDGET`],
    /// [`LOAD_BYTES_BUDGET`]): a lesson's scenario, which the page replays as it shows a step.
    pub fn from_scenario_budgeted(s: &Scenario) -> std::result::Result<Session, LoadError> {
        Session::from_scenario_within(s, Some(LOAD_WORK_BUDGET))
    }

    /// `from_scenario`, given up (with [`LoadError::TooMuchWork`]) once the work done passes
    /// `budget`.
    fn from_scenario_within(s: &Scenario, budget: Option<u64>) -> std::result::Result<Session, LoadError> {
        if s.steps.len() > MAX_STEPS {
            return Err(LoadError::TooManySteps { steps: s.steps.len() });
        }
        let mut session = Session::new(s.config.clone());
        session.description = s.description.clone();
        session.engine.set_work_budget(budget);
        session.engine.set_byte_budget(budget.map(|_| LOAD_BYTES_BUDGET));
        for (i, step) in s.steps.iter().enumerate() {
            if let Err(e) = session.apply(step.action, &step.body) {
                session.failed.push((i + 1, step.action, e));
            }
            if session.engine.over_work_budget() {
                return Err(LoadError::TooMuchWork { step: i + 1, steps: s.steps.len() });
            }
            if session.engine.over_byte_budget() {
                return Err(LoadError::TooMuchData { step: i + 1, steps: s.steps.len() });
            }
        }
        session.engine.set_work_budget(None);
        session.engine.set_byte_budget(None);
        Ok(session)
    }

    /// Parses a scenario file's text (a link's, a file's) and replays it, within
    /// [`LOAD_WORK_BUDGET`].
    pub fn from_scenario_text(text: &str) -> std::result::Result<Session, LoadError> {
        Session::from_text_within(text, Some(LOAD_WORK_BUDGET))
    }

    fn from_text_within(text: &str, budget: Option<u64>) -> std::result::Result<Session, LoadError> {
        if text.len() > MAX_INPUT_BYTES {
            return Err(LoadError::TooLarge { bytes: text.len() });
        }
        Session::from_scenario_within(&scenario::parse(text)?, budget)
    }

    /// The steps of the scenario this session was loaded from that failed and were dropped
    /// (step number from 1, action, error), as `streamlab replay` reports them.
    pub fn failed_steps(&self) -> &[(usize, Operation, AwsError)] {
        &self.failed
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Runs one action; on success it becomes the session's next step.
    pub fn apply(&mut self, action: Operation, body: &Value) -> Result<Value> {
        self.apply_owned(action, body.clone())
    }

    /// [`Session::apply`] for a request the caller no longer needs: it is kept as the step
    /// without a copy.
    pub fn apply_owned(&mut self, action: Operation, body: Value) -> Result<Value> {
        if self.steps.len() >= MAX_STEPS {
            return Err(AwsError::validation(format!(
                "This session already has {MAX_STEPS} steps (the lab's limit, not AWS's); export it, or start a new one"
            )));
        }
        let r = self.engine.call_op(action, &body)?;
        // Consecutive clock advances merge into one step, so playing the clock keeps the
        // scenario short; never past what one AdvanceClock may ask for, or the saved and
        // exported lab would hold a step that cannot be replayed (and lose the time).
        let max = (crate::sim::MAX_ADVANCE_MS / 1000) as f64;
        match (action, self.steps.last_mut()) {
            (Operation::AdvanceClock, Some(last))
                if last.action == Operation::AdvanceClock && seconds(&last.body) + seconds(&body) <= max =>
            {
                last.body = json!({"Seconds": round_ms(seconds(&last.body) + seconds(&body))});
            }
            _ => {
                let step = Step { action, body };
                self.steps_bytes += step_bytes(&step);
                self.steps.push(step);
            }
        }
        Ok(r)
    }

    /// About how many bytes the session's scenario file (and its saved form) takes.
    pub fn size_bytes(&self) -> usize {
        self.steps_bytes + 200
    }

    /// Whether the browser can keep this session: its saved form must be one the lab can read
    /// back (at most `MAX_INPUT_BYTES`); a bigger lab is kept by exporting it.
    pub fn fits_storage(&self) -> bool {
        self.size_bytes() <= MAX_INPUT_BYTES
    }

    fn here(&self) -> Mark {
        let advance = self.steps.last().filter(|s| s.action == Operation::AdvanceClock);
        Mark { steps: self.steps.len(), advance: advance.map(|s| seconds(&s.body)) }
    }

    /// Marks where a learner's action begins: "Step back" undoes back to here.
    pub fn mark(&mut self) {
        let here = self.here();
        if self.marks.last() != Some(&here) {
            if self.marks.len() == MAX_MARKS {
                self.marks.remove(0);
            }
            self.marks.push(here);
        }
    }

    /// Undoes the last action: back to the last [`Session::mark`] the session has moved on
    /// from, or else the last step, by replaying the steps before it. Never undoes the first
    /// `keep` steps. False when there is nothing to undo.
    pub fn step_back(&mut self, keep: usize) -> bool {
        let here = self.here();
        let mut to = None;
        while let Some(m) = self.marks.pop() {
            // A mark past the steps there are is from an action already undone.
            if m.steps >= keep.max(1) && m.steps <= here.steps && m != here {
                to = Some(m);
                break;
            }
        }
        let to = match to {
            Some(m) => m,
            None if self.steps.len() > keep => Mark { steps: self.steps.len() - 1, advance: None },
            None => return false,
        };
        for step in self.steps.drain(to.steps..) {
            self.steps_bytes = self.steps_bytes.saturating_sub(step_bytes(&step));
        }
        if let (Some(secs), Some(last)) = (to.advance, self.steps.last_mut()) {
            self.steps_bytes = self.steps_bytes.saturating_sub(step_bytes(last));
            last.body = json!({ "Seconds": secs });
            self.steps_bytes += step_bytes(last);
        }
        let mut engine = Engine::new(self.config.clone());
        for s in &self.steps {
            let _ = engine.call_op(s.action, &s.body);
        }
        self.engine = engine;
        true
    }

    /// The session as a scenario file (what `streamlab replay` takes).
    pub fn to_scenario_json(&self) -> Value {
        let mut v = self.to_scenario_json_without_steps();
        v["steps"] = json!(self.steps.iter().map(|s| json!({ s.action.as_str(): s.body })).collect::<Vec<_>>());
        v
    }

    /// [`Session::to_scenario_json`] up to its steps.
    fn to_scenario_json_without_steps(&self) -> Value {
        let mut v = json!({});
        if let Some(d) = &self.description {
            v["description"] = json!(d);
        }
        v["region"] = json!(self.config.region);
        v["seed"] = json!(self.config.seed);
        v["startTime"] = json!(time::iso_seconds(self.config.start_ms));
        let defaults = EngineConfig::default();
        let mut sim = serde_json::Map::new();
        if self.config.shards_per_stream != defaults.shards_per_stream {
            sim.insert("shardsPerStream".into(), json!(self.config.shards_per_stream));
        }
        if self.config.shard_rollover_ms != defaults.shard_rollover_ms {
            sim.insert("shardRolloverSeconds".into(), json!(self.config.shard_rollover_ms / 1000));
        }
        if self.config.ttl_delay_ms != defaults.ttl_delay_ms {
            sim.insert("ttlDelaySeconds".into(), json!(self.config.ttl_delay_ms / 1000));
        }
        if !sim.is_empty() {
            v["simulator"] = serde_json::Value::Object(sim);
        }
        v
    }

    /// The stored form: the scenario wrapped with a format version. Written step by step, not
    /// built as one JSON value first: saving a lab of 10,000 writes took 110 ms natively that
    /// way (every step copied into the tree), several times that in the page.
    pub fn to_storage(&self) -> String {
        let mut head = self.to_scenario_json_without_steps();
        head["steps"] = json!([]);
        let head = json!({"streamlab": STORAGE_VERSION, "scenario": head}).to_string();
        // `head` ends with `"steps":[]}}`: the steps go between the brackets.
        let Some(open) = head.strip_suffix("]}}") else { return head };
        let mut out = String::with_capacity(self.steps_bytes + head.len() + 16);
        out.push_str(open);
        for (i, step) in self.steps.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"");
            out.push_str(step.action.as_str());
            out.push_str("\":");
            out.push_str(&step.body.to_string());
            out.push('}');
        }
        out.push_str("]}}");
        out
    }

    /// Reads a stored session. Data of another version, or unreadable data, is refused with a
    /// message saying why, so the caller can set it aside.
    pub fn from_storage(text: &str) -> std::result::Result<Session, LoadError> {
        let v: Value = serde_json::from_str(text).map_err(|e| LoadError::Unreadable(e.to_string()))?;
        match v.get("streamlab").and_then(Value::as_u64) {
            Some(STORAGE_VERSION) => {}
            Some(other) => return Err(LoadError::OtherVersion(other)),
            None => return Err(LoadError::NotASession { has_version: false }),
        }
        let scenario = v.get("scenario").ok_or(LoadError::NotASession { has_version: true })?;
        // The learner's own lab, made in this page: no work budget (refusing it would lose it).
        Session::from_text_within(&scenario.to_string(), None)
    }
}

/// The seconds of a clock advance's body.
fn seconds(body: &Value) -> f64 {
    body["Seconds"].as_f64().unwrap_or(0.0)
}

fn round_ms(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Value {
        json!({"TableName": "Votes", "KeySchema": [{"AttributeName": "voter", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "voter", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES"}})
    }

    fn put(v: &str) -> Value {
        json!({"TableName": "Votes", "Item": {"voter": {"S": v}}})
    }

    #[test]
    fn failed_actions_are_not_recorded_and_change_nothing() {
        let mut s = Session::new(EngineConfig::default());
        s.apply(Operation::CreateTable, &table()).unwrap();
        assert!(s.apply(Operation::PutItem, &json!({"TableName": "Votes", "Item": {"voter": {"S": ""}}})).is_err());
        assert_eq!(s.steps().len(), 1);
        assert_eq!(s.engine().streams_output()[0]["Records"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn step_back_restores_the_previous_state_exactly() {
        let mut s = Session::new(EngineConfig::default());
        s.apply(Operation::CreateTable, &table()).unwrap();
        s.apply(Operation::PutItem, &put("ana")).unwrap();
        let before = s.engine().streams_output();
        s.apply(Operation::PutItem, &put("ben")).unwrap();
        assert_ne!(s.engine().streams_output(), before);
        assert!(s.step_back(1));
        assert_eq!(s.engine().streams_output(), before, "same records, same eventIDs and sequence numbers");
        assert_eq!(s.steps().len(), 2);
    }

    /// One "Step back" undoes one action of the learner: one press of Step (a second of the
    /// clock), though its advance merged into the step before; a whole burst of writes.
    #[test]
    fn step_back_undoes_one_action_not_one_stored_step() {
        let mut s = Session::new(EngineConfig::default());
        s.apply(Operation::CreateTable, &table()).unwrap();
        s.mark();
        s.apply(Operation::AdvanceClock, &json!({"Seconds": 10})).unwrap();
        s.mark();
        s.apply(Operation::AdvanceClock, &json!({"Seconds": 1})).unwrap();
        assert_eq!(s.steps().len(), 2, "the two advances are one stored step");
        let at = |s: &Session| s.engine().now_ms() - s.config().start_ms;
        assert_eq!(at(&s), 11_000);
        assert!(s.step_back(1));
        assert_eq!(at(&s), 10_000, "only the last second is undone");
        assert_eq!(s.to_scenario_json()["steps"][1], json!({"AdvanceClock": {"Seconds": 10.0}}));
        // A burst: many steps, one action.
        s.mark();
        for v in ["a", "b", "c"] {
            s.apply(Operation::PutItem, &put(v)).unwrap();
        }
        s.mark();
        s.apply(Operation::AdvanceClock, &json!({"Seconds": 5})).unwrap();
        assert!(s.step_back(1));
        assert_eq!((s.steps().len(), at(&s)), (5, 10_000));
        assert!(s.step_back(1));
        assert_eq!((s.steps().len(), at(&s)), (2, 10_000), "the three writes went together");
        assert!(s.step_back(1));
        assert_eq!((s.steps().len(), at(&s)), (1, 0));
        assert!(!s.step_back(1), "the table is kept");
        // With no marks (a reloaded lab), a step at a time.
        s.apply(Operation::PutItem, &put("d")).unwrap();
        s.apply(Operation::PutItem, &put("e")).unwrap();
        assert!(s.step_back(1));
        assert_eq!(s.steps().len(), 2);
    }

    #[test]
    fn clock_advances_merge_and_export_replays_identically() {
        let mut s = Session::new(EngineConfig { seed: 7, ..EngineConfig::default() });
        s.apply(Operation::CreateTable, &table()).unwrap();
        s.apply(Operation::AdvanceClock, &json!({"Seconds": 0.25})).unwrap();
        s.apply(Operation::AdvanceClock, &json!({"Seconds": 0.5})).unwrap();
        s.apply(Operation::PutItem, &put("ana")).unwrap();
        assert_eq!(s.steps().len(), 3);
        assert_eq!(s.steps()[1].body, json!({"Seconds": 0.75}));
        let text = s.to_scenario_json().to_string();
        let replayed = Session::from_scenario_text(&text).unwrap();
        assert_eq!(replayed.engine().streams_output(), s.engine().streams_output());
        let out = scenario::replay(&text).unwrap();
        assert_eq!(out["streams"], s.engine().streams_output());
    }

    #[test]
    fn clock_advances_merge_up_to_what_one_step_may_advance() {
        // 240 days three times: merging all three would make one step of 720 days, more than
        // AdvanceClock accepts (366), which replay refuses: the time would be lost on reload.
        let mut s = Session::new(EngineConfig::default());
        s.apply(Operation::CreateTable, &table()).unwrap();
        for _ in 0..3 {
            s.apply(Operation::AdvanceClock, &json!({"Seconds": 240 * 86_400})).unwrap();
        }
        let secs: Vec<f64> = s.steps()[1..].iter().map(|st| st.body["Seconds"].as_f64().unwrap()).collect();
        assert_eq!(secs, [240.0 * 86_400.0; 3], "no merge goes past 366 days");
        let back = Session::from_storage(&s.to_storage()).unwrap();
        assert_eq!(back.engine().now_ms(), s.engine().now_ms(), "the 720 days survive a reload");
        let out = scenario::replay(&s.to_scenario_json().to_string()).unwrap();
        let results = out["results"].as_array().unwrap();
        assert_eq!(results.len(), 4);
        assert!(results.iter().all(|r| r["ok"] == true), "every step replays: {results:?}");
        // Smaller advances still merge, up to the limit.
        let mut s = Session::new(EngineConfig::default());
        for _ in 0..3 {
            s.apply(Operation::AdvanceClock, &json!({"Seconds": 100 * 86_400})).unwrap();
        }
        s.apply(Operation::AdvanceClock, &json!({"Seconds": 100 * 86_400})).unwrap();
        let secs: Vec<f64> = s.steps().iter().map(|st| st.body["Seconds"].as_f64().unwrap()).collect();
        assert_eq!(secs, [300.0 * 86_400.0, 100.0 * 86_400.0]);
    }

    /// The stored form, written step by step, is the scenario as one JSON value would write it.
    #[test]
    fn the_stored_form_is_the_scenario_wrapped() {
        let mut s = Session::new(EngineConfig { seed: 9, ..EngineConfig::default() });
        assert_eq!(s.to_storage(), json!({"streamlab": STORAGE_VERSION, "scenario": s.to_scenario_json()}).to_string());
        s.apply(Operation::CreateTable, &table()).unwrap();
        s.apply(Operation::PutItem, &json!({"TableName": "Votes", "Item": {"voter": {"S": "a\"b\\c\u{e9}"}}})).unwrap();
        s.apply(Operation::AdvanceClock, &json!({"Seconds": 2.5})).unwrap();
        let stored = s.to_storage();
        assert_eq!(stored, json!({"streamlab": STORAGE_VERSION, "scenario": s.to_scenario_json()}).to_string());
        assert_eq!(Session::from_storage(&stored).unwrap().to_scenario_json(), s.to_scenario_json());
    }

    #[test]
    fn storage_round_trips_and_refuses_other_versions() {
        let mut s = Session::new(EngineConfig::default());
        s.apply(Operation::CreateTable, &table()).unwrap();
        s.apply(Operation::PutItem, &put("ana")).unwrap();
        let back = Session::from_storage(&s.to_storage()).unwrap();
        assert_eq!(back.engine().streams_output(), s.engine().streams_output());
        let err = |t: &str| Session::from_storage(t).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err("{not json").contains("not readable"));
        assert!(err(r#"{"streamlab": 99, "scenario": {}}"#).contains("format 99"));
        assert!(err(r#"{"other": 1}"#).contains("not a StreamLab session"));
    }

    #[test]
    fn oversized_input_is_refused_with_a_message() {
        let big = " ".repeat(MAX_INPUT_BYTES + 1);
        assert!(Session::from_scenario_text(&big).err().map(|e| e.to_string()).unwrap_or_default().contains("at most"));
    }

    #[test]
    fn the_size_is_that_of_the_scenario_file_and_bounds_what_the_browser_keeps() {
        let mut s = Session::new(EngineConfig::default());
        s.apply(Operation::CreateTable, &table()).expect("table");
        for i in 0..50 {
            s.apply(Operation::PutItem, &put(&format!("voter-{i}"))).expect("put");
        }
        let file = s.to_scenario_json()["steps"].to_string().len();
        let size = s.size_bytes();
        assert!(size >= file && size <= file + 300, "{size} against {file}");
        assert!(s.fits_storage());
        s.step_back(0);
        assert!(s.size_bytes() < size);
        // A lab whose saved form could not be read back (over 2 MB) does not fit.
        let big = "x".repeat(100_000);
        while s.fits_storage() {
            s.apply(Operation::PutItem, &json!({"TableName": "Votes", "Item": {"voter": {"S": format!("v{}", s.steps().len())}, "note": {"S": big}}})).expect("put");
        }
        let text = s.to_storage();
        assert!(text.len() > MAX_INPUT_BYTES, "{} bytes", text.len());
        assert!(Session::from_storage(&text).is_err(), "the lab could not read it back");
    }
}
