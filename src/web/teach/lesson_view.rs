//! The lesson and quiz menus (`#lessons`, `#quizzes`: lessons/index.json, quizzes/index.json) and a guided lesson (`#lesson=<id>`):
//! "Step N of M", Back and Next, each step's text and what to watch for, the optional
//! predict-then-reveal question, and the playground at the end. The lab panels below show the
//! lesson's scenario replayed up to the step (`Lesson::session_at`), loaded through
//! `Action::Import`.

use std::rc::Rc;

use yew::prelude::*;

use super::net;
use crate::lesson::{self, IndexEntry, Lesson};
use crate::session::Session;
use crate::web::state::Action;

/// A file being fetched and parsed.
#[derive(Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Failed(String),
    Ready(Rc<T>),
}

/// Fetches `url` and parses it with `parse` once (per component).
#[hook]
pub fn use_file<T: 'static>(url: String, parse: fn(&str) -> Result<T, String>) -> UseStateHandle<Load<T>> {
    let state = use_state(|| Load::Loading);
    {
        let state = state.clone();
        use_effect_with(url, move |url| {
            let url = url.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let loaded = match net::fetch_text(&url).await {
                    Ok(text) => parse(&text).map_err(|e| format!("{url} is not valid: {e}")),
                    Err(e) => Err(e),
                };
                state.set(match loaded {
                    Ok(v) => Load::Ready(Rc::new(v)),
                    Err(e) => Load::Failed(e),
                });
            });
        });
    }
    state
}

#[derive(Properties, PartialEq)]
pub struct MenuProps {
    pub on_close: Callback<MouseEvent>,
    /// The quiz menu (`#quizzes`) rather than the lesson menu (`#lessons`). One component for
    /// both (size of the wasm); give each its own `key` so that switching remounts it.
    #[prop_or_default]
    pub quizzes: bool,
}

/// The lesson menu (lessons/index.json) or the quiz menu (quizzes/index.json).
#[component]
pub fn Menu(props: &MenuProps) -> Html {
    let (url, parse, what, key, hint): (&str, fn(&str) -> Result<Vec<IndexEntry>, String>, _, _, _) = if props.quizzes {
        ("quizzes/index.json", crate::quiz::parse_index, "quiz", "quizzes", "Practice shows the answer after each question; Exam shows your results at the end.")
    } else {
        ("lessons/index.json", lesson::parse_index, "lesson", "lessons", "Each lesson runs a scenario in the lab step by step. Opening one replaces what is in the lab (export it under Files first to keep it).")
    };
    let index = use_file(url.to_string(), parse);
    let body = match &*index {
        Load::Loading => html! { <p class="hint">{ format!("Loading the {key}…") }</p> },
        Load::Failed(e) => html! { <p class="teach-error" role="alert">{ format!("The {what} list could not be loaded: {e}.") }</p> },
        Load::Ready(list) => menu_list(list, what),
    };
    html! {
        <section class="teach panel" aria-labelledby={format!("{key}-heading")}>
            <div class="teach-head">
                <h2 id={format!("{key}-heading")}>{ if props.quizzes { "Quizzes" } else { "Lessons" } }</h2>
                <button type="button" onclick={props.on_close.clone()}>{ "Close" }</button>
            </div>
            <p class="hint">{ hint }</p>
            { body }
        </section>
    }
}

/// A list of links `#<key>=<id>` (ids were checked by the index parser: `[a-z0-9-]`).
pub fn menu_list(list: &[IndexEntry], key: &str) -> Html {
    html! {
        <ul class="teach-menu">
            { for list.iter().map(|e| html! {
                <li><a href={format!("#{key}={}", e.id)}>{ e.title.clone() }</a></li>
            }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonProps {
    pub name: String,
    pub on_action: Callback<Action>,
    pub on_close: Callback<MouseEvent>,
}

#[component]
pub fn LessonView(props: &LessonProps) -> Html {
    let file = use_file(format!("lessons/{}.json", props.name), lesson::parse);
    let title = match &*file {
        Load::Ready(l) => l.title.clone(),
        _ => "Lesson".to_string(),
    };
    let body = match &*file {
        Load::Loading => html! { <p class="hint">{ "Loading the lesson…" }</p> },
        Load::Failed(e) => html! {
            <div class="teach-error" role="alert">
                <p>{ format!("The lesson could not be opened: {e}.") }</p>
                <p><a href="#lessons">{ "See the list of lessons" }</a></p>
            </div>
        },
        Load::Ready(l) => html! { <Steps lesson={l.clone()} on_action={props.on_action.clone()} /> },
    };
    html! {
        <section class="teach panel" aria-labelledby="lesson-heading">
            <div class="teach-head">
                <h2 id="lesson-heading">{ title }</h2>
                <button type="button" onclick={props.on_close.clone()}>{ "Close lesson" }</button>
            </div>
            { body }
        </section>
    }
}

#[derive(Properties)]
struct StepsProps {
    lesson: Rc<Lesson>,
    on_action: Callback<Action>,
}

impl PartialEq for StepsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.lesson, &other.lesson) && self.on_action == other.on_action
    }
}

fn options_list(
    options: &[String],
    answer: usize,
    chosen: Option<usize>,
    revealed: bool,
    choice: &UseStateHandle<Option<usize>>,
) -> Html {
    let items = options.iter().enumerate().map(|(k, text)| {
        let on_pick = {
            let choice = choice.clone();
            Callback::from(move |_: Event| choice.set(Some(k)))
        };
        let mark = match (revealed, k == answer, chosen == Some(k)) {
            (true, true, _) => html! { <span class="mark right">{ " ✓ the answer" }</span> },
            (true, false, true) => html! { <span class="mark wrong">{ " ✗ your choice" }</span> },
            _ => html! {},
        };
        html! {
            <li>
                <label class="option">
                    <input type="radio" name="predict" checked={chosen == Some(k)} disabled={revealed} onchange={on_pick} />
                    <span>{ text.clone() }{ mark }</span>
                </label>
            </li>
        }
    });
    html! { <ul class="options">{ for items }</ul> }
}

#[component]
fn Steps(props: &StepsProps) -> Html {
    let lesson = props.lesson.clone();
    let n = lesson.steps.len();
    // 0..n: a step; n: the playground.
    let pos = use_state(|| 0usize);
    let choice = use_state(|| None::<usize>);
    let revealed = use_state(|| false);
    let load_error = use_state(|| None::<String>);
    let title_ref = use_node_ref();
    let moved = use_mut_ref(|| false);
    let asking = *pos < n && lesson.steps[*pos].question.is_some() && !*revealed;

    // Load the step's lab state into the lab panels.
    {
        let lesson = lesson.clone();
        let on_action = props.on_action.clone();
        let load_error = load_error.clone();
        use_effect_with((*pos, asking), move |&(pos, asking)| {
            let (session, source): (Result<Session, String>, String) = if pos >= n {
                (lesson.playground_session(), format!("lesson \"{}\", playground", lesson.title))
            } else if asking {
                (lesson.session_before(pos), format!("lesson \"{}\", before step {} of {n}", lesson.title, pos + 1))
            } else {
                (lesson.session_at(pos), format!("lesson \"{}\", step {} of {n}", lesson.title, pos + 1))
            };
            match session {
                Ok(s) => {
                    load_error.set(None);
                    on_action.emit(Action::Import { text: s.to_scenario_json().to_string(), source });
                }
                Err(e) => load_error.set(Some(e)),
            }
        });
    }
    // After Back or Next, the step's title takes the focus (screen readers read it).
    {
        let title_ref = title_ref.clone();
        let moved = moved.clone();
        use_effect_with(*pos, move |_| {
            if *moved.borrow() {
                net::focus(&title_ref);
            }
        });
    }

    let go = |to: usize| {
        let pos = pos.clone();
        let choice = choice.clone();
        let revealed = revealed.clone();
        let moved = moved.clone();
        Callback::from(move |_: MouseEvent| {
            *moved.borrow_mut() = true;
            pos.set(to);
            choice.set(None);
            revealed.set(false);
        })
    };
    let back = (*pos > 0).then(|| html! { <button type="button" onclick={go(*pos - 1)}>{ "Back" }</button> });
    let next = (*pos < n).then(|| {
        let label = if *pos + 1 == n { "Next: playground" } else { "Next" };
        html! {
            <button type="button" class="primary" onclick={go(*pos + 1)} disabled={asking}>{ label }</button>
        }
    });
    let progress = if *pos < n { format!("Step {} of {n}", *pos + 1) } else { format!("Playground (after step {n} of {n})") };

    let error = (*load_error).clone().map(|e| {
        html! { <p class="teach-error" role="alert">{ format!("The lab could not be set to this step: {e}.") }</p> }
    });

    let content = if *pos < n {
        let step = &lesson.steps[*pos];
        let question = step.question.as_ref().map(|q| {
            let chosen = *choice;
            let on_reveal = {
                let revealed = revealed.clone();
                Callback::from(move |_: MouseEvent| revealed.set(true))
            };
            let verdict = (*revealed).then(|| {
                let right = chosen == Some(q.answer);
                html! {
                    <div class={if right { "verdict is-right" } else { "verdict is-wrong" }}>
                        <p><strong>{ if right { "Right." } else { "Not quite." } }</strong>{ " " }{ q.explanation.clone() }</p>
                        <p class="hint">{ "The lab now shows the state after this step." }</p>
                    </div>
                }
            });
            html! {
                <fieldset class="predict">
                    <legend>{ "Predict, then reveal" }</legend>
                    <p class="prompt">{ q.prompt.clone() }</p>
                    { options_list(&q.options, q.answer, chosen, *revealed, &choice) }
                    if !*revealed {
                        <p class="hint">{ "Choose an answer, then Reveal. Until then the lab shows the state before this step." }</p>
                        <button type="button" class="primary" onclick={on_reveal} disabled={chosen.is_none()}>{ "Reveal" }</button>
                    }
                    <div aria-live="polite">{ for verdict }</div>
                </fieldset>
            }
        });
        let focus = step.focus.clone().map(|f| {
            let target = f.clone();
            let onclick = Callback::from(move |_: MouseEvent| super::show_panel(&target));
            html! {
                <p class="focus-line">{ format!("Look at {}. ", super::panel_name(&f)) }
                    <button type="button" class="link-button" {onclick}>{ "Show it" }</button></p>
            }
        });
        html! {
            <>
                <h3 class="step-title" tabindex="-1" ref={title_ref.clone()}>{ step.title.clone() }</h3>
                <p>{ step.text.clone() }</p>
                { for question }
                if !asking {
                    <div class="watch">
                        <h4>{ "Watch for" }</h4>
                        <ul>{ for step.watch.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                    </div>
                    { for focus }
                }
            </>
        }
    } else {
        let p = &lesson.playground;
        html! {
            <>
                <h3 class="step-title" tabindex="-1" ref={title_ref.clone()}>{ "Playground" }</h3>
                <p>{ p.text.clone() }</p>
                if !p.ideas.is_empty() {
                    <div class="watch">
                        <h4>{ "Ideas to try" }</h4>
                        <ul>{ for p.ideas.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                    </div>
                }
                <p class="hint">{ "The lab below holds the lesson's whole scenario: it is yours to change." }</p>
                <p><a href="#lessons">{ "More lessons" }</a></p>
            </>
        }
    };

    html! {
        <div class="lesson">
            <p class="summary">{ lesson.summary.clone() }</p>
            <div class="lesson-bar">
                <p class="progress" aria-live="polite">{ progress }</p>
                <progress max={(n + 1).to_string()} value={(*pos + 1).to_string()} aria-label="Lesson progress"></progress>
            </div>
            { for error }
            { content }
            <div class="actions lesson-nav">
                { for back }
                { for next }
            </div>
        </div>
    }
}
