//! An index over a pool's items that finds the best items by Fisher information or by the
//! Kullback-Leibler index without scoring every item, and finds exactly the items a full pass
//! finds.
//!
//! Built once per pool: for each domain and topic, a tree whose leaves hold a few items each
//! and whose every node knows the ranges of its items' parameters (a, b, c). From those ranges
//! a node's *bound* at the current θ̂ is computed: a number no item below the node can exceed
//! (see [`Group::information_bound`] and [`Group::kl_bound`]). A search visits nodes best bound
//! first, scores the items of the leaves it reaches, and stops as soon as the best bound left
//! is below the value an item needs to enter the shortlist (branch and bound). Because a node is
//! skipped only when every item below it is *strictly* worse than the shortlist's last entry,
//! the shortlist is the one a full pass builds, ties (broken toward the lower index) included,
//! and so is everything chosen from it: randomesque draws, Sympson-Hetter rejections and
//! refills, content balancing (one tree per topic) and enemies (the availability flags).
//!
//! Reference: the branch-and-bound best-first search of a bounding-volume tree, as in
//! Friedman, Bentley & Finkel (1977), "An algorithm for finding best matches in logarithmic
//! expected time", *ACM Transactions on Mathematical Software* 3(3), 209–226.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::ops::Range;

use crate::irt::{Params, logistic};
use crate::pool::Pool;

use super::Candidate;
use super::criteria::{KlRule, Scorer, cosh_lower};
use super::ranking::{Scope, Shortlist};

/// Items per leaf: small enough that a leaf's bound is close to its best item's value, large
/// enough that the tree stays a small fraction of the pool.
const LEAF: usize = 8;

/// `Node::children` of a leaf.
const NO_CHILDREN: u32 = u32::MAX;

/// The ranges of the parameters of a group of items, from which its bounds are computed.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Group {
    a_lo: f64,
    a_hi: f64,
    b_lo: f64,
    b_hi: f64,
    c_lo: f64,
    c_hi: f64,
    /// Where the information of a 3PL item with c = `c_lo` peaks, in x = a(θ − b): Birnbaum's
    /// x* = ln((1 + √(1 + 8c)) / 2).
    peak: f64,
    /// Every item has a finite a > 0, a finite b and 0 ≤ c < d ≤ 1, so the bounds hold;
    /// otherwise the group's bound is +∞ and its items are always scored.
    bounded: bool,
}

impl Group {
    fn of<'p>(params: impl IntoIterator<Item = &'p Params>) -> Group {
        let mut group = Group {
            a_lo: f64::INFINITY,
            a_hi: f64::NEG_INFINITY,
            b_lo: f64::INFINITY,
            b_hi: f64::NEG_INFINITY,
            c_lo: f64::INFINITY,
            c_hi: f64::NEG_INFINITY,
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
            group.c_hi = group.c_hi.max(c);
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
    fn bound(&self, scorer: &Scorer, tight: bool) -> (f64, bool) {
        let widen = |bound: f64| {
            if bound.is_nan() {
                f64::INFINITY
            } else {
                bound * (1.0 + 1e-9) + 1e-12
            }
        };
        match scorer {
            Scorer::Fisher { theta } => (widen(self.information_bound(*theta)), true),
            Scorer::KullbackLeibler(rule) if tight => (
                widen(self.kl_bound(rule)).min(widen(self.kl_tight_bound(rule))),
                true,
            ),
            Scorer::KullbackLeibler(rule) => (widen(self.kl_bound(rule)), false),
            Scorer::Random => (f64::INFINITY, true),
        }
    }
}

/// A node of a tree: a group of items, `items[first..end]` of the index.
#[derive(Debug, Clone)]
struct Node {
    group: Group,
    first: u32,
    end: u32,
    /// The first of its two children (the second follows it), or [`NO_CHILDREN`].
    children: u32,
}

/// A node waiting to be visited, ordered by its bound.
#[derive(Debug, Clone, Copy)]
struct Visit {
    bound: f64,
    node: u32,
    /// Whether `bound` is the tightest the criterion has (else the node is bounded again,
    /// tightly, when it comes up: most nodes are pruned before that).
    tight: bool,
}

impl Ord for Visit {
    fn cmp(&self, other: &Self) -> Ordering {
        self.bound
            .total_cmp(&other.bound)
            .then(other.node.cmp(&self.node))
    }
}

impl PartialOrd for Visit {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Visit {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Visit {}

/// The index of a pool: per domain and topic, a tree of its items (see the module's
/// documentation). It describes the pool it was built from; build a new one when the pool's
/// items change.
#[derive(Debug, Clone)]
pub struct ItemIndex {
    /// The domains' ranges it was built for, clamped to the pool's arrays.
    ranges: Vec<Range<usize>>,
    /// Per domain, per topic index: the root of the topic's tree, or `None` for no items.
    roots: Vec<Vec<Option<u32>>>,
    nodes: Vec<Node>,
    /// Global item indices, in the trees' leaf order.
    items: Vec<u32>,
    /// The items' parameters in the same order, so that a leaf's are side by side in memory.
    params: Vec<Params>,
}

impl ItemIndex {
    /// The index of `pool`'s items. O(n log n) time, about 90 bytes per item.
    pub fn new(pool: &Pool) -> ItemIndex {
        let limit = pool.params.len().min(pool.topic.len());
        let mut index = ItemIndex {
            ranges: Vec::with_capacity(pool.domains.len()),
            roots: Vec::with_capacity(pool.domains.len()),
            nodes: Vec::with_capacity(limit / LEAF * 2 + pool.domains.len()),
            items: Vec::with_capacity(limit),
            params: Vec::with_capacity(limit),
        };
        for domain in &pool.domains {
            let end = domain.items.end.min(limit);
            let range = domain.items.start.min(end)..end;
            let mut by_topic: Vec<Vec<(Params, u32)>> = Vec::new();
            for item in range.clone() {
                let topic = pool.topic[item];
                if topic >= by_topic.len() {
                    by_topic.resize_with(topic + 1, Vec::new);
                }
                // Global indices fit in u32: a pool that fits in memory has fewer items.
                by_topic[topic].push((pool.params[item], item as u32));
            }
            let roots = by_topic
                .iter_mut()
                .map(|members| (!members.is_empty()).then(|| index.add_tree(members)))
                .collect();
            index.ranges.push(range);
            index.roots.push(roots);
        }
        index
    }

    /// Whether the index was built for a pool with these domains.
    pub(super) fn describes(&self, pool: &Pool) -> bool {
        let limit = pool.params.len().min(pool.topic.len());
        self.ranges.len() == pool.domains.len()
            && pool
                .domains
                .iter()
                .zip(&self.ranges)
                .all(|(domain, range)| {
                    let end = domain.items.end.min(limit);
                    *range == (domain.items.start.min(end)..end)
                })
    }

    /// Adds a tree over `members` (reordered) and returns its root.
    fn add_tree(&mut self, members: &mut [(Params, u32)]) -> u32 {
        let base = self.items.len();
        let root = self.nodes.len();
        self.nodes.push(Node {
            group: Group::of([]),
            first: 0,
            end: 0,
            children: NO_CHILDREN,
        });
        self.build(root, members, base);
        for &(params, item) in members.iter() {
            self.params.push(params);
            self.items.push(item);
        }
        root as u32
    }

    /// Fills node `id` with `members`, which will sit at `first` in the index's arrays:
    /// halves them at the median of the parameter that spreads the group's bound most, down
    /// to leaves of at most [`LEAF`] items.
    fn build(&mut self, id: usize, members: &mut [(Params, u32)], first: usize) {
        let group = Group::of(members.iter().map(|m| &m.0));
        let end = first + members.len();
        let mut node = Node {
            group,
            first: first as u32,
            end: end as u32,
            children: NO_CHILDREN,
        };
        if members.len() > LEAF {
            let middle = members.len() / 2;
            // One comparison per parameter, so that each is inlined into its selection.
            match split_on(&group) {
                Split::A => members.select_nth_unstable_by(middle, |x, y| x.0.a.total_cmp(&y.0.a)),
                Split::B => members.select_nth_unstable_by(middle, |x, y| x.0.b.total_cmp(&y.0.b)),
                Split::C => members.select_nth_unstable_by(middle, |x, y| x.0.c.total_cmp(&y.0.c)),
            };
            let children = self.nodes.len();
            node.children = children as u32;
            self.nodes.push(node.clone());
            self.nodes.push(node.clone());
            let (low, high) = members.split_at_mut(middle);
            self.build(children, low, first);
            self.build(children + 1, high, first + middle);
        }
        self.nodes[id] = node;
    }

    /// The best `cap` items of `scope` not in `removed` (sorted) by `scorer`, best first, ties
    /// toward the lower index: exactly what a full pass over the scope gives.
    pub(super) fn search(
        &self,
        scope: &Scope,
        scorer: &Scorer,
        removed: &[usize],
        cap: usize,
    ) -> Vec<Candidate> {
        let mut shortlist = Shortlist::new(cap);
        let mut threshold: Option<f64> = None;
        let mut frontier = BinaryHeap::new();
        let roots = self
            .roots
            .get(scope.domain())
            .map_or(&[][..], Vec::as_slice);
        let roots: &[Option<u32>] = match scope.topic() {
            Some(topic) => roots.get(topic..=topic).unwrap_or(&[]),
            None => roots,
        };
        let visit = |node: u32, tight: bool| {
            let (bound, tight) = self.nodes[node as usize].group.bound(scorer, tight);
            Visit { bound, node, tight }
        };
        for &root in roots.iter().flatten() {
            frontier.push(visit(root, false));
        }
        while let Some(Visit { bound, node, tight }) = frontier.pop() {
            if threshold.is_some_and(|t| bound < t) {
                break;
            }
            if !tight {
                frontier.push(visit(node, true));
                continue;
            }
            let node = &self.nodes[node as usize];
            if node.children != NO_CHILDREN {
                for child in [node.children, node.children + 1] {
                    let child = visit(child, false);
                    if !threshold.is_some_and(|t| child.bound < t) {
                        frontier.push(child);
                    }
                }
                continue;
            }
            for at in node.first as usize..node.end as usize {
                let item = self.items[at] as usize;
                if !scope.contains(item) || removed.binary_search(&item).is_ok() {
                    continue;
                }
                let params = &self.params[at];
                if threshold.is_some_and(|t| scorer.certainly_below(params, t)) {
                    continue;
                }
                shortlist.offer(Candidate {
                    item,
                    value: scorer.value(params),
                });
                threshold = shortlist.threshold();
            }
        }
        shortlist.into_sorted()
    }
}

/// A parameter to halve a group on.
enum Split {
    A,
    B,
    C,
}

/// The parameter to halve a group on: the one along which its bound varies most, measured
/// roughly in ln I: b moves x = a(θ − b) by a per unit, a moves ln a² by 2 ln(a_hi / a_lo),
/// and c moves the peak's ln I by about 2 per unit of c / (1 − c).
fn split_on(group: &Group) -> Split {
    if !group.bounded {
        return Split::B;
    }
    let by_b = (group.b_hi - group.b_lo) * group.a_hi;
    let by_a = 2.0 * (group.a_hi / group.a_lo).ln();
    let by_c = 2.0 * (group.c_hi - group.c_lo) / (1.0 - group.c_hi);
    if by_b >= by_a && by_b >= by_c {
        Split::B
    } else if by_a >= by_c {
        Split::A
    } else {
        Split::C
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SeededRng;
    use crate::select::Criterion;
    use crate::select::criteria::kl_half_width;

    fn random_params(rng: &mut SeededRng) -> Params {
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

    #[test]
    fn leaves_hold_at_most_leaf_items_and_every_item_once() {
        let mut rng = SeededRng::new(3);
        let items: Vec<(Params, usize)> = (0..1_000)
            .map(|i| (random_params(&mut rng), i % 3))
            .collect();
        let pool = crate::select::tests::pool_of(&items, &[0.2, 0.3, 0.5]);
        let index = ItemIndex::new(&pool);
        let mut seen = vec![0; 1_000];
        for node in index.nodes.iter().filter(|n| n.children == NO_CHILDREN) {
            let len = (node.end - node.first) as usize;
            assert!((1..=LEAF).contains(&len));
            for at in node.first..node.end {
                seen[index.items[at as usize] as usize] += 1;
            }
        }
        assert!(seen.iter().all(|&n| n == 1));
        for (t, root) in index.roots[0].iter().enumerate() {
            let root = &index.nodes[root.expect("a tree per topic") as usize];
            let topics =
                (root.first..root.end).map(|at| pool.topic[index.items[at as usize] as usize]);
            assert!(topics.into_iter().all(|topic| topic == t));
        }
        assert!(index.describes(&pool));
    }
}
