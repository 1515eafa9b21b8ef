//! The bank catalog, `quizbanks/index.json`: one entry per bank in a folder (id, file, title,
//! description, language, version, item counts), so that pages list the banks without naming
//! them in code. `skillcat catalog` writes it and checks that it is up to date; the demo and
//! `<skillcat-quiz banks="*">` read it.
//!
//! A folder's banks are its `*.json` files except the few that are not banks
//! ([`NOT_BANKS`]: the schema, the catalog itself and the skill profile). Each bank file must
//! be named `<id>.json`, since the element fetches a bank by its id.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::bank::{Bank, Status};
use crate::error::{Error, Problem, Result};

/// The value of the catalog's `format` field.
pub const FORMAT: &str = "skillcat-catalog/1";

/// The catalog's file name in its folder.
pub const FILE_NAME: &str = "index.json";

/// JSON files of a bank folder that are not banks: this catalog and the skill profile
/// (`profile.json`: domains and their correlations, not items); JSON Schemas (`schema.json`,
/// `profile.schema.json`) are recognised by their suffix.
pub const NOT_BANKS: [&str; 2] = [FILE_NAME, "profile.json"];

/// The suffix of the JSON Schemas kept next to the banks.
const SCHEMA_SUFFIX: &str = "schema.json";

/// What the generated file says about itself.
const COMMENT: &str = "Generated from the banks in this folder by `skillcat catalog`; do not edit. \
Adding a bank: put <id>.json here and run `skillcat catalog` (`make catalog`).";

/// Whether a file name in a bank folder names a bank.
pub fn is_bank_file(name: &str) -> bool {
    name.ends_with(".json") && !name.ends_with(SCHEMA_SUFFIX) && !NOT_BANKS.contains(&name)
}

/// The bank files of a folder, sorted by name.
///
/// # Errors
///
/// The folder cannot be read.
pub fn bank_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_str().is_some_and(is_bank_file) && entry.path().is_file() {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

/// The catalog of a bank folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    /// Always [`FORMAT`].
    pub format: String,
    /// Sorted by id.
    pub banks: Vec<Entry>,
}

/// One bank as the catalog lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    /// The file name in the folder: `<id>.json`.
    pub file: String,
    pub title: String,
    pub description: String,
    /// A BCP 47 language tag.
    pub language: String,
    /// The author's version of the bank.
    pub version: String,
    /// Every item in the file, whatever its status.
    pub items: usize,
    /// The items a test can score (status `active`): what a learner may be asked.
    pub active_items: usize,
}

impl Entry {
    /// The entry of a valid bank read from the file named `file`.
    pub fn new(file: &str, bank: &Bank) -> Entry {
        Entry {
            id: bank.id.clone(),
            file: file.to_string(),
            title: bank.title.clone(),
            description: bank.description.clone(),
            language: bank.language.clone(),
            version: bank.version.clone(),
            items: bank.items.len(),
            active_items: bank
                .items
                .iter()
                .filter(|item| item.status == Status::Active)
                .count(),
        }
    }
}

impl Catalog {
    /// The catalog of valid banks, each with its file name (not a path).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidBank`] for every bank whose file is not named `<id>.json`.
    pub fn from_banks<'a>(banks: impl IntoIterator<Item = (&'a str, &'a Bank)>) -> Result<Catalog> {
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        for (file, bank) in banks {
            let expected = format!("{}.json", bank.id);
            if file != expected {
                problems.push(Problem {
                    source: file.to_string(),
                    path: "id".into(),
                    message: format!(
                        "the bank's id is \"{}\" but its file is {file}: pages fetch a bank as \
                         <id>.json, so rename the file to {expected}",
                        bank.id
                    ),
                });
            }
            entries.push(Entry::new(file, bank));
        }
        if !problems.is_empty() {
            return Err(Error::InvalidBank(problems));
        }
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Catalog {
            comment: COMMENT.into(),
            format: FORMAT.into(),
            banks: entries,
        })
    }

    /// The catalog file's text: JSON indented by two spaces, with a final newline. The same
    /// banks always give the same text, so a committed catalog can be compared byte for byte.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a catalog always serializes");
        text.push('\n');
        text
    }

    /// Reads a catalog file; `source` names it in the error.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidBank`] with one problem when the text is not a catalog of this format.
    pub fn from_json(source: &str, text: &str) -> Result<Catalog> {
        let problem = |message: String| {
            Error::InvalidBank(vec![Problem {
                source: source.to_string(),
                path: String::new(),
                message,
            }])
        };
        let catalog: Catalog =
            serde_json::from_str(text).map_err(|e| problem(format!("not a bank catalog: {e}")))?;
        if catalog.format != FORMAT {
            return Err(problem(format!(
                "format is \"{}\", expected \"{FORMAT}\"",
                catalog.format
            )));
        }
        Ok(catalog)
    }

    /// How `self` (the banks as they are) differs from `old` (a catalog written earlier), one
    /// line per bank: `added: x`, `removed: y`, `changed: z (version 1 → 2, items 60 → 61)`.
    pub fn changes_since(&self, old: &Catalog) -> Vec<String> {
        let mut lines = Vec::new();
        for entry in &self.banks {
            match old.banks.iter().find(|o| o.id == entry.id) {
                None => lines.push(format!("added: {}", entry.id)),
                Some(o) if o != entry => {
                    lines.push(format!(
                        "changed: {} ({})",
                        entry.id,
                        fields_changed(o, entry)
                    ));
                }
                Some(_) => {}
            }
        }
        for o in &old.banks {
            if !self.banks.iter().any(|e| e.id == o.id) {
                lines.push(format!("removed: {}", o.id));
            }
        }
        lines
    }
}

/// `version 2025.1 → 2025.2, items 60 → 61`; long texts are named, not quoted.
fn fields_changed(old: &Entry, new: &Entry) -> String {
    let mut parts = Vec::new();
    let mut short = |name: &str, a: String, b: String| {
        if a != b {
            parts.push(format!("{name} {a} → {b}"));
        }
    };
    short("file", old.file.clone(), new.file.clone());
    short("language", old.language.clone(), new.language.clone());
    short("version", old.version.clone(), new.version.clone());
    short("items", old.items.to_string(), new.items.to_string());
    short(
        "active_items",
        old.active_items.to_string(),
        new.active_items.to_string(),
    );
    for (name, a, b) in [
        ("title", &old.title, &new.title),
        ("description", &old.description, &new.description),
    ] {
        if a != b {
            parts.push(format!("{name} edited"));
        }
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_json_files_that_are_not_schema_catalog_or_profile_are_banks() {
        assert!(is_bank_file("cloud.json"));
        assert!(!is_bank_file("schema.json"));
        assert!(!is_bank_file("index.json"));
        assert!(!is_bank_file("profile.json"));
        assert!(!is_bank_file("README.md"));
        assert!(!is_bank_file("LICENSE"));
    }
}
