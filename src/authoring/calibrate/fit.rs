//! Item statistics after calibration: share correct, point-biserial, infit and outfit
//! mean-squares with their standardised forms, and the flags an author acts on.
//!
//! # Why infit and outfit, not S-X²
//!
//! Orlando & Thissen's S-X² compares observed and expected proportions correct by summed score,
//! which presumes every learner took the same items. Adaptive tests give each learner a
//! different, short set of items, so summed scores are not comparable and S-X² is undefined.
//! Residual mean-squares need only a prediction per response, so they work on any design.
//!
//! # Which prediction
//!
//! Each response xᵢⱼ is compared with πᵢⱼ = E[Pᵢ(θ) | learner j's *other* responses], the
//! probability of a right answer under the posterior of θ without item i (on the calibration's
//! quadrature, N(0, 1) prior). Under the model, given the other responses, xᵢⱼ is exactly a
//! Bernoulli(πᵢⱼ) draw, so the mean-squares have expectation 1 and the Wright–Masters variances
//! hold for any test length. Plugging in an EAP θ̂ that includes xᵢⱼ instead biases them
//! downward on short tests (about 0.8 with 10 items a learner), as each response pulls θ̂
//! toward itself. The point-biserial likewise correlates xᵢⱼ with the EAP θ̂ from the other
//! responses (a "corrected" item-total correlation).
//!
//! # Rules
//!
//! | flag | rule |
//! |---|---|
//! | `too_few` | fewer responses than `min_responses` (default 100): not recalibrated |
//! | `all_correct`, `all_wrong` | no variation in the responses: not recalibrated |
//! | `misfit` | infit or outfit mean-square outside [0.8, 1.2] *and* its standardised value beyond ±2 |
//! | `too_easy` | b < −3.5, or more than 95% correct |
//! | `too_hard` | b > +3.5, or fewer than 5% correct |
//! | `low_discrimination` | a < 0.3 (2PL, 3PL; a 1PL item that discriminates poorly misfits) |
//!
//! Only `too_few` applies to an item with fewer responses than `min_responses`; `misfit` and
//! `low_discrimination` only to recalibrated items. The mean-square range is the one Wright &
//! Linacre (1994, "Reasonable mean-square fit values", Rasch Measurement Transactions 8:3)
//! give for high-stakes multiple-choice tests (dichotomous mean-squares vary little: an item
//! answered at random, fitted by the 1PL to N(0, 1) learners, reaches only about 1.22); asking that the standardised value also exceed 2 keeps small
//! samples (whose mean-squares scatter widely) and large ones (where any deviation is
//! "significant") from being flagged for noise alone. In adaptive data each item is given to
//! learners near its difficulty, so about half answer it right whatever its b; the share
//! correct then says little, and the b rules are the ones that matter. For the same reason the
//! mean-squares of adaptively selected items are weak evidence: at P ≈ 0.5 every response has
//! the same squared residual, 0.25. Pretest items, seeded for learners of every ability, are
//! where fit statistics have power.

use serde::{Deserialize, Serialize};

use super::em::{self, Design, Quadrature};
use crate::irt::Params;

/// Mean-squares inside this range are productive for measurement.
pub const MEAN_SQUARE_RANGE: (f64, f64) = (0.8, 1.2);
/// A mean-square counts as misfit only when its standardised value is beyond this.
pub const Z_LIMIT: f64 = 2.0;
/// Difficulty beyond which an item is too easy or too hard for the population.
pub const B_LIMIT: f64 = 3.5;
/// Share correct above which an item is too easy (below 1 − this, too hard).
pub const P_LIMIT: f64 = 0.95;
/// Discrimination below which an item hardly tells learners apart.
pub const A_LOW: f64 = 0.3;
/// The smallest P(1 − P) a residual is divided by, so that a response the model deems all but
/// impossible (P < 10⁻⁸) weighs 10⁸, not infinity.
const VARIANCE_FLOOR: f64 = 1e-8;

/// Something an author should look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    TooFew,
    AllCorrect,
    AllWrong,
    Misfit,
    TooEasy,
    TooHard,
    LowDiscrimination,
}

impl Flag {
    /// The flag as written in reports (`too_few`, …).
    pub fn name(self) -> &'static str {
        match self {
            Flag::TooFew => "too_few",
            Flag::AllCorrect => "all_correct",
            Flag::AllWrong => "all_wrong",
            Flag::Misfit => "misfit",
            Flag::TooEasy => "too_easy",
            Flag::TooHard => "too_hard",
            Flag::LowDiscrimination => "low_discrimination",
        }
    }
}

/// A residual mean-square and its standardised value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MeanSquare {
    /// Expected value 1 when the item fits.
    pub msq: f64,
    /// Approximately N(0, 1) when the item fits (Wilson–Hilferty cube-root transformation).
    pub z: f64,
}

impl MeanSquare {
    fn outside(&self) -> bool {
        (self.msq < MEAN_SQUARE_RANGE.0 || self.msq > MEAN_SQUARE_RANGE.1) && self.z.abs() > Z_LIMIT
    }
}

/// Classical and fit statistics of one item.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemStats {
    /// Responses to the item (repeats and unknown learners excluded).
    pub n: usize,
    /// Right answers among them.
    pub correct: usize,
    /// Share correct, `correct / n`.
    pub p: Option<f64>,
    /// Correlation of the item score with the learners' θ̂.
    pub point_biserial: Option<f64>,
    pub infit: Option<MeanSquare>,
    pub outfit: Option<MeanSquare>,
}

/// Running sums for one item.
#[derive(Debug, Clone, Copy, Default)]
pub struct Accumulator {
    n: usize,
    correct: usize,
    sum_theta: f64,
    sum_theta2: f64,
    sum_x_theta: f64,
    /// Σ y², Σ W, Σ (C − W²) for infit; Σ y²/W, Σ C/W² for outfit.
    sq: f64,
    var: f64,
    infit_var: f64,
    outfit_sum: f64,
    outfit_var: f64,
}

impl Accumulator {
    /// Adds one response, right or not, predicted right with probability `p` by the
    /// leave-one-out posterior of a learner whose leave-one-out EAP is `theta`.
    ///
    /// # Formula
    ///
    /// With residual y = x − π, variance W = π(1 − π) and fourth central moment
    /// C = W(1 − 3W): infit = Σy²/ΣW with variance q² = Σ(C − W²)/(ΣW)²; outfit = (1/n)Σy²/W
    /// with q² = (1/n²)ΣC/W² − 1/n; standardised t = (msq^⅓ − 1)(3/q) + q/3 (Wilson–Hilferty).
    /// Reference: Wright & Masters (1982), *Rating Scale Analysis*, ch. 5; Wright & Stone
    /// (1979), *Best Test Design*, ch. 4.
    pub fn add(&mut self, p: f64, theta: f64, correct: bool) {
        let x = if correct { 1.0 } else { 0.0 };
        self.n += 1;
        self.correct += usize::from(correct);
        self.sum_theta += theta;
        self.sum_theta2 += theta * theta;
        self.sum_x_theta += x * theta;
        let p = p.clamp(0.0, 1.0);
        let w = (p * (1.0 - p)).max(VARIANCE_FLOOR);
        let y2 = (x - p).powi(2);
        let c = w * (1.0 - 3.0 * w);
        self.sq += y2;
        self.var += w;
        self.infit_var += c - w * w;
        self.outfit_sum += y2 / w;
        self.outfit_var += c / (w * w);
    }

    /// The statistics (see [`add`](Self::add)); undefined ones are `None`.
    pub fn stats(&self) -> ItemStats {
        let n = self.n as f64;
        let p = (self.n > 0).then(|| self.correct as f64 / n);
        let point_biserial = p.and_then(|p| {
            let mean = self.sum_theta / n;
            let var_theta = self.sum_theta2 / n - mean * mean;
            let var_x = p * (1.0 - p);
            let cov = self.sum_x_theta / n - p * mean;
            let denominator = (var_theta * var_x).sqrt();
            (denominator > 1e-12).then(|| (cov / denominator).clamp(-1.0, 1.0))
        });
        let standardise = |msq: f64, q2: f64| {
            let q = q2.max(0.0).sqrt();
            let z = if q > 1e-12 {
                (msq.cbrt() - 1.0) * (3.0 / q) + q / 3.0
            } else {
                0.0
            };
            (msq.is_finite() && z.is_finite()).then_some(MeanSquare { msq, z })
        };
        let (infit, outfit) = if self.n > 0 && self.var > 0.0 {
            (
                standardise(self.sq / self.var, self.infit_var / (self.var * self.var)),
                standardise(self.outfit_sum / n, self.outfit_var / (n * n) - 1.0 / n),
            )
        } else {
            (None, None)
        };
        ItemStats {
            n: self.n,
            correct: self.correct,
            p,
            point_biserial,
            infit,
            outfit,
        }
    }
}

/// The statistics' running sums for every item of the design, from each response's
/// leave-one-out posterior (see the module documentation).
///
/// # Formula
///
/// With ωⱼₖ learner j's posterior at node θₖ from the estimated items (see
/// [`em::posterior`]; the prior for a learner without any), removing item i's response from it
/// divides by its likelihood: for an estimated item answered right, ωₖ⁽⁻ⁱ⁾ ∝ ωₖ/Pᵢ(θₖ), so
/// πᵢⱼ = 1/Σₖ ωₖ/Pᵢ(θₖ) and θ̂ⱼ₍₋ᵢ₎ = Σₖ ωₖθₖ/Pᵢ(θₖ) · πᵢⱼ; answered wrong, with Qᵢ in
/// place of Pᵢ, 1 − πᵢⱼ = 1/Σₖ ωₖ/Qᵢ(θₖ). An item that was not estimated is not in ωⱼₖ:
/// πᵢⱼ = Σₖ ωₖPᵢ(θₖ) and θ̂ⱼ = Σₖ ωₖθₖ. The ratios are finite: ωₖ carries the factor Pᵢ(θₖ)
/// (or Qᵢ) it is divided by, and 1/Pᵢ ≤ e^(a|θ − b|) with a ≤ 10 and |θ − b| ≤ 16.
///
/// [`em::posterior`]: super::em::posterior
pub fn accumulate(
    design: &Design,
    active: &[bool],
    params: &[Params],
    quad: &Quadrature,
) -> Vec<Accumulator> {
    let k = quad.points();
    let table = em::log_table(params, quad);
    // 1/Q and 1/P, laid out as `table` (by cell code), and P by item.
    let inverse: Vec<f64> = table.iter().map(|l| (-l).exp()).collect();
    let probs: Vec<f64> = table
        .chunks_exact(k)
        .skip(1)
        .step_by(2)
        .flat_map(|ln_p| ln_p.iter().map(|l| l.exp()))
        .collect();
    let mut acc = vec![Accumulator::default(); params.len()];
    let mut weights = vec![0.0; k];
    let prior: Vec<f64> = quad.log_weights.iter().map(|w| w.exp()).collect();
    for learner in 0..design.learners() {
        let row = design.row(learner);
        if em::posterior(row, active, &table, quad, &mut weights).is_none() {
            weights.copy_from_slice(&prior);
        }
        let eap: f64 = weights.iter().zip(&quad.nodes).map(|(w, t)| w * t).sum();
        for &cell in row {
            let i = (cell >> 1) as usize;
            let correct = cell & 1 == 1;
            let (p, theta) = if active[i] {
                let own = &inverse[cell as usize * k..(cell as usize + 1) * k];
                let (mut mass, mut moment) = (0.0, 0.0);
                for ((w, inv), t) in weights.iter().zip(own).zip(&quad.nodes) {
                    mass += w * inv;
                    moment += w * inv * t;
                }
                let p = if correct {
                    1.0 / mass
                } else {
                    1.0 - 1.0 / mass
                };
                (p, moment / mass)
            } else {
                let own = &probs[i * k..(i + 1) * k];
                (weights.iter().zip(own).map(|(w, p)| w * p).sum(), eap)
            };
            acc[i].add(p, theta, correct);
        }
    }
    acc
}

/// The flags of an item (see the module documentation for the rules). `estimated` says
/// whether it was recalibrated; `enough` whether it had `min_responses` responses;
/// `discrimination` whether its model estimates a.
pub fn flags(
    stats: &ItemStats,
    params: &Params,
    enough: bool,
    estimated: bool,
    discrimination: bool,
) -> Vec<Flag> {
    let mut flags = Vec::new();
    if !enough {
        flags.push(Flag::TooFew);
        return flags;
    }
    if stats.correct == stats.n {
        flags.push(Flag::AllCorrect);
    } else if stats.correct == 0 {
        flags.push(Flag::AllWrong);
    }
    let misfits = [stats.infit, stats.outfit]
        .iter()
        .flatten()
        .any(MeanSquare::outside);
    if estimated && misfits {
        flags.push(Flag::Misfit);
    }
    let p = stats.p.unwrap_or(0.5);
    if (estimated && params.b < -B_LIMIT) || p > P_LIMIT {
        flags.push(Flag::TooEasy);
    }
    if (estimated && params.b > B_LIMIT) || p < 1.0 - P_LIMIT {
        flags.push(Flag::TooHard);
    }
    if estimated && discrimination && params.a < A_LOW {
        flags.push(Flag::LowDiscrimination);
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_squares_of_expected_responses_are_near_one() {
        // Responses that are right exactly in proportion P at each θ give msq = 1.
        let item = Params::two_pl(1.2, 0.3);
        let mut acc = Accumulator::default();
        for k in 0..200 {
            let theta = -3.0 + 6.0 * k as f64 / 199.0;
            let right = (item.prob(theta) * 1000.0).round() as usize;
            for j in 0..1000 {
                acc.add(item.prob(theta), theta, j < right);
            }
        }
        let stats = acc.stats();
        let (infit, outfit) = (
            stats.infit.expect("defined"),
            stats.outfit.expect("defined"),
        );
        assert!((infit.msq - 1.0).abs() < 1e-3, "{infit:?}");
        assert!((outfit.msq - 1.0).abs() < 1e-2, "{outfit:?}");
        assert!(stats.point_biserial.expect("defined") > 0.5);
    }

    #[test]
    fn reversed_responses_misfit() {
        let item = Params::two_pl(1.5, 0.0);
        let mut acc = Accumulator::default();
        for k in 0..400 {
            let theta = -2.0 + 4.0 * k as f64 / 399.0;
            acc.add(item.prob(theta), theta, theta < 0.0);
        }
        let stats = acc.stats();
        assert!(stats.infit.expect("defined").msq > 2.0);
        assert!(stats.point_biserial.expect("defined") < -0.5);
        let flags = flags(&stats, &item, true, true, true);
        assert_eq!(flags, [Flag::Misfit]);
    }

    #[test]
    fn leave_one_out_prediction_equals_the_posterior_without_the_item() {
        let quad = Quadrature::new(41, 5.0);
        let params = [
            Params::two_pl(1.4, 0.3),
            Params::three_pl(0.9, -1.0, 0.2),
            Params::two_pl(2.0, 1.2),
        ];
        // One learner: item 0 right, item 1 wrong, item 2 right.
        let design = Design {
            starts: vec![0, 3],
            cells: vec![1, 2, 5],
        };
        let acc = accumulate(&design, &[true; 3], &params, &quad);
        // Directly: the posterior from items 1 and 2 only, then E[P₀(θ)] under it.
        let log_post: Vec<f64> = quad
            .nodes
            .iter()
            .zip(&quad.log_weights)
            .map(|(&t, w)| w + params[1].log_prob(t, false) + params[2].log_prob(t, true))
            .collect();
        let total: f64 = log_post.iter().map(|l| l.exp()).sum();
        let pi: f64 = log_post
            .iter()
            .zip(&quad.nodes)
            .map(|(l, &t)| l.exp() * params[0].prob(t))
            .sum::<f64>()
            / total;
        // One right response: infit = (1 − π)²/(π(1 − π)) = (1 − π)/π.
        let infit = acc[0].stats().infit.expect("defined").msq;
        assert!(
            (1.0 / (1.0 + infit) - pi).abs() < 1e-12,
            "{} vs {pi}",
            1.0 / (1.0 + infit)
        );
    }

    #[test]
    fn too_few_responses_hide_every_other_flag() {
        let stats = ItemStats {
            n: 3,
            correct: 3,
            p: Some(1.0),
            ..Default::default()
        };
        let params = Params::two_pl(0.1, -5.0);
        assert_eq!(flags(&stats, &params, false, false, true), [Flag::TooFew]);
        assert_eq!(
            flags(&stats, &params, true, false, true),
            [Flag::AllCorrect, Flag::TooEasy]
        );
    }
}
