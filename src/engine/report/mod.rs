//! What a test says about a learner: per domain an ability estimate with its interval and
//! proficiency level, per topic a strength or gap, and the review of every item.

use serde::{Deserialize, Serialize};

use crate::bank::{ItemType, Reference};
pub use crate::estimate::LevelProbability;
use crate::json::{JsonWriter, ToJson};
use crate::session::{Mode, Session};
use crate::stop::{StopReason, normal_quantile};

mod topics;

pub use topics::{
    MIN_TOPIC_ITEMS, TOPIC_FDR, benjamini_hochberg, poisson_binomial, predictive, two_sided_p,
};

/// A domain's current estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainEstimate {
    /// The bank id.
    pub domain: String,
    pub theta: f64,
    pub se: f64,
    /// The proficiency level name for theta.
    pub level: Option<String>,
    /// Scored items answered.
    pub answered: usize,
    /// The posterior probability of each of the bank's levels, in the bank's order (see
    /// [`crate::estimate::level_probabilities`]).
    #[serde(default)]
    pub level_probabilities: Vec<LevelProbability>,
}

/// The full report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub finished: bool,
    pub domains: Vec<DomainReport>,
    /// Every administered item in order. Keys, feedback and explanations are included in
    /// practice mode, and in assessment mode only once the test is finished.
    pub review: Vec<ReviewEntry>,
}

/// One domain's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DomainReport {
    pub domain: String,
    pub title: String,
    pub theta: f64,
    pub se: f64,
    /// The 95% interval theta ± 1.96·SE.
    pub interval: [f64; 2],
    pub level: Option<String>,
    /// The posterior probability of each level, in the order of `levels`.
    #[serde(default)]
    pub level_probabilities: Vec<LevelProbability>,
    /// The bank's levels with their lower cuts (for drawing the profile).
    pub levels: Vec<LevelCut>,
    pub answered: usize,
    pub correct: usize,
    /// correct / answered (0 when nothing was answered).
    pub share_correct: f64,
    pub stop_reason: Option<StopReason>,
    pub topics: Vec<TopicReport>,
}

/// A level and its lower cut.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LevelCut {
    pub name: String,
    pub min_theta: Option<f64>,
}

/// How a topic went compared with what the domain estimate predicts (the method, with its
/// false-discovery-rate control, is in `report/topics.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum TopicVerdict {
    /// Clearly more right answers than the domain estimate predicts.
    Strength,
    /// Clearly fewer.
    Gap,
    /// Judged, and no clear difference from the domain estimate.
    AsExpected,
    /// Too few answers to tell: fewer than [`MIN_TOPIC_ITEMS`], or so few that even all
    /// right or all wrong would not be a clear difference.
    TooFewItems,
}

/// One topic's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TopicReport {
    pub topic: String,
    pub title: String,
    pub answered: usize,
    pub correct: usize,
    /// The right answers the learner's other answers in the domain predict for this topic's
    /// items (the mean of the posterior predictive distribution, `report/topics.rs`).
    pub expected: f64,
    /// (correct − expected) / the predictive SD; descriptive, the verdict uses `p_value`.
    pub z: f64,
    /// The exact two-sided p-value of `correct` given the predictions (None without answers);
    /// the verdict compares it across the domain's topics with the false-discovery rate.
    pub p_value: Option<f64>,
    pub verdict: TopicVerdict,
}

/// One administered item for the review screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewEntry {
    pub item: String,
    pub domain: String,
    pub topic: String,
    #[serde(rename = "type")]
    pub kind: ItemType,
    pub stem: String,
    pub options: Vec<String>,
    /// The learner's options (absent when the score came from elsewhere).
    pub chosen: Option<Vec<usize>>,
    /// Hidden (absent) in assessment mode until the test is finished.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correct: Option<bool>,
    /// False for pretest items, which never count toward the estimate.
    pub scored: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Vec<usize>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub option_feedback: Vec<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
}

/// Current estimates of every domain.
pub(crate) fn estimates(session: &Session) -> Vec<DomainEstimate> {
    // Loops rather than iterator chains, here and in `report`: the same work in less
    // WebAssembly (each `map(…).collect()` is a copy of the collecting code).
    let mut estimates = Vec::with_capacity(session.banks().len());
    for (d, bank) in session.banks().iter().enumerate() {
        let (estimate, answered, _) = session.domain_estimate(d);
        estimates.push(DomainEstimate {
            domain: bank.id.clone(),
            theta: estimate.theta,
            se: estimate.se,
            level: bank.level_for(estimate.theta).map(|l| l.name.clone()),
            answered,
            level_probabilities: session.level_probabilities(d),
        });
    }
    estimates
}

impl Session {
    /// The report: per-domain results with topic strengths and gaps, and the review.
    pub fn report(&self) -> Report {
        let finished = self.is_finished();
        let reveal = self.config().mode == Mode::Practice || finished;
        let mut domains = Vec::with_capacity(self.banks().len());
        for d in 0..self.banks().len() {
            domains.push(self.domain_report(d));
        }
        let mut review = Vec::with_capacity(self.administered().len());
        for a in self.administered() {
            let pool = self.pool();
            let item = self.bank_item(a.item);
            let mut entry = ReviewEntry {
                item: item.id.clone(),
                domain: pool.domains[pool.domain[a.item]].id.clone(),
                topic: item.topic.clone(),
                kind: item.kind,
                stem: item.stem.clone(),
                options: Vec::with_capacity(item.options.len()),
                chosen: a.chosen.clone(),
                correct: None,
                scored: !a.pretest,
                key: None,
                option_feedback: Vec::new(),
                explanation: None,
                references: Vec::new(),
            };
            for option in &item.options {
                entry.options.push(option.text.clone());
                if reveal {
                    entry.option_feedback.push(option.feedback.clone());
                }
            }
            if reveal {
                entry.correct = Some(a.correct);
                entry.key = Some(crate::session::sorted_key(item));
                entry.explanation = item.explanation.clone();
                entry.references = item.references.clone();
            }
            review.push(entry);
        }
        Report {
            finished,
            domains,
            review,
        }
    }

    /// One domain's result: its estimate, interval, level, and each topic's verdict.
    fn domain_report(&self, d: usize) -> DomainReport {
        let z95 = normal_quantile(0.975);
        let pool = self.pool();
        let bank = &self.banks()[d];
        let (estimate, answered, stop_reason) = self.domain_estimate(d);
        let scored = || {
            self.administered()
                .iter()
                .filter(move |a| !a.pretest && pool.domain[a.item] == d)
        };
        let correct = scored().filter(|a| a.correct).count();
        let mut answers = vec![Vec::new(); bank.topics.len()];
        for a in scored() {
            answers[pool.topic[a.item]].push(crate::estimate::Scored {
                params: pool.params[a.item],
                correct: a.correct,
            });
        }
        let judgements = topics::judge_topics(&self.config().estimator, &answers);
        let mut topics = Vec::with_capacity(bank.topics.len());
        for ((topic, answers), judgement) in bank.topics.iter().zip(&answers).zip(judgements) {
            topics.push(TopicReport {
                topic: topic.id.clone(),
                title: topic.title.clone(),
                answered: answers.len(),
                correct: answers.iter().filter(|a| a.correct).count(),
                expected: judgement.expected,
                z: judgement.z,
                p_value: judgement.p_value,
                verdict: judgement.verdict,
            });
        }
        let mut levels = Vec::with_capacity(bank.levels.len());
        for level in &bank.levels {
            levels.push(LevelCut {
                name: level.name.clone(),
                min_theta: level.min_theta,
            });
        }
        DomainReport {
            domain: bank.id.clone(),
            title: bank.title.clone(),
            theta: estimate.theta,
            se: estimate.se,
            interval: [
                estimate.theta - z95 * estimate.se,
                estimate.theta + z95 * estimate.se,
            ],
            level: bank.level_for(estimate.theta).map(|l| l.name.clone()),
            level_probabilities: self.level_probabilities(d),
            levels,
            answered,
            correct,
            share_correct: if answered == 0 {
                0.0
            } else {
                correct as f64 / answered as f64
            },
            stop_reason,
            topics,
        }
    }
}

impl ToJson for DomainEstimate {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("domain", &self.domain);
        out.field("theta", &self.theta);
        out.field("se", &self.se);
        out.field("level", &self.level);
        out.field("answered", &self.answered);
        out.field("levelProbabilities", &self.level_probabilities);
        out.end_object();
    }
}

impl ToJson for Report {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("finished", &self.finished);
        out.field("domains", &self.domains);
        out.field("review", &self.review);
        out.end_object();
    }
}

impl ToJson for DomainReport {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("domain", &self.domain);
        out.field("title", &self.title);
        out.field("theta", &self.theta);
        out.field("se", &self.se);
        out.field("interval", &self.interval);
        out.field("level", &self.level);
        out.field("levelProbabilities", &self.level_probabilities);
        out.field("levels", &self.levels);
        out.field("answered", &self.answered);
        out.field("correct", &self.correct);
        out.field("shareCorrect", &self.share_correct);
        out.field("stopReason", &self.stop_reason);
        out.field("topics", &self.topics);
        out.end_object();
    }
}

impl ToJson for LevelCut {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("name", &self.name);
        out.field("minTheta", &self.min_theta);
        out.end_object();
    }
}

impl ToJson for StopReason {
    fn write_json(&self, out: &mut JsonWriter) {
        out.string(match self {
            StopReason::MaxItems => "maxItems",
            StopReason::Precision => "precision",
            StopReason::Classified => "classified",
            StopReason::PoolExhausted => "poolExhausted",
            StopReason::LevelCertainty => "levelCertainty",
        });
    }
}

impl ToJson for TopicReport {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("topic", &self.topic);
        out.field("title", &self.title);
        out.field("answered", &self.answered);
        out.field("correct", &self.correct);
        out.field("expected", &self.expected);
        out.field("z", &self.z);
        out.field("pValue", &self.p_value);
        out.field("verdict", &self.verdict);
        out.end_object();
    }
}

impl ToJson for TopicVerdict {
    fn write_json(&self, out: &mut JsonWriter) {
        out.string(match self {
            TopicVerdict::Strength => "strength",
            TopicVerdict::Gap => "gap",
            TopicVerdict::AsExpected => "asExpected",
            TopicVerdict::TooFewItems => "tooFewItems",
        });
    }
}

impl ToJson for ReviewEntry {
    fn write_json(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.field("item", &self.item);
        out.field("domain", &self.domain);
        out.field("topic", &self.topic);
        out.field("type", &self.kind);
        out.field("stem", &self.stem);
        out.field("options", &self.options);
        out.field("chosen", &self.chosen);
        out.optional_field("correct", &self.correct);
        out.field("scored", &self.scored);
        out.optional_field("key", &self.key);
        out.list_field("optionFeedback", &self.option_feedback);
        out.optional_field("explanation", &self.explanation);
        out.list_field("references", &self.references);
        out.end_object();
    }
}
