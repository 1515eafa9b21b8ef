//! Item response functions for dichotomous items: the four-parameter logistic model and its
//! special cases (1PL, 2PL, 3PL), with Fisher information and the derivatives that ability
//! estimation needs.
//!
//! # Formula
//!
//! P(θ) = c + (d − c) / (1 + exp(−a(θ − b))), with D = 1 (the logistic metric).
//!
//! Everything here is finite for every finite θ: the logistic and its complement are computed
//! separately (never as `1 − P`), and logarithms go through `softplus`, so that an item far from
//! the learner gives probabilities that round to 0 or 1 without ever producing NaN or ±∞.
//! Reference: Baker & Kim (2004), *Item Response Theory: Parameter Estimation Techniques*, ch. 2;
//! Magis (2013), "A note on the item information function of the four-parameter logistic
//! model", Applied Psychological Measurement 37(4).

use serde::{Deserialize, Serialize};

/// Item parameters of the 4PL model: discrimination `a` (> 0), difficulty `b`, lower asymptote
/// `c` (guessing, 0 ≤ c < 0.5) and upper asymptote `d` (slipping, c < d ≤ 1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Params {
    pub a: f64,
    pub b: f64,
    pub c: f64,
    pub d: f64,
}

/// Values of the response function and its first two derivatives at one θ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Response {
    /// P(θ), the probability of a correct response.
    pub p: f64,
    /// Q(θ) = 1 − P(θ), computed without cancellation.
    pub q: f64,
    /// dP/dθ.
    pub dp: f64,
    /// d²P/dθ².
    pub d2p: f64,
}

impl Params {
    /// A 2PL item (c = 0, d = 1).
    pub fn two_pl(a: f64, b: f64) -> Self {
        Self {
            a,
            b,
            c: 0.0,
            d: 1.0,
        }
    }

    /// A 3PL item (d = 1).
    pub fn three_pl(a: f64, b: f64, c: f64) -> Self {
        Self { a, b, c, d: 1.0 }
    }

    /// The logistic L = 1 / (1 + exp(−a(θ − b))) and its complement 1 − L, each computed
    /// directly so that neither loses precision in the tails.
    fn logistic(&self, theta: f64) -> (f64, f64) {
        logistic(self.a * (theta - self.b))
    }

    /// P(θ), the probability of a correct response.
    pub fn prob(&self, theta: f64) -> f64 {
        let (l, _) = self.logistic(theta);
        self.c + (self.d - self.c) * l
    }

    /// P, Q, P′ and P″ at θ.
    ///
    /// # Formula
    ///
    /// P′ = a(d − c)L(1 − L); P″ = a²(d − c)L(1 − L)(1 − 2L).
    pub fn response(&self, theta: f64) -> Response {
        let (l, m) = self.logistic(theta);
        let span = self.d - self.c;
        let lm = l * m;
        Response {
            p: self.c + span * l,
            q: (1.0 - self.d) + span * m,
            dp: self.a * span * lm,
            d2p: self.a * self.a * span * lm * (m - l),
        }
    }

    /// ln P(θ) for a correct response, ln Q(θ) for an incorrect one; finite for finite θ.
    pub fn log_prob(&self, theta: f64, correct: bool) -> f64 {
        self.log_prob_at(correct)(theta)
    }

    /// θ ↦ [`Params::log_prob`]`(θ, correct)`, with what does not depend on θ (ln d, ln(1 − c))
    /// computed once: the same values bit for bit, for loops over a grid of θ.
    pub fn log_prob_at(&self, correct: bool) -> impl Fn(f64) -> f64 + '_ {
        // ln d when c = 0 (correct), ln(1 − c) when d = 1 (incorrect); unused otherwise.
        let constant = match (correct, self.c == 0.0, self.d == 1.0) {
            (true, true, _) => self.d.ln(),
            (false, _, true) => (1.0 - self.c).ln(),
            _ => 0.0,
        };
        move |theta| {
            let x = self.a * (theta - self.b);
            if correct {
                if self.c == 0.0 {
                    constant - softplus(-x)
                } else {
                    let (l, _) = self.logistic(theta);
                    (self.c + (self.d - self.c) * l).ln()
                }
            } else if self.d == 1.0 {
                constant - softplus(x)
            } else {
                let (_, m) = self.logistic(theta);
                ((1.0 - self.d) + (self.d - self.c) * m).ln()
            }
        }
    }

    /// Fisher information at θ.
    ///
    /// # Formula
    ///
    /// I(θ) = a² (P − c)² (d − P)² / ((d − c)² P Q), written as
    /// a² L(1 − L) · [(d − c)L / P] · [(d − c)(1 − L) / Q] so that the bracketed ratios are
    /// exactly 1 when c = 0 (resp. d = 1) and never 0/0 in the tails.
    pub fn info(&self, theta: f64) -> f64 {
        let (l, m) = self.logistic(theta);
        let span = self.d - self.c;
        let lower = if self.c == 0.0 {
            1.0
        } else {
            span * l / (self.c + span * l)
        };
        let upper = if self.d == 1.0 {
            1.0
        } else {
            span * m / ((1.0 - self.d) + span * m)
        };
        self.a * self.a * l * m * lower * upper
    }
}

/// The logistic L(x) = 1 / (1 + e⁻ˣ) and its complement 1 − L(x), each computed directly so
/// that neither loses precision in the tails.
pub(crate) fn logistic(x: f64) -> (f64, f64) {
    if x >= 0.0 {
        let e = (-x).exp();
        (1.0 / (1.0 + e), e / (1.0 + e))
    } else {
        let e = x.exp();
        (e / (1.0 + e), 1.0 / (1.0 + e))
    }
}

/// ln(1 + eˣ) without overflow or loss of precision.
pub fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

/// ln(Σ exp(xᵢ)) without overflow; −∞ for an empty slice.
pub fn log_sum_exp(xs: &[f64]) -> f64 {
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + xs.iter().map(|x| (x - max).exp()).sum::<f64>().ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_prob_at_gives_the_direct_formula_bit_for_bit() {
        // The formula with ln d and ln(1 − c) computed at every θ, as before they were hoisted.
        let direct = |p: &Params, theta: f64, correct: bool| {
            let x = p.a * (theta - p.b);
            let (l, m) = logistic(x);
            match (correct, p.c == 0.0, p.d == 1.0) {
                (true, true, _) => p.d.ln() - softplus(-x),
                (true, false, _) => (p.c + (p.d - p.c) * l).ln(),
                (false, _, true) => (1.0 - p.c).ln() - softplus(x),
                (false, _, false) => ((1.0 - p.d) + (p.d - p.c) * m).ln(),
            }
        };
        let mut rng = crate::rng::SeededRng::new(8);
        for _ in 0..5_000 {
            let c = if rng.uniform() < 0.5 {
                0.0
            } else {
                0.4 * rng.uniform()
            };
            let d = if rng.uniform() < 0.5 {
                1.0
            } else {
                0.8 + 0.2 * rng.uniform()
            };
            let p = Params {
                a: 0.1 + 3.0 * rng.uniform(),
                b: 8.0 * rng.uniform() - 4.0,
                c,
                d,
            };
            let theta = 20.0 * rng.uniform() - 10.0;
            for correct in [true, false] {
                let (at, formula) = (p.log_prob_at(correct)(theta), direct(&p, theta, correct));
                assert_eq!(at.to_bits(), formula.to_bits(), "{p:?} at {theta}");
            }
        }
    }

    const FOUR_PL: Params = Params {
        a: 1.7,
        b: 0.4,
        c: 0.2,
        d: 0.95,
    };

    #[test]
    fn probability_at_b_is_midway_between_asymptotes() {
        assert!((FOUR_PL.prob(0.4) - 0.575).abs() < 1e-15);
    }

    #[test]
    fn info_matches_direct_formula_in_the_body() {
        for theta in [-2.0, -0.3, 0.4, 1.1, 3.0] {
            let p = FOUR_PL.prob(theta);
            let (a, c, d) = (FOUR_PL.a, FOUR_PL.c, FOUR_PL.d);
            let direct =
                a * a * (p - c).powi(2) * (d - p).powi(2) / ((d - c).powi(2) * p * (1.0 - p));
            assert!(
                (FOUR_PL.info(theta) - direct).abs() < 1e-12,
                "theta {theta}"
            );
        }
    }

    #[test]
    fn info_of_2pl_is_a_squared_pq() {
        let item = Params::two_pl(1.3, -0.5);
        for theta in [-3.0, 0.0, 2.5] {
            let p = item.prob(theta);
            assert!((item.info(theta) - 1.69 * p * (1.0 - p)).abs() < 1e-14);
        }
    }

    #[test]
    fn derivatives_match_finite_differences() {
        let h = 1e-5;
        for theta in [-1.5, 0.0, 0.4, 2.0] {
            let r = FOUR_PL.response(theta);
            let dp = (FOUR_PL.prob(theta + h) - FOUR_PL.prob(theta - h)) / (2.0 * h);
            let d2p = (FOUR_PL.prob(theta + h) - 2.0 * r.p + FOUR_PL.prob(theta - h)) / (h * h);
            assert!((r.dp - dp).abs() < 1e-8);
            assert!((r.d2p - d2p).abs() < 1e-4);
            assert!((r.p + r.q - 1.0).abs() < 1e-15);
        }
    }

    #[test]
    fn everything_is_finite_far_from_the_item() {
        let items = [
            FOUR_PL,
            Params::two_pl(4.0, 0.0),
            Params::three_pl(2.0, 1.0, 0.25),
            Params {
                a: 3.0,
                b: -1.0,
                c: 0.0,
                d: 0.9,
            },
        ];
        for item in items {
            for theta in [-1e300, -1e6, -40.0, 40.0, 1e6, 1e300] {
                let r = item.response(theta);
                for value in [r.p, r.q, r.dp, r.d2p, item.info(theta)] {
                    assert!(value.is_finite(), "{item:?} at {theta}");
                }
                for correct in [true, false] {
                    let lp = item.log_prob(theta, correct);
                    assert!(!lp.is_nan() && lp <= 0.0, "{item:?} at {theta}: {lp}");
                }
            }
        }
    }

    #[test]
    fn log_prob_is_accurate_in_the_tails() {
        let item = Params::two_pl(1.0, 0.0);
        // ln P(−50) = −softplus(50) ≈ −50; computing ln(P) directly would give −50 as well,
        // but ln(1 − P(50)) would be ln(0) = −∞.
        assert!((item.log_prob(50.0, false) + 50.0).abs() < 1e-12);
        assert!((item.log_prob(-50.0, true) + 50.0).abs() < 1e-12);
    }

    #[test]
    fn log_sum_exp_handles_large_and_empty() {
        assert!((log_sum_exp(&[1000.0, 1000.0]) - (1000.0 + 2f64.ln())).abs() < 1e-12);
        assert_eq!(log_sum_exp(&[]), f64::NEG_INFINITY);
    }
}
