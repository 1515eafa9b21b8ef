//! A bank from imported items: the metadata a bank needs besides its items, the default
//! levels, and [`assemble`], which joins the items of several sources into one bank.

use std::collections::{HashMap, HashSet};

use super::{Ids, Imported, Warning, title_from_slug};
use crate::bank::{Bank, FORMAT, Level, Topic};

/// What a bank needs besides its items; [`BankInfo::new`] fills in the defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct BankInfo {
    pub id: String,
    pub title: String,
    pub description: String,
    pub version: String,
    pub language: String,
    /// The topic of items whose source names none.
    pub default_topic: String,
    /// Titles for topic ids; a topic without one gets a title made from its id.
    pub topic_titles: HashMap<String, String>,
    pub levels: Vec<Level>,
}

impl BankInfo {
    /// Defaults: the title made from the id, a description naming no source, version `1`,
    /// language `en`, default topic `general`, and the four levels of the bundled banks
    /// (Foundation; Practitioner from −0.5; Advanced from 0.5; Expert from 1.5).
    pub fn new(id: &str) -> BankInfo {
        BankInfo {
            id: id.to_string(),
            title: title_from_slug(id),
            description: "Imported questions.".to_string(),
            version: "1".to_string(),
            language: "en".to_string(),
            default_topic: "general".to_string(),
            topic_titles: HashMap::new(),
            levels: default_levels(),
        }
    }
}

/// The levels of the bundled banks, with cuts at −0.5, 0.5 and 1.5.
pub fn default_levels() -> Vec<Level> {
    let level = |name: &str, min_theta: Option<f64>, description: &str| Level {
        name: name.to_string(),
        description: Some(description.to_string()),
        min_theta,
    };
    vec![
        level(
            "Foundation",
            None,
            "Knows the vocabulary and the main ideas.",
        ),
        level(
            "Practitioner",
            Some(-0.5),
            "Applies the ideas in routine situations.",
        ),
        level(
            "Advanced",
            Some(0.5),
            "Chooses between options and explains the trade-offs.",
        ),
        level("Expert", Some(1.5), "Judges novel, ambiguous situations."),
    ]
}

/// Builds a bank from imported sources: items in source order, ids unique across sources
/// (a repeated id gets `-2`… with a warning, and the source's enemies follow the rename),
/// empty topics set to the default topic, and topics listed in first-seen order. The bank is
/// not validated here: pass it through [`Bank::from_value`] before writing it.
pub fn assemble(info: &BankInfo, parts: Vec<(String, Imported)>) -> (Bank, Vec<Warning>) {
    let mut ids = Ids::new();
    let mut warnings = Vec::new();
    let mut items = Vec::new();
    let mut topic_order: Vec<String> = Vec::new();
    let mut seen_topics = HashSet::new();
    let mut add_topic = |topic: &str, order: &mut Vec<String>| {
        if seen_topics.insert(topic.to_string()) {
            order.push(topic.to_string());
        }
    };
    for (source, imported) in parts {
        warnings.extend(imported.warnings);
        for topic in imported.topics.iter().filter(|topic| !topic.is_empty()) {
            add_topic(topic, &mut topic_order);
        }
        let mut renamed = HashMap::new();
        let first = items.len();
        for mut item in imported.items {
            let id = ids.claim(&item.id);
            if id != item.id {
                warnings.push(Warning::new(
                    &source,
                    None,
                    format!(
                        "item id `{}` is already used by an earlier source; renamed to `{id}`",
                        item.id
                    ),
                ));
                renamed.insert(std::mem::replace(&mut item.id, id.clone()), id);
            }
            if item.topic.is_empty() {
                item.topic.clone_from(&info.default_topic);
            }
            add_topic(&item.topic, &mut topic_order);
            items.push(item);
        }
        for item in &mut items[first..] {
            for enemy in &mut item.enemies {
                if let Some(new) = renamed.get(enemy) {
                    enemy.clone_from(new);
                }
            }
        }
    }
    let topics = topic_order
        .into_iter()
        .map(|id| Topic {
            title: info
                .topic_titles
                .get(&id)
                .cloned()
                .unwrap_or_else(|| title_from_slug(&id)),
            id,
            weight: None,
        })
        .collect();
    let bank = Bank {
        schema: None,
        format: FORMAT.to_string(),
        id: info.id.clone(),
        title: info.title.clone(),
        description: info.description.clone(),
        version: info.version.clone(),
        changelog: Vec::new(),
        language: info.language.clone(),
        topics,
        levels: info.levels.clone(),
        items,
    };
    (bank, warnings)
}
