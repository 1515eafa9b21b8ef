//! `quizbanks/schema.json` and the validator describe the same format: the schema is valid
//! JSON Schema draft 2020-12; every valid fixture and bundled bank passes both; every invalid
//! fixture fails the validator, and the schema too unless it breaks only a cross-field rule
//! (those fixtures are listed in [`CROSS_FIELD`], and the schema must accept them, so the list
//! stays honest); and on randomly changed banks the two never disagree except on cross-field
//! rules.

#[allow(dead_code)]
#[path = "fixtures/banks/support.rs"]
mod support;

use std::path::Path;
use std::sync::LazyLock;

use jsonschema::Validator;
use proptest::prelude::*;
use serde_json::Value;
use skillcat::bank::validate;
use support::{
    bundled_banks, file_name, fixtures, full_fixture, json_files, mutate, mutation, read,
};

/// Invalid fixtures that break only rules JSON Schema cannot express (the schema's
/// `$comment` and the `validate` module documentation list them).
const CROSS_FIELD: &[&str] = &[
    "07-duplicate-item-id",
    "08-duplicate-topic-id",
    "09-duplicate-level-name",
    "10-unknown-topic-hint",
    "11-unknown-enemy",
    "12-self-enemy",
    "14-key-out-of-range",
    "22-d-not-above-c",
    "24-levels-not-increasing",
    "52-changelog-duplicate-version",
    "53-changelog-not-newest-first",
];

/// Problems the validator reports for cross-field rules, recognised by their message. (Plus the
/// one representational difference: JSON Schema counts `1.0` as an integer, the validator asks
/// for `1`.)
fn is_cross_field(message: &str) -> bool {
    const STARTS: &[&str] = &[
        "duplicate id `",
        "duplicate name `",
        "no topic `",
        "no item `",
        "an item cannot be its own enemy",
        "option index ",
        "must be greater than levels[",
        "must be greater than c (",
        "duplicate version `",
    ];
    let whole_float_index = message
        .strip_suffix("` is not an option index (a whole number from 0)")
        .and_then(|rest| rest.strip_prefix('`'))
        .and_then(|number| number.parse::<f64>().ok())
        .is_some_and(|x| x >= 0.0 && x.fract() == 0.0);
    let newest_first = message.ends_with("; list entries newest first");
    STARTS.iter().any(|start| message.starts_with(start)) || whole_float_index || newest_first
}

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("quizbanks/schema.json");
    serde_json::from_str(&read(&path)).expect("schema.json parses")
}

/// The schema, compiled once.
fn compiled_schema() -> &'static Validator {
    static COMPILED: LazyLock<Validator> =
        LazyLock::new(|| jsonschema::draft202012::new(&schema()).expect("schema.json compiles"));
    &COMPILED
}

/// The schema's complaints about a value, one line each.
fn schema_errors(validator: &Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

fn validator_errors(source: &str, value: &Value) -> Vec<String> {
    validate::check(source, value)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn schema_is_valid_draft_2020_12() {
    let schema = schema();
    if let Err(error) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("schema.json is not valid draft 2020-12: {error}");
    }
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn schema_comment_lists_the_cross_field_rules() {
    let comment = schema()["$comment"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    for rule in [
        "item ids are unique",
        "topic ids are unique",
        "level names are unique",
        "`topic` is the id of one of the bank's topics",
        "`enemies` are ids of other items",
        "every `key` index is below the item's number of options",
        "`min_theta` values strictly increase",
        "`d` is greater than `c`",
        "changelog versions are unique",
        "changelog entries run from the newest to the oldest",
    ] {
        assert!(comment.contains(rule), "$comment does not mention: {rule}");
    }
}

#[test]
fn valid_fixtures_and_bundled_banks_pass_schema_and_validator() {
    let validator = compiled_schema();
    let mut files = json_files(&fixtures().join("valid"));
    let banks = bundled_banks();
    if banks.is_empty() {
        println!("note: quizbanks/ holds no bank yet; checking the fixtures only");
    }
    files.extend(banks);
    let mut failures = Vec::new();
    for path in &files {
        let name = file_name(path);
        let value: Value = match serde_json::from_str(&read(path)) {
            Ok(value) => value,
            Err(error) => {
                failures.push(format!("{name}: not valid JSON: {error}"));
                continue;
            }
        };
        for line in schema_errors(validator, &value) {
            failures.push(format!("{name}: schema: {line}"));
        }
        failures.extend(validator_errors(&name, &value));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_fixtures_fail_the_schema_unless_only_cross_field() {
    let validator = compiled_schema();
    let mut failures = Vec::new();
    let mut seen_cross_field = Vec::new();
    for path in json_files(&fixtures().join("invalid")) {
        let name = file_name(&path);
        let stem = name.trim_end_matches(".json");
        let Ok(value) = serde_json::from_str::<Value>(&read(&path)) else {
            assert!(stem.ends_with("malformed-json"), "{name} does not parse");
            continue;
        };
        let problems = validator_errors(&name, &value);
        if problems.is_empty() {
            failures.push(format!("{name}: the validator accepts it"));
        }
        let schema_accepts = validator.is_valid(&value);
        if CROSS_FIELD.contains(&stem) {
            seen_cross_field.push(stem.to_string());
            if !schema_accepts {
                let lines = schema_errors(validator, &value).join("\n    ");
                failures.push(format!(
                    "{name}: listed as cross-field only, but the schema rejects it:\n    {lines}"
                ));
            }
        } else if schema_accepts {
            failures.push(format!(
                "{name}: the schema accepts it; if it breaks only a cross-field rule, list it in CROSS_FIELD"
            ));
        }
    }
    for stem in CROSS_FIELD {
        if !seen_cross_field.iter().any(|seen| seen == stem) {
            failures.push(format!("CROSS_FIELD names {stem}, which is not a fixture"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// On a randomly changed valid bank, whatever the validator accepts the schema accepts, and
    /// whatever the schema accepts the validator rejects only for cross-field rules.
    #[test]
    fn schema_and_validator_agree_on_changed_banks(
        changes in prop::collection::vec((any::<usize>(), mutation()), 1..4)
    ) {
        let validator = compiled_schema();
        let mut value = full_fixture();
        for (choice, change) in &changes {
            mutate(&mut value, *choice, change);
        }
        let problems = validate::check("changed.json", &value);
        let schema_lines = schema_errors(validator, &value);
        if problems.is_empty() {
            prop_assert!(schema_lines.is_empty(), "validator accepts, schema rejects:\n{}\n{}",
                schema_lines.join("\n"), value);
        }
        if schema_lines.is_empty() {
            let other: Vec<String> = problems
                .iter()
                .filter(|problem| !is_cross_field(&problem.message))
                .map(ToString::to_string)
                .collect();
            prop_assert!(other.is_empty(), "schema accepts, validator rejects:\n{}\n{}",
                other.join("\n"), value);
        }
    }
}

/// Whitespace is ECMA-262 `\s` on both sides (so U+0085 is text, and the BOM is whitespace).
#[test]
fn schema_and_validator_agree_on_unusual_whitespace() {
    let validator = compiled_schema();
    let samples = [
        "x", " ", "\u{85}", "\u{feff}", "\u{200b}", "\u{a0}", "\u{2028}", "\u{180e}", "\u{1680}",
        "\u{3000}", "\u{b}",
    ];
    for sample in samples {
        let mut value = full_fixture();
        value["title"] = Value::String(sample.to_string());
        value["items"][0]["references"][0]["url"] = Value::String(format!("https://a{sample}b"));
        let schema_accepts = validator.is_valid(&value);
        let validator_accepts = validator_errors("t.json", &value).is_empty();
        assert_eq!(schema_accepts, validator_accepts, "{sample:?}");
    }
}

/// Collects, for every object schema outside `if`/`then`/`contains` (which only constrain),
/// the problems that make it poor documentation or too lenient.
fn audit(schema: &Value, at: &str, out: &mut Vec<String>) {
    let Value::Object(map) = schema else {
        return;
    };
    if let Some(Value::Object(properties)) = map.get("properties") {
        if map.get("additionalProperties") != Some(&Value::Bool(false)) {
            out.push(format!("{at}: no `additionalProperties: false`"));
        }
        for (name, property) in properties {
            if property
                .get("description")
                .and_then(Value::as_str)
                .is_none()
            {
                out.push(format!("{at}/properties/{name}: no description"));
            }
        }
    }
    for (key, child) in map {
        if matches!(key.as_str(), "if" | "then" | "contains") {
            continue;
        }
        match child {
            Value::Object(_) => audit(child, &format!("{at}/{key}"), out),
            Value::Array(list) => list
                .iter()
                .enumerate()
                .for_each(|(i, item)| audit(item, &format!("{at}/{key}/{i}"), out)),
            _ => {}
        }
    }
}

#[test]
fn every_schema_field_is_described_and_closed() {
    let schema = schema();
    let mut problems = Vec::new();
    audit(&schema, "#", &mut problems);
    for (name, definition) in schema["$defs"].as_object().expect("$defs") {
        if definition.get("description").is_none() {
            problems.push(format!("#/$defs/{name}: no description"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
