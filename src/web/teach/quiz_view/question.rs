//! One question of a quiz: the prompt, the filter and scenario it quotes, the options, and the
//! answer's feedback ([`QuizQuestion`]; [`question_view`] is shared with the results).

use yew::prelude::*;

use super::SharedQuiz;
use crate::teach::quiz::{Feedback, Instance, Mode};
use crate::teach::view;
use crate::web::hooks::Import;

#[derive(Properties, PartialEq)]
pub struct QuestionProps {
    pub quiz: SharedQuiz,
    pub index: usize,
    /// How many questions are answered (changes when this one is).
    pub answered: usize,
    /// The question's heading (it takes the focus after the learner moved here).
    pub heading: NodeRef,
    /// An answer was given: the runner shows what changed.
    pub on_answered: Callback<()>,
    pub on_goto: Callback<usize>,
    pub on_finish: Callback<()>,
    pub on_import: Callback<Import>,
}

/// The question being answered: keeps the learner's choice, the feedback and the message under
/// it (a new question is a new component: give each its own `key`).
#[component]
pub fn QuizQuestion(props: &QuestionProps) -> Html {
    let i = props.index;
    let guard = props.quiz.0.borrow();
    let q = guard.as_ref();
    let saved = q.and_then(|q| q.answer_of(i)).map(|a| a.to_vec());
    let selected = use_state(|| saved.clone().unwrap_or_default());
    let feedback = use_state(|| None::<Feedback>);
    let message = use_state(|| None::<String>);
    let Some((q, inst)) = q.and_then(|q| Some((q, q.questions().get(i)?))) else { return html! {} };
    let (total, mode, answered) = (q.questions().len(), q.mode, props.answered);

    let on_toggle = {
        let (selected, multi) = (selected.clone(), inst.multi);
        Callback::from(move |k: usize| selected.set(view::toggle(&selected, k, multi)))
    };
    let goto = |to: usize| props.on_goto.reform(move |_: MouseEvent| to);
    let on_answer = {
        let (quiz, selected, feedback, message, on_answered) =
            (props.quiz.clone(), selected.clone(), feedback.clone(), message.clone(), props.on_answered.clone());
        Callback::from(move |_: MouseEvent| {
            let r = quiz.0.borrow_mut().as_mut().map(|q| q.answer(i, &selected));
            match r {
                Some(Ok(fb)) => {
                    feedback.set(fb);
                    message.set((mode == Mode::Exam).then(|| view::ANSWER_SAVED.to_string()));
                }
                Some(Err(e)) => message.set(Some(view::capitalised(e.to_string()))),
                None => {}
            }
            on_answered.emit(());
        })
    };
    let on_finish = props.on_finish.reform(|_: MouseEvent| ());

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
    let open_in_lab = inst.scenario.as_ref().map(|sc| {
        let (text, source) = (sc.to_string(), format!("quiz question {}", i + 1));
        props.on_import.reform(move |_: MouseEvent| Import { text: text.clone(), source: source.clone() })
    });
    let body =
        question_view(inst, i, &chosen, shown_feedback.as_ref().map(|f| (f, false)), on_toggle, locked, open_in_lab);
    let last = i + 1 == total;
    html! {
        <div class="quiz">
            <div class="quiz-bar">
                <p class="progress">{ view::quiz_progress(mode, i, total, answered, q.seed) }</p>
            </div>
            <h3 class="step-title" tabindex="-1" ref={props.heading.clone()}>{ format!("Question {} of {total}", i + 1) }</h3>
            { body }
            <p class="status quiz-message" role="status">{ (*message).clone().unwrap_or_default() }</p>
            <div class="actions">
                if i > 0 { <button type="button" onclick={goto(i - 1)}>{ "Previous" }</button> }
                if !locked { <button type="button" class="primary" onclick={on_answer} disabled={!can_answer}>{ view::answer_label(mode, saved.is_some()) }</button> }
                if !last { { button(locked, "Next question".to_string(), goto(i + 1)) } }
                if mode == Mode::Exam || last {
                    { button(last && (locked || mode == Mode::Exam), view::finish_label(mode, answered, total), on_finish) }
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

/// One question: prompt, filter and scenario when it has them, options (radio buttons or
/// checkboxes), and with `shown` feedback the marks, notes and explanation.
pub fn question_view(
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
                // One-line JSON (short enough to read at a glance).
                <pre class="json" tabindex="0" aria-label="The filter">{ f.to_string() }</pre>
            </div>
        }
    });
    let scenario = inst.scenario.as_ref().map(|s| {
        let steps = s.get("steps").and_then(|v| v.as_array()).map_or(0, |a| a.len());
        html! {
            <details class="q-scenario">
                <summary>{ format!("The scenario ({steps} steps)") }</summary>
                <pre class="json" tabindex="0" aria-label="The scenario">{ format!("{s:#}") }</pre>
                if let Some(open) = open_in_lab.clone() {
                    <button type="button" onclick={open}>{ "Open this scenario in the lab" }</button>
                }
            </details>
        }
    });
    let kind = if inst.multi { "checkbox" } else { "radio" };
    let options = inst.options.iter().enumerate().map(|(k, o)| {
        let picked = chosen.contains(&k);
        let onchange = on_toggle.reform(move |_: Event| k);
        let (mark, class) = match feedback {
            Some(fb) => view::option_mark(fb.correct_options.contains(&k), picked, inst.multi),
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
                    <pre class="json" tabindex="0" aria-label={format!("Option {}: {}", k + 1, o.text)}>{ d.to_string() }</pre>
                }
                if let Some(note) = note { <p class="note">{ note }</p> }
            </li>
        }
    });
    let verdict = feedback.map(|fb| {
        let (class, word) = view::verdict(fb.correct, unanswered);
        html! {
            <div ~className={class}>
                <p><strong>{ word }</strong>{ " " }{ fb.explanation.clone() }
                    if let Some(s) = &inst.spec { <span class="spec">{ format!(" ({s})") }</span> }</p>
            </div>
        }
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
