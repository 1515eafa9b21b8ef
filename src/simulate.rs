//! Simulation studies: run many simulated learners with known abilities through the engine and
//! measure how well it recovers them (RMSE, bias, length, item exposure). Authors use it to see
//! how a bank will behave; the test suite uses it to hold the engine to published accuracy.

use serde::{Deserialize, Serialize};

use crate::bank::{
    Bank, Calibration, Choice, Difficulty, FORMAT, Item, ItemType, Level, Model, Status, Topic,
};
use crate::error::{Error, Result};
use crate::rng::SeededRng;
use crate::session::{Session, SessionConfig};

/// The settings of a simulation study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct SimulationConfig {
    /// How many simulated learners.
    pub simulees: usize,
    /// Their true abilities are drawn from N(mean, sd²).
    pub theta_mean: f64,
    pub theta_sd: f64,
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
            seed: 1,
            session: SessionConfig::default(),
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
}

/// Runs a simulation study on one bank.
///
/// # Errors
///
/// [`Error::InvalidConfig`] for a bad session config or zero simulees.
pub fn simulate(bank: &Bank, config: &SimulationConfig) -> Result<SimulationResult> {
    if config.simulees == 0 {
        return Err(Error::InvalidConfig("simulees: must be at least 1".into()));
    }
    if !(config.theta_sd.is_finite() && config.theta_sd > 0.0 && config.theta_mean.is_finite()) {
        return Err(Error::InvalidConfig(
            "thetaSd: must be a positive number".into(),
        ));
    }
    let mut rng = SeededRng::new(config.seed);
    let mut seen = vec![0usize; bank.items.len()];
    let index: std::collections::HashMap<&str, usize> = bank
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.as_str(), i))
        .collect();
    let mut simulees = Vec::with_capacity(config.simulees);
    for learner in 0..config.simulees {
        let theta = config.theta_mean + config.theta_sd * standard_normal(&mut rng);
        let session_config = SessionConfig {
            seed: config.session.seed.wrapping_add(learner as u64),
            ..config.session.clone()
        };
        let mut session = Session::new(vec![bank.clone()], session_config)?;
        while let Some(item) = session.next_item() {
            let i = index[item.id.as_str()];
            seen[i] += 1;
            let correct = rng.uniform() < bank.items[i].params().prob(theta);
            session.record_score(&item.id, correct)?;
        }
        let estimate = &session.estimates()[0];
        simulees.push((theta, estimate.theta, estimate.se, estimate.answered));
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
        simulees,
    })
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
            Item {
                id: format!("{id}-{i:06}"),
                topic: format!("t{}", i % 6),
                kind: ItemType::Single,
                stem: format!("Synthetic item {i}"),
                options: ["A", "B", "C", "D"]
                    .iter()
                    .map(|t| Choice {
                        text: (*t).to_string(),
                        feedback: None,
                    })
                    .collect(),
                key: vec![i % 4],
                explanation: None,
                references: Vec::new(),
                status: Status::Active,
                enemies: Vec::new(),
                difficulty: Some(Difficulty::Medium),
                irt: Some(Calibration {
                    model: Model::TwoPl,
                    a: Some(a),
                    b,
                    c: None,
                    d: None,
                }),
                exposure: None,
                tags: Vec::new(),
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
