//! QTI 1.2 (IMS QTI ASI XML binding 1.2, 2002), what Canvas, Blackboard and Respondus export:
//! a `questestinterop` of `item`s, alone or inside `assessment`/`section`/`objectbank`.
//!
//! | QTI 1.2 | becomes |
//! |---|---|
//! | `item` `ident` | the item id, as a slug; numbered `<file>-<n>` without one |
//! | one `response_lid` with `render_choice`, `rcardinality="Single"` (the default) | `single`; `true_false` when the two options read True and False |
//! | `rcardinality="Multiple"` | `multiple` |
//! | `response_label` | an option, in source order |
//! | `material` (`mattext` plain or `text/html`, `matemtext`, Blackboard's `mat_formattedtext`) outside the choices | the stem |
//! | `resprocessing` | the key: the response it scores highest (see `process.rs`) |
//! | `itemfeedback` shown by `displayfeedback` | where [`super::feedback`] puts it, from the responses that show it: Canvas's per-answer `<id>_fb` becomes that option's feedback, `correct_fb` the key's, `general_incorrect_fb` the other options', `general_fb` the explanation |
//! | a `section` inside another section (Canvas's question groups) | the topic: its title as a slug |
//!
//! Skipped with a warning naming the item and its line: any other response (`response_str`,
//! `response_num`, `response_xy`, `response_grp`, several responses, `render_fib`,
//! `render_hotspot`…), Canvas question types other than `multiple_choice_question`,
//! `true_false_question` and `multiple_answers_question`, `rcardinality="Ordered"`, response
//! processing this reader cannot run, and items without a response that scores higher than
//! another. Warnings: partial credit (more than two different scores), images and media, markup
//! the subset cannot hold; notes: shuffling, question groups' selection.

mod material;
mod process;

use std::collections::HashSet;

use crate::bank::{Choice, Item, ItemType};
use crate::convert::{Ids, Sourced, Warning, id_prefix, item_problems, slug, tex};

use super::feedback::{self, Feedback, Shown};
use super::read::is_true_false;
use crate::markup::dom::{Document, Element};
use material::Gathered;
use process::{Outcome, Processing};

/// Canvas's `question_type`s that a bank item holds.
const CANVAS_TYPES: [&str; 3] = [
    "multiple_choice_question",
    "true_false_question",
    "multiple_answers_question",
];

/// Reads every item of a `questestinterop` document (`text` is the file, for TeX): the items a
/// bank can hold, with their lines, and the topics they use.
pub(crate) fn read(
    source: &str,
    doc: &Document,
    text: &str,
    warnings: &mut Vec<Warning>,
) -> (Vec<Sourced>, Vec<String>) {
    let mut reader = Reader {
        source,
        doc,
        warnings,
        prefix: id_prefix(source.rsplit(':').next().unwrap_or(source)),
        ordinal: 0,
        ids: Ids::new(),
        items: Vec::new(),
        topics: Vec::new(),
        starts: Vec::new(),
        budget: STEP_BUDGET,
    };
    reader.walk(&doc.root, 0, "");
    let Reader {
        items,
        topics,
        starts,
        ..
    } = reader;
    for (at, message) in tex::xml_warnings(text) {
        let kept = starts
            .iter()
            .rposition(|&(start, _)| start <= at)
            .is_some_and(|index| starts[index].1);
        if kept {
            warnings.push(Warning::new(source, Some(doc.line_at(at)), message));
        }
    }
    (items, topics)
}

struct Reader<'a> {
    source: &'a str,
    doc: &'a Document,
    warnings: &'a mut Vec<Warning>,
    prefix: String,
    ordinal: usize,
    ids: Ids,
    items: Vec<Sourced>,
    topics: Vec<String>,
    /// Where each item starts, and whether it was kept (TeX is reported for kept items).
    starts: Vec<(usize, bool)>,
    /// Condition steps left for running response processing ([`STEP_BUDGET`]).
    budget: usize,
}

/// Steps (elements of response processing visited) one file may spend finding keys: every
/// response is tried, up to 1,023 for ten options, so a hostile file could otherwise take
/// hours. Real items take a few thousand steps each.
const STEP_BUDGET: usize = 50_000_000;

impl Reader<'_> {
    fn warn(&mut self, element: &Element, message: String) {
        let line = self.doc.line(element);
        self.warnings
            .push(Warning::new(self.source, Some(line), message));
    }

    fn note(&mut self, element: &Element, message: String) {
        let line = self.doc.line(element);
        self.warnings
            .push(Warning::note(self.source, Some(line), message));
    }

    fn walk(&mut self, element: &Element, sections: usize, topic: &str) {
        for child in element.elements() {
            match child.name.as_str() {
                "item" => {
                    let first = self.warnings.len();
                    let kept = self.item(child, topic);
                    self.starts.push((child.pos, kept));
                    self.warnings[first..].sort_by_key(|w| w.line);
                }
                "section" => {
                    let mut inner = topic.to_string();
                    if sections >= 1 {
                        let name = child
                            .attr("title")
                            .filter(|t| !slug(t).is_empty())
                            .or_else(|| child.attr("ident"))
                            .unwrap_or("");
                        if !slug(name).is_empty() {
                            inner = slug(name);
                        }
                    }
                    if child
                        .child("selection_ordering")
                        .and_then(|order| order.child("selection"))
                        .is_some()
                    {
                        self.note(child, "section selection (pick N of the group) is not held: every item is read".into());
                    }
                    self.walk(child, sections + 1, &inner);
                }
                "itemref" | "sectionref" => self.note(
                    child,
                    format!(
                        "<{}> to `{}` is not followed: import the file that holds it too",
                        child.raw,
                        child.attr("linkrefid").unwrap_or("")
                    ),
                ),
                _ => self.walk(child, sections, topic),
            }
        }
    }

    /// Reads one item; whether it was kept.
    fn item(&mut self, element: &Element, topic: &str) -> bool {
        self.ordinal += 1;
        let id = match slug(element.attr("ident").unwrap_or("")) {
            id if id.is_empty() => format!("{}-{}", self.prefix, self.ordinal),
            id => id,
        };
        let Some(mut item) = self.build(element, &id, topic) else {
            return false;
        };
        let problems = item_problems(&item);
        if !problems.is_empty() {
            self.warn(
                element,
                format!("item `{id}` skipped: {}", problems.join("; ")),
            );
            return false;
        }
        item.id = self.ids.claim(&id);
        if item.id != id {
            let message = format!("item id `{id}` is already used; renamed to `{}`", item.id);
            self.warn(element, message);
        }
        if !item.topic.is_empty() && !self.topics.contains(&item.topic) {
            self.topics.push(item.topic.clone());
        }
        self.items.push((self.doc.line(element), item));
        true
    }

    fn build(&mut self, element: &Element, id: &str, topic: &str) -> Option<Item> {
        let skip = |reader: &mut Self, at: &Element, why: String| {
            reader.warn(at, format!("item `{id}` skipped: {why}"));
            None
        };
        if let Some(kind) = metadata(element, "question_type")
            && !CANVAS_TYPES.contains(&kind.as_str())
        {
            let why = format!(
                "Canvas question type `{kind}` is not held; the bank holds {}",
                CANVAS_TYPES.join(", ")
            );
            return skip(self, element, why);
        }
        let Some(presentation) = element.child("presentation") else {
            return skip(self, element, "it has no <presentation>".into());
        };
        let responses: Vec<&Element> = presentation
            .descendants()
            .into_iter()
            .filter(|e| e.name.starts_with("response_") && e.name != "response_label")
            .collect();
        let response = match responses.as_slice() {
            [] => return skip(self, presentation, "it has no response to answer".into()),
            [one] if one.name == "response_lid" => *one,
            [one] => {
                let why = format!(
                    "<{}> is not held; the bank holds choice questions (<response_lid> with \
                     <render_choice>)",
                    one.raw
                );
                return skip(self, one, why);
            }
            [first, ..] => {
                let names: Vec<String> = responses.iter().map(|e| format!("<{}>", e.raw)).collect();
                let why = format!(
                    "it has {} responses ({}); a bank item has one choice",
                    responses.len(),
                    names.join(", ")
                );
                return skip(self, first, why);
            }
        };
        let kind = match response.attr("rcardinality").map(str::trim) {
            None | Some("Single") => ItemType::Single,
            Some("Multiple") => ItemType::Multiple,
            Some(other) => {
                let why = format!("rcardinality `{other}` is not held (Single or Multiple only)");
                return skip(self, response, why);
            }
        };
        let Some(render) = response
            .descendants()
            .into_iter()
            .find(|e| e.name.starts_with("render_"))
            .filter(|e| e.name == "render_choice")
        else {
            let what = response
                .descendants()
                .into_iter()
                .find(|e| e.name.starts_with("render_"))
                .map_or("no <render_choice>".to_string(), |e| {
                    format!("<{}> is not held", e.raw)
                });
            return skip(
                self,
                response,
                format!("{what}; the bank holds choice questions"),
            );
        };
        let labels: Vec<&Element> = render
            .descendants()
            .into_iter()
            .filter(|e| e.name == "response_label")
            .collect();
        if !(2..=10).contains(&labels.len()) {
            let why = format!("it has {} choices; a bank item has 2 to 10", labels.len());
            return skip(self, render, why);
        }
        if render
            .attr("shuffle")
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("yes"))
        {
            self.note(
                render,
                "shuffle=\"Yes\" is not held: options stay in source order".into(),
            );
        }
        let names: Vec<String> = labels
            .iter()
            .map(|l| l.attr("ident").unwrap_or("").trim().to_string())
            .collect();
        let respident = response.attr("ident").unwrap_or("").trim();
        let Some(processing) = Processing::new(element, respident, &names) else {
            let why = "it has no response processing (<resprocessing>) to take the key from";
            return skip(self, element, why.into());
        };
        let responses = responses_of(kind, names.len());
        let cost = responses.len() * processing.size();
        if cost > self.budget {
            let why = format!(
                "running its response processing for every response would take {cost} steps, \
                 more than the {} left for this file",
                self.budget
            );
            return skip(self, element, why);
        }
        self.budget -= cost;
        let mut outcomes = Vec::with_capacity(responses.len());
        for chosen in &responses {
            match processing.run(chosen) {
                Ok(outcome) => outcomes.push(outcome),
                Err((at, why)) => {
                    return skip(
                        self,
                        at,
                        format!("its response processing cannot be read: {why}"),
                    );
                }
            }
        }
        let key = self.key(element, id, kind, &responses, &outcomes, &names)?;
        let mut lost = Vec::new();
        let mut gathered = Gathered::default();
        self.gather(presentation, true, &mut gathered);
        let stem = self.markdown(gathered, "stem", &mut lost);
        let mut options = Vec::new();
        for (label, name) in labels.iter().zip(&names) {
            let mut gathered = Gathered::default();
            self.gather(label, false, &mut gathered);
            let text = self.markdown(gathered, &format!("choice {name}"), &mut lost);
            if text.trim().is_empty() {
                let why =
                    format!("choice {name} has no text (images and other media are not held)");
                return skip(self, label, why);
            }
            options.push(Choice {
                text,
                feedback: None,
            });
        }
        self.lost_warning(&lost);
        if stem.trim().is_empty() {
            return skip(self, element, "it has no question text".into());
        }
        let kind = if kind == ItemType::Single && is_true_false(&options) {
            ItemType::TrueFalse
        } else {
            kind
        };
        let pieces = self.feedback(element, kind, &key, &responses, &outcomes);
        let explanation =
            feedback::place(self.source, kind, &key, &mut options, pieces, self.warnings);
        Some(Item {
            explanation,
            ..Item::new(id.to_string(), topic.to_string(), kind, stem, options, key)
        })
    }

    /// The key: the response scored highest (for multiple response, the smallest such set),
    /// with a warning when scores show partial credit.
    fn key(
        &mut self,
        element: &Element,
        id: &str,
        kind: ItemType,
        responses: &[Vec<bool>],
        outcomes: &[Outcome],
        names: &[String],
    ) -> Option<Vec<usize>> {
        let best = outcomes.iter().map(|o| o.score).fold(f64::MIN, f64::max);
        let worst = outcomes.iter().map(|o| o.score).fold(f64::MAX, f64::min);
        let at = element.child("resprocessing").unwrap_or(element);
        if outcomes.is_empty() || best - worst < 1e-9 {
            let why = format!(
                "no response scores higher than another (every one scores {}): no key",
                number(best)
            );
            self.warn(at, format!("item `{id}` skipped: {why}"));
            return None;
        }
        let mut top: Vec<Vec<usize>> = responses
            .iter()
            .zip(outcomes)
            .filter(|(_, o)| best - o.score < 1e-9)
            .map(|(chosen, _)| (0..chosen.len()).filter(|&i| chosen[i]).collect())
            .collect();
        top.sort_by_key(Vec::len);
        let key = top[0].clone();
        if kind == ItemType::Multiple && top.get(1).is_some_and(|next| next.len() == key.len()) {
            let why = "several different responses score highest: no single key".to_string();
            self.warn(at, format!("item `{id}` skipped: {why}"));
            return None;
        }
        if kind != ItemType::Multiple && top.len() > 1 {
            let first = names[key[0]].clone();
            self.warn(
                at,
                format!(
                    "{} choices score highest but a single-choice item has one key: the first, \
                     `{first}`, is the key",
                    top.len()
                ),
            );
        }
        let mut scores: Vec<f64> = outcomes.iter().map(|o| o.score).collect();
        scores.sort_by(f64::total_cmp);
        scores.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
        if scores.len() > 2 {
            let shown = if kind == ItemType::Multiple {
                let shown: Vec<String> = scores.iter().map(|s| number(*s)).collect();
                format!("responses score {}", shown.join(", "))
            } else {
                let shown: Vec<String> = names
                    .iter()
                    .zip(outcomes)
                    .map(|(name, o)| format!("{name} = {}", number(o.score)))
                    .collect();
                shown.join(", ")
            };
            self.warn(
                at,
                format!(
                    "partial credit ({shown}) is not held: the key is the response scored \
                     highest, scored all or nothing"
                ),
            );
        }
        Some(key)
    }

    /// Every `itemfeedback`, with when the processing shows it.
    fn feedback(
        &mut self,
        element: &Element,
        kind: ItemType,
        key: &[usize],
        responses: &[Vec<bool>],
        outcomes: &[Outcome],
    ) -> Vec<Feedback> {
        let mut pieces = Vec::new();
        for item_feedback in element.elements().filter(|e| e.name == "itemfeedback") {
            let ident = item_feedback.attr("ident").unwrap_or("").to_string();
            let mut lost = Vec::new();
            let mut gathered = Gathered::default();
            self.gather(item_feedback, false, &mut gathered);
            let text = self.markdown(gathered, &format!("feedback {ident}"), &mut lost);
            self.lost_warning(&lost);
            if text.trim().is_empty() {
                continue;
            }
            let shown_for: Vec<bool> = outcomes
                .iter()
                .map(|o| o.feedback.contains(&ident))
                .collect();
            let shown = shown_when(kind, key, responses, &shown_for);
            let Some(shown) = shown else {
                self.warn(
                    item_feedback,
                    format!(
                        "feedback `{ident}` is never shown by the response processing: not held"
                    ),
                );
                continue;
            };
            pieces.push(Feedback {
                identifier: ident,
                text,
                line: self.doc.line(item_feedback),
                shown,
            });
        }
        pieces
    }
}

/// Every response to try: each single choice, or every non-empty set of choices.
fn responses_of(kind: ItemType, count: usize) -> Vec<Vec<bool>> {
    if kind == ItemType::Multiple {
        (1u32..(1 << count))
            .map(|mask| (0..count).map(|i| mask & (1 << i) != 0).collect())
            .collect()
    } else {
        (0..count)
            .map(|chosen| (0..count).map(|i| i == chosen).collect())
            .collect()
    }
}

/// When a feedback is shown, from whether each response shows it; `None` when none does.
fn shown_when(
    kind: ItemType,
    key: &[usize],
    responses: &[Vec<bool>],
    shown_for: &[bool],
) -> Option<Shown> {
    if !shown_for.contains(&true) {
        return None;
    }
    if !shown_for.contains(&false) {
        return Some(Shown::Always);
    }
    let is_key = |chosen: &Vec<bool>| (0..chosen.len()).all(|i| chosen[i] == key.contains(&i));
    if responses
        .iter()
        .zip(shown_for)
        .all(|(r, &s)| s == is_key(r))
    {
        return Some(Shown::Correct);
    }
    if responses
        .iter()
        .zip(shown_for)
        .all(|(r, &s)| s != is_key(r))
    {
        return Some(Shown::Incorrect);
    }
    // Shown exactly when one of some options is chosen.
    let count = responses.first().map_or(0, Vec::len);
    let alone: HashSet<usize> = responses
        .iter()
        .zip(shown_for)
        .filter(|(r, _)| r.iter().filter(|&&c| c).count() == 1)
        .filter(|(_, s)| **s)
        .filter_map(|(r, _)| r.iter().position(|&c| c))
        .collect();
    let by_choice = responses
        .iter()
        .zip(shown_for)
        .all(|(r, &s)| s == (0..count).any(|i| r[i] && alone.contains(&i)));
    if by_choice || kind != ItemType::Multiple {
        let mut choices: Vec<usize> = alone.into_iter().collect();
        choices.sort_unstable();
        return Some(Shown::Choices(choices));
    }
    Some(Shown::Unknown)
}

/// A `qtimetadatafield`'s entry by label (Canvas: `question_type`).
fn metadata(item: &Element, label: &str) -> Option<String> {
    let meta = item.child("itemmetadata")?;
    meta.descendants()
        .into_iter()
        .filter(|e| e.name == "qtimetadatafield")
        .find(|field| {
            field
                .child("fieldlabel")
                .is_some_and(|l| l.text().trim() == label)
        })
        .and_then(|field| field.child("fieldentry"))
        .map(|entry| entry.text().trim().to_string())
}

/// `100`, `0.5`, `-1`: a score as written.
fn number(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.to_string()
    }
}
