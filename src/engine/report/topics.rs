//! Topic verdicts: which topics of a domain went clearly better or worse than the domain's
//! ability estimate predicts, without flagging topics by chance.
//!
//! A domain has six to eight topics and a test asks two to five questions in each, so "is this
//! topic different?" is many small tests at once: comparing each topic's right answers with
//! the prediction at |z| ≥ 1 flagged two or three topics per test by chance alone. Here:
//!
//! 1. **An exact test per topic.** What the learner's other answers in the domain (every topic
//!    but this one) say about their ability is the EAP posterior from those answers alone (the
//!    session's prior and grid). The number of right answers in the topic then has the
//!    posterior predictive distribution ([`predictive`]): at each grid point θₖ a sum of
//!    independent Bernoulli variables with the items' probabilities Pᵢ(θₖ) (a Poisson-binomial
//!    variable, [`poisson_binomial`]), averaged over the posterior weights. The topic's
//!    two-sided p-value is twice the smaller tail at the observed count, capped at 1, from this
//!    exact distribution, not a normal approximation that is poor at three items; a discrete
//!    p-value is conservative (P(p ≤ α) ≤ α under the null). Leaving the topic out matters: an
//!    estimate fitted to the topic's own answers moves toward them and hides the difference.
//!    Averaging over the posterior, rather than plugging in one estimate, keeps the
//!    uncertainty of that ability in the prediction.
//! 2. **Enough answers to judge.** A topic is judged only with at least [`MIN_TOPIC_ITEMS`]
//!    answers and only when its most extreme outcome (all right or all wrong) could be flagged
//!    at all (smallest attainable p-value ≤ [`TOPIC_FDR`]). Three right out of three where 1.6
//!    were expected is no evidence either way, so such a topic is "too few to tell", never
//!    "as expected" in one row and "strength" in the next.
//! 3. **False-discovery-rate control across the domain's topics.** The Benjamini–Hochberg
//!    step-up procedure at q = [`TOPIC_FDR`] over every topic with enough answers (also those
//!    that cannot reach significance, which only makes it stricter): the expected share of
//!    chance findings among the flagged topics stays at or below q, and when no topic truly
//!    differs the chance of flagging any is at most q. Benjamini, Y., & Hochberg, Y. (1995).
//!    Controlling the false discovery rate: a practical and powerful approach to multiple
//!    testing. *JRSS B*, 57(1), 289–300. (Valid for independent tests and under positive
//!    dependence: Benjamini, Y., & Yekutieli, D. (2001). *Annals of Statistics*, 29(4),
//!    1165–1188.)
//! 4. **One strong topic must not make the others look weak.** The other topics' answers are
//!    the reference of each topic, so a topic far above the rest lowers every other topic's
//!    p-value toward "gap". When the first pass flags topics, a second pass judges every
//!    topic again against the topics that were not flagged, and its verdicts stand. Under the
//!    null (no topic differs) the second pass runs only when the first flagged something, so
//!    the chance of any flag stays at most q.
//!
//! `tests/topic_verdicts.rs` shows by simulation, on the bundled banks, that learners with no
//! topic strengths get at most one flagged topic in ten tests, and that a real strength is
//! still found in longer tests.

use crate::estimate::{EstimatorConfig, Posterior, Scored};
use crate::report::TopicVerdict;

/// A topic needs at least this many scored answers before it is judged.
pub const MIN_TOPIC_ITEMS: usize = 3;

/// The false-discovery rate q of the Benjamini–Hochberg procedure over a domain's topics.
pub const TOPIC_FDR: f64 = 0.1;

/// What the other answers predict for one topic, and the verdict.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TopicJudgement {
    /// The mean of the predictive distribution: the right answers expected.
    pub(crate) expected: f64,
    /// (right − expected) / predictive SD (0 when the SD is 0).
    pub(crate) z: f64,
    /// The exact two-sided p-value (None without answers).
    pub(crate) p_value: Option<f64>,
    pub(crate) verdict: TopicVerdict,
}

/// The distribution of the number of successes among independent trials with the given
/// success probabilities: `pmf[k]` = P(X = k), k = 0…n.
///
/// # Formula
///
/// Adding trial j with probability p: P_j(k) = P_{j−1}(k)·(1 − p) + P_{j−1}(k − 1)·p, from
/// P_0(0) = 1 (the recursive form of the Poisson-binomial distribution; Hong, Y. (2013). On
/// computing the distribution function for the Poisson binomial distribution. *Computational
/// Statistics & Data Analysis*, 59, 41–51). Only sums of non-negative terms: no cancellation.
pub fn poisson_binomial(probabilities: &[f64]) -> Vec<f64> {
    let mut pmf = vec![0.0; probabilities.len() + 1];
    pmf[0] = 1.0;
    for (j, &p) in probabilities.iter().enumerate() {
        let p = p.clamp(0.0, 1.0);
        for k in (1..=j + 1).rev() {
            pmf[k] = pmf[k] * (1.0 - p) + pmf[k - 1] * p;
        }
        pmf[0] *= 1.0 - p;
    }
    pmf
}

/// The posterior predictive distribution of the number of right answers to `items`, given
/// the posterior of `others` (the other answers) under `config`'s prior and grid.
///
/// # Formula
///
/// P(X = k | others) = Σₘ wₘ · PB(k; P₁(θₘ), …, Pₙ(θₘ)), with wₘ the normalised EAP posterior
/// weights of the grid points θₘ given `others` (see [`crate::estimate::eap`]) and PB the
/// Poisson-binomial distribution ([`poisson_binomial`]).
pub fn predictive<'a>(
    config: &EstimatorConfig,
    others: impl IntoIterator<Item = &'a Scored>,
    items: &[&crate::irt::Params],
) -> Vec<f64> {
    let mut posterior = Posterior::new(config);
    for response in others {
        posterior.add(&response.params, response.correct);
    }
    let mut pmf = vec![0.0; items.len() + 1];
    let mut probabilities = vec![0.0; items.len()];
    for (theta, weight) in posterior.points() {
        for (p, params) in probabilities.iter_mut().zip(items) {
            *p = params.prob(theta);
        }
        for (total, p) in pmf.iter_mut().zip(poisson_binomial(&probabilities)) {
            *total += weight * p;
        }
    }
    pmf
}

/// The exact two-sided p-value of `observed` under the distribution `pmf`:
/// 2·min(P(X ≤ observed), P(X ≥ observed)), at most 1.
pub fn two_sided_p(pmf: &[f64], observed: usize) -> f64 {
    let observed = observed.min(pmf.len() - 1);
    let lower: f64 = pmf[..=observed].iter().sum();
    let upper: f64 = pmf[observed..].iter().sum();
    (2.0 * lower.min(upper)).min(1.0)
}

/// Which of the p-values the Benjamini–Hochberg step-up procedure rejects at rate `q`: with
/// the m p-values sorted, p₍₁₎ ≤ … ≤ p₍ₘ₎, the largest k with p₍ₖ₎ ≤ k·q/m, and every
/// hypothesis with a p-value at or below p₍ₖ₎ (Benjamini & Hochberg 1995).
pub fn benjamini_hochberg(p_values: &[f64], q: f64) -> Vec<bool> {
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    // Unstable with the index as tie-break: the same order a stable sort gives, and the
    // learner's WebAssembly carries one sort algorithm, not two.
    order.sort_unstable_by(|&a, &b| p_values[a].total_cmp(&p_values[b]).then(a.cmp(&b)));
    let mut cutoff = None;
    for (rank, &i) in order.iter().enumerate() {
        if p_values[i] <= (rank + 1) as f64 * q / m as f64 {
            cutoff = Some(p_values[i]);
        }
    }
    p_values
        .iter()
        .map(|&p| cutoff.is_some_and(|c| p <= c))
        .collect()
}

/// Each topic's prediction and verdict, the topics of one domain together: `topics[t]` holds
/// topic t's scored answers (see the module documentation).
pub(crate) fn judge_topics(
    config: &EstimatorConfig,
    topics: &[Vec<Scored>],
) -> Vec<TopicJudgement> {
    let first = judge_against(config, topics, &vec![false; topics.len()]);
    let flagged: Vec<bool> = first.iter().map(|j| j.verdict.is_flagged()).collect();
    if flagged.iter().any(|&f| f) {
        judge_against(config, topics, &flagged)
    } else {
        first
    }
}

/// One pass of [`judge_topics`]: each topic against the other topics not `left_out`.
fn judge_against(
    config: &EstimatorConfig,
    topics: &[Vec<Scored>],
    left_out: &[bool],
) -> Vec<TopicJudgement> {
    let mut judgements = Vec::with_capacity(topics.len());
    let mut extreme = Vec::with_capacity(topics.len());
    for (t, answers) in topics.iter().enumerate() {
        let others = topics
            .iter()
            .enumerate()
            .filter(|&(other, _)| other != t && !left_out[other])
            .flat_map(|(_, answers)| answers);
        let items: Vec<&crate::irt::Params> = answers.iter().map(|a| &a.params).collect();
        let pmf = predictive(config, others, &items);
        let right = answers.iter().filter(|a| a.correct).count();
        let expected: f64 = pmf.iter().enumerate().map(|(k, p)| k as f64 * p).sum();
        let variance: f64 = pmf
            .iter()
            .enumerate()
            .map(|(k, p)| (k as f64 - expected).powi(2) * p)
            .sum();
        let z = if variance > 0.0 {
            (right as f64 - expected) / variance.sqrt()
        } else {
            0.0
        };
        // All wrong or all right: the smallest p-value this topic could have given.
        extreme.push(two_sided_p(&pmf, 0).min(two_sided_p(&pmf, answers.len())));
        judgements.push(TopicJudgement {
            expected,
            z,
            p_value: (!answers.is_empty()).then(|| two_sided_p(&pmf, right)),
            verdict: TopicVerdict::TooFewItems,
        });
    }
    let tested: Vec<usize> = (0..topics.len())
        .filter(|&t| topics[t].len() >= MIN_TOPIC_ITEMS)
        .collect();
    let family: Vec<f64> = tested
        .iter()
        .map(|&t| judgements[t].p_value.unwrap_or(1.0))
        .collect();
    for (&t, rejected) in tested.iter().zip(benjamini_hochberg(&family, TOPIC_FDR)) {
        let judgement = &mut judgements[t];
        judgement.verdict = if rejected && judgement.z > 0.0 {
            TopicVerdict::Strength
        } else if rejected {
            TopicVerdict::Gap
        } else if extreme[t] > TOPIC_FDR {
            TopicVerdict::TooFewItems
        } else {
            TopicVerdict::AsExpected
        };
    }
    judgements
}

impl TopicVerdict {
    fn is_flagged(self) -> bool {
        matches!(self, TopicVerdict::Strength | TopicVerdict::Gap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::irt::Params;

    /// n choose k, for the binomial special case.
    fn choose(n: u64, k: u64) -> f64 {
        (0..k).fold(1.0, |c, i| c * (n - i) as f64 / (i + 1) as f64)
    }

    fn answers(b: f64, right: usize, n: usize) -> Vec<Scored> {
        (0..n)
            .map(|i| Scored {
                params: Params::two_pl(1.5, b),
                correct: i < right,
            })
            .collect()
    }

    #[test]
    fn poisson_binomial_with_equal_probabilities_is_the_binomial() {
        let pmf = poisson_binomial(&[0.3; 6]);
        for (k, &p) in pmf.iter().enumerate() {
            let binomial = choose(6, k as u64) * 0.3f64.powi(k as i32) * 0.7f64.powi(6 - k as i32);
            assert!((p - binomial).abs() < 1e-15, "k = {k}: {p} vs {binomial}");
        }
        assert!((pmf.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    }

    #[test]
    fn poisson_binomial_matches_enumeration_of_every_outcome() {
        let probabilities = [0.9, 0.25, 0.6, 0.5, 0.33];
        let mut by_count = [0.0; 6];
        for outcome in 0u32..32 {
            let mut chance = 1.0;
            for (j, &p) in probabilities.iter().enumerate() {
                chance *= if outcome & (1 << j) != 0 { p } else { 1.0 - p };
            }
            by_count[outcome.count_ones() as usize] += chance;
        }
        for (k, (a, b)) in poisson_binomial(&probabilities)
            .iter()
            .zip(by_count)
            .enumerate()
        {
            assert!((a - b).abs() < 1e-15, "k = {k}");
        }
    }

    #[test]
    fn predictive_averages_the_poisson_binomial_over_the_posterior() {
        let config = EstimatorConfig::default();
        let others = answers(0.0, 3, 5);
        let item = Params::two_pl(1.2, 0.4);
        let pmf = predictive(&config, &others, &[&item, &item]);
        // By hand: the posterior weights, then P(X = 2) = Σ w·P², P(X = 0) = Σ w·(1 − P)².
        let mut posterior = Posterior::new(&config);
        for a in &others {
            posterior.add(&a.params, a.correct);
        }
        let (mut none, mut both) = (0.0, 0.0);
        for (theta, w) in posterior.points() {
            let p = item.prob(theta);
            none += w * (1.0 - p) * (1.0 - p);
            both += w * p * p;
        }
        assert!((pmf[0] - none).abs() < 1e-14 && (pmf[2] - both).abs() < 1e-14);
        assert!((pmf.iter().sum::<f64>() - 1.0).abs() < 1e-14);
        // With nothing else answered it is the prior predictive: P(X = 1) of one item at b = 0
        // is 1/2 by symmetry.
        let half = predictive(&config, &[], &[&Params::two_pl(1.0, 0.0)]);
        assert!((half[1] - 0.5).abs() < 1e-12, "{half:?}");
    }

    #[test]
    fn two_sided_p_doubles_the_smaller_tail() {
        // Three items at 0.5: all right has P = 1/8, so p = 1/4; one right is the lower tail
        // P(X ≤ 1) = 1/2, so p = 1.
        let pmf = poisson_binomial(&[0.5; 3]);
        assert!((two_sided_p(&pmf, 3) - 0.25).abs() < 1e-15);
        assert!((two_sided_p(&pmf, 1) - 1.0).abs() < 1e-15);
        let ten = poisson_binomial(&[0.5; 10]);
        assert!((two_sided_p(&ten, 0) - 2.0 / 1024.0).abs() < 1e-15);
    }

    #[test]
    fn benjamini_hochberg_steps_up_from_the_largest_rank_that_passes() {
        // m = 5, q = 0.1: thresholds 0.02, 0.04, 0.06, 0.08, 0.1. Rank 3 (0.055) passes, so
        // ranks 1–3 are rejected even though rank 2 (0.045) is above its own threshold.
        let p = [0.5, 0.045, 0.01, 0.055, 0.2];
        assert_eq!(
            benjamini_hochberg(&p, 0.1),
            [false, true, true, true, false]
        );
        assert_eq!(benjamini_hochberg(&[0.03, 0.2], 0.05), [false, false]);
        assert_eq!(benjamini_hochberg(&[], 0.1), Vec::<bool>::new());
    }

    #[test]
    fn three_of_three_right_is_too_few_to_tell_not_a_strength() {
        let config = EstimatorConfig::default();
        let topics = [
            answers(0.0, 3, 3),
            answers(0.0, 0, 2),
            Vec::new(),
            answers(0.0, 5, 10),
        ];
        let judged = judge_topics(&config, &topics);
        assert_eq!(judged[0].verdict, TopicVerdict::TooFewItems);
        assert!(judged[0].p_value.unwrap() > TOPIC_FDR && judged[0].expected < 3.0);
        assert_eq!(judged[1].verdict, TopicVerdict::TooFewItems);
        assert_eq!(judged[2].verdict, TopicVerdict::TooFewItems);
        assert_eq!(judged[2].p_value, None);
        assert_eq!(judged[3].verdict, TopicVerdict::AsExpected);
    }

    #[test]
    fn clear_differences_are_strengths_and_gaps_and_the_rest_as_expected() {
        let config = EstimatorConfig::default();
        let topics = [
            answers(1.0, 8, 8),
            answers(-1.0, 0, 8),
            answers(0.0, 4, 8),
            answers(0.0, 4, 8),
        ];
        let verdicts: Vec<TopicVerdict> = judge_topics(&config, &topics)
            .iter()
            .map(|j| j.verdict)
            .collect();
        assert_eq!(
            verdicts,
            [
                TopicVerdict::Strength,
                TopicVerdict::Gap,
                TopicVerdict::AsExpected,
                TopicVerdict::AsExpected
            ]
        );
    }
}
