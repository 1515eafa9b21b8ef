//! Reading a bank file, for every tool that takes one: one function, so that `validate`,
//! `stats`, `simulate`, `calibrate`, `package`, `catalog` and `export` accept and refuse the
//! same files with the same located messages.
//!
//! Problems come from [`Bank::from_json`], each placed on its line by [`LineIndex`] (a missing
//! field points at the object that lacks it, an unknown field at its key, malformed JSON at
//! the line `serde_json` reports), and printed the way compilers do:
//!
//! ```text
//! cybersecurity.json:123: items[12] ("cyb-ransom-03").key[0]: option index 5 but the item has 4 options
//! cybersecurity.json: 1 problem
//! ```

use std::fmt;
use std::path::Path;

use crate::bank::Bank;
use crate::error::{Diagnostic, Error};
use crate::source_lines::{LineIndex, parse_path};

/// A valid bank with the file it was read from.
#[derive(Debug, Clone)]
pub struct BankFile {
    /// The file's name as given (`quizbanks/cybersecurity.json`).
    pub name: String,
    /// The file's bytes, valid UTF-8 (a package copies them as they are; calibration rewrites
    /// the text keeping its layout).
    pub bytes: Vec<u8>,
    pub bank: Bank,
}

impl BankFile {
    /// The file's text.
    pub fn text(&self) -> &str {
        // `check` accepted the bytes only as UTF-8.
        std::str::from_utf8(&self.bytes).unwrap_or_default()
    }
}

/// Why a bank file cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    /// The file cannot be read (missing, a folder, no permission): `cannot read …: …`.
    Unreadable(String),
    /// The file is not a valid bank: every problem, located, in document order.
    Invalid {
        name: String,
        problems: Vec<Diagnostic>,
    },
}

impl fmt::Display for LoadError {
    /// Unreadable: the message. Invalid: one problem a line, then `name: N problems`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Unreadable(message) => f.write_str(message),
            LoadError::Invalid { name, problems } => {
                for problem in problems {
                    writeln!(f, "{problem}")?;
                }
                write!(f, "{name}: {}", count(problems.len(), "problem"))
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// "1 problem", "3 problems".
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// Reads and validates the bank file at `path`.
///
/// # Errors
///
/// [`LoadError::Unreadable`] when the file cannot be read, [`LoadError::Invalid`] with every
/// problem located when it is not a valid bank.
pub fn load(path: &Path) -> Result<BankFile, LoadError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| LoadError::Unreadable(format!("cannot read {name}: {e}")))?;
    check(&name, bytes).map_err(|problems| LoadError::Invalid { name, problems })
}

/// Validates the bytes of a bank file named `name`.
///
/// # Errors
///
/// Every problem, located: text that is not UTF-8, malformed JSON, or what the validator finds.
pub fn check(name: &str, bytes: Vec<u8>) -> Result<BankFile, Vec<Diagnostic>> {
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
            let message = format!("not UTF-8 text: invalid byte at offset {}", valid.len());
            let problem = Diagnostic::error_on_line(name, Some(line), message)
                .with_hint("save the file as UTF-8");
            return Err(vec![problem]);
        }
    };
    let bank = check_text(name, text)?;
    Ok(BankFile {
        name: name.to_string(),
        bytes,
        bank,
    })
}

/// Validates bank text named `name`, locating each problem.
///
/// # Errors
///
/// Every problem, each with its line.
pub fn check_text(name: &str, text: &str) -> Result<Bank, Vec<Diagnostic>> {
    let problems = match Bank::from_json(name, text) {
        Ok(bank) => return Ok(bank),
        Err(Error::InvalidBank(problems)) => problems,
        // `from_json` reports only invalid banks; anything else is still shown, never lost.
        Err(other) => {
            return Err(vec![Diagnostic::error_on_line(
                name,
                Some(1),
                other.to_string(),
            )]);
        }
    };
    let index = LineIndex::new(text);
    Err(problems
        .into_iter()
        .map(|problem| {
            let line = line_of(text, &index, &problem.path, &problem.message);
            problem.at_line(Some(line))
        })
        .collect())
}

/// Whether `bytes` hold a JSON Schema (a top-level `$schema` naming json-schema.org), such as
/// the banks' own `schema.json`, rather than a bank (whose `$schema` is a relative path).
pub fn is_json_schema(bytes: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(rename = "$schema")]
        schema: Option<String>,
    }
    serde_json::from_slice::<Head>(bytes).is_ok_and(|head| {
        head.schema.is_some_and(|uri| {
            ["http://json-schema.org/", "https://json-schema.org/"]
                .iter()
                .any(|prefix| uri.starts_with(prefix))
        })
    })
}

/// The line a problem points at.
fn line_of(text: &str, index: &LineIndex, path: &str, message: &str) -> usize {
    if path.is_empty() && message.starts_with("not valid JSON") {
        return match serde_json::from_str::<serde_json::Value>(text) {
            Err(e) => e.line().max(1),
            Ok(_) => 1,
        };
    }
    // An unknown field: the line of its key. Its name is quoted as "unknown field `name`"
    // (cut when long), or "unknown field with an empty name".
    let name = if message.starts_with("unknown field with an empty name") {
        Some("")
    } else {
        message.strip_prefix("unknown field `")
    };
    if let Some(rest) = name {
        let segments = parse_path(path);
        let best = index
            .members(&segments)
            .into_iter()
            .filter(|(key, _)| {
                rest.is_empty() && key.is_empty()
                    || rest.strip_prefix(key).is_some_and(|r| r.starts_with('`'))
            })
            .max_by_key(|(key, _)| key.len());
        if let Some((_, line)) = best {
            return line;
        }
    }
    index.locate(path)
}
