//! The fuzz targets' bodies, one function per parser that takes untrusted input. Each must
//! return (an `Err` is a fine answer to bad input) without a panic, a hang or unbounded memory;
//! libFuzzer reports anything else. `fuzz_targets/*.rs` call these under libFuzzer (nightly,
//! `make fuzz`), and `tests/fuzz_regressions.rs` replays every saved crash through them on
//! stable in `make test`.
//!
//! Inputs that parse are pushed one step further, where a bug would hide: a bank or a restored
//! session is run for a few answers, imported items are assembled into a bank and exported
//! again (which renders their Markdown).

use std::sync::{Arc, OnceLock};

use skillcat::convert::{self, BankInfo, Imported, assemble};
use skillcat::session::SessionConfig;
use skillcat::{Bank, Session};

/// The most answers a fuzzed session is run for: enough to reach selection, estimation and
/// stopping, small enough to keep each execution fast.
const MAX_STEPS: usize = 12;

/// A small valid bank (two domains' worth of items is not needed: one bank exercises the
/// saved-state and config readers).
fn fixture_bank() -> Arc<Bank> {
    static BANK: OnceLock<Arc<Bank>> = OnceLock::new();
    BANK.get_or_init(|| {
        let text = include_str!("../../tests/fixtures/sessions/bank.json");
        Arc::new(Bank::from_json("bank.json", text).expect("the fixture bank is valid"))
    })
    .clone()
}

/// Answers the session's items (always the first option) until it stops or `MAX_STEPS`.
fn run(session: &mut Session) {
    for _ in 0..MAX_STEPS {
        let Some(item) = session.next_item() else {
            break;
        };
        let _ = session.answer(&item.id, &[0]);
        if session.is_finished() {
            break;
        }
    }
    let _ = session.report();
    let _ = session.save_json();
}

/// A bank file: the reader, then the validator; a valid bank is then tested.
pub fn bank(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(bank) = Bank::from_json("fuzz.json", text) {
        if let Ok(mut session) = Session::new(vec![bank], SessionConfig::default()) {
            run(&mut session);
        }
    }
}

/// A saved session restored against the fixture bank, then continued.
pub fn saved_state(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(mut session) = Session::restore_json(vec![fixture_bank()], text) {
        run(&mut session);
    }
}

/// A session configuration (what a page passes to `new Session`), then a session run with it.
pub fn config(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(config) = SessionConfig::from_value(&value) {
        if let Ok(mut session) = Session::new(vec![fixture_bank()], config) {
            run(&mut session);
        }
    }
}

/// What every text importer's output goes through next in `skillcat import`: the bank is
/// assembled, then written as GIFT, CSV and QTI (which renders every text's Markdown).
fn assemble_and_export(imported: Imported) {
    let (bank, _) = assemble(&BankInfo::new("fuzz"), vec![("fuzz".to_string(), imported)]);
    let _ = convert::gift::export(&bank);
    let _ = convert::csv::export(&bank);
    let _ = convert::qti::export(&bank);
}

pub fn gift(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(imported) = convert::gift::import("fuzz.gift", text) {
        assemble_and_export(imported);
    }
}

pub fn aiken(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(imported) = convert::aiken::import("fuzz.txt", text) {
        assemble_and_export(imported);
    }
}

pub fn csv(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(imported) = convert::csv::import("fuzz.csv", text) {
        assemble_and_export(imported);
    }
}

pub fn moodle(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(imported) = convert::moodle::import("fuzz.xml", text) {
        assemble_and_export(imported);
    }
}

/// A QTI item file (2.x, 3.0, or a 1.2 `questestinterop`).
pub fn qti_item(data: &[u8]) {
    if let Ok(imported) = convert::qti::import("fuzz.xml", data) {
        assemble_and_export(imported);
    }
}

/// A zipped QTI content package: the same entry point as an item file, seeded with packages
/// so that the fuzzer works on the zip reader, the manifest and the caps on expansion.
pub fn qti_zip(data: &[u8]) {
    qti_item(data);
}

/// The Markdown subset: the input becomes the stem, an option and the explanation of the
/// one-item fixture bank (one item, so that a run costs the Markdown, not the packaging of many
/// items); if the bank is still valid, it is written as QTI (Markdown to XHTML), GIFT and CSV,
/// and each is imported again.
pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut value: serde_json::Value = serde_json::from_str(include_str!(
        "../../tests/fixtures/banks/valid/minimal.json"
    ))
    .expect("the fixture bank is JSON");
    let item = &mut value["items"][0];
    item["stem"] = text.as_ref().into();
    item["options"][0]["text"] = format!("{text} (a)").into();
    item["explanation"] = text.as_ref().into();
    item["options"][0]["feedback"] = text.as_ref().into();
    let Ok(bank) = Bank::from_json("fuzz.json", &value.to_string()) else {
        return;
    };
    if let Ok(zip) = convert::qti::export(&bank) {
        let _ = convert::qti::import("fuzz.zip", &zip);
    }
    let _ = convert::gift::import("fuzz.gift", &convert::gift::export(&bank));
    let _ = convert::csv::import("fuzz.csv", &convert::csv::export(&bank));
}
