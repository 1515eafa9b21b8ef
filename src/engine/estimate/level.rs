//! How likely each proficiency level is, given the answers: the posterior probability that the
//! learner's ability lies between a level's cut and the next one.
//!
//! # Formula
//!
//! For levels with lower cuts c₁ < c₂ < … < c_L (the first level has none: c₁ = −∞) and
//! c_{L+1} = +∞, P(level l | answers) = F(c_{l+1}) − F(c_l), with F the cumulative distribution
//! of the domain's marginal posterior:
//!
//! - EAP: the posterior on the quadrature grid, read as a piecewise-linear density between grid
//!   points (the density the trapezoid rule integrates exactly), so that a cut between two grid
//!   points splits their cell instead of jumping from one point to the next;
//! - MAP, MLE and WLE, which have no posterior of their own: the normal approximation
//!   N(θ̂, SE²), F(c) = Φ((c − θ̂)/SE).
//!
//! A level is named by the posterior-mean rule ([`Bank::level_for`]); these probabilities say how
//! sure that naming is. Reference: for a Gaussian posterior the same as
//! `shared/reference/psychometrics-next.md` ("Level probabilities and classification");
//! Eggen (1999) for classification by posterior probability.
//!
//! [`Bank::level_for`]: crate::bank::Bank::level_for

use serde::{Deserialize, Serialize};

use crate::bank::Level;
use crate::json::{JsonWriter, ToJson};

/// The posterior probability of one level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelProbability {
    /// The level's name, as in the bank.
    pub name: String,
    /// In [0, 1]; a domain's probabilities sum to 1.
    pub probability: f64,
}

/// The probability of each of `levels`, in their order, given `below(c)` = P(θ < c): the
/// differences between consecutive cuts, clipped at 0 (for cuts out of order, which a valid bank
/// never has) and scaled to sum to 1. Empty when the bank has no levels.
pub fn level_probabilities(levels: &[Level], below: &dyn Fn(f64) -> f64) -> Vec<LevelProbability> {
    let cut_mass = |cut: Option<f64>| cut.map_or(0.0, |c| below(c).clamp(0.0, 1.0));
    let mut out = Vec::with_capacity(levels.len());
    let mut total = 0.0;
    for (l, level) in levels.iter().enumerate() {
        let lower = cut_mass(level.min_theta);
        let upper = levels
            .get(l + 1)
            .map_or(1.0, |next| cut_mass(next.min_theta));
        let probability = (upper - lower).max(0.0);
        total += probability;
        out.push(LevelProbability {
            name: level.name.clone(),
            probability,
        });
    }
    if total > 0.0 {
        for level in &mut out {
            level.probability /= total;
        }
    } else if let Some(first) = out.first_mut() {
        // Only possible with every cut at or below −∞ in effect: all mass on the first level.
        first.probability = 1.0;
    }
    out
}

/// The standard normal distribution function Φ(x).
///
/// # Formula
///
/// Φ(x) = ½ + φ(x)(x + x³/3 + x⁵/(3·5) + x⁷/(3·5·7) + …), summed until a term no longer
/// changes the sum (Marsaglia 2004, "Evaluating the normal distribution", Journal of
/// Statistical Software 11(4)): absolute error near 1e-15 for |x| ≤ 8; beyond, Φ is 0 or 1 to
/// double precision.
pub fn normal_cdf(x: f64) -> f64 {
    if x.is_nan() {
        return 0.5;
    }
    if x <= -8.0 {
        return 0.0;
    }
    if x >= 8.0 {
        return 1.0;
    }
    let square = x * x;
    let (mut sum, mut term, mut denominator) = (x, x, 1.0);
    loop {
        denominator += 2.0;
        term *= square / denominator;
        let next = sum + term;
        if next == sum {
            break;
        }
        sum = next;
    }
    // ln √(2π) = 0.918938533204672741780329736406…
    (0.5 + sum * (-0.5 * square - 0.918_938_533_204_672_8).exp()).clamp(0.0, 1.0)
}

impl ToJson for LevelProbability {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("name", &self.name);
        out.field("probability", &self.probability);
        out.end_object();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels() -> Vec<Level> {
        [
            ("Foundation", None),
            ("Practitioner", Some(-0.5)),
            ("Advanced", Some(0.5)),
            ("Expert", Some(1.5)),
        ]
        .into_iter()
        .map(|(name, min_theta)| Level {
            name: name.to_string(),
            description: None,
            min_theta,
        })
        .collect()
    }

    #[test]
    fn normal_cdf_matches_known_values() {
        // Φ at 0, ±1, ±1.96, −3, 5 (tables; R `pnorm`).
        for (x, expected) in [
            (0.0, 0.5),
            (1.0, 0.841_344_746_068_542_9),
            (-1.0, 0.158_655_253_931_457_05),
            (1.959_963_984_540_054, 0.975),
            (-3.0, 0.001_349_898_031_630_094_6),
            (5.0, 0.999_999_713_348_428_1),
        ] {
            assert!((normal_cdf(x) - expected).abs() < 1e-14, "Φ({x})");
        }
        assert_eq!(normal_cdf(f64::INFINITY), 1.0);
        assert_eq!(normal_cdf(f64::NEG_INFINITY), 0.0);
    }

    #[test]
    fn gaussian_level_probabilities_are_differences_of_phi_and_sum_to_one() {
        let (theta, se): (f64, f64) = (0.8, 0.4);
        let found = level_probabilities(&levels(), &|c| normal_cdf((c - theta) / se));
        let phi = |c: f64| normal_cdf((c - theta) / se);
        let expected = [
            phi(-0.5),
            phi(0.5) - phi(-0.5),
            phi(1.5) - phi(0.5),
            1.0 - phi(1.5),
        ];
        let names: Vec<&str> = found.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Foundation", "Practitioner", "Advanced", "Expert"]);
        for (level, expected) in found.iter().zip(expected) {
            assert!((level.probability - expected).abs() < 1e-12, "{level:?}");
        }
        let total: f64 = found.iter().map(|l| l.probability).sum();
        assert!((total - 1.0).abs() < 1e-12);
    }

    #[test]
    fn no_levels_give_no_probabilities_and_one_level_is_certain() {
        assert!(level_probabilities(&[], &|_| 0.5).is_empty());
        let only = &levels()[..1];
        assert_eq!(level_probabilities(only, &|_| 0.5)[0].probability, 1.0);
    }

    #[test]
    fn cuts_out_of_order_never_give_negative_probabilities() {
        let mut levels = levels();
        levels[2].min_theta = Some(-2.0);
        let found = level_probabilities(&levels, &normal_cdf);
        assert!(found.iter().all(|l| l.probability >= 0.0));
        let total: f64 = found.iter().map(|l| l.probability).sum();
        assert!((total - 1.0).abs() < 1e-12);
    }
}
