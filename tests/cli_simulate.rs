//! `skillcat simulate`, run as a built binary: its figures are exactly those of
//! `skillcat::simulate::simulate` for the same bank and settings (the synthetic study of
//! `tests/simulation.rs`, and a bundled bank with the default settings), and its text, JSON and
//! HTML report agree with each other.

#[path = "fixtures/cli/support.rs"]
mod support;

use serde_json::{Value, json};
use skillcat::select::{Criterion, SelectionConfig};
use skillcat::simulate::{SimulationConfig, SimulationResult, simulate, synthetic_bank};
use skillcat::{Bank, SessionConfig, StopRule};
use support::{TempFile, inline_svgs, root, series_paths, skillcat, stderr, stdout, well_formed};

/// The library's result as the CLI's JSON writes it: through JSON text, so that both sides'
/// numbers take the same text-to-float path and can be compared exactly.
fn through_json(result: &SimulationResult) -> Value {
    serde_json::from_str(&serde_json::to_string(result).expect("serializable")).expect("JSON")
}

/// Runs `simulate` with `--json`, returns (stdout, the JSON file).
fn run(args: &[&str]) -> (String, Value) {
    let json = TempFile::new("simulate.json");
    let mut all = vec!["simulate"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--json", json.arg()]);
    let output = skillcat(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let value = serde_json::from_str(&json.read()).expect("the --json file is JSON");
    (stdout(&output), value)
}

/// Asserts that the CLI's JSON carries exactly the library's figures.
fn assert_same_figures(cli: &Value, library: &SimulationResult) {
    let library = through_json(library);
    for field in [
        "rmse",
        "bias",
        "meanLength",
        "meanSe",
        "maxExposure",
        "neverUsed",
        "conditional",
    ] {
        assert_eq!(cli[field], library[field], "{field}");
    }
    let exposure: Vec<Value> = cli["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["exposure"].clone())
        .collect();
    assert_eq!(Value::from(exposure), library["exposure"]);
    let simulees: Vec<Value> = cli["simulees"]
        .as_array()
        .expect("simulees")
        .iter()
        .map(|s| json!([s["theta"], s["estimate"], s["se"], s["items"]]))
        .collect();
    assert_eq!(Value::from(simulees), library["simulees"]);
}

#[test]
fn synthetic_study_of_the_simulation_test_gives_the_librarys_exact_rmse_and_bias() {
    // The settings of tests/simulation.rs, k = 1 and k = 5.
    let bank = synthetic_bank("sim", 300, (1.0, 2.5), 2024);
    let file = TempFile::new("synthetic.json");
    std::fs::write(&file.0, serde_json::to_string(&bank).expect("bank JSON")).expect("temp file");
    for randomesque in [1, 5] {
        let config = SimulationConfig {
            simulees: 1000,
            seed: 99,
            session: SessionConfig {
                seed: 1,
                stop: StopRule {
                    max_items: 20,
                    min_items: 20,
                    se: None,
                    ..Default::default()
                },
                selection: SelectionConfig {
                    criterion: Criterion::MaxInfo,
                    randomesque,
                    sympson_hetter: false,
                    content_balancing: false,
                },
                pretest_items: 0,
                ..Default::default()
            },
            ..Default::default()
        };
        let library = simulate(&bank, &config).expect("valid study");
        let k = randomesque.to_string();
        let (text, cli) = run(&[
            file.arg(),
            "--simulees",
            "1000",
            "--seed",
            "99",
            "--session-seed",
            "1",
            "--max-items",
            "20",
            "--min-items",
            "20",
            "--se",
            "none",
            "--criterion",
            "maxInfo",
            "--randomesque",
            &k,
            "--no-sympson-hetter",
            "--no-content-balancing",
            "--pretest-items",
            "0",
        ]);
        assert_eq!(
            cli["settings"],
            serde_json::to_value(&config).expect("config JSON")
        );
        assert_same_figures(&cli, &library);
        assert!(text.contains(&format!("\n  RMSE            {:.3}\n", library.rmse)));
        assert!(text.contains(&format!("\n  bias            {:+.3}\n", library.bias)));
        if randomesque == 1 {
            // The README's figures for this study.
            assert_eq!(
                format!("{:.3} {:+.3}", library.rmse, library.bias),
                "0.209 -0.012"
            );
            assert_eq!(cli["neverUsed"], 172);
        }
    }
}

#[test]
fn bundled_bank_with_default_settings_agrees_with_the_engine_and_across_outputs() {
    let path = "quizbanks/cybersecurity.json";
    let text = std::fs::read_to_string(root().join(path)).expect("bank");
    let bank = Bank::from_json(path, &text).expect("valid bank");
    let config = SimulationConfig {
        simulees: 200,
        ..Default::default()
    };
    let library = simulate(&bank, &config).expect("valid study");

    let html_file = TempFile::new("report.html");
    let json_file = TempFile::new("result.json");
    let output = skillcat(&[
        "simulate",
        path,
        "--simulees",
        "200",
        "--report",
        html_file.arg(),
        "--json",
        json_file.arg(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let (text, html) = (stdout(&output), html_file.read());
    let cli: Value = serde_json::from_str(&json_file.read()).expect("JSON");

    // The CLI's defaults are the engine's defaults.
    assert_eq!(
        cli["settings"],
        serde_json::to_value(&config).expect("config JSON")
    );
    assert_same_figures(&cli, &library);
    assert_eq!(
        cli["bank"],
        json!({
            "file": path, "id": "cybersecurity", "title": bank.title, "version": bank.version,
            "items": 67, "activeItems": 66,
        })
    );
    let binned: u64 = cli["conditional"]
        .as_array()
        .expect("bins")
        .iter()
        .map(|b| b["simulees"].as_u64().expect("count"))
        .sum();
    assert_eq!(binned, 200);
    let histogram: u64 = cli["exposureHistogram"]
        .as_array()
        .expect("histogram")
        .iter()
        .map(|b| b["items"].as_u64().expect("count"))
        .sum();
    assert_eq!(histogram, 67);
    assert_eq!(cli["exposureHistogram"][0]["items"], cli["neverUsed"]);

    // Text and HTML show the same rounded figures, taken from the JSON.
    let top = cli["items"]
        .as_array()
        .expect("items")
        .iter()
        .max_by(|a, b| {
            a["exposure"]
                .as_f64()
                .unwrap_or(0.0)
                .total_cmp(&b["exposure"].as_f64().unwrap_or(0.0))
        })
        .expect("an item");
    let f = |field: &str| cli[field].as_f64().expect(field);
    let rows = [
        ("RMSE", format!("{:.3}", f("rmse"))),
        ("bias", format!("{:+.3}", f("bias"))),
        ("mean length", format!("{:.2}", f("meanLength"))),
        ("mean SE", format!("{:.3}", f("meanSe"))),
        (
            "max exposure",
            format!(
                "{:.3} ({})",
                f("maxExposure"),
                top["id"].as_str().unwrap_or("")
            ),
        ),
        ("never used", format!("{} of 67 items", cli["neverUsed"])),
    ];
    for (name, value) in &rows {
        assert!(
            text.contains(&format!("\n  {name:<15} {value}\n")),
            "text: {name} {value}"
        );
        assert!(
            html.contains(&format!(
                "<tr><th scope=\"row\">{name}</th><td>{value}</td></tr>"
            )),
            "html: {name} {value}"
        );
    }
    for bin in cli["conditional"].as_array().expect("bins") {
        let row = format!(
            "<tr><td>{:.1}</td><td>{:.1}</td><td>{}</td><td>{:+.3}</td><td>{:.3}</td><td>{:.3}</td><td>{:.2}</td></tr>",
            bin["from"].as_f64().unwrap_or(f64::NAN),
            bin["to"].as_f64().unwrap_or(f64::NAN),
            bin["simulees"],
            bin["bias"].as_f64().unwrap_or(f64::NAN),
            bin["rmse"].as_f64().unwrap_or(f64::NAN),
            bin["meanSe"].as_f64().unwrap_or(f64::NAN),
            bin["meanLength"].as_f64().unwrap_or(f64::NAN),
        );
        assert!(html.contains(&row), "{row}");
    }
    // Every setting is listed.
    for setting in [
        "<th scope=\"row\">simulees</th><td>200</td>",
        "<td>θ ~ N(0, 1²)</td>",
        "<td>at most 20 items, at least 5; SE ≤ 0.3</td>",
        "<td>maximum Fisher information; randomesque k = 3; Sympson-Hetter on; content balancing on</td>",
        "<td>EAP; prior N(0, 1²); 61 grid points on [-4, 4]</td>",
    ] {
        assert!(html.contains(setting), "{setting}");
    }
}

#[test]
fn html_report_is_self_contained_and_its_charts_are_well_formed_svg() {
    let html_file = TempFile::new("uniform.html");
    let (_, cli) = run(&[
        "quizbanks/regulation.json",
        "--simulees",
        "300",
        "--theta-uniform",
        "-3,3",
        "--report",
        html_file.arg(),
    ]);
    let html = html_file.read();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    for forbidden in [
        "<script", "src=", "href=", "@import", "url(http", "<link", "<iframe", " onload=",
    ] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    let svgs = inline_svgs(&html);
    assert_eq!(svgs.len(), 2);
    for svg in &svgs {
        let elements = well_formed(svg);
        assert_eq!(elements[..3], ["svg", "title", "desc"]);
    }
    // Uniform abilities on [-3, 3): twelve bins of 0.5, each with enough simulees to be drawn.
    assert_eq!(cli["settings"]["thetaUniform"], json!([-3.0, 3.0]));
    let bins = cli["conditional"].as_array().expect("bins");
    assert_eq!(bins.len(), 12);
    assert_eq!(
        (bins[0]["from"].as_f64(), bins[11]["to"].as_f64()),
        (Some(-3.0), Some(3.0))
    );
    for name in ["RMSE", "mean SE", "bias", "length"] {
        let paths = series_paths(svgs[0], name);
        assert_eq!(paths.len(), 1, "{name}");
        assert_eq!(paths[0].matches('L').count(), 11, "{name}: a point per bin");
    }
    assert_eq!(
        svgs[1].matches("<rect x=").count(),
        11,
        "never used + ten exposure ranges"
    );
    assert!(
        cli["simulees"]
            .as_array()
            .expect("simulees")
            .iter()
            .all(|s| s["theta"]
                .as_f64()
                .is_some_and(|t| (-3.0..3.0).contains(&t)))
    );
}

#[test]
fn stopping_and_selection_flags_reach_the_engine() {
    let (_, cli) = run(&[
        "quizbanks/cloud.json",
        "--simulees",
        "40",
        "--max-items",
        "12",
        "--min-items",
        "3",
        "--se",
        "0.45",
        "--cut",
        "-0.5",
        "--criterion",
        "kullbackLeibler",
        "--estimator",
        "wle",
        "--theta-mean",
        "-0.5",
        "--theta-sd",
        "0.8",
        "--seed",
        "5",
        "--randomesque",
        "2",
    ]);
    let settings = &cli["settings"];
    assert_eq!(settings["thetaMean"], -0.5);
    assert_eq!(settings["thetaSd"], 0.8);
    assert_eq!(settings["seed"], 5);
    let session = &settings["session"];
    assert_eq!(
        session["stop"],
        json!({"maxItems": 12, "minItems": 3, "se": 0.45, "cut": -0.5, "confidence": 0.95})
    );
    assert_eq!(session["selection"]["criterion"], "kullbackLeibler");
    assert_eq!(session["selection"]["randomesque"], 2);
    assert_eq!(session["estimator"]["method"], "wle");
    let lengths: Vec<u64> = cli["simulees"]
        .as_array()
        .expect("simulees")
        .iter()
        .map(|s| s["items"].as_u64().expect("items"))
        .collect();
    assert!(
        lengths.iter().all(|&n| (3..=12).contains(&n)),
        "{lengths:?}"
    );
    assert!(
        lengths.iter().any(|&n| n < 12),
        "classification stops some tests early"
    );
}

#[test]
fn bad_flags_are_usage_errors_and_help_documents_every_flag() {
    for args in [
        &[
            "simulate",
            "quizbanks/cloud.json",
            "--theta-uniform",
            "3,-3",
        ][..],
        &[
            "simulate",
            "quizbanks/cloud.json",
            "--theta-uniform",
            "-3,3",
            "--theta-mean",
            "1",
        ],
        &["simulate", "quizbanks/cloud.json", "--simulees", "0"],
        &["simulate", "quizbanks/cloud.json", "--se", "0"],
        &["simulate", "quizbanks/cloud.json", "--criterion", "maxinfo"],
        &[
            "simulate",
            "quizbanks/cloud.json",
            "--max-items",
            "3",
            "--min-items",
            "4",
        ],
        &["simulate", "quizbanks/cloud.json", "--theta-sd", "-1"],
        &["simulate", "missing.json"],
    ] {
        let output = skillcat(args);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    assert_eq!(
        skillcat(&["simulate", "tests/fixtures/cli/problems.json"])
            .status
            .code(),
        Some(1)
    );
    let help = stdout(&skillcat(&["simulate", "--help"]));
    for flag in [
        "--simulees",
        "--theta-mean",
        "--theta-sd",
        "--theta-uniform",
        "--max-items",
        "--min-items",
        "--se",
        "--cut",
        "--criterion",
        "--randomesque",
        "--no-sympson-hetter",
        "--no-content-balancing",
        "--estimator",
        "--pretest-items",
        "--seed",
        "--session-seed",
        "--report",
        "--json",
        "maxInfo",
        "kullbackLeibler",
        "random",
        "eap",
        "map",
        "mle",
        "wle",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}");
    }
}
