//! MathML written as one line of plain text, since the bank cannot typeset mathematics: the
//! `alttext` when the author gave one, else a linear reading of the presentation markup
//! (`<msup><mi>x</mi><mn>2</mn></msup>` → `x^2`, `<mfrac>` → `a/b`, `<msqrt>` → `√(…)`,
//! `<mroot>` → `x^(1/n)`).
//! Content MathML and annotations are not read. The importers warn with each formula's line,
//! so an author can check what a learner will read.
//!
//! It is fed start tags, end tags and text in document order by the flattener, so it serves
//! both XML item bodies and HTML held in strings.

use super::flatten::Formula;

/// The warning for a formula written as text: what a learner reads in its place.
pub(crate) fn message(formula: &Formula) -> String {
    if formula.text.is_empty() {
        "MathML dropped: the formula has no text a learner could read (give it an `alttext`)"
            .to_string()
    } else {
        let from = if formula.from_alttext {
            "its alttext"
        } else {
            "a reading of its markup"
        };
        format!(
            "MathML written as plain text from {from}, `{}`: the bank does not typeset \
             mathematics; check that it reads right",
            formula.text
        )
    }
}

/// A formula being read.
#[derive(Debug, Default)]
pub(crate) struct MathText {
    alttext: Option<String>,
    /// Open elements: name and the pieces their children gave.
    open: Vec<(String, Vec<String>)>,
    /// Elements inside an annotation or a phantom, whose content is not read.
    hidden: usize,
}

impl MathText {
    /// A formula; `alttext` is the `<math>` element's own text alternative.
    pub fn new(alttext: Option<&str>) -> MathText {
        MathText {
            alttext: alttext
                .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|text| !text.is_empty()),
            open: vec![("math".into(), Vec::new())],
            hidden: 0,
        }
    }

    pub fn start(&mut self, name: &str) {
        if self.hidden > 0
            || matches!(
                name,
                "annotation" | "annotation-xml" | "mphantom" | "none" | "mprescripts"
            )
        {
            self.hidden += 1;
            return;
        }
        self.open.push((name.to_string(), Vec::new()));
    }

    pub fn end(&mut self) {
        if self.hidden > 0 {
            self.hidden -= 1;
            return;
        }
        if self.open.len() < 2 {
            return; // the `<math>` element itself ends through `finish`
        }
        if let Some((name, parts)) = self.open.pop() {
            let text = combine(&name, parts);
            if let Some((_, parent)) = self.open.last_mut() {
                parent.push(text);
            }
        }
    }

    pub fn text(&mut self, text: &str) {
        if self.hidden > 0 {
            return;
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some((_, parts)) = self.open.last_mut()
            && !text.is_empty()
        {
            parts.push(text);
        }
    }

    /// The formula's text (empty when it has none), and whether it is the author's `alttext`.
    pub fn finish(mut self) -> (String, bool) {
        while self.open.len() > 1 {
            self.end();
        }
        if let Some(alttext) = self.alttext {
            return (alttext, true);
        }
        let parts = self.open.pop().map(|(_, parts)| parts).unwrap_or_default();
        (tidy(&parts.concat()), false)
    }
}

/// The text of an element from its children's pieces.
fn combine(name: &str, parts: Vec<String>) -> String {
    let arg = |index: usize| group(parts.get(index).map_or("", String::as_str));
    match name {
        "mo" => {
            let op = parts.concat();
            match op.trim() {
                "(" | "[" | "{" | "|" | ")" | "]" | "}" | "" | "\u{2061}" | "\u{2062}" => {
                    op.trim().replace(['\u{2061}', '\u{2062}'], "")
                }
                "," | ";" => format!("{} ", op.trim()),
                other => format!(" {other} "),
            }
        }
        "msup" | "mover" => format!("{}^{}", arg(0), arg(1)),
        "msub" | "munder" => format!("{}_{}", arg(0), arg(1)),
        "msubsup" | "munderover" => format!("{}_{}^{}", arg(0), arg(1), arg(2)),
        "mfrac" => format!("{}/{}", arg(0), arg(1)),
        "msqrt" => format!("√({})", tidy(&parts.concat())),
        "mroot" => format!("{}^(1/{})", arg(0), arg(1)),
        "mfenced" => format!("({})", parts.join(", ")),
        "mtr" | "mlabeledtr" => format!("{}; ", parts.join(", ")),
        "mtable" => format!("[{}]", parts.concat().trim_end_matches("; ")),
        "mtd" => tidy(&parts.concat()),
        "semantics" => parts.into_iter().next().unwrap_or_default(),
        _ => parts.concat(),
    }
}

/// A piece as an operand: in parentheses when it is more than one token.
fn group(text: &str) -> String {
    let text = tidy(text);
    let simple = text.chars().count() <= 1
        || text.chars().all(|c| c.is_alphanumeric() || c == '.')
        || (text.starts_with('(') && text.ends_with(')') && balanced_once(&text));
    if simple { text } else { format!("({text})") }
}

/// `(a+b)` is one group; `(a)+(b)` is not.
fn balanced_once(text: &str) -> bool {
    let mut depth = 0usize;
    for (index, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && index + 1 < text.len() {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// Spaces collapsed and trimmed.
fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `<math>` content written as (start, text, end) events from a tiny tag syntax.
    fn read(markup: &str, alttext: Option<&str>) -> String {
        let mut math = MathText::new(alttext);
        let mut rest = markup;
        while let Some(at) = rest.find('<') {
            math.text(&rest[..at]);
            let end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
            let tag = &rest[at + 1..end];
            if tag.starts_with('/') {
                math.end();
            } else {
                math.start(tag);
            }
            rest = &rest[(end + 1).min(rest.len())..];
        }
        math.text(rest);
        math.finish().0
    }

    #[test]
    fn presentation_markup_reads_as_one_line() {
        assert_eq!(
            read(
                "<mrow><msup><mi>x</mi><mn>2</mn></msup><mo>+</mo><mn>1</mn></mrow>",
                None
            ),
            "x^2 + 1"
        );
        assert_eq!(
            read(
                "<mfrac><mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow><mn>2</mn></mfrac>",
                None
            ),
            "(a + b)/2"
        );
        assert_eq!(read("<msqrt><mi>n</mi></msqrt>", None), "√(n)");
        assert_eq!(
            read("<msub><mi>H</mi><mn>2</mn></msub><mi>O</mi>", None),
            "H_2O"
        );
        assert_eq!(
            read(
                "<semantics><mi>x</mi><annotation>x</annotation></semantics>",
                None
            ),
            "x"
        );
    }

    #[test]
    fn alttext_wins() {
        assert_eq!(read("<mi>x</mi>", Some(" x squared ")), "x squared");
    }
}
