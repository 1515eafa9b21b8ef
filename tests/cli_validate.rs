//! `skillcat validate`, run as a built binary: exit statuses, problems with their exact lines,
//! the JSON output; and the JSON-path-to-line locator behind it, on nested paths and on
//! arbitrary text.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use proptest::prelude::*;
use serde_json::Value;
use skillcat::source_lines::{LineIndex, Segment};

const BIN: &str = env!("CARGO_BIN_EXE_skillcat");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/cli")
}

/// Runs `skillcat` in `dir`.
fn skillcat(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

/// The bundled banks: every JSON file in `quizbanks/` except the schema, catalog and profile.
fn bundled_banks() -> Vec<String> {
    let mut banks: Vec<String> = std::fs::read_dir(root().join("quizbanks"))
        .expect("quizbanks/")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| skillcat::catalog::is_bank_file(name))
        .map(|name| format!("quizbanks/{name}"))
        .collect();
    banks.sort();
    banks
}

#[test]
fn every_bundled_bank_is_valid_with_exit_status_0_and_an_ok_line_each() {
    let banks = bundled_banks();
    assert!(banks.len() >= 7, "{banks:?}");
    let args: Vec<&str> = std::iter::once("validate")
        .chain(banks.iter().map(String::as_str))
        .collect();
    let output = skillcat(root(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), banks.len());
    for (line, bank) in lines.iter().zip(&banks) {
        let json = std::fs::read_to_string(root().join(bank)).expect("bank");
        let items = serde_json::from_str::<Value>(&json).expect("JSON")["items"]
            .as_array()
            .map_or(0, Vec::len);
        assert_eq!(*line, format!("{bank}: ok: {items} items"));
    }
    assert!(output.stderr.is_empty());
}

#[test]
fn problems_are_printed_with_file_line_path_and_message_and_exit_status_1() {
    for name in ["problems", "broken-syntax"] {
        let output = skillcat(&fixtures(), &["validate", &format!("{name}.json")]);
        assert_eq!(output.status.code(), Some(1), "{name}");
        let expected = std::fs::read_to_string(fixtures().join(format!("{name}.expected")))
            .expect("expected output");
        assert_eq!(stdout(&output), expected, "{name}");
    }
}

#[test]
fn the_line_of_each_problem_holds_what_it_names() {
    // Independent of the .expected file: each reported line contains the offending text.
    let text = std::fs::read_to_string(fixtures().join("problems.json")).expect("fixture");
    let lines: Vec<&str> = text.lines().collect();
    let output = skillcat(
        &fixtures(),
        &["validate", "--format", "json", "problems.json"],
    );
    let problems: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let at = |path: &str| {
        let problem = problems
            .as_array()
            .and_then(|list| list.iter().find(|p| p["path"] == path))
            .unwrap_or_else(|| panic!("no problem at {path}"));
        let line = problem["line"].as_u64().expect("line") as usize;
        lines[line - 1]
    };
    assert!(at(r#"items[0] ("cyb-ransom-01").key[0]"#).trim() == "5");
    assert!(at(r#"items[1] ("cyb-device-01").options[2].text"#).contains("42"));
    assert!(at(r#"items[1] ("cyb-device-01").references[0].url"#).contains("ftp://"));
    assert!(at(r#"items[2] ("cyb-device-02").topic"#).contains(r#""device""#));
    assert!(at("topics[1].weight").contains(r#""weight": 0"#));
}

#[test]
fn json_output_is_an_array_of_file_line_path_message_across_files() {
    let output = skillcat(
        &fixtures(),
        &[
            "validate",
            "--format",
            "json",
            "problems.json",
            "broken-syntax.json",
            "../../../quizbanks/cloud.json",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let problems: Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON only");
    let list = problems.as_array().expect("an array");
    assert_eq!(list.len(), 11);
    for problem in list {
        let fields: Vec<&str> = problem
            .as_object()
            .expect("objects")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(fields, ["file", "line", "message", "path"]);
        assert!(problem["line"].as_u64().is_some_and(|line| line >= 1));
    }
    assert_eq!(
        list[3],
        serde_json::json!({
            "file": "problems.json",
            "line": 35,
            "path": "items[0] (\"cyb-ransom-01\").key[0]",
            "message": "option index 5 but the item has 4 options",
        })
    );
    assert_eq!(list[10]["file"], "broken-syntax.json");
    assert_eq!(list[10]["path"], "");
    assert_eq!(list[10]["line"], 6);

    let valid = skillcat(
        root(),
        &["validate", "--format", "json", "quizbanks/cloud.json"],
    );
    assert_eq!(valid.status.code(), Some(0));
    assert_eq!(stdout(&valid).trim(), "[]");
}

#[test]
fn unreadable_files_and_usage_errors_exit_with_status_2_after_checking_the_rest() {
    let output = skillcat(&fixtures(), &["validate", "missing.json", "problems.json"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("skillcat: cannot read missing.json: "),
        "{stderr}"
    );
    assert!(stdout(&output).ends_with("problems.json: 10 problems\n"));

    assert_eq!(skillcat(root(), &["validate"]).status.code(), Some(2));
    let bad_format = skillcat(
        root(),
        &["validate", "--format", "xml", "quizbanks/cloud.json"],
    );
    assert_eq!(bad_format.status.code(), Some(2));
}

#[test]
fn text_that_is_not_utf8_is_a_problem_on_its_line() {
    let path =
        std::env::temp_dir().join(format!("skillcat-cli-{}-latin1.json", std::process::id()));
    std::fs::write(&path, b"{\n  \"title\": \"Caf\xe9\"\n}\n").expect("temp file");
    let output = skillcat(
        root(),
        &["validate", "--format", "json", path.to_str().expect("path")],
    );
    std::fs::remove_file(&path).ok();
    assert_eq!(output.status.code(), Some(1));
    let problems: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(problems[0]["line"], 2);
    assert!(
        problems[0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("not UTF-8 text"))
    );
}

/// Every path in a value with the line where `serde_json::to_string_pretty` puts it: each
/// member or element of a non-empty container starts a new line, and a non-empty container's
/// closing bracket takes one more. (An oracle independent of the locator.)
fn pretty_lines(
    value: &Value,
    path: &mut Vec<Segment<'static>>,
    line: &mut usize,
    out: &mut Vec<(Vec<Segment<'static>>, usize)>,
) {
    let children: Vec<(Segment<'static>, &Value)> = match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| (Segment::Field(k.clone().into()), v))
            .collect(),
        Value::Array(list) => list
            .iter()
            .enumerate()
            .map(|(i, v)| (Segment::Index(i), v))
            .collect(),
        _ => Vec::new(),
    };
    if children.is_empty() {
        return;
    }
    for (segment, child) in children {
        *line += 1;
        path.push(segment);
        out.push((path.clone(), *line));
        pretty_lines(child, path, line, out);
        path.pop();
    }
    *line += 1;
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "\\PC{0,8}".prop_map(Value::from),
        // Keys and strings with quotes, backslashes, newlines and non-BMP characters.
        "[\"\\\\\n\t/a😀é]{0,4}".prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[\"\\\\\n\ta-z😀{}\\[\\]:,]{0,6}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn locator_finds_the_line_of_every_nested_path(value in json_value()) {
        let text = serde_json::to_string_pretty(&value).expect("serializable");
        let index = LineIndex::new(&text);
        let mut expected = vec![(Vec::new(), 1)];
        pretty_lines(&value, &mut Vec::new(), &mut 1, &mut expected);
        for (path, line) in &expected {
            prop_assert_eq!(index.line_of(path), Some(*line), "path {:?} in\n{}", path, text);
        }
        // On one line, everything is on line 1.
        let compact = LineIndex::new(&serde_json::to_string(&value).expect("serializable"));
        for (path, _) in &expected {
            prop_assert_eq!(compact.line_of(path), Some(1));
        }
    }

    #[test]
    fn locator_never_panics_and_stays_within_the_text(
        text in "(\\PC|[\n{}\\[\\]\":,\\\\])*",
        path in "(\\PC|[\\[\\]().\"\\\\0-9])*",
    ) {
        let index = LineIndex::new(&text);
        let line = index.locate(&path);
        prop_assert!(line >= 1 && line <= 1 + text.matches('\n').count());
    }

    #[test]
    fn locator_never_panics_on_damaged_banks(cut in 0usize..4000, junk in "\\PC{0,3}") {
        let text = std::fs::read_to_string(fixtures().join("problems.json")).expect("fixture");
        let mut cut = cut.min(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let damaged = format!("{}{junk}{}", &text[..cut], &text[cut..].replacen('}', "", 1));
        let index = LineIndex::new(&damaged);
        let line = index.locate(r#"items[1] ("cyb-device-01").options[2].text"#);
        prop_assert!(line >= 1 && line <= 1 + damaged.matches('\n').count());
    }
}

const FULL: &str = "tests/fixtures/banks/valid/full.json";

/// The 1-based line of `full.json` holding `needle`, found independently of the locator.
fn full_line(needle: &str) -> usize {
    let text = std::fs::read_to_string(root().join(FULL)).expect("fixture");
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| line.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(lines.len(), 1, "{needle}: {lines:?}");
    lines[0]
}

#[test]
fn as_of_lists_the_items_due_for_review_and_the_watched_ones_with_their_lines() {
    let output = skillcat(root(), &["validate", "--as-of", "2026-12-08", FULL]);
    // Due items are not problems: the bank stays valid.
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let expected = format!(
        "{FULL}:{}: items[0] (\"cyb-ransom-03\").reviewed: due for review since 2026-06-30: \
         last reviewed 2025-06-30, 17 months before 2026-12-08 (review age 12 months)\n\
         {FULL}:{}: items[1] (\"cyb-ransom-07\").reviewed: due for review since 2025-02-28: \
         last reviewed 2024-02-29, 33 months before 2026-12-08 (review age 12 months)\n\
         {FULL}:{}: items[3] (\"cyb-dev-02\"): due for review: never reviewed (no `reviewed` date)\n\
         {FULL}:{}: items[0] (\"cyb-ransom-03\").watch: watching NIST SP 800-61 (Rev. 2 cited; \
         Rev. 3 of April 2025 supersedes it)\n\
         {FULL}:{}: items[2] (\"cyb-dev-01\").watch: watching FDA premarket cybersecurity \
         guidance (June 2025 revision)\n\
         {FULL}: ok: 6 items; as of 2026-12-08: 3 due for review (review age 12 months), \
         2 watching a moving document\n",
        full_line(r#""reviewed": "2025-06-30""#),
        full_line(r#""reviewed": "2024-02-29""#),
        // An item without a date is located at its opening brace, the line before its id.
        full_line(r#""id": "cyb-dev-02""#) - 1,
        full_line(r#""watch": "NIST SP 800-61"#),
        full_line(r#""watch": "FDA premarket"#),
    );
    assert_eq!(stdout(&output), expected);
    // Without --as-of the clock plays no part and nothing is listed.
    let plain = skillcat(root(), &["validate", FULL]);
    assert_eq!(stdout(&plain), format!("{FULL}: ok: 6 items\n"));
}

#[test]
fn an_item_falls_due_on_the_day_its_review_age_runs_out() {
    // cyb-ransom-03 was reviewed on 2025-06-30; with the default 12 months it is due from
    // 2026-06-30, with 6 months from 2025-12-30 (a day earlier it is not).
    let due = |args: &[&str]| {
        let mut all = vec!["validate", "--format", "json"];
        all.extend_from_slice(args);
        all.push(FULL);
        // (Before 2026-11-30 cyb-dev-01's review date is also reported as a problem.)
        let output = skillcat(root(), &all);
        let review: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        review["due"]
            .as_array()
            .expect("due")
            .iter()
            .map(|d| d["id"].as_str().expect("id").to_string())
            .collect::<Vec<_>>()
    };
    let with_03 = ["cyb-ransom-03", "cyb-ransom-07", "cyb-dev-02"];
    let without_03 = ["cyb-ransom-07", "cyb-dev-02"];
    assert_eq!(due(&["--as-of", "2026-06-29"]), without_03);
    assert_eq!(due(&["--as-of", "2026-06-30"]), with_03);
    assert_eq!(
        due(&["--as-of", "2026-11-30", "--review-age", "6"]),
        with_03
    );
    // A longer review age lets the dated reviews hold; an undated item is always due.
    assert_eq!(
        due(&["--as-of", "2026-12-08", "--review-age", "36"]),
        ["cyb-dev-02"]
    );
}

#[test]
fn json_with_as_of_is_an_object_of_problems_due_and_watched_items() {
    let output = skillcat(
        root(),
        &[
            "validate",
            "--format",
            "json",
            "--as-of",
            "2026-12-08",
            FULL,
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    let review: Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON only");
    let keys: Vec<&String> = review.as_object().expect("an object").keys().collect();
    assert_eq!(
        keys,
        ["asOf", "due", "problems", "reviewAgeMonths", "watched"]
    );
    assert_eq!(review["asOf"], "2026-12-08");
    assert_eq!(review["reviewAgeMonths"], 12);
    assert_eq!(review["problems"], serde_json::json!([]));
    assert_eq!(
        review["due"][0],
        serde_json::json!({
            "file": FULL,
            "line": full_line(r#""reviewed": "2025-06-30""#),
            "path": "items[0] (\"cyb-ransom-03\").reviewed",
            "id": "cyb-ransom-03",
            "reviewed": "2025-06-30",
            "dueOn": "2026-06-30",
            "message": "due for review since 2026-06-30: last reviewed 2025-06-30, 17 months \
                        before 2026-12-08 (review age 12 months)",
        })
    );
    assert_eq!(review["due"][2]["reviewed"], Value::Null);
    assert_eq!(review["due"][2]["dueOn"], Value::Null);
    assert_eq!(
        review["watched"][1],
        serde_json::json!({
            "file": FULL,
            "line": full_line(r#""watch": "FDA premarket"#),
            "path": "items[2] (\"cyb-dev-01\").watch",
            "id": "cyb-dev-01",
            "watch": "FDA premarket cybersecurity guidance (June 2025 revision)",
        })
    );
}

#[test]
fn a_review_dated_after_the_as_of_day_is_a_located_problem_with_exit_status_1() {
    // cyb-dev-01 was reviewed on 2026-11-30, after 2025-07-01.
    let output = skillcat(root(), &["validate", "--as-of", "2025-07-01", FULL]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let line = full_line(r#""reviewed": "2026-11-30""#);
    assert!(
        text.starts_with(&format!(
            "{FULL}:{line}: items[2] (\"cyb-dev-01\").reviewed: 2026-11-30 is later than the day \
             checked for (2025-07-01); a review cannot be dated ahead\n"
        )),
        "{text}"
    );
    assert!(
        text.ends_with(&format!(
            "{FULL}: 1 problem; as of 2025-07-01: 2 due for review (review age 12 months), \
             2 watching a moving document\n"
        )),
        "{text}"
    );
    let json = skillcat(
        root(),
        &[
            "validate",
            "--format",
            "json",
            "--as-of",
            "2025-07-01",
            FULL,
        ],
    );
    assert_eq!(json.status.code(), Some(1));
    let review: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(review["problems"][0]["line"], line);
}

#[test]
fn bad_review_options_are_usage_errors_with_exit_status_2() {
    for args in [
        &["--review-age", "6"][..],
        &["--as-of", "2026-02-30"],
        &["--as-of", "8 Dec 2026"],
        &["--as-of", "2026-12-08", "--review-age", "0"],
        &["--as-of", "2026-12-08", "--review-age", "six"],
    ] {
        let mut all = vec!["validate"];
        all.extend_from_slice(args);
        all.push(FULL);
        let output = skillcat(root(), &all);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn no_bundled_bank_has_an_item_due_for_review_after_the_2026_review() {
    let banks = bundled_banks();
    let mut args = vec!["validate", "--format", "json", "--as-of", "2026-12-08"];
    args.extend(banks.iter().map(String::as_str));
    let output = skillcat(root(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let review: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(review["problems"], serde_json::json!([]));
    assert_eq!(review["due"], serde_json::json!([]));
    assert!(review["watched"].as_array().is_some_and(|w| !w.is_empty()));
}

#[test]
fn the_json_schema_that_quizbanks_glob_matches_is_skipped_not_reported() {
    // `skillcat validate quizbanks/*.json` also matches quizbanks/schema.json.
    let mut files = bundled_banks();
    files.push("quizbanks/schema.json".into());
    files.sort();
    let mut args = vec!["validate"];
    args.extend(files.iter().map(String::as_str));
    let output = skillcat(root(), &args);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(
        text.contains("\nquizbanks/schema.json: skipped: a JSON Schema, not a bank\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), files.len());
    let mut json = vec!["validate", "--format", "json"];
    json.extend(files.iter().map(String::as_str));
    let output = skillcat(root(), &json);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output).trim(), "[]");
    // A bank's own `$schema` is a relative path, so a bank is never mistaken for a schema.
    let broken =
        std::env::temp_dir().join(format!("skillcat-cli-{}-bank.json", std::process::id()));
    std::fs::write(&broken, "{\"$schema\": \"./schema.json\", \"items\": []}").expect("temp file");
    let output = skillcat(root(), &["validate", broken.to_str().expect("path")]);
    std::fs::remove_file(&broken).ok();
    assert_eq!(output.status.code(), Some(1));
}
