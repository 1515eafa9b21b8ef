//! HTML and XHTML flattened to the bank's Markdown subset, for QTI item bodies (XHTML elements
//! in the XML tree) and Moodle question text (HTML in a string, read by the lenient tokenizer in
//! [`super::html`]).
//!
//! Kept: paragraphs and other blocks (as paragraphs), `<br>` (a paragraph break), lists (one
//! level: nested items join the outer list), `strong`/`b`, `em`/`i`, `code`/`kbd`/`samp`/`tt`,
//! `pre` (one code line per line), headings (bold paragraphs), http(s) links. Ruby annotations
//! are written as the base text with the reading in parentheses after it
//! (`<ruby>北海道<rt>ほっかいどう</rt></ruby>` → `北海道 (ほっかいどう)`; `<rp>` fallbacks are
//! dropped). MathML becomes a line of plain text ([`super::mathml`]), each formula listed in
//! [`Flattened::math`] so the importer can warn with its line. Dropped with a note in
//! [`Flattened::lost`]: images, tables' layout, super/subscripts, underline and
//! strike-through, block quotes (their text stays), scripts, styles, media, links to anything
//! but http(s), unknown elements. Whitespace collapses as HTML renders it; a no-break space
//! becomes a space.

use super::markdown::{Block, Inline};
use super::mathml::MathText;
use super::ruby::Ruby;
use super::tidy::normalize;

/// Inline formatting nested deeper than this is ignored (its text is kept): it bounds the
/// depth of the tree, and recursion over it, whatever the input.
const MAX_FRAMES: usize = 12;
/// Elements left open (never closed) past this many are ignored, tags and all, so that closing
/// tags never search a long list.
const MAX_OPEN: usize = 256;

/// Blocks read from markup, and what could not be held.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Flattened {
    pub blocks: Vec<Block>,
    /// Markup not held (`<img>`, `<table>`, …), each once, in first-seen order.
    pub lost: Vec<String>,
    /// Byte offset of the first lost element, when the caller passed offsets.
    pub lost_at: Option<usize>,
    /// Every MathML formula, in order, as it was written into the text.
    pub math: Vec<Formula>,
}

impl Flattened {
    /// Appends another part: its blocks after these, its losses and formulas after these.
    pub fn append(&mut self, part: Flattened) {
        self.blocks.extend(part.blocks);
        for tag in part.lost {
            if !self.lost.contains(&tag) {
                self.lost.push(tag);
            }
        }
        self.lost_at = self.lost_at.or(part.lost_at);
        self.math.extend(part.math);
    }
}

/// A MathML formula written as plain text.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Formula {
    /// What the text holds in its place (empty when the formula has no text).
    pub text: String,
    /// Whether `text` is the author's `alttext` rather than a reading of the markup.
    pub from_alttext: bool,
    /// Byte offset of the `<math>` element, when the caller passed offsets.
    pub pos: Option<usize>,
}

/// The attributes the flattener reads: a link's target, an ordered list's first number, a
/// formula's text alternative.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Attrs<'a> {
    pub href: Option<&'a str>,
    pub start: Option<&'a str>,
    pub alttext: Option<&'a str>,
}

/// What the end of an open element does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    Transparent,
    Block,
    Inline,
    Heading,
    List,
    Item,
    Pre,
    Skip,
    Row,
    /// The `<math>` element, and the elements inside it.
    Math,
    MathPart,
    Ruby,
    /// `<rt>`/`<rtc>` (the reading) or `<rp>` (a fallback parenthesis) inside a ruby.
    RubyText,
}

#[derive(Debug)]
enum Frame {
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Link(String, Vec<Inline>),
    Code(String),
}

#[derive(Debug)]
struct ListState {
    ordered: bool,
    start: u64,
    items: Vec<Vec<Inline>>,
    depth: usize,
}

/// Receives start tags, end tags and text in document order and builds blocks.
#[derive(Debug, Default)]
pub(crate) struct Flattener {
    blocks: Vec<Block>,
    /// The inline content of the current paragraph or list item.
    root: Vec<Inline>,
    frames: Vec<Frame>,
    open: Vec<(String, Effect)>,
    list: Option<ListState>,
    in_item: bool,
    code: usize,
    pre: Option<String>,
    skip: usize,
    cells: usize,
    newline_breaks: bool,
    math: Option<(MathText, Option<usize>)>,
    ruby: Option<Ruby>,
    out: Flattened,
}

impl Flattener {
    /// A flattener; with `newline_breaks`, a newline in text is a paragraph break (Moodle's
    /// auto-format and plain text).
    pub fn new(newline_breaks: bool) -> Flattener {
        Flattener {
            newline_breaks,
            ..Flattener::default()
        }
    }

    /// An element starts. `name` is lowercase; `pos` is the element's byte offset, where the
    /// source has one.
    pub fn start(&mut self, name: &str, attrs: Attrs<'_>, pos: Option<usize>) {
        if self.open.len() >= MAX_OPEN && !is_void(name) {
            return;
        }
        if self.skip == 0 && self.pre.is_none() && !is_void(name) {
            if let Some((math, _)) = &mut self.math {
                math.start(name);
                self.open.push((name.to_string(), Effect::MathPart));
                return;
            }
            if let Some(ruby) = &mut self.ruby {
                let effect = if ruby.start(name) {
                    Effect::RubyText
                } else {
                    Effect::Transparent
                };
                self.open.push((name.to_string(), effect));
                return;
            }
        }
        let effect = if self.skip > 0 {
            Effect::Transparent
        } else if self.pre.is_some() {
            if name == "br" {
                self.pre_text("\n");
            }
            Effect::Transparent
        } else {
            self.effect_of_start(name, attrs, pos)
        };
        if is_void(name) {
            return; // never opened: nothing inside it, no end tag
        }
        if effect == Effect::Skip {
            self.skip += 1;
        }
        self.open.push((name.to_string(), effect));
    }

    fn effect_of_start(&mut self, name: &str, attrs: Attrs<'_>, pos: Option<usize>) -> Effect {
        match name {
            "p" | "div" | "section" | "article" | "aside" | "header" | "footer" | "nav"
            | "main" | "address" | "center" | "figure" | "figcaption" | "dl" | "dt" | "dd"
            | "caption" | "hr" | "br" | "body" | "html" | "details" | "summary" | "fieldset"
            | "legend" | "tbody" | "thead" | "tfoot" => {
                self.flush();
                Effect::Block
            }
            "blockquote" => {
                self.note(name, pos);
                self.flush();
                Effect::Block
            }
            "table" => {
                self.note(name, pos);
                self.flush();
                Effect::Block
            }
            "tr" => {
                self.flush();
                self.cells = 0;
                Effect::Row
            }
            "td" | "th" => {
                if self.cells > 0 {
                    self.text(" | ");
                }
                self.cells += 1;
                Effect::Transparent
            }
            "strong" | "b" | "em" | "i" | "cite" | "dfn" | "var" | "code" | "kbd" | "samp"
            | "tt" | "a"
                if self.frames.len() >= MAX_FRAMES =>
            {
                Effect::Transparent
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if self.frames.len() >= MAX_FRAMES => {
                self.flush();
                Effect::Block
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                self.frames.push(Frame::Strong(Vec::new()));
                Effect::Heading
            }
            "ul" | "ol" => {
                self.flush();
                match &mut self.list {
                    Some(list) => {
                        list.depth += 1;
                        self.note("nested list", pos);
                    }
                    None => {
                        let start = attrs.start.and_then(|s| s.trim().parse::<u64>().ok());
                        self.list = Some(ListState {
                            ordered: name == "ol",
                            // As many digits as a Markdown list number may have.
                            start: start.filter(|n| *n <= 999_999_999).unwrap_or(1),
                            items: Vec::new(),
                            depth: 1,
                        });
                    }
                }
                Effect::List
            }
            "li" => {
                self.flush();
                if self.list.is_none() {
                    self.list = Some(ListState {
                        ordered: false,
                        start: 1,
                        items: Vec::new(),
                        depth: 0,
                    });
                }
                if let Some(list) = &mut self.list {
                    list.items.push(Vec::new());
                }
                self.in_item = true;
                Effect::Item
            }
            "pre" => {
                self.flush();
                self.pre = Some(String::new());
                Effect::Pre
            }
            "strong" | "b" if self.code == 0 => {
                self.frames.push(Frame::Strong(Vec::new()));
                Effect::Inline
            }
            "em" | "i" | "cite" | "dfn" | "var" if self.code == 0 => {
                self.frames.push(Frame::Emphasis(Vec::new()));
                Effect::Inline
            }
            "code" | "kbd" | "samp" | "tt" if self.code == 0 => {
                self.code += 1;
                self.frames.push(Frame::Code(String::new()));
                Effect::Inline
            }
            "a" => match attrs.href {
                Some(url) if super::markdown::is_safe_url(url.trim()) && self.code == 0 => {
                    self.frames
                        .push(Frame::Link(url.trim().to_string(), Vec::new()));
                    Effect::Inline
                }
                Some(url) if !url.trim().is_empty() && !url.trim().starts_with('#') => {
                    self.note("a link to something other than http(s)", pos);
                    Effect::Transparent
                }
                _ => Effect::Transparent,
            },
            "strong" | "b" | "em" | "i" | "cite" | "dfn" | "var" | "code" | "kbd" | "samp"
            | "tt" | "span" | "font" | "small" | "big" | "abbr" | "acronym" | "bdi" | "bdo"
            | "time" | "data" | "label" | "q" | "wbr" | "nobr" => Effect::Transparent,
            "math" => {
                self.math = Some((MathText::new(attrs.alttext), pos));
                Effect::Math
            }
            "ruby" => {
                self.ruby = Some(Ruby::default());
                Effect::Ruby
            }
            "rt" | "rp" | "rb" | "rtc" => Effect::Transparent,
            "sub" | "sup" | "u" | "ins" | "s" | "strike" | "del" | "mark" => {
                self.note(name, pos);
                Effect::Transparent
            }
            "script" | "style" | "head" | "title" | "template" | "noscript" | "object"
            | "embed" | "iframe" | "video" | "audio" | "svg" | "canvas" | "map" | "applet"
            | "form" | "select" | "textarea" | "button" | "input" | "img" | "picture"
            | "source" | "track" | "area" | "meta" | "link" | "base" | "param" => {
                if !matches!(name, "head" | "title" | "meta" | "link" | "base") {
                    self.note(name, pos);
                }
                Effect::Skip
            }
            _ => {
                self.note(name, pos);
                Effect::Transparent
            }
        }
    }

    /// The innermost open element with this name ends (with the ones opened inside it).
    pub fn end(&mut self, name: &str) {
        let Some(at) = self.open.iter().rposition(|(open, _)| open == name) else {
            return;
        };
        while self.open.len() > at {
            if let Some((_, effect)) = self.open.pop() {
                self.close(effect);
            }
        }
    }

    fn close(&mut self, effect: Effect) {
        if self.skip > 0 {
            if effect == Effect::Skip {
                self.skip -= 1;
            }
            return;
        }
        match effect {
            Effect::Transparent | Effect::Skip => {}
            Effect::MathPart => {
                if let Some((math, _)) = &mut self.math {
                    math.end();
                }
            }
            Effect::Math => {
                if let Some((math, pos)) = self.math.take() {
                    let (text, from_alttext) = math.finish();
                    self.collapsed(&text);
                    self.out.math.push(Formula {
                        text,
                        from_alttext,
                        pos,
                    });
                }
            }
            Effect::RubyText => {
                if let Some(ruby) = &mut self.ruby {
                    ruby.end_annotation();
                }
            }
            Effect::Ruby => {
                if let Some(ruby) = self.ruby.take() {
                    self.collapsed(&ruby.finish());
                }
            }
            Effect::Block | Effect::Row => self.flush(),
            Effect::Inline => self.close_frame(),
            Effect::Heading => {
                self.close_frame();
                self.flush();
            }
            Effect::Item => {
                self.flush();
                self.in_item = false;
            }
            Effect::List => {
                self.flush();
                let done = match &mut self.list {
                    Some(list) => {
                        list.depth = list.depth.saturating_sub(1);
                        list.depth == 0
                    }
                    None => false,
                };
                if done {
                    self.finish_list();
                } else {
                    self.in_item = self.list.is_some();
                }
            }
            Effect::Pre => {
                let text = self.pre.take().unwrap_or_default();
                for line in text.lines() {
                    let line = line.trim_end();
                    if !line.trim().is_empty() {
                        self.blocks
                            .push(Block::Paragraph(vec![Inline::Code(line.to_string())]));
                    }
                }
            }
        }
    }

    fn close_frame(&mut self) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let node = match frame {
            Frame::Strong(children) => Inline::Strong(children),
            Frame::Emphasis(children) => Inline::Emphasis(children),
            Frame::Link(href, children) => Inline::Link { href, children },
            Frame::Code(code) => {
                self.code = self.code.saturating_sub(1);
                Inline::Code(code)
            }
        };
        self.push_inline(node);
    }

    fn push_inline(&mut self, node: Inline) {
        match self.frames.last_mut() {
            Some(
                Frame::Strong(children) | Frame::Emphasis(children) | Frame::Link(_, children),
            ) => children.push(node),
            Some(Frame::Code(code)) => {
                let mut text = String::new();
                super::render::plain_text(std::slice::from_ref(&node), &mut text);
                code.push_str(&text);
            }
            None => self.root.push(node),
        }
    }

    /// Character data.
    pub fn text(&mut self, text: &str) {
        if self.skip > 0 {
            return;
        }
        if self.pre.is_some() {
            self.pre_text(text);
            return;
        }
        if let Some((math, _)) = &mut self.math {
            math.text(text);
            return;
        }
        if let Some(ruby) = &mut self.ruby {
            ruby.text(text);
            return;
        }
        let mut pieces = if self.newline_breaks {
            text.split('\n').collect::<Vec<_>>()
        } else {
            vec![text]
        };
        let last = pieces.pop().unwrap_or_default();
        for piece in pieces {
            self.collapsed(piece);
            self.flush();
        }
        self.collapsed(last);
    }

    fn pre_text(&mut self, text: &str) {
        if let Some(pre) = &mut self.pre {
            pre.push_str(text);
        }
    }

    fn collapsed(&mut self, text: &str) {
        let mut out = String::with_capacity(text.len());
        let mut space = false;
        for c in text.chars() {
            if c.is_whitespace() || c == '\u{a0}' {
                space = true;
            } else {
                if space {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
        if space {
            out.push(' ');
        }
        if out.is_empty() {
            return;
        }
        match self.frames.last_mut() {
            Some(Frame::Code(code)) => code.push_str(&out),
            _ => self.push_inline(Inline::Text(out)),
        }
    }

    /// Ends the current paragraph or list-item content; open inline elements continue into
    /// the next one.
    fn flush(&mut self) {
        let kinds: Vec<Frame> = self
            .frames
            .iter()
            .map(|frame| match frame {
                Frame::Strong(_) => Frame::Strong(Vec::new()),
                Frame::Emphasis(_) => Frame::Emphasis(Vec::new()),
                Frame::Link(href, _) => Frame::Link(href.clone(), Vec::new()),
                Frame::Code(_) => Frame::Code(String::new()),
            })
            .collect();
        let code = self.code;
        while !self.frames.is_empty() {
            self.close_frame();
        }
        self.frames = kinds;
        self.code = code;
        let content = normalize(std::mem::take(&mut self.root));
        if content.is_empty() {
            return;
        }
        match &mut self.list {
            Some(list) => {
                if !self.in_item || list.items.is_empty() {
                    list.items.push(Vec::new());
                    self.in_item = true;
                }
                if let Some(item) = list.items.last_mut() {
                    if !item.is_empty() {
                        item.push(Inline::Text(" ".into()));
                    }
                    item.extend(content); // tidied as a whole when the list ends
                }
            }
            None => self.blocks.push(Block::Paragraph(content)),
        }
    }

    fn finish_list(&mut self) {
        if let Some(list) = self.list.take() {
            let items: Vec<Vec<Inline>> = list
                .items
                .into_iter()
                .map(normalize)
                .filter(|item| !item.is_empty())
                .collect();
            if !items.is_empty() {
                self.blocks.push(Block::List {
                    ordered: list.ordered,
                    start: list.start,
                    items,
                });
            }
        }
        self.in_item = false;
    }

    fn note(&mut self, what: &str, pos: Option<usize>) {
        let what = if what.contains(' ') {
            what.to_string()
        } else {
            format!("<{what}>")
        };
        if !self.out.lost.contains(&what) {
            self.out.lost.push(what);
        }
        if self.out.lost_at.is_none() {
            self.out.lost_at = pos;
        }
    }

    /// The blocks, with anything still open closed.
    pub fn finish(mut self) -> Flattened {
        while let Some((_, effect)) = self.open.pop() {
            self.close(effect);
        }
        self.flush();
        self.finish_list();
        self.out.blocks = std::mem::take(&mut self.blocks);
        self.out
    }
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "br" | "hr"
            | "img"
            | "input"
            | "meta"
            | "link"
            | "area"
            | "base"
            | "col"
            | "embed"
            | "source"
            | "track"
            | "wbr"
            | "param"
    )
}
