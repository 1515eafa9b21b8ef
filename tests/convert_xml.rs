//! The XML importers (Moodle XML, QTI 2.1/2.2/3.0 items and packages) against their fixtures,
//! the QTI 3.0 export round trip over every bundled bank, the zip defences (size and entry
//! caps, names that leave the package), and random input.
//!
//! Each fixture `tests/fixtures/convert/{moodle,qti}/<name>` comes with `<name>.expected`: the
//! exact warnings of the import, one `Warning` display line each (or `(no warnings)`), or
//! `error: ` and the `ConvertError` when it cannot be imported; a fixture that imports also has
//! `<name>.items.json` with the topics and items it gives. A folder under `qti/` is a content
//! package: the test zips it (sorted, deflated) and imports it as `<folder>.zip`; a committed
//! `<folder>.zip` (made with Info-ZIP's `zip -r -X`) must give the same result. With
//! `SKILLCAT_BLESS=1` the test writes the expected files from the current output instead of
//! comparing (review the diff before committing).

use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::json;
use skillcat::Bank;
use skillcat::bank::ItemType;
use skillcat::convert::{ConvertError, Imported, moodle, qti};
use support::read;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

#[path = "fixtures/convert/support.rs"]
mod support;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/convert")
}

/// A zip of `files` (name, bytes), in the given order.
fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT);
    for (name, bytes) in files {
        zip.start_file(name.as_str(), options).expect("start file");
        zip.write_all(bytes).expect("write file");
    }
    zip.finish().expect("finish zip").into_inner()
}

/// Every file under a folder as (relative path with `/`, bytes), sorted.
fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in fs::read_dir(&next).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((name, fs::read(&path).expect("read")));
            }
        }
    }
    files.sort();
    files
}

/// A fixture as (source name, bytes, importer).
type Import = fn(&str, &[u8]) -> Result<Imported, ConvertError>;

fn moodle_bytes(source: &str, bytes: &[u8]) -> Result<Imported, ConvertError> {
    moodle::import(source, std::str::from_utf8(bytes).expect("UTF-8 fixture"))
}

/// Every fixture: (path whose stem names the expected files, source name, bytes, importer).
fn sources() -> Vec<(PathBuf, String, Vec<u8>, Import)> {
    let mut out = Vec::new();
    for (format, import) in [
        ("moodle", moodle_bytes as Import),
        ("qti", qti::import as Import),
    ] {
        let dir = fixtures().join(format);
        let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
            .expect("fixture folder")
            .map(|e| e.expect("entry").path())
            .collect();
        paths.sort();
        for path in paths {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                let zip = zip_of(&files_under(&path));
                out.push((
                    path.with_extension("zip"),
                    format!("{name}.zip"),
                    zip,
                    import,
                ));
            } else if name.ends_with(".xml") || name.ends_with(".zip") {
                out.push((path.clone(), name, fs::read(&path).expect("read"), import));
            }
        }
    }
    assert!(out.len() >= 13, "only {} fixtures", out.len());
    out
}

#[test]
fn every_fixture_imports_exactly_as_expected() {
    let mut failures = Vec::new();
    for (path, source, bytes, import) in sources() {
        support::check_fixture(&path, import(&source, &bytes), &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn bundled_banks() -> Vec<(String, Bank)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("quizbanks");
    let mut banks = Vec::new();
    for entry in fs::read_dir(dir).expect("quizbanks") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if skillcat::catalog::is_bank_file(&name) {
            let bank = Bank::from_json(&name, &read(&path)).unwrap_or_else(|e| panic!("{e}"));
            banks.push((name, bank));
        }
    }
    banks.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(banks.len() >= 7);
    banks
}

#[test]
fn qti_export_then_import_gives_back_every_field_both_hold() {
    for (name, bank) in bundled_banks() {
        let zip = qti::export(&bank).unwrap_or_else(|e| panic!("{e}"));
        let source = name.replace(".json", ".zip");
        let imported = qti::import(&source, &zip).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(imported.items.len(), bank.items.len(), "{name}");
        for (before, after) in bank.items.iter().zip(&imported.items) {
            let at = format!("{name}: {}", before.id);
            assert_eq!(after.id, before.id, "{at}");
            assert_eq!(after.topic, before.topic, "{at}");
            assert_eq!(after.kind, before.kind, "{at}");
            assert_eq!(after.stem, before.stem, "{at}");
            assert_eq!(after.options, before.options, "{at}");
            assert_eq!(after.key, before.key, "{at}");
            assert_eq!(after.explanation, before.explanation, "{at}");
        }
        let mut topics: Vec<String> = Vec::new();
        for item in &bank.items {
            if !topics.contains(&item.topic) {
                topics.push(item.topic.clone());
            }
        }
        assert_eq!(imported.topics, topics, "{name}");
        let warnings: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
        let only = format!(
            "{source}: note: difficulty labels defaulted to medium ({} items); edit them or calibrate",
            bank.items.len()
        );
        assert_eq!(warnings, [only], "{name}");
    }
}

#[test]
fn qti_round_trip_keeps_text_that_needs_care() {
    let option = |text: &str, feedback: Option<&str>| match feedback {
        Some(feedback) => json!({ "text": text, "feedback": feedback }),
        None => json!({ "text": text }),
    };
    let bank = json!({
        "format": "skillcat-bank/1", "id": "edge", "title": "Edge cases", "description": "d",
        "version": "1", "language": "en",
        "topics": [{ "id": "3d-printing", "title": "3D <printing> & \"more\"" }],
        "levels": [{ "name": "Only" }],
        "items": [
            {
                "id": "1st-item", "topic": "3d-printing", "type": "multiple", "difficulty": "easy",
                "stem": "Compute 2 * 3 * 4 in `a*b`, see [the spec](https://example.org/a_(b)?x=1&y=2).\n\n1. first\n2. second\n\n- a *nested **bold** here*\n- ``code with ` tick``",
                "options": [
                    option("**All** of <these> & \"those\"", Some("One paragraph.\n\nTwo paragraphs, so modal feedback.")),
                    option("Plain", None),
                    option("`x < y`", Some("- a list\n- as feedback")),
                ],
                "key": [0, 2],
                "explanation": "Para one.\n\n3. starts at three\n4. four"
            },
            {
                "id": "tf-1", "topic": "3d-printing", "type": "true_false", "difficulty": "hard",
                "stem": "Is this *true*?",
                "options": [option("False", Some("No.")), option("True", Some("Yes."))],
                "key": [1]
            }
        ]
    });
    let bank = Bank::from_value("edge.json", &bank).unwrap_or_else(|e| panic!("{e}"));
    let imported = qti::import("edge.zip", &qti::export(&bank).unwrap()).unwrap();
    assert_eq!(imported.topics, ["3d-printing"]);
    for (before, after) in bank.items.iter().zip(&imported.items) {
        assert_eq!(
            (
                &after.id,
                &after.topic,
                after.kind,
                &after.stem,
                &after.options,
                &after.key,
                &after.explanation
            ),
            (
                &before.id,
                &before.topic,
                before.kind,
                &before.stem,
                &before.options,
                &before.key,
                &before.explanation
            )
        );
    }
    assert_eq!(imported.items.len(), 2);
}

#[test]
fn qti_export_is_the_same_bytes_for_the_same_bank() {
    let (_, bank) = bundled_banks().remove(0);
    assert_eq!(qti::export(&bank).unwrap(), qti::export(&bank).unwrap());
}

#[test]
fn qti_export_writes_the_documented_shape() {
    let (_, bank) = bundled_banks()
        .into_iter()
        .find(|(name, _)| name == "interoperability.json")
        .expect("interoperability bank");
    let zip = qti::export(&bank).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    assert_eq!(names[0], "imsmanifest.xml");
    assert_eq!(names[1], "assessment.xml");
    assert_eq!(names.len(), bank.items.len() + 2);
    let text = |archive: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str| {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut out).unwrap();
        out
    };
    let manifest = text(&mut archive, "imsmanifest.xml");
    for item in &bank.items {
        let href = format!("href=\"items/{}.xml\"", item.id);
        assert!(manifest.contains(&href), "{href} not in the manifest");
    }
    let multiple = bank
        .items
        .iter()
        .find(|i| i.kind == ItemType::Multiple)
        .unwrap();
    let xml = text(&mut archive, &format!("items/{}.xml", multiple.id));
    for needle in [
        "<qti-assessment-item xmlns=\"http://www.imsglobal.org/xsd/imsqtiasi_v3p0\"",
        "cardinality=\"multiple\"",
        "<qti-correct-response>",
        "max-choices=\"0\"",
        "<qti-simple-choice identifier=\"A\">",
        "<qti-feedback-inline outcome-identifier=\"FEEDBACK\" identifier=\"A\" show-hide=\"show\">",
        "<qti-modal-feedback outcome-identifier=\"FEEDBACK\" identifier=\"EXPLANATION\"",
        "<qti-set-outcome-value identifier=\"FEEDBACK\"><qti-multiple><qti-variable identifier=\"RESPONSE\"/>",
    ] {
        assert!(xml.contains(needle), "{needle} not in\n{xml}");
    }
    let single = bank
        .items
        .iter()
        .find(|i| i.kind == ItemType::Single)
        .unwrap();
    let xml = text(&mut archive, &format!("items/{}.xml", single.id));
    assert!(xml.contains("cardinality=\"single\"") && xml.contains("max-choices=\"1\""));
    let test = text(&mut archive, "assessment.xml");
    let topic = &bank.topics[0];
    let section = format!(
        "<qti-assessment-section identifier=\"{}\" title=\"{}\"",
        topic.id, topic.title
    );
    assert!(test.contains(&section), "{section} not in\n{test}");
}

/// A minimal valid QTI 3.0 item file.
fn item(id: &str) -> Vec<u8> {
    format!(
        r#"<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="{id}" title="t" adaptive="false" time-dependent="false">
<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response><qti-value>A</qti-value></qti-correct-response></qti-response-declaration>
<qti-item-body><qti-choice-interaction response-identifier="RESPONSE" max-choices="1"><qti-prompt>Which?</qti-prompt>
<qti-simple-choice identifier="A">This</qti-simple-choice><qti-simple-choice identifier="B">That</qti-simple-choice></qti-choice-interaction></qti-item-body>
</qti-assessment-item>"#
    )
    .into_bytes()
}

fn manifest(hrefs: &[&str]) -> Vec<u8> {
    let resources: String = hrefs
        .iter()
        .enumerate()
        .map(|(n, href)| format!("<resource identifier=\"r{n}\" type=\"imsqti_item_xmlv3p0\" href=\"{href}\"><file href=\"{href}\"/></resource>\n"))
        .collect();
    format!("<manifest xmlns=\"http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1\" identifier=\"m\"><resources>\n{resources}</resources></manifest>").into_bytes()
}

fn warnings(imported: &Imported) -> Vec<String> {
    imported.warnings.iter().map(ToString::to_string).collect()
}

#[test]
fn qti_package_entries_that_leave_the_package_are_never_followed() {
    let zip = zip_of(&[
        (
            "imsmanifest.xml".into(),
            manifest(&["items/q1.xml", "../outside.xml", "items/../../up.xml"]),
        ),
        ("items/q1.xml".into(), item("q1")),
        ("../outside.xml".into(), item("outside")),
        ("/etc/absolute.xml".into(), item("absolute")),
        ("items/../../up.xml".into(), item("up")),
    ]);
    let imported = qti::import("evil.zip", &zip).unwrap();
    assert_eq!(imported.items.len(), 1);
    assert_eq!(imported.items[0].id, "q1");
    assert_eq!(
        warnings(&imported),
        [
            "evil.zip:../outside.xml: warning: the entry name leaves the package (\"..\" or an absolute path): ignored",
            "evil.zip:/etc/absolute.xml: warning: the entry name leaves the package (\"..\" or an absolute path): ignored",
            "evil.zip:items/../../up.xml: warning: the entry name leaves the package (\"..\" or an absolute path): ignored",
            "evil.zip:imsmanifest.xml:3: warning: the resource href \"../outside.xml\" leaves the package: ignored",
            "evil.zip:imsmanifest.xml:4: warning: the resource href \"items/../../up.xml\" leaves the package: ignored",
            "evil.zip: note: difficulty labels defaulted to medium (1 item); edit them or calibrate",
        ]
    );
}

#[test]
fn qti_package_that_expands_past_the_cap_is_refused() {
    // 60 MB of zeros deflate to about 60 kB.
    let bomb = vec![0u8; 60 * 1024 * 1024];
    let zip = zip_of(&[
        ("imsmanifest.xml".into(), manifest(&["items/bomb.xml"])),
        ("items/bomb.xml".into(), bomb),
    ]);
    assert!(zip.len() < 1024 * 1024);
    let error = qti::import("bomb.zip", &zip).unwrap_err();
    assert_eq!(
        error.to_string(),
        "bomb.zip: the package expands to more than 50 MB: refused (a zip bomb?)"
    );
    assert_eq!(qti::MAX_EXPANDED, 50 * 1024 * 1024);
}

#[test]
fn qti_package_with_too_many_entries_is_refused() {
    let mut files = vec![("imsmanifest.xml".to_string(), manifest(&[]))];
    files.extend((0..qti::MAX_ENTRIES).map(|n| (format!("f{n}"), Vec::new())));
    let error = qti::import("many.zip", &zip_of(&files)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "many.zip: the package has 10001 entries, more than the 10000 accepted"
    );
}

#[test]
fn qti_package_without_manifest_or_broken_is_an_error() {
    let zip = zip_of(&[("items/q1.xml".into(), item("q1"))]);
    assert_eq!(
        qti::import("bare.zip", &zip).unwrap_err().to_string(),
        "bare.zip: no imsmanifest.xml in the package: not an IMS content package"
    );
    let zip = zip_of(&[(
        "imsmanifest.xml".into(),
        b"<manifest>\n<resources>\n</manifest>".to_vec(),
    )]);
    assert_eq!(
        qti::import("broken.zip", &zip).unwrap_err().to_string(),
        "broken.zip:imsmanifest.xml:3: not well-formed XML: ill-formed document: expected `</resources>`, but `</manifest>` was found (<resources> opened on line 2)"
    );
    let mut truncated = zip_of(&[
        ("imsmanifest.xml".into(), manifest(&["q.xml"])),
        ("q.xml".into(), item("q")),
    ]);
    truncated.truncate(truncated.len() / 2);
    let error = qti::import("cut.zip", &truncated).unwrap_err().to_string();
    assert!(
        error.starts_with("cut.zip: not a readable zip archive: "),
        "{error}"
    );
}

#[test]
fn qti_package_in_one_folder_is_read_from_that_folder() {
    let zip = zip_of(&[
        ("export/imsmanifest.xml".into(), manifest(&["items/q1.xml"])),
        ("export/items/q1.xml".into(), item("q1")),
    ]);
    let imported = qti::import("folder.zip", &zip).unwrap();
    assert_eq!(imported.items.len(), 1);
    assert_eq!(warnings(&imported).len(), 1, "{:?}", warnings(&imported));
}

/// Byte positions of a text where a mutation lands, with what it does.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Delete(usize, usize),
    Insert(usize, String),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let fragment = prop_oneof![
        Just("<".to_string()),
        Just(">".to_string()),
        Just("</".to_string()),
        Just("&".to_string()),
        Just("&nbsp;".to_string()),
        Just("<![CDATA[".to_string()),
        Just("\"".to_string()),
        Just("<b><i>".to_string()),
        Just("**".to_string()),
        Just("`".to_string()),
        Just("<qti-simple-choice identifier=\"A\">".to_string()),
        Just("<simpleChoice identifier=\"x\">y</simpleChoice>".to_string()),
        Just("<answer fraction=\"100\"><text>x</text></answer>".to_string()),
        Just("<question type=\"multichoice\">".to_string()),
        "[ -~]{0,12}",
        "\\PC{0,6}",
    ];
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip(at, byte)),
        (any::<usize>(), 0usize..64).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), fragment).prop_map(|(at, text)| Mutation::Insert(at, text)),
        (any::<usize>(), 0usize..200).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
    ]
}

fn mutate(bytes: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for m in mutations {
        let len = out.len().max(1);
        match m {
            Mutation::Flip(at, byte) => {
                if !out.is_empty() {
                    let at = at % len;
                    out[at] = *byte;
                }
            }
            Mutation::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(out.len());
                if at < end {
                    out.drain(at..end);
                }
            }
            Mutation::Insert(at, text) => {
                let at = at % (out.len() + 1);
                out.splice(at..at, text.bytes());
            }
            Mutation::Duplicate(at, n) => {
                let at = at % len;
                let end = (at + n).min(out.len());
                let copy = out[at.min(end)..end].to_vec();
                out.splice(end..end, copy);
            }
        }
    }
    out
}

fn xml_fixtures(format: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(fixtures().join(format)).expect("folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "xml") {
            out.push(fs::read(&path).expect("read"));
        }
    }
    out.sort();
    out
}

fn package_fixtures() -> Vec<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(fixtures().join("qti")).expect("folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.push(files_under(&path));
        }
    }
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn moodle_import_never_panics_on_random_text(text in "\\PC{0,400}") {
        let _ = moodle::import("random.xml", &text);
        let _ = moodle::import("random.xml", &format!("<quiz><question type=\"multichoice\">{text}</question></quiz>"));
    }

    #[test]
    fn moodle_import_never_panics_on_mutated_fixtures(
        pick in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let fixtures = xml_fixtures("moodle");
        let bytes = mutate(&fixtures[pick.index(fixtures.len())], &mutations);
        let text = String::from_utf8_lossy(&bytes);
        let _ = moodle::import("mutated.xml", &text);
    }

    #[test]
    fn qti_import_never_panics_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = qti::import("random.xml", &bytes);
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&bytes);
        let _ = qti::import("random.zip", &zip);
    }

    #[test]
    fn qti_import_never_panics_on_mutated_items(
        pick in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let fixtures = xml_fixtures("qti");
        let bytes = mutate(&fixtures[pick.index(fixtures.len())], &mutations);
        let _ = qti::import("mutated.xml", &bytes);
    }

    #[test]
    fn qti_import_never_panics_on_mutated_packages(
        pick in any::<prop::sample::Index>(),
        file in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..6),
        zip_mutations in prop::collection::vec(mutation(), 0..3),
    ) {
        let packages = package_fixtures();
        let mut files = packages[pick.index(packages.len())].clone();
        let at = file.index(files.len());
        files[at].1 = mutate(&files[at].1, &mutations);
        let zip = mutate(&zip_of(&files), &zip_mutations);
        let _ = qti::import("mutated.zip", &zip);
    }
}
