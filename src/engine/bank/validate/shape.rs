//! The shapes a string can be required to have (language tag, URL, non-blank text), the
//! way values are quoted in messages, and "did you mean" hints.
//!
//! Each shape is the exact counterpart of a `pattern` in `quizbanks/schema.json`, and
//! whitespace means what `\s` means there: ECMA-262 `WhiteSpace` and `LineTerminator`.

use serde_json::Value;

/// Values and ids longer than this are shortened in messages.
const MAX_QUOTED_CHARS: usize = 40;

/// Words longer than this get no hint: nobody mistypes a 65-character field name.
const MAX_HINT_CHARS: usize = 64;

/// How much work all hints of one validation may cost together (characters looked at plus
/// edit-distance table cells), so that a pathological bank (100,000 distinct unknown topic ids
/// against 1,000 topics) stays linear. Realistic banks use a tiny fraction of it.
const HINT_BUDGET_CELLS: usize = 50_000_000;

/// The shape of a BCP 47 tag: `^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$` (a primary language
/// subtag, then script, region, variant or extension subtags). The subtags are not looked up
/// in the IANA registry.
pub(super) fn is_language_tag(text: &str) -> bool {
    let mut parts = text.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|part| {
            (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// ECMA-262 `\s`: TAB, LF, VT, FF, CR, SPACE, NBSP, every `Zs` character, LS, PS and the BOM.
pub(super) fn is_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | ' '
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
            | '\u{feff}'
    )
}

/// True when every character is whitespace (the empty string included); the schema's `\S`.
pub(super) fn is_blank(text: &str) -> bool {
    text.chars().all(is_whitespace)
}

/// What is wrong with a reference URL, if anything: it must match `^https?://\S+$`, so that
/// `javascript:`, `data:` and relative links never reach an `href`, and hold none of the
/// characters that end an attribute or a tag or hide a second scheme (`"`, `'`, `<`, `>`, `\`,
/// `` ` ``, control characters), nor `javascript:` anywhere (some players resolve a URL found
/// inside another).
pub(super) fn url_problem(url: &str) -> Option<String> {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Some(format!(
            "must start with `https://` or `http://`, not {}",
            quote(url)
        ));
    };
    if rest.is_empty() {
        Some(format!("has nothing after {}", quote(url)))
    } else if rest.chars().any(is_whitespace) {
        Some("contains whitespace".to_string())
    } else if let Some(c) = rest.chars().find(|c| is_forbidden_in_url(*c)) {
        Some(format!(
            "contains {}, which a link cannot hold safely (percent-encode it)",
            quote(&c.to_string())
        ))
    } else if rest
        .as_bytes()
        .windows(JAVASCRIPT.len())
        .any(|window| window.eq_ignore_ascii_case(JAVASCRIPT))
    {
        Some("contains `javascript:`, which is never a reference".to_string())
    } else {
        None
    }
}

/// Characters a reference URL may not hold (see [`url_problem`]); the schema's pattern lists
/// the same.
fn is_forbidden_in_url(c: char) -> bool {
    matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`') || c.is_control()
}

/// A scheme no reference URL may hold anywhere, in any case. (Compared byte by byte: a
/// substring search would bring the standard library's string searcher into the learner's
/// WebAssembly, about 2 KB.)
const JAVASCRIPT: &[u8] = b"javascript:";

/// A value as messages show it: in backticks, control characters escaped, long values cut.
pub(super) fn quote(text: &str) -> String {
    if text.is_empty() {
        return "an empty string".to_string();
    }
    let mut out = String::from("`");
    for (count, c) in text.chars().enumerate() {
        if count == MAX_QUOTED_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.push('`');
    out
}

/// An id as paths show it: a JSON string literal, cut when long.
pub(super) fn json_string(text: &str) -> String {
    let cut: String = match text.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    };
    crate::json::to_json(cut.as_str())
}

/// A number as the bank wrote it, for messages: serde_json's text for it (`2`, `-0.5`,
/// `1e-7`). Only numbers are passed; anything else is named by its JSON type.
pub(super) fn written(value: &Value) -> String {
    match value {
        Value::Number(number) => number.to_string(),
        other => super::walk::kind(other).to_string(),
    }
}

/// "Did you mean" hints, within a fixed total budget.
#[derive(Debug)]
pub(super) struct Hinter {
    budget: usize,
}

impl Default for Hinter {
    fn default() -> Self {
        Hinter {
            budget: HINT_BUDGET_CELLS,
        }
    }
}

impl Hinter {
    /// The candidate `word` was probably meant as: the first one equal to it ignoring ASCII
    /// case, otherwise the first closest one within edit distance 2, where the distance is also
    /// smaller than the candidate's length (so `e` does not suggest `a`).
    pub(super) fn suggest<'c>(
        &mut self,
        word: &str,
        candidates: impl IntoIterator<Item = &'c str>,
    ) -> Option<&'c str> {
        let word_chars: Vec<char> = word.chars().take(MAX_HINT_CHARS + 1).collect();
        if word_chars.is_empty() || word_chars.len() > MAX_HINT_CHARS {
            return None;
        }
        let mut best: Option<(usize, &'c str)> = None;
        for candidate in candidates {
            // Looking at a candidate costs its length; a distance costs its table.
            self.spend(candidate.len() + 1)?;
            let length = candidate.chars().count();
            if length > MAX_HINT_CHARS || length.abs_diff(word_chars.len()) > 2 {
                continue;
            }
            if candidate.eq_ignore_ascii_case(word) {
                return Some(candidate);
            }
            self.spend(length * word_chars.len())?;
            let other: Vec<char> = candidate.chars().collect();
            let distance = edit_distance(&word_chars, &other);
            if distance <= 2
                && distance < length
                && best.is_none_or(|(closest, _)| distance < closest)
            {
                best = Some((distance, candidate));
            }
        }
        best.map(|(_, candidate)| candidate)
    }

    /// Takes `cost` from the budget; None (and an empty budget) when it cannot pay.
    fn spend(&mut self, cost: usize) -> Option<()> {
        match self.budget.checked_sub(cost) {
            Some(left) => {
                self.budget = left;
                Some(())
            }
            None => {
                self.budget = 0;
                None
            }
        }
    }
}

/// Levenshtein distance (insertions, deletions, substitutions of characters).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: &str, b: &str) -> usize {
        edit_distance(
            &a.chars().collect::<Vec<_>>(),
            &b.chars().collect::<Vec<_>>(),
        )
    }

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(distance("explaination", "explanation"), 1);
        assert_eq!(distance("singel", "single"), 2);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn hints_prefer_case_then_the_closest_then_the_first() {
        let mut hinter = Hinter::default();
        let fields = ["model", "a", "b", "c", "d"];
        assert_eq!(hinter.suggest("A", fields), Some("a"));
        assert_eq!(hinter.suggest("e", fields), None);
        assert_eq!(hinter.suggest("modle", fields), Some("model"));
        assert_eq!(
            hinter.suggest("2pl", ["1PL", "2PL", "3PL", "4PL"]),
            Some("2PL")
        );
        assert_eq!(
            hinter.suggest("singel", ["single", "multiple", "true_false"]),
            Some("single")
        );
        assert_eq!(hinter.suggest("phishing", ["ransomware", "devices"]), None);
        assert_eq!(
            hinter.suggest("devics", ["ransomware", "devices", "device"]),
            Some("devices")
        );
    }

    #[test]
    fn an_exhausted_budget_stops_hints() {
        let mut hinter = Hinter { budget: 10 };
        assert_eq!(hinter.suggest("stme", ["stem"]), None);
        assert_eq!(hinter.budget, 0);
        assert_eq!(hinter.suggest("stme", ["stem"]), None);
    }

    #[test]
    fn language_tags_have_the_bcp47_shape() {
        for tag in ["en", "en-GB", "de-CH-1996", "zh-Hant-TW", "es-419", "fil"] {
            assert!(is_language_tag(tag), "{tag}");
        }
        for tag in [
            "",
            "e",
            "english",
            "en-",
            "en_GB",
            "en-toolongsubtag",
            "-en",
        ] {
            assert!(!is_language_tag(tag), "{tag}");
        }
    }

    #[test]
    fn blank_means_only_ecma_whitespace() {
        assert!(is_blank(""));
        assert!(is_blank(" \t\n\u{a0}\u{3000}\u{feff}"));
        assert!(!is_blank(" x "));
        // U+0085 (NEXT LINE) is not whitespace in ECMA-262, unlike in Rust's `char::is_whitespace`.
        assert!(!is_blank("\u{85}"));
    }

    #[test]
    fn urls_are_http_or_https_without_whitespace() {
        assert_eq!(
            url_problem("https://csrc.nist.gov/pubs/sp/800/61/r2/final"),
            None
        );
        assert_eq!(url_problem("http://example.org"), None);
        assert_eq!(
            url_problem("javascript:alert(1)").as_deref(),
            Some("must start with `https://` or `http://`, not `javascript:alert(1)`")
        );
        assert!(url_problem("HTTPS://example.org").is_some());
        assert_eq!(
            url_problem("https://").as_deref(),
            Some("has nothing after `https://`")
        );
        assert_eq!(
            url_problem("https://a b").as_deref(),
            Some("contains whitespace")
        );
    }

    #[test]
    fn quoted_values_are_short_and_on_one_line() {
        assert_eq!(quote(""), "an empty string");
        assert_eq!(quote("a\nb"), "`a\\nb`");
        assert_eq!(quote(&"x".repeat(50)), format!("`{}…`", "x".repeat(40)));
        assert_eq!(json_string("ab\"c"), r#""ab\"c""#);
        for number in [
            serde_json::json!(2),
            serde_json::json!(-0.5),
            serde_json::json!(1e-7),
        ] {
            assert_eq!(written(&number), number.to_string());
        }
    }
}
