//! The simulated clock: play, pause, step, speed, step back, and "Advance clock" with quick
//! choices. Time only moves through the `AdvanceClock` action.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::note_view;
use super::state::{Action, Note};
use crate::teach::view::ClockView;

/// Simulated seconds per real second.
const SPEEDS: [(u32, &str); 5] = [(1, "1×"), (10, "10×"), (60, "60×"), (600, "600×"), (3600, "3600×")];
const QUICK: [(f64, &str); 3] = [(60.0, "1 min"), (3600.0, "1 h"), (90_000.0, "25 h")];

/// What the clock bar shows.
pub struct TimeBar {
    pub clock: ClockView,
    pub playing: bool,
    pub speed: f64,
    /// What the running job has done so far; None when there is none.
    pub progress: Option<String>,
    /// The note of the last advance.
    pub note: Option<Note>,
    /// On a phone, the controls beyond Play, Pause, Step and Step back are shown.
    pub more: bool,
}

/// A plain function, not a component (size of the wasm): the "Seconds" field keeps what was
/// typed in the DOM (`seconds`, a node ref of the root), read when the form is submitted.
/// On a phone the bar is a compact strip that stays at the top: the clock, Play, Pause, Step,
/// Step back, and "More" (`on_more`) for the speed, Advance clock and the section links.
pub fn time_bar(
    bar: &TimeBar,
    on_action: &Callback<Action>,
    seconds: &NodeRef,
    on_more: &Callback<MouseEvent>,
) -> Html {
    let on = |a: fn() -> Action| on_action.reform(move |_: MouseEvent| a());
    let on_speed = on_action.reform(|e: Event| {
        let v = e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
        Action::SetSpeed(f64::from(v.parse::<u32>().unwrap_or(10)))
    });
    let advance = {
        let seconds = seconds.clone();
        on_action.reform(move |e: SubmitEvent| {
            e.prevent_default();
            let text = seconds.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            Action::Advance(crate::support::float::parse_f64(text.trim()).unwrap_or(f64::NAN))
        })
    };
    let quick = QUICK.iter().map(|(s, label)| {
        let s = *s;
        let onclick = on_action.reform(move |_: MouseEvent| Action::Advance(s));
        html! { <button type="button" class="small" {onclick}>{ format!("+{label}") }</button> }
    });
    let busy = bar.progress.is_some();

    html! {
        <>
        <section ~className={if bar.more { "timebar more" } else { "timebar" }} aria-label="Simulated clock">
            <div class="wrap timebar-row">
                <p class="clock">
                    <span class="clock-label">{ "Simulated time" }</span>
                    <time class="clock-time">{ &bar.clock.time }</time>
                </p>
                <div class="group" role="group" aria-label="Play the clock">
                    <button type="button" class="primary" disabled={bar.playing} onclick={on(|| Action::Play)}>{ "Play" }</button>
                    <button type="button" disabled={!bar.playing} onclick={on(|| Action::Pause)}>{ "Pause" }</button>
                    <button type="button" disabled={busy} onclick={on_action.reform(|_: MouseEvent| Action::Advance(1.0))}>{ "Step" }</button>
                    <button type="button" disabled={!bar.clock.can_step_back || busy} onclick={on(|| Action::StepBack)}
                        title="Undo your last action: the session is replayed without it">{ "Step back" }</button>
                    <button type="button" class="more-toggle" aria-expanded={bar.more.to_string()} onclick={on_more.clone()}>
                        { if bar.more { "Less" } else { "More" } }</button>
                    <label class="inline speed">
                        <span>{ "Speed" }</span>
                        <select onchange={on_speed} title="Simulated seconds per real second while playing">
                            { for SPEEDS.iter().map(|(v, label)| html! {
                                <option value={v.to_string()} selected={f64::from(*v) == bar.speed}>{ *label }</option>
                            }) }
                        </select>
                    </label>
                </div>
                <form class="group" onsubmit={advance} aria-label="Advance the clock">
                    <label class="inline">
                        <span>{ "Seconds" }</span>
                        <input type="number" class="seconds" min="0" step="any" inputmode="decimal"
                            ref={seconds.clone()} ~defaultValue="60" />
                    </label>
                    <button type="submit" disabled={busy}>{ "Advance clock" }</button>
                    { for quick }
                </form>
                <p class="steps">{ &bar.clock.steps }</p>
                <nav class="jump" aria-label="Sections">
                    { for [("#table", "Table"), ("#stream", "Stream"), ("#flow", "Flow"), ("#triggers", "Triggers"), ("#results", "Results"), ("#files", "Files")]
                        .iter().map(|(href, name)| html! { <a href={*href}>{ *name }</a> }) }
                </nav>
            </div>
            // Inside the bar, so that on a phone (where the bar stays at the top) the progress and
            // Cancel stay in view wherever the learner is.
            { bar.progress.as_ref().map(|p| html! {
                <p class="wrap status progress-line" role="status">{ p }{ " " }
                    <button type="button" class="small" onclick={on(|| Action::CancelJob)}>{ "Cancel" }</button></p>
            }).unwrap_or_default() }
        </section>
        <div class="wrap clock-notes" role="status">

            { note_view(&bar.note) }
        </div>
        </>
    }
}
