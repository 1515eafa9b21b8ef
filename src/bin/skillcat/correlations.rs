//! `skillcat calibrate RESPONSES… --bank A.json --bank B.json … [--profile-out PROFILE.json]`:
//! with two or more banks, calibrate estimates the correlations between their domains (see
//! `skillcat::calibrate::correlations`), with every item's parameters fixed at its bank's,
//! prints them, and writes the skill profile the joint engine reads:
//!
//! ```text
//! banks: 7 (cloud 2025.2, cybersecurity 2025.2, …)
//! responses: 98000 from 2000 learners (0 warnings)
//! correlations by pairwise marginal maximum likelihood, item parameters fixed:
//!
//! pair                              learners     rho      se
//! cloud – cybersecurity                 2000   0.815   0.011
//! …
//! wrote profile.json (version 1)
//! ```
//!
//! Calibrate each bank's items first (one `--bank` at a time), so that each domain's scale is
//! N(0, 1) in these learners.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use skillcat::calibrate::{
    CorrelationConfig, Correlations, Responses, estimate_correlations, next_version,
};
use skillcat::{Bank, Profile};

use crate::{out, validate, write_file};

/// Warnings printed in full; the rest are counted.
const SHOWN_WARNINGS: usize = 50;

/// What the correlation branch of `skillcat calibrate` needs.
pub struct Request<'a> {
    pub responses: &'a [PathBuf],
    pub banks: &'a [PathBuf],
    pub profile_out: Option<&'a Path>,
    pub min_learners: usize,
}

/// Runs the estimate; `Err` carries a message for stderr (exit status 2).
pub fn run(request: &Request) -> Result<ExitCode, String> {
    let mut banks: Vec<Bank> = Vec::with_capacity(request.banks.len());
    for path in request.banks {
        match validate::load(path)? {
            Ok(bank) => banks.push(bank),
            Err(code) => return Ok(code),
        }
    }
    let mut responses = Responses::new();
    for path in request.responses {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if let Err(e) = responses.read(&path.display().to_string(), &text) {
            eprintln!("skillcat: {e}");
            return Ok(ExitCode::from(1));
        }
    }
    let config = CorrelationConfig {
        min_learners: request.min_learners,
        ..Default::default()
    };
    let refs: Vec<&Bank> = banks.iter().collect();
    let found = match estimate_correlations(&refs, &responses, &config) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("skillcat: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let warnings: Vec<String> = responses
        .warnings()
        .iter()
        .chain(&found.warnings)
        .map(ToString::to_string)
        .collect();
    for warning in warnings.iter().take(SHOWN_WARNINGS) {
        eprintln!("{warning}");
    }
    if warnings.len() > SHOWN_WARNINGS {
        eprintln!("… and {} more warnings", warnings.len() - SHOWN_WARNINGS);
    }

    let mut text = summary(&banks, &responses, &found, warnings.len());
    match request.profile_out {
        Some(path) => {
            let previous = match std::fs::read_to_string(path) {
                Ok(text) => match Profile::from_json(&path.display().to_string(), &text) {
                    Ok(profile) => Some(profile),
                    Err(e) => {
                        eprintln!(
                            "skillcat: {e}\n{} exists and is not a valid profile: nothing \
                             written (move it away, or give another --profile-out)",
                            path.display()
                        );
                        return Ok(ExitCode::from(1));
                    }
                },
                Err(_) => None,
            };
            let profile = Profile {
                schema: previous.as_ref().and_then(|p| p.schema.clone()),
                id: previous
                    .as_ref()
                    .map_or_else(|| "profile".into(), |p| p.id.clone()),
                title: previous.as_ref().map_or_else(
                    || "Correlations between the domains".into(),
                    |p| p.title.clone(),
                ),
                version: previous
                    .as_ref()
                    .map_or_else(|| "1".into(), |p| next_version(&p.version)),
                source: source(request.responses, &banks, &found),
                domains: found.domains.clone(),
                correlations: found
                    .matrix
                    .iter()
                    .map(|row| row.iter().map(|r| (r * 1000.0).round() / 1000.0).collect())
                    .collect(),
            };
            // Rounding to three decimals keeps the matrix well inside positive definiteness
            // (its smallest eigenvalue is at least 0.01); the check makes sure.
            profile
                .check(&path.display().to_string())
                .map_err(|e| format!("the estimated profile does not validate: {e}"))?;
            let json = serde_json::to_string_pretty(&profile).map_err(|e| e.to_string())?;
            write_file(path, &(json + "\n"))?;
            let _ = writeln!(
                text,
                "wrote {} (version {})",
                path.display(),
                profile.version
            );
        }
        None => text.push_str(
            "(nothing written: pass --profile-out PROFILE.json to write the skill profile)\n",
        ),
    }
    out(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The banks, the responses, a line per pair and the matrix.
fn summary(banks: &[Bank], responses: &Responses, found: &Correlations, warnings: usize) -> String {
    let mut out = String::new();
    let names: Vec<String> = banks
        .iter()
        .map(|b| format!("{} {}", b.id, b.version))
        .collect();
    let _ = writeln!(out, "banks: {} ({})", banks.len(), names.join(", "));
    let _ = writeln!(
        out,
        "responses: {} from {} learners ({} warning{})",
        found.responses,
        responses.learner_count(),
        warnings,
        if warnings == 1 { "" } else { "s" }
    );
    let _ = writeln!(
        out,
        "correlations by pairwise marginal maximum likelihood, item parameters fixed:\n"
    );
    let width = found
        .domains
        .iter()
        .map(|d| d.chars().count())
        .max()
        .unwrap_or(4);
    let _ = writeln!(
        out,
        "{:<w$} {:>8} {:>7} {:>7}",
        "pair",
        "learners",
        "rho",
        "se",
        w = 2 * width + 3
    );
    for pair in &found.pairs {
        let label = format!(
            "{} – {}",
            found.domains[pair.first], found.domains[pair.second]
        );
        let number = |x: Option<f64>| x.map_or_else(|| "—".to_string(), |x| format!("{x:.3}"));
        let _ = writeln!(
            out,
            "{:<w$} {:>8} {:>7} {:>7}{}",
            label,
            pair.learners,
            number(pair.rho),
            number(pair.se),
            if pair.at_bound { "  at the bound" } else { "" },
            w = 2 * width + 3
        );
    }
    let _ = writeln!(out, "\nmatrix:");
    let _ = write!(out, "{:<width$}", "");
    for d in &found.domains {
        let _ = write!(out, " {:>7}", truncate(d, 7));
    }
    out.push('\n');
    for (d, row) in found.domains.iter().zip(&found.matrix) {
        let _ = write!(out, "{d:<width$}");
        for r in row {
            let _ = write!(out, " {r:>7.3}");
        }
        out.push('\n');
    }
    if found.adjusted {
        let change = found
            .matrix
            .iter()
            .flatten()
            .zip(found.pairwise.iter().flatten())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        let _ = writeln!(
            out,
            "the pairwise estimates were not positive definite together: this is the nearest \
             correlation matrix that is (largest change {change:.3})"
        );
    }
    out
}

fn truncate(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// The profile's `source`: where the numbers come from, in words.
fn source(files: &[PathBuf], banks: &[Bank], found: &Correlations) -> String {
    let files: Vec<String> = files
        .iter()
        .map(|p| {
            p.file_name()
                .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
        })
        .collect();
    let banks: Vec<String> = banks
        .iter()
        .map(|b| format!("{} {}", b.id, b.version))
        .collect();
    let learners = found.pairs.iter().map(|p| p.learners);
    let (fewest, most) = (
        learners.clone().min().unwrap_or(0),
        learners.max().unwrap_or(0),
    );
    let ses: Vec<f64> = found.pairs.iter().filter_map(|p| p.se).collect();
    let mut text = format!(
        "Estimated by skillcat calibrate from {} by pairwise marginal maximum likelihood, with \
         the item parameters of {} fixed; {} to {} learners per pair",
        files.join(", "),
        banks.join(", "),
        fewest,
        most
    );
    if let (Some(low), Some(high)) = (
        ses.iter().copied().reduce(f64::min),
        ses.iter().copied().reduce(f64::max),
    ) {
        let _ = write!(text, ", standard errors {low:.3} to {high:.3}");
    }
    text.push('.');
    let missing: Vec<String> = found
        .pairs
        .iter()
        .filter(|p| p.rho.is_none())
        .map(|p| format!("{}–{}", found.domains[p.first], found.domains[p.second]))
        .collect();
    if !missing.is_empty() {
        let _ = write!(
            text,
            " Too few learners to estimate {}: set to 0.",
            missing.join(", ")
        );
    }
    if found.adjusted {
        text.push_str(" Adjusted to the nearest positive-definite correlation matrix.");
    }
    text
}
