//! An index over a pool's items that finds the best items by Fisher information or by the
//! Kullback-Leibler index without scoring every item, and finds exactly the items a full pass
//! finds.
//!
//! Built once per bank and shared by every session over it: for each topic, a tree whose
//! leaves hold a few items each and whose every node knows the ranges of its items' parameters
//! (a, b, c). From those ranges a node's *bound* at the current θ̂ is computed: a number no item
//! below the node can exceed (`group`: the formulas). A search visits nodes best bound
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

use std::collections::BinaryHeap;
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError, Weak};

mod group;

use crate::bank::Bank;
use crate::irt::Params;
use crate::pool::Pool;

use super::Candidate;
use super::criteria::Scorer;
use super::ranking::{Scope, Shortlist, Worst};
use group::{Group, Split};

/// Items per leaf: small enough that a leaf's bound is close to its best item's value, large
/// enough that the tree stays a small fraction of the pool.
const LEAF: usize = 8;

/// `Node::children` of a leaf.
const NO_CHILDREN: u32 = u32::MAX;

/// A node of a tree: a group of items, `items[first..end]` of the index.
#[derive(Debug, Clone)]
struct Node {
    group: Group,
    first: u32,
    end: u32,
    /// The first of its two children (the second follows it), or [`NO_CHILDREN`].
    children: u32,
}

/// The trees of one domain (one bank): per topic, a tree of its items, which are numbered
/// from 0 within the domain.
#[derive(Debug)]
pub(super) struct Trees {
    /// Per topic index: the root of the topic's tree, or `None` for no items.
    roots: Vec<Option<u32>>,
    nodes: Vec<Node>,
    /// The items' numbers within the domain, in the trees' leaf order.
    items: Vec<u32>,
    /// The items' parameters in the same order, so that a leaf's are side by side in memory.
    params: Vec<Params>,
}

impl Trees {
    /// The trees of items with these parameters and topic indices. O(n log n) time, about 90
    /// bytes per item.
    fn new(params: &[Params], topics: &[usize]) -> Trees {
        let mut by_topic: Vec<Vec<(Params, u32)>> = Vec::new();
        for (item, (&params, &topic)) in params.iter().zip(topics).enumerate() {
            if topic >= by_topic.len() {
                by_topic.resize_with(topic + 1, Vec::new);
            }
            // Item numbers fit in u32: a bank that fits in memory has fewer items.
            by_topic[topic].push((params, item as u32));
        }
        let mut trees = Trees {
            roots: Vec::with_capacity(by_topic.len()),
            nodes: Vec::with_capacity(params.len() / LEAF * 2 + by_topic.len()),
            items: Vec::with_capacity(params.len()),
            params: Vec::with_capacity(params.len()),
        };
        for members in &mut by_topic {
            let root = (!members.is_empty()).then(|| trees.add_tree(members));
            trees.roots.push(root);
        }
        trees
    }

    fn len(&self) -> usize {
        self.items.len()
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
            split_at_median(members, group.split_on());
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

    /// Searches the trees of `topics` (all when `None`) into `shortlist`; item numbers are
    /// offset by `first` to give global indices. Items not in `scope` or in `removed`
    /// (sorted) are passed over.
    fn search(
        &self,
        first: usize,
        topic: Option<usize>,
        scope: &Scope,
        scorer: &Scorer,
        removed: &[usize],
        shortlist: &mut Shortlist,
    ) {
        let mut threshold = shortlist.threshold();
        // The nodes waiting to be visited, best bound first: a heap of the shortlist's kind,
        // with the bound negated (its top is the lowest value) and the node's number doubled,
        // plus one when the bound is the tightest the criterion has (else the node is bounded
        // again, tightly, when it comes up: most nodes are pruned before that).
        let mut frontier = BinaryHeap::new();
        let roots: &[Option<u32>] = match topic {
            Some(topic) => self.roots.get(topic..=topic).unwrap_or(&[]),
            None => &self.roots,
        };
        let visit = |node: u32, tight: bool| {
            let (bound, tight) = self.nodes[node as usize].group.bound(scorer, tight);
            let item = (node as usize) << 1 | usize::from(tight);
            Worst(Candidate {
                item,
                value: -bound,
            })
        };
        for &root in roots.iter().flatten() {
            frontier.push(visit(root, false));
        }
        while let Some(Worst(Candidate { item, value })) = frontier.pop() {
            let (bound, node, tight) = (-value, (item >> 1) as u32, item & 1 == 1);
            if threshold.is_some_and(|t| bound < t) {
                break;
            }
            if KL_SEARCHED && !tight {
                frontier.push(visit(node, true));
                continue;
            }
            let node = &self.nodes[node as usize];
            if node.children != NO_CHILDREN {
                for child in [node.children, node.children + 1] {
                    let child = visit(child, false);
                    if !threshold.is_some_and(|t| -child.0.value < t) {
                        frontier.push(child);
                    }
                }
                continue;
            }
            for at in node.first as usize..node.end as usize {
                let item = first + self.items[at] as usize;
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
    }
}

/// The index of a pool: the trees of each of its domains (see the module's documentation).
/// It describes the pool it was built from, whose items must not change.
#[derive(Debug, Clone)]
pub struct ItemIndex {
    /// Per domain: its range of global indices, and its trees.
    domains: Vec<(Range<usize>, Arc<Trees>)>,
    /// The fewest eligible items for which the trees are searched rather than passed over.
    from: usize,
}

/// Whether the index is searched for the Kullback-Leibler index too, not only for Fisher
/// information. Not in the browser build: there its group bounds would cost about 0.4 KB of
/// the `.wasm`'s gzip budget, which is spent, for a search only about 5 times faster than the
/// full pass (natively, 1.8 against 9.1 ms at 100,000 items), so the KL index is ranked by the
/// full pass there, with the same result.
pub(super) const KL_SEARCHED: bool = !cfg!(target_arch = "wasm32");

/// The default of [`ItemIndex::searched_from`]: where a search starts to beat a full pass for
/// maximum information. In WebAssembly (Node 20) that is about 200 items (at 500 items a step's
/// select takes 13 µs with the search, 21 µs with the full pass); natively about 1,500 (at 500
/// items the full pass takes 2.7 µs, the search 4.0 µs).
const SEARCHED_FROM: usize = if cfg!(target_arch = "wasm32") {
    200
} else {
    1_500
};

/// The trees of the banks in use, so that every session over a bank shares the trees built
/// the first time (building them for 100,000 items takes longer than the rest of a session's
/// start). Keyed by the bank's address, which cannot be reused while the weak reference
/// lives; an entry goes when its bank has been dropped.
static SHARED: Mutex<Vec<(Weak<Bank>, Arc<Trees>)>> = Mutex::new(Vec::new());

impl ItemIndex {
    /// The index of `pool`'s items, built now.
    pub fn new(pool: &Pool) -> ItemIndex {
        ItemIndex {
            domains: domain_ranges(pool)
                .map(|range| {
                    let trees = Trees::new(&pool.params[range.clone()], &pool.topic[range.clone()]);
                    (range, Arc::new(trees))
                })
                .collect(),
            from: SEARCHED_FROM,
        }
    }

    /// The same index, searched for scopes of at least `items` eligible items (by default 200
    /// in WebAssembly, 1,500 natively); smaller ones are passed over in full, with the same
    /// results.
    pub fn searched_from(self, items: usize) -> ItemIndex {
        ItemIndex {
            from: items,
            ..self
        }
    }

    /// See [`ItemIndex::searched_from`].
    pub(super) fn threshold(&self) -> usize {
        self.from
    }

    /// The index of `pool`, built from `banks` (domain `d` from `banks[d]`), with the trees of
    /// a bank shared with every other index of that bank.
    pub fn of_banks(pool: &Pool, banks: &[Arc<Bank>]) -> ItemIndex {
        let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
        shared.retain(|(bank, _)| bank.strong_count() > 0);
        let domains = domain_ranges(pool)
            .zip(banks)
            .map(|(range, bank)| {
                let known = shared
                    .iter()
                    .find(|(known, _)| std::ptr::eq(known.as_ptr(), Arc::as_ptr(bank)));
                let trees = match known {
                    Some((_, trees)) if trees.len() == range.len() => Arc::clone(trees),
                    _ => {
                        let params = &pool.params[range.clone()];
                        let trees = Arc::new(Trees::new(params, &pool.topic[range.clone()]));
                        shared.push((Arc::downgrade(bank), Arc::clone(&trees)));
                        trees
                    }
                };
                (range, trees)
            })
            .collect();
        ItemIndex {
            domains,
            from: SEARCHED_FROM,
        }
    }

    /// Whether the index was built for a pool with as many domains and items.
    pub(super) fn describes(&self, pool: &Pool) -> bool {
        self.domains.len() == pool.domains.len()
            && self
                .domains
                .last()
                .is_none_or(|(range, _)| range.end == pool.params.len())
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
        if let Some((range, trees)) = self.domains.get(scope.domain()) {
            trees.search(
                range.start,
                scope.topic(),
                scope,
                scorer,
                removed,
                &mut shortlist,
            );
        }
        shortlist.into_sorted()
    }
}

/// Reorders `members` so that the lower half holds the items of lowest key (`split`'s
/// parameter, NaN last) and the upper half the rest: Hoare's quickselect with the lower middle
/// element as pivot, which copes with sorted input and many equal keys. (Written out rather
/// than `select_nth_unstable_by`, whose general machinery costs the `.wasm` about 1.5 KB of
/// gzip.)
fn split_at_median(members: &mut [(Params, u32)], split: Split) {
    let key = |member: &(Params, u32)| split.key(&member.0);
    let middle = members.len() / 2;
    let (mut lo, mut hi) = (0, members.len());
    while hi - lo > 1 {
        let pivot = key(&members[lo + (hi - lo - 1) / 2]);
        let (mut i, mut j) = (lo, hi - 1);
        loop {
            while key(&members[i]).total_cmp(&pivot).is_lt() {
                i += 1;
            }
            while key(&members[j]).total_cmp(&pivot).is_gt() {
                j -= 1;
            }
            if i >= j {
                break;
            }
            members.swap(i, j);
            i += 1;
            j -= 1;
        }
        // members[lo..=j] ≤ pivot ≤ members[j + 1..hi]
        if middle <= j {
            hi = j + 1;
        } else {
            lo = j + 1;
        }
    }
}

/// Each domain's range of global indices, clamped to the pool's arrays.
fn domain_ranges(pool: &Pool) -> impl Iterator<Item = Range<usize>> + '_ {
    let limit = pool.params.len().min(pool.topic.len());
    pool.domains.iter().map(move |domain| {
        let end = domain.items.end.min(limit);
        domain.items.start.min(end)..end
    })
}

#[cfg(test)]
mod tests {
    use super::group::tests::random_params;
    use super::*;
    use crate::rng::SeededRng;

    #[test]
    fn leaves_hold_at_most_leaf_items_and_every_item_once() {
        let mut rng = SeededRng::new(3);
        let items: Vec<(Params, usize)> = (0..1_000)
            .map(|i| (random_params(&mut rng), i % 3))
            .collect();
        let pool = crate::select::tests::pool_of(&items, &[0.2, 0.3, 0.5]);
        let index = ItemIndex::new(&pool);
        let trees = &index.domains[0].1;
        let mut seen = vec![0; 1_000];
        for node in trees.nodes.iter().filter(|n| n.children == NO_CHILDREN) {
            let len = (node.end - node.first) as usize;
            assert!((1..=LEAF).contains(&len));
            for at in node.first..node.end {
                seen[trees.items[at as usize] as usize] += 1;
            }
        }
        assert!(seen.iter().all(|&n| n == 1));
        for (t, root) in trees.roots.iter().enumerate() {
            let root = &trees.nodes[root.expect("a tree per topic") as usize];
            let topics =
                (root.first..root.end).map(|at| pool.topic[trees.items[at as usize] as usize]);
            assert!(topics.into_iter().all(|topic| topic == t));
        }
        assert!(index.describes(&pool));
    }

    #[test]
    fn split_at_median_puts_the_lower_half_first_whatever_the_order_and_ties() {
        let mut rng = SeededRng::new(9);
        for n in [2, 3, 9, 10, 57, 400] {
            for pattern in 0..4 {
                let mut members: Vec<(Params, u32)> = (0..n)
                    .map(|i| {
                        let b = match pattern {
                            0 => rng.uniform(),
                            1 => i as f64,
                            2 => (n - i) as f64,
                            _ => (i % 3) as f64,
                        };
                        (Params::two_pl(1.0, b), i as u32)
                    })
                    .collect();
                let mut sorted: Vec<f64> = members.iter().map(|m| m.0.b).collect();
                sorted.sort_by(f64::total_cmp);
                split_at_median(&mut members, Split::B);
                let (low, high) = members.split_at(n / 2);
                let highest_low = low.iter().map(|m| m.0.b).fold(f64::NEG_INFINITY, f64::max);
                let lowest_high = high.iter().map(|m| m.0.b).fold(f64::INFINITY, f64::min);
                assert!(highest_low <= lowest_high, "n {n}, pattern {pattern}");
                assert_eq!(lowest_high, sorted[n / 2]);
            }
        }
    }

    #[test]
    fn indexes_of_one_bank_share_its_trees_until_the_bank_is_dropped() {
        let bank = Arc::new(crate::simulate::synthetic_bank(
            "shared",
            300,
            (0.5, 2.0),
            1,
        ));
        let other = Arc::new(crate::simulate::synthetic_bank("other", 200, (0.5, 2.0), 2));
        let banks = [Arc::clone(&bank), Arc::clone(&other)];
        let pool = Pool::new(&banks);
        let first = ItemIndex::of_banks(&pool, &banks);
        let second = ItemIndex::of_banks(&pool, &banks[..1]);
        assert!(Arc::ptr_eq(&first.domains[0].1, &second.domains[0].1));
        assert!(!Arc::ptr_eq(&first.domains[0].1, &first.domains[1].1));
        assert!(first.describes(&pool) && !second.describes(&pool));
        let trees = Arc::downgrade(&first.domains[1].1);
        drop((first, second, banks, other));
        // The next index drops the entry of the bank that is gone.
        let alone = Pool::new(std::slice::from_ref(&bank));
        ItemIndex::of_banks(&alone, &[bank]);
        assert_eq!(trees.strong_count(), 0);
    }
}
