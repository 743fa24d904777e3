//! The browser app (wasm32 only): a Yew front end over `crate::teach::lab` and `crate::teach::session`.
//!
//! Shape follows yew's `function_todomvc` example: function components, one `use_reducer` at
//! the root holding [`state::Lab`] (the learner's session and what the page shows), and an
//! [`state::Action`] enum. The UI holds no simulation logic: it sends AWS actions to the
//! session, and shows the engine's answers. User text is only ever shown as text (no
//! inner_html anywhere), and no `style` attribute is ever written (the page's CSP forbids
//! them): sizes that must be computed are set through the CSSOM (`dom::set_style`).
//!
//! A class computed at render time is set as the `className` property (`~className={..}`,
//! after the element's other attributes, where yew puts `class`): a `class={..}` expression
//! would build a yew `Classes` set for each element (size of the wasm). Only where the class
//! is always there: a property cannot be taken away, so an element whose class comes and goes
//! is written as two elements.

pub mod codec;
pub mod dom;
pub mod flow;
pub mod hooks;
pub mod results;
pub mod state;
pub mod stream;
pub mod table;
pub mod teach;
pub mod timebar;
pub mod triggers;

use web_sys::Element;
use yew::prelude::*;

use state::{Action, Lab};

/// Mount the app on `<body>` (called by the `streamlab` binary's `main` on wasm32).
pub fn start() {
    yew::Renderer::<App>::new().render();
}

/// Mount the app inside `root` (used by the browser tests).
pub fn mount(root: Element) -> AppHandle<App> {
    yew::Renderer::<App>::with_root(root).render()
}

pub type LabHandle = UseReducerHandle<Lab>;

#[component]
pub fn App() -> Html {
    let lab = use_reducer(Lab::restore);
    let dispatch = {
        let lab = lab.clone();
        Callback::from(move |action: Action| lab.dispatch(action))
    };

    // The teaching area's route: called first, so its effects run before the root's own.
    let route = teach::use_route(dispatch.clone());
    hooks::use_autosave(&lab);
    let panel = PanelProps { lab: lab.clone(), on_action: dispatch.clone() };
    let share = teach::use_share();
    let dialog = stream::use_detail_dialog(&lab);
    // Fields whose text stays in the DOM until used: the clock's seconds, a pasted scenario.
    let (seconds, pasted) = (use_node_ref(), use_node_ref());
    hooks::use_clock(&lab, dispatch.clone());
    hooks::use_work(&lab, dispatch.clone());

    let restore_note = lab.restore_note.clone().map(|note| {
        let dismiss = dispatch.reform(|_: MouseEvent| Action::DismissRestoreNote);
        html! {
            <div class="banner wrap" role="status">
                <p>{ note }</p>
                <button type="button" onclick={dismiss}>{ "Dismiss" }</button>
            </div>
        }
    });

    html! {
        <>
            <header class="masthead">
                <div class="wrap masthead-row">
                    <h1>{ "StreamLab" }</h1>
                    <p class="intro">
                        { "Change an item, and follow its stream record into a Lambda trigger. Everything runs in your browser, on a simulated clock." }
                    </p>
                    { teach::nav(&lab, &share) }
                </div>
            </header>
            { for restore_note }
            { teach::teach(&route, &dispatch) }
            { timebar::time_bar(&panel, &seconds) }
            <main class="wrap">
                <div class="grid">
                    <table::TablePanel key={lab.session_key()} lab={lab.clone()} on_action={dispatch.clone()} />
                    { stream::stream_panel(&panel) }
                </div>
                { flow::flow(&panel) }
                <div class="grid">
                    <triggers::TriggersPanel key={lab.session_key()} lab={lab.clone()} on_action={dispatch.clone()} />
                    { results::results_panel(&panel) }
                </div>
                { results::files_panel(&panel, &pasted) }
            </main>
            { stream::detail_dialog(&panel, dialog) }
        </>
    }
}

/// Props shared by the panels: the state (read only) and the dispatcher.
#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub lab: LabHandle,
    pub on_action: Callback<Action>,
}

/// A note under a control: a success line (role=status) or an AWS-style error.
pub fn note_view(note: &Option<state::Note>) -> Html {
    match note {
        Some(state::Note::Ok(text)) => html! { <p class="status">{ text }</p> },
        Some(state::Note::Error { kind, message }) => html! {
            <div class="error">
                <p class="error-kind">{ kind }</p>
                <p class="error-message">{ message }</p>
                <p class="error-note">{ "Nothing was changed." }</p>
            </div>
        },
        None => html! {},
    }
}
