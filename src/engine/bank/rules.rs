//! Rules that more than the validator needs: the validator, every importer, the package
//! writer and the command line ask these, so each is written here once.
//!
//! Each is the counterpart of a keyword in `quizbanks/schema.json` (`minItems`/`maxItems` of
//! `options`, the ids' `pattern`).

/// The fewest options an item has (a `true_false` item has exactly this many).
pub const MIN_OPTIONS: usize = 2;

/// The most options an item has.
pub const MAX_OPTIONS: usize = 10;

/// Whether an item may have `count` options (its type aside: `true_false` asks for exactly
/// [`MIN_OPTIONS`]).
pub fn option_count_fits(count: usize) -> bool {
    (MIN_OPTIONS..=MAX_OPTIONS).contains(&count)
}

/// Whether a text is a slug, the shape of bank, topic and item ids: `^[a-z0-9][a-z0-9-]*$`.
pub fn is_slug(text: &str) -> bool {
    let bytes = text.as_bytes();
    let allowed = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-';
    match bytes.first() {
        Some(first) => *first != b'-' && bytes.iter().all(allowed),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_digits_and_hyphens() {
        assert!(is_slug("cyb-ransom-03"));
        assert!(is_slug("0"));
        assert!(!is_slug(""));
        assert!(!is_slug("-cyb"));
        assert!(!is_slug("Cyb"));
        assert!(!is_slug("cyb_ransom"));
        assert!(!is_slug("cyb ransom"));
        assert!(!is_slug("cyb-é"));
    }

    #[test]
    fn two_to_ten_options_fit() {
        assert!(!option_count_fits(1));
        assert!(option_count_fits(2));
        assert!(option_count_fits(10));
        assert!(!option_count_fits(11));
    }
}
