//! Telling HTML in GIFT text (`[moodle]` text may hold tags, which Moodle renders) from text
//! that merely uses `<` and `>`. The conversion itself is the shared one
//! (`markup::flatten_html`), as for Moodle XML.

/// Elements whose tags mark a `[moodle]` text as HTML.
const KNOWN: &[&str] = &[
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
    "script",
    "style",
    "head",
    "title",
    "img",
    "table",
    "tr",
    "td",
    "th",
    "sub",
    "sup",
    "u",
    "hr",
    "math",
    "ruby",
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
        if KNOWN.contains(&name.as_str()) && closes {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_signs_are_not_tags() {
        assert!(!has_html_tags("a < b and c > d"));
        assert!(has_html_tags("a <b>bold</b>"));
        assert!(has_html_tags("line<br>"));
    }
}
