//! Small, self-contained SVG charts for the authors' tools: line charts (test information,
//! conditional precision) and bar charts (exposure histograms).
//!
//! The output has no scripts, no styles and no external references: only SVG elements with
//! presentation attributes, so it can be written as a file or inlined in an HTML page that
//! runs under a strict Content-Security-Policy. Each figure carries a `<title>` and a
//! `<desc>` and is marked `role="img"` for screen readers; series are told apart by dash
//! pattern as well as by colour (a colour-blind-safe palette, Okabe & Ito 2008).

use std::fmt::Write;

/// Colours of successive series (Okabe-Ito: blue, vermillion, bluish green, reddish purple).
pub const PALETTE: [&str; 4] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"];

const MARGIN_LEFT: f64 = 64.0;
const MARGIN_RIGHT: f64 = 20.0;
const MARGIN_TOP: f64 = 34.0;
const MARGIN_BOTTOM: f64 = 46.0;
const FONT: &str = r#"font-family="system-ui, sans-serif""#;

/// One curve of a line chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// (x, y) in data units; non-finite points break the line.
    pub points: Vec<(f64, f64)>,
    pub color: &'static str,
    pub dashed: bool,
}

/// A labelled reference line at a data value (a level cut, a target SE).
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub at: f64,
    pub label: String,
}

/// A line chart with labelled axes, a legend, and vertical and horizontal reference lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// Vertical lines (x values), e.g. proficiency-level cuts.
    pub vertical: Vec<Rule>,
    /// Horizontal lines (y values), e.g. a target standard error.
    pub horizontal: Vec<Rule>,
    /// The y range; by default from 0 (or the data's minimum when negative) to the maximum.
    /// Points outside are clipped.
    pub y_range: Option<(f64, f64)>,
}

/// A bar chart over labelled categories.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// (category label, value); values below 0 are drawn as 0.
    pub bars: Vec<(String, f64)>,
}

/// A chart that can be drawn into a rectangle of an SVG figure.
pub trait Chart {
    /// SVG elements drawing the chart in (0, 0)–(width, height); `id` makes the element ids it
    /// defines unique within a page.
    fn draw(&self, id: &str, width: f64, height: f64) -> String;
}

/// A standalone SVG figure: `charts` stacked vertically, each `panel_height` high, with an
/// accessible title and description. `id` prefixes every element id (unique per page).
pub fn figure(
    id: &str,
    title: &str,
    desc: &str,
    width: f64,
    panel_height: f64,
    charts: &[&dyn Chart],
) -> String {
    let height = panel_height * charts.len() as f64;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{id}-title {id}-desc">"#
    );
    let _ = write!(
        svg,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(desc)
    );
    let _ = write!(
        svg,
        r##"<rect width="{width}" height="{height}" fill="#ffffff"/>"##
    );
    for (i, chart) in charts.iter().enumerate() {
        let y = panel_height * i as f64;
        let _ = write!(
            svg,
            r#"<g transform="translate(0 {y})">{}</g>"#,
            chart.draw(&format!("{id}-{i}"), width, panel_height)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Evenly spaced "nice" tick values (steps of 1, 2 or 5 times a power of ten) covering
/// [min, max], about `count` of them.
pub fn ticks(min: f64, max: f64, count: usize) -> Vec<f64> {
    if !(min.is_finite() && max.is_finite()) || max <= min || count == 0 {
        return vec![min];
    }
    let raw = (max - min) / count as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * power);
    let first = (min / step).ceil() as i64;
    let last = (max / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// A tick label with as many decimals as the step needs.
fn tick_label(value: f64, step: f64) -> String {
    let decimals = if step > 0.0 && step < 1.0 {
        (-step.log10().floor()) as usize
    } else {
        0
    };
    let text = format!("{value:.decimals$}");
    // −0 reads oddly on an axis.
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_string()
    } else {
        text.replace('-', "−")
    }
}

/// The plotting rectangle and the data-to-pixel mapping of one panel.
struct Frame {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    x: (f64, f64),
    y: (f64, f64),
}

impl Frame {
    fn new(width: f64, height: f64, x: (f64, f64), y: (f64, f64)) -> Frame {
        Frame {
            left: MARGIN_LEFT,
            right: (width - MARGIN_RIGHT).max(MARGIN_LEFT + 1.0),
            top: MARGIN_TOP,
            bottom: (height - MARGIN_BOTTOM).max(MARGIN_TOP + 1.0),
            x,
            y,
        }
    }

    fn px(&self, x: f64) -> f64 {
        self.left + (x - self.x.0) / (self.x.1 - self.x.0) * (self.right - self.left)
    }

    fn py(&self, y: f64) -> f64 {
        self.bottom - (y - self.y.0) / (self.y.1 - self.y.0) * (self.bottom - self.top)
    }

    /// Title, axes with ticks and grid, and axis labels.
    fn axes(&self, out: &mut String, chart_title: &str, x_label: &str, y_label: &str) {
        let (l, r, t, b) = (self.left, self.right, self.top, self.bottom);
        let _ = write!(
            out,
            r##"<text x="{l}" y="18" {FONT} font-size="14" font-weight="bold" fill="#222222">{}</text>"##,
            escape(chart_title)
        );
        let yt = ticks(self.y.0, self.y.1, 5);
        let ystep = yt.get(1).zip(yt.first()).map_or(1.0, |(b, a)| b - a);
        for v in &yt {
            let y = self.py(*v);
            let _ = write!(
                out,
                r##"<line x1="{l}" y1="{y:.1}" x2="{r}" y2="{y:.1}" stroke="#e4e4e4"/><text x="{:.1}" y="{:.1}" {FONT} font-size="12" text-anchor="end" fill="#444444">{}</text>"##,
                l - 6.0,
                y + 4.0,
                tick_label(*v, ystep)
            );
        }
        self.x_ticks(out);
        let _ = write!(
            out,
            r##"<path d="M{l} {t}V{b}H{r}" fill="none" stroke="#444444"/>"##
        );
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" {FONT} font-size="12" text-anchor="middle" fill="#222222">{}</text>"##,
            (l + r) / 2.0,
            b + 36.0,
            escape(x_label)
        );
        let _ = write!(
            out,
            r##"<text transform="translate(16 {:.1}) rotate(-90)" {FONT} font-size="12" text-anchor="middle" fill="#222222">{}</text>"##,
            (t + b) / 2.0,
            escape(y_label)
        );
    }

    fn x_ticks(&self, out: &mut String) {
        let xt = ticks(self.x.0, self.x.1, 8);
        let xstep = xt.get(1).zip(xt.first()).map_or(1.0, |(b, a)| b - a);
        for v in &xt {
            let x = self.px(*v);
            let _ = write!(
                out,
                r##"<line x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{}" stroke="#444444"/><text x="{x:.1}" y="{}" {FONT} font-size="12" text-anchor="middle" fill="#444444">{}</text>"##,
                self.bottom,
                self.bottom + 4.0,
                self.bottom + 17.0,
                tick_label(*v, xstep)
            );
        }
    }
}

/// The finite range of values, or (0, 1) when there are none.
fn extent(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        (0.0, 1.0)
    } else if lo == hi {
        (lo - 0.5, hi + 0.5)
    } else {
        (lo, hi)
    }
}

impl Chart for LineChart {
    fn draw(&self, id: &str, width: f64, height: f64) -> String {
        let points = || self.series.iter().flat_map(|s| s.points.iter());
        let x = extent(points().map(|p| p.0));
        let y = self.y_range.unwrap_or_else(|| {
            let (lo, hi) = extent(points().map(|p| p.1));
            (lo.min(0.0), if hi > 0.0 { hi * 1.05 } else { hi })
        });
        let y = if y.1 > y.0 { y } else { (y.0, y.0 + 1.0) };
        let frame = Frame::new(width, height, x, y);
        let mut out = String::new();
        frame.axes(&mut out, &self.title, &self.x_label, &self.y_label);
        let (l, r, t, b) = (frame.left, frame.right, frame.top, frame.bottom);
        let _ = write!(
            out,
            r#"<clipPath id="{id}-clip"><rect x="{l}" y="{t}" width="{:.1}" height="{:.1}"/></clipPath>"#,
            r - l,
            b - t
        );
        for rule in self.vertical.iter().filter(|v| v.at > x.0 && v.at < x.1) {
            let px = frame.px(rule.at);
            let _ = write!(
                out,
                r##"<line x1="{px:.1}" y1="{t}" x2="{px:.1}" y2="{b}" stroke="#777777" stroke-dasharray="2 3"/><text x="{:.1}" y="{:.1}" {FONT} font-size="11" fill="#555555">{}</text>"##,
                px + 3.0,
                t + 11.0,
                escape(&rule.label)
            );
        }
        for rule in self.horizontal.iter().filter(|h| h.at > y.0 && h.at < y.1) {
            let py = frame.py(rule.at);
            let _ = write!(
                out,
                r##"<line x1="{l}" y1="{py:.1}" x2="{r}" y2="{py:.1}" stroke="#777777" stroke-dasharray="6 3"/><text x="{:.1}" y="{:.1}" {FONT} font-size="11" text-anchor="end" fill="#555555">{}</text>"##,
                r - 3.0,
                py - 4.0,
                escape(&rule.label)
            );
        }
        for series in &self.series {
            let mut d = String::new();
            let mut pen_down = false;
            for &(px, py) in &series.points {
                if px.is_finite() && py.is_finite() {
                    let cmd = if pen_down { 'L' } else { 'M' };
                    let _ = write!(d, "{cmd}{:.1} {:.1}", frame.px(px), frame.py(py));
                    pen_down = true;
                } else {
                    pen_down = false;
                }
            }
            let dash = if series.dashed {
                r#" stroke-dasharray="7 4""#
            } else {
                ""
            };
            let _ = write!(
                out,
                r#"<path d="{d}" fill="none" stroke="{}" stroke-width="2"{dash} clip-path="url(#{id}-clip)"><title>{}</title></path>"#,
                series.color,
                escape(&series.name)
            );
        }
        legend(&mut out, &self.series, r);
        out
    }
}

/// A legend in the top-right corner: a line sample and the name of each series.
fn legend(out: &mut String, series: &[Series], right: f64) {
    let mut x = right;
    for s in series.iter().rev() {
        // About 7 px per character at 12 px: generous, so that names never overlap.
        let text_width = 7.0 * s.name.chars().count() as f64;
        x -= text_width + 44.0;
        let dash = if s.dashed {
            r#" stroke-dasharray="7 4""#
        } else {
            ""
        };
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" y1="22" x2="{:.1}" y2="22" stroke="{}" stroke-width="2"{dash}/><text x="{:.1}" y="26" {FONT} font-size="12" fill="#222222">{}</text>"##,
            x + 24.0,
            s.color,
            x + 28.0,
            escape(&s.name)
        );
    }
}

impl Chart for BarChart {
    fn draw(&self, _id: &str, width: f64, height: f64) -> String {
        let n = self.bars.len().max(1) as f64;
        let (_, hi) = extent(self.bars.iter().map(|b| b.1));
        let top = if hi > 0.0 { hi * 1.1 } else { 1.0 };
        let frame = Frame::new(width, height, (0.0, n), (0.0, top));
        let mut out = String::new();
        // A category axis: labels under the bars instead of numeric x ticks.
        let (l, r, b) = (frame.left, frame.right, frame.bottom);
        let _ = write!(
            out,
            r##"<text x="{l}" y="18" {FONT} font-size="14" font-weight="bold" fill="#222222">{}</text>"##,
            escape(&self.title)
        );
        let yt = ticks(0.0, top, 5);
        let ystep = yt.get(1).zip(yt.first()).map_or(1.0, |(b, a)| b - a);
        for v in &yt {
            let y = frame.py(*v);
            let _ = write!(
                out,
                r##"<line x1="{l}" y1="{y:.1}" x2="{r}" y2="{y:.1}" stroke="#e4e4e4"/><text x="{:.1}" y="{:.1}" {FONT} font-size="12" text-anchor="end" fill="#444444">{}</text>"##,
                l - 6.0,
                y + 4.0,
                tick_label(*v, ystep)
            );
        }
        let slot = (r - l) / n;
        for (i, (label, value)) in self.bars.iter().enumerate() {
            let value = if value.is_finite() {
                value.max(0.0)
            } else {
                0.0
            };
            let x = l + slot * i as f64;
            let y = frame.py(value);
            let _ = write!(
                out,
                r##"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{}: {}</title></rect><text x="{:.1}" y="{:.1}" {FONT} font-size="11" text-anchor="middle" fill="#222222">{}</text><text x="{:.1}" y="{:.1}" {FONT} font-size="11" text-anchor="middle" fill="#444444">{}</text>"##,
                x + slot * 0.1,
                slot * 0.8,
                (b - y).max(0.0),
                PALETTE[0],
                escape(label),
                value,
                x + slot / 2.0,
                y - 4.0,
                value,
                x + slot / 2.0,
                b + 16.0,
                escape(label)
            );
        }
        let _ = write!(
            out,
            r##"<path d="M{l} {}V{b}H{r}" fill="none" stroke="#444444"/><text x="{:.1}" y="{:.1}" {FONT} font-size="12" text-anchor="middle" fill="#222222">{}</text><text transform="translate(16 {:.1}) rotate(-90)" {FONT} font-size="12" text-anchor="middle" fill="#222222">{}</text>"##,
            frame.top,
            (l + r) / 2.0,
            b + 36.0,
            escape(&self.x_label),
            (frame.top + b) / 2.0,
            escape(&self.y_label)
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `xml` fully: one root, matched tags, no duplicate attributes, known entities.
    fn assert_well_formed(xml: &str) {
        use quick_xml::events::Event;
        let mut reader = quick_xml::Reader::from_str(xml);
        let (mut depth, mut roots) = (0usize, 0usize);
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) => {
                    roots += usize::from(depth == 0);
                    depth += 1;
                    for a in e.attributes() {
                        a.expect("distinct, quoted attributes")
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .expect("entities");
                    }
                }
                Event::Empty(e) => {
                    roots += usize::from(depth == 0);
                    for a in e.attributes() {
                        a.expect("distinct, quoted attributes")
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .expect("entities");
                    }
                }
                Event::End(_) => depth -= 1,
                Event::GeneralRef(r) => {
                    let name = String::from_utf8_lossy(&r);
                    assert!(
                        r.is_char_ref() || ["amp", "lt", "gt", "quot", "apos"].contains(&&*name),
                        "entity &{name};"
                    );
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!((depth, roots), (0, 1));
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            ticks(-4.0, 4.0, 8),
            vec![-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0]
        );
        assert_eq!(
            ticks(0.0, 1.0, 5),
            vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]
        );
        assert_eq!(ticks(0.0, 23.0, 5), vec![0.0, 5.0, 10.0, 15.0, 20.0]);
        assert_eq!(ticks(1.0, 1.0, 5), vec![1.0]);
        assert_eq!(tick_label(0.6000000000000001, 0.2), "0.6");
        assert_eq!(tick_label(-0.0, 1.0), "0");
        assert_eq!(tick_label(-2.0, 1.0), "−2");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape(r#"a<b & "c" 'd'>"#),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;"
        );
        assert_eq!(escape("x\u{1}y"), "x\u{FFFD}y");
    }

    #[test]
    fn a_figure_has_title_desc_and_one_path_per_series() {
        let chart = LineChart {
            title: "Information <I>".into(),
            x_label: "θ".into(),
            y_label: "I(θ)".into(),
            series: vec![
                Series {
                    name: "bank".into(),
                    points: vec![(-1.0, 1.0), (0.0, f64::NAN), (1.0, 2.0), (2.0, 3.0)],
                    color: PALETTE[0],
                    dashed: false,
                },
                Series {
                    name: "best 20".into(),
                    points: vec![(-1.0, 0.5), (2.0, 1.5)],
                    color: PALETTE[1],
                    dashed: true,
                },
            ],
            vertical: vec![Rule {
                at: 0.5,
                label: "Advanced".into(),
            }],
            ..Default::default()
        };
        let svg = figure("f", "T & D", "desc", 600.0, 300.0, &[&chart]);
        assert_well_formed(&svg);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("<title id=\"f-title\">T &amp; D</title>"));
        assert!(svg.contains("Information &lt;I&gt;"));
        assert_eq!(svg.matches("clip-path=\"url(#f-0-clip)\"").count(), 2);
        // Axes, then one path per series; the NaN point breaks the first line in two.
        let paths: Vec<&str> = svg.split("<path d=\"").skip(1).collect();
        assert_eq!(paths.len(), 3);
        assert_eq!(
            paths[1].split('"').next().map(|d| d.matches('M').count()),
            Some(2)
        );
        assert!(svg.contains(">Advanced</text>"));
        assert!(!svg.contains("NaN") && !svg.contains("<script"));
    }

    #[test]
    fn bars_are_drawn_from_zero_with_their_values() {
        let chart = BarChart {
            title: "Exposure".into(),
            x_label: "rate".into(),
            y_label: "items".into(),
            bars: vec![
                ("0".into(), 3.0),
                ("0–0.1".into(), 0.0),
                ("bad".into(), f64::NAN),
            ],
        };
        let svg = figure("b", "t", "d", 400.0, 200.0, &[&chart]);
        assert_well_formed(&svg);
        assert_eq!(svg.matches("<rect x=").count(), 3);
        assert!(svg.contains("<title>0: 3</title>"));
        assert!(!svg.contains("NaN"));
    }
}
