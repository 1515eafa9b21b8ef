//! The Markdown-subset tree written out: as Markdown text that reads back as the same tree
//! ([`emit`]), as XHTML for QTI ([`to_xhtml`]), and as plain text ([`plain_text`]).

use std::fmt::Write as _;

use super::markdown::{Block, Inline, bullet, numbered, parse};

/// Plain text (GIFT's `[plain]` and unformatted `[moodle]` text, Aiken) as Markdown-subset text
/// that shows exactly what was written: kept as it is when the shell would read no markup in
/// it, else with every `\`, `` ` ``, `*`, `[` and `]` escaped (`2*3*4` → `2\*3\*4`, shown
/// `2*3*4`). Line-start markers (`- `, `1. `) still make lists, as a plain-text author meant.
/// Underscores need nothing: the subset has no `_` emphasis, so `snake_case` shows as written.
pub(crate) fn literal(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '[' | ']') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    if parse(text) == parse(&escaped) {
        text.to_string()
    } else {
        escaped
    }
}

/// The words of Markdown-subset text without its formatting, spaces collapsed: what a learner
/// reads (`**Paris**` → `Paris`).
pub(crate) fn plain_words(markdown: &str) -> String {
    let mut text = String::new();
    for block in parse(markdown) {
        text.push(' ');
        match block {
            Block::Paragraph(inlines) => plain_text(&inlines, &mut text),
            Block::List { items, .. } => {
                for item in items {
                    text.push(' ');
                    plain_text(&item, &mut text);
                }
            }
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes blocks as Markdown-subset text that [`parse`]s back to the same blocks. Text is
/// written as is where that already reads back the same, else with backslash escapes; a block
/// whose formatting cannot be written at all (never the case for trees from [`parse`]) is
/// written as plain text, and the result's flag says so.
pub(crate) fn emit(blocks: &[Block]) -> (String, bool) {
    let mut lost = false;
    let mut out = Vec::new();
    for block in blocks {
        let written = [false, true]
            .into_iter()
            .map(|escape| emit_block(block, escape))
            .find(|text| parse(text).as_slice() == std::slice::from_ref(block))
            .or_else(|| {
                // Emphasis the subset cannot nest as written (`<i><b>a</b> b</i>`): the same
                // look with the marks regrouped (`***a*** *b*`).
                let canonical = canonical_block(block);
                [false, true]
                    .into_iter()
                    .map(|escape| emit_block(&canonical, escape))
                    .find(|text| {
                        let read: Vec<Block> = parse(text).iter().map(canonical_block).collect();
                        read.as_slice() == std::slice::from_ref(&canonical)
                    })
            });
        out.push(written.unwrap_or_else(|| {
            lost = true;
            emit_block(&plain_block(block), true)
        }));
    }
    (out.join("\n\n"), lost)
}

/// Bold and italic on a run of inline content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Marks {
    strong: bool,
    emphasis: bool,
}

/// A block that looks the same with its emphasis regrouped: every run of text carries its
/// marks, runs with the same marks are joined, bold always outside italic, spaces outside.
fn canonical_block(block: &Block) -> Block {
    match block {
        Block::Paragraph(inlines) => Block::Paragraph(canonical(inlines)),
        Block::List {
            ordered,
            start,
            items,
        } => Block::List {
            ordered: *ordered,
            start: *start,
            items: items.iter().map(|item| canonical(item)).collect(),
        },
    }
}

fn canonical(inlines: &[Inline]) -> Vec<Inline> {
    let mut leaves = Vec::new();
    collect_leaves(inlines, Marks::default(), &mut leaves);
    let mut out = Vec::new();
    let mut rest = leaves.as_slice();
    while let Some((marks, _)) = rest.first() {
        let marks = *marks;
        let run = rest.iter().take_while(|(m, _)| *m == marks).count();
        let group: Vec<Inline> = rest[..run].iter().map(|(_, node)| node.clone()).collect();
        rest = &rest[run..];
        match (marks.strong, marks.emphasis) {
            (true, true) => out.push(Inline::Strong(vec![Inline::Emphasis(group)])),
            (true, false) => out.push(Inline::Strong(group)),
            (false, true) => out.push(Inline::Emphasis(group)),
            (false, false) => out.extend(group),
        }
    }
    super::tidy::normalize(out)
}

fn collect_leaves(inlines: &[Inline], marks: Marks, out: &mut Vec<(Marks, Inline)>) {
    for node in inlines {
        match node {
            Inline::Text(_) | Inline::Code(_) => out.push((marks, node.clone())),
            Inline::Strong(children) => collect_leaves(
                children,
                Marks {
                    strong: true,
                    ..marks
                },
                out,
            ),
            Inline::Emphasis(children) => collect_leaves(
                children,
                Marks {
                    emphasis: true,
                    ..marks
                },
                out,
            ),
            Inline::Link { href, children } => out.push((
                marks,
                Inline::Link {
                    href: href.clone(),
                    children: canonical(children),
                },
            )),
        }
    }
}

fn emit_block(block: &Block, escape: bool) -> String {
    match block {
        Block::Paragraph(inlines) => {
            let mut line = String::new();
            emit_inlines(inlines, escape, &mut line);
            if escape {
                escape_line_start(&mut line);
            }
            line
        }
        Block::List {
            ordered,
            start,
            items,
        } => {
            let mut lines = Vec::new();
            for (n, item) in (*start..).zip(items) {
                let mut line = if *ordered {
                    format!("{n}. ")
                } else {
                    "- ".to_string()
                };
                emit_inlines(item, escape, &mut line);
                lines.push(line);
            }
            lines.join("\n")
        }
    }
}

/// A paragraph starting like a list item (`- x`, `1. x`) gets its marker escaped.
fn escape_line_start(line: &mut String) {
    if bullet(line).is_some() {
        let at = line.len() - line.trim_start().len();
        line.insert(at, '\\');
    } else if numbered(line).is_some() {
        let at = line.find(['.', ')']).unwrap_or(0);
        line.insert(at, '\\');
    }
}

fn emit_inlines(inlines: &[Inline], escape: bool, out: &mut String) {
    for node in inlines {
        match node {
            Inline::Text(text) if escape => {
                for c in text.chars() {
                    if matches!(c, '\\' | '`' | '*' | '[' | ']') {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            Inline::Text(text) => out.push_str(text),
            Inline::Strong(children) => {
                out.push_str("**");
                emit_inlines(children, escape, out);
                out.push_str("**");
            }
            Inline::Emphasis(children) => {
                out.push('*');
                emit_inlines(children, escape, out);
                out.push('*');
            }
            Inline::Code(code) => {
                let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
                let fence = "`".repeat(longest + 1);
                let pad = code.starts_with('`')
                    || code.ends_with('`')
                    || (code.len() >= 2 && code.starts_with(' ') && code.ends_with(' '));
                let pad = if pad { " " } else { "" };
                let _ = write!(out, "{fence}{pad}{code}{pad}{fence}");
            }
            Inline::Link { href, children } => {
                out.push('[');
                emit_inlines(children, escape, out);
                let _ = write!(out, "]({href})");
            }
        }
    }
}

/// The block with its inline formatting removed (text and code text kept).
fn plain_block(block: &Block) -> Block {
    let plain = |inlines: &[Inline]| {
        let mut text = String::new();
        plain_text(inlines, &mut text);
        vec![Inline::Text(text)]
    };
    match block {
        Block::Paragraph(inlines) => Block::Paragraph(plain(inlines)),
        Block::List {
            ordered,
            start,
            items,
        } => Block::List {
            ordered: *ordered,
            start: *start,
            items: items.iter().map(|item| plain(item)).collect(),
        },
    }
}

/// The text of inline nodes without their formatting.
pub(crate) fn plain_text(inlines: &[Inline], out: &mut String) {
    for node in inlines {
        match node {
            Inline::Text(text) | Inline::Code(text) => out.push_str(text),
            Inline::Strong(children)
            | Inline::Emphasis(children)
            | Inline::Link { children, .. } => plain_text(children, out),
        }
    }
}

/// XHTML for blocks: `<p>`, `<ul>`/`<ol start>` with `<li>`, `<strong>`, `<em>`, `<code>`,
/// `<a href>`. With `inline_single`, a lone paragraph is written as its inline content only
/// (for places that take inline content: choices, inline feedback, a prompt).
pub(crate) fn to_xhtml(blocks: &[Block], inline_single: bool, out: &mut String) {
    if inline_single && let [Block::Paragraph(inlines)] = blocks {
        xhtml_inlines(inlines, out);
        return;
    }
    for block in blocks {
        match block {
            Block::Paragraph(inlines) => {
                out.push_str("<p>");
                xhtml_inlines(inlines, out);
                out.push_str("</p>");
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                let tag = if *ordered { "ol" } else { "ul" };
                if *ordered && *start != 1 {
                    let _ = write!(out, "<ol start=\"{start}\">");
                } else {
                    let _ = write!(out, "<{tag}>");
                }
                for item in items {
                    out.push_str("<li>");
                    xhtml_inlines(item, out);
                    out.push_str("</li>");
                }
                let _ = write!(out, "</{tag}>");
            }
        }
    }
}

fn xhtml_inlines(inlines: &[Inline], out: &mut String) {
    for node in inlines {
        match node {
            Inline::Text(text) => escape_xml(text, out),
            Inline::Strong(children) => {
                out.push_str("<strong>");
                xhtml_inlines(children, out);
                out.push_str("</strong>");
            }
            Inline::Emphasis(children) => {
                out.push_str("<em>");
                xhtml_inlines(children, out);
                out.push_str("</em>");
            }
            Inline::Code(code) => {
                out.push_str("<code>");
                escape_xml(code, out);
                out.push_str("</code>");
            }
            Inline::Link { href, children } => {
                out.push_str("<a href=\"");
                escape_xml(href, out);
                out.push_str("\">");
                xhtml_inlines(children, out);
                out.push_str("</a>");
            }
        }
    }
}

/// Escapes text for XML content and double-quoted attribute values. Characters XML 1.0 cannot
/// hold (most C0 controls) are dropped.
pub(crate) fn escape_xml(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_string())
    }

    #[test]
    fn emit_writes_text_as_is_where_it_reads_back_the_same() {
        for source in [
            "What does `MSH|^~\\&|` hold? Choose **one**.",
            "2 * 3 * 4 and [not a link]",
            "A *quoted \"phrase\"* here\n\n- a\n- b",
        ] {
            assert_eq!(emit(&parse(source)), (source.to_string(), false));
        }
    }

    #[test]
    fn emphasis_the_subset_cannot_nest_is_regrouped_to_look_the_same() {
        // `<i><b>a</b> b</i>` and `<i>x</i><b>y</b>`: written as they nest, the shell would read
        // stray asterisks.
        let nested = vec![Block::Paragraph(vec![Inline::Emphasis(vec![
            Inline::Strong(vec![text("a")]),
            text(" b"),
        ])])];
        assert_eq!(emit(&nested), ("***a*** *b*".to_string(), false));
        assert_eq!(
            parse("***a*** *b*"),
            vec![Block::Paragraph(vec![
                Inline::Strong(vec![Inline::Emphasis(vec![text("a")])]),
                text(" "),
                Inline::Emphasis(vec![text("b")]),
            ])]
        );
    }

    #[test]
    fn literal_text_reads_back_as_written() {
        for typed in [
            "2*3*4",
            "a_snake_case_name",
            "`x`",
            "[a](https://e.org)",
            r"\(x\)",
        ] {
            let stored = literal(typed);
            assert_eq!(parse(&stored), vec![Block::Paragraph(vec![text(typed)])]);
        }
        assert_eq!(literal("2 * 3 * 4"), "2 * 3 * 4");
        assert_eq!(literal("a_snake_case_name"), "a_snake_case_name");
    }

    #[test]
    fn emit_escapes_only_where_needed() {
        let blocks = vec![Block::Paragraph(vec![text("1. not a list *x*")])];
        let (written, lost) = emit(&blocks);
        assert!(!lost);
        assert_eq!(written, "1\\. not a list \\*x\\*");
        assert_eq!(parse(&written), blocks);
        let code = vec![Block::Paragraph(vec![Inline::Code("a`b".into())])];
        assert_eq!(emit(&code).0, "``a`b``");
        assert_eq!(parse(&emit(&code).0), code);
    }
}
