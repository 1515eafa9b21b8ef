//! What every written-up study shares ([`crate::study_report`] for one bank,
//! [`crate::profile_report`] for several): the three ways it is written ([`Study`]), and the
//! frame of its self-contained HTML page (head and style, two-column tables, the closing
//! note), so the pages look alike and a change to the frame is made once.

use std::fmt::Write;

use crate::plot::escape;

/// A study written up three ways from the same numbers.
pub trait Study {
    /// Readable text, what `skillcat simulate` prints.
    fn text(&self) -> String;
    /// Settings and every result as pretty-printed JSON (unrounded).
    fn json(&self) -> String;
    /// A self-contained HTML page: no scripts, no external resources.
    fn html(&self) -> String;
}

/// The page up to and including its `<h1>`: `title` in the tab and as the heading, and the
/// style with the text column at most `max_width_px` wide.
pub fn page_start(title: &str, max_width_px: u32) -> String {
    let title = escape(title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n",
        style(max_width_px)
    )
}

/// Closes the last table and the page, with the version that wrote it and the metric.
pub fn page_end(page: &mut String) {
    let _ = write!(
        page,
        "</tbody>\n</table>\n<p class=\"note\">skillcat {}; logistic metric, D = 1.</p>\n\
         </main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
}

/// A two-column table of (name, value) rows under an `<h2>` caption.
pub fn table<N: AsRef<str>>(page: &mut String, caption: &str, rows: &[(N, String)]) {
    let _ = write!(page, "<h2>{}</h2>\n<table>\n<tbody>\n", escape(caption));
    for (name, value) in rows {
        let _ = writeln!(
            page,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            escape(name.as_ref()),
            escape(value)
        );
    }
    page.push_str("</tbody>\n</table>\n");
}

/// A JSON value as pretty-printed text with a final newline.
pub fn pretty_json(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

fn style(max_width_px: u32) -> String {
    format!(
        "body{{font-family:system-ui,sans-serif;color:#222;margin:0;background:#fff}}\
         main{{max-width:{max_width_px}px;margin:0 auto;padding:1rem}}\
         table{{border-collapse:collapse;margin:0.5rem 0 1.5rem}}\
         th,td{{padding:0.25rem 0.75rem;border-bottom:1px solid #ddd;text-align:left}}\
         td{{font-variant-numeric:tabular-nums}}caption{{text-align:left;font-weight:bold}}\
         figure{{margin:0 0 1rem}}svg{{max-width:100%;height:auto}}.note{{color:#555}}"
    )
}
