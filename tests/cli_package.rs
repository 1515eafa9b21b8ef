//! `skillcat package`, run as a built binary on the bundled banks and a stand-in shell folder
//! (placeholder files, so the test needs no WebAssembly build): each format's manifest sits at
//! the zip root and lists exactly the zip's files, states the pass mark the way its standard
//! wants it, the launch page carries the settings without inline script or style, banks travel
//! byte for byte, the same inputs give the same zip, and bad inputs give the documented exit
//! statuses and messages.

#[path = "fixtures/cli/support.rs"]
mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use support::{TempFile, root, skillcat, stderr, stdout, well_formed};

const BANKS: [&str; 2] = ["quizbanks/cloud.json", "quizbanks/regulation.json"];
/// The bundled banks' skill profile, and where a package ships it.
const PROFILE: &str = "quizbanks/profile.json";

/// The stand-in shell: each file and whether the package copies it.
const SHELL: [(&str, &[u8], bool); 14] = [
    (
        "favicon.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        true,
    ),
    ("skillcat-quiz.js", b"// the element\n", true),
    ("skillcat-quiz.css", b":host { display: block; }\n", true),
    ("package.css", b"body { margin: 0; }\n", true),
    ("lib/dom.js", b"// dom\n", true),
    ("lib/engine.js", b"// engine\n", true),
    ("lib/screens/intro.js", b"// intro\n", true),
    ("lib/screens/results.js", b"// results\n", true),
    ("lib/lms/scorm.js", b"// scorm\n", true),
    ("pkg/skillcat.js", b"// wasm-bindgen glue\n", true),
    ("pkg/skillcat_bg.wasm", b"\0asm\x01\0\0\0", true),
    ("pkg/skillcat.d.ts", b"export {};\n", false),
    ("lib/notes.txt", b"not a script\n", false),
    ("index.html", b"<!doctype html><title>demo</title>\n", false),
];

/// The paths the package copies from the shell.
fn copied() -> impl Iterator<Item = &'static str> {
    SHELL.iter().filter(|file| file.2).map(|file| file.0)
}

/// A folder in the system's temporary folder, unique per call, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let pid = std::process::id();
        let path = std::env::temp_dir().join(format!("skillcat-package-{pid}-{n}-{name}"));
        std::fs::remove_dir_all(&path).ok();
        std::fs::create_dir_all(&path).expect("temporary folder");
        TempDir(path)
    }

    fn arg(&self) -> &str {
        self.0.to_str().expect("UTF-8 temp path")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// A stand-in shell folder, without the files named in `leave_out`.
fn fake_www(leave_out: &[&str]) -> TempDir {
    let dir = TempDir::new("www");
    for (path, bytes, _) in SHELL {
        if leave_out.contains(&path) {
            continue;
        }
        let full = dir.0.join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("folder");
        std::fs::write(full, bytes).expect("placeholder file");
    }
    dir
}

/// Runs `skillcat package` with the shell in `www`, writing to `out`.
fn package(www: &TempDir, out: &TempFile, args: &[&str]) -> std::process::Output {
    let mut all = vec!["package", "--www", www.arg(), "-o", out.arg()];
    all.extend_from_slice(args);
    skillcat(&all)
}

/// A successful run's zip, entry by entry in zip order.
fn build(args: &[&str]) -> Vec<(String, Vec<u8>)> {
    let www = fake_www(&[]);
    let out = TempFile::new("package.zip");
    let output = package(&www, &out, args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    read_zip(&out.0)
}

/// [`build`] for both bundled banks with a pass mark.
fn build_both(format: &str, mastery_score: &str) -> Vec<(String, Vec<u8>)> {
    build(&[
        "--format",
        format,
        BANKS[0],
        BANKS[1],
        "--mastery-score",
        mastery_score,
    ])
}

fn read_zip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(path).expect("the zip was written");
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).expect("entry");
            assert!(!entry.is_dir(), "{}: no folder entries", entry.name());
            assert_eq!(
                entry.compression(),
                zip::CompressionMethod::Deflated,
                "{}",
                entry.name()
            );
            let time = entry.last_modified().expect("a timestamp");
            assert_eq!((time.year(), time.month(), time.day()), (1980, 1, 1));
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("readable entry");
            (entry.name().to_string(), bytes)
        })
        .collect()
}

fn text_of<'a>(entries: &'a [(String, Vec<u8>)], path: &str) -> &'a str {
    let (_, bytes) = entries
        .iter()
        .find(|(name, _)| name == path)
        .unwrap_or_else(|| panic!("{path} is in the zip"));
    std::str::from_utf8(bytes).expect("UTF-8")
}

/// One XML element: its qualified name, attributes and direct text.
#[derive(Debug)]
struct Element {
    name: String,
    attributes: BTreeMap<String, String>,
    text: String,
}

/// Every element of `xml` in document order (checked well-formed first).
fn elements(xml: &str) -> Vec<Element> {
    well_formed(xml);
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut all, mut open): (Vec<Element>, Vec<usize>) = (Vec::new(), Vec::new());
    loop {
        let event = reader.read_event().expect("well-formed");
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let attributes = e
                    .attributes()
                    .map(|a| {
                        let a = a.expect("attribute");
                        let value = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .expect("value");
                        (String::from_utf8_lossy(a.key.as_ref()).into(), value.into())
                    })
                    .collect();
                all.push(Element {
                    name: String::from_utf8_lossy(e.name().as_ref()).into(),
                    attributes,
                    text: String::new(),
                });
                if matches!(event, Event::Start(_)) {
                    open.push(all.len() - 1);
                }
            }
            Event::End(_) => {
                open.pop();
            }
            Event::Text(t) => {
                if let Some(&i) = open.last() {
                    all[i].text.push_str(&t.decode().expect("text"));
                }
            }
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r).into_owned();
                let text = resolve_predefined_entity(&name).expect("a predefined entity");
                if let Some(&i) = open.last() {
                    all[i].text.push_str(text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    all
}

fn named<'a>(elements: &'a [Element], name: &str) -> Vec<&'a Element> {
    elements.iter().filter(|e| e.name == name).collect()
}

fn one<'a>(elements: &'a [Element], name: &str) -> &'a Element {
    match named(elements, name)[..] {
        [element] => element,
        ref found => panic!("{} <{name}> elements, expected 1", found.len()),
    }
}

fn attribute<'a>(element: &'a Element, name: &str) -> Option<&'a str> {
    element.attributes.get(name).map(String::as_str)
}

/// The attributes of the launch page's `<skillcat-quiz>`.
fn quiz_attributes(html: &str) -> BTreeMap<String, String> {
    let start = html.find("<skillcat-quiz ").expect("the element") + "<skillcat-quiz ".len();
    let end = start + html[start..].find('>').expect("end of the tag");
    let mut attributes = BTreeMap::new();
    let mut rest = html[start..end].trim();
    while !rest.is_empty() {
        let (name, after) = rest.split_once("=\"").expect("name=\"value\"");
        let (value, after) = after.split_once('"').expect("closing quote");
        attributes.insert(name.trim().to_string(), value.to_string());
        rest = after.trim();
    }
    attributes
}

/// Whether an HTML text has an `on…=` attribute (an inline event handler).
fn has_event_handler(html: &str) -> bool {
    html.match_indices(" on").any(|(i, _)| {
        let rest = &html[i + 3..];
        let name_end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        name_end > 0 && rest[name_end..].starts_with('=')
    })
}

/// Checks the zip's layout: the manifest first, then exactly the expected files, sorted.
fn check_layout(entries: &[(String, Vec<u8>)], manifest: &str) {
    let names: Vec<&str> = entries.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names[0], manifest);
    let mut expected: Vec<String> = copied().map(String::from).collect();
    expected.push("index.html".into());
    expected.extend(BANKS.iter().map(|s| s.to_string()));
    // The banks' family's profile (both banks are in it), where the element looks for it.
    expected.push(PROFILE.into());
    expected.sort();
    assert_eq!(
        names[1..],
        expected.iter().map(String::as_str).collect::<Vec<_>>()
    );
}

/// The `<file href>` list of a SCORM manifest is exactly the zip's files but the manifest.
fn check_file_list(entries: &[(String, Vec<u8>)], manifest: &[Element]) {
    let listed: Vec<&str> = named(manifest, "file")
        .iter()
        .map(|file| attribute(file, "href").expect("href"))
        .collect();
    let in_zip: BTreeSet<&str> = entries[1..].iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(listed.iter().copied().collect::<BTreeSet<_>>(), in_zip);
    assert_eq!(listed.len(), in_zip.len(), "each file listed once");
    let resource = one(manifest, "resource");
    assert_eq!(attribute(resource, "href"), Some("index.html"));
    assert_eq!(attribute(resource, "type"), Some("webcontent"));
    let item = one(manifest, "item");
    assert_eq!(
        attribute(item, "identifierref"),
        attribute(resource, "identifier")
    );
    let organizations = one(manifest, "organizations");
    let organization = one(manifest, "organization");
    assert_eq!(
        attribute(organizations, "default"),
        attribute(organization, "identifier")
    );
}

#[test]
fn scorm12_lists_every_file_and_states_the_mastery_score_in_percent() {
    let entries = build_both("scorm12", "72.5");
    check_layout(&entries, "imsmanifest.xml");
    let manifest = elements(text_of(&entries, "imsmanifest.xml"));
    check_file_list(&entries, &manifest);
    let root = &manifest[0];
    assert_eq!(root.name, "manifest");
    assert_eq!(
        attribute(root, "xmlns"),
        Some("http://www.imsproject.org/xsd/imscp_rootv1p1p2")
    );
    assert_eq!(
        attribute(root, "xmlns:adlcp"),
        Some("http://www.adlnet.org/xsd/adlcp_rootv1p2")
    );
    assert_eq!(
        attribute(root, "identifier"),
        Some("skillcat-cloud-regulation")
    );
    assert_eq!(one(&manifest, "schema").text, "ADL SCORM");
    assert_eq!(one(&manifest, "schemaversion").text, "1.2");
    let resource = one(&manifest, "resource");
    assert_eq!(attribute(resource, "adlcp:scormtype"), Some("sco"));
    assert_eq!(attribute(resource, "adlcp:scormType"), None);
    assert_eq!(one(&manifest, "adlcp:masteryscore").text, "72.5");
    let titles = named(&manifest, "title");
    assert!(titles.iter().all(|t| t.text
        == "Skill check: Multi-cloud architecture for healthcare workloads, Health-IT regulation \
            and compliance"));
}

#[test]
fn scorm2004_lists_every_file_and_states_the_mastery_score_as_a_normalized_measure() {
    let entries = build_both("scorm2004", "80");
    check_layout(&entries, "imsmanifest.xml");
    let manifest = elements(text_of(&entries, "imsmanifest.xml"));
    check_file_list(&entries, &manifest);
    let root = &manifest[0];
    for (prefix, namespace) in [
        ("xmlns", "http://www.imsglobal.org/xsd/imscp_v1p1"),
        ("xmlns:adlcp", "http://www.adlnet.org/xsd/adlcp_v1p3"),
        ("xmlns:adlseq", "http://www.adlnet.org/xsd/adlseq_v1p3"),
        ("xmlns:adlnav", "http://www.adlnet.org/xsd/adlnav_v1p3"),
        ("xmlns:imsss", "http://www.imsglobal.org/xsd/imsss"),
    ] {
        assert_eq!(attribute(root, prefix), Some(namespace), "{prefix}");
    }
    assert_eq!(one(&manifest, "schemaversion").text, "2004 4th Edition");
    let resource = one(&manifest, "resource");
    assert_eq!(attribute(resource, "adlcp:scormType"), Some("sco"));
    assert_eq!(attribute(resource, "adlcp:scormtype"), None);
    let objective = one(&manifest, "imsss:primaryObjective");
    assert_eq!(attribute(objective, "satisfiedByMeasure"), Some("true"));
    assert!(attribute(objective, "objectiveID").is_some());
    assert_eq!(one(&manifest, "imsss:minNormalizedMeasure").text, "0.8");
}

#[test]
fn cmi5_launches_index_html_and_moves_on_when_completed_and_passed() {
    let entries = build_both("cmi5", "72.5");
    check_layout(&entries, "cmi5.xml");
    let structure = elements(text_of(&entries, "cmi5.xml"));
    let root = &structure[0];
    assert_eq!(root.name, "courseStructure");
    assert_eq!(
        attribute(root, "xmlns"),
        Some("https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd")
    );
    let course = one(&structure, "course");
    assert_eq!(
        attribute(course, "id"),
        Some("urn:skillcat:skillcat-cloud-regulation")
    );
    let au = one(&structure, "au");
    assert_eq!(
        attribute(au, "id"),
        Some("urn:skillcat:skillcat-cloud-regulation:au")
    );
    assert_eq!(attribute(au, "moveOn"), Some("CompletedAndPassed"));
    assert_eq!(attribute(au, "masteryScore"), Some("0.725"));
    assert_eq!(attribute(au, "launchMethod"), Some("AnyWindow"));
    let url = one(&structure, "url");
    assert_eq!(url.text, "index.html");
    assert!(entries.iter().any(|(name, _)| *name == url.text));
    let langstrings = named(&structure, "langstring");
    assert_eq!(
        langstrings.len(),
        4,
        "title and description of course and AU"
    );
    assert!(
        langstrings
            .iter()
            .all(|l| attribute(l, "lang") == Some("en"))
    );
    assert!(langstrings.iter().all(|l| !l.text.trim().is_empty()));
}

#[test]
fn without_a_mastery_score_no_pass_mark_is_written_anywhere() {
    for (format, manifest) in [
        ("scorm12", "imsmanifest.xml"),
        ("scorm2004", "imsmanifest.xml"),
        ("cmi5", "cmi5.xml"),
    ] {
        let entries = build(&["--format", format, BANKS[0]]);
        let xml = text_of(&entries, manifest);
        let parsed = elements(xml);
        for name in [
            "adlcp:masteryscore",
            "imsss:objectives",
            "imsss:primaryObjective",
        ] {
            assert!(named(&parsed, name).is_empty(), "{format}: {name}");
        }
        if format == "cmi5" {
            let au = one(&parsed, "au");
            assert_eq!(attribute(au, "moveOn"), Some("Completed"));
            assert_eq!(attribute(au, "masteryScore"), None);
        }
        let quiz = quiz_attributes(text_of(&entries, "index.html"));
        assert!(!quiz.contains_key("mastery-score"), "{format}");
        assert_eq!(quiz["mode"], "practice");
        assert_eq!(quiz["max-items"], "20");
    }
}

#[test]
fn the_launch_page_carries_the_settings_and_no_inline_script_or_style() {
    for format in ["scorm12", "scorm2004", "cmi5"] {
        let entries = build(&[
            "--format",
            format,
            BANKS[1],
            BANKS[0],
            "--mode",
            "assessment",
            "--max-items",
            "15",
            "--mastery-score",
            "70",
            "--title",
            "Q&A <\"check\">",
        ]);
        let html = text_of(&entries, "index.html");
        let quiz = quiz_attributes(html);
        let expected: BTreeMap<String, String> = [
            ("lms", format),
            ("banks", "regulation,cloud"),
            ("mode", "assessment"),
            ("max-items", "15"),
            ("mastery-score", "70"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(quiz, expected, "{format}");
        assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">\n"));
        assert!(html.contains("<title>Q&amp;A &lt;&quot;check&quot;&gt;</title>"));
        assert!(html.contains("<link rel=\"stylesheet\" href=\"package.css\">"));
        assert!(
            !html.contains("<style") && !html.contains("style="),
            "no inline style"
        );
        let scripts: Vec<&str> = html
            .match_indices("<script")
            .map(|(i, _)| &html[i..])
            .collect();
        assert_eq!(scripts.len(), 1);
        assert!(
            scripts[0].starts_with("<script type=\"module\" src=\"skillcat-quiz.js\"></script>")
        );
        assert!(!has_event_handler(html), "no event handler attributes");
        assert!(html.contains("<link rel=\"icon\" href=\"favicon.svg\" type=\"image/svg+xml\">"));
        for href in ["favicon.svg", "package.css", "skillcat-quiz.js"] {
            assert!(entries.iter().any(|(name, _)| name == href), "{href}");
        }
    }
}

#[test]
fn banks_and_shell_files_are_copied_byte_for_byte() {
    let entries = build(&["--format", "scorm12", BANKS[0], BANKS[1]]);
    for bank in BANKS {
        let original = std::fs::read(root().join(bank)).expect("bank");
        let (_, copied) = entries.iter().find(|(name, _)| name == bank).expect(bank);
        assert_eq!(*copied, original, "{bank}");
    }
    for (path, bytes, _) in SHELL.iter().filter(|file| file.2) {
        let (_, copied) = entries.iter().find(|(name, _)| name == path).expect(path);
        assert_eq!(copied, bytes, "{path}");
    }
    assert_ne!(
        text_of(&entries, "index.html"),
        "<!doctype html><title>demo</title>\n",
        "the launch page is generated, not the shell's index.html"
    );
}

#[test]
fn the_same_inputs_give_the_same_bytes_and_a_one_line_summary() {
    let www = fake_www(&[]);
    let (first, second) = (TempFile::new("a.zip"), TempFile::new("b.zip"));
    let args = [
        "--format",
        "cmi5",
        BANKS[0],
        BANKS[1],
        "--mastery-score",
        "60",
    ];
    let output = package(&www, &first, &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(package(&www, &second, &args).status.code(), Some(0));
    let bytes = std::fs::read(&first.0).expect("zip");
    assert_eq!(bytes, std::fs::read(&second.0).expect("zip"));
    let files = read_zip(&first.0).len();
    let kb = bytes.len().div_ceil(1024);
    assert_eq!(
        stdout(&output),
        format!(
            "wrote {}: cmi5, 2 banks joined by the profile health-it {}, {files} files, {kb} \
             KB\n",
            first.arg(),
            bundled_profile_version()
        )
    );
}

#[test]
fn a_missing_webassembly_build_is_a_usage_error_naming_the_file() {
    for missing in ["pkg/skillcat_bg.wasm", "pkg/skillcat.js"] {
        let www = fake_www(&[missing]);
        let out = TempFile::new("missing.zip");
        let output = package(&www, &out, &["--format", "scorm12", BANKS[0]]);
        assert_eq!(output.status.code(), Some(2), "{missing}");
        let expected = format!(
            "{}: not found; build it with `make wasm` first",
            www.0.join(missing).display()
        );
        assert!(stderr(&output).contains(&expected), "{}", stderr(&output));
        assert!(!out.0.exists(), "nothing written");
    }
}

#[test]
fn an_invalid_bank_gives_exit_status_1_with_the_validators_messages() {
    let www = fake_www(&[]);
    let out = TempFile::new("invalid.zip");
    let invalid = "tests/fixtures/cli/problems.json";
    let output = package(&www, &out, &["--format", "cmi5", BANKS[0], invalid]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(
        text.contains(&format!(
            "{invalid}:37: items[0] (\"cyb-ransom-01\"): unknown field"
        )),
        "{text}"
    );
    assert!(text.contains(&format!("{invalid}: 10 problems")), "{text}");
    assert!(!out.0.exists(), "nothing written");
}

#[test]
fn two_banks_with_one_id_are_refused() {
    let www = fake_www(&[]);
    let out = TempFile::new("duplicate.zip");
    let output = package(&www, &out, &["--format", "scorm2004", BANKS[0], BANKS[0]]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("`cloud` is also the id of"), "{text}");
    assert!(text.contains("bank ids must be distinct"), "{text}");
    assert!(!out.0.exists(), "nothing written");
}

#[test]
fn settings_out_of_range_are_usage_errors() {
    let www = fake_www(&[]);
    for bad in [
        &["--mastery-score", "120"][..],
        &["--mastery-score=-1"],
        &["--mastery-score", "seventy"],
        &["--max-items", "0"],
        &["--max-items", "201"],
        &["--id", "Skill Check"],
        &["--title", " "],
        &["--mode", "exam"],
    ] {
        let out = TempFile::new("bad.zip");
        let mut args = vec!["--format", "scorm12", BANKS[0]];
        args.extend_from_slice(bad);
        let output = package(&www, &out, &args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{bad:?}: {}",
            stderr(&output)
        );
        let option = bad[0].split('=').next().unwrap_or_default();
        assert!(
            stderr(&output).contains(option),
            "{bad:?}: {}",
            stderr(&output)
        );
        assert!(!out.0.exists(), "{bad:?}: nothing written");
    }
}

#[test]
fn an_explicit_id_names_the_manifest_and_the_activities() {
    let entries = build(&["--format", "scorm12", BANKS[0], "--id", "2025-onboarding"]);
    let manifest = elements(text_of(&entries, "imsmanifest.xml"));
    // An XML ID cannot start with a digit.
    assert_eq!(
        attribute(&manifest[0], "identifier"),
        Some("_2025-onboarding")
    );
    let entries = build(&["--format", "cmi5", BANKS[0], "--id", "onboarding"]);
    let structure = elements(text_of(&entries, "cmi5.xml"));
    assert_eq!(
        attribute(one(&structure, "course"), "id"),
        Some("urn:skillcat:onboarding")
    );
}

#[test]
fn scorm_packages_warn_when_the_longest_test_may_outgrow_what_the_lms_keeps() {
    // Three banks of 200 five-option multiple-response items, 200 scored questions each: up to
    // 600 answers of up to 13 characters of suspend data (`1a=0.1.2.3.4,`), far past SCORM
    // 1.2's 4,096, and of about 400 bytes each in a SCORM 2004 full-model commit, far past 64 KiB.
    let dir = TempDir::new("long-banks");
    let mut paths = Vec::new();
    for b in 0..3 {
        let items: Vec<String> = (0..200)
            .map(|i| {
                format!(
                    r#"{{"id":"q{b}-{i}","topic":"t","type":"multiple","difficulty":"medium","stem":"Which {i}?","options":[{{"text":"A"}},{{"text":"B"}},{{"text":"C"}},{{"text":"D"}},{{"text":"E"}}],"key":[0,1]}}"#
                )
            })
            .collect();
        let bank = format!(
            r#"{{"format":"skillcat-bank/1","id":"long-{b}","title":"Long {b}","description":"A long bank.","version":"1","language":"en","topics":[{{"id":"t","title":"T"}}],"levels":[{{"name":"All"}}],"items":[{}]}}"#,
            items.join(",")
        );
        let path = dir.0.join(format!("long-{b}.json"));
        std::fs::write(&path, bank).expect("bank");
        paths.push(path.display().to_string());
    }
    let www = fake_www(&[]);
    let out = TempFile::new("long.zip");
    let run = |format: &str, max_items: &str, banks: &[String]| {
        let mut args = vec!["--format", format, "--max-items", max_items];
        args.extend(banks.iter().map(String::as_str));
        package(&www, &out, &args)
    };
    let warns = |output: &std::process::Output, what: &str| {
        assert_eq!(output.status.code(), Some(0), "{}", stderr(output));
        stderr(output).contains(what)
    };
    let output = run("scorm12", "200", &paths);
    assert!(
        warns(&output, "warning: a test over these banks may need up to"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("suspend_data, more than SCORM 1.2's 4096"));
    let output = run("scorm2004", "200", &paths);
    assert!(
        warns(&output, "warning: a test over these banks may send up to"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains("more than the 65536 a browser sends"));
    let output = run("cmi5", "200", &paths);
    assert!(!warns(&output, "warning"), "cmi5 has no such limit");

    // The seven bundled banks: the longest SCORM 1.2 test (200 items each) fits suspend_data,
    // and the longest default SCORM 2004 test (20 each, what `make packages` builds) fits one
    // full-model commit; 25 each may not.
    let bundled: Vec<String> = std::fs::read_dir(root().join("quizbanks"))
        .expect("quizbanks")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            path.file_name()
                .is_some_and(|name| skillcat::catalog::is_bank_file(&name.to_string_lossy()))
        })
        .map(|path| path.display().to_string())
        .collect();
    assert_eq!(bundled.len(), 7);
    let output = run("scorm12", "200", &bundled);
    assert!(!warns(&output, "warning"), "{}", stderr(&output));
    let output = run("scorm2004", "20", &bundled);
    assert!(!warns(&output, "warning"), "{}", stderr(&output));
    let output = run("scorm2004", "25", &bundled);
    assert!(
        warns(&output, "warning: a test over these banks may send up to"),
        "{}",
        stderr(&output)
    );
}

/// The bundled profile's version, as the summary line names it.
fn bundled_profile_version() -> String {
    let text = std::fs::read_to_string(root().join(PROFILE)).expect("the bundled profile");
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    value["version"].as_str().expect("a version").to_string()
}

/// A folder holding copies of the two banks and, when given, a `profile.json` with `text`.
fn banks_folder(profile: Option<&str>) -> TempDir {
    let dir = TempDir::new("family");
    for bank in BANKS {
        let name = Path::new(bank).file_name().expect("file name");
        std::fs::copy(root().join(bank), dir.0.join(name)).expect("bank copy");
    }
    if let Some(text) = profile {
        std::fs::write(dir.0.join("profile.json"), text).expect("profile");
    }
    dir
}

#[test]
fn a_package_of_several_banks_ships_their_profile_so_the_domains_are_one_joint_test() {
    let bundled = std::fs::read(root().join(PROFILE)).expect("the bundled profile");
    for format in ["scorm12", "scorm2004", "cmi5"] {
        let entries = build(&["--format", format, BANKS[0], BANKS[1]]);
        let (_, shipped) = entries
            .iter()
            .find(|(name, _)| name == PROFILE)
            .unwrap_or_else(|| panic!("{format}: {PROFILE} is in the package"));
        assert_eq!(
            *shipped, bundled,
            "{format}: the profile's bytes as they are"
        );
        // The element fetches `<bank-base>profile.json`, bank-base defaulting to quizbanks/
        // beside skillcat-quiz.js at the package root: no attribute needed, none says "none".
        let quiz = quiz_attributes(text_of(&entries, "index.html"));
        assert!(!quiz.contains_key("profile"), "{format}: {quiz:?}");
        assert!(!quiz.contains_key("bank-base"), "{format}: {quiz:?}");
    }
    // One bank: nothing to link, nothing shipped, nothing fetched (the element skips it).
    let one = build(&["--format", "scorm12", BANKS[0]]);
    assert!(one.iter().all(|(name, _)| name != PROFILE));
    assert!(!quiz_attributes(text_of(&one, "index.html")).contains_key("profile"));
}

#[test]
fn profile_none_or_no_profile_beside_the_banks_tests_the_domains_apart_without_a_request() {
    let none = build(&["--format", "cmi5", BANKS[0], BANKS[1], "--profile", "none"]);
    let alone = banks_folder(None);
    let cloud = alone.0.join("cloud.json");
    let regulation = alone.0.join("regulation.json");
    let (cloud, regulation) = (cloud.to_str().unwrap(), regulation.to_str().unwrap());
    let missing = build(&["--format", "scorm2004", cloud, regulation]);
    for entries in [none, missing] {
        assert!(entries.iter().all(|(name, _)| name != PROFILE));
        let quiz = quiz_attributes(text_of(&entries, "index.html"));
        assert_eq!(quiz.get("profile").map(String::as_str), Some("none"));
    }
}

#[test]
fn a_named_profile_or_the_one_beside_the_banks_is_shipped_as_quizbanks_profile_json() {
    let text = r#"{"id":"pair","title":"Two","version":"1","source":"a test",
        "domains":["regulation","cloud"],"correlations":[[1,0.7],[0.7,1]]}"#;
    let family = banks_folder(Some(text));
    let cloud = family.0.join("cloud.json");
    let regulation = family.0.join("regulation.json");
    let (cloud, regulation) = (cloud.to_str().unwrap(), regulation.to_str().unwrap());
    let beside = build(&["--format", "scorm12", cloud, regulation]);
    let named_file = TempFile::new("pair.json");
    std::fs::write(&named_file.0, text).expect("profile");
    let named = build(&[
        "--format",
        "cmi5",
        BANKS[0],
        BANKS[1],
        "--profile",
        named_file.arg(),
    ]);
    for entries in [beside, named] {
        let (_, shipped) = entries
            .iter()
            .find(|(name, _)| name == PROFILE)
            .expect("the profile is shipped");
        assert_eq!(shipped.as_slice(), text.as_bytes());
    }
}

#[test]
fn an_invalid_profile_or_one_that_links_fewer_than_two_banks_is_refused() {
    let www = fake_www(&[]);
    let invalid = TempFile::new("invalid-profile.json");
    std::fs::write(
        &invalid.0,
        r#"{"id":"p","title":"t","version":"1","source":"s","domains":["cloud","regulation"],
            "correlations":[[1,1.5],[1.5,1]]}"#,
    )
    .expect("profile");
    let out = TempFile::new("refused.zip");
    let output = package(
        &www,
        &out,
        &[
            "--format",
            "scorm12",
            BANKS[0],
            BANKS[1],
            "--profile",
            invalid.arg(),
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(text.contains(invalid.arg()), "names the file: {text}");
    assert!(
        text.contains("correlations[0][1]"),
        "names the field: {text}"
    );
    assert!(!out.0.exists(), "nothing written");

    let unrelated = TempFile::new("unrelated-profile.json");
    std::fs::write(
        &unrelated.0,
        r#"{"id":"p","title":"t","version":"1","source":"s","domains":["cloud","other"],
            "correlations":[[1,0.5],[0.5,1]]}"#,
    )
    .expect("profile");
    let output = package(
        &www,
        &out,
        &[
            "--format",
            "cmi5",
            BANKS[0],
            BANKS[1],
            "--profile",
            unrelated.arg(),
        ],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(text.contains("links 1 of the banks"), "{text}");
    assert!(text.contains("--profile none"), "{text}");
    assert!(!out.0.exists(), "nothing written");
}
