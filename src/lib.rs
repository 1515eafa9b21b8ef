//! skillcat: computerized adaptive testing (CAT) with item response theory (IRT), built to run
//! in the learner's browser as WebAssembly and natively for authors' tools.
//!
//! The crate is in layers, one folder each; a layer uses only the layers above it:
//!
//! - [`engine`]: what the learner's browser runs: the bank format and its validator, item
//!   response functions, estimation, selection, stopping, the session state machine, skill
//!   profiles and the report.
//! - `wasm` (WebAssembly build only): the boundary between the engine and JavaScript.
//! - [`authoring`] (native only): what authors run: importers and exporters, calibration,
//!   simulation studies and their reports, LMS packages, the bank catalog.
//! - `markup` (native only): XML, HTML and the Markdown subset, shared by the importers and
//!   the package writers.
//!
//! The WebAssembly build compiles `engine` and `wasm` and nothing else, so an engine module
//! that used an authoring one would fail `make check-wasm`. The crate root re-exports every
//! layer's modules so that paths stay short: `skillcat::bank`, `skillcat::convert`.
//!
//! The logistic metric uses D = 1 throughout.

// Safe Rust only: the engine parses untrusted banks and saved states. The WebAssembly build's
// one exception is its global allocator (`wasm::allocator`, an `unsafe` trait by definition),
// which passes every call to the standard allocator unchanged; so there unsafe code is denied
// rather than forbidden, and allowed in that module alone.
#![cfg_attr(not(target_arch = "wasm32"), forbid(unsafe_code))]
#![cfg_attr(target_arch = "wasm32", deny(unsafe_code))]

pub mod engine;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

#[cfg(not(target_arch = "wasm32"))]
pub mod authoring;
#[cfg(not(target_arch = "wasm32"))]
pub(crate) mod markup;

pub(crate) use engine::json;
pub use engine::{bank, error, estimate, irt, pool, profile, report, rng, select, session, stop};

#[cfg(not(target_arch = "wasm32"))]
pub use authoring::{
    bank_file, calibrate, catalog, convert, package, plot, profile_report, profile_simulation,
    simulate, source_lines, study_page, study_report,
};

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
