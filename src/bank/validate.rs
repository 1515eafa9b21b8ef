//! Bank validation (placeholder, being written).
use crate::error::Problem;
use serde_json::Value;

/// Every problem in a bank, in document order.
pub fn check(_source: &str, _value: &Value) -> Vec<Problem> {
    Vec::new()
}
