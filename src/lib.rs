//! skillcat: computerized adaptive testing (CAT) with item response theory (IRT), built to run
//! in the learner's browser as WebAssembly and natively for authors' tools.
//!
//! The crate is a table of contents; each module holds one concept:
//!
//! - [`bank`]: the question-bank format and its validator.
//! - [`irt`]: item response functions (1PL–4PL probability and information).
//! - [`estimate`]: ability estimation (EAP, MAP, MLE, WLE) with standard errors.
//! - [`select`]: next-item rules, exposure control, content balancing, enemies.
//! - [`stop`]: stopping rules.
//! - [`session`]: the adaptive test as a deterministic, saveable state machine.
//! - [`profile`]: skill profiles, how a family of domains' abilities correlate.
//! - [`report`]: per-domain estimates, levels, topic strengths and gaps.
//! - [`simulate`]: simulation studies (accuracy, precision by ability, item exposure).
//! - [`calibrate`]: item calibration (MML-EM with priors), fit statistics, CSV and xAPI
//!   response readers.
//!
//! For the authors' command line only (not in the WebAssembly build): `json_lines` (JSON
//! paths to line numbers), `plot` (small SVG charts), `study_report` (a simulation study
//! as text, JSON and an HTML page), `profile_simulation` and `profile_report` (studies over
//! several correlated domains), `package` (SCORM 1.2, SCORM 2004 and cmi5 packages) and
//! `catalog` (the bank catalog `quizbanks/index.json`).
//!
//! The logistic metric uses D = 1 throughout.

pub mod bank;
pub mod calibrate;
#[cfg(not(target_arch = "wasm32"))]
pub mod catalog;
#[cfg(not(target_arch = "wasm32"))]
pub mod convert;
pub mod error;
pub mod estimate;
pub mod irt;
mod json;
#[cfg(not(target_arch = "wasm32"))]
pub mod json_lines;
#[cfg(not(target_arch = "wasm32"))]
pub mod package;
#[cfg(not(target_arch = "wasm32"))]
pub mod plot;
pub mod pool;
pub mod profile;
#[cfg(not(target_arch = "wasm32"))]
pub mod profile_report;
#[cfg(not(target_arch = "wasm32"))]
pub mod profile_simulation;
pub mod report;
pub mod rng;
pub mod select;
pub mod session;
pub mod simulate;
pub mod stop;
#[cfg(not(target_arch = "wasm32"))]
pub mod study_report;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use bank::{Bank, Item, ItemType, Status};
pub use error::{Error, Result};
pub use estimate::{Estimate, EstimatorConfig, Method};
pub use irt::Params;
pub use profile::Profile;
pub use select::{Criterion, SelectionConfig};
pub use session::{Mode, Session, SessionConfig};
pub use stop::StopRule;

/// The README's examples run as doctests so the documentation cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
