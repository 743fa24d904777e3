//! Raw DEFLATE for share links, by the browser (`www/codec.js`: `CompressionStream` and
//! `DecompressionStream`), so the page carries no DEFLATE of its own (`crate::teach::share` explains
//! the link format; natively the same format is `share::pack` / `share::unpack`).

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::teach::share::{self, Packed, MAX_SCENARIO_BYTES};

#[wasm_bindgen(module = "/www/codec.js")]
extern "C" {
    fn deflate(bytes: &[u8]) -> js_sys::Promise;
    fn inflate(bytes: &[u8], limit: f64) -> js_sys::Promise;
}

/// Why this browser cannot do it: it has no raw DEFLATE stream.
fn unsupported() -> String {
    "this browser cannot unpack or pack lab links (it has no DecompressionStream for raw DEFLATE: \
     use a current Chrome, Edge, Firefox or Safari)"
        .to_string()
}

/// Raw DEFLATE of a scenario text.
pub async fn pack(text: &str) -> Result<Vec<u8>, String> {
    match JsFuture::from(deflate(text.as_bytes())).await {
        Ok(v) => Ok(js_sys::Uint8Array::new(&v).to_vec()),
        Err(_) => Err(unsupported()),
    }
}

/// Inflates a link's data, stopping past [`MAX_SCENARIO_BYTES`] with `LinkError::TooBig`, or
/// failing with `LinkError::Damaged` (the same messages as natively).
pub async fn unpack(packed: &Packed) -> Result<Vec<u8>, String> {
    match JsFuture::from(inflate(&packed.0, MAX_SCENARIO_BYTES as f64)).await {
        Ok(v) if v.is_null() => Err(share::LinkError::TooBig.to_string()),
        Ok(v) => Ok(js_sys::Uint8Array::new(&v).to_vec()),
        Err(e) if e.as_string().as_deref() == Some("unsupported") => Err(unsupported()),
        Err(_) => Err(share::LinkError::Damaged.to_string()),
    }
}
