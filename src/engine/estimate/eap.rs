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
        let log_prob = params.log_prob_at(correct);
        for (weight, &theta) in self.log_weight.iter_mut().zip(&self.grid) {
            *weight += log_prob(theta);
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

    /// P(θ < `cut`): the posterior read as a piecewise-linear density between grid points, the
    /// density whose integral the trapezoid rule of [`eap`] computes exactly (for the level
    /// probabilities of [`level_probabilities`](super::level_probabilities)). 0 below the grid,
    /// 1 above it.
    ///
    /// # Formula
    ///
    /// With f the posterior density at the grid points (πₖLₖ, without the trapezoid weights),
    /// spacing h, and the cut at θₖ + t·h inside the cell [θₖ, θₖ₊₁]: the mass below is the
    /// whole cells before it plus h(t fₖ + t²/2 (fₖ₊₁ − fₖ)), over the total h Σ wₖ fₖ.
    pub fn probability_below(&self, cut: f64) -> f64 {
        let (first, last) = (self.grid[0], self.grid[self.grid.len() - 1]);
        if cut.is_nan() || cut <= first {
            return 0.0;
        }
        if cut >= last {
            return 1.0;
        }
        let top = self
            .log_weight
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let end = self.grid.len() - 1;
        // The density at each point: the trapezoid's ½ at both ends taken back out.
        let density = |k: usize| {
            let end_weight = if k == 0 || k == end { 2.0 } else { 1.0 };
            end_weight * (self.log_weight[k] - top).exp()
        };
        let step = (last - first) / end as f64;
        let (mut below, mut total) = (0.0, 0.0);
        for k in 0..end {
            let (left, right) = (density(k), density(k + 1));
            let cell = 0.5 * (left + right);
            total += cell;
            let t = (cut - self.grid[k]) / step;
            if t >= 1.0 {
                below += cell;
            } else if t > 0.0 {
                below += t * left + 0.5 * t * t * (right - left);
            }
        }
        if total > 0.0 && total.is_finite() {
            (below / total).clamp(0.0, 1.0)
        } else {
            0.5
        }
    }

    /// A posterior given directly as ln(weight) per point of `grid` (the trapezoid weight
    /// included), such as a domain's marginal in a joint posterior.
    pub(super) fn from_log_weight(
        config: &EstimatorConfig,
        grid: Vec<f64>,
        log_weight: Vec<f64>,
    ) -> Self {
        Self {
            config: config.clone(),
            grid,
            log_weight,
        }
    }

    /// The posterior mean and SD (see [`eap`]).
    pub fn estimate(&self) -> Estimate {
        let (mean, variance) = moments(&self.grid, &self.log_weight);
        settle(
            &self.config,
            Estimate {
                theta: mean,
                se: variance.sqrt(),
            },
        )
    }
}

/// The mean and variance of the distribution with weights exp(`log_weight`) on `grid` (the
/// sums of [`eap`]), unclamped.
pub(super) fn moments(grid: &[f64], log_weight: &[f64]) -> (f64, f64) {
    let top = log_weight.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = log_weight.iter().map(|w| (w - top).exp()).collect();
    let mass: f64 = weights.iter().sum();
    let mean = weights.iter().zip(grid).map(|(w, t)| w * t).sum::<f64>() / mass;
    let variance = weights
        .iter()
        .zip(grid)
        .map(|(w, t)| w * (t - mean) * (t - mean))
        .sum::<f64>()
        / mass;
    (mean, variance)
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
    fn probability_below_the_prior_is_phi_within_the_grid_discretisation() {
        let prior = Posterior::new(&EstimatorConfig::default());
        // Cuts on and between grid points (spacing 8/60); a nearest-point rule would be off by
        // up to half a cell's mass (about 0.026 near 0).
        for cut in [-1.9, -0.5, 0.0, 0.03, 0.5, 1.5, 2.71] {
            let found = prior.probability_below(cut);
            let phi = crate::estimate::normal_cdf(cut);
            assert!(
                (found - phi).abs() < 5e-4,
                "P(θ < {cut}) = {found}, Φ = {phi}"
            );
        }
        assert_eq!(prior.probability_below(-4.0), 0.0);
        assert_eq!(prior.probability_below(-7.0), 0.0);
        assert_eq!(prior.probability_below(4.0), 1.0);
        assert_eq!(prior.probability_below(f64::NAN), 0.0);
    }

    #[test]
    fn probability_below_rises_continuously_through_grid_points() {
        let mut posterior = Posterior::new(&EstimatorConfig::default());
        for (b, correct) in [(-1.0, true), (0.0, true), (0.5, false), (1.2, false)] {
            posterior.add(&Params::three_pl(1.4, b, 0.2), correct);
        }
        let mut previous = 0.0;
        for i in 0..=8000 {
            let cut = -4.0 + i as f64 * 0.001;
            let p = posterior.probability_below(cut);
            // The density never exceeds 1.5 here, so 0.001 further adds less than 0.0015.
            assert!(
                p >= previous && p - previous < 0.0015,
                "{cut}: {previous} -> {p}"
            );
            previous = p;
        }
        assert!((previous - 1.0).abs() < 1e-12);
    }

    #[test]
    fn probability_below_agrees_with_a_dense_grid_for_a_mixed_pattern() {
        let items = [
            (Params::two_pl(1.2, -0.8), true),
            (Params::three_pl(1.6, 0.2, 0.25), true),
            (four_pl(1.1, 0.9, 0.1, 0.95), false),
            (Params::two_pl(0.9, 1.4), false),
            (Params::two_pl(1.8, 0.4), true),
        ];
        let mut posterior = Posterior::new(&EstimatorConfig::default());
        for (params, correct) in &items {
            posterior.add(params, *correct);
        }
        // Reference: the same posterior on 8001 points (the cuts fall on grid points), integrated
        // by the trapezoid rule.
        let dense = config(|c| c.grid_points = 8001);
        let grid = dense.grid();
        let density: Vec<f64> = grid
            .iter()
            .map(|&t| {
                let log: f64 = items.iter().map(|(p, x)| p.log_prob(t, *x)).sum();
                (log - 0.5 * t * t).exp()
            })
            .collect();
        let cumulative = |cut: f64| {
            let mut mass = [0.0, 0.0];
            for k in 0..grid.len() - 1 {
                let cell = 0.5 * (density[k] + density[k + 1]);
                mass[1] += cell;
                if grid[k + 1] <= cut + 1e-9 {
                    mass[0] += cell;
                }
            }
            mass[0] / mass[1]
        };
        for cut in [-0.5, 0.5, 1.5, 0.77] {
            let (found, reference) = (posterior.probability_below(cut), cumulative(cut));
            assert!(
                (found - reference).abs() < 1e-3,
                "{cut}: {found} vs {reference}"
            );
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
