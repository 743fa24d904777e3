//! The browser app (wasm32 only): a Yew front end over `crate::teach::lab` and `crate::teach::view`.
//!
//! Shape follows yew's `function_todomvc` example: function components, one `use_reducer` at
//! the root holding [`state::Lab`] (the learner's session and what the page shows), an
//! [`state::Action`] enum and a pure reducer; the browser's storage and clock are read by hooks
//! (`persist`, `hooks`). The UI holds no simulation logic: the root builds each panel's view
//! struct with `crate::teach::view` and hands each panel the data it shows and the callbacks it
//! may fire; actions go to the session through `crate::teach::lab`. User text is only ever
//! shown as text (no inner_html anywhere), and no `style` attribute is ever written (the page's
//! CSP forbids them): sizes that must be computed are set through the CSSOM (`dom::set_style`).
//!
//! A class computed at render time is set as the `className` property (`~className={..}`,
//! after the element's other attributes, where yew puts `class`): a `class={..}` expression
//! would build a yew `Classes` set for each element (size of the wasm). Only where the class
//! is always there: a property cannot be taken away, so an element whose class comes and goes
//! is written as two elements.

pub mod codec;
pub mod dom;
pub mod export;
pub mod flow;
pub mod hooks;
pub mod persist;
pub mod results;
pub mod scorm;
pub mod state;
pub mod stream;
pub mod table;
pub mod teach;
pub mod timebar;
pub mod triggers;
pub mod update;

use std::rc::Rc;

use web_sys::Element;
use yew::prelude::*;

use crate::teach::lab;
use crate::teach::view::{self, StreamRecords};
use state::{Action, Lab, Note};

/// Mount the app on `<body>` (called by the `streamlab` binary's `main` on wasm32).
pub fn start() {
    // index.html's start-up message (and the help it shows if the app does not start).
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
    // A SCORM launch opens its lesson or quiz, and reports to the LMS if there is one.
    scorm::start();
    yew::Renderer::<App>::new().render();
}

/// Mount the app inside `root` (used by the browser tests).
pub fn mount(root: Element) -> AppHandle<App> {
    yew::Renderer::<App>::with_root(root).render()
}

pub type LabHandle = UseReducerHandle<Lab>;

#[component]
pub fn App() -> Html {
    let (lab, on, pace) = hooks::use_lab();
    // The teaching area's route: called first, so its effects run before the root's own.
    let route = teach::use_route(on.import.clone());
    persist::use_autosave(&lab);
    let share = teach::use_share();
    let dialog = stream::use_detail_dialog(lab.detail.clone());
    // Fields whose text stays in the DOM until used: the clock's seconds, a pasted scenario.
    let (seconds, pasted) = (use_node_ref(), use_node_ref());
    // On a phone: the clock bar's other controls are shown.
    let clock_more = use_state(|| false);
    let on_more = {
        let clock_more = clock_more.clone();
        Callback::from(move |_: MouseEvent| clock_more.set(!*clock_more))
    };
    hooks::use_clock(lab.playing, lab.speed, on.action.clone());
    hooks::use_work(&lab, &pace);

    let restore_note = lab.restore_note.clone().map(|note| {
        // A saved session that could not be read nor set aside is downloaded or discarded
        // before the page saves over it; any other note is dismissed.
        let buttons = match lab.unreadable.clone() {
            Some(text) => {
                // If the browser will not download it either, the banner stays.
                let action = on.action.clone();
                let download = Callback::from(move |_: MouseEvent| {
                    if persist::download_unreadable(&text) {
                        action.emit(Action::UnreadableHandled);
                    }
                });
                let discard = on.action.reform(|_: MouseEvent| {
                    persist::discard_unreadable();
                    Action::UnreadableHandled
                });
                html! {
                    <>
                        <button type="button" onclick={download}>{ "Download it" }</button>
                        <button type="button" onclick={discard}>{ "Discard it" }</button>
                    </>
                }
            }
            None => html! {
                <button type="button" onclick={on.action.reform(|_: MouseEvent| Action::DismissRestoreNote)}>{ "Dismiss" }</button>
            },
        };
        html! {
            <div class="banner wrap" role="status">
                <p>{ note }</p>
                { buttons }
            </div>
        }
    });
    // The lab as a scenario file, when the learner shares or exports it.
    let scenario = {
        let session = lab.session.clone();
        Callback::from(move |()| session.borrow().to_scenario_json())
    };
    let on_open = on.action.reform(Action::Open);
    let s = lab.session.borrow();
    let (table, key) = (&lab.table, lab.session_key());
    let stream = view::stream(&s, table);
    let functions = view::functions(&s, &lab.function, table);
    let triggers = triggers::Triggers {
        code: view::trigger_code(&s, &lab.function),
        mapping: view::MappingForm::from_session(&s, &lab.function, &functions.table),
        has_mapping: view::has_mapping(&s, &lab.function, &functions.table),
        view_type: lab::view_type(&s, &functions.table),
        functions,
        note: lab.deploy_note.clone(),
        timeline: view::timeline(&s),
        metrics: view::metrics(&s),
    };
    let bar = timebar::TimeBar {
        clock: view::clock(&s),
        playing: lab.playing,
        speed: lab.speed,
        progress: lab.job.as_ref().map(|j| j.progress()),
        note: lab.clock_note.clone(),
        more: *clock_more,
    };
    // A lesson open: on a wide screen it stands beside the lab, so that what it says and the
    // panels it talks about are on screen together.
    let lesson_open = matches!(*route, teach::Route::Lesson { .. });

    html! {
        <>
            <header class="masthead">
                <div class="wrap masthead-row">
                    <h1>{ "StreamLab" }</h1>
                    <p class="intro">
                        { "Change an item, and follow its stream record into a Lambda trigger. Everything runs in your browser, on a simulated clock." }
                    </p>
                    { teach::nav(&scenario, &share) }
                </div>
            </header>
            { for restore_note }
            <div ~className={if lesson_open { "layout with-lesson" } else { "layout" }}>
            { teach::teach(&route, &on.import) }
            <div class="lab-column">
            { timebar::time_bar(&bar, &on.action, &seconds, &on_more) }
            <main class="wrap">
                <div class="grid">
                    <table::TablePanel key={format!("{key}/{table}")} view={Rc::new(view::table(&s, table))} note={lab.write_note.clone()}
                        busy={lab.job.is_some()} on_write={on.action.reform(|(op, form)| Action::Write(op, form))}
                        on_table={on.action.reform(Action::SelectTable)} on_burst={on.action.reform(Action::Burst)}
                        on_ttl={on.action.reform(Action::EnableTtl)} table_note={lab.table_note.clone()}
                        on_create={on.action.reform(Action::CreateTable)} on_delete={on.action.reform(|()| Action::DeleteTable)} />
                    { stream::stream_panel(&stream, &lab.view_note, StreamRecords::new(&lab.session, table, lab.version), &on.action) }
                </div>
                { flow::flow(&view::flow(&s, table), view::loop_view(&s), &lab.loop_note, &on.action) }
                <div class="grid">
                    { triggers::triggers_panel(triggers, key, &on.action, &on_open) }
                    { results::results_panel(&view::results(&s)) }
                </div>
                { results::files_panel(&view::files(&s, lab.save_error.as_deref()), lab.has_previous, lab.has_own && !lab.own, &lab.files_note, &on, &scenario, &pasted) }
            </main>
            </div>
            </div>
            { stream::detail_dialog(lab.detail.as_ref().map(|d| view::detail(&s, d)), &on.action, dialog) }
            <update::UpdateNotice />
        </>
    }
}

/// A message whose first line is the sentence and whose other lines, if any, quote source
/// text with a caret under the place (a rule's syntax error): the sentence wraps as text, the
/// quote keeps its columns (no wrapping; it scrolls sideways when long), so the caret stays
/// under its character.
pub fn diagnostic(text: &str, class: &'static str) -> Html {
    match text.split_once('\n') {
        None => html! { <p class={class}>{ text }</p> },
        Some((sentence, quote)) => html! {
            <div class={class}>
                <p class="diagnostic-sentence">{ sentence }</p>
                <pre class="diagnostic-source" tabindex="0">{ quote }</pre>
            </div>
        },
    }
}

/// A note under a control: a success line (role=status) or an AWS-style error.
pub fn note_view(note: &Option<Note>) -> Html {
    match note {
        Some(Note::Ok(text)) => html! { <p class="status">{ text }</p> },
        Some(Note::Error { kind, message }) => html! {
            <div class="error">
                <p class="error-kind">{ kind }</p>
                { diagnostic(message, "error-message") }
                <p class="error-note">{ "Nothing was changed." }</p>
            </div>
        },
        None => html! {},
    }
}
