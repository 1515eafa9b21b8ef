// The review: every administered item in order with the learner's answer, the key, each
// option's feedback, the explanation and references. The shell offers it in practice mode, and
// in assessment mode only once the test is finished (before that the engine sends no keys).

import { h } from "../dom.js";
import { button, explanation, focusHeading, markdown, optionResults, references, screen, verdict } from "./parts.js";

/**
 * @param {object} report the `Report` from `session.report()`
 * @param {{ banks: Map<string, object>, t: object }} ctx
 * @param {{ onBack: () => void, backLabel: string }} actions
 */
export function reviewScreen(report, { banks, t }, { onBack, backLabel }) {
  return screen(
    "review",
    {},
    focusHeading(2, {}, t.reviewHeading),
    h(
      "ol",
      { class: "review-list", part: "review-list" },
      report.review.map((entry, n) => {
        const bank = banks.get(entry.domain);
        const topic = bank?.topics.get(entry.topic) ?? entry.topic;
        return h(
          "li",
          {
            class: "review-item",
            part: "review-item",
            lang: bank?.language,
            "data-item": entry.item,
            "data-correct": entry.correct === undefined || entry.correct === null ? null : String(entry.correct),
          },
          h("h3", {}, t.reviewItem(n + 1, bank?.title ?? entry.domain, topic)),
          entry.correct === undefined || entry.correct === null ? null : verdict(entry.correct, t, "p"),
          entry.scored ? null : h("p", { class: "note", part: "note unscored" }, t.unscored),
          markdown("div", entry.stem, { class: "stem md", part: "stem" }, t),
          entry.chosen ? null : h("p", { class: "note" }, t.noAnswer),
          optionResults(entry.options, entry, t),
          explanation(entry.explanation, t, 4),
          references(entry.references, t, 4),
        );
      }),
    ),
    h("div", { class: "actions" }, button("back", backLabel, onBack)),
  );
}
