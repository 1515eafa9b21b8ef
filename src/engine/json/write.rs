//! Compact JSON text, as `serde_json::to_string` writes it: no whitespace, fields in the order
//! given, strings escaped as serde_json escapes them, floats in serde_json's shortest form
//! (`1.0`, `0.3`, `1e-7`) and `null` for a non-finite float.
//!
//! Each output type implements [`ToJson`] next to its definition, mirroring its serde
//! attributes (names, `skip_serializing_if`); tests compare the two.

use std::fmt::Write;

use serde_json::Number;

/// A value that can write itself as JSON.
pub(crate) trait ToJson {
    fn write_json(&self, out: &mut JsonWriter);
}

/// `value` as compact JSON text.
pub(crate) fn to_json<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = JsonWriter::default();
    value.write_json(&mut out);
    out.text
}

/// JSON text being written. Objects are written as `begin_object`, then [`field`] calls, then
/// `end_object`; the commas are the writer's business.
///
/// [`field`]: JsonWriter::field
#[derive(Debug, Default)]
pub(crate) struct JsonWriter {
    text: String,
}

impl JsonWriter {
    pub(crate) fn begin_object(&mut self) {
        self.text.push('{');
    }

    pub(crate) fn end_object(&mut self) {
        self.text.push('}');
    }

    /// A field of the object being written: its name, then its value.
    pub(crate) fn field<T: ToJson + ?Sized>(&mut self, name: &str, value: &T) {
        self.key(name);
        value.write_json(self);
    }

    /// A field written only when it has a value (serde's `skip_serializing_if = "Option::is_none"`).
    pub(crate) fn optional_field<T: ToJson>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(name, value);
        }
    }

    /// A field written only when the list is not empty (`skip_serializing_if = "Vec::is_empty"`).
    pub(crate) fn list_field<T: ToJson>(&mut self, name: &str, values: &[T]) {
        if !values.is_empty() {
            self.field(name, values);
        }
    }

    fn key(&mut self, name: &str) {
        if !self.text.ends_with('{') {
            self.text.push(',');
        }
        self.string(name);
        self.text.push(':');
    }

    /// A JSON string literal, escaped as serde_json escapes: `"`, `\`, and the control
    /// characters U+0000 to U+001F (`\b`, `\t`, `\n`, `\f`, `\r`, otherwise `\u00xx`).
    pub(crate) fn string(&mut self, value: &str) {
        self.text.push('"');
        for c in value.chars() {
            match c {
                '"' => self.text.push_str("\\\""),
                '\\' => self.text.push_str("\\\\"),
                '\u{8}' => self.text.push_str("\\b"),
                '\t' => self.text.push_str("\\t"),
                '\n' => self.text.push_str("\\n"),
                '\u{c}' => self.text.push_str("\\f"),
                '\r' => self.text.push_str("\\r"),
                '\0'..='\u{1f}' => {
                    let _ = write!(self.text, "\\u{:04x}", u32::from(c));
                }
                _ => self.text.push(c),
            }
        }
        self.text.push('"');
    }

    /// A float: serde_json's shortest round-trip text, `null` when not finite.
    pub(crate) fn float(&mut self, value: f64) {
        match Number::from_f64(value) {
            Some(number) => {
                let _ = write!(self.text, "{number}");
            }
            None => self.text.push_str("null"),
        }
    }

    pub(crate) fn unsigned(&mut self, value: u64) {
        let _ = write!(self.text, "{value}");
    }

    pub(crate) fn null(&mut self) {
        self.text.push_str("null");
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut JsonWriter) {
        out.string(self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut JsonWriter) {
        out.string(self);
    }
}

impl ToJson for f64 {
    fn write_json(&self, out: &mut JsonWriter) {
        out.float(*self);
    }
}

impl ToJson for usize {
    fn write_json(&self, out: &mut JsonWriter) {
        out.unsigned(*self as u64);
    }
}

impl ToJson for u64 {
    fn write_json(&self, out: &mut JsonWriter) {
        out.unsigned(*self);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut JsonWriter) {
        out.text.push_str(if *self { "true" } else { "false" });
    }
}

/// `null` for `None` (a field without `skip_serializing_if`).
impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut JsonWriter) {
        match self {
            Some(value) => value.write_json(out),
            None => out.null(),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut JsonWriter) {
        out.text.push('[');
        for (i, value) in self.iter().enumerate() {
            if i > 0 {
                out.text.push(',');
            }
            value.write_json(out);
        }
        out.text.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut JsonWriter) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson, const N: usize> ToJson for [T; N] {
    fn write_json(&self, out: &mut JsonWriter) {
        self.as_slice().write_json(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde_json's text for the same value.
    fn serde_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
        serde_json::to_string(value).expect("serialises")
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut every_control: String = (0u8..0x20).map(char::from).collect();
        every_control.push_str("\"\\/\u{7f}\u{80}\u{2028}é😀 plain");
        for text in [
            "",
            "plain",
            "a\"b\\c",
            "tab\there\nnew line",
            every_control.as_str(),
        ] {
            assert_eq!(to_json(text), serde_text(text), "{text:?}");
        }
    }

    #[test]
    fn floats_are_written_as_serde_json_writes_them() {
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.3,
            0.1 + 0.2,
            1e-7,
            1e21,
            123_456_789.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for value in values {
            assert_eq!(to_json(&value), serde_text(&value), "{value}");
        }
    }

    #[test]
    fn collections_and_options_are_written_as_serde_json_writes_them() {
        let nested: Vec<Option<Vec<usize>>> =
            vec![None, Some(vec![]), Some(vec![0, 7, usize::MAX])];
        assert_eq!(to_json(&nested), serde_text(&nested));
        let pair = [1.5, -2.0];
        assert_eq!(to_json(&pair), serde_text(&pair));
        assert_eq!(to_json(&[true, false]), serde_text(&[true, false]));
        assert_eq!(to_json(&u64::MAX), serde_text(&u64::MAX));
    }

    #[test]
    fn objects_put_commas_between_fields_only() {
        struct Shape {
            name: String,
            skipped: Option<f64>,
            present: Option<bool>,
            list: Vec<String>,
        }
        impl ToJson for Shape {
            fn write_json(&self, out: &mut JsonWriter) {
                out.begin_object();
                out.optional_field("skipped", &self.skipped);
                out.field("name", &self.name);
                out.optional_field("present", &self.present);
                out.list_field("list", &self.list);
                out.field("nested", &[] as &[Shape]);
                out.end_object();
            }
        }
        let shape = Shape {
            name: "a{".to_string(),
            skipped: None,
            present: Some(true),
            list: Vec::new(),
        };
        assert_eq!(
            to_json(&shape),
            r#"{"name":"a{","present":true,"nested":[]}"#
        );
    }
}
