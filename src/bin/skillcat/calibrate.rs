//! `skillcat calibrate RESPONSES… --bank BANK`: estimates the bank's item parameters from
//! learners' responses (marginal maximum likelihood, EM; see `skillcat::calibrate`), prints a
//! table per item, and writes the calibrated bank and a fit report when asked:
//!
//! ```text
//! bank bank.json (version 2025.1): 12 items
//! responses: 3340 from 300 learners (2 warnings)
//! 2PL, EM converged in 11 iterations (largest last change 3.4e-5) in 0.0 s
//!
//! item        n      p   pbis  a before → after   b before → after   infit outfit  flags
//! cal-01    300  0.793  0.324  1.000 → 1.164      0.000 → -1.440      1.00   0.95
//! …
//! cal-11    300  1.000      —  1.000 (kept)       -1.500 (kept)       0.29   0.22  all_correct too_easy
//! cal-12     40  0.500  0.048  1.100 (kept)       0.400 (kept)        1.35   1.41  too_few
//!
//! 2 of 12 items flagged
//! wrote new.json (version 2025.1+cal.1; 10 items recalibrated)
//! ```
//!
//! Responses are CSV (`learner,item,score`) or xAPI statements (a JSON array, a
//! `StatementResult` or JSON lines); see `skillcat::calibrate::responses` and `xapi`. With two
//! or more `--bank`, the correlations between the domains are estimated instead
//! ([`correlations`]).

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use serde_json::Value;
use skillcat::Bank;
use skillcat::bank::Model;
use skillcat::calibrate::{
    Calibrated, CalibrationConfig, CorrelationConfig, ItemResult, Responses, calibrate,
    next_version, updated_bank,
};

use crate::correlations;
use skillcat::irt::Params;

/// Warnings printed in full; the rest are counted.
const SHOWN_WARNINGS: usize = 50;

/// Parses `--model`: 1PL, 2PL or 3PL, in any case.
fn parse_model(text: &str) -> Result<Model, String> {
    match text.to_ascii_uppercase().as_str() {
        "1PL" => Ok(Model::OnePl),
        "2PL" => Ok(Model::TwoPl),
        "3PL" => Ok(Model::ThreePl),
        _ => Err(format!(
            "`{text}` is not a model calibrate estimates; use 1PL, 2PL or 3PL"
        )),
    }
}

/// Arguments of `skillcat calibrate`.
#[derive(clap::Args)]
#[command(
    after_help = "With one --bank, calibrate estimates the bank's item parameters. With two or \
                  more, it estimates the correlations between the banks' domains, with every \
                  item's parameters fixed at its bank's, and writes them to --profile-out: \
                  calibrate each bank's items first.\n\n\
                  Exit status: 0 when the calibration ran (flags do not change it), \
                  1 when a bank is invalid or a response file cannot be read as CSV or \
                  xAPI, 2 for a usage error or a file that cannot be read or written."
)]
pub struct Args {
    /// Response files: CSV with a `learner,item,score` header, or xAPI statements (JSON
    /// array, StatementResult or JSON lines), recognised by their content.
    #[arg(required = true, value_name = "RESPONSES")]
    responses: Vec<PathBuf>,
    /// The bank whose items are calibrated; give it once per domain (two or more) to estimate
    /// the correlations between the domains instead.
    #[arg(long, value_name = "BANK.json", required = true)]
    bank: Vec<PathBuf>,
    /// 1PL (a = 1), 2PL, or 3PL (c with a Beta prior at the chance of a blind guess)
    /// [default: 2PL].
    #[arg(long, value_name = "1PL|2PL|3PL", value_parser = parse_model)]
    model: Option<Model>,
    /// Writes the calibrated bank here (it may be the input bank); without it nothing is
    /// written.
    #[arg(long, short, value_name = "NEW.json")]
    output: Option<PathBuf>,
    /// Writes the per-item statistics here, as CSV or JSON by the file's extension.
    #[arg(long, value_name = "FIT.csv|FIT.json")]
    report: Option<PathBuf>,
    /// Items with fewer responses keep their parameters and are flagged `too_few`
    /// [default: 100].
    #[arg(long, value_name = "N")]
    min_responses: Option<usize>,
    /// EM iterations at most [default: 500].
    #[arg(long, value_name = "N")]
    max_iterations: Option<usize>,
    /// With several --bank: writes the skill profile (the domains and their correlations)
    /// here; an existing profile keeps its id and title and gets the next version.
    #[arg(long, value_name = "PROFILE.json")]
    profile_out: Option<PathBuf>,
    /// With several --bank: pairs of domains with fewer learners in common are not estimated
    /// (their correlation is 0) [default: 100].
    #[arg(long, value_name = "N")]
    min_learners: Option<usize>,
}

/// Runs the subcommand; `Err` carries a message for stderr (exit status 2).
pub fn run(args: Args) -> Result<ExitCode, String> {
    if args.bank.len() > 1 {
        let item_only = [
            ("--model", args.model.is_some()),
            ("--output", args.output.is_some()),
            ("--report", args.report.is_some()),
            ("--min-responses", args.min_responses.is_some()),
            ("--max-iterations", args.max_iterations.is_some()),
        ];
        if let Some((flag, _)) = item_only.iter().find(|(_, given)| *given) {
            return Err(format!(
                "{flag} calibrates the items of one bank; with several --bank, calibrate \
                 estimates the correlations between them (calibrate each bank on its own first)"
            ));
        }
        return correlations::run(&correlations::Request {
            responses: &args.responses,
            banks: &args.bank,
            profile_out: args.profile_out.as_deref(),
            min_learners: args
                .min_learners
                .unwrap_or(CorrelationConfig::default().min_learners),
        });
    }
    for (flag, given) in [
        ("--profile-out", args.profile_out.is_some()),
        ("--min-learners", args.min_learners.is_some()),
    ] {
        if given {
            return Err(format!(
                "{flag} needs two or more --bank: it is about the correlations between domains"
            ));
        }
    }
    let bank_path = &args.bank[0];
    let bank_name = bank_path.display().to_string();
    let bank_text = read(bank_path)?;
    let bank_value: Value = match serde_json::from_str(&bank_text) {
        Ok(value) => value,
        Err(e) => {
            eprintln!("skillcat: {bank_name}: not valid JSON: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let bank = match Bank::from_value(&bank_name, &bank_value) {
        Ok(bank) => bank,
        Err(e) => {
            eprintln!("skillcat: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let report_csv = match &args.report {
        None => None,
        Some(path) => match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("csv") => Some(true),
            Some(ext) if ext.eq_ignore_ascii_case("json") => Some(false),
            _ => {
                return Err(format!(
                    "--report {}: must end in .csv or .json",
                    path.display()
                ));
            }
        },
    };

    let mut responses = Responses::new();
    for path in &args.responses {
        let text = read(path)?;
        if let Err(e) = responses.read(&path.display().to_string(), &text) {
            eprintln!("skillcat: {e}");
            return Ok(ExitCode::from(1));
        }
    }

    let defaults = CalibrationConfig::default();
    let config = CalibrationConfig {
        model: args.model.unwrap_or(defaults.model),
        min_responses: args.min_responses.unwrap_or(defaults.min_responses),
        max_iterations: args.max_iterations.unwrap_or(defaults.max_iterations),
        ..defaults
    };
    let bar = spinner();
    let started = Instant::now();
    let result = calibrate(&bank, &responses, &config, &mut |p| {
        bar.set_message(format!(
            "EM iteration {}/{}: largest change {:.1e}",
            p.iteration, p.max_iterations, p.max_change
        ));
        bar.tick();
    })
    .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();

    let warnings: Vec<String> = responses
        .warnings()
        .iter()
        .chain(&result.warnings)
        .map(ToString::to_string)
        .collect();
    for warning in warnings.iter().take(SHOWN_WARNINGS) {
        eprintln!("{warning}");
    }
    if warnings.len() > SHOWN_WARNINGS {
        eprintln!("… and {} more warnings", warnings.len() - SHOWN_WARNINGS);
    }

    print!(
        "{}",
        summary(&bank_name, &bank, &responses, &result, &warnings, seconds)
    );
    print!("{}", table(&result));

    if let (Some(path), Some(csv)) = (&args.report, report_csv) {
        let text = if csv {
            report_csv_text(&result)
        } else {
            let report = JsonReport {
                bank: &bank.id,
                version: &bank.version,
                calibration: &result,
                warnings: &warnings,
            };
            serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n"
        };
        write(path, &text)?;
        println!("wrote the fit report to {}", path.display());
    }
    if let Some(path) = &args.output {
        let text = match updated_bank(&bank_text, &bank_name, &result) {
            Ok(text) => text,
            Err(e) => return Err(format!("the calibrated bank does not validate: {e}")),
        };
        write(path, &text)?;
        let recalibrated = result.items.iter().filter(|i| i.estimated).count();
        let version = if recalibrated > 0 {
            next_version(&bank.version)
        } else {
            bank.version.clone()
        };
        println!(
            "wrote {} (version {version}; {recalibrated} item{} recalibrated)",
            path.display(),
            if recalibrated == 1 { "" } else { "s" }
        );
    } else {
        println!("(nothing written: pass --output NEW.json to write the calibrated bank)");
    }
    Ok(ExitCode::SUCCESS)
}

/// The JSON fit report.
#[derive(Serialize)]
struct JsonReport<'a> {
    bank: &'a str,
    version: &'a str,
    calibration: &'a Calibrated,
    warnings: &'a [String],
}

fn summary(
    name: &str,
    bank: &Bank,
    responses: &Responses,
    result: &Calibrated,
    warnings: &[String],
    seconds: f64,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "bank {name} (version {}): {} items",
        bank.version,
        bank.items.len()
    );
    let ignored = responses.ignored_statements();
    let _ = writeln!(
        out,
        "responses: {} from {} learners ({} warning{}{})",
        result.responses,
        result.learners,
        warnings.len(),
        if warnings.len() == 1 { "" } else { "s" },
        if ignored > 0 {
            format!("; {ignored} xAPI statements with other verbs ignored")
        } else {
            String::new()
        }
    );
    let estimated = result.items.iter().filter(|i| i.estimated).count();
    let state = if estimated == 0 {
        "no item has enough responses to estimate".to_string()
    } else if result.converged {
        format!("EM converged in {} iterations", result.iterations)
    } else {
        format!("EM did NOT converge in {} iterations", result.iterations)
    };
    let _ = writeln!(
        out,
        "{}, {state} (largest last change {:.1e}) in {seconds:.1} s",
        model_name(result.model),
        result.max_change
    );
    out
}

/// One line per item: responses, share correct, point-biserial, parameters before → after,
/// infit and outfit mean-squares, flags.
fn table(result: &Calibrated) -> String {
    let width = result
        .items
        .iter()
        .map(|i| i.id.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let with_a = result.model != Model::OnePl;
    let with_c = result.model == Model::ThreePl;
    let mut out = String::from("\n");
    let _ = write!(
        out,
        "{:<width$} {:>6} {:>6} {:>6}",
        "item", "n", "p", "pbis"
    );
    if with_a {
        let _ = write!(out, "  {:<17}", "a before → after");
    }
    let _ = write!(out, "  {:<17}", "b before → after");
    if with_c {
        let _ = write!(out, "  {:<17}", "c before → after");
    }
    let _ = writeln!(out, " {:>6} {:>6}  flags", "infit", "outfit");
    let number = |x: Option<f64>, decimals: usize| {
        x.map_or_else(|| "—".to_string(), |x| format!("{x:.decimals$}"))
    };
    for item in &result.items {
        let s = &item.stats;
        let _ = write!(
            out,
            "{:<width$} {:>6} {:>6} {:>6}",
            item.id,
            s.n,
            number(s.p, 3),
            number(s.point_biserial, 3)
        );
        let change = |field: fn(&Params) -> f64| {
            if item.estimated {
                format!("{:.3} → {:.3}", field(&item.before), field(&item.after))
            } else {
                format!("{:.3} (kept)", field(&item.before))
            }
        };
        if with_a {
            let _ = write!(out, "  {:<17}", change(|p| p.a));
        }
        let _ = write!(out, "  {:<17}", change(|p| p.b));
        if with_c {
            let _ = write!(out, "  {:<17}", change(|p| p.c));
        }
        let _ = write!(
            out,
            " {:>6} {:>6}",
            number(s.infit.map(|m| m.msq), 2),
            number(s.outfit.map(|m| m.msq), 2)
        );
        let flags: Vec<&str> = item.flags.iter().map(|f| f.name()).collect();
        let _ = writeln!(out, "  {}", flags.join(" "));
    }
    let flagged = result.items.iter().filter(|i| !i.flags.is_empty()).count();
    let _ = writeln!(out, "\n{flagged} of {} items flagged", result.items.len());
    out
}

/// The CSV fit report: one row per item.
fn report_csv_text(result: &Calibrated) -> String {
    let mut out = String::from(
        "item,estimated,n,correct,p,point_biserial,a_before,b_before,c_before,a,b,c,\
         infit,infit_z,outfit,outfit_z,flags\n",
    );
    let number = |x: Option<f64>| x.map_or_else(String::new, |x| format!("{x:.6}"));
    for item in &result.items {
        let row: &ItemResult = item;
        let s = &row.stats;
        let (b, a) = (row.before, row.after);
        let flags: Vec<&str> = row.flags.iter().map(|f| f.name()).collect();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{:.6},{:.6},{:.6},{:.6},{:.6},{:.6},{},{},{},{},{}",
            csv_field(&row.id),
            row.estimated,
            s.n,
            s.correct,
            number(s.p),
            number(s.point_biserial),
            b.a,
            b.b,
            b.c,
            a.a,
            a.b,
            a.c,
            number(s.infit.map(|m| m.msq)),
            number(s.infit.map(|m| m.z)),
            number(s.outfit.map(|m| m.msq)),
            number(s.outfit.map(|m| m.z)),
            flags.join(";")
        );
    }
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn model_name(model: Model) -> &'static str {
    match model {
        Model::OnePl => "1PL",
        Model::TwoPl => "2PL",
        Model::ThreePl => "3PL",
        Model::FourPl => "4PL",
    }
}

/// A spinner on stderr, drawn only when stderr is a terminal (never in pipes, logs or tests).
fn spinner() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner().with_message("reading responses");
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
