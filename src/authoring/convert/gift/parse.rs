//! Reading GIFT (see the module documentation of `gift` for what becomes what).

use super::html;
use super::meta::Meta;
use super::syntax::{TextFormat, escape, unescape, weight, with_format};
use crate::bank::{Choice, Item, ItemType};
use crate::convert::{
    ConvertError, Ids, Imported, Sourced, Warning, finish, id_prefix, item_problems, slug, tex,
};
use crate::markup::{emit, flatten_html, literal, mathml_message};

/// The largest number of options a bank item holds.
const MAX_OPTIONS: usize = 10;

/// Questions separated by blank lines: the first line's number and the trimmed lines.
struct Block<'t> {
    line: usize,
    lines: Vec<&'t str>,
}

/// The state of an import.
struct Reader<'s> {
    source: &'s str,
    prefix: String,
    ids: Ids,
    /// The current `$CATEGORY:` as a topic id; empty before the first.
    topic: String,
    topics: Vec<String>,
    items: Vec<Sourced>,
    warnings: Vec<Warning>,
    /// Questions seen so far, skipped ones included (numbers unnamed questions).
    ordinal: usize,
    /// The first multiple-response question's line, and how many there are.
    multiple: Option<(usize, usize)>,
    /// Whether the question being read had HTML converted, and what was dropped.
    html: Option<Vec<String>>,
    /// Warnings about the question being read, raised with its line if it is kept.
    pending: Vec<String>,
    /// Warnings with their own lines (TeX), raised if the question is kept.
    placed: Vec<(usize, String)>,
}

pub(super) fn import(source: &str, text: &str) -> Result<Imported, ConvertError> {
    let mut reader = Reader {
        source,
        prefix: id_prefix(source),
        ids: Ids::new(),
        topic: String::new(),
        topics: Vec::new(),
        items: Vec::new(),
        warnings: Vec::new(),
        ordinal: 0,
        multiple: None,
        html: None,
        pending: Vec::new(),
        placed: Vec::new(),
    };
    for block in blocks(crate::convert::strip_bom(text)) {
        reader.block(&block);
    }
    if let Some((line, count)) = reader.multiple {
        let message = format!(
            "{count} multiple-response question{} (the first here): GIFT's partial credit is \
             dropped; a bank item is right only when exactly its keyed options are chosen",
            if count == 1 { "" } else { "s" }
        );
        reader
            .warnings
            .push(Warning::note(source, Some(line), message));
    }
    finish(source, reader.items, reader.topics, reader.warnings)
}

fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    for (index, line) in text.split('\n').enumerate() {
        let line = line.trim();
        if line.is_empty() {
            blocks.extend(current.take());
        } else {
            current
                .get_or_insert(Block {
                    line: index + 1,
                    lines: Vec::new(),
                })
                .lines
                .push(line);
        }
    }
    blocks.extend(current);
    blocks
}
/// How a question ended up: imported, or skipped for a reason.
type Outcome = Result<Item, String>;

impl Reader<'_> {
    fn warn(&mut self, line: usize, message: impl Into<String>) {
        let warning = Warning::new(self.source, Some(line), message);
        self.warnings.push(warning);
    }

    fn block(&mut self, block: &Block) {
        let mut meta = Meta::default();
        let mut lines = block.lines.clone();
        for (offset, line) in lines.iter_mut().enumerate() {
            if let Some(comment) = line.strip_prefix("//") {
                if let Err(reason) = meta.read(comment.trim()) {
                    self.warn(
                        block.line + offset,
                        format!("metadata comment ignored: {reason}"),
                    );
                }
                *line = "";
            }
        }
        let escaped = escape(&lines.join("\n"));
        // The line of a part of `escaped`: the block's first line plus the line breaks before.
        let line_of = |part: &str| {
            let at = (part.as_ptr() as usize)
                .saturating_sub(escaped.as_ptr() as usize)
                .min(escaped.len());
            block.line
                + escaped.as_bytes()[..at]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
        };
        let mut text = escaped.trim();
        if let Some(category) = text.strip_prefix("$CATEGORY:") {
            let (name, rest) = category.split_once('\n').unwrap_or((category, ""));
            self.category(line_of(text), &unescape(name));
            text = rest.trim();
        }
        if text.is_empty() {
            return;
        }
        self.ordinal += 1;
        let line = line_of(text);
        self.html = None;
        self.pending.clear();
        let written = lines.join("\n");
        // TeX as the question's text format reads it: in `[markdown]`, `\(` is an escape.
        let after_name = text
            .strip_prefix("::")
            .and_then(|rest| rest.find("::").map(|end| &rest[end + 2..]))
            .unwrap_or(text);
        let spans = match with_format(after_name, TextFormat::Moodle).0 {
            TextFormat::Markdown => tex::markdown_warnings(&written),
            _ => tex::warnings(&written),
        };
        self.placed = spans
            .into_iter()
            .map(|(at, message)| (tex::line_in(&written, block.line, at), message))
            .collect();
        match self.question(text, &line_of) {
            Ok(mut item) => {
                if !meta.is_empty() {
                    meta.apply(&mut item);
                }
                self.keep(line, item, &meta);
            }
            Err(reason) => self.warn(line, reason),
        }
    }

    /// A `$CATEGORY:` path: its last part becomes the topic. Moodle's context prefix
    /// (`$course$`, `$system$`…) and its `top` category are not topics.
    fn category(&mut self, line: usize, path: &str) {
        // Moodle writes a `/` inside a category name as `//`.
        let path = path.trim().replace("//", "\u{E008}");
        let mut parts: Vec<&str> = path.split('/').map(str::trim).collect();
        if parts
            .first()
            .is_some_and(|p| p.len() > 1 && p.starts_with('$') && p.ends_with('$'))
        {
            parts.remove(0);
            if parts.first() == Some(&"top") {
                parts.remove(0);
            }
        }
        let Some(leaf) = parts.iter().rev().find(|part| !part.is_empty()) else {
            self.topic = String::new();
            return;
        };
        let leaf = leaf.replace('\u{E008}', "/");
        let topic = slug(&leaf);
        if topic.is_empty() {
            self.warn(
                line,
                format!(
                    "category `{}` has no letters or digits for a topic id; the questions \
                     that follow get the default topic",
                    path.replace('\u{E008}', "//")
                ),
            );
        }
        self.topic = topic;
    }

    /// Checks a parsed item against the bank format, gives it its id, and keeps it.
    fn keep(&mut self, line: usize, mut item: Item, meta: &Meta) {
        let mut problems = item_problems(&item);
        if !problems.is_empty() && !meta.is_empty() {
            // Bad metadata comments should not cost the question: drop them and retry.
            let mut bare = item.clone();
            Meta::default().apply(&mut bare);
            if item_problems(&bare).is_empty() {
                self.warn(
                    line,
                    format!("metadata comments ignored: {}", problems.join("; ")),
                );
                item = bare;
                problems.clear();
            }
        }
        if !problems.is_empty() {
            self.warn(line, format!("question skipped: {}", problems.join("; ")));
            return;
        }
        for message in std::mem::take(&mut self.pending) {
            self.warn(line, message);
        }
        for (at, message) in std::mem::take(&mut self.placed) {
            self.warn(at, message);
        }
        if item.kind == ItemType::Multiple {
            let (_, count) = self.multiple.get_or_insert((line, 0));
            *count += 1;
        }
        match self.html.take() {
            Some(dropped) if !dropped.is_empty() => self.warn(
                line,
                format!(
                    "HTML converted to the bank's Markdown subset; markup it cannot hold was \
                     dropped: {}",
                    dropped.join(", ")
                ),
            ),
            Some(_) => self.warnings.push(Warning::note(
                self.source,
                Some(line),
                "HTML converted to the bank's Markdown subset",
            )),
            None => {}
        }
        let wanted = if item.id.is_empty() {
            format!("{}-{}", self.prefix, self.ordinal)
        } else {
            item.id.clone()
        };
        item.id = self.ids.claim(&wanted);
        if item.id != wanted {
            let message = format!(
                "id `{wanted}` is already used; this question gets `{}`",
                item.id
            );
            self.warn(line, message);
        }
        if !item.topic.is_empty() && !self.topics.contains(&item.topic) {
            self.topics.push(item.topic.clone());
        }
        self.items.push((line, item));
    }

    /// Parses one question (escaped text, trimmed); `line_of` gives the line a part of it
    /// starts on.
    fn question(&mut self, text: &str, line_of: &dyn Fn(&str) -> usize) -> Outcome {
        let mut name = None;
        let mut text = text;
        if let Some(rest) = text.strip_prefix("::") {
            let end = rest
                .find("::")
                .ok_or("question skipped: `::` opens a question name that is never closed")?;
            let written = unescape(&rest[..end]);
            name = Some(slug(written.trim()));
            if name.as_deref() == Some("") && !written.trim().is_empty() {
                self.pending.push(format!(
                    "name `{}` has no letters or digits for an id; the question is numbered",
                    written.trim()
                ));
            }
            text = rest[end + 2..].trim();
        }
        let at = |offset: usize| line_of(&text[offset..]);
        let unopened = |close: usize| {
            Err(format!(
                "question skipped: `}}` on line {} closes no answer block (a literal brace is \
                 written `\\}}`)",
                at(close)
            ))
        };
        let (open, close) = match (text.find('{'), text.find('}')) {
            (None, None) => {
                return Err(
                    "description (text without an answer block `{…}`) skipped: a bank holds \
                     only questions"
                        .to_string(),
                );
            }
            (Some(open), None) => {
                return Err(format!(
                    "question skipped: `{{` on line {} opens an answer block that is never \
                     closed (a literal brace is written `\\{{`)",
                    at(open)
                ));
            }
            (None, Some(close)) => return unopened(close),
            (Some(open), Some(close)) if close < open => return unopened(close),
            (Some(open), Some(close)) => (open, close),
        };
        if let Some(nested) = text[open + 1..close].find('{') {
            return Err(format!(
                "question skipped: `{{` on line {} inside an answer block (a literal brace is \
                 written `\\{{`)",
                at(open + 1 + nested)
            ));
        }
        if let Some(extra) = text[close + 1..].find(['{', '}']) {
            return Err(format!(
                "question skipped: a second answer block on line {}; a question has one (a \
                 literal brace is written `\\{{` or `\\}}`)",
                at(close + 1 + extra)
            ));
        }
        let after = &text[close + 1..];
        let stem = if after.trim().is_empty() {
            text[..open].to_string()
        } else {
            format!("{}_____{after}", &text[..open])
        };
        let mut answer = text[open + 1..close].trim();
        let mut general = "";
        if let Some(at) = answer.rfind("####") {
            general = &answer[at + 4..];
            answer = answer[..at].trim();
        }
        let (format, stem) = with_format(&stem, TextFormat::Moodle);
        let stem = self.render(format, stem);
        if stem.is_empty() {
            return Err("question skipped: it has no text before its answer block".to_string());
        }
        let (general_format, general) = with_format(general, format);
        let explanation = Some(self.render(general_format, general)).filter(|t| !t.is_empty());
        let (kind, options, key) = self.answers(answer, format)?;
        let id = name.unwrap_or_default();
        Ok(Item {
            explanation,
            ..Item::new(id, self.topic.clone(), kind, stem, options, key)
        })
    }

    /// The type, options and key of an answer block's text (escaped, trimmed).
    fn answers(
        &mut self,
        answer: &str,
        format: TextFormat,
    ) -> Result<(ItemType, Vec<Choice>, Vec<usize>), String> {
        let unsupported = |kind: &str| {
            Err(format!(
                "{kind} question skipped: a bank holds single-choice, multiple-response and \
                 true/false items"
            ))
        };
        if answer.is_empty() {
            return unsupported("essay");
        }
        if answer.starts_with('#') {
            return unsupported("numerical");
        }
        if answer.contains('~') {
            return self.choices(answer, format);
        }
        if answer.contains('=') && answer.contains("->") {
            return unsupported("matching");
        }
        let truth = answer.split('#').next().unwrap_or("").trim();
        let value = match truth {
            "T" | "TRUE" => true,
            "F" | "FALSE" => false,
            _ if ["t", "true", "f", "false"].contains(&truth.to_lowercase().as_str()) => {
                return Err(format!(
                    "short-answer question skipped: true/false is written in capitals \
                     (`{{T}}`, `{{TRUE}}`, `{{F}}`, `{{FALSE}}`), not `{{{truth}}}`"
                ));
            }
            _ => return unsupported("short-answer"),
        };
        let mut parts = answer.splitn(3, '#').skip(1);
        let mut feedback = |part: Option<&str>| {
            let (format, text) = with_format(part.unwrap_or(""), format);
            Some(self.render(format, text)).filter(|t| !t.is_empty())
        };
        let if_wrong = feedback(parts.next());
        let if_right = feedback(parts.next());
        let (true_feedback, false_feedback) = if value {
            (if_right, if_wrong)
        } else {
            (if_wrong, if_right)
        };
        let options = vec![
            Choice {
                text: "True".to_string(),
                feedback: true_feedback,
            },
            Choice {
                text: "False".to_string(),
                feedback: false_feedback,
            },
        ];
        Ok((ItemType::TrueFalse, options, vec![usize::from(!value)]))
    }

    /// A multiple-choice answer block: `=right ~wrong` or weighted `~%50%a ~%-100%b`.
    fn choices(
        &mut self,
        answer: &str,
        format: TextFormat,
    ) -> Result<(ItemType, Vec<Choice>, Vec<usize>), String> {
        let single = answer.contains('=');
        let marked = answer.replace('=', "~=");
        let mut parts: Vec<&str> = marked.split('~').map(str::trim).collect();
        if parts.first().is_some_and(|first| first.is_empty()) {
            parts.remove(0);
        }
        if parts.len() < 2 {
            return Err(format!(
                "question skipped: a choice question needs at least 2 options, this one has {}",
                parts.len()
            ));
        }
        if parts.len() > MAX_OPTIONS {
            return Err(format!(
                "question skipped: it has {} options; a bank item holds at most {MAX_OPTIONS}",
                parts.len()
            ));
        }
        let mut options = Vec::with_capacity(parts.len());
        let mut weights = Vec::with_capacity(parts.len());
        for (index, part) in parts.iter().enumerate() {
            let (weight, rest) = match part.strip_prefix('=') {
                Some(rest) => (1.0, rest),
                None => weight(part).unwrap_or((0.0, part)),
            };
            let (text, feedback) = rest.split_once('#').unwrap_or((rest, ""));
            let (text_format, text) = with_format(text, format);
            let text = self.render(text_format, text);
            if text.is_empty() {
                return Err(format!(
                    "question skipped: option {} has no text",
                    index + 1
                ));
            }
            let (feedback_format, feedback) = with_format(feedback, format);
            let feedback = Some(self.render(feedback_format, feedback)).filter(|t| !t.is_empty());
            options.push(Choice { text, feedback });
            weights.push(weight);
        }
        let percent = |w: f64| format!("{}%", (w * 1e5).round() / 1e3);
        if single {
            let key: Vec<usize> = (0..weights.len())
                .filter(|&i| weights[i] > 0.99999)
                .collect();
            if key.len() > 1 {
                return Err(format!(
                    "question skipped: {} options are marked right; a single-choice question \
                     has one (a multiple-response question gives its right options weights \
                     such as `~%50%`)",
                    key.len()
                ));
            }
            let partial: Vec<String> = weights
                .iter()
                .filter(|&&w| w > 0.0 && w <= 0.99999)
                .map(|&w| percent(w))
                .collect();
            if !partial.is_empty() {
                self.pending.push(format!(
                    "options with partial credit ({}) count as wrong: a single-choice item has \
                     one right answer",
                    partial.join(", ")
                ));
            }
            return Ok((ItemType::Single, options, key));
        }
        let key: Vec<usize> = (0..weights.len()).filter(|&i| weights[i] > 0.0).collect();
        if key.is_empty() {
            return Err(
                "question skipped: no option is right (mark it `=right`, or give the right \
                 options positive weights such as `~%50%`)"
                    .to_string(),
            );
        }
        let positive: Vec<f64> = key.iter().map(|&i| weights[i]).collect();
        let total: f64 = positive.iter().sum();
        let equal = positive.iter().all(|w| (w - positive[0]).abs() < 1e-3);
        if !equal || (total - 1.0).abs() > 1e-3 {
            let shown: Vec<String> = positive.iter().map(|&w| percent(w)).collect();
            self.pending.push(format!(
                "partial-credit weights ({}) cannot be held: the item is right only when \
                 exactly the options with a positive weight are chosen",
                shown.join(", ")
            ));
        }
        Ok((ItemType::Multiple, options, key))
    }

    /// The bank text of a GIFT text (escaped, format prefix removed): Markdown as written,
    /// plain text kept literal, HTML converted.
    fn render(&mut self, format: TextFormat, text: &str) -> String {
        let text = unescape(text.trim());
        let text = text.trim();
        let convert = match format {
            TextFormat::Html => true,
            TextFormat::Moodle => html::has_html_tags(text),
            TextFormat::Plain | TextFormat::Markdown => false,
        };
        if !convert {
            return match format {
                TextFormat::Markdown => text.to_string(),
                _ => literal(text),
            };
        }
        // Moodle's auto-format turns line breaks into breaks; `[html]` ignores them.
        let flat = flatten_html(text, format == TextFormat::Moodle);
        let seen = self.html.get_or_insert_with(Vec::new);
        for what in flat.lost {
            if !seen.contains(&what) {
                seen.push(what);
            }
        }
        for formula in &flat.math {
            self.pending.push(mathml_message(formula));
        }
        let (markdown, plain) = emit(&flat.blocks);
        if plain {
            self.pending.push(
                "formatting that cannot be written in the Markdown subset became plain text".into(),
            );
        }
        markdown
    }
}
