//! Next-item selection (placeholder: being written). The public shapes below are the contract.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::pool::Pool;
use crate::rng::SeededRng;

/// The criterion that ranks eligible items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Criterion {
    /// Maximum Fisher information at the current theta.
    #[default]
    MaxInfo,
    /// Chang & Ying's Kullback-Leibler index over an interval around theta.
    KullbackLeibler,
    /// Uniformly random among eligible items.
    Random,
}

/// Item-selection settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct SelectionConfig {
    pub criterion: Criterion,
    /// Randomesque exposure control: choose uniformly among the k best (1 = off).
    pub randomesque: usize,
    /// Apply the bank's Sympson-Hetter exposure parameters.
    pub sympson_hetter: bool,
    /// Steer each domain's topics toward their target shares.
    pub content_balancing: bool,
}

impl Default for SelectionConfig {
    fn default() -> Self {
        Self {
            criterion: Criterion::MaxInfo,
            randomesque: 3,
            sympson_hetter: true,
            content_balancing: true,
        }
    }
}

impl SelectionConfig {
    /// Rejects meaningless settings, naming the field.
    pub fn check(&self) -> Result<()> {
        Ok(())
    }
}

/// What the selection needs to know about one examinee in one domain.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub pool: &'a Pool,
    /// Index into `pool.domains`.
    pub domain: usize,
    /// Per global item: may it still be administered? (false once administered, when an enemy
    /// was administered, after a Sympson-Hetter rejection, or when its status is not active).
    pub available: &'a [bool],
    /// The current ability estimate in this domain.
    pub theta: f64,
    /// Scored items answered so far in this domain.
    pub answered: usize,
    /// Items administered so far per topic of this domain.
    pub topic_counts: &'a [usize],
}

/// An item with its criterion value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub item: usize,
    pub value: f64,
}

/// A random draw made while selecting, recorded so a test can be replayed and explained.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Draw {
    /// Randomesque: uniform `u` picked position `chosen` among the `among` best.
    #[serde(rename_all = "camelCase")]
    Randomesque { u: f64, among: usize, chosen: usize },
    /// Sympson-Hetter: item administered when `u` ≤ its exposure parameter `k`.
    #[serde(rename_all = "camelCase")]
    SympsonHetter { item: usize, u: f64, k: f64, administered: bool },
}

/// The selected item and how it was chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub item: usize,
    /// The topic content balancing steered to, if it did.
    pub topic: Option<usize>,
    /// The shortlist: the best max(k, 5) candidates by criterion value, best first.
    pub candidates: Vec<Candidate>,
    /// How many items were eligible.
    pub eligible: usize,
    pub draws: Vec<Draw>,
    /// Items rejected by Sympson-Hetter this step: not to be offered again in this test.
    pub rejected: Vec<usize>,
}

/// Selects the next item, or `None` when no eligible item is left in the domain.
pub fn select(request: &Request, _config: &SelectionConfig, _rng: &mut SeededRng) -> Option<Pick> {
    let domain = &request.pool.domains[request.domain];
    domain.items.clone().find(|&i| request.available[i]).map(|item| Pick {
        item,
        topic: None,
        candidates: Vec::new(),
        eligible: 0,
        draws: Vec::new(),
        rejected: Vec::new(),
    })
}
