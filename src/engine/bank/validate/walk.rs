//! The walk's bookkeeping: where we are in the document ([`Path`]) and what went wrong there
//! ([`Report`]), with the checks every level shares (types, required and unknown fields, text,
//! enums).
//!
//! A path is a chain of borrowed segments on the stack and is only turned into text when a
//! problem is reported, so a valid bank is walked without allocating a single path string.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::Hash;

use serde_json::Value;

use super::limits;
use super::shape::{self, Hinter};
use crate::error::Problem;

/// One step into the document.
#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    Root,
    Field(&'a str),
    /// An array index, with the element's id when it has a string one: `[12] ("cyb-ransom-03")`.
    Index(usize, Option<&'a str>),
    /// A cell of a matrix over named rows and columns: `[2][5] (cybersecurity, secure-dev)`.
    Cell(usize, usize, &'a str, &'a str),
}

/// A location in the bank, rendered as `items[12] ("cyb-ransom-03").options[2].text`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

impl<'a> Path<'a> {
    /// The bank itself; renders as the empty path.
    pub(crate) fn root() -> Path<'static> {
        Path {
            parent: None,
            step: Step::Root,
        }
    }

    pub(crate) fn field(&'a self, name: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            step: Step::Field(name),
        }
    }

    pub(crate) fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            step: Step::Index(index, None),
        }
    }

    /// An array element named by its id (items are: `items[12] ("cyb-ransom-03")`).
    pub(crate) fn element(&'a self, index: usize, id: Option<&'a str>) -> Path<'a> {
        Path {
            parent: Some(self),
            step: Step::Index(index, id),
        }
    }

    /// A cell of a matrix whose rows and columns are named (a profile's correlations).
    pub(crate) fn cell(&'a self, row: usize, column: usize, names: (&'a str, &'a str)) -> Path<'a> {
        Path {
            parent: Some(self),
            step: Step::Cell(row, column, names.0, names.1),
        }
    }

    /// The name of the field this path is in: its own for `a.b`, the array's for `a.b[3]`.
    /// Limits (`limits.rs`) are looked up by it.
    fn field_name(&self) -> Option<&'a str> {
        match self.step {
            Step::Field(name) => Some(name),
            Step::Index(..) => self.parent?.field_name(),
            Step::Root | Step::Cell(..) => None,
        }
    }

    /// The path as messages show it.
    fn text(&self) -> String {
        let mut out = String::new();
        self.render(&mut out);
        out
    }

    fn render(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.render(out);
        }
        match self.step {
            Step::Root => {}
            Step::Field(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Step::Index(index, id) => {
                out.push_str(&format!("[{index}]"));
                if let Some(id) = id {
                    out.push_str(" (");
                    out.push_str(&shape::json_string(id));
                    out.push(')');
                }
            }
            Step::Cell(row, column, first, second) => {
                out.push_str(&format!("[{row}][{column}] ({first}, {second})"));
            }
        }
    }
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

/// The most fields an object of the format may have (an item has 16), with room to grow.
const MAX_FIELDS: usize = 20;

/// The known fields of an object, found in one pass over it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields<'v, 'k> {
    known: &'k [&'k str],
    /// `values[i]` is the value of `known[i]`.
    values: [Option<&'v Value>; MAX_FIELDS],
}

impl<'v> Fields<'v, '_> {
    /// The value of a known field, if present.
    pub(crate) fn get(&self, name: &str) -> Option<&'v Value> {
        let slot = self.known.iter().position(|known| same(known, name))?;
        self.values.get(slot).copied().flatten()
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// Where each value of a list was first seen: a scan for the short lists items hold, a hash
/// map for long ones, so that finding duplicates stays linear.
pub(crate) enum FirstSeen<K> {
    Few(Vec<(K, usize)>),
    Many(HashMap<K, usize>),
}

impl<K: Eq + Hash + Copy> FirstSeen<K> {
    /// Lists up to this long are scanned.
    const FEW: usize = 16;

    pub(crate) fn for_len(len: usize) -> FirstSeen<K> {
        if len <= Self::FEW {
            FirstSeen::Few(Vec::new())
        } else {
            FirstSeen::Many(HashMap::with_capacity(len))
        }
    }

    /// Records `key` at `index`; returns where it was first seen when this is a repeat.
    pub(crate) fn repeat(&mut self, key: K, index: usize) -> Option<usize> {
        match self {
            FirstSeen::Few(seen) => match seen.iter().find(|(k, _)| *k == key) {
                Some(&(_, first)) => Some(first),
                None => {
                    seen.push((key, index));
                    None
                }
            },
            FirstSeen::Many(seen) => match seen.entry(key) {
                Entry::Occupied(first) => Some(*first.get()),
                Entry::Vacant(slot) => {
                    slot.insert(index);
                    None
                }
            },
        }
    }
}

/// The problems found so far, in document order, and the shared checks that find them.
pub(crate) struct Report<'s> {
    source: &'s str,
    problems: Vec<Problem>,
    pub(super) hinter: Hinter,
}

impl<'s> Report<'s> {
    pub(crate) fn new(source: &'s str) -> Report<'s> {
        Report {
            source,
            problems: Vec::new(),
            hinter: Hinter::default(),
        }
    }

    #[cfg(test)]
    pub(crate) fn into_problems(self) -> Vec<Problem> {
        self.problems
    }

    /// What was built when nothing was reported, otherwise every problem. Something that
    /// passed every check but could not be built is a validator bug, reported rather than
    /// panicking.
    pub(crate) fn finish<T>(self, built: Option<T>) -> Result<T, Vec<Problem>> {
        if !self.problems.is_empty() {
            return Err(self.problems);
        }
        built.ok_or_else(|| {
            vec![Problem::error(
                self.source,
                "",
                "does not match the bank format (a validator bug: checked but not built)",
            )]
        })
    }

    pub(crate) fn push(&mut self, path: &Path<'_>, message: impl Into<String>) {
        self.problems
            .push(Problem::error(self.source, path.text(), message));
    }

    pub(crate) fn wrong_type(&mut self, path: &Path<'_>, expected: &str, found: &Value) {
        let found = kind(found);
        self.push(path, format!("expected {expected}, found {found}"));
    }

    /// An object whose fields are all in `known`; unknown fields are reported (sorted by name:
    /// serde_json's map keeps its keys sorted, so the order does not depend on how the map was
    /// built) with a hint when one is close. One pass over the object: later lookups go
    /// through the returned [`Fields`].
    pub(crate) fn object<'v, 'k>(
        &mut self,
        path: &Path<'_>,
        value: &'v Value,
        known: &'k [&'k str],
    ) -> Option<Fields<'v, 'k>> {
        let Value::Object(map) = value else {
            self.wrong_type(path, "an object", value);
            return None;
        };
        let mut fields = Fields {
            known,
            values: [None; MAX_FIELDS],
        };
        for (name, field) in map {
            match known.iter().position(|known| same(known, name)) {
                Some(slot) if slot < MAX_FIELDS => fields.values[slot] = Some(field),
                _ => self.unknown_field(path, name, known),
            }
        }
        Some(fields)
    }

    fn unknown_field(&mut self, path: &Path<'_>, name: &str, known: &[&str]) {
        let field = if name.is_empty() {
            "unknown field with an empty name".to_string()
        } else {
            format!("unknown field {}", shape::quote(name))
        };
        let message = match self.hinter.suggest(name, known.iter().copied()) {
            Some(hint) => format!("{field}; did you mean `{hint}`?"),
            None => field,
        };
        self.push(path, message);
    }

    /// Reports each of `required` that `fields` lacks, in the order given.
    pub(crate) fn required(&mut self, path: &Path<'_>, fields: &Fields<'_, '_>, required: &[&str]) {
        for name in required {
            if !fields.has(name) {
                self.push(path, format!("missing required field `{name}`"));
            }
        }
    }

    /// An array within its field's entry limit (`limits.rs`); one that is over is reported and
    /// not walked, so a huge list costs one message, not one per entry.
    pub(crate) fn array<'v>(&mut self, path: &Path<'_>, value: &'v Value) -> Option<&'v [Value]> {
        match value {
            Value::Array(list) => {
                let problem = limits::too_many(list.len(), path.field_name());
                self.within_limit(path, problem, list)
            }
            other => {
                self.wrong_type(path, "an array", other);
                None
            }
        }
    }

    /// A string within its field's length limit (`limits.rs`); one that is over is reported
    /// and not checked further.
    pub(crate) fn string<'v>(&mut self, path: &Path<'_>, value: &'v Value) -> Option<&'v str> {
        match value {
            Value::String(text) => {
                let problem = limits::too_long(text, path.field_name());
                self.within_limit(path, problem, text)
            }
            other => {
                self.wrong_type(path, "a string", other);
                None
            }
        }
    }

    /// `value` when it is within its limit, else the limit's problem reported.
    fn within_limit<T>(&mut self, path: &Path<'_>, problem: Option<String>, value: T) -> Option<T> {
        match problem {
            Some(problem) => {
                self.push(path, problem);
                None
            }
            None => Some(value),
        }
    }

    /// A finite number. (JSON cannot spell NaN or infinity; the check guards values built
    /// another way.)
    pub(crate) fn number(&mut self, path: &Path<'_>, value: &Value) -> Option<f64> {
        match value.as_f64() {
            Some(x) if x.is_finite() => Some(x),
            Some(_) => {
                self.push(path, "must be a finite number");
                None
            }
            None => {
                self.wrong_type(path, "a number", value);
                None
            }
        }
    }

    /// A string with at least one character that is not whitespace.
    pub(crate) fn text<'v>(&mut self, path: &Path<'_>, value: &'v Value) -> Option<&'v str> {
        let text = self.string(path, value)?;
        if text.is_empty() {
            self.push(path, "is empty");
        } else if shape::is_blank(text) {
            self.push(path, "is only whitespace");
        }
        Some(text)
    }

    /// A string that is a slug (`^[a-z0-9][a-z0-9-]*$`). Returns the string even when it is not
    /// a slug, so references to it can still be checked.
    pub(crate) fn slug<'v>(&mut self, path: &Path<'_>, value: &'v Value) -> Option<&'v str> {
        let text = self.string(path, value)?;
        if text.is_empty() {
            self.push(path, "is empty");
        } else if !crate::bank::rules::is_slug(text) {
            self.push(
                path,
                format!(
                    "{} is not a slug (lowercase letters, digits and `-`, not starting with `-`)",
                    shape::quote(text)
                ),
            );
        }
        Some(text)
    }

    /// One of `allowed`; returns its position in `allowed` only when it is.
    pub(crate) fn one_of(
        &mut self,
        path: &Path<'_>,
        value: &Value,
        allowed: &[&str],
    ) -> Option<usize> {
        let text = self.string(path, value)?;
        if let Some(position) = allowed.iter().position(|name| *name == text) {
            return Some(position);
        }
        let list = allowed
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let message = match self.hinter.suggest(text, allowed.iter().copied()) {
            Some(hint) => format!(
                "{} is not one of {list}; did you mean `{hint}`?",
                shape::quote(text)
            ),
            None => format!("{} is not one of {list}", shape::quote(text)),
        };
        self.push(path, message);
        None
    }
}

/// Appends a built element, or gives up building the list when the element could not be built
/// (its problems are reported; the list is then never used).
pub(crate) fn push_built<T>(list: &mut Option<Vec<T>>, element: Option<T>) {
    match (list.as_mut(), element) {
        (Some(list), Some(element)) => list.push(element),
        _ => *list = None,
    }
}

/// String equality that rules most field names out by length and first byte before comparing
/// them in full (field lookups are the walk's innermost loop).
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

/// The JSON type of a value, with its article, for "expected …, found …".
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_render_like_the_documentation() {
        let root = Path::root();
        let items = root.field("items");
        let item = items.element(12, Some("cyb-ransom-03"));
        let options = item.field("options");
        let option = options.index(2);
        assert_eq!(
            option.field("text").to_string(),
            r#"items[12] ("cyb-ransom-03").options[2].text"#
        );
        assert_eq!(
            items.element(3, None).field("key").to_string(),
            "items[3].key"
        );
        assert_eq!(
            root.field("topics").index(1).field("weight").to_string(),
            "topics[1].weight"
        );
        assert_eq!(root.field("format").to_string(), "format");
        assert_eq!(root.to_string(), "");
    }

    #[test]
    fn ids_in_paths_are_json_escaped() {
        let root = Path::root();
        let items = root.field("items");
        assert_eq!(
            items.element(0, Some("a\"b\n")).to_string(),
            r#"items[0] ("a\"b\n")"#
        );
    }

    #[test]
    fn objects_iterate_in_key_order_however_built() {
        // `Report::object` relies on it to report unknown fields sorted by name.
        let mut map = serde_json::Map::new();
        for key in ["zeta", "Alpha", "beta", "", "alpha", "é", "a"] {
            map.insert(key.to_string(), Value::Null);
        }
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn unknown_fields_are_sorted_and_hinted() {
        let mut report = Report::new("t.json");
        let value = json!({ "stme": 1, "explaination": 2, "zzz": 3, "stem": 4 });
        let known = ["stem", "explanation"];
        report.object(&Path::root(), &value, &known);
        let lines: Vec<String> = report
            .into_problems()
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            lines,
            [
                "t.json: unknown field `explaination`; did you mean `explanation`?",
                "t.json: unknown field `stme`; did you mean `stem`?",
                "t.json: unknown field `zzz`",
            ]
        );
    }

    #[test]
    fn wrong_types_name_both_types() {
        let mut report = Report::new("t.json");
        let root = Path::root();
        report.string(&root.field("title"), &json!(null));
        report.number(&root.field("weight"), &json!("2"));
        report.array(&root.field("topics"), &json!({}));
        let lines: Vec<String> = report
            .into_problems()
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(
            lines,
            [
                "t.json: title: expected a string, found null",
                "t.json: weight: expected a number, found a string",
                "t.json: topics: expected an array, found an object",
            ]
        );
    }
}
