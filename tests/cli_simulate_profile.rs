//! `skillcat simulate` with several banks (a profile study), run as a built binary: its arms'
//! figures are exactly those of `skillcat::profile_simulation::simulate_profile` for sessions
//! built the same way (separate: no correlations, round-robin; joint: the assumed correlations,
//! adaptive order), the joint model is more precise when the abilities do correlate, and the
//! flags that need several banks say so.

#[path = "fixtures/cli/support.rs"]
mod support;

use std::sync::Arc;

use serde_json::Value;
use skillcat::profile_simulation::{
    ProfileSimulationConfig, ProfileSimulationResult, equicorrelated, simulate_profile,
};
use skillcat::session::DomainOrder;
use skillcat::simulate::synthetic_bank;
use skillcat::{Bank, Session, SessionConfig, StopRule};
use support::{TempFile, inline_svgs, series_paths, skillcat, stderr, stdout, well_formed};

fn banks() -> Vec<Bank> {
    vec![
        synthetic_bank("alpha", 40, (0.8, 2.0), 1),
        synthetic_bank("beta", 40, (0.8, 2.0), 2),
    ]
}

/// The library's study with the CLI's settings below.
fn library(
    banks: &[Bank],
    order: DomainOrder,
    correlations: Option<Vec<Vec<f64>>>,
) -> ProfileSimulationResult {
    let refs: Vec<&Bank> = banks.iter().collect();
    let shared: Vec<Arc<Bank>> = banks.iter().cloned().map(Arc::new).collect();
    let config = ProfileSimulationConfig {
        simulees: 60,
        seed: 5,
        true_correlations: equicorrelated(2, 0.8),
    };
    let session = SessionConfig {
        stop: StopRule {
            max_items: 8,
            se: None,
            ..Default::default()
        },
        order,
        correlations,
        ..Default::default()
    };
    simulate_profile(
        &refs,
        &config,
        &|learner| {
            Session::new(
                shared.clone(),
                SessionConfig {
                    seed: learner as u64,
                    ..session.clone()
                },
            )
        },
        &mut |_| {},
    )
    .expect("valid study")
}

#[test]
fn both_arms_give_the_librarys_exact_figures_and_the_joint_one_is_more_precise() {
    let banks = banks();
    let files: Vec<TempFile> = banks
        .iter()
        .map(|bank| {
            let file = TempFile::new(&format!("{}.json", bank.id));
            std::fs::write(&file.0, serde_json::to_string(bank).expect("bank")).expect("written");
            file
        })
        .collect();
    let (json, html) = (TempFile::new("profile.json"), TempFile::new("profile.html"));
    let output = skillcat(&[
        "simulate",
        files[0].arg(),
        files[1].arg(),
        "--simulees",
        "60",
        "--seed",
        "5",
        "--true-rho",
        "0.8",
        "--assumed-rho",
        "0.8",
        "--max-items",
        "8",
        "--se",
        "none",
        "--json",
        json.arg(),
        "--report",
        html.arg(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let cli: Value = serde_json::from_str(&json.read()).expect("JSON");
    let separate = library(&banks, DomainOrder::RoundRobin, None);
    let joint = library(&banks, DomainOrder::Adaptive, Some(equicorrelated(2, 0.8)));
    let through = |r: &ProfileSimulationResult| -> Value {
        serde_json::from_str(&serde_json::to_string(r).expect("serializes")).expect("JSON")
    };
    assert_eq!(cli["arms"][0]["name"], "separate");
    assert_eq!(cli["arms"][0]["result"], through(&separate));
    assert_eq!(cli["arms"][1]["name"], "joint");
    assert_eq!(cli["arms"][1]["result"], through(&joint));
    assert_eq!(
        cli["study"]["trueCorrelations"],
        serde_json::json!([[1.0, 0.8], [0.8, 1.0]])
    );

    // Same simulees, same lengths; with ρ = 0.8 the joint posterior is tighter.
    assert_eq!((separate.mean_length, joint.mean_length), (16.0, 16.0));
    assert!(
        joint.mean_se < 0.95 * separate.mean_se,
        "{} vs {}",
        joint.mean_se,
        separate.mean_se
    );
    let reach = joint.length_to_reach_se(separate.mean_se).expect("reached");
    assert!(reach < 16, "{reach}");

    let text = stdout(&output);
    assert!(text.contains(&format!(
        "  joint              reaches the baseline's mean SE after: {reach} questions (baseline 16.0)\n"
    )), "{text}");
    assert!(
        text.contains("  assumed (joint)    ρ = 0.8 between every two domains\n"),
        "{text}"
    );
    let page = html.read();
    let svgs = inline_svgs(&page);
    assert_eq!(svgs.len(), 1);
    // Parses as XML (or panics) and draws lines.
    assert!(well_formed(svgs[0]).iter().any(|e| e == "path"));
    for arm in ["separate", "joint"] {
        assert_eq!(
            series_paths(svgs[0], arm).len(),
            2,
            "{arm}: an SE and an RMSE line"
        );
    }
    assert!(page.contains(&format!("<td>{reach} questions (baseline 16.0)</td>")));
    assert!(!page.contains("<script"));
}

#[test]
fn correlation_flags_need_several_banks_and_a_valid_matrix() {
    let one = skillcat(&["simulate", "quizbanks/cloud.json", "--assumed-rho", "0.5"]);
    assert_eq!(one.status.code(), Some(2));
    assert_eq!(
        stderr(&one),
        "skillcat: --assumed-rho needs two or more banks: it is about the correlations between \
         domains\n"
    );
    let two = [
        "simulate",
        "quizbanks/cloud.json",
        "quizbanks/regulation.json",
    ];
    let missing = skillcat(&two);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        stderr(&missing),
        "skillcat: a profile study needs --true-rho, the correlation of the true abilities\n"
    );
    let mut bad = two.to_vec();
    bad.extend(["--true-rho", "0.5", "--assumed-rho", "1", "--simulees", "2"]);
    let output = skillcat(&bad);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "skillcat: invalid config: correlations[0][1] (cloud, regulation): must be between -1 \
         and 1 (exclusive), not 1: two domains that correlate perfectly are one domain\n"
    );
    let mut bad_truth = two.to_vec();
    bad_truth.extend(["--true-rho", "-1.5", "--simulees", "2"]);
    let output = skillcat(&bad_truth);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(
            "skillcat: invalid config: trueCorrelations[0][1]: must be between -1 and 1"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_profile_file_gives_the_joint_arm_its_correlations() {
    let output = skillcat(&[
        "simulate",
        "quizbanks/cloud.json",
        "quizbanks/regulation.json",
        "--profile",
        "quizbanks/profile.json",
        "--true-rho",
        "0.5",
        "--simulees",
        "3",
        "--max-items",
        "5",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains(
            "  assumed (joint)    the correlations of quizbanks/profile.json (health-it 2025.2)\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n  joint              10.0 questions;"),
        "{text}"
    );
    let broken = TempFile::new("broken-profile.json");
    std::fs::write(&broken.0, "{}").expect("written");
    let output = skillcat(&[
        "simulate",
        "quizbanks/cloud.json",
        "quizbanks/regulation.json",
        "--profile",
        broken.arg(),
        "--true-rho",
        "0.5",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("broken-profile.json"),
        "{}",
        stderr(&output)
    );
}
