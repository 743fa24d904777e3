//! The app state behind the root `use_reducer`: the learner's [`Session`] plus what the page
//! shows about it (messages, the open record, the clock's play state).
//!
//! No simulation happens here. Every change is an AWS action sent through `Session::apply` or
//! a `crate::teach::lab` call; the page reads the engine back to render it.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{json, Map, Value};
use yew::Reducible;

use crate::model::AwsError;
use crate::model::ViewType;
use crate::sim::Record;
use crate::teach::lab;
use crate::teach::session::Session;
use crate::Operation;

/// Where the session is saved, and where unreadable saved data is set aside.
pub const STORAGE_KEY: &str = "streamlab.session";
pub const SET_ASIDE_KEY: &str = "streamlab.session.set-aside";
/// The lab before the last import, lesson, shared link or "Start over", so none of them can
/// lose a learner's work.
pub const PREVIOUS_KEY: &str = "streamlab.session.previous";

/// The item the editor starts with.
pub const EXAMPLE_ITEM: &str = r#"{
  "voter": {"S": "ana"},
  "choice": {"S": "streams"}
}"#;

/// Largest slice of simulated time one step of a long advance takes (so TTL deletions are
/// counted before a 24-hour trim hides them, and the page can draw between slices).
const SLICE_MS: u64 = 3_600_000;
/// Real time one slice of queued work may take: it starts at the first and adapts between the
/// other two, so that a slice, the render it causes and the browser's layout and paint fit in
/// one frame on this machine (slices run one per animation frame, `hooks::use_work`).
const BUDGET_MS: (f64, f64, f64) = (3.0, 0.5, 4.5);
/// One frame at 60 Hz.
const FRAME_MS: f64 = 1000.0 / 60.0;

/// A write from the item editor. Texts are what the learner typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WriteForm {
    pub item: String,
    pub update_expression: String,
    pub condition_expression: String,
    pub names: String,
    pub values: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteOp {
    Put,
    Update,
    Delete,
}

impl WriteOp {
    pub fn action(self) -> Operation {
        match self {
            WriteOp::Put => Operation::PutItem,
            WriteOp::Update => Operation::UpdateItem,
            WriteOp::Delete => Operation::DeleteItem,
        }
    }
}

/// Something opened for reading in the detail dialog.
#[derive(Clone, Debug)]
pub enum Detail {
    Record(Rc<Record>),
    Json { title: String, value: Rc<Value>, copy_label: String },
}

impl PartialEq for Detail {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Detail::Record(a), Detail::Record(b)) => Rc::ptr_eq(a, b),
            (Detail::Json { value: a, .. }, Detail::Json { value: b, .. }) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// A message shown next to the control that caused it.
#[derive(Clone, Debug, PartialEq)]
pub enum Note {
    Ok(String),
    Error { kind: String, message: String },
}

impl Note {
    fn aws(e: AwsError) -> Note {
        Note::Error { kind: e.kind.as_str().into(), message: e.message }
    }
    fn error(kind: &str, message: impl Into<String>) -> Note {
        Note::Error { kind: kind.into(), message: message.into() }
    }
    pub fn is_error(&self) -> bool {
        matches!(self, Note::Error { .. })
    }
}

/// Long work done in slices between frames.
#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    Advance {
        left_ms: u64,
        total_ms: u64,
        changes: lab::ClockChanges,
    },
    /// Generated votes `base + next .. base + end`, written 25 per BatchWriteItem.
    Burst {
        next: u32,
        end: u32,
        failed: u32,
        base: u32,
    },
}

/// What the user can do.
pub enum Action {
    Write(WriteOp, WriteForm),
    SelectTable(String),
    SetViewType(String),
    Deploy {
        code: String,
        params: Value,
    },
    /// "Advance clock" by this many seconds (done in slices).
    Advance(f64),
    /// One tick of the playing clock.
    Tick(f64),
    Play,
    Pause,
    SetSpeed(f64),
    StepBack,
    /// Write this many generated votes, in slices.
    Burst(u32),
    /// Do the next slice of the queued job.
    Work,
    Open(Detail),
    CloseDetail,
    Import {
        text: String,
        source: String,
    },
    FilesNote(Note),
    /// UpdateTimeToLive on the current table with this attribute.
    EnableTtl(String),
    Reset,
    /// Swap back to the lab kept under [`PREVIOUS_KEY`].
    RestorePrevious,
    DismissRestoreNote,
}

/// The root state. Cheap to clone: the session is shared.
#[derive(Clone)]
pub struct Lab {
    pub session: Rc<RefCell<Session>>,
    /// Bumped whenever the session changes (what autosave and memos key on).
    pub version: u64,
    /// Bumped on every state change (what the props comparison keys on).
    pub rev: u64,
    pub table: String,
    pub write_note: Option<Note>,
    pub view_note: Option<Note>,
    pub deploy_note: Option<Note>,
    pub clock_note: Option<Note>,
    pub files_note: Option<Note>,
    pub restore_note: Option<String>,
    pub detail: Option<Detail>,
    pub playing: bool,
    /// Simulated seconds per real second while playing.
    pub speed: f64,
    pub job: Option<Job>,
    /// True when the last change was a clock tick (autosave throttles those).
    pub ticked: bool,
    /// The time budget of a slice of the running job, and when the last slice started.
    pub budget: (f64, f64),
}

impl PartialEq for Lab {
    fn eq(&self, other: &Self) -> bool {
        self.rev == other.rev && Rc::ptr_eq(&self.session, &other.session)
    }
}

impl Default for Lab {
    fn default() -> Self {
        Lab::with_session(lab::starter_session())
    }
}

impl Lab {
    pub fn with_session(session: Session) -> Lab {
        let table = first_table(&session);
        Lab {
            session: Rc::new(RefCell::new(session)),
            version: 0,
            rev: 0,
            table,
            write_note: None,
            view_note: None,
            deploy_note: None,
            clock_note: None,
            files_note: None,
            restore_note: None,
            detail: None,
            playing: false,
            speed: 10.0,
            job: None,
            ticked: false,
            budget: (BUDGET_MS.0, f64::NEG_INFINITY),
        }
    }

    /// The saved session when there is a readable one; otherwise the starter lab. Unreadable
    /// or old data is moved to [`SET_ASIDE_KEY`] and a message says so.
    pub fn restore() -> Lab {
        let Some(storage) = local_storage() else {
            return Lab::default();
        };
        let Ok(Some(text)) = storage.get_item(STORAGE_KEY) else {
            return Lab::default();
        };
        match Session::from_storage(&text) {
            Ok(session) => {
                let mut lab = Lab::with_session(session);
                lab.restore_note = None;
                lab
            }
            Err(why) => {
                let _ = storage.set_item(SET_ASIDE_KEY, &text);
                let _ = storage.remove_item(STORAGE_KEY);
                Lab {
                    restore_note: Some(format!(
                        "Your saved session could not be restored ({why}). It was set aside under the key \"{SET_ASIDE_KEY}\" in this browser's storage, and a new lab was started."
                    )),
                    ..Lab::default()
                }
            }
        }
    }

    /// Saves the session (after every change).
    /// Keeps the current session under [`PREVIOUS_KEY`] before it is replaced; returns a
    /// sentence for the note ("" when the lab held nothing but the starter table).
    fn keep_as_previous(&self) -> &'static str {
        if self.session.borrow().steps().len() <= 1 {
            return "";
        }
        if !self.session.borrow().fits_storage() {
            return " Your previous lab was over 2 MB, too big to keep in this browser.";
        }
        match local_storage().map(|st| st.set_item(PREVIOUS_KEY, &self.session.borrow().to_storage())) {
            Some(Ok(())) => " Your previous lab was kept: Files › Restore previous lab brings it back.",
            _ => "",
        }
    }

    /// Saves the session in the browser, unless it is too big to be read back (the Files
    /// panel then says so: such a lab is kept by exporting it).
    pub fn save(&self) {
        if !self.session.borrow().fits_storage() {
            return;
        }
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, &self.session.borrow().to_storage());
        }
    }

    pub fn view_type(&self) -> Option<ViewType> {
        lab::view_type(&self.session.borrow(), &self.table)
    }

    /// Identifies the session (a new one after an import or a reset), to reset editors.
    pub fn session_key(&self) -> String {
        format!("{:p}", Rc::as_ptr(&self.session))
    }

    pub fn can_step_back(&self) -> bool {
        self.session.borrow().steps().len() > 1
    }

    fn changed(&mut self) {
        self.version += 1;
        self.ticked = false;
    }

    fn write(&mut self, op: WriteOp, form: &WriteForm) {
        let request = match build_write(&self.session.borrow(), &self.table, op, form) {
            Ok(r) => r,
            Err(note) => {
                self.write_note = Some(note);
                return;
            }
        };
        let before = lab::census(&self.session.borrow());
        let result = self.session.borrow_mut().apply(op.action(), &request);
        match result {
            Ok(_) => {
                let written = lab::census(&self.session.borrow()).written.saturating_sub(before.written);
                let action = op.action();
                let text = match (op, written) {
                    (WriteOp::Delete, 0) => {
                        "DeleteItem succeeded. No item had that key, so no stream record was written.".to_string()
                    }
                    (_, 0) => format!("{action} succeeded. Nothing changed, so no stream record was written."),
                    (_, 1) => format!("{action} succeeded and wrote 1 stream record."),
                    (_, n) => format!("{action} succeeded and wrote {n} stream records."),
                };
                self.write_note = Some(Note::Ok(text));
                self.changed();
            }
            Err(e) => self.write_note = Some(Note::aws(e)),
        }
    }

    fn work(&mut self) {
        let start = now();
        // A slice comes one frame after the last one, unless the last slice and its render
        // took too long and the frame was dropped: then take less time; otherwise a bit more.
        let (budget, last) = self.budget;
        let gap = start - last;
        let budget = if gap > 1.5 * FRAME_MS && gap < 10.0 * FRAME_MS {
            (budget * 0.5).max(BUDGET_MS.1)
        } else if gap <= 1.5 * FRAME_MS {
            (budget + 0.2).min(BUDGET_MS.2)
        } else {
            budget
        };
        self.budget = (budget, start);
        while let Some(job) = self.job.take() {
            let job = match job {
                Job::Advance { left_ms, total_ms, mut changes } => {
                    let slice = left_ms.min(SLICE_MS);
                    let before = lab::census(&self.session.borrow());
                    let r = self
                        .session
                        .borrow_mut()
                        .apply(Operation::AdvanceClock, &json!({"Seconds": slice as f64 / 1000.0}));
                    if let Err(e) = r {
                        self.clock_note = Some(Note::aws(e));
                        self.changed();
                        return;
                    }
                    changes.add(&lab::clock_changes(&before, &self.session.borrow()));
                    self.changed();
                    if left_ms > slice {
                        Some(Job::Advance { left_ms: left_ms - slice, total_ms, changes })
                    } else {
                        let mut lines = vec![format!("Advanced the clock by {}.", duration(total_ms))];
                        lines.extend(changes.sentences());
                        if lines.len() == 1 {
                            lines.push("Nothing else happened.".into());
                        }
                        self.clock_note = Some(Note::Ok(lines.join(" ")));
                        None
                    }
                }
                Job::Burst { mut next, end, mut failed, base } => {
                    // One 25-item batch per step; the work loop stops after its time budget.
                    let key = self
                        .session
                        .borrow()
                        .engine()
                        .table(&self.table)
                        .map(|t| (t.schema.hash.name.clone(), t.schema.hash.ty));
                    {
                        let chunk = (end - next).min(25);
                        let puts: Vec<Value> = (next..next + chunk)
                            .map(|i| {
                                let choice = ["tea", "coffee", "juice", "water", "streams"]
                                    [(i as usize * 7 + i as usize / 5) % 5];
                                let id = base + i;
                                let (name, key_value) = match &key {
                                    Some((k, crate::model::KeyType::N)) => (k.clone(), json!({"N": id.to_string()})),
                                    Some((k, _)) if k != "voter" => (k.clone(), json!({"S": format!("item-{id:06}")})),
                                    _ => ("voter".to_string(), json!({"S": format!("voter-{id:06}")})),
                                };
                                let mut item = Map::new();
                                item.insert(name, key_value);
                                item.insert("choice".into(), json!({"S": choice}));
                                json!({"PutRequest": {"Item": item}})
                            })
                            .collect();
                        let r = self.session.borrow_mut().apply_owned(
                            Operation::BatchWriteItem,
                            json!({"RequestItems": {self.table.clone(): puts}}),
                        );
                        if r.is_err() {
                            failed += chunk;
                        }
                        next += chunk;
                    }
                    self.changed();
                    if next < end {
                        Some(Job::Burst { next, end, failed, base })
                    } else {
                        let n = end - failed;
                        self.write_note = Some(if failed == 0 {
                            Note::Ok(format!("Wrote {n} generated votes, 25 per BatchWriteItem."))
                        } else {
                            Note::error("ValidationException", format!("Wrote {n} generated votes; {failed} could not be written: this table's key schema differs."))
                        });
                        None
                    }
                }
            };
            self.job = job;
            if now() - start > budget {
                break;
            }
        }
    }

    /// What the running job has done so far, for a progress line.
    pub fn progress(&self) -> Option<String> {
        match &self.job {
            Some(Job::Advance { left_ms, total_ms, .. }) => {
                Some(format!("Advancing the clock: {} of {} done…", duration(total_ms - left_ms), duration(*total_ms)))
            }
            Some(Job::Burst { next, end, .. }) => Some(format!("Writing votes: {next} of {end}…")),
            None => None,
        }
    }
}

impl Reducible for Lab {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut lab = (*self).clone();
        lab.rev += 1;
        match action {
            Action::Write(op, form) => lab.write(op, &form),
            Action::SelectTable(t) => {
                lab.table = t;
                lab.view_note = None;
            }
            Action::SetViewType(v) => {
                let Some(view) = ViewType::parse(&v) else {
                    lab.view_note = Some(Note::error("ValidationException", format!("Unknown view type {v}")));
                    return Rc::new(lab);
                };
                let table = lab.table.clone();
                let r = lab::set_view_type(&mut lab.session.borrow_mut(), &table, Some(view));
                lab.view_note = Some(match r {
                    Ok(note) => Note::Ok(note),
                    Err(e) => Note::aws(e),
                });
                lab.changed();
            }
            Action::Deploy { code, params } => {
                let table = lab.table.clone();
                let r = lab::deploy(&mut lab.session.borrow_mut(), &table, lab::DEFAULT_FUNCTION, &code, &params);
                lab.deploy_note = Some(match r {
                    Ok(w) if w.is_empty() => Note::Ok(
                        "Deployed. The trigger polls the stream as the clock runs: press Play, Step or Advance clock."
                            .into(),
                    ),
                    Ok(w) => Note::Ok(format!(
                        "Deployed, with {} warning{}: see above.",
                        w.len(),
                        if w.len() == 1 { "" } else { "s" }
                    )),
                    Err(e) => Note::aws(e),
                });
                lab.changed();
            }
            Action::Advance(secs) => {
                let max_secs = crate::sim::MAX_ADVANCE_MS / 1000;
                // The clock counts milliseconds: less than one would advance it by nothing.
                if !secs.is_finite() || secs < 0.001 || secs > max_secs as f64 {
                    lab.clock_note = Some(Note::error(
                        "ValidationException",
                        format!("Seconds must be a number from 0.001 to one year ({max_secs})."),
                    ));
                } else {
                    let ms = (secs * 1000.0).round() as u64;
                    lab.clock_note = None;
                    lab.job = Some(Job::Advance { left_ms: ms, total_ms: ms, changes: Default::default() });
                    lab.work();
                }
            }
            Action::Tick(secs) => {
                let r = lab.session.borrow_mut().apply(Operation::AdvanceClock, &json!({"Seconds": secs}));
                match r {
                    Ok(_) => {
                        lab.changed();
                        lab.ticked = true;
                    }
                    Err(e) => {
                        lab.playing = false;
                        lab.clock_note = Some(Note::aws(e));
                    }
                }
            }
            Action::Play => {
                // The last note was about an earlier advance: playing makes it stale.
                lab.playing = true;
                lab.clock_note = None;
            }
            Action::Pause => lab.playing = false,
            Action::SetSpeed(s) => lab.speed = s,
            Action::StepBack => {
                if lab.can_step_back() && lab.session.borrow_mut().step_back() {
                    lab.detail = None;
                    // Notes about the undone step would contradict the panels now.
                    (lab.write_note, lab.view_note, lab.deploy_note) = (None, None, None);
                    lab.clock_note =
                        Some(Note::Ok("Undid the last step (the session was replayed without it).".into()));
                    lab.changed();
                }
            }
            Action::Burst(n) => {
                // New voters each time, so every burst makes new records.
                let base = lab.session.borrow().engine().table(&lab.table).map_or(0, |t| t.items.len() as u32);
                lab.job = Some(Job::Burst { next: 0, end: n, failed: 0, base });
                // The first slice runs at the next animation frame, like the others
                // (`hooks::use_work`): the click's own frame only draws the busy state.
            }
            Action::Work => lab.work(),
            Action::Open(d) => lab.detail = Some(d),
            Action::CloseDetail => lab.detail = None,
            Action::Import { text, source } => match Session::from_scenario_text(&text) {
                Ok(session) => {
                    let steps = session.steps().len();
                    let kept = lab.keep_as_previous();
                    let mut fresh = Lab::with_session(session);
                    fresh.rev = lab.rev;
                    fresh.version = lab.version + 1;
                    fresh.speed = lab.speed;
                    fresh.files_note = Some(Note::Ok(format!(
                        "Imported {source}: {steps} step{} replayed.{kept}",
                        if steps == 1 { "" } else { "s" }
                    )));
                    return Rc::new(fresh);
                }
                Err(why) => {
                    lab.files_note = Some(Note::error("Import failed", format!("{source} was not imported: {why}.")))
                }
            },
            Action::FilesNote(n) => lab.files_note = Some(n),
            Action::EnableTtl(attr) => {
                let request = json!({"TableName": lab.table, "TimeToLiveSpecification": {"Enabled": true, "AttributeName": attr.trim()}});
                let r = lab.session.borrow_mut().apply(Operation::UpdateTimeToLive, &request);
                lab.write_note = Some(match r {
                    Ok(_) => Note::Ok(format!(
                        "Time to live is on: an item whose {} (epoch seconds) has passed is deleted by the TTL service, a few minutes later, with a REMOVE record.",
                        attr.trim()
                    )),
                    Err(e) => Note::aws(e),
                });
                lab.changed();
            }
            Action::Reset => {
                let kept = lab.keep_as_previous();
                return Rc::new(Lab {
                    rev: lab.rev,
                    version: lab.version + 1,
                    files_note: Some(Note::Ok(format!("Started a new lab.{kept}"))),
                    ..Lab::default()
                });
            }
            Action::RestorePrevious => {
                let saved = local_storage().and_then(|st| st.get_item(PREVIOUS_KEY).ok().flatten());
                match saved.map(|text| Session::from_storage(&text)) {
                    Some(Ok(session)) => {
                        let kept = lab.keep_as_previous();
                        let mut fresh = Lab::with_session(session);
                        fresh.rev = lab.rev;
                        fresh.version = lab.version + 1;
                        fresh.speed = lab.speed;
                        fresh.files_note = Some(Note::Ok(format!("Restored the previous lab.{kept}")));
                        return Rc::new(fresh);
                    }
                    Some(Err(why)) => {
                        lab.files_note =
                            Some(Note::error("Restore failed", format!("The previous lab could not be read: {why}.")))
                    }
                    None => {
                        lab.files_note =
                            Some(Note::error("Restore failed", "There is no previous lab in this browser."))
                    }
                }
            }
            Action::DismissRestoreNote => lab.restore_note = None,
        }
        Rc::new(lab)
    }
}

fn first_table(s: &Session) -> String {
    let e = s.engine();
    if e.table(lab::DEFAULT_TABLE).is_some() {
        return lab::DEFAULT_TABLE.into();
    }
    e.tables().next().map(|t| t.name.clone()).unwrap_or_else(|| lab::DEFAULT_TABLE.into())
}

/// The request for a write from the editor's texts. JSON that does not parse is refused here
/// (nothing is sent); everything else is the engine's to judge.
pub fn build_write(s: &Session, table: &str, op: WriteOp, form: &WriteForm) -> Result<Value, Note> {
    let item: Value = serde_json::from_str(&form.item)
        .map_err(|e| Note::error("Not valid JSON", format!("The item was not sent: {e}.")))?;
    let parse_map = |text: &str, what: &str| -> Result<Option<Value>, Note> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        serde_json::from_str(text)
            .map(Some)
            .map_err(|e| Note::error("Not valid JSON", format!("{what} is not valid JSON: {e}. Nothing was sent.")))
    };
    let mut req = Map::new();
    req.insert("TableName".into(), json!(table));
    match op {
        WriteOp::Put => {
            req.insert("Item".into(), item);
        }
        WriteOp::Update | WriteOp::Delete => {
            req.insert("Key".into(), key_of(s, table, item));
        }
    }
    let condition = form.condition_expression.trim();
    if !condition.is_empty() {
        req.insert("ConditionExpression".into(), json!(condition));
    }
    let update = form.update_expression.trim();
    if op == WriteOp::Update && !update.is_empty() {
        req.insert("UpdateExpression".into(), json!(update));
    }
    let uses_expressions = !condition.is_empty() || op == WriteOp::Update;
    if uses_expressions {
        if let Some(v) = parse_map(&form.names, "ExpressionAttributeNames")? {
            req.insert("ExpressionAttributeNames".into(), v);
        }
        if let Some(v) = parse_map(&form.values, "ExpressionAttributeValues")? {
            req.insert("ExpressionAttributeValues".into(), v);
        }
    }
    Ok(Value::Object(req))
}

/// The key attributes of an item (by the table's key schema); anything else unchanged, so the
/// engine reports what is wrong with it.
fn key_of(s: &Session, table: &str, item: Value) -> Value {
    let Some(t) = s.engine().table(table) else { return item };
    match item {
        Value::Object(fields) => {
            let mut names = vec![t.schema.hash.name.clone()];
            if let Some(r) = &t.schema.range {
                names.push(r.name.clone());
            }
            if !names.iter().all(|n| fields.contains_key(n)) {
                return Value::Object(fields);
            }
            Value::Object(fields.into_iter().filter(|(k, _)| names.contains(k)).collect())
        }
        other => other,
    }
}

/// "90 s", "25 h", "1 min 30 s".
pub fn duration(ms: u64) -> String {
    if ms.is_multiple_of(3_600_000) && ms > 0 {
        let h = ms / 3_600_000;
        return format!("{h} hour{}", if h == 1 { "" } else { "s" });
    }
    if ms.is_multiple_of(60_000) && ms > 0 {
        let m = ms / 60_000;
        return format!("{m} minute{}", if m == 1 { "" } else { "s" });
    }
    match ms % 1000 {
        0 => format!("{} s", ms / 1000),
        rest => {
            let fraction = format!("{rest:03}");
            format!("{}.{} s", ms / 1000, fraction.trim_end_matches('0'))
        }
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Is there a lab kept from before the last import, link or "Start over"?
pub fn has_previous() -> bool {
    local_storage().and_then(|st| st.get_item(PREVIOUS_KEY).ok().flatten()).is_some()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}
