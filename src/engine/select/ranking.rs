//! Eligibility and ranking: which items may be chosen, and the best of them by the criterion,
//! found by partial selection (a bounded heap) so that a selection over a large pool never
//! allocates or sorts all of it; with an [`ItemIndex`] and [`Availability`] counts, without
//! visiting all of it either.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::ops::Range;

use crate::pool::Pool;

use super::availability::Availability;
use super::criteria::Scorer;
use super::index::ItemIndex;
use super::{Candidate, Request, Shortcut};

/// The items a selection may choose from: one domain's available items, optionally restricted
/// to one topic. (Items rejected during the selection are tracked by [`Ranking`].)
#[derive(Debug, Clone)]
pub(super) struct Scope<'a> {
    pool: &'a Pool,
    available: &'a [bool],
    domain: usize,
    /// The domain's items, clamped to the arrays actually present.
    range: Range<usize>,
    topic: Option<usize>,
    /// The index and counts of the pool and flags, when the caller keeps them.
    shortcut: Option<Shortcut<'a>>,
}

impl<'a> Scope<'a> {
    /// The request's domain, or `None` when the domain index is out of range.
    pub(super) fn new(request: &Request<'a>) -> Option<Self> {
        let pool = request.pool;
        let domain = pool.domains.get(request.domain)?;
        let end = domain
            .items
            .end
            .min(pool.params.len())
            .min(pool.topic.len())
            .min(request.available.len());
        Some(Self {
            pool,
            available: request.available,
            domain: request.domain,
            range: domain.items.start.min(end)..end,
            topic: None,
            shortcut: None,
        })
    }

    /// The request's domain, searched through `shortcut` when it was made for the request's
    /// pool and flags (otherwise by full passes, with the same results).
    pub(super) fn indexed(request: &Request<'a>, shortcut: Shortcut<'a>) -> Option<Self> {
        let usable = shortcut.index.describes(request.pool)
            && shortcut
                .availability
                .describes(request.pool, request.available);
        Some(Self {
            shortcut: usable.then_some(shortcut),
            ..Self::new(request)?
        })
    }

    pub(super) fn domain(&self) -> usize {
        self.domain
    }

    pub(super) fn topic(&self) -> Option<usize> {
        self.topic
    }

    /// Whether `item` is in the scope.
    pub(super) fn contains(&self, item: usize) -> bool {
        self.range.contains(&item)
            && self.available[item]
            && self.topic.is_none_or(|t| self.pool.topic[item] == t)
    }

    /// How many items are in the scope.
    pub(super) fn count(&self) -> usize {
        match self.counts() {
            Some(counts) => counts.count(self.domain, self.topic),
            None => self.items().count(),
        }
    }

    /// The availability counts, when kept.
    pub(super) fn counts(&self) -> Option<&'a Availability> {
        self.shortcut.map(|s| s.availability)
    }

    fn index(&self) -> Option<&'a ItemIndex> {
        self.shortcut.map(|s| s.index)
    }

    /// The same scope restricted to one topic.
    pub(super) fn with_topic(&self, topic: Option<usize>) -> Self {
        Self {
            topic,
            ..self.clone()
        }
    }

    /// The eligible items in increasing global index.
    pub(super) fn items(&self) -> impl Iterator<Item = usize> + '_ {
        self.range.clone().filter(move |&i| {
            self.available[i] && self.topic.is_none_or(|t| self.pool.topic[i] == t)
        })
    }

    /// The topic of an eligible item.
    pub(super) fn topic_of(&self, item: usize) -> usize {
        self.pool.topic[item]
    }
}

/// A candidate ordered so that the *worst* is the greatest: the top of a `BinaryHeap` of these
/// is the one to evict. Better means a larger value, then a lower global index.
#[derive(Debug, Clone, Copy)]
pub(super) struct Worst(pub(super) Candidate);

impl Ord for Worst {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .value
            .total_cmp(&self.0.value)
            .then(self.0.item.cmp(&other.0.item))
    }
}

impl PartialOrd for Worst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Worst {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Worst {}

/// The best `cap` candidates seen so far: a bounded heap whose top is the worst kept.
/// A NaN value counts as −∞, so a broken item is never preferred.
pub(super) struct Shortlist {
    heap: BinaryHeap<Worst>,
    cap: usize,
}

impl Shortlist {
    pub(super) fn new(cap: usize) -> Self {
        Self {
            heap: BinaryHeap::with_capacity(cap.saturating_add(1).min(4096)),
            cap,
        }
    }

    /// The value an item must reach to enter, once the shortlist is full.
    pub(super) fn threshold(&self) -> Option<f64> {
        if self.heap.len() < self.cap {
            None
        } else {
            self.heap.peek().map(|w| w.0.value)
        }
    }

    pub(super) fn offer(&mut self, mut candidate: Candidate) {
        if candidate.value.is_nan() {
            candidate.value = f64::NEG_INFINITY;
        }
        if self.heap.len() < self.cap {
            self.heap.push(Worst(candidate));
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if Worst(candidate) < *worst {
                *worst = Worst(candidate);
            }
        }
    }

    /// Best first, ties by lower index.
    pub(super) fn into_sorted(self) -> Vec<Candidate> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|w| w.0)
            .collect()
    }
}

/// The best `cap` of the scope's items not in `removed` (sorted) by the scorer, best first,
/// and how many items there were in all. Items the scorer can show to fall short of the
/// shortlist without computing their value are skipped (the result is the same).
fn scan(scope: &Scope, scorer: &Scorer, removed: &[usize], cap: usize) -> (Vec<Candidate>, usize) {
    let mut shortlist = Shortlist::new(cap);
    let mut threshold = None;
    let mut count = 0;
    for item in scope.items() {
        if !removed.is_empty() && removed.binary_search(&item).is_ok() {
            continue;
        }
        count += 1;
        let params = &scope.pool.params[item];
        if threshold.is_some_and(|t| scorer.certainly_below(params, t)) {
            continue;
        }
        shortlist.offer(Candidate {
            item,
            value: scorer.value(params),
        });
        threshold = shortlist.threshold();
    }
    (shortlist.into_sorted(), count)
}

/// The best `cap` of the scope's items not in `removed` (sorted), best first: through the
/// index when the scope has one and is large, else by a full pass (the same result).
fn best_of(scope: &Scope, scorer: &Scorer, removed: &[usize], cap: usize) -> Vec<Candidate> {
    match scope.index() {
        Some(index) if scope.count() >= index.threshold() && scorer.searched() => {
            index.search(scope, scorer, removed, cap)
        }
        _ => scan(scope, scorer, removed, cap).0,
    }
}

/// The eligible items of a scope in the order a selection offers them, drawn from lazily:
/// best first by the criterion, or, for the `Random` criterion, in index order (every item ties).
/// Items rejected by exposure control are removed as the selection goes.
pub(super) struct Ranking<'a> {
    scope: Scope<'a>,
    scorer: &'a Scorer,
    /// The shortlist as first ranked (before any removal): what `Pick::candidates` reports.
    shortlist: Vec<Candidate>,
    /// The best remaining items, best first (a prefix of the full remaining order).
    best: Vec<Candidate>,
    /// How many items the last scan kept.
    cap: usize,
    /// Eligible items in the scope before any removal.
    eligible: usize,
    /// Removed items, sorted.
    removed: Vec<usize>,
}

impl<'a> Ranking<'a> {
    /// Ranks the scope, keeping a shortlist of `cap` items (ignored for `Random`).
    pub(super) fn new(scope: Scope<'a>, scorer: &'a Scorer, cap: usize) -> Self {
        let cap = cap.max(1);
        let (best, eligible) = match (scorer.ranks(), scope.counts()) {
            (true, None) => scan(&scope, scorer, &[], cap),
            (true, Some(_)) => (best_of(&scope, scorer, &[], cap), scope.count()),
            (false, _) => (Vec::new(), scope.count()),
        };
        Self {
            shortlist: best.clone(),
            scope,
            scorer,
            best,
            cap,
            eligible,
            removed: Vec::new(),
        }
    }

    /// How many items were eligible before any removal.
    pub(super) fn eligible(&self) -> usize {
        self.eligible
    }

    /// How many items are left.
    pub(super) fn remaining(&self) -> usize {
        self.eligible.saturating_sub(self.removed.len())
    }

    /// The shortlist as first ranked, best first.
    pub(super) fn shortlist(&self) -> &[Candidate] {
        &self.shortlist
    }

    pub(super) fn ranks(&self) -> bool {
        self.scorer.ranks()
    }

    /// The remaining item at `position` in offer order; `None` past the end.
    pub(super) fn nth(&mut self, position: usize) -> Option<usize> {
        if position >= self.remaining() {
            return None;
        }
        if !self.scorer.ranks() {
            let removed = &self.removed;
            return self
                .scope
                .items()
                .filter(|i| removed.binary_search(i).is_err())
                .nth(position);
        }
        if position >= self.best.len() {
            // Refill: the prefix kept so far is exhausted. Growing geometrically bounds the
            // number of rescans by log₂ of the scope's size however many items are removed.
            self.cap = self.cap.saturating_mul(2).max(position + 1);
            self.best = best_of(&self.scope, self.scorer, &self.removed, self.cap);
        }
        self.best.get(position).map(|c| c.item)
    }

    /// Removes an item (rejected by exposure control) from the ranking.
    pub(super) fn remove(&mut self, item: usize) {
        if let Err(at) = self.removed.binary_search(&item) {
            self.removed.insert(at, item);
            self.best.retain(|c| c.item != item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortlist of a plain list of candidates.
    fn top(candidates: impl Iterator<Item = Candidate>, cap: usize) -> (Vec<Candidate>, usize) {
        let mut shortlist = Shortlist::new(cap);
        let mut count = 0;
        for candidate in candidates {
            shortlist.offer(candidate);
            count += 1;
        }
        (shortlist.into_sorted(), count)
    }

    fn candidates(values: &[f64]) -> Vec<Candidate> {
        values
            .iter()
            .enumerate()
            .map(|(item, &value)| Candidate { item, value })
            .collect()
    }

    fn full_sort(mut all: Vec<Candidate>) -> Vec<Candidate> {
        for c in &mut all {
            if c.value.is_nan() {
                c.value = f64::NEG_INFINITY;
            }
        }
        // A total order (items are distinct), so an unstable sort gives the stable order.
        all.sort_unstable_by(|x, y| y.value.total_cmp(&x.value).then(x.item.cmp(&y.item)));
        all
    }

    #[test]
    fn partial_selection_equals_the_head_of_a_full_sort_with_index_tiebreak() {
        let mut rng = crate::rng::SeededRng::new(11);
        // Values on a coarse grid so that ties are frequent.
        let values: Vec<f64> = (0..2_000).map(|_| rng.below(40) as f64 / 8.0).collect();
        let sorted = full_sort(candidates(&values));
        for cap in [1, 5, 17, 2_000, 5_000] {
            let (best, count) = top(candidates(&values).into_iter(), cap);
            assert_eq!(count, 2_000);
            assert_eq!(best, sorted[..cap.min(2_000)].to_vec(), "cap {cap}");
        }
    }

    #[test]
    fn nan_values_rank_last_and_ties_go_to_the_lower_index() {
        let (best, _) = top(candidates(&[f64::NAN, 1.0, 2.0, 2.0, 1.0]).into_iter(), 5);
        let order: Vec<usize> = best.iter().map(|c| c.item).collect();
        assert_eq!(order, vec![2, 3, 1, 4, 0]);
        assert_eq!(best[4].value, f64::NEG_INFINITY);
    }

    #[test]
    fn an_empty_input_or_zero_cap_gives_an_empty_shortlist() {
        assert_eq!(top(std::iter::empty(), 5), (Vec::new(), 0));
        let (best, count) = top(candidates(&[1.0, 2.0]).into_iter(), 0);
        assert!(best.is_empty());
        assert_eq!(count, 2);
    }

    #[test]
    fn huge_caps_do_not_preallocate() {
        let (best, count) = top(candidates(&[3.0, 1.0, 2.0]).into_iter(), usize::MAX);
        assert_eq!(
            best.iter().map(|c| c.item).collect::<Vec<_>>(),
            vec![0, 2, 1]
        );
        assert_eq!(count, 3);
    }

    /// A pool of 3PL items with spread parameters (duplicates included, so ties occur).
    fn spread_pool(n: usize) -> crate::pool::Pool {
        let mut rng = crate::rng::SeededRng::new(5);
        let items: Vec<(crate::irt::Params, usize)> = (0..n)
            .map(|i| {
                if i % 10 == 9 {
                    (crate::irt::Params::two_pl(1.0, 0.0), i % 2)
                } else {
                    let a = 0.3 + 2.2 * rng.uniform();
                    let b = 8.0 * rng.uniform() - 4.0;
                    (
                        crate::irt::Params::three_pl(a, b, 0.25 * rng.uniform()),
                        i % 2,
                    )
                }
            })
            .collect();
        super::super::tests::pool_of(&items, &[0.5, 0.5])
    }

    #[test]
    fn pruned_scan_and_refills_give_the_full_information_order() {
        let pool = spread_pool(3_000);
        let mut available = vec![true; pool.len()];
        for i in (0..pool.len()).step_by(7) {
            available[i] = false;
        }
        let request = Request {
            pool: &pool,
            domain: 0,
            available: &available,
            theta: 0.7,
            answered: 0,
            topic_counts: &[],
        };
        let scope = Scope::new(&request).expect("domain 0").with_topic(Some(1));
        let scorer = Scorer::new(super::super::Criterion::MaxInfo, 0.7, 0);
        let full = full_sort(
            scope
                .items()
                .map(|item| Candidate {
                    item,
                    value: pool.params[item].info(0.7),
                })
                .collect(),
        );
        let mut ranking = Ranking::new(scope, &scorer, 5);
        assert_eq!(ranking.shortlist(), &full[..5]);
        assert_eq!(ranking.eligible(), full.len());
        // Offer and remove 60 items one by one: they follow the full order across refills.
        let mut expected = full.iter().map(|c| c.item);
        let mut offered = 0;
        while let Some(item) = ranking.nth(0) {
            assert_eq!(Some(item), expected.next());
            ranking.remove(item);
            offered += 1;
            if offered == 60 {
                break;
            }
        }
        assert_eq!(ranking.nth(3), full.get(63).map(|c| c.item));
        assert_eq!(ranking.remaining(), full.len() - 60);
        assert_eq!(ranking.nth(ranking.remaining()), None);
    }
}
