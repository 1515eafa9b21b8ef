//! The bundled banks are worth a learner's time: every bank in `quizbanks/` validates and meets
//! the content rules of the authors' guide (counts, balance of keys, feedback, references).

use std::collections::{BTreeMap, HashSet};

use skillcat::bank::{Bank, Difficulty, Item, ItemType, Status};

/// The seven domains that ship with skillcat.
const DOMAINS: [&str; 7] = [
    "genai-ml",
    "cloud",
    "cybersecurity",
    "data-governance",
    "interoperability",
    "regulation",
    "secure-dev",
];

fn load(id: &str) -> Bank {
    let file = format!("{id}.json");
    let path = format!("{}/quizbanks/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Bank::from_json(&file, &text).unwrap_or_else(|e| panic!("{e}"))
}

fn active(bank: &Bank) -> Vec<&Item> {
    bank.items
        .iter()
        .filter(|i| i.status == Status::Active)
        .collect()
}

/// Lowercase word 3-shingles of a stem, for near-duplicate detection.
fn shingles(text: &str) -> HashSet<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.windows(3).map(|w| w.join(" ")).collect()
}

fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        1.0
    } else {
        a.intersection(b).count() as f64 / union as f64
    }
}

/// Stems sharing this share of word 3-shingles or more count as near-identical.
const NEAR_IDENTICAL: f64 = 0.6;

#[test]
fn every_domain_ships_a_valid_bank() {
    for id in DOMAINS {
        let bank = load(id);
        assert_eq!(bank.id, id, "{id}.json declares id `{}`", bank.id);
    }
}

#[test]
fn banks_have_enough_items_topics_and_difficulty_spread() {
    for id in DOMAINS {
        let bank = load(id);
        let items = active(&bank);
        assert!(
            items.len() >= 60,
            "{id}: {} active items, need 60",
            items.len()
        );
        assert!(
            bank.topics.len() >= 6,
            "{id}: {} topics, need 6",
            bank.topics.len()
        );
        for topic in &bank.topics {
            let n = items.iter().filter(|i| i.topic == topic.id).count();
            assert!(
                n >= 6,
                "{id}: topic `{}` has {n} active items, need 6",
                topic.id
            );
        }
        let count = |d: Difficulty| items.iter().filter(|i| i.difficulty == Some(d)).count();
        for (label, d, min) in [
            ("easy", Difficulty::Easy, 15),
            ("medium", Difficulty::Medium, 20),
            ("hard", Difficulty::Hard, 15),
        ] {
            assert!(
                count(d) >= min,
                "{id}: {} {label} items, need {min}",
                count(d)
            );
        }
        assert!(bank.levels.len() >= 3, "{id}: needs proficiency levels");
        assert!(
            bank.levels.iter().all(|l| l
                .description
                .as_deref()
                .is_some_and(|d| !d.trim().is_empty())),
            "{id}: every level needs a description"
        );
    }
}

#[test]
fn banks_mix_item_types_and_scenarios() {
    for id in DOMAINS {
        let bank = load(id);
        let items = active(&bank);
        let n = items.len() as f64;
        let of = |kind: ItemType| items.iter().filter(|i| i.kind == kind).count();
        assert!(
            of(ItemType::Single) as f64 > n / 2.0,
            "{id}: mostly single choice"
        );
        assert!(
            of(ItemType::Multiple) as f64 >= 0.10 * n,
            "{id}: {} multiple-response items, need 10%",
            of(ItemType::Multiple)
        );
        assert!(of(ItemType::TrueFalse) >= 2, "{id}: a few true/false items");
        let scenarios = items
            .iter()
            .filter(|i| i.tags.iter().any(|t| t == "scenario"))
            .count();
        assert!(
            scenarios as f64 >= 0.40 * n,
            "{id}: {scenarios} scenario items, need 40%"
        );
    }
}

#[test]
fn every_item_teaches_feedback_explanation_and_a_reference() {
    for id in DOMAINS {
        let bank = load(id);
        for item in active(&bank) {
            let where_ = format!("{id}: {}", item.id);
            assert!(
                item.options
                    .iter()
                    .all(|o| o.feedback.as_deref().is_some_and(|f| !f.trim().is_empty())),
                "{where_}: feedback on every option"
            );
            assert!(
                item.explanation
                    .as_deref()
                    .is_some_and(|e| !e.trim().is_empty()),
                "{where_}: explanation"
            );
            assert!(
                !item.references.is_empty(),
                "{where_}: at least one reference"
            );
            for option in &item.options {
                let text = option.text.to_lowercase();
                assert!(
                    !text.contains("all of the above") && !text.contains("none of the above"),
                    "{where_}: `{}`",
                    option.text
                );
            }
        }
    }
}

#[test]
fn no_two_stems_are_the_same_or_nearly_so() {
    for id in DOMAINS {
        let bank = load(id);
        let items = active(&bank);
        let sets: Vec<HashSet<String>> = items.iter().map(|i| shingles(&i.stem)).collect();
        for a in 0..items.len() {
            for b in a + 1..items.len() {
                let similarity = jaccard(&sets[a], &sets[b]);
                assert!(
                    similarity < NEAR_IDENTICAL,
                    "{id}: stems of {} and {} are {:.0}% alike",
                    items[a].id,
                    items[b].id,
                    similarity * 100.0
                );
            }
        }
    }
}

#[test]
fn keys_are_balanced_across_positions_and_not_the_longest_option() {
    for id in DOMAINS {
        let bank = load(id);
        let items = active(&bank);
        let mut positions: BTreeMap<usize, usize> = BTreeMap::new();
        for item in &items {
            for &k in &item.key {
                *positions.entry(k).or_default() += 1;
            }
        }
        let total: usize = positions.values().sum();
        for (position, count) in &positions {
            let share = *count as f64 / total as f64;
            assert!(
                share <= 0.40,
                "{id}: {:.0}% of keys at option {position}",
                share * 100.0
            );
        }
        // True/false items are excluded: "False" is always the longer word.
        let choice: Vec<&&Item> = items
            .iter()
            .filter(|i| i.kind != ItemType::TrueFalse)
            .collect();
        let longest_keyed = choice
            .iter()
            .filter(|item| {
                let lengths: Vec<usize> = item
                    .options
                    .iter()
                    .map(|o| o.text.chars().count())
                    .collect();
                let max = *lengths.iter().max().unwrap_or(&0);
                let longest: Vec<usize> =
                    (0..lengths.len()).filter(|&i| lengths[i] == max).collect();
                longest.len() == 1 && item.key.contains(&longest[0])
            })
            .count();
        let share = longest_keyed as f64 / choice.len() as f64;
        assert!(
            share <= 0.40,
            "{id}: the key is the longest option in {:.0}% of items",
            share * 100.0
        );
    }
}
