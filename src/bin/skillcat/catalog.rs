//! `skillcat catalog [DIR] [--check]`: writes the bank catalog `DIR/index.json` from the banks
//! in DIR, or checks that the written one is up to date:
//!
//! ```text
//! quizbanks/index.json: 7 banks: cloud, cybersecurity, data-governance, …
//! quizbanks/index.json is out of date with the banks in quizbanks:
//!   changed: cloud (version 2025.2 → 2025.3, items 66 → 67)
//! run `skillcat catalog quizbanks` (or `make catalog`) to write it
//! ```
//!
//! Every bank is validated first; its problems are printed as `validate` prints them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use skillcat::Error;
use skillcat::catalog::{self, Catalog};

use crate::validate::{check_file, print_invalid};
use crate::{out, write_file};

/// Arguments of `skillcat catalog`.
#[derive(clap::Args)]
#[command(
    after_help = "The banks are the folder's *.json files except schema.json, index.json \
and profile.json; each must be named <id>.json.\n\n\
Exit status: 0 written (or up to date with --check); 1 a bank has problems, or with --check the \
catalog is missing or out of date; 2 a usage error or a file that cannot be read or written."
)]
pub struct Args {
    /// The bank folder; the catalog is its index.json.
    #[arg(default_value = "quizbanks", value_name = "DIR")]
    dir: PathBuf,
    /// Write nothing: exit 1, saying what changed, when index.json differs from what the
    /// banks give (for tests and CI).
    #[arg(long)]
    check: bool,
}

/// Runs the subcommand; `Err` carries a message for stderr (exit status 2).
pub fn run(args: Args) -> Result<ExitCode, String> {
    let files = catalog::bank_files(&args.dir)
        .map_err(|e| format!("cannot read the folder {}: {e}", args.dir.display()))?;
    let mut banks = Vec::new();
    let mut invalid = false;
    for path in &files {
        match check_file(path)? {
            Ok(bank) => banks.push((file_name(path), bank)),
            Err(problems) => {
                print_invalid(path, &problems);
                invalid = true;
            }
        }
    }
    if invalid {
        return Ok(ExitCode::from(1));
    }
    let built = match Catalog::from_banks(banks.iter().map(|(f, b)| (f.as_str(), b))) {
        Ok(built) => built,
        Err(Error::InvalidBank(problems)) => {
            for problem in &problems {
                eprintln!("{}: {problem}", args.dir.display());
            }
            return Ok(ExitCode::from(1));
        }
        Err(other) => return Err(other.to_string()),
    };
    let target = args.dir.join(catalog::FILE_NAME);
    let text = built.to_json();
    if args.check {
        return check(&args.dir, &target, &built, &text);
    }
    write_file(&target, &text)?;
    let ids: Vec<&str> = built.banks.iter().map(|e| e.id.as_str()).collect();
    out(&format!(
        "{}: {} bank{}: {}\n",
        target.display(),
        ids.len(),
        if ids.len() == 1 { "" } else { "s" },
        ids.join(", ")
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// `--check`: exit 0 when `target` holds exactly `text`, else 1 with what differs.
fn check(dir: &Path, target: &Path, built: &Catalog, text: &str) -> Result<ExitCode, String> {
    let fix = format!(
        "run `skillcat catalog {}` (or `make catalog`) to write it",
        dir.display()
    );
    let written = match std::fs::read_to_string(target) {
        Ok(written) => written,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("{} is missing; {fix}", target.display());
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(format!("cannot read {}: {e}", target.display())),
    };
    if written == text {
        out(&format!("{}: up to date\n", target.display()))?;
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "{} is out of date with the banks in {}:",
        target.display(),
        dir.display()
    );
    match Catalog::from_json(&target.display().to_string(), &written) {
        Ok(old) => {
            let changes = built.changes_since(&old);
            if changes.is_empty() {
                eprintln!("  the same banks, written differently (edited by hand?)");
            }
            for change in changes {
                eprintln!("  {change}");
            }
        }
        Err(Error::InvalidBank(problems)) => {
            for problem in problems {
                eprintln!("  {problem}");
            }
        }
        Err(other) => eprintln!("  {other}"),
    }
    eprintln!("{fix}");
    Ok(ExitCode::from(1))
}

/// The file name of a path in the folder (bank files always have one).
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}
