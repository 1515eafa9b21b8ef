//! A profile study written up three ways from the same numbers: readable text, JSON, and a
//! self-contained HTML page with a chart of precision against questions answered. A study
//! compares arms (sessions run on the same simulees, e.g. separate tests and the joint model),
//! the first arm being the baseline the others are measured against.

use std::fmt::Write;

use serde_json::json;

use crate::bank::Bank;
use crate::plot::{self, LineChart, PALETTE, Rule, Series, escape};
use crate::profile_simulation::{ProfileSimulationConfig, ProfileSimulationResult};

/// One way of running the simulees' tests.
#[derive(Debug, Clone, Copy)]
pub struct Arm<'a> {
    /// A short name (`separate`, `joint`).
    pub name: &'a str,
    /// What the arm does, in words (model, order, stopping).
    pub description: &'a str,
    pub result: &'a ProfileSimulationResult,
}

/// A finished profile study.
#[derive(Debug, Clone, Copy)]
pub struct ProfileReport<'a> {
    pub banks: &'a [&'a Bank],
    pub config: &'a ProfileSimulationConfig,
    /// Settings in words, as (name, value), shown before the results.
    pub settings: &'a [(String, String)],
    /// The baseline first.
    pub arms: &'a [Arm<'a>],
}

/// A change from the baseline in percent: (value / baseline − 1)·100.
fn change(value: f64, baseline: f64) -> String {
    if baseline == 0.0 {
        return "—".into();
    }
    format!("{:+.1}%", 100.0 * (value / baseline - 1.0))
}

fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), |x| format!("{:.1}%", 100.0 * x))
}

impl ProfileReport<'_> {
    /// The headline comparison of each arm after the first with the baseline, as
    /// (arm, name, value) rounded for reading.
    pub fn comparisons(&self) -> Vec<(String, &'static str, String)> {
        let Some((base, others)) = self.arms.split_first() else {
            return Vec::new();
        };
        let b = base.result;
        let mut rows = Vec::new();
        for arm in others {
            let r = arm.result;
            let reach = r.length_to_reach_se(b.mean_se).map_or_else(
                || format!("not within {:.0} questions", r.mean_length.ceil()),
                |n| format!("{n} questions (baseline {:.1})", b.mean_length),
            );
            rows.push((
                arm.name.to_string(),
                "reaches the baseline's mean SE after",
                reach,
            ));
            rows.push((
                arm.name.to_string(),
                "mean RMSE change",
                format!(
                    "{} ({:.3} vs {:.3})",
                    change(r.mean_rmse, b.mean_rmse),
                    r.mean_rmse,
                    b.mean_rmse
                ),
            ));
            let worst = r
                .domains
                .iter()
                .zip(&b.domains)
                .map(|(d, e)| (d.rmse / e.rmse - 1.0, &d.domain))
                .max_by(|x, y| x.0.total_cmp(&y.0));
            if let Some((worst, domain)) = worst {
                rows.push((
                    arm.name.to_string(),
                    "worst domain's RMSE change",
                    format!("{:+.1}% ({domain})", 100.0 * worst),
                ));
            }
        }
        rows
    }

    /// Per arm: mean length, mean RMSE, mean SE, mean accuracy.
    fn arm_summary(&self) -> Vec<(String, String)> {
        self.arms
            .iter()
            .map(|arm| {
                let r = arm.result;
                (
                    arm.name.to_string(),
                    format!(
                        "{:.1} questions; mean RMSE {:.3}, mean SE {:.3}, level accuracy {}",
                        r.mean_length,
                        r.mean_rmse,
                        r.mean_se,
                        percent(r.mean_accuracy)
                    ),
                )
            })
            .collect()
    }

    /// The per-domain table: one row per domain and arm.
    fn domain_rows(&self) -> Vec<[String; 9]> {
        let mut rows = Vec::new();
        for (d, bank) in self.banks.iter().enumerate() {
            for arm in self.arms {
                let x = &arm.result.domains[d];
                rows.push([
                    bank.id.clone(),
                    arm.name.to_string(),
                    format!("{:.3}", x.rmse),
                    format!("{:+.3}", x.bias),
                    format!("{:.3}", x.mean_se),
                    format!("{:.1}", x.mean_items),
                    percent(x.accuracy),
                    format!("{:.3}", x.max_exposure),
                    format!("{}/{}", x.never_used, x.exposure.len()),
                ]);
            }
        }
        rows
    }

    const DOMAIN_HEADER: [&'static str; 9] = [
        "domain",
        "arm",
        "RMSE",
        "bias",
        "mean SE",
        "items",
        "level right",
        "max exposure",
        "never used",
    ];

    /// The study as text (what `skillcat simulate` prints for several banks).
    pub fn text(&self) -> String {
        let mut out = String::from("Profile simulation study\n");
        for (name, value) in self.settings {
            let _ = writeln!(out, "  {name:<18} {value}");
        }
        out.push_str("\nArms\n");
        for arm in self.arms {
            let _ = writeln!(out, "  {:<18} {}", arm.name, arm.description);
        }
        out.push_str("\nResults\n");
        for (name, value) in self.arm_summary() {
            let _ = writeln!(out, "  {name:<18} {value}");
        }
        for (arm, name, value) in self.comparisons() {
            let _ = writeln!(out, "  {:<18} {name}: {value}", arm);
        }
        let width = self
            .banks
            .iter()
            .map(|b| b.id.chars().count())
            .max()
            .unwrap_or(6);
        let arm_width = self
            .arms
            .iter()
            .map(|a| a.name.chars().count())
            .max()
            .unwrap_or(3);
        let h = Self::DOMAIN_HEADER;
        let _ = writeln!(
            out,
            "\nBy domain\n  {:<width$} {:<arm_width$} {:>6} {:>7} {:>7} {:>6} {:>11} {:>12} {:>10}",
            h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8]
        );
        for r in self.domain_rows() {
            let _ = writeln!(
                out,
                "  {:<width$} {:<arm_width$} {:>6} {:>7} {:>7} {:>6} {:>11} {:>12} {:>10}",
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]
            );
        }
        out.push_str("\nPrecision by questions answered (mean per-domain SE / RMSE)\n  answered");
        for arm in self.arms {
            let _ = write!(out, " {:>15}", arm.name);
        }
        out.push('\n');
        let longest = self
            .arms
            .iter()
            .map(|a| a.result.by_length.len())
            .max()
            .unwrap_or(0);
        for t in (0..longest).filter(|t| t % 10 == 0 || t + 1 == longest) {
            let _ = write!(out, "  {t:>8}");
            for arm in self.arms {
                let p = &arm.result.by_length[t.min(arm.result.by_length.len() - 1)];
                let _ = write!(out, " {:>15}", format!("{:.3} / {:.3}", p.mean_se, p.rmse));
            }
            out.push('\n');
        }
        out
    }

    /// Settings and every result as pretty-printed JSON (unrounded).
    pub fn json(&self) -> String {
        let arms: Vec<_> = self
            .arms
            .iter()
            .map(|a| json!({"name": a.name, "description": a.description, "result": a.result}))
            .collect();
        let comparisons: Vec<_> = self
            .comparisons()
            .into_iter()
            .map(|(arm, name, value)| json!({"arm": arm, "figure": name, "value": value}))
            .collect();
        let banks: Vec<_> = self
            .banks
            .iter()
            .map(|b| json!({"id": b.id, "title": b.title, "version": b.version, "items": b.items.len()}))
            .collect();
        let settings: serde_json::Map<String, serde_json::Value> = self
            .settings
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        let value = json!({
            "banks": banks,
            "study": self.config,
            "settings": settings,
            "arms": arms,
            "comparisons": comparisons,
        });
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }

    /// A self-contained HTML page: settings, results, precision against questions answered,
    /// and the per-domain table.
    pub fn html(&self) -> String {
        let title = "Profile simulation study";
        let mut page = format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n"
        );
        let rows = |page: &mut String, caption: &str, rows: &[(String, String)]| {
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
        };
        rows(&mut page, "Settings", self.settings);
        let arms: Vec<(String, String)> = self
            .arms
            .iter()
            .map(|a| (a.name.to_string(), a.description.to_string()))
            .collect();
        rows(&mut page, "Arms", &arms);
        let mut results = self.arm_summary();
        results.extend(
            self.comparisons()
                .into_iter()
                .map(|(arm, name, value)| (format!("{arm}: {name}"), value)),
        );
        rows(&mut page, "Results", &results);
        let _ = writeln!(
            page,
            "<h2>Precision against questions answered</h2>\n<figure>{}<figcaption>Mean over \
             simulees and domains after each question of the whole test; a simulee whose test \
             has ended counts with its final estimates.</figcaption></figure>",
            self.precision_figure()
        );
        page.push_str("<table>\n<caption>By domain</caption>\n<thead><tr>");
        for h in Self::DOMAIN_HEADER {
            let _ = write!(page, "<th scope=\"col\">{h}</th>");
        }
        page.push_str("</tr></thead>\n<tbody>\n");
        for r in self.domain_rows() {
            page.push_str("<tr>");
            for cell in r {
                let _ = write!(page, "<td>{}</td>", escape(&cell));
            }
            page.push_str("</tr>\n");
        }
        let _ = write!(
            page,
            "</tbody>\n</table>\n<p class=\"note\">skillcat {}; logistic metric, D = 1.</p>\n\
             </main>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION")
        );
        page
    }

    fn precision_figure(&self) -> String {
        let series = |f: fn(&crate::profile_simulation::LengthPoint) -> f64, dashed: bool| {
            self.arms
                .iter()
                .enumerate()
                .map(|(i, arm)| Series {
                    name: arm.name.to_string(),
                    points: arm
                        .result
                        .by_length
                        .iter()
                        .map(|p| (p.answered as f64, f(p)))
                        .collect(),
                    color: PALETTE[i % PALETTE.len()],
                    dashed,
                })
                .collect::<Vec<_>>()
        };
        let baseline = self.arms.first().map(|a| a.result.mean_se);
        let se = LineChart {
            title: "Mean reported SE".into(),
            x_label: "questions answered".into(),
            y_label: "logits".into(),
            series: series(|p| p.mean_se, false),
            vertical: Vec::new(),
            horizontal: baseline
                .map(|at| Rule {
                    at,
                    label: format!("baseline's final {at:.3}"),
                })
                .into_iter()
                .collect(),
            y_range: Some((0.0, 1.05)),
        };
        let rmse = LineChart {
            title: "RMSE".into(),
            x_label: "questions answered".into(),
            y_label: "logits".into(),
            series: series(|p| p.rmse, true),
            vertical: Vec::new(),
            horizontal: Vec::new(),
            y_range: Some((0.0, 1.05)),
        };
        let desc = self
            .arms
            .iter()
            .map(|a| {
                format!(
                    "{}: mean SE {:.3} and RMSE {:.3} after {:.1} questions on average",
                    a.name, a.result.mean_se, a.result.mean_rmse, a.result.mean_length
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        plot::figure(
            "precision-by-length",
            "Precision against questions answered",
            &format!(
                "Two line charts, mean reported SE and RMSE against questions answered, one line per arm. {desc}."
            ),
            760.0,
            300.0,
            &[&se, &rmse],
        )
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;color:#222;margin:0;background:#fff}\
main{max-width:900px;margin:0 auto;padding:1rem}\
table{border-collapse:collapse;margin:0.5rem 0 1.5rem}\
th,td{padding:0.25rem 0.75rem;border-bottom:1px solid #ddd;text-align:left}\
td{font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:bold}\
figure{margin:0 0 1rem}svg{max-width:100%;height:auto}.note{color:#555}";
