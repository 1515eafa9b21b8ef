//! Session settings: one struct with defaults, readable from JavaScript (camelCase) and stored
//! inside saved sessions so a restore continues with exactly the same rules.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::estimate::covariance::check_correlations;
use crate::estimate::{EstimatorConfig, Method};
use crate::select::SelectionConfig;
use crate::stop::StopRule;

/// Practice shows feedback after each answer; assessment reveals nothing until the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Each answer returns correctness, per-option feedback, the explanation and references.
    #[default]
    Practice,
    /// No key, feedback or explanation leaves the engine until the test is finished.
    Assessment,
}

/// How a test over several domains interleaves them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DomainOrder {
    /// One item from each unfinished domain in turn.
    #[default]
    RoundRobin,
    /// Each domain to its end before the next begins.
    Blocked,
    /// The domain whose next item most reduces the posterior variances of the unfinished
    /// domains (see [`crate::select::choose_domain`]).
    Adaptive,
}

/// Everything that decides how a session runs.
///
/// ```
/// use skillcat::{SessionConfig, StopRule};
/// let config = SessionConfig { seed: 7, stop: StopRule { max_items: 30, ..Default::default() }, ..Default::default() };
/// assert_eq!(config.stop.se, Some(0.3));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct SessionConfig {
    pub mode: Mode,
    /// Seeds every random choice: the same seed and answers give the same test.
    pub seed: u64,
    /// Applied to each domain separately.
    pub stop: StopRule,
    pub selection: SelectionConfig,
    pub estimator: EstimatorConfig,
    pub order: DomainOrder,
    /// At most this many `pretest` items per domain are seeded into the test (unscored, never
    /// a domain's first item).
    pub pretest_items: usize,
    /// How the session's domains' abilities correlate, row by row in bank order (a full
    /// correlation matrix, as [`Profile::correlations_for`] gives it). `None`: uncorrelated,
    /// each domain estimated on its own. With it, the EAP estimate is joint across domains
    /// ([`JointPosterior`]). Kept in saved sessions, so a restore uses the same prior.
    ///
    /// [`Profile::correlations_for`]: crate::Profile::correlations_for
    /// [`JointPosterior`]: crate::estimate::JointPosterior
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlations: Option<Vec<Vec<f64>>>,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            mode: Mode::Practice,
            seed: 0,
            stop: StopRule::default(),
            selection: SelectionConfig::default(),
            estimator: EstimatorConfig::default(),
            order: DomainOrder::RoundRobin,
            pretest_items: 2,
            correlations: None,
        }
    }
}

impl SessionConfig {
    /// Checks every part, naming the first bad field.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`].
    pub fn check(&self) -> Result<()> {
        self.stop.check()?;
        self.selection.check()?;
        self.estimator.check()?;
        if self.pretest_items > 100 {
            return Err(Error::InvalidConfig(
                "pretestItems: must be at most 100".to_string(),
            ));
        }
        Ok(())
    }

    /// Checks `correlations` against the session's banks (their ids, in order): one row per
    /// bank and one value per bank in each, a valid correlation matrix (see
    /// [`check_correlations`]), and the EAP estimator, the only one that is joint.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] naming the cell and the pair: `correlations[0][1] (sample,
    /// second): must be between -1 and 1 (exclusive), not 1.5`.
    pub fn check_correlations(&self, banks: &[&str]) -> Result<()> {
        let Some(rows) = &self.correlations else {
            return Ok(());
        };
        let bad = |message: String| Err(Error::InvalidConfig(message));
        let k = banks.len();
        let names = banks.join(", ");
        if rows.len() != k {
            return bad(format!(
                "correlations: has {} rows but the session has {k} banks ({names}): one row per bank",
                rows.len()
            ));
        }
        for (i, row) in rows.iter().enumerate() {
            if row.len() != k {
                return bad(format!(
                    "correlations[{i}]: has {} values but the session has {k} banks ({names}): \
                     one value per bank",
                    row.len()
                ));
            }
        }
        let flat: Vec<f64> = rows.iter().flatten().copied().collect();
        if let Err(problem) = check_correlations(&flat, k) {
            let (i, j) = (problem.row, problem.column);
            return bad(format!(
                "correlations[{i}][{j}] ({}, {}): {}",
                banks[i], banks[j], problem.message
            ));
        }
        if self.estimator.method != Method::Eap {
            let method = match self.estimator.method {
                Method::Map => "map",
                Method::Mle => "mle",
                _ => "wle",
            };
            return bad(format!(
                "estimator.method: joint estimation across correlated domains (`correlations`) \
                 needs `eap`, not `{method}`"
            ));
        }
        Ok(())
    }
}
