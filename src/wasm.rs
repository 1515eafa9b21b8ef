//! The JavaScript boundary, and the only module that uses `wasm_bindgen`: the classes `Bank` and
//! `Session` as JavaScript sees them.
//!
//! - Input arrives as plain JavaScript values (what `JSON.parse` or `fetch(…).json()` gives) and
//!   becomes a [`serde_json::Value`] through [`json_from_js`], so the engine validates it with
//!   exactly the code and messages it uses natively. No JSON parser is compiled in: saved
//!   sessions are read with the host's `JSON.parse`.
//! - Output is serialised to JSON text by serde_json, exactly as natively, and handed over
//!   through `JSON.parse`: plain objects and arrays, `null` for absent options.
//! - Every fallible call throws a JavaScript `Error` whose message is the native `Display`
//!   text, made in one place, [`js_error`]. Nothing here panics on input, so no call traps and
//!   a session stays usable after an error.

use std::fmt::Display;
use std::rc::Rc;

use js_sys::{Array, JSON, JsString, Reflect};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::*;

use crate::error::{Error, Problem};
use crate::session::SessionConfig;

/// Source name of a bank loaded without one.
const DEFAULT_SOURCE: &str = "bank";

/// The deepest nesting accepted from JavaScript: serde_json's own recursion limit, so a cyclic
/// or absurdly deep object is an error instead of a stack overflow.
const MAX_DEPTH: usize = 128;

/// The most values (of any kind) accepted in one bank, config or saved state; a bundled bank
/// has about 2 000.
const MAX_VALUES: usize = 1_000_000;

/// The most characters of text (UTF-16 code units) accepted in one bank, config or saved state;
/// a bundled bank has about 110 000.
const MAX_TEXT: usize = 64 << 20;

/// More chosen options than this cannot be an answer to any item.
const MAX_CHOSEN: u32 = 256;

#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &str = r#"
/** A bank file (format `skillcat-bank/1`) as `JSON.parse` gives it; see `quizbanks/schema.json`. */
export interface BankJson {
  $schema?: string;
  format: "skillcat-bank/1";
  id: string;
  title: string;
  description: string;
  version: string;
  /** A BCP 47 language tag. */
  language: string;
  topics: Topic[];
  /** Proficiency levels from lowest to highest. */
  levels: Level[];
  items: ItemJson[];
}

export interface Topic { id: string; title: string; weight?: number }

export interface Level { name: string; description?: string; min_theta?: number }

export type ItemType = "single" | "multiple" | "true_false";

export interface Reference { citation: string; url?: string }

/** An item as written in a bank file. */
export interface ItemJson {
  id: string;
  topic: string;
  type: ItemType;
  stem: string;
  options: { text: string; feedback?: string }[];
  /** Zero-based indices of the correct options. */
  key: number[];
  explanation?: string;
  references?: Reference[];
  status?: "draft" | "pretest" | "active" | "retired";
  enemies?: string[];
  difficulty?: "easy" | "medium" | "hard";
  irt?: { model: "1PL" | "2PL" | "3PL" | "4PL"; a?: number; b: number; c?: number; d?: number };
  exposure?: number;
  tags?: string[];
}

/** Session settings; every field is optional and defaults as documented in the README. */
export interface SessionConfig {
  /** `practice` (default) gives feedback after each answer; `assessment` reveals nothing until the end. */
  mode?: "practice" | "assessment";
  /** Seeds every random choice (a whole number up to 2^53 − 1). */
  seed?: number;
  stop?: StopRule;
  selection?: SelectionConfig;
  estimator?: EstimatorConfig;
  order?: "roundRobin" | "blocked";
  /** At most this many pretest items per domain (default 2). */
  pretestItems?: number;
}

/** When a domain stops (defaults: maxItems 20, minItems 5, se 0.3, no cut, confidence 0.95). */
export interface StopRule {
  maxItems?: number;
  minItems?: number;
  /** `null` turns the precision rule off. */
  se?: number | null;
  cut?: number | null;
  confidence?: number;
}

export interface SelectionConfig {
  criterion?: "maxInfo" | "kullbackLeibler" | "random";
  randomesque?: number;
  sympsonHetter?: boolean;
  contentBalancing?: boolean;
}

export interface EstimatorConfig {
  method?: "eap" | "map" | "mle" | "wle";
  priorMean?: number;
  priorSd?: number;
  gridPoints?: number;
  minTheta?: number;
  maxTheta?: number;
}

/** An item as shown: never its key, feedback or explanation. */
export interface ItemView {
  id: string;
  /** The bank id. */
  domain: string;
  topic: string;
  type: ItemType;
  /** Markdown subset, to be rendered as inert text. */
  stem: string;
  options: { text: string }[];
  /** One-based position in the test. */
  position: number;
  /** The most items the test can have from here. */
  maxLength: number;
}

/** The result of an answer; in assessment mode only `item`, `recorded`, `finished` and `chosen`. */
export interface Feedback {
  item: string;
  recorded: boolean;
  finished: boolean;
  correct?: boolean;
  key?: number[];
  chosen: number[];
  optionFeedback?: (string | null)[];
  explanation?: string;
  references?: Reference[];
}

export interface DomainEstimate {
  domain: string;
  theta: number;
  se: number;
  level: string | null;
  /** Scored items answered. */
  answered: number;
}

export type StopReason = "maxItems" | "precision" | "classified" | "poolExhausted";

export interface Report {
  finished: boolean;
  domains: DomainReport[];
  review: ReviewEntry[];
}

export interface DomainReport {
  domain: string;
  title: string;
  theta: number;
  se: number;
  /** The 95% interval theta ± 1.96·se. */
  interval: [number, number];
  level: string | null;
  levels: { name: string; minTheta: number | null }[];
  answered: number;
  correct: number;
  shareCorrect: number;
  stopReason: StopReason | null;
  topics: TopicReport[];
}

export interface TopicReport {
  topic: string;
  title: string;
  answered: number;
  correct: number;
  expected: number;
  z: number;
  verdict: "strength" | "gap" | "asExpected" | "tooFewItems";
}

export interface ReviewEntry {
  item: string;
  domain: string;
  topic: string;
  type: ItemType;
  stem: string;
  options: string[];
  chosen: number[] | null;
  correct?: boolean;
  scored: boolean;
  key?: number[];
  optionFeedback?: (string | null)[];
  explanation?: string;
  references?: Reference[];
}

/** One step of the test: candidates, random draws, response and estimate. */
export interface Step {
  index: number;
  domain: string;
  item: string;
  pretest: boolean;
  thetaBefore: number;
  topic?: string;
  eligible: number;
  candidates: { item: string; value: number }[];
  draws: Draw[];
  response?: number[];
  correct?: boolean;
  estimate?: { theta: number; se: number };
}

export type Draw =
  | { kind: "randomesque"; u: number; among: number; chosen: number }
  | { kind: "sympsonHetter"; item: string; u: number; k: number; administered: boolean }
  | { kind: "pretest"; u: number; chance: number; among: number; chosen: number };
"#;

/// A validated question bank: one competency domain.
#[wasm_bindgen(js_name = Bank)]
pub struct WasmBank {
    /// Shared with the handles [`WasmBank::share`] gives sessions, so passing a bank to a
    /// session never uses up the JavaScript object.
    bank: Rc<crate::Bank>,
}

#[wasm_bindgen(js_class = Bank)]
impl WasmBank {
    /// Validates a parsed bank file. `source` names the bank in messages (default `"bank"`);
    /// pass the file name.
    ///
    /// Throws an `Error` listing every problem, each with the source, the item and the field.
    ///
    /// ```ts
    /// const response = await fetch("quizbanks/cybersecurity.json");
    /// const bank = Bank.fromJson(await response.json(), "cybersecurity.json");
    /// console.log(bank.title, bank.itemCount);
    /// ```
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "BankJson")] json: JsValue,
        source: Option<String>,
    ) -> Result<WasmBank, JsError> {
        let source = source.as_deref().unwrap_or(DEFAULT_SOURCE);
        let value = json_from_js(&json).map_err(|(path, message)| {
            js_error(Error::InvalidBank(vec![Problem {
                source: source.to_string(),
                path,
                message,
            }]))
        })?;
        let bank = crate::Bank::from_value(source, &value).map_err(js_error)?;
        Ok(WasmBank {
            bank: Rc::new(bank),
        })
    }

    /// The domain's id, such as `cybersecurity`.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.bank.id.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn title(&self) -> String {
        self.bank.title.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn description(&self) -> String {
        self.bank.description.clone()
    }

    /// The author's version; saved sessions are tied to it.
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.bank.version.clone()
    }

    /// A BCP 47 language tag.
    #[wasm_bindgen(getter)]
    pub fn language(&self) -> String {
        self.bank.language.clone()
    }

    #[wasm_bindgen(getter, unchecked_return_type = "Topic[]")]
    pub fn topics(&self) -> Result<JsValue, JsError> {
        to_js(&self.bank.topics)
    }

    /// Proficiency levels from lowest to highest.
    #[wasm_bindgen(getter, unchecked_return_type = "Level[]")]
    pub fn levels(&self) -> Result<JsValue, JsError> {
        to_js(&self.bank.levels)
    }

    /// Every item in the file, whatever its status.
    #[wasm_bindgen(getter, js_name = itemCount)]
    pub fn item_count(&self) -> usize {
        self.bank.items.len()
    }

    /// A second handle on the same bank, for [`WasmSession`] to take (internal).
    #[wasm_bindgen(js_name = __skillcatShare, skip_typescript)]
    pub fn share(&self) -> WasmBank {
        WasmBank {
            bank: Rc::clone(&self.bank),
        }
    }
}

#[wasm_bindgen]
extern "C" {
    /// Whatever JavaScript passed where a `Bank` belongs.
    type BankArgument;

    /// A handle on the bank that leaves the caller's `Bank` object usable; throws (caught)
    /// when the value is not a `Bank`.
    #[wasm_bindgen(method, catch, js_name = __skillcatShare)]
    fn share(this: &BankArgument) -> Result<WasmBank, JsValue>;
}

/// An adaptive test over one or several banks.
#[wasm_bindgen(js_name = Session)]
pub struct WasmSession {
    session: crate::Session,
}

#[wasm_bindgen(js_class = Session)]
impl WasmSession {
    /// Starts a test. The banks stay usable (for another session or a restore).
    ///
    /// Throws an `Error` for a bad setting (`invalid config: stop.maxItems: must be at least 1`),
    /// an unknown setting, no banks, or the same bank twice.
    ///
    /// ```ts
    /// const session = new Session([bank], { mode: "practice", seed: 7, stop: { maxItems: 20, se: 0.3 } });
    /// ```
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Bank[]")] banks: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SessionConfig")] config: JsValue,
    ) -> Result<WasmSession, JsError> {
        let banks = banks_from_js(&banks).map_err(js_error)?;
        let config = config_from_js(&config).map_err(js_error)?;
        let session = crate::Session::new(banks, config).map_err(js_error)?;
        Ok(WasmSession { session })
    }

    /// The item to show now, or `null` when the test is finished. Calling it again before
    /// answering returns the same item.
    ///
    /// ```ts
    /// for (let item = session.next(); item; item = session.next()) {
    ///   const feedback = session.answer(item.id, [0]);
    /// }
    /// ```
    #[wasm_bindgen(js_name = next, unchecked_return_type = "ItemView | null")]
    pub fn next_item(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.session.next_item())
    }

    /// Scores the chosen options (zero-based) of the current item. In practice mode the
    /// feedback has the correctness, the key, per-option feedback and the explanation.
    ///
    /// Throws an `Error` when `itemId` is not the current item or the choice is not a valid
    /// answer for it; the session is unchanged and stays usable.
    ///
    /// ```ts
    /// const feedback = session.answer(item.id, [2]);
    /// if (feedback.correct === false) show(feedback.explanation);
    /// ```
    #[wasm_bindgen(unchecked_return_type = "Feedback")]
    pub fn answer(
        &mut self,
        #[wasm_bindgen(js_name = itemId, unchecked_param_type = "string")] item_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[]")] options: JsValue,
    ) -> Result<JsValue, JsError> {
        let item_id = string_from_js("answer", "itemId", &item_id).map_err(js_error)?;
        let chosen = options_from_js(&item_id, &options).map_err(js_error)?;
        let feedback = self.session.answer(&item_id, &chosen).map_err(js_error)?;
        to_js(&feedback)
    }

    /// Records a response to the current item that was scored elsewhere (a simulation, or
    /// scoring on a server).
    ///
    /// ```ts
    /// session.recordScore(item.id, true);
    /// ```
    #[wasm_bindgen(js_name = recordScore)]
    pub fn record_score(
        &mut self,
        #[wasm_bindgen(js_name = itemId, unchecked_param_type = "string")] item_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "boolean")] correct: JsValue,
    ) -> Result<(), JsError> {
        let item_id = string_from_js("recordScore", "itemId", &item_id).map_err(js_error)?;
        let Some(correct) = correct.as_bool() else {
            return Err(js_error(Error::InvalidCall(format!(
                "recordScore: `correct` must be true or false, found {}",
                describe(&correct)
            ))));
        };
        self.session
            .record_score(&item_id, correct)
            .map_err(js_error)
    }

    /// The current estimate of every domain, in bank order.
    ///
    /// ```ts
    /// for (const { domain, theta, se, level } of session.estimates()) console.log(domain, level);
    /// ```
    #[wasm_bindgen(unchecked_return_type = "DomainEstimate[]")]
    pub fn estimates(&self) -> Result<JsValue, JsError> {
        to_js(&self.session.estimates())
    }

    /// Per domain: theta, SE, 95% interval, level and topic strengths and gaps; and the review
    /// of every item (keys only in practice mode or once an assessment is finished).
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn report(&self) -> Result<JsValue, JsError> {
        to_js(&self.session.report())
    }

    /// Every step so far: candidates, random draws, response and estimate.
    #[wasm_bindgen(unchecked_return_type = "Step[]")]
    pub fn log(&self) -> Result<JsValue, JsError> {
        to_js(self.session.log())
    }

    /// The session as JSON text (the config and the answers), for `localStorage` or an LMS;
    /// the same text the native `Session::save_json` gives.
    ///
    /// ```ts
    /// localStorage.setItem("skillcat", session.save());
    /// ```
    pub fn save(&self) -> String {
        self.session.save_json()
    }

    /// Continues a saved session: replays its answers against `banks` and checks every item.
    ///
    /// Throws an `Error` naming the field when the text is not a saved session, the banks or
    /// their versions differ, or the answers do not replay.
    ///
    /// ```ts
    /// const saved = localStorage.getItem("skillcat");
    /// const session = saved ? Session.restore([bank], saved) : new Session([bank], config);
    /// ```
    pub fn restore(
        #[wasm_bindgen(unchecked_param_type = "Bank[]")] banks: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] saved: JsValue,
    ) -> Result<WasmSession, JsError> {
        let banks = banks_from_js(&banks).map_err(js_error)?;
        let Some(text) = saved.as_string() else {
            return Err(js_error(Error::InvalidState(format!(
                "expected the text that save() returned, found {}",
                describe(&saved)
            ))));
        };
        let parsed = JSON::parse(&text).map_err(|e| {
            js_error(Error::InvalidState(format!(
                "not valid JSON: {}",
                js_message(&e)
            )))
        })?;
        let value = json_from_js(&parsed)
            .map_err(|(path, message)| js_error(Error::InvalidState(at(&path, &message))))?;
        let session = crate::Session::restore_value(banks, value).map_err(js_error)?;
        Ok(WasmSession { session })
    }

    /// Whether every domain has stopped.
    #[wasm_bindgen(getter, js_name = isFinished)]
    pub fn is_finished(&self) -> bool {
        self.session.is_finished()
    }

    /// Items answered so far (scored and pretest).
    #[wasm_bindgen(getter)]
    pub fn answered(&self) -> usize {
        self.session.answered()
    }

    /// The most items the test can have: answered + the remaining maximum of every unfinished
    /// domain.
    #[wasm_bindgen(getter, js_name = maxLength)]
    pub fn max_length(&self) -> usize {
        self.session.max_length()
    }
}

/// The one place a Rust error becomes a JavaScript `Error`: its message is the error's
/// `Display` text, so JavaScript sees exactly the native message.
fn js_error(error: impl Display) -> JsError {
    JsError::new(&error.to_string())
}

/// Engine output as plain JavaScript data: serialised to JSON text exactly as natively, then
/// `JSON.parse`d, so JavaScript sees what the native JSON says (`null` for an absent option,
/// and for a non-finite number).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    // Neither step can fail for the engine's types (string keys only, finite JSON text); the
    // errors are passed on all the same rather than trapping.
    let text = serde_json::to_string(value).map_err(js_error)?;
    JSON::parse(&text).map_err(|thrown| js_error(js_message(&thrown)))
}

/// The banks of a `Bank[]` argument, cloned out of their shared handles.
fn banks_from_js(banks: &JsValue) -> Result<Vec<crate::Bank>, Error> {
    let bad = |message: String| Error::InvalidConfig(message);
    if !Array::is_array(banks) {
        return Err(bad(format!(
            "banks: expected an array of Bank objects, found {}",
            describe(banks)
        )));
    }
    let elements = elements(banks).map_err(|e| bad(format!("banks: {e}")))?;
    elements
        .iter()
        .enumerate()
        .map(|(i, value)| {
            let handle = value.unchecked_ref::<BankArgument>().share().map_err(|_| {
                bad(format!(
                    "banks[{i}]: expected a Bank (from Bank.fromJson), found {}",
                    describe(value)
                ))
            })?;
            Ok(Rc::unwrap_or_clone(handle.bank))
        })
        .collect()
}

/// The session settings from an optional plain object; `undefined` and `null` mean defaults.
fn config_from_js(config: &JsValue) -> Result<SessionConfig, Error> {
    if config.is_undefined() || config.is_null() {
        return Ok(SessionConfig::default());
    }
    let value = json_from_js(config)
        .map_err(|(path, message)| Error::InvalidConfig(at(&path, &message)))?;
    // From `&Value`, as banks are, so the wasm carries one copy of serde_json's deserializer.
    SessionConfig::deserialize(&value).map_err(|e| Error::InvalidConfig(e.to_string()))
}

/// A string argument, or an error naming the method and the parameter.
fn string_from_js(method: &str, name: &str, value: &JsValue) -> Result<String, Error> {
    value.as_string().ok_or_else(|| {
        Error::InvalidCall(format!(
            "{method}: `{name}` must be a string, found {}",
            describe(value)
        ))
    })
}

/// The chosen options: an array of whole numbers. Range and duplicates are checked by the
/// engine, with its messages.
fn options_from_js(item_id: &str, options: &JsValue) -> Result<Vec<usize>, Error> {
    let bad = |what: String| Error::InvalidCall(format!("answer to `{item_id}`: {what}"));
    if !Array::is_array(options) {
        return Err(bad(format!(
            "options must be an array of option indices, found {}",
            describe(options)
        )));
    }
    let length = length(options).map_err(|e| bad(format!("options: {e}")))?;
    if length > MAX_CHOSEN {
        return Err(bad(format!(
            "{length} options chosen, more than any item has"
        )));
    }
    let elements = elements(options).map_err(|e| bad(format!("options: {e}")))?;
    elements
        .iter()
        .enumerate()
        .map(|(i, value)| match value.as_f64() {
            Some(x) if x.fract() == 0.0 && x >= 0.0 && x <= u32::MAX as f64 => Ok(x as usize),
            _ => Err(bad(format!(
                "options[{i}] must be a whole number from 0, found {}",
                describe(value)
            ))),
        })
        .collect()
}

/// The length of a JavaScript array, read through `Reflect` so that a throwing proxy is an
/// error here rather than an exception unwinding through the WebAssembly frames.
fn length(array: &JsValue) -> Result<u32, String> {
    let length = Reflect::get(array, &JsValue::from_str("length")).map_err(|e| js_message(&e))?;
    Ok(length.as_f64().map_or(0, |n| n as u32))
}

/// The elements of a JavaScript array (of a sensible length), read as [`length`] is.
fn elements(array: &JsValue) -> Result<Vec<JsValue>, String> {
    let length = length(array)?;
    if length as usize > MAX_VALUES {
        return Err(format!("too large: more than {MAX_VALUES} values"));
    }
    (0..length)
        .map(|i| Reflect::get_u32(array, i).map_err(|e| js_message(&e)))
        .collect()
}

/// Converts plain JavaScript data to JSON as `JSON.stringify` would see it: `undefined`,
/// functions and symbols are left out of objects (and are `null` in arrays), non-finite numbers
/// are `null`. Whole numbers up to 2^53 become integers, as `JSON.parse` gives them.
///
/// # Errors
///
/// The JSON path and what is wrong, for a `BigInt`, a throwing getter or proxy, nesting deeper
/// than [`MAX_DEPTH`] (which also catches cycles), or more than [`MAX_VALUES`] values or
/// [`MAX_TEXT`] characters (so a pathological object is an error, not an out-of-memory trap).
fn json_from_js(value: &JsValue) -> Result<Value, (String, String)> {
    let mut converter = Converter::default();
    converter
        .convert(value)
        .map_err(|message| (converter.path.concat(), message))
}

/// The state of one [`json_from_js`] walk: where it is and how much it has taken in.
#[derive(Default)]
struct Converter {
    /// Path segments from the root: `items`, `[3]`, `.key`.
    path: Vec<String>,
    values: usize,
    text: usize,
}

impl Converter {
    fn convert(&mut self, value: &JsValue) -> Result<Value, String> {
        self.values += 1;
        if self.values > MAX_VALUES {
            return Err(format!("too large: more than {MAX_VALUES} values"));
        }
        if let Some(b) = value.as_bool() {
            return Ok(Value::Bool(b));
        }
        if let Some(x) = value.as_f64() {
            return Ok(number(x));
        }
        if let Some(s) = value.dyn_ref::<JsString>() {
            self.text += s.length() as usize;
            if self.text > MAX_TEXT {
                return Err(format!(
                    "too large: more than {MAX_TEXT} characters of text"
                ));
            }
            return Ok(Value::String(String::from(s)));
        }
        if value.is_bigint() {
            return Err("a BigInt is not JSON data; use a number".to_string());
        }
        if value.is_null() || !value.is_object() {
            // undefined, functions and symbols, where JSON has no value for them.
            return Ok(Value::Null);
        }
        if self.path.len() >= MAX_DEPTH {
            return Err(format!(
                "nested more than {MAX_DEPTH} levels deep (or contains itself)"
            ));
        }
        if Array::is_array(value) {
            let length = length(value)?;
            if length as usize > MAX_VALUES - self.values {
                return Err(format!("too large: more than {MAX_VALUES} values"));
            }
            let mut out = Vec::new();
            for i in 0..length {
                self.path.push(format!("[{i}]"));
                let element = Reflect::get_u32(value, i).map_err(|e| js_message(&e))?;
                out.push(self.convert(&element)?);
                self.path.pop();
            }
            return Ok(Value::Array(out));
        }
        let keys = Reflect::own_keys(value).map_err(|e| js_message(&e))?;
        let mut out = Map::new();
        for key in keys.iter() {
            let Some(name) = key.as_string() else {
                continue; // a symbol key
            };
            let segment = if self.path.is_empty() {
                name.clone()
            } else {
                format!(".{name}")
            };
            self.path.push(segment);
            let field = Reflect::get(value, &key).map_err(|e| js_message(&e))?;
            if !(field.is_undefined() || field.is_function() || field.is_symbol()) {
                out.insert(name, self.convert(&field)?);
            }
            self.path.pop();
        }
        Ok(Value::Object(out))
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
        format!("{x}")
    } else if let Some(b) = value.as_bool() {
        format!("{b}")
    } else if Array::is_array(value) {
        "an array".to_string()
    } else {
        value
            .js_typeof()
            .as_string()
            .map_or_else(|| "a value".to_string(), |t| format!("a value of type {t}"))
    }
}
