//! CSV and TSV: one item per row, in a spreadsheet.
//!
//! The first row names the columns, in any order and any case (`Option 1`, `option-1` and
//! `option_1` are the same column). Only `stem`, `option_1`, `option_2` and `key` are required;
//! an empty cell means "not given". Lists are separated by `;`.
//!
//! | column | holds | when empty |
//! |---|---|---|
//! | `id` | the item id; a text that is not a slug is made one, with a warning | `<file>-<row>` |
//! | `topic` | the topic id (made a slug) | the default topic (`--topic`) |
//! | `type` | `single`, `multiple` or `true_false` | `multiple` when `key` names several options, else `single` |
//! | `difficulty` | `easy`, `medium` or `hard` | `medium` (unless `irt_model` is given), with one note |
//! | `stem` | the question (Markdown subset; line breaks allowed in a quoted cell) | required |
//! | `option_1` … `option_10` | the options' text, without gaps | at least `option_1`, `option_2` |
//! | `feedback_1` … `feedback_10` | why option N is right or wrong | no feedback |
//! | `key` | the right options' numbers, counting from 1 (`2`, `1;3`); letters `A`–`J` also work | required |
//! | `explanation` | shown after the answer | none |
//! | `reference_1`, `url_1`, `reference_2`, `url_2`, … | citations and their optional `https://` URLs (`reference`, `url` are `reference_1`, `url_1`) | none |
//! | `tags` | labels separated by `;` (`scenario; privacy`) | none |
//! | `status` | `draft`, `pretest`, `active` or `retired` | `active` |
//! | `enemies` | ids of items never shown with this one, separated by `;` | none |
//! | `irt_model`, `irt_a`, `irt_b`, `irt_c`, `irt_d` | calibrated parameters: `1PL` takes `b`; `2PL` `a`, `b`; `3PL` adds `c`; `4PL` adds `d` | uncalibrated |
//! | `exposure` | Sympson-Hetter exposure parameter in (0, 1] | 1 |
//!
//! The delimiter is the tab, comma or semicolon found in the header row (so a TSV file, or a
//! spreadsheet's semicolon CSV, needs no option). Quoting follows RFC 4180: a cell with the
//! delimiter, a quote or a line break is written in `"…"`, with `""` for a quote inside.
//! Warnings and errors name the physical line (a quoted cell with line breaks spans several).
//!
//! A row that cannot become a valid item is skipped with a warning naming its line and the
//! column; the other rows still import. A header without a required column, or quoting that
//! cannot be read, is an error for the whole file. Unknown columns are ignored with a warning.
//!
//! [`export`] writes every field of every item (CSV holds all of an item); the bank's title,
//! description, version, language, levels and topic titles are not held ([`losses`]).

mod rows;
mod write;

use crate::authoring::delimited;
use crate::bank::{Bank, ItemType};
use crate::convert::{ConvertError, Imported};

/// The command line's summary of the columns (`skillcat import --help`).
pub const COLUMNS_HELP: &str = "\
CSV/TSV columns (header row required, any order; lists separated by `;`):
  id                      item id (slug); empty: <file>-<row>
  topic                   topic id; empty: the --topic default
  type                    single | multiple | true_false; empty: by the number of keys
  difficulty              easy | medium | hard; empty: medium
  stem                    the question (required)
  option_1 … option_10    option texts, at least two, no gaps (required)
  feedback_1 … feedback_10  feedback for option N
  key                     right option numbers from 1, e.g. 2 or 1;3 (letters A-J also work)
  explanation             shown after the answer
  reference_N, url_N      citation N and its URL (reference, url = reference_1, url_1)
  tags                    labels, e.g. scenario; privacy
  status                  draft | pretest | active | retired; empty: active
  enemies                 ids of items never shown together with this one
  irt_model, irt_a, irt_b, irt_c, irt_d   calibration (1PL: b; 2PL: a b; 3PL: a b c; 4PL: a b c d)
  exposure                Sympson-Hetter exposure parameter in (0, 1]
  reviewed                date the item was last reviewed, YYYY-MM-DD
  watch                   the moving rule or document the item depends on";

/// The most options a bank item holds.
const MAX_OPTIONS: usize = 10;

/// A column the importer knows (indices from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Id,
    Topic,
    Type,
    Difficulty,
    Stem,
    Option(usize),
    Feedback(usize),
    Key,
    Explanation,
    Reference(usize),
    Url(usize),
    Tags,
    Status,
    Enemies,
    IrtModel,
    IrtA,
    IrtB,
    IrtC,
    IrtD,
    Exposure,
    Reviewed,
    Watch,
}

impl Column {
    fn parse(header: &str) -> Option<Column> {
        let name: String = header
            .trim()
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c == ' ' || c == '-' { '_' } else { c })
            .collect();
        let numbered = |prefix: &str| -> Option<usize> {
            let digits = name.strip_prefix(prefix)?;
            let digits = digits.strip_prefix('_').unwrap_or(digits);
            let n: usize = digits.parse().ok()?;
            (n >= 1 && !digits.starts_with('0')).then_some(n - 1)
        };
        Some(match name.as_str() {
            "id" => Column::Id,
            "topic" => Column::Topic,
            "type" => Column::Type,
            "difficulty" => Column::Difficulty,
            "stem" => Column::Stem,
            "key" => Column::Key,
            "explanation" => Column::Explanation,
            "reference" => Column::Reference(0),
            "url" => Column::Url(0),
            "tags" => Column::Tags,
            "status" => Column::Status,
            "enemies" => Column::Enemies,
            "irt_model" => Column::IrtModel,
            "irt_a" => Column::IrtA,
            "irt_b" => Column::IrtB,
            "irt_c" => Column::IrtC,
            "irt_d" => Column::IrtD,
            "exposure" => Column::Exposure,
            "reviewed" => Column::Reviewed,
            "watch" => Column::Watch,
            _ => {
                if let Some(n) = numbered("option").filter(|&n| n < MAX_OPTIONS) {
                    Column::Option(n)
                } else if let Some(n) = numbered("feedback").filter(|&n| n < MAX_OPTIONS) {
                    Column::Feedback(n)
                } else if let Some(n) = numbered("reference") {
                    Column::Reference(n)
                } else if let Some(n) = numbered("url") {
                    Column::Url(n)
                } else {
                    return None;
                }
            }
        })
    }

    /// The column's name as the exporter writes it.
    fn name(self) -> String {
        match self {
            Column::Id => "id".into(),
            Column::Topic => "topic".into(),
            Column::Type => "type".into(),
            Column::Difficulty => "difficulty".into(),
            Column::Stem => "stem".into(),
            Column::Option(n) => format!("option_{}", n + 1),
            Column::Feedback(n) => format!("feedback_{}", n + 1),
            Column::Key => "key".into(),
            Column::Explanation => "explanation".into(),
            Column::Reference(n) => format!("reference_{}", n + 1),
            Column::Url(n) => format!("url_{}", n + 1),
            Column::Tags => "tags".into(),
            Column::Status => "status".into(),
            Column::Enemies => "enemies".into(),
            Column::IrtModel => "irt_model".into(),
            Column::IrtA => "irt_a".into(),
            Column::IrtB => "irt_b".into(),
            Column::IrtC => "irt_c".into(),
            Column::IrtD => "irt_d".into(),
            Column::Exposure => "exposure".into(),
            Column::Reviewed => "reviewed".into(),
            Column::Watch => "watch".into(),
        }
    }
}

/// Reads CSV or TSV, with the delimiter found in the header row. `source` names it in
/// warnings and errors.
///
/// # Errors
///
/// A [`ConvertError`] for quoting that cannot be read, a header without a required column
/// or with a column twice, or no importable row (its message lists why each was skipped).
pub fn import(source: &str, text: &str) -> Result<Imported, ConvertError> {
    let text = crate::convert::strip_bom(text);
    import_delimited(source, text, delimited::sniff(text))
}

/// Reads CSV with a given delimiter (`,`, `\t`, `;`); see [`import`].
///
/// # Errors
///
/// As [`import`].
pub fn import_delimited(
    source: &str,
    text: &str,
    delimiter: char,
) -> Result<Imported, ConvertError> {
    rows::import(source, crate::convert::strip_bom(text), delimiter)
}

/// Writes a bank as CSV (comma-separated, CRLF, RFC 4180 quoting) with every column of the
/// table above.
pub fn export(bank: &Bank) -> String {
    export_delimited(bank, ',')
}

/// Writes a bank with another delimiter (`\t` for TSV); see [`export`].
pub fn export_delimited(bank: &Bank, delimiter: char) -> String {
    write::export(bank, delimiter)
}

fn type_name(kind: ItemType) -> &'static str {
    match kind {
        ItemType::Single => "single",
        ItemType::Multiple => "multiple",
        ItemType::TrueFalse => "true_false",
    }
}

/// What a CSV export of `bank` cannot hold, one sentence each.
pub fn losses(bank: &Bank) -> Vec<String> {
    let mut losses = vec![
        "the bank's title, description, version, language, levels and topic titles and \
         weights are not held by CSV; give them to `skillcat import` again"
            .to_string(),
    ];
    for item in &bank.items {
        if item
            .tags
            .iter()
            .any(|tag| tag.contains(';') || tag.trim() != tag || tag.is_empty())
        {
            losses.push(format!(
                "item `{}`: a tag that is empty, has spaces at its ends or contains `;` does not \
                 read back the same",
                item.id
            ));
        }
    }
    losses
}

/// Whether a text looks like CSV with the documented columns: a first line with a `stem`
/// column and a delimiter.
pub fn looks_like(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    let delimiter = delimited::sniff(first);
    first.contains(delimiter)
        && first.split(delimiter).any(|name| {
            Column::parse(name.trim_matches(|c: char| c == '"' || c.is_whitespace()))
                == Some(Column::Stem)
        })
}
