//! Browser plumbing for the teaching views: fetching a file of the site, the clipboard, the
//! quiz seed kept in localStorage. Response methods are reached through `js_sys::Reflect`
//! (no extra web-sys features).

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::NodeRef;

/// Largest file read (lessons and banks are far smaller).
const MAX_TEXT: usize = 2 * 1024 * 1024;

/// GETs `url` (relative to the page, so the site works under any sub-path) as text.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| format!("{url} could not be loaded (the network request failed)"))?;
    let get = |name: &str| Reflect::get(&response, &name.into()).unwrap_or(JsValue::UNDEFINED);
    if get("ok").as_bool() != Some(true) {
        // Response.status is an integer (an unsigned short), so this prints as the float did;
        // writing a float would bring core's float formatting into the wasm for this one line.
        let status = get("status").as_f64().unwrap_or(0.0) as u32;
        return Err(if status == 404 {
            format!("{url} does not exist on this site")
        } else {
            format!("{url} could not be loaded (HTTP status {status})")
        });
    }
    let text_fn: Function = get("text").dyn_into().map_err(|_| "the browser cannot read the response")?;
    let promise: Promise =
        text_fn.call0(&response).ok().and_then(|p| p.dyn_into().ok()).ok_or("the browser cannot read the response")?;
    let text =
        JsFuture::from(promise).await.ok().and_then(|t| t.as_string()).ok_or_else(|| format!("{url} is not text"))?;
    if text.len() > MAX_TEXT {
        return Err(format!("{url} is larger than {MAX_TEXT} bytes"));
    }
    Ok(text)
}

/// Writes `text` to the clipboard; Err when the browser refuses (no permission, insecure
/// page, no clipboard API).
pub async fn copy_text(text: &str) -> Result<(), ()> {
    let window = web_sys::window().ok_or(())?;
    let navigator = window.navigator();
    let clipboard = Reflect::get(&navigator, &"clipboard".into()).map_err(|_| ())?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err(());
    }
    let clipboard: web_sys::Clipboard = clipboard.unchecked_into();
    JsFuture::from(clipboard.write_text(text)).await.map(|_| ()).map_err(|_| ())
}

/// Selects the text of an `<input>` or `<textarea>` (the copy fallback) and focuses it.
pub fn select_input(node: &NodeRef) {
    if let Some(i) = node.cast::<web_sys::HtmlInputElement>() {
        let _ = i.focus();
        i.select();
    } else if let Some(t) = node.cast::<web_sys::HtmlTextAreaElement>() {
        let _ = t.focus();
        t.select();
    }
}

/// Moves keyboard focus to an element (a heading with tabindex=-1 after a step change).
pub fn focus(node: &NodeRef) {
    if let Some(el) = node.cast::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

const SEED_KEY: &str = "streamlab.quiz-seed";

/// This learner's quiz seed: drawn once, then kept in localStorage so a reload (or another
/// bank) gives the same questions.
pub fn learner_seed() -> u64 {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    if let Some(s) = storage.as_ref().and_then(|s| s.get_item(SEED_KEY).ok().flatten()) {
        if let Ok(n) = s.trim().parse::<u64>() {
            if n <= crate::teach::share::MAX_SEED {
                return n;
            }
        }
    }
    let seed = new_seed();
    if let Some(s) = storage {
        let _ = s.set_item(SEED_KEY, &seed.to_string());
    }
    seed
}

/// Draws a new seed (1 to 999999) and keeps it as this learner's seed.
pub fn renew_seed() -> u64 {
    let seed = new_seed();
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(SEED_KEY, &seed.to_string());
    }
    seed
}

fn new_seed() -> u64 {
    1 + (js_sys::Math::random() * 999_999.0) as u64
}

/// Where the lessons a learner finished (reached the playground of) are kept: their ids, one a
/// line. And where "Start here" was dismissed.
const LESSONS_DONE_KEY: &str = "streamlab.lessons.done";
const START_HERE_KEY: &str = "streamlab.start-here.dismissed";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The ids of the lessons this learner finished in this browser.
pub fn lessons_done() -> Vec<String> {
    let text = storage().and_then(|s| s.get_item(LESSONS_DONE_KEY).ok().flatten()).unwrap_or_default();
    text.lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// Marks the lesson `id` finished (nothing when the browser keeps no storage).
pub fn mark_lesson_done(id: &str) {
    let mut done = lessons_done();
    if !done.iter().any(|d| d == id) {
        done.push(id.to_string());
        if let Some(s) = storage() {
            let _ = s.set_item(LESSONS_DONE_KEY, &done.join("\n"));
        }
    }
}

/// The "Start here" pointer is for a first visit: not shown once dismissed, once a lesson was
/// finished, or when the browser holds a lab from an earlier visit.
pub fn start_here_dismissed() -> bool {
    let has = |key: &str| storage().and_then(|s| s.get_item(key).ok().flatten()).is_some();
    has(START_HERE_KEY) || has(crate::web::persist::STORAGE_KEY) || !lessons_done().is_empty()
}

pub fn dismiss_start_here() {
    if let Some(s) = storage() {
        let _ = s.set_item(START_HERE_KEY, "1");
    }
}

/// The quiz of bank `id` in progress, as `Quiz::progress_text` wrote it.
pub fn quiz_progress(id: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(&format!("streamlab.quiz.{id}")).ok().flatten())
}

/// Keeps the quiz of bank `id` in progress (`Some`), or forgets it (`None`).
pub fn save_quiz_progress(id: &str, text: Option<&str>) {
    let Some(s) = storage() else { return };
    let key = format!("streamlab.quiz.{id}");
    let _ = match text {
        Some(t) => s.set_item(&key, t),
        None => s.remove_item(&key),
    };
}

/// The learner's name or ID as last typed for an exam (kept for the next one).
pub fn learner_name() -> String {
    storage().and_then(|s| s.get_item("streamlab.learner").ok().flatten()).unwrap_or_default()
}

pub fn set_learner_name(name: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item("streamlab.learner", name);
    }
}

/// When the exam of bank `id` with a time limit was started (ms since the epoch), so that a
/// reload does not give the learner the time again.
pub fn exam_started(id: &str) -> Option<f64> {
    storage().and_then(|s| s.get_item(&format!("streamlab.quiz.{id}.started")).ok().flatten())?.parse().ok()
}

/// Keeps (`Some`) or forgets when the exam of bank `id` was started.
pub fn set_exam_started(id: &str, at: Option<f64>) {
    let Some(s) = storage() else { return };
    let key = format!("streamlab.quiz.{id}.started");
    let _ = match at {
        Some(t) => s.set_item(&key, &(t as u64).to_string()),
        None => s.remove_item(&key),
    };
}
