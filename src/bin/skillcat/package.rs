//! `skillcat package`: a SCORM 1.2, SCORM 2004 or cmi5 zip that an LMS imports as one activity
//! and launches as the `<skillcat-quiz>` element over the chosen banks.
//!
//! This module reads and checks the inputs (every bank through the validator, the shell's
//! files from `--www`) and turns the options into a [`Course`]; the manifests, the launch page
//! and the zip come from [`skillcat::package`].

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use skillcat::bank::is_slug;
use skillcat::bank_file;
use skillcat::convert::slug;
use skillcat::package::{self, Course, LevelCertainty, Lms, MAX_ITEMS_LIMIT, MasteryScore};
use skillcat::{Bank, Mode, Profile, SessionConfig};

use crate::{out, positive, validate};

/// The shell's files copied from `--www` besides `lib/**/*.js`.
const SHELL_FILES: [&str; 4] = [
    "skillcat-quiz.js",
    "skillcat-quiz.css",
    "package.css",
    "favicon.svg",
];
/// The WebAssembly package, built by `make wasm` rather than checked in.
const BUILT_FILES: [&str; 2] = ["pkg/skillcat.js", "pkg/skillcat_bg.wasm"];

/// Arguments of `skillcat package`.
#[derive(clap::Args)]
#[command(after_help = "\
The zip holds the manifest (imsmanifest.xml or cmi5.xml) first, then index.html (the launch \
page), favicon.svg, package.css, skillcat-quiz.js, skillcat-quiz.css, lib/**/*.js, pkg/skillcat.js, \
pkg/skillcat_bg.wasm, quizbanks/<bank id>.json (each bank's bytes as they are) and, when a \
skill profile links two or more of the banks, quizbanks/profile.json (its bytes as they are). \
The same inputs give the same bytes.

Exit status: 0 written; 1 a bank or the profile has problems, or two banks share an id; 2 a \
usage error (a --profile that links fewer than two of the banks), a missing or unreadable file (build pkg/ with `make wasm` first), or an unwritable output.")]
pub struct Args {
    /// The LMS standard to package for.
    #[arg(long, value_enum)]
    format: Lms,
    /// Banks (JSON), one domain each, in the order the learner meets them.
    #[arg(required = true, value_name = "BANK.json")]
    banks: Vec<PathBuf>,
    /// Where to write the zip.
    #[arg(long, short, value_name = "OUT.zip")]
    output: PathBuf,
    /// `practice` shows feedback after each answer; `assessment` reveals nothing until the end.
    #[arg(long, value_enum, default_value_t = Mode::Practice)]
    mode: Mode,
    /// Scored questions per domain, 1 to 200 (the element's `max-items`).
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = max_items)]
    max_items: usize,
    /// The pass mark in percent, 0 to 100 (`70`, `72.5`); without it the LMS records
    /// completion only.
    #[arg(long, value_name = "P", value_parser = MasteryScore::parse)]
    mastery_score: Option<MasteryScore>,
    /// A domain ends once one level is at least this likely: a probability above 0.5 and below
    /// 1, or `off` to run every domain to `--max-items` [default: the element's 0.8]
    #[arg(long, value_name = "P|off", value_parser = LevelCertainty::parse)]
    level_certainty: Option<LevelCertainty>,
    /// The title the LMS shows [default: "Skill check: " and the banks' titles]
    #[arg(long, value_name = "TEXT", value_parser = title)]
    title: Option<String>,
    /// The package's id, a slug; the manifest and activity identifiers come from it
    /// [default: "skillcat-" and the bank ids]
    #[arg(long, value_name = "SLUG", value_parser = id)]
    id: Option<String>,
    /// The skill profile linking the banks' domains, shipped as quizbanks/profile.json so that
    /// the domains are one joint test; `none` tests them apart [default: profile.json next to
    /// the first bank, when it links two or more of the banks]
    #[arg(long, value_name = "PROFILE.json|none")]
    profile: Option<PathBuf>,
    /// The folder of the `<skillcat-quiz>` shell, with `pkg/` built by `make wasm`.
    #[arg(long, value_name = "DIR", default_value = "www")]
    www: PathBuf,
}

fn max_items(text: &str) -> Result<usize, String> {
    match positive(text)? {
        n if n > MAX_ITEMS_LIMIT => Err(format!("must be at most {MAX_ITEMS_LIMIT}")),
        n => Ok(n),
    }
}

fn title(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("must not be empty".into());
    }
    Ok(text.to_string())
}

fn id(text: &str) -> Result<String, String> {
    if is_slug(text) {
        return Ok(text.to_string());
    }
    let hint = match slug(text) {
        suggestion if suggestion.is_empty() => String::new(),
        suggestion => format!(", such as `{suggestion}`"),
    };
    Err(format!(
        "`{text}` is not a slug (lowercase letters, digits and `-`{hint})"
    ))
}

/// A valid bank and its file's bytes, copied into the package as they are.
type Loaded = (Bank, Vec<u8>);

/// Reads and validates every bank, printing every problem of every bank before giving up:
/// `Ok(Ok(banks with their bytes))`, `Ok(Err(exit status 1))` after printing, or `Err` for
/// an unreadable file.
fn load_banks(paths: &[PathBuf]) -> Result<Result<Vec<Loaded>, ExitCode>, String> {
    let mut banks: Vec<(Bank, Vec<u8>, &Path)> = Vec::new();
    let mut invalid = false;
    for path in paths {
        match validate::load(path)? {
            Ok(file) => banks.push((file.bank, file.bytes, path)),
            Err(_) => invalid = true,
        }
    }
    for (index, (bank, _, path)) in banks.iter().enumerate() {
        if let Some((_, _, first)) = banks[..index].iter().find(|(b, _, _)| b.id == bank.id) {
            eprintln!(
                "{}: id: `{}` is also the id of {}; bank ids must be distinct (each becomes \
                 quizbanks/<id>.json in the package)",
                path.display(),
                bank.id,
                first.display()
            );
            invalid = true;
        }
    }
    if invalid {
        return Ok(Err(ExitCode::from(1)));
    }
    Ok(Ok(banks
        .into_iter()
        .map(|(bank, bytes, _)| (bank, bytes))
        .collect()))
}

/// The profile a package ships, with its file's bytes.
struct Shipped {
    /// `health-it 2025.2`, for the summary line.
    name: String,
    correlations: Vec<Vec<f64>>,
    bytes: Vec<u8>,
}

/// The skill profile for `banks`: `--profile FILE`, or by default `profile.json` next to the
/// first bank (the banks' family), or none (`--profile none`, one bank, no file there, or a
/// default profile that links fewer than two of the banks). `Ok(Err(1))` after printing the
/// profile's problems; `Err` for an unreadable file or a named profile that links fewer than
/// two of the banks.
fn load_profile(
    args: &Args,
    banks: &[Loaded],
) -> Result<Result<Option<Shipped>, ExitCode>, String> {
    let named = args.profile.as_deref();
    let path = match named {
        Some(path) if path == Path::new("none") => return Ok(Ok(None)),
        Some(path) => path.to_path_buf(),
        None if banks.len() < 2 => return Ok(Ok(None)),
        None => {
            let folder = args.banks[0].parent().unwrap_or(Path::new(""));
            let default = folder.join("profile.json");
            if !default.is_file() {
                return Ok(Ok(None));
            }
            default
        }
    };
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let name = path.display().to_string();
    let text = std::str::from_utf8(&bytes).map_err(|e| format!("{name}: not UTF-8 text: {e}"))?;
    let profile = match Profile::from_json(&name, text) {
        Ok(profile) => profile,
        Err(error) => {
            eprintln!("{error}");
            return Ok(Err(ExitCode::from(1)));
        }
    };
    let ids: Vec<&str> = banks.iter().map(|(bank, _)| bank.id.as_str()).collect();
    let linked = ids
        .iter()
        .filter(|id| profile.domains.iter().any(|d| d == *id))
        .count();
    if linked < 2 {
        if named.is_none() {
            return Ok(Ok(None));
        }
        return Err(format!(
            "{name}: links {linked} of the banks ({}) but a profile links two or more; its \
             domains are {}. Use --profile none to test the domains apart.",
            ids.join(", "),
            profile.domains.join(", ")
        ));
    }
    Ok(Ok(Some(Shipped {
        name: format!("{} {}", profile.id, profile.version),
        correlations: profile.correlations_for(&ids),
        bytes,
    })))
}

/// Reads one file of the shell; `hint` follows "not found".
fn read_shell_file(www: &Path, path: &str, hint: &str) -> Result<Vec<u8>, String> {
    let full = www.join(path);
    std::fs::read(&full).map_err(|e| match e.kind() {
        ErrorKind::NotFound => format!("{}: not found; {hint}", full.display()),
        _ => format!("cannot read {}: {e}", full.display()),
    })
}

/// Adds every `*.js` under `www/dir`, recursively, keyed by its path relative to `www`.
/// Symbolic links to folders are not followed (no cycles).
fn add_scripts(www: &Path, dir: &str, files: &mut BTreeMap<String, Vec<u8>>) -> Result<(), String> {
    let full = www.join(dir);
    let entries =
        std::fs::read_dir(&full).map_err(|e| format!("cannot read {}: {e}", full.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", full.display()))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            return Err(format!(
                "{}: a file name that is not UTF-8",
                entry.path().display()
            ));
        };
        let path = format!("{dir}/{name}");
        let kind = entry
            .file_type()
            .map_err(|e| format!("cannot read {}: {e}", entry.path().display()))?;
        if kind.is_dir() {
            add_scripts(www, &path, files)?;
        } else if name.ends_with(".js") && entry.path().is_file() {
            let bytes = std::fs::read(entry.path())
                .map_err(|e| format!("cannot read {}: {e}", entry.path().display()))?;
            files.insert(path, bytes);
        }
    }
    Ok(())
}

/// The shell's files from `www`, keyed by their path in the package.
fn shell_files(www: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut files = BTreeMap::new();
    for path in BUILT_FILES {
        let bytes = read_shell_file(www, path, "build it with `make wasm` first")?;
        files.insert(path.to_string(), bytes);
    }
    for path in SHELL_FILES {
        let hint = "is --www the folder of skillcat-quiz.js?";
        files.insert(path.to_string(), read_shell_file(www, path, hint)?);
    }
    add_scripts(www, "lib", &mut files)?;
    Ok(files)
}

/// The course the options describe, with the defaults made from the banks.
fn course(args: &Args, banks: &[Loaded], profile: Option<&Shipped>) -> Course {
    let ids: Vec<&str> = banks.iter().map(|(bank, _)| bank.id.as_str()).collect();
    let titles: Vec<&str> = banks.iter().map(|(bank, _)| bank.title.as_str()).collect();
    let mode = args.mode;
    let mut description = format!(
        "An adaptive skill check in {}: up to {} scored questions per domain, {} mode.",
        titles.join(", "),
        args.max_items,
        mode.json_name()
    );
    if let Some(score) = args.mastery_score {
        description.push_str(&format!(" Pass mark: {score}."));
    }
    Course {
        id: args
            .id
            .clone()
            .unwrap_or_else(|| format!("skillcat-{}", ids.join("-"))),
        title: args
            .title
            .clone()
            .unwrap_or_else(|| format!("Skill check: {}", titles.join(", "))),
        description,
        language: banks[0].0.language.clone(),
        banks: ids.iter().map(|id| id.to_string()).collect(),
        mode,
        max_items: args.max_items,
        mastery: args.mastery_score,
        level_certainty: args.level_certainty.unwrap_or_default(),
        correlations: profile.map(|shipped| shipped.correlations.clone()),
    }
}

/// Warns when the longest test the course allows may outgrow what the LMS keeps
/// ([`package::state_overflow`]): the package still works, but a learner who leaves such a
/// test late may not get it back.
fn warn_if_state_may_overflow(lms: Lms, course: &Course, banks: &[Loaded]) {
    // The launch page leaves the engine's default number of pretest items per domain.
    let pretest = SessionConfig::default().pretest_items;
    let banks: Vec<&Bank> = banks.iter().map(|(bank, _)| bank).collect();
    let Some(overflow) = package::state_overflow(lms, course, &banks, pretest) else {
        return;
    };
    let (needed, limit) = (overflow.needed, overflow.limit);
    match lms {
        Lms::Scorm12 => eprintln!(
            "warning: a test over these banks may need up to {needed} characters of \
             suspend_data, more than SCORM 1.2's {limit}; a learner who leaves such a test late \
             cannot resume it. Use --format scorm2004 or cmi5, fewer banks or a lower --max-items."
        ),
        _ => eprintln!(
            "warning: a test over these banks may send up to {needed} bytes in one SCORM 2004 \
             commit of the whole data model (as Moodle's player sends it), more than the \
             {limit} a browser sends while the page closes; the LMS may then miss the end of \
             such a session (its time; everything, in an LMS that saves only at Terminate). \
             Use fewer banks or a lower --max-items, or cmi5."
        ),
    }
}

/// Runs the subcommand; `Err` carries a message for stderr (exit status 2).
pub fn run(args: Args) -> Result<ExitCode, String> {
    let banks = match load_banks(&args.banks)? {
        Ok(banks) => banks,
        Err(code) => return Ok(code),
    };
    let profile = match load_profile(&args, &banks)? {
        Ok(profile) => profile,
        Err(code) => return Ok(code),
    };
    let mut files = shell_files(&args.www)?;
    let course = course(&args, &banks, profile.as_ref());
    for (bank, bytes) in &banks {
        files.insert(Course::bank_path(&bank.id), bytes.clone());
    }
    let lms = args.format;
    let joint = match profile {
        Some(shipped) => {
            files.insert(Course::PROFILE_PATH.to_string(), shipped.bytes);
            format!(" joined by the profile {}", shipped.name)
        }
        None => String::new(),
    };
    let built = package::build(lms, &course, files).map_err(|e| e.to_string())?;
    warn_if_state_may_overflow(lms, &course, &banks);
    std::fs::write(&args.output, &built.bytes)
        .map_err(|e| format!("cannot write {}: {e}", args.output.display()))?;
    out(&format!(
        "wrote {}: {}, {}{joint}, {} files, {} KB\n",
        args.output.display(),
        lms.name(),
        bank_file::count(banks.len(), "bank"),
        built.entries.len(),
        built.bytes.len().div_ceil(1024)
    ))?;
    Ok(ExitCode::SUCCESS)
}
