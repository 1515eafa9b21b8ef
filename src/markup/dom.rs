//! A small element tree read with quick-xml, with the byte offset of every element so that
//! warnings can name a line. Shared by the QTI and Moodle XML importers.
//!
//! Namespace prefixes are dropped (`qti:choiceInteraction` is `choiceInteraction`); with
//! [`Names::Qti`] the QTI 3.0 spelling is folded onto the 2.x one (`qti-choice-interaction` and
//! its `max-choices` attribute become `choiceInteraction` and `maxChoices`), so one reader serves
//! 2.1, 2.2 and 3.0. The original spelling stays in [`Element::raw`] for messages. Undeclared
//! entities other than the XML and common HTML ones are errors; DTDs are never expanded.

use quick_xml::XmlVersion;
use quick_xml::errors::IllFormedError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::entities::html_entity;

/// Deeper nesting than this is refused (real items nest a dozen levels; recursion stays bounded).
pub(crate) const MAX_DEPTH: usize = 200;

/// How element and attribute names are spelled in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Names {
    /// Local names as written.
    AsWritten,
    /// QTI 3.0 kebab-case names folded onto QTI 2.x camelCase.
    Qti,
}

/// An element: its (local, possibly folded) name, attributes, children and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Element {
    pub name: String,
    /// The name as written in the source, prefix included (`qti-simple-choice`).
    pub raw: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    /// Byte offset of the `<` that opens the element.
    pub pos: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

/// A parsed document: the root element and a way to turn byte offsets into lines.
#[derive(Debug)]
pub(crate) struct Document {
    pub root: Element,
    lines: Lines,
}

/// A document that is not well-formed: a one-based line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlError {
    pub line: usize,
    pub message: String,
}

/// Byte offsets of line starts, for offset → one-based line.
#[derive(Debug, Clone)]
pub(crate) struct Lines(Vec<usize>);

impl Lines {
    pub fn new(text: &str) -> Lines {
        Lines(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// The one-based line holding byte `pos`.
    pub fn line(&self, pos: usize) -> usize {
        self.0.partition_point(|&newline| newline < pos) + 1
    }
}

impl Document {
    /// The one-based line of an element.
    pub fn line(&self, element: &Element) -> usize {
        self.lines.line(element.pos)
    }

    /// The one-based line holding byte `pos`.
    pub fn line_at(&self, pos: usize) -> usize {
        self.lines.line(pos)
    }
}

impl Element {
    /// An attribute's value by (folded) local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|node| match node {
            Node::Element(element) => Some(element),
            Node::Text(_) => None,
        })
    }

    /// The first child element with this name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|element| element.name == name)
    }

    /// Every descendant element, in document order.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.elements().collect();
        stack.reverse();
        while let Some(next) = stack.pop() {
            out.push(next);
            let start = stack.len();
            stack.extend(next.elements());
            stack[start..].reverse();
        }
        out
    }

    /// The text of the element and its descendants, concatenated.
    pub fn text(&self) -> String {
        let mut out = String::new();
        collect_text(self, &mut out);
        out
    }
}

fn collect_text(element: &Element, out: &mut String) {
    for node in &element.children {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element(child) => collect_text(child, out),
        }
    }
}

/// Parses a whole document.
///
/// # Errors
///
/// [`XmlError`] with the line of the first problem: syntax, mismatched or unclosed tags, an
/// undefined entity, content outside the root element, nesting deeper than [`MAX_DEPTH`].
pub(crate) fn parse(text: &str, names: Names) -> Result<Document, XmlError> {
    let lines = Lines::new(text);
    let fail = |pos: usize, message: String| XmlError {
        line: lines.line(pos),
        message,
    };
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let start = position(reader.buffer_position());
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => {
                let opened = match (&error, stack.last()) {
                    (
                        quick_xml::Error::IllFormed(IllFormedError::MismatchedEndTag { .. }),
                        Some(open),
                    ) => {
                        format!(" (<{}> opened on line {})", open.raw, lines.line(open.pos))
                    }
                    _ => String::new(),
                };
                return Err(fail(
                    position(reader.error_position()),
                    format!("not well-formed XML: {error}{opened}"),
                ));
            }
        };
        match event {
            Event::Start(tag) | Event::Empty(tag) if root.is_some() => {
                let name = String::from_utf8_lossy(tag.name().as_ref()).into_owned();
                return Err(fail(
                    start,
                    format!("not well-formed XML: element <{name}> after the root element"),
                ));
            }
            Event::Start(tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(fail(
                        start,
                        format!("elements nested more than {MAX_DEPTH} deep"),
                    ));
                }
                stack.push(element(&tag, start, names).map_err(|m| fail(start, m))?);
            }
            Event::Empty(tag) => {
                let element = element(&tag, start, names).map_err(|m| fail(start, m))?;
                close(element, &mut stack, &mut root);
            }
            Event::End(_) => match stack.pop() {
                Some(element) => close(element, &mut stack, &mut root),
                None => {
                    return Err(fail(start, "not well-formed XML: unmatched end tag".into()));
                }
            },
            Event::Text(content) => {
                let text = content
                    .xml10_content()
                    .map_err(|e| fail(start, format!("not well-formed XML: {e}")))?;
                push_text(&mut stack, &text).map_err(|m| fail(start, m))?;
            }
            Event::CData(content) => {
                let text = content
                    .xml10_content()
                    .map_err(|e| fail(start, format!("not well-formed XML: {e}")))?;
                push_text(&mut stack, &text).map_err(|m| fail(start, m))?;
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = String::from_utf8_lossy(&reference).into_owned();
                        match entity(&name) {
                            Some(text) => text.to_string(),
                            None => {
                                return Err(fail(
                                    start,
                                    format!("not well-formed XML: undefined entity &{name};"),
                                ));
                            }
                        }
                    }
                    Err(e) => return Err(fail(start, format!("not well-formed XML: {e}"))),
                };
                push_text(&mut stack, &resolved).map_err(|m| fail(start, m))?;
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(fail(
            open.pos,
            format!(
                "not well-formed XML: <{}> is never closed (the document ends first)",
                open.raw
            ),
        ));
    }
    match root {
        Some(root) => Ok(Document { root, lines }),
        None => Err(fail(text.len(), "no root element (empty document)".into())),
    }
}

fn position(offset: u64) -> usize {
    usize::try_from(offset).unwrap_or(usize::MAX)
}

fn close(element: Element, stack: &mut [Element], root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(element)),
        None => *root = Some(element),
    }
}

fn push_text(stack: &mut [Element], text: &str) -> Result<(), String> {
    match stack.last_mut() {
        Some(parent) => {
            if let Some(Node::Text(previous)) = parent.children.last_mut() {
                previous.push_str(text);
            } else {
                parent.children.push(Node::Text(text.to_string()));
            }
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err("not well-formed XML: text outside the root element".into()),
    }
}

fn element(tag: &BytesStart<'_>, pos: usize, names: Names) -> Result<Element, String> {
    let raw = String::from_utf8_lossy(tag.name().as_ref()).into_owned();
    let local = String::from_utf8_lossy(tag.local_name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(|e| format!("not well-formed XML: {e}"))?;
        let key = attribute.key;
        if key.as_ref() == b"xmlns" || key.prefix().is_some_and(|p| p.as_ref() == b"xmlns") {
            continue;
        }
        let name = String::from_utf8_lossy(key.local_name().as_ref()).into_owned();
        let value = attribute
            .normalized_value_with(XmlVersion::Implicit1_0, 1, entity)
            .map_err(|e| format!("not well-formed XML: attribute {name}: {e}"))?;
        let name = match names {
            Names::AsWritten => name,
            Names::Qti => camel(&name),
        };
        attrs.push((name, value.into_owned()));
    }
    let name = match names {
        Names::Qti if local.starts_with("qti-") => camel(&local["qti-".len()..]),
        _ => local,
    };
    Ok(Element {
        name,
        raw,
        attrs,
        children: Vec::new(),
        pos,
    })
}

/// `max-choices` → `maxChoices`.
fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The XML predefined entities and the common HTML ones (XHTML in QTI often uses `&nbsp;`).
fn entity(name: &str) -> Option<&'static str> {
    match name {
        "lt" => Some("<"),
        "gt" => Some(">"),
        "amp" => Some("&"),
        "apos" => Some("'"),
        "quot" => Some("\""),
        _ => html_entity(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qti3_names_fold_onto_qti2() {
        let doc = parse(
            r#"<qti-choice-interaction response-identifier="R" max-choices="1"><qti-simple-choice identifier="A">x</qti-simple-choice></qti-choice-interaction>"#,
            Names::Qti,
        )
        .unwrap();
        assert_eq!(doc.root.name, "choiceInteraction");
        assert_eq!(doc.root.attr("maxChoices"), Some("1"));
        assert_eq!(doc.root.child("simpleChoice").unwrap().text(), "x");
    }

    #[test]
    fn errors_name_the_line() {
        let error = parse("<a>\n<b>\n</a>", Names::AsWritten).unwrap_err();
        assert_eq!(error.line, 3);
        let error = parse("<a>\n<b>x</b>\n", Names::AsWritten).unwrap_err();
        assert_eq!(error.line, 1);
        assert!(error.message.contains("never closed"), "{}", error.message);
    }

    #[test]
    fn entities_resolve_and_unknown_ones_fail() {
        let doc = parse("<a>x&nbsp;&#65;&amp;<![CDATA[<p>]]></a>", Names::AsWritten).unwrap();
        assert_eq!(doc.root.text(), "x\u{a0}A&<p>");
        let error = parse("<a>\n&bogus;</a>", Names::AsWritten).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.message.contains("&bogus;"));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "<a>".repeat(MAX_DEPTH + 1);
        assert!(parse(&text, Names::AsWritten).is_err());
    }
}
