//! Converting question banks from and to the formats authors already have: GIFT, Aiken,
//! CSV/TSV, Moodle XML and QTI (1.2, 2.1, 2.2, 3.0). Whatever a source holds that a bank cannot
//! is reported as a [`Warning`] with its source line, never dropped silently.
//!
//! Every importer has the same shape, `import(source, text) -> Result<Imported, ConvertError>`
//! (`qti::import` takes bytes, a zip or XML), and every text exporter `export(bank) -> String`.
//! The importers share the rules below, and the helpers of this module implement them:
//!
//! - **Warnings and notes.** A [`Warning`] says something was lost or changed in meaning
//!   (markup or media dropped, partial credit, a skipped question, TeX or MathML a learner will
//!   read as text); a note ([`Severity::Note`]) says what the import did that loses nothing
//!   (a documented default, HTML converted without loss, shuffling the bank replaces with its
//!   own order). `skillcat import --strict` refuses warnings, not notes, so a clean file
//!   passes.
//! - **A malformed question is skipped** with a warning that names its line and says why; the
//!   other questions still import. A source with no importable question at all is a
//!   [`ConvertError`].
//! - **Ids** come from the source's names ([`slug`]), or are numbered `<file>-<n>` after the
//!   file name and the question's position; a repeated id gets `-2`, `-3`… with a warning.
//! - **Topics** come from the source's categories as slugs. An item whose source names no
//!   topic has an empty `topic`; [`assemble`] gives it the bank's default topic.
//! - **Difficulty** defaults to `medium` when the source has no label and no calibration, with
//!   one note per source; **status** defaults to `active`, so an imported bank is usable at
//!   once (a bank needs an active item, and drafts are never shown).
//! - **Text** ends up in the bank's Markdown subset: plain text is kept literal (escaped where
//!   the subset would read markup), HTML is converted, TeX is kept as written and MathML
//!   written as text, each formula with a warning.
//! - Every item passes the bank's own validator ([`item_problems`]) before it is returned,
//!   and options that read the same ([`same_options`]) skip the question.

pub mod aiken;
mod assemble;
pub mod csv;
pub mod gift;
pub mod moodle;
pub mod qti;
mod tex;
pub mod values;

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde_json::json;

use crate::bank::{Bank, Difficulty, FORMAT, Item};
use crate::error::Error;

pub use assemble::{BankInfo, assemble, default_levels};

/// A source format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Gift,
    Aiken,
    /// Comma- or tab-separated values with the documented columns.
    Csv,
    MoodleXml,
    /// QTI 1.2, 2.1, 2.2 or 3.0: an XML file or a zipped content package.
    Qti,
}

/// How much a [`Warning`] matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Severity {
    /// Something the source holds was lost or changed in meaning (dropped markup, partial
    /// credit, a skipped question): `skillcat import --strict` refuses it.
    #[default]
    Warning,
    /// Information only: a documented default was applied (difficulty `medium`), or the source
    /// was converted without loss (HTML to the Markdown subset, a delivery setting such as
    /// shuffling that the engine replaces with its own rule). `--strict` accepts it.
    Note,
}

/// Something in the source that the bank cannot hold, or had to be changed, with where it is;
/// or, as a [`Severity::Note`], what the import did that an author may want to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The source name (file, or `package.zip:items/q1.xml` inside a package).
    pub source: String,
    /// One-based line in the source, where the source has lines.
    pub line: Option<usize>,
    pub message: String,
    pub severity: Severity,
}

/// A source that could not be converted at all, or a part of it that could not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertError {
    pub source: String,
    pub line: Option<usize>,
    pub message: String,
}

/// Items read from a source, with what could not be carried over.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Imported {
    /// Items in source order; ids are derived from the source (names, identifiers) or
    /// numbered, and made unique.
    pub items: Vec<Item>,
    /// Topic ids used by the items (from categories, tags or a default), in first-seen order.
    pub topics: Vec<String>,
    pub warnings: Vec<Warning>,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        match self.line {
            Some(line) => write!(f, "{}:{line}: {kind}: {}", self.source, self.message),
            None => write!(f, "{}: {kind}: {}", self.source, self.message),
        }
    }
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.source, self.message),
            None => write!(f, "{}: {}", self.source, self.message),
        }
    }
}

impl std::error::Error for ConvertError {}

impl Warning {
    pub fn new(source: &str, line: Option<usize>, message: impl Into<String>) -> Warning {
        Warning {
            source: source.to_string(),
            line,
            message: message.into(),
            severity: Severity::Warning,
        }
    }

    /// A [`Severity::Note`].
    pub fn note(source: &str, line: Option<usize>, message: impl Into<String>) -> Warning {
        Warning {
            severity: Severity::Note,
            ..Warning::new(source, line, message)
        }
    }

    pub fn is_note(&self) -> bool {
        self.severity == Severity::Note
    }
}

impl ConvertError {
    pub fn new(source: &str, line: Option<usize>, message: impl Into<String>) -> ConvertError {
        ConvertError {
            source: source.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl Format {
    /// Every format, in the order the command line lists them.
    pub const ALL: [Format; 5] = [
        Format::Gift,
        Format::Aiken,
        Format::Csv,
        Format::MoodleXml,
        Format::Qti,
    ];

    /// The name used on the command line: `gift`, `aiken`, `csv`, `moodle`, `qti`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Gift => "gift",
            Format::Aiken => "aiken",
            Format::Csv => "csv",
            Format::MoodleXml => "moodle",
            Format::Qti => "qti",
        }
    }

    /// The format of a command-line name (see [`Format::name`]; `tsv` is CSV too).
    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "gift" => Some(Format::Gift),
            "aiken" => Some(Format::Aiken),
            "csv" | "tsv" => Some(Format::Csv),
            "moodle" | "moodle-xml" | "xml" => Some(Format::MoodleXml),
            "qti" => Some(Format::Qti),
            _ => None,
        }
    }

    /// Tells a source's format from its file extension and, where the extension does not
    /// settle it (`.txt`, `.xml`, none), from its content: a zip is a QTI package; XML is QTI
    /// when it has a QTI element and Moodle XML when it has `<quiz>` or an XML declaration;
    /// text is Aiken when it has an `ANSWER:` line after lettered options, GIFT when it has an
    /// answer block in braces, and CSV when its first line is a header with a `stem` column.
    /// `None` when nothing fits.
    pub fn detect(path: &str, bytes: &[u8]) -> Option<Format> {
        let extension = Path::new(path)
            .extension()
            .map(|ext| ext.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("gift") => return Some(Format::Gift),
            Some("aiken") => return Some(Format::Aiken),
            Some("csv" | "tsv" | "tab") => return Some(Format::Csv),
            Some("zip") => return Some(Format::Qti),
            _ => {}
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return Some(Format::Qti);
        }
        let text = String::from_utf8_lossy(bytes);
        let text = strip_bom(&text).trim_start();
        if text.starts_with('<') {
            let head: String = text.chars().take(4096).collect();
            let qti = ["<qti-", "<assessmentItem", "<questestinterop", "<manifest"];
            if qti.iter().any(|root| head.contains(root)) {
                return Some(Format::Qti);
            }
            if head.contains("<quiz") || head.starts_with("<?xml") {
                return Some(Format::MoodleXml);
            }
        }
        if aiken::looks_like(text) {
            Some(Format::Aiken)
        } else if gift::looks_like(text) {
            Some(Format::Gift)
        } else if csv::looks_like(text) {
            Some(Format::Csv)
        } else {
            None
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The text of a source file: UTF-8 without a byte-order mark.
///
/// # Errors
///
/// A [`ConvertError`] naming the line of the first byte that is not UTF-8.
pub fn text_of<'b>(source: &str, bytes: &'b [u8]) -> Result<&'b str, ConvertError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(strip_bom(text)),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
            Err(ConvertError::new(
                source,
                Some(line),
                "not UTF-8 text; save the file as UTF-8 (in a spreadsheet: \"CSV UTF-8\")",
            ))
        }
    }
}

/// `text` without a leading byte-order mark (spreadsheets write one).
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The longest slug [`slug`] makes.
pub const MAX_SLUG: usize = 60;

/// Whether a text is a slug, the shape of bank, topic and item ids: `^[a-z0-9][a-z0-9-]*$`.
pub fn is_slug(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A slug from any text. A text that is already a slug is kept as it is; any other gets
/// lowercase ASCII letters and digits, common accented Latin letters folded (`é` → `e`,
/// `ß` → `ss`), every other run of characters one `-`, and at most [`MAX_SLUG`] characters
/// cut at a `-`. Empty when the text has no letter or digit it can keep.
pub fn slug(text: &str) -> String {
    if is_slug(text) {
        return text.to_string();
    }
    let mut out = String::new();
    let mut gap = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue; // a combining accent: part of the letter before it
        }
        let folded = fold(c);
        if folded.is_empty() {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push('-');
        }
        gap = false;
        out.push_str(folded);
    }
    if out.len() > MAX_SLUG {
        let cut = out[..=MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
        out.truncate(cut);
    }
    out
}

/// The ASCII a lowercase character stands for in a slug; empty for a separator.
fn fold(c: char) -> &'static str {
    const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
    if c.is_ascii_alphanumeric() {
        let at = LETTERS.find(c).unwrap_or(0);
        return &LETTERS[at..at + 1];
    }
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' | 'ľ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'ř' => "r",
        'ś' | 'š' | 'ş' => "s",
        'ť' | 'ţ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        _ => "",
    }
}

/// A readable title for a slug: `medical-devices` → `Medical devices`.
pub fn title_from_slug(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The prefix of numbered ids for a source: its file name without extension, as a slug
/// (`week 1.gift` → `week-1`), or `q`.
pub fn id_prefix(source: &str) -> String {
    let stem = Path::new(source)
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = slug(&stem);
    if prefix.is_empty() {
        "q".to_string()
    } else {
        prefix
    }
}

/// The ids given out so far, to keep new ones unique.
#[derive(Debug, Default)]
pub struct Ids {
    used: HashSet<String>,
}

impl Ids {
    pub fn new() -> Ids {
        Ids::default()
    }

    /// `wanted` if it is free, otherwise `wanted-2`, `wanted-3`…; the id returned is taken.
    pub fn claim(&mut self, wanted: &str) -> String {
        let mut id = wanted.to_string();
        let mut n = 2;
        while self.used.contains(&id) {
            id = format!("{wanted}-{n}");
            n += 1;
        }
        self.used.insert(id.clone());
        id
    }

    pub fn contains(&self, id: &str) -> bool {
        self.used.contains(id)
    }
}

/// What the bank's validator finds wrong with one item on its own (enemies, topic and status
/// aside, which depend on the rest of the bank), as `field: message` lines such as
/// `options: has 11 elements; at most 10 allowed`, and options that read the same
/// ([`same_options`]). Empty when the item is valid.
pub fn item_problems(item: &Item) -> Vec<String> {
    let mut probe = item.clone();
    "probe".clone_into(&mut probe.id);
    "t".clone_into(&mut probe.topic);
    probe.enemies.clear();
    probe.status = crate::bank::Status::Active;
    if probe.difficulty.is_none() && probe.irt.is_none() {
        probe.difficulty = Some(Difficulty::Medium); // as `finish` will give it
    }
    let value = json!({
        "format": FORMAT,
        "id": "probe",
        "title": "t",
        "description": "t",
        "version": "1",
        "language": "en",
        "topics": [{ "id": "t", "title": "t" }],
        "levels": [{ "name": "l" }],
        "items": [probe],
    });
    let mut out: Vec<String> = match Bank::from_value("probe", &value) {
        Err(Error::InvalidBank(problems)) => problems
            .into_iter()
            .map(|problem| {
                let path = problem
                    .path
                    .strip_prefix("items[0] (\"probe\")")
                    .unwrap_or("");
                let path = path.strip_prefix('.').unwrap_or(path);
                if path.is_empty() {
                    problem.message
                } else {
                    format!("{path}: {}", problem.message)
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    out.extend(same_options(item));
    out
}

/// Options a learner cannot tell apart: texts that read the same once formatting, case and
/// spacing are set aside (`Paris`, `**paris**`), one message per group naming the options
/// by number, such as `options 1, 2, 3 and 4 all read "Paris": a learner cannot tell them
/// apart`.
pub fn same_options(item: &Item) -> Vec<String> {
    let reads: Vec<String> = item
        .options
        .iter()
        .map(|option| crate::markup::plain_words(&option.text).to_lowercase())
        .collect();
    let mut out = Vec::new();
    let mut seen = vec![false; reads.len()];
    for first in 0..reads.len() {
        if seen[first] || reads[first].is_empty() {
            continue;
        }
        let group: Vec<usize> = (first..reads.len())
            .filter(|&other| reads[other] == reads[first])
            .collect();
        if group.len() < 2 {
            continue;
        }
        for &index in &group {
            seen[index] = true;
        }
        let numbers: Vec<String> = group.iter().map(|i| (i + 1).to_string()).collect();
        let (last, rest) = numbers.split_last().unwrap_or((&numbers[0], &[]));
        let all = if group.len() > 2 { " all" } else { "" };
        let shown = crate::markup::plain_words(&item.options[first].text);
        out.push(format!(
            "options {} and {last}{all} read \"{shown}\": a learner cannot tell them apart",
            rest.join(", ")
        ));
    }
    out
}

/// An item as an importer collects it: where it starts in the source, and the item.
pub(crate) type Sourced = (usize, Item);

/// Finishes an import: drops enemies that name no imported item (with a warning each), gives
/// items without a difficulty label or calibration `medium` (with one warning), and fails
/// when nothing was imported.
pub(crate) fn finish(
    source: &str,
    items: Vec<Sourced>,
    topics: Vec<String>,
    mut warnings: Vec<Warning>,
) -> Result<Imported, ConvertError> {
    if items.is_empty() {
        // The error carries the warnings: they say why each question was skipped.
        let mut message = if warnings.is_empty() {
            "no questions found".to_string()
        } else {
            "no question could be imported:".to_string()
        };
        for warning in &warnings {
            message.push_str(&format!("\n  {warning}"));
        }
        return Err(ConvertError::new(source, None, message));
    }
    let ids: HashSet<String> = items.iter().map(|(_, item)| item.id.clone()).collect();
    let mut defaulted = 0;
    let mut out = Vec::with_capacity(items.len());
    for (line, mut item) in items {
        item.enemies.retain(|enemy| {
            let known = ids.contains(enemy) && *enemy != item.id;
            if !known {
                warnings.push(Warning::new(
                    source,
                    Some(line),
                    format!(
                        "enemy `{enemy}` of `{}` is not an imported item; dropped",
                        item.id
                    ),
                ));
            }
            known
        });
        if item.difficulty.is_none() && item.irt.is_none() {
            item.difficulty = Some(Difficulty::Medium);
            defaulted += 1;
        }
        out.push(item);
    }
    if defaulted > 0 {
        warnings.push(Warning::note(
            source,
            None,
            format!(
                "difficulty labels defaulted to medium ({defaulted} item{}); edit them or \
                 calibrate",
                if defaulted == 1 { "" } else { "s" }
            ),
        ));
    }
    Ok(Imported {
        items: out,
        topics,
        warnings,
    })
}
