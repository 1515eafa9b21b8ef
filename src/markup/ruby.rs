//! A ruby annotation (`<ruby>北海道<rt>ほっかいどう</rt></ruby>`) written as plain text: the base
//! text with its reading in parentheses after it, `北海道 (ほっかいどう)`, so that neither is
//! lost and the two are never run together. `<rp>` holds the parentheses a browser without
//! ruby support shows; they are dropped, since the reading gets its own. Formatting inside a
//! ruby is not kept.

/// A ruby annotation being read: the base text, the reading, and which one text goes to.
#[derive(Debug, Default)]
pub(crate) struct Ruby {
    base: String,
    reading: String,
    /// `Some(true)` in `<rt>`/`<rtc>`, `Some(false)` in `<rp>` (dropped), `None` in the base.
    annotation: Option<bool>,
}

impl Ruby {
    /// An element starts inside the ruby; whether it is an annotation (`rt`, `rtc`, `rp`),
    /// whose end [`Ruby::end_annotation`] must be told.
    pub fn start(&mut self, name: &str) -> bool {
        match name {
            "rt" | "rtc" => self.annotation = Some(true),
            "rp" => self.annotation = Some(false),
            _ => return false,
        }
        true
    }

    pub fn end_annotation(&mut self) {
        self.annotation = None;
    }

    pub fn text(&mut self, text: &str) {
        match self.annotation {
            None => self.base.push_str(text),
            Some(true) => self.reading.push_str(text),
            Some(false) => {}
        }
    }

    /// The annotation as text: `base (reading)`, or the base alone without a reading.
    pub fn finish(self) -> String {
        let base = join_words(&self.base);
        let reading = join_words(&self.reading);
        if reading.is_empty() {
            base
        } else {
            format!("{base} ({reading})")
        }
    }
}

/// Words of ruby text joined: by a space, or by nothing between two characters of scripts
/// written without spaces (`北 海 道` from one `<rt>` per character is `北海道`).
fn join_words(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        let spaced = out
            .chars()
            .next_back()
            .zip(word.chars().next())
            .is_some_and(|(before, after)| before.is_ascii() || after.is_ascii());
        if spaced {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(parts: &[(&str, &str)]) -> String {
        let mut ruby = Ruby::default();
        for (element, text) in parts {
            let annotation = ruby.start(element);
            ruby.text(text);
            if annotation {
                ruby.end_annotation();
            }
        }
        ruby.finish()
    }

    #[test]
    fn base_then_reading_in_parentheses() {
        assert_eq!(
            read(&[
                ("", "北海道"),
                ("rp", "("),
                ("rt", "ほっかいどう"),
                ("rp", ")")
            ]),
            "北海道 (ほっかいどう)"
        );
        assert_eq!(
            read(&[("", "北 "), ("rt", "ほっ"), ("", " 海"), ("rt", "かい")]),
            "北海 (ほっかい)"
        );
        assert_eq!(
            read(&[("", "漢"), ("rt", "Kan"), ("", "字"), ("rt", "ji")]),
            "漢字 (Kanji)"
        );
        assert_eq!(read(&[("", "no reading")]), "no reading");
    }
}
