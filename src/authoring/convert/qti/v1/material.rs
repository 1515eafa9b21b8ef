//! The text of QTI 1.2 `material`: `mattext` (plain, or HTML with `texttype="text/html"`),
//! `matemtext` (emphasis), Blackboard's `mat_formattedtext`; images and other media
//! (`matimage`, `mataudio`…) are dropped and named. Lines of what is lost and of each MathML
//! formula are kept for the warnings.

use crate::convert::{Warning, tex};

use crate::markup::dom::Element;
use crate::markup::flatten::{Attrs, Flattened, Flattener};
use crate::markup::html::{flatten_html, flatten_plain};
use crate::markup::mathml;
use crate::markup::render::emit;

use super::Reader;

/// Text gathered from `material`, with the lines of what it could not hold.
#[derive(Default)]
pub(super) struct Gathered {
    flat: Flattened,
    /// The first line where markup was dropped.
    lost_line: Option<usize>,
    /// Each MathML formula with its line.
    formulas: Vec<(usize, String)>,
}

impl Reader<'_> {
    /// Collects the material under `element` in document order; with `stem`, the choices and
    /// everything that is not presentation are left out.
    pub(super) fn gather(&self, element: &Element, stem: bool, into: &mut Gathered) {
        for child in element.elements() {
            let name = child.name.as_str();
            match name {
                "render_choice" if stem => {}
                "itemmetadata" | "resprocessing" | "itemfeedback" | "qticomment" | "objectives"
                | "rubric" => {}
                "mattext" | "mat_formattedtext" | "matemtext" => {
                    let raw = child.text();
                    let html = match name {
                        "mattext" => child
                            .attr("texttype")
                            .is_some_and(|t| t.to_ascii_lowercase().contains("html")),
                        "mat_formattedtext" => child
                            .attr("type")
                            .is_none_or(|t| t.to_ascii_lowercase().contains("html")),
                        _ => false,
                    };
                    let flat = if html {
                        flatten_html(&raw, false)
                    } else if name == "matemtext" {
                        let mut emphasis = Flattener::new(false);
                        emphasis.start("em", Attrs::default(), None);
                        emphasis.text(&raw);
                        emphasis.end("em");
                        emphasis.finish()
                    } else {
                        flatten_plain(&raw)
                    };
                    let line = self.doc.line(child);
                    if !flat.lost.is_empty() {
                        into.lost_line.get_or_insert(line);
                    }
                    for formula in &flat.math {
                        let at = tex::line_in(&raw, line, formula.pos.unwrap_or(0));
                        into.formulas.push((at, mathml::message(formula)));
                    }
                    into.flat.append(flat);
                }
                "matimage" | "mataudio" | "matvideo" | "matapplet" | "matapplication" => {
                    let what = format!("<{}>", child.raw);
                    if !into.flat.lost.contains(&what) {
                        into.flat.lost.push(what);
                    }
                    into.lost_line.get_or_insert(self.doc.line(child));
                }
                _ => self.gather(child, stem, into),
            }
        }
    }

    /// One warning for markup dropped from an item's fields, at the first line it was dropped.
    pub(super) fn lost_warning(&mut self, lost: &[(usize, String)]) {
        if let Some((line, _)) = lost.first() {
            let what: Vec<&str> = lost.iter().map(|(_, w)| w.as_str()).collect();
            self.warnings.push(Warning::new(
                self.source,
                Some(*line),
                format!(
                    "markup the bank's Markdown subset cannot hold was dropped: {}",
                    what.join(", ")
                ),
            ));
        }
    }

    /// Gathered material as Markdown; what was lost goes to `lost` as (line, `what (field)`),
    /// and each formula's warning straight to the warnings.
    pub(super) fn markdown(
        &mut self,
        gathered: Gathered,
        field: &str,
        lost: &mut Vec<(usize, String)>,
    ) -> String {
        let line = gathered.lost_line.unwrap_or(0);
        for what in &gathered.flat.lost {
            lost.push((line, format!("{what} ({field})")));
        }
        for (at, message) in gathered.formulas {
            self.warnings
                .push(Warning::new(self.source, Some(at), message));
        }
        let (markdown, plain) = emit(&gathered.flat.blocks);
        if plain {
            self.warnings.push(Warning::new(
                self.source,
                Some(line.max(1)),
                format!("formatting that cannot be written in the Markdown subset became plain text: {field}"),
            ));
        }
        markdown
    }
}
