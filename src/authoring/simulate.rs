//! Simulation studies: run many simulated learners with known abilities through the engine and
//! measure how well it recovers them (RMSE, bias, length, item exposure), overall and
//! conditionally on the true ability. Authors use it to see how a bank will behave; the test
//! suite uses it to hold the engine to published accuracy.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::bank::{
    Bank, Calibration, Choice, Difficulty, FORMAT, Item, ItemType, Level, Model, Topic,
};
use crate::error::{Error, Result};
use crate::rng::SeededRng;
use crate::session::{Session, SessionConfig};

/// The width of the true-ability bins of [`SimulationResult::conditional`].
pub const BIN_WIDTH: f64 = 0.5;

/// The settings of a simulation study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct SimulationConfig {
    /// How many simulated learners.
    pub simulees: usize,
    /// Their true abilities are drawn from N(mean, sd²)…
    pub theta_mean: f64,
    pub theta_sd: f64,
    /// …or, when set, from U(min, max) (then `theta_mean` and `theta_sd` are ignored): a flat
    /// spread shows how precision varies along the scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theta_uniform: Option<[f64; 2]>,
    /// Seeds the true abilities and responses; learner i's session uses `session.seed + i`.
    pub seed: u64,
    pub session: SessionConfig,
}

impl Default for SimulationConfig {
    fn default() -> Self {
        Self {
            simulees: 1000,
            theta_mean: 0.0,
            theta_sd: 1.0,
            theta_uniform: None,
            seed: 1,
            session: SessionConfig::default(),
        }
    }
}

impl SimulationConfig {
    /// Checks the study's own settings (the session config is checked by the session).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] naming the field.
    pub fn check(&self) -> Result<()> {
        if self.simulees == 0 {
            return Err(Error::InvalidConfig("simulees: must be at least 1".into()));
        }
        match self.theta_uniform {
            Some([min, max]) => {
                if !(min.is_finite() && max.is_finite() && min < max) {
                    return Err(Error::InvalidConfig(
                        "thetaUniform: must be two finite numbers, the first below the second"
                            .into(),
                    ));
                }
            }
            None => {
                if !(self.theta_sd.is_finite() && self.theta_sd > 0.0) {
                    return Err(Error::InvalidConfig(
                        "thetaSd: must be a positive number".into(),
                    ));
                }
                if !self.theta_mean.is_finite() {
                    return Err(Error::InvalidConfig(
                        "thetaMean: must be a finite number".into(),
                    ));
                }
            }
        }
        self.session.check()
    }

    /// One learner's true ability.
    fn draw_theta(&self, rng: &mut SeededRng) -> f64 {
        match self.theta_uniform {
            Some([min, max]) => min + (max - min) * rng.uniform(),
            None => self.theta_mean + self.theta_sd * standard_normal(rng),
        }
    }
}

/// What a simulation study found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulationResult {
    /// √(mean (θ̂ − θ)²).
    pub rmse: f64,
    /// mean (θ̂ − θ).
    pub bias: f64,
    /// Mean number of scored items.
    pub mean_length: f64,
    /// Mean reported standard error.
    pub mean_se: f64,
    /// Per item of the bank, the share of simulees who saw it.
    pub exposure: Vec<f64>,
    /// The largest exposure rate.
    pub max_exposure: f64,
    /// Items no simulee saw.
    pub never_used: usize,
    /// Per simulee: (true θ, estimated θ, SE, items).
    pub simulees: Vec<(f64, f64, f64, usize)>,
    /// The same statistics by true ability, in bins of width [`BIN_WIDTH`].
    #[serde(default)]
    pub conditional: Vec<ThetaBin>,
}

/// The statistics of the simulees whose true θ lies in [from, to).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThetaBin {
    pub from: f64,
    pub to: f64,
    /// How many simulees fell in the bin.
    pub simulees: usize,
    /// Conditional bias: mean (θ̂ − θ) in the bin.
    pub bias: f64,
    /// Conditional RMSE: √(mean (θ̂ − θ)²) in the bin.
    pub rmse: f64,
    /// Conditional SE: the mean reported standard error in the bin.
    pub mean_se: f64,
    /// Mean number of scored items in the bin.
    pub mean_length: f64,
}

/// How many items had an exposure rate in a range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExposureBin {
    /// Exclusive lower end, except for the first bin, which holds exactly 0 (never used).
    pub from: f64,
    /// Inclusive upper end.
    pub to: f64,
    pub items: usize,
}

/// Runs a simulation study on one bank.
///
/// # Errors
///
/// [`Error::InvalidConfig`] for a bad study or session config.
pub fn simulate(bank: &Bank, config: &SimulationConfig) -> Result<SimulationResult> {
    simulate_with_progress(bank, config, &mut |_| {})
}

/// [`simulate`], calling `progress` with the number of simulees done after each one (for a
/// progress bar); the result is the same.
///
/// # Errors
///
/// [`Error::InvalidConfig`] for a bad study or session config.
pub fn simulate_with_progress(
    bank: &Bank,
    config: &SimulationConfig,
    progress: &mut dyn FnMut(usize),
) -> Result<SimulationResult> {
    config.check()?;
    let mut rng = SeededRng::new(config.seed);
    let mut seen = vec![0usize; bank.items.len()];
    let index: std::collections::HashMap<&str, usize> = bank
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.as_str(), i))
        .collect();
    let mut simulees = Vec::with_capacity(config.simulees);
    // One copy for every simulee's session, not one each.
    let shared = std::sync::Arc::new(bank.clone());
    for learner in 0..config.simulees {
        let theta = config.draw_theta(&mut rng);
        let session_config = SessionConfig {
            seed: config.session.seed.wrapping_add(learner as u64),
            ..config.session.clone()
        };
        let mut session = Session::new(vec![std::sync::Arc::clone(&shared)], session_config)?;
        while let Some(item) = session.next_item() {
            let Some(&i) = index.get(item.id.as_str()) else {
                return Err(Error::InvalidCall(format!(
                    "the session offered item `{}`, which is not in the bank",
                    item.id
                )));
            };
            seen[i] += 1;
            let correct = rng.uniform() < bank.items[i].params().prob(theta);
            session.record_score(&item.id, correct)?;
        }
        let estimate = &session.estimates()[0];
        simulees.push((theta, estimate.theta, estimate.se, estimate.answered));
        progress(learner + 1);
    }
    let n = simulees.len() as f64;
    let bias = simulees.iter().map(|s| s.1 - s.0).sum::<f64>() / n;
    let rmse = (simulees.iter().map(|s| (s.1 - s.0).powi(2)).sum::<f64>() / n).sqrt();
    let exposure: Vec<f64> = seen.iter().map(|&c| c as f64 / n).collect();
    Ok(SimulationResult {
        rmse,
        bias,
        mean_length: simulees.iter().map(|s| s.3 as f64).sum::<f64>() / n,
        mean_se: simulees.iter().map(|s| s.2).sum::<f64>() / n,
        max_exposure: exposure.iter().copied().fold(0.0, f64::max),
        never_used: seen.iter().filter(|&&c| c == 0).count(),
        exposure,
        conditional: conditional(&simulees, BIN_WIDTH),
        simulees,
    })
}

/// Bias, RMSE, mean SE and mean length by true ability: simulees (true θ, θ̂, SE, items) are
/// grouped in bins [k·width, (k + 1)·width); only bins holding a simulee are returned, in
/// increasing θ. Non-finite abilities and a non-positive width give no bins.
pub fn conditional(simulees: &[(f64, f64, f64, usize)], width: f64) -> Vec<ThetaBin> {
    if !(width.is_finite() && width > 0.0) {
        return Vec::new();
    }
    // Per bin: n, Σ error, Σ error², Σ SE, Σ length.
    let mut bins: BTreeMap<i64, (usize, f64, f64, f64, f64)> = BTreeMap::new();
    for &(theta, estimate, se, length) in simulees.iter().filter(|s| s.0.is_finite()) {
        let bin = bins.entry((theta / width).floor() as i64).or_default();
        let error = estimate - theta;
        bin.0 += 1;
        bin.1 += error;
        bin.2 += error * error;
        bin.3 += se;
        bin.4 += length as f64;
    }
    bins.into_iter()
        .map(|(k, (count, sum, squares, se, length))| {
            let n = count as f64;
            ThetaBin {
                from: k as f64 * width,
                to: (k + 1) as f64 * width,
                simulees: count,
                bias: sum / n,
                rmse: (squares / n).sqrt(),
                mean_se: se / n,
                mean_length: length / n,
            }
        })
        .collect()
}

/// How many items had each exposure rate: exactly 0 (never used), then `bins` equal ranges
/// (0, 1/bins], …, ((bins − 1)/bins, 1].
pub fn exposure_histogram(exposure: &[f64], bins: usize) -> Vec<ExposureBin> {
    let bins = bins.max(1);
    let mut histogram: Vec<ExposureBin> = std::iter::once((0.0, 0.0))
        .chain((0..bins).map(|k| (k as f64 / bins as f64, (k + 1) as f64 / bins as f64)))
        .map(|(from, to)| ExposureBin { from, to, items: 0 })
        .collect();
    for &rate in exposure {
        let slot = if rate <= 0.0 {
            0
        } else {
            // (k/bins, (k+1)/bins] → slot k + 1; rates above 1 (impossible) go to the last.
            ((rate * bins as f64).ceil() as usize).clamp(1, bins)
        };
        histogram[slot].items += 1;
    }
    histogram
}

/// A draw from N(0, 1) by the Box-Muller transform (two uniforms per draw, for simplicity).
pub fn standard_normal(rng: &mut SeededRng) -> f64 {
    let u1 = 1.0 - rng.uniform(); // (0, 1]: ln never sees 0
    let u2 = rng.uniform();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A synthetic calibrated 2PL bank for studies and benchmarks: `n` items spread over six
/// topics, a ~ U(a_min, a_max), b ~ U(−3, 3).
pub fn synthetic_bank(id: &str, n: usize, a_range: (f64, f64), seed: u64) -> Bank {
    let mut rng = SeededRng::new(seed);
    let topics: Vec<Topic> = (0..6)
        .map(|t| Topic {
            id: format!("t{t}"),
            title: format!("Topic {t}"),
            weight: None,
        })
        .collect();
    let items = (0..n)
        .map(|i| {
            let a = a_range.0 + (a_range.1 - a_range.0) * rng.uniform();
            let b = -3.0 + 6.0 * rng.uniform();
            let options = ["A", "B", "C", "D"]
                .iter()
                .map(|t| Choice {
                    text: (*t).to_string(),
                    feedback: None,
                })
                .collect();
            let item = Item::new(
                format!("{id}-{i:06}"),
                format!("t{}", i % 6),
                ItemType::Single,
                format!("Synthetic item {i}"),
                options,
                vec![i % 4],
            );
            Item {
                difficulty: Some(Difficulty::Medium),
                irt: Some(Calibration {
                    model: Model::TwoPl,
                    a: Some(a),
                    b,
                    c: None,
                    d: None,
                }),
                ..item
            }
        })
        .collect();
    Bank {
        schema: None,
        format: FORMAT.to_string(),
        id: id.to_string(),
        title: format!("Synthetic bank {id}"),
        description: "Generated for simulation studies.".to_string(),
        version: "1".to_string(),
        changelog: Vec::new(),
        language: "en".to_string(),
        topics,
        levels: vec![Level {
            name: "All".to_string(),
            description: None,
            min_theta: None,
        }],
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditional_bins_split_at_multiples_of_the_width() {
        let simulees = [
            (-0.2, 0.0, 0.3, 10),
            (-0.4, -0.8, 0.5, 20),
            (0.0, 0.1, 0.4, 12),
            (0.49, 0.39, 0.2, 8),
            (f64::NAN, 0.0, 0.1, 1),
        ];
        let bins = conditional(&simulees, 0.5);
        assert_eq!(bins.len(), 2);
        assert_eq!((bins[0].from, bins[0].to, bins[0].simulees), (-0.5, 0.0, 2));
        assert!((bins[0].bias - (0.2 - 0.4) / 2.0).abs() < 1e-15);
        assert!((bins[0].rmse - ((0.04 + 0.16) / 2.0f64).sqrt()).abs() < 1e-15);
        assert!((bins[0].mean_se - 0.4).abs() < 1e-15);
        assert_eq!(
            (bins[1].from, bins[1].simulees, bins[1].mean_length),
            (0.0, 2, 10.0)
        );
        assert!(conditional(&simulees, 0.0).is_empty());
    }

    #[test]
    fn exposure_histogram_separates_never_used_items() {
        let histogram = exposure_histogram(&[0.0, 0.05, 0.1, 0.1000001, 1.0, 0.0], 10);
        assert_eq!(histogram.len(), 11);
        let counts: Vec<usize> = histogram.iter().map(|b| b.items).collect();
        assert_eq!(counts, [2, 2, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!((histogram[1].from, histogram[1].to), (0.0, 0.1));
    }

    #[test]
    fn uniform_abilities_stay_in_their_range() {
        let bank = synthetic_bank("u", 40, (1.0, 2.0), 3);
        let config = SimulationConfig {
            simulees: 50,
            theta_uniform: Some([-3.0, -1.0]),
            ..Default::default()
        };
        let mut calls = 0;
        let result = simulate_with_progress(&bank, &config, &mut |done| {
            calls += 1;
            assert_eq!(done, calls);
        })
        .expect("valid study");
        assert_eq!(calls, 50);
        assert!(result.simulees.iter().all(|s| (-3.0..-1.0).contains(&s.0)));
        assert_eq!(
            result.conditional.iter().map(|b| b.simulees).sum::<usize>(),
            50
        );
        assert!(
            result
                .conditional
                .iter()
                .all(|b| b.from >= -3.0 && b.to <= -1.0)
        );
    }

    #[test]
    fn bad_ability_distributions_are_rejected() {
        let bank = synthetic_bank("u", 10, (1.0, 2.0), 3);
        for theta_uniform in [Some([1.0, 1.0]), Some([f64::NAN, 1.0])] {
            let config = SimulationConfig {
                theta_uniform,
                ..Default::default()
            };
            assert!(
                matches!(simulate(&bank, &config), Err(Error::InvalidConfig(m)) if m.starts_with("thetaUniform"))
            );
        }
        let config = SimulationConfig {
            theta_sd: 0.0,
            ..Default::default()
        };
        assert!(simulate(&bank, &config).is_err());
    }
}
