// The results: per domain how likely each level is (in words that never claim more certainty
// than there is, with the bank's description of the level named), items answered and share
// correct, the profile chart (with its text alternatives), and the topics that stood out as
// strengths or gaps, each with the counts that explain it.

import { profileChart } from "../chart.js";
import { h } from "../dom.js";
import { describeLevel } from "../levels.js";
import { button, focusHeading, screen } from "./parts.js";

/**
 * @param {import("../../pkg/skillcat.js").Report} report from `session.report()`
 * @param {{ banks: Map<string, import("../engine.js").BankMeta>, t: import("../strings.js").Strings }} ctx
 * @param {{ onReview: (() => void) | null, extra?: Node | null }} actions `onReview` null hides
 *   the Review button; `extra`: more content after the domains (the progress over time)
 * @param {{ score: number, masteryScore: number | null, passed: boolean | null } | null} [outcome]
 *   pass or fail against a mastery score (lib/lms/score.js); shown only when there is one
 */
export function resultsScreen(report, { banks, t }, { onReview, extra = null }, outcome = null) {
  return screen(
    "results",
    { "data-finished": String(report.finished) },
    focusHeading(2, {}, t.resultsHeading),
    report.finished ? null : h("p", { class: "note" }, t.notFinished),
    report.finished && outcome?.passed != null
      ? h(
          "p",
          { class: "outcome", part: "outcome", "data-passed": String(outcome.passed) },
          t.outcome(Math.round(outcome.score * 100), Math.round((outcome.masteryScore ?? 0) * 100), outcome.passed),
        )
      : null,
    report.domains.map((domain) => domainResult(domain, banks.get(domain.domain), t)),
    extra,
    onReview ? h("div", { class: "actions" }, button("review", t.review, onReview, { primary: true })) : null,
  );
}

/**
 * @typedef {import("../strings.js").Strings} Strings
 * @typedef {import("../engine.js").BankMeta | undefined} Bank
 */

/**
 * @param {import("../../pkg/skillcat.js").DomainReport} domain
 * @param {Bank} bank
 * @param {Strings} t
 */
function domainResult(domain, bank, t) {
  const level = describeLevel(domain, t);
  return h(
    "section",
    { class: "domain-result", part: "domain-result", "data-domain": domain.domain, lang: bank?.language },
    h("h3", {}, domain.title),
    h(
      "p",
      { class: "level", part: "level", "data-level": level.top ?? "", "data-certainty": level.certainty },
      `${t.level}: `,
      h("strong", {}, level.headline),
    ),
    level.odds ? h("p", { class: "level-odds", part: "level-odds" }, level.odds) : null,
    levelMeanings(level.named, bank, t),
    h("p", { class: "share", part: "share" }, t.answeredShare(domain.answered, domain.correct, domain.shareCorrect)),
    domain.stopReason ? h("p", { class: "note", part: "stop-reason" }, t.stopReasons[domain.stopReason] ?? "") : null,
    profileChart(domain, t, level.odds),
    topicResults(domain, t),
  );
}

/**
 * The bank's description of each level the headline names.
 * @param {string[]} names
 * @param {Bank} bank
 * @param {Strings} t
 */
function levelMeanings(names, bank, t) {
  const described = names.filter((name) => bank?.levels?.get(name));
  if (described.length === 0) return null;
  return h(
    "div",
    { class: "level-meaning", part: "level-meaning" },
    h("h4", { class: "visually-hidden" }, t.levelMeaning),
    described.map((name) => h("p", { "data-level": name }, h("strong", {}, `${name}: `), bank?.levels.get(name))),
  );
}

/** Strengths, gaps, or why topics cannot be judged; then every answered topic in a table. */
/**
 * @param {import("../../pkg/skillcat.js").DomainReport} domain
 * @param {Strings} t
 */
function topicResults(domain, t) {
  const answered = domain.topics.filter((topic) => topic.answered > 0);
  const judged = domain.topics.some((topic) => topic.verdict !== "tooFewItems");
  const strengths = domain.topics.filter((topic) => topic.verdict === "strength");
  const gaps = domain.topics.filter((topic) => topic.verdict === "gap");
  return [
    judged
      ? h(
          "div",
          { class: "topic-verdicts" },
          topicList("strengths", t.strengths, strengths, t.noStrengths, t),
          topicList("gaps", t.gaps, gaps, t.noGaps, t),
        )
      : h("p", { class: "note topics-unjudged", part: "topics-unjudged" }, t.topicsUnjudged),
    answered.length ? topicTable(domain, answered, t) : null,
  ];
}

/**
 * @param {string} name
 * @param {string} heading
 * @param {import("../../pkg/skillcat.js").TopicReport[]} topics
 * @param {string} none what to say when there is no topic
 * @param {Strings} t
 */
function topicList(name, heading, topics, none, t) {
  return h(
    "div",
    { class: `topics topics-${name}`, part: `topics ${name}` },
    h("h4", {}, heading),
    topics.length
      ? h(
          "ul",
          {},
          topics.map((topic) =>
            h(
              "li",
              { "data-topic": topic.topic },
              h("strong", {}, topic.title),
              `: ${t.topicCount(topic.correct, topic.answered, topic.expected)}`,
            ),
          ),
        )
      : h("p", { class: "note" }, none),
  );
}

/**
 * @param {import("../../pkg/skillcat.js").DomainReport} domain
 * @param {import("../../pkg/skillcat.js").TopicReport[]} topics
 * @param {Strings} t
 */
function topicTable(domain, topics, t) {
  return h(
    "details",
    { class: "topic-details", part: "topic-details" },
    h("summary", { part: "summary" }, t.topicsHeading),
    h("p", { class: "note" }, t.topicsMethod),
    h(
      "table",
      { class: "topic-table", part: "topic-table" },
      h("caption", { class: "visually-hidden" }, `${t.topicsHeading}: ${domain.title}`),
      h(
        "thead",
        {},
        h("tr", {}, h("th", { scope: "col" }, t.topic), h("th", { scope: "col" }, t.rightAnswers), h("th", { scope: "col" }, t.verdict)),
      ),
      h(
        "tbody",
        {},
        topics.map((topic) =>
          h(
            "tr",
            { "data-topic": topic.topic, "data-verdict": topic.verdict },
            h("th", { scope: "row" }, topic.title),
            h("td", {}, t.topicCount(topic.correct, topic.answered, topic.expected)),
            h("td", {}, t.verdicts[topic.verdict] ?? topic.verdict),
          ),
        ),
      ),
    ),
  );
}
