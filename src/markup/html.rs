//! A lenient HTML tokenizer for markup held in strings (Moodle's `format="html"` text): tags,
//! attributes, character references, comments; unclosed and stray tags are tolerated, as a
//! browser would. It feeds [`Flattener`]; nothing is ever rendered or run.

use super::entities::html_entity;
use super::flatten::{Attrs, Flattened, Flattener};

/// HTML text flattened to the Markdown subset. With `newline_breaks`, newlines in text are
/// paragraph breaks (Moodle's auto-format). Offsets in the result ([`Flattened::lost_at`],
/// [`super::flatten::Formula::pos`]) are byte offsets into `html`.
pub(crate) fn flatten_html(html: &str, newline_breaks: bool) -> Flattened {
    let mut flattener = Flattener::new(newline_breaks);
    let mut rest = html;
    let mut text = String::new();
    while let Some(at) = rest.find(['<', '&']) {
        text.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('&') {
            let (decoded, used) = reference(rest);
            text.push_str(&decoded);
            rest = &rest[used..];
            continue;
        }
        let offset = Some(html.len() - rest.len());
        match tag(rest) {
            Scan::Tag(Tag::Start { name, attrs }, used) => {
                flattener.text(&std::mem::take(&mut text));
                rest = &rest[used..];
                flattener.start(&name, attrs.get(), offset);
                if matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
                    rest = skip_raw_text(rest, &name);
                    flattener.end(&name);
                }
            }
            Scan::Tag(Tag::SelfClosing { name, attrs }, used) => {
                flattener.text(&std::mem::take(&mut text));
                rest = &rest[used..];
                flattener.start(&name, attrs.get(), offset);
                flattener.end(&name);
            }
            Scan::Tag(Tag::End(name), used) => {
                flattener.text(&std::mem::take(&mut text));
                rest = &rest[used..];
                flattener.end(&name);
            }
            Scan::Tag(Tag::Other, used) => rest = &rest[used..],
            Scan::Literal => {
                text.push('<');
                rest = &rest[1..];
            }
            Scan::Unterminated => {
                // A tag the text ends inside: kept as text (and no later `<` can close it,
                // so scanning stops here: one pass, however the text is made).
                text.push_str(rest);
                rest = "";
            }
        }
    }
    text.push_str(rest);
    flattener.text(&text);
    flattener.finish()
}

/// Plain text: no markup; newlines are paragraph breaks.
pub(crate) fn flatten_plain(text: &str) -> Flattened {
    let mut flattener = Flattener::new(true);
    flattener.text(text);
    flattener.finish()
}

/// What a `<` starts.
enum Scan {
    /// A tag (or comment…) and its length.
    Tag(Tag, usize),
    /// Not markup: a literal `<` (`a < b`).
    Literal,
    /// A tag the text ends inside.
    Unterminated,
}

/// The attributes kept from a tag (those [`Attrs`] names).
#[derive(Default)]
struct Kept {
    href: Option<String>,
    start: Option<String>,
    alttext: Option<String>,
}

impl Kept {
    fn get(&self) -> Attrs<'_> {
        Attrs {
            href: self.href.as_deref(),
            start: self.start.as_deref(),
            alttext: self.alttext.as_deref(),
        }
    }
}

enum Tag {
    Start {
        name: String,
        attrs: Kept,
    },
    SelfClosing {
        name: String,
        attrs: Kept,
    },
    End(String),
    /// A comment, doctype or processing instruction.
    Other,
}

/// What the `<` at the start of `rest` starts.
fn tag(rest: &str) -> Scan {
    let after = &rest[1..];
    if let Some(comment) = after.strip_prefix("!--") {
        let end = comment.find("-->").map_or(rest.len(), |i| 4 + i + 3);
        return Scan::Tag(Tag::Other, end);
    }
    if after.starts_with(['!', '?']) {
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        return Scan::Tag(Tag::Other, end);
    }
    if let Some(closing) = after.strip_prefix('/') {
        let Some(name) = tag_name(closing) else {
            return Scan::Literal;
        };
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        return Scan::Tag(Tag::End(name), end);
    }
    let Some(name) = tag_name(after) else {
        return Scan::Literal;
    };
    let mut i = 1 + name.len();
    let mut attrs = Kept::default();
    let bytes = rest.as_bytes();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i) {
            None => return Scan::Unterminated,
            Some(b'>') => return Scan::Tag(Tag::Start { name, attrs }, i + 1),
            Some(b'/') if bytes.get(i + 1) == Some(&b'>') => {
                return Scan::Tag(Tag::SelfClosing { name, attrs }, i + 2);
            }
            Some(b'/') => {
                i += 1;
                continue;
            }
            Some(_) => {}
        }
        let key_start = i;
        while i < bytes.len()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
            && !bytes[i].is_ascii_whitespace()
        {
            i += 1;
        }
        let key = rest[key_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match bytes.get(i) {
            Some(&quote @ (b'"' | b'\'')) => {
                let Some(close) = rest[i + 1..].find(quote as char) else {
                    return Scan::Unterminated;
                };
                let close = close + i + 1;
                let value = &rest[i + 1..close];
                i = close + 1;
                value
            }
            _ => {
                let start = i;
                while i < bytes.len() && bytes[i] != b'>' && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                &rest[start..i]
            }
        };
        match key.as_str() {
            "href" => attrs.href = Some(decode(value)),
            "start" => attrs.start = Some(decode(value)),
            "alttext" => attrs.alttext = Some(decode(value)),
            _ => {}
        }
    }
}

fn tag_name(text: &str) -> Option<String> {
    if !text.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(text.len());
    let name = text[..end].to_ascii_lowercase();
    // `<o:p>` (Word) and other prefixed names: the local part.
    Some(match name.rsplit_once(':') {
        Some((_, local)) if !local.is_empty() => local.to_string(),
        _ => name,
    })
}

/// The rest after the end tag of a raw-text element (`</script>`), or nothing if it has none.
fn skip_raw_text<'a>(rest: &'a str, name: &str) -> &'a str {
    for (at, _) in rest.match_indices("</") {
        let after = &rest[at + 2..];
        if after
            .get(..name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
        {
            return after.find('>').map_or("", |end| &after[end + 1..]);
        }
    }
    ""
}

/// Character references decoded in an attribute value.
fn decode(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let (decoded, used) = reference(&rest[at..]);
        out.push_str(&decoded);
        rest = &rest[at + used..];
    }
    out.push_str(rest);
    out
}

/// The reference at the start of `rest` (which starts with `&`): its text and length. An
/// unknown or malformed one is a literal `&`.
fn reference(rest: &str) -> (String, usize) {
    let body = &rest[1..];
    let end = body
        .char_indices()
        .take(32)
        .find(|&(_, c)| c == ';')
        .map(|(i, _)| i);
    if let Some(end) = end {
        let name = &body[..end];
        let decoded = match name.strip_prefix('#') {
            Some(number) => {
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => number.parse().ok(),
                };
                code.map(|code| char::from_u32(code).unwrap_or('\u{fffd}').to_string())
            }
            None => match name {
                "amp" => Some("&".into()),
                "lt" => Some("<".into()),
                "gt" => Some(">".into()),
                "quot" => Some("\"".into()),
                "apos" => Some("'".into()),
                _ => html_entity(name).map(str::to_string),
            },
        };
        if let Some(decoded) = decoded {
            return (decoded, end + 2);
        }
    }
    ("&".into(), 1)
}

#[cfg(test)]
mod tests {
    use super::super::render::emit;
    use super::*;

    fn markdown(html: &str) -> (String, Vec<String>) {
        let flat = flatten_html(html, false);
        (emit(&flat.blocks).0, flat.lost)
    }

    #[test]
    fn keeps_the_subset_and_names_what_is_lost() {
        let (text, lost) = markdown(
            "<p dir=\"ltr\">Which <b>two</b> are <i>true</i>?&nbsp;<img src=\"@@PLUGINFILE@@/a.png\" alt=\"x\"></p>\
             <ul><li>one</li><li>t<sup>2</sup></li></ul><script>alert(1)</script><p>H<sub>2</sub>O &amp; <code>a&lt;b</code></p>",
        );
        assert_eq!(
            text,
            "Which **two** are *true*?\n\n- one\n- t2\n\nH2O & `a<b`"
        );
        assert_eq!(lost, ["<img>", "<sup>", "<script>", "<sub>"]);
    }

    #[test]
    fn stray_and_broken_markup_is_tolerated() {
        assert_eq!(markdown("a < b </i> <p>c<br>d").0, "a < b\n\nc\n\nd");
        assert_eq!(
            markdown("x <b>bold <i>both</b> after").0,
            "x **bold *both*** after"
        );
        assert_eq!(
            markdown("<a href=\"https://example.org/a?b=1&amp;c=2\">link</a>").0,
            "[link](https://example.org/a?b=1&c=2)"
        );
        assert_eq!(markdown("unclosed <b attr=\"x").0, "unclosed <b attr=\"x");
    }

    #[test]
    fn hostile_markup_is_read_in_one_pass_with_bounded_depth() {
        // Each would be quadratic (or overflow the stack) without the caps: deep nesting,
        // tags the text ends inside, many pieces to merge, one list item broken many times.
        let deep = "<b><i>".repeat(50_000) + "x";
        assert_eq!(markdown(&deep).0, "***x***");
        let open = "<a <a ".repeat(50_000);
        assert_eq!(markdown(&open).0.len(), open.trim_end().len());
        let spans = "<span>a </span>".repeat(50_000);
        assert_eq!(markdown(&spans).0.len(), 100_000 - 1);
        let item = format!("<ul><li>{}</li></ul>", "x<br>".repeat(50_000));
        assert_eq!(markdown(&item).0.len(), 2 + 2 * 50_000 - 1);
        let scripts = "<script>".repeat(20_000);
        assert_eq!(markdown(&scripts).1, ["<script>"]);
    }
}
