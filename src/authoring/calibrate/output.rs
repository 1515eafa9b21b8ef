//! Writing a calibration back into a bank: the recalibrated items' `irt`, and a new version,
//! with everything else in the author's file kept as it was, in its order.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Number;

use super::Calibrated;
use crate::bank::{Bank, Model};
use crate::error::{Error, Problem, Result};

/// Parameters are written with this many decimals: a calibration's standard errors are of
/// the order of 0.05, so more digits would be noise.
const DECIMALS: i32 = 3;

/// The bank text with the calibration applied: each recalibrated item's `irt` replaced by the
/// model and its parameters (1PL: `b`; 2PL: `a`, `b`; 3PL: `a`, `b`, `c`), rounded to three
/// decimals, and `version` advanced by [`next_version`] when any item changed. Every other
/// field, `difficulty` labels included, is kept, and objects keep their members' order (a new
/// `irt` goes after `difficulty`, or after `type`), so the author's diff shows only what the
/// calibration changed. The text is indented like the original (two spaces when it cannot be
/// told) and validated with [`Bank::from_value`] before it is returned.
///
/// `original` must be the text the calibrated bank was read from; `source` names it in errors.
///
/// # Errors
///
/// [`Error::InvalidBank`] when the result fails validation, or `original` is not JSON or does
/// not hold the calibrated items in the same order.
pub fn updated_bank(original: &str, source: &str, calibrated: &Calibrated) -> Result<String> {
    let problem = |path: String, message: String| {
        Error::InvalidBank(vec![Problem {
            source: source.to_string(),
            path,
            message,
        }])
    };
    let mut bank: Json = serde_json::from_str(original)
        .map_err(|e| problem(String::new(), format!("not valid JSON: {e}")))?;
    let Some(Json::Array(items)) = bank.get_mut("items") else {
        return Err(problem(String::new(), "has no `items` array".into()));
    };
    if items.len() != calibrated.items.len() {
        let message = "does not hold the calibrated items (their number differs)";
        return Err(problem("items".into(), message.into()));
    }
    let mut changed = false;
    for (index, (item, result)) in items.iter_mut().zip(&calibrated.items).enumerate() {
        let path = format!("items[{index}] ({:?})", result.id);
        match item.get_mut("id") {
            Some(Json::String(id)) if *id == result.id => {}
            _ => return Err(problem(path, "is not the calibrated item there".into())),
        }
        if !result.estimated {
            continue;
        }
        let p = result.after;
        let name = match calibrated.model {
            Model::OnePl => "1PL",
            Model::TwoPl => "2PL",
            Model::ThreePl => "3PL",
            Model::FourPl => "4PL",
        };
        let mut irt = vec![("model".to_string(), Json::String(name.into()))];
        let mut put = |key: &str, x: f64| irt.push((key.to_string(), number(x)));
        if calibrated.model != Model::OnePl {
            put("a", round(p.a).max(0.001));
        }
        put("b", round(p.b));
        if matches!(calibrated.model, Model::ThreePl | Model::FourPl) {
            put("c", round(p.c).clamp(0.0, 0.499));
        }
        if calibrated.model == Model::FourPl {
            put("d", round(p.d).clamp(0.501, 1.0));
        }
        item.set("irt", Json::Object(irt), &["difficulty", "type"]);
        changed = true;
    }
    if changed {
        let version = match bank.get_mut("version") {
            Some(Json::String(version)) => next_version(version),
            _ => next_version(""),
        };
        bank.set("version", Json::String(version), &[]);
    }
    let value = serde_json::to_value(&bank).map_err(|e| problem(String::new(), e.to_string()))?;
    Bank::from_value(source, &value)?;
    let indent = original
        .lines()
        .nth(1)
        .map(|line| &line[..line.len() - line.trim_start().len()])
        .filter(|indent| !indent.is_empty())
        .unwrap_or("  ");
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(indent.as_bytes());
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    bank.serialize(&mut serializer)
        .map_err(|e| problem(String::new(), e.to_string()))?;
    out.push(b'\n');
    String::from_utf8(out).map_err(|e| problem(String::new(), e.to_string()))
}

/// The version of a recalibrated bank: `+cal.1` appended to the author's version, or the
/// calibration counter advanced when there is one (`2025.2` → `2025.2+cal.1` →
/// `2025.2+cal.2`). Saved sessions are keyed to the version, so none resumes against changed
/// parameters; the author's part stays readable, in the style of semantic-versioning build
/// metadata.
pub fn next_version(version: &str) -> String {
    if let Some((base, count)) = version.rsplit_once("+cal.") {
        if let Ok(n) = count.parse::<u64>() {
            return format!("{base}+cal.{}", n.saturating_add(1));
        }
    }
    format!("{version}+cal.1")
}

fn round(x: f64) -> f64 {
    let scale = 10f64.powi(DECIMALS);
    let rounded = (x * scale).round() / scale;
    if rounded == 0.0 { 0.0 } else { rounded }
}

/// A finite number as JSON (non-finite ones cannot occur here; they become `null`, which the
/// validator then rejects rather than a panic).
fn number(x: f64) -> Json {
    Number::from_f64(x).map_or(Json::Null, Json::Number)
}

/// JSON that keeps the order of object members (`serde_json::Value` sorts them).
#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        match self {
            Json::Object(members) => members.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Sets a member in place, or inserts it after the first of `after` present (else last).
    fn set(&mut self, key: &str, value: Json, after: &[&str]) {
        let Json::Object(members) = self else {
            return;
        };
        if let Some(slot) = members.iter_mut().find(|(k, _)| k == key) {
            slot.1 = value;
            return;
        }
        let at = after
            .iter()
            .find_map(|name| members.iter().position(|(k, _)| k == name))
            .map_or(members.len(), |i| i + 1);
        members.insert(at, (key.to_string(), value));
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
        Ok(number(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::new();
        while let Some(member) = map.next_entry::<String, Json>()? {
            members.push(member);
        }
        Ok(Json::Object(members))
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(n) => n.serialize(serializer),
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_gain_or_advance_a_calibration_counter() {
        assert_eq!(next_version("2025.2"), "2025.2+cal.1");
        assert_eq!(next_version("2025.2+cal.1"), "2025.2+cal.2");
        assert_eq!(next_version("1+cal.x"), "1+cal.x+cal.1");
    }

    #[test]
    fn rounding_keeps_three_decimals_and_no_negative_zero() {
        assert_eq!(round(1.23456), 1.235);
        assert_eq!(round(-0.0001).to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn json_keeps_member_order_numbers_and_text_through_a_round_trip() {
        let text = "{\n \"z\": 1,\n \"a\": [2.5, -3, null, true],\n \"m\": {\"y\": \"é\\n\", \"b\": {}}\n}";
        let json: Json = serde_json::from_str(text).expect("valid");
        let out = serde_json::to_string(&json).expect("serialisable");
        assert_eq!(
            out,
            r#"{"z":1,"a":[2.5,-3,null,true],"m":{"y":"é\n","b":{}}}"#
        );
    }

    #[test]
    fn set_replaces_in_place_or_inserts_after_the_named_member() {
        let mut json: Json =
            serde_json::from_str(r#"{"id":"x","type":"single","stem":"s"}"#).expect("valid");
        json.set("irt", Json::Null, &["difficulty", "type"]);
        json.set("id", Json::Bool(true), &[]);
        let out = serde_json::to_string(&json).expect("serialisable");
        assert_eq!(out, r#"{"id":true,"type":"single","irt":null,"stem":"s"}"#);
    }
}
