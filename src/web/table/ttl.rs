//! Time to live: whether it is on, what it does, and the attribute to enable it with.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::teach::view::TableView;

/// The TTL settings. `typed`: the attribute in the field (state of the table panel).
pub fn ttl_settings(v: &TableView, typed: &UseStateHandle<String>, on_enable: &Callback<String>) -> Html {
    let on_ttl = {
        let ttl = typed.setter();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                ttl.set(i.value());
            }
        })
    };
    let enable = {
        let ttl = typed.clone();
        on_enable.reform(move |e: SubmitEvent| {
            e.prevent_default();
            (*ttl).clone()
        })
    };
    html! {
        <details class="ttl">
            <summary>{ v.ttl_summary() }</summary>
            <p class="hint">{ v.ttl_hint(typed) }</p>
            if v.ttl_attribute.is_none() {
                <form class="actions" onsubmit={enable}>
                    <label class="inline"><span>{ "TTL attribute" }</span>
                        <input type="text" spellcheck="false" value={(**typed).clone()} oninput={on_ttl} /></label>
                    <button type="submit">{ "Enable TTL" }</button>
                </form>
            }
        </details>
    }
}
