//! Session settings as JSON, both ways: read as serde's `Deserialize` reads them (every field
//! optional, unknown fields refused, serde's messages) and written as `Serialize` writes them,
//! for saved sessions and for the settings JavaScript passes to `new Session(…)`.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::estimate::{EstimatorConfig, Method};
use crate::json::read::{self, Read, Shape};
use crate::json::{JsonWriter, ToJson};
use crate::select::{Criterion, SelectionConfig};
use crate::session::{DomainOrder, Mode, SessionConfig};
use crate::stop::StopRule;

const CONFIG: Shape = Shape {
    name: "struct SessionConfig",
    fields: &[
        "mode",
        "seed",
        "stop",
        "selection",
        "estimator",
        "order",
        "pretestItems",
        "correlations",
    ],
    required: 0,
};
const STOP: Shape = Shape {
    name: "struct StopRule",
    fields: &[
        "maxItems",
        "minItems",
        "se",
        "cut",
        "confidence",
        "levelCertainty",
    ],
    required: 0,
};
const SELECTION: Shape = Shape {
    name: "struct SelectionConfig",
    fields: &[
        "criterion",
        "randomesque",
        "sympsonHetter",
        "contentBalancing",
    ],
    required: 0,
};
const ESTIMATOR: Shape = Shape {
    name: "struct EstimatorConfig",
    fields: &[
        "method",
        "priorMean",
        "priorSd",
        "gridPoints",
        "minTheta",
        "maxTheta",
    ],
    required: 0,
};

/// Each enum's variants as JSON names them, in declaration order.
const MODES: [(&str, Mode); 2] = [
    ("practice", Mode::Practice),
    ("assessment", Mode::Assessment),
];
const ORDERS: [(&str, DomainOrder); 3] = [
    ("roundRobin", DomainOrder::RoundRobin),
    ("blocked", DomainOrder::Blocked),
    ("adaptive", DomainOrder::Adaptive),
];
const CRITERIA: [(&str, Criterion); 3] = [
    ("maxInfo", Criterion::MaxInfo),
    ("kullbackLeibler", Criterion::KullbackLeibler),
    ("random", Criterion::Random),
];
const METHODS: [(&str, Method); 4] = [
    ("eap", Method::Eap),
    ("map", Method::Map),
    ("mle", Method::Mle),
    ("wle", Method::Wle),
];

impl SessionConfig {
    /// Reads settings from JSON, exactly as serde's `Deserialize` does: every field optional
    /// (defaults as in [`SessionConfig::default`]), unknown fields refused. The values are not
    /// checked here; [`Session::new`](crate::Session::new) checks them.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] with serde's message, such as ``unknown field `maxitems`,
    /// expected one of `maxItems`, `minItems`, `se`, `cut`, `confidence`, `levelCertainty` ``.
    pub fn from_value(value: &Value) -> Result<SessionConfig> {
        config(value).map_err(Error::InvalidConfig)
    }
}

pub(super) fn config(value: &Value) -> Read<SessionConfig> {
    let mut config = SessionConfig::default();
    let fields = read::fields(value, &CONFIG)?;
    for &(field, value) in &fields.present {
        // By position in `CONFIG.fields`.
        match field {
            0 => config.mode = read::unit_variant(value, &MODES)?,
            1 => config.seed = read::u64(value)?,
            2 => config.stop = stop(value)?,
            3 => config.selection = selection(value)?,
            4 => config.estimator = estimator(value)?,
            5 => config.order = read::unit_variant(value, &ORDERS)?,
            6 => config.pretest_items = read::usize(value)?,
            _ => {
                config.correlations = read::option(value, |rows| {
                    read::list(rows, |row| read::list(row, read::f64))
                })?;
            }
        }
    }
    fields.then?;
    Ok(config)
}

fn stop(value: &Value) -> Read<StopRule> {
    let mut stop = StopRule::default();
    let fields = read::fields(value, &STOP)?;
    for &(field, value) in &fields.present {
        // By position in `STOP.fields`.
        match field {
            0 => stop.max_items = read::usize(value)?,
            1 => stop.min_items = read::usize(value)?,
            2 => stop.se = read::option(value, read::f64)?,
            3 => stop.cut = read::option(value, read::f64)?,
            4 => stop.confidence = read::f64(value)?,
            _ => stop.level_certainty = read::option(value, read::f64)?,
        }
    }
    fields.then?;
    Ok(stop)
}

fn selection(value: &Value) -> Read<SelectionConfig> {
    let mut selection = SelectionConfig::default();
    let fields = read::fields(value, &SELECTION)?;
    for &(field, value) in &fields.present {
        // By position in `SELECTION.fields`.
        match field {
            0 => selection.criterion = read::unit_variant(value, &CRITERIA)?,
            1 => selection.randomesque = read::usize(value)?,
            2 => selection.sympson_hetter = read::bool(value)?,
            _ => selection.content_balancing = read::bool(value)?,
        }
    }
    fields.then?;
    Ok(selection)
}

fn estimator(value: &Value) -> Read<EstimatorConfig> {
    let mut estimator = EstimatorConfig::default();
    let fields = read::fields(value, &ESTIMATOR)?;
    for &(field, value) in &fields.present {
        // By position in `ESTIMATOR.fields`.
        match field {
            0 => estimator.method = read::unit_variant(value, &METHODS)?,
            1 => estimator.prior_mean = read::f64(value)?,
            2 => estimator.prior_sd = read::f64(value)?,
            3 => estimator.grid_points = read::usize(value)?,
            4 => estimator.min_theta = read::f64(value)?,
            _ => estimator.max_theta = read::f64(value)?,
        }
    }
    fields.then?;
    Ok(estimator)
}

/// The JSON name of an enum value.
fn name_of<T: PartialEq>(variants: &[(&'static str, T)], value: &T) -> &'static str {
    variants
        .iter()
        .find(|(_, known)| known == value)
        .map_or("", |(name, _)| *name)
}

impl ToJson for SessionConfig {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("mode", name_of(&MODES, &self.mode));
        out.field("seed", &self.seed);
        out.field("stop", &self.stop);
        out.field("selection", &self.selection);
        out.field("estimator", &self.estimator);
        out.field("order", name_of(&ORDERS, &self.order));
        out.field("pretestItems", &self.pretest_items);
        out.optional_field("correlations", &self.correlations);
        out.end_object();
    }
}

impl ToJson for StopRule {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("maxItems", &self.max_items);
        out.field("minItems", &self.min_items);
        out.field("se", &self.se);
        out.field("cut", &self.cut);
        out.field("confidence", &self.confidence);
        out.optional_field("levelCertainty", &self.level_certainty);
        out.end_object();
    }
}

impl ToJson for SelectionConfig {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("criterion", name_of(&CRITERIA, &self.criterion));
        out.field("randomesque", &self.randomesque);
        out.field("sympsonHetter", &self.sympson_hetter);
        out.field("contentBalancing", &self.content_balancing);
        out.end_object();
    }
}

impl ToJson for EstimatorConfig {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("method", name_of(&METHODS, &self.method));
        out.field("priorMean", &self.prior_mean);
        out.field("priorSd", &self.prior_sd);
        out.field("gridPoints", &self.grid_points);
        out.field("minTheta", &self.min_theta);
        out.field("maxTheta", &self.max_theta);
        out.end_object();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::read::single_changes;
    use crate::json::to_json;
    use serde::Deserialize;
    use serde_json::json;

    /// Settings with every field away from its default.
    fn unusual() -> SessionConfig {
        SessionConfig {
            mode: Mode::Assessment,
            seed: u64::MAX,
            stop: StopRule {
                max_items: 30,
                min_items: 0,
                se: None,
                cut: Some(-0.25),
                confidence: 0.9,
                level_certainty: Some(0.8),
            },
            selection: SelectionConfig {
                criterion: Criterion::KullbackLeibler,
                randomesque: 1,
                sympson_hetter: false,
                content_balancing: false,
            },
            estimator: EstimatorConfig {
                method: Method::Wle,
                prior_mean: 0.5,
                prior_sd: 2.0,
                grid_points: 81,
                min_theta: -6.0,
                max_theta: 1e-7,
            },
            order: DomainOrder::Adaptive,
            pretest_items: 0,
            correlations: Some(vec![vec![1.0, 0.6], vec![0.6, 1.0]]),
        }
    }

    #[test]
    fn settings_are_written_as_serde_writes_them() {
        for config in [SessionConfig::default(), unusual()] {
            assert_eq!(to_json(&config), serde_json::to_string(&config).unwrap());
        }
        for criterion in CRITERIA.map(|(_, c)| c) {
            for method in METHODS.map(|(_, m)| m) {
                let mut config = SessionConfig::default();
                config.selection.criterion = criterion;
                config.estimator.method = method;
                assert_eq!(to_json(&config), serde_json::to_string(&config).unwrap());
            }
        }
        for order in ORDERS.map(|(_, o)| o) {
            let config = SessionConfig {
                order,
                ..Default::default()
            };
            assert_eq!(to_json(&config), serde_json::to_string(&config).unwrap());
        }
    }

    #[test]
    fn settings_with_one_change_read_as_serde_reads_them() {
        let full = serde_json::to_value(unusual()).unwrap();
        let mut values = single_changes(&full);
        values.extend([
            json!(["assessment", 7]),
            json!(["assessment", 7, { "maxItems": 3 }, [], [], "blocked", 1, "extra"]),
            json!({ "stop": [10, 2, null] }),
            json!({ "stop": { "maxItems": 5000000000u64 } }),
            json!({ "mode": { "assessment": null }, "order": { "blocked": 0 } }),
            json!({ "selection": { "criterion": "maxinfo" } }),
            json!({ "estimator": { "method": "EAP", "gridPoints": -3 } }),
            json!({ "seed": 1.5, "aaa": 1 }),
            json!({ "correlations": [[1, "0.5"], [0.5, 1]] }),
            json!({ "correlations": [1, 0.5] }),
            json!({ "correlations": null, "stop": { "levelCertainty": null } }),
            json!({ "order": "adaptive", "stop": { "levelCertainty": "0.8" } }),
        ]);
        assert!(values.len() > 250, "only {} variants", values.len());
        for value in values {
            let ours = SessionConfig::from_value(&value);
            let serde =
                SessionConfig::deserialize(&value).map_err(|e| Error::InvalidConfig(e.to_string()));
            assert_eq!(ours, serde, "{value}");
        }
    }
}
