//! Which items may still be administered, with the number of them per domain and topic kept
//! up to date, so that a selection never counts a large pool item by item: the count of
//! eligible items ([`Pick::eligible`](super::Pick::eligible)), the topics content balancing may
//! choose from, and whether a domain has anything left are read in O(topics).

use std::ops::Deref;

use crate::pool::Pool;

/// Per global item: may it still be administered? Read it as a `[bool]`; clear a flag only
/// through [`Availability::clear`], which keeps the counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    flags: Vec<bool>,
    /// Per domain, per topic index: how many items have their flag set (by the pool's
    /// `domain` and `topic` of each item).
    counts: Vec<Vec<usize>>,
}

impl Availability {
    /// The flags `flags` over `pool`'s items, counted by each item's `domain` and `topic`, so
    /// for a pool whose domains are its items' ranges, one after the other, as `Pool::new`
    /// makes them.
    pub fn new(pool: &Pool, flags: Vec<bool>) -> Self {
        let mut counts: Vec<Vec<usize>> = pool
            .domains
            .iter()
            .map(|domain| vec![0; domain.topic_shares.len()])
            .collect();
        for (item, _) in flags.iter().enumerate().filter(|(_, flag)| **flag) {
            Self::add(&mut counts, pool, item, 1);
        }
        Self { flags, counts }
    }

    /// Adds `step` (1 or `usize::MAX`, that is −1) to the count of `item`'s domain and topic.
    fn add(counts: &mut [Vec<usize>], pool: &Pool, item: usize, step: usize) {
        let (Some(&domain), Some(&topic)) = (pool.domain.get(item), pool.topic.get(item)) else {
            return;
        };
        if item >= pool.params.len() {
            return;
        }
        if let Some(per_topic) = counts.get_mut(domain) {
            if topic >= per_topic.len() {
                per_topic.resize(topic + 1, 0);
            }
            per_topic[topic] = per_topic[topic].wrapping_add(step);
        }
    }

    /// Marks `item` as no longer available (nothing happens when it already is not, or when it
    /// is out of range).
    pub fn clear(&mut self, pool: &Pool, item: usize) {
        if let Some(flag) = self.flags.get_mut(item) {
            if std::mem::replace(flag, false) {
                Self::add(&mut self.counts, pool, item, usize::MAX);
            }
        }
    }

    /// The flags, one per global item.
    pub fn flags(&self) -> &[bool] {
        &self.flags
    }

    /// Available items per topic of `domain` (at least as many entries as the domain has topics
    /// with an available item; an empty slice for an unknown domain).
    pub fn topic_counts(&self, domain: usize) -> &[usize] {
        self.counts.get(domain).map_or(&[], Vec::as_slice)
    }

    /// Available items in `domain`, in one topic or in all.
    pub fn count(&self, domain: usize, topic: Option<usize>) -> usize {
        let counts = self.topic_counts(domain);
        match topic {
            Some(t) => counts.get(t).copied().unwrap_or(0),
            None => counts.iter().sum(),
        }
    }

    /// Whether these counts describe `flags` (the same slice) over a pool with `pool`'s
    /// domains.
    pub(super) fn describes(&self, pool: &Pool, flags: &[bool]) -> bool {
        std::ptr::eq(self.flags.as_slice(), flags) && self.counts.len() == pool.domains.len()
    }
}

impl Deref for Availability {
    type Target = [bool];

    fn deref(&self) -> &[bool] {
        &self.flags
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::irt::Params;
    use crate::pool::Domain;

    /// Two domains: items 0–5 (topics 0, 1, 0, 1, 0, 3) and 6–8 (topic 0).
    fn two_domains() -> Pool {
        let mut pool =
            crate::select::tests::pool_of(&[(Params::two_pl(1.0, 0.0), 0); 9], &[0.5, 0.5]);
        pool.topic = vec![0, 1, 0, 1, 0, 3, 0, 0, 0];
        pool.domains[0].items = 0..6;
        pool.domains.push(Domain {
            id: "other".into(),
            items: 6..9,
            topic_shares: vec![1.0],
        });
        pool.domain[6..].fill(1);
        pool
    }

    /// What a linear pass over the flags counts.
    fn counted(pool: &Pool, flags: &[bool], domain: usize, topic: Option<usize>) -> usize {
        pool.domains[domain]
            .items
            .clone()
            .filter(|&i| flags[i] && topic.is_none_or(|t| pool.topic[i] == t))
            .count()
    }

    #[test]
    fn counts_follow_every_cleared_flag_per_domain_and_topic() {
        let pool = two_domains();
        let mut available = Availability::new(&pool, vec![true; 9]);
        assert_eq!(available.topic_counts(0), &[3, 2, 0, 1]);
        for item in [4, 4, 1, 8, 5, 0, 99] {
            available.clear(&pool, item);
            for domain in 0..2 {
                for topic in [None, Some(0), Some(1), Some(2), Some(3), Some(7)] {
                    assert_eq!(
                        available.count(domain, topic),
                        counted(&pool, available.flags(), domain, topic),
                        "after clearing {item}: domain {domain}, topic {topic:?}"
                    );
                }
            }
        }
        assert_eq!(available.count(5, None), 0);
        assert!(!available[4] && available[2]);
    }

    #[test]
    fn items_past_a_short_flag_slice_are_neither_counted_nor_cleared() {
        let pool = two_domains();
        let mut available = Availability::new(&pool, vec![true; 7]);
        assert_eq!(available.count(1, None), 1);
        available.clear(&pool, 8);
        assert_eq!(available.count(1, None), 1);
        assert!(available.describes(&pool, available.flags()));
        assert!(!available.describes(&pool, &[true; 7]));
    }
}
