//! `skillcat stats`, run as a built binary: its counts equal the bank's, its information curve
//! equals Σ Iᵢ(θ) over the active items, and its SVG is well-formed and draws both curves.

#[path = "fixtures/cli/support.rs"]
mod support;

use serde_json::{Value, json};
use skillcat::bank::Difficulty;
use skillcat::{Bank, ItemType, Status};
use support::{TempFile, root, series_paths, skillcat, stderr, stdout, well_formed};

/// Floating-point agreement between the binary and the same sums computed here.
const TOLERANCE: f64 = 1e-12;

fn load(path: &str) -> Bank {
    let text = std::fs::read_to_string(root().join(path)).expect("bank file");
    Bank::from_json(path, &text).expect("valid bank")
}

fn stats_json(args: &[&str]) -> Value {
    let output = skillcat(args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// The counts `stats` should report, computed from the library's `Bank`.
fn expected_counts(bank: &Bank) -> Value {
    let count = |f: &dyn Fn(&skillcat::Item) -> bool| bank.items.iter().filter(|i| f(i)).count();
    let active = count(&|i| i.status == Status::Active);
    let weights: f64 = bank.topics.iter().map(|t| t.weight.unwrap_or(1.0)).sum();
    let topics: Vec<Value> = bank
        .topics
        .iter()
        .map(|t| {
            let here = |d: Option<Difficulty>| count(&|i| i.topic == t.id && i.difficulty == d);
            let active_here = count(&|i| i.topic == t.id && i.status == Status::Active);
            json!({
                "id": t.id,
                "title": t.title,
                "weight": t.weight.unwrap_or(1.0),
                "items": count(&|i| i.topic == t.id),
                "active": active_here,
                "easy": here(Some(Difficulty::Easy)),
                "medium": here(Some(Difficulty::Medium)),
                "hard": here(Some(Difficulty::Hard)),
                "targetShare": t.weight.unwrap_or(1.0) / weights,
                "activeShare": active_here as f64 / active as f64,
            })
        })
        .collect();
    json!({
        "items": bank.items.len(),
        "calibrated": count(&|i| i.irt.is_some()),
        "topics": topics,
        "byDifficulty": {
            "easy": count(&|i| i.difficulty == Some(Difficulty::Easy)),
            "medium": count(&|i| i.difficulty == Some(Difficulty::Medium)),
            "hard": count(&|i| i.difficulty == Some(Difficulty::Hard)),
            "none": count(&|i| i.difficulty.is_none()),
        },
        "byType": {
            "single": count(&|i| i.kind == ItemType::Single),
            "multiple": count(&|i| i.kind == ItemType::Multiple),
            "true_false": count(&|i| i.kind == ItemType::TrueFalse),
        },
        "byStatus": {
            "active": active,
            "pretest": count(&|i| i.status == Status::Pretest),
            "draft": count(&|i| i.status == Status::Draft),
            "retired": count(&|i| i.status == Status::Retired),
        },
    })
}

/// Checks the curve against Σ Iᵢ(θ) over the active items and the sum of the `n` largest.
fn check_information(bank: &Bank, stats: &Value, n: usize) {
    let points = stats["information"].as_array().expect("information");
    assert_eq!(points.len(), 81, "θ from -4 to 4 in steps of 0.1");
    for (k, point) in points.iter().enumerate() {
        let theta = point["theta"].as_f64().expect("theta");
        assert!((theta - (-4.0 + 0.1 * k as f64)).abs() < 1e-9);
        let mut infos: Vec<f64> = bank
            .items
            .iter()
            .filter(|i| i.status == Status::Active)
            .map(|i| i.params().info(theta))
            .collect();
        let total: f64 = infos.iter().sum();
        infos.sort_by(|a, b| b.total_cmp(a));
        let best: f64 = infos.iter().take(n).sum();
        let close = |field: &str, want: f64| {
            let got = point[field].as_f64().expect(field);
            assert!(
                (got - want).abs() <= TOLERANCE * want.max(1.0),
                "{field} at {theta}: {got} vs {want}"
            );
        };
        close("information", total);
        close("se", 1.0 / total.sqrt());
        close("bestInformation", best);
        close("bestSe", 1.0 / best.sqrt());
    }
}

#[test]
fn counts_equal_the_banks_for_a_bundled_bank_and_a_bank_with_every_feature() {
    for path in [
        "quizbanks/cybersecurity.json",
        "tests/fixtures/banks/valid/full.json",
    ] {
        let bank = load(path);
        let stats = stats_json(&["stats", "--format", "json", path]);
        let expected = expected_counts(&bank);
        for field in [
            "items",
            "calibrated",
            "topics",
            "byDifficulty",
            "byType",
            "byStatus",
        ] {
            assert_eq!(stats[field], expected[field], "{path}: {field}");
        }
        assert_eq!(stats["id"], bank.id.as_str());
        assert_eq!(stats["version"], bank.version.as_str());
        assert_eq!(stats["testLength"], 20);
        check_information(&bank, &stats, 20);
    }
}

#[test]
fn the_full_fixture_counts_every_status_and_weight() {
    // Stated by hand, so that a shared mistake in the test's own counting cannot hide.
    let stats = stats_json(&[
        "stats",
        "--format",
        "json",
        "tests/fixtures/banks/valid/full.json",
    ]);
    assert_eq!(
        stats["byStatus"],
        json!({"active": 3, "pretest": 1, "draft": 1, "retired": 1})
    );
    assert_eq!(
        stats["byType"],
        json!({"single": 3, "multiple": 2, "true_false": 1})
    );
    assert_eq!(
        stats["byDifficulty"],
        json!({"easy": 2, "medium": 1, "hard": 1, "none": 2})
    );
    assert_eq!(stats["calibrated"], 4);
    let targets: Vec<f64> = stats["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .map(|t| t["targetShare"].as_f64().expect("share"))
        .collect();
    assert_eq!(targets, [1.0 / 3.5, 2.0 / 3.5, 0.5 / 3.5]);
}

#[test]
fn test_length_sets_the_best_n_curve() {
    let path = "quizbanks/regulation.json";
    let stats = stats_json(&["stats", "--format", "json", "--test-length", "5", path]);
    assert_eq!(stats["testLength"], 5);
    check_information(&load(path), &stats, 5);
    assert_eq!(
        skillcat(&["stats", "--test-length", "0", path])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn text_output_has_the_topic_table_counts_and_curve() {
    let output = skillcat(&["stats", "tests/fixtures/banks/valid/full.json"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.starts_with(
        "tests/fixtures/banks/valid/full.json: Healthcare cybersecurity (every feature) \
         (id full-feature, version 2025.1-test)\n6 items, 3 active; 4 calibrated, 2 using"
    ));
    assert!(
        text.contains("\nstatus      active 3, pretest 1, draft 1, retired 1\n"),
        "{text}"
    );
    assert!(text.contains("\ntype        single 3, multiple 2, true_false 1\n"));
    assert!(text.contains(
        "\nlevels      Foundation, Practitioner from -0.5, Advanced from 0.5, Expert from 1.5\n"
    ));
    assert!(
        text.lines()
            .any(|l| l.starts_with("devices ") && l.contains(" 57.1% ")),
        "{text}"
    );
    // The curve's table: θ from -4 to 4 in steps of 0.5.
    let rows = text
        .lines()
        .filter(|l| l.trim_start().starts_with(['-', '0', '1', '2', '3', '4']))
        .count();
    assert_eq!(rows, 17);
}

#[test]
fn svg_is_well_formed_accessible_and_draws_both_curves_with_level_cuts() {
    let svg_file = TempFile::new("stats.svg");
    let output = skillcat(&[
        "stats",
        "quizbanks/cybersecurity.json",
        "--svg",
        svg_file.arg(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let svg = svg_file.read();
    let elements = well_formed(&svg);
    assert_eq!(elements[..3], ["svg", "title", "desc"]);
    assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg""#));
    assert!(svg.contains(r#"role="img" aria-labelledby="stats-title stats-desc""#));
    for name in ["all active items", "best 20 items"] {
        let paths = series_paths(&svg, name);
        assert_eq!(paths.len(), 2, "{name}: an information and an SE curve");
        for d in paths {
            // One unbroken line through the 81 points of the grid.
            assert_eq!(d.matches('M').count(), 1);
            assert_eq!(d.matches('L').count(), 80);
        }
    }
    for cut in ["Practitioner", "Advanced", "Expert"] {
        assert_eq!(
            svg.matches(&format!(">{cut}</text>")).count(),
            2,
            "{cut} in both panels"
        );
    }
    assert!(svg.contains(">target SE 0.3</text>"));
    for forbidden in [
        "<script",
        "href",
        "<foreignObject",
        "style=",
        "NaN",
        "inf\"",
        "inf ",
    ] {
        assert!(!svg.contains(forbidden), "{forbidden}");
    }
}

#[test]
fn an_invalid_bank_exits_1_with_located_problems_and_a_missing_one_2() {
    let output = skillcat(&["stats", "tests/fixtures/cli/problems.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let errors = stderr(&output);
    assert!(errors.contains(
        "tests/fixtures/cli/problems.json:35: items[0] (\"cyb-ransom-01\").key[0]: option index 5"
    ));
    assert!(errors.ends_with("tests/fixtures/cli/problems.json: 10 problems\n"));
    assert_eq!(skillcat(&["stats", "nope.json"]).status.code(), Some(2));
}

#[test]
fn a_closed_stdout_pipe_ends_output_quietly_instead_of_panicking() {
    // `skillcat stats … | head -1`: the reader goes away before the output is written.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_skillcat"))
        .args(["stats", "--format", "json", "quizbanks/cybersecurity.json"])
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("it ends");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
}

#[test]
fn the_review_section_reports_dates_the_changelog_watch_notes_and_with_as_of_the_due_items() {
    let path = "tests/fixtures/banks/valid/full.json";
    let text = stdout(&skillcat(&["stats", path]));
    for line in [
        "\nreviewed    from 2024-02-29 to 2026-11-30 (1 of the 4 items a learner can meet have \
         no date)\n",
        "\nchangelog   version 2025.1-test of 2025-06-30\n",
        "\nwatch       NIST SP 800-61 (Rev. 2 cited; Rev. 3 of April 2025 supersedes it): \
         cyb-ransom-03\n",
        "\nwatch       FDA premarket cybersecurity guidance (June 2025 revision): cyb-dev-01\n",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    // Without --as-of nothing depends on the day it runs.
    assert!(!text.contains("\ndue "), "{text}");
    let dated = stdout(&skillcat(&["stats", "--as-of", "2026-12-08", path]));
    assert!(
        dated.contains(
            "\ndue         as of 2026-12-08 (review age 12 months): cyb-ransom-03 (reviewed \
             2025-06-30), cyb-ransom-07 (reviewed 2024-02-29), cyb-dev-02 (never reviewed)\n"
        ),
        "{dated}"
    );

    // The JSON, against the bank read here: the items a learner can meet are the active and
    // pretest ones.
    let bank = load(path);
    let shown: Vec<&skillcat::Item> = bank
        .items
        .iter()
        .filter(|i| matches!(i.status, Status::Active | Status::Pretest))
        .collect();
    let dates: Vec<String> = shown
        .iter()
        .filter_map(|i| i.reviewed.map(|d| d.to_string()))
        .collect();
    let stats = stats_json(&[
        "stats",
        "--format",
        "json",
        "--as-of",
        "2026-12-08",
        "--review-age",
        "24",
        path,
    ]);
    assert_eq!(
        stats["review"],
        json!({
            "earliestReview": dates.iter().min(),
            "latestReview": dates.iter().max(),
            "shown": shown.len(),
            "unreviewed": shown.len() - dates.len(),
            "latestChange": serde_json::to_value(&bank.changelog[0]).expect("entry"),
            "watched": [
                {"watch": bank.items[0].watch, "items": [bank.items[0].id]},
                {"watch": bank.items[2].watch, "items": [bank.items[2].id]},
            ],
            "asOf": "2026-12-08",
            "reviewAgeMonths": 24,
            "due": [
                {"id": "cyb-ransom-07", "reviewed": "2024-02-29", "dueOn": "2026-02-28"},
                {"id": "cyb-dev-02", "reviewed": null, "dueOn": null},
            ],
        })
    );
    // Without --as-of the same keys, the dated ones null.
    let plain = stats_json(&["stats", "--format", "json", path]);
    for key in ["asOf", "reviewAgeMonths", "due"] {
        assert_eq!(plain["review"][key], Value::Null, "{key}");
    }
    assert_eq!(plain["review"]["shown"], stats["review"]["shown"]);
}
