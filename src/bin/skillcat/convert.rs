//! `skillcat import` and `skillcat export`: banks from and to the formats authors already
//! have (GIFT, Aiken, CSV/TSV, Moodle XML, QTI).
//!
//! `import` reads one or more files, builds a complete bank (default levels, topics from the
//! sources' categories), checks it with the bank validator and writes it; every warning is
//! printed as `file:line: warning: …` and every note as `file:line: note: …`. A file that
//! cannot be imported is an error (exit status 1), but the bank is still written from the
//! others, and the last line names the files it was written from and those it was not.
//! `export` writes a bank as GIFT, CSV/TSV or a QTI 3.0 package, and warns about what the
//! format cannot hold.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use skillcat::convert::{
    self, BankInfo, ConvertError, Format, Imported, Warning, aiken, csv, gift, moodle, qti, slug,
};
use skillcat::{Bank, Error};

/// A source format on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SourceFormat {
    Gift,
    Aiken,
    /// Comma-, tab- or semicolon-separated (the delimiter is read from the header row).
    Csv,
    /// Moodle XML.
    Moodle,
    /// QTI 1.2, 2.1, 2.2 or 3.0: an XML file or a zipped content package.
    Qti,
}

impl From<SourceFormat> for Format {
    fn from(format: SourceFormat) -> Format {
        match format {
            SourceFormat::Gift => Format::Gift,
            SourceFormat::Aiken => Format::Aiken,
            SourceFormat::Csv => Format::Csv,
            SourceFormat::Moodle => Format::MoodleXml,
            SourceFormat::Qti => Format::Qti,
        }
    }
}

/// A target format on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TargetFormat {
    /// GIFT text, with the item metadata in comments.
    Gift,
    /// A QTI 3.0 content package (zip).
    Qti,
    /// Comma-separated values with every column.
    Csv,
    /// Tab-separated values with every column.
    Tsv,
}

/// Arguments of `skillcat import`.
#[derive(clap::Args)]
#[command(after_long_help = csv::COLUMNS_HELP)]
pub struct ImportArgs {
    /// Files to import; their questions go into one bank, in order.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The files' format [default: told from each file's extension and content]
    #[arg(long, value_enum)]
    format: Option<SourceFormat>,
    /// The bank's id, a slug [default: the output file's name]
    #[arg(long)]
    id: Option<String>,
    /// The bank's title [default: made from the id]
    #[arg(long)]
    title: Option<String>,
    /// The bank's description [default: "Imported from …" with the file names]
    #[arg(long)]
    description: Option<String>,
    /// The bank's version
    #[arg(long = "bank-version", default_value = "1")]
    bank_version: String,
    /// The bank's language, a BCP 47 tag
    #[arg(long, default_value = "en")]
    language: String,
    /// The topic of questions whose source names none (a slug)
    #[arg(long, default_value = "general")]
    topic: String,
    /// Where to write the bank [default: standard output]
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Treat warnings (not notes) and files that cannot be imported as errors: exit with
    /// status 1 and write nothing
    #[arg(long)]
    strict: bool,
}

/// Arguments of `skillcat export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// The bank to export.
    #[arg(value_name = "BANK.json")]
    bank: PathBuf,
    /// The format to write [default: told from the output file's extension: .gift or .txt,
    /// .zip, .csv, .tsv]
    #[arg(long, value_enum)]
    to: Option<TargetFormat>,
    /// Where to write [default: standard output; required for QTI]
    #[arg(long, short)]
    output: Option<PathBuf>,
}

/// Prints a conversion error as `file:line: error: …`.
fn print_error(error: &ConvertError) {
    match error.line {
        Some(line) => eprintln!("{}:{line}: error: {}", error.source, error.message),
        None => eprintln!("{}: error: {}", error.source, error.message),
    }
}

/// The bank's id: `--id`, or the output file's name, or the first input's name.
fn bank_id(args: &ImportArgs) -> Result<String, String> {
    if let Some(id) = &args.id {
        if !convert::is_slug(id) {
            return Err(format!(
                "--id `{id}` is not a slug (lowercase letters, digits and `-`, such as `{}`)",
                slug(id)
            ));
        }
        return Ok(id.clone());
    }
    let named = args.output.as_deref().unwrap_or(&args.files[0]);
    let id = convert::id_prefix(&named.to_string_lossy());
    Ok(if id == "q" {
        "imported".to_string()
    } else {
        id
    })
}

/// A file's name and bytes; `Err` (exit status 2) when it cannot be read.
fn read_source(path: &Path) -> Result<(String, Vec<u8>), String> {
    let source = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {source}: {e}"))?;
    Ok((source, bytes))
}

/// Converts one source: an empty file, or one whose format cannot be told, is an error for
/// that file only.
fn convert_source(
    source: &str,
    bytes: &[u8],
    format: Option<SourceFormat>,
) -> Result<Imported, ConvertError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ConvertError::new(
            source,
            None,
            "the file is empty: nothing to import",
        ));
    }
    let format = match format {
        Some(format) => Format::from(format),
        None => Format::detect(source, bytes).ok_or_else(|| {
            ConvertError::new(
                source,
                None,
                "cannot tell the format from the file's name or content; pass --format \
                 gift|aiken|csv|moodle|qti",
            )
        })?,
    };
    match format {
        Format::Qti => qti::import(source, bytes),
        Format::Gift => gift::import(source, convert::text_of(source, bytes)?),
        Format::Aiken => aiken::import(source, convert::text_of(source, bytes)?),
        Format::Csv => csv::import(source, convert::text_of(source, bytes)?),
        Format::MoodleXml => moodle::import(source, convert::text_of(source, bytes)?),
    }
}

/// Runs `import`; `Err` carries a message for stderr (exit status 2).
pub fn import(args: ImportArgs) -> Result<ExitCode, String> {
    let id = bank_id(&args)?;
    if !convert::is_slug(&args.topic) {
        return Err(format!(
            "--topic `{}` is not a slug (lowercase letters, digits and `-`, such as `{}`)",
            args.topic,
            slug(&args.topic)
        ));
    }
    let topic = args.topic.clone();
    let names: Vec<String> = args
        .files
        .iter()
        .map(|path| {
            path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into(),
            )
        })
        .collect();
    let mut info = BankInfo::new(&id);
    if let Some(title) = &args.title {
        info.title.clone_from(title);
    }
    info.description = args
        .description
        .clone()
        .unwrap_or_else(|| format!("Imported from {}.", names.join(", ")));
    info.version.clone_from(&args.bank_version);
    info.language.clone_from(&args.language);
    info.default_topic = topic;

    let sources = args
        .files
        .iter()
        .map(|path| read_source(path))
        .collect::<Result<Vec<_>, String>>()?;
    let mut parts = Vec::new();
    let mut failed = Vec::new();
    for (source, bytes) in sources {
        match convert_source(&source, &bytes, args.format) {
            Ok(imported) => parts.push((source, imported)),
            Err(error) => {
                print_error(&error);
                failed.push(source);
            }
        }
    }
    let imported: Vec<String> = parts.iter().map(|(source, _)| source.clone()).collect();
    let (bank, warnings) = convert::assemble(&info, parts);
    for warning in &warnings {
        eprintln!("{warning}");
    }
    let notes = warnings.iter().filter(|w| w.is_note()).count();
    let count = warnings.len() - notes;
    if imported.is_empty() {
        eprintln!("error: no file could be imported: nothing written");
        return Ok(ExitCode::from(1));
    }
    let output = args
        .output
        .as_ref()
        .map_or_else(|| format!("{id}.json"), |path| path.display().to_string());
    let value = serde_json::to_value(&bank).map_err(|e| format!("cannot serialise: {e}"))?;
    let bank = match Bank::from_value(&output, &value) {
        Ok(bank) => bank,
        Err(Error::InvalidBank(problems)) => {
            for problem in problems {
                eprintln!("error: {problem}");
            }
            return Ok(ExitCode::from(1));
        }
        Err(other) => return Err(other.to_string()),
    };
    if args.strict && (count > 0 || !failed.is_empty()) {
        let mut why = Vec::new();
        if count > 0 {
            why.push(format!("{count} warning{}", plural(count)));
        }
        if !failed.is_empty() {
            why.push(format!(
                "{} file{} not imported",
                failed.len(),
                plural(failed.len())
            ));
        }
        eprintln!("error: {} and --strict: nothing written", why.join(", "));
        return Ok(ExitCode::from(1));
    }
    let mut json =
        serde_json::to_string_pretty(&bank).map_err(|e| format!("cannot serialise: {e}"))?;
    json.push('\n');
    write_output(args.output.as_deref(), json.as_bytes())?;
    let written = args
        .output
        .as_ref()
        .map_or_else(|| "<stdout>".to_string(), |path| path.display().to_string());
    let files = if failed.is_empty() {
        format!("{} file{}", imported.len(), plural(imported.len()))
    } else {
        format!(
            "{} of {} files ({})",
            imported.len(),
            imported.len() + failed.len(),
            imported.join(", ")
        )
    };
    let mut tally = format!("{count} warning{}", plural(count));
    if notes > 0 {
        tally.push_str(&format!(", {notes} note{}", plural(notes)));
    }
    let mut summary = format!(
        "{written}: {} item{} in {} topic{} from {files} ({tally})",
        bank.items.len(),
        plural(bank.items.len()),
        bank.topics.len(),
        plural(bank.topics.len()),
    );
    if !failed.is_empty() {
        summary.push_str(&format!("; not imported: {}", failed.join(", ")));
    }
    eprintln!("{summary}");
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Writes to a file, or to standard output without one.
fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), String> {
    match path {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => std::io::stdout()
            .write_all(bytes)
            .map_err(|e| format!("cannot write to standard output: {e}")),
    }
}

/// The target format: `--to`, or the output file's extension.
fn target(args: &ExportArgs) -> Result<TargetFormat, String> {
    if let Some(to) = args.to {
        return Ok(to);
    }
    let extension = args
        .output
        .as_deref()
        .and_then(Path::extension)
        .map(|ext| ext.to_string_lossy().to_ascii_lowercase());
    match extension.as_deref() {
        Some("gift" | "txt") => Ok(TargetFormat::Gift),
        Some("zip") => Ok(TargetFormat::Qti),
        Some("csv") => Ok(TargetFormat::Csv),
        Some("tsv" | "tab") => Ok(TargetFormat::Tsv),
        _ => Err(
            "pass --to gift|qti|csv|tsv (or an --output ending in .gift, .zip, .csv, .tsv)".into(),
        ),
    }
}

/// Runs `export`; `Err` carries a message for stderr (exit status 2).
pub fn export(args: ExportArgs) -> Result<ExitCode, String> {
    let to = target(&args)?;
    if to == TargetFormat::Qti && args.output.is_none() {
        return Err("a QTI package is a zip file: pass --output FILE.zip".into());
    }
    let name = args.bank.display().to_string();
    let text =
        std::fs::read_to_string(&args.bank).map_err(|e| format!("cannot read {name}: {e}"))?;
    let bank = match Bank::from_json(&name, &text) {
        Ok(bank) => bank,
        Err(Error::InvalidBank(problems)) => {
            for problem in problems {
                eprintln!("error: {problem}");
            }
            return Ok(ExitCode::from(1));
        }
        Err(other) => return Err(other.to_string()),
    };
    let (bytes, losses) = match to {
        TargetFormat::Gift => (gift::export(&bank).into_bytes(), gift::losses(&bank)),
        TargetFormat::Csv => (csv::export(&bank).into_bytes(), csv::losses(&bank)),
        TargetFormat::Tsv => (
            csv::export_delimited(&bank, '\t').into_bytes(),
            csv::losses(&bank),
        ),
        TargetFormat::Qti => match qti::export(&bank) {
            Ok(bytes) => (bytes, Vec::new()),
            Err(error) => {
                print_error(&error);
                return Ok(ExitCode::from(1));
            }
        },
    };
    let target_name = args
        .output
        .as_ref()
        .map_or_else(|| "<stdout>".to_string(), |path| path.display().to_string());
    for loss in losses {
        eprintln!("{}", Warning::new(&target_name, None, loss));
    }
    write_output(args.output.as_deref(), &bytes)?;
    Ok(ExitCode::SUCCESS)
}
