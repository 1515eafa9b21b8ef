//! The question-bank format (v1): one JSON file per competency domain.
//!
//! [`Bank::from_json`] and [`Bank::from_value`] build a bank only from a value that passes
//! validation (one walk does both), so a `Bank` in hand always satisfies every rule in
//! `quizbanks/schema.json` and the cross-field rules in [`validate`]. The format is documented
//! for authors in `quizbanks/README.md`.

mod date;
mod defaults;
pub mod review;
pub mod validate;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Problem, Result};
use crate::irt::Params;
use crate::json::{JsonWriter, ToJson};

pub use date::Date;
pub use defaults::default_params;

/// The value of the `format` field for this version of the format.
pub const FORMAT: &str = "skillcat-bank/1";

/// A question bank for one competency domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bank {
    /// An editor hint (`"./schema.json"`); ignored by the engine.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Always [`FORMAT`].
    pub format: String,
    /// The domain's id, a slug such as `cybersecurity`.
    pub id: String,
    pub title: String,
    pub description: String,
    /// Bumped by the author whenever items change; saved sessions are keyed to it.
    pub version: String,
    /// What changed in each version and why, newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changelog: Vec<ChangelogEntry>,
    /// A BCP 47 language tag.
    pub language: String,
    pub topics: Vec<Topic>,
    /// Proficiency levels from lowest to highest.
    pub levels: Vec<Level>,
    pub items: Vec<Item>,
}

/// One version's entry in a bank's changelog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangelogEntry {
    /// The bank's `version` this entry describes.
    pub version: String,
    /// When the version was released.
    pub date: Date,
    /// What changed and why, one line each.
    pub changes: Vec<String>,
}

/// A content area within a domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    pub id: String,
    pub title: String,
    /// Relative target share for content balancing (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
}

/// A named proficiency level; the first has no cut (it is the floor).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The lowest theta that reaches this level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_theta: Option<f64>,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub topic: String,
    #[serde(rename = "type")]
    pub kind: ItemType,
    /// Markdown subset.
    pub stem: String,
    pub options: Vec<Choice>,
    /// Zero-based indices of the correct options.
    pub key: Vec<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    /// When the item's content was last checked against its sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<Date>,
    /// The moving rule or document the item's facts depend on, to re-check when it changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watch: Option<String>,
    #[serde(default)]
    pub status: Status,
    /// Items never shown in the same test as this one (symmetric).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enemies: Vec<String>,
    /// The author's difficulty label, used until the item is calibrated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<Difficulty>,
    /// Calibrated parameters; take precedence over `difficulty`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub irt: Option<Calibration>,
    /// Sympson-Hetter exposure parameter in (0, 1]: the chance the item is administered when
    /// selected (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure: Option<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// How an item is answered and scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemType {
    /// One correct option.
    Single,
    /// One or more correct options; right only when exactly the keyed set is chosen.
    Multiple,
    /// Two options, one correct.
    TrueFalse,
}

/// An option of a choice item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub text: String,
    /// Why this option is right or wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<String>,
}

/// A source the learner can follow up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub citation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Where an item is in its life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being written; never shown.
    Draft,
    /// Seeded unscored into tests to gather responses for calibration.
    Pretest,
    /// Scored and selectable.
    #[default]
    Active,
    /// Withdrawn; never shown.
    Retired,
}

/// The author's difficulty label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

/// Calibrated IRT parameters as written in the bank.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub model: Model,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<f64>,
    pub b: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<f64>,
}

/// The logistic model an item was calibrated with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Model {
    #[serde(rename = "1PL")]
    OnePl,
    #[serde(rename = "2PL")]
    TwoPl,
    #[serde(rename = "3PL")]
    ThreePl,
    #[serde(rename = "4PL")]
    FourPl,
}

impl Bank {
    /// Parses and validates a bank from JSON text. `source` names it in errors (a file name).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidBank`] with every problem found, or a single problem for malformed JSON
    /// (with its line and column).
    pub fn from_json(source: &str, text: &str) -> Result<Bank> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            Error::InvalidBank(vec![Problem {
                source: source.to_string(),
                path: String::new(),
                message: format!("not valid JSON: {e}"),
            }])
        })?;
        Bank::from_value(source, &value)
    }

    /// Validates an already-parsed JSON value and builds the bank, in one walk (see
    /// [`validate`]); the result equals what serde's `Deserialize` gives for a valid value.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidBank`] with every problem found.
    pub fn from_value(source: &str, value: &Value) -> Result<Bank> {
        validate::read(source, value).map_err(Error::InvalidBank)
    }

    /// The level name for a theta: the highest level whose cut the theta reaches.
    pub fn level_for(&self, theta: f64) -> Option<&Level> {
        self.levels
            .iter()
            .rev()
            .find(|level| level.min_theta.is_none_or(|cut| theta >= cut))
    }
}

impl Item {
    /// An active item with no label, calibration, references, review data, enemies or tags:
    /// the starting point that importers and generators fill in with struct-update syntax.
    pub fn new(
        id: String,
        topic: String,
        kind: ItemType,
        stem: String,
        options: Vec<Choice>,
        key: Vec<usize>,
    ) -> Item {
        Item {
            id,
            topic,
            kind,
            stem,
            options,
            key,
            explanation: None,
            references: Vec::new(),
            reviewed: None,
            watch: None,
            status: Status::Active,
            enemies: Vec::new(),
            difficulty: None,
            irt: None,
            exposure: None,
            tags: Vec::new(),
        }
    }

    /// The IRT parameters the engine uses: the calibration if present, otherwise the defaults
    /// for the difficulty label (see [`default_params`]).
    pub fn params(&self) -> Params {
        match self.irt {
            Some(cal) => Params {
                a: cal.a.unwrap_or(1.0),
                b: cal.b,
                c: cal.c.unwrap_or(0.0),
                d: cal.d.unwrap_or(1.0),
            },
            None => default_params(self.kind, self.options.len(), self.difficulty),
        }
    }

    /// Whether a set of chosen option indices is exactly the key.
    pub fn is_correct(&self, chosen: &[usize]) -> bool {
        let mut chosen = chosen.to_vec();
        chosen.sort_unstable();
        chosen.dedup();
        let mut key = self.key.clone();
        key.sort_unstable();
        chosen == key
    }
}

impl ToJson for Topic {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("id", &self.id);
        out.field("title", &self.title);
        out.optional_field("weight", &self.weight);
        out.end_object();
    }
}

impl ToJson for Level {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("name", &self.name);
        out.optional_field("description", &self.description);
        out.optional_field("min_theta", &self.min_theta);
        out.end_object();
    }
}

impl ToJson for Reference {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("citation", &self.citation);
        out.optional_field("url", &self.url);
        out.end_object();
    }
}

impl ToJson for ItemType {
    fn write_json(&self, out: &mut JsonWriter) {
        out.string(match self {
            ItemType::Single => "single",
            ItemType::Multiple => "multiple",
            ItemType::TrueFalse => "true_false",
        });
    }
}
