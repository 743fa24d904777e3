//! Results: aggregates (a live table and bars), notifications (a chat-like feed), the
//! polling-versus-streams costs; and Files: export, import (file or paste), start over.

use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::hooks::{Import, LabCallbacks};
use super::state::{Action, Note};
use super::{dom, note_view};
use crate::teach::lab;
use crate::teach::view::{FilesView, ResultsView};

/// A plain function, not a component: it has no hooks, and the root re-renders it with every
/// change anyway (a component would only add its own lifecycle code to the wasm).
pub fn results_panel(v: &ResultsView) -> Html {
    let tables = v.aggregates.iter().map(|a| {
        html! {
            <table class="aggregate">
                <caption>{ &a.name }</caption>
                <thead><tr><th scope="col">{ "Group" }</th><th scope="col">{ "Value" }</th><th scope="col"><span class="visually-hidden">{ "Bar" }</span></th></tr></thead>
                <tbody>
                    { for a.rows.iter().map(|r| html! {
                        <tr>
                            <th scope="row">{ &r.group }</th>
                            <td class="num">{ &r.value }</td>
                            <td class="bar-cell" aria-hidden="true"><span ~className={r.bar.clone()}></span></td>
                        </tr>
                    }) }
                </tbody>
                if let Some(hidden) = &a.hidden {
                    <tfoot><tr><td colspan="3">{ hidden }</td></tr></tfoot>
                }
            </table>
        }
    });
    let feed = v.feed.iter().map(|n| html! {
        <li class="msg">
            <p class="msg-head"><span class="channel">{ &n.channel }</span><span class="msg-time">{ &n.time }</span></p>
            <p class="msg-body">{ &n.message }</p>
        </li>
    });
    let c = &v.costs;

    html! {
        <section class="panel" aria-labelledby="results-heading" id="results">
            <h2 id="results-heading">{ "Results" }</h2>
            <section class="sub" aria-label="Aggregates">
                <h3>{ "Aggregates" }</h3>
                if let Some(w) = &v.window_note { <p class="hint">{ w }</p> }
                if v.aggregates.is_empty() {
                    <p class="empty">{ "None yet. Deploy a rule with count or sum, write items, then advance the clock." }</p>
                } else {
                    { for tables }
                }
            </section>
            <section class="sub" aria-label="Notifications">
                <h3>{ &v.notifications_title }</h3>
                if let Some(d) = &v.notifications_dropped {
                    <p class="hint">{ d }</p>
                }
                if v.feed.is_empty() {
                    <p class="empty">{ "None yet. A rule's notify action posts here." }</p>
                } else {
                    <ol class="feed" tabindex="0" aria-label="Notification messages">{ for feed }</ol>
                }
            </section>
            <section class="sub" aria-label="Polling versus streams">
                <h3>{ "Polling versus streams" }</h3>
                <table class="costs">
                    <thead><tr><th scope="col"></th>
                        <th scope="col">{ &c.polling }</th>
                        <th scope="col">{ "Streams + Lambda" }</th></tr></thead>
                    <tbody>
                        <tr><th scope="row">{ "Requests" }</th><td>{ &c.polling_requests }</td>
                            <td>{ &c.stream_requests }</td></tr>
                        <tr><th scope="row">{ "Read units" }</th><td>{ &c.read_units }</td><td>{ "0" }</td></tr>
                        <tr><th scope="row">{ "Average delay" }</th><td>{ &c.polling_delay }</td><td>{ &c.stream_delay }</td></tr>
                        <tr><th scope="row">{ "Changes" }</th><td colspan="2">{ &c.changes }</td></tr>
                    </tbody>
                </table>
            </section>
        </section>
    }
}

/// A plain function, not a component (size of the wasm): the pasted scenario stays in its
/// textarea (`pasted`, a node ref of the root), read when it is imported. `has_previous`: a lab
/// kept from before the last import is in the browser; `back_to_own`: the learner's own lab is
/// kept while a lesson's, a link's or an import's is open; `note`: the note of the last file
/// action; `scenario`: the lab as a scenario, for Export.
pub fn files_panel(
    v: &FilesView,
    has_previous: bool,
    back_to_own: bool,
    note: &Option<Note>,
    on: &LabCallbacks,
    scenario: &Callback<(), Value>,
    pasted: &NodeRef,
) -> Html {
    let export = {
        let scenario = scenario.clone();
        on.action.reform(move |_: MouseEvent| {
            let text = format!("{:#}", scenario.emit(()));
            Action::FilesNote(match dom::download(lab::EXPORT_FILE, &text, "application/json") {
                Ok(()) => Note::Ok(lab::EXPORTED.into()),
                Err(e) => Note::Error { kind: "Export failed".into(), message: e },
            })
        })
    };
    let on_file = {
        let (import, on_action) = (on.import.clone(), on.action.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else { return };
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            let source = file.name();
            let (import, on_action) = (import.clone(), on_action.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    Ok(text) => import.emit(Import { text: text.as_string().unwrap_or_default(), source }),
                    Err(_) => on_action.emit(Action::FilesNote(Note::Error {
                        kind: "Import failed".into(),
                        message: format!("{source} could not be read."),
                    })),
                }
            });
        })
    };
    let import_pasted = {
        let pasted = pasted.clone();
        on.import.reform(move |_: MouseEvent| Import {
            text: pasted.cast::<HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default(),
            source: "the pasted scenario".into(),
        })
    };
    let reset = on.reset.reform(|_: MouseEvent| ());
    let restore = on.restore.reform(|_: MouseEvent| ());
    let own = on.back_to_own.reform(|_: MouseEvent| ());

    html! {
        <section class="panel files" aria-labelledby="files-heading" id="files">
            <h2 id="files-heading">{ "Files" }</h2>
            if v.saved {
                <p class="hint">{ &v.hint }</p>
            } else {
                <p class="hint warn-text" role="status">{ &v.hint }</p>
            }
            <div class="actions">
                <button type="button" onclick={export}>{ "Export scenario" }</button>
                <label class="file-button">
                    <span>{ "Import scenario file" }</span>
                    <input type="file" accept=".json,application/json" onchange={on_file} />
                </label>
                if back_to_own {
                    <button type="button" onclick={own}>{ "Back to my lab" }</button>
                }
                <button type="button" class="quiet" onclick={reset}>{ "Start over" }</button>
                if has_previous {
                    <button type="button" class="quiet" onclick={restore}>{ "Restore previous lab" }</button>
                }
            </div>
            <label class="field">
                <span>{ "Scenario JSON" }</span>
                <textarea rows="3" spellcheck="false" placeholder={r#"{"steps": [...]}"#} ref={pasted.clone()} />
            </label>
            <div class="actions">
                <button type="button" onclick={import_pasted}>{ "Import pasted scenario" }</button>
            </div>
            <div role="status">{ note_view(note) }</div>
        </section>
    }
}
