//! `skillcat validate` (being written).

use std::process::ExitCode;

/// Arguments of `skillcat validate`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the subcommand; `Err` carries a message for stderr (exit status 2).
pub fn run(_args: Args) -> Result<ExitCode, String> {
    Err("not implemented yet".into())
}
