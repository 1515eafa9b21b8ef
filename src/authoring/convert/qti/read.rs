//! One QTI assessment item (2.1, 2.2 or 3.0) read into a bank item.
//!
//! Held: one choice interaction with single cardinality (→ `single`, or `true_false` when the
//! two choices read True and False) or multiple cardinality (→ `multiple`); the key from the
//! correct response, or from the positive values of a `map_response` mapping; the stem from the
//! item body and the prompt; per-choice feedback from feedback tied to a choice (inline in the
//! choice, or modal/block feedback whose identifier is the choice's); every other feedback
//! where [`super::feedback`] puts it, from when the response processing shows it. MathML is
//! written as text and TeX kept as written, each with a warning and its line. Anything else is
//! a warning, and an item that cannot be held is skipped.

use crate::bank::{Choice, Item, ItemType};
use crate::convert::{Sourced, Warning, id_prefix, item_problems, slug, tex};

use super::feedback::{self, Feedback, Shown};
use super::scoring::feedback_shown;
use crate::markup::dom::{Document, Element, Node};
use crate::markup::flatten::{Attrs, Flattened, Flattener};
use crate::markup::render::emit;

/// Reads one assessment item from its parsed file (`text` is the file, for TeX), with the line
/// it starts on. `topic` is the item's topic (empty when the source names none). `None` when
/// the item cannot be held (a warning says why).
pub(crate) fn read_item(
    source: &str,
    doc: &Document,
    text: &str,
    topic: &str,
    warnings: &mut Vec<Warning>,
) -> Option<Sourced> {
    let root = &doc.root;
    let first = warnings.len();
    let mut reader = Reader {
        source,
        doc,
        warnings,
    };
    let line = doc.line(root);
    let item = reader.item(topic);
    if item.is_some() {
        for (at, message) in tex::xml_warnings(text) {
            warnings.push(Warning::new(source, Some(doc.line_at(at)), message));
        }
    }
    warnings[first..].sort_by_key(|w| w.line);
    item.map(|item| (line, item))
}

pub(super) struct Reader<'a> {
    source: &'a str,
    doc: &'a Document,
    warnings: &'a mut Vec<Warning>,
}

/// What an item's markup became, field by field, before it is written as Markdown.
struct Parts {
    stem: Flattened,
    choices: Vec<(String, Flattened, Option<Flattened>)>,
    /// Feedback not inside a choice.
    feedback: Vec<Piece>,
}

/// Modal or block feedback: its identifier, content, line, and whether it is shown when its
/// identifier is *not* set (`showHide="hide"`).
struct Piece {
    identifier: String,
    content: Flattened,
    line: usize,
    hide: bool,
}

impl Reader<'_> {
    pub(super) fn warn(&mut self, element: &Element, message: String) {
        let line = self.doc.line(element);
        self.warnings
            .push(Warning::new(self.source, Some(line), message));
    }

    fn item(&mut self, topic: &str) -> Option<Item> {
        let root = &self.doc.root;
        let id = match slug(root.attr("identifier").unwrap_or("")) {
            id if id.is_empty() => id_prefix(self.source.rsplit(':').next().unwrap_or("")),
            id => id,
        };
        let skip = |reader: &mut Self, element: &Element, why: String| {
            reader.warn(element, format!("item `{id}` skipped: {why}"));
            None
        };
        let Some(body) = root.child("itemBody") else {
            return skip(self, root, "it has no item body".into());
        };
        let interactions: Vec<&Element> = body
            .descendants()
            .into_iter()
            .filter(|e| e.name.ends_with("Interaction"))
            .collect();
        let interaction = match interactions.as_slice() {
            [] => return skip(self, body, "it has no interaction".into()),
            [one] if one.name == "choiceInteraction" => *one,
            [one] => {
                let why = format!(
                    "<{}> is not held; the bank holds choice interactions only",
                    one.raw
                );
                return skip(self, one, why);
            }
            [first, ..] => {
                let names: Vec<String> = interactions
                    .iter()
                    .map(|e| format!("<{}>", e.raw))
                    .collect();
                let why = format!(
                    "it has {} interactions ({}); the bank holds items with one choice interaction",
                    interactions.len(),
                    names.join(", ")
                );
                return skip(self, first, why);
            }
        };
        let response = interaction.attr("responseIdentifier").unwrap_or("");
        let Some(declaration) = root
            .elements()
            .find(|e| e.name == "responseDeclaration" && e.attr("identifier") == Some(response))
        else {
            let why =
                format!("no response declaration for the interaction's response `{response}`");
            return skip(self, interaction, why);
        };
        let kind = match declaration.attr("cardinality").unwrap_or("single") {
            "single" => {
                if let Some(max) = interaction.attr("maxChoices").filter(|m| m.trim() != "1") {
                    self.warn(
                        interaction,
                        format!("max-choices is {max} but the response cardinality is single: read as a single-choice item"),
                    );
                }
                ItemType::Single
            }
            "multiple" => ItemType::Multiple,
            other => {
                let why =
                    format!("response cardinality `{other}` is not held (single or multiple only)");
                return skip(self, declaration, why);
            }
        };
        let choice_elements: Vec<&Element> = interaction
            .elements()
            .filter(|e| e.name == "simpleChoice")
            .collect();
        if !(2..=10).contains(&choice_elements.len()) {
            let why = format!(
                "it has {} choices; a bank item has 2 to 10",
                choice_elements.len()
            );
            return skip(self, interaction, why);
        }
        self.shuffle_warning(interaction, &choice_elements);
        let parts = self.parts(root, body, &choice_elements);
        let identifiers: Vec<&str> = parts.choices.iter().map(|(id, _, _)| id.as_str()).collect();
        let key = self.key(&id, root, declaration, kind, &identifiers)?;
        let shown = feedback_shown(root.child("responseProcessing"), response, &identifiers);
        let shown = |identifier: &str, hide: bool| {
            let when = match identifiers.iter().position(|c| *c == identifier) {
                Some(index) => Shown::Choices(vec![index]),
                None => shown
                    .get(identifier)
                    .cloned()
                    .unwrap_or_else(|| shown_by_name(identifier)),
            };
            match (when, hide) {
                (when, false) => when,
                (Shown::Correct, true) => Shown::Incorrect,
                (Shown::Incorrect, true) => Shown::Correct,
                (_, true) => Shown::Unknown,
            }
        };
        let when: Vec<Shown> = parts
            .feedback
            .iter()
            .map(|piece| shown(&piece.identifier, piece.hide))
            .collect();
        self.build(id, topic, kind, key, parts, when)
    }

    fn shuffle_warning(&mut self, interaction: &Element, choices: &[&Element]) {
        if interaction.attr("shuffle").map(str::trim) != Some("true") {
            return;
        }
        let fixed: Vec<&str> = choices
            .iter()
            .filter(|c| c.attr("fixed").map(str::trim) == Some("true"))
            .map(|c| c.attr("identifier").unwrap_or("?"))
            .collect();
        let fixed = if fixed.is_empty() {
            String::new()
        } else {
            format!(" (fixed choices: {})", fixed.join(", "))
        };
        let line = self.doc.line(interaction);
        self.warnings.push(Warning::note(
            self.source,
            Some(line),
            format!("shuffle=\"true\" is not held: options stay in source order{fixed}"),
        ));
    }

    fn parts(&self, root: &Element, body: &Element, choices: &[&Element]) -> Parts {
        let mut parts = Parts {
            stem: Flattened::default(),
            choices: Vec::new(),
            feedback: Vec::new(),
        };
        let mut stem = Flattener::new(false);
        self.feed_children(body, &mut stem, &mut parts.feedback);
        parts.stem = stem.finish();
        for choice in choices {
            let mut text = Flattener::new(false);
            let mut inline = Vec::new();
            self.feed_children(choice, &mut text, &mut inline);
            let feedback = if inline.is_empty() {
                None
            } else {
                Some(join(
                    inline.into_iter().map(|piece| piece.content).collect(),
                ))
            };
            let identifier = choice.attr("identifier").unwrap_or("").to_string();
            parts.choices.push((identifier, text.finish(), feedback));
        }
        for modal in root.elements().filter(|e| e.name == "modalFeedback") {
            let mut content = Flattener::new(false);
            let mut nested = Vec::new();
            self.feed_children(modal, &mut content, &mut nested);
            parts.feedback.push(Piece {
                identifier: modal.attr("identifier").unwrap_or("").to_string(),
                content: content.finish(),
                line: self.doc.line(modal),
                hide: modal.attr("showHide").map(str::trim) == Some("hide"),
            });
        }
        parts
    }

    /// Feeds an element's content to a flattener; QTI elements are handled here: the choice
    /// interaction contributes its prompt, feedback is set aside, the rest is markup.
    fn feed_children(&self, element: &Element, out: &mut Flattener, feedback: &mut Vec<Piece>) {
        for node in &element.children {
            match node {
                Node::Text(text) => out.text(text),
                Node::Element(child) => self.feed(child, out, feedback),
            }
        }
    }

    fn feed(&self, element: &Element, out: &mut Flattener, feedback: &mut Vec<Piece>) {
        match element.name.as_str() {
            "choiceInteraction" => {
                if let Some(prompt) = element.child("prompt") {
                    out.start("div", Attrs::default(), None);
                    self.feed_children(prompt, out, feedback);
                    out.end("div");
                }
            }
            "feedbackInline" | "feedbackBlock" => {
                let mut content = Flattener::new(false);
                let mut nested = Vec::new();
                self.feed_children(element, &mut content, &mut nested);
                feedback.push(Piece {
                    identifier: element.attr("identifier").unwrap_or("").to_string(),
                    content: content.finish(),
                    line: self.doc.line(element),
                    hide: element.attr("showHide").map(str::trim) == Some("hide"),
                });
            }
            "contentBody" | "prompt" => self.feed_children(element, out, feedback),
            "rubricBlock" | "stylesheet" | "catalogInfo" | "companionMaterialsInfo" => {
                out.start(&element.raw, Attrs::default(), Some(element.pos));
                out.end(&element.raw);
            }
            _ => {
                let name = if element
                    .name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                {
                    element.name.as_str()
                } else {
                    element.raw.as_str()
                };
                let attrs = Attrs {
                    href: element.attr("href"),
                    start: element.attr("start"),
                    alttext: element.attr("alttext"),
                };
                out.start(name, attrs, Some(element.pos));
                self.feed_children(element, out, feedback);
                out.end(name);
            }
        }
    }

    fn build(
        &mut self,
        id: String,
        topic: &str,
        kind: ItemType,
        key: Vec<usize>,
        parts: Parts,
        when: Vec<Shown>,
    ) -> Option<Item> {
        let root = &self.doc.root;
        let mut lost: Vec<String> = Vec::new();
        let mut lost_at: Option<usize> = None;
        let mut unwritable: Vec<String> = Vec::new();
        let mut formulas = Vec::new();
        let mut text = |flat: &Flattened, field: &str| -> String {
            for tag in &flat.lost {
                lost.push(format!("{tag} ({field})"));
            }
            lost_at = lost_at.or(flat.lost_at);
            formulas.extend(flat.math.iter().cloned());
            let (markdown, plain) = emit(&flat.blocks);
            if plain {
                unwritable.push(field.to_string());
            }
            markdown
        };
        let stem = text(&parts.stem, "stem");
        let mut options = Vec::new();
        let mut empty_choice = None;
        for (identifier, content, feedback) in &parts.choices {
            let option = text(content, &format!("choice {identifier}"));
            if option.trim().is_empty() && empty_choice.is_none() {
                empty_choice = Some(identifier.clone());
            }
            let feedback = feedback
                .as_ref()
                .map(|f| text(f, &format!("feedback of choice {identifier}")));
            options.push(Choice {
                text: option,
                feedback: feedback.filter(|f| !f.trim().is_empty()),
            });
        }
        let pieces: Vec<Feedback> = parts
            .feedback
            .iter()
            .zip(when)
            .map(|(piece, shown)| Feedback {
                identifier: piece.identifier.clone(),
                text: text(&piece.content, &format!("feedback {}", piece.identifier)),
                line: piece.line,
                shown,
            })
            .collect();
        if !lost.is_empty() {
            let line = lost_at.map_or_else(|| self.doc.line(root), |pos| self.doc.line_at(pos));
            self.warnings.push(Warning::new(
                self.source,
                Some(line),
                format!(
                    "markup the bank's Markdown subset cannot hold was dropped: {}",
                    lost.join(", ")
                ),
            ));
        }
        if !unwritable.is_empty() {
            self.warn(root, format!("formatting that cannot be written in the Markdown subset became plain text: {}", unwritable.join(", ")));
        }
        if stem.trim().is_empty() {
            self.warn(
                root,
                format!("item `{id}` skipped: it has no question text"),
            );
            return None;
        }
        if let Some(choice) = empty_choice {
            self.warn(root, format!("item `{id}` skipped: choice {choice} has no text (images and other media are not held)"));
            return None;
        }
        let kind = if kind == ItemType::Single && is_true_false(&options) {
            ItemType::TrueFalse
        } else {
            kind
        };
        let explanation =
            feedback::place(self.source, kind, &key, &mut options, pieces, self.warnings);
        for formula in formulas {
            let line = formula
                .pos
                .map_or_else(|| self.doc.line(root), |pos| self.doc.line_at(pos));
            self.warnings.push(Warning::new(
                self.source,
                Some(line),
                crate::markup::mathml::message(&formula),
            ));
        }
        let item = Item {
            explanation,
            ..Item::new(id, topic.to_string(), kind, stem, options, key)
        };
        let problems = problems(&item);
        if !problems.is_empty() {
            self.warn(
                root,
                format!("item `{}` skipped: {}", item.id, problems.join("; ")),
            );
            return None;
        }
        Some(item)
    }
}

/// When feedback is shown, told from its identifier alone (the response processing does not
/// say): `correct`, `incorrect`/`wrong` and their common spellings, and the names of general
/// feedback (`general`, `explanation`, `solution`); anything else is unknown.
fn shown_by_name(identifier: &str) -> Shown {
    let name: String = identifier
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    match name.as_str() {
        "correct" | "right" | "correctfb" | "correctfeedback" | "feedbackcorrect" => Shown::Correct,
        "incorrect" | "wrong" | "incorrectfb" | "incorrectfeedback" | "feedbackincorrect"
        | "generalincorrectfb" => Shown::Incorrect,
        "general" | "generalfb" | "generalfeedback" | "explanation" | "solution" => Shown::Always,
        _ => Shown::Unknown,
    }
}

/// Two options reading True and False (in either order, any case).
pub(crate) fn is_true_false(options: &[Choice]) -> bool {
    let mut texts: Vec<String> = options
        .iter()
        .map(|o| o.text.trim().to_lowercase())
        .collect();
    texts.sort();
    texts == ["false", "true"]
}

/// Several flattened parts as one, in order.
fn join(parts: Vec<Flattened>) -> Flattened {
    let mut out = Flattened::default();
    for part in parts {
        out.append(part);
    }
    out
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
