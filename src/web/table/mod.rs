//! The table: its items as a grid, and the item editor (DynamoDB JSON or a form of attribute
//! rows) with Put item, Update item (update and condition expressions, names and values) and
//! Delete item. A refused write shows the AWS-style error inline and changes nothing.
//!
//! [`TablePanel`] holds what the learner is writing (the item and the expressions, and which
//! mode shows the item): the grid's Edit buttons and the editor both change it. Its children:
//! [`grid::ItemGrid`], [`editor::AttrRows`] (the form mode's rows) and [`ttl::TtlSettings`].

mod admin;
mod editor;
mod grid;
mod ttl;

use std::rc::Rc;

use web_sys::{HtmlSelectElement, KeyboardEvent};
use yew::prelude::*;

use super::state::{Note, TableForm, WriteForm, WriteOp};
use crate::teach::view::TableView;

#[derive(Properties, PartialEq)]
pub struct TableProps {
    pub view: Rc<TableView>,
    /// The note of the last write from this panel.
    pub note: Option<Note>,
    /// A job runs: no new burst meanwhile.
    pub busy: bool,
    pub on_write: Callback<(WriteOp, WriteForm)>,
    pub on_table: Callback<String>,
    pub on_burst: Callback<u32>,
    pub on_ttl: Callback<String>,
    /// The note of the last Create table or Delete table.
    pub table_note: Option<Note>,
    pub on_create: Callback<TableForm>,
    pub on_delete: Callback<()>,
}

#[component]
pub fn TablePanel(props: &TableProps) -> Html {
    let v = &props.view;
    // Starts from the table's own example (the panel is remounted for another table).
    let form = use_state(|| v.example.clone());
    let form_mode = use_state(|| false);
    // Bumped when the form mode's rows must be read again from the item: on entering the mode,
    // and when Edit puts an item in the editor.
    let reread = use_state(|| 0usize);
    // The attribute typed in the TTL settings.
    let ttl = use_state(|| "expires".to_string());

    let write = |op: WriteOp| {
        let (form, on_write) = (form.clone(), props.on_write.clone());
        Callback::from(move |_: MouseEvent| on_write.emit((op, (*form).clone())))
    };
    let on_field = {
        let form = form.clone();
        Callback::from(move |(set, text): editor::FieldEdit| {
            let mut next = (*form).clone();
            set(&mut next, text);
            form.set(next);
        })
    };
    let on_item = {
        let form = form.clone();
        Callback::from(move |item: String| form.set(WriteForm { item, ..(*form).clone() }))
    };
    let on_put_key = {
        let (form, on_write) = (form.clone(), props.on_write.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                on_write.emit((WriteOp::Put, (*form).clone()));
            }
        })
    };
    let switch_mode = {
        let (form_mode, reread) = (form_mode.clone(), reread.clone());
        Callback::from(move |to_form: bool| {
            if to_form {
                reread.set(*reread + 1);
            }
            form_mode.set(to_form);
        })
    };
    // "Edit" on a row of the grid: the row's item into the editor.
    let on_edit = {
        let (form, form_mode, reread) = (form.clone(), form_mode.clone(), reread.clone());
        Callback::from(move |item: String| {
            if *form_mode {
                reread.set(*reread + 1);
            }
            form.set(WriteForm { item, ..(*form).clone() });
        })
    };
    let on_table = props
        .on_table
        .reform(|e: Event| e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default());
    let burst = |n: u32| props.on_burst.reform(move |_: MouseEvent| n);
    let (status, error) = match &props.note {
        Some(Note::Ok(t)) => (t.clone(), html! {}),
        Some(Note::Error { .. }) => (String::new(), super::note_view(&props.note)),
        None => (String::new(), html! {}),
    };

    html! {
        <section class="panel" aria-labelledby="write-heading" id="table">
            <div class="panel-title">
                <h2 id="write-heading">{ "Table" }</h2>
                if v.tables.is_empty() {
                    <p class="count"><code>{ &v.name }</code>{ v.key_line() }</p>
                } else {
                    <label class="inline">
                        <span>{ "Table" }</span>
                        <select onchange={on_table}>
                            { for v.tables.iter().map(|t| html! { <option value={t.clone()} selected={*t == v.name}>{ t }</option> }) }
                        </select>
                    </label>
                }
            </div>
            <div class="item-grid" role="region" aria-label="Items" tabindex="0">
                <grid::ItemGrid table={v.name.clone()} items={v.items.clone()} key_names={v.key_names.clone()} {on_edit} />
                if v.empty { <p class="empty">{ "No items yet. Put one with the editor below." }</p> }
                if let Some(more) = &v.more { <p class="more">{ more }</p> }
            </div>

            <h3 class="editor-title">{ "Item editor" }</h3>
            <div class="mode" role="group" aria-label="Editor mode">
                <button type="button" class="small" aria-pressed={(!*form_mode).to_string()}
                    onclick={switch_mode.reform(|_: MouseEvent| false)}>{ "DynamoDB JSON" }</button>
                <button type="button" class="small" aria-pressed={form_mode.to_string()}
                    onclick={switch_mode.reform(|_: MouseEvent| true)}>{ "Form" }</button>
            </div>
            if *form_mode {
                <editor::AttrRows key={*reread} item={form.item.clone()} {on_item} />
            } else {
                { editor::json_input(&form.item, &v.keys(), props.note.as_ref().is_some_and(Note::is_error), on_item, on_put_key) }
            }
            <div class="actions">
                <button type="button" class="primary" onclick={write(WriteOp::Put)}>{ "Put item" }</button>
                <button type="button" onclick={write(WriteOp::Update)}>{ "Update item" }</button>
                <button type="button" onclick={write(WriteOp::Delete)}>{ "Delete item" }</button>
                <button type="button" class="quiet" disabled={props.busy} onclick={burst(1000)}
                    title="1,000 new generated items, 25 per BatchWriteItem, written in slices between frames">{ format!("Write 1,000 {}", v.generated) }</button>
                <button type="button" class="quiet" disabled={props.busy} onclick={burst(10_000)}
                    title="10,000 new generated items, 25 per BatchWriteItem, written in slices between frames">{ format!("Write 10,000 {}", v.generated) }</button>
            </div>
            <p class="status" id="item-status" role="status">{ status }</p>
            <div id="item-error" class="error-region" role="alert">{ error }</div>
            { editor::expressions(&form, &on_field) }
            { ttl::ttl_settings(v, &ttl, &props.on_ttl) }
            { admin::table_admin(&v.name, &props.table_note, &props.on_create, &props.on_delete) }
        </section>
    }
}
