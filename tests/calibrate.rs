//! Item calibration held to parameter recovery on data simulated with the engine's own
//! response functions, and the readers and the command line held to their exact messages.
//!
//! # Simulation design
//!
//! Simulees θ ~ N(0, 1); 2PL items with a ~ U(0.8, 2.0) and b ~ N(0, 1) clipped to [−2.5, 2.5]
//! (a realistic spread for a calibrated bank on the D = 1 metric); responses drawn with
//! `Params::prob` from a seeded generator. Items start from their difficulty label (`medium`:
//! a = 1, b = 0), not from the truth. Default settings (priors included).
//!
//! | case | design | bound on RMSE |
//! |---|---|---|
//! | 2PL, complete | 2,000 × 60 | b ≤ 0.15, a ≤ 0.2 (the issue's) |
//! | 2PL, sparse | 2,000 × 60, each simulee answers a random 50% | b ≤ 0.2, a ≤ 0.25 |
//! | 3PL, complete | 3,000 × 40, c = 0.2 | b ≤ 0.2, a ≤ 0.25, c ≤ 0.05 |
//! | 1PL, complete | 1,000 × 30, a = 1 | b ≤ 0.12 |

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use skillcat::bank::{Difficulty, Model};
use skillcat::calibrate::{
    Calibrated, CalibrationConfig, Flag, Location, Responses, Warning, calibrate, updated_bank,
};
use skillcat::irt::Params;
use skillcat::rng::SeededRng;
use skillcat::simulate::{standard_normal, synthetic_bank};
use skillcat::{Bank, Error};

/// Items with the design's 2PL parameters (c = `c` for every item).
fn true_items(n: usize, c: f64, seed: u64) -> Vec<Params> {
    let mut rng = SeededRng::new(seed);
    (0..n)
        .map(|_| {
            let a = 0.8 + 1.2 * rng.uniform();
            let b = standard_normal(&mut rng).clamp(-2.5, 2.5);
            Params::three_pl(a, b, c)
        })
        .collect()
}

/// A bank of `n` uncalibrated four-option items labelled `medium`.
fn label_bank(n: usize) -> Bank {
    let mut bank = synthetic_bank("sim", n, (1.0, 1.0), 7);
    for item in &mut bank.items {
        item.irt = None;
        item.difficulty = Some(Difficulty::Medium);
    }
    bank
}

/// Responses of `simulees` learners θ ~ N(0, 1), each answering each item with probability
/// `share` (1 for a complete design).
fn simulate(bank: &Bank, truth: &[Params], simulees: usize, share: f64, seed: u64) -> Responses {
    let mut rng = SeededRng::new(seed);
    let mut responses = Responses::new();
    for learner in 0..simulees {
        let theta = standard_normal(&mut rng);
        let name = format!("s{learner}");
        for (item, params) in bank.items.iter().zip(truth) {
            if share < 1.0 && rng.uniform() >= share {
                continue;
            }
            let correct = rng.uniform() < params.prob(theta);
            responses.push(&name, &item.id, correct);
        }
    }
    responses
}

fn rmse(result: &Calibrated, truth: &[Params], field: fn(&Params) -> f64) -> f64 {
    let sum: f64 = result
        .items
        .iter()
        .zip(truth)
        .map(|(item, t)| (field(&item.after) - field(t)).powi(2))
        .sum();
    (sum / truth.len() as f64).sqrt()
}

fn run(bank: &Bank, responses: &Responses, model: Model) -> Calibrated {
    let config = CalibrationConfig {
        model,
        ..Default::default()
    };
    run_with(bank, responses, &config)
}

fn run_with(bank: &Bank, responses: &Responses, config: &CalibrationConfig) -> Calibrated {
    let mut iterations = 0;
    let result = calibrate(bank, responses, config, &mut |p| iterations = p.iteration)
        .expect("valid config");
    assert_eq!(iterations, result.iterations);
    assert_finite(&result);
    result
}

/// Every number a calibration reports is finite.
fn assert_finite(result: &Calibrated) {
    assert!(result.max_change.is_finite() && result.log_posterior.is_finite());
    for item in &result.items {
        for p in [item.before, item.after] {
            assert!(
                [p.a, p.b, p.c, p.d].iter().all(|x| x.is_finite()),
                "{}: {p:?}",
                item.id
            );
        }
        let s = &item.stats;
        let numbers = [s.p, s.point_biserial].into_iter().chain(
            [s.infit, s.outfit]
                .into_iter()
                .flatten()
                .flat_map(|m| [Some(m.msq), Some(m.z)]),
        );
        for x in numbers.flatten() {
            assert!(x.is_finite(), "{}: {s:?}", item.id);
        }
    }
}

#[test]
fn two_pl_recovery_on_a_complete_design_without_false_flags() {
    let truth = true_items(60, 0.0, 11);
    let bank = label_bank(60);
    let responses = simulate(&bank, &truth, 2000, 1.0, 12);
    let result = run(&bank, &responses, Model::TwoPl);
    let (rmse_a, rmse_b) = (
        rmse(&result, &truth, |p| p.a),
        rmse(&result, &truth, |p| p.b),
    );
    println!(
        "2PL complete 2000 x 60: RMSE a {rmse_a:.4}, b {rmse_b:.4}, {} iterations",
        result.iterations
    );
    assert!(result.converged);
    assert!(result.items.iter().all(|i| i.estimated));
    assert!(rmse_b <= 0.15, "RMSE of b {rmse_b}");
    assert!(rmse_a <= 0.2, "RMSE of a {rmse_a}");
    // The data fit the model, so nothing is flagged and the statistics say so.
    for item in &result.items {
        assert_eq!(item.flags, [], "{}: {:?}", item.id, item.stats);
        let infit = item.stats.infit.expect("defined").msq;
        assert!((0.9..1.1).contains(&infit), "{}: infit {infit}", item.id);
        assert!(
            item.stats.point_biserial.expect("defined") > 0.2,
            "{}",
            item.id
        );
    }
}

#[test]
fn two_pl_recovery_on_a_sparse_design() {
    let truth = true_items(60, 0.0, 21);
    let bank = label_bank(60);
    let responses = simulate(&bank, &truth, 2000, 0.5, 22);
    let result = run(&bank, &responses, Model::TwoPl);
    let (rmse_a, rmse_b) = (
        rmse(&result, &truth, |p| p.a),
        rmse(&result, &truth, |p| p.b),
    );
    println!(
        "2PL sparse 50% 2000 x 60: RMSE a {rmse_a:.4}, b {rmse_b:.4}, {} iterations",
        result.iterations
    );
    assert!(result.converged);
    assert!(rmse_b <= 0.2, "RMSE of b {rmse_b}");
    assert!(rmse_a <= 0.25, "RMSE of a {rmse_a}");
}

#[test]
fn three_pl_recovery_sanity() {
    let truth = true_items(40, 0.2, 31);
    let bank = label_bank(40);
    let responses = simulate(&bank, &truth, 3000, 1.0, 32);
    let result = run(&bank, &responses, Model::ThreePl);
    let (rmse_a, rmse_b, rmse_c) = (
        rmse(&result, &truth, |p| p.a),
        rmse(&result, &truth, |p| p.b),
        rmse(&result, &truth, |p| p.c),
    );
    println!(
        "3PL complete 3000 x 40: RMSE a {rmse_a:.4}, b {rmse_b:.4}, c {rmse_c:.4}, {} iterations",
        result.iterations
    );
    assert!(result.converged);
    assert!(rmse_a <= 0.25, "RMSE of a {rmse_a}");
    assert!(rmse_b <= 0.2, "RMSE of b {rmse_b}");
    assert!(rmse_c <= 0.05, "RMSE of c {rmse_c}");
}

#[test]
fn one_pl_recovers_b_with_a_fixed_at_one() {
    let truth: Vec<Params> = true_items(30, 0.0, 51)
        .iter()
        .map(|p| Params::two_pl(1.0, p.b))
        .collect();
    let bank = label_bank(30);
    let responses = simulate(&bank, &truth, 1000, 1.0, 52);
    let result = run(&bank, &responses, Model::OnePl);
    let rmse_b = rmse(&result, &truth, |p| p.b);
    println!("1PL complete 1000 x 30: RMSE b {rmse_b:.4}");
    assert!(
        result
            .items
            .iter()
            .all(|i| i.after.a == 1.0 && i.after.c == 0.0)
    );
    assert!(rmse_b <= 0.12, "RMSE of b {rmse_b}");
}

#[test]
fn accelerated_and_plain_em_reach_the_same_estimates() {
    let truth = true_items(20, 0.0, 61);
    let bank = label_bank(20);
    let responses = simulate(&bank, &truth, 600, 0.7, 62);
    let config = |accelerate| CalibrationConfig {
        tolerance: 1e-7,
        accelerate,
        ..Default::default()
    };
    let fast = run_with(&bank, &responses, &config(true));
    let plain = run_with(&bank, &responses, &config(false));
    println!(
        "iterations: SQUAREM {}, plain EM {}",
        fast.iterations, plain.iterations
    );
    assert!(fast.converged && plain.converged);
    assert!(fast.iterations * 2 < plain.iterations);
    for (f, p) in fast.items.iter().zip(&plain.items) {
        assert!((f.after.a - p.after.a).abs() < 1e-5, "{}", f.id);
        assert!((f.after.b - p.after.b).abs() < 1e-5, "{}", f.id);
    }
    assert!((fast.log_posterior - plain.log_posterior).abs() < 1e-6);
}

#[test]
fn plain_em_never_lowers_the_log_posterior() {
    let truth = true_items(15, 0.15, 71);
    let bank = label_bank(15);
    let responses = simulate(&bank, &truth, 500, 0.6, 72);
    for model in [Model::OnePl, Model::TwoPl, Model::ThreePl] {
        let config = CalibrationConfig {
            model,
            accelerate: false,
            max_iterations: 60,
            ..Default::default()
        };
        let mut trace = Vec::new();
        let result = calibrate(&bank, &responses, &config, &mut |p| {
            trace.push(p.log_posterior)
        })
        .expect("valid config");
        trace.push(result.log_posterior);
        for pair in trace.windows(2) {
            assert!(
                pair[1] >= pair[0] - 1e-9,
                "{model:?}: {} -> {}",
                pair[0],
                pair[1]
            );
        }
    }
}

#[test]
fn misfit_finds_items_that_break_the_model() {
    // 1PL data (a = 1) with four items that break it: far sharper (a = 4), noise (a = 0), sharp
    // and hard (a = 4, b = 1.5), and a wrong key (a = −0.5).
    let mut truth: Vec<Params> = true_items(30, 0.0, 81)
        .iter()
        .map(|p| Params::two_pl(1.0, p.b))
        .collect();
    truth[0] = Params::two_pl(4.0, 0.0);
    truth[1] = Params::two_pl(0.0, 0.0);
    truth[2] = Params::two_pl(4.0, 1.5);
    truth[3] = Params::two_pl(-0.5, 0.0);
    let bank = label_bank(30);
    let responses = simulate(&bank, &truth, 1500, 1.0, 82);
    let result = run(&bank, &responses, Model::OnePl);
    let infit = |i: usize| result.items[i].stats.infit.expect("defined");
    let outfit = |i: usize| result.items[i].stats.outfit.expect("defined");
    assert!(infit(0).msq < 0.8 && infit(0).z < -2.0, "{:?}", infit(0));
    assert!(infit(1).msq > 1.2 && infit(1).z > 2.0, "{:?}", infit(1));
    assert!(outfit(2).msq < 0.8 && outfit(2).z < -2.0, "{:?}", outfit(2));
    assert!(infit(3).msq > 1.2 && infit(3).z > 2.0, "{:?}", infit(3));
    assert!(result.items[3].stats.point_biserial.expect("defined") < 0.0);
    let misfits: Vec<usize> = (0..30)
        .filter(|&i| result.items[i].flags.contains(&Flag::Misfit))
        .collect();
    assert_eq!(misfits, [0, 1, 2, 3]);

    // 2PL: the noise item gets a tiny a and is flagged for it.
    let result = run(&bank, &responses, Model::TwoPl);
    assert!(result.items[1].after.a < 0.3, "{:?}", result.items[1].after);
    assert!(result.items[1].flags.contains(&Flag::LowDiscrimination));
}

#[test]
fn items_without_enough_usable_responses_keep_their_parameters() {
    let truth = true_items(8, 0.0, 91);
    let mut bank = label_bank(10);
    bank.items[8].difficulty = Some(Difficulty::Easy);
    bank.items[9].difficulty = Some(Difficulty::Hard);
    let mut responses = simulate(&bank, &truth, 400, 1.0, 92);
    for learner in 0..400 {
        // Item 8: everyone right; item 9: only 60 responses; an item the bank lacks.
        responses.push(&format!("s{learner}"), "sim-000008", true);
        if learner < 60 {
            responses.push(&format!("s{learner}"), "sim-000009", learner % 2 == 0);
        }
        if learner < 3 {
            responses.push(&format!("s{learner}"), "gone-01", true);
        }
    }
    let result = run(&bank, &responses, Model::TwoPl);
    let (easy, few) = (&result.items[8], &result.items[9]);
    assert!(!easy.estimated && !few.estimated);
    assert_eq!(easy.after, bank.items[8].params());
    assert_eq!(easy.after.b, -1.5);
    assert_eq!(few.after, bank.items[9].params());
    assert_eq!(easy.flags, [Flag::AllCorrect, Flag::TooEasy]);
    assert_eq!(few.flags, [Flag::TooFew]);
    assert_eq!((few.stats.n, few.stats.correct), (60, 30));
    assert!(result.items[..8].iter().all(|i| i.estimated));
    assert_eq!(
        result.warnings,
        [Warning {
            source: String::new(),
            location: None,
            message: "item `gone-01` is not in bank `sim`; 3 responses left out".into(),
        }]
    );
    assert_eq!(result.responses, 400 * 9 + 60);
}

#[test]
fn degenerate_data_gives_finite_results_without_panicking() {
    let bank = label_bank(4);
    let config = |model| CalibrationConfig {
        model,
        min_responses: 1,
        ..Default::default()
    };
    for model in [Model::OnePl, Model::TwoPl, Model::ThreePl] {
        // No responses at all.
        let result = run_with(&bank, &Responses::new(), &config(model));
        assert!(
            result
                .items
                .iter()
                .all(|i| i.flags == [Flag::TooFew] && !i.estimated)
        );
        assert_eq!(result.iterations, 0);
        // One learner, one response each; two learners with a perfect Guttman pattern.
        let mut responses = Responses::new();
        responses.push("solo", "sim-000000", true);
        responses.push("solo", "sim-000001", false);
        responses.push("x", "sim-000002", true);
        responses.push("y", "sim-000002", false);
        responses.push("x", "sim-000003", true);
        responses.push("y", "sim-000003", false);
        let result = run_with(&bank, &responses, &config(model));
        assert!(result.items[2].estimated && result.items[3].estimated);
        let text = serde_json::to_string_pretty(&bank).expect("serialisable");
        let updated = updated_bank(&text, "b", &result);
        assert!(updated.is_ok(), "{updated:?}");
    }
}

#[test]
fn settings_out_of_range_are_refused_with_the_field_named() {
    let refused = |config: CalibrationConfig| match calibrate(
        &label_bank(2),
        &Responses::new(),
        &config,
        &mut |_| {},
    ) {
        Err(Error::InvalidConfig(message)) => message,
        other => panic!("{other:?}"),
    };
    let defaults = CalibrationConfig::default;
    assert_eq!(
        refused(CalibrationConfig {
            max_iterations: 0,
            ..defaults()
        }),
        "calibration.maxIterations: must be at least 1"
    );
    assert_eq!(
        refused(CalibrationConfig {
            quadrature_points: 3,
            ..defaults()
        }),
        "calibration.quadraturePoints: must be from 5 to 401"
    );
    assert_eq!(
        refused(CalibrationConfig {
            tolerance: f64::NAN,
            ..defaults()
        }),
        "calibration.tolerance: must be a positive number"
    );
}

#[test]
fn a_4pl_calibration_is_refused_with_the_field_named() {
    let config = CalibrationConfig {
        model: Model::FourPl,
        ..Default::default()
    };
    let error = calibrate(&label_bank(2), &Responses::new(), &config, &mut |_| {});
    assert_eq!(
        error.map(|_| ()),
        Err(Error::InvalidConfig(
            "calibration.model: 4PL is not calibrated; use 1PL, 2PL or 3PL".into()
        ))
    );
}

/// A small bank written by hand: one-space indentation, members in an order of the author's
/// own, an integer topic weight, a labelled item and an item with a 1PL calibration.
const TINY_BANK: &str = r#"{
 "format": "skillcat-bank/1",
 "id": "tiny",
 "title": "Tiny",
 "description": "Two items.",
 "version": "3",
 "language": "en",
 "topics": [
  {
   "title": "Basics",
   "id": "basics",
   "weight": 2
  }
 ],
 "levels": [
  {
   "name": "All"
  }
 ],
 "items": [
  {
   "id": "t-1",
   "type": "single",
   "topic": "basics",
   "stem": "One?",
   "options": [
    {
     "text": "Yes"
    },
    {
     "text": "No",
     "feedback": "Not this one."
    }
   ],
   "key": [
    0
   ],
   "difficulty": "easy",
   "status": "active"
  },
  {
   "id": "t-2",
   "type": "true_false",
   "topic": "basics",
   "irt": {
    "model": "1PL",
    "b": 0.5
   },
   "stem": "Two?",
   "options": [
    {
     "text": "True"
    },
    {
     "text": "False"
    }
   ],
   "key": [
    1
   ]
  }
 ]
}
"#;

#[test]
fn updated_bank_changes_only_irt_and_version_and_keeps_the_authors_layout() {
    let bank = Bank::from_json("tiny.json", TINY_BANK).expect("valid");
    let truth = [Params::two_pl(1.5, -1.0), Params::two_pl(0.9, 0.7)];
    let responses = simulate(&bank, &truth, 400, 1.0, 102);
    let result = run(&bank, &responses, Model::TwoPl);
    assert!(result.items.iter().all(|i| i.estimated));
    let updated = updated_bank(TINY_BANK, "tiny.json", &result).expect("valid");

    let number = |x: f64| serde_json::to_string(&((x * 1000.0).round() / 1000.0)).expect("json");
    let irt = |i: usize, indent: &str| {
        let p = result.items[i].after;
        format!(
            "\"irt\": {{\n{indent} \"model\": \"2PL\",\n{indent} \"a\": {},\n{indent} \"b\": {}\n{indent}}}",
            number(p.a),
            number(p.b)
        )
    };
    let expected = TINY_BANK
        .replace("\"version\": \"3\"", "\"version\": \"3+cal.1\"")
        .replace(
            "\"difficulty\": \"easy\",\n",
            &format!("\"difficulty\": \"easy\",\n   {},\n", irt(0, "   ")),
        )
        .replace(
            "\"irt\": {\n    \"model\": \"1PL\",\n    \"b\": 0.5\n   }",
            &irt(1, "   "),
        );
    assert_eq!(updated, expected);
    Bank::from_json("tiny.json", &updated).expect("valid");

    let again = updated_bank(&updated, "tiny.json", &result).expect("valid");
    assert!(again.contains("\"version\": \"3+cal.2\""));
    // Nothing recalibrated: the text comes back as it was.
    let nothing = run_with(&bank, &Responses::new(), &CalibrationConfig::default());
    assert_eq!(
        updated_bank(TINY_BANK, "tiny.json", &nothing).expect("valid"),
        TINY_BANK
    );
}

// Readers.

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/calibrate")
}

fn read_fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).expect("fixture")
}

fn triples(responses: &Responses) -> Vec<(String, String, bool)> {
    responses
        .records()
        .iter()
        .map(|r| {
            (
                responses.learner(r.learner).into(),
                responses.item(r.item).into(),
                r.correct,
            )
        })
        .collect()
}

fn owned(list: &[(&str, &str, bool)]) -> Vec<(String, String, bool)> {
    list.iter()
        .map(|(l, i, c)| (l.to_string(), i.to_string(), *c))
        .collect()
}

fn messages(responses: &Responses) -> Vec<String> {
    responses
        .warnings()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn csv_reader_skips_malformed_lines_with_exact_warnings() {
    let mut responses = Responses::new();
    responses
        .read("malformed.csv", &read_fixture("malformed.csv"))
        .expect("readable");
    assert_eq!(
        triples(&responses),
        owned(&[
            ("ana", "q1", true),
            ("ana", "q2", false),
            ("eve, jr", "q1", true),
            ("frank", "q2", true),
        ])
    );
    assert_eq!(
        messages(&responses),
        [
            r#"malformed.csv:4: warning: score must be 0 or 1, not "2"; line skipped"#,
            "malformed.csv:5: warning: a quoted field starts here and is never closed (a `\"` \
             inside a quoted field is written `\"\"`); line skipped",
            "malformed.csv:6: warning: 2 fields, but the header has 3; line skipped",
            "malformed.csv:7: warning: empty learner; line skipped",
            "malformed.csv:8: warning: empty item; line skipped",
            "malformed.csv:10: warning: learner `ana` answered item `q1` again (first at \
             malformed.csv:2); only the first response counts",
            r#"malformed.csv:11: warning: score must be 0 or 1, not "true"; line skipped"#,
        ]
    );
    assert_eq!(responses.records()[3].origin, Some((0, Location::Line(13))));
}

#[test]
fn csv_without_the_header_is_an_error_naming_the_line() {
    let mut responses = Responses::new();
    let error = responses
        .read("r.csv", "\nana,q1,1\n")
        .expect_err("no header");
    assert_eq!(
        error.to_string(),
        "r.csv:2: the header must name the columns `learner`, `item` and `score`; missing \
         `learner`, `item`, `score`"
    );
    let error = responses.read("e.csv", "  \n").expect_err("empty");
    assert_eq!(
        error.to_string(),
        "e.csv: is empty; expected a header `learner,item,score`"
    );
}

#[test]
fn xapi_array_gives_answers_and_exact_warnings_for_unusable_statements() {
    let mut responses = Responses::new();
    responses
        .read("statements.json", &read_fixture("statements.json"))
        .expect("readable");
    assert_eq!(
        triples(&responses),
        owned(&[
            ("mailto:ana@example.org", "x1", true),
            ("https://lms.example.org|u-17", "x2", false),
            ("name:Carol", "x1", true),
            ("sha1:ebd31e95054c018b10727ccffd2ef2ec3a016ee9", "x2", true),
        ])
    );
    assert_eq!(
        messages(&responses),
        [
            "statements.json: [3]: warning: `actor` has no `mbox`, `mbox_sha1sum`, `openid`, \
             `account` or `name` to identify the learner; statement skipped",
            "statements.json: [4]: warning: no `object.id`; statement skipped",
            r#"statements.json: [5]: warning: `result.success` must be true or false, not "yes"; statement skipped"#,
            "statements.json: [6]: warning: no `result.success`; statement skipped",
            "statements.json: [7]: warning: not a JSON object; statement skipped",
            "statements.json: [8]: warning: no `verb.id`; statement skipped",
            "statements.json: [10]: warning: learner `mailto:ana@example.org` answered item `x1` \
             again (first at statements.json: [0]); only the first response counts",
            "statements.json: [11]: warning: `object.id` does not end in an item id; statement \
             skipped",
        ]
    );
    assert_eq!(responses.ignored_statements(), 1);
}

#[test]
fn xapi_json_lines_and_statement_results_are_read_too() {
    let mut responses = Responses::new();
    responses
        .read("statements.jsonl", &read_fixture("statements.jsonl"))
        .expect("readable");
    assert_eq!(
        triples(&responses),
        owned(&[
            ("mailto:ana@example.org", "x1", true),
            ("https://id.example.org/bob", "x2", false),
        ])
    );
    assert_eq!(
        messages(&responses),
        [
            "statements.jsonl:2: warning: not valid JSON: expected ident at line 1 column 200; \
          line skipped"
        ]
    );
    assert_eq!(responses.ignored_statements(), 1);

    let lrs = json!({"statements": [{
        "actor": {"mbox": "mailto:dan@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": "https://skillcat.example/banks/sample/items/x3"},
        "result": {"success": true}
    }], "more": ""});
    let mut responses = Responses::new();
    responses
        .read("lrs.json", &lrs.to_string())
        .expect("readable");
    assert_eq!(
        triples(&responses),
        owned(&[("mailto:dan@example.org", "x3", true)])
    );

    let error = Responses::new()
        .read("bad.json", "[{\"actor\": ")
        .expect_err("truncated");
    assert_eq!(
        error.to_string(),
        "bad.json:1: not valid JSON: EOF while parsing a value at line 1 column 11"
    );
}

// The command line, end to end on `tests/fixtures/calibrate/{bank.json,responses.csv}`.

/// The fixture bank's items: ten simulated 2PL items (`cal-01`…`cal-10`, labelled `medium`),
/// `cal-11` that everyone answers right, and `cal-12`, already calibrated, with 40 responses;
/// 300 learners, two responses to an item the bank lacks, one repeat. Regenerate with
/// `cargo test --test calibrate -- --ignored regenerate_cli_fixture`.
const FIXTURE_ITEMS: usize = 12;
const FIXTURE_LEARNERS: usize = 300;

#[test]
#[ignore = "regenerates tests/fixtures/calibrate/{bank.json,responses.csv,truth.json}"]
fn regenerate_cli_fixture() {
    let truth = true_items(10, 0.0, 41);
    let items: Vec<Value> = (0..FIXTURE_ITEMS)
        .map(|i| {
            let mut item = json!({
                "id": format!("cal-{:02}", i + 1),
                "topic": "basics",
                "type": "single",
                "stem": format!("Question {} of the calibration fixture?", i + 1),
                "options": [{"text": "A"}, {"text": "B"}, {"text": "C"}, {"text": "D"}],
                "key": [i % 4],
                "difficulty": if i == 10 { "easy" } else { "medium" },
            });
            if i == 11 {
                item["irt"] = json!({"model": "2PL", "a": 1.1, "b": 0.4});
            }
            item
        })
        .collect();
    let bank = json!({
        "$schema": "../../../quizbanks/schema.json",
        "format": "skillcat-bank/1",
        "id": "calfix",
        "title": "Calibration fixture",
        "description": "Items whose responses were simulated from tests/fixtures/calibrate/truth.json.",
        "version": "2025.1",
        "language": "en",
        "topics": [{"id": "basics", "title": "Basics"}],
        "levels": [{"name": "All"}],
        "items": items,
    });
    let mut rng = SeededRng::new(42);
    let mut csv = String::from("learner,item,score\n");
    for learner in 0..FIXTURE_LEARNERS {
        let theta = standard_normal(&mut rng);
        for (i, params) in truth.iter().enumerate() {
            let score = u8::from(rng.uniform() < params.prob(theta));
            csv += &format!("L{learner:03},cal-{:02},{score}\n", i + 1);
        }
        csv += &format!("L{learner:03},cal-11,1\n");
        if learner < 40 {
            csv += &format!("L{learner:03},cal-12,{}\n", learner % 2);
        }
    }
    csv += "L001,retired-07,1\nL002,retired-07,0\nL005,cal-01,1\n";
    let truth_json: serde_json::Map<String, Value> = truth
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("cal-{:02}", i + 1), json!({"a": p.a, "b": p.b})))
        .collect();
    let dir = fixtures();
    let pretty = |v: &Value| serde_json::to_string_pretty(v).expect("serialisable") + "\n";
    // Through the typed bank, so that members come in the format's order.
    let bank = Bank::from_value("bank.json", &bank).expect("valid");
    let text = serde_json::to_string_pretty(&bank).expect("serialisable") + "\n";
    std::fs::write(dir.join("bank.json"), text).expect("writable");
    std::fs::write(dir.join("responses.csv"), csv).expect("writable");
    std::fs::write(dir.join("truth.json"), pretty(&Value::Object(truth_json))).expect("writable");
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("skillcat-calibrate-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn skillcat(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_skillcat"))
        .current_dir(fixtures())
        .args(args)
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn cli_calibrates_the_fixture_writes_a_valid_bank_and_moves_toward_the_truth() {
    let dir = scratch("cli");
    let (output, report) = (dir.join("new.json"), dir.join("fit.csv"));
    let (code, stdout, stderr) = skillcat(&[
        "calibrate",
        "responses.csv",
        "statements.jsonl",
        "--bank",
        "bank.json",
        "--output",
        output.to_str().expect("utf-8 path"),
        "--report",
        report.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [
            "responses.csv:3344: warning: learner `L005` answered item `cal-01` again (first at \
             responses.csv:62); only the first response counts",
            "statements.jsonl:2: warning: not valid JSON: expected ident at line 1 column 200; \
             line skipped",
            "responses.csv:3342: warning: item `retired-07` is not in bank `calfix`; 2 responses \
             left out",
            "statements.jsonl:1: warning: item `x1` is not in bank `calfix`; 1 response left out",
            "statements.jsonl:5: warning: item `x2` is not in bank `calfix`; 1 response left out",
        ]
    );
    assert!(
        stdout.starts_with("bank bank.json (version 2025.1): 12 items\n"),
        "{stdout}"
    );
    assert!(stdout.contains("responses: 3340 from 300 learners (5 warnings; 1 xAPI statements"));
    assert!(stdout.contains("2PL, EM converged in "), "{stdout}");
    let line = |id: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("no line for {id} in\n{stdout}"))
            .to_string()
    };
    assert!(
        line("cal-11").ends_with("all_correct too_easy"),
        "{}",
        line("cal-11")
    );
    assert!(
        line("cal-11").contains("-1.500 (kept)"),
        "{}",
        line("cal-11")
    );
    assert!(line("cal-12").ends_with("too_few"), "{}", line("cal-12"));
    assert!(stdout.contains("\n2 of 12 items flagged\n"), "{stdout}");
    let infits: Vec<f64> = (1..=10)
        .map(|i| {
            let fields: Vec<String> = line(&format!("cal-{i:02}"))
                .split_whitespace()
                .map(String::from)
                .collect();
            fields[fields.len() - 2].parse().expect("infit")
        })
        .collect();
    assert!(
        infits.iter().all(|m| (0.85..1.15).contains(m)),
        "{infits:?}"
    );

    // The written bank validates, keeps labels, and its estimates are near the truth.
    let text = std::fs::read_to_string(&output).expect("written");
    let bank = Bank::from_json("new.json", &text).expect("valid bank");
    let original = Bank::from_json("bank.json", &read_fixture("bank.json")).expect("valid");

    assert_eq!(bank.version, "2025.1+cal.1");
    // The author's lines all survive, in order, but the version's; each of the ten recalibrated
    // items gains a five-line `irt`.
    let fixture = read_fixture("bank.json");
    let mut new_lines = text.lines();
    for old in fixture.lines().filter(|l| !l.contains("\"version\"")) {
        // A member followed by a new `irt` gains a comma.
        let old = old.trim_end_matches(',');
        assert!(
            new_lines.any(|l| l.trim_end_matches(',') == old),
            "line {old:?} lost or moved"
        );
    }
    assert_eq!(text.lines().count(), fixture.lines().count() + 10 * 5);
    let truth: Value = serde_json::from_str(&read_fixture("truth.json")).expect("json");
    let (mut before, mut after) = ((0.0, 0.0), (0.0, 0.0));
    for (new, old) in bank.items.iter().zip(&original.items).take(10) {
        assert_eq!(new.difficulty, Some(Difficulty::Medium));
        let irt = new.irt.expect("calibrated");
        assert_eq!(irt.model, Model::TwoPl);
        let (a, b) = (
            truth[&new.id]["a"].as_f64().expect("a"),
            truth[&new.id]["b"].as_f64().expect("b"),
        );
        let (p, q) = (new.params(), old.params());
        before.0 += (q.a - a).abs() / 10.0;
        before.1 += (q.b - b).abs() / 10.0;
        after.0 += (p.a - a).abs() / 10.0;
        after.1 += (p.b - b).abs() / 10.0;
    }
    println!("mean |error| before (a, b) {before:?}, after {after:?}");
    // 300 learners and 10 items: the standard error of a is about 0.2, that of b about 0.15.
    assert!(
        after.0 < before.0 && after.0 < 0.3,
        "a: {before:?} -> {after:?}"
    );
    assert!(
        after.1 < before.1 / 3.0 && after.1 < 0.25,
        "b: {before:?} -> {after:?}"
    );
    assert_eq!(bank.items[10], original.items[10]);
    assert_eq!(bank.items[11], original.items[11]);

    let fit = std::fs::read_to_string(&report).expect("written");
    let rows: Vec<&str> = fit.lines().collect();
    assert_eq!(rows.len(), 1 + FIXTURE_ITEMS);
    assert_eq!(
        rows[0],
        "item,estimated,n,correct,p,point_biserial,a_before,b_before,c_before,a,b,c,infit,\
         infit_z,outfit,outfit_z,flags"
    );
    assert!(
        rows[12].starts_with("cal-12,false,40,20,0.500000,"),
        "{}",
        rows[12]
    );
    assert!(rows[12].ends_with(",too_few"), "{}", rows[12]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_reports_json_and_refuses_what_it_cannot_do() {
    let dir = scratch("json");
    let report = dir.join("fit.json");
    let (code, stdout, stderr) = skillcat(&[
        "calibrate",
        "responses.csv",
        "--bank",
        "bank.json",
        "--model",
        "1PL",
        "--min-responses",
        "20",
        "--report",
        report.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout
            .ends_with("(nothing written: pass --output NEW.json to write the calibrated bank)\n")
    );
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("written")).expect("json");
    assert_eq!(json["bank"], "calfix");
    assert_eq!(json["calibration"]["model"], "1PL");
    let items = json["calibration"]["items"].as_array().expect("items");
    // With 20 responses enough, cal-12 is recalibrated too (a = 1 in the 1PL).
    assert_eq!(items[11]["estimated"], true);
    assert_eq!(items[11]["after"]["a"], 1.0);
    assert_eq!(items[11]["stats"]["n"], 40);
    assert_eq!(json["warnings"].as_array().expect("warnings").len(), 2);
    let _ = std::fs::remove_dir_all(&dir);

    let (code, _, stderr) = skillcat(&[
        "calibrate",
        "responses.csv",
        "--bank",
        "bank.json",
        "--report",
        "fit.txt",
    ]);
    assert_eq!(
        (code, stderr.as_str()),
        (2, "skillcat: --report fit.txt: must end in .csv or .json\n")
    );
    let (code, _, stderr) = skillcat(&["calibrate", "malformed.csv", "--bank", "responses.csv"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("skillcat: responses.csv: not valid JSON: "),
        "{stderr}"
    );
    let (code, _, stderr) = skillcat(&["calibrate", "bank.json", "--bank", "bank.json"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "skillcat: bank.json: expected a JSON array of xAPI statements, a `StatementResult` \
         object or JSON lines\n"
    );
    let (code, _, _) = skillcat(&[
        "calibrate",
        "responses.csv",
        "--bank",
        "bank.json",
        "--model",
        "4PL",
    ]);
    assert_eq!(code, 2);
}
