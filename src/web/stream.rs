//! The stream: the view type switch, what each type carries, the shards and their lineage, the
//! records as a windowed list (fixed row height, only visible rows in the DOM), the newest
//! change under every view type, and the record dialog (exact JSON, old-to-new difference).

use web_sys::{HtmlDialogElement, HtmlElement, HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

use super::dom;
use super::note_view;
use super::state::{Action, Detail, Note};
use crate::teach::view::{self, Compare, DetailView, RecordDetail, RecordRow, StreamRecords, StreamView};

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

/// A plain function, not a component: it has no hooks, and the root re-renders it with every
/// change anyway (a component would only add its own lifecycle code to the wasm). `v`: the
/// stream; `note`: the note of the last view type switch; `records`: the stream's records.
pub fn stream_panel(v: &StreamView, note: &Option<Note>, records: StreamRecords, on_action: &Callback<Action>) -> Html {
    let current = v.view_type.map(|v| v.as_str()).unwrap_or("");
    // Each change of view type replaces the stream, and in Chromium an arrow key changes a
    // closed <select> at once: a choice made with arrow keys is applied on Enter or on leaving
    // the field, so stepping past a view type does not replace the stream.
    let apply = {
        let (on_action, current) = (on_action.clone(), current.to_string());
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
                <p class="count">{ v.status }</p>
            </div>
            <label class="field" for="view-type">
                <span>{ "Stream view type" }</span>
            </label>
            <select id="view-type" aria-describedby="view-describe" onchange={on_view} onkeydown={on_view_key} onblur={on_view_blur}>
                if v.view_type.is_none() { <option value="" selected=true disabled=true>{ "(stream disabled)" }</option> }
                { for view::view_types().iter().map(|t| html! {
                    <option value={*t} selected={current == *t}>{ *t }</option>
                }) }
            </select>
            <div class="actions tight">
                <button type="button" class="small" id="disable-stream" disabled={v.view_type.is_none()}
                    onclick={on_action.reform(|_: MouseEvent| Action::DisableStream)}>{ "Disable stream" }</button>
            </div>
            <p class="hint" id="view-describe">{ v.describe }</p>
            <div role="status">{ note_view(note) }</div>
            if !v.arn.is_empty() {
                <p class="arn">{ "Stream ARN " }<code>{ &v.arn }</code></p>
                <details class="shards">
                    <summary>{ &v.shards_title }</summary>
                    <ol>{ for v.shards.iter().map(|sh| html! {
                        <li>
                            <code>{ &sh.id }</code>
                            { match &sh.parent { Some(p) => html! { <>{ " child of " }<code>{ p }</code></> }, None => html! {} } }
                            { &sh.text }
                        </li>
                    }) }</ol>
                </details>
            }
            if let Some(older) = &v.older {
                <p class="hint">{ older }</p>
            }
            <RecordList {records} on_open={on_action.reform(Action::Open)} />
            { v.newest.as_ref().map(compare_strip).unwrap_or_default() }
        </section>
    }
}

/// The newest change as each view type would have recorded it, side by side.
fn compare_strip(c: &Compare) -> Html {
    html! {
        <div class="compare">
            <h3>{ &c.title }</h3>
            <div class="compare-grid">
                { for c.cards.iter().map(|card| {
                    let part = |(name, text): &(&'static str, Option<String>)| match text {
                        Some(t) => html! { <li class="has"><span class="part">{ *name }</span><code>{ t }</code></li> },
                        None => html! { <li class="none"><span class="part">{ *name }</span>{ " none" }</li> },
                    };
                    html! {
                        <div class="compare-card">
                            <h4>{ card.view }</h4>
                            <ul>{ for card.parts.iter().map(part) }</ul>
                        </div>
                    }
                }) }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct RecordListProps {
    pub records: StreamRecords,
    pub on_open: Callback<Detail>,
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
    let count = props.records.len as u32;
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

    let rows = props.records.rows(first_row as usize, (last_row - first_row) as usize);
    let rows =
        rows.iter().enumerate().map(|(i, r)| record_row(r, first_row as usize + i, count as usize, &props.on_open));

    html! {
        <div class="records-block">
            <div class="panel-title">
                <h3 id="records-heading">{ "Stream records" }</h3>
                <p class="count" aria-live="polite">{ props.records.label() }</p>
            </div>
            <div class="records-viewport" ref={viewport} onscroll={on_scroll}>
                <div class="records-sizer" ref={sizer}>
                    <ol class="records" ref={list} aria-labelledby="records-heading">
                        { for rows }
                    </ol>
                </div>
            </div>
            if count == 0 {
                <p class="empty">{ props.records.empty }</p>
            }
        </div>
    }
}

fn record_row(r: &RecordRow, index: usize, total: usize, on_open: &Callback<Detail>) -> Html {
    let record = r.record.clone();
    let onclick = on_open.reform(move |_: MouseEvent| Detail::Record(record.clone()));
    let image = |(has, text): &(bool, String)| {
        html! { <span ~className={if *has { "chip chip-has" } else { "chip chip-none" }}>{ text }</span> }
    };
    html! {
        <li class="record" aria-setsize={total.to_string()} aria-posinset={(index + 1).to_string()}>
            <button type="button" class="record-card" {onclick}>
                <span ~className={format!("event event-{}", r.event.to_ascii_lowercase())}>{ r.event }</span>
                <code class="keys">{ &r.keys }</code>
                <span class="seq">{ "SequenceNumber " }<code>{ &r.seq }</code></span>
                <span class="chips">
                    { image(&r.images[0]) }
                    { image(&r.images[1]) }
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
pub fn use_detail_dialog(detail: Option<Detail>) -> (NodeRef, UseStateHandle<String>) {
    let dialog = use_node_ref();
    let note = use_state(String::new);
    {
        let dialog = dialog.clone();
        let note = note.clone();
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
/// JSON (a Lambda event, an on-failure record), with a copy button. `view`: what is open;
/// `dialog`: from [`use_detail_dialog`].
pub fn detail_dialog(
    view: Option<DetailView>,
    on_action: &Callback<Action>,
    (dialog, note): (NodeRef, UseStateHandle<String>),
) -> Html {
    let on_close = on_action.reform(|_: Event| Action::CloseDetail);
    let inner = view.map(|v| {
        // Said in the dialog (the page behind it is inert); no Clipboard API (an http:// host)
        // or a refusal gets a message, not an exception.
        let copy = {
            let (text, note) = (v.json.clone(), note.clone());
            Callback::from(move |_: MouseEvent| {
                let (text, note) = (text.clone(), note.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    note.set(match super::teach::net::copy_text(&text).await {
                        Ok(()) => "Copied to the clipboard.".into(),
                        Err(()) => {
                            "The browser did not let the page copy: select the JSON below and press Ctrl+C (or ⌘C)."
                                .into()
                        }
                    });
                });
            })
        };
        let close = on_action.reform(|_: MouseEvent| Action::CloseDetail);
        let body = match &v.record {
            None => html! { <pre class="json" tabindex="0">{ &v.json }</pre> },
            Some(r) => record_body(r, &v.json),
        };
        html! {
            <>
                <div class="detail-head">
                    <h2 id="detail-title">{ &v.title }</h2>
                    <div class="actions">
                        <button type="button" onclick={copy}>{ &v.copy_label }</button>
                        <button type="button" class="primary" onclick={close} autofocus=true>{ "Close" }</button>
                    </div>
                </div>
                <p class="status" role="status">{ (*note).clone() }</p>
                { body }
            </>
        }
    });
    html! {
        <dialog class="detail" ref={dialog} onclose={on_close} aria-labelledby="detail-title">
            { for inner }
        </dialog>
    }
}

fn record_body(r: &RecordDetail, json: &str) -> Html {
    html! {
        <>
            <h3>{ "Old → new, attribute by attribute" }</h3>
            if let Some(m) = &r.missing { <p class="hint">{ m }</p> }
            if !r.filtered.is_empty() {
                <h3>{ "Why the filter skipped it" }</h3>
                <ul class="why-filtered">{ for r.filtered.iter().map(|w| html! { <li>{ w }</li> }) }</ul>
            }
            if !r.diff.is_empty() {
                <table class="diff">
                    <thead><tr><th scope="col">{ "Attribute" }</th><th scope="col">{ "Change" }</th><th scope="col">{ "Old" }</th><th scope="col">{ "New" }</th></tr></thead>
                    <tbody>
                        { for r.diff.iter().map(|e| html! {
                            <tr ~className={e.change}>
                                <th scope="row">{ &e.name }</th>
                                <td><span ~className={format!("diff-kind {}", e.change)}>{ e.change }</span></td>
                                <td><code>{ &e.old }</code></td>
                                <td><code>{ &e.new }</code></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            <h3>{ "Record JSON (GetRecords)" }</h3>
            <pre class="json" tabindex="0">{ json.to_string() }</pre>
            <h3>{ "The same change under every view type" }</h3>
            <div class="compare-grid">
                { for r.views.iter().map(|(v, json)| html! {
                    <div class="compare-card">
                        <h4>{ *v }</h4>
                        <pre class="json small" tabindex="0">{ json }</pre>
                    </div>
                }) }
            </div>
        </>
    }
}
