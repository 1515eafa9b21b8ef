//! Session settings from JSON, for saved sessions and for the settings JavaScript passes to
//! `new Session(…)`: read as serde's `Deserialize` reads them (every field optional, unknown
//! fields refused, serde's messages). The reader and writer come from the settings'
//! declarations (`json_struct!`); the tests here hold both to serde.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::json::FromJson;
use crate::session::SessionConfig;

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
        SessionConfig::from_json(value).map_err(Error::InvalidConfig)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::{EstimatorConfig, Method};
    use crate::json::read::single_changes;
    use crate::json::to_json;
    use crate::select::{Criterion, SelectionConfig};
    use crate::session::{DomainOrder, Mode};
    use crate::stop::StopRule;
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
        for criterion in Criterion::ALL.iter().copied() {
            for method in Method::ALL.iter().copied() {
                let mut config = SessionConfig::default();
                config.selection.criterion = criterion;
                config.estimator.method = method;
                assert_eq!(to_json(&config), serde_json::to_string(&config).unwrap());
            }
        }
        for order in DomainOrder::ALL.iter().copied() {
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
