//! The invocation timeline and the on-failure queue (`view::timeline`).

use yew::prelude::*;

use crate::teach::view::{Detail, Timeline};

/// Invocations and what happened to records, newest first; then the on-failure queue. Each
/// invocation's Lambda event and each on-failure record opens in the detail dialog.
pub fn timeline(t: &Timeline, on_open: &Callback<Detail>) -> Html {
    let open = |label: &'static str, d: &Detail| {
        let d = d.clone();
        let onclick = on_open.reform(move |_: MouseEvent| d.clone());
        html! { <button type="button" class="small" {onclick}>{ label }</button> }
    };
    let lines = t.lines.iter().map(|l| {
        let text = match l.what {
            Some(what) => html! { <span class="tl-text"><strong>{ what }</strong>{ &l.text }</span> },
            None => html! { <span class="tl-text">{ &l.text }</span> },
        };
        html! {
            <li ~className={l.class}>
                <span class="tl-time">{ &l.time }</span>
                if !l.function.is_empty() { <code class="tl-fn">{ &l.function }</code> }
                { text }
                { for l.event.as_ref().map(|d| open("Open event", d)) }
            </li>
        }
    });
    let q = &t.failures;
    let failures = q.lines.iter().map(|f| {
        html! {
            <li class="tl bad">
                <span class="tl-text">{ &f.text }</span>
                { open("Open", &f.record) }
            </li>
        }
    });
    html! {
        <>
            <h3 id="timeline-heading">{ "Invocation timeline" }</h3>
            if t.lines.is_empty() {
                <p class="empty">{ "No invocations yet. Deploy a rule, write an item, then play or advance the clock." }</p>
            } else {
                <ol class="timeline" aria-labelledby="timeline-heading">{ for lines }</ol>
            }
            <h3 id="dlq-heading">{ &q.title }</h3>
            if let Some(d) = &q.dropped {
                <p class="hint">{ d }</p>
            }
            if q.empty {
                <p class="empty">{ "Empty. Records land here when retries or their age run out and an OnFailure destination is set." }</p>
            } else {
                <ol class="timeline" aria-labelledby="dlq-heading">{ for failures }</ol>
            }
        </>
    }
}
