//! A group of items as the index sees it: the ranges of their parameters, and from them
//! bounds on their Fisher information and Kullback-Leibler index at any θ̂.

use crate::irt::{Params, logistic};

use super::super::criteria::Scorer;
#[cfg(not(target_arch = "wasm32"))]
use super::super::criteria::{KlRule, cosh_lower};

/// The ranges of the parameters of a group of items, from which its bounds are computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Group {
    a_lo: f64,
    a_hi: f64,
    b_lo: f64,
    b_hi: f64,
    c_lo: f64,
    /// Where the information of a 3PL item with c = `c_lo` peaks, in x = a(θ − b): Birnbaum's
    /// x* = ln((1 + √(1 + 8c)) / 2).
    peak: f64,
    /// Every item has a finite a > 0, a finite b and 0 ≤ c < d ≤ 1, so the bounds hold;
    /// otherwise the group's bound is +∞ and its items are always scored.
    bounded: bool,
}

impl Group {
    pub(super) fn of<'p>(params: impl IntoIterator<Item = &'p Params>) -> Group {
        let mut group = Group {
            a_lo: f64::INFINITY,
            a_hi: f64::NEG_INFINITY,
            b_lo: f64::INFINITY,
            b_hi: f64::NEG_INFINITY,
            c_lo: f64::INFINITY,
            peak: 0.0,
            bounded: true,
        };
        let mut empty = true;
        for &Params { a, b, c, d } in params {
            empty = false;
            group.bounded &= a > 0.0 && a.is_finite() && b.is_finite() && c >= 0.0 && c < d;
            group.bounded &= d <= 1.0;
            group.a_lo = group.a_lo.min(a);
            group.a_hi = group.a_hi.max(a);
            group.b_lo = group.b_lo.min(b);
            group.b_hi = group.b_hi.max(b);
            group.c_lo = group.c_lo.min(c);
        }
        group.bounded &= !empty;
        if group.bounded {
            group.peak = ((1.0 + (1.0 + 8.0 * group.c_lo).sqrt()) / 2.0).ln();
        }
        group
    }

    /// The range of x = a(θ − b) over the group's items at `theta`, and the range of θ
    /// itself widened to `lo..=hi`: (x_lo, x_hi).
    fn x_range(&self, lo: f64, hi: f64) -> (f64, f64) {
        let (u_lo, u_hi) = (lo - self.b_hi, hi - self.b_lo);
        // x = a·u is bilinear in (a, u) with a > 0: its extremes are at the corners.
        (
            (self.a_lo * u_lo).min(self.a_hi * u_lo),
            (self.a_lo * u_hi).max(self.a_hi * u_hi),
        )
    }

    /// An upper bound on the Fisher information at `theta` of every item of the group.
    ///
    /// # Formula
    ///
    /// I(θ) = a² L(1 − L) · [(d − c)L / P] · [(d − c)(1 − L) / Q] (see [`Params::info`]), with
    /// x = a(θ − b). The last ratio is at most 1 when d ≤ 1; the first is (d − c)L / (c + (d −
    /// c)L), which grows with d − c and falls with c, so it is at most its value at d = 1 and
    /// c = c_lo. So I(θ) ≤ a_hi² h(x) with h(x) = L(1 − L) (1 − c_lo)L / (c_lo + (1 − c_lo)L),
    /// a³ times the information of a 3PL item. h is unimodal with its peak at Birnbaum's
    /// x* = ln((1 + √(1 + 8 c_lo)) / 2) (Birnbaum, 1968, in Lord & Novick, *Statistical
    /// Theories of Mental Test Scores*, ch. 17–20), so over the group's range [x_lo, x_hi] of x
    /// it is largest at x* clamped to that range.
    fn information_bound(&self, theta: f64) -> f64 {
        if !self.bounded {
            return f64::INFINITY;
        }
        let (x_lo, x_hi) = self.x_range(theta, theta);
        let (l, m) = logistic(self.peak.max(x_lo).min(x_hi));
        let c = self.c_lo;
        let lower = if c == 0.0 {
            1.0
        } else {
            (1.0 - c) * l / (c + (1.0 - c) * l)
        };
        self.a_hi * self.a_hi * l * m * lower
    }

    /// An upper bound on the Kullback-Leibler index ([`super::kl_index`], as computed by the
    /// quadrature `rule`) of every item of the group.
    ///
    /// # Formula
    ///
    /// The index is Σₖ wₖ D(P(θ̂) ‖ P(tₖ)) over the rule's nodes tₖ. P = c + (d − c)L is L
    /// passed through a binary channel whose two output distributions are d − c apart in total
    /// variation; by the strong data-processing inequality (Dobrushin's coefficient bounds
    /// the contraction of relative entropy: Cohen, Iwasa, Rautu, Ruskai, Seneta & Zbăganu
    /// (1993), "Relative entropy under mappings by stochastic matrices", *Linear Algebra and
    /// its Applications* 179, 211–235) D(P(θ̂) ‖ P(tₖ)) ≤ (d − c) D(L(x̂) ‖ L(xₖ)) ≤ (1 − c_lo)
    /// D(L(x̂) ‖ L(xₖ)). For the logistic that divergence is ∫ (xₖ − s) L(1 − L)(s) ds from x̂
    /// to xₖ, at most (xₖ − x̂)²/2 · max L(1 − L) = a² (tₖ − θ̂)²/2 · max L(1 − L) between
    /// them, and L(1 − L)(s) = 1 / (4 cosh²(s/2)) ≤ 1 / (4 C(mₖ/2)²) with C the cosh series of
    /// [`Scorer::certainly_below`] and mₖ the smallest |s| over the group's range of x for θ
    /// between θ̂ and tₖ. So the index is at most
    /// (1 − c_lo) a_hi² Σₖ wₖ (tₖ − θ̂)² / (8 C(mₖ/2)²).
    #[cfg(not(target_arch = "wasm32"))]
    fn kl_bound(&self, rule: &KlRule) -> f64 {
        if !self.bounded {
            return f64::INFINITY;
        }
        let theta = rule.theta();
        let mut sum = 0.0;
        for &(t, w) in rule.nodes() {
            let (x_lo, x_hi) = self.x_range(t.min(theta), t.max(theta));
            let nearest = if x_lo > 0.0 {
                x_lo
            } else if x_hi < 0.0 {
                -x_hi
            } else {
                0.0
            };
            let cosh = cosh_lower(0.5 * nearest);
            let s = t - theta;
            sum += w * s * s / (cosh * cosh);
        }
        (1.0 - self.c_lo) * self.a_hi * self.a_hi * sum / 8.0
    }

    /// A tighter bound than [`Group::kl_bound`] on the Kullback-Leibler index of every item
    /// of the group, which tends to the index itself as the group shrinks to one 3PL item, at
    /// the cost of about 60 logarithms and exponentials.
    ///
    /// # Formula
    ///
    /// Each item's response distribution is a garbling of that of the same a and b with
    /// c = c_lo and d = 1 (P = α + βP′ with α = c − βc_lo ≥ 0, β = (d − c) / (1 − c_lo) and
    /// α + β ≤ 1), so by the data-processing inequality its divergences are at most those of
    /// P′ = c_lo + (1 − c_lo)L. P′ increases with x = a(θ − b); at θ̂ every item's x̂ lies in
    /// [x̂_lo, x̂_hi], at a node tₖ > θ̂ its xₖ ≤ xₖ_hi, and p = P′(x̂) ≤ q = P′(xₖ). The
    /// Bernoulli divergence D(p ‖ q) falls as p rises towards q and grows as q moves away from
    /// p, so D(p ‖ q) ≤ D(P′(x̂_lo) ‖ P′(xₖ_hi)); for tₖ < θ̂, mirrored,
    /// D ≤ D(P′(x̂_hi) ‖ P′(xₖ_lo)). The index is at most Σₖ wₖ times these.
    #[cfg(not(target_arch = "wasm32"))]
    fn kl_tight_bound(&self, rule: &KlRule) -> f64 {
        if !self.bounded {
            return f64::INFINITY;
        }
        let c = self.c_lo;
        // (P′, ln P′, ln(1 − P′)) at x, each computed without cancellation.
        let at = |x: f64| {
            let (l, m) = logistic(x);
            let p = c + (1.0 - c) * l;
            (p, p.ln(), ((1.0 - c) * m).ln())
        };
        let divergence = |(p, ln_p, ln_q): (f64, f64, f64),
                          (_, ln_p_at, ln_q_at): (f64, f64, f64)| {
            p * (ln_p - ln_p_at) + (1.0 - p) * (ln_q - ln_q_at)
        };
        let theta = rule.theta();
        let (x_lo, x_hi) = self.x_range(theta, theta);
        let (low, high) = (at(x_lo), at(x_hi));
        let mut sum = 0.0;
        for &(t, w) in rule.nodes() {
            let (far_lo, far_hi) = self.x_range(t, t);
            let term = if t >= theta {
                divergence(low, at(far_hi))
            } else {
                divergence(high, at(far_lo))
            };
            sum += w * term;
        }
        sum
    }

    /// The group's bound for `scorer`, widened to cover rounding in it and in the items'
    /// values: a relative margin of 1e-9 and an absolute one of 1e-12 (the values carry
    /// relative errors near 1e-15; none is below 1e-12 when it matters, as an item that weak
    /// could only enter a shortlist of items as weak, which no pruning then touches). `tight`
    /// asks for the Kullback-Leibler index's tight bound rather than its cheap one; it is
    /// returned whether it was computed.
    #[cfg_attr(target_arch = "wasm32", allow(unused_variables))]
    pub(super) fn bound(&self, scorer: &Scorer, tight: bool) -> (f64, bool) {
        let widen = |bound: f64| {
            if bound.is_nan() {
                f64::INFINITY
            } else {
                bound * (1.0 + 1e-9) + 1e-12
            }
        };
        match scorer {
            Scorer::Fisher { theta } => (widen(self.information_bound(*theta)), true),
            // Not in the browser build (see `KL_SEARCHED`): it never searches for this index.
            #[cfg(target_arch = "wasm32")]
            Scorer::KullbackLeibler(_) => (f64::INFINITY, true),
            #[cfg(not(target_arch = "wasm32"))]
            Scorer::KullbackLeibler(rule) if tight => (
                widen(self.kl_bound(rule)).min(widen(self.kl_tight_bound(rule))),
                true,
            ),
            #[cfg(not(target_arch = "wasm32"))]
            Scorer::KullbackLeibler(rule) => (widen(self.kl_bound(rule)), false),
            Scorer::Random => (f64::INFINITY, true),
        }
    }
}

/// A parameter to halve a group on.
#[derive(Debug, Clone, Copy)]
pub(super) enum Split {
    A,
    B,
}

impl Split {
    /// The parameter split on.
    pub(super) fn key(self, params: &Params) -> f64 {
        match self {
            Split::A => params.a,
            Split::B => params.b,
        }
    }
}

impl Group {
    /// The parameter to halve a group on: the one along which its bound varies most, measured
    /// roughly in relative change of I: b moves x = a(θ − b) by a per unit, and a moves a² by
    /// about 2 (a_hi − a_lo) / a_lo. (c, which moves the bound less, is not split on.)
    pub(super) fn split_on(&self) -> Split {
        if self.bounded
            && 2.0 * (self.a_hi - self.a_lo) > (self.b_hi - self.b_lo) * self.a_hi * self.a_lo
        {
            Split::A
        } else {
            Split::B
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::rng::SeededRng;
    use crate::select::Criterion;
    use crate::select::criteria::kl_half_width;

    /// Parameters of all four models over wide ranges.
    pub(in crate::engine::select) fn random_params(rng: &mut SeededRng) -> Params {
        let c = if rng.uniform() < 0.3 {
            0.0
        } else {
            0.45 * rng.uniform()
        };
        let d = if rng.uniform() < 0.5 {
            1.0
        } else {
            c + (1.0 - c) * (0.5 + 0.5 * rng.uniform())
        };
        Params {
            a: 0.05 + 4.0 * rng.uniform(),
            b: 16.0 * rng.uniform() - 8.0,
            c,
            d,
        }
    }

    #[test]
    fn group_bounds_are_never_below_any_members_value() {
        let mut rng = SeededRng::new(17);
        let mut tight = 0;
        for round in 0..3_000 {
            let size = 1 + rng.below(if round % 2 == 0 { 2 } else { 12 });
            let members: Vec<Params> = (0..size).map(|_| random_params(&mut rng)).collect();
            let group = Group::of(&members);
            let theta = 12.0 * rng.uniform() - 6.0;
            for scorer in [
                Scorer::new(Criterion::MaxInfo, theta, 0),
                Scorer::new(Criterion::KullbackLeibler, theta, rng.below(40)),
            ] {
                let (bound, _) = group.bound(&scorer, true);
                let best = members
                    .iter()
                    .map(|p| scorer.value(p))
                    .fold(f64::NEG_INFINITY, f64::max);
                assert!(best <= bound, "{members:?} at {theta}: {best} > {bound}");
                if size == 1 && members[0].d == 1.0 && best > 1e-6 {
                    assert!(bound < best * (1.0 + 1e-6), "{members:?} at {theta}");
                    tight += 1;
                }
            }
        }
        // One-item groups with d = 1: both bounds are the item's value.
        assert!(tight > 300, "{tight}");
    }

    #[test]
    fn the_information_bound_of_one_3pl_item_is_its_information() {
        for (a, b, c) in [(1.2, 0.3, 0.0), (2.0, -1.0, 0.2), (0.7, 2.5, 0.35)] {
            let item = Params::three_pl(a, b, c);
            let group = Group::of(&[item]);
            for theta in [-3.0, -0.4, 0.3, 1.0, 4.0] {
                let (bound, info) = (group.information_bound(theta), item.info(theta));
                assert!((bound / info - 1.0).abs() < 1e-12, "{item:?} at {theta}");
            }
        }
    }

    #[test]
    fn groups_with_out_of_range_parameters_are_never_pruned() {
        let broken = [
            Params {
                a: 1.0,
                b: 0.0,
                c: 0.6,
                d: 0.4,
            },
            Params::two_pl(f64::NAN, 0.0),
            Params::two_pl(-1.0, 0.0),
        ];
        for item in broken {
            let group = Group::of(&[Params::two_pl(1.0, 0.0), item]);
            let scorer = Scorer::new(Criterion::KullbackLeibler, 0.0, 3);
            assert_eq!(group.bound(&scorer, true).0, f64::INFINITY);
        }
        let rule = KlRule::new(0.0, kl_half_width(1));
        assert!(
            Group::of(&[Params::two_pl(1.0, 0.0)])
                .kl_bound(&rule)
                .is_finite()
        );
    }
}
