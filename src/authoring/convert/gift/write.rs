//! Writing a bank as GIFT (see the module documentation of `gift`).

use super::meta;
use crate::bank::{Bank, Item, ItemType};

pub(super) fn export(bank: &Bank) -> String {
    let mut out = format!(
        "// {} ({}), version {}, language {}: exported by skillcat.\n// Difficulty, \
         calibration, status, tags, enemies and references are in the comments above each \
         question;\n// `skillcat import` reads them back.\n",
        one_line(&bank.title),
        bank.id,
        one_line(&bank.version),
        bank.language,
    );
    let mut topic: Option<&str> = None;
    let mut ignored = Vec::new();
    for item in &bank.items {
        if topic != Some(item.topic.as_str()) {
            topic = Some(&item.topic);
            let title = bank
                .topics
                .iter()
                .find(|t| t.id == item.topic)
                .map_or("", |t| t.title.as_str());
            out.push_str(&format!(
                "\n// topic: {}\n$CATEGORY: {}\n",
                one_line(title),
                item.topic
            ));
        }
        out.push('\n');
        meta::write(item, &mut out, &mut ignored);
        question(item, &mut out);
    }
    out
}

pub(super) fn losses(bank: &Bank) -> Vec<String> {
    let mut losses = vec![
        "the bank's title, description, version, language and levels are not held by GIFT \
         (the title, version and language are in the first comment); give them to \
         `skillcat import` again"
            .to_string(),
    ];
    if bank.topics.iter().any(|topic| {
        topic.weight.is_some() || topic.title != super::super::title_from_slug(&topic.id)
    }) {
        losses.push(
            "topic titles and weights are not held by GIFT (each `$CATEGORY:` is the topic id, \
             with the title in a comment)"
                .to_string(),
        );
    }
    for item in &bank.items {
        if item.kind == ItemType::TrueFalse && !is_true_false(item) {
            losses.push(format!(
                "item `{}`: a true/false item whose options are not `True`, `False` is written \
                 as single choice",
                item.id
            ));
        }
        let mut scratch = String::new();
        meta::write(item, &mut scratch, &mut losses);
    }
    losses
}

/// Whether GIFT's `{TRUE}`/`{FALSE}` holds the item: options `True` then `False`.
fn is_true_false(item: &Item) -> bool {
    item.kind == ItemType::TrueFalse
        && item.options.len() == 2
        && item.options[0].text == "True"
        && item.options[1].text == "False"
        && item.key.len() == 1
}

fn question(item: &Item, out: &mut String) {
    out.push_str(&format!("::{}::[markdown]{}", item.id, escape(&item.stem)));
    if is_true_false(item) {
        let right = item.key[0];
        let wrong = 1 - right;
        out.push_str(if right == 0 { "{TRUE" } else { "{FALSE" });
        let feedback = |index: usize| item.options[index].feedback.as_deref().map(text);
        match (feedback(wrong), feedback(right)) {
            (None, None) => {}
            (Some(wrong), None) => out.push_str(&format!("#{wrong}")),
            (wrong, Some(right)) => {
                out.push_str(&format!("#{}#{right}", wrong.unwrap_or_default()));
            }
        }
        if let Some(explanation) = &item.explanation {
            out.push_str(&format!("####{}", text(explanation)));
        }
        out.push_str("}\n");
        return;
    }
    out.push_str("{\n");
    let multiple = item.kind == ItemType::Multiple;
    let share = weight(item.key.len());
    for (index, option) in item.options.iter().enumerate() {
        let keyed = item.key.contains(&index);
        let mark = match (multiple, keyed) {
            (false, true) => "=".to_string(),
            (true, true) => format!("~%{share}%"),
            (true, false) => "~%-100%".to_string(),
            // An explicit 0% keeps a text that starts with `%` from reading as a weight.
            (false, false) if option.text.starts_with('%') => "~%0%".to_string(),
            (false, false) => "~".to_string(),
        };
        out.push_str(&format!("\t{mark}{}", text(&option.text)));
        if let Some(feedback) = &option.feedback {
            out.push_str(&format!("#{}", text(feedback)));
        }
        out.push('\n');
    }
    if let Some(explanation) = &item.explanation {
        out.push_str(&format!("\t####{}\n", text(explanation)));
    }
    out.push_str("}\n");
}

/// Each of `keys` right options' share of 100%, as Moodle writes it (`50`, `33.33333`).
fn weight(keys: usize) -> String {
    let share = 100.0 / keys.max(1) as f64;
    let rounded = (share * 1e5).round() / 1e5;
    format!("{rounded}")
}

/// A text that is not the stem: escaped, with `[markdown]` before one that starts with `[`
/// (which would otherwise be read as a format).
fn text(text: &str) -> String {
    let escaped = escape(text);
    if escaped.starts_with('[') {
        format!("[markdown]{escaped}")
    } else {
        escaped
    }
}

/// Escapes GIFT's special characters and line breaks, as Moodle's `repchar` does.
pub(super) fn escape(text: &str) -> String {
    let text = text.trim();
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '~' | '=' | '#' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Text on one line, for a comment.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}
