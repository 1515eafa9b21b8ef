//! The step log: for every item shown, what was considered, every random draw, the response
//! and the estimate after it, so a test can be replayed and explained exactly.

use serde::{Deserialize, Serialize};

use super::Session;
use crate::estimate::Estimate;
use crate::json::{JsonWriter, ToJson};
use crate::select::{Draw, Pick};

/// One step of a test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Zero-based position in the test.
    pub index: usize,
    /// The bank id.
    pub domain: String,
    /// The item shown.
    pub item: String,
    /// An unscored pretest item.
    pub pretest: bool,
    /// The domain's theta when the item was chosen.
    pub theta_before: f64,
    /// The topic content balancing steered to, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// How many items were eligible.
    pub eligible: usize,
    /// The best candidates by criterion value, best first.
    pub candidates: Vec<LoggedCandidate>,
    /// Every random draw made for this step, in order.
    pub draws: Vec<LoggedDraw>,
    /// The chosen options (absent when the score came from elsewhere or not answered yet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<Vec<usize>>,
    /// Whether the response was correct (absent until answered).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct: Option<bool>,
    /// The domain's estimate after the response (absent for pretest items and until answered).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Estimate>,
    /// With the `adaptive` domain order: each unfinished domain considered and its value (how
    /// much its best item would reduce the summed posterior variance); the largest was chosen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domain_values: Vec<LoggedDomainValue>,
}

/// A domain considered for an item, and its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoggedDomainValue {
    /// The bank id.
    pub domain: String,
    pub value: f64,
}

/// A candidate item and its criterion value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoggedCandidate {
    pub item: String,
    pub value: f64,
}

/// A random draw, with item ids instead of pool indices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum LoggedDraw {
    /// Uniform `u` picked position `chosen` (zero-based) among the `among` best candidates.
    #[serde(rename_all = "camelCase")]
    Randomesque { u: f64, among: usize, chosen: usize },
    /// The item was administered when `u` ≤ its exposure parameter `k`.
    #[serde(rename_all = "camelCase")]
    SympsonHetter {
        item: String,
        u: f64,
        k: f64,
        administered: bool,
    },
    /// A pretest item was seeded because `u` < `chance`; `chosen` of `among` pretest items.
    #[serde(rename_all = "camelCase")]
    Pretest {
        u: f64,
        chance: f64,
        among: usize,
        chosen: usize,
    },
}

impl Step {
    pub(super) fn selected(session: &Session, domain: usize, pick: &Pick, theta: f64) -> Step {
        let id = |item: usize| session.bank_item(item).id.clone();
        Step {
            index: session.administered.len(),
            domain: session.pool.domains[domain].id.clone(),
            item: id(pick.item),
            pretest: false,
            theta_before: theta,
            topic: pick
                .topic
                .and_then(|t| session.banks[domain].topics.get(t))
                .map(|t| t.id.clone()),
            eligible: pick.eligible,
            candidates: pick
                .candidates
                .iter()
                .map(|c| LoggedCandidate {
                    item: id(c.item),
                    value: c.value,
                })
                .collect(),
            draws: pick
                .draws
                .iter()
                .map(|draw| match *draw {
                    Draw::Randomesque { u, among, chosen } => {
                        LoggedDraw::Randomesque { u, among, chosen }
                    }
                    Draw::SympsonHetter {
                        item,
                        u,
                        k,
                        administered,
                    } => LoggedDraw::SympsonHetter {
                        item: id(item),
                        u,
                        k,
                        administered,
                    },
                })
                .collect(),
            response: None,
            correct: None,
            estimate: None,
            domain_values: Vec::new(),
        }
    }

    pub(super) fn pretest(
        session: &Session,
        domain: usize,
        item: usize,
        draw: LoggedDraw,
        theta: f64,
    ) -> Step {
        let eligible = match draw {
            LoggedDraw::Pretest { among, .. } => among,
            _ => 0,
        };
        Step {
            index: session.administered.len(),
            domain: session.pool.domains[domain].id.clone(),
            item: session.bank_item(item).id.clone(),
            pretest: true,
            theta_before: theta,
            topic: None,
            eligible,
            candidates: Vec::new(),
            draws: vec![draw],
            response: None,
            correct: None,
            estimate: None,
            domain_values: Vec::new(),
        }
    }

    pub(super) fn record_response(
        &mut self,
        response: Option<Vec<usize>>,
        correct: bool,
        estimate: Option<Estimate>,
    ) {
        self.response = response;
        self.correct = Some(correct);
        self.estimate = estimate;
    }
}

impl ToJson for Step {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("index", &self.index);
        out.field("domain", &self.domain);
        out.field("item", &self.item);
        out.field("pretest", &self.pretest);
        out.field("thetaBefore", &self.theta_before);
        out.optional_field("topic", &self.topic);
        out.field("eligible", &self.eligible);
        out.field("candidates", &self.candidates);
        out.field("draws", &self.draws);
        out.optional_field("response", &self.response);
        out.optional_field("correct", &self.correct);
        out.optional_field("estimate", &self.estimate);
        out.list_field("domainValues", &self.domain_values);
        out.end_object();
    }
}

impl ToJson for LoggedDomainValue {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("domain", &self.domain);
        out.field("value", &self.value);
        out.end_object();
    }
}

impl ToJson for LoggedCandidate {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("item", &self.item);
        out.field("value", &self.value);
        out.end_object();
    }
}

/// Internally tagged, as serde writes `#[serde(tag = "kind")]`: the tag first.
impl ToJson for LoggedDraw {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        match self {
            LoggedDraw::Randomesque { u, among, chosen } => {
                out.field("kind", "randomesque");
                out.field("u", u);
                out.field("among", among);
                out.field("chosen", chosen);
            }
            LoggedDraw::SympsonHetter {
                item,
                u,
                k,
                administered,
            } => {
                out.field("kind", "sympsonHetter");
                out.field("item", item);
                out.field("u", u);
                out.field("k", k);
                out.field("administered", administered);
            }
            LoggedDraw::Pretest {
                u,
                chance,
                among,
                chosen,
            } => {
                out.field("kind", "pretest");
                out.field("u", u);
                out.field("chance", chance);
                out.field("among", among);
                out.field("chosen", chosen);
            }
        }
        out.end_object();
    }
}

impl ToJson for Estimate {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("theta", &self.theta);
        out.field("se", &self.se);
        out.end_object();
    }
}
