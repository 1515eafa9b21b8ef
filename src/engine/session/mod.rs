//! The adaptive test as a state machine: `next_item` shows an item, `answer` (or `record_score`)
//! scores it, until every domain's stopping rule is met.
//!
//! A session is deterministic: its only randomness is a generator seeded from the config, so
//! the same banks, seed and answers always give the same items. Saving stores just the config
//! and the answers; restoring replays them and checks each replayed item against the saved one
//! (see [`saved`]).

mod adaptive;
mod config;
mod log;
pub mod saved;
mod view;

use std::sync::Arc;

use crate::bank::{Bank, ItemType, Status};
use crate::error::{Error, Result};
use crate::estimate::{
    Estimate, JointPosterior, LevelProbability, Method, Posterior, Scored, estimate,
    level_probabilities, normal_cdf,
};
use crate::pool::Pool;
use crate::rng::SeededRng;
use crate::select::{Availability, ItemIndex, Request, Shortcut, select_indexed};
use crate::stop::StopReason;

pub use config::{DomainOrder, Mode, SessionConfig};
pub use log::{LoggedCandidate, LoggedDomainValue, LoggedDraw, Step};
pub(crate) use view::sorted_key;
pub use view::{Feedback, ItemView, OptionView};

/// One administered item and what the learner did with it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Administered {
    /// Global item index in the pool.
    pub item: usize,
    /// Unscored pretest item.
    pub pretest: bool,
    /// The chosen options, or `None` when the score came from elsewhere (`record_score`).
    pub chosen: Option<Vec<usize>>,
    pub correct: bool,
}

/// Per-domain progress.
#[derive(Debug, Clone)]
struct DomainState {
    posterior: Posterior,
    scored: Vec<Scored>,
    estimate: Estimate,
    /// Items administered per topic (scored items only).
    topic_counts: Vec<usize>,
    pretest_seeded: usize,
    /// Pretest items of this domain that may still be seeded (kept in step with
    /// `Session::pretest_available`, so the common no-pretest case costs nothing per step).
    pretest_left: usize,
    stopped: Option<StopReason>,
}

/// An adaptive test over one or several banks (one ability per domain).
#[derive(Debug, Clone)]
pub struct Session {
    /// Shared, not copied: many sessions (learners, restores) over one large bank cost no copy.
    banks: Vec<Arc<Bank>>,
    pool: Pool,
    config: SessionConfig,
    rng: SeededRng,
    /// Per global item: an active item that may still be selected (with counts per topic).
    available: Availability,
    /// The pool's selection index; shared by clones, as it never changes.
    index: Arc<ItemIndex>,
    /// Per global item: a pretest item that may still be seeded.
    pretest_available: Vec<bool>,
    domains: Vec<DomainState>,
    administered: Vec<Administered>,
    /// The item shown and not yet answered: (global index, pretest).
    pending: Option<(usize, bool)>,
    /// The domain whose turn it is (round-robin order).
    turn: usize,
    log: Vec<Step>,
    /// The posterior over all domains at once, when the config gives their correlations.
    joint: Option<JointPosterior>,
}

impl Session {
    /// Starts a test over `banks` (validated banks; each is one domain), given as `Bank`s or
    /// as `Arc<Bank>`s shared with other sessions.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] for a bad setting, no banks, two banks with the same id, or
    /// correlations that do not fit the banks (see [`SessionConfig::check_correlations`]).
    pub fn new<B: Into<Arc<Bank>>>(banks: Vec<B>, config: SessionConfig) -> Result<Session> {
        let banks: Vec<Arc<Bank>> = banks.into_iter().map(Into::into).collect();
        config.check()?;
        if banks.is_empty() {
            return Err(Error::InvalidConfig(
                "banks: at least one bank is needed".into(),
            ));
        }
        for (i, bank) in banks.iter().enumerate() {
            if banks[..i].iter().any(|other| other.id == bank.id) {
                return Err(Error::InvalidConfig(format!(
                    "banks[{i}]: bank `{}` is given twice",
                    bank.id
                )));
            }
        }
        let ids: Vec<&str> = banks.iter().map(|bank| bank.id.as_str()).collect();
        config.check_correlations(&ids)?;
        let joint = match &config.correlations {
            Some(rows) => {
                let flat: Vec<f64> = rows.iter().flatten().copied().collect();
                let joint = JointPosterior::new(&config.estimator, &flat, banks.len());
                Some(joint.ok_or_else(|| {
                    Error::InvalidConfig("correlations: not a correlation matrix".into())
                })?)
            }
            None => None,
        };
        let pool = Pool::new(&banks);
        let with_status = |status: Status| pool.status.iter().map(|&s| s == status).collect();
        let available = Availability::new(&pool, with_status(Status::Active));
        let index = Arc::new(ItemIndex::of_banks(&pool, &banks));
        let pretest_available: Vec<bool> = with_status(Status::Pretest);
        let prior = estimate(&config.estimator, &[]);
        let domains = pool
            .domains
            .iter()
            .enumerate()
            .map(|(i, d)| DomainState {
                posterior: Posterior::new(&config.estimator),
                scored: Vec::new(),
                estimate: joint.as_ref().map_or(prior, |joint| joint.estimate(i)),
                topic_counts: vec![0; d.topic_shares.len()],
                pretest_seeded: 0,
                pretest_left: d.items.clone().filter(|&i| pretest_available[i]).count(),
                stopped: None,
            })
            .collect();
        Ok(Session {
            rng: SeededRng::new(config.seed),
            banks,
            pool,
            config,
            available,
            index,
            pretest_available,
            domains,
            administered: Vec::new(),
            pending: None,
            turn: 0,
            log: Vec::new(),
            joint,
        })
    }

    /// The item to show now, or `None` when the test is finished. Calling it again before
    /// answering returns the same item (a reload shows the same question).
    pub fn next_item(&mut self) -> Option<ItemView> {
        if self.pending.is_none() {
            self.pending = self.choose();
        }
        self.pending.map(|(item, _)| self.view(item))
    }

    /// Scores the learner's chosen options (zero-based) for the current item.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidCall`] when `item_id` is not the current item or the choice is not a
    /// valid answer for it; the session is unchanged.
    pub fn answer(&mut self, item_id: &str, chosen: &[usize]) -> Result<Feedback> {
        let (item, pretest) = self.expect_pending(item_id)?;
        let bank_item = self.bank_item(item);
        check_choice(bank_item, chosen)?;
        let correct = bank_item.is_correct(chosen);
        let mut chosen = chosen.to_vec();
        chosen.sort_unstable();
        self.record(item, pretest, Some(chosen.clone()), correct);
        Ok(self.feedback(item, &chosen, correct))
    }

    /// Records a response scored elsewhere (a simulation, or server-side scoring).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidCall`] when `item_id` is not the current item.
    pub fn record_score(&mut self, item_id: &str, correct: bool) -> Result<()> {
        let (item, pretest) = self.expect_pending(item_id)?;
        self.record(item, pretest, None, correct);
        Ok(())
    }

    /// Whether every domain has stopped.
    pub fn is_finished(&self) -> bool {
        self.domains.iter().all(|d| d.stopped.is_some())
    }

    /// The settings this session runs with.
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    /// The banks, in domain order.
    pub fn banks(&self) -> &[Arc<Bank>] {
        &self.banks
    }

    /// Every step so far: candidates, random draws, response and estimate.
    pub fn log(&self) -> &[Step] {
        &self.log
    }

    /// The current estimate of each domain, in bank order.
    pub fn estimates(&self) -> Vec<crate::report::DomainEstimate> {
        crate::report::estimates(self)
    }

    /// How many items have been answered (scored and pretest).
    pub fn answered(&self) -> usize {
        self.administered.len()
    }

    /// The largest number of items the test can still have: answered + the remaining
    /// maximum of every unfinished domain (pretest items excluded).
    pub fn max_length(&self) -> usize {
        let remaining: usize = self
            .domains
            .iter()
            .filter(|d| d.stopped.is_none())
            .map(|d| self.config.stop.max_items.saturating_sub(d.scored.len()))
            .sum();
        self.administered.len() + remaining
    }

    // --- crate-internal accessors for the report and saved-state modules ---

    pub(crate) fn pool(&self) -> &Pool {
        &self.pool
    }

    pub(crate) fn administered(&self) -> &[Administered] {
        &self.administered
    }

    pub(crate) fn pending_item(&self) -> Option<usize> {
        self.pending.map(|(item, _)| item)
    }

    pub(crate) fn domain_estimate(&self, domain: usize) -> (Estimate, usize, Option<StopReason>) {
        let d = &self.domains[domain];
        (d.estimate, d.scored.len(), d.stopped)
    }

    /// The posterior probability of each of the domain's levels: from the domain's marginal in
    /// the joint posterior, or from its own EAP posterior on the grid, or, for the other
    /// estimators, from N(θ̂, SE²) (see [`level_probabilities`]).
    pub(crate) fn level_probabilities(&self, domain: usize) -> Vec<LevelProbability> {
        let state = &self.domains[domain];
        let levels = &self.banks[domain].levels;
        if let Some(joint) = &self.joint {
            let marginal = joint.marginal(domain);
            level_probabilities(levels, &|cut| marginal.probability_below(cut))
        } else if self.config.estimator.method == Method::Eap {
            level_probabilities(levels, &|cut| state.posterior.probability_below(cut))
        } else {
            let Estimate { theta, se } = state.estimate;
            level_probabilities(levels, &|cut| normal_cdf((cut - theta) / se))
        }
    }

    pub(crate) fn bank_item(&self, item: usize) -> &crate::bank::Item {
        let domain = self.pool.domain[item];
        &self.banks[domain].items[item - self.pool.domains[domain].items.start]
    }

    // --- the state machine ---

    fn expect_pending(&self, item_id: &str) -> Result<(usize, bool)> {
        match self.pending {
            Some((item, pretest)) if self.bank_item(item).id == item_id => Ok((item, pretest)),
            Some((item, _)) => Err(Error::InvalidCall(format!(
                "answer: item `{item_id}` is not the current item (`{}`)",
                self.bank_item(item).id
            ))),
            None if self.is_finished() => Err(Error::InvalidCall(format!(
                "answer: item `{item_id}`: the test is finished"
            ))),
            None => Err(Error::InvalidCall(format!(
                "answer: item `{item_id}`: no item is waiting for an answer; ask for the next item first"
            ))),
        }
    }

    /// Picks the next item: the domain whose turn it is, then a pretest or an adaptive item.
    fn choose(&mut self) -> Option<(usize, bool)> {
        let n = self.domains.len();
        for offset in 0..n {
            let domain = match self.config.order {
                DomainOrder::RoundRobin => (self.turn + offset) % n,
                DomainOrder::Blocked => offset,
                DomainOrder::Adaptive => return self.choose_adaptive(),
            };
            if self.domains[domain].stopped.is_some() {
                continue;
            }
            if let Some(pick) = self.choose_in(domain) {
                return Some(pick);
            }
            self.domains[domain].stopped = Some(StopReason::PoolExhausted);
        }
        None
    }

    fn choose_in(&mut self, domain: usize) -> Option<(usize, bool)> {
        if let Some(item) = self.maybe_pretest(domain) {
            return Some((item, true));
        }
        let state = &self.domains[domain];
        let request = Request {
            pool: &self.pool,
            domain,
            available: &self.available,
            theta: state.estimate.theta,
            answered: state.scored.len(),
            topic_counts: &state.topic_counts,
        };
        let theta_before = request.theta;
        let shortcut = Shortcut {
            index: &self.index,
            availability: &self.available,
        };
        let pick = select_indexed(&request, shortcut, &self.config.selection, &mut self.rng)?;
        for &rejected in &pick.rejected {
            self.available.clear(&self.pool, rejected);
        }
        let step = Step::selected(self, domain, &pick, theta_before);
        self.log.push(step);
        Some((pick.item, false))
    }

    /// The selection index and availability counts, for [`select_indexed`].
    fn shortcut(&self) -> Shortcut<'_> {
        Shortcut {
            index: &self.index,
            availability: &self.available,
        }
    }

    /// What a selection in `domain` needs to know about this learner (`choose_in` builds its own
    /// from the fields, to borrow the generator beside it).
    fn request(&self, domain: usize) -> Request<'_> {
        let state = &self.domains[domain];
        Request {
            pool: &self.pool,
            domain,
            available: &self.available,
            theta: state.estimate.theta,
            answered: state.scored.len(),
            topic_counts: &state.topic_counts,
        }
    }

    /// Seeds a pretest item with probability (budget left) / (positions left), never as the
    /// domain's first item, so that the budget spreads over the expected length.
    fn maybe_pretest(&mut self, domain: usize) -> Option<usize> {
        let state = &self.domains[domain];
        let budget = self
            .config
            .pretest_items
            .saturating_sub(state.pretest_seeded);
        let among = state.pretest_left;
        if budget == 0 || state.scored.is_empty() || among == 0 {
            return None;
        }
        let positions_left = self
            .config
            .stop
            .max_items
            .saturating_sub(state.scored.len())
            .max(1);
        let chance = (budget as f64 / positions_left as f64).min(1.0);
        let u = self.rng.uniform();
        if u >= chance {
            return None;
        }
        let chosen = self.rng.below(among);
        let item = self.pool.domains[domain]
            .items
            .clone()
            .filter(|&i| self.pretest_available[i])
            .nth(chosen)?;
        self.domains[domain].pretest_seeded += 1;
        let theta = self.domains[domain].estimate.theta;
        let draw = LoggedDraw::Pretest {
            u,
            chance,
            among,
            chosen,
        };
        let step = Step::pretest(self, domain, item, draw, theta);
        self.log.push(step);
        Some(item)
    }

    /// Marks an item as no longer seedable as a pretest item, keeping its domain's count.
    fn close_pretest(&mut self, item: usize) {
        if std::mem::replace(&mut self.pretest_available[item], false) {
            let domain = self.pool.domain[item];
            self.domains[domain].pretest_left -= 1;
        }
    }

    fn record(&mut self, item: usize, pretest: bool, chosen: Option<Vec<usize>>, correct: bool) {
        let domain = self.pool.domain[item];
        self.available.clear(&self.pool, item);
        self.close_pretest(item);
        for index in 0..self.pool.enemies[item].len() {
            let enemy = self.pool.enemies[item][index];
            self.available.clear(&self.pool, enemy);
            self.close_pretest(enemy);
        }
        if !pretest {
            let params = self.pool.params[item];
            let method = self.config.estimator.method;
            let state = &mut self.domains[domain];
            state.topic_counts[self.pool.topic[item]] += 1;
            state.posterior.add(&params, correct);
            state.scored.push(Scored { params, correct });
            state.estimate = if method == Method::Eap {
                state.posterior.estimate()
            } else {
                estimate(&self.config.estimator, &state.scored)
            };
            if let Some(joint) = self.joint.as_mut() {
                joint.add(domain, &params, correct);
                joint.update();
                for (d, state) in self.domains.iter_mut().enumerate() {
                    state.estimate = joint.estimate(d);
                }
            }
        }
        let estimate = self.domains[domain].estimate;
        if let Some(step) = self.log.last_mut() {
            step.record_response(chosen.clone(), correct, (!pretest).then_some(estimate));
        }
        self.administered.push(Administered {
            item,
            pretest,
            chosen,
            correct,
        });
        self.pending = None;
        self.turn = (domain + 1) % self.domains.len();
        if !pretest {
            self.check_stop(domain);
            // In a joint posterior every answer moves every domain's estimate.
            if self.joint.is_some() {
                for other in (0..self.domains.len()).filter(|&d| d != domain) {
                    if self.domains[other].stopped.is_none() {
                        self.check_stop(other);
                    }
                }
            }
        }
    }

    /// Applies the stop rule to a domain's current state.
    fn check_stop(&mut self, domain: usize) {
        let items_left = self.available.count(domain, None) > 0;
        let likeliest = if self.config.stop.level_certainty.is_some() {
            self.level_probabilities(domain)
                .iter()
                .map(|level| level.probability)
                .fold(0.0, f64::max)
        } else {
            0.0
        };
        let state = &mut self.domains[domain];
        state.stopped = self.config.stop.reason_to_stop(
            state.scored.len(),
            &state.estimate,
            likeliest,
            items_left,
        );
    }
}

/// Rejects a choice that is not a possible answer to the item.
fn check_choice(item: &crate::bank::Item, chosen: &[usize]) -> Result<()> {
    let id = &item.id;
    if chosen.is_empty() {
        return Err(Error::InvalidCall(format!(
            "answer to `{id}`: choose at least one option"
        )));
    }
    for (i, &option) in chosen.iter().enumerate() {
        if option >= item.options.len() {
            return Err(Error::InvalidCall(format!(
                "answer to `{id}`: option {option} but the item has {} options",
                item.options.len()
            )));
        }
        if chosen[..i].contains(&option) {
            return Err(Error::InvalidCall(format!(
                "answer to `{id}`: option {option} is chosen twice"
            )));
        }
    }
    if item.kind != ItemType::Multiple && chosen.len() != 1 {
        return Err(Error::InvalidCall(format!(
            "answer to `{id}`: this item takes exactly one option, got {}",
            chosen.len()
        )));
    }
    Ok(())
}
