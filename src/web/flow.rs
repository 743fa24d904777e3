//! The architecture diagram: item change → stream → Lambda trigger → action, with every recent
//! record drawn as a token where it is now (`view::flow`). Clicking a token opens its record.

use yew::prelude::*;

use super::note_view;
use super::state::{Action, Detail, Note};
use crate::teach::view::{token_box, FlowView, LoopView, Place, LOOP_FIXES};

/// A plain function, not a component: it has no hooks, and the root re-renders it with every
/// change anyway (a component would only add its own lifecycle code to the wasm).
pub fn flow(v: &FlowView, looping: Option<LoopView>, note: &Option<Note>, on: &Callback<Action>) -> Html {
    let on_open = &on.reform(Action::Open);
    let token_box = |places: &[Place], title: &'static str, hint: &'static str, class: &'static str| {
        let here = v.tokens_in(places);
        let b = token_box(&here);
        let shown = b.tokens.iter().map(|t| {
            let record = t.record.clone();
            let onclick = on_open.reform(move |_: MouseEvent| Detail::Record(record.clone()));
            let class = format!("token token-{}", t.event.to_ascii_lowercase());
            html! {
                <li>
                    <button type="button" {onclick} title={t.title.clone()} ~className={class}>
                        <span class="token-event">{ t.event }</span>
                        <span class="token-key">{ &t.key }</span>
                        if let Some(short) = &t.short { <span class="token-note" aria-hidden="true">{ short }</span> }
                        <span class="visually-hidden">{ &t.spoken }</span>
                    </button>
                </li>
            }
        });
        html! {
            <div ~className={class}>
                <h4>{ title }</h4>
                <p class="stage-hint">{ hint }</p>
                <ul class="tokens" aria-label={title}>
                    { for shown }
                </ul>
                if let Some(more) = b.more { <p class="more">{ more }</p> }
            </div>
        }
    };

    html! {
        <section class="panel flow" aria-labelledby="flow-heading" id="flow">
            <div class="panel-title">
                <h2 id="flow-heading">{ "Flow" }</h2>
                <p class="count">{ "Each change is a token; press one to open its record. Play the clock to see them move." }</p>
            </div>
            <div class="flow-diagram">
                <div class="column">
                    <h3>{ "1. Item change" }</h3>
                    <div class="stage stage-table">
                        <h4>{ &v.table }</h4>
                        <p class="stage-hint">{ &v.items }</p>
                    </div>
                </div>
                <div class="arrow" aria-hidden="true">{ "→" }</div>
                <div class="column">
                    <h3>{ "2. Stream" }</h3>
                    { token_box(&[Place::Shard], "In a shard", "Written, not read yet.", "stage stage-shard") }
                </div>
                <div class="arrow" aria-hidden="true">{ "→" }</div>
                <div class="column">
                    <h3>{ &v.trigger }</h3>
                    { token_box(&[Place::Window], "Batch window", "Read, waiting for its batch to close.", "stage stage-window") }
                    { token_box(&[Place::Retry, Place::Blocked], "Retrying or blocked", "A failed batch is retried; records behind it wait.", "stage stage-retry") }
                </div>
                <div class="arrow" aria-hidden="true">{ "→" }</div>
                <div class="column">
                    <h3>{ "4. Action" }</h3>
                    { token_box(&[Place::Done], "Done", "The function handled it.", "stage stage-done") }
                    { token_box(&[Place::Filtered], "Filtered out", "Skipped by the filter: never sent.", "stage stage-filtered") }
                    { token_box(&[Place::OnFailure], "On-failure queue", "Given up on: described to the destination.", "stage stage-failed") }
                </div>
            </div>
            if let Some(l) = looping { { loop_box(&l, note, on) } }
        </section>
    }
}

/// A loop of triggers fed by their own writes: what it costs, that AWS would not stop it, the
/// simulator's guard and how to let it run, and the fixes that work on AWS.
fn loop_box(l: &LoopView, note: &Option<Note>, on: &Callback<Action>) -> Html {
    let more = l.limit.map(|n| n.saturating_add(1_000));
    let let_run = on.reform(move |_: MouseEvent| Action::SetLoopGuard(more));
    let off = on.reform(|_: MouseEvent| Action::SetLoopGuard(None));
    html! {
        <div class="loop-alert" role="status" aria-labelledby="loop-heading">
            <h3 id="loop-heading">{ "Loop: the trigger's writes invoke it again" }</h3>
            <p>{ &l.done }</p>
            <p>{ &l.on_aws }</p>
            if let Some(p) = &l.paused {
                <p class="error-message">{ p }</p>
                <p class="loop-actions">
                    if l.limit.is_some() {
                        <button type="button" onclick={let_run}>{ "Let it run 1,000 more" }</button>
                        <button type="button" onclick={off}>{ "Turn the guard off" }</button>
                    }
                </p>
            }
            { note_view(note) }
            <p>{ "Fixes that work on AWS:" }</p>
            <ul>{ for LOOP_FIXES.iter().map(|f| html! { <li>{ *f }</li> }) }</ul>
        </div>
    }
}
