//! The few text primitives the host provides. Natively they are Rust's own; in the browser
//! (wasm32) they are the browser's built-ins, so the page does not carry a second copy of the
//! same Unicode tables (about 10 KB of the compressed wasm for case mapping alone).
//!
//! Both sides implement the same Unicode algorithm: `str::to_lowercase` and JavaScript's
//! `String.prototype.toLowerCase` are both Unicode's default full lowercase mapping
//! (SpecialCasing's unconditional mappings, final sigma by context, no locale). The browser
//! tests (`tests/web.rs`) check that they agree on the cases where lowercase mappings differ
//! from a character-by-character table. The engine only calls what is here; it has no other
//! web dependency.

/// Unicode's default lowercase mapping of `s` (as `str::to_lowercase`).
#[cfg(not(target_arch = "wasm32"))]
pub fn to_lowercase(s: &str) -> String {
    s.to_lowercase()
}

/// Unicode's default lowercase mapping of `s`, by the browser (`String.prototype.toLowerCase`).
#[cfg(target_arch = "wasm32")]
pub fn to_lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    js_sys::JsString::from(s).to_lower_case().into()
}
