//! Saved sessions: a versioned JSON document holding the config, the banks' identities and the
//! answers. Restoring replays the answers through a fresh session (same seed, same draws) and
//! checks that every replayed item is the one that was saved, so a corrupted or edited state
//! is reported, never silently accepted, and never panics.
//!
//! The JSON is read and written through `crate::json` (not through the serde derives, which
//! stay for Rust callers), with the same text and the same messages.

mod config;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Session, SessionConfig};
use crate::bank::Bank;
use crate::error::{Error, Result};
use crate::json::read::{self, Read, Shape};
use crate::json::{JsonWriter, ToJson, to_json};

/// The value of the `format` field for this version of saved sessions.
///
/// Version 2 added joint sessions: the settings `correlations`, `order: "adaptive"` and
/// `stop.levelCertainty`. A session that uses none of them is still written as version 1
/// ([`SESSION_FORMAT_1`]), so that an engine from before version 2 (a page cached in a browser,
/// an LMS package not yet updated) can still restore it; both versions restore here.
pub const SESSION_FORMAT: &str = "skillcat-session/2";

/// Saved sessions without joint-session settings (see [`SESSION_FORMAT`]).
pub const SESSION_FORMAT_1: &str = "skillcat-session/1";

/// A saved session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedState {
    /// [`SESSION_FORMAT`], or [`SESSION_FORMAT_1`] when the config uses nothing of version 2.
    pub format: String,
    pub config: SessionConfig,
    /// The banks the session ran on, in domain order.
    pub banks: Vec<SavedBank>,
    /// Every response, in the order given.
    pub responses: Vec<SavedResponse>,
    /// The item shown and not yet answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<String>,
}

/// Which bank a session ran on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedBank {
    pub id: String,
    pub version: String,
    /// A hash of everything in the bank that affects item selection and scoring (see
    /// [`fingerprint`]), so a bank edited without a version bump is still caught.
    pub fingerprint: String,
}

/// One response: the chosen options, or a score recorded from elsewhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedResponse {
    pub item: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Vec<usize>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correct: Option<bool>,
}

impl Session {
    /// The session as a saved state.
    pub fn save(&self) -> SavedState {
        let joint = self.config.correlations.is_some()
            || self.config.order == super::DomainOrder::Adaptive
            || self.config.stop.level_certainty.is_some();
        let format = if joint {
            SESSION_FORMAT
        } else {
            SESSION_FORMAT_1
        };
        SavedState {
            format: format.to_string(),
            config: self.config.clone(),
            banks: self
                .banks
                .iter()
                .map(|bank| SavedBank {
                    id: bank.id.clone(),
                    version: bank.version.clone(),
                    fingerprint: fingerprint(bank),
                })
                .collect(),
            responses: self
                .administered
                .iter()
                .map(|a| SavedResponse {
                    item: self.bank_item(a.item).id.clone(),
                    correct: a.chosen.is_none().then_some(a.correct),
                    answer: a.chosen.clone(),
                })
                .collect(),
            pending: self
                .pending_item()
                .map(|item| self.bank_item(item).id.clone()),
        }
    }

    /// The session as compact JSON text (what `serde_json::to_string` gives for
    /// [`Session::save`]).
    pub fn save_json(&self) -> String {
        to_json(&self.save())
    }

    /// Restores a session from JSON text made by [`Session::save_json`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidState`] naming the field: not JSON, another format, other banks or bank
    /// versions, or responses that do not replay.
    pub fn restore_json<B: Into<Arc<Bank>>>(banks: Vec<B>, text: &str) -> Result<Session> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::InvalidState(format!("not valid JSON: {e}")))?;
        Session::restore_value(banks, value)
    }

    /// Restores a session from an already-parsed JSON value (what JavaScript's `JSON.parse`
    /// gives), with the same messages as [`Session::restore_json`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidState`] naming the field.
    pub fn restore_value<B: Into<Arc<Bank>>>(banks: Vec<B>, value: Value) -> Result<Session> {
        let state = saved_state(&value).map_err(|e| {
            Error::InvalidState(format!("does not match the saved-session format: {e}"))
        })?;
        Session::restore(banks, state)
    }

    /// Restores a session by replaying its responses against `banks`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidState`] naming the field.
    pub fn restore<B: Into<Arc<Bank>>>(banks: Vec<B>, state: SavedState) -> Result<Session> {
        let banks: Vec<Arc<Bank>> = banks.into_iter().map(Into::into).collect();
        let bad = |message: String| Err(Error::InvalidState(message));
        if state.format != SESSION_FORMAT && state.format != SESSION_FORMAT_1 {
            return bad(format!(
                "format: expected `{SESSION_FORMAT}` or `{SESSION_FORMAT_1}`, found `{}`",
                state.format
            ));
        }
        if state.banks.len() != banks.len() {
            return bad(format!(
                "banks: saved with {} bank(s) ({}), restored with {} ({})",
                state.banks.len(),
                list(state.banks.iter().map(|b| b.id.as_str())),
                banks.len(),
                list(banks.iter().map(|b| b.id.as_str())),
            ));
        }
        for (i, (saved, bank)) in state.banks.iter().zip(&banks).enumerate() {
            if saved.id != bank.id {
                return bad(format!(
                    "banks[{i}]: saved with bank `{}`, restored with `{}`",
                    saved.id, bank.id
                ));
            }
            if saved.version != bank.version {
                return bad(format!(
                    "banks[{i}]: saved with `{}` version `{}`, but the bank is now version `{}`",
                    saved.id, saved.version, bank.version
                ));
            }
            if saved.fingerprint != fingerprint(bank) {
                return bad(format!(
                    "banks[{i}]: `{}` version `{}` has changed since the session was saved \
                     (fingerprint {} ≠ {})",
                    saved.id,
                    saved.version,
                    saved.fingerprint,
                    fingerprint(bank)
                ));
            }
        }
        let mut session = Session::new(banks, state.config).map_err(|e| match e {
            Error::InvalidConfig(message) => Error::InvalidState(format!("config: {message}")),
            other => other,
        })?;
        for (i, response) in state.responses.iter().enumerate() {
            let Some(shown) = session.next_item() else {
                return bad(format!(
                    "responses[{i}]: the test was already finished before `{}`",
                    response.item
                ));
            };
            if shown.id != response.item {
                return bad(format!(
                    "responses[{i}].item: `{}` is not the item this session showed at that \
                     point (`{}`)",
                    response.item, shown.id
                ));
            }
            let replayed = match (&response.answer, response.correct) {
                (Some(answer), None) => session.answer(&response.item, answer).map(|_| ()),
                (None, Some(correct)) => session.record_score(&response.item, correct),
                _ => {
                    return bad(format!(
                        "responses[{i}]: needs exactly one of `answer` and `correct`"
                    ));
                }
            };
            if let Err(e) = replayed {
                return bad(format!("responses[{i}].answer: {e}"));
            }
        }
        if let Some(pending) = &state.pending {
            match session.next_item() {
                Some(shown) if &shown.id == pending => {}
                Some(shown) => {
                    return bad(format!(
                        "pending: `{pending}` is not the item this session shows next (`{}`)",
                        shown.id
                    ));
                }
                None => return bad(format!("pending: `{pending}` but the test is finished")),
            }
        }
        Ok(session)
    }
}

const SAVED_STATE: Shape = Shape {
    name: "struct SavedState",
    fields: &["format", "config", "banks", "responses", "pending"],
    required: 4,
};
const SAVED_BANK: Shape = Shape {
    name: "struct SavedBank",
    fields: &["id", "version", "fingerprint"],
    required: 3,
};
const SAVED_RESPONSE: Shape = Shape {
    name: "struct SavedResponse",
    fields: &["item", "answer", "correct"],
    required: 1,
};

/// A saved state from JSON, as `SavedState`'s serde `Deserialize` reads it, with its messages.
fn saved_state(value: &Value) -> Read<SavedState> {
    let mut state = SavedState {
        format: String::new(),
        config: SessionConfig::default(),
        banks: Vec::new(),
        responses: Vec::new(),
        pending: None,
    };
    let fields = read::fields(value, &SAVED_STATE)?;
    for &(field, value) in &fields.present {
        // By position in `SAVED_STATE.fields`.
        match field {
            0 => state.format = read::string(value)?,
            1 => state.config = config::config(value)?,
            2 => state.banks = read::list(value, saved_bank)?,
            3 => state.responses = read::list(value, saved_response)?,
            _ => state.pending = read::option(value, read::string)?,
        }
    }
    fields.then?;
    Ok(state)
}

fn saved_bank(value: &Value) -> Read<SavedBank> {
    let mut bank = SavedBank {
        id: String::new(),
        version: String::new(),
        fingerprint: String::new(),
    };
    let fields = read::fields(value, &SAVED_BANK)?;
    for &(field, value) in &fields.present {
        let text = read::string(value)?;
        // By position in `SAVED_BANK.fields`.
        match field {
            0 => bank.id = text,
            1 => bank.version = text,
            _ => bank.fingerprint = text,
        }
    }
    fields.then?;
    Ok(bank)
}

fn saved_response(value: &Value) -> Read<SavedResponse> {
    let mut response = SavedResponse {
        item: String::new(),
        answer: None,
        correct: None,
    };
    let fields = read::fields(value, &SAVED_RESPONSE)?;
    for &(field, value) in &fields.present {
        // By position in `SAVED_RESPONSE.fields`.
        match field {
            0 => response.item = read::string(value)?,
            1 => response.answer = read::option(value, |v| read::list(v, read::usize))?,
            _ => response.correct = read::option(value, read::bool)?,
        }
    }
    fields.then?;
    Ok(response)
}

impl ToJson for SavedState {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("format", &self.format);
        out.field("config", &self.config);
        out.field("banks", &self.banks);
        out.field("responses", &self.responses);
        out.optional_field("pending", &self.pending);
        out.end_object();
    }
}

impl ToJson for SavedBank {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("id", &self.id);
        out.field("version", &self.version);
        out.field("fingerprint", &self.fingerprint);
        out.end_object();
    }
}

impl ToJson for SavedResponse {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("item", &self.item);
        out.optional_field("answer", &self.answer);
        out.optional_field("correct", &self.correct);
        out.end_object();
    }
}

fn list<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    ids.collect::<Vec<_>>().join(", ")
}

/// A 64-bit FNV-1a hash, as 16 hex digits, of what in a bank decides selection and scoring:
/// topics and weights, and per item its id, topic, type, option count, key, status, enemies,
/// parameters and exposure. Wording fixes do not change it; anything that would make a replay
/// diverge does.
///
/// # Formula
///
/// FNV-1a: h ← (h ⊕ byte) · 0x100000001b3, from h = 0xcbf29ce484222325
/// (Fowler, Noll, Vo; IETF draft-eastlake-fnv).
pub fn fingerprint(bank: &Bank) -> String {
    let mut h = Fnv::new();
    h.str(&bank.id);
    for topic in &bank.topics {
        h.str(&topic.id);
        h.f64(topic.weight.unwrap_or(1.0));
    }
    for item in &bank.items {
        h.str(&item.id);
        h.str(&item.topic);
        h.u64(item.kind as u64);
        h.u64(item.options.len() as u64);
        h.u64(item.key.len() as u64);
        for &k in &item.key {
            h.u64(k as u64);
        }
        h.u64(item.status as u64);
        h.u64(item.enemies.len() as u64);
        for enemy in &item.enemies {
            h.str(enemy);
        }
        let p = item.params();
        for value in [p.a, p.b, p.c, p.d, item.exposure.unwrap_or(1.0)] {
            h.f64(value);
        }
    }
    format!("{:016x}", h.0)
}

struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn u64(&mut self, value: u64) {
        self.bytes(&value.to_le_bytes());
    }
    fn f64(&mut self, value: f64) {
        self.u64(value.to_bits());
    }
    fn str(&mut self, value: &str) {
        self.u64(value.len() as u64);
        self.bytes(value.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::read::single_changes;
    use serde_json::json;

    fn state() -> SavedState {
        SavedState {
            format: SESSION_FORMAT.to_string(),
            config: SessionConfig {
                seed: 11,
                ..Default::default()
            },
            banks: vec![SavedBank {
                id: "sample".to_string(),
                version: "2025.1".to_string(),
                fingerprint: "00ff00ff00ff00ff".to_string(),
            }],
            responses: vec![
                SavedResponse {
                    item: "basics-01".to_string(),
                    answer: Some(vec![2, 0]),
                    correct: None,
                },
                SavedResponse {
                    item: "basics-02".to_string(),
                    answer: None,
                    correct: Some(false),
                },
            ],
            pending: Some("basics-\"03\"".to_string()),
        }
    }

    #[test]
    fn saved_states_are_written_as_serde_writes_them() {
        let mut state = state();
        assert_eq!(to_json(&state), serde_json::to_string(&state).unwrap());
        state.pending = None;
        state.responses.clear();
        assert_eq!(to_json(&state), serde_json::to_string(&state).unwrap());
    }

    #[test]
    fn saved_states_with_one_change_read_as_serde_reads_them() {
        let full = serde_json::to_value(state()).unwrap();
        let mut values = single_changes(&full);
        values.extend([
            json!(["skillcat-session/1", {}, [], []]),
            json!(["skillcat-session/1", {}, [], [], null, 1]),
            json!(["skillcat-session/1", {}]),
            json!({ "format": "f", "config": {}, "banks": [["a", "1"]], "responses": [] }),
            json!({ "format": "f", "config": {}, "banks": [], "responses": [["i", [1], true, 0]] }),
        ]);
        assert!(values.len() > 400, "only {} variants", values.len());
        for value in values {
            let ours = saved_state(&value);
            let serde = SavedState::deserialize(&value).map_err(|e| e.to_string());
            assert_eq!(ours, serde, "{value}");
        }
    }
}
