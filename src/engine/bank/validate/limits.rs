//! How long a text and how many entries a list of a bank may have, by field name.
//!
//! A bank comes from anyone: an author's file, an import, a page's script. Without limits a
//! 20-million-character title validates and then freezes the learner's page while it lays out.
//! Each limit is several times what a careful author writes (the bundled banks' longest stem
//! has under 400 characters; an exhibit of a message or a log needs a few thousand), so no real
//! bank meets one. Lengths count Unicode characters, as JSON Schema's `maxLength` does;
//! `quizbanks/schema.json` states the same numbers (a test holds the two together).

/// The most characters of a string field, by the name of the field that holds it (for array
/// elements, the array's name: `tags`, `changes`, `enemies`).
const MAX_CHARS: &[Limit] = &[
    ("$schema", 2_048),
    ("id", 128),
    ("topic", 128),
    ("enemies", 128),
    ("title", 500),
    ("name", 500),
    ("version", 64),
    ("language", 35),
    ("tags", 64),
    ("description", 2_000),
    ("changes", 1_000),
    ("citation", 500),
    ("url", 2_048),
    ("watch", 500),
    // Room for an exhibit the question requires reading (a message, a resource, a log).
    ("stem", 10_000),
    ("text", 2_000),
    ("feedback", 2_000),
    ("explanation", 5_000),
];

/// Strings the table does not name (enum values, dates, a profile's fields): each of those has
/// a shape of its own, and this bounds the rest.
const DEFAULT_MAX_CHARS: usize = 10_000;

/// The most entries of a list, by its field name. `options` (2 to 10) is the format's own rule,
/// checked with its message where items are checked.
const MAX_ITEMS: &[Limit] = &[
    ("changelog", 1_000),
    ("changes", 100),
    ("topics", 1_000),
    ("levels", 20),
    // Large certification pools run to tens of thousands of items; ten times the largest.
    ("items", 1_000_000),
    ("tags", 20),
    ("key", 10),
    ("references", 20),
    ("enemies", 1_000),
];

/// Lists the table does not name.
const DEFAULT_MAX_ITEMS: usize = 1_000_000;

/// The most characters a string held by `field` may have.
pub fn max_chars(field: Option<&str>) -> usize {
    lookup(MAX_CHARS, field).unwrap_or(DEFAULT_MAX_CHARS)
}

/// The most entries the list `field` may have.
pub fn max_items(field: Option<&str>) -> usize {
    lookup(MAX_ITEMS, field).unwrap_or(DEFAULT_MAX_ITEMS)
}

/// A limit: the field's name and the most it may hold.
pub type Limit = (&'static str, usize);

/// Every named limit, for the test that holds the schema to them: the length limits, then the
/// count limits.
pub fn table() -> (&'static [Limit], &'static [Limit]) {
    (MAX_CHARS, MAX_ITEMS)
}

fn lookup(table: &[(&str, usize)], field: Option<&str>) -> Option<usize> {
    let field = field?;
    table
        .iter()
        .find(|(name, _)| *name == field)
        .map(|&(_, max)| max)
}

/// What is wrong with a string of `field`, when it is too long. Counting stops at the limit, so
/// a huge string costs no more than a long one.
pub(crate) fn too_long(text: &str, field: Option<&str>) -> Option<String> {
    let max = max_chars(field);
    if text.len() <= max || text.chars().nth(max).is_none() {
        return None;
    }
    let length = text.chars().count();
    Some(format!("is {length} characters long; the most is {max}"))
}

/// What is wrong with a list of `field`, when it has too many entries.
pub(crate) fn too_many(len: usize, field: Option<&str>) -> Option<String> {
    let max = max_items(field);
    (len > max).then(|| format!("has {len} entries; the most is {max}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert_eq!(too_long(&"é".repeat(500), Some("title")), None);
        assert_eq!(
            too_long(&"é".repeat(501), Some("title")).as_deref(),
            Some("is 501 characters long; the most is 500")
        );
        assert_eq!(too_long(&"x".repeat(10_000), Some("enum-like")), None);
        assert!(too_long(&"x".repeat(10_001), None).is_some());
    }

    #[test]
    fn lists_are_bounded_by_name() {
        assert_eq!(too_many(20, Some("tags")), None);
        assert_eq!(
            too_many(21, Some("tags")).as_deref(),
            Some("has 21 entries; the most is 20")
        );
        assert_eq!(too_many(1_000_000, None), None);
    }
}
