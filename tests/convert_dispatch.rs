//! `skillcat::convert::import`, the one dispatch from a source file to its importer: the
//! format told from the extension, or from the content where the extension does not settle it,
//! gives exactly what the format's own importer gives; a source that is empty or whose format
//! cannot be told is an error naming the file.

use std::path::{Path, PathBuf};

use skillcat::convert::{self, ConvertError, Format, Imported, aiken, csv, gift, moodle, qti};

fn fixture(path: &str) -> (String, Vec<u8>) {
    let full: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/convert")
        .join(path);
    let bytes = std::fs::read(&full).unwrap_or_else(|e| panic!("{path}: {e}"));
    (path.to_string(), bytes)
}

/// What the format's own importer gives for a source named `name`.
fn direct(format: Format, name: &str, bytes: &[u8]) -> Result<Imported, ConvertError> {
    let text = || convert::text_of(name, bytes);
    match format {
        Format::Gift => gift::import(name, text()?),
        Format::Aiken => aiken::import(name, text()?),
        Format::Csv => csv::import(name, text()?),
        Format::MoodleXml => moodle::import(name, text()?),
        Format::Qti => qti::import(name, bytes),
    }
}

const SOURCES: [(&str, Format); 7] = [
    ("gift/basic.gift", Format::Gift),
    ("aiken/basic.aiken", Format::Aiken),
    ("csv/basic.csv", Format::Csv),
    ("csv/tabs.tsv", Format::Csv),
    ("moodle/quiz.xml", Format::MoodleXml),
    ("qti/v30-clean.xml", Format::Qti),
    ("qti/package-v21.zip", Format::Qti),
];

#[test]
fn each_format_is_told_by_its_extension_and_imported_by_its_importer() {
    for (path, format) in SOURCES {
        let (name, bytes) = fixture(path);
        assert_eq!(Format::detect(&name, &bytes), Some(format), "{path}");
        let imported = convert::import(&name, &bytes).expect(path);
        assert!(!imported.items.is_empty(), "{path}");
        assert_eq!(Ok(imported), direct(format, &name, &bytes), "{path}");
    }
}

#[test]
fn a_source_without_a_telling_extension_is_told_by_its_content() {
    for (path, format) in SOURCES {
        let (_, bytes) = fixture(path);
        // `.txt` for text, no extension for the zip: only the content can tell.
        let name = if path.ends_with(".zip") {
            "upload".to_string()
        } else {
            format!(
                "{}.txt",
                path.rsplit_once('.').map_or(path, |(stem, _)| stem)
            )
        };
        assert_eq!(Format::detect(&name, &bytes), Some(format), "{name}");
        assert_eq!(
            convert::import(&name, &bytes),
            direct(format, &name, &bytes),
            "{name}"
        );
    }
}

#[test]
fn a_given_format_overrides_the_extension() {
    let (_, bytes) = fixture("gift/basic.gift");
    let as_gift = convert::import_as("questions.csv", &bytes, Some(Format::Gift));
    assert_eq!(as_gift, direct(Format::Gift, "questions.csv", &bytes));
    assert!(as_gift.is_ok());
}

#[test]
fn empty_and_unrecognisable_sources_are_errors_naming_the_file() {
    let error = |name: &str, bytes: &[u8]| match convert::import(name, bytes) {
        Err(e) => e.labelled().to_string(),
        Ok(imported) => panic!("{name} imported: {imported:?}"),
    };
    assert_eq!(
        error("blank.gift", b" \n\t\n"),
        "blank.gift: error: the file is empty: nothing to import"
    );
    assert_eq!(
        error("notes.txt", b"Just some notes.\nNothing like a question.\n"),
        "notes.txt: error: cannot tell the format from the file's name or content; pass \
         --format gift|aiken|csv|moodle|qti"
    );
}
