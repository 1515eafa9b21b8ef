//! Every input the fuzzer ever found a problem with (`fuzz/regressions/<target>/`, written by
//! `make fuzz`) replayed through the same target body on stable, so a fixed crash stays fixed.
//! The bodies are the fuzz crate's (`fuzz/src/lib.rs`), compiled here as a module.

#[path = "../fuzz/src/lib.rs"]
mod targets;

use std::path::Path;

/// A fuzz target's name (its file in `fuzz/fuzz_targets/`) and body.
type Target = (&'static str, fn(&[u8]));

const TARGETS: [Target; 10] = [
    ("aiken", targets::aiken),
    ("bank", targets::bank),
    ("config", targets::config),
    ("csv", targets::csv),
    ("gift", targets::gift),
    ("markdown", targets::markdown),
    ("moodle", targets::moodle),
    ("qti_item", targets::qti_item),
    ("qti_zip", targets::qti_zip),
    ("saved_state", targets::saved_state),
];

#[test]
fn every_fuzz_target_is_replayed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/fuzz_targets");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("fuzz/fuzz_targets exists")
        .map(|entry| {
            entry
                .unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        on_disk, listed,
        "a fuzz target is missing from TARGETS (or the reverse)"
    );
}

#[test]
fn every_saved_fuzz_finding_runs_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for (name, body) in TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(name)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| body(&data));
            assert!(outcome.is_ok(), "{name}: {} panics", path.display());
            replayed += 1;
        }
    }
    println!("{replayed} saved fuzz findings replayed");
}
