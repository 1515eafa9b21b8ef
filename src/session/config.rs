//! Session settings: one struct with defaults, readable from JavaScript (camelCase) and stored
//! inside saved sessions so a restore continues with exactly the same rules.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::estimate::EstimatorConfig;
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
}
