//! The engine's accuracy held to the CAT literature: 1,000 simulated learners, θ ~ N(0, 1), a
//! 300-item synthetic 2PL bank (a ~ U(1.0, 2.5), b ~ U(−3, 3), D = 1), fixed length 20,
//! maximum Fisher information with EAP.

use skillcat::select::{Criterion, SelectionConfig};
use skillcat::simulate::{SimulationConfig, SimulationResult, simulate, synthetic_bank};
use skillcat::{SessionConfig, StopRule};

fn study(randomesque: usize) -> SimulationResult {
    let bank = synthetic_bank("sim", 300, (1.0, 2.5), 2024);
    let config = SimulationConfig {
        simulees: 1000,
        seed: 99,
        session: SessionConfig {
            seed: 1,
            stop: StopRule {
                max_items: 20,
                min_items: 20,
                se: None,
                ..Default::default()
            },
            selection: SelectionConfig {
                criterion: Criterion::MaxInfo,
                randomesque,
                sympson_hetter: false,
                content_balancing: false,
            },
            pretest_items: 0,
            ..Default::default()
        },
        ..Default::default()
    };
    simulate(&bank, &config).expect("valid study")
}

#[test]
fn mfi_with_eap_recovers_theta_and_randomesque_spreads_exposure() {
    let plain = study(1);
    println!(
        "k = 1: RMSE {:.4}, bias {:+.4}, max exposure {:.3}, unused {}",
        plain.rmse, plain.bias, plain.max_exposure, plain.never_used
    );
    assert!(plain.simulees.iter().all(|s| s.3 == 20), "fixed length 20");
    assert!(plain.rmse <= 0.35, "RMSE {}", plain.rmse);
    assert!(plain.bias.abs() <= 0.05, "bias {}", plain.bias);

    let spread = study(5);
    println!(
        "k = 5: RMSE {:.4}, bias {:+.4}, max exposure {:.3}, unused {}",
        spread.rmse, spread.bias, spread.max_exposure, spread.never_used
    );
    assert!(
        spread.rmse < plain.rmse * 1.10,
        "RMSE rose from {} to {}",
        plain.rmse,
        spread.rmse
    );
    assert!(
        spread.max_exposure < plain.max_exposure,
        "max exposure {} did not fall below {}",
        spread.max_exposure,
        plain.max_exposure
    );
}
