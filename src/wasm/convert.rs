//! Plain JavaScript data (what `JSON.parse` or `fetch(…).json()` gives) as a
//! [`serde_json::Value`], so that banks, settings and saved sessions are read by exactly the
//! code and messages used natively, and no JSON parser is compiled in.

use js_sys::{Array, JsString, Reflect};
use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::*;

use super::js_message;

/// The deepest nesting accepted from JavaScript: serde_json's own recursion limit, so a cyclic
/// or absurdly deep object is an error instead of a stack overflow.
const MAX_DEPTH: usize = 128;

/// How much one input may hold, by what it is: enough for any real input of that kind, and
/// little enough that an absurd one (a huge sparse array, an object graph that expands
/// exponentially) is an error naming the place rather than an out-of-memory trap.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// Values of any kind.
    values: usize,
    /// Characters of text (UTF-16 code units).
    text: usize,
}

impl Limits {
    /// Settings and saved sessions (and the least any bank gets): a million values and 64 Mi
    /// characters (a saved session of a hundred answers has a few hundred values).
    pub(super) const SETTINGS: Limits = Limits {
        values: 1_000_000,
        text: 64 << 20,
    };

    /// What a bank may take per item: 100 values and 4,000 characters, several times what an
    /// item with ten options, feedback, references and tags has (an item of the benchmark has
    /// 24 values, a realistic one about 60 values and 700 characters).
    const PER_ITEM: Limits = Limits {
        values: 100,
        text: 4_000,
    };

    /// The most any bank may take: 15 million values and 512 Mi characters, so that its
    /// conversion stays near 2 GB, within the 4 GB a WebAssembly memory can have (100,000
    /// benchmark items, 2.4 million values, take about 350 MB while they load).
    const LARGEST: Limits = Limits {
        values: 15_000_000,
        text: 512 << 20,
    };

    /// The limits of a bank: [`Limits::PER_ITEM`] times the length of its `items` array,
    /// between [`Limits::SETTINGS`] and [`Limits::LARGEST`]. So a bank of any size that fits
    /// in memory loads, while an object that only looks like a bank (a two-element `items`
    /// that expands into billions of values) is refused as soon as it passes a million.
    pub(super) fn bank(json: &JsValue) -> Limits {
        // The length of `items`, whatever it is (0 when it has none); the walk checks its type.
        let items = Reflect::get(json, &JsValue::from_str("items"))
            .ok()
            .and_then(|items| length(&items).ok())
            .map_or(0, |n| n as usize);
        let scaled = |per_item: usize, least: usize, most: usize| {
            items.saturating_mul(per_item).clamp(least, most)
        };
        Limits {
            values: scaled(
                Self::PER_ITEM.values,
                Self::SETTINGS.values,
                Self::LARGEST.values,
            ),
            text: scaled(Self::PER_ITEM.text, Self::SETTINGS.text, Self::LARGEST.text),
        }
    }

    fn too_many_values(&self) -> String {
        format!("too large: more than {} values", self.values)
    }
}

/// Converts plain JavaScript data to JSON as `JSON.stringify` would see it: `undefined`,
/// functions and symbols are left out of objects (and are `null` in arrays), non-finite numbers
/// are `null`. Whole numbers up to 2^53 become integers, as `JSON.parse` gives them.
///
/// # Errors
///
/// The JSON path and what is wrong, for a `BigInt`, a throwing getter or proxy, nesting deeper
/// than [`MAX_DEPTH`] (which also catches cycles), or more values or characters than `limits`
/// allow (so a pathological object is an error, not an out-of-memory trap).
pub(super) fn json_from_js(value: &JsValue, limits: Limits) -> Result<Value, (String, String)> {
    Converter {
        limits,
        values: 0,
        text: 0,
    }
    .convert(value, 0)
    .map_err(|failure| {
        // Written out rather than `concat`, whose generic code costs the `.wasm` 1 KB. A path
        // deeper than `SHOWN_DEPTH` (nesting past the limit, a cycle) shows its first levels
        // and how many more, not `[0]` a hundred times.
        let mut path = String::new();
        let depth = failure.path.len();
        for segment in failure.path.iter().rev().take(SHOWN_DEPTH) {
            path.push_str(segment);
        }
        if depth > SHOWN_DEPTH {
            path.push_str(&format!("… ({} levels deeper)", depth - SHOWN_DEPTH));
        }
        (path, failure.message)
    })
}

/// The most levels of a failure's path that messages show.
const SHOWN_DEPTH: usize = 8;

/// How much one [`json_from_js`] walk has taken in.
struct Converter {
    limits: Limits,
    values: usize,
    text: usize,
}

/// Why a conversion failed, and where: the path's segments (`items`, `[3]`, `.key`) from the
/// innermost outwards, added as the failure leaves each level, so that a walk that succeeds
/// never builds a path.
struct Failure {
    path: Vec<String>,
    message: String,
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure {
            path: Vec::new(),
            message,
        }
    }
}

impl Converter {
    /// `value`, found `depth` levels below the root.
    fn convert(&mut self, value: &JsValue, depth: usize) -> Result<Value, Failure> {
        self.values += 1;
        if self.values > self.limits.values {
            return Err(self.limits.too_many_values().into());
        }
        if let Some(b) = value.as_bool() {
            return Ok(Value::Bool(b));
        }
        if let Some(x) = value.as_f64() {
            return Ok(number(x));
        }
        if let Some(s) = value.dyn_ref::<JsString>() {
            self.text += s.length() as usize;
            if self.text > self.limits.text {
                let limit = self.limits.text;
                return Err(format!("too large: more than {limit} characters of text").into());
            }
            return Ok(Value::String(String::from(s)));
        }
        if value.is_bigint() {
            return Err("a BigInt is not JSON data; use a number".to_string().into());
        }
        if value.is_null() || !value.is_object() {
            // undefined, functions and symbols, where JSON has no value for them.
            return Ok(Value::Null);
        }
        if depth >= MAX_DEPTH {
            return Err(
                format!("nested more than {MAX_DEPTH} levels deep (or contains itself)").into(),
            );
        }
        if Array::is_array(value) {
            let length = length(value)?;
            if length as usize > self.limits.values - self.values {
                return Err(self.limits.too_many_values().into());
            }
            let mut out = Vec::new();
            for i in 0..length {
                let element = match Reflect::get_u32(value, i) {
                    Ok(element) => self.convert(&element, depth + 1),
                    Err(thrown) => Err(js_message(&thrown).into()),
                };
                out.push(element.map_err(|failure| failure.within(format!("[{i}]")))?);
            }
            return Ok(Value::Array(out));
        }
        let keys = Reflect::own_keys(value).map_err(|e| js_message(&e))?;
        let mut out = Map::new();
        for key in keys.iter() {
            let Some(name) = key.as_string() else {
                continue; // a symbol key
            };
            let field = match Reflect::get(value, &key) {
                Ok(field) if field.is_undefined() || field.is_function() || field.is_symbol() => {
                    continue;
                }
                Ok(field) => self.convert(&field, depth + 1),
                Err(thrown) => Err(js_message(&thrown).into()),
            };
            let field = field.map_err(|failure| {
                failure.within(if depth == 0 {
                    name.clone()
                } else {
                    format!(".{name}")
                })
            })?;
            out.insert(name, field);
        }
        Ok(Value::Object(out))
    }
}

impl Failure {
    /// The failure seen from one level up, through `segment`.
    fn within(mut self, segment: String) -> Failure {
        self.path.push(segment);
        self
    }
}

/// A JavaScript number as JSON: an integer when it is a safe whole number.
fn number(x: f64) -> Value {
    /// 2^53 − 1, JavaScript's `Number.MAX_SAFE_INTEGER`.
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    if x.fract() == 0.0 && x.abs() <= MAX_SAFE {
        Value::Number(Number::from(x as i64))
    } else {
        Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

/// The length of a JavaScript array, read through `Reflect` so that a throwing proxy is an
/// error here rather than an exception unwinding through the WebAssembly frames.
pub(super) fn length(array: &JsValue) -> Result<u32, String> {
    let length = Reflect::get(array, &JsValue::from_str("length")).map_err(|e| js_message(&e))?;
    Ok(length.as_f64().map_or(0, |n| n as u32))
}

/// The elements of a JavaScript array (of a sensible length), read as [`length`] is.
pub(super) fn elements(array: &JsValue) -> Result<Vec<JsValue>, String> {
    let length = length(array)?;
    if length as usize > Limits::SETTINGS.values {
        return Err(Limits::SETTINGS.too_many_values());
    }
    let mut elements = Vec::with_capacity(length as usize);
    for i in 0..length {
        elements.push(Reflect::get_u32(array, i).map_err(|e| js_message(&e))?);
    }
    Ok(elements)
}
