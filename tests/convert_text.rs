//! The text-format importers (GIFT, Aiken, CSV/TSV) against their fixtures, the
//! `skillcat import` / `skillcat export` commands, and random input.
//!
//! Each fixture `tests/fixtures/convert/<format>/<name>.<ext>` comes with `<name>.expected`:
//! the exact warnings of the import, one `Warning` display line each, or `error: ` and the
//! `ConvertError` when the file cannot be imported. A fixture that imports also has
//! `<name>.items.json`: the topics and items it gives. Fixture names are unique without their
//! extensions. With `SKILLCAT_BLESS=1` the test writes both
//! files from the current output instead of comparing (review the diff before committing).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use proptest::prelude::*;
use skillcat::Bank;
use skillcat::convert::{self, ConvertError, Format, Imported, aiken, csv, gift};
use support::read;

#[path = "fixtures/convert/support.rs"]
mod support;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/convert")
}

/// A text importer's signature.
type Importer = fn(&str, &str) -> Result<Imported, ConvertError>;

/// The importer for a fixture's extension.
fn importer(path: &Path) -> Option<Importer> {
    match path.extension()?.to_str()? {
        "gift" => Some(gift::import),
        "aiken" => Some(aiken::import),
        "csv" | "tsv" => Some(csv::import),
        _ => None,
    }
}

/// Every fixture with an importer, sorted.
fn sources() -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for format in ["gift", "aiken", "csv"] {
        let dir = fixtures().join(format);
        for entry in fs::read_dir(&dir).expect("fixture folder") {
            let path = entry.expect("entry").path();
            if importer(&path).is_some() {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let mut stems: Vec<_> = paths.iter().map(|p| p.with_extension("")).collect();
    stems.dedup();
    assert_eq!(stems.len(), paths.len(), "two fixtures share a name");
    assert!(paths.len() >= 20, "only {} fixtures", paths.len());
    paths
}

#[test]
fn every_fixture_imports_exactly_as_expected() {
    let mut failures = Vec::new();
    for path in sources() {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let import = importer(&path).expect("an importer");
        support::check_fixture(&path, import(&name, &read(&path)), &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Imports a text with a name, panicking on an error.
fn imported(import: Importer, text: &str) -> Imported {
    import("t.txt", text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn gift_true_false_feedback_goes_to_the_option_it_explains() {
    // Moodle: `{T#shown if wrong#shown if right}`; the "if wrong" text explains the option a
    // learner who got it wrong chose.
    let t = imported(gift::import, "Q{T#false is wrong#true is right}");
    let options = &t.items[0].options;
    assert_eq!(t.items[0].key, [0]);
    assert_eq!(options[0].feedback.as_deref(), Some("true is right"));
    assert_eq!(options[1].feedback.as_deref(), Some("false is wrong"));
    let f = imported(gift::import, "Q{FALSE#true is wrong#false is right}");
    let options = &f.items[0].options;
    assert_eq!(f.items[0].key, [1]);
    assert_eq!(options[0].feedback.as_deref(), Some("true is wrong"));
    assert_eq!(options[1].feedback.as_deref(), Some("false is right"));
}

#[test]
fn gift_escapes_and_line_breaks_are_decoded() {
    let t = imported(
        gift::import,
        r"A\: b \{c\} \~ \= \# d\ne \\n f \q{=x\#y#fb \#1 ~z}",
    );
    let item = &t.items[0];
    assert_eq!(item.stem, "A: b {c} ~ = # d\ne \\n f \\q");
    assert_eq!(item.options[0].text, "x#y");
    assert_eq!(item.options[0].feedback.as_deref(), Some("fb #1"));
}

#[test]
fn gift_categories_become_topics_from_their_last_part() {
    for (category, topic) in [
        ("$course$/top/Cyber security/Ransomware", "ransomware"),
        ("$course$/top", ""),
        ("Devices", "devices"),
        ("$system$/top/Identity//Access", "identity-access"),
        ("$module$/top/Quiz bank/Network défense ", "network-defense"),
    ] {
        let t = imported(
            gift::import,
            &format!("$CATEGORY: {category}\n\nQ{{=a ~b}}"),
        );
        assert_eq!(t.items[0].topic, topic, "{category}");
    }
    // Read leniently: a category line directly above a question.
    let t = imported(gift::import, "$CATEGORY: devices\n::q::Q{=a ~b}");
    assert_eq!(
        (t.items[0].id.as_str(), t.items[0].topic.as_str()),
        ("q", "devices")
    );
}

#[test]
fn gift_problems_name_the_question_line_and_the_brace_line() {
    let text = "// header\n\n$CATEGORY: é\n// note\n::q::ééé\nmore text\n{=a ~b\n// trailing\n";
    let error = gift::import("t.gift", text).expect_err("nothing imports");
    assert_eq!(
        error.message,
        "no question could be imported:\n  t.gift:5: warning: question skipped: `{` on line 7 \
         opens an answer block that is never closed (a literal brace is written `\\{`)"
    );
}

#[test]
fn gift_reads_crlf_and_a_byte_order_mark() {
    let t = imported(
        gift::import,
        "\u{feff}::a::Q1{=x ~y}\r\n\r\n::b::Q2{=x ~y}\r\n",
    );
    let ids: Vec<&str> = t.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(t.items[1].stem, "Q2");
}

#[test]
fn aiken_reads_crlf_and_numbers_questions_after_the_file() {
    let t = aiken::import(
        "week 1.txt",
        "Q1\r\nA. x\r\nB. y\r\nANSWER: B\r\n\r\nQ2\r\nA. x\r\nB. y\r\nANSWER: A\r\n",
    )
    .expect("imports");
    let ids: Vec<&str> = t.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["week-1-1", "week-1-2"]);
    assert_eq!(t.items[0].key, [1]);
    assert_eq!(t.items[0].options[1].text, "y");
}

#[test]
fn csv_keys_count_from_one_and_accept_letters() {
    let text = "stem,option_1,option_2,option_3,key\nQ,a,b,c,2\nQ,a,b,c,C\nQ,a,b,c,\"1, 3\"\n";
    let t = imported(csv::import, text);
    let keys: Vec<&[usize]> = t.items.iter().map(|i| i.key.as_slice()).collect();
    assert_eq!(keys, [&[1][..], &[2], &[0, 2]]);
}

#[test]
fn every_importer_reports_a_file_with_nothing_to_import_as_an_error() {
    for (import, text) in [
        (gift::import as Importer, ""),
        (aiken::import, "\n\n"),
        (csv::import, ""),
    ] {
        let error = import("x", text).expect_err("nothing to import");
        assert_eq!(error.source, "x");
    }
}

#[test]
fn formats_are_told_from_extension_then_content() {
    let cases: [(&str, &[u8], Option<Format>); 10] = [
        ("a.gift", b"", Some(Format::Gift)),
        ("a.tsv", b"", Some(Format::Csv)),
        ("a.zip", b"", Some(Format::Qti)),
        ("a.txt", b"Q?\nA. x\nB. y\nANSWER: A\n", Some(Format::Aiken)),
        ("a.txt", b"// c\n::n::Q{=a ~b}\n", Some(Format::Gift)),
        ("a.txt", b"id,stem,option_1\n", Some(Format::Csv)),
        (
            "a.xml",
            b"<?xml version=\"1.0\"?>\n<quiz>",
            Some(Format::MoodleXml),
        ),
        ("a", b"<qti-assessment-item>", Some(Format::Qti)),
        ("a.txt", b"<b>Bold</b> question{=a ~b}", Some(Format::Gift)),
        ("a.txt", b"just some prose", None),
    ];
    for (name, bytes, expected) in cases {
        assert_eq!(Format::detect(name, bytes), expected, "{name}");
    }
}

#[test]
fn slugs_fold_accents_and_cut_at_a_dash() {
    assert_eq!(
        convert::slug("Ransomware: First Step!"),
        "ransomware-first-step"
    );
    assert_eq!(
        convert::slug("Sécurité des données"),
        "securite-des-donnees"
    );
    assert_eq!(convert::slug("  --  "), "");
    let long = convert::slug(&"word ".repeat(30));
    assert!(
        long.len() <= convert::MAX_SLUG && !long.ends_with('-'),
        "{long}"
    );
}

#[test]
fn non_utf8_input_is_an_error_naming_its_line() {
    let error = convert::text_of("x.csv", b"stem\nok\n\xff\n").expect_err("not UTF-8");
    assert_eq!(
        error.to_string(),
        "x.csv:3: not UTF-8 text; save the file as UTF-8 (in a spreadsheet: \"CSV UTF-8\")"
    );
}

// --- the command line ---------------------------------------------------------------------

fn skillcat(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skillcat"))
        .args(args)
        .current_dir(fixtures())
        .output()
        .expect("runs skillcat")
}

/// A fresh scratch folder for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("skillcat-convert-{}-{test}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn stderr(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn import_builds_one_valid_bank_from_several_formats() {
    let dir = scratch("several");
    let out = dir.join("mixed.json");
    let output = skillcat(&[
        "import",
        "gift/basic.gift",
        "aiken/basic.aiken",
        "csv/basic.csv",
        "--title",
        "Mixed sources",
        "--topic",
        "misc",
        "--output",
        out.to_str().expect("utf-8 path"),
    ]);
    let lines = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{lines:?}");
    let bank = Bank::from_json("mixed.json", &read(&out)).expect("a valid bank");
    assert_eq!(bank.id, "mixed");
    assert_eq!(bank.title, "Mixed sources");
    assert_eq!(
        bank.description,
        "Imported from basic.gift, basic.aiken, basic.csv."
    );
    let cuts: Vec<Option<f64>> = bank.levels.iter().map(|l| l.min_theta).collect();
    assert_eq!(cuts, [None, Some(-0.5), Some(0.5), Some(1.5)]);
    let topics: Vec<&str> = bank.topics.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(topics, ["ransomware", "medical-devices", "misc"]);
    assert_eq!(bank.topics[1].title, "Medical devices");
    assert_eq!(bank.items.len(), 8 + 4 + 4);
    let expected = [
        "gift/basic.gift:14: note: 1 multiple-response question (the first here): GIFT's \
         partial credit is dropped; a bank item is right only when exactly its keyed options \
         are chosen"
            .to_string(),
        "gift/basic.gift: note: difficulty labels defaulted to medium (8 items); edit them or \
         calibrate"
            .to_string(),
        "aiken/basic.aiken: note: difficulty labels defaulted to medium (4 items); edit them \
         or calibrate"
            .to_string(),
        "csv/basic.csv: warning: item id `basic-4` is already used by an earlier source; renamed \
         to `basic-4-2`"
            .to_string(),
        format!(
            "{}: 16 items in 3 topics from 3 files (1 warning, 3 notes)",
            out.display()
        ),
    ];
    assert_eq!(lines, expected);
    assert_eq!(bank.items[15].id, "basic-4-2");
}

#[test]
fn import_keeps_the_other_files_when_one_fails_and_names_which_were_written() {
    let dir = scratch("fails");
    let out = dir.join("bank.json");
    let output = skillcat(&[
        "import",
        "gift/zero.gift",
        "aiken/basic.aiken",
        "gift/nothing.gift",
        "-o",
        out.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let lines = stderr(&output);
    assert_eq!(
        lines[0],
        "gift/zero.gift: error: the file is empty: nothing to import"
    );
    assert_eq!(
        lines[1],
        "gift/nothing.gift: error: no question could be imported:"
    );
    assert_eq!(
        lines.last().expect("a summary"),
        &format!(
            "{}: 4 items in 1 topic from 1 of 3 files (aiken/basic.aiken) (0 warnings, 1 note); \
             not imported: gift/zero.gift, gift/nothing.gift",
            out.display()
        )
    );
    let bank = Bank::from_json("bank.json", &read(&out)).expect("the other file's bank");
    assert_eq!(bank.items.len(), 4);
    assert_eq!(bank.items[0].id, "basic-1");
}

#[test]
fn import_writes_nothing_when_no_file_imports() {
    let dir = scratch("none");
    let out = dir.join("bank.json");
    let output = skillcat(&[
        "import",
        "gift/empty.gift",
        "-o",
        out.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        [
            "gift/empty.gift: error: no questions found",
            "error: no file could be imported: nothing written"
        ]
    );
    assert!(!out.exists());
}

#[test]
fn strict_import_turns_warnings_and_failed_files_into_errors() {
    let output = skillcat(&["import", "gift/weights.gift", "--strict"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let lines = stderr(&output);
    assert_eq!(
        lines.last().expect("a line"),
        "error: 4 warnings and --strict: nothing written"
    );
    let output = skillcat(&["import", "aiken/basic.aiken", "gift/empty.gift", "--strict"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert_eq!(
        stderr(&output).last().expect("a line"),
        "error: 1 file not imported and --strict: nothing written"
    );
}

/// A clean file of each format imports under `--strict`: notes (the difficulty default,
/// shuffling, HTML converted without loss) are not warnings.
#[test]
fn strict_import_succeeds_on_a_clean_file_of_every_format() {
    for (file, items) in [
        ("gift/clean.gift", 3),
        ("aiken/clean.aiken", 2),
        ("csv/basic.csv", 4),
        ("moodle/clean.xml", 2),
        ("qti/v30-clean.xml", 1),
        ("qti/package-v30.zip", 3),
        ("qti/v12-clean.xml", 1),
    ] {
        let output = skillcat(&["import", file, "--strict", "--id", "clean"]);
        let lines = stderr(&output);
        assert_eq!(output.status.code(), Some(0), "{file}: {lines:?}");
        assert!(
            lines.iter().all(|l| !l.contains(": warning: ")),
            "{file}: {lines:?}"
        );
        let bank = Bank::from_json(file, &String::from_utf8_lossy(&output.stdout))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(bank.items.len(), items, "{file}");
    }
}

#[test]
fn import_writes_to_stdout_and_tells_aiken_in_a_txt_file() {
    let dir = scratch("stdout");
    let txt = dir.join("quiz.txt");
    fs::copy(fixtures().join("aiken/basic.aiken"), &txt).expect("copy");
    let output = skillcat(&["import", txt.to_str().expect("utf-8 path"), "--id", "quiz"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", stderr(&output));
    let bank = Bank::from_json("stdout", &String::from_utf8_lossy(&output.stdout)).expect("bank");
    assert_eq!(bank.items.len(), 4);
    assert_eq!(bank.items[0].id, "quiz-1");
}

#[test]
fn the_format_flag_overrides_detection() {
    // Aiken read as GIFT: every question is text without an answer block.
    let output = skillcat(&["import", "aiken/basic.aiken", "--format", "gift"]);
    assert_eq!(output.status.code(), Some(1));
    let lines = stderr(&output);
    assert_eq!(
        lines[0],
        "aiken/basic.aiken: error: no question could be imported:"
    );
    let output = skillcat(&["import", "csv/tabs.tsv", "--format", "csv", "--id", "t"]);
    assert_eq!(output.status.code(), Some(0), "{:?}", stderr(&output));
}

#[test]
fn import_rejects_bad_arguments_with_status_2() {
    assert_eq!(
        skillcat(&["import", "gift/basic.gift", "--id", "Not A Slug"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        skillcat(&["import", "gift/basic.gift", "--topic", "x y"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        skillcat(&["export", "../../../quizbanks/cloud.json"])
            .status
            .code(),
        Some(2)
    );
    let missing = skillcat(&["import", "gift/basic.gift", "gift/missing.gift"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(missing.stdout.is_empty());
}

#[test]
fn export_then_import_through_the_command_line_keeps_every_item() {
    let dir = scratch("export");
    let bank_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("quizbanks/regulation.json");
    let original = Bank::from_json("regulation.json", &read(&bank_path)).expect("bank");
    for extension in ["gift", "csv", "tsv"] {
        let file = dir.join(format!("regulation.{extension}"));
        let output = skillcat(&[
            "export",
            bank_path.to_str().expect("utf-8 path"),
            "-o",
            file.to_str().expect("utf-8 path"),
        ]);
        assert_eq!(output.status.code(), Some(0), "{:?}", stderr(&output));
        let warnings = stderr(&output);
        assert!(
            warnings[0].starts_with(&format!("{}: warning: the bank's title", file.display())),
            "{warnings:?}"
        );
        let back = dir.join(format!("back-{extension}.json"));
        let output = skillcat(&[
            "import",
            file.to_str().expect("utf-8 path"),
            "--id",
            "regulation",
            "-o",
            back.to_str().expect("utf-8 path"),
        ]);
        assert_eq!(output.status.code(), Some(0), "{:?}", stderr(&output));
        let bank = Bank::from_json("back", &read(&back)).expect("bank");
        assert_eq!(bank.items, original.items, "{extension}");
    }
}

// --- random input ---------------------------------------------------------------------------

/// Text biased towards the characters the formats give meaning to.
fn noisy_text() -> impl Strategy<Value = String> {
    let pieces = prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(vec![
                "{", "}", "~", "=", "#", "####", "::", "\\", "\\n", "%", "%50%", "%-100%", "->",
                "//", "$CATEGORY:", "[html]", "[markdown]", "<b>", "&amp;", "&#x1F600;", "\n",
                "\n\n", "\r\n", "\r", "A. ", "B) ", "ANSWER: ", "ANSWER: A", "T", "FALSE", ",",
                ";", "\t", "\"", "\"\"", "stem", "option_1", "key", "é", "\u{E000}", "\u{feff}",
                "<", ">", "&", "1", "11", " ",
            ]).prop_map(str::to_string),
            1 => any::<String>(),
        ],
        0..60,
    );
    pieces.prop_map(|pieces| pieces.concat())
}

/// A valid fixture with random edits: characters inserted, removed or replaced.
fn mutated_fixture() -> impl Strategy<Value = (PathBuf, String)> {
    let paths = sources();
    (
        prop::sample::select(paths),
        prop::collection::vec((any::<prop::sample::Index>(), 0..3u8, noisy_text()), 1..8),
    )
        .prop_map(|(path, edits)| {
            let mut text = read(&path);
            for (at, kind, insert) in edits {
                let boundaries: Vec<usize> = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([text.len()])
                    .collect();
                let start = boundaries[at.index(boundaries.len())];
                let end = boundaries
                    .iter()
                    .copied()
                    .find(|&b| b > start)
                    .unwrap_or(start);
                match kind {
                    0 => text.insert_str(start, &insert),
                    1 => text.replace_range(start..end, ""),
                    _ => text.replace_range(start..end, &insert),
                }
            }
            (path, text)
        })
}

/// Runs an importer and checks that whatever it returns is a valid set of items.
fn holds_up(import: Importer, text: &str) {
    if let Ok(imported) = import("p.txt", text) {
        assert!(!imported.items.is_empty());
        let (bank, _) = convert::assemble(
            &convert::BankInfo::new("p"),
            vec![("p.txt".into(), imported)],
        );
        let mut bank = bank;
        for item in &mut bank.items {
            item.status = skillcat::Status::Active;
        }
        let value = serde_json::to_value(&bank).expect("serialises");
        if let Err(e) = Bank::from_value("p", &value) {
            panic!("an import gave an invalid bank: {e}\n{text:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn gift_never_panics_and_imports_only_valid_items(text in noisy_text()) {
        holds_up(gift::import, &text);
    }

    #[test]
    fn aiken_never_panics_and_imports_only_valid_items(text in noisy_text()) {
        holds_up(aiken::import, &text);
    }

    #[test]
    fn csv_never_panics_and_imports_only_valid_items(text in noisy_text()) {
        holds_up(csv::import, &text);
    }

    #[test]
    fn mutated_fixtures_never_panic_nor_give_invalid_items((path, text) in mutated_fixture()) {
        let import = importer(&path).expect("an importer");
        holds_up(import, &text);
        let _ = Format::detect("x.txt", text.as_bytes());
    }
}
