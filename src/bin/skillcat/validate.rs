//! `skillcat validate FILES…`: checks every bank and prints every problem with its file, line,
//! JSON path and message, the way compilers do, so editors and CI can jump to it:
//!
//! ```text
//! cybersecurity.json:123: items[12] ("cyb-ransom-03").key[0]: option index 5 but the item has 4 options
//! cybersecurity.json: 1 problem
//! regulation.json: ok: 68 items
//! ```
//!
//! The problems come from [`Bank::from_json`]; their lines from [`LineIndex`] over the source
//! text (a problem about a missing field points at the object that lacks it, an unknown field
//! at its key, malformed JSON at the line `serde_json` reports).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use skillcat::json_lines::{LineIndex, parse_path};
use skillcat::{Bank, Error};

use crate::{Format, out, progress_bar};

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
    /// `json`: an array of {file, line, path, message}, nothing else.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// One problem, located in its file.
#[derive(Debug, Clone, Serialize)]
pub struct Located {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// The JSON path as the validator writes it (`items[12] ("cyb-ransom-03").key[0]`); empty
    /// for the bank as a whole.
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Located {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

/// Reads and validates one bank file: `Ok(Ok(bank))` when valid, `Ok(Err(problems))` with
/// every problem located, `Err(message)` when the file cannot be read.
pub fn check_file(path: &Path) -> Result<Result<Bank, Vec<Located>>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(check_bytes(&path.display().to_string(), &bytes))
}

/// Validates the bytes of a bank file named `file` (for callers that keep the bytes, such as
/// `package`, which copies them as they are).
pub fn check_bytes(file: &str, bytes: &[u8]) -> Result<Bank, Vec<Located>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
            let message = format!(
                "not UTF-8 text: invalid byte at offset {}; save the file as UTF-8",
                valid.len()
            );
            let path = String::new();
            return Err(vec![Located {
                file: file.to_string(),
                line,
                path,
                message,
            }]);
        }
    };
    check_text(file, text)
}

/// Validates bank text named `file`, locating each problem.
pub fn check_text(file: &str, text: &str) -> Result<Bank, Vec<Located>> {
    let problems = match Bank::from_json(file, text) {
        Ok(bank) => return Ok(bank),
        Err(Error::InvalidBank(problems)) => problems,
        Err(other) => {
            // `from_json` reports only invalid banks; anything else is still shown, never lost.
            return Err(vec![Located {
                file: file.to_string(),
                line: 1,
                path: String::new(),
                message: other.to_string(),
            }]);
        }
    };
    let index = LineIndex::new(text);
    Err(problems
        .into_iter()
        .map(|problem| Located {
            file: file.to_string(),
            line: line_of(text, &index, &problem.path, &problem.message),
            path: problem.path,
            message: problem.message,
        })
        .collect())
}

/// The line a problem points at.
fn line_of(text: &str, index: &LineIndex, path: &str, message: &str) -> usize {
    if path.is_empty() && message.starts_with("not valid JSON") {
        return match serde_json::from_str::<serde_json::Value>(text) {
            Err(e) => e.line().max(1),
            Ok(_) => 1,
        };
    }
    // An unknown field: the line of its key. Its name is quoted as "unknown field `name`"
    // (cut when long), or "unknown field with an empty name".
    let name = if message.starts_with("unknown field with an empty name") {
        Some("")
    } else {
        message.strip_prefix("unknown field `")
    };
    if let Some(rest) = name {
        let segments = parse_path(path);
        let best = index
            .members(&segments)
            .into_iter()
            .filter(|(key, _)| {
                rest.is_empty() && key.is_empty()
                    || rest.strip_prefix(key).is_some_and(|r| r.starts_with('`'))
            })
            .max_by_key(|(key, _)| key.len());
        if let Some((_, line)) = best {
            return line;
        }
    }
    index.locate(path)
}

/// Prints problems on stderr (for subcommands that need a valid bank).
pub fn print_problems(problems: &[Located]) {
    for problem in problems {
        eprintln!("{problem}");
    }
}

/// Reads a bank for another subcommand: `Ok(Ok(bank))`, or `Ok(Err(exit status 1))` after
/// printing its problems on stderr, or `Err` for an unreadable file.
pub fn load(path: &Path) -> Result<Result<Bank, ExitCode>, String> {
    Ok(check_file(path)?.map_err(|problems| {
        print_invalid(path, &problems);
        ExitCode::from(1)
    }))
}

/// Prints a bank file's problems on stderr, then how many there are.
pub fn print_invalid(path: &Path, problems: &[Located]) {
    print_problems(problems);
    eprintln!("{}: {}", path.display(), count(problems.len(), "problem"));
}

/// "1 problem", "3 problems".
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// Runs the subcommand; `Err` carries a message for stderr (exit status 2).
pub fn run(args: Args) -> Result<ExitCode, String> {
    let bar = progress_bar(args.files.len() as u64, "validating");
    let mut all = Vec::new();
    let (mut invalid, mut unreadable) = (false, false);
    for path in &args.files {
        let mut text = String::new();
        match check_file(path) {
            Err(message) => {
                bar.suspend(|| eprintln!("skillcat: {message}"));
                unreadable = true;
            }
            Ok(Ok(bank)) => {
                let items = count(bank.items.len(), "item");
                text = format!("{}: ok: {items}\n", path.display());
            }
            Ok(Err(problems)) => {
                invalid = true;
                for problem in &problems {
                    text.push_str(&format!("{problem}\n"));
                }
                let summary = count(problems.len(), "problem");
                text.push_str(&format!("{}: {summary}\n", path.display()));
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
        let json = serde_json::to_string_pretty(&all).map_err(|e| e.to_string())?;
        out(&format!("{json}\n"))?;
    }
    Ok(ExitCode::from(if unreadable {
        2
    } else {
        u8::from(invalid)
    }))
}
