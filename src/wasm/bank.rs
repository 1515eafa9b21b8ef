//! The `Bank` class: a validated question bank, as JavaScript holds it.

use std::sync::Arc;

use wasm_bindgen::prelude::*;

use super::convert::{Limits, json_from_js};
use super::{js_error, to_js};
use crate::error::{Error, Problem};

/// Source name of a bank loaded without one.
const DEFAULT_SOURCE: &str = "bank";

/// A validated question bank: one competency domain.
#[wasm_bindgen(js_name = Bank)]
pub struct WasmBank {
    /// Shared with the handles [`WasmBank::share`] gives sessions, and then with the sessions
    /// themselves: passing a bank to a session neither uses up the JavaScript object nor copies
    /// the bank.
    pub(super) bank: Arc<crate::Bank>,
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
        let value = json_from_js(&json, Limits::bank(&json)).map_err(|(path, message)| {
            js_error(Error::InvalidBank(vec![Problem::error(
                source, path, message,
            )]))
        })?;
        let bank = Arc::new(crate::Bank::from_value(source, &value).map_err(js_error)?);
        drop(value);
        // The selection index is built now, once, and shared by the sessions over the bank.
        let banks = std::slice::from_ref(&bank);
        crate::select::ItemIndex::of_banks(&crate::pool::Pool::new(banks), banks);
        Ok(WasmBank { bank })
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

    /// A second handle on the same bank, for a `Session` to take (internal).
    #[wasm_bindgen(js_name = __skillcatShare, skip_typescript)]
    pub fn share(&self) -> WasmBank {
        WasmBank {
            bank: Arc::clone(&self.bank),
        }
    }
}
