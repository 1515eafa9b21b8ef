//! Benchmark (not a test): the time to calibrate 10,000 simulees × 200 items (2PL, complete
//! design, 2,000,000 responses) by MML-EM with the default settings (61 quadrature points on
//! [−6, 6], priors, tolerance 1e-4), with the iteration count, the time per iteration and the
//! machine's CPU. Simulation design as in `tests/calibrate.rs`: θ ~ N(0, 1), a ~ U(0.8, 2.0),
//! b ~ N(0, 1) clipped to ±2.5, items starting from their `medium` label. Run with
//! `make bench`.

use std::time::Instant;

use skillcat::bank::Difficulty;
use skillcat::calibrate::{CalibrationConfig, Responses, calibrate};
use skillcat::irt::Params;
use skillcat::rng::SeededRng;
use skillcat::simulate::{standard_normal, synthetic_bank};

const SIMULEES: usize = 10_000;
const ITEMS: usize = 200;

fn main() {
    let mut rng = SeededRng::new(2024);
    let truth: Vec<Params> = (0..ITEMS)
        .map(|_| {
            let a = 0.8 + 1.2 * rng.uniform();
            Params::two_pl(a, standard_normal(&mut rng).clamp(-2.5, 2.5))
        })
        .collect();
    let mut bank = synthetic_bank("bench", ITEMS, (1.0, 1.0), 1);
    for item in &mut bank.items {
        item.irt = None;
        item.difficulty = Some(Difficulty::Medium);
    }
    let mut responses = Responses::new();
    for learner in 0..SIMULEES {
        let theta = standard_normal(&mut rng);
        let name = format!("s{learner}");
        for (item, params) in bank.items.iter().zip(&truth) {
            responses.push(&name, &item.id, rng.uniform() < params.prob(theta));
        }
    }

    let config = CalibrationConfig::default();
    let start = Instant::now();
    // The last progress report comes after the last M-step; what follows is one more E-step
    // (the final log posterior) and the fit statistics.
    let mut em_done = start;
    let result = calibrate(&bank, &responses, &config, &mut |_| {
        em_done = Instant::now()
    })
    .expect("valid config");
    let elapsed = start.elapsed().as_secs_f64();
    let em = (em_done - start).as_secs_f64();

    let rmse = |field: fn(&Params) -> f64| {
        let sum: f64 = result
            .items
            .iter()
            .zip(&truth)
            .map(|(item, t)| (field(&item.after) - field(t)).powi(2))
            .sum();
        (sum / ITEMS as f64).sqrt()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("skillcat calibration benchmark: 2PL MML-EM, complete design");
    println!("cpu: {} ({threads} threads available)", cpu_model());
    println!(
        "{SIMULEES} simulees x {ITEMS} items = {} responses, {} quadrature points",
        result.responses, config.quadrature_points
    );
    println!(
        "total {elapsed:.2} s: EM {em:.2} s ({} iterations, converged: {}; {:.1} ms per \
         iteration), then final E-step and fit statistics {:.2} s",
        result.iterations,
        result.converged,
        1000.0 * em / result.iterations.max(1) as f64,
        elapsed - em
    );
    println!(
        "recovery: RMSE a {:.4}, RMSE b {:.4}",
        rmse(|p| p.a),
        rmse(|p| p.b)
    );
}

/// The CPU model from `/proc/cpuinfo` (Linux), or what is known elsewhere.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, name)| name.trim().to_string())
        })
        .unwrap_or_else(|| format!("unknown ({})", std::env::consts::ARCH))
}
