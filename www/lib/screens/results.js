// The results: per domain the level, items answered and share correct, the profile chart (with
// its text alternatives), and the topics that stood out as strengths or gaps.

import { h } from "../dom.js";
import { profileChart } from "../chart.js";
import { button, focusHeading, screen } from "./parts.js";

/**
 * @param {object} report the `Report` from `session.report()`
 * @param {{ banks: Map<string, object>, t: object }} ctx
 * @param {{ onReview: (() => void) | null }} actions `onReview` null hides the Review button
 * @param {{ score: number, masteryScore: number | null, passed: boolean | null } | null} [outcome]
 *   pass or fail against a mastery score (lib/lms/score.js); shown only when there is one
 */
export function resultsScreen(report, { banks, t }, { onReview }, outcome = null) {
  return screen(
    "results",
    { "data-finished": String(report.finished) },
    focusHeading(2, {}, t.resultsHeading),
    report.finished ? null : h("p", { class: "note" }, t.notFinished),
    report.finished && outcome?.passed != null
      ? h(
          "p",
          { class: "outcome", part: "outcome", "data-passed": String(outcome.passed) },
          t.outcome(Math.round(outcome.score * 100), Math.round(outcome.masteryScore * 100), outcome.passed),
        )
      : null,
    report.domains.map((domain) => domainResult(domain, banks.get(domain.domain), t)),
    onReview ? h("div", { class: "actions" }, button("review", t.review, onReview, { primary: true })) : null,
  );
}

function domainResult(domain, bank, t) {
  const strengths = domain.topics.filter((topic) => topic.verdict === "strength");
  const gaps = domain.topics.filter((topic) => topic.verdict === "gap");
  const answeredTopics = domain.topics.filter((topic) => topic.answered > 0);
  return h(
    "section",
    { class: "domain-result", part: "domain-result", "data-domain": domain.domain, lang: bank?.language },
    h("h3", {}, domain.title),
    h(
      "p",
      { class: "level", part: "level", "data-level": domain.level ?? "" },
      `${t.level}: `,
      h("strong", {}, domain.level ?? t.noLevel),
    ),
    h("p", { class: "share", part: "share" }, t.answeredShare(domain.answered, domain.correct, domain.shareCorrect)),
    domain.stopReason ? h("p", { class: "note", part: "stop-reason" }, t.stopReasons[domain.stopReason] ?? "") : null,
    profileChart(domain, t),
    h(
      "div",
      { class: "topic-verdicts" },
      topicList("strengths", t.strengths, strengths, t.noStrengths),
      topicList("gaps", t.gaps, gaps, t.noGaps),
    ),
    answeredTopics.length ? topicTable(domain, answeredTopics, t) : null,
  );
}

function topicList(name, heading, topics, none) {
  return h(
    "div",
    { class: `topics topics-${name}`, part: `topics ${name}` },
    h("h4", {}, heading),
    topics.length
      ? h("ul", {}, topics.map((topic) => h("li", { "data-topic": topic.topic }, topic.title)))
      : h("p", { class: "note" }, none),
  );
}

function topicTable(domain, topics, t) {
  return h(
    "details",
    { class: "topic-details", part: "topic-details" },
    h("summary", { part: "summary" }, t.topicsHeading),
    h(
      "table",
      { class: "topic-table", part: "topic-table" },
      h("caption", { class: "visually-hidden" }, `${t.topicsHeading}: ${domain.title}`),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, t.topic),
          h("th", { scope: "col" }, t.answered),
          h("th", { scope: "col" }, t.correctCount),
          h("th", { scope: "col" }, t.verdict),
        ),
      ),
      h(
        "tbody",
        {},
        topics.map((topic) =>
          h(
            "tr",
            { "data-topic": topic.topic, "data-verdict": topic.verdict },
            h("th", { scope: "row" }, topic.title),
            h("td", {}, String(topic.answered)),
            h("td", {}, String(topic.correct)),
            h("td", {}, t.verdicts[topic.verdict] ?? topic.verdict),
          ),
        ),
      ),
    ),
  );
}
