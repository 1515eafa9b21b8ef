//! The metadata comments that carry what GIFT cannot hold (see the module documentation of
//! `gift`): written above each question by the exporter, read back by the importer.

use crate::bank::{Calibration, Date, Difficulty, Item, Reference, Status};
use crate::convert::is_slug;
use crate::convert::values::{difficulty, difficulty_name, model, model_name, status, status_name};

/// A `// key: value` line, as the importer found it above a question.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Meta {
    pub difficulty: Option<Difficulty>,
    pub irt: Option<Calibration>,
    pub exposure: Option<f64>,
    pub status: Option<Status>,
    pub tags: Vec<String>,
    pub enemies: Vec<String>,
    pub references: Vec<Reference>,
    pub reviewed: Option<Date>,
    pub watch: Option<String>,
}

impl Meta {
    /// Reads one comment (the text after `//`). `Ok(false)` when it is not a metadata comment,
    /// `Err` with the reason when it is one whose value cannot be read.
    pub fn read(&mut self, comment: &str) -> Result<bool, String> {
        let Some((key, value)) = comment.split_once(':') else {
            return Ok(false);
        };
        let value = value.trim();
        match key.trim() {
            "difficulty" => self.difficulty = Some(difficulty(value)?),
            "irt" => self.irt = Some(calibration(value)?),
            "exposure" => {
                self.exposure = Some(
                    value
                        .parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite())
                        .ok_or("`exposure` is not a number")?,
                );
            }
            "status" => self.status = Some(status(value)?),
            "tags" => self.tags.extend(list(value)),
            "enemies" => {
                for enemy in list(value) {
                    if !is_slug(&enemy) {
                        return Err(format!("enemy `{enemy}` is not an item id"));
                    }
                    self.enemies.push(enemy);
                }
            }
            "ref" => self.references.push(reference(value)?),
            "reviewed" => {
                self.reviewed =
                    Some(Date::parse(value).map_err(|reason| format!("`{value}` {reason}"))?);
            }
            "watch" if !value.is_empty() => self.watch = Some(value.to_string()),
            _ => return Ok(false),
        }
        Ok(true)
    }

    pub fn is_empty(&self) -> bool {
        *self == Meta::default()
    }

    /// Sets the item's fields from the comments.
    pub fn apply(&self, item: &mut Item) {
        item.difficulty = self.difficulty;
        item.irt = self.irt;
        item.exposure = self.exposure;
        item.status = self.status.unwrap_or_default();
        item.tags.clone_from(&self.tags);
        item.enemies.clone_from(&self.enemies);
        item.references.clone_from(&self.references);
        item.reviewed = self.reviewed;
        item.watch.clone_from(&self.watch);
    }
}

/// `a; b; c` (empty parts dropped).
fn list(value: &str) -> Vec<String> {
    value
        .split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(str::to_string)
        .collect()
}

/// `2PL a=1.3 b=0.4`.
fn calibration(value: &str) -> Result<Calibration, String> {
    let mut words = value.split_whitespace();
    let model = model(words.next().unwrap_or(""))?;
    let mut calibration = Calibration {
        model,
        a: None,
        b: f64::NAN,
        c: None,
        d: None,
    };
    for word in words {
        let (name, number) = word
            .split_once('=')
            .ok_or_else(|| format!("`{word}` is not `name=value`"))?;
        let number: f64 = number
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
            .ok_or_else(|| format!("`{word}` is not a number"))?;
        match name {
            "a" => calibration.a = Some(number),
            "b" => calibration.b = number,
            "c" => calibration.c = Some(number),
            "d" => calibration.d = Some(number),
            _ => return Err(format!("`{name}` is not an IRT parameter")),
        }
    }
    if calibration.b.is_nan() {
        return Err("the IRT parameters have no `b`".to_string());
    }
    Ok(calibration)
}

/// `citation <https://…>` or `citation`.
fn reference(value: &str) -> Result<Reference, String> {
    if let Some(inner) = value.strip_suffix('>') {
        if let Some(at) = inner.rfind('<') {
            let url = &inner[at + 1..];
            if url.starts_with("https://") || url.starts_with("http://") {
                let citation = inner[..at].trim();
                if citation.is_empty() {
                    return Err("the reference has a URL but no citation".to_string());
                }
                return Ok(Reference {
                    citation: citation.to_string(),
                    url: Some(url.to_string()),
                });
            }
        }
    }
    if value.is_empty() {
        return Err("the reference is empty".to_string());
    }
    Ok(Reference {
        citation: value.to_string(),
        url: None,
    })
}

/// The metadata comment lines for an item, each ending in a newline; what does not fit on a
/// comment line (a line break in a citation, `;` in a tag) is pushed to `losses`.
pub(super) fn write(item: &Item, out: &mut String, losses: &mut Vec<String>) {
    if let Some(difficulty) = item.difficulty {
        out.push_str(&format!("// difficulty: {}\n", difficulty_name(difficulty)));
    }
    if let Some(irt) = item.irt {
        out.push_str(&format!("// irt: {}", model_name(irt.model)));
        for (name, value) in [("a", irt.a), ("b", Some(irt.b)), ("c", irt.c), ("d", irt.d)] {
            if let Some(value) = value {
                out.push_str(&format!(" {name}={value}"));
            }
        }
        out.push('\n');
    }
    if let Some(exposure) = item.exposure {
        out.push_str(&format!("// exposure: {exposure}\n"));
    }
    if item.status != Status::Active {
        out.push_str(&format!("// status: {}\n", status_name(item.status)));
    }
    let tags: Vec<String> = item.tags.iter().map(|tag| one_line(tag)).collect();
    if tags
        .iter()
        .any(|tag| tag.contains(';') || tag.trim().is_empty())
    {
        losses.push(format!(
            "item `{}`: a tag that is empty or contains `;` cannot be written in a `// tags:` \
             comment",
            item.id
        ));
    }
    if !tags.is_empty() {
        out.push_str(&format!("// tags: {}\n", tags.join("; ")));
    }
    if !item.enemies.is_empty() {
        out.push_str(&format!("// enemies: {}\n", item.enemies.join("; ")));
    }
    for reference in &item.references {
        if reference.citation.contains(['\n', '\r']) {
            losses.push(format!(
                "item `{}`: line breaks in a citation become spaces",
                item.id
            ));
        }
        out.push_str(&format!("// ref: {}", one_line(&reference.citation)));
        if let Some(url) = &reference.url {
            out.push_str(&format!(" <{url}>"));
        }
        out.push('\n');
    }
    if let Some(reviewed) = item.reviewed {
        out.push_str(&format!("// reviewed: {reviewed}\n"));
    }
    if let Some(watch) = &item.watch {
        if watch.contains(['\n', '\r']) || watch.trim() != watch {
            losses.push(format!(
                "item `{}`: line breaks and surrounding spaces in a watch note are lost",
                item.id
            ));
        }
        out.push_str(&format!("// watch: {}\n", one_line(watch).trim()));
    }
}

/// Text on one line: line breaks become spaces.
fn one_line(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\n', '\r'], " ")
}
