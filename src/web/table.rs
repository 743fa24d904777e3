//! The table: its items as a grid, and the item editor (DynamoDB JSON or a form of attribute
//! rows) with Put item, Update item (update and condition expressions, names and values) and
//! Delete item. A refused write shows the AWS-style error inline and changes nothing.

use std::rc::Rc;

use serde_json::{json, Map, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use super::state::{Action, Note, WriteForm, WriteOp, EXAMPLE_ITEM};
use super::PanelProps;
use crate::model::{item_to_json, Item};

/// Items the grid shows at most.
const ROWS: usize = 50;
/// Attribute columns the grid shows at most.
const COLUMNS: usize = 6;
const TYPES: [&str; 10] = ["S", "N", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "B"];

/// One attribute row of the form mode.
#[derive(Clone, Debug, Default, PartialEq)]
struct Row {
    name: String,
    ty: String,
    value: String,
}

fn rows_from_json(text: &str) -> Result<Vec<Row>, String> {
    let v: Value =
        serde_json::from_str(text).map_err(|e| format!("The JSON has an error ({e}): fix it in JSON mode first."))?;
    let Value::Object(m) = v else { return Err("The item must be a JSON object: fix it in JSON mode first.".into()) };
    Ok(m.into_iter()
        .map(|(name, av)| {
            let (ty, value) = match (&av, av.as_object().and_then(|o| o.iter().next())) {
                (Value::Object(o), Some((t, v))) if o.len() == 1 => {
                    let value = match (t.as_str(), v) {
                        ("S" | "N" | "B", Value::String(s)) => s.clone(),
                        ("BOOL", Value::Bool(b)) => b.to_string(),
                        ("NULL", _) => String::new(),
                        (_, v) => v.to_string(),
                    };
                    (t.clone(), value)
                }
                _ => ("M".into(), av.to_string()),
            };
            Row { name, ty, value }
        })
        .collect())
}

fn rows_to_json(rows: &[Row]) -> String {
    let mut m = Map::new();
    for r in rows {
        let v = match r.ty.as_str() {
            "S" | "N" | "B" => json!(r.value),
            // Anything but true or false goes as typed, for the engine to refuse with its message.
            "BOOL" => match r.value.trim() {
                "true" => json!(true),
                "false" => json!(false),
                _ => json!(r.value),
            },
            "NULL" => json!(true),
            _ => serde_json::from_str(&r.value).unwrap_or_else(|_| json!(r.value)),
        };
        m.insert(r.name.clone(), json!({ r.ty.clone(): v }));
    }
    format!("{:#}", Value::Object(m))
}

fn cell_text(v: &Value) -> String {
    match v.as_object().and_then(|o| o.iter().next()) {
        Some((t, Value::String(s))) if t == "S" || t == "N" => s.clone(),
        Some((_, v)) => v.to_string(),
        None => v.to_string(),
    }
}

#[component]
pub fn TablePanel(props: &PanelProps) -> Html {
    let lab = &props.lab;
    let form = use_state(|| WriteForm {
        item: EXAMPLE_ITEM.to_string(),
        update_expression: "SET choice = :c".into(),
        values: r#"{":c": {"S": "lambda"}}"#.into(),
        ..Default::default()
    });
    let form_mode = use_state(|| false);
    let rows = use_state(Vec::<Row>::new);

    // Read the grid straight from the table (never all items: at most ROWS).
    let (key_names, items, total, tables) = {
        let s = lab.session.borrow();
        let e = s.engine();
        let tables: Vec<String> = e.tables().map(|t| t.name.clone()).collect();
        match e.table(&lab.table) {
            Some(t) => {
                let mut keys = vec![t.schema.hash.name.clone()];
                keys.extend(t.schema.range.as_ref().map(|r| r.name.clone()));
                let items: Vec<Rc<Item>> = t.items.values().take(ROWS).cloned().collect();
                (keys, items, t.items.len(), tables)
            }
            None => (Vec::new(), Vec::new(), 0, tables),
        }
    };

    let set_field = |f: fn(&mut WriteForm, String)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_dyn_into::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .or_else(|| e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()));
            if let Some(v) = value {
                let mut next = (*form).clone();
                f(&mut next, v);
                form.set(next);
            }
        })
    };
    let write = |op: WriteOp| {
        let (form, on_action) = (form.clone(), props.on_action.clone());
        Callback::from(move |_: MouseEvent| on_action.emit(Action::Write(op, (*form).clone())))
    };
    let on_keydown = {
        let (form, on_action) = (form.clone(), props.on_action.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                on_action.emit(Action::Write(WriteOp::Put, (*form).clone()));
            }
        })
    };
    let switch_mode = {
        let (form_mode, rows, form) = (form_mode.clone(), rows.clone(), form.clone());
        Callback::from(move |to_form: bool| {
            if to_form {
                match rows_from_json(&form.item) {
                    Ok(r) => rows.set(r),
                    Err(_) => rows.set(Vec::new()),
                }
            }
            form_mode.set(to_form);
        })
    };
    let parse_error = (*form_mode).then(|| rows_from_json(&form.item).err()).flatten();

    // Form mode: each edit rewrites the item's JSON.
    let edit_row = |i: usize, field: u8| {
        let (rows, form) = (rows.clone(), form.clone());
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()))
                .unwrap_or_default();
            let mut next = (*rows).clone();
            if let Some(r) = next.get_mut(i) {
                match field {
                    0 => r.name = value,
                    1 => r.ty = value,
                    _ => r.value = value,
                }
            }
            let mut f = (*form).clone();
            f.item = rows_to_json(&next);
            form.set(f);
            rows.set(next);
        })
    };
    let add_row = {
        let (rows, form) = (rows.clone(), form.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = (*rows).clone();
            next.push(Row { name: format!("attr{}", next.len() + 1), ty: "S".into(), value: String::new() });
            let mut f = (*form).clone();
            f.item = rows_to_json(&next);
            form.set(f);
            rows.set(next);
        })
    };
    let remove_row = |i: usize| {
        let (rows, form) = (rows.clone(), form.clone());
        Callback::from(move |_: MouseEvent| {
            let mut next = (*rows).clone();
            if i < next.len() {
                next.remove(i);
            }
            let mut f = (*form).clone();
            f.item = rows_to_json(&next);
            form.set(f);
            rows.set(next);
        })
    };

    let invalid = lab.write_note.as_ref().is_some_and(Note::is_error);
    let error = match &lab.write_note {
        Some(Note::Error { kind, message }) => html! {
            <div class="error">
                <p class="error-kind">{ kind }</p>
                <p class="error-message">{ message }</p>
                <p class="error-note">{ "Nothing was changed." }</p>
            </div>
        },
        _ => html! {},
    };
    let status = match &lab.write_note {
        Some(Note::Ok(t)) => t.clone(),
        _ => String::new(),
    };
    let on_table = props.on_action.reform(|e: Event| {
        Action::SelectTable(e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()).unwrap_or_default())
    });
    let burst = props.on_action.reform(|_: MouseEvent| Action::Burst(1000));
    let burst10k = props.on_action.reform(|_: MouseEvent| Action::Burst(10_000));
    let busy = lab.job.is_some();
    let ttl = use_state(|| "expires".to_string());
    let (ttl_attr, now_s) = {
        let s = lab.session.borrow();
        let e = s.engine();
        (e.table(&lab.table).and_then(|t| t.ttl_attribute.clone()), e.now_ms() / 1000)
    };
    let on_ttl = {
        let ttl = ttl.setter();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                ttl.set(i.value());
            }
        })
    };
    let enable_ttl = {
        let ttl = ttl.clone();
        props.on_action.reform(move |e: SubmitEvent| {
            e.prevent_default();
            Action::EnableTtl((*ttl).clone())
        })
    };

    // "Edit" on a row of the grid: the row's item into the editor.
    let on_edit =
        use_callback((form.clone(), rows.clone(), form_mode.clone()), |text: String, (form, rows, form_mode)| {
            let mut f = (**form).clone();
            if **form_mode {
                rows.set(rows_from_json(&text).unwrap_or_default());
            }
            f.item = text;
            form.set(f);
        });

    html! {
        <section class="panel" aria-labelledby="write-heading" id="table">
            <div class="panel-title">
                <h2 id="write-heading">{ "Table" }</h2>
                if tables.len() > 1 {
                    <label class="inline">
                        <span>{ "Table" }</span>
                        <select onchange={on_table}>
                            { for tables.iter().map(|t| html! { <option value={t.clone()} selected={*t == lab.table}>{ t }</option> }) }
                        </select>
                    </label>
                } else {
                    <p class="count"><code>{ &lab.table }</code>{ format!(" · key {}", key_names.join(", ")) }</p>
                }
            </div>
            <div class="item-grid" role="region" aria-label="Items" tabindex="0">
                <ItemGrid table={lab.table.clone()} {items} key_names={key_names.clone()} {on_edit} />
                if total == 0 { <p class="empty">{ "No items yet. Put one with the editor below." }</p> }
                if total > ROWS { <p class="more">{ format!("Showing the first {ROWS} of {total} items.") }</p> }
            </div>

            <h3 class="editor-title">{ "Item editor" }</h3>
            <div class="mode" role="group" aria-label="Editor mode">
                <button type="button" class="small" aria-pressed={(!*form_mode).to_string()}
                    onclick={switch_mode.reform(|_: MouseEvent| false)}>{ "DynamoDB JSON" }</button>
                <button type="button" class="small" aria-pressed={form_mode.to_string()}
                    onclick={switch_mode.reform(|_: MouseEvent| true)}>{ "Form" }</button>
            </div>
            if *form_mode {
                if let Some(err) = parse_error.clone() {
                    <p class="error-inline">{ err }</p>
                } else {
                    <table class="attr-rows">
                        <caption class="visually-hidden">{ "Attributes" }</caption>
                        <thead><tr><th scope="col">{ "Attribute name" }</th><th scope="col">{ "Type" }</th><th scope="col">{ "Value" }</th><th scope="col"><span class="visually-hidden">{ "Remove" }</span></th></tr></thead>
                        <tbody>
                        { for rows.iter().enumerate().map(|(i, r)| html! {
                            <tr>
                                <td><input type="text" aria-label={format!("Attribute {} name", i + 1)} value={r.name.clone()} onchange={edit_row(i, 0)} /></td>
                                <td><select aria-label={format!("Attribute {} type", i + 1)} onchange={edit_row(i, 1)}>
                                    { for TYPES.iter().map(|t| html! { <option value={*t} selected={r.ty == *t}>{ *t }</option> }) }
                                </select></td>
                                <td><input type="text" aria-label={format!("Attribute {} value", i + 1)} value={r.value.clone()} onchange={edit_row(i, 2)} /></td>
                                <td><button type="button" class="small" aria-label={format!("Remove attribute {}", i + 1)} onclick={remove_row(i)}>{ "✕" }</button></td>
                            </tr>
                        }) }
                        </tbody>
                    </table>
                    <button type="button" class="small" onclick={add_row}>{ "Add attribute" }</button>
                }
            } else {
                <label for="item" class="label">{ "Item" }</label>
                <p class="hint" id="item-hint">
                    { "DynamoDB JSON. The key is " }<code>{ key_names.join(", ") }</code>{ ". Ctrl+Enter puts it." }
                </p>
                <textarea id="item" class="item-input" rows="4" spellcheck="false" autocapitalize="off" autocomplete="off"
                    aria-describedby="item-hint item-error" aria-invalid={invalid.to_string()}
                    oninput={set_field(|f, v| f.item = v)} onkeydown={on_keydown} value={form.item.clone()} />
            }
            <div class="actions">
                <button type="button" class="primary" onclick={write(WriteOp::Put)}>{ "Put item" }</button>
                <button type="button" onclick={write(WriteOp::Update)}>{ "Update item" }</button>
                <button type="button" onclick={write(WriteOp::Delete)}>{ "Delete item" }</button>
                <button type="button" class="quiet" disabled={busy} onclick={burst}
                    title="1,000 new generated voters, 25 per BatchWriteItem, written in slices between frames">{ "Write 1,000 votes" }</button>
                <button type="button" class="quiet" disabled={busy} onclick={burst10k}
                    title="10,000 new generated voters, 25 per BatchWriteItem, written in slices between frames">{ "Write 10,000 votes" }</button>
            </div>
            <p class="status" id="item-status" role="status">{ status }</p>
            <div id="item-error" class="error-region" role="alert">{ error }</div>
            <fieldset class="expr-set">
            <legend>{ "Expressions" }</legend>
            <p class="hint">{ "Update item applies the update expression to the item with the key above; Delete item deletes that key. A condition applies to all three writes." }</p>
            <div class="expr">
                <label class="field">
                    <span>{ "Update expression" }</span>
                    <input type="text" spellcheck="false" placeholder="SET choice = :c" value={form.update_expression.clone()}
                        oninput={set_field(|f, v| f.update_expression = v)} />
                </label>
                <label class="field">
                    <span>{ "Condition expression" }</span>
                    <input type="text" spellcheck="false" placeholder="attribute_exists(voter)" value={form.condition_expression.clone()}
                        oninput={set_field(|f, v| f.condition_expression = v)} />
                </label>
                <label class="field">
                    <span>{ "Expression attribute names" }</span>
                    <input type="text" spellcheck="false" placeholder={r##"{"#c": "choice"}"##} value={form.names.clone()}
                        oninput={set_field(|f, v| f.names = v)} />
                </label>
                <label class="field">
                    <span>{ "Expression attribute values" }</span>
                    <input type="text" spellcheck="false" placeholder={r#"{":c": {"S": "lambda"}}"#} value={form.values.clone()}
                        oninput={set_field(|f, v| f.values = v)} />
                </label>
            </div>
            </fieldset>
            <details class="ttl">
                <summary>{ match &ttl_attr { Some(a) => format!("Time to live: on, attribute {a}"), None => "Time to live: off".to_string() } }</summary>
                <p class="hint">{ format!("Simulated now is {now_s} in epoch seconds. An item whose TTL attribute (a number of epoch seconds) is in the past is deleted by the TTL service within minutes; its REMOVE record says so. Try \"+1 h\" after putting one with {}: {{\"N\": \"{}\"}}.",
                    ttl_attr.clone().unwrap_or_else(|| (*ttl).clone()), now_s + 60) }</p>
                if ttl_attr.is_none() {
                    <form class="actions" onsubmit={enable_ttl}>
                        <label class="inline"><span>{ "TTL attribute" }</span>
                            <input type="text" spellcheck="false" value={(*ttl).clone()} oninput={on_ttl} /></label>
                        <button type="submit">{ "Enable TTL" }</button>
                    </form>
                }
            </details>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ItemGridProps {
    table: String,
    /// The items shown (compared by value: the grid re-renders only when one of them, or
    /// which ones are shown, changes; not on every write elsewhere in the table).
    items: Vec<Rc<Item>>,
    key_names: Vec<String>,
    on_edit: Callback<String>,
}

/// The grid of items: key columns first, then other attributes (at most COLUMNS).
#[component]
fn ItemGrid(props: &ItemGridProps) -> Html {
    let items: Vec<Value> = props.items.iter().map(|i| item_to_json(i)).collect();
    let mut columns = props.key_names.clone();
    for item in &items {
        for k in item.as_object().into_iter().flat_map(|o| o.keys()) {
            if columns.len() < COLUMNS && !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let grid_rows = items.iter().map(|item| {
        let text = format!("{item:#}");
        let onclick = props.on_edit.reform(move |_: MouseEvent| text.clone());
        let key = props.key_names.iter().map(|k| cell_text(&item[k])).collect::<Vec<_>>().join(" / ");
        html! {
            <tr>
                { for columns.iter().map(|c| html! {
                    <td>{ item.get(c).map(cell_text).unwrap_or_default() }</td>
                }) }
                <td><button type="button" class="small" {onclick} aria-label={format!("Edit {key}")}>{ "Edit" }</button></td>
            </tr>
        }
    });
    html! {
        <table>
            <caption class="visually-hidden">{ format!("Items of {}", props.table) }</caption>
            <thead><tr>
                { for columns.iter().map(|c| html! { <th scope="col">{ c }</th> }) }
                <th scope="col"><span class="visually-hidden">{ "Edit" }</span></th>
            </tr></thead>
            <tbody>{ for grid_rows }</tbody>
        </table>
    }
}
