//! The app state behind the root `use_reducer`: the learner's [`Session`] plus what the page
//! shows about it (notes, the open record, the clock's play state, the queued job).
//!
//! The reducer is a pure function of the state and the action. Every change to the session is
//! a `crate::teach::lab` call; the reducer reads no storage, no clock and no randomness: the
//! hooks do (`hooks::use_lab`, `persist`), and what they read comes in the actions.

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::Value;
use yew::Reducible;

use crate::teach::lab::{self, Previous};
pub use crate::teach::lab::{Job, TableForm, WriteForm, WriteOp};
use crate::teach::session::Session;
pub use crate::teach::view::{Detail, Note};

/// What the user can do, and what the hooks report.
pub enum Action {
    Write(WriteOp, WriteForm),
    SelectTable(String),
    SetViewType(String),
    /// "Disable stream" on the current table.
    DisableStream,
    /// "Create table", then show it.
    CreateTable(TableForm),
    /// "Delete table": the current one.
    DeleteTable,
    /// The function the triggers panel shows and deploys.
    SelectFunction(String),
    Deploy {
        code: String,
        params: Value,
    },
    /// "Advance clock" by this many seconds (done a step at a time).
    Advance(f64),
    /// One tick of the playing clock.
    Tick(f64),
    Play,
    Pause,
    SetSpeed(f64),
    StepBack,
    /// Write this many generated votes, a batch at a time.
    Burst(u32),
    /// Do the next step of the queued job (`hooks::use_lab` sends as many as fit in a frame).
    Work,
    /// Stop the queued job where it is (what it did stays).
    CancelJob,
    Open(Detail),
    CloseDetail,
    /// Replace the lab (an import, a lesson step, a shared link, "Restore previous lab"): the
    /// new session, the note saying so, and what became of the lab it replaces (kept in the
    /// browser by the hook that sends this, `hooks::use_lab`).
    Load {
        session: Box<Session>,
        note: String,
        kept: Previous,
        /// The learner's own lab, brought back ("Back to my lab").
        own: bool,
    },
    /// "Start over" (the lab it replaces kept as `kept` says).
    Reset {
        kept: Previous,
    },
    FilesNote(Note),
    /// UpdateTimeToLive on the current table with this attribute.
    EnableTtl(String),
    /// Set the simulator's loop guard ("let it run": a higher limit; None: off).
    SetLoopGuard(Option<u32>),
    DismissRestoreNote,
    /// The browser refused to save the lab (why).
    SaveFailed(String),
    /// A save worked (sent only after one failed).
    Saved,
    /// The saved session that could not be read was downloaded or discarded: saving resumes.
    UnreadableHandled,
}

/// The root state. Cheap to clone: the session is shared.
#[derive(Clone)]
pub struct Lab {
    pub session: Rc<RefCell<Session>>,
    /// Bumped whenever the session changes (what autosave and the record list key on).
    pub version: u64,
    /// Bumped on every state change (what the job's frames key on).
    pub rev: u64,
    pub table: String,
    /// The function the triggers panel shows and deploys.
    pub function: String,
    /// The note of the last Create table or Delete table.
    pub table_note: Option<Note>,
    pub write_note: Option<Note>,
    pub view_note: Option<Note>,
    pub deploy_note: Option<Note>,
    pub loop_note: Option<Note>,
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
    /// A lab kept from before an import, a link or "Start over" is in this browser.
    pub has_previous: bool,
    /// This lab is the learner's own: not a lesson's, a link's or an import's.
    pub own: bool,
    /// The learner changed this lab since a lesson, a link or an import loaded it.
    pub touched: bool,
    /// The learner's own lab is kept in this browser while another is open.
    pub has_own: bool,
    /// The saved session that could not be read and that the browser had no room to set aside:
    /// it stays in storage, not saved over, until the learner downloads or discards it.
    pub unreadable: Option<Rc<String>>,
    /// Why the browser refused the last save (its storage is full), until a save works again.
    pub save_error: Option<String>,
}

impl Default for Lab {
    fn default() -> Self {
        Lab::with_session(lab::starter_session())
    }
}

impl Lab {
    pub fn with_session(session: Session) -> Lab {
        let table = lab::first_table(&session);
        let function = lab::first_function(&session);
        Lab {
            function,
            table_note: None,
            session: Rc::new(RefCell::new(session)),
            version: 0,
            rev: 0,
            table,
            write_note: None,
            view_note: None,
            deploy_note: None,
            loop_note: None,
            clock_note: None,
            files_note: None,
            restore_note: None,
            detail: None,
            playing: false,
            speed: 10.0,
            job: None,
            ticked: false,
            has_previous: false,
            own: true,
            touched: false,
            has_own: false,
            unreadable: None,
            save_error: None,
        }
    }

    /// Identifies the session (a new one after an import or a reset), to reset editors.
    pub fn session_key(&self) -> String {
        format!("{:p}", Rc::as_ptr(&self.session))
    }

    /// Runs `f` on the session (one `lab` call: the borrow ends with it).
    fn with<R>(&self, f: impl FnOnce(&mut Session, &str) -> R) -> R {
        f(&mut self.session.borrow_mut(), &self.table)
    }

    fn changed(&mut self) {
        self.version += 1;
        self.ticked = false;
        self.touched = true;
    }

    /// This lab replaced by `fresh` (the learner's own lab when `own`), with `note` in the
    /// Files panel.
    fn replaced(&self, mut fresh: Lab, note: &str, kept: Previous, own: bool) -> Rc<Lab> {
        fresh.rev = self.rev;
        fresh.version = self.version + 1;
        fresh.has_previous = self.has_previous || kept == Previous::Kept;
        fresh.has_own = !own && (self.has_own || kept == Previous::KeptOwn);
        fresh.own = own;
        let mut note = lab::replaced_note(note, kept);
        if fresh.has_own && kept != Previous::KeptOwn {
            note.push_str(lab::OWN_STILL_KEPT);
        }
        fresh.files_note = Some(Note::Ok(note));
        Rc::new(fresh)
    }
}

impl Reducible for Lab {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        if matches!(action, Action::Work) && self.job.is_none() {
            return self;
        }
        let mut lab = (*self).clone();
        lab.rev += 1;
        // Where an action of the learner begins: "Step back" undoes back to it.
        if matches!(
            action,
            Action::Write(..)
                | Action::SetViewType(_)
                | Action::DisableStream
                | Action::CreateTable(_)
                | Action::DeleteTable
                | Action::Deploy { .. }
                | Action::Advance(_)
                | Action::Play
                | Action::Burst(_)
                | Action::EnableTtl(_)
                | Action::SetLoopGuard(_)
        ) {
            lab.session.borrow_mut().mark();
        }
        match action {
            Action::Write(op, form) => {
                let r = lab.with(|s, table| lab::write(s, table, op, &form));
                if r.is_ok() {
                    lab.changed();
                }
                lab.write_note = Some(r.unwrap_or_else(|note| note));
            }
            Action::SelectTable(t) => {
                lab.table = t;
                (lab.view_note, lab.table_note) = (None, None);
            }
            Action::SetViewType(v) => {
                let r = lab.with(|s, table| lab::choose_view_type(s, table, &v));
                if r.is_ok() {
                    lab.changed();
                }
                lab.view_note = Some(r.unwrap_or_else(|note| note));
            }
            Action::DisableStream => {
                let r = lab.with(lab::disable_stream);
                if r.is_ok() {
                    lab.changed();
                }
                lab.view_note = Some(r.unwrap_or_else(|note| note));
            }
            Action::CreateTable(form) => {
                let r = lab.with(|s, _| lab::create_table(s, &form));
                if r.is_ok() {
                    lab.table = form.name.trim().to_string();
                    (lab.write_note, lab.view_note) = (None, None);
                    lab.changed();
                }
                lab.table_note = Some(r.unwrap_or_else(|note| note));
            }
            Action::DeleteTable => {
                let r = lab.with(lab::delete_table);
                if r.is_ok() {
                    lab.table = lab.with(|s, t| lab::table_or_first(s, t));
                    (lab.write_note, lab.view_note) = (None, None);
                    lab.changed();
                }
                lab.table_note = Some(r.unwrap_or_else(|note| note));
            }
            Action::SelectFunction(f) => {
                lab.function = f;
                lab.deploy_note = None;
            }
            Action::Deploy { code, params } => {
                let function = lab.function.clone();
                lab.deploy_note = Some(lab.with(|s, table| lab::deploy_rules(s, table, &function, &code, &params)));
                lab.changed();
            }
            Action::Advance(secs) => match Job::advance(secs) {
                Ok(job) => {
                    lab.clock_note = None;
                    lab.job = Some(job);
                }
                Err(note) => lab.clock_note = Some(note),
            },
            Action::Tick(secs) => match lab.with(|s, _| lab::tick(s, secs)) {
                Ok(()) => {
                    lab.changed();
                    lab.ticked = true;
                }
                Err(note) => {
                    lab.playing = false;
                    lab.clock_note = Some(note);
                }
            },
            Action::Play => {
                // The last note was about an earlier advance: playing makes it stale.
                lab.playing = true;
                lab.clock_note = None;
            }
            Action::Pause => lab.playing = false,
            Action::SetSpeed(s) => lab.speed = s,
            Action::StepBack => {
                if let Some(note) = lab.with(|s, _| lab::step_back(s)) {
                    lab.detail = None;
                    // Notes about the undone step would contradict the panels now.
                    (lab.write_note, lab.view_note, lab.deploy_note, lab.loop_note) = (None, None, None, None);
                    lab.table_note = None;
                    lab.table = lab.with(|s, t| lab::table_or_first(s, t));
                    lab.clock_note = Some(note);
                    lab.changed();
                }
            }
            Action::Burst(n) => {
                lab.job = Some(lab.with(|s, table| Job::burst(s, table, n)));
                // The first step runs at the next animation frame but one (`hooks::use_work`):
                // the click's own frame only draws the busy state.
            }
            Action::Work => {
                if let Some(job) = lab.job.take() {
                    let burst = job.is_burst();
                    let (next, note) = lab.with(|s, table| job.step(s, table));
                    lab.job = next;
                    if let Some(note) = note {
                        *(if burst { &mut lab.write_note } else { &mut lab.clock_note }) = Some(note);
                    }
                    lab.changed();
                }
            }
            Action::CancelJob => {
                if let Some(job) = lab.job.take() {
                    let note = Some(job.cancelled());
                    *(if job.is_burst() { &mut lab.write_note } else { &mut lab.clock_note }) = note;
                }
            }
            Action::Open(d) => lab.detail = Some(d),
            Action::CloseDetail => lab.detail = None,
            Action::Load { session, note, kept, own } => {
                let fresh = Lab { speed: lab.speed, ..Lab::with_session(*session) };
                return lab.replaced(fresh, &note, kept, own);
            }
            // A new lab of the learner's own, unless their own lab is kept while another is
            // open: then "Back to my lab" still brings that back.
            Action::Reset { kept } => {
                let own = lab.own || !lab.has_own;
                return lab.replaced(Lab::default(), lab::STARTED_OVER, kept, own);
            }
            Action::FilesNote(n) => lab.files_note = Some(n),
            Action::EnableTtl(attr) => {
                lab.write_note = Some(lab.with(|s, table| lab::enable_ttl(s, table, &attr)));
                lab.changed();
            }
            Action::SetLoopGuard(limit) => {
                lab.loop_note = Some(lab::set_loop_guard(&mut lab.session.borrow_mut(), limit));
                lab.changed();
            }
            Action::DismissRestoreNote => lab.restore_note = None,
            Action::SaveFailed(why) => {
                lab.restore_note = Some(lab::not_saved(&why));
                lab.save_error = Some(why);
            }
            Action::Saved => {
                if lab.save_error.take().is_some() {
                    lab.restore_note = Some(lab::SAVED_AGAIN.into());
                }
            }
            Action::UnreadableHandled => {
                lab.unreadable = None;
                lab.restore_note = None;
            }
        }
        Rc::new(lab)
    }
}
