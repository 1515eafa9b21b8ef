//! Authoring: what authors run on their own machine (the `skillcat` command line), built on
//! the engine and never compiled into the learner's WebAssembly.
//!
//! - [`convert`]: importers (GIFT, Aiken, CSV, Moodle XML, QTI 1.2–3.0) and exporters.
//! - [`calibrate`]: item calibration (MML-EM with priors), fit statistics, factor
//!   correlations, CSV and xAPI response readers.
//! - [`simulate`]: simulation studies (accuracy, precision by ability, item exposure);
//!   [`profile_simulation`] the same over several correlated domains.
//! - [`study_report`] and [`profile_report`]: a study as text, JSON and an HTML page;
//!   [`plot`] draws their small SVG charts.
//! - [`package`]: SCORM 1.2, SCORM 2004 and cmi5 packages.
//! - [`catalog`]: the bank catalog `quizbanks/index.json`.
//! - `delimited`: CSV and TSV records, read and written the one way everywhere.
//! - [`source_lines`]: JSON paths to line numbers, so messages name the line of a bank file.

pub mod calibrate;
pub mod catalog;
pub mod convert;
pub(crate) mod delimited;
pub mod package;
pub mod plot;
pub mod profile_report;
pub mod profile_simulation;
pub mod simulate;
pub mod source_lines;
pub mod study_report;
