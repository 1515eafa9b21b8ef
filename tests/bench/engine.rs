//! Benchmark (not a test): the median time of one adaptive step, i.e. one select-next-item plus
//! one ability update, after 10 answers, on synthetic 3PL banks of 500, 10,000 and 100,000
//! items, with the default session settings (EAP, maximum information, randomesque k = 3,
//! content balancing, Sympson-Hetter); then the same step in a joint session over seven such
//! banks of 500 items with every pair correlated at 0.6 and the adaptive domain order, after 20
//! answers, with the joint posterior's update (EP sweeps, pairwise correction) timed alone too.
//! For each size it also prints the time to read the bank (`Bank::from_json`) and to start a
//! session, and one selection alone by the full pass (`select`) against the index
//! (`select_indexed`), for maximum information and the Kullback-Leibler index.
//! Run with `make bench`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use skillcat::bank::Status;
use skillcat::pool::Pool;
use skillcat::rng::SeededRng;
use skillcat::select::{
    Availability, Criterion, ItemIndex, Request, SelectionConfig, Shortcut, select, select_indexed,
};
use skillcat::simulate::synthetic_bank;
use skillcat::{Bank, Session, SessionConfig, StopRule};

/// Targets from the engine issue, in microseconds.
const TARGETS: [(usize, f64); 3] = [(500, 20.0), (10_000, f64::NAN), (100_000, 2000.0)];

fn main() {
    single_domain();
    joint();
}

/// A synthetic 3PL bank: `synthetic_bank`'s 2PL items with a guessing parameter.
fn three_pl_bank(id: &str, size: usize, seed: u64) -> skillcat::Bank {
    let mut bank = synthetic_bank(id, size, (0.8, 2.2), seed);
    for (i, item) in bank.items.iter_mut().enumerate() {
        if let Some(irt) = item.irt.as_mut() {
            irt.model = skillcat::bank::Model::ThreePl;
            irt.c = Some(0.1 + 0.1 * ((i % 7) as f64 / 7.0));
        }
    }
    bank
}

fn median_and_p90(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let n = times.len();
    (
        times[n / 2].as_secs_f64() * 1e6,
        times[n * 9 / 10].as_secs_f64() * 1e6,
    )
}

fn joint() {
    const DOMAINS: usize = 7;
    const RHO: f64 = 0.6;
    println!();
    println!(
        "joint session: {DOMAINS} domains × 500 items (3PL), every pair ρ = {RHO}, adaptive order; \
         step 21 (one select + one joint update)"
    );
    let banks: Vec<std::sync::Arc<skillcat::Bank>> = (0..DOMAINS)
        .map(|d| std::sync::Arc::new(three_pl_bank(&format!("domain-{d}"), 500, 100 + d as u64)))
        .collect();
    let rows: Vec<Vec<f64>> = (0..DOMAINS)
        .map(|i| {
            (0..DOMAINS)
                .map(|j| if i == j { 1.0 } else { RHO })
                .collect()
        })
        .collect();
    let reps = 300;
    let mut steps = Vec::with_capacity(reps);
    let mut updates = Vec::with_capacity(reps);
    let mut sweeps = Vec::with_capacity(reps);
    for rep in 0..reps {
        let config = SessionConfig {
            seed: rep as u64,
            order: skillcat::session::DomainOrder::Adaptive,
            correlations: Some(rows.clone()),
            stop: StopRule {
                max_items: 100,
                se: None,
                ..Default::default()
            },
            ..Default::default()
        };
        let mut session = Session::new(banks.clone(), config).expect("valid config");
        let mut joint = skillcat::estimate::JointPosterior::new(
            &skillcat::EstimatorConfig::default(),
            &rows.concat(),
            DOMAINS,
        )
        .expect("valid");
        for step in 0..20 {
            let item = session.next_item().expect("items left");
            let correct = (step + rep) % 3 != 0;
            session.record_score(&item.id, correct).expect("pending");
            let d = banks
                .iter()
                .position(|b| b.id == item.domain)
                .expect("a domain");
            let params = banks[d]
                .items
                .iter()
                .find(|i| i.id == item.id)
                .expect("an item")
                .params();
            joint.add(d, &params, correct);
            if step < 19 {
                joint.update();
            }
        }
        // The 20th answer's update, warm-started from the 19th as in a session.
        let start = Instant::now();
        joint.update();
        updates.push(start.elapsed());
        sweeps.push(joint.sweeps());
        let start = Instant::now();
        let item = session.next_item().expect("items left");
        session.record_score(&item.id, true).expect("pending");
        steps.push(start.elapsed());
        black_box(session.estimates());
    }
    sweeps.sort_unstable();
    let (median, p90) = median_and_p90(steps);
    println!("{:>28} {:>12} {:>12}", "", "median µs", "p90 µs");
    println!("{:>28} {median:>12.1} {p90:>12.1}", "select + update");
    let (median, p90) = median_and_p90(updates);
    println!(
        "{:>28} {median:>12.1} {p90:>12.1}   (EP sweeps: median {}, p90 {}, most {})",
        "joint update alone",
        sweeps[reps / 2],
        sweeps[reps * 9 / 10],
        sweeps[reps - 1]
    );
}

fn single_domain() {
    println!("skillcat engine benchmark: one select-next-item + one EAP update after 10 answers");
    println!(
        "{:>8} {:>6} {:>12} {:>12} {:>10}",
        "items", "reps", "median µs", "p90 µs", "target"
    );
    let mut loads = Vec::new();
    for (size, target) in TARGETS {
        let bank = three_pl_bank("bench", size, 42);
        loads.push(load_times(&bank));
        let bank = Arc::new(bank);
        let config = SessionConfig {
            stop: StopRule {
                max_items: 40,
                se: None,
                ..Default::default()
            },
            ..Default::default()
        };
        let reps = if size >= 100_000 { 60 } else { 400 };
        let mut times: Vec<Duration> = Vec::with_capacity(reps);
        for rep in 0..reps {
            let mut session = Session::new(
                vec![Arc::clone(&bank)],
                SessionConfig {
                    seed: rep as u64,
                    ..config.clone()
                },
            )
            .expect("valid config");
            for step in 0..10 {
                let item = session.next_item().expect("bank has items");
                session
                    .record_score(&item.id, step % 3 != 0)
                    .expect("pending item");
            }
            let start = Instant::now();
            let item = session.next_item().expect("bank has items");
            session.record_score(&item.id, true).expect("pending item");
            times.push(start.elapsed());
            black_box(session.estimates());
        }
        times.sort();
        let median = times[reps / 2].as_secs_f64() * 1e6;
        let p90 = times[reps * 9 / 10].as_secs_f64() * 1e6;
        let target = if target.is_nan() {
            "—".to_string()
        } else {
            format!("≤ {target} ({:.2}× of it)", median / target)
        };
        println!("{size:>8} {reps:>6} {median:>12.2} {p90:>12.2} {target:>10}");
    }
    println!();
    println!(
        "{:>8} {:>16} {:>18} {:>18}",
        "items", "from_json ms", "first session ms", "next sessions ms"
    );
    for ((size, _), (read, first, next)) in TARGETS.iter().zip(&loads) {
        println!("{size:>8} {read:>16.1} {first:>18.2} {next:>18.3}");
    }
    println!();
    println!(
        "one selection alone at θ = 0.5 after 10 answers (randomesque 1, nothing else): median µs"
    );
    println!(
        "{:>8} {:>10} {:>12} {:>12} {:>10}",
        "items", "criterion", "full pass", "index", "ratio"
    );
    for (size, _) in TARGETS {
        selection_alone(size);
    }
}

/// Milliseconds to read the bank from its JSON text, to start the first session over it (which
/// builds the selection index) and the median of the next ten (which share it).
fn load_times(bank: &Bank) -> (f64, f64, f64) {
    let text = serde_json::to_string(bank).expect("a bank serialises");
    let start = Instant::now();
    let read = Bank::from_json("bench.json", &text).expect("valid");
    let read_ms = start.elapsed().as_secs_f64() * 1e3;
    let read = Arc::new(read);
    let start = Instant::now();
    black_box(Session::new(vec![Arc::clone(&read)], SessionConfig::default()).expect("valid"));
    let first_ms = start.elapsed().as_secs_f64() * 1e3;
    let mut next: Vec<Duration> = (0..10)
        .map(|seed| {
            let start = Instant::now();
            let config = SessionConfig {
                seed,
                ..Default::default()
            };
            black_box(Session::new(vec![Arc::clone(&read)], config).expect("valid"));
            start.elapsed()
        })
        .collect();
    next.sort();
    (read_ms, first_ms, next[5].as_secs_f64() * 1e3)
}

/// Times `select` against `select_indexed` on one bank, and checks that they agree.
fn selection_alone(size: usize) {
    let bank = Arc::new(three_pl_bank("bench", size, 42));
    let pool = Pool::new(std::slice::from_ref(&bank));
    let index = ItemIndex::new(&pool);
    let flags = pool.status.iter().map(|&s| s == Status::Active).collect();
    let availability = Availability::new(&pool, flags);
    let counts = vec![0; pool.domains[0].topic_shares.len()];
    let request = Request {
        pool: &pool,
        domain: 0,
        available: availability.flags(),
        theta: 0.5,
        answered: 10,
        topic_counts: &counts,
    };
    let shortcut = Shortcut {
        index: &index,
        availability: &availability,
    };
    for criterion in [Criterion::MaxInfo, Criterion::KullbackLeibler] {
        let config = SelectionConfig {
            criterion,
            randomesque: 1,
            sympson_hetter: false,
            content_balancing: false,
        };
        let reps = (2_000_000 / size).clamp(20, 2_000);
        let time = |indexed: bool| {
            let mut times: Vec<Duration> = (0..reps)
                .map(|_| {
                    let mut rng = SeededRng::new(1);
                    let start = Instant::now();
                    black_box(if indexed {
                        select_indexed(&request, shortcut, &config, &mut rng)
                    } else {
                        select(&request, &config, &mut rng)
                    });
                    start.elapsed()
                })
                .collect();
            times.sort();
            times[reps / 2].as_secs_f64() * 1e6
        };
        let mut rng = SeededRng::new(1);
        assert_eq!(
            select(&request, &config, &mut rng),
            select_indexed(&request, shortcut, &config, &mut SeededRng::new(1))
        );
        let (full, fast) = (time(false), time(true));
        let name = format!("{criterion:?}");
        println!(
            "{size:>8} {name:>10} {full:>12.2} {fast:>12.2} {:>9.0}×",
            full / fast
        );
    }
}
