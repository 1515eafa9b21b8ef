//! An item's `irt`: a model and exactly its parameters, each in range, with `d` above `c`.

use serde_json::Value;

use super::shape;
use super::walk::{Fields, Path, Report};
use crate::bank::{Calibration, Model};

const IRT_FIELDS: &[&str] = &["model", "a", "b", "c", "d"];
const MODELS: &[&str] = &["1PL", "2PL", "3PL", "4PL"];
const MODEL_VALUES: [Model; 4] = [Model::OnePl, Model::TwoPl, Model::ThreePl, Model::FourPl];
/// The parameters each of [`MODELS`] takes.
const MODEL_PARAMS: [&[&str]; 4] = [&["b"], &["a", "b"], &["a", "b", "c"], &["a", "b", "c", "d"]];

/// The largest discrimination accepted (see the module documentation of `validate`).
const MAX_A: f64 = 10.0;
/// The range of difficulties accepted, on the theta scale.
const MAX_ABS_B: f64 = 10.0;
/// Guessing parameters from here up are not guessing.
const MAX_C_EXCLUSIVE: f64 = 0.5;

/// `irt`: a model and exactly its parameters, each in range.
pub(super) fn irt(report: &mut Report<'_>, path: &Path<'_>, value: &Value) -> Option<Calibration> {
    let fields = report.object(path, value, IRT_FIELDS)?;
    report.required(path, &fields, &["model", "b"]);
    let model = fields
        .get("model")
        .and_then(Value::as_str)
        .and_then(|name| {
            MODELS
                .iter()
                .zip(MODEL_PARAMS)
                .find(|(model, _)| **model == name)
        })
        .map(|(model, takes)| (*model, takes));
    if let Some((model, takes)) = model {
        for name in takes.iter().filter(|name| **name != "b") {
            if !fields.has(name) {
                let list = list_names(takes);
                report.push(
                    path,
                    format!("missing required field `{name}` (the {model} model takes {list})"),
                );
            }
        }
    }
    let model = fields
        .get("model")
        .and_then(|model_value| report.one_of(&path.field("model"), model_value, MODELS))
        .and_then(|position| MODEL_VALUES.get(position).copied());
    let [a, b, c, d] = parameters(report, path, &fields, model);
    Some(Calibration {
        model: model?,
        a,
        b: b?,
        c,
        d,
    })
}

/// The parameters of `irt` in order (each when present and a number), given its model when
/// that is valid.
fn parameters(
    report: &mut Report<'_>,
    path: &Path<'_>,
    fields: &Fields<'_, '_>,
    model: Option<Model>,
) -> [Option<f64>; 4] {
    let takes = model.and_then(|model| {
        let position = MODEL_VALUES.iter().position(|known| *known == model)?;
        Some((*MODELS.get(position)?, *MODEL_PARAMS.get(position)?))
    });
    let mut values = [None; 4];
    // `c` as written and its value, when it is valid; `d` must exceed it.
    let mut guessing: Option<(&Value, f64)> = None;
    for (slot, name) in values.iter_mut().zip(["a", "b", "c", "d"]) {
        let Some(value) = fields.get(name) else {
            continue;
        };
        let path = path.field(name);
        if let Some((model, takes)) = takes.filter(|(_, takes)| !takes.contains(&name)) {
            report.push(
                &path,
                format!("the {model} model takes only {}", list_names(takes)),
            );
            continue;
        }
        let Some(x) = report.number(&path, value) else {
            continue;
        };
        *slot = Some(x);
        let (in_range, interval) = match name {
            "a" => (x > 0.0 && x <= MAX_A, "(0, 10]"),
            "b" => (x.abs() <= MAX_ABS_B, "[-10, 10]"),
            "c" => ((0.0..MAX_C_EXCLUSIVE).contains(&x), "[0, 0.5)"),
            _ => (x > 0.0 && x <= 1.0, "(0, 1]"),
        };
        if !in_range {
            let value = shape::written(value);
            report.push(&path, format!("must be in {interval}, not {value}"));
        } else if name == "c" {
            guessing = Some((value, x));
        } else if let Some((written, c)) = guessing.filter(|_| name == "d") {
            if x <= c {
                let (written, value) = (shape::written(written), shape::written(value));
                report.push(
                    &path,
                    format!("must be greater than c ({written}), not {value}"),
                );
            }
        }
    }
    values
}

/// "`a`, `b` and `c`".
fn list_names(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}
