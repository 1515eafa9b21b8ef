//! The estimators and item functions against catR, through its Python translation catpie.
//!
//! `tests/reference/catpie_fixtures.json` was written by `tests/reference/make_catpie_fixtures.py`
//! (see its docstring for the command); this test needs no Python. Every comparison runs over
//! all fixtures and reports every pattern that fails, not only the first.
//!
//! MAP, MLE and WLE are compared twice: with catR's own output (`catr_theta`, found by
//! bisection to 1.22e-4, so within `CATR_ROOT`) and with the root of catpie's score function
//! solved to 1e-13 by catpie (`theta`, within `REFINED_ROOT`). SEs likewise: catpie's
//! `semTheta` ("classic") at catR's estimate (within `CATR_ROOT`) and at the refined root.

use serde::Deserialize;
use skillcat::Params;
use skillcat::estimate::{self, Estimate, EstimatorConfig, Method, Posterior, Scored};

/// Probability and information: the same closed forms, so only rounding differs.
const ITEM_FUNCTION: f64 = 1e-12;
/// EAP and its SE on the same grid with the same trapezoid rule.
const EAP: f64 = 1e-9;
/// MAP, MLE and WLE against catR's own output, which bisection leaves within 6.1e-5 of the
/// root for a range of width 8 (7.6e-5 for width 10).
const CATR_ROOT: f64 = 1e-4;
/// MAP, MLE and WLE and their SEs against the same root solved tightly.
const REFINED_ROOT: f64 = 1e-8;

const FIXTURES: &str = include_str!("reference/catpie_fixtures.json");

#[derive(Deserialize)]
struct Fixtures {
    catpie_version: String,
    #[serde(rename = "D")]
    d: f64,
    default_config: EstimatorConfig,
    item_functions: Vec<ItemFunction>,
    patterns: Vec<Pattern>,
}

#[derive(Deserialize)]
struct ItemFunction {
    item: [f64; 4],
    theta: f64,
    p: f64,
    info: f64,
}

#[derive(Deserialize)]
struct Pattern {
    name: String,
    config: EstimatorConfig,
    items: Vec<[f64; 4]>,
    responses: Vec<u8>,
    eap: Reference,
    map: ModeReference,
    mle: ModeReference,
    wle: ModeReference,
}

#[derive(Deserialize)]
struct Reference {
    theta: f64,
    se: f64,
}

#[derive(Deserialize)]
struct ModeReference {
    theta: f64,
    se: f64,
    catr_theta: f64,
    catr_se: f64,
    score_sign_changes: usize,
}

fn fixtures() -> Fixtures {
    serde_json::from_str(FIXTURES).expect("tests/reference/catpie_fixtures.json parses")
}

fn params([a, b, c, d]: [f64; 4]) -> Params {
    Params { a, b, c, d }
}

impl Pattern {
    fn scored(&self) -> Vec<Scored> {
        self.items
            .iter()
            .zip(&self.responses)
            .map(|(&item, &x)| Scored {
                params: params(item),
                correct: x == 1,
            })
            .collect()
    }

    fn config(&self, method: Method) -> EstimatorConfig {
        EstimatorConfig {
            method,
            ..self.config.clone()
        }
    }
}

/// Collects failures so that one run names every pattern that disagrees.
#[derive(Default)]
struct Check {
    failures: Vec<String>,
    max_diff: f64,
}

impl Check {
    fn close(&mut self, what: &str, ours: f64, reference: f64, tolerance: f64) {
        let diff = (ours - reference).abs();
        self.max_diff = self.max_diff.max(diff);
        if diff.is_nan() || diff > tolerance {
            self.failures.push(format!(
                "{what}: ours {ours:.15} catpie {reference:.15} (|diff| {diff:.2e} > {tolerance:.0e})"
            ));
        }
    }

    fn finish(self, quantity: &str) {
        println!("{quantity}: max |diff| = {:.3e}", self.max_diff);
        assert!(
            self.failures.is_empty(),
            "{quantity} disagrees with catpie for {} case(s):\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

#[test]
fn fixtures_cover_1pl_to_4pl_and_extreme_patterns() {
    let fixtures = fixtures();
    assert_eq!(
        fixtures.d, 1.0,
        "fixtures must use the logistic metric D = 1"
    );
    assert_eq!(fixtures.default_config, EstimatorConfig::default());
    assert!(!fixtures.catpie_version.is_empty());
    assert!(fixtures.patterns.len() >= 20);
    let any = |test: &dyn Fn(&Pattern) -> bool| fixtures.patterns.iter().any(test);
    let all_items = |p: &Pattern, test: &dyn Fn(&[f64; 4]) -> bool| p.items.iter().all(test);
    let any_item = |p: &Pattern, test: &dyn Fn(&[f64; 4]) -> bool| p.items.iter().any(test);
    assert!(
        any(&|p| all_items(p, &|i| i[0] == 1.0 && i[2] == 0.0 && i[3] == 1.0)),
        "1PL"
    );
    assert!(
        any(&|p| all_items(p, &|i| i[0] != 1.0 && i[2] == 0.0 && i[3] == 1.0)),
        "2PL"
    );
    assert!(
        any(&|p| any_item(p, &|i| i[2] > 0.0 && i[3] == 1.0)),
        "3PL with c > 0"
    );
    assert!(any(&|p| any_item(p, &|i| i[3] < 1.0)), "4PL with d < 1");
    assert!(any(&|p| p.responses.iter().all(|&x| x == 1)), "all correct");
    assert!(any(&|p| p.responses.iter().all(|&x| x == 0)), "all wrong");
    assert!(
        any(&|p| p.config != fixtures.default_config),
        "a non-default prior and grid"
    );
    // Each reference estimate is the only root of its score equation, or there is none and
    // catR returns a bound: the comparison never depends on which of several roots is taken.
    for p in &fixtures.patterns {
        for (method, m) in [("map", &p.map), ("mle", &p.mle), ("wle", &p.wle)] {
            assert!(
                m.score_sign_changes <= 1,
                "{}: {method} has several roots",
                p.name
            );
        }
    }
}

#[test]
fn probability_and_information_match_catr_for_1pl_to_4pl_items() {
    let fixtures = fixtures();
    let (mut p, mut info) = (Check::default(), Check::default());
    for f in &fixtures.item_functions {
        let item = params(f.item);
        let what = format!("item {:?} at theta {}", f.item, f.theta);
        p.close(&what, item.prob(f.theta), f.p, ITEM_FUNCTION);
        info.close(&what, item.info(f.theta), f.info, ITEM_FUNCTION);
    }
    p.finish("probability");
    info.finish("information");
}

#[test]
fn eap_matches_catr_for_all_patterns() {
    let (mut theta, mut se) = (Check::default(), Check::default());
    for pattern in fixtures().patterns {
        let ours = estimate::eap(&pattern.config(Method::Eap), &pattern.scored());
        theta.close(&pattern.name, ours.theta, pattern.eap.theta, EAP);
        se.close(&pattern.name, ours.se, pattern.eap.se, EAP);
    }
    theta.finish("EAP theta");
    se.finish("EAP SE");
}

#[test]
fn incremental_posterior_matches_catr_eap_for_all_patterns() {
    let mut check = Check::default();
    for pattern in fixtures().patterns {
        let mut posterior = Posterior::new(&pattern.config(Method::Eap));
        for response in pattern.scored() {
            posterior.add(&response.params, response.correct);
        }
        let ours = posterior.estimate();
        check.close(&pattern.name, ours.theta, pattern.eap.theta, EAP);
        check.close(&pattern.name, ours.se, pattern.eap.se, EAP);
    }
    check.finish("incremental EAP");
}

/// Compares one mode estimator (MAP, MLE or WLE) with catR's and with the refined root.
fn compare_mode(
    label: &str,
    estimator: fn(&EstimatorConfig, &[Scored]) -> Estimate,
    reference: fn(&Pattern) -> &ModeReference,
) {
    let (mut catr, mut catr_se) = (Check::default(), Check::default());
    let (mut theta, mut se) = (Check::default(), Check::default());
    for pattern in fixtures().patterns {
        let ours = estimator(&pattern.config, &pattern.scored());
        let r = reference(&pattern);
        catr.close(&pattern.name, ours.theta, r.catr_theta, CATR_ROOT);
        catr_se.close(&pattern.name, ours.se, r.catr_se, CATR_ROOT);
        theta.close(&pattern.name, ours.theta, r.theta, REFINED_ROOT);
        se.close(&pattern.name, ours.se, r.se, REFINED_ROOT);
    }
    catr.finish(&format!("{label} theta vs catR thetaEst"));
    catr_se.finish(&format!("{label} SE vs catR semTheta at catR's theta"));
    theta.finish(&format!("{label} theta vs refined root"));
    se.finish(&format!("{label} SE vs catR semTheta"));
}

#[test]
fn map_matches_catr_bm_for_all_patterns() {
    compare_mode("MAP", estimate::map, |p| &p.map);
}

#[test]
fn mle_matches_catr_ml_for_all_patterns_including_range_bounds() {
    compare_mode("MLE", estimate::mle, |p| &p.mle);
}

#[test]
fn wle_matches_catr_wl_for_all_patterns() {
    compare_mode("WLE", estimate::wle, |p| &p.wle);
}

#[test]
fn catr_puts_mle_of_extreme_patterns_at_the_bound_where_the_policy_uses_eap() {
    for pattern in fixtures().patterns {
        let correct = pattern.responses.iter().filter(|&&x| x == 1).count();
        if correct != 0 && correct != pattern.responses.len() {
            continue;
        }
        let bound = if correct == 0 {
            pattern.config.min_theta
        } else {
            pattern.config.max_theta
        };
        assert_eq!(pattern.mle.catr_theta, bound, "{}", pattern.name);
        let scored = pattern.scored();
        assert_eq!(
            estimate::mle(&pattern.config, &scored).theta,
            bound,
            "{}",
            pattern.name
        );
        for method in [Method::Mle, Method::Wle] {
            let config = pattern.config(method);
            let policy = estimate::estimate(&config, &scored);
            assert_eq!(
                policy,
                estimate::eap(&config, &scored),
                "{}: {method:?}",
                pattern.name
            );
        }
    }
}
