//! One located diagnostic for every kind of input the crate reads: a bank or profile problem,
//! an import warning or note, a response file's skipped line, a file that cannot be read.
//!
//! A diagnostic names its place as precisely as the input allows (the file, its line, the JSON
//! path with the item id, or `[3]` for the fourth entry of a JSON array) and prints the way compilers do,
//! so editors and CI can jump to it:
//!
//! ```text
//! cybersecurity.json:123: items[12] ("cyb-ransom-03").key[0]: option index 5 but the item has 4 options
//! quiz.gift:14: warning: question skipped: it has 11 options; a bank item holds at most 10
//! statements.json: [3]: warning: no `result.success`; statement skipped
//! ```

use std::fmt;

/// How much a [`Diagnostic`] matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Severity {
    /// The input cannot be used as it is (an invalid bank, a file that cannot be read).
    #[default]
    Error,
    /// Something in the input was lost or changed in meaning (dropped markup, partial credit, a
    /// skipped question or response line): `skillcat import --strict` refuses it.
    Warning,
    /// Information only: a documented default was applied, or the input was converted without
    /// loss. `--strict` accepts it.
    Note,
}

impl Severity {
    /// `error`, `warning` or `note`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// Something about an input, where it is and what to do about it.
///
/// Printed as `source[:line][: path][: severity]: message[; hint]`, each part only
/// when known; the severity is written for warnings and notes, and errors go without it (as
/// `skillcat validate` prints problems) unless shown through [`Diagnostic::labelled`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostic {
    /// The input's name: a file name, `package.zip:items/q1.xml` inside a package, or empty
    /// when the diagnostic is about no one input.
    pub source: String,
    /// One-based line in the source, where the source has lines and the line is known.
    pub line: Option<usize>,
    /// A JSON path with the item id where there is one: `items[12] ("cyb-ransom-03").key`, or
    /// `[3]` for an entry of a JSON array (an xAPI statement); empty for the input as a whole.
    pub path: String,
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// What to do about it, when the message does not already say.
    pub hint: Option<String>,
}

/// One validation problem: an error about a place in a bank or profile.
pub type Problem = Diagnostic;

impl Diagnostic {
    /// An error at `path` in `source` (an empty path is the input as a whole).
    pub fn error(
        source: impl Into<String>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            source: source.into(),
            path: path.into(),
            message: message.into(),
            ..Diagnostic::default()
        }
    }

    /// An error at a line of `source`.
    pub fn error_on_line(
        source: &str,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            line,
            ..Diagnostic::error(source, "", message)
        }
    }

    /// A warning at a line of `source`.
    pub fn warning(source: &str, line: Option<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            source: source.to_string(),
            line,
            severity: Severity::Warning,
            message: message.into(),
            ..Diagnostic::default()
        }
    }

    /// A note at a line of `source`.
    pub fn note(source: &str, line: Option<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::warning(source, line, message)
        }
    }

    /// The same diagnostic at `line`.
    #[must_use]
    pub fn at_line(self, line: Option<usize>) -> Diagnostic {
        Diagnostic { line, ..self }
    }

    /// The same diagnostic with a hint.
    #[must_use]
    pub fn with_hint(self, hint: impl Into<String>) -> Diagnostic {
        Diagnostic {
            hint: Some(hint.into()),
            ..self
        }
    }

    pub fn is_note(&self) -> bool {
        self.severity == Severity::Note
    }

    /// The message with its hint: what a reader sees after the place.
    pub fn text(&self) -> String {
        match &self.hint {
            Some(hint) => format!("{}; {hint}", self.message),
            None => self.message.clone(),
        }
    }

    /// Shown with its severity whatever it is, `error` included (`file:3: error: …`), for
    /// output that mixes errors with warnings.
    pub fn labelled(&self) -> impl fmt::Display + '_ {
        Shown {
            diagnostic: self,
            label_errors: true,
        }
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, label_errors: bool) -> fmt::Result {
        let mut first = true;
        let mut part = |f: &mut fmt::Formatter<'_>, text: &dyn fmt::Display| {
            let separator = if first { "" } else { ": " };
            first = false;
            write!(f, "{separator}{text}")
        };
        match self.line {
            Some(line) => part(f, &format_args!("{}:{line}", self.source))?,
            None if !self.source.is_empty() => part(f, &self.source)?,
            None => {}
        }
        if !self.path.is_empty() {
            part(f, &self.path)?;
        }
        if label_errors || self.severity != Severity::Error {
            part(f, &self.severity.name())?;
        }
        part(f, &self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

/// A diagnostic and whether its severity is written when it is an error.
struct Shown<'d> {
    diagnostic: &'d Diagnostic,
    label_errors: bool,
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.diagnostic.write(f, self.label_errors)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, false)
    }
}

impl std::error::Error for Diagnostic {}

/// `{file, line, path, message}` (the message with its hint), as `skillcat validate --format
/// json` writes problems; `severity` is added when it is not an error.
impl serde::Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("file", &self.source)?;
        map.serialize_entry("line", &self.line)?;
        map.serialize_entry("path", &self.path)?;
        if self.severity != Severity::Error {
            map.serialize_entry("severity", self.severity.name())?;
        }
        map.serialize_entry("message", &self.text())?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_part_is_written_only_when_known() {
        let problem = Diagnostic::error("b.json", "items[0] (\"a\").key", "too big");
        assert_eq!(problem.to_string(), "b.json: items[0] (\"a\").key: too big");
        assert_eq!(
            problem.clone().at_line(Some(7)).to_string(),
            "b.json:7: items[0] (\"a\").key: too big"
        );
        assert_eq!(
            Diagnostic::error("b.json", "", "not valid JSON").to_string(),
            "b.json: not valid JSON"
        );
        assert_eq!(
            Diagnostic::warning("q.gift", Some(3), "dropped").to_string(),
            "q.gift:3: warning: dropped"
        );
        assert_eq!(
            Diagnostic::note("q.gift", None, "defaulted").to_string(),
            "q.gift: note: defaulted"
        );
        let entry = Diagnostic {
            path: "[4]".into(),
            ..Diagnostic::warning("s.json", None, "skipped")
        };
        assert_eq!(entry.to_string(), "s.json: [4]: warning: skipped");
        assert_eq!(
            Diagnostic::warning("", None, "left out").to_string(),
            "warning: left out"
        );
        let hinted = Diagnostic::error("q.csv", "", "not UTF-8 text").with_hint("save as UTF-8");
        assert_eq!(hinted.to_string(), "q.csv: not UTF-8 text; save as UTF-8");
        assert_eq!(
            hinted.at_line(Some(2)).labelled().to_string(),
            "q.csv:2: error: not UTF-8 text; save as UTF-8"
        );
    }
}
