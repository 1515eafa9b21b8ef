//! The pairwise correction of EP's domain marginals: what EP's Gaussian sites miss about the
//! other domains' answers, put back one domain pair at a time.
//!
//! # Formula
//!
//! With q = N(m, C) the EP approximation and r_e(θ_e) = L_e(θ_e)/t_e(θ_e) the ratio of domain
//! e's exact likelihood (truncated to the grid's range) to its Gaussian site, the exact
//! posterior is p(θ) ∝ q(θ) Π_e r_e(θ_e), so the exact marginal of domain d is
//!
//!   p(θ_d) ∝ tilted_d(θ_d) · c_d(θ_d),   c_d(θ_d) = E_q[Π_{e≠d} r_e(θ_e) | θ_d],
//!
//! where tilted_d = q(θ_d) r_d(θ_d) is what EP reports. The correction takes the expectation of
//! the product as the product of expectations, c_d ≈ Π_{e≠d} E_q[r_e(θ_e) | θ_d], each a
//! one-dimensional Gaussian integral: θ_e | θ_d ~ N(m_e + C_ed/C_dd (θ_d − m_d),
//! C_ee − C_ed²/C_dd). With two domains this is exact; with more, it leaves out only how the
//! other domains' departures from their sites co-vary given θ_d (a second-order term). With
//! uncorrelated domains every c_d is constant and nothing changes.
//!
//! This is the first-order term of the perturbative corrections of Opper, Paquet & Winther
//! (2013), "Perturbative corrections for approximate inference in Gaussian latent variable
//! models", JMLR 14, 2857–2898, computed here exactly per pair rather than by a cumulant
//! expansion, because each pair is a cheap one-dimensional integral.
//!
//! # Numerics
//!
//! c_d is evaluated at [`NODES`] equally spaced points over ±[`SPAN`] SD of domain d's tilted
//! distribution (where its mass is) and interpolated onto the quadrature grid. Each
//! E[r_e | θ_d] is a trapezoid sum on the quadrature grid itself when the conditional SD is at
//! least one grid step (the common case, and cheap: see `log_expectation_on_grid`); for a
//! narrower conditional, Simpson's rule over ±6 conditional SD with ln r_e interpolated between
//! grid points (Catmull–Rom cubic). Either way r_e is 0 outside the grid's range.

use super::JointPosterior;

/// Points at which each domain's correction is computed.
pub const NODES: usize = 21;

/// Half-width of the span of those points, in SDs of the domain's tilted distribution.
pub const SPAN: f64 = 5.0;

/// Simpson points of each conditional expectation (an odd number).
const STEPS: usize = 25;

/// ln c_d at every grid point, for every domain (see the module documentation).
pub(super) fn log_corrections(posterior: &JointPosterior) -> Vec<Vec<f64>> {
    let k = posterior.domains;
    let grid = &posterior.grid;
    let (first, last) = (grid[0], grid[grid.len() - 1]);
    let step = (last - first) / (grid.len() - 1) as f64;
    // ln L_e without the trapezoid weights, for interpolation; the site's quadratic is added
    // exactly at each point.
    let end = grid.len() - 1;
    let log_likelihood: Vec<Vec<f64>> = posterior
        .log_likelihood
        .iter()
        .map(|l| {
            l.iter()
                .enumerate()
                .map(|(j, &v)| if j == 0 || j == end { v + 2f64.ln() } else { v })
                .collect()
        })
        .collect();
    let log_ratio = |e: usize, theta: f64| {
        let smooth = interpolate(&log_likelihood[e], first, step, theta);
        smooth + 0.5 * posterior.site_precision[e] * theta * theta - posterior.site_shift[e] * theta
    };
    // Per domain, w_j r_e(θ_j) on the grid (trapezoid weights included), scaled by its largest
    // value: a constant factor per domain, which the correction may carry.
    let ratios: Vec<Vec<f64>> = (0..k)
        .map(|e| {
            let logs: Vec<f64> = grid
                .iter()
                .zip(&posterior.log_likelihood[e])
                .map(|(&t, &l)| {
                    l + 0.5 * posterior.site_precision[e] * t * t - posterior.site_shift[e] * t
                })
                .collect();
            let top = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            logs.iter().map(|x| (x - top).exp()).collect()
        })
        .collect();
    let c = &posterior.covariance;
    let mut out = Vec::with_capacity(k);
    for d in 0..k {
        let (mean, variance) = posterior.tilted[d];
        let sd = variance.sqrt();
        let low = (mean - SPAN * sd).max(first);
        let high = (mean + SPAN * sd).min(last);
        let node_step = (high - low) / (NODES - 1) as f64;
        let c_dd = c[d * k + d];
        let mut nodes = [0.0; NODES];
        for (i, node) in nodes.iter_mut().enumerate() {
            let u = low + i as f64 * node_step;
            for e in (0..k).filter(|&e| e != d) {
                let slope = c[e * k + d] / c_dd;
                if slope == 0.0 {
                    // Independent given the prior and the sites: a constant factor.
                    continue;
                }
                let centre = posterior.mean[e] + slope * (u - posterior.mean[d]);
                let spread = (c[e * k + e] - slope * c[e * k + d]).max(0.0).sqrt();
                let on_grid = if spread >= step {
                    log_expectation_on_grid(&ratios[e], first, step, centre, spread)
                } else {
                    f64::NAN
                };
                *node += if on_grid.is_finite() {
                    on_grid
                } else {
                    log_expectation(|theta| log_ratio(e, theta), centre, spread, first, last)
                };
            }
        }
        let finite = nodes.iter().all(|x| x.is_finite()) && node_step > 0.0;
        out.push(
            grid.iter()
                .map(|&theta| {
                    if finite {
                        interpolate(&nodes, low, node_step, theta.max(low).min(high))
                    } else {
                        0.0
                    }
                })
                .collect(),
        );
    }
    out
}

/// ln Σ_j ratio_j φ((θ_j − centre)/spread) h/spread over the grid points within ±6 SD (the
/// trapezoid rule on the quadrature grid, whose weights `ratio` carries): E[r(θ)] for θ ~
/// N(centre, spread²) up to `ratio`'s scale, without a logarithm or exponential per point. The
/// Gaussian factor goes by a recurrence: with δ_j = θ_j − centre, g_{j+1} = g_j q_j,
/// q_j = exp(−(2δ_j h + h²)/(2 spread²)) and q_{j+1} = q_j exp(−h²/spread²). For a spread of at
/// least one grid step the rule's error on a Gaussian weight is below 2·exp(−2π²) ≈ 5e-9
/// (relative). NaN when no point is within reach or the sum underflows (the caller then takes
/// the interpolating rule).
fn log_expectation_on_grid(ratio: &[f64], first: f64, h: f64, centre: f64, spread: f64) -> f64 {
    let n = ratio.len();
    let start = ((centre - 6.0 * spread - first) / h).ceil().max(0.0);
    let stop = ((centre + 6.0 * spread - first) / h)
        .floor()
        .min((n - 1) as f64);
    if start.is_nan() || stop.is_nan() || start > stop {
        return f64::NAN;
    }
    let (start, stop) = (start as usize, stop as usize);
    let two_variance = 2.0 * spread * spread;
    let delta = first + start as f64 * h - centre;
    let mut gauss = (-delta * delta / two_variance).exp();
    let mut step = (-(2.0 * delta * h + h * h) / two_variance).exp();
    let shrink = (-2.0 * h * h / two_variance).exp();
    let mut sum = 0.0;
    for r in &ratio[start..=stop] {
        sum += r * gauss;
        gauss *= step;
        step *= shrink;
    }
    if sum > 0.0 && sum.is_finite() {
        // ln √(2π) = 0.918938533204672741780329736406…
        sum.ln() + (h / spread).ln() - 0.918_938_533_204_672_8
    } else {
        f64::NAN
    }
}

/// ln E[exp(f(θ)) 1(lo ≤ θ ≤ hi)] for θ ~ N(centre, spread²), by Simpson's rule over
/// [`STEPS`] − 1 intervals of ±6 SD cut to [lo, hi] (so that the range's edge is a node, not a
/// jump between nodes); −∞ when the two do not meet.
fn log_expectation(f: impl Fn(f64) -> f64, centre: f64, spread: f64, lo: f64, hi: f64) -> f64 {
    if spread < 1e-12 {
        return if (lo..=hi).contains(&centre) {
            f(centre)
        } else {
            f64::NEG_INFINITY
        };
    }
    let start = (centre - 6.0 * spread).max(lo);
    let stop = (centre + 6.0 * spread).min(hi);
    if start.is_nan() || stop.is_nan() || start >= stop {
        return f64::NEG_INFINITY;
    }
    let h = (stop - start) / (STEPS - 1) as f64;
    let mut terms = [f64::NEG_INFINITY; STEPS];
    for (t, term) in terms.iter_mut().enumerate() {
        let theta = start + t as f64 * h;
        let z = (theta - centre) / spread;
        let simpson = match t {
            0 => 1.0,
            _ if t == STEPS - 1 => 1.0,
            _ if t % 2 == 1 => 4.0,
            _ => 2.0,
        };
        *term = f(theta) - 0.5 * z * z + f64::ln(simpson);
    }
    let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !top.is_finite() {
        return top;
    }
    // Simpson's h/3, and the normal density's 1/(spread √(2π)); ln √(2π) = 0.918938533204672…
    let normalising = (h / 3.0 / spread).ln() - 0.918_938_533_204_672_8;
    top + terms.iter().map(|t| (t - top).exp()).sum::<f64>().ln() + normalising
}

/// The Catmull–Rom cubic through `values` (at `first`, `first + step`, …) at `x`, with the
/// values continued past both ends by the parabola through the last three (so quadratics are
/// reproduced everywhere); `x` is clamped to the nodes' range.
///
/// # Formula
///
/// On [x_i, x_{i+1}] with t = (x − x_i)/step and p₀…p₃ = f_{i−1}…f_{i+2}:
/// ½(2p₁ + (p₂ − p₀)t + (2p₀ − 5p₁ + 4p₂ − p₃)t² + (3p₁ − p₀ − 3p₂ + p₃)t³)
/// (Catmull & Rom 1974; the cubic Hermite spline with central-difference slopes).
fn interpolate(values: &[f64], first: f64, step: f64, x: f64) -> f64 {
    let n = values.len();
    if n == 1 {
        return values[0];
    }
    // `max`/`min`, not `clamp`: its panic message would bring float formatting to WebAssembly.
    let position = ((x - first) / step).max(0.0).min((n - 1) as f64);
    let i = (position.floor() as usize).min(n - 2);
    let t = position - i as f64;
    let at = |j: isize| -> f64 {
        if j < 0 {
            match values {
                [a, b, c, ..] => 3.0 * a - 3.0 * b + c,
                _ => 2.0 * values[0] - values[1],
            }
        } else if j as usize >= n {
            match values {
                [.., c, b, a] => 3.0 * a - 3.0 * b + c,
                _ => 2.0 * values[n - 1] - values[n - 2],
            }
        } else {
            values[j as usize]
        }
    };
    let i = i as isize;
    let (p0, p1, p2, p3) = (at(i - 1), at(i), at(i + 1), at(i + 2));
    0.5 * (2.0 * p1
        + (p2 - p0) * t
        + (2.0 * p0 - 5.0 * p1 + 4.0 * p2 - p3) * t * t
        + (3.0 * p1 - p0 - 3.0 * p2 + p3) * t * t * t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_passes_through_the_nodes_and_is_exact_for_quadratics() {
        let f = |x: f64| 0.3 * x * x - 1.2 * x + 0.5;
        let values: Vec<f64> = (0..9).map(|i| f(-2.0 + 0.5 * i as f64)).collect();
        for i in 0..9 {
            let x = -2.0 + 0.5 * i as f64;
            assert!((interpolate(&values, -2.0, 0.5, x) - f(x)).abs() < 1e-12);
        }
        for x in [-1.9, -0.3, 0.77, 1.6] {
            assert!(
                (interpolate(&values, -2.0, 0.5, x) - f(x)).abs() < 1e-12,
                "{x}"
            );
        }
        assert!((interpolate(&values, -2.0, 0.5, 10.0) - f(2.0)).abs() < 1e-12);
    }

    #[test]
    fn log_expectation_of_a_linear_exponent_is_the_normal_mgf() {
        // E[exp(bθ)] for θ ~ N(c, s²) is exp(bc + b²s²/2).
        let (b, c, s) = (1.3, 0.4, 0.7);
        let found = log_expectation(|t| b * t, c, s, -10.0, 10.0);
        // Simpson over ±6 SD only: the tail beyond is below 1e-6 here.
        assert!(
            (found - (b * c + 0.5 * b * b * s * s)).abs() < 1e-6,
            "{found}"
        );
        assert_eq!(log_expectation(|t| 2.0 * t, 1.5, 0.0, -4.0, 4.0), 3.0);
        assert_eq!(
            log_expectation(|t| t, 5.0, 0.0, -4.0, 4.0),
            f64::NEG_INFINITY
        );
    }

    #[test]
    fn log_expectation_cut_at_the_range_is_the_truncated_normal_mass() {
        // P(θ ≤ 0) for θ ~ N(0.3, 0.5²) is Φ(−0.6) = 0.274253117750074; Simpson's rule with
        // 24 steps over 2.7 logits is good to about 1e-5 for this density.
        let found = log_expectation(|_| 0.0, 0.3, 0.5, -4.0, 0.0).exp();
        assert!((found - 0.274_253_117_750_074).abs() < 5e-5, "{found}");
    }
}
