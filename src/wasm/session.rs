//! The `Session` class, and the reading of its JavaScript arguments (banks, settings, item ids,
//! chosen options) with messages that name the method and the parameter.

use std::sync::Arc;

use js_sys::{Array, JSON, Reflect};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::bank::WasmBank;
use super::convert::{Limits, elements, json_from_js, length};
use super::profile::WasmProfile;
use super::{at, describe, js_error, js_message, to_js};
use crate::error::Error;
use crate::session::SessionConfig;

/// More chosen options than this cannot be an answer to any item.
const MAX_CHOSEN: u32 = 256;

#[wasm_bindgen]
extern "C" {
    /// Whatever JavaScript passed where a `Bank` belongs.
    type BankArgument;

    /// A handle on the bank that leaves the caller's `Bank` object usable; throws (caught)
    /// when the value is not a `Bank`.
    #[wasm_bindgen(method, catch, js_name = __skillcatShare)]
    fn share(this: &BankArgument) -> Result<WasmBank, JsValue>;

    /// Whatever JavaScript passed where a `Profile` belongs.
    type ProfileArgument;

    /// A handle on the profile; throws (caught) when the value is not a `Profile`.
    #[wasm_bindgen(method, catch, js_name = __skillcatProfile)]
    fn share(this: &ProfileArgument) -> Result<WasmProfile, JsValue>;
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
    /// `profile` (a `Profile`) makes the test joint: its correlations among these banks become
    /// the session's `correlations` (and so are kept in its saved state).
    ///
    /// ```ts
    /// const session = new Session([bank], { mode: "practice", seed: 7, stop: { maxItems: 20, se: 0.3 } });
    /// const joint = new Session(banks, { profile, order: "adaptive", stop: { levelCertainty: 0.8 } });
    /// ```
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Bank[]")] banks: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SessionConfig")] config: JsValue,
    ) -> Result<WasmSession, JsError> {
        let banks = banks_from_js(&banks).map_err(js_error)?;
        let config = config_from_js(&config, &banks).map_err(js_error)?;
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
        let value = json_from_js(&parsed, Limits::SETTINGS)
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

/// The banks of a `Bank[]` argument, cloned out of their shared handles.
fn banks_from_js(banks: &JsValue) -> Result<Vec<Arc<crate::Bank>>, Error> {
    let bad = |message: String| Error::InvalidConfig(message);
    if !Array::is_array(banks) {
        return Err(bad(format!(
            "banks: expected an array of Bank objects, found {}",
            describe(banks)
        )));
    }
    let elements = elements(banks).map_err(|e| bad(format!("banks: {e}")))?;
    // Loops rather than `collect::<Result<…>>()` here and below: the same code, smaller.
    let mut list = Vec::with_capacity(elements.len());
    for (i, value) in elements.iter().enumerate() {
        let handle = value.unchecked_ref::<BankArgument>().share().map_err(|_| {
            bad(format!(
                "banks[{i}]: expected a Bank (from Bank.fromJson), found {}",
                describe(value)
            ))
        })?;
        list.push(handle.bank);
    }
    Ok(list)
}

/// The session settings from an optional plain object; `undefined` and `null` mean defaults. A
/// `profile` (a `Profile`) becomes the correlations among `banks`.
fn config_from_js(config: &JsValue, banks: &[Arc<crate::Bank>]) -> Result<SessionConfig, Error> {
    if config.is_undefined() || config.is_null() {
        return Ok(SessionConfig::default());
    }
    let mut value = json_from_js(config, Limits::SETTINGS)
        .map_err(|(path, message)| Error::InvalidConfig(at(&path, &message)))?;
    let profile = if config.is_object() && !Array::is_array(config) {
        Reflect::get(config, &JsValue::from_str("profile")).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    };
    if let Value::Object(map) = &mut value {
        map.remove("profile");
    }
    if profile.is_undefined() || profile.is_null() {
        return SessionConfig::from_value(&value);
    }
    let handle = profile
        .unchecked_ref::<ProfileArgument>()
        .share()
        .map_err(|_| {
            Error::InvalidConfig(format!(
                "profile: expected a Profile (from Profile.fromJson), found {}",
                describe(&profile)
            ))
        })?;
    if value.get("correlations").is_some_and(|c| !c.is_null()) {
        return Err(Error::InvalidConfig(
            "profile: give a profile or correlations, not both".into(),
        ));
    }
    let mut config = SessionConfig::from_value(&value)?;
    let ids: Vec<&str> = banks.iter().map(|bank| bank.id.as_str()).collect();
    config.correlations = Some(handle.profile.correlations_for(&ids));
    Ok(config)
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
    let mut chosen = Vec::with_capacity(elements.len());
    for (i, value) in elements.iter().enumerate() {
        match value.as_f64() {
            Some(x) if x.fract() == 0.0 && x >= 0.0 && x <= u32::MAX as f64 => {
                chosen.push(x as usize);
            }
            _ => {
                return Err(bad(format!(
                    "options[{i}] must be a whole number from 0, found {}",
                    describe(value)
                )));
            }
        }
    }
    Ok(chosen)
}
