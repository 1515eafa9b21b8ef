//! Which importer reads a source: the format told from the file's name and content, and the
//! one dispatch every caller (the command line, tests, tools) goes through.

use std::fmt;
use std::path::Path;

use super::{
    ConvertError, Diagnostic, Imported, aiken, csv, gift, moodle, qti, strip_bom, text_of,
};

/// A source format. On the command line (`skillcat import --format`) it is spelled as
/// [`Format::name`] gives it, and each variant's first doc paragraph is its help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Gift,
    Aiken,
    /// Comma-, tab- or semicolon-separated (the delimiter is read from the header row).
    ///
    /// With the documented columns.
    Csv,
    /// Moodle XML.
    #[value(name = "moodle")]
    MoodleXml,
    /// QTI 1.2, 2.1, 2.2 or 3.0: an XML file or a zipped content package.
    Qti,
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

/// Imports one source, its format told from its name and content ([`Format::detect`]).
///
/// # Errors
///
/// A [`ConvertError`] when the source is empty, its format cannot be told, or it holds no
/// importable question (see [`import_as`]).
pub fn import(source: &str, bytes: &[u8]) -> Result<Imported, ConvertError> {
    import_as(source, bytes, None)
}

/// Imports one source in `format`, or in the format told from its name and content when
/// `None`.
///
/// # Errors
///
/// A [`ConvertError`] for this source only: an empty file, a format that cannot be told, text
/// that is not UTF-8, or whatever the format's importer refuses.
pub fn import_as(
    source: &str,
    bytes: &[u8],
    format: Option<Format>,
) -> Result<Imported, ConvertError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Diagnostic::error_on_line(
            source,
            None,
            "the file is empty: nothing to import",
        ));
    }
    let format = match format {
        Some(format) => format,
        None => Format::detect(source, bytes).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            Diagnostic::error_on_line(
                source,
                None,
                "cannot tell the format from the file's name or content",
            )
            .with_hint(format!("pass --format {}", names.join("|")))
        })?,
    };
    match format {
        Format::Qti => qti::import(source, bytes),
        Format::Gift => gift::import(source, text_of(source, bytes)?),
        Format::Aiken => aiken::import(source, text_of(source, bytes)?),
        Format::Csv => csv::import(source, text_of(source, bytes)?),
        Format::MoodleXml => moodle::import(source, text_of(source, bytes)?),
    }
}
