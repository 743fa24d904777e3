//! Results: aggregates (a live table and bars), notifications (a chat-like feed), the
//! polling-versus-streams costs; and Files: export, import (file or paste), start over.

use serde_json::Value;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::state::{Action, Note};
use super::triggers::clock;
use super::{dom, note_view, PanelProps};

/// Notifications shown at most (the newest).
const FEED: usize = 100;

fn number(v: &Value) -> Option<f64> {
    v.as_f64().or_else(|| v.as_str().and_then(crate::support::float::parse_f64))
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Groups shown per aggregate.
const MAX_GROUPS: usize = 100;

/// A plain function, not a component: it has no hooks, and the root re-renders it with every
/// change anyway (a component would only add its own lifecycle code to the wasm).
pub fn results_panel(props: &PanelProps) -> Html {
    let s = props.lab.session.borrow();
    let e = s.engine();
    let aggregates = e.aggregates_output();
    let costs = e.costs().to_json();
    let notes = &e.lambda().notifications;
    let dropped = e.lambda().dropped.notifications;

    let tables = aggregates.as_object().into_iter().flat_map(|m| m.iter()).map(|(name, groups)| {
        let mut rows: Vec<(String, Value)> = match groups {
            Value::Object(g) => g.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            other => vec![("*".into(), other.clone())],
        };
        // Keep the page light whatever the rule groups by: the largest groups only, by absolute
        // value, equal ones in the aggregate's order. The shared small sort, not core's (about
        // 1.2 KB of gzip); the bits of a non-negative float order as its value.
        let hidden = rows.len().saturating_sub(MAX_GROUPS);
        if hidden > 0 {
            crate::support::sort::stable_sort_by_key(&mut rows, |(_, v)| {
                std::cmp::Reverse(number(v).filter(|n| !n.is_nan()).map_or(0, |n| n.abs().to_bits()))
            });
            rows.truncate(MAX_GROUPS);
        }
        let max = rows.iter().filter_map(|(_, v)| number(v)).fold(0.0f64, |a, b| a.max(b.abs()));
        html! {
            <table class="aggregate">
                <caption>{ name }</caption>
                <thead><tr><th scope="col">{ "Group" }</th><th scope="col">{ "Value" }</th><th scope="col"><span class="visually-hidden">{ "Bar" }</span></th></tr></thead>
                <tbody>
                    { for rows.iter().map(|(group, v)| {
                        let step = number(v).filter(|_| max > 0.0).map(|n| ((n.abs() / max) * 20.0).round() as u32).unwrap_or(0);
                        html! {
                            <tr>
                                // The empty string is a group of its own: shown, not blank.
                                <th scope="row">{ if group.is_empty() { "\"\"" } else { group.as_str() } }</th>
                                <td class="num">{ value_text(v) }</td>
                                <td class="bar-cell" aria-hidden="true"><span ~className={format!("bar w{step}")}></span></td>
                            </tr>
                        }
                    }) }
                </tbody>
                if hidden > 0 {
                    <tfoot><tr><td colspan="3">{ format!("and {hidden} smaller groups, not shown (Export has them all)") }</td></tr></tfoot>
                }
            </table>
        }
    });
    let empty_aggregates = aggregates.as_object().is_none_or(|m| m.is_empty());

    let feed = notes.iter().rev().take(FEED).rev().map(|n| html! {
        <li class="msg">
            <p class="msg-head"><span class="channel">{ &n.channel }</span><span class="msg-time">{ clock(n.time_ms) }</span></p>
            <p class="msg-body">{ &n.message }</p>
        </li>
    });

    // "1 scan", "2 scans".
    let n = |v: &Value, word: &str| format!("{v} {word}{}", if v.as_u64() == Some(1) { "" } else { "s" });
    let p = &costs["polling"];
    let st = &costs["streams"];
    // Tenths of a second, formatted as integers (keeps float formatting out of the wasm).
    let secs = |v: &Value| {
        v.as_f64()
            .map(|s| {
                let tenths = (s * 10.0).round() as i64;
                format!("{}.{} s", tenths / 10, (tenths % 10).abs())
            })
            .unwrap_or_else(|| "—".into())
    };

    html! {
        <section class="panel" aria-labelledby="results-heading" id="results">
            <h2 id="results-heading">{ "Results" }</h2>
            <section class="sub" aria-label="Aggregates">
                <h3>{ "Aggregates" }</h3>
                if empty_aggregates {
                    <p class="empty">{ "None yet. Deploy a rule with count or sum, write items, then advance the clock." }</p>
                } else {
                    { for tables }
                }
            </section>
            <section class="sub" aria-label="Notifications">
                <h3>{ format!("Notifications ({})", notes.len() as u64 + dropped) }</h3>
                if dropped > 0 {
                    <p class="hint">{ format!("The {dropped} oldest are not kept: the lab keeps the newest {}.", crate::sim::HISTORY_LIMIT) }</p>
                }
                if notes.is_empty() {
                    <p class="empty">{ "None yet. A rule's notify action posts here." }</p>
                } else {
                    <ol class="feed" tabindex="0" aria-label="Notification messages">{ for feed }</ol>
                }
            </section>
            <section class="sub" aria-label="Polling versus streams">
                <h3>{ "Polling versus streams" }</h3>
                <table class="costs">
                    <thead><tr><th scope="col"></th>
                        <th scope="col">{ format!("Polling (Scan every {} s)", p["intervalSeconds"]) }</th>
                        <th scope="col">{ "Streams + Lambda" }</th></tr></thead>
                    <tbody>
                        <tr><th scope="row">{ "Requests" }</th><td>{ format!("{}, {}", n(&p["scans"], "scan"), n(&p["requests"], "request")) }</td>
                            <td>{ format!("{} (GetRecords is free)", n(&st["invocations"], "invocation")) }</td></tr>
                        <tr><th scope="row">{ "Read units" }</th><td>{ value_text(&p["readUnits"]) }</td><td>{ "0" }</td></tr>
                        <tr><th scope="row">{ "Average delay" }</th><td>{ secs(&p["averageDelaySeconds"]) }</td><td>{ secs(&st["averageDelaySeconds"]) }</td></tr>
                        <tr><th scope="row">{ "Changes" }</th><td colspan="2">{ format!("{}, {} delivered to the trigger", n(&costs["changes"], "change"), n(&st["recordsDelivered"], "record")) }</td></tr>
                    </tbody>
                </table>
            </section>
        </section>
    }
}

/// A plain function, not a component (size of the wasm): the pasted scenario stays in its
/// textarea (`pasted`, a node ref of the root), read when it is imported.
pub fn files_panel(props: &PanelProps, pasted: &NodeRef) -> Html {
    let export = {
        let lab = props.lab.clone();
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| {
            let text = format!("{:#}", lab.session.borrow().to_scenario_json());
            let note = match dom::download("streamlab-scenario.json", &text, "application/json") {
                Ok(()) => Note::Ok(
                    "Exported streamlab-scenario.json: replay it with `streamlab replay`, or import it here.".into(),
                ),
                Err(e) => Note::Error { kind: "Export failed".into(), message: e },
            };
            on_action.emit(Action::FilesNote(note));
        })
    };
    let on_file = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else { return };
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            let name = file.name();
            let on_action = on_action.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    Ok(text) => {
                        let text = text.as_string().unwrap_or_default();
                        on_action.emit(Action::Import { text, source: name });
                    }
                    Err(_) => on_action.emit(Action::FilesNote(Note::Error {
                        kind: "Import failed".into(),
                        message: format!("{name} could not be read."),
                    })),
                }
            });
        })
    };
    let import_pasted = {
        let pasted = pasted.clone();
        props.on_action.reform(move |_: MouseEvent| Action::Import {
            text: pasted.cast::<HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default(),
            source: "the pasted scenario".into(),
        })
    };
    let reset = props.on_action.reform(|_: MouseEvent| Action::Reset);
    let restore = props.on_action.reform(|_: MouseEvent| Action::RestorePrevious);
    let previous = super::state::has_previous();
    let fits = props.lab.session.borrow().fits_storage();

    html! {
        <section class="panel files" aria-labelledby="files-heading" id="files">
            <h2 id="files-heading">{ "Files" }</h2>
            if fits {
                <p class="hint">{ "Your session is saved in this browser after every change. Export it as a scenario file to keep it or share it." }</p>
            } else {
                <p class="hint warn-text" role="status">{ format!(
                    "This lab is now over {} MB, more than this browser keeps: it is no longer saved here (a reload brings back the lab as it was last saved). Export it as a scenario file to keep it.",
                    crate::teach::session::MAX_INPUT_BYTES / (1024 * 1024)
                ) }</p>
            }
            <div class="actions">
                <button type="button" onclick={export}>{ "Export scenario" }</button>
                <label class="file-button">
                    <span>{ "Import scenario file" }</span>
                    <input type="file" accept=".json,application/json" onchange={on_file} />
                </label>
                <button type="button" class="quiet" onclick={reset}>{ "Start over" }</button>
                if previous {
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
            <div role="status">{ note_view(&props.lab.files_note) }</div>
        </section>
    }
}
