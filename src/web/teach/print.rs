//! Handouts on paper (issue 18): a quiz bank's paper exam and answer key, and a lesson's
//! handout, laid out from `crate::teach::paper` (which decides what goes on the paper). Each
//! is a `.print-doc`: `www/print.css` prints it alone, without the lab, header and clock bar
//! around it.

use yew::prelude::*;

use crate::teach::paper::{Handout, PaperExam, PaperOption};

/// Opens the browser's print dialog (the print stylesheet does the rest).
pub fn print_page() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// The lettered options of a question, each with a box to tick when `boxes`.
fn options(list: &[PaperOption], boxes: bool) -> Html {
    html! {
        <ul class="paper-options">
            { for list.iter().map(|o| html! {
                <li>
                    if boxes { <span class="paper-box" aria-hidden="true"></span> }
                    <strong class="paper-letter">{ format!("{}.", o.letter) }</strong>
                    <span>{ o.text.clone() }</span>
                    if let Some(d) = &o.detail { <pre class="paper-json">{ d.clone() }</pre> }
                </li>
            }) }
        </ul>
    }
}

/// A paper exam: name line, every question with its boxes or blanks, then (after a page
/// break) the answer key, both labelled with the bank, its version and the seed.
pub fn paper_view(p: &PaperExam) -> Html {
    let questions = p.questions.iter().map(|q| {
        let blanks = (q.blanks > 0).then(|| {
            html! {
                <p class="paper-blanks">{ "Order: " }
                    { for (0..q.blanks).map(|_| html! { <span class="paper-blank" aria-hidden="true"></span> }) }
                </p>
            }
        });
        html! {
            <li class="paper-q">
                <p class="paper-prompt"><strong>{ format!("{}. ", q.number) }</strong>{ q.prompt.clone() }</p>
                if let Some(f) = &q.filter { <p class="paper-label">{ "The filter:" }</p><pre class="paper-json">{ f.clone() }</pre> }
                if let Some(s) = &q.scenario { <p class="paper-label">{ "The scenario:" }</p><pre class="paper-json paper-scenario">{ s.clone() }</pre> }
                <p class="paper-how">{ q.instruction.clone() }</p>
                { options(&q.options, q.boxes) }
                if !q.items.is_empty() {
                    <ol class="paper-items">
                        { for q.items.iter().map(|item| html! {
                            <li><span>{ item.clone() }</span><span class="paper-blank" aria-hidden="true"></span></li>
                        }) }
                    </ol>
                }
                { for blanks }
            </li>
        }
    });
    html! {
        <section class="print-doc paper" aria-label="Paper exam">
            <div class="paper-sheet">
                <h2 class="paper-title">{ format!("Exam: {}", p.title) }</h2>
                <p class="paper-meta">{ p.label.clone() }</p>
                <p class="paper-name">{ "Name or ID: " }<span class="paper-line" aria-hidden="true"></span></p>
                <ol class="paper-questions">{ for questions }</ol>
            </div>
            <section class="paper-key" aria-label="Answer key">
                <h2 class="paper-title">{ format!("Answer key: {}", p.title) }</h2>
                <p class="paper-meta">{ p.label.clone() }</p>
                <ol class="paper-key-list">
                    { for p.key.iter().map(|k| html! {
                        <li><strong>{ format!("{}. {}", k.number, k.answer) }</strong>
                            <span class="paper-why">{ format!(" ({}) ", k.id) }{ k.explanation.clone() }</span></li>
                    }) }
                </ol>
            </section>
        </section>
    }
}

/// A lesson's handout: every step with what to watch for and its question, the playground,
/// then the answers on a page of their own. Not shown on screen (`print-only`).
pub fn handout_view(h: &Handout) -> Html {
    html! {
        <div class="print-doc print-only handout">
            <h2 class="paper-title">{ h.title.clone() }</h2>
            <p class="paper-meta">{ h.about.clone() }</p>
            <p>{ h.summary.clone() }</p>
            if !h.goals.is_empty() {
                <h3>{ "After this lesson you can" }</h3>
                <ul>{ for h.goals.iter().map(|g| html! { <li>{ g.clone() }</li> }) }</ul>
            }
            { for h.steps.iter().map(|s| html! {
                <section class="handout-step">
                    <h3>{ format!("Step {}: {}", s.number, s.title) }</h3>
                    <p>{ s.text.clone() }</p>
                    if let Some((prompt, opts)) = &s.question {
                        <div class="handout-question">
                            <p><strong>{ "Predict: " }</strong>{ prompt.clone() }</p>
                            { options(opts, true) }
                        </div>
                    }
                    if !s.watch.is_empty() {
                        <p class="paper-label">{ "Watch for" }</p>
                        <ul>{ for s.watch.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                    }
                </section>
            }) }
            <section class="handout-step">
                <h3>{ "Playground" }</h3>
                <p>{ h.playground.clone() }</p>
                if !h.ideas.is_empty() {
                    <ul>{ for h.ideas.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                }
            </section>
            if !h.sources.is_empty() {
                <h3>{ "AWS documentation" }</h3>
                <ul class="handout-sources">{ for h.sources.iter().map(|s| html! { <li>{ s.clone() }</li> }) }</ul>
            }
            if !h.answers.is_empty() {
                <section class="paper-key">
                    <h2 class="paper-title">{ format!("Answers: {}", h.title) }</h2>
                    <ol class="paper-key-list">
                        { for h.answers.iter().map(|(n, a, why)| html! {
                            <li><strong>{ format!("Step {n}: {a}") }</strong><span class="paper-why">{ format!(" {why}") }</span></li>
                        }) }
                    </ol>
                </section>
            }
        </div>
    }
}
