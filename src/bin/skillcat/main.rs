//! `skillcat`: the command line for authors and admins. Each subcommand lives in its own
//! module; this file parses arguments, dispatches, and holds the few helpers the subcommands
//! share (output format, progress bars).
//!
//! Exit status: 0 success; 1 the input has problems (an invalid bank); 2 a usage or I/O error.

#![forbid(unsafe_code)]

mod calibrate;
mod catalog;
mod convert;
mod correlations;
mod package;
mod review;
mod simulate;
mod simulate_profile;
mod stats;
mod validate;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

/// Question-bank tools for skillcat: validate, inspect, convert, simulate, calibrate,
/// package for an LMS and list the banks in a catalog.
///
/// Exit status: 0 success, 1 problems found in a bank, 2 usage or I/O error.
#[derive(Parser)]
#[command(name = "skillcat", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check banks against the format, and with --as-of list the items due for review; exit
    /// status 1 when any problem is found.
    Validate(validate::Args),
    /// Counts by topic, difficulty, type and status, and the test information curve.
    Stats(stats::Args),
    /// Convert GIFT, Aiken, CSV/TSV, Moodle XML or QTI into a bank.
    Import(convert::ImportArgs),
    /// Convert a bank to GIFT, QTI 3.0 or CSV.
    Export(convert::ExportArgs),
    /// Run a CAT simulation study on a bank.
    Simulate(simulate::Args),
    /// Estimate item parameters from responses (marginal maximum likelihood, EM), or with
    /// several banks the correlations between their domains.
    Calibrate(calibrate::Args),
    /// Build a SCORM 1.2, SCORM 2004 or cmi5 zip that launches the quiz over chosen banks.
    Package(package::Args),
    /// Write the bank catalog (index.json) of a bank folder, or check that it is up to date.
    Catalog(catalog::Args),
}

/// How a subcommand writes its results on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Readable text.
    Text,
    /// JSON, for scripts and CI.
    Json,
}

/// A progress bar on stderr for `len` steps of long work, drawn only when stderr is a
/// terminal (never in pipes, logs or tests). Print through [`ProgressBar::suspend`] while it
/// is visible.
fn progress_bar(len: u64, message: &'static str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len).with_message(message);
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({elapsed}, eta {eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Parses a whole number of at least 1 (for counts such as `--simulees`).
fn positive(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("`{text}` is not a whole number")),
    }
}

/// Writes to stdout. A closed pipe (`skillcat validate … | head`) ends the output quietly
/// instead of panicking as `print!` would; other write errors are reported (exit status 2).
fn out(text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to stdout: {e}"))
        }
        _ => Ok(()),
    }
}

/// Writes an output file; `Err` names it (exit status 2).
fn write_file(path: &std::path::Path, contents: &str) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Import(args) => convert::import(args),
        Command::Export(args) => convert::export(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Calibrate(args) => calibrate::run(args),
        Command::Package(args) => package::run(args),
        Command::Catalog(args) => catalog::run(args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("skillcat: {message}");
            ExitCode::from(2)
        }
    }
}
