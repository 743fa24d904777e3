//! The page inside an LMS (SCORM 1.2): finds the LMS's API object, and hands it what
//! `crate::teach::scorm` says to report of the lesson or quiz the SCO launched. Nothing else:
//! what is reported, and when a status may change, is decided there.
//!
//! A SCO is launched as `index.html?lesson=<id>` or `index.html?quiz=<id>` ([`start`] turns
//! that into the page's own `#lesson=<id>` fragment). Only then is the API looked for, as the
//! SCORM 1.2 RTE says (ADL's API wrapper): `window.API` in this window and up to 7 of its
//! parents, then in `window.opener` and its parents. With no API, or one that does not
//! initialise, nothing is reported and the page works as anywhere else.
//!
//! LMSInitialize at start (reading `cmi.core.entry`, `cmi.suspend_data`, the LMS's mastery
//! score and status); a report, then LMSCommit, after each change of the SCO's lesson step or
//! quiz; on `pagehide`, `cmi.core.session_time` (the browser's clock since start), `cmi.core.exit`
//! (`suspend` unless the learner is done), LMSCommit and LMSFinish.

use std::cell::RefCell;

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::teach::quiz::{Bank, Quiz};
use crate::teach::scorm::{self as rules, Reporter, Sco, Sets};

/// The LMS the page reports to, once initialised.
struct Lms {
    api: JsValue,
    /// When the page started (`Date.now()`), for the session time.
    started: f64,
    /// What has been reported, and so what to report next (`teach::scorm`).
    reporter: Reporter,
    /// LMSFinish was called: nothing more may be sent.
    finished: bool,
}

thread_local! {
    static LMS: RefCell<Option<Lms>> = const { RefCell::new(None) };
}

/// Parents looked through for the API, as ADL's API wrapper does.
const MAX_PARENTS: usize = 7;

/// The API object in `win` or one of its parents. A window of another origin throws on
/// reading its `API`: it is passed over.
fn api_in(win: &JsValue) -> Option<JsValue> {
    let mut w = win.clone();
    for _ in 0..=MAX_PARENTS {
        if let Ok(api) = Reflect::get(&w, &"API".into()) {
            if api.is_object() {
                return Some(api);
            }
        }
        let parent = Reflect::get(&w, &"parent".into()).ok().filter(JsValue::is_object)?;
        if Object::is(&parent, &w) {
            return None;
        }
        w = parent;
    }
    None
}

fn find_api(w: &web_sys::Window) -> Option<JsValue> {
    let w: &JsValue = w.as_ref();
    api_in(w).or_else(|| api_in(&Reflect::get(w, &"opener".into()).ok().filter(JsValue::is_object)?))
}

/// Calls `api.name(args...)`; its answer as text. SCORM 1.2 answers strings, but some LMSs'
/// APIs answer `true` or a number: those are read as JavaScript's `String(value)` would.
fn call(api: &JsValue, name: &str, args: &[&str]) -> Option<String> {
    let f: Function = Reflect::get(api, &name.into()).ok()?.dyn_into().ok()?;
    let r = match args {
        [] => f.call0(api),
        [a] => f.call1(api, &(*a).into()),
        [a, b] => f.call2(api, &(*a).into(), &(*b).into()),
        _ => return None,
    };
    r.ok().map(|v| {
        v.as_string()
            .or_else(|| v.as_bool().map(|b| b.to_string()))
            .or_else(|| v.as_f64().map(|n| n.to_string()))
            .unwrap_or_default()
    })
}

impl Lms {
    /// Sets each value, then LMSCommit if there was any.
    fn send(&self, sets: &Sets) {
        for (key, value) in sets {
            call(&self.api, "LMSSetValue", &[key, value]);
        }
        if !sets.is_empty() {
            call(&self.api, "LMSCommit", &[""]);
        }
    }
}

/// Runs `f` on the LMS when the page reports to one.
fn with_lms<T>(f: impl FnOnce(&mut Lms) -> Option<T>) -> Option<T> {
    LMS.with(|l| l.borrow_mut().as_mut().filter(|l| !l.finished).and_then(f))
}

/// At start, before the app renders: a SCO launch (`?lesson=<id>`, `?quiz=<id>`) opens its
/// lesson or quiz, and the page reports to the LMS if it finds one.
pub fn start() {
    let Some(w) = web_sys::window() else { return };
    let Some(sco) = rules::launch_of(&w.location().search().unwrap_or_default()) else { return };
    if w.location().hash().unwrap_or_default().len() <= 1 {
        // history.replaceState, without an event: the app reads the fragment when it starts.
        let history = Reflect::get(&w, &"history".into()).ok();
        let replace = history.as_ref().and_then(|h| Reflect::get(h, &"replaceState".into()).ok());
        if let (Some(h), Some(f)) = (history, replace.and_then(|f| f.dyn_into::<Function>().ok())) {
            let _ = f.call3(&h, &JsValue::NULL, &"".into(), &format!("#{}", sco.fragment()).into());
        }
    }
    let Some(api) = find_api(&w) else { return };
    if call(&api, "LMSInitialize", &[""]).as_deref() != Some("true") {
        return;
    }
    let get = |key: &str| call(&api, "LMSGetValue", &[key]).unwrap_or_default();
    let mut reporter = Reporter::new(
        sco,
        &get("cmi.core.entry"),
        &get("cmi.suspend_data"),
        &get("cmi.student_data.mastery_score"),
        &get("cmi.core.lesson_status"),
        &get("cmi.interactions._count"),
    );
    let opening = reporter.opening();
    let lms = Lms { api, started: js_sys::Date::now(), reporter, finished: false };
    lms.send(&opening);
    LMS.with(|l| *l.borrow_mut() = Some(lms));
    let on_hide = Closure::<dyn Fn()>::new(finish);
    let _ = w.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
    // Listens for the page's whole life.
    on_hide.forget();
}

/// Leaving: the session time, `cmi.core.exit`, LMSCommit, LMSFinish.
fn finish() {
    with_lms(|lms| {
        lms.send(&lms.reporter.closing(js_sys::Date::now() - lms.started));
        call(&lms.api, "LMSFinish", &[""]);
        lms.finished = true;
        Some(())
    });
}

/// Whether the page reports to an LMS (then it alone keeps the learner's progress: the
/// browser's may be another learner's, on a shared machine).
pub fn active() -> bool {
    with_lms(|_| Some(())).is_some()
}

/// Whether the page reports quiz `bank` to an LMS (its SCO is that quiz).
pub fn reports_quiz(bank: &Bank) -> bool {
    with_lms(|lms| (lms.reporter.sco == Sco::Quiz(bank.id.clone())).then_some(())).is_some()
}

/// The quiz of `bank` as the LMS kept it (this SCO's quiz, resumed), and the question shown.
pub fn quiz_resume(bank: &Bank) -> Option<(Quiz, usize)> {
    with_lms(|lms| lms.reporter.quiz_resume(bank))
}

/// The quiz of `bank` changed (`None`: not started, or started again), showing question `at`.
pub fn quiz_changed(bank: &Bank, quiz: Option<&Quiz>, at: usize) {
    with_lms(|lms| {
        let sets = lms.reporter.quiz_changed(bank, quiz, at);
        lms.send(&sets);
        Some(())
    });
}

/// The step of lesson `name` the LMS kept (this SCO's lesson, resumed), from 0.
pub fn lesson_resume(name: &str) -> Option<usize> {
    with_lms(|lms| lms.reporter.lesson_resume(name))
}

/// Lesson `name` of `steps` steps shows position `pos` (`steps`: the playground).
pub fn lesson_at(name: &str, pos: usize, steps: usize) {
    with_lms(|lms| {
        let sets = lms.reporter.lesson_at(name, pos, steps);
        lms.send(&sets);
        Some(())
    });
}
