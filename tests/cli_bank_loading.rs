//! Every subcommand that reads a bank reads it through one loader (`skillcat::bank_file`), so a
//! broken bank gives the same located problems, the same summary line and exit status 1
//! whichever subcommand meets it: what `skillcat validate` prints on stdout, the others print
//! on stderr.

#[path = "fixtures/cli/support.rs"]
mod support;

use support::{TempFile, root, skillcat, stderr, stdout};

/// A valid bank, for subcommands that take several.
const VALID: &str = "quizbanks/regulation.json";
const RESPONSES: &str = "tests/fixtures/calibrate/responses.csv";

/// Each subcommand (and each branch that loads banks its own way) with `bank` as its first
/// bank.
fn invocations(bank: &str, zip: &TempFile) -> Vec<Vec<String>> {
    let lists: Vec<Vec<&str>> = vec![
        vec!["stats", bank],
        vec!["simulate", bank],
        vec!["simulate", bank, VALID, "--true-rho", "0.5"],
        vec!["calibrate", RESPONSES, "--bank", bank],
        vec!["calibrate", RESPONSES, "--bank", bank, "--bank", VALID],
        vec![
            "package",
            "--format",
            "cmi5",
            "--www",
            "www",
            "-o",
            zip.arg(),
            bank,
            VALID,
        ],
        vec!["export", bank, "--to", "gift"],
    ];
    lists
        .into_iter()
        .map(|list| list.into_iter().map(String::from).collect())
        .collect()
}

/// What `skillcat validate` says about `bank`, after checking it exits 1.
fn validate(bank: &str) -> String {
    let output = skillcat(&["validate", bank]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    stdout(&output)
}

fn assert_same_everywhere(bank: &str) {
    let expected = validate(bank);
    let zip = TempFile::new("broken.zip");
    for args in invocations(bank, &zip) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = skillcat(&args);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(stderr(&output), expected, "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}: {}", stdout(&output));
    }
    assert!(!zip.0.exists(), "a package was written from a broken bank");
}

#[test]
fn a_bank_with_problems_reads_the_same_from_every_subcommand() {
    let bank = "tests/fixtures/cli/problems.json";
    assert_same_everywhere(bank);
    assert!(validate(bank).starts_with(
        "tests/fixtures/cli/problems.json:13: topics[1].weight: must be greater than 0, not 0\n"
    ));
}

#[test]
fn malformed_json_reads_the_same_from_every_subcommand() {
    let bank = "tests/fixtures/cli/broken-syntax.json";
    assert_same_everywhere(bank);
    assert_eq!(
        validate(bank),
        "tests/fixtures/cli/broken-syntax.json:6: not valid JSON: expected `,` or `]` at line 6 \
         column 5\ntests/fixtures/cli/broken-syntax.json: 1 problem\n"
    );
}

#[test]
fn text_that_is_not_utf8_reads_the_same_from_every_subcommand() {
    let bank = TempFile::new("latin1.json");
    std::fs::write(&bank.0, b"{\n  \"title\": \"caf\xe9\"\n}\n").expect("temp file");
    assert_same_everywhere(bank.arg());
    assert_eq!(
        validate(bank.arg()),
        format!(
            "{0}:2: not UTF-8 text: invalid byte at offset 17; save the file as UTF-8\n{0}: 1 \
             problem\n",
            bank.arg()
        )
    );
}

#[test]
fn catalog_reports_a_broken_bank_in_its_folder_as_validate_does() {
    let dir = std::env::temp_dir().join(format!("skillcat-loading-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp folder");
    let bank = dir.join("problems.json");
    std::fs::copy(root().join("tests/fixtures/cli/problems.json"), &bank).expect("copy");
    let output = skillcat(&["catalog", dir.to_str().expect("UTF-8 path")]);
    let expected = validate(bank.to_str().expect("UTF-8 path"));
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(stderr(&output), expected);
}
