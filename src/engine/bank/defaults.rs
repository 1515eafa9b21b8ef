//! Default IRT parameters for items that carry only a difficulty label.
//!
//! Authors write items long before anyone has responses to calibrate them, so each label maps
//! to a documented prior guess that `calibrate` later replaces:
//!
//! | label  | a   | b    |
//! |--------|-----|------|
//! | easy   | 1.0 | −1.5 |
//! | medium | 1.0 |  0.0 |
//! | hard   | 1.0 | +1.5 |
//!
//! The lower asymptote c is the chance of guessing the key blindly: 1/k for a single-choice
//! item with k options, 1/(2ᵏ − 1) for a multiple-response item (every non-empty subset is a
//! possible answer), capped at 0.25 because calibrated guessing parameters usually fall below
//! 1/k, attractive distractors draw guessers away from the key (Lord, 1980, *Applications of
//! Item Response Theory to Practical Testing Problems*, §2.2). d = 1.

use super::{Difficulty, ItemType};
use crate::irt::Params;

/// The largest default lower asymptote.
pub const MAX_DEFAULT_GUESSING: f64 = 0.25;

/// Default parameters for an uncalibrated item. A missing label counts as `medium`.
pub fn default_params(kind: ItemType, options: usize, label: Option<Difficulty>) -> Params {
    let b = match label {
        Some(Difficulty::Easy) => -1.5,
        Some(Difficulty::Medium) | None => 0.0,
        Some(Difficulty::Hard) => 1.5,
    };
    let k = options.max(2) as f64;
    let chance = match kind {
        ItemType::Single | ItemType::TrueFalse => 1.0 / k,
        ItemType::Multiple => 1.0 / (k.exp2() - 1.0),
    };
    Params::three_pl(1.0, b, chance.min(MAX_DEFAULT_GUESSING))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_map_to_documented_b() {
        assert_eq!(
            default_params(ItemType::Single, 4, Some(Difficulty::Easy)).b,
            -1.5
        );
        assert_eq!(
            default_params(ItemType::Single, 4, Some(Difficulty::Medium)).b,
            0.0
        );
        assert_eq!(
            default_params(ItemType::Single, 4, Some(Difficulty::Hard)).b,
            1.5
        );
    }

    #[test]
    fn guessing_follows_the_chance_of_a_blind_answer() {
        assert_eq!(default_params(ItemType::Single, 5, None).c, 0.2);
        assert_eq!(default_params(ItemType::Single, 4, None).c, 0.25);
        assert_eq!(default_params(ItemType::TrueFalse, 2, None).c, 0.25);
        assert!((default_params(ItemType::Multiple, 5, None).c - 1.0 / 31.0).abs() < 1e-15);
    }
}
