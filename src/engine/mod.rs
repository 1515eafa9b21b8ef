//! The engine: everything the learner's browser runs, and nothing else. Authoring tools build
//! on it; it never uses them (the WebAssembly build, which compiles only this layer and the
//! boundary, would fail).
//!
//! - [`bank`]: the question-bank format and its validator.
//! - [`irt`]: item response functions (1PL–4PL probability and information).
//! - [`estimate`]: ability estimation (EAP, MAP, MLE, WLE) with standard errors, and the joint
//!   estimate over correlated domains.
//! - [`select`]: next-item rules, exposure control, content balancing, enemies, domain order.
//! - [`stop`]: stopping rules.
//! - [`session`]: the adaptive test as a deterministic, saveable state machine.
//! - [`profile`]: skill profiles, how a family of domains' abilities correlate.
//! - [`report`]: per-domain estimates, levels, topic strengths and gaps.
//! - [`pool`]: items shared by several sessions' selection.
//! - [`rng`]: the seeded, portable random generator.
//! - [`error`]: the error type and its located messages.
//! - `json`: the size-driven JSON reader and the writer for banks, configs and saved states.

pub mod bank;
pub mod error;
pub mod estimate;
pub mod irt;
pub(crate) mod json;
pub mod pool;
pub mod profile;
pub mod report;
pub mod rng;
pub mod select;
pub mod session;
pub mod stop;
