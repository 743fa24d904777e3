//! The browser app (wasm32 only): a Yew front end over `crate::engine`.
//!
//! Shape follows yew's `function_todomvc` example: function components, one `use_reducer` at
//! the root holding [`state::Lab`] (the engine instance and what the page shows), and an
//! [`state::Action`] enum. The UI holds no simulation logic: it builds AWS JSON requests,
//! calls the engine, and shows the engine's answers. User text is only ever shown as text.

pub mod state;

use web_sys::{Element, HtmlTextAreaElement, InputEvent, KeyboardEvent};
use yew::prelude::*;

use state::{Action, Failure, Lab, RecordRow, StreamView, EXAMPLE_ITEM, TABLE};

/// Mount the app on `<body>` (called by the `streamlab` binary's `main` on wasm32).
pub fn start() {
    yew::Renderer::<App>::new().render();
}

/// Mount the app inside `root` (used by the browser tests).
pub fn mount(root: Element) -> AppHandle<App> {
    yew::Renderer::<App>::with_root(root).render()
}

#[component]
pub fn App() -> Html {
    let lab = use_reducer(Lab::new);
    let dispatch = {
        let lab = lab.clone();
        Callback::from(move |action: Action| lab.dispatch(action))
    };

    html! {
        <>
            <header class="masthead">
                <div class="wrap">
                    <h1>{ "StreamLab" }</h1>
                    <p class="intro">
                        { "Write to a DynamoDB table and watch its stream records appear, in a simulator that runs in your browser." }
                    </p>
                </div>
            </header>
            <main class="wrap layout">
                <ItemForm error={lab.error.clone()} status={lab.status.clone()} on_action={dispatch} />
                <RecordList streams={lab.streams.clone()} count={lab.record_count()} />
            </main>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct ItemFormProps {
    pub error: Option<Failure>,
    pub status: Option<String>,
    pub on_action: Callback<Action>,
}

/// The item textarea, the Put and Delete buttons and the inline error.
#[component]
pub fn ItemForm(props: &ItemFormProps) -> Html {
    let textarea = use_node_ref();
    // The textarea is controlled (Yew re-applies `value` on every render), so its text lives here.
    let draft = use_state(|| EXAMPLE_ITEM.to_string());
    let on_input = {
        let draft = draft.setter();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                draft.set(t.value());
            }
        })
    };
    let text = {
        let textarea = textarea.clone();
        move || {
            textarea
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default()
        }
    };
    let on_put = {
        let (text, on_action) = (text.clone(), props.on_action.clone());
        Callback::from(move |_: MouseEvent| on_action.emit(Action::Put(text())))
    };
    let on_delete = {
        let (text, on_action) = (text.clone(), props.on_action.clone());
        Callback::from(move |_: MouseEvent| on_action.emit(Action::Delete(text())))
    };
    // Ctrl+Enter (or Cmd+Enter) in the textarea puts the item.
    let on_keydown = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                on_action.emit(Action::Put(text()));
            }
        })
    };
    let invalid = props.error.is_some();

    html! {
        <section class="panel" aria-labelledby="write-heading">
            <h2 id="write-heading">{ "Write to " }<code>{ TABLE }</code></h2>
            <p class="hint" id="item-hint">
                { "An item in DynamoDB JSON. The key is " }<code>{ "voter" }</code>
                { " (a string). Ctrl+Enter puts it." }
            </p>
            <label for="item" class="label">{ "Item" }</label>
            <textarea
                id="item"
                ref={textarea}
                class="item-input"
                rows="7"
                spellcheck="false"
                autocapitalize="off"
                autocomplete="off"
                aria-describedby="item-hint item-error"
                aria-invalid={if invalid { "true" } else { "false" }}
                oninput={on_input}
                onkeydown={on_keydown}
                value={(*draft).clone()}
            />
            <div class="actions">
                <button type="button" class="primary" onclick={on_put}>{ "Put item" }</button>
                <button type="button" onclick={on_delete}>{ "Delete item" }</button>
            </div>
            <p class="status" role="status">{ props.status.clone().unwrap_or_default() }</p>
            <div id="item-error" class="error-region" role="alert">
                {
                    match &props.error {
                        Some(failure) => html! {
                            <div class="error">
                                <p class="error-kind">{ &failure.kind }</p>
                                <p class="error-message">{ &failure.message }</p>
                                <p class="error-note">{ "Nothing was changed." }</p>
                            </div>
                        },
                        None => html! {},
                    }
                }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct RecordListProps {
    pub streams: std::rc::Rc<Vec<StreamView>>,
    pub count: usize,
}

/// Every record of every stream, oldest first.
#[component]
pub fn RecordList(props: &RecordListProps) -> Html {
    let streams = props.streams.iter().map(|s| {
        html! {
            <p class="stream-meta">
                { "Stream of " }<code>{ &s.table_name }</code>{ ", view type " }<code>{ &s.view_type }</code>
            </p>
        }
    });
    let records = props
        .streams
        .iter()
        .flat_map(|s| s.records.iter())
        .map(record);
    let count = match props.count {
        1 => "1 record".to_string(),
        n => format!("{n} records"),
    };

    html! {
        <section class="panel" aria-labelledby="records-heading">
            <div class="panel-title">
                <h2 id="records-heading">{ "Stream records" }</h2>
                <p class="count" aria-live="polite">{ count }</p>
            </div>
            { for streams }
            <ol class="records" aria-labelledby="records-heading">
                { for records }
            </ol>
            if props.count == 0 {
                <p class="empty">{ "No records yet. Put an item to write one." }</p>
            }
        </section>
    }
}

fn record(r: &RecordRow) -> Html {
    let class = classes!(
        "event",
        format!("event-{}", r.event_name.to_ascii_lowercase())
    );
    html! {
        <li class="record">
            <span class={class}>{ &r.event_name }</span>
            <code class="keys">{ &r.keys }</code>
            <span class="seq">{ "SequenceNumber " }<code>{ &r.sequence_number }</code></span>
        </li>
    }
}
