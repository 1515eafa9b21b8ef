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
//! A question is its text, then two or more options each starting with a capital letter and
//! `.` or `)`, then `ANSWER: X` naming the right option. Blank lines between questions are
//! optional. Every question becomes a `single` item with no feedback, numbered `<file>-<n>`, in
//! the default topic, labelled `medium`. Text is plain: `*`, `` ` ``, `[`, `]` and `\` are
//! escaped where the bank's Markdown subset would read markup (`2*3*4` shows as written); TeX
//! is kept as written, with a warning naming its line.
//!
//! An option is `A. text` or `A) text`; `A)text` and `A.text` without the space are options
//! too when the letter is the one expected next (`A` after the question text, then `B`…), so
//! that a question line such as `U.S. law…` stays text.
//!
//! Errors skip the question with a warning naming its line: an option or `ANSWER:` outside a
//! question, a question whose options end without an `ANSWER:` line, an `ANSWER:` that names
//! no option, fewer than two options (naming the lines that look like options but are not,
//! such as `a) text` or `(A) text`), more than ten (the bank's limit), a repeated option
//! letter, options that read the same. The other questions still import.
//!
//! Where it departs from Moodle: a question's text may run over several lines (they are
//! joined); `answer:` in any case is accepted, and the letter may be lower case; an option
//! may be written `A.` with nothing after it only to be reported as empty.

use crate::bank::{Choice, Item, ItemType};
use crate::convert::{
    ConvertError, Ids, Imported, Sourced, Warning, finish, id_prefix, item_problems, tex,
};
use crate::markup::literal;

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

/// `A)text` or `A.text`, an option written without the space, when `A` is the letter
/// expected next; never an abbreviation such as `U.S.`.
fn unspaced_option(line: &str, expected: char) -> Option<&str> {
    let line = line.trim();
    let rest = line.strip_prefix(expected)?;
    let rest = rest.strip_prefix([')', '.'])?;
    let abbreviation = rest.len() >= 2
        && rest.starts_with(|c: char| c.is_ascii_uppercase())
        && rest[1..].starts_with('.');
    (!rest.is_empty() && !abbreviation).then(|| rest.trim())
}

/// Whether a line looks like an option written in a way Aiken does not read: a lower-case
/// letter (`a) text`), a letter in parentheses (`(A) text`), or `A:`/`A -`.
fn looks_like_option(line: &str) -> bool {
    let line = line.trim();
    let mut chars = line.chars();
    matches!(
        (chars.next(), chars.next(), chars.next()),
        (Some('a'..='z'), Some('.' | ')'), Some(' ' | '\t'))
            | (Some('('), Some('A'..='Z' | 'a'..='z'), Some(')'))
            | (Some('A'..='Z'), Some(':'), _)
            | (Some('A'..='Z'), Some(' '), Some('-' | '–'))
    )
}

/// A question being read.
struct Open {
    line: usize,
    /// The question's lines, with their numbers.
    stem: Vec<(usize, String)>,
    /// Option letters, texts and lines.
    options: Vec<(char, String, usize)>,
}

impl Open {
    /// The letter the next option should have.
    fn expected(&self) -> char {
        self.options
            .last()
            .and_then(|(letter, _, _)| char::from_u32(*letter as u32 + 1))
            .unwrap_or('A')
    }
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
        let mut kind = classify(raw);
        if let (Line::Text(text), Some(question)) = (&kind, &open)
            && let Some(rest) = unspaced_option(text, question.expected())
        {
            kind = Line::Option(question.expected(), rest);
        }
        match kind {
            Line::Blank => {}
            Line::Text(text) => match &mut open {
                Some(question) if question.options.is_empty() => {
                    question.stem.push((line, text.to_string()));
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
                        stem: vec![(line, text.to_string())],
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
                        let problems = item_problems(&item);
                        if !problems.is_empty() {
                            let reason = format!("question skipped: {}", problems.join("; "));
                            warn(&mut warnings, question.line, reason);
                            continue;
                        }
                        let id = ids.claim(&format!("{prefix}-{ordinal}"));
                        for (at, message) in tex_of(&question) {
                            warn(&mut warnings, at, message);
                        }
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

/// A warning for each TeX span in a question's lines, with the span's line.
fn tex_of(question: &Open) -> Vec<(usize, String)> {
    let lines = question
        .stem
        .iter()
        .map(|(line, text)| (*line, text.as_str()))
        .chain(
            question
                .options
                .iter()
                .map(|(_, text, line)| (*line, text.as_str())),
        );
    lines
        .flat_map(|(line, text)| {
            tex::warnings(text)
                .into_iter()
                .map(move |(_, message)| (line, message))
        })
        .collect()
}

/// The item for a question whose `ANSWER:` line (at `line`) has been read.
fn finish_question(question: &Open, answer: &str, line: usize) -> Result<Item, String> {
    let count = question.options.len();
    if count < 2 {
        let near: Vec<String> = question
            .stem
            .iter()
            .skip(1)
            .filter(|(_, text)| looks_like_option(text))
            .map(|(at, text)| format!("line {at} `{text}`"))
            .collect();
        let found = match question.options.first() {
            Some((letter, _, at)) => format!("it has 1 option (`{letter}` on line {at})"),
            None => format!("it has no option before `ANSWER:` on line {line}"),
        };
        let why = if near.is_empty() {
            "an option is a line that starts with a capital letter and `.` or `)`, such as \
             `A. text` or `A) text`"
                .to_string()
        } else {
            format!(
                "{} {} not read as an option: an option starts with a capital letter and `.` \
                 or `)`, such as `A. text` or `A) text`",
                near.join(", "),
                if near.len() == 1 { "is" } else { "are" }
            )
        };
        return Err(format!(
            "question skipped: {found}; a question needs at least 2 ({why})"
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
            text: literal(text),
            feedback: None,
        })
        .collect();
    let stem: Vec<&str> = question
        .stem
        .iter()
        .map(|(_, text)| text.as_str())
        .collect();
    let stem = literal(&stem.join("\n"));
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
        let unspaced = |t: &str| {
            t.chars()
                .next()
                .and_then(|c| unspaced_option(t, c))
                .is_some()
        };
        match classify(line) {
            Line::Option(..) => after_option = true,
            Line::Text(text) if unspaced(text) => after_option = true,
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
