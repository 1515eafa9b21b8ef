//! Bank validation: every problem in a bank, found in one pass over the generic JSON value,
//! and the typed [`Bank`] built in that same pass.
//!
//! The validator works on a [`serde_json::Value`], not on the typed `Bank`, so that it can
//! report all problems at once (type errors included) and behaves the same whether the value
//! came from a file or from JavaScript. It accepts exactly what `quizbanks/schema.json`
//! describes, plus the cross-field rules below. When it accepts a value it has also built the
//! `Bank`, equal to what `Bank`'s serde `Deserialize` gives for that value (a test checks
//! this), so loading a bank is one walk and the WebAssembly build carries no serde
//! deserialiser for banks.
//!
//! # Rules
//!
//! Checked by the schema and by the validator alike:
//!
//! - every object has its required fields and no others (`unknown field`, with a hint when a
//!   known field is equal ignoring case, or within edit distance 2 and that distance is smaller
//!   than the known name's length, so `e` does not suggest `a`); every value has its type;
//! - `format` is `skillcat-bank/1`; ids are slugs (`^[a-z0-9][a-z0-9-]*$`); `language` has the
//!   shape of a BCP 47 tag; titles, descriptions, `version`, level names, stems, option texts,
//!   feedback, explanations and citations contain a non-whitespace character;
//! - `topics` and `levels` are not empty; a topic's `weight` is > 0; the first level has no
//!   `min_theta` and every later one has one;
//! - an item has 2 to 10 options (`true_false`: exactly 2) and a `key` of at least one
//!   distinct, non-negative integer (`single`, `true_false`: exactly one); it has `difficulty`,
//!   `irt` or both; enums (`type`, `difficulty`, `status`, `irt.model`) take their listed values,
//!   with a hint when close;
//! - `irt` carries exactly its model's parameters (1PL: `b`; 2PL: `a`, `b`; 3PL: `a`, `b`, `c`;
//!   4PL: `a`, `b`, `c`, `d`) with `0 < a ≤ 10`, `-10 ≤ b ≤ 10`, `0 ≤ c < 0.5`, `0 < d ≤ 1`;
//! - `exposure` is in (0, 1]; reference URLs match `^https?://\S+$`; enemies are distinct slugs;
//! - an item's `reviewed` and a changelog entry's `date` are calendar dates written
//!   `YYYY-MM-DD` (the schema's pattern spells out the days of each month and the leap years);
//!   `watch`, a changelog entry's `version` and each of its `changes` are non-blank text, and
//!   `changes` is not empty;
//! - at least one item is active (`status` absent or `active`).
//!
//! `a` is capped at 10: on the logistic metric with D = 1 calibrated discriminations lie well
//! below 4, and a larger value is an estimation artefact (a near-step response function whose
//! information spike would dominate item selection), not a property of a question.
//!
//! # Cross-field rules
//!
//! JSON Schema cannot express these; only the validator checks them (the schema lists them in
//! its top-level `$comment`):
//!
//! 1. item ids are unique;
//! 2. topic ids are unique;
//! 3. level names are unique;
//! 4. an item's `topic` is the id of one of the bank's topics;
//! 5. an item's `enemies` are ids of other items of the bank (not the item itself);
//! 6. `key` indices are below the item's number of options;
//! 7. levels' `min_theta` values strictly increase;
//! 8. in `irt`, `d` is greater than `c`;
//! 9. changelog versions are unique;
//! 10. changelog entries run from the newest to the oldest (no date later than the one before).
//!
//! One difference is not a rule but a representation: JSON Schema counts `1.0` as an integer,
//! while the validator asks for `1` in `key`, as the engine reads indices as integers.
//!
//! # Order and cost
//!
//! Problems come in document order: array elements in order, and within an object first its
//! unknown fields (by name), then its missing fields, then its fields' values in the order the
//! format documents them. The walk is linear in the size of the bank: ids are looked up in hash
//! maps, and "did you mean" hints share a fixed budget of work.

mod currency;
mod irt;
mod item;
mod shape;
pub(crate) mod walk;

use std::collections::HashMap;

use serde_json::Value;

use super::{Bank, Level, Topic};
use crate::error::Problem;
use walk::{Path, Report, push_built};

/// The bank's fields, in documented order.
const BANK_FIELDS: &[&str] = &[
    "$schema",
    "format",
    "id",
    "title",
    "description",
    "version",
    "changelog",
    "language",
    "topics",
    "levels",
    "items",
];
const BANK_REQUIRED: &[&str] = &[
    "format",
    "id",
    "title",
    "description",
    "version",
    "language",
    "topics",
    "levels",
    "items",
];
const TOPIC_FIELDS: &[&str] = &["id", "title", "weight"];
const LEVEL_FIELDS: &[&str] = &["name", "description", "min_theta"];

/// Every problem in a bank, in document order; empty when the bank is valid. `source` names
/// the bank in each [`Problem`] (usually its file name). Never panics, whatever the value.
pub fn check(source: &str, value: &Value) -> Vec<Problem> {
    read(source, value).err().unwrap_or_default()
}

/// The bank `value` describes, or every problem in it (as [`check`] lists them).
pub(super) fn read(source: &str, value: &Value) -> Result<Bank, Vec<Problem>> {
    let mut report = Report::new(source);
    let bank = bank(&mut report, value);
    report.finish(bank)
}

/// Checks the bank and builds it; the result is only used when no problem was reported.
fn bank(report: &mut Report<'_>, value: &Value) -> Option<Bank> {
    let root = Path::root();
    let fields = report.object(&root, value, BANK_FIELDS)?;
    report.required(&root, &fields, BANK_REQUIRED);
    let schema = match fields.get("$schema") {
        Some(schema) => report.string(&root.field("$schema"), schema).map(Some),
        None => Some(None),
    };
    let format = fields.get("format").and_then(|format| {
        let path = root.field("format");
        let text = report.string(&path, format)?;
        if text != super::FORMAT {
            let message = format!("must be `{}`, not {}", super::FORMAT, shape::quote(text));
            report.push(&path, message);
        }
        Some(text)
    });
    let id = fields
        .get("id")
        .and_then(|id| report.slug(&root.field("id"), id));
    let [title, description, version] = ["title", "description", "version"].map(|name| {
        fields
            .get(name)
            .and_then(|text| report.text(&root.field(name), text))
    });
    let changelog = currency::changelog(report, &root.field("changelog"), fields.get("changelog"));
    let language = fields.get("language").and_then(|language| {
        let path = root.field("language");
        let tag = report.string(&path, language)?;
        if !shape::is_language_tag(tag) {
            let message = format!(
                "{} is not a BCP 47 language tag such as `en` or `en-GB`",
                shape::quote(tag)
            );
            report.push(&path, message);
        }
        Some(tag)
    });
    let (mut topic_ids, topics) = match fields.get("topics") {
        Some(value) => topics(report, &root.field("topics"), value),
        None => (None, None),
    };
    let levels = fields
        .get("levels")
        .and_then(|value| levels(report, &root.field("levels"), value));
    let items = fields
        .get("items")
        .and_then(|value| item::items(report, &root.field("items"), value, topic_ids.as_mut()));
    // All parts at once, so that a missing one leaves by a single path.
    let (
        Some(schema),
        Some(format),
        Some(id),
        Some(title),
        Some(description),
        Some(version),
        Some(changelog),
        Some(language),
        Some(topics),
        Some(levels),
        Some(items),
    ) = (
        schema,
        format,
        id,
        title,
        description,
        version,
        changelog,
        language,
        topics,
        levels,
        items,
    )
    else {
        return None;
    };
    Some(Bank {
        schema: schema.map(str::to_owned),
        format: format.to_owned(),
        id: id.to_owned(),
        title: title.to_owned(),
        description: description.to_owned(),
        version: version.to_owned(),
        changelog,
        language: language.to_owned(),
        topics,
        levels,
        items,
    })
}

/// The bank's topic ids, for checking items' `topic` (None when `topics` is not an array, so
/// that one mistake there does not flag every item).
struct Topics<'v> {
    /// Each id's index in `topics`.
    known: HashMap<&'v str, usize>,
    /// In document order, so that ties between hints go to the first topic.
    ordered: Vec<&'v str>,
    /// Hints already computed, by unknown topic: the hint's position in `ordered`, or a
    /// position past its end for none. (Positions rather than names keep the validator to one
    /// kind of map, which keeps the WebAssembly build smaller.)
    hints: HashMap<&'v str, usize>,
}

/// Checks `topics`; returns the ids for the items' checks and the built topics.
fn topics<'v>(
    report: &mut Report<'_>,
    path: &Path<'_>,
    value: &'v Value,
) -> (Option<Topics<'v>>, Option<Vec<Topic>>) {
    let Some(list) = report.array(path, value) else {
        return (None, None);
    };
    if list.is_empty() {
        report.push(path, "is empty; a bank needs at least one topic");
    }
    let mut topics = Topics {
        known: HashMap::with_capacity(list.len()),
        ordered: Vec::with_capacity(list.len()),
        hints: HashMap::new(),
    };
    let mut built = Some(Vec::with_capacity(list.len()));
    for (index, topic) in list.iter().enumerate() {
        let path = path.index(index);
        let Some(fields) = report.object(&path, topic, TOPIC_FIELDS) else {
            built = None;
            continue;
        };
        report.required(&path, &fields, &["id", "title"]);
        let id = fields
            .get("id")
            .and_then(|id| report.slug(&path.field("id"), id));
        if let Some(id) = id.filter(|id| !id.is_empty()) {
            match topics.known.get(id) {
                Some(first) => {
                    let message = format!(
                        "duplicate id {}, first used by topics[{first}]",
                        shape::quote(id)
                    );
                    report.push(&path.field("id"), message);
                }
                None => {
                    topics.known.insert(id, index);
                    topics.ordered.push(id);
                }
            }
        }
        let title = fields
            .get("title")
            .and_then(|title| report.text(&path.field("title"), title));
        let weight = match fields.get("weight") {
            Some(weight) => {
                let path = path.field("weight");
                let x = report.number(&path, weight);
                if x.is_some_and(|x| x <= 0.0) {
                    let weight = shape::written(weight);
                    report.push(&path, format!("must be greater than 0, not {weight}"));
                }
                x.map(Some)
            }
            None => Some(None),
        };
        let topic = id
            .zip(title)
            .zip(weight)
            .map(|((id, title), weight)| Topic {
                id: id.to_owned(),
                title: title.to_owned(),
                weight,
            });
        push_built(&mut built, topic);
    }
    (Some(topics), built)
}

/// Checks `levels` and builds them.
fn levels(report: &mut Report<'_>, path: &Path<'_>, value: &Value) -> Option<Vec<Level>> {
    let list = report.array(path, value)?;
    if list.is_empty() {
        report.push(path, "is empty; a bank needs at least one level");
    }
    let mut first_index: HashMap<&str, usize> = HashMap::with_capacity(list.len());
    // The last valid cut seen: (level index, value as written, value).
    let mut previous: Option<(usize, &Value, f64)> = None;
    let mut built = Some(Vec::with_capacity(list.len()));
    for (index, level) in list.iter().enumerate() {
        let path = path.index(index);
        let Some(fields) = report.object(&path, level, LEVEL_FIELDS) else {
            built = None;
            continue;
        };
        let required: &[&str] = if index == 0 {
            &["name"]
        } else {
            &["name", "min_theta"]
        };
        report.required(&path, &fields, required);
        let name = fields
            .get("name")
            .and_then(|name| report.text(&path.field("name"), name));
        if let Some(name) = name.filter(|name| !shape::is_blank(name)) {
            match first_index.get(name) {
                Some(first) => {
                    let message = format!(
                        "duplicate name {}, first used by levels[{first}]",
                        shape::quote(name)
                    );
                    report.push(&path.field("name"), message);
                }
                None => {
                    first_index.insert(name, index);
                }
            }
        }
        let description = match fields.get("description") {
            Some(description) => report
                .text(&path.field("description"), description)
                .map(Some),
            None => Some(None),
        };
        let min_theta = match fields.get("min_theta") {
            Some(cut) => {
                let path = path.field("min_theta");
                if index == 0 {
                    report.push(
                        &path,
                        "the first level is the floor and takes no `min_theta`",
                    );
                    None
                } else {
                    let x = report.number(&path, cut);
                    if let Some(x) = x {
                        if let Some((before, written, y)) = previous {
                            if x <= y {
                                let (written, cut) = (shape::written(written), shape::written(cut));
                                let message = format!(
                                    "must be greater than levels[{before}].min_theta ({written}), not {cut}"
                                );
                                report.push(&path, message);
                            }
                        }
                        previous = Some((index, cut, x));
                    }
                    x.map(Some)
                }
            }
            None => Some(None),
        };
        let level = name
            .zip(description)
            .zip(min_theta)
            .map(|((name, description), min_theta)| Level {
                name: name.to_owned(),
                description: description.map(str::to_owned),
                min_theta,
            });
        push_built(&mut built, level);
    }
    built
}
