//! The engine's JSON in and out without serde's per-type code, so that the WebAssembly build
//! stays small (every type serde derives for brings its own copy of the serialiser or
//! deserialiser, and serde's error messages bring `std`'s float formatting).
//!
//! - [`write`]: results (items, feedback, reports, the log, saved sessions) as compact JSON
//!   text, byte for byte what `serde_json::to_string` gives for the same value through the
//!   types' `Serialize` derives.
//! - [`read`]: settings and saved sessions from a `serde_json::Value`, with exactly the values
//!   and messages the types' `Deserialize` derives give through serde_json.
//!
//! The derives stay, for Rust callers; tests hold both directions to them.

pub(crate) mod read;
pub(crate) mod write;

pub(crate) use write::{JsonWriter, ToJson, to_json};

#[cfg(test)]
mod tests {
    use super::to_json;
    use crate::select::Criterion;
    use crate::session::{DomainOrder, Mode, Session, SessionConfig};
    use crate::stop::StopRule;
    use crate::{Bank, ItemType};

    fn serde_text<T: serde::Serialize + ?Sized>(value: &T) -> String {
        serde_json::to_string(value).expect("serialises")
    }

    fn banks() -> Vec<Bank> {
        let first = include_str!("../../../tests/fixtures/sessions/bank.json");
        let second = include_str!("../../../tests/fixtures/sessions/second.json");
        vec![
            Bank::from_json("bank.json", first).expect("valid"),
            Bank::from_json("second.json", second).expect("valid"),
        ]
    }

    /// Runs sessions in both modes, over one and two banks, answering right, wrong and through
    /// `record_score`, and compares every result the engine gives out with serde's text.
    #[test]
    fn every_result_is_written_as_serde_writes_it() {
        let mut compared = 0;
        let mut logs = String::new();
        for (run, mode) in [Mode::Practice, Mode::Assessment].into_iter().enumerate() {
            for seed in 0..4 {
                let banks = banks();
                let banks = if seed % 2 == 0 {
                    banks
                } else {
                    banks[..1].to_vec()
                };
                for bank in &banks {
                    assert_eq!(to_json(&bank.topics), serde_text(&bank.topics));
                    assert_eq!(to_json(&bank.levels), serde_text(&bank.levels));
                }
                let config = SessionConfig {
                    mode,
                    seed,
                    stop: StopRule {
                        max_items: 8,
                        se: None,
                        cut: (seed == 2).then_some(0.25),
                        level_certainty: (seed == 2).then_some(0.7),
                        ..Default::default()
                    },
                    order: match seed {
                        3 => DomainOrder::Blocked,
                        2 => DomainOrder::Adaptive,
                        _ => DomainOrder::RoundRobin,
                    },
                    correlations: (seed == 2).then(|| vec![vec![1.0, 0.5], vec![0.5, 1.0]]),
                    selection: crate::SelectionConfig {
                        criterion: if run == 1 {
                            Criterion::Random
                        } else {
                            Criterion::MaxInfo
                        },
                        ..Default::default()
                    },
                    ..Default::default()
                };
                let mut session = Session::new(banks, config).expect("valid config");
                let mut step = 0;
                while let Some(item) = session.next_item() {
                    assert_eq!(to_json(&item), serde_text(&item));
                    step += 1;
                    if step % 3 == 0 {
                        session
                            .record_score(&item.id, step % 2 == 0)
                            .expect("current");
                    } else {
                        let chosen = match item.kind {
                            ItemType::Multiple => vec![0, item.options.len() - 1],
                            _ => vec![step % item.options.len()],
                        };
                        let feedback = session.answer(&item.id, &chosen).expect("valid");
                        assert_eq!(to_json(&feedback), serde_text(&feedback));
                    }
                    assert_eq!(
                        to_json(&session.estimates()),
                        serde_text(&session.estimates())
                    );
                    assert_eq!(to_json(&session.report()), serde_text(&session.report()));
                    assert_eq!(to_json(session.log()), serde_text(session.log()));
                    assert_eq!(session.save_json(), serde_text(&session.save()));
                    compared += 1;
                }
                assert!(session.is_finished());
                logs.push_str(&to_json(session.log()));
            }
        }
        assert!(compared > 40, "only {compared} steps compared");
        for kind in ["randomesque", "sympsonHetter", "pretest"] {
            assert!(
                logs.contains(&format!(r#""kind":"{kind}""#)),
                "no {kind} draw"
            );
        }
        assert!(
            logs.contains(r#""domainValues":[{"domain":"#),
            "no adaptive step"
        );
    }
}
