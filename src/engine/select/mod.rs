//! Next-item selection: which item of a domain to administer next.
//!
//! One selection runs these steps, each in its own submodule:
//!
//! 1. Eligibility (`ranking`): the domain's items whose `available` flag is set (the session
//!    clears it for administered items, enemies of administered items, Sympson-Hetter
//!    rejections and items that are not active).
//! 2. Content balancing (`balancing`, optional): the topic furthest below its target share
//!    is chosen and the eligible set restricted to it.
//! 3. Ranking by the criterion (`criteria`): maximum Fisher information, the
//!    Kullback-Leibler index ([`kl_index`]), or none (random). Only a shortlist of the best
//!    max(k, 5) is kept, by partial selection that skips items a cheap bound shows cannot
//!    enter it; ties break toward the lower global index, so results are deterministic.
//! 4. Exposure control (`exposure`): randomesque choice among the k best, then the
//!    Sympson-Hetter draw; a rejected item is dropped and the choice made again. If content
//!    balancing is on and every item of the chosen topic is rejected, the next topic is tried.
//!
//! In a test over several domains with the `adaptive` order, the domain itself is chosen first
//! (`domain`: [`choose_domain`] by the reduction of the summed posterior variance), then the item
//! within it as above.
//!
//! Every random number comes from the [`SeededRng`] passed in and is recorded in
//! [`Pick::draws`], so a test can be replayed and explained.
//!
//! [`select`] passes over the whole domain; [`select_indexed`] makes the same pick through an
//! [`ItemIndex`] of the pool (`index`: branch and bound over trees of items) and counts of the
//! available items kept up to date ([`Availability`]), so that its cost hardly grows with the
//! pool.

mod availability;
mod balancing;
mod criteria;
mod domain;
mod exposure;
mod index;
mod ranking;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::json::declare::{json_enum, json_struct};
use crate::pool::Pool;
use crate::rng::SeededRng;

use balancing::{choose_topic, open_topics};
use criteria::Scorer;
use exposure::{Exposure, administer};
use ranking::{Ranking, Scope};

pub use availability::Availability;
pub use criteria::{kl_half_width, kl_index};
pub use domain::{DomainValue, best_information, choose_domain, variance_reduction};
pub use index::ItemIndex;

/// The shortest shortlist reported in [`Pick::candidates`] (it is longer when k is).
const SHORTLIST_MIN: usize = 5;

json_enum! {
    /// The criterion that ranks eligible items.
    #[derive(Default)]
    pub enum Criterion {
        /// Maximum Fisher information at the current estimate.
        #[default]
        MaxInfo = "maxInfo",
        /// Chang & Ying's Kullback-Leibler index around the current estimate.
        ///
        /// Over an interval of half-width [`kl_half_width`] around theta.
        KullbackLeibler = "kullbackLeibler",
        /// Uniformly random among the eligible items.
        Random = "random",
    }
}

json_struct! {
    read with defaults;
    /// Item-selection settings.
    #[derive(Debug, Clone, PartialEq)]
    pub struct SelectionConfig {
        pub criterion: Criterion = "criterion",
        /// Randomesque exposure control: choose uniformly among the k best (1 = off: the best is
        /// taken and no random number drawn). Clamped to the number of eligible items.
        pub randomesque: usize = "randomesque",
        /// Apply the bank's Sympson-Hetter exposure parameters.
        pub sympson_hetter: bool = "sympsonHetter",
        /// Steer each domain's topics toward their target shares.
        pub content_balancing: bool = "contentBalancing",
    }
}

impl Default for SelectionConfig {
    fn default() -> Self {
        Self {
            criterion: Criterion::MaxInfo,
            randomesque: 3,
            sympson_hetter: true,
            content_balancing: true,
        }
    }
}

impl SelectionConfig {
    /// Rejects meaningless settings, naming the field.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] when `randomesque` is 0.
    pub fn check(&self) -> Result<()> {
        if self.randomesque < 1 {
            return Err(Error::InvalidConfig(
                "selection.randomesque: must be at least 1".into(),
            ));
        }
        Ok(())
    }
}

/// What the selection needs to know about one examinee in one domain.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub pool: &'a Pool,
    /// Index into `pool.domains`.
    pub domain: usize,
    /// Per global item: may it still be administered? (false once administered, when an enemy
    /// was administered, after a Sympson-Hetter rejection, or when its status is not active).
    pub available: &'a [bool],
    /// The current ability estimate in this domain.
    pub theta: f64,
    /// Scored items answered so far in this domain.
    pub answered: usize,
    /// Items administered so far per topic of this domain.
    pub topic_counts: &'a [usize],
}

/// What lets [`select_indexed`] skip most of a large pool: the pool's index and the counts of
/// the request's availability flags.
#[derive(Debug, Clone, Copy)]
pub struct Shortcut<'a> {
    /// Built from the request's pool.
    pub index: &'a ItemIndex,
    /// The request's `available` flags are these (`Request::available` is
    /// `availability.flags()`).
    pub availability: &'a Availability,
}

/// An item with its criterion value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub item: usize,
    pub value: f64,
}

/// A random draw made while selecting, recorded so a test can be replayed and explained.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Draw {
    /// Randomesque: uniform `u` picked position `chosen` (= ⌊u · among⌋) among the `among` best.
    /// With the `Random` criterion every eligible item ties, so `among` is the number left and
    /// positions follow the global index.
    #[serde(rename_all = "camelCase")]
    Randomesque { u: f64, among: usize, chosen: usize },
    /// Sympson-Hetter: item administered when `u` ≤ its exposure parameter `k`.
    #[serde(rename_all = "camelCase")]
    SympsonHetter {
        item: usize,
        u: f64,
        k: f64,
        administered: bool,
    },
}

/// The selected item and how it was chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub item: usize,
    /// The topic content balancing steered to (always `Some` when it is on, `None` when off).
    pub topic: Option<usize>,
    /// The shortlist: the best max(k, 5) candidates by criterion value, best first (ties by
    /// lower index), ranked before exposure control, so it may include rejected items. With
    /// the `Random` criterion, which does not rank, it lists the items drawn, in draw order,
    /// with value 0.
    pub candidates: Vec<Candidate>,
    /// How many items were eligible in the set the item was chosen from (after content
    /// balancing restricted it to `topic`), before this step's rejections.
    pub eligible: usize,
    pub draws: Vec<Draw>,
    /// Items rejected by Sympson-Hetter this step: not to be offered again in this test.
    pub rejected: Vec<usize>,
}

/// Selects the next item, or `None` when no eligible item is left in the domain (including
/// when Sympson-Hetter rejects every remaining one). Never panics: an unknown domain, a short
/// `available` slice or an empty domain give `None`, and a non-finite `theta` is taken as 0.
pub fn select(request: &Request, config: &SelectionConfig, rng: &mut SeededRng) -> Option<Pick> {
    pick(request, Scope::new(request)?, config, rng)
}

/// Selects exactly the item [`select`] selects, with the same shortlist, draws and counts,
/// without a pass over the whole domain: the ranking searches `shortcut.index` and the counts
/// come from `shortcut.availability`. When the shortcut was not made for the request's pool
/// and flags, it falls back to the full passes of [`select`].
pub fn select_indexed(
    request: &Request,
    shortcut: Shortcut,
    config: &SelectionConfig,
    rng: &mut SeededRng,
) -> Option<Pick> {
    pick(request, Scope::indexed(request, shortcut)?, config, rng)
}

/// The selection of [`select`] within `domain`, the request's scope.
fn pick(
    request: &Request,
    domain: Scope,
    config: &SelectionConfig,
    rng: &mut SeededRng,
) -> Option<Pick> {
    let shares = &request.pool.domains.get(request.domain)?.topic_shares;
    let theta = if request.theta.is_finite() {
        request.theta
    } else {
        0.0
    };
    let scorer = Scorer::new(config.criterion, theta, request.answered);
    let k = config.randomesque.max(1);
    let exposure = Exposure {
        k,
        sympson_hetter: config
            .sympson_hetter
            .then_some(request.pool.exposure.as_slice()),
    };
    let mut open = config
        .content_balancing
        .then(|| open_topics(&domain, shares.len()));
    let mut draws = Vec::new();
    let mut rejected = Vec::new();
    loop {
        let topic = match &open {
            Some(open) => Some(choose_topic(shares, request.topic_counts, open)?),
            None => None,
        };
        let mut ranking = Ranking::new(domain.with_topic(topic), &scorer, k.max(SHORTLIST_MIN));
        let offered_from = rejected.len();
        match administer(&mut ranking, exposure, rng, &mut draws, &mut rejected) {
            Some(item) => {
                let candidates = if ranking.ranks() {
                    ranking.shortlist().to_vec()
                } else {
                    rejected[offered_from..]
                        .iter()
                        .chain([&item])
                        .map(|&item| Candidate { item, value: 0.0 })
                        .collect()
                };
                return Some(Pick {
                    item,
                    topic,
                    candidates,
                    eligible: ranking.eligible(),
                    draws,
                    rejected,
                });
            }
            // Every item of the topic was rejected: balance over the topics that are left.
            None => match (open.as_mut(), topic) {
                (Some(open), Some(t)) if t < open.len() => open[t] = 0,
                _ => return None,
            },
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::bank::Status;
    use crate::irt::Params;
    use crate::pool::Domain;

    /// A one-domain pool of `(params, topic)` items with the given target shares.
    pub(crate) fn pool_of(items: &[(Params, usize)], shares: &[f64]) -> Pool {
        let n = items.len();
        Pool {
            domains: vec![Domain {
                id: "test".into(),
                items: 0..n,
                topic_shares: shares.to_vec(),
            }],
            params: items.iter().map(|&(p, _)| p).collect(),
            domain: vec![0; n],
            topic: items.iter().map(|&(_, t)| t).collect(),
            status: vec![Status::Active; n],
            exposure: vec![1.0; n],
            enemies: vec![Vec::new(); n],
        }
    }

    pub(crate) fn config(
        criterion: Criterion,
        randomesque: usize,
        sympson_hetter: bool,
        content_balancing: bool,
    ) -> SelectionConfig {
        SelectionConfig {
            criterion,
            randomesque,
            sympson_hetter,
            content_balancing,
        }
    }

    /// One selection in domain 0 at `theta` before any answer, seeded with `seed`.
    pub(crate) fn pick_with(
        pool: &Pool,
        available: &[bool],
        theta: f64,
        cfg: &SelectionConfig,
        seed: u64,
    ) -> Option<Pick> {
        let topics = vec![0; pool.domains[0].topic_shares.len()];
        let request = Request {
            pool,
            domain: 0,
            available,
            theta,
            answered: 0,
            topic_counts: &topics,
        };
        select(&request, cfg, &mut SeededRng::new(seed))
    }

    /// Runs a test of `length` items in domain 0 the way a session would (administered items
    /// and rejections become unavailable, topic counts grow), with answers from a fixed
    /// pattern moving theta; returns the items in order and the final topic counts.
    pub(crate) fn run(
        pool: &Pool,
        cfg: &SelectionConfig,
        seed: u64,
        length: usize,
    ) -> (Vec<usize>, Vec<usize>) {
        let mut rng = SeededRng::new(seed);
        let mut available = vec![true; pool.len()];
        let mut counts = vec![0; pool.domains[0].topic_shares.len()];
        let mut items = Vec::new();
        let mut theta = 0.0;
        for step in 0..length {
            let request = Request {
                pool,
                domain: 0,
                available: &available,
                theta,
                answered: step,
                topic_counts: &counts,
            };
            let Some(pick) = select(&request, cfg, &mut rng) else {
                break;
            };
            available[pick.item] = false;
            for &r in &pick.rejected {
                available[r] = false;
            }
            counts[pool.topic[pick.item]] += 1;
            items.push(pick.item);
            theta += if step % 3 == 0 { -0.4 } else { 0.3 } / (step as f64 + 1.0).sqrt();
        }
        (items, counts)
    }

    /// 300 items over three topics with spread difficulties and discriminations.
    pub(crate) fn mixed_pool(shares: &[f64]) -> Pool {
        let items: Vec<(Params, usize)> = (0..300)
            .map(|i| {
                let x = i as f64;
                let a = 0.7 + 0.9 * ((x * 0.37).sin() * 0.5 + 0.5);
                let b = 3.0 * (x * 0.61).sin();
                (Params::three_pl(a, b, 0.1 * (i % 3) as f64), i % 3)
            })
            .collect();
        let mut pool = pool_of(&items, shares);
        for (i, k) in pool.exposure.iter_mut().enumerate() {
            *k = if i % 7 == 0 { 0.4 } else { 1.0 };
        }
        pool
    }

    #[test]
    fn check_rejects_a_zero_randomesque_naming_the_field() {
        assert_eq!(SelectionConfig::default().check(), Ok(()));
        let cfg = SelectionConfig {
            randomesque: 0,
            ..Default::default()
        };
        assert_eq!(
            cfg.check(),
            Err(Error::InvalidConfig(
                "selection.randomesque: must be at least 1".into()
            ))
        );
    }

    #[test]
    fn config_serialises_with_camel_case_names_and_defaults_missing_fields() {
        let json = serde_json::to_string(&SelectionConfig::default()).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"criterion":"maxInfo","randomesque":3,"sympsonHetter":true,"contentBalancing":true}"#
        );
        let parsed: SelectionConfig =
            serde_json::from_str(r#"{"criterion":"kullbackLeibler","sympsonHetter":false}"#)
                .unwrap_or_default();
        assert_eq!(parsed, config(Criterion::KullbackLeibler, 3, false, true));
        assert!(serde_json::from_str::<SelectionConfig>(r#"{"randomEsque":2}"#).is_err());
    }

    #[test]
    fn mfi_picks_the_item_with_b_nearest_theta_among_equal_a_2pl_items() {
        let bs = [-2.0, -1.1, -0.2, 0.45, 1.3, 2.2];
        let items: Vec<(Params, usize)> = bs.iter().map(|&b| (Params::two_pl(1.2, b), 0)).collect();
        let pool = pool_of(&items, &[1.0]);
        let cfg = config(Criterion::MaxInfo, 1, false, false);
        for (theta, nearest) in [(-1.9, 0), (-0.7, 1), (0.0, 2), (0.2, 3), (1.0, 4), (5.0, 5)] {
            let pick = pick_with(&pool, &[true; 6], theta, &cfg, 1);
            assert_eq!(pick.map(|p| p.item), Some(nearest), "theta {theta}");
        }
    }

    #[test]
    fn mfi_picks_the_3pl_item_whose_information_peaks_at_theta_over_the_one_with_b_at_theta() {
        let (a, c, theta): (f64, f64, f64) = (1.5, 0.25, 0.3);
        let shift = ((1.0 + (1.0 + 8.0 * c).sqrt()) / 2.0).ln() / a; // Birnbaum's θmax − b
        let items = [
            (Params::three_pl(a, theta, c), 0),         // b = θ: peak above θ
            (Params::three_pl(a, theta - shift, c), 0), // peak exactly at θ
        ];
        let pool = pool_of(&items, &[1.0]);
        let pick = pick_with(
            &pool,
            &[true; 2],
            theta,
            &config(Criterion::MaxInfo, 1, false, false),
            1,
        );
        let pick = pick.expect("an item");
        assert_eq!(pick.item, 1);
        assert!((pick.candidates[0].value - items[1].0.info(theta)).abs() < 1e-15);
        assert!(pick.candidates[0].value > pick.candidates[1].value);
    }

    #[test]
    fn kl_criterion_picks_the_item_with_b_nearest_theta_among_equal_a_2pl_items() {
        let items: Vec<(Params, usize)> = [-1.5, -0.4, 0.5, 1.6]
            .iter()
            .map(|&b| (Params::two_pl(1.0, b), 0))
            .collect();
        let pool = pool_of(&items, &[1.0]);
        let cfg = config(Criterion::KullbackLeibler, 1, false, false);
        let pick = pick_with(&pool, &[true; 4], 0.35, &cfg, 1).expect("an item");
        assert_eq!(pick.item, 2);
        assert!((pick.candidates[0].value - kl_index(&items[2].0, 0.35, 3.0)).abs() < 1e-15);
    }

    #[test]
    fn shortlist_holds_the_best_max_k_5_by_value_and_eligible_counts_the_set() {
        let items: Vec<(Params, usize)> = (0..20)
            .map(|i| (Params::two_pl(1.0, i as f64 * 0.1), 0))
            .collect();
        let pool = pool_of(&items, &[1.0]);
        for (k, len) in [(1, 5), (3, 5), (8, 8)] {
            let pick = pick_with(
                &pool,
                &[true; 20],
                0.0,
                &config(Criterion::MaxInfo, k, false, false),
                2,
            );
            let pick = pick.expect("an item");
            let order: Vec<usize> = pick.candidates.iter().map(|c| c.item).collect();
            assert_eq!(order, (0..len).collect::<Vec<_>>());
            assert!(pick.candidates.windows(2).all(|w| w[0].value > w[1].value));
            assert_eq!(pick.eligible, 20);
        }
    }

    #[test]
    fn random_criterion_picks_uniformly_among_eligible_items_only() {
        let items: Vec<(Params, usize)> =
            (0..8).map(|i| (Params::two_pl(1.0, i as f64), 0)).collect();
        let pool = pool_of(&items, &[1.0]);
        let available = [true, false, true, true, false, true, true, true];
        let cfg = config(Criterion::Random, 1, false, false);
        let mut counts = [0usize; 8];
        for seed in 0..3_000 {
            let pick = pick_with(&pool, &available, 0.0, &cfg, seed).expect("an item");
            assert_eq!(pick.eligible, 6);
            assert!(matches!(
                pick.draws[..],
                [Draw::Randomesque { among: 6, .. }]
            ));
            assert_eq!(
                pick.candidates,
                vec![Candidate {
                    item: pick.item,
                    value: 0.0
                }]
            );
            counts[pick.item] += 1;
        }
        // 500 expected per eligible item, binomial SD ≈ 20.4; allow 5 SD.
        for (i, &count) in counts.iter().enumerate() {
            if available[i] {
                assert!((count as f64 - 500.0).abs() < 102.0, "{counts:?}");
            } else {
                assert_eq!(count, 0);
            }
        }
    }

    #[test]
    fn unavailable_and_other_domain_items_are_never_picked() {
        // Domain 0: items 0–5; domain 1: items 6–9, far more informative at every theta.
        let mut items: Vec<(Params, usize)> = (0..6)
            .map(|i| (Params::two_pl(0.8, i as f64 - 2.5), 0))
            .collect();
        items.extend((0..4).map(|i| (Params::two_pl(3.0, i as f64 - 1.5), 0)));
        let mut pool = pool_of(&items, &[1.0]);
        pool.domains[0].items = 0..6;
        pool.domains.push(Domain {
            id: "other".into(),
            items: 6..10,
            topic_shares: vec![1.0],
        });
        pool.domain[6..].fill(1);
        let available = [
            true, false, true, false, true, false, true, true, true, true,
        ];
        for criterion in [
            Criterion::MaxInfo,
            Criterion::KullbackLeibler,
            Criterion::Random,
        ] {
            for k in [1, 3, 10] {
                let cfg = config(criterion, k, true, true);
                for seed in 0..100 {
                    let theta = (seed as f64 - 50.0) / 10.0;
                    let pick = pick_with(&pool, &available, theta, &cfg, seed).expect("an item");
                    assert!(
                        [0, 2, 4].contains(&pick.item),
                        "{criterion:?} k {k}: {}",
                        pick.item
                    );
                    assert!(pick.candidates.iter().all(|c| [0, 2, 4].contains(&c.item)));
                    assert_eq!(pick.eligible, 3);
                }
            }
        }
    }

    #[test]
    fn same_seed_gives_the_same_test() {
        let pool = mixed_pool(&[0.5, 0.3, 0.2]);
        for criterion in [
            Criterion::MaxInfo,
            Criterion::KullbackLeibler,
            Criterion::Random,
        ] {
            let cfg = config(criterion, 4, true, true);
            let first = run(&pool, &cfg, 99, 30);
            assert_eq!(first.0.len(), 30);
            assert_eq!(run(&pool, &cfg, 99, 30), first);
            assert_ne!(run(&pool, &cfg, 100, 30).0, first.0, "{criterion:?}");
        }
    }

    #[test]
    fn returns_none_when_nothing_is_eligible() {
        let pool = pool_of(
            &[(Params::two_pl(1.0, 0.0), 0), (Params::two_pl(1.0, 1.0), 0)],
            &[1.0],
        );
        for cfg in [
            SelectionConfig::default(),
            config(Criterion::Random, 1, false, false),
            config(Criterion::KullbackLeibler, 0, true, true),
        ] {
            assert_eq!(pick_with(&pool, &[false, false], 0.0, &cfg, 1), None);
            // A shorter `available` slice hides the items it does not cover.
            assert_eq!(pick_with(&pool, &[], 0.0, &cfg, 1), None);
            let request = Request {
                pool: &pool,
                domain: 3,
                available: &[true, true],
                theta: 0.0,
                answered: 0,
                topic_counts: &[],
            };
            assert_eq!(select(&request, &cfg, &mut SeededRng::new(1)), None);
            let empty = pool_of(&[], &[]);
            assert_eq!(pick_with(&empty, &[], 0.0, &cfg, 1), None);
        }
    }

    #[test]
    fn a_non_finite_theta_is_taken_as_zero() {
        let items: Vec<(Params, usize)> = [-1.0, 0.1, 1.2]
            .iter()
            .map(|&b| (Params::two_pl(1.0, b), 0))
            .collect();
        let pool = pool_of(&items, &[1.0]);
        for criterion in [Criterion::MaxInfo, Criterion::KullbackLeibler] {
            let cfg = config(criterion, 1, false, false);
            for theta in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
                let pick = pick_with(&pool, &[true; 3], theta, &cfg, 1).expect("an item");
                assert_eq!(pick.item, 1);
                assert!(pick.candidates.iter().all(|c| c.value.is_finite()));
            }
        }
    }
}
