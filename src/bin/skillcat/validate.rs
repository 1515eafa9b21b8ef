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
//! The problems come from [`Bank::from_json`]; their lines from [`LineIndex`] over the source
//! text (a problem about a missing field points at the object that lacks it, an unknown field
//! at its key, malformed JSON at the line `serde_json` reports).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use skillcat::source_lines::{LineIndex, parse_path};
use skillcat::{Bank, Error};

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

/// Whether `bytes` hold a JSON Schema (a top-level `$schema` naming json-schema.org), such as
/// the banks' own `schema.json`, rather than a bank (whose `$schema` is a relative path).
fn is_json_schema(bytes: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(rename = "$schema")]
        schema: Option<String>,
    }
    serde_json::from_slice::<Head>(bytes).is_ok_and(|head| {
        head.schema.is_some_and(|uri| {
            ["http://json-schema.org/", "https://json-schema.org/"]
                .iter()
                .any(|prefix| uri.starts_with(prefix))
        })
    })
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
        let checked = bytes.map(|bytes| (check_bytes(&file, &bytes), bytes));
        match checked {
            Err(message) => {
                bar.suspend(|| eprintln!("skillcat: {message}"));
                unreadable = true;
            }
            Ok((Ok(bank), bytes)) => {
                let mut summary = format!("ok: {}", count(bank.items.len(), "item"));
                if let Some(policy) = policy {
                    let source = String::from_utf8_lossy(&bytes);
                    let found = review::locate(&file, &source, &bank, policy);
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
            Ok((Err(problems), _)) => {
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
