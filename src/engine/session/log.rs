//! The step log: for every item shown, what was considered, every random draw, the response
//! and the estimate after it, so a test can be replayed and explained exactly.

use serde::{Deserialize, Serialize};

use super::Session;
use crate::estimate::Estimate;
use crate::json::declare::json_struct;
use crate::json::{JsonWriter, ToJson};
use crate::select::{Draw, Pick};

json_struct! {
    write;
    /// One step of a test.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Step {
        /// Zero-based position in the test.
        pub index: usize = "index",
        /// The bank id.
        pub domain: String = "domain",
        /// The item shown.
        pub item: String = "item",
        /// An unscored pretest item.
        pub pretest: bool = "pretest",
        /// The domain's theta when the item was chosen.
        pub theta_before: f64 = "thetaBefore",
        /// The topic content balancing steered to, if any.
        pub topic: Option<String> = "topic" skip_if "Option::is_none",
        /// How many items were eligible.
        pub eligible: usize = "eligible",
        /// The best candidates by criterion value, best first.
        pub candidates: Vec<LoggedCandidate> = "candidates",
        /// Every random draw made for this step, in order.
        pub draws: Vec<LoggedDraw> = "draws",
        /// The chosen options (absent when the score came from elsewhere or not answered yet).
        pub response: Option<Vec<usize>> = "response" skip_if "Option::is_none",
        /// Whether the response was correct (absent until answered).
        pub correct: Option<bool> = "correct" skip_if "Option::is_none",
        /// The domain's estimate after the response (absent for pretest items and until answered).
        pub estimate: Option<Estimate> = "estimate" skip_if "Option::is_none",
        /// With the `adaptive` domain order: each unfinished domain considered and its value (how
        /// much its best item would reduce the summed posterior variance); the largest was chosen.
        #[serde(default)]
        pub domain_values: Vec<LoggedDomainValue> = "domainValues" skip_if "Vec::is_empty",
    }
}

json_struct! {
    write;
    /// A domain considered for an item, and its value.
    #[derive(Debug, Clone, PartialEq)]
    pub struct LoggedDomainValue {
        /// The bank id.
        pub domain: String = "domain",
        pub value: f64 = "value",
    }
}

json_struct! {
    write;
    /// A candidate item and its criterion value.
    #[derive(Debug, Clone, PartialEq)]
    pub struct LoggedCandidate {
        pub item: String = "item",
        pub value: f64 = "value",
    }
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
