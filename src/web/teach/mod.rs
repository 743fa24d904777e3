//! Teaching views: guided lessons, quizzes, shareable links and embed mode (issue #5).
//!
//! The page's URL fragment says what to show (`crate::teach::share`): `#lesson=<id>`, `#quiz=<id>`
//! (optionally `&seed=N`), `#s=<data>` (a whole lab state), `#lessons` and `#quizzes` (the
//! menus); `&embed=1` or `?embed=1` hides the header for an iframe in a course page.
//!
//! These views hold no simulation, grading or decoding logic: links are decoded and checked
//! by `share::decode_link` (a lab state's DEFLATE by the browser, `super::codec`), lessons and banks parsed by `lesson::parse` / `quiz::parse`, lab
//! states come from `Lesson::session_at` and friends, grading from `quiz::Quiz`. A lab state
//! reaches the lab panels through the root's import callback (`hooks::Import`: the scenario
//! text of the session), so the panels show it exactly as an imported scenario file.
//!
//! Everything from a URL or a fetched file is shown as text (Yew escapes it; no inner_html).

pub mod author;
pub mod catalogue;
pub mod lesson_view;
pub mod net;
pub mod print;
pub mod quiz_view;

use std::cell::RefCell;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::codec;
use super::hooks::Import;
use crate::teach::lab;
use crate::teach::share::{self, Target};

/// What the fragment asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// Nothing: the lab alone.
    Lab,
    /// The lesson menu (`#lessons`).
    Lessons,
    /// The quiz menu (`#quizzes`).
    Quizzes,
    /// The course catalogue (`#catalogue`).
    Catalogue,
    /// The Author view (`#author`): an instructor's files checked.
    Author,
    /// A lesson, at a step (counted from 1; past the last, the playground) when the link
    /// names one.
    Lesson { name: String, step: Option<u32> },
    Quiz {
        name: String,
        seed: Option<u64>,
        /// The exam's time limit in minutes (`&minutes=N`).
        minutes: Option<u32>,
    },
    /// A lab state from an `#s=` link, being unpacked (by the browser, asynchronously).
    Opening,
    /// A lab state from an `#s=` link, already loaded into the lab; the sentence naming the
    /// link's steps that failed, if any did.
    Shared(Option<String>),
    /// A link that could not be opened, and why.
    Bad(String),
}

thread_local! {
    /// A fragment this page wrote itself (the share button): not to be opened again.
    static OWN_HASH: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The page's fragment, without `#`.
pub fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.strip_prefix('#').unwrap_or(&h).to_string())
        .unwrap_or_default()
}

/// True for an in-page anchor (`#stream`, the clock bar's jump links): a fragment without `=`
/// that is the id of an element on the page. Those are left to the browser.
fn is_anchor(hash: &str) -> bool {
    !hash.is_empty()
        && !hash.contains('=')
        && web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(hash)).is_some()
}

/// Decodes a fragment into a route and, for an `#s=` link, the packed lab state to open.
/// Also returns whether the link asks for embed mode.
fn route_of(hash: &str) -> (Route, Option<share::Packed>, bool) {
    let main = hash.split('&').next().unwrap_or("");
    let embed_only = hash.split('&').skip(1).all(|p| p == "embed=1" || p == "embed=0");
    let embed = hash.split('&').skip(1).any(|p| p == "embed=1");
    match main {
        "" => return (Route::Lab, None, embed && embed_only),
        "lessons" if embed_only => return (Route::Lessons, None, embed),
        "quizzes" if embed_only => return (Route::Quizzes, None, embed),
        "catalogue" if embed_only => return (Route::Catalogue, None, embed),
        "author" if embed_only => return (Route::Author, None, embed),
        _ => {}
    }
    match share::decode_link(hash) {
        Ok((Target::Lesson(name), o)) => (Route::Lesson { name, step: o.step }, None, o.embed),
        Ok((Target::Quiz(name), o)) => (Route::Quiz { name, seed: o.seed, minutes: o.minutes }, None, o.embed),
        Ok((Target::State(packed), o)) => (Route::Opening, Some(packed), o.embed),
        Err(why) => (Route::Bad(why.to_string()), None, false),
    }
}

/// Sets the fragment. `own`: the page will not react to it (the share button).
pub fn set_hash(fragment: &str, own: bool) {
    let Some(w) = web_sys::window() else { return };
    if own {
        // Not "": a later hashchange to "" (Close lesson, after a link's message was
        // dismissed) is the learner's, and must close what is open.
        OWN_HASH.with(|o| *o.borrow_mut() = Some(fragment.to_string()).filter(|f| !f.is_empty()));
        // history.replaceState puts the link in the address bar without a hashchange event.
        let history = js_sys::Reflect::get(&w, &"history".into()).ok();
        let replace = history.as_ref().and_then(|h| js_sys::Reflect::get(h, &"replaceState".into()).ok());
        if let (Some(h), Some(f)) = (history, replace.and_then(|f| f.dyn_into::<js_sys::Function>().ok())) {
            let url = if fragment.is_empty() { page_url_without_hash() } else { format!("#{fragment}") };
            if f.call3(&h, &wasm_bindgen::JsValue::NULL, &"".into(), &url.into()).is_ok() {
                return;
            }
        }
    }
    let _ = w.location().set_hash(fragment);
}

fn page_url_without_hash() -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    href.split('#').next().unwrap_or("").to_string()
}

/// Marks the page as embedded (`<html class="embed">`): teach.css hides the header chrome.
fn set_embed(on: bool) {
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = if on { root.class_list().add_1("embed") } else { root.class_list().remove_1("embed") };
    }
}

fn embed_query() -> bool {
    web_sys::window().and_then(|w| w.location().search().ok()).is_some_and(|s| share::embed_query(&s))
}

/// Follows `hashchange` events; the current fragment.
#[hook]
fn use_hash() -> UseStateHandle<String> {
    let hash = use_state(current_hash);
    {
        let hash = hash.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || {
                let now = current_hash();
                let own = OWN_HASH.with(|o| o.borrow().as_deref() == Some(now.as_str()));
                if !own && !is_anchor(&now) {
                    hash.set(now);
                }
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
                }
            }
        });
    }
    hash
}

/// What the fragment asks for, following `hashchange` (and loading an `#s=` link's lab through
/// `on_import`). A hook of the root: [`teach`] is a plain function, not a component of its own
/// (size of the wasm).
#[hook]
pub fn use_route(on_import: Callback<Import>) -> UseStateHandle<Route> {
    let hash = use_hash();
    let route = use_state(|| Route::Lab);
    {
        let route = route.clone();
        use_effect_with((*hash).clone(), move |hash| {
            if is_anchor(hash) {
                return;
            }
            let (r, packed, embed) = route_of(hash);
            set_embed(embed || embed_query());
            route.set(r);
            if let Some(packed) = packed {
                // Unpacked by the browser; then checked and replayed like any scenario, and
                // loaded through the lab's own import, unless the page moved on meanwhile.
                let (hash, route) = (hash.clone(), route.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let opened = codec::unpack(&packed)
                        .await
                        .and_then(|bytes| share::state_from_unpacked(bytes).map_err(|e| e.to_string()));
                    if current_hash() != hash {
                        return;
                    }
                    match opened {
                        Ok((session, text)) => {
                            on_import.emit(Import { text, source: "the shared link".into() });
                            // The lab is the learner's now (saved as they change it): a reload
                            // must show it, not open the link over it again.
                            if !embed {
                                set_hash("", true);
                            }
                            route.set(Route::Shared(lab::failed_steps(&session)));
                        }
                        Err(why) => route.set(Route::Bad(why)),
                    }
                });
            }
        });
    }
    route
}

/// The teaching area above the lab: a lesson, a quiz, a menu, or a message about a link.
/// Renders nothing when the fragment is empty. `route`: from [`use_route`].
pub fn teach(route: &UseStateHandle<Route>, on_import: &Callback<Import>) -> Html {
    let close = Callback::from(|_: MouseEvent| set_hash("", false));
    let current: &Route = route;
    let view = match current {
        Route::Lab => html! { <lesson_view::StartHere /> },
        Route::Catalogue => html! { <catalogue::Catalogue /> },
        Route::Author => html! { <author::Author /> },
        Route::Lessons | Route::Quizzes | Route::Lesson { .. } | Route::Quiz { .. } => {
            // Keys unique across the four kinds: switching between any two remounts.
            let key = match current {
                Route::Lessons => "lessons".to_string(),
                Route::Quizzes => "quizzes".to_string(),
                // Not the step: moving through the lesson writes it in the address bar.
                Route::Lesson { name, .. } => format!("lesson={name}"),
                Route::Quiz { name, seed, minutes } => format!("quiz={name}/{seed:?}/{minutes:?}"),
                _ => String::new(),
            };
            html! { <lesson_view::TeachFile {key} route={current.clone()} on_import={on_import.clone()} on_close={close} /> }
        }
        Route::Opening => html! {
            <div class="teach-note" role="status"><p>{ "Opening the lab from the shared link…" }</p></div>
        },
        Route::Shared(failed) => {
            let dismiss = {
                let route = route.clone();
                Callback::from(move |_: MouseEvent| route.set(Route::Lab))
            };
            let failed = failed
                .as_ref()
                .map(|f| html! { <p class="teach-failed">{ format!("Not all of the link replayed: {f}") }</p> });
            html! {
                <div class="teach-note" role="status">
                    <p>{ "This lab was opened from a shared link: the panels below show its state. Anything you change now is yours." }</p>
                    { for failed }
                    <button type="button" onclick={dismiss}>{ "Dismiss" }</button>
                </div>
            }
        }
        Route::Bad(why) => {
            let dismiss = {
                let route = route.clone();
                Callback::from(move |_: MouseEvent| {
                    set_hash("", true);
                    route.set(Route::Lab);
                })
            };
            html! {
                <div class="teach-note teach-bad" role="alert">
                    <p><strong>{ "This link could not be opened: " }</strong>{ why.clone() }{ "." }</p>
                    <p>{ "The lab below works as usual." }</p>
                    <button type="button" onclick={dismiss}>{ "Dismiss" }</button>
                </div>
            }
        }
    };
    if *current == Route::Lab {
        return view;
    }
    html! { <div class="wrap teach-area">{ view }</div> }
}

/// What [`nav`] keeps between renders: the link last shared and its note, and the link's
/// input. A hook of the root: the header is a plain function, not a component of its own
/// (size of the wasm).
pub type ShareState = (UseStateHandle<Option<(String, Option<String>)>>, NodeRef);

#[hook]
pub fn use_share() -> ShareState {
    (use_state(|| None::<(String, Option<String>)>), use_node_ref())
}

/// The header links (Lessons, Quizzes) and the Share link button. `scenario`: the lab as a
/// scenario, what a link packs.
pub fn nav(scenario: &Callback<(), serde_json::Value>, (shared, input): &ShareState) -> Html {
    let on_share = {
        let scenario = scenario.clone();
        let shared = shared.clone();
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            let text = scenario.emit(()).to_string();
            let shared = shared.clone();
            let input = input.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let packed = match codec::pack(&text).await {
                    Ok(packed) => packed,
                    Err(why) => return shared.set(Some((String::new(), Some(why)))),
                };
                set_hash(&share::state_fragment(&packed), true);
                let url = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
                shared.set(Some((url.clone(), None)));
                let note = match net::copy_text(&url).await {
                    Ok(()) => "Link copied to the clipboard. Opening it shows this lab as it is now.".to_string(),
                    Err(()) => {
                        net::select_input(&input);
                        "The browser did not let the page copy: the link is selected, press Ctrl+C (or ⌘C) to copy it."
                            .to_string()
                    }
                };
                shared.set(Some((url, Some(note))));
            });
        })
    };
    let out = shared.as_ref().map(|(url, note)| {
        html! {
            <div class="share-out">
                <label class="share-label" for="share-url">{ "Link to this lab" }</label>
                <input id="share-url" ref={input.clone()} type="text" readonly=true value={url.clone()} />
                <p class="share-note" role="status">{ note.clone().unwrap_or_default() }</p>
            </div>
        }
    });
    html! {
        <nav class="teach-nav" aria-label="Lessons, quizzes and sharing">
            <ul>
                <li><a href="#lessons">{ "Lessons" }</a></li>
                <li><a href="#quizzes">{ "Quizzes" }</a></li>
                <li><a href="#catalogue">{ "Catalogue" }</a></li>
                <li><button type="button" class="share-button" onclick={on_share}>{ "Share link" }</button></li>
                <li><crate::web::export::ExportToAws scenario={scenario.clone()} /></li>
            </ul>
            { for out }
        </nav>
    }
}

/// Brings a panel of the lab into view (a lesson step's `focus`).
pub fn show_panel(focus: &str) {
    let id = match focus {
        "table" => "table",
        "stream" => "stream",
        "flow" => "flow",
        "invocations" => "triggers",
        _ => "results",
    };
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
        el.scroll_into_view();
    }
}

/// Human name of a lesson step's `focus` panel.
pub fn panel_name(focus: &str) -> &'static str {
    match focus {
        "table" => "the Table panel",
        "stream" => "the Stream panel",
        "flow" => "the Flow diagram",
        "invocations" => "the Triggers panel (invocation timeline)",
        "notifications" => "the Results panel (notifications)",
        "aggregates" => "the Results panel (aggregates)",
        "failures" => "the Results panel (failures)",
        "costs" => "the Results panel (costs)",
        _ => "the lab",
    }
}
