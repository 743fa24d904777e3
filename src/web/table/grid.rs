//! The grid of items: key columns first, then other attributes (`view::grid`).

use std::rc::Rc;

use yew::prelude::*;

use crate::model::Item;
use crate::teach::view;

#[derive(Properties, PartialEq)]
pub struct ItemGridProps {
    pub table: String,
    /// The items shown (compared by value: the grid re-renders only when one of them, or
    /// which ones are shown, changes; not on every write elsewhere in the table).
    pub items: Vec<Rc<Item>>,
    pub key_names: Vec<String>,
    /// An item's JSON, for the editor ("Edit" on its row).
    pub on_edit: Callback<String>,
}

#[component]
pub fn ItemGrid(props: &ItemGridProps) -> Html {
    let grid = view::grid(&props.items, &props.key_names);
    let rows = grid.rows.into_iter().map(|row| {
        let json = row.json;
        let onclick = props.on_edit.reform(move |_: MouseEvent| json.clone());
        html! {
            <tr>
                { for row.cells.into_iter().map(|c| html! { <td>{ c }</td> }) }
                <td><button type="button" class="small" {onclick} aria-label={row.edit_label}>{ "Edit" }</button></td>
            </tr>
        }
    });
    html! {
        <table>
            <caption class="visually-hidden">{ format!("Items of {}", props.table) }</caption>
            <thead><tr>
                { for grid.columns.iter().map(|c| html! { <th scope="col">{ c }</th> }) }
                <th scope="col"><span class="visually-hidden">{ "Edit" }</span></th>
            </tr></thead>
            <tbody>{ for rows }</tbody>
        </table>
    }
}
