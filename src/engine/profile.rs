//! Skill profiles: how the abilities of a family of domains correlate, so that a test over
//! several of them can let one domain's answers inform the others (see
//! [`JointPosterior`](crate::estimate::JointPosterior)).
//!
//! A profile file (`quizbanks/profile.json`, schema `quizbanks/profile.schema.json`):
//!
//! ```json
//! {
//!   "id": "health-it",
//!   "title": "Health-IT skills",
//!   "version": "2025.1",
//!   "source": "where the numbers come from",
//!   "domains": ["genai-ml", "cloud", "cybersecurity"],
//!   "correlations": [[1, 0.6, 0.5], [0.6, 1, 0.55], [0.5, 0.55, 1]]
//! }
//! ```
//!
//! Abilities are N(0, 1) in every domain (banks are scaled so), so the correlation matrix is the
//! prior covariance. It is a full symmetric matrix with unit diagonal, in `domains` order, with
//! off-diagonal values in (−1, 1), and positive definite. A session takes the submatrix of its
//! banks ([`Profile::correlations_for`]); a domain the profile does not list correlates 0 with
//! every other.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::bank::validate::walk::{Path, Report};
use crate::error::{Error, Problem, Result};
use crate::estimate::covariance::check_correlations;

/// A profile's fields, in documented order.
const FIELDS: &[&str] = &[
    "$schema",
    "id",
    "title",
    "version",
    "source",
    "domains",
    "correlations",
];
const REQUIRED: &[&str] = &[
    "id",
    "title",
    "version",
    "source",
    "domains",
    "correlations",
];

/// How the abilities of a family of domains correlate (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// An editor hint (`"./profile.schema.json"`); ignored by the engine.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// A slug, such as `health-it`.
    pub id: String,
    pub title: String,
    /// Saved sessions keep the correlations they started with, whatever later versions say.
    pub version: String,
    /// Where the numbers come from: a study with its reference, a calibration run, or a stated
    /// default.
    pub source: String,
    /// Bank ids, in the order of the matrix's rows and columns.
    pub domains: Vec<String>,
    /// The correlation matrix, row by row.
    pub correlations: Vec<Vec<f64>>,
}

impl Profile {
    /// Parses and validates a profile from JSON text. `source` names it in errors (a file name).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidProfile`] with every problem found, or a single problem for malformed
    /// JSON.
    pub fn from_json(source: &str, text: &str) -> Result<Profile> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            Error::InvalidProfile(vec![Problem {
                source: source.to_string(),
                path: String::new(),
                message: format!("not valid JSON: {e}"),
            }])
        })?;
        Profile::from_value(source, &value)
    }

    /// Validates an already-parsed JSON value and builds the profile.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidProfile`] with every problem found, each with the field and, for a
    /// correlation, the pair: `correlations[2][5] (cybersecurity, secure-dev): …`.
    pub fn from_value(source: &str, value: &Value) -> Result<Profile> {
        let mut report = Report::new(source);
        let profile = read(&mut report, value);
        report.finish(profile).map_err(Error::InvalidProfile)
    }

    /// Checks a profile built in Rust (by `skillcat calibrate`) by the rules a file must meet.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidProfile`], as [`Profile::from_value`].
    pub fn check(&self, source: &str) -> Result<()> {
        let value = serde_json::to_value(self).map_err(|e| {
            Error::InvalidProfile(vec![Problem {
                source: source.to_string(),
                path: String::new(),
                message: format!("cannot be written as JSON: {e}"),
            }])
        })?;
        Profile::from_value(source, &value).map(|_| ())
    }

    /// The correlations among `domains` (bank ids, in a session's order), row by row: the
    /// profile's value for two listed domains, 0 when either is not listed, 1 on the diagonal.
    /// A submatrix of a valid profile's matrix, bordered by independent domains, is again a
    /// valid correlation matrix.
    pub fn correlations_for(&self, domains: &[&str]) -> Vec<Vec<f64>> {
        let position = |id: &str| self.domains.iter().position(|d| d == id);
        let mut out = Vec::with_capacity(domains.len());
        for (i, a) in domains.iter().enumerate() {
            let mut row = Vec::with_capacity(domains.len());
            for (j, b) in domains.iter().enumerate() {
                let value = match (i == j, position(a), position(b)) {
                    (true, _, _) => 1.0,
                    (false, Some(p), Some(q)) => self.correlations[p][q],
                    _ => 0.0,
                };
                row.push(value);
            }
            out.push(row);
        }
        out
    }
}

/// Checks a profile and builds it; the result is only used when no problem was reported.
fn read(report: &mut Report<'_>, value: &Value) -> Option<Profile> {
    let root = Path::root();
    let fields = report.object(&root, value, FIELDS)?;
    report.required(&root, &fields, REQUIRED);
    let schema = match fields.get("$schema") {
        Some(schema) => report.string(&root.field("$schema"), schema).map(Some),
        None => Some(None),
    };
    let id = fields
        .get("id")
        .and_then(|id| report.slug(&root.field("id"), id));
    let [title, version, source] = ["title", "version", "source"].map(|name| {
        fields
            .get(name)
            .and_then(|text| report.text(&root.field(name), text))
    });
    let domains = fields
        .get("domains")
        .and_then(|value| domains(report, &root.field("domains"), value));
    let correlations = fields.get("correlations").and_then(|value| {
        correlations(
            report,
            &root.field("correlations"),
            value,
            domains.as_deref(),
        )
    });
    let (
        Some(schema),
        Some(id),
        Some(title),
        Some(version),
        Some(source),
        Some(domains),
        Some(correlations),
    ) = (schema, id, title, version, source, domains, correlations)
    else {
        return None;
    };
    Some(Profile {
        schema: schema.map(str::to_owned),
        id: id.to_owned(),
        title: title.to_owned(),
        version: version.to_owned(),
        source: source.to_owned(),
        domains,
        correlations,
    })
}

/// The domains: at least one, each a slug, none twice.
fn domains(report: &mut Report<'_>, path: &Path<'_>, value: &Value) -> Option<Vec<String>> {
    let list = report.array(path, value)?;
    if list.is_empty() {
        report.push(path, "must list at least one domain (a bank id)");
        return None;
    }
    let mut out: Option<Vec<String>> = Some(Vec::with_capacity(list.len()));
    for (i, value) in list.iter().enumerate() {
        let element = path.index(i);
        let Some(id) = report.slug(&element, value) else {
            out = None;
            continue;
        };
        let earlier = list[..i].iter().position(|v| v.as_str() == Some(id));
        if let Some(first) = earlier {
            report.push(
                &element,
                format!("`{id}` is listed twice (first at domains[{first}])"),
            );
        }
        if let Some(out) = out.as_mut() {
            out.push(id.to_owned());
        }
    }
    out
}

/// The matrix: one row per domain, one number per domain in each row, then the rules of a
/// correlation matrix (see [`check_correlations`]), each problem at its cell with the pair.
fn correlations(
    report: &mut Report<'_>,
    path: &Path<'_>,
    value: &Value,
    domains: Option<&[String]>,
) -> Option<Vec<Vec<f64>>> {
    let rows = report.array(path, value)?;
    let n = domains.map_or(rows.len(), <[String]>::len);
    if rows.len() != n {
        let message = format!(
            "has {} rows but `domains` lists {n} domains: one row per domain",
            rows.len()
        );
        report.push(path, message);
        return None;
    }
    let name = |i: usize| domains.and_then(|d| d.get(i)).map_or("?", String::as_str);
    let mut matrix: Option<Vec<Vec<f64>>> = Some(Vec::with_capacity(n));
    for (i, row) in rows.iter().enumerate() {
        let row_path = path.index(i);
        let Some(values) = report.array(&row_path, row) else {
            matrix = None;
            continue;
        };
        if values.len() != n {
            let message = format!(
                "has {} values but `domains` lists {n} domains: one value per domain",
                values.len()
            );
            report.push(&row_path, message);
            matrix = None;
            continue;
        }
        let mut numbers = Vec::with_capacity(n);
        for (j, cell) in values.iter().enumerate() {
            match report.number(&path.cell(i, j, (name(i), name(j))), cell) {
                Some(x) => numbers.push(x),
                None => matrix = None,
            }
        }
        if let Some(matrix) = matrix.as_mut() {
            matrix.push(numbers);
        }
    }
    let matrix = matrix?;
    domains?;
    let flat: Vec<f64> = matrix.iter().flatten().copied().collect();
    if let Err(problem) = check_correlations(&flat, n) {
        let (i, j) = (problem.row, problem.column);
        report.push(&path.cell(i, j, (name(i), name(j))), problem.message);
        return None;
    }
    Some(matrix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn profile() -> Value {
        json!({
            "id": "health-it",
            "title": "Health IT",
            "version": "1",
            "source": "a stated default",
            "domains": ["cloud", "cybersecurity", "regulation"],
            "correlations": [[1, 0.5, 0.4], [0.5, 1, 0.6], [0.4, 0.6, 1]],
        })
    }

    #[test]
    fn a_valid_profile_reads_as_serde_reads_it() {
        let value = profile();
        let ours = Profile::from_value("profile.json", &value).unwrap();
        assert_eq!(ours, Profile::deserialize(&value).unwrap());
        assert_eq!(ours.check("profile.json"), Ok(()));
    }

    #[test]
    fn a_sessions_correlations_are_the_submatrix_with_unlisted_domains_independent() {
        let profile = Profile::from_value("profile.json", &profile()).unwrap();
        assert_eq!(
            profile.correlations_for(&["regulation", "genai-ml", "cloud"]),
            [[1.0, 0.0, 0.4], [0.0, 1.0, 0.0], [0.4, 0.0, 1.0]]
        );
        assert_eq!(profile.correlations_for(&["cloud"]), [[1.0]]);
    }

    #[test]
    fn a_problem_in_a_correlation_names_the_cell_and_the_pair() {
        let mut value = profile();
        value["correlations"][2][1] = json!(0.61);
        let error = Profile::from_value("profile.json", &value).unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid profile (1 problem)\nprofile.json: correlations[2][1] (regulation, \
             cybersecurity): 0.61 differs from correlations[1][2] (0.6); the matrix must be \
             symmetric"
        );
    }
}
