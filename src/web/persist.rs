//! The browser's storage, the one place the lab reads and writes it: the state the page starts
//! from, the session saved after every change (an effect that watches the state, as in yew's
//! function_todomvc), and the lab kept before an import, a link or "Start over" replaces it.

use std::cell::Cell;
use std::rc::Rc;

use yew::prelude::*;

use super::dom;
use super::state::{Action, Lab};
use super::LabHandle;
use crate::teach::lab::{self, Previous};
use crate::teach::session::Session;

/// Where the session is saved, and where unreadable saved data is set aside.
pub const STORAGE_KEY: &str = "streamlab.session";
pub const SET_ASIDE_KEY: &str = "streamlab.session.set-aside";
/// The lab before the last import, lesson, shared link or "Start over", so none of them can
/// lose a learner's work.
pub const PREVIOUS_KEY: &str = "streamlab.session.previous";
/// The learner's own lab (not a lesson's, a link's or an import's) while another is open, so
/// that opening any number of lessons and links never replaces it.
pub const OWN_KEY: &str = "streamlab.session.own";
/// Where the saved session came from: "own" (the learner's), "loaded" (a lesson, a link or an
/// import, unchanged since) or "loaded-changed". Missing: "own" (saved by an older version).
pub const ORIGIN_KEY: &str = "streamlab.session.origin";
/// The table and the function the lab was showing ("table\nfunction"), so that a reload shows
/// them again (when the lab still has them).
pub const CHOICE_KEY: &str = "streamlab.session.choice";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Stores `text` under `key`; or why the browser refused (its error's name, such as
/// QuotaExceededError, or else its message).
fn set(key: &str, text: &str) -> Result<(), String> {
    let storage = local_storage().ok_or("this browser gives the page no storage")?;
    storage.set_item(key, text).map_err(|e| {
        let field = |f: &str| js_sys::Reflect::get(&e, &f.into()).ok().and_then(|v| v.as_string());
        field("name").or_else(|| field("message")).filter(|s| !s.is_empty()).unwrap_or_else(|| "storage refused".into())
    })
}

/// The state the page starts with: the saved session when there is a readable one; otherwise
/// the starter lab. Unreadable or old data is moved to [`SET_ASIDE_KEY`] and a banner says so;
/// when the browser has no room for that copy, the data stays where it is and the lab is not
/// saved over it until the learner downloads or discards it (`Lab::unreadable`).
pub fn load() -> Lab {
    let mut lab = match get(STORAGE_KEY).map(|text| (Session::from_storage(&text), text)) {
        None => Lab::default(),
        Some((Ok(session), _)) => {
            let mut lab = Lab::with_session(session);
            if let Some((table, function)) = get(CHOICE_KEY).as_deref().and_then(|c| c.split_once('\n')) {
                let session = lab.session.borrow();
                let (table, function) =
                    (lab::table_or_first(&session, table), lab::function_or_first(&session, function));
                drop(session);
                (lab.table, lab.function) = (table, function);
            }
            lab
        }
        Some((Err(why), text)) => match set(SET_ASIDE_KEY, &text) {
            Ok(()) => {
                if let Some(storage) = local_storage() {
                    let _ = storage.remove_item(STORAGE_KEY);
                }
                Lab { restore_note: Some(lab::not_restored(&why.to_string(), SET_ASIDE_KEY)), ..Lab::default() }
            }
            Err(refused) => Lab {
                restore_note: Some(lab::not_restored_nor_set_aside(&why.to_string(), &refused)),
                unreadable: Some(Rc::new(text)),
                ..Lab::default()
            },
        },
    };
    lab.has_previous = get(PREVIOUS_KEY).is_some();
    lab.has_own = get(OWN_KEY).is_some();
    if lab.restore_note.is_none() {
        match get(ORIGIN_KEY).as_deref() {
            Some("loaded") => lab.own = false,
            Some("loaded-changed") => (lab.own, lab.touched) = (false, true),
            _ => {}
        }
    }
    lab
}

/// The origin of the lab, as [`ORIGIN_KEY`] keeps it.
fn origin(lab: &Lab) -> &'static str {
    match (lab.own, lab.touched) {
        (true, _) => "own",
        (false, false) => "loaded",
        (false, true) => "loaded-changed",
    }
}

/// Downloads the saved session that could not be read; true when the browser took it.
pub fn download_unreadable(text: &str) -> bool {
    dom::download(lab::UNREADABLE_FILE, text, "text/plain").is_ok()
}

/// Removes the saved session that could not be read (the learner chose to discard it).
pub fn discard_unreadable() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}

/// Keeps the lab about to be replaced: the learner's own under [`OWN_KEY`]; another (a
/// lesson's, a link's, an import's) under [`PREVIOUS_KEY`] if the learner changed it, else not
/// at all (its lesson or link loads it again). When it is too big for the browser or the
/// browser has no room, it is downloaded as a scenario file instead. `NotKept`: neither
/// worked, and the lab must not be replaced. `start_over`: the learner's own lab is replaced
/// by a new own lab, so it is kept as the previous lab.
pub fn keep_replaced(lab: &Lab, start_over: bool) -> Previous {
    if !lab.own && !lab.touched {
        return Previous::Nothing;
    }
    let s = lab.session.borrow();
    let download = |done: Previous| {
        let text = format!("{:#}", s.to_scenario_json());
        match dom::download(lab::PREVIOUS_FILE, &text, "application/json") {
            Ok(()) => done,
            Err(_) => Previous::NotKept,
        }
    };
    let (key, kept) =
        if lab.own && !start_over { (OWN_KEY, Previous::KeptOwn) } else { (PREVIOUS_KEY, Previous::Kept) };
    match lab::previous_to_keep(&s) {
        Ok(text) => match set(key, &text) {
            Ok(()) => kept,
            Err(_) => download(Previous::Downloaded),
        },
        Err(Previous::TooBig) => download(Previous::TooBig),
        Err(why) => why,
    }
}

/// The learner's own lab kept under [`OWN_KEY`].
pub fn own() -> Option<String> {
    get(OWN_KEY)
}

/// Forgets the own lab kept under [`OWN_KEY`] (it is the lab now).
pub fn forget_own() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(OWN_KEY);
    }
}

/// The stored form of the lab kept under [`PREVIOUS_KEY`].
pub fn previous() -> Option<String> {
    get(PREVIOUS_KEY)
}

/// Saves the session after every change, unless it is too big to be read back (the Files panel
/// then says so: such a lab is kept by exporting it), or a saved session that could not be read
/// is still waiting to be downloaded or discarded. Ticks of the playing clock are saved at
/// most once a second; pausing saves at once; a running job (a burst, a long advance) saves
/// once, when it is done. When the browser refuses a save (its storage is full), a banner says
/// so, once, and another when a save works again.
#[hook]
pub fn use_autosave(lab: &LabHandle) {
    let last = use_mut_ref(|| Cell::new(0.0f64));
    let (session, version, ticked, playing, busy) =
        (lab.session.clone(), lab.version, lab.ticked, lab.playing, lab.job.is_some());
    let (holding, failing, dispatch) = (lab.unreadable.is_some(), lab.save_error.is_some(), lab.dispatcher());
    let origin = origin(lab);
    // The choice of table and function: a convenience, not the learner's work. A write the
    // browser refuses is not reported (the lab's own save, just below, reports the same refusal).
    use_effect_with((lab.table.clone(), lab.function.clone()), |(table, function)| {
        let _ = set(CHOICE_KEY, &format!("{table}\n{function}"));
    });
    use_effect_with((version, playing, holding), move |_| {
        let now = js_sys::Date::now();
        let throttled = (ticked && playing && now - last.borrow().get() < 1000.0) || busy || holding;
        if !throttled && version > 0 {
            let session = session.borrow();
            if session.fits_storage() {
                match set(STORAGE_KEY, &session.to_storage()).and_then(|()| set(ORIGIN_KEY, origin)) {
                    Ok(()) if failing => dispatch.dispatch(Action::Saved),
                    Ok(()) => {}
                    Err(why) if !failing => dispatch.dispatch(Action::SaveFailed(why)),
                    Err(_) => {}
                }
            }
            last.borrow().set(now);
        }
    });
}
