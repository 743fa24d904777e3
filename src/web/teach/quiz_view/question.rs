//! One question of a quiz: the prompt, the filter and scenario it quotes, the options, and the
//! answer's feedback ([`QuizQuestion`]; [`question_view`] is shared with the results).

use yew::prelude::*;

use super::SharedQuiz;
use crate::teach::quiz::{Feedback, Instance, Mode, QuestionKind};
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
    let start = q.and_then(|q| q.questions().get(i)).map(first_choice).unwrap_or_default();
    let selected = use_state(|| saved.clone().unwrap_or(start));
    // The learner changed the choice since it was last saved (an exam keeps it when they move on).
    let touched = use_state(|| false);
    let feedback = use_state(|| None::<Feedback>);
    let message = use_state(|| None::<String>);
    let Some((q, inst)) = q.and_then(|q| Some((q, q.questions().get(i)?))) else { return html! {} };
    let (total, mode, answered) = (q.questions().len(), q.mode, props.answered);

    let on_pick = {
        let (selected, touched) = (selected.clone(), touched.clone());
        Callback::from(move |next: Vec<usize>| {
            selected.set(next);
            touched.set(true);
        })
    };
    // In an exam, moving on (Previous, Next question, Finish) saves a choice the learner made
    // without pressing Save answer: nothing chosen is lost.
    let keep_choice = {
        let (quiz, selected, touched) = (props.quiz.clone(), selected.clone(), touched.clone());
        move || {
            if mode == Mode::Exam && *touched {
                if let Some(q) = quiz.0.borrow_mut().as_mut() {
                    let _ = q.answer(i, &selected);
                }
            }
        }
    };
    let goto = |to: usize| {
        let (keep, on_goto) = (keep_choice.clone(), props.on_goto.clone());
        Callback::from(move |_: MouseEvent| {
            keep();
            on_goto.emit(to);
        })
    };
    let on_answer = {
        let (quiz, selected, feedback, message, on_answered, touched) = (
            props.quiz.clone(),
            selected.clone(),
            feedback.clone(),
            message.clone(),
            props.on_answered.clone(),
            touched.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let r = quiz.0.borrow_mut().as_mut().map(|q| q.answer(i, &selected));
            match r {
                Some(Ok(fb)) => {
                    touched.set(false);
                    feedback.set(fb);
                    message.set((mode == Mode::Exam).then(|| view::ANSWER_SAVED.to_string()));
                }
                Some(Err(e)) => message.set(Some(view::capitalised(e.to_string()))),
                None => {}
            }
            on_answered.emit(());
        })
    };
    let on_finish = {
        let (keep, on_finish) = (keep_choice.clone(), props.on_finish.clone());
        Callback::from(move |_: MouseEvent| {
            keep();
            on_finish.emit(());
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
    let can_answer = !locked && complete(inst, &chosen);
    let open_in_lab = inst.scenario.as_ref().map(|sc| {
        let (text, source) = (sc.to_string(), format!("quiz question {}", i + 1));
        props.on_import.reform(move |_: MouseEvent| Import { text: text.clone(), source: source.clone() })
    });
    let body =
        question_view(inst, i, &chosen, shown_feedback.as_ref().map(|f| (f, false)), on_pick, locked, open_in_lab);
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

/// What a question shows before the learner touches it: nothing chosen; an ordering question's
/// items in the order shown; a matching question's items unmatched.
fn first_choice(inst: &Instance) -> Vec<usize> {
    match inst.kind {
        QuestionKind::Ordering => (0..inst.options.len()).collect(),
        QuestionKind::Matching => vec![usize::MAX; inst.items.len()],
        _ => Vec::new(),
    }
}

/// Whether `chosen` is an answer the quiz takes.
fn complete(inst: &Instance, chosen: &[usize]) -> bool {
    match inst.kind {
        QuestionKind::Ordering => chosen.len() == inst.options.len(),
        QuestionKind::Matching => chosen.len() == inst.items.len() && chosen.iter().all(|&k| k < inst.options.len()),
        _ if inst.choose.is_some() => inst.choose == Some(chosen.len()),
        _ => inst.multi || !chosen.is_empty(),
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
    // The learner's new choice (the whole of it).
    on_pick: Callback<Vec<usize>>,
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
    let body = match inst.kind {
        QuestionKind::Ordering => ordering_view(inst, chosen, feedback, &on_pick, locked),
        QuestionKind::Matching => matching_view(inst, i, chosen, feedback, &on_pick, locked),
        _ => html! {},
    };
    let options = inst.options.iter().enumerate().filter(|_| !inst.kind.positional()).map(|(k, o)| {
        let picked = chosen.contains(&k);
        let (multi, now) = (inst.multi, chosen.to_vec());
        let onchange = on_pick.reform(move |_: Event| view::toggle(&now, k, multi));
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
                    // Indented, one member a line: a record on one wrapped line cannot be read.
                    <pre class="json" tabindex="0" aria-label={format!("Option {}: {}", k + 1, o.text)}>{ crate::teach::quiz::readable_json(d, 40) }</pre>
                }
                if let Some(note) = note { <p class="note">{ note }</p> }
            </li>
        }
    });
    // After the verdict, the lesson step whose lab shows the answer (the quiz resumes on return).
    let show_me = inst.show.as_ref().and_then(|s| Some((s.fragment()?, s.why.clone())));
    let verdict = feedback.map(|fb| {
        let (class, word) = view::verdict(fb.correct, unanswered);
        html! {
            <div ~className={class}>
                <p><strong>{ word }</strong>{ " " }{ fb.explanation.clone() }</p>
                if let Some((fragment, why)) = show_me.clone() {
                    <p class="show-me"><a href={format!("#{fragment}")}>{ format!("Show me in the lab: {why}") }</a></p>
                }
            </div>
        }
    });
    html! {
        <fieldset class="question">
            <legend class="prompt">{ inst.prompt.clone() }</legend>
            <div aria-live="polite">{ for verdict }</div>
            { for filter }
            { for scenario }
            if let Some(n) = inst.choose {
                <p class="hint">{ format!("Choose {}.", view_number(n)) }</p>
            } else if inst.multi {
                <p class="hint">{ "Choose every one that applies (none is a valid answer)." }</p>
            }
            if inst.kind.positional() { { body } } else { <ul class="options">{ for options }</ul> }
        </fieldset>
    }
}

/// "two", "three", ... as exam questions say it.
fn view_number(n: usize) -> String {
    match n {
        2 => "two".into(),
        3 => "three".into(),
        4 => "four".into(),
        n => n.to_string(),
    }
}

/// An ordering question: the items in the learner's order, each with Move up and Move down;
/// with feedback, whether each is in its place and the right order.
fn ordering_view(
    inst: &Instance,
    chosen: &[usize],
    feedback: Option<&Feedback>,
    on_pick: &Callback<Vec<usize>>,
    locked: bool,
) -> Html {
    let n = chosen.len();
    let rows = chosen.iter().enumerate().map(|(pos, &k)| {
        let text = inst.options.get(k).map(|o| o.text.clone()).unwrap_or_default();
        let moved = |to: usize| {
            let mut next = chosen.to_vec();
            next.swap(pos, to);
            on_pick.reform(move |_: MouseEvent| next.clone())
        };
        let place = feedback.and_then(|fb| fb.correct_options.iter().position(|&c| c == k));
        let (mark, class) = match place {
            Some(p) if p == pos => (" ✓ in its place".to_string(), "q-option is-right"),
            Some(p) => (format!(" ✗ belongs at {}", p + 1), "q-option is-wrong"),
            None => (String::new(), "q-option"),
        };
        let note = feedback.and_then(|fb| fb.option_notes.get(k).cloned().flatten());
        html! {
            <li ~className={class}>
                <div class="order-row">
                    <span class="order-pos" aria-hidden="true">{ format!("{}.", pos + 1) }</span>
                    <span class="order-text">{ text.clone() }<span class="mark">{ mark }</span></span>
                    if !locked {
                        <span class="order-moves">
                            <button type="button" aria-label={format!("Move up: {text}")} disabled={pos == 0} onclick={moved(pos.saturating_sub(1))}>{ "↑" }</button>
                            <button type="button" aria-label={format!("Move down: {text}")} disabled={pos + 1 >= n} onclick={moved((pos + 1).min(n.saturating_sub(1)))}>{ "↓" }</button>
                        </span>
                    }
                </div>
                if let Some(note) = note { <p class="note">{ note }</p> }
            </li>
        }
    });
    html! {
        <>
            if !locked { <p class="hint">{ "Put the items in order, first at the top: move each with its ↑ and ↓ buttons." }</p> }
            <ol class="options order" aria-label="Your order">{ for rows }</ol>
        </>
    }
}

/// A matching question: each item with a list of the matches to choose from; with feedback,
/// whether each match is right and the right one.
fn matching_view(
    inst: &Instance,
    i: usize,
    chosen: &[usize],
    feedback: Option<&Feedback>,
    on_pick: &Callback<Vec<usize>>,
    locked: bool,
) -> Html {
    let rows = inst.items.iter().enumerate().map(|(row, item)| {
        let now = chosen.get(row).copied().unwrap_or(usize::MAX);
        let onchange = {
            let (chosen, on_pick) = (chosen.to_vec(), on_pick.clone());
            Callback::from(move |e: Event| {
                let v = e.target_dyn_into::<web_sys::HtmlSelectElement>().map(|s| s.value()).unwrap_or_default();
                let mut next = chosen.clone();
                if let Some(slot) = next.get_mut(row) {
                    *slot = v.parse().unwrap_or(usize::MAX);
                }
                on_pick.emit(next);
            })
        };
        let right = feedback.and_then(|fb| fb.correct_options.get(row).copied());
        let (mark, class) = match right {
            Some(r) if r == now => (" ✓ right".to_string(), "q-option is-right"),
            Some(r) => (
                format!(" ✗ the match is: {}", inst.options.get(r).map(|o| o.text.as_str()).unwrap_or("")),
                "q-option is-wrong",
            ),
            None => (String::new(), "q-option"),
        };
        let notes: Vec<String> = feedback
            .map(|fb| {
                let mut v: Vec<String> =
                    right.and_then(|r| fb.option_notes.get(r).cloned().flatten()).into_iter().collect();
                if right != Some(now) {
                    v.extend(fb.option_notes.get(now).cloned().flatten());
                }
                v
            })
            .unwrap_or_default();
        let id = format!("q-{i}-m-{row}");
        let choices = inst.options.iter().enumerate().map(|(k, o)| {
            html! { <option value={k.to_string()} selected={k == now}>{ o.text.clone() }</option> }
        });
        html! {
            <li ~className={class}>
                <label class="match-item" for={id.clone()}>{ item.clone() }<span class="mark">{ mark }</span></label>
                <select {id} disabled={locked} {onchange}>
                    <option value="" selected={now >= inst.options.len()}>{ "Choose…" }</option>
                    { for choices }
                </select>
                { for notes.into_iter().map(|n| html! { <p class="note">{ n }</p> }) }
            </li>
        }
    });
    html! { <ul class="options match">{ for rows }</ul> }
}
