//! The JavaScript boundary, and the only module that uses `wasm_bindgen`: the classes `Bank`
//! (`bank`), `Profile` (`profile`) and `Session` (`session`) as JavaScript sees them, and their
//! TypeScript shapes (`typescript`).
//!
//! - Input arrives as plain JavaScript values (what `JSON.parse` or `fetch(…).json()` gives) and
//!   becomes a [`serde_json::Value`] (`convert`), so the engine validates it with exactly the
//!   code and messages it uses natively. No JSON parser is compiled in: saved sessions are read
//!   with the host's `JSON.parse`.
//! - Output is written as JSON text exactly as natively (`crate::json`, which matches
//!   serde_json's text for the types' serde derives) and handed over through `JSON.parse`:
//!   plain objects and arrays, `null` for absent options.
//! - Every fallible call throws a JavaScript `Error` whose message is the native `Display`
//!   text, made in one place, `js_error`. Nothing here panics on input, so no call traps and
//!   a session stays usable after an error.
//!
//! Size: the `.wasm` carries no serde (de)serialiser and no `std` float formatting; see
//! `crate::json` and `crate::error`.

// The one module with unsafe code (a global allocator): see the crate root.
#[allow(unsafe_code)]
mod allocator;
mod bank;
mod convert;
mod profile;
mod session;
mod typescript;

use std::fmt::Display;

use js_sys::{Array, JSON, Reflect};
use wasm_bindgen::prelude::*;

use crate::error::display_float;
use crate::json::{ToJson, to_json};

pub use bank::WasmBank;
pub use profile::WasmProfile;
pub use session::WasmSession;

/// The one place a Rust error becomes a JavaScript `Error`: its message is the error's
/// `Display` text, so JavaScript sees exactly the native message.
fn js_error(error: impl Display) -> JsError {
    JsError::new(&error.to_string())
}

/// Engine output as plain JavaScript data: written as JSON text exactly as natively, then
/// `JSON.parse`d, so JavaScript sees what the native JSON says (`null` for an absent option,
/// and for a non-finite number).
fn to_js<T: ToJson + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    // The text is always valid JSON; a failure is passed on all the same rather than trapping.
    JSON::parse(&to_json(value)).map_err(|thrown| js_error(js_message(&thrown)))
}

/// `path: message`, or the message alone at the top level.
fn at(path: &str, message: &str) -> String {
    if path.is_empty() {
        message.to_string()
    } else {
        format!("{path}: {message}")
    }
}

/// The message of a thrown JavaScript value (an `Error`'s `message`, or the value as text).
fn js_message(thrown: &JsValue) -> String {
    if let Ok(message) = Reflect::get(thrown, &JsValue::from_str("message")) {
        if let Some(message) = message.as_string() {
            return message;
        }
    }
    describe(thrown)
}

/// A short description of a JavaScript value for messages: `null`, `undefined`, a number, a
/// quoted string, or its type.
fn describe(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_string()
    } else if value.is_undefined() {
        "undefined".to_string()
    } else if let Some(s) = value.as_string() {
        format!("{s:?}")
    } else if let Some(x) = value.as_f64() {
        display_float(x)
    } else if let Some(b) = value.as_bool() {
        b.to_string()
    } else if Array::is_array(value) {
        "an array".to_string()
    } else {
        value
            .js_typeof()
            .as_string()
            .map_or_else(|| "a value".to_string(), |t| format!("a value of type {t}"))
    }
}
