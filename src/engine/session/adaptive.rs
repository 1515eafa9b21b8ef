//! The `adaptive` domain order: before each item, the domain whose best item most reduces the
//! summed posterior variance of the unfinished domains (see [`crate::select::choose_domain`]),
//! then the item within it as in any order.

use super::{LoggedDomainValue, Session};
use crate::select::{DomainValue, best_information, choose_domain, variance_reduction};
use crate::stop::StopReason;

impl Session {
    /// Picks the next item in the `adaptive` order; a domain found with nothing left to give is
    /// marked as exhausted and the choice made again among the others.
    pub(super) fn choose_adaptive(&mut self) -> Option<(usize, bool)> {
        loop {
            let k = self.domains.len();
            let unfinished: Vec<bool> = self.domains.iter().map(|d| d.stopped.is_none()).collect();
            let covariance = self.posterior_covariance();
            let mut options = Vec::with_capacity(k);
            for domain in (0..k).filter(|&d| unfinished[d]) {
                let shortcut = Some(self.shortcut());
                match best_information(&self.request(domain), shortcut, &self.config.selection) {
                    Some(information) => options.push(DomainValue {
                        domain,
                        value: variance_reduction(&covariance, k, domain, information, &unfinished),
                    }),
                    None => self.domains[domain].stopped = Some(StopReason::PoolExhausted),
                }
            }
            let domain = choose_domain(&options)?;
            match self.choose_in(domain) {
                Some(pick) => {
                    let values = options
                        .iter()
                        .map(|option| LoggedDomainValue {
                            domain: self.pool.domains[option.domain].id.clone(),
                            value: option.value,
                        })
                        .collect();
                    if let Some(step) = self.log.last_mut() {
                        step.domain_values = values;
                    }
                    return Some(pick);
                }
                None => self.domains[domain].stopped = Some(StopReason::PoolExhausted),
            }
        }
    }

    /// The posterior covariance over the domains (row-major): the joint posterior's Gaussian
    /// approximation, or, for domains estimated on their own, the squared SEs on the diagonal.
    fn posterior_covariance(&self) -> Vec<f64> {
        if let Some(joint) = &self.joint {
            return joint.covariance().to_vec();
        }
        let k = self.domains.len();
        let mut covariance = vec![0.0; k * k];
        for (d, state) in self.domains.iter().enumerate() {
            covariance[d * k + d] = state.estimate.se * state.estimate.se;
        }
        covariance
    }
}
