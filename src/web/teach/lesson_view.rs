//! The teaching files' view ([`TeachFile`]: the lesson and quiz menus, `#lessons` and
//! `#quizzes` from lessons/index.json and quizzes/index.json, a lesson, a quiz, fetched and
//! parsed) and a guided lesson (`#lesson=<id>`): "Step N of M", Back and Next, each step's text and what to watch for, the optional
//! predict-then-reveal question, and the playground at the end. The lab panels below show the
//! lesson's scenario replayed up to the step (`Lesson::session_at`), loaded through the root's
//! import callback.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::{net, Route};
use crate::teach::file::IndexEntry;
use crate::teach::lesson::{self, Lesson};
use crate::teach::quiz::Bank;
use crate::teach::session::{LoadError, Session};
use crate::web::hooks::Import;

/// A teaching file, parsed: a menu's index, a lesson or a quiz bank.
pub enum File {
    Index(Vec<IndexEntry>),
    Lesson(Rc<Lesson>),
    /// A quiz bank and its version (`grade::bank_version` of its text, for result codes).
    Bank(Rc<Bank>, Rc<str>),
}

/// A file being fetched and parsed.
pub enum Load {
    Loading,
    Failed(String),
    Ready(File),
}

/// Reads a fetched file's text.
type Parser = fn(&str) -> Result<File, String>;

/// Fetches `url` and parses it with `parse` once (per component).
#[hook]
fn use_file(url: String, parse: Parser) -> UseStateHandle<Load> {
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
                    Ok(v) => Load::Ready(v),
                    Err(e) => Load::Failed(e),
                });
            });
        });
    }
    state
}

#[derive(Properties, PartialEq)]
pub struct TeachFileProps {
    /// What to show: [`Route::Lessons`], [`Route::Quizzes`], [`Route::Lesson`] or
    /// [`Route::Quiz`]. One component for the four (size of the wasm): give each its own `key`
    /// so that switching remounts it.
    pub route: Route,
    /// Loads a lab state into the lab panels.
    pub on_import: Callback<Import>,
    pub on_close: Callback<MouseEvent>,
}

/// The lesson menu (lessons/index.json), the quiz menu (quizzes/index.json), a lesson
/// (lessons/<id>.json) or a quiz (quizzes/<id>.json): fetched, then shown.
#[component]
pub fn TeachFile(props: &TeachFileProps) -> Html {
    // The file, its parser; the heading's id and text while loading, the close button's label.
    let (url, parse, id, title, close): (String, Parser, _, _, _) = match &props.route {
        Route::Quizzes => (
            "quizzes/index.json".into(),
            |t| crate::teach::quiz::parse_index(t).map(File::Index).map_err(|e| e.to_string()),
            "quizzes-heading",
            "Quizzes",
            "Close",
        ),
        Route::Lesson { name, .. } => (
            format!("lessons/{name}.json"),
            |t| lesson::parse(t).map(|l| File::Lesson(Rc::new(l))).map_err(|e| e.to_string()),
            "lesson-heading",
            "Lesson",
            "Close lesson",
        ),
        Route::Quiz { name, .. } => (
            format!("quizzes/{name}.json"),
            |t| {
                crate::teach::quiz::parse(t)
                    .map(|b| File::Bank(Rc::new(b), crate::teach::grade::bank_version(t).into()))
                    .map_err(|e| e.to_string())
            },
            "quiz-heading",
            "Quiz",
            "Close quiz",
        ),
        _ => (
            "lessons/index.json".into(),
            |t| lesson::parse_index(t).map(File::Index).map_err(|e| e.to_string()),
            "lessons-heading",
            "Lessons",
            "Close",
        ),
    };
    let file = use_file(url, parse);
    let loaded = match &*file {
        Load::Ready(File::Lesson(l)) => Some(l.clone()),
        _ => None,
    };
    let lesson = use_steps(loaded, &props.route, props.on_import.clone());
    let menu = match props.route {
        Route::Quizzes => Some(("quiz", "quizzes", "Practice shows the answer after each question; Exam shows your results at the end.")),
        Route::Lessons => Some(("lesson", "lessons", "Each lesson runs a scenario in the lab step by step. Opening one puts its scenario in the lab; your own lab is kept, and Files › Back to my lab brings it back.")),
        _ => None,
    };
    let (what, list) =
        if matches!(props.route, Route::Quiz { .. }) { ("quiz", "quizzes") } else { ("lesson", "lessons") };
    let title = match &*file {
        Load::Ready(File::Lesson(l)) => l.title.clone(),
        Load::Ready(File::Bank(b, _)) => b.title.clone(),
        _ => title.to_string(),
    };
    let body = match (&*file, menu) {
        (Load::Loading, Some((_, key, _))) => html! { <p class="hint">{ format!("Loading the {key}…") }</p> },
        (Load::Loading, None) => html! { <p class="hint">{ format!("Loading the {what}…") }</p> },
        (Load::Failed(e), Some((what, _, _))) => {
            html! { <p class="teach-error" role="alert">{ format!("The {what} list could not be loaded: {e}.") }</p> }
        }
        (Load::Failed(e), None) => html! {
            <div class="teach-error" role="alert">
                <p>{ format!("The {what} could not be opened: {e}.") }</p>
                <p><a href={format!("#{list}")}>{ format!("See the list of {list}") }</a></p>
            </div>
        },
        (Load::Ready(File::Index(entries)), Some((what, _, _))) => menu_list(entries, what),
        (Load::Ready(File::Lesson(l)), _) => steps(l, &lesson),
        (Load::Ready(File::Bank(b, version)), _) => {
            let (seed, minutes) =
                if let Route::Quiz { seed, minutes, .. } = props.route { (seed, minutes) } else { (None, None) };
            html! { <super::quiz_view::QuizRun bank={b.clone()} version={version.clone()} link_seed={seed} {minutes} on_import={props.on_import.clone()} /> }
        }
        _ => html! {},
    };
    html! {
        <section class="teach panel" aria-labelledby={id}>
            <div class="teach-head">
                <h2 {id}>{ title }</h2>
                <button type="button" onclick={props.on_close.clone()}>{ close }</button>
            </div>
            if let Some((_, _, hint)) = menu { <p class="hint">{ hint }</p> }
            { body }
        </section>
    }
}

/// A list of links `#<key>=<id>` (ids were checked by the index parser: `[a-z0-9-]`), each with
/// its level and duration, and for a lesson whether this learner finished it.
pub fn menu_list(list: &[IndexEntry], key: &str) -> Html {
    let done = if key == "lesson" { net::lessons_done() } else { Vec::new() };
    html! {
        <ul class="teach-menu">
            { for list.iter().map(|e| {
                let meta = index_meta(e);
                let finished = done.contains(&e.id);
                html! {
                    <li>
                        <a href={format!("#{key}={}", e.id)}>{ e.title.clone() }</a>
                        if !meta.is_empty() { <span class="menu-meta">{ format!(" · {meta}") }</span> }
                        if finished { <span class="menu-done">{ " · ✓ completed" }</span> }
                    </li>
                }
            }) }
        </ul>
    }
}

/// "basics, 6 min" (what the index says of a file).
fn index_meta(e: &IndexEntry) -> String {
    let mut parts: Vec<String> = e.level.iter().cloned().collect();
    parts.extend(e.duration.map(|d| format!("{d} min")));
    parts.join(", ")
}

/// "Start here" for a first-time visitor: the first lesson of the index, on the first screen,
/// until it is dismissed or a lesson is finished.
#[component]
pub fn StartHere() -> Html {
    let hidden = use_state(net::start_here_dismissed);
    let file =
        use_file("lessons/index.json".into(), |t| lesson::parse_index(t).map(File::Index).map_err(|e| e.to_string()));
    let first = match &*file {
        Load::Ready(File::Index(entries)) if !*hidden => entries.first().map(|e| (e.clone(), entries.len())),
        _ => None,
    };
    let Some((e, n)) = first else { return html! {} };
    let dismiss = Callback::from(move |_: MouseEvent| {
        net::dismiss_start_here();
        hidden.set(true);
    });
    let meta = index_meta(&e);
    html! {
        <div class="wrap">
            <div class="teach-note start-here" role="note">
                <p><strong>{ "New here? " }</strong>
                    <a href={format!("#lesson={}", e.id)}>{ format!("Start here: {}", e.title) }</a>
                    { format!(" ({}the first of {n} lessons), or change the table below and watch.", if meta.is_empty() { String::new() } else { format!("{meta}; ") }) }
                </p>
                <button type="button" onclick={dismiss}>{ "Dismiss" }</button>
            </div>
        </div>
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

/// What a lesson being followed keeps between renders: hooks of [`TeachFile`] (a lesson is
/// not a component of its own: size of the wasm).
pub struct StepsState {
    /// 0..n: a step; n: the playground.
    pos: UseStateHandle<usize>,
    choice: UseStateHandle<Option<usize>>,
    revealed: UseStateHandle<bool>,
    load_error: UseStateHandle<Option<String>>,
    title_ref: NodeRef,
    moved: Rc<RefCell<bool>>,
    /// The step asks its question (the lab shows the state before the step).
    asking: bool,
}

/// The hooks of a lesson, `lesson` once it is loaded: each step's lab state goes into the lab
/// panels, and after Back or Next the step's title takes the focus.
#[hook]
fn use_steps(lesson: Option<Rc<Lesson>>, route: &Route, on_import: Callback<Import>) -> StepsState {
    // The step the link names (from 1), as a position (from 0); checked against the lesson's
    // length once it is loaded.
    let (name, linked) = match route {
        Route::Lesson { name, step } => (name.clone(), step.map_or(0, |s| s as usize - 1)),
        _ => (String::new(), 0),
    };
    let pos = use_state(|| crate::web::scorm::lesson_resume(&name).unwrap_or(linked));
    let choice = use_state(|| None::<usize>);
    let revealed = use_state(|| false);
    let load_error = use_state(|| None::<String>);
    let title_ref = use_node_ref();
    let moved = use_mut_ref(|| false);
    let asking =
        lesson.as_ref().is_some_and(|l| *pos < l.steps.len() && l.steps[*pos].question.is_some()) && !*revealed;

    // Load the step's lab state into the lab panels, and write the step in the address bar (so
    // that a reload, or the link, opens the lesson at it).
    {
        let (load_error, pos_handle) = (load_error.clone(), pos.clone());
        use_effect_with((lesson.is_some(), *pos, asking), move |&(_, pos, asking)| {
            let Some(lesson) = lesson else { return };
            let n = lesson.steps.len();
            if pos > n {
                pos_handle.set(n);
                return;
            }
            if pos == n {
                net::mark_lesson_done(&name);
            }
            crate::web::scorm::lesson_at(&name, pos, n);
            let embed = super::current_hash().split('&').any(|p| p == "embed=1");
            if let Some(fragment) = crate::teach::share::lesson_step_fragment(&name, pos as u32 + 1, embed) {
                super::set_hash(&fragment, true);
            }
            let (session, source): (Result<Session, LoadError>, String) = if pos >= n {
                (lesson.playground_session(), format!("lesson \"{}\", playground", lesson.title))
            } else if asking {
                (lesson.session_before(pos), format!("lesson \"{}\", before step {} of {n}", lesson.title, pos + 1))
            } else {
                (lesson.session_at(pos), format!("lesson \"{}\", step {} of {n}", lesson.title, pos + 1))
            };
            match session {
                Ok(s) => {
                    load_error.set(None);
                    on_import.emit(Import { text: s.to_scenario_json().to_string(), source });
                }
                Err(e) => load_error.set(Some(e.to_string())),
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
    StepsState { pos, choice, revealed, load_error, title_ref, moved, asking }
}

/// A lesson: "Step N of M", the step (or the playground), Back and Next.
fn steps(lesson: &Rc<Lesson>, st: &StepsState) -> Html {
    let StepsState { pos, choice, revealed, load_error, title_ref, moved, asking } = st;
    let (pos, choice, revealed, load_error, moved, asking) =
        (pos.clone(), choice.clone(), revealed.clone(), load_error.clone(), moved.clone(), *asking);
    let n = lesson.steps.len();
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
    let progress =
        if *pos < n { format!("Step {} of {n}", *pos + 1) } else { format!("Playground (after step {n} of {n})") };

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
                    <div ~className={if right { "verdict is-right" } else { "verdict is-wrong" }}>
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
            <p class="hint print-offer">
                <button type="button" class="link-button" onclick={Callback::from(|_: MouseEvent| super::print::print_page())}>{ "Print handout" }</button>
                { ": every step of the lesson, the answers on a last page." }</p>
            // Every step, for print only (www/print.css): the browser's Print prints the handout.
            { super::print::handout_view(&crate::teach::paper::handout(lesson)) }
        </div>
    }
}
