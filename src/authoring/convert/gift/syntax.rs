//! GIFT's lexical pieces: backslash escapes, `[format]` prefixes and `%weight%` marks, read
//! as Moodle's `format.php` reads them.

/// The characters GIFT escapes with a backslash, and the private-use placeholders that stand
/// for them while the structure is parsed (as Moodle's `escapedchar_pre` does).
const ESCAPES: [(char, char, char); 8] = [
    (':', ':', '\u{E000}'),
    ('#', '#', '\u{E001}'),
    ('=', '=', '\u{E002}'),
    ('{', '{', '\u{E003}'),
    ('}', '}', '\u{E004}'),
    ('~', '~', '\u{E005}'),
    ('n', '\n', '\u{E006}'),
    ('\\', '\\', '\u{E007}'),
];

/// A text's format, from its `[name]` prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextFormat {
    Moodle,
    Html,
    Plain,
    Markdown,
}

/// Replaces escaped characters with their placeholders.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&(_, _, placeholder)) = chars
                .peek()
                .and_then(|next| ESCAPES.iter().find(|(escaped, _, _)| escaped == next))
            {
                out.push(placeholder);
                chars.next();
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Puts the escaped characters back.
pub(super) fn unescape(text: &str) -> String {
    text.chars()
        .map(|c| {
            ESCAPES
                .iter()
                .find(|&&(_, _, placeholder)| placeholder == c)
                .map_or(c, |&(_, real, _)| real)
        })
        .collect()
}

/// Splits a `[format]` prefix off a text (an unknown name is text, as in Moodle).
pub(super) fn with_format(text: &str, default: TextFormat) -> (TextFormat, &str) {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix('[') {
        if let Some(end) = rest.find(']') {
            let format = match &rest[..end] {
                "moodle" => Some(TextFormat::Moodle),
                "html" => Some(TextFormat::Html),
                "plain" => Some(TextFormat::Plain),
                "markdown" => Some(TextFormat::Markdown),
                _ => None,
            };
            if let Some(format) = format {
                return (format, rest[end + 1..].trim());
            }
        }
    }
    (default, text)
}

/// A `%50%` weight at the start of an answer (Moodle's `^%-*([0-9]{1,2})\.?([0-9]*)%`) as a
/// fraction, and the rest of the answer.
pub(super) fn weight(answer: &str) -> Option<(f64, &str)> {
    let inner = answer.strip_prefix('%')?;
    let end = inner.find('%')?;
    let number = &inner[..end];
    let unsigned = number.trim_start_matches('-');
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let valid = !whole.is_empty()
        && digits(whole)
        && digits(fraction)
        && (!unsigned.contains('.') || whole.len() <= 2);
    if !valid {
        return None;
    }
    let value: f64 = unsigned.parse().ok()?;
    let sign = if unsigned.len() < number.len() {
        -1.0
    } else {
        1.0
    };
    Some((sign * value / 100.0, &inner[end + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_follow_moodles_pattern() {
        assert_eq!(weight("%50%A"), Some((0.5, "A")));
        assert_eq!(weight("%-100%B"), Some((-1.0, "B")));
        assert_eq!(weight("%--50%C"), Some((-0.5, "C")));
        assert_eq!(weight("%100%D"), Some((1.0, "D")));
        assert_eq!(weight("%33.33333%E"), Some((33.33333 / 100.0, "E")));
        // `^%-*([0-9]{1,2})\.?([0-9]*)%`: a point only after one or two digits.
        assert_eq!(weight("%100.5%F"), None);
        assert_eq!(weight("%abc%G"), None);
        assert_eq!(weight("%%H"), None);
        assert_eq!(weight("%50 I"), None);
        assert_eq!(weight("50%J"), None);
    }

    #[test]
    fn escapes_hide_special_characters_until_the_text_is_read() {
        let escaped = escape(r"a\:b\{c\}\~\=\#\n\\n\q");
        assert!(
            !escaped.contains([':', '{', '}', '~', '=', '#']),
            "{escaped:?}"
        );
        assert_eq!(unescape(&escaped), "a:b{c}~=#\n\\n\\q");
    }

    #[test]
    fn only_known_format_names_are_prefixes() {
        assert_eq!(
            with_format(" [html]<b>x</b>", TextFormat::Moodle),
            (TextFormat::Html, "<b>x</b>")
        );
        assert_eq!(
            with_format("[markdown] *x*", TextFormat::Html),
            (TextFormat::Markdown, "*x*")
        );
        assert_eq!(
            with_format("[draft] x", TextFormat::Plain),
            (TextFormat::Plain, "[draft] x")
        );
        assert_eq!(
            with_format("x [html]", TextFormat::Moodle),
            (TextFormat::Moodle, "x [html]")
        );
    }
}
