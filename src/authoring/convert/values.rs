//! The bank format's enumerated values by name, for the text formats: parsed in any case,
//! with an error that lists the accepted names.

use crate::bank::{Difficulty, Model, Status};

pub fn difficulty(value: &str) -> Result<Difficulty, String> {
    match value.to_ascii_lowercase().as_str() {
        "easy" => Ok(Difficulty::Easy),
        "medium" => Ok(Difficulty::Medium),
        "hard" => Ok(Difficulty::Hard),
        _ => Err(format!(
            "difficulty `{value}` is not one of `easy`, `medium`, `hard`"
        )),
    }
}

pub fn difficulty_name(difficulty: Difficulty) -> &'static str {
    match difficulty {
        Difficulty::Easy => "easy",
        Difficulty::Medium => "medium",
        Difficulty::Hard => "hard",
    }
}

pub fn status(value: &str) -> Result<Status, String> {
    match value.to_ascii_lowercase().as_str() {
        "draft" => Ok(Status::Draft),
        "pretest" => Ok(Status::Pretest),
        "active" => Ok(Status::Active),
        "retired" => Ok(Status::Retired),
        _ => Err(format!(
            "status `{value}` is not one of `draft`, `pretest`, `active`, `retired`"
        )),
    }
}

pub fn status_name(status: Status) -> &'static str {
    match status {
        Status::Draft => "draft",
        Status::Pretest => "pretest",
        Status::Active => "active",
        Status::Retired => "retired",
    }
}

pub fn model(value: &str) -> Result<Model, String> {
    match value.to_ascii_uppercase().as_str() {
        "1PL" => Ok(Model::OnePl),
        "2PL" => Ok(Model::TwoPl),
        "3PL" => Ok(Model::ThreePl),
        "4PL" => Ok(Model::FourPl),
        _ => Err(format!(
            "IRT model `{value}` is not one of `1PL`, `2PL`, `3PL`, `4PL`"
        )),
    }
}

pub fn model_name(model: Model) -> &'static str {
    match model {
        Model::OnePl => "1PL",
        Model::TwoPl => "2PL",
        Model::ThreePl => "3PL",
        Model::FourPl => "4PL",
    }
}
