//! The adaptive test session (being written).
use serde::{Deserialize, Serialize};

/// Practice shows feedback after each answer; assessment reveals nothing until the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Practice,
    Assessment,
}

/// Session settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionConfig {}

/// An adaptive test.
pub struct Session {}
