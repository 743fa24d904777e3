//! The stream: the view type switch, what each type carries, the shards and their lineage, the
//! records as a windowed list (fixed row height, only visible rows in the DOM), the newest
//! change under every view type, and the record dialog (exact JSON, old-to-new difference).

use std::rc::Rc;

use serde_json::Value;
use web_sys::{HtmlDialogElement, HtmlElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

use super::dom;
use super::flow::key_text;
use super::state::{Action, Detail};
use super::{note_view, PanelProps};
use crate::model::ViewType;
use crate::sim::{Record, Stream};
use crate::support::time;
use crate::teach::lab::{self, DiffKind};

/// Height of one record row in CSS pixels (matches `.record` in style.css).
pub const ROW_PX: u32 = 64;
/// Rows drawn beyond the visible ones, above and below.
const OVERSCAN: u32 = 4;
/// Rows the list's viewport shows (its max-height in style.css is VISIBLE * ROW_PX).
const VISIBLE: u32 = 6;

thread_local! {
    /// The view type select was moved by an arrow key and not applied yet.
    static ARROWED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The stream the panel shows: the table's current stream, else its latest one.
fn shown_stream(lab: &super::state::Lab) -> Option<usize> {
    let s = lab.session.borrow();
    let t = s.engine().table(&lab.table)?;
    t.stream.or(t.latest_stream)
}

fn stream_len(st: &Stream) -> usize {
    st.shards.iter().map(|s| s.records.len()).sum()
}

/// A plain function, not a component: it has no hooks, and the root re-renders it with every
/// change anyway (a component would only add its own lifecycle code to the wasm).
pub fn stream_panel(props: &PanelProps) -> Html {
    let lab = &props.lab;
    let si = shown_stream(lab);
    let view = lab.view_type();
    let (arn, status, shards, count, region, newest, older) = {
        let s = lab.session.borrow();
        let e = s.engine();
        match si.map(|i| &e.streams()[i]) {
            Some(st) => {
                let shards: Vec<Html> = st
                    .lineage_order()
                    .into_iter()
                    .map(|i| {
                        let sh = &st.shards[i];
                        html! {
                            <li>
                                <code>{ &sh.id }</code>
                                { match &sh.parent { Some(p) => html! { <>{ " child of " }<code>{ p }</code></> }, None => html! {} } }
                                { format!(" · {} · {} record{} · opened {}", if sh.is_open() { "open" } else { "closed" }, sh.records.len(),
                                    if sh.records.len() == 1 { "" } else { "s" }, time::iso_seconds(sh.created_ms)) }
                            </li>
                        }
                    })
                    .collect();
                let newest =
                    st.shards.iter().filter_map(|sh| sh.records.back()).max_by_key(|r| (r.created_ms, r.seq)).cloned();
                let older = e.streams().iter().filter(|o| o.table_name == lab.table && o.arn != st.arn).count();
                (st.arn.clone(), st.status_str(), shards, stream_len(st), e.cfg.region.clone(), newest, older)
            }
            None => (String::new(), "NONE", Vec::new(), 0, e.cfg.region.clone(), None, 0),
        }
    };
    let current = view.map(|v| v.as_str()).unwrap_or("");
    // Each change of view type replaces the stream, and in Chromium an arrow key changes a
    // closed <select> at once: a choice made with arrow keys is applied on Enter or on leaving
    // the field, so stepping past a view type does not replace the stream.
    let apply = {
        let (on_action, current) = (props.on_action.clone(), current.to_string());
        move |e: &Event| {
            let v = e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
            if v != current {
                on_action.emit(Action::SetViewType(v));
            }
        }
    };
    let on_view = {
        let apply = apply.clone();
        Callback::from(move |e: Event| {
            if !ARROWED.get() {
                apply(&e)
            }
        })
    };
    let on_view_key = {
        let apply = apply.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                ARROWED.set(false);
                apply(&e);
            }
            "ArrowUp" | "ArrowDown" | "ArrowLeft" | "ArrowRight" | "Home" | "End" | "PageUp" | "PageDown" => {
                ARROWED.set(!e.alt_key())
            }
            _ => {}
        })
    };
    let on_view_blur = Callback::from(move |e: FocusEvent| {
        if ARROWED.replace(false) {
            apply(&e)
        }
    });

    html! {
        <section class="panel" aria-labelledby="stream-heading" id="stream">
            <div class="panel-title">
                <h2 id="stream-heading">{ "Stream" }</h2>
                <p class="count">{ format!("{status}") }</p>
            </div>
            <label class="field" for="view-type">
                <span>{ "Stream view type" }</span>
            </label>
            <select id="view-type" aria-describedby="view-describe" onchange={on_view} onkeydown={on_view_key} onblur={on_view_blur}>
                if view.is_none() { <option value="" selected=true disabled=true>{ "(stream disabled)" }</option> }
                { for ViewType::ALL.iter().map(|v| html! {
                    <option value={v.as_str()} selected={current == v.as_str()}>{ v.as_str() }</option>
                }) }
            </select>
            <p class="hint" id="view-describe">
                { view.map(|v| v.describe()).unwrap_or("The stream is disabled: choose a view type to enable one.") }
            </p>
            <div role="status">{ note_view(&lab.view_note) }</div>
            if !arn.is_empty() {
                <p class="arn">{ "Stream ARN " }<code>{ arn }</code></p>
                <details class="shards">
                    <summary>{ format!("Shards ({}) and their lineage", shards.len()) }</summary>
                    <ol>{ for shards }</ol>
                </details>
            }
            if older > 0 {
                <p class="hint">{ format!("{older} older stream{} of this table {} disabled: {} records stay readable for 24 hours, but new changes only go to the stream above.",
                    if older == 1 { "" } else { "s" }, if older == 1 { "is" } else { "are" }, if older == 1 { "its" } else { "their" }) }</p>
            }
            <RecordList lab={lab.clone()} on_action={props.on_action.clone()} stream={si} {count} />
            { newest.map(|r| compare_strip(&r, &region)).unwrap_or_default() }
        </section>
    }
}

/// The newest change as each view type would have recorded it, side by side.
fn compare_strip(record: &Rc<Record>, region: &str) -> Html {
    let views = lab::compare_views(record, region);
    html! {
        <div class="compare">
            <h3>{ format!("The newest change ({} {}) under every view type", record.event_name.as_str(), key_text(&record.keys())) }</h3>
            <div class="compare-grid">
                { for views.iter().map(|(v, json)| {
                    let d = &json["dynamodb"];
                    let part = |name: &str| match d.get(name) {
                        Some(img) => html! { <li class="has"><span class="part">{ name }</span><code>{ image_text(img) }</code></li> },
                        None => html! { <li class="none"><span class="part">{ name }</span>{ " none" }</li> },
                    };
                    html! {
                        <div class="compare-card">
                            <h4>{ v.as_str() }</h4>
                            <ul>{ part("Keys") }{ part("NewImage") }{ part("OldImage") }</ul>
                        </div>
                    }
                }) }
            </div>
        </div>
    }
}

/// An image in short form: `choice: tea, voter: ana` (other types as DynamoDB JSON).
fn image_text(img: &Value) -> String {
    img.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let shown = match v.as_object().and_then(|o| o.iter().next()) {
                        Some((t, Value::String(s))) if t == "S" || t == "N" => s.clone(),
                        _ => v.to_string(),
                    };
                    format!("{k}: {shown}")
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_else(|| img.to_string())
}

#[derive(Properties, PartialEq)]
pub struct RecordListProps {
    pub lab: super::LabHandle,
    pub on_action: Callback<Action>,
    pub stream: Option<usize>,
    pub count: usize,
}

/// The records of one stream, oldest first, as a windowed list: only the rows in view (plus a
/// few) are in the DOM, so 100,000 retained records scroll smoothly. Follows the newest record
/// while scrolled to the bottom.
#[component]
pub fn RecordList(props: &RecordListProps) -> Html {
    let viewport = use_node_ref();
    let sizer = use_node_ref();
    let list = use_node_ref();
    // The first row in view, by the last scroll event that was not following the newest
    // record (usize: the other views keep usize states, so no new state type in the wasm).
    let top = use_state(|| 0usize);
    let follow = use_mut_ref(|| true);
    let count = props.count as u32;
    // While following the newest record, the rows in view are the last ones: known from the
    // count alone, so the scroll event that setting scrollTop fires changes nothing.
    let top_row = if *follow.borrow() { count.saturating_sub(VISIBLE) } else { *top as u32 };
    let first_row = top_row.saturating_sub(OVERSCAN);
    let last_row = (first_row + VISIBLE + 2 * OVERSCAN).min(count);
    let first_row = first_row.min(last_row);

    {
        let (viewport, sizer, list, follow) = (viewport.clone(), sizer.clone(), list.clone(), follow.clone());
        use_effect_with((count, first_row), move |_| {
            if let Some(s) = sizer.cast::<HtmlElement>() {
                dom::set_style(&s, "height", &format!("{}px", count * ROW_PX));
            }
            if let Some(l) = list.cast::<HtmlElement>() {
                dom::set_style(&l, "top", &format!("{}px", first_row * ROW_PX));
            }
            if *follow.borrow() {
                if let Some(v) = viewport.cast::<HtmlElement>() {
                    v.set_scroll_top((count * ROW_PX) as i32);
                }
            }
        });
    }
    let on_scroll = {
        let (top, follow) = (top.clone(), follow.clone());
        Callback::from(move |e: Event| {
            if let Some(v) = e.target_dyn_into::<HtmlElement>() {
                let t = v.scroll_top().max(0) as u32;
                let was = *follow.borrow();
                let now = v.scroll_top() + v.client_height() >= v.scroll_height() - (ROW_PX as i32) / 2;
                *follow.borrow_mut() = now;
                // Still following: the rows drawn are the last ones already. Otherwise (scrolled
                // by the reader, or leaving or coming back to the bottom) draw what is in view.
                if !(was && now) {
                    top.set((t / ROW_PX) as usize);
                }
            }
        })
    };

    let rows: Vec<Html> = {
        let s = props.lab.session.borrow();
        match props.stream.map(|i| &s.engine().streams()[i]) {
            Some(st) => {
                // Whole shards before the window are stepped over by their lengths, so drawing
                // the newest rows of 100,000 does not walk them all.
                let mut skip = first_row as usize;
                let mut shards = st.lineage_order().into_iter().map(|i| &st.shards[i].records).peekable();
                while let Some(r) = shards.next_if(|r| skip >= r.len()) {
                    skip -= r.len();
                }
                let mut rows = Vec::new();
                for (i, r) in shards.flat_map(|r| r.iter()).skip(skip).take((last_row - first_row) as usize).enumerate()
                {
                    rows.push(record_row(r, first_row as usize + i, count as usize, &props.on_action));
                }
                rows
            }
            None => Vec::new(),
        }
    };
    let label = match count {
        1 => "1 record".to_string(),
        n => format!("{n} records"),
    };

    html! {
        <div class="records-block">
            <div class="panel-title">
                <h3 id="records-heading">{ "Stream records" }</h3>
                <p class="count" aria-live="polite">{ label }</p>
            </div>
            <div class="records-viewport" ref={viewport} onscroll={on_scroll}>
                <div class="records-sizer" ref={sizer}>
                    <ol class="records" ref={list} aria-labelledby="records-heading">
                        { for rows }
                    </ol>
                </div>
            </div>
            if count == 0 {
                <p class="empty">{ "No records yet. Put an item to write one." }</p>
            }
        </div>
    }
}

fn record_row(r: &Rc<Record>, index: usize, total: usize, on_action: &Callback<Action>) -> Html {
    let event = r.event_name.as_str();
    let record = r.clone();
    let onclick = on_action.reform(move |_: MouseEvent| Action::Open(Detail::Record(record.clone())));
    let keys = crate::model::item_to_json(&r.keys()).to_string();
    let image = |name: &str, has: bool| {
        html! { <span ~className={if has { "chip chip-has" } else { "chip chip-none" }}>{ if has { format!("{name} ✓") } else { format!("no {name}") } }</span> }
    };
    html! {
        <li class="record" aria-setsize={total.to_string()} aria-posinset={(index + 1).to_string()}>
            <button type="button" class="record-card" {onclick}>
                <span ~className={format!("event event-{}", event.to_ascii_lowercase())}>{ event }</span>
                <code class="keys">{ keys }</code>
                <span class="seq">{ "SequenceNumber " }<code>{ r.seq.to_string() }</code></span>
                <span class="chips">
                    { image("new image", r.has_new_image()) }
                    { image("old image", r.has_old_image()) }
                    if r.ttl { <span class="chip chip-ttl">{ "TTL" }</span> }
                </span>
            </button>
        </li>
    }
}

/// The detail dialog's element, opened (as a modal) and closed as `lab.detail` says. A hook of
/// the root: the dialog is a plain function, not a component of its own (size of the wasm).
/// Also the dialog's copy note, emptied whenever what the dialog shows changes.
#[hook]
pub fn use_detail_dialog(lab: &super::LabHandle) -> (NodeRef, UseStateHandle<String>) {
    let dialog = use_node_ref();
    let note = use_state(String::new);
    {
        let dialog = dialog.clone();
        let note = note.clone();
        let detail = lab.detail.clone();
        let open = detail.is_some();
        use_effect_with((open, detail), move |_| {
            note.set(String::new());
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                if open && !d.open() {
                    let _ = d.show_modal();
                } else if !open && d.open() {
                    d.close();
                }
            }
        });
    }
    (dialog, note)
}

/// The detail dialog: a record (exact JSON, old-to-new difference, every view type) or any
/// JSON (a Lambda event, an on-failure record), with a copy button. `dialog`: from
/// [`use_detail_dialog`].
pub fn detail_dialog(props: &PanelProps, (dialog, note): (NodeRef, UseStateHandle<String>)) -> Html {
    let detail = props.lab.detail.clone();
    let region = props.lab.session.borrow().engine().cfg.region.clone();
    let on_close = props.on_action.reform(|_: Event| Action::CloseDetail);
    let close = props.on_action.reform(|_: MouseEvent| Action::CloseDetail);

    let (title, body, copy_text, copy_label) = match &detail {
        None => (String::new(), html! {}, String::new(), String::new()),
        Some(Detail::Json { title, value, copy_label }) => {
            let text = format!("{value:#}");
            (title.clone(), html! { <pre class="json" tabindex="0">{ text.clone() }</pre> }, text, copy_label.clone())
        }
        Some(Detail::Record(r)) => {
            let json = r.to_json(&region, None);
            let text = format!("{json:#}");
            let title = format!("{} {} · SequenceNumber {}", r.event_name.as_str(), key_text(&r.keys()), r.seq);
            (title, record_body(r, &text, &region), text, "Copy record JSON".to_string())
        }
    };
    // Said in the dialog (the page behind it is inert); no Clipboard API (an http:// host) or a
    // refusal gets a message, not an exception.
    let copy = {
        let (text, note) = (copy_text.clone(), note.clone());
        Callback::from(move |_: MouseEvent| {
            let (text, note) = (text.clone(), note.clone());
            wasm_bindgen_futures::spawn_local(async move {
                note.set(match super::teach::net::copy_text(&text).await {
                    Ok(()) => "Copied to the clipboard.".into(),
                    Err(()) => {
                        "The browser did not let the page copy: select the JSON below and press Ctrl+C (or ⌘C).".into()
                    }
                });
            });
        })
    };

    html! {
        <dialog class="detail" ref={dialog} onclose={on_close} aria-labelledby="detail-title">
            if detail.is_some() {
                <div class="detail-head">
                    <h2 id="detail-title">{ title }</h2>
                    <div class="actions">
                        <button type="button" onclick={copy}>{ copy_label }</button>
                        <button type="button" class="primary" onclick={close} autofocus=true>{ "Close" }</button>
                    </div>
                </div>
                <p class="status" role="status">{ (*note).clone() }</p>
                { body }
            }
        </dialog>
    }
}

fn record_body(r: &Rc<Record>, text: &str, region: &str) -> Html {
    let d = lab::diff(r.old_image().as_ref(), r.new_image().as_ref());
    let view = r.view_type;
    let notes = r.absent_images_explained();
    let missing = (!notes.is_empty())
        .then(|| format!("{} This record's view type, {}: {}", notes.join(" "), view.as_str(), view.describe()));
    let cell = |v: &Option<Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "—".into());
    html! {
        <>
            <h3>{ "Old → new, attribute by attribute" }</h3>
            if let Some(m) = missing { <p class="hint">{ m }</p> }
            if !d.is_empty() {
                <table class="diff">
                    <thead><tr><th scope="col">{ "Attribute" }</th><th scope="col">{ "Change" }</th><th scope="col">{ "Old" }</th><th scope="col">{ "New" }</th></tr></thead>
                    <tbody>
                        { for d.iter().map(|e| {
                            let (class, kind_class) = match e.kind {
                                DiffKind::Added => ("added", "diff-kind added"),
                                DiffKind::Changed => ("changed", "diff-kind changed"),
                                DiffKind::Removed => ("removed", "diff-kind removed"),
                                DiffKind::Same => ("same", "diff-kind same"),
                            };
                            html! {
                                <tr ~className={class}>
                                    <th scope="row">{ &e.name }</th>
                                    <td><span ~className={kind_class}>{ class }</span></td>
                                    <td><code>{ cell(&e.old) }</code></td>
                                    <td><code>{ cell(&e.new) }</code></td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
            <h3>{ "Record JSON (GetRecords)" }</h3>
            <pre class="json" tabindex="0">{ text.to_string() }</pre>
            <h3>{ "The same change under every view type" }</h3>
            <div class="compare-grid">
                { for lab::compare_views(r, region).iter().map(|(v, json)| html! {
                    <div class="compare-card">
                        <h4>{ v.as_str() }</h4>
                        <pre class="json small" tabindex="0">{ format!("{:#}", json["dynamodb"]) }</pre>
                    </div>
                }) }
            </div>
        </>
    }
}
