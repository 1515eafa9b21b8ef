//! Calendar dates as banks write them: `2026-12-08`, an ISO 8601 calendar date (years 0000 to
//! 9999 of the proleptic Gregorian calendar). Review dates and changelog dates use them; the
//! review age is counted in calendar months.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date; ordered from earliest to latest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// The month names messages use, January first.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// The date, when `day` exists in that month and the year has four digits.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let valid = year <= 9999 && (1..=12).contains(&month) && day >= 1;
        (valid && day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// Reads `YYYY-MM-DD`; the error says what is wrong (for validator messages, after the
    /// quoted value: "`2026-02-30` is not a date: February 2026 has 28 days").
    ///
    /// # Errors
    ///
    /// The reason the text is not a date.
    pub fn parse(text: &str) -> Result<Date, String> {
        let bytes = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| {
            bytes[range].iter().try_fold(0u16, |n, b| {
                b.is_ascii_digit().then(|| n * 10 + u16::from(b - b'0'))
            })
        };
        let shaped = bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-';
        let parts = shaped
            .then(|| Some((digits(0..4)?, digits(5..7)?, digits(8..10)?)))
            .flatten();
        let Some((year, month, day)) = parts else {
            return Err("is not a date written YYYY-MM-DD (such as 2026-12-08)".to_string());
        };
        let (Ok(month), Ok(day)) = (u8::try_from(month), u8::try_from(day)) else {
            return Err("is not a date".to_string());
        };
        if !(1..=12).contains(&month) {
            return Err(format!("is not a date: there is no month {month:02}"));
        }
        if day == 0 {
            return Err("is not a date: there is no day 00".to_string());
        }
        Date::new(year, month, day).ok_or_else(|| {
            let name = MONTHS[usize::from(month - 1)];
            let days = days_in_month(year, month);
            format!("is not a date: {name} {year:04} has {days} days")
        })
    }

    /// The same day `months` calendar months later, or the month's last day when it is shorter
    /// (2026-01-31 plus one month is 2026-02-28); 9999-12-31 at the latest.
    pub fn add_months(self, months: u32) -> Date {
        let index = u64::from(self.year) * 12 + u64::from(self.month - 1) + u64::from(months);
        let (Ok(year), Ok(month)) = (u16::try_from(index / 12), u8::try_from(index % 12 + 1))
        else {
            return Date::LAST;
        };
        if year > 9999 {
            return Date::LAST;
        }
        let day = self.day.min(days_in_month(year, month));
        Date { year, month, day }
    }

    /// Whole calendar months from `self` to `later` (0 when `later` is not later).
    pub fn months_until(self, later: Date) -> u32 {
        let index = |d: Date| i64::from(d.year) * 12 + i64::from(d.month);
        let mut months = index(later) - index(self);
        if later.day < self.day {
            months -= 1;
        }
        u32::try_from(months).unwrap_or(0)
    }

    /// The date `days` days after 1970-01-01 (negative: before it), clamped to the range.
    ///
    /// # Formula
    ///
    /// Howard Hinnant's `civil_from_days` (*chrono-Compatible Low-Level Date Algorithms*,
    /// 2013): eras of 146,097 days, each split into 400 years starting on 1 March.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days.clamp(-719_528, 2_932_896) + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Date {
            year: u16::try_from(year.clamp(0, 9999)).unwrap_or(9999),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// Today in UTC, from the system clock.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn today_utc() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        Date::from_days_since_epoch(i64::try_from(seconds / 86_400).unwrap_or(i64::MAX))
    }

    const LAST: Date = Date {
        year: 9999,
        month: 12,
        day: 31,
    };
}

fn is_leap(year: u16) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = String;

    fn from_str(text: &str) -> Result<Date, String> {
        Date::parse(text)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).expect(text)
    }

    #[test]
    fn parses_iso_calendar_dates_and_says_why_others_are_not() {
        assert_eq!(date("2026-12-08"), Date::new(2026, 12, 8).expect("valid"));
        assert_eq!(date("2024-02-29").to_string(), "2024-02-29");
        assert_eq!(date("2000-02-29").day(), 29);
        for (text, reason) in [
            ("2026-02-29", "is not a date: February 2026 has 28 days"),
            ("1900-02-29", "is not a date: February 1900 has 28 days"),
            ("2026-04-31", "is not a date: April 2026 has 30 days"),
            ("2026-13-01", "is not a date: there is no month 13"),
            ("2026-00-10", "is not a date: there is no month 00"),
            ("2026-01-00", "is not a date: there is no day 00"),
            (
                "08/12/2026",
                "is not a date written YYYY-MM-DD (such as 2026-12-08)",
            ),
            (
                "2026-1-08",
                "is not a date written YYYY-MM-DD (such as 2026-12-08)",
            ),
            (
                "2026-12-08T10:00",
                "is not a date written YYYY-MM-DD (such as 2026-12-08)",
            ),
            (
                "２026-12-08",
                "is not a date written YYYY-MM-DD (such as 2026-12-08)",
            ),
            ("", "is not a date written YYYY-MM-DD (such as 2026-12-08)"),
        ] {
            assert_eq!(Date::parse(text), Err(reason.to_string()), "{text}");
        }
    }

    #[test]
    fn months_are_added_on_the_calendar() {
        assert_eq!(date("2025-12-08").add_months(12), date("2026-12-08"));
        assert_eq!(date("2026-01-31").add_months(1), date("2026-02-28"));
        assert_eq!(date("2024-01-31").add_months(1), date("2024-02-29"));
        assert_eq!(date("2026-11-30").add_months(3), date("2027-02-28"));
        assert_eq!(date("9999-06-01").add_months(12), Date::LAST);
        assert_eq!(date("2026-05-01").add_months(u32::MAX), Date::LAST);
    }

    #[test]
    fn whole_months_between_dates() {
        assert_eq!(date("2025-06-15").months_until(date("2026-12-07")), 17);
        assert_eq!(date("2025-06-15").months_until(date("2026-12-15")), 18);
        assert_eq!(date("2026-12-08").months_until(date("2025-01-01")), 0);
    }

    #[test]
    fn days_since_the_epoch_give_the_civil_date() {
        assert_eq!(Date::from_days_since_epoch(0), date("1970-01-01"));
        assert_eq!(Date::from_days_since_epoch(20_430), date("2025-12-08"));
        assert_eq!(Date::from_days_since_epoch(20_795), date("2026-12-08"));
        assert_eq!(Date::from_days_since_epoch(11_016), date("2000-02-29"));
        assert_eq!(Date::from_days_since_epoch(-1), date("1969-12-31"));
        assert_eq!(Date::from_days_since_epoch(i64::MAX), Date::LAST);
        assert_eq!(Date::from_days_since_epoch(i64::MIN), date("0000-01-01"));
    }

    #[test]
    fn serde_reads_and_writes_the_text_form() {
        let value = serde_json::to_value(date("2026-12-08")).expect("serialises");
        assert_eq!(value, serde_json::json!("2026-12-08"));
        let back: Date = serde_json::from_value(value).expect("deserialises");
        assert_eq!(back, date("2026-12-08"));
        assert!(serde_json::from_value::<Date>(serde_json::json!("2026-02-30")).is_err());
    }
}
