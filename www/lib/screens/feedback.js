// Practice-mode feedback after an answer: correct or incorrect (icon and text), the question with
// the key and the learner's choice marked and each option's feedback, the explanation, the
// references, and a Next button.

import { h } from "../dom.js";
import { button, explanation, itemLabel, markdown, optionResults, references, screen, verdict } from "./parts.js";

/**
 * @param {import("../../pkg/skillcat.js").ItemView} item the item that was answered
 * @param {import("../../pkg/skillcat.js").Feedback} feedback from `session.answer`
 * @param {{ bank: import("../engine.js").BankMeta | undefined, t: import("../strings.js").Strings }} ctx
 * @param {{ onNext: () => void }} actions
 */
export function feedbackScreen(item, feedback, { bank, t }, { onNext }) {
  const correct = feedback.correct === true;
  return screen(
    "feedback",
    { lang: bank?.language, "data-item": item.id, "data-correct": String(correct) },
    verdict(correct, t, "h2", {
      tabindex: "-1",
      "data-focus": "",
      class: "verdict screen-heading",
      part: `heading verdict ${correct ? "verdict-correct" : "verdict-incorrect"}`,
    }),
    itemLabel(bank, item.topic),
    markdown("div", item.stem, { class: "stem md", part: "stem" }, t),
    optionResults(
      item.options.map((o) => o.text),
      feedback,
      t,
    ),
    explanation(feedback.explanation, t),
    references(feedback.references, t),
    h(
      "div",
      { class: "actions" },
      button("next", feedback.finished ? t.seeResults : t.next, onNext, {
        primary: true,
        "data-finished": String(feedback.finished),
      }),
    ),
  );
}
