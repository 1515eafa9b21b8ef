//! A simulation study written up for authors, three ways from the same numbers: readable text,
//! JSON for scripts, and a self-contained HTML page (inline SVG charts from [`crate::plot`]; no
//! scripts, no external resources). The page lists every setting, so a study can be rerun.
//!
//! Rounded figures are formatted once, by [`StudyReport::summary`], so the text and the page
//! show the same digits; the JSON carries the unrounded values.

use std::fmt::Write;

use serde_json::json;

use crate::Status;
use crate::bank::Bank;
use crate::estimate::Method;
use crate::plot::{self, BarChart, LineChart, PALETTE, Rule, Series, escape};
use crate::select::Criterion;
use crate::simulate::{BIN_WIDTH, SimulationConfig, SimulationResult, exposure_histogram};

/// Ranges of the exposure histogram: exactly 0, then ten equal ranges up to 1.
const EXPOSURE_BINS: usize = 10;
/// Ability bins with fewer simulees than this are left out of the charts (too noisy); the
/// tables show every bin with its count.
const MIN_BIN_SIMULEES: usize = 10;
/// How many of the most exposed items are listed.
const TOP_ITEMS: usize = 10;

/// A finished study: the bank, the settings and what the simulation found.
#[derive(Debug, Clone, Copy)]
pub struct StudyReport<'a> {
    /// How the bank is named to the reader (its file path).
    pub file: &'a str,
    pub bank: &'a Bank,
    pub config: &'a SimulationConfig,
    pub result: &'a SimulationResult,
}

impl StudyReport<'_> {
    fn active(&self) -> usize {
        let active = |s: &&crate::Item| s.status == Status::Active;
        self.bank.items.iter().filter(active).count()
    }

    /// Every setting, as (name, value) in words.
    pub fn settings(&self) -> Vec<(&'static str, String)> {
        let c = self.config;
        let s = &c.session;
        let abilities = match c.theta_uniform {
            Some([min, max]) => format!("θ ~ U({min}, {max})"),
            None => format!("θ ~ N({}, {}²)", c.theta_mean, c.theta_sd),
        };
        let mut stop = format!(
            "at most {} items, at least {}",
            s.stop.max_items, s.stop.min_items
        );
        if let Some(se) = s.stop.se {
            let _ = write!(stop, "; SE ≤ {se}");
        }
        if let Some(cut) = s.stop.cut {
            let confidence = 100.0 * s.stop.confidence;
            let _ = write!(stop, "; {confidence}% interval excludes the cut {cut}");
        }
        let criterion = match s.selection.criterion {
            Criterion::MaxInfo => "maximum Fisher information",
            Criterion::KullbackLeibler => "Kullback-Leibler index",
            Criterion::Random => "random",
        };
        let on = |b: bool| if b { "on" } else { "off" };
        let selection = format!(
            "{criterion}; randomesque k = {}; Sympson-Hetter {}; content balancing {}",
            s.selection.randomesque,
            on(s.selection.sympson_hetter),
            on(s.selection.content_balancing)
        );
        let e = &s.estimator;
        let method = match e.method {
            Method::Eap => "EAP",
            Method::Map => "MAP",
            Method::Mle => "MLE",
            Method::Wle => "WLE",
        };
        let estimator = format!(
            "{method}; prior N({}, {}²); {} grid points on [{}, {}]",
            e.prior_mean, e.prior_sd, e.grid_points, e.min_theta, e.max_theta
        );
        vec![
            (
                "bank",
                format!(
                    "{} ({}, version {}): {} items, {} active",
                    self.file,
                    self.bank.id,
                    self.bank.version,
                    self.bank.items.len(),
                    self.active()
                ),
            ),
            ("simulees", c.simulees.to_string()),
            ("true abilities", abilities),
            ("stopping", stop),
            ("selection", selection),
            ("estimator", estimator),
            ("pretest items", format!("at most {}", s.pretest_items)),
            (
                "seeds",
                format!(
                    "abilities and responses: {}; session of learner i: {} + i",
                    c.seed, s.seed
                ),
            ),
        ]
    }

    /// The headline figures, rounded for reading, as (name, value).
    pub fn summary(&self) -> Vec<(&'static str, String)> {
        let r = self.result;
        let top = self.most_exposed().first().map(|(id, _)| *id).unwrap_or("");
        vec![
            ("RMSE", format!("{:.3}", r.rmse)),
            ("bias", format!("{:+.3}", r.bias)),
            ("mean length", format!("{:.2}", r.mean_length)),
            ("mean SE", format!("{:.3}", r.mean_se)),
            ("max exposure", format!("{:.3} ({top})", r.max_exposure)),
            (
                "never used",
                format!("{} of {} items", r.never_used, self.bank.items.len()),
            ),
        ]
    }

    /// Items by exposure, highest first (ties by bank order), at most [`TOP_ITEMS`].
    fn most_exposed(&self) -> Vec<(&str, f64)> {
        let mut items: Vec<(&str, f64)> = self
            .bank
            .items
            .iter()
            .zip(&self.result.exposure)
            .map(|(item, &rate)| (item.id.as_str(), rate))
            .collect();
        items.sort_by(|a, b| b.1.total_cmp(&a.1));
        items.truncate(TOP_ITEMS);
        items
    }

    /// The study as text (what `skillcat simulate` prints).
    pub fn text(&self) -> String {
        let mut out = String::from("Simulation study\n");
        let rows = |out: &mut String, rows: Vec<(&str, String)>| {
            for (name, value) in rows {
                let _ = writeln!(out, "  {name:<15} {value}");
            }
        };
        rows(&mut out, self.settings());
        out.push_str("\nResults\n");
        rows(&mut out, self.summary());
        let _ = writeln!(
            out,
            "\nBy true θ (bins of width {BIN_WIDTH}):\n  {:>6} {:>6} {:>6} {:>7} {:>7} {:>8} {:>7}",
            "from", "to", "n", "bias", "RMSE", "mean SE", "length"
        );
        for b in &self.result.conditional {
            let _ = writeln!(
                out,
                "  {:>6.1} {:>6.1} {:>6} {:>+7.3} {:>7.3} {:>8.3} {:>7.2}",
                b.from, b.to, b.simulees, b.bias, b.rmse, b.mean_se, b.mean_length
            );
        }
        out.push_str("\nItem exposure (share of simulees who saw the item):\n");
        let histogram = exposure_histogram(&self.result.exposure, EXPOSURE_BINS);
        let most = histogram.iter().map(|b| b.items).max().unwrap_or(0).max(1);
        for (label, bin) in exposure_labels(EXPOSURE_BINS).iter().zip(&histogram) {
            let bar = "█".repeat((bin.items * 40).div_ceil(most));
            let line = format!("  {label:<12} {:>5} {bar}", bin.items);
            let _ = writeln!(out, "{}", line.trim_end());
        }
        out.push_str("  most exposed:");
        for (id, rate) in self.most_exposed().iter().take(5) {
            let _ = write!(out, " {id} {rate:.3};");
        }
        out.pop();
        out.push('\n');
        out
    }

    /// Settings and every result as pretty-printed JSON: unrounded figures, the conditional
    /// statistics, the exposure histogram, per-item exposure and per-simulee outcomes.
    pub fn json(&self) -> String {
        let r = self.result;
        let items: Vec<_> = self
            .bank
            .items
            .iter()
            .zip(&r.exposure)
            .map(|(item, rate)| json!({"id": item.id, "topic": item.topic, "exposure": rate}))
            .collect();
        let simulees: Vec<_> = r
            .simulees
            .iter()
            .map(|s| json!({"theta": s.0, "estimate": s.1, "se": s.2, "items": s.3}))
            .collect();
        let value = json!({
            "bank": {
                "file": self.file,
                "id": self.bank.id,
                "title": self.bank.title,
                "version": self.bank.version,
                "items": self.bank.items.len(),
                "activeItems": self.active(),
            },
            "settings": self.config,
            "rmse": r.rmse,
            "bias": r.bias,
            "meanLength": r.mean_length,
            "meanSe": r.mean_se,
            "maxExposure": r.max_exposure,
            "neverUsed": r.never_used,
            "conditional": r.conditional,
            "exposureHistogram": exposure_histogram(&r.exposure, EXPOSURE_BINS),
            "items": items,
            "simulees": simulees,
        });
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }

    /// A self-contained HTML page: settings, results, precision by θ and item exposure.
    pub fn html(&self) -> String {
        let title = format!("Simulation study: {}", self.bank.title);
        let mut page = format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
            escape(&title),
            escape(&title)
        );
        table(&mut page, "Settings", &self.settings());
        table(&mut page, "Results", &self.summary());
        let _ = write!(
            page,
            "<h2>Precision by true ability</h2>\n<figure>{}<figcaption>Bins of width \
             {BIN_WIDTH} holding at least {MIN_BIN_SIMULEES} simulees; vertical lines mark the \
             level cuts.</figcaption></figure>\n",
            self.precision_figure()
        );
        page.push_str(
            "<table>\n<caption>By true θ</caption>\n<thead><tr><th scope=\"col\">from</th>\
             <th scope=\"col\">to</th><th scope=\"col\">simulees</th><th scope=\"col\">bias</th>\
             <th scope=\"col\">RMSE</th><th scope=\"col\">mean SE</th>\
             <th scope=\"col\">mean length</th></tr></thead>\n<tbody>\n",
        );
        for b in &self.result.conditional {
            let _ = writeln!(
                page,
                "<tr><td>{:.1}</td><td>{:.1}</td><td>{}</td><td>{:+.3}</td><td>{:.3}</td>\
                 <td>{:.3}</td><td>{:.2}</td></tr>",
                b.from, b.to, b.simulees, b.bias, b.rmse, b.mean_se, b.mean_length
            );
        }
        page.push_str("</tbody>\n</table>\n<h2>Item exposure</h2>\n");
        let _ = writeln!(
            page,
            "<figure>{}<figcaption>Exposure rate: the share of simulees who saw an item.\
             </figcaption></figure>",
            self.exposure_figure()
        );
        page.push_str(
            "<table>\n<caption>Most exposed items</caption>\n<thead><tr>\
             <th scope=\"col\">item</th><th scope=\"col\">exposure</th></tr></thead>\n<tbody>\n",
        );
        for (id, rate) in self.most_exposed() {
            let _ = writeln!(page, "<tr><td>{}</td><td>{rate:.3}</td></tr>", escape(id));
        }
        let _ = write!(
            page,
            "</tbody>\n</table>\n<p class=\"note\">skillcat {}; logistic metric, D = 1.</p>\n\
             </main>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION")
        );
        page
    }

    /// RMSE and mean SE, bias, and mean length by θ, as one three-panel SVG figure.
    fn precision_figure(&self) -> String {
        let bins: Vec<_> = self
            .result
            .conditional
            .iter()
            .filter(|b| b.simulees >= MIN_BIN_SIMULEES)
            .collect();
        let points = |f: &dyn Fn(&crate::simulate::ThetaBin) -> f64| -> Vec<(f64, f64)> {
            bins.iter().map(|b| ((b.from + b.to) / 2.0, f(b))).collect()
        };
        let series = |name: &str, points, color, dashed| Series {
            name: name.into(),
            points,
            color,
            dashed,
        };
        let cuts: Vec<Rule> = self
            .bank
            .levels
            .iter()
            .filter_map(|l| {
                l.min_theta.map(|at| Rule {
                    at,
                    label: l.name.clone(),
                })
            })
            .collect();
        let stop = &self.config.session.stop;
        let x_label = "true ability θ (bin centre)";
        let precision = LineChart {
            title: "RMSE and mean reported SE".into(),
            x_label: x_label.into(),
            y_label: "logits".into(),
            series: vec![
                series("RMSE", points(&|b| b.rmse), PALETTE[0], false),
                series("mean SE", points(&|b| b.mean_se), PALETTE[1], true),
            ],
            vertical: cuts.clone(),
            horizontal: stop
                .se
                .map(|se| Rule {
                    at: se,
                    label: format!("target SE {se}"),
                })
                .into_iter()
                .collect(),
            y_range: None,
        };
        let bias = LineChart {
            title: "Bias (mean θ̂ − θ)".into(),
            x_label: x_label.into(),
            y_label: "logits".into(),
            series: vec![series("bias", points(&|b| b.bias), PALETTE[2], false)],
            vertical: cuts.clone(),
            horizontal: vec![Rule {
                at: 0.0,
                label: "0".into(),
            }],
            y_range: None,
        };
        let length = LineChart {
            title: "Mean test length".into(),
            x_label: x_label.into(),
            y_label: "scored items".into(),
            series: vec![series(
                "length",
                points(&|b| b.mean_length),
                PALETTE[3],
                false,
            )],
            vertical: cuts,
            horizontal: Vec::new(),
            y_range: Some((0.0, stop.max_items as f64 * 1.1)),
        };
        let r = self.result;
        let desc = format!(
            "Three line charts over true ability: RMSE and mean reported standard error, bias, \
             and mean test length, per bin of width {BIN_WIDTH}. Overall RMSE {:.3}, bias \
             {:+.3}, mean SE {:.3}, mean length {:.2} items.",
            r.rmse, r.bias, r.mean_se, r.mean_length
        );
        plot::figure(
            "precision",
            "Precision by true ability",
            &desc,
            760.0,
            300.0,
            &[&precision, &bias, &length],
        )
    }

    fn exposure_figure(&self) -> String {
        let histogram = exposure_histogram(&self.result.exposure, EXPOSURE_BINS);
        let chart = BarChart {
            title: "Items by exposure rate".into(),
            x_label: "exposure rate".into(),
            y_label: "items".into(),
            bars: exposure_labels(EXPOSURE_BINS)
                .into_iter()
                .zip(&histogram)
                .map(|(label, bin)| (label, bin.items as f64))
                .collect(),
        };
        let desc = format!(
            "A bar chart of how many items have each exposure rate: {} of {} items were never \
             used; the highest rate is {:.3}.",
            self.result.never_used,
            self.bank.items.len(),
            self.result.max_exposure
        );
        plot::figure("exposure", "Item exposure", &desc, 760.0, 300.0, &[&chart])
    }
}

/// Labels of the exposure histogram's bins: "0", then "(0, 0.1]" and so on.
fn exposure_labels(bins: usize) -> Vec<String> {
    let bins = bins.max(1);
    std::iter::once("0".to_string())
        .chain((0..bins).map(|k| {
            let (from, to) = (k as f64 / bins as f64, (k + 1) as f64 / bins as f64);
            format!("({from}, {to}]")
        }))
        .collect()
}

/// A two-column table with row headers.
fn table(page: &mut String, caption: &str, rows: &[(&str, String)]) {
    let _ = write!(page, "<h2>{}</h2>\n<table>\n<tbody>\n", escape(caption));
    for (name, value) in rows {
        let _ = writeln!(
            page,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            escape(name),
            escape(value)
        );
    }
    page.push_str("</tbody>\n</table>\n");
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;color:#222;margin:0;background:#fff}\
main{max-width:800px;margin:0 auto;padding:1rem}\
table{border-collapse:collapse;margin:0.5rem 0 1.5rem}\
th,td{padding:0.25rem 0.75rem;border-bottom:1px solid #ddd;text-align:left}\
td{font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:bold}\
figure{margin:0 0 1rem}svg{max-width:100%;height:auto}.note{color:#555}";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::{simulate, synthetic_bank};

    #[test]
    fn text_html_and_json_show_the_same_figures() {
        let bank = synthetic_bank("r", 60, (1.0, 2.0), 5);
        let config = SimulationConfig {
            simulees: 80,
            theta_uniform: Some([-2.0, 2.0]),
            ..Default::default()
        };
        let result = simulate(&bank, &config).expect("valid study");
        let report = StudyReport {
            file: "r.json",
            bank: &bank,
            config: &config,
            result: &result,
        };
        let (text, html) = (report.text(), report.html());
        for (name, value) in report.summary() {
            assert!(text.contains(&format!("  {name:<15} {value}\n")), "{name}");
            assert!(html.contains(&format!(
                "<tr><th scope=\"row\">{name}</th><td>{}</td></tr>",
                escape(&value)
            )));
        }
        let json: serde_json::Value = serde_json::from_str(&report.json()).expect("JSON");
        assert_eq!(json["settings"]["thetaUniform"], json!([-2.0, 2.0]));
        assert_eq!(json["items"].as_array().map(Vec::len), Some(60));
        assert_eq!(json["simulees"].as_array().map(Vec::len), Some(80));
        assert!(!html.contains("<script") && !html.contains("href=") && !html.contains("src="));
        assert!(html.contains("θ ~ U(-2, 2)"));
    }

    #[test]
    fn exposure_labels_match_the_histogram() {
        assert_eq!(exposure_labels(2), ["0", "(0, 0.5]", "(0.5, 1]"]);
    }
}
