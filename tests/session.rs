//! The session state machine: determinism, modes, enemies, pretest seeding, domain order,
//! stopping, save/restore and the step log.

use skillcat::session::{DomainOrder, Feedback, LoggedDraw};
use skillcat::stop::StopReason;
use skillcat::{Bank, Error, Mode, Session, SessionConfig, StopRule};

fn load(name: &str) -> Bank {
    let path = format!(
        "{}/tests/fixtures/sessions/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    Bank::from_json(name, &text).expect("fixture bank is valid")
}

fn sample() -> Bank {
    load("bank.json")
}

/// Answers every item with the first option (or options 0 and 2 for multiple response) and
/// returns the item ids shown.
fn run(session: &mut Session) -> Vec<String> {
    let mut shown = Vec::new();
    while let Some(item) = session.next_item() {
        let choice: Vec<usize> = if item.kind == skillcat::ItemType::Multiple {
            vec![0, 2]
        } else {
            vec![shown.len() % item.options.len()]
        };
        session.answer(&item.id, &choice).expect("valid answer");
        shown.push(item.id);
    }
    shown
}

fn config(seed: u64) -> SessionConfig {
    SessionConfig {
        seed,
        stop: StopRule {
            max_items: 12,
            se: None,
            ..Default::default()
        },
        ..Default::default()
    }
}

#[test]
fn same_seed_and_answers_give_the_same_test() {
    let a = run(&mut Session::new(vec![sample()], config(11)).unwrap());
    let b = run(&mut Session::new(vec![sample()], config(11)).unwrap());
    assert_eq!(a, b);
    assert!(!a.is_empty());
}

#[test]
fn different_seeds_give_different_tests() {
    let runs: Vec<Vec<String>> = (0..8)
        .map(|s| run(&mut Session::new(vec![sample()], config(s)).unwrap()))
        .collect();
    assert!(
        runs.iter().any(|r| r != &runs[0]),
        "randomesque and pretest draws depend on the seed"
    );
}

#[test]
fn next_repeats_the_pending_item_until_answered() {
    let mut session = Session::new(vec![sample()], config(3)).unwrap();
    let first = session.next_item().unwrap();
    assert_eq!(session.next_item().unwrap(), first);
    assert_eq!(first.position, 1);
}

#[test]
fn an_item_is_never_repeated_and_enemies_never_meet() {
    for seed in 0..40 {
        let cfg = SessionConfig {
            seed,
            stop: StopRule {
                max_items: 24,
                se: None,
                ..Default::default()
            },
            ..Default::default()
        };
        let shown = run(&mut Session::new(vec![sample()], cfg).unwrap());
        let mut unique = shown.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            shown.len(),
            "seed {seed}: repeated item in {shown:?}"
        );
        assert!(
            !(shown.contains(&"basics-01".to_string()) && shown.contains(&"basics-02".to_string())),
            "seed {seed}: enemies basics-01 and basics-02 both shown"
        );
        assert!(
            shown
                .iter()
                .all(|id| !id.starts_with("draft") && !id.starts_with("retired"))
        );
    }
}

#[test]
fn practice_mode_returns_key_feedback_and_explanation() {
    let mut session = Session::new(vec![sample()], config(5)).unwrap();
    let item = session.next_item().unwrap();
    let feedback: Feedback = session.answer(&item.id, &[0]).unwrap();
    assert!(feedback.correct.is_some());
    assert!(feedback.key.is_some());
    assert_eq!(feedback.option_feedback.len(), item.options.len());
    assert!(
        feedback
            .explanation
            .as_deref()
            .unwrap()
            .starts_with("Explanation of")
            || item.id.contains("pretest")
    );
}

#[test]
fn assessment_mode_reveals_nothing_until_the_end() {
    let cfg = SessionConfig {
        mode: Mode::Assessment,
        ..config(5)
    };
    let mut session = Session::new(vec![sample()], cfg).unwrap();
    let item = session.next_item().unwrap();
    let feedback = session.answer(&item.id, &[0]).unwrap();
    assert_eq!(feedback.correct, None);
    assert_eq!(feedback.key, None);
    assert!(feedback.option_feedback.is_empty());
    assert_eq!(feedback.explanation, None);
    let json = serde_json::to_string(&feedback).unwrap();
    assert!(
        !json.contains("key") && !json.contains("explanation") && !json.contains("correct"),
        "{json}"
    );
    let report = session.report();
    assert!(
        report
            .review
            .iter()
            .all(|r| r.key.is_none() && r.correct.is_none() && r.explanation.is_none())
    );
    run(&mut session);
    let report = session.report();
    assert!(report.finished);
    assert!(
        report
            .review
            .iter()
            .all(|r| r.key.is_some() && r.correct.is_some())
    );
}

#[test]
fn item_view_never_carries_the_key() {
    let mut session = Session::new(vec![sample()], config(2)).unwrap();
    let item = session.next_item().unwrap();
    let json = serde_json::to_string(&item).unwrap();
    assert!(
        !json.contains("key") && !json.contains("feedback") && !json.contains("explanation"),
        "{json}"
    );
}

#[test]
fn bad_answers_are_errors_that_leave_the_session_unchanged() {
    let mut session = Session::new(vec![sample()], config(9)).unwrap();
    let item = session.next_item().unwrap();
    let before = session.save_json();
    let err = session.answer("nope", &[0]).unwrap_err();
    assert_eq!(
        err,
        Error::InvalidCall(format!(
            "answer: item `nope` is not the current item (`{}`)",
            item.id
        ))
    );
    let err = session.answer(&item.id, &[9]).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "answer to `{}`: option 9 but the item has {} options",
            item.id,
            item.options.len()
        )
    );
    let err = session.answer(&item.id, &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("answer to `{}`: choose at least one option", item.id)
    );
    assert_eq!(session.save_json(), before);
    assert_eq!(session.next_item().unwrap(), item);
}

#[test]
fn single_choice_takes_exactly_one_option() {
    let mut session = Session::new(vec![sample()], config(9)).unwrap();
    let item = session.next_item().unwrap();
    if item.kind != skillcat::ItemType::Multiple {
        let err = session.answer(&item.id, &[0, 1]).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "answer to `{}`: this item takes exactly one option, got 2",
                item.id
            )
        );
    }
}

#[test]
fn pretest_items_are_seeded_never_first_never_scored_and_capped() {
    let mut seeded_somewhere = false;
    for seed in 0..60 {
        let cfg = SessionConfig {
            seed,
            pretest_items: 2,
            ..config(seed)
        };
        let mut session = Session::new(vec![sample()], cfg).unwrap();
        run(&mut session);
        let log = session.log();
        let pretest: Vec<_> = log.iter().filter(|s| s.pretest).collect();
        assert!(
            pretest.len() <= 2,
            "seed {seed}: {} pretest items",
            pretest.len()
        );
        assert!(!log[0].pretest, "seed {seed}: pretest item first");
        for step in &pretest {
            assert!(step.item.starts_with("pretest"));
            assert_eq!(step.estimate, None, "pretest responses never move theta");
            assert!(matches!(step.draws[0], LoggedDraw::Pretest { .. }));
        }
        let report = session.report();
        let scored = report.review.iter().filter(|r| r.scored).count();
        assert_eq!(report.domains[0].answered, scored);
        seeded_somewhere |= !pretest.is_empty();
    }
    assert!(seeded_somewhere);
}

#[test]
fn pretest_can_be_turned_off() {
    for seed in 0..20 {
        let cfg = SessionConfig {
            pretest_items: 0,
            ..config(seed)
        };
        let mut session = Session::new(vec![sample()], cfg).unwrap();
        run(&mut session);
        assert!(session.log().iter().all(|s| !s.pretest));
    }
}

#[test]
fn round_robin_alternates_domains_and_blocked_finishes_each_first() {
    let banks = || vec![sample(), load("second.json")];
    let cfg = SessionConfig {
        pretest_items: 0,
        stop: StopRule {
            max_items: 4,
            min_items: 1,
            se: None,
            ..Default::default()
        },
        ..config(1)
    };
    let mut session = Session::new(banks(), cfg.clone()).unwrap();
    run(&mut session);
    let domains: Vec<&str> = session.log().iter().map(|s| s.domain.as_str()).collect();
    assert_eq!(
        domains,
        [
            "sample", "second", "sample", "second", "sample", "second", "sample", "second"
        ]
    );
    let mut session = Session::new(
        banks(),
        SessionConfig {
            order: DomainOrder::Blocked,
            ..cfg
        },
    )
    .unwrap();
    run(&mut session);
    let domains: Vec<&str> = session.log().iter().map(|s| s.domain.as_str()).collect();
    assert_eq!(
        domains,
        [
            "sample", "sample", "sample", "sample", "second", "second", "second", "second"
        ]
    );
    let estimates = session.estimates();
    assert_eq!(estimates.len(), 2);
    assert!(estimates.iter().all(|e| e.answered == 4));
}

#[test]
fn stops_at_max_items_and_reports_the_reason() {
    let mut session = Session::new(
        vec![sample()],
        SessionConfig {
            pretest_items: 0,
            ..config(4)
        },
    )
    .unwrap();
    let shown = run(&mut session);
    assert_eq!(shown.len(), 12);
    assert_eq!(
        session.report().domains[0].stop_reason,
        Some(StopReason::MaxItems)
    );
    assert!(session.next_item().is_none());
    let err = session.answer("basics-01", &[0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "answer: item `basics-01`: the test is finished"
    );
}

#[test]
fn pool_exhaustion_ends_the_test() {
    let cfg = SessionConfig {
        pretest_items: 0,
        stop: StopRule {
            max_items: 100,
            se: None,
            ..Default::default()
        },
        ..config(4)
    };
    let mut session = Session::new(vec![sample()], cfg).unwrap();
    let shown = run(&mut session);
    // 24 active items, one pair of enemies: at most 23 can be shown.
    assert_eq!(shown.len(), 23);
    assert_eq!(
        session.report().domains[0].stop_reason,
        Some(StopReason::PoolExhausted)
    );
}

#[test]
fn precision_rule_stops_early_with_informative_items() {
    let bank = skillcat::simulate::synthetic_bank("precise", 200, (2.5, 3.0), 3);
    let cfg = SessionConfig {
        stop: StopRule {
            max_items: 40,
            se: Some(0.35),
            ..Default::default()
        },
        ..Default::default()
    };
    let mut session = Session::new(vec![bank], cfg).unwrap();
    while let Some(item) = session.next_item() {
        session
            .record_score(&item.id, session.answered() % 2 == 0)
            .unwrap();
    }
    let report = session.report();
    assert_eq!(report.domains[0].stop_reason, Some(StopReason::Precision));
    assert!(report.domains[0].se <= 0.35);
    assert!(report.domains[0].answered < 40);
}

#[test]
fn classification_rule_stops_when_the_interval_clears_the_cut() {
    let bank = skillcat::simulate::synthetic_bank("classify", 200, (1.5, 2.5), 5);
    let cfg = SessionConfig {
        stop: StopRule {
            max_items: 40,
            se: None,
            cut: Some(-1.0),
            ..Default::default()
        },
        ..Default::default()
    };
    let mut session = Session::new(vec![bank], cfg).unwrap();
    while let Some(item) = session.next_item() {
        session.record_score(&item.id, true).unwrap();
    }
    let report = session.report();
    assert_eq!(report.domains[0].stop_reason, Some(StopReason::Classified));
    assert!(report.domains[0].interval[0] > -1.0);
}

#[test]
fn a_far_away_bank_never_drives_theta_the_wrong_way() {
    // Every item is very hard; a learner who gets them all wrong must never move up.
    let mut bank = skillcat::simulate::synthetic_bank("hard", 60, (1.0, 2.0), 8);
    for item in &mut bank.items {
        item.irt.as_mut().unwrap().b = 3.0 + (item.irt.unwrap().b + 3.0) / 6.0;
    }
    let mut session = Session::new(
        vec![bank],
        SessionConfig {
            stop: StopRule {
                max_items: 30,
                se: None,
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .unwrap();
    let mut last = session.estimates()[0].theta;
    while let Some(item) = session.next_item() {
        session.record_score(&item.id, false).unwrap();
        let theta = session.estimates()[0].theta;
        assert!(theta <= last + 1e-12, "theta rose from {last} to {theta}");
        assert!(theta.is_finite() && session.estimates()[0].se.is_finite());
        last = theta;
    }
    assert!(last < 0.0);
}

#[test]
fn save_and_restore_continue_exactly() {
    let cfg = config(21);
    let mut original = Session::new(vec![sample()], cfg.clone()).unwrap();
    for _ in 0..5 {
        let item = original.next_item().unwrap();
        original.answer(&item.id, &[0]).unwrap();
    }
    let pending = original.next_item().unwrap();
    let saved = original.save_json();
    let mut restored = Session::restore_json(vec![sample()], &saved).unwrap();
    assert_eq!(
        restored.next_item().unwrap(),
        pending,
        "a reload shows the same question"
    );
    assert_eq!(restored.save_json(), saved);
    assert_eq!(restored.log(), original.log());
    assert_eq!(run(&mut restored), run(&mut original));
    assert_eq!(restored.report(), original.report());
}

#[test]
fn saved_state_is_small_enough_for_scorm_1_2() {
    let bank = skillcat::simulate::synthetic_bank("cybersecurity", 300, (1.0, 2.0), 1);
    let cfg = SessionConfig {
        stop: StopRule {
            max_items: 60,
            se: None,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut session = Session::new(vec![bank], cfg).unwrap();
    while let Some(item) = session.next_item() {
        session.answer(&item.id, &[1]).unwrap();
    }
    assert_eq!(session.answered(), 60);
    let saved = session.save_json();
    assert!(saved.len() <= 4096, "{} characters", saved.len());
}

#[test]
fn corrupted_saved_states_give_their_exact_messages() {
    let dir = format!(
        "{}/tests/fixtures/sessions/states",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let text = std::fs::read_to_string(path).unwrap();
        let expected = std::fs::read_to_string(path.with_extension("expected")).unwrap();
        let err = Session::restore_json(vec![sample()], &text).unwrap_err();
        assert_eq!(err.to_string(), expected.trim_end(), "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} corrupted-state fixtures");
}

#[test]
fn restoring_against_another_bank_version_is_an_error() {
    let mut session = Session::new(vec![sample()], config(1)).unwrap();
    let item = session.next_item().unwrap();
    session.answer(&item.id, &[0]).unwrap();
    let saved = session.save_json();
    let mut newer = sample();
    newer.version = "1.1".into();
    let err = Session::restore_json(vec![newer], &saved).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot restore saved session: banks[0]: saved with `sample` version `1.0`, but the bank is now version `1.1`"
    );
    let mut edited = sample();
    edited.items[2].key = vec![3];
    let err = Session::restore_json(vec![edited], &saved).unwrap_err();
    assert!(
        err.to_string()
            .contains("has changed since the session was saved"),
        "{err}"
    );
}

#[test]
fn step_log_records_candidates_draws_and_estimates() {
    let mut session = Session::new(
        vec![sample()],
        SessionConfig {
            pretest_items: 0,
            ..config(13)
        },
    )
    .unwrap();
    run(&mut session);
    for (i, step) in session.log().iter().enumerate() {
        assert_eq!(step.index, i);
        assert!(!step.candidates.is_empty());
        assert!(
            step.candidates.windows(2).all(|w| w[0].value >= w[1].value),
            "best first"
        );
        assert!(step.estimate.is_some() && step.correct.is_some());
        assert!(step.eligible >= 1);
    }
    // Consecutive steps chain: the estimate after a step is the theta the next one used.
    for pair in session.log().windows(2) {
        assert_eq!(pair[0].estimate.unwrap().theta, pair[1].theta_before);
    }
}

#[test]
fn config_errors_name_the_field() {
    let cfg = SessionConfig {
        stop: StopRule {
            max_items: 0,
            ..Default::default()
        },
        ..Default::default()
    };
    let err = Session::new(vec![sample()], cfg).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid config: stop.maxItems: must be at least 1"
    );
    let err = Session::new(vec![sample(), sample()], SessionConfig::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid config: banks[1]: bank `sample` is given twice"
    );
    let err = Session::new(Vec::<Bank>::new(), SessionConfig::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid config: banks: at least one bank is needed"
    );
}

#[test]
fn report_gives_levels_intervals_and_topic_verdicts() {
    let mut session = Session::new(
        vec![sample()],
        SessionConfig {
            pretest_items: 0,
            ..config(17)
        },
    )
    .unwrap();
    run(&mut session);
    let report = session.report();
    let domain = &report.domains[0];
    assert!(
        (domain.interval[1] - domain.interval[0] - 2.0 * 1.959963984540054 * domain.se).abs()
            < 1e-7
    );
    assert_eq!(domain.levels.len(), 4);
    assert!(domain.level.is_some());
    assert_eq!(domain.topics.len(), 3);
    assert_eq!(
        domain.topics.iter().map(|t| t.answered).sum::<usize>(),
        domain.answered
    );
    assert!((domain.share_correct - domain.correct as f64 / domain.answered as f64).abs() < 1e-15);
}
