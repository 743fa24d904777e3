//! The few text primitives the host provides (lower case; the Alphabetic and Numeric
//! properties, for names in the rule language). Natively they are Rust's own; in the browser
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

/// Unicode's Alphabetic property (as `char::is_alphabetic`): the rule language's names.
#[cfg(not(target_arch = "wasm32"))]
pub fn is_alphabetic(c: char) -> bool {
    c.is_alphabetic()
}

/// Alphabetic or numeric (Nd, Nl, No), as `char::is_alphanumeric`.
#[cfg(not(target_arch = "wasm32"))]
pub fn is_alphanumeric(c: char) -> bool {
    c.is_alphanumeric()
}

/// Unicode's Alphabetic property, by the browser (`/\p{Alphabetic}/u`).
#[cfg(target_arch = "wasm32")]
pub fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    browser::matches(0, c)
}

/// Alphabetic or numeric, by the browser (`/[\p{Alphabetic}\p{N}]/u`).
#[cfg(target_arch = "wasm32")]
pub fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    browser::matches(1, c)
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use js_sys::RegExp;

    thread_local! {
        /// Compiled once per page: `\p{Alphabetic}`, and with `\p{N}`.
        static CLASSES: [RegExp; 2] = [
            RegExp::new("^\\p{Alphabetic}$", "u"),
            RegExp::new("^[\\p{Alphabetic}\\p{N}]$", "u"),
        ];
    }

    pub fn matches(class: usize, c: char) -> bool {
        let mut buf = [0u8; 4];
        let s: &str = c.encode_utf8(&mut buf);
        CLASSES.with(|r| r.get(class).is_some_and(|re| re.test(s)))
    }
}
