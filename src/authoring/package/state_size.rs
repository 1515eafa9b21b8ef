//! How much LMS state the longest test of a package can need, against what LMSs keep, so that
//! `skillcat package` warns before an attempt outgrows it.
//!
//! | format | what is bounded | limit |
//! |---|---|---|
//! | SCORM 1.2 | `cmi.suspend_data`, the saved session (`www/lib/lms/suspend.js`) | 4,096 characters (the standard's) |
//! | SCORM 2004 | one commit of the whole data model, as Moodle's player sends it | 65,536 bytes (a beacon's limit) |
//!
//! Some SCORM 2004 runtimes send the whole data model, every interaction included, on each
//! Commit and on Terminate; Moodle 4.5's player does, form-encoded
//! (`&cmi__interactions__N3__result=correct`, `mod/scorm/datamodels/scorm_13.js`, `CollectData`),
//! and while the page is being dismissed it falls back to `navigator.sendBeacon`, which browsers
//! refuse for bodies over 64 KiB (Fetch standard, the keepalive quota). The shell commits the
//! resume state while the page is alive, so a refused beacon loses the end of a session (its
//! time) and not the attempt; an LMS that saves only at Terminate would lose more. Each bound
//! counts, per domain, the items whose records are the longest, so it holds whatever the
//! learner answers.

use crate::bank::{Bank, Item, ItemType, Status};

use super::{Course, Lms};

/// SCORM 1.2's limit on `cmi.suspend_data`, where the quiz keeps a suspended attempt.
pub const SCORM12_SUSPEND_LIMIT: usize = 4096;
/// The largest body a browser accepts in `navigator.sendBeacon` (64 KiB).
pub const BEACON_LIMIT: usize = 65_536;

/// The longest test's state is larger than an LMS may keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateOverflow {
    /// The upper bound, in characters (1.2) or bytes (2004).
    pub needed: usize,
    pub limit: usize,
}

/// The overflow of the longest test `course` allows over `banks` (in the course's order), with
/// `pretest` unscored items per domain; `None` when it fits or `lms` has no such limit (cmi5
/// keeps the state in the LRS, a JSON document of no fixed size).
pub fn state_overflow(
    lms: Lms,
    course: &Course,
    banks: &[&Bank],
    pretest: usize,
) -> Option<StateOverflow> {
    let (needed, limit) = match lms {
        Lms::Scorm12 => (
            suspend_data_bound(course, banks, pretest, Encoding::Plain),
            SCORM12_SUSPEND_LIMIT,
        ),
        Lms::Scorm2004 => (scorm2004_commit_bound(course, banks, pretest), BEACON_LIMIT),
        Lms::Cmi5 => return None,
    };
    (needed > limit).then_some(StateOverflow { needed, limit })
}

/// How text is counted: as written, or form-encoded as `encodeURIComponent` writes it (each
/// byte outside `A–Z a–z 0–9 - _ . ! ~ * ' ( )` becomes `%XX`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Plain,
    Form,
}

impl Encoding {
    /// The length of `text` in this encoding.
    fn len(self, text: &str) -> usize {
        match self {
            Encoding::Plain => text.len(),
            Encoding::Form => text
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
                        1
                    } else {
                        3
                    }
                })
                .sum(),
        }
    }

    /// The most a character of unknown text can take.
    fn worst(self) -> usize {
        match self {
            Encoding::Plain => 1,
            Encoding::Form => 3,
        }
    }
}

/// The sum, over `banks`, of the `max_items` largest `size`s of active items and the `pretest`
/// largest of pretest items: the most the longest test can write, whichever items it gets.
fn longest_test(
    banks: &[&Bank],
    max_items: usize,
    pretest: usize,
    size: impl Fn(&Bank, &Item) -> usize,
) -> usize {
    let largest = |bank: &Bank, status: Status, count: usize| {
        let mut sizes: Vec<usize> = bank
            .items
            .iter()
            .filter(|item| item.status == status)
            .map(|item| size(bank, item))
            .collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        sizes.into_iter().take(count).sum::<usize>()
    };
    banks
        .iter()
        .map(|bank| {
            largest(bank, Status::Active, max_items) + largest(bank, Status::Pretest, pretest)
        })
        .sum()
}

/// The most answers a test can have.
fn test_length(banks: &[&Bank], max_items: usize, pretest: usize) -> usize {
    longest_test(banks, max_items, pretest, |_, _| 1)
}

/// The most characters the shell's compact suspend data (`www/lib/lms/suspend.js`) can need,
/// in `encoding`: the settings and each bank's id, version and fingerprint, then per answer the
/// item's position in base 36 and its chosen options (every option of a multiple-response item
/// at worst), then the pending item.
fn suspend_data_bound(
    course: &Course,
    banks: &[&Bank],
    pretest: usize,
    encoding: Encoding,
) -> usize {
    let max_items = course.max_items;
    // `s1|{"format":…,"config":{…},"banks":[` with the longest seed, mode and lengths, then
    // `]}|`, `|` and the pending item.
    const SETTINGS: usize = 420;
    const PER_BANK: usize = 45; // {"id":"","version":"","fingerprint":"<16 hex>"},
    let total: usize = banks.iter().map(|bank| bank.items.len()).sum();
    let position = base36_digits(total.saturating_sub(1));
    // `=` and `,` around an answer; `.` between options is never escaped.
    let separators = 2 * encoding.len("=");
    let answer = |_: &Bank, item: &Item| {
        let chosen: usize = match item.kind {
            ItemType::Multiple => {
                (0..item.options.len()).map(base36_digits).sum::<usize>() + item.options.len() - 1
            }
            _ => base36_digits(item.options.len().saturating_sub(1)),
        };
        position + chosen + separators
    };
    let headers: usize = banks
        .iter()
        .map(|bank| PER_BANK + bank.id.len() + bank.version.len())
        .sum();
    encoding.worst() * (SETTINGS + headers + correlations_length(course))
        + longest_test(banks, max_items, pretest, answer)
        + position
}

/// The saved config's `,"correlations":[[…],…]` when the package ships a profile (a joint
/// session keeps its correlations, so a restore needs no profile); each value at most as long
/// as Rust's `{:?}` writes it (`1.0`, `0.5`).
fn correlations_length(course: &Course) -> usize {
    let Some(rows) = &course.correlations else {
        return 0;
    };
    let values: usize = rows
        .iter()
        .flatten()
        .map(|value| format!("{value:?}").len() + 1)
        .sum();
    ",\"correlations\":[]".len() + values + rows.len() * 3
}

/// The most bytes one SCORM 2004 commit of the whole data model can take, form-encoded as
/// Moodle sends it: the LMS's own fields, the objective the manifest declares, the status,
/// score, exit, times and suspend data the shell writes, and per answer the interaction
/// `www/lib/lms/scorm-dialects.js` writes (id, type, weighting, timestamp, latency, response,
/// result, correct response).
fn scorm2004_commit_bound(course: &Course, banks: &[&Bank], pretest: usize) -> usize {
    // Moodle's request fields (id, a, sesskey, attempt, scoid: about 80), the status, score,
    // progress, exit and time elements as `&cmi__<path>=<value>` (about 260), learner
    // preferences (about 150), with room left.
    const FIXED: usize = 640;
    let form = Encoding::Form;
    let objective = match course.mastery {
        Some(_) => {
            "&cmi__objectives__N0__id=".len()
                + form.len(&format!("urn:skillcat:{}:mastery", course.id))
        }
        None => 0,
    };
    let suspend_data =
        "&cmi__suspend_data=".len() + suspend_data_bound(course, banks, pretest, form);
    let count = test_length(banks, course.max_items, pretest);
    // `&cmi__interactions__N<n>__`, with the widest index.
    let prefix = "&cmi__interactions__N__".len() + count.saturating_sub(1).to_string().len();
    let interaction = |bank: &Bank, item: &Item| {
        let id = form.len(&format!("{}.{}", bank.id, item.id));
        let (kind, response, key) = responses(item, form);
        [
            "id=".len() + id,
            "type=".len() + kind,
            "weighting=".len() + 1,
            "timestamp=".len() + form.len("2025-01-01T00:00:00.00Z"),
            "latency=".len() + "PT99999H59M59.99S".len(),
            "learner_response=".len() + response,
            "result=".len() + "incorrect".len(),
            "correct_responses__N0__pattern=".len() + key,
        ]
        .iter()
        .map(|element| prefix + element)
        .sum::<usize>()
    };
    FIXED + objective + suspend_data + longest_test(banks, course.max_items, pretest, interaction)
}

/// The encoded lengths of an item's interaction type, its longest learner response and its
/// correct response, as `choiceIds` in `www/lib/lms/interaction.js` names them: `true`/`false`
/// for a true/false item, else `a`, `b`, … joined by `[,]`.
fn responses(item: &Item, form: Encoding) -> (usize, usize, usize) {
    if item.kind == ItemType::TrueFalse {
        // "true-false" with "true"/"false", or "choice" with "a"/"b": the longer of each.
        return ("true-false".len(), "false".len(), "false".len());
    }
    let delimiter = form.len("[,]");
    let joined = |indices: &mut dyn Iterator<Item = usize>| {
        let ids: Vec<usize> = indices.map(|i| option_id(i).len()).collect();
        ids.iter().sum::<usize>() + delimiter * ids.len().saturating_sub(1)
    };
    let response = match item.kind {
        ItemType::Multiple => joined(&mut (0..item.options.len())),
        _ => joined(&mut std::iter::once(item.options.len().saturating_sub(1))),
    };
    let key = joined(&mut item.key.iter().copied());
    ("choice".len(), response, key)
}

/// Option index → interaction component id: 0 → "a", 25 → "z", 26 → "aa" (as `optionId` in
/// `www/lib/lms/interaction.js`).
fn option_id(index: usize) -> String {
    let mut n = index + 1;
    let mut id = Vec::new();
    while n > 0 {
        n -= 1;
        id.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    id.reverse();
    String::from_utf8(id).unwrap_or_default()
}

/// Digits of `n` in base 36 (the shell writes item positions so).
fn base36_digits(mut n: usize) -> usize {
    let mut digits = 1;
    while n >= 36 {
        n /= 36;
        digits += 1;
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_counts_what_encode_uri_component_escapes() {
        assert_eq!(Encoding::Form.len("urn:skillcat:a-b:c_d.e"), 28);
        assert_eq!(Encoding::Form.len("a[,]b"), 11);
        assert_eq!(Encoding::Form.len("é"), 6);
        assert_eq!(Encoding::Plain.len("a[,]b"), 5);
    }

    #[test]
    fn option_ids_run_a_to_z_then_aa() {
        let ids: Vec<String> = [0, 1, 25, 26, 27, 701, 702].map(option_id).to_vec();
        assert_eq!(ids, ["a", "b", "z", "aa", "ab", "zz", "aaa"]);
    }
}
