//! Joint estimation across domains (`JointPosterior`) against references:
//!
//! - with uncorrelated domains it is today's unidimensional EAP, domain by domain, within 1e-6;
//! - with correlated domains (k = 2 and 3, ρ = 0.3, 0.6, 0.9) its means, posterior SDs and the
//!   probabilities below the level cuts agree with a brute-force integration of the exact
//!   posterior over a dense k-dimensional grid within 0.01, on random 2PL and 3PL patterns,
//!   all-right and all-wrong ones included;
//! - it is finite for any pattern and any valid correlation matrix.

use proptest::prelude::*;
use skillcat::estimate::covariance::{cholesky, inverse_from_cholesky};
use skillcat::estimate::{EstimatorConfig, JointPosterior, Scored, eap};
use skillcat::irt::Params;
use skillcat::rng::SeededRng;

/// The agreement the issue asks for, in logits: far below an SE (≥ 0.2 here), so a learner never
/// sees a difference.
const TOLERANCE: f64 = 0.01;

/// One domain's answers.
type Pattern = Vec<Scored>;

/// A random item: 2PL, or 3PL with c in [0.1, 0.3] (not log-concave).
fn random_item(rng: &mut SeededRng) -> Params {
    let a = 0.6 + 1.6 * rng.uniform();
    let b = -2.5 + 5.0 * rng.uniform();
    if rng.uniform() < 0.5 {
        Params::two_pl(a, b)
    } else {
        Params::three_pl(a, b, 0.1 + 0.2 * rng.uniform())
    }
}

/// `n` random items answered `how`: "random" (right with probability ½), "right" or "wrong".
fn pattern(rng: &mut SeededRng, n: usize, how: &str) -> Pattern {
    (0..n)
        .map(|_| Scored {
            params: random_item(rng),
            correct: match how {
                "right" => true,
                "wrong" => false,
                _ => rng.uniform() < 0.5,
            },
        })
        .collect()
}

/// The equicorrelation matrix of `k` domains, row-major.
fn equicorrelated(k: usize, rho: f64) -> Vec<f64> {
    (0..k * k)
        .map(|c| if c / k == c % k { 1.0 } else { rho })
        .collect()
}

fn joint(correlations: &[f64], patterns: &[Pattern]) -> JointPosterior {
    let k = patterns.len();
    let mut posterior =
        JointPosterior::new(&EstimatorConfig::default(), correlations, k).expect("valid");
    for (d, pattern) in patterns.iter().enumerate() {
        for response in pattern {
            posterior.add(d, &response.params, response.correct);
        }
    }
    posterior.update();
    posterior
}

/// The level cuts of the bundled banks; they fall on the brute-force grids' points.
const CUTS: [f64; 3] = [-0.5, 0.5, 1.5];

/// One domain's exact marginal: mean, SD and P(θ < cut) for each of [`CUTS`].
#[derive(Debug)]
struct Marginal {
    mean: f64,
    sd: f64,
    below: [f64; 3],
}

/// Per domain, the marginal of the exact posterior N(0, R) Π_d L_d(θ_d) on [−4, 4]ᵏ, by the
/// trapezoid rule on `points` points per axis.
fn brute_force(correlations: &[f64], patterns: &[Pattern], points: usize) -> Vec<Marginal> {
    let k = patterns.len();
    let precision = inverse_from_cholesky(&cholesky(correlations, k).expect("PD"), k);
    let step = 8.0 / (points - 1) as f64;
    let axis: Vec<f64> = (0..points).map(|i| -4.0 + i as f64 * step).collect();
    // ln L_d + ln(trapezoid weight) per axis point.
    let log_likelihood: Vec<Vec<f64>> = patterns
        .iter()
        .map(|pattern| {
            axis.iter()
                .enumerate()
                .map(|(i, &t)| {
                    let end = if i == 0 || i == points - 1 {
                        0.5f64.ln()
                    } else {
                        0.0
                    };
                    end + pattern
                        .iter()
                        .map(|r| r.params.log_prob(t, r.correct))
                        .sum::<f64>()
                })
                .collect()
        })
        .collect();
    let total = points.pow(k as u32);
    let mut log_weights = Vec::with_capacity(total);
    let mut index = vec![0usize; k];
    for _ in 0..total {
        let mut log_weight = 0.0;
        for i in 0..k {
            let ti = axis[index[i]];
            log_weight += log_likelihood[i][index[i]];
            for j in 0..k {
                log_weight -= 0.5 * precision[i * k + j] * ti * axis[index[j]];
            }
        }
        log_weights.push(log_weight);
        for slot in index.iter_mut() {
            *slot += 1;
            if *slot < points {
                break;
            }
            *slot = 0;
        }
    }
    let top = log_weights
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    // Per domain and axis point, the marginal's trapezoid-weighted mass.
    let mut marginal = vec![vec![0.0; points]; k];
    for (flat, log_weight) in log_weights.iter().enumerate() {
        let w = (log_weight - top).exp();
        let mut rest = flat;
        for mass in marginal.iter_mut() {
            mass[rest % points] += w;
            rest /= points;
        }
    }
    marginal
        .iter()
        .map(|mass| {
            let total: f64 = mass.iter().sum();
            let mean = mass.iter().zip(&axis).map(|(w, t)| w * t).sum::<f64>() / total;
            let variance = mass
                .iter()
                .zip(&axis)
                .map(|(w, t)| w * (t - mean) * (t - mean))
                .sum::<f64>()
                / total;
            // P(θ < cut): the trapezoid cells wholly below the cut (a grid point). The ends'
            // masses carry the trapezoid's ½; a cell holds half of each end's density.
            let density = |i: usize| {
                let end = if i == 0 || i == points - 1 { 2.0 } else { 1.0 };
                mass[i] * end
            };
            let below = CUTS.map(|cut| {
                let cells = ((cut + 4.0) / step).round() as usize;
                (0..cells)
                    .map(|i| 0.5 * (density(i) + density(i + 1)))
                    .sum::<f64>()
                    / total
            });
            Marginal {
                mean,
                sd: variance.sqrt(),
                below,
            }
        })
        .collect()
}

#[test]
fn uncorrelated_domains_reproduce_the_unidimensional_eap_domain_by_domain() {
    let mut rng = SeededRng::new(10);
    let mut worst: f64 = 0.0;
    for k in 1..=8 {
        for trial in 0..6 {
            let hows = ["random", "right", "wrong"];
            let patterns: Vec<Pattern> = (0..k)
                .map(|d| pattern(&mut rng, (d * 7 + trial * 3) % 25, hows[(d + trial) % 3]))
                .collect();
            let posterior = joint(&equicorrelated(k, 0.0), &patterns);
            for (d, pattern) in patterns.iter().enumerate() {
                let (ours, alone) = (
                    posterior.estimate(d),
                    eap(&EstimatorConfig::default(), pattern),
                );
                worst = worst
                    .max((ours.theta - alone.theta).abs())
                    .max((ours.se - alone.se).abs());
            }
        }
    }
    assert!(worst < 1e-6, "largest difference {worst}");
}

/// Plays random patterns for `k` domains at correlation `rho` and returns the largest
/// difference from the brute-force reference, with where it occurred.
fn worst_against_brute_force(k: usize, rho: f64, points: usize, seed: u64) -> (f64, String) {
    let mut rng = SeededRng::new(seed);
    let correlations = equicorrelated(k, rho);
    let mut worst = (0.0, String::new());
    let designs: [&[(usize, &str)]; 6] = [
        &[(5, "random"), (12, "random"), (0, "random")],
        &[(6, "right"), (10, "random"), (3, "wrong")],
        &[(8, "wrong"), (8, "right"), (15, "random")],
        &[(20, "random"), (1, "right"), (6, "random")],
        &[(3, "right"), (3, "right"), (3, "right")],
        &[(10, "wrong"), (2, "wrong"), (10, "wrong")],
    ];
    for design in designs {
        for _ in 0..2 {
            let patterns: Vec<Pattern> = design[..k]
                .iter()
                .map(|&(n, how)| pattern(&mut rng, n, how))
                .collect();
            let posterior = joint(&correlations, &patterns);
            let reference = brute_force(&correlations, &patterns, points);
            for (d, exact) in reference.iter().enumerate() {
                let (ours, marginal) = (posterior.estimate(d), posterior.marginal(d));
                let (mean, sd) = (exact.mean, exact.sd);
                let mut error = (ours.theta - mean).abs().max((ours.se - sd).abs());
                for (cut, below) in CUTS.iter().zip(exact.below) {
                    error = error.max((marginal.probability_below(*cut) - below).abs());
                }
                if error > worst.0 {
                    worst = (
                        error,
                        format!(
                            "k {k} ρ {rho} design {design:?} domain {d}: EP {:.4} ± {:.4}, \
                             reference {mean:.4} ± {sd:.4}",
                            ours.theta, ours.se
                        ),
                    );
                }
            }
        }
    }
    worst
}

#[test]
fn two_correlated_domains_agree_with_a_brute_force_grid() {
    for rho in [0.3, 0.6, 0.9] {
        let (error, at) = worst_against_brute_force(2, rho, 241, 2);
        println!("largest difference {error:.5} at {at}");
        assert!(error < TOLERANCE, "{error} at {at}");
    }
}

#[test]
fn three_correlated_domains_agree_with_a_brute_force_grid() {
    for rho in [0.3, 0.6, 0.9] {
        let (error, at) = worst_against_brute_force(3, rho, 81, 3);
        println!("largest difference {error:.5} at {at}");
        assert!(error < TOLERANCE, "{error} at {at}");
    }
}

/// Any valid correlation matrix: a random Cholesky-style factor, normalised to a unit diagonal.
fn any_correlations(k: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-1.0..1.0f64, k * k).prop_map(move |raw| {
        // A = B Bᵀ + 0.01 I is positive definite; scale to a unit diagonal.
        let mut a = vec![0.0; k * k];
        for i in 0..k {
            for j in 0..k {
                a[i * k + j] = (0..k).map(|m| raw[i * k + m] * raw[j * k + m]).sum::<f64>()
                    + if i == j { 0.01 } else { 0.0 };
            }
        }
        let scale: Vec<f64> = (0..k).map(|i| a[i * k + i].sqrt()).collect();
        (0..k * k)
            .map(|c| {
                let (i, j) = (c / k, c % k);
                if i == j {
                    1.0
                } else {
                    a[c] / (scale[i] * scale[j])
                }
            })
            .collect()
    })
}

/// Any valid 4PL item, from barely to extremely discriminating, far beyond the grid; c = 0 and
/// d = 1 exactly about half of the time (the estimator module's own property test does the
/// same for one domain).
fn any_item() -> impl Strategy<Value = Params> {
    let c = prop_oneof![Just(0.0), 0.0..0.49f64];
    let d = prop_oneof![Just(1.0), 0.0..1.0f64];
    (0.01..60.0f64, -80.0..80.0f64, c, d).prop_map(|(a, b, c, d)| Params {
        a,
        b,
        c,
        d: if d == 1.0 {
            1.0
        } else {
            c + 0.01 + (0.99 - c) * d
        },
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn estimates_are_finite_for_any_pattern_and_valid_correlations(
        (k, correlations) in (1..8usize).prop_flat_map(|k| (Just(k), any_correlations(k))),
        responses in prop::collection::vec((0..8usize, any_item(), any::<bool>()), 0..40),
    ) {
        let config = EstimatorConfig::default();
        let posterior = JointPosterior::new(&config, &correlations, k);
        prop_assert!(posterior.is_some(), "{:?}", correlations);
        if let Some(mut posterior) = posterior {
            for (d, params, correct) in &responses {
                posterior.add(d % k, params, *correct);
                posterior.update();
                for domain in 0..k {
                    let e = posterior.estimate(domain);
                    prop_assert!(e.theta.is_finite() && e.se.is_finite() && e.se > 0.0, "{:?}", e);
                    let below = posterior.marginal(domain).probability_below(0.5);
                    prop_assert!((0.0..=1.0).contains(&below), "{}", below);
                    prop_assert!((-4.0..=4.0).contains(&e.theta), "{:?}", e);
                    prop_assert!(posterior.covariance().iter().all(|c| c.is_finite()));
                }
            }
        }
    }
}
