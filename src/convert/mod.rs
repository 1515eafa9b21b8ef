//! Converting question banks from and to the formats authors already have: GIFT, Aiken,
//! CSV/TSV, Moodle XML and QTI (2.1, 2.2, 3.0). Whatever a source holds that a bank cannot is
//! reported as a [`Warning`] with its source line, never dropped silently.

pub mod aiken;
pub mod csv;
pub mod gift;
pub mod moodle;
pub mod qti;

use std::fmt;

use crate::bank::Item;

/// A source format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Gift,
    Aiken,
    /// Comma- or tab-separated values with the documented columns.
    Csv,
    MoodleXml,
    /// QTI 2.1, 2.2 or 3.0: a single item XML file or a zipped content package.
    Qti,
}

/// Something in the source that the bank cannot hold, or had to be changed, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The source name (file, or `package.zip:items/q1.xml` inside a package).
    pub source: String,
    /// One-based line in the source, where the source has lines.
    pub line: Option<usize>,
    pub message: String,
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
        match self.line {
            Some(line) => write!(f, "{}:{line}: warning: {}", self.source, self.message),
            None => write!(f, "{}: warning: {}", self.source, self.message),
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
