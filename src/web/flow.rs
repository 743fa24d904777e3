//! The architecture diagram: item change → stream → Lambda trigger → action, with every recent
//! record drawn as a token where it is now (`lab::tokens`, `Stage`). Clicking a token opens
//! its record.

use yew::prelude::*;

use super::state::{Action, Detail};
use super::PanelProps;
use crate::model::AttributeValue;
use crate::sim::Stage;
use crate::teach::lab::{self, Token};

/// Tokens drawn at most (the newest ones).
const TOKENS: usize = 40;
/// Tokens drawn per box before "+N more".
const PER_BOX: usize = 8;

#[derive(Clone, Copy, PartialEq)]
enum Place {
    Shard,
    Window,
    Retry,
    Blocked,
    Done,
    Filtered,
    OnFailure,
}

fn place(stage: Option<Stage>) -> Place {
    match stage {
        None | Some(Stage::InShard) => Place::Shard,
        Some(Stage::Waiting) => Place::Window,
        Some(Stage::Retrying { .. }) => Place::Retry,
        Some(Stage::Blocked) | Some(Stage::LoopPaused) => Place::Blocked,
        Some(Stage::Done) => Place::Done,
        Some(Stage::Filtered) => Place::Filtered,
        Some(Stage::Discarded) => Place::OnFailure,
    }
}

/// "ana" for {"voter": {"S": "ana"}}; several key values joined by " / ".
pub fn key_text(keys: &crate::model::Item) -> String {
    keys.values()
        .map(|v| match v {
            AttributeValue::S(s) => s.clone(),
            other => other.to_json().to_string(),
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// A plain function, not a component: it has no hooks, and the root re-renders it with every
/// change anyway (a component would only add its own lifecycle code to the wasm).
pub fn flow(props: &PanelProps) -> Html {
    let lab = &props.lab;
    let (tokens, function, items) = {
        let s = lab.session.borrow();
        let tokens = lab::tokens(&s, TOKENS);
        let function = s.engine().lambda().mappings.first().map(|m| m.function.clone());
        let items = s.engine().table(&lab.table).map(|t| t.items.len()).unwrap_or(0);
        (tokens, function, items)
    };
    // One token per record and trigger reading it (or one with no stage when none does).
    let mut placed: Vec<(Place, Option<Stage>, &Token)> = Vec::new();
    for t in tokens.iter().rev() {
        if t.stages.is_empty() {
            placed.push((Place::Shard, None, t));
        }
        for (_, stage) in &t.stages {
            placed.push((place(Some(*stage)), Some(*stage), t));
        }
    }
    let token_box = |places: &[Place], title: &str, hint: &str, class: &'static str| {
        let here: Vec<_> = placed.iter().filter(|(p, _, _)| places.contains(p)).collect();
        let more = here.len().saturating_sub(PER_BOX);
        let shown = here.iter().skip(more).map(|(_, stage, t)| {
            let record = t.record.clone();
            let onclick = props.on_action.reform(move |_: MouseEvent| Action::Open(Detail::Record(record.clone())));
            let event = t.record.event_name.as_str();
            let label = match stage {
                Some(Stage::Retrying { attempt }) => format!("being retried (attempt {attempt} failed)"),
                Some(s) => s.label().to_string(),
                None => "in shard, no trigger reads it".to_string(),
            };
            let class = format!("token token-{}", event.to_ascii_lowercase());
            // A short visible word where the box holds records in different states.
            let short = match stage {
                Some(Stage::Retrying { attempt }) => Some(format!("retry {attempt}")),
                Some(Stage::Blocked) => Some("blocked".to_string()),
                Some(Stage::LoopPaused) => Some("loop guard".to_string()),
                None => Some("no trigger".to_string()),
                _ => None,
            };
            html! {
                <li>
                    <button type="button" {onclick}
                        title={format!("{event} {}: {label}. Open the record.", key_text(&t.record.keys()))} ~className={class}>
                        <span class="token-event">{ event }</span>
                        <span class="token-key">{ key_text(&t.record.keys()) }</span>
                        if let Some(short) = short { <span class="token-note" aria-hidden="true">{ short }</span> }
                        <span class="visually-hidden">{ format!(", {label}") }</span>
                    </button>
                </li>
            }
        });
        html! {
            <div ~className={class}>
                <h4>{ title }</h4>
                <p class="stage-hint">{ hint }</p>
                <ul class="tokens" aria-label={title.to_string()}>
                    { for shown }
                </ul>
                if more > 0 { <p class="more">{ format!("+{more} older") }</p> }
            </div>
        }
    };
    let trigger = function.clone().unwrap_or_else(|| "no trigger yet".into());

    html! {
        <section class="panel flow" aria-labelledby="flow-heading" id="flow">
            <div class="panel-title">
                <h2 id="flow-heading">{ "Flow" }</h2>
                <p class="count">{ "Each change is a token; press one to open its record. Play the clock to see them move." }</p>
            </div>
            <div class="flow-diagram">
                <div class="column">
                    <h3>{ "1. Item change" }</h3>
                    <div class="stage stage-table">
                        <h4>{ format!("Table {}", lab.table) }</h4>
                        <p class="stage-hint">{ format!("{items} item{}. Put, update or delete one below.", if items == 1 { "" } else { "s" }) }</p>
                    </div>
                </div>
                <div class="arrow" aria-hidden="true">{ "→" }</div>
                <div class="column">
                    <h3>{ "2. Stream" }</h3>
                    { token_box(&[Place::Shard], "In a shard", "Written, not read yet.", "stage stage-shard") }
                </div>
                <div class="arrow" aria-hidden="true">{ "→" }</div>
                <div class="column">
                    <h3>{ format!("3. Lambda trigger ({trigger})") }</h3>
                    { token_box(&[Place::Window], "Batch window", "Read, waiting for its batch to close.", "stage stage-window") }
                    { token_box(&[Place::Retry, Place::Blocked], "Retrying or blocked", "A failed batch is retried; records behind it wait.", "stage stage-retry") }
                </div>
                <div class="arrow" aria-hidden="true">{ "→" }</div>
                <div class="column">
                    <h3>{ "4. Action" }</h3>
                    { token_box(&[Place::Done], "Done", "The function handled it.", "stage stage-done") }
                    { token_box(&[Place::Filtered], "Filtered out", "Skipped by the filter: never sent.", "stage stage-filtered") }
                    { token_box(&[Place::OnFailure], "On-failure queue", "Given up on: described to the destination.", "stage stage-failed") }
                </div>
            </div>
        </section>
    }
}
