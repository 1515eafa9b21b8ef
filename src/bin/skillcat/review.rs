//! `--as-of DATE` and `--review-age MONTHS`, shared by `validate` and `stats`: which items are
//! due for review on a day, and which watch a moving rule or document, located in their file
//! (see [`skillcat::bank::review`]). Without `--as-of` neither command looks at the clock, so
//! their output stays the same from one day to the next.

use serde::Serialize;
use skillcat::bank::review::{DEFAULT_REVIEW_AGE_MONTHS, Policy, Review};
use skillcat::bank::{Bank, Date};
use skillcat::source_lines::LineIndex;

use crate::validate::Located;

/// The review options.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct ReviewArgs {
    /// Review the banks as of DATE (YYYY-MM-DD, or `today` in UTC): list the items due for
    /// review then and every item with a `watch` note (`validate` also reports a date later
    /// than DATE as a problem).
    #[arg(long, value_name = "DATE", value_parser = as_of)]
    as_of: Option<Date>,
    /// How many months a review holds (with --as-of).
    #[arg(long, value_name = "MONTHS", default_value_t = DEFAULT_REVIEW_AGE_MONTHS,
          value_parser = months, requires = "as_of")]
    review_age: u32,
}

impl ReviewArgs {
    /// The policy, when `--as-of` was given.
    pub fn policy(&self) -> Option<Policy> {
        Some(Policy {
            as_of: self.as_of?,
            review_age_months: self.review_age,
        })
    }
}

/// `--as-of`: a date, or `today` (UTC).
fn as_of(text: &str) -> Result<Date, String> {
    if text == "today" {
        return Ok(Date::today_utc());
    }
    Date::parse(text).map_err(|reason| format!("`{text}` {reason}"))
}

/// `--review-age`: 1 to 1200 months.
fn months(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(n @ 1..=1200) => Ok(n),
        Ok(_) => Err("must be from 1 to 1200 months".into()),
        Err(_) => Err(format!("`{text}` is not a whole number of months")),
    }
}

/// An item due for review, located in its file.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DueLine {
    pub file: String,
    pub line: usize,
    pub path: String,
    pub id: String,
    pub reviewed: Option<Date>,
    pub due_on: Option<Date>,
    pub message: String,
}

/// An item with a watch note, located in its file.
#[derive(Debug, Clone, Serialize)]
pub struct WatchLine {
    pub file: String,
    pub line: usize,
    pub path: String,
    pub id: String,
    pub watch: String,
}

/// A bank's review, located: problems (dates after the day, a version missing from the
/// changelog), due items and watched items.
#[derive(Debug, Clone, Default)]
pub struct BankReview {
    pub problems: Vec<Located>,
    pub due: Vec<DueLine>,
    pub watched: Vec<WatchLine>,
}

/// Reviews `bank`, read from `text` in `file`, under `policy`.
pub fn locate(file: &str, text: &str, bank: &Bank, policy: Policy) -> BankReview {
    let review = Review::of(file, bank, policy);
    let index = LineIndex::new(text);
    let problems = review
        .problems
        .iter()
        .map(|problem| Located {
            file: file.to_string(),
            line: index.locate(&problem.path),
            path: problem.path.clone(),
            message: problem.message.clone(),
        })
        .collect();
    let due = review
        .due
        .iter()
        .map(|due| {
            let path = due.path();
            DueLine {
                file: file.to_string(),
                line: index.locate(&path),
                id: due.id.clone(),
                reviewed: due.reviewed,
                due_on: due.due_on,
                message: due.reason(policy),
                path,
            }
        })
        .collect();
    let watched = review
        .watched
        .iter()
        .map(|watched| {
            let path = watched.path();
            WatchLine {
                file: file.to_string(),
                line: index.locate(&path),
                id: watched.id.clone(),
                watch: watched.watch.clone(),
                path,
            }
        })
        .collect();
    BankReview {
        problems,
        due,
        watched,
    }
}

impl BankReview {
    /// One `file:line: path: message` line per due and per watched item.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for due in &self.due {
            out.push_str(&format!(
                "{}:{}: {}: {}\n",
                due.file, due.line, due.path, due.message
            ));
        }
        for watched in &self.watched {
            out.push_str(&format!(
                "{}:{}: {}: watching {}\n",
                watched.file, watched.line, watched.path, watched.watch
            ));
        }
        out
    }

    /// "as of 2026-12-08: 0 due for review (review age 12 months), 5 watching a moving
    /// document".
    pub fn summary(&self, policy: Policy) -> String {
        format!(
            "as of {}: {} due for review (review age {} months), {} watching a moving document",
            policy.as_of,
            self.due.len(),
            policy.review_age_months,
            self.watched.len()
        )
    }
}
