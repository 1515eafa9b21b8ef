//! The indexed selection picks exactly what the full pass picks: the same item, shortlist,
//! eligible count, random draws and Sympson-Hetter rejections (and the adaptive domain order
//! sees the same best information), on random banks (with ties,
//! several domains and topics, exposure parameters, out-of-range parameters), random states
//! (availability, ability, topic counts) and random settings, step after step of a test.

use proptest::prelude::*;
use skillcat::bank::Status;
use skillcat::irt::Params;
use skillcat::pool::{Domain, Pool};
use skillcat::rng::SeededRng;
use skillcat::select::{
    Availability, Criterion, ItemIndex, Request, SelectionConfig, Shortcut, best_information,
    select, select_indexed,
};

/// Item parameters drawn so that ties are frequent (a grid of values, repeated items) and all
/// four models occur; now and then a parameter set the validator would refuse.
fn params(rng: &mut SeededRng, grid: bool, previous: &[Params]) -> Params {
    if !previous.is_empty() && rng.uniform() < 0.1 {
        return previous[rng.below(previous.len())];
    }
    let draw = |rng: &mut SeededRng, lo: f64, hi: f64, steps: usize| {
        if grid {
            lo + (hi - lo) * rng.below(steps + 1) as f64 / steps as f64
        } else {
            lo + (hi - lo) * rng.uniform()
        }
    };
    let model = rng.below(4);
    let a = if model == 0 {
        1.0
    } else {
        draw(rng, 0.2, 3.0, 4)
    };
    let b = draw(rng, -4.0, 4.0, 8);
    let c = if model >= 2 {
        draw(rng, 0.0, 0.35, 3)
    } else {
        0.0
    };
    let d = if model == 3 {
        draw(rng, 0.8, 1.0, 2)
    } else {
        1.0
    };
    if rng.uniform() < 0.01 {
        return Params {
            a,
            b,
            c: 0.6,
            d: 0.4,
        };
    }
    Params { a, b, c, d }
}

/// A pool of `domains` domains of random sizes, topics and exposure parameters.
fn pool(seed: u64, domains: usize, max_items: usize) -> Pool {
    let mut rng = SeededRng::new(seed);
    let grid = rng.uniform() < 0.5;
    let mut pool = Pool {
        domains: Vec::new(),
        params: Vec::new(),
        domain: Vec::new(),
        topic: Vec::new(),
        status: Vec::new(),
        exposure: Vec::new(),
        enemies: Vec::new(),
    };
    for d in 0..domains {
        let topics = 1 + rng.below(4);
        let mut shares: Vec<f64> = (0..topics).map(|_| rng.below(4) as f64).collect();
        let sum: f64 = shares.iter().sum();
        for share in &mut shares {
            *share = if sum > 0.0 { *share / sum } else { f64::NAN };
        }
        let first = pool.params.len();
        let n = rng.below(max_items + 1);
        for _ in 0..n {
            let p = params(&mut rng, grid, &pool.params[first..]);
            pool.params.push(p);
            pool.domain.push(d);
            pool.topic.push(rng.below(topics));
            pool.status.push(Status::Active);
            let k = if rng.uniform() < 0.3 {
                0.05 + 0.9 * rng.uniform()
            } else {
                1.0
            };
            pool.exposure.push(k);
            pool.enemies.push(Vec::new());
        }
        pool.domains.push(Domain {
            id: format!("d{d}"),
            items: first..pool.params.len(),
            topic_shares: shares,
        });
    }
    pool
}

/// Plays a test of `steps` selections per domain in turn, selecting each time both ways from
/// identical generators and states, and requires identical picks. Returns how many picks
/// were compared.
fn play(pool: &Pool, config: &SelectionConfig, seed: u64, steps: usize) -> usize {
    let mut rng = SeededRng::new(seed ^ 0x5eed);
    let flags = (0..pool.len()).map(|_| rng.uniform() < 0.85).collect();
    let mut availability = Availability::new(pool, flags);
    // Searched however few items are eligible, as large banks are.
    let index = ItemIndex::new(pool).searched_from(0);
    let mut linear_rng = SeededRng::new(seed);
    let mut indexed_rng = SeededRng::new(seed);
    let mut counts: Vec<Vec<usize>> = pool
        .domains
        .iter()
        .map(|d| {
            let n = d.topic_shares.len();
            (0..n).map(|_| rng.below(3)).collect()
        })
        .collect();
    let mut compared = 0;
    for step in 0..steps {
        for (domain, topic_counts) in counts.iter_mut().enumerate() {
            let theta = match rng.below(12) {
                0 => f64::NAN,
                1 => 30.0 * rng.uniform() - 15.0,
                _ => 8.0 * rng.uniform() - 4.0,
            };
            let request = Request {
                pool,
                domain,
                available: availability.flags(),
                theta,
                answered: step + rng.below(3),
                topic_counts,
            };
            let shortcut = Shortcut {
                index: &index,
                availability: &availability,
            };
            // The adaptive domain order's look at each domain's best item, both ways.
            assert_eq!(
                best_information(&request, Some(shortcut), config),
                best_information(&request, None, config),
                "best information, step {step}, domain {domain}"
            );
            let linear = select(&request, config, &mut linear_rng);
            let indexed = select_indexed(&request, shortcut, config, &mut indexed_rng);
            assert_eq!(linear, indexed, "step {step}, domain {domain}, θ {theta}");
            compared += 1;
            let Some(pick) = linear else { continue };
            for item in pick.rejected.iter().chain([&pick.item]) {
                availability.clear(pool, *item);
            }
            // An enemy of the administered item now and then.
            if rng.uniform() < 0.2 {
                availability.clear(pool, rng.below(pool.len()));
            }
            if let Some(count) = topic_counts.get_mut(pool.topic[pick.item]) {
                *count += 1;
            }
        }
    }
    compared
}

fn criterion() -> impl Strategy<Value = Criterion> {
    prop_oneof![
        4 => Just(Criterion::MaxInfo),
        3 => Just(Criterion::KullbackLeibler),
        1 => Just(Criterion::Random),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn indexed_selection_equals_the_full_pass(
        seed in any::<u64>(),
        domains in 1usize..4,
        max_items in prop_oneof![0usize..12, 12usize..400],
        criterion in criterion(),
        randomesque in 1usize..9,
        sympson_hetter in any::<bool>(),
        content_balancing in any::<bool>(),
    ) {
        let pool = pool(seed, domains, max_items);
        let config = SelectionConfig { criterion, randomesque, sympson_hetter, content_balancing };
        play(&pool, &config, seed, 25);
    }
}

#[test]
fn indexed_selection_equals_the_full_pass_on_a_large_bank_with_many_ties() {
    // 6,000 items on a coarse grid: thousands of exact ties in value.
    let pool = pool(2024, 1, 6_000);
    assert!(pool.len() > 1_000);
    for criterion in [Criterion::MaxInfo, Criterion::KullbackLeibler] {
        for (randomesque, sympson_hetter, content_balancing) in
            [(1, false, false), (5, true, true), (3, true, false)]
        {
            let config = SelectionConfig {
                criterion,
                randomesque,
                sympson_hetter,
                content_balancing,
            };
            assert_eq!(play(&pool, &config, 7, 30), 30);
        }
    }
}

#[test]
fn a_shortcut_made_for_other_flags_falls_back_to_the_full_pass() {
    let pool = pool(5, 2, 200);
    let availability = Availability::new(&pool, vec![true; pool.len()]);
    let index = ItemIndex::new(&pool);
    let other_flags: Vec<bool> = (0..pool.len()).map(|i| i % 3 != 0).collect();
    let request = Request {
        pool: &pool,
        domain: 0,
        available: &other_flags,
        theta: 0.4,
        answered: 2,
        topic_counts: &[0; 4],
    };
    let shortcut = Shortcut {
        index: &index,
        availability: &availability,
    };
    let config = SelectionConfig::default();
    assert_eq!(
        select_indexed(&request, shortcut, &config, &mut SeededRng::new(1)),
        select(&request, &config, &mut SeededRng::new(1))
    );
}
