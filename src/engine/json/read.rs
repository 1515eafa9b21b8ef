//! Typed values from a `serde_json::Value`, accepting exactly what serde's derived
//! `Deserialize` accepts from a `&Value` and failing with exactly its message
//! (`invalid type: string "5", expected usize`, `unknown field `maxitems`, expected one of …`).
//!
//! What serde does, and so what is done here:
//!
//! - a struct is read from an object (keys in the map's order, which is sorted; an unknown key
//!   fails when reached, the first missing required field in declaration order once all are
//!   read) or from an array (fields by position; then too few elements for the required
//!   fields, or too many, fail);
//! - a unit enum variant is a string, or an object with the variant as its only key and
//!   `null` as its value;
//! - integers must be whole and in range (`invalid value: integer `-1`, expected u64`), floats
//!   take any number, `Option` takes `null` as `None`.

use serde_json::Value;

/// A value, or serde's message for why it is not one.
pub(crate) type Read<T> = Result<T, String>;

/// How a struct looks to serde: its name and its fields in declaration order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    /// As serde's messages name it: `struct SessionConfig`.
    pub name: &'static str,
    pub fields: &'static [&'static str],
    /// How many of `fields`, from the first, must be present; the others have defaults.
    pub required: usize,
}

/// A struct's fields as serde reads them: those present, each with its position in
/// `shape.fields`, in the order serde reads them; then what serde reports once they have all
/// been read without error (an unknown field, a missing field, too few or too many elements).
#[derive(Debug)]
pub(crate) struct Fields<'v> {
    pub present: Vec<(usize, &'v Value)>,
    pub then: Read<()>,
}

/// The fields of a struct of shape `shape` (see [`Fields`]); an error when `value` can hold no
/// struct at all.
pub(crate) fn fields<'v>(value: &'v Value, shape: &Shape) -> Read<Fields<'v>> {
    let mut present = Vec::new();
    let then = match value {
        Value::Object(map) => object_fields(map, shape, &mut present),
        Value::Array(elements) => array_fields(elements, shape, &mut present),
        other => return Err(invalid_type(other, shape.name)),
    };
    Ok(Fields { present, then })
}

fn object_fields<'v>(
    map: &'v serde_json::Map<String, Value>,
    shape: &Shape,
    present: &mut Vec<(usize, &'v Value)>,
) -> Read<()> {
    for (key, field) in map {
        let Some(index) = shape.fields.iter().position(|name| name == key) else {
            return Err(format!(
                "unknown field `{key}`, expected {}",
                one_of(shape.fields)
            ));
        };
        present.push((index, field));
    }
    let missing = shape.fields[..shape.required]
        .iter()
        .enumerate()
        .find(|(index, _)| !present.iter().any(|(seen, _)| seen == index));
    match missing {
        Some((_, name)) => Err(format!("missing field `{name}`")),
        None => Ok(()),
    }
}

fn array_fields<'v>(
    elements: &'v [Value],
    shape: &Shape,
    present: &mut Vec<(usize, &'v Value)>,
) -> Read<()> {
    present.extend(elements.iter().take(shape.fields.len()).enumerate());
    let count = shape.fields.len();
    if elements.len() < shape.required {
        let plural = if count == 1 { "" } else { "s" };
        Err(format!(
            "invalid length {}, expected {} with {count} element{plural}",
            elements.len(),
            shape.name
        ))
    } else if elements.len() > count {
        Err(format!(
            "invalid length {}, expected fewer elements in array",
            elements.len()
        ))
    } else {
        Ok(())
    }
}

/// A unit variant of an enum, given as `(name, value)` pairs in declaration order.
pub(crate) fn unit_variant<T: Copy>(value: &Value, variants: &[(&str, T)]) -> Read<T> {
    let name = variant_name(value)?;
    match variants.iter().find(|(known, _)| *known == name) {
        Some(&(_, variant)) => unit(value).map(|()| variant),
        None => Err(unknown_variant(
            name,
            &variants.iter().map(|(known, _)| *known).collect::<Vec<_>>(),
        )),
    }
}

/// The variant an enum value names: a string, or the only key of an object.
fn variant_name(value: &Value) -> Read<&str> {
    match value {
        Value::String(name) => Ok(name),
        Value::Object(map) => {
            let mut names = map.keys();
            match (names.next(), names.next()) {
                (Some(name), None) => Ok(name),
                _ => Err(SINGLE_KEY.to_string()),
            }
        }
        other => Err(invalid_type(other, "string or map")),
    }
}

/// A unit variant takes no content: `null` when given as an object.
fn unit(value: &Value) -> Read<()> {
    match value {
        Value::Object(map) => match map.values().next() {
            Some(content) if !content.is_null() => Err(invalid_type(content, "unit")),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

fn unknown_variant(name: &str, names: &[&str]) -> String {
    format!("unknown variant `{name}`, expected {}", one_of(names))
}

/// serde_json's message for an enum given as an object without exactly one key.
const SINGLE_KEY: &str = "invalid value: map, expected map with a single key";

pub(crate) fn u64(value: &Value) -> Read<u64> {
    unsigned(value, "u64")
}

pub(crate) fn usize(value: &Value) -> Read<usize> {
    let wide = unsigned(value, "usize")?;
    usize::try_from(wide).map_err(|_| invalid_value(value, "usize"))
}

/// Any number, as a float.
pub(crate) fn f64(value: &Value) -> Read<f64> {
    value.as_f64().ok_or_else(|| invalid_type(value, "f64"))
}

pub(crate) fn bool(value: &Value) -> Read<bool> {
    value
        .as_bool()
        .ok_or_else(|| invalid_type(value, "a boolean"))
}

pub(crate) fn string(value: &Value) -> Read<String> {
    match value {
        Value::String(text) => Ok(text.clone()),
        other => Err(invalid_type(other, "a string")),
    }
}

/// `None` for `null`, otherwise what `read` makes of the value.
pub(crate) fn option<T>(value: &Value, read: impl FnOnce(&Value) -> Read<T>) -> Read<Option<T>> {
    match value {
        Value::Null => Ok(None),
        other => read(other).map(Some),
    }
}

/// An array, each element read by `read`; the first bad element fails.
pub(crate) fn list<T>(value: &Value, read: impl Fn(&Value) -> Read<T>) -> Read<Vec<T>> {
    let Value::Array(elements) = value else {
        return Err(invalid_type(value, "a sequence"));
    };
    let mut list = Vec::with_capacity(elements.len());
    for element in elements {
        list.push(read(element)?);
    }
    Ok(list)
}

/// A non-negative integer, as serde's integer visitors take it.
fn unsigned(value: &Value, expected: &str) -> Read<u64> {
    match value {
        Value::Number(number) => match (number.as_u64(), number.as_i64()) {
            (Some(whole), _) => Ok(whole),
            (None, Some(_)) => Err(invalid_value(value, expected)),
            (None, None) => Err(invalid_type(value, expected)),
        },
        other => Err(invalid_type(other, expected)),
    }
}

fn invalid_type(value: &Value, expected: &str) -> String {
    format!("invalid type: {}, expected {expected}", unexpected(value))
}

fn invalid_value(value: &Value, expected: &str) -> String {
    format!("invalid value: {}, expected {expected}", unexpected(value))
}

/// A value as serde_json's messages describe it: `null`, `boolean `true``, `integer `7``,
/// `floating point `1.5``, `string "x"`, `sequence`, `map`.
fn unexpected(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(number) if number.is_f64() => format!("floating point `{number}`"),
        Value::Number(number) => format!("integer `{number}`"),
        Value::String(text) => format!("string {text:?}"),
        Value::Array(_) => "sequence".to_string(),
        Value::Object(_) => "map".to_string(),
    }
}

/// serde's list of expected names: "`a`", "`a` or `b`", "one of `a`, `b`, `c`".
fn one_of(names: &[&str]) -> String {
    match names {
        [only] => format!("`{only}`"),
        [first, second] => format!("`{first}` or `{second}`"),
        _ => {
            let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
            format!("one of {}", quoted.join(", "))
        }
    }
}

/// Every variant of a JSON value with one change: each node replaced by each of a set of odd
/// values, each object with a field removed, with an unknown field, or as an array of its
/// values. For tests that hold a reader to serde's derive.
#[cfg(test)]
pub(crate) fn single_changes(value: &Value) -> Vec<Value> {
    let odd = [
        Value::Null,
        serde_json::json!(true),
        serde_json::json!(-1),
        serde_json::json!(0),
        serde_json::json!(3),
        serde_json::json!(2.5),
        serde_json::json!(1e20),
        serde_json::json!("x"),
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::json!({ "x": null }),
    ];
    let mut out: Vec<Value> = odd.to_vec();
    match value {
        Value::Object(map) => {
            for (key, field) in map {
                for changed in single_changes(field) {
                    let mut copy = map.clone();
                    copy.insert(key.clone(), changed);
                    out.push(Value::Object(copy));
                }
                let mut without = map.clone();
                without.remove(key);
                out.push(Value::Object(without));
            }
            for extra in ["zzz", "Extra", ""] {
                let mut with = map.clone();
                with.insert(extra.to_string(), Value::Null);
                out.push(Value::Object(with));
            }
            out.push(Value::Array(map.values().cloned().collect()));
        }
        Value::Array(elements) => {
            for (index, element) in elements.iter().enumerate() {
                for changed in single_changes(element) {
                    let mut copy = elements.clone();
                    copy[index] = changed;
                    out.push(Value::Array(copy));
                }
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    /// What serde's derive says about `value` as a `T`.
    fn serde_read<T: for<'de> Deserialize<'de>>(value: &Value) -> Read<T> {
        T::deserialize(value).map_err(|e| e.to_string())
    }

    fn odd_values() -> Vec<Value> {
        vec![
            json!(null),
            json!(true),
            json!(0),
            json!(7),
            json!(-1),
            json!(1.5),
            json!(-0.0),
            json!(1e300),
            json!(u64::MAX),
            json!(i64::MIN),
            json!("x"),
            json!("quote \" and \n and é"),
            json!([]),
            json!([1]),
            json!({}),
            json!({ "a": 1 }),
        ]
    }

    #[test]
    fn primitives_read_as_serde_reads_them() {
        for value in odd_values() {
            assert_eq!(u64(&value), serde_read::<u64>(&value), "{value}");
            assert_eq!(usize(&value), serde_read::<usize>(&value), "{value}");
            assert_eq!(f64(&value), serde_read::<f64>(&value), "{value}");
            assert_eq!(bool(&value), serde_read::<bool>(&value), "{value}");
            assert_eq!(string(&value), serde_read::<String>(&value), "{value}");
            assert_eq!(
                option(&value, f64),
                serde_read::<Option<f64>>(&value),
                "{value}"
            );
            assert_eq!(
                list(&value, usize),
                serde_read::<Vec<usize>>(&value),
                "{value}"
            );
        }
        let mixed = json!([1, 2, "3", 4.5]);
        assert_eq!(list(&mixed, usize), serde_read::<Vec<usize>>(&mixed));
    }

    #[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    enum Trio {
        One,
        TwoWords,
        Three,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Two {
        Yes,
        No,
    }

    #[test]
    fn unit_variants_read_as_serde_reads_them() {
        let three = [
            ("one", Trio::One),
            ("twoWords", Trio::TwoWords),
            ("three", Trio::Three),
        ];
        let two = [("yes", Two::Yes), ("no", Two::No)];
        let mut values = odd_values();
        values.extend([
            json!("one"),
            json!("twoWords"),
            json!("two_words"),
            json!("yes"),
            json!({ "one": null }),
            json!({ "one": 1 }),
            json!({ "no": [] }),
            json!({ "zero": null }),
            json!({ "one": null, "three": null }),
        ]);
        for value in values {
            assert_eq!(unit_variant(&value, &three), serde_read(&value), "{value}");
            assert_eq!(unit_variant(&value, &two), serde_read(&value), "{value}");
        }
    }

    #[derive(Debug, Clone, PartialEq, Default, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Required {
        name: String,
        count: usize,
        #[serde(default)]
        note: Option<String>,
    }

    const REQUIRED: Shape = Shape {
        name: "struct Required",
        fields: &["name", "count", "note"],
        required: 2,
    };

    fn read_required(value: &Value) -> Read<Required> {
        let mut out = Required::default();
        let fields = fields(value, &REQUIRED)?;
        for &(field, value) in &fields.present {
            match REQUIRED.fields[field] {
                "name" => out.name = string(value)?,
                "count" => out.count = usize(value)?,
                _ => out.note = option(value, string)?,
            }
        }
        fields.then?;
        Ok(out)
    }

    #[test]
    fn structs_read_as_serde_reads_them() {
        let mut values = odd_values();
        values.extend([
            json!({ "name": "a", "count": 1 }),
            json!({ "name": "a", "count": 1, "note": null }),
            json!({ "name": "a", "count": 1, "note": "n" }),
            json!({ "count": 1 }),
            json!({ "name": "a" }),
            json!({ "note": "n" }),
            json!({ "name": 1, "count": "x" }),
            json!({ "name": "a", "count": 1, "extra": 0 }),
            json!({ "Name": "a", "count": -1 }),
            json!(["a"]),
            json!(["a", 1]),
            json!(["a", 1, "n"]),
            json!(["a", 1, null, 0]),
            json!([1, "a"]),
        ]);
        for value in values {
            assert_eq!(read_required(&value), serde_read(&value), "{value}");
        }
    }
}
