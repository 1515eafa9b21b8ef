//! HTML in question text (GIFT's `[html]` format, Moodle's HTML editor) turned into the bank's
//! Markdown subset: paragraphs, line breaks, bold, italic, code, lists and links survive; other
//! markup is dropped and named, so the caller can warn.

/// Elements whose content is dropped with them.
const SKIPPED: &[&str] = &["script", "style", "head", "title"];
/// Elements that only separate blocks or carry no meaning the subset loses.
const HARMLESS: &[&str] = &[
    "p",
    "div",
    "span",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "code",
    "tt",
    "pre",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "font",
    "html",
    "body",
    "blockquote",
];
/// Elements that end a block: a paragraph break before and after.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "tr",
    "blockquote",
    "pre",
];

/// Whether `text` contains a tag of an element this converter knows (so `a < b > c` is not
/// taken for HTML).
pub fn has_html_tags(text: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let name: String = rest
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let closes = rest.find('>').is_some();
        let known = HARMLESS.contains(&name.as_str())
            || SKIPPED.contains(&name.as_str())
            || ["img", "table", "tr", "td", "th", "sub", "sup", "u", "hr"].contains(&name.as_str());
        if known && closes {
            return true;
        }
    }
    false
}

/// The Markdown-subset text of an HTML fragment, and the names of the elements dropped
/// (sorted, each once), such as `img` or `table`.
pub fn html_to_markdown(html: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut dropped: Vec<String> = Vec::new();
    let mut links: Vec<Option<String>> = Vec::new();
    let mut lists: Vec<Option<usize>> = Vec::new();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if c == '<' {
            if let Some(end) = rest.find('>') {
                let tag = Tag::parse(&rest[1..end]);
                rest = &rest[end + 1..];
                if tag.name.is_empty() {
                    continue;
                }
                if SKIPPED.contains(&tag.name.as_str()) && !tag.closing {
                    let close = format!("</{}", tag.name);
                    let lower = rest.to_ascii_lowercase();
                    rest = lower
                        .find(&close)
                        .and_then(|at| rest[at..].find('>').map(|gt| &rest[at + gt + 1..]))
                        .unwrap_or("");
                    continue;
                }
                element(&tag, &mut out, &mut links, &mut lists, &mut dropped);
                continue;
            }
        }
        if c == '&' {
            if let Some((decoded, len)) = entity(rest) {
                push_text(&mut out, &decoded);
                rest = &rest[len..];
                continue;
            }
        }
        if c.is_whitespace() {
            if !out.ends_with([' ', '\n']) && !out.is_empty() {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    dropped.sort();
    dropped.dedup();
    (tidy(&out), dropped)
}

/// A start or end tag.
struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
}

impl Tag {
    fn parse(inner: &str) -> Tag {
        let closing = inner.starts_with('/');
        let body = inner.trim_start_matches('/');
        let name: String = body
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        Tag {
            href: attribute(&body[name.len()..], "href"),
            name,
            closing,
        }
    }
}

/// An attribute's value (quoted with `"` or `'`, or bare).
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))?;
    let value = &attrs[at + name.len() + 1..];
    let value = match value.chars().next()? {
        quote @ ('"' | '\'') => value[1..].split(quote).next()?,
        _ => value
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()?,
    };
    Some(value.to_string())
}

/// Appends what an element stands for in the subset.
fn element(
    tag: &Tag,
    out: &mut String,
    links: &mut Vec<Option<String>>,
    lists: &mut Vec<Option<usize>>,
    dropped: &mut Vec<String>,
) {
    let name = tag.name.as_str();
    if !HARMLESS.contains(&name) {
        dropped.push(tag.name.clone());
    }
    if BLOCKS.contains(&name) {
        out.push_str("\n\n");
    }
    match (name, tag.closing) {
        ("br", _) => out.push('\n'),
        ("b" | "strong", _) => out.push_str("**"),
        ("i" | "em", _) => out.push('*'),
        ("code" | "tt", _) => out.push('`'),
        ("ul", false) => lists.push(None),
        ("ol", false) => lists.push(Some(0)),
        ("ul" | "ol", true) => {
            lists.pop();
        }
        ("li", false) => {
            out.push('\n');
            match lists.last_mut() {
                Some(Some(n)) => {
                    *n += 1;
                    out.push_str(&format!("{n}. "));
                }
                _ => out.push_str("- "),
            }
        }
        ("td" | "th", true) => out.push(' '),
        ("a", false) => {
            let href = tag
                .href
                .clone()
                .filter(|href| href.starts_with("https://") || href.starts_with("http://"));
            if href.is_some() {
                out.push('[');
            }
            links.push(href);
        }
        ("a", true) => {
            if let Some(Some(href)) = links.pop() {
                out.push_str(&format!("]({href})"));
            }
        }
        _ => {}
    }
}

/// Appends decoded text, collapsing whitespace as HTML does.
fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        if c == ' ' && out.ends_with([' ', '\n']) {
            continue;
        }
        out.push(c);
    }
}

/// The text of a character reference at the start of `text` (`&amp;`, `&#233;`, `&#xE9;`),
/// and its length in bytes.
fn entity(text: &str) -> Option<(String, usize)> {
    let end = text.char_indices().take(12).find(|&(_, c)| c == ';')?.0;
    let name = &text[1..end];
    let named = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "times" => '×',
        "middot" => '·',
        "bull" => '•',
        "euro" => '€',
        "pound" => '£',
        "le" => '≤',
        "ge" => '≥',
        _ => {
            let digits = name.strip_prefix('#')?;
            let code = match digits.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => digits.parse().ok()?,
            };
            match char::from_u32(code)? {
                '\u{a0}' => ' ',
                c if c.is_control() => return None,
                c => c,
            }
        }
    };
    Some((named.to_string(), end + 1))
}

/// Trims every line, keeps at most one blank line in a row, and trims the whole.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_emphasis_lists_and_links_become_the_markdown_subset() {
        let (text, dropped) = html_to_markdown(
            "<p>Pick the <b>first</b> step:</p><ol><li>isolate</li><li><em>then</em> \
             restore</li></ol><p>See <a href=\"https://example.org/x\">NIST</a> &amp; more.</p>",
        );
        assert_eq!(
            text,
            "Pick the **first** step:\n\n1. isolate\n2. *then* restore\n\nSee \
             [NIST](https://example.org/x) & more."
        );
        assert!(dropped.is_empty());
    }

    #[test]
    fn images_and_tables_are_dropped_and_named() {
        let (text, dropped) =
            html_to_markdown("A<br/>B <img src=\"x.png\"><table><tr><td>c</td></tr></table>");
        assert_eq!(text, "A\nB\n\nc");
        assert_eq!(dropped, ["img", "table", "td", "tr"]);
    }

    #[test]
    fn scripts_comments_and_entities_are_handled() {
        let (text, _) = html_to_markdown("x<script>alert(1)</script><!-- c -->&#65;&lt;&zzz;");
        assert_eq!(text, "xA<&zzz;");
    }

    #[test]
    fn comparison_signs_are_not_tags() {
        assert!(!has_html_tags("a < b and c > d"));
        assert!(has_html_tags("a <b>bold</b>"));
        assert!(has_html_tags("line<br>"));
    }
}
