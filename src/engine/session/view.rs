//! What leaves the engine for the learner: the item as shown (never its key) and, after an
//! answer, the feedback the mode allows.

use serde::{Deserialize, Serialize};

use super::{Mode, Session};
use crate::bank::{ItemType, Reference};
use crate::json::{JsonWriter, ToJson};

/// An item as the learner sees it: no key, no feedback, no explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemView {
    pub id: String,
    /// The bank id.
    pub domain: String,
    /// The topic id.
    pub topic: String,
    #[serde(rename = "type")]
    pub kind: ItemType,
    /// Markdown subset, to be rendered as inert text.
    pub stem: String,
    pub options: Vec<OptionView>,
    /// One-based position in the test.
    pub position: usize,
    /// The most items the test can have from here (see [`Session::max_length`]).
    pub max_length: usize,
}

/// An option as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionView {
    pub text: String,
}

/// The result of an answer. In assessment mode only `item`, `recorded` and `finished` are set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Feedback {
    pub item: String,
    /// The answer was stored.
    pub recorded: bool,
    /// Every domain has stopped.
    pub finished: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct: Option<bool>,
    /// Zero-based indices of the correct options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Vec<usize>>,
    /// The learner's options, sorted.
    pub chosen: Vec<usize>,
    /// Per option, in option order: why it is right or wrong.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub option_feedback: Vec<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
}

impl Session {
    pub(super) fn view(&self, item: usize) -> ItemView {
        let bank_item = self.bank_item(item);
        ItemView {
            id: bank_item.id.clone(),
            domain: self.pool.domains[self.pool.domain[item]].id.clone(),
            topic: bank_item.topic.clone(),
            kind: bank_item.kind,
            stem: bank_item.stem.clone(),
            options: bank_item
                .options
                .iter()
                .map(|o| OptionView {
                    text: o.text.clone(),
                })
                .collect(),
            position: self.administered.len() + 1,
            max_length: self.max_length().max(self.administered.len() + 1),
        }
    }

    pub(super) fn feedback(&self, item: usize, chosen: &[usize], correct: bool) -> Feedback {
        let bank_item = self.bank_item(item);
        let mut feedback = Feedback {
            item: bank_item.id.clone(),
            recorded: true,
            finished: self.is_finished(),
            correct: None,
            key: None,
            chosen: chosen.to_vec(),
            option_feedback: Vec::new(),
            explanation: None,
            references: Vec::new(),
        };
        if self.config.mode == Mode::Practice {
            feedback.correct = Some(correct);
            feedback.key = Some(sorted_key(bank_item));
            feedback.option_feedback = bank_item
                .options
                .iter()
                .map(|o| o.feedback.clone())
                .collect();
            feedback.explanation = bank_item.explanation.clone();
            feedback.references = bank_item.references.clone();
        }
        feedback
    }
}

impl ToJson for ItemView {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("id", &self.id);
        out.field("domain", &self.domain);
        out.field("topic", &self.topic);
        out.field("type", &self.kind);
        out.field("stem", &self.stem);
        out.field("options", &self.options);
        out.field("position", &self.position);
        out.field("maxLength", &self.max_length);
        out.end_object();
    }
}

impl ToJson for OptionView {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("text", &self.text);
        out.end_object();
    }
}

impl ToJson for Feedback {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("item", &self.item);
        out.field("recorded", &self.recorded);
        out.field("finished", &self.finished);
        out.optional_field("correct", &self.correct);
        out.optional_field("key", &self.key);
        out.field("chosen", &self.chosen);
        out.list_field("optionFeedback", &self.option_feedback);
        out.optional_field("explanation", &self.explanation);
        out.list_field("references", &self.references);
        out.end_object();
    }
}

/// The item's key, sorted.
pub(crate) fn sorted_key(item: &crate::bank::Item) -> Vec<usize> {
    let mut key = item.key.clone();
    key.sort_unstable();
    key
}
