// The review: every administered item with the learner's answer, the key, each option's
// feedback, the explanation and references. The shell offers it in practice mode, and in
// assessment mode only once the test is finished (before that the engine sends no keys).
//
// A long test (7 domains × 20 questions) makes a long page, so: one section per domain, each
// under its own heading, in the order of the banks, its questions in the order they were asked
// and numbered by their position in the test; a list of the domains at the top that moves to a
// section; and "Back to your results" at the top and at the end of every section, so it is
// never more than one section away. (Links to #fragments do not reach inside a shadow root:
// the jumps are buttons that move focus to the section's heading.)

import { h } from "../dom.js";
import { button, explanation, focusHeading, markdown, optionResults, references, screen, verdict } from "./parts.js";

/**
 * @param {import("../../pkg/skillcat.js").Report} report from `session.report()`
 * @param {{ banks: Map<string, import("../engine.js").BankMeta>, t: import("../strings.js").Strings }} ctx
 * @param {{ onBack: () => void, backLabel: string }} actions
 */
export function reviewScreen(report, { banks, t }, { onBack, backLabel }) {
  const order = report.domains.map((d) => d.domain);
  /** @type {Map<string, { entry: import("../../pkg/skillcat.js").ReviewEntry, position: number }[]>} */
  const byDomain = new Map(order.map((id) => [id, []]));
  report.review.forEach((entry, n) => {
    const entries = byDomain.get(entry.domain) ?? [];
    byDomain.set(entry.domain, entries);
    entries.push({ entry, position: n + 1 });
  });
  const sections = [...byDomain].filter(([, entries]) => entries.length > 0);
  const headings = new Map(
    sections.map(([id, entries]) => [
      id,
      h("h3", { tabindex: "-1", class: "review-domain-heading" }, t.reviewDomain(banks.get(id)?.title ?? id, entries.length)),
    ]),
  );
  const back = () => button("back", backLabel, onBack);
  return screen(
    "review",
    {},
    focusHeading(2, {}, t.reviewHeading),
    h(
      "nav",
      { class: "review-nav", part: "review-nav", "aria-label": t.reviewJump },
      sections.length > 1
        ? h(
            "ul",
            { class: "review-jumps" },
            sections.map(([id]) =>
              h(
                "li",
                {},
                button("jump", banks.get(id)?.title ?? id, () => jump(/** @type {HTMLElement} */ (headings.get(id))), {
                  class: "button button-jump link",
                  "data-domain": id,
                }),
              ),
            ),
          )
        : null,
      back(),
    ),
    sections.map(([id, entries]) => {
      const bank = banks.get(id);
      return h(
        "section",
        { class: "review-domain", part: "review-domain", "data-domain": id, lang: bank?.language },
        headings.get(id),
        h(
          "ol",
          { class: "review-list", part: "review-list" },
          entries.map(({ entry, position }) => reviewItem(entry, position, bank, t)),
        ),
        h("div", { class: "actions" }, back()),
      );
    }),
  );
}

/** @param {HTMLElement} heading */
function jump(heading) {
  heading.scrollIntoView({ block: "start" });
  heading.focus({ preventScroll: true });
}

/**
 * @param {import("../../pkg/skillcat.js").ReviewEntry} entry
 * @param {number} position
 * @param {import("../engine.js").BankMeta | undefined} bank
 * @param {import("../strings.js").Strings} t
 */
function reviewItem(entry, position, bank, t) {
  const topic = bank?.topics.get(entry.topic) ?? entry.topic;
  const known = entry.correct !== undefined && entry.correct !== null;
  return h(
    "li",
    {
      class: "review-item",
      part: "review-item",
      value: position,
      "data-item": entry.item,
      "data-position": position,
      "data-correct": known ? String(entry.correct) : null,
    },
    h("h4", {}, t.reviewItem(position, bank?.title ?? entry.domain, topic)),
    known ? verdict(entry.correct === true, t, "p") : null,
    entry.scored ? null : h("p", { class: "note", part: "note unscored" }, t.unscored),
    markdown("div", entry.stem, { class: "stem md", part: "stem" }, t),
    entry.chosen ? null : h("p", { class: "note" }, t.noAnswer),
    optionResults(entry.options, entry, t),
    explanation(entry.explanation, t, 5),
    references(entry.references, t, 5),
  );
}
