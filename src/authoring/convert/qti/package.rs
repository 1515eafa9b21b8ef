//! Reading a zipped IMS content package: `imsmanifest.xml`, the item resources it lists
//! (QTI 2.x/3.0 items; QTI 1.2 files such as Canvas's `imsqti_xmlv1p2` and Common Cartridge
//! assessments and question banks, and Blackboard's `assessment/x-bb-qti-*` pools and tests),
//! and the assessment tests, whose sections give the items' topics. Items a test refers to
//! (`assessmentItemRef`) that no item resource lists are read from the test's hrefs, with a
//! note: some exporters list items only as files of the test.
//!
//! Only files the manifest lists (or a test refers to) are read; files it does not list are
//! reported, files it lists but the zip lacks are reported. The zip is read, never extracted:
//! entry names that would leave the package (`..`, absolute paths) are refused with a warning.
//! A package may expand to at most [`MAX_EXPANDED`] bytes in all and hold at most
//! [`MAX_ENTRIES`] entries (zip bombs).

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use zip::ZipArchive;

use crate::convert::{ConvertError, Ids, Sourced, Warning, slug};

use super::paths::{normalize, resolve};
use crate::markup::dom::{self, Document, Element, Names};

/// The most bytes all files read from one package may expand to.
pub const MAX_EXPANDED: u64 = 50 * 1024 * 1024;
/// The most entries a package may hold.
pub const MAX_ENTRIES: usize = 10_000;

const MANIFEST: &str = "imsmanifest.xml";

/// Whether the bytes start like a zip archive.
pub(crate) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

struct Package<'a> {
    source: &'a str,
    archive: ZipArchive<Cursor<&'a [u8]>>,
    /// Accepted entry names → index.
    entries: HashMap<String, usize>,
    /// Accepted entry names in archive order.
    order: Vec<String>,
    expanded: u64,
    warnings: Vec<Warning>,
}

/// Reading one file failed: past the size cap (fatal) or unreadable (that file is skipped).
enum ReadError {
    TooBig,
    Unreadable(String),
}

/// Items (with their lines), topics and warnings of a package, before [`crate::convert::finish`].
pub(crate) type Contents = (Vec<Sourced>, Vec<String>, Vec<Warning>);

/// Reads every item resource the package's manifest lists.
///
/// # Errors
///
/// The archive cannot be read, has too many entries or expands too far, has no manifest, or
/// the manifest is not well-formed.
pub(crate) fn import(source: &str, bytes: &[u8]) -> Result<Contents, ConvertError> {
    let error = |line: Option<usize>, message: String| ConvertError {
        source: source.to_string(),
        line,
        message,
    };
    let archive = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| error(None, format!("not a readable zip archive: {e}")))?;
    if archive.len() > MAX_ENTRIES {
        return Err(error(
            None,
            format!(
                "the package has {} entries, more than the {MAX_ENTRIES} accepted",
                archive.len()
            ),
        ));
    }
    let mut package = Package {
        source,
        archive,
        entries: HashMap::new(),
        order: Vec::new(),
        expanded: 0,
        warnings: Vec::new(),
    };
    package.index_entries();
    let manifest_path = package.manifest_path().ok_or_else(|| {
        error(
            None,
            format!("no {MANIFEST} in the package: not an IMS content package"),
        )
    })?;
    let base = manifest_path
        .strip_suffix(MANIFEST)
        .unwrap_or_default()
        .to_string();
    let manifest_source = format!("{source}:{manifest_path}");
    let text = match package.read(&manifest_path) {
        Ok(bytes) => utf8(&manifest_source, bytes)?,
        Err(ReadError::TooBig) => return Err(package.too_big()),
        Err(ReadError::Unreadable(why)) => {
            return Err(error(
                None,
                format!("{manifest_path} cannot be read: {why}"),
            ));
        }
    };
    let manifest = dom::parse(&text, Names::AsWritten).map_err(|e| ConvertError {
        source: manifest_source.clone(),
        line: Some(e.line),
        message: e.message,
    })?;
    if manifest.root.name != "manifest" {
        return Err(ConvertError {
            source: manifest_source,
            line: Some(manifest.line(&manifest.root)),
            message: format!(
                "the root element is <{}>, not <manifest>",
                manifest.root.raw
            ),
        });
    }
    package.read_resources(&manifest, &base, &manifest_path)
}

struct Resource<'d> {
    element: &'d Element,
    /// An href of it led outside the package (already warned).
    refused: bool,
    kind: String,
    href: Option<String>,
}

impl Package<'_> {
    fn warn(&mut self, path: &str, line: Option<usize>, message: String) {
        let source = format!("{}:{path}", self.source);
        self.warnings.push(Warning::new(&source, line, message));
    }

    fn too_big(&self) -> ConvertError {
        ConvertError {
            source: self.source.to_string(),
            line: None,
            message: format!(
                "the package expands to more than {} MB: refused (a zip bomb?)",
                MAX_EXPANDED / (1024 * 1024)
            ),
        }
    }

    fn index_entries(&mut self) {
        for index in 0..self.archive.len() {
            let Some(raw) = self.archive.name_for_index(index).map(str::to_string) else {
                continue;
            };
            if raw.ends_with('/') || raw.ends_with('\\') {
                continue; // a directory
            }
            match normalize(&raw) {
                Some(name) => {
                    if self.entries.contains_key(&name) {
                        self.warn(&raw, None, "a second entry with this name: ignored".into());
                    } else {
                        self.entries.insert(name.clone(), index);
                        self.order.push(name);
                    }
                }
                None => self.warn(
                    &raw,
                    None,
                    "the entry name leaves the package (\"..\" or an absolute path): ignored"
                        .into(),
                ),
            }
        }
    }

    /// `imsmanifest.xml` at the root, or in the one folder that holds the whole package.
    fn manifest_path(&self) -> Option<String> {
        if self.entries.contains_key(MANIFEST) {
            return Some(MANIFEST.into());
        }
        let mut nested = self.order.iter().filter(|name| {
            name.ends_with(&format!("/{MANIFEST}")) && name.matches('/').count() == 1
        });
        let first = nested.next()?;
        nested.next().is_none().then(|| first.clone())
    }

    fn read(&mut self, name: &str) -> Result<Vec<u8>, ReadError> {
        let index = *self
            .entries
            .get(name)
            .ok_or_else(|| ReadError::Unreadable("not in the package".into()))?;
        let left = MAX_EXPANDED.saturating_sub(self.expanded);
        let file = self
            .archive
            .by_index(index)
            .map_err(|e| ReadError::Unreadable(e.to_string()))?;
        if file.size() > left {
            return Err(ReadError::TooBig);
        }
        let mut bytes = Vec::new();
        file.take(left + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ReadError::Unreadable(e.to_string()))?;
        let read = bytes.len() as u64;
        if read > left {
            return Err(ReadError::TooBig);
        }
        self.expanded += read;
        Ok(bytes)
    }

    fn read_resources(
        mut self,
        manifest: &Document,
        base: &str,
        manifest_path: &str,
    ) -> Result<Contents, ConvertError> {
        let mut listed: HashSet<String> = HashSet::from([manifest_path.to_string()]);
        let mut resources = Vec::new();
        let resources_element = manifest.root.child("resources");
        let resources_base = resources_element.and_then(|r| r.attr("base")).unwrap_or("");
        for element in resources_element
            .into_iter()
            .flat_map(|r| r.elements())
            .filter(|e| e.name == "resource")
        {
            let folder = format!(
                "{base}{resources_base}{}",
                element.attr("base").unwrap_or("")
            );
            let line = Some(manifest.line(element));
            let mut refused: Vec<String> = Vec::new();
            let mut locate = |href: &str, package: &mut Self| match resolve(&folder, href) {
                Some(path) => Some(path),
                None => {
                    if !refused.iter().any(|r| r == href) {
                        package.warn(
                            manifest_path,
                            line,
                            format!("the resource href \"{href}\" leaves the package: ignored"),
                        );
                        refused.push(href.to_string());
                    }
                    None
                }
            };
            // Blackboard names the file in `bb:file`.
            let mut href = element
                .attr("href")
                .or_else(|| element.attr("file"))
                .and_then(|h| locate(h, &mut self));
            for file in element.elements().filter(|e| e.name == "file") {
                if let Some(path) = file.attr("href").and_then(|h| locate(h, &mut self)) {
                    href.get_or_insert_with(|| path.clone());
                    listed.insert(path);
                }
            }
            if let Some(path) = &href {
                listed.insert(path.clone());
            }
            let refused = !refused.is_empty();
            resources.push(Resource {
                element,
                refused,
                kind: element.attr("type").unwrap_or("").to_string(),
                href,
            });
        }
        let (topics, referenced) = self.test_topics(&resources, manifest, manifest_path);
        let mut read = Collected::default();
        for resource in &resources {
            let line = Some(manifest.line(resource.element));
            if !is_item_resource(&resource.kind) {
                continue;
            }
            let Some(path) = resource.href.clone() else {
                if !resource.refused {
                    self.warn(
                        manifest_path,
                        line,
                        "an item resource with no href or file: ignored".into(),
                    );
                }
                continue;
            };
            let topic = topics.get(&path).map_or("", String::as_str).to_string();
            self.read_file(&path, &topic, manifest_path, line, &mut read)?;
        }
        let unlisted: Vec<Reference> = referenced
            .into_iter()
            .filter(|r| !read.done.contains(&r.item))
            .collect();
        if let Some(first) = unlisted.first() {
            self.warnings.push(Warning::note(
                &format!("{}:{}", self.source, first.test),
                Some(first.line),
                format!(
                    "the manifest lists no item resource for {} item{} the test refers to: \
                     read from the test's assessmentItemRef hrefs",
                    unlisted.len(),
                    if unlisted.len() == 1 { "" } else { "s" }
                ),
            ));
        }
        for reference in unlisted {
            listed.insert(reference.item.clone());
            let topic = topics.get(&reference.item).map_or("", String::as_str);
            let topic = topic.to_string();
            self.read_file(
                &reference.item,
                &topic,
                &reference.test,
                Some(reference.line),
                &mut read,
            )?;
        }
        for name in self.order.clone() {
            if listed.contains(&name) {
                continue;
            }
            let lower = name.to_ascii_lowercase();
            if lower.ends_with(".xsd") || lower.ends_with(".dtd") {
                let source = format!("{}:{name}", self.source);
                self.warnings.push(Warning::note(
                    &source,
                    None,
                    format!("a schema, not listed in {MANIFEST}: ignored"),
                ));
            } else {
                self.warn(&name, None, format!("not listed in {MANIFEST}: ignored"));
            }
        }
        Ok((read.items, read.topics, self.warnings))
    }

    /// Reads one QTI file of the package (2.x item or 1.2 `questestinterop`) into `read`; a
    /// file that cannot be read or parsed is a warning (`line` is its line in `listed_in`).
    fn read_file(
        &mut self,
        path: &str,
        topic: &str,
        listed_in: &str,
        line: Option<usize>,
        read: &mut Collected,
    ) -> Result<(), ConvertError> {
        if !read.done.insert(path.to_string()) {
            return Ok(());
        }
        let bytes = match self.read(path) {
            Ok(bytes) => bytes,
            Err(ReadError::TooBig) => return Err(self.too_big()),
            Err(ReadError::Unreadable(why)) => {
                let message = if self.entries.contains_key(path) {
                    format!("{listed_in} lists {path}, which cannot be read ({why}): skipped")
                } else {
                    format!("{listed_in} lists {path}, which is not in the package")
                };
                self.warn(listed_in, line, message);
                return Ok(());
            }
        };
        let item_source = format!("{}:{path}", self.source);
        let result = utf8(&item_source, bytes)
            .and_then(|text| super::read_file(&item_source, &text, topic, &mut self.warnings));
        match result {
            Ok((items, _)) => {
                for (item_line, mut item) in items {
                    let id = read.ids.claim(&item.id);
                    if id != item.id {
                        self.warnings.push(Warning::new(
                            &item_source,
                            Some(item_line),
                            format!("item id `{}` is already used; renamed to `{id}`", item.id),
                        ));
                    }
                    item.id = id;
                    if !item.topic.is_empty() && !read.topics.contains(&item.topic) {
                        read.topics.push(item.topic.clone());
                    }
                    read.items.push((item_line, item));
                }
            }
            Err(e) => self.warnings.push(Warning::new(
                &e.source,
                e.line,
                format!("{}: item skipped", e.message),
            )),
        }
        Ok(())
    }

    /// Item path → topic, from the sections of the package's assessment tests: each item takes
    /// the identifier of the innermost section that holds it. Also every item path the tests
    /// refer to, in test order, with the line of its reference.
    fn test_topics(
        &mut self,
        resources: &[Resource<'_>],
        manifest: &Document,
        manifest_path: &str,
    ) -> (HashMap<String, String>, Vec<Reference>) {
        let mut topics = HashMap::new();
        let mut referenced: Vec<Reference> = Vec::new();
        for resource in resources
            .iter()
            .filter(|r| r.kind.starts_with("imsqti_test_xmlv"))
        {
            let Some(path) = resource.href.clone() else {
                continue;
            };
            let line = Some(manifest.line(resource.element));
            let bytes = match self.read(&path) {
                Ok(bytes) => bytes,
                Err(_) => {
                    self.warn(manifest_path, line, format!("the manifest lists the test {path}, which cannot be read: topics not taken from it"));
                    continue;
                }
            };
            let test_source = format!("{}:{path}", self.source);
            let test = match utf8(&test_source, bytes).and_then(|text| {
                dom::parse(&text, Names::Qti).map_err(|e| ConvertError {
                    source: test_source.clone(),
                    line: Some(e.line),
                    message: e.message,
                })
            }) {
                Ok(test) => test,
                Err(e) => {
                    self.warnings.push(Warning::new(
                        &e.source,
                        e.line,
                        format!("{}: topics not taken from this test", e.message),
                    ));
                    continue;
                }
            };
            let folder = path.rfind('/').map_or("", |i| &path[..=i]).to_string();
            let mut stack: Vec<(&Element, Option<String>)> = vec![(&test.root, None)];
            while let Some((element, section)) = stack.pop() {
                let section = if element.name == "assessmentSection" {
                    let id = slug(element.attr("identifier").unwrap_or(""));
                    let pooled = element.child("selection").is_some()
                        || element.child("ordering").and_then(|o| o.attr("shuffle"))
                            == Some("true");
                    if pooled {
                        self.warnings.push(Warning::note(
                            &test_source,
                            Some(test.line(element)),
                            "section selection and ordering are not held: every item is read, in manifest order",
                        ));
                    }
                    if id.is_empty() { section } else { Some(id) }
                } else {
                    section
                };
                if element.name == "assessmentItemRef" {
                    if let Some(item) = element.attr("href").and_then(|h| resolve(&folder, h)) {
                        if !referenced.iter().any(|r| r.item == item) {
                            referenced.push(Reference {
                                item: item.clone(),
                                test: path.clone(),
                                line: test.line(element),
                            });
                        }
                        if let Some(topic) = &section {
                            topics.entry(item).or_insert_with(|| topic.clone());
                        }
                    }
                    continue;
                }
                for child in element.elements().collect::<Vec<_>>().into_iter().rev() {
                    stack.push((child, section.clone()));
                }
            }
        }
        (topics, referenced)
    }
}

/// What has been read from a package so far.
#[derive(Default)]
struct Collected {
    items: Vec<Sourced>,
    /// Topics in first-seen order.
    topics: Vec<String>,
    ids: Ids,
    /// Paths already read.
    done: HashSet<String>,
}

/// Whether a manifest resource type names a file of QTI items: QTI 2.x/3.0 items
/// (`imsqti_item_xmlv2p1`, `…v2p2`, `…v3p0`), QTI 1.2 (`imsqti_xmlv1p2`, and Common Cartridge's
/// `imsqti_xmlv1p2/imscc_xmlv1p1/assessment` and `…/question-bank`), and Blackboard's
/// `assessment/x-bb-qti-pool` and `…-test`.
fn is_item_resource(kind: &str) -> bool {
    kind.starts_with("imsqti_item_xmlv")
        || kind.starts_with("imsqti_xmlv1p")
        || kind.starts_with("assessment/x-bb-qti-")
}

/// An `assessmentItemRef`: the item's path, the test's path, and the reference's line in it.
struct Reference {
    item: String,
    test: String,
    line: usize,
}

fn utf8(source: &str, bytes: Vec<u8>) -> Result<String, ConvertError> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        ConvertError {
            source: source.to_string(),
            line: Some(valid.iter().filter(|&&b| b == b'\n').count() + 1),
            message: "not UTF-8 text (other encodings are not read)".into(),
        }
    })
}
