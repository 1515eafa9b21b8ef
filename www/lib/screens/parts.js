// Pieces shared by the screens: the screen frame, a focusable heading, the correct/incorrect
// verdict (icon and text, never colour alone), an answered item's options with the key and the
// learner's choice marked, the explanation and the references.

import { h, s } from "../dom.js";
import { externalLink, render, safeUrl } from "../markdown.js";

/**
 * @typedef {import("../strings.js").Strings} Strings
 * @typedef {import("../engine.js").BankMeta} BankMeta
 */

/**
 * A screen: `<section part="screen <name>" data-screen="<name>">`.
 * @param {string} name
 * @param {Record<string, unknown>} attrs
 * @param {...unknown} children
 */
export function screen(name, attrs, ...children) {
  return h("section", { class: `screen screen-${name}`, part: `screen ${name}`, "data-screen": name, ...attrs }, ...children);
}

/**
 * A heading that receives focus when its screen appears (tabindex -1: not a tab stop).
 * @param {number} level
 * @param {Record<string, unknown>} attrs
 * @param {...unknown} children
 */
export function focusHeading(level, attrs, ...children) {
  return h(`h${level}`, { tabindex: "-1", part: "heading", "data-focus": "", class: "screen-heading", ...attrs }, ...children);
}

/**
 * Markdown-subset author text in a container of the given tag.
 * @param {string} tag
 * @param {string} text
 * @param {Record<string, unknown>} attrs
 * @param {Strings} t
 */
export function markdown(tag, text, attrs, t) {
  return h(tag, { class: "md", ...attrs }, render(text, { newTab: t.opensNewTab }));
}

/**
 * A check mark or a cross, hidden from assistive technology (the text says it).
 * @param {boolean} correct
 */
export function icon(correct) {
  return s(
    "svg",
    { class: `icon icon-${correct ? "correct" : "incorrect"}`, viewBox: "0 0 20 20", "aria-hidden": "true", focusable: "false" },
    correct ? s("path", { d: "M4 10.5l4 4 8-9" }) : s("path", { d: "M5 5l10 10M15 5L5 15" }),
  );
}

/**
 * "✓ Correct" or "✗ Incorrect", with `data-correct` for styling and tests.
 * @param {boolean} correct
 * @param {Strings} t
 */
export function verdict(correct, t, tag = "span", attrs = {}) {
  return h(
    tag,
    { class: "verdict", part: `verdict ${correct ? "verdict-correct" : "verdict-incorrect"}`, "data-correct": String(correct), ...attrs },
    icon(correct),
    h("span", { class: "verdict-text" }, correct ? t.correct : t.incorrect),
  );
}

/**
 * "Cybersecurity · Ransomware and incident response".
 * @param {BankMeta | undefined} bank
 * @param {string} topicId
 */
export function itemLabel(bank, topicId) {
  const topic = bank?.topics.get(topicId) ?? topicId;
  return h("p", { class: "item-label", part: "item-label" }, bank?.title ?? "", h("span", { "aria-hidden": "true" }, " · "), topic);
}

/**
 * An answered item's options: each with "Correct answer" and "Your answer" marks (text and
 * icon) and its feedback. `key` and `optionFeedback` may be absent (assessment before the end).
 * @param {string[]} options the option texts
 * @param {{ key?: number[], chosen?: number[] | null, optionFeedback?: (string | null)[] }} answer
 * @param {Strings} t
 */
export function optionResults(options, { key, chosen, optionFeedback }, t) {
  const keySet = new Set(key ?? []);
  const chosenSet = new Set(chosen ?? []);
  return h(
    "ul",
    { class: "option-results", part: "option-results" },
    options.map((text, i) => {
      const isKey = keySet.has(i);
      const isChosen = chosenSet.has(i);
      const feedback = optionFeedback?.[i];
      return h(
        "li",
        {
          class: `option-result${isKey ? " is-key" : ""}${isChosen ? " is-chosen" : ""}`,
          part: `option-result${isKey ? " option-key" : ""}${isChosen ? " option-chosen" : ""}`,
          "data-option-index": i,
          "data-key": key ? String(isKey) : null,
          "data-chosen": String(isChosen),
        },
        h(
          "p",
          { class: "option-marks" },
          isKey ? h("span", { class: "mark mark-key", part: "mark mark-key" }, icon(true), t.correctAnswer) : null,
          isChosen ? h("span", { class: "mark mark-chosen", part: "mark mark-chosen" }, t.yourAnswer) : null,
        ),
        h("div", { class: "option-text md" }, render(text, { newTab: t.opensNewTab })),
        feedback ? markdown("div", feedback, { class: "option-feedback md", part: "option-feedback" }, t) : null,
      );
    }),
  );
}

/**
 * The explanation under an "Explanation" heading, or nothing.
 * @param {string | undefined} text
 * @param {Strings} t
 */
export function explanation(text, t, level = 3) {
  if (!text) return null;
  return h(
    "div",
    { class: "explanation", part: "explanation" },
    h(`h${level}`, {}, t.explanation),
    h("div", { class: "md" }, render(text, { newTab: t.opensNewTab })),
  );
}

/**
 * The references as a list: links for http(s) URLs, plain citations otherwise.
 * @param {import("../../pkg/skillcat.js").Reference[] | undefined} refs
 * @param {Strings} t
 */
export function references(refs, t, level = 3) {
  if (!refs || refs.length === 0) return null;
  return h(
    "div",
    { class: "references", part: "references" },
    h(`h${level}`, {}, t.references),
    h(
      "ul",
      {},
      refs.map((ref) => {
        const href = safeUrl(ref.url);
        return h("li", {}, href ? externalLink(href, [ref.citation], t.opensNewTab) : ref.citation);
      }),
    ),
  );
}

/**
 * A button: `part="button <name>"` (plus `primary` for the screen's main action) and
 * `data-action="<name>"`.
 * @param {string} name
 * @param {string} label
 * @param {(event: Event) => void} onClick
 * @param {{ primary?: boolean } & Record<string, unknown>} [options] more attributes
 */
export function button(name, label, onClick, { primary = false, ...attrs } = {}) {
  return h(
    "button",
    {
      type: "button",
      class: `button button-${name}${primary ? " primary" : ""}`,
      part: `button ${name}${primary ? " primary" : ""}`,
      "data-action": name,
      on: { click: onClick },
      ...attrs,
    },
    label,
  );
}

/**
 * A button that asks before it acts: a click puts the question with Yes and Cancel in place of
 * what `holder` holds (Escape cancels); Cancel puts it back and returns focus to the button.
 * The buttons are `<name>`, `confirm-<name>` and `cancel-<name>`.
 * @param {Element} holder
 * @param {{ name: string, label: string, question: string, yes: string, no: string, onYes: () => void }} options
 */
export function askFirst(holder, { name, label, question, yes, no, onYes }) {
  const offer = button(name, label, () => {
    const kept = [...holder.childNodes];
    const cancel = button(`cancel-${name}`, no, () => {
      holder.replaceChildren(...kept);
      offer.focus();
    });
    const confirm = button(`confirm-${name}`, yes, onYes);
    holder.replaceChildren(
      h(
        "div",
        {
          class: "confirm",
          part: "confirm",
          role: "group",
          "aria-label": label,
          on: { keydown: (/** @type {KeyboardEvent} */ e) => e.key === "Escape" && cancel.click() },
        },
        h("p", {}, question),
        h("div", { class: "actions" }, confirm, cancel),
      ),
    );
    confirm.focus();
  });
  return offer;
}
