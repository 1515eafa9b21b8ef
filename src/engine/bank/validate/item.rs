//! The items of a bank: each item's fields, its options and key, its IRT parameters, its
//! references and enemies, and the bank-wide rules on items (unique ids, at least one active);
//! each item is built as it is checked.

use std::collections::HashMap;

use serde_json::Value;

use super::Topics;
use super::walk::{FirstSeen, Path, Report, push_built};
use super::{currency, irt, shape};
use crate::bank::{Choice, Difficulty, Item, ItemType, Reference, Status};

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
    "reviewed",
    "watch",
    "enemies",
];
const ITEM_REQUIRED: &[&str] = &["id", "topic", "type", "stem", "options", "key"];
const OPTION_FIELDS: &[&str] = &["text", "feedback"];
const REFERENCE_FIELDS: &[&str] = &["citation", "url"];

/// Each enum's names in the format, and the values they stand for, in the same order.
const TYPES: &[&str] = &["single", "multiple", "true_false"];
const TYPE_VALUES: [ItemType; 3] = [ItemType::Single, ItemType::Multiple, ItemType::TrueFalse];
const DIFFICULTIES: &[&str] = &["easy", "medium", "hard"];
const DIFFICULTY_VALUES: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];
const STATUSES: &[&str] = &["draft", "pretest", "active", "retired"];
const STATUS_VALUES: [Status; 4] = [
    Status::Draft,
    Status::Pretest,
    Status::Active,
    Status::Retired,
];

const MIN_OPTIONS: usize = 2;
const MAX_OPTIONS: usize = 10;

/// What every item is checked against.
struct Context<'v, 't> {
    /// Each item id's first index, over all items (enemies may point forward).
    ids: HashMap<&'v str, usize>,
    topics: Option<&'t mut Topics<'v>>,
}

/// Checks `items` and every item in it, and builds them.
pub(super) fn items<'v>(
    report: &mut Report<'_>,
    path: &Path<'_>,
    value: &'v Value,
    topics: Option<&mut Topics<'v>>,
) -> Option<Vec<Item>> {
    let list = report.array(path, value)?;
    let mut ids = HashMap::with_capacity(list.len());
    for (index, item) in list.iter().enumerate() {
        if let Some(id) = item.get("id").and_then(Value::as_str) {
            ids.entry(id).or_insert(index);
        }
    }
    let mut context = Context { ids, topics };
    let mut active = false;
    let mut built = Some(Vec::with_capacity(list.len()));
    for (index, item_value) in list.iter().enumerate() {
        let (is_active, item) = item(report, path, index, item_value, &mut context);
        active |= is_active;
        push_built(&mut built, item);
    }
    if !active {
        report.push(path, "has no active item; a bank needs at least one");
    }
    built
}

/// Checks one item and builds it; also whether it is active (an object whose `status` is
/// absent or `active`), even when it has problems.
fn item<'v>(
    report: &mut Report<'_>,
    items: &Path<'_>,
    index: usize,
    value: &'v Value,
    context: &mut Context<'v, '_>,
) -> (bool, Option<Item>) {
    let own_id = value.get("id").and_then(Value::as_str);
    let path = items.element(index, own_id);
    let Some(fields) = report.object(&path, value, ITEM_FIELDS) else {
        return (false, None);
    };
    report.required(&path, &fields, ITEM_REQUIRED);
    if !fields.has("difficulty") && !fields.has("irt") {
        report.push(&path, "needs `difficulty`, `irt` or both");
    }
    let id = fields.get("id").and_then(|id| {
        let path = path.field("id");
        let id = report.slug(&path, id)?;
        if let Some(&first) = context.ids.get(id).filter(|&&first| first != index) {
            let message = format!(
                "duplicate id {}, first used by items[{first}]",
                shape::quote(id)
            );
            report.push(&path, message);
        }
        Some(id)
    });
    let topic = fields.get("topic").and_then(|topic_value| {
        topic(
            report,
            &path.field("topic"),
            topic_value,
            context.topics.as_deref_mut(),
        )
    });
    let kind = fields
        .get("type")
        .and_then(|kind| report.one_of(&path.field("type"), kind, TYPES))
        .and_then(|position| TYPE_VALUES.get(position).copied());
    let difficulty = match fields.get("difficulty") {
        Some(difficulty) => report
            .one_of(&path.field("difficulty"), difficulty, DIFFICULTIES)
            .and_then(|position| DIFFICULTY_VALUES.get(position).copied())
            .map(Some),
        None => Some(None),
    };
    let calibration = match fields.get("irt") {
        Some(calibration) => irt::irt(report, &path.field("irt"), calibration).map(Some),
        None => Some(None),
    };
    let exposure = match fields.get("exposure") {
        Some(exposure) => {
            let path = path.field("exposure");
            let x = report.number(&path, exposure);
            if x.is_some_and(|x| !(x > 0.0 && x <= 1.0)) {
                let exposure = shape::written(exposure);
                report.push(&path, format!("must be in (0, 1], not {exposure}"));
            }
            x.map(Some)
        }
        None => Some(None),
    };
    let status = match fields.get("status") {
        Some(status) => report
            .one_of(&path.field("status"), status, STATUSES)
            .and_then(|position| STATUS_VALUES.get(position).copied()),
        None => Some(Status::Active),
    };
    let active = status == Some(Status::Active);
    let tags = match fields.get("tags") {
        Some(tags) => strings(report, &path.field("tags"), tags),
        None => Some(Vec::new()),
    };
    let stem = fields
        .get("stem")
        .and_then(|stem| report.text(&path.field("stem"), stem));
    let (option_count, options) = match fields.get("options") {
        Some(options_value) => options(report, &path.field("options"), options_value, kind),
        None => (None, None),
    };
    let key = fields
        .get("key")
        .and_then(|key_value| key(report, &path.field("key"), key_value, kind, option_count));
    let explanation = match fields.get("explanation") {
        Some(explanation) => report
            .text(&path.field("explanation"), explanation)
            .map(Some),
        None => Some(None),
    };
    let references = match fields.get("references") {
        Some(references_value) => references(report, &path.field("references"), references_value),
        None => Some(Vec::new()),
    };
    let reviewed = currency::reviewed(report, &path.field("reviewed"), fields.get("reviewed"));
    let watch = currency::watch(report, &path.field("watch"), fields.get("watch"));
    let enemies = match fields.get("enemies") {
        Some(enemies_value) => enemies(
            report,
            &path.field("enemies"),
            enemies_value,
            own_id,
            &context.ids,
        ),
        None => Some(Vec::new()),
    };
    // All parts at once, so that a missing one leaves by a single path.
    let (
        Some(id),
        Some(topic),
        Some(kind),
        Some(stem),
        Some(options),
        Some(key),
        Some(explanation),
        Some(references),
        Some(reviewed),
        Some(watch),
        Some(status),
        Some(enemies),
        Some(difficulty),
        Some(irt),
        Some(exposure),
        Some(tags),
    ) = (
        id,
        topic,
        kind,
        stem,
        options,
        key,
        explanation,
        references,
        reviewed,
        watch,
        status,
        enemies,
        difficulty,
        calibration,
        exposure,
        tags,
    )
    else {
        return (active, None);
    };
    let item = Item {
        id: id.to_owned(),
        topic: topic.to_owned(),
        kind,
        stem: stem.to_owned(),
        options,
        key,
        explanation: explanation.map(str::to_owned),
        references,
        reviewed,
        watch,
        status,
        enemies,
        difficulty,
        irt,
        exposure,
        tags,
    };
    (active, Some(item))
}

/// An item's `topic`: one of the bank's topic ids, with a hint when one is close.
fn topic<'v>(
    report: &mut Report<'_>,
    path: &Path<'_>,
    value: &'v Value,
    topics: Option<&mut Topics<'v>>,
) -> Option<&'v str> {
    let Some(topics) = topics else {
        // `topics` itself is broken: check the shape only.
        return report.slug(path, value);
    };
    let name = report.string(path, value)?;
    if name.is_empty() {
        report.push(path, "is empty");
        return Some(name);
    }
    if topics.known.contains_key(name) {
        return Some(name);
    }
    let position = match topics.hints.get(name) {
        Some(&position) => position,
        None => {
            let hint = report.hinter.suggest(name, topics.ordered.iter().copied());
            let position = hint
                .and_then(|hint| topics.ordered.iter().position(|known| *known == hint))
                .unwrap_or(usize::MAX);
            topics.hints.insert(name, position);
            position
        }
    };
    let hint = topics.ordered.get(position);
    let message = match hint {
        Some(hint) => format!(
            "no topic {} in this bank; did you mean `{hint}`?",
            shape::quote(name)
        ),
        None => format!("no topic {} in this bank", shape::quote(name)),
    };
    report.push(path, message);
    Some(name)
}

/// An array of strings (`tags`).
fn strings(report: &mut Report<'_>, path: &Path<'_>, value: &Value) -> Option<Vec<String>> {
    let list = report.array(path, value)?;
    let mut built = Some(Vec::with_capacity(list.len()));
    for (index, entry) in list.iter().enumerate() {
        let text = report.string(&path.index(index), entry);
        push_built(&mut built, text.map(str::to_owned));
    }
    built
}

/// `options`: how many there are (when it is an array, for checking `key`), and the options.
fn options(
    report: &mut Report<'_>,
    path: &Path<'_>,
    value: &Value,
    kind: Option<ItemType>,
) -> (Option<usize>, Option<Vec<Choice>>) {
    let Some(list) = report.array(path, value) else {
        return (None, None);
    };
    let count = list.len();
    if kind == Some(ItemType::TrueFalse) && count != 2 {
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
    let mut built = Some(Vec::with_capacity(count));
    for (index, option) in list.iter().enumerate() {
        let path = path.index(index);
        let Some(fields) = report.object(&path, option, OPTION_FIELDS) else {
            built = None;
            continue;
        };
        report.required(&path, &fields, &["text"]);
        let text = fields
            .get("text")
            .and_then(|text| report.text(&path.field("text"), text));
        let feedback = match fields.get("feedback") {
            Some(feedback) => report.text(&path.field("feedback"), feedback).map(Some),
            None => Some(None),
        };
        let choice = text.zip(feedback).map(|(text, feedback)| Choice {
            text: text.to_owned(),
            feedback: feedback.map(str::to_owned),
        });
        push_built(&mut built, choice);
    }
    (Some(count), built)
}

/// `key`: distinct option indices, within the options, one for `single` and `true_false`.
fn key(
    report: &mut Report<'_>,
    path: &Path<'_>,
    value: &Value,
    kind: Option<ItemType>,
    options: Option<usize>,
) -> Option<Vec<usize>> {
    let list = report.array(path, value)?;
    let one_key = match kind {
        Some(ItemType::Single) => Some("single"),
        Some(ItemType::TrueFalse) => Some("true_false"),
        Some(ItemType::Multiple) | None => None,
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
    let mut built = Some(Vec::with_capacity(list.len()));
    for (index, entry) in list.iter().enumerate() {
        let path = path.index(index);
        let Some(option) = entry.as_u64() else {
            if entry.is_number() {
                let entry = shape::written(entry);
                report.push(
                    &path,
                    format!("`{entry}` is not an option index (a whole number from 0)"),
                );
            } else {
                report.wrong_type(&path, "an integer", entry);
            }
            built = None;
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
        push_built(&mut built, usize::try_from(option).ok());
    }
    built
}

/// `references`: each a non-empty `citation` and an optional http(s) `url`.
fn references(report: &mut Report<'_>, path: &Path<'_>, value: &Value) -> Option<Vec<Reference>> {
    let list = report.array(path, value)?;
    let mut built = Some(Vec::with_capacity(list.len()));
    for (index, reference) in list.iter().enumerate() {
        let path = path.index(index);
        let Some(fields) = report.object(&path, reference, REFERENCE_FIELDS) else {
            built = None;
            continue;
        };
        report.required(&path, &fields, &["citation"]);
        let citation = fields
            .get("citation")
            .and_then(|citation| report.text(&path.field("citation"), citation));
        let url = match fields.get("url") {
            Some(url_value) => {
                let path = path.field("url");
                let url = report.string(&path, url_value);
                if let Some(problem) = url.and_then(shape::url_problem) {
                    report.push(&path, problem);
                }
                url.map(Some)
            }
            None => Some(None),
        };
        let reference = citation.zip(url).map(|(citation, url)| Reference {
            citation: citation.to_owned(),
            url: url.map(str::to_owned),
        });
        push_built(&mut built, reference);
    }
    built
}

/// `enemies`: distinct ids of other items in the bank.
fn enemies(
    report: &mut Report<'_>,
    path: &Path<'_>,
    value: &Value,
    own_id: Option<&str>,
    ids: &HashMap<&str, usize>,
) -> Option<Vec<String>> {
    let list = report.array(path, value)?;
    let mut seen = FirstSeen::for_len(list.len());
    let mut built = Some(Vec::with_capacity(list.len()));
    for (index, enemy) in list.iter().enumerate() {
        let path = path.index(index);
        let Some(name) = report.string(&path, enemy) else {
            built = None;
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
        push_built(&mut built, Some(name.to_owned()));
    }
    built
}
