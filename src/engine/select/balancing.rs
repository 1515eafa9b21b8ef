//! Content balancing: steer each domain's test toward its topics' target shares.

use super::ranking::Scope;

/// Eligible items per topic in a scope. The vector is at least `topics` long and longer if an
/// item names a topic beyond the bank's list (a topic with no target share).
pub(super) fn open_topics(scope: &Scope, topics: usize) -> Vec<usize> {
    if let Some(counts) = scope.counts() {
        let mut open = counts.topic_counts(scope.domain()).to_vec();
        open.resize(open.len().max(topics), 0);
        return open;
    }
    let mut open = vec![0; topics];
    for item in scope.items() {
        let topic = scope.topic_of(item);
        if topic >= open.len() {
            open.resize(topic + 1, 0);
        }
        open[topic] += 1;
    }
    open
}

/// The topic to draw the next item from, or `None` when no topic has an eligible item.
///
/// # Formula
///
/// Over the open topics O (those with an eligible item), with target shares sₜ and
/// administered counts nₜ, both renormalised over O:
///
/// deficitₜ = sₜ / Σ_{u∈O} sᵤ − nₜ / Σ_{u∈O} nᵤ   (the second term is 0 before any item),
///
/// and the topic with the largest deficit is chosen; ties (within 1e-12) go to the lowest
/// topic index. Renormalising both terms over O means that once a topic is exhausted, the rest
/// of the test is shared among the remaining topics in proportion to their targets.
/// Topics whose target share is 0 (or not a finite positive number) are chosen only when no
/// open topic has a positive share; if none has, every open topic is treated as equal.
///
/// Reference: Kingsbury, G. G. & Zara, A. R. (1989), "Procedures for selecting items for
/// computerized adaptive tests", *Applied Measurement in Education* 2(4), 359–375 (the
/// constrained CAT, CCAT).
pub(super) fn choose_topic(
    shares: &[f64],
    administered: &[usize],
    open: &[usize],
) -> Option<usize> {
    let share = |t: usize| {
        shares
            .get(t)
            .copied()
            .filter(|s| s.is_finite() && *s > 0.0)
            .unwrap_or(0.0)
    };
    let count = |t: usize| administered.get(t).copied().unwrap_or(0) as f64;
    let open_topics = || (0..open.len()).filter(|&t| open[t] > 0);
    let share_sum: f64 = open_topics().map(share).sum();
    let count_sum: f64 = open_topics().map(count).sum();
    let weighted = share_sum > 0.0;
    let mut best: Option<(usize, f64)> = None;
    for t in open_topics() {
        if weighted && share(t) == 0.0 {
            continue;
        }
        let target = if weighted { share(t) / share_sum } else { 1.0 };
        let given = if count_sum > 0.0 {
            count(t) / count_sum
        } else {
            0.0
        };
        let deficit = target - given;
        if best.is_none_or(|(_, d)| deficit > d + 1e-12) {
            best = Some((t, deficit));
        }
    }
    best.map(|(t, _)| t)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{config, mixed_pool, pick_with, pool_of, run};
    use super::*;
    use crate::irt::Params;
    use crate::rng::SeededRng;
    use crate::select::{Criterion, Request, select};

    #[test]
    fn steers_to_the_under_represented_topic() {
        // Equal targets; topic 1 has had fewer items.
        assert_eq!(choose_topic(&[0.5, 0.5], &[3, 1], &[10, 10]), Some(1));
        // Targets 0.2 / 0.8: 2 of 4 items in topic 0 is already too many.
        assert_eq!(choose_topic(&[0.2, 0.8], &[2, 2], &[10, 10]), Some(1));
        // 1 of 6 in topic 0 is just under its 0.2 target, topic 1 is over.
        assert_eq!(choose_topic(&[0.2, 0.8], &[1, 5], &[10, 10]), Some(0));
    }

    #[test]
    fn ties_go_to_the_lowest_topic_index() {
        assert_eq!(
            choose_topic(&[0.25, 0.25, 0.5], &[0, 0, 0], &[1, 1, 1]),
            Some(2)
        );
        assert_eq!(
            choose_topic(&[1.0 / 3.0; 3], &[0, 0, 0], &[1, 1, 1]),
            Some(0)
        );
        assert_eq!(
            choose_topic(&[1.0 / 3.0; 3], &[1, 0, 0], &[1, 1, 1]),
            Some(1)
        );
        // Deficits equal up to rounding (0.1 + 0.2 ≠ 0.3) still tie.
        assert_eq!(
            choose_topic(&[0.3, 0.1 + 0.2, 0.4], &[3, 3, 4], &[1, 1, 1]),
            Some(0)
        );
    }

    #[test]
    fn exhausted_topics_are_skipped_and_targets_renormalised_over_the_rest() {
        // Topic 0 has the largest deficit but no eligible item left.
        assert_eq!(
            choose_topic(&[0.6, 0.2, 0.2], &[0, 2, 1], &[0, 5, 5]),
            Some(2)
        );
        // Over topics 1 and 2 (targets 0.25 / 0.75 after renormalising), 1 and 3 items are
        // exactly on target: the tie goes to topic 1, even though 1 of 6 administered items
        // overall is below topic 1's raw 0.2 share.
        assert_eq!(
            choose_topic(&[0.2, 0.2, 0.6], &[2, 1, 3], &[0, 5, 5]),
            Some(1)
        );
        assert_eq!(choose_topic(&[0.5, 0.5], &[0, 0], &[0, 0]), None);
        assert_eq!(choose_topic(&[], &[], &[]), None);
    }

    #[test]
    fn zero_weight_topics_are_used_only_when_nothing_else_is_left() {
        assert_eq!(choose_topic(&[0.0, 1.0], &[0, 5], &[4, 4]), Some(1));
        assert_eq!(choose_topic(&[0.0, 1.0], &[0, 5], &[4, 0]), Some(0));
        // No shares at all (a topic list shorter than the items' topics): equal treatment.
        assert_eq!(choose_topic(&[], &[2, 1], &[4, 4]), Some(1));
        assert_eq!(
            choose_topic(&[f64::NAN, f64::NAN], &[0, 0], &[4, 4]),
            Some(0)
        );
    }

    #[test]
    fn long_runs_keep_every_topic_within_one_item_of_its_target() {
        let shares = [0.1, 0.2, 0.3, 0.4];
        let mut counts = [0usize; 4];
        for n in 1..=200 {
            let t = choose_topic(&shares, &counts, &[1000; 4]).unwrap_or(usize::MAX);
            counts[t] += 1;
            for (t, &share) in shares.iter().enumerate() {
                let target = share * n as f64;
                assert!(
                    (counts[t] as f64 - target).abs() <= 1.0,
                    "after {n} items topic {t} has {} for a target of {target}",
                    counts[t]
                );
            }
        }
    }

    #[test]
    fn content_balancing_steers_to_the_under_represented_topic() {
        // Topic 0 holds the best item at theta 0; topic 1 has had no item yet.
        let items = [
            (Params::two_pl(2.0, 0.0), 0),
            (Params::two_pl(1.0, 2.0), 1),
            (Params::two_pl(0.5, 3.0), 1),
        ];
        let pool = pool_of(&items, &[0.5, 0.5]);
        let request = Request {
            pool: &pool,
            domain: 0,
            available: &[true; 3],
            theta: 0.0,
            answered: 2,
            topic_counts: &[2, 0],
        };
        let cfg = config(Criterion::MaxInfo, 1, false, true);
        let pick = select(&request, &cfg, &mut SeededRng::new(1)).expect("an item");
        assert_eq!((pick.item, pick.topic, pick.eligible), (1, Some(1), 2));
        let off = config(Criterion::MaxInfo, 1, false, false);
        let pick = select(&request, &off, &mut SeededRng::new(1)).expect("an item");
        assert_eq!((pick.item, pick.topic, pick.eligible), (0, None, 3));
    }

    #[test]
    fn content_balancing_keeps_topic_shares_within_one_item_of_target_over_a_long_test() {
        let shares = [0.5, 0.3, 0.2];
        let pool = mixed_pool(&shares);
        for criterion in [
            Criterion::MaxInfo,
            Criterion::KullbackLeibler,
            Criterion::Random,
        ] {
            for length in [10, 27, 60] {
                let (items, counts) = run(&pool, &config(criterion, 3, true, true), 5, length);
                assert_eq!(items.len(), length);
                for (t, &share) in shares.iter().enumerate() {
                    let target = share * length as f64;
                    assert!(
                        (counts[t] as f64 - target).abs() <= 1.0,
                        "{criterion:?}, {length} items: {counts:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_topic_emptied_by_sympson_hetter_hands_over_to_the_next_topic() {
        let items = [
            (Params::two_pl(2.0, 0.0), 0),
            (Params::two_pl(2.0, 0.1), 0),
            (Params::two_pl(1.0, 1.0), 1),
        ];
        let mut pool = pool_of(&items, &[0.9, 0.1]);
        pool.exposure[0] = 1e-12;
        pool.exposure[1] = 1e-12;
        let cfg = config(Criterion::MaxInfo, 1, true, true);
        let pick = pick_with(&pool, &[true; 3], 0.0, &cfg, 8).expect("item 2");
        assert_eq!((pick.item, pick.topic, pick.eligible), (2, Some(1), 1));
        assert_eq!(pick.rejected, vec![0, 1]);
        assert_eq!(pick.candidates.len(), 1);
    }
}
