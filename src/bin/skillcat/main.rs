//! `skillcat`: the command line for authors and admins. Each subcommand lives in its own
//! module; this file only parses arguments and dispatches.

mod calibrate;
mod convert;
mod simulate;
mod stats;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Question-bank tools for skillcat: validate, inspect, convert, simulate and calibrate.
#[derive(Parser)]
#[command(name = "skillcat", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check banks against the format; exit status 1 when any problem is found.
    Validate(validate::Args),
    /// Counts by topic, difficulty, type and status, and the test information curve.
    Stats(stats::Args),
    /// Convert GIFT, Aiken, CSV/TSV, Moodle XML or QTI into a bank.
    Import(convert::ImportArgs),
    /// Convert a bank to GIFT, QTI 3.0 or CSV.
    Export(convert::ExportArgs),
    /// Run a CAT simulation study on a bank.
    Simulate(simulate::Args),
    /// Estimate item parameters from responses (marginal maximum likelihood, EM).
    Calibrate(calibrate::Args),
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
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("skillcat: {message}");
            ExitCode::from(2)
        }
    }
}
