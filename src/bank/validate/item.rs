//! The items of a bank: each item's fields, its options and key, its IRT parameters, its
//! references and enemies, and the bank-wide rules on items (unique ids, at least one active).

use std::collections::HashMap;

use serde_json::Value;

use super::Topics;
use super::shape;
use super::walk::{Fields, FirstSeen, Path, Report};

/// An item's fields, in documented order.
const ITEM_FIELDS: &[&str] = &[
    "id",
    "topic",
    "type",
    "difficulty",
    "irt",
    "exposure",
    "status",
    "tags",
    "stem",
    "options",
    "key",
    "explanation",
    "references",
    "enemies",
];
const ITEM_REQUIRED: &[&str] = &["id", "topic", "type", "stem", "options", "key"];
const OPTION_FIELDS: &[&str] = &["text", "feedback"];
const REFERENCE_FIELDS: &[&str] = &["citation", "url"];
const IRT_FIELDS: &[&str] = &["model", "a", "b", "c", "d"];

const TYPES: &[&str] = &["single", "multiple", "true_false"];
const DIFFICULTIES: &[&str] = &["easy", "medium", "hard"];
const STATUSES: &[&str] = &["draft", "pretest", "active", "retired"];
const MODELS: &[&str] = &["1PL", "2PL", "3PL", "4PL"];
/// The parameters each of [`MODELS`] takes.
const MODEL_PARAMS: [&[&str]; 4] = [&["b"], &["a", "b"], &["a", "b", "c"], &["a", "b", "c", "d"]];

const MIN_OPTIONS: usize = 2;
const MAX_OPTIONS: usize = 10;
/// The largest discrimination accepted (see the module documentation of `validate`).
const MAX_A: f64 = 10.0;
/// The range of difficulties accepted, on the theta scale.
const MAX_ABS_B: f64 = 10.0;
/// Guessing parameters from here up are not guessing.
const MAX_C_EXCLUSIVE: f64 = 0.5;

/// What the key rules need to know about an item's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Single,
    Multiple,
    TrueFalse,
}

impl Kind {
    fn parse(name: &str) -> Option<Kind> {
        match name {
            "single" => Some(Kind::Single),
            "multiple" => Some(Kind::Multiple),
            "true_false" => Some(Kind::TrueFalse),
            _ => None,
        }
    }
}

/// What every item is checked against.
struct Context<'v, 't> {
    /// Each item id's first index, over all items (enemies may point forward).
    ids: HashMap<&'v str, usize>,
    topics: Option<&'t mut Topics<'v>>,
}

/// Checks `items` and every item in it.
pub(super) fn items<'v>(
    report: &mut Report<'_>,
    path: &Path<'_>,
    value: &'v Value,
    topics: Option<&mut Topics<'v>>,
) {
    let Some(list) = report.array(path, value) else {
        return;
    };
    let mut ids = HashMap::with_capacity(list.len());
    for (index, item) in list.iter().enumerate() {
        if let Some(id) = item.get("id").and_then(Value::as_str) {
            ids.entry(id).or_insert(index);
        }
    }
    let mut context = Context { ids, topics };
    let mut active = false;
    for (index, item_value) in list.iter().enumerate() {
        active |= item(report, path, index, item_value, &mut context);
    }
    if !active {
        report.push(path, "has no active item; a bank needs at least one");
    }
}

/// Checks one item; true when it is active (an object whose `status` is absent or `active`).
fn item<'v>(
    report: &mut Report<'_>,
    items: &Path<'_>,
    index: usize,
    value: &'v Value,
    context: &mut Context<'v, '_>,
) -> bool {
    let own_id = value.get("id").and_then(Value::as_str);
    let path = items.element(index, own_id);
    let Some(fields) = report.object(&path, value, ITEM_FIELDS) else {
        return false;
    };
    report.required(&path, &fields, ITEM_REQUIRED);
    if !fields.has("difficulty") && !fields.has("irt") {
        report.push(&path, "needs `difficulty`, `irt` or both");
    }
    if let Some(id) = fields.get("id") {
        let path = path.field("id");
        if let Some(id) = report.slug(&path, id).filter(|id| !id.is_empty()) {
            if let Some(&first) = context.ids.get(id).filter(|&&first| first != index) {
                let message = format!(
                    "duplicate id {}, first used by items[{first}]",
                    shape::quote(id)
                );
                report.push(&path, message);
            }
        }
    }
    if let Some(topic_value) = fields.get("topic") {
        topic(
            report,
            &path.field("topic"),
            topic_value,
            context.topics.as_deref_mut(),
        );
    }
    let kind = fields
        .get("type")
        .and_then(|kind| report.one_of(&path.field("type"), kind, TYPES))
        .and_then(Kind::parse);
    if let Some(difficulty) = fields.get("difficulty") {
        report.one_of(&path.field("difficulty"), difficulty, DIFFICULTIES);
    }
    if let Some(calibration) = fields.get("irt") {
        irt(report, &path.field("irt"), calibration);
    }
    if let Some(exposure) = fields.get("exposure") {
        let path = path.field("exposure");
        if let Some(x) = report.number(&path, exposure) {
            if !(x > 0.0 && x <= 1.0) {
                report.push(&path, format!("must be in (0, 1], not {exposure}"));
            }
        }
    }
    let active = match fields.get("status") {
        Some(status) => report.one_of(&path.field("status"), status, STATUSES) == Some("active"),
        None => true,
    };
    if let Some(tags) = fields.get("tags") {
        let path = path.field("tags");
        for (index, tag) in report
            .array(&path, tags)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            report.string(&path.index(index), tag);
        }
    }
    if let Some(stem) = fields.get("stem") {
        report.text(&path.field("stem"), stem);
    }
    let option_count = fields
        .get("options")
        .and_then(|options_value| options(report, &path.field("options"), options_value, kind));
    if let Some(key_value) = fields.get("key") {
        key(report, &path.field("key"), key_value, kind, option_count);
    }
    if let Some(explanation) = fields.get("explanation") {
        report.text(&path.field("explanation"), explanation);
    }
    if let Some(references_value) = fields.get("references") {
        references(report, &path.field("references"), references_value);
    }
    if let Some(enemies_value) = fields.get("enemies") {
        enemies(
            report,
            &path.field("enemies"),
            enemies_value,
            own_id,
            &context.ids,
        );
    }
    active
}

/// An item's `topic`: one of the bank's topic ids, with a hint when one is close.
fn topic<'v>(
    report: &mut Report<'_>,
    path: &Path<'_>,
    value: &'v Value,
    topics: Option<&mut Topics<'v>>,
) {
    let Some(topics) = topics else {
        // `topics` itself is broken: check the shape only.
        report.slug(path, value);
        return;
    };
    let Some(name) = report.string(path, value) else {
        return;
    };
    if name.is_empty() {
        report.push(path, "is empty");
        return;
    }
    if topics.known.contains(name) {
        return;
    }
    let hint = match topics.hints.get(name) {
        Some(hint) => *hint,
        None => {
            let hint = report.hinter.suggest(name, topics.ordered.iter().copied());
            topics.hints.insert(name, hint);
            hint
        }
    };
    let message = match hint {
        Some(hint) => format!(
            "no topic {} in this bank; did you mean `{hint}`?",
            shape::quote(name)
        ),
        None => format!("no topic {} in this bank", shape::quote(name)),
    };
    report.push(path, message);
}

/// `options`; returns how many there are when it is an array.
fn options(
    report: &mut Report<'_>,
    path: &Path<'_>,
    value: &Value,
    kind: Option<Kind>,
) -> Option<usize> {
    let list = report.array(path, value)?;
    let count = list.len();
    if kind == Some(Kind::TrueFalse) && count != 2 {
        report.push(
            path,
            format!("a `true_false` item has exactly 2 options; this one has {count}"),
        );
    } else if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&count) {
        let has = match count {
            0 => "no options".to_string(),
            1 => "1 option".to_string(),
            _ => format!("{count} options"),
        };
        report.push(
            path,
            format!("has {has}; an item needs {MIN_OPTIONS} to {MAX_OPTIONS}"),
        );
    }
    for (index, option) in list.iter().enumerate() {
        let path = path.index(index);
        let Some(fields) = report.object(&path, option, OPTION_FIELDS) else {
            continue;
        };
        report.required(&path, &fields, &["text"]);
        for name in OPTION_FIELDS {
            if let Some(text) = fields.get(name) {
                report.text(&path.field(name), text);
            }
        }
    }
    Some(count)
}

/// `key`: distinct option indices, within the options, one for `single` and `true_false`.
fn key(
    report: &mut Report<'_>,
    path: &Path<'_>,
    value: &Value,
    kind: Option<Kind>,
    options: Option<usize>,
) {
    let Some(list) = report.array(path, value) else {
        return;
    };
    let one_key = match kind {
        Some(Kind::Single) => Some("single"),
        Some(Kind::TrueFalse) => Some("true_false"),
        Some(Kind::Multiple) | None => None,
    };
    if list.is_empty() {
        report.push(
            path,
            "is empty; list the index of at least one correct option",
        );
    } else if let Some(kind) = one_key.filter(|_| list.len() > 1) {
        let count = list.len();
        report.push(
            path,
            format!("a `{kind}` item has exactly one key; this one has {count}"),
        );
    }
    let mut seen = FirstSeen::for_len(list.len());
    for (index, entry) in list.iter().enumerate() {
        let path = path.index(index);
        let Some(option) = entry.as_u64() else {
            if entry.is_number() {
                report.push(
                    &path,
                    format!("`{entry}` is not an option index (a whole number from 0)"),
                );
            } else {
                report.wrong_type(&path, "an integer", entry);
            }
            continue;
        };
        if let Some(first) = seen.repeat(option, index) {
            report.push(
                &path,
                format!("duplicate index {option}, first listed at key[{first}]"),
            );
            continue;
        }
        if let Some(count) = options.filter(|&count| option >= count as u64) {
            let plural = if count == 1 { "" } else { "s" };
            report.push(
                &path,
                format!("option index {option} but the item has {count} option{plural}"),
            );
        }
    }
}

/// `irt`: a model and exactly its parameters, each in range.
fn irt(report: &mut Report<'_>, path: &Path<'_>, value: &Value) {
    let Some(fields) = report.object(path, value, IRT_FIELDS) else {
        return;
    };
    report.required(path, &fields, &["model", "b"]);
    let model = fields
        .get("model")
        .and_then(Value::as_str)
        .and_then(|name| {
            MODELS
                .iter()
                .zip(MODEL_PARAMS)
                .find(|(model, _)| **model == name)
        })
        .map(|(model, takes)| (*model, takes));
    if let Some((model, takes)) = model {
        for name in takes.iter().filter(|name| **name != "b") {
            if !fields.has(name) {
                let list = list_names(takes);
                report.push(
                    path,
                    format!("missing required field `{name}` (the {model} model takes {list})"),
                );
            }
        }
    }
    if let Some(model_value) = fields.get("model") {
        report.one_of(&path.field("model"), model_value, MODELS);
    }
    parameters(report, path, &fields, model);
}

/// The parameters of `irt` in order, given its model when that is valid.
fn parameters(
    report: &mut Report<'_>,
    path: &Path<'_>,
    fields: &Fields<'_, '_>,
    model: Option<(&str, &[&str])>,
) {
    // `c` as written and its value, when it is valid; `d` must exceed it.
    let mut guessing: Option<(&Value, f64)> = None;
    for name in ["a", "b", "c", "d"] {
        let Some(value) = fields.get(name) else {
            continue;
        };
        let path = path.field(name);
        if let Some((model, takes)) = model.filter(|(_, takes)| !takes.contains(&name)) {
            report.push(
                &path,
                format!("the {model} model takes only {}", list_names(takes)),
            );
            continue;
        }
        let Some(x) = report.number(&path, value) else {
            continue;
        };
        let (in_range, interval) = match name {
            "a" => (x > 0.0 && x <= MAX_A, "(0, 10]"),
            "b" => (x.abs() <= MAX_ABS_B, "[-10, 10]"),
            "c" => ((0.0..MAX_C_EXCLUSIVE).contains(&x), "[0, 0.5)"),
            _ => (x > 0.0 && x <= 1.0, "(0, 1]"),
        };
        if !in_range {
            report.push(&path, format!("must be in {interval}, not {value}"));
        } else if name == "c" {
            guessing = Some((value, x));
        } else if let Some((written, c)) = guessing.filter(|_| name == "d") {
            if x <= c {
                report.push(
                    &path,
                    format!("must be greater than c ({written}), not {value}"),
                );
            }
        }
    }
}

/// `references`: each a non-empty `citation` and an optional http(s) `url`.
fn references(report: &mut Report<'_>, path: &Path<'_>, value: &Value) {
    let Some(list) = report.array(path, value) else {
        return;
    };
    for (index, reference) in list.iter().enumerate() {
        let path = path.index(index);
        let Some(fields) = report.object(&path, reference, REFERENCE_FIELDS) else {
            continue;
        };
        report.required(&path, &fields, &["citation"]);
        if let Some(citation) = fields.get("citation") {
            report.text(&path.field("citation"), citation);
        }
        if let Some(url_value) = fields.get("url") {
            let path = path.field("url");
            if let Some(problem) = report.string(&path, url_value).and_then(shape::url_problem) {
                report.push(&path, problem);
            }
        }
    }
}

/// `enemies`: distinct ids of other items in the bank.
fn enemies(
    report: &mut Report<'_>,
    path: &Path<'_>,
    value: &Value,
    own_id: Option<&str>,
    ids: &HashMap<&str, usize>,
) {
    let Some(list) = report.array(path, value) else {
        return;
    };
    let mut seen = FirstSeen::for_len(list.len());
    for (index, enemy) in list.iter().enumerate() {
        let path = path.index(index);
        let Some(name) = report.string(&path, enemy) else {
            continue;
        };
        if name.is_empty() {
            report.push(&path, "is empty");
        } else if let Some(first) = seen.repeat(name, index) {
            let message = format!(
                "duplicate {}, first listed at enemies[{first}]",
                shape::quote(name)
            );
            report.push(&path, message);
        } else if own_id == Some(name) {
            report.push(&path, "an item cannot be its own enemy");
        } else if !ids.contains_key(name) {
            report.push(
                &path,
                format!("no item {} in this bank", shape::quote(name)),
            );
        }
    }
}

/// "`a`, `b` and `c`".
fn list_names(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}
