//! Profile files: the validator's exact messages for malformed profiles (file, field, and for a
//! correlation the cell and the pair), and `quizbanks/profile.schema.json` agreeing with it:
//! valid draft 2020-12, accepting the valid fixtures and refusing every invalid one except those
//! that break only a cross-field rule (which it must accept, so the list stays honest).
//!
//! After a deliberate change to a message, rewrite the `.expected` files with
//! `SKILLCAT_BLESS=1 cargo test --test profile` and check the diff.

use std::path::{Path, PathBuf};

use serde_json::Value;
use skillcat::Profile;

/// Invalid fixtures that break only rules JSON Schema cannot express (the schema's `$comment`).
const CROSS_FIELD: &[&str] = &[
    "06-too-few-rows",
    "07-short-row",
    "09-diagonal-not-1",
    "11-not-symmetric",
    "12-not-positive-definite",
    "13-perfect-correlation",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `.json` files of a fixture folder, sorted by name.
fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures/profiles").join(kind);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .expect("name")
        .to_string_lossy()
        .into_owned()
}

fn schema() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&read(&root().join("quizbanks/profile.schema.json"))).expect("JSON");
    if let Err(error) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("profile.schema.json is not valid draft 2020-12: {error}");
    }
    jsonschema::draft202012::new(&schema).expect("profile.schema.json compiles")
}

#[test]
fn valid_profiles_pass_the_validator_and_the_schema() {
    let schema = schema();
    let valid = fixtures("valid");
    assert!(!valid.is_empty());
    for path in valid {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let text = read(&path);
        let profile = Profile::from_json(&name, &text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(profile.check(&name), Ok(()));
        let value: Value = serde_json::from_str(&text).expect("JSON");
        let errors: Vec<String> = schema.iter_errors(&value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
}

#[test]
fn each_invalid_profile_gives_its_exact_message() {
    let bless = std::env::var_os("SKILLCAT_BLESS").is_some_and(|v| v == "1");
    let invalid = fixtures("invalid");
    assert!(invalid.len() >= 14, "{invalid:?}");
    for path in invalid {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let message = match Profile::from_json(&name, &read(&path)) {
            Ok(profile) => panic!("{name} passed: {profile:?}"),
            Err(error) => error.to_string(),
        };
        let expected = path.with_extension("expected");
        if bless {
            std::fs::write(&expected, format!("{message}\n")).expect("written");
            continue;
        }
        assert_eq!(message, read(&expected).trim_end(), "{name}");
    }
}

#[test]
fn the_schema_refuses_every_invalid_profile_but_those_breaking_only_cross_field_rules() {
    let schema = schema();
    for path in fixtures("invalid") {
        let Ok(value) = serde_json::from_str::<Value>(&read(&path)) else {
            continue;
        };
        let cross_field = CROSS_FIELD.contains(&stem(&path).as_str());
        assert_eq!(schema.is_valid(&value), cross_field, "{}", stem(&path));
    }
}

#[test]
fn the_bundled_schema_names_every_cross_field_rule_the_fixtures_rely_on() {
    let schema: Value =
        serde_json::from_str(&read(&root().join("quizbanks/profile.schema.json"))).expect("JSON");
    let comment = schema["$comment"].as_str().expect("a $comment");
    for rule in [
        "one row per domain",
        "the diagonal is 1",
        "strictly between -1 and 1",
        "symmetric",
        "positive definite",
    ] {
        assert!(comment.contains(rule), "{rule}");
    }
}
