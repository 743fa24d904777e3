//! The course catalogue (`#catalogue`, linked from the header): every lesson and quiz bank of
//! `lessons/index.json` and `quizzes/index.json` (an instructor's own files included), each
//! with its summary, learning goals, level and duration, the links to share (plain and embed),
//! its SCO's launch path in the SCORM package (`make scorm`) and a copyable `<iframe>` snippet.
//! Read from the files themselves, as the page would open them.

use yew::prelude::*;

use super::net;
use crate::teach::scorm::Sco;
use crate::teach::{lesson, quiz};

/// One lesson or bank of the catalogue.
#[derive(Clone, PartialEq)]
struct Entry {
    /// "lesson" or "quiz" (the link's key).
    key: &'static str,
    id: String,
    title: String,
    level: Option<String>,
    duration: Option<u32>,
    summary: String,
    goals: Vec<String>,
    /// Why the file could not be read, when it could not.
    problem: Option<String>,
}

/// The page's address without its query and fragment: where the links point.
fn page_base() -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    href.split(['#', '?']).next().unwrap_or("").to_string()
}

/// Every entry of both indexes, each read from its file.
async fn load() -> Result<Vec<Entry>, String> {
    let mut out = Vec::new();
    for (key, index_url) in [("lesson", "lessons/index.json"), ("quiz", "quizzes/index.json")] {
        let text = net::fetch_text(index_url).await?;
        let entries = if key == "lesson" { lesson::parse_index(&text) } else { quiz::parse_index(&text) }
            .map_err(|e| format!("{index_url} is not valid: {e}"))?;
        for e in entries {
            let dir = if key == "lesson" { "lessons" } else { "quizzes" };
            let mut entry = Entry {
                key,
                id: e.id.clone(),
                title: e.title.clone(),
                level: e.level.clone(),
                duration: e.duration,
                summary: String::new(),
                goals: Vec::new(),
                problem: None,
            };
            let file = net::fetch_text(&format!("{dir}/{}.json", e.id)).await;
            let read = file.and_then(|t| {
                if key == "lesson" {
                    lesson::parse(&t).map(|l| (l.summary, l.meta)).map_err(|e| e.to_string())
                } else {
                    quiz::parse(&t).map(|b| (b.description, b.meta)).map_err(|e| e.to_string())
                }
            });
            match read {
                Ok((summary, meta)) => {
                    entry.summary = summary;
                    entry.goals = meta.goals.into_iter().map(|g| g.text).collect();
                    entry.level = entry.level.or(meta.level);
                    entry.duration = entry.duration.or(meta.duration);
                }
                Err(why) => entry.problem = Some(why),
            }
            out.push(entry);
        }
    }
    Ok(out)
}

#[component]
pub fn Catalogue() -> Html {
    let state = use_state(|| None::<Result<Vec<Entry>, String>>);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move { state.set(Some(load().await)) });
        });
    }
    let body = match &*state {
        None => html! { <p class="hint">{ "Loading the catalogue…" }</p> },
        Some(Err(why)) => {
            html! { <p class="teach-error" role="alert">{ format!("The catalogue could not be loaded: {why}.") }</p> }
        }
        Some(Ok(entries)) => {
            let base = page_base();
            html! { <ul class="catalogue">{ for entries.iter().map(|e| entry_view(e, &base)) }</ul> }
        }
    };
    html! {
        <section class="teach panel" aria-labelledby="catalogue-heading">
            <div class="teach-head">
                <h2 id="catalogue-heading">{ "Course catalogue" }</h2>
                <a href="#">{ "Close" }</a>
            </div>
            <p class="hint">{ "Every lesson and quiz on this site, from lessons/index.json and quizzes/index.json: share a link, or paste the iframe snippet into a course page (embed mode hides this page's header)." }</p>
            <p class="hint">{ "For an LMS (Moodle, Canvas, ...): " }<code>{ "make scorm" }</code>{ " writes " }<code>{ "dist-scorm/streamlab-scorm12.zip" }</code>
                { ", a SCORM 1.2 package with one SCO per lesson and quiz that reports completion, exam scores and answers to the LMS. Each entry gives its SCO's launch path in the package." }</p>
            <p class="hint">{ "Writing your own lesson or quiz? " }<a href="#author">{ "Check your files" }</a>{ " before you publish them." }</p>
            { body }
        </section>
    }
}

fn entry_view(e: &Entry, base: &str) -> Html {
    let fragment = format!("#{}={}", e.key, e.id);
    let plain = format!("{base}{fragment}");
    let embed = format!("{base}?embed=1{fragment}");
    let snippet = format!(
        "<iframe src=\"{embed}\" title=\"StreamLab: {}\" width=\"100%\" height=\"760\" loading=\"lazy\"></iframe>",
        e.title
    );
    // Its launch path in the SCORM package (`make scorm`), relative to the package's root.
    let sco = if e.key == "lesson" { Sco::Lesson(e.id.clone()) } else { Sco::Quiz(e.id.clone()) }.launch();
    let mut meta: Vec<String> = vec![if e.key == "lesson" { "Lesson".into() } else { "Quiz".into() }];
    meta.extend(e.level.clone());
    meta.extend(e.duration.map(|d| format!("{d} min")));
    let heading = format!("catalogue-{}-{}", e.key, e.id);
    html! {
        <li class="catalogue-entry" aria-labelledby={heading.clone()}>
            <h3 id={heading}><a href={fragment}>{ e.title.clone() }</a></h3>
            <p class="menu-meta">{ meta.join(" · ") }</p>
            if let Some(p) = &e.problem { <p class="teach-error">{ format!("This file could not be read: {p}") }</p> }
            if !e.summary.is_empty() { <p>{ e.summary.clone() }</p> }
            if !e.goals.is_empty() {
                <p class="catalogue-goals-title">{ "Learning goals" }</p>
                <ul class="catalogue-goals">{ for e.goals.iter().map(|g| html! { <li>{ g.clone() }</li> }) }</ul>
            }
            <p class="catalogue-links">{ "Link: " }<a href={plain.clone()}>{ plain }</a>
                { " · Embed: " }<a href={embed.clone()}>{ embed }</a>
                { " · SCORM SCO: " }<code>{ sco }</code></p>
            <label class="label">
                <span>{ "Iframe snippet" }</span>
                <textarea class="summary-text catalogue-snippet" readonly=true rows="2" value={snippet} />
            </label>
        </li>
    }
}
