//! Item calibration: estimates items' IRT parameters from learners' scored responses by
//! marginal maximum likelihood with the EM algorithm (Bock & Aitkin, 1981), with priors (Bayes
//! modal estimation, Mislevy, 1986), then computes fit statistics and flags, and writes the
//! calibrated parameters into the bank. With items calibrated, [`correlations`] estimates the
//! correlations between several banks' domains (the skill profile's Σ).
//!
//! ```
//! use skillcat::calibrate::{CalibrationConfig, Responses, calibrate};
//! # let bank = skillcat::simulate::synthetic_bank("demo", 3, (1.0, 1.0), 1);
//! let mut responses = Responses::new();
//! responses.read("responses.csv", "learner,item,score\nana,demo-000000,1\n")?;
//! let config = CalibrationConfig { min_responses: 1, ..Default::default() };
//! let result = calibrate(&bank, &responses, &config, &mut |_| {})?;
//! assert_eq!(result.items.len(), 3);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Method and decisions
//!
//! - **Metric.** Logistic with D = 1, as everywhere in the engine.
//! - **Latent distribution.** N(0, 1), fixed, on 61 equally spaced quadrature points on
//!   [−6, 6] (step 0.2; mirt's default) with weights proportional to the normal density
//!   ([`em::Quadrature`]). It is not estimated: it fixes the origin and unit of θ to those of
//!   the responding population, which is the prior the engine's EAP assumes. There is no
//!   linking to an earlier calibration; recalibrate a bank's items together so that they share
//!   one scale.
//! - **Models.** 1PL: a = 1 for every item, only b estimated (a bank's 1PL `irt` carries only
//!   `b` and the engine reads a = 1; with the latent SD fixed at 1 a common a would not be
//!   written anywhere, so use the 2PL when items discriminate unequally). 2PL: a and b. 3PL: a,
//!   b and c. The upper asymptote d is 1.
//! - **Priors** ([`Priors`]), for every model that has the parameter: ln a ~ N(0, 0.5²)
//!   (BILOG-MG's default), b ~ N(0, 2²), and c ~ Beta(20g + 1, 20(1 − g) + 1), with g the
//!   item's chance of a blind guess (1/k for k options, 1/(2ᵏ − 1) for multiple response,
//!   capped at 0.25: the label default of `bank::default_params`), so the prior's mode is g
//!   and it weighs as 20 responses (BILOG-MG's convention). They keep items with few or
//!   lopsided responses finite and change well-measured items very little.
//! - **M-step.** Per item, Fisher scoring (Newton–Raphson with the expected information) on
//!   (ln a, b, logit c) with step-halving, so the log-posterior never decreases
//!   ([`mstep::ItemModel::maximize`]). Estimates stay within 0.01 ≤ a ≤ 10, |b| ≤ 10,
//!   0.0001 ≤ c ≤ 0.45.
//! - **Convergence.** When no a, b or c changes by more than `tolerance` (1e-4) in an EM
//!   iteration, or after `max_iterations` E-steps (500; the result says whether it
//!   converged). EM is accelerated by SQUAREM ([`em::run`]), which reaches the same estimates
//!   in a third to a quarter of plain EM's iterations on the recovery studies of
//!   `tests/calibrate.rs`; `accelerate: false` runs plain EM.
//! - **Sparse designs.** Each learner's likelihood runs over the items they answered, so any
//!   incomplete design works, adaptive tests included, as long as items are linked through
//!   common learners.
//! - **Which items are estimated.** Those with at least `min_responses` responses (default
//!   100; 0 counts as 1) that are neither all right nor all wrong. The others keep their parameters (their
//!   `irt`, or the defaults of their difficulty label), are flagged ([`Flag`]), and their
//!   responses stay out of the estimation, as their parameters are guesses.
//! - **Fit.** Infit and outfit mean-squares of each response against its leave-one-out
//!   posterior prediction, the share correct, a corrected point-biserial, and flags with
//!   documented thresholds ([`fit`]).
//! - **Output.** [`updated_bank`] writes `irt` for recalibrated items only, keeps every other
//!   field (difficulty labels included), and advances the version with [`next_version`]
//!   (`2025.2` → `2025.2+cal.1`), so saved sessions do not resume against new parameters.
//! - **Responses.** Learners' repeats of an item, and responses to ids the bank does not have,
//!   are reported and left out ([`Responses`]; [`Calibrated::warnings`]).
//! - **Safety.** Nothing here panics on input; every number reported or written is finite.
//! - **Determinism.** The E-step runs on up to 8 fixed chunks of learners, on threads where
//!   there are any, summed in chunk order: the result is the same bit for bit on any machine
//!   with the same floating-point behaviour, whatever its number of cores.
//!
//! References: Bock & Aitkin (1981), "Marginal maximum likelihood estimation of item
//! parameters: application of an EM algorithm", Psychometrika 46(4); Baker & Kim (2004), *Item
//! Response Theory: Parameter Estimation Techniques*, 2nd ed., ch. 6–7; Mislevy (1986), "Bayes
//! modal estimation in item response models", Psychometrika 51(2); Zimowski, Muraki, Mislevy
//! & Bock (2003), *BILOG-MG 3*; Chalmers (2012), "mirt: a multidimensional item response
//! theory package for the R environment", Journal of Statistical Software 48(6).

pub mod correlations;
pub mod em;
pub mod fit;
pub mod mstep;
pub mod nearest_correlation;
mod output;
pub mod responses;
pub mod xapi;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::bank::{Bank, Model, default_params};
use crate::error::{Error, Result};
use crate::irt::Params;
use em::{Design, Quadrature};
use mstep::{ItemModel, ItemPrior};

pub use correlations::{CorrelationConfig, Correlations, PairEstimate, estimate_correlations};
pub use fit::{Flag, ItemStats, MeanSquare};
pub use output::{next_version, updated_bank};
pub use responses::{Location, ReadError, Record, Responses, Warning};

/// A normal distribution N(mean, sd²).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Normal {
    pub mean: f64,
    pub sd: f64,
}

/// The priors on item parameters; `None` leaves a parameter without one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Priors {
    /// On ln a (2PL, 3PL); default N(0, 0.5²).
    pub log_a: Option<Normal>,
    /// On b; default N(0, 2²).
    pub b: Option<Normal>,
    /// The weight w of the Beta(w·g + 1, w·(1 − g) + 1) prior on c (3PL), with g the item's
    /// chance of a blind guess; default 20.
    pub c_weight: Option<f64>,
}

impl Default for Priors {
    fn default() -> Self {
        Self {
            log_a: Some(Normal { mean: 0.0, sd: 0.5 }),
            b: Some(Normal { mean: 0.0, sd: 2.0 }),
            c_weight: Some(20.0),
        }
    }
}

/// Calibration settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct CalibrationConfig {
    /// 1PL, 2PL (default) or 3PL.
    pub model: Model,
    /// Quadrature points (default 61; 5 to 401).
    pub quadrature_points: usize,
    /// The quadrature runs over [−bound, bound] (default 6).
    pub theta_bound: f64,
    /// EM iterations (E-steps) at most (default 500; at least 1).
    pub max_iterations: usize,
    /// Converged when no a, b or c moves more than this in an iteration (default 1e-4).
    pub tolerance: f64,
    /// Items with fewer responses are not recalibrated (default 100).
    pub min_responses: usize,
    pub priors: Priors,
    /// SQUAREM acceleration of EM (default on; same estimates in fewer iterations).
    pub accelerate: bool,
}

impl Default for CalibrationConfig {
    fn default() -> Self {
        Self {
            model: Model::TwoPl,
            quadrature_points: 61,
            theta_bound: 6.0,
            max_iterations: 500,
            tolerance: 1e-4,
            min_responses: 100,
            priors: Priors::default(),
            accelerate: true,
        }
    }
}

impl CalibrationConfig {
    /// Rejects meaningless settings, naming the field.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`], e.g. `calibration.model: 4PL is not calibrated; use 1PL, 2PL
    /// or 3PL`.
    pub fn check(&self) -> Result<()> {
        let bad = |field: &str, why: &str| {
            Err(Error::InvalidConfig(format!("calibration.{field}: {why}")))
        };
        if self.model == Model::FourPl {
            return bad("model", "4PL is not calibrated; use 1PL, 2PL or 3PL");
        }
        if !(5..=401).contains(&self.quadrature_points) {
            return bad("quadraturePoints", "must be from 5 to 401");
        }
        if !(self.theta_bound.is_finite() && (1.0..=10.0).contains(&self.theta_bound)) {
            return bad("thetaBound", "must be from 1 to 10");
        }
        if self.max_iterations == 0 {
            return bad("maxIterations", "must be at least 1");
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return bad("tolerance", "must be a positive number");
        }
        let normal_ok = |n: Option<Normal>| {
            n.is_none_or(|n| n.mean.is_finite() && n.sd.is_finite() && n.sd > 0.0)
        };
        if !normal_ok(self.priors.log_a) {
            return bad("priors.logA", "needs a finite mean and a positive sd");
        }
        if !normal_ok(self.priors.b) {
            return bad("priors.b", "needs a finite mean and a positive sd");
        }
        if self
            .priors
            .c_weight
            .is_some_and(|w| !(w.is_finite() && w >= 0.0))
        {
            return bad("priors.cWeight", "must be a non-negative number");
        }
        Ok(())
    }
}

/// Where a calibration is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// EM iterations done.
    pub iteration: usize,
    pub max_iterations: usize,
    /// The largest parameter change in the last iteration.
    pub max_change: f64,
    /// Marginal log-likelihood plus log priors before the last iteration's M-step.
    pub log_posterior: f64,
}

/// The calibration of one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemResult {
    pub id: String,
    /// The parameters the engine used before (the item's `irt` or its label defaults).
    pub before: Params,
    /// The parameters now: the estimate when `estimated`, otherwise `before`.
    pub after: Params,
    /// Whether the item was recalibrated.
    pub estimated: bool,
    pub stats: ItemStats,
    pub flags: Vec<Flag>,
}

/// What a calibration found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Calibrated {
    pub model: Model,
    /// Learners with at least one response to a bank item.
    pub learners: usize,
    /// Responses to bank items.
    pub responses: usize,
    pub iterations: usize,
    pub converged: bool,
    /// The largest change of a, b or c in the last EM iteration.
    pub max_change: f64,
    /// Marginal log-likelihood plus log priors at the final parameters (estimated items).
    pub log_posterior: f64,
    /// One per bank item, in bank order.
    pub items: Vec<ItemResult>,
    /// Responses left out (unknown items), after those of reading.
    #[serde(skip)]
    pub warnings: Vec<Warning>,
}

/// Calibrates the items of `bank` from `responses` (see the module documentation).
/// `progress` hears about every EM iteration.
///
/// # Errors
///
/// [`Error::InvalidConfig`] for settings that fail [`CalibrationConfig::check`]. Data never
/// causes an error: items without enough usable responses are reported, not estimated.
pub fn calibrate(
    bank: &Bank,
    responses: &Responses,
    config: &CalibrationConfig,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Calibrated> {
    config.check()?;
    let quad = Quadrature::new(config.quadrature_points, config.theta_bound);
    let (design, warnings) = design(bank, responses);
    let before: Vec<Params> = bank.items.iter().map(|item| item.params()).collect();

    // Which items are estimated.
    let mut tally = vec![(0usize, 0usize); bank.items.len()];
    for &cell in &design.cells {
        let entry = &mut tally[(cell >> 1) as usize];
        entry.0 += 1;
        entry.1 += (cell & 1) as usize;
    }
    let enough: Vec<bool> = tally
        .iter()
        .map(|&(n, _)| n >= config.min_responses.max(1))
        .collect();
    let active: Vec<bool> = tally
        .iter()
        .zip(&enough)
        .map(|(&(n, right), &enough)| enough && right > 0 && right < n)
        .collect();

    let mut models: Vec<ItemModel> = bank
        .items
        .iter()
        .zip(&before)
        .zip(&active)
        .map(|((item, &start), &on)| {
            if !on {
                // Held fixed; `ItemModel::new` would bring it into the model.
                return ItemModel {
                    model: config.model,
                    params: start,
                    prior: ItemPrior {
                        log_a: None,
                        b: None,
                        c: None,
                    },
                };
            }
            let chance = default_params(item.kind, item.options.len(), None).c;
            let prior = ItemPrior {
                log_a: config.priors.log_a.map(|n| (n.mean, n.sd)),
                b: config.priors.b.map(|n| (n.mean, n.sd)),
                c: config
                    .priors
                    .c_weight
                    .map(|w| (w * chance + 1.0, w * (1.0 - chance) + 1.0)),
            };
            let start = Params {
                c: item.irt.and_then(|irt| irt.c).unwrap_or(chance),
                ..start
            };
            ItemModel::new(config.model, start, prior)
        })
        .collect();

    let mut report = |iteration: usize, max_change: f64, log_posterior: f64| {
        progress(&Progress {
            iteration,
            max_iterations: config.max_iterations,
            max_change,
            log_posterior,
        });
    };
    let summary = if active.iter().any(|&on| on) {
        em::run(
            &quad,
            &design,
            &active,
            &mut models,
            em::Settings {
                max_iterations: config.max_iterations,
                tolerance: config.tolerance,
                accelerate: config.accelerate,
            },
            &mut report,
        )
    } else {
        em::Summary {
            iterations: 0,
            converged: true,
            max_change: 0.0,
            log_posterior: 0.0,
        }
    };

    let params: Vec<Params> = models.iter().map(|m| m.params).collect();
    let acc = fit::accumulate(&design, &active, &params, &quad);

    let discrimination = config.model != Model::OnePl;
    let items = bank
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let stats = acc[i].stats();
            let after = if active[i] { params[i] } else { before[i] };
            ItemResult {
                id: item.id.clone(),
                before: before[i],
                after,
                estimated: active[i],
                flags: fit::flags(&stats, &after, enough[i], active[i], discrimination),
                stats,
            }
        })
        .collect();
    Ok(Calibrated {
        model: config.model,
        learners: (0..design.learners())
            .filter(|&j| !design.row(j).is_empty())
            .count(),
        responses: design.cells.len(),
        iterations: summary.iterations,
        converged: summary.converged,
        max_change: summary.max_change,
        log_posterior: summary.log_posterior,
        items,
        warnings,
    })
}

/// The responses to bank items as a learner × item design, and a warning per unknown item id.
fn design(bank: &Bank, responses: &Responses) -> (Design, Vec<Warning>) {
    let index: HashMap<&str, u32> = bank
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.id.as_str(), i as u32))
        .collect();
    // Unknown ids: count and first place, in order of first appearance.
    let mut unknown: Vec<(&Record, usize)> = Vec::new();
    let mut unknown_at: HashMap<u32, usize> = HashMap::new();
    let mut rows: Vec<Vec<u32>> = vec![Vec::new(); responses.learner_count()];
    for record in responses.records() {
        match index.get(responses.item(record.item)) {
            Some(&i) => rows[record.learner as usize].push(i << 1 | u32::from(record.correct)),
            None => {
                let slot = *unknown_at.entry(record.item).or_insert_with(|| {
                    unknown.push((record, 0));
                    unknown.len() - 1
                });
                unknown[slot].1 += 1;
            }
        }
    }
    let warnings = unknown
        .into_iter()
        .map(|(first, count)| Warning {
            source: first
                .origin
                .map_or_else(String::new, |(s, _)| responses.source(s).into()),
            location: first.origin.map(|(_, at)| at),
            message: format!(
                "item `{}` is not in bank `{}`; {count} response{} left out",
                responses.item(first.item),
                bank.id,
                if count == 1 { "" } else { "s" }
            ),
        })
        .collect();
    let mut design = Design {
        starts: Vec::with_capacity(rows.len() + 1),
        cells: Vec::with_capacity(responses.records().len()),
    };
    design.starts.push(0);
    for row in rows {
        design.cells.extend(row);
        design.starts.push(design.cells.len());
    }
    (design, warnings)
}
