//! No saved state, config or call sequence panics: random bytes, random JSON and randomly
//! mutated valid states all end in `Ok` or a clear `Err`.

use proptest::prelude::*;
use serde_json::Value;
use skillcat::{Bank, Session, SessionConfig};

fn sample() -> Bank {
    let path = format!(
        "{}/tests/fixtures/sessions/bank.json",
        env!("CARGO_MANIFEST_DIR")
    );
    Bank::from_json("bank.json", &std::fs::read_to_string(path).unwrap()).unwrap()
}

fn valid_state() -> Value {
    let mut session = Session::new(
        vec![sample()],
        SessionConfig {
            seed: 5,
            ..Default::default()
        },
    )
    .unwrap();
    for i in 0..6 {
        let item = session.next_item().unwrap();
        session.answer(&item.id, &[i % 2]).unwrap();
    }
    session.next_item();
    serde_json::to_value(session.save()).unwrap()
}

/// Arbitrary JSON values, a few levels deep.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-z0-9-]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,10}", inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every path (as pointer segments) into a JSON value.
fn paths(value: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                prefix.push(k.clone());
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                prefix.push(i.to_string());
                paths(v, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn pointer(path: &[String]) -> String {
    path.iter().map(|s| format!("/{s}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Session::restore_json(vec![sample()], &text);
    }

    #[test]
    fn random_json_never_panics(value in json()) {
        let _ = Session::restore_json(vec![sample()], &value.to_string());
        if let Ok(config) = serde_json::from_value::<SessionConfig>(value) {
            if let Ok(mut session) = Session::new(vec![sample()], config) {
                while let Some(item) = session.next_item() {
                    let _ = session.answer(&item.id, &[0]);
                    if session.answered() > 200 { break; }
                }
            }
        }
    }

    #[test]
    fn mutated_valid_states_never_panic(choice in any::<prop::sample::Index>(), replacement in json()) {
        let mut state = valid_state();
        let mut all = Vec::new();
        paths(&state, &mut Vec::new(), &mut all);
        let path = &all[choice.index(all.len())];
        if let Some(slot) = state.pointer_mut(&pointer(path)) {
            *slot = replacement;
        }
        let _ = Session::restore_json(vec![sample()], &state.to_string());
    }

    #[test]
    fn random_answers_never_panic(answers in prop::collection::vec(prop::collection::vec(0usize..12, 0..5), 0..40)) {
        let mut session = Session::new(vec![sample()], SessionConfig::default()).unwrap();
        for answer in answers {
            let Some(item) = session.next_item() else { break };
            let before = session.answered();
            match session.answer(&item.id, &answer) {
                Ok(_) => prop_assert_eq!(session.answered(), before + 1),
                Err(_) => prop_assert_eq!(session.answered(), before),
            }
        }
    }
}

#[test]
fn extreme_configs_are_rejected_or_run() {
    for text in [
        r#"{"stop":{"maxItems":18446744073709551615}}"#,
        r#"{"selection":{"randomesque":18446744073709551615}}"#,
        r#"{"estimator":{"gridPoints":100000000}}"#,
        r#"{"estimator":{"priorSd":0}}"#,
        r#"{"pretestItems":18446744073709551615}"#,
        r#"{"seed":18446744073709551615}"#,
    ] {
        let config: SessionConfig = serde_json::from_str(text).unwrap();
        if let Ok(mut session) = Session::new(vec![sample()], config) {
            while let Some(item) = session.next_item() {
                session.answer(&item.id, &[0]).unwrap();
            }
        }
    }
}
