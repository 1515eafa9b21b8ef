//! The bank validator against its fixtures (`tests/fixtures/banks/`), the bundled banks, and
//! random input.
//!
//! Each `invalid/NN-short-name.json` comes with `NN-short-name.expected`: the exact problems,
//! one `Problem` display line each, in order, with the file name as the source.

#[allow(dead_code)]
#[path = "fixtures/banks/support.rs"]
mod support;

use std::fs;

use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use skillcat::{Bank, Error};
use support::{
    arbitrary_json, bundled_banks, file_name, fixtures, full_fixture, json_files, mutate, mutation,
    read,
};

/// The problem lines for a bank text, or None when it loads.
fn problems(source: &str, text: &str) -> Option<Vec<String>> {
    match Bank::from_json(source, text) {
        Ok(_) => None,
        Err(Error::InvalidBank(problems)) => {
            Some(problems.iter().map(ToString::to_string).collect())
        }
        Err(other) => panic!("{source}: expected Error::InvalidBank, got {other:?}"),
    }
}

#[test]
fn every_invalid_fixture_reports_exactly_its_expected_problems() {
    let files = json_files(&fixtures().join("invalid"));
    assert!(files.len() >= 30, "only {} invalid fixtures", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let name = file_name(path);
        let expected_path = path.with_extension("expected");
        let expected: Vec<String> = read(&expected_path).lines().map(str::to_string).collect();
        assert!(!expected.is_empty(), "{} is empty", expected_path.display());
        let actual = problems(&name, &read(path)).unwrap_or_default();
        if actual != expected {
            failures.push(format!(
                "{name}\n  expected:\n    {}\n  actual:\n    {}",
                expected.join("\n    "),
                actual.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_fixtures_are_named_and_paired() {
    let dir = fixtures().join("invalid");
    for path in json_files(&dir) {
        let name = file_name(&path);
        let stem = name.trim_end_matches(".json");
        let (number, short) = stem.split_at(2.min(stem.len()));
        assert!(
            number.bytes().all(|b| b.is_ascii_digit()) && short.starts_with('-') && short.len() > 1,
            "{name} is not named NN-short-name.json"
        );
        assert!(
            path.with_extension("expected").is_file(),
            "{name} has no .expected file"
        );
    }
    for entry in fs::read_dir(&dir).expect("invalid fixtures") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_some_and(|ext| ext == "expected") {
            assert!(
                path.with_extension("json").is_file(),
                "{} has no .json",
                path.display()
            );
        }
    }
}

#[test]
fn from_value_reports_what_from_json_reports() {
    for path in json_files(&fixtures().join("invalid")) {
        let name = file_name(&path);
        let text = read(&path);
        let Ok(value) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        assert_eq!(
            Bank::from_value(&name, &value),
            Bank::from_json(&name, &text),
            "{name}"
        );
    }
}

/// The bank the validator builds in its walk, next to what serde's derived `Deserialize` makes
/// of the same value: they must be equal whenever the validator accepts.
fn assert_built_as_serde_would(source: &str, value: &Value) {
    if let Ok(built) = Bank::from_value(source, value) {
        let derived = Bank::deserialize(value);
        assert_eq!(derived.as_ref().ok(), Some(&built), "{source}: {derived:?}");
    }
}

#[test]
fn built_banks_equal_serde_deserialised_banks() {
    let mut paths = json_files(&fixtures().join("valid"));
    paths.extend(bundled_banks());
    for path in &paths {
        let value: Value = serde_json::from_str(&read(path)).expect("parses");
        assert!(Bank::from_value("bank.json", &value).is_ok());
        assert_built_as_serde_would(&file_name(path), &value);
    }
    assert_built_as_serde_would("large.json", &large_bank(50));
}

#[test]
fn valid_fixtures_load() {
    for path in json_files(&fixtures().join("valid")) {
        let name = file_name(&path);
        if let Some(lines) = problems(&name, &read(&path)) {
            panic!("{}", lines.join("\n"));
        }
    }
}

#[test]
fn minimal_fixture_is_one_topic_one_level_one_item() {
    let text = read(&fixtures().join("valid/minimal.json"));
    let bank = Bank::from_json("minimal.json", &text).expect("minimal.json loads");
    assert_eq!(
        (bank.topics.len(), bank.levels.len(), bank.items.len()),
        (1, 1, 1)
    );
}

/// Every key used anywhere at `pointer` (an array of objects, or of arrays of objects when
/// `nested` names a field of each element).
fn keys_used(elements: &[Value], nested: Option<&str>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut add = |object: &Map<String, Value>| {
        for key in object.keys() {
            if !keys.contains(key) {
                keys.push(key.clone());
            }
        }
    };
    for element in elements {
        match nested {
            None => add(element.as_object().expect("an object")),
            Some(field) => match element.get(field) {
                Some(Value::Array(inner)) => inner
                    .iter()
                    .for_each(|v| add(v.as_object().expect("an object"))),
                Some(Value::Object(inner)) => add(inner),
                _ => {}
            },
        }
    }
    keys.sort();
    keys
}

fn values_used(items: &[Value], pointer: &str) -> Vec<String> {
    let mut values: Vec<String> = items
        .iter()
        .filter_map(|item| item.pointer(pointer).and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    values.sort();
    values.dedup();
    values
}

#[test]
fn full_fixture_uses_every_field_and_every_enum_value() {
    let text = read(&fixtures().join("valid/full.json"));
    let value: Value = serde_json::from_str(&text).expect("full.json parses");
    let sorted = |names: &[&str]| {
        let mut names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        names.sort();
        names
    };
    let root = value.as_object().expect("an object");
    let mut top: Vec<String> = root.keys().cloned().collect();
    top.sort();
    let bank_fields = [
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
    assert_eq!(top, sorted(&bank_fields));
    let changelog = value["changelog"].as_array().expect("an array").clone();
    assert_eq!(
        keys_used(&changelog, None),
        sorted(&["version", "date", "changes"])
    );
    let list = |name: &str| value[name].as_array().expect("an array").clone();
    let (topics, levels, items) = (list("topics"), list("levels"), list("items"));
    assert_eq!(keys_used(&topics, None), sorted(&["id", "title", "weight"]));
    assert_eq!(
        keys_used(&levels, None),
        sorted(&["name", "description", "min_theta"])
    );
    let item_fields = [
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
    assert_eq!(keys_used(&items, None), sorted(&item_fields));
    assert_eq!(
        keys_used(&items, Some("options")),
        sorted(&["text", "feedback"])
    );
    assert_eq!(
        keys_used(&items, Some("references")),
        sorted(&["citation", "url"])
    );
    assert_eq!(
        keys_used(&items, Some("irt")),
        sorted(&["model", "a", "b", "c", "d"])
    );
    assert_eq!(
        values_used(&items, "/type"),
        sorted(&["single", "multiple", "true_false"])
    );
    assert_eq!(
        values_used(&items, "/difficulty"),
        sorted(&["easy", "medium", "hard"])
    );
    assert_eq!(
        values_used(&items, "/status"),
        sorted(&["draft", "pretest", "active", "retired"])
    );
    assert_eq!(
        values_used(&items, "/irt/model"),
        sorted(&["1PL", "2PL", "3PL", "4PL"])
    );
    let bank = Bank::from_value("full.json", &value).expect("full.json loads");
    assert_eq!(bank.items.len(), 6);
}

#[test]
fn every_bundled_bank_loads() {
    let banks = bundled_banks();
    if banks.is_empty() {
        println!("note: quizbanks/ holds no bank yet; nothing to check");
        return;
    }
    let mut failures = Vec::new();
    for path in &banks {
        let name = file_name(path);
        if let Some(lines) = problems(&name, &read(path)) {
            failures.push(lines.join("\n"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A valid bank of `count` items where item i and item i + 1 are enemies.
fn large_bank(count: usize) -> Value {
    let items: Vec<Value> = (0..count)
        .map(|i| {
            json!({
                "id": format!("item-{i}"),
                "topic": if i % 2 == 0 { "even" } else { "odd" },
                "type": "single",
                "irt": { "model": "2PL", "a": 1.0, "b": (i % 41) as f64 / 10.0 - 2.0 },
                "stem": format!("Question {i}?"),
                "options": [{ "text": "yes" }, { "text": "no" }],
                "key": [i % 2],
                "enemies": [format!("item-{}", (i + 1) % count)],
            })
        })
        .collect();
    json!({
        "format": "skillcat-bank/1", "id": "large", "title": "Large", "description": "Many items.",
        "version": "1", "language": "en",
        "topics": [{ "id": "even", "title": "Even" }, { "id": "odd", "title": "Odd" }],
        "levels": [{ "name": "Low" }, { "name": "High", "min_theta": 0 }],
        "items": items,
    })
}

#[test]
fn a_large_bank_with_enemy_references_loads() {
    let bank = Bank::from_value("large.json", &large_bank(20_000)).expect("valid");
    assert_eq!(bank.items.len(), 20_000);
    assert_eq!(bank.items[19_999].enemies, ["item-0"]);
}

#[test]
fn every_duplicate_in_a_large_bank_is_reported_against_the_first() {
    let mut value = large_bank(20_000);
    for item in value["items"].as_array_mut().expect("items") {
        item["id"] = json!("same");
        item["enemies"] = json!([]);
    }
    let Err(Error::InvalidBank(problems)) = Bank::from_value("large.json", &value) else {
        panic!("duplicates accepted");
    };
    assert_eq!(problems.len(), 19_999);
    assert_eq!(
        problems[0].to_string(),
        r#"large.json: items[1] ("same").id: duplicate id `same`, first used by items[0]"#
    );
}

/// The fallback error `Bank::from_value` gives when the validator accepts what it cannot build.
fn is_serde_fallback(result: &Result<Bank, Error>) -> bool {
    matches!(result, Err(Error::InvalidBank(problems))
        if problems.iter().any(|p| p.message.starts_with("does not match the bank format")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Bank::from_json("random.json", &text);
    }

    #[test]
    fn random_json_values_never_panic_nor_slip_past_the_validator(value in arbitrary_json()) {
        let result = Bank::from_value("random.json", &value);
        prop_assert!(!is_serde_fallback(&result), "{result:?}");
    }

    #[test]
    fn mutated_valid_banks_never_panic_nor_slip_past_the_validator(
        changes in prop::collection::vec((any::<usize>(), mutation()), 1..4)
    ) {
        let mut value = full_fixture();
        for (choice, change) in &changes {
            mutate(&mut value, *choice, change);
        }
        let result = Bank::from_value("mutated.json", &value);
        prop_assert!(!is_serde_fallback(&result), "{result:?}");
        assert_built_as_serde_would("mutated.json", &value);
        let text = serde_json::to_string(&value).expect("serialises");
        prop_assert_eq!(Bank::from_json("mutated.json", &text), result);
    }
}

/// A bank with a 20-million-character title once validated and then froze the learner's page
/// while it laid the title out; now it is refused at once, the message naming the field.
#[test]
fn a_twenty_million_character_title_is_refused_naming_the_field() {
    let mut bank = full_fixture();
    bank["title"] = Value::String("x".repeat(20_000_000));
    assert_eq!(
        problems("huge.json", &bank.to_string()),
        Some(vec![
            "huge.json: title: is 20000000 characters long; the most is 500".to_string()
        ])
    );
}
