//! Small browser helpers: CSSOM sizes (allowed by the CSP, unlike style attributes), a file
//! download through a Blob URL, and the clipboard.

use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlElement, Url};

/// Sets one CSS property through the CSSOM (`element.style.setProperty`).
pub fn set_style(el: &HtmlElement, property: &str, value: &str) {
    let _ = el.style().set_property(property, value);
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, text: &str, mime: &str) -> Result<(), String> {
    let blob = Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&text.into()), &blob_options(mime))
        .map_err(|_| "the browser could not make the file")?;
    download_blob(name, &blob)
}

/// Offers `bytes` as a file download named `name` (the export's archive).
pub fn download_bytes(name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &blob_options(mime))
        .map_err(|_| "the browser could not make the file")?;
    download_blob(name, &blob)
}

fn blob_options(mime: &str) -> BlobPropertyBag {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    options
}

/// Downloads `blob` through a Blob URL and a hidden link.
fn download_blob(name: &str, blob: &Blob) -> Result<(), String> {
    let url = Url::create_object_url_with_blob(blob).map_err(|_| "the browser could not make a link to the file")?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: HtmlAnchorElement = document.create_element("a").map_err(|_| "no link")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.set_hidden(true);
    let body = document.body().ok_or("no body")?;
    let _ = body.append_child(&a);
    a.click();
    let _ = body.remove_child(&a);
    // Revoke later: the download has started by then.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
