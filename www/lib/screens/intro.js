// The first screen: which domains, what each covers, how long the test can be, which mode, and
// the Start button.

import { h } from "../dom.js";
import { button, focusHeading, markdown, screen } from "./parts.js";

/**
 * @param {{ banks: import("../engine.js").BankMeta[], settings: { mode: "practice" | "assessment", maxItems: number,
 *   levelCertainty: number | null }, profile?: { title: string } | null, maxLength: number, t: import("../strings.js").Strings }} ctx
 * @param {{ onStart: () => void, restoreProblem?: string | null }} options `restoreProblem`: why
 *   saved progress could not be resumed, as a sentence for the learner
 */
export function introScreen(
  { banks, settings: { mode, maxItems, levelCertainty }, profile = null, maxLength, t },
  { onStart, restoreProblem = null },
) {
  return screen(
    "intro",
    {},
    focusHeading(2, {}, t.introHeading(banks.map((b) => b.title))),
    restoreProblem ? h("p", { class: "notice notice-warning", part: "notice restore-problem", role: "note" }, restoreProblem) : null,
    h("h3", {}, t.domainsHeading(banks.length)),
    h(
      "ul",
      { class: "domains", part: "domains" },
      banks.map((bank) =>
        h(
          "li",
          { class: "domain", part: "domain", "data-domain": bank.id, lang: bank.language },
          h("p", { class: "domain-title" }, h("strong", {}, bank.title)),
          markdown("div", bank.description, { class: "domain-description md" }, t),
        ),
      ),
    ),
    h(
      "ul",
      { class: "facts", part: "facts" },
      h("li", { "data-fact": "length" }, t.lengthFact(maxLength, maxItems, banks.length, levelCertainty)),
      profile ? h("li", { "data-fact": "profile" }, t.profileFact(profile.title)) : null,
      h("li", { "data-fact": "mode", "data-mode": mode }, t.modeFact[mode]),
    ),
    h("div", { class: "actions" }, button("start", restoreProblem ? t.startFresh : t.start, onStart, { primary: true })),
  );
}
