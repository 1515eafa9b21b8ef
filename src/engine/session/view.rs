//! What leaves the engine for the learner: the item as shown (never its key) and, after an
//! answer, the feedback the mode allows.

use super::{Mode, Session};
use crate::bank::{ItemType, Reference};
use crate::json::declare::json_struct;

json_struct! {
    write;
    /// An item as the learner sees it: no key, no feedback, no explanation.
    #[derive(Debug, Clone, PartialEq)]
    pub struct ItemView {
        pub id: String = "id",
        /// The bank id.
        pub domain: String = "domain",
        /// The topic id.
        pub topic: String = "topic",
        pub kind: ItemType = "type",
        /// Markdown subset, to be rendered as inert text.
        pub stem: String = "stem",
        pub options: Vec<OptionView> = "options",
        /// One-based position in the test.
        pub position: usize = "position",
        /// The most items the test can have from here (see [`Session::max_length`]).
        pub max_length: usize = "maxLength",
    }
}

json_struct! {
    write;
    /// An option as shown.
    #[derive(Debug, Clone, PartialEq)]
    pub struct OptionView {
        pub text: String = "text",
    }
}

json_struct! {
    write;
    /// The result of an answer. In assessment mode only `item`, `recorded` and `finished` are set.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Feedback {
        pub item: String = "item",
        /// The answer was stored.
        pub recorded: bool = "recorded",
        /// Every domain has stopped.
        pub finished: bool = "finished",
        pub correct: Option<bool> = "correct" skip_if "Option::is_none",
        /// Zero-based indices of the correct options.
        pub key: Option<Vec<usize>> = "key" skip_if "Option::is_none",
        /// The learner's options, sorted.
        pub chosen: Vec<usize> = "chosen",
        /// Per option, in option order: why it is right or wrong.
        pub option_feedback: Vec<Option<String>> = "optionFeedback" skip_if "Vec::is_empty",
        pub explanation: Option<String> = "explanation" skip_if "Option::is_none",
        pub references: Vec<Reference> = "references" skip_if "Vec::is_empty",
    }
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

/// The item's key, sorted.
pub(crate) fn sorted_key(item: &crate::bank::Item) -> Vec<usize> {
    let mut key = item.key.clone();
    key.sort_unstable();
    key
}
