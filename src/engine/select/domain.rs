//! Which domain to ask about next in a test over several (the `adaptive` domain order): the one
//! whose best item most reduces the summed posterior variance of the domains still being
//! measured.
//!
//! # Formula
//!
//! With a Gaussian posterior of covariance C over the k domains, an item of domain d with Fisher
//! information I at θ̂_d adds I to the posterior precision's (d, d) entry (between-item
//! structure), and by the Sherman–Morrison formula the new covariance is
//! C − I (C e_d)(C e_d)ᵀ / (1 + I C_dd). The summed variance of the domains U still being
//! measured then falls by
//!
//!   Δ_d = I Σ_{j∈U} C_jd² / (1 + I C_dd),
//!
//! which is increasing in I: within a domain the most informative item is the best by this
//! criterion too, so the domain's usual selection (content balancing, randomesque, exposure
//! control) stays as it is, and only the choice of domain is new. The domain with the largest
//! Δ_d is asked next; ties go to the lower domain index. With uncorrelated domains C is
//! diagonal and Δ_d = I C_dd² / (1 + I C_dd), so the domain whose variance an item would cut
//! most goes first.
//!
//! This is A-optimality (minimise the trace of the posterior covariance), which Mulder & van der
//! Linden (2009) found slightly more accurate than D-optimality when all abilities are of
//! interest; summing only over the unfinished domains targets those still above their stopping
//! threshold. References: Mulder, J., & van der Linden, W. J. (2009), "Multidimensional adaptive
//! testing with optimal design criteria for item selection", Psychometrika 74(2), 273–296;
//! Segall, D. O. (1996), "Multidimensional adaptive testing", Psychometrika 61(2), 331–354.

use serde::{Deserialize, Serialize};

use super::balancing::{choose_topic, open_topics};
use super::criteria::Scorer;
use super::ranking::{Ranking, Scope};
use super::{Criterion, Request, SelectionConfig, Shortcut};

/// A domain considered for the next item, with its value Δ_d.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DomainValue {
    pub domain: usize,
    pub value: f64,
}

/// The most Fisher information at the request's θ̂ among the items the domain's selection would
/// choose from (within the topic content balancing steers to, when it is on), before exposure
/// control; `None` when no item is eligible.
///
/// With a `shortcut` (see [`select_indexed`](super::select_indexed)) the item is found through
/// the index instead of a pass over the domain, with the same result.
pub fn best_information(
    request: &Request,
    shortcut: Option<Shortcut>,
    config: &SelectionConfig,
) -> Option<f64> {
    let scope = match shortcut {
        Some(shortcut) => Scope::indexed(request, shortcut)?,
        None => Scope::new(request)?,
    };
    let topic = if config.content_balancing {
        let shares = &request.pool.domains.get(request.domain)?.topic_shares;
        let open = open_topics(&scope, shares.len());
        Some(choose_topic(shares, request.topic_counts, &open)?)
    } else {
        None
    };
    let theta = if request.theta.is_finite() {
        request.theta
    } else {
        0.0
    };
    let scorer = Scorer::new(Criterion::MaxInfo, theta, request.answered);
    let ranking = Ranking::new(scope.with_topic(topic), &scorer, 1);
    let best = ranking.shortlist().first()?.value;
    Some(if best.is_finite() { best.max(0.0) } else { 0.0 })
}

/// Δ_d of the module documentation: how much an item of `domain` with Fisher `information`
/// reduces the summed posterior variance of the domains marked in `counted`, given the
/// posterior covariance `covariance` (row-major `k × k`).
pub fn variance_reduction(
    covariance: &[f64],
    k: usize,
    domain: usize,
    information: f64,
    counted: &[bool],
) -> f64 {
    let c_dd = covariance[domain * k + domain];
    let shared: f64 = (0..k)
        .filter(|&j| counted.get(j).copied().unwrap_or(false))
        .map(|j| covariance[j * k + domain].powi(2))
        .sum();
    let value = information * shared / (1.0 + information * c_dd);
    if value.is_finite() { value } else { 0.0 }
}

/// The domain to ask next: the largest value, ties to the lower domain index; `None` for no
/// options.
pub fn choose_domain(options: &[DomainValue]) -> Option<usize> {
    let mut best: Option<DomainValue> = None;
    for option in options {
        if best.is_none_or(|b| option.value > b.value) {
            best = Some(*option);
        }
    }
    best.map(|b| b.domain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::irt::Params;
    use crate::select::tests::{config, pool_of};

    #[test]
    fn the_reduction_is_the_drop_in_the_summed_variance_of_the_counted_domains() {
        // C for two domains; an item of domain 0 with information 2.
        let c = [0.5, 0.3, 0.3, 0.4];
        let (info, k) = (2.0, 2);
        // Sherman–Morrison by hand: C' = C − I (C e₀)(C e₀)ᵀ / (1 + I C₀₀).
        let scale = info / (1.0 + info * c[0]);
        let after = [c[0] - scale * c[0] * c[0], c[3] - scale * c[2] * c[2]];
        let both = variance_reduction(&c, k, 0, info, &[true, true]);
        assert!((both - (c[0] + c[3] - after[0] - after[1])).abs() < 1e-12);
        let first_only = variance_reduction(&c, k, 0, info, &[true, false]);
        assert!((first_only - (c[0] - after[0])).abs() < 1e-12);
        // An item of a finished domain still counts through the unfinished one it informs.
        let through = variance_reduction(&c, k, 0, info, &[false, true]);
        assert!((through - (c[3] - after[1])).abs() < 1e-12);
    }

    #[test]
    fn more_information_always_reduces_more() {
        let c = [0.5, 0.3, 0.3, 0.4];
        let mut previous = 0.0;
        for info in [0.0, 0.1, 0.5, 1.0, 3.0, 30.0] {
            let value = variance_reduction(&c, 2, 1, info, &[true, true]);
            assert!(value >= previous, "{info}: {value} < {previous}");
            previous = value;
        }
    }

    #[test]
    fn the_largest_value_wins_and_ties_go_to_the_lower_domain() {
        let options = |values: &[(usize, f64)]| -> Vec<DomainValue> {
            values
                .iter()
                .map(|&(domain, value)| DomainValue { domain, value })
                .collect()
        };
        assert_eq!(
            choose_domain(&options(&[(0, 0.1), (2, 0.3), (3, 0.2)])),
            Some(2)
        );
        assert_eq!(choose_domain(&options(&[(1, 0.3), (2, 0.3)])), Some(1));
        assert_eq!(choose_domain(&[]), None);
    }

    #[test]
    fn best_information_is_the_most_informative_eligible_item_of_the_balanced_topic() {
        // Topic 1 is far below its share; its best item is less informative than topic 0's.
        let items = [
            (Params::two_pl(2.0, 0.0), 0),
            (Params::two_pl(1.0, 0.0), 1),
            (Params::two_pl(1.5, 0.1), 1),
        ];
        let pool = pool_of(&items, &[0.5, 0.5]);
        let counts = [3, 0];
        let request = Request {
            pool: &pool,
            domain: 0,
            available: &[true, true, true],
            theta: 0.0,
            answered: 3,
            topic_counts: &counts,
        };
        let balanced = config(Criterion::KullbackLeibler, 3, true, true);
        let found = best_information(&request, None, &balanced).expect("eligible");
        assert!((found - items[2].0.info(0.0)).abs() < 1e-15);
        let free = config(Criterion::Random, 3, true, false);
        let found = best_information(&request, None, &free).expect("eligible");
        assert!((found - items[0].0.info(0.0)).abs() < 1e-15);
        let none = Request {
            available: &[false, false, false],
            ..request
        };
        assert_eq!(best_information(&none, None, &free), None);
    }
}
