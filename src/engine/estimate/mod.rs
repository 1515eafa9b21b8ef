//! Ability estimation: EAP, MAP, MLE and WLE, each with its standard error, and the policy that
//! keeps every estimate a learner sees finite and in range.
//!
//! # Conventions
//!
//! Those of catR (`thetaEst`, `semTheta` with `semType = "classic"`), so that the reference
//! fixtures in `tests/reference/` (computed with catpie, catR's Python translation) agree:
//!
//! - the logistic metric, D = 1;
//! - EAP integrates with the trapezoid rule on `grid_points` equally spaced points from
//!   `min_theta` to `max_theta`, both included (catR's `integrate.catR` on
//!   `seq(min, max, length.out = n)`), under a normal prior N(`prior_mean`, `prior_sd`²);
//! - MAP (catR "BM"), MLE ("ML") and WLE ("WL") are roots of a score equation searched within
//!   [`min_theta`, `max_theta`]; where the score keeps one sign over the whole range, the
//!   estimate is the bound it points to;
//! - standard errors: EAP the posterior SD; MAP 1/√(I(θ̂) + 1/σ²); MLE and WLE 1/√I(θ̂), with
//!   I the test (Fisher) information.
//!
//! # Formula: the score equations
//!
//! MAP, MLE and WLE solve equations built from three terms per response xᵢ ∈ {0, 1}:
//!
//! - the item score sᵢ = Pᵢ′(xᵢ − Pᵢ)/(PᵢQᵢ), that is d ln Pᵢ/dθ for a correct response and
//!   d ln Qᵢ/dθ for a wrong one;
//! - the Fisher information Iᵢ = Pᵢ′²/(PᵢQᵢ) (see [`Params::info`]);
//! - Warm's term Jᵢ = Pᵢ′Pᵢ″/(PᵢQᵢ).
//!
//! Reference: Baker & Kim (2004); Warm (1989); catR `Pi`, `Ii` and `Ji`.
//!
//! catR finds roots by bisection to 1.22e-4; here they are found to 1e-10. Where the score has
//! several roots (3PL and 4PL likelihoods can be multimodal), catR takes whichever root its
//! bisection reaches; here the estimate is the highest local maximum of the log-posterior
//! (MAP), the log-likelihood (MLE) or the integrated weighted score (WLE).
//!
//! # Extreme-pattern policy
//!
//! [`estimate`] never hands a learner an infinite, NaN or out-of-range number:
//!
//! 1. EAP and MAP use the prior, so they are finite for every pattern, including no answers,
//!    all correct and all wrong.
//! 2. MLE and WLE: while the pattern is empty, all correct or all wrong, the estimate is the
//!    EAP estimate with its posterior SD (a "Bayesian start"). The likelihood of such a pattern
//!    is monotone, so the MLE lies at a bound of the range, and the WLE, although finite, can
//!    move the wrong way on a bank far from the learner (all wrong on 3PL/4PL items at b = +3
//!    gives a WLE of +0.88). From the first mixed pattern on, the method's own estimate is used.
//! 3. θ is clamped to [`min_theta`, `max_theta`]; a mixed pattern whose likelihood still peaks
//!    beyond a bound (possible with guessing) is estimated at that bound, as in catR.
//! 4. The SE is clamped to [[`SE_FLOOR`], `max_theta − min_theta`]: 1/√I grows without bound
//!    where information vanishes, while a posterior SD never exceeds half the range.
//! 5. Anything still not finite (possible only with invalid item parameters or a configuration
//!    that fails [`EstimatorConfig::check`]) becomes the prior mean, clamped, with the capped SE.
//!
//! [`min_theta`]: EstimatorConfig::min_theta
//! [`max_theta`]: EstimatorConfig::max_theta
//!
//! References: Bock & Mislevy (1982), "Adaptive EAP estimation of ability in a microcomputer
//! environment", Applied Psychological Measurement 6(4); Warm (1989), "Weighted likelihood
//! estimation of ability in item response theory", Psychometrika 54(3); Baker & Kim (2004),
//! *Item Response Theory: Parameter Estimation Techniques*; Magis & Raîche (2012), "Random
//! generation of response patterns under computerized adaptive testing with the R package catR",
//! Journal of Statistical Software 48(8).

pub mod covariance;
mod eap;
mod joint;
mod level;
mod mode;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::irt::Params;

pub use eap::{Posterior, eap};
pub use joint::JointPosterior;
pub use level::{LevelProbability, level_probabilities, normal_cdf};
pub use mode::{map, mle, wle};

/// The largest quadrature grid [`EstimatorConfig::check`] accepts.
pub const MAX_GRID_POINTS: usize = 2001;

/// The smallest standard error [`estimate`] reports: below it, only rounding is left.
pub const SE_FLOOR: f64 = 1e-6;

/// The estimator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Expected a posteriori (posterior mean on a quadrature grid); SE = posterior SD.
    #[default]
    Eap,
    /// Maximum a posteriori (posterior mode).
    Map,
    /// Maximum likelihood.
    Mle,
    /// Warm's weighted likelihood.
    Wle,
}

/// Estimator settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct EstimatorConfig {
    /// The estimator [`estimate`] uses.
    pub method: Method,
    /// Mean of the normal prior (EAP and MAP; also the EAP start of MLE and WLE).
    pub prior_mean: f64,
    /// Standard deviation of the normal prior (> 0).
    pub prior_sd: f64,
    /// Number of EAP quadrature points, both ends included (2 to [`MAX_GRID_POINTS`]).
    pub grid_points: usize,
    /// Lower end of the EAP grid and of the MAP/MLE/WLE search range.
    pub min_theta: f64,
    /// Upper end of the EAP grid and of the MAP/MLE/WLE search range.
    pub max_theta: f64,
}

impl Default for EstimatorConfig {
    fn default() -> Self {
        Self {
            method: Method::Eap,
            prior_mean: 0.0,
            prior_sd: 1.0,
            grid_points: 61,
            min_theta: -4.0,
            max_theta: 4.0,
        }
    }
}

impl EstimatorConfig {
    /// Rejects meaningless settings, naming the field.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] naming the field as in JSON: `estimator.gridPoints: must be at
    /// least 2`.
    pub fn check(&self) -> Result<()> {
        let bad =
            |field: &str, why: &str| Err(Error::InvalidConfig(format!("estimator.{field}: {why}")));
        if !self.prior_mean.is_finite() {
            return bad("priorMean", "must be a finite number");
        }
        if !(self.prior_sd.is_finite() && self.prior_sd > 0.0) {
            return bad("priorSd", "must be a positive finite number");
        }
        if self.grid_points < 2 {
            return bad("gridPoints", "must be at least 2");
        }
        if self.grid_points > MAX_GRID_POINTS {
            return bad("gridPoints", &format!("must be at most {MAX_GRID_POINTS}"));
        }
        if !self.min_theta.is_finite() {
            return bad("minTheta", "must be a finite number");
        }
        if !self.max_theta.is_finite() {
            return bad("maxTheta", "must be a finite number");
        }
        if self.min_theta >= self.max_theta {
            return bad("minTheta", "must be less than maxTheta");
        }
        Ok(())
    }

    /// The quadrature grid: `grid_points` equally spaced points from `min_theta` to
    /// `max_theta` inclusive, computed as catR's `seq` does (`min + i · step`). An unchecked
    /// count is brought into [2, `MAX_GRID_POINTS`] rather than allocated as given.
    fn grid(&self) -> Vec<f64> {
        let n = self.grid_points.clamp(2, MAX_GRID_POINTS);
        let step = (self.max_theta - self.min_theta) / (n - 1) as f64;
        (0..n).map(|i| self.min_theta + i as f64 * step).collect()
    }
}

/// An ability estimate with its standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Ability on the logit scale (D = 1).
    pub theta: f64,
    /// Standard error of `theta`.
    pub se: f64,
}

/// One scored response to an item with known parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    /// The item's parameters.
    pub params: Params,
    /// Whether the response was correct.
    pub correct: bool,
}

/// The estimate for a response pattern with the configured method and the extreme-pattern
/// policy of the module documentation: always finite, θ within [`min_theta`, `max_theta`], SE
/// within [`SE_FLOOR`], `max_theta − min_theta`].
///
/// [`min_theta`]: EstimatorConfig::min_theta
/// [`max_theta`]: EstimatorConfig::max_theta
pub fn estimate(config: &EstimatorConfig, responses: &[Scored]) -> Estimate {
    let raw = match config.method {
        Method::Eap => eap(config, responses),
        Method::Map => map(config, responses),
        Method::Mle | Method::Wle if is_extreme(responses) => eap(config, responses),
        Method::Mle => mle(config, responses),
        Method::Wle => wle(config, responses),
    };
    settle(config, raw)
}

/// True for a pattern with no information on which way the learner differs from the items:
/// no answers, all correct or all wrong.
fn is_extreme(responses: &[Scored]) -> bool {
    let correct = responses.iter().filter(|r| r.correct).count();
    correct == 0 || correct == responses.len()
}

/// Applies points 3 to 5 of the extreme-pattern policy: θ clamped to the range (the prior mean
/// if θ is not finite), SE clamped to [`SE_FLOOR`, range width].
fn settle(config: &EstimatorConfig, raw: Estimate) -> Estimate {
    let (lo, hi) = if config.min_theta.is_finite()
        && config.max_theta.is_finite()
        && config.min_theta < config.max_theta
    {
        (config.min_theta, config.max_theta)
    } else {
        let fallback = EstimatorConfig::default();
        (fallback.min_theta, fallback.max_theta)
    };
    let theta = if raw.theta.is_finite() {
        raw.theta
    } else if config.prior_mean.is_finite() {
        config.prior_mean
    } else {
        0.5 * (lo + hi)
    };
    let cap = (hi - lo).min(f64::MAX);
    let se = if raw.se.is_nan() {
        cap
    } else {
        raw.se.max(SE_FLOOR).min(cap)
    };
    Estimate {
        theta: theta.max(lo).min(hi),
        se,
    }
}

#[cfg(test)]
mod test_support {
    //! Builders shared by the unit tests of this module and its submodules.

    use super::{EstimatorConfig, Scored};
    use crate::irt::Params;

    pub(super) fn scored(params: Params, correct: bool) -> Scored {
        Scored { params, correct }
    }

    pub(super) fn four_pl(a: f64, b: f64, c: f64, d: f64) -> Params {
        Params { a, b, c, d }
    }

    /// The default configuration, changed by `change`.
    pub(super) fn config(change: impl FnOnce(&mut EstimatorConfig)) -> EstimatorConfig {
        let mut config = EstimatorConfig::default();
        change(&mut config);
        config
    }

    /// Items of every model at one difficulty: 2PL, 3PL, 4PL with c = 0, 4PL.
    pub(super) fn bank_at(b: f64) -> [Params; 4] {
        [
            Params::two_pl(1.2, b),
            Params::three_pl(1.5, b, 0.2),
            four_pl(0.9, b, 0.0, 0.93),
            four_pl(1.8, b, 0.1, 0.95),
        ]
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::test_support::{bank_at, config, four_pl, scored};
    use super::*;

    const ALL_METHODS: [Method; 4] = [Method::Eap, Method::Map, Method::Mle, Method::Wle];

    /// A change to a configuration.
    type Spoil = fn(&mut EstimatorConfig);

    fn with(method: Method) -> EstimatorConfig {
        config(|c| c.method = method)
    }

    fn all(items: &[Params], correct: bool) -> Vec<Scored> {
        items.iter().map(|&p| scored(p, correct)).collect()
    }

    fn mixed_pattern() -> Vec<Scored> {
        vec![
            scored(Params::two_pl(1.0, -1.0), true),
            scored(Params::three_pl(1.4, 0.0, 0.2), true),
            scored(four_pl(1.1, 0.5, 0.1, 0.9), false),
            scored(Params::two_pl(0.8, 1.5), false),
        ]
    }

    #[test]
    fn check_accepts_the_default_and_the_grid_size_limits() {
        assert_eq!(EstimatorConfig::default().check(), Ok(()));
        assert_eq!(config(|c| c.grid_points = 2).check(), Ok(()));
        assert_eq!(config(|c| c.grid_points = MAX_GRID_POINTS).check(), Ok(()));
    }

    #[test]
    fn check_names_the_bad_field_in_camel_case() {
        let positive = "priorSd: must be a positive finite number";
        let cases: [(Spoil, &str); 10] = [
            (
                |c| c.prior_mean = f64::NAN,
                "priorMean: must be a finite number",
            ),
            (|c| c.prior_sd = 0.0, positive),
            (|c| c.prior_sd = -1.0, positive),
            (|c| c.prior_sd = f64::INFINITY, positive),
            (|c| c.grid_points = 1, "gridPoints: must be at least 2"),
            (|c| c.grid_points = 2002, "gridPoints: must be at most 2001"),
            (
                |c| c.min_theta = f64::NEG_INFINITY,
                "minTheta: must be a finite number",
            ),
            (
                |c| c.max_theta = f64::NAN,
                "maxTheta: must be a finite number",
            ),
            (
                |c| c.min_theta = 4.0,
                "minTheta: must be less than maxTheta",
            ),
            (
                |c| c.max_theta = -5.0,
                "minTheta: must be less than maxTheta",
            ),
        ];
        for (spoil, message) in cases {
            let expected = Error::InvalidConfig(format!("estimator.{message}"));
            assert_eq!(config(spoil).check(), Err(expected));
        }
    }

    #[test]
    fn config_reads_camel_case_json_with_defaults() {
        let parsed: EstimatorConfig =
            serde_json::from_str(r#"{"method": "wle", "gridPoints": 81}"#).unwrap();
        assert_eq!(
            parsed,
            config(|c| (c.method, c.grid_points) = (Method::Wle, 81))
        );
        assert!(serde_json::from_str::<EstimatorConfig>(r#"{"grid": 81}"#).is_err());
    }

    #[test]
    fn grid_is_equally_spaced_with_both_ends() {
        let grid = EstimatorConfig::default().grid();
        assert_eq!((grid.len(), grid[0]), (61, -4.0));
        assert!((grid[60] - 4.0).abs() < 1e-15 && grid[30].abs() < 1e-15);
    }

    #[test]
    fn symmetric_1pl_pattern_gives_theta_zero_for_every_method() {
        let responses = [
            scored(Params::two_pl(1.0, -1.0), true),
            scored(Params::two_pl(1.0, 1.0), false),
        ];
        for method in ALL_METHODS {
            let e = estimate(&with(method), &responses);
            assert!(e.theta.abs() < 1e-9, "{method:?}: {e:?}");
        }
    }

    #[test]
    fn mle_and_wle_start_from_eap_until_the_pattern_is_mixed() {
        for method in [Method::Mle, Method::Wle] {
            let config = with(method);
            assert_eq!(estimate(&config, &[]), eap(&config, &[]), "{method:?}");
            for pattern in [all(&bank_at(0.0), true), all(&bank_at(0.0), false)] {
                assert_eq!(
                    estimate(&config, &pattern),
                    eap(&config, &pattern),
                    "{method:?}"
                );
            }
        }
        let (mixed, mle_config) = (mixed_pattern(), with(Method::Mle));
        assert_eq!(estimate(&mle_config, &mixed), mle(&mle_config, &mixed));
        assert_ne!(estimate(&mle_config, &mixed), eap(&mle_config, &mixed));
        let wle_config = with(Method::Wle);
        assert_eq!(estimate(&wle_config, &mixed), wle(&wle_config, &mixed));
    }

    #[test]
    fn raw_mle_at_a_bound_has_a_large_se_that_the_policy_caps() {
        let config = with(Method::Mle);
        let raw = mle(&config, &all(&bank_at(-3.0), true));
        assert_eq!(raw.theta, 4.0);
        assert!(raw.se > 8.0, "{raw:?}");
        // A mixed pattern whose likelihood still rises to the lower bound: a wrong answer on
        // an easy item, and only a lucky guess on a very hard 3PL item.
        let lucky = [
            scored(Params::two_pl(2.0, -3.9), false),
            scored(Params::three_pl(2.0, 3.5, 0.25), true),
        ];
        assert_eq!(mle(&config, &lucky).theta, -4.0);
        let settled = estimate(&config, &lucky);
        assert_eq!(settled.theta, -4.0);
        assert_eq!(settled.se, mle(&config, &lucky).se.min(8.0));
    }

    #[test]
    fn raw_wle_moves_the_wrong_way_on_a_far_bank_which_the_policy_prevents() {
        let (config, pattern) = (with(Method::Wle), all(&bank_at(3.0), false));
        assert!(wle(&config, &pattern).theta > 0.0);
        assert!(estimate(&config, &pattern).theta < 0.0);
    }

    /// Feeds 10 rounds of `items` answered `correct`, one by one, with every method, and
    /// asserts that θ never moves against `direction` (−1: down, +1: up).
    fn assert_never_moves_against(direction: f64, items: &[Params], correct: bool) {
        for method in ALL_METHODS {
            let config = with(method);
            let mut responses = Vec::new();
            let mut previous = estimate(&config, &responses).theta;
            for &params in items.iter().cycle().take(10 * items.len()) {
                responses.push(scored(params, correct));
                let theta = estimate(&config, &responses).theta;
                let n = responses.len();
                assert!(
                    (theta - previous) * direction >= 0.0,
                    "{method:?} #{n}: {previous} -> {theta}"
                );
                previous = theta;
            }
        }
    }

    #[test]
    fn wrong_answers_on_a_hard_bank_never_raise_theta() {
        assert_never_moves_against(-1.0, &bank_at(3.0), false);
    }

    #[test]
    fn correct_answers_on_an_easy_bank_never_lower_theta() {
        assert_never_moves_against(1.0, &bank_at(-3.0), true);
    }

    #[test]
    fn invalid_configs_still_give_finite_estimates_without_panicking() {
        let spoiled: [Spoil; 7] = [
            |c| c.grid_points = 0,
            |c| c.grid_points = usize::MAX,
            |c| c.prior_sd = 0.0,
            |c| c.prior_mean = f64::NAN,
            |c| (c.min_theta, c.max_theta) = (4.0, -4.0),
            |c| c.min_theta = f64::NAN,
            |c| c.max_theta = f64::INFINITY,
        ];
        for (spoil, method) in spoiled.iter().flat_map(|s| ALL_METHODS.map(|m| (s, m))) {
            let config = config(|c| {
                spoil(c);
                c.method = method;
            });
            for responses in [vec![], mixed_pattern()] {
                let e = estimate(&config, &responses);
                assert!(
                    e.theta.is_finite() && e.se.is_finite() && e.se > 0.0,
                    "{config:?}"
                );
            }
        }
    }

    #[test]
    fn invalid_item_parameters_give_the_prior_mean_not_nan() {
        let broken = [scored(four_pl(f64::NAN, 0.0, 0.0, 1.0), true)];
        for method in ALL_METHODS {
            let e = estimate(&with(method), &broken);
            assert_eq!(e.theta, 0.0, "{method:?}");
            assert!(e.se.is_finite() && e.se > 0.0);
        }
    }

    /// Any valid 4PL item, from barely to extremely discriminating, far beyond the grid;
    /// c = 0 and d = 1 exactly about half of the time.
    fn any_item() -> impl Strategy<Value = Params> {
        let c = prop_oneof![Just(0.0), 0.0..0.49f64];
        let d = prop_oneof![Just(1.0), 0.0..1.0f64];
        (0.01..60.0f64, -80.0..80.0f64, c, d).prop_map(|(a, b, c, d)| {
            four_pl(
                a,
                b,
                c,
                if d == 1.0 {
                    1.0
                } else {
                    c + 0.01 + (0.99 - c) * d
                },
            )
        })
    }

    fn any_config() -> impl Strategy<Value = EstimatorConfig> {
        let method = prop::sample::select(ALL_METHODS.to_vec());
        let shape = (
            -3.0..3.0f64,
            0.05..5.0f64,
            2..300usize,
            -12.0..0.0f64,
            0.1..20.0f64,
        );
        (method, shape).prop_map(|(method, (mean, sd, points, min, width))| EstimatorConfig {
            method,
            prior_mean: mean,
            prior_sd: sd,
            grid_points: points,
            min_theta: min,
            max_theta: min + width,
        })
    }

    proptest! {
        #[test]
        fn estimates_are_finite_and_in_range_for_random_extreme_inputs(
            config in any_config(),
            responses in prop::collection::vec(
                (any_item(), any::<bool>()).prop_map(|(params, correct)| Scored { params, correct }),
                0..40,
            ),
        ) {
            prop_assert_eq!(config.check(), Ok(()));
            let e = estimate(&config, &responses);
            let width = config.max_theta - config.min_theta;
            prop_assert!(e.theta.is_finite() && e.se.is_finite(), "{:?}", e);
            prop_assert!(config.min_theta <= e.theta && e.theta <= config.max_theta, "{:?}", e);
            prop_assert!(SE_FLOOR <= e.se && e.se <= width, "{:?}", e);
            for raw in [eap(&config, &responses), map(&config, &responses)] {
                prop_assert!(raw.theta.is_finite() && raw.se.is_finite(), "{:?}", raw);
            }
            for raw in [mle(&config, &responses), wle(&config, &responses)] {
                prop_assert!(raw.theta.is_finite() && !raw.se.is_nan() && raw.se > 0.0, "{:?}", raw);
            }
        }
    }
}
