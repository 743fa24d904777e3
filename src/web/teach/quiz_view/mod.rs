//! A quiz (`#quiz=<id>[&seed=N]`, fetched by `lesson_view::TeachFile`, like the quiz menu):
//! Practice (feedback after each answer) or Exam (results at the end), one question at a time,
//! the learner's seed shown (kept in localStorage, or taken from the link), a score summary
//! with `Quiz::summary_text` and a Copy summary button. Grading is `crate::teach::quiz::Quiz`'s,
//! the sentences `crate::teach::view`'s.
//!
//! [`QuizRun`] holds the quiz being taken and which question is shown, and shows the start page
//! and the results; a question is [`question::QuizQuestion`], which keeps the learner's choice
//! and the feedback.

mod question;

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::net;
use crate::teach::quiz::{Bank, Mode, Quiz};
use crate::teach::view;
use crate::web::hooks::Import;

/// The quiz being taken, shared by the runner and its question. Props compare it by identity:
/// what a change in it shows comes in the other props.
#[derive(Clone)]
pub struct SharedQuiz(Rc<RefCell<Option<Quiz>>>);

impl PartialEq for SharedQuiz {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties)]
pub struct QuizRunProps {
    pub bank: Rc<Bank>,
    /// The bank's version, written into an exam's result code.
    pub version: Rc<str>,
    /// A seed from the link (`&seed=N`); otherwise this learner's own.
    pub link_seed: Option<u64>,
    /// The exam's time limit from the link (`&minutes=N`): counted from when the exam starts,
    /// then the exam is submitted with the answers given.
    #[prop_or_default]
    pub minutes: Option<u32>,
    /// "Open this scenario in the lab".
    pub on_import: Callback<Import>,
}

/// The bank by identity: a bank is read once, and comparing its questions would only add code.
impl PartialEq for QuizRunProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.bank, &other.bank)
            && self.version == other.version
            && self.link_seed == other.link_seed
            && self.minutes == other.minutes
            && self.on_import == other.on_import
    }
}

/// A quiz from its bank: the start page, a question, or the results (with the note of their
/// Copy summary button).
#[component]
pub fn QuizRun(props: &QuizRunProps) -> Html {
    // A new seed the learner drew ("New seed"); until then the link's or the learner's own.
    let drawn = use_state(|| None::<u64>);
    // A quiz of this bank in progress before a reload (of the link's seed, if it has one) is
    // resumed where it was.
    let (bank, link_seed) = (props.bank.clone(), props.link_seed);
    // In an LMS, only the quiz it kept for this SCO (SCORM suspend data): the browser's saved
    // progress may be another learner's, on a shared classroom machine.
    let resumed = use_mut_ref(move || match crate::web::scorm::reports_quiz(&bank) {
        true => crate::web::scorm::quiz_resume(&bank),
        false => net::quiz_progress(&bank.id).and_then(|t| Quiz::resume(&bank, &t, link_seed)),
    });
    let resumed_at = resumed.borrow().as_ref().map_or(0, |(_, at)| *at);
    let quiz = SharedQuiz(use_mut_ref(|| resumed.borrow_mut().take().map(|(q, _)| q)));
    // Renders again after the quiz changed.
    let refresh = use_force_update();
    let cur = use_state(|| resumed_at);
    // An exam's submit step is shown (after "Finish exam", before the results).
    let reviewing = use_state(|| false);
    // The paper exam of the start page's seed is shown, to print ("Print a paper exam").
    let paper = use_state(|| false);
    // Keeps the quiz in progress in the browser after every change ("Take it again" forgets
    // it; a link with another seed leaves it for when the learner's own quiz is opened again).
    {
        let (quiz, id, at, bank) = (quiz.clone(), props.bank.id.clone(), *cur, props.bank.clone());
        use_effect(move || {
            crate::web::scorm::quiz_changed(&bank, quiz.0.borrow().as_ref(), at);
            if let Some(text) = quiz.0.borrow().as_ref().map(|q| q.progress_text(at)) {
                net::save_quiz_progress(&id, Some(&text));
            }
        });
    }
    // The learner moved (started, went to another question, finished): the heading of what is
    // shown next takes the focus (screen readers read it).
    let moved = use_mut_ref(|| false);
    let (heading, summary_ref, copy_note) = (use_node_ref(), use_node_ref(), use_state(String::new));
    // An exam with a time limit: the clock ticks every second while it runs; when it is up the
    // exam is finished with the answers given.
    let now = use_state(js_sys::Date::now);
    let running_exam = quiz.0.borrow().as_ref().is_some_and(|q| q.mode == Mode::Exam && !q.is_finished());
    let deadline = props
        .minutes
        .filter(|_| running_exam)
        .and_then(|m| net::exam_started(&props.bank.id).map(|t| t + f64::from(m) * 60_000.0));
    let timed_out = use_state(|| false);
    {
        let now = now.clone();
        use_effect_with(deadline.is_some(), move |on| {
            let tick = on.then(|| gloo_timers::callback::Interval::new(1000, move || now.set(js_sys::Date::now())));
            move || drop(tick)
        });
    }
    {
        let expired = deadline.is_some_and(|d| *now >= d);
        let (quiz, refresh, timed_out) = (quiz.clone(), refresh.clone(), timed_out.clone());
        use_effect_with(expired, move |expired| {
            if *expired {
                if let Some(q) = quiz.0.borrow_mut().as_mut().filter(|q| !q.is_finished()) {
                    q.finish();
                    timed_out.set(true);
                }
                refresh.force_update();
            }
        });
    }
    {
        let (heading, moved) = (heading.clone(), moved.clone());
        let finished = quiz.0.borrow().as_ref().map(|q| q.is_finished());
        use_effect_with((*cur, finished, *reviewing, *paper), move |_| {
            if *moved.borrow() {
                net::focus(&heading);
            }
        });
    }

    let guard = quiz.0.borrow();
    let Some(q) = guard.as_ref() else {
        let seed = drawn.unwrap_or_else(|| props.link_seed.unwrap_or_else(net::learner_seed));
        if *paper {
            let back = {
                let (paper, moved) = (paper.clone(), moved.clone());
                Callback::from(move |_: MouseEvent| {
                    *moved.borrow_mut() = true;
                    paper.set(false);
                })
            };
            let exam = crate::teach::paper::paper_exam(&props.bank, &props.version, seed);
            return html! {
                <div class="paper-preview">
                    <div class="paper-bar">
                        <h3 class="step-title" tabindex="-1" ref={heading.clone()}>{ format!("Paper exam, seed {seed}") }</h3>
                        <p class="hint">{ format!("A paper exam drawn from seed {seed} (another order than the online exam of that seed, whose key this would give away), then its answer key on a page of its own. Print it, or save it as PDF from the print dialog.") }</p>
                        <div class="actions">
                            <button type="button" class="primary" onclick={Callback::from(|_: MouseEvent| super::print::print_page())}>{ "Print" }</button>
                            <button type="button" onclick={back}>{ "Back to the quiz" }</button>
                        </div>
                    </div>
                    { super::print::paper_view(&exam) }
                </div>
            };
        }
        let start = |mode: Mode| {
            let (quiz, bank, cur, refresh, moved, minutes, now) = (
                quiz.clone(),
                props.bank.clone(),
                cur.clone(),
                refresh.clone(),
                moved.clone(),
                props.minutes,
                now.clone(),
            );
            Callback::from(move |_: MouseEvent| {
                let started = js_sys::Date::now();
                net::set_exam_started(&bank.id, (mode == Mode::Exam && minutes.is_some()).then_some(started));
                now.set(started);
                *quiz.0.borrow_mut() = Some(Quiz::start(&bank, mode, seed));
                *moved.borrow_mut() = true;
                cur.set(0);
                refresh.force_update();
            })
        };
        let renew = Callback::from(move |_: MouseEvent| drawn.set(Some(net::renew_seed())));
        let on_name = Callback::from(|e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                net::set_learner_name(&i.value());
            }
        });
        let print = {
            let moved = moved.clone();
            Callback::from(move |_: MouseEvent| {
                *moved.borrow_mut() = true;
                paper.set(true);
            })
        };
        let actions = StartActions { practice: start(Mode::Practice), exam: start(Mode::Exam), renew, on_name, print };
        return start_page(&props.bank, seed, props.link_seed.is_some(), props.minutes, actions);
    };
    let total = q.questions().len();

    if q.is_finished() || total == 0 {
        let on_again = {
            let (quiz, refresh, copy_note, id, reviewing) =
                (quiz.clone(), refresh.clone(), copy_note.clone(), props.bank.id.clone(), reviewing.clone());
            Callback::from(move |_: MouseEvent| {
                // An exam submitted by its clock during the submit step left it set.
                reviewing.set(false);
                net::save_quiz_progress(&id, None);
                net::set_exam_started(&id, None);
                *quiz.0.borrow_mut() = None;
                copy_note.set(String::new());
                refresh.force_update();
            })
        };
        let code =
            (q.mode == Mode::Exam).then(|| crate::teach::grade::result_code(q, &props.version, &net::learner_name()));
        let late = timed_out.then(|| {
            html! {
                <p class="teach-note" role="status">{ "Time was up: the exam was submitted with the answers you had given." }</p>
            }
        });
        return html! { <>{ for late }{ results(q, code, &heading, &summary_ref, &copy_note, on_again) }</> };
    }

    let i = (*cur).min(total - 1);
    let on_goto = {
        let (cur, moved) = (cur.clone(), moved.clone());
        Callback::from(move |to: usize| {
            *moved.borrow_mut() = true;
            cur.set(to);
        })
    };
    // Practice: the score at once. Exam: the submit step first, which lists the questions not
    // answered and submits on the learner's word.
    let submit = {
        let (quiz, refresh, moved, reviewing) = (quiz.clone(), refresh.clone(), moved.clone(), reviewing.clone());
        Callback::from(move |()| {
            *moved.borrow_mut() = true;
            if let Some(q) = quiz.0.borrow_mut().as_mut() {
                q.finish();
            }
            reviewing.set(false);
            refresh.force_update();
        })
    };
    let on_finish = if q.mode == Mode::Exam {
        let (reviewing, moved, refresh) = (reviewing.clone(), moved.clone(), refresh.clone());
        Callback::from(move |()| {
            *moved.borrow_mut() = true;
            reviewing.set(true);
            // A choice kept on the way out changed the quiz: the review counts it.
            refresh.force_update();
        })
    } else {
        submit.clone()
    };
    let clock = deadline.map(|d| {
        let left = ((d - *now) / 1000.0).max(0.0) as u64;
        html! { <p class="time-left" role="timer">{ format!("Time left: {}:{:02}", left / 60, left % 60) }</p> }
    });
    if *reviewing {
        let back_to = |to: usize| {
            let (cur, moved, reviewing) = (cur.clone(), moved.clone(), reviewing.clone());
            Callback::from(move |_: MouseEvent| {
                *moved.borrow_mut() = true;
                reviewing.set(false);
                cur.set(to);
            })
        };
        let unanswered = q.unanswered();
        let s = q.summary();
        let jumps = unanswered.iter().map(|&k| {
            html! { <li><button type="button" class="link-button" onclick={back_to(k)}>{ format!("Question {}", k + 1) }</button></li> }
        });
        return html! {
            <>
            { for clock }
            <div class="quiz-review">
                <h3 class="step-title" tabindex="-1" ref={heading.clone()}>{ "Submit your exam" }</h3>
                <p>{ view::submit_review(s.answered, s.total) }</p>
                if !unanswered.is_empty() { <ul class="unanswered" aria-label="Questions not answered">{ for jumps }</ul> }
                <p class="hint">{ "Once submitted, the answers cannot be changed; your results and your result code follow." }</p>
                <div class="actions">
                    <button type="button" class="primary" onclick={submit.reform(|_: MouseEvent| ())}>{ view::submit_label(unanswered.len()) }</button>
                    <button type="button" onclick={back_to(i)}>{ "Back to the questions" }</button>
                </div>
            </div>
            </>
        };
    }
    let on_answered = Callback::from(move |()| refresh.force_update());
    html! {
        <>
        { for clock }
        <question::QuizQuestion key={i} quiz={quiz.clone()} index={i} answered={q.summary().answered} {heading}
            {on_answered} {on_goto} {on_finish} on_import={props.on_import.clone()} />
        </>
    }
}

/// The start page: the bank, the seed (and a link with it), Practice or Exam.
/// What the start page's controls do.
struct StartActions {
    practice: Callback<MouseEvent>,
    exam: Callback<MouseEvent>,
    renew: Callback<MouseEvent>,
    on_name: Callback<InputEvent>,
    /// Shows the paper exam of this seed, to print.
    print: Callback<MouseEvent>,
}

fn start_page(bank: &Bank, seed: u64, from_link: bool, minutes: Option<u32>, actions: StartActions) -> Html {
    let StartActions { practice, exam, renew, on_name, print } = actions;
    let link = crate::teach::share::quiz_fragment_with_seed(&bank.id, seed).unwrap_or_default();
    html! {
        <div class="quiz-start">
            <p>{ bank.description.clone() }</p>
            <p>{ view::question_count(bank.questions.len()) }</p>
            <p class="seed">
                { "Seed: " }<strong class="seed-value">{ seed.to_string() }</strong>
                { view::seed_note(from_link) }
            </p>
            <p class="hint">{ "Your instructor can rebuild your questions from the bank and the seed. Link with this seed: " }
                <a href={format!("#{link}")}>{ format!("#{link}") }</a></p>
            if let Some(m) = minutes {
                <p class="time-limit"><strong>{ format!("The exam has a time limit of {m} minute{}", if m == 1 { "" } else { "s" }) }</strong>
                    { ", counted from when you start it; then it is submitted with the answers you have given. Practice has none." }</p>
            }
            <label class="field learner">
                <span>{ "Your name or ID (for the exam's result code)" }</span>
                <input type="text" autocomplete="name" maxlength="60" ~defaultValue={net::learner_name()} oninput={on_name} />
            </label>
            <div class="actions">
                <button type="button" class="primary" onclick={practice}>{ "Start practice" }</button>
                <button type="button" class="primary" onclick={exam}>{ "Start exam" }</button>
                <button type="button" onclick={renew}>{ "New seed" }</button>
            </div>
            <p class="hint">{ "Practice: the answer and its explanation after each question. Exam: your choice is kept when you move to another question (or save it); change it freely, see the results at the end." }</p>
            <p class="hint paper-offer">{ "Instructors: " }
                <button type="button" class="link-button" onclick={print}>{ "Print a paper exam" }</button>
                { " of this seed, with its answer key." }</p>
        </div>
    }
}

/// The results of a finished quiz: the score, the summary to copy, every question explained.
/// A plain function of [`QuizRun`] (its hooks hold the summary's node and the copy note).
fn results(
    q: &Quiz,
    code: Option<String>,
    heading: &NodeRef,
    text_ref: &NodeRef,
    copy_note: &UseStateHandle<String>,
    on_again: Callback<MouseEvent>,
) -> Html {
    let s = q.summary();
    let text = q.summary_text();
    let on_copy = {
        let (text, text_ref, copy_note) = (text.clone(), text_ref.clone(), copy_note.clone());
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
        let (class, line) = view::result_line(n, r.chosen.is_some(), r.feedback.correct);
        let shown = Some((&r.feedback, r.chosen.is_none()));
        html! {
            <li ~className={class}>
                <p class="result-head"><strong>{ line }</strong></p>
                { question::question_view(inst, n + 1000, &chosen, shown, Callback::noop(), true, None) }
            </li>
        }
    });
    html! {
        <div class="quiz-results">
            <h3 class="step-title" tabindex="-1" ref={heading.clone()}>{ "Your results" }</h3>
            <p class="score">{ view::score_line(&s, q.mode, q.seed) }</p>
            <label class="label" for="quiz-summary">{ "Summary for your instructor" }</label>
            <textarea id="quiz-summary" class="summary-text" readonly=true rows="8" ref={text_ref.clone()} value={text} />
            <div class="actions">
                <button type="button" class="primary" onclick={on_copy}>{ "Copy summary" }</button>
                <button type="button" onclick={on_again}>{ "Take it again" }</button>
            </div>
            <p class="status" role="status">{ (**copy_note).clone() }</p>
            if let Some(code) = code {
                <label class="label" for="result-code">{ "Your result code" }</label>
                <input id="result-code" class="result-code" type="text" readonly=true value={code} />
                <p class="hint">{ "Give this code to your instructor (paste it into their form): it carries your name, the seed and your answers, and `streamlab grade` grades it again. A typo or an edit makes it invalid." }</p>
            }
            { goals_view(q) }
            <h4>{ "Every question, with the answers explained" }</h4>
            <ol class="results-list">{ for rows }</ol>
        </div>
    }
}

/// The bank's goals the learner missed a question on, to revisit (nothing when the bank
/// declares no goals).
fn goals_view(q: &Quiz) -> Html {
    let revisit = q.goals_to_revisit();
    if revisit.is_empty() {
        return html! {};
    }
    html! {
        <div class="goals">
            <h4>{ "Goals to revisit" }</h4>
            <ul>
                { for revisit.into_iter().map(|g| html! {
                    <li>{ g.text }{ format!(" ({} of {} right)", g.right, g.total) }</li>
                }) }
            </ul>
        </div>
    }
}
