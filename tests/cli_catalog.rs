//! The bank catalog: the committed `quizbanks/index.json` is what the banks give, and
//! `skillcat catalog`, run as a built binary, writes it, ignores the files that are not banks,
//! and with `--check` says what is out of date and how to fix it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use skillcat::Bank;
use skillcat::catalog::{self, Catalog};

const BIN: &str = env!("CARGO_BIN_EXE_skillcat");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn skillcat(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A fresh folder holding the two session fixture banks (ids `sample` and `second`) under
/// their ids, the real schema, and a skill profile that is not a bank.
fn bank_folder(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("skillcat-catalog-{}-{test}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch folder");
    let sessions = root().join("tests/fixtures/sessions");
    fs::copy(sessions.join("bank.json"), dir.join("sample.json")).expect("copy");
    fs::copy(sessions.join("second.json"), dir.join("second.json")).expect("copy");
    fs::copy(
        root().join("quizbanks/schema.json"),
        dir.join("schema.json"),
    )
    .expect("copy");
    fs::write(
        dir.join("profile.json"),
        r#"{"domains": ["sample", "second"]}"#,
    )
    .expect("write");
    fs::write(dir.join("README.md"), "not JSON at all").expect("write");
    dir
}

#[test]
fn the_committed_catalog_is_up_to_date_with_the_bundled_banks() {
    let dir = root().join("quizbanks");
    let files = catalog::bank_files(&dir).expect("quizbanks/");
    let banks: Vec<(String, Bank)> = files
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let bank = Bank::from_json(&name, &read(path)).unwrap_or_else(|e| panic!("{e}"));
            (name, bank)
        })
        .collect();
    assert!(banks.len() >= 7, "{files:?}");
    let built = Catalog::from_banks(banks.iter().map(|(f, b)| (f.as_str(), b)))
        .unwrap_or_else(|e| panic!("{e}"));
    let committed = read(&dir.join("index.json"));
    let changes = Catalog::from_json("quizbanks/index.json", &committed)
        .map(|old| built.changes_since(&old).join("; "))
        .unwrap_or_else(|e| e.to_string());
    assert!(
        committed == built.to_json(),
        "quizbanks/index.json is out of date with the banks ({changes}): run \
         `cargo run --bin skillcat -- catalog quizbanks` (or `make catalog`) and commit it"
    );
}

#[test]
fn catalog_lists_every_bank_of_the_folder_and_nothing_else() {
    let dir = bank_folder("lists");
    let output = skillcat(&["catalog", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let index = dir.join("index.json");
    assert_eq!(
        stdout(&output),
        format!("{}: 2 banks: sample, second\n", index.display())
    );
    let written = Catalog::from_json("index.json", &read(&index)).expect("a catalog");
    let sample = Bank::from_json("sample.json", &read(&dir.join("sample.json"))).unwrap();
    assert_eq!(written.format, "skillcat-catalog/1");
    let ids: Vec<&str> = written.banks.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["sample", "second"]);
    let entry = &written.banks[0];
    assert_eq!(entry.file, "sample.json");
    assert_eq!(entry.title, sample.title);
    assert_eq!(entry.description, sample.description);
    assert_eq!(entry.language, sample.language);
    assert_eq!(entry.version, "1.0");
    // 24 active, 3 pretest, 1 draft and 1 retired item.
    assert_eq!(entry.items, 29);
    assert_eq!(entry.active_items, 24);

    // Running it again, now with index.json in the folder, gives the same file; --check agrees.
    let before = read(&index);
    assert_eq!(
        skillcat(&["catalog", dir.to_str().unwrap()]).status.code(),
        Some(0)
    );
    assert_eq!(read(&index), before);
    let check = skillcat(&["catalog", "--check", dir.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert_eq!(stdout(&check), format!("{}: up to date\n", index.display()));
}

#[test]
fn check_names_what_changed_and_the_command_that_fixes_it() {
    let dir = bank_folder("stale");
    let d = dir.to_str().unwrap();
    let missing = skillcat(&["catalog", "--check", d]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(
        stderr(&missing),
        format!(
            "{} is missing; run `skillcat catalog {d}` (or `make catalog`) to write it\n",
            dir.join("index.json").display()
        )
    );
    assert_eq!(skillcat(&["catalog", d]).status.code(), Some(0));

    // A new version of one bank without its first (active) item, and a new bank dropped in.
    let sample = read(&dir.join("sample.json"));
    let mut value: serde_json::Value = serde_json::from_str(&sample).unwrap();
    value["version"] = "1.1".into();
    value["items"].as_array_mut().unwrap().remove(0);
    fs::write(dir.join("sample.json"), value.to_string()).unwrap();
    let mut third = value.clone();
    third["id"] = "third".into();
    fs::write(dir.join("third.json"), third.to_string()).unwrap();

    let stale = skillcat(&["catalog", "--check", d]);
    assert_eq!(stale.status.code(), Some(1));
    assert_eq!(
        stderr(&stale),
        format!(
            "{} is out of date with the banks in {d}:\n  changed: sample (version 1.0 → 1.1, \
             items 29 → 28, active_items 24 → 23)\n  added: third\n\
             run `skillcat catalog {d}` (or `make catalog`) to write it\n",
            dir.join("index.json").display()
        )
    );
}

#[test]
fn a_bank_whose_file_is_not_named_after_its_id_is_refused_with_the_name_to_use() {
    let dir = bank_folder("misnamed");
    fs::rename(dir.join("second.json"), dir.join("2nd.json")).unwrap();
    let output = skillcat(&["catalog", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "{}: 2nd.json: id: the bank's id is \"second\" but its file is 2nd.json: pages fetch \
             a bank as <id>.json, so rename the file to second.json\n",
            dir.display()
        )
    );
    assert!(!dir.join("index.json").exists(), "nothing is written");
}

#[test]
fn an_invalid_bank_is_reported_as_validate_reports_it_and_nothing_is_written() {
    let dir = bank_folder("invalid");
    let path = dir.join("second.json");
    let text = read(&path).replacen("\"version\": \"1.0\"", "\"version\": 2", 1);
    fs::write(&path, &text).unwrap();
    let output = skillcat(&["catalog", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let validate = Command::new(BIN)
        .args(["validate", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(validate.status.code(), Some(1));
    let problem = stdout(&validate).lines().next().unwrap().to_string();
    assert!(
        problem.contains("second.json:") && problem.contains("version"),
        "{problem}"
    );
    assert!(stderr(&output).starts_with(&problem), "{}", stderr(&output));
    assert!(!dir.join("index.json").exists(), "nothing is written");
}

#[test]
fn an_unreadable_folder_is_a_usage_error() {
    let output = skillcat(&["catalog", "/nonexistent/skillcat-banks"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .starts_with("skillcat: cannot read the folder /nonexistent/skillcat-banks:"),
        "{}",
        stderr(&output)
    );
}
