//! Create a table (its name, key schema and stream) and delete the table on show: CreateTable
//! and DeleteTable as a learner would send them. The engine checks the request and answers
//! with AWS's error when it refuses it.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::super::note_view;
use super::super::state::{Note, TableForm};
use crate::teach::view;

#[derive(Properties, PartialEq)]
pub struct AdminProps {
    /// The table on show (what Delete table deletes).
    pub table: String,
    pub note: Option<Note>,
    pub on_create: Callback<TableForm>,
    pub on_delete: Callback<()>,
}

/// The "Create or delete a table" section: keeps the form as the learner types it.
#[component]
pub fn TableAdmin(props: &AdminProps) -> Html {
    let form = use_state(TableForm::default);
    let edit = |set: fn(&mut TableForm, String)| {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let value = match e.target_dyn_into::<HtmlInputElement>() {
                Some(i) => i.checked().to_string(),
                None => e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default(),
            };
            let mut next = (*form).clone();
            set(&mut next, value);
            form.set(next);
        })
    };
    // Text fields follow every key, as the mapping settings do.
    let typed = |set: fn(&mut TableForm, String)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                let mut next = (*form).clone();
                set(&mut next, i.value());
                form.set(next);
            }
        })
    };
    let key_type = |id: &'static str, current: &str, set: fn(&mut TableForm, String)| {
        html! {
            <select id={id} onchange={edit(set)}>
                { for ["S", "N", "B"].iter().map(|t| html! { <option value={*t} selected={current == *t}>{ *t }</option> }) }
            </select>
        }
    };
    let create = {
        let (form, on_create) = (form.clone(), props.on_create.clone());
        Callback::from(move |_: MouseEvent| on_create.emit((*form).clone()))
    };
    let delete = props.on_delete.reform(|_: MouseEvent| ());
    let f = &*form;

    html! {
        // Open when it has a note to show (after Create table the panel is a new one).
        <details class="table-admin" open={props.note.is_some()}>
            <summary>{ "Create or delete a table" }</summary>
            <div class="admin-grid">
                <label class="field" for="new-table">
                    <span>{ "TableName" }</span>
                    <input id="new-table" type="text" spellcheck="false" autocomplete="off" placeholder="Orders"
                        value={f.name.clone()} oninput={typed(|f, v| f.name = v)} />
                </label>
                <label class="field" for="new-hash">
                    <span>{ "Partition key (HASH)" }</span>
                    <input id="new-hash" type="text" spellcheck="false" autocomplete="off" value={f.hash.clone()} oninput={typed(|f, v| f.hash = v)} />
                </label>
                <label class="field" for="new-hash-type">
                    <span>{ "Partition key type" }</span>
                    { key_type("new-hash-type", &f.hash_type, |f, v| f.hash_type = v) }
                </label>
                <label class="field" for="new-range">
                    <span>{ "Sort key (RANGE), optional" }</span>
                    <input id="new-range" type="text" spellcheck="false" autocomplete="off" placeholder="none"
                        value={f.range.clone()} oninput={typed(|f, v| f.range = v)} />
                </label>
                <label class="field" for="new-range-type">
                    <span>{ "Sort key type" }</span>
                    { key_type("new-range-type", &f.range_type, |f, v| f.range_type = v) }
                </label>
                <label class="field" for="new-view">
                    <span>{ "StreamViewType" }</span>
                    <select id="new-view" disabled={!f.stream} onchange={edit(|f, v| f.view = v)}>
                        { for view::view_types().iter().map(|t| html! { <option value={*t} selected={f.view == *t}>{ *t }</option> }) }
                    </select>
                </label>
            </div>
            <label class="check">
                <input id="new-stream" type="checkbox" checked={f.stream} onchange={edit(|f, v| f.stream = v == "true")} />
                <span>{ "StreamEnabled: record every change in a stream" }</span>
            </label>
            <div class="actions">
                <button type="button" class="primary" id="create-table" onclick={create}>{ "Create table" }</button>
                <button type="button" id="delete-table" onclick={delete}>{ format!("Delete table {}", props.table) }</button>
            </div>
            <div role="status">{ note_view(&props.note) }</div>
        </details>
    }
}
