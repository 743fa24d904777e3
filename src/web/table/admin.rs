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
use crate::teach::view;

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
    let key_type = |id: &'static str| {
        html! {
            <select id={id}>
                // `selected` always said: yew adds options last first, so the browser would pick B.
                { for ["S", "N", "B"].iter().map(|t| html! { <option value={*t} selected={*t == "S"}>{ *t }</option> }) }
            </select>
        }
    };
    let text = |id: &'static str, value: &'static str, placeholder: &'static str| {
        // defaultValue, not value: yew writes `value` back over what is typed at each render.
        html! { <input id={id} type="text" spellcheck="false" autocomplete="off" {placeholder} ~defaultValue={value} /> }
    };

    html! {
        <details class="table-admin" open={note.is_some()}>
            <summary>{ "Create or delete a table" }</summary>
            <div class="admin-grid">
                <label class="field" for="new-table"><span>{ "TableName" }</span>{ text("new-table", "", "Orders") }</label>
                <label class="field" for="new-hash"><span>{ "Partition key (HASH)" }</span>{ text("new-hash", "id", "") }</label>
                <label class="field" for="new-hash-type"><span>{ "Partition key type" }</span>{ key_type("new-hash-type") }</label>
                <label class="field" for="new-range"><span>{ "Sort key (RANGE), optional" }</span>{ text("new-range", "", "none") }</label>
                <label class="field" for="new-range-type"><span>{ "Sort key type" }</span>{ key_type("new-range-type") }</label>
                <label class="field" for="new-view">
                    <span>{ "Stream (StreamViewType)" }</span>
                    <select id="new-view">
                        <option value="off">{ "off: no stream" }</option>
                        { for view::view_types().iter().map(|t| html! { <option value={*t} selected={*t == "NEW_AND_OLD_IMAGES"}>{ *t }</option> }) }
                    </select>
                </label>
            </div>
            <div class="actions">
                <button type="button" class="primary" onclick={create}>{ "Create table" }</button>
                <button type="button" onclick={on_delete.reform(|_: MouseEvent| ())}>{ format!("Delete table {table}") }</button>
            </div>
            <div role="status">{ note_view(note) }</div>
        </details>
    }
}
