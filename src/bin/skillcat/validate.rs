//! `skillcat validate FILES…`: checks every bank and prints every problem with its file, line,
//! JSON path and message, the way compilers do, so editors and CI can jump to it:
//!
//! ```text
//! cybersecurity.json:123: items[12] ("cyb-ransom-03").key[0]: option index 5 but the item has 4 options
//! cybersecurity.json: 1 problem
//! regulation.json: ok: 68 items
//! ```
//!
//! A JSON Schema among the files (`quizbanks/schema.json`, which `quizbanks/*.json` matches) is
//! skipped with a note rather than reported as a broken bank.
//!
//! With `--as-of DATE` it also lists, for each valid bank, the items due for review on that
//! day and every item with a `watch` note (see [`review`]).
//!
//! The problems and their lines come from [`bank_file`], which every subcommand that reads a
//! bank goes through, so a broken bank reads the same whichever command finds it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use skillcat::bank_file::{self, BankFile, LoadError, count, is_json_schema};

use crate::{Format, out, progress_bar, review};

/// Arguments of `skillcat validate`.
#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 when every bank is valid, 1 when any has a problem, \
                        2 for a usage error or a file that cannot be read."
)]
pub struct Args {
    /// Bank files (JSON) to check.
    #[arg(required = true, value_name = "FILES")]
    files: Vec<PathBuf>,
    /// `text`: one line per problem (`file:line: path: message`) and a summary per file;
    /// `json`: an array of {file, line, path, message}, nothing else (with --as-of, an object
    /// {asOf, reviewAgeMonths, problems, due, watched}).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    review: review::ReviewArgs,
}

/// Reads a bank for any subcommand: `Ok(Ok(file))`, or `Ok(Err(exit status 1))` after
/// printing its problems on stderr as `validate` prints them, or `Err` for an unreadable file.
pub fn load(path: &Path) -> Result<Result<BankFile, ExitCode>, String> {
    match bank_file::load(path) {
        Ok(file) => Ok(Ok(file)),
        Err(LoadError::Unreadable(message)) => Err(message),
        Err(invalid) => {
            eprintln!("{invalid}");
            Ok(Err(ExitCode::from(1)))
        }
    }
}

/// Runs the subcommand; `Err` carries a message for stderr (exit status 2).
pub fn run(args: Args) -> Result<ExitCode, String> {
    let bar = progress_bar(args.files.len() as u64, "validating");
    let policy = args.review.policy();
    let mut all = Vec::new();
    let (mut due, mut watched) = (Vec::new(), Vec::new());
    let (mut invalid, mut unreadable) = (false, false);
    for path in &args.files {
        let mut text = String::new();
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {file}: {e}"));
        if bytes.as_deref().is_ok_and(is_json_schema) {
            if args.format == Format::Text {
                bar.suspend(|| out(&format!("{file}: skipped: a JSON Schema, not a bank\n")))?;
            }
            bar.inc(1);
            continue;
        }
        match bytes.map(|bytes| bank_file::check(&file, bytes)) {
            Err(message) => {
                bar.suspend(|| eprintln!("skillcat: {message}"));
                unreadable = true;
            }
            Ok(Ok(checked)) => {
                let mut summary = format!("ok: {}", count(checked.bank.items.len(), "item"));
                if let Some(policy) = policy {
                    let found = review::locate(&file, checked.text(), &checked.bank, policy);
                    for problem in &found.problems {
                        text.push_str(&format!("{problem}\n"));
                    }
                    text.push_str(&found.text());
                    if !found.problems.is_empty() {
                        invalid = true;
                        summary = count(found.problems.len(), "problem");
                    }
                    summary = format!("{summary}; {}", found.summary(policy));
                    all.extend(found.problems);
                    due.extend(found.due);
                    watched.extend(found.watched);
                }
                text.push_str(&format!("{file}: {summary}\n"));
            }
            Ok(Err(problems)) => {
                invalid = true;
                for problem in &problems {
                    text.push_str(&format!("{problem}\n"));
                }
                let summary = count(problems.len(), "problem");
                text.push_str(&format!("{file}: {summary}\n"));
                all.extend(problems);
            }
        }
        if args.format == Format::Text {
            bar.suspend(|| out(&text))?;
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    if args.format == Format::Json {
        let json = match policy {
            None => serde_json::to_string_pretty(&all),
            Some(policy) => serde_json::to_string_pretty(&serde_json::json!({
                "asOf": policy.as_of,
                "reviewAgeMonths": policy.review_age_months,
                "problems": all,
                "due": due,
                "watched": watched,
            })),
        }
        .map_err(|e| e.to_string())?;
        out(&format!("{json}\n"))?;
    }
    Ok(ExitCode::from(if unreadable {
        2
    } else {
        u8::from(invalid)
    }))
}
