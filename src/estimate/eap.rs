//! The expected a posteriori (EAP) estimate, at once or one response at a time.

use super::{Estimate, EstimatorConfig, Scored, settle};
use crate::irt::Params;

/// The expected a posteriori (EAP) estimate; SE = posterior SD.
///
/// # Formula
///
/// θ̂ = Σₖ θₖ wₖ π(θₖ) L(θₖ) / Σₖ wₖ π(θₖ) L(θₖ) and SE² = Σₖ (θₖ − θ̂)² wₖ π(θₖ) L(θₖ) /
/// Σₖ wₖ π(θₖ) L(θₖ), over the grid θₖ of [`EstimatorConfig`], with trapezoid weights wₖ (½
/// at both ends, 1 inside), π the N(μ, σ²) density and L(θ) = Πᵢ Pᵢ(θ)^xᵢ Qᵢ(θ)^(1−xᵢ) the
/// likelihood, accumulated as ln L and normalised by its maximum so that nothing underflows.
/// Reference: Bock & Mislevy (1982); catR `eapEst` and `eapSem`.
///
/// The result passes through the same clamping as [`estimate`] (which, for EAP, can only
/// raise an SE below [`SE_FLOOR`]).
///
/// [`estimate`]: super::estimate
/// [`SE_FLOOR`]: super::SE_FLOOR
pub fn eap(config: &EstimatorConfig, responses: &[Scored]) -> Estimate {
    let mut posterior = Posterior::new(config);
    for response in responses {
        posterior.add(&response.params, response.correct);
    }
    posterior.estimate()
}

/// An EAP posterior on the quadrature grid, updated one response at a time in O(grid); it
/// gives exactly (bit for bit) what [`eap`] gives for the same responses in the same order.
#[derive(Debug, Clone, PartialEq)]
pub struct Posterior {
    config: EstimatorConfig,
    grid: Vec<f64>,
    /// ln(wₖ π(θₖ) L(θₖ)) up to a constant (see [`eap`]).
    log_weight: Vec<f64>,
}

impl Posterior {
    /// The prior alone, on the grid of `config`.
    pub fn new(config: &EstimatorConfig) -> Self {
        let grid = config.grid();
        let last = grid.len() - 1;
        let log_weight = grid
            .iter()
            .enumerate()
            .map(|(k, theta)| {
                let z = (theta - config.prior_mean) / config.prior_sd;
                let trapezoid = if k == 0 || k == last {
                    0.5f64.ln()
                } else {
                    0.0
                };
                -0.5 * z * z + trapezoid
            })
            .collect();
        Self {
            config: config.clone(),
            grid,
            log_weight,
        }
    }

    /// Multiplies the likelihood of one scored response into the posterior.
    pub fn add(&mut self, params: &Params, correct: bool) {
        for (weight, &theta) in self.log_weight.iter_mut().zip(&self.grid) {
            *weight += params.log_prob(theta, correct);
        }
    }

    /// Each grid point with its posterior probability (the weights sum to 1): what a
    /// prediction averages over.
    pub fn points(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        let top = self
            .log_weight
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let mass: f64 = self.log_weight.iter().map(|w| (w - top).exp()).sum();
        self.grid
            .iter()
            .zip(&self.log_weight)
            .map(move |(&theta, w)| (theta, (w - top).exp() / mass))
    }

    /// The posterior mean and SD (see [`eap`]).
    pub fn estimate(&self) -> Estimate {
        let top = self
            .log_weight
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = self.log_weight.iter().map(|w| (w - top).exp()).collect();
        let mass: f64 = weights.iter().sum();
        let mean = weights
            .iter()
            .zip(&self.grid)
            .map(|(w, t)| w * t)
            .sum::<f64>()
            / mass;
        let variance = weights
            .iter()
            .zip(&self.grid)
            .map(|(w, t)| w * (t - mean) * (t - mean))
            .sum::<f64>()
            / mass;
        settle(
            &self.config,
            Estimate {
                theta: mean,
                se: variance.sqrt(),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::test_support::{bank_at, config, four_pl, scored};

    #[test]
    fn eap_without_responses_is_the_prior_on_the_grid() {
        let prior = eap(&EstimatorConfig::default(), &[]);
        assert!(prior.theta.abs() < 1e-15);
        // N(0, 1) truncated to [-4, 4] and discretised: SD just under 1.
        assert!((prior.se - 1.0).abs() < 1e-3, "{prior:?}");
    }

    #[test]
    fn posterior_updated_one_answer_at_a_time_equals_eap_bit_for_bit() {
        let config = config(|c| (c.prior_mean, c.prior_sd, c.grid_points) = (0.3, 1.4, 81));
        let mut rng = crate::rng::SeededRng::new(2024);
        let mut posterior = Posterior::new(&config);
        let mut responses = Vec::new();
        assert_eq!(posterior.estimate(), eap(&config, &responses));
        for _ in 0..60 {
            let params = four_pl(
                0.3 + 2.5 * rng.uniform(),
                -4.0 + 8.0 * rng.uniform(),
                0.3 * rng.uniform(),
                0.8 + 0.2 * rng.uniform(),
            );
            let correct = rng.uniform() < 0.5;
            posterior.add(&params, correct);
            responses.push(scored(params, correct));
            let (ours, direct) = (posterior.estimate(), eap(&config, &responses));
            let bits = |e: Estimate| (e.theta.to_bits(), e.se.to_bits());
            assert_eq!(bits(ours), bits(direct), "after {}", responses.len());
        }
    }

    #[test]
    fn incremental_posterior_also_never_moves_the_wrong_way_on_far_banks() {
        for (b, correct, direction) in [(3.0, false, -1.0), (-3.0, true, 1.0)] {
            let mut posterior = Posterior::new(&EstimatorConfig::default());
            let mut previous = posterior.estimate().theta;
            for params in bank_at(b).iter().cycle().take(100) {
                posterior.add(params, correct);
                let theta = posterior.estimate().theta;
                assert!(
                    (theta - previous) * direction >= 0.0,
                    "{previous} -> {theta}"
                );
                previous = theta;
            }
        }
    }
}
