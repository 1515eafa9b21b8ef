//! `skillcat simulate BANK`: a simulation study of the adaptive test on one bank. Simulated
//! learners with known abilities take the test with the chosen settings; the study reports how
//! well the engine recovers their abilities (RMSE, bias, conditionally on θ), how long the
//! tests are, and how often each item is shown. The numbers are exactly those of
//! [`skillcat::simulate::simulate`] for the same bank and settings; this file only turns flags
//! into a [`SimulationConfig`] and writes the results (see [`skillcat::study_report`]).

use std::path::PathBuf;
use std::process::ExitCode;

use skillcat::estimate::{EstimatorConfig, Method};
use skillcat::select::{Criterion, SelectionConfig};
use skillcat::simulate::{SimulationConfig, simulate_with_progress};
use skillcat::study_report::StudyReport;
use skillcat::{SessionConfig, StopRule};

use crate::{out, positive, progress_bar, validate, write_file};

/// The item-selection criterion, as the engine's config names it.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum CriterionArg {
    /// Maximum Fisher information at the current estimate.
    #[value(name = "maxInfo")]
    MaxInfo,
    /// Chang & Ying's Kullback-Leibler index around the current estimate.
    #[value(name = "kullbackLeibler")]
    KullbackLeibler,
    /// Uniformly random among the eligible items.
    #[value(name = "random")]
    Random,
}

/// The ability estimator.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum EstimatorArg {
    /// Expected a posteriori, N(0, 1) prior, 61-point grid on [−4, 4].
    Eap,
    /// Maximum a posteriori.
    Map,
    /// Maximum likelihood (EAP until the first mixed response pattern).
    Mle,
    /// Warm's weighted likelihood (EAP until the first mixed response pattern).
    Wle,
}

/// Arguments of `skillcat simulate`.
#[derive(clap::Args)]
#[command(
    after_help = "Defaults are the engine's own (`SessionConfig::default()`): 20 items at \
most, 5 at least, stop at SE ≤ 0.3, maximum information with randomesque k = 3, Sympson-Hetter \
and content balancing on, EAP, 2 pretest items. Learner i's session uses seed \
`--session-seed` + i; `--seed` draws the true abilities and the responses.\n\n\
Example: skillcat simulate quizbanks/cybersecurity.json --theta-uniform -3,3 --report study.html"
)]
pub struct Args {
    /// The bank file (JSON); several banks run a profile study (one test over all of them).
    #[arg(required = true, value_name = "BANK")]
    pub(crate) banks: Vec<PathBuf>,
    /// With several banks: the correlation between every two domains' true abilities
    /// (θ ~ MVN(0, Σ) with this ρ off the diagonal).
    #[arg(long, value_name = "RHO", allow_negative_numbers = true)]
    pub(crate) true_rho: Option<f64>,
    /// With several banks: also run the joint model (adaptive domain order), assuming this ρ
    /// between every two domains.
    #[arg(
        long,
        value_name = "RHO",
        allow_negative_numbers = true,
        conflicts_with = "profile"
    )]
    pub(crate) assumed_rho: Option<f64>,
    /// With several banks: also run the joint model, assuming the correlations of this profile
    /// file (domains it does not list correlate 0).
    #[arg(long, value_name = "PROFILE.json")]
    pub(crate) profile: Option<PathBuf>,
    /// Stop a domain once one level is at least this probable (e.g. 0.8); off by default.
    #[arg(long, value_name = "P")]
    pub(crate) level_certainty: Option<f64>,
    /// Number of simulated learners.
    #[arg(long, value_name = "N", default_value_t = SimulationConfig::default().simulees,
          value_parser = positive)]
    simulees: usize,
    /// Mean of the normal distribution of true abilities.
    #[arg(long, value_name = "X", default_value_t = SimulationConfig::default().theta_mean,
          allow_negative_numbers = true, conflicts_with = "theta_uniform")]
    theta_mean: f64,
    /// Standard deviation of the normal distribution of true abilities.
    #[arg(long, value_name = "X", default_value_t = SimulationConfig::default().theta_sd,
          allow_negative_numbers = true, conflicts_with = "theta_uniform")]
    theta_sd: f64,
    /// Draw true abilities uniformly from MIN to MAX instead (for example -3,3), to see the
    /// precision along the whole scale.
    #[arg(long, value_name = "MIN,MAX", allow_hyphen_values = true, value_parser = parse_range)]
    theta_uniform: Option<[f64; 2]>,
    /// Stop after this many scored items.
    #[arg(long, value_name = "N", default_value_t = StopRule::default().max_items,
          value_parser = positive)]
    max_items: usize,
    /// Never stop for precision or classification before this many items
    /// [default: 5, or --max-items when smaller].
    #[arg(long, value_name = "N")]
    min_items: Option<usize>,
    /// Stop when the standard error is at or below this value; `none` to turn it off.
    #[arg(long, value_name = "SE|none", default_value = "0.3", value_parser = parse_se)]
    se: SeTarget,
    /// Stop when the 95% interval around θ excludes this cut score (classification).
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    cut: Option<f64>,
    /// The item-selection criterion.
    #[arg(long, value_enum, default_value_t = CriterionArg::MaxInfo)]
    criterion: CriterionArg,
    /// Randomesque exposure control: choose at random among the K best items (1 = off).
    #[arg(long, value_name = "K", default_value_t = SelectionConfig::default().randomesque,
          value_parser = positive)]
    randomesque: usize,
    /// Ignore the bank's Sympson-Hetter exposure parameters.
    #[arg(long)]
    no_sympson_hetter: bool,
    /// Do not steer topics toward their target shares.
    #[arg(long)]
    no_content_balancing: bool,
    /// The ability estimator.
    #[arg(long, value_enum, default_value_t = EstimatorArg::Eap)]
    estimator: EstimatorArg,
    /// At most this many `pretest` items per test (unscored; they count in exposure).
    #[arg(long, value_name = "N", default_value_t = SessionConfig::default().pretest_items)]
    pretest_items: usize,
    /// Seeds the true abilities and the simulated responses.
    #[arg(long, value_name = "N", default_value_t = SimulationConfig::default().seed)]
    seed: u64,
    /// Seed of the first learner's session (learner i uses this + i).
    #[arg(long, value_name = "N", default_value_t = SessionConfig::default().seed)]
    session_seed: u64,
    /// Also write a self-contained HTML report (inline SVG charts; no scripts, no external
    /// resources).
    #[arg(long, value_name = "FILE")]
    pub(crate) report: Option<PathBuf>,
    /// Also write the settings and every result, per item and per simulee, as JSON.
    #[arg(long, value_name = "FILE")]
    pub(crate) json: Option<PathBuf>,
}

/// `MIN,MAX` with MIN < MAX.
fn parse_range(text: &str) -> Result<[f64; 2], String> {
    let bad = || format!("`{text}` is not MIN,MAX (two numbers, the first smaller)");
    let (min, max) = text.split_once(',').ok_or_else(bad)?;
    let min: f64 = min.trim().parse().map_err(|_| bad())?;
    let max: f64 = max.trim().parse().map_err(|_| bad())?;
    if min.is_finite() && max.is_finite() && min < max {
        Ok([min, max])
    } else {
        Err(bad())
    }
}

/// The SE stopping target, or none.
#[derive(Debug, Clone, Copy)]
struct SeTarget(Option<f64>);

/// A positive standard error, or `none`.
fn parse_se(text: &str) -> Result<SeTarget, String> {
    if text.eq_ignore_ascii_case("none") {
        return Ok(SeTarget(None));
    }
    match text.parse::<f64>() {
        Ok(se) if se.is_finite() && se > 0.0 => Ok(SeTarget(Some(se))),
        _ => Err(format!("`{text}` is not a positive number or `none`")),
    }
}

impl Args {
    /// The study the flags describe.
    pub fn config(&self) -> SimulationConfig {
        let defaults = StopRule::default();
        SimulationConfig {
            simulees: self.simulees,
            theta_mean: self.theta_mean,
            theta_sd: self.theta_sd,
            theta_uniform: self.theta_uniform,
            seed: self.seed,
            session: SessionConfig {
                seed: self.session_seed,
                stop: StopRule {
                    max_items: self.max_items,
                    min_items: self
                        .min_items
                        .unwrap_or(defaults.min_items.min(self.max_items)),
                    se: self.se.0,
                    cut: self.cut,
                    level_certainty: self.level_certainty,
                    ..defaults
                },
                selection: SelectionConfig {
                    criterion: match self.criterion {
                        CriterionArg::MaxInfo => Criterion::MaxInfo,
                        CriterionArg::KullbackLeibler => Criterion::KullbackLeibler,
                        CriterionArg::Random => Criterion::Random,
                    },
                    randomesque: self.randomesque,
                    sympson_hetter: !self.no_sympson_hetter,
                    content_balancing: !self.no_content_balancing,
                },
                estimator: EstimatorConfig {
                    method: match self.estimator {
                        EstimatorArg::Eap => Method::Eap,
                        EstimatorArg::Map => Method::Map,
                        EstimatorArg::Mle => Method::Mle,
                        EstimatorArg::Wle => Method::Wle,
                    },
                    ..Default::default()
                },
                pretest_items: self.pretest_items,
                ..Default::default()
            },
        }
    }
}

/// Runs the subcommand; `Err` carries a message for stderr (exit status 2).
pub fn run(args: Args) -> Result<ExitCode, String> {
    if args.banks.len() > 1 {
        return crate::simulate_profile::run(&args);
    }
    for (flag, given) in [
        ("--true-rho", args.true_rho.is_some()),
        ("--assumed-rho", args.assumed_rho.is_some()),
        ("--profile", args.profile.is_some()),
    ] {
        if given {
            return Err(format!(
                "{flag} needs two or more banks: it is about the correlations between domains"
            ));
        }
    }
    let path = &args.banks[0];
    let bank = match validate::load(path)? {
        Ok(bank) => bank,
        Err(code) => return Ok(code),
    };
    let config = args.config();
    config.check().map_err(|e| e.to_string())?;
    let bar = progress_bar(config.simulees as u64, "simulating");
    let result = simulate_with_progress(&bank, &config, &mut |done| bar.set_position(done as u64))
        .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    let file = path.display().to_string();
    let report = StudyReport {
        file: &file,
        bank: &bank,
        config: &config,
        result: &result,
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
