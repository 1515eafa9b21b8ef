//! The key of a choice item: from the correct response, or from a `map_response` mapping, as
//! the response processing says; its template is recognized however its URL is spelled. And
//! when each feedback is shown ([`feedback_shown`]), as far as the response processing says.

use std::collections::HashMap;

use crate::bank::ItemType;

use super::feedback::Shown;
use super::read::Reader;
use crate::markup::dom::Element;

/// A response-processing template, however its URL was spelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Template {
    MatchCorrect,
    MapResponse,
    MapResponsePoint,
    Unknown,
}

/// Recognizes a standard template from its URL: `http` or `https`, with or without `www.` and
/// `.xml`, under `purl.imsglobal.org/spec/qti/v3p0/rptemplates/`,
/// `www.imsglobal.org/question/qti_v2p1/rptemplates/` (2.1, 2.2, 3.0) and the like, or a bare
/// name; the Common Cartridge names (`CC2_match`, `CC2_map_response`) too.
pub(crate) fn template(url: &str) -> Template {
    let url = url.trim().to_ascii_lowercase();
    let name = url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let name = name.strip_suffix(".xml").unwrap_or(name);
    match name {
        "match_correct" | "cc2_match" | "cc2_match_basic" => Template::MatchCorrect,
        "map_response" | "cc2_map_response" => Template::MapResponse,
        "map_response_point" => Template::MapResponsePoint,
        _ => Template::Unknown,
    }
}

impl Reader<'_> {
    /// The key's option indices; `None` (with a warning) when the item has no usable key.
    pub(super) fn key(
        &mut self,
        id: &str,
        root: &Element,
        declaration: &Element,
        kind: ItemType,
        identifiers: &[&str],
    ) -> Option<Vec<usize>> {
        let processing = root.child("responseProcessing");
        let template = processing
            .and_then(|p| p.attr("template"))
            .map(|url| (template(url), url));
        let correct: Vec<String> = declaration
            .child("correctResponse")
            .map(|c| {
                c.elements()
                    .filter(|v| v.name == "value")
                    .map(|v| v.text().trim().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let mapping: Vec<(String, f64)> = declaration
            .child("mapping")
            .map(|m| {
                m.elements()
                    .filter(|e| e.name == "mapEntry")
                    .filter_map(|e| {
                        Some((
                            e.attr("mapKey")?.trim().to_string(),
                            e.attr("mappedValue")?.trim().parse().ok()?,
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut values = correct.clone();
        match (&template, processing) {
            (Some((Template::MapResponse, _)), _) if !mapping.is_empty() => {
                let positive: Vec<String> = mapping
                    .iter()
                    .filter(|(_, v)| *v > 0.0)
                    .map(|(k, _)| k.clone())
                    .collect();
                let shown: Vec<String> =
                    mapping.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                self.warn(
                    processing.unwrap_or(root),
                    format!(
                        "partial credit (map_response: {}) is not held: the key is the choices with a positive value ({}), scored all or nothing",
                        shown.join(", "),
                        positive.join(", ")
                    ),
                );
                values = positive;
            }
            (Some((Template::MatchCorrect | Template::MapResponse, _)), _) => {}
            (Some((Template::MapResponsePoint | Template::Unknown, url)), Some(p)) => {
                self.warn(p, format!("response-processing template {url} is not known: the key is taken from the correct response"));
            }
            (None, Some(p)) if p.elements().next().is_some() && !scores_match_correct(p) => {
                self.warn(p, "custom response processing is not read: the key is taken from the correct response".into());
            }
            _ => {}
        }
        if values.is_empty() {
            self.warn(declaration, format!("item `{id}` skipped: no correct response (and no positive mapped value) to take the key from"));
            return None;
        }
        let mut key = Vec::new();
        for value in &values {
            match identifiers.iter().position(|id| id == value) {
                Some(index) if !key.contains(&index) => key.push(index),
                Some(_) => {}
                None => self.warn(declaration, format!("the correct response names `{value}`, which is not a choice of the interaction: ignored")),
            }
        }
        if key.is_empty() {
            self.warn(
                declaration,
                format!("item `{id}` skipped: the correct response names none of the choices"),
            );
            return None;
        }
        if kind != ItemType::Multiple && key.len() > 1 {
            self.warn(
                declaration,
                format!("the response cardinality is single but {} values are correct: the first, `{}`, is the key", key.len(), values[0]),
            );
            key.truncate(1);
        }
        key.sort_unstable();
        Some(key)
    }
}

/// Whether custom response processing scores as the `match_correct` template does (the shape
/// `skillcat export` writes): every condition compares the response with the correct
/// response, and only `SCORE` and `FEEDBACK` are set. The key is then the correct response.
fn scores_match_correct(processing: &Element) -> bool {
    processing
        .descendants()
        .into_iter()
        .all(|e| match e.name.as_str() {
            "responseCondition" | "responseIf" | "responseElse" | "match" | "correct"
            | "baseValue" | "multiple" => true,
            "variable" => e.attr("identifier").is_some(),
            "setOutcomeValue" => matches!(e.attr("identifier"), Some("SCORE" | "FEEDBACK")),
            _ => false,
        })
}

/// When each feedback identifier is shown, from the outcome values the response processing
/// sets (`FEEDBACK` or any other): set unconditionally to a fixed identifier → always; set to
/// the response (`<variable identifier="RESPONSE"/>`) → with the chosen choices (keyed by
/// choice identifier); set where the response matches the correct response → when right, in
/// the `else` branch → when wrong; anywhere else → unknown. Identifiers it never sets are
/// missing from the map.
pub(crate) fn feedback_shown(
    processing: Option<&Element>,
    response: &str,
    choices: &[&str],
) -> HashMap<String, Shown> {
    let mut shown = HashMap::new();
    if let Some(processing) = processing {
        walk(processing, &Shown::Always, response, choices, &mut shown);
    }
    shown
}

fn walk(
    element: &Element,
    context: &Shown,
    response: &str,
    choices: &[&str],
    out: &mut HashMap<String, Shown>,
) {
    for child in element.elements() {
        match child.name.as_str() {
            "setOutcomeValue" => {
                for value in child.descendants() {
                    let set = match value.name.as_str() {
                        "baseValue" if value.attr("baseType").is_none_or(|t| t == "identifier") => {
                            vec![(value.text().trim().to_string(), context.clone())]
                        }
                        "variable" if value.attr("identifier") == Some(response) => choices
                            .iter()
                            .enumerate()
                            .map(|(index, choice)| {
                                let when = match context {
                                    Shown::Always => Shown::Choices(vec![index]),
                                    _ => Shown::Unknown,
                                };
                                ((*choice).to_string(), when)
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    for (identifier, when) in set {
                        let merged = match (out.get(&identifier), when) {
                            (None, when) => when,
                            (Some(before), when) if *before == when => when,
                            // Set when right and when wrong: always.
                            (Some(Shown::Correct), Shown::Incorrect)
                            | (Some(Shown::Incorrect), Shown::Correct) => Shown::Always,
                            _ => Shown::Unknown,
                        };
                        out.insert(identifier, merged);
                    }
                }
            }
            "responseCondition" => {
                let mut branches = child.elements();
                let Some(first) = branches.next() else {
                    continue;
                };
                let test = first.elements().next();
                let (then, otherwise) = match (context, test.map(|t| compares_correct(t, response)))
                {
                    (Shown::Always, Some(Some(true))) => (Shown::Correct, Shown::Incorrect),
                    (Shown::Always, Some(Some(false))) => (Shown::Incorrect, Shown::Correct),
                    _ => (Shown::Unknown, Shown::Unknown),
                };
                walk(first, &then, response, choices, out);
                for branch in branches {
                    let when = if branch.name == "responseElse" {
                        otherwise.clone()
                    } else {
                        Shown::Unknown
                    };
                    walk(branch, &when, response, choices, out);
                }
            }
            _ => {}
        }
    }
}

/// `Some(true)` for `match(variable R, correct R)`, `Some(false)` for its `not`, else `None`.
fn compares_correct(test: &Element, response: &str) -> Option<bool> {
    match test.name.as_str() {
        "not" => compares_correct(test.elements().next()?, response).map(|b| !b),
        "match" => {
            let mut sides: Vec<(&str, Option<&str>)> = test
                .elements()
                .map(|e| (e.name.as_str(), e.attr("identifier")))
                .collect();
            sides.sort_unstable();
            (sides == [("correct", Some(response)), ("variable", Some(response))]).then_some(true)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_urls_normalize() {
        for url in [
            "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml",
            "http://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct",
            "https://www.imsglobal.org/question/qti_v3p0/rptemplates/match_correct.xml",
            "http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct",
            "http://www.imsglobal.org/question/qti_v2p2/rptemplates/match_correct.xml",
            " HTTP://WWW.IMSGLOBAL.ORG/question/qti_v2p1/rptemplates/MATCH_CORRECT.XML ",
            "http://www.imsglobal.org/question/qti_v2p1/rptemplates/CC2_match",
        ] {
            assert_eq!(template(url), Template::MatchCorrect, "{url}");
        }
        assert_eq!(
            template("http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response"),
            Template::MapResponse
        );
        assert_eq!(
            template("https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/map_response_point.xml"),
            Template::MapResponsePoint
        );
        assert_eq!(template("https://example.org/mine.xml"), Template::Unknown);
    }
}
