//! Every setting of the event source mapping, as the learner types it.

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::teach::view::MappingForm;

/// A change of one setting.
pub type Edit = Box<dyn FnOnce(&mut MappingForm)>;

/// The settings form. `has_mapping`: the mapping exists (its StartingPosition is fixed).
pub fn settings(m: &MappingForm, has_mapping: bool, on_edit: &Callback<Edit>) -> Html {
    let text_field = |label: &'static str, hint: &'static str, value: &str, set: fn(&mut MappingForm, String)| {
        let on_edit = on_edit.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                let v = i.value();
                on_edit.emit(Box::new(move |m| set(m, v)));
            }
        });
        html! {
            <label class="field">
                <span><code>{ label }</code></span>
                <input type="text" inputmode="numeric" spellcheck="false" value={value.to_string()} {oninput} title={hint} />
                <span class="field-hint">{ hint }</span>
            </label>
        }
    };
    let check_field = |label: &'static str, hint: &str, value: bool, set: fn(&mut MappingForm, bool)| {
        let on_edit = on_edit.clone();
        let onchange = Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                let v = i.checked();
                on_edit.emit(Box::new(move |m| set(m, v)));
            }
        });
        html! {
            <label class="check">
                <input type="checkbox" checked={value} {onchange} />
                <span><code>{ label }</code>{ format!(" — {hint}") }</span>
            </label>
        }
    };
    let on_starting = {
        let on_edit = on_edit.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                let v = s.value();
                on_edit.emit(Box::new(move |m| m.starting = v));
            }
        })
    };
    let on_filters = {
        let on_edit = on_edit.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                let v = t.value();
                on_edit.emit(Box::new(move |m| m.filters = v));
            }
        })
    };
    let on_destination = {
        let on_edit = on_edit.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                let v = i.value();
                on_edit.emit(Box::new(move |m| m.on_failure = v));
            }
        })
    };

    html! {
        <details class="mapping">
            <summary>{ "Event source mapping settings" }</summary>
            <div class="mapping-grid">
                { text_field("BatchSize", "records per invocation, 1–10000", &m.batch_size, |m, v| m.batch_size = v) }
                { text_field("MaximumBatchingWindowInSeconds", "wait up to this long to fill a batch, 0–300", &m.window, |m, v| m.window = v) }
                <label class="field">
                    <span><code>{ "StartingPosition" }</code></span>
                    <select onchange={on_starting} disabled={has_mapping}>
                        { for ["TRIM_HORIZON", "LATEST"].iter().map(|p| html! { <option value={*p} selected={m.starting == *p}>{ *p }</option> }) }
                    </select>
                    <span class="field-hint">{ if has_mapping { "set when the mapping was created" } else { "where reading starts" } }</span>
                </label>
                { text_field("ParallelizationFactor", "batches per shard at once, 1–10", &m.parallel, |m, v| m.parallel = v) }
                { text_field("MaximumRetryAttempts", "-1 = until the record expires, 0–10000", &m.retries, |m, v| m.retries = v) }
                { text_field("MaximumRecordAgeInSeconds", "-1 = forever, 60–604800", &m.max_age, |m, v| m.max_age = v) }
                { text_field("TumblingWindowInSeconds", "0 = off, up to 900", &m.tumbling, |m, v| m.tumbling = v) }
            </div>
            { check_field("BisectBatchOnFunctionError", "split a failing batch in two and retry each half", m.bisect, |m, v| m.bisect = v) }
            { check_field("ReportBatchItemFailures", "the function reports which records failed", m.report, |m, v| m.report = v) }
            { check_field("Enabled", "the mapping polls the stream", m.enabled, |m, v| m.enabled = v) }
            <label class="field">
                <span><code>{ "FilterCriteria" }</code>{ " patterns, one per line" }</span>
                <textarea rows="2" spellcheck="false" placeholder={r#"{"eventName": ["INSERT"]}"#} value={m.filters.clone()} oninput={on_filters} />
            </label>
            <label class="field">
                <span><code>{ "OnFailure" }</code>{ " destination (SQS, SNS or S3 ARN)" }</span>
                <input type="text" spellcheck="false" placeholder="arn:aws:sqs:us-east-1:123456789012:dlq" value={m.on_failure.clone()} oninput={on_destination} />
            </label>
        </details>
    }
}
