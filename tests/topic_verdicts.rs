//! Topic verdicts do not flag topics by chance, and still find a real strength.
//!
//! Simulated learners take the bundled banks with the element's settings (20 scored questions
//! per domain, at least 5, SE ≤ 0.3, two pretest questions); every answer is drawn from the
//! item's own model at the learner's true θ, so no topic truly differs from the domain
//! estimate and every flagged topic is a chance finding. Then learners with one real strength
//! (one topic answered as by a learner 2.5 logits abler) take longer tests.

use std::sync::Arc;

use skillcat::bank::Bank;
use skillcat::report::TopicVerdict;
use skillcat::rng::SeededRng;
use skillcat::{Session, SessionConfig, StopRule};

const BANKS: [&str; 7] = [
    "cloud",
    "cybersecurity",
    "data-governance",
    "genai-ml",
    "interoperability",
    "regulation",
    "secure-dev",
];

fn bank(id: &str) -> Arc<Bank> {
    let path = format!("{}/quizbanks/{id}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("bundled bank");
    Arc::new(Bank::from_json(&path, &text).expect("valid bank"))
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut SeededRng) -> f64 {
    let u = 1.0 - rng.uniform();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * rng.uniform()).cos()
}

/// One test of `bank` by a learner of ability `theta`, answering the items of `strong_topic`
/// as a learner of `theta + boost` would; the verdicts of the bank's topics at the end.
fn take_test(
    bank: &Arc<Bank>,
    max_items: usize,
    theta: f64,
    strong_topic: Option<(&str, f64)>,
    seed: u64,
) -> Vec<(String, TopicVerdict)> {
    let config = SessionConfig {
        seed,
        stop: StopRule {
            max_items,
            min_items: 5.min(max_items),
            ..Default::default()
        },
        pretest_items: 2,
        ..Default::default()
    };
    let mut session = Session::new(vec![bank.clone()], config).expect("valid session");
    let mut rng = SeededRng::new(seed ^ 0x5eed);
    while let Some(view) = session.next_item() {
        let item = bank.items.iter().find(|i| i.id == view.id).expect("item");
        let boost = match strong_topic {
            Some((topic, boost)) if topic == item.topic => boost,
            _ => 0.0,
        };
        let right = rng.uniform() < item.params().prob(theta + boost);
        session.record_score(&view.id, right).expect("scored");
    }
    let report = session.report();
    report.domains[0]
        .topics
        .iter()
        .map(|t| (t.topic.clone(), t.verdict))
        .collect()
}

/// Chance findings per test when no topic truly differs, over every bundled bank.
fn chance_findings(max_items: usize, tests_per_bank: usize) -> (usize, usize) {
    let (mut tests, mut flagged, mut judged, mut topics) = (0, 0, 0, 0);
    for (b, id) in BANKS.iter().enumerate() {
        let bank = bank(id);
        let mut rng = SeededRng::new(1000 + b as u64);
        for n in 0..tests_per_bank {
            let theta = normal(&mut rng);
            let seed = (max_items * 1_000_000 + b * 10_000 + n) as u64;
            let verdicts = take_test(&bank, max_items, theta, None, seed);
            tests += 1;
            topics += verdicts.len();
            for (_, verdict) in verdicts {
                match verdict {
                    TopicVerdict::Strength | TopicVerdict::Gap => flagged += 1,
                    TopicVerdict::AsExpected => judged += 1,
                    TopicVerdict::TooFewItems => {}
                }
            }
        }
    }
    println!(
        "{tests} tests of up to {max_items} questions, no topic effects: {flagged} topics flagged \
         ({:.3} per test); {judged} of {topics} topics judged and found as expected",
        flagged as f64 / tests as f64
    );
    (flagged, tests)
}

#[test]
fn learners_without_topic_strengths_get_at_most_one_flagged_topic_in_ten_tests() {
    for (max_items, tests_per_bank) in [(20, 100), (60, 30)] {
        let (flagged, tests) = chance_findings(max_items, tests_per_bank);
        assert!(
            flagged * 10 <= tests,
            "{flagged} chance findings in {tests} tests of up to {max_items} questions"
        );
    }
}

/// In `runs` tests of up to `max_items` questions of the cybersecurity bank, by learners of
/// ability uniform in `thetas` who answer topic `strong` as a learner `boost` logits abler
/// would: how often `strong` is found a strength, and the false-discovery proportion (other
/// topics flagged over all topics flagged, 0 in a test with none) averaged over the tests.
fn strength_found(
    strong: &str,
    boost: f64,
    thetas: (f64, f64),
    max_items: usize,
    runs: u64,
) -> (u64, f64) {
    let bank = bank("cybersecurity");
    let mut rng = SeededRng::new(77);
    let (mut found, mut others, mut false_share) = (0u64, 0u32, 0.0);
    for n in 0..runs {
        let theta = thetas.0 + (thetas.1 - thetas.0) * rng.uniform();
        let verdicts = take_test(&bank, max_items, theta, Some((strong, boost)), 50_000 + n);
        let (mut right, mut wrong) = (0u32, 0u32);
        for (topic, verdict) in verdicts {
            match (topic == strong, verdict) {
                (true, TopicVerdict::Strength) => right += 1,
                (false, TopicVerdict::Strength | TopicVerdict::Gap) => wrong += 1,
                _ => {}
            }
        }
        found += u64::from(right);
        others += wrong;
        if wrong > 0 {
            false_share += f64::from(wrong) / f64::from(right + wrong);
        }
    }
    let fdr = false_share / runs as f64;
    println!(
        "{runs} tests of up to {max_items} questions, θ ~ U({}, {}), topic \"{strong}\" at θ + \
         {boost}: found in {found}; {others} other topics flagged; false-discovery proportion \
         {fdr:.3}",
        thetas.0, thetas.1
    );
    (found, fdr)
}

#[test]
fn a_mastered_topic_is_found_a_strength_in_a_long_test() {
    // Learners below average who have mastered one topic: every answer in it right.
    let runs = 100;
    let below_average = (-2.0, -0.5);
    let (found, fdr) = strength_found("ransomware", f64::INFINITY, below_average, 60, runs);
    assert!(found >= 60, "found in only {found} of {runs} tests");
    assert!(
        fdr <= skillcat::report::TOPIC_FDR,
        "false-discovery proportion {fdr}"
    );
    // Smaller differences, abler learners and shorter tests give the weakly discriminating
    // label-parameter items (a = 1, c = 1/4) less to go on: printed, not asserted.
    strength_found("ransomware", f64::INFINITY, (-0.5, 1.0), 60, runs);
    strength_found("ransomware", 2.5, below_average, 60, runs);
    strength_found("ransomware", f64::INFINITY, below_average, 20, runs);
}
