//! A quiz (`#quiz=<id>[&seed=N]`, fetched by `lesson_view::TeachFile`, like the quiz menu):
//! Practice (feedback after each answer) or Exam (results at the end), one question at a time,
//! the learner's seed shown (kept in localStorage, or taken from the link), a score summary
//! with `Quiz::summary_text` and a Copy summary button. Grading is `crate::teach::quiz::Quiz`'s.

use std::rc::Rc;

use yew::prelude::*;

use super::net;
use crate::teach::quiz::{Bank, Feedback, Instance, Mode, Quiz};
use crate::web::hooks::Import;

/// The quiz being taken, shared by the callbacks.
type QuizCell = Rc<std::cell::RefCell<Option<Quiz>>>;

/// What a quiz keeps between renders: hooks of `lesson_view::TeachFile` (a quiz is not a
/// component of its own: size of the wasm).
pub struct RunState {
    /// A new seed the learner drew ("New seed"); until then the link's or the learner's own.
    seed: UseStateHandle<Option<u64>>,
    quiz: QuizCell,
    cur: UseStateHandle<usize>,
    selected: UseStateHandle<Vec<usize>>,
    feedback: UseStateHandle<Option<Feedback>>,
    message: UseStateHandle<Option<String>>,
    refresh: UseForceUpdateHandle,
    heading: NodeRef,
    moved: Rc<std::cell::RefCell<bool>>,
    /// The results' summary text and the note of its Copy button.
    summary_ref: NodeRef,
    copy_note: UseStateHandle<String>,
}

/// The hooks of a quiz: after a move to another question or to the results, the heading
/// takes the focus.
#[hook]
pub fn use_run() -> RunState {
    let seed = use_state(|| None::<u64>);
    let quiz: QuizCell = use_mut_ref(|| None);
    let cur = use_state(|| 0usize);
    let selected = use_state(Vec::<usize>::new);
    let feedback = use_state(|| None::<Feedback>);
    let message = use_state(|| None::<String>);
    let refresh = use_force_update();
    let heading = use_node_ref();
    let moved = use_mut_ref(|| false);
    let summary_ref = use_node_ref();
    let copy_note = use_state(String::new);
    {
        let heading = heading.clone();
        let moved = moved.clone();
        let finished = quiz.borrow().as_ref().map(|q| q.is_finished());
        use_effect_with((*cur, finished), move |_| {
            if *moved.borrow() {
                net::focus(&heading);
            }
        });
    }
    RunState { seed, quiz, cur, selected, feedback, message, refresh, heading, moved, summary_ref, copy_note }
}

/// A quiz from its bank, once loaded: the start page, a question, or the results. `link_seed`:
/// a seed from the link (`&seed=N`); otherwise this learner's own.
pub fn run(bank: &Rc<Bank>, link_seed: Option<u64>, st: &RunState, on_import: &Callback<Import>) -> Html {
    let RunState { seed, quiz, cur, selected, feedback, message, refresh, heading, moved, summary_ref, copy_note } = st;
    let (quiz, cur, selected, feedback, message, refresh, moved) = (
        quiz.clone(),
        cur.clone(),
        selected.clone(),
        feedback.clone(),
        message.clone(),
        refresh.clone(),
        moved.clone(),
    );
    let seed_state = seed.clone();
    let seed = seed.unwrap_or_else(|| link_seed.unwrap_or_else(net::learner_seed));
    let started = quiz.borrow().is_some();
    if !started {
        let start = |mode: Mode| {
            let quiz = quiz.clone();
            let bank = bank.clone();
            let (cur, selected, feedback, refresh, moved) =
                (cur.clone(), selected.clone(), feedback.clone(), refresh.clone(), moved.clone());
            Callback::from(move |_: MouseEvent| {
                *quiz.borrow_mut() = Some(Quiz::start(&bank, mode, seed));
                *moved.borrow_mut() = true;
                cur.set(0);
                selected.set(Vec::new());
                feedback.set(None);
                refresh.force_update();
            })
        };
        let renew = Callback::from(move |_: MouseEvent| seed_state.set(Some(net::renew_seed())));
        let link = crate::teach::share::quiz_fragment_with_seed(&bank.id, seed).unwrap_or_default();
        let n = bank.questions.len();
        return html! {
            <div class="quiz-start">
                <p>{ bank.description.clone() }</p>
                <p>{ format!("{n} question{}.", if n == 1 { "" } else { "s" }) }</p>
                <p class="seed">
                    { "Seed: " }<strong class="seed-value">{ seed.to_string() }</strong>
                    { if link_seed.is_some() { " (from the link: everyone opening it gets the same questions)" } else { " (yours: a reload keeps the same questions)" } }
                </p>
                <p class="hint">{ "Your instructor can rebuild your questions from the bank and the seed. Link with this seed: " }
                    <a href={format!("#{link}")}>{ format!("#{link}") }</a></p>
                <div class="actions">
                    <button type="button" class="primary" onclick={start(Mode::Practice)}>{ "Start practice" }</button>
                    <button type="button" class="primary" onclick={start(Mode::Exam)}>{ "Start exam" }</button>
                    <button type="button" onclick={renew}>{ "New seed" }</button>
                </div>
                <p class="hint">{ "Practice: the answer and its explanation after each question. Exam: change your answers freely, see the results at the end." }</p>
            </div>
        };
    }

    let guard = quiz.borrow();
    let Some(q) = guard.as_ref() else { return html! {} };
    let total = q.questions().len();
    let mode = q.mode;

    if q.is_finished() || total == 0 {
        let on_again = {
            let (quiz, refresh, copy_note) = (quiz.clone(), refresh.clone(), copy_note.clone());
            Callback::from(move |_: MouseEvent| {
                *quiz.borrow_mut() = None;
                copy_note.set(String::new());
                refresh.force_update();
            })
        };
        return results(q, heading, summary_ref, copy_note, on_again);
    }

    let i = (*cur).min(total - 1);
    let inst = &q.questions()[i];
    let saved = q.answer_of(i).map(|a| a.to_vec());

    let on_toggle = {
        let selected = selected.clone();
        let multi = inst.multi;
        Callback::from(move |k: usize| {
            let mut s = (*selected).clone();
            if multi {
                if let Some(p) = s.iter().position(|&x| x == k) {
                    s.remove(p);
                } else {
                    s.push(k);
                    crate::teach::quiz::sort_indexes(&mut s);
                }
            } else {
                s = vec![k];
            }
            selected.set(s);
        })
    };
    let goto = |to: usize| {
        let (cur, selected, feedback, moved, quiz, message) =
            (cur.clone(), selected.clone(), feedback.clone(), moved.clone(), quiz.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            *moved.borrow_mut() = true;
            let prior = quiz.borrow().as_ref().and_then(|q| q.answer_of(to).map(|a| a.to_vec()));
            selected.set(prior.unwrap_or_default());
            feedback.set(None);
            message.set(None);
            cur.set(to);
        })
    };
    let on_answer = {
        let (quiz, selected, feedback, message, refresh) =
            (quiz.clone(), selected.clone(), feedback.clone(), message.clone(), refresh.clone());
        Callback::from(move |_: MouseEvent| {
            let r = quiz.borrow_mut().as_mut().map(|q| q.answer(i, &selected));
            match r {
                Some(Ok(fb)) => {
                    feedback.set(fb);
                    message.set(if mode == Mode::Exam {
                        Some("Answer saved. You can change it until you finish.".into())
                    } else {
                        None
                    });
                }
                Some(Err(e)) => message.set(Some(capitalised(e))),
                None => {}
            }
            refresh.force_update();
        })
    };
    let on_finish = {
        let (quiz, refresh, moved) = (quiz.clone(), refresh.clone(), moved.clone());
        Callback::from(move |_: MouseEvent| {
            *moved.borrow_mut() = true;
            if let Some(q) = quiz.borrow_mut().as_mut() {
                q.finish();
            }
            refresh.force_update();
        })
    };

    // Practice: once answered, the feedback (kept in the quiz, so Back shows it again).
    let shown_feedback: Option<Feedback> = match mode {
        Mode::Practice => {
            (*feedback).clone().or_else(|| saved.as_ref().map(|_| q.summary().results[i].feedback.clone()))
        }
        Mode::Exam => None,
    };
    let locked = shown_feedback.is_some();
    let chosen: Vec<usize> = if locked { saved.clone().unwrap_or_default() } else { (*selected).clone() };
    let can_answer = !locked && (inst.multi || !chosen.is_empty());
    let answered = q.summary().answered;

    let open_in_lab = inst.scenario.as_ref().map(|sc| {
        let on_import = on_import.clone();
        let text = sc.to_string();
        let source = format!("quiz question {}", i + 1);
        Callback::from(move |_: MouseEvent| on_import.emit(Import { text: text.clone(), source: source.clone() }))
    });

    let body =
        question_view(inst, i, &chosen, shown_feedback.as_ref().map(|f| (f, false)), on_toggle, locked, open_in_lab);
    let answer_label = match mode {
        Mode::Practice => "Check answer",
        Mode::Exam if saved.is_some() => "Save new answer",
        Mode::Exam => "Save answer",
    };
    let last = i + 1 == total;
    html! {
        <div class="quiz">
            <div class="quiz-bar">
                <p class="progress">{ format!("{} mode · question {} of {total} · {answered} answered · seed {}", if mode == Mode::Practice { "Practice" } else { "Exam" }, i + 1, q.seed) }</p>
            </div>
            <h3 class="step-title" tabindex="-1" ref={heading.clone()}>{ format!("Question {} of {total}", i + 1) }</h3>
            { body }
            <p class="status quiz-message" role="status">{ (*message).clone().unwrap_or_default() }</p>
            <div class="actions">
                if i > 0 { <button type="button" onclick={goto(i - 1)}>{ "Previous" }</button> }
                if !locked { <button type="button" class="primary" onclick={on_answer} disabled={!can_answer}>{ answer_label }</button> }
                if !last { { button(locked, "Next question".to_string(), goto(i + 1)) } }
                if mode == Mode::Exam || last {
                    { button(
                        last && (locked || mode == Mode::Exam),
                        if mode == Mode::Exam { format!("Finish exam ({answered} of {total} answered)") } else { "See my score".to_string() },
                        on_finish,
                    ) }
                }
            </div>
        </div>
    }
}

/// A button, the page's main one (class "primary") or not. Two elements, so that the class
/// attribute is there or not (a `~className` property cannot be taken away).
fn button(primary: bool, label: String, onclick: Callback<MouseEvent>) -> Html {
    if primary {
        html! { <button type="button" class="primary" {onclick}>{ label }</button> }
    } else {
        html! { <button type="button" {onclick}>{ label }</button> }
    }
}

fn pretty(v: &serde_json::Value) -> String {
    format!("{v:#}")
}

/// One-line JSON (records and values next to an option: short enough to read at a glance).
fn compact(v: &serde_json::Value) -> String {
    v.to_string()
}

/// One question: prompt, filter and scenario when it has them, options (radio buttons or
/// checkboxes), and with `shown` feedback the marks, notes and explanation.
fn question_view(
    inst: &Instance,
    i: usize,
    chosen: &[usize],
    // The feedback to show, and whether the question went unanswered.
    shown: Option<(&Feedback, bool)>,
    on_toggle: Callback<usize>,
    locked: bool,
    open_in_lab: Option<Callback<MouseEvent>>,
) -> Html {
    let feedback = shown.map(|(fb, _)| fb);
    let unanswered = shown.is_some_and(|(_, u)| u);
    let filter = inst.filter.as_ref().map(|f| {
        html! {
            <div class="q-data">
                <p class="label">{ "The filter" }</p>
                <pre class="json" tabindex="0" aria-label="The filter">{ compact(f) }</pre>
            </div>
        }
    });
    let scenario = inst.scenario.as_ref().map(|s| {
        let steps = s.get("steps").and_then(|v| v.as_array()).map_or(0, |a| a.len());
        html! {
            <details class="q-scenario">
                <summary>{ format!("The scenario ({steps} steps)") }</summary>
                <pre class="json" tabindex="0" aria-label="The scenario">{ pretty(s) }</pre>
                if let Some(open) = open_in_lab.clone() {
                    <button type="button" onclick={open}>{ "Open this scenario in the lab" }</button>
                }
            </details>
        }
    });
    let kind = if inst.multi { "checkbox" } else { "radio" };
    let options = inst.options.iter().enumerate().map(|(k, o)| {
        let picked = chosen.contains(&k);
        let onchange = {
            let on_toggle = on_toggle.clone();
            Callback::from(move |_: Event| on_toggle.emit(k))
        };
        let (mark, class) = match feedback {
            Some(fb) => {
                let right = fb.correct_options.contains(&k);
                let mark = match (right, picked) {
                    (true, true) => " ✓ right, your choice",
                    (true, false) => if inst.multi { " ✓ should be chosen" } else { " ✓ the answer" },
                    (false, true) => " ✗ your choice",
                    (false, false) => "",
                };
                (mark, if right { "q-option is-right" } else if picked { "q-option is-wrong" } else { "q-option" })
            }
            None => ("", "q-option"),
        };
        let note = feedback.and_then(|fb| fb.option_notes.get(k).cloned().flatten());
        html! {
            <li ~className={class}>
                <label class="option">
                    <input type={kind} name={format!("q-{i}")} checked={picked} disabled={locked} {onchange} />
                    <span>{ o.text.clone() }<span class="mark">{ mark }</span></span>
                </label>
                if let Some(d) = &o.detail {
                    <pre class="json" tabindex="0" aria-label={format!("Option {}: {}", k + 1, o.text)}>{ compact(d) }</pre>
                }
                if let Some(note) = note { <p class="note">{ note }</p> }
            </li>
        }
    });
    let verdict = feedback.map(|fb| html! {
        <div ~className={if fb.correct && !unanswered { "verdict is-right" } else { "verdict is-wrong" }}>
            <p><strong>{ if unanswered { "Not answered." } else if fb.correct { "Right." } else { "Not quite." } }</strong>{ " " }{ fb.explanation.clone() }
                if let Some(s) = &inst.spec { <span class="spec">{ format!(" ({s})") }</span> }</p>
        </div>
    });
    html! {
        <fieldset class="question">
            <legend class="prompt">{ inst.prompt.clone() }</legend>
            <div aria-live="polite">{ for verdict }</div>
            { for filter }
            { for scenario }
            if inst.multi { <p class="hint">{ "Choose every one that applies (none is a valid answer)." }</p> }
            <ul class="options">{ for options }</ul>
        </fieldset>
    }
}

/// The results of a finished quiz: the score, the summary to copy, every question explained.
/// A plain function of [`Run`] (its hooks hold the summary's node and the copy note).
fn results(
    q: &Quiz,
    heading: &NodeRef,
    text_ref: &NodeRef,
    copy_note: &UseStateHandle<String>,
    on_again: Callback<MouseEvent>,
) -> Html {
    let s = q.summary();
    let text = q.summary_text();
    let pct = (s.correct * 100).checked_div(s.total).unwrap_or(0);
    let on_copy = {
        let text = text.clone();
        let text_ref = text_ref.clone();
        let copy_note = copy_note.clone();
        Callback::from(move |_: MouseEvent| {
            let (text, text_ref, copy_note) = (text.clone(), text_ref.clone(), copy_note.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match net::copy_text(&text).await {
                    Ok(()) => copy_note.set("Summary copied to the clipboard.".into()),
                    Err(()) => {
                        net::select_input(&text_ref);
                        copy_note.set(
                            "The browser did not let the page copy: the summary is selected, press Ctrl+C (or ⌘C)."
                                .into(),
                        );
                    }
                }
            });
        })
    };
    let rows = q.questions().iter().zip(&s.results).enumerate().map(|(n, (inst, r))| {
        let chosen = r.chosen.clone().unwrap_or_default();
        let verdict = match &r.chosen {
            None => "not answered",
            Some(_) if r.feedback.correct => "right",
            Some(_) => "wrong",
        };
        html! {
            <li ~className={if r.feedback.correct && r.chosen.is_some() { "result is-right" } else { "result is-wrong" }}>
                <p class="result-head"><strong>{ format!("{}. {}", n + 1, verdict) }</strong></p>
                { question_view(inst, n + 1000, &chosen, Some((&r.feedback, r.chosen.is_none())), Callback::noop(), true, None) }
            </li>
        }
    });
    html! {
        <div class="quiz-results">
            <h3 class="step-title" tabindex="-1" ref={heading.clone()}>{ "Your results" }</h3>
            <p class="score">{ format!("Score: {} of {} ({pct}%), {} answered · {} mode · seed {}", s.correct, s.total, s.answered, q.mode.as_str(), q.seed) }</p>
            <label class="label" for="quiz-summary">{ "Summary for your instructor" }</label>
            <textarea id="quiz-summary" class="summary-text" readonly=true rows="8" ref={text_ref.clone()} value={text} />
            <div class="actions">
                <button type="button" class="primary" onclick={on_copy}>{ "Copy summary" }</button>
                <button type="button" onclick={on_again}>{ "Take it again" }</button>
            </div>
            <p class="status" role="status">{ (**copy_note).clone() }</p>
            <h4>{ "Every question, with the answers explained" }</h4>
            <ol class="results-list">{ for rows }</ol>
        </div>
    }
}

/// The message with its first letter capitalised. `Quiz::answer`'s messages start with an
/// ASCII letter; ASCII-only on purpose: Unicode case mapping would put core's uppercase
/// tables (about 12 KB) into the wasm for this one call.
fn capitalised(mut e: String) -> String {
    if let Some(first) = e.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    e
}
