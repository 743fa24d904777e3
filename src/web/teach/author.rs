//! The Author view (`#author`, linked from the catalogue): an instructor drops lesson, quiz
//! and `index.json` files on it, picks them, or pastes a file's text, and each is checked as
//! `streamlab check` checks it (`crate::teach::check::check_files`: JSON errors at a line and
//! column with the fix, answers run by the engine, files compared with an `index.json` given
//! with them, or else with the site's own). Nothing is uploaded: the files are read and checked
//! in the page.
//!
//! The shape of yew's function_todomvc: a pure reducer over [`Action`]s, small components
//! with narrow props; the checking is the engine's.

use std::rc::Rc;

use wasm_bindgen_futures::JsFuture;
use web_sys::{FileList, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::net;
use crate::teach::check::{self, Kind, Site, Verdict};

/// Largest file read (the engine refuses lessons and banks far smaller).
const MAX_FILE: f64 = check::MAX_FILE_BYTES as f64;

/// The files given so far (name, text; a pasted text is named ""), each one's own verdict
/// (`check::check_file`: kept, so that adding a file does not run the others' answers again),
/// their verdicts with the menus compared, and the site's own menus (compared with when no
/// index.json is given).
#[derive(Default, PartialEq)]
struct Files {
    files: Vec<(String, String)>,
    checked: Vec<Verdict>,
    verdicts: Vec<Verdict>,
    site: Site,
}

enum Action {
    /// Files read (or pasted): each replaces a file of the same name (a paste, the last
    /// paste) and is checked; the menus are compared again for all, since an `index.json`
    /// speaks of the others.
    Add(Vec<(String, String)>),
    Remove(usize),
    Clear,
    /// The site's `lessons/index.json` and `quizzes/index.json`, as loaded.
    Site(Site),
}

impl Reducible for Files {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut files = self.files.clone();
        let mut checked = self.checked.clone();
        let mut site = self.site.clone();
        match action {
            Action::Add(added) => {
                for (name, text) in added {
                    let verdict = check::check_file(&name, &text);
                    match files.iter().position(|(n, _)| *n == name) {
                        Some(i) => {
                            files[i].1 = text;
                            checked[i] = verdict;
                        }
                        None => {
                            files.push((name, text));
                            checked.push(verdict);
                        }
                    }
                }
            }
            Action::Remove(i) if i < files.len() => {
                files.remove(i);
                checked.remove(i);
            }
            Action::Remove(_) => {}
            Action::Clear => {
                files.clear();
                checked.clear();
            }
            Action::Site(s) => site = s,
        }
        let verdicts = check::with_listing(&files, checked.clone(), &site);
        Rc::new(Files { files, checked, verdicts, site })
    }
}

/// Reads the files of a file input or a drop, then hands them (name, text) to `add`.
fn read_files(list: Option<FileList>, add: Callback<Vec<(String, String)>>) {
    let Some(list) = list else { return };
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    if files.is_empty() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let mut read = Vec::new();
        for f in files {
            // No more than one byte past the engine's limit is read: it refuses larger files.
            let blob = f.slice_with_f64_and_f64(0.0, MAX_FILE + 1.0).unwrap_or_else(|_| f.clone().into());
            let text = JsFuture::from(blob.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
            read.push((f.name(), text));
        }
        add.emit(read);
    });
}

#[component]
pub fn Author() -> Html {
    let state = use_reducer(Files::default);
    {
        let state = state.dispatcher();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let lessons = net::fetch_text("lessons/index.json").await.ok();
                let banks = net::fetch_text("quizzes/index.json").await.ok();
                state.dispatch(Action::Site(Site { lessons, banks }));
            });
        });
    }
    let add = {
        let state = state.dispatcher();
        Callback::from(move |files: Vec<(String, String)>| state.dispatch(Action::Add(files)))
    };
    let on_pick = {
        let add = add.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else { return };
            read_files(input.files(), add.clone());
            input.set_value("");
        })
    };
    let dragging = use_state(|| false);
    let on_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_drop = {
        let (add, dragging) = (add.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            read_files(e.data_transfer().and_then(|d| d.files()), add.clone());
        })
    };
    let clear = {
        let state = state.dispatcher();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Clear))
    };
    let failed = state.verdicts.iter().filter(|v| !v.problems.is_empty()).count();
    let summary = match (state.files.len(), failed) {
        (0, _) => String::new(),
        (n, 0) => format!("{n} {} checked: all ok.", if n == 1 { "file" } else { "files" }),
        (n, f) => format!("{n} {} checked: {f} with problems.", if n == 1 { "file" } else { "files" }),
    };
    html! {
        <section class="teach panel author" aria-labelledby="author-heading">
            <div class="teach-head">
                <h2 id="author-heading">{ "Check your lesson and quiz files" }</h2>
                <a href="#catalogue">{ "Back to the catalogue" }</a>
            </div>
            <p class="hint">{ format!("Each file is checked as streamlab check does: JSON mistakes with their line and column and the fix, every answer the engine can run is run (a bank's for {} seeds), and a file the index.json given with it (or else this site's own) does not list, or an index entry without its file, is named. The files stay in this page: nothing is uploaded.", check::SEEDS.len()) }</p>
            <div class={classes!("author-drop", dragging.then_some("dragging"))}
                ondragover={on_over} ondragleave={on_leave} ondrop={on_drop}>
                <p>{ "Drop lesson, quiz and index.json files here, or" }</p>
                <label class="file-button">
                    <span>{ "Choose files" }</span>
                    <input type="file" multiple=true accept=".json,application/json" onchange={on_pick} />
                </label>
            </div>
            <Paste on_add={add} />
            if !state.files.is_empty() {
                <div class="author-results">
                    <p class="author-summary" role="status">{ summary }</p>
                    <ul class="author-files">
                        { for state.files.iter().zip(&state.verdicts).enumerate().map(|(i, ((name, _), v))| {
                            let on_remove = {
                                let state = state.dispatcher();
                                Callback::from(move |_: MouseEvent| state.dispatch(Action::Remove(i)))
                            };
                            html! { <FileVerdict key={format!("{i}/{name}")} name={name.clone()} verdict={v.clone()} {on_remove} /> }
                        }) }
                    </ul>
                    <button type="button" class="quiet" onclick={clear}>{ "Clear all" }</button>
                </div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct PasteProps {
    on_add: Callback<Vec<(String, String)>>,
}

/// A file's text pasted, checked as a file with no name (its id is not compared with one).
#[component]
fn Paste(props: &PasteProps) -> Html {
    let area = use_node_ref();
    let check = {
        let (area, on_add) = (area.clone(), props.on_add.clone());
        Callback::from(move |_: MouseEvent| {
            let text = area.cast::<HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default();
            if !text.trim().is_empty() {
                on_add.emit(vec![(String::new(), text)]);
            }
        })
    };
    html! {
        <div class="author-paste">
            <label class="label" for="author-text">{ "Or paste a file's text" }</label>
            <textarea id="author-text" ref={area} rows="6" spellcheck="false" class="summary-text" />
            <button type="button" onclick={check}>{ "Check pasted text" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct FileVerdictProps {
    /// "" for pasted text.
    name: String,
    verdict: Verdict,
    on_remove: Callback<MouseEvent>,
}

fn kind_name(kind: Option<Kind>) -> &'static str {
    match kind {
        Some(Kind::Lesson) => "lesson",
        Some(Kind::Bank) => "quiz bank",
        Some(Kind::LessonIndex) => "lesson index",
        Some(Kind::BankIndex) => "quiz index",
        None => "",
    }
}

/// One file's verdict: ok with what was checked, or its problems, each on a line.
#[component]
fn FileVerdict(props: &FileVerdictProps) -> Html {
    let v = &props.verdict;
    let name = if props.name.is_empty() { "Pasted text".to_string() } else { props.name.clone() };
    let n = v.problems.len();
    let status = match n {
        0 => "ok".to_string(),
        1 => "1 problem".to_string(),
        n => format!("{n} problems"),
    };
    html! {
        <li class={classes!("author-file", if n == 0 { "ok" } else { "bad" })}>
            <h3>
                <span class="author-name">{ name.clone() }</span>
                <span class="author-status">{ status }</span>
            </h3>
            if n == 0 {
                <p class="hint">{ v.summary.clone() }</p>
            } else {
                if v.kind.is_some() { <p class="hint">{ format!("Read as a {}.", kind_name(v.kind)) }</p> }
                <ul class="author-problems">{ for v.problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul>
            }
            <button type="button" class="quiet" onclick={props.on_remove.clone()}
                aria-label={format!("Remove {name}")}>{ "Remove" }</button>
        </li>
    }
}
