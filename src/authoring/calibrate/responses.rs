//! Scored responses read for calibration: who answered which item, right or wrong, and where
//! each response came from, so that every warning can name its file and line or statement.
//!
//! # CSV
//!
//! A header line naming the columns `learner`, `item` and `score` (any order, any case; other
//! columns are allowed and ignored), then one response per line. The delimiter is a comma, or a
//! tab when the header has tabs and no comma. Fields follow RFC 4180 as in bank CSV files
//! (`crate::authoring::delimited`: a field may be quoted with `"`, a doubled `""` inside quotes
//! is one quote), except that a field cannot span lines. `score` is `0` (wrong) or `1`
//! (right). A UTF-8 byte-order mark, `\r\n` line ends and blank lines are accepted.
//!
//! ```text
//! learner,item,score
//! ana@example.org,cyb-ransom-03,1
//! ana@example.org,cyb-phish-01,0
//! ```
//!
//! A line that cannot be used (wrong number of fields, an empty learner or item, a score other
//! than 0 or 1, an unterminated quote) is skipped with a [`Warning`] naming its line; a file
//! without that header is a [`ReadError`]. xAPI statements are read by
//! [`Responses::read_xapi`] (see [`xapi`](super::xapi) for their shape).
//!
//! # Repeated responses
//!
//! A learner who answers the same item again (a retake) contributes only the first response
//! read, files in the order given and lines or statements in file order; each repeat is
//! reported with the place of the response that counts. Adaptive tests never repeat an item, so
//! a repeat comes from a second attempt, and its answer is no longer independent of the first.

use std::collections::HashMap;

use crate::authoring::delimited;
use std::collections::hash_map::Entry;
use std::fmt;

/// Where in a source a response (or a problem) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// One-based line (CSV, JSON lines).
    Line(usize),
    /// Zero-based index of a statement in a JSON array.
    Index(usize),
}

/// A response, statement or line that could not be used, or another remark about the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The source name (usually the file name).
    pub source: String,
    pub location: Option<Location>,
    pub message: String,
}

/// A response file that cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub source: String,
    pub location: Option<Location>,
    pub message: String,
}

/// One scored response; learners and items are indices into [`Responses`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub learner: u32,
    pub item: u32,
    pub correct: bool,
    /// Index of the source in [`Responses::source`] and the place in it, if known.
    pub origin: Option<(u32, Location)>,
}

/// Responses gathered from any number of sources, with learners and item ids interned.
#[derive(Debug, Clone, Default)]
pub struct Responses {
    sources: Vec<String>,
    learners: Vec<String>,
    learner_index: HashMap<String, u32>,
    items: Vec<String>,
    item_index: HashMap<String, u32>,
    records: Vec<Record>,
    first: HashMap<(u32, u32), usize>,
    warnings: Vec<Warning>,
    ignored: usize,
}

impl Responses {
    /// No responses yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a source whose format is recognised from its content: text whose first character
    /// (after white space) is `[` or `{` is xAPI JSON, anything else CSV.
    ///
    /// # Errors
    ///
    /// [`ReadError`] when the source as a whole cannot be read (no CSV header, a JSON array
    /// that does not parse); the responses read before the error are kept.
    pub fn read(&mut self, source: &str, text: &str) -> Result<(), ReadError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        match text.trim_start().chars().next() {
            Some('[' | '{') => self.read_xapi(source, text),
            _ => self.read_csv(source, text),
        }
    }

    /// Reads CSV with a `learner,item,score` header (see the module documentation).
    ///
    /// # Errors
    ///
    /// [`ReadError`] when the first non-blank line does not name the three columns.
    pub fn read_csv(&mut self, source: &str, text: &str) -> Result<(), ReadError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let src = self.add_source(source);
        let error = |line: Option<usize>, message: String| ReadError {
            source: source.to_string(),
            location: line.map(Location::Line),
            message,
        };
        let first = text
            .lines()
            .find(|line| !line.trim().is_empty())
            .unwrap_or("");
        let delimiter = if first.contains('\t') && !first.contains(',') {
            '\t'
        } else {
            ','
        };
        let mut lines = delimited::parse_lines(text, delimiter).into_iter();
        let Some((header_line, header)) = lines.next() else {
            return Err(error(
                None,
                "is empty; expected a header `learner,item,score`".into(),
            ));
        };
        let names = header.map_err(|message| error(Some(header_line), message))?;
        let column = |wanted: &str| {
            names
                .iter()
                .position(|name| name.trim().eq_ignore_ascii_case(wanted))
        };
        let (learner_col, item_col, score_col) =
            match (column("learner"), column("item"), column("score")) {
                (Some(l), Some(i), Some(s)) => (l, i, s),
                (l, i, s) => {
                    let missing: Vec<&str> = [(l, "learner"), (i, "item"), (s, "score")]
                        .iter()
                        .filter(|(found, _)| found.is_none())
                        .map(|(_, name)| *name)
                        .collect();
                    return Err(error(
                        Some(header_line),
                        format!(
                            "the header must name the columns `learner`, `item` and `score`; \
                         missing `{}`",
                            missing.join("`, `")
                        ),
                    ));
                }
            };
        for (number, fields) in lines {
            let at = Location::Line(number);
            let fields = match fields {
                Ok(fields) => fields,
                Err(message) => {
                    self.warn(src, Some(at), format!("{message}; line skipped"));
                    continue;
                }
            };
            if fields.len() != names.len() {
                let message = format!(
                    "{} fields, but the header has {}; line skipped",
                    fields.len(),
                    names.len()
                );
                self.warn(src, Some(at), message);
                continue;
            }
            let (learner, item) = (fields[learner_col].trim(), fields[item_col].trim());
            let score = fields[score_col].trim();
            let correct = match score {
                "1" => true,
                "0" => false,
                other => {
                    let message = format!("score must be 0 or 1, not {other:?}; line skipped");
                    self.warn(src, Some(at), message);
                    continue;
                }
            };
            if learner.is_empty() || item.is_empty() {
                let which = if learner.is_empty() {
                    "learner"
                } else {
                    "item"
                };
                self.warn(src, Some(at), format!("empty {which}; line skipped"));
                continue;
            }
            self.add(learner, item, correct, Some((src, at)));
        }
        Ok(())
    }

    /// Adds one response without a source place (simulations, tests, other readers).
    pub fn push(&mut self, learner: &str, item: &str, correct: bool) {
        self.add(learner, item, correct, None);
    }

    /// Adds one response; a repeat of a learner-item pair is reported and dropped.
    pub(super) fn add(
        &mut self,
        learner: &str,
        item: &str,
        correct: bool,
        origin: Option<(u32, Location)>,
    ) {
        let learner = intern(&mut self.learners, &mut self.learner_index, learner);
        let item = intern(&mut self.items, &mut self.item_index, item);
        match self.first.entry((learner, item)) {
            Entry::Vacant(slot) => {
                slot.insert(self.records.len());
                self.records.push(Record {
                    learner,
                    item,
                    correct,
                    origin,
                });
            }
            Entry::Occupied(slot) => {
                let first = self.records[*slot.get()].origin;
                let message = format!(
                    "learner `{}` answered item `{}` again{}; only the first response counts",
                    self.learners[learner as usize],
                    self.items[item as usize],
                    match first {
                        Some(place) => format!(" (first at {})", self.place(place)),
                        None => String::new(),
                    }
                );
                let (src, at) = origin.unzip();
                self.warnings.push(Warning {
                    source: src.map_or_else(String::new, |s| self.sources[s as usize].clone()),
                    location: at,
                    message,
                });
            }
        }
    }

    /// Registers a source name and returns its index.
    pub(super) fn add_source(&mut self, source: &str) -> u32 {
        self.sources.push(source.to_string());
        (self.sources.len() - 1) as u32
    }

    /// Records a warning about a place in a source.
    pub(super) fn warn(&mut self, source: u32, at: Option<Location>, message: String) {
        self.warnings.push(Warning {
            source: self.sources[source as usize].clone(),
            location: at,
            message,
        });
    }

    /// Counts a statement that was read but is not an answer (another verb).
    pub(super) fn ignore(&mut self) {
        self.ignored += 1;
    }

    /// `file:line` or `file: [index]` for a response's origin.
    pub fn place(&self, (source, at): (u32, Location)) -> String {
        let name = &self.sources[source as usize];
        match at {
            Location::Line(line) => format!("{name}:{line}"),
            Location::Index(index) => format!("{name}: [{index}]"),
        }
    }

    /// The responses, in reading order, without repeats.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The key of learner `index` (a CSV `learner` value, or the xAPI actor's identifier).
    pub fn learner(&self, index: u32) -> &str {
        &self.learners[index as usize]
    }

    /// The item id `index` as read (it may not be in any bank).
    pub fn item(&self, index: u32) -> &str {
        &self.items[index as usize]
    }

    /// How many distinct learners.
    pub fn learner_count(&self) -> usize {
        self.learners.len()
    }

    /// How many distinct item ids.
    pub fn item_count(&self) -> usize {
        self.items.len()
    }

    /// The name of source `index`.
    pub fn source(&self, index: u32) -> &str {
        &self.sources[index as usize]
    }

    /// Everything skipped or doubtful so far, in reading order.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// xAPI statements skipped because their verb is not `answered`.
    pub fn ignored_statements(&self) -> usize {
        self.ignored
    }
}

fn intern(names: &mut Vec<String>, index: &mut HashMap<String, u32>, name: &str) -> u32 {
    if let Some(&i) = index.get(name) {
        return i;
    }
    names.push(name.to_string());
    let i = (names.len() - 1) as u32;
    index.insert(name.to_string(), i);
    i
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            _ if self.source.is_empty() => write!(f, "warning: {}", self.message),
            Some(Location::Line(line)) => {
                write!(f, "{}:{line}: warning: {}", self.source, self.message)
            }
            Some(Location::Index(index)) => {
                write!(f, "{}: [{index}]: warning: {}", self.source, self.message)
            }
            None => write!(f, "{}: warning: {}", self.source, self.message),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.location {
            Some(Location::Line(line)) => write!(f, "{}:{line}: {}", self.source, self.message),
            Some(Location::Index(index)) => {
                write!(f, "{}: [{index}]: {}", self.source, self.message)
            }
            None => write!(f, "{}: {}", self.source, self.message),
        }
    }
}

impl std::error::Error for ReadError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_columns_may_come_in_any_order_with_extras() {
        let mut responses = Responses::new();
        let text = "Score,when,ITEM,learner\r\n1,today,q1,ana\r\n\r\n0,today,q2,ana\r\n";
        responses.read_csv("r.csv", text).expect("readable");
        assert_eq!(responses.records().len(), 2);
        assert!(responses.records()[0].correct && !responses.records()[1].correct);
        assert_eq!(responses.item(responses.records()[1].item), "q2");
        assert!(responses.warnings().is_empty());
    }

    #[test]
    fn tab_separated_files_are_recognised_by_their_header() {
        let mut responses = Responses::new();
        responses
            .read("r.tsv", "learner\titem\tscore\nana\tq1\t1\n")
            .expect("readable");
        assert_eq!(responses.records().len(), 1);
    }
}
