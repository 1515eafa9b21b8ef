//! The same seed and answers give the same test natively and in WebAssembly.
//!
//! This test plays fixed scenarios natively and compares them with the committed golden file
//! `tests/fixtures/sessions/sequence.json`; the Node tests (`tests/wasm/sequence.test.mjs`)
//! play the same scenarios through the WebAssembly build and compare them with the same file.
//! After a deliberate change to selection or estimation, regenerate the file with
//! `SKILLCAT_BLESS=1 cargo test --test native_sequence` and say why in the commit.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use skillcat::report::DomainEstimate;
use skillcat::session::ItemView;
use skillcat::{Bank, ItemType, Session, SessionConfig};

/// Estimates may differ in the last bits between platforms' `exp` and `ln`.
const TOLERANCE: f64 = 1e-12;

/// How both players choose a response to the item at one-based `position` with `n` options.
const RULE: &str = "answer: single and true_false items take option (position - 1) % n; \
                    multiple-response items take [0, n - 1] at odd positions and [1] at even ones. \
                    recordScore: correct unless position % 3 == 0. After `saveAfter` responses \
                    the next item is shown, the session saved and restored, and the test goes on \
                    in the restored session.";

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Golden {
    rule: String,
    scenarios: Vec<Scenario>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Scenario {
    name: String,
    /// Bank files in `tests/fixtures/sessions`, in domain order.
    banks: Vec<String>,
    /// The session config exactly as JavaScript passes it to `new Session`.
    config: Value,
    /// `answer` or `recordScore`.
    respond: String,
    save_after: usize,
    /// `save_json` after `save_after` responses, with the next item shown.
    saved: String,
    /// Every item shown, in order (pretest items included).
    items: Vec<String>,
    estimates: Vec<DomainEstimate>,
}

/// The scenarios: (name, banks, config, respond, save_after).
fn scenarios() -> Vec<(&'static str, Vec<&'static str>, Value, &'static str, usize)> {
    vec![
        (
            "practice, one bank, defaults",
            vec!["bank.json"],
            json!({ "seed": 7 }),
            "answer",
            4,
        ),
        (
            "assessment, one bank, 12 items, no precision rule",
            vec!["bank.json"],
            json!({
                "mode": "assessment",
                "seed": 12345,
                "stop": { "maxItems": 12, "se": null },
                "pretestItems": 2
            }),
            "answer",
            6,
        ),
        (
            "practice, two banks, round robin",
            vec!["bank.json", "second.json"],
            json!({ "seed": 3, "stop": { "maxItems": 8, "minItems": 3 } }),
            "answer",
            5,
        ),
        (
            "assessment, two banks, blocked, KL and MAP, scores recorded, largest safe seed",
            vec!["bank.json", "second.json"],
            json!({
                "mode": "assessment",
                "seed": 9_007_199_254_740_991_u64,
                "order": "blocked",
                "selection": { "criterion": "kullbackLeibler", "randomesque": 2 },
                "estimator": { "method": "map" },
                "stop": { "maxItems": 6, "se": null }
            }),
            "recordScore",
            7,
        ),
        (
            "practice, one bank, random selection, WLE, classification at a cut",
            vec!["bank.json"],
            json!({
                "seed": 99,
                "selection": { "criterion": "random", "contentBalancing": false },
                "estimator": { "method": "wle" },
                "stop": { "maxItems": 10, "se": null, "cut": 0.5 }
            }),
            "answer",
            2,
        ),
        (
            "joint: two correlated banks, adaptive order, level certainty",
            vec!["bank.json", "second.json"],
            json!({
                "seed": 13,
                "order": "adaptive",
                "correlations": [[1, 0.6], [0.6, 1]],
                "stop": { "maxItems": 12, "minItems": 3, "levelCertainty": 0.8 }
            }),
            "answer",
            5,
        ),
        (
            "joint: assessment, round robin at rho 0.4, scores recorded",
            vec!["second.json", "bank.json"],
            json!({
                "mode": "assessment",
                "seed": 4,
                "correlations": [[1, 0.4], [0.4, 1]],
                "stop": { "maxItems": 9, "se": 0.35 }
            }),
            "recordScore",
            7,
        ),
    ]
}

fn sessions_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sessions")
}

fn load(name: &str) -> Bank {
    let text = std::fs::read_to_string(sessions_dir().join(name)).expect("fixture bank exists");
    Bank::from_json(name, &text).expect("fixture bank is valid")
}

fn choice(item: &ItemView) -> Vec<usize> {
    let n = item.options.len();
    match item.kind {
        ItemType::Multiple if item.position % 2 == 1 => vec![0, n - 1],
        ItemType::Multiple => vec![1],
        ItemType::Single | ItemType::TrueFalse => vec![(item.position - 1) % n],
    }
}

fn respond(session: &mut Session, item: &ItemView, respond: &str) {
    match respond {
        "answer" => {
            session
                .answer(&item.id, &choice(item))
                .expect("valid answer");
        }
        "recordScore" => {
            session
                .record_score(&item.id, item.position % 3 != 0)
                .expect("current item");
        }
        other => panic!("unknown response kind {other}"),
    }
}

fn play(name: &str, banks: &[&str], config: Value, how: &str, save_after: usize) -> Scenario {
    let load_banks = || banks.iter().map(|b| load(b)).collect::<Vec<_>>();
    let settings: SessionConfig = serde_json::from_value(config.clone()).expect("valid config");
    let mut session = Session::new(load_banks(), settings).expect("session starts");
    let mut items = Vec::new();
    let mut saved = None;
    while let Some(item) = session.next_item() {
        if items.len() == save_after && saved.is_none() {
            let text = session.save_json();
            session = Session::restore_json(load_banks(), &text).expect("restores");
            saved = Some(text);
            continue;
        }
        respond(&mut session, &item, how);
        items.push(item.id);
    }
    Scenario {
        name: name.to_string(),
        banks: banks.iter().map(|b| b.to_string()).collect(),
        config,
        respond: how.to_string(),
        save_after,
        saved: saved.expect("the test outlasts save_after"),
        items,
        estimates: session.estimates(),
    }
}

fn played() -> Golden {
    Golden {
        rule: RULE.to_string(),
        scenarios: scenarios()
            .into_iter()
            .map(|(name, banks, config, how, save_after)| {
                play(name, &banks, config, how, save_after)
            })
            .collect(),
    }
}

/// What differs between the golden file and this run, one line per difference.
fn differences(golden: &Golden, now: &Golden) -> Vec<String> {
    let mut out = Vec::new();
    if golden.rule != now.rule {
        out.push("rule: the answering rule changed".to_string());
    }
    if golden.scenarios.len() != now.scenarios.len() {
        out.push(format!(
            "{} scenarios in the file, {} now",
            golden.scenarios.len(),
            now.scenarios.len()
        ));
    }
    for (g, n) in golden.scenarios.iter().zip(&now.scenarios) {
        let name = &n.name;
        let same_setup = g.name == n.name
            && g.banks == n.banks
            && g.config == n.config
            && g.respond == n.respond
            && g.save_after == n.save_after;
        if !same_setup {
            out.push(format!("{name}: the scenario's setup changed"));
        }
        if g.items != n.items {
            out.push(format!(
                "{name}: items\n    file: {:?}\n    now:  {:?}",
                g.items, n.items
            ));
        }
        if g.saved != n.saved {
            out.push(format!(
                "{name}: saved state\n    file: {}\n    now:  {}",
                g.saved, n.saved
            ));
        }
        if g.estimates.len() != n.estimates.len() {
            out.push(format!("{name}: number of estimates"));
        }
        for (ge, ne) in g.estimates.iter().zip(&n.estimates) {
            let same_levels = ge.level_probabilities.len() == ne.level_probabilities.len()
                && ge
                    .level_probabilities
                    .iter()
                    .zip(&ne.level_probabilities)
                    .all(|(g, n)| {
                        g.name == n.name && (g.probability - n.probability).abs() <= TOLERANCE
                    });
            let close = (ge.theta - ne.theta).abs() <= TOLERANCE
                && (ge.se - ne.se).abs() <= TOLERANCE
                && same_levels;
            if ge.domain != ne.domain
                || ge.level != ne.level
                || ge.answered != ne.answered
                || !close
            {
                out.push(format!(
                    "{name}: estimate\n    file: {ge:?}\n    now:  {ne:?}"
                ));
            }
        }
    }
    out
}

#[test]
fn native_sessions_match_the_golden_sequences() {
    let path = sessions_dir().join("sequence.json");
    let now = played();
    if std::env::var_os("SKILLCAT_BLESS").is_some_and(|v| v == "1") {
        let text = serde_json::to_string_pretty(&now).expect("serialises") + "\n";
        std::fs::write(&path, text).expect("golden file written");
        return;
    }
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; create it with SKILLCAT_BLESS=1 cargo test --test native_sequence",
            path.display()
        )
    });
    let golden: Golden = serde_json::from_str(&text).expect("golden file parses");
    let differences = differences(&golden, &now);
    assert!(
        differences.is_empty(),
        "native play differs from {}:\n{}\nIf the change is deliberate, regenerate the file with \
         SKILLCAT_BLESS=1 cargo test --test native_sequence",
        path.display(),
        differences.join("\n")
    );
}

#[test]
fn golden_scenarios_cover_both_modes_both_orders_and_both_response_kinds() {
    let all = scenarios();
    let has = |pointer: &str, value: &str| {
        all.iter()
            .any(|(_, _, config, _, _)| config.pointer(pointer) == Some(&json!(value)))
    };
    assert!(has("/mode", "assessment"));
    assert!(all.iter().any(|(_, _, c, _, _)| c.get("mode").is_none()));
    assert!(has("/order", "blocked"));
    assert!(
        all.iter()
            .any(|(_, banks, c, _, _)| banks.len() == 2 && c.get("order").is_none())
    );
    assert!(all.iter().any(|(_, _, _, how, _)| *how == "recordScore"));
    assert!(all.iter().any(|(_, _, _, how, _)| *how == "answer"));
    assert!(has("/order", "adaptive"));
    assert!(
        all.iter()
            .any(|(_, _, c, _, _)| c.get("correlations").is_some())
    );
    assert!(
        all.iter()
            .any(|(_, _, c, _, _)| c.pointer("/stop/levelCertainty").is_some())
    );
}
