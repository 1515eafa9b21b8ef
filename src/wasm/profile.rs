//! The `Profile` class: a validated skill profile (how a family of domains' abilities
//! correlate), as JavaScript holds it, to pass to `new Session(banks, { profile })`.

use std::sync::Arc;

use wasm_bindgen::prelude::*;

use super::convert::{Limits, elements, json_from_js};
use super::{describe, js_error, to_js};
use crate::error::{Error, Problem};

/// Source name of a profile loaded without one.
const DEFAULT_SOURCE: &str = "profile";

/// A validated skill profile.
#[wasm_bindgen(js_name = Profile)]
pub struct WasmProfile {
    /// Shared with the handles sessions take (see [`WasmProfile::share`]).
    pub(super) profile: Arc<crate::Profile>,
}

#[wasm_bindgen(js_class = Profile)]
impl WasmProfile {
    /// Validates a parsed profile file. `source` names it in messages (default `"profile"`);
    /// pass the file name.
    ///
    /// Throws an `Error` listing every problem, each with the source and the field, and for a
    /// correlation the cell and the pair (`correlations[2][5] (cybersecurity, secure-dev): …`).
    ///
    /// ```ts
    /// const profile = Profile.fromJson(await (await fetch("quizbanks/profile.json")).json(), "profile.json");
    /// const session = new Session(banks, { profile, order: "adaptive", stop: { levelCertainty: 0.8 } });
    /// ```
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "ProfileJson")] json: JsValue,
        source: Option<String>,
    ) -> Result<WasmProfile, JsError> {
        let source = source.as_deref().unwrap_or(DEFAULT_SOURCE);
        let value = json_from_js(&json, Limits::SETTINGS).map_err(|(path, message)| {
            js_error(Error::InvalidProfile(vec![Problem::error(
                source, path, message,
            )]))
        })?;
        let profile = crate::Profile::from_value(source, &value).map_err(js_error)?;
        Ok(WasmProfile {
            profile: Arc::new(profile),
        })
    }

    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.profile.id.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn title(&self) -> String {
        self.profile.title.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        self.profile.version.clone()
    }

    /// Where the numbers come from.
    #[wasm_bindgen(getter)]
    pub fn source(&self) -> String {
        self.profile.source.clone()
    }

    /// Bank ids, in the order of the matrix's rows and columns.
    #[wasm_bindgen(getter, unchecked_return_type = "string[]")]
    pub fn domains(&self) -> Result<JsValue, JsError> {
        to_js(&self.profile.domains)
    }

    /// The correlation matrix, row by row.
    #[wasm_bindgen(getter, unchecked_return_type = "number[][]")]
    pub fn correlations(&self) -> Result<JsValue, JsError> {
        to_js(&self.profile.correlations)
    }

    /// The correlations among `domains` (bank ids, in a session's order): the profile's values,
    /// 0 for a domain it does not list, 1 on the diagonal.
    ///
    /// ```ts
    /// profile.correlationsFor(["cloud", "regulation"]); // [[1, 0.55], [0.55, 1]]
    /// ```
    #[wasm_bindgen(js_name = correlationsFor, unchecked_return_type = "number[][]")]
    pub fn correlations_for(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] domains: JsValue,
    ) -> Result<JsValue, JsError> {
        let bad = || {
            js_error(Error::InvalidCall(format!(
                "correlationsFor: `domains` must be an array of bank ids, found {}",
                describe(&domains)
            )))
        };
        if !js_sys::Array::is_array(&domains) {
            return Err(bad());
        }
        let mut ids = Vec::new();
        for element in elements(&domains).map_err(|_| bad())? {
            ids.push(element.as_string().ok_or_else(bad)?);
        }
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        to_js(&self.profile.correlations_for(&ids))
    }

    /// A second handle on the same profile, for a `Session` to take (internal).
    #[wasm_bindgen(js_name = __skillcatProfile, skip_typescript)]
    pub fn share(&self) -> WasmProfile {
        WasmProfile {
            profile: Arc::clone(&self.profile),
        }
    }
}
