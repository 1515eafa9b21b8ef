//! `skillcat simulate A.json B.json … --true-rho X`: a profile study. Simulees with true
//! abilities θ ~ MVN(0, Σ_true) take one test over all the banks; the study reports per domain
//! RMSE, bias, mean SE, items, level accuracy and exposure, and precision against questions
//! answered (see [`skillcat::profile_simulation`] and [`skillcat::profile_report`]).

use std::process::ExitCode;
use std::sync::Arc;

use skillcat::Bank;
use skillcat::profile_report::{Arm, ProfileReport};
use skillcat::profile_simulation::{
    ProfileSimulationConfig, ProfileSimulationResult, equicorrelated, simulate_profile,
};
use skillcat::session::{Session, SessionConfig};

use crate::simulate::Args;
use crate::{out, progress_bar, validate, write_file};

/// Runs the study; `Err` carries a message for stderr (exit status 2).
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let mut banks: Vec<Bank> = Vec::with_capacity(args.banks.len());
    for path in &args.banks {
        match validate::load(path)? {
            Ok(bank) => banks.push(bank),
            Err(code) => return Ok(code),
        }
    }
    let true_rho = args
        .true_rho
        .ok_or("a profile study needs --true-rho, the correlation of the true abilities")?;
    let single = args.config();
    single.check().map_err(|e| e.to_string())?;
    let config = ProfileSimulationConfig {
        simulees: single.simulees,
        seed: single.seed,
        true_correlations: equicorrelated(banks.len(), true_rho),
    };
    let refs: Vec<&Bank> = banks.iter().collect();
    let shared: Vec<Arc<Bank>> = banks.iter().cloned().map(Arc::new).collect();
    let separate = arm(&refs, &config, &shared, &single.session, "separate")?;
    let settings = settings(args, &banks, &single.session, true_rho);
    let arms = [Arm {
        name: "separate",
        description: "one unidimensional test per domain (N(0, 1) prior each), round-robin",
        result: &separate,
    }];
    let report = ProfileReport {
        banks: &refs,
        config: &config,
        settings: &settings,
        arms: &arms,
    };
    if let Some(path) = &args.json {
        write_file(path, &report.json())?;
    }
    if let Some(path) = &args.report {
        write_file(path, &report.html())?;
    }
    let mut text = report.text();
    for (what, path) in [("JSON", &args.json), ("HTML report", &args.report)] {
        if let Some(path) = path {
            text.push_str(&format!("{what} written to {}\n", path.display()));
        }
    }
    out(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// One arm: every simulee through a session with `session` settings (simulee i's seed is the
/// settings' seed + i).
fn arm(
    banks: &[&Bank],
    config: &ProfileSimulationConfig,
    shared: &[Arc<Bank>],
    session: &SessionConfig,
    name: &'static str,
) -> Result<ProfileSimulationResult, String> {
    let bar = progress_bar(config.simulees as u64, name);
    let result = simulate_profile(
        banks,
        config,
        &|learner| {
            Session::new(
                shared.to_vec(),
                SessionConfig {
                    seed: session.seed.wrapping_add(learner as u64),
                    ..session.clone()
                },
            )
        },
        &mut |done| bar.set_position(done as u64),
    )
    .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    Ok(result)
}

/// The study's settings in words.
fn settings(
    args: &Args,
    banks: &[Bank],
    session: &SessionConfig,
    true_rho: f64,
) -> Vec<(String, String)> {
    let files: Vec<String> = args
        .banks
        .iter()
        .zip(banks)
        .map(|(path, bank)| format!("{} ({} {})", path.display(), bank.id, bank.version))
        .collect();
    let stop = &session.stop;
    let mut stopping = format!(
        "per domain at most {} items, at least {}",
        stop.max_items, stop.min_items
    );
    if let Some(se) = stop.se {
        stopping.push_str(&format!("; SE ≤ {se}"));
    }
    let config = args.config();
    vec![
        ("banks".into(), files.join(", ")),
        ("simulees".into(), config.simulees.to_string()),
        (
            "true abilities".into(),
            format!("θ ~ MVN(0, Σ), ρ = {true_rho} between every two domains"),
        ),
        ("stopping".into(), stopping),
        (
            "selection".into(),
            format!(
                "{:?}; randomesque k = {}",
                session.selection.criterion, session.selection.randomesque
            ),
        ),
        (
            "seeds".into(),
            format!(
                "abilities {}; session of learner i: {} + i",
                config.seed, session.seed
            ),
        ),
    ]
}
