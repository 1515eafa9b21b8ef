//! The bank format's enumerated values by name, for the text formats: parsed in any case,
//! with an error that lists the accepted names.

use crate::bank::{Difficulty, Model, Status};

pub fn difficulty(value: &str) -> Result<Difficulty, String> {
    Difficulty::from_json_name(&value.to_ascii_lowercase()).ok_or_else(|| {
        format!(
            "difficulty `{value}` is not one of {}",
            quoted(Difficulty::JSON_NAMES)
        )
    })
}

pub fn difficulty_name(difficulty: Difficulty) -> &'static str {
    difficulty.json_name()
}

pub fn status(value: &str) -> Result<Status, String> {
    Status::from_json_name(&value.to_ascii_lowercase()).ok_or_else(|| {
        format!(
            "status `{value}` is not one of {}",
            quoted(Status::JSON_NAMES)
        )
    })
}

pub fn status_name(status: Status) -> &'static str {
    status.json_name()
}

pub fn model(value: &str) -> Result<Model, String> {
    Model::from_json_name(&value.to_ascii_uppercase()).ok_or_else(|| {
        format!(
            "IRT model `{value}` is not one of {}",
            quoted(Model::JSON_NAMES)
        )
    })
}

pub fn model_name(model: Model) -> &'static str {
    model.json_name()
}

/// "`a`, `b`, `c`": accepted names in a message.
pub fn quoted(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    quoted.join(", ")
}
