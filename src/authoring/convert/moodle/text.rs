//! Moodle's text fields (`<questiontext format="…"><text>…</text>`) in the bank's Markdown
//! subset: HTML and auto-format flattened, plain text kept literal, Markdown kept with a
//! warning for what the subset does not read; what is dropped, and each MathML formula, is
//! kept with its line for the warnings.

use crate::convert::tex;
use crate::markup::{Element, Flattened, emit, flatten_html, flatten_plain, mathml_message};

use super::Reader;

/// Markup dropped from a question's fields: (what, field), and the first line; and each
/// MathML formula's warning with its line.
#[derive(Default)]
pub(super) struct Lost {
    pub what: Vec<String>,
    pub line: Option<usize>,
    pub plain: Vec<String>,
    pub formulas: Vec<(usize, String)>,
}

impl Reader<'_> {
    /// A text field (`<x format="…"><text>…</text></x>`) in the Markdown subset.
    pub(super) fn field(
        &mut self,
        element: Option<&Element>,
        name: &str,
        lost: &mut Lost,
    ) -> String {
        let Some(element) = element else {
            return String::new();
        };
        let Some(text_element) = element.child("text") else {
            return String::new();
        };
        let text = text_element.text();
        let format = element.attr("format").unwrap_or("moodle_auto_format");
        let flat: Flattened = match format {
            "html" => flatten_html(&text, false),
            "plain_text" => flatten_plain(&text),
            "markdown" => {
                let beyond = markdown_beyond_subset(&text);
                if !beyond.is_empty() {
                    lost.what.push(format!(
                        "Markdown {} ({name}; shown as literal text)",
                        beyond.join(", ")
                    ));
                    lost.line.get_or_insert(self.doc.line(text_element));
                }
                return text.replace("\r\n", "\n").trim().to_string();
            }
            _ => flatten_html(&text, true),
        };
        let files = element.elements().filter(|e| e.name == "file").count()
            + text_element.elements().filter(|e| e.name == "file").count();
        for what in &flat.lost {
            lost.what.push(format!("{what} ({name})"));
        }
        if files > 0 {
            lost.what.push(format!(
                "{files} embedded file{} ({name})",
                if files == 1 { "" } else { "s" }
            ));
        }
        if !flat.lost.is_empty() || files > 0 {
            lost.line.get_or_insert(self.doc.line(text_element));
        }
        let first = self.doc.line(text_element);
        for formula in &flat.math {
            let line = tex::line_in(&text, first, formula.pos.unwrap_or(0));
            lost.formulas
                .push((line, format!("{} ({name})", mathml_message(formula))));
        }
        let (markdown, plain) = emit(&flat.blocks);
        if plain {
            lost.plain.push(name.to_string());
        }
        markdown
    }
}

/// The text of `<name><text>…</text></name>` (or of the element itself when it has no `<text>`).
pub(super) fn child_text(parent: &Element, name: &str) -> String {
    match parent.child(name) {
        Some(element) => match element.child("text") {
            Some(text) => text.text(),
            None => element.text(),
        },
        None => String::new(),
    }
}

/// A field's text with markup and whitespace reduced, for comparing with Moodle's defaults.
pub(super) fn plain(text: &str) -> String {
    let flat = flatten_html(text, false);
    emit(&flat.blocks).0
}

/// What Moodle Markdown uses that the bank's subset does not: headings, block quotes, fenced
/// code, images, underscore emphasis, HTML.
fn markdown_beyond_subset(text: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    let mut note = |what: &'static str| {
        if !found.contains(&what) {
            found.push(what);
        }
    };
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with('#') && line.trim_start_matches('#').starts_with(' ') {
            note("headings");
        }
        if line.starts_with("> ") {
            note("block quotes");
        }
        if line.starts_with("```") || line.starts_with("~~~") {
            note("fenced code");
        }
    }
    if text.contains("![") {
        note("images");
    }
    if text.contains("__")
        || text
            .split_whitespace()
            .any(|w| w.len() > 2 && w.starts_with('_') && w.ends_with('_'))
    {
        note("underscore emphasis");
    }
    if has_tag(text) {
        note("HTML");
    }
    found
}

/// Whether the text holds something that looks like an HTML tag (`<b>`, `</p>`).
fn has_tag(text: &str) -> bool {
    text.match_indices('<').any(|(at, _)| {
        let rest = &text[at + 1..];
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        rest.starts_with(|c: char| c.is_ascii_alphabetic())
            && rest
                .find(['>', '<', '\n'])
                .is_some_and(|end| rest.as_bytes()[end] == b'>')
    })
}
