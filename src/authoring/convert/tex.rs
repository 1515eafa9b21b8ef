//! TeX in question text. The bank does not typeset mathematics, so TeX is kept as written
//! (escaped where needed, so that `\(` is not read as an escaped parenthesis) and every span is
//! reported with its line, for an author to rewrite. Spans are found with the delimiters
//! MathJax and Moodle's TeX filter read by default: `\(…\)`, `\[…\]` and `$$…$$` (a single
//! `$` is not taken for TeX: it is more often a price). In Markdown text (CSV cells, GIFT's
//! `[markdown]`) `\(` and `\[` are escaped brackets, so there only `$$…$$` is TeX.

/// The longest part of a span quoted in a warning.
const QUOTED: usize = 40;

/// The opening delimiters read in plain and HTML text, and in Markdown text.
const DELIMITERS: [&str; 3] = ["\\(", "\\[", "$$"];
const MARKDOWN_DELIMITERS: [&str; 1] = ["$$"];

/// Every TeX span in `text`: its byte offset and its text, delimiters included.
pub(crate) fn spans(text: &str) -> Vec<(usize, &str)> {
    spans_with(text, &DELIMITERS)
}

fn spans_with<'t>(text: &'t str, delimiters: &[&str]) -> Vec<(usize, &'t str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while from < text.len() {
        let next = delimiters
            .iter()
            .filter_map(|open| text[from..].find(open).map(|at| (from + at, *open)))
            .min_by_key(|&(at, _)| at);
        let Some((at, open)) = next else { break };
        let close = match open {
            "\\(" => "\\)",
            "\\[" => "\\]",
            _ => "$$",
        };
        let inner = at + open.len();
        match text[inner..].find(close) {
            Some(end) if end > 0 => {
                let stop = inner + end + close.len();
                out.push((at, &text[at..stop]));
                from = stop;
            }
            _ => from = inner,
        }
    }
    out
}

/// The warning for one span.
pub(crate) fn message(span: &str) -> String {
    let mut quoted: String = span.chars().take(QUOTED).collect();
    if quoted.len() < span.len() {
        quoted.push('…');
    }
    let quoted = quoted.replace(['\n', '\r'], " ");
    format!(
        "TeX `{quoted}` is kept as written: the bank does not typeset mathematics, so a learner \
         reads the TeX source"
    )
}

/// A warning for each TeX span of plain or HTML `text`: the span's byte offset and the
/// message.
pub(crate) fn warnings(text: &str) -> Vec<(usize, String)> {
    spans(text)
        .into_iter()
        .map(|(at, span)| (at, message(span)))
        .collect()
}

/// Like [`warnings`], for Markdown text: `$$…$$` only.
pub(crate) fn markdown_warnings(text: &str) -> Vec<(usize, String)> {
    spans_with(text, &MARKDOWN_DELIMITERS)
        .into_iter()
        .map(|(at, span)| (at, message(span)))
        .collect()
}

/// Like [`warnings`], for XML: spans inside comments are not text a learner reads.
pub(crate) fn xml_warnings(xml: &str) -> Vec<(usize, String)> {
    let mut masked = xml.to_string();
    let mut from = 0;
    while let Some(start) = masked[from..].find("<!--").map(|at| from + at) {
        let end = masked[start..]
            .find("-->")
            .map_or(masked.len(), |at| start + at + 3);
        let blank: String = masked[start..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        // Same length in bytes only when every character is one byte; pad to keep offsets.
        let pad = (end - start).saturating_sub(blank.len());
        masked.replace_range(start..end, &(blank + &" ".repeat(pad)));
        from = end;
    }
    warnings(&masked)
}

/// The one-based line of byte `at` in `text`, counting from `first`.
pub(crate) fn line_in(text: &str, first: usize, at: usize) -> usize {
    first
        + text.as_bytes()[..at.min(text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_use_mathjax_default_delimiters() {
        let text =
            r"Solve \(x^2 = 4\), then $$\frac{a}{b}$$ and \[y\]; $5 and $10 are prices; \(open";
        let found: Vec<&str> = spans(text).into_iter().map(|(_, s)| s).collect();
        assert_eq!(found, [r"\(x^2 = 4\)", r"$$\frac{a}{b}$$", r"\[y\]"]);
        assert_eq!(spans("$$$$"), Vec::<(usize, &str)>::new());
        let markdown: Vec<usize> = markdown_warnings(r"\[link\](https://e.org) $$x$$")
            .into_iter()
            .map(|(at, _)| at)
            .collect();
        assert_eq!(markdown, [24]);
    }

    #[test]
    fn long_spans_are_shortened() {
        let long = format!(r"\({}\)", "x+".repeat(40));
        assert!(message(&long).contains("x+x+…`"), "{}", message(&long));
    }
}
