//! QTI 1.2 response processing (`resprocessing`), run for a given set of chosen options: the
//! score it gives and the feedback it shows. Running it for every possible response is how
//! the reader finds the key and where each feedback belongs, whatever the vendor's way of
//! writing the conditions (Canvas: one `varequal` per right answer, `and`/`not` for multiple
//! answers, `other` for the rest; Respondus and Blackboard: titled conditions, `Add` scoring).
//!
//! Read as the IMS QTI ASI 1.2 binding defines it: `respcondition`s are tried in order; one
//! whose `conditionvar` holds runs its `setvar`s and `displayfeedback`s, and processing stops
//! after it unless `continue="Yes"`. The children of `conditionvar` must all hold (an implied
//! `and`, as the Common Cartridge profile reads it). `varequal` holds when its option is chosen,
//! `varsubset` when all its (comma-separated) options are, `unanswered` when none is, `other`
//! always (it is reached only when no earlier stopping condition held); `and`, `or`, `not`
//! combine. `setvar` (`varname`, or Blackboard's `variablename`; default `SCORE`) sets, adds,
//! subtracts, multiplies or divides; a value such as Blackboard's `SCORE.max` is the declared
//! `maxvalue`. Anything else makes the processing unreadable, and the item is skipped.

use std::collections::HashMap;

use crate::markup::dom::Element;

/// What the processing gives for one response.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Outcome {
    pub score: f64,
    /// `linkrefid`s of the feedback shown, in order, each once.
    pub feedback: Vec<String>,
}

/// The response processing of one item, ready to run.
pub(super) struct Processing<'a> {
    blocks: Vec<&'a Element>,
    /// The response (`response_lid` ident) the conditions must name.
    response: &'a str,
    /// The option identifiers, in order.
    labels: &'a [String],
    /// Declared variables: name → (default value, max value).
    declared: HashMap<String, (f64, Option<f64>)>,
    /// The variable that holds the score.
    score: String,
}

impl<'a> Processing<'a> {
    /// The processing of an item (`None` when the item has none).
    pub fn new(item: &'a Element, response: &'a str, labels: &'a [String]) -> Option<Self> {
        let blocks: Vec<&Element> = item
            .elements()
            .filter(|e| e.name == "resprocessing")
            .collect();
        if blocks.is_empty() {
            return None;
        }
        let mut declared = HashMap::new();
        let mut score = None;
        for decvar in blocks
            .iter()
            .filter_map(|b| b.child("outcomes"))
            .flat_map(|o| o.elements())
            .filter(|e| e.name == "decvar")
        {
            let name = decvar.attr("varname").unwrap_or("SCORE").to_string();
            let number = |attr: &str| decvar.attr(attr).and_then(|v| v.trim().parse().ok());
            let default = number("defaultval").unwrap_or(0.0);
            declared.insert(name.clone(), (default, number("maxvalue")));
            score.get_or_insert(name);
        }
        Some(Processing {
            blocks,
            response,
            labels,
            declared,
            score: score.unwrap_or_else(|| "SCORE".into()),
        })
    }

    /// The elements one run may visit, at most.
    pub fn size(&self) -> usize {
        self.blocks.iter().map(|b| b.descendants().len() + 1).sum()
    }

    /// Runs the processing for a response (`chosen[i]`: whether option `i` is chosen).
    ///
    /// # Errors
    ///
    /// The element the processing cannot be read at, and why.
    pub fn run(&self, chosen: &[bool]) -> Result<Outcome, (&'a Element, String)> {
        let mut values: HashMap<String, f64> = self
            .declared
            .iter()
            .map(|(name, (default, _))| (name.clone(), *default))
            .collect();
        let mut outcome = Outcome::default();
        for block in &self.blocks {
            for condition in block.elements().filter(|e| e.name == "respcondition") {
                let holds = match condition.child("conditionvar") {
                    Some(var) => self.all(var, chosen)?,
                    None => false,
                };
                if !holds {
                    continue;
                }
                for action in condition.elements() {
                    match action.name.as_str() {
                        "setvar" => self.set(action, &mut values)?,
                        "displayfeedback" => {
                            if let Some(id) = action.attr("linkrefid")
                                && !outcome.feedback.iter().any(|f| f == id)
                            {
                                outcome.feedback.push(id.to_string());
                            }
                        }
                        _ => {}
                    }
                }
                let go_on = condition
                    .attr("continue")
                    .is_some_and(|c| c.trim().eq_ignore_ascii_case("yes"));
                if !go_on {
                    break;
                }
            }
        }
        outcome.score = values.get(&self.score).copied().unwrap_or(0.0);
        Ok(outcome)
    }

    /// Whether every child condition holds.
    fn all(&self, parent: &'a Element, chosen: &[bool]) -> Result<bool, (&'a Element, String)> {
        for child in parent.elements() {
            if !self.holds(child, chosen)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn holds(&self, test: &'a Element, chosen: &[bool]) -> Result<bool, (&'a Element, String)> {
        let is_chosen = |value: &str| -> Result<bool, (&'a Element, String)> {
            if test
                .attr("respident")
                .is_some_and(|r| r.trim() != self.response)
            {
                return Err((
                    test,
                    format!(
                        "<{}> tests the response `{}`, not the item's `{}`",
                        test.raw,
                        test.attr("respident").unwrap_or(""),
                        self.response
                    ),
                ));
            }
            let value = value.trim();
            Ok(self
                .labels
                .iter()
                .position(|label| label == value)
                .is_some_and(|index| chosen[index]))
        };
        match test.name.as_str() {
            "varequal" => is_chosen(&test.text()),
            "varsubset" => {
                let text = test.text();
                let mut all = true;
                for value in text.split(',').filter(|v| !v.trim().is_empty()) {
                    all &= is_chosen(value)?;
                }
                Ok(all)
            }
            "unanswered" => Ok(!chosen.contains(&true)),
            "other" => Ok(true),
            "and" => self.all(test, chosen),
            "or" => {
                for child in test.elements() {
                    if self.holds(child, chosen)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            "not" => match test.elements().next() {
                Some(inner) => Ok(!self.holds(inner, chosen)?),
                None => Ok(true),
            },
            _ => Err((
                test,
                format!(
                    "the condition <{}> is not read for choice questions",
                    test.raw
                ),
            )),
        }
    }

    fn set(
        &self,
        action: &'a Element,
        values: &mut HashMap<String, f64>,
    ) -> Result<(), (&'a Element, String)> {
        let name = action
            .attr("varname")
            .or_else(|| action.attr("variablename"))
            .unwrap_or("SCORE");
        let text = action.text();
        let text = text.trim();
        let value = match text.parse::<f64>() {
            Ok(value) if value.is_finite() => value,
            _ => {
                let max = text.strip_suffix(".max").map(|var| {
                    self.declared
                        .get(var)
                        .and_then(|(_, max)| *max)
                        .unwrap_or(1.0)
                });
                max.ok_or_else(|| {
                    (
                        action,
                        format!("<{}> sets `{name}` to `{text}`, not a number", action.raw),
                    )
                })?
            }
        };
        let current = values.get(name).copied().unwrap_or(0.0);
        let action_name = action.attr("action").unwrap_or("Set").trim().to_string();
        let new = match action_name.to_ascii_lowercase().as_str() {
            "set" => value,
            "add" => current + value,
            "subtract" => current - value,
            "multiply" => current * value,
            "divide" if value != 0.0 => current / value,
            _ => {
                return Err((
                    action,
                    format!("<{}> action `{action_name}` is not read", action.raw),
                ));
            }
        };
        values.insert(name.to_string(), new);
        Ok(())
    }
}
