//! `skillcat simulate A.json B.json … --true-rho X [--assumed-rho Y | --profile P.json]`: a
//! profile study. Simulees with true abilities θ ~ MVN(0, Σ_true) take one test over all the
//! banks, first as separate tests (each domain on its own, round-robin: the engine without a
//! profile), then, when correlations are assumed, with the joint model (joint EAP under the
//! assumed Σ, adaptive domain order) on the same simulees. The study reports per domain RMSE,
//! bias, mean SE, items, level accuracy and exposure, and precision against questions answered
//! (see [`skillcat::profile_simulation`] and [`skillcat::profile_report`]).

use std::process::ExitCode;
use std::sync::Arc;

use skillcat::profile_report::{Arm, ProfileReport};
use skillcat::profile_simulation::{
    ProfileSimulationConfig, ProfileSimulationResult, equicorrelated, simulate_profile,
};
use skillcat::session::DomainOrder;
use skillcat::session::{Session, SessionConfig};
use skillcat::{Bank, Profile};

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
    let assumed: Option<(Vec<Vec<f64>>, String)> = match (&args.profile, args.assumed_rho) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let profile = match Profile::from_json(&path.display().to_string(), &text) {
                Ok(profile) => profile,
                Err(e) => {
                    eprintln!("skillcat: {e}");
                    return Ok(ExitCode::from(1));
                }
            };
            let ids: Vec<&str> = banks.iter().map(|b| b.id.as_str()).collect();
            let words = format!(
                "the correlations of {} ({} {})",
                path.display(),
                profile.id,
                profile.version
            );
            Some((profile.correlations_for(&ids), words))
        }
        (None, Some(rho)) => Some((
            equicorrelated(banks.len(), rho),
            format!("ρ = {rho} between every two domains"),
        )),
        (None, None) => None,
    };
    let separate_session = SessionConfig {
        order: DomainOrder::RoundRobin,
        correlations: None,
        ..single.session.clone()
    };
    let separate = arm(&refs, &config, &shared, &separate_session, "separate")?;
    let joint = match &assumed {
        Some((correlations, _)) => {
            let session = SessionConfig {
                order: DomainOrder::Adaptive,
                correlations: Some(correlations.clone()),
                ..single.session.clone()
            };
            let ids: Vec<&str> = banks.iter().map(|b| b.id.as_str()).collect();
            session
                .check_correlations(&ids)
                .map_err(|e| e.to_string())?;
            Some(arm(&refs, &config, &shared, &session, "joint")?)
        }
        None => None,
    };
    let mut settings = settings(args, &banks, &single.session, true_rho);
    if let Some((_, words)) = &assumed {
        settings.push(("assumed (joint)".into(), words.clone()));
    }
    let mut arms = vec![Arm {
        name: "separate",
        description: "one unidimensional EAP per domain (N(0, 1) prior each), round-robin order",
        result: &separate,
    }];
    if let Some(joint) = &joint {
        arms.push(Arm {
            name: "joint",
            description: "joint EAP under MVN(0, Σ assumed), adaptive domain order",
            result: joint,
        });
    }
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
    if let Some(p) = stop.level_certainty {
        stopping.push_str(&format!("; a level at least {p} probable"));
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
                "{}; randomesque k = {}",
                match session.selection.criterion {
                    skillcat::Criterion::MaxInfo => "maximum Fisher information",
                    skillcat::Criterion::KullbackLeibler => "Kullback-Leibler index",
                    skillcat::Criterion::Random => "random",
                },
                session.selection.randomesque
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
