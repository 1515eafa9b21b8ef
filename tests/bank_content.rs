//! The bundled banks are worth a learner's time: every bank in `quizbanks/` validates and meets
//! the content rules of the authors' guide (counts, balance of keys, feedback, references), is
//! current (every item reviewed, nothing past its review age, a changelog entry for the version)
//! and avoids two item-writing flaws a program can spot: distractors built on absolute words and
//! keys that repeat the stem's wording. Each currency and flaw check is also run on a bank
//! crafted to break it, so a check that could never fail would be noticed.

use std::collections::{BTreeMap, HashSet};

use skillcat::bank::review::{Policy, Review};
use skillcat::bank::{Bank, Date, Difficulty, Item, ItemType, Status};

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

// ---- Currency and item-writing flaws ------------------------------------------------------

/// The day of the last full content review (bank version 2026.1). Move it forward when the banks
/// are re-reviewed: as of this day no item may be past the default review age.
const REVIEW_DAY: &str = "2026-12-08";

/// Words that make a distractor easy to rule out ("never", "nothing more", "always"): at most
/// this share of a bank's distractors may contain one.
const ABSOLUTES: [&str; 11] = [
    "always",
    "never",
    "nothing",
    "none",
    "guarantee",
    "guarantees",
    "guaranteed",
    "impossible",
    "entirely",
    "completely",
    "absolutely",
];
const MAX_ABSOLUTE_DISTRACTORS: f64 = 0.03;

/// A key "repeats the stem" when the share of its content words found in the stem exceeds the
/// most overlapping distractor's by this much; at most [`MAX_STEM_ECHOES`] of a bank's choice
/// items may do so.
const ECHO_MARGIN: f64 = 0.25;
const MAX_STEM_ECHOES: f64 = 0.05;

/// Words too common to carry a cue.
const STOP_WORDS: &str = "a an the of to in on for and or but is are was were be been being it \
     its this that these those with by as at from into than then so such not no can may must \
     should would will which what who whom whose when where why how do does did has have had \
     their there they them he she his her our your you we i if each any all more most other some \
     same own only also just about after before over under again further once because while both \
     between through during up down out off very";

/// Lowercase words of `text`, without `code spans` (identifiers such as `If-None-Exist` are not
/// prose).
fn prose_words(text: &str) -> Vec<String> {
    let prose: String = text
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, part)| part)
        .collect::<Vec<_>>()
        .join(" ");
    prose
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The distractors of active choice items (true/false items have no wording to judge).
fn distractors(bank: &Bank) -> Vec<(&Item, &str)> {
    active(bank)
        .into_iter()
        .filter(|item| item.kind != ItemType::TrueFalse)
        .flat_map(|item| {
            item.options
                .iter()
                .enumerate()
                .filter(|(i, _)| !item.key.contains(i))
                .map(move |(_, option)| (item, option.text.as_str()))
        })
        .collect()
}

/// `Err` names the distractors with absolute words when they exceed the allowed share.
fn check_absolute_distractors(bank: &Bank) -> Result<(), String> {
    let all = distractors(bank);
    let flagged: Vec<String> = all
        .iter()
        .filter(|(_, text)| {
            prose_words(text)
                .iter()
                .any(|w| ABSOLUTES.contains(&w.as_str()))
        })
        .map(|(item, text)| format!("{}: {text}", item.id))
        .collect();
    let share = flagged.len() as f64 / all.len().max(1) as f64;
    if share > MAX_ABSOLUTE_DISTRACTORS {
        return Err(format!(
            "{}: {:.1}% of distractors use absolute words (at most {:.0}%):\n{}",
            bank.id,
            share * 100.0,
            MAX_ABSOLUTE_DISTRACTORS * 100.0,
            flagged.join("\n")
        ));
    }
    Ok(())
}

/// Content words of `text`, cut to six letters so that *encrypt* matches *encrypted*.
fn content_words(text: &str) -> HashSet<String> {
    let stop: HashSet<&str> = STOP_WORDS.split_whitespace().collect();
    prose_words(text)
        .into_iter()
        .filter(|w| w.chars().count() > 2 && !stop.contains(w.as_str()))
        .map(|w| w.chars().take(6).collect())
        .collect()
}

/// The share of an option's content words that also appear in the stem.
fn stem_overlap(stem: &HashSet<String>, option: &str) -> f64 {
    let words = content_words(option);
    words.intersection(stem).count() as f64 / words.len().max(1) as f64
}

/// `Err` names the items whose key echoes the stem when they exceed the allowed share.
fn check_stem_echoes(bank: &Bank) -> Result<(), String> {
    let items: Vec<&Item> = active(bank)
        .into_iter()
        .filter(|item| item.kind != ItemType::TrueFalse)
        .collect();
    let flagged: Vec<String> = items
        .iter()
        .filter(|item| {
            let stem = content_words(&item.stem);
            let overlap = |keyed: bool| {
                item.options
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| item.key.contains(i) == keyed)
                    .map(|(_, o)| stem_overlap(&stem, &o.text))
                    .fold(0.0, f64::max)
            };
            overlap(true) - overlap(false) >= ECHO_MARGIN
        })
        .map(|item| item.id.clone())
        .collect();
    let share = flagged.len() as f64 / items.len().max(1) as f64;
    if share > MAX_STEM_ECHOES {
        return Err(format!(
            "{}: in {:.1}% of items the key repeats the stem's wording more than any distractor \
             (at most {:.0}%): {}",
            bank.id,
            share * 100.0,
            MAX_STEM_ECHOES * 100.0,
            flagged.join(", ")
        ));
    }
    Ok(())
}

/// `Err` lists the items without a review date and a changelog that does not end at the version.
fn check_reviewed_and_changelog(bank: &Bank) -> Result<(), String> {
    let mut problems: Vec<String> = bank
        .items
        .iter()
        .filter(|item| item.reviewed.is_none())
        .map(|item| format!("{}: no `reviewed` date", item.id))
        .collect();
    match bank.changelog.first() {
        None => problems.push("no changelog".into()),
        Some(latest) if latest.version != bank.version => problems.push(format!(
            "the newest changelog entry is {}, the bank is version {}",
            latest.version, bank.version
        )),
        Some(_) => {}
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}: {}", bank.id, problems.join("; ")))
    }
}

/// `Err` lists the items past the default review age (or undated) on [`REVIEW_DAY`].
fn check_review_age(bank: &Bank) -> Result<(), String> {
    let policy = Policy {
        as_of: REVIEW_DAY.parse().expect("a date"),
        review_age_months: 12,
    };
    let review = Review::of(&bank.id, bank, policy);
    if review.due.is_empty() {
        return Ok(());
    }
    let due: Vec<String> = review
        .due
        .iter()
        .map(|d| format!("{}: {}", d.id, d.reason(policy)))
        .collect();
    Err(format!("{}: {}", bank.id, due.join("; ")))
}

#[test]
fn every_item_is_reviewed_and_every_bank_records_its_version_in_a_changelog() {
    for id in DOMAINS {
        check_reviewed_and_changelog(&load(id)).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn no_item_is_past_its_review_age_on_the_review_day() {
    for id in DOMAINS {
        check_review_age(&load(id)).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn few_distractors_are_built_on_absolute_words() {
    for id in DOMAINS {
        check_absolute_distractors(&load(id)).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn few_keys_repeat_the_stems_wording() {
    for id in DOMAINS {
        check_stem_echoes(&load(id)).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// A bundled bank with `damage` applied to the first `n` active choice items.
fn damaged(n: usize, damage: impl Fn(&mut Item)) -> Bank {
    let mut bank = load("cybersecurity");
    bank.items
        .iter_mut()
        .filter(|i| i.status == Status::Active && i.kind != ItemType::TrueFalse)
        .take(n)
        .for_each(damage);
    bank
}

#[test]
fn the_currency_checks_catch_an_unreviewed_item_a_stale_one_and_a_missing_changelog() {
    let unreviewed = damaged(1, |item| item.reviewed = None);
    let error = check_reviewed_and_changelog(&unreviewed).expect_err("an undated item");
    assert!(error.contains("no `reviewed` date"), "{error}");

    let stale = damaged(1, |item| item.reviewed = Date::new(2025, 12, 7));
    let error = check_review_age(&stale).expect_err("a review 12 months and a day old");
    assert!(error.contains("due for review since 2026-12-07"), "{error}");
    let fresh = damaged(1, |item| item.reviewed = Date::new(2025, 12, 9));
    assert_eq!(check_review_age(&fresh), Ok(()));

    let mut unlogged = load("cybersecurity");
    unlogged.version = "2027.1".into();
    let error = check_reviewed_and_changelog(&unlogged).expect_err("version not in changelog");
    assert!(
        error.contains("newest changelog entry is 2026.1"),
        "{error}"
    );
    unlogged.changelog.clear();
    let error = check_reviewed_and_changelog(&unlogged).expect_err("no changelog");
    assert!(error.contains("no changelog"), "{error}");
}

#[test]
fn the_absolute_word_check_catches_a_bank_whose_distractors_say_never_and_nothing() {
    // Four of the bank's 180 distractors (2.2%) stay within the limit; ten (5.6%) do not.
    let absolute = |item: &mut Item| {
        let distractor = (0..item.options.len())
            .find(|i| !item.key.contains(i))
            .expect("a distractor");
        let text = &mut item.options[distractor].text;
        *text = format!("Nothing more is needed: this never happens in practice. {text}");
    };
    assert_eq!(check_absolute_distractors(&damaged(4, absolute)), Ok(()));
    let error = check_absolute_distractors(&damaged(10, absolute)).expect_err("too many");
    assert!(error.contains("Nothing more is needed"), "{error}");
    // Code is not prose: `None` in an identifier does not count.
    let code = |item: &mut Item| {
        let distractor = (0..item.options.len())
            .find(|i| !item.key.contains(i))
            .expect("a distractor");
        item.options[distractor]
            .text
            .push_str(" with `If-None-Exist`");
    };
    assert_eq!(check_absolute_distractors(&damaged(10, code)), Ok(()));
}

#[test]
fn the_stem_echo_check_catches_keys_that_copy_the_stem() {
    let echo = |item: &mut Item| {
        let key = item.key[0];
        item.options[key].text = item.stem.clone();
    };
    // Two of the bank's 62 choice items (3.2%) stay within the limit; eight (12.9%) do not.
    assert_eq!(check_stem_echoes(&damaged(2, echo)), Ok(()));
    let error = check_stem_echoes(&damaged(8, echo)).expect_err("keys copying stems");
    assert!(error.contains("repeats the stem's wording"), "{error}");
}
