//! Simulation studies of a test over several domains: simulees with correlated true abilities
//! θ ~ MVN(0, Σ_true) take one session over all the banks, and the study measures, per domain,
//! how well the session recovers them (RMSE, bias, mean SE, level classification), how many
//! items it spends, how often each item is shown, and how precision grows with the number of
//! questions answered. Running the same simulees through a session with and without the joint
//! model shows what the correlations buy.

use serde::{Deserialize, Serialize};

use crate::bank::Bank;
use crate::error::{Error, Result};
use crate::estimate::covariance::{check_correlations, cholesky};
use crate::rng::SeededRng;
use crate::session::Session;
use crate::simulate::standard_normal;

/// Mixed into the seed for the responses' generator, so that it is not the abilities' one.
const RESPONSE_STREAM: u64 = 0x9E37_79B9_7F4A_7C15;

/// The settings of a profile study (the session is built by the caller; see
/// [`simulate_profile`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSimulationConfig {
    /// How many simulated learners.
    pub simulees: usize,
    /// Seeds the true abilities and, separately, the responses: the same seed gives the same
    /// simulees whatever the session, so two sessions are compared on the same learners.
    pub seed: u64,
    /// Σ_true, the correlations of the true abilities, domains in bank order.
    pub true_correlations: Vec<Vec<f64>>,
}

/// What one domain's tests found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainResult {
    /// The bank id.
    pub domain: String,
    /// √(mean (θ̂ − θ)²).
    pub rmse: f64,
    /// mean (θ̂ − θ).
    pub bias: f64,
    /// Mean reported standard error.
    pub mean_se: f64,
    /// Mean number of scored items.
    pub mean_items: f64,
    /// Share of simulees placed in the level of their true θ, placed in their most probable
    /// level (`None` when the bank has a single level: there is nothing to classify).
    pub accuracy: Option<f64>,
    /// Per item of the bank, the share of simulees who saw it.
    pub exposure: Vec<f64>,
    pub max_exposure: f64,
    /// Items no simulee saw.
    pub never_used: usize,
}

/// Precision after a number of questions answered in the whole test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LengthPoint {
    /// Questions answered (all domains, scored and pretest).
    pub answered: usize,
    /// Simulees still being tested at this length (the others count with their final
    /// estimates).
    pub running: usize,
    /// The mean over simulees and domains of the reported SE.
    pub mean_se: f64,
    /// √(mean over simulees and domains of (θ̂ − θ)²).
    pub rmse: f64,
}

/// What a profile study found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSimulationResult {
    pub domains: Vec<DomainResult>,
    /// Mean number of questions in a whole test (all domains, pretest items included).
    pub mean_length: f64,
    /// Per domain, averaged: the profile's summary figures.
    pub mean_rmse: f64,
    pub mean_se: f64,
    /// Mean of the domains' accuracies (those with levels).
    pub mean_accuracy: Option<f64>,
    /// From 0 questions to the longest test.
    pub by_length: Vec<LengthPoint>,
}

impl ProfileSimulationResult {
    /// The fewest questions after which the mean per-domain SE is at or below `target`, if the
    /// tests got there.
    pub fn length_to_reach_se(&self, target: f64) -> Option<usize> {
        self.by_length
            .iter()
            .find(|p| p.mean_se <= target)
            .map(|p| p.answered)
    }
}

/// One simulee's outcome in one domain: true θ, θ̂, SE, items, whether the level is right.
type Final = (f64, f64, f64, usize, Option<bool>);

/// Runs `config.simulees` simulees through sessions made by `session` (called with the
/// simulee's number) over `banks`, in the sessions' bank order.
///
/// # Errors
///
/// [`Error::InvalidConfig`] when there are no simulees, when `true_correlations` is not a
/// positive-definite correlation matrix over the banks, or from `session`;
/// [`Error::InvalidCall`] when a session's banks are not `banks` or it offers an item that is
/// not in them.
pub fn simulate_profile(
    banks: &[&Bank],
    config: &ProfileSimulationConfig,
    session: &dyn Fn(usize) -> Result<Session>,
    progress: &mut dyn FnMut(usize),
) -> Result<ProfileSimulationResult> {
    if config.simulees == 0 {
        return Err(Error::InvalidConfig("simulees: must be at least 1".into()));
    }
    let k = banks.len();
    let factor = true_factor(&config.true_correlations, k)?;
    let index: std::collections::HashMap<&str, (usize, usize)> = banks
        .iter()
        .enumerate()
        .flat_map(|(d, bank)| {
            bank.items
                .iter()
                .enumerate()
                .map(move |(i, item)| (item.id.as_str(), (d, i)))
        })
        .collect();
    let mut seen: Vec<Vec<usize>> = banks.iter().map(|b| vec![0; b.items.len()]).collect();
    let mut abilities = SeededRng::new(config.seed);
    let mut rng = SeededRng::new(config.seed ^ RESPONSE_STREAM);
    // Per simulee: true θ, final estimates (θ̂, SE, items, level right), and after each answer
    // the sums over domains of SE and of squared error.
    let mut finals: Vec<Vec<Final>> = Vec::new();
    let mut paths: Vec<Vec<(f64, f64)>> = Vec::new();
    for learner in 0..config.simulees {
        let z: Vec<f64> = (0..k).map(|_| standard_normal(&mut abilities)).collect();
        let theta: Vec<f64> = (0..k)
            .map(|d| (0..=d).map(|j| factor[d * k + j] * z[j]).sum())
            .collect();
        let mut test = session(learner)?;
        let ids: Vec<&str> = test.banks().iter().map(|b| b.id.as_str()).collect();
        if ids != banks.iter().map(|b| b.id.as_str()).collect::<Vec<_>>() {
            return Err(Error::InvalidCall(
                "the session's banks are not the study's banks".into(),
            ));
        }
        let snapshot = |test: &Session| {
            let estimates = test.estimates();
            let se: f64 = estimates.iter().map(|e| e.se).sum();
            let sq: f64 = estimates
                .iter()
                .zip(&theta)
                .map(|(e, t)| (e.theta - t).powi(2))
                .sum();
            (se, sq)
        };
        let mut path = vec![snapshot(&test)];
        while let Some(item) = test.next_item() {
            let Some(&(d, i)) = index.get(item.id.as_str()) else {
                return Err(Error::InvalidCall(format!(
                    "the session offered item `{}`, which is in none of the banks",
                    item.id
                )));
            };
            seen[d][i] += 1;
            let correct = rng.uniform() < banks[d].items[i].params().prob(theta[d]);
            test.record_score(&item.id, correct)?;
            path.push(snapshot(&test));
        }
        let estimates = test.estimates();
        finals.push(
            estimates
                .iter()
                .zip(&theta)
                .zip(banks)
                .map(|((e, &t), bank)| {
                    let right = (bank.levels.len() > 1).then(|| {
                        let truth = bank.level_for(t).map(|l| l.name.as_str());
                        reported_level(e) == truth
                    });
                    (t, e.theta, e.se, e.answered, right)
                })
                .collect(),
        );
        paths.push(path);
        progress(learner + 1);
    }

    let n = config.simulees as f64;
    let domains: Vec<DomainResult> = banks
        .iter()
        .enumerate()
        .map(|(d, bank)| {
            let rows = finals.iter().map(|f| f[d]);
            let errors: Vec<f64> = rows.clone().map(|r| r.1 - r.0).collect();
            let classified: Vec<bool> = rows.clone().filter_map(|r| r.4).collect();
            let exposure: Vec<f64> = seen[d].iter().map(|&c| c as f64 / n).collect();
            DomainResult {
                domain: bank.id.clone(),
                rmse: (errors.iter().map(|e| e * e).sum::<f64>() / n).sqrt(),
                bias: errors.iter().sum::<f64>() / n,
                mean_se: rows.clone().map(|r| r.2).sum::<f64>() / n,
                mean_items: rows.map(|r| r.3 as f64).sum::<f64>() / n,
                accuracy: (!classified.is_empty()).then(|| {
                    classified.iter().filter(|&&r| r).count() as f64 / classified.len() as f64
                }),
                max_exposure: exposure.iter().copied().fold(0.0, f64::max),
                never_used: seen[d].iter().filter(|&&c| c == 0).count(),
                exposure,
            }
        })
        .collect();
    let longest = paths.iter().map(Vec::len).max().unwrap_or(1);
    let cells = n * k as f64;
    let by_length = (0..longest)
        .map(|t| {
            let (mut se, mut sq, mut running) = (0.0, 0.0, 0);
            for path in &paths {
                let at = path[t.min(path.len() - 1)];
                se += at.0;
                sq += at.1;
                running += usize::from(t < path.len() - 1);
            }
            LengthPoint {
                answered: t,
                running,
                mean_se: se / cells,
                rmse: (sq / cells).sqrt(),
            }
        })
        .collect();
    let mean = |f: fn(&DomainResult) -> f64| domains.iter().map(f).sum::<f64>() / k as f64;
    let accuracies: Vec<f64> = domains.iter().filter_map(|d| d.accuracy).collect();
    Ok(ProfileSimulationResult {
        mean_length: paths.iter().map(|p| (p.len() - 1) as f64).sum::<f64>() / n,
        mean_rmse: mean(|d| d.rmse),
        mean_se: mean(|d| d.mean_se),
        mean_accuracy: (!accuracies.is_empty())
            .then(|| accuracies.iter().sum::<f64>() / accuracies.len() as f64),
        domains,
        by_length,
    })
}

/// The level a learner is placed in: the most probable one when the estimate gives level
/// probabilities (the first of equals), else the level of θ̂.
fn reported_level(estimate: &crate::report::DomainEstimate) -> Option<&str> {
    estimate
        .level_probabilities
        .iter()
        .reduce(|best, l| {
            if l.probability > best.probability {
                l
            } else {
                best
            }
        })
        .map(|l| l.name.as_str())
        .or(estimate.level.as_deref())
}

/// The lower Cholesky factor of Σ_true (row-major), after checking it is a k × k correlation
/// matrix.
fn true_factor(sigma: &[Vec<f64>], k: usize) -> Result<Vec<f64>> {
    let bad = |why: String| Err(Error::InvalidConfig(format!("trueCorrelations{why}")));
    if sigma.len() != k || sigma.iter().any(|row| row.len() != k) {
        return bad(format!(": must be {k} × {k}, one row and column per bank"));
    }
    let flat: Vec<f64> = sigma.iter().flatten().copied().collect();
    if let Err(problem) = check_correlations(&flat, k) {
        return bad(format!(
            "[{}][{}]: {}",
            problem.row, problem.column, problem.message
        ));
    }
    cholesky(&flat, k).or_else(|j| bad(format!("[{j}][{j}]: not positive definite")))
}

/// The k × k matrix with `rho` off the diagonal.
pub fn equicorrelated(k: usize, rho: f64) -> Vec<Vec<f64>> {
    (0..k)
        .map(|i| (0..k).map(|j| if i == j { 1.0 } else { rho }).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::SessionConfig;
    use crate::simulate::synthetic_bank;
    use crate::stop::StopRule;

    fn study(banks: &[Bank], rho: f64, max_items: usize) -> Result<ProfileSimulationResult> {
        let refs: Vec<&Bank> = banks.iter().collect();
        let config = ProfileSimulationConfig {
            simulees: 60,
            seed: 3,
            true_correlations: equicorrelated(banks.len(), rho),
        };
        let session_config = SessionConfig {
            stop: StopRule {
                max_items,
                se: None,
                ..Default::default()
            },
            ..Default::default()
        };
        let shared: Vec<std::sync::Arc<Bank>> =
            banks.iter().cloned().map(std::sync::Arc::new).collect();
        simulate_profile(
            &refs,
            &config,
            &|learner| {
                Session::new(
                    shared.clone(),
                    SessionConfig {
                        seed: learner as u64,
                        ..session_config.clone()
                    },
                )
            },
            &mut |_| {},
        )
    }

    #[test]
    fn fixed_length_tests_give_every_domain_its_items_and_a_falling_error() {
        let banks = [
            synthetic_bank("a", 60, (1.0, 2.0), 1),
            synthetic_bank("b", 60, (1.0, 2.0), 2),
        ];
        let result = study(&banks, 0.5, 10).expect("valid study");
        assert_eq!(result.mean_length, 20.0);
        assert_eq!(result.by_length.len(), 21);
        assert_eq!(result.by_length[20].running, 0);
        assert_eq!(result.by_length[0].running, 60);
        for domain in &result.domains {
            assert_eq!(domain.mean_items, 10.0);
            assert_eq!(domain.accuracy, None);
            assert!((domain.exposure.iter().sum::<f64>() - 10.0).abs() < 1e-9);
        }
        // Before any answer: the prior SE and the abilities' own spread.
        assert!((result.by_length[0].mean_se - 1.0).abs() < 0.01);
        let last = &result.by_length[20];
        assert!(last.mean_se < 0.5 && last.rmse < 0.6, "{last:?}");
        assert!((last.mean_se - result.mean_se).abs() < 1e-12);
        let reached = result.length_to_reach_se(last.mean_se).expect("reached");
        assert!(result.by_length[reached].mean_se <= last.mean_se);
        assert!(reached == 0 || result.by_length[reached - 1].mean_se > last.mean_se);
        assert_eq!(result.length_to_reach_se(0.0), None);
    }

    #[test]
    fn the_true_correlations_must_be_a_correlation_matrix_over_the_banks() {
        let banks = [
            synthetic_bank("a", 10, (1.0, 2.0), 1),
            synthetic_bank("b", 10, (1.0, 2.0), 2),
        ];
        let message = |rho: f64| match study(&banks, rho, 5) {
            Err(e) => e.to_string(),
            Ok(_) => "accepted".into(),
        };
        assert_eq!(
            message(1.0),
            "invalid config: trueCorrelations[0][1]: must be between -1 and 1 (exclusive), not 1: \
             two domains that correlate perfectly are one domain"
        );
        assert_eq!(message(0.2), "accepted");
        let three = equicorrelated(3, -0.6);
        assert_eq!(
            true_factor(&three, 3).err().map(|e| e.to_string()),
            Some(
                "invalid config: trueCorrelations[0][2]: -0.6 does not fit the other \
                 correlations of these two domains: the matrix is not positive definite (no \
                 abilities can correlate like this); at 0 it would fit"
                    .into()
            )
        );
    }
}
