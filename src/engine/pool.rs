//! The banks of a test compiled into flat arrays the selection and estimation loops can scan
//! quickly: one entry per item across every bank, addressed by a global index.

use std::collections::HashMap;
use std::sync::Arc;

use crate::bank::{Bank, Status};
use crate::irt::Params;

/// One domain (bank) of the test.
#[derive(Debug, Clone)]
pub struct Domain {
    /// The bank's id.
    pub id: String,
    /// Global indices of this domain's items: `first..first + len`.
    pub items: std::ops::Range<usize>,
    /// Target share of each topic (weights normalised to sum to 1), in the bank's topic order.
    pub topic_shares: Vec<f64>,
}

/// The items of every bank in a test, as parallel arrays indexed by global item index.
#[derive(Debug, Clone)]
pub struct Pool {
    pub domains: Vec<Domain>,
    pub params: Vec<Params>,
    /// Index into `domains`.
    pub domain: Vec<usize>,
    /// Index into the domain's bank topics.
    pub topic: Vec<usize>,
    pub status: Vec<Status>,
    /// Sympson-Hetter exposure parameter (1 = always administered when selected).
    pub exposure: Vec<f64>,
    /// Enemies as global indices, made symmetric.
    pub enemies: Vec<Vec<usize>>,
}

impl Pool {
    /// Compiles validated banks. Unknown topics or enemies cannot occur in a validated bank;
    /// should one slip through they are skipped rather than panicking.
    pub fn new(banks: &[Arc<Bank>]) -> Pool {
        let total: usize = banks.iter().map(|b| b.items.len()).sum();
        let mut pool = Pool {
            domains: Vec::with_capacity(banks.len()),
            params: Vec::with_capacity(total),
            domain: Vec::with_capacity(total),
            topic: Vec::with_capacity(total),
            status: Vec::with_capacity(total),
            exposure: Vec::with_capacity(total),
            enemies: vec![Vec::new(); total],
        };
        for (d, bank) in banks.iter().enumerate() {
            let first = pool.params.len();
            let topic_index: HashMap<&str, usize> = bank
                .topics
                .iter()
                .enumerate()
                .map(|(i, t)| (t.id.as_str(), i))
                .collect();
            // Only banks with enemies need their ids looked up (hashing 100,000 ids would
            // take a large part of a session's start).
            let item_index: HashMap<&str, usize> =
                if bank.items.iter().any(|i| !i.enemies.is_empty()) {
                    bank.items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| (item.id.as_str(), first + i))
                        .collect()
                } else {
                    HashMap::new()
                };
            for (i, item) in bank.items.iter().enumerate() {
                pool.params.push(item.params());
                pool.domain.push(d);
                pool.topic
                    .push(topic_index.get(item.topic.as_str()).copied().unwrap_or(0));
                pool.status.push(item.status);
                pool.exposure.push(item.exposure.unwrap_or(1.0));
                for enemy in &item.enemies {
                    if let Some(&j) = item_index.get(enemy.as_str()) {
                        let me = first + i;
                        if j != me {
                            pool.enemies[me].push(j);
                            pool.enemies[j].push(me);
                        }
                    }
                }
            }
            let weights: Vec<f64> = bank
                .topics
                .iter()
                .map(|t| t.weight.unwrap_or(1.0))
                .collect();
            let sum: f64 = weights.iter().sum();
            pool.domains.push(Domain {
                id: bank.id.clone(),
                items: first..pool.params.len(),
                topic_shares: weights.iter().map(|w| w / sum).collect(),
            });
        }
        for list in &mut pool.enemies {
            list.sort_unstable();
            list.dedup();
        }
        pool
    }

    /// Number of items across all domains.
    pub fn len(&self) -> usize {
        self.params.len()
    }

    /// Whether the pool holds no items.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }
}
