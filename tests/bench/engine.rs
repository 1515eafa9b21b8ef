//! Benchmark (not a test): the median time of one adaptive step, i.e. one select-next-item plus
//! one ability update, after 10 answers, on synthetic 3PL banks of 500, 10,000 and 100,000
//! items, with the default session settings (EAP, maximum information, randomesque k = 3,
//! content balancing, Sympson-Hetter). Run with `make bench`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use skillcat::simulate::synthetic_bank;
use skillcat::{Session, SessionConfig, StopRule};

/// Targets from the engine issue, in microseconds.
const TARGETS: [(usize, f64); 3] = [(500, 20.0), (10_000, f64::NAN), (100_000, 2000.0)];

fn main() {
    println!("skillcat engine benchmark: one select-next-item + one EAP update after 10 answers");
    println!(
        "{:>8} {:>6} {:>12} {:>12} {:>10}",
        "items", "reps", "median µs", "p90 µs", "target"
    );
    for (size, target) in TARGETS {
        let mut bank = synthetic_bank("bench", size, (0.8, 2.2), 42);
        for (i, item) in bank.items.iter_mut().enumerate() {
            // 3PL: add a guessing parameter.
            if let Some(irt) = item.irt.as_mut() {
                irt.model = skillcat::bank::Model::ThreePl;
                irt.c = Some(0.1 + 0.1 * ((i % 7) as f64 / 7.0));
            }
        }
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
                vec![bank.clone()],
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
}
