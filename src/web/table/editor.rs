//! The item editor's inputs: the item as DynamoDB JSON, the same item as a form of attribute
//! rows ([`AttrRows`], which keeps its rows), and the expressions of an update or a condition.

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use crate::teach::lab::WriteForm;
use crate::teach::view::{rows_from_json, rows_to_json, AttrRow, ATTRIBUTE_TYPES};

/// The text of the input or textarea an event came from.
fn typed(e: &InputEvent) -> Option<String> {
    e.target_dyn_into::<HtmlTextAreaElement>()
        .map(|t| t.value())
        .or_else(|| e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()))
}

/// The item as DynamoDB JSON; `keys`: the table's key attributes, for the hint. Ctrl+Enter
/// (`on_put_key`) puts it.
pub fn json_input(
    item: &str,
    keys: &str,
    invalid: bool,
    on_item: Callback<String>,
    on_put_key: Callback<KeyboardEvent>,
) -> Html {
    let oninput = Callback::from(move |e: InputEvent| {
        if let Some(v) = typed(&e) {
            on_item.emit(v);
        }
    });
    html! {
        <>
            <label for="item" class="label">{ "Item" }</label>
            <p class="hint" id="item-hint">
                { "DynamoDB JSON. The key is " }<code>{ keys }</code>{ ". Ctrl+Enter puts it." }
            </p>
            <textarea id="item" class="item-input" rows="4" spellcheck="false" autocapitalize="off" autocomplete="off"
                aria-describedby="item-hint item-error" aria-invalid={invalid.to_string()}
                {oninput} onkeydown={on_put_key} value={item.to_string()} />
        </>
    }
}

/// A change of the form's rows.
enum RowEdit {
    /// Row, field (0 name, 1 type, 2 value), new text.
    Set(usize, u8, String),
    Remove(usize),
    Add,
}

#[derive(Properties, PartialEq)]
pub struct AttrRowsProps {
    /// The item when the rows were made (given a new `key`, the rows are read again).
    pub item: String,
    /// The item's JSON after each change of a row.
    pub on_item: Callback<String>,
}

/// The item as a form of attribute rows (name, type, value), read from its JSON when shown;
/// each change rewrites the JSON. JSON the form cannot show is said instead.
#[component]
pub fn AttrRows(props: &AttrRowsProps) -> Html {
    let rows = use_state(|| rows_from_json(&props.item));
    let shown = match &*rows {
        Ok(r) => r,
        Err(e) => return html! { <p class="error-inline">{ e }</p> },
    };
    let change = {
        let (rows, on_item) = (rows.clone(), props.on_item.clone());
        Callback::from(move |edit: RowEdit| {
            let Ok(mut next) = (*rows).clone() else { return };
            match edit {
                RowEdit::Set(i, field, value) => {
                    if let Some(r) = next.get_mut(i) {
                        match field {
                            0 => r.name = value,
                            1 => r.ty = value,
                            _ => r.value = value,
                        }
                    }
                }
                RowEdit::Remove(i) => {
                    if i < next.len() {
                        next.remove(i);
                    }
                }
                RowEdit::Add => {
                    next.push(AttrRow { name: format!("attr{}", next.len() + 1), ty: "S".into(), value: String::new() })
                }
            }
            on_item.emit(rows_to_json(&next));
            rows.set(Ok(next));
        })
    };
    // Field 0 is the name, 1 the type, 2 the value.
    let edit = |i: usize, field: u8| {
        change.reform(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()))
                .unwrap_or_default();
            RowEdit::Set(i, field, value)
        })
    };
    let remove = |i: usize| change.reform(move |_: MouseEvent| RowEdit::Remove(i));
    let add = change.reform(|_: MouseEvent| RowEdit::Add);

    html! {
        <>
            <table class="attr-rows">
                <caption class="visually-hidden">{ "Attributes" }</caption>
                <thead><tr><th scope="col">{ "Attribute name" }</th><th scope="col">{ "Type" }</th><th scope="col">{ "Value" }</th><th scope="col"><span class="visually-hidden">{ "Remove" }</span></th></tr></thead>
                <tbody>
                { for shown.iter().enumerate().map(|(i, r)| html! {
                    <tr>
                        <td><input type="text" aria-label={format!("Attribute {} name", i + 1)} value={r.name.clone()} onchange={edit(i, 0)} /></td>
                        <td><select aria-label={format!("Attribute {} type", i + 1)} onchange={edit(i, 1)}>
                            { for ATTRIBUTE_TYPES.iter().map(|t| html! { <option value={*t} selected={r.ty == *t}>{ *t }</option> }) }
                        </select></td>
                        <td><input type="text" aria-label={format!("Attribute {} value", i + 1)} value={r.value.clone()} onchange={edit(i, 2)} /></td>
                        <td><button type="button" class="small" aria-label={format!("Remove attribute {}", i + 1)} onclick={remove(i)}>{ "✕" }</button></td>
                    </tr>
                }) }
                </tbody>
            </table>
            <button type="button" class="small" onclick={add}>{ "Add attribute" }</button>
        </>
    }
}

/// A change of one of the form's texts: which one, and its new text.
pub type FieldEdit = (fn(&mut WriteForm, String), String);

/// The update and condition expressions, with their names and values.
pub fn expressions(form: &WriteForm, on_field: &Callback<FieldEdit>) -> Html {
    let field = |label: &'static str, placeholder: &'static str, value: &str, set: fn(&mut WriteForm, String)| {
        let on_field = on_field.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            if let Some(v) = typed(&e) {
                on_field.emit((set, v));
            }
        });
        html! {
            <label class="field">
                <span>{ label }</span>
                <input type="text" spellcheck="false" {placeholder} value={value.to_string()} {oninput} />
            </label>
        }
    };
    html! {
        <fieldset class="expr-set">
        <legend>{ "Expressions" }</legend>
        <p class="hint">{ "Update item applies the update expression to the item with the key above; Delete item deletes that key. A condition applies to all three writes." }</p>
        <div class="expr">
            { field("Update expression", "SET choice = :c", &form.update_expression, |f, v| f.update_expression = v) }
            { field("Condition expression", "attribute_exists(voter)", &form.condition_expression, |f, v| f.condition_expression = v) }
            { field("Expression attribute names", r##"{"#c": "choice"}"##, &form.names, |f, v| f.names = v) }
            { field("Expression attribute values", r#"{":c": {"S": "lambda"}}"#, &form.values, |f, v| f.values = v) }
        </div>
        </fieldset>
    }
}
