//! Triggers: the rule editor (syntax errors and view-type warnings as you type), every
//! setting of the event source mapping, Deploy, the invocation timeline, and the on-failure
//! queue.
//!
//! [`TriggerEditor`] keeps what the learner is writing (the rules and the mapping's settings)
//! until Deploy; the settings form is [`mapping::settings`], the timeline [`timeline::timeline`].

mod mapping;
mod timeline;

use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::note_view;
use super::state::{Action, Detail, Note};
use crate::model::ViewType;
use crate::teach::view::{self, FunctionsView, MappingForm, MetricsView, RulesCheck, Timeline};

/// What the triggers panel shows.
pub struct Triggers {
    /// The deployed rules and mapping settings, where the editor starts.
    pub code: String,
    pub mapping: MappingForm,
    pub has_mapping: bool,
    /// The view type the rules are checked for (of the stream the function reads).
    pub view_type: Option<ViewType>,
    /// Which function the panel shows, and what it reads.
    pub functions: FunctionsView,
    /// The note of the last Deploy.
    pub note: Option<Note>,
    pub timeline: Timeline,
    pub metrics: Vec<MetricsView>,
}

/// A plain function, not a component: the editor, its only state, is one. `key`: the session's,
/// so that a new lab (or another function) starts a new editor.
pub fn triggers_panel(t: Triggers, key: String, on_action: &Callback<Action>, on_open: &Callback<Detail>) -> Html {
    let on_deploy = on_action.reform(|(code, params)| Action::Deploy { code, params });
    let on_function = on_action.reform(|e: Event| {
        Action::SelectFunction(e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default())
    });
    let f = &t.functions;
    html! {
        <section class="panel" aria-labelledby="triggers-heading" id="triggers">
            <div class="panel-title">
                <h2 id="triggers-heading">{ "Triggers" }</h2>
                <label class="inline" for="function">
                    <span>{ "Lambda function" }</span>
                    <select id="function" onchange={on_function}>
                        { for f.names.iter().map(|n| html! { <option value={n.clone()} selected={*n == f.chosen}>{ n }</option> }) }
                    </select>
                </label>
            </div>
            <p class="hint function-reads" id="function-reads">{ &f.reads }</p>
            <TriggerEditor key={format!("{key}/{}", f.chosen)} code={t.code} mapping={t.mapping} has_mapping={t.has_mapping} view_type={t.view_type} {on_deploy} />
            <div role="status">{ note_view(&t.note) }</div>
            { timeline::timeline(&t.timeline, on_open) }
            { for t.metrics.iter().map(metrics_view) }
        </section>
    }
}

/// A mapping's metrics, a small bar chart per metric (one bar per minute with activity).
/// Drawn in SVG: its geometry is attributes, which the page's CSP allows (no style attribute).
fn metrics_view(m: &MetricsView) -> Html {
    html! {
        <details class="metrics">
            <summary>{ format!("Metrics of {}", m.title) }</summary>
            if let Some(n) = &m.note { <p class="hint">{ n }</p> }
            <ul class="metric-list">
                { for m.charts.iter().map(|c| {
                    let n = c.bars.len().max(1);
                    html! {
                        <li>
                            <span class="metric-name">{ c.name }</span>
                            <svg class="sparkline" viewBox={format!("0 0 {} 20", n * 3)} preserveAspectRatio="none" aria-hidden="true">
                                { for c.bars.iter().enumerate().map(|(i, h)| html! {
                                    <rect x={(i * 3).to_string()} y={(20 - *h).to_string()} width="2" height={h.to_string()} />
                                }) }
                            </svg>
                            <span class="metric-total">{ &c.total }</span>
                        </li>
                    }
                }) }
            </ul>
        </details>
    }
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The rules and the settings the editor starts with.
    pub code: String,
    pub mapping: MappingForm,
    /// The mapping exists: its StartingPosition is fixed.
    pub has_mapping: bool,
    pub view_type: Option<ViewType>,
    /// Deploy: the rules, and the mapping's request members.
    pub on_deploy: Callback<(String, Value)>,
}

/// Rules longer than this are checked once typing pauses for [`CHECK_PAUSE_MS`], not on every
/// key: parsing 150 KB takes long enough on a slow device to delay the next key.
const CHECK_AT_ONCE_CHARS: usize = 16_384;
const CHECK_PAUSE_MS: u32 = 300;

/// The rules (with their check as the learner types), the mapping's settings, and Deploy.
///
/// The textarea keeps what is typed (it is not written back on every key: setting the value of
/// a long text lays it all out again); `code` is the text last checked.
#[component]
pub fn TriggerEditor(props: &EditorProps) -> Html {
    let code = use_state(|| props.code.clone());
    let text = use_node_ref();
    let pending = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    let mapping = use_state(|| props.mapping.clone());
    // The check depends only on the rules and the view type: parsed again when one of them
    // changes, not on every write.
    let check = use_memo(((*code).clone(), props.view_type), |(code, view)| view::check_rules(*view, code));

    // The text changed (typed, or a long paste put in by `on_paste`): checked at once when short,
    // else once typing pauses.
    let on_text = {
        let code = code.setter();
        Callback::from(move |t: HtmlTextAreaElement| {
            let value = t.value();
            if value.len() <= CHECK_AT_ONCE_CHARS {
                *pending.borrow_mut() = None;
                code.set(value);
            } else {
                let code = code.clone();
                *pending.borrow_mut() =
                    Some(gloo_timers::callback::Timeout::new(CHECK_PAUSE_MS, move || code.set(t.value())));
            }
        })
    };
    let on_code = on_text.reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>());
    // A paste longer than CHECK_AT_ONCE_CHARS is put in as the new value rather than by the
    // browser's editing command, which lays out the text paragraph by paragraph (1.4 s for
    // 150 KB with the CPU slowed 4x, against 0.4 s this way; docs/benchmarks.md). The browser's
    // own undo does not cover such a paste; a shorter one is left to the browser.
    let on_paste = {
        let on_text = on_text.clone();
        Callback::from(move |e: Event| {
            let Some(text) = e
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(|c| c.clipboard_data())
                .and_then(|d| d.get_data("text/plain").ok())
            else {
                return;
            };
            let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>().filter(|_| text.len() > CHECK_AT_ONCE_CHARS)
            else {
                return;
            };
            e.prevent_default();
            let value = t.value();
            // Selection offsets count UTF-16 units, as JavaScript strings do.
            let byte = |units: Option<u32>| -> usize {
                let Some(units) = units else { return value.len() };
                let mut seen = 0;
                value
                    .char_indices()
                    .find(|(_, c)| {
                        seen += c.len_utf16() as u32;
                        seen > units
                    })
                    .map_or(value.len(), |(i, _)| i)
            };
            let (start, end) = (t.selection_start().ok().flatten(), t.selection_end().ok().flatten());
            let (from, to) = (byte(start), byte(end).max(byte(start)));
            t.set_value(&format!("{}{text}{}", &value[..from], &value[to..]));
            let caret = start.unwrap_or(0) + text.encode_utf16().count() as u32;
            let _ = t.set_selection_range(caret, caret);
            on_text.emit(t);
        })
    };
    let on_mapping = {
        let mapping = mapping.clone();
        Callback::from(move |edit: mapping::Edit| {
            let mut next = (*mapping).clone();
            edit(&mut next);
            mapping.set(next);
        })
    };
    // The text in the editor now (a check may still be waiting for a pause).
    let current = {
        let text = text.clone();
        move || text.cast::<HtmlTextAreaElement>().map(|t| t.value())
    };
    let deploy = {
        let (current, code, mapping, on_deploy, has_mapping) =
            (current.clone(), code.clone(), mapping.clone(), props.on_deploy.clone(), props.has_mapping);
        Callback::from(move |_: MouseEvent| {
            on_deploy.emit((current().unwrap_or_else(|| (*code).clone()), mapping.params(has_mapping)))
        })
    };
    let examples = view::RULE_EXAMPLES.iter().map(|(name, example)| {
        let (code, text) = (code.setter(), text.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            if let Some(t) = text.cast::<HtmlTextAreaElement>() {
                t.set_value(example);
            }
            code.set(example.to_string())
        });
        html! { <button type="button" class="small" {onclick}>{ *name }</button> }
    });

    html! {
        <>
            <label for="rules" class="label">{ "Trigger rules" }</label>
            <p class="hint" id="rules-hint">{ "One rule per block: on EVENTS [when CONDITION], then actions (count, sum, notify, put, fail…). Examples: " }</p>
            <div class="actions tight">{ for examples }</div>
            <textarea id="rules" class="item-input rules-input" rows="6" spellcheck="false" autocapitalize="off" autocomplete="off"
                aria-describedby="rules-hint rules-check" aria-invalid={check.error.is_some().to_string()}
                ref={text} oninput={on_code} onpaste={on_paste} ~defaultValue={props.code.clone()} />
            <div id="rules-check" class="rules-check" aria-live="polite">{ rules_check(&check) }</div>
            { mapping::settings(&mapping, props.has_mapping, &on_mapping) }
            <div class="actions">
                <button type="button" class="primary" onclick={deploy}>{ "Deploy" }</button>
            </div>
        </>
    }
}

/// A syntax error, the warnings, or the line that says all is well.
fn rules_check(c: &RulesCheck) -> Html {
    html! {
        <>
            { for c.error.iter().map(|e| super::diagnostic(e, "diagnostic error-text")) }
            { for c.warnings.iter().map(|w| super::diagnostic(w, "diagnostic warning-text")) }
            if let Some(l) = &c.ok { <p class="ok-text">{ l }</p> }
        </>
    }
}
