//! `skillcat stats BANK`: what a bank holds (counts by topic, difficulty, type and status), how
//! current it is (review dates, the latest changelog entry, the watched documents and, with
//! `--as-of`, the items due for review) and how precisely it can measure along the ability
//! scale.
//!
//! # Formula
//!
//! The bank's test information is I(θ) = Σᵢ Iᵢ(θ) over its active items, with Iᵢ the Fisher
//! information of item i (see [`skillcat::Params::info`]; D = 1), and 1/√I(θ) the standard
//! error of a learner who answered them all. An adaptive test of n items cannot do better at θ
//! than the n most informative active items there: I₍ₙ₎(θ) = the sum of the n largest Iᵢ(θ),
//! the "best n" curve, a ceiling that exposure control and estimation error lower in practice.
//! Reference: Lord (1980), *Applications of Item Response Theory to Practical Testing
//! Problems*, ch. 5; van der Linden & Glas (2010), *Elements of Adaptive Testing*, ch. 1.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use skillcat::bank::review::{self, Policy, Review};
use skillcat::bank::{ChangelogEntry, Date, Difficulty};
use skillcat::plot::{self, LineChart, PALETTE, Rule, Series};
use skillcat::{Bank, ItemType, Status, StopRule};

use crate::{Format, out, positive, review as review_args, validate, write_file};

/// The θ range of the information curve.
const THETA_RANGE: (f64, f64) = (-4.0, 4.0);
/// Grid step of the curve in JSON and SVG output; the text table uses 0.5.
const STEP: f64 = 0.1;

/// Arguments of `skillcat stats`.
#[derive(clap::Args)]
pub struct Args {
    /// The bank file (JSON).
    bank: PathBuf,
    /// Also write the information and standard-error curves as a self-contained SVG file.
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    /// The adaptive test length for the "best n" curve (default: the engine's maximum length).
    #[arg(long, value_name = "N", default_value_t = StopRule::default().max_items,
          value_parser = positive)]
    test_length: usize,
    /// `text`: tables; `json`: one object with the counts and the curve.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    #[command(flatten)]
    review: review_args::ReviewArgs,
}

/// Everything `stats` reports (the JSON output).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Stats {
    file: String,
    id: String,
    title: String,
    version: String,
    items: usize,
    /// Items with an `irt` calibration (the rest use their difficulty label's defaults).
    calibrated: usize,
    topics: Vec<TopicCount>,
    by_difficulty: Counts,
    by_type: Counts,
    by_status: Counts,
    levels: Vec<LevelCut>,
    review: Currency,
    test_length: usize,
    information: Vec<Point>,
}

/// The currency metadata of the items a learner can meet, and with `--as-of` what is due.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Currency {
    earliest_review: Option<Date>,
    latest_review: Option<Date>,
    /// Items a learner can meet (active and pretest), and how many of them have no `reviewed`
    /// date.
    shown: usize,
    unreviewed: usize,
    latest_change: Option<ChangelogEntry>,
    /// By document, in order of first appearance.
    watched: Vec<WatchGroup>,
    as_of: Option<Date>,
    review_age_months: Option<u32>,
    /// With `--as-of` only.
    due: Option<Vec<DueItem>>,
}

#[derive(Debug, Serialize)]
struct WatchGroup {
    watch: String,
    items: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DueItem {
    id: String,
    reviewed: Option<Date>,
    due_on: Option<Date>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct TopicCount {
    id: String,
    title: String,
    weight: f64,
    items: usize,
    active: usize,
    easy: usize,
    medium: usize,
    hard: usize,
    /// weight / Σ weights: the share content balancing steers toward.
    target_share: f64,
    /// This topic's share of the active items.
    active_share: f64,
}

/// Named counts in a fixed order; a JSON object in that order.
#[derive(Debug)]
struct Counts(Vec<(&'static str, usize)>);

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().copied())
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct LevelCut {
    name: String,
    min_theta: Option<f64>,
}

/// The curves at one θ.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Point {
    theta: f64,
    information: f64,
    se: f64,
    best_information: f64,
    best_se: f64,
}

fn difficulty_name(d: Option<Difficulty>) -> &'static str {
    match d {
        Some(Difficulty::Easy) => "easy",
        Some(Difficulty::Medium) => "medium",
        Some(Difficulty::Hard) => "hard",
        None => "none",
    }
}

fn currency(file: &str, bank: &Bank, policy: Option<Policy>) -> Currency {
    let shown: Vec<_> = bank.items.iter().filter(|i| review::is_shown(i)).collect();
    let dates = shown.iter().filter_map(|item| item.reviewed);
    let watched = review::watched(bank);
    let due = policy.map(|policy| {
        Review::of(file, bank, policy)
            .due
            .into_iter()
            .map(|due| DueItem {
                id: due.id,
                reviewed: due.reviewed,
                due_on: due.due_on,
            })
            .collect()
    });
    Currency {
        earliest_review: dates.clone().min(),
        latest_review: dates.max(),
        shown: shown.len(),
        unreviewed: shown.iter().filter(|item| item.reviewed.is_none()).count(),
        latest_change: bank.changelog.first().cloned(),
        watched: review::by_document(&watched)
            .into_iter()
            .map(|(watch, items)| WatchGroup {
                watch: watch.to_string(),
                items: items.iter().map(|item| item.id.clone()).collect(),
            })
            .collect(),
        as_of: policy.map(|policy| policy.as_of),
        review_age_months: policy.map(|policy| policy.review_age_months),
        due,
    }
}

fn gather(file: String, bank: &Bank, test_length: usize, policy: Option<Policy>) -> Stats {
    let active: Vec<_> = bank
        .items
        .iter()
        .filter(|item| item.status == Status::Active)
        .collect();
    let weight_sum: f64 = bank.topics.iter().map(|t| t.weight.unwrap_or(1.0)).sum();
    let topics = bank
        .topics
        .iter()
        .map(|topic| {
            let items = bank.items.iter().filter(|item| item.topic == topic.id);
            let level = |d: Difficulty| {
                items
                    .clone()
                    .filter(|item| item.difficulty == Some(d))
                    .count()
            };
            let active_here = active.iter().filter(|i| i.topic == topic.id).count();
            TopicCount {
                id: topic.id.clone(),
                title: topic.title.clone(),
                weight: topic.weight.unwrap_or(1.0),
                items: items.clone().count(),
                active: active_here,
                easy: level(Difficulty::Easy),
                medium: level(Difficulty::Medium),
                hard: level(Difficulty::Hard),
                target_share: topic.weight.unwrap_or(1.0) / weight_sum,
                active_share: active_here as f64 / active.len().max(1) as f64,
            }
        })
        .collect();
    let tally = |names: &[&'static str], name_of: &dyn Fn(&skillcat::Item) -> &'static str| {
        Counts(
            names
                .iter()
                .map(|&name| {
                    (
                        name,
                        bank.items.iter().filter(|i| name_of(i) == name).count(),
                    )
                })
                .collect(),
        )
    };
    let by_difficulty = tally(&["easy", "medium", "hard", "none"], &|i| {
        difficulty_name(i.difficulty)
    });
    let by_type = tally(&["single", "multiple", "true_false"], &|i| match i.kind {
        ItemType::Single => "single",
        ItemType::Multiple => "multiple",
        ItemType::TrueFalse => "true_false",
    });
    let by_status = tally(
        &["active", "pretest", "draft", "retired"],
        &|i| match i.status {
            Status::Active => "active",
            Status::Pretest => "pretest",
            Status::Draft => "draft",
            Status::Retired => "retired",
        },
    );
    let params: Vec<_> = active.iter().map(|item| item.params()).collect();
    let steps = ((THETA_RANGE.1 - THETA_RANGE.0) / STEP).round() as usize;
    let information = (0..=steps)
        .map(|k| {
            let theta = THETA_RANGE.0 + k as f64 * STEP;
            let mut infos: Vec<f64> = params.iter().map(|p| p.info(theta)).collect();
            let information: f64 = infos.iter().sum();
            infos.sort_unstable_by(|a, b| b.total_cmp(a));
            let best: f64 = infos.iter().take(test_length).sum();
            Point {
                theta,
                information,
                se: 1.0 / information.sqrt(),
                best_information: best,
                best_se: 1.0 / best.sqrt(),
            }
        })
        .collect();
    Stats {
        review: currency(&file, bank, policy),
        file,
        id: bank.id.clone(),
        title: bank.title.clone(),
        version: bank.version.clone(),
        items: bank.items.len(),
        calibrated: bank.items.iter().filter(|i| i.irt.is_some()).count(),
        topics,
        by_difficulty,
        by_type,
        by_status,
        levels: bank
            .levels
            .iter()
            .map(|l| LevelCut {
                name: l.name.clone(),
                min_theta: l.min_theta,
            })
            .collect(),
        test_length,
        information,
    }
}

/// Text cut to `width` characters, with an ellipsis when cut.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn counts_line(label: &str, counts: &Counts) -> String {
    let parts: Vec<String> = counts.0.iter().map(|(n, c)| format!("{n} {c}")).collect();
    format!("{label:<11} {}", parts.join(", "))
}

fn text(stats: &Stats) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} (id {}, version {})",
        stats.file, stats.title, stats.id, stats.version
    );
    let active = stats.by_status.0.first().map_or(0, |s| s.1);
    let _ = writeln!(
        out,
        "{} items, {active} active; {} calibrated, {} using their difficulty label's defaults\n",
        stats.items,
        stats.calibrated,
        stats.items - stats.calibrated
    );
    let _ = writeln!(
        out,
        "{:<20} {:<32} {:>6} {:>5} {:>6} {:>5} {:>6} {:>5} {:>7} {:>7}",
        "topic", "title", "weight", "items", "active", "easy", "medium", "hard", "target", "actual"
    );
    for t in &stats.topics {
        let _ = writeln!(
            out,
            "{:<20} {:<32} {:>6} {:>5} {:>6} {:>5} {:>6} {:>5} {:>6.1}% {:>6.1}%",
            cut(&t.id, 20),
            cut(&t.title, 32),
            t.weight,
            t.items,
            t.active,
            t.easy,
            t.medium,
            t.hard,
            100.0 * t.target_share,
            100.0 * t.active_share
        );
    }
    out.push('\n');
    out.push_str(&counts_line("difficulty", &stats.by_difficulty));
    out.push('\n');
    out.push_str(&counts_line("type", &stats.by_type));
    out.push('\n');
    out.push_str(&counts_line("status", &stats.by_status));
    out.push('\n');
    let levels: Vec<String> = stats
        .levels
        .iter()
        .map(|level| match level.min_theta {
            Some(x) => format!("{} from {x}", level.name),
            None => level.name.clone(),
        })
        .collect();
    let _ = writeln!(out, "{:<11} {}", "levels", levels.join(", "));
    currency_text(&stats.review, &mut out);
    out.push('\n');
    let n = stats.test_length;
    let _ = writeln!(
        out,
        "Test information over the active items (D = 1), and over the best {n} at each θ \
         (an adaptive test's ceiling):"
    );
    let _ = writeln!(
        out,
        "{:>6} {:>9} {:>7} {:>13} {:>11}",
        "θ",
        "I(θ)",
        "SE",
        format!("I best {n}"),
        format!("SE best {n}")
    );
    for p in stats.information.iter().step_by(5) {
        let _ = writeln!(
            out,
            "{:>6.1} {:>9.2} {:>7.3} {:>13.2} {:>11.3}",
            p.theta, p.information, p.se, p.best_information, p.best_se
        );
    }
    out
}

/// The review lines of the text output; each starts with its label.
fn currency_text(review: &Currency, out: &mut String) {
    let reviewed = match (review.earliest_review, review.latest_review) {
        (Some(first), Some(last)) if first == last => format!("on {first}"),
        (Some(first), Some(last)) => format!("from {first} to {last}"),
        _ => "never".to_string(),
    };
    let _ = writeln!(
        out,
        "{:<11} {reviewed} ({} of the {} items a learner can meet have no date)",
        "reviewed", review.unreviewed, review.shown
    );
    if let Some(entry) = &review.latest_change {
        let _ = writeln!(
            out,
            "{:<11} version {} of {}",
            "changelog", entry.version, entry.date
        );
    }
    for group in &review.watched {
        let _ = writeln!(
            out,
            "{:<11} {}: {}",
            "watch",
            group.watch,
            group.items.join(", ")
        );
    }
    if let (Some(as_of), Some(age), Some(due)) =
        (review.as_of, review.review_age_months, &review.due)
    {
        let ids: Vec<String> = due
            .iter()
            .map(|item| match item.reviewed {
                Some(reviewed) => format!("{} (reviewed {reviewed})", item.id),
                None => format!("{} (never reviewed)", item.id),
            })
            .collect();
        let list = if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        };
        let _ = writeln!(
            out,
            "{:<11} as of {as_of} (review age {age} months): {list}",
            "due"
        );
    }
}

/// The θ interval (on the grid) where the best-n SE is at or below `target`, if any.
fn precise_range(stats: &Stats, target: f64) -> Option<(f64, f64)> {
    let inside: Vec<f64> = stats
        .information
        .iter()
        .filter(|p| p.best_se <= target)
        .map(|p| p.theta)
        .collect();
    Some((*inside.first()?, *inside.last()?))
}

fn svg(stats: &Stats) -> String {
    let n = stats.test_length;
    let curve = |f: &dyn Fn(&Point) -> f64| -> Vec<(f64, f64)> {
        stats.information.iter().map(|p| (p.theta, f(p))).collect()
    };
    let cuts: Vec<Rule> = stats
        .levels
        .iter()
        .filter_map(|level| {
            level.min_theta.map(|at| Rule {
                at,
                label: level.name.clone(),
            })
        })
        .collect();
    let series = |name: String, points, color, dashed| Series {
        name,
        points,
        color,
        dashed,
    };
    let information = LineChart {
        title: "Test information".into(),
        x_label: "ability θ (logits, D = 1)".into(),
        y_label: "information I(θ)".into(),
        series: vec![
            series(
                "all active items".into(),
                curve(&|p| p.information),
                PALETTE[0],
                false,
            ),
            series(
                format!("best {n} items"),
                curve(&|p| p.best_information),
                PALETTE[1],
                true,
            ),
        ],
        vertical: cuts.clone(),
        ..Default::default()
    };
    let target = StopRule::default().se.unwrap_or(0.3);
    let top = stats
        .information
        .iter()
        .map(|p| p.best_se)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        .clamp(0.5, 2.0);
    let se = LineChart {
        title: "Expected standard error 1/√I(θ)".into(),
        x_label: "ability θ (logits, D = 1)".into(),
        y_label: "standard error".into(),
        series: vec![
            series(
                "all active items".into(),
                curve(&|p| p.se),
                PALETTE[0],
                false,
            ),
            series(
                format!("best {n} items"),
                curve(&|p| p.best_se),
                PALETTE[1],
                true,
            ),
        ],
        vertical: cuts,
        horizontal: vec![Rule {
            at: target,
            label: format!("target SE {target}"),
        }],
        y_range: Some((0.0, top * 1.05)),
    };
    let peak = stats
        .information
        .iter()
        .max_by(|a, b| a.information.total_cmp(&b.information));
    let mut desc = format!(
        "Two line charts over ability θ from {} to {}. The test information of the {} active \
         items of bank {}",
        THETA_RANGE.0,
        THETA_RANGE.1,
        stats.by_status.0.first().map_or(0, |s| s.1),
        stats.id
    );
    if let Some(p) = peak {
        let _ = write!(desc, " peaks at {:.1} at θ = {:.1}", p.information, p.theta);
    }
    let _ = write!(
        desc,
        "; the dashed curves show the best {n} items at each θ, the most a {n}-item adaptive \
         test can reach."
    );
    match precise_range(stats, target) {
        Some((lo, hi)) => {
            let _ = write!(
                desc,
                " With {n} items the standard error can reach {target} for θ from {lo:.1} to {hi:.1}."
            );
        }
        None => {
            let _ = write!(
                desc,
                " With {n} items the standard error never reaches {target}."
            );
        }
    }
    desc.push_str(" Vertical lines mark the level cuts.");
    plot::figure(
        "stats",
        &format!("Test information and standard error: {}", stats.title),
        &desc,
        760.0,
        340.0,
        &[&information, &se],
    )
}

/// Runs the subcommand; `Err` carries a message for stderr (exit status 2).
pub fn run(args: Args) -> Result<ExitCode, String> {
    let bank = match validate::load(&args.bank)? {
        Ok(bank) => bank,
        Err(code) => return Ok(code),
    };
    let policy = args.review.policy();
    let stats = gather(
        args.bank.display().to_string(),
        &bank,
        args.test_length,
        policy,
    );
    if let Some(path) = &args.svg {
        write_file(path, &svg(&stats))?;
    }
    match args.format {
        Format::Text => {
            let mut text = text(&stats);
            if let Some(path) = &args.svg {
                text.push_str(&format!("\nplot written to {}\n", path.display()));
            }
            out(&text)?;
        }
        Format::Json => {
            let json = serde_json::to_string_pretty(&stats).map_err(|e| e.to_string())?;
            out(&format!("{json}\n"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
