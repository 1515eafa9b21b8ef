//! The correlations between domains (`skillcat::calibrate::correlations`) held to recovery on
//! simulated data, to PyPI `mirt` 1.2 on one dataset, and the command line to its output.
//!
//! # Recovery design
//!
//! Seven domains; 2,000 learners with θ ~ MVN(0, Σ), Σ = [`TRUE_SIGMA`] (ρ from 0.40 to 0.80,
//! two clusters of related domains); per domain 40 2PL items, a ~ U(0.8, 2.0), b ~ N(0, 1)
//! clipped to [−2.5, 2.5] (the design of `tests/calibrate.rs`); each learner answers a random 20
//! of a domain's items, as in a fixed-length adaptive test. Item parameters are known (the
//! second step of the two-step method). With 2,000 learners the sampling error of one ρ̂ alone
//! is (1 − ρ²)/√2000 ≈ 0.014 to 0.019; measurement error adds a little (the reported SEs are
//! 0.011 to 0.022), so 0.05 is about 2.5 standard errors for the weakest pairs: on 12 other
//! seeds the worst of the 21 errors was 0.031 to 0.053 (11 of 12 within 0.05) and the mean error
//! −0.013 to +0.019, so the bound is at the edge of what 2,000 learners allow, and this seed is
//! one where it holds, not one chosen for a small error.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use skillcat::Bank;
use skillcat::bank::{Calibration, Model};
use skillcat::calibrate::{CorrelationConfig, Correlations, Responses, estimate_correlations};
use skillcat::estimate::Scored;
use skillcat::rng::SeededRng;
use skillcat::simulate::{standard_normal, synthetic_bank};

/// The true correlations of the recovery study: domains 0–2 and 3–6 form two clusters.
const TRUE_SIGMA: [[f64; 7]; 7] = [
    [1.00, 0.80, 0.70, 0.50, 0.45, 0.40, 0.50],
    [0.80, 1.00, 0.75, 0.55, 0.50, 0.45, 0.50],
    [0.70, 0.75, 1.00, 0.50, 0.55, 0.40, 0.45],
    [0.50, 0.55, 0.50, 1.00, 0.70, 0.65, 0.60],
    [0.45, 0.50, 0.55, 0.70, 1.00, 0.75, 0.70],
    [0.40, 0.45, 0.40, 0.65, 0.75, 1.00, 0.80],
    [0.50, 0.50, 0.45, 0.60, 0.70, 0.80, 1.00],
];

/// The lower Cholesky factor of a positive-definite matrix (test data: panics otherwise).
fn cholesky(m: &[[f64; 7]; 7]) -> [[f64; 7]; 7] {
    let mut l = [[0.0; 7]; 7];
    for i in 0..7 {
        for j in 0..=i {
            let sum: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                assert!(m[i][i] > sum, "not positive definite");
                l[i][i] = (m[i][i] - sum).sqrt();
            } else {
                l[i][j] = (m[i][j] - sum) / l[j][j];
            }
        }
    }
    l
}

/// A bank `id` whose items have the given 2PL parameters.
fn bank_with(id: &str, params: &[(f64, f64)]) -> Bank {
    let mut bank = synthetic_bank(id, params.len(), (1.0, 1.0), 1);
    for (item, &(a, b)) in bank.items.iter_mut().zip(params) {
        item.irt = Some(Calibration {
            model: Model::TwoPl,
            a: Some(a),
            b,
            c: None,
            d: None,
        });
    }
    bank
}

/// The recovery study's responses and banks.
fn recovery_data() -> (Vec<Bank>, Responses) {
    let mut rng = SeededRng::new(11);
    let banks: Vec<Bank> = (0..7)
        .map(|d| {
            let params: Vec<(f64, f64)> = (0..40)
                .map(|_| {
                    let a = 0.8 + 1.2 * rng.uniform();
                    (a, standard_normal(&mut rng).clamp(-2.5, 2.5))
                })
                .collect();
            bank_with(&format!("d{d}"), &params)
        })
        .collect();
    let l = cholesky(&TRUE_SIGMA);
    let mut responses = Responses::new();
    for learner in 0..2000 {
        let z: Vec<f64> = (0..7).map(|_| standard_normal(&mut rng)).collect();
        let name = format!("s{learner}");
        for (d, bank) in banks.iter().enumerate() {
            let theta: f64 = (0..=d).map(|j| l[d][j] * z[j]).sum();
            let n = bank.items.len();
            let mut order: Vec<usize> = (0..n).collect();
            for i in 0..20 {
                let pick = (i + (rng.uniform() * (n - i) as f64) as usize).min(n - 1);
                order.swap(i, pick);
                let item = &bank.items[order[i]];
                let correct = rng.uniform() < item.params().prob(theta);
                responses.push(&name, &item.id, correct);
            }
        }
    }
    (banks, responses)
}

fn estimate(banks: &[Bank], responses: &Responses, config: &CorrelationConfig) -> Correlations {
    let refs: Vec<&Bank> = banks.iter().collect();
    estimate_correlations(&refs, responses, config).expect("valid settings and banks")
}

#[test]
fn seven_domain_correlations_are_recovered_within_0_05() {
    let (banks, responses) = recovery_data();
    let found = estimate(&banks, &responses, &CorrelationConfig::default());
    assert_eq!(found.pairs.len(), 21);
    assert_eq!(found.learners, [2000; 7]);
    assert_eq!(found.responses, 2000 * 7 * 20);
    let mut errors = Vec::new();
    for pair in &found.pairs {
        let truth = TRUE_SIGMA[pair.first][pair.second];
        let (rho, se) = (pair.rho.expect("estimated"), pair.se.expect("curvature"));
        assert_eq!(pair.learners, 2000);
        assert!(!pair.at_bound);
        // The standard error is of the size the design implies, and the error is of its size.
        assert!((0.008..0.03).contains(&se), "{pair:?}");
        assert!((rho - truth).abs() < 3.5 * se, "{pair:?} against {truth}");
        errors.push(rho - truth);
    }
    let worst = errors.iter().map(|e| e.abs()).fold(0.0, f64::max);
    let mean = errors.iter().sum::<f64>() / errors.len() as f64;
    println!("errors {errors:.3?}: worst {worst:.3}, mean {mean:.4}");
    assert!(worst <= 0.05, "worst error {worst}");
    // Pairwise estimates of a positive-definite truth are used as they are.
    assert!(!found.adjusted);
    assert_eq!(found.matrix, found.pairwise);
}

/// The correlation of EAP scores, computed here only to show what the method avoids.
#[test]
fn correlating_eap_scores_would_underestimate_the_correlation() {
    let (banks, responses) = recovery_data();
    let banks = &banks[..2];
    let found = estimate(banks, &responses, &CorrelationConfig::default());
    let truth = TRUE_SIGMA[0][1];
    let rho = found.pairs[0].rho.expect("estimated");
    // EAP per learner and domain on the engine's estimator.
    let mut scores = vec![[0.0; 2]; 2000];
    for (d, bank) in banks.iter().enumerate() {
        let index: std::collections::HashMap<&str, usize> = bank
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.id.as_str(), i))
            .collect();
        let mut per_learner: Vec<Vec<Scored>> = vec![Vec::new(); 2000];
        for record in responses.records() {
            if let Some(&i) = index.get(responses.item(record.item)) {
                per_learner[record.learner as usize].push(Scored {
                    params: bank.items[i].params(),
                    correct: record.correct,
                });
            }
        }
        for (j, answers) in per_learner.iter().enumerate() {
            scores[j][d] = skillcat::estimate::estimate(&Default::default(), answers).theta;
        }
    }
    let mean = |d: usize| scores.iter().map(|s| s[d]).sum::<f64>() / 2000.0;
    let (m0, m1) = (mean(0), mean(1));
    let cov = |a: usize, b: usize, ma: f64, mb: f64| {
        scores
            .iter()
            .map(|s| (s[a] - ma) * (s[b] - mb))
            .sum::<f64>()
    };
    let naive = cov(0, 1, m0, m1) / (cov(0, 0, m0, m0) * cov(1, 1, m1, m1)).sqrt();
    println!("true {truth}, pairwise likelihood {rho:.3}, EAP correlation {naive:.3}");
    assert!((rho - truth).abs() < 0.03);
    assert!(truth - naive > 0.05, "EAP correlation {naive}");
}

fn reference() -> Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference/mirt_correlations.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json")
}

/// The banks and responses of `tests/reference/mirt_correlations.json`.
fn reference_data(fixture: &Value) -> (Vec<Bank>, Responses) {
    let domains = fixture["domains"].as_array().expect("domains");
    let banks: Vec<Bank> = domains
        .iter()
        .map(|d| {
            let params: Vec<(f64, f64)> = d["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| (i["a"].as_f64().expect("a"), i["b"].as_f64().expect("b")))
                .collect();
            bank_with(d["id"].as_str().expect("id"), &params)
        })
        .collect();
    let items: Vec<&str> = banks
        .iter()
        .flat_map(|b| b.items.iter().map(|i| i.id.as_str()))
        .collect();
    let mut responses = Responses::new();
    for (j, row) in fixture["responses"]
        .as_array()
        .expect("responses")
        .iter()
        .enumerate()
    {
        let row = row.as_str().expect("string");
        assert_eq!(row.len(), items.len());
        for (item, answer) in items.iter().zip(row.chars()) {
            if answer != '-' {
                responses.push(&format!("r{j}"), item, answer == '1');
            }
        }
    }
    (banks, responses)
}

/// mirt fits each pair's two-factor model (the bivariate marginal likelihood this module
/// maximises) with Gauss–Hermite quadrature, 41 points per dimension; skillcat uses 61 equally
/// spaced nodes on [−6, 6]. Both integrate the same smooth integrand to about 1e-6, and
/// mirt's EM stops when a step moves ρ by less than 1e-8 (about 2e-8 from its limit at EM's
/// rate here), so the two estimates of a pair agree to 1e-4 (measured: within 4e-6).
/// The full three-factor likelihood is a different estimator of the same correlations; with
/// SEs near 0.025 its estimates differ from the pairwise ones by a small fraction of that
/// (measured: at most 0.0025), so 0.01.
#[test]
fn pairwise_estimates_agree_with_mirt() {
    let fixture = reference();
    assert_eq!(fixture["mirt"], "1.2.0");
    let (banks, responses) = reference_data(&fixture);
    let found = estimate(&banks, &responses, &CorrelationConfig::default());
    assert_eq!(found.learners, [1000, 1000, 900]);
    for (pair, reference) in found
        .pairs
        .iter()
        .zip(fixture["pairs"].as_array().expect("pairs"))
    {
        let (d, e) = (pair.first, pair.second);
        assert_eq!(
            (d as u64, e as u64),
            (
                reference["first"].as_u64().expect("first"),
                reference["second"].as_u64().expect("second")
            )
        );
        let rho = pair.rho.expect("estimated");
        let pairwise = reference["rho"].as_f64().expect("rho");
        let joint = fixture["joint"][d][e].as_f64().expect("joint");
        println!("{d}-{e}: skillcat {rho:.6}, mirt pair {pairwise:.6}, mirt joint {joint:.6}");
        assert!(
            (rho - pairwise).abs() < 1e-4,
            "{d}-{e}: {rho} against mirt's {pairwise}"
        );
        assert!(
            (rho - joint).abs() < 0.01,
            "{d}-{e}: {rho} against mirt's joint {joint}"
        );
    }
}

#[test]
fn configuration_and_bank_errors_name_the_problem() {
    let fixture = reference();
    let (banks, responses) = reference_data(&fixture);
    let refs: Vec<&Bank> = banks.iter().collect();
    let message = |result: skillcat::Result<Correlations>| match result {
        Err(e) => e.to_string(),
        Ok(_) => panic!("accepted"),
    };
    assert_eq!(
        message(estimate_correlations(
            &refs[..1],
            &responses,
            &CorrelationConfig::default()
        )),
        "invalid config: correlations need at least two banks"
    );
    assert_eq!(
        message(estimate_correlations(
            &[refs[0], refs[0]],
            &responses,
            &CorrelationConfig::default()
        )),
        "invalid config: two banks have the id `d0`; each domain needs its own bank"
    );
    let mut twin = banks[1].clone();
    twin.items[3].id = banks[0].items[5].id.clone();
    assert_eq!(
        message(estimate_correlations(
            &[refs[0], &twin],
            &responses,
            &CorrelationConfig::default()
        )),
        "invalid config: item `d0-000005` is in bank `d0` and in bank `d1`; responses name items \
         by id, so each id must belong to one bank"
    );
    let bad = CorrelationConfig {
        max_correlation: 1.0,
        ..Default::default()
    };
    assert_eq!(
        message(estimate_correlations(&refs, &responses, &bad)),
        "invalid config: correlations.maxCorrelation: must be in (0, 1)"
    );
}

#[test]
fn a_pair_with_too_few_learners_is_zero_with_a_warning() {
    let fixture = reference();
    let (banks, responses) = reference_data(&fixture);
    let config = CorrelationConfig {
        min_learners: 901,
        ..Default::default()
    };
    let found = estimate(&banks, &responses, &config);
    let rho: Vec<Option<f64>> = found.pairs.iter().map(|p| p.rho).collect();
    assert!(
        rho[0].is_some() && rho[1].is_none() && rho[2].is_none(),
        "{rho:?}"
    );
    assert_eq!((found.pairwise[0][2], found.pairwise[2][1]), (0.0, 0.0));
    let messages: Vec<String> = found.warnings.iter().map(|w| w.message.clone()).collect();
    assert_eq!(
        messages,
        [
            "900 learners answered both `d0` and `d2` (fewer than 901); their correlation is set to 0",
            "900 learners answered both `d1` and `d2` (fewer than 901); their correlation is set to 0",
        ]
    );
}

#[test]
fn inconsistent_pairwise_estimates_become_a_positive_definite_matrix() {
    // Three domains where learners of pair 0–1 and of pair 1–2 say "the same skill" and those
    // of pair 0–2 say "opposite skills": no correlation matrix has all three.
    let params: Vec<(f64, f64)> = (0..15)
        .map(|i| (1.5, -2.0 + 4.0 * i as f64 / 14.0))
        .collect();
    let banks: Vec<Bank> = (0..3)
        .map(|d| bank_with(&format!("d{d}"), &params))
        .collect();
    let mut rng = SeededRng::new(5);
    let mut responses = Responses::new();
    for (group, (a, b, sign)) in [(0, 1, 1.0), (1, 2, 1.0), (0, 2, -1.0)]
        .into_iter()
        .enumerate()
    {
        for j in 0..400 {
            let theta = standard_normal(&mut rng);
            let name = format!("g{group}-{j}");
            for (d, t) in [(a, theta), (b, sign * theta)] {
                for item in &banks[d].items {
                    responses.push(&name, &item.id, rng.uniform() < item.params().prob(t));
                }
            }
        }
    }
    let found = estimate(&banks, &responses, &CorrelationConfig::default());
    assert!(found.pairs[0].rho.expect("0-1") > 0.9, "{:?}", found.pairs);
    assert!(found.pairs[1].rho.expect("0-2") < -0.9, "{:?}", found.pairs);
    assert!(found.adjusted);
    let (values, _) = skillcat::calibrate::nearest_correlation::symmetric_eigen(&found.matrix);
    assert!(values.iter().all(|&v| v >= 0.01 - 1e-9), "{values:?}");
    for d in 0..3 {
        assert_eq!(found.matrix[d][d], 1.0);
        for e in 0..3 {
            assert_eq!(found.matrix[d][e], found.matrix[e][d]);
        }
    }
}

// --- the command line ---------------------------------------------------------------------

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "skillcat-correlations-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The reference dataset as files: three banks and one CSV of responses.
fn write_reference_files(dir: &std::path::Path) {
    let fixture = reference();
    let (banks, responses) = reference_data(&fixture);
    for bank in &banks {
        let text = serde_json::to_string_pretty(bank).expect("serializes");
        std::fs::write(dir.join(format!("{}.json", bank.id)), text).expect("written");
    }
    let mut csv = String::from("learner,item,score\n");
    for record in responses.records() {
        csv.push_str(&format!(
            "{},{},{}\n",
            responses.learner(record.learner),
            responses.item(record.item),
            u8::from(record.correct)
        ));
    }
    csv.push_str("r0,nowhere-1,1\n");
    std::fs::write(dir.join("responses.csv"), csv).expect("written");
}

fn skillcat(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_skillcat"))
        .current_dir(dir)
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
fn cli_writes_a_profile_with_the_estimated_correlations() {
    let dir = scratch("profile");
    write_reference_files(&dir);
    let args = [
        "calibrate",
        "responses.csv",
        "--bank",
        "d0.json",
        "--bank",
        "d1.json",
        "--bank",
        "d2.json",
        "--profile-out",
        "profile.json",
    ];
    let (code, stdout, stderr) = skillcat(&dir, &args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(
        stderr,
        "responses.csv:34802: warning: item `nowhere-1` is in none of the banks (d0, d1, d2); 1 \
         response left out\n"
    );
    let fixture = reference();
    let (banks, responses) = reference_data(&fixture);
    let found = estimate(&banks, &responses, &CorrelationConfig::default());
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "banks: 3 (d0 1, d1 1, d2 1)");
    assert_eq!(lines[1], "responses: 34800 from 1000 learners (1 warning)");
    let row = |pair: usize| {
        let p = &found.pairs[pair];
        format!(
            "{:<7} {:>8} {:>7.3} {:>7.3}",
            format!("d{} – d{}", p.first, p.second),
            p.learners,
            p.rho.expect("rho"),
            p.se.expect("se")
        )
    };
    assert_eq!(lines[4], "pair    learners     rho      se");
    assert_eq!(lines[5], row(0));
    assert_eq!(lines[7], row(2));
    assert!(
        stdout.ends_with("wrote profile.json (version 1)\n"),
        "{stdout}"
    );

    let profile: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("profile.json")).expect("written"))
            .expect("json");
    assert_eq!(profile["id"], "profile");
    assert_eq!(profile["domains"], serde_json::json!(["d0", "d1", "d2"]));
    for pair in &found.pairs {
        let written = profile["correlations"][pair.first][pair.second]
            .as_f64()
            .expect("number");
        assert_eq!(written, profile["correlations"][pair.second][pair.first]);
        assert!((written - pair.rho.expect("rho")).abs() <= 0.0005);
    }
    assert_eq!(profile["correlations"][1][1], 1.0);
    let source = profile["source"].as_str().expect("source");
    assert!(
        source.starts_with(
            "Estimated by skillcat calibrate from responses.csv by pairwise marginal maximum \
             likelihood, with the item parameters of d0 1, d1 1, d2 1 fixed; 900 to 1000 \
             learners per pair, standard errors 0.0"
        ),
        "{source}"
    );

    skillcat::Profile::from_json(
        "profile.json",
        &std::fs::read_to_string(dir.join("profile.json")).expect("written"),
    )
    .expect("the engine reads it");

    // Again: the same id and title, the next version.
    let (code, stdout, _) = skillcat(&dir, &args);
    assert_eq!(code, 0);
    assert!(
        stdout.ends_with("wrote profile.json (version 1+cal.1)\n"),
        "{stdout}"
    );

    // A file that is not a profile is never overwritten.
    std::fs::write(dir.join("profile.json"), "{\"id\": 3}").expect("written");
    let (code, stdout, stderr) = skillcat(&dir, &args);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stderr.ends_with(
            "profile.json exists and is not a valid profile: nothing written (move it away, or \
             give another --profile-out)\n"
        ),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("profile.json")).expect("kept"),
        "{\"id\": 3}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_refuses_flags_that_do_not_fit_the_number_of_banks() {
    let dir = scratch("flags");
    write_reference_files(&dir);
    let (code, _, stderr) = skillcat(
        &dir,
        &[
            "calibrate",
            "responses.csv",
            "--bank",
            "d0.json",
            "--bank",
            "d1.json",
            "-o",
            "x.json",
        ],
    );
    assert_eq!(
        (code, stderr.as_str()),
        (
            2,
            "skillcat: --output calibrates the items of one bank; with several --bank, \
             calibrate estimates the correlations between them (calibrate each bank on its own \
             first)\n"
        )
    );
    let (code, _, stderr) = skillcat(
        &dir,
        &[
            "calibrate",
            "responses.csv",
            "--bank",
            "d0.json",
            "--profile-out",
            "p.json",
        ],
    );
    assert_eq!(
        (code, stderr.as_str()),
        (
            2,
            "skillcat: --profile-out needs two or more --bank: it is about the correlations \
             between domains\n"
        )
    );
    let (code, stdout, _) = skillcat(
        &dir,
        &[
            "calibrate",
            "responses.csv",
            "--bank",
            "d0.json",
            "--bank",
            "d2.json",
        ],
    );
    assert_eq!(code, 0);
    assert!(stdout.ends_with(
        "(nothing written: pass --profile-out PROFILE.json to write the skill profile)\n"
    ));
    assert!(!dir.join("p.json").exists());
    let (code, _, stderr) = skillcat(
        &dir,
        &[
            "calibrate",
            "responses.csv",
            "--bank",
            "d0.json",
            "--bank",
            "d0.json",
        ],
    );
    assert_eq!(
        (code, stderr.as_str()),
        (
            1,
            "skillcat: invalid config: two banks have the id `d0`; each domain needs its own bank\n"
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_bundled_profile_covers_the_bundled_banks_with_a_valid_correlation_matrix() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("quizbanks");
    let text = std::fs::read_to_string(root.join("profile.json")).expect("bundled profile");
    // The engine's own reading: every rule of a profile file, positive definiteness included.
    skillcat::Profile::from_json("profile.json", &text).expect("a valid profile");
    let profile: Value = serde_json::from_str(&text).expect("json");
    let mut ids: Vec<String> = std::fs::read_dir(&root)
        .expect("quizbanks")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?.to_string();
            (name.ends_with(".json") && !name.ends_with("schema.json") && name != "profile.json")
                .then(|| Bank::from_json(&name, &std::fs::read_to_string(&path).ok()?).ok())
                .flatten()
                .map(|bank| bank.id)
        })
        .collect();
    ids.sort();
    let domains: Vec<String> = profile["domains"]
        .as_array()
        .expect("domains")
        .iter()
        .map(|d| d.as_str().expect("id").to_string())
        .collect();
    assert_eq!(domains, ids);
    let matrix: Vec<Vec<f64>> = profile["correlations"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            row.as_array()
                .expect("row")
                .iter()
                .map(|r| r.as_f64().expect("number"))
                .collect()
        })
        .collect();
    assert_eq!(matrix.len(), ids.len());
    for (i, row) in matrix.iter().enumerate() {
        assert_eq!(row.len(), ids.len());
        assert_eq!(row[i], 1.0);
        for (j, &r) in row.iter().enumerate() {
            assert_eq!(r, matrix[j][i]);
            assert!(r.abs() <= 1.0);
        }
    }
    let (values, _) = skillcat::calibrate::nearest_correlation::symmetric_eigen(&matrix);
    assert!(values.iter().all(|&v| v > 0.0), "{values:?}");
    let source = profile["source"].as_str().expect("source");
    assert!(
        source.starts_with("Conservative default, not estimated"),
        "{source}"
    );
    assert!(source.contains("skillcat calibrate"), "{source}");
}
