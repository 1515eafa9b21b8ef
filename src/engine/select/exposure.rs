//! Exposure control: randomesque choice among the best items, then the Sympson-Hetter
//! administration draw.
//!
//! Randomesque (Kingsbury & Zara, 1989): rather than always the best item, choose uniformly
//! among the k best, so that the most informative items are not shown to everyone. With k = 1,
//! or when only one item remains, there is nothing to choose and no random number is drawn:
//! the stream of draws (and so a seeded test) is the same as with exposure control off.
//!
//! Sympson-Hetter (Sympson & Hetter, 1985): each item has an exposure parameter K in (0, 1];
//! once chosen, it is administered when a uniform draw u ≤ K. Otherwise it is rejected for the
//! rest of the test and the choice is made again among the remaining items (with a new
//! randomesque draw), until an item is administered or none is left. An item with K ≥ 1 (or a
//! K that is not a number) is administered without a draw.
//!
//! References: Kingsbury, G. G. & Zara, A. R. (1989), "Procedures for selecting items for
//! computerized adaptive tests", *Applied Measurement in Education* 2(4), 359–375;
//! Sympson, J. B. & Hetter, R. D. (1985), "Controlling item-exposure rates in computerized
//! adaptive testing", *Proceedings of the 27th annual meeting of the Military Testing
//! Association*, 973–977.

use crate::rng::SeededRng;

use super::Draw;
use super::ranking::Ranking;

/// Exposure-control settings for one selection.
#[derive(Debug, Clone, Copy)]
pub(super) struct Exposure<'a> {
    /// Randomesque k (at least 1).
    pub(super) k: usize,
    /// Per global item: the Sympson-Hetter parameter, or `None` when Sympson-Hetter is off.
    pub(super) sympson_hetter: Option<&'a [f64]>,
}

/// Offers items from `ranking` until one is administered; returns it, or `None` when every
/// remaining item was rejected. Each draw is appended to `draws` and each rejected item to
/// `rejected` (and removed from the ranking).
pub(super) fn administer(
    ranking: &mut Ranking,
    exposure: Exposure,
    rng: &mut SeededRng,
    draws: &mut Vec<Draw>,
    rejected: &mut Vec<usize>,
) -> Option<usize> {
    loop {
        // With the Random criterion every remaining item ties for best.
        let among = if ranking.ranks() {
            exposure.k.min(ranking.remaining())
        } else {
            ranking.remaining()
        };
        let position = match among {
            0 => return None,
            1 => 0,
            _ => {
                let u = rng.uniform();
                let chosen = ((u * among as f64) as usize).min(among - 1);
                draws.push(Draw::Randomesque { u, among, chosen });
                chosen
            }
        };
        let item = ranking.nth(position)?;
        let k = exposure
            .sympson_hetter
            .and_then(|ks| ks.get(item).copied())
            .unwrap_or(1.0);
        if k < 1.0 {
            let u = rng.uniform();
            let administered = u <= k;
            draws.push(Draw::SympsonHetter {
                item,
                u,
                k,
                administered,
            });
            if !administered {
                rejected.push(item);
                ranking.remove(item);
                continue;
            }
        }
        return Some(item);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{config, pick_with, pool_of};
    use super::*;
    use crate::irt::Params;
    use crate::select::Criterion;

    /// Ten 2PL items with b = item index: at θ = 0 the order by information is 0, 1, 2, …
    fn ladder() -> crate::pool::Pool {
        let items: Vec<(Params, usize)> = (0..10)
            .map(|i| (Params::two_pl(1.0, i as f64), 0))
            .collect();
        pool_of(&items, &[1.0])
    }

    #[test]
    fn randomesque_k5_picks_each_of_the_top_five_and_never_a_sixth() {
        let pool = ladder();
        let cfg = config(Criterion::MaxInfo, 5, false, false);
        let mut counts = [0usize; 10];
        for seed in 0..2_000 {
            let pick = pick_with(&pool, &[true; 10], 0.0, &cfg, seed).expect("an item");
            counts[pick.item] += 1;
            assert_eq!(pick.draws.len(), 1);
            let Draw::Randomesque { u, among, chosen } = pick.draws[0] else {
                panic!("expected a randomesque draw, got {:?}", pick.draws[0]);
            };
            assert_eq!(among, 5);
            assert_eq!(chosen, (u * 5.0) as usize);
            assert_eq!(pick.item, chosen);
        }
        // Each of the five: 400 expected, binomial SD ≈ 17.9; allow 5 SD.
        for &count in &counts[..5] {
            assert!((count as f64 - 400.0).abs() < 90.0, "{counts:?}");
        }
        assert_eq!(&counts[5..], &[0; 5]);
    }

    #[test]
    fn randomesque_k1_draws_nothing_and_takes_the_best() {
        let pool = ladder();
        let cfg = config(Criterion::MaxInfo, 1, false, false);
        for seed in 0..20 {
            let pick = pick_with(&pool, &[true; 10], 0.0, &cfg, seed).expect("an item");
            assert_eq!(pick.item, 0);
            assert!(pick.draws.is_empty());
        }
    }

    #[test]
    fn randomesque_k_is_clamped_to_the_number_eligible() {
        let pool = ladder();
        let mut available = [false; 10];
        available[7] = true;
        available[9] = true;
        let cfg = config(Criterion::MaxInfo, 5, false, false);
        let pick = pick_with(&pool, &available, 0.0, &cfg, 3).expect("an item");
        assert!(matches!(
            pick.draws[..],
            [Draw::Randomesque { among: 2, .. }]
        ));
        available[9] = false;
        let pick = pick_with(&pool, &available, 0.0, &cfg, 3).expect("an item");
        assert_eq!(pick.item, 7);
        assert!(pick.draws.is_empty());
    }

    #[test]
    fn sympson_hetter_quarter_administers_about_a_quarter_and_reports_rejections() {
        let mut pool = ladder();
        pool.exposure[0] = 0.25;
        let cfg = config(Criterion::MaxInfo, 1, true, false);
        let runs = 4_000;
        let mut administered = 0;
        for seed in 0..runs {
            let pick = pick_with(&pool, &[true; 10], 0.0, &cfg, seed).expect("an item");
            let Draw::SympsonHetter {
                item: 0,
                u,
                k,
                administered: yes,
            } = pick.draws[0]
            else {
                panic!(
                    "expected a Sympson-Hetter draw on item 0, got {:?}",
                    pick.draws
                );
            };
            assert_eq!(k, 0.25);
            assert_eq!(yes, u <= 0.25);
            if yes {
                administered += 1;
                assert_eq!(pick.item, 0);
                assert!(pick.rejected.is_empty());
                assert_eq!(pick.draws.len(), 1);
            } else {
                // The next best (K = 1) is administered without a draw.
                assert_eq!(pick.item, 1);
                assert_eq!(pick.rejected, vec![0]);
                assert_eq!(pick.draws.len(), 1);
            }
        }
        // Binomial(4000, 0.25): mean 1000, SD ≈ 27.4; allow 5 SD.
        assert!(
            (administered as f64 - 1000.0).abs() < 137.0,
            "{administered}"
        );
    }

    #[test]
    fn sympson_hetter_keeps_drawing_until_an_item_is_accepted_or_none_is_left() {
        let mut pool = ladder();
        pool.exposure = vec![1e-12; 10];
        pool.exposure[6] = 1.0;
        let cfg = config(Criterion::MaxInfo, 1, true, false);
        let pick = pick_with(&pool, &[true; 10], 0.0, &cfg, 5).expect("item 6");
        assert_eq!(pick.item, 6);
        // Rejected in ranking order; the sixth offer lies beyond the first shortlist of 5.
        assert_eq!(pick.rejected, vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(pick.draws.len(), 6);
        assert!(pick.draws.iter().all(|d| matches!(
            d,
            Draw::SympsonHetter {
                administered: false,
                ..
            }
        )));
        // The shortlist is the ranking before any rejection.
        assert_eq!(
            pick.candidates.iter().map(|c| c.item).collect::<Vec<_>>(),
            vec![0, 1, 2, 3, 4]
        );
        // With randomesque on, the choice among the best remaining is redrawn after each
        // rejection; only item 6 can be accepted.
        let cfg = config(Criterion::MaxInfo, 3, true, false);
        for seed in 0..50 {
            let pick = pick_with(&pool, &[true; 10], 0.0, &cfg, seed).expect("item 6");
            assert_eq!(pick.item, 6);
            // Item 6 enters the best three once at most two of items 0–5 remain.
            assert!(pick.rejected.len() >= 4 && !pick.rejected.contains(&6));
        }
        // With nothing acceptable left, there is no pick.
        let mut available = [true; 10];
        available[6] = false;
        assert_eq!(pick_with(&pool, &available, 0.0, &cfg, 5), None);
    }

    #[test]
    fn sympson_hetter_off_or_k_one_makes_no_draw() {
        let mut pool = ladder();
        pool.exposure[0] = 0.25;
        let off = config(Criterion::MaxInfo, 1, false, false);
        let pick = pick_with(&pool, &[true; 10], 0.0, &off, 1).expect("an item");
        assert_eq!((pick.item, pick.draws.len()), (0, 0));
        pool.exposure[0] = 1.0;
        let on = config(Criterion::MaxInfo, 1, true, false);
        let pick = pick_with(&pool, &[true; 10], 0.0, &on, 1).expect("an item");
        assert_eq!((pick.item, pick.draws.len()), (0, 0));
    }
}
