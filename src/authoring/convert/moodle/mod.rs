//! Moodle XML (`<quiz>` of `<question>`s, as Moodle's question bank exports it) read into bank
//! items.
//!
//! | Moodle XML | becomes |
//! |---|---|
//! | `<question type="category">` with `$course$/top/Cyber/Ransomware` | the topic of the questions that follow: the last part of the path as a slug (`ransomware`); `//` in a name is a literal `/` |
//! | `<name><text>` | the item id, as a slug; unnamed questions are numbered `<file>-<n>` |
//! | `type="multichoice"` with `<single>true</single>` | `single` (`true_false` when the two answers read True and False) |
//! | `type="multichoice"` with `<single>false</single>` | `multiple`, keyed on the answers with a positive fraction |
//! | `type="truefalse"` | `true_false` with options `True`, `False` |
//! | `<answer fraction="100">` | a key; its `<feedback>` is the option's feedback |
//! | `<generalfeedback>` | the explanation |
//! | `<tags><tag>` | tags |
//! | `<hidden>1</hidden>` | status `retired`, with a warning |
//!
//! Text in `format="html"` is flattened to the Markdown subset (paragraphs, lists, bold,
//! italic, code, links; CDATA or escaped); markup it cannot hold (images, tables,
//! super/subscripts…) is dropped with a warning naming it. `moodle_auto_format` is HTML whose
//! line breaks count; `plain_text` is taken literally (escaped where it would read as Markdown);
//! `markdown` is kept as written, with a warning when it uses more than the subset.
//!
//! Warnings, not errors: partial credit (a fraction other than 0 and 100; a bank item is right
//! only when exactly its keyed options are chosen), several fully correct answers to a
//! single-choice question (the first is the key), combined feedback other than Moodle's
//! defaults and hints (not held), images (Moodle 1.9's `<image>` and `<image_base64>` fields,
//! `<img>` and embedded files), MathML (written as text) and TeX (kept as written), each with
//! its line. A note: `shuffleanswers` (one per file: the bank keeps the source order).
//! Other question types (short answer, numerical, matching, essay, description, cloze,
//! calculated, drag and drop, ordering, random…) are skipped with a warning naming the line.
//! XML that is not well-formed is a [`ConvertError`] with its line.

mod text;

use crate::bank::{Choice, Item, ItemType, Status};
use crate::convert::qti::is_true_false;
use crate::convert::{
    ConvertError, Ids, Imported, Sourced, Warning, finish, id_prefix, item_problems, slug, tex,
};
use crate::markup::{Document, Element, Names, parse};
use text::{Lost, child_text, plain};

/// Moodle's default combined feedback, which carries nothing worth a warning.
const DEFAULT_FEEDBACK: [&str; 3] = [
    "Your answer is correct.",
    "Your answer is partially correct.",
    "Your answer is incorrect.",
];

/// Reads a Moodle XML export. `source` names it in warnings and errors.
///
/// # Errors
///
/// XML that is not well-formed (with the line), a root other than `<quiz>`, or no question
/// that could be imported (the error lists the warnings that say why).
pub fn import(source: &str, xml: &str) -> Result<Imported, ConvertError> {
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    let doc = parse(xml, Names::AsWritten)
        .map_err(|e| ConvertError::new(source, Some(e.line), e.message))?;
    if doc.root.name != "quiz" {
        return Err(ConvertError::new(
            source,
            Some(doc.line(&doc.root)),
            format!(
                "the root element is <{}>, not <quiz>: not a Moodle XML question export",
                doc.root.raw
            ),
        ));
    }
    let mut reader = Reader {
        source,
        doc: &doc,
        prefix: id_prefix(source),
        ordinal: 0,
        topic: String::new(),
        topics: Vec::new(),
        ids: Ids::new(),
        items: Vec::new(),
        warnings: Vec::new(),
        shuffled: None,
    };
    let questions: Vec<&Element> = doc
        .root
        .elements()
        .filter(|e| e.name == "question")
        .collect();
    for (index, question) in questions.iter().enumerate() {
        let first = reader.warnings.len();
        let kept = reader.items.len();
        reader.question(question);
        if reader.items.len() > kept {
            let end = questions.get(index + 1).map_or(xml.len(), |next| next.pos);
            for (at, message) in tex::xml_warnings(&xml[question.pos..end]) {
                let line = doc.line_at(question.pos + at);
                reader
                    .warnings
                    .push(Warning::new(source, Some(line), message));
            }
        }
        reader.warnings[first..].sort_by_key(|w| w.line);
    }
    if let Some((line, count)) = reader.shuffled {
        reader.warnings.push(Warning::note(
            source,
            Some(line),
            format!(
                "shuffleanswers is set on {count} question{}: not held, the bank keeps answers in source order",
                if count == 1 { "" } else { "s" }
            ),
        ));
    }
    finish(source, reader.items, reader.topics, reader.warnings)
}

struct Reader<'a> {
    source: &'a str,
    doc: &'a Document,
    prefix: String,
    ordinal: usize,
    topic: String,
    topics: Vec<String>,
    ids: Ids,
    items: Vec<Sourced>,
    warnings: Vec<Warning>,
    /// The line of the first question with `shuffleanswers` set, and how many have it.
    shuffled: Option<(usize, usize)>,
}

impl Reader<'_> {
    fn warn(&mut self, element: &Element, message: String) {
        let line = self.doc.line(element);
        self.warnings
            .push(Warning::new(self.source, Some(line), message));
    }

    fn question(&mut self, question: &Element) {
        let kind = question.attr("type").unwrap_or("").to_string();
        if kind == "category" {
            self.category(question);
            return;
        }
        self.ordinal += 1;
        let name = child_text(question, "name");
        let label = if name.trim().is_empty() {
            format!("question {}", self.ordinal)
        } else {
            format!("question `{}`", name.trim())
        };
        let item = match kind.as_str() {
            "multichoice" => self.multichoice(question, &label),
            "truefalse" => self.truefalse(question, &label),
            "description" => {
                self.warn(
                    question,
                    format!("{label} skipped: a description is text without a question"),
                );
                None
            }
            other => {
                let why = match other {
                    "multianswer" => "embedded answers (cloze)".to_string(),
                    "" => "no type".to_string(),
                    other => format!("type `{other}`"),
                };
                self.warn(question, format!("{label} skipped: {why} is not held; the bank holds choice questions (multichoice, truefalse)"));
                None
            }
        };
        let Some(mut item) = item else { return };
        let wanted = match slug(&name) {
            id if id.is_empty() => format!("{}-{}", self.prefix, self.ordinal),
            id => id,
        };
        item.id = self.ids.claim(&wanted);
        if item.id != wanted {
            let message = format!(
                "item id `{wanted}` is already used; renamed to `{}`",
                item.id
            );
            self.warn(question, message);
        }
        let problems = problems(&item);
        if !problems.is_empty() {
            self.warn(
                question,
                format!("{label} skipped: {}", problems.join("; ")),
            );
            return;
        }
        if !item.topic.is_empty() && !self.topics.contains(&item.topic) {
            self.topics.push(item.topic.clone());
        }
        self.items.push((self.doc.line(question), item));
    }

    /// `$course$/top/Cyber/Ransomware`: the last part is the topic of what follows.
    fn category(&mut self, question: &Element) {
        let path = child_text(question, "category");
        let path = path.trim().replace("//", "\u{e000}");
        let leaf = path
            .split('/')
            .map(|part| part.replace('\u{e000}', "/"))
            .rfind(|part| {
                let part = part.trim();
                let context = part.starts_with('$') && part.ends_with('$'); // `$course$`
                !part.is_empty() && !context
            })
            .unwrap_or_default();
        let leaf = if leaf.trim() == "top" {
            String::new()
        } else {
            leaf
        };
        let topic = slug(&leaf);
        if topic.is_empty() && !leaf.trim().is_empty() {
            self.warn(
                question,
                format!("category `{}` has no letters or digits for a topic id; the questions that follow get the default topic", leaf.trim()),
            );
        }
        self.topic = topic;
    }

    fn multichoice(&mut self, question: &Element, label: &str) -> Option<Item> {
        let single = !matches!(child_text(question, "single").trim(), "false" | "0");
        if matches!(child_text(question, "shuffleanswers").trim(), "true" | "1") {
            let line = self.doc.line(question);
            let (_, count) = self.shuffled.get_or_insert((line, 0));
            *count += 1;
        }
        let answers = answers(question);
        if !(2..=10).contains(&answers.len()) {
            self.warn(
                question,
                format!(
                    "{label} skipped: it has {} answers; a bank item has 2 to 10",
                    answers.len()
                ),
            );
            return None;
        }
        let fractions: Vec<f64> = answers.iter().map(|(f, _)| *f).collect();
        let partial = fractions.iter().any(|&f| !is_zero(f) && !is_full(f));
        let key: Vec<usize> = if single {
            let full: Vec<usize> = (0..answers.len())
                .filter(|&i| is_full(fractions[i]))
                .collect();
            if full.len() > 1 {
                self.warn(question, format!("{label}: {} answers are fully correct but a single-choice item has one key: the first is the key", full.len()));
            }
            full.into_iter().take(1).collect()
        } else {
            (0..answers.len()).filter(|&i| fractions[i] > 0.0).collect()
        };
        if key.is_empty() {
            let why = if single {
                "no answer has fraction 100"
            } else {
                "no answer has a positive fraction"
            };
            self.warn(question, format!("{label} skipped: {why}"));
            return None;
        }
        if partial {
            let shown: Vec<String> = fractions.iter().map(|f| format_fraction(*f)).collect();
            let rule = if single {
                "only the answer with 100 is right"
            } else {
                "the answers with a positive fraction are the key, scored all or nothing"
            };
            self.warn(
                question,
                format!(
                    "{label}: partial credit (fractions {}) is not held: {rule}",
                    shown.join(", ")
                ),
            );
        }
        let kind = if single {
            ItemType::Single
        } else {
            ItemType::Multiple
        };
        self.item(question, label, kind, &answers, key, false)
    }

    fn truefalse(&mut self, question: &Element, label: &str) -> Option<Item> {
        let answers = answers(question);
        if answers.len() != 2 {
            self.warn(
                question,
                format!(
                    "{label} skipped: a true/false question needs 2 answers, it has {}",
                    answers.len()
                ),
            );
            return None;
        }
        let key: Vec<usize> = (0..2).filter(|&i| is_full(answers[i].0)).take(1).collect();
        if key.is_empty() {
            self.warn(
                question,
                format!("{label} skipped: no answer has fraction 100"),
            );
            return None;
        }
        self.item(question, label, ItemType::TrueFalse, &answers, key, true)
    }

    fn item(
        &mut self,
        question: &Element,
        label: &str,
        kind: ItemType,
        answers: &[(f64, &Element)],
        key: Vec<usize>,
        true_false: bool,
    ) -> Option<Item> {
        let mut lost = Lost::default();
        let stem = self.field(question.child("questiontext"), "question text", &mut lost);
        let mut options = Vec::new();
        for (n, (_, answer)) in answers.iter().enumerate() {
            let mut text = self.field(Some(answer), &format!("answer {}", n + 1), &mut lost);
            if true_false {
                text = match text.trim().to_ascii_lowercase().as_str() {
                    "true" => "True".into(),
                    "false" => "False".into(),
                    _ => text,
                };
            }
            if text.trim().is_empty() {
                self.warn(answer, format!("{label} skipped: answer {} has no text (images and other media are not held)", n + 1));
                return None;
            }
            let feedback = self.field(
                answer.child("feedback"),
                &format!("feedback of answer {}", n + 1),
                &mut lost,
            );
            options.push(Choice {
                text,
                feedback: Some(feedback).filter(|f| !f.trim().is_empty()),
            });
        }
        let explanation = Some(self.field(
            question.child("generalfeedback"),
            "general feedback",
            &mut lost,
        ))
        .filter(|e| !e.trim().is_empty());
        if !lost.what.is_empty() {
            let line = lost.line.unwrap_or_else(|| self.doc.line(question));
            let message = format!(
                "{label}: markup the bank's Markdown subset cannot hold was dropped: {}",
                lost.what.join(", ")
            );
            self.warnings
                .push(Warning::new(self.source, Some(line), message));
        }
        if !lost.plain.is_empty() {
            self.warn(question, format!("{label}: formatting that cannot be written in the Markdown subset became plain text: {}", lost.plain.join(", ")));
        }
        for (line, message) in std::mem::take(&mut lost.formulas) {
            self.warnings.push(Warning::new(
                self.source,
                Some(line),
                format!("{label}: {message}"),
            ));
        }
        self.images(question, label);
        self.unheld(question, label);
        if stem.trim().is_empty() {
            self.warn(
                question,
                format!("{label} skipped: it has no question text"),
            );
            return None;
        }
        let kind = if kind == ItemType::Single && is_true_false(&options) {
            ItemType::TrueFalse
        } else {
            kind
        };
        let hidden = matches!(child_text(question, "hidden").trim(), "1" | "true");
        if hidden {
            self.warn(
                question,
                format!("{label} is hidden in Moodle: imported with status retired"),
            );
        }
        let mut tags: Vec<String> = Vec::new();
        for tag in question
            .child("tags")
            .into_iter()
            .flat_map(|t| t.elements())
            .filter(|t| t.name == "tag")
        {
            let text = child_text(tag, "text").trim().to_string();
            if !text.is_empty() && !tags.contains(&text) {
                tags.push(text);
            }
        }
        let status = if hidden {
            Status::Retired
        } else {
            Status::Active
        };
        Some(Item {
            explanation,
            status,
            tags,
            ..Item::new(String::new(), self.topic.clone(), kind, stem, options, key)
        })
    }

    /// Moodle 1.9's image fields, which a bank cannot hold: a warning each.
    fn images(&mut self, question: &Element, label: &str) {
        for image in question
            .elements()
            .filter(|e| e.name == "image" || e.name == "image_base64")
        {
            let text = image.text();
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let what = if image.name == "image" {
                format!("its image `{text}` (Moodle 1.9 `<image>`)")
            } else {
                format!(
                    "its embedded image (Moodle 1.9 `<image_base64>`, {} characters)",
                    text.len()
                )
            };
            self.warn(
                image,
                format!(
                    "{label}: {what} is not held: the bank has no images; describe what it \
                     shows in the question text"
                ),
            );
        }
    }

    /// Combined feedback and hints: a warning when they hold something.
    fn unheld(&mut self, question: &Element, label: &str) {
        let mut unheld = Vec::new();
        for (name, shown) in [
            ("correctfeedback", "correct"),
            ("partiallycorrectfeedback", "partially correct"),
            ("incorrectfeedback", "incorrect"),
        ] {
            let text = child_text(question, name);
            let text = plain(&text);
            if !text.is_empty() && !DEFAULT_FEEDBACK.contains(&text.as_str()) {
                unheld.push(format!("{shown} feedback"));
            }
        }
        let hints = question
            .elements()
            .filter(|e| e.name == "hint" && !plain(&child_text(e, "text")).is_empty())
            .count();
        if hints > 0 {
            unheld.push(format!("{hints} hint{}", if hints == 1 { "" } else { "s" }));
        }
        if !unheld.is_empty() {
            self.warn(
                question,
                format!("{label}: not held: {}", unheld.join(", ")),
            );
        }
    }
}

/// The answers with their fractions (a missing or unreadable fraction is 0).
fn answers(question: &Element) -> Vec<(f64, &Element)> {
    question
        .elements()
        .filter(|e| e.name == "answer")
        .map(|answer| {
            let fraction = answer
                .attr("fraction")
                .and_then(|f| f.trim().parse::<f64>().ok())
                .filter(|f| f.is_finite())
                .unwrap_or(0.0);
            (fraction, answer)
        })
        .collect()
}

fn is_full(fraction: f64) -> bool {
    (fraction - 100.0).abs() < 1e-6
}

fn is_zero(fraction: f64) -> bool {
    fraction.abs() < 1e-6
}

/// `50`, `33.33333`, `-100`: as Moodle writes them, without trailing zeros.
fn format_fraction(fraction: f64) -> String {
    let text = format!("{fraction:.5}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.to_string()
    }
}

/// What the bank's validator finds wrong with an item, the difficulty label aside (the import
/// defaults it to medium afterwards).
fn problems(item: &Item) -> Vec<String> {
    let mut probe = item.clone();
    if probe.difficulty.is_none() && probe.irt.is_none() {
        probe.difficulty = Some(crate::bank::Difficulty::Medium);
    }
    item_problems(&probe)
}
