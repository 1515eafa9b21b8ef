//! The correlations between domains' abilities, estimated from learners who answered items of
//! several banks: the Σ of a skill profile's MVN(0, Σ) prior.
//!
//! ```
//! use skillcat::calibrate::{CorrelationConfig, Responses, estimate_correlations};
//! # let a = skillcat::simulate::synthetic_bank("a", 4, (1.0, 1.0), 1);
//! # let b = skillcat::simulate::synthetic_bank("b", 4, (1.0, 1.0), 2);
//! let mut responses = Responses::new();
//! responses.read("responses.csv", "learner,item,score\nana,a-000000,1\nana,b-000001,0\n")?;
//! let config = CorrelationConfig { min_learners: 1, ..Default::default() };
//! let found = estimate_correlations(&[&a, &b], &responses, &config)?;
//! assert_eq!(found.domains, ["a", "b"]);
//! assert_eq!(found.pairs[0].learners, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Method
//!
//! Two steps. First the items are calibrated one bank at a time (`skillcat calibrate` with one
//! `--bank`), which puts every domain on the scale θ_d ~ N(0, 1) of its responding
//! population. Then, with every item's parameters fixed at the bank's (its `irt`, or the
//! defaults of its difficulty label), each correlation ρ_de is the value that maximises the
//! marginal likelihood of the learners' response patterns in the two domains d and e under a
//! bivariate normal N(0, [[1, ρ], [ρ, 1]]): a pairwise composite likelihood (Varin, Reid & Firth,
//! 2011), which for each pair is the pair's full bivariate marginal likelihood, so its inverse
//! curvature is the estimate's sampling variance. The k-dimensional integral of the full
//! likelihood is never needed, and every pair costs the same whatever k is.
//!
//! Estimated EAP scores are NOT correlated: shrinkage pulls each toward 0 by its own
//! reliability, so their correlation underestimates ρ; the marginal likelihood integrates over
//! each learner's uncertainty instead.
//!
//! # Formula
//!
//! On the quadrature of item calibration ([`Quadrature`]: K nodes θ_k on [−B, B], weights
//! w_k ∝ φ(θ_k)), learner j's posterior in domain d under the N(0, 1) prior is
//! p_jd(k) = w_k L_jd(θ_k) / Σ_k w_k L_jd(θ_k), with L_jd the likelihood of their responses to
//! the domain's items. The bivariate normal on the K × K grid has weights
//! W_kl(ρ) = φ₂(θ_k, θ_l; ρ) / Σ_kl φ₂(θ_k, θ_l; ρ). Learner j's likelihood ratio against ρ = 0
//! is
//!
//! S_j(ρ) = Σ_k Σ_l p_jd(k) p_je(l) R_kl(ρ),  R_kl(ρ) = W_kl(ρ) / (w_k w_l),
//!
//! and ρ̂_de maximises C(ρ) = Σ_j ln S_j(ρ) over the learners with responses in both domains
//! (equal to the bivariate marginal log-likelihood minus a constant). With
//! ln φ₂ = −½ ln(1 − ρ²) − Q / (2(1 − ρ²)) + const, Q = x² − 2ρxy + y²,
//!
//! g₁ = ∂ ln φ₂/∂ρ = (ρ + xy)/(1 − ρ²) − ρQ/(1 − ρ²)²,
//! g₂ = ∂² ln φ₂/∂ρ² = (1 + ρ² + 4ρxy − Q)/(1 − ρ²)² − 4ρ²Q/(1 − ρ²)³,
//!
//! and the normalisation's derivatives are the W-weighted moments of g₁ and g₂, so
//! ∂R/∂ρ = R·G₁ and ∂²R/∂ρ² = R·(G₁² + G₂) with G₁ = g₁ − E_W(g₁) and
//! G₂ = g₂ − (E_W(g₂ + g₁²) − E_W(g₁)²). Then C′ = Σ S′_j/S_j and
//! C″ = Σ (S″_j/S_j − (S′_j/S_j)²); Newton's method on C′, kept inside a shrinking bracket by
//! bisection, finds ρ̂ (|ρ̂| ≤ `max_correlation`), and SE(ρ̂) = 1/√(−C″(ρ̂)).
//!
//! Each p_jd is stored on the window of nodes where it exceeds 10⁻¹⁸ of its largest value,
//! which makes each learner's double sum several times shorter and changes S_j by less than
//! 10⁻¹⁵ relative.
//!
//! The pairwise estimates need not form a positive-definite matrix together (each pair sees
//! other learners); [`nearest_correlation`](super::nearest_correlation) then finds the
//! nearest correlation matrix whose smallest eigenvalue is at least `min_eigenvalue`.
//!
//! # Which responses count
//!
//! Items whose status is `active` or `retired` (scored when they were answered); `pretest` and
//! `draft` items are left out, as their parameters are guesses. A response to an item id that
//! no bank has is a warning, as in item calibration. A pair with fewer than `min_learners`
//! learners in common is not estimated: its correlation is 0 (the domains are treated as
//! unrelated, as without a profile) and a warning says so.
//!
//! # Assumptions
//!
//! The items' parameters are right and each domain's ability has mean 0 and variance 1 in the
//! population that answered (true after calibrating each bank on these learners). Banks whose
//! items carry only difficulty labels give correlations on the labels' scale, which is what
//! the engine uses, but a label scale that is too wide or narrow for the learners biases ρ̂.
//! Missing domains must be missing at random (a learner skipping a domain because of their
//! ability in it biases ρ̂).
//!
//! References: Varin, C., Reid, N., & Firth, D. (2011). An overview of composite likelihood
//! methods. *Statistica Sinica*, 21(1), 5–42; Bock & Aitkin (1981) for the quadrature; Segall
//! (1996), Psychometrika 61(2), for the use of Σ in multidimensional adaptive testing.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::em::{self, Design, Quadrature};
use super::nearest_correlation::nearest_correlation;
use super::responses::{Responses, Warning};
use crate::bank::{Bank, Status};
use crate::error::{Error, Result};
use crate::irt::Params;

/// A posterior is kept on the nodes where it is above this share of its largest value.
const WINDOW_CUTOFF: f64 = 1e-18;
/// Newton iterations at most; bisection alone needs fewer than 60 for any tolerance.
const MAX_ITERATIONS: usize = 100;

/// Settings of the correlation estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct CorrelationConfig {
    /// Quadrature nodes per domain (default 61, as item calibration; 5 to 401).
    pub quadrature_points: usize,
    /// The nodes span [−bound, bound] (default 6).
    pub theta_bound: f64,
    /// Pairs with fewer learners in common are not estimated (default 100; 0 counts as 1).
    pub min_learners: usize,
    /// |ρ̂| stays at or below this (default 0.99).
    pub max_correlation: f64,
    /// The written matrix's smallest eigenvalue is at least this (default 0.01).
    pub min_eigenvalue: f64,
    /// Newton stops when ρ moves less than this (default 1e-7).
    pub tolerance: f64,
}

impl Default for CorrelationConfig {
    fn default() -> Self {
        Self {
            quadrature_points: 61,
            theta_bound: 6.0,
            min_learners: 100,
            max_correlation: 0.99,
            min_eigenvalue: 0.01,
            tolerance: 1e-7,
        }
    }
}

impl CorrelationConfig {
    /// Rejects meaningless settings, naming the field.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`], e.g. `correlations.maxCorrelation: must be in (0, 1)`.
    pub fn check(&self) -> Result<()> {
        let bad = |field: &str, why: &str| {
            Err(Error::InvalidConfig(format!("correlations.{field}: {why}")))
        };
        if !(5..=401).contains(&self.quadrature_points) {
            return bad("quadraturePoints", "must be from 5 to 401");
        }
        if !(self.theta_bound.is_finite() && (1.0..=10.0).contains(&self.theta_bound)) {
            return bad("thetaBound", "must be from 1 to 10");
        }
        if !(self.max_correlation > 0.0 && self.max_correlation < 1.0) {
            return bad("maxCorrelation", "must be in (0, 1)");
        }
        if !(self.min_eigenvalue > 0.0 && self.min_eigenvalue < 1.0) {
            return bad("minEigenvalue", "must be in (0, 1)");
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return bad("tolerance", "must be a positive number");
        }
        Ok(())
    }
}

/// The estimate of one pair's correlation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PairEstimate {
    /// Indices into [`Correlations::domains`], `first < second`.
    pub first: usize,
    pub second: usize,
    /// Learners with responses in both domains.
    pub learners: usize,
    /// The pairwise estimate; `None` when the pair has too few learners.
    pub rho: Option<f64>,
    /// Its standard error, from the curvature of the pair's marginal log-likelihood.
    pub se: Option<f64>,
    /// Whether ρ̂ sits at ±`max_correlation`, where the likelihood still rose.
    pub at_bound: bool,
}

/// What [`estimate_correlations`] found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Correlations {
    /// The banks' ids, in the order given.
    pub domains: Vec<String>,
    /// Per domain, the learners with at least one usable response in it.
    pub learners: Vec<usize>,
    /// Responses used (to scored items of the banks).
    pub responses: usize,
    /// Every pair, in the order (0, 1), (0, 2), …, (1, 2), …
    pub pairs: Vec<PairEstimate>,
    /// The pairwise estimates as a matrix (unit diagonal; 0 for pairs not estimated).
    pub pairwise: Vec<Vec<f64>>,
    /// The correlation matrix to use: `pairwise`, or the nearest matrix with the smallest
    /// eigenvalue at least `min_eigenvalue` when `pairwise` is not.
    pub matrix: Vec<Vec<f64>>,
    /// Whether `matrix` differs from `pairwise`.
    pub adjusted: bool,
    /// Responses left out and pairs not estimated.
    #[serde(skip)]
    pub warnings: Vec<Warning>,
}

/// Estimates the correlations between the domains of `banks` from `responses` (see the
/// module documentation).
///
/// # Errors
///
/// [`Error::InvalidConfig`] for settings that fail [`CorrelationConfig::check`], fewer than two
/// banks, two banks with one id, or an item id in two banks (a response could not be
/// assigned to a domain).
pub fn estimate_correlations(
    banks: &[&Bank],
    responses: &Responses,
    config: &CorrelationConfig,
) -> Result<Correlations> {
    config.check()?;
    if banks.len() < 2 {
        return Err(Error::InvalidConfig(
            "correlations need at least two banks".into(),
        ));
    }
    let mut owner: HashMap<&str, (usize, u32)> = HashMap::new();
    for (d, bank) in banks.iter().enumerate() {
        if let Some(other) = banks[..d].iter().find(|b| b.id == bank.id) {
            return Err(Error::InvalidConfig(format!(
                "two banks have the id `{}`; each domain needs its own bank",
                other.id
            )));
        }
        for (i, item) in bank.items.iter().enumerate() {
            if let Some(&(e, _)) = owner.get(item.id.as_str()) {
                return Err(Error::InvalidConfig(format!(
                    "item `{}` is in bank `{}` and in bank `{}`; responses name items by id, \
                     so each id must belong to one bank",
                    item.id, banks[e].id, bank.id
                )));
            }
            owner.insert(&item.id, (d, i as u32));
        }
    }

    let quad = Quadrature::new(config.quadrature_points, config.theta_bound);
    let (designs, used, warnings) = designs(banks, &owner, responses);
    let posteriors: Vec<Posteriors> = banks
        .iter()
        .zip(&designs)
        .map(|(bank, design)| {
            let params: Vec<Params> = bank.items.iter().map(|item| item.params()).collect();
            let scored: Vec<bool> = bank
                .items
                .iter()
                .map(|item| matches!(item.status, Status::Active | Status::Retired))
                .collect();
            Posteriors::new(design, &scored, &params, &quad)
        })
        .collect();

    let k = banks.len();
    let pair_list: Vec<(usize, usize)> = (0..k)
        .flat_map(|d| (d + 1..k).map(move |e| (d, e)))
        .collect();
    let work = |p: usize| {
        let (d, e) = pair_list[p];
        estimate_pair(&posteriors[d], &posteriors[e], &quad, config, d, e)
    };
    let pairs = em::run_chunks(pair_list.len(), &work);

    let mut warnings = warnings;
    let mut pairwise: Vec<Vec<f64>> = (0..k)
        .map(|d| (0..k).map(|e| if d == e { 1.0 } else { 0.0 }).collect())
        .collect();
    for pair in &pairs {
        let (d, e) = (pair.first, pair.second);
        match pair.rho {
            Some(rho) => (pairwise[d][e], pairwise[e][d]) = (rho, rho),
            None => warnings.push(Warning {
                source: String::new(),
                location: None,
                message: format!(
                    "{} learner{} answered both `{}` and `{}` (fewer than {}); their \
                     correlation is set to 0",
                    pair.learners,
                    if pair.learners == 1 { "" } else { "s" },
                    banks[d].id,
                    banks[e].id,
                    config.min_learners.max(1)
                ),
            }),
        }
    }
    let matrix = nearest_correlation(&pairwise, config.min_eigenvalue);
    let adjusted = matrix
        .iter()
        .flatten()
        .zip(pairwise.iter().flatten())
        .any(|(a, b)| a != b);
    Ok(Correlations {
        domains: banks.iter().map(|b| b.id.clone()).collect(),
        learners: posteriors.iter().map(Posteriors::learners).collect(),
        responses: used,
        pairs,
        pairwise,
        matrix,
        adjusted,
        warnings,
    })
}

/// An item id no bank has: its index in the responses, how often it was answered, and where
/// first.
type UnknownItem = (u32, usize, Option<(u32, super::Location)>);

/// Splits the responses by domain: one [`Design`] per bank, rows indexed by the learner's
/// index in `responses`; returns them with the number of responses used and the warnings
/// about unknown items.
fn designs(
    banks: &[&Bank],
    owner: &HashMap<&str, (usize, u32)>,
    responses: &Responses,
) -> (Vec<Design>, usize, Vec<Warning>) {
    let learners = responses.learner_count();
    let mut rows: Vec<Vec<Vec<u32>>> = vec![vec![Vec::new(); learners]; banks.len()];
    let mut unknown: Vec<UnknownItem> = Vec::new();
    let mut unknown_at: HashMap<u32, usize> = HashMap::new();
    let mut used = 0;
    for record in responses.records() {
        match owner.get(responses.item(record.item)) {
            Some(&(d, i)) => {
                rows[d][record.learner as usize].push(i << 1 | u32::from(record.correct));
                used += 1;
            }
            None => {
                let slot = *unknown_at.entry(record.item).or_insert_with(|| {
                    unknown.push((record.item, 0, record.origin));
                    unknown.len() - 1
                });
                unknown[slot].1 += 1;
            }
        }
    }
    let names: Vec<&str> = banks.iter().map(|b| b.id.as_str()).collect();
    let warnings = unknown
        .into_iter()
        .map(|(item, count, origin)| Warning {
            source: origin.map_or_else(String::new, |(s, _)| responses.source(s).into()),
            location: origin.map(|(_, at)| at),
            message: format!(
                "item `{}` is in none of the banks ({}); {count} response{} left out",
                responses.item(item),
                names.join(", "),
                if count == 1 { "" } else { "s" }
            ),
        })
        .collect();
    let designs = rows
        .into_iter()
        .map(|domain_rows| {
            let mut design = Design {
                starts: Vec::with_capacity(learners + 1),
                cells: Vec::new(),
            };
            design.starts.push(0);
            for row in domain_rows {
                design.cells.extend(row);
                design.starts.push(design.cells.len());
            }
            design
        })
        .collect();
    (designs, used, warnings)
}

/// Every learner's posterior in one domain under the N(0, 1) prior, on a window of nodes.
struct Posteriors {
    /// Per learner, (offset into `values`, first node, nodes); `None` without a response.
    windows: Vec<Option<(usize, usize, usize)>>,
    values: Vec<f64>,
}

impl Posteriors {
    fn new(design: &Design, scored: &[bool], params: &[Params], quad: &Quadrature) -> Self {
        let table = em::log_table(params, quad);
        let mut weights = vec![0.0; quad.points()];
        let mut windows = Vec::with_capacity(design.learners());
        let mut values = Vec::new();
        for learner in 0..design.learners() {
            if em::posterior(design.row(learner), scored, &table, quad, &mut weights).is_none() {
                windows.push(None);
                continue;
            }
            let top = weights.iter().copied().fold(0.0, f64::max);
            let keep = |w: &f64| *w > top * WINDOW_CUTOFF;
            let first = weights.iter().position(keep).unwrap_or(0);
            let last = weights.iter().rposition(keep).unwrap_or(first);
            windows.push(Some((values.len(), first, last + 1 - first)));
            values.extend_from_slice(&weights[first..=last]);
        }
        Self { windows, values }
    }

    fn learners(&self) -> usize {
        self.windows.iter().filter(|w| w.is_some()).count()
    }

    /// Learner j's window: its first node and the posterior on it.
    fn window(&self, learner: usize) -> Option<(usize, &[f64])> {
        self.windows[learner]
            .map(|(offset, first, len)| (first, &self.values[offset..offset + len]))
    }
}

/// R, ∂R/∂ρ and ∂²R/∂ρ² on the K × K grid at one ρ (see the module's formula), row-major.
struct Kernel {
    points: usize,
    r: Vec<f64>,
    r1: Vec<f64>,
    r2: Vec<f64>,
}

impl Kernel {
    fn new(quad: &Quadrature, rho: f64) -> Self {
        let nodes = &quad.nodes;
        let k = nodes.len();
        let s = 1.0 - rho * rho;
        let mut log_phi2 = Vec::with_capacity(k * k);
        let mut g1 = Vec::with_capacity(k * k);
        let mut g2 = Vec::with_capacity(k * k);
        for &x in nodes {
            for &y in nodes {
                let q = x * x - 2.0 * rho * x * y + y * y;
                log_phi2.push(-0.5 * s.ln() - q / (2.0 * s));
                g1.push((rho + x * y) / s - rho * q / (s * s));
                g2.push(
                    (1.0 + rho * rho + 4.0 * rho * x * y - q) / (s * s)
                        - 4.0 * rho * rho * q / (s * s * s),
                );
            }
        }
        let log_z = crate::irt::log_sum_exp(&log_phi2);
        let (mut m1, mut m2) = (0.0, 0.0);
        for ((&l, &a), &b) in log_phi2.iter().zip(&g1).zip(&g2) {
            let w = (l - log_z).exp();
            m1 += w * a;
            m2 += w * (b + a * a);
        }
        let d2_log_z = m2 - m1 * m1;
        let mut r = Vec::with_capacity(k * k);
        let mut r1 = Vec::with_capacity(k * k);
        let mut r2 = Vec::with_capacity(k * k);
        for i in 0..k {
            for j in 0..k {
                let at = i * k + j;
                // ln R = ln W − ln w_k − ln w_l.
                let value =
                    (log_phi2[at] - log_z - quad.log_weights[i] - quad.log_weights[j]).exp();
                let big_g1 = g1[at] - m1;
                let big_g2 = g2[at] - d2_log_z;
                r.push(value);
                r1.push(value * big_g1);
                r2.push(value * (big_g1 * big_g1 + big_g2));
            }
        }
        Self {
            points: k,
            r,
            r1,
            r2,
        }
    }
}

/// C′(ρ) and C″(ρ) of one pair (see the module's formula).
fn score(first: &Posteriors, second: &Posteriors, kernel: &Kernel) -> (f64, f64) {
    let k = kernel.points;
    let (mut d1, mut d2) = (0.0, 0.0);
    for learner in 0..first.windows.len() {
        let (Some((lo_x, px)), Some((lo_y, py))) = (first.window(learner), second.window(learner))
        else {
            continue;
        };
        let (mut s, mut s1, mut s2) = (0.0, 0.0, 0.0);
        for (i, &p) in px.iter().enumerate() {
            let row = (lo_x + i) * k + lo_y;
            let (mut t, mut t1, mut t2) = (0.0, 0.0, 0.0);
            for (j, &q) in py.iter().enumerate() {
                t += kernel.r[row + j] * q;
                t1 += kernel.r1[row + j] * q;
                t2 += kernel.r2[row + j] * q;
            }
            s += p * t;
            s1 += p * t1;
            s2 += p * t2;
        }
        if s > 0.0 && s.is_finite() {
            let ratio = s1 / s;
            d1 += ratio;
            d2 += s2 / s - ratio * ratio;
        }
    }
    (d1, d2)
}

/// Maximises one pair's composite log-likelihood by safeguarded Newton on its derivative.
fn estimate_pair(
    first: &Posteriors,
    second: &Posteriors,
    quad: &Quadrature,
    config: &CorrelationConfig,
    d: usize,
    e: usize,
) -> PairEstimate {
    let learners = (0..first.windows.len())
        .filter(|&j| first.windows[j].is_some() && second.windows[j].is_some())
        .count();
    let mut estimate = PairEstimate {
        first: d,
        second: e,
        learners,
        rho: None,
        se: None,
        at_bound: false,
    };
    if learners < config.min_learners.max(1) {
        return estimate;
    }
    let bound = config.max_correlation;
    let (mut lo, mut hi) = (-bound, bound);
    let mut rho = 0.0;
    let mut curvature = f64::NAN;
    for _ in 0..MAX_ITERATIONS {
        let (d1, d2) = score(first, second, &Kernel::new(quad, rho));
        curvature = d2;
        if d1 > 0.0 {
            lo = rho;
        } else {
            hi = rho;
        }
        let newton = if d2 < 0.0 { rho - d1 / d2 } else { f64::NAN };
        let next = if newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        let step = (next - rho).abs();
        rho = next;
        if step < config.tolerance || hi - lo < config.tolerance {
            curvature = score(first, second, &Kernel::new(quad, rho)).1;
            break;
        }
    }
    estimate.at_bound = bound - rho.abs() < 10.0 * config.tolerance;
    estimate.rho = Some(rho.clamp(-bound, bound));
    estimate.se = (curvature < 0.0).then(|| 1.0 / (-curvature).sqrt());
    estimate
}
