//! The crate's one error type. Every message names the place: the bank (file), the item (index
//! and id), the field, or the saved-state field, so an author or integrator can fix it at once.

use std::fmt;

#[cfg(any(target_arch = "wasm32", test))]
mod float;
#[cfg(target_arch = "wasm32")]
pub(crate) use float::display_float;

/// A float in a message, as Rust's `{}` shows it: natively through `format!`, in WebAssembly
/// through [`display_float`] (the same text without `std`'s float formatting; tests hold the
/// two to each other).
pub(crate) fn show_float(x: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    return display_float(x);
    #[cfg(not(target_arch = "wasm32"))]
    return format!("{x}");
}

/// Shorthand used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong with input from outside the engine.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A bank failed validation; every problem found is listed, in document order.
    InvalidBank(Vec<Problem>),
    /// A skill profile failed validation; every problem found is listed, in document order.
    InvalidProfile(Vec<Problem>),
    /// A configuration value is out of range or inconsistent (`stop.max_items: must be ≥ 1`).
    InvalidConfig(String),
    /// A saved session cannot be restored (corrupted, other bank version, other format).
    InvalidState(String),
    /// A call does not fit the session's state (answering an item that is not current, an
    /// option index out of range, a session that has finished).
    InvalidCall(String),
}

/// One validation problem: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The bank's source name (usually its file name, e.g. `cybersecurity.json`).
    pub source: String,
    /// A JSON path with the item id where there is one: `items[12] ("cyb-ransom-03").key`.
    pub path: String,
    /// What is wrong, with a hint where one helps.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.source, self.message)
        } else {
            write!(f, "{}: {}: {}", self.source, self.path, self.message)
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidBank(problems) => write_problems(f, "bank", problems),
            Error::InvalidProfile(problems) => write_problems(f, "profile", problems),
            Error::InvalidConfig(message) => write!(f, "invalid config: {message}"),
            Error::InvalidState(message) => write!(f, "cannot restore saved session: {message}"),
            Error::InvalidCall(message) => f.write_str(message),
        }
    }
}

/// `invalid <what> (N problems)`, then one problem a line.
fn write_problems(f: &mut fmt::Formatter<'_>, what: &str, problems: &[Problem]) -> fmt::Result {
    let count = problems.len();
    let plural = if count == 1 { "" } else { "s" };
    write!(f, "invalid {what} ({count} problem{plural})")?;
    for problem in problems {
        write!(f, "\n{problem}")?;
    }
    Ok(())
}

impl std::error::Error for Error {}
