//! The currency metadata: an item's `reviewed` date and `watch` note, and a bank's `changelog`,
//! whose versions are unique and whose entries run from the newest to the oldest. (Whether a
//! date lies after the day a bank is checked for is a question for [`crate::bank::review`],
//! which knows that day; the format only asks for real dates.)
//!
//! The metadata serves authors and reviewers, never the learner, so the WebAssembly build
//! accepts these three fields without checking or keeping them (they stay empty there): the
//! learner's `.wasm` carries none of this code. Banks are checked in full by `skillcat
//! validate` and by the native library.

use serde_json::Value;

use super::walk::{Path, Report};
use crate::bank::{ChangelogEntry, Date};

/// An item's `reviewed`: a date, when present.
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn reviewed(
    report: &mut Report<'_>,
    path: &Path<'_>,
    value: Option<&Value>,
) -> Option<Option<Date>> {
    match value {
        Some(value) => checks::date(report, path, value).map(Some),
        None => Some(None),
    }
}

/// An item's `watch`: non-blank text, when present.
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn watch(
    report: &mut Report<'_>,
    path: &Path<'_>,
    value: Option<&Value>,
) -> Option<Option<String>> {
    match value {
        Some(value) => report.text(path, value).map(|text| Some(text.to_owned())),
        None => Some(None),
    }
}

/// The bank's `changelog`, when present.
#[cfg(not(target_arch = "wasm32"))]
pub(super) fn changelog(
    report: &mut Report<'_>,
    path: &Path<'_>,
    value: Option<&Value>,
) -> Option<Vec<ChangelogEntry>> {
    match value {
        Some(value) => checks::changelog(report, path, value),
        None => Some(Vec::new()),
    }
}

/// The WebAssembly build: accepted, not checked, not kept.
#[cfg(target_arch = "wasm32")]
pub(super) fn reviewed(
    _: &mut Report<'_>,
    _: &Path<'_>,
    _: Option<&Value>,
) -> Option<Option<Date>> {
    Some(None)
}

/// The WebAssembly build: accepted, not checked, not kept.
#[cfg(target_arch = "wasm32")]
pub(super) fn watch(_: &mut Report<'_>, _: &Path<'_>, _: Option<&Value>) -> Option<Option<String>> {
    Some(None)
}

/// The WebAssembly build: accepted, not checked, not kept.
#[cfg(target_arch = "wasm32")]
pub(super) fn changelog(
    _: &mut Report<'_>,
    _: &Path<'_>,
    _: Option<&Value>,
) -> Option<Vec<ChangelogEntry>> {
    Some(Vec::new())
}

#[cfg(not(target_arch = "wasm32"))]
mod checks {
    use serde_json::Value;

    use super::super::shape;
    use super::super::walk::{FirstSeen, Path, Report, push_built};
    use crate::bank::{ChangelogEntry, Date};

    const ENTRY_FIELDS: &[&str] = &["version", "date", "changes"];

    /// A calendar date written `YYYY-MM-DD`.
    pub(super) fn date(report: &mut Report<'_>, path: &Path<'_>, value: &Value) -> Option<Date> {
        let text = report.string(path, value)?;
        match Date::parse(text) {
            Ok(date) => Some(date),
            Err(reason) => {
                report.push(path, format!("{} {reason}", shape::quote(text)));
                None
            }
        }
    }

    /// `changelog`: entries of a version, a date and what changed, newest first.
    pub(super) fn changelog(
        report: &mut Report<'_>,
        path: &Path<'_>,
        value: &Value,
    ) -> Option<Vec<ChangelogEntry>> {
        let list = report.array(path, value)?;
        let mut versions = FirstSeen::for_len(list.len());
        // The last valid date seen: (entry index, date).
        let mut newer: Option<(usize, Date)> = None;
        let mut built = Some(Vec::with_capacity(list.len()));
        for (index, entry) in list.iter().enumerate() {
            let path = path.index(index);
            let Some(fields) = report.object(&path, entry, ENTRY_FIELDS) else {
                built = None;
                continue;
            };
            report.required(&path, &fields, ENTRY_FIELDS);
            let version = fields.get("version").and_then(|version| {
                let path = path.field("version");
                let text = report.text(&path, version)?;
                if let Some(first) = versions.repeat(text, index) {
                    let message = format!(
                        "duplicate version {}, first used by changelog[{first}]",
                        shape::quote(text)
                    );
                    report.push(&path, message);
                }
                Some(text)
            });
            let date = fields.get("date").and_then(|value| {
            let path = path.field("date");
            let day = date(report, &path, value)?;
            if let Some((before, later)) = newer.filter(|(_, later)| day > *later) {
                let message = format!(
                    "{day} is later than changelog[{before}].date ({later}); list entries newest first"
                );
                report.push(&path, message);
            }
            newer = Some((index, day));
            Some(day)
        });
            let changes = fields
                .get("changes")
                .and_then(|value| changes(report, &path.field("changes"), value));
            let entry = version
                .zip(date)
                .zip(changes)
                .map(|((version, date), changes)| ChangelogEntry {
                    version: version.to_owned(),
                    date,
                    changes,
                });
            push_built(&mut built, entry);
        }
        built
    }

    /// An entry's `changes`: at least one line of text.
    fn changes(report: &mut Report<'_>, path: &Path<'_>, value: &Value) -> Option<Vec<String>> {
        let list = report.array(path, value)?;
        if list.is_empty() {
            report.push(path, "is empty; say what changed in this version and why");
        }
        let mut built = Some(Vec::with_capacity(list.len()));
        for (index, line) in list.iter().enumerate() {
            let text = report.text(&path.index(index), line);
            push_built(&mut built, text.map(str::to_owned));
        }
        built
    }
}
