//! Triggers: the rule editor (syntax errors and view-type warnings as you type), every
//! setting of the event source mapping, Deploy, the invocation timeline, and the on-failure
//! queue.

use std::rc::Rc;

use serde_json::{json, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::state::{Action, Detail};
use super::{note_view, PanelProps};
use crate::sim::{LogKind, Outcome};
use crate::support::time;
use crate::teach::lab;

pub const EXAMPLE_RULES: &str = "-- count votes per choice\non INSERT, MODIFY, REMOVE\n  count votes by choice\n";

const EXAMPLES: [(&str, &str); 3] = [
    ("Count votes", EXAMPLE_RULES),
    ("Notify on a changed vote", "on MODIFY when changed(choice)\n  notify \"#votes\" \"{keys.voter} changed from {old.choice} to {new.choice}\"\n"),
    ("Fail on tea", "on INSERT, MODIFY when new.choice = \"tea\"\n  fail \"no tea for {keys.voter}\"\n"),
];

/// The mapping's request members, as the form holds them (texts, like the learner typed).
#[derive(Clone, Debug, PartialEq)]
struct MappingForm {
    batch_size: String,
    window: String,
    starting: String,
    parallel: String,
    retries: String,
    max_age: String,
    bisect: bool,
    report: bool,
    tumbling: String,
    filters: String,
    on_failure: String,
    enabled: bool,
}

impl Default for MappingForm {
    fn default() -> Self {
        MappingForm {
            batch_size: "100".into(),
            window: "0".into(),
            starting: "TRIM_HORIZON".into(),
            parallel: "1".into(),
            retries: "-1".into(),
            max_age: "-1".into(),
            bisect: false,
            report: false,
            tumbling: "0".into(),
            filters: String::new(),
            on_failure: String::new(),
            enabled: true,
        }
    }
}

/// A number when the text is one; else the text itself (the API reports what is wrong).
fn num(text: &str) -> Value {
    match text.trim().parse::<i64>() {
        Ok(n) => json!(n),
        Err(_) => json!(text.trim()),
    }
}

impl MappingForm {
    fn from_session(lab: &super::state::Lab) -> MappingForm {
        let s = lab.session.borrow();
        let e = s.engine();
        let Some(m) = e.lambda().mappings.iter().find(|m| m.function == lab::DEFAULT_FUNCTION) else {
            return MappingForm::default();
        };
        let c = &m.cfg;
        let filters = c.filters.to_json()["Filters"]
            .as_array()
            .map(|fs| fs.iter().filter_map(|f| f["Pattern"].as_str()).collect::<Vec<_>>().join("\n"))
            .unwrap_or_default();
        MappingForm {
            batch_size: c.batch_size.to_string(),
            window: c.window_s.to_string(),
            starting: m.starting_position.as_str().to_string(),
            parallel: c.parallelization.to_string(),
            retries: c.max_retry.to_string(),
            max_age: c.max_age_s.to_string(),
            bisect: c.bisect,
            report: c.report_failures,
            tumbling: c.tumbling_s.to_string(),
            filters,
            on_failure: c.on_failure.clone().unwrap_or_default(),
            enabled: c.enabled,
        }
    }

    /// The CreateEventSourceMapping / UpdateEventSourceMapping request members.
    fn params(&self) -> Value {
        let patterns: Vec<Value> =
            self.filters.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| json!({"Pattern": l})).collect();
        json!({
            "BatchSize": num(&self.batch_size),
            "MaximumBatchingWindowInSeconds": num(&self.window),
            "StartingPosition": self.starting,
            "ParallelizationFactor": num(&self.parallel),
            "MaximumRetryAttempts": num(&self.retries),
            "MaximumRecordAgeInSeconds": num(&self.max_age),
            "BisectBatchOnFunctionError": self.bisect,
            "FunctionResponseTypes": if self.report { json!(["ReportBatchItemFailures"]) } else { json!([]) },
            "TumblingWindowInSeconds": num(&self.tumbling),
            "FilterCriteria": {"Filters": patterns},
            "DestinationConfig": if self.on_failure.trim().is_empty() { json!({"OnFailure": {}}) }
                else { json!({"OnFailure": {"Destination": self.on_failure.trim()}}) },
            "Enabled": self.enabled,
        })
    }
}

#[component]
pub fn TriggersPanel(props: &PanelProps) -> Html {
    let lab = &props.lab;
    let code = use_state(|| {
        let s = lab.session.borrow();
        s.engine()
            .lambda()
            .functions
            .get(lab::DEFAULT_FUNCTION)
            .map(|f| f.code.clone())
            .unwrap_or_else(|| EXAMPLE_RULES.to_string())
    });
    let mapping = use_state(|| MappingForm::from_session(lab));
    let view = lab.view_type();
    // The check depends only on the rules and the view type (`lab::check_rules`): parsed again
    // when one of them changes, not on every write.
    let check = use_memo(((*code).clone(), view), |_| {
        let s = lab.session.borrow();
        lab::check_rules(&s, &lab.table, &code)
    });
    let has_mapping =
        lab.session.borrow().engine().lambda().mappings.iter().any(|m| m.function == lab::DEFAULT_FUNCTION);

    let on_code = {
        let code = code.setter();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                code.set(t.value());
            }
        })
    };
    let deploy = {
        let (code, mapping, on_action) = (code.clone(), mapping.clone(), props.on_action.clone());
        Callback::from(move |_: MouseEvent| {
            let mut params = mapping.params();
            if has_mapping {
                // StartingPosition is fixed when a mapping is created.
                params.as_object_mut().map(|m| m.remove("StartingPosition"));
            }
            on_action.emit(Action::Deploy { code: (*code).clone(), params });
        })
    };
    let text_field = |label: &str, hint: &str, get: fn(&MappingForm) -> String, set: fn(&mut MappingForm, String)| {
        let m = mapping.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                let mut next = (*m).clone();
                set(&mut next, i.value());
                m.set(next);
            }
        });
        html! {
            <label class="field">
                <span><code>{ label }</code></span>
                <input type="text" inputmode="numeric" spellcheck="false" value={get(&mapping)} {oninput} title={hint.to_string()} />
                <span class="field-hint">{ hint }</span>
            </label>
        }
    };
    let check_field = |label: &str, hint: &str, get: fn(&MappingForm) -> bool, set: fn(&mut MappingForm, bool)| {
        let m = mapping.clone();
        let onchange = Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                let mut next = (*m).clone();
                set(&mut next, i.checked());
                m.set(next);
            }
        });
        html! {
            <label class="check">
                <input type="checkbox" checked={get(&mapping)} {onchange} />
                <span><code>{ label }</code>{ format!(" — {hint}") }</span>
            </label>
        }
    };
    let on_starting = {
        let m = mapping.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                let mut next = (*m).clone();
                next.starting = s.value();
                m.set(next);
            }
        })
    };
    let on_filters = {
        let m = mapping.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                let mut next = (*m).clone();
                next.filters = t.value();
                m.set(next);
            }
        })
    };
    let on_destination = {
        let m = mapping.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                let mut next = (*m).clone();
                next.on_failure = i.value();
                m.set(next);
            }
        })
    };
    let examples = EXAMPLES.iter().map(|(name, text)| {
        let code = code.setter();
        let text = text.to_string();
        html! { <button type="button" class="small" onclick={Callback::from(move |_: MouseEvent| code.set(text.clone()))}>{ *name }</button> }
    });

    let (diagnostics, ok_line) = match &*check {
        Err(e) => (html! { <pre class="diagnostic error-text">{ e.clone() }</pre> }, None),
        Ok(w) if w.is_empty() => {
            (html! {}, Some(format!("No problems under {}.", view.map(|v| v.as_str()).unwrap_or("this stream"))))
        }
        Ok(w) => (
            html! { <>{ for w.iter().map(|w| html! { <pre class="diagnostic warning-text">{ format!("Warning: {w}") }</pre> }) }</> },
            None,
        ),
    };

    html! {
        <section class="panel" aria-labelledby="triggers-heading" id="triggers">
            <div class="panel-title">
                <h2 id="triggers-heading">{ "Triggers" }</h2>
                <p class="count">{ format!("Lambda function {}", lab::DEFAULT_FUNCTION) }</p>
            </div>
            <label for="rules" class="label">{ "Trigger rules" }</label>
            <p class="hint" id="rules-hint">{ "One rule per block: on EVENTS [when CONDITION], then actions (count, sum, notify, put, fail…). Examples: " }</p>
            <div class="actions tight">{ for examples }</div>
            <textarea id="rules" class="item-input rules-input" rows="6" spellcheck="false" autocapitalize="off" autocomplete="off"
                aria-describedby="rules-hint rules-check" aria-invalid={check.is_err().to_string()}
                value={(*code).clone()} oninput={on_code} />
            <div id="rules-check" class="rules-check" aria-live="polite">
                { diagnostics }
                if let Some(l) = ok_line { <p class="ok-text">{ l }</p> }
            </div>

            <details class="mapping">
                <summary>{ "Event source mapping settings" }</summary>
                <div class="mapping-grid">
                    { text_field("BatchSize", "records per invocation, 1–10000", |m| m.batch_size.clone(), |m, v| m.batch_size = v) }
                    { text_field("MaximumBatchingWindowInSeconds", "wait up to this long to fill a batch, 0–300", |m| m.window.clone(), |m, v| m.window = v) }
                    <label class="field">
                        <span><code>{ "StartingPosition" }</code></span>
                        <select onchange={on_starting} disabled={has_mapping}>
                            { for ["TRIM_HORIZON", "LATEST"].iter().map(|p| html! { <option value={*p} selected={mapping.starting == *p}>{ *p }</option> }) }
                        </select>
                        <span class="field-hint">{ if has_mapping { "set when the mapping was created" } else { "where reading starts" } }</span>
                    </label>
                    { text_field("ParallelizationFactor", "batches per shard at once, 1–10", |m| m.parallel.clone(), |m, v| m.parallel = v) }
                    { text_field("MaximumRetryAttempts", "-1 = until the record expires, 0–10000", |m| m.retries.clone(), |m, v| m.retries = v) }
                    { text_field("MaximumRecordAgeInSeconds", "-1 = forever, 60–604800", |m| m.max_age.clone(), |m, v| m.max_age = v) }
                    { text_field("TumblingWindowInSeconds", "0 = off, up to 900", |m| m.tumbling.clone(), |m, v| m.tumbling = v) }
                </div>
                { check_field("BisectBatchOnFunctionError", "split a failing batch in two and retry each half", |m| m.bisect, |m, v| m.bisect = v) }
                { check_field("ReportBatchItemFailures", "the function reports which records failed", |m| m.report, |m, v| m.report = v) }
                { check_field("Enabled", "the mapping polls the stream", |m| m.enabled, |m, v| m.enabled = v) }
                <label class="field">
                    <span><code>{ "FilterCriteria" }</code>{ " patterns, one per line" }</span>
                    <textarea rows="2" spellcheck="false" placeholder={r#"{"eventName": ["INSERT"]}"#} value={mapping.filters.clone()} oninput={on_filters} />
                </label>
                <label class="field">
                    <span><code>{ "OnFailure" }</code>{ " destination (SQS, SNS or S3 ARN)" }</span>
                    <input type="text" spellcheck="false" placeholder="arn:aws:sqs:us-east-1:123456789012:dlq" value={mapping.on_failure.clone()} oninput={on_destination} />
                </label>
            </details>
            <div class="actions">
                <button type="button" class="primary" onclick={deploy}>{ "Deploy" }</button>
            </div>
            <div role="status">{ note_view(&lab.deploy_note) }</div>
            { timeline(props) }
        </section>
    }
}

/// "12:00:01.250" of a simulated time.
pub fn clock(ms: u64) -> String {
    time::label(ms).get(11..23).unwrap_or_default().to_string()
}

/// Invocations and what happened to records, newest first; then the on-failure queue.
/// A plain function, not a component: it has no hooks, and its panel re-renders it with every
/// change anyway (a component would only add its own lifecycle code to the wasm).
pub fn timeline(props: &PanelProps) -> Html {
    let s = props.lab.session.borrow();
    let e = s.engine();
    let l = e.lambda();
    // Both lists are in time order, newest last: merge their tails (no sort needed).
    let mut invocations: Vec<(u64, Html)> = Vec::new();
    let mut logs: Vec<(u64, Html)> = Vec::new();
    for inv in l.invocations.iter().rev().take(30) {
        let n = inv.event["Records"].as_array().map(|r| r.len()).unwrap_or(0);
        let (class, outcome) = match &inv.outcome {
            Outcome::Success => ("tl ok", "succeeded".to_string()),
            Outcome::Error(m) => ("tl bad", format!("failed: {m}")),
            Outcome::PartialFailure(ids) => {
                ("tl warn", format!("reported {} failed record{}", ids.len(), if ids.len() == 1 { "" } else { "s" }))
            }
        };
        let event = Rc::new(inv.event.clone());
        let attempt = inv.attempt;
        let onclick = props.on_action.reform(move |_: MouseEvent| {
            Action::Open(Detail::Json {
                title: format!("Lambda event (attempt {attempt})"),
                value: event.clone(),
                copy_label: "Copy Lambda event".into(),
            })
        });
        invocations.push((inv.time_ms, html! {
            <li ~className={class}>
                <span class="tl-time">{ clock(inv.time_ms) }</span>
                <span class="tl-text">{ format!("Invocation, batch of {n} record{}, attempt {attempt}: {outcome}", if n == 1 { "" } else { "s" }) }</span>
                <button type="button" class="small" {onclick}>{ "Open event" }</button>
            </li>
        }));
    }
    for entry in l.log.iter().rev().take(30) {
        let (class, what) = match entry.kind {
            LogKind::Filtered => ("tl skip", "Skipped (filtered)"),
            LogKind::Waiting => ("tl info", "Batch window"),
            LogKind::Retrying => ("tl warn", "Retrying, shard blocked"),
            LogKind::Bisected => ("tl warn", "Bisected"),
            LogKind::Discarded => ("tl bad", "Sent to on-failure"),
            LogKind::LoopGuard => ("tl bad", "Paused by the simulator's loop guard"),
            LogKind::Expired => ("tl bad", "Expired"),
        };
        logs.push((
            entry.time_ms,
            html! {
                <li ~className={class}>
                    <span class="tl-time">{ clock(entry.time_ms) }</span>
                    <span class="tl-text"><strong>{ what }</strong>{ format!(": {}", entry.message) }</span>
                </li>
            },
        ));
    }
    let (mut a, mut b) = (invocations.into_iter().peekable(), logs.into_iter().peekable());
    let mut entries: Vec<Html> = Vec::new();
    while entries.len() < 40 {
        let take_a = match (a.peek(), b.peek()) {
            // At the same time, what an invocation caused (a retry, a discard) is newer.
            (Some(x), Some(y)) => x.0 > y.0,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        let next = if take_a { a.next() } else { b.next() };
        entries.extend(next.map(|(_, h)| h));
    }

    let failures = e.failures_output();
    let failure_items = failures.into_iter().enumerate().rev().take(50).map(|(i, f)| {
        let info = &f["DDBStreamBatchInfo"];
        let text = format!(
            "{} · {} record{} · {}",
            f["requestContext"]["condition"].as_str().unwrap_or("failure"),
            info["batchSize"],
            if info["batchSize"] == json!(1) { "" } else { "s" },
            f["timestamp"].as_str().unwrap_or_default()
        );
        let value = Rc::new(f);
        let onclick = props.on_action.reform(move |_: MouseEvent| {
            Action::Open(Detail::Json {
                title: format!("On-failure record {}", i + 1),
                value: value.clone(),
                copy_label: "Copy JSON".into(),
            })
        });
        html! {
            <li class="tl bad">
                <span class="tl-text">{ text }</span>
                <button type="button" class="small" {onclick}>{ "Open" }</button>
            </li>
        }
    });
    let n_fail = l.failures.len() as u64 + l.dropped.failures;
    let dropped_fail = l.dropped.failures;

    html! {
        <>
            <h3 id="timeline-heading">{ "Invocation timeline" }</h3>
            if entries.is_empty() {
                <p class="empty">{ "No invocations yet. Deploy a rule, write an item, then play or advance the clock." }</p>
            } else {
                <ol class="timeline" aria-labelledby="timeline-heading">{ for entries }</ol>
            }
            <h3 id="dlq-heading">{ format!("On-failure queue ({n_fail})") }</h3>
            if dropped_fail > 0 {
                <p class="hint">{ format!("The {dropped_fail} oldest are not kept: the lab keeps the newest {}.", crate::sim::HISTORY_LIMIT) }</p>
            }
            if n_fail == 0 {
                <p class="empty">{ "Empty. Records land here when retries or their age run out and an OnFailure destination is set." }</p>
            } else {
                <ol class="timeline" aria-labelledby="dlq-heading">{ for failure_items }</ol>
            }
        </>
    }
}
