//! A bank written as a QTI 3.0 content package (zip):
//!
//! - `imsmanifest.xml` lists the test and every item file (resource types
//!   `imsqti_test_xmlv3p0`, `imsqti_item_xmlv3p0`);
//! - `assessment.xml` is a `qti-assessment-test` with one `qti-assessment-section` per topic
//!   (identifier = the topic id, title = the topic title) referring to that topic's items: this
//!   is how topics travel, and the importer reads them back from it;
//! - `items/<id>.xml` holds one `qti-assessment-item` per item: a `qti-response-declaration`
//!   with single or multiple cardinality and the `qti-correct-response`, a
//!   `qti-choice-interaction` (max-choices 1 or 0, shuffle off: the bank's order is the
//!   author's), choices `A`, `B`, … with their feedback as `qti-feedback-inline` (or as
//!   `qti-modal-feedback` tied to the choice when it has more than one paragraph), the
//!   explanation as `qti-modal-feedback` `EXPLANATION`, and response processing that scores as
//!   the standard `match_correct` template does and sets the `FEEDBACK` outcome to the chosen
//!   choices and `EXPLANATION` ([`response_processing`]), so that a QTI player shows the
//!   feedback of what the learner chose and the explanation, as the bank does.
//!
//! Text goes from the Markdown subset to XHTML (`p`, `ul`, `ol`, `strong`, `em`, `code`, `a`).
//! Difficulty, calibration, references, status, tags and enemies have no place in a QTI item
//! and are not written. The zip is the same bytes for the same bank (fixed timestamps).

use std::fmt::Write as _;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::bank::{Bank, Item, ItemType};
use crate::convert::ConvertError;

use crate::markup::markdown::{Block, parse};
use crate::markup::render::{self, escape_xml, to_xhtml};

const ITEM_NS: &str = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0";
const ITEM_XSD: &str =
    "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd";
const CP_NS: &str = "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1";
const CP_XSD: &str =
    "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd";
const TEST_FILE: &str = "assessment.xml";

/// The identifier of the modal feedback that holds an item's explanation.
pub(crate) const EXPLANATION: &str = "EXPLANATION";

/// Writes the package.
///
/// # Errors
///
/// An item whose key names an option it does not have, or two items with one id (the bank was
/// built without validation); a failure of the zip writer.
pub(crate) fn export(bank: &Bank) -> Result<Vec<u8>, ConvertError> {
    let error = |message: String| ConvertError {
        source: bank.id.clone(),
        line: None,
        message,
    };
    let mut files: Vec<(String, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, item) in bank.items.iter().enumerate() {
        let at = format!("items[{index}] (\"{}\")", item.id);
        if let Some(&bad) = item.key.iter().find(|&&k| k >= item.options.len()) {
            return Err(error(format!(
                "{at}.key: option index {bad} but the item has {} options",
                item.options.len()
            )));
        }
        if item.id.is_empty()
            || !item
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(error(format!("{at}.id: not a slug")));
        }
        if !seen.insert(item.id.as_str()) {
            return Err(error(format!("{at}.id: used by an earlier item")));
        }
        files.push((item_path(item), item_xml(item, &bank.language)));
    }
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::DEFAULT)
        .unix_permissions(0o644);
    let mut add = |name: &str, text: &str| -> Result<(), ConvertError> {
        zip.start_file(name, options)
            .and_then(|()| zip.write_all(text.as_bytes()).map_err(Into::into))
            .map_err(|e| error(format!("writing {name} into the package: {e}")))
    };
    add("imsmanifest.xml", &manifest_xml(bank))?;
    add(TEST_FILE, &test_xml(bank))?;
    for (name, text) in &files {
        add(name, text)?;
    }
    let cursor = zip
        .finish()
        .map_err(|e| error(format!("finishing the package: {e}")))?;
    Ok(cursor.into_inner())
}

/// How an id is written as an XML identifier: an NCName cannot start with a digit, so `3d`
/// is written `_3d` (the importer's slug drops the `_`).
fn xml_identifier(id: &str) -> String {
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{id}")
    } else {
        id.to_string()
    }
}

fn item_path(item: &Item) -> String {
    format!("items/{}.xml", item.id)
}

/// `A`, `B`, … `Z`, then `C27`, `C28`, …
fn choice_id(index: usize) -> String {
    match u8::try_from(index) {
        Ok(n) if n < 26 => char::from(b'A' + n).to_string(),
        _ => format!("C{}", index + 1),
    }
}

fn attr(text: &str) -> String {
    let mut out = String::new();
    escape_xml(text, &mut out);
    out
}

/// The stem's first paragraph as plain text, at most 80 characters: the item's title.
fn title(item: &Item) -> String {
    let mut text = String::new();
    match parse(&item.stem).first() {
        Some(Block::Paragraph(inlines)) => render::plain_text(inlines, &mut text),
        Some(Block::List { items, .. }) => {
            if let Some(first) = items.first() {
                render::plain_text(first, &mut text);
            }
        }
        None => {}
    }
    if text.chars().count() > 80 {
        let cut: String = text.chars().take(79).collect();
        format!("{}…", cut.trim_end())
    } else {
        text
    }
}

fn item_xml(item: &Item, language: &str) -> String {
    let mut x = String::new();
    let cardinality = if item.kind == ItemType::Multiple {
        "multiple"
    } else {
        "single"
    };
    let max_choices = if item.kind == ItemType::Multiple {
        0
    } else {
        1
    };
    let _ = writeln!(x, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        x,
        r#"<qti-assessment-item xmlns="{ITEM_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{ITEM_NS} {ITEM_XSD}" identifier="{}" title="{}" adaptive="false" time-dependent="false" xml:lang="{}">"#,
        attr(&xml_identifier(&item.id)),
        attr(&title(item)),
        attr(language),
    );
    let _ = writeln!(
        x,
        r#"  <qti-response-declaration identifier="RESPONSE" cardinality="{cardinality}" base-type="identifier">"#
    );
    x.push_str("    <qti-correct-response>\n");
    for &k in &item.key {
        let _ = writeln!(x, "      <qti-value>{}</qti-value>", choice_id(k));
    }
    x.push_str("    </qti-correct-response>\n  </qti-response-declaration>\n");
    x.push_str(
        r#"  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>"#,
    );
    x.push('\n');
    x.push_str(r#"  <qti-outcome-declaration identifier="FEEDBACK" cardinality="multiple" base-type="identifier"/>"#);
    x.push_str("\n  <qti-item-body>\n");
    let stem = parse(&item.stem);
    let single_paragraph = matches!(stem.as_slice(), [Block::Paragraph(_)]);
    if !single_paragraph {
        x.push_str("    ");
        to_xhtml(&stem, false, &mut x);
        x.push('\n');
    }
    let _ = writeln!(
        x,
        r#"    <qti-choice-interaction response-identifier="RESPONSE" max-choices="{max_choices}" shuffle="false">"#
    );
    if single_paragraph {
        x.push_str("      <qti-prompt>");
        to_xhtml(&stem, true, &mut x);
        x.push_str("</qti-prompt>\n");
    }
    let mut modal = Vec::new();
    for (index, option) in item.options.iter().enumerate() {
        let id = choice_id(index);
        let _ = write!(x, r#"      <qti-simple-choice identifier="{id}">"#);
        to_xhtml(&parse(&option.text), true, &mut x);
        if let Some(feedback) = &option.feedback {
            let blocks = parse(feedback);
            if matches!(blocks.as_slice(), [Block::Paragraph(_)]) {
                let _ = write!(
                    x,
                    r#"<qti-feedback-inline outcome-identifier="FEEDBACK" identifier="{id}" show-hide="show">"#
                );
                to_xhtml(&blocks, true, &mut x);
                x.push_str("</qti-feedback-inline>");
            } else {
                modal.push((id.clone(), blocks));
            }
        }
        x.push_str("</qti-simple-choice>\n");
    }
    x.push_str("    </qti-choice-interaction>\n  </qti-item-body>\n");
    x.push_str(&response_processing(item.explanation.is_some()));
    if let Some(explanation) = &item.explanation {
        modal.push((EXPLANATION.to_string(), parse(explanation)));
    }
    for (id, blocks) in modal {
        let title = if id == EXPLANATION {
            "Explanation"
        } else {
            "Feedback"
        };
        let _ = write!(
            x,
            r#"  <qti-modal-feedback outcome-identifier="FEEDBACK" identifier="{id}" show-hide="show" title="{title}"><qti-content-body>"#
        );
        to_xhtml(&blocks, false, &mut x);
        x.push_str("</qti-content-body></qti-modal-feedback>\n");
    }
    x.push_str("</qti-assessment-item>\n");
    x
}

/// Response processing: `SCORE` 1 when the response matches the correct response, else 0 (the
/// `match_correct` template, written out, since a template cannot also set feedback); then
/// `FEEDBACK` = the chosen choices' identifiers, and `EXPLANATION` when the item has one. A
/// choice's inline or modal feedback (identifier = the choice's) therefore shows when it was
/// chosen, and the explanation after every answer.
fn response_processing(explanation: bool) -> String {
    let set = |identifier: &str, value: &str| {
        format!(
            "<qti-set-outcome-value identifier=\"{identifier}\">{value}</qti-set-outcome-value>"
        )
    };
    let score = |value: &str| {
        set(
            "SCORE",
            &format!("<qti-base-value base-type=\"float\">{value}</qti-base-value>"),
        )
    };
    let mut feedback = String::from(r#"<qti-variable identifier="RESPONSE"/>"#);
    if explanation {
        let _ = write!(
            feedback,
            r#"<qti-base-value base-type="identifier">{EXPLANATION}</qti-base-value>"#
        );
    }
    let mut x = String::new();
    x.push_str("  <qti-response-processing>\n    <qti-response-condition>\n");
    let _ = writeln!(
        x,
        r#"      <qti-response-if><qti-match><qti-variable identifier="RESPONSE"/><qti-correct identifier="RESPONSE"/></qti-match>{}</qti-response-if>"#,
        score("1")
    );
    let _ = writeln!(
        x,
        "      <qti-response-else>{}</qti-response-else>",
        score("0")
    );
    x.push_str("    </qti-response-condition>\n");
    let _ = writeln!(
        x,
        "    {}",
        set(
            "FEEDBACK",
            &format!("<qti-multiple>{feedback}</qti-multiple>")
        )
    );
    x.push_str("  </qti-response-processing>\n");
    x
}

fn test_xml(bank: &Bank) -> String {
    let mut x = String::new();
    let _ = writeln!(x, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        x,
        r#"<qti-assessment-test xmlns="{ITEM_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{ITEM_NS} {ITEM_XSD}" identifier="{}" title="{}">"#,
        attr(&xml_identifier(&bank.id)),
        attr(&bank.title),
    );
    x.push_str(r#"  <qti-test-part identifier="part-1" navigation-mode="nonlinear" submission-mode="individual">"#);
    x.push('\n');
    let mut topics: Vec<(&str, &str)> = bank
        .topics
        .iter()
        .map(|t| (t.id.as_str(), t.title.as_str()))
        .collect();
    for item in &bank.items {
        if !topics.iter().any(|(id, _)| *id == item.topic) {
            topics.push((&item.topic, &item.topic)); // unvalidated bank: an undeclared topic
        }
    }
    for (id, title) in topics {
        let items: Vec<&Item> = bank.items.iter().filter(|i| i.topic == id).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(
            x,
            r#"    <qti-assessment-section identifier="{}" title="{}" visible="true">"#,
            attr(&xml_identifier(id)),
            attr(title)
        );
        for item in items {
            let _ = writeln!(
                x,
                r#"      <qti-assessment-item-ref identifier="{}" href="{}"/>"#,
                attr(&xml_identifier(&item.id)),
                attr(&item_path(item))
            );
        }
        x.push_str("    </qti-assessment-section>\n");
    }
    x.push_str("  </qti-test-part>\n</qti-assessment-test>\n");
    x
}

fn manifest_xml(bank: &Bank) -> String {
    let mut x = String::new();
    let _ = writeln!(x, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        x,
        r#"<manifest xmlns="{CP_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="{CP_NS} {CP_XSD}" identifier="{}">"#,
        attr(&format!("skillcat-{}", bank.id))
    );
    x.push_str("  <metadata>\n    <schema>QTI Package</schema>\n    <schemaversion>3.0.0</schemaversion>\n  </metadata>\n");
    x.push_str("  <organizations/>\n  <resources>\n");
    let _ = writeln!(
        x,
        r#"    <resource identifier="test-{}" type="imsqti_test_xmlv3p0" href="{TEST_FILE}">"#,
        attr(&bank.id)
    );
    let _ = writeln!(x, r#"      <file href="{TEST_FILE}"/>"#);
    for item in &bank.items {
        let _ = writeln!(
            x,
            r#"      <dependency identifierref="item-{}"/>"#,
            attr(&item.id)
        );
    }
    x.push_str("    </resource>\n");
    for item in &bank.items {
        let path = attr(&item_path(item));
        let _ = writeln!(
            x,
            r#"    <resource identifier="item-{}" type="imsqti_item_xmlv3p0" href="{path}">"#,
            attr(&item.id)
        );
        let _ = writeln!(x, r#"      <file href="{path}"/>"#);
        x.push_str("    </resource>\n");
    }
    x.push_str("  </resources>\n</manifest>\n");
    x
}
