//! `skillcat import` and `skillcat export` (being written).

use std::process::ExitCode;

/// Arguments of `skillcat import`.
#[derive(clap::Args)]
pub struct ImportArgs {}

/// Arguments of `skillcat export`.
#[derive(clap::Args)]
pub struct ExportArgs {}

/// Runs `import`; `Err` carries a message for stderr (exit status 2).
pub fn import(_args: ImportArgs) -> Result<ExitCode, String> {
    Err("not implemented yet".into())
}

/// Runs `export`; `Err` carries a message for stderr (exit status 2).
pub fn export(_args: ExportArgs) -> Result<ExitCode, String> {
    Err("not implemented yet".into())
}
