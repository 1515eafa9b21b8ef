//! QTI (IMS Question and Test Interoperability) 1.2, 2.1, 2.2 and 3.0: choice items read from
//! an XML file or a zipped content package, and banks written as QTI 3.0 packages. QTI 1.2
//! (`questestinterop`, what Canvas, Blackboard and Respondus export) is read by `v1/`; the
//! rest of this page is about 2.x and 3.0.
//!
//! # Reading
//!
//! | QTI | becomes |
//! |---|---|
//! | `assessmentItem` / `qti-assessment-item` `identifier` | the item id, as a slug |
//! | `choiceInteraction` with a `single` response (max-choices 1) | `single`; `true_false` when the two choices read True and False |
//! | `choiceInteraction` with a `multiple` response (max-choices 0 or more than 1) | `multiple` |
//! | `correctResponse` values | the key |
//! | `map_response` with a `mapping` | the key is the choices with a positive mapped value, with a warning (partial credit is not held) |
//! | item body text and the `prompt` | the stem, in the Markdown subset (paragraphs, lists, `*`/`**`, code, links); ruby as `base (reading)`, MathML as text (with a warning each), TeX as written (with a warning each) |
//! | `feedbackInline` inside a choice; `modalFeedback`/`feedbackBlock` whose identifier is a choice's | that option's feedback |
//! | other `modalFeedback`/`feedbackBlock` | where `feedback.rs` puts it, from when the response processing shows it (`correct`/`incorrect` by name when it does not say): the key's or the other options' feedback, or the explanation |
//! | the section of the package's assessment test that refers to the item | the topic (the section identifier, as a slug) |
//!
//! Response-processing template URLs are recognized however they are spelled (`http`/`https`,
//! with or without `.xml`, the `purl.imsglobal.org/spec/qti/v3p0/rptemplates/` and
//! `www.imsglobal.org/question/qti_v2p1/rptemplates/` forms, 2.x and 3.0), and so is custom
//! processing that scores as `match_correct` does (what [`export`] writes). Warnings, not
//! errors: an unknown template or other custom response processing (the key comes from the
//! correct response), markup the subset cannot hold (images, tables…). Notes: `shuffle="true"`
//! and fixed choices (the bank keeps the source order), section selection and ordering.
//! Skipped with a warning: items with any other interaction (text entry, order, match,
//! hotspot, extended text…) or with several, items without a correct response, items a bank
//! cannot hold (fewer than 2 or more than 10 choices, a choice without text, options that
//! read the same). Malformed XML in a single file is a [`ConvertError`] with its line; in a
//! package it skips that item with a warning.
//!
//! A package is read through `imsmanifest.xml`: every item resource (`imsqti_item_xmlv2p1`,
//! `…v2p2`, `…v3p0`; QTI 1.2 `imsqti_xmlv1p2` and its Common Cartridge and Blackboard
//! forms), in manifest order, then items the assessment tests refer to that no item resource lists (with
//! a note). Files the manifest lists but the zip lacks, and files in the zip the manifest does
//! not list, are warnings (an unlisted schema, a note). Entry names with `..` or an absolute
//! path are never followed. A package may expand to at most 50 MB ([`MAX_EXPANDED`]) and hold
//! at most 10,000 entries ([`MAX_ENTRIES`]).
//!
//! # Writing
//!
//! [`export`] writes a QTI 3.0 package: the manifest, an assessment test with one section per
//! topic (so topics travel: identifier = topic id, title = topic title), and one item file per
//! item (see `write.rs` for the exact shape). Its response processing sets `FEEDBACK`, so a QTI
//! player shows the chosen options' feedback and the explanation. Importing an exported bank
//! gives back every field both hold: id, topic, type, stem, option texts, key, option feedback
//! and explanation.

mod feedback;
mod package;
mod paths;
mod read;
mod scoring;
mod v1;
mod write;

use crate::bank::Bank;
use crate::convert::{ConvertError, Imported, Sourced, Warning, finish};
use crate::markup::dom;

pub use package::{MAX_ENTRIES, MAX_EXPANDED};

/// Shared with the Moodle XML importer, which recognises true/false items the same way.
pub(crate) use read::is_true_false;

/// Reads QTI: a single item XML file (2.1, 2.2 or 3.0) or a zipped content package.
/// `source` names the input in warnings (`package.zip`, and `package.zip:items/q3.xml` for a
/// file inside it).
///
/// # Errors
///
/// A single file that is not UTF-8, not well-formed XML (with the line) or not an assessment
/// item; a package that cannot be read, has no manifest, expands past the cap; no item that
/// could be imported (the error lists the warnings that say why).
pub fn import(source: &str, bytes: &[u8]) -> Result<Imported, ConvertError> {
    if package::is_zip(bytes) {
        let (items, topics, warnings) = package::import(source, bytes)?;
        return finish(source, items, topics, warnings);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        ConvertError::new(
            source,
            Some(1 + valid.iter().filter(|&&b| b == b'\n').count()),
            "not UTF-8 text (other encodings are not read; re-save the file as UTF-8)",
        )
    })?;
    let mut warnings = Vec::new();
    let (items, topics) = read_file(source, text, "", &mut warnings)?;
    finish(source, items, topics, warnings)
}

/// Reads a QTI XML file: one assessment item (2.x, 3.0), or a QTI 1.2 `questestinterop` with
/// any number of items. `topic` is the topic of 2.x items (1.2 files name their own). Returns
/// the items that could be held and the topics they use.
///
/// # Errors
///
/// The text is not well-formed XML, or its root is neither of those.
pub(crate) fn read_file(
    source: &str,
    text: &str,
    topic: &str,
    warnings: &mut Vec<Warning>,
) -> Result<(Vec<Sourced>, Vec<String>), ConvertError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = dom::parse(text, dom::Names::Qti)
        .map_err(|e| ConvertError::new(source, Some(e.line), e.message))?;
    let root = &doc.root;
    match root.name.as_str() {
        "assessmentItem" => {
            let item = read::read_item(source, &doc, text, topic, warnings);
            let topics = item
                .iter()
                .map(|(_, item)| item.topic.clone())
                .filter(|t| !t.is_empty())
                .collect();
            Ok((item.into_iter().collect(), topics))
        }
        "questestinterop" => Ok(v1::read(source, &doc, text, warnings)),
        _ => {
            let hint = match root.name.as_str() {
                "assessmentTest" => {
                    "; import the content package (zip) that holds the test and its items"
                }
                "manifest" => "; import the zipped content package that holds this manifest",
                _ => "",
            };
            Err(ConvertError::new(
                source,
                Some(doc.line(root)),
                format!(
                    "the root element is <{}>, not an assessment item (assessmentItem or \
                     qti-assessment-item) or a QTI 1.2 questestinterop{hint}",
                    root.raw
                ),
            ))
        }
    }
}

/// Writes a bank as a QTI 3.0 content package (zip bytes).
///
/// # Errors
///
/// An item whose key names a missing option, or two items with one id (possible only for a
/// bank built without validation).
pub fn export(bank: &Bank) -> Result<Vec<u8>, ConvertError> {
    write::export(bank)
}
