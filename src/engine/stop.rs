//! Stopping rules: when a domain's adaptive test has measured enough.
//!
//! Rules are checked after every scored answer, in this order: the domain's pool has no usable
//! item left; the maximum length is reached; then, once the minimum length is reached, the
//! standard error is small enough, the confidence interval excludes the cut score, or one level
//! is likely enough (`levelCertainty`).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::estimate::Estimate;

/// The longest test a stop rule may ask for, so lengths never overflow in arithmetic.
pub const MAX_TEST_LENGTH: usize = 10_000;

/// When to stop testing a domain. Lengths count scored items (pretest items are extra).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct StopRule {
    /// Stop after this many scored items (≥ 1).
    pub max_items: usize,
    /// Never stop for precision or classification before this many scored items.
    pub min_items: usize,
    /// Stop when the standard error is at or below this value.
    pub se: Option<f64>,
    /// Stop when the confidence interval around theta excludes this cut score.
    pub cut: Option<f64>,
    /// Two-sided confidence level of the classification interval, in (0, 1).
    pub confidence: f64,
    /// Stop when one of the bank's levels has at least this posterior probability, in (0, 1]
    /// (see [`crate::estimate::level_probabilities`]). `None`: off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_certainty: Option<f64>,
}

impl Default for StopRule {
    fn default() -> Self {
        Self {
            max_items: 20,
            min_items: 5,
            se: Some(0.3),
            cut: None,
            confidence: 0.95,
            level_certainty: None,
        }
    }
}

/// Why a domain stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StopReason {
    /// The maximum number of items was reached.
    MaxItems,
    /// The standard error reached the target.
    Precision,
    /// The confidence interval excludes the cut score.
    Classified,
    /// No usable item is left in the domain's pool.
    PoolExhausted,
    /// One level reached the `levelCertainty` probability.
    LevelCertainty,
}

impl StopRule {
    /// Rejects values that would make the rule meaningless.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] naming the field.
    pub fn check(&self) -> Result<()> {
        let bad =
            |field: &str, why: &str| Err(Error::InvalidConfig(format!("stop.{field}: {why}")));
        if self.max_items == 0 {
            return bad("maxItems", "must be at least 1");
        }
        if self.max_items > MAX_TEST_LENGTH {
            return bad("maxItems", "must be at most 10000");
        }
        if self.min_items > self.max_items {
            return bad("minItems", "must not exceed maxItems");
        }
        if let Some(se) = self.se {
            if !(se.is_finite() && se > 0.0) {
                return bad("se", "must be a positive number");
            }
        }
        if let Some(cut) = self.cut {
            if !cut.is_finite() {
                return bad("cut", "must be a finite number");
            }
        }
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return bad("confidence", "must be between 0 and 1 (exclusive)");
        }
        if let Some(certainty) = self.level_certainty {
            if !(certainty > 0.0 && certainty <= 1.0) {
                return bad("levelCertainty", "must be above 0 and at most 1");
            }
        }
        Ok(())
    }

    /// Whether to stop after `answered` scored items with the current estimate, when the
    /// likeliest level has probability `likeliest_level` (0 for a bank without levels).
    pub fn reason_to_stop(
        &self,
        answered: usize,
        estimate: &Estimate,
        likeliest_level: f64,
        items_left: bool,
    ) -> Option<StopReason> {
        if !items_left {
            return Some(StopReason::PoolExhausted);
        }
        if answered >= self.max_items {
            return Some(StopReason::MaxItems);
        }
        if answered < self.min_items.max(1) {
            return None;
        }
        if self.se.is_some_and(|target| estimate.se <= target) {
            return Some(StopReason::Precision);
        }
        if let Some(cut) = self.cut {
            let half_width = normal_quantile(0.5 + self.confidence / 2.0) * estimate.se;
            if estimate.theta - half_width > cut || estimate.theta + half_width < cut {
                return Some(StopReason::Classified);
            }
        }
        if self
            .level_certainty
            .is_some_and(|certainty| likeliest_level >= certainty)
        {
            return Some(StopReason::LevelCertainty);
        }
        None
    }
}

/// The standard normal quantile function Φ⁻¹(p) for p in (0, 1).
///
/// # Formula
///
/// Acklam's rational approximation, relative error below 1.15e-9 over (0, 1): ample for
/// interval half-widths. Reference: P. J. Acklam, "An algorithm for computing the inverse
/// normal cumulative distribution function" (2003).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383_577_518_672_69e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let low = 0.02425;
    if p < low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -normal_quantile(1.0 - p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(theta: f64, se: f64) -> Estimate {
        Estimate { theta, se }
    }

    #[test]
    fn quantile_matches_known_values() {
        assert!((normal_quantile(0.975) - 1.959963984540054).abs() < 1e-8);
        assert!((normal_quantile(0.5)).abs() < 1e-12);
        assert!((normal_quantile(0.01) + 2.326347874040841).abs() < 1e-8);
    }

    #[test]
    fn stops_at_max_items_even_when_imprecise() {
        let rule = StopRule::default();
        assert_eq!(
            rule.reason_to_stop(20, &est(0.0, 0.9), 0.0, true),
            Some(StopReason::MaxItems)
        );
        assert_eq!(rule.reason_to_stop(19, &est(0.0, 0.9), 0.0, true), None);
    }

    #[test]
    fn precision_waits_for_min_items() {
        let rule = StopRule::default();
        assert_eq!(rule.reason_to_stop(4, &est(0.0, 0.2), 0.0, true), None);
        assert_eq!(
            rule.reason_to_stop(5, &est(0.0, 0.2), 0.0, true),
            Some(StopReason::Precision)
        );
        assert_eq!(rule.reason_to_stop(5, &est(0.0, 0.31), 0.0, true), None);
    }

    #[test]
    fn classification_stops_when_interval_excludes_cut() {
        let rule = StopRule {
            se: None,
            cut: Some(0.5),
            ..StopRule::default()
        };
        // 95% interval 1.3 ± 1.96·0.4 = [0.516, 2.084] excludes 0.5.
        assert_eq!(
            rule.reason_to_stop(6, &est(1.3, 0.4), 0.0, true),
            Some(StopReason::Classified)
        );
        // [0.4, 1.97] contains it.
        assert_eq!(rule.reason_to_stop(6, &est(1.184, 0.4), 0.0, true), None);
        assert_eq!(
            rule.reason_to_stop(6, &est(-0.5, 0.4), 0.0, true),
            Some(StopReason::Classified)
        );
    }

    #[test]
    fn level_certainty_stops_once_a_level_is_likely_enough_after_min_items() {
        let rule = StopRule {
            se: None,
            level_certainty: Some(0.8),
            ..StopRule::default()
        };
        assert_eq!(
            rule.reason_to_stop(5, &est(0.9, 0.5), 0.8, true),
            Some(StopReason::LevelCertainty)
        );
        assert_eq!(rule.reason_to_stop(5, &est(0.9, 0.5), 0.79, true), None);
        assert_eq!(rule.reason_to_stop(4, &est(0.9, 0.5), 0.95, true), None);
        assert_eq!(
            rule.reason_to_stop(20, &est(0.9, 0.5), 0.1, true),
            Some(StopReason::MaxItems)
        );
        // Off by default: a certain level alone never stops a test.
        assert_eq!(
            StopRule::default().reason_to_stop(6, &est(0.9, 0.5), 1.0, true),
            None
        );
    }

    #[test]
    fn empty_pool_stops_first() {
        let rule = StopRule::default();
        assert_eq!(
            rule.reason_to_stop(0, &est(0.0, 1.0), 0.0, false),
            Some(StopReason::PoolExhausted)
        );
    }

    #[test]
    fn check_names_the_bad_field() {
        let rule = StopRule {
            max_items: 0,
            ..StopRule::default()
        };
        assert_eq!(
            rule.check().unwrap_err().to_string(),
            "invalid config: stop.maxItems: must be at least 1"
        );
        let rule = StopRule {
            min_items: 30,
            ..StopRule::default()
        };
        assert_eq!(
            rule.check().unwrap_err().to_string(),
            "invalid config: stop.minItems: must not exceed maxItems"
        );
        for certainty in [0.0, -0.2, 1.01, f64::NAN] {
            let rule = StopRule {
                level_certainty: Some(certainty),
                ..StopRule::default()
            };
            assert_eq!(
                rule.check().unwrap_err().to_string(),
                "invalid config: stop.levelCertainty: must be above 0 and at most 1"
            );
        }
    }
}
