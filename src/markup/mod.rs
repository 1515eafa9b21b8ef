//! Markup shared by the importers and the package writers: an XML element tree with lines,
//! HTML flattened to the bank's Markdown subset (with MathML, ruby and entity handling), and
//! that subset rendered back as text, XHTML or escaped XML.
//!
//! - [`dom`]: XML and HTML parsed into a tree that keeps each element's line.
//! - [`entities`]: HTML named character references.
//! - [`flatten`] and [`html`]: HTML to the Markdown subset; [`mathml`] and [`ruby`] for what it
//!   cannot hold, [`tidy`] for its whitespace.
//! - [`markdown`]: the Markdown subset the shell renders, parsed.
//! - [`render`]: the subset written back as Markdown, plain text, XHTML or escaped XML.

pub(crate) mod dom;
pub(crate) mod entities;
pub(crate) mod flatten;
pub(crate) mod html;
pub(crate) mod markdown;
pub(crate) mod mathml;
pub(crate) mod render;
pub(crate) mod ruby;
pub(crate) mod tidy;

pub(crate) use dom::{Document, Element, Names, parse};
pub(crate) use flatten::Flattened;
pub(crate) use html::{flatten_html, flatten_plain};
pub(crate) use mathml::message as mathml_message;
pub(crate) use render::{emit, escape_xml, literal, plain_words};
