//! Selection criteria: the value by which eligible items are ranked.
//!
//! - Maximum Fisher information: the item's information at θ̂ ([`Params::info`], where its
//!   formula lives). Reference: Lord (1980), *Applications of Item Response Theory to Practical
//!   Testing Problems*, ch. 10.
//! - Kullback-Leibler index ([`kl_index`]): information integrated over an interval around θ̂,
//!   which is more robust than the point value while θ̂ is still uncertain early in a test.
//! - Random: every eligible item is worth the same (0); the choice is a uniform draw.

use crate::irt::Params;

use super::Criterion;

/// z in δ = z / √n, the half-width of the Kullback-Leibler interval (Chang & Ying, 1996).
const KL_Z: f64 = 3.0;

/// Positive nodes and weights of the 10-point Gauss-Legendre rule on [−1, 1] (the rule is
/// symmetric: the negative nodes mirror these with the same weights).
const GAUSS_LEGENDRE_10: [(f64, f64); 5] = [
    (0.148_874_338_981_631_22, 0.295_524_224_714_752_9),
    (0.433_395_394_129_247_16, 0.269_266_719_309_996_24),
    (0.679_409_568_299_024_4, 0.219_086_362_515_982_07),
    (0.865_063_366_688_984_5, 0.149_451_349_150_580_53),
    (0.973_906_528_517_171_7, 0.066_671_344_308_688_03),
];

/// Number of nodes of the Kullback-Leibler quadrature: 10 on each side of θ̂.
const KL_NODES: usize = 20;

/// Ranks items by one criterion at one θ̂. The Kullback-Leibler nodes and weights depend only
/// on θ̂ and δ, so they are computed once per selection rather than once per item.
#[derive(Debug, Clone)]
pub(super) enum Scorer {
    Fisher { theta: f64 },
    KullbackLeibler(Box<KlRule>),
    Random,
}

impl Scorer {
    /// The scorer for `criterion` at `theta` after `answered` scored items in the domain.
    pub(super) fn new(criterion: Criterion, theta: f64, answered: usize) -> Self {
        match criterion {
            Criterion::MaxInfo => Scorer::Fisher { theta },
            Criterion::KullbackLeibler => {
                Scorer::KullbackLeibler(Box::new(KlRule::new(theta, kl_half_width(answered))))
            }
            Criterion::Random => Scorer::Random,
        }
    }

    /// Whether the criterion ranks items at all (`Random` does not: every item ties).
    pub(super) fn ranks(&self) -> bool {
        !matches!(self, Scorer::Random)
    }

    /// Whether an [`ItemIndex`](super::ItemIndex) can be searched by this criterion.
    pub(super) fn searched(&self) -> bool {
        match self {
            Scorer::Fisher { .. } => true,
            Scorer::KullbackLeibler(_) => super::index::KL_SEARCHED,
            Scorer::Random => false,
        }
    }

    /// Whether the item's value is certainly below `threshold`, decided more cheaply than by
    /// computing it (a test that lets a scan skip most of a large pool). `false` when unsure.
    /// For the Kullback-Leibler index two bounds are tried in turn, see
    /// [`KlRule::quadratic_bound`] and [`KlRule::end_point_bound`].
    ///
    /// # Formula
    ///
    /// For Fisher information and a 4PL item with 0 ≤ c < d ≤ 1, I(θ) = a² L(1 − L) · r₁ · r₂
    /// with both ratios in [0, 1] (see [`Params::info`]), and L(1 − L) = 1 / (4 cosh²(x/2))
    /// with x = a(θ − b).
    /// Since cosh y ≥ C(y) = 1 + y²/2 + y⁴/24 + y⁶/720 (the first terms of its all-positive
    /// series), I(θ) ≤ a² / (4 C(x/2)²), which is exact at x = 0. So I(θ) < t whenever
    /// a² < 4 t C²; a relative margin of 1e-12 absorbs rounding.
    pub(super) fn certainly_below(&self, params: &Params, threshold: f64) -> bool {
        match self {
            Scorer::Fisher { theta } => {
                let &Params { a, b, c, d } = params;
                if !(c >= 0.0 && d <= 1.0 && c < d) {
                    return false;
                }
                let cosh = cosh_lower(0.5 * a * (theta - b));
                a * a < 4.0 * threshold * cosh * cosh * (1.0 - 1e-12)
            }
            // The quadratic bound costs a few multiplications, the end-point bound 6
            // logarithms, the index 42; the margins cover rounding in all three.
            Scorer::KullbackLeibler(rule) => {
                let below = |bound: f64| bound * (1.0 + 1e-9) + 1e-12 < threshold;
                rule.quadratic_bound(params).is_some_and(below)
                    || rule.end_point_bound(params).is_some_and(below)
            }
            Scorer::Random => false,
        }
    }

    /// The criterion value of an item: larger is better.
    pub(super) fn value(&self, params: &Params) -> f64 {
        match self {
            Scorer::Fisher { theta } => params.info(*theta),
            Scorer::KullbackLeibler(rule) => rule.index(params),
            Scorer::Random => 0.0,
        }
    }
}

/// The half-width δ of the Kullback-Leibler interval after `answered` scored items.
///
/// # Formula
///
/// δ = z / √n with z = 3 and n = max(answered, 1) (Chang & Ying, 1996: the interval shrinks as
/// the estimate's standard error does, roughly like 1/√n).
pub fn kl_half_width(answered: usize) -> f64 {
    KL_Z / (answered.max(1) as f64).sqrt()
}

/// Chang and Ying's Kullback-Leibler index of an item at θ̂ over [θ̂ − δ, θ̂ + δ].
///
/// # Formula
///
/// KL(θ̂) = ∫_{θ̂−δ}^{θ̂+δ} [ P(θ̂) ln(P(θ̂) / P(θ)) + Q(θ̂) ln(Q(θ̂) / Q(θ)) ] dθ,
///
/// the Kullback-Leibler divergence between the item's response distributions at θ̂ and at θ,
/// integrated over the interval. It is computed numerically, with 10-point Gauss-Legendre on
/// each half [θ̂ − δ, θ̂] and [θ̂, θ̂ + δ] (20 nodes; the integrand is smooth and vanishes at θ̂).
/// Against a fine-grid integral the error is below 1e-8 for a ≤ 2 and about 1e-6 at a = 3 with
/// the widest interval (δ = 3); the logarithms come from [`Params::log_prob`], so items far from
/// θ̂ give finite values. For small δ the index tends to I(θ̂) δ³ / 3 and so ranks items like
/// Fisher information.
///
/// Reference: Chang, H.-H. & Ying, Z. (1996), "A global information approach to computerized
/// adaptive testing", *Applied Psychological Measurement* 20(3), 213–229; catR's `KL()`.
pub fn kl_index(params: &Params, theta: f64, delta: f64) -> f64 {
    KlRule::new(theta, delta).index(params)
}

/// A lower bound on cosh y: 1 + y²/2 + y⁴/24 + y⁶/720, the first terms of its series (whose
/// terms are all positive); exact at 0.
pub(super) fn cosh_lower(y: f64) -> f64 {
    let y2 = y * y;
    1.0 + y2 * (0.5 + y2 * (1.0 / 24.0 + y2 / 720.0))
}

/// The quadrature nodes (θ values) and weights of [`kl_index`] for one θ̂ and δ.
#[derive(Debug, Clone)]
pub(super) struct KlRule {
    theta: f64,
    delta: f64,
    nodes: [(f64, f64); KL_NODES],
}

impl KlRule {
    pub(super) fn new(theta: f64, delta: f64) -> Self {
        let delta = delta.abs();
        let half = delta / 2.0;
        let mut nodes = [(0.0, 0.0); KL_NODES];
        let mut slot = nodes.iter_mut();
        // Each half-interval has midpoint θ̂ ∓ δ/2 and half-length δ/2.
        for mid in [theta - half, theta + half] {
            for &(x, w) in &GAUSS_LEGENDRE_10 {
                for sign in [-1.0, 1.0] {
                    if let Some(node) = slot.next() {
                        *node = (mid + sign * x * half, w * half);
                    }
                }
            }
        }
        Self {
            theta,
            delta,
            nodes,
        }
    }

    /// θ̂, the centre of the interval.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn theta(&self) -> f64 {
        self.theta
    }

    /// The quadrature nodes (θ, weight), 10 on each side of θ̂.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn nodes(&self) -> &[(f64, f64)] {
        &self.nodes
    }

    /// The integrand of [`kl_index`] at θ, given ln P(θ̂) and ln Q(θ̂).
    fn divergence(params: &Params, log_p0: f64, log_q0: f64, theta: f64) -> f64 {
        let p_term = log_p0.exp() * (log_p0 - params.log_prob(theta, true));
        let q_term = log_q0.exp() * (log_q0 - params.log_prob(theta, false));
        p_term + q_term
    }

    fn index(&self, params: &Params) -> f64 {
        let log_p0 = params.log_prob(self.theta, true);
        let log_q0 = params.log_prob(self.theta, false);
        self.nodes
            .iter()
            .map(|&(t, w)| w * Self::divergence(params, log_p0, log_q0, t))
            .sum()
    }

    /// An upper bound on [`KlRule::index`] without exponentials or logarithms, or `None` unless
    /// 0 ≤ c < d ≤ 1 and a > 0.
    ///
    /// # Formula
    ///
    /// P = c + (d − c)L is L passed through the same noisy channel at every θ, so by the
    /// data-processing inequality D(P(θ̂)‖P(θ)) ≤ D(L(θ̂)‖L(θ)). For the logistic in
    /// x = a(θ − b) that divergence is ∫ (x − s) L(1 − L)(s) ds from x̂ to x, at most
    /// (x − x̂)²/2 · max L(1 − L) between them, and L(1 − L) ≤ 1 / (4 C(m/2)²) with C the
    /// cosh series of [`Scorer::certainly_below`] and m = a · max(0, |θ̂ − b| − δ) the smallest
    /// |x| on the interval. Integrating (and the quadrature is exact for the quadratic):
    /// index ≤ a² δ³ / (12 C(m/2)²).
    fn quadratic_bound(&self, params: &Params) -> Option<f64> {
        let &Params { a, b, c, d } = params;
        if !(a > 0.0 && c >= 0.0 && d <= 1.0 && c < d) {
            return None;
        }
        let cosh = cosh_lower(0.5 * a * ((self.theta - b).abs() - self.delta).max(0.0));
        Some(a * a * self.delta.powi(3) / (12.0 * cosh * cosh))
    }

    /// An upper bound on [`KlRule::index`] from the integrand at the two ends only, or `None`
    /// when P is not known to be increasing (a ≤ 0 or c ≥ d: parameters validation rejects).
    ///
    /// # Formula
    ///
    /// For fixed p, D(p‖q) = p ln(p/q) + (1 − p) ln((1 − p)/(1 − q)) has derivative
    /// (q − p) / (q(1 − q)) in q, so it grows as q moves away from p; with P(θ) increasing, the
    /// integrand grows as θ moves away from θ̂ on either side. Every quadrature node on
    /// [θ̂ − δ, θ̂] therefore contributes at most its weight times the value at θ̂ − δ, and the
    /// weights of each half sum to δ: index ≤ δ (D(θ̂ − δ) + D(θ̂ + δ)).
    fn end_point_bound(&self, params: &Params) -> Option<f64> {
        if !(params.a > 0.0 && params.c < params.d) {
            return None;
        }
        let log_p0 = params.log_prob(self.theta, true);
        let log_q0 = params.log_prob(self.theta, false);
        let below = Self::divergence(params, log_p0, log_q0, self.theta - self.delta);
        let above = Self::divergence(params, log_p0, log_q0, self.theta + self.delta);
        Some(self.delta * (below + above))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Composite Simpson on a fine grid, the brute-force reference for the quadrature.
    fn simpson(f: impl Fn(f64) -> f64, lo: f64, hi: f64, intervals: usize) -> f64 {
        let h = (hi - lo) / intervals as f64;
        let inner: f64 = (1..intervals)
            .map(|i| f(lo + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 })
            .sum();
        (f(lo) + f(hi) + inner) * h / 3.0
    }

    fn kl_integrand(item: &Params, theta0: f64, theta: f64) -> f64 {
        let (p0, p) = (item.prob(theta0), item.prob(theta));
        p0 * (p0 / p).ln() + (1.0 - p0) * ((1.0 - p0) / (1.0 - p)).ln()
    }

    #[test]
    fn gauss_legendre_rule_integrates_polynomials_to_degree_19_exactly() {
        // ∫_{-1}^{1} x^k dx = 2 / (k + 1) for even k, 0 for odd k; the rule is symmetric, so
        // the odd moments vanish by construction and the even ones test the nodes and weights.
        for k in (0..=18).step_by(2) {
            let rule: f64 = GAUSS_LEGENDRE_10
                .iter()
                .map(|&(x, w)| 2.0 * w * x.powi(k))
                .sum();
            assert!(
                (rule - 2.0 / (k as f64 + 1.0)).abs() < 1e-14,
                "degree {k}: {rule}"
            );
        }
    }

    #[test]
    fn kl_half_width_is_three_over_root_n_with_n_at_least_one() {
        assert_eq!(kl_half_width(0), 3.0);
        assert_eq!(kl_half_width(1), 3.0);
        assert_eq!(kl_half_width(4), 1.5);
        assert!((kl_half_width(10) - 3.0 / 10f64.sqrt()).abs() < 1e-15);
    }

    #[test]
    fn kl_index_matches_a_fine_grid_integral_within_1e_6() {
        let items = [
            Params::two_pl(1.0, 0.0),
            Params::two_pl(2.0, -1.2),
            Params::two_pl(0.6, 1.5),
            Params::three_pl(1.4, 0.5, 0.25),
            Params::three_pl(2.5, -0.3, 0.2),
            Params {
                a: 1.7,
                b: 0.4,
                c: 0.2,
                d: 0.95,
            },
        ];
        for item in &items {
            for theta0 in [-2.0, -0.5, 0.0, 0.8, 2.5] {
                for answered in [1, 3, 10, 40] {
                    let delta = kl_half_width(answered);
                    let brute = simpson(
                        |t| kl_integrand(item, theta0, t),
                        theta0 - delta,
                        theta0 + delta,
                        20_000,
                    );
                    let index = kl_index(item, theta0, delta);
                    assert!(
                        (index - brute).abs() < 1e-6,
                        "{item:?} at {theta0}, n = {answered}: {index} vs {brute}"
                    );
                }
            }
        }
    }

    #[test]
    fn kl_index_tends_to_information_times_delta_cubed_over_three() {
        let delta = kl_half_width(100_000_000); // 3e-4
        for item in [
            Params::two_pl(1.3, 0.2),
            Params::three_pl(0.8, -1.0, 0.2),
            Params {
                a: 2.0,
                b: 1.0,
                c: 0.1,
                d: 0.9,
            },
        ] {
            for theta in [-1.0, 0.0, 1.5] {
                let scaled = kl_index(&item, theta, delta) * 3.0 / delta.powi(3);
                let info = item.info(theta);
                assert!(
                    (scaled / info - 1.0).abs() < 1e-3,
                    "{item:?} at {theta}: {scaled} vs {info}"
                );
            }
        }
    }

    #[test]
    fn kl_index_ranks_like_fisher_information_when_delta_is_small() {
        let items: Vec<Params> = (0..12)
            .map(|i| {
                let i = i as f64;
                Params::three_pl(0.6 + 0.13 * i, -1.5 + 0.29 * i, 0.05 * (i % 4.0))
            })
            .collect();
        let theta = 0.3;
        let delta = kl_half_width(100_000_000);
        let order = |value: &dyn Fn(&Params) -> f64| {
            let mut idx: Vec<usize> = (0..items.len()).collect();
            idx.sort_by(|&x, &y| value(&items[y]).total_cmp(&value(&items[x])));
            idx
        };
        let by_kl = order(&|p: &Params| kl_index(p, theta, delta));
        let by_info = order(&|p: &Params| p.info(theta));
        assert_eq!(by_kl, by_info);
    }

    #[test]
    fn kl_index_is_finite_and_non_negative_far_from_the_item() {
        for item in [Params::two_pl(3.0, 0.0), Params::three_pl(2.0, 1.0, 0.25)] {
            for theta in [-40.0, -8.0, 8.0, 40.0] {
                let index = kl_index(&item, theta, 3.0);
                assert!(
                    index.is_finite() && index >= -1e-12,
                    "{item:?} at {theta}: {index}"
                );
            }
        }
    }

    #[test]
    fn three_pl_information_peaks_at_birnbaum_theta_max_above_b() {
        // Birnbaum (1968): θmax = b + ln((1 + √(1 + 8c)) / 2) / a for the 3PL (D = 1).
        let (a, b, c) = (1.2, 0.5, 0.25);
        let item = Params::three_pl(a, b, c);
        let theta_max = b + ((1.0 + (1.0 + 8.0 * c).sqrt()) / 2.0).ln() / a;
        assert!(theta_max > b + 0.2);
        // Golden-section search for the peak of I(θ) on [b − 2, b + 2].
        let (mut lo, mut hi) = (b - 2.0, b + 2.0);
        let g = (5f64.sqrt() - 1.0) / 2.0;
        for _ in 0..200 {
            let (x1, x2) = (hi - g * (hi - lo), lo + g * (hi - lo));
            if item.info(x1) < item.info(x2) {
                lo = x1;
            } else {
                hi = x2;
            }
        }
        assert!(((lo + hi) / 2.0 - theta_max).abs() < 1e-6);
    }

    #[test]
    fn information_bound_never_skips_an_item_that_reaches_the_threshold() {
        let scorer = Scorer::new(Criterion::MaxInfo, 0.4, 0);
        let mut rng = crate::rng::SeededRng::new(3);
        let mut skipped = 0;
        for _ in 0..20_000 {
            let a = 0.2 + 3.0 * rng.uniform();
            let b = 12.0 * rng.uniform() - 6.0;
            let c = 0.3 * rng.uniform();
            let d = 1.0 - 0.1 * rng.uniform();
            let item = Params { a, b, c, d };
            let info = item.info(0.4);
            for threshold in [info * 0.5, info, info * (1.0 + 1e-9), 0.05, 0.3] {
                if scorer.certainly_below(&item, threshold) {
                    assert!(info < threshold, "{item:?}: {info} vs {threshold}");
                    skipped += 1;
                }
            }
            assert!(!scorer.certainly_below(&item, info));
        }
        assert!(
            skipped > 10_000,
            "the bound should prune far items: {skipped}"
        );
        let broken = Params {
            a: 1.0,
            b: 0.0,
            c: 0.6,
            d: 0.4,
        };
        assert!(!scorer.certainly_below(&broken, 1e9));
    }

    #[test]
    fn kl_bounds_are_never_below_the_index() {
        let mut rng = crate::rng::SeededRng::new(4);
        for _ in 0..3_000 {
            let item = Params {
                a: 0.2 + 3.0 * rng.uniform(),
                b: 12.0 * rng.uniform() - 6.0,
                c: 0.3 * rng.uniform(),
                d: 1.0 - 0.1 * rng.uniform(),
            };
            let theta = 6.0 * rng.uniform() - 3.0;
            let rule = KlRule::new(theta, kl_half_width(1 + rng.below(30)));
            let (index, bound) = (rule.index(&item), rule.end_point_bound(&item));
            assert!(
                bound.is_some_and(|b| index <= b * (1.0 + 1e-12) + 1e-15),
                "{item:?}: {index} vs {bound:?}"
            );
        }
        let rule = KlRule::new(0.0, 3.0);
        assert_eq!(
            rule.end_point_bound(&Params {
                a: -1.0,
                b: 0.0,
                c: 0.0,
                d: 1.0
            }),
            None
        );
    }

    #[test]
    fn random_scorer_values_every_item_the_same_and_does_not_rank() {
        let scorer = Scorer::new(Criterion::Random, 0.0, 0);
        assert!(!scorer.ranks());
        assert_eq!(scorer.value(&Params::two_pl(2.0, 0.0)), 0.0);
        assert_eq!(scorer.value(&Params::two_pl(0.5, 3.0)), 0.0);
        assert!(Scorer::new(Criterion::MaxInfo, 0.0, 0).ranks());
    }
}
