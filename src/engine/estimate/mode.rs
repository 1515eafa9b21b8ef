//! The MAP, MLE and WLE estimates: roots of the module's score equations, found with Brent's
//! method.

use super::{Estimate, EstimatorConfig, Scored};
use crate::irt::Params;

/// Spacing of the scan that brackets the roots of a score function.
const SCAN_STEP: f64 = 0.05;
/// Bounds on the number of scan intervals, whatever the width of the range.
const SCAN_INTERVALS: (usize, usize) = (16, 2000);
/// Absolute tolerance of the root finder.
const ROOT_TOLERANCE: f64 = 1e-10;
/// Iteration cap of the root finder (it converges in far fewer).
const MAX_ROOT_ITERATIONS: usize = 200;

/// The maximum a posteriori (MAP, catR "BM") estimate under the normal prior, with
/// SE = 1/√(I(θ̂) + 1/σ²).
///
/// # Formula
///
/// θ̂ solves Σᵢ sᵢ(θ) + (μ − θ)/σ² = 0, with the item scores sᵢ of the
/// [module's score equations](super); it is the mode of the posterior. Reference: Baker & Kim
/// (2004); catR `thetaEst` and `semTheta`.
pub fn map(config: &EstimatorConfig, responses: &[Scored]) -> Estimate {
    let theta = solve(Mode::Map, config, responses);
    let precision = 1.0 / (config.prior_sd * config.prior_sd);
    Estimate {
        theta,
        se: 1.0 / (test_info(responses, theta) + precision).sqrt(),
    }
}

/// The maximum likelihood (MLE, catR "ML") estimate, with SE = 1/√I(θ̂).
///
/// # Formula
///
/// θ̂ solves Σᵢ sᵢ(θ) = 0, with the item scores sᵢ of the [module's score equations](super);
/// for an all-correct (all-wrong) pattern the score stays positive (negative), and the estimate
/// is `max_theta` (`min_theta`), as in catR. With no responses the estimate is the prior mean with an
/// infinite SE. The SE is infinite where the information underflows to 0; [`estimate`] caps it.
/// Reference: Baker & Kim (2004); catR `thetaEst` and `semTheta`.
///
/// [`estimate`]: super::estimate
pub fn mle(config: &EstimatorConfig, responses: &[Scored]) -> Estimate {
    let theta = solve(Mode::Mle, config, responses);
    Estimate {
        theta,
        se: 1.0 / test_info(responses, theta).sqrt(),
    }
}

/// Warm's weighted likelihood (WLE, catR "WL") estimate, with SE = 1/√I(θ̂) (catR's "classic"
/// form).
///
/// # Formula
///
/// θ̂ solves Σᵢ sᵢ(θ) + J(θ) / (2 I(θ)) = 0 with J = Σᵢ Jᵢ and I = Σᵢ Iᵢ (the
/// [module's score equations](super)). The correction removes the first-order bias of the MLE
/// and gives all-correct and all-wrong patterns a finite root, which may still lie beyond the
/// range (the estimate is then the bound, as in catR). Empty patterns and infinite SEs are
/// treated as in [`mle`]. Reference: Warm (1989); catR `thetaEst` and `semTheta`.
pub fn wle(config: &EstimatorConfig, responses: &[Scored]) -> Estimate {
    let theta = solve(Mode::Wle, config, responses);
    Estimate {
        theta,
        se: 1.0 / test_info(responses, theta).sqrt(),
    }
}

/// Which score equation [`solve`] solves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Map,
    Mle,
    Wle,
}

/// One item's contribution to the score equations at θ.
#[derive(Debug, Clone, Copy)]
struct Terms {
    /// sᵢ = d ln Pᵢ/dθ if correct, d ln Qᵢ/dθ if wrong.
    score: f64,
    /// Iᵢ, the Fisher information.
    info: f64,
    /// Jᵢ, Warm's correction term.
    warm: f64,
}

/// The score, information and Warm terms of one response (module documentation), computed so
/// that nothing is 0/0 far from the item.
///
/// With L the logistic, P′ = a(d − c)L(1 − L) and P″ = P′ · a(1 − 2L), so Jᵢ = Iᵢ · a(1 − 2L);
/// P′/P = a(1 − L) · (d − c)L/P and P′/Q = aL · (d − c)(1 − L)/Q, whose last ratios are exactly
/// 1 when c = 0 (resp. d = 1), as in [`Params::info`].
fn score_terms(params: &Params, theta: f64, correct: bool) -> Terms {
    // The 2PL with the same a and b gives the logistic L and its complement 1 − L.
    let logistic = Params::two_pl(params.a, params.b).response(theta);
    let (l, m) = (logistic.p, logistic.q);
    let span = params.d - params.c;
    let score = if correct {
        let lower = if params.c == 0.0 {
            1.0
        } else {
            span * l / (params.c + span * l)
        };
        params.a * m * lower
    } else {
        let upper = if params.d == 1.0 {
            1.0
        } else {
            span * m / ((1.0 - params.d) + span * m)
        };
        -params.a * l * upper
    };
    let info = params.info(theta);
    Terms {
        score,
        info,
        warm: params.a * (m - l) * info,
    }
}

/// I(θ) = Σᵢ Iᵢ(θ), the test information; +0 (never −0) for no responses, so that 1/√I is +∞.
fn test_info(responses: &[Scored], theta: f64) -> f64 {
    responses
        .iter()
        .fold(0.0, |sum, r| sum + r.params.info(theta))
}

/// The left-hand side of the score equation of `mode` at θ.
fn score(mode: Mode, config: &EstimatorConfig, responses: &[Scored], theta: f64) -> f64 {
    let (mut score, mut info, mut warm) = (0.0, 0.0, 0.0);
    for response in responses {
        let terms = score_terms(&response.params, theta, response.correct);
        score += terms.score;
        info += terms.info;
        warm += terms.warm;
    }
    match mode {
        Mode::Map => score + (config.prior_mean - theta) / (config.prior_sd * config.prior_sd),
        Mode::Mle => score,
        Mode::Wle if info > 0.0 => score + warm / (2.0 * info),
        Mode::Wle => score,
    }
}

/// The log-posterior (MAP) or log-likelihood (MLE) up to a constant, whose derivative is
/// [`score`]; used only to choose between several roots.
fn log_objective(mode: Mode, config: &EstimatorConfig, responses: &[Scored], theta: f64) -> f64 {
    let log_lik: f64 = responses
        .iter()
        .map(|r| r.params.log_prob(theta, r.correct))
        .sum();
    match mode {
        Mode::Map => {
            let z = (theta - config.prior_mean) / config.prior_sd;
            log_lik - 0.5 * z * z
        }
        Mode::Mle | Mode::Wle => log_lik,
    }
}

/// The estimate of `mode` within [`min_theta`, `max_theta`]: the best of the local maxima of
/// the objective whose derivative is the score, bounds included.
///
/// The score is scanned at steps of about [`SCAN_STEP`]; each change from positive to
/// non-positive brackets a local maximum, refined by [`brent`]; a bound is a candidate when the
/// score points out of the range there. Among several candidates the highest objective wins
/// ([`log_objective`] for MAP and MLE, the trapezoid integral of the score for WLE, which has
/// no closed-form objective). Without responses MLE and WLE have no information at all: the
/// estimate is then the prior mean.
///
/// [`min_theta`]: EstimatorConfig::min_theta
/// [`max_theta`]: EstimatorConfig::max_theta
fn solve(mode: Mode, config: &EstimatorConfig, responses: &[Scored]) -> f64 {
    let (lo, hi) = (config.min_theta, config.max_theta);
    let fallback = config.prior_mean.max(lo).min(hi);
    if responses.is_empty() && mode != Mode::Map {
        return fallback;
    }
    let f = |theta: f64| score(mode, config, responses, theta);
    let intervals = ((hi - lo) / SCAN_STEP).ceil();
    let intervals = if intervals.is_finite() && intervals >= 0.0 {
        (intervals as usize).clamp(SCAN_INTERVALS.0, SCAN_INTERVALS.1)
    } else {
        SCAN_INTERVALS.0
    };
    let step = (hi - lo) / intervals as f64;
    let xs: Vec<f64> = (0..=intervals)
        .map(|i| {
            if i == intervals {
                hi
            } else {
                lo + i as f64 * step
            }
        })
        .collect();
    let ts: Vec<f64> = xs.iter().map(|&x| f(x)).collect();

    let mut best: Option<(f64, f64)> = None;
    let mut consider = |theta: f64, integral: f64| {
        let height = match mode {
            Mode::Map | Mode::Mle => log_objective(mode, config, responses, theta),
            Mode::Wle => integral,
        };
        if best.is_none_or(|(_, top)| height > top) {
            best = Some((theta, height));
        }
    };
    let mut integral = 0.0;
    if ts[0] <= 0.0 {
        consider(lo, integral);
    }
    for i in 0..intervals {
        if ts[i] > 0.0 && ts[i + 1] <= 0.0 {
            let root = brent(&f, xs[i], xs[i + 1], ts[i], ts[i + 1]);
            consider(root, integral + 0.5 * ts[i] * (root - xs[i]));
        }
        integral += 0.5 * (ts[i] + ts[i + 1]) * (xs[i + 1] - xs[i]);
    }
    if ts[intervals] >= 0.0 {
        consider(hi, integral);
    }
    best.map_or(fallback, |(theta, _)| theta)
}

/// A root of `f` in [a, b], given f(a) > 0 ≥ f(b): Brent's method, which keeps the root
/// bracketed and mixes bisection with secant and inverse quadratic steps; at most
/// [`MAX_ROOT_ITERATIONS`] evaluations, to [`ROOT_TOLERANCE`].
///
/// Reference: Brent (1973), *Algorithms for Minimization without Derivatives*, ch. 4.
fn brent(f: &dyn Fn(f64) -> f64, a: f64, b: f64, fa: f64, fb: f64) -> f64 {
    let (mut a, mut b, mut fa, mut fb) = (a, b, fa, fb);
    // c is the other end of the bracket [b, c]; b is the best estimate so far.
    let (mut c, mut fc) = (a, fa);
    let mut step = b - a;
    let mut previous_step = step;
    for _ in 0..MAX_ROOT_ITERATIONS {
        if (fb > 0.0) == (fc > 0.0) {
            (c, fc) = (a, fa);
            step = b - a;
            previous_step = step;
        }
        if fc.abs() < fb.abs() {
            (a, fa) = (b, fb);
            (b, fb) = (c, fc);
            (c, fc) = (a, fa);
        }
        let tol = 2.0 * f64::EPSILON * b.abs() + 0.5 * ROOT_TOLERANCE;
        let half = 0.5 * (c - b);
        if half.abs() <= tol || fb == 0.0 {
            return b;
        }
        if previous_step.abs() >= tol && fa.abs() > fb.abs() {
            // Interpolate: secant when only two points are known, else inverse quadratic.
            let s = fb / fa;
            let (mut p, mut q) = if a == c {
                (2.0 * half * s, 1.0 - s)
            } else {
                let (q, r) = (fa / fc, fb / fc);
                (
                    s * (2.0 * half * q * (q - r) - (b - a) * (r - 1.0)),
                    (q - 1.0) * (r - 1.0) * (s - 1.0),
                )
            };
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            // Accept the interpolation only if it stays well inside the bracket and shrinks
            // faster than bisection would.
            if 2.0 * p < (3.0 * half * q - (tol * q).abs()).min((previous_step * q).abs()) {
                previous_step = step;
                step = p / q;
            } else {
                step = half;
                previous_step = half;
            }
        } else {
            step = half;
            previous_step = half;
        }
        (a, fa) = (b, fb);
        b += if step.abs() > tol {
            step
        } else {
            tol.copysign(half)
        };
        fb = f(b);
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brent_finds_a_bracketed_root_to_tolerance() {
        let f = |x: f64| (2.0 - x * x) * (1.0 + x);
        let root = brent(&f, 0.0, 3.0, f(0.0), f(3.0));
        assert!((root - 2f64.sqrt()).abs() < 1e-10, "{root}");
        let step = |x: f64| if x < 0.7 { 1.0 } else { -1.0 };
        assert!((brent(&step, 0.0, 1.0, 1.0, -1.0) - 0.7).abs() < 1e-9);
    }
}
