//! The "new version" notice: a new build of the site was installed by the service worker while
//! this page was open (www/boot.js says so with the `streamlab-update` event, or
//! `data-update="ready"` on `<html>` when it happened before the app started). Its button asks
//! boot.js (the `streamlab-reload` event) to activate the new version and reload. The lab is
//! saved in localStorage after every change; an exam in its submit step, or files in the
//! Author view, are not, which the notice says. Not shown in an LMS (a reload would end the
//! SCORM session).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

fn announced() -> bool {
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
    root.and_then(|r| r.get_attribute("data-update")).as_deref() == Some("ready")
}

#[component]
pub fn UpdateNotice() -> Html {
    // None: nothing to say; Some(false): said; Some(true): dismissed ("Not now").
    let state = use_state(|| announced().then_some(false));
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || {
                if state.is_none() {
                    state.set(Some(false));
                }
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("streamlab-update", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = window {
                    let _ =
                        w.remove_event_listener_with_callback("streamlab-update", listener.as_ref().unchecked_ref());
                }
            }
        });
    }
    // In an LMS, a reload would end the SCORM session (LMSFinish), after which SCORM 1.2
    // allows no report: the new version waits for the next launch.
    if *state != Some(false) || crate::web::scorm::active() {
        return Html::default();
    }
    let reload = Callback::from(|_: MouseEvent| {
        if let (Some(w), Ok(e)) = (web_sys::window(), web_sys::Event::new("streamlab-reload")) {
            let _ = w.dispatch_event(&e);
        }
    });
    let later = Callback::from(move |_: MouseEvent| state.set(Some(true)));
    html! {
        <div class="update-notice" role="status">
            <p>{ "A new version of StreamLab is ready. Reloading keeps your saved lab; finish an exam or export your checked files first." }</p>
            <button type="button" onclick={reload}>{ "Reload to update" }</button>
            <button type="button" class="quiet" onclick={later}>{ "Not now" }</button>
        </div>
    }
}
