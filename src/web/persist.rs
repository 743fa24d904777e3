//! The browser's storage, the one place the lab reads and writes it: the state the page starts
//! from, the session saved after every change (an effect that watches the state, as in yew's
//! function_todomvc), and the lab kept before an import, a link or "Start over" replaces it.

use std::cell::Cell;

use yew::prelude::*;

use super::state::Lab;
use super::LabHandle;
use crate::teach::lab::{self, Previous};
use crate::teach::session::Session;

/// Where the session is saved, and where unreadable saved data is set aside.
pub const STORAGE_KEY: &str = "streamlab.session";
pub const SET_ASIDE_KEY: &str = "streamlab.session.set-aside";
/// The lab before the last import, lesson, shared link or "Start over", so none of them can
/// lose a learner's work.
pub const PREVIOUS_KEY: &str = "streamlab.session.previous";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// The state the page starts with: the saved session when there is a readable one; otherwise
/// the starter lab. Unreadable or old data is moved to [`SET_ASIDE_KEY`] and a banner says so.
pub fn load() -> Lab {
    let mut lab = match get(STORAGE_KEY).map(|text| (Session::from_storage(&text), text)) {
        None => Lab::default(),
        Some((Ok(session), _)) => Lab::with_session(session),
        Some((Err(why), text)) => {
            if let Some(storage) = local_storage() {
                let _ = storage.set_item(SET_ASIDE_KEY, &text);
                let _ = storage.remove_item(STORAGE_KEY);
            }
            Lab { restore_note: Some(lab::not_restored(&why.to_string(), SET_ASIDE_KEY)), ..Lab::default() }
        }
    };
    lab.has_previous = get(PREVIOUS_KEY).is_some();
    lab
}

/// Keeps `s`, about to be replaced, under [`PREVIOUS_KEY`].
pub fn keep_previous(s: &Session) -> Previous {
    match lab::previous_to_keep(s) {
        Ok(text) => match local_storage().map(|st| st.set_item(PREVIOUS_KEY, &text)) {
            Some(Ok(())) => Previous::Kept,
            _ => Previous::NotKept,
        },
        Err(why) => why,
    }
}

/// The stored form of the lab kept under [`PREVIOUS_KEY`].
pub fn previous() -> Option<String> {
    get(PREVIOUS_KEY)
}

/// Saves the session after every change, unless it is too big to be read back (the Files panel
/// then says so: such a lab is kept by exporting it). Ticks of the playing clock are saved at
/// most once a second; pausing saves at once; a running job (a burst, a long advance) saves
/// once, when it is done.
#[hook]
pub fn use_autosave(lab: &LabHandle) {
    let last = use_mut_ref(|| Cell::new(0.0f64));
    let (session, version, ticked, playing, busy) =
        (lab.session.clone(), lab.version, lab.ticked, lab.playing, lab.job.is_some());
    use_effect_with((version, playing), move |_| {
        let now = js_sys::Date::now();
        let throttled = (ticked && playing && now - last.borrow().get() < 1000.0) || busy;
        if !throttled && version > 0 {
            let session = session.borrow();
            if let Some(storage) = local_storage().filter(|_| session.fits_storage()) {
                let _ = storage.set_item(STORAGE_KEY, &session.to_storage());
            }
            last.borrow().set(now);
        }
    });
}
