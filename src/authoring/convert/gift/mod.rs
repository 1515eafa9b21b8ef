//! GIFT, Moodle's plain-text question format, read and written with the semantics of Moodle's
//! own filter (`question/format/gift/format.php`).
//!
//! # Reading
//!
//! | GIFT | becomes |
//! |---|---|
//! | a blank line | the end of a question |
//! | `// comment` on its own line | ignored, except the metadata comments below |
//! | `$CATEGORY: $course$/top/Cyber/Ransomware` | the topic of the questions that follow: the last part of the path as a slug (`ransomware`) |
//! | `::Name::` | the item id, as a slug (`Name` → `name`); unnamed questions are numbered `<file>-<n>` |
//! | `[markdown]` text | kept as written (the bank's Markdown subset) |
//! | `[plain]` text, and `[moodle]` text without HTML tags | kept literally: `*`, `` ` ``, `[`, `]` and `\` are escaped where the subset would read markup (`2*3*4` stays `2*3*4`) |
//! | `[html]` text, and `[moodle]` text with HTML tags | converted to the Markdown subset (nested emphasis, lists, links, ruby, MathML as text), with a note, or a warning naming what was dropped |
//! | TeX (`\(…\)`, `\[…\]`, `$$…$$`) | kept as written, with a warning and its line per formula |
//! | `Q {=right ~wrong#feedback}` | `single`; `#…` is the option's feedback |
//! | `Q {~%50%A ~%50%B ~%-100%C}` (no `=`) | `multiple`, keyed on the options with a positive weight |
//! | `Q {T}`, `{TRUE}`, `{F}`, `{FALSE}`, `{T#if wrong#if right}` | `true_false` with options `True`, `False` and per-option feedback |
//! | `####text` before `}` | the explanation |
//! | `Grant is {…} in the tomb.` | the answer block replaced by `_____` in the stem |
//! | `\~ \= \# \{ \} \:`, `\n`, `\\` | the character, a line break, a backslash |
//!
//! Partial credit cannot be held (a bank item is right only when exactly its keyed options are
//! chosen): a multiple-response question with unequal weights, and a single-choice option
//! with partial credit, import with a warning, and every source with multiple-response
//! questions gets one note. Short-answer, numerical, matching and essay questions and
//! descriptions (text without an answer block) are skipped with a warning naming their line
//! and type. A malformed question (unbalanced braces, fewer than two options, no right answer)
//! is skipped with a warning naming its line; the others still import.
//!
//! Where it departs from Moodle: a `$CATEGORY:` line followed by a question without a blank
//! line between them is read as both (Moodle reads the whole block as the category name);
//! `\\` is one backslash (Moodle keeps two); a second answer block, or a brace inside one, is
//! an error (Moodle keeps the stray braces as text); a `::` with no closing `::` is an error.
//!
//! # Metadata comments
//!
//! GIFT has no place for a bank item's difficulty label, calibration, status, tags, enemies,
//! references or review metadata, so [`export`] writes them as comments just above the
//! question and [`import`] reads them back (Moodle ignores them):
//!
//! ```text
//! // difficulty: hard
//! // irt: 3PL a=0.9 b=1.1 c=0.2
//! // exposure: 0.8
//! // status: pretest
//! // tags: scenario; privacy
//! // enemies: cyb-ransom-07
//! // ref: NIST SP 800-61r3, Respond Function <https://csrc.nist.gov/pubs/sp/800/61/r3/final>
//! // reviewed: 2026-12-08
//! // watch: NIST SP 800-61 Rev. 3 (April 2025)
//! ::cyb-ransom-03::[markdown]At 02\:10 a hospital's EHR servers …{
//! ```
//!
//! A metadata comment whose value cannot be read is ignored with a warning.
//!
//! # Writing
//!
//! [`export`] writes every item as Moodle writes a multichoice or true/false question, with
//! its id as the name, its topic as `$CATEGORY:`, its text as `[markdown]`, and the metadata
//! comments above. A multiple-response item's keys share 100% and its other options get
//! −100%, so Moodle scores it all-or-nothing too. [`losses`] lists what the file cannot hold.

mod html;
mod meta;
mod parse;
mod syntax;
mod write;

use crate::bank::Bank;
use crate::convert::{ConvertError, Imported};

pub use html::has_html_tags;

/// Reads a GIFT file. `source` names it in warnings and errors.
///
/// # Errors
///
/// A [`ConvertError`] when no question can be imported (its message lists why each question
/// was skipped).
pub fn import(source: &str, text: &str) -> Result<Imported, ConvertError> {
    parse::import(source, text)
}

/// Writes a bank as GIFT (see the module documentation).
pub fn export(bank: &Bank) -> String {
    write::export(bank)
}

/// What a GIFT export of `bank` cannot hold, one sentence each.
pub fn losses(bank: &Bank) -> Vec<String> {
    write::losses(bank)
}

/// Whether a text looks like GIFT: a `::name::`, a `$CATEGORY:` or an answer block in braces.
pub fn looks_like(text: &str) -> bool {
    let mut open = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with("//") {
            continue;
        }
        if line.starts_with("::") || line.starts_with("$CATEGORY:") {
            return true;
        }
        let mut escaped = false;
        for c in line.chars() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '{' => open = true,
                '}' if open => return true,
                _ => {}
            }
        }
    }
    false
}
