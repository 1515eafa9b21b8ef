//! Ability estimation (placeholder: being written). The public shapes below are the contract.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::irt::Params;

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
    pub method: Method,
    pub prior_mean: f64,
    pub prior_sd: f64,
    pub grid_points: usize,
    pub min_theta: f64,
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
    pub fn check(&self) -> Result<()> {
        Ok(())
    }
}

/// An ability estimate with its standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub theta: f64,
    pub se: f64,
}

/// One scored response to an item with known parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    pub params: Params,
    pub correct: bool,
}

/// The estimate for a response pattern with the configured method and the extreme-pattern
/// policy.
pub fn estimate(config: &EstimatorConfig, _responses: &[Scored]) -> Estimate {
    Estimate {
        theta: config.prior_mean,
        se: config.prior_sd,
    }
}
