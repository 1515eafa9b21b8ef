//! The bank's Markdown subset as a tree: paragraphs, bullet and numbered lists, `**bold**`,
//! `*italic*`, `` `code` `` and `[links](https://…)` (quizbanks/README.md).
//!
//! [`parse`] follows the shell's renderer (`www/lib/markdown.js`) rule for rule, so a tree read
//! here is what a learner sees; it differs only in keeping a link's URL as written (the browser
//! normalizes it) and in giving up on emphasis nested more than [`MAX_NESTING`] deep (and on
//! delimiters past a scanning budget). `render.rs` writes trees back out.

/// Emphasis nested deeper than this is read as literal text (it bounds recursion on hostile
/// input; real text nests two levels).
pub(crate) const MAX_NESTING: usize = 6;

const ESCAPABLE: &str = "\\`*_[]()#+-.!<>";

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    Paragraph(Vec<Inline>),
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Inline>>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Code(String),
    Link { href: String, children: Vec<Inline> },
}

/// Parses Markdown-subset text into blocks, as the shell does.
pub(crate) fn parse(source: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<String> = Vec::new();
    let mut list: Option<(bool, u64, Vec<Vec<String>>)> = None;
    let flush_paragraph = |paragraph: &mut Vec<String>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(parse_inline(&paragraph.join(" "))));
            paragraph.clear();
        }
    };
    let flush_list = |list: &mut Option<(bool, u64, Vec<Vec<String>>)>, blocks: &mut Vec<Block>| {
        if let Some((ordered, start, items)) = list.take() {
            blocks.push(Block::List {
                ordered,
                start,
                items: items
                    .iter()
                    .map(|lines| parse_inline(&lines.join(" ")))
                    .collect(),
            });
        }
    };
    let source = source.replace("\r\n", "\n").replace('\r', "\n");
    for raw in source.split('\n') {
        let line = raw.trim_end();
        if line.trim().is_empty() {
            flush_paragraph(&mut paragraph, &mut blocks);
            flush_list(&mut list, &mut blocks);
            continue;
        }
        let marker = bullet(line)
            .map(|rest| (false, 1, rest))
            .or_else(|| numbered(line).map(|(n, rest)| (true, n, rest)));
        if let Some((ordered, start, rest)) = marker {
            flush_paragraph(&mut paragraph, &mut blocks);
            if list.as_ref().is_some_and(|(o, _, _)| *o != ordered) {
                flush_list(&mut list, &mut blocks);
            }
            let (_, _, items) = list.get_or_insert((ordered, start, Vec::new()));
            items.push(vec![rest.to_string()]);
        } else if let Some((_, _, items)) = list
            .as_mut()
            .filter(|_| raw.starts_with(char::is_whitespace))
        {
            if let Some(last) = items.last_mut() {
                last.push(line.trim().to_string()); // an indented continuation line
            }
        } else {
            flush_list(&mut list, &mut blocks);
            paragraph.push(line.trim().to_string());
        }
    }
    flush_paragraph(&mut paragraph, &mut blocks);
    flush_list(&mut list, &mut blocks);
    blocks
}

/// `^\s{0,3}[-*]\s+(.*)$`
pub(super) fn bullet(line: &str) -> Option<&str> {
    let rest = strip_indent(line)?;
    let rest = rest.strip_prefix(['-', '*'])?;
    after_space(rest)
}

/// `^\s{0,3}(\d{1,9})[.)]\s+(.*)$`
pub(super) fn numbered(line: &str) -> Option<(u64, &str)> {
    let rest = strip_indent(line)?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if !(1..=9).contains(&digits) {
        return None;
    }
    let number = rest[..digits].parse().ok()?;
    let rest = rest[digits..].strip_prefix(['.', ')'])?;
    Some((number, after_space(rest)?))
}

fn strip_indent(line: &str) -> Option<&str> {
    let rest = line.trim_start();
    (line[..line.len() - rest.len()].chars().count() <= 3).then_some(rest)
}

fn after_space(rest: &str) -> Option<&str> {
    let trimmed = rest.trim_start();
    (trimmed.len() < rest.len()).then_some(trimmed)
}

/// Parses one run of inline text.
pub(crate) fn parse_inline(text: &str) -> Vec<Inline> {
    let chars: Vec<char> = text.chars().collect();
    let mut budget = STEP_BUDGET;
    inline(&chars, 0, &mut budget)
}

/// Scanning steps one inline run may take. The shell's rules rescan the rest of the text for
/// every unmatched delimiter (quadratic or worse on hostile input); past this budget every
/// remaining delimiter reads as literal text. Real text uses a few hundred steps.
const STEP_BUDGET: usize = 2_000_000;

fn inline(text: &[char], depth: usize, budget: &mut usize) -> Vec<Inline> {
    let mut nodes = Vec::new();
    let mut literal = String::new();
    let push_text = |literal: &mut String, nodes: &mut Vec<Inline>| {
        if !literal.is_empty() {
            nodes.push(Inline::Text(std::mem::take(literal)));
        }
    };
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if c == '\\' && text.get(i + 1).is_some_and(|n| ESCAPABLE.contains(*n)) {
            literal.push(text[i + 1]);
            i += 2;
            continue;
        }
        if c == '`' {
            let run = run_length(text, i, '`');
            if let Some(close) = find_run(text, i + run, run, budget) {
                push_text(&mut literal, &mut nodes);
                let code: String = text[i + run..close].iter().collect();
                nodes.push(Inline::Code(strip_code_padding(code)));
                i = close + run;
            } else {
                literal.extend(&text[i..i + run]);
                i += run;
            }
            continue;
        }
        if c == '*' {
            let strong = text.get(i + 1) == Some(&'*');
            let width = if strong { 2 } else { 1 };
            if let Some(close) = find_closer(text, i + width, width, depth, budget) {
                push_text(&mut literal, &mut nodes);
                let children = inline(&text[i + width..close], depth + 1, budget);
                nodes.push(if strong {
                    Inline::Strong(children)
                } else {
                    Inline::Emphasis(children)
                });
                i = close + width;
                continue;
            }
            literal.extend(&text[i..i + width]);
            i += width;
            continue;
        }
        if c == '['
            && depth < MAX_NESTING
            && let Some((href, label, end)) = parse_link(text, i, budget)
        {
            push_text(&mut literal, &mut nodes);
            let children = inline(label, depth + 1, budget);
            nodes.push(Inline::Link { href, children });
            i = end;
            continue;
        }
        literal.push(c);
        i += 1;
    }
    push_text(&mut literal, &mut nodes);
    nodes
}

/// `/^ (.*) $/` → `$1`: one space each side is padding when both are there.
fn strip_code_padding(code: String) -> String {
    if code.chars().count() >= 2 && code.starts_with(' ') && code.ends_with(' ') {
        code[1..code.len() - 1].to_string()
    } else {
        code
    }
}

fn run_length(text: &[char], at: usize, c: char) -> usize {
    text[at..].iter().take_while(|&&x| x == c).count()
}

/// Takes `steps` from the budget; false when it is spent.
fn spend(budget: &mut usize, steps: usize) -> bool {
    match budget.checked_sub(steps) {
        Some(left) => {
            *budget = left;
            true
        }
        None => {
            *budget = 0;
            false
        }
    }
}

/// The first index ≥ `from` where `run` backticks start (`indexOf` of the run string).
fn find_run(text: &[char], from: usize, run: usize, budget: &mut usize) -> Option<usize> {
    let last = text.len().checked_sub(run)?;
    if !spend(budget, last.saturating_sub(from) + 1) {
        return None;
    }
    (from..=last).find(|&i| text[i..i + run].iter().all(|&c| c == '`'))
}

/// The index of the delimiter (`width` 1 = `*`, 2 = `**`) closing an emphasis opened just
/// before `from`, following the shell's `findCloser`.
fn find_closer(
    text: &[char],
    from: usize,
    width: usize,
    depth: usize,
    budget: &mut usize,
) -> Option<usize> {
    if depth >= MAX_NESTING || from >= text.len() || text[from].is_whitespace() {
        return None;
    }
    let mut i = from;
    while i < text.len() {
        if !spend(budget, 1) {
            return None;
        }
        if text[i] == '\\' {
            i += 2;
            continue;
        }
        if text[i] == '`' {
            let run = run_length(text, i, '`');
            i = find_run(text, i + run, run, budget).map_or(i + run, |close| close + run);
            continue;
        }
        if text[i] != '*' {
            i += 1;
            continue;
        }
        let run = run_length(text, i, '*');
        let closes = i > from && !text[i - 1].is_whitespace();
        if width == 1 {
            if closes && run != 2 {
                return Some(i);
            }
            if run == 2 {
                i = find_closer(text, i + 2, 2, depth + 1, budget).map_or(i + 2, |inner| inner + 2);
            } else {
                i += run;
            }
            continue;
        }
        if closes && run >= 2 {
            return Some(i);
        }
        if run == 1 {
            i = find_closer(text, i + 1, 1, depth + 1, budget).map_or(i + 1, |inner| inner + 1);
        } else {
            i += run;
        }
    }
    None
}

/// `[label](url)` at `at` with an http(s) URL: (href, label, index after the `)`).
fn parse_link<'t>(
    text: &'t [char],
    at: usize,
    budget: &mut usize,
) -> Option<(String, &'t [char], usize)> {
    let mut depth = 0usize;
    let mut close = None;
    let mut i = at;
    while i < text.len() {
        if !spend(budget, 1) {
            return None;
        }
        match text[i] {
            '\\' => i += 1,
            '[' => depth += 1,
            ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let close = close?;
    if text.get(close + 1) != Some(&'(') {
        return None;
    }
    let mut parens = 0usize;
    let mut end = None;
    for (i, &c) in text.iter().enumerate().skip(close + 2) {
        if !spend(budget, 1) {
            return None;
        }
        if c == '(' {
            parens += 1;
        } else if c == ')' {
            if parens == 0 {
                end = Some(i);
                break;
            }
            parens -= 1;
        }
    }
    let end = end?;
    let href: String = text[close + 2..end].iter().collect();
    let label = &text[at + 1..close];
    if !is_safe_url(&href) || label.iter().all(|c| c.is_whitespace()) {
        return None;
    }
    Some((href, label, end + 1))
}

/// An absolute http(s) URL without whitespace or control characters.
pub(crate) fn is_safe_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && url.len() > lower.find("//").map_or(0, |i| i + 2)
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_string())
    }

    #[test]
    fn parses_like_the_shell() {
        assert_eq!(
            parse("A **bold** and *it* `c*d` [x](https://e.org)\n\n- one\n- two\n\n3. three"),
            vec![
                Block::Paragraph(vec![
                    text("A "),
                    Inline::Strong(vec![text("bold")]),
                    text(" and "),
                    Inline::Emphasis(vec![text("it")]),
                    text(" "),
                    Inline::Code("c*d".into()),
                    text(" "),
                    Inline::Link {
                        href: "https://e.org".into(),
                        children: vec![text("x")]
                    },
                ]),
                Block::List {
                    ordered: false,
                    start: 1,
                    items: vec![vec![text("one")], vec![text("two")]]
                },
                Block::List {
                    ordered: true,
                    start: 3,
                    items: vec![vec![text("three")]]
                },
            ]
        );
        assert_eq!(
            parse("2 * 3 * 4"),
            vec![Block::Paragraph(vec![text("2 * 3 * 4")])]
        );
        assert_eq!(
            parse("**a *b***"),
            vec![Block::Paragraph(vec![Inline::Strong(vec![
                text("a "),
                Inline::Emphasis(vec![text("b")])
            ])])]
        );
    }

    /// A tree in the shell's shape (`www/lib/markdown.js`), as the shared corpus writes it.
    fn shell_shape(blocks: &[Block]) -> serde_json::Value {
        use serde_json::json;
        fn inlines(nodes: &[Inline]) -> serde_json::Value {
            nodes
                .iter()
                .map(|node| match node {
                    Inline::Text(text) => json!({"type": "text", "text": text}),
                    Inline::Strong(children) => {
                        json!({"type": "strong", "children": inlines(children)})
                    }
                    Inline::Emphasis(children) => {
                        json!({"type": "em", "children": inlines(children)})
                    }
                    Inline::Code(text) => json!({"type": "code", "text": text}),
                    Inline::Link { href, children } => {
                        json!({"type": "link", "href": href, "children": inlines(children)})
                    }
                })
                .collect()
        }
        blocks
            .iter()
            .map(|block| match block {
                Block::Paragraph(children) => json!({"type": "p", "children": inlines(children)}),
                Block::List { ordered: false, items, .. } => {
                    json!({"type": "ul", "items": items.iter().map(|i| inlines(i)).collect::<Vec<_>>()})
                }
                Block::List { ordered: true, start, items } => json!({
                    "type": "ol",
                    "start": start,
                    "items": items.iter().map(|i| inlines(i)).collect::<Vec<_>>(),
                }),
            })
            .collect()
    }

    /// The corpus both renderers are held to (the shell's side is
    /// tests/www/markdown-corpus.test.mjs). Its links are written as the browser normalizes
    /// them, since this reader keeps a URL as written.
    #[test]
    fn reads_the_shared_corpus_as_the_shell_does() {
        let corpus: serde_json::Value =
            serde_json::from_str(include_str!("../../tests/fixtures/markdown/corpus.json"))
                .expect("the corpus is JSON");
        let cases = corpus["cases"].as_array().expect("cases");
        assert!(cases.len() >= 40, "the corpus lost cases");
        for case in cases {
            let source = case["source"].as_str().expect("source");
            assert_eq!(
                shell_shape(&parse(source)),
                case["blocks"],
                "case {:?}: {source:?}",
                case["name"]
            );
        }
    }

    #[test]
    fn hostile_nesting_stays_bounded() {
        let source = "**a *".repeat(5000);
        let _ = parse(&source);
    }
}
