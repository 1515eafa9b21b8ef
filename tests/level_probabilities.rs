//! Level probabilities in estimates and reports: from the domain's posterior, in the bank's
//! level order, summing to 1.

use skillcat::estimate::{Method, Posterior, level_probabilities, normal_cdf};
use skillcat::report::LevelProbability;
use skillcat::{Bank, Session, SessionConfig, StopRule};

fn load(name: &str) -> Bank {
    let path = format!(
        "{}/tests/fixtures/sessions/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    Bank::from_json(name, &text).expect("fixture bank is valid")
}

fn config(method: Method) -> SessionConfig {
    let mut config = SessionConfig {
        seed: 4,
        stop: StopRule {
            max_items: 10,
            se: None,
            ..Default::default()
        },
        pretest_items: 0,
        ..Default::default()
    };
    config.estimator.method = method;
    config
}

fn assert_close(found: &[LevelProbability], expected: &[LevelProbability], tolerance: f64) {
    assert_eq!(found.len(), expected.len());
    for (f, e) in found.iter().zip(expected) {
        assert_eq!(f.name, e.name);
        assert!(
            (f.probability - e.probability).abs() <= tolerance,
            "{found:?} vs {expected:?}"
        );
    }
}

/// Plays a two-domain session, right on odd positions, and after every answer checks each
/// domain's level probabilities against its posterior rebuilt from the answers.
#[test]
fn eap_level_probabilities_come_from_each_domains_posterior() {
    let banks = vec![load("bank.json"), load("second.json")];
    let mut session = Session::new(banks.clone(), config(Method::Eap)).unwrap();
    let estimator = session.config().estimator.clone();
    let mut posteriors = vec![Posterior::new(&estimator); 2];
    let mut position = 0;
    while let Some(item) = session.next_item() {
        position += 1;
        let correct = position % 2 == 1;
        session.record_score(&item.id, correct).unwrap();
        let d = usize::from(item.domain != banks[0].id);
        let params = banks[d].items.iter().find(|i| i.id == item.id).unwrap();
        posteriors[d].add(&params.params(), correct);
        let estimates = session.estimates();
        let report = session.report();
        for (d, bank) in banks.iter().enumerate() {
            let expected =
                level_probabilities(&bank.levels, &|cut| posteriors[d].probability_below(cut));
            let names: Vec<&str> = expected.iter().map(|l| l.name.as_str()).collect();
            assert_eq!(names, ["Foundation", "Practitioner", "Advanced", "Expert"]);
            assert_eq!(estimates[d].level_probabilities, expected);
            assert_eq!(report.domains[d].level_probabilities, expected);
            let total: f64 = expected.iter().map(|l| l.probability).sum();
            assert!((total - 1.0).abs() < 1e-12, "{total}");
        }
    }
    assert!(position >= 20);
}

#[test]
fn other_estimators_take_level_probabilities_from_the_normal_approximation() {
    for method in [Method::Map, Method::Mle, Method::Wle] {
        let bank = load("bank.json");
        let mut session = Session::new(vec![bank.clone()], config(method)).unwrap();
        let mut position = 0;
        while let Some(item) = session.next_item() {
            position += 1;
            session.record_score(&item.id, position % 3 != 0).unwrap();
            let estimate = &session.estimates()[0];
            let (theta, se) = (estimate.theta, estimate.se);
            let expected = level_probabilities(&bank.levels, &|c| normal_cdf((c - theta) / se));
            assert_close(&estimate.level_probabilities, &expected, 0.0);
        }
    }
}

#[test]
fn a_confident_posterior_puts_most_mass_on_the_named_level() {
    // Twelve right answers: the posterior sits high, and the level it names is the likeliest.
    let bank = load("bank.json");
    let mut session = Session::new(vec![bank], config(Method::Eap)).unwrap();
    while let Some(item) = session.next_item() {
        session.record_score(&item.id, true).unwrap();
    }
    let estimate = &session.estimates()[0];
    let likeliest = estimate
        .level_probabilities
        .iter()
        .max_by(|a, b| a.probability.total_cmp(&b.probability))
        .unwrap();
    assert_eq!(Some(&likeliest.name), estimate.level.as_ref());
    assert!(likeliest.probability > 0.5, "{estimate:?}");
}
