//! Create a table (its name, key schema and stream) and delete the table on show: CreateTable
//! and DeleteTable as a learner would send them. The engine checks the request and answers
//! with AWS's error when it refuses it.
//!
//! A plain function, not a component: the fields keep what is typed (they are not written back
//! from a state), and Create table reads them (size of the wasm: no state, no re-render per key).

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::super::note_view;
use super::super::state::{Note, TableForm};

/// The value of the field `id` (an input or a select).
fn field(id: &str) -> String {
    let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) else {
        return String::new();
    };
    match el.dyn_ref::<HtmlInputElement>() {
        Some(i) => i.value(),
        None => el.unchecked_ref::<web_sys::HtmlSelectElement>().value(),
    }
}

const KEY_TYPES: &[&str] = &["S", "N", "B"];
/// "off", then the view types.
const STREAM: &[&str] = &["off", "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"];

/// Each field: its id, label, default text and placeholder (an input), or options and the one
/// chosen first (a select).
type Field = (&'static str, &'static str, &'static str, &'static str, &'static [&'static str], &'static str);
const FIELDS: [Field; 6] = [
    ("new-table", "TableName", "", "Orders", &[], ""),
    ("new-hash", "Partition key (HASH)", "id", "", &[], ""),
    ("new-hash-type", "Partition key type", "", "", KEY_TYPES, "S"),
    ("new-range", "Sort key (RANGE), optional", "", "none", &[], ""),
    ("new-range-type", "Sort key type", "", "", KEY_TYPES, "S"),
    ("new-view", "Stream (off, or its StreamViewType)", "", "", STREAM, "NEW_AND_OLD_IMAGES"),
];

/// The "Create or delete a table" section. `table`: the table on show (what Delete table
/// deletes); `note`: of the last Create table or Delete table (the section is open when there is
/// one: after Create table the panel is a new one).
pub fn table_admin(
    table: &str,
    note: &Option<Note>,
    on_create: &Callback<TableForm>,
    on_delete: &Callback<()>,
) -> Html {
    let create = on_create.reform(|_: MouseEvent| TableForm {
        name: field("new-table"),
        hash: field("new-hash"),
        hash_type: field("new-hash-type"),
        range: field("new-range"),
        range_type: field("new-range-type"),
        stream: field("new-view") != "off",
        view: field("new-view"),
    });
    // One template for every field (size of the wasm): an input (no options; its default text
    // and placeholder), or a select of `options` starting on `chosen`.
    let fields = FIELDS.iter().map(|(id, label, text, placeholder, options, chosen)| {
        let input = if options.is_empty() {
            // defaultValue, not value: yew writes `value` back over what is typed at each render.
            html! { <input id={*id} type="text" spellcheck="false" autocomplete="off" placeholder={*placeholder} ~defaultValue={*text} /> }
        } else {
            // `selected` always said: yew adds options last first, so the browser would pick
            // the last.
            html! {
                <select id={*id}>
                    { for options.iter().map(|t| html! { <option value={*t} selected={t == chosen}>{ *t }</option> }) }
                </select>
            }
        };
        html! { <label class="field" for={*id}><span>{ *label }</span>{ input }</label> }
    });

    html! {
        <details class="table-admin" open={note.is_some()}>
            <summary>{ "Create or delete a table" }</summary>
            <div class="admin-grid">{ for fields }</div>
            <div class="actions">
                <button type="button" class="primary" onclick={create}>{ "Create table" }</button>
                <button type="button" onclick={on_delete.reform(|_: MouseEvent| ())}>{ format!("Delete table {table}") }</button>
            </div>
            <div role="status">{ note_view(note) }</div>
        </details>
    }
}
