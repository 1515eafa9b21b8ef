//! Which items of a bank are due for review on a given day, and which depend on a moving rule
//! or document: the authors' side of the currency metadata (`reviewed`, `watch`, `changelog`).
//!
//! Only items a learner can meet (`active` and `pretest`) fall due; draft and retired items
//! wait until they come back. An item is due from the day its review age has passed since its
//! `reviewed` date (the same day of the month, or the month's last day), or at once when it
//! has none. Dates after the day checked for are problems: a review cannot have happened yet.
//! The learner's engine never calls this module.

use super::{Bank, Date, Item, Status};
use crate::error::Problem;
use crate::json::to_json;

/// The review age when none is given: health-IT rules and guidance move within a year.
pub const DEFAULT_REVIEW_AGE_MONTHS: u32 = 12;

/// The day a bank is checked for, and how long a review holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub as_of: Date,
    pub review_age_months: u32,
}

/// An item due for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// The item's index in `items`.
    pub index: usize,
    pub id: String,
    /// The last review, if any.
    pub reviewed: Option<Date>,
    /// The day the item fell due (None when it was never reviewed).
    pub due_on: Option<Date>,
}

/// An item whose facts depend on a moving rule or document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    pub index: usize,
    pub id: String,
    pub watch: String,
}

/// What a review of one bank on one day finds.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub policy: Policy,
    /// In item order.
    pub due: Vec<Due>,
    /// In item order.
    pub watched: Vec<Watched>,
    /// Dates later than the day checked for, and a version missing from the changelog.
    pub problems: Vec<Problem>,
}

impl Review {
    /// Reviews `bank` (named `source` in problems) under `policy`.
    pub fn of(source: &str, bank: &Bank, policy: Policy) -> Review {
        let mut problems = Vec::new();
        let mut problem = |path: String, message: String| {
            problems.push(Problem {
                source: source.to_string(),
                path,
                message,
            });
        };
        if !bank.changelog.is_empty() {
            let base = bank.version.split('+').next().unwrap_or_default();
            if !bank.changelog.iter().any(|entry| entry.version == base) {
                let message = format!("no changelog entry for version {}", to_json(base));
                problem("version".to_string(), message);
            }
        }
        for (index, entry) in bank.changelog.iter().enumerate() {
            if entry.date > policy.as_of {
                let path = format!("changelog[{index}].date");
                problem(path, later_than(entry.date, policy.as_of));
            }
        }
        let mut due = Vec::new();
        for (index, item) in bank.items.iter().enumerate() {
            if let Some(reviewed) = item.reviewed.filter(|day| *day > policy.as_of) {
                problem(
                    field_path(index, item, "reviewed"),
                    later_than(reviewed, policy.as_of),
                );
            }
            if !is_shown(item) {
                continue;
            }
            let due_on = item
                .reviewed
                .map(|day| day.add_months(policy.review_age_months));
            if due_on.is_none_or(|day| day <= policy.as_of) {
                due.push(Due {
                    index,
                    id: item.id.clone(),
                    reviewed: item.reviewed,
                    due_on,
                });
            }
        }
        Review {
            policy,
            due,
            watched: watched(bank),
            problems,
        }
    }
}

/// Watched items grouped by document, in order of first appearance.
pub fn by_document(watched: &[Watched]) -> Vec<(&str, Vec<&Watched>)> {
    let mut groups: Vec<(&str, Vec<&Watched>)> = Vec::new();
    for item in watched {
        match groups.iter_mut().find(|(name, _)| *name == item.watch) {
            Some((_, items)) => items.push(item),
            None => groups.push((&item.watch, vec![item])),
        }
    }
    groups
}

/// The items a learner can meet that have a watch note, in item order (this does not depend
/// on the day).
pub fn watched(bank: &Bank) -> Vec<Watched> {
    let shown = bank
        .items
        .iter()
        .enumerate()
        .filter(|(_, item)| is_shown(item));
    shown
        .filter_map(|(index, item)| {
            Some(Watched {
                index,
                id: item.id.clone(),
                watch: item.watch.clone()?,
            })
        })
        .collect()
}

/// Whether a learner can meet the item (so that it needs reviewing): `active` or `pretest`.
pub fn is_shown(item: &Item) -> bool {
    matches!(item.status, Status::Active | Status::Pretest)
}

impl Due {
    /// Why the item is due, for messages.
    pub fn reason(&self, policy: Policy) -> String {
        match (self.reviewed, self.due_on) {
            (Some(reviewed), Some(due_on)) => {
                let months = reviewed.months_until(policy.as_of);
                let age = policy.review_age_months;
                format!(
                    "due for review since {due_on}: last reviewed {reviewed}, {months} months \
                     before {} (review age {age} months)",
                    policy.as_of
                )
            }
            _ => "due for review: never reviewed (no `reviewed` date)".to_string(),
        }
    }

    /// The JSON path of the item's `reviewed` field (of the item when it has none).
    pub fn path(&self) -> String {
        let item = item_path(self.index, &self.id);
        match self.reviewed {
            Some(_) => format!("{item}.reviewed"),
            None => item,
        }
    }
}

impl Watched {
    /// The JSON path of the item's `watch` field.
    pub fn path(&self) -> String {
        format!("{}.watch", item_path(self.index, &self.id))
    }
}

/// `items[3] ("reg-fda-01")`, as the validator writes item paths.
fn item_path(index: usize, id: &str) -> String {
    format!("items[{index}] ({})", to_json(id))
}

fn field_path(index: usize, item: &Item, field: &str) -> String {
    format!("{}.{field}", item_path(index, &item.id))
}

fn later_than(day: Date, as_of: Date) -> String {
    format!("{day} is later than the day checked for ({as_of}); a review cannot be dated ahead")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).expect(text)
    }

    fn bank() -> Bank {
        let text = include_str!("../../../tests/fixtures/banks/valid/full.json");
        Bank::from_json("full.json", text).expect("valid")
    }

    fn policy(as_of: &str) -> Policy {
        Policy {
            as_of: date(as_of),
            review_age_months: DEFAULT_REVIEW_AGE_MONTHS,
        }
    }

    #[test]
    fn items_fall_due_on_the_day_their_review_age_has_passed() {
        let mut bank = bank();
        for item in &mut bank.items {
            item.reviewed = Some(date("2025-12-08"));
        }
        assert!(Review::of("b", &bank, policy("2026-12-07")).due.is_empty());
        let due = Review::of("b", &bank, policy("2026-12-08")).due;
        let shown = bank.items.iter().filter(|i| is_shown(i)).count();
        assert_eq!(due.len(), shown);
        assert_eq!(due[0].due_on, Some(date("2026-12-08")));
        assert_eq!(
            due[0].reason(policy("2026-12-08")),
            "due for review since 2026-12-08: last reviewed 2025-12-08, 12 months before \
             2026-12-08 (review age 12 months)"
        );
    }

    #[test]
    fn unreviewed_items_are_due_and_retired_ones_are_not() {
        let mut bank = bank();
        for item in &mut bank.items {
            item.reviewed = None;
        }
        let review = Review::of("b", &bank, policy("2026-12-08"));
        assert!(review.due.iter().all(|due| due.reviewed.is_none()));
        assert!(
            review
                .due
                .iter()
                .all(|due| is_shown(&bank.items[due.index]))
        );
        assert!(
            review.due.len() < bank.items.len(),
            "draft and retired items are not due"
        );
        assert_eq!(
            review.due[0].reason(policy("2026-12-08")),
            "due for review: never reviewed (no `reviewed` date)"
        );
        assert_eq!(review.due[0].path(), r#"items[0] ("cyb-ransom-03")"#);
    }

    #[test]
    fn dates_after_the_day_checked_for_and_unlisted_versions_are_problems() {
        let mut bank = bank();
        bank.items[1].reviewed = Some(date("2027-01-01"));
        bank.version = "2099.1+cal.2".to_string();
        let lines: Vec<String> = Review::of("b.json", &bank, policy("2026-12-08"))
            .problems
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            lines.contains(
                &r#"b.json: version: no changelog entry for version "2099.1""#.to_string()
            ),
            "{lines:?}"
        );
        assert!(lines.contains(
            &r#"b.json: items[1] ("cyb-ransom-07").reviewed: 2027-01-01 is later than the day checked for (2026-12-08); a review cannot be dated ahead"#
                .to_string()
        ), "{lines:?}");
    }

    #[test]
    fn watched_items_group_by_document_in_order() {
        let mut bank = bank();
        for (i, item) in bank.items.iter_mut().enumerate() {
            item.status = Status::Active;
            item.watch = Some(if i % 2 == 0 { "A" } else { "B" }.to_string());
        }
        let review = Review::of("b", &bank, policy("2026-12-08"));
        let groups = by_document(&review.watched);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].0, "A");
        assert_eq!(groups[0].1.len(), bank.items.len().div_ceil(2));
        assert_eq!(
            review.watched[1].path(),
            format!(r#"items[1] ("{}").watch"#, bank.items[1].id)
        );
    }
}
