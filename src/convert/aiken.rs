//! Aiken, the simplest plain-text format Moodle reads (`question/format/aiken/format.php`):
//!
//! ```text
//! Which rule sets the breach-notification deadline for covered entities?
//! A. The HIPAA Security Rule
//! B) The HIPAA Breach Notification Rule
//! C. The 21st Century Cures Act
//! ANSWER: B
//! ```
//!
//! A question is its text, then two or more options each starting with a capital letter, `.`
//! or `)` and a space, then `ANSWER: X` naming the right option. Blank lines between
//! questions are optional. Every question becomes a `single` item with no feedback, numbered
//! `<file>-<n>`, in the default topic, labelled `medium`.
//!
//! Errors skip the question with a warning naming its line: an option or `ANSWER:` outside a
//! question, a question whose options end without an `ANSWER:` line, an `ANSWER:` that names
//! no option, fewer than two options (or more than ten, the bank's limit), a repeated option
//! letter. The other questions still import.
//!
//! Where it departs from Moodle: a question's text may run over several lines (they are
//! joined); `answer:` in any case is accepted, and the letter may be lower case; an option
//! may be written `A.` with nothing after it only to be reported as empty.

use crate::bank::{Choice, Item, ItemType};
use crate::convert::{ConvertError, Ids, Imported, Sourced, Warning, finish, id_prefix};

/// The most options a bank item holds.
const MAX_OPTIONS: usize = 10;

/// A line of an Aiken file.
#[derive(Debug, PartialEq)]
enum Line<'t> {
    Blank,
    /// `A. text` or `A) text`: the letter and the text.
    Option(char, &'t str),
    /// `ANSWER: X`: what follows the colon.
    Answer(&'t str),
    Text(&'t str),
}

fn classify(line: &str) -> Line<'_> {
    let line = line.trim();
    if line.is_empty() {
        return Line::Blank;
    }
    let mut chars = line.chars();
    if let (Some(letter @ 'A'..='Z'), Some('.' | ')')) = (chars.next(), chars.next()) {
        let rest = &line[2..];
        if rest.is_empty() || rest.starts_with([' ', '\t']) {
            return Line::Option(letter, rest.trim());
        }
    }
    if line
        .get(..6)
        .is_some_and(|head| head.eq_ignore_ascii_case("answer"))
    {
        if let Some(rest) = line[6..].trim_start().strip_prefix(':') {
            return Line::Answer(rest.trim());
        }
    }
    Line::Text(line)
}

/// A question being read.
struct Open {
    line: usize,
    stem: Vec<String>,
    /// Option letters, texts and lines.
    options: Vec<(char, String, usize)>,
}

/// Reads an Aiken file. `source` names it in warnings and errors.
///
/// # Errors
///
/// A [`ConvertError`] when no question can be imported (its message lists why each question
/// was skipped).
pub fn import(source: &str, text: &str) -> Result<Imported, ConvertError> {
    let prefix = id_prefix(source);
    let mut ids = Ids::new();
    let mut items: Vec<Sourced> = Vec::new();
    let mut warnings = Vec::new();
    let mut open: Option<Open> = None;
    let mut ordinal = 0;
    let warn = |warnings: &mut Vec<Warning>, line: usize, message: String| {
        warnings.push(Warning::new(source, Some(line), message));
    };
    for (index, raw) in crate::convert::strip_bom(text).split('\n').enumerate() {
        let line = index + 1;
        match classify(raw) {
            Line::Blank => {}
            Line::Text(text) => match &mut open {
                Some(question) if question.options.is_empty() => {
                    question.stem.push(text.to_string());
                }
                _ => {
                    if let Some(question) = open.take() {
                        let message = format!(
                            "question skipped: its options end without an `ANSWER:` line \
                             (line {line} starts a new question)"
                        );
                        warn(&mut warnings, question.line, message);
                    }
                    ordinal += 1;
                    open = Some(Open {
                        line,
                        stem: vec![text.to_string()],
                        options: Vec::new(),
                    });
                }
            },
            Line::Option(letter, text) => match &mut open {
                Some(question) => question.options.push((letter, text.to_string(), line)),
                None => warn(
                    &mut warnings,
                    line,
                    format!("line skipped: option `{letter}` outside a question"),
                ),
            },
            Line::Answer(answer) => match open.take() {
                Some(question) => match finish_question(&question, answer, line) {
                    Ok(item) => {
                        let id = ids.claim(&format!("{prefix}-{ordinal}"));
                        items.push((question.line, Item { id, ..item }));
                    }
                    Err(reason) => warn(&mut warnings, question.line, reason),
                },
                None => warn(
                    &mut warnings,
                    line,
                    "line skipped: `ANSWER:` outside a question".to_string(),
                ),
            },
        }
    }
    if let Some(question) = open {
        let message = "question skipped: the file ends before its `ANSWER:` line".to_string();
        warn(&mut warnings, question.line, message);
    }
    finish(source, items, Vec::new(), warnings)
}

/// The item for a question whose `ANSWER:` line (at `line`) has been read.
fn finish_question(question: &Open, answer: &str, line: usize) -> Result<Item, String> {
    let count = question.options.len();
    if count < 2 {
        return Err(format!(
            "question skipped: it has {count} option{}; a question needs at least 2",
            if count == 1 { "" } else { "s" }
        ));
    }
    if count > MAX_OPTIONS {
        return Err(format!(
            "question skipped: it has {count} options; a bank item holds at most {MAX_OPTIONS}"
        ));
    }
    for (index, (letter, text, option_line)) in question.options.iter().enumerate() {
        if question.options[..index]
            .iter()
            .any(|(l, _, _)| l == letter)
        {
            return Err(format!(
                "question skipped: option `{letter}` on line {option_line} repeats a letter"
            ));
        }
        if text.is_empty() {
            return Err(format!(
                "question skipped: option `{letter}` on line {option_line} has no text"
            ));
        }
    }
    let letters: String = question.options.iter().map(|(l, _, _)| *l).collect();
    let mut chars = answer.chars();
    let letter = match (chars.next(), chars.next()) {
        (Some(letter), None) if letter.is_ascii_alphabetic() => letter.to_ascii_uppercase(),
        (None, _) => {
            return Err(format!(
                "question skipped: `ANSWER:` on line {line} names no option"
            ));
        }
        _ => {
            return Err(format!(
                "question skipped: `ANSWER: {answer}` on line {line} is not one option letter \
                 (Aiken questions have one right answer)"
            ));
        }
    };
    let key = letters.find(letter).ok_or_else(|| {
        format!(
            "question skipped: `ANSWER: {letter}` on line {line} names no option (the options \
             are {})",
            letters
                .chars()
                .map(String::from)
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    let options = question
        .options
        .iter()
        .map(|(_, text, _)| Choice {
            text: text.clone(),
            feedback: None,
        })
        .collect();
    let stem = question.stem.join("\n");
    Ok(Item::new(
        String::new(),
        String::new(),
        ItemType::Single,
        stem,
        options,
        vec![key],
    ))
}

/// Whether a text looks like Aiken: an `ANSWER:` line right after an option line.
pub fn looks_like(text: &str) -> bool {
    let mut after_option = false;
    for line in text.lines() {
        match classify(line) {
            Line::Option(..) => after_option = true,
            Line::Answer(_) if after_option => return true,
            Line::Blank => {}
            _ => after_option = false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_told_apart_as_moodle_does() {
        assert_eq!(classify("A. yes"), Line::Option('A', "yes"));
        assert_eq!(classify("  B)\tno "), Line::Option('B', "no"));
        assert_eq!(classify("C."), Line::Option('C', ""));
        assert_eq!(classify("A.B. testing"), Line::Text("A.B. testing"));
        assert_eq!(classify("a. lower"), Line::Text("a. lower"));
        assert_eq!(classify("ANSWER: B"), Line::Answer("B"));
        assert_eq!(classify("Answer : c"), Line::Answer("c"));
        assert_eq!(classify("Answers: many"), Line::Text("Answers: many"));
        assert_eq!(classify(" \r"), Line::Blank);
    }
}
