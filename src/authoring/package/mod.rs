//! LMS packages: a zip that an LMS imports and launches as one activity, holding the
//! `<skillcat-quiz>` shell, its WebAssembly engine, the banks and a generated launch page.
//!
//! | format | manifest | pass mark |
//! |---|---|---|
//! | SCORM 1.2 | `imsmanifest.xml` (`imscp_rootv1p1p2`, `adlcp:scormtype`) | `adlcp:masteryscore`, 0–100 |
//! | SCORM 2004 4th edition | `imsmanifest.xml` (`imscp_v1p1`, `adlcp:scormType`) | `imsss:minNormalizedMeasure`, 0–1 |
//! | cmi5 | `cmi5.xml` (`CourseStructure.xsd`) | the AU's `masteryScore`, 0–1 |
//!
//! The manifest is the zip's first entry; the rest follow sorted by path, with a fixed
//! timestamp (1980-01-01), so the same inputs give the same bytes and a package can be checked
//! into version control or compared. SCORM manifests list every file of the package (validators
//! and some LMSs refuse files they were not told about, the `.wasm` included).
//!
//! This module knows nothing of the file system: the caller reads the shell and the banks and
//! hands over their paths and bytes (`skillcat package` on the command line).

mod cmi5;
mod launch;
mod scorm12;
mod scorm2004;
mod state_size;

pub use state_size::{BEACON_LIMIT, SCORM12_SUSPEND_LIMIT, StateOverflow, state_overflow};

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::convert::is_slug;
use crate::session::Mode;

/// The launch page every manifest points at.
pub const LAUNCH_PAGE: &str = "index.html";
/// The icon, stylesheet and module the launch page loads; they must be among the files (a
/// missing icon would be a failed request, and a console error, in every launch).
pub const LAUNCH_FILES: [&str; 3] = ["favicon.svg", "package.css", "skillcat-quiz.js"];
/// The most scored questions per domain the element accepts (`max-items`).
pub const MAX_ITEMS_LIMIT: usize = 200;

/// The LMS standard a package is for. Its name is also the element's `lms` attribute, and
/// each variant's first doc paragraph its help in `skillcat package --help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lms {
    /// SCORM 1.2 (`imsmanifest.xml`; the pass mark is `adlcp:masteryscore`).
    Scorm12,
    /// SCORM 2004 4th edition (`imsmanifest.xml`; the pass mark is the primary objective's
    /// `minNormalizedMeasure`).
    Scorm2004,
    /// cmi5 (`cmi5.xml`; the pass mark is the AU's `masteryScore`).
    Cmi5,
}

impl Lms {
    /// `scorm12`, `scorm2004` or `cmi5`.
    pub fn name(self) -> &'static str {
        match self {
            Lms::Scorm12 => "scorm12",
            Lms::Scorm2004 => "scorm2004",
            Lms::Cmi5 => "cmi5",
        }
    }

    /// The manifest's path at the zip root.
    pub fn manifest(self) -> &'static str {
        match self {
            Lms::Scorm12 | Lms::Scorm2004 => "imsmanifest.xml",
            Lms::Cmi5 => "cmi5.xml",
        }
    }
}

/// A pass mark, kept in tenths of a percent so that the three formats and the launch page state
/// exactly the same number (70 % is `70` in SCORM 1.2 and `0.7` in SCORM 2004 and cmi5, where
/// binary floating point could print `0.7000000000000001`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MasteryScore(u16);

impl MasteryScore {
    /// Reads a percentage from 0 to 100 written as digits with an optional decimal part
    /// (`70`, `72.5`); finer decimals are rounded to one place (`72.25` → `72.3`).
    ///
    /// # Errors
    ///
    /// Anything else, or a value above 100, with a message that says what is accepted.
    pub fn parse(text: &str) -> Result<MasteryScore, String> {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !digits(fraction) {
            return Err(format!(
                "`{text}` is not a percentage; write a number from 0 to 100 such as 70 or 72.5"
            ));
        }
        let value: f64 = text
            .parse()
            .map_err(|_| format!("`{text}` is not a number"))?;
        if value > 100.0 {
            return Err(format!("{text} is above 100 (a percentage from 0 to 100)"));
        }
        // 0 ≤ value ≤ 100, so the rounded tenths fit in 0..=1000.
        Ok(MasteryScore((value * 10.0).round() as u16))
    }

    /// The pass mark as a percentage: `70`, `72.5` (SCORM 1.2's CMIDecimal 0–100, and the
    /// element's `mastery-score` attribute).
    pub fn percent(self) -> String {
        let (whole, tenths) = (self.0 / 10, self.0 % 10);
        if tenths == 0 {
            whole.to_string()
        } else {
            format!("{whole}.{tenths}")
        }
    }

    /// The pass mark from 0 to 1: `0.7`, `0.725`, `1` (SCORM 2004's normalized measure and
    /// cmi5's `masteryScore`, which has three decimal places of precision).
    pub fn scaled(self) -> String {
        let (whole, thousandths) = (self.0 / 1000, self.0 % 1000);
        if thousandths == 0 {
            return whole.to_string();
        }
        let fraction = format!("{thousandths:03}");
        format!("{whole}.{}", fraction.trim_end_matches('0'))
    }
}

impl fmt::Display for MasteryScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.percent())
    }
}

/// What the learner launches: the element's settings and the texts an LMS shows in its
/// catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    /// A slug (`^[a-z0-9][a-z0-9-]*$`); the manifest and activity identifiers are made from it.
    pub id: String,
    pub title: String,
    pub description: String,
    /// A BCP 47 tag: the launch page's `lang` and the cmi5 langstrings.
    pub language: String,
    /// Bank ids in the learner's order; each needs its file `quizbanks/<id>.json`.
    pub banks: Vec<String>,
    pub mode: Mode,
    /// Scored questions per domain, 1 to [`MAX_ITEMS_LIMIT`].
    pub max_items: usize,
    pub mastery: Option<MasteryScore>,
    /// When a domain may end before `max_items` (the element's `level-certainty`).
    pub level_certainty: LevelCertainty,
    /// The skill profile's correlations among `banks` (row by row, in their order) when the
    /// package ships it as [`Course::PROFILE_PATH`], where the element looks for it: the
    /// domains are then one joint test. `None`: the launch page says `profile="none"` (with
    /// several banks), so the domains are tested apart and nothing is fetched in vain.
    pub correlations: Option<Vec<Vec<f64>>>,
}

/// The element's `level-certainty` for a package: a domain ends once one level is this likely.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum LevelCertainty {
    /// The element's default (0.8); the launch page names none.
    #[default]
    ElementDefault,
    /// Every domain runs to `max_items` (or SE ≤ 0.3).
    Off,
    /// A probability above 0.5 and below 1.
    At(f64),
}

impl LevelCertainty {
    /// `off`, or a probability above 0.5 and below 1 (`0.9`).
    ///
    /// # Errors
    ///
    /// A message saying what the value must be.
    pub fn parse(text: &str) -> Result<LevelCertainty, String> {
        if text == "off" {
            return Ok(LevelCertainty::Off);
        }
        match text.parse::<f64>() {
            Ok(p) if p > 0.5 && p < 1.0 => Ok(LevelCertainty::At(p)),
            _ => Err(format!(
                "{text} is not a probability above 0.5 and below 1, or `off`"
            )),
        }
    }

    /// The launch page's attribute, with its leading space; empty for the element's default.
    pub(super) fn attribute(self) -> String {
        match self {
            LevelCertainty::ElementDefault => String::new(),
            LevelCertainty::Off => " level-certainty=\"off\"".to_string(),
            LevelCertainty::At(p) => format!(" level-certainty=\"{p}\""),
        }
    }
}

impl Course {
    /// Where the package ships the skill profile: the element's default, `profile.json` in its
    /// `bank-base`.
    pub const PROFILE_PATH: &'static str = "quizbanks/profile.json";

    /// Where the element fetches a bank from (its default `bank-base`, next to the module).
    pub fn bank_path(id: &str) -> String {
        format!("quizbanks/{id}.json")
    }
}

/// A package's bytes and what it holds.
#[derive(Debug, Clone)]
pub struct Package {
    /// The zip.
    pub bytes: Vec<u8>,
    /// Every entry in zip order: the manifest, then the files sorted by path.
    pub entries: Vec<String>,
}

/// Why a package cannot be built. The message names the setting or the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageError(pub String);

impl fmt::Display for PackageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PackageError {}

/// Builds a package for `lms` from the shell's and the banks' files (zip path → bytes). The
/// launch page and the manifest are generated and must not be among `files`.
///
/// # Errors
///
/// A course setting out of range (id not a slug, empty title, language or bank list, a bank
/// named twice, `max_items` outside 1–200); a path that is not a plain relative path of ASCII
/// letters, digits, `-`, `_`, `.` and `/` (manifests hold paths as URLs, unescaped), or that
/// is generated; a file the launch page needs, or a bank's file, that is missing.
pub fn build(
    lms: Lms,
    course: &Course,
    files: BTreeMap<String, Vec<u8>>,
) -> Result<Package, PackageError> {
    check_course(course)?;
    for path in files.keys() {
        check_path(path)?;
        if path == LAUNCH_PAGE || path == lms.manifest() {
            return Err(PackageError(format!(
                "{path}: generated by the package writer; do not pass it as a file"
            )));
        }
    }
    let needed = LAUNCH_FILES
        .iter()
        .map(|path| path.to_string())
        .chain(course.banks.iter().map(|id| Course::bank_path(id)))
        .chain(
            course
                .correlations
                .as_ref()
                .map(|_| Course::PROFILE_PATH.to_string()),
        );
    for path in needed {
        if !files.contains_key(&path) {
            return Err(PackageError(format!(
                "{path}: missing from the package (the launch page needs it)"
            )));
        }
    }
    let mut files = files;
    files.insert(
        LAUNCH_PAGE.to_string(),
        launch::page(lms, course).into_bytes(),
    );
    let paths: Vec<&str> = files.keys().map(String::as_str).collect();
    let manifest = match lms {
        Lms::Scorm12 => scorm12::manifest(course, &paths),
        Lms::Scorm2004 => scorm2004::manifest(course, &paths),
        Lms::Cmi5 => cmi5::course_structure(course),
    };
    let mut entries = vec![(lms.manifest(), manifest.as_bytes())];
    entries.extend(
        files
            .iter()
            .map(|(path, bytes)| (path.as_str(), &bytes[..])),
    );
    Ok(Package {
        bytes: zip(&entries)?,
        entries: entries.iter().map(|(path, _)| path.to_string()).collect(),
    })
}

fn check_course(course: &Course) -> Result<(), PackageError> {
    let fail = |message: String| Err(PackageError(message));
    if !is_slug(&course.id) {
        return fail(format!(
            "id `{}`: not a slug (lowercase letters, digits and `-`, starting with a letter or \
             digit)",
            course.id
        ));
    }
    if course.title.trim().is_empty() {
        return fail("title: empty".into());
    }
    if course.language.is_empty() {
        return fail("language: empty".into());
    }
    if course.banks.is_empty() {
        return fail("banks: none; a package needs at least one bank".into());
    }
    for (index, id) in course.banks.iter().enumerate() {
        if !is_slug(id) {
            return fail(format!("banks[{index}] `{id}`: not a slug"));
        }
        if course.banks[..index].contains(id) {
            return fail(format!(
                "banks[{index}] `{id}`: named twice; bank ids must be distinct"
            ));
        }
    }
    if !(1..=MAX_ITEMS_LIMIT).contains(&course.max_items) {
        return fail(format!(
            "max_items {}: must be from 1 to {MAX_ITEMS_LIMIT}",
            course.max_items
        ));
    }
    Ok(())
}

/// A path is written into manifests as a URL as it is, so only characters that need no
/// escaping there are allowed; no empty, `.` or `..` segment can climb out of the package.
fn check_path(path: &str) -> Result<(), PackageError> {
    let plain = path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'));
    if !plain {
        return Err(PackageError(format!(
            "{path}: package paths may hold only ASCII letters, digits, `-`, `_`, `.` and `/`"
        )));
    }
    if path
        .split('/')
        .any(|segment| matches!(segment, "" | "." | ".."))
    {
        return Err(PackageError(format!(
            "{path}: not a relative path inside the package (empty, `.` or `..` segment)"
        )));
    }
    Ok(())
}

/// Writes the entries in the given order, deflated, with fixed timestamps and permissions.
fn zip(entries: &[(&str, &[u8])]) -> Result<Vec<u8>, PackageError> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT)
        .unix_permissions(0o644);
    for (path, bytes) in entries {
        zip.start_file(*path, options)
            .and_then(|()| zip.write_all(bytes).map_err(Into::into))
            .map_err(|e| PackageError(format!("{path}: cannot write it into the zip: {e}")))?;
    }
    let cursor = zip
        .finish()
        .map_err(|e| PackageError(format!("cannot finish the zip: {e}")))?;
    Ok(cursor.into_inner())
}

/// Escapes text for XML and HTML content and double-quoted attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::markup::escape_xml(text, &mut out);
    out
}

/// `id` as an XML identifier (an NCName cannot start with a digit).
fn xml_identifier(id: &str) -> String {
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{id}")
    } else {
        id.to_string()
    }
}

/// The start of a SCORM manifest up to the item's own elements: the declarations, the metadata
/// naming the SCORM version, and the one organization with its one item. Versions differ in
/// `namespaces` (the `xmlns` attributes), `schema_version` and the item's extra attributes.
fn sco_manifest_head(
    course: &Course,
    namespaces: &str,
    schema_version: &str,
    item_attributes: &str,
) -> String {
    let title = escape(&course.title);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <manifest identifier=\"{id}\" version=\"1\" {namespaces}>\n\
         \x20 <metadata>\n\
         \x20   <schema>ADL SCORM</schema>\n\
         \x20   <schemaversion>{schema_version}</schemaversion>\n\
         \x20 </metadata>\n\
         \x20 <organizations default=\"organization\">\n\
         \x20   <organization identifier=\"organization\">\n\
         \x20     <title>{title}</title>\n\
         \x20     <item identifier=\"item\" identifierref=\"sco\"{item_attributes}>\n\
         \x20       <title>{title}</title>\n",
        id = xml_identifier(&course.id),
    )
}

/// The end of a SCORM manifest after the item's own elements: the one SCO resource, which lists
/// every file of the package except the manifest. `scorm_type` is the attribute's qualified
/// name, the one spelling that differs between versions (`adlcp:scormtype` in 1.2,
/// `adlcp:scormType` in 2004).
fn sco_resource(scorm_type: &str, paths: &[&str]) -> String {
    let files: String = paths
        .iter()
        .map(|path| format!("      <file href=\"{}\"/>\n", escape(path)))
        .collect();
    format!(
        "      </item>\n\
         \x20   </organization>\n\
         \x20 </organizations>\n\
         \x20 <resources>\n\
         \x20   <resource identifier=\"sco\" type=\"webcontent\" {scorm_type}=\"sco\" \
         href=\"{LAUNCH_PAGE}\">\n\
         {files}\
         \x20   </resource>\n\
         \x20 </resources>\n\
         </manifest>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> Course {
        Course {
            id: "skillcat-cloud".into(),
            title: "Skill check: Cloud".into(),
            description: "Cloud".into(),
            language: "en".into(),
            banks: vec!["cloud".into()],
            mode: Mode::Practice,
            max_items: 20,
            mastery: None,
            level_certainty: LevelCertainty::default(),
            correlations: None,
        }
    }

    fn files() -> BTreeMap<String, Vec<u8>> {
        [
            "favicon.svg",
            "package.css",
            "skillcat-quiz.js",
            "quizbanks/cloud.json",
        ]
        .into_iter()
        .map(|path| (path.to_string(), b"x".to_vec()))
        .collect()
    }

    #[test]
    fn mastery_scores_read_percentages_and_write_both_scales() {
        for (text, percent, scaled) in [
            ("70", "70", "0.7"),
            ("72.5", "72.5", "0.725"),
            ("72.25", "72.3", "0.723"),
            ("0", "0", "0"),
            ("100", "100", "1"),
            ("100.0", "100", "1"),
            ("0.5", "0.5", "0.005"),
            ("007", "7", "0.07"),
        ] {
            let score = MasteryScore::parse(text).unwrap();
            assert_eq!(
                (score.percent().as_str(), score.scaled().as_str()),
                (percent, scaled)
            );
        }
        for bad in [
            "", "120", "100.1", "-5", "1e2", "70%", ".5", "5.", "NaN", "inf", " 7",
        ] {
            assert!(MasteryScore::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_manifest_comes_first_and_the_rest_sorted() {
        let package = build(Lms::Scorm12, &course(), files()).unwrap();
        assert_eq!(
            package.entries,
            [
                "imsmanifest.xml",
                "favicon.svg",
                "index.html",
                "package.css",
                "quizbanks/cloud.json",
                "skillcat-quiz.js"
            ]
        );
        let again = build(Lms::Scorm12, &course(), files()).unwrap();
        assert_eq!(package.bytes, again.bytes);
    }

    #[test]
    fn unsafe_or_generated_paths_and_missing_files_are_refused() {
        for path in [
            "../x.js",
            "/x.js",
            "lib//x.js",
            "lib/./x.js",
            "a b.js",
            "é.js",
        ] {
            let mut files = files();
            files.insert(path.into(), Vec::new());
            let error = build(Lms::Cmi5, &course(), files).unwrap_err();
            assert!(error.0.starts_with(path), "{error}");
        }
        let mut generated = files();
        generated.insert("cmi5.xml".into(), Vec::new());
        assert!(build(Lms::Cmi5, &course(), generated).is_err());
        let mut missing = files();
        missing.remove("quizbanks/cloud.json");
        let error = build(Lms::Cmi5, &course(), missing).unwrap_err();
        assert!(
            error.0.starts_with("quizbanks/cloud.json: missing"),
            "{error}"
        );
    }

    #[test]
    fn course_settings_out_of_range_are_refused() {
        type Change = fn(&mut Course);
        let cases: [(&str, Change); 5] = [
            ("id", |c| c.id = "Cloud".into()),
            ("title", |c| c.title = " ".into()),
            ("banks", |c| c.banks.clear()),
            ("banks[1]", |c| c.banks.push("cloud".into())),
            ("max_items", |c| c.max_items = MAX_ITEMS_LIMIT + 1),
        ];
        for (field, change) in cases {
            let mut course = course();
            change(&mut course);
            let error = build(Lms::Scorm2004, &course, files()).unwrap_err();
            assert!(error.0.starts_with(field), "{field}: {error}");
        }
    }

    #[test]
    fn identifiers_are_ncnames() {
        assert_eq!(xml_identifier("3d-skills"), "_3d-skills");
        assert_eq!(xml_identifier("cloud"), "cloud");
    }
}
